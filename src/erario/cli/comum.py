"""O que todo comando da CLI usa: o repositório, a execução com os erros
listados por inteiro, a leitura de mês/data/período e a emissão de relatórios.

A importação deste módulo é leve (Typer e o console do Rich): o banco
(SQLAlchemy), as tabelas e barras do Rich e os escritores de XLSX/PDF só são
carregados quando um comando os usa — ``erario --help`` não paga por eles.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from erario.core.erros import Erro, OperacaoRecusada

if TYPE_CHECKING:
    from rich.progress import Progress, ProgressColumn

    from erario.razao.balancete import Balancete
    from erario.razao.modelo import Entidade
    from erario.relatorios.identificacao import Identificacao
    from erario.relatorios.tabela import Coluna
    from erario.storage.repositorio import Repositorio

# Sem marcação do Rich no texto impresso: nome, histórico ou arquivo com "[...]"
# sai como veio (o Rich apagava "[antigo]" de "Fundo [antigo] Saúde"); o estilo
# vai em ``Text`` (``estilo``).
console = Console(markup=False)
erro_console = Console(stderr=True, markup=False)


def estilo(*partes: str | tuple[str, str]) -> Text:
    """Texto com estilo sem marcação: ``estilo(("aviso", "yellow"), ": ", nome)``."""
    return Text.assemble(*partes)


T = TypeVar("T")

# --db da linha de comando (o callback de app.py o grava antes de cada comando).
_estado: dict[str, str | None] = {"db": None}


def definir_banco(url: str | None) -> None:
    _estado["db"] = url


# ---------------------------------------------------------------- repositório
def repo() -> Repositorio:
    """O repositório do banco de ``--db`` (ou ``$ERARIO_DB``), com o esquema em dia."""
    from erario.storage.banco import atualizar_esquema, criar_engine, url_padrao
    from erario.storage.repositorio import Repositorio

    def abrir() -> Repositorio:  # banco errado: MIG-BANCO em uma linha, sem traceback
        engine = criar_engine(_estado["db"] or url_padrao())
        atualizar_esquema(engine)
        return Repositorio(engine)

    return executar(abrir, "Banco inacessível")


def obter_entidade(r: Repositorio, slug: str) -> Entidade:
    """A entidade cadastrada; a que não existe é recusada como qualquer operação."""
    return executar(lambda: r.entidade(slug))


# ----------------------------------------------------------- execução e erros
def mostrar_erros(erros: list[Erro], titulo: str) -> None:
    erro_console.print(
        estilo((titulo, "bold red"), f" ({len(erros)} problema(s)); nada foi alterado:")
    )
    for e in erros[:200]:
        erro_console.print(f"  • {e}", highlight=False, soft_wrap=True)
    if len(erros) > 200:
        erro_console.print(f"  … e mais {len(erros) - 200} problema(s).")


def executar(f: Callable[[], T], titulo: str = "Operação recusada") -> T:
    """``f()``; a operação recusada lista todos os problemas e sai com código 1."""
    try:
        return f()
    except OperacaoRecusada as exc:
        mostrar_erros(exc.erros, titulo)
        raise typer.Exit(1) from None


@contextmanager
def progresso(*colunas: ProgressColumn) -> Iterator[Progress]:
    """Barra de progresso no terminal de erros (desligada fora do terminal, salvo
    com ERARIO_PROGRESSO=1); sem ``colunas``: giro, descrição, barra, n/total e tempo."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    colunas = colunas or (
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *colunas,
        console=erro_console,
        transient=False,
        disable=not erro_console.is_terminal and os.environ.get("ERARIO_PROGRESSO") != "1",
    ) as p:
        yield p


# ------------------------------------------------------- leitura de período
def ler_periodo(
    texto: str,
    minimo: int = 0,
    maximo: int = 13,
    uso: str = "use AAAA-MM (00 = abertura, 13 = encerramento)",
) -> tuple[int, int]:
    """``AAAA-MM`` → (ano, mês), com o mês de ``minimo`` a ``maximo``; por padrão,
    o mês, ``AAAA-00`` (abertura) ou ``AAAA-13`` (encerramento). Fora disso, a
    mensagem diz o ``uso``."""
    try:
        ano, mes = (int(x) for x in texto.split("-"))
        if not minimo <= mes <= maximo:
            raise ValueError
    except ValueError:
        raise typer.BadParameter(f"'{texto}': {uso}") from None
    return ano, mes


