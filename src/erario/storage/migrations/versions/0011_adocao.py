"""Adoção (issue 18): histórico por partida.

Sistemas de origem escrevem um histórico por linha do lançamento; a partida
guarda o seu quando difere do histórico do lançamento (NULL quando igual).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("partida") as t:
        t.add_column(sa.Column("historico", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("partida") as t:
        t.drop_column("historico")
