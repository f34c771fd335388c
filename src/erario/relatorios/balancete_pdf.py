"""Balancete de verificação em PDF (fpdf2), A4 paisagem, com cabeçalho e rodapé."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fpdf import FPDF
from fpdf.fonts import FontFace

from erario.razao.balancete import Balancete
from erario.relatorios.balancete import (
    TITULO_TOTAIS,
    _celulas_texto,
    _celulas_valores,
    _colunas,
    _eh_subconta,
    _linhas_totais,
    _valores_total,
    periodo_descricao,
    situacao_fechamento,
)

_PONTUACAO: Final = str.maketrans(
    {"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}
)


def latin1(texto: str) -> str:
    """As fontes-padrão do PDF são latin-1: travessões e aspas curvas viram os
    equivalentes simples; o que ainda ficar fora vira ``?``."""
    return texto.translate(_PONTUACAO).encode("latin-1", "replace").decode("latin-1")


class PDFRelatorio(FPDF):
    """A4 paisagem com título e duas linhas de identificação no topo e "Página X de Y"
    no rodapé; serve a todos os relatórios em PDF."""

    def __init__(self, titulo: str, periodo: str, entidades: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self._titulo = latin1(titulo)
        self._periodo = latin1(periodo)
        self._entidades = latin1(entidades)
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(self._titulo)
        self.set_creator("erario")

    def header(self) -> None:
        self.set_font("Helvetica", "B", 13)
        self.cell(0, 7, self._titulo, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)
        self.cell(0, 5, self._periodo, new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 5, self._entidades, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 6, latin1(f"Página {self.page_no()} de {{nb}}"), align="C")


NEGRITO: Final = FontFace(emphasis="BOLD")
_ESMAECIDO: Final = FontFace(emphasis="ITALICS", color=(110, 110, 110))
CABECALHO_PDF: Final = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))


def para_pdf(b: Balancete, caminho: Path, titulo: str) -> None:
    """PDF A4 paisagem com as colunas da tabela do terminal e os totais ao final."""
    entidades = "Entidades: " + (", ".join(b.entidades) or "-")
    pdf = PDFRelatorio(titulo, periodo_descricao(b), entidades)
    pdf.add_page()
    pdf.set_font("Helvetica", "", 7.5)

    colunas = _colunas(b)
    n_texto = len(colunas) - 4
    larguras: tuple[int, ...] = (
        (12, 46, 22, 11, 11, 11, 11) if b.por_conta_corrente else (12, 64, 11, 11, 11, 11)
    )
    alinhamento = ["LEFT"] * n_texto + ["RIGHT"] * 4

    with pdf.table(
        col_widths=larguras,
        headings_style=CABECALHO_PDF,
        borders_layout="HORIZONTAL_LINES",
        line_height=3.6,
        padding=(0.5, 1.2),
        text_align="LEFT",
    ) as t:
        cab = t.row()
        for nome, alinhar in zip(colunas, alinhamento, strict=True):
            cab.cell(latin1(nome), align=alinhar)
        for ln in b.linhas:
            estilo: FontFace | None = None
            if _eh_subconta(ln):
                estilo = _ESMAECIDO
            elif not ln.analitica:
                estilo = NEGRITO
            row = t.row()
            textos = _celulas_texto(b, ln) + _celulas_valores(ln)
            for texto, alinhar in zip(textos, alinhamento, strict=True):
                row.cell(latin1(texto), align=alinhar, style=estilo)

    # O bloco de totais (título, cabeçalho, naturezas, total e a frase) não se parte.
    altura_totais = 4 + 6 + (len(b.totais) + 2) * 5.8 + 3 + 10
    if pdf.get_y() + altura_totais > pdf.h - pdf.b_margin:
        pdf.add_page()
    else:
        pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, latin1(TITULO_TOTAIS), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    colunas_totais = ("Natureza", "Saldos devedores", "Débitos", "Créditos", "Saldos credores")
    alinhamento_totais = ("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    with pdf.table(
        col_widths=(22, 14, 14, 14, 14),
        width=pdf.epw * 0.6,
        align="LEFT",
        headings_style=CABECALHO_PDF,
        borders_layout="HORIZONTAL_LINES",
        line_height=4.6,
        padding=(0.6, 1.2),
        text_align="LEFT",
    ) as t:
        cab = t.row()
        for nome, alinhar in zip(colunas_totais, alinhamento_totais, strict=True):
            cab.cell(latin1(nome), align=alinhar)
        for codigo, descricao, total, geral in _linhas_totais(b):
            row = t.row()
            rotulo = f"{codigo} - {descricao}" if codigo else descricao
            textos = [rotulo, *_valores_total(total)]
            for texto, alinhar in zip(textos, alinhamento_totais, strict=True):
                row.cell(latin1(texto), align=alinhar, style=NEGRITO if geral else None)

    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, latin1(situacao_fechamento(b)), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(caminho))
