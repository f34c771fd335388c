"""Saídas de relatórios tabulares simples (execução da despesa, da receita…):
tabela Rich, CSV (`;`, ponto decimal), JSON (valores como texto exato) e XLSX.

Cada relatório declara suas colunas uma vez (nome, título, se é dinheiro) e
entrega linhas com os valores em centavos; nada de float em lugar nenhum. Valor
``None`` é célula em branco (vazia no CSV, ``null`` no JSON), fora do total.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from erario.core.dinheiro import formatar_brl, texto_de_centavos

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from erario.relatorios.identificacao import Assinatura, Identificacao

LINHA_ASSINATURA = "_" * 40


class Coluna(NamedTuple):
    nome: str  # chave no CSV/JSON
    titulo: str  # cabeçalho na tabela e no XLSX
    dinheiro: bool = False
    saldo: bool = False  # saldo com sinal: "1.234,56 D" na tabela, sem total
    total: bool = True  # somar na linha de total (não para saldos corridos)

    @property
    def soma(self) -> bool:
        return self.dinheiro and not self.saldo and self.total


def _saldo(v: int) -> str:
    return formatar_brl(abs(v)) + (" D" if v > 0 else " C" if v < 0 else "")


def total(colunas: Sequence[Coluna], linhas: Sequence[Sequence[Any]]) -> list[Any]:
    return [
        sum(ln[i] for ln in linhas if ln[i] is not None) if c.soma else ("Total" if i == 0 else "")
        for i, c in enumerate(colunas)
    ]


def celula(c: Coluna, v: Any) -> str:
    if v is None:
        return ""
    if c.saldo:
        return _saldo(v)
    return formatar_brl(v) if c.dinheiro else str(v)


def titulo_completo(titulo: str, identificacao: Identificacao | None) -> str:
    """Título e, abaixo, as linhas de identificação (entidades com CNPJ, exercício, emissão)."""
    if identificacao is None:
        return titulo
    return "\n".join([titulo, *identificacao.linhas()])


def titulo_rich(titulo: str, identificacao: Identificacao | None) -> Text:
    """``titulo_completo`` como texto (não marcação), no estilo de título de tabela."""
    return Text(titulo_completo(titulo, identificacao), style="table.title")


def tabela(
    titulo: str,
    colunas: Sequence[Coluna],
    linhas: Sequence[Sequence[Any]],
    identificacao: Identificacao | None = None,
) -> Table:
    # Células e título são texto do usuário (histórico, nome da entidade): como
    # ``Text``, o Rich não os lê como marcação ("[bold]" de um histórico sumia).
    t = Table(
        title=titulo_rich(titulo, identificacao),
        show_footer=bool(linhas) and any(c.soma for c in colunas),
    )
    soma = total(colunas, linhas)
    celulas = [[celula(c, v) for c, v in zip(colunas, ln, strict=True)] for ln in linhas]
    for i, (c, tot) in enumerate(zip(colunas, soma, strict=True)):
        # Texto não encolhe abaixo do seu tamanho (até 40): em terminal estreito a
        # tabela passa da largura, mas nenhum código vira "…".
        maior = max([cell_len(c.titulo), *(cell_len(ln[i]) for ln in celulas)])
        t.add_column(
            c.titulo,
            justify="right" if c.dinheiro else "left",
            footer=celula(c, tot) if c.soma else str(tot),
            no_wrap=c.dinheiro,
            min_width=None if c.dinheiro else min(maior, 40),
        )
    for ln in celulas:
        t.add_row(*map(Text, ln))
    return t


def fichas(
    titulo: str,
    colunas: Sequence[Coluna],
    linhas: Sequence[Sequence[Any]],
    identificacao: Identificacao | None = None,
) -> Table:
    """O mesmo relatório em fichas (uma seção por registro, um campo por linha), para
    terminal estreito demais para todas as colunas lado a lado; a última ficha é o
    total."""
    t = Table(title=titulo_rich(titulo, identificacao), show_header=False)
    t.add_column("Campo", style="bold", no_wrap=True)
    t.add_column("Valor", justify="right", no_wrap=True)
    registros = [*linhas]
    if linhas and any(c.soma for c in colunas):
        registros.append(total(colunas, linhas))
    for ln in registros:
        for i, (c, v) in enumerate(zip(colunas, ln, strict=True)):
            # Na linha de total, as colunas que não somam trazem texto ("Total", "").
            texto = v if isinstance(v, str) else celula(c, v)
            t.add_row(c.titulo, Text(texto), end_section=i == len(colunas) - 1)
    return t


def _texto(c: Coluna, v: Any) -> str:
    if v is None:
        return ""
    return texto_de_centavos(v) if c.dinheiro else str(v)


def para_csv(colunas: Sequence[Coluna], linhas: Sequence[Sequence[Any]]) -> str:
    saida = io.StringIO()
    w = csv.writer(saida, delimiter=";", lineterminator="\n")
    w.writerow(c.nome for c in colunas)
    for ln in linhas:
        w.writerow(_texto(c, v) for c, v in zip(colunas, ln, strict=True))
    return saida.getvalue()


def para_json(
    colunas: Sequence[Coluna], linhas: Sequence[Sequence[Any]], cabecalho: dict[str, Any]
) -> str:
    doc = {
        **cabecalho,
        "linhas": [
            {c.nome: None if v is None else _texto(c, v) for c, v in zip(colunas, ln, strict=True)}
            for ln in linhas
        ],
        "total": {
            c.nome: texto_de_centavos(v)
            for c, v in zip(colunas, total(colunas, linhas), strict=True)
            if c.soma
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def assinaturas_xlsx(
    ws: Worksheet, linha: int, assinaturas: Sequence[Assinatura], colunas: Sequence[int]
) -> None:
    """Bloco de assinaturas a partir de ``linha``: traço, nome e cargo (com o CRC do
    contador), um por coluna de ``colunas`` (na ordem; mais assinaturas, mais abaixo)."""
    for i, a in enumerate(assinaturas):
        r = linha + (i // len(colunas)) * 5
        col = colunas[i % len(colunas)]
        for dr, texto in enumerate((LINHA_ASSINATURA, a.nome, a.rotulo())):
            ws.cell(row=r + dr, column=col, value=texto)


def para_xlsx(
    caminho: Path,
    titulo: str,
    colunas: Sequence[Coluna],
    linhas: Sequence[Sequence[Any]],
    identificacao: Identificacao | None = None,
) -> None:
    """Planilha com título (e identificação), cabeçalho com autofiltro, linhas,
    total e, com ``identificacao``, as assinaturas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    # O nome da aba não aceita : \ / ? * [ ] e tem até 31 caracteres.
    ws.title = "".join("-" if ch in ":\\/?*[]" else ch for ch in titulo)[:31]
    ws.append([titulo])
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    for texto in identificacao.linhas() if identificacao is not None else ():
        ws.append([texto])
    ws.append([c.titulo for c in colunas])
    cabecalho = ws.max_row
    for col in range(1, len(colunas) + 1):
        ws.cell(row=cabecalho, column=col).font = Font(bold=True)
    ws.auto_filter.ref = (
        f"A{cabecalho}:{get_column_letter(max(len(colunas), 1))}{cabecalho + len(linhas)}"
    )
    ws.freeze_panes = f"A{cabecalho + 1}"
    for ln in [*linhas, total(colunas, linhas)]:
        # Decimal exato a partir do texto (nunca float); formato contábil de 2 casas.
        ws.append(
            [
                Decimal(texto_de_centavos(v)) if c.dinheiro and v not in ("", None) else v
                for c, v in zip(colunas, ln, strict=True)
            ]
        )
    for celula in ws[ws.max_row]:
        celula.font = Font(bold=True)  # a linha de total
    for i, c in enumerate(colunas, start=1):
        if c.dinheiro:
            for (celula,) in ws.iter_rows(min_row=cabecalho + 1, min_col=i, max_col=i):
                celula.number_format = "#,##0.00"
    if identificacao is not None and identificacao.assinaturas:
        assinaturas_xlsx(
            ws, ws.max_row + 4, identificacao.assinaturas, (1, max(len(colunas) // 2, 2))
        )
    wb.save(caminho)


def para_pdf(
    caminho: Path,
    titulo: str,
    subtitulo: str,
    colunas: Sequence[Coluna],
    linhas: Sequence[Sequence[Any]],
    identificacao: Identificacao | None = None,
) -> None:
    """PDF A4 paisagem (fpdf2): cabeçalho (com ``identificacao``, as entidades com
    CNPJ, o exercício e a emissão no lugar do ``subtitulo``), uma linha por
    registro, a linha de total e o bloco de assinaturas."""
    from erario.relatorios.balancete_pdf import (
        CABECALHO_PDF,
        NEGRITO,
        PDFRelatorio,
        bloco_assinaturas,
        latin1,
    )

    linhas_cab = identificacao.linhas() if identificacao is not None else [subtitulo]
    pdf = PDFRelatorio(titulo, *linhas_cab)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 7.5)
    alinhar = ["RIGHT" if c.dinheiro else "LEFT" for c in colunas]
    with pdf.table(
        headings_style=CABECALHO_PDF,
        borders_layout="HORIZONTAL_LINES",
        line_height=3.8,
        padding=(0.5, 1.2),
        text_align="LEFT",
    ) as t:
        cab = t.row()
        for c, a in zip(colunas, alinhar, strict=True):
            cab.cell(latin1(c.titulo), align=a)
        for ln in linhas:
            row = t.row()
            for c, v, a in zip(colunas, ln, alinhar, strict=True):
                row.cell(latin1(celula(c, v)), align=a)
        if linhas and any(c.soma for c in colunas):
            row = t.row()
            for c, v, a in zip(colunas, total(colunas, linhas), alinhar, strict=True):
                row.cell(latin1(celula(c, v) if c.soma else str(v)), align=a, style=NEGRITO)
    if identificacao is not None:
        bloco_assinaturas(pdf, identificacao.assinaturas)
    pdf.output(str(caminho))


@contextmanager
def alargado(console: Console, largura: int) -> Iterator[Console]:
    """O console com pelo menos ``largura`` colunas enquanto durar o bloco: o
    ``print(width=)`` do Rich não passa da tela, e a tabela na largura natural não
    corta valor nenhum com "…" (em terminal estreito, a linha quebra)."""
    antes = console.width
    console.width = max(antes, largura)
    try:
        yield console
    finally:
        console.width = antes
