"""Catálogo de erros (docs/erros.md): cada código usado no fonte está documentado,
e cada reprodutor de ``tests/erros/`` produz exatamente as mensagens esperadas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from erario.consolidacao.formato import ler_bytes
from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.razao import carga
from erario.storage.repositorio import Repositorio
from tests.test_controle_persistido import PRELUDIO

RAIZ = Path(__file__).resolve().parents[1]
PASTA = Path(__file__).parent / "erros"
REPRODUTORES = sorted(p for p in PASTA.iterdir() if p.suffix in (".csv", ".jsonl"))
# Eventos em JSON Lines, registrados depois de ``PRELUDIO`` (EXEC, ORC, RET).
EVENTOS = sorted((PASTA / "eventos").glob("*.jsonl"))
# Documentos de troca da consolidação (CON), lidos por ``ler_bytes``.
DOCUMENTOS = sorted((PASTA / "consolidacao").glob("*.json"))


def _codigos_no_fonte() -> set[str]:
    codigos: set[str] = set()
    for arquivo in (RAIZ / "src" / "erario").rglob("*.py"):
        codigos |= set(
            re.findall(
                r'"((?:LANC|ESTORNO|CARGA|PLANO|ENT|EXE|EXEC|COMP|BAL|VER|ORC|ROTEIRO|EVENTO|CAD|RET|LEI|ESF|CON|CONC|MIG|REL|SIOPS|FCONT|WEB)-[A-Z0-9-]+)"',
                arquivo.read_text(),
            )
        )
    return codigos


def test_todo_codigo_do_fonte_esta_no_catalogo() -> None:
    catalogo = set(
        re.findall(r"^\| ([A-Z]+-[A-Z0-9-]+) \|", (RAIZ / "docs" / "erros.md").read_text(), re.M)
    )
    no_fonte = _codigos_no_fonte()
    assert no_fonte - catalogo == set(), "códigos sem documentação"
    assert catalogo - no_fonte == set(), "códigos documentados que o fonte não usa"


def test_todo_reprodutor_citado_existe() -> None:
    citados = set(re.findall(r"`tests/erros/([^`]+)`", (RAIZ / "docs" / "erros.md").read_text()))
    assert citados == {
        p.relative_to(PASTA).as_posix() for p in (*REPRODUTORES, *EVENTOS, *DOCUMENTOS)
    }


@pytest.mark.parametrize("arquivo", REPRODUTORES, ids=lambda p: p.name)
def test_reprodutor(repo: Repositorio, arquivo: Path) -> None:
    with arquivo.open(encoding="utf-8") as f:
        if arquivo.suffix == ".jsonl":
            lote = carga.ler_lancamentos_jsonl(f, arquivo.name)
        else:
            lote = carga.ler_lancamentos_csv(f, arquivo.name)
    erros = lote.erros + repo.validar_lote(lote.lancamentos, lote.linhas, arquivo.name)
    erros.sort(key=lambda e: e.linha or 0)
    obtido = "".join(f"{e}\n" for e in erros)
    esperado = arquivo.with_suffix(".esperado").read_text(encoding="utf-8")
    assert obtido == esperado
    assert erros, "todo reprodutor deve produzir ao menos um erro"


@pytest.mark.parametrize("arquivo", EVENTOS, ids=lambda p: p.name)
def test_reprodutor_eventos(repo_pcasp: Repositorio, arquivo: Path) -> None:
    preludio = [json.dumps({"entidade": "prefeitura", **ev}) for ev in PRELUDIO]
    itens, erros = ler_eventos_jsonl(preludio, "preludio.jsonl")
    repo_pcasp.registrar_eventos(itens, "preludio.jsonl")
    with arquivo.open(encoding="utf-8") as f:
        itens, erros = ler_eventos_jsonl(f, arquivo.name)
    if not erros:
        with pytest.raises(OperacaoRecusada) as recusa:
            repo_pcasp.registrar_eventos(itens, arquivo.name)
        erros = list(recusa.value.erros)
    obtido = "".join(f"{e}\n" for e in erros)
    assert obtido == arquivo.with_suffix(".esperado").read_text(encoding="utf-8")
    assert erros, "todo reprodutor deve produzir ao menos um erro"


@pytest.mark.parametrize("arquivo", DOCUMENTOS, ids=lambda p: p.name)
def test_reprodutor_documento_de_troca(arquivo: Path) -> None:
    balancete, erros = ler_bytes(arquivo.read_bytes(), arquivo.name)
    assert balancete is None
    obtido = "".join(f"{e}\n" for e in erros)
    assert obtido == arquivo.with_suffix(".esperado").read_text(encoding="utf-8")
