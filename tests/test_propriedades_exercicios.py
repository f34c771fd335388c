"""Propriedade dos exercícios em sequência (funções puras, sem banco): para qualquer
sequência válida de eventos em dois exercícios, encerrados um depois do outro, a
abertura de N+1 é o fechamento de N conta a conta — com a fonte passada a
exercícios anteriores e as transposições do PCASP —, nada de resultado (3 e 4) nem
de orçamento (5.2 e 6.2) atravessa o ano, e a DDR de cada fonte é o caixa dela.

A expectativa é escrita aqui de forma independente de ``execucao.encerramento``:
cada saldo final vai para a mesma conta, salvo as poucas que o PCASP transpõe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from hypothesis import given, settings
from hypothesis import strategies as st

from erario.execucao.controle import ControleOrcamentario
from erario.execucao.encerramento import encerrar_exercicio
from erario.execucao.eventos import (
    Arrecadacao,
    CancelamentoRestosAPagar,
    DotacaoInicial,
    Empenho,
    EncerramentoExercicio,
    Evento,
    IngressoExtra,
    Liquidacao,
    Pagamento,
    PagamentoExtra,
)
from erario.execucao.motor import executar
from erario.razao.modelo import (
    Lancamento,
    SituacaoCompetencia,
    TipoLancamento,
    atributos_cc,
    texto_cc,
)
from erario.razao.validacao import Validador
from tests.test_execucao import _fonte, _plano, _roteiros

ENT = "prefeitura"
CREDOR = "11222333000181"
DOTACOES = ("0201.12.361.0001.2001.33903900", "0301.10.301.0001.2002.33903900")
FONTES = ("1500", "1600")  # livre e vinculada (SUS)
BANCO = ("1.1.1.1.1.19.00", "001-1234-5-67890-1", ENT)
VPD, PASSIVO, VPA = "3.3.2.3.1.99.00", "2.1.3.1.1.01.01", "4.1.1.2.1.02.00"
CAUCAO = "2.1.8.8.1.04.01"

# O que o PCASP transpõe na abertura (7 níveis); o resto fica na mesma conta.
TRANSPOSTAS = {
    "5.3.1.7.0.00.00": "5.3.1.1.0.00.00",
    "5.3.2.7.0.00.00": "5.3.2.1.0.00.00",
    "5.3.1.1.0.00.00": "5.3.1.2.0.00.00",
    "5.3.2.1.0.00.00": "5.3.2.2.0.00.00",
    "6.3.1.7.1.00.00": "6.3.1.1.0.00.00",
    "6.3.2.7.0.00.00": "6.3.2.1.0.00.00",
    "8.2.1.1.1.01.00": "8.2.1.1.1.02.00",
    "2.3.7.1.1.01.00": "2.3.7.1.1.02.00",
}

Saldos = dict[tuple[str, str], int]


def _somar(saldos: Saldos, lancs: Iterable[Lancamento]) -> None:
    for lanc in lancs:
        for p in lanc.partidas:
            chave = (p.conta, texto_cc(atributos_cc(p.conta_corrente)))
            saldos[chave] = saldos.get(chave, 0) + (p.centavos if p.dc == "D" else -p.centavos)
            if not saldos[chave]:
                del saldos[chave]


def _esperada(finais: Saldos) -> Saldos:
    """A abertura escrita à mão: mesma conta (salvo as transpostas), fonte 1xxx → 2xxx,
    sem classes 3 e 4 nem 5.2/6.2."""
    saida: Saldos = {}
    for (conta, cc), v in finais.items():
        if conta.startswith(("3", "4", "5.2", "6.2")):
            continue
        cc2 = cc.replace("FR=1", "FR=2")
        chave = (TRANSPOSTAS.get(conta, conta), cc2)
        saida[chave] = saida.get(chave, 0) + v
    return {k: v for k, v in saida.items() if v}


def _por_fonte(saldos: Saldos, prefixo: str) -> dict[str, int]:
    soma: dict[str, int] = {}
    for (conta, cc), v in saldos.items():
        if conta.startswith(prefixo):
            fonte = atributos_cc(cc).get("FR", "")
            soma[fonte] = soma.get(fonte, 0) + v
    return {f: v for f, v in soma.items() if v}


def _acoes(ano: int) -> st.SearchStrategy[list[tuple[str, int, int, int]]]:
    tipos = ["emp", "liq", "pag", "arr", "ext", "dev"] + (["rpliq", "rppag", "rpcan"] * 2)
    return st.lists(
        st.tuples(
            st.sampled_from(tipos if ano > 2026 else tipos[:6]),
            st.integers(1, 2_000_000),
            st.integers(0, 30),
            st.integers(0, 1),
        ),
        max_size=25,
    )


def _exercicio(
    c: ControleOrcamentario, ano: int, acoes: list[tuple[str, int, int, int]], saldos: Saldos
) -> None:
    """Executa as ações do ano (as recusadas pelo controle ficam de fora) e soma os
    lançamentos aos saldos do exercício."""
    data = dt.date(ano, 6, 1)
    eventos: list[Evento] = [
        DotacaoInicial(f"D{i}-{ano}", ENT, data, DOTACOES[i], _fonte(fonte), 5_000_000_00)
        for i, fonte in enumerate(FONTES)
    ]
    for n, (acao, valor, alvo, k) in enumerate(acoes):
        ident = f"{acao}{n}-{ano}"
        emps = sorted(
            e for (ent, e), s in c.empenhos.items() if (ent, e) not in c.estornados and s.ano == ano
        )
        inscritos = sorted(e for (ent, e), s in c.empenhos.items() if s.inscrito)
        liqs = sorted(
            e
            for (ent, e), s in c.liquidacoes.items()
            if s.a_pagar > 0 and (s.ano == ano or s.situacao)
        )
        fonte = _fonte(FONTES[k])
        ev: Evento | None = None
        if acao == "emp":
            ev = Empenho(ident, ENT, data, DOTACOES[k], fonte, CREDOR, valor)
        elif acao == "liq" and emps:
            ev = Liquidacao(ident, ENT, data, emps[alvo % len(emps)], valor, VPD, PASSIVO, "NF")
        elif acao in ("pag", "rppag") and liqs:
            ev = Pagamento(ident, ENT, data, liqs[alvo % len(liqs)], valor, *BANCO)
        elif acao == "arr":
            ev = Arrecadacao(ident, ENT, data, "11125001", fonte, valor, *BANCO, VPA)
        elif acao in ("ext", "dev"):
            classe = IngressoExtra if acao == "ext" else PagamentoExtra
            # a caução de anos anteriores se devolve na fonte 2xxx
            texto = FONTES[k] if acao == "ext" or alvo % 2 else "2" + FONTES[k][1:]
            ev = classe(ident, ENT, data, _fonte(texto), CREDOR, valor, CAUCAO, *BANCO)
        elif acao == "rpliq" and inscritos:
            emp = inscritos[alvo % len(inscritos)]
            ev = Liquidacao(ident, ENT, data, emp, valor, VPD, PASSIVO, "NF")
        elif acao == "rpcan" and inscritos:
            ev = CancelamentoRestosAPagar(ident, ENT, data, inscritos[alvo % len(inscritos)], valor)
        if ev is not None:
            eventos.append(ev)
    validador = Validador(_plano(), lambda *_: SituacaoCompetencia.ABERTA)
    for ev in eventos:
        lanc, _ = executar(c, ev, _roteiros(), _plano())
        if lanc is None:
            continue  # recusado pelas travas: nada muda
        _, erros = validador.validar(lanc._replace(numero=ev.id))
        assert erros == [], erros
        _somar(saldos, [lanc])


def _encerrar(c: ControleOrcamentario, ano: int, saldos: Saldos) -> tuple[Saldos, Saldos]:
    """Encerra: devolve os saldos finais de ``ano`` e a abertura do seguinte."""
    enc = EncerramentoExercicio(f"ENC{ano}", ENT, dt.date(ano, 12, 31))
    lancs, erros = encerrar_exercicio(c, enc, saldos, _plano(), _roteiros(), f"EVENC{ano}")
    assert erros == [], erros
    validador = Validador(_plano(), lambda *_: SituacaoCompetencia.ABERTA)
    for lanc in lancs:
        assert validador.validar(lanc)[1] == []
    c.encerrar(enc)
    finais = dict(saldos)
    _somar(finais, (x for x in lancs if x.tipo == TipoLancamento.ENCERRAMENTO))
    seguinte: Saldos = {}
    _somar(seguinte, (x for x in lancs if x.tipo == TipoLancamento.ABERTURA))
    return finais, seguinte


def _conferir(finais: Saldos, seguinte: Saldos) -> None:
    assert [k for k in finais if k[0].startswith(("3", "4", "5.2", "6.2"))] == []
    assert seguinte == _esperada(finais)
    # DDR por fonte: controle = execução = caixa, no fim do ano e na abertura.
    for saldos in (finais, seguinte):
        controle = _por_fonte(saldos, "7.2.1.1.")
        assert controle == {f: -v for f, v in _por_fonte(saldos, "8.2.1.1.").items()}
        assert controle == _por_fonte(saldos, "1.1.1.")
        assert _por_fonte(saldos, "8.2.1.1.4.") == {}


@settings(max_examples=40, deadline=None)
@given(_acoes(2026), _acoes(2027))
def test_fechamento_de_um_ano_e_a_abertura_do_seguinte(
    ano1: list[tuple[str, int, int, int]], ano2: list[tuple[str, int, int, int]]
) -> None:
    c = ControleOrcamentario()
    saldos: Saldos = {}
    _exercicio(c, 2026, ano1, saldos)
    finais, abertura_2027 = _encerrar(c, 2026, saldos)
    _conferir(finais, abertura_2027)
    saldos = dict(abertura_2027)  # 2027 parte da sua abertura, nunca da soma dos anos
    _exercicio(c, 2027, ano2, saldos)
    finais, abertura_2028 = _encerrar(c, 2027, saldos)
    _conferir(finais, abertura_2028)
