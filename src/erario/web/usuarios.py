"""Usuários da interface web no navegador: listar, criar, papéis por entidade,
desativar/reativar e redefinir a senha (administrador), e cada um trocar a
própria senha (pedindo a atual).

As mesmas funções e regras de ``erario web usuario`` (``storage.web``:
``criar_usuario``, ``definir_papel``, ``ativar``, ``trocar_senha``, ``ler_papel``);
quem pode mexer em quem fica em ``web.acesso`` (``pode_conceder``, ``pode_gerir``).
Só a web tem um "si mesmo": o administrador não tira o próprio papel, não se
desativa nem redefine a própria senha por aqui (WEB-PROPRIO; a própria senha é
trocada em /senha, com a atual). Toda ação, feita ou recusada, vai à trilha."""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from erario.api.seguranca import conferir_senha
from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import web as armazem
from erario.storage.web import Papel, Usuario
from erario.web.acesso import (
    Acao,
    administra_todas,
    entidades_visiveis,
    pode_conceder,
    pode_gerir,
    ve_usuario,
)
from erario.web.app import (
    COOKIE,
    Ctx,
    Recusa,
    contexto,
    formulario,
    gravar_cookie,
    pagina,
    separar_erros,
    sessao_de,
    web_de,
)

rotas = APIRouter()

TODAS = "*"  # valor do formulário para "todas as entidades" (no armazenamento, "")
CAMPOS_NOVO = ("login", "nome", "senha", "senha2", "papel", "entidade")


def _confirmacao(senha: str, repetida: str) -> list[Erro]:
    # A CLI pede a senha duas vezes (typer); aqui, o segundo campo.
    if hmac.compare_digest(senha.encode(), repetida.encode()):
        return []
    return [Erro("WEB-SENHA-CONFIRMACAO", "a confirmação não confere com a senha", "senha2")]


def _papeis_visiveis(admin: Usuario, alvo: Usuario) -> tuple[list[tuple[str, Papel]], int]:
    """Os papéis de ``alvo`` nas entidades que ``admin`` administra (e em todas), e
    quantos ficam em outras entidades (que ele não vê)."""
    meus = [(s, p) for s, p in sorted(alvo.papeis.items()) if s == "" or pode_conceder(admin, s)]
    return meus, len(alvo.papeis) - len(meus)


def _texto_papeis(admin: Usuario, alvo: Usuario) -> str:
    meus, outros = _papeis_visiveis(admin, alvo)
    texto = ", ".join(f"{p.value} em {s or 'todas'}" for s, p in meus) or "nenhum"
    return texto + (f" (e {outros} em outras entidades)" if outros else "")


def _entidades_que_concede(ctx: Ctx) -> list[tuple[str, str]]:
    """(valor, rótulo) das entidades em que o administrador dá papel."""
    admin = ctx.sessao.usuario
    todas = ctx.repo.entidades()
    opcoes = [(TODAS, "todas as entidades")] if administra_todas(admin) else []
    return opcoes + [
        (e.slug, f"{e.slug} — {e.nome}") for e in todas if pode_conceder(admin, e.slug)
    ]


def _registrar(ctx: Ctx, acao: str, resultado: str, detalhe: str) -> None:
    armazem.registrar_acao(ctx.web.engine, ctx.login, ctx.slug, f"usuario:{acao}", resultado,
                           detalhe[:2000])  # fmt: skip


# -------------------------------------------------------------------- lista
def _tela_lista(ctx: Ctx, status: int = 200, **dados: Any) -> Response:
    admin = ctx.sessao.usuario
    lista = [
        (u, _texto_papeis(admin, u), pode_gerir(admin, u))
        for u in armazem.usuarios(ctx.web.engine)
        if ve_usuario(admin, u)
    ]
    base: dict[str, Any] = {"valores": {"papel": "consulta", "entidade": []},
                            "por_campo": {}, "gerais": [], "resultado": ""}  # fmt: skip
    return pagina(
        ctx, ctx.request, "usuarios.html", status=status, lista=lista,
        entidades=_entidades_que_concede(ctx), papeis=[p.value for p in Papel],
        **(base | dados),
    )  # fmt: skip


