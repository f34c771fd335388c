"""Comandos da consolidação: servidor de dados on-line (``erario servidor``) e
cliente (``erario consolidacao``), docs/consolidacao.md.

E-mail e senha vêm de ``--email``/``--senha`` ou de ``ERARIO_EMAIL``/
``ERARIO_SENHA`` (sem senha, o comando pergunta sem mostrar); o endereço do
servidor, de ``--servidor`` ou ``ERARIO_SERVIDOR``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer

from erario.cli import comum as cli
from erario.core.dinheiro import formatar_brl

# O cliente HTTP (httpx) e a consolidação (formatos, banco) só são carregados
# pelos comandos que os usam: as outras linhas de comando não pagam por eles.
if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from erario.api.cliente import Progresso
    from erario.api.operacoes import Acesso, Resultado
    from erario.api.servidor import Admin
    from erario.consolidacao.balancetes import Consolidado, Eliminacao

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
OpcaoSegredoArquivo = Annotated[
    str,
    typer.Option(
        "--segredo-arquivo",
        envvar="ERARIO_SERVIDOR_SEGREDO_ARQUIVO",
        help="Arquivo do segredo das fichas de acesso (criado com permissão 0600 se falta); "
        "ERARIO_SERVIDOR_SEGREDO, se definida, vale no lugar dele.",
    ),
]
ARQUIVO_SEGREDO = "erario-servidor.segredo"
Entidade = Annotated[str, typer.Argument(help="Slug da entidade local.")]
Ano = Annotated[int, typer.Option(help="Exercício.")]
URL_BANCO = "sqlite:///erario-servidor.db"


def _senha(senha: str | None) -> str:
    return senha if senha is not None else typer.prompt("Senha", hide_input=True)


_OPCOES = {"aceitar_http": False}  # da linha de comando do grupo (callback abaixo)


@app_consolidacao.callback()
def _consolidacao(
    aceitar_http: Annotated[
        bool,
        typer.Option(
            "--aceitar-http",
            envvar="ERARIO_ACEITAR_HTTP",
            help="Aceita mandar a senha por http:// (sem TLS) a um servidor fora do "
            "loopback, com aviso; sem isso, o comando recusa (CON-HTTP).",
        ),
    ] = False,
) -> None:
    _OPCOES["aceitar_http"] = aceitar_http


def _acesso(servidor: str, email: str, senha: str | None) -> Acesso:
    """Endereço e credenciais; sem ``--senha``, ela é perguntada só depois de
    conferido o endereço (``http://`` fora do loopback: CON-HTTP antes)."""
    from erario.api.operacoes import Acesso

    return Acesso(
        servidor, email, senha if senha is not None else partial(_senha, None),
        _OPCOES["aceitar_http"],
    )  # fmt: skip


@contextmanager
def _barra(descricao: str) -> Iterator[Progresso]:
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TransferSpeedColumn

    colunas = TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn()
    with cli.progresso(*colunas, TransferSpeedColumn()) as p:
        tarefa = p.add_task(descricao, total=None)

        def avancar(feito: int, total: int) -> None:
            p.update(tarefa, completed=feito, total=total)

        yield avancar


class _Terminal:
    """O andamento no terminal (``api.operacoes.Andamento``): o aviso, na saída de
    erros, antes de pedir a senha; cada frase assim que dá certo; as barras."""

    def aviso(self, texto: str) -> None:
        cli.erro_console.print(f"Aviso: {texto} (--aceitar-http).", highlight=False, soft_wrap=True)

    def feito(self, texto: str) -> None:
        cli.console.print(texto)

    def barra(self, descricao: str) -> AbstractContextManager[Progresso | None]:
        return _barra(descricao)


def _concluir(r: Resultado) -> None:
    """Os erros da ação (as frases já saíram com o andamento); recusa: saída 1."""
    if not r.erros:
        return
    if r.parcial:  # os bons entraram
        cli.erro_console.print(
            cli.estilo(
                (r.titulo_erros, "bold red"), f" ({len(r.erros)} problema(s)); os demais entraram:"
            )
        )
        for x in r.erros:
            cli.erro_console.print(f"  • {x}", highlight=False, soft_wrap=True)
    else:
        cli.mostrar_erros(r.erros, r.titulo_erros)
    raise typer.Exit(1)


# ------------------------------------------------------------------ servidor
@app_servidor.command("iniciar")
def servidor_iniciar(
    url: OpcaoUrlBanco = URL_BANCO,
    host: Annotated[str, typer.Option(help="Endereço de escuta.")] = "127.0.0.1",
    porta: Annotated[int, typer.Option(help="Porta.")] = 8765,
    limite_mb: Annotated[int, typer.Option(help="Maior documento aceito, em MiB.")] = 8,
    validade: Annotated[int, typer.Option(help="Validade da ficha de acesso, em segundos.")] = 900,
    segredo_arquivo: OpcaoSegredoArquivo = ARQUIVO_SEGREDO,
    proxies_confiaveis: Annotated[
        str,
        typer.Option(
            help="IP[,IP…] (ou redes CIDR) dos proxies reversos cujo X-Forwarded-For vale; "
            "padrão: nenhum (o endereço é sempre o da conexão)."
        ),
    ] = "",
    log_acesso: Annotated[
        str,
        typer.Option(
            help="Log de acesso (uma linha por pedido): nao, sim (saída padrão) ou arquivo."
        ),
    ] = "nao",
    conferencias_simultaneas: Annotated[
        int,
        typer.Option(min=1, help="Senhas (argon2, ~64 MiB cada) conferidas ao mesmo tempo."),
    ] = 2,
    prefixo: Annotated[
        str,
        typer.Option(
            envvar="ERARIO_SERVIDOR_PREFIXO",
            help="Caminho atrás do proxy reverso (ex.: /erario): as rotas ficam em "
            "/erario/api/v1/…; o cliente usa --servidor https://host/erario.",
        ),
    ] = "",
    tempo_corpo: Annotated[
        float,
        typer.Option(min=0.1, help="Segundos para o corpo inteiro de um pedido chegar (408)."),
    ] = 300.0,
    tempo_ocioso: Annotated[
        float,
        typer.Option(min=0.1, help="Segundos sem receber nada do corpo de um pedido (408)."),
    ] = 30.0,
) -> None:
    """Inicia o servidor de dados on-line (documentação OpenAPI em /docs; saúde em
    /api/v1/saude). O banco é migrado antes de abrir a porta."""
    import uvicorn

    from erario.api.seguranca import opcoes_uvicorn, proxies_validos
    from erario.api.servidor import Config, criar_app

    cfg = Config(
        url=url, limite_bytes=limite_mb * 2**20, validade_ficha=validade,
        segredo_arquivo=segredo_arquivo, log_acesso=log_acesso,
        proxies_confiaveis=cli.executar(lambda: proxies_validos(proxies_confiaveis)),
        conferencias_simultaneas=conferencias_simultaneas,
        prefixo=prefixo, tempo_corpo=tempo_corpo, tempo_ocioso=tempo_ocioso,
    )  # fmt: skip
    app = cli.executar(lambda: criar_app(cfg))
    base = f"http://{host}:{porta}" + ("/" + prefixo.strip("/") if prefixo.strip("/") else "")
    cli.console.print(f"Servidor de dados on-line em {base} (OpenAPI em {base}/docs).")
    uvicorn.run(
        app, host=host, port=porta, **opcoes_uvicorn(cfg.proxies_confiaveis, cfg.log_acesso)
    )


@app_servidor.command("migrar")
def servidor_migrar(url: OpcaoUrlBanco = URL_BANCO) -> None:
    """Aplica as migrações pendentes ao banco do servidor (o servidor também as aplica
    ao iniciar); um banco criado antes das migrações é atualizado sem perder nada."""
    from erario.api.manutencao import migrar
    from erario.storage.banco import criar_engine

    engine = criar_engine(url)
    antes, depois = cli.executar(lambda: migrar(engine))
    engine.dispose()
    if antes == depois:
        cli.console.print(f"Banco do servidor já na revisão {depois}; nada a migrar.")
    else:
        cli.console.print(
            f"Banco do servidor migrado de {antes or 'sem versão'} para a revisão {depois}."
        )


@app_servidor.command("backup")
def servidor_backup(
    destino: Annotated[str, typer.Argument(help="Arquivo novo da cópia (não sobrescreve).")],
    url: OpcaoUrlBanco = URL_BANCO,
) -> None:
    """Cópia do banco SQLite do servidor com a API de backup on-line (o servidor pode
    seguir no ar). PostgreSQL: pg_dump (docs/consolidacao.md, Em produção)."""
    import pathlib

    from erario.api.manutencao import backup_sqlite

    tamanho = cli.executar(lambda: backup_sqlite(url, pathlib.Path(destino)))
    cli.console.print(f"Backup do banco do servidor em {destino} ({tamanho} bytes), conferido.")


@app_servidor.command("restaurar")
def servidor_restaurar(
    origem: Annotated[str, typer.Argument(help="Arquivo de backup (erario servidor backup).")],
    url: OpcaoUrlBanco = URL_BANCO,
    substituir: Annotated[
        bool, typer.Option("--substituir", help="Troca um banco que já tem envios.")
    ] = False,
) -> None:
    """Restaura o backup no banco SQLite do servidor (com o servidor parado) e aplica
    as migrações pendentes."""
    import pathlib

    from erario.api.manutencao import migrar, restaurar_sqlite
    from erario.storage.banco import criar_engine

    cli.executar(lambda: restaurar_sqlite(pathlib.Path(origem), url, substituir=substituir))
    engine = criar_engine(url)
    _, revisao = cli.executar(lambda: migrar(engine))
    engine.dispose()
    cli.console.print(f"Backup {origem} restaurado no banco do servidor (revisão {revisao}).")


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

    cli.executar(
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
    """Cria o usuário (ou troca a senha) e o vincula às entidades; só o hash argon2 é guardado.
    CNPJ inválido ou não cadastrado no servidor recusa tudo (nada é criado)."""
    from erario.api.servidor import Admin, preparar_banco

    admin = Admin(preparar_banco(url))
    s = _senha(senha)
    cli.executar(lambda: admin.cadastrar_usuario(email, s, entidade))
    cli.console.print(f"Usuário {email} vinculado a {len(entidade)} entidade(s).")


Email = Annotated[str, typer.Argument(help="E-mail do usuário.")]


def _admin(url: str) -> Admin:
    from erario.api.servidor import Admin, preparar_banco

    return Admin(cli.executar(lambda: preparar_banco(url)))


@app_servidor.command("senha")
def servidor_senha(email: Email, senha: OpcaoSenha = None, url: OpcaoUrlBanco = URL_BANCO) -> None:
    """Troca a senha do usuário; as fichas de acesso já emitidas deixam de valer."""
    admin = _admin(url)
    s = _senha(senha)
    cli.executar(lambda: admin.trocar_senha(email, s))
    cli.console.print(f"Senha de {email} trocada; as fichas de acesso anteriores não valem mais.")


@app_servidor.command("usuario-desativar")
def servidor_usuario_desativar(email: Email, url: OpcaoUrlBanco = URL_BANCO) -> None:
    """Desativa o usuário: não entra mais, e as fichas já emitidas deixam de valer."""
    admin = _admin(url)
    cli.executar(lambda: admin.ativar(email, ativo=False))
    cli.console.print(f"Usuário {email} desativado.")


@app_servidor.command("usuario-ativar")
def servidor_usuario_ativar(email: Email, url: OpcaoUrlBanco = URL_BANCO) -> None:
    """Reativa o usuário (as fichas de antes da desativação seguem sem valer)."""
    admin = _admin(url)
    cli.executar(lambda: admin.ativar(email))
    cli.console.print(f"Usuário {email} ativado.")


@app_servidor.command("desvincular")
def servidor_desvincular(
    email: Email,
    cnpj: Annotated[str, typer.Argument(help="CNPJ da entidade.")],
    url: OpcaoUrlBanco = URL_BANCO,
) -> None:
    """Tira do usuário o acesso à entidade (vale já, inclusive para fichas emitidas)."""
    admin = _admin(url)
    cli.executar(lambda: admin.desvincular(email, cnpj))
    cli.console.print(f"Usuário {email} desvinculado da entidade {cnpj}.")


@app_servidor.command("girar-segredo")
def servidor_girar_segredo(
    segredo_arquivo: OpcaoSegredoArquivo = ARQUIVO_SEGREDO, url: OpcaoUrlBanco = URL_BANCO
) -> None:
    """Gera um segredo novo para as fichas de acesso: todas as emitidas deixam de valer
    (o servidor no ar relê o arquivo; todos entram de novo)."""
    admin = _admin(url)
    cli.executar(lambda: admin.girar_segredo(segredo_arquivo))
    cli.console.print(f"Segredo novo em {segredo_arquivo}; as fichas anteriores não valem mais.")


@app_servidor.command("auditoria")
def servidor_auditoria(
    email: Annotated[str | None, typer.Option(help="Só deste usuário.")] = None,
    acao: Annotated[
        str | None, typer.Option(help="Só esta ação (login, download, senha, vincular…).")
    ] = None,
    limite: Annotated[int, typer.Option(min=1, help="Quantos registros (os mais novos).")] = 50,
    url: OpcaoUrlBanco = URL_BANCO,
) -> None:
    """Registro de auditoria: entradas (certas e falhas, com o endereço), downloads e
    ações de administração, dos mais novos aos mais antigos."""
    admin = _admin(url)
    from rich.table import Table

    t = Table(title="Auditoria do servidor de dados on-line")
    for col in ("momento (UTC)", "ação", "resultado", "usuário", "endereço", "detalhe"):
        t.add_column(col)
    for r in admin.auditoria(email, acao, limite):
        momento = r.momento if r.momento.tzinfo else r.momento.replace(tzinfo=dt.UTC)
        t.add_row(
            momento.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"), r.acao, r.resultado,
            r.email or "", r.endereco or "", r.detalhe,
        )  # fmt: skip
    cli.imprimir_largo(t)


# ------------------------------------------------------------------- cliente
@app_consolidacao.command("abrir-competencias")
def abrir_competencias(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Prefeitura: abre no servidor as competências do exercício e publica o plano de
    contas com que o servidor confere os balancetes recebidos (repetir não faz mal)."""
    from erario.api import operacoes as op

    acesso = _acesso(servidor, email, senha)
    _concluir(op.abrir_competencias(cli.repo(), entidade, acesso, ano, _Terminal()))


@app_consolidacao.command("incorporar")
def incorporar(entidade: Entidade) -> None:
    """Prefeitura: marca como incorporada uma entidade já cadastrada aqui sem razão
    (Câmara, RPPS… com instalação própria): a LOA dela é elaborada aqui, sem
    lançamentos, e o balancete vem do servidor."""
    from erario.storage import consolidacao as st

    repo = cli.repo()
    e = cli.executar(lambda: st.marcar_incorporada(repo, entidade))
    cli.console.print(
        f"{e.slug} ({e.cnpj}) é entidade incorporada: a LOA dela entra sem lançamentos e o "
        "balancete vem do servidor (importar-balancetes)."
    )


@app_consolidacao.command("exportar-orcamento")
def exportar_orcamento(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Prefeitura: envia o orçamento (LOA de todas as entidades do município) ao servidor."""
    from erario.api import operacoes as op

    acesso = _acesso(servidor, email, senha)
    _concluir(op.exportar_orcamento(cli.repo(), entidade, acesso, ano, _Terminal()))


@app_consolidacao.command("importar-orcamento")
def importar_orcamento(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Câmara/RPPS: baixa o orçamento da Prefeitura, confere as unidades e carrega a sua parte."""
    from erario.api import operacoes as op

    acesso = _acesso(servidor, email, senha)
    _concluir(op.importar_orcamento(cli.repo(), entidade, acesso, ano, _Terminal()))


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
    from erario.api import operacoes as op

    ano, inicio = _competencia(mes)
    ano_fim, fim = _competencia(ate) if ate else (ano, inicio)
    if ano_fim != ano or fim < inicio:
        raise typer.BadParameter("--mes e --ate devem ser do mesmo exercício, em ordem")
    acesso = _acesso(servidor, email, senha)
    meses = range(inicio, fim + 1)
    _concluir(op.exportar_balancete(cli.repo(), entidade, acesso, ano, meses, _Terminal()))


def _competencia(texto: str) -> tuple[int, int]:
    """``AAAA-MM`` de 01 a 12, ou ``AAAA-13`` (encerramento do exercício)."""
    from erario.consolidacao.formato import MES_ENCERRAMENTO

    return cli.ler_periodo(
        texto, 1, MES_ENCERRAMENTO, "use AAAA-MM de 01 a 12, ou AAAA-13 (encerramento)"
    )


@app_consolidacao.command("importar-balancetes")
def importar_balancetes(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """Prefeitura: baixa e incorpora a versão vigente dos balancetes das entidades
    incorporadas (e só delas). Cada balancete é conferido sozinho: os bons entram,
    os recusados são listados (saída 1), assim como balancetes no servidor de
    entidade que não é incorporada aqui."""
    from erario.api import operacoes as op

    acesso = _acesso(servidor, email, senha)
    _concluir(op.importar_balancetes(cli.repo(), entidade, acesso, ano, _Terminal()))


@app_consolidacao.command("situacao")
def situacao(
    entidade: Entidade,
    ano: Ano,
    servidor: OpcaoServidor,
    email: OpcaoEmail,
    senha: OpcaoSenha = None,
) -> None:
    """O que está no servidor, por entidade e mês, e quando chegou."""
    from erario.api import operacoes as op

    repo = cli.repo()
    r = op.situacao(repo, entidade, _acesso(servidor, email, senha), ano, _Terminal())
    _concluir(r)
    sit = r.situacao
    assert sit is not None  # a consulta deu certo
    ibge = repo.entidade(entidade).ibge
    abertas = sit["competencias"]
    cli.console.print(
        f"Competências abertas no servidor em {ano}: "
        + (", ".join(f"{m:02d}" for m in abertas) if abertas else "nenhuma")
    )
    from rich.table import Table

    t = Table(title=f"Servidor de dados on-line — município {ibge}, {ano}")
    for col in ("entidade", "documento", "mês", "versão", "recebido em", "por", "checksum"):
        t.add_column(col)
    for x in sit["envios"]:
        t.add_row(
            x["slug"], x["documento"], f"{x['mes']:02d}" if x["mes"] else "—", str(x["versao"]),
            x["recebido_em"][:19].replace("T", " "), x["enviado_por"], x["checksum"][:19] + "…",
        )  # fmt: skip
    cli.imprimir_largo(t)


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
    """Balancete consolidado: entidades locais + incorporadas, com eliminação intra-OFSS
    opcional. Com --eliminar-intra o relatório das eliminações sai sempre: dentro do
    JSON (chave ``eliminacao``) ou, nos outros formatos, no terminal (no de erros
    quando o CSV vai para a saída padrão)."""
    import json
    import sys

    from erario.razao.balancete import conferir_balancete
    from erario.relatorios import balancete as rel
    from erario.storage import consolidacao as st

    ano, inicio, fim = cli.ler_intervalo(mes, de, ate)
    repo = cli.repo()
    c = cli.executar(
        lambda: st.consolidado(
            repo, entidades, ano, inicio, fim, com_incorporados=incorporados,
            por_conta_corrente=conta_corrente, eliminar_intra=eliminar_intra, nivel_maximo=nivel,
        )
    )  # fmt: skip
    elim = c.eliminacao
    # O relatório vai para onde não se mistura com a saída: o CSV na saída padrão
    # leva a tabela das eliminações para o terminal de erros.
    tela = cli.erro_console if formato == cli.Formato.csv and saida is None else cli.console

    def relatorio() -> None:
        if elim is None:
            return
        if formato != cli.Formato.json or saida is not None:
            _relatorio_eliminacao(elim, tela)
        elif elim.erros():  # JSON na saída padrão: o relatório está nele
            cli.mostrar_erros(elim.erros(), "Eliminação não recíproca")

    try:
        if por_entidade:
            _por_entidade(c, formato, saida, {"ano": ano, "periodo_inicial": inicio,
                                              "periodo_final": fim})  # fmt: skip
        elif formato == cli.Formato.json and elim is not None:
            doc = json.loads(rel.para_json(c.balancete))
            doc["eliminacao"] = _dict_eliminacao(elim)
            texto = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
            if saida:
                saida.write_text(texto, encoding="utf-8")
            else:
                sys.stdout.write(texto)
            problemas = conferir_balancete(c.balancete)
            if problemas:
                cli.mostrar_erros(problemas, "O balancete não fecha")
                raise typer.Exit(1)
        else:
            cli.emitir_balancete(repo, c.balancete, formato, saida)
    except typer.Exit:  # o consolidado não fecha: a eliminação explica
        relatorio()
        raise
    relatorio()


def _por_entidade(
    c: Consolidado, formato: cli.Formato, saida: Path | None, periodo: dict[str, int]
) -> None:
    """Uma coluna de saldo atual por entidade, a do eliminado e a consolidada, em
    qualquer formato (tabela, CSV, JSON com a eliminação, XLSX, PDF)."""
    from erario.consolidacao.balancetes import colunas
    from erario.relatorios.tabela import Coluna

    cols = [
        Coluna("conta", "conta"),
        Coluna("titulo", "título"),
        Coluna("conta_corrente", "conta corrente"),
        *(Coluna(f"saldo_{e}", e, dinheiro=True, saldo=True) for e in c.balancete.entidades),
        Coluna("eliminado", "eliminado", dinheiro=True, saldo=True),
        Coluna("consolidado", "consolidado", dinheiro=True, saldo=True),
    ]
    linhas = [
        [ln.codigo, ln.titulo, ln.conta_corrente, *ln.por_entidade, ln.eliminado, ln.consolidado]
        for ln in colunas(c)
    ]
    cabecalho: dict[str, Any] = {
        "relatorio": "balancete_consolidado_por_entidade",
        "entidades": list(c.balancete.entidades),
        **periodo,
    }
    if c.eliminacao is not None:
        cabecalho["eliminacao"] = _dict_eliminacao(c.eliminacao)
    ano = periodo["ano"]
    cli.emitir_relatorio(
        f"Balancete consolidado por entidade — saldo atual, {ano}", cols, linhas, formato, saida,
        cabecalho,
    )  # fmt: skip


def _dict_eliminacao(elim: Eliminacao) -> dict[str, Any]:
    """O relatório das eliminações no JSON: valores em texto, saldos com sinal (+ D, − C)."""
    from erario.core.dinheiro import texto_de_centavos as tx

    return {
        "linhas": [
            {"entidade": ln.entidade, "conta": ln.conta, "conta_corrente": ln.conta_corrente,
             "anterior": tx(ln.anterior), "debitos": tx(ln.debitos),
             "creditos": tx(ln.creditos), "atual": tx(ln.atual)}
            for ln in elim.linhas
        ],
        "debitos": tx(elim.debitos),
        "creditos": tx(elim.creditos),
        "diferenca_anterior": tx(elim.diferenca_anterior),
        "diferenca_atual": tx(elim.diferenca_atual),
        "reciproca": not elim.erros(),
        "problemas": [str(e) for e in elim.erros()],
    }  # fmt: skip


def _saldo(v: int) -> str:
    return f"{formatar_brl(abs(v))} {'D' if v > 0 else 'C'}" if v else "—"


def _relatorio_eliminacao(elim: Eliminacao, tela: Console) -> None:
    from rich.table import Table

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
    tela.print(t, crop=False)
    problemas = elim.erros()
    if problemas:
        cli.mostrar_erros(problemas, "Eliminação não recíproca")
