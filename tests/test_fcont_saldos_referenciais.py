"""SPED FCONT: M155 e M355 (manual, itens 2.6.4.5 e 2.6.4.6) de uma empresa pequena,
conferidos à mão campo a campo, e o arquivo válido como saída e como entrada do PVA.

Empresa com apuração trimestral (T01 e T02, escrituração até 30/06 por cisão).
Valores em reais; contas: caixa 1.1.1.01, banco 1.1.1.02, veículo 1.2.1.01,
depreciação acumulada 1.2.1.02, depreciação incentivada (só fiscal) 1.2.1.03,
capital 2.3.1.01, lucros 2.3.1.02, vendas 3.1.1.01, despesa de depreciação 3.2.1.01.

T01 — comercial: abertura caixa 10.000 D, veículo 40.000 D, capital 50.000 C;
vendas 30.000 à vista; caixa → banco 5.000 e de volta (banco zera); depreciação
2.000; encerramento: lucro 30.000 − 2.000 = 28.000. Fiscal: X da depreciação
comercial (2.000); F depreciação fiscal 3.000; F depreciação incentivada 500 (conta
patrimonial puramente fiscal); EF: despesa −X + F = −2.000 + 3.500 = 1.500 D, logo
EF C 1.500 na despesa contra lucros.

T02 — comercial: vendas 10.000 à vista; depreciação 2.000; lucro 8.000. Fiscal: F
depreciação 1.000; F reversão da incentivada 500 (D incentivada, C despesa); EF:
despesa F 1.000 − 500 = 500 D, logo EF C 500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from erario.fcont.arquivo import RegistroM155, RegistroM355, decimal_dc
from erario.fcont.escrita import escrever
from erario.fcont.escrituracao import Escrituracao, Periodo, Signatario, periodos
from erario.fcont.geracao import TotaisPeriodo, montar_arquivo
from erario.fcont.leitura import ler
from erario.fcont.livros import Mapeamento, ler_plano_empresa_csv
from erario.fcont.regras_controle import validar
from erario.fcont.visoes import Visao, saldos_na_visao
from erario.razao.modelo import Entidade, Lancamento, Partida, TipoEntidade

SLUG = "padaria"
PLANO = """CONTA;TITULO;NATUREZA
1.0.0.00;ATIVO;01
1.1.0.00;CIRCULANTE;01
1.1.1.00;DISPONIVEL;01
1.1.1.01;CAIXA;01
1.1.1.02;BANCO;01
1.2.0.00;NAO CIRCULANTE;01
1.2.1.00;IMOBILIZADO;01
1.2.1.01;VEICULO;01
1.2.1.02;DEPRECIACAO ACUMULADA;01
1.2.1.03;DEPRECIACAO INCENTIVADA;01
2.0.0.00;PASSIVO;02
2.3.0.00;PATRIMONIO LIQUIDO;03
2.3.1.00;CAPITAL E LUCROS;03
2.3.1.01;CAPITAL;03
2.3.1.02;LUCROS ACUMULADOS;03
3.0.0.00;RESULTADO;04
3.1.0.00;RECEITAS;04
3.1.1.00;RECEITAS OPERACIONAIS;04
3.1.1.01;VENDAS;04
3.2.0.00;DESPESAS;04
3.2.1.00;DESPESAS OPERACIONAIS;04
3.2.1.01;DEPRECIACAO;04
"""
REFERENCIAL = {
    "1.1.1.01": "1.01.01.01.00",
    "1.1.1.02": "1.01.01.02.00",
    "1.2.1.01": "1.02.03.01.00",
    "1.2.1.02": "1.02.03.01.99",
    "1.2.1.03": "1.02.03.01.98",
    "2.3.1.01": "2.03.01.01.00",
    "2.3.1.02": "2.03.04.01.00",
    "3.1.1.01": "3.01.01.01.00",
    "3.2.1.01": "3.02.01.05.00",
}
CAIXA, BANCO, VEICULO, DEPR, INCENT = "1.1.1.01", "1.1.1.02", "1.2.1.01", "1.2.1.02", "1.2.1.03"
CAPITAL, LUCROS, VENDAS, DESPESA = "2.3.1.01", "2.3.1.02", "3.1.1.01", "3.2.1.01"
T1, T2 = dt.date(2026, 3, 31), dt.date(2026, 6, 30)


def R(reais: int) -> int:
    """Reais inteiros → centavos."""
    return reais * 100


def _lanc(livro: str, numero: str, data: dt.date, *partidas: tuple[str, str, int]) -> Lancamento:
    origem = f"fcont-x:{numero}" if livro == "X" else None
    return Lancamento(
        SLUG,
        data,
        f"Ajuste {numero}",
        tuple(Partida(c, dc, R(v)) for c, dc, v in partidas),
        numero=f"{livro}-{numero}",
        livro=livro,
        origem=origem,
    )


EMPRESA = Entidade(
    SLUG, "Padaria Municipal S.A.", "77556644000195", TipoEntidade.EMPRESA, "4399906", "10131"
)
SIGNATARIOS = (
    Signatario("ANA DIRETORA", "12345678909", "205"),
    Signatario("CARLOS CONTADOR", "98765432100", "900", "RS-012345/O-6"),
)
MAPEAMENTOS = [Mapeamento(c, "", r, dt.date(2026, 1, 1)) for c, r in REFERENCIAL.items()]


def _pe():  # type: ignore[no-untyped-def]
    pe, erros = ler_plano_empresa_csv(PLANO, "PADARIA")
    assert pe is not None, erros
    return pe


def _arquivo():  # type: ignore[no-untyped-def]
    pe = _pe()
    esc = Escrituracao(
        SLUG,
        dt.date(2026, 1, 1),
        T2,
        SIGNATARIOS,
        uf="RS",
        situacao_especial="1",
        forma_apuracao="T",
        trimestres="1100",
    )
    p1, p2 = periodos(esc)
    assert (p1, p2) == (
        Periodo(dt.date(2026, 1, 1), T1, "T01"),
        Periodo(dt.date(2026, 4, 1), T2, "T02"),
    )
    # Livro comercial: (inicial com sinal, débitos, créditos) das patrimoniais, com o
    # encerramento; resultado antes do encerramento.
    totais = {
        p1: TotaisPeriodo(
            {
                CAIXA: (R(10_000), R(30_000 + 5_000), R(5_000)),  # vendas; volta do banco
                BANCO: (0, R(5_000), R(5_000)),  # zera no trimestre
                VEICULO: (R(40_000), 0, 0),
                DEPR: (0, 0, R(2_000)),
                CAPITAL: (R(-50_000), 0, 0),
                LUCROS: (0, 0, R(28_000)),
            },
            {VENDAS: R(-30_000), DESPESA: R(2_000)},
        ),
        p2: TotaisPeriodo(
            {
                CAIXA: (R(40_000), R(10_000), 0),
                VEICULO: (R(40_000), 0, 0),
                DEPR: (R(-2_000), 0, R(2_000)),
                CAPITAL: (R(-50_000), 0, 0),
                LUCROS: (R(-28_000), 0, R(8_000)),
            },
            {VENDAS: R(-10_000), DESPESA: R(2_000)},
        ),
    }
    fiscais = [
        _lanc("X", "DEP-T1", T1, (DESPESA, "D", 2_000), (DEPR, "C", 2_000)),
        _lanc("F", "DEPF-T1", T1, (DESPESA, "D", 3_000), (DEPR, "C", 3_000)),
        _lanc("F", "INC-T1", T1, (DESPESA, "D", 500), (INCENT, "C", 500)),
        _lanc("E", "EF-T1", T1, (DESPESA, "C", 1_500), (LUCROS, "D", 1_500)),
        _lanc("F", "DEPF-T2", T2, (DESPESA, "D", 1_000), (DEPR, "C", 1_000)),
        _lanc("F", "INC-T2", T2, (INCENT, "D", 500), (DESPESA, "C", 500)),
        _lanc("E", "EF-T2", T2, (DESPESA, "C", 500), (LUCROS, "D", 500)),
    ]
    arquivo, erros = montar_arquivo(EMPRESA, esc, pe, MAPEAMENTOS, [], [], totais, fiscais)
    assert erros == [] and arquivo is not None
    return arquivo


def D(reais: int) -> Decimal:
    return Decimal(f"{reais}.00")


def _sld(m: RegistroM155) -> tuple[int, int, int, int, int, int]:
    """Saldos com sinal (devedor +): SOC_ANT, INI_SOC, FC_ANT, INI_FC, FIN_FC, FIN_SOC."""
    return tuple(  # type: ignore[return-value]
        int(decimal_dc(v, i))
        for v, i in (
            (m.vl_sld_ini_soc_ant, m.ind_dc_ini_soc_ant),
            (m.vl_sld_ini_soc, m.ind_dc_ini_soc),
            (m.vl_sld_ini_fc_ant, m.ind_dc_ini_fc_ant),
            (m.vl_sld_ini_fc, m.ind_dc_ini_fc),
            (m.vl_sld_fin_fc, m.ind_dc_fin_fc),
            (m.vl_sld_fin_soc, m.ind_dc_fin_soc),
        )
    )


def _mov(m: RegistroM155) -> dict[str, int]:
    """Campos de movimento diferentes de zero."""
    nomes = (
        *("vl_is_deb", "vl_is_cred", "vl_if_deb", "vl_if_cred"),
        *("vl_deb_contabil", "vl_cred_contabil"),
        *("vl_deb_fcont_e", "vl_cred_fcont_e", "vl_deb_fcont_i", "vl_cred_fcont_i"),
        *("vl_tr_deb", "vl_tr_cred", "vl_tf_deb", "vl_tf_cred", "vl_ts_deb", "vl_ts_cred"),
        *("vl_ef_deb", "vl_ef_cred"),
    )
    return {n: int(getattr(m, n)) for n in nomes if getattr(m, n)}


def _m355(m: RegistroM355) -> tuple[int, int, int, int, int, int]:
    return (
        int(decimal_dc(m.vl_sld_fin_soc, m.ind_dc_fin_soc)),
        int(m.vl_deb_fcont_e),
        int(m.vl_cred_fcont_e),
        int(m.vl_deb_fcont_i),
        int(m.vl_cred_fcont_i),
        int(decimal_dc(m.vl_sld_fin_fc_al, m.ind_dc_fin_fc_al)),
    )


def test_m155_m355_trimestrais_a_mao() -> None:
    arquivo = _arquivo()
    assert arquivo.bloco_m is not None
    t1, t2 = arquivo.bloco_m.periodos
    assert (t1.ind_per, t1.vl_luc_liq, t1.ind_luc_liq) == ("T01", D(28_000), "C")
    assert (t2.ind_per, t2.vl_luc_liq, t2.ind_luc_liq) == ("T02", D(8_000), "C")

    # ------------------------------------------------------------------ T01
    m1 = {m.cod_cta: m for m in t1.saldos_patrimoniais}
    assert [(m.cod_cta, m.cod_ccus, m.cod_cta_ref) for m in t1.saldos_patrimoniais] == [
        (c, "", REFERENCIAL[c]) for c in (CAIXA, BANCO, VEICULO, DEPR, INCENT, CAPITAL, LUCROS)
    ]
    # Caixa: "ANT" do M025 (10.000 D, fiscal = societário); 10.000 + 35.000 − 5.000 = 40.000 D.
    assert _sld(m1[CAIXA]) == (10_000, 10_000, 10_000, 10_000, 40_000, 40_000)
    assert _mov(m1[CAIXA]) == {"vl_deb_contabil": 35_000, "vl_cred_contabil": 5_000}
    # Banco: só do I155 ("ANT" zero); 0 + 5.000 − 5.000 = 0.
    assert _sld(m1[BANCO]) == (0, 0, 0, 0, 0, 0)
    assert _mov(m1[BANCO]) == {"vl_deb_contabil": 5_000, "vl_cred_contabil": 5_000}
    assert _sld(m1[VEICULO]) == (40_000, 40_000, 40_000, 40_000, 40_000, 40_000)
    assert _mov(m1[VEICULO]) == {}
    # Depreciação acumulada: societário 0 − 2.000 = 2.000 C; fiscal 0 − 2.000 (crédito
    # contábil) + 2.000 (expurgo credor) − 3.000 (inclusão credora) = 3.000 C.
    assert _sld(m1[DEPR]) == (0, 0, 0, 0, -3_000, -2_000)
    assert _mov(m1[DEPR]) == {
        "vl_cred_contabil": 2_000,
        "vl_cred_fcont_e": 2_000,
        "vl_cred_fcont_i": 3_000,
    }
    # Incentivada: sem I155 nem M025; criada pela partida F ("contas puramente fiscais"):
    # fiscal 0 − 500 = 500 C; societário 0.
    assert _sld(m1[INCENT]) == (0, 0, 0, 0, -500, 0)
    assert _mov(m1[INCENT]) == {"vl_cred_fcont_i": 500}
    assert _sld(m1[CAPITAL]) == (-50_000, -50_000, -50_000, -50_000, -50_000, -50_000)
    # Lucros: societário 0 − 28.000 = 28.000 C; fiscal −28.000 + 1.500 (EF devedor) = 26.500 C.
    assert _sld(m1[LUCROS]) == (0, 0, 0, 0, -26_500, -28_000)
    assert _mov(m1[LUCROS]) == {"vl_cred_contabil": 28_000, "vl_ef_deb": 1_500}
    # Fiscal fecha: 40.000 + 0 + 40.000 − 3.000 − 500 − 50.000 − 26.500 = 0.
    assert sum(_sld(m)[4] for m in m1.values()) == 0

    # M355 T01: (societário, X D, X C, F D, F C, fiscal após lançamentos).
    # Vendas 30.000 C sem ajustes; despesa 2.000 D − 2.000 (X) + 3.000 + 500 (F) = 3.500 D.
    assert {m.cod_cta: _m355(m) for m in t1.saldos_resultado} == {
        VENDAS: (-30_000, 0, 0, 0, 0, -30_000),
        DESPESA: (2_000, 2_000, 0, 3_500, 0, 3_500),
    }
    assert [m.cod_cta_ref for m in t1.saldos_resultado] == [
        REFERENCIAL[VENDAS],
        REFERENCIAL[DESPESA],
    ]

    # ------------------------------------------------------------------ T02
    # "ANT" = finais do M155 de T01 diferentes de zero: o banco (0 e 0) não vem.
    m2 = {m.cod_cta: m for m in t2.saldos_patrimoniais}
    assert sorted(m2) == [CAIXA, VEICULO, DEPR, INCENT, CAPITAL, LUCROS]
    # Caixa: 40.000 + 10.000 = 50.000 D.
    assert _sld(m2[CAIXA]) == (40_000, 40_000, 40_000, 40_000, 50_000, 50_000)
    assert _mov(m2[CAIXA]) == {"vl_deb_contabil": 10_000}
    # Depreciação acumulada: "ANT" societário 2.000 C, fiscal 3.000 C; societário
    # −2.000 − 2.000 = 4.000 C; fiscal −3.000 − 2.000 − 1.000 (inclusão credora) = 6.000 C
    # (sem X em T02: a depreciação comercial de T02 fica na visão fiscal).
    assert _sld(m2[DEPR]) == (-2_000, -2_000, -3_000, -3_000, -6_000, -4_000)
    assert _mov(m2[DEPR]) == {"vl_cred_contabil": 2_000, "vl_cred_fcont_i": 1_000}
    # Incentivada: "ANT" fiscal 500 C (societário 0); reversão F D 500: fiscal zera.
    assert _sld(m2[INCENT]) == (0, 0, -500, -500, 0, 0)
    assert _mov(m2[INCENT]) == {"vl_deb_fcont_i": 500}
    # Lucros: societário −28.000 − 8.000 = 36.000 C; fiscal −26.500 − 8.000 + 500 = 34.000 C.
    assert _sld(m2[LUCROS]) == (-28_000, -28_000, -26_500, -26_500, -34_000, -36_000)
    assert _mov(m2[LUCROS]) == {"vl_cred_contabil": 8_000, "vl_ef_deb": 500}
    assert _sld(m2[VEICULO])[4:] == (40_000, 40_000)
    assert _sld(m2[CAPITAL])[4:] == (-50_000, -50_000)
    # Fiscal fecha: 50.000 + 40.000 − 6.000 + 0 − 50.000 − 34.000 = 0; societário também:
    # 50.000 + 40.000 − 4.000 − 50.000 − 36.000 = 0.
    assert sum(_sld(m)[4] for m in m2.values()) == 0
    assert sum(_sld(m)[5] for m in m2.values()) == 0
    # Despesa: 2.000 D + 1.000 (F D) − 500 (F C) = 2.500 D.
    assert {m.cod_cta: _m355(m) for m in t2.saldos_resultado} == {
        VENDAS: (-10_000, 0, 0, 0, 0, -10_000),
        DESPESA: (2_000, 0, 0, 1_000, 500, 2_500),
    }


def test_arquivo_trimestral_valido_como_saida_e_entrada() -> None:
    arquivo = _arquivo()
    conteudo = escrever(arquivo)
    lido, erros = ler(conteudo)
    assert erros == [] and lido == arquivo  # ida e volta com M155 e M355
    # Linha do M155 da depreciação acumulada em T01, campo a campo (N 019 02).
    z = "0000000000000000,00"
    linha = (
        f"|M155|{DEPR}||1.02.03.01.99|{z}|D|{z}|{z}|{z}|D|{z}|D|{z}|{z}|{z}|D|{z}|"
        f"0000000000002000,00|{z}|0000000000002000,00|{z}|0000000000003000,00|"
        f"{z}|{z}|{z}|{z}|{z}|{z}|{z}|{z}|0000000000003000,00|C|0000000000002000,00|C|\r\n"
    ).encode("latin-1")
    assert linha in conteudo
    saida = validar(conteudo)
    assert saida.completa and saida.erros == [] and saida.avisos == []
    entrada = validar(conteudo, entrada=True)
    assert entrada.completa and entrada.erros == []
    assert {a.regra for a in entrada.avisos} == {"REGRA_REGISTRO_NAO_SE_APLICA"}


def test_sem_m155_o_arquivo_de_saida_reprova() -> None:
    # Sem os M155/M355 o arquivo só passaria como entrada do PVA (o problema resolvido).
    arquivo = _arquivo()
    assert arquivo.bloco_m is not None
    periodos_sem = tuple(
        replace(m, saldos_patrimoniais=(), saldos_resultado=()) for m in arquivo.bloco_m.periodos
    )
    conteudo = escrever(replace(arquivo, bloco_m=replace(arquivo.bloco_m, periodos=periodos_sem)))
    assert [e.regra for e in validar(conteudo).erros] == [
        "REGRA_REGISTRO_OBRIGATORIO",
        "REGRA_REGISTRO_OBRIGATORIO",
    ]
    assert validar(conteudo, entrada=True).erros == []


# ------------------------------------------------------------------ propriedade
PATRIMONIAIS = [CAIXA, BANCO, VEICULO, DEPR, INCENT, CAPITAL, LUCROS]
# Livro do razão de cada tipo fiscal (fcont.lancamentos_fiscais.TIPOS).
LIVROS = ["X", "F", "E", "S", "I", "T", "G", "R"]
_valor = st.integers(0, 10**9)


@settings(max_examples=60, deadline=None)
@given(
    comercial=st.dictionaries(
        st.sampled_from(PATRIMONIAIS), st.tuples(st.integers(-(10**9), 10**9), _valor, _valor)
    ),
    ajustes=st.lists(
        st.tuples(
            st.sampled_from(LIVROS),
            st.sampled_from(PATRIMONIAIS),
            st.sampled_from(PATRIMONIAIS),
            st.integers(1, 10**9),
        ),
        max_size=8,
    ),
)
def test_m155_igual_as_visoes_do_balancete(
    comercial: dict[str, tuple[int, int, int]], ajustes: list[tuple[str, str, str, int]]
) -> None:
    """Os saldos finais do M155 (fórmulas do manual) são os das visões societária e
    fiscal do erario (soma dos livros com sinal, ``fcont.visoes``), conta a conta."""
    esc = Escrituracao(SLUG, dt.date(2026, 1, 1), dt.date(2026, 12, 31), SIGNATARIOS, uf="RS")
    (p,) = periodos(esc)
    data = dt.date(2026, 6, 30)
    fiscais = [
        Lancamento(
            SLUG,
            data,
            f"ajuste {n}",
            (Partida(d, "D", v), Partida(c, "C", v)),
            numero=f"A{n}",
            livro=livro,
            origem=f"fcont-x:C{n}" if livro == "X" else None,
        )
        for n, (livro, d, c, v) in enumerate(ajustes)
    ]
    arquivo, erros = montar_arquivo(
        EMPRESA, esc, _pe(), MAPEAMENTOS, [], [], {p: TotaisPeriodo(comercial, {})}, fiscais
    )
    assert erros == [] and arquivo is not None and arquivo.bloco_m is not None
    por_livro: dict[str, dict[str, int]] = {
        "C": {k: ini + deb - cred for k, (ini, deb, cred) in comercial.items()}
    }
    for livro, d, c, v in ajustes:
        contas = por_livro.setdefault(livro, {})
        contas[d] = contas.get(d, 0) + v
        contas[c] = contas.get(c, 0) - v
    fiscal = saldos_na_visao(por_livro, Visao.FISCAL)
    societaria = saldos_na_visao(por_livro, Visao.SOCIETARIA)
    (m030,) = arquivo.bloco_m.periodos
    m155 = {m.cod_cta: m for m in m030.saldos_patrimoniais}
    for conta in PATRIMONIAIS:
        fin_fc = fin_soc = 0
        if conta in m155:
            m = m155[conta]
            fin_fc = int(decimal_dc(m.vl_sld_fin_fc, m.ind_dc_fin_fc) * 100)
            fin_soc = int(decimal_dc(m.vl_sld_fin_soc, m.ind_dc_fin_soc) * 100)
        assert (fin_fc, fin_soc) == (fiscal.get(conta, 0), societaria.get(conta, 0))
