"""Encerramento do exercício e abertura do seguinte, a partir dos saldos.

Função pura: controle (o que inscrever em restos a pagar) + saldos do razão em
31/12 + plano → os lançamentos, na ordem em que o MCASP os descreve (Parte I,
encerramento do exercício; Parte IV, funcionamento das classes 5, 6, 7 e 8):

1. inscrição de restos a pagar (roteiros ``inscricao_rpnp`` e ``inscricao_rpp``,
   por dotação e fonte, com o ano de inscrição como conta corrente AI);
2. encerramento das contas orçamentárias: zera 5.2 e 6.2 (previsão × realização
   da receita, fixação × execução da despesa) e baixa os RP pagos e cancelados
   no exercício (6.3.x.4/9 contra 5.3.x.1/2);
3. encerramento da DDR utilizada no exercício (8.2.1.1.4 contra 7.2.1.1, por
   fonte); a DDR disponível e a comprometida (RP) atravessam o exercício, e
   7.2.1.1 continua igual à soma de 8.2.1.1.1 a 8.2.1.1.3 em cada fonte;
4. apuração do resultado patrimonial: zera as classes 3 e 4 contra
   2.3.7.1.x.01 (superávits ou déficits do exercício), no mesmo nível de
   consolidação (5º nível da VPA/VPD);
5. abertura (1º de janeiro seguinte): o inscrito no exercício passa a inscrito
   (5.3.x.7 → 5.3.x.1, 6.3.x.7 → 6.3.x.1), o inscrito antes passa a exercícios
   anteriores (5.3.x.1 → 5.3.x.2) e o resultado do exercício a resultado de
   exercícios anteriores (2.3.7.1.x.01 → 2.3.7.1.x.02).

Saldos com sinal (+ devedor, − credor) por (conta, conta corrente).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import EncerramentoExercicio
from erario.execucao.roteiros import Roteiro, contabilizar
from erario.orcamento.classificacao import ler_fonte
from erario.razao.modelo import (
    Lancamento,
    Partida,
    PlanoContas,
    TipoLancamento,
    atributos_cc,
    texto_cc,
)

Saldos = dict[tuple[str, str], int]

# RP executados no exercício → a inscrição que baixam (a do ano anterior, senão a
# de exercícios anteriores): MCASP Parte IV, 6.3.1.4/6.3.1.9 e 6.3.2.2/6.3.2.9.
BAIXA_RP: Final = (
    ("6.3.1.4.0.00.00", ("5.3.1.1.0.00.00", "5.3.1.2.0.00.00")),
    ("6.3.1.9.9.00.00", ("5.3.1.1.0.00.00", "5.3.1.2.0.00.00")),
    ("6.3.2.2.0.00.00", ("5.3.2.1.0.00.00", "5.3.2.2.0.00.00")),
    ("6.3.2.9.0.00.00", ("5.3.2.1.0.00.00", "5.3.2.2.0.00.00")),
)
DDR_UTILIZADA: Final = "8.2.1.1.4."
# Ordem em que a DDR utilizada baixa o controle da disponibilidade da fonte.
CONTROLE_DDR: Final = (
    "7.2.1.1.1.00.00",
    "7.2.1.1.2.00.00",
    "7.2.1.1.3.00.00",
    "7.2.1.1.4.00.00",
    "7.2.1.1.9.00.00",
)
RESULTADO_EXERCICIO: Final = "2.3.7.1.{}.01.00"
RESULTADO_ANTERIORES: Final = "2.3.7.1.{}.02.00"
# Abertura: (de, para), todos com o saldo de 31/12 (depois do encerramento).
TRANSPORTE_ABERTURA: Final = (
    ("5.3.1.1.0.00.00", "5.3.1.2.0.00.00"),
    ("5.3.2.1.0.00.00", "5.3.2.2.0.00.00"),
    ("5.3.1.7.0.00.00", "5.3.1.1.0.00.00"),
    ("5.3.2.7.0.00.00", "5.3.2.1.0.00.00"),
    ("6.3.1.7.1.00.00", "6.3.1.1.0.00.00"),
    ("6.3.1.7.2.00.00", "6.3.1.2.0.00.00"),
    ("6.3.2.7.0.00.00", "6.3.2.1.0.00.00"),
    *((RESULTADO_EXERCICIO.format(n), RESULTADO_ANTERIORES.format(n)) for n in range(1, 6)),
)


def encerrar_exercicio(
    controle: ControleOrcamentario,
    ev: EncerramentoExercicio,
    saldos: Mapping[tuple[str, str], int],
    plano: PlanoContas,
    roteiros: Mapping[str, Roteiro],
) -> tuple[list[Lancamento], list[Erro]]:
    """Os lançamentos do encerramento de ``ev.data.year`` e da abertura do
    exercício seguinte (só os que têm partidas), ou todos os erros.
    ``saldos``: todo o razão da entidade até 31/12, sem o encerramento."""
    erros = controle.conferir_encerramento(ev)
    ano = ev.data.year
    atual: Saldos = {}
    for (conta, cc), v in saldos.items():
        chave = (conta, _canonica(cc))
        atual[chave] = atual.get(chave, 0) + v
    lancs: list[Lancamento] = []

    def registrar(historico: str, partidas: list[Partida], data: dt.date, tipo: str) -> None:
        if not partidas:
            return
        lanc = Lancamento(
            ev.entidade,
            data,
            historico,
            tuple(partidas),
            tipo=TipoLancamento(tipo),
            origem=f"evento:{ev.id}",
        )
        lancs.append(lanc)
        somar_partidas(atual, partidas)

    fim = ev.data
    registrar(
        f"Inscrição de restos a pagar do exercício {ano}",
        _inscricao(controle, ev, plano, roteiros, erros),
        fim,
        TipoLancamento.ENCERRAMENTO,
    )
    registrar(
        f"Encerramento das contas orçamentárias do exercício {ano}",
        _encerramento_orcamentario(atual, erros),
        fim,
        TipoLancamento.ENCERRAMENTO,
    )
    registrar(
        f"Encerramento da DDR utilizada no exercício {ano}",
        _encerramento_ddr(atual),
        fim,
        TipoLancamento.ENCERRAMENTO,
    )
    registrar(
        f"Apuração do resultado patrimonial do exercício {ano}",
        _apuracao_resultado(atual, plano),
        fim,
        TipoLancamento.ENCERRAMENTO,
    )
    registrar(
        f"Abertura do exercício {ano + 1}: restos a pagar e resultado de {ano}",
        _abertura(atual),
        dt.date(ano + 1, 1, 1),
        TipoLancamento.ABERTURA,
    )
    return ([], erros) if erros else (lancs, [])


def somar_partidas(saldos: Saldos, partidas: Iterable[Partida]) -> None:
    """Soma as partidas aos saldos (+ devedor); saldo zerado sai do mapa. A conta
    corrente vai para o texto canônico (o que o razão grava)."""
    for p in partidas:
        chave = (p.conta, _canonica(p.conta_corrente))
        v = saldos.get(chave, 0) + (p.centavos if p.dc == "D" else -p.centavos)
        if v:
            saldos[chave] = v
        else:
            saldos.pop(chave, None)


def _canonica(cc: str) -> str:
    return texto_cc(atributos_cc(cc)) if "|" in cc else cc


def _zerar(conta: str, cc: str, saldo: int) -> Partida:
    """A partida que leva o saldo da conta corrente a zero."""
    return Partida(conta, "C" if saldo > 0 else "D", abs(saldo), cc)


def _inscricao(
    controle: ControleOrcamentario,
    ev: EncerramentoExercicio,
    plano: PlanoContas,
    roteiros: Mapping[str, Roteiro],
    erros: list[Erro],
) -> list[Partida]:
    ano = ev.data.year
    # Por dotação e fonte: a conta corrente das contas 5.3/6.3 não distingue
    # empenhos; o controle guarda o RP de cada um.
    grupos: dict[tuple[str, str, str], int] = {}
    for _, emp, a_pagar in controle.empenhos_a_inscrever(ev.entidade, ano):
        for roteiro, valor in (("inscricao_rpnp", emp.a_liquidar), ("inscricao_rpp", a_pagar)):
            if valor > 0:
                chave = (roteiro, emp.dotacao, emp.fonte)
                grupos[chave] = grupos.get(chave, 0) + valor
    partidas: list[Partida] = []
    for (roteiro, dotacao, fonte), valor in sorted(grupos.items()):
        atributos = {"DO": dotacao, "FR": fonte, "AI": str(ano), "evento": ev.id}
        lanc, erros_r = contabilizar(
            roteiros[roteiro], plano, ev.entidade, ev.data, valor, atributos
        )
        erros += erros_r
        if lanc is not None:
            partidas += (
                p._replace(conta_corrente=_canonica(p.conta_corrente)) for p in lanc.partidas
            )
    return partidas


def _baixar_em_ordem(
    saldos: Saldos, contas: Iterable[str], cc: str, valor: int, partidas: list[Partida]
) -> int:
    """Credita ``valor`` nas contas, em ordem, cada uma até o seu saldo devedor na
    conta corrente ``cc``; devolve o que sobrou."""
    for conta in contas:
        parte = min(valor, max(saldos.get((conta, cc), 0), 0))
        if parte > 0:
            partidas.append(Partida(conta, "C", parte, cc))
            valor -= parte
    return valor


def _encerramento_orcamentario(saldos: Saldos, erros: list[Erro]) -> list[Partida]:
    ordenados = sorted(saldos.items())
    partidas = [
        _zerar(conta, cc, v) for (conta, cc), v in ordenados if conta.startswith(("5.2.", "6.2."))
    ]
    diferenca = sum(v for (conta, _), v in saldos.items() if conta.startswith(("5.2.", "6.2.")))
    if diferenca:
        erros.append(
            Erro(
                "EXEC-ENCERRAMENTO",
                "as contas orçamentárias 5.2 e 6.2 não fecham entre si: diferença de "
                f"{formatar_brl(abs(diferenca))} (lançamentos manuais nessas contas?)",
            )
        )
    for executado, inscricoes in BAIXA_RP:
        for (conta, cc), v in ordenados:
            if conta != executado:
                continue
            partidas.append(_zerar(conta, cc, v))
            # O saldo credor do executado (-v) baixa as inscrições, na ordem.
            if _baixar_em_ordem(saldos, inscricoes, cc, -v, partidas):
                erros.append(
                    Erro(
                        "EXEC-ENCERRAMENTO",
                        f"{conta} ({cc}) executou {formatar_brl(-v)}, "
                        f"mais do que a inscrição em {' ou '.join(inscricoes)}",
                    )
                )
    return partidas


def _encerramento_ddr(saldos: Saldos) -> list[Partida]:
    utilizada: dict[str, int] = {}
    partidas: list[Partida] = []
    for (conta, cc), v in sorted(saldos.items()):
        if conta.startswith(DDR_UTILIZADA):
            partidas.append(_zerar(conta, cc, v))
            utilizada[cc] = utilizada.get(cc, 0) - v
    for cc, total in sorted(utilizada.items()):
        valor = _baixar_em_ordem(saldos, CONTROLE_DDR, cc, total, partidas)
        if valor:
            # Utilizou-se mais do que entrou na fonte (insuficiência financeira): o
            # excesso baixa o controle do tipo da fonte, que fica credor.
            fonte, _ = ler_fonte(atributos_cc(cc).get("FR", ""))
            vinculada = fonte is not None and fonte.vinculada
            partidas.append(Partida(CONTROLE_DDR[1 if vinculada else 0], "C", valor, cc))
    return partidas


def _apuracao_resultado(saldos: Saldos, plano: PlanoContas) -> list[Partida]:
    partidas: list[Partida] = []
    resultado: dict[str, int] = {}
    for (conta, cc), v in sorted(saldos.items()):
        if conta[0] not in "34":
            continue
        partidas.append(_zerar(conta, cc, v))
        # 5º nível da VPA/VPD: 1 consolidação, 2 intra OFSS, 3–5 inter OFSS.
        destino = RESULTADO_EXERCICIO.format(conta.split(".")[4])
        conta_destino = plano.contas.get(destino)
        if conta_destino is None or not conta_destino.analitica:
            destino = RESULTADO_EXERCICIO.format(1)
        resultado[destino] = resultado.get(destino, 0) + v
    for destino, v in sorted(resultado.items()):
        if v:
            partidas.append(Partida(destino, "D" if v > 0 else "C", abs(v), ""))
    return partidas


def _abertura(saldos: Saldos) -> list[Partida]:
    partidas: list[Partida] = []
    ordenados = sorted(saldos.items())
    for de, para in TRANSPORTE_ABERTURA:
        for (conta, cc), v in ordenados:
            if conta == de:
                partidas.append(_zerar(conta, cc, v))
                partidas.append(Partida(para, "D" if v > 0 else "C", abs(v), cc))
    return partidas
