"""Tabelas federais das classificações da despesa, como dados do pacote
(``erario/orcamento/dados``):

- ``funcoes.csv`` e ``subfuncoes.csv``: classificação funcional da Portaria MOG
  42/1999 (Anexo), com as alterações posteriores (368 Educação Básica e 847
  Transferências para a Educação Básica; na consolidação de 2022, 601–604 da
  Agricultura deram lugar a 608 e 609 — troca tirada de listas de terceiros,
  ainda não conferida no texto do DOU). A coluna ``funcao`` da subfunção é a
  função a que ela está vinculada no Anexo; a combinação com outras funções é
  livre (matricialidade), salvo a função 28 (ver ``combinacao_valida``).
- ``natureza_despesa.csv``: categorias econômicas, grupos de natureza de
  despesa e as modalidades de aplicação mais usadas por municípios (Portaria
  Interministerial STN/SOF 163/2001, Anexo II, com as alterações posteriores).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Final, NamedTuple

FUNCAO_ENCARGOS_ESPECIAIS: Final = "28"

# Grupos de natureza de despesa de cada categoria econômica (Portaria
# Interministerial 163/2001, art. 3º): 3 correntes (1–3), 4 capital (4–6) e
# 9 reserva de contingência / do RPPS (9.9.99.99).
GRUPOS_DA_CATEGORIA: Final[Mapping[str, frozenset[str]]] = {
    "3": frozenset("123"),
    "4": frozenset("456"),
    "9": frozenset("9"),
}


class Subfuncao(NamedTuple):
    codigo: str  # 3 dígitos
    nome: str
    funcao: str  # função a que está vinculada no Anexo da Portaria MOG 42/1999


def _ler(arquivo: str) -> list[dict[str, str]]:
    texto = resources.files("erario.orcamento").joinpath(f"dados/{arquivo}").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(texto), delimiter=";"))


@cache
def funcoes() -> Mapping[str, str]:
    """Código (2 dígitos) → nome das 28 funções de governo."""
    return {r["codigo"]: r["nome"] for r in _ler("funcoes.csv")}


@cache
def subfuncoes() -> Mapping[str, Subfuncao]:
    """Código (3 dígitos) → subfunção."""
    return {
        r["codigo"]: Subfuncao(r["codigo"], r["nome"], r["funcao"]) for r in _ler("subfuncoes.csv")
    }


@cache
def _naturezas() -> Mapping[str, Mapping[str, str]]:
    saida: dict[str, dict[str, str]] = {"categoria": {}, "grupo": {}, "modalidade": {}}
    for r in _ler("natureza_despesa.csv"):
        saida[r["nivel"]][r["codigo"]] = r["nome"]
    return saida


def categorias_economicas() -> Mapping[str, str]:
    return _naturezas()["categoria"]


def grupos_despesa() -> Mapping[str, str]:
    return _naturezas()["grupo"]


def modalidades_aplicacao() -> Mapping[str, str]:
    return _naturezas()["modalidade"]


def combinacao_valida(funcao: str, subfuncao: str) -> bool:
    """A função 28 (Encargos Especiais) só se combina com as suas subfunções
    típicas (841–847), e estas só com ela (MTO, classificação funcional); as
    demais subfunções combinam com qualquer função (Portaria MOG 42/1999, art. 1º, § 4º)."""
    sub = subfuncoes().get(subfuncao)
    if sub is None:
        return True  # subfunção inexistente é outro problema
    return (funcao == FUNCAO_ENCARGOS_ESPECIAIS) == (sub.funcao == FUNCAO_ENCARGOS_ESPECIAIS)
