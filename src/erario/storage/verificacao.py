"""``erario verificar``: o banco inteiro conferido contra o que o gerou.

Recalcula os saldos do razão a partir das partidas e compara com a tabela
``saldo`` (VER-SALDO); confere as partidas dobradas (VER-DESBALANCEADO), as
referências (VER-REFERENCIA), as contas sintéticas (VER-SINTETICA), cada
exercício e a passagem de um ao outro, e reexecuta os eventos para comparar com as
tabelas do controle (VER-CONTROLE) e com as contas de controle do razão.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Connection, select

from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.carga import EstornoEvento
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import TipoEvento
from erario.execucao.relatorios import (
    ExecucaoCalculada,
    conferir_com_razao,
    execucao_despesa,
    execucao_receita,
    restos_a_pagar,
)
from erario.razao.carga import sem_coleta_ciclica
from erario.razao.saldos import Movimentos
from erario.storage import esquema as t
from erario.storage.saldos_controle import divergencias, encerramentos, reexecutar_eventos
from erario.storage.verificacao_razao import conferir_razao, tarefas_independentes

if TYPE_CHECKING:
    from erario.storage.repositorio import Repositorio


@sem_coleta_ciclica()  # o controle refeito guarda cada evento: as coletas custavam ~1/6
def verificar(repo: Repositorio) -> list[Erro]:
    """Recalcula saldos a partir do razão e confere as partidas dobradas; da
    mesma agregação do razão, confere cada exercício e a passagem de um ao
    outro (``_conferir_exercicios``) e a execução orçamentária com as contas
    de controle; reexecuta os eventos e compara com as tabelas do controle.

    As conferências do razão (``verificacao_razao``, trabalho do banco) rodam
    numa thread com conexão própria enquanto esta reexecuta os eventos (trabalho
    do Python, da forma compacta gravada): cada uma usa um núcleo. As conferências
    que não dependem da soma das partidas ficam numa fila (``Tarefas``) que a
    thread que acabar primeiro esvazia, e o lado do controle da conferência da
    execução se calcula enquanto a soma termina. Os erros saem na mesma ordem de
    sempre."""
    with repo.engine.connect() as con:
        ids = repo.sessao.ids_entidades(con)
    slug_de = {eid: s for s, (eid, _) in ids.items()}
    tarefas = tarefas_independentes(repo.engine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verificar-razao") as fila:
        razao = fila.submit(conferir_razao, repo.engine, slug_de, tarefas)
        with repo.engine.connect() as con:
            controle = reexecutar_eventos(con)
            # As tabelas do controle (o que registrar um evento lê) contra a reexecução.
            erros_controle = divergencias(con, controle)
            tipos_de_evento = con.execute(
                select(t.evento.c.entidade_id, t.evento.c.tipo).distinct()
            ).all()
        tarefas.executar()  # ajuda a thread do razão com o que ela ainda não pegou
        # A DDR e a execução só se conferem em quem executa o orçamento por
        # eventos: um razão importado, mesmo encerrado pelo erario, pode não manter
        # a DDR e não tem no controle os empenhos dos seus restos a pagar.
        com_orcamento = {
            slug_de[eid]
            for eid, tipo in tipos_de_evento
            if eid in slug_de and tipo not in _EVENTOS_SEM_ORCAMENTO
        }
        # O lado do controle da conferência da execução, enquanto a soma termina:
        # os exercícios do controle (os do razão, se diferentes, calculam-se depois).
        calculadas = _execucoes_do_controle(controle, com_orcamento)
        conferencia = razao.result()
    erros = list(conferencia.erros)
    with repo.engine.connect() as con:
        codigo_de = dict(con.execute(select(t.conta.c.id, t.conta.c.codigo)).all())
        exercicios = _saldos_dos_exercicios(conferencia.movimentos, codigo_de)
        erros += _conferir_exercicios(repo, con, exercicios, ids, com_orcamento)
    erros += erros_controle
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
                calculada=calculadas.get((slug, ano)),
            )
    return erros


def _execucoes_do_controle(
    controle: ControleOrcamentario, slugs: set[str]
) -> dict[tuple[str, int], ExecucaoCalculada]:
    """O lado do controle (``ExecucaoCalculada``) de cada entidade em cada exercício com dotação ou
    receita no controle. Os restos a pagar (não dependem do exercício) vão em
    todos: ``conferir_com_razao`` só os usa no último."""
    anos = {(e, a) for e, a, _ in controle.dotacoes} | {(e, a) for e, a, _, _ in controle.receitas}
    restos = {slug: restos_a_pagar(controle, slug) for slug in slugs}
    return {
        (slug, ano): ExecucaoCalculada(
            execucao_despesa(controle, slug, ano),
            execucao_receita(controle, slug, ano),
            restos[slug],
        )
        for slug, ano in sorted(anos)
        if slug in slugs
    }


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

    encerrados: dict[int, set[int]] = {}
    for eid, data in encerramentos(con):
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
                plano = repo.sessao.plano_carregado(nome_plano, con).plano
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
