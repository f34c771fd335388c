"""Estorno direto de um lançamento (``razao.estorno.estornar_lancamento``): o
gerado por evento se estorna pelo evento. Com o banco: ``erario lancamento
estornar`` em ``tests/test_exercicios_em_sequencia.py``."""

from __future__ import annotations

import datetime as dt

from erario.razao.estorno import estornar_lancamento
from erario.razao.modelo import Lancamento, Partida

ORIGINAL = Lancamento(
    "prefeitura",
    dt.date(2026, 3, 10),
    "Compra de material",
    (Partida("3.3.1.1.1.01.00", "D", 12_345), Partida("1.1.1.1.1.19.00", "C", 12_345)),
    "L7",
)


def test_lancamento_comum_vira_o_inverso() -> None:
    estorno, erros = estornar_lancamento(ORIGINAL, dt.date(2026, 3, 12), None, "X7")
    assert erros == [] and estorno is not None
    assert [(p.conta, p.dc, p.centavos) for p in estorno.partidas] == [
        ("3.3.1.1.1.01.00", "C", 12_345),
        ("1.1.1.1.1.19.00", "D", 12_345),
    ]
    assert (estorno.numero, estorno.estornado, estorno.estorno) == ("X7", "L7", True)
    assert estorno.historico == "Estorno do lançamento L7: Compra de material"


def test_lancamento_de_evento_se_estorna_pelo_evento() -> None:
    do_evento = ORIGINAL._replace(numero="EVE12", origem="evento:E12")
    estorno, erros = estornar_lancamento(do_evento, dt.date(2026, 3, 12))
    assert estorno is None
    assert [(e.regra, e.mensagem, e.campo) for e in erros] == [
        (
            "LANC-EVENTO",
            "o lançamento EVE12 foi gerado pelo evento E12: estorne o evento (tipo estorno em "
            "erario importar --tipo eventos) ou, se for do encerramento do exercício, use "
            "erario exercicio desfazer-encerramento",
            None,
        )
    ]
