"""Linha de comando do erario: só monta os comandos. Textos em português; erros
listados por inteiro.

Registre comandos novos aqui com uma linha; o código fica no módulo da área.
O que todo comando usa (repositório, execução e erros, leitura de período,
emissão de relatório) está em ``erario.cli.comum``. Cada módulo de área só
importa o banco, as tabelas do Rich e os escritores de arquivo dentro dos
comandos: ``erario --help`` não os carrega (bench/bench_partida.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from erario.cli import traducao
from erario.cli.balancete import balancete, razao
from erario.cli.banco import iniciar, verificar
from erario.cli.cadastro import app_cadastro
from erario.cli.comum import console, definir_banco, erro_console
from erario.cli.conciliacao import app_conciliacao
from erario.cli.consolidacao import registrar as registrar_consolidacao
from erario.cli.demo import demo
from erario.cli.entidade import app_entidade
from erario.cli.esfinge import app_esfinge
from erario.cli.execucao import app_execucao
from erario.cli.exercicio import app_exercicio
from erario.cli.fcont import app_fcont
from erario.cli.importacao import importar
from erario.cli.lancamento import app_lancamento
from erario.cli.migracao import conferir_balancete
from erario.cli.plano import app_plano
from erario.cli.retencoes import app_retencoes
from erario.cli.siops import app_siops
from erario.cli.web import app_web

traducao.aplicar()  # textos fixos do Typer em português

app = typer.Typer(
    help="erario — contabilidade pública municipal (PCASP) com partidas dobradas exatas ao centavo.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,  # as opções de autocompletar do Typer só falam inglês
)


@app.callback()
def _principal(
    db: Annotated[
        str | None,
        typer.Option("--db", help="URL do banco (padrão: $ERARIO_DB ou sqlite:///erario.db)."),
    ] = None,
) -> None:
    definir_banco(db)


app.add_typer(app_plano, name="plano")
app.add_typer(app_entidade, name="entidade")
app.add_typer(app_exercicio, name="exercicio")
app.add_typer(app_lancamento, name="lancamento")
app.add_typer(app_esfinge, name="esfinge")
app.add_typer(app_conciliacao, name="conciliacao")
app.command()(iniciar)
app.command()(verificar)
app.command()(importar)
app.command()(balancete)
app.add_typer(app_cadastro, name="cadastro")
app.add_typer(app_execucao, name="execucao")
app.add_typer(app_retencoes, name="retencoes")
app.add_typer(app_fcont, name="fcont")
app.add_typer(app_siops, name="siops")
app.command()(razao)
app.command("conferir-balancete")(conferir_balancete)
app.command()(demo)
registrar_consolidacao(app)  # consolidacao e servidor
app.add_typer(app_web, name="web")


def main() -> None:
    app()


# console e erro_console: os de erario.cli.comum (os testes ajustam a largura por aqui).
__all__ = ["app", "console", "erro_console", "main"]
