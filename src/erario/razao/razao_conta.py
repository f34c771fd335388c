"""Razão de uma conta: saldo anterior, cada partida do período e o saldo corrido.

Função pura sobre as partidas já lidas do banco. Saldos com sinal: positivo
devedor, negativo credor (como no balancete).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple


class MovimentoConta(NamedTuple):
    data: dt.date
    numero: str
    historico: str
    conta: str
    conta_corrente: str
    dc: str
    centavos: int


class LinhaRazao(NamedTuple):
    data: str  # ISO; vazio na linha do saldo anterior
    numero: str
    historico: str
    conta: str
    conta_corrente: str
    debito: int
    credito: int
    saldo: int  # corrido, com sinal


def razao_de_conta(
    anterior: int, movimentos: Iterable[MovimentoConta], rotulo: str = "Saldo anterior"
) -> list[LinhaRazao]:
    """A primeira linha leva o saldo de partida (``rotulo``: "Saldo transportado"
    numa página do meio) e cada partida, o saldo corrido."""
    linhas = [LinhaRazao("", "", rotulo, "", "", 0, 0, anterior)]
    saldo = anterior
    for m in movimentos:
        d, c = (m.centavos, 0) if m.dc == "D" else (0, m.centavos)
        saldo += d - c
        linhas.append(
            LinhaRazao(
                m.data.isoformat(), m.numero, m.historico, m.conta, m.conta_corrente, d, c, saldo
            )
        )
    return linhas
