"""Forma compacta de um evento: a lista JSON dos valores já convertidos, gravada
ao lado do texto recebido (``evento.compacto``, migração 0018).

``evento.dados`` continua sendo o registro: o texto que chegou, relido por
``carga.evento_de_dados`` com todas as conferências de leitura. A forma compacta
é o mesmo evento depois dessa leitura — ``[versão, tipo, campo, campo, …]`` na
ordem da classe, data como número do dia (``date.toordinal``), fonte como texto,
listas no lugar de tuplas — e é relida sem conferir nem converter texto: é o que
``verificar`` usa para reexecutar um milhão de eventos (~1/3 do custo da leitura
completa). Versão desconhecida: None, e quem lê volta a ``dados``.
"""

from __future__ import annotations

import datetime as dt
import json
import json.encoder
import sys
import typing
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

from erario.core.conversores import Memoria
from erario.execucao.carga import (
    CAMPOS,
    CAMPOS_REPETIDOS,
    EventoCarga,
    evento_de_dados,
    fonte,
    ler_json,
)
from erario.orcamento.classificacao import FonteRecurso

VERSAO: Final = 1


def _recusar(valor: Any) -> Any:
    raise TypeError(f"valor sem forma JSON: {valor!r}")


# O codificador em C do módulo json chamado direto: o JSONEncoder.encode monta um
# a cada chamada (~0,6 µs por evento numa carga de um milhão). Sem ``markers``:
# a lista não tem referências circulares.
_CODIFICAR: Final = json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None,
    _recusar,
    json.encoder.encode_basestring,  # a versão em C, quando há
    None,
    ":",
    ",",
    False,
    False,
    True,
)


# Um só objeto por dia e por fonte (o controle guarda cada evento); o texto de uma
# fonte sem a chamada em Python do ``str`` de uma NamedTuple.
_DATAS: Final = Memoria(dt.date.fromordinal)
_FONTES: Final = Memoria(fonte)
_TEXTOS_FONTE: Final = Memoria(str)


def _tuplas(v: list[Any]) -> tuple[Any, ...]:
    """Lista de listas (descontos, propriedades) → tupla de tuplas."""
    return tuple(map(tuple, v)) if v else ()


def _conversores(
    classe: Any,
) -> tuple[list[tuple[int, Callable[[Any], Any]]], list[int], list[int]]:
    """Para os campos da classe (sem ``tipo``): (posição, conversor da leitura) dos
    que não saem prontos do JSON, as posições das datas e as das fontes."""
    dicas = typing.get_type_hints(classe)
    leitura: list[tuple[int, Callable[[Any], Any]]] = []
    datas, fontes = [], []
    for i, nome in enumerate(n for n in classe._fields if n != "tipo"):
        dica = dicas[nome]
        base = [a for a in typing.get_args(dica) if a is not type(None)] or [dica]
        if nome == "data" or dica is dt.date:  # o estorno anota a data como Any
            leitura.append((i, _DATAS.__getitem__))
            datas.append(i)
        elif dica is FonteRecurso:
            leitura.append((i, _FONTES.__getitem__))
            fontes.append(i)
        elif isinstance(base[0], type) and issubclass(base[0], StrEnum):
            # o membro pelo valor num dicionário (chamar a classe custa ~0,5 µs)
            leitura.append((i, {m.value: m for m in base[0]}.__getitem__))
        elif typing.get_origin(dica) is tuple:
            de_tuplas = typing.get_origin(typing.get_args(dica)[0]) is tuple
            leitura.append((i, _tuplas if de_tuplas else tuple))
        elif nome in CAMPOS_REPETIDOS:
            # Um só objeto para o texto que se repete (entidade, credor, contas),
            # como na leitura completa: o controle guarda cada evento.
            leitura.append((i, sys.intern))
    return leitura, datas, fontes


class _Classe(typing.NamedTuple):
    classe: Any
    nome: str  # o tipo, como na forma compacta
    campos: int  # quantos a lista traz (sem o tipo)
    tipo: Any  # o padrão do campo tipo (não vai na lista)
    posicao_tipo: int
    leitura: list[tuple[int, Callable[[Any], Any]]]
    datas: list[int]  # posições na lista inteira (depois da versão e do tipo)
    fontes: list[int]


def _montar() -> dict[str, _Classe]:
    saida = {}
    for tipo_classe, _ in CAMPOS.values():
        classe: Any = tipo_classe
        leitura, datas, fontes = _conversores(classe)
        tipo = classe._field_defaults["tipo"]
        saida[str(tipo)] = _Classe(
            classe,
            str(tipo),
            len(classe._fields) - 1,
            tipo,
            classe._fields.index("tipo"),
            leitura,
            [i + 2 for i in datas],
            [i + 2 for i in fontes],
        )
    return saida


_POR_TIPO: Final = _montar()
_POR_CLASSE: Final = {c.classe: c for c in _POR_TIPO.values()}


def compactar(ev: EventoCarga) -> str:
    """A forma compacta de ``ev`` (o evento já lido e aceito)."""
    c = _POR_CLASSE[type(ev)]
    valores: list[Any] = [VERSAO, c.nome, *ev]
    del valores[2 + c.posicao_tipo]
    for i in c.datas:
        valores[i] = valores[i].toordinal()
    for i in c.fontes:
        if valores[i] is not None:
            valores[i] = _TEXTOS_FONTE[valores[i]]
    return "".join(_CODIFICAR(valores, 0))


def descompactar(texto: str) -> EventoCarga | None:
    """O evento da forma compacta; None se a versão ou o tipo não são conhecidos
    (quem lê usa ``evento.dados``)."""
    lista = ler_json(texto)
    if type(lista) is not list or len(lista) < 2 or lista[0] != VERSAO:
        return None
    c = _POR_TIPO.get(lista[1])
    if c is None:
        return None
    valores = lista[2:]
    if len(valores) != c.campos:
        return None
    for i, conversor in c.leitura:
        v = valores[i]
        if v is not None:
            valores[i] = conversor(v)
    valores.insert(c.posicao_tipo, c.tipo)
    # a tupla direto (o _make confere o tamanho, já conferido acima)
    evento: EventoCarga = tuple.__new__(c.classe, valores)
    return evento


def evento_gravado(dados: str, compacto: str | None) -> EventoCarga:
    """O evento de uma linha da tabela ``evento``: da forma compacta (~1/3 do custo
    de reler o texto recebido) ou, sem ela ou em outra versão, de ``dados``."""
    return (compacto and descompactar(compacto)) or evento_de_dados(dados)
