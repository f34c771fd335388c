"""Núcleo (issue 19): saldos do controle orçamentário persistidos.

Reservada; preenchida pela issue correspondente.

Revision ID: 0013
Revises: 0012
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
