"""Balancete no Beancount (roda no ambiente dos pares).

Carrega o arquivo com ``beancount.loader.load_file`` (análise, ``booking``,
plugins e validações padrão; sem o cache em pickle, para que toda rodada leia o
arquivo) e soma as partidas de cada conta no intervalo de datas, totalizando as
contas superiores (``Assets:1:1`` inclui ``Assets:1:1:2:FR1500``). Grava um JSON
com o saldo de cada conta (texto decimal exato) e os tempos internos.

Uso: ``python medir_beancount.py diario.beancount --de 2026-06-01 --ate 2026-07-01 --saida x.json``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import defaultdict
from decimal import Decimal

from beancount import __version__ as versao
from beancount import loader
from beancount.core import data


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("arquivo")
    p.add_argument("--de", required=True, help="data inicial AAAA-MM-DD (inclusive)")
    p.add_argument("--ate", required=True, help="data final AAAA-MM-DD (exclusive)")
    p.add_argument("--saida", required=True, help="arquivo JSON de resultado")
    args = p.parse_args()
    de, ate = dt.date.fromisoformat(args.de), dt.date.fromisoformat(args.ate)

    loader.initialize(use_cache=False)
    t0 = time.perf_counter()
    entradas, erros, _opcoes = loader.load_file(args.arquivo)
    t1 = time.perf_counter()
    if erros:
        for e in erros[:10]:
            print(e, file=sys.stderr)
        sys.exit(f"{len(erros)} erro(s) ao carregar {args.arquivo}")

    proprios: dict[str, Decimal] = defaultdict(Decimal)
    debitos = creditos = Decimal(0)
    for e in entradas:
        if isinstance(e, data.Transaction) and de <= e.date < ate:
            for p_ in e.postings:
                n = p_.units.number
                proprios[p_.account] += n
                if n > 0:
                    debitos += n
                else:
                    creditos -= n
    saldos: dict[str, Decimal] = defaultdict(Decimal)
    for conta, valor in proprios.items():
        partes = conta.split(":")
        for i in range(1, len(partes) + 1):
            saldos[":".join(partes[:i])] += valor
    t2 = time.perf_counter()
    resultado = {
        "versao": versao,
        "contas": {c: str(v) for c, v in saldos.items()},
        "debitos": int(debitos * 100),
        "creditos": int(creditos * 100),
        "tempos": {"carga_s": t1 - t0, "saldos_s": t2 - t1},
    }
    with open(args.saida, "w", encoding="utf-8") as f:
        json.dump(resultado, f)


if __name__ == "__main__":
    main()
