"""SIOPS sobre o banco: equivalências e marcas (tabelas da migração 0014) e a
leitura do que a apuração precisa de cada entidade. Só lê e grava; as regras
estão em ``erario.siops``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, select

from erario.consolidacao.balancetes import Saldos
from erario.consolidacao.formato import ler_bytes
from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.carga import EstornoEvento, evento_de_dados
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import (
    DotacaoInicial,
    EncerramentoExercicio,
    Evento,
    PrevisaoDeducao,
    PrevisaoReceita,
)
from erario.siops import incorporadas as inc
from erario.siops import marcas as mc
from erario.siops.apuracao import Apuracao, DadosEntidade, necessarias
from erario.siops.equivalencias import Equivalencia, Situacao, TipoEquivalencia, herdar, mapa
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio

PREFIXO_DISPONIBILIDADE = "1.1.1."  # caixa e equivalentes: as contas sugeridas


def _eid(con: Connection, slug: str) -> int:
    eid = con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == slug)).scalar()
    if eid is None:
        raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")
    return int(eid)


# ------------------------------------------------------------ equivalências
def equivalencias(repo: Repositorio, slug: str, ano: int) -> list[Equivalencia]:
    tb = t.siops_equivalencia.c
    with repo.engine.connect() as con:
        eid = _eid(con, slug)
        q = select(tb.tipo, tb.origem, tb.destino, tb.situacao).where(
            tb.entidade_id == eid, tb.ano == ano
        )
        return [
            Equivalencia(TipoEquivalencia(r.tipo), r.origem, r.destino, Situacao(r.situacao))
            for r in con.execute(q.order_by(tb.tipo, tb.origem))
        ]


def gravar_equivalencias(
    repo: Repositorio, slug: str, ano: int, eqs: Sequence[Equivalencia]
) -> None:
    """Troca as equivalências da entidade no exercício pelas dadas (uma transação)."""
    tb = t.siops_equivalencia
    with repo.engine.begin() as con:
        eid = _eid(con, slug)
        con.execute(tb.delete().where(tb.c.entidade_id == eid, tb.c.ano == ano))
        if eqs:
            con.execute(
                tb.insert(),
                [
                    {"entidade_id": eid, "ano": ano, "tipo": e.tipo.value, "origem": e.origem,
                     "destino": e.destino, "situacao": e.situacao.value}
                    for e in eqs
                ],
            )  # fmt: skip


# ------------------------------------------------------------------ marcas
def marcas(repo: Repositorio, slug: str, ano: int) -> list[mc.Marca]:
    tb = t.siops_marca.c
    with repo.engine.connect() as con:
        eid = _eid(con, slug)
        q = select(tb.alvo, tb.codigo, tb.chave, tb.valor).where(
            tb.entidade_id == eid, tb.ano == ano
        )
        return [
            mc.Marca(mc.Alvo(r.alvo), r.codigo, r.chave, r.valor)
            for r in con.execute(q.order_by(tb.alvo, tb.codigo, tb.chave))
        ]


def gravar_marcas(
    repo: Repositorio, slug: str, ano: int, novas: Sequence[mc.Marca], remover: bool = False
) -> None:
    """Grava (ou, com ``remover``, apaga) as marcas, todas ou nenhuma."""
    tb = t.siops_marca
    with repo.engine.begin() as con:
        eid = _eid(con, slug)
        for m in novas:
            chave = [
                tb.c.entidade_id == eid, tb.c.ano == ano, tb.c.alvo == m.alvo.value,
                tb.c.codigo == m.codigo, tb.c.chave == m.chave,
            ]  # fmt: skip
            con.execute(tb.delete().where(*chave))
            if not remover:
                con.execute(
                    tb.insert().values(
                        entidade_id=eid, ano=ano, alvo=m.alvo.value, codigo=m.codigo,
                        chave=m.chave, valor=m.valor,
                    )
                )  # fmt: skip


# ------------------------------------------------------------------ leitura
def entidades_do_municipio(repo: Repositorio, ibge: str | None = None) -> list[str]:
    """As entidades com razão neste banco (não incorporadas), do município ``ibge``
    (padrão: o da Prefeitura), na ordem de cadastro."""
    todas = repo.entidades()
    if ibge is None:
        pref = next((e for e in todas if e.tipo.value == "prefeitura"), None)
        ibge = pref.ibge if pref else None
    return [e.slug for e in todas if not e.incorporada and ibge in (None, e.ibge)]


def incorporadas_do_municipio(repo: Repositorio, ibge: str | None = None) -> list[str]:
    """As entidades incorporadas (instalação própria: LOA guardada aqui, balancetes
    pelo servidor) do município ``ibge`` (padrão: o da Prefeitura)."""
    todas = repo.entidades()
    if ibge is None:
        pref = next((e for e in todas if e.tipo.value == "prefeitura"), None)
        ibge = pref.ibge if pref else None
    return [e.slug for e in todas if e.incorporada and ibge in (None, e.ibge)]


def prefeitura_do_municipio(repo: Repositorio, slug: str) -> str | None:
    """A Prefeitura (local) do município da entidade, de quem a incorporada herda
    as equivalências que não confirmou."""
    ibge = repo.entidade(slug).ibge
    return next(
        (e.slug for e in repo.entidades()
         if e.tipo.value == "prefeitura" and e.ibge == ibge and not e.incorporada),
        None,
    )  # fmt: skip


def loa_incorporada(
    repo: Repositorio, slug: str, ano: int
) -> list[DotacaoInicial | PrevisaoReceita | PrevisaoDeducao]:
    """A LOA guardada da entidade incorporada no exercício, sem os estornados."""
    oi = t.orcamento_incorporado.c
    with repo.engine.connect() as con:
        eid = _eid(con, slug)
        q = (
            select(oi.dados)
            .where(oi.entidade_id == eid, oi.data.between(dt.date(ano, 1, 1), dt.date(ano, 12, 31)))
            .order_by(oi.id)
        )
        lidos = [evento_de_dados(dados) for (dados,) in con.execute(q)]
    fora = {x.evento for x in lidos if isinstance(x, EstornoEvento)}
    return [
        x
        for x in lidos
        if isinstance(x, DotacaoInicial | PrevisaoReceita | PrevisaoDeducao) and x.id not in fora
    ]


def balancetes_incorporados(repo: Repositorio, slug: str) -> dict[int, dict[int, Saldos]]:
    """Os balancetes incorporados da entidade (pelo CNPJ): ano → mês → saldos."""
    cnpj = repo.entidade(slug).cnpj
    tb = t.balancete_incorporado.c
    out: dict[int, dict[int, Saldos]] = {}
    with repo.engine.connect() as con:
        linhas = con.execute(
            select(tb.ano, tb.mes, tb.dados).where(tb.cnpj == cnpj).order_by(tb.ano, tb.mes)
        ).all()
    for ano, mes, dados in linhas:
        bm, erros = ler_bytes(dados.encode("utf-8"), f"{slug} {mes:02d}/{ano}")
        if bm is None:  # conferido ao incorporar: não deve acontecer
            raise OperacaoRecusada(erros)
        out.setdefault(ano, {})[mes] = bm.saldos
    return out


def dados_incorporada(repo: Repositorio, slug: str, ano: int) -> inc.DadosIncorporada:
    """O que a apuração lê da incorporada: LOA guardada, balancetes do exercício e
    dos anteriores, fontes, marcas e equivalências (as dela e as da Prefeitura)."""
    bal = balancetes_incorporados(repo, slug)
    pref = prefeitura_do_municipio(repo, slug)
    eqs = herdar(equivalencias(repo, slug, ano), equivalencias(repo, pref, ano) if pref else [])
    return inc.DadosIncorporada(
        slug,
        loa_incorporada(repo, slug, ano),
        bal.get(ano, {}),
        {k: v for k, v in bal.items() if k < ano},
        {fr: f.propriedades for fr, f in repo.classificacoes(slug).fontes.items()},
        marcas(repo, slug, ano),
        eqs,
    )


def eventos(controle: ControleOrcamentario, slug: str) -> list[Evento | EncerramentoExercicio]:
    """Os eventos da entidade na ordem de registro, sem os estornados."""
    return [
        ev
        for (ent, codigo), ev in controle.eventos.items()
        if ent == slug and (ent, codigo) not in controle.estornados
    ]


def saldos_contas(
    repo: Repositorio, slug: str, ano: int, contas: Sequence[str], ate_mes: int
) -> dict[tuple[str, str], int]:
    """Saldo com sinal por (conta, FR) das contas dadas no fim do mês ``ate_mes``."""
    if not contas or ano not in repo.exercicios_com_lancamentos(slug):
        return {}
    out: dict[tuple[str, str], int] = {}
    for (conta, cc), saldo in repo.saldos_execucao(slug, tuple(contas), ano, ate_mes).items():
        fr = dict(x.partition("=")[::2] for x in cc.split("|") if x).get("FR")
        if fr and conta in contas and saldo:
            out[(conta, fr)] = out.get((conta, fr), 0) + saldo
    return out


def candidatas(
    repo: Repositorio, controle: ControleOrcamentario, slug: str, ano: int
) -> dict[TipoEquivalencia, set[str]]:
    """O que precisa de equivalência na entidade (e as contas de caixa sugeridas)."""
    if repo.entidade(slug).incorporada:
        d = dados_incorporada(repo, slug, ano)
        return inc.origens(d, ano, mapa(d.equivalencias, TipoEquivalencia.CONTA))
    caixa = saldos_contas(repo, slug, ano, _contas_com_saldo(repo, slug, ano), 12)
    nec = necessarias(ano, eventos(controle, slug), {fr for _, fr in caixa})
    nec[TipoEquivalencia.CONTA] = {c for c, _ in caixa}
    return nec


def _contas_com_saldo(repo: Repositorio, slug: str, ano: int) -> list[str]:
    if ano not in repo.exercicios_com_lancamentos(slug):
        return []
    saldos = repo.saldos_execucao(slug, (PREFIXO_DISPONIBILIDADE,), ano, 12)
    return sorted({c for (c, _), v in saldos.items()})


def dados_entidade(
    repo: Repositorio, controle: ControleOrcamentario, slug: str, ano: int, bimestre: int
) -> DadosEntidade:
    eqs = equivalencias(repo, slug, ano)
    contas = sorted(mapa(eqs, TipoEquivalencia.CONTA))
    fontes = {fr: f.propriedades for fr, f in repo.classificacoes(slug).fontes.items()}
    return DadosEntidade(
        slug,
        eventos(controle, slug),
        fontes,
        marcas(repo, slug, ano),
        eqs,
        saldos_contas(repo, slug, ano, contas, 2 * bimestre),
    )


def apurar_municipio(
    repo: Repositorio, ano: int, bimestre: int, ibge: str | None = None
) -> Apuracao:
    """A apuração do município — as entidades com razão neste banco e as
    incorporadas (LOA guardada e balancetes do servidor) —, ou recusa com todos os
    problemas: equivalências pendentes, marcas em conflito, balancetes que faltam.
    A mesma para ``erario siops demonstrativo|gerar`` e a interface web (o bimestre,
    de 1 a 6, é conferido por quem chama)."""
    from erario.siops import apuracao as apu
    from erario.siops import equivalencias as eq
    from erario.siops import incorporadas as inc

    r = repo
    controle = r.controle(eventos=True)
    dados = []
    erros: list[Erro] = []
    for slug in entidades_do_municipio(r, ibge):
        d = dados_entidade(r, controle, slug, ano, bimestre)
        nec = apu.necessarias(ano, d.eventos, {fr for _, fr in d.saldos_contas})
        nec.pop(eq.TipoEquivalencia.CONTA, None)
        erros += eq.pendentes(nec, d.equivalencias, slug)
        dados.append(d)
    incorporadas = []
    for slug in incorporadas_do_municipio(r, ibge):
        di = dados_incorporada(r, slug, ano)
        nec = inc.origens(di, ano, eq.mapa(di.equivalencias, eq.TipoEquivalencia.CONTA))
        nec.pop(eq.TipoEquivalencia.CONTA, None)
        erros += eq.pendentes(nec, di.equivalencias, slug) + inc.conferir_meses(di, bimestre)
        incorporadas.append(di)
    if not erros:
        ap, erros = apu.apurar(ano, bimestre, dados, incorporadas)
        if ap is not None:
            return ap
    raise OperacaoRecusada(erros)
