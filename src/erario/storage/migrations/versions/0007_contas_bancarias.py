"""Contas bancárias como o e-Sfinge as define (nome, CNPJ do titular, IBGE da
agência, ativação e encerramento) e conciliação bancária (linhas e saldos do
extrato, casamentos confirmados).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_NOVAS = ("nome", "cnpj_titular", "ibge_agencia", "ativacao", "encerramento", "motivo_encerramento")


def upgrade() -> None:
    op.add_column(
        "conta_bancaria", sa.Column("nome", sa.String(255), nullable=False, server_default="")
    )
    op.add_column(
        "conta_bancaria",
        sa.Column("cnpj_titular", sa.String(14), nullable=False, server_default=""),
    )
    op.add_column(
        "conta_bancaria",
        sa.Column("ibge_agencia", sa.String(7), nullable=False, server_default=""),
    )
    op.add_column("conta_bancaria", sa.Column("ativacao", sa.Date))
    op.add_column("conta_bancaria", sa.Column("encerramento", sa.Date))
    op.add_column(
        "conta_bancaria",
        sa.Column("motivo_encerramento", sa.String(256), nullable=False, server_default=""),
    )
    op.create_table(
        "extrato_linha",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "conta_bancaria_id", sa.Integer, sa.ForeignKey("conta_bancaria.id"), nullable=False
        ),
        sa.Column("data", sa.Date, nullable=False),
        sa.Column("valor", sa.BigInteger, nullable=False),
        sa.Column("documento", sa.String(40), nullable=False),
        sa.Column("descricao", sa.String(255), nullable=False),
        sa.Column("identificador", sa.String(255), nullable=False),
        sa.Column("tipo_transacao", sa.String(20), nullable=False),
        sa.Column("origem", sa.String(200), nullable=False),
        sa.Column("importado_em", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario", sa.String(100), nullable=False),
        sa.UniqueConstraint("conta_bancaria_id", "identificador", name="uq_extrato_linha"),
        sa.CheckConstraint("valor <> 0", name="ck_extrato_linha_valor"),
    )
    op.create_index("ix_extrato_linha_conta_data", "extrato_linha", ["conta_bancaria_id", "data"])
    op.create_table(
        "extrato_saldo",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "conta_bancaria_id", sa.Integer, sa.ForeignKey("conta_bancaria.id"), nullable=False
        ),
        sa.Column("data", sa.Date, nullable=False),
        sa.Column("valor", sa.BigInteger, nullable=False),
        sa.Column("origem", sa.String(200), nullable=False),
        sa.Column("importado_em", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("conta_bancaria_id", "data", name="uq_extrato_saldo"),
    )
    op.create_table(
        "conciliacao_par",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "conta_bancaria_id", sa.Integer, sa.ForeignKey("conta_bancaria.id"), nullable=False
        ),
        sa.Column(
            "extrato_linha_id",
            sa.Integer,
            sa.ForeignKey("extrato_linha.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("lancamento_id", sa.BigInteger, sa.ForeignKey("lancamento.id"), nullable=False),
        sa.Column("confirmado_em", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario", sa.String(100), nullable=False),
        sa.UniqueConstraint(
            "conta_bancaria_id", "lancamento_id", name="uq_conciliacao_par_lancamento"
        ),
    )


def downgrade() -> None:
    op.drop_table("conciliacao_par")
    op.drop_table("extrato_saldo")
    op.drop_index("ix_extrato_linha_conta_data", table_name="extrato_linha")
    op.drop_table("extrato_linha")
    with op.batch_alter_table("conta_bancaria") as lote:
        for coluna in reversed(_NOVAS):
            lote.drop_column(coluna)
