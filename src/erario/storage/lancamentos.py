"""Lançamentos no banco: lançar (um, um lote, uma carga em fluxo ou CSV), estornar
e ler os lançamentos gravados. A validação e a gravação em blocos são da
``Carga`` (``storage.carga_razao``); as regras, do domínio."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from erario.core.erros import Erro, OperacaoRecusada
from erario.razao.carga import Lote
from erario.razao.estorno import estornar_lancamento
from erario.razao.modelo import Lancamento, Partida, TipoLancamento
from erario.storage import esquema as t
from erario.storage.carga_razao import Carga, Progresso, ResumoCarga
from erario.storage.saldos_razao import tem_atributo

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao


class Lancamentos:
    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao

    # ------------------------------------------------------------------ lançar
    def lancar(self, lanc: Lancamento) -> Lancamento:
        """Registra um lançamento (validado) e atualiza os saldos, tudo ou nada."""
        return self.lancar_lote([lanc])[0]

    def validar_lote(
        self,
        lancs: Sequence[Lancamento],
        linhas: Sequence[int] | None = None,
        origem: str | None = None,
    ) -> list[Erro]:
        """Só valida (nada grava): todos os erros, situados pela linha e arquivo de origem."""
        with self.sessao.engine.connect() as con:
            carga = Carga(self, con, gravar=False, origem=origem)
            carga.bloco(lancs, linhas)
            return carga.erros

    def lancar_lote(
        self,
        lancs: Sequence[Lancamento],
        linhas: Sequence[int] | None = None,
        progresso: Progresso | None = None,
        origem: str | None = None,
    ) -> list[Lancamento]:
        """Registra vários lançamentos numa só transação; qualquer erro recusa todos."""
        with self.sessao.transacao_carga() as con:
            carga = Carga(self, con, gravar=True, origem=origem, guardar=True)
            carga.bloco(lancs, linhas, progresso)
            carga.concluir()
            return carga.gravados

    def importar(
        self,
        blocos: Iterable[Lote],
        progresso: Progresso | None = None,
        origem: str | None = None,
        *,
        validar: bool = False,
    ) -> ResumoCarga:
        """Carga em fluxo: valida e grava bloco a bloco numa só transação, tudo ou nada.

        Erros de leitura e de validação de todos os blocos são reunidos; havendo
        algum, nada fica gravado (``OperacaoRecusada`` com todos, em ordem de
        linha). Com ``validar=True`` só confere e nada grava.
        """
        if validar:
            with self.sessao.engine.connect() as con:
                carga = Carga(self, con, gravar=False, origem=origem)
                for lote in blocos:
                    carga.bloco(lote.lancamentos, lote.linhas, progresso, lote.erros)
                carga.concluir()
                return carga.resumo
        with self.sessao.transacao_carga() as con:
            carga = Carga(self, con, gravar=True, origem=origem)
            for lote in blocos:
                carga.bloco(lote.lancamentos, lote.linhas, progresso, lote.erros)
            carga.concluir()
            return carga.resumo

    def importar_csv(
        self,
        arquivo: IO[bytes],
        origem: str,
        progresso: Progresso | None = None,
        avanco: Callable[[int], None] | None = None,
        *,
        validar: bool = False,
        acelerar: bool = True,
    ) -> ResumoCarga:
        """Carga de lançamentos em CSV (arquivo binário), como ``importar``.

        Usa o acelerador em C quando compilado (``storage.carga_csv``); o
        resultado e os erros são os mesmos do caminho de referência.
        """
        from erario.storage.carga_csv import ler_e_gravar

        if validar:
            with self.sessao.engine.connect() as con:
                carga = Carga(self, con, gravar=False, origem=origem)
                ler_e_gravar(carga, arquivo, origem, progresso, avanco, acelerar)
                carga.concluir()
                return carga.resumo
        with self.sessao.transacao_carga() as con:
            carga = Carga(self, con, gravar=True, origem=origem)
            ler_e_gravar(carga, arquivo, origem, progresso, avanco, acelerar)
            carga.concluir()
            return carga.resumo

    def estornar(
        self,
        slug: str,
        numero: str,
        data: dt.date,
        historico: str | None = None,
        numero_estorno: str | None = None,
    ) -> Lancamento:
        original = self.lancamento(slug, numero)
        estorno, erros = estornar_lancamento(original, data, historico, numero_estorno)
        if estorno is None:
            raise OperacaoRecusada(erros)
        return self.lancar(estorno)

    # -------------------------------------------------------------------- ler
    def lancamento(self, slug: str, numero: str) -> Lancamento:
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            cab = con.execute(
                select(t.lancamento).where(
                    (t.lancamento.c.entidade_id == eid) & (t.lancamento.c.numero == numero)
                )
            ).first()
            if cab is None:
                raise OperacaoRecusada.uma(
                    "LANC-INEXISTENTE", f"lançamento {numero} não existe em {slug}"
                )
            return self.montar_lancamentos(con, slug, [cab])[0]

    def lancamentos(self, slug: str, ano: int, inicio: int = 0, fim: int = 13) -> list[Lancamento]:
        """Lançamentos da entidade no intervalo de períodos, em ordem de registro."""
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            cabs = list(
                con.execute(
                    select(t.lancamento)
                    .where(
                        (t.lancamento.c.entidade_id == eid)
                        & (t.lancamento.c.ano == ano)
                        & t.lancamento.c.periodo.between(inicio, fim)
                    )
                    .order_by(t.lancamento.c.id)
                )
            )
            return self.montar_lancamentos(con, slug, cabs)

    def lancamentos_com_partida(
        self, slug: str, anos: Sequence[int], contas: Collection[str], atributo: str | None = None
    ) -> list[Lancamento]:
        """Lançamentos da entidade nos exercícios ``anos`` com alguma partida numa das
        ``contas`` (e, com ``atributo``, cuja conta corrente o tem inteiro: "DB=001-1",
        p. ex.), com todas as partidas, em ordem de registro: os das contas bancárias,
        sem ler o resto do razão."""
        lanc, part = t.lancamento, t.partida
        with self.sessao.engine.connect() as con:
            eid, plano = self.sessao.ids_entidades(con)[slug]
            ids = self.sessao.plano_carregado(plano, con).ids
            cids = sorted({ids[c] for c in contas if c in ids})
            if not cids or not anos:
                return []
            filtro = (
                (lanc.c.entidade_id == eid) & lanc.c.ano.in_(list(anos)) & part.c.conta_id.in_(cids)
            )
            if atributo is not None:
                filtro &= tem_atributo(con, part.c.conta_corrente, atributo)
            da_conta = (
                select(part.c.lancamento_id)
                .join(lanc, lanc.c.id == part.c.lancamento_id)
                .where(filtro)
            )
            cabs = list(
                con.execute(select(lanc).where(lanc.c.id.in_(da_conta)).order_by(lanc.c.id))
            )
            return self.montar_lancamentos(con, slug, cabs)

    def numeros_antes(self, slug: str, ano: int, data: dt.date) -> dict[str, dt.date]:
        """Número → data dos lançamentos numerados do exercício ``ano`` anteriores a
        ``data`` (sem as partidas)."""
        lanc = t.lancamento
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            q = select(lanc.c.numero, lanc.c.data).where(
                (lanc.c.entidade_id == eid)
                & (lanc.c.ano == ano)
                & (lanc.c.data < data)
                & lanc.c.numero.is_not(None)
                & (lanc.c.numero != "")
            )
            return {numero: d for numero, d in con.execute(q)}

    def lancamento_ou_nada(self, con: Connection, slug: str, numero: str) -> Lancamento | None:
        eid = self.sessao.ids_entidades(con)[slug][0]
        cab = con.execute(
            select(t.lancamento).where(
                (t.lancamento.c.entidade_id == eid) & (t.lancamento.c.numero == numero)
            )
        ).first()
        return self.montar_lancamentos(con, slug, [cab])[0] if cab is not None else None

    def lancamentos_do_evento(self, con: Connection, eid: int, codigo: str) -> list[Lancamento]:
        """Os lançamentos que o evento gerou (não os estornos), em ordem de número."""
        cabs = con.execute(
            select(t.lancamento)
            .where(
                (t.lancamento.c.entidade_id == eid)
                & (t.lancamento.c.origem == f"evento:{codigo}")
                & ~t.lancamento.c.estorno
            )
            .order_by(t.lancamento.c.id)
        ).all()
        slug = con.execute(select(t.entidade.c.slug).where(t.entidade.c.id == eid)).scalar_one()
        return self.montar_lancamentos(con, slug, cabs)

    def outros_no_seguinte(self, con: Connection, eid: int, ano: int, codigo: str) -> int:
        """Lançamentos do exercício seguinte que não são do encerramento ``codigo``."""
        q = select(func.count()).where(
            (t.lancamento.c.entidade_id == eid)
            & (t.lancamento.c.ano == ano + 1)
            & ((t.lancamento.c.origem.is_(None)) | (t.lancamento.c.origem != f"evento:{codigo}"))
        )
        return int(con.execute(q).scalar_one())

    def montar_lancamentos(
        self, con: Connection, slug: str, cabs: Sequence[Any]
    ) -> list[Lancamento]:
        """Os lançamentos de linhas da tabela ``lancamento`` da entidade, com as partidas."""
        if not cabs:
            return []
        entidades = self.sessao.ids_entidades(con)
        codigos = self.sessao.plano_carregado(entidades[slug][1], con).codigos
        numeros = {}
        ids_estornados = [c.estornado_id for c in cabs if c.estornado_id]
        for ini in range(0, len(ids_estornados), 500):
            bloco = ids_estornados[ini : ini + 500]
            numeros.update(
                dict(
                    con.execute(
                        select(t.lancamento.c.id, t.lancamento.c.numero).where(
                            t.lancamento.c.id.in_(bloco)
                        )
                    ).all()
                )
            )
        partidas: dict[int, list[Partida]] = {}
        ids = [c.id for c in cabs]
        for ini in range(0, len(ids), 500):
            q = (
                select(t.partida)
                .where(t.partida.c.lancamento_id.in_(ids[ini : ini + 500]))
                .order_by(t.partida.c.lancamento_id, t.partida.c.seq)
            )
            for p in con.execute(q):
                partidas.setdefault(p.lancamento_id, []).append(
                    Partida(
                        codigos[p.conta_id], p.dc, int(p.valor), p.conta_corrente, p.historico or ""
                    )
                )
        return [
            Lancamento(
                entidade=slug,
                data=c.data,
                historico=c.historico,
                partidas=tuple(partidas.get(c.id, ())),
                numero=c.numero,
                tipo=TipoLancamento(c.tipo),
                livro=c.livro,
                origem=c.origem,
                estorno=bool(c.estorno),
                estornado=numeros.get(c.estornado_id) if c.estornado_id else None,
            )
            for c in cabs
        ]
