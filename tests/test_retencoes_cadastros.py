"""Cadastros das retenções (manual "Serviço e Desconto", seções 1.1 a 1.8):
validações que listam todos os problemas, com as mensagens conferidas ao pé da letra."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erario.execucao.cadastros import Credor, TipoPessoa
from erario.orcamento.classificacao import FonteRecurso
from erario.retencoes.cadastros import (
    ControleApropriacao,
    Desconto,
    FaixaIRRF,
    InssOutrasFontes,
    ParametrosUnidadeGestora,
    Rotina,
    Servico,
    ServicoDesconto,
    TabelaIRRF,
    TetoINSS,
    TipoDesconto,
    TipoReceita,
    servicos_disponiveis,
    tipo_do_codigo,
    tipo_pessoa,
    validar_alteracao_parametros,
    validar_desconto,
    validar_desconto_informado,
    validar_descontos,
    validar_geracao_extra,
    validar_inclusao_desconto,
    validar_outras_fontes,
    validar_servico_informado,
    validar_servicos,
    validar_servicos_descontos,
    validar_tabela_irrf,
    validar_tetos_inss,
)
from tests.test_retencoes_calculo import FONTE, PF, PJ, RFB, TABELA_2019

FONTE_RPPS = FonteRecurso("1", "800", "")
PJ_SIMPLES = Credor("11222333000181", "Limpeza Urbana Ltda", TipoPessoa.PJ, simples=True)

INSS_451 = Desconto(
    451,
    "INSS SERVIÇOS",
    TipoDesconto.INSS,
    TipoReceita.EXTRAORCAMENTARIA,
    "2.1.8.8.1.01.01",
    FONTE,
    RFB,
    TipoPessoa.PJ,
)
IR_PF_100 = Desconto(
    100,
    "IRRF PESSOA FÍSICA",
    TipoDesconto.IRRF_PF,
    TipoReceita.ORCAMENTARIA,
    "1.1.1.3.03.1.1",
    FONTE,
    RFB,
    TipoPessoa.PJ,
)
SERVICO_40 = Servico(40, "Demonstração", "Demo")
PARAMETROS = ParametrosUnidadeGestora("prefeitura", 2019, Rotina.LIQUIDACAO)


# --- Faixas de código (seção 1.1) ------------------------------------------------


@pytest.mark.parametrize(
    ("codigo", "tipo"),
    [
        (1, TipoDesconto.IRRF_PF),
        (100, TipoDesconto.IRRF_PF),
        (199, TipoDesconto.IRRF_PF),
        (2, TipoDesconto.IRRF_PJ),
        (200, TipoDesconto.IRRF_PJ),
        (299, TipoDesconto.IRRF_PJ),
        (3, TipoDesconto.ISS),
        (300, TipoDesconto.ISS),
        (399, TipoDesconto.ISS),
        (4, TipoDesconto.INSS),
        (400, TipoDesconto.INSS),
        (451, TipoDesconto.INSS),
        (499, TipoDesconto.INSS),
        (5, TipoDesconto.OUTROS),
        (99, TipoDesconto.OUTROS),
        (500, TipoDesconto.OUTROS),
        (1000, TipoDesconto.OUTROS),
    ],
)
def test_tipo_pela_faixa_do_codigo(codigo: int, tipo: TipoDesconto) -> None:
    assert tipo_do_codigo(codigo) == tipo


@given(st.integers(min_value=1, max_value=10**6))
def test_desconto_com_o_tipo_da_faixa_e_valido(codigo: int) -> None:
    d = INSS_451._replace(codigo=codigo, tipo=tipo_do_codigo(codigo))
    assert validar_desconto(d) == []


def test_desconto_do_exemplo_e_valido() -> None:
    assert validar_descontos([INSS_451, IR_PF_100]) == []


def test_codigo_fora_da_faixa_do_tipo() -> None:
    assert [
        (e.regra, e.mensagem, e.campo) for e in validar_desconto(INSS_451._replace(codigo=500))
    ] == [
        (
            "RET-DESCONTO-FAIXA",
            "o desconto 500 está na faixa de demais descontos, não de INSS: "
            "INSS usa código 4 ou entre 400 e 499",
            "codigo",
        )
    ]
    outros = INSS_451._replace(tipo=TipoDesconto.OUTROS)
    assert [e.mensagem for e in validar_desconto(outros)] == [
        "o desconto 451 está na faixa de INSS, não de demais descontos: "
        "demais descontos usa código fora das faixas 1–4 e 100–499"
    ]
    ir_pj = IR_PF_100._replace(tipo=TipoDesconto.IRRF_PJ)
    assert [e.mensagem for e in validar_desconto(ir_pj)] == [
        "o desconto 100 está na faixa de IRRF Pessoa Física, não de IRRF Pessoa Jurídica: "
        "IRRF Pessoa Jurídica usa código 2 ou entre 200 e 299"
    ]


def test_todos_os_problemas_do_desconto_de_uma_vez() -> None:
    ruim = INSS_451._replace(codigo=0, descricao=" ", receita="3.1.1", fornecedor="123")
    assert [(e.regra, e.mensagem, e.campo) for e in validar_desconto(ruim)] == [
        ("RET-DESCONTO-CODIGO", "código do desconto 0 inválido: use um inteiro positivo", "codigo"),
        ("RET-DESCONTO-CAMPO", "descrição do desconto obrigatória", "descricao"),
        (
            "RET-DESCONTO-RECEITA",
            "receita '3.1.1' inválida: a receita extraorçamentária do desconto é uma conta "
            "contábil de 2.1.8 (valores restituíveis) ou de 1.1.3.8, p. ex. 2.1.8.8.1.01.01",
            "receita",
        ),
        (
            "RET-DESCONTO-FORNECEDOR",
            "fornecedor do desconto: CPF/CNPJ '123' inválido",
            "fornecedor",
        ),
    ]


def test_receita_orcamentaria_e_tipo_do_fornecedor() -> None:
    ruim = IR_PF_100._replace(receita="1234", tipo_fornecedor=TipoPessoa.PF)
    assert [(e.regra, e.mensagem, e.campo) for e in validar_desconto(ruim)] == [
        (
            "RET-DESCONTO-RECEITA",
            "receita '1234' inválida: a receita orçamentária do desconto é uma natureza da "
            "receita de 8 dígitos, p. ex. 11130311",
            "receita",
        ),
        (
            "RET-DESCONTO-FORNECEDOR",
            "o documento 00394460005887 é de PJ, mas o tipo de fornecedor informado é PF",
            "tipo_fornecedor",
        ),
    ]


# --- Duplicidade (seção 1.4) ------------------------------------------------------

MSG_DUPLICADO = (
    "Rubrica da receita e vínculo já estão presentes em outro código de desconto com o "
    "mesmo fornecedor."
)


def test_mesma_receita_vinculo_e_fornecedor_em_dois_descontos() -> None:
    outro = INSS_451._replace(codigo=452, descricao="INSS AUTÔNOMOS")
    erros = validar_descontos([INSS_451, outro])
    assert [(e.regra, e.mensagem, e.origem) for e in erros] == [
        ("RET-DESCONTO-DUPLICADO", MSG_DUPLICADO, "desconto 452")
    ]
    # Na inclusão, diante dos já cadastrados; editar o próprio registro não conflita.
    assert [e.mensagem for e in validar_inclusao_desconto(outro, [INSS_451])] == [MSG_DUPLICADO]
    assert validar_inclusao_desconto(INSS_451._replace(descricao="INSS"), [INSS_451]) == []


def test_natureza_da_receita_com_e_sem_pontos_e_a_mesma_rubrica() -> None:
    outro = IR_PF_100._replace(codigo=101, receita="11130311")
    assert [e.regra for e in validar_descontos([IR_PF_100, outro])] == ["RET-DESCONTO-DUPLICADO"]


@pytest.mark.parametrize(
    "mudanca",
    [
        {"fonte": FONTE_RPPS},
        {"fornecedor": "29979036000140"},
        {"receita": "2.1.8.8.1.01.02"},
    ],
)
def test_vinculo_fornecedor_ou_receita_diferente_nao_duplica(mudanca: dict[str, object]) -> None:
    outro = INSS_451._replace(codigo=452, **mudanca)
    assert validar_descontos([INSS_451, outro]) == []


def test_codigo_repetido() -> None:
    outro = INSS_451._replace(fonte=FONTE_RPPS)
    assert [(e.regra, e.mensagem) for e in validar_descontos([INSS_451, outro])] == [
        ("RET-DESCONTO-CODIGO-DUPLICADO", "código de desconto 451 já cadastrado")
    ]


# --- Geração dos movimentos extraorçamentários (seção 1.6) -----------------------


def test_ced63901_sem_dotacao_ou_historico() -> None:
    d452 = INSS_451._replace(
        codigo=452, fonte=FONTE_RPPS, controle_apropriacao=ControleApropriacao.LIQUIDACAO
    )
    completo = d452._replace(codigo=453, dotacao="9999.99.999.9999.9999.99999999", historico="INSS")
    vinculos = [ServicoDesconto(40, 452, Decimal(11)), ServicoDesconto(40, 453, Decimal(11))]
    parametros = PARAMETROS._replace(gerar_movimentos_extra=True)
    erros = validar_geracao_extra(parametros, [d452, completo, INSS_451], vinculos)
    assert [(e.regra, e.mensagem) for e in erros] == [
        (
            "RET-DESCONTO-EXTRA",
            "CED63901 - Verifique os parâmetros informados no cadastro do desconto [ 452 ]. "
            "Não foi possível gerar empenho e liquidação extraorçamentários.",
        )
    ]
    # Só dotação sem histórico também não basta.
    so_dotacao = d452._replace(dotacao="9999.99.999.9999.9999.99999999")
    assert [e.campo for e in validar_geracao_extra(parametros, [so_dotacao], vinculos)] == [
        "historico"
    ]
    # Parâmetro desmarcado, desconto fora de serviço ou apropriado no pagamento: sem exigência.
    assert validar_geracao_extra(PARAMETROS, [d452], vinculos) == []
    assert validar_geracao_extra(parametros, [d452], []) == []
    no_pagamento = d452._replace(controle_apropriacao=ControleApropriacao.PAGAMENTO)
    assert validar_geracao_extra(parametros, [no_pagamento], vinculos) == []
    # Receita orçamentária (IR PF: receita própria) não gera empenho extraorçamentário:
    # dotação e histórico não são exigidos (docs/retencoes.md, escolhas).
    ir = IR_PF_100._replace(controle_apropriacao=ControleApropriacao.LIQUIDACAO)
    assert validar_geracao_extra(parametros, [ir], [ServicoDesconto(40, 100, Decimal(0))]) == []


# --- Serviços e serviço × desconto (seções 1.2 e 1.3) ----------------------------


def test_servicos() -> None:
    assert validar_servicos([SERVICO_40, Servico(41, "Consultoria", "Cons", True)]) == []
    erros = validar_servicos([Servico(0, "", ""), SERVICO_40, SERVICO_40])
    assert [(e.regra, e.mensagem, e.origem) for e in erros] == [
        ("RET-SERVICO-CAMPO", "código do serviço 0 inválido: use um inteiro positivo", "serviço 0"),
        ("RET-SERVICO-CAMPO", "descrição do serviço obrigatória", "serviço 0"),
        ("RET-SERVICO-CAMPO", "descrição reduzida do serviço obrigatória", "serviço 0"),
        ("RET-SERVICO-DUPLICADO", "código de serviço 40 já cadastrado", "serviço 40"),
    ]


def test_servicos_descontos() -> None:
    ok = [ServicoDesconto(40, 451, Decimal("11")), ServicoDesconto(40, 100, Decimal("0.00"))]
    assert validar_servicos_descontos(ok, [SERVICO_40], [INSS_451, IR_PF_100]) == []
    ruins = [
        ServicoDesconto(41, 999, Decimal("100.01")),
        ServicoDesconto(40, 451, Decimal("1.234")),
        ServicoDesconto(40, 451, Decimal("-1")),
    ]
    erros = validar_servicos_descontos(ruins, [SERVICO_40], [INSS_451])
    assert [(e.regra, e.mensagem) for e in erros] == [
        ("RET-SERVICO-DESCONTO-REFERENCIA", "serviço 41 não cadastrado"),
        ("RET-SERVICO-DESCONTO-REFERENCIA", "desconto 999 não cadastrado"),
        (
            "RET-SERVICO-DESCONTO-PERCENTUAL",
            "percentual 100.01 inválido: use de 0,00 a 100,00, com até duas casas",
        ),
        (
            "RET-SERVICO-DESCONTO-PERCENTUAL",
            "percentual 1.234 inválido: use de 0,00 a 100,00, com até duas casas",
        ),
        (
            "RET-SERVICO-DESCONTO-PERCENTUAL",
            "percentual -1 inválido: use de 0,00 a 100,00, com até duas casas",
        ),
        ("RET-SERVICO-DESCONTO-DUPLICADO", "o desconto 451 já está ligado ao serviço 40"),
    ]


def test_simples_nacional_so_ve_servicos_do_simples() -> None:
    simples = Servico(41, "Consultoria", "Cons", simples_nacional=True)
    assert servicos_disponiveis(PJ_SIMPLES, [SERVICO_40, simples]) == [simples]
    assert servicos_disponiveis(PJ, [SERVICO_40, simples]) == [SERVICO_40, simples]
    assert validar_servico_informado(PJ_SIMPLES, simples, PARAMETROS) == []
    assert validar_servico_informado(PJ, SERVICO_40, PARAMETROS) == []
    assert [
        (e.regra, e.mensagem) for e in validar_servico_informado(PJ_SIMPLES, SERVICO_40, PARAMETROS)
    ] == [
        (
            "RET-SERVICO-SIMPLES",
            "o fornecedor 11222333000181 é optante pelo Simples Nacional e o serviço "
            "40 - Demonstração não: informe um serviço optante pelo Simples Nacional",
        )
    ]


def test_servico_so_na_rotina_do_parametro() -> None:
    inativo = PARAMETROS._replace(rotina_tipo_servico=None)
    sem_documento = Credor("123", "Sem documento", TipoPessoa.PF)
    erros = validar_servico_informado(sem_documento, SERVICO_40, inativo)
    assert [(e.regra, e.mensagem) for e in erros] == [
        (
            "RET-SERVICO-ROTINA",
            "o serviço não pode ser informado na liquidação: o parâmetro 'Rotina Informação "
            "Tipo de Serviço' da unidade gestora prefeitura não está ativado",
        ),
        (
            "RET-FORNECEDOR-DOCUMENTO",
            "fornecedor '123' sem CPF (11 dígitos) nem CNPJ (14 dígitos)",
        ),
    ]
    erros = validar_servico_informado(PF, SERVICO_40, PARAMETROS, Rotina.PAGAMENTO)
    assert [e.mensagem for e in erros] == [
        "o serviço não pode ser informado no pagamento: o parâmetro 'Rotina Informação Tipo "
        "de Serviço' da unidade gestora prefeitura indica liquidação"
    ]


def test_desconto_informado_na_liquidacao() -> None:
    assert validar_desconto_informado(PF, IR_PF_100) == []
    assert validar_desconto_informado(PJ, INSS_451) == []
    erros = validar_desconto_informado(PJ, IR_PF_100._replace(controle_geracao=Rotina.PAGAMENTO))
    assert [(e.regra, e.mensagem) for e in erros] == [
        ("RET-DESCONTO-ROTINA", "o desconto 100 só pode ser informado no pagamento"),
        (
            "RET-IRRF-FORNECEDOR",
            "o desconto 100 (IRRF Pessoa Física) não é gerado para o fornecedor "
            "11222333000181, pessoa jurídica",
        ),
    ]
    ir_pj = IR_PF_100._replace(codigo=200, tipo=TipoDesconto.IRRF_PJ)
    assert validar_desconto_informado(PJ, ir_pj) == []
    assert [e.mensagem for e in validar_desconto_informado(PF, ir_pj)] == [
        "o desconto 200 (IRRF Pessoa Jurídica) não é gerado para o fornecedor "
        "52998224725, pessoa física"
    ]


def test_pessoa_pelo_documento() -> None:
    assert tipo_pessoa("529.982.247-25") == TipoPessoa.PF
    assert tipo_pessoa("11.222.333/0001-81") == TipoPessoa.PJ
    assert tipo_pessoa("1234") is None


# --- Tabela do IRRF, teto e outras fontes (seção 1.7) ----------------------------


def test_tabela_irrf() -> None:
    assert validar_tabela_irrf(TABELA_2019) == []
    ruim = TabelaIRRF(
        dt.date(1800, 1, 1),
        (
            FaixaIRRF(1, "FAIXA 01", 190398, Decimal("0.00"), 0),
            FaixaIRRF(1, "FAIXA 02", 190398, Decimal("101"), -1),
        ),
    )
    assert [(e.regra, e.mensagem, e.campo) for e in validar_tabela_irrf(ruim)] == [
        ("RET-IRRF-FAIXAS", "vigência 1800-01-01 fora dos anos 1901–2999", "vigencia"),
        ("RET-IRRF-FAIXAS", "faixa de código 1 repetida", "codigo"),
        (
            "RET-IRRF-FAIXAS",
            "faixa 1: o limite deve ser positivo e maior que o da faixa anterior",
            "limite",
        ),
        (
            "RET-IRRF-FAIXAS",
            "faixa 1: alíquota 101 inválida: use de 0,00 a 100,00, com até duas casas",
            "aliquota",
        ),
        ("RET-IRRF-FAIXAS", "faixa 1: dedução negativa", "deducao"),
    ]
    assert [e.mensagem for e in validar_tabela_irrf(TabelaIRRF(dt.date(2019, 1, 1), ()))] == [
        "a tabela do IRRF precisa de ao menos uma faixa"
    ]


def test_tetos_inss() -> None:
    teto = TetoINSS(dt.date(2019, 1, 1), 583945)
    assert teto.aliquota == Decimal("11.00")
    assert validar_tetos_inss([teto, TetoINSS(dt.date(2020, 1, 1), 610106)]) == []
    erros = validar_tetos_inss([teto, TetoINSS(dt.date(2019, 1, 1), 0, Decimal("0.001"))])
    assert [(e.regra, e.mensagem) for e in erros] == [
        ("RET-TETO-INSS", "o valor do teto do INSS deve ser positivo"),
        ("RET-TETO-INSS", "alíquota 0.001 inválida: use de 0,00 a 100,00, com até duas casas"),
        ("RET-TETO-INSS", "já há teto do INSS com esta data inicial"),
    ]


def test_outras_fontes() -> None:
    ok = InssOutrasFontes(PF.documento, 2019, 3, 400000, 44000)
    assert validar_outras_fontes([ok, ok._replace(mes=4)]) == []
    erros = validar_outras_fontes([ok, ok, InssOutrasFontes("1", 2019, 13, -1, 0)])
    assert [(e.regra, e.mensagem) for e in erros] == [
        ("RET-OUTRAS-FONTES", "fornecedor já tem INSS de outras fontes neste mês"),
        ("RET-OUTRAS-FONTES", "CPF/CNPJ '1' inválido"),
        ("RET-OUTRAS-FONTES", "mês 13 fora de 1–12"),
        ("RET-OUTRAS-FONTES", "valores não podem ser negativos"),
    ]


# --- Parâmetros da unidade gestora (seções 1.4, 1.6 e 1.8) ------------------------


def test_parametros_so_antes_da_execucao() -> None:
    novo = PARAMETROS._replace(
        rotina_tipo_servico=Rotina.PAGAMENTO, gerar_movimentos_extra=True, controle_extra=True
    )
    assert validar_alteracao_parametros(PARAMETROS, novo, execucao_iniciada=False) == []
    assert validar_alteracao_parametros(PARAMETROS, PARAMETROS, execucao_iniciada=True) == []
    erros = validar_alteracao_parametros(PARAMETROS, novo, execucao_iniciada=True)
    assert [(e.regra, e.mensagem, e.campo) for e in erros] == [
        (
            "RET-PARAMETROS-EXECUCAO",
            "O parâmetro 'Rotina Informação Tipo de Serviço' só pode ser alterado antes do "
            "início da execução orçamentária do exercício 2019.",
            "rotina_tipo_servico",
        ),
        (
            "RET-PARAMETROS-EXECUCAO",
            "O parâmetro 'Gerar Movimentos Extraorçamentários' só pode ser alterado antes do "
            "início da execução orçamentária do exercício 2019.",
            "gerar_movimentos_extra",
        ),
        (
            "RET-PARAMETROS-EXECUCAO",
            "O parâmetro 'Controle Despesa / Receita Extra' só pode ser alterado antes do "
            "início da execução orçamentária do exercício 2019.",
            "controle_extra",
        ),
    ]
    outra_ug = novo._replace(unidade_gestora="camara")
    assert [
        (e.regra, e.mensagem) for e in validar_alteracao_parametros(PARAMETROS, outra_ug, False)
    ] == [
        (
            "RET-PARAMETROS",
            "a alteração deve ser da mesma unidade gestora e do mesmo exercício",
        )
    ]
