"""Três exercícios em sequência (2026 → 2027 → 2028) de uma Prefeitura e uma Câmara.

O cenário cobre o que atravessa o ano: LOA com dedução do FUNDEB, crédito
suplementar coberto por anulação, empenhos, anulação, liquidação para estoque,
para VPD e para o imobilizado, pagamentos parciais, duodécimo, caução recebida
e devolvida em parte, restos a pagar processados e não processados inscritos,
pagos, liquidados e cancelados nos anos seguintes, e o superávit financeiro de
2026 (fonte 2500) empenhado e pago em 2027 por crédito especial.

Cada saldo esperado foi calculado à mão nos comentários (em milhares de reais:
``MIL`` são R$ 1.000,00 em centavos). Os saldos de abertura de cada ano são
conferidos conta a conta e conta corrente a conta corrente.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest

from erario.core.erros import OperacaoRecusada
from erario.execucao.encerramento import pcasp
from erario.execucao.relatorios import disponibilidade_por_fonte, restos_a_pagar
from erario.razao.plano import ler_plano_csv
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl, recusa, registrar
from tests.test_cli import _iniciar_prefeitura, _ok, _rodar
from tests.test_restos import EXERCICIO_2026

MIL = 100_000  # R$ 1.000,00 em centavos
BANCO = "1.1.1.1.1.19.00"
DB_P = "001-1234-5-67890-1"
DB_C = "041-0987-112233"
CREDOR = "11222333000181"
CAUCAO = "11444777000161"
FORNECEDORES = "2.1.3.1.1.01.01"
DEPOSITOS = "2.1.8.8.1.04.01"  # depósitos e cauções
ESTOQUE = "1.1.5.6.1.01.00"
EQUIPAMENTOS = "1.2.3.1.1.01.01"
SERVICOS = "3.3.2.3.1.99.00"
DOT_MAT = "0201.12.361.0001.2001.33903000"
DOT_SERV = "0201.12.361.0001.2001.33903900"
DOT_EQ = "0201.12.361.0001.1001.44905200"
DOT_SUP = "0201.12.361.0001.2002.33903900"  # crédito especial de 2027 (superávit)
DOT_CAM = "0101.01.031.0001.2001.33903900"
IPTU = "11125001"
FPM = "17115111"
BP = {"conta_banco": BANCO, "domicilio": DB_P}
BC = {"conta_banco": BANCO, "domicilio": DB_C}
LIQ = {"conta_passivo": FORNECEDORES}
BANCO_RESTOS = {"conta_banco": BANCO, "domicilio": DB_P}  # o de tests/test_restos.py
TODAS = ("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.")


def _camara(*eventos: dict[str, object]) -> list[str]:
    return jsonl(*({"entidade": "camara", **ev} for ev in eventos))


PREFEITURA_2026 = jsonl(
    # LOA: receita 300.000 (IPTU) + 500.000 (FPM) com dedução FUNDEB prevista de 100.000.
    {"tipo": "previsao_receita", "id": "R1", "data": "2026-01-02", "natureza_receita": IPTU,
     "fonte": "1500", "valor": "300000.00"},
    {"tipo": "previsao_receita", "id": "R2", "data": "2026-01-02", "natureza_receita": FPM,
     "fonte": "1500", "valor": "500000.00"},
    {"tipo": "previsao_deducao", "id": "PD1", "data": "2026-01-02", "natureza_receita": FPM,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT_MAT,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "dotacao_inicial", "id": "D2", "data": "2026-01-02", "dotacao": DOT_SERV,
     "fonte": "1500", "valor": "200000.00"},
    {"tipo": "dotacao_inicial", "id": "D3", "data": "2026-01-02", "dotacao": DOT_EQ,
     "fonte": "1500", "valor": "50000.00"},
    # Suplementar de 20.000 em serviços, coberto pela anulação de 20.000 em material.
    {"tipo": "anulacao_dotacao", "id": "AD1", "data": "2026-02-01", "dotacao": DOT_MAT,
     "valor": "20000.00"},
    {"tipo": "credito_adicional", "id": "CS1", "data": "2026-02-01", "dotacao": DOT_SERV,
     "fonte": "1500", "valor": "20000.00", "modalidade": "suplementar", "cobertura": "anulacao"},
    # Arrecadação 150.000 + 400.000; dedução FUNDEB de 80.000 (20% do FPM).
    {"tipo": "arrecadacao", "id": "A1", "data": "2026-02-10", "natureza_receita": IPTU,
     "fonte": "1500", "valor": "150000.00", "conta_vpa": "4.1.1.2.1.02.00", **BP},
    {"tipo": "arrecadacao", "id": "A2", "data": "2026-02-10", "natureza_receita": FPM,
     "fonte": "1500", "valor": "400000.00", "conta_vpa": "4.5.2.1.3.02.00", **BP},
    {"tipo": "deducao_receita", "id": "DR1", "data": "2026-02-10", "natureza_receita": FPM,
     "fonte": "1500", "valor": "80000.00", **BP},
    # E1: material 40.000 para o estoque, pago. E2: serviços 150.000, anulados 10.000,
    # liquidados 100.000, pagos 70.000. E3: equipamento 50.000 para o imobilizado,
    # pago 20.000.
    {"tipo": "empenho", "id": "E1", "data": "2026-03-01", "dotacao": DOT_MAT, "fonte": "1500",
     "credor": CREDOR, "valor": "40000.00"},
    {"tipo": "liquidacao", "id": "L1", "data": "2026-03-10", "empenho": "E1",
     "valor": "40000.00", "documento": "NF 1", "conta_vpd": ESTOQUE, **LIQ},
    {"tipo": "pagamento", "id": "P1", "data": "2026-03-15", "liquidacao": "L1",
     "valor": "40000.00", **BP},
    {"tipo": "empenho", "id": "E2", "data": "2026-03-01", "dotacao": DOT_SERV, "fonte": "1500",
     "credor": CREDOR, "valor": "150000.00"},
    {"tipo": "anulacao_empenho", "id": "AN1", "data": "2026-04-01", "empenho": "E2",
     "valor": "10000.00"},
    {"tipo": "liquidacao", "id": "L2", "data": "2026-05-10", "empenho": "E2",
     "valor": "100000.00", "documento": "NF 2", "conta_vpd": SERVICOS, **LIQ},
    {"tipo": "pagamento", "id": "P2", "data": "2026-05-20", "liquidacao": "L2",
     "valor": "70000.00", **BP},
    {"tipo": "empenho", "id": "E3", "data": "2026-06-01", "dotacao": DOT_EQ, "fonte": "1500",
     "credor": CREDOR, "valor": "50000.00"},
    {"tipo": "liquidacao", "id": "L3", "data": "2026-06-10", "empenho": "E3",
     "valor": "50000.00", "documento": "NF 3", "conta_vpd": EQUIPAMENTOS, **LIQ},
    {"tipo": "pagamento", "id": "P3", "data": "2026-06-20", "liquidacao": "L3",
     "valor": "20000.00", **BP},
    # Duodécimo de 60.000 à Câmara; caução de 25.000 recebida, 10.000 devolvidos.
    {"tipo": "transferencia_financeira", "id": "T1", "data": "2026-02-15", "fonte": "1500",
     "valor": "60000.00", "entidade_destino": "camara", **BP, "conta_banco_destino": BANCO,
     "domicilio_destino": DB_C},
    {"tipo": "ingresso_extraorcamentario", "id": "I1", "data": "2026-07-01", "fonte": "1500",
     "credor": CAUCAO, "conta_passivo": DEPOSITOS, "valor": "25000.00", **BP},
    {"tipo": "pagamento_extraorcamentario", "id": "PX1", "data": "2026-08-01", "fonte": "1500",
     "credor": CAUCAO, "conta_passivo": DEPOSITOS, "valor": "10000.00", **BP},
)  # fmt: skip

CAMARA_2026 = _camara(
    {"tipo": "dotacao_inicial", "id": "DC1", "data": "2026-01-02", "dotacao": DOT_CAM,
     "fonte": "1500", "valor": "60000.00"},
    {"tipo": "empenho", "id": "EC1", "data": "2026-03-01", "dotacao": DOT_CAM, "fonte": "1500",
     "credor": CREDOR, "valor": "50000.00"},
    {"tipo": "liquidacao", "id": "LC1", "data": "2026-03-10", "empenho": "EC1",
     "valor": "50000.00", "documento": "NF C1", "conta_vpd": SERVICOS, **LIQ},
    {"tipo": "pagamento", "id": "PC1", "data": "2026-03-20", "liquidacao": "LC1",
     "valor": "45000.00", **BC},
)  # fmt: skip

# 2027: fonte 2500 é o que veio de 2026 (superávit, restos a pagar, caução).
PREFEITURA_2027 = jsonl(
    {"tipo": "previsao_receita", "id": "R3", "data": "2027-01-02", "natureza_receita": IPTU,
     "fonte": "1500", "valor": "200000.00"},
    {"tipo": "dotacao_inicial", "id": "D4", "data": "2027-01-02", "dotacao": DOT_SERV,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "arrecadacao", "id": "A3", "data": "2027-02-10", "natureza_receita": IPTU,
     "fonte": "1500", "valor": "120000.00", "conta_vpa": "4.1.1.2.1.02.00", **BP},
    # Superávit financeiro de 2026: crédito especial na fonte 2500, empenhado e pago.
    {"tipo": "credito_adicional", "id": "CA1", "data": "2027-02-01", "dotacao": DOT_SUP,
     "fonte": "2500", "valor": "50000.00", "modalidade": "especial", "cobertura": "superavit"},
    {"tipo": "empenho", "id": "E4", "data": "2027-02-02", "dotacao": DOT_SUP, "fonte": "2500",
     "credor": CREDOR, "valor": "50000.00"},
    {"tipo": "liquidacao", "id": "L4", "data": "2027-02-10", "empenho": "E4",
     "valor": "50000.00", "documento": "NF 4", "conta_vpd": SERVICOS, **LIQ},
    {"tipo": "pagamento", "id": "P4", "data": "2027-02-20", "liquidacao": "L4",
     "valor": "50000.00", **BP},
    # Despesa de 2027: 60.000 liquidados e pagos; E6 (20.000) fica a liquidar.
    {"tipo": "empenho", "id": "E5", "data": "2027-03-01", "dotacao": DOT_SERV, "fonte": "1500",
     "credor": CREDOR, "valor": "60000.00"},
    {"tipo": "liquidacao", "id": "L6", "data": "2027-03-10", "empenho": "E5",
     "valor": "60000.00", "documento": "NF 6", "conta_vpd": SERVICOS, **LIQ},
    {"tipo": "pagamento", "id": "P8", "data": "2027-03-20", "liquidacao": "L6",
     "valor": "60000.00", **BP},
    {"tipo": "empenho", "id": "E6", "data": "2027-04-01", "dotacao": DOT_SERV, "fonte": "1500",
     "credor": CREDOR, "valor": "20000.00"},
    # Restos a pagar de 2026: RPP de E2 pago (30.000); RPP de E3 pago em parte (20.000);
    # RPNP de E2 liquidado 25.000, pago 15.000, cancelados 5.000 do a liquidar.
    {"tipo": "pagamento", "id": "P5", "data": "2027-02-15", "liquidacao": "L2",
     "valor": "30000.00", **BP},
    {"tipo": "pagamento", "id": "P6", "data": "2027-02-15", "liquidacao": "L3",
     "valor": "20000.00", **BP},
    {"tipo": "liquidacao", "id": "L5", "data": "2027-03-05", "empenho": "E2",
     "valor": "25000.00", "documento": "NF 5", "conta_vpd": SERVICOS, **LIQ},
    {"tipo": "pagamento", "id": "P7", "data": "2027-03-25", "liquidacao": "L5",
     "valor": "15000.00", **BP},
    {"tipo": "cancelamento_restos_a_pagar", "id": "C1", "data": "2027-06-30",
     "empenho": "E2", "valor": "5000.00"},
    # A caução de 2026 (15.000) é devolvida na fonte em que atravessou o ano.
    {"tipo": "pagamento_extraorcamentario", "id": "PX2", "data": "2027-05-02", "fonte": "2500",
     "credor": CAUCAO, "conta_passivo": DEPOSITOS, "valor": "15000.00", **BP},
    {"tipo": "transferencia_financeira", "id": "T2", "data": "2027-02-15", "fonte": "1500",
     "valor": "40000.00", "entidade_destino": "camara", **BP, "conta_banco_destino": BANCO,
     "domicilio_destino": DB_C},
)  # fmt: skip

CAMARA_2027 = _camara(
    {"tipo": "dotacao_inicial", "id": "DC2", "data": "2027-01-02", "dotacao": DOT_CAM,
     "fonte": "1500", "valor": "40000.00"},
    {"tipo": "empenho", "id": "EC2", "data": "2027-03-01", "dotacao": DOT_CAM, "fonte": "1500",
     "credor": CREDOR, "valor": "30000.00"},
    {"tipo": "liquidacao", "id": "LC2", "data": "2027-03-10", "empenho": "EC2",
     "valor": "30000.00", "documento": "NF C2", "conta_vpd": SERVICOS, **LIQ},
    {"tipo": "pagamento", "id": "PC2", "data": "2027-03-20", "liquidacao": "LC2",
     "valor": "30000.00", **BC},
    # RPP de 2026 da Câmara (5.000), pago na fonte 2500.
    {"tipo": "pagamento", "id": "PC3", "data": "2027-01-20", "liquidacao": "LC1",
     "valor": "5000.00", **BC},
)  # fmt: skip

PREFEITURA_2028 = jsonl(
    {"tipo": "previsao_receita", "id": "R4", "data": "2028-01-02", "natureza_receita": IPTU,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "dotacao_inicial", "id": "D5", "data": "2028-01-02", "dotacao": DOT_SERV,
     "fonte": "1500", "valor": "50000.00"},
    {"tipo": "arrecadacao", "id": "A4", "data": "2028-02-10", "natureza_receita": IPTU,
     "fonte": "1500", "valor": "50000.00", "conta_vpa": "4.1.1.2.1.02.00", **BP},
    {"tipo": "empenho", "id": "E7", "data": "2028-03-01", "dotacao": DOT_SERV, "fonte": "1500",
     "credor": CREDOR, "valor": "30000.00"},
    {"tipo": "liquidacao", "id": "L7", "data": "2028-03-10", "empenho": "E7",
     "valor": "30000.00", "documento": "NF 7", "conta_vpd": SERVICOS, **LIQ},
    {"tipo": "pagamento", "id": "P11", "data": "2028-03-20", "liquidacao": "L7",
     "valor": "30000.00", **BP},
    # Restos de 2026 em exercícios anteriores: o RPNP liquidado em 2027 (10.000) e o
    # RPP de E3 (10.000) pagos; os 10.000 a liquidar de E2 cancelados. Restos de 2027:
    # E6 (20.000) cancelado.
    {"tipo": "pagamento", "id": "P9", "data": "2028-02-15", "liquidacao": "L5",
     "valor": "10000.00", **BP},
    {"tipo": "pagamento", "id": "P10", "data": "2028-02-15", "liquidacao": "L3",
     "valor": "10000.00", **BP},
    {"tipo": "cancelamento_restos_a_pagar", "id": "C2", "data": "2028-06-30",
     "empenho": "E2", "valor": "10000.00"},
    {"tipo": "cancelamento_restos_a_pagar", "id": "C3", "data": "2028-06-30",
     "empenho": "E6", "valor": "20000.00"},
)  # fmt: skip


def _encerrar(repo: Repositorio, slug: str, ano: int, codigo: str | None = None) -> None:
    registrar(
        repo,
        jsonl(
            {
                "tipo": "encerramento_exercicio",
                "id": codigo or f"ENC{ano}",
                "entidade": slug,
                "data": f"{ano}-12-31",
            }
        ),
    )


def abertura(repo: Repositorio, slug: str, ano: int) -> dict[tuple[str, str], int]:
    """Saldos (+ devedor) de abertura do exercício (período 0), por conta e conta corrente."""
    return {k: v for k, v in repo.saldos_execucao(slug, TODAS, ano, ate_periodo=0).items() if v}


def finais(repo: Repositorio, slug: str, ano: int) -> dict[tuple[str, str], int]:
    """Saldos (+ devedor) do exercício depois do encerramento (período 13)."""
    return {k: v for k, v in repo.saldos_execucao(slug, TODAS, ano).items() if v}


def _rp(conta: str, dotacao: str, ai: int, fr: str = "2500") -> tuple[str, str]:
    return (conta, f"FR={fr}|AI={ai}|DO={dotacao}")


def _conferir_ano(repo: Repositorio, slug: str, ano: int) -> None:
    """Depois do encerramento: nenhum banco negativo, a disponibilidade por fonte é
    a DDR (caixa = disponível + comprometida; nada utilizado) e o razão é íntegro."""
    saldos = finais(repo, slug, ano)
    assert all(v >= 0 for (conta, _), v in saldos.items() if conta.startswith("1.1.1."))
    for linha in disponibilidade_por_fonte(saldos):
        assert linha.utilizada == 0, linha
        assert linha.caixa_bancos == (
            linha.ddr_disponivel + linha.comprometida_empenho + linha.comprometida_liquidacao
        ), linha
    assert repo.verificar() == []


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    for slug in ("prefeitura", "camara"):
        for ano in (2026, 2027, 2028, 2029):
            repo_pcasp.abrir_exercicio(slug, ano, usuario="teste")
    return repo_pcasp


def test_tres_exercicios_em_sequencia(repo: Repositorio) -> None:
    registrar(repo, PREFEITURA_2026 + CAMARA_2026)
    _encerrar(repo, "prefeitura", 2026)
    _encerrar(repo, "camara", 2026)
    _conferir_ano(repo, "prefeitura", 2026)
    _conferir_ano(repo, "camara", 2026)

    # ---- abertura de 2027 da Prefeitura (fonte 1500 → 2500 em tudo o que atravessa).
    # Banco: 150 + 400 − 80 (FUNDEB) − 40 − 70 − 20 (pagamentos) − 60 (duodécimo)
    # + 25 − 10 (caução) = 295. Fornecedores: liquidados 190 − pagos 130 = 60.
    # Resultado 2026 por 5º nível: consolidação IPTU 150 − serviços 100 = 50 C;
    # intra (duodécimo) 60 D; inter União (FPM) 400 C; inter Estado (FUNDEB) 80 D.
    # DDR: a utilizada (pagamentos 130 + duodécimo 60 + devolução de caução 10) baixa
    # 10 do extraorçamentário (25 entraram, 15 ainda comprometidos) e 190 dos
    # ordinários (470 − 190 = 280); disponível 550 − 80 − 240 + 10 − 60 = 180.
    # Restos: E2 RPNP 40 (150 − 10 − 100) e RPP 30 (100 − 70); E3 RPP 30 (50 − 20).
    assert abertura(repo, "prefeitura", 2027) == {
        (BANCO, f"FR=2500|DB={DB_P}"): 295 * MIL,
        (ESTOQUE, ""): 40 * MIL,
        (EQUIPAMENTOS, ""): 50 * MIL,
        (FORNECEDORES, f"FP=F|FR=2500|CR={CREDOR}"): -60 * MIL,
        (DEPOSITOS, f"FR=2500|CR={CAUCAO}"): -15 * MIL,
        ("2.3.7.1.1.02.00", ""): -50 * MIL,
        ("2.3.7.1.2.02.00", ""): 60 * MIL,
        ("2.3.7.1.3.02.00", ""): -400 * MIL,
        ("2.3.7.1.4.02.00", ""): 80 * MIL,
        _rp("5.3.1.1.0.00.00", DOT_SERV, 2026): 40 * MIL,
        _rp("5.3.2.1.0.00.00", DOT_SERV, 2026): 30 * MIL,
        _rp("5.3.2.1.0.00.00", DOT_EQ, 2026): 30 * MIL,
        _rp("6.3.1.1.0.00.00", DOT_SERV, 2026): -40 * MIL,
        _rp("6.3.2.1.0.00.00", DOT_SERV, 2026): -30 * MIL,
        _rp("6.3.2.1.0.00.00", DOT_EQ, 2026): -30 * MIL,
        ("7.2.1.1.1.00.00", "FR=2500"): 280 * MIL,
        ("7.2.1.1.3.00.00", "FR=2500"): 15 * MIL,
        ("8.2.1.1.1.02.00", "FR=2500"): -180 * MIL,
        ("8.2.1.1.2.01.00", "FR=2500"): -40 * MIL,
        ("8.2.1.1.3.01.00", "FR=2500"): -60 * MIL,
        ("8.2.1.1.3.02.00", "FR=2500"): -15 * MIL,
    }
    # Câmara: banco 60 − 45 = 15; fornecedores 5 (RPP); resultado 60 C (intra) e 50 D.
    assert abertura(repo, "camara", 2027) == {
        (BANCO, f"FR=2500|DB={DB_C}"): 15 * MIL,
        (FORNECEDORES, f"FP=F|FR=2500|CR={CREDOR}"): -5 * MIL,
        ("2.3.7.1.1.02.00", ""): 50 * MIL,
        ("2.3.7.1.2.02.00", ""): -60 * MIL,
        _rp("5.3.2.1.0.00.00", DOT_CAM, 2026): 5 * MIL,
        _rp("6.3.2.1.0.00.00", DOT_CAM, 2026): -5 * MIL,
        ("7.2.1.1.1.00.00", "FR=2500"): 15 * MIL,
        ("8.2.1.1.1.02.00", "FR=2500"): -10 * MIL,
        ("8.2.1.1.3.01.00", "FR=2500"): -5 * MIL,
    }

    # ---- 2027
    registrar(repo, PREFEITURA_2027 + CAMARA_2027)
    _encerrar(repo, "prefeitura", 2027)
    _encerrar(repo, "camara", 2027)
    _conferir_ano(repo, "prefeitura", 2027)
    _conferir_ano(repo, "camara", 2027)
    # Banco 2500: 295 − 50 (E4) − 30 − 20 − 15 (restos) − 15 (caução) = 165;
    # banco 1500: 120 − 60 − 40 (duodécimo) = 20; na abertura de 2028, 185 em 2500.
    # Fornecedores: 60 + 50 − 50 − 30 − 20 + 25 − 15 = 20 (RPP de E3 10, RPNP
    # liquidado de E2 10). Resultado 2027: consolidação 120 − 135 = 15 D, intra 40 D.
    # DDR 2500: disponível 180 − 50 (E4) + 5 (cancelamento) = 135; comprometida por
    # empenho 40 + 50 − 50 − 25 − 5 = 10 e por liquidação 20; controle 280 − 115 = 165
    # (utilizada 130: 115 orçamentária, 15 da caução, que zera o extraorçamentário).
    # DDR 1500: controle 120 − 100 = 20 = comprometida por empenho (E6).
    # Restos: de 2026 sobram 20 inscritos em RPNP (exercícios anteriores: 10 a liquidar
    # e 10 liquidados) e 10 do RPP de E3; de 2027, E6 (20) inscrito.
    assert abertura(repo, "prefeitura", 2028) == {
        (BANCO, f"FR=2500|DB={DB_P}"): 185 * MIL,
        (ESTOQUE, ""): 40 * MIL,
        (EQUIPAMENTOS, ""): 50 * MIL,
        (FORNECEDORES, f"FP=F|FR=2500|CR={CREDOR}"): -20 * MIL,
        ("2.3.7.1.1.02.00", ""): -35 * MIL,
        ("2.3.7.1.2.02.00", ""): 100 * MIL,
        ("2.3.7.1.3.02.00", ""): -400 * MIL,
        ("2.3.7.1.4.02.00", ""): 80 * MIL,
        _rp("5.3.1.2.0.00.00", DOT_SERV, 2026): 20 * MIL,
        _rp("5.3.2.2.0.00.00", DOT_EQ, 2026): 10 * MIL,
        _rp("5.3.1.1.0.00.00", DOT_SERV, 2027): 20 * MIL,
        _rp("6.3.1.1.0.00.00", DOT_SERV, 2026): -10 * MIL,
        _rp("6.3.1.3.0.00.00", DOT_SERV, 2026): -10 * MIL,
        _rp("6.3.2.1.0.00.00", DOT_EQ, 2026): -10 * MIL,
        _rp("6.3.1.1.0.00.00", DOT_SERV, 2027): -20 * MIL,
        ("7.2.1.1.1.00.00", "FR=2500"): 185 * MIL,
        ("8.2.1.1.1.02.00", "FR=2500"): -135 * MIL,
        ("8.2.1.1.2.01.00", "FR=2500"): -30 * MIL,
        ("8.2.1.1.3.01.00", "FR=2500"): -20 * MIL,
    }
    # Câmara: banco 15 − 5 (RPP) + 40 − 30 = 20; resultado 2027 intra 40 C e 30 D.
    assert abertura(repo, "camara", 2028) == {
        (BANCO, f"FR=2500|DB={DB_C}"): 20 * MIL,
        ("2.3.7.1.1.02.00", ""): 80 * MIL,
        ("2.3.7.1.2.02.00", ""): -100 * MIL,
        ("7.2.1.1.1.00.00", "FR=2500"): 20 * MIL,
        ("8.2.1.1.1.02.00", "FR=2500"): -20 * MIL,
    }

    # ---- 2028: restos pagos e cancelados; nada mais em restos a pagar em 2029.
    registrar(repo, PREFEITURA_2028)
    _encerrar(repo, "prefeitura", 2028)
    _conferir_ano(repo, "prefeitura", 2028)
    # Banco 2500: 185 − 10 − 10 = 165; 1500: 50 − 30 = 20 → 185. Resultado 2028: 20 C.
    # DDR: disponível 135 + 10 + 20 (cancelamentos) + 20 (1500) = 185.
    assert abertura(repo, "prefeitura", 2029) == {
        (BANCO, f"FR=2500|DB={DB_P}"): 185 * MIL,
        (ESTOQUE, ""): 40 * MIL,
        (EQUIPAMENTOS, ""): 50 * MIL,
        ("2.3.7.1.1.02.00", ""): -55 * MIL,
        ("2.3.7.1.2.02.00", ""): 100 * MIL,
        ("2.3.7.1.3.02.00", ""): -400 * MIL,
        ("2.3.7.1.4.02.00", ""): 80 * MIL,
        ("7.2.1.1.1.00.00", "FR=2500"): 185 * MIL,
        ("8.2.1.1.1.02.00", "FR=2500"): -185 * MIL,
    }
    restos = {r.empenho: r for r in restos_a_pagar(repo.controle(), "prefeitura")}
    assert {n: (r.ano_inscricao, r.saldo) for n, r in restos.items()} == {
        "E2": (2026, 0),
        "E3": (2026, 0),
        "E6": (2027, 0),
    }
    assert (restos["E2"].pago_nao_processado, restos["E2"].cancelado_nao_processado) == (
        25 * MIL,
        15 * MIL,
    )


def test_caucao_devolvida_nao_consome_recursos_ordinarios(repo: Repositorio) -> None:
    """A DDR utilizada baixa o controle que registrou a entrada: a caução recebida e
    devolvida no ano sai de 7.2.1.1.3, não dos recursos ordinários."""
    registrar(
        repo,
        jsonl(
            {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT_SERV,
             "fonte": "1500", "valor": "50000.00"},
            {"tipo": "arrecadacao", "id": "A1", "data": "2026-02-10", "natureza_receita": IPTU,
             "fonte": "1500", "valor": "100000.00", "conta_vpa": "4.1.1.2.1.02.00", **BP},
            {"tipo": "empenho", "id": "E1", "data": "2026-03-01", "dotacao": DOT_SERV,
             "fonte": "1500", "credor": CREDOR, "valor": "30000.00"},
            {"tipo": "liquidacao", "id": "L1", "data": "2026-03-10", "empenho": "E1",
             "valor": "30000.00", "documento": "NF 1", "conta_vpd": SERVICOS, **LIQ},
            {"tipo": "pagamento", "id": "P1", "data": "2026-03-15", "liquidacao": "L1",
             "valor": "30000.00", **BP},
            {"tipo": "ingresso_extraorcamentario", "id": "I1", "data": "2026-04-01",
             "fonte": "1500", "credor": CAUCAO, "conta_passivo": DEPOSITOS,
             "valor": "10000.00", **BP},
            {"tipo": "pagamento_extraorcamentario", "id": "PX1", "data": "2026-05-01",
             "fonte": "1500", "credor": CAUCAO, "conta_passivo": DEPOSITOS,
             "valor": "10000.00", **BP},
        ),
    )  # fmt: skip
    _encerrar(repo, "prefeitura", 2026)
    saldos = finais(repo, "prefeitura", 2026)
    # 100.000 arrecadados − 30.000 pagos = 70.000 ordinários; a caução, zero.
    assert saldos[("7.2.1.1.1.00.00", "FR=1500")] == 70 * MIL
    assert ("7.2.1.1.3.00.00", "FR=1500") not in saldos
    assert saldos[(BANCO, f"FR=1500|DB={DB_P}")] == 70 * MIL


def test_exercicio_encerrado_fica_trancado_e_o_encerramento_se_desfaz(
    repo: Repositorio,
) -> None:
    registrar(repo, PREFEITURA_2026 + CAMARA_2026)
    antes = finais(repo, "prefeitura", 2026)
    _encerrar(repo, "prefeitura", 2026)
    # Nenhuma competência de 2026 se reabre e nenhum lançamento do encerramento se
    # estorna à mão.
    with pytest.raises(OperacaoRecusada) as exc:
        repo.reabrir_competencia("prefeitura", 2026, 3, "ajuste")
    assert [e.regra for e in exc.value.erros] == ["EXE-ENCERRADO"]
    assert "desfaça antes o encerramento" in exc.value.erros[0].mensagem
    with pytest.raises(OperacaoRecusada) as exc:
        repo.estornar("prefeitura", "EVENC2026.5", dt.date(2027, 1, 1))
    assert [e.regra for e in exc.value.erros] == ["LANC-EVENTO"]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.desfazer_encerramento("prefeitura", 2026, "  ")
    assert [e.regra for e in exc.value.erros] == ["COMP-MOTIVO"]

    # Com movimento em 2027 (mesmo estornado), o encerramento não se desfaz: corrige-se
    # 2026 por ajustes de exercícios anteriores em 2027. Nada muda.
    registrar(repo, PREFEITURA_2027[:1])
    registrar(repo, jsonl({"tipo": "estorno", "id": "XR3", "data": "2027-01-02",
                           "evento": "R3"}))  # fmt: skip
    with pytest.raises(OperacaoRecusada) as exc:
        repo.desfazer_encerramento("prefeitura", 2026, "ajuste de classificação")
    assert [f"{e.regra}: {e.mensagem}" for e in exc.value.erros] == [
        "EXEC-ENCERRAMENTO: o exercício 2027 já tem 1 evento(s) (R3): o encerramento de 2026 "
        "só se desfaz antes de qualquer movimento em 2027; corrija 2026 em 2027 por ajustes "
        "de exercícios anteriores (2.3.7.1.x.03)"
    ]
    assert {c.situacao.value for c in repo.competencias("prefeitura", 2026)} == {"fechada"}
    assert finais(repo, "prefeitura", 2026) != antes  # segue encerrado


def test_desfazer_o_encerramento_devolve_o_exercicio_aberto(repo: Repositorio) -> None:
    registrar(repo, PREFEITURA_2026 + CAMARA_2026)
    antes = finais(repo, "prefeitura", 2026)
    _encerrar(repo, "prefeitura", 2026)
    depois_do_primeiro = abertura(repo, "prefeitura", 2027)
    resumo = repo.desfazer_encerramento("prefeitura", 2026, "ajuste de classificação")
    assert resumo.lancamentos == 5  # inscrição, orçamento, DDR, resultado e abertura
    # 2026 volta aos saldos de antes do encerramento e 2027 fica sem abertura.
    assert finais(repo, "prefeitura", 2026) == antes
    assert abertura(repo, "prefeitura", 2027) == {}
    assert repo.controle().encerrados == set()
    assert restos_a_pagar(repo.controle(), "prefeitura") == []
    # Dezembro reabre; março segue fechado e agora pode ser reaberto (com motivo).
    situacoes = {c.mes: c.situacao.value for c in repo.competencias("prefeitura", 2026)}
    assert (situacoes[12], situacoes[3]) == ("aberta", "fechada")
    repo.reabrir_competencia("prefeitura", 2026, 3, "ajuste de classificação")
    acoes = [a[2] for a in repo.auditoria("prefeitura")]
    assert acoes[-3:] == ["encerrar_exercicio", "desfazer_encerramento", "reabrir_competencia"]
    assert repo.verificar() == []
    # Encerrado de novo (outro código de evento), dá a mesma abertura.
    _encerrar(repo, "prefeitura", 2026, "ENC2026-2")
    assert abertura(repo, "prefeitura", 2027) == depois_do_primeiro
    assert repo.verificar() == []


def test_encerramento_no_estorno_de_evento_avisa_o_comando(repo: Repositorio) -> None:
    registrar(repo, PREFEITURA_2026[:4])
    _encerrar(repo, "prefeitura", 2026)
    assert recusa(
        repo, jsonl({"tipo": "estorno", "id": "X1", "data": "2026-12-31", "evento": "ENC2026"})
    ) == [
        "EXEC-ESTORNO: evento ENC2026: o encerramento do exercício se desfaz por erario "
        "exercicio desfazer-encerramento prefeitura 2026, com motivo"
    ]


# ---------------------------------------------------------------- plano estendido
def _plano_estendido() -> str:
    """O PCASP Federação com os 5 níveis a mais do TCE-RS (12 níveis); os resultados
    do exercício e de exercícios anteriores (2.3.7.1.x.01/.02) viram sintéticos, com
    uma analítica abaixo, como nos planos estaduais que detalham o PL."""
    texto = resources.files("erario.razao").joinpath("dados/pcasp_federacao.csv")
    cabecalho, *linhas = texto.read_text("utf-8").splitlines()
    saida = [cabecalho]
    for linha in linhas:
        conta, titulo, natureza, superavit, informacao, escrit, *resto = linha.split(";")
        estendida = conta + ".00.00.00.00.000"
        if conta.startswith("2.3.7.1.") and conta[10:12] in ("01", "02") and escrit == "S":
            saida.append(
                ";".join([estendida, titulo, natureza, superavit, informacao, "N", *resto])
            )
            filha = conta + ".01.00.00.00.000"
            saida.append(";".join([filha, titulo + " - RS", natureza, superavit, informacao, "S",
                                   *resto]))  # fmt: skip
        else:
            saida.append(";".join([estendida, titulo, natureza, superavit, informacao, escrit,
                                   *resto]))  # fmt: skip
    return "\n".join(saida) + "\n"


def _por_prefixo(saldos: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    soma: dict[tuple[str, str], int] = {}
    for (conta, cc), v in saldos.items():
        chave = (pcasp(conta), cc)
        soma[chave] = soma.get(chave, 0) + v
    return {k: v for k, v in soma.items() if v}


def _aberturas(repo: Repositorio) -> dict[tuple[str, int], dict[tuple[str, str], int]]:
    registrar(repo, PREFEITURA_2026 + CAMARA_2026)
    _encerrar(repo, "prefeitura", 2026)
    _encerrar(repo, "camara", 2026)
    registrar(repo, PREFEITURA_2027 + CAMARA_2027)
    _encerrar(repo, "prefeitura", 2027)
    _encerrar(repo, "camara", 2027)
    registrar(repo, PREFEITURA_2028)
    _encerrar(repo, "prefeitura", 2028)
    assert repo.verificar() == []
    return {
        (slug, ano): _por_prefixo(abertura(repo, slug, ano))
        for slug, anos in (("prefeitura", (2027, 2028, 2029)), ("camara", (2027, 2028)))
        for ano in anos
    }


def test_plano_estendido_da_os_mesmos_totais_por_conta_do_pcasp(
    repo: Repositorio, tmp_path: Path
) -> None:
    engine = criar_engine(f"sqlite:///{tmp_path / 'estendido.db'}")
    atualizar_esquema(engine)
    estendido = Repositorio(engine)
    plano, erros = ler_plano_csv(_plano_estendido(), "PCASP-RS")
    assert plano is not None, erros
    assert plano.mascara.niveis == 12
    estendido.gravar_plano(plano)
    for e in repo.entidades():
        estendido.criar_entidade(e._replace(plano="PCASP-RS"))
        for ano in (2026, 2027, 2028, 2029):
            estendido.abrir_exercicio(e.slug, ano, usuario="teste")
    esperado = _aberturas(repo)
    assert _aberturas(estendido) == esperado
    # O resultado vai para a analítica abaixo de 2.3.7.1.x.01 (intra OFSS incluído) e
    # passa, na abertura, à de exercícios anteriores com os mesmos níveis extras.
    saldos = abertura(estendido, "prefeitura", 2027)
    assert saldos[("2.3.7.1.2.02.00.01.00.00.00.000", "")] == 60 * MIL
    assert saldos[("2.3.7.1.3.02.00.01.00.00.00.000", "")] == -400 * MIL
    engine.dispose()


# ---------------------------------------------------------------- pela linha de comando
def _cli_com_2026(tmp_path: Path) -> str:
    """Banco novo pela CLI (iniciar, entidade, 2026 aberto), os eventos de 2026 do
    exemplo de docs/eventos.md importados e 2027 aberto; devolve a URL."""
    url = f"sqlite:///{tmp_path / 'erario.db'}"
    _iniciar_prefeitura(url)
    eventos = tmp_path / "eventos-2026.jsonl"
    eventos.write_text("\n".join(EXERCICIO_2026) + "\n", encoding="utf-8")
    _ok(url, "importar", str(eventos), "--tipo", "eventos")
    _ok(url, "exercicio", "abrir", "prefeitura", "2027")
    return url


def test_ciclo_do_exercicio_pela_cli_como_no_readme(tmp_path: Path) -> None:
    """Os comandos do README e de docs/eventos.md, na ordem: 2026 com o exemplo do
    documento, ``exercicio abrir 2027 && exercicio encerrar 2026``, o balancete e a
    disponibilidade de 2027, o pagamento do RP processado e as travas do ano encerrado."""
    url = _cli_com_2026(tmp_path)
    saida = _ok(url, "exercicio", "encerrar", "prefeitura", "2026")
    assert "Exercício 2026 de prefeitura encerrado: 5 lançamento(s)" in saida

    # 2027 abre com os saldos de 2026: banco 41.000,00 e fornecedores 6.000,00, na 2500.
    csv = _ok(url, "balancete", "prefeitura", "--mes", "2027-01", "--formato", "csv",
              "--conta-corrente")  # fmt: skip
    # colunas: conta;titulo;conta_corrente;…;saldo_anterior;natureza_anterior;…
    linhas = {(c[0], c[2]): c for c in (ln.split(";") for ln in csv.splitlines()[1:])}
    banco = linhas[("1.1.1.1.1.19.00", "FR=2500|DB=001-1234-5-67890-1")]
    assert banco[6:8] == ["41000.00", "D"], banco
    forn = linhas[("2.1.3.1.1.01.01", "FP=F|FR=2500|CR=11222333000181")]
    assert forn[6:8] == ["6000.00", "C"], forn

    # Pagamento do RP processado em 2027 (pela fonte 2500, sozinho) e a disponibilidade.
    pagamento = tmp_path / "eventos-2027.jsonl"
    pagamento.write_text(
        json.dumps(
            {"tipo": "pagamento", "id": "P3", "entidade": "prefeitura", "data": "2027-02-15",
             "liquidacao": "L1", "valor": "6000.00", **BANCO_RESTOS}
        )
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    _ok(url, "importar", str(pagamento), "--tipo", "eventos")
    disp = _ok(url, "execucao", "disponibilidade", "prefeitura", "--formato", "csv")
    # fonte 2500: caixa 41.000 − 6.000 = 35.000 = disponível 15.000 + comprometida
    # por empenho 20.000 (RPNP) + por liquidação 0; utilizada 6.000 no ano.
    assert disp.splitlines()[1] == "2500;35000.00;15000.00;20000.00;0.00;6000.00"
    assert "Razão íntegro" in _ok(url, "verificar")

    # O ano encerrado fica trancado; com movimento em 2027 o encerramento não se desfaz.
    codigo, saida = _rodar(url, "exercicio", "reabrir", "prefeitura", "2026-03",
                           "--motivo", "ajuste")  # fmt: skip
    assert codigo == 1 and "EXE-ENCERRADO" in saida
    codigo, saida = _rodar(url, "lancamento", "estornar", "prefeitura", "EVENC2026.5",
                           "--data", "2027-01-01")  # fmt: skip
    assert codigo == 1 and "LANC-EVENTO" in saida
    codigo, saida = _rodar(url, "exercicio", "desfazer-encerramento", "prefeitura", "2026",
                           "--motivo", "ajuste")  # fmt: skip
    assert codigo == 1 and "só se desfaz antes de qualquer movimento em 2027" in saida


def test_caucao_de_2026_devolvida_em_2027_pela_fonte_2500(repo: Repositorio) -> None:
    """A caução atravessa o ano na fonte de exercícios anteriores: a devolução que
    cita 1500 é recusada apontando o saldo em 2500; a que cita 2500 passa."""
    registrar(
        repo,
        jsonl(
            {"tipo": "ingresso_extraorcamentario", "id": "I1", "data": "2026-07-01",
             "fonte": "1500", "credor": CAUCAO, "conta_passivo": DEPOSITOS,
             "valor": "25000.00", **BP},
        ),
    )  # fmt: skip
    _encerrar(repo, "prefeitura", 2026)
    devolucao = {"tipo": "pagamento_extraorcamentario", "id": "PX1", "data": "2027-03-01",
                 "credor": CAUCAO, "conta_passivo": DEPOSITOS, "valor": "25000.00", **BP}  # fmt: skip
    assert recusa(repo, jsonl({**devolucao, "fonte": "1500"})) == [
        "EXEC-EXTRA-SALDO: pagamento extraorçamentário de 25.000,00 acima do saldo de "
        f"{CAUCAO} em {DEPOSITOS} (0,00); há 25.000,00 de exercícios anteriores na fonte "
        "2500: use-a no evento"
    ]
    registrar(repo, jsonl({**devolucao, "fonte": "2500"}))
    assert finais(repo, "prefeitura", 2027).get((DEPOSITOS, f"FR=2500|CR={CAUCAO}")) is None
    assert repo.verificar() == []


def test_desfazer_e_encerrar_de_novo_pela_cli(tmp_path: Path, tela_larga: None) -> None:
    url = _cli_com_2026(tmp_path)
    _ok(url, "exercicio", "encerrar", "prefeitura", "2026")
    codigo, saida = _rodar(url, "exercicio", "desfazer-encerramento", "prefeitura", "2026",
                           "--motivo", " ")  # fmt: skip
    assert codigo == 1 and "COMP-MOTIVO" in saida
    saida = _ok(url, "exercicio", "desfazer-encerramento", "prefeitura", "2026",
                "--motivo", "empenho E2 classificado na dotação errada")  # fmt: skip
    assert "Encerramento de 2026 de prefeitura desfeito: 5 lançamento(s) de estorno" in saida
    assert "reaberta" in _ok(url, "exercicio", "reabrir", "prefeitura", "2026-04",
                             "--motivo", "reclassificação")  # fmt: skip
    auditoria = _ok(url, "exercicio", "auditoria", "prefeitura")
    assert "desfazer_encerramento" in auditoria and "classificado na dotação" in auditoria
    saida = _ok(url, "exercicio", "encerrar", "prefeitura", "2026")
    assert "EVENC2026-2" in saida
    assert "Razão íntegro" in _ok(url, "verificar")
    codigo, saida = _rodar(url, "exercicio", "desfazer-encerramento", "prefeitura", "2025",
                           "--motivo", "x")  # fmt: skip
    assert codigo == 1 and "EXE-ENCERRADO" in saida
