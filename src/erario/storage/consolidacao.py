"""Consolidação sobre o banco do erario: balancete mensal para envio, balancetes
incorporados (tabela ``balancete_incorporado``, migração 0007), consolidado do
razão local + incorporados, e orçamento (LOA) para exportar e importar.

As regras ficam em ``erario.consolidacao``; aqui só se lê e grava.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

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
from erario.execucao.carga import dict_de_evento, evento_de_dados, evento_de_dict
from erario.orcamento.cadastros import Classificacoes, classificacoes_de
from erario.razao.modelo import Entidade, SituacaoCompetencia, TipoEntidade
from erario.storage import esquema as t
from erario.storage.massa import gravar_ou_atualizar
from erario.storage.repositorio import Repositorio


def _doc_entidade(e: Entidade) -> EntidadeDoc:
    return EntidadeDoc(e.cnpj, e.slug, e.nome, str(e.tipo), e.ibge)


def balancete_para_envio(repo: Repositorio, slug: str, ano: int, mes: int) -> BalanceteMensal:
    """Balancete do mês para o servidor; recusa mês aberto e balancete que não fecha."""
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
        eid = repo._id_entidade(con, slug)
        q = select(lc.id).where(
            (lc.entidade_id == eid) & (lc.ano == ano) & (lc.periodo == MES_ENCERRAMENTO)
        )
        return con.execute(q.limit(1)).first() is not None


def incorporar(
    repo: Repositorio, dados: bytes, versao: int, usuario: str, ibge: str
) -> BalanceteMensal:
    """Grava (ou substitui) a versão incorporada do balancete, tudo ou nada."""
    obj, erros = ler_objeto_json(dados, "balancete baixado")
    if obj is None:
        raise OperacaoRecusada(erros)
    bm, erros = ler_documento(obj, "balancete baixado")
    if bm is None:
        raise OperacaoRecusada(erros)
    origem = f"{bm.entidade.slug} {bm.mes:02d}/{bm.ano}"
    if bm.entidade.ibge != ibge:
        raise OperacaoRecusada.uma(
            "CON-ENTIDADE", f"{bm.entidade.slug} é de outro município ({bm.entidade.ibge})"
        )
    if bm.entidade.cnpj in {e.cnpj for e in repo.entidades()}:
        raise OperacaoRecusada.uma(
            "CON-ENTIDADE",
            f"{bm.entidade.slug} ({bm.entidade.cnpj}) é entidade deste banco: use o razão local",
        )
    erros = conferir_com_plano(bm, repo.plano(bm.plano))
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


def _saldos_incorporados(repo: Repositorio, ano: int) -> dict[str, dict[int, Saldos]]:
    tb = t.balancete_incorporado.c
    por: dict[str, dict[int, Saldos]] = {}
    with repo.engine.connect() as con:
        for slug, mes, dados in con.execute(
            select(tb.slug, tb.mes, tb.dados).where(tb.ano == ano).order_by(tb.slug, tb.mes)
        ):
            bm, erros = ler_bytes(dados.encode("utf-8"), f"{slug} {mes:02d}/{ano}")
            if bm is None:
                raise OperacaoRecusada(erros)
            por.setdefault(slug, {})[mes] = bm.saldos
    return por


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
    """Entidades locais (do razão) + incorporadas (meses ``inicio`` a ``fim``, 1–13)."""
    if not slugs:
        raise OperacaoRecusada.uma("CON-ENTIDADE", "informe ao menos uma entidade local")
    partes: list[tuple[str, Saldos]] = []
    for s in slugs:
        b = repo.balancete([s], ano, inicio, fim, por_conta_corrente=True)
        partes.append((s, saldos_de_balancete(b)))
    if com_incorporados:
        if not 1 <= inicio <= fim <= MES_ENCERRAMENTO:
            raise OperacaoRecusada.uma(
                "CON-PERIODO",
                "com balancetes incorporados, use meses de 01 a 12, ou 13 (encerramento)",
            )
        erros: list[Erro] = []
        for slug, meses in _saldos_incorporados(repo, ano).items():
            saldos, e = intervalo(meses, inicio, fim, slug)
            erros += e
            partes.append((slug, saldos))
        if erros:
            raise OperacaoRecusada(erros)
    planos = {repo.entidade(s).plano for s in slugs}
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
    """LOA das entidades locais do município: classificações e eventos da LOA."""
    partes: list[OrcamentoEntidade] = []
    ec = t.evento.c
    with repo.engine.connect() as con:
        classificacoes = repo._classificacoes(con)
        for e in repo.entidades():
            if e.ibge != ibge:
                continue
            cad = _cadastros_exportados(classificacoes.get(e.slug, classificacoes_de(())))
            eventos = []
            for (dados,) in con.execute(
                select(ec.dados)
                .where(
                    (ec.entidade_id == repo._id_entidade(con, e.slug))
                    & ec.tipo.in_(sorted(TIPOS_LOA))
                    & ec.data.between(dt.date(ano, 1, 1), dt.date(ano, 12, 31))
                )
                .order_by(ec.id)
            ):
                # Forma canônica: ``dados`` pode ser o texto como veio (números,
                # espaços nas pontas), que a outra entidade não deve receber.
                ev = dict_de_evento(evento_de_dados(dados))
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
        eid = repo._id_entidade(con, slug)
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
