"""Tabela grande na tela (``relatorios.tabela_grande``): o texto sai igual ao do
Rich caractere a caractere, na tabela e nas fichas, no terminal e fora dele; o
razão de mais de 200 linhas pela CLI sai pelo caminho rápido e igual; texto do
usuário com colchetes ("[bold]") aparece como foi escrito nos dois caminhos."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from erario.cli import comum
from erario.relatorios import tabela as tab
from erario.relatorios import tabela_grande
from erario.relatorios.tabela import Coluna
from erario.relatorios.tabela_grande import TabelaGrande

# Texto de célula: acentos, colchetes e barras (marcação do Rich), caractere largo.
_TEXTO = st.text(alphabet="abcXYZ çãé[]/\\=|-0123456789漢", max_size=14)
_COLUNA = st.builds(
    Coluna,
    nome=st.just("c"),
    titulo=st.text(alphabet="ABCdeÇã ", min_size=1, max_size=10),
    dinheiro=st.booleans(),
    saldo=st.booleans(),
    total=st.booleans(),
).map(lambda c: c._replace(saldo=c.saldo and c.dinheiro))  # saldo é coluna de dinheiro


@st.composite
def _relatorio(draw: st.DrawFn) -> tuple[str, list[Coluna], list[list[Any]]]:
    colunas = draw(st.lists(_COLUNA, min_size=1, max_size=5))
    valor = st.integers(-(10**12), 10**12)
    linha = st.tuples(
        *((st.none() | valor) if c.dinheiro else (st.none() | _TEXTO) for c in colunas)
    )
    linhas = [list(ln) for ln in draw(st.lists(linha, max_size=12))]
    titulo = draw(st.text(alphabet="Razão dacont [b]é", min_size=1, max_size=60))
    return titulo, colunas, linhas


def _console(terminal: bool, largura: int = 60) -> Console:
    return Console(
        file=io.StringIO(),
        width=largura,
        force_terminal=terminal,
        color_system="standard" if terminal else None,
    )


def _pelo_rich(console: Console, renderizavel: Any, largura: int) -> list[str]:
    """Como ``cli.comum.imprimir_largo``: a tela alargada até a largura natural."""
    antes = console.width
    console.width = max(antes, largura)
    with console.capture() as captura:
        console.print(renderizavel, crop=False)
    console.width = antes
    return captura.get().rstrip("\n").split("\n")


@settings(max_examples=150, deadline=None)
@given(_relatorio(), st.booleans())
def test_tabela_igual_a_do_rich(rel: tuple[str, list[Coluna], list[list[Any]]], term: bool) -> None:
    titulo, colunas, linhas = rel
    console = _console(term)
    rica = tab.tabela(titulo, colunas, linhas)
    largura = comum._largura(rica)
    grande = TabelaGrande(titulo, colunas, linhas)
    assert grande.largura == largura
    assert grande.linhas(console) == _pelo_rich(console, rica, largura)


@settings(max_examples=100, deadline=None)
@given(_relatorio().filter(lambda r: bool(r[2])), st.booleans())  # sem linhas: só o Rich
def test_fichas_iguais_as_do_rich(
    rel: tuple[str, list[Coluna], list[list[Any]]], term: bool
) -> None:
    titulo, colunas, linhas = rel
    console = _console(term)
    fichas = tab.fichas(titulo, colunas, linhas)
    assert TabelaGrande(titulo, colunas, linhas).fichas(console) == _pelo_rich(
        console, fichas, console.width
    )


def test_controle_na_celula_fica_com_o_rich() -> None:
    colunas = [Coluna("h", "Histórico")]
    assert TabelaGrande("T", colunas, [["uma linha"]]).simples
    assert not TabelaGrande("T", colunas, [["duas\nlinhas"]]).simples
    assert not TabelaGrande("T", colunas, [["com\ttab"]]).simples


COLUNAS = [Coluna("data", "Data"), Coluna("historico", "Histórico"), Coluna("valor", "Valor", True)]


def _linhas(n: int) -> list[list[Any]]:
    return [
        [f"2026-01-{1 + k % 28:02d}", f"Pagamento [bold]{k}[/bold]", 100 * k + 1] for k in range(n)
    ]


@pytest.mark.parametrize("terminal", [False, True])
def test_emitir_relatorio_grande_igual_ao_rich(
    monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    """Mais de ``LINHAS_RICH`` linhas: caminho rápido; o mesmo texto que o Rich daria
    (com o limite alto, tudo pelo Rich). No terminal estreito, as fichas."""
    linhas = _linhas(tabela_grande.LINHAS_RICH + 5)

    def emitir(limite: int) -> str:
        tela = Console(file=io.StringIO(), width=30, force_terminal=terminal)
        monkeypatch.setattr(comum, "console", tela)
        monkeypatch.setattr(comum, "erro_console", Console(file=io.StringIO()))
        monkeypatch.setattr(tabela_grande, "LINHAS_RICH", limite)
        comum.emitir_relatorio("Razão", COLUNAS, linhas, comum.Formato.tabela, None, {})
        saida = tela.file.getvalue()  # type: ignore[attr-defined]
        assert isinstance(saida, str)
        return saida

    rapido = emitir(tabela_grande.LINHAS_RICH)
    assert rapido == emitir(10**9)
    # o histórico como foi escrito, colchetes inclusive; 205 linhas e o total
    assert "Pagamento [bold]204[/bold]" in rapido
    assert rapido.count("Pagamento [bold]") == 205
    total = sum(100 * k + 1 for k in range(205))  # 2.091.205 centavos
    assert total == 2_091_205
    assert "20.912,05" in rapido
