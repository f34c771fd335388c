"""Cadastros das retenções (descontos, serviços, serviço × desconto, tabela do
IRRF, teto e outras fontes do INSS, parâmetros por unidade gestora).

Um registro por (tipo, chave), com os dados no esquema JSON de
``erario.retencoes.carga`` (o mesmo da carga em JSON Lines).

``evento.lancamento_id`` passa a aceitar nulo: empenho e liquidação
extraorçamentários (seção 1.6 do manual) são documentos da execução sem
lançamento contábil — quem lança é o pagamento.

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

    _evento_lancamento_nulo(True)


def downgrade() -> None:
    _evento_lancamento_nulo(False)
    op.drop_table("retencao_cadastro")


_MSG = "eventos são somente inclusão: corrija por estorno"


def _evento_lancamento_nulo(nulo: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("evento", "lancamento_id", nullable=nulo)
        return
    # SQLite refaz a tabela: os gatilhos de somente inclusão (0002) são recriados.
    for acao in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS evento_somente_inclusao_{acao}")
    with op.batch_alter_table("evento", recreate="always") as tabela:
        tabela.alter_column("lancamento_id", existing_type=sa.BigInteger, nullable=nulo)
    for acao in ("UPDATE", "DELETE"):
        op.execute(
            f"""CREATE TRIGGER evento_somente_inclusao_{acao.lower()} BEFORE {acao} ON evento
            BEGIN SELECT RAISE(ABORT, '{_MSG}'); END"""
        )
