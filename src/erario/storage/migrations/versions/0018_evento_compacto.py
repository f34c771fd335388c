"""Forma compacta dos eventos (issue 19): ``evento.compacto`` é o evento já lido
(``execucao.forma_compacta``), que ``erario verificar`` reexecuta sem reler o
JSON recebido (~1/3 do custo num banco de 1 M eventos). ``dados`` continua
sendo o registro. Num banco com eventos, a coluna é preenchida relendo-os uma
vez (``storage.eventos.preencher_compactos``).

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("evento", sa.Column("compacto", sa.Text()))
    from erario.storage.eventos import preencher_compactos

    preencher_compactos(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("evento") as lote:
        lote.drop_column("compacto")
