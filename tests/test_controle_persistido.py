"""Estado do controle persistido (issue 19, migração 0013): teste diferencial.

Os mesmos fluxos aleatórios de eventos (em cargas de um a três eventos, com
recusas, estornos, encerramento e restos a pagar no exercício seguinte) vão a
dois bancos iguais: um pelo caminho antigo (o controle refeito de todos os
eventos a cada operação) e outro pelo novo (os mapas preguiçosos sobre as
tabelas ``controle_*``, com a troca para "tudo de uma vez" num ponto aleatório,
ou dicionários comuns com tudo trazido no início).
Cada carga tem o mesmo resultado (aceita, ou os mesmos erros) nos dois; no fim,
todas as tabelas do controle, os lançamentos e os eventos são iguais, e
``verificar`` não acusa ``VER-CONTROLE``."""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, select, text

from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.storage import esquema as t
from erario.storage import saldos_controle
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.conftest import preparar_repo_pcasp

DOTS = ("0201.12.361.0001.2001.33903900", "0301.10.301.0001.2002.33903900")
CREDOR = "11222333000181"
CAUCAO = "11444777000161"
DEPOSITOS = "2.1.8.8.1.04.01"
BP = {"conta_banco": "1.1.1.1.1.19.00", "domicilio": "001-1234-5-67890-1"}
LIQ = {"conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01", "documento": "NF"}

PRELUDIO = [
    {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOTS[0],
     "fonte": "1500", "valor": "500.00"},
    {"tipo": "dotacao_inicial", "id": "D2", "data": "2026-01-02", "dotacao": DOTS[1],
     "fonte": "1500", "valor": "300.00"},
    {"tipo": "previsao_receita", "id": "R1", "data": "2026-01-02",
     "natureza_receita": "11125001", "fonte": "1500", "valor": "1000.00"},
]  # fmt: skip


class _Antigo:
    """O caminho antigo: o controle refeito de todos os eventos (e as tabelas
    reescritas dele, para comparar)."""

    def __init__(self, con: Connection) -> None:
        self.con = con
        self.controle, self.usados = saldos_controle.refazer_controle(con)

    def usado(self, slug: str, codigo: str) -> bool:
        return codigo in self.usados.get(slug, ())

    def usar(self, slug: str, codigo: str) -> None:
        self.usados.setdefault(slug, set()).add(codigo)

    def gravar(self) -> None:
        saldos_controle.reescrever(self.con, self.controle)

    def liberar(self) -> None:
        self.controle.esvaziar()


@functools.cache
def _modelo() -> Path:
    """Um banco com o PCASP, a prefeitura e 2026/2027 abertos, copiado a cada exemplo."""
    pasta = Path(tempfile.mkdtemp(prefix="erario-diferencial-"))
    engine = criar_engine(f"sqlite:///{pasta / 'modelo.db'}")
    atualizar_esquema(engine)
    repo = preparar_repo_pcasp(engine)
    repo.abrir_exercicio("prefeitura", 2027, usuario="teste")
    engine.dispose()
    return pasta / "modelo.db"


@contextmanager
def _banco(destino: Path) -> Iterator[tuple[Repositorio, Engine]]:
    shutil.copy(_modelo(), destino)
    engine = criar_engine(f"sqlite:///{destino}")
    try:
        yield Repositorio(engine), engine
    finally:
        engine.dispose()


_valor = st.integers(1, 400).map(lambda v: f"{v}.00")
_ref = st.integers(0, 30)
_OPERACOES = st.one_of(
    st.tuples(st.just("empenho"), st.sampled_from(DOTS), _valor),
    st.tuples(st.just("anulacao_empenho"), _ref, _valor),
    st.tuples(st.just("liquidacao"), _ref, _valor),
    st.tuples(st.just("pagamento"), _ref, _valor),
    st.tuples(st.just("arrecadacao"), st.just(0), _valor),
    st.tuples(st.just("ingresso_extraorcamentario"), st.just(0), _valor),
    st.tuples(st.just("pagamento_extraorcamentario"), st.sampled_from(("1500", "2500")), _valor),
    st.tuples(st.just("reserva_dotacao"), st.sampled_from(DOTS), _valor),
    st.tuples(st.just("anulacao_reserva"), _ref, _valor),
    st.tuples(st.just("credito_adicional"), st.sampled_from(DOTS), _valor),
    st.tuples(st.just("cancelamento_restos_a_pagar"), _ref, _valor),
    st.tuples(st.just("estorno"), _ref, st.just("")),
    st.tuples(st.just("encerramento_exercicio"), st.just(0), st.just("")),
)


def _escolher(lista: list[str], ref: object) -> str:
    return lista[int(ref) % len(lista)] if lista else "NADA"  # type: ignore[call-overload]


