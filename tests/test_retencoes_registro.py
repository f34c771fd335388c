"""Retenções gravadas: cadastros, cálculo na liquidação, apropriação, retenção no
pagamento e estorno em cascata (SQLite e PostgreSQL).

O exemplo é o do manual "Serviço e Desconto" (seções 1.5 e 1.7): serviço 40 com
INSS 451 (11%, apropriado na liquidação) e IR PF 100 (pela tabela, apropriado no
pagamento); duas liquidações de R$ 3.000,00 do mesmo fornecedor PF no mês.
"""

from __future__ import annotations

import json

import pytest

from erario.core.erros import OperacaoRecusada
from erario.execucao.relatorios import execucao_despesa, execucao_receita
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl, partidas_gravadas, recusa, registrar

DOT = "0201.12.361.0001.2001.33903600"
DB = "001-1234-5-67890-1"
PF = "52998224725"
INSS = "29979036000140"  # credor da retenção do INSS
PREFEITURA = "11222333000181"

BANCO = {
    "cadastro": "conta_bancaria", "entidade": "prefeitura", "codigo": DB, "tipo": "movimento",
    "fonte": "1500", "conta_contabil": "1.1.1.1.1.19", "banco": "001", "agencia": "1234",
    "agencia_dv": "5", "conta": "67890", "conta_dv": "1",
}  # fmt: skip
CAIXA = {
    "cadastro": "conta_bancaria", "entidade": "prefeitura", "codigo": "1-1", "tipo": "caixa",
    "fonte": "1500", "conta_contabil": "1.1.1.1.1.01",
}  # fmt: skip
CREDOR = {"cadastro": "credor", "documento": PF, "nome": "Maria da Silva"}

RETENCOES = [
    {"cadastro": "desconto", "codigo": 451, "descricao": "INSS SERVIÇOS", "tipo": "inss",
     "tipo_receita": "extraorcamentaria", "receita": "2.1.8.8.1.01.03", "fonte": "1500",
     "fornecedor": INSS, "tipo_fornecedor": "PJ", "controle_geracao": "liquidacao",
     "controle_apropriacao": "liquidacao"},
    {"cadastro": "desconto", "codigo": 100, "descricao": "IR PF", "tipo": "irrf_pf",
     "tipo_receita": "orcamentaria", "receita": "11130311", "fonte": "1500",
     "fornecedor": PREFEITURA, "tipo_fornecedor": "PJ", "controle_geracao": "liquidacao",
     "controle_apropriacao": "pagamento", "conta_vpa": "4.1.1.2.1.03.01"},
    {"cadastro": "servico", "codigo": 40, "descricao": "Demonstração",
     "descricao_reduzida": "Demo"},
    {"cadastro": "servico_desconto", "servico": 40, "desconto": 451, "percentual": "11.00"},
    {"cadastro": "servico_desconto", "servico": 40, "desconto": 100, "percentual": "0.00"},
    *(
        {"cadastro": "faixa_irrf", "exercicio": 2026, "codigo": n, "descricao": f"FAIXA 0{n}",
         "limite": limite, "aliquota": aliquota, "deducao": deducao}
        for n, limite, aliquota, deducao in (
            (1, "1903.98", "0.00", "0.00"),
            (2, "2826.65", "7.50", "142.80"),
            (3, "3751.05", "15.00", "354.80"),
            (4, "4664.68", "22.50", "636.13"),
            (5, "99999999999999.00", "27.50", "869.36"),
        )
    ),
    {"cadastro": "teto_inss", "data_inicial": "2026-01-01", "valor": "5839.45"},
    # O exemplo do manual (tabela de 2019) em 2026: sem o desconto simplificado e a
    # redução da Lei 15.270/2025, que a lei de 2026 ligaria (docs/retencoes.md).
    {"cadastro": "parametros", "unidade_gestora": "prefeitura", "exercicio": 2026,
     "rotina_tipo_servico": "liquidacao", "irrf_desconto_simplificado": False,
     "irrf_reducao_lei_15270": False},
]  # fmt: skip


