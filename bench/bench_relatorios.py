"""Benchmark das consultas e arquivos de todo dia num banco grande, pela CLI em
processo novo (o que o usuário espera). Não é teste.

Usa uma cópia de um banco montado por ``bench_operacao.py --guardar ARQUIVO.db``
(o município sintético de ``bench_eventos.py``), cadastra nela a conta bancária
que os eventos movimentam e mede, cada comando R vezes (tempo e pico de memória
do processo):

- ``razao`` de um mês da conta bancária na tela (tabela) e em CSV;
- ``retencoes fornecedores`` e ``retencoes liquidacoes``;
- ``esfinge gerar`` do mês;
- ``conciliacao pendencias`` do mês da conta bancária;
- ``execucao despesa`` e ``balancete`` do mês.

Uso: ``PYTHONPATH=src python bench/bench_relatorios.py --banco /tmp/b1m/n.db``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_eventos import DB

RAIZ = Path(__file__).resolve().parents[1]
CONTA = "1.1.1.1.1.19.00"


def _erario(db: Path, *argumentos: str) -> tuple[float, int]:
    """(segundos, pico de memória em MiB) de ``erario argumentos`` num processo novo."""
    ambiente = {**os.environ, "PYTHONPATH": str(RAIZ / "src")}
    comando = [str(Path(sys.executable).with_name("erario")), "--db", f"sqlite:///{db}"]
    with tempfile.TemporaryFile() as erros:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [*comando, *argumentos], stdout=subprocess.DEVNULL, stderr=erros, env=ambiente
        )
        _, estado, uso = os.wait4(proc.pid, 0)  # o pico de memória deste processo
        segundos = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(estado)
        if proc.returncode != 0:
            erros.seek(0)
            raise SystemExit(f"erario {' '.join(argumentos)}: {erros.read().decode()[-2000:]}")
    return segundos, uso.ru_maxrss // 1024


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--banco", type=Path, required=True, help="banco de bench_operacao --guardar")
    p.add_argument("--mes", default="2026-03")
    p.add_argument("--repeticoes", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "banco.db"
        shutil.copyfile(args.banco, db)
        cadastro = Path(tmp) / "conta.jsonl"
        banco, agencia, dv_ag, conta, dv = DB.split("-")
        cadastro.write_text(
            json.dumps(
                {
                    "cadastro": "conta_bancaria",
                    "entidade": "prefeitura",
                    "codigo": DB,
                    "tipo": "movimento",
                    "fonte": "1500",
                    "conta_contabil": CONTA,
                    "banco": banco,
                    "agencia": agencia,
                    "agencia_dv": dv_ag,
                    "conta": conta,
                    "conta_dv": dv,
                }
            )
            + "\n",
            encoding="utf-8",
        )
        _erario(db, "importar", str(cadastro), "--tipo", "cadastros")
        saida = Path(tmp) / "saida"
        comandos = {
            "razao do mês (tabela)": ["razao", "prefeitura", CONTA, "--de", args.mes, "--ate", args.mes],
            "razao do mês (csv)": [
                "razao", "prefeitura", CONTA, "--de", args.mes, "--ate", args.mes, "--formato", "csv",
            ],
            "retencoes fornecedores": ["retencoes", "fornecedores", "prefeitura"],
            "retencoes liquidacoes": ["retencoes", "liquidacoes", "prefeitura"],
            "esfinge gerar do mês": ["esfinge", "gerar", "prefeitura", args.mes, "-o", str(saida)],
            "conciliacao pendencias": ["conciliacao", "pendencias", "prefeitura", DB, args.mes],
            "execucao despesa": ["execucao", "despesa", "prefeitura"],
            "balancete do mês": ["balancete", "prefeitura", "--mes", args.mes],
        }  # fmt: skip
        for nome, argumentos in comandos.items():
            medidas = [_erario(db, *argumentos) for _ in range(args.repeticoes)]
            tempos = [m[0] for m in medidas]
            print(
                f"{nome}: mediana {statistics.median(tempos):.2f} s "
                f"({', '.join(f'{x:.2f}' for x in tempos)}), pico {max(m[1] for m in medidas)} MiB",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
