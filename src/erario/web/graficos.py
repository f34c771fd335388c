"""Gráficos simples em SVG, gerados no servidor (sem JavaScript nem biblioteca):
barras horizontais com o valor escrito ao lado, para ler também sem cor."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from erario.web.formatos import brl

# Cores com contraste ≥ 3:1 contra o fundo branco (WCAG 1.4.11, objetos gráficos).
CORES = ("#1f4e79", "#2e7d32", "#8a4b08", "#6a1b9a", "#b71c1c")


def barras(titulo: str, serie: Sequence[tuple[str, int]], largura: int = 520) -> Markup:
    """Uma barra por (rótulo, centavos), na escala da maior."""
    altura_barra, folga, esquerda = 22, 8, 150
    maior = max((v for _, v in serie), default=0) or 1
    util = largura - esquerda - 120
    altura = len(serie) * (altura_barra + folga) + folga
    partes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafico" role="img" '
        f'viewBox="0 0 {largura} {altura}" width="{largura}" height="{altura}" '
        f'aria-label="{escape(titulo)}">',
        f"<title>{escape(titulo)}</title>",
    ]
    for i, (rotulo, valor) in enumerate(serie):
        y = folga + i * (altura_barra + folga)
        w = max(0, round(util * max(valor, 0) / maior))
        cor = CORES[i % len(CORES)]
        partes += [
            f'<text x="{esquerda - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="#1a1a1a">{escape(rotulo)}</text>',
            f'<rect x="{esquerda}" y="{y}" width="{w}" height="{altura_barra}" fill="{cor}"/>',
            f'<text x="{esquerda + w + 6}" y="{y + 16}" font-size="13" '
            f'fill="#1a1a1a">{escape(brl(valor))}</text>',
        ]
    partes.append("</svg>")
    return Markup("".join(partes))
