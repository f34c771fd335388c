"""Cadastros (consulta) e Obrigações: credores, contas bancárias, classificações,
dotações da LOA, descontos e serviços; competências (fechar/reabrir), pacotes
e-Sfinge devidos e enviados. As mesmas leituras dos comandos ``erario cadastro``,
``erario retencoes`` e ``erario esfinge``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from erario.core.erros import OperacaoRecusada
from erario.relatorios.tabela import Coluna
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao
from erario.web.app import Link, contexto, formulario, pagina, relatorio

rotas = APIRouter()


@rotas.get("/e/{slug}/cadastros")
def menu(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug)
    return pagina(ctx, request, "cadastros.html")


@rotas.get("/e/{slug}/cadastros/credores")
def credores(request: Request, slug: str, feito: str = "") -> Response:
    from urllib.parse import quote

    from erario.web.acesso import pode

    ctx = contexto(request, slug)
    editar = pode(ctx.sessao.usuario, slug, Acao.CADASTRAR)
    linhas = [
        (formatos.documento(c.documento), c.nome, c.tipo.value, "sim" if c.simples else "não", c.endereco)
        for c in ctx.repo.credores()
    ]  # fmt: skip
    colunas = (
        Coluna("documento", "CPF/CNPJ"),
        Coluna("nome", "Nome"),
        Coluna("tipo", "Tipo"),
        Coluna("simples", "Simples"),
        Coluna("endereco", "Endereço"),
    )
    return relatorio(
        ctx, "Credores", colunas, linhas, "credores", resultado=feito,
        links=[Link("documento", lambda ln: f"/e/{slug}/cadastros/credores/editar?documento="
                    + quote(str(ln[0])))] if editar else [],
        acoes=[("Novo credor", f"/e/{slug}/cadastros/credores/editar")] if editar else [],
    )  # fmt: skip


@rotas.get("/e/{slug}/cadastros/contas")
def contas(request: Request, slug: str, feito: str = "") -> Response:
    from urllib.parse import quote

    from erario.web.acesso import pode

    ctx = contexto(request, slug)
    editar = pode(ctx.sessao.usuario, slug, Acao.CADASTRAR)
    linhas = [
        (
            c.codigo,
            c.tipo.value,
            str(c.fonte),
            c.conta_contabil,
            c.banco,
            c.agencia + (f"-{c.agencia_dv}" if c.agencia_dv else ""),
            c.conta + (f"-{c.conta_dv}" if c.conta_dv else ""),
            formatos.data(c.encerramento) if c.encerramento else "",
        )
        for c in ctx.repo.contas_bancarias(slug)
    ]
    colunas = (
        Coluna("codigo", "Código"),
        Coluna("tipo", "Tipo"),
        Coluna("fonte", "Fonte"),
        Coluna("conta_contabil", "Conta contábil"),
        Coluna("banco", "Banco"),
        Coluna("agencia", "Agência"),
        Coluna("conta", "Conta"),
        Coluna("encerramento", "Encerrada em"),
    )
    return relatorio(
        ctx,
        "Contas bancárias",
        colunas,
        linhas,
        "contas-bancarias",
        links=[Link("conta_contabil", lambda ln: f"/e/{slug}/razao?conta={ln[3]}&cc=DB%3D{ln[0]}")]
        + (
            [Link("codigo", lambda ln: f"/e/{slug}/cadastros/contas/editar?codigo={quote(ln[0])}")]
            if editar
            else []
        ),
        acoes=[("Nova conta bancária", f"/e/{slug}/cadastros/contas/editar")] if editar else [],
        resultado=feito,
    )


@rotas.get("/e/{slug}/cadastros/classificacoes")
def classificacoes(request: Request, slug: str, feito: str = "") -> Response:
    from urllib.parse import urlencode

    from erario.orcamento.cadastros import NOME_TIPO_ACAO
    from erario.web.acesso import pode

    ctx = contexto(request, slug)
    editar = pode(ctx.sessao.usuario, slug, Acao.CADASTRAR)
    chave = {"órgão": "orgao", "unidade": "unidade", "programa": "programa", "ação": "acao",
             "fonte": "fonte"}  # fmt: skip

    def url(ln: Any) -> str:
        q = {"cadastro": chave[ln[0]], "codigo": ln[1]}
        if ln[0] == "unidade":
            q["orgao"], _, q["codigo"] = ln[1].partition(".")
        return f"/e/{slug}/cadastros/classificacoes/editar?{urlencode(q)}"

    cad = ctx.repo.classificacoes(slug)
    linhas: list[list[Any]] = []
    linhas += [["órgão", o.codigo, o.nome, ""] for o in cad.orgaos.values()]
    linhas += [["unidade", f"{u.orgao}.{u.codigo}", u.nome, ""] for u in cad.unidades.values()]
    linhas += [["programa", p.codigo, p.nome, ""] for p in cad.programas.values()]
    linhas += [["ação", a.codigo, a.nome, NOME_TIPO_ACAO[a.tipo]] for a in cad.acoes.values()]
    linhas += [
        ["fonte", str(f.fonte), f.nome, ", ".join(f"{k}={v}" for k, v in f.propriedades)]
        for f in cad.fontes.values()
    ]
    colunas = (
        Coluna("classificacao", "Classificação"),
        Coluna("codigo", "Código"),
        Coluna("nome", "Nome"),
        Coluna("detalhe", "Tipo / propriedades"),
    )
    return relatorio(
        ctx, f"Classificações orçamentárias — {ctx.nome}", colunas, linhas, "classificacoes",
        links=[Link("codigo", url)] if editar else [], resultado=feito,
        acoes=[("Nova classificação", f"/e/{slug}/cadastros/classificacoes/editar")]
        if editar else [],
    )  # fmt: skip


@rotas.get("/e/{slug}/cadastros/dotacoes")
def dotacoes(request: Request, slug: str, ano: str | None = None) -> Response:
    """Dotações da LOA com o crédito disponível (o mesmo saldo que trava o empenho)."""
    ctx = contexto(request, slug)
    controle = ctx.repo.controle(slug)
    linhas = [
        (k[2], k[1], s.fonte, s.fixado, s.adicional, s.reduzido, s.atualizada, s.empenhado,
         s.reservado, s.disponivel)
        for k, s in sorted(controle.dotacoes.items())
        if k[0] == slug and (not ano or str(k[1]) == ano)
    ]  # fmt: skip
    colunas = (
        Coluna("dotacao", "Dotação"),
        Coluna("exercicio", "Exercício"),
        Coluna("fonte", "Fonte"),
        Coluna("fixado", "Fixado (LOA)", dinheiro=True),
        Coluna("adicional", "Créditos adicionais", dinheiro=True),
        Coluna("reduzido", "Anulações", dinheiro=True),
        Coluna("atualizada", "Atualizada", dinheiro=True),
        Coluna("empenhado", "Empenhado", dinheiro=True),
        Coluna("reservado", "Reservado", dinheiro=True),
        Coluna("disponivel", "Disponível", dinheiro=True),
    )
    return relatorio(
        ctx, f"Dotações e crédito disponível — {ctx.nome}", colunas, linhas, "dotacoes",
        filtros="filtros_ano.html",
    )  # fmt: skip


@rotas.get("/e/{slug}/cadastros/retencoes")
def retencoes(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug)
    cad = ctx.repo.cadastro_retencoes()
    linhas: list[tuple[Any, ...]] = [
        ("desconto", str(d.codigo), d.descricao, f"{d.tipo.value}; receita {d.receita}; "
         f"fonte {d.fonte}; credor {formatos.documento(d.fornecedor)}; apropria na "
         f"{d.controle_apropriacao.value}")
        for d in cad.descontos.values()
    ]  # fmt: skip
    for s in cad.servicos.values():
        vinc = ", ".join(
            f"{v.desconto} ({formatos.brl(int(v.percentual * 100))} %)"
            for v in cad.vinculos_do_servico(s.codigo)
        )
        linhas.append(("serviço", str(s.codigo), s.descricao, f"descontos: {vinc}"))
    colunas = (
        Coluna("cadastro", "Cadastro"),
        Coluna("codigo", "Código"),
        Coluna("descricao", "Descrição"),
        Coluna("detalhe", "Detalhe"),
    )
    return relatorio(ctx, "Descontos e serviços (retenções)", colunas, linhas, "retencoes")


# ---------------------------------------------------------------- obrigações
@rotas.get("/e/{slug}/obrigacoes")
def obrigacoes(request: Request, slug: str, ano: str | None = None) -> Response:
    from erario.storage.esfinge import envios
    from erario.web.consultas import ano_padrao, pendencias_esfinge

    ctx = contexto(request, slug)
    exercicio = ano_padrao(ctx, ano)
    return pagina(
        ctx,
        request,
        "obrigacoes.html",
        ano=exercicio,
        competencias=ctx.repo.competencias(slug, exercicio),
        pendencias=pendencias_esfinge(ctx, dt.date.today()),
        envios=envios(ctx.repo, slug),
        erros=[],
    )


@rotas.post("/e/{slug}/obrigacoes/competencia")
async def competencia(request: Request, slug: str) -> Response:
    """Fecha ou reabre uma competência (administrador), como ``erario exercicio
    fechar``/``reabrir``: a reabertura exige o motivo, que vai à auditoria."""
    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    form = await formulario(request, ctx.sessao)
    ano, mes = int(str(form.get("ano", "0"))), int(str(form.get("mes", "0")))
    acao = str(form.get("acao", ""))
    try:
        if acao == "fechar":
            ctx.repo.fechar_competencia(slug, ano, mes, usuario=f"web:{ctx.login}")
        else:
            ctx.repo.reabrir_competencia(
                slug, ano, mes, str(form.get("motivo", "")), usuario=f"web:{ctx.login}"
            )
    except OperacaoRecusada as exc:
        from erario.storage.esfinge import envios
        from erario.web.consultas import pendencias_esfinge

        return pagina(
            ctx, request, "obrigacoes.html", status=422, ano=ano,
            competencias=ctx.repo.competencias(slug, ano),
            pendencias=pendencias_esfinge(ctx, dt.date.today()),
            envios=envios(ctx.repo, slug), erros=exc.erros,
        )  # fmt: skip
    armazem.registrar_acao(
        ctx.web.engine, ctx.login, slug, f"competencia:{acao}", "ok", f"{mes:02d}/{ano}"
    )
    return RedirectResponse(f"/e/{slug}/obrigacoes?ano={ano}", status_code=303)
