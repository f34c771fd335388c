"""Eventos orçamentários → lançamentos pelos roteiros (PCASP Federação).

Cada tipo de evento tem aqui o lançamento exato esperado, escrito à mão a
partir do roteiro (contas, D/C, valores, conta corrente), e passa pelo
validador do razão. As travas de saldo recusam sem mudar nada; o estorno de um
evento devolve todo saldo ao que era.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erario.execucao.controle import ControleOrcamentario
from erario.execucao.encerramento import encerrar_exercicio, saldos_de_abertura
from erario.execucao.eventos import (
    AnulacaoEmpenho,
    Arrecadacao,
    DeducaoReceita,
    DotacaoInicial,
    Empenho,
    EncerramentoExercicio,
    Evento,
    IngressoExtra,
    Liquidacao,
    Pagamento,
    PagamentoExtra,
    PrevisaoReceita,
    ReservaDotacao,
)
from erario.execucao.motor import estornar_evento, executar
from erario.execucao.relatorios import conferir_com_razao, restos_a_pagar
from erario.execucao.roteiros import (
    CacheContas,
    Roteiro,
    contabilizar,
    ler_roteiros,
    roteiros_padrao,
)
from erario.orcamento.classificacao import (
    FonteRecurso,
    ler_dotacao,
    ler_fonte,
    ler_natureza_despesa,
    ler_natureza_receita,
)
from erario.razao.modelo import (
    Lancamento,
    PlanoContas,
    SituacaoCompetencia,
    TipoLancamento,
    atributos_cc,
    texto_cc,
)
from erario.razao.plano import plano_base
from erario.razao.validacao import Validador
from tests.apoio_eventos import partidas

ENT = "prefeitura"
CREDOR = "11222333000181"
DOTACAO = "0201.12.361.0001.2001.33903900"
DB = "001-1234-5-67890-1"
D = dt.date(2026, 3, 10)


@cache
def _plano() -> PlanoContas:
    return plano_base()


@cache
def _roteiros() -> dict[str, Roteiro]:
    return roteiros_padrao()


def _fonte(texto: str = "1500") -> FonteRecurso:
    fonte, erros = ler_fonte(texto)
    assert fonte is not None, erros
    return fonte


def _validar(lanc: Lancamento) -> None:
    """O lançamento gerado é aceito pelo razão (contas, conta corrente, partidas dobradas)."""
    v = Validador(_plano(), lambda *_: SituacaoCompetencia.ABERTA)
    normal, erros = v.validar(lanc._replace(numero="1"))
    assert erros == [] and normal is not None


def _rodar(controle: ControleOrcamentario, ev: Evento) -> Lancamento:
    lanc, erros = executar(controle, ev, _roteiros(), _plano())
    assert lanc is not None, erros
    _validar(lanc)
    return lanc


def _base() -> ControleOrcamentario:
    c = ControleOrcamentario()
    _rodar(c, DotacaoInicial("D1", ENT, dt.date(2026, 1, 2), DOTACAO, _fonte(), 10_000_000))
    return c


FR = "FR=1500"
DO_FR = f"FR=1500|DO={DOTACAO}"


# ------------------------------------------------------------ classificações
def test_classificacoes() -> None:
    fonte = _fonte("1500.1001")
    assert (fonte.codigo, fonte.texto_cc, fonte.vinculada) == ("1500", "15001001", False)
    assert _fonte("1600").vinculada
    nd, _ = ler_natureza_despesa("3.3.90.39")
    assert nd is not None and (nd.codigo, nd.digitos) == ("3.3.90.39.00", "33903900")
    assert ler_natureza_receita("1.1.1.2.50.0.1") == ("11125001", [])
    for texto, regra in (("15", "ORC-FONTE"), ("9500", "ORC-FONTE")):
        assert ler_fonte(texto)[1][0].regra == regra
    assert ler_natureza_despesa("5.3.90.39")[1][0].regra == "ORC-NATUREZA-DESPESA"
    assert ler_natureza_receita("1112500")[1][0].regra == "ORC-NATUREZA-RECEITA"
    dot, _ = ler_dotacao("0401.10.301.0010.2015.33903900")
    assert dot is not None and (dot.orgao, dot.unidade, dot.funcao, dot.acao, dot.saude) == (
        "04",
        "01",
        "10",
        "2015",
        True,
    )
    assert dot.natureza.codigo == "3.3.90.39.00"
    for ruim in ("9999", "0401.29.301.0010.2015.33903900", "0401.10.301.0010.2015.53903900"):
        assert ler_dotacao(ruim)[1][0].regra == "ORC-DOTACAO"


# ------------------------------------------------------------ um lançamento por evento
def test_previsao_receita() -> None:
    c = ControleOrcamentario()
    ev = PrevisaoReceita("R1", ENT, dt.date(2026, 1, 2), "11125001", _fonte(), 20_000_000)
    lanc = _rodar(c, ev)
    cc = "FR=1500|NR=11125001"
    assert partidas(lanc) == [
        ("5.2.1.1.1.00.00", "D", 20_000_000, cc),
        ("6.2.1.1.0.00.00", "C", 20_000_000, cc),
    ]
    assert lanc.origem == "evento:R1"


def test_dotacao_inicial() -> None:
    c = ControleOrcamentario()
    lanc = _rodar(c, DotacaoInicial("D1", ENT, dt.date(2026, 1, 2), DOTACAO, _fonte(), 10_000_000))
    assert partidas(lanc) == [
        ("5.2.2.1.1.01.00", "D", 10_000_000, DO_FR),
        ("6.2.2.1.1.00.00", "C", 10_000_000, DO_FR),
    ]
    assert c.dotacoes[(ENT, 2026, DOTACAO)].disponivel == 10_000_000


def test_empenho_liquidacao_pagamento() -> None:
    c = _base()
    emp = _rodar(c, Empenho("E1", ENT, D, DOTACAO, _fonte(), CREDOR, 3_000_000))
    assert partidas(emp) == [
        ("6.2.2.1.1.00.00", "D", 3_000_000, DO_FR),
        ("6.2.2.1.3.01.00", "C", 3_000_000, DO_FR),
        ("8.2.1.1.1.01.00", "D", 3_000_000, FR),
        ("8.2.1.1.2.01.00", "C", 3_000_000, FR),
    ]
    assert c.dotacoes[(ENT, 2026, DOTACAO)].disponivel == 7_000_000  # 100.000,00 − 30.000,00

    liq = _rodar(
        c,
        Liquidacao("L1", ENT, D, "E1", 1_000_000, "3.3.2.3.1.99.00", "2.1.3.1.1.01.01", "NF 123"),
    )
    assert partidas(liq) == [
        ("6.2.2.1.3.01.00", "D", 1_000_000, DO_FR),
        ("6.2.2.1.3.03.00", "C", 1_000_000, DO_FR),
        ("3.3.2.3.1.99.00", "D", 1_000_000, ""),
        ("2.1.3.1.1.01.01", "C", 1_000_000, f"FP=F|FR=1500|CR={CREDOR}"),
        ("8.2.1.1.2.01.00", "D", 1_000_000, FR),
        ("8.2.1.1.3.01.00", "C", 1_000_000, FR),
    ]
    assert c.empenhos[(ENT, "E1")].a_liquidar == 2_000_000

    pag = _rodar(c, Pagamento("P1", ENT, D, "L1", 400_000, "1.1.1.1.1.19.00", DB, ENT))
    assert partidas(pag) == [
        ("6.2.2.1.3.03.00", "D", 400_000, DO_FR),
        ("6.2.2.1.3.04.00", "C", 400_000, DO_FR),
        ("2.1.3.1.1.01.01", "D", 400_000, f"FP=F|FR=1500|CR={CREDOR}"),
        ("1.1.1.1.1.19.00", "C", 400_000, f"FR=1500|DB={DB}"),
        ("8.2.1.1.3.01.00", "D", 400_000, FR),
        ("8.2.1.1.4.01.00", "C", 400_000, FR),
    ]
    assert "empenho E1" in pag.historico


def test_anulacao_de_empenho_devolve_o_credito() -> None:
    c = _base()
    _rodar(c, Empenho("E1", ENT, D, DOTACAO, _fonte(), CREDOR, 3_000_000))
    anul = _rodar(c, AnulacaoEmpenho("A1", ENT, D, "E1", 500_000))
    assert partidas(anul) == [
        ("6.2.2.1.3.01.00", "D", 500_000, DO_FR),
        ("6.2.2.1.1.00.00", "C", 500_000, DO_FR),
        ("8.2.1.1.2.01.00", "D", 500_000, FR),
        ("8.2.1.1.1.01.00", "C", 500_000, FR),
    ]
    assert c.dotacoes[(ENT, 2026, DOTACAO)].disponivel == 7_500_000


@pytest.mark.parametrize(
    ("fonte", "conta_ddr"), [("1500", "7.2.1.1.1.00.00"), ("1600", "7.2.1.1.2.00.00")]
)
def test_arrecadacao(fonte: str, conta_ddr: str) -> None:
    c = ControleOrcamentario()
    ev = Arrecadacao(
        "AR1",
        ENT,
        D,
        "11125001",
        _fonte(fonte),
        500_000,
        "1.1.1.1.1.19.00",
        DB,
        ENT,
        "4.1.1.2.1.02.00",
    )
    lanc = _rodar(c, ev)
    fr = f"FR={fonte}"
    assert partidas(lanc) == [
        ("6.2.1.1.0.00.00", "D", 500_000, f"{fr}|NR=11125001"),
        ("6.2.1.2.0.00.00", "C", 500_000, f"{fr}|NR=11125001"),
        ("1.1.1.1.1.19.00", "D", 500_000, f"{fr}|DB={DB}"),
        ("4.1.1.2.1.02.00", "C", 500_000, ""),
        (conta_ddr, "D", 500_000, fr),
        ("8.2.1.1.1.01.00", "C", 500_000, fr),
    ]


# ------------------------------------------------------------ travas
def _recusa(c: ControleOrcamentario, ev: Evento) -> list[str]:
    antes = repr(c)
    lanc, erros = executar(c, ev, _roteiros(), _plano())
    assert lanc is None and erros
    assert repr(c) == antes, "evento recusado não pode mudar o controle"
    return [f"[{e.regra}] {e.mensagem}" for e in erros]


def test_travas_de_saldo() -> None:
    c = _base()
    assert _recusa(c, Empenho("E9", ENT, D, DOTACAO, _fonte(), CREDOR, 10_000_001)) == [
        f"[EXEC-DOTACAO-SALDO] empenho de 100.000,01 acima do crédito disponível da dotação {DOTACAO} (100.000,00)"
    ]
    _rodar(c, Empenho("E1", ENT, D, DOTACAO, _fonte(), CREDOR, 3_000_000))
    liq = Liquidacao("L9", ENT, D, "E1", 3_000_001, "3.3.2.3.1.99.00", "2.1.3.1.1.01.01", "NF 1")
    assert _recusa(c, liq) == [
        "[EXEC-LIQUIDACAO-SALDO] liquidação de 30.000,01 acima do saldo a liquidar do empenho E1 (30.000,00)"
    ]
    _rodar(c, liq._replace(id="L1", valor=1_000_000))
    assert _recusa(c, Pagamento("P9", ENT, D, "L1", 1_000_001, "1.1.1.1.1.19.00", DB, ENT)) == [
        "[EXEC-PAGAMENTO-SALDO] pagamento de 10.000,01 acima do liquidado a pagar da liquidação L1 (10.000,00)"
    ]
    assert _recusa(c, Pagamento("P9", ENT, D, "L1", 100, "1.1.1.1.1.19.00", DB, "camara")) == [
        "[EXEC-CONTA-BANCARIA] a conta bancária é da entidade camara, não de prefeitura"
    ]
    assert _recusa(c, AnulacaoEmpenho("A9", ENT, D, "E1", 2_000_001)) == [
        "[EXEC-ANULACAO-SALDO] anulação de 20.000,01 acima do saldo a liquidar do empenho E1 (20.000,00)"
    ]


def test_referencias_e_dados_invalidos_todos_relatados() -> None:
    c = _base()
    erros = _recusa(c, Empenho("D1", ENT, D, DOTACAO, _fonte("1600"), "11222333000180", 0))
    assert [e.split("]")[0] + "]" for e in erros] == [
        "[EXEC-ID]",
        "[EXEC-VALOR]",
        "[EXEC-CREDOR]",
        "[EXEC-FONTE]",
    ]
    assert _recusa(c, Empenho("E1", ENT, D, "9999", _fonte(), CREDOR, 1)) == [
        "[EXEC-DOTACAO] dotação 9999 não existe"
    ]
    assert _recusa(c, AnulacaoEmpenho("A1", ENT, D, "E404", 1)) == [
        "[EXEC-EMPENHO] empenho E404 não existe"
    ]


def test_roteiro_com_conta_errada_relata_tudo() -> None:
    roteiros, erros = ler_roteiros(
        """
