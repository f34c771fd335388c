"""Erros como valores.

Validadores e cargas devolvem listas de ``Erro`` (linha, campo, regra,
mensagem em português) e reportam todos, sem parar no primeiro. Operações
recusadas levantam ``OperacaoRecusada`` com a lista completa.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Erro:
    """Um problema encontrado. ``regra`` é um código estável (catálogo em ``docs/erros.md``)."""

    regra: str
    mensagem: str
    campo: str | None = None
    linha: int | None = None
    origem: str | None = None  # arquivo, lançamento ou registro de onde veio

    def __str__(self) -> str:
        partes = []
        if self.origem:
            partes.append(self.origem)
        if self.linha is not None:
            partes.append(f"linha {self.linha}")
        if self.campo:
            partes.append(f"campo {self.campo}")
        prefixo = ", ".join(partes)
        corpo = f"[{self.regra}] {self.mensagem}"
        return f"{prefixo}: {corpo}" if prefixo else corpo

    def em(self, *, linha: int | None = None, origem: str | None = None) -> Erro:
        """Mesmo erro situado numa linha/origem (para cargas)."""
        return Erro(
            self.regra,
            self.mensagem,
            self.campo,
            linha if linha is not None else self.linha,
            origem if origem is not None else self.origem,
        )


class OperacaoRecusada(Exception):
    """Operação recusada por regra de negócio; nada foi alterado."""

    def __init__(self, erros: Iterable[Erro]) -> None:
        self.erros: list[Erro] = list(erros)
        super().__init__("\n".join(str(e) for e in self.erros))

    @classmethod
    def uma(cls, regra: str, mensagem: str, campo: str | None = None) -> OperacaoRecusada:
        return cls([Erro(regra, mensagem, campo)])
