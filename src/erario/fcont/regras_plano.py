"""Regras do plano de contas (I050), do mapeamento referencial (I051), dos
centros de custos (I100) e das contas usadas nos saldos, lançamentos e no M025
(REGRA_CONTA_PARA_LANCAMENTO e afins), Anexo I, item 2.7."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from erario.core.erros import Erro
from erario.fcont.arquivo import RegistroI050
from erario.fcont.regras_estrutura import (
    PATRIMONIAIS,
    Contexto,
    Regra,
    data_br,
    erro,
    registrador,
)

REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)


@regra("REGRA_MAIOR_QUE_UM")
def maior_que_um(c: Contexto) -> Iterator[Erro]:
    for conta in c.bi.plano:
        if conta.nivel < 1:
            yield erro("REGRA_MAIOR_QUE_UM", "I050", "nivel", conta.linha, "NIVEL menor que 1")


@regra("REGRA_ANALITICA_NIVEL3")
def analitica_nivel3(c: Contexto) -> Iterator[Erro]:
    for conta in c.bi.plano:
        if conta.ind_cta == "A" and conta.nivel < 4 and conta.cod_nat in PATRIMONIAIS:
            yield erro(
                "REGRA_ANALITICA_NIVEL3",
                "I050",
                "nivel",
                conta.linha,
                f"conta patrimonial analítica {conta.cod_cta} no nível {conta.nivel} (mínimo 4)",
            )


@regra("REGRA_COD_CTA_SUP_OBRIGATORIO")
def cta_sup_obrigatorio(c: Contexto) -> Iterator[Erro]:
    for conta in c.bi.plano:
        if conta.nivel > 1 and not conta.cod_cta_sup:
            yield erro(
                "REGRA_COD_CTA_SUP_OBRIGATORIO",
                "I050",
                "cod_cta_sup",
                conta.linha,
                f"conta {conta.cod_cta} de nível {conta.nivel} sem conta superior",
            )


@regra("REGRA_CONTA_SUPERIOR_NAO_SE_APLICA")
def superior_nao_se_aplica(c: Contexto) -> Iterator[Erro]:
    for conta in c.bi.plano:
        if conta.nivel == 1 and conta.cod_cta_sup:
            yield erro(
                "REGRA_CONTA_SUPERIOR_NAO_SE_APLICA",
                "I050",
                "cod_cta_sup",
                conta.linha,
                f"conta {conta.cod_cta} de nível 1 com conta superior",
            )


def _com_superior(c: Contexto) -> Iterator[tuple[RegistroI050, list[RegistroI050]]]:
    for conta in c.bi.plano:
        if conta.nivel > 1 and conta.cod_cta_sup:
            yield conta, c.versoes.get(conta.cod_cta_sup, [])


@regra("REGRA_CONTA_SUP_NO_PLANO_CONTAS")
def sup_no_plano(c: Contexto) -> Iterator[Erro]:
    # Acionada pela REGRA_CTA_DE_NIVEL_SUPERIOR_INVALIDA (NIVEL > 1).
    for conta, sup in _com_superior(c):
        if not sup:
            yield erro(
                "REGRA_CONTA_SUP_NO_PLANO_CONTAS",
                "I050",
                "cod_cta_sup",
                conta.linha,
                f"conta superior {conta.cod_cta_sup} não está no plano de contas",
            )


@regra("REGRA_CONTA_NIVEL_SUPERIOR_NAO_SINTETICA")
def sup_nao_sintetica(c: Contexto) -> Iterator[Erro]:
    for conta, sup in _com_superior(c):
        if sup and all(s.ind_cta != "S" for s in sup):
            yield erro(
                "REGRA_CONTA_NIVEL_SUPERIOR_NAO_SINTETICA",
                "I050",
                "cod_cta_sup",
                conta.linha,
                f"conta superior {conta.cod_cta_sup} é analítica",
            )


@regra("REGRA_NIVEL_DE_CONTA_NIVEL_SUPERIOR_INVALIDO")
def nivel_superior(c: Contexto) -> Iterator[Erro]:
    for conta, sup in _com_superior(c):
        if sup and all(s.nivel != conta.nivel - 1 for s in sup):
            yield erro(
                "REGRA_NIVEL_DE_CONTA_NIVEL_SUPERIOR_INVALIDO",
                "I050",
                "nivel",
                conta.linha,
                f"conta superior {conta.cod_cta_sup} não está no nível {conta.nivel - 1}",
            )


@regra("REGRA_NATUREZA_CONTA")
def natureza_conta(c: Contexto) -> Iterator[Erro]:
    for conta, sup in _com_superior(c):
        anteriores = [s for s in sup if s.dt_alt <= conta.dt_alt]
        if conta.nivel <= 2 or not anteriores:
            continue
        pai = anteriores[-1]
        excecao = conta.ind_cta == "S" and conta.cod_nat == "03" and pai.cod_nat == "02"
        if pai.cod_nat != conta.cod_nat and not excecao:
            yield erro(
                "REGRA_NATUREZA_CONTA",
                "I050",
                "cod_nat",
                conta.linha,
                f"natureza {conta.cod_nat} diferente da conta superior ({pai.cod_nat})",
            )


@regra("REGRA_REGISTRO_OBRIGATORIO_I051")
def obrigatorio_i051(c: Contexto) -> Iterator[Erro]:
    for conta in c.bi.plano:
        nat = conta.cod_nat in ("01", "02", "03", "04")
        if conta.ind_cta == "A" and nat and not conta.referenciais:
            yield erro(
                "REGRA_REGISTRO_OBRIGATORIO_I051",
                "I050",
                "cod_cta",
                conta.linha,
                f"conta analítica {conta.cod_cta} sem mapeamento referencial (I051)",
            )


@regra("REGRA_REGISTRO_PARA_CONTA_ANALITICA")
def i051_em_analitica(c: Contexto) -> Iterator[Erro]:
    for conta in c.bi.plano:
        if conta.ind_cta != "A":
            for r in conta.referenciais:
                yield erro(
                    "REGRA_REGISTRO_PARA_CONTA_ANALITICA",
                    "I051",
                    None,
                    r.linha,
                    f"I051 na conta sintética {conta.cod_cta}",
                )


@regra("REGRA_CCUS_UNICO")
def ccus_unico(c: Contexto) -> Iterator[Erro]:
    for conta in c.bi.plano:
        ccus = {r.cod_ccus for r in conta.referenciais}
        if len(ccus) > 1 and "" in ccus:
            yield erro(
                "REGRA_CCUS_UNICO",
                "I050",
                None,
                conta.linha,
                f"conta {conta.cod_cta} com I051 com e sem centro de custos",
            )


@regra("REGRA_CCUS_NO_CENTRO_CUSTOS")
def ccus_no_i100(c: Contexto) -> Iterator[Erro]:
    centros = {cc.cod_ccus for cc in c.bi.centros_custo}
    for conta in c.bi.plano:
        for r in conta.referenciais:
            if r.cod_ccus and r.cod_ccus not in centros:
                yield erro(
                    "REGRA_CCUS_NO_CENTRO_CUSTOS",
                    "I051",
                    "cod_ccus",
                    r.linha,
                    f"centro de custos {r.cod_ccus} não está no I100",
                )


@regra("REGRA_ERRO_ENTIDADE")
def erro_entidade(c: Contexto) -> Iterator[Erro]:
    if c.m020 is None:
        return
    for conta in c.bi.plano:
        for r in conta.referenciais:
            if r.cod_ent_ref != c.m020.quali_pj:
                yield erro(
                    "REGRA_ERRO_ENTIDADE",
                    "I051",
                    "cod_ent_ref",
                    r.linha,
                    f"entidade {r.cod_ent_ref} diferente da qualificação da PJ no M020 "
                    f"({c.m020.quali_pj})",
                )


@regra("REGRA_DT_ALT_DATA_MAIOR")
def dt_alt_maior(c: Contexto) -> Iterator[Erro]:
    for codigo, itens in (("I050", c.bi.plano), ("I100", c.bi.centros_custo)):
        for item in itens:
            if item.dt_alt > c.a0.dt_fin:
                yield erro(
                    "REGRA_DT_ALT_DATA_MAIOR",
                    codigo,
                    "dt_alt",
                    item.linha,
                    f"DT_ALT {data_br(item.dt_alt)} depois do fim do arquivo",
                )


# ------------------------------------------------------------------------- contas usadas


class _Uso(NamedTuple):
    codigo: str
    linha: int | None
    cod_cta: str
    cod_ccus: str
    data: dt.date
    naturezas: frozenset[str] | None  # as permitidas (REGRA_NATUREZA_PERMITIDA)


def _usos(c: Contexto) -> Iterator[_Uso]:
    for p in c.bi.saldos_periodicos:
        for s in p.saldos:
            yield _Uso("I155", s.linha, s.cod_cta, s.cod_ccus, p.dt_fin, PATRIMONIAIS)
    for lc in c.bi.lancamentos:
        for pt in lc.partidas:
            yield _Uso("I250", pt.linha, pt.cod_cta, pt.cod_ccus, lc.dt_lcto, None)
    for r in c.bi.resultados:
        for s3 in r.saldos:
            yield _Uso("I355", s3.linha, s3.cod_cta, s3.cod_ccus, r.dt_res, frozenset({"04"}))
    if c.arquivo.bloco_m is not None:
        for m in c.arquivo.bloco_m.saldos_iniciais:
            yield _Uso("M025", m.linha, m.cod_cta, m.cod_ccus, c.a0.dt_ini, PATRIMONIAIS)


@regra("REGRA_CONTA_NO_PLANO_CONTAS")
def conta_no_plano(c: Contexto) -> Iterator[Erro]:
    # Primeira parte da REGRA_CONTA_PARA_LANCAMENTO.
    for u in _usos(c):
        if c.ativa(u.cod_cta, u.data) is None:
            yield erro(
                "REGRA_CONTA_NO_PLANO_CONTAS",
                u.codigo,
                "cod_cta",
                u.linha,
                f"conta {u.cod_cta} não está ativa no plano (I050) em {data_br(u.data)}",
            )


@regra("REGRA_CONTA_ANALITICA")
def conta_analitica(c: Contexto) -> Iterator[Erro]:
    # Segunda parte da REGRA_CONTA_PARA_LANCAMENTO (só se a conta está no plano).
    for u in _usos(c):
        conta = c.ativa(u.cod_cta, u.data)
        if conta is not None and conta.ind_cta != "A":
            yield erro(
                "REGRA_CONTA_ANALITICA",
                u.codigo,
                "cod_cta",
                u.linha,
                f"conta {u.cod_cta} é sintética",
            )


@regra("REGRA_NATUREZA_PERMITIDA")
def natureza_permitida(c: Contexto) -> Iterator[Erro]:
    for u in _usos(c):
        conta = c.ativa(u.cod_cta, u.data)
        if conta is not None and u.naturezas is not None and conta.cod_nat not in u.naturezas:
            yield erro(
                "REGRA_NATUREZA_PERMITIDA",
                u.codigo,
                "cod_cta",
                u.linha,
                f"conta {u.cod_cta} de natureza {conta.cod_nat} não cabe no {u.codigo} "
                f"(aceita {', '.join(sorted(u.naturezas))})",
            )


@regra("REGRA_CCUS_NAO_ENCONTRADO")
def ccus_nao_encontrado(c: Contexto) -> Iterator[Erro]:
    susep = c.m020 is not None and c.m020.quali_pj == "00"
    centros = {cc.cod_ccus for cc in c.bi.centros_custo}
    for u in _usos(c):
        if u.codigo == "M025":
            continue
        conta = c.ativa(u.cod_cta, u.data)
        if conta is None:
            continue
        if susep:
            falta = bool(u.cod_ccus) and u.cod_ccus not in centros
        else:
            ccus = {r.cod_ccus for r in conta.referenciais}
            falta = bool(ccus) and u.cod_ccus not in ccus
        if falta:
            yield erro(
                "REGRA_CCUS_NAO_ENCONTRADO",
                u.codigo,
                "cod_ccus",
                u.linha,
                f"centro de custos '{u.cod_ccus}' não está nos I051 da conta {u.cod_cta}",
            )
