"""``erario plano``: importar, exportar e listar o plano de contas."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from erario.cli.comum import console, estilo, executar, imprimir_largo, mostrar_erros, repo

app_plano = typer.Typer(
    help="Plano de contas: importar, exportar e listar as contas.", no_args_is_help=True
)


class FormatoPlano(StrEnum):
    stn = "stn"
    tce_rs = "tce-rs"


@app_plano.command("importar")
def plano_importar(
    arquivo: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV do plano.")],
    nome: Annotated[str, typer.Option(help="Nome do plano no banco.")] = "PCASP",
    formato: Annotated[
        FormatoPlano,
        typer.Option(
            help="stn: planilha da STN; tce-rs: balancete no leiaute do TCE-RS "
            "(colunas em docs/importacao.md)."
        ),
    ] = FormatoPlano.stn,
    mascara: Annotated[
        str | None,
        typer.Option(
            help="Máscara dos códigos, larguras dos níveis (1.1.1.1.1.2.2.2.2.2) ou desenho "
            "(X.X.X.X.X.XX.XX): obrigatória com códigos sem pontos."
        ),
    ] = None,
) -> None:
    """Importa (ou atualiza) um plano de contas de um CSV (docs/importacao.md)."""
    from erario.core.erros import Erro
    from erario.razao.plano import ler_mascara, ler_plano_csv, ler_plano_tce_rs

    declarada = ler_mascara(mascara) if mascara else None
    if mascara and declarada is None:
        erro = Erro("PLANO-MASCARA", f"máscara '{mascara}' inválida: use 1.1.1.1.1.2.2 ou X.X.XX")
        mostrar_erros([erro], "Plano recusado")
        raise typer.Exit(1)
    texto = arquivo.read_text(encoding="utf-8")
    leitor = ler_plano_csv if formato == FormatoPlano.stn else ler_plano_tce_rs
    plano, erros = leitor(texto, nome, arquivo.name, declarada)
    if plano is None:
        mostrar_erros(erros, "Plano recusado")
        raise typer.Exit(1)
    from erario.razao.plano import avisos_plano

    for aviso in avisos_plano(plano):
        console.print(estilo(("aviso", "yellow"), f": {aviso}"), highlight=False)
    resumo = executar(lambda: repo().gravar_plano(plano))
    analiticas = sum(1 for c in plano.contas.values() if c.analitica)
    console.print(
        f"Plano {nome} ({plano.mascara}): {len(plano.contas)} contas, {analiticas} analíticas — "
        f"{resumo.novas} novas, {resumo.alteradas} alteradas, {resumo.iguais} iguais."
    )


@app_plano.command("exportar")
def plano_exportar(
    nome: Annotated[str, typer.Option(help="Nome do plano.")] = "PCASP",
    saida: Annotated[
        Path | None, typer.Option("-o", "--saida", help="Arquivo CSV (padrão: tela).")
    ] = None,
) -> None:
    """Exporta o plano no padrão da planilha da STN."""
    from erario.razao.plano import escrever_plano_csv

    texto = escrever_plano_csv(executar(lambda: repo().plano(nome)))
    if saida:
        saida.write_text(texto, encoding="utf-8")
        console.print(f"Plano {nome} gravado em {saida}.")
    else:
        sys.stdout.write(texto)


@app_plano.command("contas")
def plano_contas(
    nome: Annotated[str, typer.Option(help="Nome do plano.")] = "PCASP",
    prefixo: Annotated[str, typer.Option(help="Só contas que começam com este código.")] = "",
    nivel: Annotated[int | None, typer.Option(help="Nível máximo.")] = None,
) -> None:
    """Lista as contas do plano com seus atributos."""
    from rich.table import Table

    plano = executar(lambda: repo().plano(nome))
    tabela = Table("Conta", "Título", "Esc.", "Nat. saldo", "Inf.", "Sup.", "Conta corrente")
    for c in plano.contas.values():
        if c.codigo.startswith(prefixo) and (nivel is None or c.nivel <= nivel):
            tabela.add_row(
                c.codigo,
                c.titulo,
                "S" if c.analitica else "N",
                c.natureza_saldo.value,
                c.natureza_informacao.value,
                c.superavit or "",
                ",".join(c.conta_corrente),
            )
    imprimir_largo(tabela)
