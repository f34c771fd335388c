"""Saldos do razão lidos do banco: balancete (da tabela ``saldo``), razão de uma
conta e saldos por conta e conta corrente (somados das partidas)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, case, func, literal, or_, select, text

from erario.core.datas import fim_do_mes
from erario.core.erros import OperacaoRecusada
from erario.razao.balancete import Balancete, balancete_de_totais
from erario.razao.modelo import LIVRO_CONTABIL, atributos_cc
from erario.razao.razao_conta import MovimentoConta
from erario.razao.saldos import PERIODO_ENCERRAMENTO
from erario.storage import esquema as t

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao


class PaginaRazao(NamedTuple):
    """Uma página do razão de uma conta (``SaldosRazao.razao_conta_pagina``)."""

    anterior: int  # saldo com sinal antes da primeira partida da página
    movimentos: list[MovimentoConta]
    ha_mais: bool  # há partidas depois da página
    debito: int  # totais do período inteiro, não só da página
    credito: int


def tem_atributo(con: Connection, coluna: Any, atributo: str) -> Any:
    """A conta corrente (atributos separados por "|") tem ``atributo`` inteiro?
    Posição exata do texto (o LIKE do SQLite ignora maiúsculas)."""
    envolta = literal("|").concat(coluna).concat("|")
    alvo = literal(f"|{atributo}|")
    if con.dialect.name == "sqlite":
        return func.instr(envolta, alvo) > 0
    return func.strpos(envolta, alvo) > 0


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
        pagina = self.razao_conta_pagina(slug, ano, codigo, inicio, fim, conta_corrente)
        return pagina.anterior, pagina.movimentos

    def razao_conta_pagina(
        self,
        slug: str,
        ano: int,
        codigo: str,
        inicio: int = 1,
        fim: int = 12,
        conta_corrente: str | None = None,
        deslocamento: int = 0,
        limite: int | None = None,
    ) -> PaginaRazao:
        """Como ``razao_conta``, só as partidas ``deslocamento`` a ``deslocamento +
        limite`` (todas sem ``limite``), com o saldo transportado até a primeira e
        os totais do período inteiro. A tela lê só a página: o razão de uma conta
        num mês de um município grande passa de 20 mil partidas."""
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
            # Saldo anterior e totais do período: a tabela de saldos (linhas densas
            # até o 13, somados os livros), sem reler partidas — num razão de um
            # milhão de lançamentos, março não relê janeiro e fevereiro. O filtro
            # de conta corrente, o mesmo das partidas abaixo, no banco.
            sd = t.saldo.c
            filtro_saldos = (
                (sd.entidade_id == eid)
                & (sd.ano == ano)
                & (sd.periodo >= inicio - 1)
                & (sd.periodo <= fim)
                & sd.conta_id.in_(ids)
            )
            for f in filtros:
                filtro_saldos &= tem_atributo(con, sd.conta_corrente, f)
            q_saldos = (
                select(
                    sd.periodo,
                    func.sum(sd.debito_acum - sd.credito_acum),
                    func.sum(sd.debito_mes),
                    func.sum(sd.credito_mes),
                )
                .where(filtro_saldos)
                .group_by(sd.periodo)
            )
            anterior = debito = credito = 0
            for periodo, acumulado, d_mes, c_mes in con.execute(q_saldos):
                if periodo == inicio - 1:
                    anterior += int(acumulado)
                else:
                    debito += int(d_mes)
                    credito += int(c_mes)
            lc, pc = t.lancamento.c, t.partida.c
            faixa = (lc.periodo >= inicio) & (lc.periodo <= fim)
            ordem: tuple[Any, ...] = (lc.periodo, lc.data, lc.id, pc.seq)
            if 1 <= inicio <= fim <= 12:  # os meses; 0 e 13 têm as datas de 1/1 e 31/12
                ultimo = dt.date(ano, fim, 1) + dt.timedelta(days=31)
                faixa &= (lc.data >= dt.date(ano, inicio, 1)) & (lc.data < ultimo.replace(day=1))
                # Nos meses o período é o da data: a ordem do índice (entidade,
                # data), e a página para de ler quando se completa.
                ordem = (lc.data, lc.id, pc.seq)
            condicao = (lc.entidade_id == eid) & (lc.ano == ano) & faixa & pc.conta_id.in_(ids)
            for f in filtros:  # atributo inteiro da conta corrente, no banco
                condicao &= tem_atributo(con, pc.conta_corrente, f)
            juncao = t.lancamento.join(t.partida, lc.id == pc.lancamento_id)
            base = (
                select(
                    lc.data,
                    lc.numero,
                    lc.historico,
                    pc.conta_id,
                    pc.conta_corrente,
                    pc.dc,
                    pc.valor,
                    pc.historico.label("historico_partida"),
                )
                .select_from(juncao)
                .where(condicao)
                .order_by(*ordem)
            )
            if limite is not None:
                # Uma leitura só: as anteriores à página somam o transportado;
                # uma a mais que a página diz se há próxima.
                base = base.limit(deslocamento + limite + 1)
            linhas = con.execute(base)
            for _, _, _, _, _, dc, valor, _ in itertools.islice(linhas, deslocamento):
                anterior += int(valor) if dc == "D" else -int(valor)
            movimentos = [
                MovimentoConta(
                    data,
                    numero,
                    hp or historico,  # o da partida, quando ela tem o seu
                    carregado.codigos[conta_id],
                    cc,
                    dc,
                    int(valor),
                )
                for data, numero, historico, conta_id, cc, dc, valor, hp in linhas
            ]
            ha_mais = limite is not None and len(movimentos) > limite
            return PaginaRazao(
                anterior, movimentos[:limite] if ha_mais else movimentos, ha_mais, debito, credito
            )

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

    def primeiros_movimentos(
        self, slug: str, ate_ano: int, atributo: str, valores: Collection[str]
    ) -> dict[str, dt.date]:
        """Para cada valor de ``valores`` do ``atributo`` da conta corrente (o
        domicílio bancário DB, p. ex.), a data do primeiro lançamento da entidade,
        de qualquer exercício até ``ate_ano``, com partida nele. O período sai da
        tabela de saldos; o dia, só das partidas desse período (num banco de 1 M
        lançamentos, um mês em vez de todos os exercícios)."""
        if not valores:
            return {}
        s, lanc, part = t.saldo, t.lancamento, t.partida
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            q = (
                select(s.c.conta_corrente, func.min(s.c.ano * 100 + s.c.periodo))
                .where(
                    (s.c.entidade_id == eid)
                    & (s.c.ano <= ate_ano)
                    & ((s.c.debito_mes > 0) | (s.c.credito_mes > 0))
                    & s.c.conta_corrente.contains(f"{atributo}=")  # LIKE: o texto confere abaixo
                )
                .group_by(s.c.conta_corrente)
            )
            # valor → (primeiro período, as contas correntes com o valor nesse período)
            primeiro: dict[str, tuple[int, list[str]]] = {}
            for cc, periodo in con.execute(q):
                valor = atributos_cc(cc).get(atributo)
                if valor is None or valor not in valores:
                    continue
                antes = primeiro.get(valor)
                if antes is None or periodo < antes[0]:
                    primeiro[valor] = (periodo, [cc])
                elif periodo == antes[0]:
                    antes[1].append(cc)
            saida: dict[str, dt.date] = {}
            for valor, (periodo, ccs) in primeiro.items():
                ano, mes = divmod(periodo, 100)
                mes = min(max(mes, 1), 12)  # abertura (0) em janeiro, encerramento (13) em dezembro
                fim = fim_do_mes(ano, mes)
                q = (
                    select(func.min(lanc.c.data))
                    .select_from(part.join(lanc, part.c.lancamento_id == lanc.c.id))
                    .where(
                        (lanc.c.entidade_id == eid)
                        & lanc.c.data.between(dt.date(ano, mes, 1), fim)
                        & part.c.conta_corrente.in_(ccs)
                    )
                )
                linha = con.execute(q).first()
                data: Any = linha[0] if linha is not None else None
                if data is not None:
                    saida[valor] = (
                        data if isinstance(data, dt.date) else dt.date.fromisoformat(data)
                    )
            return saida

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
