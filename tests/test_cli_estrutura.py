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
    # o callback do --db, a montagem (tudo ou só o comando pedido) e a entrada
    assert funcoes == ["_principal", "montar", "_comando_pedido", "main", "__getattr__"]


def test_so_o_comando_pedido_e_montado() -> None:
    from erario.cli.app import COMANDOS, _comando_pedido, montar

    assert _comando_pedido(["--db", "x.db", "balancete", "p"]) == "balancete"
    assert _comando_pedido(["--db=x.db", "servidor", "iniciar"]) == "servidor"
    assert _comando_pedido(["--help"]) is None
    assert _comando_pedido(["balanceet"]) is None  # erro com sugestão: o app inteiro
    completo = [c.name for c in montar().registered_commands + montar().registered_groups]
    assert {c for c, *_ in COMANDOS} - {"consolidacao"} <= set(completo)
    for nome, esperados in (
        ("balancete", ["balancete"]),
        ("siops", ["siops"]),
        ("servidor", ["consolidacao", "servidor"]),  # registrados juntos
    ):
        so = montar(nome)
        assert [c.name for c in so.registered_commands + so.registered_groups] == esperados


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


def test_comando_carrega_so_o_seu_modulo() -> None:
    codigo = (
        "import sys\n"
        "sys.argv = ['erario', 'balancete', '--help']\n"
        "from erario.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('CLI:' + ','.join(sorted(m for m in sys.modules if m.startswith('erario.cli.'))))\n"
    )
    r = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True)
    carregados = r.stdout.strip().splitlines()[-1].removeprefix("CLI:").split(",")
    assert "erario.cli.balancete" in carregados
    assert not {"erario.cli.fcont", "erario.cli.siops", "erario.cli.web"} & set(carregados)


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