LOA = jsonl(
    {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "empenho", "id": "E1", "data": "2026-03-02", "dotacao": DOT, "fonte": "1500",
     "credor": PF, "valor": "10000.00"},
)  # fmt: skip


def _liquidacao(id_: str, dia: str, **extra: object) -> dict[str, object]:
    return {
        "tipo": "liquidacao", "id": id_, "data": f"2026-03-{dia}", "empenho": "E1",
        "valor": "3000.00", "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01",
        "documento": f"RPA {id_}", "servico": 40, "conta_bancaria": DB, **extra,
    }  # fmt: skip


def _partidas(repo: Repositorio, numero: str) -> list[tuple[str, str, int]]:
    return [p[:3] for p in partidas_gravadas(repo, numero)]  # sem a conta corrente


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    repo_pcasp.registrar_cadastros([json.dumps(c) for c in (CREDOR, BANCO, CAIXA)])
    assert repo_pcasp.registrar_retencoes([json.dumps(r) for r in RETENCOES]) == 12
    registrar(repo_pcasp, LOA)
    return repo_pcasp


def test_exemplo_do_manual_apropriacao_na_liquidacao(repo: Repositorio) -> None:
    registrar(repo, jsonl(_liquidacao("L1", "10"), _liquidacao("L2", "20")))
    controle = repo.controle()
    # L1: INSS 11% de 3.000,00 = 330,00 (apropriado); IR (3.000,00 − 330,00) × 7,5% −
    # 142,80 = 57,45 (fica na liquidação, retido no pagamento).
    l1 = controle.eventos[("prefeitura", "L1")]
    assert (l1.valor, l1.descontos, l1.apropriacao) == (  # type: ignore[union-attr]
        267_000,
        ((100, 267_000, 5_745),),
        "apropriado",
    )
    # L2: INSS 642,34 (teto) − 330,00 = 312,34; IR 604,00 − 57,45 = 546,55.
    l2 = controle.eventos[("prefeitura", "L2")]
    assert (l2.valor, l2.descontos) == (  # type: ignore[union-attr]
        300_000 - 31_234,
        ((100, 300_000 - 31_234, 54_655),),
    )
    gerada = controle.eventos[("prefeitura", "L2-L451")]
    assert (gerada.valor, gerada.apropriacao, gerada.gerado_por) == (  # type: ignore[union-attr]
        31_234,
        "gerado",
        "L2",
    )
    # Ingresso do INSS e pagamento da liquidação gerada pelo caixa 1-1, na data da
    # liquidação: entrada e saída imediatas (o caixa termina zerado).
    assert _partidas(repo, "EVL1-A451") == [
        ("1.1.1.1.1.01.00", "D", 33_000),
        ("2.1.8.8.1.01.03", "C", 33_000),
        ("7.2.1.1.3.00.00", "D", 33_000),
        ("8.2.1.1.3.02.00", "C", 33_000),
    ]
    assert _partidas(repo, "EVL1-P451")[2:4] == [
        ("2.1.3.1.1.01.01", "D", 33_000),
        ("1.1.1.1.1.01.00", "C", 33_000),
    ]
    caixa = repo.saldos_execucao("prefeitura", ("1.1.1.1.1.01.",))
    assert sum(caixa.values()) == 0
    (despesa,) = execucao_despesa(controle, "prefeitura", 2026)
    assert (despesa.liquidado, despesa.pago) == (600_000, 33_000 + 31_234)
    assert repo.verificar() == []


