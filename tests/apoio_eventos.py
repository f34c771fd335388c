"""Apoio aos testes de eventos gravados: linhas JSON Lines da prefeitura, registro
(e recusa) pelo repositório, contagens no banco e partidas dos lançamentos."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select

from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.razao.modelo import Lancamento
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio, ResumoEventos


def jsonl(*eventos: dict[str, object]) -> list[str]:
    """Uma linha JSON por evento, todos da entidade ``prefeitura``."""
    return [json.dumps({"entidade": "prefeitura", **ev}) for ev in eventos]


def registrar(repo: Repositorio, linhas: list[str]) -> ResumoEventos:
    """Lê as linhas (sem erro de leitura) e grava os eventos."""
    itens, erros = ler_eventos_jsonl(linhas, "eventos.jsonl")
    assert erros == []
    return repo.registrar_eventos(itens, "eventos.jsonl")


def recusa(repo: Repositorio, linhas: list[str]) -> list[str]:
    """Lê as linhas (sem erro de leitura) e devolve os erros da gravação recusada."""
    itens, erros = ler_eventos_jsonl(linhas, "eventos.jsonl")
    assert erros == []
    with pytest.raises(OperacaoRecusada) as exc:
        repo.registrar_eventos(itens, "eventos.jsonl")
    return [f"{e.regra}: {e.mensagem}" for e in exc.value.erros]


def contagens(engine: Engine) -> tuple[int, int]:
    """Eventos e lançamentos gravados no banco."""
    with engine.connect() as con:
        return (
            con.execute(select(func.count()).select_from(t.evento)).scalar_one(),
            con.execute(select(func.count()).select_from(t.lancamento)).scalar_one(),
        )


def partidas(lanc: Lancamento) -> list[tuple[str, str, int, str]]:
    """Conta, D/C, centavos e conta corrente de cada partida do lançamento."""
    return [(p.conta, p.dc, p.centavos, p.conta_corrente) for p in lanc.partidas]


def partidas_gravadas(repo: Repositorio, numero: str) -> list[tuple[str, str, int, str]]:
    """As ``partidas`` do lançamento ``numero`` gravado na prefeitura."""
    return partidas(repo.lancamento("prefeitura", numero))
