"""Interface web (issue 22): usuários, sessões e papéis.

Usuários locais (hash argon2id), papéis por entidade (administrador, contador,
consulta; entidade nula = todas), sessões do lado do servidor, a trilha das
ações feitas pela web e o freio de login (a mesma tabela ``falha_login`` do
servidor de dados, para reaproveitar ``api.seguranca.FreioLogin``).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_usuario",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(60), nullable=False, unique=True),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("senha_hash", sa.String(200), nullable=False),
        sa.Column("ativo", sa.Boolean, nullable=False),
        sa.Column("criado_em", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_papel",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("usuario_id", sa.Integer, sa.ForeignKey("web_usuario.id"), nullable=False),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id")),
        sa.Column("papel", sa.String(15), nullable=False),
        sa.CheckConstraint(
            "papel IN ('administrador','contador','consulta')", name="ck_web_papel_papel"
        ),
    )
    op.create_table(
        "web_sessao",
        sa.Column("ficha_sha256", sa.String(64), primary_key=True),
        sa.Column("usuario_id", sa.Integer, sa.ForeignKey("web_usuario.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("criada_em", sa.Float, nullable=False),
        sa.Column("visto_em", sa.Float, nullable=False),
    )
    op.create_table(
        "web_acao",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("quando", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario", sa.String(60), nullable=False),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id")),
        sa.Column("acao", sa.String(40), nullable=False),
        sa.Column("resultado", sa.String(10), nullable=False),
        sa.Column("detalhe", sa.Text, nullable=False),
    )
    op.create_index("ix_web_acao_entidade", "web_acao", ["entidade_id", "id"])
    op.create_table(
        "falha_login",
        sa.Column("chave", sa.String(250), primary_key=True),
        sa.Column("falhas", sa.Integer, nullable=False),
        sa.Column("liberado_em", sa.Float, nullable=False),
        sa.Column("ultima_em", sa.Float, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("falha_login")
    op.drop_index("ix_web_acao_entidade", table_name="web_acao")
    op.drop_table("web_acao")
    op.drop_table("web_sessao")
    op.drop_table("web_papel")
    op.drop_table("web_usuario")
