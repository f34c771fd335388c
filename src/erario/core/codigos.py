"""Códigos de documentos e de contas."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from validate_docbr import CNPJ, CPF

_CNPJ: Final = CNPJ()
_CPF: Final = CPF()
_SO_DIGITOS: Final = re.compile(r"\D")

# Siglas das 27 unidades da federação (UF do 0000 do FCONT, região do CRC).
UFS: Final = frozenset(
    [
        "AC",
        "AL",
        "AM",
        "AP",
        "BA",
        "CE",
        "DF",
        "ES",
        "GO",
        "MA",
        "MG",
        "MS",
        "MT",
        "PA",
        "PB",
        "PE",
        "PI",
        "PR",
        "RJ",
        "RN",
        "RO",
        "RR",
        "RS",
        "SC",
        "SE",
        "SP",
        "TO",
    ]
)


def somente_digitos(texto: str) -> str:
    return _SO_DIGITOS.sub("", texto)


def cnpj_valido(cnpj: str) -> bool:
    """Verifica os dígitos verificadores (biblioteca validate-docbr)."""
    d = somente_digitos(cnpj)
    return len(d) == 14 and bool(_CNPJ.validate(d))


def cpf_valido(cpf: str) -> bool:
    d = somente_digitos(cpf)
    return len(d) == 11 and bool(_CPF.validate(d))


def documento_valido(documento: str) -> bool:
    """CPF (11 caracteres) ou CNPJ válido; o documento vem só com dígitos."""
    return cpf_valido(documento) if len(documento) == 11 else cnpj_valido(documento)


def formatar_cnpj(cnpj: str) -> str:
    d = somente_digitos(cnpj)
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


@dataclass(frozen=True, slots=True)
class Mascara:
    """Máscara de código de conta: largura de cada nível.

    PCASP Federação: 7 níveis ``X.X.X.X.X.XX.XX`` (classe, grupo, subgrupo,
    título, subtítulo, item, subitem). Planos estendidos de estados acrescentam
    níveis, p. ex. TCE-RS ``X.X.X.X.X.XX.XX.XX.XX.XX.XX.XXX`` (12 níveis).
    """

    larguras: tuple[int, ...]

    @classmethod
    def de_codigo(cls, codigo: str) -> Mascara:
        """Infere a máscara de um código pontuado completo."""
        return cls(tuple(len(s) for s in codigo.strip().split(".")))

    @property
    def digitos(self) -> int:
        return sum(self.larguras)

    @property
    def niveis(self) -> int:
        return len(self.larguras)

    def __str__(self) -> str:
        return ".".join("X" * n for n in self.larguras)

    def normalizar(self, codigo: str) -> str | None:
        """Código na forma pontuada completa da máscara, ou ``None`` se não couber.

        Aceita o código pontuado completo, pontuado truncado (níveis finais
        omitidos valem zero) ou só dígitos (completado com zeros à direita).
        """
        codigo = codigo.strip()
        if not codigo:
            return None
        if "." in codigo:
            partes = codigo.split(".")
            if len(partes) > self.niveis:
                return None
            for parte, largura in zip(partes, self.larguras, strict=False):
                if len(parte) != largura or not parte.isdigit():
                    return None
            partes += ["0" * n for n in self.larguras[len(partes) :]]
            return ".".join(partes)
        if not codigo.isdigit() or len(codigo) > self.digitos:
            return None
        codigo = codigo.ljust(self.digitos, "0")
        partes = []
        i = 0
        for largura in self.larguras:
            partes.append(codigo[i : i + largura])
            i += largura
        return ".".join(partes)

    def nivel(self, codigo: str) -> int:
        """Nível da conta: posição (1..n) do último segmento não nulo."""
        partes = codigo.split(".")
        for i in range(len(partes) - 1, -1, -1):
            if int(partes[i]) != 0:
                return i + 1
        return 0

    def ancestrais(self, codigo: str) -> list[str]:
        """Códigos dos níveis acima, do mais próximo ao mais distante (classe).

        Zera os segmentos da direita para a esquerda; níveis intermediários
        já nulos (p. ex. o item ``00`` de ``8.2.1.1.4.00.01``) não repetem código.
        """
        partes = codigo.split(".")
        saida: list[str] = []
        ultimo = codigo
        for k in range(self.nivel(codigo) - 1, 0, -1):
            candidato = ".".join([*partes[:k], *("0" * len(p) for p in partes[k:])])
            if candidato != ultimo:
                saida.append(candidato)
                ultimo = candidato
        return saida


PCASP_FEDERACAO: Final = Mascara((1, 1, 1, 1, 1, 2, 2))