@rotas.get("/e/{slug}/usuarios")
def lista(request: Request, slug: str, feito: str = "") -> Response:
    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    return _tela_lista(ctx, resultado=feito)


@rotas.post("/e/{slug}/usuarios")
async def criar(request: Request, slug: str) -> Response:
    """``erario web usuario criar``: login, nome, senha (duas vezes) e um papel nas
    entidades marcadas (só nas que o administrador administra)."""
    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    form = await formulario(request, ctx.sessao)
    admin = ctx.sessao.usuario
    login = str(form.get("login", "")).strip().lower()
    nome = str(form.get("nome", "")).strip()
    senha, senha2 = str(form.get("senha", "")), str(form.get("senha2", ""))
    marcadas = [str(x) for x in form.getlist("entidade")]
    slugs = ["" if s == TODAS else s for s in marcadas]
    erros: list[Erro] = []
    papel: Papel | None = None
    try:
        papel = armazem.ler_papel(str(form.get("papel", "")))
    except OperacaoRecusada as exc:
        erros += exc.erros
    erros += [
        Erro("WEB-ACESSO", f"{admin.login} não administra '{s or 'todas as entidades'}': "
             "não pode dar papel nela", "entidade")
        for s in slugs if not pode_conceder(admin, s)
    ]  # fmt: skip
    erros += _confirmacao(senha, senha2)
    papeis = {s: papel for s in slugs} if papel is not None else {}
    if erros:  # junta os problemas do cadastro: todos de uma vez, nada gravado
        erros += [
            e for e in armazem.conferir_novo_usuario(ctx.web.engine, login, senha, papeis)
            if papel is not None or e.regra != "WEB-PAPEL"
        ]  # fmt: skip
    else:
        try:
            armazem.criar_usuario(ctx.web.engine, login, nome, senha, papeis)
        except OperacaoRecusada as exc:
            erros = exc.erros
    if erros:
        _registrar(ctx, "criar", "recusado", f"{login}: " + "; ".join(str(e) for e in erros))
        por_campo, gerais = separar_erros(erros, CAMPOS_NOVO)
        valores = {"login": login, "nome": nome, "papel": str(form.get("papel", "")),
                   "entidade": marcadas}  # fmt: skip
        return _tela_lista(ctx, 422, valores=valores, por_campo=por_campo, gerais=gerais)
    assert papel is not None
    feito = (
        f"Usuário {login} criado: {papel.value} em "
        + ", ".join(s or "todas as entidades" for s in slugs)
        + "."
    )
    _registrar(ctx, "criar", "ok", feito)
    return RedirectResponse(f"/e/{slug}/usuarios?feito={quote(feito)}", status_code=303)


# ------------------------------------------------------------------ um usuário
def _alvo(ctx: Ctx, login: str) -> Usuario:
    """O usuário, se o administrador o vê; senão 404 (a mesma resposta para quem não
    existe: a página não revela usuários de outras entidades)."""
    alvo = armazem.usuario_por_login(ctx.web.engine, login)
    if alvo is None or not ve_usuario(ctx.sessao.usuario, alvo):
        raise Recusa(404, Erro("WEB-USUARIO", f"usuário '{login}' inexistente ou fora das "
                                              "entidades que você administra"))  # fmt: skip
    return alvo


def _tela_usuario(ctx: Ctx, alvo: Usuario, status: int = 200, **dados: Any) -> Response:
    admin = ctx.sessao.usuario
    meus, outros = _papeis_visiveis(admin, alvo)
    base: dict[str, Any] = {"por_campo": {}, "gerais": [], "resultado": ""}
    return pagina(
        ctx, ctx.request, "usuario.html", status=status, alvo=alvo, meus=meus, outros=outros,
        gerir=pode_gerir(admin, alvo), proprio=alvo.id == admin.id,
        entidades=_entidades_que_concede(ctx), papeis=[p.value for p in Papel],
        **(base | dados),
    )  # fmt: skip


@rotas.get("/e/{slug}/usuarios/{login}")
def usuario(request: Request, slug: str, login: str, feito: str = "") -> Response:
    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    return _tela_usuario(ctx, _alvo(ctx, login), resultado=feito)


