"""``erario verificar``: o banco inteiro conferido contra o que o gerou.

Recalcula os saldos do razão a partir das partidas e compara com a tabela
``saldo`` (VER-SALDO); confere as partidas dobradas (VER-DESBALANCEADO), as
referências (VER-REFERENCIA), as contas sintéticas (VER-SINTETICA), cada
exercício e a passagem de um ao outro, e reexecuta os eventos para comparar com as
tabelas do controle (VER-CONTROLE) e com as contas de controle do razão.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Connection, select, text

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.carga import EstornoEvento
from erario.execucao.eventos import TipoEvento
from erario.execucao.relatorios import conferir_com_razao
from erario.razao.saldos import ChaveSaldo, LinhaSaldo, Movimentos, acumular, linhas_de_movimentos
from erario.storage import esquema as t
from erario.storage.saldos_controle import divergencias

if TYPE_CHECKING:
    from erario.storage.repositorio import Repositorio


def verificar(repo: Repositorio) -> list[Erro]:
    """Recalcula saldos a partir do razão e confere as partidas dobradas; da
    mesma agregação do razão, confere cada exercício e a passagem de um ao
    outro (``_conferir_exercicios``) e a execução orçamentária com as contas
    de controle."""
    erros: list[Erro] = []
    with repo.engine.connect() as con:
        ids = repo._ids_entidades(con)
        slug_de = {eid: s for s, (eid, _) in ids.items()}
        movimentos: Movimentos = {}
        agregado = text(
            "SELECT l.entidade_id, l.ano, l.livro, l.periodo, p.conta_id, p.conta_corrente,"
            " SUM(CASE WHEN p.dc = 'D' THEN p.valor ELSE 0 END),"
            " SUM(CASE WHEN p.dc = 'C' THEN p.valor ELSE 0 END)"
            " FROM partida p JOIN lancamento l ON l.id = p.lancamento_id"
            " GROUP BY l.entidade_id, l.ano, l.livro, l.periodo, p.conta_id, p.conta_corrente"
        )
        for eid, ano, livro, periodo, conta_id, cc, d, c in con.execute(agregado):
            chave = ChaveSaldo(eid, ano, livro, conta_id, cc)
            acumular(movimentos, chave, periodo, "D", int(d))
            acumular(movimentos, chave, periodo, "C", int(c))
        esperado = {_chave_linha(ln): ln for ln in linhas_de_movimentos(movimentos)}
        gravado = {
            _chave_linha(ln): ln for ln in (LinhaSaldo(*r) for r in con.execute(select(t.saldo)))
        }
        codigo_de = dict(con.execute(select(t.conta.c.id, t.conta.c.codigo)).all())
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
        # LEFT JOIN: o lançamento sem nenhuma partida também aparece.
        desbalanceados = text(
            "SELECT l.entidade_id, l.numero, COUNT(p.seq) FROM lancamento l"
            " LEFT JOIN partida p ON p.lancamento_id = l.id"
            " GROUP BY l.id, l.entidade_id, l.numero, l.valor"
            " HAVING COUNT(p.seq) < 2"
            " OR COALESCE(SUM(CASE WHEN p.dc = 'D' THEN p.valor ELSE 0 END), 0) <> l.valor"
            " OR COALESCE(SUM(CASE WHEN p.dc = 'C' THEN p.valor ELSE 0 END), 0) <> l.valor"
        )
        for eid, numero, n_partidas in con.execute(desbalanceados):
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
        if not repo.postgres:  # SQLite: chaves estrangeiras (desligadas nas cargas)
            for tabela, rowid, pai, _fk in con.exec_driver_sql("PRAGMA foreign_key_check"):
                erros.append(
                    Erro(
                        "VER-REFERENCIA",
                        f"linha {rowid} de {tabela} aponta para {pai} inexistente",
                    )
                )
        sinteticas = text(
            "SELECT DISTINCT l.entidade_id, l.numero, c.codigo FROM partida p"
            " JOIN conta c ON c.id = p.conta_id JOIN lancamento l ON l.id = p.lancamento_id"
            " WHERE c.analitica = :falso"
        )
        for eid, numero, codigo in con.execute(sinteticas, {"falso": False}):
            erros.append(
                Erro(
                    "VER-SINTETICA",
                    f"lançamento {numero} de {slug_de.get(eid, eid)} usa a conta sintética {codigo}",
                )
            )
        tipos_de_evento = con.execute(
            select(t.evento.c.entidade_id, t.evento.c.tipo).distinct()
        ).all()
        # A DDR e a execução só se conferem em quem executa o orçamento por
        # eventos: um razão importado, mesmo encerrado pelo erario, pode não manter
        # a DDR e não tem no controle os empenhos dos seus restos a pagar.
        com_orcamento = {
            slug_de[eid]
            for eid, tipo in tipos_de_evento
            if eid in slug_de and tipo not in _EVENTOS_SEM_ORCAMENTO
        }
        exercicios = _saldos_dos_exercicios(movimentos, codigo_de)
        erros += _conferir_exercicios(repo, con, exercicios, ids, com_orcamento)
    with repo.engine.connect() as con:
        controle = repo._refazer_controle(con)[0]
        # As tabelas do controle (o que registrar um evento lê) contra a reexecução.
        erros += divergencias(con, controle)
    if com_orcamento:
        for slug in sorted(com_orcamento):
            # Execução de cada exercício contra o razão dele até dezembro (antes do
            # encerramento); restos a pagar contra o último exercício. Os saldos
            # vêm da mesma agregação do razão (todas as contas do exercício: a
            # conferência lê só as suas).
            eid = ids[slug][0]
            anos = exercicios.anos.get(eid, [])
            restos = exercicios.finais.get((eid, anos[-1]), {}) if anos else {}
            for ano in anos:
                erros += conferir_com_razao(
                    controle,
                    slug,
                    exercicios.ate_dezembro.get((eid, ano), {}),
                    ano,
                    restos=restos if ano == anos[-1] else None,
                )
    return erros


def _conferir_exercicios(
    repo: Repositorio,
    con: Connection,
    exercicios: _SaldosDosExercicios,
    ids: dict[str, tuple[int, str]],
    com_orcamento: set[str],
) -> list[Erro]:
    """``VER-ABERTURA``, ``VER-PATRIMONIO``, ``VER-SUBSISTEMA`` e ``VER-DDR``
    (``execucao.conferencia_exercicios``; a DDR só nas entidades de
    ``com_orcamento``) de cada entidade, a partir dos saldos agregados; o banco
    só dá os encerramentos vigentes (uma consulta) e o plano das entidades com
    exercício encerrado."""
    from erario.execucao.conferencia_exercicios import conferir_exercicios

    estorno = t.evento.alias("estorno")
    q = select(t.evento.c.entidade_id, t.evento.c.data).where(
        (t.evento.c.tipo == TipoEvento.ENCERRAMENTO.value)
        & ~select(estorno.c.id).where(estorno.c.estornado_id == t.evento.c.id).exists()
    )
    encerrados: dict[int, set[int]] = {}
    for eid, data in con.execute(q):
        if (data.month, data.day) == (12, 31):  # vigente: o de 31/12 não estornado
            encerrados.setdefault(eid, set()).add(data.year)
    por_id = {eid: (slug, nome_plano) for slug, (eid, nome_plano) in ids.items()}
    erros: list[Erro] = []
    for eid in sorted(exercicios.anos.keys() | encerrados.keys()):
        slug, nome_plano = por_id.get(eid, (str(eid), None))
        anos_encerrados = encerrados.get(eid, set())
        plano = None
        if anos_encerrados and nome_plano is not None:
            try:
                plano = repo._plano(nome_plano, con).plano
            except OperacaoRecusada as exc:
                erros += exc.erros
        finais = {
            ano: exercicios.finais.get((eid, ano), {}) for ano in exercicios.anos.get(eid, [])
        }
        erros += conferir_exercicios(
            slug,
            finais,
            {ano: exercicios.aberturas.get((eid, ano), {}) for ano in finais},
            anos_encerrados if plano is not None else (),
            plano,
            ddr=slug in com_orcamento,
        )
    return erros


# Eventos que não são execução orçamentária (a entidade pode ter só o razão importado).
_EVENTOS_SEM_ORCAMENTO = frozenset(
    {TipoEvento.ENCERRAMENTO.value, EstornoEvento._field_defaults["tipo"]}
)


class _SaldosDosExercicios(NamedTuple):
    """Saldos com sinal por (conta, conta corrente), por (entidade, exercício),
    somados os livros: do exercício inteiro (períodos 0 a 13), até dezembro e da
    abertura (período 0); e os exercícios com lançamentos de cada entidade."""

    finais: dict[tuple[int, int], dict[tuple[str, str], int]]
    ate_dezembro: dict[tuple[int, int], dict[tuple[str, str], int]]
    aberturas: dict[tuple[int, int], dict[tuple[str, str], int]]
    anos: dict[int, list[int]]


def _saldos_dos_exercicios(
    movimentos: Movimentos, codigo_de: dict[int, str]
) -> _SaldosDosExercicios:
    """Os saldos de ``_SaldosDosExercicios`` a partir dos movimentos agregados por
    ``verificar``; conta desconhecida (``VER-REFERENCIA``) fica de fora."""
    finais: dict[tuple[int, int], dict[tuple[str, str], int]] = {}
    ate_dezembro: dict[tuple[int, int], dict[tuple[str, str], int]] = {}
    aberturas: dict[tuple[int, int], dict[tuple[str, str], int]] = {}
    anos: dict[int, set[int]] = {}
    for (eid, ano, _livro, conta_id, cc), por_periodo in movimentos.items():
        anos.setdefault(eid, set()).add(ano)
        codigo = codigo_de.get(conta_id)
        if codigo is None:
            continue
        total = dezembro = abertura = 0
        for periodo, (d, c) in por_periodo.items():
            total += d - c
            if periodo <= 12:
                dezembro += d - c
            if periodo == 0:
                abertura += d - c
        chave = (codigo, cc)
        for destino, v in ((finais, total), (ate_dezembro, dezembro), (aberturas, abertura)):
            if v:
                saldos = destino.setdefault((eid, ano), {})
                v += saldos.get(chave, 0)
                if v:
                    saldos[chave] = v
                else:
                    del saldos[chave]
    return _SaldosDosExercicios(
        finais, ate_dezembro, aberturas, {eid: sorted(a) for eid, a in anos.items()}
    )


def _fmt_saldo(ln: LinhaSaldo | None) -> str:
    if ln is None:
        return "sem linha"
    return (
        f"mês D {formatar_brl(ln.debito_mes)} C {formatar_brl(ln.credito_mes)}, "
        f"acumulado D {formatar_brl(ln.debito_acum)} C {formatar_brl(ln.credito_acum)}"
    )


def _chave_linha(ln: LinhaSaldo) -> tuple[int, int, str, int, int, str]:
    return (ln.entidade_id, ln.ano, ln.livro, ln.periodo, ln.conta_id, ln.conta_corrente)
