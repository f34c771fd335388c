"""Retenções legíveis (issue 16, itens 5 e 6): a carga dos cadastros com cada erro na
sua linha, chaves repetidas no arquivo recusadas, a CED63901 no cadastro, e os
relatórios — liquidações desdobradas (bruto, cada retenção, líquido, de que base
se trata), IRRF e ISS como receita própria e INSS como guia a pagar, o mesmo
``--ano`` nos três — com o estorno recusado que nomeia o pagamento e a mensagem
dos valores negativos.

O exemplo é o do manual "Serviço e Desconto" (seção 1.7), em 2019: duas
liquidações de R$ 3.000,00 do mesmo fornecedor PF no mês, com o serviço 40 (INSS
451 a 11% com teto de R$ 5.839,45; IR PF 100 pela tabela de 2019).

    1ª: INSS 11% × 3.000,00 = 330,00; IR 7,5% × (3.000,00 − 330,00) − 142,80 = 57,45;
        líquido 3.000,00 − 330,00 − 57,45 = 2.612,55.
    2ª: INSS 11% × 5.839,45 = 642,34 − 330,00 = 312,34; IR 27,5% × (6.000,00 − 642,34)
        = 1.473,36 − 869,36 = 604,00 − 57,45 = 546,55; líquido 3.000,00 − 312,34 −
        546,55 = 2.141,11. Bases (acréscimo da base do mês): INSS mín(6.000,00; teto)
        − 3.000,00 = 2.839,45; IR 3.000,00 − 312,34 = 2.687,66 (2.670,00 + 2.687,66 =
        5.357,66, a base do IR no mês).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from erario.cli.app import app
from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.retencoes.relatorios import (
    EVENTOS_LIDOS,
    LinhaGuia,
    LinhaLiquidacao,
    exercicio_padrao,
    guias_a_recolher,
    liquidacoes_com_situacao,
    retencoes_por_fornecedor,
)
from erario.storage.consultas_execucao import RETENCOES as SO_RETENCOES
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl, recusa, registrar

DOT = "0201.12.361.0001.2001.33903600"
DB = "001-1234-5-67890-1"
PF = "52998224725"
PJ = "98765432000198"
INSS = "29979036000140"  # credor da retenção do INSS
PREFEITURA = "11222333000181"

BANCO: dict[str, Any] = {
    "cadastro": "conta_bancaria", "entidade": "prefeitura", "codigo": DB, "tipo": "movimento",
    "fonte": "1500", "conta_contabil": "1.1.1.1.1.19", "banco": "001", "agencia": "1234",
    "agencia_dv": "5", "conta": "67890", "conta_dv": "1",
}  # fmt: skip
CAIXA: dict[str, Any] = {
    "cadastro": "conta_bancaria", "entidade": "prefeitura", "codigo": "1-1", "tipo": "caixa",
    "fonte": "1500", "conta_contabil": "1.1.1.1.1.01",
}  # fmt: skip
CREDORES: list[dict[str, Any]] = [
    {"cadastro": "credor", "documento": PF, "nome": "Maria da Silva"},
    {"cadastro": "credor", "documento": PJ, "nome": "Limpeza Ltda"},
]

INSS_451: dict[str, Any] = {
    "cadastro": "desconto", "codigo": 451, "descricao": "INSS SERVIÇOS", "tipo": "inss",
    "tipo_receita": "extraorcamentaria", "receita": "2.1.8.8.1.01.03", "fonte": "1500",
    "fornecedor": INSS, "tipo_fornecedor": "PJ", "controle_apropriacao": "liquidacao",
}  # fmt: skip
IR_100: dict[str, Any] = {
    "cadastro": "desconto", "codigo": 100, "descricao": "IR PF", "tipo": "irrf_pf",
    "tipo_receita": "orcamentaria", "receita": "11130311", "fonte": "1500",
    "fornecedor": PREFEITURA, "tipo_fornecedor": "PJ", "controle_apropriacao": "pagamento",
    "conta_vpa": "4.1.1.2.1.03.01",
}  # fmt: skip
ISS_300: dict[str, Any] = {
    "cadastro": "desconto", "codigo": 300, "descricao": "ISS RETIDO", "tipo": "iss",
    "tipo_receita": "orcamentaria", "receita": "11145111", "fonte": "1500",
    "fornecedor": PREFEITURA, "tipo_fornecedor": "PJ", "controle_apropriacao": "liquidacao",
    "conta_vpa": "4.1.1.3.1.02.00",
}  # fmt: skip
FAIXAS_2019: list[dict[str, Any]] = [
    {"cadastro": "faixa_irrf", "exercicio": 2019, "codigo": n, "descricao": f"FAIXA 0{n}",
     "limite": limite, "aliquota": aliquota, "deducao": deducao}
    for n, limite, aliquota, deducao in (
        (1, "1903.98", "0.00", "0.00"),
        (2, "2826.65", "7.50", "142.80"),
        (3, "3751.05", "15.00", "354.80"),
        (4, "4664.68", "22.50", "636.13"),
        (5, "99999999999999.00", "27.50", "869.36"),
    )
]  # fmt: skip
RETENCOES: list[dict[str, Any]] = [
    INSS_451,
    IR_100,
    ISS_300,
    {"cadastro": "servico", "codigo": 40, "descricao": "Demonstração",
     "descricao_reduzida": "Demo"},
    {"cadastro": "servico", "codigo": 41, "descricao": "Limpeza", "descricao_reduzida": "Limp"},
    {"cadastro": "servico_desconto", "servico": 40, "desconto": 451, "percentual": "11.00"},
    {"cadastro": "servico_desconto", "servico": 40, "desconto": 100, "percentual": "0.00"},
    {"cadastro": "servico_desconto", "servico": 41, "desconto": 300, "percentual": "5.00"},
    *FAIXAS_2019,
    {"cadastro": "teto_inss", "data_inicial": "2019-01-01", "valor": "5839.45"},
    {"cadastro": "parametros", "unidade_gestora": "prefeitura", "exercicio": 2019,
     "rotina_tipo_servico": "liquidacao"},
]  # fmt: skip


def _liq(id_: str, data: str, empenho: str, valor: str, **extra: object) -> dict[str, object]:
    return {
        "tipo": "liquidacao", "id": id_, "data": data, "empenho": empenho, "valor": valor,
        "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01",
        "documento": f"NF {id_}", "conta_bancaria": DB, **extra,
    }  # fmt: skip


def _empenho(id_: str, data: str, credor: str, valor: str) -> dict[str, object]:
    return {"tipo": "empenho", "id": id_, "data": data, "dotacao": DOT, "fonte": "1500",
            "credor": credor, "valor": valor}  # fmt: skip


EVENTOS_2019: list[dict[str, Any]] = [
    {"tipo": "dotacao_inicial", "id": "D19", "data": "2019-01-02", "dotacao": DOT,
     "fonte": "1500", "valor": "100000.00"},
    _empenho("E1", "2019-03-01", PF, "10000.00"),
    _empenho("E2", "2019-03-01", PJ, "5000.00"),
    _liq("L1", "2019-03-10", "E1", "3000.00", servico=40),
    _liq("L2", "2019-03-20", "E1", "3000.00", servico=40),
    _liq("L3", "2019-03-25", "E2", "1000.00", servico=41),
    {"tipo": "pagamento", "id": "P1", "data": "2019-03-28", "liquidacao": "L1",
     "valor": "2670.00", "conta_bancaria": DB},
]  # fmt: skip
EVENTOS_2020: list[dict[str, Any]] = [
    {"tipo": "dotacao_inicial", "id": "D20", "data": "2020-01-02", "dotacao": DOT,
     "fonte": "1500", "valor": "100000.00"},
    _empenho("E3", "2020-01-10", PF, "1000.00"),
    _liq("L4", "2020-01-15", "E3", "1000.00", descontos=[{"desconto": 451, "valor": "110.00"}]),
]  # fmt: skip


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    """O manual em março de 2019 (L1, L2 do PF; L3 do PJ com ISS; L1 paga) e uma
    liquidação de 2020 com INSS informado à mão."""
    for ano in (2019, 2020):
        repo_pcasp.abrir_exercicio("prefeitura", ano)
    repo_pcasp.registrar_cadastros([json.dumps(c) for c in (*CREDORES, BANCO, CAIXA)])
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in RETENCOES])
    registrar(repo_pcasp, jsonl(*EVENTOS_2019))
    registrar(repo_pcasp, jsonl(*EVENTOS_2020))
    return repo_pcasp


def _recusado(repo: Repositorio, registros: list[Any]) -> list[str]:
    linhas = [r if isinstance(r, str) else json.dumps(r) for r in registros]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.registrar_retencoes(linhas, "ret.jsonl")
    return [str(e) for e in exc.value.erros]


# --- Item 5: a carga dos cadastros -----------------------------------------------


def test_mesma_chave_duas_vezes_no_arquivo_e_recusada(repo_pcasp: Repositorio) -> None:
    """Cada cadastro repetido no arquivo: um erro, na segunda linha, com todas as
    linhas; nada é gravado (antes, a última linha valia em silêncio)."""
    sufixo = ": cada registro vai uma só vez no arquivo (deixe a linha com os valores que valem)"
    parametros = RETENCOES[-1]
    teto = {"cadastro": "teto_inss", "data_inicial": "2019-01-01", "valor": "5839.45"}
    outras = {"cadastro": "inss_outras_fontes", "fornecedor": PF, "ano": 2019, "mes": 3,
              "base": "4000.00", "retido": "440.00"}  # fmt: skip
    vinculo = RETENCOES[5]
    arquivo = [
        INSS_451,  # 1
        RETENCOES[3],  # 2: serviço 40
        vinculo,  # 3
        {**INSS_451, "descricao": "INSS (de novo)"},  # 4
        {**vinculo, "percentual": "20.00"},  # 5
        RETENCOES[3],  # 6
        FAIXAS_2019[0],  # 7
        FAIXAS_2019[0],  # 8
        teto,  # 9
        teto,  # 10
        outras,  # 11
        outras,  # 12
        parametros,  # 13
        parametros,  # 14
        {**vinculo, "percentual": "11.00"},  # 15
    ]
    assert _recusado(repo_pcasp, arquivo) == [
        "ret.jsonl, linha 4, campo codigo: [RET-DESCONTO-CODIGO-DUPLICADO] as linhas 1 e 4 "
        "repetem o desconto 451" + sufixo,
        "ret.jsonl, linha 5, campo desconto: [RET-SERVICO-DESCONTO-DUPLICADO] as linhas 3, 5 e "
        "15 repetem o desconto 451 do serviço 40" + sufixo,
        "ret.jsonl, linha 6, campo codigo: [RET-SERVICO-DUPLICADO] as linhas 2 e 6 repetem o "
        "serviço 40" + sufixo,
        "ret.jsonl, linha 8, campo codigo: [RET-CADASTRO-DUPLICADO] as linhas 7 e 8 repetem a "
        "faixa do IRRF " + _chave(FAIXAS_2019[0]) + sufixo,
        "ret.jsonl, linha 10, campo data_inicial: [RET-CADASTRO-DUPLICADO] as linhas 9 e 10 "
        "repetem o teto do INSS 2019-01-01" + sufixo,
        "ret.jsonl, linha 12, campo mes: [RET-CADASTRO-DUPLICADO] as linhas 11 e 12 repetem o "
        f"INSS de outras fontes {PF}/2019/03" + sufixo,
        "ret.jsonl, linha 14, campo exercicio: [RET-CADASTRO-DUPLICADO] as linhas 13 e 14 "
        "repetem os parâmetros da unidade gestora prefeitura/2019" + sufixo,
    ]
    assert repo_pcasp.cadastro_retencoes().descontos == {}


def _chave(registro: dict[str, Any]) -> str:
    """A chave da faixa do IRRF como a carga a monta (exercício ou vigência)."""
    from erario.retencoes.carga import chave, registro_de_dict

    tipo, valores, erros = registro_de_dict(registro)
    assert erros == [] and valores is not None
    return chave(tipo, valores)


def test_todo_erro_da_carga_tem_a_linha(repo_pcasp: Repositorio) -> None:
    """Um erro de cada caminho da carga: leitura, conversão, validação do desconto e
    do serviço, vínculo, faixa, outras fontes, a regra do manual entre descontos,
    conta da VPA, CED63901 e parâmetros (entidade inexistente, execução iniciada)."""
    registrar(repo_pcasp, jsonl({"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02",
                                 "dotacao": DOT, "fonte": "1500", "valor": "100.00"}))  # fmt: skip
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in (INSS_451, RETENCOES[3])])  # 451, 40
    arquivo = [
        "{",  # 1
        "[1, 2]",  # 2
        {"cadastro": "bolo"},  # 3
        {**ISS_300, "codigo": 200},  # 4: faixa do IR PJ
        {"cadastro": "servico", "codigo": 0, "descricao": "X", "descricao_reduzida": "X"},  # 5
        {"cadastro": "servico_desconto", "servico": 40, "desconto": 999, "percentual": "1"},  # 6
        {**FAIXAS_2019[1], "aliquota": "150.00"},  # 7
        {"cadastro": "inss_outras_fontes", "fornecedor": "123", "ano": 2026, "mes": 3,
         "base": "1.00", "retido": "0.10"},  # 8
        {**INSS_451, "codigo": 452, "descricao": "INSS 2"},  # 9: mesma receita do 451
        {k: v for k, v in IR_100.items() if k != "conta_vpa"},  # 10
        {"cadastro": "parametros", "unidade_gestora": "nada", "exercicio": 2026},  # 11
        {"cadastro": "parametros", "unidade_gestora": "prefeitura", "exercicio": 2026,
         "controle_extra": True},  # 12
        {"cadastro": "servico_desconto", "servico": 40, "desconto": 451, "percentual": "11"},  # 13
        {"cadastro": "parametros", "unidade_gestora": "camara", "exercicio": 2026,
         "gerar_movimentos_extra": True},  # 14
    ]  # fmt: skip
    assert _recusado(repo_pcasp, arquivo) == [
        "ret.jsonl, linha 1: [RET-CADASTRO] JSON inválido: Expecting property name enclosed "
        "in double quotes",
        "ret.jsonl, linha 2: [RET-CADASTRO] cada linha deve ser um objeto",
        "ret.jsonl, linha 3, campo cadastro: [RET-CADASTRO] cadastro deve ser desconto, "
        "servico, servico_desconto, faixa_irrf, teto_inss, inss_outras_fontes, parametros",
        "ret.jsonl, linha 4, campo codigo: [RET-DESCONTO-FAIXA] o desconto 200 está na faixa "
        "de IRRF Pessoa Jurídica, não de ISS: ISS usa código 3 ou entre 300 e 399",
        "ret.jsonl, linha 5, campo codigo: [RET-SERVICO-CAMPO] código do serviço 0 inválido: "
        "use um inteiro positivo",
        "ret.jsonl, linha 6, campo desconto: [RET-SERVICO-DESCONTO-REFERENCIA] desconto 999 "
        "não cadastrado",
        "ret.jsonl, linha 7, campo aliquota: [RET-IRRF-FAIXAS] faixa 2: alíquota 150.00 "
        "inválida: use de 0,00 a 100,00, com até duas casas",
        "ret.jsonl, linha 8, campo fornecedor: [RET-OUTRAS-FONTES] CPF/CNPJ '123' inválido",
        "ret.jsonl, linha 9, campo receita: [RET-DESCONTO-DUPLICADO] Rubrica da receita e "
        "vínculo já estão presentes em outro código de desconto com o mesmo fornecedor.",
        "ret.jsonl, linha 10, campo conta_vpa: [RET-DESCONTO-RECEITA] desconto 100: a receita "
        "orçamentária exige conta_vpa (a VPA do tributo, p. ex. 4.1.1.2.1.03.01 para o IRRF)",
        "ret.jsonl, linha 11, campo unidade_gestora: [RET-CADASTRO] unidade_gestora: entidade "
        "nada não existe",
        "ret.jsonl, linha 12, campo controle_extra: [RET-PARAMETROS-EXECUCAO] O parâmetro "
        "'Controle Despesa / Receita Extra' só pode ser alterado antes do início da execução "
        "orçamentária do exercício 2026.",
        "ret.jsonl, linha 13, campo desconto: [RET-DESCONTO-EXTRA] CED63901 - Verifique os "
        "parâmetros informados no cadastro do desconto [ 451 ]. Não foi possível gerar "
        "empenho e liquidação extraorçamentários.",
    ]


def test_valores_negativos_nos_cadastros(repo_pcasp: Repositorio) -> None:
    assert _recusado(
        repo_pcasp,
        [
            {**RETENCOES[5], "percentual": "-11.00"},
            {**FAIXAS_2019[1], "deducao": "-142.80"},
            {"cadastro": "inss_outras_fontes", "fornecedor": PF, "ano": 2019, "mes": 3,
             "base": "-4000.00", "retido": "440.00"},
            {**INSS_451, "codigo": -451},
        ],
    ) == [
        "ret.jsonl, linha 1, campo percentual: [RET-CADASTRO] percentual: valores negativos "
        "não são permitidos (-11.00)",
        "ret.jsonl, linha 2, campo deducao: [RET-CADASTRO] deducao: valores negativos não são "
        "permitidos (-142.80)",
        "ret.jsonl, linha 3, campo base: [RET-CADASTRO] base: valores negativos não são "
        "permitidos (-4000.00)",
        "ret.jsonl, linha 4, campo codigo: [RET-CADASTRO] codigo: valores negativos não são "
        "permitidos (-451)",
    ]  # fmt: skip


def test_valor_negativo_nos_descontos_da_liquidacao() -> None:
    linhas = jsonl(
        _liq("L9", "2019-03-10", "E1", "3000.00", descontos=[{"desconto": 451, "valor": "-110.00"}])
    )
    _, erros = ler_eventos_jsonl(linhas, "eventos.jsonl")
    assert [str(e) for e in erros] == [
        "eventos.jsonl, linha 1, campo descontos: [EVENTO-CAMPO] descontos: valores negativos "
        "não são permitidos (desconto 451, valor -110.00)"
    ]


def test_ced63901_no_cadastro(repo_pcasp: Repositorio) -> None:
    """Seção 1.6: com "Gerar Movimentos Extraorçamentários", o desconto apropriado na
    liquidação, extraorçamentário e ligado a serviço precisa de dotação e histórico
    — conferido ao cadastrar, na linha de quem cria a situação: o desconto, o
    vínculo com o serviço ou os parâmetros. O IR PF (receita orçamentária) não."""
    ced = (
        "[RET-DESCONTO-EXTRA] CED63901 - Verifique os parâmetros informados no cadastro do "
        "desconto [ 451 ]. Não foi possível gerar empenho e liquidação extraorçamentários."
    )
    gerar = {**RETENCOES[-1], "gerar_movimentos_extra": True}
    ir_no_servico = {**IR_100, "controle_apropriacao": "liquidacao"}
    # O desconto e o vínculo no arquivo: o erro vai para a linha do desconto.
    assert _recusado(
        repo_pcasp, [gerar, RETENCOES[3], RETENCOES[5], INSS_451, ir_no_servico, RETENCOES[6]]
    ) == [f"ret.jsonl, linha 4, campo dotacao: {ced}"]
    # Só o histórico falta.
    assert _recusado(
        repo_pcasp, [gerar, RETENCOES[3], RETENCOES[5], {**INSS_451, "dotacao": "9001"}]
    ) == [f"ret.jsonl, linha 4, campo historico: {ced}"]
    # Desconto já gravado; o vínculo com o serviço chega depois.
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in (INSS_451, RETENCOES[3], gerar)])
    assert _recusado(repo_pcasp, [RETENCOES[5]]) == [f"ret.jsonl, linha 1, campo desconto: {ced}"]


def test_ced63901_pelos_parametros(repo_pcasp: Repositorio) -> None:
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in RETENCOES[:8]])
    gerar = {"cadastro": "parametros", "unidade_gestora": "prefeitura", "exercicio": 2027,
             "gerar_movimentos_extra": True}  # fmt: skip
    assert _recusado(repo_pcasp, [RETENCOES[-1], gerar]) == [
        "ret.jsonl, linha 2, campo gerar_movimentos_extra: [RET-DESCONTO-EXTRA] CED63901 - "
        "Verifique os parâmetros informados no cadastro do desconto [ 451 ]. Não foi possível "
        "gerar empenho e liquidação extraorçamentários."
    ]
    # Com dotação e histórico no mesmo arquivo, a geração pode ser ligada.
    completo = {**INSS_451, "dotacao": "9001", "historico": "INSS retido"}
    assert repo_pcasp.registrar_retencoes([json.dumps(gerar), json.dumps(completo)]) == 2


def test_desconto_novo_com_a_receita_de_um_gravado(repo_pcasp: Repositorio) -> None:
    """A regra da seção 1.4 diante do já gravado: o erro fica na linha do arquivo;
    dois descontos do arquivo entre si: um erro em cada linha."""
    repo_pcasp.registrar_retencoes([json.dumps(INSS_451)])
    msg = (
        "[RET-DESCONTO-DUPLICADO] Rubrica da receita e vínculo já estão presentes em outro "
        "código de desconto com o mesmo fornecedor."
    )
    novo = {**INSS_451, "codigo": 452}
    assert _recusado(repo_pcasp, [ISS_300, novo]) == [f"ret.jsonl, linha 2, campo receita: {msg}"]
    outro = {**ISS_300, "codigo": 301}
    assert _recusado(repo_pcasp, [ISS_300, outro]) == [
        f"ret.jsonl, linha 1, campo receita: {msg}",
        f"ret.jsonl, linha 2, campo receita: {msg}",
    ]


# --- Item 6: relatórios ----------------------------------------------------------


def test_liquidacoes_desdobradas_no_exemplo_do_manual(repo: Repositorio) -> None:
    linhas = liquidacoes_com_situacao(
        repo.controle(), "prefeitura", 2019, repo.cadastro_retencoes()
    )
    mes, liq = "acréscimo da base do mês", "base desta liquidação"
    assert linhas == [
        LinhaLiquidacao("L1", "2019-03-10", PF, 300_000, "100 – IR PF", 267_000, mes, 5_745,
                        "retido no pagamento P1", 261_255, "Apropriado"),
        LinhaLiquidacao("L1", "2019-03-10", PF, None, "451 – INSS SERVIÇOS", 300_000, mes,
                        33_000, "apropriado na liquidação L1-L451", None, "Apropriado"),
        LinhaLiquidacao("L2", "2019-03-20", PF, 300_000, "100 – IR PF", 268_766, mes, 54_655,
                        "a reter no pagamento", 214_111, "Apropriado"),
        LinhaLiquidacao("L2", "2019-03-20", PF, None, "451 – INSS SERVIÇOS", 283_945, mes,
                        31_234, "apropriado na liquidação L2-L451", None, "Apropriado"),
        LinhaLiquidacao("L3", "2019-03-25", PJ, 100_000, "300 – ISS RETIDO", 100_000, liq,
                        5_000, "apropriado na liquidação L3-L300", 95_000, "Apropriado"),
    ]  # fmt: skip
    # Bruto − retenções = líquido, em cada liquidação e no total.
    for id_ in ("L1", "L2", "L3"):
        da = [ln for ln in linhas if ln.liquidacao == id_]
        assert da[0].bruto == sum(ln.retencao or 0 for ln in da) + (da[0].liquido or 0)


def test_guias_receita_propria_e_guia_a_pagar(repo: Repositorio) -> None:
    """IRRF e ISS retidos pelo município são receita própria, arrecadada na retenção
    (CF, art. 158, I; art. 156, III): sem guia, nada a recolher. O INSS é guia a pagar
    ao credor da retenção. O IR de L2 (ainda não pago) não foi retido."""
    guias = guias_a_recolher(repo.controle(), repo.cadastro_retencoes(), "prefeitura", 2019)
    assert guias == [
        LinhaGuia(100, "IR PF", "IRRF Pessoa Física", "receita própria (arrecadada)", "",
                  "2019-03", "", 5_745, 5_745, 0, 0),
        LinhaGuia(300, "ISS RETIDO", "ISS", "receita própria (arrecadada)", "", "2019-03", "",
                  5_000, 5_000, 0, 0),
        LinhaGuia(451, "INSS SERVIÇOS", "INSS", "guia a pagar", INSS, "2019-03", "2019-04-20",
                  64_234, 0, 0, 64_234),
    ]  # fmt: skip


def test_relatorios_com_so_os_eventos_lidos(repo: Repositorio) -> None:
    """A CLI traz do banco só as liquidações, os empenhos e os eventos de
    ``EVENTOS_LIDOS``: os três relatórios saem iguais aos do controle inteiro."""
    inteiro = repo.controle()
    parcial = repo.controle("prefeitura", so=SO_RETENCOES, eventos=EVENTOS_LIDOS)
    # (o exemplo não tem pagamento extraorçamentário)
    assert {type(ev).__name__ for ev in parcial.eventos.values()} == {"Liquidacao", "Pagamento"}
    assert len(parcial.eventos) < len(inteiro.eventos)
    cad = repo.cadastro_retencoes()
    for c in (inteiro, parcial):
        assert exercicio_padrao(c, "prefeitura") == 2020  # a liquidação mais recente
    assert retencoes_por_fornecedor(parcial, "prefeitura", 2019) == retencoes_por_fornecedor(
        inteiro, "prefeitura", 2019
    )
    assert guias_a_recolher(parcial, cad, "prefeitura", 2019) == guias_a_recolher(
        inteiro, cad, "prefeitura", 2019
    )
    assert liquidacoes_com_situacao(parcial, "prefeitura", 2019, cad) == (
        liquidacoes_com_situacao(inteiro, "prefeitura", 2019, cad)
    )
    assert len(liquidacoes_com_situacao(parcial, "prefeitura", 2019, cad)) == 5


def _cli(repo: Repositorio, *args: str) -> str:
    url = repo.engine.url.render_as_string(hide_password=False)
    r = CliRunner().invoke(app, ["--db", url, *args])
    assert r.exit_code == 0, r.output
    return r.output


def test_ano_igual_nos_tres_relatorios(repo: Repositorio) -> None:
    """``--ano`` é o exercício da data da liquidação nos três; sem ele, o mais
    recente com liquidações (2020)."""
    csv = ("--formato", "csv")
    fornecedores = _cli(repo, "retencoes", "fornecedores", "prefeitura", *csv)
    assert fornecedores.splitlines() == [
        "fornecedor;competencia;desconto;tipo;liquidacao;base;base_de;valor;situacao",
        f"{PF};2020-01;451;INSS;L4;0.00;não informada;110.00;retido",
    ]
    assert _cli(repo, "retencoes", "fornecedores", "prefeitura", "--ano", "2019", *csv) == (
        _cli(repo, "retencoes", "fornecedores", "prefeitura", "--ano", "2019", "--mes", "3", *csv)
    )
    assert len(
        _cli(repo, "retencoes", "fornecedores", "prefeitura", "--ano", "2019", *csv).splitlines()
    ) == 1 + 5  # fmt: skip
    guias = _cli(repo, "retencoes", "guias", "prefeitura", *csv).splitlines()
    assert guias[1:] == [f"451;INSS SERVIÇOS;INSS;guia a pagar;{INSS};2020-01;2020-02-20;"
                         "110.00;0.00;0.00;110.00"]  # fmt: skip
    guias_2019 = _cli(repo, "retencoes", "guias", "prefeitura", "--ano", "2019", *csv)
    assert [ln.split(";")[5] for ln in guias_2019.splitlines()[1:]] == ["2019-03"] * 3
    liquidacoes = _cli(repo, "retencoes", "liquidacoes", "prefeitura", *csv).splitlines()
    assert liquidacoes[1:] == [
        f"L4;2020-01-15;{PF};1000.00;451 – INSS SERVIÇOS;;não informada;110.00;"
        "apropriado na liquidação L4-L451;890.00;Apropriado"
    ]
    em_2019 = _cli(repo, "retencoes", "liquidacoes", "prefeitura", "--ano", "2019", *csv)
    assert {ln.split(";")[0] for ln in em_2019.splitlines()[1:]} == {"L1", "L2", "L3"}
    # A mesma opção (e a mesma ajuda) nos três.
    grupo = get_command(app).commands["retencoes"]  # type: ignore[attr-defined]
    ajudas = {
        p.help for c in ("fornecedores", "guias", "liquidacoes")
        for p in grupo.commands[c].params if p.name == "ano"
    }  # fmt: skip
    assert ajudas == {
        "Exercício das liquidações (a competência é o mês da liquidação); padrão: o mais "
        "recente com liquidações da entidade."
    }


def test_liquidacoes_na_cli_do_exemplo_do_manual(repo: Repositorio) -> None:
    csv = _cli(repo, "retencoes", "liquidacoes", "prefeitura", "--ano", "2019", "--formato", "csv")
    assert csv.splitlines() == [
        "liquidacao;data;fornecedor;bruto;desconto;base;base_de;retencao;situacao;liquido;"
        "apropriacao",
        f"L1;2019-03-10;{PF};3000.00;100 – IR PF;2670.00;acréscimo da base do mês;57.45;"
        "retido no pagamento P1;2612.55;Apropriado",
        f"L1;2019-03-10;{PF};;451 – INSS SERVIÇOS;3000.00;acréscimo da base do mês;330.00;"
        "apropriado na liquidação L1-L451;;Apropriado",
        f"L2;2019-03-20;{PF};3000.00;100 – IR PF;2687.66;acréscimo da base do mês;546.55;"
        "a reter no pagamento;2141.11;Apropriado",
        f"L2;2019-03-20;{PF};;451 – INSS SERVIÇOS;2839.45;acréscimo da base do mês;312.34;"
        "apropriado na liquidação L2-L451;;Apropriado",
        f"L3;2019-03-25;{PJ};1000.00;300 – ISS RETIDO;1000.00;base desta liquidação;50.00;"
        "apropriado na liquidação L3-L300;950.00;Apropriado",
    ]
    tela = _cli(repo, "retencoes", "liquidacoes", "prefeitura", "--ano", "2019")
    assert "Liquidações e retenções — Prefeitura, 2019" in tela
    # Total: bruto 7.000,00 = retido 1.296,34 + líquido 5.703,66.
    assert "7.000,00" in tela and "1.296,34" in tela and "5.703,66" in tela
    guias = _cli(repo, "retencoes", "guias", "prefeitura", "--ano", "2019")
    assert "receita própria (arrecadada)" in guias and "guia a pagar" in guias


def test_estorno_recusado_nomeia_o_pagamento(repo: Repositorio) -> None:
    estorno: dict[str, object] = {"tipo": "estorno", "id": "X1", "data": "2019-03-29",
                                  "evento": "L1"}  # fmt: skip
    assert recusa(repo, jsonl(estorno)) == [
        "EXEC-ESTORNO: evento L1 não pode ser estornado: a liquidação tem o pagamento P1: "
        "estorne-o antes"
    ]
    # O pagamento que reteve o IR gerou outro pagamento da mesma liquidação (P1-P100):
    # a mensagem cita o que se estorna, P1, uma vez.
    assert ("prefeitura", "P1-P100") in repo.controle().eventos
    registrar(repo, jsonl({"tipo": "pagamento", "id": "P2", "data": "2019-03-29",
                           "liquidacao": "L2", "valor": "1000.00", "conta_bancaria": DB},
                          {"tipo": "pagamento", "id": "P3", "data": "2019-03-29",
                           "liquidacao": "L2", "valor": "100.00", "conta_bancaria": DB}))  # fmt: skip
    assert recusa(repo, jsonl({**estorno, "evento": "L2"})) == [
        "EXEC-ESTORNO: evento L2 não pode ser estornado: a liquidação tem os pagamentos P2, "
        "P3: estorne-os antes"
    ]


def test_fornecedores_base_de_calculo(repo: Repositorio) -> None:
    linhas = retencoes_por_fornecedor(repo.controle(), "prefeitura", 2019, 3)
    assert [(ln.desconto, ln.liquidacao, ln.base, ln.base_de) for ln in linhas] == [
        (100, "L1", 267_000, "acréscimo da base do mês"),
        (100, "L2", 268_766, "acréscimo da base do mês"),
        (451, "L1", 300_000, "acréscimo da base do mês"),
        (451, "L2", 283_945, "acréscimo da base do mês"),
        (300, "L3", 100_000, "base desta liquidação"),
    ]


@pytest.mark.parametrize(
    ("codigo", "base", "fornecedor", "esperado"),
    [
        (451, 300_000, PF, "acréscimo da base do mês"),  # INSS de PF: pelo teto, no mês
        (451, 100_000, PJ, "base desta liquidação"),  # INSS de PJ: nota a nota, sem teto
        (100, 267_000, PF, "acréscimo da base do mês"),  # IR PF: pela tabela, no mês
        (200, 100_000, PJ, "base desta liquidação"),  # IR PJ: percentual do serviço
        (300, 100_000, PJ, "base desta liquidação"),  # ISS
        (451, 0, PF, "não informada"),  # informado à mão, sem base
    ],
)
def test_de_que_base_se_trata(codigo: int, base: int, fornecedor: str, esperado: str) -> None:
    from erario.retencoes.relatorios import base_de

    assert base_de(codigo, base, fornecedor) == esperado


def test_problema_so_do_ja_gravado_sai_sem_linha() -> None:
    """O que só registros já gravados explicam (aqui, um IR PF gravado sem conta da
    VPA, como se de uma versão anterior) não tem linha no arquivo: sai marcado."""
    from erario.retencoes.carga import RegistroLido, conferir_carga, registro_de_dict

    sem_vpa = {k: v for k, v in IR_100.items() if k != "conta_vpa"}
    tipo, gravado, _ = registro_de_dict(sem_vpa)
    assert gravado is not None
    tipo_s, servico, _ = registro_de_dict(RETENCOES[3])
    assert servico is not None
    _, erros = conferir_carga([(tipo, gravado)], [RegistroLido(1, tipo_s, servico)], "ret.jsonl")
    assert [str(e) for e in erros] == [
        "ret.jsonl (já gravado: desconto 100), campo conta_vpa: [RET-DESCONTO-RECEITA] "
        "desconto 100: a receita orçamentária exige conta_vpa (a VPA do tributo, p. ex. "
        "4.1.1.2.1.03.01 para o IRRF)"
    ]
