"""Contrapartidas dos eventos (EXEC-CONTRAPARTIDA, issue 14, item 3).

A classe de cada conta que o evento informa tem de combinar com o fato: a
liquidação credita passivo e debita VPD, ativo ou passivo conforme a natureza
da despesa (a despesa de capital por aplicação direta é fato permutativo, MCASP
Parte I); a arrecadação credita VPA, ativo ou passivo; a dedução da receita
debita VPD; o cancelamento de restos a pagar credita VPA; a conta bancária é de
caixa e equivalentes de caixa (1.1.1). Recusado, nada é gravado e o controle não
muda; as alternativas que o MCASP admite passam.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import Engine

from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao import contrapartidas
from erario.execucao.carga import ler_eventos_jsonl
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import (
    Arrecadacao,
    CancelamentoRestosAPagar,
    DeducaoReceita,
    DotacaoInicial,
    Empenho,
    IngressoExtra,
    Liquidacao,
    Pagamento,
    PagamentoExtra,
)
from erario.execucao.motor import executar
from erario.execucao.roteiros import roteiros_padrao
from erario.orcamento.classificacao import FonteRecurso
from erario.razao.plano import plano_base
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import contagens, jsonl, partidas_gravadas, recusa, registrar

R = "EXEC-CONTRAPARTIDA"
CREDOR = "11222333000181"
DB = "001-1234-5-67890-1"
BANCO = {"conta_banco": "1.1.1.1.1.19.00", "domicilio": DB}
FORNECEDORES = "2.1.3.1.1.01.01"
SERVICOS_PJ = "3.3.2.3.1.99.00"
# Material de consumo (3.3.90.30) e equipamento (4.4.90.52, aplicação direta).
DOT_CONSUMO = "0201.12.361.0001.2001.33903000"
DOT_EQUIPAMENTO = "0201.12.361.0001.1001.44905200"
ESTOQUE = "1.1.5.6.1.01.00"  # almoxarifado - material de consumo
CONSUMO = "3.3.1.1.1.16.00"  # VPD: material de expediente
EQUIPAMENTO = "1.2.3.1.1.01.01"  # aparelhos de medição e orientação

# Mensagens exatas (o texto do catálogo docs/erros.md).
MSG_PL = (
    f"{R}: conta_passivo 2.3.7.1.1.02.00 é patrimônio líquido (2.3): a liquidação credita "
    "a obrigação com o credor (Lei 4.320/1964, art. 63), um passivo (classe 2, exceto 2.3, "
    "patrimônio líquido)"
)
MSG_CAPITAL = (
    f"{R}: conta_vpd 3.3.2.3.1.99.00 é VPD (classe 3): a despesa de capital por aplicação "
    "direta (natureza 44905200) é fato permutativo (MCASP, Parte I): a liquidação debita o "
    "ativo que incorpora (classe 1) ou o passivo que desincorpora (classe 2, exceto 2.3)"
)
MSG_ARRECADACAO = (
    f"{R}: conta_vpa 3.3.2.3.1.99.00 é VPD (classe 3): a arrecadação credita VPA (classe 4), "
    "a baixa de um crédito a receber (classe 1, p. ex. dívida ativa) ou um passivo "
    "(classe 2, exceto 2.3, p. ex. operação de crédito)"
)
MSG_DEDUCAO = (
    f"{R}: conta_vpd 4.1.1.2.1.02.00 é VPA (classe 4): a dedução da receita (FUNDEB) "
    "debita VPD (classe 3, p. ex. 3.5.2.2.4)"
)
MSG_CANCELAMENTO = (
    f"{R}: conta_vpa 3.3.2.3.1.99.00 é VPD (classe 3): o cancelamento de restos a pagar "
    "credita VPA (classe 4, p. ex. 4.6.4, desincorporação de passivos)"
)
MSG_BANCO = (
    f"{R}: conta_banco 1.1.3.8.1.99.00 não é de caixa e equivalentes de caixa (1.1.1): "
    "o pagamento movimenta conta bancária ou caixa; informe a conta contábil dela "
    "(em 1.1.1) ou conta_bancaria, o código do cadastro"
)

LOA = jsonl(
    {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT_CONSUMO,
     "fonte": "1500", "valor": "50000.00"},
    {"tipo": "dotacao_inicial", "id": "D2", "data": "2026-01-02", "dotacao": DOT_EQUIPAMENTO,
     "fonte": "1500", "valor": "80000.00"},
    {"tipo": "previsao_receita", "id": "R1", "data": "2026-01-02",
     "natureza_receita": "11125001", "fonte": "1500", "valor": "200000.00"},
    {"tipo": "arrecadacao", "id": "A1", "data": "2026-02-05", "natureza_receita": "11125001",
     "fonte": "1500", "valor": "100000.00", "conta_vpa": "4.1.1.2.1.02.00", **BANCO},
    {"tipo": "empenho", "id": "E1", "data": "2026-03-02", "dotacao": DOT_CONSUMO,
     "fonte": "1500", "credor": CREDOR, "valor": "20000.00"},
    {"tipo": "empenho", "id": "E2", "data": "2026-03-02", "dotacao": DOT_EQUIPAMENTO,
     "fonte": "1500", "credor": CREDOR, "valor": "30000.00"},
)  # fmt: skip


def _liquidacao(id_: str, empenho: str, vpd: str, passivo: str = FORNECEDORES) -> dict[str, object]:
    return {
        "tipo": "liquidacao", "id": id_, "data": "2026-03-20", "empenho": empenho,
        "valor": "1000.00", "conta_vpd": vpd, "conta_passivo": passivo, "documento": "NF 1",
    }  # fmt: skip


def _arrecadacao(id_: str, vpa: str) -> dict[str, object]:
    return {
        "tipo": "arrecadacao", "id": id_, "data": "2026-03-05", "natureza_receita": "11125001",
        "fonte": "1500", "valor": "500.00", "conta_vpa": vpa, **BANCO,
    }  # fmt: skip


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    registrar(repo_pcasp, LOA)
    return repo_pcasp


# ------------------------------------------------------------ recusas, sem gravar nada
@pytest.mark.parametrize(
    ("evento", "mensagem"),
    [
        (_liquidacao("L1", "E1", SERVICOS_PJ, "2.3.7.1.1.02.00"), MSG_PL),
        (_liquidacao("L1", "E2", SERVICOS_PJ), MSG_CAPITAL),
        (_arrecadacao("A2", SERVICOS_PJ), MSG_ARRECADACAO),
        (
            {"tipo": "deducao_receita", "id": "F1", "data": "2026-03-06",
             "natureza_receita": "11125001", "fonte": "1500", "valor": "100.00",
             "conta_vpd": "4.1.1.2.1.02.00", **BANCO},
            MSG_DEDUCAO,
        ),
    ],
    ids=["passivo-pl", "capital-vpd", "arrecadacao-vpd", "deducao-vpa"],
)  # fmt: skip
def test_recusa_sem_gravar(
    repo: Repositorio, engine: Engine, evento: dict[str, object], mensagem: str
) -> None:
    antes = contagens(engine)
    # Num arquivo com um evento bom antes: tudo ou nada.
    bom = _liquidacao("L0", "E1", CONSUMO)
    assert recusa(repo, jsonl(bom, evento)) == [mensagem]
    assert contagens(engine) == antes
    itens, erros = ler_eventos_jsonl(jsonl(evento), "eventos.jsonl")
    assert erros == []
    with pytest.raises(OperacaoRecusada) as exc:  # --validar também recusa
        repo.registrar_eventos(itens, "eventos.jsonl", validar=True)
    assert [f"{e.regra}: {e.mensagem}" for e in exc.value.erros] == [mensagem]


def test_pagamento_por_conta_que_nao_e_caixa(repo: Repositorio, engine: Engine) -> None:
    registrar(repo, jsonl(_liquidacao("L1", "E1", CONSUMO)))
    antes = contagens(engine)
    pagamento: dict[str, object] = {
        "tipo": "pagamento", "id": "P1", "data": "2026-03-25", "liquidacao": "L1",
        "valor": "1000.00", "conta_banco": "1.1.3.8.1.99.00", "domicilio": DB,
    }  # fmt: skip
    assert recusa(repo, jsonl(pagamento)) == [MSG_BANCO]
    assert contagens(engine) == antes


def test_os_dois_erros_da_liquidacao_e_os_do_controle_juntos(repo: Repositorio) -> None:
    evento = {**_liquidacao("L1", "E2", SERVICOS_PJ, "2.3.7.1.1.02.00"), "valor": "99999.00"}
    assert recusa(repo, jsonl(evento)) == [
        "EXEC-LIQUIDACAO-SALDO: liquidação de 99.999,00 acima do saldo a liquidar do "
        "empenho E2 (30.000,00)",
        MSG_PL,
        MSG_CAPITAL,
    ]


def test_reprodutor_do_catalogo(repo: Repositorio) -> None:
    """O exemplo de docs/erros.md dá exatamente as linhas mostradas lá."""
    texto = (Path(__file__).resolve().parents[1] / "docs" / "erros.md").read_text("utf-8")
    secao = texto.split("## Contrapartidas dos eventos", 1)[1].split("\n## ", 1)[0]
    entrada, saida = re.findall(r"```(?:json)?\n(.*?)```", secao, re.S)
    itens, erros = ler_eventos_jsonl(entrada.splitlines(), "eventos.jsonl")
    assert erros == []
    with pytest.raises(OperacaoRecusada) as exc:
        repo.registrar_eventos(itens, "eventos.jsonl")
    assert "".join(f"{e}\n" for e in exc.value.erros) == saida


# ------------------------------------------------------------ alternativas do MCASP
def test_material_de_consumo_para_estoque_ou_vpd(repo: Repositorio) -> None:
    registrar(repo, jsonl(_liquidacao("L1", "E1", ESTOQUE), _liquidacao("L2", "E1", CONSUMO)))
    assert [p[:3] for p in partidas_gravadas(repo, "EVL1")[2:4]] == [
        (ESTOQUE, "D", 100_000),
        (FORNECEDORES, "C", 100_000),
    ]
    assert [p[:2] for p in partidas_gravadas(repo, "EVL2")[2:4]] == [
        (CONSUMO, "D"),
        (FORNECEDORES, "C"),
    ]


def test_equipamento_incorpora_o_ativo(repo: Repositorio) -> None:
    registrar(repo, jsonl(_liquidacao("L1", "E2", EQUIPAMENTO)))
    assert [p[:2] for p in partidas_gravadas(repo, "EVL1")[2:4]] == [
        (EQUIPAMENTO, "D"),
        (FORNECEDORES, "C"),
    ]


def test_arrecadacao_para_vpa_ou_baixa_de_divida_ativa(repo: Repositorio) -> None:
    registrar(repo, jsonl(_arrecadacao("A2", "4.1.1.2.1.02.00")))
    registrar(repo, jsonl(_arrecadacao("A3", "1.1.2.5.1.01.05")))
    assert [p[:2] for p in partidas_gravadas(repo, "EVA3")[2:4]] == [
        ("1.1.1.1.1.19.00", "D"),
        ("1.1.2.5.1.01.05", "C"),
    ]


# ------------------------------------------------------------ restos a pagar (2027)
def test_restos_a_pagar_seguem_as_mesmas_regras(repo: Repositorio, engine: Engine) -> None:
    repo.abrir_exercicio("prefeitura", 2027, usuario="teste")
    registrar(repo, jsonl(_liquidacao("L1", "E1", CONSUMO)))
    registrar(repo, jsonl({"tipo": "encerramento_exercicio", "id": "ENC", "data": "2026-12-31"}))
    antes = contagens(engine)
    # Liquidação do RP não processado do equipamento (roteiro liquidacao_rpnp).
    rpnp = {**_liquidacao("L2", "E2", SERVICOS_PJ), "data": "2027-02-10"}
    assert recusa(repo, jsonl(rpnp)) == [MSG_CAPITAL]
    cancelamento: dict[str, object] = {
        "tipo": "cancelamento_restos_a_pagar", "id": "C1", "data": "2027-03-01",
        "empenho": "E1", "liquidacao": "L1", "valor": "100.00", "conta_vpa": SERVICOS_PJ,
    }  # fmt: skip
    assert recusa(repo, jsonl(cancelamento)) == [MSG_CANCELAMENTO]
    assert contagens(engine) == antes
    registrar(
        repo,
        jsonl(
            {**rpnp, "conta_vpd": EQUIPAMENTO},
            {**cancelamento, "conta_vpa": "4.6.4.0.0.00.00"},
        ),
    )
    assert (EQUIPAMENTO, "D") in [p[:2] for p in partidas_gravadas(repo, "EVL2")]


# ------------------------------------------------------------ motor: o controle não muda
def test_recusado_nao_muda_o_controle() -> None:
    plano, roteiros = plano_base(), roteiros_padrao()
    fonte = FonteRecurso("1", "500", "")
    c = ControleOrcamentario()
    d = dt.date(2026, 3, 10)
    for ev in (
        DotacaoInicial("D2", "prefeitura", d, DOT_EQUIPAMENTO, fonte, 3_000_000),
        Empenho("E2", "prefeitura", d, DOT_EQUIPAMENTO, fonte, CREDOR, 1_000_000),
    ):
        assert executar(c, ev, roteiros, plano)[1] == []
    liq = Liquidacao("L1", "prefeitura", d, "E2", 100_000, SERVICOS_PJ, FORNECEDORES, "NF")
    lanc, erros = executar(c, liq, roteiros, plano)
    assert lanc is None and [e.regra for e in erros] == [R]
    assert erros[0].campo == "conta_vpd"
    assert c.empenhos[("prefeitura", "E2")].liquidado == 0
    assert ("prefeitura", "L1") not in c.liquidacoes and ("prefeitura", "L1") not in c.eventos
    lanc, erros = executar(c, liq._replace(conta_vpd=EQUIPAMENTO), roteiros, plano)
    assert lanc is not None and erros == []
    assert c.empenhos[("prefeitura", "E2")].liquidado == 100_000


# ------------------------------------------------------------ regra pura
class _Emp(NamedTuple):
    dotacao: str


def _dot(natureza: str) -> str:
    return f"0201.12.361.0001.2001.{natureza}"


def _regras(natureza: str, vpd: str, passivo: str = "2.1.3.1.1.01.01") -> list[str]:
    empenhos = {("p", "E"): _Emp(_dot(natureza))}
    ev = Liquidacao("L", "p", dt.date(2026, 1, 1), "E", 1, vpd, passivo, "NF")
    return [e.campo or "" for e in contrapartidas.conferir(ev, empenhos)]


@pytest.mark.parametrize(
    ("natureza", "vpd", "campos"),
    [
        # Corrente: VPD, ativo (estoque, adiantamento) ou passivo já reconhecido
        # (13º e férias apropriados por competência); nunca 4–8 nem 2.3.
        ("33903000", "3.3.1.1.1.16.00", []),
        ("33903000", "1.1.5.6.1.01.00", []),
        ("31901101", "2.1.1.1.1.01.02", []),
        ("33903000", "2.3.7.1.1.02.00", ["conta_vpd"]),
        ("33903000", "4.1.1.2.1.02.00", ["conta_vpd"]),
        ("33903000", "6.2.2.1.3.01.00", ["conta_vpd"]),
        # Capital por aplicação direta, investimentos e inversões: ativo ou passivo.
        ("44905200", "1.2.3.1.1.01.01", []),
        ("44905100", "1.2.3.2.1.06.01", []),
        ("45906100", "1.2.3.2.1.01.00", []),
        ("44905200", "2.1.3.1.1.01.01", []),
        ("44905200", "3.3.2.3.1.99.00", ["conta_vpd"]),
        ("44915200", "3.3.2.3.1.99.00", ["conta_vpd"]),
        ("44955200", "3.3.2.3.1.99.00", ["conta_vpd"]),
        # Amortização da dívida por aplicação direta: só a dívida.
        ("46907100", "2.2.2.1.1.00.00", []),
        ("46907100", "1.2.3.1.1.01.01", ["conta_vpd"]),
        ("46907100", "3.4.1.1.1.00.00", ["conta_vpd"]),
        # Transferências de capital a outros entes: VPD (ou ativo, passivo).
        ("44405100", "3.5.2.1.1.00.00", []),
        ("46407100", "3.5.2.1.1.00.00", []),
    ],
)
def test_liquidacao_pela_natureza_da_despesa(natureza: str, vpd: str, campos: list[str]) -> None:
    assert _regras(natureza, vpd) == campos


@pytest.mark.parametrize(
    ("ativo", "vpd", "pl"),
    [
        # Plano estendido do TCE-RS (12 níveis), pontuado truncado e só dígitos.
        ("1.2.3.1.1.01.00.00.00.00.00.000", "3.3.2.3.1.99.00.00.00.00.00.000",
         "2.3.7.1.1.02.00.00.00.00.00.000"),
        ("1.2.3", "3.3.2", "2.3.7"),
        ("12311", "33231", "23711"),
    ],
)  # fmt: skip
def test_classifica_pelos_digitos_iniciais(ativo: str, vpd: str, pl: str) -> None:
    assert _regras("44905200", ativo) == []
    assert _regras("44905200", vpd) == ["conta_vpd"]
    assert _regras("33903000", vpd, pl) == ["conta_passivo"]


def test_passivo_da_liquidacao() -> None:
    for ruim in ("2.3.7.1.1.02.00", "1.1.1.1.1.19.00", "3.3.2.3.1.99.00", "8.2.1.1.3.01.00"):
        assert _regras("33903000", SERVICOS_PJ, ruim) == ["conta_passivo"]
    assert _regras("33903000", SERVICOS_PJ, "2.1.8.8.1.01.03") == []


def test_sem_empenho_ou_codigo_que_nao_e_numero_fica_para_o_controle_e_o_roteiro() -> None:
    ev = Liquidacao("L", "p", dt.date(2026, 1, 1), "X", 1, SERVICOS_PJ, "", "NF")
    assert contrapartidas.conferir(ev, {}) == []  # o controle diz que o empenho não existe
    assert contrapartidas.conferir(ev._replace(conta_vpd="4.1.1"), {})[0].campo == "conta_vpd"
    assert contrapartidas.conferir(ev._replace(conta_passivo="2.x"), {}) == []


def _campos(ev: object) -> list[str | None]:
    erros: list[Erro] = contrapartidas.conferir(ev, {})  # type: ignore[arg-type]
    return [e.campo for e in erros]


def test_arrecadacao_deducao_cancelamento_e_bancos() -> None:
    d, fonte = dt.date(2026, 1, 1), FonteRecurso("1", "500", "")
    arr = Arrecadacao("A", "p", d, "11125001", fonte, 1, "1.1.1.1.1.19.00", DB, "p", "")
    for boa in ("4.1.1.2.1.02.00", "1.1.2.5.1.01.05", "2.1.2.1.1.00.00", "2.2.2.1.1"):
        assert _campos(arr._replace(conta_vpa=boa)) == []
    for ruim in ("3.3.2.3.1.99.00", "2.3.7.1.1.02.00", "5.2.1.1.1.00.00", "7.2.1.1.1"):
        assert _campos(arr._replace(conta_vpa=ruim)) == ["conta_vpa"]
    assert _campos(arr._replace(conta_vpa="4.1", conta_banco="1.1.2.5.1.01.05")) == ["conta_banco"]
    ded = DeducaoReceita("F", "p", d, "11125001", fonte, 1, "1.1.1.1.1.19.00", DB, "p")
    assert _campos(ded) == []  # a VPD padrão, 3.5.2.2.4 (FUNDEB)
    assert _campos(ded._replace(conta_vpd="1.1.3.8.1.99.00")) == ["conta_vpd"]
    canc = CancelamentoRestosAPagar("C", "p", d, "E", 1)
    assert _campos(canc) == []  # a VPA padrão, 4.6.4
    assert _campos(canc._replace(conta_vpa="2.1.3.1.1.01.01")) == ["conta_vpa"]
    pag = Pagamento("P", "p", d, "L", 1, "1.1.1.1.1.06.01.00.00.00.00.000", DB, "p")
    assert _campos(pag) == []
    assert _campos(pag._replace(conta_banco="1.1.4")) == ["conta_banco"]
    assert _campos(pag._replace(conta_banco="")) == []  # do cadastro, resolvida depois
    ing = IngressoExtra("I", "p", d, fonte, CREDOR, 1, "2.1.8.8.1.01.03", "2.1.8.8.1.01.03")
    assert _campos(ing) == ["conta_banco"]
    pex = PagamentoExtra("X", "p", d, fonte, CREDOR, 1, "2.1.8.8.1.01.03", "1.1.1.1.1.01.00")
    assert _campos(pex) == []
