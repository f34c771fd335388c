"""Consultas da execução orçamentária lidas das tabelas do controle (migrações
0013 e 0017), sem reexecutar eventos: relatórios, CLI e páginas web.

Cada consulta traz só o que mostra. ``ler_controle`` monta um
``ControleOrcamentario`` para os relatórios puros de ``execucao.relatorios``:
- sem entidade: tudo de todas (SIOPS do município, conferências);
- com entidade: dotações, receitas, extraorçamentários, estornados e encerrados
  dela (poucas linhas) e, dos mapas que crescem com os eventos (empenhos,
  liquidações…), só os pedidos em ``so`` — com o filtro dado, e o relatório
  que percorre o mapa tem de filtrar pelo mesmo critério. Um mapa grande não
  pedido fica "não lido": qualquer acesso a ele é erro de programação
  (``MapaNaoLido``), nunca um relatório silenciosamente incompleto.

A execução da despesa soma os empenhos por dotação no banco
(``somas_por_dotacao``, a mesma conta de ``relatorios.contribuicao_empenho``,
pelo índice ``ix_controle_empenho_execucao``); o extrato lê os eventos do
empenho pela coluna ``evento.empenho``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import Connection, bindparam, func, select, true

from erario.execucao.carga import TIPO_ESTORNO, EstornoEvento, evento_de_dados
from erario.execucao.controle import EXERCICIO, ControleOrcamentario
from erario.execucao.eventos import EncerramentoExercicio, Evento, TipoEvento
from erario.execucao.forma_compacta import evento_gravado
from erario.execucao.relatorios import (
    LinhaDespesa,
    LinhaExtrato,
    LinhaReceita,
    LinhaRestos,
    SomasDotacao,
    contribuicao_empenho,
    empenho_do_evento,
    execucao_despesa,
    execucao_receita,
    extrato_empenho,
    restos_a_pagar,
)
from erario.storage import esquema as t
from erario.storage.saldos_controle import (
    EXTRAS,
    LISTAS,
    MAPAS,
    EstadoControle,
    encerramentos,
    ids_entidades,
    linhas_do_mapa,
)

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao

# Mapas que crescem com os eventos: com entidade, só lidos quando pedidos em ``so``.
GRANDES = frozenset(
    {
        "reservas",
        "empenhos",
        "em_liquidacoes",
        "liquidacoes",
        "empenhos_extra",
        "liquidacoes_extra",
        *LISTAS,
    }
)
# Filtros prontos de ``so``.
# (> em vez de ≠: o índice só serve a intervalos; inscrito é um ano, situação "rpp"/"rpnp")
RESTOS = {
    "empenhos": t.controle_empenho.c.inscrito > 0,
    "liquidacoes": t.controle_liquidacao.c.situacao > EXERCICIO,
}
TUDO = {nome: true() for nome in GRANDES}  # a entidade inteira
# Relatórios das retenções: as liquidações e o credor de cada empenho, nada mais.
RETENCOES = {"empenhos": true(), "liquidacoes": true()}
A_LIQUIDAR_OU_PAGAR = {  # sugestões dos formulários de liquidação e pagamento
    "empenhos": t.controle_empenho.c.valor
    > t.controle_empenho.c.anulado
    + t.controle_empenho.c.liquidado
    + t.controle_empenho.c.cancelado,
    "liquidacoes": t.controle_liquidacao.c.valor
    > t.controle_liquidacao.c.pago + t.controle_liquidacao.c.cancelado,
}


class MapaNaoLido(dict[Any, Any]):
    """Um mapa do controle que a consulta não leu: usá-lo é erro de programação."""

    def __init__(self, nome: str) -> None:
        super().__init__()
        self.nome = nome

    def _erro(self, *_: Any) -> NoReturn:
        raise RuntimeError(
            f"o mapa {self.nome} do controle não foi lido nesta consulta: "
            f"peça-o em ler_controle(..., so={{'{self.nome}': ...}})"
        )

    __getitem__ = __contains__ = __iter__ = __len__ = get = items = keys = values = _erro


class ConsultasExecucao:
    """Os relatórios da execução (``execucao.relatorios``) sobre o banco, cada um
    lendo só o que mostra (ver o início do módulo)."""

    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao

    def controle(
        self,
        entidade: str | None = None,
        *,
        so: Mapping[str, Any] | None = None,
        eventos: bool | Collection[str] | None = None,
    ) -> ControleOrcamentario:
        """O controle lido das tabelas (``ler_controle``). Sem entidade, tudo de
        todas, também os eventos (o mesmo que reexecutá-los; para processamentos
        como o SIOPS do município); com entidade, os eventos só se pedidos."""
        if eventos is None:
            eventos = entidade is None
        with self.sessao.engine.connect() as con:
            return ler_controle(con, entidade, so=so, eventos=eventos)

    @contextmanager
    def controle_sob_demanda(self) -> Iterator[ControleOrcamentario]:
        """O controle do registro de eventos, só para ler: cada saldo é trazido do
        banco quando pedido (``saldos_controle.EstadoControle``); para prévias que
        rodam as regras sem gravar (a das retenções de uma liquidação)."""
        with self.sessao.engine.connect() as con:
            estado = EstadoControle(con, completo=False)
            try:
                yield estado.controle
            finally:
                estado.liberar()

    def execucao_despesa(
        self,
        entidade: str,
        exercicio: int | None = None,
        *,
        funcao: str | None = None,
        subfuncao: str | None = None,
        fonte: str | None = None,
    ) -> list[LinhaDespesa]:
        """``relatorios.execucao_despesa`` com os empenhos somados no banco."""
        with self.sessao.engine.connect() as con:
            controle = ler_controle(con, entidade)
            somas = somas_por_dotacao(con, controle, entidade, exercicio)
        return execucao_despesa(
            controle, entidade, exercicio, funcao=funcao, subfuncao=subfuncao, fonte=fonte,
            somas=somas,
        )  # fmt: skip

    def execucao_receita(self, entidade: str, exercicio: int | None = None) -> list[LinhaReceita]:
        return execucao_receita(self.controle(entidade), entidade, exercicio)

    def restos_a_pagar(self, entidade: str, ano_inscricao: int | None = None) -> list[LinhaRestos]:
        """``relatorios.restos_a_pagar`` lendo só os empenhos inscritos e as
        liquidações em restos."""
        return restos_a_pagar(self.controle(entidade, so=RESTOS), entidade, ano_inscricao)

    def extrato_empenho(self, entidade: str, numero: str) -> list[LinhaExtrato] | None:
        with self.sessao.engine.connect() as con:
            return extrato(con, entidade, numero)


def ler_controle(
    con: Connection,
    entidade: str | None = None,
    *,
    so: Mapping[str, Any] | None = None,
    eventos: bool | Collection[str] = False,
) -> ControleOrcamentario:
    """O controle lido das tabelas (ver o início do módulo). ``eventos``: também os
    eventos (não estornos) em ordem de registro — todos (True) ou só os destes
    tipos —, lidos da forma compacta gravada; caro num banco grande: só o SIOPS,
    o extrato de muitos empenhos e os relatórios das retenções precisam."""
    ids = ids_entidades(con)
    slug_de = {eid: slug for slug, eid in ids.items()}
    pedidas = list(ids) if entidade is None else [entidade]
    alvo = [ids[slug] for slug in pedidas if slug in ids]
    so = so or {}
    c = ControleOrcamentario()
    for m in MAPAS:
        if entidade is not None and m.nome in GRANDES and m.nome not in so:
            setattr(c, m.nome, MapaNaoLido(m.nome))
            continue
        mapa = getattr(c, m.nome)
        for chave, valores in linhas_do_mapa(con, m, slug_de, alvo, so.get(m.nome)):
            mapa[chave] = m.objeto(chave, valores)
    tab = t.controle_extra
    q: Any = select(tab.c.entidade_id, tab.c.conta, tab.c.credor, tab.c.fonte, tab.c.saldo)
    q = q.add_columns(tab.c.empenhado).where(tab.c.entidade_id.in_(alvo))
    for eid, conta, credor, fonte, saldo, empenhado in con.execute(q):
        chave = (slug_de[eid], conta, credor, fonte)
        for nome, valor in zip(EXTRAS, (saldo, empenhado), strict=True):
            if valor:
                getattr(c, nome)[chave] = valor
    for nome, (tabela, colunas) in LISTAS.items():
        if entidade is not None and nome not in so:
            setattr(c, nome, MapaNaoLido(nome))
            continue
        q = select(tabela.c.entidade_id, *(tabela.c[k] for k in colunas), tabela.c.codigo)
        q = q.where(tabela.c.entidade_id.in_(alvo)).order_by(*tabela.primary_key.columns)
        for linha in con.execute(q):
            getattr(c, nome).setdefault((slug_de[linha[0]], *linha[1:-1]), []).append(linha[-1])
    c.estornados = {(slug_de[eid], codigo) for eid, codigo in _estornados(con, alvo)}
    c.encerrados = {(slug_de[eid], data.year) for eid, data in encerramentos(con, alvo)}
    if eventos:
        ev_t = t.evento
        q = select(ev_t.c.entidade_id, ev_t.c.codigo, ev_t.c.dados, ev_t.c.compacto)
        q = q.where(ev_t.c.entidade_id.in_(alvo))
        if eventos is not True:  # pelo índice (tipo, entidade)
            q = q.where(ev_t.c.tipo.in_(sorted(str(tipo) for tipo in eventos)))
        for eid, codigo, dados, compacto in con.execute(q.order_by(ev_t.c.id)):
            ev = evento_gravado(dados, compacto)
            if not isinstance(ev, EstornoEvento):
                c.eventos[(slug_de[eid], codigo)] = ev
    else:
        c.eventos = MapaNaoLido("eventos")
    return c


def _estornados(con: Connection, eids: list[int]) -> list[tuple[int, str]]:
    """(entidade, código) dos eventos estornados, a partir dos estornos (poucos;
    ``ix_evento_tipo``), não varrendo todos os eventos."""
    estorno = t.evento.alias("estorno")
    q = (
        select(t.evento.c.entidade_id, t.evento.c.codigo)
        .join(estorno, estorno.c.estornado_id == t.evento.c.id)
        .where(estorno.c.tipo == TIPO_ESTORNO, estorno.c.entidade_id.in_(eids))
    )
    return [(int(eid), codigo) for eid, codigo in con.execute(q)]


def somas_por_dotacao(
    con: Connection, controle: ControleOrcamentario, entidade: str, exercicio: int | None
) -> dict[str, SomasDotacao]:
    """``relatorios.somas_por_dotacao`` somado no banco: a soma de
    ``contribuicao_empenho`` por (exercício, dotação), só no índice, menos os
    empenhos estornados (poucos, lidos um a um); os exercícios como no relatório
    (o pedido, ou os não encerrados — ``controle.encerrados``)."""
    e = t.controle_empenho.c
    eid = ids_entidades(con).get(entidade)
    if eid is None:
        return {}
    q = (
        select(
            e.ano,
            e.dotacao,
            func.sum(e.valor),
            func.sum(e.anulado),
            func.sum(e.liquidado - e.rpnp_liquidado),
            func.sum(e.pago - e.rpp_pago - e.rpnp_pago),
            func.count(),
        )
        .where(e.entidade_id == eid)
        .group_by(e.ano, e.dotacao)
    )
    if exercicio is not None:
        q = q.where(e.ano == exercicio)

    def conta(ano: int) -> bool:
        if exercicio is not None:
            return ano == exercicio
        return (entidade, ano) not in controle.encerrados

    # Por dotação: as quatro somas e quantos empenhos entraram (a dotação só com
    # empenhos estornados não aparece, como no relatório).
    somas: dict[str, list[int]] = {}
    for ano, dotacao, *valores in con.execute(q):
        if conta(ano):
            s = somas.setdefault(dotacao, [0, 0, 0, 0, 0])
            for i, v in enumerate(valores):
                s[i] += int(v)
    estornados = [codigo for _, codigo in _estornados(con, [eid])]
    if estornados:
        m = next(x for x in MAPAS if x.nome == "empenhos")
        filtro = m.tabela.c.codigo.in_(estornados)
        for chave, campos in linhas_do_mapa(con, m, {eid: entidade}, [eid], filtro):
            emp = m.objeto(chave, campos)
            if conta(emp.ano):
                s = somas[emp.dotacao]
                for i, v in enumerate((*contribuicao_empenho(emp), 1)):
                    s[i] -= v
    return {d: (s[0], s[1], s[2], s[3]) for d, s in somas.items() if s[4]}


def eventos_do_empenho(
    con: Connection, entidade: str, numero: str
) -> list[tuple[str, Evento | EncerramentoExercicio]]:
    """(código, evento) dos eventos do extrato do empenho, em ordem de registro
    (``evento.empenho``; os estornos ficam de fora, como no controle)."""
    eid = ids_entidades(con).get(entidade)
    q = (
        select(t.evento.c.codigo, t.evento.c.dados)
        .where(t.evento.c.entidade_id == eid, t.evento.c.empenho == numero)
        .order_by(t.evento.c.id)
    )
    saida: list[tuple[str, Evento | EncerramentoExercicio]] = []
    for codigo, dados in con.execute(q):
        ev = evento_de_dados(dados)
        if not isinstance(ev, EstornoEvento):
            saida.append((codigo, ev))
    return saida


def extrato(con: Connection, entidade: str, numero: str) -> list[LinhaExtrato] | None:
    """``relatorios.extrato_empenho`` lendo só o empenho, as liquidações dele e os
    eventos dele."""
    controle = ler_controle(
        con,
        entidade,
        so={
            "empenhos": t.controle_empenho.c.codigo == numero,
            "liquidacoes": t.controle_liquidacao.c.empenho == numero,
        },
    )
    return extrato_empenho(controle, entidade, numero, eventos_do_empenho(con, entidade, numero))


def _da_liquidacao(mapa: dict[tuple[int, str], str], eid: int, liquidacao: str) -> str | None:
    return mapa.get((eid, liquidacao))


@contextmanager
def eventos_alteraveis(con: Connection) -> Iterator[None]:
    """Só para migrações que preenchem uma coluna nova de ``evento``: suspende,
    na transação, o gatilho que recusa UPDATE (eventos são somente inclusão, 0002)
    e o põe de volta no fim."""
    if con.dialect.name == "postgresql":
        con.exec_driver_sql("ALTER TABLE evento DISABLE TRIGGER evento_somente_inclusao")
        yield
        con.exec_driver_sql("ALTER TABLE evento ENABLE TRIGGER evento_somente_inclusao")
        return
    con.exec_driver_sql("DROP TRIGGER IF EXISTS evento_somente_inclusao_update")
    yield
    con.exec_driver_sql(
        "CREATE TRIGGER evento_somente_inclusao_update BEFORE UPDATE ON evento"
        f" BEGIN SELECT RAISE(ABORT, '{_SOMENTE_INCLUSAO}'); END"
    )


_SOMENTE_INCLUSAO = "eventos são somente inclusão: corrija por estorno"  # o texto de 0002


def preencher_empenhos(con: Connection) -> None:
    """``evento.empenho`` dos eventos já gravados (migração 0017), em ordem de
    registro: o pagamento acha o empenho pela liquidação lida antes."""
    da_liquidacao: dict[tuple[int, str], str] = {}
    atualizacoes: list[dict[str, Any]] = []
    q = select(t.evento.c.id, t.evento.c.entidade_id, t.evento.c.dados).order_by(t.evento.c.id)
    for id_, eid, dados in con.execute(q):
        ev = evento_de_dados(dados)
        if isinstance(ev, EstornoEvento):
            continue
        empenho = empenho_do_evento(ev, partial(_da_liquidacao, da_liquidacao, eid))
        if ev.tipo == TipoEvento.LIQUIDACAO and empenho is not None:
            da_liquidacao[(eid, ev.id)] = empenho
        if empenho is not None:
            atualizacoes.append({"b_id": id_, "b_empenho": empenho})
    if atualizacoes:
        comando = (
            t.evento.update()
            .where(t.evento.c.id == bindparam("b_id"))
            .values(empenho=bindparam("b_empenho"))
        )
        with eventos_alteraveis(con):
            con.execute(comando, atualizacoes)
