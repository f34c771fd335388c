"""Cadastros das retenções (descontos, serviços, serviço × desconto, tabela do
IRRF, teto e outras fontes do INSS, parâmetros por unidade gestora).

Um registro por (tipo, chave), com os dados no esquema JSON de
``erario.retencoes.carga`` (o mesmo da carga em JSON Lines).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retencao_cadastro",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tipo", sa.String(20), nullable=False),
        sa.Column("chave", sa.String(60), nullable=False),
        sa.Column("dados", sa.Text, nullable=False),
        sa.UniqueConstraint("tipo", "chave", name="uq_retencao_cadastro"),
    )


def downgrade() -> None:
    op.drop_table("retencao_cadastro")
