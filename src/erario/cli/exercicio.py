"""``erario exercicio``: abrir, fechar, reabrir e encerrar exercícios e competências."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from erario.cli.comum import OpcaoEntidade, console, executar, imprimir_largo, ler_mes, repo
from erario.core.dinheiro import formatar_brl

app_exercicio = typer.Typer(
    help="Exercícios e competências (abrir, fechar, reabrir).", no_args_is_help=True
)


@app_exercicio.command("abrir")
def exercicio_abrir(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício.")],
) -> None:
    """Abre o exercício: cria as 12 competências abertas."""
    n = executar(lambda: repo().abrir_exercicio(entidade, ano))
    console.print(f"Exercício {ano} de {entidade}: {n} competência(s) criada(s).")


@app_exercicio.command("fechar")
def exercicio_fechar(
    entidade: OpcaoEntidade,
    mes: Annotated[str, typer.Argument(help="Competência AAAA-MM.")],
) -> None:
    """Fecha uma competência: nenhum lançamento entra mais nela (registrado em auditoria)."""
    ano, m = ler_mes(mes)
    executar(lambda: repo().fechar_competencia(entidade, ano, m))
    console.print(f"Competência {m:02d}/{ano} de {entidade} fechada.")


@app_exercicio.command("reabrir")
def exercicio_reabrir(
    entidade: OpcaoEntidade,
    mes: Annotated[str, typer.Argument(help="Competência AAAA-MM.")],
    motivo: Annotated[
        str, typer.Option(help="Motivo da reabertura (obrigatório, vai para a auditoria).")
    ],
) -> None:
    """Reabre uma competência fechada (registrado em auditoria com o motivo)."""
    ano, m = ler_mes(mes)
    executar(lambda: repo().reabrir_competencia(entidade, ano, m, motivo))
    console.print(f"Competência {m:02d}/{ano} de {entidade} reaberta.")


@app_exercicio.command("encerrar")
def exercicio_encerrar(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício a encerrar.")],
) -> None:
    """Encerra o exercício em 31/12: inscreve os restos a pagar, encerra as contas
    orçamentárias, a DDR utilizada e o resultado, abre o exercício seguinte com os
    saldos transportados e fecha as competências (registrado em auditoria)."""
    from erario.execucao.eventos import EncerramentoExercicio

    r = repo()
    # Um código novo a cada encerramento (um desfeito conserva o seu).
    usados = executar(lambda: r.codigos_de_evento(entidade, f"ENC{ano}"))
    codigo = next(
        c for n in range(1, 1000) if (c := f"ENC{ano}" + (f"-{n}" if n > 1 else "")) not in usados
    )
    ev = EncerramentoExercicio(codigo, entidade, dt.date(ano, 12, 31))
    resumo = executar(lambda: r.registrar_eventos([(None, ev)], "encerramento"))
    restos = r.restos_a_pagar(entidade, ano)
    nao_proc = sum(x.inscrito_nao_processado for x in restos)
    proc = sum(x.inscrito_processado for x in restos)
    console.print(
        f"Exercício {ano} de {entidade} encerrado: {resumo.lancamentos} lançamento(s) "
        f"(EV{ev.id} …), {len(restos)} empenho(s) inscritos em restos a pagar — "
        f"não processados {formatar_brl(nao_proc)}, processados {formatar_brl(proc)}."
    )


@app_exercicio.command("desfazer-encerramento")
def exercicio_desfazer_encerramento(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício encerrado.")],
    motivo: Annotated[str, typer.Option(help="Motivo (obrigatório, vai para a auditoria).")],
) -> None:
    """Desfaz o encerramento do exercício: estorna os seus lançamentos (inscrição de
    restos a pagar, encerramentos, apuração e a abertura do seguinte) e reabre
    dezembro. Só enquanto o exercício seguinte não tem outro movimento."""
    r = repo()
    resumo = executar(lambda: r.desfazer_encerramento(entidade, ano, motivo))
    console.print(
        f"Encerramento de {ano} de {entidade} desfeito: {resumo.lancamentos} lançamento(s) "
        f"de estorno; dezembro/{ano} reaberto (as demais competências seguem como estavam)."
    )


@app_exercicio.command("competencias")
def exercicio_competencias(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício.")],
) -> None:
    """Situação das competências do exercício."""
    from rich.table import Table

    tabela = Table("Competência", "Situação")
    for c in executar(lambda: repo().competencias(entidade, ano)):
        tabela.add_row(f"{c.mes:02d}/{c.ano}", c.situacao.value)
    imprimir_largo(tabela)


@app_exercicio.command("auditoria")
def exercicio_auditoria(
    entidade: Annotated[
        str | None, typer.Argument(help="Slug da entidade (todas se omitido).")
    ] = None,
) -> None:
    """Registro de aberturas, fechamentos e reaberturas."""
    from rich.table import Table

    tabela = Table("Quando (UTC)", "Usuário", "Ação", "Entidade", "Detalhe")
    for quando, usuario, acao, slug, detalhe in repo().auditoria(entidade):
        tabela.add_row(f"{quando:%d/%m/%Y %H:%M:%S}", usuario, acao, slug, detalhe)
    imprimir_largo(tabela)
