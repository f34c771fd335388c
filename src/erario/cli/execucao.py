"""``erario execucao``: relatórios da execução orçamentária (empenho, disponibilidade,
restos a pagar, despesa e receita)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from erario.cli.comum import (
    Formato,
    OpcaoEntidade,
    OpcaoFormato,
    OpcaoSaida,
    emitir_relatorio,
    executar,
    identificacao,
    mostrar_erros,
    obter_entidade,
    repo,
)
from erario.core.erros import Erro

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario

app_execucao = typer.Typer(
    help="Relatórios da execução orçamentária (a partir dos eventos registrados).",
    no_args_is_help=True,
)

OpcaoExercicio = Annotated[
    int | None, typer.Option(help="Exercício (padrão: o mais recente com orçamento).")
]


def _exercicio(controle: ControleOrcamentario, slug: str, exercicio: int | None) -> int | None:
    """O exercício pedido ou, sem ele, o mais recente com orçamento (None se não houver)."""
    if exercicio is not None:
        return exercicio
    from erario.execucao.relatorios import exercicios

    anos = exercicios(controle, slug)
    return anos[-1] if anos else None


@app_execucao.command("empenho")
def execucao_empenho(
    entidade: OpcaoEntidade,
    numero: Annotated[str, typer.Argument(help="Número (id) do empenho.")],
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Extrato do empenho: empenho, anulações, liquidações e pagamentos, com os saldos depois de cada um."""
    from erario.relatorios import execucao as rel_execucao

    r = repo()
    ent = obter_entidade(r, entidade)
    linhas = executar(lambda: r.extrato_empenho(ent.slug, numero))
    if linhas is None:
        mostrar_erros([Erro("EXEC-EMPENHO", f"empenho {numero} não existe")], "Extrato")
        raise typer.Exit(1)
    emitir_relatorio(
        f"Extrato do empenho {numero} — {ent.nome}",
        rel_execucao.COLUNAS_EXTRATO,
        linhas,
        formato,
        saida,
        {"relatorio": "extrato_empenho", "entidade": entidade, "empenho": numero},
        identificacao(r, [ent.slug], None),
    )


@app_execucao.command("disponibilidade")
def execucao_disponibilidade(
    entidade: OpcaoEntidade,
    exercicio: Annotated[
        int | None,
        typer.Option(help="Exercício (padrão: o mais recente com lançamentos)."),
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Disponibilidade por fonte no exercício, da abertura até hoje: caixa e bancos e o
    controle da DDR (disponível, comprometida, utilizada)."""
    from erario.execucao.relatorios import disponibilidade_por_fonte
    from erario.relatorios import execucao as rel_execucao

    r = repo()
    if exercicio is None:
        anos = executar(lambda: r.exercicios_com_lancamentos(entidade))
        exercicio = anos[-1] if anos else None
    saldos = (
        executar(lambda: r.saldos_execucao(entidade, ("1.1.1.", "8.2.1.1."), exercicio))
        if exercicio is not None
        else {}
    )
    emitir_relatorio(
        f"Disponibilidade por fonte em {exercicio or '—'} — {r.entidade(entidade).nome}",
        rel_execucao.COLUNAS_DISPONIBILIDADE,
        disponibilidade_por_fonte(saldos),
        formato,
        saida,
        {"relatorio": "disponibilidade_por_fonte", "entidade": entidade, "exercicio": exercicio},
        identificacao(r, [entidade], exercicio),
    )


@app_execucao.command("restos")
def execucao_restos(
    entidade: OpcaoEntidade,
    inscricao: Annotated[
        int | None, typer.Option(help="Só os inscritos no encerramento deste exercício.")
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Restos a pagar por empenho: ano de inscrição, inscritos, liquidados, pagos e cancelados (processados e não processados) e saldo."""
    from erario.relatorios import execucao as rel_execucao

    r = repo()
    ent = obter_entidade(r, entidade)
    linhas = executar(lambda: r.restos_a_pagar(ent.slug, inscricao))
    emitir_relatorio(
        f"Restos a pagar — {ent.nome}",
        rel_execucao.COLUNAS_RESTOS,
        linhas,
        formato,
        saida,
        {"relatorio": "restos_a_pagar", "entidade": entidade, "inscricao": inscricao},
        identificacao(r, [ent.slug], inscricao),
    )


@app_execucao.command("despesa")
def execucao_despesa(
    entidade: OpcaoEntidade,
    exercicio: OpcaoExercicio = None,
    funcao: Annotated[str | None, typer.Option(help="Só a função (2 dígitos; 10 = Saúde).")] = None,
    subfuncao: Annotated[str | None, typer.Option(help="Só a subfunção (3 dígitos).")] = None,
    fonte: Annotated[
        str | None, typer.Option(help="Só a fonte, como na MSC (p. ex. 1500 ou 15001001).")
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Execução da despesa por dotação: inicial, atualizada, empenhado, anulado, liquidado, pago, a pagar e saldo."""
    from erario.relatorios import execucao as rel_execucao

    r = repo()
    ent = obter_entidade(r, entidade)
    # o controle (só os mapas pequenos) só para achar o exercício padrão
    ano = exercicio if exercicio is not None else _exercicio(r.controle(ent.slug), ent.slug, None)
    linhas = executar(
        lambda: r.execucao_despesa(
            ent.slug,
            ano,
            funcao=funcao,
            subfuncao=subfuncao,
            fonte=fonte,
        )
    )
    emitir_relatorio(
        f"Execução da despesa — {ent.nome}, {ano}",
        rel_execucao.COLUNAS_DESPESA,
        linhas,
        formato,
        saida,
        {"relatorio": "execucao_despesa", "entidade": entidade, "exercicio": ano},
        identificacao(r, [ent.slug], ano),
    )


@app_execucao.command("receita")
def execucao_receita(
    entidade: OpcaoEntidade,
    exercicio: OpcaoExercicio = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Execução da receita por natureza e fonte: previsão inicial, atualizada, arrecadado e a arrecadar."""
    from erario.execucao.relatorios import execucao_receita as relatorio
    from erario.relatorios import execucao as rel_execucao

    r = repo()
    ent = obter_entidade(r, entidade)
    controle = r.controle(ent.slug)
    ano = _exercicio(controle, ent.slug, exercicio)
    linhas = executar(lambda: relatorio(controle, ent.slug, ano))
    emitir_relatorio(
        f"Execução da receita — {ent.nome}, {ano}",
        rel_execucao.COLUNAS_RECEITA,
        linhas,
        formato,
        saida,
        {"relatorio": "execucao_receita", "entidade": entidade, "exercicio": ano},
        identificacao(r, [ent.slug], ano),
    )
