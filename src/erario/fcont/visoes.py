"""As duas visões de cada saldo: societária (comercial) e fiscal (FCONT).

Cada visão é uma soma com sinal dos livros do razão (``fcont.lancamentos_fiscais``),
exatamente como o manual calcula os saldos do registro M155 (Anexo I, item
2.6.4.5, "Cálculo do Saldo Final Societário" e "Cálculo do Saldo Final
Fiscal", com os "Saldos Iniciais Ajustados"):

- societária = comercial (débitos e créditos contábeis: livro C) + IS + TS;
- fiscal = comercial + IF + TR + TF + EF − X + F.

O X repete o lançamento comercial com o mesmo D/C; subtraí-lo é o expurgo
("(−) Expurgos Devedores, (+) Expurgos Credores"). Nas contas de resultado
(M355, "Cálculo do Saldo Fiscal Final após Lançamentos") a fiscal antes do
encerramento é a societária − X + F; o EF a leva a zero (``encerramento_fiscal``).

Funções puras sobre totais por conta: (anterior, débitos, créditos) com sinal,
em centavos, + devedor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Final

from erario.fcont.lancamentos_fiscais import TIPOS, TipoFiscal
from erario.razao.modelo import LIVRO_CONTABIL


class Visao(StrEnum):
    SOCIETARIA = "societaria"
    FISCAL = "fiscal"


# Livro → sinal com que entra em cada visão (uma tabela, do manual, item 2.6.4.5).
COMPOSICAO: Final[Mapping[Visao, Mapping[str, int]]] = {
    Visao.SOCIETARIA: {
        LIVRO_CONTABIL: +1,
        TIPOS[TipoFiscal.IS].livro: +1,
        TIPOS[TipoFiscal.TS].livro: +1,
    },
    Visao.FISCAL: {
        LIVRO_CONTABIL: +1,
        TIPOS[TipoFiscal.IF].livro: +1,
        TIPOS[TipoFiscal.TR].livro: +1,
        TIPOS[TipoFiscal.TF].livro: +1,
        TIPOS[TipoFiscal.EF].livro: +1,
        TIPOS[TipoFiscal.X].livro: -1,
        TIPOS[TipoFiscal.F].livro: +1,
    },
}

# (conta, conta corrente) → [anterior, débitos, créditos], como em razao.balancete.
Totais = Mapping[tuple[str, str], Sequence[int]]


def totais_na_visao(
    por_livro: Mapping[str, Totais], visao: Visao
) -> dict[tuple[str, str], list[int]]:
    """Soma os totais de cada livro com o sinal da visão. O livro que entra com
    sinal negativo (o expurgo) troca débitos por créditos: expurgar um débito é
    creditar a conta na visão fiscal."""
    saida: dict[tuple[str, str], list[int]] = {}
    for livro, sinal in COMPOSICAO[visao].items():
        for chave, (ant, deb, cred) in por_livro.get(livro, {}).items():
            t = saida.setdefault(chave, [0, 0, 0])
            if sinal > 0:
                t[0] += ant
                t[1] += deb
                t[2] += cred
            else:
                t[0] -= ant
                t[1] += cred
                t[2] += deb
    return saida


def saldos_na_visao(por_livro: Mapping[str, Mapping[str, int]], visao: Visao) -> dict[str, int]:
    """Saldo final com sinal (+ devedor) por conta na visão: soma dos livros com sinal."""
    saida: dict[str, int] = {}
    for livro, sinal in COMPOSICAO[visao].items():
        for conta, v in por_livro.get(livro, {}).items():
            saida[conta] = saida.get(conta, 0) + sinal * v
    return {c: v for c, v in saida.items() if v}
