"""Obrigações › SPED FCONT (entidades do tipo empresa): escriturações (listar,
criar), gerar o arquivo (download; guarda o hash, como ``erario fcont gerar``),
validar um arquivo com as violações (``erario fcont validar``) e marcar entregue
(``erario fcont escrituracao entregar``). As mesmas funções de ``storage.fcont``,
``fcont.escrituracao``, ``fcont.escrita`` e ``fcont.regras_controle``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao
from erario.web.app import Ctx, contexto, formulario, pagina, separar_erros

rotas = APIRouter()

CAMPOS_CRIAR = (
    "ano", "inicio", "fim", "signatarios", "uf", "ie", "im", "forma_apuracao",
    "forma_tributacao", "trimestres", "contrapartida_ef", "recibo_anterior",
)  # fmt: skip


def _tela(ctx: Ctx, status: int = 200, **dados: Any) -> Response:
    from erario.storage import fcont as st

    empresa: Erro | None = None
    try:
        st.empresa(ctx.repo, ctx.slug)
        lista = st.escrituracoes(ctx.repo, ctx.slug)
    except OperacaoRecusada as exc:
        empresa, lista = exc.erros[0], []
    base: dict[str, Any] = {
        "erros": [], "por_campo": {}, "valores": {}, "resultado": "", "violacoes": None,
        "avisos": [], "validado": "", "completa": True,
    }  # fmt: skip
    return pagina(
        ctx, ctx.request, "fcont.html", status=status, escrituracoes=lista,
        nao_empresa=empresa, **(base | dados),
    )  # fmt: skip


@rotas.get("/e/{slug}/obrigacoes/fcont")
def fcont(request: Request, slug: str, feito: str = "") -> Response:
    ctx = contexto(request, slug)
    return _tela(ctx, resultado=feito, valores={"ano": str(dt.date.today().year)})


def _texto(form: FormData, nome: str) -> str:
    return str(form.get(nome, "")).strip()


@rotas.post("/e/{slug}/obrigacoes/fcont/criar")
async def criar(request: Request, slug: str) -> Response:
    """``erario fcont escrituracao criar``: dados do 0000, M020 e J930; todos os
    problemas numa só recusa, cada um junto do seu campo."""
    from erario.fcont.escrituracao import Escrituracao, ler_signatario
    from erario.storage import fcont as st

    ctx = contexto(request, slug, Acao.CADASTRAR)
    form = await formulario(request, ctx.sessao)
    valores = {c: _texto(form, c) for c in CAMPOS_CRIAR}
    erros: list[Erro] = []
    ano = int(valores["ano"]) if valores["ano"].isdigit() else 0
    if not 2010 <= ano <= 9999:
        erros.append(Erro("WEB-PERIODO", f"ano '{valores['ano']}' inválido: use AAAA", "ano"))
    datas: dict[str, dt.date] = {}
    for campo, padrao in (("inicio", (1, 1)), ("fim", (12, 31))):
        if valores[campo]:
            try:
                datas[campo] = formatos.data_br(valores[campo])
            except ValueError as exc:
                erros.append(Erro("WEB-DATA", str(exc), campo))
        elif ano:
            datas[campo] = dt.date(ano, *padrao)
    if "inicio" in datas and ano and datas["inicio"].year != ano:
        erros.append(
            Erro("WEB-PERIODO", f"o início {datas['inicio']:%d/%m/%Y} não é de {ano}", "inicio")
        )
    linhas = [x for x in valores["signatarios"].splitlines() if x.strip()]
    if erros:
        return _recusa(ctx, erros, valores)
    e = Escrituracao(
        entidade=slug,
        inicio=datas["inicio"],
        fim=datas["fim"],
        signatarios=tuple(ler_signatario(x) for x in linhas),
        uf=valores["uf"].upper(),
        ie=valores["ie"],
        im=valores["im"],
        forma_apuracao=(valores["forma_apuracao"] or "A").upper(),
        forma_tributacao=valores["forma_tributacao"] or "1",
        retificadora=bool(valores["recibo_anterior"]),
        recibo_anterior=valores["recibo_anterior"],
        trimestres=valores["trimestres"],
        contrapartida_ef=valores["contrapartida_ef"],
    )
    try:
        st.criar_escrituracao(ctx.repo, e, usuario=f"web:{ctx.login}")
    except OperacaoRecusada as exc:
        return _recusa(ctx, exc.erros, valores)
    feito = f"Escrituração FCONT criada: {e.inicio:%d/%m/%Y} a {e.fim:%d/%m/%Y}."
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "fcont:criar", "ok", feito)
    from urllib.parse import quote

    return RedirectResponse(f"/e/{slug}/obrigacoes/fcont?feito={quote(feito)}", status_code=303)


def _recusa(ctx: Ctx, erros: list[Erro], valores: dict[str, str]) -> Response:
    campos = CAMPOS_CRIAR
    # Os problemas dos signatários (J930) ficam junto da caixa dos signatários.
    erros = [
        Erro(e.regra, f"{e.campo}: {e.mensagem}" if e.campo else e.mensagem, "signatarios")
        if (e.campo or "").startswith("signat") or e.regra == "FCONT-SIGNATARIO"
        else e
        for e in erros
    ]
    por_campo, gerais = separar_erros(erros, campos)
    armazem.registrar_acao(
        ctx.web.engine, ctx.login, ctx.slug, "fcont:criar", "recusado",
        "; ".join(str(e) for e in erros[:20]),
    )  # fmt: skip
    return _tela(ctx, 422, erros=gerais, por_campo=por_campo, valores=valores,
                 criar_recusado=True)  # fmt: skip


def _ano_form(form: FormData) -> int | None:
    t = _texto(form, "ano")
    return int(t) if t.isdigit() else None


@rotas.post("/e/{slug}/obrigacoes/fcont/gerar")
async def gerar(request: Request, slug: str) -> Response:
    """``erario fcont gerar``: monta do razão, escreve e guarda o hash do arquivo; o
    arquivo vem para download. Escrituração que não monta: a tela com os problemas."""
    from erario.fcont.escrita import escrever
    from erario.storage import fcont as st

    ctx = contexto(request, slug, Acao.CADASTRAR)
    form = await formulario(request, ctx.sessao)
    ano = _ano_form(form)
    if ano is None:
        return _tela(ctx, 422, erros=[Erro("WEB-PERIODO", "escolha a escrituração (ano)")])
    try:
        e, arquivo = st.montar(ctx.repo, slug, ano)
    except OperacaoRecusada as exc:
        return _tela(ctx, 422, violacoes=exc.erros, validado=f"geração de {ano}")
    conteudo = escrever(arquivo)
    sha = st.registrar_geracao(ctx.repo, e, conteudo)
    armazem.registrar_acao(
        ctx.web.engine, ctx.login, slug, "fcont:gerar", "ok", f"{ano}: SHA-256 {sha}"
    )
    return Response(
        conteudo,
        media_type="text/plain; charset=iso-8859-1",
        headers={"Content-Disposition": f'attachment; filename="fcont-{slug}-{ano}.txt"'},
    )


async def _arquivo(form: FormData, nome: str = "arquivo") -> tuple[str, bytes] | None:
    enviado = form.get(nome)
    if isinstance(enviado, UploadFile) and enviado.filename:
        return enviado.filename, await enviado.read()
    return None


@rotas.post("/e/{slug}/obrigacoes/fcont/validar")
async def validar(request: Request, slug: str) -> Response:
    """``erario fcont validar``: as regras do Anexo I sobre o arquivo enviado; nada gravado."""
    from erario.fcont.regras_controle import validar as validar_fcont

    ctx = contexto(request, slug)
    form = await formulario(request, ctx.sessao)
    arq = await _arquivo(form)
    if arq is None:
        return _tela(
            ctx, 422, por_campo={"arquivo": ["[WEB-ARQUIVO] escolha o arquivo FCONT (.txt)"]}
        )
    nome, bruto = arq
    v = validar_fcont(bruto, entrada=bool(form.get("entrada")))
    return _tela(
        ctx, 422 if v.erros else 200, violacoes=v.erros, avisos=[str(a) for a in v.avisos],
        validado=nome, completa=v.completa,
    )  # fmt: skip


@rotas.post("/e/{slug}/obrigacoes/fcont/entregar")
async def entregar(request: Request, slug: str) -> Response:
    """``erario fcont escrituracao entregar`` (administrador): o arquivo entregue deve
    ser o último gerado (mesmo SHA-256) e o recibo é obrigatório."""
    from erario.storage import fcont as st

    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    form = await formulario(request, ctx.sessao)
    ano = _ano_form(form)
    recibo = _texto(form, "recibo_entrega")
    arq = await _arquivo(form, "arquivo_entregue")
    erros: list[Erro] = []
    if ano is None:
        erros.append(Erro("WEB-PERIODO", "escolha a escrituração (ano)"))
    if arq is None:
        erros.append(
            Erro("WEB-ARQUIVO", "escolha o arquivo entregue (o último gerado)", "arquivo_entregue")
        )
    if not erros:
        assert ano is not None and arq is not None
        try:
            e = st.entregar(ctx.repo, slug, ano, recibo, arq[1], usuario=f"web:{ctx.login}")
        except OperacaoRecusada as exc:
            erros = exc.erros
    if erros:
        por_campo, gerais = separar_erros(
            [Erro(x.regra, x.mensagem, "recibo_entrega" if x.campo == "recibo" else x.campo)
             for x in erros],
            ("recibo_entrega", "arquivo_entregue"),
        )  # fmt: skip
        armazem.registrar_acao(
            ctx.web.engine, ctx.login, slug, "fcont:entregar", "recusado",
            "; ".join(str(x) for x in erros),
        )  # fmt: skip
        return _tela(ctx, 422, erros=gerais, por_campo=por_campo, recibo=recibo, ano_entrega=ano)
    feito = f"Escrituração FCONT de {ano} entregue: recibo {e.recibo}."
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "fcont:entregar", "ok", feito)
    from urllib.parse import quote

    return RedirectResponse(f"/e/{slug}/obrigacoes/fcont?feito={quote(feito)}", status_code=303)
