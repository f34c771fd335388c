"""Textos fixos do Typer (painéis da ajuda, opção --help, erros de uso) em
português: toda mensagem ao usuário do erario é em português do Brasil.

O Typer lê esses textos de constantes do módulo ``typer.rich_utils`` e cria a
opção ``--help`` em ``Command.get_help_option``; aqui os dois são ajustados
uma vez, na importação da CLI. Mensagens de erro de uso que o Typer monta com
``gettext`` passam pelo mesmo dicionário.
"""

from __future__ import annotations

from typing import Any, Final

import typer.core
import typer.rich_utils as rich_utils
from typer._click import core as click_core
from typer._click import exceptions as click_excecoes
from typer._click import formatting as click_formatacao

AJUDA: Final = "Mostra esta ajuda e sai."

_CONSTANTES: Final = {
    "ARGUMENTS_PANEL_TITLE": "Argumentos",
    "OPTIONS_PANEL_TITLE": "Opções",
    "COMMANDS_PANEL_TITLE": "Comandos",
    "ERRORS_PANEL_TITLE": "Erro",
    "ABORTED_TEXT": "Interrompido.",
    "DEFAULT_STRING": "[padrão: {}]",
    "ENVVAR_STRING": "[variável de ambiente: {}]",
    "REQUIRED_LONG_STRING": "[obrigatório]",
    "DEPRECATED_STRING": "(obsoleto) ",
    "RICH_HELP": "Veja [blue]'{command_path} {help_option}'[/] para ajuda.",
}

# Erros de uso mais comuns (texto original → português), para ``gettext``.
_MENSAGENS: Final = {
    "Missing argument": "Falta o argumento",
    "Missing option": "Falta a opção",
    "Missing parameter": "Falta o parâmetro",
    "Missing command.": "Falta o comando.",
    "No such command {name!r}.": "Comando {name!r} não existe.",
    "No such option {name!r}.": "Opção {name!r} não existe.",
    "No such option: {name}": "Opção inexistente: {name}",
    "Invalid value for {param_hint}: {message}": "Valor inválido em {param_hint}: {message}",
    "Invalid value: {message}": "Valor inválido: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} não é um {number_type} válido.",
    "{value!r} is not one of {choices}.": "{value!r} não é um de {choices}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} não existe.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} é uma pasta.",
    "Try '{command} {option}' for help.": "Veja '{command} {option}' para ajuda.",
    "Usage:": "Uso:",
    "Error: {message}": "Erro: {message}",
    "Aborted!": "Interrompido!",
    "file": "arquivo",
    "directory": "pasta",
    "path": "caminho",
}


# Trechos das mensagens de parâmetro que o Typer monta em f-string.
_FALTANDO: Final = {
    "Missing argument": "Falta o argumento",
    "Missing option": "Falta a opção",
    "Missing parameter": "Falta o parâmetro",
    "Invalid value for": "Valor inválido em",
    "Input should be a valid integer, unable to parse string as an integer": (
        "deve ser um número inteiro"
    ),
    "Input should be a valid integer": "deve ser um número inteiro",
    "Input should be a valid number": "deve ser um número",
    "Input should be a valid boolean": "deve ser verdadeiro ou falso",
    "Input should be": "deve ser",
    "does not exist": "não existe",
    "file '": "arquivo '",
    "directory '": "pasta '",
    "is a directory": "é uma pasta",
}


def _traduzir(texto: str) -> str:
    return _MENSAGENS.get(texto, texto)


def _em_portugues(formatar: Any) -> Any:
    def format_message(self: Any) -> str:
        texto: str = formatar(self)
        for ingles, portugues in _FALTANDO.items():
            texto = texto.replace(ingles, portugues)
        return texto

    return format_message


def aplicar() -> None:
    for nome, texto in _CONSTANTES.items():
        if hasattr(rich_utils, nome):
            setattr(rich_utils, nome, texto)
    original = click_core.Command.get_help_option
    if getattr(original, "_traduzida", False):
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        opcao = original(self, ctx)
        if opcao is not None:
            opcao.help = AJUDA
        return opcao

    get_help_option._traduzida = True  # type: ignore[attr-defined]
    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    for modulo in (click_core, typer.core, rich_utils):
        if hasattr(modulo, "_"):
            modulo._ = _traduzir  # type: ignore[attr-defined]
    # Textos montados em f-string (sem gettext): trocados na saída.
    for classe in (click_excecoes.BadParameter, click_excecoes.MissingParameter):
        classe.format_message = _em_portugues(classe.format_message)  # type: ignore[method-assign]
    uso = click_formatacao.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        uso(self, prog, args, "Uso: " if prefix is None else prefix)

    click_formatacao.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
