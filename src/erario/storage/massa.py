"""Escrita em massa: ``executemany`` no SQLite, ``COPY`` no PostgreSQL; e a
leitura em massa (``ler_em_massa``).

Fica dentro da transação da conexão SQLAlchemy recebida: usa o cursor do
driver só para o volume, sem outra conexão nem outro commit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Table

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


def ler_em_massa(con: Connection, sql: str, lote: int = 10_000) -> Iterator[tuple[Any, ...]]:
    """As linhas de uma consulta sem parâmetros, em tuplas do driver: no SQLite,
    o cursor do sqlite3 (sem o invólucro de linha do SQLAlchemy, ~1 µs por linha
    num milhão); no PostgreSQL, cursor do lado do servidor (memória constante)."""
    if con.dialect.name == "sqlite":
        cursor = con.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            yield from cursor.execute(sql)
        finally:
            cursor.close()
        return
    # As opções só nesta consulta (Connection.execution_options mudaria a conexão).
    resultado = con.exec_driver_sql(
        sql, execution_options={"stream_results": True, "yield_per": lote}
    )
    for linha in resultado:
        yield tuple(linha)


def comando_insert(tabela: str, colunas: Sequence[str]) -> str:
    """``INSERT INTO tabela (colunas) VALUES``, a completar com as tuplas de
    parâmetros (aqui e no módulo C de ``storage.gravacao``)."""
    return f"INSERT INTO {tabela} ({', '.join(colunas)}) VALUES"


def gravar_ou_atualizar(
    con: Connection, tabela: Table, chave: dict[str, Any], dados: dict[str, Any]
) -> None:
    """Atualiza a linha de ``chave`` com ``dados``; sem linha, insere."""
    filtro = [tabela.c[k] == v for k, v in chave.items()]
    if not con.execute(tabela.update().where(*filtro).values(**dados)).rowcount:
        con.execute(tabela.insert().values(**chave, **dados))


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
    inserir_planos(con, tabela, colunas, list(chain.from_iterable(linhas)))


def inserir_planos(
    con: Connection, tabela: str, colunas: Sequence[str], valores: Sequence[Any]
) -> None:
    """Como ``inserir_em_massa``, com as linhas emendadas numa lista plana de valores."""
    largura = len(colunas)
    if con.dialect.name == "postgresql":
        inserir_em_massa(
            con,
            tabela,
            colunas,
            [tuple(valores[i : i + largura]) for i in range(0, len(valores), largura)],
        )
        return
    _executar_em_massa(con, comando_insert(tabela, colunas), largura, valores)


# Linhas por comando no SQLite: um INSERT com várias tuplas em VALUES custa menos
# por linha que um executemany de uma tupla (metade, medido em bench/). 999 é o
# limite de parâmetros dos SQLite anteriores à 3.32.
_MAX_PARAMETROS = 999
_MAX_LINHAS = 64


def _executar_em_massa(
    con: Connection, comando: str, largura: int, valores: Sequence[Any], sufixo: str = ""
) -> None:
    """``comando`` (um INSERT … VALUES) com até 64 linhas por execução, a partir
    dos valores das linhas emendados numa lista plana."""
    if not valores:
        return
    por_comando = max(1, min(_MAX_LINHAS, _MAX_PARAMETROS // largura))
    passo = por_comando * largura
    cheios = len(valores) - len(valores) % passo
    tupla = "(" + ", ".join("?" * largura) + ")"
    cur = _driver(con).cursor()
    try:
        if cheios:
            cur.executemany(
                f"{comando} {', '.join([tupla] * por_comando)}{sufixo}",
                (valores[i : i + passo] for i in range(0, cheios, passo)),
            )
        if cheios < len(valores):
            resto = valores[cheios:]
            cur.execute(f"{comando} {', '.join([tupla] * (len(resto) // largura))}{sufixo}", resto)
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
    # Na ordem da chave primária, a árvore B cresce pelo fim (bem mais rápido
    # que inserir na ordem em que as contas apareceram).
    _executar_em_massa(
        con,
        comando_insert("saldo", _COLUNAS_SALDO),
        len(_COLUNAS_SALDO),
        list(chain.from_iterable(sorted(linhas))),
        f" ON CONFLICT ({_CHAVE_SALDO}) DO UPDATE SET {_SOMA_SALDO}",
    )
