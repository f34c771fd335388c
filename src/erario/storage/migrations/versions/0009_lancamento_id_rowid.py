"""Lançamento com menos índices no SQLite: ``id`` INTEGER PRIMARY KEY (o próprio
rowid, sem o índice único à parte que um BIGINT exigia) e o estorno único num
índice parcial (só as linhas com ``estornado_id``; antes, todas as linhas, com
NULL, entravam no índice). Mesmo significado, ~9% menos páginas no banco e
menos árvores B a atualizar por lançamento gravado (bench/README.md).

No PostgreSQL só o estorno muda (restrição única → índice único parcial); o
``id`` continua BIGINT.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_COLUNAS = (
    "id, entidade_id, numero, data, ano, periodo, tipo, livro, historico, origem, "
    "estorno, estornado_id, valor"
)


def _tabela(nome: str, tipo_id: type[sa.types.TypeEngine[int]], estorno_unico: bool) -> None:
    op.create_table(
        nome,
        sa.Column("id", tipo_id, primary_key=True, autoincrement=False),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), nullable=False),
        sa.Column("numero", sa.String(16), nullable=False),
        sa.Column("data", sa.Date, nullable=False),
        sa.Column("ano", sa.Integer, nullable=False),
        sa.Column("periodo", sa.Integer, nullable=False),
        sa.Column("tipo", sa.String(20), nullable=False),
        sa.Column("livro", sa.String(1), nullable=False),
        sa.Column("historico", sa.Text, nullable=False),
        sa.Column("origem", sa.String(100)),
        sa.Column("estorno", sa.Boolean, nullable=False),
        # Referência pelo nome definitivo: vale depois da troca de nomes abaixo.
        sa.Column(
            "estornado_id", sa.BigInteger, sa.ForeignKey("lancamento.id"), unique=estorno_unico
        ),
        sa.Column("valor", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("entidade_id", "numero", name="uq_lancamento_numero"),
        sa.CheckConstraint("valor > 0", name="ck_lancamento_valor"),
        sa.CheckConstraint("periodo BETWEEN 0 AND 13", name="ck_lancamento_periodo"),
        sa.CheckConstraint(
            "(estorno AND estornado_id IS NOT NULL) OR (NOT estorno AND estornado_id IS NULL)",
            name="ck_lancamento_estorno",
        ),
    )


def _reconstruir_sqlite(tipo_id: type[sa.types.TypeEngine[int]], estorno_unico: bool) -> None:
    """Os 12 passos do SQLite para mudar uma tabela (sqlite.org/lang_altertable.html):
    as chaves estrangeiras já estão desligadas (``banco.atualizar_esquema``) e são
    conferidas no fim, antes do commit."""
    bind = op.get_bind()
    gatilhos = [
        sql
        for (sql,) in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'lancamento'"
        )
    ]
    _tabela("lancamento_novo", tipo_id, estorno_unico)
    op.execute(f"INSERT INTO lancamento_novo ({_COLUNAS}) SELECT {_COLUNAS} FROM lancamento")
    op.execute("DROP TABLE lancamento")  # leva junto os índices e os gatilhos
    op.execute("ALTER TABLE lancamento_novo RENAME TO lancamento")
    op.create_index("ix_lancamento_entidade_data", "lancamento", ["entidade_id", "data"])
    for sql in gatilhos:
        op.execute(sql)
    violacoes = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if violacoes:
        raise RuntimeError(f"chaves estrangeiras quebradas depois da migração: {violacoes[:5]}")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _reconstruir_sqlite(sa.Integer, estorno_unico=False)
    else:
        op.drop_constraint("lancamento_estornado_id_key", "lancamento", type_="unique")
    op.create_index(
        "uq_lancamento_estornado",
        "lancamento",
        ["estornado_id"],
        unique=True,
        sqlite_where=sa.text("estornado_id IS NOT NULL"),
        postgresql_where=sa.text("estornado_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_lancamento_estornado", "lancamento")
    if op.get_bind().dialect.name == "sqlite":
        _reconstruir_sqlite(sa.BigInteger, estorno_unico=True)
    else:
        op.create_unique_constraint("lancamento_estornado_id_key", "lancamento", ["estornado_id"])