def test_pagamento_retem_os_descontos_nao_apropriados(repo: Repositorio) -> None:
    registrar(repo, jsonl(_liquidacao("L1", "10")))
    registrar(
        repo,
        jsonl(
            {"tipo": "pagamento", "id": "P1", "data": "2026-03-25", "liquidacao": "L1",
             "valor": "2670.00", "conta_bancaria": DB}
        ),
    )  # fmt: skip
    # O banco paga o líquido (2.670,00 − 57,45); o IR entra como receita própria e sai
    # pelo caixa no mesmo dia.
    assert _partidas(repo, "EVP1")[2:4] == [
        ("2.1.3.1.1.01.01", "D", 261_255),
        ("1.1.1.1.1.19.00", "C", 261_255),
    ]
    assert _partidas(repo, "EVP1-A100")[2:4] == [
        ("1.1.1.1.1.01.00", "D", 5_745),
        ("4.1.1.2.1.03.01", "C", 5_745),
    ]
    (irrf,) = execucao_receita(repo.controle(), "prefeitura", 2026)
    assert (irrf.natureza, irrf.arrecadado) == ("11130311", 5_745)
    assert sum(repo.saldos_execucao("prefeitura", ("1.1.1.1.1.01.",)).values()) == 0
    (despesa,) = execucao_despesa(repo.controle(), "prefeitura", 2026)
    assert (despesa.liquidado, despesa.pago, despesa.a_pagar) == (300_000, 300_000, 0)
    assert repo.verificar() == []


def test_estorno_da_liquidacao_apropriada_desfaz_tudo(repo: Repositorio) -> None:
    antes = repo.saldos_execucao("prefeitura", ("1.", "2.", "3.", "4.", "6.", "7.", "8."))
    registrar(repo, jsonl(_liquidacao("L1", "10")))
    registrar(repo, jsonl({"tipo": "estorno", "id": "X1", "data": "2026-03-11", "evento": "L1"}))
    depois = repo.saldos_execucao("prefeitura", ("1.", "2.", "3.", "4.", "6.", "7.", "8."))
    assert {k: v for k, v in depois.items() if v} == {k: v for k, v in antes.items() if v}
    controle = repo.controle()
    estornados = {c for e, c in controle.estornados if e == "prefeitura"}
    assert estornados == {"L1", "L1-L451", "L1-A451", "L1-P451"}
    # De novo, com o mesmo cálculo (o estornado não conta como retido no mês).
    registrar(repo, jsonl(_liquidacao("L3", "12")))
    assert repo.controle().eventos[("prefeitura", "L3")].valor == 267_000  # type: ignore[union-attr]
    assert repo.verificar() == []


def test_travas_da_apropriacao(repo_pcasp: Repositorio) -> None:
    repo_pcasp.registrar_cadastros([json.dumps(c) for c in (CREDOR, BANCO)])  # sem caixa
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in RETENCOES])
    registrar(repo_pcasp, LOA)
    sem_banco = _liquidacao("L1", "10", conta_bancaria="")
    assert recusa(repo_pcasp, jsonl(sem_banco)) == [
        "RET-APROPRIACAO: CET02600 - Este pagamento não pode ser realizado sem a informacão "
        "do banco.",
        "RET-APROPRIACAO: O banco caixa / tesouraria não existe",
    ]
    assert recusa(
        repo_pcasp,
        jsonl(_liquidacao("L2", "10", servico=41), _liquidacao("L3-MUITO-LONGO", "10")),
    ) == [
        "RET-SERVICO: serviço 41 não cadastrado",
        "RET-APROPRIACAO: O banco caixa / tesouraria não existe",
        "RET-ID: id L3-MUITO-LONGO: os eventos gerados levam o id e '-L451' e passariam de "
        "14 caracteres; use um id de até 9",
    ]
    assert repo_pcasp.controle().liquidacoes == {}


