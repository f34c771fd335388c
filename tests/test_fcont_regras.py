"""Um teste por REGRA_* implementada: o arquivo válido de ``test_fcont_arquivo`` (ou uma
variante mínima) com uma mutação que quebra só aquela regra.

Quando o próprio manual amarra duas regras (p. ex. a soma dos saldos finais é a dos
iniciais mais débitos menos créditos, então não há como quebrar só uma das três sem
quebrar o saldo final de alguma conta), o caso lista as duas, com o motivo.
Arquivos de entrada (``--entrada``) ignoram REGRA_REGISTRO_NAO_SE_APLICA, que o bloco 9
calculado sempre aciona.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from erario.fcont.arquivo import (
    ArquivoFcont,
    BlocoI,
    BlocoM,
    RegistroI050,
    RegistroI051,
    RegistroI075,
    RegistroI150,
    RegistroI155,
    RegistroI200,
    RegistroI250,
    RegistroI256,
    RegistroI350,
    RegistroJ930,
    RegistroM025,
)
from erario.fcont.escrita import escrever
from erario.fcont.regras import REGRAS
from erario.fcont.regras_controle import validar
from tests.test_fcont_arquivo import arquivo_pequeno

V = Decimal
D = dt.date
Mut = Callable[[ArquivoFcont], ArquivoFcont | bytes]


def _a0(**kw: object) -> Mut:
    return lambda a: dc.replace(a, abertura=dc.replace(a.abertura, **kw))


def _bi(a: ArquivoFcont, **kw: object) -> ArquivoFcont:
    return dc.replace(a, bloco_i=dc.replace(a.bloco_i, **kw))


def _conta(cod: str, **kw: object) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        plano = tuple(dc.replace(c, **kw) if c.cod_cta == cod else c for c in a.bloco_i.plano)
        return _bi(a, plano=plano)

    return f


def _mais_contas(*contas: RegistroI050) -> Mut:
    return lambda a: _bi(a, plano=a.bloco_i.plano + contas)


def _i155(cta: str, **kw: object) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        p = a.bloco_i.saldos_periodicos[0]
        saldos = tuple(dc.replace(s, **kw) if s.cod_cta == cta else s for s in p.saldos)
        return _bi(a, saldos_periodicos=(dc.replace(p, saldos=saldos),))

    return f


def _i156(i: int, **kw: object) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        p = a.bloco_i.saldos_periodicos[0]
        s = p.saldos[1]
        ms = list(s.mapeamentos)
        ms[i] = dc.replace(ms[i], **kw)
        saldos = (p.saldos[0], dc.replace(s, mapeamentos=tuple(ms)), *p.saldos[2:])
        return _bi(a, saldos_periodicos=(dc.replace(p, saldos=saldos),))

    return f


def _i355(i: int, **kw: object) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        r = a.bloco_i.resultados[0]
        ss = list(r.saldos)
        ss[i] = dc.replace(ss[i], **kw)
        return _bi(a, resultados=(dc.replace(r, saldos=tuple(ss)),))

    return f


def _partida(lc: int, pt: int, **kw: object) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        lcs = list(a.bloco_i.lancamentos)
        ps = list(lcs[lc].partidas)
        ps[pt] = dc.replace(ps[pt], **kw)
        lcs[lc] = dc.replace(lcs[lc], partidas=tuple(ps))
        return _bi(a, lancamentos=tuple(lcs))

    return f


def _lanc(
    ind: str, *partidas: tuple[str, str, str], vl: str | None = None, data: D | None = None
) -> Mut:
    """Acrescenta um lançamento; partidas (conta, valor, D/C)."""
    pts = tuple(RegistroI250(c, "", V(v), ind_dc, hist="AJUSTE") for c, v, ind_dc in partidas)
    total = vl if vl is not None else str(sum(V(v) for _, v, d in partidas if d == "D"))
    novo = RegistroI200("N1", data or D(2026, 7, 1), V(total), ind, pts)
    return lambda a: _bi(a, lancamentos=(*a.bloco_i.lancamentos, novo))


def _m020(**kw: object) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        assert a.bloco_m is not None and a.bloco_m.qualificacao is not None
        return dc.replace(
            a, bloco_m=dc.replace(a.bloco_m, qualificacao=dc.replace(a.bloco_m.qualificacao, **kw))
        )

    return f


def _j930(i: int, **kw: object) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        ss = list(a.bloco_j.signatarios)
        ss[i] = dc.replace(ss[i], **kw)
        return dc.replace(a, bloco_j=dc.replace(a.bloco_j, signatarios=tuple(ss)))

    return f


def _txt(velho: str, novo: str) -> Mut:
    def f(a: ArquivoFcont) -> bytes:
        b = escrever(a)
        v = velho.encode("iso-8859-1")
        assert v in b
        return b.replace(v, novo.encode("iso-8859-1"), 1)

    return f


def _e(*fs: Mut) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont | bytes:
        r: ArquivoFcont | bytes = a
        for g in fs:
            assert isinstance(r, ArquivoFcont)
            r = g(r)
        return r

    return f


def _mini(a: ArquivoFcont) -> ArquivoFcont:
    """Só 0000 e J930 (arquivo de entrada): para as regras do 0000."""
    return ArquivoFcont(a.abertura, bloco_j=a.bloco_j)


def _dois_periodos(a: ArquivoFcont) -> ArquivoFcont:
    """Entrada sem bloco M, com dois semestres: Caixa 1.000 D e Capital 1.000 C parados."""

    def saldos() -> tuple[RegistroI155, ...]:
        z = V("0.00")
        return (
            RegistroI155("1111", "", V("1000.00"), "D", z, z, V("1000.00"), "D"),
            RegistroI155("3111", "", V("1000.00"), "C", z, z, V("1000.00"), "C"),
        )

    s1 = RegistroI150(D(2026, 1, 1), D(2026, 6, 30), saldos())
    s2 = RegistroI150(D(2026, 7, 1), D(2026, 12, 31), saldos())
    return ArquivoFcont(
        a.abertura,
        BlocoI(
            plano=a.bloco_i.plano,
            saldos_periodicos=(s1, s2),
            resultados=(RegistroI350(D(2026, 6, 30)), RegistroI350(D(2026, 12, 31))),
        ),
        a.bloco_j,
    )


def _p2(f: Callable[[RegistroI150], RegistroI150]) -> Mut:
    def g(a: ArquivoFcont) -> ArquivoFcont:
        a = _dois_periodos(a)
        p1, p2 = a.bloco_i.saldos_periodicos
        return _bi(a, saldos_periodicos=(p1, f(p2)))

    return g


def _saldo_p2(cta: str, ini: str, ind: str) -> Callable[[RegistroI150], RegistroI150]:
    def f(p: RegistroI150) -> RegistroI150:
        return dc.replace(
            p,
            saldos=tuple(
                dc.replace(s, vl_sld_ini=V(ini), vl_sld_fin=V(ini)) if s.cod_cta == cta else s
                for s in p.saldos
            )
            + (
                ()
                if cta in {s.cod_cta for s in p.saldos}
                else (RegistroI155(cta, "", V(ini), ind, V("0.00"), V("0.00"), V(ini), ind),)
            ),
        )

    return f


def _m025(*novos: RegistroM025) -> Mut:
    def f(a: ArquivoFcont) -> ArquivoFcont:
        assert a.bloco_m is not None
        return dc.replace(
            a, bloco_m=dc.replace(a.bloco_m, saldos_iniciais=a.bloco_m.saldos_iniciais + novos)
        )

    return f


def _trimestral(a: ArquivoFcont) -> ArquivoFcont:
    """Apuração trimestral com um único I150 no ano: incompatível com os M030 trimestrais."""
    assert a.bloco_m is not None
    m030 = a.bloco_m.periodos[0]
    zero = [
        dc.replace(
            m030,
            ind_per=f"T0{i}",
            vl_luc_liq=V("0.00"),
            saldos_patrimoniais=(),
            saldos_resultado=(),
        )
        for i in (1, 2, 3)
    ]
    return _m020(form_apur="T", form_trib_tri="1111")(
        dc.replace(
            a, bloco_m=dc.replace(a.bloco_m, periodos=(*zero, dc.replace(m030, ind_per="T04")))
        )
    )


def _mini_m(**kw: object) -> Mut:
    """0000, J930 e só o M020 (entrada): para os vetores da forma de tributação."""

    def f(a: ArquivoFcont) -> ArquivoFcont:
        assert a.bloco_m is not None and a.bloco_m.qualificacao is not None
        m020 = dc.replace(a.bloco_m.qualificacao, **kw)
        return ArquivoFcont(a.abertura, bloco_j=a.bloco_j, bloco_m=BlocoM(qualificacao=m020))

    return f


_R1 = RegistroI051("10", "", "1.02.01.01.01")
S, E = "saida", "entrada"
# (regra, mutação, modo, demais regras acionadas pela mesma mutação por força do manual)
CASOS: list[tuple[str, Mut, str, tuple[str, ...]]] = [
    # --- estrutura e campos (nível 1)
    (
        "REGRA_ESTRUTURA_INVALIDA",
        _txt("|I075|001|PAGAMENTO A FORNECEDOR|", "|I075|001|PAGAMENTO A FORNECEDOR| "),
        S,
        (),
    ),
    (
        "REGRA_HIERARQUIA_ARQUIVO",
        _txt(
            "|I075|002|ENCERRAMENTO FISCAL DO RESULTADO|\r\n|I100|01012026|CC01|ADMINISTRAÇÃO|",
            "|I100|01012026|CC01|ADMINISTRAÇÃO|\r\n|I075|002|ENCERRAMENTO FISCAL DO RESULTADO|",
        ),
        S,
        (),
    ),
    ("REGRA_REGISTRO_OBRIGATORIO", lambda a: _bi(a, resultados=()), S, ()),
    ("REGRA_REGISTRO_NAO_SE_APLICA", lambda a: a, "entrada-com-9", ()),
    (
        "REGRA_OCORRENCIA_UNITARIA_ARQ",
        _txt("|M020|10|0|||||A|1|||", "|M020|10|0|||||A|1|||\r\n|M020|10|0|||||A|1|||"),
        S,
        (),
    ),
    (
        "REGRA_LIMITE_OCORRENCIAS",
        lambda a: dc.replace(
            a,
            bloco_j=dc.replace(
                a.bloco_j,
                signatarios=(
                    *a.bloco_j.signatarios,
                    RegistroJ930("ANA", "39053344705", "DIRETOR", "203"),
                ),
            ),
        ),
        S,
        (),
    ),
    ("REGRA_CAMPO_INVALIDO", _txt("|I350|31122026|", "|I350|3112202X|"), S, ()),
    ("REGRA_TAMANHO_CAMPO_INVALIDO", _a0(cnpj="1122233300018"), S, ()),
    (
        "REGRA_VALORES_VALIDOS_INVALIDO",
        _txt("|0000000000001200,00|X|", "|0000000000001200,00|Z|"),
        S,
        (),
    ),
    ("REGRA_CAMPO_OBRIGATORIO", _a0(nome=""), S, ()),
    ("REGRA_TABELA_UF", _a0(uf="XX"), S, ()),
    ("REGRA_TABELA_SITUACAO", _a0(ind_sit_esp="7"), S, ()),
    ("REGRA_TABELA_NATUREZA", _conta("2111", cod_nat="07"), S, ()),
    (
        "REGRA_TABELA_ENTIDADES",
        _conta("2111", referenciais=(RegistroI051("30", "", "2.01.01.03.01"),)),
        S,
        (),
    ),
    ("REGRA_TABELA_ASSINANTE", _j930(1, cod_assin="208"), S, ()),
    # --- registro 0000
    (
        "REGRA_DATA_INI_MAIOR",
        _e(
            _mini,
            _a0(dt_ini=D(2026, 6, 30), dt_fin=D(2026, 6, 1), ind_sit_esp="4", ind_sit_ini_per="1"),
        ),
        E,
        (),
    ),
    ("REGRA_ANO_DIFERENTE", _e(_mini, _a0(dt_fin=D(2027, 12, 31))), E, ()),
    ("REGRA_DT_FINAL_ESCRITURACAO", _e(_mini, _a0(dt_fin=D(2026, 6, 30))), E, ()),
    ("REGRA_DT_INICIO_ESCRITURACAO", _e(_mini, _a0(dt_ini=D(2026, 2, 1))), E, ()),
    ("REGRA_DATA_MINIMA", _e(_mini, _a0(dt_ini=D(2009, 1, 1), dt_fin=D(2009, 12, 31))), E, ()),
    ("REGRA_VALIDA_CNPJ", _a0(cnpj="11222333000182"), S, ()),
    # --- plano de contas
    (
        "REGRA_MAIOR_QUE_UM",
        _mais_contas(RegistroI050(D(2026, 1, 1), "05", "S", 0, "5", "", "COMPENSAÇÃO")),
        S,
        (),
    ),
    (
        "REGRA_ANALITICA_NIVEL3",
        _mais_contas(RegistroI050(D(2026, 1, 1), "01", "A", 2, "12", "1", "OUTROS", (_R1,))),
        S,
        (),
    ),
    ("REGRA_COD_CTA_SUP_OBRIGATORIO", _conta("11", cod_cta_sup=""), S, ()),
    ("REGRA_CONTA_SUPERIOR_NAO_SE_APLICA", _conta("1", cod_cta_sup="2"), S, ()),
    ("REGRA_CONTA_SUP_NO_PLANO_CONTAS", _conta("11", cod_cta_sup="9"), S, ()),
    (
        "REGRA_CONTA_NIVEL_SUPERIOR_NAO_SINTETICA",
        _mais_contas(
            RegistroI050(D(2026, 1, 1), "01", "A", 5, "11111", "1111", "CAIXA FILIAL", (_R1,))
        ),
        S,
        (),
    ),
    ("REGRA_NIVEL_DE_CONTA_NIVEL_SUPERIOR_INVALIDO", _conta("2111", nivel=5), S, ()),
    ("REGRA_NATUREZA_CONTA", _conta("2111", cod_nat="03"), S, ()),
    ("REGRA_REGISTRO_OBRIGATORIO_I051", _conta("2111", referenciais=()), S, ()),
    (
        "REGRA_REGISTRO_PARA_CONTA_ANALITICA",
        _conta("211", referenciais=(RegistroI051("10", "", "2.01.01.03.01"),)),
        S,
        (),
    ),
    (
        "REGRA_CCUS_UNICO",
        _conta(
            "2111",
            referenciais=(
                RegistroI051("10", "", "2.01.01.03.01"),
                RegistroI051("10", "CC01", "2.01.01.03.01"),
            ),
        ),
        S,
        (),
    ),
    (
        "REGRA_CCUS_NO_CENTRO_CUSTOS",
        _conta("2111", referenciais=(RegistroI051("10", "CC99", "2.01.01.03.01"),)),
        S,
        (),
    ),
    (
        "REGRA_ERRO_ENTIDADE",
        _conta("2111", referenciais=(RegistroI051("00", "", "2.01.01.03.01"),)),
        S,
        (),
    ),
    (
        "REGRA_DT_ALT_DATA_MAIOR",
        lambda a: _bi(
            a, centros_custo=(dc.replace(a.bloco_i.centros_custo[0], dt_alt=D(2027, 1, 1)),)
        ),
        S,
        (),
    ),
    (
        "REGRA_REGISTRO_DUPLICADO",
        lambda a: _bi(a, historicos=(*a.bloco_i.historicos, RegistroI075("001", "OUTRO"))),
        S,
        (),
    ),
    # --- contas usadas nos saldos e lançamentos
    ("REGRA_CONTA_NO_PLANO_CONTAS", _i355(1, cod_cta="4299"), S, ()),
    ("REGRA_CONTA_ANALITICA", _i355(1, cod_cta="42"), S, ()),
    ("REGRA_NATUREZA_PERMITIDA", _i355(1, cod_cta="2111"), S, ()),
    ("REGRA_CCUS_NAO_ENCONTRADO", _i355(1, cod_ccus="CC01"), S, ()),
    # --- saldos periódicos
    ("REGRA_IND_DC_INI_OBRIGATORIO", _i155("1111", ind_dc_ini=""), S, ()),
    ("REGRA_IND_DC_FIN_OBRIGATORIO", _i155("1111", ind_dc_fin=""), S, ()),
    (
        "REGRA_VALIDACAO_SALDO_FINAL",
        _e(_i155("1111", vl_sld_fin=V("900.00")), _i155("1112", vl_sld_fin=V("3900.00"))),
        S,
        (),
    ),
    # soma dos finais = soma dos iniciais + débitos − créditos: quebrar uma soma quebra o saldo final de uma conta
    (
        "REGRA_VALIDACAO_SOMA_SALDO_INICIAL",
        _e(_i155("1111", vl_sld_ini=V("1100.00")), _m025()),
        S,
        ("REGRA_VALIDACAO_SALDO_FINAL", "REGRA_SALDOI155_IGUAL_RECUPERADO"),
    ),
    (
        "REGRA_VALIDACAO_SOMA_SALDO_FINAL",
        _i155("1111", vl_sld_fin=V("1100.00")),
        S,
        ("REGRA_VALIDACAO_SALDO_FINAL",),
    ),
    (
        "REGRA_VALIDACAO_DEB_DIF_CRED",
        _i155("1111", vl_deb=V("100.00")),
        S,
        ("REGRA_VALIDACAO_SALDO_FINAL",),
    ),
    ("REGRA_MAPEAMENTO_DEBITOS", _i156(0, vl_deb=V("3100.00")), S, ()),
    ("REGRA_MAPEAMENTO_CREDITOS", _i156(0, vl_cred=V("1300.00")), S, ()),
    ("REGRA_CTA_REF_MAPEADA_I051", _i156(0, cod_cta_ref="1.01.01.02.09"), S, ()),
    (
        "REGRA_MAPEAMENTO_CTA_RES",
        lambda a: _i355(
            0,
            mapeamentos=(
                dc.replace(a.bloco_i.resultados[0].saldos[0].mapeamentos[0], vl_cta=V("3900.00")),
                a.bloco_i.resultados[0].saldos[0].mapeamentos[1],
            ),
        )(a),
        S,
        (),
    ),
    (
        "REGRA_BATIMENTO_M025",
        _m025(RegistroM025("2111", "", "2.01.01.03.01", V("0.00"), "C", V("0.00"), "C")),
        S,
        (),
    ),
    (
        "REGRA_SALDOI155_IGUAL_RECUPERADO",
        lambda a: dc.replace(
            a,
            bloco_m=dc.replace(
                a.bloco_m,
                saldos_iniciais=(
                    dc.replace(a.bloco_m.saldos_iniciais[0], vl_sld_fin_soc=V("1100.00")),
                    a.bloco_m.saldos_iniciais[1],
                ),
            ),
        ),
        S,
        (),
    ),  # type: ignore[arg-type, union-attr]
    ("REGRA_BATIMENTO_I155", _p2(lambda p: dc.replace(p, saldos=())), E, ()),
    (
        "REGRA_SALDOI155_IGUAL_PERIODO_ANTERIOR",
        _p2(lambda p: _saldo_p2("3111", "900.00", "C")(_saldo_p2("1111", "900.00", "D")(p))),
        E,
        (),
    ),
    (
        "REGRA_SALDOI155_IGUAL_PERIODO_POSTERIOR",
        _p2(lambda p: _saldo_p2("2111", "100.00", "C")(_saldo_p2("1112", "100.00", "D")(p))),
        E,
        (),
    ),
    ("REGRA_PERIODO_COMUM", _p2(lambda p: dc.replace(p, dt_ini=D(2026, 6, 30))), E, ()),
    (
        "REGRA_PERIODO_SEM_RESULTADO",
        lambda a: _bi(_dois_periodos(a), resultados=(RegistroI350(D(2026, 12, 31)),)),
        E,
        (),
    ),
    (
        "REGRA_RESULTADO_SEM_PERIODO",
        lambda a: _bi(
            _dois_periodos(a),
            resultados=(*_dois_periodos(a).bloco_i.resultados, RegistroI350(D(2026, 9, 30))),
        ),
        E,
        (),
    ),
    # --- lançamentos
    ("REGRA_VALOR_MAIOR_ZERO", _lanc("F", ("1111", "0.00", "D"), ("3111", "0.00", "C")), S, ()),
    (
        "REGRA_VALIDACAO_VL_LCTO_DEB",
        _lanc("F", ("1111", "90.00", "D"), ("3111", "100.00", "C"), vl="100.00"),
        S,
        (),
    ),
    (
        "REGRA_VALIDACAO_VL_LCTO_CRED",
        _lanc("F", ("1111", "100.00", "D"), ("3111", "90.00", "C")),
        S,
        (),
    ),
    (
        "REGRA_DATA_INTERVALO_DO_ARQUIVO",
        lambda a: _lanc("F", ("1111", "1.00", "D"), ("3111", "1.00", "C"), data=D(2027, 1, 5))(
            _bi(_mini(a), plano=a.bloco_i.plano)
        ),
        E,
        (),
    ),
    ("REGRA_HISTORICO_OBRIGATORIO", _partida(2, 0, cod_hist_pad=""), S, ()),
    ("REGRA_COD_HIS_PAD_NO_HISTORICO_PADRAO", _partida(2, 0, cod_hist_pad="009"), S, ()),
    (
        "REGRA_MAPEAMENTO_PARTIDA",
        _partida(0, 1, mapeamentos=(RegistroI256("1.01.01.02.01", V("1100.00"), "C"),)),
        S,
        (),
    ),
    (
        "REGRA_INDICADOR_IGUAL",
        _partida(0, 1, mapeamentos=(RegistroI256("1.01.01.02.01", V("1200.00"), "D"),)),
        S,
        (),
    ),
    (
        "REGRA_CONTA_PARA_LANÇAMENTO_EF",
        _lanc("EF", ("1111", "100.00", "D"), ("3111", "100.00", "C")),
        S,
        (),
    ),
    (
        "REGRA_TIPO_LCTO_PERMITIDO",
        _lanc("TS", ("4201", "100.00", "D"), ("4201", "100.00", "C")),
        S,
        (),
    ),
    (
        "REGRA_TIPO_LCTO_PERMITIDO_TR",
        _e(
            _mais_contas(
                RegistroI050(D(2026, 1, 1), "05", "S", 1, "5", "", "COMPENSAÇÃO"),
                RegistroI050(D(2026, 1, 1), "05", "A", 2, "51", "5", "GARANTIAS"),
            ),
            _lanc("TR", ("51", "100.00", "D"), ("1111", "100.00", "C")),
        ),
        S,
        (),
    ),
    # TR em conta de resultado sem quebrar o encerramento fiscal: débito e crédito na mesma conta
    (
        "REGRA_TIPO_LCTO_PERMITIDO_TR_RES",
        _lanc("TR", ("4201", "100.00", "D"), ("4201", "100.00", "C")),
        S,
        ("REGRA_REPETICAO_CTA",),
    ),
    (
        "REGRA_REPETICAO_CTA",
        _lanc("TR", ("1111", "50.00", "D"), ("1111", "50.00", "D"), ("1111", "100.00", "C")),
        S,
        (),
    ),
    (
        "REGRA_MESMA_CTA_REF_TR",
        _lanc("TR", ("1111", "100.00", "D"), ("3111", "100.00", "C")),
        S,
        (),
    ),
    (
        "REGRA_MESMA_CTA_CONTABIL_TF_TS",
        _lanc("TF", ("1111", "100.00", "D"), ("3111", "100.00", "C")),
        S,
        (),
    ),
    ("REGRA_ENCER_FISCAL", lambda a: _bi(a, lancamentos=a.bloco_i.lancamentos[:2]), S, ()),
    (
        "REGRA_LCTO_QUARTA_FORMULA",
        _lanc(
            "F",
            ("1111", "10.00", "D"),
            ("1111", "10.00", "D"),
            ("1111", "10.00", "D"),
            ("3111", "15.00", "C"),
            ("3111", "15.00", "C"),
        ),
        S,
        (),
    ),
    (
        "REGRA_QTD_AJUSTES",
        _e(*[_lanc("F", ("1111", "1.00", "D"), ("3111", "1.00", "C"))] * 998),
        S,
        (),
    ),
    # --- signatários
    ("REGRA_VALIDA_CPF", _j930(0, ident_cpf_cnpj="52998224726"), S, ()),
    ("REGRA_VALIDA_CPF_CNPJ", _j930(1, ident_cpf_cnpj="123"), S, ()),
    ("REGRA_CONTADOR_CPF", _j930(0, ident_cpf_cnpj="11222333000181"), S, ()),
    ("REGRA_OBRIGATORIO_CONTADOR", _j930(0, ind_crc=""), S, ()),
    ("REGRA_TABELA_ASSINANTE_DESC", _j930(0, ident_qualif="DIRETOR"), S, ()),
    (
        "REGRA_OBRIGATORIO_ASSIN_CONTADOR",
        _j930(1, ident_qualif="CONTADOR", cod_assin="900", ind_crc="SC1"),
        S,
        (),
    ),
    # --- bloco M
    ("REGRA_FORM_TRIB", _m020(form_tribut="3"), S, ()),
    # anual só aceita formas 1 e 2, então presumido em Susep/Cosif também quebra a REGRA_FORM_TRIB
    ("REGRA_FORM_TRIB_QUALI_PJ", _mini_m(quali_pj="20", form_tribut="3"), E, ("REGRA_FORM_TRIB",)),
    ("REGRA_TRIM_LUC_ARB_OBRIGATORIO", _m020(trim_luc_arb="0000"), S, ()),
    ("REGRA_VETOR_ARB", _mini_m(form_tribut="2", trim_luc_arb="01X1"), E, ()),
    ("REGRA_ARB_REAL", _mini_m(form_tribut="2", trim_luc_arb="1111"), E, ()),
    ("REGRA_FORM_TRIB_TRI_OBRIGATORIO", _m020(form_trib_tri="1111"), S, ()),
    ("REGRA_TAB_FORM_TRIB", _mini_m(form_apur="T", form_tribut="1", form_trib_tri="X444"), E, ()),
    (
        "REGRA_REAL_PERMITIDA",
        _mini_m(form_apur="T", form_tribut="1", form_trib_tri="2444"),
        E,
        ("REGRA_REAL_EXISTENTE",),
    ),
    ("REGRA_REAL_EXISTENTE", _mini_m(form_apur="T", form_tribut="1", form_trib_tri="4444"), E, ()),
    (
        "REGRA_REAL_ARB_PERMITIDA",
        _mini_m(form_apur="T", form_tribut="2", form_trib_tri="3344"),
        E,
        ("REGRA_REAL_ARB_EXISTENTE",),
    ),
    (
        "REGRA_REAL_ARB_EXISTENTE",
        _mini_m(form_apur="T", form_tribut="2", form_trib_tri="2244"),
        E,
        (),
    ),
    (
        "REGRA_REAL_PRES_PERMITIDA",
        _mini_m(form_apur="T", form_tribut="3", form_trib_tri="3322"),
        E,
        ("REGRA_REAL_PRES_EXISTENTE",),
    ),
    (
        "REGRA_REAL_PRES_EXISTENTE",
        _mini_m(form_apur="T", form_tribut="3", form_trib_tri="3344"),
        E,
        (),
    ),
    (
        "REGRA_REAL_PRES_ARB_EXISTENTE",
        _mini_m(form_apur="T", form_tribut="4", form_trib_tri="3344"),
        E,
        (),
    ),
    (
        "REGRA_PRESUMIDO_PRIMEIRO",
        _mini_m(form_apur="T", form_tribut="3", form_trib_tri="4413"),
        E,
        ("REGRA_PERIODO_COMPATIVEL_M020_TRI",),
    ),
    (
        "REGRA_FORM_TRIB_FORA_PERIODO",
        _e(
            _mini_m(form_apur="T", form_tribut="3", form_trib_tri="3314"),
            _a0(dt_fin=D(2026, 9, 30), ind_sit_esp="4"),
        ),
        E,
        ("REGRA_PERIODO_COMPATIVEL_M020_TRI",),
    ),
    ("REGRA_REC_ANTERIOR_OBRIGATORIO", _m020(tipo_escrit="1"), S, ()),
    ("REGRA_NRO_REC_ANTERIOR_NAO_SE_APLICA", _m020(nro_rec_anterior="1" * 41), S, ()),
    (
        "REGRA_RECUPER_COM_INI_ATIV",
        _e(_m020(id_escr_per_ant="A" * 40), _a0(ind_sit_ini_per="3")),
        S,
        (),
    ),
    (
        "REGRA_LCTO_SUSEP_COSIF",
        _e(
            _m020(quali_pj="20"),
            lambda a: _bi(
                a,
                plano=tuple(
                    dc.replace(
                        c,
                        referenciais=tuple(dc.replace(r, cod_ent_ref="20") for r in c.referenciais),
                    )
                    for c in a.bloco_i.plano
                ),
            ),
        ),
        S,
        (),
    ),
    (
        "REGRA_LCTO_PERMITIDO_IS_IF",
        _e(_m020(ind_lcto_ini_sld="0"), _lanc("IF", ("1111", "1.00", "D"), ("3111", "1.00", "C"))),
        S,
        (),
    ),
    (
        "REGRA_PERIODO_COMPATIVEL_M020_ANUAL",
        lambda a: dc.replace(
            a,
            bloco_m=dc.replace(
                a.bloco_m, periodos=(dc.replace(a.bloco_m.periodos[0], ind_per="T04"),)
            ),
        ),
        S,
        (
            "REGRA_PERIODO_COMPATIVEL_M030",
            "REGRA_PERIODO_COMPATÍVEL_I150",
            "REGRA_DATA_LCTO_FORA_PERIODO_APURACAO",
        ),
    ),  # type: ignore[arg-type, union-attr]
    (
        "REGRA_PERIODO_COMPATIVEL_M020_TRI",
        _mini_m(form_apur="T", form_tribut="1", form_trib_tri="1111"),
        E,
        (),
    ),
    (
        "REGRA_PERIODO_COMPATIVEL_M020_FORM_TRIB_TRI",
        _e(_trimestral, _m020(form_tribut="2", form_trib_tri="1112")),
        S,
        ("REGRA_PERIODO_COMPATIVEL_M030", "REGRA_PERIODO_COMPATÍVEL_I150"),
    ),
    # um único I150 anual numa apuração trimestral: nenhum M030 o contém e nenhum I150 cabe num M030
    ("REGRA_PERIODO_COMPATIVEL_M030", _trimestral, S, ("REGRA_PERIODO_COMPATÍVEL_I150",)),
    ("REGRA_PERIODO_COMPATÍVEL_I150", _trimestral, S, ("REGRA_PERIODO_COMPATIVEL_M030",)),
    # com A00 = período do arquivo, lançamento fora da apuração também está fora do arquivo
    (
        "REGRA_DATA_LCTO_FORA_PERIODO_APURACAO",
        _lanc("F", ("1111", "1.00", "D"), ("3111", "1.00", "C"), data=D(2027, 1, 5)),
        S,
        ("REGRA_DATA_INTERVALO_DO_ARQUIVO",),
    ),
    (
        "REGRA_DT_INI_FORA_PERIODO_APURACAO",
        lambda a: _bi(
            a, saldos_periodicos=(dc.replace(a.bloco_i.saldos_periodicos[0], dt_ini=D(2026, 1, 2)),)
        ),
        S,
        (),
    ),
    (
        "REGRA_DATA_FORA_PERIODO_APURACAO",
        lambda a: _bi(
            a,
            saldos_periodicos=(dc.replace(a.bloco_i.saldos_periodicos[0], dt_fin=D(2026, 12, 30)),),
            resultados=(dc.replace(a.bloco_i.resultados[0], dt_res=D(2026, 12, 30)),),
        ),
        S,
        (),
    ),
    (
        "REGRA_LUC_LIQ",
        lambda a: dc.replace(
            a,
            bloco_m=dc.replace(
                a.bloco_m, periodos=(dc.replace(a.bloco_m.periodos[0], vl_luc_liq=V("3700.00")),)
            ),
        ),
        S,
        (),
    ),  # type: ignore[arg-type, union-attr]
    # --- contagens (bloco 9 e encerramentos)
    ("REGRA_QTD_LIN_BLOCOI", _txt("|I990|56|", "|I990|55|"), S, ()),
    ("REGRA_QTD_LIN_BLOCOJ", _txt("|J990|4|", "|J990|3|"), S, ()),
    ("REGRA_QTD_LIN_BLOCOM", _txt("|M990|14|", "|M990|15|"), S, ()),
    ("REGRA_QTD_LIN_BLOCO9", _txt("|9990|33|", "|9990|32|"), S, ()),
    ("REGRA_QTD_LIN_ARQUIVO", _txt("|9999|108|", "|9999|107|"), S, ()),
    ("REGRA_QTD_REG_BLC", _txt("|9900|I050|19|", "|9900|I050|18|"), S, ()),
    (
        "REGRA_QTD_REG_BLC_OBRIGATORIO",
        _txt("|9900|I100|1|\r\n", "|9900|I355|2|\r\n"),
        S,
        ("REGRA_REG_BLC_DUPLICIDADE",),
    ),
    (
        "REGRA_REG_BLC_DUPLICIDADE",
        _txt("|9900|I100|1|\r\n", "|9900|I100|1|\r\n|9900|I100|1|\r\n"),
        S,
        ("REGRA_QTD_REG_BLC", "REGRA_QTD_LIN_BLOCO9", "REGRA_QTD_LIN_ARQUIVO"),
    ),
    ("FCONT-IND-DAD", _txt("|J001|0|", "|J001|1|"), S, ()),
]


@pytest.mark.parametrize(("nome", "mutacao", "modo", "junto"), CASOS, ids=[c[0] for c in CASOS])
def test_mutacao_quebra_so_a_regra(
    nome: str, mutacao: Mut, modo: str, junto: tuple[str, ...]
) -> None:
    r = mutacao(arquivo_pequeno())
    conteudo = r if isinstance(r, bytes) else escrever(r)
    v = validar(conteudo, entrada=modo != S)
    achadas = {e.regra for e in v.erros + v.avisos}
    if modo == E:
        achadas.discard("REGRA_REGISTRO_NAO_SE_APLICA")
    assert achadas == {nome, *junto}, [str(e) for e in v.erros + v.avisos]
    e = next(e for e in v.erros + v.avisos if e.regra == nome)
    assert e.origem, "toda violação cita o registro"


def test_toda_regra_registrada_tem_caso() -> None:
    casos = {c[0] for c in CASOS}
    assert set(REGRAS) - casos == set()


def test_violacao_cita_linha_registro_campo_e_regra() -> None:
    v = validar(escrever(_a0(cnpj="11222333000182")(arquivo_pequeno())))
    (e,) = v.erros
    assert (
        str(e) == "0000, linha 1, campo 6. CNPJ: [REGRA_VALIDA_CNPJ] CNPJ 11222333000182 inválido"
    )


def test_estrutura_com_erro_nao_roda_as_regras_entre_registros() -> None:
    """Item 2.7: erros de nível 1 impedem o nível seguinte (como no PVA)."""
    b = escrever(_a0(cnpj="11222333000182")(arquivo_pequeno())).replace(b"|I001|0|", b"|I001|9|")
    v = validar(b)
    assert not v.completa
    assert {e.regra for e in v.erros} == {"REGRA_VALORES_VALIDOS_INVALIDO"}
