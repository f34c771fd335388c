"""Comandos da consolidação: servidor de dados on-line (``erario servidor``) e
cliente (``erario consolidacao``), docs/consolidacao.md.

E-mail e senha vêm de ``--email``/``--senha`` ou de ``ERARIO_EMAIL``/
``ERARIO_SENHA`` (sem senha, o comando pergunta sem mostrar); o endereço do
servidor, de ``--servidor`` ou ``ERARIO_SERVIDOR``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, TextColumn, TransferSpeedColumn
from rich.table import Table

from erario.cli import app as cli
from erario.core.dinheiro import formatar_brl

# O cliente HTTP (httpx) e a consolidação (formatos, banco) só são carregados
# pelos comandos que os usam: as outras linhas de comando não pagam por eles.
if TYPE_CHECKING:
    from erario.api.cliente import Cliente, Progresso
    from erario.consolidacao.balancetes import Eliminacao

app_consolidacao = typer.Typer(
    help="Incorporação de Câmara e RPPS pelo servidor de dados on-line e balancete consolidado.",
    no_args_is_help=True,
)
app_servidor = typer.Typer(
    help="Servidor de dados on-line: iniciar e administrar entidades e usuários.",
    no_args_is_help=True,
)


def registrar(app: typer.Typer) -> None:
    app.add_typer(app_consolidacao, name="consolidacao")
    app.add_typer(app_servidor, name="servidor")


OpcaoServidor = Annotated[
    str,
    typer.Option("--servidor", envvar="ERARIO_SERVIDOR", help="URL do servidor de dados on-line."),
]
OpcaoEmail = Annotated[
    str, typer.Option("--email", envvar="ERARIO_EMAIL", help="E-mail do usuário.")
]
OpcaoSenha = Annotated[
    str | None,
    typer.Option(
        "--senha", envvar="ERARIO_SENHA", help="Senha (sem ela, é perguntada).", show_default=False
    ),
]
OpcaoUrlBanco = Annotated[
    str,
    typer.Option(
        "--url", envvar="ERARIO_SERVIDOR_DB", help="Banco do servidor (SQLite ou PostgreSQL)."
    ),
]
Entidade = Annotated[str, typer.Argument(help="Slug da entidade local.")]
Ano = Annotated[int, typer.Option(help="Exercício.")]
URL_BANCO = "sqlite:///erario-servidor.db"


def _senha(senha: str | None) -> str:
    return senha if senha is not None else typer.prompt("Senha", hide_input=True)


def _cliente(servidor: str, email: str, senha: str | None) -> Cliente:
    from erario.api.cliente import Cliente

    return Cliente(servidor, email, _senha(senha))


@contextmanager
def _barra(descricao: str) -> Iterator[Progresso]:
    with cli._progresso(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn()
    ) as p:
        tarefa = p.add_task(descricao, total=None)

        def avancar(feito: int, total: int) -> None:
            p.update(tarefa, completed=feito, total=total)

        yield avancar


# ------------------------------------------------------------------ servidor
@app_servidor.command("iniciar")
def servidor_iniciar(
    url: OpcaoUrlBanco = URL_BANCO,
    host: Annotated[str, typer.Option(help="Endereço de escuta.")] = "127.0.0.1",
    porta: Annotated[int, typer.Option(help="Porta.")] = 8765,
    limite_mb: Annotated[int, typer.Option(help="Maior documento aceito, em MiB.")] = 8,
    validade: Annotated[int, typer.Option(help="Validade da ficha de acesso, em segundos.")] = 900,
) -> None:
    """Inicia o servidor de dados on-line (documentação OpenAPI em /docs)."""
    import uvicorn

    from erario.api.servidor import Config, criar_app

    app = criar_app(Config(url=url, limite_bytes=limite_mb * 2**20, validade_ficha=validade))
    cli.console.print(f"Servidor de dados on-line em http://{host}:{porta} (OpenAPI em /docs).")
    uvicorn.run(app, host=host, port=porta, log_level="warning")


@app_servidor.command("entidade")
def servidor_entidade(
    cnpj: Annotated[str, typer.Argument(help="CNPJ da entidade.")],
    slug: Annotated[str, typer.Argument(help="Slug (o mesmo da instalação da entidade).")],
    nome: Annotated[str, typer.Argument(help="Nome.")],
    tipo: Annotated[str, typer.Option(help="prefeitura, camara, rpps…")],
    ibge: Annotated[str, typer.Option(help="Código IBGE do município (7 dígitos).")],
    url: OpcaoUrlBanco = URL_BANCO,
) -> None:
    """Cadastra (ou atualiza) uma entidade no servidor."""
    from erario.api.servidor import Admin, preparar_banco

    cli._executar(
        lambda: Admin(preparar_banco(url)).cadastrar_entidade(cnpj, slug, nome, tipo, ibge)
    )
    cli.console.print(f"Entidade {slug} ({cnpj}) cadastrada no servidor.")


@app_servidor.command("usuario")
def servidor_usuario(
    email: Annotated[str, typer.Argument(help="E-mail do usuário.")],
    entidade: Annotated[
        list[str], typer.Option("--entidade", help="CNPJ de entidade a vincular (repita).")
    ],
    senha: OpcaoSenha = None,
    url: OpcaoUrlBanco = URL_BANCO,
) -> None:
    """Cria o usuário (ou troca a senha) e o vincula às entidades; só o hash argon2 é guardado."""
    from erario.api.servidor import Admin, preparar_banco

    admin = Admin(preparar_banco(url))
    s = _senha(senha)
    cli._executar(lambda: admin.criar_usuario(email, s))
    for cnpj in entidade:
        cli._executar(partial(admin.vincular, email, cnpj))
    cli.console.print(f"Usuário {email} vinculado a {len(entidade)} entidade(s).")


# ------------------------------------------------------------------- cliente
@app_consolidacao.command("abrir-competencias")
def abrir_competencias(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Prefeitura: abre no servidor as competências do exercício (repetir não faz mal)."""
    e = cli._entidade(cli._repo(), entidade)
    with _cliente(servidor, email, senha) as c:
        n = cli._executar(lambda: c.abrir_competencias(e.ibge, ano))
    cli.console.print(f"{n} competência(s) de {ano} aberta(s) no servidor.")


