"""Valores monetários em reais: ``Decimal`` com duas casas, nunca float.

O banco guarda centavos inteiros; o Python trabalha com ``Dinheiro``. Todo
arredondamento é explícito (``ROUND_HALF_UP`` por padrão, a regra usual de
cálculo de tributos) e feito com um contexto local, nunca o global.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import total_ordering
from typing import Final

CENTAVO: Final = Decimal("0.01")
# Contexto próprio: precisão folgada e sem depender de decimal.getcontext().
_CTX: Final = Context(prec=38, rounding=ROUND_HALF_UP)

# Texto de valor aceito nas cargas: dígitos, separador decimal opcional (ponto
# ou vírgula) e no máximo duas casas; sem separador de milhar nem sinal.
_RE_VALOR: Final = re.compile(r"([0-9]{1,16})(?:[.,]([0-9]{1,2}))?")
# Valor com mais de duas casas: recusado com mensagem própria.
_RE_MUITAS_CASAS: Final = re.compile(r"[0-9]+[.,][0-9]{3,}")
# Só dígitos (e até duas casas), mas com mais de 16 antes da vírgula.
_RE_GRANDE: Final = re.compile(r"[0-9]{17,}(?:[.,][0-9]{1,2})?")

LIMITE_CENTAVOS: Final = 10**17  # cabe em BIGINT com folga (16 dígitos de reais)


class ValorInvalido(ValueError):
    """Texto ou número que não representa um valor monetário válido."""


def centavos_de_texto(texto: str) -> int:
    """Converte ``"1234.56"`` (ou ``"1234,56"``) em centavos (``123456``).

    Caminho rápido usado pelas cargas em massa: sem ``Decimal`` intermediário.
    Recusa sinal, separador de milhar, mais de duas casas e texto vazio.
    """
    # Caminho rápido (o caso das cargas): "1234.56" em ASCII, sem espaços.
    inteiro, _, frac = texto.partition(".")
    if (
        len(frac) == 2
        and texto.isascii()
        and inteiro.isdigit()
        and frac.isdigit()
        and len(inteiro) <= 16
    ):
        return int(inteiro) * 100 + int(frac)
    m = _RE_VALOR.fullmatch(texto)
    if m is None:
        if _RE_GRANDE.fullmatch(texto):
            raise ValorInvalido(
                f"valor '{texto}' grande demais: o máximo é 9.999.999.999.999.999,99 "
                "(16 dígitos antes da vírgula)"
            )
        if _RE_MUITAS_CASAS.fullmatch(texto):
            raise ValorInvalido(f"valor '{texto}' tem mais de duas casas decimais")
        raise ValorInvalido(
            f"valor '{texto}' inválido: use dígitos e até duas casas decimais, ex.: 1234.56"
        )
    inteiro, frac = m.group(1), m.group(2)
    if frac is None:
        return int(inteiro) * 100
    if len(frac) == 1:
        frac += "0"
    return int(inteiro) * 100 + int(frac)


def texto_de_centavos(centavos: int) -> str:
    """``123456`` → ``"1234.56"`` (ponto decimal, sempre duas casas)."""
    sinal = "-" if centavos < 0 else ""
    q, r = divmod(abs(centavos), 100)
    return f"{sinal}{q}.{r:02d}"


def formatar_brl(centavos: int) -> str:
    """``123456`` → ``"1.234,56"`` (formato brasileiro, sem símbolo)."""
    sinal = "-" if centavos < 0 else ""
    q, r = divmod(abs(centavos), 100)
    return f"{sinal}{q:,}".replace(",", ".") + f",{r:02d}"


@total_ordering
@dataclass(frozen=True, slots=True)
class Dinheiro:
    """Quantia em reais com exatamente duas casas decimais.

    Construa com ``Dinheiro("10.50")``, ``Dinheiro(Decimal("10.50"))``,
    ``Dinheiro(10)`` ou ``Dinheiro.de_centavos(1050)``. Float é recusado;
    valor com mais de duas casas também — para arredondar, use
    ``Dinheiro.arredondar(valor, modo)`` com o modo escolhido explicitamente.
    """

    valor: Decimal

    def __init__(self, valor: Decimal | int | str) -> None:
        if isinstance(valor, (bool, float)):
            raise TypeError("Dinheiro não aceita float nem bool: use Decimal, int ou texto")
        try:
            d = valor if isinstance(valor, Decimal) else Decimal(valor)
            if not d.is_finite():
                raise ValorInvalido(f"valor '{valor}' inválido")
            q = d.quantize(CENTAVO, context=_CTX)
        except InvalidOperation as exc:
            raise ValorInvalido(f"valor '{valor}' inválido") from exc
        if q != d:
            raise ValorInvalido(f"valor '{valor}' tem mais de duas casas decimais")
        object.__setattr__(self, "valor", q)

    @classmethod
    def de_centavos(cls, centavos: int) -> Dinheiro:
        if not isinstance(centavos, int) or isinstance(centavos, bool):
            raise TypeError("centavos deve ser int")
        return cls(Decimal(centavos).scaleb(-2, context=_CTX))

    @classmethod
    def arredondar(cls, valor: Decimal, modo: str = ROUND_HALF_UP) -> Dinheiro:
        """Arredonda ao centavo com o modo dado (constante de ``decimal``)."""
        if isinstance(valor, float):
            raise TypeError("Dinheiro não aceita float")
        return cls(valor.quantize(CENTAVO, rounding=modo, context=_CTX))

    @classmethod
    def zero(cls) -> Dinheiro:
        return cls.de_centavos(0)

    @property
    def centavos(self) -> int:
        return int(self.valor.scaleb(2, context=_CTX))

    def __add__(self, outro: object) -> Dinheiro:
        if not isinstance(outro, Dinheiro):
            return NotImplemented
        return Dinheiro.de_centavos(self.centavos + outro.centavos)

    def __sub__(self, outro: object) -> Dinheiro:
        if not isinstance(outro, Dinheiro):
            return NotImplemented
        return Dinheiro.de_centavos(self.centavos - outro.centavos)

    def __neg__(self) -> Dinheiro:
        return Dinheiro.de_centavos(-self.centavos)

    def __abs__(self) -> Dinheiro:
        return Dinheiro.de_centavos(abs(self.centavos))

    def __mul__(self, fator: object) -> Decimal:
        """Produto exato (sem arredondar): o chamador escolhe o arredondamento."""
        if isinstance(fator, (float, bool)):
            raise TypeError("Dinheiro não se multiplica por float")
        if not isinstance(fator, Decimal | int):
            return NotImplemented
        return self.valor * Decimal(fator)

    __rmul__ = __mul__

    def __lt__(self, outro: object) -> bool:
        if not isinstance(outro, Dinheiro):
            return NotImplemented
        return self.valor < outro.valor

    def __eq__(self, outro: object) -> bool:
        if not isinstance(outro, Dinheiro):
            return NotImplemented
        return self.valor == outro.valor

    def __hash__(self) -> int:
        return hash(self.valor)

    def __bool__(self) -> bool:
        return bool(self.valor)

    def __str__(self) -> str:
        return str(self.valor)

    def __repr__(self) -> str:
        return f"Dinheiro('{self.valor}')"

    def brl(self) -> str:
        """Formato brasileiro: ``1.234,56``."""
        return formatar_brl(self.centavos)
