"""Identificação de um relatório para assinar: entidades (nome e CNPJ), exercício,
período, data de emissão e o bloco de assinaturas da entidade.

Valores puros (nada de banco): a CLI monta a ``Identificacao`` com o que o
repositório guarda e cada saída (terminal, XLSX, PDF) a imprime igual.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Final, NamedTuple

from erario.core.codigos import UFS, formatar_cnpj
from erario.core.erros import Erro

# Registro no conselho regional: UF, número e a categoria — O (originário),
# P (provisório), S (secundário) ou T (transferido) —, p. ex. "SC-012345/O";
# há registros com um dígito no fim ("SC-012345/O-8").
_CRC: Final = re.compile(r"(?P<uf>[A-Z]{2})-?(?P<numero>\d{3,6})/(?P<cat>[OPST])(?:-(?P<dv>\d))?")
TAMANHO_NOME: Final = 120
TAMANHO_CARGO: Final = 80


class Papel(StrEnum):
    """Quem assina: o contador responsável e o ordenador/dirigente da entidade."""

    CONTADOR = "contador"
    RESPONSAVEL = "responsavel"


class Assinatura(NamedTuple):
    papel: Papel
    nome: str
    cargo: str
    registro: str = ""  # CRC do contador

    def rotulo(self) -> str:
        """Segunda linha sob o nome: ``Contador — CRC SC-012345/O``, ``Prefeito``."""
        return f"{self.cargo} — CRC {self.registro}" if self.registro else self.cargo


class Identificacao(NamedTuple):
    """O que todo relatório para assinar traz no cabeçalho e no fim."""

    entidades: tuple[tuple[str, str], ...]  # (nome, CNPJ só com dígitos)
    exercicio: int | None
    periodo: str  # "Janeiro a março de 2026"; "" quando o relatório não tem período
    emissao: dt.date
    assinaturas: tuple[Assinatura, ...] = ()

    def linhas_entidades(self) -> list[str]:
        return [f"{nome} — CNPJ {formatar_cnpj(cnpj)}" for nome, cnpj in self.entidades]

    def linha_periodo(self) -> str:
        partes = []
        if self.exercicio is not None:
            partes.append(f"Exercício {self.exercicio}")
        if self.periodo:
            partes.append(self.periodo)
        partes.append(f"emitido em {self.emissao:%d/%m/%Y}")
        return " · ".join(partes)

    def linhas(self) -> list[str]:
        """Linhas do cabeçalho, abaixo do título: uma por entidade e a do período."""
        return [*self.linhas_entidades(), self.linha_periodo()]


def normalizar_crc(texto: str) -> str:
    """``sc 12345/o`` ou ``CRC-SC 012345/O`` → ``SC-12345/O``/``SC-012345/O``
    (maiúsculas, sem espaços nem o prefixo CRC, hífen depois da UF)."""
    t = re.sub(r"\s+", "", texto.upper()).removeprefix("CRC").lstrip("-")
    if (m := _CRC.fullmatch(t)) is None:
        return t
    dv = f"-{m['dv']}" if m["dv"] else ""
    return f"{m['uf']}-{m['numero']}/{m['cat']}{dv}"


def validar_assinaturas(assinaturas: Sequence[Assinatura]) -> list[Erro]:
    """Todos os problemas do bloco de assinaturas (nome, cargo e CRC)."""
    erros: list[Erro] = []
    for a in assinaturas:
        campo = a.papel.value
        if not a.nome.strip():
            erros.append(Erro("REL-NOME", f"informe o nome do {campo}", campo))
        elif len(a.nome) > TAMANHO_NOME:
            erros.append(
                Erro("REL-NOME", f"nome do {campo} com mais de {TAMANHO_NOME} caracteres", campo)
            )
        if not a.cargo.strip():
            erros.append(Erro("REL-CARGO", f"informe o cargo do {campo} (--cargo)", "cargo"))
        elif len(a.cargo) > TAMANHO_CARGO:
            erros.append(
                Erro("REL-CARGO", f"cargo com mais de {TAMANHO_CARGO} caracteres", "cargo")
            )
        if a.papel == Papel.CONTADOR:
            m = _CRC.fullmatch(a.registro)
            if not a.registro:
                erros.append(
                    Erro("REL-CRC", "o contador assina com o registro no CRC (--crc)", "crc")
                )
            elif m is None or m["uf"] not in UFS:
                erros.append(
                    Erro(
                        "REL-CRC",
                        f"CRC '{a.registro}' inválido: use UF-número/categoria, "
                        "p. ex. SC-012345/O (categoria O, P, S ou T)",
                        "crc",
                    )
                )
        elif a.registro:
            erros.append(Erro("REL-CRC", "só o contador tem registro no CRC", "crc"))
    return erros
