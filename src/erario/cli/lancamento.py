"""``erario lancamento``: mostrar, estornar e exportar lançamentos."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from erario.cli.comum import OpcaoEntidade, console, executar, imprimir_largo, ler_data, repo

if TYPE_CHECKING:
    from erario.razao.modelo import Lancamento

app_lancamento = typer.Typer(help="Lançamentos: consultar e estornar.", no_args_is_help=True)


def _mostrar_lancamento(lc: Lancamento) -> None:
    from rich.table import Table

    titulo = f"Lançamento {lc.numero} — {lc.entidade} — {lc.data:%d/%m/%Y} ({lc.tipo})"
    if lc.estorno:
        titulo += f" — estorno de {lc.estornado}"
    tabela = Table(
        "Seq.", "Conta", "D/C", "Valor", "Conta corrente", title=titulo, caption=lc.historico
    )
    for i, p in enumerate(lc.partidas, start=1):
        tabela.add_row(str(i), p.conta, p.dc, p.valor.brl(), p.conta_corrente)
    imprimir_largo(tabela)


@app_lancamento.command("mostrar")
def lancamento_mostrar(
    entidade: OpcaoEntidade,
    numero: Annotated[str, typer.Argument(help="Número de controle.")],
) -> None:
    """Mostra um lançamento e suas partidas."""
    _mostrar_lancamento(executar(lambda: repo().lancamento(entidade, numero)))


@app_lancamento.command("estornar")
def lancamento_estornar(
    entidade: OpcaoEntidade,
    numero: Annotated[str, typer.Argument(help="Número de controle do lançamento a estornar.")],
    data: Annotated[str, typer.Option(help="Data do estorno AAAA-MM-DD.")],
    historico: Annotated[
        str | None, typer.Option(help="Histórico (padrão: 'Estorno do lançamento …').")
    ] = None,
) -> None:
    """Estorna um lançamento: registra o inverso, que devolve todo saldo ao que era."""
    lc = executar(lambda: repo().estornar(entidade, numero, ler_data(data), historico))
    _mostrar_lancamento(lc)


@app_lancamento.command("exportar")
def lancamento_exportar(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Exercício.")],
    saida: Annotated[
        Path | None, typer.Option("-o", "--saida", help="Arquivo CSV (padrão: tela).")
    ] = None,
) -> None:
    """Exporta os lançamentos do exercício no formato de carga (CSV)."""
    from erario.razao import carga

    lancs = executar(lambda: repo().lancamentos(entidade, ano))
    linhas = carga.escrever_lancamentos_csv(lancs)
    if saida:
        with saida.open("w", encoding="utf-8") as f:
            f.writelines(linhas)
        console.print(f"{len(lancs)} lançamento(s) gravado(s) em {saida}.")
    else:
        sys.stdout.writelines(linhas)
