"""Razão: plano, contas, entidades, competências, lançamentos, partidas, saldos.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_MSG_SOMENTE_INCLUSAO = "o razão é somente inclusão: corrija por estorno"

_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {tabela}_somente_inclusao_{evento.lower()} BEFORE {evento} ON {tabela}
    BEGIN SELECT RAISE(ABORT, '{_MSG_SOMENTE_INCLUSAO}'); END"""
    for tabela in ("lancamento", "partida")
    for evento in ("UPDATE", "DELETE")
]

_PG_FUNCOES = [
    f"""CREATE FUNCTION erario_somente_inclusao() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '{_MSG_SOMENTE_INCLUSAO}'; END $$""",
    # Guarda de partidas dobradas no banco: cada lançamento tocado pelo comando
    # precisa fechar débitos = créditos = valor do cabeçalho.
    """CREATE FUNCTION erario_partidas_balanceadas() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE errado bigint;
    BEGIN
      SELECT l.id INTO errado
        FROM lancamento l
        JOIN (SELECT DISTINCT lancamento_id FROM novas) n ON n.lancamento_id = l.id
        JOIN partida p ON p.lancamento_id = l.id
       GROUP BY l.id, l.valor
      HAVING sum(CASE WHEN p.dc = 'D' THEN p.valor ELSE 0 END) <> l.valor
          OR sum(CASE WHEN p.dc = 'C' THEN p.valor ELSE 0 END) <> l.valor
       LIMIT 1;
      IF errado IS NOT NULL THEN
        RAISE EXCEPTION 'lançamento % não fecha: débitos, créditos e valor diferem', errado;
      END IF;
      RETURN NULL;
    END $$""",
]

_PG_TRIGGERS = [
    *(
        f"""CREATE TRIGGER {tabela}_somente_inclusao BEFORE UPDATE OR DELETE OR TRUNCATE
        ON {tabela} FOR EACH STATEMENT EXECUTE FUNCTION erario_somente_inclusao()"""
        for tabela in ("lancamento", "partida")
    ),
    """CREATE TRIGGER partida_balanceada AFTER INSERT ON partida
    REFERENCING NEW TABLE AS novas FOR EACH STATEMENT
    EXECUTE FUNCTION erario_partidas_balanceadas()""",
]


