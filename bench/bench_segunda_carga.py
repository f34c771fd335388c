"""Segunda carga em massa na mesma entidade, logo depois da primeira (issue 19).
Não é teste.

A meta: a segunda carga custa por lançamento o mesmo que a primeira. Antes, no
PostgreSQL, 500 mil lançamentos entravam em 49–64 s e os 500 mil seguintes
passavam de 900 s: a conferência dos números já usados (``_numeros_existentes``)
levava 10–19 s por bloco de 500 números com as estatísticas da tabela ainda as do
banco vazio.

Gera um diário sintético (``sintetico.py``, o de ``bench_razao.py``) com o dobro
das partidas pedidas, corta-o ao meio numa troca de lançamento (primeiro semestre
e segundo) e importa as duas metades, uma depois da outra, pelo mesmo caminho de
``erario importar`` (``Repositorio.importar_csv``).

Uso (PostgreSQL: esquema descartável no banco indicado, apagado no fim)::

    PYTHONPATH=src:bench python bench/bench_segunda_carga.py \\
        --db postgresql+psycopg://postgres@127.0.0.1/erario_bench --partidas 2000000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench_razao import Banco, preparar_repositorio
from sintetico import gerar_diario, gerar_plano


def _cortar(diario: Path, destino: Path) -> tuple[Path, Path, int, int]:
    """As duas metades do diário (cabeçalho nas duas), cortadas na primeira troca de
    número de lançamento depois da metade das linhas; e quantos lançamentos em cada."""
    linhas = diario.read_text(encoding="utf-8").splitlines(keepends=True)
    cabecalho, corpo = linhas[0], linhas[1:]
    meio = len(corpo) // 2
    numero = corpo[meio].split(";")[1]
    while meio < len(corpo) and corpo[meio].split(";")[1] == numero:
        meio += 1
    a, b = destino / "primeira.csv", destino / "segunda.csv"
    a.write_text(cabecalho + "".join(corpo[:meio]), encoding="utf-8")
    b.write_text(cabecalho + "".join(corpo[meio:]), encoding="utf-8")
    return a, b, _lancamentos(corpo[:meio]), _lancamentos(corpo[meio:])


def _lancamentos(linhas: list[str]) -> int:
    return len({ln.split(";")[1] for ln in linhas})


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="URL do banco (padrão: SQLite temporário)")
    p.add_argument("--partidas", type=int, default=2_000_000, help="partidas de CADA carga")
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        pasta = Path(tmp)
        plano, _ = gerar_plano(3000, rng)
        diario = pasta / "diario.csv"
        gerar_diario(diario, plano, 2 * args.partidas, rng)
        primeira, segunda, n1, n2 = _cortar(diario, pasta)
        banco = Banco(args.db, pasta, manter=False)
        try:
            repo = preparar_repositorio(banco.engine, plano)
            tempos = []
            for nome, arquivo, n in (("primeira", primeira, n1), ("segunda", segunda, n2)):
                t0 = time.perf_counter()
                with arquivo.open("rb") as f:
                    repo.importar_csv(f, arquivo.name)
                s = time.perf_counter() - t0
                tempos.append(s / n)
                print(
                    f"{nome} carga ({banco.descricao}): {n:_} lançamentos em {s:.1f} s, "
                    f"{s / n * 1e6:.1f} µs por lançamento",
                    flush=True,
                )
            print(f"segunda ÷ primeira, por lançamento: {tempos[1] / tempos[0]:.2f}× (meta ≈ 1×)")
        finally:
            banco.fechar()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
