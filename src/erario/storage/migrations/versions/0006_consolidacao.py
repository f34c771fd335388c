"""Balancetes incorporados (consolidação): a versão vigente do balancete mensal
de cada entidade de fora (Câmara, RPPS…) baixada do servidor de dados on-line,
no formato de troca de ``erario.consolidacao.formato``.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "balancete_incorporado",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cnpj", sa.String(14), nullable=False),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("ibge", sa.String(7), nullable=False),
        sa.Column("ano", sa.Integer, nullable=False),
        sa.Column("mes", sa.Integer, nullable=False),
        sa.Column("versao", sa.Integer, nullable=False),
        sa.Column("checksum", sa.String(80), nullable=False),
        sa.Column("dados", sa.Text, nullable=False),
        sa.Column("incorporado_em", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario", sa.String(200), nullable=False),
        sa.UniqueConstraint("cnpj", "ano", "mes", name="uq_balancete_incorporado"),
    )


def downgrade() -> None:
    op.drop_table("balancete_incorporado")