[empenho]
descricao = "x"
referencia = "y"
historico = "Empenho {empenho} {inexistente}"
pares = [
  { natureza = "P", debito = "6.2.2.1.1.00.00", credito = "6.2.2.1.3.00.00" },
  { natureza = "C", debito = "9.9.9", credito = "8.2.1.1.2.01.00" },
]
"""
    )
    assert erros == []
    lanc, erros = contabilizar(
        roteiros["empenho"], _plano(), ENT, D, 100, {"empenho": "E1", "FR": "1500"}
    )
    assert lanc is None
    assert [e.regra for e in erros] == [
        "ROTEIRO-NATUREZA",  # 6.2.2.1.1 é orçamentária, não patrimonial
        "ROTEIRO-CONTA",  # 6.2.2.1.3 é sintética
        "ROTEIRO-CONTA",  # 9.9.9 não existe
        "ROTEIRO-VARIAVEL",  # {inexistente} no histórico
    ]


def test_roteiros_padrao_usam_contas_analiticas_do_plano() -> None:
    plano = _plano()
    for roteiro in _roteiros().values():
        assert roteiro.referencia.startswith("MCASP")
        for par in roteiro.pares:
            for codigo in (par.debito, par.credito):
                if not codigo.startswith("{"):
                    conta = plano.contas[codigo]
                    assert conta.analitica and conta.natureza_informacao.value == par.natureza


# ------------------------------------------------------------ estorno
def _saldos(lancs: Iterable[Lancamento]) -> dict[tuple[str, str], int]:
    s: dict[tuple[str, str], int] = defaultdict(int)
    for lanc in lancs:
        for p in lanc.partidas:
            cc = texto_cc(atributos_cc(p.conta_corrente))  # canônica, como no razão
            s[(p.conta, cc)] += p.centavos if p.dc == "D" else -p.centavos
    return {k: v for k, v in s.items() if v}


def test_estorno_de_evento_devolve_saldos() -> None:
    c = _base()
    lancs = [_rodar(c, Empenho("E1", ENT, D, DOTACAO, _fonte(), CREDOR, 3_000_000))]
    liq = _rodar(
        c, Liquidacao("L1", ENT, D, "E1", 1_000_000, "3.3.2.3.1.99.00", "2.1.3.1.1.01.01", "NF 1")
    )._replace(numero="202600000002")
    antes = _saldos(lancs)
    # com pagamento, a liquidação não se estorna
    pag = _rodar(c, Pagamento("P1", ENT, D, "L1", 400_000, "1.1.1.1.1.19.00", DB, ENT))
    assert estornar_evento(c, ENT, "L1", liq, D)[1][0].regra == "EXEC-ESTORNO"
    inv_pag, erros = estornar_evento(c, ENT, "P1", pag._replace(numero="3"), D)
    assert inv_pag is not None, erros
    inv_liq, erros = estornar_evento(c, ENT, "L1", liq, D)
    assert inv_liq is not None, erros
    assert _saldos([*lancs, liq, pag._replace(numero="3"), inv_pag, inv_liq]) == antes
    assert c.empenhos[(ENT, "E1")].a_liquidar == 3_000_000
    assert estornar_evento(c, ENT, "L1", liq, D)[1][0].mensagem == "evento L1 já foi estornado"
    # a liquidação estornada não recebe pagamento
    assert _recusa(c, Pagamento("P2", ENT, D, "L1", 1, "1.1.1.1.1.19.00", DB, ENT)) == [
        "[EXEC-LIQUIDACAO] liquidação L1 não existe"
    ]


# ------------------------------------------------------------ propriedades
_ACOES = st.lists(
    st.tuples(
        st.sampled_from(
            ["emp", "anu", "liq", "pag", "arr", "est", "res", "empres", "ded", "ext", "dev"]
        ),
        st.integers(1, 4_000_000),
        st.integers(0, 30),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(_ACOES)
def test_sequencias_aleatorias_mantem_as_contas(acoes: list[tuple[str, int, int]]) -> None:
    """Qualquer sequência (válida ou recusada) mantém D = C por natureza, nunca
    liquida além do empenhado nem paga além do liquidado, e o razão bate com o
    controle: empenhado líquido nas contas 6.2.2.1.3.0x, banco = entradas − saídas
    (arrecadação, dedução do FUNDEB, ingresso e devolução extraorçamentários),
    crédito disponível e reservas (com empenho de reserva) batem com 6.2.2.1.x."""
    c = ControleOrcamentario()
    lancs = [
        _rodar(c, DotacaoInicial("D1", ENT, dt.date(2026, 1, 2), DOTACAO, _fonte(), 10_000_000))
    ]
    arrecadado = pago = 0
    for n, (acao, valor, alvo) in enumerate(acoes):
        emps = sorted(k[1] for k in c.empenhos if k not in c.estornados)
        liqs = sorted(k[1] for k in c.liquidacoes if k not in c.estornados)
        reservas = sorted(k[1] for k in c.reservas if k not in c.estornados)
        ev: Evento
        banco = ("1.1.1.1.1.19.00", DB, ENT)
        if acao == "res":
            ev = ReservaDotacao(f"S{n}", ENT, D, DOTACAO, valor)
        elif acao == "ded":
            ev = DeducaoReceita(f"F{n}", ENT, D, "11125001", _fonte(), valor, *banco)
        elif acao in ("ext", "dev"):
            classe = IngressoExtra if acao == "ext" else PagamentoExtra
            ev = classe(f"X{n}", ENT, D, _fonte(), CREDOR, valor, "2.1.8.8.1.04.01", *banco)
        elif acao == "empres" and reservas:
            reserva = reservas[alvo % len(reservas)]
            ev = Empenho(f"E{n}", ENT, D, DOTACAO, _fonte(), CREDOR, valor, reserva=reserva)
        elif acao in ("emp", "empres") or not emps:
            ev = Empenho(f"E{n}", ENT, D, DOTACAO, _fonte(), CREDOR, valor)
        elif acao == "anu":
            ev = AnulacaoEmpenho(f"A{n}", ENT, D, emps[alvo % len(emps)], valor)
        elif acao == "liq" or not liqs:
            ev = Liquidacao(
                f"L{n}",
                ENT,
                D,
                emps[alvo % len(emps)],
                valor,
                "3.3.2.3.1.99.00",
                "2.1.3.1.1.01.01",
                "NF",
            )
        elif acao == "pag":
            ev = Pagamento(
                f"P{n}", ENT, D, liqs[alvo % len(liqs)], valor, "1.1.1.1.1.19.00", DB, ENT
            )
        elif acao == "arr":
            ev = Arrecadacao(
                f"R{n}",
                ENT,
                D,
                "11125001",
                _fonte(),
                valor,
                "1.1.1.1.1.19.00",
                DB,
                ENT,
                "4.1.1.2.1.02.00",
            )
        else:  # estorno do último lançamento, se possível
            if not lancs:
                continue
            ultimo = lancs[-1]
            id_ev = (ultimo.origem or "").removeprefix("evento:")
            inv, _ = estornar_evento(c, ENT, id_ev, ultimo._replace(numero=str(n)), D)
            if inv is not None:
                lancs.append(inv)
                evento = c.eventos[(ENT, id_ev)]
                if isinstance(evento, Pagamento | DeducaoReceita | PagamentoExtra):
                    pago -= evento.valor
                if isinstance(evento, Arrecadacao | IngressoExtra):
                    arrecadado -= evento.valor
            continue
        lanc, _ = executar(c, ev, _roteiros(), _plano())
        if lanc is None:
            continue
        _validar(lanc)
        lancs.append(lanc)
        if isinstance(ev, Pagamento | DeducaoReceita | PagamentoExtra):
            pago += ev.valor
        if isinstance(ev, Arrecadacao | IngressoExtra):
            arrecadado += ev.valor

    for emp in c.empenhos.values():
        assert 0 <= emp.pago <= emp.liquidado <= emp.valor - emp.anulado
    saldos = _saldos(lancs)
    empenhado = -sum(v for (conta, _), v in saldos.items() if conta.startswith("6.2.2.1.3.0"))
    ativos = [e for k, e in c.empenhos.items() if k not in c.estornados]
    assert empenhado == sum(e.valor - e.anulado for e in ativos)
    assert saldos.get(("1.1.1.1.1.19.00", f"FR=1500|DB={DB}"), 0) == arrecadado - pago
    assert c.dotacoes[(ENT, 2026, DOTACAO)].disponivel >= 0
    assert all(r.saldo >= 0 for r in c.reservas.values())
    assert all(v >= 0 for v in c.extras.values())
    assert all(r.deduzido <= r.arrecadado for r in c.receitas.values())
    # e a conferência do verificar (execução × contas de controle) não acha nada
    assert conferir_com_razao(c, ENT, saldos, restos=saldos) == []

    # O encerramento zera o orçamento (5.2/6.2), o resultado (3/4) e a DDR utilizada,
    # mantém cada lançamento fechado por natureza, a DDR (7.2.1.1 = Σ 8.2.1.1 por
    # fonte) e o que o controle inscreveu em restos a pagar igual ao razão.
    enc = EncerramentoExercicio("ENC", ENT, dt.date(2026, 12, 31))
    lancs_e, erros = encerrar_exercicio(c, enc, saldos, _plano(), _roteiros())
    assert erros == []
    for lanc in lancs_e:
        _validar(lanc)
    fechamento = [x for x in lancs_e if x.tipo == TipoLancamento.ENCERRAMENTO]
    abertura = _saldos(x for x in lancs_e if x.tipo == TipoLancamento.ABERTURA)
    saldos = _saldos(lancs + fechamento)
    # A abertura de 2027 leva os saldos finais de 2026 (transpostos).
    assert abertura == saldos_de_abertura(saldos, _plano())[0]
    c.encerrar(enc)
    assert conferir_com_razao(c, ENT, {}, restos=abertura) == []
    assert [k for k, v in saldos.items() if v and k[0].startswith(("3", "4", "5.2", "6.2"))] == []
    assert [k for k, v in saldos.items() if v and k[0].startswith("8.2.1.1.4")] == []
    ddr: dict[str, int] = {}
    for (conta, cc), v in saldos.items():
        if conta.startswith(("7.2.1.1", "8.2.1.1")):
            ddr[cc] = ddr.get(cc, 0) + v
    assert set(ddr.values()) <= {0}
    assert conferir_com_razao(c, ENT, saldos, restos=saldos) == []
    inscrito = sum(ln.saldo for ln in restos_a_pagar(c, ENT))
    assert inscrito == sum(e.a_liquidar for e in ativos) + sum(
        liq.a_pagar for k, liq in c.liquidacoes.items() if k not in c.estornados
    )


def test_creditos_adicionais_e_anulacao_de_dotacao() -> None:
    from erario.execucao.eventos import (
        AnulacaoDotacao,
        CoberturaCredito,
        CreditoAdicional,
        ModalidadeCredito,
    )
    from erario.execucao.relatorios import execucao_despesa

    c = _base()  # dotação inicial de 100.000,00
    outra = "0201.12.365.0001.2002.33903000"
    _rodar(c, DotacaoInicial("D2", ENT, dt.date(2026, 1, 2), outra, _fonte(), 2_000_000))
    anul = _rodar(c, AnulacaoDotacao("AD1", ENT, D, outra, 500_000))
    cc_outra = f"FR=1500|DO={outra}"
    assert partidas(anul) == [
        ("6.2.2.1.1.00.00", "D", 500_000, cc_outra),
        ("5.2.2.1.9.04.00", "C", 500_000, cc_outra),
    ]
    sup = _rodar(
        c,
        CreditoAdicional(
            "CA1",
            ENT,
            D,
            DOTACAO,
            _fonte(),
            500_000,
            ModalidadeCredito.SUPLEMENTAR,
            CoberturaCredito.ANULACAO,
        ),
    )
    assert partidas(sup) == [
        ("5.2.2.1.2.01.00", "D", 500_000, DO_FR),
        ("6.2.2.1.1.00.00", "C", 500_000, DO_FR),
        ("5.2.2.1.3.03.00", "D", 500_000, DO_FR),
        ("5.2.2.1.3.99.00", "C", 500_000, DO_FR),
    ]
    nova = "0201.10.301.0001.2003.33903000"
    extra = _rodar(
        c,
        CreditoAdicional("CA2", ENT, D, nova, _fonte(), 300_000, ModalidadeCredito.EXTRAORDINARIO),
    )
    assert [p[0] for p in partidas(extra)] == [
        "5.2.2.1.2.03.01",
        "6.2.2.1.1.00.00",
    ]  # sem cobertura
    linhas = {ln.dotacao: ln for ln in execucao_despesa(c, ENT)}
    # 100.000,00 + 5.000,00 suplementados; 20.000,00 − 5.000,00 anulados; 3.000,00 extraordinários
    assert (linhas[DOTACAO].dotacao_inicial, linhas[DOTACAO].dotacao_atualizada) == (
        10_000_000,
        10_500_000,
    )
    assert (linhas[outra].dotacao_atualizada, linhas[outra].saldo) == (1_500_000, 1_500_000)
    assert (linhas[nova].dotacao_inicial, linhas[nova].dotacao_atualizada) == (0, 300_000)
    # travas
    assert _recusa(c, AnulacaoDotacao("AD9", ENT, D, outra, 1_500_001)) == [
        f"[EXEC-DOTACAO-SALDO] anulação de 15.000,01 acima do crédito disponível da dotação {outra} (15.000,00)"
    ]
    assert _recusa(
        c,
        CreditoAdicional(
            "CA9",
            ENT,
            D,
            DOTACAO,
            _fonte(),
            1,
            ModalidadeCredito.ESPECIAL,
            CoberturaCredito.EXCESSO,
        ),
    ) == [f"[EXEC-DOTACAO] dotação {DOTACAO} já existe: reforce-a por crédito suplementar"]
    assert _recusa(
        c, CreditoAdicional("CA9", ENT, D, DOTACAO, _fonte(), 1, ModalidadeCredito.SUPLEMENTAR)
    ) == [
        "[EXEC-COBERTURA] crédito suplementar ou especial exige a indicação dos recursos que o cobrem (Lei 4.320/1964, art. 43)"
    ]


def test_ingresso_e_devolucao_extraorcamentarios() -> None:
    from erario.execucao.eventos import IngressoExtra, PagamentoExtra

    c = ControleOrcamentario()
    caucao = "2.1.8.8.1.04.01"  # depósitos e cauções
    banco = ("1.1.1.1.1.19.00", DB, ENT)
    ing = _rodar(c, IngressoExtra("X1", ENT, D, _fonte(), CREDOR, 1_000_000, caucao, *banco))
    assert partidas(ing) == [
        ("1.1.1.1.1.19.00", "D", 1_000_000, f"FR=1500|DB={DB}"),
        ("2.1.8.8.1.04.01", "C", 1_000_000, f"FR=1500|CR={CREDOR}"),
        ("7.2.1.1.3.00.00", "D", 1_000_000, FR),
        ("8.2.1.1.3.02.00", "C", 1_000_000, FR),
    ]
    dev = _rodar(c, PagamentoExtra("X2", ENT, D, _fonte(), CREDOR, 400_000, caucao, *banco))
    assert partidas(dev) == [
        ("2.1.8.8.1.04.01", "D", 400_000, f"FR=1500|CR={CREDOR}"),
        ("1.1.1.1.1.19.00", "C", 400_000, f"FR=1500|DB={DB}"),
        ("8.2.1.1.3.02.00", "D", 400_000, FR),
        ("8.2.1.1.4.02.00", "C", 400_000, FR),
    ]
    # 10.000,00 − 4.000,00 = 6.000,00 a devolver
    assert _recusa(c, PagamentoExtra("X3", ENT, D, _fonte(), CREDOR, 600_001, caucao, *banco)) == [
        f"[EXEC-EXTRA-SALDO] pagamento extraorçamentário de 6.000,01 acima do saldo de {CREDOR} em {caucao} (6.000,00)"
    ]


def test_reserva_de_dotacao() -> None:
    from erario.execucao.eventos import AnulacaoReserva, ReservaDotacao

    c = _base()  # 100.000,00 disponíveis
    res = _rodar(c, ReservaDotacao("RS1", ENT, D, DOTACAO, 2_000_000))
    assert partidas(res) == [
        ("6.2.2.1.1.00.00", "D", 2_000_000, DO_FR),
        ("6.2.2.1.2.02.00", "C", 2_000_000, DO_FR),
    ]
    assert c.dotacoes[(ENT, 2026, DOTACAO)].disponivel == 8_000_000
    emp = _rodar(c, Empenho("E1", ENT, D, DOTACAO, _fonte(), CREDOR, 1_500_000, reserva="RS1"))
    # o empenho da reserva sai do crédito pré-empenhado, não do disponível
    assert partidas(emp)[:2] == [
        ("6.2.2.1.2.02.00", "D", 1_500_000, DO_FR),
        ("6.2.2.1.3.01.00", "C", 1_500_000, DO_FR),
    ]
    assert (c.reservas[(ENT, "RS1")].saldo, c.dotacoes[(ENT, 2026, DOTACAO)].disponivel) == (
        500_000,
        8_000_000,
    )
    assert _recusa(c, Empenho("E2", ENT, D, DOTACAO, _fonte(), CREDOR, 500_001, reserva="RS1")) == [
        "[EXEC-RESERVA-SALDO] empenho de 5.000,01 acima do saldo da reserva RS1 (5.000,00)"
    ]
    anul = _rodar(c, AnulacaoReserva("AR1", ENT, D, "RS1", 500_000))
    assert partidas(anul) == [
        ("6.2.2.1.2.02.00", "D", 500_000, DO_FR),
        ("6.2.2.1.1.00.00", "C", 500_000, DO_FR),
    ]
    # 100.000,00 − 15.000,00 empenhados = 85.000,00 disponíveis; reserva zerada
    assert (c.reservas[(ENT, "RS1")].saldo, c.dotacoes[(ENT, 2026, DOTACAO)].disponivel) == (
        0,
        8_500_000,
    )
    assert _recusa(c, ReservaDotacao("RS2", ENT, D, DOTACAO, 8_500_001)) == [
        f"[EXEC-DOTACAO-SALDO] reserva de 85.000,01 acima do crédito disponível da dotação {DOTACAO} (85.000,00)"
    ]
    assert _recusa(c, Empenho("E3", ENT, D, DOTACAO, _fonte(), CREDOR, 1, reserva="RS9")) == [
        "[EXEC-RESERVA] reserva RS9 não existe"
    ]


def test_execucao_da_despesa_filtrada_por_funcao_e_fonte() -> None:
    from erario.execucao.relatorios import execucao_despesa

    c = _base()  # DOTACAO: função 12 (Educação), fonte 1500
    saude = "0501.10.301.0001.2004.33903000"
    _rodar(c, DotacaoInicial("D2", ENT, dt.date(2026, 1, 2), saude, _fonte("1600"), 500_000))
    assert [ln.dotacao for ln in execucao_despesa(c, ENT)] == [DOTACAO, saude]
    assert [ln.dotacao for ln in execucao_despesa(c, ENT, funcao="10")] == [saude]
    assert [ln.dotacao for ln in execucao_despesa(c, ENT, subfuncao="361")] == [DOTACAO]
    assert [ln.dotacao for ln in execucao_despesa(c, ENT, fonte="1600")] == [saude]
    assert execucao_despesa(c, ENT, funcao="10", fonte="1500") == []


def test_deducao_da_receita_para_o_fundeb() -> None:
    from erario.execucao.eventos import DeducaoReceita, PrevisaoDeducao
    from erario.execucao.relatorios import execucao_receita

    c = ControleOrcamentario()
    fpm = "17115111"
    cc = f"FR=1500|NR={fpm}"
    _rodar(c, PrevisaoReceita("R1", ENT, D, fpm, _fonte(), 1_000_000))
    prev = _rodar(c, PrevisaoDeducao("RD1", ENT, D, fpm, _fonte(), 200_000))
    assert partidas(prev) == [
        ("6.2.1.1.0.00.00", "D", 200_000, cc),
        ("5.2.1.1.2.01.01", "C", 200_000, cc),
    ]
    banco = ("1.1.1.1.1.19.00", DB, ENT)
    _rodar(c, Arrecadacao("A1", ENT, D, fpm, _fonte(), 500_000, *banco, "4.5.2.1.3.02.00"))
    ded = _rodar(c, DeducaoReceita("DD1", ENT, D, fpm, _fonte(), 100_000, *banco))
    assert partidas(ded) == [
        ("6.2.1.3.1.01.00", "D", 100_000, cc),
        ("6.2.1.1.0.00.00", "C", 100_000, cc),
        ("3.5.2.2.4.00.00", "D", 100_000, ""),
        ("1.1.1.1.1.19.00", "C", 100_000, f"FR=1500|DB={DB}"),
        ("8.2.1.1.1.01.00", "D", 100_000, FR),
        ("7.2.1.1.1.00.00", "C", 100_000, FR),
    ]
    # 5.000,00 arrecadados (bruto), 1.000,00 deduzidos: no máximo mais 4.000,00
    (linha,) = execucao_receita(c, ENT)
    assert (linha.arrecadado, linha.deducoes, linha.a_arrecadar) == (500_000, 100_000, 500_000)
    assert _recusa(c, DeducaoReceita("DD2", ENT, D, fpm, _fonte(), 400_001, *banco)) == [
        f"[EXEC-DEDUCAO-SALDO] dedução de 4.000,01 acima do arrecadado e não deduzido da receita {fpm} (4.000,00)"
    ]


# ------------------------------------------------------------ roteiro compilado
_VALORES_ATRIBUTO = st.sampled_from(
    ["E1", "1500", "15000000", CREDOR, DOTACAO, DB, "F", "2025", "11125001", "", "{x}", "a|b"]
)
_CONTAS_VARIAVEIS = st.sampled_from(
    [
        "3.3.2.3.1.99.00",
        "2.1.3.1.1.01.01",
        "1.1.1.1.1.19.00",
        "4.1.1.2.1.02.00",
        "7.2.1.1.1.00.00",
        "6.2.2.1.1.00.00",
        "6.2.2.1.3.00.00",  # sintética
        "9.9.9",  # não existe
        "{conta_vpd}",
        "33231990000",  # só dígitos
    ]
)
_NOMES = [
    "evento", "empenho", "documento", "reserva", "modalidade", "entidade", "entidade_destino",
    "DO", "FR", "CR", "DB", "NR", "FP", "AI",
    "conta_vpd", "conta_passivo", "conta_banco", "conta_vpa", "conta_ddr", "conta_credito",
    "conta_cobertura", "conta_credito_empenho", "conta_banco_destino",
]  # fmt: skip
_COMPLETOS = {
    "evento": "E1",
    "empenho": "E1",
    "documento": "NF 1",
    "reserva": "S1",
    "modalidade": "suplementar",
    "entidade": ENT,
    "entidade_destino": "camara",
    "DO": DOTACAO,
    "FR": "1500",
    "CR": CREDOR,
    "DB": DB,
    "NR": "11125001",
    "FP": "F",
    "AI": "2025",
    "conta_vpd": "3.3.2.3.1.99.00",
    "conta_passivo": "2.1.3.1.1.01.01",
    "conta_banco": "1.1.1.1.1.19.00",
    "conta_vpa": "4.1.1.2.1.02.00",
    "conta_ddr": "7.2.1.1.1.00.00",
    "conta_credito": "5.2.2.1.2.01.00",
    "conta_cobertura": "5.2.2.1.3.02.00",
    "conta_credito_empenho": "6.2.2.1.1.00.00",
    "conta_banco_destino": "1.1.1.1.1.19.00",
}
_VALOR_QUALQUER = st.one_of(_VALORES_ATRIBUTO, _CONTAS_VARIAVEIS)
# Atributos completos com poucas trocas e faltas (o roteiro quase sempre fecha) ou quaisquer.
_ATRIBUTOS = st.one_of(
    st.tuples(
        st.dictionaries(st.sampled_from(_NOMES), _VALOR_QUALQUER, max_size=2),
        st.sets(st.sampled_from(_NOMES), max_size=2),
    ).map(lambda t: {k: v for k, v in {**_COMPLETOS, **t[0]}.items() if k not in t[1]}),
    st.dictionaries(st.sampled_from(_NOMES), _VALOR_QUALQUER, max_size=14),
)
_CACHE_COMPARTILHADO = CacheContas()  # entre exemplos: a memória não pode misturar nada


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(roteiros_padrao())),
    _ATRIBUTOS,
    st.integers(-1, 10**9),
    st.sampled_from([None, "EVE1"]),
)
def test_roteiro_compilado_igual_ao_caminho_completo(
    tipo: str, atributos: dict[str, str], centavos: int, numero: str | None
) -> None:
    """``contabilizar`` com ``CacheContas`` (roteiro compilado) dá o mesmo
    lançamento ou os mesmos erros que sem cache, com atributos quaisquer."""
    roteiro = _roteiros()[tipo]
    esperado = contabilizar(roteiro, _plano(), ENT, D, centavos, atributos, numero=numero)
    for memoria in (CacheContas(), _CACHE_COMPARTILHADO):
        obtido = contabilizar(roteiro, _plano(), ENT, D, centavos, atributos, memoria, numero)
        assert obtido == esperado


def test_roteiro_compilado_com_contas_erradas_relata_como_o_completo() -> None:
    roteiros, erros = ler_roteiros(
        """
[x]
descricao = "x"
referencia = "y"
historico = "X {evento} {{literal}} {FR"
pares = [
  { natureza = "P", debito = "6.2.2.1.1.00.00", credito = "6.2.2.1.3.00.00" },
  { natureza = "C", debito = "{conta_ddr}", credito = "8.2.1.1.1.00.00", se = "conta_ddr" },
  { natureza = "O", debito = "6.2.2.1.1.00.00", credito = "6.2.2.1.3.01.00" },
]
"""
    )
    assert erros == []
    for atributos in (
        {"evento": "E1", "FR": "1500"},
        {"evento": "E1", "FR": "1500", "conta_ddr": "7.2.1.1.1.00.00", "DO": DOTACAO},
    ):
        esperado = contabilizar(roteiros["x"], _plano(), ENT, D, 100, atributos)
        assert esperado[0] is None and esperado[1]
        assert contabilizar(roteiros["x"], _plano(), ENT, D, 100, atributos, CacheContas()) == (
            esperado
        )
