"""Ambiente do Alembic do banco do servidor de dados on-line.

Separado do ambiente do banco do erario (``erario.storage.migrations``): outra
pasta de migrações e outra tabela de versão (``alembic_version_servidor``).
Usa a conexão entregue por ``erario.api.manutencao.migrar``.
"""

from alembic import context

from erario.api.esquema import metadata
from erario.api.manutencao import TABELA_VERSAO

conexao = context.config.attributes.get("connection")
if conexao is None:  # pragma: no cover - uso pela linha de comando do alembic
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///erario-servidor.db"
    with create_engine(url).begin() as conexao:
        context.configure(connection=conexao, target_metadata=metadata, version_table=TABELA_VERSAO)
        context.run_migrations()
else:
    context.configure(connection=conexao, target_metadata=metadata, version_table=TABELA_VERSAO)
    with context.begin_transaction():
        context.run_migrations()
