"""Conexão e migrações.

Padrão: arquivo SQLite ``./erario.db``; ``ERARIO_DB`` ou ``--db`` trocam a URL
(PostgreSQL: ``postgresql+psycopg://usuario@host/banco``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from erario.core.erros import OperacaoRecusada

if TYPE_CHECKING:
    from alembic.config import Config

URL_PADRAO = "sqlite:///erario.db"
# Quanto uma gravação espera o SQLite que outro processo está gravando (segundos);
# depois disso, "banco ocupado" (MIG-BANCO-OCUPADO). ERARIO_ESPERA_BANCO muda.
ESPERA_PADRAO = 30.0


def espera_banco() -> float:
    try:
        return max(0.0, float(os.environ.get("ERARIO_ESPERA_BANCO", ESPERA_PADRAO)))
    except ValueError:
        return ESPERA_PADRAO


def url_padrao() -> str:
    return os.environ.get("ERARIO_DB") or URL_PADRAO


def criar_engine(url: str | None = None) -> Engine:
    """Engine do banco; URL que não se entende é ``MIG-BANCO`` (mensagem de uma linha)."""
    url = url or url_padrao()
    if "://" not in url and url.endswith((".db", ".sqlite", ".sqlite3")):
        url = "sqlite:///" + url  # caminho de arquivo SQLite dado direto
    try:
        make_url(url)
    except ArgumentError:
        raise OperacaoRecusada.uma(
            "MIG-BANCO",
            f"banco '{url}' não é uma URL válida: use sqlite:///caminho/erario.db ou "
            "postgresql+psycopg://usuario@host/banco",
        ) from None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        # Registra erario_conexao() nas conexões abertas daqui em diante.
        from erario.storage import gravacao  # noqa: F401

        engine = create_engine(url)
        _configurar_sqlite(engine)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except (ArgumentError, NoSuchModuleError, ImportError) as e:
            raise OperacaoRecusada.uma(
                "MIG-BANCO",
                f"banco '{url}' de tipo não suportado ({e}): use sqlite:///caminho/erario.db "
                "ou postgresql+psycopg://usuario@host/banco",
            ) from None
    return engine


def _configurar_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _ao_conectar(dbapi_con: Any, _registro: Any) -> None:
        # Transações explícitas (BEGIN abaixo): o pysqlite não abre transação
        # antes de SELECT, e sem isso leitura e escrita não seriam atômicas.
        dbapi_con.isolation_level = None
        cur = dbapi_con.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(espera_banco() * 1000)}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA cache_size=-200000")
        # Leitura pelo mapa de memória (até 2 GiB, o teto do SQLite compilado):
        # sem uma chamada ao sistema por página. O verificar de 1 M eventos logo
        # depois da carga (arquivo recém-escrito) caiu de 9,0–10,2 s para 7,7–8,2 s.
        cur.execute("PRAGMA mmap_size=2147418112")
        cur.close()

    @event.listens_for(engine, "begin")
    def _ao_iniciar(conexao: Any) -> None:
        # Transação de escrita (transacao_sem_fk): BEGIN IMMEDIATE pega o lugar de
        # escritor já no começo, esperando (busy_timeout) quem está gravando; com
        # BEGIN comum, a segunda carga leria e só falharia ao gravar ("database is
        # locked"), sem esperar.
        if conexao.info.pop("escrita", False):
            try:
                conexao.exec_driver_sql("BEGIN IMMEDIATE")
            except OperationalError as exc:
                if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                    raise OperacaoRecusada.uma(
                        "MIG-BANCO-OCUPADO",
                        f"banco ocupado: outra operação está gravando nele há mais de "
                        f"{espera_banco():g} s; tente de novo quando ela terminar "
                        "(ERARIO_ESPERA_BANCO muda a espera)",
                    ) from None
                raise
        else:
            conexao.exec_driver_sql("BEGIN")


def _config_alembic() -> Config:
    from alembic.config import Config

    cfg = Config()
    local = resources.files("erario.storage").joinpath("migrations")
    cfg.set_main_option("script_location", str(local))
    return cfg


def _revisao_mais_nova() -> str:
    """A revisão mais nova do pacote: as migrações se chamam ``NNNN_nome.py`` e a
    revisão de cada uma é o seu número (``0008``)."""
    versoes = resources.files("erario.storage").joinpath("migrations", "versions")
    return max(
        nome[:4]
        for nome in (f.name for f in versoes.iterdir())
        if nome[:4].isdigit() and nome.endswith(".py")
    )


def _versao_no_banco(engine: Engine) -> str | None:
    try:
        conexao = engine.connect()
    except OperationalError as exc:  # arquivo em pasta que não existe, servidor fora…
        raise OperacaoRecusada.uma(
            "MIG-BANCO",
            f"não foi possível abrir o banco {engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}",
        ) from None
    try:
        with conexao:
            return conexao.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:  # banco novo: ainda sem a tabela do Alembic
        return None


def atualizar_esquema(engine: Engine) -> None:
    """Aplica as migrações pendentes (idempotente). Com o banco já na revisão mais
    nova, só lê a versão: o Alembic (~0,3 s de importação) fica para quando há o
    que migrar."""
    if _versao_no_banco(engine) == _revisao_mais_nova():
        return
    from alembic import command

    cfg = _config_alembic()
    # Migrações que reconstroem tabela no SQLite (0009) pedem as chaves
    # estrangeiras desligadas; a migração as confere (foreign_key_check).
    with transacao_sem_fk(engine) as conexao:
        cfg.attributes["connection"] = conexao
        command.upgrade(cfg, "head")


@contextmanager
def transacao_sem_fk(engine: Engine) -> Iterator[Connection]:
    """Uma transação com as chaves estrangeiras do SQLite desligadas (o PRAGMA só
    vale fora de transação) e religadas no fim; no PostgreSQL, transação comum."""
    with engine.connect() as conexao:
        driver = conexao.connection.driver_connection if engine.dialect.name == "sqlite" else None
        if driver is not None:
            driver.execute("PRAGMA foreign_keys=OFF")
            conexao.info["escrita"] = True  # BEGIN IMMEDIATE (ver _configurar_sqlite)
        try:
            with conexao.begin():
                yield conexao
        finally:
            if driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")


def esquema_atualizado(engine: Engine) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config_alembic())
    with engine.connect() as conexao:
        atual = MigrationContext.configure(conexao).get_current_revision()
    return atual == script.get_current_head()
