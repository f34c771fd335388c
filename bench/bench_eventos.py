"""Benchmark dos eventos orçamentários: N eventos pelas regras de contabilização
até o SQLite (``Repositorio.registrar_eventos``). Não é teste.

Gera um município sintético num arquivo JSON Lines temporário, lido como em
``erario importar --tipo eventos``: D dotações (fonte 1500 ou 1600), uma previsão de
receita por fonte e, em ciclo, empenho → liquidação → pagamento e arrecadações,
datas ao longo do ano. Mede eventos/s e partidas/s (meta da issue 19: ≥ 25 mil
eventos/s; os 50 mil da issue 4 foram retirados por ela).

Uso: ``PYTHONPATH=src python bench/bench_eventos.py --eventos 100000``
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from erario.core.erros import Erro
from erario.execucao.carga import TextosLidos
from erario.execucao.leitura_paralela import eventos_do_arquivo
from erario.razao.modelo import Entidade, TipoEntidade
from erario.razao.plano import plano_base
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio

CREDOR = "11222333000181"
DB = "001-1234-5-67890-1"


def gerar(n: int, dotacoes: int, rng: random.Random) -> Iterator[str]:
    """As ``n`` linhas JSON, uma a uma (a lista inteira pesaria mais que a carga)."""
    for ev in itertools.islice(_eventos(n, dotacoes, rng), n):
        yield json.dumps({"entidade": "prefeitura", **ev})


def _eventos(n: int, dotacoes: int, rng: random.Random) -> Iterator[dict[str, object]]:
    for fonte in ("1500", "1600"):
        yield (
            {
                "tipo": "previsao_receita",
                "id": f"R{fonte}",
                "data": "2026-01-02",
                "natureza_receita": "11125001",
                "fonte": fonte,
                "valor": "999999999.00",
            }
        )
    for d in range(dotacoes):
        fonte = "1500" if d % 2 == 0 else "1600"
        yield (
            {
                "tipo": "dotacao_inicial",
                "id": f"D{d}",
                "data": "2026-01-02",
                "dotacao": f"0201.04.122.0001.{2000 + d:04d}.33903900",
                "fonte": fonte,
                "valor": "999999999.00",
            }
        )
    i = 0
    feitas = 2 + dotacoes
    while feitas < n:
        data = (dt.date(2026, 1, 5) + dt.timedelta(days=feitas * 350 // n)).isoformat()
        d = rng.randrange(dotacoes)
        fonte = "1500" if d % 2 == 0 else "1600"
        valor = rng.randrange(100, 1_000_000)
        v = f"{valor // 100}.{valor % 100:02d}"
        yield (
            {
                "tipo": "arrecadacao",
                "id": f"A{i}",
                "data": data,
                "natureza_receita": "11125001",
                "fonte": fonte,
                "valor": v,
                "conta_banco": "1.1.1.1.1.19.00",
                "domicilio": DB,
                "conta_vpa": "4.1.1.2.1.02.00",
            }
        )
        yield (
            {
                "tipo": "empenho",
                "id": f"E{i}",
                "data": data,
                "dotacao": f"0201.04.122.0001.{2000 + d:04d}.33903900",
                "fonte": fonte,
                "credor": CREDOR,
                "valor": v,
            }
        )
        yield (
            {
                "tipo": "liquidacao",
                "id": f"L{i}",
                "data": data,
                "empenho": f"E{i}",
                "valor": v,
                "conta_vpd": "3.3.2.3.1.99.00",
                "conta_passivo": "2.1.3.1.1.01.01",
                "documento": f"NF {i}",
            }
        )
        yield (
            {
                "tipo": "pagamento",
                "id": f"P{i}",
                "data": data,
                "liquidacao": f"L{i}",
                "valor": v,
                "conta_banco": "1.1.1.1.1.19.00",
                "domicilio": DB,
            }
        )
        i += 1
        feitas += 4


def _n(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--eventos", type=int, default=100_000)
    p.add_argument("--dotacoes", type=int, default=200)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument(
        "--leitura",
        choices=("auto", "paralela", "sequencial"),
        default="auto",
        help="leitura do JSON Lines: como o erario importar (auto), noutro processo ou neste",
    )
    args = p.parse_args()
    args.paralelo = {"auto": None, "paralela": True, "sequencial": False}[args.leitura]
    with tempfile.TemporaryDirectory() as tmp:
        arquivo = Path(tmp) / "eventos.jsonl"
        with arquivo.open("w", encoding="utf-8") as saida:
            for linha in gerar(args.eventos, args.dotacoes, random.Random(args.seed)):
                saida.write(linha + "\n")
        engine = criar_engine(f"sqlite:///{Path(tmp) / 'eventos.db'}")
        atualizar_esquema(engine)
        repo = Repositorio(engine)
        repo.gravar_plano(plano_base())
        repo.criar_entidade(
            Entidade(
                "prefeitura",
                "Prefeitura (bench)",
                "01602258000120",
                TipoEntidade.PREFEITURA,
                "4312658",
                "10131",
            )
        )
        repo.abrir_exercicio("prefeitura", 2026, usuario="bench")
        # Leitura (o arquivo grande noutro processo) e registro em fluxo, como
        # ``erario importar --tipo eventos``.
        t0 = time.perf_counter()
        erros: list[Erro] = []
        textos: TextosLidos = {}
        resumo = repo.registrar_eventos(
            eventos_do_arquivo(arquivo, "bench", erros, textos, paralelo=args.paralelo),
            "bench",
            erros_leitura=erros,
            textos_lidos=textos,
        )
        total = time.perf_counter() - t0
        print(
            f"{_n(resumo.eventos)} eventos, {_n(resumo.lancamentos)} lançamentos, "
            f"{_n(resumo.partidas)} partidas; leitura e registro {total:.2f} s "
            f"→ {_n(resumo.eventos / total)} eventos/s, "
            f"{_n(resumo.partidas / total)} partidas/s (meta ≥ 25.000 eventos/s)"
        )
        erros_v = repo.verificar()
        print(f"verificar: {len(erros_v)} divergência(s)")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
