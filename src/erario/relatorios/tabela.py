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
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from rich.table import Table

from erario.core.dinheiro import formatar_brl, texto_de_centavos


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


def _total(colunas: Sequence[Coluna], linhas: Sequence[Sequence[Any]]) -> list[Any]:
    return [
        sum(ln[i] for ln in linhas if ln[i] is not None) if c.soma else ("Total" if i == 0 else "")
        for i, c in enumerate(colunas)
    ]


def _celula(c: Coluna, v: Any) -> str:
    if v is None:
        return ""
    if c.saldo:
        return _saldo(v)
    return formatar_brl(v) if c.dinheiro else str(v)


def tabela(titulo: str, colunas: Sequence[Coluna], linhas: Sequence[Sequence[Any]]) -> Table:
    t = Table(title=titulo, show_footer=bool(linhas) and any(c.soma for c in colunas))
    total = _total(colunas, linhas)
    for i, (c, tot) in enumerate(zip(colunas, total, strict=True)):
        # Texto não encolhe abaixo do seu tamanho (até 40): em terminal estreito a
        # tabela passa da largura, mas nenhum código vira "…".
        maior = max([len(c.titulo), *(len(str(ln[i])) for ln in linhas)])
        t.add_column(
            c.titulo,
            justify="right" if c.dinheiro else "left",
            footer=_celula(c, tot) if c.soma else str(tot),
            no_wrap=c.dinheiro,
            min_width=None if c.dinheiro else min(maior, 40),
        )
    for ln in linhas:
        t.add_row(*(_celula(c, v) for c, v in zip(colunas, ln, strict=True)))
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
            for c, v in zip(colunas, _total(colunas, linhas), strict=True)
            if c.soma
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def para_xlsx(
    caminho: Path, titulo: str, colunas: Sequence[Coluna], linhas: Sequence[Sequence[Any]]
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = titulo[:31]
    ws.append([titulo])
    ws.append([c.titulo for c in colunas])
    for ln in [*linhas, _total(colunas, linhas)]:
        # Decimal exato a partir do texto (nunca float); formato contábil de 2 casas.
        ws.append(
            [
                Decimal(texto_de_centavos(v)) if c.dinheiro and v not in ("", None) else v
                for c, v in zip(colunas, ln, strict=True)
            ]
        )
    for i, c in enumerate(colunas, start=1):
        if c.dinheiro:
            for (celula,) in ws.iter_rows(min_row=3, min_col=i, max_col=i):
                celula.number_format = "#,##0.00"
    wb.save(caminho)


def para_pdf(
    caminho: Path,
    titulo: str,
    subtitulo: str,
    colunas: Sequence[Coluna],
    linhas: Sequence[Sequence[Any]],
) -> None:
    """PDF A4 paisagem (fpdf2): cabeçalho, uma linha por registro e a linha de total."""
    from erario.relatorios.balancete_pdf import CABECALHO_PDF, NEGRITO, PDFRelatorio, latin1

    pdf = PDFRelatorio(titulo, subtitulo, "")
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
                row.cell(latin1(_celula(c, v)), align=a)
        if linhas and any(c.soma for c in colunas):
            row = t.row()
            for c, v, a in zip(colunas, _total(colunas, linhas), alinhar, strict=True):
                row.cell(latin1(_celula(c, v) if c.soma else str(v)), align=a, style=NEGRITO)
    pdf.output(str(caminho))
