"""Partida da linha de comando: quanto custa abrir o ``erario`` como processo
novo, e o que cada comando carrega. Não é teste (metas da issue 19, item 6):

- ``erario --help`` ≤ 0,3 s;
- ``erario balancete`` sem carregar Alembic (banco já atual), o cliente HTTP,
  FastAPI, openpyxl, fpdf2 nem as barras do Rich.

Monta um banco pequeno com ``erario demo`` (3 entidades, um exercício) num
diretório temporário e roda cada comando ``--repeticoes`` vezes, depois de um
aquecimento que grava os ``.pyc`` (o ``PYTHONDONTWRITEBYTECODE`` do ambiente é
retirado dos processos medidos: sem bytecode em cache, cada partida recompila
~80 módulos do erario, +0,15 s, o que o usuário instalado não paga).

Uso: ``PYTHONPATH=src python bench/bench_partida.py [--repeticoes 10] [--json]``;
``--src OUTRA/src`` mede outra árvore (p. ex. um ``git archive`` de antes).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PESADOS = (
    "sqlalchemy",
    "alembic",
    "httpx",
    "fastapi",
    "openpyxl",
    "fpdf",
    "pydantic",
    "rich.table",
    "rich.progress",
    "typer.rich_utils",
    "erario.storage.repositorio",
)

# Roda o main() do erario e lista, no fim, os módulos pesados carregados.
_SONDA = """
import sys, io, atexit
def _fim():
    carregados = [m for m in {pesados!r} if m in sys.modules]
    sys.__stderr__.write("CARREGADOS " + ",".join(carregados) + "\\n")
atexit.register(_fim)
sys.argv = ["erario", *sys.argv[1:]]
from erario.cli.app import main
main()
"""


def _ambiente(src: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(src)
    env["COLUMNS"] = "120"
    return env


def _rodar(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(tempo de relógio, tempo de CPU do processo): numa máquina disputada, o de
    CPU (usuário + sistema) varia bem menos que o de relógio."""
    antes = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-c", "from erario.cli.app import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
    )
    relogio = time.perf_counter() - t0
    depois = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"erario {' '.join(args)} saiu com {r.returncode}:\n{r.stderr}")
    cpu = (depois.ru_utime - antes.ru_utime) + (depois.ru_stime - antes.ru_stime)
    return relogio, cpu


def _carregados(args: list[str], env: dict[str, str]) -> list[str]:
    r = subprocess.run(
        [sys.executable, "-c", _SONDA.format(pesados=PESADOS), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    for linha in r.stderr.splitlines():
        if linha.startswith("CARREGADOS "):
            return [m for m in linha.removeprefix("CARREGADOS ").split(",") if m]
    return []


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeticoes", type=int, default=10)
    p.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    env = _ambiente(a.src.resolve())
    resultados: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'demo.db'}"
        print("montando o banco de demonstração…", file=sys.stderr)
        _rodar(["--db", db, "demo"], env)
        balancete = ["--db", db, "balancete", "prefeitura", "--mes", "2026-03"]
        comandos = {
            "erario --help": ["--help"],
            "erario balancete (tabela)": balancete,
            "erario balancete (csv)": [*balancete, "--formato", "csv"],
            "erario entidade listar": ["--db", db, "entidade", "listar"],
        }
        for rotulo, args in comandos.items():
            _rodar(args, env)  # aquecimento: grava os .pyc
            medidas = [_rodar(args, env) for _ in range(a.repeticoes)]
            relogio = [m[0] for m in medidas]
            cpu = [m[1] for m in medidas]
            carregados = _carregados(args, env)
            resultados[rotulo] = {
                "min_s": round(min(relogio), 3),
                "mediana_s": round(statistics.median(relogio), 3),
                "cpu_min_s": round(min(cpu), 3),
                "cpu_mediana_s": round(statistics.median(cpu), 3),
                "carregados": carregados,
            }
            if not a.json:
                print(
                    f"{rotulo:28} relógio mín {min(relogio):.3f} s, mediana "
                    f"{statistics.median(relogio):.3f} s; CPU mín {min(cpu):.3f} s — "
                    f"carrega: {', '.join(carregados) or '—'}"
                )
    if a.json:
        print(json.dumps(resultados, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
