"""Uma regra por tipo de evento (conferir, aplicar e motivo de recusa do estorno),
declarada pela família do evento; ``REGRAS`` junta as famílias numa tabela única
tipo → regra, que ``execucao.controle`` consulta."""

from __future__ import annotations

from typing import Any

from erario.execucao.regras import dotacao, empenho, extra, receita, restos, transferencia
from erario.execucao.regras.comum import Regra

FAMILIAS = (dotacao, empenho, receita, extra, restos, transferencia)


def _juntar() -> dict[type, Regra[Any]]:
    tabela: dict[type, Regra[Any]] = {}
    for familia in FAMILIAS:
        repetidos = tabela.keys() & familia.REGRAS.keys()
        if repetidos:  # um tipo, uma regra
            raise RuntimeError(f"tipos com mais de uma regra: {sorted(map(str, repetidos))}")
        tabela |= familia.REGRAS
    return tabela


REGRAS = _juntar()

__all__ = ["FAMILIAS", "REGRAS", "Regra"]
