"""Restos a pagar e encerramento do exercício, gravados (SQLite e PostgreSQL).

Um exercício (2026) com um empenho parcialmente liquidado e pago, encerrado;
no seguinte (2027), a execução dos restos a pagar e um novo encerramento.
Todos os valores conferidos à mão nos comentários.
"""

from __future__ import annotations

import pytest

from erario.execucao.relatorios import LinhaRestos, execucao_despesa, restos_a_pagar
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl, partidas_gravadas, recusa, registrar

DOT = "0201.12.361.0001.2001.33903900"
DB = "001-1234-5-67890-1"
CREDOR = "11222333000181"
CC_RP = f"FR=1500|AI=2026|DO={DOT}"
CC_RP27 = f"FR=2500|AI=2026|DO={DOT}"  # na abertura de 2027: fonte de exercícios anteriores
CC_DO = f"FR=1500|DO={DOT}"
BANCO = {"conta_banco": "1.1.1.1.1.19.00", "domicilio": DB}
VPD = {"conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01"}


EXERCICIO_2026 = jsonl(
    {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "previsao_receita", "id": "R1", "data": "2026-01-02",
     "natureza_receita": "11125001", "fonte": "1500", "valor": "200000.00"},
    {"tipo": "arrecadacao", "id": "A1", "data": "2026-03-05", "natureza_receita": "11125001",
     "fonte": "1500", "valor": "50000.00", "conta_vpa": "4.1.1.2.1.02.00", **BANCO},
    {"tipo": "empenho", "id": "E1", "data": "2026-03-10", "dotacao": DOT, "fonte": "1500",
     "credor": CREDOR, "valor": "30000.00"},
    {"tipo": "liquidacao", "id": "L1", "data": "2026-03-20", "empenho": "E1",
     "valor": "10000.00", "documento": "NF 1", **VPD},
    {"tipo": "pagamento", "id": "P1", "data": "2026-03-25", "liquidacao": "L1",
     "valor": "4000.00", **BANCO},
    {"tipo": "empenho", "id": "E2", "data": "2026-04-10", "dotacao": DOT, "fonte": "1500",
     "credor": CREDOR, "valor": "5000.00"},
    {"tipo": "liquidacao", "id": "L2", "data": "2026-04-20", "empenho": "E2",
     "valor": "5000.00", "documento": "NF 2", **VPD},
    {"tipo": "pagamento", "id": "P2", "data": "2026-04-25", "liquidacao": "L2",
     "valor": "5000.00", **BANCO},
)  # fmt: skip
ENCERRA_2026 = jsonl({"tipo": "encerramento_exercicio", "id": "ENC2026", "data": "2026-12-31"})

# 2027: liquida 8.000 do RPNP, paga o RPP (6.000) e 5.000 do RPNP liquidado,
# cancela 2.000 do a liquidar e 1.000 do liquidado.
RESTOS_2027 = jsonl(
    {"tipo": "liquidacao", "id": "L3", "data": "2027-02-10", "empenho": "E1",
     "valor": "8000.00", "documento": "NF 3", **VPD},
    {"tipo": "pagamento", "id": "P3", "data": "2027-02-15", "liquidacao": "L1",
     "valor": "6000.00", **BANCO},
    {"tipo": "pagamento", "id": "P4", "data": "2027-02-20", "liquidacao": "L3",
     "valor": "5000.00", **BANCO},
    {"tipo": "cancelamento_restos_a_pagar", "id": "C1", "data": "2027-06-30",
     "empenho": "E1", "valor": "2000.00"},
    {"tipo": "cancelamento_restos_a_pagar", "id": "C2", "data": "2027-06-30",
     "empenho": "E1", "liquidacao": "L3", "valor": "1000.00"},
)  # fmt: skip


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    repo_pcasp.abrir_exercicio("prefeitura", 2027, usuario="teste")
    registrar(repo_pcasp, EXERCICIO_2026)
    return repo_pcasp


