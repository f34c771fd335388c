"""Empenho em liquidação (PCASP 6.2.2.1.3.02; MCASP Parte I, despesa — liquidação):
o evento ``em_liquidacao``, a liquidação que parte dele, a inscrição em restos a
pagar não processados em liquidação e a execução no exercício seguinte, gravados
(SQLite e PostgreSQL).

Cenário, conferido à mão nos comentários: empenho E1 de 10.000,00; 4.000,00 em
liquidação (EL1), dos quais 1.500,00 liquidados (L1); 2.000,00 liquidados do
jeito comum (L2); nada pago em 2026. Saldos do empenho em 31/12/2026:

- em liquidação: 4.000 − 1.500 = 2.500 (RP não processado em liquidação);
- a liquidar fora disso: 10.000 − 4.000 − 2.000 = 4.000 (RP não processado);
- liquidado a pagar: 1.500 + 2.000 = 3.500 (RP processado).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from erario.execucao.carga import dict_de_evento, evento_de_dict, iterar_eventos_jsonl
from erario.execucao.controle import ControleOrcamentario, SaldoEmLiquidacao
from erario.execucao.encerramento import encerrar_exercicio
from erario.execucao.eventos import EncerramentoExercicio, Liquidacao
from erario.execucao.motor import executar
from erario.execucao.relatorios import LinhaRestos, restos_a_pagar
from erario.execucao.roteiros import roteiros_padrao
from erario.razao.plano import plano_base
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import contagens, jsonl, partidas_gravadas, recusa, registrar

DOT = "0201.12.361.0001.2001.33903900"
DB = "001-1234-5-67890-1"
CREDOR = "11222333000181"
CC_DO = f"FR=1500|DO={DOT}"
CC_RP = f"FR=1500|AI=2026|DO={DOT}"
CC_RP27 = f"FR=2500|AI=2026|DO={DOT}"  # 2027: fonte de exercícios anteriores
CC_PASSIVO = f"FP=F|FR=1500|CR={CREDOR}"
CC_PASSIVO27 = f"FP=F|FR=2500|CR={CREDOR}"
BANCO = {"conta_banco": "1.1.1.1.1.19.00", "domicilio": DB}
VPD = {"conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01"}

EXERCICIO_2026 = jsonl(
    {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "arrecadacao", "id": "A1", "data": "2026-03-05", "natureza_receita": "11125001",
     "fonte": "1500", "valor": "50000.00", "conta_vpa": "4.1.1.2.1.02.00", **BANCO},
    {"tipo": "empenho", "id": "E1", "data": "2026-03-10", "dotacao": DOT, "fonte": "1500",
     "credor": CREDOR, "valor": "10000.00"},
    {"tipo": "em_liquidacao", "id": "EL1", "data": "2026-04-10", "empenho": "E1",
     "valor": "4000.00", "documento": "NF 10", **VPD},
    # da liquidação que parte de EL1 as contas são as dele (aqui omitidas)
    {"tipo": "liquidacao", "id": "L1", "data": "2026-05-10", "empenho": "E1",
     "em_liquidacao": "EL1", "valor": "1500.00", "documento": "NF 10"},
    {"tipo": "liquidacao", "id": "L2", "data": "2026-06-10", "empenho": "E1",
     "valor": "2000.00", "documento": "NF 11", **VPD},
)  # fmt: skip
ENCERRA_2026 = jsonl({"tipo": "encerramento_exercicio", "id": "ENC2026", "data": "2026-12-31"})
# 2027: liquida 2.000 dos 2.500 em liquidação e paga a liquidação toda.
RESTOS_2027 = jsonl(
    {"tipo": "liquidacao", "id": "L3", "data": "2027-02-10", "empenho": "E1",
     "em_liquidacao": "EL1", "valor": "2000.00", "documento": "NF 10", **VPD},
    {"tipo": "pagamento", "id": "P3", "data": "2027-02-15", "liquidacao": "L3",
     "valor": "2000.00", **BANCO},
)  # fmt: skip


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    repo_pcasp.abrir_exercicio("prefeitura", 2027, usuario="teste")
    registrar(repo_pcasp, EXERCICIO_2026)
    return repo_pcasp


def test_em_liquidacao_reconhece_a_obrigacao_e_a_liquidacao_parte_dela(
    repo: Repositorio,
) -> None:
    # EL1: 4.000 saem do a liquidar (6.2.2.1.3.01) para o em liquidação (.02); a VPD e
    # a obrigação entram já (competência); a DDR comprometida passa a "em liquidação".
    assert partidas_gravadas(repo, "EVEL1") == [
        ("6.2.2.1.3.01.00", "D", 400_000, CC_DO),
        ("6.2.2.1.3.02.00", "C", 400_000, CC_DO),
        ("3.3.2.3.1.99.00", "D", 400_000, ""),
        ("2.1.3.1.1.01.01", "C", 400_000, CC_PASSIVO),
        ("8.2.1.1.2.01.00", "D", 400_000, "FR=1500"),
        ("8.2.1.1.2.02.00", "C", 400_000, "FR=1500"),
    ]
    # L1: 1.500 do em liquidação ao liquidado a pagar, sem par patrimonial.
    assert partidas_gravadas(repo, "EVL1") == [
        ("6.2.2.1.3.02.00", "D", 150_000, CC_DO),
        ("6.2.2.1.3.03.00", "C", 150_000, CC_DO),
        ("8.2.1.1.2.02.00", "D", 150_000, "FR=1500"),
        ("8.2.1.1.3.01.00", "C", 150_000, "FR=1500"),
    ]
    controle = repo.controle()  # refeito dos eventos gravados
    emp = controle.empenhos[("prefeitura", "E1")]
    # a liquidar 10.000 − 3.500 = 6.500, dos quais 2.500 em liquidação
    assert (emp.a_liquidar, emp.em_liquidacao, emp.a_liquidar_livre) == (
        650_000,
        250_000,
        400_000,
    )
    assert controle.em_liquidacoes[("prefeitura", "EL1")] == SaldoEmLiquidacao(
        2026, "E1", 400_000, "3.3.2.3.1.99.00", "2.1.3.1.1.01.01", liquidado=150_000
    )
    # O pagamento da liquidação L1 baixa o passivo reconhecido em EL1.
    assert controle.liquidacoes[("prefeitura", "L1")].conta_passivo == "2.1.3.1.1.01.01"
    assert repo.verificar() == []


def test_encerramento_inscreve_o_em_liquidacao_a_parte(repo: Repositorio) -> None:
    registrar(repo, ENCERRA_2026)
    # RPNP a liquidar 4.000 (6.3.1.7.1), RPNP em liquidação 2.500 (6.3.1.7.2, com
    # 6.2.2.1.3.02 → 6.2.2.1.3.06, empenhos em liquidação inscritos) e RPP 3.500.
    assert partidas_gravadas(repo, "EVENC2026") == [
        ("6.2.2.1.3.01.00", "D", 400_000, CC_DO),
        ("6.2.2.1.3.05.00", "C", 400_000, CC_DO),
        ("5.3.1.7.0.00.00", "D", 400_000, CC_RP),
        ("6.3.1.7.1.00.00", "C", 400_000, CC_RP),
        ("6.2.2.1.3.02.00", "D", 250_000, CC_DO),
        ("6.2.2.1.3.06.00", "C", 250_000, CC_DO),
        ("5.3.1.7.0.00.00", "D", 250_000, CC_RP),
        ("6.3.1.7.2.00.00", "C", 250_000, CC_RP),
        ("6.2.2.1.3.03.00", "D", 350_000, CC_DO),
        ("6.2.2.1.3.07.00", "C", 350_000, CC_DO),
        ("5.3.2.7.0.00.00", "D", 350_000, CC_RP),
        ("6.3.2.7.0.00.00", "C", 350_000, CC_RP),
    ]
    # Abertura de 2027 (fonte 1500 → 2500): 5.3.1.1 recebe os 4.000 + 2.500 não
    # processados; 6.3.1.7.2 vai a 6.3.1.2 (2.500) e 6.3.1.7.1 a 6.3.1.1 (4.000).
    # A DDR comprometida atravessa o ano: 4.000 a liquidar, 2.500 em liquidação e
    # 3.500 liquidados; disponível 50.000 − 10.000 empenhados = 40.000. O passivo
    # (6.000 = 4.000 de EL1 + 2.000 de L2) cobre os 2.500 em liquidação e os 3.500
    # a pagar. Resultado: VPA 50.000 − VPD 6.000 = 44.000.
    assert partidas_gravadas(repo, "EVENC2026.5") == [
        ("1.1.1.1.1.19.00", "D", 5_000_000, f"FR=2500|DB={DB}"),
        ("2.1.3.1.1.01.01", "C", 600_000, CC_PASSIVO27),
        ("2.3.7.1.1.02.00", "C", 4_400_000, ""),
        ("5.3.1.1.0.00.00", "D", 650_000, CC_RP27),
        ("5.3.2.1.0.00.00", "D", 350_000, CC_RP27),
        ("6.3.1.1.0.00.00", "C", 400_000, CC_RP27),
        ("6.3.1.2.0.00.00", "C", 250_000, CC_RP27),
        ("6.3.2.1.0.00.00", "C", 350_000, CC_RP27),
        ("7.2.1.1.1.00.00", "D", 5_000_000, "FR=2500"),
        ("8.2.1.1.1.02.00", "C", 4_000_000, "FR=2500"),
        ("8.2.1.1.2.01.00", "C", 400_000, "FR=2500"),
        ("8.2.1.1.2.02.00", "C", 250_000, "FR=2500"),
        ("8.2.1.1.3.01.00", "C", 350_000, "FR=2500"),
    ]
    # Nada fica em 5.2/6.2 (o encerramento zera também 6.2.2.1.3.06).
    saldos = repo.saldos_execucao("prefeitura", ("5.2.", "6.2."))
    assert {k: v for k, v in saldos.items() if v} == {}
    (linha,) = restos_a_pagar(repo.controle(), "prefeitura", 2026)
    assert linha == LinhaRestos(
        "E1", 2026, DOT, "1500", CREDOR,
        650_000, 350_000, 0, 0, 0, 0, 0, 650_000, 350_000, 1_000_000, 250_000,
    )  # fmt: skip
    assert repo.verificar() == []


def test_liquidacao_e_pagamento_do_rp_em_liquidacao(repo: Repositorio) -> None:
    registrar(repo, ENCERRA_2026)
    registrar(repo, RESTOS_2027[:1])
    # L3: 2.000 de 6.3.1.2 (em liquidação) a 6.3.1.3 (liquidado a pagar), e a DDR
    # de "em liquidação" a "comprometida por liquidação", na fonte 2500.
    assert partidas_gravadas(repo, "EVL3") == [
        ("6.3.1.2.0.00.00", "D", 200_000, CC_RP27),
        ("6.3.1.3.0.00.00", "C", 200_000, CC_RP27),
        ("8.2.1.1.2.02.00", "D", 200_000, "FR=2500"),
        ("8.2.1.1.3.01.00", "C", 200_000, "FR=2500"),
    ]
    assert repo.verificar() == []
    registrar(repo, RESTOS_2027[1:])
    # P3: o pagamento de RP não processado de sempre, pelo passivo de EL1.
    assert partidas_gravadas(repo, "EVP3") == [
        ("6.3.1.3.0.00.00", "D", 200_000, CC_RP27),
        ("6.3.1.4.0.00.00", "C", 200_000, CC_RP27),
        ("2.1.3.1.1.01.01", "D", 200_000, CC_PASSIVO27),
        ("1.1.1.1.1.19.00", "C", 200_000, f"FR=2500|DB={DB}"),
        ("8.2.1.1.3.01.00", "D", 200_000, "FR=2500"),
        ("8.2.1.1.4.01.00", "C", 200_000, "FR=2500"),
    ]
    # Inscritos 6.500 não processados (2.500 em liquidação) e 3.500 processados;
    # liquidados e pagos 2.000; restam 4.500 a liquidar (500 em liquidação) e os
    # 3.500 processados a pagar: saldo 8.000.
    assert restos_a_pagar(repo.controle(), "prefeitura") == [
        LinhaRestos(
            "E1", 2026, DOT, "1500", CREDOR,
            650_000, 350_000, 200_000, 200_000, 0, 0, 0, 450_000, 350_000, 800_000, 50_000,
        )
    ]  # fmt: skip
    saldos = repo.saldos_execucao("prefeitura", ("6.3.1.2.",))
    assert {k: v for k, v in saldos.items() if v} == {("6.3.1.2.0.00.00", CC_RP27): -50_000}
    assert repo.verificar() == []


def test_cancelamento_do_rp_em_liquidacao(repo: Repositorio, engine: Engine) -> None:
    registrar(repo, ENCERRA_2026)
    registrar(repo, RESTOS_2027)  # restam 500 em liquidação em EL1 e 4.000 a liquidar
    antes = contagens(engine)
    assert recusa(
        repo,
        jsonl(
            {"tipo": "cancelamento_restos_a_pagar", "id": "C9", "data": "2027-06-30",
             "empenho": "E1", "em_liquidacao": "EL1", "valor": "500.01"},
            {"tipo": "cancelamento_restos_a_pagar", "id": "C8", "data": "2027-06-30",
             "empenho": "E1", "valor": "4000.01"},
            {"tipo": "cancelamento_restos_a_pagar", "id": "C7", "data": "2027-06-30",
             "empenho": "E1", "em_liquidacao": "EL1", "liquidacao": "L3", "valor": "1.00"},
        ),
    ) == [
        "EXEC-RP-SALDO: cancelamento de 500,01 acima do saldo de RP em liquidação do "
        "evento EL1 (500,00)",
        "EXEC-RP-SALDO: cancelamento de 4.000,01 acima do saldo de RP não processado a "
        "liquidar que não está em liquidação (4.000,00)",
        "EXEC-EM-LIQUIDACAO: informe liquidacao ou em_liquidacao, não os dois",
    ]  # fmt: skip
    assert contagens(engine) == antes
    registrar(
        repo,
        jsonl(
            {"tipo": "cancelamento_restos_a_pagar", "id": "C1", "data": "2027-06-30",
             "empenho": "E1", "em_liquidacao": "EL1", "valor": "500.00"},
        ),
    )  # fmt: skip
    # Os 500 saem de 6.3.1.2 para os cancelados; a obrigação reconhecida em EL1 se
    # desfaz contra VPA (4.6.4) e a DDR volta a disponível (exercícios anteriores).
    assert partidas_gravadas(repo, "EVC1") == [
        ("6.3.1.2.0.00.00", "D", 50_000, CC_RP27),
        ("6.3.1.9.9.00.00", "C", 50_000, CC_RP27),
        ("2.1.3.1.1.01.01", "D", 50_000, CC_PASSIVO27),
        ("4.6.4.0.0.00.00", "C", 50_000, ""),
        ("8.2.1.1.2.02.00", "D", 50_000, "FR=2500"),
        ("8.2.1.1.1.02.00", "C", 50_000, "FR=2500"),
    ]
    # Restam 4.000 a liquidar, nada em liquidação, 3.500 a pagar.
    (linha,) = restos_a_pagar(repo.controle(), "prefeitura")
    assert (linha.a_liquidar, linha.em_liquidacao, linha.cancelado_nao_processado) == (
        400_000,
        0,
        50_000,
    )
    assert repo.verificar() == []


def test_em_liquidacao_de_rp_nao_processado_e_encerramento_seguinte(repo: Repositorio) -> None:
    repo.abrir_exercicio("prefeitura", 2028, usuario="teste")
    registrar(repo, ENCERRA_2026)
    registrar(repo, RESTOS_2027)
    # 2027: 1.000 dos 4.000 RPNP a liquidar entram em liquidação (6.3.1.1 → 6.3.1.2).
    registrar(
        repo,
        jsonl(
            {"tipo": "em_liquidacao", "id": "EL2", "data": "2027-03-10", "empenho": "E1",
             "valor": "1000.00", "documento": "NF 12", **VPD},
        ),
    )  # fmt: skip
    assert partidas_gravadas(repo, "EVEL2") == [
        ("6.3.1.1.0.00.00", "D", 100_000, CC_RP27),
        ("6.3.1.2.0.00.00", "C", 100_000, CC_RP27),
        ("3.3.2.3.1.99.00", "D", 100_000, ""),
        ("2.1.3.1.1.01.01", "C", 100_000, CC_PASSIVO27),
        ("8.2.1.1.2.01.00", "D", 100_000, "FR=2500"),
        ("8.2.1.1.2.02.00", "C", 100_000, "FR=2500"),
    ]
    assert repo.verificar() == []
    registrar(
        repo, jsonl({"tipo": "encerramento_exercicio", "id": "ENC2027", "data": "2027-12-31"})
    )
    # 2028: 6.500 − 2.000 pagos = 4.500 inscritos passam a exercícios anteriores;
    # 3.000 a liquidar e 500 + 1.000 em liquidação continuam onde estão.
    abertura = partidas_gravadas(repo, "EVENC2027.5")
    assert ("5.3.1.2.0.00.00", "D", 450_000, CC_RP27) in abertura
    assert ("6.3.1.1.0.00.00", "C", 300_000, CC_RP27) in abertura
    assert ("6.3.1.2.0.00.00", "C", 150_000, CC_RP27) in abertura
    assert ("8.2.1.1.2.02.00", "C", 150_000, "FR=2500") in abertura
    assert repo.verificar() == []


def test_travas_do_em_liquidacao(repo: Repositorio, engine: Engine) -> None:
    antes = contagens(engine)
    assert recusa(
        repo,
        jsonl(
            # a liquidar fora do em liquidação: 10.000 − 4.000 − 2.000 = 4.000
            {"tipo": "em_liquidacao", "id": "EL9", "data": "2026-07-01", "empenho": "E1",
             "valor": "4000.01", "documento": "NF 19", **VPD},
            {"tipo": "liquidacao", "id": "L9", "data": "2026-07-01", "empenho": "E1",
             "valor": "4000.01", "documento": "NF 19", **VPD},
            {"tipo": "anulacao_empenho", "id": "AN9", "data": "2026-07-01", "empenho": "E1",
             "valor": "4000.01"},
            # em liquidação em EL1: 4.000 − 1.500 = 2.500
            {"tipo": "liquidacao", "id": "L8", "data": "2026-07-01", "empenho": "E1",
             "em_liquidacao": "EL1", "valor": "2500.01", "documento": "NF 10"},
            {"tipo": "liquidacao", "id": "L7", "data": "2026-07-01", "empenho": "E1",
             "em_liquidacao": "ELX", "valor": "1.00", "documento": "NF 10"},
            {"tipo": "liquidacao", "id": "L6", "data": "2026-07-01", "empenho": "E1",
             "em_liquidacao": "EL1", "valor": "1.00", "documento": "NF 10",
             "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.04.01"},
            {"tipo": "estorno", "id": "X1", "data": "2026-07-01", "evento": "EL1"},
            {"tipo": "estorno", "id": "X2", "data": "2026-07-01", "evento": "E1"},
        ),
    ) == [
        "EXEC-LIQUIDACAO-SALDO: despesa em liquidação de 4.000,01 acima do saldo a liquidar "
        "do empenho E1 que não está em liquidação (4.000,00)",
        "EXEC-LIQUIDACAO-SALDO: liquidação de 4.000,01 acima do saldo a liquidar do empenho "
        "E1 que não está em liquidação (4.000,00)",
        "EXEC-ANULACAO-SALDO: anulação de 4.000,01 acima do saldo a liquidar do empenho E1 "
        "que não está em liquidação (4.000,00)",
        "EXEC-LIQUIDACAO-SALDO: liquidação de 2.500,01 acima do saldo em liquidação do "
        "evento EL1 (2.500,00)",
        "EXEC-EM-LIQUIDACAO: evento em_liquidacao ELX não existe",
        "EXEC-EM-LIQUIDACAO: conta_passivo 2.1.3.1.1.04.01 diferente da reconhecida no "
        "evento em_liquidacao EL1 (2.1.3.1.1.01.01): omita-a ou repita-a",
        "EXEC-ESTORNO: evento EL1 não pode ser estornado: a despesa em liquidação já tem "
        "liquidação ou cancelamento: estorne-o antes",
        "EXEC-ESTORNO: evento E1 não pode ser estornado: o empenho tem liquidação ou "
        "anulação: estorne-as antes",
    ]  # fmt: skip
    # Nada mudou.
    assert contagens(engine) == antes
    assert repo.controle().empenhos[("prefeitura", "E1")].em_liquidacao == 250_000
    assert repo.verificar() == []


def test_em_liquidacao_de_outro_empenho_e_estornos(repo: Repositorio) -> None:
    registrar(
        repo,
        jsonl(
            {"tipo": "empenho", "id": "E2", "data": "2026-07-01", "dotacao": DOT,
             "fonte": "1500", "credor": CREDOR, "valor": "1000.00"},
            {"tipo": "em_liquidacao", "id": "EL2", "data": "2026-07-02", "empenho": "E2",
             "valor": "600.00", "documento": "NF 20", **VPD},
        ),
    )  # fmt: skip
    assert recusa(
        repo,
        jsonl(
            {"tipo": "liquidacao", "id": "L9", "data": "2026-07-03", "empenho": "E1",
             "em_liquidacao": "EL2", "valor": "1.00", "documento": "NF 20"},
            {"tipo": "estorno", "id": "X1", "data": "2026-07-03", "evento": "E2"},
        ),
    ) == [
        "EXEC-EM-LIQUIDACAO: o evento em_liquidacao EL2 é do empenho E2, não de E1",
        "EXEC-ESTORNO: evento E2 não pode ser estornado: o empenho tem despesa em "
        "liquidação: estorne-a antes",
    ]  # fmt: skip
    # Sem liquidação, EL2 se estorna (o inverso exato) e depois o empenho.
    registrar(
        repo,
        jsonl(
            {"tipo": "estorno", "id": "X2", "data": "2026-07-03", "evento": "EL2"},
            {"tipo": "estorno", "id": "X3", "data": "2026-07-03", "evento": "E2"},
        ),
    )
    assert partidas_gravadas(repo, "EVX2") == [
        (conta, "C" if dc == "D" else "D", valor, cc)
        for conta, dc, valor, cc in partidas_gravadas(repo, "EVEL2")
    ]
    controle = repo.controle()
    assert controle.empenhos[("prefeitura", "E2")].em_liquidacao == 0
    # O estorno da liquidação devolve o valor ao em liquidação.
    registrar(repo, jsonl({"tipo": "estorno", "id": "X4", "data": "2026-07-04", "evento": "L1"}))
    controle = repo.controle()
    assert controle.empenhos[("prefeitura", "E1")].em_liquidacao == 400_000
    assert controle.em_liquidacoes[("prefeitura", "EL1")].liquidado == 0
    assert repo.verificar() == []


def test_leitura_e_escrita_do_evento() -> None:
    lidos = list(iterar_eventos_jsonl([*EXERCICIO_2026, *RESTOS_2027], "e.jsonl", []))
    for _, ev in lidos:
        assert evento_de_dict(dict_de_evento(ev)) == (ev, [])
    l1 = next(ev for _, ev in lidos if ev.id == "L1")
    assert isinstance(l1, Liquidacao)
    assert (l1.em_liquidacao, l1.conta_vpd, l1.conta_passivo) == ("EL1", "", "")
    # sem em_liquidacao as contas da liquidação continuam obrigatórias; a liquidação
    # comum é escrita como antes (sem o campo novo)
    l2 = next(ev for _, ev in lidos if ev.id == "L2")
    assert "em_liquidacao" not in dict_de_evento(l2)
    sem_contas = {k: v for k, v in dict_de_evento(l1).items() if k != "em_liquidacao"}
    _, erros = evento_de_dict(sem_contas)
    assert [e.mensagem for e in erros] == [
        "conta_vpd é obrigatório",
        "conta_passivo é obrigatório",
    ]


def test_controle_refeito_dos_eventos_e_o_mesmo() -> None:
    """O replay (``aplicar`` e ``encerrar``, como ``Repositorio._refazer_controle``)
    chega ao mesmo controle que o registro (``executar`` e o encerramento)."""
    roteiros, plano = roteiros_padrao(), plano_base()
    vivo, refeito = ControleOrcamentario(), ControleOrcamentario()
    eventos = [ev for _, ev in iterar_eventos_jsonl(EXERCICIO_2026, "e.jsonl", [])]
    for ev in eventos:
        assert executar(vivo, ev, roteiros, plano)[1] == []
        refeito.aplicar(ev)
    enc = EncerramentoExercicio("ENC2026", "prefeitura", dt.date(2026, 12, 31))
    lancs, erros = encerrar_exercicio(vivo, enc, {}, plano, roteiros)
    assert erros == [] and lancs
    vivo.encerrar(enc)
    refeito.encerrar(enc)
    for ev in (ev for _, ev in iterar_eventos_jsonl(RESTOS_2027, "e.jsonl", [])):
        assert executar(vivo, ev, roteiros, plano)[1] == []
        refeito.aplicar(ev)
    assert vivo.empenhos == refeito.empenhos
    assert vivo.em_liquidacoes == refeito.em_liquidacoes
    assert vivo.liquidacoes == refeito.liquidacoes
