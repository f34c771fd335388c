"""Cria ou remove um banco PostgreSQL descartável para os testes (usado pelo CI).

Uso: python tools/pg_descartavel.py criar|remover NOME
Sai com código 1, sem erro ruidoso, se não houver servidor em 127.0.0.1:5432.
"""

from __future__ import annotations

import re
import sys

import psycopg

CONNINFO = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"


def main() -> int:
    acao, nome = sys.argv[1], sys.argv[2]
    if not re.fullmatch(r"[a-z0-9_]{1,60}", nome):
        print(f"nome de banco inválido: {nome}", file=sys.stderr)
        return 2
    try:
        with psycopg.connect(CONNINFO, autocommit=True) as con:
            if acao == "criar":
                con.execute(f"CREATE DATABASE {nome}")
            else:
                con.execute(f"DROP DATABASE IF EXISTS {nome} WITH (FORCE)")
    except psycopg.OperationalError:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
