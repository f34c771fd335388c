"""Propriedades (hypothesis) do razão gravado no SQLite.

Lançamentos aleatórios válidos por construção (contas analíticas do plano de
teste, conta corrente exigida preenchida, débitos = créditos em cada natureza
de informação) devem manter: o balancete fecha; os saldos gravados são os do
razão, conferidos contra um recálculo feito aqui; o estorno devolve tudo.

Cada exemplo usa uma cópia de um banco-modelo já migrado (rápido e isolado).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from erario.razao.balancete import Balancete, TotalNatureza, conferir_balancete
from erario.razao.modelo import Entidade, Lancamento, Partida, TipoEntidade, TipoLancamento
from erario.razao.plano import ler_plano_csv
from erario.razao.saldos import PartidaRazao, saldos_do_razao
from erario.razao.validacao import erro_conta_abertura
from erario.storage import esquema
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.conftest import CNPJ_CAMARA, CNPJ_PREFEITURA, PLANO_TESTE

_plano, _erros = ler_plano_csv(PLANO_TESTE, "PCASP")
assert _plano is not None, _erros
PLANO = _plano
POR_NATUREZA = {
    n: [c for c in PLANO.contas.values() if c.analitica and c.natureza_informacao.value == n]
    for n in "POC"
}
# Abertura: só contas que têm saldo de abertura (LANC-ABERTURA-CONTA); no plano de
# teste, as orçamentárias são todas 5.2/6.2.
NA_ABERTURA = {
    n: [c for c in contas if erro_conta_abertura(c.codigo) is None]
    for n, contas in POR_NATUREZA.items()
}
VALORES_CC = {
    "FR": ["1500", "1501", "1700"],
    "DB": ["001-1234-5", "104-0001-9"],
    "CR": [CNPJ_CAMARA, CNPJ_PREFEITURA, "52998224725"],
}
ENTIDADES = ("prefeitura", "camara")
CONJUNTOS = (("prefeitura",), ("camara",), ENTIDADES)
ANO = 2026
EXEMPLOS = settings(max_examples=30, deadline=None)


# --------------------------------------------------------------- estratégias


@st.composite
def partida(
    draw: st.DrawFn, natureza: str, dc: str, centavos: int, abertura: bool = False
) -> Partida:
    conta = draw(st.sampled_from((NA_ABERTURA if abertura else POR_NATUREZA)[natureza]))
    cc = "|".join(f"{t}={draw(st.sampled_from(VALORES_CC[t]))}" for t in conta.conta_corrente)
    return Partida(conta.codigo, dc, centavos, cc)


@st.composite
def lancamento(draw: st.DrawFn) -> Lancamento:
    tipo = draw(st.sampled_from(list(TipoLancamento)))
    if tipo == TipoLancamento.ABERTURA:
        data = dt.date(ANO, 1, 1)
    else:
        data = dt.date(ANO, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    abertura = tipo == TipoLancamento.ABERTURA
    naturezas = [n for n in "POC" if NA_ABERTURA[n]] if abertura else list("POC")
    partidas: list[Partida] = []
    for natureza in draw(st.lists(st.sampled_from(naturezas), min_size=1, max_size=3, unique=True)):
        debitos = draw(st.lists(st.integers(1, 10**9), min_size=1, max_size=3))
        total = sum(debitos)
        # Créditos: o mesmo total repartido em 1 a 3 pedaços positivos.
        n = draw(st.integers(1, min(3, total)))
        cortes = (
            sorted(draw(st.sets(st.integers(1, total - 1), min_size=n - 1, max_size=n - 1)))
            if n > 1
            else []
        )
        creditos = [b - a for a, b in zip([0, *cortes], [*cortes, total], strict=True)]
        partidas += [draw(partida(natureza, "D", v, abertura)) for v in debitos]
        partidas += [draw(partida(natureza, "C", v, abertura)) for v in creditos]
    return Lancamento(
        entidade=draw(st.sampled_from(ENTIDADES)),
        data=data,
        historico=draw(
            # sem o caractere nulo, que todo histórico recusa (LANC-HISTORICO)
            st.text(
                st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=30
            )
        ).strip()
        or "h",
        partidas=tuple(draw(st.permutations(partidas))),
        tipo=tipo,
    )


LOTES = st.lists(lancamento(), min_size=1, max_size=8)
INTERVALOS = st.tuples(st.integers(0, 13), st.integers(0, 13)).map(lambda t: tuple(sorted(t)))


# ------------------------------------------------------------- banco-modelo


@pytest.fixture(scope="module")
def modelo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    caminho = tmp_path_factory.mktemp("modelo") / "erario.db"
    engine = criar_engine(f"sqlite:///{caminho}")
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    repo.gravar_plano(PLANO)
    for slug, cnpj, tipo, poder in (
        ("prefeitura", CNPJ_PREFEITURA, TipoEntidade.PREFEITURA, "10131"),
        ("camara", CNPJ_CAMARA, TipoEntidade.CAMARA, "20231"),
    ):
        repo.criar_entidade(Entidade(slug, slug.title(), cnpj, tipo, "4312658", poder))
        repo.abrir_exercicio(slug, ANO, usuario="teste")
    engine.dispose()
    return caminho


@contextmanager
def repositorio(modelo: Path) -> Iterator[Repositorio]:
    pasta = Path(tempfile.mkdtemp(prefix="erario-prop-"))
    try:
        for arquivo in modelo.parent.glob(modelo.name + "*"):  # .db e, se houver, -wal/-shm
            shutil.copy(arquivo, pasta / arquivo.name)
        engine = criar_engine(f"sqlite:///{pasta / modelo.name}")
        try:
            yield Repositorio(engine)
        finally:
            engine.dispose()
    finally:
        shutil.rmtree(pasta, ignore_errors=True)


# ------------------------------------------------------- recálculo independente


def esperado(
    lancs: Sequence[Lancamento], inicio: int, fim: int
) -> tuple[dict[tuple[str, str], tuple[int, int, int, int]], tuple[TotalNatureza, ...]]:
    """Balancete recalculado direto dos lançamentos: linhas (conta, cc) e totais.

    Linha ``(codigo, "")`` é a da conta (analítica somando as contas correntes,
    sintética somando as descendentes pela cadeia de ``pai``); ``(codigo, cc)``
    a de cada conta corrente.
    """
    # (conta, cc) → [anterior, débitos, créditos]
    analiticas: dict[tuple[str, str], list[int]] = {}
    for lc in lancs:
        if lc.periodo > fim:
            continue  # sem linha de saldo até o fim do intervalo: fora do balancete
        for p in lc.partidas:
            v = analiticas.setdefault((p.conta, p.conta_corrente), [0, 0, 0])
            if lc.periodo < inicio:
                v[0] += p.centavos if p.dc == "D" else -p.centavos
            elif lc.periodo <= fim:
                v[1 if p.dc == "D" else 2] += p.centavos
    linhas: dict[tuple[str, str], list[int]] = {}
    totais: dict[str, list[int]] = {}
    for (conta, cc), (ant, deb, cred) in analiticas.items():
        alvos = [conta]
        pai = PLANO.contas[conta].pai
        while pai is not None:
            alvos.append(pai)
            pai = PLANO.contas[pai].pai
        chaves = [(a, "") for a in alvos] + ([(conta, cc)] if cc else [])
        for chave in chaves:
            t = linhas.setdefault(chave, [0, 0, 0])
            t[0] += ant
            t[1] += deb
            t[2] += cred
    # Totais por natureza sobre o saldo de cada conta analítica (líquido das ccs).
    for (conta, cc), (ant, deb, cred) in linhas.items():
        if cc or not PLANO.contas[conta].analitica:
            continue
        atual = ant + deb - cred
        tot = totais.setdefault(PLANO.contas[conta].natureza_informacao.value, [0, 0, 0, 0])
        tot[0] += max(atual, 0)
        tot[1] += max(-atual, 0)
        tot[2] += deb
        tot[3] += cred
    nao_vazias = {
        k: (a, d, c, a + d - c) for k, (a, d, c) in linhas.items() if a or d or c or a + d - c
    }
    # A linha da conta aparece (zerada) quando só suas contas correntes têm valores.
    visiveis = dict(nao_vazias)
    for conta, cc in nao_vazias:
        if cc:
            visiveis.setdefault((conta, ""), (0, 0, 0, 0))
    return visiveis, tuple(TotalNatureza(n, *totais[n]) for n in "POC" if n in totais)


def obtido(b: Balancete) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    return {
        (ln.codigo, ln.conta_corrente): (ln.anterior, ln.debitos, ln.creditos, ln.atual)
        for ln in b.linhas
    }


def saldos_gravados(repo: Repositorio) -> dict[tuple[object, ...], tuple[int, int]]:
    """Saldo do mês e acumulado (débito − crédito) de cada linha da tabela de saldos."""
    with repo.engine.connect() as con:
        return {
            (r.entidade_id, r.ano, r.livro, r.periodo, r.conta_id, r.conta_corrente): (
                r.debito_mes - r.credito_mes,
                r.debito_acum - r.credito_acum,
            )
            for r in con.execute(select(esquema.saldo))
        }


def nao_nulos(saldos: dict[tuple[object, ...], tuple[int, int]]) -> dict:  # type: ignore[type-arg]
    return {k: v for k, v in saldos.items() if v != (0, 0)}


# -------------------------------------------------------------- propriedades


@EXEMPLOS
@given(lancs=LOTES, intervalo=INTERVALOS)
def test_balancete_fecha_e_saldos_sao_os_do_razao(
    modelo: Path, lancs: list[Lancamento], intervalo: tuple[int, int]
) -> None:
    with repositorio(modelo) as repo:
        gravados = repo.lancar_lote(lancs)
        assert len(gravados) == len(lancs)
        # (b) a tabela de saldos é exatamente a recalculada do razão
        assert repo.verificar() == []
        for slugs in CONJUNTOS:
            do_conjunto = [g for g in gravados if g.entidade in slugs]
            for inicio, fim in {(0, 13), (1, 12), (0, 0), (13, 13), intervalo}:
                b = repo.balancete(slugs, ANO, inicio, fim, por_conta_corrente=True)
                # (a) Σ débitos = Σ créditos; devedores = credores em cada natureza
                assert b.total_debitos == b.total_creditos
                assert all(t.saldo_devedor == t.saldo_credor for t in b.totais)
                assert conferir_balancete(b) == []
                # (b) o balancete dos saldos gravados = o recalculado dos lançamentos
                linhas, totais = esperado(do_conjunto, inicio, fim)
                assert obtido(b) == linhas
                assert b.totais == totais
        # O movimento do exercício inteiro é a soma dos débitos lançados.
        total = sum(p.centavos for g in gravados for p in g.partidas if p.dc == "D")
        assert repo.balancete(list(ENTIDADES), ANO, 0, 13).total_debitos == total


@EXEMPLOS
@given(base=st.lists(lancamento(), max_size=4), extra=LOTES)
def test_estorno_devolve_todos_os_saldos(
    modelo: Path, base: list[Lancamento], extra: list[Lancamento]
) -> None:
    # Entidade com abertura em ``base`` não implanta de novo em ``extra``
    # (LANC-ABERTURA-DUPLICADA); numa só carga, várias aberturas valem.
    implantadas = {lc.entidade for lc in base if lc.tipo == TipoLancamento.ABERTURA}
    extra = [
        lc for lc in extra if lc.tipo != TipoLancamento.ABERTURA or lc.entidade not in implantadas
    ]
    with repositorio(modelo) as repo:
        repo.lancar_lote(base)
        antes = saldos_gravados(repo)
        balancete_antes = obtido(repo.balancete(list(ENTIDADES), ANO, 0, 13))
        gravados = repo.lancar_lote(extra)
        for g in gravados:
            assert g.numero is not None
            e = repo.estornar(g.entidade, g.numero, g.data)
            assert e.periodo == g.periodo
        assert repo.verificar() == []
        # (c) Toda linha de saldo, em todo período (0 a 13), volta ao valor de
        # antes: saldo do mês e acumulado; as linhas novas ficam zeradas.
        depois = saldos_gravados(repo)
        assert nao_nulos(depois) == nao_nulos(antes)
        assert antes.keys() <= depois.keys()
        if not base:
            assert nao_nulos(depois) == {}
        # No balancete do exercício: mesmos saldos; movimento cresce igual nos dois lados.
        b = repo.balancete(list(ENTIDADES), ANO, 0, 13)
        assert conferir_balancete(b) == []
        saldos = {k: v[3] for k, v in obtido(b).items() if v[3]}
        assert saldos == {k: v[3] for k, v in balancete_antes.items() if v[3]}
        for k, (_ant, deb, cred, _atual) in obtido(b).items():
            a = balancete_antes.get(k, (0, 0, 0, 0))
            assert deb - a[1] == cred - a[2], k


@given(
    st.lists(
        st.tuples(
            st.integers(1, 2),
            st.integers(0, 13),
            st.integers(1, 3),
            st.sampled_from("DC"),
            st.integers(1, 10**6),
        ),
        max_size=30,
    )
)
def test_saldos_do_razao_igual_a_soma_direta(
    movs: list[tuple[int, int, int, str, int]],
) -> None:
    partidas = [PartidaRazao(e, ANO, "C", p, c, "", dc, v) for e, p, c, dc, v in movs]
    linhas = saldos_do_razao(partidas)
    assert len({(x.entidade_id, x.conta_id, x.periodo) for x in linhas}) == len(linhas)
    for x in linhas:
        mesma = [m for m in partidas if (m.entidade_id, m.conta_id) == (x.entidade_id, x.conta_id)]
        assert x.periodo >= min(m.periodo for m in mesma)
        assert x.debito_mes == sum(
            m.centavos for m in mesma if m.periodo == x.periodo and m.dc == "D"
        )
        assert x.credito_mes == sum(
            m.centavos for m in mesma if m.periodo == x.periodo and m.dc == "C"
        )
        assert x.debito_acum == sum(
            m.centavos for m in mesma if m.periodo <= x.periodo and m.dc == "D"
        )
        assert x.credito_acum == sum(
            m.centavos for m in mesma if m.periodo <= x.periodo and m.dc == "C"
        )
    # Toda chave com movimento tem as linhas do primeiro período até o 13.
    chaves = {(m.entidade_id, m.conta_id) for m in partidas}
    assert len(linhas) == sum(
        14 - min(m.periodo for m in partidas if (m.entidade_id, m.conta_id) == k) for k in chaves
    )