def test_fornecedor_pj_nao_gera_ir_pf(repo: Repositorio) -> None:
    pj = "98765432000198"
    resumo = registrar(
        repo,
        jsonl(
            {"tipo": "empenho", "id": "E2", "data": "2026-03-02", "dotacao": DOT,
             "fonte": "1500", "credor": pj, "valor": "5000.00"},
            _liquidacao("L9", "10", empenho="E2"),
        ),
    )  # fmt: skip
    assert [a.regra for a in resumo.avisos] == ["RET-IRRF-FORNECEDOR"]
    l9 = repo.controle().eventos[("prefeitura", "L9")]
    assert (l9.valor, l9.descontos) == (267_000, ())  # type: ignore[union-attr]


def test_cadastro_de_retencoes_recusado_e_parametros_travados(repo: Repositorio) -> None:
    duplicado = {**RETENCOES[0], "codigo": 452}
    with pytest.raises(OperacaoRecusada) as exc:
        repo.registrar_retencoes(
            [json.dumps(duplicado), json.dumps({"cadastro": "servico", "codigo": "x"}), "{"]
        )
    mensagens = [f"{e.regra}: {e.mensagem}" for e in exc.value.erros]
    assert "RET-DESCONTO-DUPLICADO: Rubrica da receita e vínculo já estão presentes em outro " \
        "código de desconto com o mesmo fornecedor." in mensagens  # fmt: skip
    assert any(m.startswith("RET-CADASTRO: codigo: deve ser um número inteiro") for m in mensagens)
    assert any(m.startswith("RET-CADASTRO: JSON inválido") for m in mensagens)
    # a execução de 2026 já começou (LOA registrada): parâmetros travados
    with pytest.raises(OperacaoRecusada) as exc:
        repo.registrar_retencoes(
            [json.dumps({**RETENCOES[-1], "rotina_tipo_servico": "pagamento"})]
        )
    assert [e.mensagem for e in exc.value.erros] == [
        "O parâmetro 'Rotina Informação Tipo de Serviço' só pode ser alterado antes do início "
        "da execução orçamentária do exercício 2026."
    ]
    assert len(repo.cadastro_retencoes().descontos) == 2


def test_relatorios_das_retencoes(repo: Repositorio, tmp_path: object) -> None:
    from erario.retencoes.relatorios import (
        LinhaGuia,
        guias_a_recolher,
        liquidacoes_com_situacao,
        retencoes_por_fornecedor,
    )

    registrar(repo, jsonl(_liquidacao("L1", "10"), _liquidacao("L2", "20")))
    registrar(
        repo,
        jsonl(
            {"tipo": "pagamento", "id": "P1", "data": "2026-03-25", "liquidacao": "L1",
             "valor": "2670.00", "conta_bancaria": DB},
            {"tipo": "pagamento_extraorcamentario", "id": "GPS1", "data": "2026-04-15",
             "fonte": "1500", "credor": INSS, "valor": "500.00",
             "conta_passivo": "2.1.8.8.1.01.03", "conta_bancaria": DB},
        ),
    )  # fmt: skip
    controle = repo.controle()
    # INSS: bases 3.000,00 e 5.839,45 − 3.000,00 = 2.839,45 (teto); IR de L2 ainda a reter.
    assert [
        (ln.desconto, ln.liquidacao, ln.base, ln.valor, ln.situacao)
        for ln in retencoes_por_fornecedor(controle, "prefeitura", 2026, 3)
    ] == [
        (100, "L1", 261_255 + 5_745, 5_745, "retido"),
        (100, "L2", 268_766, 54_655, "a reter"),
        (451, "L1", 300_000, 33_000, "retido"),
        (451, "L2", 283_945, 31_234, "retido"),
    ]
    # INSS retido 642,34 (330,00 + 312,34), recolhido 500,00; IR: receita própria
    # (arrecadada na retenção, sem guia).
    assert guias_a_recolher(controle, repo.cadastro_retencoes(), "prefeitura") == [
        LinhaGuia(100, "IR PF", "IRRF Pessoa Física", "receita própria (arrecadada)", "",
                  "2026-03", "", 5_745, 5_745, 0, 0),
        LinhaGuia(451, "INSS SERVIÇOS", "INSS", "guia a pagar", INSS, "2026-03", "2026-04-20",
                  64_234, 0, 50_000, 14_234),
    ]  # fmt: skip
    assert [
        (ln.liquidacao, ln.bruto, ln.desconto, ln.retencao, ln.situacao, ln.liquido)
        for ln in liquidacoes_com_situacao(controle, "prefeitura", 2026, repo.cadastro_retencoes())
    ] == [
        ("L1", 300_000, "100 – IR PF", 5_745, "retido no pagamento P1", 261_255),
        ("L1", None, "451 – INSS SERVIÇOS", 33_000, "apropriado na liquidação L1-L451", None),
        ("L2", 300_000, "100 – IR PF", 54_655, "a reter no pagamento", 214_111),
        ("L2", None, "451 – INSS SERVIÇOS", 31_234, "apropriado na liquidação L2-L451", None),
    ]
    assert repo.verificar() == []


