"""SPED FCONT (issue 21): escrituração comercial das empresas.

Natureza do FCONT das contas do plano de cada empresa, centros de custo (I100),
histórico padronizado (I075), mapeamento referencial por vigência (I051) e o
centro de escrituração (um por empresa e período, com hash e entrega).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fcont_conta",
        sa.Column("conta_id", sa.Integer, sa.ForeignKey("conta.id"), primary_key=True),
        sa.Column("natureza", sa.String(2), nullable=False),
        sa.CheckConstraint(
            "natureza IN ('01','02','03','04','05','09')", name="ck_fcont_conta_natureza"
        ),
    )
    op.create_table(
        "fcont_centro_custo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(60), nullable=False),
        sa.Column("nome", sa.String(255), nullable=False),
        sa.Column("alteracao", sa.Date, nullable=False),
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_fcont_centro_custo"),
    )
    op.create_table(
        "fcont_historico",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(60), nullable=False),
        sa.Column("descricao", sa.String(255), nullable=False),
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_fcont_historico"),
    )
    op.create_table(
        "fcont_mapeamento",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("conta", sa.String(40), nullable=False),
        sa.Column("centro_custo", sa.String(60), nullable=False),
        sa.Column("conta_referencial", sa.String(60), nullable=False),
        sa.Column("inicio", sa.Date, nullable=False),
        sa.UniqueConstraint(
            "entidade_id",
            "conta",
            "centro_custo",
            "conta_referencial",
            "inicio",
            name="uq_fcont_mapeamento",
        ),
    )
    op.create_table(
        "fcont_escrituracao",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("inicio", sa.Date, nullable=False),
        sa.Column("fim", sa.Date, nullable=False),
        sa.Column("dados", sa.Text, nullable=False),
        sa.Column("situacao", sa.String(10), nullable=False),
        sa.Column("criada_em", sa.DateTime(timezone=True), nullable=False),
        sa.Column("criada_por", sa.String(100), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("gerada_em", sa.DateTime(timezone=True)),
        sa.Column("recibo", sa.String(60), nullable=False),
        sa.Column("entregue_em", sa.DateTime(timezone=True)),
        sa.Column("entregue_por", sa.String(100), nullable=False),
        sa.UniqueConstraint("entidade_id", "inicio", "fim", name="uq_fcont_escrituracao"),
        sa.CheckConstraint(
            "situacao IN ('criada','gerada','entregue')", name="ck_fcont_escrituracao_situacao"
        ),
    )


def downgrade() -> None:
    for tabela in (
        "fcont_escrituracao",
        "fcont_mapeamento",
        "fcont_historico",
        "fcont_centro_custo",
        "fcont_conta",
    ):
        op.drop_table(tabela)
