"""Entidades, exercícios e competências no banco, com a auditoria do que muda
neles. As regras dos campos da entidade são do domínio (``razao.entidades``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select

from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.eventos import TipoEvento
from erario.razao.entidades import conferir_entidade
from erario.razao.modelo import Competencia, Entidade, SituacaoCompetencia, TipoEntidade
from erario.storage import esquema as t

if TYPE_CHECKING:
    from erario.execucao.eventos import EncerramentoExercicio
    from erario.storage.sessao import Sessao


class Entidades:
    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao

    # ------------------------------------------------------------ entidades
    def criar_entidade(self, e: Entidade) -> Entidade:
        e, erros = conferir_entidade(e)
        with self.sessao.engine.begin() as con:
            plano_id = con.execute(select(t.plano.c.id).where(t.plano.c.nome == e.plano)).scalar()
            if plano_id is None:
                erros.append(Erro("ENT-PLANO", f"plano de contas {e.plano} não existe", "plano"))
            if con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == e.slug)).first():
                erros.append(Erro("ENT-DUPLICADA", f"já existe entidade com slug {e.slug}", "slug"))
            if con.execute(select(t.entidade.c.id).where(t.entidade.c.cnpj == e.cnpj)).first():
                erros.append(Erro("ENT-DUPLICADA", f"já existe entidade com CNPJ {e.cnpj}", "cnpj"))
            if erros:
                raise OperacaoRecusada(erros)
            con.execute(
                insert(t.entidade).values(
                    slug=e.slug,
                    nome=e.nome.strip(),
                    cnpj=e.cnpj,
                    tipo=str(e.tipo),
                    ibge=e.ibge,
                    poder_orgao=e.poder_orgao,
                    plano_id=plano_id,
                    incorporada=e.incorporada,
                )
            )
        return e

    def entidades(self) -> list[Entidade]:
        q = (
            select(t.entidade, t.plano.c.nome.label("plano_nome"))
            .join(t.plano, t.plano.c.id == t.entidade.c.plano_id)
            .order_by(t.entidade.c.id)
        )
        with self.sessao.engine.connect() as con:
            return [
                Entidade(
                    r.slug,
                    r.nome,
                    r.cnpj,
                    TipoEntidade(r.tipo),
                    r.ibge,
                    r.poder_orgao,
                    r.plano_nome,
                    bool(r.incorporada),
                )
                for r in con.execute(q)
            ]

    def entidade(self, slug: str) -> Entidade:
        for e in self.entidades():
            if e.slug == slug:
                return e
        raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")

    # ------------------------------------------------------------ competências
    def abrir_exercicio(self, slug: str, ano: int, usuario: str | None = None) -> int:
        """Cria as 12 competências abertas do exercício; devolve quantas criou."""
        if not 1900 < ano < 3000:
            raise OperacaoRecusada.uma("EXE-ANO", f"ano {ano} inválido", "ano")
        with self.sessao.engine.begin() as con:
            eid = self.sessao.id_entidade(con, slug)
            if con.execute(select(t.entidade.c.incorporada).where(t.entidade.c.id == eid)).scalar():
                raise OperacaoRecusada.uma(
                    "CON-INCORPORADA",
                    f"{slug} é entidade incorporada: a escrituração dela é feita na instalação "
                    "própria e o balancete vem do servidor (erario consolidacao "
                    "importar-balancetes); aqui ela não abre exercício nem recebe lançamentos",
                )
            existentes = set(
                con.execute(
                    select(t.competencia.c.mes).where(
                        (t.competencia.c.entidade_id == eid) & (t.competencia.c.ano == ano)
                    )
                ).scalars()
            )
            novas = [
                {
                    "entidade_id": eid,
                    "ano": ano,
                    "mes": m,
                    "situacao": SituacaoCompetencia.ABERTA.value,
                }
                for m in range(1, 13)
                if m not in existentes
            ]
            if novas:
                con.execute(insert(t.competencia), novas)
                self.sessao.auditar(con, usuario, "abrir_exercicio", eid, f"exercício {ano}")
        return len(novas)

    def competencias(self, slug: str, ano: int) -> list[Competencia]:
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            return [
                Competencia(slug, ano, r.mes, SituacaoCompetencia(r.situacao))
                for r in con.execute(
                    select(t.competencia)
                    .where((t.competencia.c.entidade_id == eid) & (t.competencia.c.ano == ano))
                    .order_by(t.competencia.c.mes)
                )
            ]

    def fechar_competencia(self, slug: str, ano: int, mes: int, usuario: str | None = None) -> None:
        self._mudar_competencia(slug, ano, mes, SituacaoCompetencia.FECHADA, usuario, "")

    def reabrir_competencia(
        self, slug: str, ano: int, mes: int, motivo: str, usuario: str | None = None
    ) -> None:
        if not motivo.strip():
            raise OperacaoRecusada.uma("COMP-MOTIVO", "informe o motivo da reabertura", "motivo")
        self._mudar_competencia(slug, ano, mes, SituacaoCompetencia.ABERTA, usuario, motivo.strip())

    def _mudar_competencia(
        self,
        slug: str,
        ano: int,
        mes: int,
        nova: SituacaoCompetencia,
        usuario: str | None,
        motivo: str,
    ) -> None:
        with self.sessao.engine.begin() as con:
            eid = self.sessao.id_entidade(con, slug)
            filtro = (
                (t.competencia.c.entidade_id == eid)
                & (t.competencia.c.ano == ano)
                & (t.competencia.c.mes == mes)
            )
            atual = con.execute(select(t.competencia.c.situacao).where(filtro)).scalar()
            if atual is None:
                raise OperacaoRecusada.uma(
                    "COMP-INEXISTENTE",
                    f"competência {mes:02d}/{ano} não existe para {slug}: abra o exercício",
                )
            if atual == nova.value:
                raise OperacaoRecusada.uma(
                    "COMP-SITUACAO", f"competência {mes:02d}/{ano} de {slug} já está {nova.value}"
                )
            if nova == SituacaoCompetencia.ABERTA and encerramento_vigente(con, eid, ano):
                raise OperacaoRecusada.uma(
                    "EXE-ENCERRADO",
                    f"o exercício {ano} de {slug} está encerrado: nenhuma competência dele se "
                    f"reabre (desfaça antes o encerramento: erario exercicio "
                    f"desfazer-encerramento {slug} {ano} --motivo …)",
                )
            con.execute(t.competencia.update().where(filtro).values(situacao=nova.value))
            acao = (
                "fechar_competencia"
                if nova == SituacaoCompetencia.FECHADA
                else "reabrir_competencia"
            )
            detalhe = f"{mes:02d}/{ano}" + (f": {motivo}" if motivo else "")
            self.sessao.auditar(con, usuario, acao, eid, detalhe)

    def fechar_exercicio(self, con: Connection, eid: int, ev: EncerramentoExercicio) -> None:
        """Depois do encerramento, as competências do exercício ficam fechadas."""
        filtro = (
            (t.competencia.c.entidade_id == eid)
            & (t.competencia.c.ano == ev.data.year)
            & (t.competencia.c.situacao == SituacaoCompetencia.ABERTA.value)
        )
        con.execute(
            t.competencia.update().where(filtro).values(situacao=SituacaoCompetencia.FECHADA.value)
        )
        self.sessao.auditar(
            con, None, "encerrar_exercicio", eid, f"{ev.data.year} (evento {ev.id})"
        )

    def reabrir_para_desfazer(self, con: Connection, slug: str, ano: int, motivo: str) -> None:
        """Reabre dezembro (os estornos do encerramento são de 31/12) e registra."""
        eid = self.sessao.id_entidade(con, slug)
        con.execute(
            t.competencia.update()
            .where(
                (t.competencia.c.entidade_id == eid)
                & (t.competencia.c.ano == ano)
                & (t.competencia.c.mes == 12)
            )
            .values(situacao=SituacaoCompetencia.ABERTA.value)
        )
        self.sessao.auditar(con, None, "desfazer_encerramento", eid, f"{ano}: {motivo}")

    # ------------------------------------------------------------- auditoria
    def auditoria(self, slug: str | None = None) -> list[tuple[dt.datetime, str, str, str, str]]:
        q = (
            select(t.auditoria, t.entidade.c.slug)
            .join(t.entidade, t.entidade.c.id == t.auditoria.c.entidade_id, isouter=True)
            .order_by(t.auditoria.c.id)
        )
        if slug:
            q = q.where(t.entidade.c.slug == slug)
        with self.sessao.engine.connect() as con:
            return [(r.quando, r.usuario, r.acao, r.slug or "", r.detalhe) for r in con.execute(q)]


def situacoes(con: Connection) -> Callable[[str, int, int], SituacaoCompetencia | None]:
    """A situação de cada competência gravada, por (entidade, ano, mês)."""
    mapa: dict[tuple[str, int, int], SituacaoCompetencia] = {}
    q = select(
        t.entidade.c.slug, t.competencia.c.ano, t.competencia.c.mes, t.competencia.c.situacao
    ).join(t.entidade, t.entidade.c.id == t.competencia.c.entidade_id)
    for slug, ano, mes, situacao in con.execute(q):
        mapa[(slug, ano, mes)] = SituacaoCompetencia(situacao)

    def situacao_de(slug: str, ano: int, mes: int) -> SituacaoCompetencia | None:
        return mapa.get((slug, ano, mes))

    return situacao_de


def encerramento_vigente(con: Connection, eid: int, ano: int) -> str | None:
    """Código do encerramento do exercício que não foi desfeito, se houver."""
    estorno = t.evento.alias("estorno")
    q = select(t.evento.c.codigo).where(
        (t.evento.c.entidade_id == eid)
        & (t.evento.c.tipo == TipoEvento.ENCERRAMENTO.value)
        & (t.evento.c.data == dt.date(ano, 12, 31))
        & ~select(estorno.c.id).where(estorno.c.estornado_id == t.evento.c.id).exists()
    )
    return con.execute(q).scalar()