def upgrade() -> None:
    op.create_table(
        "plano",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nome", sa.String(60), nullable=False, unique=True),
        sa.Column("mascara", sa.String(60), nullable=False),
    )
    op.create_table(
        "conta",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plano_id", sa.Integer, sa.ForeignKey("plano.id"), nullable=False),
        sa.Column("codigo", sa.String(40), nullable=False),
        sa.Column("titulo", sa.String(300), nullable=False),
        sa.Column("nivel", sa.Integer, nullable=False),
        sa.Column("pai", sa.String(40)),
        sa.Column("analitica", sa.Boolean, nullable=False),
        sa.Column("natureza_saldo", sa.String(1), nullable=False),
        sa.Column("natureza_informacao", sa.String(1), nullable=False),
        sa.Column("superavit", sa.String(1)),
        sa.Column("conta_corrente", sa.String(60), nullable=False, server_default=""),
        sa.Column("funcao", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("plano_id", "codigo", name="uq_conta_plano_codigo"),
        sa.CheckConstraint("natureza_saldo IN ('D','C','M')", name="ck_conta_natureza_saldo"),
        sa.CheckConstraint(
            "natureza_informacao IN ('P','O','C')", name="ck_conta_natureza_informacao"
        ),
        sa.CheckConstraint(
            "superavit IS NULL OR superavit IN ('F','P','X')", name="ck_conta_superavit"
        ),
    )
    op.create_table(
        "entidade",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(40), nullable=False, unique=True),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("cnpj", sa.String(14), nullable=False, unique=True),
        sa.Column("tipo", sa.String(20), nullable=False),
        sa.Column("ibge", sa.String(7), nullable=False),
        sa.Column("poder_orgao", sa.String(5), nullable=False),
        sa.Column("plano_id", sa.Integer, sa.ForeignKey("plano.id"), nullable=False),
    )
    op.create_table(
        "competencia",
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), primary_key=True),
        sa.Column("ano", sa.Integer, primary_key=True),
        sa.Column("mes", sa.Integer, primary_key=True),
        sa.Column("situacao", sa.String(10), nullable=False),
        sa.CheckConstraint("mes BETWEEN 1 AND 12", name="ck_competencia_mes"),
        sa.CheckConstraint("situacao IN ('aberta','fechada')", name="ck_competencia_situacao"),
    )
    op.create_table(
        "auditoria",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("quando", sa.DateTime(timezone=True), nullable=False),
        sa.Column("usuario", sa.String(100), nullable=False),
        sa.Column("acao", sa.String(40), nullable=False),
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id")),
        sa.Column("detalhe", sa.Text, nullable=False),
    )
    op.create_table(
        "lancamento",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
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
        sa.Column("estornado_id", sa.BigInteger, sa.ForeignKey("lancamento.id"), unique=True),
        sa.Column("valor", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("entidade_id", "numero", name="uq_lancamento_numero"),
        sa.CheckConstraint("valor > 0", name="ck_lancamento_valor"),
        sa.CheckConstraint("periodo BETWEEN 0 AND 13", name="ck_lancamento_periodo"),
        sa.CheckConstraint(
            "(estorno AND estornado_id IS NOT NULL) OR (NOT estorno AND estornado_id IS NULL)",
            name="ck_lancamento_estorno",
        ),
    )
    op.create_index("ix_lancamento_entidade_data", "lancamento", ["entidade_id", "data"])
    op.create_table(
        "partida",
        sa.Column("lancamento_id", sa.BigInteger, sa.ForeignKey("lancamento.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("conta_id", sa.Integer, sa.ForeignKey("conta.id"), nullable=False),
        sa.Column("dc", sa.String(1), nullable=False),
        sa.Column("valor", sa.BigInteger, nullable=False),
        sa.Column("conta_corrente", sa.String(200), nullable=False),
        sa.CheckConstraint("dc IN ('D','C')", name="ck_partida_dc"),
        sa.CheckConstraint("valor > 0", name="ck_partida_valor"),
        sa.CheckConstraint("seq > 0", name="ck_partida_seq"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "saldo",
        sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), primary_key=True),
        sa.Column("ano", sa.Integer, primary_key=True),
        sa.Column("livro", sa.String(1), primary_key=True),
        sa.Column("periodo", sa.Integer, primary_key=True),
        sa.Column("conta_id", sa.Integer, sa.ForeignKey("conta.id"), primary_key=True),
        sa.Column("conta_corrente", sa.String(200), primary_key=True),
        sa.Column("debito_mes", sa.BigInteger, nullable=False),
        sa.Column("credito_mes", sa.BigInteger, nullable=False),
        sa.Column("debito_acum", sa.BigInteger, nullable=False),
        sa.Column("credito_acum", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        for sql in (*_PG_FUNCOES, *_PG_TRIGGERS):
            op.execute(sql)
    else:
        for sql in _SQLITE_TRIGGERS:
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS partida_balanceada ON partida")
        for tabela in ("lancamento", "partida"):
            op.execute(f"DROP TRIGGER IF EXISTS {tabela}_somente_inclusao ON {tabela}")
        op.execute("DROP FUNCTION IF EXISTS erario_partidas_balanceadas()")
        op.execute("DROP FUNCTION IF EXISTS erario_somente_inclusao()")
    for tabela in (
        "saldo",
        "partida",
        "lancamento",
        "auditoria",
        "competencia",
        "entidade",
        "conta",
        "plano",
    ):
        op.drop_table(tabela)
