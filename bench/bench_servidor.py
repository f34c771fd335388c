"""Benchmark do servidor de dados on-line: muitas entidades enviando ao mesmo tempo.

Não é teste (a versão pequena roda no pytest: ``tests/test_servidor_carga.py``).
Sobe ``erario servidor iniciar`` num processo próprio, numa porta livre do
loopback, com banco novo (SQLite num diretório temporário ou, com ``--db``
PostgreSQL, um esquema descartável ``srvbench_<aleatório>``); cadastra N
entidades de um município e um usuário para cada; cada entidade, numa thread
deste processo, entra e envia os 12 meses em duas versões pelo cliente real
(httpx). Mede só os envios (a entrada, com argon2, fica fora do relógio) e
depois confere tudo: versão vigente igual, byte a byte, à última enviada e
histórico com as versões 1 e 2, os checksums e quem enviou.

Uso (na raiz do repositório)::

    PYTHONPATH=src python bench/bench_servidor.py --entidades 32 --linhas 2000
    PYTHONPATH=src python bench/bench_servidor.py \
        --db postgresql+psycopg://postgres@127.0.0.1/erario_bench
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import httpx

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))  # tests.apoio_carga: o mesmo gerador e a mesma conferência

from tests.apoio_carga import (  # noqa: E402
    cadastrar_carga,
    conferir,
    entidades_carga,
    enviar_tudo,
)
from tests.apoio_postgres import esquema_descartavel  # noqa: E402
from tests.apoio_servidor import porta_livre  # noqa: E402

from erario.api.servidor import Admin, preparar_banco  # noqa: E402


def _cpu() -> str:
    try:
        for linha in Path("/proc/cpuinfo").read_text().splitlines():
            if linha.startswith("model name"):
                return linha.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--entidades", type=int, default=32, help="entidades enviando (padrão 32)")
    p.add_argument("--linhas", type=int, default=2000, help="linhas por balancete (padrão 2000)")
    p.add_argument("--simultaneos", type=int, default=0, help="threads (padrão: uma por entidade)")
    p.add_argument("--db", help="PostgreSQL (esquema descartável); padrão: SQLite temporário")
    args = p.parse_args(argv)
    ents = entidades_carga(args.entidades)
    with (
        tempfile.TemporaryDirectory(prefix="erario-srv-") as tmp,
        (
            esquema_descartavel(args.db, "srvbench")
            if args.db
            else nullcontext(f"sqlite:///{Path(tmp) / 'servidor.db'}")
        ) as url_banco,
    ):
        engine = preparar_banco(url_banco)
        cadastrar_carga(Admin(engine), ents)
        engine.dispose()
        porta = porta_livre()
        servidor = subprocess.Popen(
            [sys.executable, "-c", "from erario.cli.app import main; main()", "servidor",
             "iniciar", "--url", url_banco, "--porta", str(porta), "--limite-mb", "64",
             "--segredo-arquivo", str(Path(tmp) / "segredo")],
            env={**os.environ, "PYTHONPATH": str(RAIZ / "src")},
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{porta}"
        try:
            limite = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"{url}/openapi.json", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > limite or servidor.poll() is not None:
                        raise SystemExit("o servidor não subiu") from None
                    time.sleep(0.1)
            r, docs = enviar_tudo(url, ents, args.linhas, args.simultaneos or len(ents))
            problemas = conferir(url, ents, docs)
        finally:
            servidor.terminate()
            servidor.wait(10)
    tamanho = r.bytes / r.envios / 1024
    print(f"máquina: {os.cpu_count()} CPUs, {_cpu()}; Python {platform.python_version()}")
    print(f"banco do servidor: {'PostgreSQL' if args.db else 'SQLite'}")
    print(f"{len(ents)} entidades ao mesmo tempo, {r.envios} envios de ~{tamanho:.0f} KiB "
          f"({args.linhas} linhas) em {r.segundos:.2f} s")  # fmt: skip
    print(f"vazão: {r.envios_s:.0f} envios/s, {r.mb_s:.1f} MiB/s")
    print("conferência: " + ("nada perdido nem trocado" if not problemas else f"{problemas[:5]}"))
    return 1 if problemas else 0


if __name__ == "__main__":
    sys.exit(main())