def _evento(n: int, op: tuple[Any, ...], vistos: dict[str, list[str]], ano: int) -> dict[str, Any]:
    tipo, arg, valor = op
    base: dict[str, Any] = {"tipo": tipo, "id": f"O{n}", "data": f"{ano}-06-{n % 28 + 1:02d}"}
    if tipo == "encerramento_exercicio":
        return {**base, "data": f"{ano}-12-31"}
    if tipo == "estorno":
        return {**base, "evento": _escolher(vistos["todos"], arg)}
    base["valor"] = valor
    if tipo in ("empenho", "reserva_dotacao", "credito_adicional"):
        base["dotacao"] = arg
    if tipo == "empenho":
        return {**base, "fonte": "1500", "credor": CREDOR}
    if tipo == "credito_adicional":
        return {**base, "fonte": "1500", "modalidade": "suplementar", "cobertura": "superavit"}
    if tipo in ("anulacao_empenho", "liquidacao", "cancelamento_restos_a_pagar"):
        base["empenho"] = _escolher(vistos["empenho"], arg)
    if tipo == "liquidacao":
        return {**base, **LIQ}
    if tipo == "pagamento":
        return {**base, "liquidacao": _escolher(vistos["liquidacao"], arg), **BP}
    if tipo == "anulacao_reserva":
        return {**base, "reserva": _escolher(vistos["reserva_dotacao"], arg)}
    if tipo == "arrecadacao":
        return {**base, "natureza_receita": "11125001", "fonte": "1500", **BP,
                "conta_vpa": "4.1.1.2.1.02.00"}  # fmt: skip
    if tipo.endswith("extraorcamentario"):
        fonte = arg if tipo.startswith("pagamento") else "1500"
        return {**base, "fonte": fonte, "credor": CAUCAO, "conta_passivo": DEPOSITOS, **BP}
    return base


def vistos_do_preludio() -> dict[str, list[str]]:
    """Os ids já registrados por tipo depois do ``PRELUDIO`` (de onde ``_evento``
    escolhe o evento citado)."""
    return {"todos": ["D1", "D2", "R1"], "empenho": [], "liquidacao": [], "reserva_dotacao": []}


def _registrar(repo: Repositorio, eventos: list[dict[str, Any]]) -> list[str]:
    linhas = [json.dumps({"entidade": "prefeitura", **ev}) for ev in eventos]
    itens, erros = ler_eventos_jsonl(linhas, "fluxo.jsonl")
    if erros:
        return [f"{e.regra}: {e.mensagem}" for e in erros]
    try:
        repo.registrar_eventos(itens, "fluxo.jsonl")
    except OperacaoRecusada as exc:
        return [f"{e.regra}: {e.mensagem}" for e in exc.erros]
    return []


def _tabelas(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as con:
        saida = {
            tab.name: sorted(tuple(r) for r in con.execute(select(tab)))
            for tab in saldos_controle.TABELAS
        }
        saida["controle_extra"] = [r for r in saida["controle_extra"] if r[4] or r[5]]
        saida["evento"] = sorted(
            tuple(r) for r in con.execute(select(t.evento.c.codigo, t.evento.c.dados))
        )
        saida["partidas"] = sorted(
            tuple(r)
            for r in con.execute(
                text(
                    "SELECT l.numero, c.codigo, p.dc, p.valor, p.conta_corrente FROM partida p"
                    " JOIN lancamento l ON l.id = p.lancamento_id JOIN conta c ON c.id = p.conta_id"
                )
            )
        )
    return saida


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(_OPERACOES, min_size=5, max_size=30),
    cortes=st.lists(st.integers(1, 3), min_size=30, max_size=30),
    perguntas=st.sampled_from((1, 5, 40, 10**9)),
    completo=st.booleans(),
)
def test_caminho_novo_igual_ao_antigo(
    ops: list[tuple[Any, ...]], cortes: list[int], perguntas: int, completo: bool, tmp_path: Path
) -> None:
    pasta = Path(tempfile.mkdtemp(dir=tmp_path))
    with _banco(pasta / "antigo.db") as (antigo, eng_a), _banco(pasta / "novo.db") as (novo, eng_n):
        for repo in (antigo, novo):
            with mock.patch("erario.storage.eventos.EstadoControle", _Antigo):
                assert _registrar(repo, PRELUDIO) == []
        vistos = vistos_do_preludio()
        ano = 2026
        i = 0
        for corte in cortes:
            if i >= len(ops):
                break
            lote = [_evento(i + k, op, vistos, ano) for k, op in enumerate(ops[i : i + corte])]
            i += corte
            with mock.patch("erario.storage.eventos.EstadoControle", _Antigo):
                erros_a = _registrar(antigo, lote)
            with (
                # Completo: dicionários comuns com tudo trazido no início (banco pequeno).
                mock.patch.object(saldos_controle, "LIMITE_COMPLETO", 10**9 if completo else -1),
                mock.patch.object(saldos_controle, "LIMITE_PERGUNTAS", perguntas),
            ):
                erros_n = _registrar(novo, lote)
            assert erros_n == erros_a, lote
            if not erros_a:
                for ev in lote:
                    vistos["todos"].append(ev["id"])
                    vistos.setdefault(ev["tipo"], []).append(ev["id"])
                    if ev["tipo"] == "encerramento_exercicio":
                        ano = 2027
        assert _tabelas(eng_n) == _tabelas(eng_a)
        assert [e for e in novo.verificar() if e.regra == "VER-CONTROLE"] == []


