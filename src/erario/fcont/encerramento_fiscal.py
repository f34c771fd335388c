"""Proposta dos lançamentos EF (encerramento fiscal) de um período de apuração.

Manual, Anexo I, registro I200, Observação I: "Para toda conta de resultado o
somatório dos lançamentos EF deve ser igual ao inverso do somatório dos
lançamentos do tipo F e X"; e REGRA_ENCER_FISCAL: para cada conta de resultado
(I050.COD_NAT = 4), EF + F + TR + (−)X = 0. Com valores com sinal (+ devedor), e
o X entrando negativo (ele é expurgado), o EF de cada conta de resultado é

    EF = −(F + TR − X)

O exemplo do manual (parte IV, depreciação do Parecer Normativo RFB nº 1/2011):
X = 1.200,00 D e F = 2.500,00 D na despesa de depreciação dão EF = 1.300,00 a
crédito da despesa. A contrapartida vai para a conta de patrimônio líquido (ou
de apuração do resultado, natureza 03/04) que o contador escolhe (Observação
II: o EF transfere os ajustes para o patrimônio líquido). A proposta é um
lançamento EF; o contador a confere e confirma (só então vai ao razão).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import NamedTuple

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.fcont.lancamentos_fiscais import TIPOS, TipoFiscal, lancamento_fiscal
from erario.fcont.livros import Natureza
from erario.razao.modelo import Lancamento, Partida

# Livro → sinal no ajuste fiscal das contas de resultado (REGRA_ENCER_FISCAL).
_AJUSTE: dict[str, int] = {
    TIPOS[TipoFiscal.F].livro: +1,
    TIPOS[TipoFiscal.TR].livro: +1,
    TIPOS[TipoFiscal.X].livro: -1,
}
LIVRO_EF = TIPOS[TipoFiscal.EF].livro


class AjusteConta(NamedTuple):
    conta: str
    ajuste: int  # F + TR − X, com sinal (+ devedor)
    ef_existente: int  # EF já lançado no período, com sinal
    ef_proposto: int  # o que falta: −ajuste − EF existente


def ajustes_de_resultado(
    saldos_por_livro: Mapping[str, Mapping[str, int]], naturezas: Mapping[str, Natureza]
) -> list[AjusteConta]:
    """Por conta de resultado com ajuste ou EF: o ajuste (F + TR − X), o EF já
    lançado e o EF que falta para zerar (REGRA_ENCER_FISCAL)."""
    contas = {
        c
        for livro in (*_AJUSTE, LIVRO_EF)
        for c in saldos_por_livro.get(livro, {})
        if naturezas.get(c) == Natureza.RESULTADO
    }
    saida = []
    for c in sorted(contas):
        ajuste = sum(s * saldos_por_livro.get(livro, {}).get(c, 0) for livro, s in _AJUSTE.items())
        ef = saldos_por_livro.get(LIVRO_EF, {}).get(c, 0)
        if ajuste or ef:
            saida.append(AjusteConta(c, ajuste, ef, -ajuste - ef))
    return saida


def propor_ef(
    entidade: str,
    data: dt.date,
    saldos_por_livro: Mapping[str, Mapping[str, int]],
    naturezas: Mapping[str, Natureza],
    contrapartida: str,
    numero: str | None = None,
) -> tuple[Lancamento | None, list[AjusteConta], list[Erro]]:
    """O lançamento EF que encerra os ajustes fiscais das contas de resultado
    contra ``contrapartida``; ``None`` sem nada a encerrar (Σ F + X = 0 em toda
    conta: "não são necessários lançamentos do tipo EF")."""
    erros = []
    nat = naturezas.get(contrapartida)
    if nat not in (Natureza.PATRIMONIO_LIQUIDO, Natureza.RESULTADO):
        erros.append(
            Erro(
                "FCONT-EF-CONTRAPARTIDA",
                f"a contrapartida do EF ({contrapartida}) deve ser conta de patrimônio líquido "
                "(03) ou de apuração do resultado (04) do plano da empresa",
                "contrapartida",
            )
        )
        return None, [], erros
    ajustes = [
        a for a in ajustes_de_resultado(saldos_por_livro, naturezas) if a.conta != contrapartida
    ]
    partidas = [
        Partida(a.conta, "D" if a.ef_proposto > 0 else "C", abs(a.ef_proposto))
        for a in ajustes
        if a.ef_proposto
    ]
    if not partidas:
        return None, ajustes, []
    liquido = sum(a.ef_proposto for a in ajustes)
    if liquido:
        partidas.append(Partida(contrapartida, "C" if liquido > 0 else "D", abs(liquido)))
    historico = (
        "Encerramento fiscal (EF) dos ajustes X e F das contas de resultado: "
        + formatar_brl(abs(liquido))
        + (" a débito do PL" if liquido < 0 else " a crédito do PL" if liquido else "")
    )
    lanc, erros = lancamento_fiscal(
        TipoFiscal.EF,
        entidade,
        data,
        historico,
        partidas,
        naturezas,
        numero=numero,
        origem="fcont-ef",
    )
    return lanc, ajustes, erros
