"""Comparação lado a lado: erario × ledger-cli × hledger × Beancount × DuckDB.

Para cada tamanho (em lançamentos), gera uma vez (fora da medição) o mesmo diário
sintético em cada formato (``bench/sintetico.py``) e mede, em subprocessos, o
tempo de parede e o pico de memória residente de cada ferramenta:

- **erario** (SQLite e, se houver servidor, PostgreSQL): banco novo a cada rodada;
  plano, entidade e exercício fora da medição; medidos ``erario importar``, o
  balancete do ano e o de junho (``--formato csv``), cada um num processo, e,
  sobre o banco carregado, o balancete repetido em processo
  (``Repositorio.balancete``, ``bench/medir_erario.py``);
- **ledger-cli** e **hledger**: ``bal`` do ano e de junho (cada um relê o arquivo);
- **Beancount**: ``loader.load_file`` e saldos por conta (``bench/medir_beancount.py``);
- **DuckDB**: ``read_csv`` + ``GROUP BY`` com totalização das contas superiores,
  e a consulta repetida sobre a tabela em memória (``bench/medir_duckdb.py``).

Antes de imprimir qualquer razão, confere o balancete de cada ferramenta com o do
erario conta a conta (todas as contas do plano, sintéticas incluídas, no ano e em
junho) e Σ débitos / Σ créditos; se alguma diferir em um centavo, mostra a
diferença e não imprime a razão dela. Os pares são instalados se faltarem
(``ledger``/``hledger`` pelo apt; ``beancount``/``duckdb`` do PyPI em
``bench/.venv-peers``), nunca como dependência do erario.

Uso (na raiz do repositório)::

    PYTHONPATH=src python bench/compare.py --sizes 100000,1000000
    PYTHONPATH=src python bench/compare.py --sizes 5000000 --ferramentas erario,duckdb,ledger \\
        --incluir bench/out/comparacao-anterior.json

Resultados: ``bench/RESULTS.md`` (``--saida``) e o JSON bruto em ``bench/out/``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import platform
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sintetico import ANO, CNPJ, ENTIDADE, codigo_de_nome, gerar_formatos, gerar_plano

RAIZ = Path(__file__).resolve().parent.parent
BENCH = RAIZ / "bench"
VENV_PARES = BENCH / ".venv-peers"
PACOTES_PARES = ("beancount", "duckdb")
FERRAMENTAS = ("erario", "postgres", "ledger", "hledger", "beancount", "duckdb")
ROTULOS = {
    "erario": "erario (SQLite)",
    "postgres": "erario (PostgreSQL)",
    "ledger": "ledger-cli",
    "hledger": "hledger",
    "beancount": "Beancount",
    "duckdb": "DuckDB",
}
MES = 6
DE_ANO, ATE_ANO = f"{ANO}-01-01", f"{ANO + 1}-01-01"
DE_MES, ATE_MES = f"{ANO}-{MES:02d}-01", f"{ANO}-{MES + 1:02d}-01"
# Metas da issue.
META_LEDGER = 3.0  # carga + balancete ≥ 3× mais rápido que o ledger-cli (1 M lançamentos)
META_REPETIDO_S = 0.050  # balancete repetido < 50 ms em todo tamanho
META_MEMORIA_B = 2_000_000_000  # < 2 GB de memória na carga
EXPOENTE_LINEAR = 1.10  # t ∝ n^e; até 1,10 conta como linear (ruído de medição)
MARCA_ANALISE = "<!-- análise: o texto abaixo desta linha é mantido pelo compare.py -->"
ERARIO_CLI = [sys.executable, "-c", "from erario.cli.app import main; main()"]


# ------------------------------------------------------------- utilidades
def _log(msg: str) -> None:
    print(msg, flush=True)


def _fmt_int(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _fmt_dec(x: float, casas: int) -> str:
    return f"{x:,.{casas}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _fmt_t(s: float | None) -> str:
    if s is None:
        return "—"
    if s < 0.01:
        return _fmt_dec(s * 1000, 1) + " ms"
    if s < 1:
        return _fmt_dec(s * 1000, 0) + " ms"
    if s < 100:
        return _fmt_dec(s, 2) + " s"
    return _fmt_dec(s, 0) + " s"


def _fmt_mib(kib: float | None) -> str:
    return "—" if kib is None else _fmt_int(kib / 1024) + " MiB"


def _fmt_reais(centavos: int) -> str:
    return "R$ " + _fmt_dec(centavos / 100, 2)


def _fmt_x(x: float | None) -> str:
    return "—" if x is None else _fmt_dec(x, 2 if x < 10 else 1) + "×"


def _min_med(tempos: Sequence[float] | None) -> str:
    if not tempos:
        return "—"
    return f"{_fmt_t(min(tempos))} / {_fmt_t(statistics.median(tempos))}"


def _mediana(tempos: Sequence[float] | None) -> float | None:
    return statistics.median(tempos) if tempos else None


def _centavos(texto: str) -> int:
    """Valor de um relatório (``-1,234.56 BRL``, ``0``) → centavos, exigindo exatidão."""
    t = texto.replace("BRL", "").replace(",", "").strip().strip('"').strip()
    if not t:
        return 0
    c = Decimal(t) * 100
    if c != c.to_integral_value():
        raise ValueError(f"valor com mais de duas casas: {texto!r}")
    return int(c)


class Falha(Exception):
    pass


def _ambiente() -> dict[str, str]:
    env = dict(os.environ)
    src = str(RAIZ / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("ERARIO_PROGRESSO", None)
    env.setdefault("LC_ALL", "C.UTF-8")
    return env


AMBIENTE = _ambiente()


def executar(
    cmd: Sequence[str | Path], saida: Path | None = None, limite: float | None = None
) -> tuple[float, int]:
    """Roda ``cmd`` num subprocesso; devolve (tempo de parede em s, pico de RSS em KiB).

    O pico vem de ``wait4`` (o ``ru_maxrss`` do próprio filho, como no
    ``/usr/bin/time -f %M``). A saída padrão vai para ``saida`` (ou é descartada).
    """
    args = [str(c) for c in cmd]
    with tempfile.TemporaryFile() as err:
        out = saida.open("wb") if saida else subprocess.DEVNULL
        estourou = threading.Event()
        try:
            t0 = time.perf_counter()
            p = subprocess.Popen(args, stdout=out, stderr=err, env=AMBIENTE)

            def matar() -> None:
                estourou.set()
                p.kill()

            relogio = threading.Timer(limite, matar) if limite else None
            if relogio:
                relogio.start()
            try:
                _pid, status, uso = os.wait4(p.pid, 0)
            finally:
                if relogio:
                    relogio.cancel()
            parede = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if saida:
                out.close()  # type: ignore[union-attr]
        if p.returncode != 0:
            err.seek(0)
            linhas = err.read()[-3000:].decode("utf-8", "replace").strip().splitlines()
            cauda = linhas[-1] if linhas else "sem mensagem"
            motivo = f"tempo esgotado ({limite:.0f} s)" if estourou.is_set() else cauda
            raise Falha(f"{' '.join(args[:6])}… terminou com código {p.returncode}: {motivo}")
    return parede, uso.ru_maxrss


def _saida_de(cmd: Sequence[str]) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (r.stdout or r.stderr).strip()


# ------------------------------------------------------------------ pares
def _instalar_apt(pacotes: list[str]) -> str | None:
    """Instala pacotes Debian; devolve o erro (ou None se deu certo)."""
    prefixo: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            return "não sou root e não há sudo"
        prefixo = ["sudo", "-n"]
    _log(f"instalando {', '.join(pacotes)} (apt-get)…")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", *pacotes]):
        r = subprocess.run(
            [*prefixo, *cmd],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        if r.returncode != 0:
            return (r.stderr or r.stdout).strip()[-500:]
    return None


def python_pares() -> Path:
    return VENV_PARES / "bin" / "python"


def garantir_pares(ferramentas: Iterable[str]) -> dict[str, str]:
    """Instala o que faltar; devolve {ferramenta: motivo} das que ficaram indisponíveis."""
    ferramentas = set(ferramentas)
    faltam: dict[str, str] = {}
    binarios = [f for f in ("ledger", "hledger") if f in ferramentas and not shutil.which(f)]
    if binarios:
        erro = _instalar_apt(binarios)
        for f in binarios:
            if not shutil.which(f):
                faltam[f] = f"não instalado ({erro or 'apt-get sem efeito'})"
    pacotes = [f for f in PACOTES_PARES if f in ferramentas]
    if pacotes:
        py = python_pares()
        if not py.exists():
            _log(f"criando {VENV_PARES.relative_to(RAIZ)} (ambiente só dos pares)…")
            base = getattr(sys, "_base_executable", None) or shutil.which("python3") or "python3"
            subprocess.run([base, "-m", "venv", str(VENV_PARES)], check=True)
        teste = "import " + ", ".join(pacotes)
        if subprocess.run([py, "-c", teste], capture_output=True, check=False).returncode:
            _log(f"instalando {', '.join(pacotes)} do PyPI em {VENV_PARES.relative_to(RAIZ)}…")
            r = subprocess.run(
                [py, "-m", "pip", "install", "-q", *pacotes], capture_output=True, text=True
            )
            if r.returncode:
                for f in pacotes:
                    faltam[f] = "pip install falhou: " + (r.stderr or "").strip()[-300:]
    return faltam


# --------------------------------------------------------------- PostgreSQL
def descobrir_postgres(url: str | None) -> tuple[str | None, str]:
    """URL de administração de um servidor PostgreSQL usável, ou (None, motivo)."""
    url = url or os.environ.get("ERARIO_TEST_POSTGRES_URL")
    if not url:
        try:
            socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        except OSError:
            return (
                None,
                "nenhum servidor em 127.0.0.1:5432 e sem --postgres/ERARIO_TEST_POSTGRES_URL",
            )
        url = "postgresql+psycopg://postgres@127.0.0.1/postgres"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        from sqlalchemy import create_engine, text

        eng = create_engine(url, isolation_level="AUTOCOMMIT")
        with eng.connect() as con:
            versao = con.execute(text("SHOW server_version")).scalar_one()
        eng.dispose()
    except Exception as exc:  # qualquer falha de conexão: segue sem PostgreSQL
        return None, f"sem conexão com {url}: {str(exc).splitlines()[0]}"
    return url, f"PostgreSQL {versao}"


class Bancos:
    """Bancos descartáveis do erario: arquivo SQLite ou database PostgreSQL novo."""

    def __init__(self, tmp: Path, admin_url: str | None) -> None:
        self.tmp = tmp
        self.admin_url = admin_url

    def _admin(self) -> Any:
        from sqlalchemy import create_engine

        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def novo(self, tipo: str) -> tuple[str, Callable[[], float | None], Callable[[], None]]:
        """Devolve (URL, tamanho em MiB, limpar)."""
        if tipo == "sqlite":
            arq = self.tmp / f"erario-{uuid.uuid4().hex[:8]}.db"

            def tamanho_sqlite() -> float:
                partes = [arq, Path(f"{arq}-wal")]
                return sum(p.stat().st_size for p in partes if p.exists()) / 2**20

            def limpar_sqlite() -> None:
                for sufixo in ("", "-wal", "-shm"):
                    Path(f"{arq}{sufixo}").unlink(missing_ok=True)

            return f"sqlite:///{arq}", tamanho_sqlite, limpar_sqlite
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        nome = f"erario_bench_{uuid.uuid4().hex[:10]}"
        eng = self._admin()
        with eng.connect() as con:
            con.execute(text(f'CREATE DATABASE "{nome}"'))
        url = make_url(self.admin_url).set(database=nome).render_as_string(hide_password=False)

        def tamanho_pg() -> float:
            with eng.connect() as con:
                return (
                    float(
                        con.execute(text("SELECT pg_database_size(:n)"), {"n": nome}).scalar_one()
                    )
                    / 2**20
                )

        def limpar_pg() -> None:
            with eng.connect() as con:
                con.execute(text(f'DROP DATABASE IF EXISTS "{nome}" WITH (FORCE)'))
            eng.dispose()

        return url, tamanho_pg, limpar_pg


# ------------------------------------------------------------ leitura das saídas
def _por_codigo(saldos: dict[str, int]) -> dict[str, int]:
    """Nomes de conta (ledger/hledger/Beancount) → código do plano (sem subcontas FR)."""
    out: dict[str, int] = {}
    for nome, valor in saldos.items():
        codigo = codigo_de_nome(nome)
        if codigo is not None:
            out[codigo] = valor
    return out


def ler_erario_csv(caminho: Path) -> tuple[dict[str, int], int, int]:
    """Balancete do erario em CSV → ({código: débitos − créditos}, Σ débitos, Σ créditos)."""
    saldos: dict[str, int] = {}
    debitos = creditos = 0
    with caminho.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            d, c = _centavos(r["debitos"]), _centavos(r["creditos"])
            saldos[r["conta"]] = d - c
            if r["nivel"] == "1":
                debitos += d
                creditos += c
    return saldos, debitos, creditos


def ler_ledger(caminho: Path) -> dict[str, int]:
    """``ledger bal --format '%(account)\\t%(display_total)\\n'`` → {código: saldo}.

    No modo árvore o ledger omite a conta superior que só tem uma filha e nenhuma
    partida própria (o saldo dela é o da filha): ela recebe o saldo da primeira
    descendente impressa.
    """
    saldos: dict[str, int] = {}
    for linha in caminho.read_text(encoding="utf-8").splitlines():
        nome, _, valor = linha.partition("\t")
        if nome.strip():
            saldos[nome.strip()] = _centavos(valor)
    completos = dict(saldos)
    for nome in sorted(saldos, key=lambda n: n.count(":")):
        partes = nome.split(":")
        for i in range(1, len(partes)):
            completos.setdefault(":".join(partes[:i]), saldos[nome])
    return _por_codigo(completos)


def ler_hledger(caminho: Path) -> dict[str, int]:
    """``hledger bal --tree --no-elide -O csv`` → {código: saldo}."""
    saldos: dict[str, int] = {}
    with caminho.open(encoding="utf-8", newline="") as f:
        leitor = csv.reader(f)
        next(leitor, None)
        for linha in leitor:
            if len(linha) >= 2 and linha[0] != "total":
                saldos[linha[0]] = _centavos(linha[1])
    return _por_codigo(saldos)


# ------------------------------------------------------------------ medições
class Contexto:
    def __init__(
        self,
        args: argparse.Namespace,
        tmp: Path,
        lancamentos: int,
        gerado: dict[str, Any],
        bancos: Bancos,
    ) -> None:
        self.args = args
        self.tmp = tmp
        self.lancamentos = lancamentos
        self.partidas: int = gerado["partidas"]
        self.arquivos: dict[str, Path] = gerado["arquivos"]
        self.plano_csv = tmp / "plano.csv"
        self.bancos = bancos

    @property
    def repeticoes(self) -> int:
        return int(self.args.repeticoes)

    def rodar(self, cmd: Sequence[str | Path], saida: Path | None = None) -> tuple[float, int]:
        return executar(cmd, saida, self.args.limite)


def _registro(ferramenta: str) -> dict[str, Any]:
    return {
        "ferramenta": ferramenta,
        "rotulo": ROTULOS[ferramenta],
        "quando": dt.datetime.now().isoformat(timespec="seconds"),
        "total_s": [],  # carga + balancete do ano, por rodada
        "total_pico_kib": [],
        "mes_s": [],  # balancete de junho num processo novo
        "mes_pico_kib": [],
        "repetido": None,  # {"min_s", "mediana_s", "como"} ou None (relê o arquivo)
        "etapas": {},
        "notas": [],
    }


def medir_erario(ctx: Contexto, tipo: str) -> dict[str, Any]:
    ferramenta = "erario" if tipo == "sqlite" else "postgres"
    reg = _registro(ferramenta)
    reg.update(git_info())
    etapas: dict[str, list[float]] = {
        "importar_s": [],
        "importar_pico_kib": [],
        "balancete_ano_s": [],
    }
    out_ano, out_mes = ctx.tmp / f"{ferramenta}_ano.csv", ctx.tmp / f"{ferramenta}_mes.csv"
    impressoes: list[str] = []
    for rodada in range(ctx.repeticoes):
        impressoes.append(impressao_src())
        url, tamanho, limpar = ctx.bancos.novo(tipo)
        try:
            cli = [*ERARIO_CLI, "--db", url]
            # Preparação (fora da medição): plano, entidade, exercício.
            ctx.rodar([*cli, "plano", "importar", ctx.plano_csv])
            ctx.rodar(
                [
                    *cli,
                    "entidade",
                    "criar",
                    "--slug",
                    ENTIDADE,
                    "--nome",
                    "Prefeitura (bench)",
                    "--cnpj",
                    CNPJ,
                    "--tipo",
                    "prefeitura",
                    "--ibge",
                    "4312658",
                    "--poder-orgao",
                    "10131",
                ]
            )
            ctx.rodar([*cli, "exercicio", "abrir", ENTIDADE, str(ANO)])
            t_imp, rss_imp = ctx.rodar([*cli, "importar", ctx.arquivos["erario"]])
            balancete = [*cli, "balancete", ENTIDADE, "--formato", "csv", "-o"]
            t_ano, rss_ano = ctx.rodar(
                [*balancete, out_ano, "--de", f"{ANO}-01", "--ate", f"{ANO}-12"]
            )
            t_mes, rss_mes = ctx.rodar([*balancete, out_mes, "--mes", f"{ANO}-{MES:02d}"])
            etapas["importar_s"].append(t_imp)
            etapas["importar_pico_kib"].append(rss_imp)
            etapas["balancete_ano_s"].append(t_ano)
            reg["total_s"].append(t_imp + t_ano)
            reg["total_pico_kib"].append(max(rss_imp, rss_ano))
            reg["mes_s"].append(t_mes)
            reg["mes_pico_kib"].append(rss_mes)
            _log(
                f"  {ROTULOS[ferramenta]} rodada {rodada + 1}: importar {_fmt_t(t_imp)} "
                f"({_fmt_mib(rss_imp)}), balancete do ano {_fmt_t(t_ano)}, "
                f"de junho {_fmt_t(t_mes)}"
            )
            if rodada == ctx.repeticoes - 1:
                rep_json = ctx.tmp / f"{ferramenta}_repetido.json"
                ctx.rodar(
                    [
                        sys.executable,
                        BENCH / "medir_erario.py",
                        url,
                        "--mes",
                        str(MES),
                        "--repeticoes",
                        str(ctx.args.repetido),
                        "--saida",
                        rep_json,
                    ]
                )
                rep = json.loads(rep_json.read_text())
                reg["repetido"] = {
                    "min_s": rep["mes"]["min_s"],
                    "mediana_s": rep["mes"]["mediana_s"],
                    "como": f"Repositorio.balancete em processo, {ctx.args.repetido} chamadas",
                }
                reg["etapas"]["repetido"] = rep
                reg["etapas"]["banco_mib"] = tamanho()
                _log(
                    f"  {ROTULOS[ferramenta]} balancete repetido (em processo): junho "
                    f"{_fmt_t(rep['mes']['min_s'])} / {_fmt_t(rep['mes']['mediana_s'])}, ano "
                    f"{_fmt_t(rep['ano']['min_s'])} / {_fmt_t(rep['ano']['mediana_s'])} "
                    f"(mín / mediana); banco {reg['etapas']['banco_mib']:.0f} MiB"
                )
                if not (rep["mes"]["fecha"] and rep["ano"]["fecha"]):
                    reg["notas"].append("o balancete não fecha (conferir_balancete)")
        finally:
            limpar()
    reg["etapas"].update(etapas)
    impressoes.append(impressao_src())
    reg["src"] = impressoes
    if len(set(impressoes)) > 1:
        reg["notas"].append(
            "o código de src/ mudou durante a medição (impressões "
            + " → ".join(dict.fromkeys(impressoes))
            + "): as rodadas não medem o mesmo código"
        )
        _log(f"  atenção: {reg['notas'][-1]}")
    reg["contas_ano"], reg["debitos"], reg["creditos"] = ler_erario_csv(out_ano)
    reg["contas_mes"] = ler_erario_csv(out_mes)[0]
    return reg


def medir_texto(ctx: Contexto, ferramenta: str) -> dict[str, Any]:
    """ledger-cli ou hledger: ``bal`` do ano e de junho; cada processo relê o diário."""
    reg = _registro(ferramenta)
    diario = ctx.arquivos["ledger"]
    if ferramenta == "ledger":
        base = ["ledger", "-f", str(diario), "bal", "--format", "%(account)\t%(display_total)\n"]
        ler = ler_ledger
    else:
        base = ["hledger", "-f", str(diario), "bal", "--tree", "--no-elide", "-O", "csv"]
        ler = ler_hledger
    mes = ["-b", DE_MES, "-e", ATE_MES]
    reg["comandos"] = [" ".join(base), " ".join([*base, *mes])]
    out_ano, out_mes = ctx.tmp / f"{ferramenta}_ano.txt", ctx.tmp / f"{ferramenta}_mes.txt"
    for rodada in range(ctx.repeticoes):
        t_ano, rss_ano = ctx.rodar(base, out_ano)
        t_mes, rss_mes = ctx.rodar([*base, *mes], out_mes)
        _anotar(reg, t_ano, rss_ano, t_mes, rss_mes)
        _log(
            f"  {ROTULOS[ferramenta]} rodada {rodada + 1}: ano {_fmt_t(t_ano)} "
            f"({_fmt_mib(rss_ano)}), junho {_fmt_t(t_mes)} ({_fmt_mib(rss_mes)})"
        )
    reg["contas_ano"], reg["contas_mes"] = ler(out_ano), ler(out_mes)
    reg["debitos"] = reg["creditos"] = None  # o bal mostra saldos, não os débitos e créditos
    return reg


def _anotar(reg: dict[str, Any], t_ano: float, rss_ano: int, t_mes: float, rss_mes: int) -> None:
    """Guarda uma rodada de ano e de junho (tempo e pico de RSS) no registro."""
    reg["total_s"].append(t_ano)
    reg["total_pico_kib"].append(rss_ano)
    reg["mes_s"].append(t_mes)
    reg["mes_pico_kib"].append(rss_mes)


def _rodadas_script(
    ctx: Contexto, ferramenta: str, script_nome: str, rotulo: str
) -> tuple[dict[str, Any], Path, Path]:
    """Rodadas de ano e junho de um script de medição no venv dos pares."""
    reg = _registro(ferramenta)
    script = [python_pares(), BENCH / script_nome, ctx.arquivos[ferramenta]]
    j_ano, j_mes = ctx.tmp / f"{ferramenta}_ano.json", ctx.tmp / f"{ferramenta}_mes.json"
    for rodada in range(ctx.repeticoes):
        t_ano, rss_ano = ctx.rodar([*script, "--de", DE_ANO, "--ate", ATE_ANO, "--saida", j_ano])
        t_mes, rss_mes = ctx.rodar([*script, "--de", DE_MES, "--ate", ATE_MES, "--saida", j_mes])
        _anotar(reg, t_ano, rss_ano, t_mes, rss_mes)
        _log(
            f"  {rotulo} rodada {rodada + 1}: ano {_fmt_t(t_ano)} ({_fmt_mib(rss_ano)}), "
            f"junho {_fmt_t(t_mes)}"
        )
    return reg, j_ano, j_mes


def medir_beancount(ctx: Contexto) -> dict[str, Any]:
    reg, j_ano, j_mes = _rodadas_script(ctx, "beancount", "medir_beancount.py", "Beancount")
    ano, mes = json.loads(j_ano.read_text()), json.loads(j_mes.read_text())
    reg["contas_ano"] = _por_codigo({c: _centavos(v) for c, v in ano["contas"].items()})
    reg["contas_mes"] = _por_codigo({c: _centavos(v) for c, v in mes["contas"].items()})
    reg["debitos"], reg["creditos"] = ano["debitos"], ano["creditos"]
    reg["etapas"]["tempos_internos_ano"] = ano["tempos"]
    return reg


def medir_duckdb(ctx: Contexto) -> dict[str, Any]:
    reg, j_ano, j_mes = _rodadas_script(ctx, "duckdb", "medir_duckdb.py", "DuckDB")
    script = [python_pares(), BENCH / "medir_duckdb.py", ctx.arquivos["duckdb"]]
    j_rep = ctx.tmp / "duckdb_repetido.json"
    _t, rss_rep = ctx.rodar(
        [
            *script,
            "--de",
            DE_MES,
            "--ate",
            ATE_MES,
            "--repetir",
            str(ctx.args.repetido),
            "--saida",
            j_rep,
        ]
    )
    rep = json.loads(j_rep.read_text())["tempos"]
    reg["repetido"] = {
        "min_s": rep["repetido_min_s"],
        "mediana_s": rep["repetido_mediana_s"],
        "como": f"tabela em memória, {ctx.args.repetido} consultas",
    }
    reg["etapas"]["carga_em_memoria_s"] = rep["carga_s"]
    reg["etapas"]["repetido_pico_kib"] = rss_rep
    _log(
        f"  DuckDB tabela em memória: carga {_fmt_t(rep['carga_s'])}, consulta repetida "
        f"{_fmt_t(rep['repetido_min_s'])} / {_fmt_t(rep['repetido_mediana_s'])} ({_fmt_mib(rss_rep)})"
    )
    ano, mes = json.loads(j_ano.read_text()), json.loads(j_mes.read_text())
    reg["contas_ano"] = {c: d - cr for c, (d, cr) in ano["contas"].items()}
    reg["contas_mes"] = {c: d - cr for c, (d, cr) in mes["contas"].items()}
    reg["debitos"], reg["creditos"] = ano["debitos"], ano["creditos"]
    return reg


# --------------------------------------------------------------- conferência
def divergencias(ref: dict[str, Any], reg: dict[str, Any], limite: int = 10) -> list[str]:
    """Diferenças (ao centavo) entre o balancete de ``reg`` e o de referência."""
    problemas: list[str] = []
    for periodo in ("ano", "mes"):
        a, b = ref[f"contas_{periodo}"], reg[f"contas_{periodo}"]
        difs = [k for k in sorted(set(a) | set(b)) if a.get(k, 0) != b.get(k, 0)]
        rotulo = "ano" if periodo == "ano" else f"mês {MES:02d}"
        for k in difs[:limite]:
            problemas.append(
                f"{rotulo}, conta {k}: {ref['rotulo']} {_fmt_reais(a.get(k, 0))}, "
                f"{reg['rotulo']} {_fmt_reais(b.get(k, 0))}"
            )
        if len(difs) > limite:
            problemas.append(f"{rotulo}: … e mais {len(difs) - limite} conta(s)")
    for campo in ("debitos", "creditos"):
        if reg.get(campo) is not None and reg[campo] != ref[campo]:
            problemas.append(
                f"Σ {campo} do ano: {ref['rotulo']} {_fmt_reais(ref[campo])}, "
                f"{reg['rotulo']} {_fmt_reais(reg[campo])}"
            )
    return problemas


def conferir_tamanho(dados: dict[str, Any]) -> dict[str, list[str]]:
    """{ferramenta: problemas} de um tamanho; referência: erario (SQLite, senão PostgreSQL)."""
    regs = dados["registros"]
    ref = regs.get("erario") or regs.get("postgres")
    out: dict[str, list[str]] = {}
    if ref is None:
        return {f: ["sem o erario neste tamanho: nada a comparar"] for f in regs}
    gerador = {"rotulo": "gerador", "debitos": dados["debitos"], "creditos": dados["creditos"]}
    for f, reg in regs.items():
        problemas = [
            f"Σ {c} do ano: gerador {_fmt_reais(gerador[c])}, {reg['rotulo']} {_fmt_reais(reg[c])}"
            for c in ("debitos", "creditos")
            if reg.get(c) is not None and reg[c] != gerador[c]
        ]
        if reg is not ref:
            problemas += divergencias(ref, reg)
        problemas += [n for n in reg.get("notas", []) if "não fecha" in n]
        out[f] = problemas
    return out


# ------------------------------------------------------------------ máquina
def impressao_src() -> str:
    """Hash do código de ``src/`` (para saber se mudou no meio de uma medição)."""
    h = hashlib.sha256()
    for arq in sorted((RAIZ / "src").rglob("*.py")):
        h.update(str(arq.relative_to(RAIZ)).encode())
        h.update(arq.read_bytes())
    return h.hexdigest()[:12]


def git_info() -> dict[str, Any]:
    log = _saida_de(["git", "-C", str(RAIZ), "log", "--oneline", "-3"])
    sujo = _saida_de(["git", "-C", str(RAIZ), "status", "--porcelain", "--", "src"])
    return {"commit": log.splitlines(), "src_alterado": bool(sujo)}


def maquina(pg: str) -> dict[str, Any]:
    modelo = platform.processor()
    mem_kib = 0
    try:
        for linha in Path("/proc/cpuinfo").read_text().splitlines():
            if linha.startswith("model name"):
                modelo = linha.split(":", 1)[1].strip()
                break
        for linha in Path("/proc/meminfo").read_text().splitlines():
            if linha.startswith("MemTotal"):
                mem_kib = int(linha.split()[1])
    except OSError:
        pass
    py = python_pares()
    pares = ""
    if py.exists():
        pares = _saida_de(
            [
                str(py),
                "-c",
                "import importlib.metadata as m\n"
                "for p in ('beancount', 'duckdb'):\n"
                "    try: print(p, m.version(p))\n"
                "    except m.PackageNotFoundError: pass",
            ]
        )
    versoes = dict(linha.split(" ", 1) for linha in pares.splitlines() if " " in linha)
    return {
        "nproc": os.cpu_count(),
        "cpu": modelo,
        "ram_gib": round(mem_kib / 2**20, 1),
        "sistema": f"{platform.system()} {platform.release()}",
        "carga_media": os.getloadavg(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
        "ledger": _saida_de(["ledger", "--version"]).splitlines()[0]
        if shutil.which("ledger")
        else "",
        "hledger": _saida_de(["hledger", "--version"]) if shutil.which("hledger") else "",
        "beancount": versoes.get("beancount", ""),
        "duckdb": versoes.get("duckdb", ""),
    }


# ----------------------------------------------------------------- relatório
def _razao(reg: dict[str, Any], ref: dict[str, Any] | None, campo: str) -> float | None:
    if ref is None:
        return None
    if campo == "repetido":
        a = (reg["repetido"] or {}).get("mediana_s") or _mediana(reg["mes_s"])
        b = (ref["repetido"] or {}).get("mediana_s")
    else:
        a, b = _mediana(reg[campo]), _mediana(ref[campo])
    return a / b if a and b else None


def _nao_medidos(n: int, dados: dict[str, Any], resultados: dict[str, Any]) -> dict[str, str]:
    """Ferramentas medidas em algum tamanho e não neste, com o motivo."""
    medidas = {f for _n, d in _tamanhos(resultados) for f in d["registros"]}
    motivos = dict(dados.get("pulados", {}))
    for f in medidas - set(dados["registros"]) - set(motivos):
        limite = resultados.get(f"{f}_max")
        if limite is not None and n > limite:
            motivos[f] = f"acima de --{f}-max ({_fmt_int(limite)} lançamentos)"
        else:
            motivos[f] = "fora desta execução (--ferramentas)"
    return motivos


def tabela_tamanho(
    n: int, dados: dict[str, Any], resultados: dict[str, Any] | None = None
) -> list[str]:
    regs = dados["registros"]
    ref = regs.get("erario")
    conferencia = conferir_tamanho(dados)
    ref_ok = ref is not None and not conferencia.get("erario")
    linhas = [
        f"### {_fmt_int(n)} lançamentos ({_fmt_int(dados['partidas'])} partidas)",
        "",
        "| ferramenta | carga + balancete do ano (mín / mediana) | pico de RSS | partidas/s "
        "| × erario | balancete de junho, processo novo (mín / mediana) | × erario "
        "| balancete repetido (mín / mediana) | × erario | confere com o erario |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in FERRAMENTAS:
        reg = regs.get(f)
        if reg is None:
            continue
        problemas = conferencia.get(f, [])
        ok = ref_ok and not problemas
        rep = reg["repetido"]
        if rep:
            repetido = f"{_fmt_t(rep['min_s'])} / {_fmt_t(rep['mediana_s'])}"
        else:
            repetido = f"{_min_med(reg['mes_s'])} (relê o arquivo)"
        med = _mediana(reg["total_s"])
        razoes = [_razao(reg, ref, c) if ok else None for c in ("total_s", "mes_s", "repetido")]
        textos = [_fmt_x(r) if ok else "recusada" for r in razoes]
        confere = "sim, ao centavo" if ok else f"**não** ({len(problemas)} diferença(s))"
        if f == "erario":
            confere = "referência" + (" (Σ = gerador)" if not problemas else " — **com problemas**")
        linhas.append(
            f"| {reg['rotulo']} | {_min_med(reg['total_s'])} | "
            f"{_fmt_mib(max(reg['total_pico_kib']))} | "
            f"{_fmt_int(dados['partidas'] / med) if med else '—'} | {textos[0]} | "
            f"{_min_med(reg['mes_s'])} | {textos[1]} | {repetido} | {textos[2]} | {confere} |"
        )
    motivos = _nao_medidos(n, dados, resultados) if resultados else dados.get("pulados", {})
    for f in FERRAMENTAS:
        if f in motivos:
            linhas.append(f"| {ROTULOS[f]} | não medido: {motivos[f]} | | | | | | | | |")
    linhas.append("")
    cargas = [
        f"{reg['rotulo']} {_fmt_dec(reg['carga_media'][0], 1)}"
        for f in FERRAMENTAS
        if (reg := regs.get(f)) and reg.get("carga_media")
    ]
    if cargas:
        linhas += [
            "Carga média da máquina (1 min) ao fim de cada ferramenta: " + ", ".join(cargas) + ".",
            "",
        ]
    for f in FERRAMENTAS:
        reg = regs.get(f)
        for nota in (reg or {}).get("notas", []):
            if "não fecha" not in nota:
                linhas += [f"Atenção ({ROTULOS[f]}): {nota}.", ""]
    for f, problemas in conferencia.items():
        if problemas:
            linhas.append(f"Diferenças de {ROTULOS[f]}:")
            linhas += [f"- {p}" for p in problemas]
            linhas.append("")
    return linhas


def detalhe_erario(resultados: dict[str, Any]) -> list[str]:
    linhas = [
        "| lançamentos | banco | importar (mín / mediana) | pico de RSS da importação "
        "| partidas/s na importação | balancete do ano, CLI | balancete de junho, CLI "
        "| repetido junho (1ª / mín / mediana) | repetido ano (1ª / mín / mediana) | banco |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, dados in _tamanhos(resultados):
        for f in ("erario", "postgres"):
            reg = dados["registros"].get(f)
            if not reg:
                continue
            e = reg["etapas"]
            rep = e.get("repetido", {})
            reps = [
                " / ".join(_fmt_t(rep[p][k]) for k in ("primeiro_s", "min_s", "mediana_s"))
                if p in rep
                else "—"
                for p in ("mes", "ano")
            ]
            med_imp = _mediana(e["importar_s"])
            linhas.append(
                f"| {_fmt_int(n)} | {'SQLite' if f == 'erario' else 'PostgreSQL'} | "
                f"{_min_med(e['importar_s'])} | {_fmt_mib(max(e['importar_pico_kib']))} | "
                f"{_fmt_int(dados['partidas'] / med_imp) if med_imp else '—'} | "
                f"{_min_med(e['balancete_ano_s'])} | {_min_med(reg['mes_s'])} | "
                f"{reps[0]} | {reps[1]} | {_fmt_int(e.get('banco_mib') or 0)} MiB |"
            )
    return linhas


def _tamanhos(resultados: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return sorted((int(n), d) for n, d in resultados["tamanhos"].items())


def crescimento(resultados: dict[str, Any]) -> tuple[list[str], dict[str, list[float]]]:
    """Tabela de custo por tamanho e expoente e de t ∝ partidasᵉ entre tamanhos vizinhos."""
    tamanhos = _tamanhos(resultados)
    cab = " | ".join(f"{_fmt_int(n)} lanç." for n, _ in tamanhos)
    linhas = [
        f"| ferramenta | {cab} | expoente e (t ∝ partidasᵉ), entre tamanhos vizinhos |",
        "|---|" + "---:|" * len(tamanhos) + "---|",
    ]
    expoentes: dict[str, list[float]] = {}
    for f in FERRAMENTAS:
        pontos = [
            (d["partidas"], _mediana(d["registros"][f]["total_s"]))
            for _n, d in tamanhos
            if f in d["registros"]
        ]
        if not pontos:
            continue
        celulas = []
        for _n, d in tamanhos:
            reg = d["registros"].get(f)
            if reg:
                med = _mediana(reg["total_s"]) or 0
                celulas.append(
                    f"{_fmt_t(med)} ({_fmt_dec(med / d['partidas'] * 1e6, 2)} µs/partida)"
                )
            else:
                celulas.append("—")
        exps = [
            math.log(t2 / t1) / math.log(p2 / p1)
            for (p1, t1), (p2, t2) in itertools.pairwise(pontos)
            if t1 and t2 and p2 != p1
        ]
        expoentes[f] = exps
        texto = ", ".join(_fmt_dec(e, 2) for e in exps) or "—"
        linhas.append(f"| {ROTULOS[f]} | {' | '.join(celulas)} | {texto} |")
    return linhas, expoentes


def veredictos(resultados: dict[str, Any], expoentes: dict[str, list[float]]) -> list[str]:
    tamanhos = _tamanhos(resultados)
    linhas = []
    # 1. ≥ 3× mais rápido que o ledger-cli em carga + balancete, em 1 M lançamentos.
    alvo = [
        (n, d) for n, d in tamanhos if "erario" in d["registros"] and "ledger" in d["registros"]
    ]
    com_1m = [(n, d) for n, d in alvo if n == 1_000_000] or alvo[-1:]
    if com_1m:
        n, d = com_1m[0]
        conf = conferir_tamanho(d)
        if conf.get("erario") or conf.get("ledger"):
            linhas.append(
                f"- **≥ 3× o ledger-cli** ({_fmt_int(n)}): sem veredicto — os totais divergem."
            )
        else:
            r = _razao(d["registros"]["ledger"], d["registros"]["erario"], "total_s") or 0
            ok = r >= META_LEDGER
            linhas.append(
                f"- **Carga + balancete ≥ 3× mais rápido que o ledger-cli** ({_fmt_int(n)} lançamentos): "
                f"{'**atingida**' if ok else '**não atingida**'} — o erario leva "
                f"{_fmt_t(_mediana(d['registros']['erario']['total_s']))}, o ledger-cli "
                f"{_fmt_t(_mediana(d['registros']['ledger']['total_s']))} "
                f"(razão {_fmt_x(r)}; meta ≥ 3×)."
            )
    else:
        linhas.append("- **≥ 3× o ledger-cli**: não medido (falta o erario ou o ledger-cli).")
    # 2. Balancete repetido < 50 ms em todo tamanho.
    reps = [
        (n, f, d["registros"][f]["repetido"])
        for n, d in tamanhos
        for f in ("erario", "postgres")
        if f in d["registros"] and d["registros"][f]["repetido"]
    ]
    if reps:
        ruins = [
            (n, f, r) for n, f, r in reps if f == "erario" and r["mediana_s"] >= META_REPETIDO_S
        ]
        partes = ", ".join(
            f"{_fmt_int(n)} {'SQLite' if f == 'erario' else 'PostgreSQL'}: {_fmt_t(r['mediana_s'])}"
            for n, f, r in reps
        )
        linhas.append(
            f"- **Balancete repetido < 50 ms em todo tamanho** (SQLite, o padrão; mediana, junho): "
            f"{'**atingida**' if not ruins else '**não atingida**'} — {partes}."
        )
    # 3. Memória < 2 GB na carga.
    picos = [
        (n, f, max(d["registros"][f]["etapas"]["importar_pico_kib"]))
        for n, d in tamanhos
        for f in ("erario", "postgres")
        if f in d["registros"]
    ]
    if picos:
        ruins = [p for p in picos if p[1] == "erario" and p[2] * 1024 >= META_MEMORIA_B]
        partes = ", ".join(
            f"{_fmt_int(n)} {'SQLite' if f == 'erario' else 'PostgreSQL'}: {_fmt_mib(k)}"
            for n, f, k in picos
        )
        linhas.append(
            f"- **Memória < 2 GB (1.907 MiB) na carga** (SQLite, o padrão; pico de RSS de `erario importar`): "
            f"{'**atingida**' if not ruins else '**não atingida**'} — {partes}."
        )
    # 4. Custo linear.
    exps = expoentes.get("erario", [])
    if exps:
        ok = all(e <= EXPOENTE_LINEAR for e in exps)
        linhas.append(
            f"- **Custo linear ou melhor** (erario SQLite, carga + balancete): "
            f"{'**atingida**' if ok else '**não atingida**'} — expoente(s) "
            f"{', '.join(_fmt_dec(e, 2) for e in exps)} (1,00 = linear; tolerância {_fmt_dec(EXPOENTE_LINEAR, 2)})."
        )
    return linhas


def relatorio(resultados: dict[str, Any], analise: str) -> str:
    m = resultados["maquina"]
    linhas = [
        "# Comparação: erario × ledger-cli × hledger × Beancount × DuckDB",
        "",
        "Gerado por `bench/compare.py` (não edite as tabelas à mão; o texto depois da marca de",
        "análise, no fim, é mantido). Como rodar e o que é medido: `bench/README.md`.",
        "",
        "## Máquina",
        "",
        f"- {m['nproc']} CPUs (`nproc`), {m['cpu']}, {_fmt_dec(m['ram_gib'], 1)} GiB de RAM, {m['sistema']}",
        f"- carga média no início: {', '.join(_fmt_dec(x, 2) for x in m['carga_media'])}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, {m['postgresql'] or 'sem PostgreSQL'}",
        f"- {m['ledger'] or 'ledger-cli ausente'}; {m['hledger'] or 'hledger ausente'}; "
        f"Beancount {m['beancount'] or '—'}; DuckDB {m['duckdb'] or '—'}",
        f"- repetições por medida: {resultados['repeticoes']}; semente {resultados['seed']}; "
        f"plano de {resultados['contas']} contas",
    ]
    medicoes: dict[tuple[str, str, bool], list[str]] = {}
    for _n, d in _tamanhos(resultados):
        for f, reg in d["registros"].items():
            if f in ("erario", "postgres"):
                chave = (
                    reg.get("commit", ["?"])[0].split(" ")[0],
                    " → ".join(dict.fromkeys(reg.get("src", []))),
                    reg.get("src_alterado", False),
                )
                medicoes.setdefault(chave, []).append(reg["quando"].replace("T", " ")[:16])
    for (commit, impressao, sujo), quando in medicoes.items():
        linhas.append(
            f"- erario medido sobre `{commit}`"
            + (" com alterações não commitadas em `src/`" if sujo else "")
            + (f" (impressão de `src/`: `{impressao}`)" if impressao else "")
            + f", de {min(quando)} a {max(quando)}"
        )
    log = resultados.get("git_log") or []
    if log:
        linhas += ["- `git log --oneline | head -3` no fim da execução:", "", "  ```"]
        linhas += [f"  {linha}" for linha in log] + ["  ```"]
    linhas += [
        "",
        "## Como ler",
        "",
        "- **carga + balancete do ano**: erario = `erario importar` + `erario balancete --de "
        f"{ANO}-01 --ate {ANO}-12` (dois processos, banco novo a cada rodada); ledger-cli/hledger = "
        "`bal` do diário; Beancount = `load_file` + saldos por conta; DuckDB = `read_csv` + "
        "`GROUP BY` + totalização das contas superiores.",
        f"- **balancete de junho, processo novo**: o erario lê o banco já carregado "
        f"(`erario balancete --mes {ANO}-06`, inclui ~1 s de partida do Python/CLI); os "
        "outros releem o arquivo inteiro.",
        "- **balancete repetido**: erario = `Repositorio.balancete` num processo que já "
        "está aberto (servidor, sessão); DuckDB = consulta sobre a tabela já em memória; "
        "ledger-cli, hledger e Beancount não guardam estado: cada consulta relê o arquivo "
        "(o número mostrado é o do balancete de junho).",
        "- **× erario** = tempo da ferramenta ÷ tempo do erario (SQLite), pelas medianas; "
        "acima de 1, o erario é mais rápido. Só é impressa se o balancete da ferramenta "
        "confere com o do erario ao centavo em todas as contas (sintéticas incluídas), no ano "
        "e em junho, e Σ débitos / Σ créditos conferem onde a ferramenta os mostra.",
        "- **pico de RSS**: `ru_maxrss` do processo (via `wait4`), o maior entre as rodadas.",
        "",
        "## Resultados",
        "",
    ]
    for n, dados in _tamanhos(resultados):
        linhas += tabela_tamanho(n, dados, resultados)
        linhas.append(
            f"Conferência: Σ débitos = Σ créditos = {_fmt_reais(dados['debitos'])} no gerador. "
            f"Arquivos: "
            + ", ".join(
                f"{k} {_fmt_dec(v, 1 if v < 10 else 0)} MiB"
                for k, v in dados["arquivos_mib"].items()
            )
            + f" (gerados em {_fmt_t(dados['geracao_s'])}, fora da medição)."
        )
        linhas.append("")
    linhas += ["### erario em detalhe", "", *detalhe_erario(resultados), ""]
    tab, expoentes = crescimento(resultados)
    linhas += ["## Crescimento do custo (carga + balancete do ano, mediana)", "", *tab, ""]
    linhas += ["## Metas da issue", "", *veredictos(resultados, expoentes), ""]
    notas = resultados.get("notas", [])
    if notas:
        linhas += ["## Notas da execução", "", *[f"- {n}" for n in notas], ""]
    linhas += [MARCA_ANALISE, analise.rstrip("\n"), ""]
    return "\n".join(linhas).rstrip("\n") + "\n"


def escrever_relatorio(resultados: dict[str, Any], saida: Path) -> None:
    analise = ""
    if saida.exists():
        antigo = saida.read_text(encoding="utf-8")
        if MARCA_ANALISE in antigo:
            analise = antigo.split(MARCA_ANALISE, 1)[1].lstrip("\n")
    saida.write_text(relatorio(resultados, analise), encoding="utf-8")


def juntar(base: dict[str, Any], novo: dict[str, Any]) -> dict[str, Any]:
    """Resultados de ``novo`` por cima de ``base`` (por tamanho e ferramenta)."""
    out = {**base, **{k: v for k, v in novo.items() if k != "tamanhos"}}
    tamanhos = {n: dict(d) for n, d in base.get("tamanhos", {}).items()}
    for n, d in novo.get("tamanhos", {}).items():
        atual = tamanhos.setdefault(n, {**d, "registros": {}, "pulados": {}})
        regs = {**atual.get("registros", {}), **d.get("registros", {})}
        pulados = {**atual.get("pulados", {}), **d.get("pulados", {})}
        arquivos = {**atual.get("arquivos_mib", {}), **d.get("arquivos_mib", {})}
        geracao = max(atual.get("geracao_s", 0), d.get("geracao_s", 0))
        atual.update({k: v for k, v in d.items() if k not in ("registros", "pulados")})
        atual["arquivos_mib"], atual["geracao_s"] = arquivos, geracao
        atual["registros"] = regs
        atual["pulados"] = {f: m for f, m in pulados.items() if f not in regs}
    out["tamanhos"] = tamanhos
    notas = dict.fromkeys([*base.get("notas", []), *novo.get("notas", [])])
    # Notas de ferramentas puladas num tamanho já aparecem nas tabelas (e somem se remedidas).
    out["notas"] = [n for n in notas if not any(n.startswith(f"{r} em ") for r in ROTULOS.values())]
    return out


# -------------------------------------------------------------------- main
def _lista_int(texto: str) -> list[int]:
    try:
        valores = [int(x.replace("_", "").replace(".", "")) for x in texto.split(",") if x]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{texto}': use números separados por vírgula") from None
    if not valores or min(valores) < 1:
        raise argparse.ArgumentTypeError("tamanhos devem ser positivos")
    return valores


def _lista_ferramentas(texto: str) -> list[str]:
    nomes = [x.strip() for x in texto.split(",") if x.strip()]
    ruins = [n for n in nomes if n not in FERRAMENTAS]
    if ruins:
        raise argparse.ArgumentTypeError(
            f"ferramenta(s) desconhecida(s): {', '.join(ruins)}; use {', '.join(FERRAMENTAS)}"
        )
    return nomes


def medir_tamanho(
    args: argparse.Namespace, n: int, ferramentas: list[str], bancos_url: str | None
) -> dict[str, Any]:
    pulados: dict[str, str] = {}
    ativas = []
    for f in ferramentas:
        if f == "hledger" and n > args.hledger_max:
            pulados[f] = f"acima de --hledger-max ({_fmt_int(args.hledger_max)} lançamentos)"
        elif f == "beancount" and n > args.beancount_max:
            pulados[f] = f"acima de --beancount-max ({_fmt_int(args.beancount_max)} lançamentos)"
        else:
            ativas.append(f)
    formatos = {"erario" if f == "postgres" else "ledger" if f == "hledger" else f for f in ativas}
    tmp = Path(tempfile.mkdtemp(prefix=f"erario-compare-{n}-", dir=args.tmp))
    try:
        rng = random.Random(args.seed)
        plano, texto = gerar_plano(args.contas, rng)
        (tmp / "plano.csv").write_text(texto, encoding="utf-8")
        _log(f"\n== {_fmt_int(n)} lançamentos: gerando {', '.join(sorted(formatos))} em {tmp} …")
        t0 = time.perf_counter()
        gerado = gerar_formatos(tmp, plano, n, rng, sorted(formatos))
        geracao = time.perf_counter() - t0
        tamanhos = {f: p.stat().st_size / 2**20 for f, p in gerado["arquivos"].items()}
        _log(
            f"   {_fmt_int(gerado['partidas'])} partidas, Σ débitos {_fmt_reais(gerado['debitos'])}"
            f"; {_fmt_t(geracao)} ("
            + ", ".join(f"{k} {v:.0f} MiB" for k, v in tamanhos.items())
            + ")"
        )
        ctx = Contexto(args, tmp, n, gerado, Bancos(tmp, bancos_url))
        dados: dict[str, Any] = {
            "lancamentos": n,
            "partidas": gerado["partidas"],
            "debitos": gerado["debitos"],
            "creditos": gerado["creditos"],
            "arquivos_mib": tamanhos,
            "geracao_s": geracao,
            "registros": {},
            "pulados": pulados,
        }
        for f in ativas:
            _log(f"-- {ROTULOS[f]}")
            try:
                if f in ("erario", "postgres"):
                    reg = medir_erario(ctx, "sqlite" if f == "erario" else "postgresql")
                elif f in ("ledger", "hledger"):
                    reg = medir_texto(ctx, f)
                elif f == "beancount":
                    reg = medir_beancount(ctx)
                else:
                    reg = medir_duckdb(ctx)
            except (Falha, OSError, ValueError, KeyError) as exc:
                _log(f"   falhou: {exc}")
                pulados[f] = f"falhou: {str(exc)[:300]}"
                continue
            reg["carga_media"] = os.getloadavg()  # ao fim da medição (1, 5 e 15 min)
            dados["registros"][f] = reg
        for linha in tabela_tamanho(n, dados):
            _log(linha)
        return dados
    finally:
        if args.manter:
            _log(f"arquivos mantidos em {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description="Compara o erario com ledger-cli, hledger, Beancount e DuckDB no mesmo "
        "diário sintético (carga, balancete do mês e do ano, balancete repetido)."
    )
    p.add_argument(
        "--sizes",
        "--tamanhos",
        dest="tamanhos",
        type=_lista_int,
        default=[100_000, 1_000_000],
        help="tamanhos em lançamentos, separados por vírgula (padrão: 100000,1000000)",
    )
    p.add_argument(
        "--repeticoes", type=int, default=3, help="rodadas de cada medida (padrão: 3; mín. 1)"
    )
    p.add_argument(
        "--ferramentas",
        type=_lista_ferramentas,
        default=list(FERRAMENTAS),
        help=f"subconjunto de {','.join(FERRAMENTAS)} (padrão: todas; postgres só se houver servidor)",
    )
    p.add_argument(
        "--postgres",
        metavar="URL",
        help="servidor PostgreSQL onde criar bancos descartáveis (padrão: "
        "$ERARIO_TEST_POSTGRES_URL ou postgres@127.0.0.1:5432, se responder)",
    )
    p.add_argument(
        "--hledger-max",
        type=int,
        default=1_000_000,
        help="não mede o hledger acima deste tamanho (padrão: 1000000)",
    )
    p.add_argument(
        "--beancount-max",
        type=int,
        default=100_000,
        help="não mede o Beancount acima deste tamanho (padrão: 100000)",
    )
    p.add_argument(
        "--repetido",
        type=int,
        default=20,
        help="chamadas do balancete repetido (erario em processo, DuckDB em memória; padrão 20)",
    )
    p.add_argument("--contas", type=int, default=3000, help="contas do plano sintético (3000)")
    p.add_argument("--seed", type=int, default=2026, help="semente aleatória (2026)")
    p.add_argument(
        "--limite", type=float, default=3600, help="tempo máximo de cada processo, em s (3600)"
    )
    p.add_argument("--tmp", help="diretório dos arquivos temporários (padrão: o do sistema)")
    p.add_argument("--manter", action="store_true", help="não apaga os arquivos gerados")
    p.add_argument(
        "--saida", type=Path, default=BENCH / "RESULTS.md", help="relatório (bench/RESULTS.md)"
    )
    p.add_argument(
        "--json",
        type=Path,
        help="resultados brutos (padrão: bench/out/comparacao-AAAAMMDD-HHMMSS.json)",
    )
    p.add_argument(
        "--incluir",
        type=Path,
        action="append",
        default=[],
        help="JSON de uma execução anterior a juntar no relatório (as medidas novas "
        "substituem as antigas do mesmo tamanho e ferramenta); pode repetir",
    )
    p.add_argument(
        "--so-relatorio",
        action="store_true",
        help="não mede nada: só refaz o relatório a partir dos --incluir",
    )
    args = p.parse_args(argv)
    if args.repeticoes < 1:
        p.error("--repeticoes deve ser ao menos 1")

    base: dict[str, Any] = {}
    for arq in args.incluir:
        base = juntar(base, json.loads(arq.read_text(encoding="utf-8")))
    if args.so_relatorio:
        if not base:
            p.error("--so-relatorio precisa de --incluir")
        escrever_relatorio(base, args.saida)
        _log(f"relatório: {args.saida}")
        return 0

    ferramentas: list[str] = list(args.ferramentas)
    notas: list[str] = []
    faltam = garantir_pares(ferramentas)
    for f, motivo in faltam.items():
        notas.append(f"{ROTULOS[f]} não medido: {motivo}")
        ferramentas.remove(f)
    pg_url, pg_desc = (None, "")
    if "postgres" in ferramentas:
        pg_url, pg_desc = descobrir_postgres(args.postgres)
        if pg_url is None:
            notas.append(f"erario (PostgreSQL) não medido: {pg_desc}")
            ferramentas.remove("postgres")
            pg_desc = ""
    for nota in notas:
        _log(nota)

    agora = dt.datetime.now()
    resultados: dict[str, Any] = {
        "inicio": agora.isoformat(timespec="seconds"),
        "git_log": git_info()["commit"],
        "maquina": maquina(pg_desc),
        "repeticoes": args.repeticoes,
        "seed": args.seed,
        "contas": args.contas,
        "hledger_max": args.hledger_max,
        "beancount_max": args.beancount_max,
        "notas": notas,
        "tamanhos": {},
    }
    json_saida = args.json or BENCH / "out" / f"comparacao-{agora:%Y%m%d-%H%M%S}.json"
    json_saida.parent.mkdir(parents=True, exist_ok=True)
    m = resultados["maquina"]
    _log(
        f"máquina: {m['nproc']} CPUs, {m['cpu']}, {m['ram_gib']} GiB; ferramentas: {', '.join(ferramentas)}"
    )
    for n in args.tamanhos:
        dados = medir_tamanho(args, n, ferramentas, pg_url)
        resultados["tamanhos"][str(n)] = dados
        json_saida.write_text(json.dumps(resultados, ensure_ascii=False), encoding="utf-8")
    final = juntar(base, resultados) if base else resultados
    escrever_relatorio(final, args.saida)
    _log(f"\nresultados brutos: {json_saida}\nrelatório: {args.saida}")
    tab, expoentes = crescimento(final)
    for linha in ["", *tab, "", *veredictos(final, expoentes)]:
        _log(linha)
    return 0


if __name__ == "__main__":
    sys.exit(main())