def ler_mes(texto: str) -> tuple[int, int]:
    """``AAAA-MM`` → (ano, mês), mês de 1 a 12."""
    return ler_periodo(texto, 1, 12, "use AAAA-MM, ex.: 2026-03")


def ler_data(texto: str) -> dt.date:
    try:
        return dt.date.fromisoformat(texto)
    except ValueError:
        raise typer.BadParameter(f"'{texto}': use AAAA-MM-DD") from None


def ler_intervalo(mes: str | None, de: str | None, ate: str | None) -> tuple[int, int, int]:
    """(ano, início, fim) de ``--mes`` ou de ``--de``/``--ate`` do mesmo exercício."""
    if mes:
        ano, inicio = ler_periodo(mes)
        return ano, inicio, inicio
    if de and ate:
        ano, inicio = ler_periodo(de)
        ano_fim, fim = ler_periodo(ate)
        if ano_fim != ano:
            raise typer.BadParameter("--de e --ate devem ser do mesmo exercício")
        return ano, inicio, fim
    raise typer.BadParameter("informe --mes AAAA-MM ou --de AAAA-MM --ate AAAA-MM")


# ------------------------------------------------------ opções compartilhadas
class Formato(StrEnum):
    tabela = "tabela"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    pdf = "pdf"


OpcaoEntidade = Annotated[str, typer.Argument(help="Slug da entidade.")]
OpcaoFormato = Annotated[Formato, typer.Option(help="Formato de saída.")]
OpcaoSaida = Annotated[
    Path | None,
    typer.Option("-o", "--saida", help="Arquivo de saída (obrigatório para xlsx e pdf)."),
]


# ------------------------------------------------------- emissão de relatório
def identificacao(
    r: Repositorio, slugs: Sequence[str], exercicio: int | None, periodo: str = ""
) -> Identificacao:
    """Cabeçalho e assinaturas de um relatório das entidades ``slugs``: nome e CNPJ
    de cada uma, exercício, período, emissão hoje e as assinaturas da primeira (no
    consolidado, a que consolida)."""
    from erario.relatorios.identificacao import Identificacao
    from erario.storage.assinaturas import assinaturas

    por_slug = {e.slug: e for e in r.entidades()}
    entidades = tuple((por_slug[s].nome, por_slug[s].cnpj) for s in slugs if s in por_slug)
    bloco = assinaturas(r, slugs[0]) if slugs and slugs[0] in por_slug else ()
    return Identificacao(entidades, exercicio, periodo, dt.date.today(), bloco)


def _largura(renderizavel: Any) -> int:
    from rich.measure import Measurement

    return Measurement.get(console, console.options.update_width(1000), renderizavel).maximum


def imprimir_largo(renderizavel: Any) -> None:
    """Imprime sem cortar valores: a tela se alarga até a largura natural do
    conteúdo (o ``print(width=)`` do Rich não passa da tela) e, em terminal
    estreito, a linha quebra em vez de sumir."""
    from erario.relatorios.tabela import alargado

    with alargado(console, _largura(renderizavel)):
        console.print(renderizavel, crop=False)


def _aviso_fichas(colunas: int, largura: int) -> None:
    erro_console.print(
        f"O relatório tem {colunas} colunas ({largura} caracteres) e não cabe "
        f"nas {console.width} colunas do terminal: sai em fichas, um registro por "
        "bloco. Para a tabela inteira, use --formato csv, xlsx ou pdf (-o ARQUIVO).",
        highlight=False,
    )


def _tabela_grande(
    titulo: str, colunas: list[Any], linhas: list[Any], ident: Identificacao | None
) -> bool:
    """A tabela de milhares de linhas sem o Rich medir cada célula
    (``relatorios.tabela_grande``); False se alguma célula pede o Rich."""
    from erario.relatorios.tabela_grande import TabelaGrande

    grande = TabelaGrande(titulo, colunas, linhas, ident)
    if not grande.simples:
        return False
    if console.is_terminal and grande.largura > console.width:
        _aviso_fichas(len(colunas), grande.largura)
        saida = grande.fichas(console)
    else:
        saida = grande.linhas(console)
    console.file.write("\n".join(saida) + "\n")
    console.file.flush()
    return True


