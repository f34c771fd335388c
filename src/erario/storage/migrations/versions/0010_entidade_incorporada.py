"""Entidades incorporadas (consolidação): a Prefeitura cadastra no seu banco a
Câmara, o RPPS e as demais entidades que têm instalação própria do erario como
**incorporadas** (``entidade.incorporada``). Ela elabora a LOA delas — os
eventos da LOA ficam em ``orcamento_incorporado``, sem lançamento no razão — e
recebe os balancetes delas pelo servidor de dados on-line
(``balancete_incorporado``). Entidade incorporada não abre exercício: o razão
da Prefeitura nunca recebe lançamento dela.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entidade") as t:
        t.add_column(
            sa.Column("incorporada", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_table(
        "orcamento_incorporado",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(14), nullable=False),
        sa.Column("tipo", sa.String(30), nullable=False),
        sa.Column("data", sa.Date, nullable=False),
        sa.Column("dados", sa.Text, nullable=False),  # o evento na forma de dict_de_evento
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_orcamento_incorporado"),
    )


def downgrade() -> None:
    op.drop_table("orcamento_incorporado")
    with op.batch_alter_table("entidade") as t:
        t.drop_column("incorporada")
