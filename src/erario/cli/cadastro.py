"""``erario cadastro``: credores, contas bancárias, classificações e funções."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from erario.cli.comum import (
    Formato,
    OpcaoFormato,
    OpcaoSaida,
    emitir_relatorio,
    executar,
    imprimir_largo,
    repo,
)

app_cadastro = typer.Typer(
    help="Cadastros: credores, contas bancárias e classificações orçamentárias.",
    no_args_is_help=True,
)


@app_cadastro.command("credores")
def cadastro_credores() -> None:
    """Lista os credores cadastrados."""
    from rich.table import Table

    t = Table(title="Credores")
    for titulo in ("CPF/CNPJ", "Nome", "Tipo", "Simples", "Endereço"):
        t.add_column(titulo)
    for c in repo().credores():
        t.add_row(c.documento, c.nome, c.tipo.value, "sim" if c.simples else "não", c.endereco)
    imprimir_largo(t)


@app_cadastro.command("contas-bancarias")
def cadastro_contas_bancarias(
    entidade: Annotated[
        str | None, typer.Argument(help="Slug da entidade (todas, se omitido).")
    ] = None,
) -> None:
    """Lista as contas bancárias (o caixa/tesouraria tem o código 1-1)."""
    from rich.table import Table

    t = Table(title="Contas bancárias")
    for titulo in (
        "Entidade",
        "Código",
        "Tipo",
        "Fonte",
        "Conta contábil",
        "Banco",
        "Agência",
        "Conta",
    ):
        t.add_column(titulo)
    for c in repo().contas_bancarias(entidade):
        agencia = c.agencia + (f"-{c.agencia_dv}" if c.agencia_dv else "")
        conta = c.conta + (f"-{c.conta_dv}" if c.conta_dv else "")
        t.add_row(
            c.entidade,
            c.codigo,
            c.tipo.value,
            str(c.fonte),
            c.conta_contabil,
            c.banco,
            agencia,
            conta,
        )
    imprimir_largo(t)


class TipoClassificacao(StrEnum):
    orgao = "orgao"
    unidade = "unidade"
    programa = "programa"
    acao = "acao"
    fonte = "fonte"


@app_cadastro.command("classificacoes")
def cadastro_classificacoes(
    entidade: Annotated[str, typer.Argument(help="Slug da entidade.")],
    tipo: Annotated[TipoClassificacao | None, typer.Option(help="Só um tipo de cadastro.")] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Lista órgãos, unidades orçamentárias, programas, ações e fontes de recursos da entidade."""
    from erario.orcamento.cadastros import NOME_TIPO_ACAO
    from erario.relatorios.tabela import Coluna

    r = repo()
    cad = executar(lambda: r.classificacoes(entidade))
    linhas: list[list[Any]] = []
    if tipo in (None, TipoClassificacao.orgao):
        linhas += [["órgão", o.codigo, o.nome, ""] for o in cad.orgaos.values()]
    if tipo in (None, TipoClassificacao.unidade):
        linhas += [["unidade", f"{u.orgao}.{u.codigo}", u.nome, ""] for u in cad.unidades.values()]
    if tipo in (None, TipoClassificacao.programa):
        linhas += [["programa", p.codigo, p.nome, ""] for p in cad.programas.values()]
    if tipo in (None, TipoClassificacao.acao):
        linhas += [["ação", a.codigo, a.nome, NOME_TIPO_ACAO[a.tipo]] for a in cad.acoes.values()]
    if tipo in (None, TipoClassificacao.fonte):
        linhas += [
            [
                "fonte",
                str(f.fonte),
                f.nome,
                ", ".join(f"{k}={v}" for k, v in f.propriedades),
            ]
            for f in cad.fontes.values()
        ]
    emitir_relatorio(
        f"Classificações orçamentárias — {entidade}",
        (
            Coluna("classificacao", "Classificação"),
            Coluna("codigo", "Código"),
            Coluna("nome", "Nome"),
            Coluna("detalhe", "Tipo / propriedades"),
        ),
        linhas,
        formato,
        saida,
        {"relatorio": "classificacoes", "entidade": entidade},
    )


@app_cadastro.command("funcoes")
def cadastro_funcoes(
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Lista as funções e subfunções de governo da Portaria MOG 42/1999 (tabela federal)."""
    from erario.orcamento import tabelas
    from erario.relatorios.tabela import Coluna

    funcoes = tabelas.funcoes()
    linhas = [
        [s.funcao, funcoes[s.funcao], s.codigo, s.nome]
        for s in sorted(tabelas.subfuncoes().values(), key=lambda s: (s.funcao, s.codigo))
    ]
    emitir_relatorio(
        "Funções e subfunções (Portaria MOG 42/1999)",
        (
            Coluna("funcao", "Função"),
            Coluna("nome_funcao", "Nome da função"),
            Coluna("subfuncao", "Subfunção"),
            Coluna("nome_subfuncao", "Nome da subfunção"),
        ),
        linhas,
        formato,
        saida,
        {"relatorio": "funcoes"},
    )
