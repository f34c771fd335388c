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

from typing import NamedTuple

from sqlalchemy import Connection, Engine, select, text

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.saldos import ChaveSaldo, LinhaSaldo, Movimentos, acumular, linhas_de_movimentos
from erario.storage import esquema as t

_SOMA = (
    "l.entidade_id, l.ano, l.livro, l.periodo, p.conta_id, p.conta_corrente,"
    " {d}CASE WHEN p.dc = 'D' THEN p.valor ELSE 0 END{f},"
    " {d}CASE WHEN p.dc = 'C' THEN p.valor ELSE 0 END{f}"
    " FROM partida p JOIN lancamento l ON l.id = p.lancamento_id"
)
_AGREGADO_SQLITE = (
    "INSERT INTO temp.erario_agregado SELECT " + _SOMA.format(d="", f="") + " WHERE true"
    " ON CONFLICT DO UPDATE SET debito = debito + excluded.debito,"
    " credito = credito + excluded.credito"
)
_AGREGADO_PG = (
    "SELECT "
    + _SOMA.format(d="SUM(", f=")")
    + " GROUP BY l.entidade_id, l.ano, l.livro, l.periodo, p.conta_id, p.conta_corrente"
)
# Por id do lançamento (a ordem da tabela, sem busca aleatória); o LEFT JOIN faz
# aparecer também o lançamento sem nenhuma partida.
_DESBALANCEADOS = (
    "SELECT l.id, COUNT(p.seq) FROM lancamento l"
    " LEFT JOIN partida p ON p.lancamento_id = l.id"
    " GROUP BY l.id, l.valor"
    " HAVING COUNT(p.seq) < 2"
    " OR COALESCE(SUM(CASE WHEN p.dc = 'D' THEN p.valor ELSE 0 END), 0) <> l.valor"
    " OR COALESCE(SUM(CASE WHEN p.dc = 'C' THEN p.valor ELSE 0 END), 0) <> l.valor"
)


class ConferenciaRazao(NamedTuple):
    """Os movimentos agregados (para as conferências de exercício) e os erros."""

    movimentos: Movimentos
    erros: list[Erro]


def conferir_razao(engine: Engine, slug_de: dict[int, str]) -> ConferenciaRazao:
    """As conferências do razão numa conexão própria (ver o início do módulo)."""
    with engine.connect() as con:
        sqlite = engine.dialect.name == "sqlite"
        movimentos = _movimentos(con, sqlite)
        erros = _saldos(con, movimentos, slug_de)
        erros += _desbalanceados(con, slug_de)
        if sqlite:  # chaves estrangeiras (desligadas nas cargas)
            for tabela, rowid, pai, _fk in con.exec_driver_sql("PRAGMA foreign_key_check"):
                erros.append(
                    Erro(
                        "VER-REFERENCIA",
                        f"linha {rowid} de {tabela} aponta para {pai} inexistente",
                    )
                )
        erros += _sinteticas(con, {k.conta_id for k in movimentos}, slug_de)
        con.rollback()
    return ConferenciaRazao(movimentos, erros)


def _movimentos(con: Connection, sqlite: bool) -> Movimentos:
    movimentos: Movimentos = {}
    if sqlite:
        con.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS erario_agregado (entidade_id INTEGER, ano INTEGER,"
            " livro TEXT, periodo INTEGER, conta_id INTEGER, conta_corrente TEXT,"
            " debito INTEGER NOT NULL, credito INTEGER NOT NULL,"
            " PRIMARY KEY (entidade_id, ano, livro, periodo, conta_id, conta_corrente))"
            " WITHOUT ROWID"
        )
        con.exec_driver_sql("DELETE FROM temp.erario_agregado")
        con.exec_driver_sql(_AGREGADO_SQLITE)
        linhas = con.exec_driver_sql("SELECT * FROM temp.erario_agregado")
    else:
        linhas = con.execute(text(_AGREGADO_PG))
    for eid, ano, livro, periodo, conta_id, cc, d, c in linhas:
        chave = ChaveSaldo(eid, ano, livro, conta_id, cc)
        acumular(movimentos, chave, periodo, "D", int(d))
        acumular(movimentos, chave, periodo, "C", int(c))
    if sqlite:
        con.exec_driver_sql("DROP TABLE temp.erario_agregado")
    return movimentos


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


def _desbalanceados(con: Connection, slug_de: dict[int, str]) -> list[Erro]:
    """VER-DESBALANCEADO: débitos, créditos e valor do lançamento diferentes, ou
    menos de duas partidas."""
    ruins: dict[int, int] = {int(i): int(n) for i, n in con.execute(text(_DESBALANCEADOS))}
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


def _sinteticas(con: Connection, contas: set[int], slug_de: dict[int, str]) -> list[Erro]:
    """VER-SINTETICA: só se alguma conta movimentada é sintética (as contas vêm da
    agregação; a busca dos lançamentos, rara, só então)."""
    sinteticas = {
        conta_id
        for conta_id, analitica in con.execute(select(t.conta.c.id, t.conta.c.analitica))
        if not analitica and conta_id in contas
    }
    if not sinteticas:
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
