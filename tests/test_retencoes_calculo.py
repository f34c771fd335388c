"""Cálculo das retenções propostas (manual "Serviço e Desconto", seções 1.3 e 1.7).

Toda cifra vem do manual ou está calculada à mão no comentário ao lado.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from erario.execucao.cadastros import Credor, TipoPessoa
from erario.orcamento.classificacao import FonteRecurso
from erario.retencoes.cadastros import (
    ControleApropriacao,
    Desconto,
    FaixaIRRF,
    InssOutrasFontes,
    Rotina,
    ServicoDesconto,
    TabelaIRRF,
    TetoINSS,
    TipoDesconto,
    TipoReceita,
)
from erario.retencoes.calculo import (
    DescontoCalculado,
    LiquidacaoAnterior,
    LiquidacaoServico,
    Retencao,
    calcular_mes,
    calcular_retencoes,
    faixa_irrf,
    inss_do_mes,
    irrf_da_tabela,
    percentual_sobre,
)

FONTE = FonteRecurso("1", "500", "")
RFB = "00394460005887"  # credor das retenções federais
MUNICIPIO = "29979036000140"
PF = Credor("52998224725", "Maria da Silva", TipoPessoa.PF)
PF2 = Credor("11144477735", "João Souza", TipoPessoa.PF)
PJ = Credor("11222333000181", "Limpeza Urbana Ltda", TipoPessoa.PJ)


def _desconto(codigo: int, tipo: TipoDesconto, receita: str, **kw: object) -> Desconto:
    extra = receita.startswith("2.")
    return Desconto(
        codigo,
        f"desconto {codigo}",
        tipo,
        TipoReceita.EXTRAORCAMENTARIA if extra else TipoReceita.ORCAMENTARIA,
        receita,
        FONTE,
        RFB if tipo != TipoDesconto.ISS else MUNICIPIO,
        TipoPessoa.PJ,
        **kw,  # type: ignore[arg-type]
    )


INSS_451 = _desconto(451, TipoDesconto.INSS, "2.1.8.8.1.01.01")
IR_PF_100 = _desconto(100, TipoDesconto.IRRF_PF, "11130311")
IR_PJ_200 = _desconto(200, TipoDesconto.IRRF_PJ, "11130341")
ISS_300 = _desconto(300, TipoDesconto.ISS, "11140511", controle_geracao=Rotina.PAGAMENTO)
DESCONTOS = {d.codigo: d for d in (INSS_451, IR_PF_100, IR_PJ_200, ISS_300)}

# Seção 1.7: serviço 40 com 451 - INSS 11% e 100 - IR PF 0,00 (calculado pela tabela).
SERVICO_40 = [ServicoDesconto(40, 451, Decimal("11")), ServicoDesconto(40, 100, Decimal("0.00"))]
SERVICO_41 = [ServicoDesconto(41, 100, Decimal("0.00"))]  # só IR PF
SERVICO_42 = [ServicoDesconto(42, 200, Decimal("1.50"))]  # só IR PJ
SERVICO_43 = [ServicoDesconto(43, 300, Decimal("5.00"))]  # ISS gerado no pagamento
SERVICOS = SERVICO_40 + SERVICO_41 + SERVICO_42 + SERVICO_43

# Tabela do manual (seção 1.7, "Tabela IR vigente para 2019"), em centavos.
TABELA_2019 = TabelaIRRF(
    dt.date(2019, 1, 1),  # cadastrada como no manual ("exercício" 2019: vigência 01/01/2019)
    (
        FaixaIRRF(1, "FAIXA 01", 190398, Decimal("0.00"), 0),
        FaixaIRRF(2, "FAIXA 02", 282665, Decimal("7.50"), 14280),
        FaixaIRRF(3, "FAIXA 03", 375105, Decimal("15.00"), 35480),
        FaixaIRRF(4, "FAIXA 04", 466468, Decimal("22.50"), 63613),
        FaixaIRRF(5, "FAIXA 05", 9999999999999900, Decimal("27.50"), 86936),
    ),
)
# "No ano de 2019 o valor é de R$ 5.839,45"; alíquota 11% ("Teto INSS para cálculo (11%)").
TETO_2019 = TetoINSS(dt.date(2019, 1, 1), 583945)
MARCO = dt.date(2019, 3, 1)


def _liq(valor: int, dia: int = 5, servico: int = 40, fornecedor: Credor = PF) -> LiquidacaoServico:
    return LiquidacaoServico(fornecedor, MARCO.replace(day=dia), valor, servico)


def _mes(*valores: int, servico: int = 40, **kw: object) -> list[dict[int, tuple[int, int]]]:
    """Liquidações em sequência no mês; para cada uma, {desconto: (base, valor)}."""
    resultados = calcular_mes(
        [_liq(v, dia=i + 1, servico=servico) for i, v in enumerate(valores)],
        SERVICOS,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
        **kw,  # type: ignore[arg-type]
    )
    return [{p.desconto: (p.base, p.valor) for p in r.descontos} for r in resultados]


# --- Arredondamento e peças do cálculo ---------------------------------------------


def test_percentual_do_servico_secao_1_3() -> None:
    # "desconto 400 – INSS no valor de R$ 110,00 (11% de R$ 1.000,00)"
    assert percentual_sobre(100000, Decimal("11")) == 11000


def test_arredondamento_meio_para_cima() -> None:
    assert percentual_sobre(10, Decimal("5")) == 1  # 5% de 0,10 = 0,005 → 0,01 (não 0,00)
    assert percentual_sobre(50, Decimal("2.5")) == 1  # 0,0125 → 0,01
    assert percentual_sobre(30, Decimal("5")) == 2  # 0,015 → 0,02


def test_valores_derivados_do_exemplo() -> None:
    # 11% × 5.839,45 = 642,3395 → 642,34
    assert inss_do_mes(600000, TETO_2019) == 64234
    assert inss_do_mes(300000, TETO_2019) == 33000
    # 3.000,00 − 330,00 = 2.670,00 cai na faixa 02 ("até R$ 2.826,65 alíquota base = 7,5%")
    assert faixa_irrf(TABELA_2019, 267000).codigo == 2
    # 7,5% × 2.670,00 = 200,25; − 142,80 = 57,45
    assert irrf_da_tabela(TABELA_2019, 267000) == 5745
    # 6.000,00 − 642,34 = 5.357,66 cai na faixa 05 (27,5%)
    assert faixa_irrf(TABELA_2019, 535766).codigo == 5
    # 27,5% × 5.357,66 = 1.473,3565 → 1.473,36; − 869,36 = 604,00
    assert irrf_da_tabela(TABELA_2019, 535766) == 60400


def test_limites_das_faixas_sao_inclusivos() -> None:
    assert faixa_irrf(TABELA_2019, 190398).codigo == 1
    assert faixa_irrf(TABELA_2019, 190399).codigo == 2
    assert faixa_irrf(TABELA_2019, 282665).codigo == 2
    assert faixa_irrf(TABELA_2019, 282666).codigo == 3
    # 7,5% × 1.903,99 = 142,79925 → 142,80; − 142,80 = 0,00
    assert irrf_da_tabela(TABELA_2019, 190399) == 0
    assert irrf_da_tabela(TABELA_2019, 0) == 0


# --- Exemplos do manual -------------------------------------------------------------


def test_exemplo_secao_1_3_pessoa_juridica() -> None:
    # Mudou de propósito (issue 16): o percentual do serviço sobre o valor bruto é o
    # INSS de pessoa jurídica (Lei 8.212/1991, art. 31), com ou sem teto cadastrado.
    for tetos in ([], [TETO_2019]):
        r = calcular_retencoes(_liq(100000, fornecedor=PJ), SERVICO_40, DESCONTOS, tetos_inss=tetos)
        # 11% de 1.000,00 = 110,00; o IR PF não é gerado para PJ (aviso).
        assert r.descontos == (DescontoCalculado(451, TipoDesconto.INSS, 100000, 11000),)
        assert [e.regra for e in r.avisos] == ["RET-IRRF-FORNECEDOR"]
        assert r.erros == ()


def test_pessoa_fisica_sem_teto_nem_tabela_e_recusada() -> None:
    # Mudou de propósito (issue 16): antes, sem teto o INSS de PF era 11% do valor, sem
    # limite, e sem tabela o IR ficava em silêncio; agora a liquidação é recusada.
    r = calcular_retencoes(_liq(100000), SERVICO_40, DESCONTOS)
    assert r.descontos == ()
    assert [(e.regra, e.campo, e.mensagem) for e in r.erros] == [
        (
            "RET-TABELA-VIGENCIA",
            "data",
            "não há teto do INSS em vigor em 05/03/2019 para calcular o desconto 451 (INSS): "
            "cadastre o teto (teto_inss) com vigência até essa data",
        ),
        (
            "RET-TABELA-VIGENCIA",
            "data",
            "não há tabela do IRRF em vigor em 05/03/2019 para calcular o desconto 100 "
            "(IRRF Pessoa Física): cadastre a tabela (faixa_irrf) com vigência até essa data",
        ),
    ]


def test_exemplo_secao_1_7_duas_liquidacoes_de_3000() -> None:
    primeira, segunda = _mes(300000, 300000)
    # INSS 11% de 3.000,00 = 330,00; IR: base 2.670,00 → 57,45
    assert primeira == {451: (300000, 33000), 100: (267000, 5745)}
    # INSS: 642,34 − 330,00 = 312,34 (base 5.839,45 − 3.000,00 = 2.839,45);
    # IR: 604,00 − 57,45 = 546,55 (base 3.000,00 − 312,34 = 2.687,66)
    assert segunda == {451: (283945, 31234), 100: (268766, 54655)}


def test_liquidacao_anterior_sem_retencao_entra_no_calculo() -> None:
    # Seção 1.8 (ATENÇÃO): liquidação do mês sem a devida retenção é considerada.
    anterior = LiquidacaoAnterior(PF.documento, dt.date(2019, 3, 2), 300000)
    r = calcular_retencoes(
        _liq(300000, dia=20),
        SERVICO_40,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
        anteriores=[anterior],
    )
    # Nada retido antes: INSS 642,34 e IR 604,00 inteiros nesta liquidação.
    assert {p.desconto: p.valor for p in r.descontos} == {451: 64234, 100: 60400}


def test_so_contam_o_mesmo_fornecedor_e_o_mesmo_mes() -> None:
    outras = [
        LiquidacaoAnterior(PF2.documento, dt.date(2019, 3, 2), 900000, (Retencao(451, 64234),)),
        LiquidacaoAnterior(PF.documento, dt.date(2019, 2, 28), 900000, (Retencao(451, 64234),)),
        LiquidacaoAnterior(PF.documento, dt.date(2018, 3, 2), 900000, (Retencao(451, 64234),)),
    ]
    r = calcular_retencoes(
        _liq(300000),
        SERVICO_40,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
        anteriores=outras,
    )
    assert {p.desconto: p.valor for p in r.descontos} == {451: 33000, 100: 5745}


# --- Faixas do IR, três liquidações, teto --------------------------------------------


def test_ir_cruza_faixas_no_mes() -> None:
    # Serviço 41: só IR PF. 1.500,00 três vezes.
    a, b, c = _mes(150000, 150000, 150000, servico=41)
    # 1.500,00 ≤ 1.903,98: faixa 01, IR 0 → não gerado
    assert a == {}
    # 3.000,00: faixa 03; 15% × 3.000,00 = 450,00 − 354,80 = 95,20
    assert b == {100: (150000, 9520)}
    # 4.500,00: faixa 04; 22,5% × 4.500,00 = 1.012,50 − 636,13 = 376,37; 376,37 − 95,20 = 281,17
    assert c == {100: (150000, 28117)}


def test_tres_liquidacoes_com_inss_e_ir() -> None:
    a, b, c = _mes(200000, 200000, 200000)
    # 1ª: INSS 11% × 2.000,00 = 220,00; IR base 1.780,00 (faixa 01) → 0, não gerado
    assert a == {451: (200000, 22000)}
    # 2ª: INSS 11% × 4.000,00 = 440,00 − 220,00 = 220,00;
    #     IR base 4.000,00 − 440,00 = 3.560,00 (faixa 03): 534,00 − 354,80 = 179,20
    assert b == {451: (200000, 22000), 100: (178000, 17920)}
    # 3ª: INSS 642,34 − 440,00 = 202,34 (base 5.839,45 − 4.000,00 = 1.839,45);
    #     IR base 6.000,00 − 642,34 = 5.357,66: 604,00 − 179,20 = 424,80
    assert c == {451: (183945, 20234), 100: (179766, 42480)}


def test_inss_atinge_o_teto_exatamente_e_depois_nao_e_gerado() -> None:
    resultados = calcular_mes(
        [_liq(300000, dia=1), _liq(283945, dia=2), _liq(50000, dia=3)],
        SERVICOS,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
    )
    a, b, c = ({p.desconto: p.valor for p in r.descontos} for r in resultados)
    assert a == {451: 33000, 100: 5745}
    # Total 5.839,45 = teto: INSS 642,34 − 330,00 = 312,34;
    # IR base 5.839,45 − 642,34 = 5.197,11: 27,5% = 1.429,20525 → 1.429,21 − 869,36 = 559,85;
    # 559,85 − 57,45 = 502,40
    assert b == {451: 31234, 100: 50240}
    # Teto já atingido: INSS não gerado. IR base 6.339,45 − 642,34 = 5.697,11:
    # 27,5% = 1.566,70525 → 1.566,71 − 869,36 = 697,35; − 559,85 = 137,50
    assert c == {100: 13750}
    assert [str(e) for e in resultados[2].avisos] == [
        "campo desconto: [RET-INSS-TETO] o desconto 451 não é gerado: a retenção do INSS do "
        "fornecedor 52998224725 já atingiu o teto em 03/2019"
    ]
    assert sum(v.get(451, 0) for v in (a, b, c)) == 64234  # = 11% × teto


def test_outras_fontes_empurram_para_alem_do_teto() -> None:
    outras = [InssOutrasFontes(PF.documento, 2019, 3, 400000, 44000)]
    (r,) = _mes(300000, outras_fontes=outras)
    # 4.000,00 de outras fontes + 3.000,00 = 7.000,00 > teto: 11% × 5.839,45 = 642,34;
    # − 440,00 retidos pela outra fonte = 202,34 (base 5.839,45 − 4.000,00 = 1.839,45).
    # IR base 3.000,00 − 202,34 = 2.797,66 (faixa 02): 7,5% = 209,8245 → 209,82 − 142,80 = 67,02
    assert r == {451: (183945, 20234), 100: (279766, 6702)}


def test_outras_fontes_ja_no_teto_inss_nao_gerado() -> None:
    outras = [
        InssOutrasFontes(PF.documento, 2019, 3, 600000, 64234),
        InssOutrasFontes(PF.documento, 2019, 2, 600000, 64234),  # outro mês: não conta
    ]
    resultado = calcular_retencoes(
        _liq(300000),
        SERVICO_40,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
        outras_fontes=outras,
    )
    # INSS: 642,34 − 642,34 = 0, não gerado; IR base 3.000,00 (faixa 03): 450,00 − 354,80 = 95,20
    assert {p.desconto: p.valor for p in resultado.descontos} == {100: 9520}
    assert [e.regra for e in resultado.avisos] == ["RET-INSS-TETO"]


def test_data_inicial_do_teto() -> None:
    # Mudou de propósito (issue 16): a data inicial é o início da vigência do teto;
    # antes dela vale o teto anterior (não mais o percentual do serviço) e a apuração
    # do mês soma todas as liquidações do mês, com o que elas já retiveram.
    teto = TetoINSS(dt.date(2019, 3, 15), 600000)  # um teto de R$ 6.000,00 a partir de 15/03
    resultados = calcular_mes(
        [_liq(300000, dia=10), _liq(300000, dia=20)],
        SERVICOS,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019, teto],
    )
    a, b = ({p.desconto: p.valor for p in r.descontos} for r in resultados)
    # Dia 10, teto de 01/01 (5.839,45): 11% × 3.000,00 = 330,00; IR 57,45
    assert a == {451: 33000, 100: 5745}
    # Dia 20, teto de 15/03 (6.000,00): 11% × mín(6.000,00, 6.000,00) = 660,00 − 330,00 = 330,00;
    # IR base 6.000,00 − 660,00 = 5.340,00: 27,5% = 1.468,50 − 869,36 = 599,14; − 57,45 = 541,69
    assert b == {451: 33000, 100: 54169}


def test_tabela_que_ainda_nao_vigora_recusa() -> None:
    # Mudou de propósito (issue 16): sem tabela em vigor na data, o IR PF recusa.
    tabela_2020 = TABELA_2019._replace(vigencia=dt.date(2020, 1, 1))
    r = calcular_retencoes(
        _liq(300000, servico=41), SERVICO_41, DESCONTOS, tabelas_irrf=[tabela_2020]
    )
    assert r.descontos == ()
    assert [e.mensagem for e in r.erros] == [
        "não há tabela do IRRF em vigor em 05/03/2019 para calcular o desconto 100 (IRRF "
        "Pessoa Física); a primeira começa em 01/01/2020: cadastre a tabela (faixa_irrf) com "
        "vigência até essa data"
    ]


# --- Tipo de fornecedor e controle de geração ----------------------------------------


def test_servico_de_pf_em_fornecedor_pj() -> None:
    r = calcular_retencoes(
        _liq(300000, fornecedor=PJ),
        SERVICO_40,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
    )
    # IR PF não é gerado para PJ (seção 1.4); o INSS segue (11% × 3.000,00 = 330,00).
    assert r.descontos == (DescontoCalculado(451, TipoDesconto.INSS, 300000, 33000),)
    assert [(e.regra, e.mensagem) for e in r.avisos] == [
        (
            "RET-IRRF-FORNECEDOR",
            "o desconto 100 (IRRF Pessoa Física) não é gerado para o fornecedor "
            "11222333000181, pessoa jurídica",
        )
    ]


def test_servico_de_pj_em_fornecedor_pf_e_em_pj() -> None:
    r = calcular_retencoes(_liq(300000, servico=42), SERVICOS, DESCONTOS)
    assert r.descontos == ()
    assert [e.mensagem for e in r.avisos] == [
        "o desconto 200 (IRRF Pessoa Jurídica) não é gerado para o fornecedor "
        "52998224725, pessoa física"
    ]
    # Para PJ: percentual do serviço, mesmo com tabela (a tabela é de pessoa física).
    r = calcular_retencoes(
        _liq(300000, servico=42, fornecedor=PJ), SERVICOS, DESCONTOS, tabelas_irrf=[TABELA_2019]
    )
    assert r.descontos == (DescontoCalculado(200, TipoDesconto.IRRF_PJ, 300000, 4500),)


def test_controle_de_geracao_do_desconto() -> None:
    r = calcular_retencoes(_liq(300000, servico=43), SERVICOS, DESCONTOS)
    assert r.descontos == ()
    assert [(e.regra, e.mensagem) for e in r.avisos] == [
        ("RET-DESCONTO-ROTINA", "o desconto 300 só pode ser informado no pagamento")
    ]
    # No pagamento: 5% × 3.000,00 = 150,00
    r = calcular_retencoes(_liq(300000, servico=43), SERVICOS, DESCONTOS, rotina=Rotina.PAGAMENTO)
    assert r.descontos == (DescontoCalculado(300, TipoDesconto.ISS, 300000, 15000),)


def test_desconto_do_servico_nao_cadastrado() -> None:
    r = calcular_retencoes(_liq(300000, servico=44), [ServicoDesconto(44, 999, Decimal(1))], {})
    assert r.descontos == ()
    assert [str(e) for e in r.avisos] == [
        "serviço 44, campo desconto: [RET-SERVICO-DESCONTO-REFERENCIA] desconto 999 não cadastrado"
    ]


def test_apropriacao_nao_muda_o_calculo() -> None:
    # O controle de apropriação decide onde a receita entra, não o valor (seção 1.5).
    descontos = dict(DESCONTOS)
    descontos[451] = INSS_451._replace(controle_apropriacao=ControleApropriacao.LIQUIDACAO)
    r = calcular_retencoes(
        _liq(100000), SERVICO_40, descontos, tabelas_irrf=[TABELA_2019], tetos_inss=[TETO_2019]
    )
    # 11% de 1.000,00 = 110,00; IR base 890,00 (faixa 01) → 0, não gerado
    assert r.descontos == (DescontoCalculado(451, TipoDesconto.INSS, 100000, 11000),)


# --- Propriedades -----------------------------------------------------------------


def _ir_2019_a_mao(base: int) -> int:
    """Tabela de 2019 aplicada sem o código de produção: faixa pelo limite,
    alíquota × base arredondada ao centavo (meio para cima), menos a dedução."""
    faixas = [
        (Decimal("1903.98"), Decimal("0"), Decimal("0")),
        (Decimal("2826.65"), Decimal("0.075"), Decimal("142.80")),
        (Decimal("3751.05"), Decimal("0.15"), Decimal("354.80")),
        (Decimal("4664.68"), Decimal("0.225"), Decimal("636.13")),
        (Decimal("99999999999999.00"), Decimal("0.275"), Decimal("869.36")),
    ]
    reais = Decimal(base) / 100
    for limite, aliquota, deducao in faixas:
        if reais <= limite:
            ir = (reais * aliquota).quantize(Decimal("0.01"), ROUND_HALF_UP) - deducao
            return max(0, int(ir * 100))
    raise AssertionError("base acima da última faixa")


VALORES = st.lists(st.integers(min_value=1, max_value=1_500_000), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(valores=VALORES, outras_base=st.integers(0, 800_000), outras_pct=st.integers(0, 11))
def test_propriedade_inss_nunca_passa_do_teto_e_ir_e_a_tabela_do_total(
    valores: list[int], outras_base: int, outras_pct: int
) -> None:
    outras_retido = outras_base * outras_pct // 100
    outras = [InssOutrasFontes(PF.documento, 2019, 3, outras_base, outras_retido)]
    resultados = calcular_mes(
        [_liq(v, dia=1 + i % 28) for i, v in enumerate(valores)],
        SERVICOS,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
        outras_fontes=outras,
    )
    inss = sum(p.valor for r in resultados for p in r.descontos if p.desconto == 451)
    ir = sum(p.valor for r in resultados for p in r.descontos if p.desconto == 100)
    assert all(p.valor > 0 for r in resultados for p in r.descontos)
    # 11% × 5.839,45 = 642,3395 → 642,34: o total retido no mês nunca passa disso
    assert inss <= 64234
    # Mudou de propósito (issue 16): é 11% do total daqui limitado à folga que as outras
    # fontes deixam sob o teto (5.839,45 − base delas); o retido por elas não entra.
    total = sum(valores)
    assert inss == percentual_sobre(min(total, max(0, 583945 - outras_base)), Decimal(11))
    # O IR do mês é a tabela aplicada à base total do mês (total − INSS do mês).
    assert ir == _ir_2019_a_mao(total - inss)


@settings(max_examples=200, deadline=None)
@given(valores=VALORES)
def test_propriedade_bases_nao_passam_do_mes(valores: list[int]) -> None:
    resultados = calcular_mes(
        [_liq(v) for v in valores],
        SERVICOS,
        DESCONTOS,
        tabelas_irrf=[TABELA_2019],
        tetos_inss=[TETO_2019],
    )
    total = sum(valores)
    inss = sum(p.valor for r in resultados for p in r.descontos if p.desconto == 451)
    base_inss = sum(p.base for r in resultados for p in r.descontos if p.desconto == 451)
    base_ir = sum(p.base for r in resultados for p in r.descontos if p.desconto == 100)
    # Retenção que arredonda a zero não é gerada e leva sua base junto: por isso ≤.
    assert base_inss <= min(total, 583945)
    assert base_ir <= total - inss
