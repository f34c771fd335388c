"""Envios do pacote e-Sfinge: quem registrou, quando, o SHA-256 do arquivo enviado
e o protocolo do TCE, por entidade e mês; um novo envio do mesmo mês (retificação)
é outra linha, e ``erario esfinge pendentes`` deixa de listar o mês enviado.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "esfinge_envio",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("ano", sa.Integer, nullable=False),
        sa.Column("mes", sa.Integer, nullable=False),
        sa.Column("quando", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario", sa.String(100), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("protocolo", sa.String(60), nullable=False),
        sa.CheckConstraint("mes BETWEEN 1 AND 12", name="ck_esfinge_envio_mes"),
    )


def downgrade() -> None:
    op.drop_table("esfinge_envio")