def _repo_com(repo_pcasp: Repositorio, **parametros: object) -> Repositorio:
    """Cadastros do manual com o desconto 451 pronto para gerar o empenho extra e
    os parâmetros dados (antes de qualquer evento do exercício)."""
    repo_pcasp.registrar_cadastros([json.dumps(c) for c in (CREDOR, BANCO, CAIXA)])
    retencoes = [
        {**r, "dotacao": "9001", "historico": "INSS retido de serviços"}
        if r.get("codigo") == 451
        else {**r, **parametros}
        if r["cadastro"] == "parametros"
        else r
        for r in RETENCOES
    ]
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in retencoes])
    registrar(repo_pcasp, LOA)
    return repo_pcasp


def test_geracao_do_empenho_e_da_liquidacao_extraorcamentarios(repo_pcasp: Repositorio) -> None:
    repo = _repo_com(repo_pcasp, gerar_movimentos_extra=True)
    resumo = registrar(repo, jsonl(_liquidacao("L1", "10")))
    # L1, L1-L451, L1-A451, L1-P451, L1-E451, L1-X451; os dois últimos sem lançamento.
    assert (resumo.eventos, resumo.lancamentos) == (6, 4)
    controle = repo.controle()
    empenho = controle.eventos[("prefeitura", "L1-E451")]
    assert (empenho.valor, empenho.historico, empenho.receitas) == (  # type: ignore[union-attr]
        33_000,
        "INSS retido de serviços",
        ("L1-A451",),
    )
    gps = {
        "tipo": "pagamento_extraorcamentario", "id": "GPS1", "data": "2026-04-15",
        "fonte": "1500", "credor": INSS, "conta_passivo": "2.1.8.8.1.01.03",
        "conta_bancaria": DB, "liquidacao": "L1-X451",
    }  # fmt: skip
    assert recusa(repo, jsonl({**gps, "valor": "330.01"})) == [
        "EXEC-EXTRA-SALDO: pagamento extraorçamentário de 330,01 acima do saldo de "
        f"{INSS} em 2.1.8.8.1.01.03 (330,00)",
        "EXEC-EXTRA-SALDO: pagamento extraorçamentário de 330,01 acima do saldo a pagar da "
        "liquidação extraorçamentária L1-X451 (330,00)",
    ]
    registrar(repo, jsonl({**gps, "valor": "330.00"}))
    assert repo.controle().empenhos_extra[("prefeitura", "L1-E451")].pago == 33_000
    # Pago o INSS, a liquidação (e o que ela gerou) não se estorna mais.
    erros = recusa(
        repo, jsonl({"tipo": "estorno", "id": "X1", "data": "2026-04-16", "evento": "L1"})
    )
    assert erros == [
        "EXEC-ESTORNO: evento L1-X451 não pode ser estornado: a liquidação "
        "extraorçamentária tem o pagamento GPS1: estorne-o antes",
        "EXEC-ESTORNO: evento L1-E451 não pode ser estornado: o empenho extraorçamentário "
        "tem liquidação: estorne-a antes",
        "EXEC-ESTORNO: evento L1-A451 não pode ser estornado: o valor já foi devolvido, "
        "recolhido ou compensado",
    ]
    assert repo.verificar() == []


