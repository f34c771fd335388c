"""Aplicação web (FastAPI + Jinja2): sessões, CSRF, papéis e o que as páginas
têm em comum. As páginas ficam em ``consultas``, ``lancar`` e ``cadastros``;
todas chamam o mesmo ``Repositorio`` e as mesmas funções do domínio da CLI.

Segurança (docs/web.md):
- senha argon2id e freio de login de ``api.seguranca`` (os mesmos do servidor de dados);
- sessão do lado do servidor: o cookie ``erario_sessao`` (HttpOnly, SameSite=Strict,
  Secure atrás de HTTPS) leva só a ficha; vence ociosa ou pela idade máxima;
- todo POST confere a ficha anti-CSRF da sessão (campo ``csrf``); o login, uma
  ficha de cookie duplo (``erario_pre``);
- página de entidade sem papel nela: 403 (WEB-ACESSO), também por URL.
"""

from __future__ import annotations

import datetime as dt
import hmac
import io
import secrets
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.datastructures import FormData

from erario.api.seguranca import FreioLogin, conferir_senha
from erario.core.erros import Erro
from erario.relatorios.tabela import Coluna
from erario.storage import web as armazem
from erario.storage.repositorio import Repositorio
from erario.web import formatos
from erario.web.acesso import Acao, entidades_visiveis, papel_em, pode

PASTA = Path(__file__).parent
COOKIE = "erario_sessao"
COOKIE_PRE = "erario_pre"


class Config(NamedTuple):
    ociosa: float = 30 * 60  # s sem uso até a sessão vencer
    maxima: float = 12 * 3600  # s desde o login, mesmo em uso
    cookie_seguro: bool = False  # Secure: ligue atrás de HTTPS (proxy reverso)
    relogio: Callable[[], float] = time.time


class Web:
    """O estado da aplicação: banco, repositório e configuração."""

    def __init__(self, engine: Engine, config: Config) -> None:
        self.engine = engine
        self.repo = Repositorio(engine)
        self.config = config
        self.freio = FreioLogin(engine, relogio=config.relogio)


class Recusa(Exception):
    """Página recusada (acesso, CSRF, sessão): status e erro para a página de erro."""

    def __init__(self, status: int, erro: Erro) -> None:
        super().__init__(erro.mensagem)
        self.status, self.erro = status, erro


class Entrar(Exception):
    """Sem sessão válida: volta ao login."""

    def __init__(self, proximo: str) -> None:
        super().__init__(proximo)
        self.proximo = proximo


class Ctx(NamedTuple):
    """O contexto de uma página de entidade."""

    web: Web
    request: Request
    sessao: armazem.Sessao
    slug: str
    nome: str

    @property
    def repo(self) -> Repositorio:
        return self.web.repo

    @property
    def login(self) -> str:
        return self.sessao.usuario.login


templates = Jinja2Templates(directory=str(PASTA / "templates"))
templates.env.filters.update(
    brl=formatos.brl,
    saldo=formatos.saldo_dc,
    data=formatos.data,
    documento=formatos.documento,
    competencia=formatos.competencia,
)


def web_de(request: Request) -> Web:
    w: Web = request.app.state.web
    return w


def sessao_de(request: Request) -> armazem.Sessao:
    """A sessão do cookie, ou ``Entrar`` (GET) / 403 WEB-SESSAO (POST)."""
    w = web_de(request)
    ficha = request.cookies.get(COOKIE, "")
    s = (
        armazem.sessao(w.engine, ficha, w.config.relogio(), w.config.ociosa, w.config.maxima)
        if ficha
        else None
    )
    if s is None:
        if request.method == "GET":
            caminho = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise Entrar(caminho)
        raise Recusa(
            403,
            Erro("WEB-SESSAO", "sessão vencida ou inexistente: entre de novo; nada foi gravado"),
        )
    return s


