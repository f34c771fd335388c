"""Obrigações › e-Sfinge (TCE/SC): gerar o pacote do mês (download), validar com a
lista de violações (erros e avisos separados), marcar como enviado (protocolo) e
os pacotes devidos. As mesmas funções de ``erario esfinge``
(``storage.esfinge.pacote_do_mes``, ``leiautes.esfinge``); nenhuma regra aqui."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao
from erario.web.app import Ctx, contexto, formulario, pagina

rotas = APIRouter()

TIPOS_PACOTE = {
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _mes_padrao(ctx: Ctx) -> str:
    """O pacote devido mais antigo; sem nenhum, o mês passado."""
    from erario.web.consultas import pendencias_esfinge

    devidos = pendencias_esfinge(ctx, dt.date.today())
    if devidos:
        return f"{devidos[0].mes:02d}/{devidos[0].ano}"
    hoje = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    return f"{hoje.month:02d}/{hoje.year}"


def _ler_mes(texto: str) -> tuple[tuple[int, int] | None, list[Erro]]:
    try:
        return formatos.mes_de_texto(texto, 1, 12), []
    except ValueError as exc:
        return None, [
            Erro("WEB-PERIODO", str(exc).replace(" (00 = abertura, 13 = encerramento)", ""), "mes")
        ]


def _validado(ctx: Ctx, ano: int, mes: int, arquivo: tuple[str, str] | None = None) -> Any:
    """(pacote, erros, avisos) como ``erario esfinge gerar|validar|enviado``: o pacote do
    mês e as regras do documento; ``OperacaoRecusada`` se nem dá para montá-lo."""
    from erario.leiautes import esfinge as esf
    from erario.storage.esfinge import pacote_do_mes

    p = pacote_do_mes(ctx.repo, ctx.slug, ano, mes, (), arquivo)
    res = esf.validar_pacote_com_avisos(p.pacote, p.contexto)
    return p.pacote, res.erros, p.avisos + [str(a) for a in res.avisos]


def _tela(ctx: Ctx, status: int = 200, **dados: Any) -> Response:
    from erario.storage.esfinge import envios
    from erario.web.consultas import pendencias_esfinge

    base: dict[str, Any] = {
        "mes": _mes_padrao(ctx),
        "violacoes": None,
        "avisos": [],
        "erros": [],
        "por_campo": {},
        "resultado": "",
        "protocolo": "",
        "validado": "",
        "registrado": "",
    }
    return pagina(
        ctx, ctx.request, "esfinge.html", status=status,
        pendencias=pendencias_esfinge(ctx, dt.date.today()),
        envios=list(reversed(envios(ctx.repo, ctx.slug))),
        **(base | dados),
    )  # fmt: skip


def _separar(erros: list[Erro]) -> tuple[dict[str, list[str]], list[Erro]]:
    por_campo: dict[str, list[str]] = {}
    gerais = []
    for e in erros:
        if e.campo in ("mes", "arquivo", "protocolo"):
            por_campo.setdefault(e.campo, []).append(f"[{e.regra}] {e.mensagem}")
        else:
            gerais.append(e)
    return por_campo, gerais


@rotas.get("/e/{slug}/obrigacoes/esfinge")
def esfinge(
    request: Request,
    slug: str,
    mes: str = "",
    validar: str = "",
    baixar: str = "",
    registrado: str = "",
) -> Response:
    """Sem ``validar``/``baixar``: a tela. ``validar=1``: as violações do pacote do mês.
    ``baixar=json|xlsx``: o pacote, só se válido (senão a tela com as violações, 422)."""
    from erario.leiautes import esfinge as esf
    from erario.leiautes.escrita import para_json, para_xlsx

    ctx = contexto(request, slug)
    if not (validar or baixar):
        feito = f"Envio do pacote {registrado} registrado." if registrado else ""
        return _tela(ctx, mes=mes or _mes_padrao(ctx), registrado=feito)
    am, erros = _ler_mes(mes)
    if am is None:
        por_campo, _ = _separar(erros)
        return _tela(ctx, 422, mes=mes, por_campo=por_campo)
    ano, m = am
    try:
        pacote, violacoes, avisos = _validado(ctx, ano, m)
    except OperacaoRecusada as exc:
        return _tela(ctx, 422, mes=mes, violacoes=exc.erros)
    if baixar in TIPOS_PACOTE and not violacoes:
        nome = f"esfinge-{slug}-{ano:04d}-{m:02d}.{baixar}"
        if baixar == "json":
            conteudo = para_json(esf.leiaute(), pacote).encode("utf-8")
        else:
            with tempfile.TemporaryDirectory() as pasta:
                caminho = Path(pasta) / nome
                para_xlsx(esf.leiaute(), pacote, caminho)
                conteudo = caminho.read_bytes()
        return Response(
            conteudo,
            media_type=TIPOS_PACOTE[baixar],
            headers={"Content-Disposition": f'attachment; filename="{nome}"'},
        )
    qtd = {k: len(v) for k, v in pacote.registros.items()}
    resumo = (
        f"{qtd.get(esf.LANCAMENTO, 0)} registro(s) de lançamento, "
        f"{qtd.get(esf.CONTA_BANCARIA, 0)} conta(s) bancária(s), "
        f"{qtd.get(esf.APLICACAO, 0)} aplicação(ões)"
    )
    return _tela(
        ctx, 422 if violacoes else 200, mes=mes, violacoes=violacoes, avisos=avisos,
        resultado=resumo, validado=f"{m:02d}/{ano}",
    )  # fmt: skip


@rotas.post("/e/{slug}/obrigacoes/esfinge/enviado")
async def enviado(request: Request, slug: str) -> Response:
    """Registra o envio (administrador), como ``erario esfinge enviado``: o arquivo
    enviado (ou, sem arquivo, o pacote gerado agora do razão — o mesmo JSON do
    download) passa por todas as regras; com qualquer erro, nada é gravado."""
    from erario.leiautes import esfinge as esf
    from erario.leiautes.escrita import para_json
    from erario.storage.esfinge import registrar_envio

    ctx = contexto(request, slug, Acao.ADMINISTRAR)
    form = await formulario(request, ctx.sessao)
    mes = str(form.get("mes", ""))
    protocolo = str(form.get("protocolo", "")).strip()
    am, erros = _ler_mes(mes)
    if am is None:
        por_campo, _ = _separar(erros)
        return _tela(ctx, 422, mes=mes, protocolo=protocolo, por_campo=por_campo)
    ano, m = am
    enviado_ = form.get("arquivo")
    externo: tuple[str, str] | None = None
    bruto = b""
    if isinstance(enviado_, UploadFile) and enviado_.filename:
        bruto = await enviado_.read()
        try:
            externo = (enviado_.filename, bruto.decode("utf-8"))
        except UnicodeDecodeError:
            return _tela(
                ctx, 422, mes=mes, protocolo=protocolo,
                por_campo={"arquivo": ["[WEB-ARQUIVO] o pacote deve ser um JSON em UTF-8"]},
            )  # fmt: skip
    avisos: list[str] = []
    try:
        pacote, violacoes, avisos = _validado(ctx, ano, m, externo)
    except OperacaoRecusada as exc:
        violacoes, pacote = exc.erros, None
    if violacoes or pacote is None:
        armazem.registrar_acao(
            ctx.web.engine, ctx.login, slug, "esfinge:enviado", "recusado",
            "; ".join(str(e) for e in violacoes[:20]),
        )  # fmt: skip
        return _tela(
            ctx, 422, mes=mes, protocolo=protocolo, violacoes=violacoes, avisos=avisos,
            erros=[Erro("WEB-ENVIO-INVALIDO", "pacote com erros: envio não registrado")],
        )  # fmt: skip
    # O SHA-256 dos bytes enviados (o arquivo, ou o JSON do download).
    sha = hashlib.sha256(bruto or para_json(esf.leiaute(), pacote).encode("utf-8")).hexdigest()
    e = registrar_envio(ctx.repo, slug, ano, m, sha, protocolo, usuario=f"web:{ctx.login}")
    armazem.registrar_acao(
        ctx.web.engine, ctx.login, slug, "esfinge:enviado", "ok",
        f"{m:02d}/{ano} SHA-256 {sha[:12]}… protocolo {e.protocolo or '—'}",
    )  # fmt: skip
    return RedirectResponse(
        f"/e/{slug}/obrigacoes/esfinge?registrado={m:02d}/{ano}", status_code=303
    )
