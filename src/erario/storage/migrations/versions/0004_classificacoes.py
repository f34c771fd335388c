"""Classificações orçamentárias das entidades: órgão, unidade orçamentária,
programa, ação e fontes de recursos usadas.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orgao",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(2), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_orgao_codigo"),
    )
    op.create_table(
        "unidade_orcamentaria",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("orgao_id", sa.Integer, sa.ForeignKey("orgao.id"), nullable=False),
        sa.Column("codigo", sa.String(2), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.UniqueConstraint("orgao_id", "codigo", name="uq_unidade_orcamentaria_codigo"),
    )
    op.create_table(
        "programa",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(4), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_programa_codigo"),
    )
    op.create_table(
        "acao",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(4), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("tipo", sa.String(20), nullable=False),
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_acao_codigo"),
        sa.CheckConstraint(
            "tipo IN ('projeto','atividade','operacao_especial')", name="ck_acao_tipo"
        ),
    )
    op.create_table(
        "fonte_recurso",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(4), nullable=False),
        sa.Column("complemento", sa.String(4), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("propriedades", sa.Text, nullable=False),
        sa.UniqueConstraint("entidade_id", "codigo", "complemento", name="uq_fonte_recurso_codigo"),
    )


def downgrade() -> None:
    op.drop_table("fonte_recurso")
    op.drop_table("acao")
    op.drop_table("programa")
    op.drop_table("unidade_orcamentaria")
    op.drop_table("orgao")
