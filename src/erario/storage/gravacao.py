"""Gravação em massa no SQLite pela API C (``_gravacao_sqlite``), ao lado da leitura.

A carga de lançamentos em CSV (``storage.carga_csv``) recebe do acelerador as
linhas de cada bloco já empacotadas e as entrega ao ``Gravador``, que as grava
numa thread com o GIL solto, na mesma conexão e na mesma transação da carga,
enquanto a thread principal lê e valida o bloco seguinte. Um bloco de cada vez,
na ordem: a memória fica limitada a dois blocos. Um erro do SQLite na gravação
aparece na thread principal (``ErroGravacao``) e a transação inteira é desfeita.

Sem o módulo compilado, sem a função ``erario_conexao`` na conexão (Python com
outra biblioteca do SQLite) ou fora do SQLite, ``conexao_c`` devolve None e a
carga segue pelo ``executemany`` do pysqlite (``storage.massa``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.exc import DBAPIError

try:
    from erario.storage import _gravacao_sqlite  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depende da instalação
    _gravacao_sqlite = None

# Pacote: (prefixo 'INSERT INTO t (colunas) VALUES', largura, bytes, linhas).
Pacote = tuple[str, int, bytes, int]


class ErroGravacao(RuntimeError):
    """O SQLite recusou a gravação em massa (disco cheio, restrição…)."""


def conexao_c(con: Connection) -> int | None:
    """O ponteiro da conexão SQLite de ``con`` para o módulo C, ou None."""
    if _gravacao_sqlite is None or con.dialect.name != "sqlite":
        return None
    try:
        return int(con.exec_driver_sql("SELECT erario_conexao()").scalar_one())
    except DBAPIError:  # conexão aberta antes do módulo ou outra biblioteca do SQLite
        return None


def empacotar(comando: str, largura: int, linhas: list[tuple[Any, ...]]) -> Pacote:
    """Pacote das ``linhas`` (tuplas de ``largura`` valores None, int ou str)."""
    assert _gravacao_sqlite is not None  # só com conexao_c: o módulo existe
    dados, n = _gravacao_sqlite.empacotar(linhas, largura)
    return comando, largura, dados, n


def empacotar_partidas(
    comando: str,
    lids: list[int],
    valores: list[int],
    modelos: list[tuple[tuple[int, str, str], ...]],
) -> Pacote:
    """Pacote das partidas de lançamentos compactos: para cada i e cada
    (conta_id, dc, conta corrente) de ``modelos[i]``, a linha (``lids[i]``, seq,
    conta_id, dc, ``valores[i]``, conta corrente), seq contando de 1."""
    assert _gravacao_sqlite is not None
    dados, n = _gravacao_sqlite.empacotar_partidas(lids, valores, modelos)
    return comando, 6, dados, n


@contextmanager
def gravador_da_carga(con: Connection, gravar: bool) -> Iterator[Gravador | None]:
    """O ``Gravador`` de uma carga que grava em ``con`` (None sem ``gravar``, fora
    do SQLite ou sem o módulo C: a carga grava pelo pysqlite).

    Enquanto ele existe, todo comando do SQLAlchemy em ``con`` espera a gravação
    em curso antes de rodar: o que a thread principal consulta durante a carga
    (números já usados, um lançamento a estornar, saldos do encerramento…) já
    inclui os blocos entregues. Quem grava pelo cursor do pysqlite chama
    ``Gravador.esperar`` antes."""
    conexao = conexao_c(con) if gravar else None
    if conexao is None:
        yield None
        return
    with Gravador(conexao) as gravador:

        def esperar(*_: Any) -> None:
            gravador.esperar()

        event.listen(con, "before_cursor_execute", esperar)
        try:
            yield gravador
        finally:
            event.remove(con, "before_cursor_execute", esperar)


def _gravar(conexao: int, pacotes: Sequence[Pacote]) -> None:
    assert _gravacao_sqlite is not None
    try:
        for comando, largura, dados, linhas in pacotes:
            _gravacao_sqlite.gravar(conexao, comando, largura, dados, linhas)
    except RuntimeError as exc:
        raise ErroGravacao(f"gravação em massa no SQLite recusada: {exc}") from exc


class Gravador:
    """Grava pacotes numa thread, um grupo de cada vez e na ordem de entrega.

    Em paralelo só se a biblioteca do SQLite serializa o uso de uma conexão por
    várias threads (``sqlite3.threadsafety == 3``); senão grava na hora.
    """

    def __init__(self, conexao: int) -> None:
        self.conexao = conexao
        paralelo = sqlite3.threadsafety == 3
        self._executor = ThreadPoolExecutor(1, "erario-gravacao") if paralelo else None
        self._pendente: Future[None] | None = None

    def gravar(self, pacotes: Sequence[Pacote]) -> None:
        """Entrega um grupo de pacotes (espera o grupo anterior terminar)."""
        self.esperar()
        if self._executor is None:
            _gravar(self.conexao, pacotes)
        else:
            self._pendente = self._executor.submit(_gravar, self.conexao, pacotes)

    def esperar(self) -> None:
        """Espera a gravação em curso; um erro dela sobe aqui."""
        pendente, self._pendente = self._pendente, None
        if pendente is not None:
            pendente.result()

    def __enter__(self) -> Gravador:
        return self

    def __exit__(
        self,
        tipo: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Sempre espera a thread antes de a transação seguir (commit ou rollback).
        try:
            if tipo is None:
                self.esperar()
            elif self._pendente is not None:
                self._pendente.exception()  # só espera: o erro que já sobe prevalece
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
