"""Tabela de relatório com milhares de linhas na tela: a moldura (título,
cabeçalho, total, bordas) desenhada pelo Rich e as linhas montadas aqui.

O Rich mede e quebra cada célula: ~2 ms por linha do razão, 82 s para as 44 mil
partidas de um mês da conta bancária de um município com 1 M eventos (e horas em
fichas). Na largura natural (``tabela.alargado``, que a CLI também usa), nenhuma
célula quebra: cada linha é só a célula alinhada e completada até a largura da
coluna, e o texto sai igual ao do Rich, caractere a caractere
(``tests/test_tabela_grande.py`` compara). A moldura é uma tabela do Rich com as
mesmas colunas na largura medida aqui e uma linha de marcação, trocada pelas
linhas de verdade.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from erario.relatorios.identificacao import Identificacao
from erario.relatorios.tabela import Coluna, alargado, celula, titulo_rich, total

# Até tantas linhas, a tabela inteira pelo Rich (menos de ~0,5 s).
LINHAS_RICH: Final = 200

# Quebra de linha, tabulação e outros controles: o Rich os trata (quebra, expande).
_CONTROLE: Final = re.compile(r"[\x00-\x1f\x7f]")


class TabelaGrande:
    """As células já formatadas, a largura de cada coluna e a da tabela."""

    def __init__(
        self,
        titulo: str,
        colunas: Sequence[Coluna],
        linhas: Sequence[Sequence[Any]],
        identificacao: Identificacao | None = None,
    ) -> None:
        self.titulo = titulo_rich(titulo, identificacao)
        self.colunas = list(colunas)
        self.celulas = [[celula(c, v) for c, v in zip(colunas, ln, strict=True)] for ln in linhas]
        self.com_total = bool(linhas) and any(c.soma for c in colunas)
        soma = total(colunas, linhas)
        self.rodape = [
            celula(c, v) if c.soma else str(v) for c, v in zip(colunas, soma, strict=True)
        ]
        self.larguras = [
            max(cell_len(c.titulo), cell_len(self.rodape[i]) if self.com_total else 0)
            for i, c in enumerate(colunas)
        ]
        # Por coluna, a maior largura: com max e map em C (250 mil linhas de 11 colunas).
        for i, coluna in enumerate(zip(*self.celulas, strict=True)):
            self.larguras[i] = max(self.larguras[i], max(map(_largura, coluna)))

    @property
    def simples(self) -> bool:
        """Sem caracteres de controle em célula nenhuma (senão, só o Rich)."""
        # uma busca por linha (as células juntas), não uma por célula
        buscar = _CONTROLE.search
        return not any(map(buscar, map("".join, self.celulas))) and not buscar("".join(self.rodape))

    @property
    def largura(self) -> int:
        """A largura natural da tabela: colunas, espaço de cada lado e as bordas."""
        return sum(self.larguras) + 3 * len(self.larguras) + 1

    def linhas(self, console: Console) -> list[str]:
        """A tabela, linha a linha (com os estilos do terminal na moldura)."""
        t = Table(title=self.titulo, show_footer=self.com_total)
        for c, w, pe in zip(self.colunas, self.larguras, self.rodape, strict=True):
            direita = c.dinheiro
            t.add_column(
                c.titulo, justify="right" if direita else "left", footer=pe, no_wrap=True, width=w
            )
        t.add_row(*[""] * len(self.colunas))
        moldura = _desenhar(console, t, self.largura)
        marca = len(moldura) - (4 if self.com_total else 2)
        direitas = [c.dinheiro for c in self.colunas]
        corpo = [_linha(ln, self.larguras, direitas) for ln in self.celulas]
        return [*moldura[:marca], *corpo, *moldura[marca + 1 :]]

    def fichas(self, console: Console) -> list[str]:
        """O mesmo que ``relatorios.tabela.fichas``: um registro por bloco, um
        campo por linha, e o total no último bloco."""
        registros = list(self.celulas)
        if self.com_total:
            registros.append(self.rodape)
        campos = [c.titulo for c in self.colunas]
        w_campo = max(map(cell_len, campos))
        w_valor = max([0, *(cell_len(t) for r in registros for t in r)])
        t = Table(title=self.titulo, show_header=False)
        t.add_column("Campo", style="bold", no_wrap=True, width=w_campo)
        t.add_column("Valor", justify="right", no_wrap=True, width=w_valor)
        t.add_row("", "", end_section=True)
        t.add_row("", "")
        moldura = _desenhar(console, t, w_campo + w_valor + 7)
        topo, separador, base = moldura[:-4], moldura[-3], moldura[-1]

        # A coluna Campo em negrito, como o Rich a escreve no terminal: o espaço de
        # cada lado e o texto completado até a largura, cada um com o estilo.
        def _negrito(texto: str) -> str:
            with console.capture() as captura:
                console.print(Text(texto, style="bold"), end="", soft_wrap=True)
            return captura.get()

        espaco = _negrito(" ")
        rotulos = [
            f"│{espaco}{_negrito(c + ' ' * (w_campo - cell_len(c)))}{espaco}│ " for c in campos
        ]
        saida = list(topo)
        for k, registro in enumerate(registros):
            if k:
                saida.append(separador)
            for rotulo, valor in zip(rotulos, registro, strict=True):
                valor = valor.rstrip()  # à direita, o Rich tira o espaço do fim
                saida.append(f"{rotulo}{' ' * (w_valor - cell_len(valor))}{valor} │")
        saida.append(base)
        return saida


def _largura(texto: str) -> int:
    """Colunas que o texto ocupa: ASCII (sem controles, ver ``simples``), uma por
    caractere; o resto, como o Rich mede (acentos, caracteres largos)."""
    return len(texto) if texto.isascii() else cell_len(texto)


def _linha(celulas: Sequence[str], larguras: Sequence[int], direitas: Sequence[bool]) -> str:
    partes = []
    for texto, w, direita in zip(celulas, larguras, direitas, strict=True):
        if direita:  # à direita, o Rich tira o espaço do fim
            texto = texto.rstrip()
            partes.append(" " * (w - _largura(texto)) + texto)
        else:
            partes.append(texto + " " * (w - _largura(texto)))
    return "│ " + " │ ".join(partes) + " │"


def _desenhar(console: Console, t: Table, largura: int) -> list[str]:
    """As linhas de ``t`` como o console as imprime na largura ``largura``."""
    with alargado(console, largura), console.capture() as captura:
        console.print(t, crop=False)
    return captura.get().rstrip("\n").split("\n")
