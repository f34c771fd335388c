"""Banco do servidor de dados on-line: migrações, backup e restauração.

- **Migrações**: ambiente Alembic próprio (``erario/api/migrations``), separado
  do banco do erario, com a tabela de versão ``alembic_version_servidor``.
  Aplicadas ao iniciar o servidor, pelos comandos de administração e por
  ``erario servidor migrar``. Um banco criado antes das migrações (pelo
  ``create_all`` de então) é levado à revisão mais nova sem perder nada.
- **Backup do SQLite** com a API de backup on-line do SQLite (cópia consistente
  com o servidor no ar) e **restauração** (com o servidor parado). No
  PostgreSQL, ``pg_dump``/``pg_restore`` (docs/consolidacao.md, "Em produção").
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from erario.core.erros import OperacaoRecusada

if TYPE_CHECKING:
    from alembic.config import Config

TABELA_VERSAO = "alembic_version_servidor"
# Chave da trava consultiva do PostgreSQL: dois processos do servidor que
# partem juntos migram um depois do outro.
_TRAVA_PG = 0x65726172  # "erar"
_TRAVA_PROCESSO = threading.Lock()


def _config_alembic() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option(
        "script_location", str(resources.files("erario.api").joinpath("migrations"))
    )
    return cfg


@cache
def revisao_mais_nova() -> str:
    """A revisão mais nova do pacote: as migrações se chamam ``NNNN_nome.py`` e a
    revisão de cada uma é o seu número."""
    versoes = resources.files("erario.api").joinpath("migrations", "versions")
    return max(
        nome[:4]
        for nome in (f.name for f in versoes.iterdir())
        if nome[:4].isdigit() and nome.endswith(".py")
    )


def revisao_no_banco(engine: Engine) -> str | None:
    """A revisão gravada no banco; None se ainda não há tabela de versão (banco
    novo ou criado antes das migrações)."""
    try:
        with engine.connect() as con:
            return con.execute(text(f"SELECT version_num FROM {TABELA_VERSAO}")).scalar()
    except SQLAlchemyError:
        return None


def migrar(engine: Engine) -> tuple[str | None, str]:
    """Aplica as migrações pendentes (idempotente); devolve (revisão antes, depois).
    Já na revisão mais nova, só lê a versão: o Alembic fica para quando há o que
    migrar."""
    antes = revisao_no_banco(engine)
    nova = revisao_mais_nova()
    if antes == nova:
        return antes, nova
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    cfg = _config_alembic()
    # Um processo (ou thread) por vez: o Alembic tem estado global no módulo, e
    # dois processos que partem juntos num banco novo não podem migrar juntos.
    with _TRAVA_PROCESSO, _engine_da_migracao(engine) as eng, eng.begin() as con:
        if con.dialect.name == "postgresql":
            con.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _TRAVA_PG})
        # Com a trava: outro processo pode ter migrado enquanto este esperava.
        opcoes = {"version_table": TABELA_VERSAO}
        antes = MigrationContext.configure(con, opts=opcoes).get_current_revision()
        cfg.attributes["connection"] = con
        command.upgrade(cfg, "head")
    return antes, nova


@contextmanager
def _engine_da_migracao(engine: Engine) -> Iterator[Engine]:
    """PostgreSQL: o próprio engine (a trava consultiva ordena os processos).
    SQLite: um engine cuja transação começa com ``BEGIN IMMEDIATE`` — a trava de
    escrita antes de ler a versão; o segundo processo espera o primeiro (até
    30 s) e encontra o banco já migrado, em vez de "database is locked"."""
    if engine.dialect.name != "sqlite":
        yield engine
        return
    eng = create_engine(engine.url)

    @event.listens_for(eng, "connect")
    def _ao_conectar(dbapi_con: Any, _registro: Any) -> None:
        dbapi_con.isolation_level = None  # transações explícitas, abaixo
        dbapi_con.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(eng, "begin")
    def _ao_iniciar(conexao: Any) -> None:
        conexao.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        yield eng
    finally:
        eng.dispose()


# ------------------------------------------------------------ backup (SQLite)
def arquivo_sqlite(url: str) -> Path:
    """O arquivo do banco SQLite da URL; recusa outro banco (CON-BACKUP)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        raise OperacaoRecusada.uma(
            "CON-BACKUP",
            "backup e restauração por aqui só no SQLite; no PostgreSQL use pg_dump e "
            "pg_restore (docs/consolidacao.md, Em produção)",
        )
    return Path(u.database)


def _conferir_copia(con: sqlite3.Connection, nome: str) -> None:
    """O arquivo é um banco SQLite íntegro do servidor de dados on-line."""
    try:
        integro = con.execute("PRAGMA integrity_check").fetchone()
        tabelas = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise OperacaoRecusada.uma(
            "CON-BACKUP", f"{nome} não é um banco SQLite legível: {exc}"
        ) from None
    if integro != ("ok",):
        raise OperacaoRecusada.uma("CON-BACKUP", f"{nome} está corrompido: {integro[0]}")
    if not {"usuario", "entidade", "envio"} <= tabelas:
        raise OperacaoRecusada.uma(
            "CON-BACKUP", f"{nome} não é um banco do servidor de dados on-line"
        )


def backup_sqlite(url: str, destino: Path) -> int:
    """Copia o banco do servidor (SQLite) para ``destino`` com a API de backup
    on-line: o servidor pode seguir no ar, a cópia é um instantâneo consistente.
    Devolve o tamanho da cópia em bytes."""
    origem = arquivo_sqlite(url)
    if not origem.is_file():
        raise OperacaoRecusada.uma("CON-BACKUP", f"banco {origem} não encontrado")
    if destino.exists():
        raise OperacaoRecusada.uma(
            "CON-BACKUP", f"{destino} já existe: escolha outro nome (o backup não sobrescreve)"
        )
    with closing(sqlite3.connect(origem)) as de, closing(sqlite3.connect(destino)) as para:
        de.execute("PRAGMA busy_timeout=30000")
        de.backup(para)
        _conferir_copia(para, str(destino))
    return destino.stat().st_size


def restaurar_sqlite(origem: Path, url: str, *, substituir: bool = False) -> None:
    """Põe o conteúdo do backup ``origem`` no banco do servidor (SQLite), com o
    servidor parado. Um banco de destino que já tem envios só é sobrescrito com
    ``substituir``. Depois, rode as migrações (o servidor as aplica ao iniciar)."""
    destino = arquivo_sqlite(url)
    if not origem.is_file():
        raise OperacaoRecusada.uma("CON-BACKUP", f"backup {origem} não encontrado")
    with closing(sqlite3.connect(origem)) as de:
        _conferir_copia(de, str(origem))
        with closing(sqlite3.connect(destino)) as para:
            para.execute("PRAGMA busy_timeout=30000")
            tem_envios = False
            with suppress(sqlite3.OperationalError):  # banco vazio: sem a tabela
                tem_envios = para.execute("SELECT 1 FROM envio LIMIT 1").fetchone() is not None
            if tem_envios and not substituir:
                raise OperacaoRecusada.uma(
                    "CON-BACKUP",
                    f"o banco {destino} já tem envios: para trocá-lo pelo backup, "
                    "pare o servidor e repita com --substituir",
                )
            de.backup(para)
