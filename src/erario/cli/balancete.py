"""``erario balancete`` e ``erario razao``: os relatórios do razão."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from erario.cli.comum import (
    Formato,
    OpcaoEntidade,
    OpcaoFormato,
    OpcaoSaida,
    emitir_balancete,
    emitir_relatorio,
    executar,
    identificacao,
    ler_intervalo,
    ler_periodo,
    repo,
)
from erario.fcont.visoes import Visao


def balancete(
    entidades: Annotated[
        list[str], typer.Argument(help="Uma ou mais entidades (várias = consolidado por soma).")
    ],
    mes: Annotated[
        str | None, typer.Option(help="Competência AAAA-MM (use --de/--ate para intervalo).")
    ] = None,
    de: Annotated[str | None, typer.Option(help="Início AAAA-MM (00 = abertura).")] = None,
    ate: Annotated[str | None, typer.Option(help="Fim AAAA-MM (13 = encerramento).")] = None,
    conta_corrente: Annotated[
        bool, typer.Option("--conta-corrente", help="Abre cada conta analítica por conta corrente.")
    ] = False,
    nivel: Annotated[int | None, typer.Option(help="Nível máximo de conta exibido.")] = None,
    formato: Annotated[Formato, typer.Option(help="Formato de saída.")] = Formato.tabela,
    saida: Annotated[
        Path | None,
        typer.Option("-o", "--saida", help="Arquivo de saída (obrigatório para xlsx/pdf)."),
    ] = None,
    visao: Annotated[
        Visao | None,
        typer.Option(help="Empresas (SPED FCONT): visão societária ou fiscal (X, F, EF…)."),
    ] = None,
) -> None:
    """Balancete de verificação de um mês ou intervalo, de uma entidade ou consolidado."""
    ano, inicio, fim = ler_intervalo(mes, de, ate)
    r = repo()
    if visao is not None:
        from erario.storage.fcont import balancete_na_visao

        b = executar(lambda: balancete_na_visao(r, entidades, ano, inicio, fim, visao, nivel))
        emitir_balancete(r, b, formato, saida)
        return
    b = executar(
        lambda: r.balancete(
            entidades, ano, inicio, fim, por_conta_corrente=conta_corrente, nivel_maximo=nivel
        )
    )
    emitir_balancete(r, b, formato, saida)


def razao(
    entidade: OpcaoEntidade,
    conta: Annotated[
        str, typer.Argument(help="Conta (analítica ou sintética, em qualquer forma).")
    ],
    de: Annotated[
        str | None, typer.Option(help="Início AAAA-MM (padrão: janeiro do ano corrente).")
    ] = None,
    ate: Annotated[str | None, typer.Option(help="Fim AAAA-MM (13 = encerramento).")] = None,
    conta_corrente: Annotated[
        str | None,
        typer.Option(help='Filtra por atributos, p. ex. "FR=1500" ou "FR=1500|DB=001-1".'),
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Razão de uma conta: saldo anterior, cada partida do período e o saldo corrido."""
    from erario.razao.razao_conta import razao_de_conta
    from erario.relatorios import execucao as rel_execucao
    from erario.relatorios.balancete import periodo_meses

    ano, inicio = ler_periodo(de) if de else (dt.date.today().year, 1)
    ano_fim, fim = ler_periodo(ate) if ate else (ano, 12)
    if ano_fim != ano or fim < inicio:
        raise typer.BadParameter("--de e --ate devem ser do mesmo exercício, em ordem")
    r = repo()
    anterior, movimentos = executar(
        lambda: r.razao_conta(entidade, ano, conta, inicio, fim, conta_corrente)
    )
    emitir_relatorio(
        f"Razão da conta {conta} — {r.entidade(entidade).nome}, {ano}",
        rel_execucao.COLUNAS_RAZAO,
        razao_de_conta(anterior, movimentos),
        formato,
        saida,
        {"relatorio": "razao", "entidade": entidade, "conta": conta, "ano": ano},
        identificacao(r, [entidade], ano, periodo_meses(ano, inicio, fim)),
    )
