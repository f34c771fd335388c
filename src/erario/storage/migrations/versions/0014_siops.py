"""SIOPS (issue 20): equivalências e marcas.

``siops_equivalencia``: o de-para (receita, despesa, recurso, conta) por
entidade e exercício, sugerido pelo erario e confirmado pelo contador.
``siops_marca``: marcas do SIOPS (Saúde, ASPS, RP cancelados, limite não
cumprido, consórcio, COVID-19) em dotações, empenhos, naturezas de receita e
fontes, sem mexer nos eventos.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "siops_equivalencia",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("ano", sa.Integer, nullable=False),
        sa.Column("tipo", sa.String(10), nullable=False),
        sa.Column("origem", sa.String(40), nullable=False),
        sa.Column("destino", sa.String(40), nullable=False),
        sa.Column("situacao", sa.String(12), nullable=False),
        sa.UniqueConstraint("entidade_id", "ano", "tipo", "origem", name="uq_siops_equivalencia"),
    )
    op.create_table(
        "siops_marca",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("ano", sa.Integer, nullable=False),
        sa.Column("alvo", sa.String(10), nullable=False),
        sa.Column("codigo", sa.String(60), nullable=False),
        sa.Column("chave", sa.String(30), nullable=False),
        sa.Column("valor", sa.String(30), nullable=False),
        sa.UniqueConstraint("entidade_id", "ano", "alvo", "codigo", "chave", name="uq_siops_marca"),
    )


def downgrade() -> None:
    op.drop_table("siops_marca")
    op.drop_table("siops_equivalencia")