@app_consolidacao.command("exportar-orcamento")
def exportar_orcamento(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Prefeitura: envia o orçamento (LOA de todas as entidades do município) ao servidor."""
    from erario.consolidacao.orcamento import serializar_orcamento
    from erario.storage import consolidacao as st

    repo = cli._repo()
    e = cli._entidade(repo, entidade)
    dados = serializar_orcamento(st.orcamento_local(repo, ano, e.ibge))
    with _cliente(servidor, email, senha) as c, _barra("Enviando orçamento") as barra:
        versao = cli._executar(lambda: c.versao_vigente(e.ibge, e.cnpj, "orcamento", ano, 0))
        r = cli._executar(lambda: c.enviar_orcamento(e.cnpj, ano, dados, versao, barra))
    _resultado_envio("Orçamento", r)


@app_consolidacao.command("importar-orcamento")
def importar_orcamento(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Câmara/RPPS: baixa o orçamento da Prefeitura, confere as unidades e carrega a sua parte."""
    from erario.consolidacao.orcamento import ler_orcamento
    from erario.storage import consolidacao as st

    repo = cli._repo()
    e = cli._entidade(repo, entidade)
    with _cliente(servidor, email, senha) as c, _barra("Baixando orçamento") as barra:
        dados = cli._executar(lambda: c.baixar_orcamento(e.ibge, ano, barra))
    orc, erros = ler_orcamento(dados, "orçamento")
    if orc is None:
        cli._mostrar_erros(erros, "Orçamento recusado")
        raise typer.Exit(1)
    cad, evs = cli._executar(lambda: st.importar_orcamento(repo, entidade, orc))
    cli.console.print(f"Orçamento importado: {cad} cadastro(s), {evs} evento(s) novo(s).")


@app_consolidacao.command("exportar-balancete")
def exportar_balancete(
    entidade: Entidade,
    mes: Annotated[
        str,
        typer.Option(help="Competência AAAA-MM, 13 = encerramento (ou início, com --ate)."),
    ],
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
    ate: Annotated[str | None, typer.Option(help="Última competência AAAA-MM.")] = None,
) -> None:
    """Câmara/RPPS: envia o balancete de cada competência (fechada e que fecha) ao servidor;
    a competência 13 leva os lançamentos de encerramento do exercício."""
    from erario.consolidacao.formato import serializar
    from erario.storage import consolidacao as st

    ano, inicio = _competencia(mes)
    ano_fim, fim = _competencia(ate) if ate else (ano, inicio)
    if ano_fim != ano or fim < inicio:
        raise typer.BadParameter("--mes e --ate devem ser do mesmo exercício, em ordem")
    repo = cli._repo()
    e = cli._entidade(repo, entidade)
    # Todos os meses conferidos antes de enviar o primeiro.
    documentos = cli._executar(
        lambda: [
            (m, serializar(st.balancete_para_envio(repo, entidade, ano, m)))
            for m in range(inicio, fim + 1)
        ]
    )

    def enviar(c: Cliente, m: int, dados: bytes, barra: Progresso) -> dict[str, object]:
        versao = c.versao_vigente(e.ibge, e.cnpj, "balancete", ano, m)
        return c.enviar_balancete(e.cnpj, ano, m, dados, versao, barra)

    with _cliente(servidor, email, senha) as c:
        for m, dados in documentos:
            with _barra(f"Enviando {m:02d}/{ano}") as barra:
                r = cli._executar(partial(enviar, c, m, dados, barra))
            _resultado_envio(f"Balancete {m:02d}/{ano}", r)


def _competencia(texto: str) -> tuple[int, int]:
    """``AAAA-MM`` de 01 a 12, ou ``AAAA-13`` (encerramento do exercício)."""
    from erario.consolidacao.formato import MES_ENCERRAMENTO

    return cli._periodo(
        texto, 1, MES_ENCERRAMENTO, "use AAAA-MM de 01 a 12, ou AAAA-13 (encerramento)"
    )


def _resultado_envio(nome: str, r: dict[str, object]) -> None:
    if r["alterado"]:
        cli.console.print(f"{nome} enviado: versão {r['versao']} ({r['checksum']}).")
    else:
        cli.console.print(f"{nome} já estava no servidor (versão {r['versao']}); nada mudou.")


@app_consolidacao.command("importar-balancetes")
def importar_balancetes(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Prefeitura: baixa a versão vigente dos balancetes das outras entidades e incorpora."""
    from erario.storage import consolidacao as st

    repo = cli._repo()
    e = cli._entidade(repo, entidade)
    locais = {x.cnpj for x in repo.entidades()}
    ja = {(x["cnpj"], x["mes"]): x["checksum"] for x in st.incorporados(repo, ano)}
    n = 0
    with _cliente(servidor, email, senha) as c:
        sit = cli._executar(lambda: c.situacao(e.ibge, ano))
        for env in sit["envios"]:
            if env["documento"] != "balancete" or env["cnpj"] in locais:
                continue
            if ja.get((env["cnpj"], env["mes"])) == env["checksum"]:
                continue
            with _barra(f"Baixando {env['slug']} {env['mes']:02d}/{ano}") as barra:
                dados = cli._executar(
                    partial(c.baixar_balancete, env["cnpj"], ano, env["mes"], barra)
                )
            cli._executar(partial(st.incorporar, repo, dados, env["versao"], email, e.ibge))
            n += 1
    cli.console.print(f"{n} balancete(s) incorporado(s); os demais já estavam atualizados.")


@app_consolidacao.command("situacao")
def situacao(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """O que está no servidor, por entidade e mês, e quando chegou."""
    e = cli._entidade(cli._repo(), entidade)
    with _cliente(servidor, email, senha) as c:
        sit = cli._executar(lambda: c.situacao(e.ibge, ano))
    abertas = sit["competencias"]
    cli.console.print(
        f"Competências abertas no servidor em {ano}: "
        + (", ".join(f"{m:02d}" for m in abertas) if abertas else "nenhuma")
    )
    t = Table(title=f"Servidor de dados on-line — município {e.ibge}, {ano}")
    for col in ("entidade", "documento", "mês", "versão", "recebido em", "por", "checksum"):
        t.add_column(col)
    for x in sit["envios"]:
        t.add_row(
            x["slug"], x["documento"], f"{x['mes']:02d}" if x["mes"] else "—", str(x["versao"]),
            x["recebido_em"][:19].replace("T", " "), x["enviado_por"], x["checksum"][:19] + "…",
        )  # fmt: skip
    cli.console.print(t)


@app_consolidacao.command("balancete")
def balancete_consolidado(
    entidades: Annotated[list[str], typer.Argument(help="Entidades locais (do razão).")],
    mes: Annotated[str | None, typer.Option(help="Competência AAAA-MM.")] = None,
    de: Annotated[str | None, typer.Option(help="Início AAAA-MM.")] = None,
    ate: Annotated[str | None, typer.Option(help="Fim AAAA-MM.")] = None,
    incorporados: Annotated[
        bool, typer.Option("--incorporados", help="Soma os balancetes incorporados do servidor.")
    ] = False,
    eliminar_intra: Annotated[
        bool, typer.Option("--eliminar-intra", help="Elimina os saldos recíprocos intra-OFSS.")
    ] = False,
    por_entidade: Annotated[
        bool, typer.Option("--por-entidade", help="Uma coluna de saldo atual por entidade.")
    ] = False,
    conta_corrente: Annotated[
        bool, typer.Option("--conta-corrente", help="Abre por conta corrente.")
    ] = False,
    nivel: Annotated[int | None, typer.Option(help="Nível máximo de conta exibido.")] = None,
    formato: cli.OpcaoFormato = cli.Formato.tabela,
    saida: cli.OpcaoSaida = None,
) -> None:
    """Balancete consolidado: entidades locais + incorporadas, com eliminação intra-OFSS opcional."""
    from erario.consolidacao.balancetes import colunas
    from erario.storage import consolidacao as st

    ano, inicio, fim = cli._intervalo(mes, de, ate)
    repo = cli._repo()
    c = cli._executar(
        lambda: st.consolidado(
            repo, entidades, ano, inicio, fim, com_incorporados=incorporados,
            por_conta_corrente=conta_corrente, eliminar_intra=eliminar_intra, nivel_maximo=nivel,
        )
    )  # fmt: skip
    if por_entidade:
        t = Table(title=f"Balancete consolidado por entidade — saldo atual, {ano}")
        t.add_column("conta")
        t.add_column("título")
        for nome in c.balancete.entidades:
            t.add_column(nome, justify="right")
        t.add_column("eliminado", justify="right")
        t.add_column("consolidado", justify="right")
        for ln in colunas(c):
            t.add_row(
                ln.codigo + (f" [{ln.conta_corrente}]" if ln.conta_corrente else ""),
                ln.titulo,
                *(_saldo(v) for v in ln.por_entidade),
                _saldo(ln.eliminado),
                _saldo(ln.consolidado),
            )
        cli.console.print(t, crop=False)
    else:
        cli._emitir_balancete(repo, c.balancete, formato, saida)
    if c.eliminacao is not None:
        _relatorio_eliminacao(c.eliminacao)


def _saldo(v: int) -> str:
    return f"{formatar_brl(abs(v))} {'D' if v > 0 else 'C'}" if v else "—"


def _relatorio_eliminacao(elim: Eliminacao) -> None:
    t = Table(title="Eliminações intra-OFSS")
    for col in ("entidade", "conta", "conta corrente", "anterior", "débitos", "créditos", "atual"):
        t.add_column(
            col, justify="right" if col in ("anterior", "débitos", "créditos", "atual") else "left"
        )
    for ln in elim.linhas:
        t.add_row(
            ln.entidade, ln.conta, ln.conta_corrente, _saldo(ln.anterior),
            formatar_brl(ln.debitos), formatar_brl(ln.creditos), _saldo(ln.atual),
        )  # fmt: skip
    t.add_row("total", "", "", _saldo(elim.diferenca_anterior), formatar_brl(elim.debitos),
              formatar_brl(elim.creditos), _saldo(elim.diferenca_atual))  # fmt: skip
    cli.console.print(t)
    problemas = elim.erros()
    if problemas:
        cli._mostrar_erros(problemas, "Eliminação não recíproca")
