"""Relatórios (issue 18): assinaturas por entidade.

Tabela ``assinatura_relatorio``: o contador (com o CRC) e o ordenador/dirigente
que assinam os relatórios de cada entidade.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assinatura_relatorio",
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), primary_key=True),
        sa.Column("papel", sa.String(20), primary_key=True),
        sa.Column("nome", sa.String(120), nullable=False),
        sa.Column("cargo", sa.String(80), nullable=False),
        sa.Column("registro", sa.String(20), nullable=False),
        sa.CheckConstraint("papel IN ('contador', 'responsavel')", name="ck_assinatura_papel"),
    )


def downgrade() -> None:
    op.drop_table("assinatura_relatorio")
