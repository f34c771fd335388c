"""Obrigações › SIOPS: equivalências (de-para) com a apresentação "sugerida ×
confirmada" e a confirmação; demonstrativo das ASPS do bimestre (tabela e
downloads); os arquivos ``.impt`` do bimestre (zip) e a validação de um zip. As
mesmas funções de ``erario siops`` (``siops.equivalencias``,
``storage.siops.apurar_municipio``, ``leiautes.siops.gravar_arquivos`` e
``validar_diretorio``); nenhuma regra aqui."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import web as armazem
from erario.web.acesso import Acao
from erario.web.app import Ctx, contexto, formulario, pagina, relatorio

rotas = APIRouter()


def _ano(ctx: Ctx, ano: str | None) -> int:
    from erario.web.consultas import ano_padrao

    return ano_padrao(ctx, ano)


def _ano_do_formulario(form: Any) -> int | None:
    """O exercício dos formulários de cadastro do SIOPS (None se não é número)."""
    texto = str(form.get("ano", ""))
    return int(texto) if texto.isdigit() else None


def _bimestre(texto: str) -> tuple[int | None, list[Erro]]:
    if texto.strip().isdigit() and 1 <= int(texto) <= 6:
        return int(texto), []
    return None, [Erro("WEB-BIMESTRE", f"bimestre '{texto}' inválido: use de 1 a 6", "bimestre")]


def _linhas_equivalencias(
    ctx: Ctx, ano: int, com_faltam: bool = True
) -> tuple[list[Any], list[Any] | None]:
    """As equivalências gravadas e as origens necessárias ainda sem nenhuma (a
    sugerir); sem ``com_faltam``, só as gravadas (a lista pede o controle)."""
    from erario.siops import equivalencias as eq
    from erario.storage import siops as st

    eqs = st.equivalencias(ctx.repo, ctx.slug, ano)
    if not com_faltam:
        return eqs, None
    necessarias = st.candidatas(ctx.repo, ctx.repo.controle(ctx.slug, eventos=True), ctx.slug, ano)
    ja = {(e.tipo, e.origem) for e in eqs}
    faltam = eq.ordenar(
        eq.Equivalencia(tipo, origem, "")
        for tipo, origens in necessarias.items()
        for origem in origens
        if (tipo, origem) not in ja
    )
    return eqs, faltam


def _tela(
    ctx: Ctx, ano: int, status: int = 200, *, com_faltam: bool = True, **dados: Any
) -> Response:
    """A página; ``com_faltam=False`` depois da apuração recusada, que já leu o
    controle (uma leitura por requisição): o que falta está nas violações."""
    from erario.siops import marcas as mc
    from erario.storage import siops as st

    eqs, faltam = _linhas_equivalencias(ctx, ano, com_faltam)
    base: dict[str, Any] = {
        "erros": [], "por_campo": {}, "digitado": {}, "resultado": "", "marcadas": set(),
        "violacoes": None, "avisos": [], "validado": "", "marca": {},
    }  # fmt: skip
    return pagina(
        ctx, ctx.request, "siops.html", status=status, ano=ano, eqs=eqs, faltam=faltam,
        bimestre=dados.pop("bimestre", _bimestre_padrao()), marcas=st.marcas(ctx.repo, ctx.slug, ano),
        alvos=[(a.value, sorted(mc.CHAVES[a])) for a in mc.Alvo], **(base | dados),
    )  # fmt: skip


def _bimestre_padrao() -> str:
    return str(max(1, (dt.date.today().month - 1) // 2))


@rotas.get("/e/{slug}/obrigacoes/siops")
def siops(
    request: Request, slug: str, ano: str | None = None, formato: str = "", feito: str = ""
) -> Response:
    from erario.siops import equivalencias as eq
    from erario.storage import siops as st

    ctx = contexto(request, slug)
    exercicio = _ano(ctx, ano)
    if formato == "csv":  # o mesmo CSV de ``erario siops equivalencias --exportar``
        texto = eq.para_csv(st.equivalencias(ctx.repo, slug, exercicio))
        return Response(
            texto.encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="equivalencias-{slug}-{exercicio}.csv"'
            },
        )
    return _tela(ctx, exercicio, resultado=feito)


def _chave(tipo: str, origem: str) -> str:
    return f"{tipo}|{origem}"


@rotas.post("/e/{slug}/obrigacoes/siops/equivalencias")
async def equivalencias(request: Request, slug: str) -> Response:
    """Sugerir o que falta (``--sugerir``), confirmar as marcadas (com o destino
    revisado, conferido por ``conferir_destino``) ou todas (``--confirmar``)."""
    from erario.siops import equivalencias as eq
    from erario.storage import siops as st

    ctx = contexto(request, slug, Acao.CADASTRAR)
    form = await formulario(request, ctx.sessao)
    ano = _ano_do_formulario(form)
    if ano is None:
        return _tela(ctx, _ano(ctx, None), 422, erros=[Erro("WEB-PERIODO", "exercício inválido")])
    acao = str(form.get("acao", ""))
    eqs = st.equivalencias(ctx.repo, slug, ano)
    if acao == "sugerir":
        antes = len(eqs)
        eqs = eq.completar(
            st.candidatas(ctx.repo, ctx.repo.controle(slug, eventos=True), slug, ano), eqs
        )
        feito = f"{len(eqs) - antes} equivalência(s) sugerida(s)."
    elif acao == "confirmar_todas":
        eqs = eq.confirmar_todas(eqs)
        feito = f"{len(eqs)} equivalência(s) confirmada(s)."
    else:
        marcadas = set(form.getlist("confirmar"))
        por_campo: dict[str, list[str]] = {}
        digitado: dict[str, str] = {}
        novas = []
        n = 0
        for e in eqs:
            k = _chave(e.tipo.value, e.origem)
            destino = str(form.get(f"destino:{k}", e.destino)).strip()
            digitado[k] = destino
            if k in marcadas or destino != e.destino:
                problema = eq.conferir_destino(e.tipo, destino)
                if problema:
                    por_campo[k] = [f"[WEB-DESTINO] {problema}"]
                    continue
            if k in marcadas:
                n += 1
                e = e._replace(destino=destino, situacao=eq.Situacao.CONFIRMADA)
            elif destino != e.destino:  # destino revisado sem confirmar: segue sugerida
                e = e._replace(destino=destino, situacao=eq.Situacao.SUGERIDA)
            novas.append(e)
        if por_campo:
            armazem.registrar_acao(
                ctx.web.engine, ctx.login, slug, "siops:equivalencias", "recusado",
                "; ".join(f"{k}: {v[0]}" for k, v in por_campo.items()),
            )  # fmt: skip
            return _tela(
                ctx, ano, 422, por_campo=por_campo, digitado=digitado, marcadas=marcadas,
                erros=[Erro("WEB-DESTINO", f"{len(por_campo)} destino(s) recusado(s); nada foi gravado")],
            )  # fmt: skip
        eqs = novas
        feito = f"{n} equivalência(s) confirmada(s)."
    st.gravar_equivalencias(ctx.repo, slug, ano, eqs)
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, f"siops:{acao}", "ok", feito)
    from urllib.parse import quote

    return RedirectResponse(
        f"/e/{slug}/obrigacoes/siops?ano={ano}&feito={quote(feito)}", status_code=303
    )


CAMPOS_MARCA = ("alvo", "codigo", "chave", "valor")


@rotas.post("/e/{slug}/obrigacoes/siops/marcas")
async def marcas(request: Request, slug: str) -> Response:
    """``erario siops marcar`` (uma marca: alvo, código, chave e valor, conferida por
    ``siops.marcas.conferir_marca``) ou ``--remover`` (as marcadas na lista)."""
    from urllib.parse import quote

    from erario.siops import marcas as mc
    from erario.storage import siops as st

    ctx = contexto(request, slug, Acao.CADASTRAR)
    form = await formulario(request, ctx.sessao)
    ano = _ano_do_formulario(form)
    if ano is None:
        return _tela(ctx, _ano(ctx, None), 422, erros=[Erro("WEB-PERIODO", "exercício inválido")])
    erros: list[Erro] = []
    if form.get("acao") == "remover":
        novas = []
        for texto in form.getlist("remover"):
            alvo, _, resto = str(texto).partition("|")
            codigo, _, chave = resto.rpartition("|")
            if alvo in {a.value for a in mc.Alvo} and codigo and chave:
                novas.append(mc.Marca(mc.Alvo(alvo), codigo, chave, ""))
        if not novas:
            erros.append(Erro("WEB-MARCA", "marque na lista as marcas a remover"))
        digitado: dict[str, str] = {}
    else:
        digitado = {c: str(form.get(c, "")).strip() for c in CAMPOS_MARCA}
        alvos = {a.value: a for a in mc.Alvo}
        if digitado["alvo"] not in alvos:
            erros.append(Erro("WEB-MARCA", f"alvo '{digitado['alvo']}' inválido: use "
                                           f"{', '.join(alvos)}", "alvo"))  # fmt: skip
        if not digitado["codigo"]:
            erros.append(Erro("WEB-MARCA", "informe o código: dotação, número do empenho, "
                                           "natureza da receita ou fonte", "codigo"))  # fmt: skip
        novas = []
        if not erros:
            m = mc.marca(alvos[digitado["alvo"]], digitado["codigo"], digitado["chave"],
                         digitado["valor"])  # fmt: skip
            erros += mc.conferir_marca(m)
            novas.append(m)
    remover = form.get("acao") == "remover"
    if erros:
        armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "siops:marcar", "recusado",
                               "; ".join(str(e) for e in erros))  # fmt: skip
        por_campo = {
            c: [f"[{e.regra}] {e.mensagem}" for e in erros if e.campo == c] for c in CAMPOS_MARCA
        }
        # SIOPS-MARCA aponta a chave da marca (SAUDE, COVID…), não um campo: vai ao topo.
        gerais = [e for e in erros if e.campo not in CAMPOS_MARCA]
        return _tela(ctx, ano, 422, erros=gerais, por_campo={k: v for k, v in por_campo.items() if v},
                     marca=digitado)  # fmt: skip
    st.gravar_marcas(ctx.repo, slug, ano, novas, remover)
    feito = (f"{len(novas)} marca(s) removida(s)." if remover else
             f"Marca {novas[0].chave}={novas[0].valor} gravada em {novas[0].alvo.value} "
             f"{novas[0].codigo}.")  # fmt: skip
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug,
                           "siops:desmarcar" if remover else "siops:marcar", "ok", feito)  # fmt: skip
    return RedirectResponse(
        f"/e/{slug}/obrigacoes/siops?ano={ano}&feito={quote(feito)}#marcas", status_code=303
    )


def _apuracao(ctx: Ctx, ano: int, bimestre: int) -> Any:
    from erario.storage import siops as st

    return st.apurar_municipio(ctx.repo, ano, bimestre, ctx.repo.entidade(ctx.slug).ibge)


@rotas.get("/e/{slug}/obrigacoes/siops/demonstrativo")
def demonstrativo(
    request: Request, slug: str, ano: str | None = None, bimestre: str = ""
) -> Response:
    """RREO Anexo 12 do município (todas as entidades), como ``erario siops demonstrativo``."""
    from erario.siops import demonstrativo as dem

    ctx = contexto(request, slug)
    exercicio = _ano(ctx, ano)
    bim, erros = _bimestre(bimestre or _bimestre_padrao())
    linhas: list[Any] = []
    titulo = f"Demonstrativo das ASPS (RREO Anexo 12) — {exercicio}"
    if bim is not None:
        titulo += f", {bim}º bimestre"
        try:
            ap = _apuracao(ctx, exercicio, bim)
            linhas = dem.linhas(ap)
        except OperacaoRecusada as exc:
            erros = exc.erros
    resp = relatorio(
        ctx, titulo, dem.COLUNAS, linhas, f"siops-demonstrativo-{exercicio}-{bim or 0}",
        filtros="filtros_siops.html", erros=erros,
    )  # fmt: skip
    if erros and "text/html" in resp.headers.get("content-type", ""):
        resp.status_code = 422
    return resp


@rotas.get("/e/{slug}/obrigacoes/siops/arquivos")
def arquivos(request: Request, slug: str, ano: str | None = None, bimestre: str = "") -> Response:
    """Os arquivos ``.impt`` e o manifesto num zip, como ``erario siops gerar``: com
    qualquer problema, nada é gerado e a tela lista todos."""
    from erario.leiautes import siops as lei

    ctx = contexto(request, slug)
    exercicio = _ano(ctx, ano)
    bim, erros = _bimestre(bimestre)
    if bim is None:
        return _tela(ctx, exercicio, 422, por_campo={"bimestre": [str(e) for e in erros]},
                     bimestre=bimestre)  # fmt: skip
    try:
        ap = _apuracao(ctx, exercicio, bim)
    except OperacaoRecusada as exc:
        return _tela(ctx, exercicio, 422, com_faltam=False, violacoes=exc.erros,
                     bimestre=bimestre)  # fmt: skip
    with tempfile.TemporaryDirectory() as pasta:
        destino = Path(pasta) / "siops"
        lista, erros = lei.gravar_arquivos(ap, destino)
        if erros:
            return _tela(ctx, exercicio, 422, com_faltam=False, violacoes=erros,
                         bimestre=bimestre)  # fmt: skip
        saida = io.BytesIO()
        with zipfile.ZipFile(saida, "w", zipfile.ZIP_DEFLATED) as z:
            for caminho in sorted(destino.iterdir()):
                z.write(caminho, caminho.name)
    nome = f"siops-{exercicio}-{bim}bim.zip"
    armazem.registrar_acao(
        ctx.web.engine, ctx.login, slug, "siops:gerar", "ok", f"{nome}: {len(lista)} arquivo(s)"
    )
    return Response(
        saida.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{nome}"'},
    )


@rotas.post("/e/{slug}/obrigacoes/siops/validar")
async def validar(request: Request, slug: str) -> Response:
    """Confere um zip gerado (``erario siops validar`` na pasta extraída): nada é gravado."""
    from erario.leiautes import siops as lei

    ctx = contexto(request, slug)
    form = await formulario(request, ctx.sessao)
    exercicio = _ano(ctx, str(form.get("ano", "")))
    enviado = form.get("arquivo")
    if not isinstance(enviado, UploadFile) or not enviado.filename:
        return _tela(ctx, exercicio, 422,
                     por_campo={"arquivo": ["[WEB-ARQUIVO] escolha o zip dos arquivos do SIOPS"]})  # fmt: skip
    bruto = await enviado.read()
    with tempfile.TemporaryDirectory() as pasta:
        try:
            with zipfile.ZipFile(io.BytesIO(bruto)) as z:
                for info in z.infolist():
                    nome = PurePosixPath(info.filename).name  # só o nome: nada fora da pasta
                    if nome and not info.is_dir() and info.file_size < 50_000_000:
                        (Path(pasta) / nome).write_bytes(z.read(info))
        except zipfile.BadZipFile:
            return _tela(ctx, exercicio, 422,
                         por_campo={"arquivo": ["[WEB-ARQUIVO] o arquivo não é um zip"]})  # fmt: skip
        res = lei.validar_diretorio(Path(pasta))
        n = len(list(Path(pasta).glob(f"*{lei.EXTENSAO}")))
    return _tela(
        ctx, exercicio, 422 if res.erros else 200, violacoes=res.erros,
        avisos=[str(a) for a in res.avisos], validado=f"{enviado.filename} ({n} arquivo(s))",
    )  # fmt: skip
