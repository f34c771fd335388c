"""Ambiente do Alembic: usa a conexão entregue por ``erario.storage.banco``."""

from alembic import context

from erario.storage.esquema import metadata

conexao = context.config.attributes.get("connection")
if conexao is None:  # pragma: no cover - uso pela linha de comando do alembic
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///erario.db"
    with create_engine(url).begin() as conexao:
        context.configure(connection=conexao, target_metadata=metadata)
        context.run_migrations()
else:
    context.configure(connection=conexao, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
