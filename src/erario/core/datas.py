"""Datas e períodos contábeis."""

from __future__ import annotations

import calendar
import datetime as dt
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


def fim_do_mes(ano: int, mes: int) -> dt.date:
    """O último dia do mês: ``fim_do_mes(2024, 2)`` → 29/02/2024."""
    return dt.date(ano, mes, calendar.monthrange(ano, mes)[1])