def contexto(request: Request, slug: str, acao: Acao = Acao.CONSULTAR) -> Ctx:
    """Sessão + entidade + papel; sem papel bastante na entidade, 403 WEB-ACESSO."""
    s = sessao_de(request)
    w = web_de(request)
    if not pode(s.usuario, slug, acao):
        raise Recusa(
            403,
            Erro(
                "WEB-ACESSO",
                f"o usuário {s.usuario.login} não tem acesso a esta página da entidade {slug}",
            ),
        )
    try:
        nome = w.repo.entidade(slug).nome
    except Exception:
        raise Recusa(404, Erro("ENT-INEXISTENTE", f"entidade {slug} não existe")) from None
    return Ctx(w, request, s, slug, nome)


async def formulario(request: Request, sessao: armazem.Sessao) -> FormData:
    """O corpo do POST, depois de conferida a ficha anti-CSRF da sessão."""
    form = await request.form()
    enviado = form.get("csrf")
    if not isinstance(enviado, str) or not hmac.compare_digest(enviado, sessao.csrf):
        raise Recusa(
            403,
            Erro("WEB-CSRF", "formulário sem a ficha de segurança da sessão; nada foi gravado"),
        )
    return form


def pagina(
    ctx: Ctx | None,
    request: Request,
    modelo: str,
    status: int = 200,
    **dados: Any,
) -> HTMLResponse:
    base: dict[str, Any] = {"request": request, "agora": dt.datetime.now()}
    if ctx is not None:
        u = ctx.sessao.usuario
        base |= {
            "ctx": ctx,
            "usuario": u,
            "csrf": ctx.sessao.csrf,
            "slug": ctx.slug,
            "entidade_nome": ctx.nome,
            "papel": papel_em(u, ctx.slug),
            "pode_lancar": pode(u, ctx.slug, Acao.LANCAR),
            "pode_administrar": pode(u, ctx.slug, Acao.ADMINISTRAR),
            "pode_cadastrar": pode(u, ctx.slug, Acao.CADASTRAR),
            "pode_conciliar": pode(u, ctx.slug, Acao.CONCILIAR),
        }
    return templates.TemplateResponse(request, modelo, base | dados, status_code=status)


def separar_erros(
    erros: Sequence[Erro], campos: Sequence[str] | set[str]
) -> tuple[dict[str, list[str]], list[Erro]]:
    """(mensagens por campo do formulário, as demais): cada recusa junto do campo
    que ``Erro.campo`` aponta; o resto vai ao topo da página."""
    por_campo: dict[str, list[str]] = {}
    gerais: list[Erro] = []
    for e in erros:
        if e.campo in campos:
            por_campo.setdefault(e.campo or "", []).append(f"[{e.regra}] {e.mensagem}")
        else:
            gerais.append(e)
    return por_campo, gerais


# -------------------------------------------------------------- relatórios
FORMATOS_ARQUIVO = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class Link(NamedTuple):
    """Célula com link: a coluna ``coluna`` vira link para ``url(linha)`` (ou texto, se "")."""

    coluna: str
    url: Callable[[Sequence[Any]], str]


def arquivo(nome: str, formato: str, conteudo: bytes) -> Response:
    return Response(
        conteudo,
        media_type=FORMATOS_ARQUIVO[formato],
        headers={"Content-Disposition": f'attachment; filename="{nome}.{formato}"'},
    )


