"""Cadastros: credores e contas bancárias das entidades.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credor",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("documento", sa.String(14), nullable=False, unique=True),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("tipo", sa.String(2), nullable=False),
        sa.Column("simples", sa.Boolean, nullable=False),
        sa.Column("endereco", sa.Text, nullable=False),
        sa.CheckConstraint("tipo IN ('PF','PJ')", name="ck_credor_tipo"),
    )
    op.create_table(
        "conta_bancaria",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(40), nullable=False),
        sa.Column("tipo", sa.String(10), nullable=False),
        sa.Column("fonte", sa.String(9), nullable=False),
        sa.Column("conta_contabil", sa.String(40), nullable=False),
        sa.Column("banco", sa.String(12), nullable=False),
        sa.Column("agencia", sa.String(12), nullable=False),
        sa.Column("agencia_dv", sa.String(1), nullable=False),
        sa.Column("conta", sa.String(12), nullable=False),
        sa.Column("conta_dv", sa.String(1), nullable=False),
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_conta_bancaria_codigo"),
    )


def downgrade() -> None:
    op.drop_table("conta_bancaria")
    op.drop_table("credor")
