"""A parte do ``verificar`` que é só do razão: os saldos recalculados das partidas
contra a tabela ``saldo`` (VER-SALDO), as partidas dobradas (VER-DESBALANCEADO),
as chaves estrangeiras do SQLite (VER-REFERENCIA) e as contas sintéticas
(VER-SINTETICA).

Tudo é trabalho do banco (varreduras das partidas): ``verificacao`` roda esta
parte numa thread com conexão própria enquanto a principal reexecuta os eventos
em Python — o SQLite e o psycopg soltam o GIL enquanto o banco trabalha, e as
duas partes usam os dois núcleos.

No SQLite, a soma por (entidade, exercício, livro, período, conta, conta
corrente) vai para uma tabela temporária com essa chave (``ON CONFLICT`` soma):
com ~10 mil chaves para milhões de partidas, custa um terço do ``GROUP BY``, que
ordena todas as partidas num B-tree temporário. No PostgreSQL, ``GROUP BY``
(agregação por hash).
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, select, text

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.saldos import ChaveSaldo, LinhaSaldo, Movimentos, acumular, linhas_de_movimentos
from erario.storage import esquema as t

_SOMA = (
    "l.entidade_id, l.ano, l.livro, l.periodo, p.conta_id, p.conta_corrente,"
    " {d}CASE WHEN p.dc = 'D' THEN p.valor ELSE 0 END{f},"
    " {d}CASE WHEN p.dc = 'C' THEN p.valor ELSE 0 END{f}, {n}"
    " FROM partida p JOIN lancamento l ON l.id = p.lancamento_id"
)
_AGREGADO_SQLITE = (
    "INSERT INTO temp.erario_agregado SELECT " + _SOMA.format(d="", f="", n="1") + " WHERE true"
    " ON CONFLICT DO UPDATE SET debito = debito + excluded.debito,"
    " credito = credito + excluded.credito, partidas = partidas + 1"
)
_AGREGADO_PG = (
    "SELECT "
    + _SOMA.format(d="SUM(", f=")", n="COUNT(*)")
    + " GROUP BY l.entidade_id, l.ano, l.livro, l.periodo, p.conta_id, p.conta_corrente"
)
# Partidas cujo lançamento não existe (só procuradas quando a contagem diverge).
_ORFAS = (
    "SELECT p.lancamento_id, p.seq FROM partida p"
    " WHERE NOT EXISTS (SELECT 1 FROM lancamento l WHERE l.id = p.lancamento_id)"
)
# Por id do lançamento (a ordem da tabela, sem busca aleatória); o LEFT JOIN faz
# aparecer também o lançamento sem nenhuma partida.
_DESBALANCEADOS = (
    "SELECT l.id, COUNT(p.seq) FROM lancamento l"
    " LEFT JOIN partida p ON p.lancamento_id = l.id"
    " WHERE {faixa}"
    " GROUP BY l.id, l.valor"
    " HAVING COUNT(p.seq) < 2"
    " OR COALESCE(SUM(CASE WHEN p.dc = 'D' THEN p.valor ELSE 0 END), 0) <> l.valor"
    " OR COALESCE(SUM(CASE WHEN p.dc = 'C' THEN p.valor ELSE 0 END), 0) <> l.valor"
)


class ConferenciaRazao(NamedTuple):
    """Os movimentos agregados (para as conferências de exercício) e os erros."""

    movimentos: Movimentos
    erros: list[Erro]


class Tarefas:
    """As conferências que não dependem da soma das partidas (partidas dobradas
    em faixas de lançamentos, chaves estrangeiras das outras tabelas), numa
    fila: quem ficar livre primeiro — a thread do razão depois da soma, ou a
    principal depois de reexecutar os eventos — pega a próxima, e os dois
    núcleos trabalham até o fim."""

    def __init__(self, funcoes: list[tuple[str, Callable[[], Any]]]) -> None:
        """``funcoes``: (tipo, função); os resultados voltam agrupados pelo tipo."""
        self._fila: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self._resultados: list[tuple[str, Future[Any]]] = []
        for tipo, f in funcoes:
            futuro: Future[Any] = Future()
            self._resultados.append((tipo, futuro))
            self._fila.put((f, futuro))

    def executar(self) -> None:
        """Faz as que ainda ninguém pegou."""
        while True:
            try:
                f, futuro = self._fila.get_nowait()
            except queue.Empty:
                return
            try:
                futuro.set_result(f())
            except BaseException as exc:  # quem espera o resultado a recebe
                futuro.set_exception(exc)

    def resultados(self) -> dict[str, list[Any]]:
        """Tipo → os resultados das suas funções, na ordem dada (espera as que
        outra thread faz)."""
        self.executar()
        por_tipo: dict[str, list[Any]] = {}
        for tipo, futuro in self._resultados:
            por_tipo.setdefault(tipo, []).append(futuro.result())
        return por_tipo


# Num banco grande, as partidas dobradas em faixas de ids de lançamento (cada
# uma ~0,4 s com 1 M lançamentos: pedaços pequenos equilibram as duas threads).
FAIXAS = 2
LANCAMENTOS_POR_FAIXA = 50_000


def tarefas_independentes(engine: Engine) -> Tarefas:
    """As ``Tarefas`` do banco: as faixas de VER-DESBALANCEADO e, no SQLite, o
    ``PRAGMA foreign_key_check`` das tabelas menos ``partida``."""
    with engine.connect() as con:
        menor, maior = con.exec_driver_sql("SELECT min(id), max(id) FROM lancamento").one()
    faixas: list[tuple[int, int] | None] = [None]
    if menor is not None and maior - menor >= LANCAMENTOS_POR_FAIXA:
        passo = (maior - menor) // FAIXAS + 1
        faixas = [(menor + i * passo, menor + (i + 1) * passo - 1) for i in range(FAIXAS)]
    funcoes: list[tuple[str, Callable[[], Any]]] = [
        ("desbalanceados", partial(_ids_desbalanceados, engine, f)) for f in faixas
    ]
    if engine.dialect.name == "sqlite":
        funcoes.append(("chaves", partial(_chaves_das_tabelas, engine)))
    return Tarefas(funcoes)


def conferir_razao(
    engine: Engine, slug_de: dict[int, str], tarefas: Tarefas | None = None
) -> ConferenciaRazao:
    """As conferências do razão numa conexão própria (ver o início do módulo): a
    soma das partidas e o que depende dela; depois, as ``tarefas`` que sobraram."""
    sqlite = engine.dialect.name == "sqlite"
    if tarefas is None:
        tarefas = tarefas_independentes(engine)
    with engine.connect() as con:
        movimentos, unidas = _movimentos(con, sqlite)
        erros = _saldos(con, movimentos, slug_de)
        analitica = dict(con.execute(select(t.conta.c.id, t.conta.c.analitica)).all())
        contas = {k.conta_id for k in movimentos}
        # chaves estrangeiras das partidas (desligadas nas cargas), da soma
        erros_partidas = _referencias_partida(con, contas, analitica, unidas) if sqlite else []
        erros_sinteticas = _sinteticas(con, contas, analitica, slug_de)
        resultados = tarefas.resultados()
        ruins: dict[int, int] = {}
        for faixa in resultados.get("desbalanceados", []):
            ruins.update(faixa)
        erros += _desbalanceados(con, ruins, slug_de)
        for chaves in resultados.get("chaves", []):
            erros += chaves
        con.rollback()
    return ConferenciaRazao(movimentos, erros + erros_partidas + erros_sinteticas)


def _chaves_das_tabelas(engine: Engine) -> list[Erro]:
    """VER-REFERENCIA: ``PRAGMA foreign_key_check`` em toda tabela menos
    ``partida`` (5,5 M linhas num banco de 1 M eventos: 2/3 do PRAGMA; as duas
    chaves dela saem da soma, em ``_referencias_partida``)."""
    with engine.connect() as con:
        tabelas = [
            nome
            for (nome,) in con.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'partida'"
            )
        ]
        return [
            Erro("VER-REFERENCIA", f"linha {rowid} de {tabela} aponta para {pai} inexistente")
            for nome in tabelas
            for tabela, rowid, pai, _fk in con.exec_driver_sql(
                f'PRAGMA foreign_key_check("{nome}")'
            )
        ]


def _referencias_partida(
    con: Connection, contas: set[int], analitica: dict[int, bool], unidas: int
) -> list[Erro]:
    """VER-REFERENCIA das partidas, da soma: as contas movimentadas existem e a
    junção com ``lancamento`` não perdeu nenhuma partida."""
    erros = [
        Erro("VER-REFERENCIA", f"partidas apontam para a conta de id {conta_id}, inexistente")
        for conta_id in sorted(contas - analitica.keys())
    ]
    total = con.exec_driver_sql("SELECT COUNT(*) FROM partida").scalar_one()
    if total != unidas:
        erros += [
            Erro(
                "VER-REFERENCIA",
                f"partida {seq} do lançamento de id {lid} aponta para lancamento inexistente",
            )
            for lid, seq in con.exec_driver_sql(_ORFAS)
        ]
    return erros


def _movimentos(con: Connection, sqlite: bool) -> tuple[Movimentos, int]:
    """Os movimentos agregados e quantas partidas a junção com ``lancamento`` uniu."""
    movimentos: Movimentos = {}
    unidas = 0
    if sqlite:
        con.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS erario_agregado (entidade_id INTEGER, ano INTEGER,"
            " livro TEXT, periodo INTEGER, conta_id INTEGER, conta_corrente TEXT,"
            " debito INTEGER NOT NULL, credito INTEGER NOT NULL, partidas INTEGER NOT NULL,"
            # a chave pela coluna que mais distingue (entidade, ano e livro quase
            # não variam): cada busca compara menos, ~1/4 mais rápido
            " PRIMARY KEY (conta_id, periodo, conta_corrente, entidade_id, ano, livro))"
            " WITHOUT ROWID"
        )
        con.exec_driver_sql("DELETE FROM temp.erario_agregado")
        con.exec_driver_sql(_AGREGADO_SQLITE)
        linhas: Iterable[Any] = con.exec_driver_sql("SELECT * FROM temp.erario_agregado")
    else:
        linhas = con.execute(text(_AGREGADO_PG))
    for eid, ano, livro, periodo, conta_id, cc, d, c, n in linhas:
        chave = ChaveSaldo(eid, ano, livro, conta_id, cc)
        acumular(movimentos, chave, periodo, "D", int(d))
        acumular(movimentos, chave, periodo, "C", int(c))
        unidas += int(n)
    if sqlite:
        con.exec_driver_sql("DROP TABLE temp.erario_agregado")
    return movimentos, unidas


def _chave_linha(ln: LinhaSaldo) -> tuple[int, int, str, int, int, str]:
    return (ln.entidade_id, ln.ano, ln.livro, ln.periodo, ln.conta_id, ln.conta_corrente)


def _fmt_saldo(ln: LinhaSaldo | None) -> str:
    if ln is None:
        return "sem linha"
    return (
        f"mês D {formatar_brl(ln.debito_mes)} C {formatar_brl(ln.credito_mes)}, "
        f"acumulado D {formatar_brl(ln.debito_acum)} C {formatar_brl(ln.credito_acum)}"
    )


def _saldos(con: Connection, movimentos: Movimentos, slug_de: dict[int, str]) -> list[Erro]:
    """VER-SALDO: cada linha da tabela ``saldo`` contra a recalculada."""
    esperado = {_chave_linha(ln): ln for ln in linhas_de_movimentos(movimentos)}
    gravado = {
        _chave_linha(ln): ln for ln in (LinhaSaldo(*r) for r in con.execute(select(t.saldo)))
    }
    codigo_de = dict(con.execute(select(t.conta.c.id, t.conta.c.codigo)).all())
    erros = []
    for k in sorted(esperado.keys() | gravado.keys()):
        a, b = esperado.get(k), gravado.get(k)
        if a is None or b is None or a[6:] != b[6:]:
            eid, ano, livro, periodo, conta_id, cc = k
            erros.append(
                Erro(
                    "VER-SALDO",
                    f"saldo de {slug_de.get(eid, eid)} {ano} período {periodo} conta "
                    f"{codigo_de.get(conta_id, conta_id)} [{cc}] livro {livro}: "
                    f"razão {_fmt_saldo(a)}, tabela {_fmt_saldo(b)}",
                )
            )
    return erros


def _ids_desbalanceados(engine: Engine, faixa: tuple[int, int] | None) -> dict[int, int]:
    """Id → número de partidas dos lançamentos com débitos, créditos e valor
    diferentes, ou menos de duas partidas (ids na ``faixa``; todos sem ela)."""
    filtro = "true" if faixa is None else f"l.id BETWEEN {int(faixa[0])} AND {int(faixa[1])}"
    with engine.connect() as con:
        linhas = con.exec_driver_sql(_DESBALANCEADOS.format(faixa=filtro))
        return {int(i): int(n) for i, n in linhas}


def _desbalanceados(con: Connection, ruins: dict[int, int], slug_de: dict[int, str]) -> list[Erro]:
    """VER-DESBALANCEADO dos lançamentos ``ruins``, por entidade e número."""
    if not ruins:
        return []
    q = select(t.lancamento.c.id, t.lancamento.c.entidade_id, t.lancamento.c.numero)
    erros = []
    for id_, eid, numero in sorted(
        con.execute(q.where(t.lancamento.c.id.in_(ruins))), key=lambda r: (r[1], r[2])
    ):
        n_partidas = ruins[id_]
        erros.append(
            Erro(
                "VER-DESBALANCEADO",
                f"lançamento {numero} de {slug_de.get(eid, eid)}: "
                + (
                    f"tem {n_partidas} partida(s), menos que duas"
                    if n_partidas < 2
                    else "débitos, créditos e valor diferem"
                ),
            )
        )
    return erros


def _sinteticas(
    con: Connection, contas: set[int], analitica: dict[int, bool], slug_de: dict[int, str]
) -> list[Erro]:
    """VER-SINTETICA: só se alguma conta movimentada é sintética (as contas vêm da
    agregação; a busca dos lançamentos, rara, só então)."""
    if all(analitica.get(conta_id, True) for conta_id in contas):
        return []
    q = text(
        "SELECT DISTINCT l.entidade_id, l.numero, c.codigo FROM partida p"
        " JOIN conta c ON c.id = p.conta_id JOIN lancamento l ON l.id = p.lancamento_id"
        " WHERE c.analitica = :falso"
    )
    return [
        Erro(
            "VER-SINTETICA",
            f"lançamento {numero} de {slug_de.get(eid, eid)} usa a conta sintética {codigo}",
        )
        for eid, numero, codigo in con.execute(q, {"falso": False})
    ]