def test_verificar_acusa_tabela_do_controle_adulterada(tmp_path: Path) -> None:
    with _banco(tmp_path / "a.db") as (repo, engine):
        assert _registrar(repo, PRELUDIO) == []
        assert repo.verificar() == []
        with engine.begin() as con:
            con.execute(t.controle_dotacao.update().values(fixado=1))
        assert [str(e) for e in repo.verificar() if e.regra == "VER-CONTROLE"] == [
            "[VER-CONTROLE] saldos do controle (dotacoes) diferentes da reexecução dos "
            "eventos em 2 chave(s), p. ex. prefeitura 2026 0201.12.361.0001.2001.33903900, "
            "prefeitura 2026 0301.10.301.0001.2002.33903900"
        ]


def test_um_evento_le_so_as_linhas_que_toca(tmp_path: Path) -> None:
    """Num banco "grande" (modo preguiçoso), o empenho lê a dotação dele, não as outras."""
    with _banco(tmp_path / "a.db") as (repo, _engine):
        assert _registrar(repo, PRELUDIO) == []
        with mock.patch.object(saldos_controle, "LIMITE_COMPLETO", -1):
            # o que o controle tinha no fim da operação, antes de ser solto
            lidos: list[tuple[dict[Any, Any], set[str]]] = []
            original = saldos_controle.EstadoControle

            def guardar(con: Connection) -> saldos_controle.EstadoControle:
                estado = original(con)
                liberar = estado.liberar

                def guardar_e_liberar() -> None:
                    lidos.append((dict(estado.controle.dotacoes), set(estado.completas)))
                    liberar()

                estado.liberar = guardar_e_liberar  # type: ignore[method-assign]
                return estado

            with mock.patch("erario.storage.eventos.EstadoControle", guardar):
                empenho = {"tipo": "empenho", "id": "E1", "data": "2026-03-01",
                           "dotacao": DOTS[0], "fonte": "1500", "credor": CREDOR,
                           "valor": "100.00"}  # fmt: skip
                assert _registrar(repo, [empenho]) == []
        ((dotacoes, completas),) = lidos
        assert dotacoes.keys() == {("prefeitura", 2026, DOTS[0])}
        assert completas == set()
        # Gravou só a dotação tocada (empenhado 100,00) e o empenho novo.
        assert dotacoes[("prefeitura", 2026, DOTS[0])].empenhado == 10_000
        assert repo.verificar() == []


@pytest.mark.parametrize("completo", [True, False])
def test_registro_nao_deixa_o_controle_para_o_coletor_de_ciclos(
    tmp_path: Path, completo: bool
) -> None:
    """O controle e o estado que lê as tabelas se referem um ao outro; no fim da
    operação são esvaziados, e os eventos e saldos saem por contagem de
    referências. Antes, 200 mil eventos deixavam ~1 M objetos para o coletor
    (~1 s percorrendo-os ao religá-lo)."""
    import gc

    from erario.execucao.eventos import Empenho
    from erario.execucao.saldos import SaldoDotacao, SaldoEmpenho

    with _banco(tmp_path / "a.db") as (repo, _engine):
        assert _registrar(repo, PRELUDIO) == []
        empenhos = [
            {"tipo": "empenho", "id": f"E{i}", "data": "2026-03-01", "dotacao": DOTS[0],
             "fonte": "1500", "credor": CREDOR, "valor": "0.01"}
            for i in range(300)
        ]  # fmt: skip
        gc.collect()
        gc.disable()
        try:
            with mock.patch.object(saldos_controle, "LIMITE_COMPLETO", 10**9 if completo else -1):
                assert _registrar(repo, empenhos) == []
            gc.set_debug(gc.DEBUG_SAVEALL)
            gc.collect()
            restos = [o for o in gc.garbage if isinstance(o, Empenho | SaldoEmpenho | SaldoDotacao)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
    # só o esqueleto (estado, mapas vazios, expressões do SQLAlchemy), nenhum evento
    assert restos == []
