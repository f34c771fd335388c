"""Datas e períodos contábeis."""

from __future__ import annotations

from typing import Final

MESES: Final = (
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
)


def nome_mes(mes: int) -> str:
    """``3`` → ``"março"``."""
    return MESES[mes - 1]
