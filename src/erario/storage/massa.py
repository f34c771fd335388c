"""Escrita em massa: ``executemany`` no SQLite, ``COPY`` no PostgreSQL.

Fica dentro da transação da conexão SQLAlchemy recebida: usa o cursor do
driver só para o volume, sem outra conexão nem outro commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from erario.razao.saldos import LinhaSaldo

_COLUNAS_SALDO = (
    "entidade_id",
    "ano",
    "livro",
    "periodo",
    "conta_id",
    "conta_corrente",
    "debito_mes",
    "credito_mes",
    "debito_acum",
    "credito_acum",
)
_CHAVE_SALDO = ", ".join(_COLUNAS_SALDO[:6])
_SOMA_SALDO = ", ".join(f"{c} = saldo.{c} + excluded.{c}" for c in _COLUNAS_SALDO[6:])


def _driver(con: Connection) -> Any:
    return con.connection.driver_connection


def inserir_em_massa(
    con: Connection, tabela: str, colunas: Sequence[str], linhas: Sequence[tuple[Any, ...]]
) -> None:
    if not linhas:
        return
    if con.dialect.name == "postgresql":
        with (
            _driver(con).cursor() as cur,
            cur.copy(f"COPY {tabela} ({', '.join(colunas)}) FROM STDIN") as cp,
        ):
            for linha in linhas:
                cp.write_row(linha)
        return
    marcadores = ", ".join("?" * len(colunas))
    cur = _driver(con).cursor()
    try:
        cur.executemany(
            f"INSERT INTO {tabela} ({', '.join(colunas)}) VALUES ({marcadores})", linhas
        )
    finally:
        cur.close()


def somar_saldos(con: Connection, linhas: Sequence[LinhaSaldo]) -> None:
    """Soma as linhas à tabela de saldos (insere as que faltam)."""
    if not linhas:
        return
    if con.dialect.name == "postgresql":
        driver = _driver(con)
        with driver.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS saldo_delta (LIKE saldo INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            cur.execute("DELETE FROM saldo_delta")
            with cur.copy(f"COPY saldo_delta ({', '.join(_COLUNAS_SALDO)}) FROM STDIN") as cp:
                for linha in linhas:
                    cp.write_row(linha)
            cur.execute(
                f"INSERT INTO saldo ({', '.join(_COLUNAS_SALDO)}) "
                f"SELECT {', '.join(_COLUNAS_SALDO)} FROM saldo_delta "
                f"ON CONFLICT ({_CHAVE_SALDO}) DO UPDATE SET {_SOMA_SALDO}"
            )
        return
    cur = _driver(con).cursor()
    try:
        cur.executemany(
            f"INSERT INTO saldo ({', '.join(_COLUNAS_SALDO)}) VALUES ({', '.join('?' * 10)}) "
            f"ON CONFLICT ({_CHAVE_SALDO}) DO UPDATE SET {_SOMA_SALDO}",
            linhas,
        )
    finally:
        cur.close()
