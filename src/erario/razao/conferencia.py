"""Conferência do balancete do erario com o do sistema anterior (aceite da migração).

Puro: o texto do balancete exportado pelo sistema anterior e as linhas do
balancete do erario entram; as diferenças saem, conta a conta. Formatos lidos
(docs/migracao.md):

- CSV simples (``;``): ``conta;saldo_anterior;debitos;creditos;saldo_atual``,
  saldos com sinal (+ devedor, − credor) ou com ``D``/``C`` no fim;
- o balancete no leiaute do TCE-RS (``conta_contabil``, ``saldo_anterior_debito``
  … ``saldo_atual_credito``), uma linha por conta e unidade orçamentária (somadas).

Valores em ``1.234,56`` ou ``1234.56``. Códigos pontuados ou só com dígitos
(pontuados pela máscara do plano).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Final, NamedTuple

from erario.core.codigos import Mascara
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.balancete import LinhaBalancete

COLUNAS_SIMPLES: Final = ("conta", "saldo_anterior", "debitos", "creditos", "saldo_atual")
COLUNAS_TCE_RS: Final = (
    "conta_contabil",
    "saldo_anterior_debito",
    "saldo_anterior_credito",
    "movimentacao_debito",
    "movimentacao_credito",
    "saldo_atual_debito",
    "saldo_atual_credito",
)
_CAMPOS: Final = ("saldo anterior", "débitos", "créditos", "saldo atual")


class Valores(NamedTuple):
    """Uma conta num balancete: saldos com sinal (+ devedor, − credor), em centavos."""

    anterior: int
    debitos: int
    creditos: int
    atual: int


class Diferenca(NamedTuple):
    conta: str
    campo: str  # "saldo anterior", "débitos", "créditos", "saldo atual" ou "conta"
    erario: int | None  # None: a conta não está no balancete do erario
    anterior: int | None  # None: a conta não está no balancete do sistema anterior

    def erro(self) -> Erro:
        if self.erario is None:
            texto = f"conta {self.conta} está no balancete anterior e não no do erario"
        elif self.anterior is None:
            texto = f"conta {self.conta} está no balancete do erario e não no anterior"
        else:
            texto = (
                f"conta {self.conta}, {self.campo}: erario {_sinal(self.erario)}, "
                f"anterior {_sinal(self.anterior)} (diferença {_sinal(self.erario - self.anterior)})"
            )
        return Erro("MIG-CONFERENCIA-DIFERENCA", texto, self.campo)


def _sinal(centavos: int) -> str:
    if centavos == 0:
        return "0,00"
    return f"{formatar_brl(abs(centavos))} {'D' if centavos > 0 else 'C'}"


def centavos_br(texto: str) -> int:
    """``1.234,56`` / ``1234.56`` / ``-1.234,56`` / ``1.234,56 C`` → centavos com sinal
    (C negativo). ``ValueError`` se não for valor."""
    t = texto.strip().replace("\u00a0", " ")
    if not t:
        return 0
    if "," not in t and re.fullmatch(r"-?[0-9]+\.[0-9]{1,2}( ?[DC])?", t):
        t = t.replace(".", ",")
    m = re.fullmatch(r"(-)?\s*([0-9]{1,3}(?:\.[0-9]{3})*|[0-9]+)(?:,([0-9]{1,2}))?\s*([DdCc])?", t)
    if m is None:
        raise ValueError(texto)
    inteiro = int(m.group(2).replace(".", ""))
    frac = (m.group(3) or "0").ljust(2, "0")
    v = inteiro * 100 + int(frac)
    if m.group(1):
        v = -v
    if m.group(4) and m.group(4).upper() == "C":
        v = -v
    return v


def ler_balancete_anterior(
    texto: str, mascara: Mascara, origem: str = "balancete"
) -> tuple[dict[str, Valores], list[Erro]]:
    """Contas do balancete do sistema anterior (código na forma pontuada do plano)."""
    leitor = csv.reader(io.StringIO(texto.lstrip("\ufeff")), delimiter=";")
    try:
        cab = [c.strip().lower() for c in next(leitor)]
    except StopIteration:
        return {}, [Erro("MIG-CONFERENCIA-ARQUIVO", "arquivo vazio", None, None, origem)]
    indice = {c: i for i, c in enumerate(cab)}
    tce = all(c in indice for c in COLUNAS_TCE_RS)
    if not tce and not all(c in indice for c in COLUNAS_SIMPLES):
        return {}, [
            Erro(
                "MIG-CONFERENCIA-ARQUIVO",
                "cabeçalho sem as colunas " + ";".join(COLUNAS_SIMPLES) + " (ou as do balancete "
                "do TCE-RS: " + ", ".join(COLUNAS_TCE_RS) + ")",
                None,
                1,
                origem,
            )
        ]
    contas: dict[str, Valores] = {}
    erros: list[Erro] = []
    for n, campos in enumerate(leitor, start=2):
        if not any(c.strip() for c in campos):
            continue
        if len(campos) < len(cab):
            erros.append(
                Erro(
                    "MIG-CONFERENCIA-ARQUIVO",
                    f"linha com {len(campos)} colunas; esperadas {len(cab)}",
                    None,
                    n,
                    origem,
                )
            )
            continue
        bruto = campos[indice["conta_contabil" if tce else "conta"]].strip()
        codigo = mascara.normalizar(bruto)
        if codigo is None:
            erros.append(
                Erro(
                    "MIG-CONFERENCIA-ARQUIVO",
                    f"conta '{bruto}' não cabe na máscara {mascara} do plano",
                    "conta",
                    n,
                    origem,
                )
            )
            continue
        try:
            if tce:
                v = [centavos_br(campos[indice[c]]) for c in COLUNAS_TCE_RS[1:]]
                valores = Valores(v[0] - v[1], v[2], v[3], v[4] - v[5])
            else:
                valores = Valores(*(centavos_br(campos[indice[c]]) for c in COLUNAS_SIMPLES[1:]))
        except ValueError as exc:
            erros.append(
                Erro(
                    "MIG-CONFERENCIA-ARQUIVO",
                    f"valor '{exc}' inválido: use 1.234,56 ou 1234.56",
                    None,
                    n,
                    origem,
                )
            )
            continue
        antes = contas.get(codigo)
        if antes is not None:  # TCE-RS: uma linha por unidade orçamentária
            valores = Valores(*(a + b for a, b in zip(antes, valores, strict=True)))
        contas[codigo] = valores
    return contas, erros


def comparar(linhas: Iterable[LinhaBalancete], anterior: dict[str, Valores]) -> list[Diferenca]:
    """Toda diferença entre o balancete do erario (linhas de conta, sem conta
    corrente) e o do sistema anterior, em ordem de conta. Conta zerada que falta
    num dos dois não é diferença, nem a sintética que o arquivo não traz."""
    linhas = [ln for ln in linhas if not ln.conta_corrente]
    erario = {ln.codigo: Valores(ln.anterior, ln.debitos, ln.creditos, ln.atual) for ln in linhas}
    # Sintética que o arquivo não traz não é diferença (há sistemas que exportam
    # só as analíticas); a que ele traz é conferida como as outras.
    sinteticas = {ln.codigo for ln in linhas if not ln.analitica} - anterior.keys()
    saida: list[Diferenca] = []
    for codigo in sorted((erario.keys() - sinteticas) | anterior.keys()):
        a, b = erario.get(codigo), anterior.get(codigo)
        if a is None or b is None:
            presente = a or b
            assert presente is not None
            if any(presente):
                saida.append(
                    Diferenca(codigo, "conta", None if a is None else 0, None if b is None else 0)
                )
            continue
        for campo, x, y in zip(_CAMPOS, a, b, strict=True):
            if x != y:
                saida.append(Diferenca(codigo, campo, x, y))
    return saida