def test_encerramento_inscreve_restos_a_pagar_e_zera_o_orcamento(repo: Repositorio) -> None:
    registrar(repo, ENCERRA_2026)
    # E1: 30.000 empenhados, 10.000 liquidados, 4.000 pagos → RPNP 20.000 e RPP 6.000.
    assert partidas_gravadas(repo, "EVENC2026") == [
        ("6.2.2.1.3.01.00", "D", 2_000_000, CC_DO),
        ("6.2.2.1.3.05.00", "C", 2_000_000, CC_DO),
        ("5.3.1.7.0.00.00", "D", 2_000_000, CC_RP),
        ("6.3.1.7.1.00.00", "C", 2_000_000, CC_RP),
        ("6.2.2.1.3.03.00", "D", 600_000, CC_DO),
        ("6.2.2.1.3.07.00", "C", 600_000, CC_DO),
        ("5.3.2.7.0.00.00", "D", 600_000, CC_RP),
        ("6.3.2.7.0.00.00", "C", 600_000, CC_RP),
    ]
    # Receita: previsto 200.000 = a realizar 150.000 + realizado 50.000. Despesa:
    # fixado 100.000 = disponível 65.000 + pago 9.000 + inscrito 20.000 + 6.000.
    cc_nr = "FR=1500|NR=11125001"
    assert sorted(partidas_gravadas(repo, "EVENC2026.2")) == sorted(
        [
            ("5.2.1.1.1.00.00", "C", 20_000_000, cc_nr),
            ("5.2.2.1.1.01.00", "C", 10_000_000, CC_DO),
            ("6.2.1.1.0.00.00", "D", 15_000_000, cc_nr),
            ("6.2.1.2.0.00.00", "D", 5_000_000, cc_nr),
            ("6.2.2.1.1.00.00", "D", 6_500_000, CC_DO),
            ("6.2.2.1.3.04.00", "D", 900_000, CC_DO),
            ("6.2.2.1.3.05.00", "D", 2_000_000, CC_DO),
            ("6.2.2.1.3.07.00", "D", 600_000, CC_DO),
        ]
    )
    # DDR utilizada (pagamentos: 9.000) baixa o controle dos recursos ordinários.
    assert partidas_gravadas(repo, "EVENC2026.3") == [
        ("8.2.1.1.4.01.00", "D", 900_000, "FR=1500"),
        ("7.2.1.1.1.00.00", "C", 900_000, "FR=1500"),
    ]
    # VPA 50.000 − VPD 15.000 = superávit de 35.000.
    assert partidas_gravadas(repo, "EVENC2026.4") == [
        ("3.3.2.3.1.99.00", "C", 1_500_000, ""),
        ("4.1.1.2.1.02.00", "D", 5_000_000, ""),
        ("2.3.7.1.1.01.00", "C", 3_500_000, ""),
    ]
    abertura = repo.lancamento("prefeitura", "EVENC2026.5")
    assert (abertura.data.isoformat(), abertura.tipo.value) == ("2027-01-01", "abertura")
    # Abertura de 2027: todo saldo que atravessa o ano, com a fonte 1500 passada a
    # 2500 (exercícios anteriores). Banco 50.000 − 9.000 = 41.000; fornecedores
    # 15.000 − 9.000 = 6.000; resultado 35.000 em exercícios anteriores; RP 20.000
    # e 6.000 inscritos; DDR: controle 41.000 = disponível (50.000 − 35.000
    # empenhados) 15.000 + comprometida por empenho 20.000 + por liquidação 6.000.
    assert partidas_gravadas(repo, "EVENC2026.5") == [
        ("1.1.1.1.1.19.00", "D", 4_100_000, f"FR=2500|DB={DB}"),
        ("2.1.3.1.1.01.01", "C", 600_000, f"FP=F|FR=2500|CR={CREDOR}"),
        ("2.3.7.1.1.02.00", "C", 3_500_000, ""),
        ("5.3.1.1.0.00.00", "D", 2_000_000, CC_RP27),
        ("5.3.2.1.0.00.00", "D", 600_000, CC_RP27),
        ("6.3.1.1.0.00.00", "C", 2_000_000, CC_RP27),
        ("6.3.2.1.0.00.00", "C", 600_000, CC_RP27),
        ("7.2.1.1.1.00.00", "D", 4_100_000, "FR=2500"),
        ("8.2.1.1.1.02.00", "C", 1_500_000, "FR=2500"),
        ("8.2.1.1.2.01.00", "C", 2_000_000, "FR=2500"),
        ("8.2.1.1.3.01.00", "C", 600_000, "FR=2500"),
    ]
    # Nada mais nas contas 5.2/6.2; o exercício fica fechado e a execução de 2026
    # continua consultável.
    saldos = repo.saldos_execucao("prefeitura", ("5.2.", "6.2."))
    assert {k: v for k, v in saldos.items() if v} == {}
    assert {c.situacao.value for c in repo.competencias("prefeitura", 2026)} == {"fechada"}
    (linha,) = execucao_despesa(repo.controle(), "prefeitura", 2026)
    assert (linha.empenhado, linha.liquidado, linha.pago, linha.saldo) == (
        3_500_000,
        1_500_000,
        900_000,
        6_500_000,
    )
    assert repo.verificar() == []


