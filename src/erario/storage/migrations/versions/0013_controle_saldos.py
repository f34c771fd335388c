"""Núcleo (issue 19): saldos do controle orçamentário persistidos.

Uma tabela por mapa do ``ControleOrcamentario`` (dotação, reserva, empenho,
despesa em liquidação, liquidação, receita, extraorçamentários, liquidações do
credor no mês, eventos gerados), atualizada na transação dos lançamentos. Num
banco que já tem eventos, as tabelas são preenchidas reexecutando-os uma vez
(``storage.saldos_controle.refazer_tabelas``).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ID = [sa.Column("codigo", sa.Text, primary_key=True)]

# nome → (colunas da chave depois de entidade_id, valores inteiros, textos)
_TABELAS: dict[str, tuple[list[tuple[str, type]], list[str], list[str]]] = {
    "controle_dotacao": (
        [("ano", sa.Integer), ("codigo", sa.Text)],
        ["fixado", "adicional", "reduzido", "empenhado", "reservado"],
        ["fonte"],
    ),
    "controle_reserva": (
        [("codigo", sa.Text)],
        ["ano", "valor", "anulado", "empenhado"],
        ["dotacao"],
    ),
    "controle_empenho": (
        [("codigo", sa.Text)],
        [
            "ano",
            "valor",
            "anulado",
            "liquidado",
            "pago",
            "em_liquidacao",
            "inscrito",
            "cancelado",
            "rpnp_inscrito",
            "rpp_inscrito",
            "rpnp_liquidado",
            "rpnp_pago",
            "rpp_pago",
            "rpnp_cancelado",
            "rpp_cancelado",
        ],
        ["dotacao", "fonte", "credor"],
    ),
    "controle_em_liquidacao": (
        [("codigo", sa.Text)],
        ["ano", "valor", "liquidado", "cancelado"],
        ["empenho", "conta_vpd", "conta_passivo"],
    ),
    "controle_liquidacao": (
        [("codigo", sa.Text)],
        ["ano", "valor", "pago", "cancelado"],
        ["empenho", "conta_passivo", "situacao"],
    ),
    "controle_receita": (
        [("ano", sa.Integer), ("natureza", sa.Text), ("fonte", sa.Text)],
        ["previsto", "arrecadado", "deducao_prevista", "deduzido"],
        [],
    ),
    "controle_extra": (
        [("conta", sa.Text), ("credor", sa.Text), ("fonte", sa.Text)],
        ["saldo", "empenhado"],
        [],
    ),
    "controle_empenho_extra": (
        [("codigo", sa.Text)],
        ["valor", "liquidado", "pago"],
        ["conta", "credor", "fonte"],
    ),
    "controle_liquidacao_extra": ([("codigo", sa.Text)], ["valor", "pago"], ["empenho"]),
    "controle_liquidacao_mes": (
        [("credor", sa.Text), ("ano", sa.Integer), ("mes", sa.Integer), ("ordem", sa.Integer)],
        [],
        ["codigo"],
    ),
    "controle_gerado": ([("origem", sa.Text), ("ordem", sa.Integer)], [], ["codigo"]),
}


def upgrade() -> None:
    for nome, (chave, valores, textos) in _TABELAS.items():
        op.create_table(
            nome,
            sa.Column("entidade_id", sa.Integer, sa.ForeignKey("entidade.id"), primary_key=True),
            *(sa.Column(c, tipo, primary_key=True) for c, tipo in chave),
            *(sa.Column(c, sa.Text, nullable=False) for c in textos),
            *(sa.Column(c, sa.BigInteger, nullable=False) for c in valores),
        )
    op.create_index("ix_evento_tipo", "evento", ["tipo", "entidade_id"])
    # Bancos com eventos: o estado sai de reexecutá-los uma vez, como ``verificar``.
    from erario.storage.saldos_controle import refazer_tabelas

    refazer_tabelas(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_evento_tipo", "evento")
    for nome in reversed(_TABELAS):
        op.drop_table(nome)
