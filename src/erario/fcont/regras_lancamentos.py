"""Regras dos lançamentos fiscais (I200/I250): valores, datas, históricos,
naturezas permitidas por tipo (X, F, EF, IS, IF, TS, TF, TR), transferências e o
encerramento fiscal (Observação I), Anexo I, item 2.7."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal

from erario.core.erros import Erro
from erario.fcont.arquivo import ZERO, RegistroI200, RegistroI250, decimal_dc
from erario.fcont.regras_estrutura import (
    PATRIMONIAIS,
    Contexto,
    Regra,
    data_br,
    erro,
    registrador,
    saldo_dc,
)

REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)


@regra("REGRA_VALOR_MAIOR_ZERO")
def valor_maior_zero(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        if lc.vl_lcto <= 0:
            yield erro("REGRA_VALOR_MAIOR_ZERO", "I200", "vl_lcto", lc.linha, "valor zero")


def _soma(lc: RegistroI200, ind: str) -> Decimal:
    return sum((p.vl_dc for p in lc.partidas if p.ind_dc == ind), ZERO)


@regra("REGRA_VALIDACAO_VL_LCTO_DEB")
def vl_lcto_deb(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        if _soma(lc, "D") != lc.vl_lcto:
            yield erro(
                "REGRA_VALIDACAO_VL_LCTO_DEB",
                "I200",
                "vl_lcto",
                lc.linha,
                f"débitos das partidas {_soma(lc, 'D')} ≠ valor do lançamento {lc.vl_lcto}",
            )


@regra("REGRA_VALIDACAO_VL_LCTO_CRED")
def vl_lcto_cred(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        if _soma(lc, "C") != lc.vl_lcto:
            yield erro(
                "REGRA_VALIDACAO_VL_LCTO_CRED",
                "I200",
                "vl_lcto",
                lc.linha,
                f"créditos das partidas {_soma(lc, 'C')} ≠ valor do lançamento {lc.vl_lcto}",
            )


@regra("REGRA_DATA_INTERVALO_DO_ARQUIVO")
def data_intervalo(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        if not c.a0.dt_ini <= lc.dt_lcto <= c.a0.dt_fin:
            yield erro(
                "REGRA_DATA_INTERVALO_DO_ARQUIVO",
                "I200",
                "dt_lcto",
                lc.linha,
                f"data {data_br(lc.dt_lcto)} fora do período do arquivo",
            )


@regra("REGRA_HISTORICO_OBRIGATORIO")
def historico_obrigatorio(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        for pt in lc.partidas:
            if not pt.hist.strip() and not pt.cod_hist_pad.strip():
                yield erro(
                    "REGRA_HISTORICO_OBRIGATORIO",
                    "I250",
                    "hist",
                    pt.linha,
                    "sem HIST e sem COD_HIST_PAD",
                )


@regra("REGRA_COD_HIS_PAD_NO_HISTORICO_PADRAO")
def historico_padrao(c: Contexto) -> Iterator[Erro]:
    codigos = {h.cod_hist for h in c.bi.historicos}
    for lc in c.bi.lancamentos:
        for pt in lc.partidas:
            if pt.cod_hist_pad and pt.cod_hist_pad not in codigos:
                yield erro(
                    "REGRA_COD_HIS_PAD_NO_HISTORICO_PADRAO",
                    "I250",
                    "cod_hist_pad",
                    pt.linha,
                    f"histórico padrão {pt.cod_hist_pad} não está no I075",
                )


def _partidas_natureza(
    c: Contexto, tipos: frozenset[str]
) -> Iterator[tuple[RegistroI200, RegistroI250, str]]:
    for lc in c.bi.lancamentos:
        if lc.ind_lcto in tipos:
            for pt in lc.partidas:
                conta = c.ativa(pt.cod_cta, lc.dt_lcto)
                if conta is not None:
                    yield lc, pt, conta.cod_nat


def _natureza_do_tipo(nome: str, tipos: frozenset[str], aceitas: frozenset[str], msg: str) -> None:
    def verificar(c: Contexto) -> Iterator[Erro]:
        for lc, pt, nat in _partidas_natureza(c, tipos):
            if nat not in aceitas:
                yield erro(
                    nome,
                    "I250",
                    "cod_cta",
                    pt.linha,
                    f"lançamento {lc.ind_lcto}: conta {pt.cod_cta} {msg}",
                )

    regra(nome)(verificar)


_natureza_do_tipo(
    "REGRA_CONTA_PARA_LANÇAMENTO_EF", frozenset({"EF"}), frozenset({"03", "04"}),
    "não é de natureza 03 nem 04",
)  # fmt: skip
_natureza_do_tipo(
    "REGRA_TIPO_LCTO_PERMITIDO", frozenset({"TS", "TF", "IS", "IF"}), PATRIMONIAIS,
    "não é patrimonial (01, 02 ou 03)",
)  # fmt: skip
_natureza_do_tipo(
    "REGRA_TIPO_LCTO_PERMITIDO_TR", frozenset({"TR"}), frozenset({"01", "02", "03", "04"}),
    "não é de natureza 01 a 04",
)  # fmt: skip
_natureza_do_tipo(
    "REGRA_TIPO_LCTO_PERMITIDO_TR_RES", frozenset({"TR"}), frozenset({"01", "02", "03", "05", "09"}),
    "é conta de resultado (04)",
)  # fmt: skip


@regra("REGRA_REPETICAO_CTA")
def repeticao_cta(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        if lc.ind_lcto == "TR":
            vistas = Counter((p.cod_cta, p.cod_ccus) for p in lc.partidas)
            for (cta, _), n in vistas.items():
                if n > 1:
                    yield erro(
                        "REGRA_REPETICAO_CTA", "I200", "ind_lcto", lc.linha, f"conta {cta} repetida"
                    )


@regra("REGRA_MESMA_CTA_REF_TR")
def mesma_ref_tr(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        if lc.ind_lcto != "TR":
            continue
        refs: set[str] = set()
        for p in lc.partidas:
            if p.mapeamentos:
                refs |= {m.cod_cta_ref for m in p.mapeamentos}
            else:
                refs |= {r.cod_cta_ref for r in c.referenciais(p.cod_cta, p.cod_ccus, lc.dt_lcto)}
        if len(refs) > 1:
            yield erro(
                "REGRA_MESMA_CTA_REF_TR",
                "I200",
                "ind_lcto",
                lc.linha,
                f"lançamento TR com contas referenciais diferentes: {', '.join(sorted(refs))}",
            )


@regra("REGRA_MESMA_CTA_CONTABIL_TF_TS")
def mesma_conta_tf_ts(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        if lc.ind_lcto in ("TF", "TS") and len({(p.cod_cta, p.cod_ccus) for p in lc.partidas}) > 1:
            yield erro(
                "REGRA_MESMA_CTA_CONTABIL_TF_TS",
                "I200",
                "ind_lcto",
                lc.linha,
                f"lançamento {lc.ind_lcto} com mais de uma conta contábil/centro de custos",
            )


@regra("REGRA_ENCER_FISCAL")
def encer_fiscal(c: Contexto) -> Iterator[Erro]:
    # Observação I: para cada conta de resultado, EF + F − X (+ TR) = 0.
    soma: dict[str, Decimal] = defaultdict(lambda: ZERO)
    linha: dict[str, int | None] = {}
    for lc in c.bi.lancamentos:
        if lc.ind_lcto not in ("X", "F", "TR", "EF"):
            continue
        sinal = -1 if lc.ind_lcto == "X" else 1
        for p in lc.partidas:
            conta = c.ativa(p.cod_cta, lc.dt_lcto)
            if conta is not None and conta.cod_nat == "04":
                soma[p.cod_cta] += sinal * decimal_dc(p.vl_dc, p.ind_dc)
                linha.setdefault(p.cod_cta, p.linha)
    for cta, total in soma.items():
        if total != 0:
            yield erro(
                "REGRA_ENCER_FISCAL",
                "I250",
                "cod_cta",
                linha[cta],
                f"conta de resultado {cta}: EF + F − X = {saldo_dc(total)}; falta encerramento fiscal",
            )


@regra("REGRA_LCTO_QUARTA_FORMULA")
def quarta_formula(c: Contexto) -> Iterator[Erro]:
    for lc in c.bi.lancamentos:
        ind = Counter(p.ind_dc for p in lc.partidas)
        if lc.ind_lcto != "EF" and len(lc.partidas) > 4 and ind["D"] >= 2 and ind["C"] >= 2:
            yield erro(
                "REGRA_LCTO_QUARTA_FORMULA",
                "I200",
                "num_lcto",
                lc.linha,
                f"lançamento {lc.num_lcto} de quarta fórmula ({len(lc.partidas)} partidas)",
            )


@regra("REGRA_QTD_AJUSTES")
def qtd_ajustes(c: Contexto) -> Iterator[Erro]:
    n = sum(1 for lc in c.bi.lancamentos if lc.ind_lcto in ("X", "F"))
    if n >= 1000:
        yield erro("REGRA_QTD_AJUSTES", "I200", None, None, f"{n} lançamentos X e F (1000 ou mais)")
