"""Eventos orçamentários: o registro de cada evento e o lançamento que gerou.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_MSG = "eventos são somente inclusão: corrija por estorno"


def upgrade() -> None:
    op.create_table(
        "evento",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("codigo", sa.String(14), nullable=False),
        sa.Column("tipo", sa.String(30), nullable=False),
        sa.Column("data", sa.Date, nullable=False),
        sa.Column("dados", sa.Text, nullable=False),
        sa.Column("lancamento_id", sa.BigInteger, sa.ForeignKey("lancamento.id"), nullable=False),
        sa.Column("estornado_id", sa.BigInteger, sa.ForeignKey("evento.id"), unique=True),
        sa.UniqueConstraint("entidade_id", "codigo", name="uq_evento_codigo"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""CREATE FUNCTION erario_evento_somente_inclusao() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_MSG}'; END $$"""
        )
        op.execute(
            """CREATE TRIGGER evento_somente_inclusao BEFORE UPDATE OR DELETE OR TRUNCATE
            ON evento FOR EACH STATEMENT EXECUTE FUNCTION erario_evento_somente_inclusao()"""
        )
    else:
        for acao in ("UPDATE", "DELETE"):
            op.execute(
                f"""CREATE TRIGGER evento_somente_inclusao_{acao.lower()} BEFORE {acao} ON evento
                BEGIN SELECT RAISE(ABORT, '{_MSG}'); END"""
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS evento_somente_inclusao ON evento")
        op.execute("DROP FUNCTION IF EXISTS erario_evento_somente_inclusao()")
    op.drop_table("evento")
