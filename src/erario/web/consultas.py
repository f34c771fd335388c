"""Painel e consultas: balancete → razão → lançamento → evento (e volta), extrato
do empenho, execução da despesa e da receita, restos, disponibilidade e a trilha.
As mesmas funções e filtros dos comandos da CLI; toda tabela sai em CSV, XLSX e PDF."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from erario.core.erros import Erro, OperacaoRecusada
from erario.relatorios import execucao as rel_execucao
from erario.relatorios.tabela import Coluna
from erario.storage import web as armazem
from erario.web import formatos, graficos
from erario.web.app import (
    FORMATOS_ARQUIVO,
    Ctx,
    Link,
    PaginaLida,
    arquivo,
    contexto,
    janela_pedida,
    pagina,
    relatorio,
)

rotas = APIRouter()


def ano_padrao(ctx: Ctx, ano: str | None) -> int:
    if ano and ano.isdigit():
        return int(ano)
    anos = ctx.repo.exercicios_com_lancamentos(ctx.slug)
    return anos[-1] if anos else dt.date.today().year


def _q(**kw: Any) -> str:
    return urlencode({k: v for k, v in kw.items() if v not in (None, "")})


# -------------------------------------------------------------------- painel
@rotas.get("/e/{slug}/")
def painel(request: Request, slug: str, ano: str | None = None) -> Response:
    from erario.execucao.relatorios import disponibilidade_por_fonte

    ctx = contexto(request, slug)
    repo = ctx.repo
    exercicio = ano_padrao(ctx, ano)
    despesa = repo.execucao_despesa(slug, exercicio)
    receita = repo.execucao_receita(slug, exercicio)
    restos = repo.restos_a_pagar(slug)
    saldos = repo.saldos_execucao(slug, ("1.1.1.", "8.2.1.1."), exercicio)
    disp = disponibilidade_por_fonte(saldos)
    prevista = sum(x.previsao_atualizada for x in receita)
    arrecadada = sum(x.arrecadado for x in receita)
    fixada = sum(x.dotacao_atualizada for x in despesa)
    empenhada = sum(x.empenhado - x.anulado for x in despesa)
    liquidada = sum(x.liquidado for x in despesa)
    paga = sum(x.pago for x in despesa)
    hoje = dt.date.today()
    abertas = [
        c
        for c in repo.competencias(slug, exercicio)
        if c.situacao.value == "aberta" and (c.ano, c.mes) < (hoje.year, hoje.month)
    ]
    return pagina(
        ctx,
        request,
        "painel.html",
        ano=exercicio,
        anos=sorted({*repo.exercicios_com_lancamentos(slug), exercicio}),
        receita=(prevista, arrecadada),
        despesa=(fixada, empenhada, liquidada, paga),
        grafico_receita=graficos.barras(
            f"Receita de {exercicio}: prevista e arrecadada",
            [("Prevista", prevista), ("Arrecadada", arrecadada)],
        ),
        grafico_despesa=graficos.barras(
            f"Despesa de {exercicio}: fixada, empenhada, liquidada e paga",
            [
                ("Fixada", fixada),
                ("Empenhada", empenhada),
                ("Liquidada", liquidada),
                ("Paga", paga),
            ],
        ),
        disponibilidade=disp,
        restos=sum(x.saldo for x in restos),
        restos_n=len([x for x in restos if x.saldo]),
        abertas=abertas,
        esfinge=pendencias_esfinge(ctx, hoje),
    )


def pendencias_esfinge(ctx: Ctx, hoje: dt.date) -> list[Any]:
    """Os pacotes e-Sfinge devidos da entidade, como em ``erario esfinge pendentes``."""
    from erario.leiautes import esfinge as esf
    from erario.storage.esfinge import competencias_devidas, envios

    repo = ctx.repo
    devidas = {k: v for k, v in competencias_devidas(repo, hoje).items() if k == ctx.slug}
    feitos = [(e.entidade, e.ano, e.mes) for e in envios(repo, ctx.slug)]
    return list(esf.pendencias(devidas, hoje, feitos))


# ----------------------------------------------------------------- balancete
def periodo(ctx: Ctx, ano: int) -> tuple[int, int, int, list[Erro]]:
    """(ano, início, fim) de ``de``/``ate`` (MM/AAAA), como ``--de``/``--ate`` da CLI."""
    qp = ctx.request.query_params
    erros: list[Erro] = []
    inicio, fim = (ano, 1), (ano, 12)
    for campo in ("de", "ate"):
        texto = qp.get(campo, "").strip()
        if texto:
            try:
                valor = formatos.mes_de_texto(texto)
            except ValueError as exc:
                erros.append(Erro("WEB-PERIODO", str(exc), campo))
                continue
            if campo == "de":
                inicio = valor
            else:
                fim = valor
    if not erros and (inicio[0] != fim[0] or fim[1] < inicio[1]):
        erros.append(
            Erro("WEB-PERIODO", "início e fim devem ser do mesmo exercício, em ordem", "ate")
        )
    if erros:
        return ano, 1, 12, erros
    return inicio[0], inicio[1], fim[1], []


@rotas.get("/e/{slug}/balancete")
def balancete(request: Request, slug: str) -> Response:
    from erario.razao.balancete import conferir_balancete
    from erario.relatorios import balancete as rel

    ctx = contexto(request, slug)
    qp = request.query_params
    ano, inicio, fim, erros = periodo(ctx, ano_padrao(ctx, qp.get("ano")))
    cc = qp.get("cc") == "1"
    nivel = int(qp["nivel"]) if qp.get("nivel", "").isdigit() else None
    b = None
    if not erros:
        try:
            b = ctx.repo.balancete(
                [slug], ano, inicio, fim, por_conta_corrente=cc, nivel_maximo=nivel
            )
        except OperacaoRecusada as exc:
            erros = exc.erros
    titulo = f"Balancete de verificação — {ctx.nome}"
    formato = qp.get("formato", "")
    if b is not None and formato in ("csv", "xlsx", "pdf"):
        if formato == "csv":
            return arquivo("balancete", "csv", rel.para_csv(b).encode("utf-8"))
        with tempfile.TemporaryDirectory() as pasta:
            caminho = Path(pasta) / f"b.{formato}"
            (rel.para_xlsx if formato == "xlsx" else rel.para_pdf)(b, caminho, titulo)
            return arquivo("balancete", formato, caminho.read_bytes())
    de, ate = f"{inicio:02d}/{ano}", f"{fim:02d}/{ano}"
    return pagina(
        ctx,
        request,
        "balancete.html",
        titulo=titulo,
        b=b,
        erros=erros,
        de=qp.get("de", de),
        ate=qp.get("ate", ate),
        cc=cc,
        nivel=nivel or "",
        periodo=rel.periodo_descricao(b) if b else "",
        problemas=conferir_balancete(b) if b else [],
        q_razao=lambda conta, corrente: _q(conta=conta, de=de, ate=ate, cc=corrente),
        consulta=request.url.query,
    )


@rotas.get("/e/{slug}/razao")
def razao(request: Request, slug: str) -> Response:
    from erario.razao.razao_conta import razao_de_conta

    ctx = contexto(request, slug)
    qp = request.query_params
    conta = qp.get("conta", "").strip()
    ano, inicio, fim, erros = periodo(ctx, ano_padrao(ctx, qp.get("ano")))
    linhas: list[Any] = []
    lida: PaginaLida | None = None
    if not conta:
        erros.append(Erro("WEB-CONTA", "informe a conta", "conta"))
    if not erros:
        cc = qp.get("cc") or None
        try:
            if qp.get("formato", "") in FORMATOS_ARQUIVO:  # o arquivo traz todas
                anterior, movs = ctx.repo.razao_conta(slug, ano, conta, inicio, fim, cc)
                linhas = razao_de_conta(anterior, movs)
            else:  # a tela lê só a página pedida
                n, deslocamento, tamanho = janela_pedida(ctx)
                pg = ctx.repo.razao_conta_pagina(
                    slug, ano, conta, inicio, fim, cc, deslocamento, tamanho
                )
                rotulo = "Saldo anterior" if n == 1 else "Saldo transportado"
                linhas = razao_de_conta(pg.anterior, pg.movimentos, rotulo)
                totais = {"debito": pg.debito, "credito": pg.credito}
                lida = PaginaLida(n, pg.ha_mais, totais)
        except OperacaoRecusada as exc:
            erros = exc.erros
    de, ate = f"{inicio:02d}/{ano}", f"{fim:02d}/{ano}"
    volta = f"/e/{slug}/balancete?" + _q(de=de, ate=ate, cc="1" if qp.get("cc") else "")
    return relatorio(
        ctx,
        f"Razão da conta {conta} — {ctx.nome}, {ano}",
        rel_execucao.COLUNAS_RAZAO,
        linhas,
        "razao",
        links=[Link("numero", lambda ln: f"/e/{slug}/lancamento/{ln[1]}")],
        filtros="filtros_razao.html",
        antes=volta,
        erros=erros,
        lida=lida,
    )


@rotas.get("/e/{slug}/lancamento/{numero}")
def lancamento(request: Request, slug: str, numero: str) -> Response:
    ctx = contexto(request, slug)
    try:
        lc = ctx.repo.lancamento(slug, numero)
    except OperacaoRecusada as exc:
        return pagina(ctx, request, "erro.html", status=404, erro=exc.erros[0])
    origem = lc.origem or ""
    evento = origem.partition(":")[2] if origem.startswith("evento:") else ""
    ano = lc.data.year
    return pagina(
        ctx,
        request,
        "lancamento.html",
        lc=lc,
        evento=evento,
        q_razao=lambda conta, corrente: _q(
            conta=conta, de=f"01/{ano}", ate=f"12/{ano}", cc=corrente
        ),
    )


@rotas.get("/e/{slug}/evento/{codigo}")
def evento(request: Request, slug: str, codigo: str) -> Response:
    ctx = contexto(request, slug)
    ev = armazem.evento(ctx.web.engine, slug, codigo)
    if ev is None:
        erro = Erro("WEB-EVENTO", f"evento {codigo} não existe em {slug}")
        return pagina(ctx, request, "erro.html", status=404, erro=erro)
    dados = json.loads(ev.dados)
    empenho = codigo if ev.tipo == "empenho" else dados.get("empenho", "")
    return pagina(
        ctx,
        request,
        "evento.html",
        ev=ev,
        dados=sorted((k, v) for k, v in dados.items() if k not in ("entidade",)),
        empenho=empenho,
        registrado=request.query_params.get("registrado") == "1",
    )


# -------------------------------------------------------------- execução
@rotas.get("/e/{slug}/empenho/{numero}")
def extrato(request: Request, slug: str, numero: str) -> Response:
    ctx = contexto(request, slug)
    linhas = ctx.repo.extrato_empenho(slug, numero)
    erros = [] if linhas is not None else [Erro("EXEC-EMPENHO", f"empenho {numero} não existe")]
    return relatorio(
        ctx,
        f"Extrato do empenho {numero} — {ctx.nome}",
        rel_execucao.COLUNAS_EXTRATO,
        linhas or [],
        f"empenho-{numero}",
        links=[Link("evento", lambda ln: f"/e/{slug}/evento/{ln[1]}")],
        erros=erros,
    )


@rotas.get("/e/{slug}/despesa")
def despesa(
    request: Request,
    slug: str,
    ano: str | None = None,
    funcao: str = "",
    subfuncao: str = "",
    fonte: str = "",
) -> Response:
    ctx = contexto(request, slug)
    exercicio = ano_padrao(ctx, ano)
    erros: list[Erro] = []
    linhas: list[Any] = []
    try:
        linhas = ctx.repo.execucao_despesa(
            slug,
            exercicio,
            funcao=funcao.strip() or None,
            subfuncao=subfuncao.strip() or None,
            fonte=fonte.strip() or None,
        )
    except OperacaoRecusada as exc:
        erros = exc.erros
    return relatorio(
        ctx,
        f"Execução da despesa — {ctx.nome}, {exercicio}",
        rel_execucao.COLUNAS_DESPESA,
        linhas,
        f"despesa-{exercicio}",
        filtros="filtros_despesa.html",
        erros=erros,
    )


@rotas.get("/e/{slug}/receita")
def receita(request: Request, slug: str, ano: str | None = None) -> Response:
    ctx = contexto(request, slug)
    exercicio = ano_padrao(ctx, ano)
    linhas = ctx.repo.execucao_receita(slug, exercicio)
    return relatorio(
        ctx,
        f"Execução da receita — {ctx.nome}, {exercicio}",
        rel_execucao.COLUNAS_RECEITA,
        linhas,
        f"receita-{exercicio}",
        filtros="filtros_ano.html",
    )


@rotas.get("/e/{slug}/restos")
def restos(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug)
    linhas = ctx.repo.restos_a_pagar(slug)
    return relatorio(
        ctx,
        f"Restos a pagar — {ctx.nome}",
        rel_execucao.COLUNAS_RESTOS,
        linhas,
        "restos",
        links=[Link("empenho", lambda ln: f"/e/{slug}/empenho/{ln[0]}")],
    )


@rotas.get("/e/{slug}/disponibilidade")
def disponibilidade(request: Request, slug: str, ano: str | None = None) -> Response:
    from erario.execucao.relatorios import disponibilidade_por_fonte

    ctx = contexto(request, slug)
    exercicio = ano_padrao(ctx, ano)
    saldos = ctx.repo.saldos_execucao(slug, ("1.1.1.", "8.2.1.1."), exercicio)
    return relatorio(
        ctx,
        f"Disponibilidade por fonte em {exercicio} — {ctx.nome}",
        rel_execucao.COLUNAS_DISPONIBILIDADE,
        disponibilidade_por_fonte(saldos),
        f"disponibilidade-{exercicio}",
        filtros="filtros_ano.html",
    )


COLUNAS_TRILHA = (
    Coluna("quando", "Quando"),
    Coluna("usuario", "Usuário"),
    Coluna("acao", "Ação"),
    Coluna("resultado", "Resultado"),
    Coluna("detalhe", "Detalhe"),
)


@rotas.get("/e/{slug}/trilha")
def trilha(request: Request, slug: str) -> Response:
    """Quem fez o quê: as ações pela web e a auditoria do razão (exercícios,
    competências, encerramentos, conciliação), da mais nova para a mais antiga."""
    ctx = contexto(request, slug)
    linhas: list[tuple[Any, ...]] = [
        (a.quando, a.usuario, a.acao, a.resultado, a.detalhe)
        for a in armazem.acoes(ctx.web.engine, slug)
    ]
    linhas += [
        (quando, usuario, acao, "ok", detalhe)
        for quando, usuario, acao, _, detalhe in ctx.repo.auditoria(slug)
    ]
    linhas.sort(key=lambda ln: _utc(ln[0]), reverse=True)
    return relatorio(
        ctx,
        f"Trilha de auditoria — {ctx.nome}",
        COLUNAS_TRILHA,
        [(formatos.data(_utc(q).astimezone()), *resto) for q, *resto in linhas],
        "trilha",
    )


def _utc(quando: dt.datetime) -> dt.datetime:
    return quando if quando.tzinfo else quando.replace(tzinfo=dt.UTC)
