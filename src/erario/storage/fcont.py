"""Gravação e leitura do SPED FCONT: naturezas do plano da empresa, cadastros
(centros de custo, histórico padronizado, mapeamento referencial), o centro de
escrituração e a leitura dos livros para o arquivo.

Razão e saldos vêm só dos métodos públicos do ``Repositorio`` (os lançamentos
fiscais são lançamentos como os outros, cada tipo no seu livro); as tabelas
daqui são as da migração 0015. Toda operação recusada não grava nada.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final, NamedTuple, cast

from sqlalchemy import Connection, Engine, insert, select

from erario.core.erros import Erro, OperacaoRecusada
from erario.fcont import escrituracao as esc_mod
from erario.fcont.arquivo import ArquivoFcont
from erario.fcont.encerramento_fiscal import AjusteConta, propor_ef
from erario.fcont.escrituracao import Escrituracao, Signatario, Situacao, periodos
from erario.fcont.geracao import TotaisPeriodo, montar_arquivo
from erario.fcont.importacao import Importacao
from erario.fcont.lancamentos_fiscais import LIVROS_FISCAIS, PREFIXO_EXPURGO, expurgo
from erario.fcont.livros import (
    CentroCusto,
    Historico,
    Mapeamento,
    Natureza,
    PlanoEmpresa,
)
from erario.fcont.visoes import COMPOSICAO, Visao, totais_na_visao
from erario.razao.balancete import Balancete, balancete_de_totais
from erario.razao.modelo import LIVRO_CONTABIL, Entidade, Lancamento, TipoEntidade
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio
from erario.storage.sessao import usuario_do_sistema

# Poder/órgão SICONFI da empresa criada pela leitura do arquivo (o da demonstração):
# o 0000 não o informa.
PODER_ORGAO_EMPRESA: Final = "10131"


# --------------------------------------------------------------- plano e empresa
def gravar_plano_empresa(repo: Repositorio, pe: PlanoEmpresa) -> tuple[int, int, int]:
    """Grava o plano (contas como o PCASP) e a natureza do FCONT de cada conta."""
    resumo = repo.gravar_plano(pe.plano)
    with repo.engine.begin() as con:
        plano_id = con.execute(
            select(t.plano.c.id).where(t.plano.c.nome == pe.plano.nome)
        ).scalar_one()
        ids = dict(
            con.execute(
                select(t.conta.c.codigo, t.conta.c.id).where(t.conta.c.plano_id == plano_id)
            ).all()
        )
        atuais = dict(
            con.execute(
                select(t.fcont_conta.c.conta_id, t.fcont_conta.c.natureza).where(
                    t.fcont_conta.c.conta_id.in_(list(ids.values()))
                )
            ).all()
        )
        for codigo, nat in pe.naturezas.items():
            cid = ids[codigo]
            if cid not in atuais:
                con.execute(insert(t.fcont_conta).values(conta_id=cid, natureza=nat.value))
            elif atuais[cid] != nat.value:
                con.execute(
                    t.fcont_conta.update()
                    .where(t.fcont_conta.c.conta_id == cid)
                    .values(natureza=nat.value)
                )
    return resumo.novas, resumo.alteradas, resumo.iguais


def plano_empresa(repo: Repositorio, nome: str) -> PlanoEmpresa:
    plano = repo.plano(nome)
    with repo.engine.connect() as con:
        q = (
            select(t.conta.c.codigo, t.fcont_conta.c.natureza)
            .join(t.fcont_conta, t.fcont_conta.c.conta_id == t.conta.c.id)
            .join(t.plano, t.plano.c.id == t.conta.c.plano_id)
            .where(t.plano.c.nome == nome)
        )
        naturezas = {codigo: Natureza(n) for codigo, n in con.execute(q)}
    sem = [c for c in plano.contas if c not in naturezas]
    if sem:
        raise OperacaoRecusada.uma(
            "FCONT-PLANO",
            f"o plano {nome} não é de empresa (contas sem natureza do FCONT, p. ex. {sem[0]}): "
            "importe-o com erario fcont plano importar",
        )
    return PlanoEmpresa(plano, naturezas)


def empresa(repo: Repositorio, slug: str) -> tuple[Entidade, PlanoEmpresa]:
    """A entidade do tipo empresa e o plano dela (com as naturezas do FCONT)."""
    ent = repo.entidade(slug)
    if ent.tipo != TipoEntidade.EMPRESA:
        raise OperacaoRecusada.uma(
            "FCONT-EMPRESA",
            f"a entidade {slug} é do tipo {ent.tipo.value}: o FCONT é das empresas (tipo empresa)",
        )
    return ent, plano_empresa(repo, ent.plano)


def _eid(con: Any, slug: str) -> int:
    eid = con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == slug)).scalar()
    if eid is None:
        raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")
    return int(eid)


# ------------------------------------------------------------------ cadastros
def gravar_centros(repo: Repositorio, slug: str, centros: Sequence[CentroCusto]) -> int:
    empresa(repo, slug)
    with repo.engine.begin() as con:
        eid = _eid(con, slug)
        for c in centros:
            filtro = (t.fcont_centro_custo.c.entidade_id == eid) & (
                t.fcont_centro_custo.c.codigo == c.codigo
            )
            dados = {"nome": c.nome, "alteracao": c.alteracao}
            if not con.execute(
                t.fcont_centro_custo.update().where(filtro).values(**dados)
            ).rowcount:
                con.execute(
                    insert(t.fcont_centro_custo).values(entidade_id=eid, codigo=c.codigo, **dados)
                )
    return len(centros)


def centros(repo: Repositorio, slug: str) -> list[CentroCusto]:
    with repo.engine.connect() as con:
        eid = _eid(con, slug)
        q = select(t.fcont_centro_custo).where(t.fcont_centro_custo.c.entidade_id == eid)
        return [
            CentroCusto(r.codigo, r.nome, r.alteracao)
            for r in con.execute(q.order_by(t.fcont_centro_custo.c.codigo))
        ]


def gravar_historicos(repo: Repositorio, slug: str, historicos: Sequence[Historico]) -> int:
    empresa(repo, slug)
    with repo.engine.begin() as con:
        eid = _eid(con, slug)
        for h in historicos:
            filtro = (t.fcont_historico.c.entidade_id == eid) & (
                t.fcont_historico.c.codigo == h.codigo
            )
            if not con.execute(
                t.fcont_historico.update().where(filtro).values(descricao=h.descricao)
            ).rowcount:
                con.execute(
                    insert(t.fcont_historico).values(
                        entidade_id=eid, codigo=h.codigo, descricao=h.descricao
                    )
                )
    return len(historicos)


def historicos(repo: Repositorio, slug: str) -> list[Historico]:
    with repo.engine.connect() as con:
        eid = _eid(con, slug)
        q = select(t.fcont_historico).where(t.fcont_historico.c.entidade_id == eid)
        return [
            Historico(r.codigo, r.descricao)
            for r in con.execute(q.order_by(t.fcont_historico.c.codigo))
        ]


def gravar_mapeamentos(repo: Repositorio, slug: str, maps: Sequence[Mapeamento]) -> int:
    """Acrescenta mapeamentos (o mesmo mapeamento já gravado é ignorado): a
    vigência anterior continua valendo até o início do novo."""
    empresa(repo, slug)
    novos = 0
    with repo.engine.begin() as con:
        eid = _eid(con, slug)
        existentes = {
            (r.conta, r.centro_custo, r.conta_referencial, r.inicio)
            for r in con.execute(
                select(t.fcont_mapeamento).where(t.fcont_mapeamento.c.entidade_id == eid)
            )
        }
        for m in maps:
            if tuple(m) in existentes:
                continue
            con.execute(insert(t.fcont_mapeamento).values(entidade_id=eid, **m._asdict()))
            novos += 1
    return novos


def mapeamentos(repo: Repositorio, slug: str) -> list[Mapeamento]:
    with repo.engine.connect() as con:
        eid = _eid(con, slug)
        q = select(t.fcont_mapeamento).where(t.fcont_mapeamento.c.entidade_id == eid)
        return [
            Mapeamento(r.conta, r.centro_custo, r.conta_referencial, r.inicio)
            for r in con.execute(
                q.order_by(t.fcont_mapeamento.c.conta, t.fcont_mapeamento.c.inicio)
            )
        ]


# ------------------------------------------------------------ livros e visões
def totais_do_livro(
    repo: Repositorio, slugs: Sequence[str], ano: int, inicio: int, fim: int, livro: str
) -> dict[tuple[str, str], list[int]]:
    """(conta analítica, "") → [anterior, débitos, créditos] de um livro no intervalo."""
    b = repo.balancete(slugs, ano, inicio, fim, livro=livro)
    return {
        (ln.codigo, ""): [ln.anterior, ln.debitos, ln.creditos]
        for ln in b.linhas
        if ln.analitica and not ln.conta_corrente and not ln.vazia
    }


def balancete_na_visao(
    repo: Repositorio,
    slugs: Sequence[str],
    ano: int,
    inicio: int,
    fim: int,
    visao: Visao,
    nivel_maximo: int | None = None,
) -> Balancete:
    """Balancete de empresa(s) na visão societária ou fiscal (``fcont.visoes``)."""
    planos = {repo.entidade(s).plano for s in slugs}
    por_livro = {
        livro: totais_do_livro(repo, slugs, ano, inicio, fim, livro) for livro in COMPOSICAO[visao]
    }
    plano = repo.plano(planos.pop())
    return balancete_de_totais(
        plano,
        totais_na_visao(por_livro, visao),
        entidades=tuple(slugs),
        ano=ano,
        inicio=inicio,
        fim=fim,
        nivel_maximo=nivel_maximo,
    )


def _saldos_por_livro(
    repo: Repositorio, slug: str, ano: int, fim: int
) -> dict[str, dict[str, int]]:
    saida: dict[str, dict[str, int]] = {}
    for livro in (LIVRO_CONTABIL, *LIVROS_FISCAIS):
        totais = totais_do_livro(repo, [slug], ano, 0, fim, livro)
        saida[livro] = {c: a + d - cr for (c, _), (a, d, cr) in totais.items() if a + d - cr}
    return saida


def expurgar(repo: Repositorio, slug: str, numeros: Sequence[str]) -> list[Lancamento]:
    """Lança o X de cada lançamento comercial (tudo ou nada); o mesmo lançamento
    não se expurga duas vezes (salvo se o X anterior foi estornado)."""
    empresa(repo, slug)
    erros: list[Erro] = []
    novos: list[Lancamento] = []
    anos = set()
    originais = []
    for n in numeros:
        try:
            originais.append(repo.lancamento(slug, n))
        except OperacaoRecusada as exc:
            erros += exc.erros
    for o in originais:
        anos.add(o.data.year)
    ja = set()
    for ano in anos:
        lancs = repo.lancamentos(slug, ano)
        estornados = {lc.estornado for lc in lancs if lc.estorno}
        ja |= {
            (lc.origem or "")[len(PREFIXO_EXPURGO) :]
            for lc in lancs
            if (lc.origem or "").startswith(PREFIXO_EXPURGO) and lc.numero not in estornados
        }
    for o in originais:
        if o.numero in ja:
            erros.append(Erro("FCONT-EXPURGO", f"o lançamento {o.numero} já foi expurgado"))
            continue
        x, e = expurgo(o)
        erros += [err.em(origem=f"lançamento {o.numero}") for err in e]
        if x is not None:
            novos.append(x)
    if erros:
        raise OperacaoRecusada(erros)
    return repo.lancar_lote(novos)


def proposta_ef(
    repo: Repositorio, slug: str, ano: int, contrapartida: str, data: dt.date | None = None
) -> tuple[Lancamento | None, list[AjusteConta]]:
    """Proposta do EF do exercício (apuração anual) a partir do razão."""
    _ent, pe = empresa(repo, slug)
    saldos = _saldos_por_livro(repo, slug, ano, 13)
    lanc, ajustes, erros = propor_ef(
        slug, data or dt.date(ano, 12, 31), saldos, pe.naturezas, contrapartida
    )
    if erros:
        raise OperacaoRecusada(erros)
    return lanc, ajustes


# ------------------------------------------------------------- escrituração
def _dados(e: Escrituracao) -> str:
    campos = {
        k: v
        for k, v in e._asdict().items()
        if k
        in (
            "uf",
            "ie",
            "im",
            "situacao_especial",
            "inicio_periodo",
            "forma_apuracao",
            "forma_tributacao",
            "qualificacao_pj",
            "retificadora",
            "recibo_anterior",
            "trimestres",
            "contrapartida_ef",
        )
    }
    campos["signatarios"] = [s._asdict() for s in e.signatarios]
    return json.dumps(campos, ensure_ascii=False, sort_keys=True)


def _escrituracao(slug: str, r: Any) -> Escrituracao:
    dados = json.loads(r.dados)
    sig = tuple(Signatario(**s) for s in dados.pop("signatarios"))
    return Escrituracao(
        entidade=slug,
        inicio=r.inicio,
        fim=r.fim,
        signatarios=sig,
        situacao=Situacao(r.situacao),
        sha256=r.sha256,
        gerada_em=r.gerada_em,
        recibo=r.recibo,
        entregue_em=r.entregue_em,
        entregue_por=r.entregue_por,
        **dados,
    )


def criar_escrituracao(
    repo: Repositorio, e: Escrituracao, usuario: str | None = None
) -> Escrituracao:
    """Cria a escrituração (todos os problemas dos dados numa só recusa)."""
    _ent, pe = empresa(repo, e.entidade)
    erros = esc_mod.validar(e)
    if e.contrapartida_ef and pe.natureza(e.contrapartida_ef) not in (
        Natureza.PATRIMONIO_LIQUIDO,
        Natureza.RESULTADO,
    ):
        erros.append(
            Erro(
                "FCONT-EF-CONTRAPARTIDA",
                f"conta {e.contrapartida_ef} não é de PL (03) nem de resultado (04) no plano da empresa",
                "contrapartida_ef",
            )
        )
    with repo.engine.begin() as con:
        eid = _eid(con, e.entidade)
        q = select(t.fcont_escrituracao.c.inicio, t.fcont_escrituracao.c.fim).where(
            t.fcont_escrituracao.c.entidade_id == eid
        )
        for ini, fim in con.execute(q):
            if ini <= e.fim and e.inicio <= fim:
                erros.append(
                    Erro(
                        "FCONT-ESCRITURACAO-DUPLICADA",
                        f"{e.entidade} já tem escrituração de {ini:%d/%m/%Y} a {fim:%d/%m/%Y} "
                        "(REGRA_PERIODO_COMUM)",
                    )
                )
        if erros:
            raise OperacaoRecusada(erros)
        con.execute(
            insert(t.fcont_escrituracao).values(
                entidade_id=eid,
                inicio=e.inicio,
                fim=e.fim,
                dados=_dados(e),
                situacao=Situacao.CRIADA.value,
                criada_em=dt.datetime.now(dt.UTC),
                criada_por=usuario or usuario_do_sistema(),
                sha256="",
                recibo="",
                entregue_por="",
            )
        )
    return e


def escrituracoes(repo: Repositorio, slug: str | None = None) -> list[Escrituracao]:
    with repo.engine.connect() as con:
        q = (
            select(t.fcont_escrituracao, t.entidade.c.slug)
            .join(t.entidade, t.entidade.c.id == t.fcont_escrituracao.c.entidade_id)
            .order_by(t.entidade.c.slug, t.fcont_escrituracao.c.inicio)
        )
        if slug is not None:
            q = q.where(t.entidade.c.slug == slug)
        return [_escrituracao(r.slug, r) for r in con.execute(q)]


def escrituracao(repo: Repositorio, slug: str, ano: int) -> Escrituracao:
    """A escrituração do ano (com situação especial, a última do ano)."""
    do_ano = [e for e in escrituracoes(repo, slug) if e.ano == ano]
    if not do_ano:
        raise OperacaoRecusada.uma(
            "FCONT-SEM-ESCRITURACAO",
            f"{slug} não tem escrituração FCONT de {ano}: crie-a com erario fcont escrituracao criar",
        )
    return do_ano[-1]


def _atualizar(repo: Repositorio, e: Escrituracao, **valores: Any) -> None:
    with repo.engine.begin() as con:
        eid = _eid(con, e.entidade)
        con.execute(
            t.fcont_escrituracao.update()
            .where(
                (t.fcont_escrituracao.c.entidade_id == eid)
                & (t.fcont_escrituracao.c.inicio == e.inicio)
                & (t.fcont_escrituracao.c.fim == e.fim)
            )
            .values(**valores)
        )


def montar(repo: Repositorio, slug: str, ano: int) -> tuple[Escrituracao, ArquivoFcont]:
    """O conteúdo do arquivo da escrituração do ano, a partir do razão e dos cadastros."""
    ent, pe = empresa(repo, slug)
    e = escrituracao(repo, slug, ano)
    totais = {}
    for p in periodos(e):
        ini = (
            1 if p.inicio.month == 1 else p.inicio.month
        )  # o saldo inicial inclui a abertura (período 0)
        fim = 13 if p.fim.month == 12 else p.fim.month  # com o encerramento (observações do I155)
        patrimoniais = {
            c: (a, d, cr)
            for (c, _), (a, d, cr) in totais_do_livro(
                repo, [slug], ano, ini, fim, LIVRO_CONTABIL
            ).items()
        }
        ate = totais_do_livro(repo, [slug], ano, 0, p.fim.month, LIVRO_CONTABIL)
        resultado = {
            c: a + d - cr
            for (c, _), (a, d, cr) in ate.items()
            if pe.natureza(c) == Natureza.RESULTADO
        }
        totais[p] = TotaisPeriodo(patrimoniais, resultado)
    fiscais = [lc for lc in repo.lancamentos(slug, ano) if lc.livro in LIVROS_FISCAIS]
    arquivo, erros = montar_arquivo(
        ent,
        e,
        pe,
        mapeamentos(repo, slug),
        centros(repo, slug),
        historicos(repo, slug),
        totais,
        fiscais,
    )
    if arquivo is None:
        raise OperacaoRecusada(erros)
    return e, arquivo


def registrar_geracao(repo: Repositorio, e: Escrituracao, conteudo: bytes) -> str:
    """Guarda o hash do arquivo gerado (regerar troca o hash, até a entrega)."""
    sha = hashlib.sha256(conteudo).hexdigest()
    if e.situacao != Situacao.ENTREGUE:
        _atualizar(
            repo, e, sha256=sha, situacao=Situacao.GERADA.value, gerada_em=dt.datetime.now(dt.UTC)
        )
    return sha


def entregar(
    repo: Repositorio, slug: str, ano: int, recibo: str, conteudo: bytes, usuario: str | None = None
) -> Escrituracao:
    """Marca como entregue o arquivo gerado (o mesmo hash do último gerado)."""
    e = escrituracao(repo, slug, ano)
    sha = hashlib.sha256(conteudo).hexdigest()
    erros = []
    if e.situacao == Situacao.ENTREGUE:
        erros.append(
            Erro("FCONT-ENTREGUE", f"a escrituração de {ano} já foi entregue (recibo {e.recibo})")
        )
    elif e.situacao != Situacao.GERADA:
        erros.append(
            Erro("FCONT-ENTREGA", "gere o arquivo (erario fcont gerar) antes de entregá-lo")
        )
    elif sha != e.sha256:
        erros.append(
            Erro(
                "FCONT-ENTREGA",
                f"o arquivo informado (SHA-256 {sha[:12]}…) não é o último gerado ({e.sha256[:12]}…)",
            )
        )
    if not recibo.strip() or "|" in recibo:
        erros.append(Erro("FCONT-ENTREGA", "informe o número do recibo da entrega", "recibo"))
    if erros:
        raise OperacaoRecusada(erros)
    quando = dt.datetime.now(dt.UTC)
    quem = usuario or usuario_do_sistema()
    _atualizar(
        repo,
        e,
        situacao=Situacao.ENTREGUE.value,
        recibo=recibo.strip(),
        entregue_em=quando,
        entregue_por=quem,
    )
    return e._replace(
        situacao=Situacao.ENTREGUE, recibo=recibo.strip(), entregue_em=quando, entregue_por=quem
    )


# ------------------------------------------------------------- leitura do arquivo
class _MotorDaTransacao:
    """Faz cada operação do ``Repositorio`` rodar numa conexão já em transação
    (cada ``begin`` vira um ponto de salvamento): a leitura grava empresa, plano,
    cadastros, escrituração e razão tudo ou nada, com as conferências de sempre."""

    def __init__(self, con: Connection) -> None:
        self._con = con
        self.dialect = con.dialect

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self._con.begin_nested():
            yield self._con

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        yield self._con


class ResumoLeitura(NamedTuple):
    entidade: str
    entidade_criada: bool
    contas: int
    mapeamentos: int
    centros: int
    historicos: int
    escrituracao_criada: bool
    comerciais: int
    fiscais: int


def _gravar_escrituracao_lida(r: Repositorio, e: Escrituracao, usuario: str | None) -> bool:
    """Cria a escrituração; a do mesmo período já existente tem os dados trocados
    pelos do arquivo (salvo se entregue). Devolve se criou."""
    mesma = [x for x in escrituracoes(r, e.entidade) if (x.inicio, x.fim) == (e.inicio, e.fim)]
    if not mesma:
        criar_escrituracao(r, e, usuario)
        return True
    if mesma[0].situacao == Situacao.ENTREGUE:
        raise OperacaoRecusada.uma(
            "FCONT-ENTREGUE",
            f"a escrituração de {e.ano} de {e.entidade} já foi entregue (recibo "
            f"{mesma[0].recibo}): o arquivo lido não a substitui",
        )
    erros = esc_mod.validar(e)
    if erros:
        raise OperacaoRecusada(erros)
    _atualizar(r, e, dados=_dados(e))
    return False


def gravar_leitura(
    repo: Repositorio, dados: Importacao, usuario: str | None = None
) -> ResumoLeitura:
    """Grava o que ``fcont.importacao.converter`` tirou do arquivo, numa transação:
    a empresa (criada com o CNPJ e o nome do 0000 se não existir), o plano, o
    exercício, os cadastros, a escrituração e o razão (livro comercial
    reconstituído e lançamentos fiscais). Recusa (nada gravado) com todos os
    erros; a empresa que já tem lançamentos no ano não recebe outros (o razão só
    cresce: corrija por estorno)."""
    slug = dados.escrituracao.entidade
    erros: list[Erro] = []
    try:
        with repo.sessao.transacao_carga() as con:
            r = Repositorio(cast(Engine, _MotorDaTransacao(con)))
            r.sessao.carga_aberta = con  # as cargas do razão também em ponto de salvamento

            def passo(f: Callable[[], Any]) -> Any:
                try:
                    return f()
                except OperacaoRecusada as exc:
                    erros.extend(exc.erros)
                    return None

            existente = next((x for x in r.entidades() if x.slug == slug), None)
            outra = next(
                (x for x in r.entidades() if x.cnpj == dados.empresa.cnpj and x.slug != slug),
                None,
            )
            if outra is not None:
                erros.append(
                    Erro(
                        "FCONT-LER-EMPRESA",
                        f"o CNPJ {dados.empresa.cnpj} do arquivo é da entidade {outra.slug}: "
                        f"leia com --entidade {outra.slug}",
                        "CNPJ",
                    )
                )
            if existente is not None and (
                existente.tipo != TipoEntidade.EMPRESA or existente.cnpj != dados.empresa.cnpj
            ):
                erros.append(
                    Erro(
                        "FCONT-LER-EMPRESA",
                        f"a entidade {slug} ({existente.tipo.value}, CNPJ {existente.cnpj}) não "
                        f"é a empresa do arquivo (CNPJ {dados.empresa.cnpj})",
                        "CNPJ",
                    )
                )
            if erros:
                raise OperacaoRecusada(erros)
            pe = dados.plano
            if existente is not None and existente.plano != pe.plano.nome:
                pe = PlanoEmpresa(pe.plano._replace(nome=existente.plano), pe.naturezas)
            passo(lambda: gravar_plano_empresa(r, pe))
            if erros:
                raise OperacaoRecusada(erros)
            if existente is None:
                passo(
                    lambda: r.criar_entidade(
                        Entidade(
                            slug,
                            dados.empresa.nome,
                            dados.empresa.cnpj,
                            TipoEntidade.EMPRESA,
                            dados.empresa.ibge,
                            PODER_ORGAO_EMPRESA,
                            pe.plano.nome,
                        )
                    )
                )
                if erros:
                    raise OperacaoRecusada(erros)
            passo(lambda: r.abrir_exercicio(slug, dados.ano, usuario))
            if r.lancamentos(slug, dados.ano):
                erros.append(
                    Erro(
                        "FCONT-LER-RAZAO",
                        f"{slug} já tem lançamentos em {dados.ano}: a leitura não os substitui "
                        "(o razão só cresce; corrija por estorno)",
                    )
                )
            passo(lambda: gravar_centros(r, slug, dados.centros))
            passo(lambda: gravar_historicos(r, slug, dados.historicos))
            novos_maps = passo(lambda: gravar_mapeamentos(r, slug, dados.mapeamentos))
            criada = passo(lambda: _gravar_escrituracao_lida(r, dados.escrituracao, usuario))
            if not erros:
                passo(
                    lambda: r.lancar_lote(
                        [*dados.comerciais, *dados.fiscais], origem="arquivo FCONT"
                    )
                )
            if erros:
                raise OperacaoRecusada(erros)
    finally:
        repo.sessao.esquecer_planos()  # o plano em cache pode ter mudado (ou voltado atrás)
    return ResumoLeitura(
        slug,
        existente is None,
        len(pe.plano.contas),
        novos_maps or 0,
        len(dados.centros),
        len(dados.historicos),
        bool(criada),
        len(dados.comerciais),
        len(dados.fiscais),
    )
