"""Linha de comando do erario: só monta os comandos. Textos em português; erros
listados por inteiro.

Registre comandos novos aqui com uma linha; o código fica no módulo da área.
O que todo comando usa (repositório, execução e erros, leitura de período,
emissão de relatório) está em ``erario.cli.comum``. Cada módulo de área só
importa o banco, as tabelas do Rich e os escritores de arquivo dentro dos
comandos: ``erario --help`` não os carrega (bench/bench_partida.py).
"""

from __future__ import annotations

import importlib
import sys
from typing import Annotated, Any

import typer

from erario.cli import traducao
from erario.cli.comum import console, definir_banco, erro_console

traducao.aplicar()  # textos fixos do Typer em português

# Os comandos na ordem da ajuda: (nome, módulo, atributo, tipo). "grupo" é um
# typer.Typer de subcomandos, "comando" uma função; "registrar" chama a função
# com o app (ela acrescenta os nomes de ``_REGISTRADOS``). Só o módulo do comando
# pedido é importado e só ele é montado (o Typer inspeciona a assinatura de cada
# um dos ~90 comandos ao montar: ~0,1 s que ``erario balancete`` não precisa pagar).
COMANDOS: tuple[tuple[str, str, str, str], ...] = (
    ("plano", "erario.cli.plano", "app_plano", "grupo"),
    ("entidade", "erario.cli.entidade", "app_entidade", "grupo"),
    ("exercicio", "erario.cli.exercicio", "app_exercicio", "grupo"),
    ("lancamento", "erario.cli.lancamento", "app_lancamento", "grupo"),
    ("esfinge", "erario.cli.esfinge", "app_esfinge", "grupo"),
    ("conciliacao", "erario.cli.conciliacao", "app_conciliacao", "grupo"),
    ("iniciar", "erario.cli.banco", "iniciar", "comando"),
    ("verificar", "erario.cli.banco", "verificar", "comando"),
    ("importar", "erario.cli.importacao", "importar", "comando"),
    ("balancete", "erario.cli.balancete", "balancete", "comando"),
    ("cadastro", "erario.cli.cadastro", "app_cadastro", "grupo"),
    ("execucao", "erario.cli.execucao", "app_execucao", "grupo"),
    ("retencoes", "erario.cli.retencoes", "app_retencoes", "grupo"),
    ("fcont", "erario.cli.fcont", "app_fcont", "grupo"),
    ("siops", "erario.cli.siops", "app_siops", "grupo"),
    ("razao", "erario.cli.balancete", "razao", "comando"),
    ("conferir-balancete", "erario.cli.migracao", "conferir_balancete", "comando"),
    ("demo", "erario.cli.demo", "demo", "comando"),
    ("consolidacao", "erario.cli.consolidacao", "registrar", "registrar"),
    ("web", "erario.cli.web", "app_web", "grupo"),
)
_REGISTRADOS = {"servidor": "consolidacao"}  # nomes que outro registro acrescenta


def _principal(
    db: Annotated[
        str | None,
        typer.Option("--db", help="URL do banco (padrão: $ERARIO_DB ou sqlite:///erario.db)."),
    ] = None,
) -> None:
    definir_banco(db)


def montar(nome: str | None = None) -> typer.Typer:
    """O app com todos os comandos, ou (``nome``) só com o comando pedido."""
    app = typer.Typer(
        help="erario — contabilidade pública municipal (PCASP) com partidas dobradas exatas ao "
        "centavo.",
        no_args_is_help=True,
        rich_markup_mode="rich",
        add_completion=False,  # as opções de autocompletar do Typer só falam inglês
    )
    app.callback()(_principal)
    nome = _REGISTRADOS.get(nome or "", nome)
    for comando, modulo, atributo, tipo in COMANDOS:
        if nome is not None and comando != nome:
            continue
        objeto: Any = getattr(importlib.import_module(modulo), atributo)
        if tipo == "grupo":
            app.add_typer(objeto, name=comando)
        elif tipo == "comando":
            app.command(comando)(objeto)
        else:
            objeto(app)
    return app


def _comando_pedido(argumentos: list[str]) -> str | None:
    """O comando da linha (depois das opções globais), se é um dos conhecidos;
    senão None (ajuda geral, comando errado: monta-se tudo, com as sugestões)."""
    pular = False
    for a in argumentos:
        if pular:
            pular = False
        elif a == "--db":
            pular = True
        elif not a.startswith("-"):
            conhecidos = {c for c, *_ in COMANDOS} | _REGISTRADOS.keys()
            return a if a in conhecidos else None
        elif not a.startswith("--db="):
            return None
    return None


def main() -> None:
    montar(_comando_pedido(sys.argv[1:]))()


def __getattr__(nome: str) -> Any:
    # ``from erario.cli.app import app`` (testes): o app completo, montado uma vez.
    if nome == "app":
        globals()["app"] = completo = montar()
        return completo
    raise AttributeError(nome)


# console e erro_console: os de erario.cli.comum (os testes ajustam a largura por aqui).
__all__ = ["console", "erro_console", "main", "montar"]  # e app (``__getattr__``)
