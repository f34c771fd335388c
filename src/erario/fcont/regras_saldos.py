"""Regras dos saldos: saldos periódicos das contas patrimoniais (I150/I155), o
mapeamento referencial dos valores (I156, I256, I356), os batimentos com o
período anterior e com o M025, e os períodos do I150 e do I350 (Anexo I, item 2.7)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

from erario.core.erros import Erro
from erario.fcont.arquivo import ZERO, RegistroI150, RegistroI155, decimal_dc
from erario.fcont.regras_estrutura import (
    Contexto,
    Regra,
    data_br,
    erro,
    registrador,
    saldo_dc,
)

REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)


@regra("REGRA_IND_DC_INI_OBRIGATORIO")
def ind_dc_ini(c: Contexto) -> Iterator[Erro]:
    for p in c.bi.saldos_periodicos:
        for s in p.saldos:
            if not s.ind_dc_ini:
                yield erro("REGRA_IND_DC_INI_OBRIGATORIO", "I155", "ind_dc_ini", s.linha, "sem D/C")


@regra("REGRA_IND_DC_FIN_OBRIGATORIO")
def ind_dc_fin(c: Contexto) -> Iterator[Erro]:
    for p in c.bi.saldos_periodicos:
        for s in p.saldos:
            if not s.ind_dc_fin:
                yield erro("REGRA_IND_DC_FIN_OBRIGATORIO", "I155", "ind_dc_fin", s.linha, "sem D/C")


def _ini(s: RegistroI155) -> Decimal:
    return decimal_dc(s.vl_sld_ini, s.ind_dc_ini)


def _fin(s: RegistroI155) -> Decimal:
    return decimal_dc(s.vl_sld_fin, s.ind_dc_fin)


@regra("REGRA_VALIDACAO_SALDO_FINAL")
def saldo_final(c: Contexto) -> Iterator[Erro]:
    for p in c.bi.saldos_periodicos:
        for s in p.saldos:
            esperado = _ini(s) + s.vl_deb - s.vl_cred
            if esperado != _fin(s):
                yield erro(
                    "REGRA_VALIDACAO_SALDO_FINAL",
                    "I155",
                    "vl_sld_fin",
                    s.linha,
                    f"saldo final {saldo_dc(_fin(s))}; inicial + débitos − créditos = {saldo_dc(esperado)}",
                )


def _soma_periodo(nome: str, f: Callable[[RegistroI155], Decimal], campo: str) -> Regra:
    def verificar(c: Contexto) -> Iterator[Erro]:
        for p in c.bi.saldos_periodicos:
            total = sum((f(s) for s in p.saldos), ZERO)
            if total != 0:
                yield erro(
                    nome,
                    "I150",
                    None,
                    p.linha,
                    f"soma dos {campo} do período {data_br(p.dt_ini)}–{data_br(p.dt_fin)} "
                    f"é {saldo_dc(total)}; deve ser zero",
                )

    return regra(nome)(verificar)


_soma_periodo("REGRA_VALIDACAO_SOMA_SALDO_INICIAL", _ini, "saldos iniciais (I155)")
_soma_periodo("REGRA_VALIDACAO_SOMA_SALDO_FINAL", _fin, "saldos finais (I155)")
_soma_periodo(
    "REGRA_VALIDACAO_DEB_DIF_CRED", lambda s: s.vl_deb - s.vl_cred, "débitos menos créditos"
)


def _mapeamento(
    c: Contexto,
    nome: str,
    codigo: str,
    campo: str,
    linha: int | None,
    cta: str,
    ccus: str,
    data: dt.date,
    total: Decimal,
    mapeados: list[Decimal] | None,
) -> Iterator[Erro]:
    if mapeados:
        soma = sum(mapeados, ZERO)
        if soma != total:
            yield erro(
                nome, codigo, campo, linha, f"mapeado {soma} nas contas referenciais; total {total}"
            )
    elif total != 0 and len(c.referenciais(cta, ccus, data)) > 1:
        yield erro(
            nome,
            codigo,
            campo,
            linha,
            f"conta {cta} mapeada para mais de uma conta referencial sem o detalhamento",
        )


@regra("REGRA_MAPEAMENTO_DEBITOS")
def mapeamento_debitos(c: Contexto) -> Iterator[Erro]:
    for p in c.bi.saldos_periodicos:
        for s in p.saldos:
            yield from _mapeamento(
                c, "REGRA_MAPEAMENTO_DEBITOS", "I155", "vl_deb", s.linha, s.cod_cta, s.cod_ccus,
                p.dt_fin, s.vl_deb, [m.vl_deb for m in s.mapeamentos],
            )  # fmt: skip


@regra("REGRA_MAPEAMENTO_CREDITOS")
def mapeamento_creditos(c: Contexto) -> Iterator[Erro]:
    for p in c.bi.saldos_periodicos:
        for s in p.saldos:
            if not s.mapeamentos:
                continue  # sem I156: já relatado em REGRA_MAPEAMENTO_DEBITOS
            yield from _mapeamento(
                c, "REGRA_MAPEAMENTO_CREDITOS", "I155", "vl_cred", s.linha, s.cod_cta, s.cod_ccus,
                p.dt_fin, s.vl_cred, [m.vl_cred for m in s.mapeamentos],
            )  # fmt: skip


@regra("REGRA_MAPEAMENTO_PARTIDA")
def mapeamento_partida(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        for pt in lc.partidas:
            yield from _mapeamento(
                c, "REGRA_MAPEAMENTO_PARTIDA", "I250", "vl_dc", pt.linha, pt.cod_cta, pt.cod_ccus,
                lc.dt_lcto, pt.vl_dc, [m.vl_dc for m in pt.mapeamentos],
            )  # fmt: skip


@regra("REGRA_MAPEAMENTO_CTA_RES")
def mapeamento_cta_res(c: Contexto) -> Iterator[Erro]:
    for r in c.bi.resultados:
        for s in r.saldos:
            yield from _mapeamento(
                c, "REGRA_MAPEAMENTO_CTA_RES", "I355", "vl_cta", s.linha, s.cod_cta, s.cod_ccus,
                r.dt_res, s.vl_cta, [m.vl_cta for m in s.mapeamentos],
            )  # fmt: skip


@regra("REGRA_INDICADOR_IGUAL")
def indicador_igual(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        for pt in lc.partidas:
            for m in pt.mapeamentos:
                if m.ind_dc != pt.ind_dc:
                    yield erro(
                        "REGRA_INDICADOR_IGUAL", "I256", "ind_dc", m.linha, "D/C diferente do I250"
                    )
    for r in c.bi.resultados:
        for s in r.saldos:
            for m3 in s.mapeamentos:
                if m3.ind_dc != s.ind_dc:
                    yield erro(
                        "REGRA_INDICADOR_IGUAL", "I356", "ind_dc", m3.linha, "D/C diferente do I355"
                    )


@regra("REGRA_CTA_REF_MAPEADA_I051")
def ref_mapeada(c: Contexto) -> Iterator[Erro]:
    def conferir(
        codigo: str, linha: int | None, ref: str, cta: str, ccus: str, data: dt.date
    ) -> Iterator[Erro]:
        if ref not in {r.cod_cta_ref for r in c.referenciais(cta, ccus, data)}:
            yield erro(
                "REGRA_CTA_REF_MAPEADA_I051",
                codigo,
                "cod_cta_ref",
                linha,
                f"conta referencial {ref} não está nos I051 da conta {cta}",
            )

    for p in c.bi.saldos_periodicos:
        for s in p.saldos:
            for m in s.mapeamentos:
                yield from conferir("I156", m.linha, m.cod_cta_ref, s.cod_cta, s.cod_ccus, p.dt_fin)
    for lc in c.bi.lancamentos:
        for pt in lc.partidas:
            for m2 in pt.mapeamentos:
                yield from conferir(
                    "I256", m2.linha, m2.cod_cta_ref, pt.cod_cta, pt.cod_ccus, lc.dt_lcto
                )
    for r in c.bi.resultados:
        for s3 in r.saldos:
            for m3 in s3.mapeamentos:
                yield from conferir(
                    "I356", m3.linha, m3.cod_cta_ref, s3.cod_cta, s3.cod_ccus, r.dt_res
                )
    if c.arquivo.bloco_m is not None:
        for m25 in c.arquivo.bloco_m.saldos_iniciais:
            yield from conferir(
                "M025", m25.linha, m25.cod_cta_ref, m25.cod_cta, m25.cod_ccus, c.a0.dt_ini
            )


@regra("REGRA_BATIMENTO_M025")
def batimento_m025(c: Contexto) -> Iterator[Erro]:
    if c.arquivo.bloco_m is None:
        return
    chaves = {(s.cod_cta, s.cod_ccus) for p in c.bi.saldos_periodicos for s in p.saldos}
    for m in c.arquivo.bloco_m.saldos_iniciais:
        if (m.cod_cta, m.cod_ccus) not in chaves:
            yield erro(
                "REGRA_BATIMENTO_M025",
                "M025",
                "cod_cta",
                m.linha,
                f"conta {m.cod_cta} do M025 sem I155",
            )


def _por_chave(p: RegistroI150) -> dict[tuple[str, str], RegistroI155]:
    return {(s.cod_cta, s.cod_ccus): s for s in p.saldos}


@regra("REGRA_BATIMENTO_I155")
def batimento_i155(c: Contexto) -> Iterator[Erro]:
    for ant, atual in zip(c.periodos, c.periodos[1:], strict=False):
        novos = _por_chave(atual)
        for chave, s in _por_chave(ant).items():
            if _fin(s) != 0 and chave not in novos:
                yield erro(
                    "REGRA_BATIMENTO_I155",
                    "I155",
                    "cod_cta",
                    s.linha,
                    f"conta {s.cod_cta} com saldo final sem I155 no período seguinte "
                    f"({data_br(atual.dt_ini)})",
                )


@regra("REGRA_SALDOI155_IGUAL_PERIODO_ANTERIOR")
def saldo_periodo_anterior(c: Contexto) -> Iterator[Erro]:
    for ant, atual in zip(c.periodos, c.periodos[1:], strict=False):
        anteriores = _por_chave(ant)
        for chave, s in _por_chave(atual).items():
            if chave in anteriores:
                esperado = _fin(anteriores[chave]) + c.soma_is(chave, atual.dt_ini, atual.dt_fin)
                if _ini(s) != esperado:
                    yield erro(
                        "REGRA_SALDOI155_IGUAL_PERIODO_ANTERIOR",
                        "I155",
                        "vl_sld_ini",
                        s.linha,
                        f"saldo inicial {saldo_dc(_ini(s))}; final do período anterior + IS = "
                        f"{saldo_dc(esperado)}",
                    )


@regra("REGRA_SALDOI155_IGUAL_PERIODO_POSTERIOR")
def saldo_periodo_posterior(c: Contexto) -> Iterator[Erro]:
    # Conta que aparece num período seguinte sem estar no anterior: o saldo inicial
    # (menos IS) deveria ser zero, pois não há saldo final anterior.
    for ant, atual in zip(c.periodos, c.periodos[1:], strict=False):
        anteriores = _por_chave(ant)
        for chave, s in _por_chave(atual).items():
            if chave not in anteriores:
                esperado = c.soma_is(chave, atual.dt_ini, atual.dt_fin)
                if _ini(s) != esperado:
                    yield erro(
                        "REGRA_SALDOI155_IGUAL_PERIODO_POSTERIOR",
                        "I155",
                        "vl_sld_ini",
                        s.linha,
                        f"saldo inicial {saldo_dc(_ini(s))} sem saldo final no período anterior",
                    )


@regra("REGRA_SALDOI155_IGUAL_RECUPERADO")
def saldo_recuperado(c: Contexto) -> Iterator[Erro]:
    if c.arquivo.bloco_m is None or not c.periodos:
        return
    primeiro = c.periodos[0]
    recuperado: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    linhas_m025: dict[tuple[str, str], int | None] = {}
    for m in c.arquivo.bloco_m.saldos_iniciais:
        chave = (m.cod_cta, m.cod_ccus)
        recuperado[chave] += decimal_dc(m.vl_sld_fin_soc, m.ind_dc_fin_soc)
        linhas_m025.setdefault(chave, m.linha)
    saldos = _por_chave(primeiro)
    for chave in sorted(set(saldos) | set(recuperado)):
        ini = _ini(saldos[chave]) if chave in saldos else ZERO
        esperado = recuperado.get(chave, ZERO) + c.soma_is(chave, primeiro.dt_ini, primeiro.dt_fin)
        if ini != esperado:
            codigo, linha = (
                ("I155", saldos[chave].linha) if chave in saldos else ("M025", linhas_m025[chave])
            )
            yield erro(
                "REGRA_SALDOI155_IGUAL_RECUPERADO",
                codigo,
                "vl_sld_ini" if codigo == "I155" else "vl_sld_fin_soc",
                linha,
                f"conta {chave[0]}: saldo inicial do I155 {saldo_dc(ini)}; M025 + IS = {saldo_dc(esperado)}",
            )


# ------------------------------------------------------------------------- períodos (I150/I350)


@regra("REGRA_PERIODO_COMUM")
def periodo_comum(c: Contexto) -> Iterator[Erro]:
    ps = c.periodos
    for i, p in enumerate(ps):
        if any(q.dt_ini <= p.dt_fin and p.dt_ini <= q.dt_fin for q in ps[:i]):
            yield erro(
                "REGRA_PERIODO_COMUM", "I150", "dt_ini", p.linha, "período sobreposto a outro I150"
            )


@regra("REGRA_PERIODO_SEM_RESULTADO")
def periodo_sem_resultado(c: Contexto) -> Iterator[Erro]:
    datas = {r.dt_res for r in c.bi.resultados}
    for p in c.bi.saldos_periodicos:
        if p.dt_fin not in datas:
            yield erro(
                "REGRA_PERIODO_SEM_RESULTADO",
                "I150",
                "dt_fin",
                p.linha,
                f"sem I350 com DT_RES {data_br(p.dt_fin)}",
            )


@regra("REGRA_RESULTADO_SEM_PERIODO")
def resultado_sem_periodo(c: Contexto) -> Iterator[Erro]:
    fins = {p.dt_fin for p in c.bi.saldos_periodicos}
    for r in c.bi.resultados:
        if r.dt_res not in fins:
            yield erro(
                "REGRA_RESULTADO_SEM_PERIODO",
                "I350",
                "dt_res",
                r.linha,
                f"sem I150 com DT_FIN {data_br(r.dt_res)}",
            )
