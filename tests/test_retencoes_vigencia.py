"""Retenções com vigência por data (issue 16): INSS de PJ sem teto, outras fontes pela
folga do teto, tabelas do IRRF e tetos do INSS por data com o histórico oficial que o
erario traz, recusa sem tabela em vigor e as regras do IR de 2026 (desconto
simplificado e redução da Lei 15.270/2025).

Toda cifra está calculada à mão no comentário ao lado (ROUND_HALF_UP ao centavo em
cada produto; "→" marca o arredondamento).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erario.execucao.cadastros import Credor
from erario.retencoes.cadastros import (
    InssOutrasFontes,
    ServicoDesconto,
    TabelaIRRF,
    TetoINSS,
    validar_tabela_irrf,
    validar_tetos_inss,
)
from erario.retencoes.calculo import (
    OPCOES_DA_LEI,
    LiquidacaoServico,
    OpcoesIRRF,
    ResultadoCalculo,
    calcular_mes,
    irrf_do_mes,
    multiplicar,
    percentual_sobre,
    tabela_vigente,
    teto_vigente,
)
from erario.retencoes.carga import montar_cadastro, registro_de_dict
from erario.retencoes.vigencia import com_oficiais, oficiais
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl, recusa, registrar
from tests.test_retencoes_calculo import DESCONTOS, PF, PJ, SERVICOS, TABELA_2019, TETO_2019
from tests.test_retencoes_registro import BANCO, CAIXA, CREDOR, DOT, LOA, RETENCOES, _liquidacao

SERVICO_45 = [ServicoDesconto(45, 451, Decimal("11.00"))]  # só INSS, 11%
TODOS = [*SERVICOS, *SERVICO_45]
SEM_SIMPLIFICADO = OpcoesIRRF(desconto_simplificado=False)  # o mesmo que o padrão
COM_SIMPLIFICADO = OpcoesIRRF(desconto_simplificado=True)  # opção da entidade
SEM_REDUCAO = OpcoesIRRF(reducao_lei_15270=False)


def _mes(
    *liquidacoes: tuple[dt.date, int],
    servico: int = 40,
    fornecedor: Credor = PF,
    tabelas: tuple[TabelaIRRF, ...] = (),
    tetos: tuple[TetoINSS, ...] = (),
    opcoes: OpcoesIRRF = OPCOES_DA_LEI,
    **kw: object,
) -> list[ResultadoCalculo]:
    """As liquidações em sequência, com os oficiais junto dos cadastrados."""
    v = com_oficiais(tabelas, tetos)
    return calcular_mes(
        [LiquidacaoServico(fornecedor, data, valor, servico) for data, valor in liquidacoes],
        TODOS,
        DESCONTOS,
        tabelas_irrf=v.tabelas_irrf,
        tetos_inss=v.tetos_inss,
        descontos_simplificados=v.descontos_simplificados,
        reducoes=v.reducoes,
        opcoes_irrf=opcoes,
        **kw,  # type: ignore[arg-type]
    )


def _valores(r: ResultadoCalculo) -> dict[int, int]:
    assert r.erros == ()
    return {p.desconto: p.valor for p in r.descontos}


# --- Os dados oficiais ---------------------------------------------------------------


def test_dados_oficiais() -> None:
    v = oficiais()
    assert [t.vigencia for t in v.tabelas_irrf] == [
        dt.date(2015, 4, 1),
        dt.date(2023, 5, 1),
        dt.date(2024, 2, 1),
        dt.date(2025, 5, 1),
    ]
    for tabela in v.tabelas_irrf:
        assert validar_tabela_irrf(tabela) == []
    # A de 04/2015 é a "Tabela IR vigente para 2019" do manual, faixa a faixa.
    assert v.tabelas_irrf[0].faixas == TABELA_2019.faixas
    assert [(f.limite, f.aliquota, f.deducao) for f in v.tabelas_irrf[3].faixas] == [
        (242880, Decimal("0.00"), 0),
        (282665, Decimal("7.50"), 18216),
        (375105, Decimal("15.00"), 39416),
        (466468, Decimal("22.50"), 67549),
        (9999999999999900, Decimal("27.50"), 90873),
    ]
    assert validar_tetos_inss(v.tetos_inss) == []
    assert [(t.data_inicial.year, t.valor, t.aliquota) for t in v.tetos_inss] == [
        (ano, valor, Decimal("11.00"))
        for ano, valor in (
            (2015, 466375),
            (2016, 518982),
            (2017, 553131),
            (2018, 564580),
            (2019, 583945),
            (2020, 610106),
            (2021, 643357),
            (2022, 708722),
            (2023, 750749),
            (2024, 778602),
            (2025, 815741),
            (2026, 847555),
        )
    ]
    assert all(t.data_inicial.timetuple()[1:3] == (1, 1) for t in v.tetos_inss)
    assert [(d.vigencia, d.valor) for d in v.descontos_simplificados] == [
        (dt.date(2023, 5, 1), 52800),
        (dt.date(2024, 2, 1), 56480),
        (dt.date(2025, 5, 1), 60720),
    ]


def test_constantes_da_lei_15270_fecham_entre_si() -> None:
    (r,) = oficiais().reducoes
    assert (r.vigencia, r.isencao_ate, r.reducao_maxima, r.limite, r.constante, r.fator) == (
        dt.date(2026, 1, 1),
        500000,
        31289,
        735000,
        97862,
        Decimal("0.133145"),
    )
    # Na ponta de R$ 5.000,00: 0,133145 × 5.000,00 = 665,725 → 665,73; 978,62 − 665,73 = 312,89
    assert r.constante - multiplicar(r.isencao_ate, r.fator) == r.reducao_maxima
    # Na ponta de R$ 7.350,00: 0,133145 × 7.350,00 = 978,61575 → 978,62; 978,62 − 978,62 = 0
    assert r.constante - multiplicar(r.limite, r.fator) == 0
    # 312,89 é o IR de R$ 5.000,00 com o desconto simplificado (tabela de 05/2025):
    # 5.000,00 − 607,20 = 4.392,80; 22,5% = 988,38 − 675,49 = 312,89
    tabela = oficiais().tabelas_irrf[-1]
    assert irrf_do_mes(tabela, 500000, 0, 60720) == 31289


def test_cadastrado_prevalece_na_mesma_vigencia() -> None:
    teto_proprio = TetoINSS(dt.date(2026, 1, 1), 583945)
    tabela_propria = TABELA_2019._replace(vigencia=dt.date(2025, 5, 1))
    v = com_oficiais([tabela_propria], [teto_proprio])
    assert teto_vigente(v.tetos_inss, dt.date(2026, 3, 1)) == teto_proprio
    assert teto_vigente(v.tetos_inss, dt.date(2025, 12, 31)).valor == 815741  # type: ignore[union-attr]
    assert tabela_vigente(v.tabelas_irrf, dt.date(2026, 3, 1)) == tabela_propria
    assert len(v.tabelas_irrf) == 4 and len(v.tetos_inss) == 12  # os oficiais de mesma data saem
    # Cadastrada em data própria, vale da sua vigência até a próxima (cadastrada ou oficial).
    v = com_oficiais([TABELA_2019], [TETO_2019])  # "exercício 2019" = 01/01/2019
    assert tabela_vigente(v.tabelas_irrf, dt.date(2023, 4, 30)) == TABELA_2019
    assert tabela_vigente(v.tabelas_irrf, dt.date(2023, 5, 1)) == oficiais().tabelas_irrf[1]


# --- 1. INSS de pessoa jurídica: percentual do serviço, sem teto ---------------------


@pytest.mark.parametrize("simples", [False, True])
def test_pj_acima_do_teto(simples: bool) -> None:
    pj = PJ._replace(simples=simples)
    (r,) = _mes((dt.date(2024, 6, 10), 1_000_000), servico=45, fornecedor=pj)
    # 11% × 10.000,00 = 1.100,00 (Lei 8.212/1991, art. 31), não 11% × 7.786,02 = 856,46.
    # Optante pelo Simples: o serviço optante com INSS 11% é a atividade do Anexo IV
    # (LC 123/2006, art. 18, § 5º-C); a conta é a mesma.
    assert _valores(r) == {451: 110_000}
    assert r.descontos[0].base == 1_000_000


def test_pj_no_mes_sem_apuracao_mensal() -> None:
    a, b = _mes((dt.date(2024, 6, 10), 800_000), (dt.date(2024, 6, 20), 800_000), servico=45,
                fornecedor=PJ)  # fmt: skip
    # Cada nota: 11% × 8.000,00 = 880,00; juntas 1.760,00 > 11% × teto (856,46).
    assert (_valores(a), _valores(b)) == ({451: 88_000}, {451: 88_000})


def test_simples_sem_inss_no_servico_nao_retem() -> None:
    # Serviço optante sem o INSS (atividade fora do Anexo IV; IN RFB 2.110/2022): nada
    # de INSS, só o que o serviço traz.
    (r,) = _mes((dt.date(2024, 6, 10), 1_000_000), servico=42, fornecedor=PJ._replace(simples=True))
    # IR PJ 1,5% × 10.000,00 = 150,00 (percentual do serviço 42)
    assert _valores(r) == {200: 15_000}


# --- 2. INSS de outras fontes: a folga sob o teto -------------------------------------


def _outras(base: int, retido: int = 0, ano: int = 2024, mes: int = 6) -> list[InssOutrasFontes]:
    return [InssOutrasFontes(PF.documento, ano, mes, base, retido)]


@pytest.mark.parametrize(
    ("outras_base", "esperado"),
    [
        # teto 2024 = 7.786,02. Folga = 7.786,02 − 5.000,00 = 2.786,02;
        # 11% × mín(4.000,00, 2.786,02) = 306,4622 → 306,46 (não 856,46)
        (500_000, 30_646),
        # folga = máx(0, 7.786,02 − 9.000,00) = 0 → 0,00 (não gerado)
        (900_000, 0),
        # 3.786,02 + 4.000,00 = o teto exato: folga 4.000,00; 11% × 4.000,00 = 440,00
        (378_602, 44_000),
        # outras fontes já no teto: folga 0 → 0,00
        (778_602, 0),
        # sem outras fontes: 11% × 4.000,00 = 440,00
        (0, 44_000),
    ],
)
def test_outras_fontes_pela_folga_do_teto(outras_base: int, esperado: int) -> None:
    (r,) = _mes((dt.date(2024, 6, 10), 400_000), servico=45,
                outras_fontes=_outras(outras_base, retido=outras_base * 11 // 100))  # fmt: skip
    assert _valores(r).get(451, 0) == esperado
    assert [e.regra for e in r.avisos] == ([] if esperado else ["RET-INSS-TETO"])


def test_outras_fontes_exemplo_do_manual_continua() -> None:
    # Seção 1.7, 2019: outras 4.000,00 (440,00 retidos), liquidação 3.000,00.
    # Folga 5.839,45 − 4.000,00 = 1.839,45; 11% × 1.839,45 = 202,3395 → 202,34.
    # IR (tabela de 04/2015 = a de 2019): 3.000,00 − 202,34 = 2.797,66;
    # 7,5% = 209,8245 → 209,82 − 142,80 = 67,02
    (r,) = _mes((dt.date(2019, 3, 5), 300_000), outras_fontes=_outras(400_000, 44_000, 2019, 3))
    assert _valores(r) == {451: 20_234, 100: 6_702}


# --- 3. Tabelas e tetos por data -------------------------------------------------------


def test_abril_de_2025_usa_a_tabela_de_02_2024() -> None:
    liqs = ((dt.date(2025, 4, 10), 270_000), (dt.date(2025, 4, 25), 10_000))
    a, b = _mes(*liqs, opcoes=SEM_SIMPLIFICADO)
    # 10/04: INSS 11% × 2.700,00 = 297,00; base 2.403,00 pela tabela de 02/2024:
    # 7,5% × 2.403,00 = 180,225 → 180,23 − 169,44 = 10,79
    assert _valores(a) == {451: 29_700, 100: 1_079}
    # 25/04 (ainda a de 02/2024; a de 05/2025 só vale em maio): INSS 11% × 2.800,00 =
    # 308,00 − 297,00 = 11,00; base 2.800,00 − 308,00 = 2.492,00: 7,5% = 186,90 − 169,44 =
    # 17,46; − 10,79 = 6,67 (pela de 05/2025 seria 186,90 − 182,16 = 4,74)
    assert _valores(b) == {451: 1_100, 100: 667}
    # O padrão é o método do manual (sem o desconto simplificado): o mesmo 6,67.
    assert [_valores(r) for r in _mes(*liqs)] == [_valores(a), _valores(b)]
    # Com o desconto simplificado de 04/2025 (564,80, opção da entidade), maior que o
    # INSS: 2.700,00 − 564,80 = 2.135,20 e 2.800,00 − 564,80 = 2.235,20, até 2.259,20: IR 0.
    a, b = _mes(*liqs, opcoes=COM_SIMPLIFICADO)
    assert (_valores(a), _valores(b)) == ({451: 29_700}, {451: 1_100})


def test_mes_que_cruza_a_troca_de_tabela() -> None:
    # Uma tabela cadastrada com vigência no meio do mês (15/04/2025; os valores da de
    # 05/2025). Cada liquidação usa a tabela em vigor na sua data sobre a base
    # acumulada do mês e desconta o IR já retido no mês; o que a tabela nova dá a menos
    # não é devolvido.
    nova = oficiais().tabelas_irrf[-1]._replace(vigencia=dt.date(2025, 4, 15))
    a, b, c = _mes(
        (dt.date(2025, 4, 10), 270_000),
        (dt.date(2025, 4, 20), 10_000),
        (dt.date(2025, 4, 28), 100_000),
        tabelas=(nova,),
        opcoes=SEM_SIMPLIFICADO,
    )
    # 10/04, tabela de 02/2024: INSS 297,00; base 2.403,00 → 10,79 (como acima)
    assert _valores(a) == {451: 29_700, 100: 1_079}
    # 20/04, tabela nova: INSS 11,00; base 2.492,00: 7,5% = 186,90 − 182,16 = 4,74 no mês,
    # menos 10,79 já retidos < 0 → IR não gerado
    assert _valores(b) == {451: 1_100}
    # 28/04, tabela nova: INSS 11% × 3.800,00 = 418,00 − 308,00 = 110,00;
    # base 3.800,00 − 418,00 = 3.382,00: 15% = 507,30 − 394,16 = 113,14; − 10,79 = 102,35
    assert _valores(c) == {451: 11_000, 100: 10_235}


def test_2020_so_com_2019_cadastrado_usa_o_teto_oficial() -> None:
    cadastrado = {"tabelas": (TABELA_2019,), "tetos": (TETO_2019,)}
    (r,) = _mes((dt.date(2020, 3, 5), 600_000), **cadastrado)  # type: ignore[arg-type]
    # Teto de 2020 (oficial): 6.101,06. 11% × mín(6.000,00, 6.101,06) = 660,00 (antes: 642,34).
    # IR pela tabela de 2019 (a mesma de 04/2015): 6.000,00 − 660,00 = 5.340,00;
    # 27,5% = 1.468,50 − 869,36 = 599,14 (antes: nenhum IR, sem tabela de 2020)
    assert _valores(r) == {451: 66_000, 100: 59_914}
    (r,) = _mes((dt.date(2020, 3, 5), 700_000), **cadastrado)  # type: ignore[arg-type]
    # Acima do teto: 11% × 6.101,06 = 671,1166 → 671,12;
    # IR: 7.000,00 − 671,12 = 6.328,88; 27,5% = 1.740,442 → 1.740,44 − 869,36 = 871,08
    assert _valores(r) == {451: 67_112, 100: 87_108}


def test_data_antes_de_toda_tabela_e_recusada() -> None:
    # O IRRF oficial começa em 01/04/2015 e o teto em 01/01/2015.
    (r,) = _mes((dt.date(2015, 3, 10), 300_000))
    assert r.descontos == ()
    assert [e.mensagem for e in r.erros] == [
        "não há tabela do IRRF em vigor em 10/03/2015 para calcular o desconto 100 (IRRF "
        "Pessoa Física); a primeira começa em 01/04/2015: cadastre a tabela (faixa_irrf) com "
        "vigência até essa data"
    ]
    (r,) = _mes((dt.date(2014, 12, 10), 300_000), servico=45)
    assert [(e.regra, e.mensagem) for e in r.erros] == [
        (
            "RET-TABELA-VIGENCIA",
            "não há teto do INSS em vigor em 10/12/2014 para calcular o desconto 451 (INSS); "
            "a primeira começa em 01/01/2015: cadastre o teto (teto_inss) com vigência até "
            "essa data",
        )
    ]
    # Pessoa jurídica não precisa de teto: 11% × 3.000,00 = 330,00
    (r,) = _mes((dt.date(2014, 12, 10), 300_000), servico=45, fornecedor=PJ)
    assert _valores(r) == {451: 33_000}


def test_exemplo_do_manual_com_a_tabela_de_2019() -> None:
    # Seção 1.7 com os dados oficiais (abril/2019: tabela de 04/2015 e teto de 2019).
    a, b = _mes((dt.date(2019, 4, 10), 300_000), (dt.date(2019, 4, 20), 300_000))
    assert _valores(a) == {451: 33_000, 100: 5_745}  # 330,00 e 57,45
    assert _valores(b) == {451: 31_234, 100: 54_655}  # 312,34 e 546,55


# --- 4. IR de 2026: desconto simplificado e redução da Lei 15.270/2025 -----------------

MARCO_2026 = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("valor", "servico", "opcoes", "inss", "ir"),
    [
        # Tabela de 05/2025; teto 8.475,55; simplificado 607,20; redução pelos rendimentos.
        # 4.900,00 com INSS 11% = 539,00. Simplificado: base 4.900,00 − 607,20 = 4.292,80;
        # 22,5% = 965,88 − 675,49 = 290,39; rendimentos ≤ 5.000,00: redução 290,39 → 0
        (490_000, 40, COM_SIMPLIFICADO, 53_900, 0),
        # sem simplificado: 4.900,00 − 539,00 = 4.361,00; 22,5% = 981,225 → 981,23 − 675,49 =
        # 305,74; redução 305,74 (≤ 312,89) → 0
        (490_000, 40, SEM_SIMPLIFICADO, 53_900, 0),
        # sem INSS, simplificado: 290,39 → 0
        (490_000, 41, COM_SIMPLIFICADO, 0, 0),
        # sem INSS nem simplificado: 27,5% × 4.900,00 = 1.347,50 − 908,73 = 438,77; a
        # redução é de até 312,89 (art. 3º-A, I): 438,77 − 312,89 = 125,88
        (490_000, 41, SEM_SIMPLIFICADO, 0, 12_588),
        # sem a redução: 290,39 (com o simplificado) e 305,74 (sem, o padrão)
        (490_000, 40, OpcoesIRRF(True, False), 53_900, 29_039),
        (490_000, 40, SEM_REDUCAO, 53_900, 30_574),
        # 6.000,00 com INSS 660,00 (> 607,20: o simplificado não muda nada):
        # 6.000,00 − 660,00 = 5.340,00; 27,5% = 1.468,50 − 908,73 = 559,77;
        # redução 978,62 − 0,133145 × 6.000,00 (= 798,87) = 179,75; 559,77 − 179,75 = 380,02
        (600_000, 40, COM_SIMPLIFICADO, 66_000, 38_002),
        (600_000, 40, SEM_SIMPLIFICADO, 66_000, 38_002),
        # sem INSS: 6.000,00 − 607,20 = 5.392,80; 27,5% = 1.483,02 − 908,73 = 574,29 − 179,75
        # = 394,54
        (600_000, 41, COM_SIMPLIFICADO, 0, 39_454),
        # sem INSS nem simplificado: 27,5% × 6.000,00 = 1.650,00 − 908,73 = 741,27 − 179,75 =
        # 561,52
        (600_000, 41, SEM_SIMPLIFICADO, 0, 56_152),
        # sem a redução: 559,77
        (600_000, 40, SEM_REDUCAO, 66_000, 55_977),
        # 8.000,00 com INSS 880,00 (< 11% × 8.475,55 = 932,31): 8.000,00 − 880,00 = 7.120,00;
        # 27,5% = 1.958,00 − 908,73 = 1.049,27; acima de 7.350,00: sem redução
        (800_000, 40, COM_SIMPLIFICADO, 88_000, 104_927),
        (800_000, 40, SEM_SIMPLIFICADO, 88_000, 104_927),
        # sem INSS: 8.000,00 − 607,20 = 7.392,80; 27,5% = 2.033,02 − 908,73 = 1.124,29
        (800_000, 41, COM_SIMPLIFICADO, 0, 112_429),
        # sem INSS nem simplificado: 27,5% × 8.000,00 = 2.200,00 − 908,73 = 1.291,27
        (800_000, 41, SEM_SIMPLIFICADO, 0, 129_127),
    ],
)
def test_ir_de_2026(valor: int, servico: int, opcoes: OpcoesIRRF, inss: int, ir: int) -> None:
    (r,) = _mes((MARCO_2026, valor), servico=servico, opcoes=opcoes)
    assert _valores(r) == {k: v for k, v in ((451, inss), (100, ir)) if v}


def test_ir_de_2026_acumulado_no_mes() -> None:
    a, b = _mes((MARCO_2026, 300_000), (MARCO_2026.replace(day=20), 300_000))
    # 1ª: INSS 330,00; 3.000,00 − 330,00 = 2.670,00: 7,5% = 200,25 − 182,16 = 18,09;
    # rendimentos até 5.000,00: redução de até 312,89 → IR 0
    assert _valores(a) == {451: 33_000}
    # 2ª: rendimentos do mês 6.000,00, INSS do mês 660,00: IR do mês 380,02 (como acima),
    # todo nesta (nada retido antes); base desta = 5.340,00 − 2.670,00 = 2.670,00
    assert _valores(b) == {451: 33_000, 100: 38_002}
    assert b.descontos[0].base == 267_000


def test_reducao_antes_de_2026_nao_existe() -> None:
    # Dezembro/2025 (tabela de 05/2025, sem redução): 4.900,00 sem INSS → 27,5% =
    # 1.347,50 − 908,73 = 438,77; com o simplificado (607,20) → 290,39 (ver acima). Em
    # 2026 seriam 125,88 e zero.
    (r,) = _mes((dt.date(2025, 12, 10), 490_000), servico=41)
    assert _valores(r) == {100: 43_877}
    (r,) = _mes((dt.date(2025, 12, 10), 490_000), servico=41, opcoes=COM_SIMPLIFICADO)
    assert _valores(r) == {100: 29_039}


# --- Propriedades -----------------------------------------------------------------------

VALORES = st.lists(st.integers(min_value=1, max_value=1_500_000), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(valores=VALORES, outras_base=st.integers(0, 1_200_000), servico=st.sampled_from([40, 45]))
def test_propriedade_inss_pf_nem_11_do_mes_nem_a_folga(
    valores: list[int], outras_base: int, servico: int
) -> None:
    resultados = _mes(
        *((dt.date(2024, 6, 1 + i % 28), v) for i, v in enumerate(valores)),
        servico=servico,
        outras_fontes=_outras(outras_base),
    )
    inss = sum(p.valor for r in resultados for p in r.descontos if p.desconto == 451)
    assert all(p.valor > 0 for r in resultados for p in r.descontos)
    total = sum(valores)
    folga = max(0, 778_602 - outras_base)  # teto 2024 − base das outras fontes
    onze = Decimal(11)
    assert inss <= percentual_sobre(total, onze)  # 11% do que o fornecedor recebeu aqui
    assert inss <= percentual_sobre(folga, onze)  # 11% da folga sob o teto
    assert inss == percentual_sobre(min(total, folga), onze)  # e exatamente o mês de uma vez


@settings(max_examples=200, deadline=None)
@given(valores=VALORES)
def test_propriedade_inss_pj_por_nota_sem_teto(valores: list[int]) -> None:
    resultados = _mes(
        *((dt.date(2024, 6, 1 + i % 28), v) for i, v in enumerate(valores)),
        servico=45,
        fornecedor=PJ,
    )
    por_nota = [_valores(r).get(451, 0) for r in resultados]
    assert por_nota == [percentual_sobre(v, Decimal(11)) for v in valores]


@settings(max_examples=300, deadline=None)
@given(
    valores=VALORES,
    opcoes=st.sampled_from([OPCOES_DA_LEI, SEM_SIMPLIFICADO, COM_SIMPLIFICADO, SEM_REDUCAO]),
)
def test_propriedade_ir_de_2026_e_o_mes_de_uma_vez(valores: list[int], opcoes: OpcoesIRRF) -> None:
    resultados = _mes(
        *((dt.date(2026, 3, 1 + i % 28), v) for i, v in enumerate(valores)), opcoes=opcoes
    )
    inss = sum(p.valor for r in resultados for p in r.descontos if p.desconto == 451)
    ir = sum(p.valor for r in resultados for p in r.descontos if p.desconto == 100)
    of = oficiais()
    simplificado = 60_720 if opcoes.desconto_simplificado is True else 0
    reducao = None if opcoes.reducao_lei_15270 is False else of.reducoes[0]
    assert inss == percentual_sobre(min(sum(valores), 847_555), Decimal(11))
    assert ir == irrf_do_mes(of.tabelas_irrf[-1], sum(valores), inss, simplificado, reducao)


# --- Carga: faixa_irrf com vigência (e exercício dos arquivos antigos) ------------------

FAIXA = {"cadastro": "faixa_irrf", "codigo": 1, "descricao": "FAIXA 01", "limite": "2428.80",
         "aliquota": "0.00", "deducao": "0.00"}  # fmt: skip


def test_faixa_irrf_com_vigencia_ou_exercicio() -> None:
    tipo, v, erros = registro_de_dict({**FAIXA, "vigencia": "2025-05-01"})
    assert (tipo, erros) == ("faixa_irrf", [])
    assert v is not None and v["vigencia"] == dt.date(2025, 5, 1) and "exercicio" not in v
    # exercicio (arquivos antigos) = 01/01 do ano
    _, v2, erros = registro_de_dict({**FAIXA, "exercicio": 2019})
    assert erros == [] and v2 is not None and v2["vigencia"] == dt.date(2019, 1, 1)
    _, v3, erros = registro_de_dict({**FAIXA, "exercicio": 2025, "vigencia": "2025-05-01"})
    assert erros == [] and v3 == v
    cadastro = montar_cadastro([("faixa_irrf", v), ("faixa_irrf", v2)])
    assert [(t.vigencia, len(t.faixas)) for t in cadastro.tabelas_irrf] == [
        (dt.date(2019, 1, 1), 1),
        (dt.date(2025, 5, 1), 1),
    ]
    problemas = [
        ({**FAIXA}, ("vigencia", "vigencia é obrigatória (AAAA-MM-DD, início da vigência da "
                                 "tabela; exercicio, dos arquivos antigos, vale 01/01 do ano)")),
        ({**FAIXA, "exercicio": 2024, "vigencia": "2025-05-01"},
         ("vigencia", "vigencia 2025-05-01 fora do exercicio 2024: informe só a vigencia")),
        ({**FAIXA, "vigencia": "2025-13-01"},
         ("vigencia", "vigencia: data '2025-13-01' inválida: use AAAA-MM-DD")),
    ]  # fmt: skip
    for obj, esperado in problemas:
        _, valores, erros = registro_de_dict(obj, 3, "ret.jsonl")
        assert valores is None
        assert [(e.regra, e.campo, e.mensagem, e.linha) for e in erros] == [
            ("RET-CADASTRO", *esperado, 3)
        ]


def test_parametros_com_as_opcoes_do_ir() -> None:
    obj = {"cadastro": "parametros", "unidade_gestora": "prefeitura", "exercicio": 2026,
           "irrf_desconto_simplificado": False, "irrf_reducao_lei_15270": True}  # fmt: skip
    _, v, erros = registro_de_dict(obj)
    assert erros == [] and v is not None
    p = montar_cadastro([("parametros", v)]).parametros[("prefeitura", 2026)]
    assert (p.irrf_desconto_simplificado, p.irrf_reducao_lei_15270) == (False, True)
    _, v, _ = registro_de_dict({k: obj[k] for k in ("cadastro", "unidade_gestora", "exercicio")})
    p = montar_cadastro([("parametros", v)]).parametros[("prefeitura", 2026)]  # type: ignore[list-item]
    assert (p.irrf_desconto_simplificado, p.irrf_reducao_lei_15270) == (None, None)  # a lei


# --- Gravado: os oficiais chegam ao cálculo da liquidação ------------------------------

# Os cadastros do exemplo sem tabela, teto nem parâmetros (que vêm com as opções desligadas).
SO_CADASTROS: list[dict[str, object]] = [
    r
    for r in RETENCOES
    if isinstance(r, dict) and r["cadastro"] in ("desconto", "servico", "servico_desconto")
]
PARAMETROS_DA_LEI = {"cadastro": "parametros", "unidade_gestora": "prefeitura",
                     "exercicio": 2026, "rotina_tipo_servico": "liquidacao"}  # fmt: skip


def _repo_so_oficiais(repo_pcasp: Repositorio) -> Repositorio:
    repo_pcasp.registrar_cadastros([json.dumps(c) for c in (CREDOR, BANCO, CAIXA)])
    linhas = [*SO_CADASTROS, PARAMETROS_DA_LEI]
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in linhas])
    registrar(repo_pcasp, LOA)
    return repo_pcasp


def test_liquidacao_gravada_usa_as_tabelas_oficiais(repo_pcasp: Repositorio) -> None:
    repo = _repo_so_oficiais(repo_pcasp)
    registrar(repo, jsonl(_liquidacao("L1", "10", valor="6000.00")))
    controle = repo.controle()
    # Sem tabela nem teto cadastrados: os de 2026 (tabela de 05/2025, teto 8.475,55,
    # simplificado 607,20 e redução). INSS 660,00 apropriado; IR 380,02 (ver
    # test_ir_de_2026) fica na liquidação, com base 5.340,00.
    assert controle.eventos[("prefeitura", "L1-L451")].valor == 66_000  # type: ignore[union-attr]
    l1 = controle.eventos[("prefeitura", "L1")]
    assert l1.descontos == ((100, 534_000, 38_002),)  # type: ignore[union-attr]
    assert l1.valor == 600_000 - 66_000  # type: ignore[union-attr]


def test_liquidacao_sem_tabela_em_vigor_nada_grava(repo_pcasp: Repositorio) -> None:
    repo = _repo_so_oficiais(repo_pcasp)
    repo.abrir_exercicio("prefeitura", 2014, usuario="teste")
    repo.registrar_retencoes([json.dumps({**PARAMETROS_DA_LEI, "exercicio": 2014})])
    registrar(
        repo,
        jsonl(
            {"tipo": "dotacao_inicial", "id": "D14", "data": "2014-01-02", "dotacao": DOT,
             "fonte": "1500", "valor": "10000.00"},
            {"tipo": "empenho", "id": "E14", "data": "2014-12-01", "dotacao": DOT,
             "fonte": "1500", "credor": CREDOR["documento"], "valor": "5000.00"},
        ),
    )  # fmt: skip
    antes = len(repo.controle().eventos)
    liq = {**_liquidacao("L14", "10", empenho="E14"), "data": "2014-12-10"}
    assert recusa(repo, jsonl(liq)) == [
        "RET-TABELA-VIGENCIA: não há teto do INSS em vigor em 10/12/2014 para calcular o "
        "desconto 451 (INSS); a primeira começa em 01/01/2015: cadastre o teto (teto_inss) com "
        "vigência até essa data",
        "RET-TABELA-VIGENCIA: não há tabela do IRRF em vigor em 10/12/2014 para calcular o "
        "desconto 100 (IRRF Pessoa Física); a primeira começa em 01/04/2015: cadastre a tabela "
        "(faixa_irrf) com vigência até essa data",
    ]
    assert len(repo.controle().eventos) == antes
