"""Regras do bloco M do FCONT (M020 e M030): forma de tributação, trimestres e períodos.

Vetores posicionais do M020 (item 2.6.4.2): TRIM_LUC_ARB (0/1 por trimestre) e
FORM_TRIB_TRI (0 fora do período, 1 real, 2 arbitrado, 3 presumido, 4 inativo).
"Trimestre dentro do período": o que tem algum dia entre DT_INI e DT_FIN do 0000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Final

from erario.core.datas import fim_do_mes
from erario.core.erros import Erro
from erario.fcont.arquivo import ZERO, RegistroM020, decimal_dc
from erario.fcont.regras_estrutura import SUSEP_COSIF, Contexto, Regra, erro, registrador

REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)

TRIMESTRES: Final = ("T01", "T02", "T03", "T04")


def trimestre(ano: int, n: int) -> tuple[dt.date, dt.date]:
    """Primeiro e último dia do trimestre ``n`` (1 a 4)."""
    ini = dt.date(ano, 3 * n - 2, 1)
    return ini, fim_do_mes(ano, 3 * n)


def _no_periodo(c: Contexto) -> list[bool]:
    ano = c.a0.dt_ini.year
    return [
        trimestre(ano, n)[0] <= c.a0.dt_fin and c.a0.dt_ini <= trimestre(ano, n)[1]
        for n in range(1, 5)
    ]


def periodo_m030(c: Contexto, ind_per: str) -> tuple[dt.date, dt.date] | None:
    """Período de apuração de um IND_PER (A00 = o do arquivo; Tnn dentro do arquivo)."""
    if ind_per == "A00":
        return c.a0.dt_ini, c.a0.dt_fin
    if ind_per in TRIMESTRES:
        ini, fim = trimestre(c.a0.dt_ini.year, int(ind_per[1:]))
        return max(ini, c.a0.dt_ini), min(fim, c.a0.dt_fin)
    return None


def _m020(c: Contexto) -> RegistroM020 | None:
    return c.m020


def _vetor_valido(texto: str, aceitos: str) -> bool:
    return len(texto) == 4 and all(ch in aceitos for ch in texto)


@regra("REGRA_FORM_TRIB")
def form_trib(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m and m.form_apur == "A" and m.form_tribut not in ("1", "2"):
        yield erro(
            "REGRA_FORM_TRIB", "M020", "form_tribut", m.linha, "apuração anual só com forma 1 ou 2"
        )


@regra("REGRA_FORM_TRIB_QUALI_PJ")
def form_trib_quali(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m and m.quali_pj in SUSEP_COSIF and m.form_tribut not in ("1", "2"):
        yield erro(
            "REGRA_FORM_TRIB_QUALI_PJ",
            "M020",
            "form_tribut",
            m.linha,
            "Susep e Cosif não podem ter lucro presumido",
        )


def _arbitrado_anual(m: RegistroM020) -> bool:
    return m.form_apur == "A" and m.form_tribut == "2"


@regra("REGRA_TRIM_LUC_ARB_OBRIGATORIO")
def trim_luc_arb_obrigatorio(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None:
        return
    if _arbitrado_anual(m) and not m.trim_luc_arb:
        yield erro(
            "REGRA_TRIM_LUC_ARB_OBRIGATORIO",
            "M020",
            "trim_luc_arb",
            m.linha,
            "apuração anual com lucro arbitrado exige TRIM_LUC_ARB",
        )
    elif not _arbitrado_anual(m) and m.trim_luc_arb:
        yield erro(
            "REGRA_TRIM_LUC_ARB_OBRIGATORIO",
            "M020",
            "trim_luc_arb",
            m.linha,
            "TRIM_LUC_ARB só se preenche na apuração anual com forma 2",
        )


@regra("REGRA_VETOR_ARB")
def vetor_arb(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None or not _arbitrado_anual(m) or not m.trim_luc_arb:
        return
    dentro = _no_periodo(c)
    if not _vetor_valido(m.trim_luc_arb, "01") or any(
        ch == "1" and not dentro[i] for i, ch in enumerate(m.trim_luc_arb)
    ):
        yield erro(
            "REGRA_VETOR_ARB",
            "M020",
            "trim_luc_arb",
            m.linha,
            f"'{m.trim_luc_arb}': quatro posições 0/1, com 1 só em trimestre do período",
        )


@regra("REGRA_ARB_REAL")
def arb_real(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None or not _arbitrado_anual(m) or not _vetor_valido(m.trim_luc_arb, "01"):
        return
    codigos = [ch for ch, d in zip(m.trim_luc_arb, _no_periodo(c), strict=True) if d]
    if "0" not in codigos or "1" not in codigos:
        yield erro(
            "REGRA_ARB_REAL",
            "M020",
            "trim_luc_arb",
            m.linha,
            "lucro real arbitrado exige ao menos um trimestre arbitrado e um real no período",
        )


@regra("REGRA_FORM_TRIB_TRI_OBRIGATORIO")
def form_trib_tri_obrigatorio(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None:
        return
    if m.form_apur == "A" and m.form_trib_tri:
        yield erro(
            "REGRA_FORM_TRIB_TRI_OBRIGATORIO",
            "M020",
            "form_trib_tri",
            m.linha,
            "FORM_TRIB_TRI não se preenche na apuração anual",
        )
    elif m.form_apur == "T" and not m.form_trib_tri:
        yield erro(
            "REGRA_FORM_TRIB_TRI_OBRIGATORIO",
            "M020",
            "form_trib_tri",
            m.linha,
            "apuração trimestral exige FORM_TRIB_TRI",
        )


@regra("REGRA_TAB_FORM_TRIB")
def tab_form_trib(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m and m.form_apur == "T" and m.form_trib_tri and not _vetor_valido(m.form_trib_tri, "01234"):
        yield erro(
            "REGRA_TAB_FORM_TRIB",
            "M020",
            "form_trib_tri",
            m.linha,
            f"'{m.form_trib_tri}': quatro posições com 0 a 4",
        )


def _trimestral(c: Contexto) -> tuple[RegistroM020, list[str]] | None:
    """M020 trimestral com vetor válido e os códigos dos trimestres dentro do período."""
    m = _m020(c)
    if m is None or m.form_apur != "T" or not _vetor_valido(m.form_trib_tri, "01234"):
        return None
    return m, [ch for ch, d in zip(m.form_trib_tri, _no_periodo(c), strict=True) if d]


@regra("REGRA_FORM_TRIB_FORA_PERIODO")
def fora_periodo(c: Contexto) -> Iterator[Erro]:
    t = _trimestral(c)
    if t and any(
        ch != "0" and not d for ch, d in zip(t[0].form_trib_tri, _no_periodo(c), strict=True)
    ):
        yield erro(
            "REGRA_FORM_TRIB_FORA_PERIODO",
            "M020",
            "form_trib_tri",
            t[0].linha,
            "trimestre fora do período da escrituração deve ser 0",
        )


def _forma(nome: str, forma: str, permitidos: str | None, exigidos: str, msg: str) -> None:
    def verificar(c: Contexto) -> Iterator[Erro]:
        t = _trimestral(c)
        if t is None or t[0].form_tribut != forma:
            return
        m, codigos = t
        if (permitidos is not None and any(ch not in permitidos for ch in codigos)) or (
            permitidos is None and not all(ch in codigos for ch in exigidos)
        ):
            yield erro(nome, "M020", "form_trib_tri", m.linha, msg)

    regra(nome)(verificar)


_forma("REGRA_REAL_PERMITIDA", "1", "14", "", "forma real: só trimestres 1 (real) ou 4 (inativo)")
_forma("REGRA_REAL_EXISTENTE", "1", None, "1", "forma real: falta trimestre real (1)")
_forma("REGRA_REAL_ARB_PERMITIDA", "2", "124", "", "forma real/arbitrado: só trimestres 1, 2 ou 4")
_forma(
    "REGRA_REAL_ARB_EXISTENTE", "2", None, "12",
    "forma real/arbitrado: exige um trimestre real (1) e um arbitrado (2)",
)  # fmt: skip
_forma("REGRA_REAL_PRES_PERMITIDA", "3", "134", "", "forma real/presumido: só trimestres 1, 3 ou 4")
_forma(
    "REGRA_REAL_PRES_EXISTENTE", "3", None, "13",
    "forma real/presumido: exige um trimestre real (1) e um presumido (3)",
)  # fmt: skip
_forma(
    "REGRA_REAL_PRES_ARB_EXISTENTE", "4", None, "123",
    "forma real/presumido/arbitrado: exige trimestres 1, 2 e 3",
)  # fmt: skip


@regra("REGRA_PRESUMIDO_PRIMEIRO")
def presumido_primeiro(c: Contexto) -> Iterator[Erro]:
    t = _trimestral(c)
    if t is None or t[0].form_tribut not in ("3", "4"):
        return
    codigos = "".join(t[1])
    if "1" in codigos and "3" in codigos[codigos.index("1") :]:
        yield erro(
            "REGRA_PRESUMIDO_PRIMEIRO",
            "M020",
            "form_trib_tri",
            t[0].linha,
            "trimestre presumido (3) depois de um real (1)",
        )


@regra("REGRA_REC_ANTERIOR_OBRIGATORIO")
def rec_anterior(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m and m.tipo_escrit == "1" and not m.nro_rec_anterior:
        yield erro(
            "REGRA_REC_ANTERIOR_OBRIGATORIO",
            "M020",
            "nro_rec_anterior",
            m.linha,
            "escrituração retificadora sem o número do recibo anterior",
        )


@regra("REGRA_NRO_REC_ANTERIOR_NAO_SE_APLICA")
def rec_nao_se_aplica(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m and m.tipo_escrit == "0" and m.nro_rec_anterior:
        yield erro(
            "REGRA_NRO_REC_ANTERIOR_NAO_SE_APLICA",
            "M020",
            "nro_rec_anterior",
            m.linha,
            "escrituração original não informa recibo anterior",
        )


@regra("REGRA_RECUPER_COM_INI_ATIV")
def recuper_com_ini_ativ(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m and c.a0.ind_sit_ini_per in ("1", "3") and m.id_escr_per_ant:
        yield erro(
            "REGRA_RECUPER_COM_INI_ATIV",
            "0000",
            "ind_sit_ini_per",
            c.a0.linha,
            "início de atividade com escrituração anterior recuperada (M020.ID_ESCR_PER_ANT)",
        )


@regra("REGRA_LCTO_SUSEP_COSIF")
def lcto_susep_cosif(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None or m.quali_pj not in SUSEP_COSIF:
        return
    for lc in c.bi.lancamentos:
        if lc.ind_lcto not in ("IS", "IF"):
            yield erro(
                "REGRA_LCTO_SUSEP_COSIF",
                "I200",
                "ind_lcto",
                lc.linha,
                "lançamento de ajuste de PJ Susep/Cosif",
            )


@regra("REGRA_LCTO_PERMITIDO_IS_IF")
def lcto_is_if(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None:
        return
    for lc in c.bi.lancamentos:
        if lc.ind_lcto not in ("IS", "IF"):
            continue
        n = (lc.dt_lcto.month - 1) // 3
        if m.form_apur == "A":
            n0 = (c.a0.dt_ini.month - 1) // 3
            real = len(m.trim_luc_arb) < 4 or m.trim_luc_arb[n0] == "0"
            proibido = real and m.ind_lcto_ini_sld == "0"
        elif _vetor_valido(m.form_trib_tri, "01234"):
            primeiro = next(i for i, d in enumerate(_no_periodo(c)) if d)
            if n == primeiro:
                proibido = m.form_trib_tri[n] == "1" and m.ind_lcto_ini_sld == "0"
            else:
                proibido = n > 0 and m.form_trib_tri[n - 1] == "1"
        else:
            continue
        if proibido:
            yield erro(
                "REGRA_LCTO_PERMITIDO_IS_IF",
                "I200",
                "ind_lcto",
                lc.linha,
                f"lançamento {lc.ind_lcto}: o período anterior já era lucro real",
            )


# ------------------------------------------------------------------------- M030 × M020 × I150


@regra("REGRA_PERIODO_COMPATIVEL_M020_ANUAL")
def m020_anual(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    bm = c.arquivo.bloco_m
    if m is None or bm is None or m.form_apur != "A":
        return
    if len(bm.periodos) > 1 or any(p.ind_per != "A00" for p in bm.periodos):
        yield erro(
            "REGRA_PERIODO_COMPATIVEL_M020_ANUAL",
            "M030",
            "ind_per",
            bm.periodos[0].linha if bm.periodos else None,
            "apuração anual: um só M030, com IND_PER A00",
        )


@regra("REGRA_PERIODO_COMPATIVEL_M020_TRI")
def m020_tri(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    bm = c.arquivo.bloco_m
    if m is None or bm is None or m.form_apur != "T":
        return
    pers = {p.ind_per for p in bm.periodos}
    faltam = [
        TRIMESTRES[i]
        for i, ch in enumerate(m.form_trib_tri)
        if ch == "1" and i < 4 and TRIMESTRES[i] not in pers
    ]
    if "A00" in pers or faltam:
        yield erro(
            "REGRA_PERIODO_COMPATIVEL_M020_TRI",
            "M020",
            "form_trib_tri",
            m.linha,
            "apuração trimestral: sem A00 e um M030 por trimestre real"
            + (f" (faltam {', '.join(faltam)})" if faltam else ""),
        )


@regra("REGRA_PERIODO_COMPATIVEL_M020_FORM_TRIB_TRI")
def m020_form_trib_tri(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    bm = c.arquivo.bloco_m
    if m is None or bm is None or not m.form_trib_tri:
        return
    pers = {p.ind_per: p for p in bm.periodos}
    for i, ch in enumerate(m.form_trib_tri[:4]):
        if ch != "1" and TRIMESTRES[i] in pers:
            yield erro(
                "REGRA_PERIODO_COMPATIVEL_M020_FORM_TRIB_TRI",
                "M030",
                "ind_per",
                pers[TRIMESTRES[i]].linha,
                f"M030 {TRIMESTRES[i]} para trimestre que não é de lucro real ({ch})",
            )


def _periodos_m030(c: Contexto) -> list[tuple[dt.date, dt.date]]:
    bm = c.arquivo.bloco_m
    if bm is None:
        return []
    return [p for m in bm.periodos if (p := periodo_m030(c, m.ind_per)) is not None]


@regra("REGRA_PERIODO_COMPATIVEL_M030")
def compativel_m030(c: Contexto) -> Iterator[Erro]:
    pers = _periodos_m030(c)
    if c.arquivo.bloco_m is None:
        return
    for p in c.bi.saldos_periodicos:
        if not any(ini <= p.dt_ini and p.dt_fin <= fim for ini, fim in pers):
            yield erro(
                "REGRA_PERIODO_COMPATIVEL_M030",
                "I150",
                "dt_ini",
                p.linha,
                "período sem M030 correspondente",
            )


@regra("REGRA_PERIODO_COMPATÍVEL_I150")
def compativel_i150(c: Contexto) -> Iterator[Erro]:
    bm = c.arquivo.bloco_m
    if bm is None:
        return
    for m in bm.periodos:
        per = periodo_m030(c, m.ind_per)
        if per and not any(
            per[0] <= p.dt_ini and p.dt_fin <= per[1] for p in c.bi.saldos_periodicos
        ):
            yield erro(
                "REGRA_PERIODO_COMPATÍVEL_I150",
                "M030",
                "ind_per",
                m.linha,
                f"M030 {m.ind_per} sem I150 no seu período",
            )


@regra("REGRA_DATA_LCTO_FORA_PERIODO_APURACAO")
def lcto_fora_apuracao(c: Contexto) -> Iterator[Erro]:
    pers = _periodos_m030(c)
    if not pers:
        return
    for lc in c.bi.lancamentos:
        if not any(ini <= lc.dt_lcto <= fim for ini, fim in pers):
            yield erro(
                "REGRA_DATA_LCTO_FORA_PERIODO_APURACAO",
                "I200",
                "dt_lcto",
                lc.linha,
                "data fora dos períodos de apuração (M030)",
            )


_FINS_TRIMESTRE: Final = ((3, 31), (6, 30), (9, 30), (12, 31))
_INICIOS_TRIMESTRE: Final = ((4, 1), (7, 1), (10, 1))


@regra("REGRA_DT_INI_FORA_PERIODO_APURACAO")
def ini_fora_apuracao(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None:
        return
    for i, p in enumerate(c.periodos):
        if m.form_apur == "A" or i == 0:
            ok = p.dt_ini == c.a0.dt_ini
        else:
            ok = (p.dt_ini.month, p.dt_ini.day) in _INICIOS_TRIMESTRE
        if not ok:
            yield erro(
                "REGRA_DT_INI_FORA_PERIODO_APURACAO",
                "I150",
                "dt_ini",
                p.linha,
                f"início {p.dt_ini:%d/%m/%Y} não é o de um período de apuração",
            )


@regra("REGRA_DATA_FORA_PERIODO_APURACAO")
def fim_fora_apuracao(c: Contexto) -> Iterator[Erro]:
    m = _m020(c)
    if m is None:
        return
    for p in c.bi.saldos_periodicos:
        if m.form_apur == "A":
            ok = p.dt_fin == c.a0.dt_fin
        else:
            ok = (p.dt_fin.month, p.dt_fin.day) in _FINS_TRIMESTRE or p.dt_fin == c.a0.dt_fin
        if not ok:
            yield erro(
                "REGRA_DATA_FORA_PERIODO_APURACAO",
                "I150",
                "dt_fin",
                p.linha,
                f"fim {p.dt_fin:%d/%m/%Y} não é o de um período de apuração",
            )


@regra("REGRA_LUC_LIQ")
def luc_liq(c: Contexto) -> Iterator[Erro]:
    bm = c.arquivo.bloco_m
    if bm is None:
        return
    for m in bm.periodos:
        per = periodo_m030(c, m.ind_per)
        if per is None:
            continue
        soma = sum(
            (
                decimal_dc(s.vl_cta, s.ind_dc)
                for r in c.bi.resultados
                if per[0] <= r.dt_res <= per[1]
                for s in r.saldos
            ),
            ZERO,
        )
        informado = decimal_dc(m.vl_luc_liq, m.ind_luc_liq)
        if soma != informado:
            yield erro(
                "REGRA_LUC_LIQ",
                "M030",
                "vl_luc_liq",
                m.linha,
                f"lucro informado {m.vl_luc_liq} {m.ind_luc_liq}; soma do I355 "
                f"{abs(soma)} {'C' if soma < 0 else 'D'}",
            )
