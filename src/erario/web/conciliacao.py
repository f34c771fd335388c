"""Conciliação bancária: upload do extrato (OFX ou CSV), casamentos sugeridos,
confirmar e desfazer, pendências e a equação do saldo conciliado. As mesmas
funções de ``erario conciliacao`` (``conciliacao.extrato.ler_ofx|ler_csv``,
``storage.conciliacao.importar_extrato|situacao|confirmar|desfazer``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from erario.conciliacao import JANELA_PADRAO
from erario.core.datas import fim_do_mes
from erario.core.dinheiro import ValorInvalido
from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao
from erario.web.app import Ctx, contexto, formulario, pagina

rotas = APIRouter()

TITULOS = {
    "credito_extrato": "(+) crédito no extrato não contabilizado",
    "debito_extrato": "(−) débito no extrato não contabilizado",
    "credito_razao": "(−) entrada contabilizada fora do extrato",
    "debito_razao": "(+) saída contabilizada fora do extrato",
}


def _fim_do_mes(texto: str) -> dt.date:
    ano, mes = formatos.mes_de_texto(texto, 1, 12)
    return fim_do_mes(ano, mes)


def _padrao_mes() -> str:
    ultimo = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return f"{ultimo.month:02d}/{ultimo.year}"


def _tela(ctx: Ctx, conta: str, mes: str, janela: int, status: int = 200, **dados: Any) -> Response:
    from erario.storage.conciliacao import situacao

    contas = [c for c in ctx.repo.contas_bancarias(ctx.slug) if c.tipo.value != "caixa"]
    por_campo: dict[str, list[str]] = dict(dados.pop("por_campo", {}))
    erros: list[Erro] = list(dados.pop("erros", []))
    sit = None
    if conta and not por_campo.get("mes"):
        try:
            ate = _fim_do_mes(mes)
        except ValueError as exc:
            por_campo["mes"] = [f"[WEB-PERIODO] {str(exc).split(' (00')[0]}"]
        else:
            try:
                sit = situacao(ctx.repo, ctx.slug, conta, ate, janela)
            except OperacaoRecusada as exc:
                erros += exc.erros
    linha_de = {ln.id: ln for ln in sit.linhas} if sit else {}
    mov_de = {m.lancamento: m for m in sit.movimentos} if sit else {}
    return pagina(
        ctx, ctx.request, "conciliacao.html", status=status, contas=contas, conta=conta, mes=mes,
        janela=janela, sit=sit, linha_de=linha_de, mov_de=mov_de, titulos=TITULOS,
        por_campo=por_campo, erros=erros, **({"resultado": ""} | dados),
    )  # fmt: skip


@rotas.get("/e/{slug}/conciliacao")
def conciliacao(
    request: Request, slug: str, conta: str = "", mes: str = "", janela: str = "", feito: str = ""
) -> Response:
    ctx = contexto(request, slug)
    j = int(janela) if janela.isdigit() else JANELA_PADRAO
    return _tela(ctx, conta, mes or _padrao_mes(), j, resultado=feito)


def _voltar(slug: str, conta: str, mes: str, janela: int, feito: str) -> Response:
    q = urlencode({"conta": conta, "mes": mes, "janela": janela})
    return RedirectResponse(f"/e/{slug}/conciliacao?{q}&feito={quote(feito)}", status_code=303)


def _comuns(form: FormData) -> tuple[str, str, int]:
    j = str(form.get("janela", ""))
    return (
        str(form.get("conta", "")).strip(),
        str(form.get("mes", "")).strip(),
        int(j) if j.isdigit() else JANELA_PADRAO,
    )


@rotas.post("/e/{slug}/conciliacao/importar")
async def importar(request: Request, slug: str) -> Response:
    """``erario conciliacao importar``: linhas novas do extrato (reimportar não
    duplica) e o saldo informado; tudo ou nada."""
    from erario.conciliacao.extrato import SaldoExtrato, ler_csv, ler_ofx
    from erario.storage.conciliacao import importar_extrato

    ctx = contexto(request, slug, Acao.CONCILIAR)
    form = await formulario(request, ctx.sessao)
    conta, mes, janela = _comuns(form)
    por_campo: dict[str, list[str]] = {}
    enviado = form.get("arquivo")
    extrato = None
    nome = ""
    if not isinstance(enviado, UploadFile) or not enviado.filename:
        por_campo["arquivo"] = ["[WEB-ARQUIVO] escolha o extrato (.ofx ou .csv)"]
    else:
        nome = enviado.filename
        bruto = await enviado.read()
        if nome.lower().endswith((".ofx", ".qfx")):
            extrato, erros = ler_ofx(bruto, nome)
        else:
            try:
                extrato, erros = ler_csv(bruto.decode("utf-8"), nome)
            except UnicodeDecodeError:
                extrato, erros = None, [Erro("WEB-ARQUIVO", "o CSV deve estar em UTF-8")]
        if erros:
            por_campo["arquivo"] = [str(e) for e in erros]
            extrato = None
    saldo_t, em_t = str(form.get("saldo", "")).strip(), str(form.get("em", "")).strip()
    if bool(saldo_t) != bool(em_t):
        por_campo["saldo"] = [str(Erro("WEB-SALDO", "saldo do extrato e a data dele vão juntos"))]
    elif saldo_t:
        try:
            centavos = formatos.centavos_br(saldo_t)
            data = formatos.data_br(em_t)
        except (ValorInvalido, ValueError) as exc:
            por_campo["saldo"] = [str(Erro("WEB-SALDO", str(exc)))]
        else:
            if extrato is not None:
                extrato = extrato._replace(saldos=(*extrato.saldos, SaldoExtrato(data, centavos)))
    if not conta:
        por_campo["conta"] = ["[WEB-CONTA] escolha a conta bancária"]
    if por_campo or extrato is None:
        return _tela(ctx, conta, mes, janela, 422, por_campo=por_campo, saldo=saldo_t, em=em_t)
    try:
        resumo = importar_extrato(
            ctx.repo, slug, conta, extrato, nome,
            conferir_conta=not form.get("sem_conferir_conta"), usuario=f"web:{ctx.login}",
        )  # fmt: skip
    except OperacaoRecusada as exc:
        armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "conciliacao:importar",
                               "recusado", "; ".join(str(e) for e in exc.erros[:20]))  # fmt: skip
        return _tela(ctx, conta, mes, janela, 422, erros=exc.erros, saldo=saldo_t, em=em_t)
    feito = (
        f"Extrato {nome} da conta {conta}: {resumo.novas} linha(s) nova(s), "
        f"{resumo.repetidas} já importada(s), {resumo.saldos} saldo(s)."
    )
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "conciliacao:importar", "ok", feito)
    return _voltar(slug, conta, mes, janela, feito)


@rotas.post("/e/{slug}/conciliacao/confirmar")
async def confirmar(request: Request, slug: str) -> Response:
    """``erario conciliacao confirmar``: as sugestões marcadas e o par informado
    (linha do extrato = lançamento); tudo ou nada."""
    from erario.conciliacao.casamento import Par
    from erario.storage import conciliacao as sc

    ctx = contexto(request, slug, Acao.CONCILIAR)
    form = await formulario(request, ctx.sessao)
    conta, mes, janela = _comuns(form)
    marcadas = {int(str(x)) for x in form.getlist("linha") if str(x).isdigit()}
    pares: list[Par] = []
    try:
        ate = _fim_do_mes(mes)
        sit = sc.situacao(ctx.repo, slug, conta, ate, janela)
    except (ValueError, OperacaoRecusada) as exc:
        erros = exc.erros if isinstance(exc, OperacaoRecusada) else [Erro("WEB-PERIODO", str(exc))]
        return _tela(ctx, conta, mes, janela, 422, erros=erros)
    pares = [
        Par(s.linha.id, s.movimento.lancamento)
        for s in sit.sugestoes
        if s.linha.id is not None and s.linha.id in marcadas
    ]
    linha_t, lanc_t = (
        str(form.get("par_linha", "")).strip(),
        str(form.get("par_lancamento", "")).strip(),
    )
    if linha_t or lanc_t:
        if not linha_t.isdigit() or not lanc_t:
            return _tela(ctx, conta, mes, janela, 422, por_campo={
                "par": ["[WEB-PAR] informe a linha do extrato (número) e o lançamento"]})  # fmt: skip
        pares.append(Par(int(linha_t), lanc_t))
    if not pares:
        return _tela(ctx, conta, mes, janela, 422,
                     erros=[Erro("WEB-PAR", "marque ao menos uma sugestão ou informe um par")])  # fmt: skip
    try:
        n = sc.confirmar(ctx.repo, slug, conta, pares, usuario=f"web:{ctx.login}")
    except OperacaoRecusada as exc:
        armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "conciliacao:confirmar",
                               "recusado", "; ".join(str(e) for e in exc.erros[:20]))  # fmt: skip
        return _tela(ctx, conta, mes, janela, 422, erros=exc.erros)
    feito = f"{n} casamento(s) confirmado(s) na conta {conta}."
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "conciliacao:confirmar", "ok", feito)
    return _voltar(slug, conta, mes, janela, feito)


@rotas.post("/e/{slug}/conciliacao/desfazer")
async def desfazer(request: Request, slug: str) -> Response:
    """``erario conciliacao desfazer --linha``: os casamentos marcados."""
    from erario.storage import conciliacao as sc

    ctx = contexto(request, slug, Acao.CONCILIAR)
    form = await formulario(request, ctx.sessao)
    conta, mes, janela = _comuns(form)
    linhas = [int(str(x)) for x in form.getlist("linha") if str(x).isdigit()]
    if not linhas:
        return _tela(ctx, conta, mes, janela, 422,
                     erros=[Erro("WEB-PAR", "marque ao menos um casamento para desfazer")])  # fmt: skip
    try:
        n = sc.desfazer(ctx.repo, slug, conta, linhas=linhas, usuario=f"web:{ctx.login}")
    except OperacaoRecusada as exc:
        return _tela(ctx, conta, mes, janela, 422, erros=exc.erros)
    feito = f"{n} casamento(s) desfeito(s) na conta {conta}."
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "conciliacao:desfazer", "ok", feito)
    return _voltar(slug, conta, mes, janela, feito)
