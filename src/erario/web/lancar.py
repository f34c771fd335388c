"""Lançar: formulários dos eventos do dia a dia, estorno, lançamento manual e
importação de arquivos.

Cada formulário é uma linha da tabela ``FORMULARIOS``: os campos têm os nomes do
esquema JSON da carga de eventos (docs/importacao.md). O que a pessoa digita
(1.234,56; 31/12/2026; CPF com máscara) vira o mesmo objeto de uma linha do
arquivo e segue o caminho de ``erario importar --tipo eventos``:
``evento_de_dict`` → ``Repositorio.registrar_eventos`` (travas, roteiros,
retenções). Recusa: a mensagem da regra ao lado do campo (``Erro.campo``) e nada
gravado. Nenhuma regra é refeita aqui."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from erario.core.codigos import somente_digitos
from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import web as armazem
from erario.web import formatos
from erario.web.acesso import Acao
from erario.web.app import Ctx, contexto, formulario, pagina, separar_erros

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario

rotas = APIRouter()


class Campo(NamedTuple):
    nome: str  # chave no JSON da carga
    rotulo: str
    tipo: str = "texto"  # texto | valor | data | documento | numero | area
    obrigatorio: bool = True
    ajuda: str = ""
    lista: str = ""  # opções sugeridas (ver _opcoes)


class Formulario(NamedTuple):
    titulo: str
    prefixo: str  # id automático: prefixo + ano (2 dígitos) + sequência de 4
    campos: tuple[Campo, ...]
    previa: bool = False  # mostra o cálculo (retenções) antes de confirmar


_ID = Campo("id", "Número (id)", obrigatorio=False, ajuda="vazio: o próximo número")
_DATA = Campo("data", "Data", "data", ajuda="DD/MM/AAAA")
_VALOR = Campo("valor", "Valor (R$)", "valor", ajuda="ex.: 1.234,56")
_CONTA_BANCARIA = Campo(
    "conta_bancaria", "Conta bancária", obrigatorio=False, lista="contas",
    ajuda="código do cadastro de contas bancárias",
)  # fmt: skip

FORMULARIOS: Final[dict[str, Formulario]] = {
    "empenho": Formulario(
        "Empenho",
        "EMP",
        (
            _ID,
            _DATA,
            Campo(
                "dotacao",
                "Dotação",
                lista="dotacoes",
                ajuda="o crédito disponível aparece na lista",
            ),
            Campo("fonte", "Fonte de recursos", lista="fontes", ajuda="ex.: 1500"),
            Campo("credor", "Credor (CPF/CNPJ)", "documento", lista="credores"),
            _VALOR,
            Campo(
                "modalidade",
                "Modalidade",
                obrigatorio=False,
                lista="modalidades",
                ajuda="ordinario, estimativo ou global",
            ),
        ),
    ),
    "anulacao_empenho": Formulario(
        "Anulação de empenho",
        "ANE",
        (_ID, _DATA, Campo("empenho", "Empenho", lista="empenhos"), _VALOR),
    ),
    "liquidacao": Formulario(
        "Liquidação",
        "LIQ",
        (
            _ID,
            _DATA,
            Campo("empenho", "Empenho", lista="empenhos"),
            _VALOR,
            Campo("conta_vpd", "Conta da VPD (ou do ativo)", ajuda="ex.: 3.3.2.3.1.99.00"),
            Campo("conta_passivo", "Conta do passivo", ajuda="ex.: 2.1.3.1.1.01.01"),
            Campo("documento", "Documento", ajuda="nota fiscal, RPA, medição…"),
            Campo(
                "servico",
                "Serviço (retenções)",
                "numero",
                obrigatorio=False,
                lista="servicos",
                ajuda="código do serviço: calcula IRRF, INSS e ISS",
            ),
            _CONTA_BANCARIA,
        ),
        previa=True,
    ),
    "pagamento": Formulario(
        "Pagamento",
        "PAG",
        (
            _ID,
            _DATA,
            Campo(
                "liquidacao", "Liquidação", lista="liquidacoes", ajuda="o a pagar aparece na lista"
            ),
            Campo("valor", "Valor pago (R$)", "valor", ajuda="líquido das retenções apropriadas"),
            Campo("conta_bancaria", "Conta bancária", lista="contas"),
        ),
    ),
    "arrecadacao": Formulario(
        "Arrecadação",
        "ARR",
        (
            _ID,
            _DATA,
            Campo("natureza_receita", "Natureza da receita", ajuda="8 dígitos, ex.: 11180111"),
            Campo("fonte", "Fonte de recursos", lista="fontes"),
            _VALOR,
            Campo("conta_vpa", "Conta da VPA", ajuda="ex.: 4.1.1.2.1.01.00"),
            Campo("conta_bancaria", "Conta bancária", lista="contas"),
        ),
    ),
    "ingresso_extraorcamentario": Formulario(
        "Ingresso extraorçamentário",
        "IEX",
        (
            _ID,
            _DATA,
            Campo("fonte", "Fonte de recursos", lista="fontes"),
            Campo("credor", "Credor (CPF/CNPJ)", "documento", lista="credores"),
            _VALOR,
            Campo("conta_passivo", "Conta do passivo", ajuda="ex.: 2.1.8.8.1.01.03"),
            _CONTA_BANCARIA,
        ),
    ),
    "pagamento_extraorcamentario": Formulario(
        "Pagamento extraorçamentário",
        "PEX",
        (
            _ID,
            _DATA,
            Campo("fonte", "Fonte de recursos", lista="fontes"),
            Campo("credor", "Credor (CPF/CNPJ)", "documento", lista="credores"),
            _VALOR,
            Campo("conta_passivo", "Conta do passivo"),
            _CONTA_BANCARIA,
        ),
    ),
    "dotacao_inicial": Formulario(
        "Dotação inicial (LOA)",
        "LOA",
        (
            _ID,
            _DATA,
            Campo("dotacao", "Dotação", ajuda="OOUU.FF.SSS.PPPP.AAAA.NNNNNNNN"),
            Campo("fonte", "Fonte de recursos", lista="fontes"),
            _VALOR,
        ),
    ),
    "previsao_receita": Formulario(
        "Previsão da receita (LOA)",
        "PRE",
        (
            _ID,
            _DATA,
            Campo("natureza_receita", "Natureza da receita", ajuda="8 dígitos, ex.: 11180111"),
            Campo("fonte", "Fonte de recursos", lista="fontes"),
            _VALOR,
        ),
    ),
    "credito_adicional": Formulario(
        "Crédito adicional",
        "CAD",
        (
            _ID,
            _DATA,
            Campo(
                "dotacao",
                "Dotação",
                ajuda="a reforçada (suplementar) ou a nova (especial, "
                "extraordinário): OOUU.FF.SSS.PPPP.AAAA.NNNNNNNN",
            ),
            Campo("fonte", "Fonte de recursos", lista="fontes"),
            _VALOR,
            Campo("modalidade", "Modalidade", lista="modalidades_credito"),
            Campo(
                "cobertura",
                "Cobertura",
                obrigatorio=False,
                lista="coberturas",
                ajuda="dispensada no extraordinário",
            ),
        ),
    ),
    "anulacao_dotacao": Formulario(
        "Anulação de dotação",
        "AND",
        (_ID, _DATA, Campo("dotacao", "Dotação", lista="dotacoes"), _VALOR),
    ),
    "reserva_dotacao": Formulario(
        "Reserva de dotação (pré-empenho)",
        "RES",
        (_ID, _DATA, Campo("dotacao", "Dotação", lista="dotacoes"), _VALOR),
    ),
    "anulacao_reserva": Formulario(
        "Anulação de reserva",
        "ANR",
        (_ID, _DATA, Campo("reserva", "Reserva", ajuda="o id da reserva de dotação"), _VALOR),
    ),
    "estorno": Formulario(
        "Estorno de evento",
        "EST",
        (_ID, _DATA, Campo("evento", "Evento a estornar", ajuda="o id do evento")),
    ),
}


# ----------------------------------------------------------------- opções
def _opcoes(ctx: Ctx, ano: int | None, f: Formulario) -> dict[str, list[tuple[str, str]]]:
    """Sugestões dos campos (valor, texto): dotações com o crédito disponível,
    empenhos a liquidar, liquidações a pagar, credores, contas, fontes e serviços.
    Empenhos e liquidações só para os formulários que os pedem, e só os que têm
    saldo (lidos por filtro no banco: num banco grande são centenas de milhares)."""
    from erario.storage.consultas_execucao import A_LIQUIDAR_OU_PAGAR

    repo, slug = ctx.repo, ctx.slug
    listas = {c.lista for c in f.campos}
    controle = repo.controle(
        slug, so=A_LIQUIDAR_OU_PAGAR if listas & {"empenhos", "liquidacoes"} else None
    )
    dotacoes = sorted(
        (
            k[2],
            f"{k[2]} — fonte {s.fonte} — {k[1]} — disponível R$ {formatos.brl(s.disponivel)}",
            s.fonte,
        )
        for k, s in controle.dotacoes.items()
        if k[0] == slug and (ano is None or k[1] >= ano - 1)
    )
    empenhos = (
        sorted(
            (
                n,
                f"{n} — credor {formatos.documento(e.credor)} — a liquidar R$ {formatos.brl(e.a_liquidar)}",
            )
            for (ent, n), e in controle.empenhos.items()
            if ent == slug and e.a_liquidar > 0 and (ent, n) not in controle.estornados
        )
        if "empenhos" in listas
        else []
    )
    liquidacoes = (
        sorted(
            (n, f"{n} — empenho {x.empenho} — a pagar R$ {formatos.brl(x.a_pagar)}")
            for (ent, n), x in controle.liquidacoes.items()
            if ent == slug and x.a_pagar > 0 and (ent, n) not in controle.estornados
        )
        if "liquidacoes" in listas
        else []
    )
    fontes = sorted({(d[2], d[2]) for d in dotacoes})
    try:
        cad = repo.cadastro_retencoes()
        servicos = [(str(c), f"{c} — {s.descricao}") for c, s in sorted(cad.servicos.items())]
    except OperacaoRecusada:
        servicos = []
    return {
        "dotacoes": [(d[0], d[1]) for d in dotacoes],
        "fonte_da_dotacao": [(d[0], d[2]) for d in dotacoes],
        "empenhos": empenhos,
        "liquidacoes": liquidacoes,
        "fontes": fontes,
        "credores": [(c.documento, f"{formatos.documento(c.documento)} — {c.nome}") for c in repo.credores()],
        "contas": [(c.codigo, f"{c.codigo} — {c.tipo.value} — fonte {c.fonte}") for c in repo.contas_bancarias(slug)],
        "servicos": servicos,
        "modalidades": [("ordinario", "ordinário"), ("estimativo", "estimativo"), ("global", "global")],
        "modalidades_credito": [("suplementar", "suplementar"), ("especial", "especial"),
                                ("extraordinario", "extraordinário")],
        "coberturas": [("superavit", "superávit financeiro"), ("excesso", "excesso de arrecadação"),
                       ("anulacao", "anulação de dotação"), ("operacao_credito", "operação de crédito")],
    }  # fmt: skip


# -------------------------------------------------------------- conversão
def objeto_do_formulario(
    ctx: Ctx, tipo: str, f: Formulario, valores: dict[str, str]
) -> dict[str, Any]:
    """O objeto JSON da carga a partir do que foi digitado (só troca o formato)."""
    obj: dict[str, Any] = {"tipo": tipo, "entidade": ctx.slug}
    for c in f.campos:
        v = valores.get(c.nome, "").strip()
        if not v:
            if c.obrigatorio:
                obj[c.nome] = ""  # a conferência do evento relata o campo vazio
            continue
        if c.tipo == "valor":
            obj[c.nome] = formatos.valor_para_carga(v)
        elif c.tipo == "data":
            obj[c.nome] = formatos.data_para_carga(v)
        elif c.tipo == "documento":
            obj[c.nome] = somente_digitos(v) or v
        elif c.tipo == "numero":
            obj[c.nome] = int(v) if v.isdigit() else v
        else:
            obj[c.nome] = v
    return obj


def _proximo_id(ctx: Ctx, f: Formulario, data: str) -> str:
    ano = data[:4] if data[:4].isdigit() else "00"
    base = f"{f.prefixo}{ano[2:]}"
    usados = ctx.repo.codigos_de_evento(ctx.slug, base)
    numeros = [int(c[len(base) :]) for c in usados if c[len(base) :].isdigit()]
    return f"{base}{max(numeros, default=0) + 1:04d}"


def _formulario(request: Request, tipo: str) -> Formulario:
    f = FORMULARIOS.get(tipo)
    if f is None:
        from erario.web.app import Recusa

        raise Recusa(404, Erro("WEB-PAGINA", f"não há formulário de '{tipo}'"))
    return f


def _mostrar(
    ctx: Ctx,
    tipo: str,
    f: Formulario,
    valores: dict[str, str],
    erros: list[Erro] = (),  # type: ignore[assignment]
    previa: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """O formulário, com as sugestões dos campos (uma leitura do controle)."""
    por_campo, gerais = separar_erros(erros, {c.nome for c in f.campos})
    data = formatos.data_para_carga(valores.get("data", ""))
    ano = int(data[:4]) if data[:4].isdigit() else None
    return pagina(
        ctx,
        ctx.request,
        "lancar_form.html",
        status=status,
        tipo=tipo,
        f=f,
        valores=valores,
        por_campo=por_campo,
        gerais=gerais,
        previa=previa,
        opcoes=_opcoes(ctx, ano, f),
        formularios=FORMULARIOS,
    )


@rotas.get("/e/{slug}/lancar")
def menu(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug, Acao.LANCAR)
    return pagina(ctx, request, "lancar.html", formularios=FORMULARIOS)


@rotas.get("/e/{slug}/lancar/{tipo}")
def formulario_vazio(request: Request, slug: str, tipo: str) -> Response:
    ctx = contexto(request, slug, Acao.LANCAR)
    f = _formulario(request, tipo)
    valores = {k: v for k, v in request.query_params.items() if k in {c.nome for c in f.campos}}
    return _mostrar(ctx, tipo, f, valores)


@rotas.post("/e/{slug}/lancar/{tipo}")
async def lancar(request: Request, slug: str, tipo: str) -> Response:
    from erario.execucao.carga import evento_de_dict

    ctx = contexto(request, slug, Acao.LANCAR)
    f = _formulario(request, tipo)
    form = await formulario(request, ctx.sessao)
    valores = {c.nome: str(form.get(c.nome, "")) for c in f.campos}
    obj = objeto_do_formulario(ctx, tipo, f, valores)
    if not obj.get("id"):
        obj["id"] = _proximo_id(ctx, f, str(obj.get("data", "")))
    origem = f"web:{ctx.login}"
    ev, erros = evento_de_dict(obj, None, origem)
    if ev is None:
        return _mostrar(ctx, tipo, f, valores, erros, status=422)
    confirmar = form.get("acao") == "confirmar" or not f.previa
    try:
        if not confirmar:
            with ctx.repo.controle_sob_demanda() as controle:
                previa = _previa(ctx, ev, controle)
            ctx.repo.registrar_eventos([(None, ev)], origem, validar=True)
            valores["id"] = str(obj["id"])
            return _mostrar(ctx, tipo, f, valores, previa=previa)
        ctx.repo.registrar_eventos([(None, ev)], origem)
    except OperacaoRecusada as exc:
        armazem.registrar_acao(
            ctx.web.engine, ctx.login, slug, f"lancar:{tipo}", "recusado",
            "; ".join(str(e) for e in exc.erros)[:2000],
        )  # fmt: skip
        return _mostrar(ctx, tipo, f, valores, exc.erros, status=422)
    armazem.registrar_acao(
        ctx.web.engine, ctx.login, slug, f"lancar:{tipo}", "ok", json.dumps(obj, ensure_ascii=False)
    )
    return RedirectResponse(f"/e/{slug}/evento/{obj['id']}?registrado=1", status_code=303)


def _previa(ctx: Ctx, ev: Any, controle: ControleOrcamentario) -> dict[str, Any]:
    """A liquidação como será gravada: os descontos calculados pelo serviço
    (``retencoes.apropriacao.expandir_liquidacao``, o mesmo cálculo da carga) e o
    líquido a pagar."""
    from erario.retencoes.apropriacao import expandir_liquidacao

    repo = ctx.repo
    credores = {c.documento: c for c in repo.credores()}
    exp = expandir_liquidacao(
        ev, controle, repo.cadastro_retencoes(), credores, repo.contas_bancarias()
    )
    if exp.erros:
        raise OperacaoRecusada(exp.erros)
    cad = repo.cadastro_retencoes()
    principal = next((e for e in exp.eventos if getattr(e, "id", "") == ev.id), ev)
    # Os descontos apropriados na liquidação saem numa liquidação gerada (id-L…),
    # paga na hora; os retidos no pagamento ficam na principal.
    liquidacoes = [
        e for e in exp.eventos if e is principal or getattr(e, "gerado_por", "") == ev.id
    ]
    descontos = [
        (codigo, cad.descontos[codigo].descricao if codigo in cad.descontos else "", base, valor,
         "liquidação" if e is not principal else "pagamento")
        for e in liquidacoes
        for codigo, base, valor in getattr(e, "descontos", ())
    ]  # fmt: skip
    retido = sum(d[3] for d in descontos)
    return {
        "descontos": descontos,
        "bruto": ev.valor,
        "retido": retido,
        "a_pagar": getattr(principal, "valor", ev.valor),
        "liquido": ev.valor - retido,
        "gerados": [e for e in exp.eventos if e is not principal],
        "avisos": exp.avisos,
    }


# -------------------------------------------------------- lançamento manual
@rotas.get("/e/{slug}/manual")
def manual(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug, Acao.LANCAR)
    return pagina(ctx, request, "manual.html", valores={}, linhas=4, erros=[])


@rotas.post("/e/{slug}/manual")
async def manual_post(request: Request, slug: str) -> Response:
    """Lançamento manual: vira uma linha do JSONL de lançamentos e passa pela
    mesma leitura e validação de ``erario importar`` (partidas dobradas, contas,
    conta corrente, competência aberta)."""
    from erario.razao.carga import ler_lancamentos_jsonl

    ctx = contexto(request, slug, Acao.LANCAR)
    form = await formulario(request, ctx.sessao)
    valores = {k: str(v) for k, v in form.items() if k != "csrf"}
    partidas = []
    for i in range(1, 21):
        conta = valores.get(f"conta_{i}", "").strip()
        if not conta:
            continue
        p: dict[str, Any] = {
            "conta": conta,
            "dc": valores.get(f"dc_{i}", "").strip().upper(),
            "valor": formatos.valor_para_carga(valores.get(f"valor_{i}", "")),
        }
        if valores.get(f"cc_{i}", "").strip():
            p["conta_corrente"] = valores[f"cc_{i}"].strip()
        partidas.append(p)
    obj = {
        "entidade": slug,
        "data": formatos.data_para_carga(valores.get("data", "")),
        "historico": valores.get("historico", "").strip(),
        "origem": f"web:{ctx.login}",
        "partidas": partidas,
    }
    origem = f"web:{ctx.login}"
    lote = ler_lancamentos_jsonl([json.dumps(obj, ensure_ascii=False)], origem)
    try:
        if lote.erros:
            raise OperacaoRecusada(lote.erros)
        lancados = ctx.repo.lancar_lote(lote.lancamentos, origem=origem)
    except OperacaoRecusada as exc:
        linhas = max(4, len(partidas))
        return pagina(
            ctx, request, "manual.html", status=422, valores=valores, linhas=linhas, erros=exc.erros
        )
    numero = lancados[0].numero
    armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "lancamento_manual", "ok", str(numero))
    return RedirectResponse(f"/e/{slug}/lancamento/{numero}", status_code=303)


# ---------------------------------------------------------------- importar
@rotas.get("/e/{slug}/importar")
def importar(request: Request, slug: str) -> Response:
    ctx = contexto(request, slug, Acao.LANCAR)
    return pagina(ctx, request, "importar.html", erros=[], resultado="")


def _so_da_entidade(
    itens: Iterator[tuple[int, Any]], slug: str, nome: str, erros: list[Erro]
) -> Iterator[tuple[int, Any]]:
    """Pela web, cada um só lança na entidade da página (o papel é por entidade)."""
    for linha, ev in itens:
        if ev.entidade != slug:
            erros.append(
                Erro(
                    "WEB-ENTIDADE",
                    f"evento da entidade {ev.entidade}: aqui só entram eventos de {slug}",
                    "entidade",
                    linha,
                    nome,
                )
            )
            continue
        yield linha, ev


def _so_cadastros_da_entidade(linhas: list[str], slug: str, nome: str) -> list[Erro]:
    """Cadastros pela página de uma entidade: as linhas que citam entidade
    (``entidade``; nos parâmetros das retenções, ``unidade_gestora``) só dela. As
    linhas ilegíveis ficam para a conferência da carga, que as relata."""
    erros = []
    for n, linha in enumerate(linhas, 1):
        try:
            obj = json.loads(linha) if linha.strip() else None
        except ValueError:
            continue
        if not isinstance(obj, dict):
            continue
        for chave in ("entidade", "unidade_gestora"):
            valor = obj.get(chave)
            if valor is not None and valor != slug:
                erros.append(Erro("WEB-ENTIDADE", f"cadastro da entidade {valor}: aqui só entram "
                                                  f"cadastros de {slug}", chave, n, nome))  # fmt: skip
    return erros


def _importar_cadastros(
    ctx: Ctx, tipo: str, linhas: list[str], nome: str, validar: bool, acao: str
) -> str:
    """``erario importar --tipo cadastros|retencoes``: ``registrar_cadastros`` ou
    ``registrar_retencoes``, tudo ou nada, com todos os problemas (os da entidade
    junto com os da carga)."""
    registrar = (
        ctx.repo.registrar_cadastros if tipo == "cadastros" else ctx.repo.registrar_retencoes
    )
    fora = _so_cadastros_da_entidade(linhas, ctx.slug, nome)
    if fora:
        try:
            registrar(linhas, nome, validar=True)
        except OperacaoRecusada as exc:
            fora = exc.erros + fora
        raise OperacaoRecusada(fora)
    if tipo == "retencoes":
        n = ctx.repo.registrar_retencoes(linhas, nome, validar=validar)
        return f"{n} cadastro(s) de retenção {acao}."
    r = ctx.repo.registrar_cadastros(linhas, nome, validar=validar)
    return (
        f"{r.credores} credor(es) e {r.contas_bancarias} conta(s) bancária(s) {acao}"
        + (f"; {r.encerramentos} encerramento(s) de conta bancária" if r.encerramentos else "")
        + f"; classificações: {r.orgaos} órgão(s), {r.unidades} unidade(s), {r.programas} "
        f"programa(s), {r.acoes} ação(ões), {r.fontes} fonte(s)."
    )


@rotas.post("/e/{slug}/importar")
async def importar_post(request: Request, slug: str) -> Response:
    """Upload de eventos (JSONL) ou lançamentos (CSV/JSONL), tudo ou nada, com
    todos os problemas listados (como ``erario importar``)."""
    from erario.execucao.carga import TextosLidos, iterar_eventos_jsonl
    from erario.razao.carga import ler_lancamentos_csv, ler_lancamentos_jsonl

    ctx = contexto(request, slug, Acao.LANCAR)
    form = await formulario(request, ctx.sessao)
    envio = form.get("arquivo")
    tipo = str(form.get("tipo", "eventos"))
    validar = form.get("validar") == "1"
    if envio is None or isinstance(envio, str) or not envio.filename:
        erros = [Erro("WEB-ARQUIVO", "escolha o arquivo a importar", "arquivo")]
        return pagina(ctx, request, "importar.html", status=422, erros=erros, resultado="")
    nome = envio.filename
    bruto = await envio.read()
    try:
        texto = bruto.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        erros = [
            Erro("CARGA-CODIFICACAO",
                 f"texto fora do UTF-8 (byte {exc.start + 1}): salve o arquivo em UTF-8", None, None, nome)
        ]  # fmt: skip
        return pagina(ctx, request, "importar.html", status=422, erros=erros, resultado="")
    linhas = io.StringIO(texto, newline="")
    acao = "válido(s); nada gravado" if validar else "registrado(s)"
    try:
        if tipo == "eventos":
            erros_leitura: list[Erro] = []
            textos: TextosLidos = {}
            itens = _so_da_entidade(
                iterar_eventos_jsonl(linhas, nome, erros_leitura, textos), slug, nome, erros_leitura
            )
            r = ctx.repo.registrar_eventos(
                itens, nome, validar=validar, erros_leitura=erros_leitura, textos_lidos=textos
            )
            resultado = f"{r.eventos} evento(s) {acao}: {r.lancamentos} lançamento(s), {r.partidas} partida(s)."
        elif tipo in ("cadastros", "retencoes"):
            resultado = _importar_cadastros(ctx, tipo, texto.splitlines(), nome, validar, acao)
        else:
            ler = (
                ler_lancamentos_jsonl
                if nome.lower().endswith((".jsonl", ".json"))
                else ler_lancamentos_csv
            )
            lote = ler(linhas, nome)
            fora = [
                Erro("WEB-ENTIDADE", f"lançamento da entidade {lc.entidade}: aqui só entram de {slug}",
                     "entidade", n, nome)
                for lc, n in zip(lote.lancamentos, lote.linhas, strict=True)
                if lc.entidade != slug
            ]  # fmt: skip
            if fora:
                raise OperacaoRecusada([*lote.erros, *fora])
            rc = ctx.repo.importar([lote], origem=nome, validar=validar)
            resultado = f"{rc.lancamentos} lançamento(s), {rc.partidas} partida(s) {acao}."
    except OperacaoRecusada as exc:
        armazem.registrar_acao(ctx.web.engine, ctx.login, slug, "importar", "recusado", nome)
        return pagina(ctx, request, "importar.html", status=422, erros=exc.erros, resultado="")
    if not validar:
        armazem.registrar_acao(
            ctx.web.engine, ctx.login, slug, "importar", "ok", f"{nome}: {resultado}"
        )
    return pagina(ctx, request, "importar.html", erros=[], resultado=resultado)
