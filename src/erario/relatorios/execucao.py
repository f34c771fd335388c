"""Colunas dos relatórios da execução e do razão de uma conta (uma declaração
por relatório; as saídas vêm de ``relatorios.tabela``)."""

from __future__ import annotations

from typing import Final

from erario.relatorios.tabela import Coluna

COLUNAS_DESPESA: Final = (
    Coluna("dotacao", "Dotação"),
    Coluna("fonte", "Fonte"),
    Coluna("dotacao_inicial", "Dotação inicial", dinheiro=True),
    Coluna("dotacao_atualizada", "Dotação atualizada", dinheiro=True),
    Coluna("empenhado", "Empenhado", dinheiro=True),
    Coluna("anulado", "Anulado", dinheiro=True),
    Coluna("liquidado", "Liquidado", dinheiro=True),
    Coluna("pago", "Pago", dinheiro=True),
    Coluna("a_pagar", "A pagar", dinheiro=True),
    Coluna("saldo", "Saldo da dotação", dinheiro=True),
)
COLUNAS_RECEITA: Final = (
    Coluna("natureza", "Natureza da receita"),
    Coluna("fonte", "Fonte"),
    Coluna("previsao_inicial", "Previsão inicial", dinheiro=True),
    Coluna("previsao_atualizada", "Previsão atualizada", dinheiro=True),
    Coluna("arrecadado", "Arrecadado", dinheiro=True),
    Coluna("deducoes", "Deduções", dinheiro=True),
    Coluna("a_arrecadar", "A arrecadar", dinheiro=True),
)


COLUNAS_EXTRATO: Final = (
    Coluna("data", "Data"),
    Coluna("evento", "Evento"),
    Coluna("tipo", "Tipo"),
    Coluna("valor", "Valor", dinheiro=True, total=False),
    Coluna("situacao", "Situação"),
    Coluna("a_liquidar", "A liquidar depois", dinheiro=True, total=False),
    Coluna("a_pagar", "A pagar depois", dinheiro=True, total=False),
)
COLUNAS_DISPONIBILIDADE: Final = (
    Coluna("fonte", "Fonte"),
    Coluna("caixa_bancos", "Caixa e bancos", dinheiro=True),
    Coluna("ddr_disponivel", "DDR disponível", dinheiro=True),
    Coluna("comprometida_empenho", "Comprometida por empenho", dinheiro=True),
    Coluna("comprometida_liquidacao", "Comprometida por liquidação", dinheiro=True),
    Coluna("utilizada", "Utilizada", dinheiro=True),
)
COLUNAS_RAZAO: Final = (
    Coluna("data", "Data"),
    Coluna("numero", "Número"),
    Coluna("historico", "Histórico"),
    Coluna("conta", "Conta"),
    Coluna("conta_corrente", "Conta corrente"),
    Coluna("debito", "Débito", dinheiro=True),
    Coluna("credito", "Crédito", dinheiro=True),
    Coluna("saldo", "Saldo", dinheiro=True, saldo=True),
)
COLUNAS_RESTOS: Final = (
    Coluna("empenho", "Empenho"),
    Coluna("ano_inscricao", "Inscrição"),
    Coluna("dotacao", "Dotação"),
    Coluna("fonte", "Fonte"),
    Coluna("credor", "Credor"),
    Coluna("inscrito_nao_processado", "Inscrito não processado", dinheiro=True),
    Coluna("inscrito_processado", "Inscrito processado", dinheiro=True),
    Coluna("liquidado", "Liquidado", dinheiro=True),
    Coluna("pago_nao_processado", "Pago não processado", dinheiro=True),
    Coluna("pago_processado", "Pago processado", dinheiro=True),
    Coluna("cancelado_nao_processado", "Cancelado não processado", dinheiro=True),
    Coluna("cancelado_processado", "Cancelado processado", dinheiro=True),
    Coluna("a_liquidar", "A liquidar", dinheiro=True),
    Coluna("a_pagar", "A pagar", dinheiro=True),
    Coluna("saldo", "Saldo", dinheiro=True),
    Coluna("em_liquidacao", "Do a liquidar, em liquidação", dinheiro=True),
)
COLUNAS_RETENCOES: Final = (
    Coluna("fornecedor", "Fornecedor"),
    Coluna("competencia", "Competência"),
    Coluna("desconto", "Desconto"),
    Coluna("tipo", "Tipo"),
    Coluna("liquidacao", "Liquidação"),
    Coluna("base", "Base", dinheiro=True, total=False),
    Coluna("base_de", "Base de cálculo"),
    Coluna("valor", "Valor", dinheiro=True),
    Coluna("situacao", "Situação"),
)
# IRRF e ISS retidos pelo município: receita própria, arrecadada na retenção (CF,
# art. 158, I, e art. 156, III); INSS: guia a pagar ao credor da retenção.
COLUNAS_GUIAS: Final = (
    Coluna("desconto", "Desconto"),
    Coluna("descricao", "Descrição"),
    Coluna("tipo", "Tipo"),
    Coluna("destino", "Destino"),
    Coluna("credor", "Credor da guia"),
    Coluna("competencia", "Competência"),
    Coluna("vencimento", "Vencimento"),
    Coluna("retido", "Retido", dinheiro=True),
    Coluna("receita_propria", "Receita própria arrecadada", dinheiro=True),
    Coluna("recolhido", "Recolhido", dinheiro=True),
    Coluna("a_recolher", "A recolher", dinheiro=True),
)
# Uma linha por desconto; a primeira de cada liquidação traz o bruto e o líquido.
COLUNAS_LIQUIDACOES: Final = (
    Coluna("liquidacao", "Liquidação"),
    Coluna("data", "Data"),
    Coluna("fornecedor", "Fornecedor"),
    Coluna("bruto", "Valor bruto", dinheiro=True),
    Coluna("desconto", "Desconto"),
    Coluna("base", "Base", dinheiro=True, total=False),
    Coluna("base_de", "Base de cálculo"),
    Coluna("retencao", "Retenção", dinheiro=True),
    Coluna("situacao", "Situação da retenção"),
    Coluna("liquido", "Líquido", dinheiro=True),
    Coluna("apropriacao", "Apropriação"),
)
