"""Regras de contagem do FCONT (x990, 9900, 9990, 9999) e a validação completa de um arquivo.

As contagens só existem num arquivo lido (``ArquivoFcont.controle``); um arquivo
montado em memória não as tem e o escritor as calcula. O bloco de cada linha é
o primeiro caractere do registro (a linha 9999 conta no bloco 9).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from erario.core.erros import Erro
from erario.fcont.arquivo import Controle
from erario.fcont.regras_estrutura import ADVERTENCIAS, Contexto, Regra, erro, registrador
from erario.leiautes.validacao import separar

REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)


def _controle(c: Contexto) -> Controle | None:
    return c.arquivo.controle


def _qtd_bloco(nome: str, registro: str, campo: str) -> None:
    def verificar(c: Contexto) -> Iterator[Erro]:
        ctl = _controle(c)
        if ctl is None:
            return
        linhas = sum(1 for cod in ctl.linhas if cod[0] == registro[0])
        for reg, valor, linha in ctl.qtd_lin:
            if reg == registro and valor != linhas:
                yield erro(
                    nome, registro, campo, linha, f"informado {valor}; o bloco tem {linhas} linhas"
                )

    regra(nome)(verificar)


_qtd_bloco("REGRA_QTD_LIN_BLOCOI", "I990", "qtd_lin_i")
_qtd_bloco("REGRA_QTD_LIN_BLOCOJ", "J990", "qtd_lin_j")
_qtd_bloco("REGRA_QTD_LIN_BLOCOM", "M990", "qtd_lin_m")
_qtd_bloco("REGRA_QTD_LIN_BLOCO9", "9990", "qtd_lin_9")


@regra("REGRA_QTD_LIN_ARQUIVO")
def qtd_lin_arquivo(c: Contexto) -> Iterator[Erro]:
    ctl = _controle(c)
    if ctl is None:
        return
    for reg, valor, linha in ctl.qtd_lin:
        if reg == "9999" and valor != len(ctl.linhas):
            yield erro(
                "REGRA_QTD_LIN_ARQUIVO",
                "9999",
                "qtd_lin",
                linha,
                f"informado {valor}; o arquivo tem {len(ctl.linhas)} linhas",
            )


@regra("REGRA_QTD_REG_BLC")
def qtd_reg_blc(c: Contexto) -> Iterator[Erro]:
    ctl = _controle(c)
    if ctl is None:
        return
    n = Counter(ctl.linhas)
    for r in ctl.contagens:
        if r.qtd_reg_blc != n[r.reg_blc]:
            yield erro(
                "REGRA_QTD_REG_BLC",
                "9900",
                "qtd_reg_blc",
                r.linha,
                f"registro {r.reg_blc}: informado {r.qtd_reg_blc}; o arquivo tem {n[r.reg_blc]}",
            )


@regra("REGRA_QTD_REG_BLC_OBRIGATORIO")
def qtd_reg_blc_obrigatorio(c: Contexto) -> Iterator[Erro]:
    ctl = _controle(c)
    if ctl is None:
        return
    contados = {r.reg_blc for r in ctl.contagens}
    for cod in dict.fromkeys(ctl.linhas):
        if cod not in contados:
            yield erro(
                "REGRA_QTD_REG_BLC_OBRIGATORIO",
                "9900",
                "reg_blc",
                None,
                f"registro {cod} sem totalização no 9900",
            )


@regra("REGRA_REG_BLC_DUPLICIDADE")
def reg_blc_duplicidade(c: Contexto) -> Iterator[Erro]:
    ctl = _controle(c)
    if ctl is None:
        return
    vistos: set[str] = set()
    for r in ctl.contagens:
        if r.reg_blc in vistos:
            yield erro(
                "REGRA_REG_BLC_DUPLICIDADE", "9900", "reg_blc", r.linha, f"{r.reg_blc} repetido"
            )
        vistos.add(r.reg_blc)


@regra("FCONT-IND-DAD")
def ind_dad(c: Contexto) -> Iterator[Erro]:
    # IND_DAD (aberturas I001, J001, M001, 9001): 0 = bloco com dados, 1 = sem dados.
    ctl = _controle(c)
    if ctl is None:
        return
    n = Counter(cod[0] for cod in ctl.linhas)
    for reg, valor, linha in ctl.ind_dad:
        com_dados = n[reg[0]] > 2
        if valor in ("0", "1") and (valor == "0") != com_dados:
            yield erro(
                "FCONT-IND-DAD",
                reg,
                "ind_dad",
                linha,
                f"IND_DAD {valor}, mas o bloco {'tem' if com_dados else 'não tem'} dados",
            )


class Validacao(NamedTuple):
    """Problemas de um arquivo: ``erros`` impedem a entrega; ``avisos`` são as advertências
    do manual. ``completa`` é falso quando a estrutura tinha erros e, como no PVA
    (item 2.7), as regras entre registros não rodaram."""

    erros: list[Erro]
    avisos: list[Erro]
    completa: bool


def validar(conteudo: bytes, *, entrada: bool = False) -> Validacao:
    """Lê e valida um arquivo FCONT: estrutura e campos; se estiverem certos, todas as
    regras entre registros. ``entrada``: arquivo de entrada do PVA (coluna "Entrada")."""
    from erario.fcont.leitura import ler
    from erario.fcont.regras import aplicar  # o ponto que junta as famílias (importa esta)

    arquivo, problemas = ler(conteudo, entrada=entrada)
    estrutura = separar(problemas, ADVERTENCIAS)
    if arquivo is None or estrutura.erros:
        return Validacao(estrutura.erros, estrutura.avisos, False)
    regras = separar(aplicar(arquivo), ADVERTENCIAS)
    return Validacao(regras.erros, estrutura.avisos + regras.avisos, True)
