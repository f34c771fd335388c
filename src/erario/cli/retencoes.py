"""``erario retencoes``: retenções por fornecedor, guias a recolher e liquidações."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from erario.cli.comum import (
    Formato,
    OpcaoEntidade,
    OpcaoFormato,
    OpcaoSaida,
    emitir_relatorio,
    identificacao,
    obter_entidade,
    repo,
)

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario

app_retencoes = typer.Typer(
    help="Retenções (IRRF, INSS, ISS): por fornecedor, guias a recolher e liquidações.",
    no_args_is_help=True,
)

# O mesmo --ano nos três relatórios: o exercício da data da liquidação (a competência
# da retenção é o mês da liquidação); padrão, o mais recente com liquidações.
OpcaoAnoRetencoes = Annotated[
    int | None,
    typer.Option(
        help="Exercício das liquidações (a competência é o mês da liquidação); "
        "padrão: o mais recente com liquidações da entidade."
    ),
]


def _ano_retencoes(controle: ControleOrcamentario, entidade: str, ano: int | None) -> int | None:
    from erario.retencoes.relatorios import exercicio_padrao

    return ano if ano is not None else exercicio_padrao(controle, entidade)


@app_retencoes.command("fornecedores")
def retencoes_fornecedores(
    entidade: OpcaoEntidade,
    ano: OpcaoAnoRetencoes = None,
    mes: Annotated[int | None, typer.Option(help="Só este mês (1 a 12).")] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Retenções por fornecedor e mês: desconto, tipo, base (desta liquidação ou
    acréscimo da base do mês), valor e se já foi retido."""
    from erario.relatorios import execucao as rel_execucao
    from erario.retencoes.relatorios import EVENTOS_LIDOS, retencoes_por_fornecedor
    from erario.storage.consultas_execucao import RETENCOES

    r = repo()
    ent = obter_entidade(r, entidade)
    controle = r.controle(ent.slug, so=RETENCOES, eventos=EVENTOS_LIDOS)
    ano = _ano_retencoes(controle, ent.slug, ano)
    emitir_relatorio(
        f"Retenções por fornecedor — {ent.nome}, {ano or '—'}",
        rel_execucao.COLUNAS_RETENCOES,
        retencoes_por_fornecedor(controle, ent.slug, ano, mes),
        formato,
        saida,
        {"relatorio": "retencoes_por_fornecedor", "entidade": ent.slug, "ano": ano, "mes": mes},
        identificacao(r, [ent.slug], ano),
    )


@app_retencoes.command("guias")
def retencoes_guias(
    entidade: OpcaoEntidade,
    ano: OpcaoAnoRetencoes = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Retido por desconto e competência e o seu destino: IRRF e ISS do município são
    receita própria (arrecadada na retenção); INSS é guia a pagar ao credor, com
    recolhido, a recolher e vencimento."""
    from erario.relatorios import execucao as rel_execucao
    from erario.retencoes.relatorios import EVENTOS_LIDOS, guias_a_recolher
    from erario.storage.consultas_execucao import RETENCOES

    r = repo()
    ent = obter_entidade(r, entidade)
    controle = r.controle(ent.slug, so=RETENCOES, eventos=EVENTOS_LIDOS)
    ano = _ano_retencoes(controle, ent.slug, ano)
    emitir_relatorio(
        f"Retenções: receita própria e guias a pagar — {ent.nome}, {ano or '—'}",
        rel_execucao.COLUNAS_GUIAS,
        guias_a_recolher(controle, r.cadastro_retencoes(), ent.slug, ano) if ano else [],
        formato,
        saida,
        {"relatorio": "guias_a_recolher", "entidade": ent.slug, "ano": ano},
        identificacao(r, [ent.slug], ano),
    )


@app_retencoes.command("liquidacoes")
def retencoes_liquidacoes(
    entidade: OpcaoEntidade,
    ano: OpcaoAnoRetencoes = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Cada liquidação desdobrada: valor bruto, cada retenção (base, de que base se
    trata, valor e situação), o líquido e a apropriação (Apropriado, Não Apropria)."""
    from erario.relatorios import execucao as rel_execucao
    from erario.retencoes.relatorios import EVENTOS_LIDOS, liquidacoes_com_situacao
    from erario.storage.consultas_execucao import RETENCOES

    r = repo()
    ent = obter_entidade(r, entidade)
    controle = r.controle(ent.slug, so=RETENCOES, eventos=EVENTOS_LIDOS)
    ano = _ano_retencoes(controle, ent.slug, ano)
    emitir_relatorio(
        f"Liquidações e retenções — {ent.nome}, {ano or '—'}",
        rel_execucao.COLUNAS_LIQUIDACOES,
        liquidacoes_com_situacao(controle, ent.slug, ano, r.cadastro_retencoes()),
        formato,
        saida,
        {"relatorio": "liquidacoes", "entidade": ent.slug, "ano": ano},
        identificacao(r, [ent.slug], ano),
    )
