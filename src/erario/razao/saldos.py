"""Saldos mensais derivados do razão.

Para cada (entidade, exercício, livro, conta, conta corrente) guarda-se uma
linha por período (0 abertura, 1–12, 13 encerramento) desde o primeiro período
com movimento até o 13: débitos e créditos do período e acumulados até ele.
Assim o balancete de qualquer intervalo lê só as linhas do primeiro e do último
período, sem varrer o razão. Tudo aqui é puro e serve tanto para manter os
saldos a cada lançamento quanto para recalculá-los do zero (``verificar``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

PERIODO_ABERTURA = 0
PERIODO_ENCERRAMENTO = 13
PERIODOS = range(PERIODO_ABERTURA, PERIODO_ENCERRAMENTO + 1)


class ChaveSaldo(NamedTuple):
    entidade_id: int
    ano: int
    livro: str
    conta_id: int
    conta_corrente: str


class LinhaSaldo(NamedTuple):
    """Uma linha da tabela de saldos (valores em centavos)."""

    entidade_id: int
    ano: int
    livro: str
    periodo: int
    conta_id: int
    conta_corrente: str
    debito_mes: int
    credito_mes: int
    debito_acum: int
    credito_acum: int


# Movimentos agregados: chave → período → [débitos, créditos]
Movimentos = dict[ChaveSaldo, dict[int, list[int]]]


def acumular(
    movimentos: Movimentos, chave: ChaveSaldo, periodo: int, dc: str, centavos: int
) -> None:
    """Soma uma partida aos movimentos agregados."""
    por_periodo = movimentos.get(chave)
    if por_periodo is None:
        por_periodo = movimentos[chave] = {}
    par = por_periodo.get(periodo)
    if par is None:
        par = por_periodo[periodo] = [0, 0]
    if dc == "D":
        par[0] += centavos
    else:
        par[1] += centavos


def linhas_de_movimentos(movimentos: Movimentos) -> list[LinhaSaldo]:
    """Linhas densas (do primeiro período movimentado até o 13) com acumulados.

    Aplicadas como incremento (``upsert`` somando), dão o saldo correto mesmo
    quando a chave já existe a partir de outro período.
    """
    linhas: list[LinhaSaldo] = []
    # tuple.__new__ direto: o __new__ gerado do NamedTuple custa o dobro, e aqui
    # são ~14 linhas por conta movimentada.
    nova = tuple.__new__
    zero = (0, 0)
    for (eid, ano, livro, conta_id, cc), por_periodo in movimentos.items():
        d_acum = c_acum = 0
        for periodo in range(min(por_periodo), PERIODO_ENCERRAMENTO + 1):
            d, c = por_periodo.get(periodo, zero)
            d_acum += d
            c_acum += c
            linhas.append(
                nova(LinhaSaldo, (eid, ano, livro, periodo, conta_id, cc, d, c, d_acum, c_acum))
            )
    return linhas


# Movimentos por período: (entidade, exercício, livro, período) → (conta, conta corrente) → [d, c]
MovimentosPorPeriodo = dict[tuple[int, int, str, int], dict[tuple[int, str], list[int]]]


def linhas_por_periodo(movimentos: MovimentosPorPeriodo) -> list[LinhaSaldo]:
    """As mesmas linhas densas de ``linhas_de_movimentos``, a partir dos movimentos
    agrupados por período (o formato das cargas), já na ordem da chave da tabela
    de saldos (entidade, exercício, livro, período, conta, conta corrente)."""
    grupos: dict[tuple[int, int, str], dict[int, dict[tuple[int, str], list[int]]]] = {}
    for (eid, ano, livro, periodo), contas in movimentos.items():
        grupos.setdefault((eid, ano, livro), {})[periodo] = contas
    linhas: list[LinhaSaldo] = []
    nova = tuple.__new__  # ver linhas_de_movimentos
    zero = (0, 0)
    for (eid, ano, livro), por_periodo in sorted(grupos.items()):
        primeiro: dict[tuple[int, str], int] = {}
        for periodo in sorted(por_periodo):
            for chave in por_periodo[periodo]:
                primeiro.setdefault(chave, periodo)
        chaves = sorted(primeiro)
        acumulado = {chave: [0, 0] for chave in chaves}
        for periodo in PERIODOS:
            # do primeiro período com movimento em diante (linhas densas)
            ativas = [ch for ch in chaves if primeiro[ch] <= periodo]
            contas = por_periodo.get(periodo, {})
            for chave in ativas:
                d, c = contas.get(chave, zero)
                a = acumulado[chave]
                a[0] += d
                a[1] += c
                linhas.append(
                    nova(LinhaSaldo, (eid, ano, livro, periodo, *chave, d, c, a[0], a[1]))
                )
    return linhas


class PartidaRazao(NamedTuple):
    """Partida como lida do razão, com o que importa para os saldos."""

    entidade_id: int
    ano: int
    livro: str
    periodo: int
    conta_id: int
    conta_corrente: str
    dc: str
    centavos: int


def saldos_do_razao(partidas: Iterable[PartidaRazao]) -> list[LinhaSaldo]:
    """Recalcula do zero a tabela de saldos a partir das partidas do razão."""
    movimentos: Movimentos = {}
    for p in partidas:
        chave = ChaveSaldo(p.entidade_id, p.ano, p.livro, p.conta_id, p.conta_corrente)
        acumular(movimentos, chave, p.periodo, p.dc, p.centavos)
    return linhas_de_movimentos(movimentos)