async def _acao_em(request: Request, slug: str, login: str) -> tuple[Ctx, Usuario, Any]:
    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    form = await formulario(request, ctx.sessao)
    return ctx, _alvo(ctx, login), form


def _recusar(ctx: Ctx, alvo: Usuario, acao: str, erros: list[Erro], campos: tuple[str, ...],
             status: int = 422) -> Response:  # fmt: skip
    _registrar(ctx, acao, "recusado", f"{alvo.login}: " + "; ".join(str(e) for e in erros))
    por_campo, gerais = separar_erros(erros, campos)
    return _tela_usuario(ctx, alvo, status, por_campo=por_campo, gerais=gerais)


def _feito(ctx: Ctx, alvo: Usuario, acao: str, feito: str) -> Response:
    _registrar(ctx, acao, "ok", feito)
    return RedirectResponse(
        f"/e/{ctx.slug}/usuarios/{quote(alvo.login)}?feito={quote(feito)}", status_code=303
    )


def _proprio(alvo: Usuario, ctx: Ctx, o_que: str) -> list[Erro]:
    if alvo.id != ctx.sessao.usuario.id:
        return []
    return [Erro("WEB-PROPRIO", f"você não pode {o_que} de si mesmo por aqui: peça a outro "
                                "administrador (a própria senha se troca em 'Minha senha')")]  # fmt: skip


@rotas.post("/e/{slug}/usuarios/{login}/papel")
async def papel(request: Request, slug: str, login: str) -> Response:
    """``erario web usuario papel``: dá, troca ou (``nenhum``) tira o papel numa entidade."""
    ctx, alvo, form = await _acao_em(request, slug, login)
    marcada = str(form.get("entidade", "")).strip()
    ent = "" if marcada == TODAS else marcada
    erros = _proprio(alvo, ctx, "mudar os papéis")
    novo: Papel | None = None
    try:
        novo = armazem.ler_papel(str(form.get("papel", "")), aceitar_nenhum=True)
    except OperacaoRecusada as exc:
        erros += exc.erros
    if not pode_conceder(ctx.sessao.usuario, ent):
        erros.append(Erro("WEB-ACESSO", f"{ctx.login} não administra '{ent or 'todas as entidades'}'"
                                        ": não pode dar nem tirar papel nela", "entidade"))  # fmt: skip
    if not erros:
        try:
            armazem.definir_papel(ctx.web.engine, alvo.login, ent, novo)
        except OperacaoRecusada as exc:
            erros = exc.erros
    if erros:
        return _recusar(ctx, alvo, "papel", erros, ("entidade", "papel"))
    onde = ent or "todas as entidades"
    return _feito(ctx, alvo, "papel", f"Papel de {alvo.login} em {onde}: "
                                      f"{novo.value if novo else 'nenhum'}.")  # fmt: skip


@rotas.post("/e/{slug}/usuarios/{login}/ativo")
async def ativo(request: Request, slug: str, login: str) -> Response:
    """``erario web usuario desativar``/``ativar``: desativado não entra e perde as sessões."""
    ctx, alvo, form = await _acao_em(request, slug, login)
    ligar = str(form.get("ativo", "")) == "1"
    acao = "ativar" if ligar else "desativar"
    if not pode_gerir(ctx.sessao.usuario, alvo):
        return _recusar(ctx, alvo, acao, [_sem_gerir(ctx, alvo)], (), 403)
    erros = _proprio(alvo, ctx, "desativar nem reativar a conta")
    if not erros:
        try:
            armazem.ativar(ctx.web.engine, alvo.login, ligar)
        except OperacaoRecusada as exc:
            erros = exc.erros
    if erros:
        return _recusar(ctx, alvo, acao, erros, ())
    feito = f"Usuário {alvo.login} " + (
        "reativado." if ligar else "desativado; sessões encerradas."
    )
    return _feito(ctx, alvo, acao, feito)


def _sem_gerir(ctx: Ctx, alvo: Usuario) -> Erro:
    return Erro("WEB-ACESSO", f"{ctx.login} não administra todas as entidades de {alvo.login}: "
                              "só quem as administra desativa ou redefine a senha")  # fmt: skip


