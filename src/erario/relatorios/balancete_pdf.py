"""Balancete de verificação em PDF (fpdf2), A4 paisagem, com cabeçalho e rodapé."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from fpdf import FPDF
from fpdf.fonts import FontFace

from erario.razao.balancete import Balancete
from erario.relatorios.balancete import (
    TITULO_TOTAIS,
    TOTAL_GERAL,
    celulas_texto,
    celulas_total_geral,
    celulas_valores,
    colunas,
    eh_subconta,
    linhas_totais,
    periodo_descricao,
    situacao_fechamento,
    valores_total,
)
from erario.relatorios.identificacao import Assinatura, Identificacao

_PONTUACAO: Final = str.maketrans(
    {"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."}
)


def latin1(texto: str) -> str:
    """As fontes-padrão do PDF são latin-1: travessões e aspas curvas viram os
    equivalentes simples; o que ainda ficar fora vira ``?``."""
    return texto.translate(_PONTUACAO).encode("latin-1", "replace").decode("latin-1")


class PDFRelatorio(FPDF):
    """A4 paisagem com título e linhas de identificação no topo (título e linhas
    longos quebram, não passam da margem) e "Página X de Y" no rodapé; serve a
    todos os relatórios em PDF."""

    def __init__(self, titulo: str, *linhas: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self._titulo = latin1(titulo)
        self._linhas = [latin1(ln) for ln in linhas if ln]
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(self._titulo)
        self.set_creator("erario")

    def header(self) -> None:
        self.set_font("Helvetica", "B", 13)
        self.multi_cell(0, 6.5, self._titulo, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)
        for linha in self._linhas:
            self.multi_cell(0, 4.6, linha, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 6, latin1(f"Página {self.page_no()} de {{nb}}"), align="C")


NEGRITO: Final = FontFace(emphasis="BOLD")
_ESMAECIDO: Final = FontFace(emphasis="ITALICS", color=(110, 110, 110))
CABECALHO_PDF: Final = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))


ALTURA_ASSINATURAS: Final = 24.0  # mm: espaço para assinar, traço, nome e cargo


def bloco_assinaturas(pdf: FPDF, assinaturas: Sequence[Assinatura]) -> None:
    """Assinaturas lado a lado (até três por linha), numa página só: espaço para
    assinar, traço, nome e cargo (o contador com o CRC)."""
    if not assinaturas:
        return
    por_linha = min(len(assinaturas), 3)
    largura = pdf.epw / por_linha
    for inicio in range(0, len(assinaturas), por_linha):
        grupo = assinaturas[inicio : inicio + por_linha]
        if pdf.get_y() + ALTURA_ASSINATURAS > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y() + 12  # espaço para a assinatura
        for i, a in enumerate(grupo):
            x = pdf.l_margin + i * largura
            margem = largura * 0.1
            pdf.line(x + margem, y, x + largura - margem, y)
            pdf.set_xy(x, y + 1)
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(largura, 4.5, latin1(a.nome), align="C")
            pdf.set_xy(x, y + 5.5)
            pdf.set_font("Helvetica", "", 8.5)
            pdf.cell(largura, 4.5, latin1(a.rotulo()), align="C")
        pdf.set_xy(pdf.l_margin, y + 12)


def para_pdf(
    b: Balancete, caminho: Path, titulo: str, identificacao: Identificacao | None = None
) -> None:
    """PDF A4 paisagem com as colunas da tabela do terminal, o total geral, os totais
    por natureza e, com ``identificacao``, entidades com CNPJ, exercício, emissão e
    o bloco de assinaturas."""
    if identificacao is None:
        entidades = "Entidades: " + (", ".join(b.entidades) or "-")
        pdf = PDFRelatorio(titulo, periodo_descricao(b), entidades)
    else:
        pdf = PDFRelatorio(titulo, *identificacao.linhas())
    pdf.add_page()
    pdf.set_font("Helvetica", "", 7.5)

    nomes_colunas = colunas(b)
    n_texto = len(nomes_colunas) - 4
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
        for nome, alinhar in zip(nomes_colunas, alinhamento, strict=True):
            cab.cell(latin1(nome), align=alinhar)
        for ln in b.linhas:
            estilo: FontFace | None = None
            if eh_subconta(ln):
                estilo = _ESMAECIDO
            elif not ln.analitica:
                estilo = NEGRITO
            row = t.row()
            textos = celulas_texto(b, ln) + celulas_valores(ln)
            for texto, alinhar in zip(textos, alinhamento, strict=True):
                row.cell(latin1(texto), align=alinhar, style=estilo)
        row = t.row()
        geral = ["", TOTAL_GERAL, *([""] if b.por_conta_corrente else [])]
        for texto, alinhar in zip(geral + celulas_total_geral(b), alinhamento, strict=True):
            row.cell(latin1(texto), align=alinhar, style=NEGRITO)

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
        for codigo, descricao, total, eh_geral in linhas_totais(b):
            row = t.row()
            rotulo = f"{codigo} - {descricao}" if codigo else descricao
            textos = [rotulo, *valores_total(total)]
            for texto, alinhar in zip(textos, alinhamento_totais, strict=True):
                row.cell(latin1(texto), align=alinhar, style=NEGRITO if eh_geral else None)

    pdf.ln(3)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(0, 5, latin1(situacao_fechamento(b)), new_x="LMARGIN", new_y="NEXT")
    if identificacao is not None:
        bloco_assinaturas(pdf, identificacao.assinaturas)
    pdf.output(str(caminho))
