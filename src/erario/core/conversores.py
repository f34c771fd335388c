"""Conversores de campos lidos de JSON (cargas em JSON Lines): cada um devolve o
valor ou levanta ``ValueError`` com a mensagem em português que a carga põe no
erro do campo. Para os cadastros que juntam os erros numa lista (``CAD-CAMPO``):
``erro_campo`` e ``texto_obrigatorio``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from erario.core.erros import Erro


class Memoria(dict[Any, Any]):
    """Memória de uma conversão que se repete em milhares de registros (datas,
    dotações, fontes): ``memoria[v]`` é o valor convertido — o acerto não chama
    função em Python — e um só objeto serve a todos os registros. Só guarda os
    acertos (o erro do conversor sobe e nada fica); limitada a ``limite`` entradas
    (cargas com muitos códigos distintos)."""

    def __init__(self, conversor: Callable[[Any], Any], limite: int = 20_000) -> None:
        super().__init__()
        self.conversor = conversor
        self.limite = limite

    def __missing__(self, v: Any) -> Any:
        r = self.conversor(v)
        if len(self) >= self.limite:
            self.clear()
        self[v] = r
        return r


def texto(v: Any) -> str:
    if isinstance(v, str):
        limpo = v.strip()
        if limpo:
            return limpo
    raise ValueError("deve ser texto não vazio")


def enum(classe: Any) -> Callable[[Any], Any]:
    """Conversor para um ``StrEnum``: o texto em minúsculas, ou a lista do que vale."""

    def conv(v: Any) -> Any:
        try:
            return classe(texto(v).lower())
        except ValueError:
            raise ValueError("use " + ", ".join(m.value for m in classe)) from None

    return conv


def propriedades(v: Any) -> tuple[tuple[str, str], ...]:
    """Propriedades adicionais livres: objeto de textos → pares em ordem de chave."""
    if not isinstance(v, dict) or not all(
        isinstance(k, str) and k.strip() and isinstance(x, str) for k, x in v.items()
    ):
        raise ValueError('use um objeto de textos, p. ex. {"COVID": "sim"}')
    return tuple(sorted((k.strip(), x.strip()) for k, x in v.items()))


def erro_campo(campo: str, mensagem: str, linha: int | None, origem: str | None) -> Erro:
    """``CAD-CAMPO``: o campo do cadastro ausente ou inválido."""
    return Erro("CAD-CAMPO", f"{campo}: {mensagem}", campo, linha, origem)


def texto_obrigatorio(
    obj: Mapping[str, Any], campo: str, erros: list[Erro], n: int | None, o: str | None
) -> str:
    """O texto do campo, sem espaços nas pontas; ausente ou vazio: "" e o erro em ``erros``."""
    v = obj.get(campo)
    if not isinstance(v, str) or not v.strip():
        erros.append(erro_campo(campo, "obrigatório (texto)", n, o))
        return ""
    return v.strip()
