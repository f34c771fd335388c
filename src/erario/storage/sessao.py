"""Sessão do repositório: o que as partes dele (planos, entidades, lançamentos,
eventos, cadastros…) compartilham sobre o mesmo banco.

O motor, a consulta de entidade por slug (id e nome do plano), o cache dos
planos carregados, as transações (a da carga, a ``transacao_unica`` que junta
várias cargas, a só de leitura) e a auditoria.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, insert, select

from erario.core.erros import OperacaoRecusada
from erario.storage import esquema as t
from erario.storage.banco import transacao_sem_fk
from erario.storage.planos import PlanoCarregado, ler_plano


def usuario_do_sistema() -> str:
    """O usuário do sistema operacional, para a auditoria sem usuário informado."""
    try:
        return getpass.getuser()
    except Exception:  # ambiente sem usuário (contêiner): registra assim mesmo
        return "desconhecido"


class Sessao:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._planos: dict[str, PlanoCarregado] = {}
        # A conexão da ``transacao_unica`` em curso: as cargas rodam dentro dela.
        # Quem já tem uma transação aberta (a leitura do FCONT) a põe aqui.
        self.carga_aberta: Connection | None = None

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    # ------------------------------------------------------------ entidades
    def ids_entidades(self, con: Connection) -> dict[str, tuple[int, str]]:
        """slug → (id da entidade, nome do plano)."""
        q = select(t.entidade.c.slug, t.entidade.c.id, t.plano.c.nome).join(
            t.plano, t.plano.c.id == t.entidade.c.plano_id
        )
        return {r[0]: (r[1], r[2]) for r in con.execute(q)}

    def id_entidade(self, con: Connection, slug: str) -> int:
        eid = con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == slug)).scalar()
        if eid is None:
            raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")
        return int(eid)

    # --------------------------------------------------------------- planos
    def plano_carregado(self, nome: str, con: Connection | None = None) -> PlanoCarregado:
        """O plano com os ids das contas, lido uma vez por sessão."""
        carregado = self._planos.get(nome)
        if carregado is not None:
            return carregado
        if con is None:
            with self.engine.connect() as nova:
                return self.plano_carregado(nome, nova)
        carregado = self._planos[nome] = ler_plano(con, nome)
        return carregado

    def esquecer_plano(self, nome: str) -> None:
        self._planos.pop(nome, None)

    def esquecer_planos(self) -> None:
        self._planos.clear()

    # ----------------------------------------------------------- transações
    @contextmanager
    def transacao_carga(self) -> Iterator[Connection]:
        """Transação de escrita no razão.

        SQLite: as chaves estrangeiras de partida/lançamento são conferidas pelo
        validador (contas do plano carregado, ids gerados aqui), então a checagem
        por linha fica desligada durante a carga; ``verificar`` roda o
        ``foreign_key_check``. PostgreSQL: trava o razão para numerar em ordem.
        """
        if self.carga_aberta is not None:  # dentro de ``transacao_unica``
            # Ponto de salvamento: a carga recusada não deixa os blocos já gravados.
            with self.carga_aberta.begin_nested():
                yield self.carga_aberta
            return
        with transacao_sem_fk(self.engine) as con:
            if self.postgres:
                con.exec_driver_sql("LOCK TABLE lancamento IN SHARE ROW EXCLUSIVE MODE")
            yield con

    @contextmanager
    def transacao_unica(self) -> Iterator[None]:
        """Várias cargas (p. ex. cadastros e depois eventos) numa só transação:
        a recusa de qualquer uma desfaz todas (importação do orçamento)."""
        if self.carga_aberta is not None:
            yield
            return
        with self.transacao_carga() as con:
            self.carga_aberta = con
            try:
                yield
            finally:
                self.carga_aberta = None

    @contextmanager
    def so_leitura(self) -> Iterator[Connection]:
        with self.engine.connect() as con:
            yield con

    # ------------------------------------------------------------ auditoria
    def auditar(
        self, con: Connection, usuario: str | None, acao: str, eid: int | None, detalhe: str
    ) -> None:
        con.execute(
            insert(t.auditoria).values(
                quando=dt.datetime.now(dt.UTC),
                usuario=usuario or usuario_do_sistema(),
                acao=acao,
                entidade_id=eid,
                detalhe=detalhe,
            )
        )
