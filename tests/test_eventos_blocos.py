"""Eventos gravados em blocos (``registrar_eventos(..., tamanho_bloco=n)``).

A carga em fluxo deve dar o mesmo banco, os mesmos erros e o mesmo resumo para
qualquer tamanho de bloco: estorno e encerramento que dependem de blocos
anteriores, erros em blocos diferentes, ``validar=True``. SQLite e PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, Engine, func, select

from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.carga import iterar_eventos_jsonl, ler_eventos_jsonl
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio, ResumoEventos
from tests.apoio_eventos import contagens, jsonl
from tests.test_cadastros import CADASTROS
from tests.test_eventos import ANO, DB, _saldo
from tests.test_restos import ENCERRA_2026, EXERCICIO_2026, RESTOS_2027

TAMANHOS = (1, 2, 3, 20_000)


class _Desfazer(Exception):
    """Sai de ``transacao_unica`` desfazendo a carga (retrato tirado antes)."""


def _retrato(con: Connection) -> dict[str, list[tuple[Any, ...]]]:
    def linhas(tabela: Any, *ordem: Any) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in con.execute(select(tabela).order_by(*ordem))]

    return {
        "evento": linhas(t.evento, t.evento.c.id),
        "lancamento": linhas(t.lancamento, t.lancamento.c.id),
        "partida": linhas(t.partida, t.partida.c.lancamento_id, t.partida.c.seq),
        "saldo": linhas(t.saldo, *t.saldo.primary_key.columns),
        "competencia": linhas(t.competencia, *t.competencia.primary_key.columns),
    }


def _carga(
    repo: Repositorio, linhas: list[str], tamanho: int
) -> tuple[ResumoEventos, dict[str, list[tuple[Any, ...]]]]:
    """Resumo e retrato do banco depois da carga, que em seguida é desfeita."""
    itens, erros = ler_eventos_jsonl(linhas, "e.jsonl")
    assert erros == []
    saida: list[Any] = []
    with pytest.raises(_Desfazer), repo.transacao_unica():
        saida.append(repo.registrar_eventos(itens, "e.jsonl", tamanho_bloco=tamanho))
        assert repo.sessao.carga_aberta is not None
        saida.append(_retrato(repo.sessao.carga_aberta))
        raise _Desfazer
    return saida[0], saida[1]


def _erros(
    repo: Repositorio, linhas: list[str], tamanho: int, *, validar: bool = False
) -> list[str]:
    leitura: list[Erro] = []
    itens = iterar_eventos_jsonl(linhas, "e.jsonl", leitura)
    with pytest.raises(OperacaoRecusada) as exc:
        repo.registrar_eventos(
            itens, "e.jsonl", validar=validar, erros_leitura=leitura, tamanho_bloco=tamanho
        )
    return [str(e) for e in exc.value.erros]


def _mesmo_para_todos(repo: Repositorio, linhas: list[str]) -> ResumoEventos:
    resumo, retrato = _carga(repo, linhas, TAMANHOS[-1])
    assert retrato["lancamento"] and retrato["evento"]
    for tamanho in TAMANHOS[:-1]:
        assert _carga(repo, linhas, tamanho) == (resumo, retrato), tamanho
    return resumo


# Estornos do pagamento (linha 7), da liquidação (10) e da transferência (11), que
# lança nas duas entidades: os originais ficam em blocos anteriores.
ESTORNOS = [
    *ANO,
    *jsonl(
        {"tipo": "estorno", "id": "X1", "data": "2026-03-26", "evento": "P1"},
        {
            "tipo": "transferencia_financeira",
            "id": "T1",
            "data": "2026-03-12",
            "fonte": "1500",
            "valor": "950.00",
            "entidade_destino": "camara",
            "conta_bancaria": DB,
            "conta_bancaria_destino": "041-0987-112233",
        },
        {"tipo": "arrecadacao", "id": "A2", "data": "2026-03-14", "natureza_receita": "11125001",
         "fonte": "1500", "valor": "1.00", "conta_vpa": "4.1.1.2.1.02.00",
         "conta_bancaria": DB},
        {"tipo": "estorno", "id": "X2", "data": "2026-03-27", "evento": "L1"},
        {"tipo": "estorno", "id": "X3", "data": "2026-03-13", "evento": "T1"},
    ),
]  # fmt: skip


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    repo_pcasp.abrir_exercicio("camara", 2026, usuario="teste")
    repo_pcasp.abrir_exercicio("prefeitura", 2027, usuario="teste")
    repo_pcasp.registrar_cadastros(CADASTROS, "c.jsonl")
    return repo_pcasp


def test_estornos_de_eventos_de_blocos_anteriores(repo: Repositorio, engine: Engine) -> None:
    resumo = _mesmo_para_todos(repo, ESTORNOS)
    # 11 eventos; a transferência e o seu estorno lançam nas duas entidades
    assert resumo[:3] == (11, 13, resumo.partidas)
    # em blocos de 1 evento, gravados de fato
    itens, _ = ler_eventos_jsonl(ESTORNOS, "e.jsonl")
    assert repo.registrar_eventos(itens, "e.jsonl", tamanho_bloco=1) == resumo
    assert _saldo(repo, "6.2.2.1.3.04.00") == 0  # pagamento estornado
    assert _saldo(repo, "6.2.2.1.3.03.00") == 0  # liquidação estornada
    assert repo.lancamento("camara", "EVX3").estornado == "EVT1"
    assert repo.lancamento("prefeitura", "EVX1").estornado == "EVP1"
    with engine.connect() as con:
        ligados = con.execute(
            select(t.evento.c.codigo, t.evento.c.estornado_id).where(
                t.evento.c.estornado_id.is_not(None)
            )
        ).all()
        ids = dict(con.execute(select(t.evento.c.codigo, t.evento.c.id)).all())
    assert sorted(ligados) == [("X1", ids["P1"]), ("X2", ids["L1"]), ("X3", ids["T1"])]
    assert repo.verificar() == []


def test_encerramento_depois_de_blocos_gravados(repo: Repositorio) -> None:
    # encerramento de 2026 (linha 10) depois de 9 eventos; a execução dos restos em 2027
    resumo = _mesmo_para_todos(repo, [*EXERCICIO_2026, *ENCERRA_2026, *RESTOS_2027])
    assert resumo[:2] == (15, 19)  # o encerramento gera 5 lançamentos
    itens, _ = ler_eventos_jsonl([*EXERCICIO_2026, *ENCERRA_2026, *RESTOS_2027], "e.jsonl")
    assert repo.registrar_eventos(itens, "e.jsonl", tamanho_bloco=2) == resumo
    assert {c.situacao.value for c in repo.competencias("prefeitura", 2026)} == {"fechada"}
    assert repo.verificar() == []


def test_erros_em_blocos_diferentes_todos_relatados(repo: Repositorio, engine: Engine) -> None:
    antes = contagens(engine)
    ruins = list(ESTORNOS)
    # linha 3: empenho acima da dotação; linha 8: JSON inválido; linha 9: id repetido
    ruins[2] = ruins[2].replace('"30000.00"', '"300000.00"')
    ruins[7] = "{não é json"
    ruins[8] = ruins[8].replace('"A2"', '"A1"')
    # o mesmo que a versão sem blocos relatava
    esperado = [
        "e.jsonl, linha 3, campo valor: [EXEC-DOTACAO-SALDO] empenho de 300.000,00 acima do "
        "crédito disponível da dotação 0201.12.361.0001.2001.33903900 (100.000,00)",
        "e.jsonl, linha 4, campo empenho: [EXEC-EMPENHO] empenho E1 não existe",
        "e.jsonl, linha 5, campo liquidacao: [EXEC-LIQUIDACAO] liquidação L1 não existe",
        "e.jsonl, linha 7, campo evento: [EXEC-ESTORNO] evento P1 não existe",
        "e.jsonl, linha 8: [EVENTO-JSON] JSON inválido: Expecting property name enclosed in "
        "double quotes",
        "e.jsonl, linha 9, campo id: [EXEC-ID] evento A1 já registrado na entidade",
        "e.jsonl, linha 10, campo evento: [EXEC-ESTORNO] evento L1 não existe",
        "e.jsonl, linha 11, campo evento: [EXEC-ESTORNO] evento T1 não existe",
    ]
    for tamanho in TAMANHOS:
        for validar in (False, True):
            assert _erros(repo, ruins, tamanho, validar=validar) == esperado, (tamanho, validar)
    assert contagens(engine) == antes


def test_erro_no_primeiro_bloco_nao_muda_a_conferencia_dos_seguintes(repo: Repositorio) -> None:
    # Sem gravar depois do erro, estornos e encerramento dos blocos seguintes ainda
    # veem os lançamentos aceitos antes (guardados na memória): só o erro real.
    linhas = [
        *jsonl({"tipo": "estorno", "id": "X0", "data": "2026-01-02", "evento": "NADA"}),
        *ESTORNOS,
        *ENCERRA_2026,
    ]
    esperado = ["e.jsonl, linha 1, campo evento: [EXEC-ESTORNO] evento NADA não existe"]
    for tamanho in TAMANHOS:
        for validar in (False, True):
            assert _erros(repo, linhas, tamanho, validar=validar) == esperado, (tamanho, validar)


def test_validar_nada_grava_e_da_o_mesmo_resumo(repo: Repositorio, engine: Engine) -> None:
    linhas = [*ESTORNOS, *ENCERRA_2026]
    resumo, _ = _carga(repo, linhas, 20_000)
    antes = contagens(engine)
    for tamanho in TAMANHOS:
        itens, _ = ler_eventos_jsonl(linhas, "e.jsonl")
        assert repo.registrar_eventos(itens, "e.jsonl", validar=True, tamanho_bloco=tamanho) == (
            resumo
        )
    assert contagens(engine) == antes
    with engine.connect() as con:
        assert con.execute(select(func.count()).select_from(t.saldo)).scalar_one() == 0


def test_recusa_dentro_de_transacao_unica_nao_deixa_blocos(
    repo: Repositorio, engine: Engine
) -> None:
    # Os primeiros blocos chegam a ser gravados antes do erro (linha 11): a recusa
    # os desfaz mesmo se quem chama segue a transação.
    antes = contagens(engine)
    ruins = [
        *ESTORNOS[:-1],
        *jsonl({"tipo": "estorno", "id": "X3", "data": "2026-03-13", "evento": "NADA"}),
    ]
    itens, _ = ler_eventos_jsonl(ruins, "e.jsonl")
    with repo.transacao_unica(), pytest.raises(OperacaoRecusada):
        repo.registrar_eventos(itens, "e.jsonl", tamanho_bloco=2)
    assert contagens(engine) == antes


def test_progresso_recebe_a_ultima_linha_de_cada_bloco(repo: Repositorio) -> None:
    """11 eventos em blocos de 4: o progresso anda por bloco até a última linha."""
    vistos: list[int] = []
    itens, _ = ler_eventos_jsonl(ESTORNOS, "e.jsonl")
    repo.registrar_eventos(itens, "e.jsonl", tamanho_bloco=4, progresso=vistos.append)
    assert vistos == [4, 8, 11]
