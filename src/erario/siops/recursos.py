"""Recursos do SIOPS e os grupos de fonte e de subfunção das planilhas.

O guia do fornecedor (shared/specs/siops-geracao.md) cita os recursos 001
(recursos ordinários), 212 (Transferência Fundo a Fundo de Recursos do SUS
provenientes do Governo Federal) e 213 (idem, do Governo Estadual). Os demais
grupos de fonte que as pastas do SIOPS separam (convênios, operações de
crédito, royalties, outros recursos vinculados à saúde) aparecem no guia sem
código: os códigos abaixo são do erario e estão marcados ``confirmar``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, NamedTuple


class Grupo(StrEnum):
    """Fontes das pastas de despesa do SIOPS ("Fonte – …")."""

    IMPOSTOS = "impostos"  # receitas de impostos e transferências de impostos (ASPS)
    SUS_UNIAO = "sus_uniao"
    SUS_ESTADO = "sus_estado"
    CONVENIOS = "convenios"
    OPERACOES_CREDITO = "operacoes_credito"
    ROYALTIES = "royalties"
    OUTROS = "outros"


class Recurso(NamedTuple):
    codigo: str
    nome: str
    grupo: Grupo
    confirmar: bool  # código sem fonte publicada no guia


RECURSOS: Final = {
    r.codigo: r
    for r in (
        Recurso("001", "Recursos ordinários — impostos e transferências de impostos", Grupo.IMPOSTOS, False),
        Recurso("212", "Transferência Fundo a Fundo de Recursos do SUS — Governo Federal", Grupo.SUS_UNIAO, False),
        Recurso("213", "Transferência Fundo a Fundo de Recursos do SUS — Governo Estadual", Grupo.SUS_ESTADO, False),
        Recurso("214", "Convênios vinculados à saúde", Grupo.CONVENIOS, True),
        Recurso("215", "Operações de crédito vinculadas à saúde", Grupo.OPERACOES_CREDITO, True),
        Recurso("216", "Royalties do petróleo vinculados à saúde", Grupo.ROYALTIES, True),
        Recurso("299", "Outros recursos vinculados à saúde", Grupo.OUTROS, True),
    )
}  # fmt: skip

# Linhas das pastas de despesa: as fontes, com Impostos aberta em ASPS e não ASPS
# ("ASPS – É o valor de ASPS apurado da despesa orçamentária na fonte Impostos";
# "NÃO ASPS – Linha Total das Despesas com Saúde (-) Total … consideradas em ASPS").
# Código da linha: 1 a 8 (do erario, ``confirmar``).
LINHAS_FONTE: Final = (
    ("1", "Impostos e transferências de impostos — ASPS"),
    ("2", "Impostos e transferências de impostos — não ASPS"),
    ("3", "Transferências SUS — União"),
    ("4", "Transferências SUS — Estado"),
    ("5", "Convênios vinculados à saúde"),
    ("6", "Operações de crédito vinculadas à saúde"),
    ("7", "Royalties do petróleo vinculados à saúde"),
    ("8", "Outros recursos vinculados à saúde"),
)
NOME_LINHA_FONTE: Final = dict(LINHAS_FONTE)

_LINHA_DO_GRUPO: Final = {
    Grupo.SUS_UNIAO: "3",
    Grupo.SUS_ESTADO: "4",
    Grupo.CONVENIOS: "5",
    Grupo.OPERACOES_CREDITO: "6",
    Grupo.ROYALTIES: "7",
    Grupo.OUTROS: "8",
}


def linha_fonte(grupo: Grupo, asps: bool) -> str:
    """Código da linha de fonte: Impostos se abre em ASPS (1) e não ASPS (2)."""
    if grupo == Grupo.IMPOSTOS:
        return "1" if asps else "2"
    return _LINHA_DO_GRUPO[grupo]


# Subfunções das pastas (Portaria MOG 42/1999, função 10), e "outras".
SUBFUNCOES: Final = (
    ("122", "Administração geral"),
    ("301", "Atenção básica"),
    ("302", "Assistência hospitalar e ambulatorial"),
    ("303", "Suporte profilático e terapêutico"),
    ("304", "Vigilância sanitária"),
    ("305", "Vigilância epidemiológica"),
    ("306", "Alimentação e nutrição"),
    ("999", "Outras subfunções"),
)
NOME_SUBFUNCAO: Final = dict(SUBFUNCOES)


def subfuncao_siops(subfuncao: str) -> str:
    """A subfunção da dotação na pasta do SIOPS (as não listadas vão em "outras")."""
    return subfuncao if subfuncao in NOME_SUBFUNCAO else "999"
