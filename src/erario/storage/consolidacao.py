"""Consolidação sobre o banco do erario: balancete mensal para envio, balancetes
incorporados (tabela ``balancete_incorporado``, migração 0006), consolidado do
razão local + incorporados, e orçamento (LOA) para exportar e importar.

O município no banco da Prefeitura: entidades **locais** (com razão aqui) e
**incorporadas** (``entidade.incorporada``, migração 0010: Câmara, RPPS… com
instalação própria). A Prefeitura elabora e exporta a LOA das incorporadas
(``orcamento_incorporado``, sem lançamento) e incorpora os balancetes delas, e
só delas, pelo CNPJ.

As regras ficam em ``erario.consolidacao``; aqui só se lê e grava.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, select

from erario.consolidacao.balancetes import (
    Consolidado,
    Saldos,
    consolidar,
    intervalo,
    saldos_de_balancete,
)
from erario.consolidacao.formato import (
    MES_ENCERRAMENTO,
    BalanceteMensal,
    EntidadeDoc,
    conferir_com_plano,
    conferir_recebido,
    ler_bytes,
    ler_documento,
    ler_objeto_json,
)
from erario.consolidacao.orcamento import (
    TIPOS_LOA,
    Orcamento,
    OrcamentoEntidade,
    conferir_unidades,
)
from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.carga import EstornoEvento, dict_de_evento, evento_de_dados, evento_de_dict
from erario.orcamento.cadastros import Classificacoes, classificacoes_de
from erario.razao.modelo import Entidade, SituacaoCompetencia, TipoEntidade
from erario.storage import esquema as t
from erario.storage.cadastros import Cadastros
from erario.storage.massa import gravar_ou_atualizar
from erario.storage.repositorio import Repositorio


def _doc_entidade(e: Entidade) -> EntidadeDoc:
    return EntidadeDoc(e.cnpj, e.slug, e.nome, str(e.tipo), e.ibge)


# ------------------------------------------------------ entidades incorporadas
def incorporadas(repo: Repositorio, ibge: str | None = None) -> list[Entidade]:
    """Entidades incorporadas (do município ``ibge``, se dado), na ordem de cadastro."""
    return [e for e in repo.entidades() if e.incorporada and ibge in (None, e.ibge)]


def _recusar_incorporada(e: Entidade, acao: str) -> None:
    if e.incorporada:
        raise OperacaoRecusada.uma(
            "CON-INCORPORADA",
            f"{e.slug} é entidade incorporada neste banco (a escrituração dela é feita na "
            f"instalação própria): {acao}",
        )


def marcar_incorporada(repo: Repositorio, slug: str) -> Entidade:
    """Marca como incorporada uma entidade já cadastrada sem razão neste banco.

    Recusa a Prefeitura (é ela que incorpora) e entidade com exercício aberto,
    lançamentos ou eventos aqui (CON-INCORPORADA): o consolidado somaria o razão
    local e o balancete do servidor da mesma entidade."""
    e = repo.entidade(slug)
    if e.incorporada:
        return e
    if e.tipo == TipoEntidade.PREFEITURA:
        raise OperacaoRecusada.uma(
            "CON-INCORPORADA",
            f"{slug} é a Prefeitura, que incorpora as outras entidades: não pode ser incorporada",
        )
    with repo.engine.begin() as con:
        eid = repo.sessao.id_entidade(con, slug)
        contagem = {
            nome: con.execute(
                select(func.count()).select_from(tabela).where(tabela.c.entidade_id == eid)
            ).scalar_one()
            for nome, tabela in (
                ("competência(s)", t.competencia),
                ("lançamento(s)", t.lancamento),
                ("evento(s)", t.evento),
            )
        }
        if any(contagem.values()):
            raise OperacaoRecusada.uma(
                "CON-INCORPORADA",
                f"{slug} já tem razão neste banco ("
                + ", ".join(f"{n} {nome}" for nome, n in contagem.items() if n)
                + "): só entidade sem exercício aberto, lançamentos nem eventos pode ser "
                "incorporada (o consolidado contaria duas vezes a mesma entidade)",
            )
        con.execute(t.entidade.update().where(t.entidade.c.id == eid).values(incorporada=True))
    return e._replace(incorporada=True)


def balancete_para_envio(repo: Repositorio, slug: str, ano: int, mes: int) -> BalanceteMensal:
    """Balancete do mês para o servidor; recusa mês aberto e balancete que não fecha."""
    _recusar_incorporada(repo.entidade(slug), "o balancete dela é exportado pela instalação dela")
    competencias = {c.mes: c.situacao for c in repo.competencias(slug, ano)}
    if mes == MES_ENCERRAMENTO:
        if not _encerrado(repo, slug, ano, competencias):
            raise OperacaoRecusada.uma(
                "CON-NAO-ENCERRADO",
                f"o exercício {ano} de {slug} não foi encerrado: rode 'erario exercicio encerrar "
                f"{slug} {ano}' antes de exportar a competência 13 (encerramento)",
            )
    elif competencias.get(mes) != SituacaoCompetencia.FECHADA:
        raise OperacaoRecusada.uma(
            "CON-MES-ABERTO",
            f"a competência {mes:02d}/{ano} de {slug} não está fechada: feche-a antes de exportar",
        )
    e = repo.entidade(slug)
    b = repo.balancete([slug], ano, mes, mes, por_conta_corrente=True)
    bm = BalanceteMensal(_doc_entidade(e), e.plano, ano, mes, saldos_de_balancete(b))
    erros = conferir_com_plano(bm, repo.plano(bm.plano))
    if erros:
        raise OperacaoRecusada(erros)
    return bm


def _encerrado(
    repo: Repositorio, slug: str, ano: int, competencias: dict[int, SituacaoCompetencia]
) -> bool:
    """Exercício encerrado: as 12 competências fechadas e lançamentos de
    encerramento (período 13) no razão."""
    if any(competencias.get(m) != SituacaoCompetencia.FECHADA for m in range(1, 13)):
        return False
    lc = t.lancamento.c
    with repo.engine.connect() as con:
        eid = repo.sessao.id_entidade(con, slug)
        q = select(lc.id).where(
            (lc.entidade_id == eid) & (lc.ano == ano) & (lc.periodo == MES_ENCERRAMENTO)
        )
        return con.execute(q.limit(1)).first() is not None


def _nao_incorporada(repo: Repositorio, cnpj: str, slug: str) -> Erro:
    """CON-NAO-INCORPORADA: balancete de entidade que não é incorporada aqui."""
    local = next((e for e in repo.entidades() if e.cnpj == cnpj), None)
    if local is not None:
        motivo = (
            f"é a entidade local {local.slug}, escriturada neste banco: o consolidado usa o "
            "razão dela (para incorporar o balancete do servidor, ela não pode ter razão aqui)"
        )
    else:
        motivo = (
            "não está cadastrada neste banco: cadastre-a com 'erario entidade criar … "
            "--incorporada' (mesmos CNPJ e slug) para que entre no consolidado"
        )
    return Erro("CON-NAO-INCORPORADA", f"{slug} ({cnpj}) tem balancetes no servidor, mas {motivo}")


def incorporar(
    repo: Repositorio, dados: bytes, versao: int, usuario: str, ibge: str
) -> BalanceteMensal:
    """Grava (ou substitui) a versão incorporada do balancete, tudo ou nada.

    O balancete deve ser de uma entidade incorporada deste banco (mesmos CNPJ e
    slug) e passar pelas conferências de quem o recebe (``conferir_recebido``,
    as mesmas do servidor)."""
    obj, erros = ler_objeto_json(dados, "balancete baixado")
    if obj is None:
        raise OperacaoRecusada(erros)
    bm, erros = ler_documento(obj, "balancete baixado")
    if bm is None:
        raise OperacaoRecusada(erros)
    origem = f"{bm.entidade.slug} {bm.mes:02d}/{bm.ano}"
    ent = next((e for e in incorporadas(repo) if e.cnpj == bm.entidade.cnpj), None)
    if ent is None:
        raise OperacaoRecusada([_nao_incorporada(repo, bm.entidade.cnpj, bm.entidade.slug)])
    if ent.slug != bm.entidade.slug:
        raise OperacaoRecusada.uma(
            "CON-ENTIDADE",
            f"o balancete do CNPJ {ent.cnpj} traz o slug {bm.entidade.slug}, mas aqui a "
            f"entidade incorporada é {ent.slug}: confira o cadastro nas duas instalações",
        )
    erros = conferir_recebido(bm, repo.plano(ent.plano), ibge)
    if erros:
        raise OperacaoRecusada([e.em(origem=origem) for e in erros])
    soma = obj["checksum"]  # ler_documento já conferiu que é o do conteúdo
    valores = {
        "slug": bm.entidade.slug, "nome": bm.entidade.nome, "ibge": bm.entidade.ibge,
        "versao": versao, "checksum": soma, "dados": dados.decode("utf-8"),
        "incorporado_em": dt.datetime.now(dt.UTC), "usuario": usuario,
    }  # fmt: skip
    chave = {"cnpj": bm.entidade.cnpj, "ano": bm.ano, "mes": bm.mes}
    with repo.engine.begin() as con:
        gravar_ou_atualizar(con, t.balancete_incorporado, chave, valores)
    return bm


def incorporados(repo: Repositorio, ano: int) -> list[dict[str, Any]]:
    """Resumo dos balancetes incorporados do exercício (cnpj, slug, mes, versao, checksum)."""
    tb = t.balancete_incorporado.c
    q = select(tb.cnpj, tb.slug, tb.mes, tb.versao, tb.checksum, tb.incorporado_em).where(
        tb.ano == ano
    )
    with repo.engine.connect() as con:
        return [dict(r._mapping) for r in con.execute(q.order_by(tb.slug, tb.mes))]


class ResultadoImportacao(NamedTuple):
    """``importar_balancetes``: o que entrou, o que já estava e os problemas."""

    incorporados: list[tuple[str, int]]  # (slug, mês) gravados agora
    atualizados: int  # já incorporados na versão vigente do servidor
    erros: list[Erro]  # balancetes recusados e entidades que não são incorporadas aqui
    sem_envio: list[str]  # incorporadas sem nenhum balancete do exercício no servidor


def importar_balancetes(
    repo: Repositorio,
    slug: str,
    ano: int,
    envios: Sequence[dict[str, Any]],
    baixar: Callable[[dict[str, Any]], bytes],
    usuario: str,
) -> ResultadoImportacao:
    """Incorpora a versão vigente dos balancetes das entidades incorporadas.

    ``envios``: a situação do servidor (``GET /situacao``); ``baixar(envio)``, o
    documento. Cada balancete é conferido e gravado sozinho: um documento ruim
    não impede os outros e entra na lista de erros, com a entidade e o mês.
    Balancetes de entidade que não é incorporada aqui (local ou desconhecida)
    também são erro (CON-NAO-INCORPORADA), uma vez por entidade; e sem entidade
    incorporada no município não há o que importar (CON-INCORPORADA)."""
    e = repo.entidade(slug)
    _recusar_incorporada(e, "quem importa os balancetes é a Prefeitura")
    alvo = {x.cnpj: x for x in incorporadas(repo, e.ibge)}
    ordem = {cnpj: i for i, cnpj in enumerate(alvo)}  # a ordem de cadastro aqui
    balancetes = sorted(
        (x for x in envios if x["documento"] == "balancete"),
        key=lambda x: (ordem.get(x["cnpj"], len(ordem)), x["cnpj"], x["mes"]),
    )
    if not alvo:
        raise OperacaoRecusada.uma(
            "CON-INCORPORADA",
            f"não há entidade incorporada do município {e.ibge} neste banco"
            + (f" e o servidor tem {len(balancetes)} balancete(s) de {ano}" if balancetes else "")
            + ": cadastre a Câmara, o RPPS… com 'erario entidade criar … --incorporada' (ou "
            "'erario consolidacao incorporar SLUG') antes de importar",
        )
    ja = {(x["cnpj"], x["mes"]): x["checksum"] for x in incorporados(repo, ano)}
    feitos: list[tuple[str, int]] = []
    atualizados = 0
    erros: list[Erro] = []
    estranhas: set[str] = set()
    for env in balancetes:
        cnpj, mes = env["cnpj"], env["mes"]
        if cnpj not in alvo:
            if cnpj != e.cnpj and cnpj not in estranhas:
                estranhas.add(cnpj)
                erros.append(_nao_incorporada(repo, cnpj, env["slug"]))
            continue
        if ja.get((cnpj, mes)) == env["checksum"]:
            atualizados += 1
            continue
        origem = f"{alvo[cnpj].slug} {mes:02d}/{ano}"
        try:
            incorporar(repo, baixar(env), env["versao"], usuario, e.ibge)
        except OperacaoRecusada as exc:
            erros += [x if x.origem else x.em(origem=origem) for x in exc.erros]
            continue
        feitos.append((alvo[cnpj].slug, mes))
    com_envio = {x["cnpj"] for x in balancetes}
    sem_envio = [x.slug for x in alvo.values() if x.cnpj not in com_envio]
    return ResultadoImportacao(feitos, atualizados, erros, sem_envio)


def _saldos_incorporados(repo: Repositorio, ano: int) -> dict[str, dict[int, Saldos]]:
    """Saldos dos balancetes incorporados do exercício, por CNPJ e mês."""
    tb = t.balancete_incorporado.c
    por: dict[str, dict[int, Saldos]] = {}
    with repo.engine.connect() as con:
        for cnpj, slug, mes, dados in con.execute(
            select(tb.cnpj, tb.slug, tb.mes, tb.dados)
            .where(tb.ano == ano)
            .order_by(tb.cnpj, tb.mes)
        ):
            bm, erros = ler_bytes(dados.encode("utf-8"), f"{slug} {mes:02d}/{ano}")
            if bm is None:
                raise OperacaoRecusada(erros)
            por.setdefault(cnpj, {})[mes] = bm.saldos
    return por


def _slug_guardado(repo: Repositorio, cnpj: str) -> str:
    tb = t.balancete_incorporado.c
    with repo.engine.connect() as con:
        return str(con.execute(select(tb.slug).where(tb.cnpj == cnpj).limit(1)).scalar_one())


def consolidado(
    repo: Repositorio,
    slugs: Sequence[str],
    ano: int,
    inicio: int,
    fim: int,
    *,
    com_incorporados: bool = False,
    por_conta_corrente: bool = False,
    eliminar_intra: bool = False,
    nivel_maximo: int | None = None,
) -> Consolidado:
    """Entidades locais (do razão) + incorporadas (meses ``inicio`` a ``fim``, 1–13).

    Com ``com_incorporados``, entram todas as entidades incorporadas do
    município das locais, cada uma pelos balancetes do seu CNPJ: a que não tem
    todos os meses do intervalo é recusada (CON-MES-FALTANTE), assim como
    balancete guardado de CNPJ que não é incorporado aqui (CON-NAO-INCORPORADA)."""
    if not slugs:
        raise OperacaoRecusada.uma("CON-ENTIDADE", "informe ao menos uma entidade local")
    locais = [repo.entidade(s) for s in slugs]
    for e in locais:
        _recusar_incorporada(
            e, "o balancete dela vem do servidor: use --incorporados, sem citá-la entre as locais"
        )
    partes: list[tuple[str, Saldos]] = []
    for s in slugs:
        b = repo.balancete([s], ano, inicio, fim, por_conta_corrente=True)
        partes.append((s, saldos_de_balancete(b)))
    planos = {e.plano for e in locais}
    if com_incorporados:
        if not 1 <= inicio <= fim <= MES_ENCERRAMENTO:
            raise OperacaoRecusada.uma(
                "CON-PERIODO",
                "com balancetes incorporados, use meses de 01 a 12, ou 13 (encerramento)",
            )
        municipios = {e.ibge for e in locais}
        alvo = [e for e in incorporadas(repo) if e.ibge in municipios]
        guardados = _saldos_incorporados(repo, ano)
        erros: list[Erro] = []
        if not alvo:
            erros.append(
                Erro(
                    "CON-INCORPORADA",
                    "não há entidade incorporada neste banco: cadastre a Câmara, o RPPS… com "
                    "'erario entidade criar … --incorporada' e importe os balancetes delas",
                )
            )
        for cnpj in sorted(set(guardados) - {e.cnpj for e in incorporadas(repo)}):
            erros.append(_nao_incorporada(repo, cnpj, _slug_guardado(repo, cnpj)))
        for e in alvo:
            saldos, erros_e = intervalo(guardados.get(e.cnpj, {}), inicio, fim, e.slug)
            erros += erros_e
            partes.append((e.slug, saldos))
            planos.add(e.plano)
        if erros:
            raise OperacaoRecusada(erros)
    if len(planos) != 1:
        raise OperacaoRecusada.uma("CON-PLANO", "entidades com planos de contas diferentes")
    c = consolidar(
        repo.plano(planos.pop()), partes, ano=ano, inicio=inicio, fim=fim,
        por_conta_corrente=True, eliminar_intra=eliminar_intra, nivel_maximo=nivel_maximo,
    )  # fmt: skip
    if por_conta_corrente:
        return c

    # Sem abertura: as linhas por conta corrente saem (os totais não mudam).
    def sem_cc(b: Any) -> Any:
        return b._replace(
            por_conta_corrente=False, linhas=tuple(ln for ln in b.linhas if not ln.conta_corrente)
        )

    return c._replace(balancete=sem_cc(c.balancete), partes=tuple(sem_cc(p) for p in c.partes))


# ---------------------------------------------------------------- orçamento
def _cadastros_exportados(cad: Classificacoes) -> list[dict[str, Any]]:
    """Classificações no JSON Lines de cadastros (sem ``entidade``): órgãos,
    unidades, programas, ações e fontes (a Câmara que cadastrou fontes confere a
    fonte de cada dotação contra elas)."""
    saida: list[dict[str, Any]] = [
        {"cadastro": "orgao", "codigo": o.codigo, "nome": o.nome} for o in cad.orgaos.values()
    ]
    saida += [
        {"cadastro": "unidade", "orgao": u.orgao, "codigo": u.codigo, "nome": u.nome}
        for u in cad.unidades.values()
    ]
    saida += [
        {"cadastro": "programa", "codigo": p.codigo, "nome": p.nome} for p in cad.programas.values()
    ]
    saida += [{"cadastro": "acao", "codigo": a.codigo, "nome": a.nome} for a in cad.acoes.values()]
    for f in cad.fontes.values():
        fonte: dict[str, Any] = {"cadastro": "fonte", "codigo": str(f.fonte), "nome": f.nome}
        if f.propriedades:
            fonte["propriedades"] = dict(f.propriedades)
        saida.append(fonte)
    return saida


def orcamento_local(repo: Repositorio, ano: int, ibge: str) -> Orcamento:
    """LOA do município que a Prefeitura elabora: classificações e eventos da LOA
    de cada entidade, local (da tabela de eventos, sem os estornados) ou
    incorporada (de ``orcamento_incorporado``)."""
    partes: list[OrcamentoEntidade] = []
    ec, oi = t.evento.c, t.orcamento_incorporado.c
    estornados = select(ec.estornado_id).where(ec.estornado_id.is_not(None))
    no_ano = (dt.date(ano, 1, 1), dt.date(ano, 12, 31))
    with repo.engine.connect() as con:
        classificacoes = Cadastros(repo.sessao).ler_classificacoes(con)
        for e in repo.entidades():
            if e.ibge != ibge:
                continue
            cad = _cadastros_exportados(classificacoes.get(e.slug, classificacoes_de(())))
            eid = repo.sessao.id_entidade(con, e.slug)
            q = (
                select(oi.dados)
                .where((oi.entidade_id == eid) & oi.data.between(*no_ano))
                .order_by(oi.id)
                if e.incorporada
                else select(ec.dados)
                .where(
                    (ec.entidade_id == eid)
                    & ec.tipo.in_(sorted(TIPOS_LOA))
                    & ec.data.between(*no_ano)
                    & ec.id.not_in(estornados)
                )
                .order_by(ec.id)
            )
            lidos = [evento_de_dados(dados) for (dados,) in con.execute(q)]
            fora = {x.evento for x in lidos if isinstance(x, EstornoEvento)}  # incorporadas
            eventos = []
            for lido in lidos:
                if isinstance(lido, EstornoEvento) or lido.id in fora:
                    continue
                # Forma canônica: ``dados`` pode ser o texto como veio (números,
                # espaços nas pontas), que a outra entidade não deve receber.
                ev = dict_de_evento(lido)
                ev.pop("entidade", None)
                eventos.append(ev)
            partes.append(OrcamentoEntidade(e.cnpj, e.slug, tuple(cad), tuple(eventos)))
    return Orcamento(ibge, ano, tuple(partes))


def importar_orcamento(repo: Repositorio, slug: str, orc: Orcamento) -> tuple[int, int]:
    """Carrega a parte da entidade: cadastros e eventos da LOA ainda não registrados.

    Confere CNPJ e slug (CON-ENTIDADE) e as unidades (CON-UNIDADE: as do
    orçamento devem ser as já cadastradas na entidade, e cada dotação cai numa
    delas). Cadastros e eventos entram numa só transação: qualquer recusa não
    grava nada. Devolve (cadastros, eventos novos). Repetir não duplica nada.
    """
    e = repo.entidade(slug)
    if e.tipo == TipoEntidade.PREFEITURA:
        raise OperacaoRecusada.uma(
            "CON-ENTIDADE",
            f"{slug} é a Prefeitura, que exporta o orçamento: a importação é da Câmara e do RPPS",
        )
    _recusar_incorporada(e, "a LOA dela é importada pela instalação dela")
    if e.ibge != orc.ibge:
        raise OperacaoRecusada.uma(
            "CON-ENTIDADE", f"o orçamento é do município {orc.ibge}, não {e.ibge}"
        )
    parte = orc.da_entidade(e.cnpj)
    if parte is None:
        raise OperacaoRecusada.uma(
            "CON-ENTIDADE",
            f"o orçamento não traz a entidade de CNPJ {e.cnpj} ({slug}): confira o CNPJ aqui e "
            "na instalação da Prefeitura",
        )
    if parte.slug != e.slug:
        raise OperacaoRecusada.uma(
            "CON-ENTIDADE",
            f"CNPJ {e.cnpj} está no orçamento com o slug {parte.slug}, aqui é {e.slug}: "
            "corrija o cadastro da entidade",
        )
    erros = conferir_unidades(parte, set(repo.classificacoes(slug).unidades))
    if erros:
        raise OperacaoRecusada(erros)
    linhas = [json.dumps({**c, "entidade": slug}, ensure_ascii=False) for c in parte.cadastros]
    with repo.engine.connect() as con:
        eid = repo.sessao.id_entidade(con, slug)
        ja = set(
            con.execute(select(t.evento.c.codigo).where(t.evento.c.entidade_id == eid)).scalars()
        )
    itens = []
    erros = []
    for n, ev in enumerate(parte.eventos, 1):
        if ev.get("id") in ja:
            continue
        evento, e_ev = evento_de_dict({**ev, "entidade": slug}, n, "orçamento")
        erros += e_ev
        if evento is not None:
            itens.append((n, evento))
    if erros:
        raise OperacaoRecusada(erros)
    with repo.transacao_unica():  # cadastros e eventos: tudo ou nada
        if linhas:
            repo.registrar_cadastros(linhas, "orçamento (cadastros)")
        if itens:
            repo.registrar_eventos(itens, "orçamento (eventos)")
    return len(linhas), len(itens)
