"""Consolidação (o que a CLI da Prefeitura faz localmente): competências das
entidades do município, balancetes incorporados (versões guardadas), marcar uma
entidade como incorporada e o balancete consolidado, com a eliminação intra-OFSS.
As mesmas funções de ``erario consolidacao`` (``storage.consolidacao``:
``incorporadas``, ``incorporados``, ``marcar_incorporada``, ``consolidado``).

Fica de fora o que fala com o servidor de dados on-line (abrir competências,
exportar/importar orçamento e balancetes, situação do servidor): pede as
credenciais do servidor remoto a cada comando e uma sessão HTTP de saída, que a
interface web não guarda; continuam em ``erario consolidacao …``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from erario.core.erros import Erro, OperacaoRecusada
from erario.relatorios.tabela import Coluna
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao, pode
from erario.web.app import Ctx, arquivo, contexto, formulario, pagina, relatorio

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
    return pagina(
        ctx, ctx.request, "consolidacao.html", status=status, ano=ano, locais=locais,
        incorporadas=incorporadas, guardados=guardados, por_ent=por_ent,
        competencias=competencias, **({"erros": [], "resultado": ""} | dados),
    )  # fmt: skip


@rotas.get("/e/{slug}/consolidacao")
def consolidacao(request: Request, slug: str, ano: str | None = None, feito: str = "") -> Response:
    from erario.web.consultas import _ano_padrao

    ctx = contexto(request, slug)
    return _tela(ctx, _ano_padrao(ctx, ano), resultado=feito)


@rotas.post("/e/{slug}/consolidacao/incorporar")
async def incorporar(request: Request, slug: str) -> Response:
    """``erario consolidacao incorporar ENTIDADE`` (administrador da entidade da página
    e da entidade marcada): recusa a Prefeitura e entidade com razão aqui."""
    from erario.storage.consolidacao import marcar_incorporada
    from erario.web.consultas import _ano_padrao

    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    form = await formulario(request, ctx.sessao)
    alvo = str(form.get("entidade", "")).strip()
    ano = _ano_padrao(ctx, str(form.get("ano", "")))
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
    from erario.web.consultas import _ano_padrao, _periodo

    ctx = contexto(request, slug)
    qp = request.query_params
    locais, _ = _municipio(ctx)
    visiveis = [e.slug for e in locais if pode(ctx.sessao.usuario, e.slug, Acao.CONSULTAR)]
    # Padrão: as entidades do plano da página (a empresa com plano próprio fica de fora).
    plano = ctx.repo.entidade(slug).plano
    escolhidas = [s for s in qp.getlist("entidade") if s] or [
        e.slug for e in locais if e.slug in visiveis and e.plano == plano
    ]
    ano, inicio, fim, erros = _periodo(ctx, _ano_padrao(ctx, qp.get("ano")))
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
