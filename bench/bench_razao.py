"""Benchmark do razão: importação de lançamentos e balancete.

Não é teste: mede o tempo e a memória da carga de um diário sintético (leitura
do CSV, validação e gravação numa só transação), do balancete de um mês e do
ano e da verificação dos saldos. Metas da issue (máquina de 2 núcleos):
importar ≥ 200.000 partidas/s no SQLite; balancete de um mês sobre um razão de
5 milhões de partidas em menos de 100 ms.

Uso (na raiz do repositório)::

    PYTHONPATH=src python bench/bench_razao.py --partidas 1000000
    PYTHONPATH=src python bench/bench_razao.py --db postgresql+psycopg://postgres@127.0.0.1/erario_bench

Com ``--db`` PostgreSQL o script cria um esquema novo e descartável
(``bench_<aleatório>``) no banco indicado e o apaga no fim (a menos que
``--manter``). Com ``--db`` SQLite o arquivo não pode existir. Sem ``--db``,
usa um arquivo SQLite novo num diretório temporário.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

from erario.razao.balancete import conferir_balancete
from erario.razao.modelo import Entidade, PlanoContas, TipoEntidade
from erario.storage import esquema as t
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.carga_csv import ACELERADO
from erario.storage.repositorio import Repositorio
from sintetico import ANO, CNPJ, ENTIDADE, gerar_diario, gerar_plano


# ---------------------------------------------------------------- utilidades
def _pico_rss_mb() -> float:
    """Pico de memória residente do processo até agora (MiB; Linux dá KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fmt_int(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _fmt_s(s: float) -> str:
    return f"{s:.3f}".replace(".", ",") + " s"


def _fmt_ms(s: float) -> str:
    return f"{s * 1000:.1f}".replace(".", ",") + " ms"


def _cronometrar(f: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    r = f()
    return time.perf_counter() - t0, r


# ------------------------------------------------------------------- bancos
class Banco:
    """Banco de destino do benchmark e sua limpeza."""

    def __init__(self, url: str | None, tmp: Path, manter: bool) -> None:
        self.manter = manter
        self.esquema: str | None = None
        self.admin_url: str | None = None
        self.arquivo: Path | None = None
        if url is None:
            self.arquivo = tmp / "bench.db"
            url = f"sqlite:///{self.arquivo}"
        elif url.startswith("sqlite"):
            caminho = make_url(url).database
            if caminho and caminho != ":memory:":
                self.arquivo = Path(caminho)
                if self.arquivo.exists():
                    raise SystemExit(f"o arquivo {caminho} já existe: indique um caminho novo")
        elif url.startswith("postgresql"):
            self.admin_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
            self.esquema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(self.admin_url)
            with admin.begin() as con:
                con.execute(text(f"CREATE SCHEMA {self.esquema}"))
            admin.dispose()
            sep = "&" if "?" in url else "?"
            url = f"{self.admin_url}{sep}options=-csearch_path%3D{self.esquema}"
        else:
            raise SystemExit("--db deve ser uma URL sqlite:/// ou postgresql+psycopg://")
        self.url = url
        self.engine: Engine = criar_engine(url)

    @property
    def descricao(self) -> str:
        if self.esquema:
            return f"PostgreSQL (esquema {self.esquema})"
        return f"SQLite ({self.arquivo})"

    def tamanho_mb(self) -> float | None:
        if self.arquivo is not None and self.arquivo.exists():
            extras = [self.arquivo, Path(f"{self.arquivo}-wal")]
            return sum(p.stat().st_size for p in extras if p.exists()) / 2**20
        if self.esquema:
            with self.engine.connect() as con:
                return float(
                    con.execute(
                        text(
                            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                            " JOIN pg_namespace n ON n.oid = c.relnamespace"
                            " WHERE n.nspname = :e AND c.relkind = 'r'"
                        ),
                        {"e": self.esquema},
                    ).scalar_one()
                    / 2**20
                )
        return None

    def fechar(self) -> None:
        self.engine.dispose()
        if self.esquema and not self.manter:
            admin = create_engine(self.admin_url)  # type: ignore[arg-type]
            with admin.begin() as con:
                con.execute(text(f"DROP SCHEMA {self.esquema} CASCADE"))
            admin.dispose()


def preparar_repositorio(engine: Engine, plano: PlanoContas) -> Repositorio:
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    repo.gravar_plano(plano)
    repo.criar_entidade(
        Entidade(
            ENTIDADE,
            "Prefeitura (benchmark)",
            CNPJ,
            TipoEntidade.PREFEITURA,
            "4312658",
            "10131",
        )
    )
    repo.abrir_exercicio(ENTIDADE, ANO, usuario="bench")
    return repo


# --------------------------------------------------------------- medições
def medir_importacao(repo: Repositorio, diario: Path, lancs: int, partidas: int) -> dict[str, Any]:
    """Importação em fluxo, como ``erario importar``: leitura, validação e gravação
    numa só transação (``Repositorio.importar_csv``, com o acelerador se compilado).

    O pico de RSS é o do processo até o fim da etapa (``ru_maxrss`` só cresce).
    """
    gc.collect()
    rss_antes = _pico_rss_mb()
    t0 = time.perf_counter()
    with diario.open("rb") as f:
        resumo = repo.importar_csv(f, diario.name)
    t1 = time.perf_counter()
    if tuple(resumo) != (lancs, partidas):
        raise SystemExit("a carga não gravou todos os lançamentos gerados")
    return {
        "importacao_s": t1 - t0,
        "acelerador": ACELERADO,
        "pico_rss_mb": {"antes": rss_antes, "importacao": _pico_rss_mb()},
    }


def medir_balancete(repo: Repositorio, inicio: int, fim: int, repeticoes: int) -> dict[str, Any]:
    bal = repo.balancete([ENTIDADE], ANO, inicio, fim)  # aquecimento
    erros = conferir_balancete(bal)
    tempos = []
    for _ in range(repeticoes):
        tempos.append(_cronometrar(lambda: repo.balancete([ENTIDADE], ANO, inicio, fim))[0])
    return {
        "periodos": [inicio, fim],
        "min_s": min(tempos),
        "mediana_s": statistics.median(tempos),
        "linhas": len(bal.linhas),
        "fecha": not erros,
    }


def executar(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="erario-bench-"))
    banco: Banco | None = None
    try:
        t_plano, (plano, _texto) = _cronometrar(lambda: gerar_plano(args.contas, rng))
        analiticas = [c for c in plano.contas.values() if c.analitica]
        com_fr = sum(1 for c in analiticas if c.conta_corrente)
        diario = tmp / "lancamentos.csv"
        t_diario, (n_lancs, n_partidas) = _cronometrar(
            lambda: gerar_diario(diario, plano, args.partidas, rng)
        )
        _log(
            args,
            f"plano: {len(plano.contas)} contas, {len(analiticas)} analíticas ({com_fr} com FR)",
        )
        _log(
            args,
            f"diário: {_fmt_int(n_lancs)} lançamentos, {_fmt_int(n_partidas)} partidas, "
            f"{diario.stat().st_size / 2**20:.0f} MiB (gerado em {_fmt_s(t_diario)}, não medido)",
        )

        banco = Banco(args.db, tmp, args.manter)
        repo = preparar_repositorio(banco.engine, plano)
        _log(args, f"banco: {banco.descricao}")

        imp = medir_importacao(repo, diario, n_lancs, n_partidas)
        _log(
            args,
            f"(1) importação (leitura + validação + gravação): {_fmt_s(imp['importacao_s'])} → "
            f"{_fmt_int(n_partidas / imp['importacao_s'])} partidas/s (meta ≥ 200.000; "
            f"acelerador {'compilado' if ACELERADO else 'ausente'})",
        )
        rss = imp["pico_rss_mb"]
        _log(
            args,
            f"    pico de RSS: {rss['antes']:.0f} MiB antes, {rss['importacao']:.0f} MiB no fim",
        )
        gc.collect()

        with banco.engine.connect() as con:
            linhas_saldo = con.execute(select(func.count()).select_from(t.saldo)).scalar_one()

        # (2) e (3) balancetes
        mes = medir_balancete(repo, 6, 6, args.repeticoes)
        _log(
            args,
            f"(2) balancete de junho: mín. {_fmt_ms(mes['min_s'])}, mediana "
            f"{_fmt_ms(mes['mediana_s'])} ({mes['linhas']} linhas, "
            f"{'fecha' if mes['fecha'] else 'NÃO FECHA'}; meta < 100 ms)",
        )
        ano = medir_balancete(repo, 1, 12, args.repeticoes)
        _log(
            args,
            f"(3) balancete do ano: mín. {_fmt_ms(ano['min_s'])}, mediana "
            f"{_fmt_ms(ano['mediana_s'])} ({ano['linhas']} linhas, "
            f"{'fecha' if ano['fecha'] else 'NÃO FECHA'})",
        )

        # (4) verificação
        t_verificar, erros_ver = _cronometrar(repo.verificar)
        # VER-SUBSISTEMA (classe 5 = classe 6 em cada subsistema, no fim do ano) é
        # regra do PCASP que o diário aleatório não segue: contada à parte.
        de_regra = sum(e.regra == "VER-SUBSISTEMA" for e in erros_ver)
        _log(
            args,
            f"(4) verificar(): {_fmt_s(t_verificar)} ({len(erros_ver) - de_regra} divergências "
            f"do razão; {de_regra} VER-SUBSISTEMA, que o diário aleatório não segue)",
        )
        tamanho = banco.tamanho_mb()
        _log(args, f"saldos: {_fmt_int(linhas_saldo)} linhas; banco: {tamanho or 0:.0f} MiB")

        return {
            "maquina": maquina(),
            "banco": "postgresql" if banco.esquema else "sqlite",
            "parametros": {
                "partidas": n_partidas,
                "lancamentos": n_lancs,
                "contas": len(plano.contas),
                "analiticas": len(analiticas),
                "analiticas_com_fr": com_fr,
                "seed": args.seed,
                "repeticoes": args.repeticoes,
            },
            "geracao_s": {"plano": t_plano, "diario": t_diario},
            **imp,
            "partidas_por_s": n_partidas / imp["importacao_s"],
            "balancete_mes": mes,
            "balancete_ano": ano,
            "verificar_s": t_verificar,
            "verificar_erros": len(erros_ver),
            "linhas_saldo": linhas_saldo,
            "tamanho_banco_mb": tamanho,
        }
    finally:
        if banco is not None:
            banco.fechar()
        if args.manter:
            print(f"arquivos mantidos em {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def maquina() -> dict[str, Any]:
    modelo = ""
    try:
        for linha in Path("/proc/cpuinfo").read_text().splitlines():
            if linha.startswith("model name"):
                modelo = linha.split(":", 1)[1].strip()
                break
    except OSError:
        modelo = platform.processor()
    return {
        "nproc": os.cpu_count(),
        "cpu": modelo,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def _log(args: argparse.Namespace, msg: str) -> None:
    # Com --json, o progresso vai para stderr e só o JSON sai em stdout.
    print(msg, file=sys.stderr if args.json else sys.stdout, flush=True)


def _positivo(minimo: int) -> Callable[[str], int]:
    def conv(texto: str) -> int:
        n = int(texto.replace("_", ""))
        if n < minimo:
            raise argparse.ArgumentTypeError(f"deve ser ao menos {minimo}")
        return n

    return conv


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description="Benchmark do razão do erario: importação de lançamentos e balancete.",
    )
    p.add_argument(
        "--partidas",
        type=_positivo(2),
        default=1_000_000,
        help="partidas do diário sintético (padrão: 1.000.000)",
    )
    p.add_argument(
        "--db",
        help="URL do banco: sqlite:///arquivo-novo.db ou postgresql+psycopg://usuario@host/banco "
        "(no PostgreSQL cria um esquema descartável; padrão: SQLite novo num diretório temporário)",
    )
    p.add_argument(
        "--contas",
        type=_positivo(50),
        default=3000,
        help="contas do plano sintético, sintéticas incluídas (padrão: 3000)",
    )
    p.add_argument("--seed", type=int, default=2026, help="semente aleatória (padrão: 2026)")
    p.add_argument(
        "--repeticoes",
        type=_positivo(1),
        default=5,
        help="repetições de cada balancete após um aquecimento (padrão: 5)",
    )
    p.add_argument("--json", action="store_true", help="imprime os resultados em JSON")
    p.add_argument(
        "--manter",
        action="store_true",
        help="não apaga o diretório temporário nem o esquema PostgreSQL",
    )
    args = p.parse_args(argv)
    resultado = executar(args)
    if args.json:
        print(json.dumps(resultado, ensure_ascii=False, indent=2))
    else:
        m = resultado["maquina"]
        print(f"máquina: {m['nproc']} CPUs, {m['cpu']}, Python {m['python']}, SQLite {m['sqlite']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
