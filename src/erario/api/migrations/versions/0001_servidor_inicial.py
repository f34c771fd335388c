"""Banco do servidor de dados on-line: o esquema que ``create_all`` criava antes das
migrações (configuração, entidades, usuários e vínculos, competências, envios
versionados e freio de login).

Só cria as tabelas que faltam: um banco criado pelo caminho antigo
(``metadata.create_all``, sem tabela de versão) passa por aqui sem perder nada
e fica marcado na revisão 0001.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def esquema_inicial() -> sa.MetaData:
    """As tabelas como eram nesta revisão (cópia congelada de ``erario.api.esquema``)."""
    m = sa.MetaData()
    sa.Table(
        "config", m,
        sa.Column("chave", sa.String(40), primary_key=True),
        sa.Column("valor", sa.String(200), nullable=False),
    )  # fmt: skip
    sa.Table(
        "entidade", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cnpj", sa.String(14), nullable=False, unique=True),
        sa.Column("slug", sa.String(40), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("tipo", sa.String(20), nullable=False),
        sa.Column("ibge", sa.String(7), nullable=False),
    )  # fmt: skip
    sa.Table(
        "usuario", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(200), nullable=False, unique=True),
        sa.Column("senha_hash", sa.String(200), nullable=False),
        sa.Column("ativo", sa.Boolean, nullable=False),
    )  # fmt: skip
    sa.Table(
        "vinculo", m,
        sa.Column("usuario_id", sa.Integer, sa.ForeignKey("usuario.id"), primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), primary_key=True),
    )  # fmt: skip
    sa.Table(
        "competencia", m,
        sa.Column("ibge", sa.String(7), primary_key=True),
        sa.Column("ano", sa.Integer, primary_key=True),
        sa.Column("mes", sa.Integer, primary_key=True),
        sa.Column("aberta_em", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario_id", sa.Integer, sa.ForeignKey("usuario.id"), nullable=False),
    )  # fmt: skip
    sa.Table(
        "envio", m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("tipo", sa.String(12), nullable=False),
        sa.Column("ano", sa.Integer, nullable=False),
        sa.Column("mes", sa.Integer, nullable=False),
        sa.Column("versao", sa.Integer, nullable=False),
        sa.Column("checksum", sa.String(80), nullable=False),
        sa.Column("tamanho", sa.BigInteger, nullable=False),
        sa.Column("dados", sa.LargeBinary, nullable=False),
        sa.Column("usuario_id", sa.Integer, sa.ForeignKey("usuario.id"), nullable=False),
        sa.Column("recebido_em", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("entidade_id", "tipo", "ano", "mes", "versao", name="uq_envio_versao"),
    )  # fmt: skip
    sa.Table(
        "falha_login", m,
        sa.Column("chave", sa.String(250), primary_key=True),
        sa.Column("falhas", sa.Integer, nullable=False),
        sa.Column("liberado_em", sa.Float, nullable=False),
    )  # fmt: skip
    return m


def upgrade() -> None:
    esquema_inicial().create_all(op.get_bind(), checkfirst=True)


def downgrade() -> None:
    esquema_inicial().drop_all(op.get_bind())
