"""Estrutura da CLI: ``app.py`` só monta, nenhum módulo da CLI importa ``app``
(sem ciclos) e a ajuda não carrega o que não usa (banco, Alembic, HTTP, XLSX, PDF).
Tempo de partida fica em ``bench/bench_partida.py``, não aqui."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import erario.cli

CLI = Path(erario.cli.__file__).parent
PESADOS = ("sqlalchemy", "alembic", "httpx", "fastapi", "openpyxl", "fpdf", "rich.progress")


def _importados(arquivo: Path) -> set[str]:
    nomes: set[str] = set()
    for no in ast.walk(ast.parse(arquivo.read_text(encoding="utf-8"))):
        if isinstance(no, ast.ImportFrom) and no.module:
            nomes.add(no.module)
            if no.module == "erario.cli":
                nomes.update(f"erario.cli.{a.name}" for a in no.names)
        elif isinstance(no, ast.Import):
            nomes.update(a.name for a in no.names)
    return nomes


def test_nenhum_modulo_da_cli_importa_app() -> None:
    modulos = sorted(p for p in CLI.glob("*.py") if p.name != "app.py")
    assert len(modulos) >= 15
    for p in modulos:
        assert "erario.cli.app" not in _importados(p), p.name


def test_app_so_monta() -> None:
    arvore = ast.parse((CLI / "app.py").read_text(encoding="utf-8"))
    funcoes = [n.name for n in arvore.body if isinstance(n, ast.FunctionDef)]
    assert funcoes == ["_principal", "main"]  # o callback do --db e a entrada


def _carregados(*args: str) -> list[str]:
    codigo = (
        "import sys\n"
        f"sys.argv = ['erario', *{list(args)!r}]\n"
        "from erario.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('CARREGADOS:' + ','.join(m for m in {PESADOS!r} if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True)
    linha = r.stdout.strip().splitlines()[-1]
    assert linha.startswith("CARREGADOS:"), r.stdout
    return [m for m in linha.removeprefix("CARREGADOS:").split(",") if m]


def test_ajuda_nao_carrega_banco_nem_escritores() -> None:
    assert _carregados("--help") == []
    assert _carregados("balancete", "--help") == []


def test_balancete_nao_carrega_alembic_http_nem_escritores(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.db'}"
    subprocess.run(
        [sys.executable, "-c", "from erario.cli.app import main; main()", "--db", url, "iniciar"],
        check=True,
        capture_output=True,
    )
    # Banco já na versão mais nova: o esquema é conferido sem carregar o Alembic.
    assert _carregados("--db", url, "balancete", "x", "--mes", "2026-01") == ["sqlalchemy"]