def relatorio(
    ctx: Ctx,
    titulo: str,
    colunas: Sequence[Coluna],
    linhas: Sequence[Sequence[Any]],
    nome_arquivo: str,
    *,
    links: Sequence[Link] = (),
    filtros: str = "",
    antes: str = "",
    erros: Sequence[Erro] = (),
    acoes: Sequence[tuple[str, str]] = (),
    resultado: str = "",
    lida: PaginaLida | None = None,
) -> Response:
    """Tabela em HTML ou, com ``?formato=csv|xlsx|pdf``, o arquivo dos mesmos
    escritores da CLI (``relatorios.tabela``). Com ``lida``, ``linhas`` é só a
    página pedida, já lida do banco (ver ``pagina_pedida``)."""
    from erario.relatorios import tabela as tab

    formato = ctx.request.query_params.get("formato", "")
    if formato in FORMATOS_ARQUIVO:
        if formato == "csv":
            return arquivo(nome_arquivo, formato, tab.para_csv(colunas, linhas).encode("utf-8"))
        import tempfile

        with tempfile.TemporaryDirectory() as pasta:
            caminho = Path(pasta) / f"r.{formato}"
            if formato == "xlsx":
                tab.para_xlsx(caminho, titulo, list(colunas), list(linhas))
            else:
                sub = f"Emitido pelo erario em {dt.date.today():%d/%m/%Y} por {ctx.login}"
                tab.para_pdf(caminho, titulo, sub, list(colunas), list(linhas))
            return arquivo(nome_arquivo, formato, caminho.read_bytes())
    por_coluna = {lk.coluna: lk.url for lk in links}
    # Na tela, LINHAS_POR_PAGINA linhas por página (o razão de uma conta num mês
    # de um município grande passa de 20 mil); o total e os arquivos, com todas.
    if lida is not None:
        pagina_atual, inicio, visiveis = lida.numero, 0, linhas
        paginacao = _paginacao_lida(ctx, lida)
    else:
        pagina_atual = pagina_pedida(ctx)
        paginas = max(1, -(-len(linhas) // LINHAS_POR_PAGINA))
        pagina_atual = min(pagina_atual, paginas)
        inicio = (pagina_atual - 1) * LINHAS_POR_PAGINA
        visiveis = linhas[inicio : inicio + LINHAS_POR_PAGINA]
        paginacao = (
            _paginacao(ctx, pagina_atual, paginas, inicio, len(linhas)) if paginas > 1 else None
        )
    celulas = []
    for ln in visiveis:
        linha = []
        for c, v in zip(colunas, ln, strict=True):
            texto = (
                ""
                if v is None
                else formatos.saldo_dc(v)
                if c.saldo
                else formatos.brl(v)
                if c.dinheiro
                else formatos.data(v)
                if c.nome == "data"
                else str(v)
            )
            url = por_coluna[c.nome](ln) if c.nome in por_coluna and texto else ""
            linha.append((texto, url, c.dinheiro))
        celulas.append(linha)
    total = [
        (
            formatos.brl(
                lida.totais.get(c.nome, 0)
                if lida is not None
                else sum(ln[i] for ln in linhas if ln[i] is not None)
            )
            if c.soma
            else ""
        )
        for i, c in enumerate(colunas)
    ]
    return pagina(
        ctx,
        ctx.request,
        "tabela.html",
        titulo=titulo,
        colunas=colunas,
        celulas=celulas,
        total=total if linhas and any(c.soma for c in colunas) else None,
        filtros=filtros,
        antes=antes,
        erros=erros,
        consulta=ctx.request.url.query,
        acoes=acoes,
        resultado=resultado,
        paginacao=paginacao,
    )


LINHAS_POR_PAGINA = 500


class PaginaLida(NamedTuple):
    """Uma página que a consulta já leu sozinha do banco (o razão de uma conta):
    o número, se há outra depois e os totais do período inteiro por coluna."""

    numero: int
    ha_mais: bool
    totais: dict[str, int]


def pagina_pedida(ctx: Ctx) -> int:
    """O ``?pagina=`` da consulta (1 se ausente ou inválido)."""
    try:
        return max(1, int(ctx.request.query_params.get("pagina", "1")))
    except ValueError:
        return 1


def janela_pedida(ctx: Ctx) -> tuple[int, int, int]:
    """(número, deslocamento, tamanho) da página pedida, para a consulta que lê
    só ela do banco e a entrega a ``relatorio`` com uma ``PaginaLida``."""
    n = pagina_pedida(ctx)
    return n, (n - 1) * LINHAS_POR_PAGINA, LINHAS_POR_PAGINA


def _paginacao(ctx: Ctx, atual: int, paginas: int, inicio: int, total: int) -> dict[str, Any]:
    """Texto e links de anterior/próxima, com os mesmos filtros da consulta."""
    consulta = {k: v for k, v in ctx.request.query_params.items() if k != "pagina"}

    def url(n: int) -> str:
        return "?" + urlencode({**consulta, "pagina": n})

    fim = min(inicio + LINHAS_POR_PAGINA, total)
    return {
        "texto": f"Linhas {inicio + 1:_} a {fim:_} de {total:_} (página {atual} de {paginas}); "
        "os arquivos trazem todas.".replace("_", "."),
        "anterior": url(atual - 1) if atual > 1 else "",
        "proxima": url(atual + 1) if atual < paginas else "",
    }


def _paginacao_lida(ctx: Ctx, lida: PaginaLida) -> dict[str, Any] | None:
    """A navegação de uma ``PaginaLida``: sem o total de linhas, que pediria ler
    todas (é o que a página evita)."""
    if lida.numero == 1 and not lida.ha_mais:
        return None
    consulta = {k: v for k, v in ctx.request.query_params.items() if k != "pagina"}

    def url(n: int) -> str:
        return "?" + urlencode({**consulta, "pagina": n})

    return {
        "texto": f"Página {lida.numero}; os arquivos trazem todas as linhas.",
        "anterior": url(lida.numero - 1) if lida.numero > 1 else "",
        "proxima": url(lida.numero + 1) if lida.ha_mais else "",
    }


# ---------------------------------------------------------------- aplicação
def criar_app(engine: Engine, config: Config | None = None) -> FastAPI:
    """A aplicação web sobre o banco ``engine`` (esquema já atualizado)."""
    from erario.web import (
        cadastros,
        conciliacao,
        consolidacao,
        consultas,
        edicao,
        esfinge,
        fcont,
        lancar,
        siops,
        usuarios,
    )

    app = FastAPI(title="erario — interface web", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = Web(engine, config or Config())
    app.mount("/estatico", StaticFiles(directory=str(PASTA / "static")), name="estatico")

    @app.exception_handler(Entrar)
    async def _entrar(request: Request, exc: Entrar) -> Response:
        from urllib.parse import quote

        return RedirectResponse(f"/entrar?proximo={quote(exc.proximo)}", status_code=303)

    @app.exception_handler(Recusa)
    async def _recusa(request: Request, exc: Recusa) -> Response:
        return pagina(None, request, "erro.html", status=exc.status, erro=exc.erro)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        erro = Erro(
            "WEB-PAGINA", "página não encontrada" if exc.status_code == 404 else str(exc.detail)
        )
        return pagina(None, request, "erro.html", status=exc.status_code, erro=erro)

    @app.middleware("http")
    async def _cabecalhos(request: Request, chamar: Any) -> Response:
        resp: Response = await chamar(request)
        # Sem scripts de fora nem molduras: a página só carrega o que o erario serve.
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if request.url.path != "/entrar" and "text/html" in resp.headers.get("content-type", ""):
            resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.get("/entrar", response_class=HTMLResponse)
    def entrar(request: Request, proximo: str = "/") -> Response:
        pre = secrets.token_urlsafe(24)
        resp = pagina(None, request, "entrar.html", pre=pre, proximo=_seguro(proximo), erro=None)
        gravar_cookie(resp, app.state.web, COOKIE_PRE, pre, 900)
        return resp

    @app.post("/entrar", response_class=HTMLResponse)
    async def entrar_post(request: Request) -> Response:
        w: Web = app.state.web
        form = await request.form()
        login = str(form.get("login", "")).strip().lower()
        senha = str(form.get("senha", ""))
        proximo = _seguro(str(form.get("proximo", "/")))
        pre = str(form.get("pre", ""))

        def recusar(erro: Erro, status: int = 400) -> Response:
            novo = secrets.token_urlsafe(24)
            resp = pagina(
                None, request, "entrar.html", status=status, pre=novo, proximo=proximo,
                erro=erro, login=login,
            )  # fmt: skip
            gravar_cookie(resp, w, COOKIE_PRE, novo, 900)
            return resp

        cookie_pre = request.cookies.get(COOKIE_PRE, "")
        if not pre or not cookie_pre or not hmac.compare_digest(pre, cookie_pre):
            return recusar(Erro("WEB-CSRF", "formulário de entrada vencido: tente de novo"), 403)
        endereco = request.client.host if request.client else "?"
        espera = w.freio.reservar(login, endereco)
        if espera > 0:
            return recusar(
                Erro(
                    "WEB-FREIO",
                    f"muitas tentativas: espere {int(espera) + 1} s antes de tentar de novo",
                ),
                429,
            )
        u = armazem.usuario_por_login(w.engine, login) if login else None
        ok = conferir_senha(u.senha_hash if u else None, senha) and u is not None and u.ativo
        if not ok or u is None:
            w.freio.falhou(endereco)
            armazem.registrar_acao(w.engine, login or "?", None, "entrar", "falha", endereco)
            return recusar(Erro("WEB-LOGIN-INVALIDO", "login ou senha incorretos"), 401)
        w.freio.acertou(login)
        ficha = armazem.abrir_sessao(w.engine, u.id, w.config.relogio())
        armazem.registrar_acao(w.engine, login, None, "entrar", "ok", endereco)
        resp = RedirectResponse(proximo, status_code=303)
        gravar_cookie(resp, w, COOKIE, ficha, int(w.config.maxima))
        resp.delete_cookie(COOKIE_PRE, path="/")
        return resp

    @app.post("/sair")
    async def sair(request: Request) -> Response:
        s = sessao_de(request)
        await formulario(request, s)
        w: Web = app.state.web
        armazem.encerrar_sessao(w.engine, request.cookies.get(COOKIE, ""))
        armazem.registrar_acao(w.engine, s.usuario.login, None, "sair", "ok", "")
        resp = RedirectResponse("/entrar", status_code=303)
        resp.delete_cookie(COOKIE, path="/")
        return resp

    @app.get("/", response_class=HTMLResponse)
    def inicio(request: Request) -> Response:
        s = sessao_de(request)
        w: Web = app.state.web
        todas = w.repo.entidades()
        visiveis = set(entidades_visiveis(s.usuario, [e.slug for e in todas]))
        lista = [e for e in todas if e.slug in visiveis]
        if len(lista) == 1:
            return RedirectResponse(f"/e/{lista[0].slug}/", status_code=303)
        return pagina(None, request, "inicio.html", entidades=lista, usuario=s.usuario, csrf=s.csrf)

    app.include_router(consultas.rotas)
    app.include_router(lancar.rotas)
    app.include_router(cadastros.rotas)
    for modulo in (esfinge, siops, fcont, conciliacao, consolidacao, edicao, usuarios):
        app.include_router(modulo.rotas)
    return app


def _seguro(proximo: str) -> str:
    """Só caminhos locais (nada de redirecionar para outro site)."""
    return proximo if proximo.startswith("/") and not proximo.startswith("//") else "/"


def gravar_cookie(resp: Response, w: Web, nome: str, valor: str, idade: int) -> None:
    resp.set_cookie(
        nome,
        valor,
        max_age=idade,
        httponly=True,
        samesite="strict",
        secure=w.config.cookie_seguro,
        path="/",
    )


def bytes_de(escrever: Callable[[io.BytesIO], None]) -> bytes:
    b = io.BytesIO()
    escrever(b)
    return b.getvalue()
