"""``erario web``: serve a interface web e cadastra os usuários dela."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from erario.cli import comum

if TYPE_CHECKING:
    from erario.storage.web import Papel

app_web = typer.Typer(
    help="Interface web: `erario web` serve as páginas; `erario web usuario` cadastra quem entra.",
    invoke_without_command=True,
)
app_usuario = typer.Typer(help="Usuários da interface web e seus papéis.", no_args_is_help=True)
app_web.add_typer(app_usuario, name="usuario")

VAR_SENHA = "ERARIO_WEB_SENHA"


@app_web.callback()
def web(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="URL do banco (padrão: o --db do erario, $ERARIO_DB ou sqlite:///erario.db).",
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(help="Endereço de escuta (padrão: só esta máquina; use um proxy com TLS)."),
    ] = "127.0.0.1",
    porta: Annotated[int, typer.Option(help="Porta TCP.")] = 8000,
    ociosa: Annotated[int, typer.Option(min=1, help="Minutos sem uso até a sessão vencer.")] = 30,
    cookie_seguro: Annotated[
        bool,
        typer.Option("--cookie-seguro", help="Cookie só por HTTPS (ligue atrás do proxy com TLS)."),
    ] = False,
    proxies_confiaveis: Annotated[
        str,
        typer.Option(
            help="IP[,IP…] dos proxies reversos cujo X-Forwarded-For vale (freio de login)."
        ),
    ] = "",
) -> None:
    """Serve a interface web (o banco é migrado antes de abrir a porta)."""
    if db:
        comum.definir_banco(db)
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from erario.api.seguranca import opcoes_uvicorn, proxies_validos
    from erario.web.app import Config, criar_app

    repo = comum.repo()
    proxies = comum.executar(lambda: proxies_validos(proxies_confiaveis))
    app = criar_app(repo.engine, Config(ociosa=ociosa * 60.0, cookie_seguro=cookie_seguro))
    comum.console.print(f"Interface web do erario em http://{host}:{porta}/ (Ctrl+C para parar).")
    uvicorn.run(app, host=host, port=porta, **opcoes_uvicorn(proxies, "nao"))


def _senha() -> str:
    """A senha de ``$ERARIO_WEB_SENHA`` (scripts) ou digitada duas vezes, sem eco."""
    senha = os.environ.get(VAR_SENHA)
    if senha is not None:
        return senha
    if not sys.stdin.isatty():
        linha = sys.stdin.readline().rstrip("\n")
        if linha:
            return linha
    return str(typer.prompt("Senha", hide_input=True, confirmation_prompt="Repita a senha"))


@app_usuario.command("criar")
def usuario_criar(
    login: Annotated[str, typer.Argument(help="Login (minúsculas, dígitos, . _ -).")],
    papel: Annotated[
        str, typer.Option(help="administrador, contador ou consulta.")
    ] = "administrador",
    entidade: Annotated[
        list[str] | None,
        typer.Option(help="Entidade do papel (repita para várias; omitida = todas)."),
    ] = None,
    nome: Annotated[str, typer.Option(help="Nome para exibir.")] = "",
) -> None:
    """Cria um usuário da interface web (a senha é pedida sem eco, ou vem de
    $ERARIO_WEB_SENHA). Ex.: o primeiro administrador:
    `erario web usuario criar admin --papel administrador`."""
    from erario.storage.web import criar_usuario

    p = _papel(papel)
    assert p is not None
    repo = comum.repo()
    senha = _senha()
    papeis = {slug: p for slug in (entidade or [""])}
    comum.executar(lambda: criar_usuario(repo.engine, login, nome, senha, papeis))
    onde = ", ".join(entidade) if entidade else "todas as entidades"
    comum.console.print(f"Usuário {login} criado: {p.value} em {onde}.")


@app_usuario.command("papel")
def usuario_papel(
    login: Annotated[str, typer.Argument(help="Login do usuário.")],
    papel: Annotated[str, typer.Argument(help="administrador, contador, consulta ou nenhum.")],
    entidade: Annotated[str | None, typer.Option(help="Entidade (omitida = todas).")] = None,
) -> None:
    """Dá, troca ou (com `nenhum`) tira o papel do usuário numa entidade."""
    from erario.storage.web import definir_papel

    p = _papel(papel, aceitar_nenhum=True)
    repo = comum.repo()
    comum.executar(lambda: definir_papel(repo.engine, login, entidade or "", p))
    comum.console.print(f"Papel de {login} em {entidade or 'todas as entidades'}: {papel}.")


@app_usuario.command("senha")
def usuario_senha(login: Annotated[str, typer.Argument(help="Login do usuário.")]) -> None:
    """Troca a senha (as sessões abertas do usuário deixam de valer)."""
    from erario.storage.web import trocar_senha

    repo = comum.repo()
    senha = _senha()
    comum.executar(lambda: trocar_senha(repo.engine, login, senha))
    comum.console.print(f"Senha de {login} trocada; sessões encerradas.")


@app_usuario.command("desativar")
def usuario_desativar(login: Annotated[str, typer.Argument(help="Login do usuário.")]) -> None:
    """Desativa o usuário (não entra mais; as sessões abertas caem)."""
    from erario.storage.web import ativar

    repo = comum.repo()
    comum.executar(lambda: ativar(repo.engine, login, False))
    comum.console.print(f"Usuário {login} desativado.")


@app_usuario.command("ativar")
def usuario_ativar(login: Annotated[str, typer.Argument(help="Login do usuário.")]) -> None:
    """Reativa um usuário desativado (entra de novo com a senha que tinha)."""
    from erario.storage.web import ativar

    repo = comum.repo()
    comum.executar(lambda: ativar(repo.engine, login, True))
    comum.console.print(f"Usuário {login} reativado.")


@app_usuario.command("listar")
def usuario_listar() -> None:
    """Lista os usuários e seus papéis."""
    from rich.table import Table

    from erario.storage.web import descrever_papeis, usuarios

    t = Table(title="Usuários da interface web")
    for titulo in ("Login", "Nome", "Ativo", "Papéis"):
        t.add_column(titulo)
    for u in usuarios(comum.repo().engine):
        t.add_row(u.login, u.nome, "sim" if u.ativo else "não", descrever_papeis(u))
    comum.imprimir_largo(t)


def _papel(texto: str, *, aceitar_nenhum: bool = False) -> Papel | None:
    """A leitura compartilhada com a web (``storage.web.ler_papel``, WEB-PAPEL)."""
    from erario.storage.web import ler_papel

    return comum.executar(lambda: ler_papel(texto, aceitar_nenhum=aceitar_nenhum))
