"""Regras do registro 0000 (abertura e identificação da pessoa jurídica): período,
datas mínimas e CNPJ (Anexo I, item 2.7). Base em ``regras_estrutura``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from erario.core.codigos import cnpj_valido
from erario.core.erros import Erro
from erario.fcont.regras_estrutura import Contexto, Regra, data_br, erro, registrador

REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)


@regra("REGRA_DATA_INI_MAIOR")
def data_ini_maior(c: Contexto) -> Iterator[Erro]:
    if c.a0.dt_fin < c.a0.dt_ini:
        yield erro("REGRA_DATA_INI_MAIOR", "0000", "dt_fin", c.a0.linha, "DT_FIN antes de DT_INI")
    for p in c.bi.saldos_periodicos:
        if p.dt_fin < p.dt_ini:
            yield erro("REGRA_DATA_INI_MAIOR", "I150", "dt_fin", p.linha, "DT_FIN antes de DT_INI")


@regra("REGRA_ANO_DIFERENTE")
def ano_diferente(c: Contexto) -> Iterator[Erro]:
    if c.a0.dt_ini.year != c.a0.dt_fin.year:
        yield erro(
            "REGRA_ANO_DIFERENTE",
            "0000",
            "dt_fin",
            c.a0.linha,
            "DT_INI e DT_FIN em anos diferentes",
        )


@regra("REGRA_DT_FINAL_ESCRITURACAO")
def dt_final(c: Contexto) -> Iterator[Erro]:
    if not c.a0.ind_sit_esp and (c.a0.dt_fin.day, c.a0.dt_fin.month) != (31, 12):
        yield erro(
            "REGRA_DT_FINAL_ESCRITURACAO",
            "0000",
            "dt_fin",
            c.a0.linha,
            f"sem situação especial, DT_FIN deve ser 31/12 (é {data_br(c.a0.dt_fin)})",
        )


@regra("REGRA_DT_INICIO_ESCRITURACAO")
def dt_inicio(c: Contexto) -> Iterator[Erro]:
    if c.a0.ind_sit_ini_per == "0" and (c.a0.dt_ini.day, c.a0.dt_ini.month) != (1, 1):
        yield erro(
            "REGRA_DT_INICIO_ESCRITURACAO",
            "0000",
            "dt_ini",
            c.a0.linha,
            f"IND_SIT_INI_PER 0 exige DT_INI em 01/01 (é {data_br(c.a0.dt_ini)})",
        )


@regra("REGRA_DATA_MINIMA")
def data_minima(c: Contexto) -> Iterator[Erro]:
    minima = dt.date(2011 if c.a0.ind_sit_esp else 2010, 1, 1)
    if c.a0.dt_ini < minima:
        yield erro(
            "REGRA_DATA_MINIMA", "0000", "dt_ini", c.a0.linha, f"DT_INI antes de {data_br(minima)}"
        )


@regra("REGRA_VALIDA_CNPJ")
def valida_cnpj(c: Contexto) -> Iterator[Erro]:
    if not cnpj_valido(c.a0.cnpj) or len(c.a0.cnpj) != 14:
        yield erro("REGRA_VALIDA_CNPJ", "0000", "cnpj", c.a0.linha, f"CNPJ {c.a0.cnpj} inválido")
