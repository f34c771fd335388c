"""Benchmark de uma operação: registrar UM evento num banco que já tem N eventos
(issue 19). Não é teste.

Monta o município sintético de ``bench_eventos.py`` com N eventos (carga em massa,
fora da medição), depois mede:

- pela biblioteca: ``Repositorio.registrar_eventos`` de um empenho, R vezes, em
  objeto ``Repositorio`` já aberto (como a API faria): mediana e p95;
- pela CLI: ``erario importar um.jsonl --tipo eventos`` de um arquivo de uma linha,
  processo novo a cada vez (inclui a partida do Python), no banco com N eventos e
  num banco vazio (mesmo plano e entidade): mediana e a razão entre os dois;
- ``erario verificar`` (pela biblioteca) no banco com N eventos.

Metas da issue 19: biblioteca p95 ≤ 20 ms a 1 M eventos; CLI a ≤ 1,3× do banco
vazio; ``verificar`` a 1 M eventos ≤ 10 s.

Uso: ``PYTHONPATH=src python bench/bench_operacao.py --eventos 200000``;
``--banco ARQUIVO.db`` usa uma cópia de um banco já montado pelo mesmo gerador (o
de 1 M eventos leva ~1 min para montar; ``--guardar ARQUIVO.db`` guarda o montado).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_eventos import CREDOR, gerar
from erario.core.erros import Erro
from erario.execucao.carga import TextosLidos, ler_eventos_jsonl
from erario.execucao.leitura_paralela import eventos_do_arquivo
from erario.razao.modelo import Entidade, TipoEntidade
from erario.razao.plano import plano_base
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio

RAIZ = Path(__file__).resolve().parents[1]


def _banco(caminho: Path) -> Repositorio:
    engine = criar_engine(f"sqlite:///{caminho}")
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
    return repo


def _carregar(repo: Repositorio, arquivo: Path) -> None:
    """Como ``erario importar --tipo eventos`` (o arquivo grande, noutro processo)."""
    erros: list[Erro] = []
    textos: TextosLidos = {}
    repo.registrar_eventos(
        eventos_do_arquivo(arquivo, "bench", erros, textos),
        "bench",
        erros_leitura=erros,
        textos_lidos=textos,
    )


def _empenho(codigo: str) -> str:
    return json.dumps(
        {
            "entidade": "prefeitura",
            "tipo": "empenho",
            "id": codigo,
            "data": "2026-12-20",
            "dotacao": "0201.04.122.0001.2000.33903900",
            "fonte": "1500",
            "credor": CREDOR,
            "valor": "10.00",
        }
    )


def _p95(tempos: list[float]) -> float:
    return sorted(tempos)[max(0, round(0.95 * len(tempos)) - 1)]


def _erario(db: Path, *argumentos: str) -> None:
    ambiente = {**os.environ, "PYTHONPATH": str(RAIZ / "src")}
    subprocess.run(
        [str(Path(sys.executable).with_name("erario")), "--db", f"sqlite:///{db}", *argumentos],
        check=True,
        capture_output=True,
        env=ambiente,
    )


def _cli(db: Path, pasta: Path, codigo: str) -> float:
    arquivo = pasta / f"{codigo}.jsonl"
    arquivo.write_text(_empenho(codigo) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    _erario(db, "importar", str(arquivo), "--tipo", "eventos")
    return time.perf_counter() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--eventos", type=int, default=200_000)
    p.add_argument("--dotacoes", type=int, default=200)
    p.add_argument("--repeticoes", type=int, default=50)
    p.add_argument("--cli", type=int, default=5, help="repetições pela CLI (0: não mede)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--banco", type=Path, help="cópia deste banco (mesmo gerador) em vez de montar")
    p.add_argument("--guardar", type=Path, help="guarda uma cópia do banco montado")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pasta = Path(tmp)
        arquivo = pasta / "eventos.jsonl"
        with arquivo.open("w", encoding="utf-8") as saida:
            for linha in gerar(args.eventos, args.dotacoes, random.Random(args.seed)):
                saida.write(linha + "\n")
        if args.banco is not None:
            shutil.copy(args.banco, pasta / "cheio.db")
            repo = Repositorio(criar_engine(f"sqlite:///{pasta / 'cheio.db'}"))
            atualizar_esquema(repo.engine)
        else:
            repo = _banco(pasta / "cheio.db")
            t0 = time.perf_counter()
            _carregar(repo, arquivo)
            segundos = time.perf_counter() - t0
            print(
                f"carga de {args.eventos:_} eventos: {segundos:.1f} s "
                f"({args.eventos / segundos:,.0f} eventos/s)".replace(",", "."),
                flush=True,
            )
            if args.guardar is not None:
                repo.engine.dispose()
                shutil.copy(pasta / "cheio.db", args.guardar)
        tempos, cpu = [], []
        for k in range(args.repeticoes):
            itens, erros = ler_eventos_jsonl([_empenho(f"X{k}")], "um.jsonl")
            assert not erros
            t1, c1 = time.perf_counter(), time.process_time()
            repo.registrar_eventos(itens, "um.jsonl")
            tempos.append(time.perf_counter() - t1)
            cpu.append(time.process_time() - c1)
        # O tempo de CPU (do processo) separa o custo da operação da espera numa
        # máquina disputada (a thread de gravação e o COMMIT esperam a vez).
        print(
            f"biblioteca, 1 empenho com {args.eventos:_} eventos no banco: mediana "
            f"{statistics.median(tempos) * 1000:.1f} ms, p95 {_p95(tempos) * 1000:.1f} ms; "
            f"CPU mediana {statistics.median(cpu) * 1000:.1f} ms, p95 {_p95(cpu) * 1000:.1f} ms "
            "(meta p95 ≤ 20 ms a 1 M)",
            flush=True,
        )
        if args.cli:
            # O banco "vazio" tem só as previsões e as dotações (sem elas o empenho é recusado).
            vazio = pasta / "vazio.db"
            inicio = pasta / "inicio.jsonl"
            with arquivo.open(encoding="utf-8") as f:
                inicio.write_text("".join(next(f) for _ in range(2 + args.dotacoes)))
            repo_vazio = _banco(vazio)
            _carregar(repo_vazio, inicio)
            repo_vazio.engine.dispose()
            cheio = [_cli(pasta / "cheio.db", pasta, f"C{k}") for k in range(args.cli)]
            no_vazio = [_cli(vazio, pasta, f"V{k}") for k in range(args.cli)]
            m_cheio, m_vazio = statistics.median(cheio), statistics.median(no_vazio)
            print(
                f"erario importar de 1 linha: {m_cheio:.2f} s com {args.eventos:_} eventos, "
                f"{m_vazio:.2f} s no banco vazio → {m_cheio / m_vazio:.2f}× (meta ≤ 1,3×)",
                flush=True,
            )
        t2 = time.perf_counter()
        erros_v = repo.verificar()
        print(
            f"verificar com {args.eventos:_} eventos: {time.perf_counter() - t2:.1f} s, "
            f"{len(erros_v)} divergência(s) (meta ≤ 10 s a 1 M)",
            flush=True,
        )
        if args.cli:
            t3 = time.perf_counter()
            _erario(pasta / "cheio.db", "verificar")
            print(f"erario verificar (processo novo): {time.perf_counter() - t3:.1f} s")
        repo.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
