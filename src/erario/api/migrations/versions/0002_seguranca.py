"""Segurança do servidor: versão das fichas por usuário (troca de senha e
desativação invalidam as fichas emitidas), instante da última tentativa no
freio de login (a contagem é esquecida depois de uma janela) e a tabela de
auditoria (entradas, downloads e ações do administrador).

Idempotente como a 0001: o banco criado pelo ``create_all`` de uma versão de
desenvolvimento que já tinha algo disto passa sem erro.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _colunas(tabela: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(tabela)}


def upgrade() -> None:
    if "versao_ficha" not in _colunas("usuario"):
        op.add_column(
            "usuario", sa.Column("versao_ficha", sa.Integer, nullable=False, server_default="0")
        )
    if "ultima_em" not in _colunas("falha_login"):
        op.add_column(
            "falha_login", sa.Column("ultima_em", sa.Float, nullable=False, server_default="0")
        )
    if not sa.inspect(op.get_bind()).has_table("auditoria"):
        op.create_table(
            "auditoria",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("momento", sa.DateTime(timezone=True), nullable=False),
            sa.Column("acao", sa.String(40), nullable=False),
            sa.Column("resultado", sa.String(12), nullable=False),
            sa.Column("email", sa.String(200)),
            sa.Column("endereco", sa.String(64)),
            sa.Column("detalhe", sa.String(500), nullable=False, server_default=""),
        )
        op.create_index("ix_auditoria_momento", "auditoria", ["momento"])


def downgrade() -> None:
    op.drop_index("ix_auditoria_momento", table_name="auditoria")
    op.drop_table("auditoria")
    with op.batch_alter_table("falha_login") as t:
        t.drop_column("ultima_em")
    with op.batch_alter_table("usuario") as t:
        t.drop_column("versao_ficha")
