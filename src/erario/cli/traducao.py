"""Textos fixos do Typer/Click (painéis da ajuda, linha de uso, tipos das
opções, erros de uso e de validação) em português: toda mensagem ao usuário do
erario é em português do Brasil.

O Typer 0.29 traz o Click embutido (``typer._click``), que monta quase todas as
mensagens em f-string, sem ``gettext``; a validação dos valores passa pelo
pydantic (``Value error, 'odt' is not one of …``). Por isso a tradução é feita
na saída: cada ``format_message`` das exceções do Click passa pelas trocas de
``_TROCAS`` (expressões regulares, da mais específica à mais geral), a linha de
uso troca ``[OPTIONS]``/``COMMAND [ARGS]...`` e o tipo de cada opção na ajuda é
traduzido (``<str>`` → ``<texto>``; as opções sem valor não mostram tipo).

``typer.rich_utils`` (que carrega rich.markdown, rich.traceback…) só é
importado quando há ajuda ou erro a mostrar; as constantes dele são trocadas
na importação, por um localizador em ``sys.meta_path``: os comandos que
rodam sem erro não pagam por ele.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any, Final

from typer import core as typer_core
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
    "REQUIRED_SHORT_STRING": "*",
    "REQUIRED_LONG_STRING": "[obrigatório]",
    "DEPRECATED_STRING": "(obsoleto) ",
    "RICH_HELP": "Veja [blue]'{command_path} {help_option}'[/] para ajuda.",
}

# Textos que ainda passam por ``gettext`` (texto original → português).
_MENSAGENS: Final = {
    "Missing command.": "Falta o comando.",
    "No such command {name!r}.": "Comando {name!r} não existe.",
    "Usage:": "Uso:",
    "Aborted!": "Interrompido!",
    "(dynamic)": "(dinâmico)",
    "default: {default}": "padrão: {default}",
    "required": "obrigatório",
    "env var: {var}": "variável de ambiente: {var}",
    "Arguments": "Argumentos",
    "Options": "Opções",
    "Commands": "Comandos",
}

# Mensagens de erro (regex → troca), aplicadas em ordem a todo texto de erro.
_TROCAS: Final[Sequence[tuple[re.Pattern[str], str]]] = tuple(
    (re.compile(padrao), troca)
    for padrao, troca in (
        # pydantic (validação de valores pelo Typer)
        (r"Value error, ", ""),
        (r"(\S+) is not one of (.+?)\.?$", r"\1 não é um dos valores aceitos: \2."),
        (
            r"Input should be a valid integer, unable to parse string as an integer",
            "deve ser um número inteiro",
        ),
        (r"Input should be a valid integer", "deve ser um número inteiro"),
        (r"Input should be a valid number", "deve ser um número"),
        (r"Input should be a valid boolean", "deve ser verdadeiro ou falso"),
        (r"Input should be greater than or equal to (\S+)", r"deve ser maior ou igual a \1"),
        (r"Input should be less than or equal to (\S+)", r"deve ser menor ou igual a \1"),
        (r"Input should be greater than (\S+)", r"deve ser maior que \1"),
        (r"Input should be less than (\S+)", r"deve ser menor que \1"),
        (r"Input should be a valid date", "deve ser uma data válida"),
        (r"Input should be", "deve ser"),
        (r"Value (.+) is not a valid (\S+?)\.", r"\1 não é um valor válido (\2)."),
        (r"Value must be an iterable\.", "o valor deve ser uma lista."),
        # Click
        (r"Missing argument", "Falta o argumento"),
        (r"Missing option", "Falta a opção"),
        (r"Missing parameter", "Falta o parâmetro"),
        (r"Invalid value for", "Valor inválido em"),
        (r"Invalid value:", "Valor inválido:"),
        (r"No such command (.+?)\.", r"Comando \1 não existe."),
        (r"No such option: (\S+)", r"Opção \1 não existe."),
        (r"\(Possible options: (.+)\)", r"(opções parecidas: \1)"),
        (r"Did you mean (.+)\?", r"Você quis dizer \1?"),
        (r"Option (\S+) requires an argument\.", r"A opção \1 precisa de um valor."),
        (r"Option (\S+) requires (\d+) arguments\.", r"A opção \1 precisa de \2 valores."),
        (r"Option (\S+) does not take a value\.", r"A opção \1 não aceita valor."),
        (r"Argument (\S+) takes (\d+) values\.", r"O argumento \1 recebe \2 valores."),
        (
            r"Got unexpected extra argument\(s\) \((.*)\)",
            r"Argumento(s) a mais, não esperado(s): \1",
        ),
        (r"Missing command\.", "Falta o comando."),
        (r"\bfile '", "arquivo '"),
        (r"\bdirectory '", "pasta '"),
        (r"\bpath '", "caminho '"),
        (r"does not exist", "não existe"),
        (r"is a directory", "é uma pasta"),
        (r"is a file", "é um arquivo"),
        (r"is not readable", "não pode ser lido"),
        (r"is not writable", "não pode ser gravado"),
        (r"^Error: ", "Erro: "),
    )
)

# Tipo mostrado ao lado de cada opção/argumento na ajuda (``<str>`` etc.).
_TIPOS: Final = {
    "str": "texto",
    "int": "inteiro",
    "float": "número",
    "bool": "sim|não",
    "Path": "caminho",
    "path": "caminho",
    "file": "arquivo",
    "directory": "pasta",
    "datetime": "data e hora",
    "date": "data",
    "Decimal": "número",
}

# Linha de uso: ``[OPTIONS]``, ``COMMAND [ARGS]...``.
_USO: Final = (
    ("COMMAND [ARGS]...", "COMANDO [ARGUMENTOS]..."),
    ("[OPTIONS]", "[OPÇÕES]"),
)


def traduzir_mensagem(texto: str) -> str:
    """Uma mensagem de erro do Click/Typer/pydantic em português."""
    for padrao, troca in _TROCAS:
        texto = padrao.sub(troca, texto)
    return texto


def traduzir_uso(args: str) -> str:
    for ingles, portugues in _USO:
        args = args.replace(ingles, portugues)
    return args


def _traduzir_tipo(rotulo: str) -> str:
    """``<int>`` → ``<inteiro>``, ``<list[str]>`` → ``<lista de texto>``; escolhas
    (``<tabela|csv>``) ficam como estão."""
    miolo = rotulo[1:-1] if rotulo.startswith("<") and rotulo.endswith(">") else rotulo
    if m := re.fullmatch(r"list\[(.+)\]", miolo):
        miolo = "lista de " + _TIPOS.get(m.group(1), m.group(1))
    elif miolo.endswith(" range"):
        miolo = _TIPOS.get(miolo[:-6], miolo[:-6]) + " (faixa)"
    else:
        miolo = _TIPOS.get(miolo, miolo)
    return f"<{miolo}>" if rotulo.startswith("<") else miolo


def _traduzir_gettext(texto: str) -> str:
    return _MENSAGENS.get(texto, texto)


def _em_portugues(formatar: Any) -> Any:
    def format_message(self: Any) -> str:
        return traduzir_mensagem(formatar(self))

    format_message._traduzida = True  # type: ignore[attr-defined]
    return format_message


def _aplicar_rich_utils(modulo: ModuleType) -> None:
    for nome, texto in _CONSTANTES.items():
        if hasattr(modulo, nome):
            setattr(modulo, nome, texto)
    if hasattr(modulo, "_"):
        modulo._ = _traduzir_gettext  # type: ignore[attr-defined]


class _Localizador(importlib.abc.MetaPathFinder):
    """Ao importar ``typer.rich_utils``, troca as suas constantes de texto."""

    NOME: Final = "typer.rich_utils"

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.NOME:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        carregador: Any = spec.loader
        executar = carregador.exec_module

        def exec_module(modulo: ModuleType) -> None:
            executar(modulo)
            _aplicar_rich_utils(modulo)

        carregador.exec_module = exec_module
        return spec


def aplicar() -> None:
    """Instala as traduções (idempotente)."""
    original = click_core.Command.get_help_option
    if getattr(original, "_traduzida", False):
        return
    if (rich_utils := sys.modules.get(_Localizador.NOME)) is not None:
        _aplicar_rich_utils(rich_utils)
    else:
        sys.meta_path.insert(0, _Localizador())

    def get_help_option(self: Any, ctx: Any) -> Any:
        opcao = original(self, ctx)
        if opcao is not None:
            opcao.help = AJUDA
        return opcao

    get_help_option._traduzida = True  # type: ignore[attr-defined]
    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    for modulo in (click_core, typer_core):
        if hasattr(modulo, "_"):
            modulo._ = _traduzir_gettext  # type: ignore[attr-defined]

    # A base (que herda o format_message do Typer) e toda subclasse que define o seu.
    for classe in vars(click_excecoes).values():
        if (
            isinstance(classe, type)
            and issubclass(classe, click_excecoes.ClickException)
            and (classe is click_excecoes.ClickException or "format_message" in vars(classe))
        ):
            classe.format_message = _em_portugues(classe.format_message)  # type: ignore[method-assign]

    uso = click_formatacao.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        uso(self, prog, traduzir_uso(args), "Uso: " if prefix is None else prefix)

    click_formatacao.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    tipo = typer_core._TyperParameter.display_type

    def display_type(self: Any, ctx: Any) -> str:
        return _traduzir_tipo(tipo(self, ctx))

    typer_core._TyperParameter.display_type = display_type  # type: ignore[method-assign]

    tipo_rich = typer_core.TyperOption.display_type_rich

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        # Opção sem valor (--validar, --help): não há tipo a mostrar.
        if self.is_flag and not self.count:
            return None
        return tipo_rich(self, ctx)

    typer_core.TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