def test_execucao_dos_restos_a_pagar_no_exercicio_seguinte(repo: Repositorio) -> None:
    registrar(repo, ENCERRA_2026)
    registrar(repo, RESTOS_2027)
    # Em 2027 os restos a pagar executam-se na fonte 2500 (exercícios anteriores),
    # a da abertura; o cancelamento devolve a DDR a 8.2.1.1.1.02.
    assert partidas_gravadas(repo, "EVL3")[:2] == [
        ("6.3.1.1.0.00.00", "D", 800_000, CC_RP27),
        ("6.3.1.3.0.00.00", "C", 800_000, CC_RP27),
    ]
    assert partidas_gravadas(repo, "EVP3")[:2] == [
        ("6.3.2.1.0.00.00", "D", 600_000, CC_RP27),
        ("6.3.2.2.0.00.00", "C", 600_000, CC_RP27),
    ]
    assert partidas_gravadas(repo, "EVP4")[:2] == [
        ("6.3.1.3.0.00.00", "D", 500_000, CC_RP27),
        ("6.3.1.4.0.00.00", "C", 500_000, CC_RP27),
    ]
    assert partidas_gravadas(repo, "EVC1") == [
        ("6.3.1.1.0.00.00", "D", 200_000, CC_RP27),
        ("6.3.1.9.9.00.00", "C", 200_000, CC_RP27),
        ("8.2.1.1.2.01.00", "D", 200_000, "FR=2500"),
        ("8.2.1.1.1.02.00", "C", 200_000, "FR=2500"),
    ]
    assert partidas_gravadas(repo, "EVC2") == [
        ("6.3.1.3.0.00.00", "D", 100_000, CC_RP27),
        ("6.3.1.9.9.00.00", "C", 100_000, CC_RP27),
        ("2.1.3.1.1.01.01", "D", 100_000, f"FP=F|FR=2500|CR={CREDOR}"),
        ("4.6.4.0.0.00.00", "C", 100_000, ""),
        ("8.2.1.1.3.01.00", "D", 100_000, "FR=2500"),
        ("8.2.1.1.1.02.00", "C", 100_000, "FR=2500"),
    ]
    # Inscritos 20.000 (não processados) e 6.000 (processados); liquidados 8.000;
    # pagos 5.000 e 6.000; cancelados 3.000; restam 10.000 a liquidar e 2.000 a pagar.
    assert restos_a_pagar(repo.controle(), "prefeitura") == [
        LinhaRestos(
            "E1", 2026, DOT, "1500", CREDOR,
            2_000_000, 600_000, 800_000, 500_000, 600_000, 300_000, 0, 1_000_000, 200_000,
            1_200_000,
        )
    ]  # fmt: skip
    assert repo.verificar() == []


def test_encerramento_seguinte_baixa_os_restos_executados(repo: Repositorio) -> None:
    repo.abrir_exercicio("prefeitura", 2028, usuario="teste")
    registrar(repo, ENCERRA_2026)
    registrar(repo, RESTOS_2027)
    registrar(
        repo, jsonl({"tipo": "encerramento_exercicio", "id": "ENC2027", "data": "2027-12-31"})
    )
    # Pagos 5.000 e cancelados 3.000 do não processado baixam 5.3.1.1; os 6.000
    # pagos do processado, 5.3.2.1. Não há orçamento de 2027 nem restos a inscrever:
    # o primeiro lançamento é o do passo 2 (EVENC2027.2), o número EVENC2027 fica sem uso.
    assert partidas_gravadas(repo, "EVENC2027.2") == [
        ("6.3.1.4.0.00.00", "D", 500_000, CC_RP27),
        ("5.3.1.1.0.00.00", "C", 500_000, CC_RP27),
        ("6.3.1.9.9.00.00", "D", 300_000, CC_RP27),
        ("5.3.1.1.0.00.00", "C", 300_000, CC_RP27),
        ("6.3.2.2.0.00.00", "D", 600_000, CC_RP27),
        ("5.3.2.1.0.00.00", "C", 600_000, CC_RP27),
    ]
    # O que resta inscrito (20.000 − 8.000 = 12.000) passa a exercícios anteriores
    # em 2028, com o que resta a executar dele: 10.000 a liquidar e 2.000 liquidados.
    abertura = partidas_gravadas(repo, "EVENC2027.5")
    assert ("5.3.1.2.0.00.00", "D", 1_200_000, CC_RP27) in abertura
    assert ("6.3.1.1.0.00.00", "C", 1_000_000, CC_RP27) in abertura
    assert ("6.3.1.3.0.00.00", "C", 200_000, CC_RP27) in abertura
    assert not [p for p in abertura if p[0].startswith(("5.3.1.1", "5.3.2", "6.3.2"))]
    assert repo.verificar() == []


