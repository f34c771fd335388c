"""Consolidação: competências das entidades do município, balancetes
incorporados (versões guardadas), marcar uma entidade como incorporada, o
balancete consolidado com a eliminação intra-OFSS e as ações com o servidor de
dados on-line (abrir competências, exportar/importar o orçamento e os
balancetes, situação). As mesmas funções de ``erario consolidacao``
(``storage.consolidacao``, ``consolidacao.*``; as ações com o servidor, em
``api.operacoes``: aqui só o formulário e a página do resultado).

Servidor on-line: endereço, e-mail e senha vêm do formulário a cada ação, como
``--servidor/--email/--senha`` da CLI; a senha só vive na requisição (não é
gravada nem volta na página); endereço e e-mail ficam num cookie para a próxima
vez. ``http://`` fora do loopback só com "aceitar http" (CON-HTTP, como
``--aceitar-http``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from erario.core.erros import Erro, OperacaoRecusada
from erario.relatorios.tabela import Coluna
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao, pode
from erario.web.app import (
    Ctx,
    arquivo,
    contexto,
    formulario,
    pagina,
    relatorio,
    separar_erros,
)

if TYPE_CHECKING:
    from erario.api.operacoes import Resultado

rotas = APIRouter()


def _municipio(ctx: Ctx) -> tuple[list[Any], list[Any]]:
    """(locais, incorporadas) do município da entidade."""
    ibge = ctx.repo.entidade(ctx.slug).ibge
    todas = [e for e in ctx.repo.entidades() if e.ibge == ibge]
    return [e for e in todas if not e.incorporada], [e for e in todas if e.incorporada]


def _tela(ctx: Ctx, ano: int, status: int = 200, **dados: Any) -> Response:
    from erario.storage.consolidacao import incorporados

    locais, incorporadas = _municipio(ctx)
    guardados = incorporados(ctx.repo, ano)
    por_ent: dict[str, dict[int, Any]] = {}
    for g in guardados:
        por_ent.setdefault(g["slug"], {})[g["mes"]] = g
    competencias = {e.slug: {c.mes: c.situacao.value for c in ctx.repo.competencias(e.slug, ano)}
                    for e in locais}  # fmt: skip
    base: dict[str, Any] = {
        "erros": [], "resultado": "", "srv": _lembrado(ctx.request) | {"ano": str(ano)},
        "srv_por_campo": {}, "srv_erros": [], "srv_feitos": [], "situacao": None,
        "srv_acoes": _acoes_da_pagina(ctx),
    }  # fmt: skip
    return pagina(
        ctx, ctx.request, "consolidacao.html", status=status, ano=ano, locais=locais,
        incorporadas=incorporadas, guardados=guardados, por_ent=por_ent,
        competencias=competencias, **(base | dados),
    )  # fmt: skip


@rotas.get("/e/{slug}/consolidacao")
def consolidacao(request: Request, slug: str, ano: str | None = None, feito: str = "") -> Response:
    from erario.web.consultas import ano_padrao

    ctx = contexto(request, slug)
    return _tela(ctx, ano_padrao(ctx, ano), resultado=feito)


@rotas.post("/e/{slug}/consolidacao/incorporar")
async def incorporar(request: Request, slug: str) -> Response:
    """``erario consolidacao incorporar ENTIDADE`` (administrador da entidade da página
    e da entidade marcada): recusa a Prefeitura e entidade com razão aqui."""
    from erario.storage.consolidacao import marcar_incorporada
    from erario.web.consultas import ano_padrao

    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    form = await formulario(request, ctx.sessao)
    alvo = str(form.get("entidade", "")).strip()
    ano = ano_padrao(ctx, str(form.get("ano", "")))
    locais, _ = _municipio(ctx)
    if alvo not in {e.slug for e in locais} or not pode(ctx.sessao.usuario, alvo, Acao.ADMINISTRAR):
        return _tela(ctx, ano, 403, erros=[Erro(
            "WEB-ACESSO", f"{ctx.login} não administra a entidade '{alvo}' deste município")])  # fmt: skip
    try:
        e = marcar_incorporada(ctx.repo, alvo)
    except OperacaoRecusada as exc:
        armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "consolidacao:incorporar",
                               "recusado", "; ".join(str(x) for x in exc.erros))  # fmt: skip
        return _tela(ctx, ano, 422, erros=exc.erros)
    feito = (f"{e.slug} ({formatos.documento(e.cnpj)}) é entidade incorporada: a LOA dela entra "
             "sem lançamentos e o balancete vem do servidor.")  # fmt: skip
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "consolidacao:incorporar", "ok", feito)
    return RedirectResponse(
        f"/e/{slug}/consolidacao?ano={ano}&feito={quote(feito)}", status_code=303
    )


@rotas.get("/e/{slug}/consolidacao/balancete")
def balancete(request: Request, slug: str) -> Response:
    """``erario consolidacao balancete``: entidades locais escolhidas (só as que o
    usuário vê), as incorporadas, eliminação intra-OFSS e coluna por entidade."""
    from erario.consolidacao.balancetes import colunas
    from erario.razao.balancete import conferir_balancete
    from erario.relatorios import balancete as rel
    from erario.storage.consolidacao import consolidado
    from erario.web.consultas import ano_padrao, periodo

    ctx = contexto(request, slug)
    qp = request.query_params
    locais, _ = _municipio(ctx)
    visiveis = [e.slug for e in locais if pode(ctx.sessao.usuario, e.slug, Acao.CONSULTAR)]
    # Padrão: as entidades do plano da página (a empresa com plano próprio fica de fora).
    plano = ctx.repo.entidade(slug).plano
    escolhidas = [s for s in qp.getlist("entidade") if s] or [
        e.slug for e in locais if e.slug in visiveis and e.plano == plano
    ]
    ano, inicio, fim, erros = periodo(ctx, ano_padrao(ctx, qp.get("ano")))
    for s in escolhidas:
        if s not in visiveis:
            erros.append(
                Erro("WEB-ACESSO", f"sem acesso à entidade '{s}' deste município", "entidade")
            )
    opcoes = {k: qp.get(k) == "1" for k in ("incorporados", "eliminar_intra", "por_entidade", "cc")}
    c = None
    if not erros:
        try:
            c = consolidado(
                ctx.repo, escolhidas, ano, inicio, fim, com_incorporados=opcoes["incorporados"],
                por_conta_corrente=opcoes["cc"], eliminar_intra=opcoes["eliminar_intra"],
                nivel_maximo=int(qp["nivel"]) if qp.get("nivel", "").isdigit() else None,
            )  # fmt: skip
        except OperacaoRecusada as exc:
            erros = exc.erros
    titulo = f"Balancete consolidado — {ano}"
    formato = qp.get("formato", "")
    if c is not None and opcoes["por_entidade"]:
        cols = [
            Coluna("conta", "Conta"), Coluna("titulo", "Título"),
            Coluna("conta_corrente", "Conta corrente"),
            *(Coluna(f"saldo_{e}", e, dinheiro=True, saldo=True) for e in c.balancete.entidades),
            Coluna("eliminado", "Eliminado", dinheiro=True, saldo=True),
            Coluna("consolidado", "Consolidado", dinheiro=True, saldo=True),
        ]  # fmt: skip
        linhas = [[ln.codigo, ln.titulo, ln.conta_corrente, *ln.por_entidade, ln.eliminado,
                   ln.consolidado] for ln in colunas(c)]  # fmt: skip
        return relatorio(ctx, f"{titulo}, saldo atual por entidade", cols, linhas,
                         "balancete-consolidado-por-entidade", filtros="filtros_consolidacao.html",
                         erros=erros)  # fmt: skip
    if c is not None and formato in ("csv", "xlsx", "pdf"):
        if formato == "csv":
            return arquivo("balancete-consolidado", "csv", rel.para_csv(c.balancete).encode())
        with tempfile.TemporaryDirectory() as pasta:
            caminho = Path(pasta) / f"b.{formato}"
            (rel.para_xlsx if formato == "xlsx" else rel.para_pdf)(c.balancete, caminho, titulo)
            return arquivo("balancete-consolidado", formato, caminho.read_bytes())
    de, ate = f"{inicio:02d}/{ano}", f"{fim:02d}/{ano}"
    return pagina(
        ctx, request, "consolidacao_balancete.html", status=422 if erros else 200, titulo=titulo,
        c=c, b=c.balancete if c else None, erros=erros, de=qp.get("de", de),
        ate=qp.get("ate", ate), locais=[e for e in locais if e.slug in visiveis],
        escolhidas=escolhidas, opcoes=opcoes, periodo=rel.periodo_descricao(c.balancete) if c else "",
        problemas=conferir_balancete(c.balancete) if c else [],
        elim_problemas=c.eliminacao.erros() if c and c.eliminacao else [],
        consulta=request.url.query,
    )  # fmt: skip


# ------------------------------------------------------ servidor de dados on-line
COOKIE_SERVIDOR = "erario_servidor"  # endereço e e-mail da última ação (nunca a senha)
CAMPOS_SERVIDOR = ("servidor", "email", "senha", "ano", "de", "ate")


class AcaoServidor(NamedTuple):
    rotulo: str
    papel: Acao  # papel mínimo na entidade da página
    prefeitura: bool | None  # só da Prefeitura (True), só das outras (False) ou de todas


# Quem faz o quê, como ``erario consolidacao …``: a Prefeitura abre as competências
# (publica o plano), exporta a LOA do município e importa os balancetes recebidos;
# Câmara e RPPS importam a LOA e exportam o balancete. O botão só aparece onde
# cabe; o POST direto passa pelas mesmas recusas do núcleo (CON-*).
ACOES_SERVIDOR: Final[dict[str, AcaoServidor]] = {
    "situacao": AcaoServidor("Situação do servidor", Acao.CONSULTAR, None),
    "abrir_competencias": AcaoServidor("Abrir competências e publicar o plano",
                                       Acao.ADMINISTRAR, True),
    "exportar_orcamento": AcaoServidor("Exportar o orçamento (LOA do município)",
                                       Acao.LANCAR, True),
    "importar_balancetes": AcaoServidor("Importar os balancetes recebidos", Acao.LANCAR, True),
    "importar_orcamento": AcaoServidor("Importar o orçamento da Prefeitura", Acao.LANCAR, False),
    "exportar_balancete": AcaoServidor("Exportar o balancete", Acao.LANCAR, False),
}  # fmt: skip


def _acoes_da_pagina(ctx: Ctx) -> list[tuple[str, str]]:
    """(ação, rótulo) dos botões: o papel do usuário e o tipo da entidade da página."""
    from erario.razao.modelo import TipoEntidade

    prefeitura = ctx.repo.entidade(ctx.slug).tipo == TipoEntidade.PREFEITURA
    return [
        (k, a.rotulo)
        for k, a in ACOES_SERVIDOR.items()
        if pode(ctx.sessao.usuario, ctx.slug, a.papel)
        and (a.prefeitura is None or a.prefeitura == prefeitura)
    ]


def _lembrado(request: Request) -> dict[str, str]:
    """Endereço e e-mail da última ação (cookie), ou o endereço de $ERARIO_SERVIDOR."""
    import os
    from urllib.parse import parse_qs

    q = parse_qs(request.cookies.get(COOKIE_SERVIDOR, ""))
    return {
        "servidor": (q.get("servidor") or [os.environ.get("ERARIO_SERVIDOR", "")])[0],
        "email": (q.get("email") or [""])[0],
    }


class _Pedido(NamedTuple):
    servidor: str
    email: str
    senha: str
    aceitar_http: bool
    ano: int | None
    meses: list[int]  # exportar balancete: de … até


def _endereco_invalido(servidor: str) -> str | None:
    """O motivo de o endereço não ser URL (porta que não é número…), ou None."""
    import httpx

    try:
        httpx.URL(servidor)
    except httpx.InvalidURL as exc:
        return str(exc)
    return None


def _ler_pedido(form: Any, acao: str) -> tuple[_Pedido, list[Erro]]:
    """Os campos do formulário; faltas com a mensagem junto do campo (WEB-SERVIDOR,
    WEB-PERIODO). A senha não volta à página."""
    erros: list[Erro] = []
    servidor = str(form.get("servidor", "")).strip()
    email = str(form.get("email", "")).strip()
    senha = str(form.get("senha", ""))
    if not servidor.lower().startswith(("http://", "https://")):
        erros.append(Erro("WEB-SERVIDOR", "informe o endereço do servidor de dados, com https:// "
                                          "(http:// só no loopback)", "servidor"))  # fmt: skip
    elif invalido := _endereco_invalido(servidor):
        erros.append(Erro("WEB-SERVIDOR", f"endereço do servidor inválido: {invalido}", "servidor"))
    if not email:
        erros.append(Erro("WEB-SERVIDOR", "informe o e-mail do usuário no servidor", "email"))
    if not senha:
        erros.append(Erro("WEB-SERVIDOR", "informe a senha do usuário no servidor (não é "
                                          "guardada)", "senha"))  # fmt: skip
    ano: int | None = None
    meses: list[int] = []
    if acao == "exportar_balancete":
        # ``--mes``/``--ate`` da CLI, em MM/AAAA; 13 = encerramento do exercício.
        de_t, ate_t = str(form.get("de", "")).strip(), str(form.get("ate", "")).strip()
        try:
            ano, inicio = formatos.mes_de_texto(de_t, 1, 13)
            ano_fim, fim = formatos.mes_de_texto(ate_t, 1, 13) if ate_t else (ano, inicio)
            if ano_fim != ano or fim < inicio:
                erros.append(Erro("WEB-PERIODO", "início e fim devem ser do mesmo exercício, "
                                                 "em ordem", "ate"))  # fmt: skip
            meses = list(range(inicio, fim + 1))
        except ValueError as exc:
            erros.append(Erro("WEB-PERIODO", str(exc), "de" if not ano else "ate"))
    else:
        texto = str(form.get("ano", "")).strip()
        if texto.isdigit() and 1900 <= int(texto) <= 9999:
            ano = int(texto)
        else:
            erros.append(Erro("WEB-PERIODO", f"exercício '{texto}' inválido: use AAAA", "ano"))
    aceitar = form.get("aceitar_http") == "1"
    return _Pedido(servidor, email, senha, aceitar, ano, meses), erros


def _executar(ctx: Ctx, acao: str, p: _Pedido) -> Resultado:
    """A ação pelo mesmo núcleo de ``erario consolidacao`` (``api.operacoes``); os
    meses com o nome por extenso, como no resto das páginas."""
    from erario.api import operacoes as op

    assert p.ano is not None  # _ler_pedido sem erros
    acesso = op.Acesso(p.servidor, p.email, p.senha, p.aceitar_http)
    if acao == "exportar_balancete":
        return op.exportar_balancete(
            ctx.repo, ctx.slug, acesso, p.ano, p.meses, nome_competencia=formatos.competencia
        )
    fazer = {
        "situacao": op.situacao, "abrir_competencias": op.abrir_competencias,
        "exportar_orcamento": op.exportar_orcamento, "importar_orcamento": op.importar_orcamento,
        "importar_balancetes": op.importar_balancetes,
    }[acao]  # fmt: skip
    return fazer(ctx.repo, ctx.slug, acesso, p.ano)


@rotas.post("/e/{slug}/consolidacao/servidor")
async def servidor(request: Request, slug: str) -> Response:
    """Uma ação com o servidor de dados on-line (``erario consolidacao
    abrir-competencias|exportar-orcamento|importar-orcamento|exportar-balancete|
    importar-balancetes|situacao``), com as credenciais do formulário."""
    from urllib.parse import urlencode

    from erario.web.app import Recusa
    from erario.web.consultas import ano_padrao

    ctx = contexto(request, slug)
    form = await formulario(request, ctx.sessao)
    acao = str(form.get("acao", ""))
    a = ACOES_SERVIDOR.get(acao)
    if a is None:
        raise Recusa(404, Erro("WEB-PAGINA", f"não há ação '{acao}' com o servidor de dados"))
    if not pode(ctx.sessao.usuario, slug, a.papel):
        raise Recusa(403, Erro("WEB-ACESSO", f"o usuário {ctx.login} não tem acesso a esta "
                                             f"página da entidade {slug}"))  # fmt: skip
    p, erros = _ler_pedido(form, acao)
    feitos: list[str] = []
    sit = None
    if not erros:
        r = _executar(ctx, acao, p)
        feitos = [f"Aviso: {x} (aceitar http)." for x in r.avisos] + r.feitos
        erros, sit = r.erros, r.situacao
    detalhe = f"{a.rotulo}; servidor {p.servidor}, e-mail {p.email}"
    armazem.registrar_acao(
        ctx.web.engine, ctx.login, slug, f"consolidacao:{acao}", "recusado" if erros else "ok",
        "; ".join([detalhe, *feitos, *(str(e) for e in erros)])[:4000],
    )  # fmt: skip
    por_campo, gerais = separar_erros(erros, CAMPOS_SERVIDOR)
    ano = p.ano or ano_padrao(ctx, None)
    srv = {"servidor": p.servidor, "email": p.email, "ano": str(form.get("ano", "")),
           "de": str(form.get("de", "")), "ate": str(form.get("ate", "")),
           "aceitar_http": "1" if p.aceitar_http else "", "acao": acao}  # fmt: skip
    resp = _tela(
        ctx, ano, 422 if erros else 200, srv=srv, srv_por_campo=por_campo, srv_erros=gerais,
        srv_feitos=feitos, situacao=sit, srv_titulo=a.rotulo,
    )  # fmt: skip
    if p.servidor and p.email:  # lembra endereço e e-mail (a senha, nunca)
        resp.set_cookie(
            COOKIE_SERVIDOR, urlencode({"servidor": p.servidor, "email": p.email}),
            max_age=180 * 86400, httponly=True, samesite="strict",
            secure=ctx.web.config.cookie_seguro, path="/",
        )  # fmt: skip
    return resp
