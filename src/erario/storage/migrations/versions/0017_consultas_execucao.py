"""Consultas da execução num banco grande (issues 19 e 22): o empenho de cada
evento e índices para as páginas e relatórios lerem só o que mostram.

``evento.empenho`` é o empenho em cujo extrato o evento aparece
(``execucao.relatorios.empenho_do_evento``); num banco com eventos, a coluna é
preenchida relendo-os uma vez (``storage.consultas_execucao.preencher_empenhos``).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_EXECUCAO = [
    "entidade_id",
    "ano",
    "dotacao",
    "valor",
    "anulado",
    "liquidado",
    "rpnp_liquidado",
    "pago",
    "rpp_pago",
    "rpnp_pago",
]


def upgrade() -> None:
    op.add_column("evento", sa.Column("empenho", sa.String(14)))
    from erario.storage.consultas_execucao import preencher_empenhos

    preencher_empenhos(op.get_bind())
    op.create_index("ix_evento_empenho", "evento", ["entidade_id", "empenho"])
    op.create_index("ix_controle_empenho_execucao", "controle_empenho", _EXECUCAO)
    op.create_index("ix_controle_empenho_inscrito", "controle_empenho", ["entidade_id", "inscrito"])
    op.create_index(
        "ix_controle_liquidacao_empenho", "controle_liquidacao", ["entidade_id", "empenho"]
    )
    op.create_index(
        "ix_controle_liquidacao_situacao", "controle_liquidacao", ["entidade_id", "situacao"]
    )


def downgrade() -> None:
    for indice, tabela in (
        ("ix_controle_liquidacao_situacao", "controle_liquidacao"),
        ("ix_controle_liquidacao_empenho", "controle_liquidacao"),
        ("ix_controle_empenho_inscrito", "controle_empenho"),
        ("ix_controle_empenho_execucao", "controle_empenho"),
        ("ix_evento_empenho", "evento"),
    ):
        op.drop_index(indice, tabela)
    with op.batch_alter_table("evento") as lote:
        lote.drop_column("empenho")
