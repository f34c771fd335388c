"""Saldos do razão lidos do banco: balancete (da tabela ``saldo``), razão de uma
conta e saldos por conta e conta corrente (somados das partidas)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, case, func, or_, select, text

from erario.core.erros import OperacaoRecusada
from erario.razao.balancete import Balancete, balancete_de_totais
from erario.razao.modelo import LIVRO_CONTABIL
from erario.razao.razao_conta import MovimentoConta
from erario.razao.saldos import PERIODO_ENCERRAMENTO
from erario.storage import esquema as t

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao


class SaldosRazao:
    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao

    def balancete(
        self,
        slugs: Sequence[str],
        ano: int,
        inicio: int,
        fim: int,
        *,
        por_conta_corrente: bool = False,
        nivel_maximo: int | None = None,
        livro: str = LIVRO_CONTABIL,
    ) -> Balancete:
        """Balancete de uma ou várias entidades (soma) entre os períodos dados."""
        if not (0 <= inicio <= fim <= 13):
            raise OperacaoRecusada.uma(
                "BAL-PERIODO",
                f"período {inicio}–{fim} inválido: use meses de 0 (abertura) a 13 (encerramento)",
            )
        with self.sessao.engine.connect() as con:
            entidades = self.sessao.ids_entidades(con)
            faltam = [s for s in slugs if s not in entidades]
            if faltam:
                raise OperacaoRecusada.uma(
                    "ENT-INEXISTENTE", f"entidade {', '.join(faltam)} não existe"
                )
            planos = {entidades[s][1] for s in slugs}
            if len(planos) != 1:
                raise OperacaoRecusada.uma(
                    "BAL-PLANOS",
                    "entidades com planos de contas diferentes não se somam num balancete",
                )
            carregado = self.sessao.plano_carregado(planos.pop(), con)
            codigos = carregado.codigos
            ids = ",".join(str(int(entidades[s][0])) for s in slugs)
            # Soma no banco: acumulado antes do intervalo (linha do período inicial
            # menos o próprio mês) e acumulado até o fim; sem abertura por conta
            # corrente, já agrupa por conta (poucas linhas para o Python).
            grupo = "conta_id, conta_corrente" if por_conta_corrente else "conta_id"
            sql = text(
                f"SELECT {grupo},"
                " SUM(CASE WHEN periodo = :ini THEN debito_acum - debito_mes ELSE 0 END),"
                " SUM(CASE WHEN periodo = :ini THEN credito_acum - credito_mes ELSE 0 END),"
                " SUM(CASE WHEN periodo = :fim THEN debito_acum ELSE 0 END),"
                " SUM(CASE WHEN periodo = :fim THEN credito_acum ELSE 0 END)"
                f" FROM saldo WHERE entidade_id IN ({ids}) AND ano = :ano AND livro = :livro"
                f" AND periodo IN (:ini, :fim) GROUP BY {grupo}"
            )
            parametros = {"ano": ano, "livro": livro, "ini": inicio, "fim": fim}
            por_chave: dict[tuple[str, str], tuple[int, int, int]] = {}
            for *chave, d_ant, c_ant, d_fim, c_fim in con.execute(sql, parametros):
                cc = chave[1] if por_conta_corrente else ""
                d_ant, c_ant, d_fim, c_fim = int(d_ant), int(c_ant), int(d_fim), int(c_fim)
                por_chave[(codigos[chave[0]], cc)] = (d_ant - c_ant, d_fim - d_ant, c_fim - c_ant)
        return balancete_de_totais(
            carregado.plano,
            por_chave,
            entidades=tuple(slugs),
            ano=ano,
            inicio=inicio,
            fim=fim,
            por_conta_corrente=por_conta_corrente,
            nivel_maximo=nivel_maximo,
        )

    def razao_conta(
        self,
        slug: str,
        ano: int,
        codigo: str,
        inicio: int = 1,
        fim: int = 12,
        conta_corrente: str | None = None,
    ) -> tuple[int, list[MovimentoConta]]:
        """Saldo anterior (com sinal) e as partidas da conta no intervalo de períodos.

        Conta sintética: todas as analíticas abaixo dela. ``conta_corrente``
        filtra por atributo (``"FR=1500"`` casa com toda conta corrente que o tenha).
        """
        with self.sessao.engine.connect() as con:
            eid, nome_plano = self.sessao.ids_entidades(con).get(slug, (None, ""))
            if eid is None:
                raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")
            carregado = self.sessao.plano_carregado(nome_plano, con)
            plano = carregado.plano
            normal = plano.mascara.normalizar(codigo)
            conta = plano.contas.get(normal) if normal else None
            if conta is None:
                raise OperacaoRecusada.uma("LANC-CONTA", f"conta {codigo} não existe no plano")
            ids = [
                carregado.ids[c.codigo]
                for c in plano.contas.values()
                if c.analitica
                and (c.codigo == conta.codigo or conta.codigo in plano.mascara.ancestrais(c.codigo))
            ]
            filtros = [i.strip() for i in (conta_corrente or "").split("|") if i.strip()]

            def casa(cc: str) -> bool:
                return not filtros or all(f in cc.split("|") for f in filtros)

            # Saldo anterior: o acumulado do período anterior na tabela de saldos
            # (linhas densas até o 13), somados os livros; só as partidas do
            # intervalo são lidas, pelo índice (entidade, data) — num razão de um
            # milhão de lançamentos, março não relê janeiro e fevereiro.
            anterior = 0
            if inicio > 0:
                sd = t.saldo.c
                q_ant = (
                    select(sd.conta_corrente, func.sum(sd.debito_acum - sd.credito_acum))
                    .where(
                        (sd.entidade_id == eid)
                        & (sd.ano == ano)
                        & (sd.periodo == inicio - 1)
                        & sd.conta_id.in_(ids)
                    )
                    .group_by(sd.conta_corrente)
                )
                anterior = sum(int(v) for cc, v in con.execute(q_ant) if casa(cc))
            lc = t.lancamento.c
            faixa = (lc.periodo >= inicio) & (lc.periodo <= fim)
            if 1 <= inicio <= fim <= 12:  # os meses; 0 e 13 têm as datas de 1/1 e 31/12
                ultimo = dt.date(ano, fim, 1) + dt.timedelta(days=31)
                faixa &= (lc.data >= dt.date(ano, inicio, 1)) & (lc.data < ultimo.replace(day=1))
            base = (
                select(
                    lc.data,
                    lc.numero,
                    lc.historico,
                    t.partida.c.conta_id,
                    t.partida.c.conta_corrente,
                    t.partida.c.dc,
                    t.partida.c.valor,
                    t.partida.c.historico.label("historico_partida"),
                )
                .join(t.lancamento, lc.id == t.partida.c.lancamento_id)
                .where(
                    (lc.entidade_id == eid)
                    & (lc.ano == ano)
                    & faixa
                    & t.partida.c.conta_id.in_(ids)
                )
                .order_by(lc.periodo, lc.data, lc.id, t.partida.c.seq)
            )
            movimentos = []
            for data, numero, historico, conta_id, cc, dc, valor, hp in con.execute(base):
                if not casa(cc):
                    continue
                movimentos.append(
                    MovimentoConta(
                        data,
                        numero,
                        hp or historico,  # o da partida, quando ela tem o seu
                        carregado.codigos[conta_id],
                        cc,
                        dc,
                        int(valor),
                    )
                )
            return anterior, movimentos

    def saldos_execucao(
        self,
        slug: str,
        prefixos: Sequence[str] = ("5.2.1.1.1.", "6.2.1.2.", "6.2.1.3.", "6.2.2.1.", "6.3."),
        ano: int | None = None,
        ate_periodo: int = PERIODO_ENCERRAMENTO,
    ) -> dict[tuple[str, str], int]:
        """Saldo com sinal (+ devedor) por (conta, conta corrente) das contas que
        começam pelos prefixos (padrão: as que espelham a execução orçamentária)
        no exercício ``ano`` (padrão: o último com lançamentos da entidade), da
        abertura até ``ate_periodo``: cada exercício parte da sua abertura, nunca
        se somam exercícios."""
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            if ano is None:
                anos = _exercicios_com_lancamentos(con, eid)
                if not anos:
                    return {}
                ano = anos[-1]
            # Da tabela de saldos, não das partidas: a linha do período pedido tem o
            # acumulado do exercício (as linhas são densas do primeiro período
            # movimentado ao 13); somam-se os livros, como nas partidas.
            s = t.saldo.c
            q = (
                select(
                    t.conta.c.codigo,
                    s.conta_corrente,
                    func.sum(s.debito_acum - s.credito_acum),
                )
                .join(t.conta, t.conta.c.id == s.conta_id)
                .where(
                    (s.entidade_id == eid)
                    & (s.ano == ano)
                    & (s.periodo == min(ate_periodo, PERIODO_ENCERRAMENTO))
                    & or_(*(t.conta.c.codigo.like(p + "%") for p in prefixos))
                )
                .group_by(t.conta.c.codigo, s.conta_corrente)
            )
            return {(codigo, cc): int(v) for codigo, cc, v in con.execute(q) if v}

    def exercicios_com_lancamentos(self, slug: str) -> list[int]:
        """Anos com algum lançamento da entidade, em ordem."""
        with self.sessao.engine.connect() as con:
            return _exercicios_com_lancamentos(con, self.sessao.id_entidade(con, slug))


def saldos_do_exercicio(con: Connection, eid: int, data: dt.date) -> dict[tuple[str, str], int]:
    """Saldo com sinal do razão da entidade no exercício da data, da abertura
    (período 0) até a data: cada exercício parte da sua própria abertura."""
    return _saldos(con, eid, (t.lancamento.c.ano == data.year) & (t.lancamento.c.data <= data))


def _exercicios_com_lancamentos(con: Connection, eid: int) -> list[int]:
    # Pela tabela de saldos (chave entidade, ano…: o índice responde sem varrer o
    # milhão de lançamentos); todo lançamento gravado tem linhas de saldo no seu ano.
    q = select(t.saldo.c.ano).where(t.saldo.c.entidade_id == eid).distinct()
    return sorted(int(a) for a in con.execute(q).scalars())


def _saldos(con: Connection, eid: int, filtro: Any) -> dict[tuple[str, str], int]:
    """Saldo com sinal (+ devedor) por (conta, conta corrente) das partidas da
    entidade que passam no filtro (sobre lançamento e conta); sem os zerados."""
    q = (
        select(
            t.conta.c.codigo,
            t.partida.c.conta_corrente,
            func.sum(case((t.partida.c.dc == "D", t.partida.c.valor), else_=-t.partida.c.valor)),
        )
        .select_from(t.partida)
        .join(t.lancamento, t.lancamento.c.id == t.partida.c.lancamento_id)
        .join(t.conta, t.conta.c.id == t.partida.c.conta_id)
        .where((t.lancamento.c.entidade_id == eid) & filtro)
        .group_by(t.conta.c.codigo, t.partida.c.conta_corrente)
    )
    return {(codigo, cc): int(v) for codigo, cc, v in con.execute(q) if v}