def test_ced63901_e_desconto_fora_do_servico(repo_pcasp: Repositorio) -> None:
    repo_pcasp.registrar_cadastros([json.dumps(c) for c in (CREDOR, BANCO, CAIXA)])
    retencoes = [
        {**r, "gerar_movimentos_extra": True} if r["cadastro"] == "parametros" else r
        for r in RETENCOES
    ]
    outro = {**RETENCOES[0], "codigo": 452, "descricao": "INSS OUTROS", "fonte": "1600"}
    # CED63901 no cadastro (seção 1.6): 451 é do serviço 40, apropriado na liquidação,
    # de receita extraorçamentária e sem dotação nem histórico. 452 não é de serviço.
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_retencoes([json.dumps(r) for r in (*retencoes, outro)])
    assert [str(e) for e in exc.value.erros] == [
        "arquivo, linha 1, campo dotacao: [RET-DESCONTO-EXTRA] CED63901 - Verifique os "
        "parâmetros informados no cadastro do desconto [ 451 ]. Não foi possível gerar "
        "empenho e liquidação extraorçamentários."
    ]
    com_dotacao = {**RETENCOES[0], "dotacao": "9001", "historico": "INSS retido de serviços"}
    repo_pcasp.registrar_retencoes([json.dumps(r) for r in (com_dotacao, *retencoes[1:], outro)])
    registrar(repo_pcasp, LOA)
    # 452 não é do serviço 40: aviso do manual e a liquidação não é apropriada.
    manual = _liquidacao("L2", "10", descontos=[{"desconto": 452, "valor": "100.00"}])
    resumo = registrar(repo_pcasp, jsonl(manual))
    assert [a.mensagem for a in resumo.avisos] == [
        "O desconto 452 não está associado ao serviço informado. A liquidação não será "
        "apropriada e os movimentos extraorçamentários não serão gerados automaticamente."
    ]
    l2 = repo_pcasp.controle().eventos[("prefeitura", "L2")]
    assert (l2.valor, l2.apropriacao, l2.descontos) == (300_000, "", ((452, 0, 10_000),))  # type: ignore[union-attr]


def test_controle_despesa_receita_extra(repo_pcasp: Repositorio) -> None:
    repo = _repo_com(repo_pcasp, controle_extra=True)
    banco = {"fonte": "1500", "conta_bancaria": DB}
    caucao = {"credor": PF, "conta_passivo": "2.1.8.8.1.01.03", **banco}
    credito = {"credor": PF, "conta_passivo": "1.1.3.8.1.99.00", **banco}
    empenho = {"tipo": "empenho_extraorcamentario", "data": "2026-03-05", "credor": PF, **banco}
    registrar(
        repo,
        jsonl({"tipo": "ingresso_extraorcamentario", "id": "I1", "data": "2026-03-01",
                  "valor": "500.00", **caucao}),
    )  # fmt: skip
    assert recusa(
        repo,
        jsonl(
            {**empenho, "id": "EX1", "valor": "500.00", "conta": "2.1.8.8.1.01.03"},
            {**empenho, "id": "EX2", "valor": "400.00", "conta": "2.1.8.8.1.01.03",
             "receitas": ["I1"]},
            {"tipo": "ingresso_extraorcamentario", "id": "I2", "data": "2026-03-09",
             "valor": "80.00", **credito},
        ),
    ) == [
        "RET-CONTROLE-EXTRA: É necessário associar pelo menos uma receita.",
        "RET-CONTROLE-EXTRA: a soma dos associados (500,00) deve ser o valor do evento (400,00)",
        "RET-CONTROLE-EXTRA: Empenho é obrigatório.",
    ]  # fmt: skip
    # 1.1.3.8.1 (p. ex. salário-família a reembolsar): primeiro a despesa, depois a
    # receita que associa o empenho e compensa o crédito.
    registrar(
        repo,
        jsonl(
            {**empenho, "id": "EX1", "valor": "500.00", "conta": "2.1.8.8.1.01.03",
             "receitas": ["I1"]},
            {**empenho, "id": "EX3", "valor": "80.00", "conta": "1.1.3.8.1.99.00"},
            {"tipo": "liquidacao_extraorcamentaria", "id": "LX3", "data": "2026-03-06",
             "empenho": "EX3", "valor": "80.00"},
            {"tipo": "pagamento_extraorcamentario", "id": "PX3", "data": "2026-03-07",
             "valor": "80.00", "liquidacao": "LX3", **credito},
            {"tipo": "ingresso_extraorcamentario", "id": "I3", "data": "2026-03-20",
             "valor": "80.00", "empenhos": ["EX3"], **credito},
        ),
    )  # fmt: skip
    saldos = repo.saldos_execucao("prefeitura", ("1.1.3.8.",))
    assert sum(saldos.values()) == 0  # o crédito nasceu no pagamento e foi compensado
    assert repo.verificar() == []


