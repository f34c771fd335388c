"""Classificações orçamentárias: fonte/destinação de recursos, natureza da despesa
e natureza da receita. Funções puras: texto → valor normalizado ou erros.

- Fonte/destinação de recursos: padrão STN em vigor desde 2023 (Portaria
  STN 710/2021): 1 dígito do exercício (1 corrente, 2 anteriores) + 3 da fonte
  (500–502 não vinculados; demais vinculados), com complemento de 4 dígitos
  opcional (p. ex. 1001). Na MSC o atributo FR leva código e complemento juntos.
- Natureza da despesa: categoria.grupo.modalidade.elemento[.desdobramento]
  (Portaria Interministerial STN/SOF 163/2001), p. ex. ``3.3.90.39.00``.
- Natureza da receita: 8 dígitos da estrutura em vigor desde 2018 (MTO/MCASP,
  categoria, origem, espécie, desdobramentos e tipo).
- Dotação: ``OOUU.FF.SSS.PPPP.AAAA.NNNNNNNN`` — órgão e unidade orçamentária,
  função e subfunção (Portaria MOG 42/1999), programa, ação (tipo pelo primeiro
  dígito: ver ``erario.orcamento.cadastros``) e natureza da despesa em 8 dígitos.
  Ex.: ``0401.15.452.0010.2015.33903900``. A conferência contra os cadastros e
  as tabelas federais fica em ``erario.orcamento.cadastros.verificar_dotacao``.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from erario.core.erros import Erro

_RE_FONTE: Final = re.compile(r"([12])([0-9]{3})(?:[.\-]?([0-9]{4}))?")
# Fontes de recursos não vinculados (Portaria STN 710/2021, Anexo): 500, 501, 502.
FONTES_NAO_VINCULADAS: Final = frozenset({"500", "501", "502"})
_RE_ND: Final = re.compile(r"([349])\.?([1-9])\.?([0-9]{2})\.?([0-9]{2})(?:\.?([0-9]{2}))?")
_RE_NR: Final = re.compile(r"[12789][0-9]{7}")


class FonteRecurso(NamedTuple):
    exercicio: str  # "1" corrente, "2" anteriores
    fonte: str  # 3 dígitos
    complemento: str  # 4 dígitos ou ""

    @property
    def codigo(self) -> str:
        return self.exercicio + self.fonte

    @property
    def texto_cc(self) -> str:
        """Valor do atributo FR da conta corrente (MSC)."""
        return self.codigo + self.complemento

    @property
    def vinculada(self) -> bool:
        return self.fonte not in FONTES_NAO_VINCULADAS

    def __str__(self) -> str:
        return self.codigo + (f".{self.complemento}" if self.complemento else "")


def ler_fonte(texto: str) -> tuple[FonteRecurso | None, list[Erro]]:
    m = _RE_FONTE.fullmatch(texto.strip())
    if m is None:
        return None, [
            Erro(
                "ORC-FONTE",
                f"fonte de recursos '{texto}' inválida: use 4 dígitos (p. ex. 1500), "
                "com complemento opcional de 4 (1500.1001)",
                "fonte",
            )
        ]
    return FonteRecurso(m.group(1), m.group(2), m.group(3) or ""), []


def fonte_exercicios_anteriores(fr: str) -> str:
    """O atributo FR de recursos do exercício corrente passado a exercícios
    anteriores: o primeiro dígito 1 vira 2 (Portaria STN 710/2021). É o que o
    superávit financeiro da fonte e os restos a pagar levam para o exercício
    seguinte; outros códigos ficam como estão."""
    return "2" + fr[1:] if fr[:1] == "1" else fr


class NaturezaDespesa(NamedTuple):
    categoria: str
    grupo: str
    modalidade: str
    elemento: str
    desdobramento: str  # "00" quando não informado

    @property
    def codigo(self) -> str:
        return ".".join(self)

    @property
    def digitos(self) -> str:
        """Valor do atributo ND da conta corrente (MSC): 8 dígitos."""
        return "".join(self)

    def __str__(self) -> str:
        return self.codigo


def ler_natureza_despesa(texto: str) -> tuple[NaturezaDespesa | None, list[Erro]]:
    m = _RE_ND.fullmatch(texto.strip())
    if m is None:
        return None, [
            Erro(
                "ORC-NATUREZA-DESPESA",
                f"natureza da despesa '{texto}' inválida: use categoria.grupo.modalidade."
                "elemento[.desdobramento], p. ex. 3.3.90.39.00",
                "natureza",
            )
        ]
    return NaturezaDespesa(*(m.group(i) or "00" for i in range(1, 6))), []


def ler_natureza_receita(texto: str) -> tuple[str | None, list[Erro]]:
    """Natureza da receita em 8 dígitos (pontos aceitos e descartados)."""
    digitos = texto.strip().replace(".", "")
    if not _RE_NR.fullmatch(digitos):
        return None, [
            Erro(
                "ORC-NATUREZA-RECEITA",
                f"natureza da receita '{texto}' inválida: use os 8 dígitos da estrutura "
                "em vigor desde 2018, p. ex. 1.1.1.2.50.0.1 ou 11125001",
                "natureza",
            )
        ]
    return digitos, []


_RE_DOTACAO: Final = re.compile(
    r"([0-9]{2})([0-9]{2})\.([0-9]{2})\.([0-9]{3})\.([0-9]{4})\.([0-9]{4})\.([0-9]{8})"
)
FUNCAO_SAUDE: Final = "10"  # função 10 — Saúde (SIOPS, ASPS)


class Dotacao(NamedTuple):
    orgao: str
    unidade: str
    funcao: str
    subfuncao: str
    programa: str
    acao: str
    natureza: NaturezaDespesa

    @property
    def saude(self) -> bool:
        return self.funcao == FUNCAO_SAUDE

    @property
    def codigo(self) -> str:
        return (
            f"{self.orgao}{self.unidade}.{self.funcao}.{self.subfuncao}."
            f"{self.programa}.{self.acao}.{self.natureza.digitos}"
        )


def ler_dotacao(texto: str) -> tuple[Dotacao | None, list[Erro]]:
    m = _RE_DOTACAO.fullmatch(texto.strip())
    natureza = None
    if m is not None:
        natureza, _ = ler_natureza_despesa(m.group(7))
    if m is None or natureza is None or not 1 <= int(m.group(3)) <= 28:
        return None, [
            Erro(
                "ORC-DOTACAO",
                f"dotação '{texto}' inválida: use OOUU.FF.SSS.PPPP.AAAA.NNNNNNNN (órgão e unidade, "
                "função 01–28, subfunção, programa, ação e natureza da despesa em 8 dígitos), "
                "p. ex. 0401.15.452.0010.2015.33903900",
                "dotacao",
            )
        ]
    orgao, unidade, funcao, subfuncao, programa, acao, _ = m.groups()
    return Dotacao(orgao, unidade, funcao, subfuncao, programa, acao, natureza), []