def test_travas_dos_restos_a_pagar(repo: Repositorio) -> None:
    liquidar_2027 = jsonl(
        {"tipo": "liquidacao", "id": "L9", "data": "2027-02-10", "empenho": "E1",
         "valor": "100.00", "documento": "NF 9", **VPD},
    )  # fmt: skip
    assert recusa(repo, liquidar_2027) == [
        "EXEC-RP: empenho E1 é do exercício 2026 e não foi inscrito em restos a pagar: "
        "encerre o exercício 2026 antes"
    ]
    assert recusa(
        repo, jsonl({"tipo": "encerramento_exercicio", "id": "ENCX", "data": "2026-12-30"})
    ) == ["EXEC-ENCERRAMENTO: o encerramento do exercício é em 31/12"]
    registrar(repo, ENCERRA_2026)
    assert recusa(
        repo,
        jsonl(
            {"tipo": "anulacao_empenho", "id": "AN1", "data": "2027-03-01", "empenho": "E1",
             "valor": "100.00"},
            {"tipo": "cancelamento_restos_a_pagar", "id": "C9", "data": "2027-03-01",
             "empenho": "E1", "valor": "20000.01"},
            {"tipo": "cancelamento_restos_a_pagar", "id": "C8", "data": "2027-03-01",
             "empenho": "E2", "valor": "1.00"},
            {"tipo": "empenho", "id": "E9", "data": "2026-12-31", "dotacao": DOT,
             "fonte": "1500", "credor": CREDOR, "valor": "1.00"},
            {"tipo": "encerramento_exercicio", "id": "ENC2", "data": "2026-12-31"},
            {"tipo": "estorno", "id": "X1", "data": "2027-01-05", "evento": "ENC2026"},
        ),
    ) == [
        "EXEC-RP: empenho E1 está inscrito em restos a pagar: use o cancelamento de restos "
        "a pagar",
        "EXEC-RP-SALDO: cancelamento de 20.000,01 acima do saldo de RP não processado a "
        "liquidar (20.000,00)",
        "EXEC-RP: empenho E2 não está inscrito em restos a pagar",
        "EXEC-ENCERRAMENTO: o exercício 2026 da entidade está encerrado",
        "EXEC-ENCERRAMENTO: o exercício 2026 já foi encerrado",
        "EXEC-ESTORNO: evento ENC2026: o encerramento do exercício se desfaz por erario "
        "exercicio desfazer-encerramento prefeitura 2026, com motivo",
    ]  # fmt: skip


def test_encerramento_fora_de_ordem_e_sem_o_exercicio_seguinte(repo_pcasp: Repositorio) -> None:
    registrar(repo_pcasp, EXERCICIO_2026)
    # 2027 não aberto: a abertura não tem onde entrar.
    erros = recusa(repo_pcasp, ENCERRA_2026)
    assert len(erros) == 1 and erros[0].startswith("LANC-COMPETENCIA")
    assert recusa(
        repo_pcasp,
        jsonl({"tipo": "encerramento_exercicio", "id": "ENC2027", "data": "2027-12-31"}),
    ) == ["EXEC-ENCERRAMENTO: encerre antes o exercício 2026 da entidade"]
    # Nada mudou: 2026 segue aberto e sem encerramento.
    assert {c.situacao.value for c in repo_pcasp.competencias("prefeitura", 2026)} == {"aberta"}
    assert repo_pcasp.controle().encerrados == set()


def test_estorno_de_pagamento_de_restos_devolve_os_saldos(repo: Repositorio) -> None:
    registrar(repo, ENCERRA_2026)
    registrar(repo, RESTOS_2027[:2])
    antes = repo.saldos_execucao("prefeitura", ("6.3.", "8.2.", "1.1.1."))
    registrar(repo, RESTOS_2027[2:3])
    registrar(repo, jsonl({"tipo": "estorno", "id": "X4", "data": "2027-02-21", "evento": "P4"}))
    depois = repo.saldos_execucao("prefeitura", ("6.3.", "8.2.", "1.1.1."))
    assert {k: v for k, v in depois.items() if v} == {k: v for k, v in antes.items() if v}
    (linha,) = restos_a_pagar(repo.controle(), "prefeitura", 2026)
    assert (linha.pago_nao_processado, linha.a_pagar) == (0, 800_000)
    assert repo.verificar() == []
