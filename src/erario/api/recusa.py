"""Recusa de um pedido ao servidor de dados: o status HTTP e os erros (``Erro``)
que o cliente recebe no corpo JSON."""

from __future__ import annotations

from typing import Any

from erario.core.erros import Erro


class Recusa(Exception):
    def __init__(self, status: int, erros: list[Erro]) -> None:
        self.status, self.erros = status, erros
        super().__init__("; ".join(str(e) for e in erros))

    @classmethod
    def uma(cls, status: int, regra: str, mensagem: str) -> Recusa:
        return cls(status, [Erro(regra, mensagem)])


def json_erros(erros: list[Erro]) -> dict[str, Any]:
    return {
        "erros": [
            {"regra": e.regra, "mensagem": e.mensagem, "campo": e.campo, "linha": e.linha}
            for e in erros
        ]
    }
