"""Textos do Typer/Click em português: ajuda de todos os comandos, linha de uso,
comando inexistente (com a sugestão), valor de escolha errado, argumento e opção
faltando, opção inexistente, argumento a mais, número inválido — nenhum inglês."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from erario.cli.app import app
from erario.cli.traducao import traduzir_mensagem

runner = CliRunner()

# Palavras (inteiras) do inglês do Typer/Click/pydantic que não podem aparecer.
PROIBIDAS = (
    "Usage",
    "OPTIONS",
    "COMMAND",
    "ARGS",
    "Did you mean",
    "Invalid value",
    "Missing",
    "No such",
    "Value error",
    "is not one of",
    "Error",
    "requires",
    "argument",
    "arguments",
    "Show this message",
    "Possible options",
    "Got unexpected",
    "Input should",
    "does not exist",
    "not a valid",
    "default",
    "required",
    "bool",
    "str",
    "int",
    "Try",
    "for help",
    "Aborted",
)
_PROIBIDA = re.compile(r"\b(" + "|".join(re.escape(p) for p in PROIBIDAS) + r")\b")


def _saida(*args: str) -> tuple[int, str]:
    r = runner.invoke(app, list(args), prog_name="erario")
    return r.exit_code, r.output  # a saída de erros vem junto


def _sem_ingles(texto: str) -> None:
    achadas = sorted({m.group(1) for m in _PROIBIDA.finditer(texto)})
    assert achadas == [], f"inglês na saída: {achadas}\n{texto}"


def test_ajuda_principal_em_portugues() -> None:
    codigo, texto = _saida("--help")
    assert codigo == 0
    assert "Uso: erario [OPÇÕES] COMANDO [ARGUMENTOS]..." in texto
    assert "Mostra esta ajuda e sai." in texto
    assert "<texto>" in texto  # --db
    assert "<bool>" not in texto
    _sem_ingles(texto)


def _caminhos(comando: Any, prefixo: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    saida = [prefixo]
    for nome, sub in getattr(comando, "commands", {}).items():
        saida += _caminhos(sub, (*prefixo, nome))
    return saida


def test_ajuda_de_todos_os_comandos_sem_ingles() -> None:
    caminhos = _caminhos(typer.main.get_command(app))
    assert ("entidade", "assinaturas") in caminhos
    assert len(caminhos) > 40
    for caminho in caminhos:
        codigo, texto = _saida(*caminho, "--help")
        assert codigo == 0, (caminho, texto)
        assert "Uso: erario" in texto, caminho
        _sem_ingles(texto)


def test_comando_inexistente_sugere_em_portugues() -> None:
    codigo, texto = _saida("plano", "consultar")
    assert codigo == 2
    assert "Comando 'consultar' não existe. Você quis dizer 'contas'?" in texto
    assert "Veja 'erario plano --help' para ajuda." in texto
    _sem_ingles(texto)


def test_valor_de_escolha_errado(tmp_path: Path) -> None:
    codigo, texto = _saida("balancete", "prefeitura", "--mes", "2026-01", "--formato", "odt")
    assert codigo == 2
    assert (
        "Valor inválido em '--formato': 'odt' não é um dos valores aceitos: 'tabela', "
        in " ".join(texto.replace("│", " ").split())
    )
    _sem_ingles(texto)


@pytest.mark.parametrize(
    ("args", "esperado"),
    [
        (("exercicio", "abrir"), "Falta o argumento 'entidade'."),
        (("entidade", "criar", "--slug", "x"), "Falta a opção '--nome'."),
        (("--db",), "A opção '--db' precisa de um valor."),
        (("--dbb", "x"), "Opção --dbb não existe. (opções parecidas: --db)"),
        (("exercicio", "abrir", "p", "2026", "demais"), "Argumento(s) a mais, não esperado(s): demais"),
        (("exercicio", "abrir", "p", "dois mil"), "Valor inválido em 'ano': deve ser um número inteiro"),
        (("importar", "/nao/existe.csv"), "Valor inválido em 'arquivo': arquivo '/nao/existe.csv' não existe."),
        (
            ("conciliacao", "sugerir", "p", "1-1", "2026-01", "--janela", "-1"),
            "Valor inválido em '--janela': deve ser maior ou igual a 0",
        ),
    ],
)  # fmt: skip
def test_erros_de_uso_em_portugues(args: tuple[str, ...], esperado: str) -> None:
    codigo, texto = _saida(*args)
    assert codigo == 2
    assert esperado in " ".join(texto.replace("│", " ").split())
    _sem_ingles(texto)


@pytest.mark.parametrize(
    ("ingles", "portugues"),
    [
        ("Value error, 'odt' is not one of 'a', 'b'.", "'odt' não é um dos valores aceitos: 'a', 'b'."),
        ("No such option: --x", "Opção --x não existe."),
        ("Option '--x' requires 2 arguments.", "A opção '--x' precisa de 2 valores."),
        ("Option '--x' does not take a value.", "A opção '--x' não aceita valor."),
        ("Missing command.", "Falta o comando."),
        ("Input should be less than or equal to 12", "deve ser menor ou igual a 12"),
        ("Value 'x' is not a valid Decimal.", "'x' não é um valor válido (Decimal)."),
    ],
)  # fmt: skip
def test_tabela_de_traducao(ingles: str, portugues: str) -> None:
    assert traduzir_mensagem(ingles) == portugues