def emitir_relatorio(
    titulo: str,
    colunas: Sequence[Coluna],
    linhas: list[Any],
    formato: Formato,
    saida: Path | None,
    cabecalho: dict[str, Any],
    ident: Identificacao | None = None,
) -> None:
    """Um relatório tabular no formato pedido: tabela na tela, CSV/JSON na tela ou
    em arquivo, XLSX/PDF em arquivo (``-o`` obrigatório). Com ``ident``, o
    cabeçalho traz entidades com CNPJ, exercício e emissão, e XLSX/PDF, as
    assinaturas.

    No terminal, a tabela que não cabe na largura da tela sai em fichas (um campo
    por linha) e a saída de erros aponta ``--formato csv/xlsx/pdf``."""
    from erario.relatorios import tabela as tab

    cols = list(colunas)
    if formato in (Formato.xlsx, Formato.pdf):
        if saida is None:
            raise typer.BadParameter(f"informe -o ARQUIVO para o formato {formato.value}")
        if formato == Formato.xlsx:
            tab.para_xlsx(saida, titulo, cols, linhas, ident)
        else:
            subtitulo = f"Emitido pelo erario em {dt.date.today():%d/%m/%Y}"
            tab.para_pdf(saida, titulo, subtitulo, cols, linhas, ident)
        console.print(f"Relatório gravado em {saida}.")
        return
    if formato == Formato.tabela:
        from erario.relatorios.tabela_grande import LINHAS_RICH

        if len(linhas) > LINHAS_RICH and _tabela_grande(titulo, cols, linhas, ident):
            return
        t = tab.tabela(titulo, cols, linhas, ident)
        largura = _largura(t)
        if console.is_terminal and largura > console.width:
            _aviso_fichas(len(cols), largura)
            imprimir_largo(tab.fichas(titulo, cols, linhas, ident))  # nada vira "…"
            return
        imprimir_largo(t)
        if not linhas:  # a tabela sem linhas, só o cabeçalho: dizer que está vazia
            console.print("Nenhum registro.")
        return
    texto = (
        tab.para_csv(cols, linhas)
        if formato == Formato.csv
        else tab.para_json(cols, linhas, cabecalho)
    )
    if saida:
        saida.write_text(texto, encoding="utf-8")
    else:
        sys.stdout.write(texto)


def emitir_balancete(r: Repositorio, b: Balancete, formato: Formato, saida: Path | None) -> None:
    """O balancete no formato pedido; se não fechar, lista as diferenças e sai com 1."""
    from erario.razao.balancete import conferir_balancete
    from erario.relatorios import balancete as rel

    # O título leva o período; entidades (nome e CNPJ), exercício e emissão vêm abaixo.
    titulo = f"Balancete de verificação — {rel.periodo_descricao(b)}"
    if len(b.entidades) > 1:
        titulo += " (consolidado)"
    ident = identificacao(r, b.entidades, b.ano)
    if formato in (Formato.xlsx, Formato.pdf):
        if saida is None:
            raise typer.BadParameter(f"informe -o ARQUIVO para o formato {formato.value}")
        (rel.para_xlsx if formato == Formato.xlsx else rel.para_pdf)(b, saida, titulo, ident)
        console.print(f"Balancete gravado em {saida}.")
        return
    if formato == Formato.tabela:
        if saida:
            with saida.open("w", encoding="utf-8") as f:
                Console(file=f, width=200).print(rel.tabela(b, titulo, identificacao=ident))
        else:
            # Valores nunca cortados: em terminal estreito a linha quebra, não some.
            console.print(rel.tabela(b, titulo, console.width, ident), crop=False)
    else:
        texto = rel.para_csv(b) if formato == Formato.csv else rel.para_json(b)
        if saida:
            saida.write_text(texto, encoding="utf-8")
        else:
            sys.stdout.write(texto)
    problemas = conferir_balancete(b)
    if problemas:
        mostrar_erros(problemas, "O balancete não fecha")
        raise typer.Exit(1)