def test_estorno_com_movimentos_extraorcamentarios_gerados(repo_pcasp: Repositorio) -> None:
    from sqlalchemy import select

    from erario.storage import esquema as t

    repo = _repo_com(repo_pcasp, gerar_movimentos_extra=True)
    registrar(repo, jsonl(_liquidacao("L1", "10")))
    with repo.engine.connect() as con:
        sem = con.execute(
            select(t.evento.c.codigo).where(t.evento.c.lancamento_id.is_(None))
        ).scalars()
        assert sorted(sem) == ["L1-E451", "L1-X451"]  # documentos sem lançamento
    registrar(repo, jsonl({"tipo": "estorno", "id": "X1", "data": "2026-03-11", "evento": "L1"}))
    controle = repo.controle()
    assert {c for _, c in controle.estornados} == {
        "L1", "L1-L451", "L1-A451", "L1-P451", "L1-E451", "L1-X451",
    }  # fmt: skip
    assert repo.verificar() == []


def test_estorno_do_empenho_extra_devolve_o_saldo_a_empenhar(repo_pcasp: Repositorio) -> None:
    """Caução de 500,00 empenhada e o empenho estornado: os 500,00 voltam a estar
    disponíveis para um novo empenho extraorçamentário (e não 0,00)."""
    repo = _repo_com(repo_pcasp)
    caucao = {
        "credor": PF,
        "conta_passivo": "2.1.8.8.1.01.03",
        "fonte": "1500",
        "conta_bancaria": DB,
    }
    empenho = {
        "tipo": "empenho_extraorcamentario",
        "credor": PF,
        "fonte": "1500",
        "conta_bancaria": DB,
        "valor": "500.00",
        "conta": "2.1.8.8.1.01.03",
    }
    registrar(
        repo,
        jsonl(
            {"tipo": "ingresso_extraorcamentario", "id": "I1", "data": "2026-03-01",
             "valor": "500.00", **caucao},
            {**empenho, "id": "EX1", "data": "2026-03-05"},
            {"tipo": "estorno", "id": "X1", "data": "2026-03-06", "evento": "EX1"},
        ),
    )  # fmt: skip
    assert recusa(repo, jsonl({**empenho, "id": "EX2", "data": "2026-03-07",
                                   "valor": "500.01"})) == [
        "EXEC-EXTRA-SALDO: empenho extraorçamentário de 500,01 acima do saldo ainda não "
        f"empenhado de {PF} em 2.1.8.8.1.01.03 (500,00)"
    ]  # fmt: skip
    resumo = registrar(repo, jsonl({**empenho, "id": "EX2", "data": "2026-03-07"}))
    assert resumo.eventos == 1
