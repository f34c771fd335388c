"""Cadastros editáveis no navegador: credores, contas bancárias e classificações
orçamentárias (órgão, unidade, programa, ação, fonte). O formulário vira
o mesmo objeto de uma linha do JSON Lines de cadastros (docs/importacao.md) e vai a
``Repositorio.registrar_cadastros`` — as mesmas conferências e mensagens da
importação (``execucao.cadastros.credor_de_dict``, ``conta_bancaria_de_dict``); um
cadastro existente é atualizado. Recusa: a mensagem junto do campo, nada gravado."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from erario.core.codigos import somente_digitos
from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao
from erario.web.app import Ctx, contexto, formulario, pagina, separar_erros

rotas = APIRouter()

CAMPOS_CREDOR = ("documento", "nome", "endereco", "simples")
CAMPOS_CONTA = (
    "codigo", "tipo", "fonte", "conta_contabil", "banco", "agencia", "agencia_dv", "conta",
    "conta_dv", "nome", "cnpj_titular", "ibge_agencia", "ativacao",
)  # fmt: skip
TIPOS_CONTA = ("movimento", "aplicacao", "vinculada", "caixa")
CAMPOS_CLASSIFICACAO = ("cadastro", "orgao", "codigo", "nome", "tipo", "propriedades")
CLASSIFICACOES = {"orgao": "órgão", "unidade": "unidade orçamentária", "programa": "programa",
                  "acao": "ação", "fonte": "fonte de recursos"}  # fmt: skip
CAMPOS_POR_TIPO = {"credor": CAMPOS_CREDOR, "conta": CAMPOS_CONTA,
                   "classificacao": CAMPOS_CLASSIFICACAO}  # fmt: skip
DESTINO = {"credor": "credores", "conta": "contas", "classificacao": "classificacoes"}


def _form(ctx: Ctx, tipo: str, valores: dict[str, str], status: int = 200,
          erros: list[Erro] | None = None, novo: bool = True) -> Response:  # fmt: skip
    por_campo, gerais = separar_erros(erros or [], CAMPOS_POR_TIPO[tipo])
    return pagina(
        ctx, ctx.request, "cadastro_form.html", status=status, tipo=tipo, valores=valores,
        por_campo=por_campo, gerais=gerais, novo=novo, tipos_conta=TIPOS_CONTA,
        classificacoes=CLASSIFICACOES,
    )  # fmt: skip


def _gravar(
    ctx: Ctx, tipo: str, obj: dict[str, Any], valores: dict[str, str], novo: bool
) -> Response:
    try:
        ctx.repo.registrar_cadastros([json.dumps(obj, ensure_ascii=False)], f"web:{ctx.login}")
    except OperacaoRecusada as exc:
        armazem.registrar_acao(ctx.web.engine, ctx.login, ctx.slug, f"cadastro:{tipo}", "recusado",
                               "; ".join(str(e) for e in exc.erros[:20]))  # fmt: skip
        return _form(ctx, tipo, valores, 422, exc.erros, novo)
    chave = obj.get("documento") or obj.get("codigo")
    nome = {"credor": "Credor", "conta": "Conta bancária"}.get(tipo) or CLASSIFICACOES.get(
        str(obj.get("cadastro")), "Cadastro"
    ).capitalize()
    feito = f"{nome} {chave} gravado(a)."
    armazem.registrar_acao(ctx.web.engine, ctx.login, ctx.slug, f"cadastro:{tipo}", "ok", feito)
    destino = DESTINO[tipo]
    return RedirectResponse(
        f"/e/{ctx.slug}/cadastros/{destino}?feito={quote(feito)}", status_code=303
    )


# -------------------------------------------------------------------- credor
@rotas.get("/e/{slug}/cadastros/credores/editar")
def credor_form(request: Request, slug: str, documento: str = "") -> Response:
    ctx = contexto(request, slug, Acao.CADASTRAR)
    doc = somente_digitos(documento)
    atual = next((c for c in ctx.repo.credores() if c.documento == doc), None) if doc else None
    valores = (
        {"documento": formatos.documento(atual.documento), "nome": atual.nome,
         "endereco": atual.endereco, "simples": "1" if atual.simples else ""}
        if atual else {}
    )  # fmt: skip
    return _form(ctx, "credor", valores, novo=atual is None)


@rotas.post("/e/{slug}/cadastros/credores/editar")
async def credor_gravar(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug, Acao.CADASTRAR)
    form = await formulario(request, ctx.sessao)
    valores = {c: str(form.get(c, "")).strip() for c in CAMPOS_CREDOR}
    obj: dict[str, Any] = {
        "cadastro": "credor",
        # a máscara sai aqui; o dígito verificador é conferido pela regra da carga
        "documento": somente_digitos(valores["documento"]) or valores["documento"],
        "nome": valores["nome"],
        "endereco": valores["endereco"],
        "simples": bool(valores["simples"]),
    }
    return _gravar(ctx, "credor", obj, valores, form.get("novo") == "1")


# ------------------------------------------------------------ conta bancária
@rotas.get("/e/{slug}/cadastros/contas/editar")
def conta_form(request: Request, slug: str, codigo: str = "") -> Response:
    ctx = contexto(request, slug, Acao.CADASTRAR)
    atual = next((c for c in ctx.repo.contas_bancarias(slug) if c.codigo == codigo), None)
    valores: dict[str, str] = {"tipo": "movimento"}
    if atual is not None:
        valores = {
            "codigo": atual.codigo, "tipo": atual.tipo.value, "fonte": str(atual.fonte),
            "conta_contabil": atual.conta_contabil, "banco": atual.banco,
            "agencia": atual.agencia, "agencia_dv": atual.agencia_dv, "conta": atual.conta,
            "conta_dv": atual.conta_dv, "nome": atual.nome,
            "cnpj_titular": formatos.documento(atual.cnpj_titular),
            "ibge_agencia": atual.ibge_agencia,
            "ativacao": formatos.data(atual.ativacao) if atual.ativacao else "",
        }  # fmt: skip
    return _form(ctx, "conta", valores, novo=atual is None)


@rotas.post("/e/{slug}/cadastros/contas/editar")
async def conta_gravar(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug, Acao.CADASTRAR)
    form = await formulario(request, ctx.sessao)
    valores = {c: str(form.get(c, "")).strip() for c in CAMPOS_CONTA}
    obj: dict[str, Any] = {"cadastro": "conta_bancaria", "entidade": slug}
    obj |= {c: valores[c] for c in CAMPOS_CONTA if c not in ("ativacao", "cnpj_titular")}
    if valores["cnpj_titular"]:
        obj["cnpj_titular"] = somente_digitos(valores["cnpj_titular"]) or valores["cnpj_titular"]
    if valores["ativacao"]:
        obj["ativacao"] = formatos.data_para_carga(valores["ativacao"])
    return _gravar(ctx, "conta", obj, valores, form.get("novo") == "1")


# ------------------------------------------------- classificação orçamentária
@rotas.get("/e/{slug}/cadastros/classificacoes/editar")
def classificacao_form(
    request: Request, slug: str, cadastro: str = "orgao", codigo: str = "", orgao: str = ""
) -> Response:
    ctx = contexto(request, slug, Acao.CADASTRAR)
    cad = ctx.repo.classificacoes(slug)
    valores: dict[str, str] = {"cadastro": cadastro if cadastro in CLASSIFICACOES else "orgao"}
    atual: Any = {
        "orgao": cad.orgaos.get(codigo),
        "unidade": cad.unidades.get((orgao, codigo)),
        "programa": cad.programas.get(codigo),
        "acao": cad.acoes.get(codigo),
        "fonte": cad.fontes.get(codigo.replace(".", "")),  # a chave é o FR sem ponto
    }.get(valores["cadastro"])
    if atual is not None:
        valores |= {"codigo": codigo, "nome": atual.nome, "orgao": orgao}
        if valores["cadastro"] == "fonte":
            valores["propriedades"] = "\n".join(f"{k}={v}" for k, v in atual.propriedades)
    return _form(ctx, "classificacao", valores, novo=atual is None)


@rotas.post("/e/{slug}/cadastros/classificacoes/editar")
async def classificacao_gravar(request: Request, slug: str) -> Response:
    """A linha ``{"cadastro": "orgao"|"unidade"|"programa"|"acao"|"fonte", …}`` do
    JSON Lines de cadastros (docs/eventos.md, Classificações orçamentárias)."""
    ctx = contexto(request, slug, Acao.CADASTRAR)
    form = await formulario(request, ctx.sessao)
    valores = {c: str(form.get(c, "")).strip() for c in CAMPOS_CLASSIFICACAO}
    cadastro = valores["cadastro"]
    obj: dict[str, Any] = {"cadastro": cadastro, "entidade": slug, "codigo": valores["codigo"],
                           "nome": valores["nome"]}  # fmt: skip
    erros: list[Erro] = []
    if cadastro == "unidade":
        obj["orgao"] = valores["orgao"]
    if cadastro == "acao" and valores["tipo"]:
        obj["tipo"] = valores["tipo"]
    if cadastro == "fonte" and valores["propriedades"]:
        props: dict[str, str] = {}
        for item in valores["propriedades"].replace(";", "\n").splitlines():
            chave, sep, valor = item.partition("=")
            if item.strip() and (not sep or not chave.strip()):
                erros.append(Erro("WEB-PROPRIEDADE", f"'{item.strip()}': use CHAVE=valor, uma "
                                                     "por linha", "propriedades"))  # fmt: skip
            elif item.strip():
                props[chave.strip()] = valor.strip()
        obj["propriedades"] = props
    if cadastro not in CLASSIFICACOES:
        erros.append(Erro("WEB-CADASTRO", f"cadastro '{cadastro}' inválido: use "
                                          f"{', '.join(CLASSIFICACOES)}", "cadastro"))  # fmt: skip
    if erros:
        return _form(ctx, "classificacao", valores, 422, erros, form.get("novo") == "1")
    return _gravar(ctx, "classificacao", obj, valores, form.get("novo") == "1")