@rotas.post("/e/{slug}/usuarios/{login}/senha")
async def redefinir_senha(request: Request, slug: str, login: str) -> Response:
    """``erario web usuario senha``: senha nova (duas vezes); as sessões do usuário caem."""
    ctx, alvo, form = await _acao_em(request, slug, login)
    if not pode_gerir(ctx.sessao.usuario, alvo):
        return _recusar(ctx, alvo, "senha", [_sem_gerir(ctx, alvo)], (), 403)
    senha, senha2 = str(form.get("senha", "")), str(form.get("senha2", ""))
    erros = _proprio(alvo, ctx, "redefinir a senha") + _confirmacao(senha, senha2)
    erros += [] if erros else armazem.conferir_senha_nova(senha)
    if not erros:
        try:
            armazem.trocar_senha(ctx.web.engine, alvo.login, senha)
        except OperacaoRecusada as exc:
            erros = exc.erros
    if erros:
        return _recusar(ctx, alvo, "senha", erros, ("senha", "senha2"))
    return _feito(ctx, alvo, "senha", f"Senha de {alvo.login} redefinida; sessões encerradas.")


# ------------------------------------------------------------- a própria senha
CAMPOS_SENHA = ("atual", "senha", "senha2")


def _tela_senha(request: Request, sessao: armazem.Sessao, status: int = 200,
                **dados: Any) -> Response:  # fmt: skip
    w = web_de(request)
    todas = [e.slug for e in w.repo.entidades()]
    volta = entidades_visiveis(sessao.usuario, todas)
    base: dict[str, Any] = {"por_campo": {}, "gerais": [], "resultado": ""}
    return pagina(
        None, request, "senha.html", status=status, usuario=sessao.usuario, csrf=sessao.csrf,
        volta=f"/e/{volta[0]}/" if len(volta) == 1 else "/", **(base | dados),
    )  # fmt: skip


@rotas.get("/senha")
def minha_senha(request: Request, feito: str = "") -> Response:
    return _tela_senha(request, sessao_de(request), resultado=feito)


@rotas.post("/senha")
async def minha_senha_post(request: Request) -> Response:
    """Troca a própria senha: confere a atual (com o freio de login, como a entrada),
    a nova pelas regras de ``trocar_senha``; as outras sessões caem e esta é
    renovada."""
    s = sessao_de(request)
    form = await formulario(request, s)
    w = web_de(request)
    u = s.usuario
    atual = str(form.get("atual", ""))
    senha, senha2 = str(form.get("senha", "")), str(form.get("senha2", ""))
    endereco = request.client.host if request.client else "?"
    espera = w.freio.reservar(u.login, endereco)
    erros: list[Erro] = []
    if espera > 0:
        erros.append(Erro("WEB-FREIO", f"muitas tentativas: espere {int(espera) + 1} s antes de "
                                       "tentar de novo"))  # fmt: skip
    elif not conferir_senha(u.senha_hash, atual):
        w.freio.falhou(endereco)
        erros.append(Erro("WEB-SENHA-ATUAL", "senha atual incorreta", "atual"))
    else:
        w.freio.acertou(u.login)
    erros += _confirmacao(senha, senha2) + armazem.conferir_senha_nova(senha)
    if not erros:
        try:
            armazem.trocar_senha(w.engine, u.login, senha)
        except OperacaoRecusada as exc:
            erros = exc.erros
    if erros:
        armazem.registrar_acao(w.engine, u.login, None, "senha:propria", "recusado",
                               "; ".join(str(e) for e in erros))  # fmt: skip
        por_campo, gerais = separar_erros(erros, CAMPOS_SENHA)
        return _tela_senha(request, s, 422 if espera <= 0 else 429, por_campo=por_campo,
                           gerais=gerais)  # fmt: skip
    armazem.registrar_acao(w.engine, u.login, None, "senha:propria", "ok",
                           "senha trocada; outras sessões encerradas")  # fmt: skip
    # trocar_senha encerrou todas as sessões, esta também: abre outra para seguir.
    ficha = armazem.abrir_sessao(w.engine, u.id, w.config.relogio())
    resp = RedirectResponse(f"/senha?feito={quote('Senha trocada; as outras sessões foram encerradas.')}",
                            status_code=303)  # fmt: skip
    gravar_cookie(resp, w, COOKIE, ficha, int(w.config.maxima))
    return resp
