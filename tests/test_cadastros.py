"""Cadastros de credores e contas bancárias, e eventos que citam a conta bancária."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from erario.core.erros import OperacaoRecusada
from erario.execucao.cadastros import CODIGO_CAIXA, TipoContaBancaria, TipoPessoa
from erario.execucao.carga import ler_eventos_jsonl
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl
from tests.test_eventos import ANO, DB, DOT, _saldo

CADASTROS = [
    json.dumps(linha)
    for linha in (
        {
            "cadastro": "credor",
            "documento": "11.222.333/0001-81",
            "nome": "Limpeza Urbana Ltda",
            "simples": True,
            "endereco": "Rua A, 1",
        },
        {"cadastro": "credor", "documento": "52998224725", "nome": "Maria da Silva"},
        {
            "cadastro": "conta_bancaria",
            "entidade": "prefeitura",
            "codigo": DB,
            "tipo": "movimento",
            "fonte": "1500",
            "conta_contabil": "1.1.1.1.1.19",
            "banco": "001",
            "agencia": "1234",
            "agencia_dv": "5",
            "conta": "67890",
            "conta_dv": "1",
        },
        {
            "cadastro": "conta_bancaria",
            "entidade": "prefeitura",
            "codigo": CODIGO_CAIXA,
            "tipo": "caixa",
            "fonte": "1500",
            "conta_contabil": "1.1.1.1.1.01",
        },
        {
            "cadastro": "conta_bancaria",
            "entidade": "camara",
            "codigo": "041-0987-112233",
            "tipo": "movimento",
            "fonte": "1500",
            "conta_contabil": "1.1.1.1.1.19.00",
            "banco": "041",
            "agencia": "0987",
            "conta": "112233",
        },
    )
]


def test_cadastros_gravados_e_atualizados(repo_pcasp: Repositorio) -> None:
    assert repo_pcasp.registrar_cadastros(CADASTROS, "c.jsonl")[:2] == (2, 3)
    credores = {c.documento: c for c in repo_pcasp.credores()}
    assert credores["11222333000181"].tipo == TipoPessoa.PJ and credores["11222333000181"].simples
    assert credores["52998224725"].tipo == TipoPessoa.PF
    contas = repo_pcasp.contas_bancarias("prefeitura")
    assert [(c.codigo, c.tipo, c.conta_contabil) for c in contas] == [
        (DB, TipoContaBancaria.MOVIMENTO, "1.1.1.1.1.19.00"),
        ("1-1", TipoContaBancaria.CAIXA, "1.1.1.1.1.01.00"),
    ]
    # recarregar atualiza (endereço novo), sem duplicar
    novo = json.dumps(
        {
            "cadastro": "credor",
            "documento": "11222333000181",
            "nome": "Limpeza Urbana Ltda",
            "endereco": "Rua B, 2",
        }
    )
    assert repo_pcasp.registrar_cadastros([novo], "d.jsonl")[:2] == (1, 0)
    credores = {c.documento: c for c in repo_pcasp.credores()}
    assert len(credores) == 2 and credores["11222333000181"].endereco == "Rua B, 2"


def test_cadastros_com_erros_relatam_todas_as_linhas(repo_pcasp: Repositorio) -> None:
    linhas = [
        json.dumps({"cadastro": "credor", "documento": "11222333000180", "nome": "X"}),
        json.dumps(
            {"cadastro": "credor", "documento": "52998224725", "nome": "Maria", "simples": True}
        ),
        json.dumps(
            {
                "cadastro": "conta_bancaria",
                "entidade": "prefeitura",
                "codigo": "9",
                "fonte": "1500",
                "conta_contabil": "2.1.3",
                "banco": "x",
            }
        ),
        json.dumps(
            {
                "cadastro": "conta_bancaria",
                "entidade": "prefeitura",
                "codigo": "CX",
                "tipo": "caixa",
                "fonte": "1500",
                "conta_contabil": "1.1.1.1.1.01",
            }
        ),
        "{}",
    ]
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_cadastros(linhas, "e.jsonl")
    assert [(e.linha, e.regra, e.campo) for e in exc.value.erros] == [
        (1, "CAD-CAMPO", "documento"),
        (2, "CAD-CAMPO", "simples"),
        (3, "CAD-CAMPO", "conta_contabil"),
        (3, "CAD-CAMPO", "banco"),
        (3, "CAD-CAMPO", "agencia"),
        (3, "CAD-CAMPO", "conta"),
        (4, "CAD-CAMPO", "codigo"),
        (5, "CAD-JSON", "cadastro"),
    ]
    assert repo_pcasp.credores() == [] and repo_pcasp.contas_bancarias() == []


def test_evento_pela_conta_bancaria_do_cadastro(repo_pcasp: Repositorio, engine: Engine) -> None:
    repo_pcasp.registrar_cadastros(CADASTROS, "c.jsonl")
    # O ano de teste com o pagamento trocado para citar a conta do cadastro.
    ano = [json.loads(x) for x in ANO]
    for ev in ano:
        if ev["tipo"] == "pagamento":
            del ev["conta_banco"], ev["domicilio"]
            ev["conta_bancaria"] = DB
    itens, erros = ler_eventos_jsonl([json.dumps(e) for e in ano], "a.jsonl")
    assert erros == []
    repo_pcasp.registrar_eventos(itens, "a.jsonl")
    assert _saldo(repo_pcasp, "1.1.1.1.1.19.00") == 100_000  # 5.000,00 − 4.000,00, como antes
    pag = repo_pcasp.lancamento("prefeitura", "EVP1")
    assert [p.conta_corrente for p in pag.partidas if p.conta == "1.1.1.1.1.19.00"] == [
        f"FR=1500|DB={DB}"
    ]
    outra = jsonl(
        {
            "tipo": "pagamento",
            "id": "P2",
            "data": "2026-03-26",
            "liquidacao": "L1",
            "valor": "1.00",
            "conta_bancaria": "041-0987-112233",
        },
        {
            "tipo": "pagamento",
            "id": "P3",
            "data": "2026-03-26",
            "liquidacao": "L1",
            "valor": "1.00",
            "conta_bancaria": "999",
        },
        {
            "tipo": "pagamento",
            "id": "P4",
            "data": "2026-03-26",
            "liquidacao": "L1",
            "valor": "1.00",
        },
    )
    itens, erros = ler_eventos_jsonl(outra, "b.jsonl")
    assert [(e.linha, e.regra) for e in erros] == [(3, "EVENTO-CAMPO")]
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_eventos(itens, "b.jsonl")
    assert [(e.linha, e.regra) for e in exc.value.erros] == [
        (1, "EXEC-CONTA-BANCARIA"),
        (2, "CAD-CONTA-BANCARIA"),
    ]
    assert DOT  # a dotação do ano de teste


def test_transferencia_financeira_lanca_nas_duas_entidades(repo_pcasp: Repositorio) -> None:
    repo_pcasp.abrir_exercicio("camara", 2026, usuario="teste")
    repo_pcasp.registrar_cadastros(CADASTROS, "c.jsonl")
    duodecimo = jsonl(
        {
            "tipo": "transferencia_financeira",
            "id": "T1",
            "data": "2026-03-12",
            "fonte": "1500",
            "valor": "95000.00",
            "entidade_destino": "camara",
            "conta_bancaria": DB,
            "conta_bancaria_destino": "041-0987-112233",
        },
    )
    itens, erros = ler_eventos_jsonl(duodecimo, "t.jsonl")
    assert erros == []
    assert tuple(repo_pcasp.registrar_eventos(itens, "t.jsonl"))[:3] == (1, 2, 8)
    concedida = repo_pcasp.lancamento("prefeitura", "EVT1")
    recebida = repo_pcasp.lancamento("camara", "EVT1")
    assert [(p.conta, p.dc, p.centavos, p.conta_corrente) for p in concedida.partidas] == [
        ("3.5.1.1.2.02.00", "D", 9_500_000, ""),
        ("1.1.1.1.1.19.00", "C", 9_500_000, f"FR=1500|DB={DB}"),
        ("8.2.1.1.1.01.00", "D", 9_500_000, "FR=1500"),
        ("8.2.1.1.4.02.00", "C", 9_500_000, "FR=1500"),
    ]
    assert [(p.conta, p.dc, p.centavos, p.conta_corrente) for p in recebida.partidas] == [
        ("1.1.1.1.1.19.00", "D", 9_500_000, "FR=1500|DB=041-0987-112233"),
        ("4.5.1.1.2.02.00", "C", 9_500_000, ""),
        ("7.2.1.1.1.00.00", "D", 9_500_000, "FR=1500"),
        ("8.2.1.1.1.01.00", "C", 9_500_000, "FR=1500"),
    ]
    # estorno desfaz nas duas entidades
    estorno = jsonl({"tipo": "estorno", "id": "X1", "data": "2026-03-13", "evento": "T1"})
    assert tuple(repo_pcasp.registrar_eventos(ler_eventos_jsonl(estorno, "x")[0], "x"))[:3] == (
        1,
        2,
        8,
    )
    assert repo_pcasp.lancamento("camara", "EVX1").estornado == "EVT1"
    assert repo_pcasp.verificar() == []
    # para a própria entidade, ou com a conta de destino de outra entidade: recusado
    ruins = jsonl(
        {
            "tipo": "transferencia_financeira",
            "id": "T2",
            "data": "2026-03-12",
            "fonte": "1500",
            "valor": "1.00",
            "entidade_destino": "prefeitura",
            "conta_bancaria": DB,
            "conta_bancaria_destino": DB,
        },
        {
            "tipo": "transferencia_financeira",
            "id": "T3",
            "data": "2026-03-12",
            "fonte": "1500",
            "valor": "1.00",
            "entidade_destino": "camara",
            "conta_bancaria": DB,
            "conta_bancaria_destino": DB,
        },
    )
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_eventos(ler_eventos_jsonl(ruins, "r")[0], "r")
    assert [(e.linha, e.regra) for e in exc.value.erros] == [
        (1, "EXEC-TRANSFERENCIA"),
        (2, "EXEC-CONTA-BANCARIA"),
    ]
