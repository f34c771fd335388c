"""Conversores de campos lidos de JSON (cargas em JSON Lines): cada um devolve o
valor ou levanta ``ValueError`` com a mensagem em português que a carga põe no
erro do campo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def texto(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("deve ser texto não vazio")
    return v.strip()


def enum(classe: Any) -> Callable[[Any], Any]:
    """Conversor para um ``StrEnum``: o texto em minúsculas, ou a lista do que vale."""

    def conv(v: Any) -> Any:
        try:
            return classe(texto(v).lower())
        except ValueError:
            raise ValueError("use " + ", ".join(m.value for m in classe)) from None

    return conv
