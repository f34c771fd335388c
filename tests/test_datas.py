"""``core.datas``: o último dia do mês, usado por SIOPS, FCONT, conciliação e saldos."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from erario.core.datas import fim_do_mes, nome_mes


def test_fim_do_mes_nos_casos_do_calendario() -> None:
    assert fim_do_mes(2024, 2) == dt.date(2024, 2, 29)  # bissexto
    assert fim_do_mes(2026, 2) == dt.date(2026, 2, 28)
    assert fim_do_mes(2100, 2) == dt.date(2100, 2, 28)  # secular, não bissexto
    assert fim_do_mes(2026, 4) == dt.date(2026, 4, 30)
    assert fim_do_mes(2026, 12) == dt.date(2026, 12, 31)
    assert nome_mes(12) == "dezembro"


@given(st.integers(1900, 2200), st.integers(1, 12))
def test_o_dia_seguinte_abre_o_mes_seguinte(ano: int, mes: int) -> None:
    fim = fim_do_mes(ano, mes)
    assert (fim.year, fim.month) == (ano, mes)
    seguinte = fim + dt.timedelta(days=1)
    assert seguinte.day == 1 and (seguinte.year * 12 + seguinte.month) == ano * 12 + mes + 1
