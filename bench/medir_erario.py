"""Balancete repetido do erario num banco já carregado (o que o contador faz o dia todo).

Abre o banco (como um processo de longa duração, p. ex. o servidor), faz um
balancete de aquecimento e depois repete ``Repositorio.balancete`` do mês e do
ano, medindo cada chamada. Grava um JSON com os tempos.

Uso: ``PYTHONPATH=src python bench/medir_erario.py URL --mes 6 --saida x.json``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from erario.razao.balancete import conferir_balancete
from erario.storage.banco import criar_engine
from erario.storage.repositorio import Repositorio


def _medir(repo: Repositorio, entidade: str, ano: int, de: int, ate: int, n: int) -> dict:
    t0 = time.perf_counter()
    b = repo.balancete([entidade], ano, de, ate)
    primeiro = time.perf_counter() - t0
    tempos = []
    for _ in range(n):
        t = time.perf_counter()
        repo.balancete([entidade], ano, de, ate)
        tempos.append(time.perf_counter() - t)
    return {
        "primeiro_s": primeiro,
        "min_s": min(tempos),
        "mediana_s": statistics.median(tempos),
        "linhas": len(b.linhas),
        "fecha": not conferir_balancete(b),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("url", help="URL do banco já carregado")
    p.add_argument("--entidade", default="prefeitura-bench")
    p.add_argument("--ano", type=int, default=2026)
    p.add_argument("--mes", type=int, default=6)
    p.add_argument("--repeticoes", type=int, default=20)
    p.add_argument("--saida", required=True, help="arquivo JSON de resultado")
    args = p.parse_args()
    engine = criar_engine(args.url)
    repo = Repositorio(engine)
    resultado = {
        "mes": _medir(repo, args.entidade, args.ano, args.mes, args.mes, args.repeticoes),
        "ano": _medir(repo, args.entidade, args.ano, 1, 12, args.repeticoes),
    }
    engine.dispose()
    with open(args.saida, "w", encoding="utf-8") as f:
        json.dump(resultado, f)


if __name__ == "__main__":
    main()
