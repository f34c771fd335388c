"""Consultas da execução lidas das tabelas (``storage.consultas_execucao``):
teste diferencial contra o controle refeito de todos os eventos.

Os fluxos aleatórios de ``test_controle_persistido`` (empenhos, anulações,
liquidações, pagamentos, extraorçamentários, estornos, encerramento e restos a
pagar no exercício seguinte) vão a um banco; depois, cada relatório feito com o
que a consulta lê (só a entidade, só os restos, só o empenho, somas por SQL) é
igual ao feito com o controle inteiro da reexecução."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erario.execucao import relatorios as rel
from erario.storage import consultas_execucao as ce
from erario.storage import esquema as t
from erario.storage.saldos_controle import EXTRAS, LISTAS, MAPAS, refazer_controle
from tests.test_controle_persistido import (
    _OPERACOES,
    PRELUDIO,
    _banco,
    _evento,
    _registrar,
    vistos_do_preludio,
)

ENT = "prefeitura"


def _fluxo(repo: Any, ops: list[tuple[Any, ...]]) -> None:
    assert _registrar(repo, PRELUDIO) == []
    vistos = vistos_do_preludio()
    ano = 2026
    for i, op in enumerate(ops):
        ev = _evento(i, op, vistos, ano)
        if not _registrar(repo, [ev]):
            vistos["todos"].append(ev["id"])
            vistos.setdefault(ev["tipo"], []).append(ev["id"])
            if ev["tipo"] == "encerramento_exercicio":
                ano = 2027


def _conferir(engine: Any) -> None:
    with engine.connect() as con:
        cheio = refazer_controle(con)[0]
        # Sem entidade: tudo, igual à reexecução (também os eventos).
        lido = ce.ler_controle(con, eventos=True)
        for nome in (*(m.nome for m in MAPAS), *LISTAS, "eventos"):
            assert dict(getattr(lido, nome)) == dict(getattr(cheio, nome)), nome
        assert list(lido.eventos) == list(cheio.eventos)  # a ordem de registro
        assert lido.estornados == set(cheio.estornados)
        assert lido.encerrados == set(cheio.encerrados)
        for nome in EXTRAS:
            a = {k: v for k, v in getattr(cheio, nome).items() if v}
            assert getattr(lido, nome) == a, nome
        # Da entidade, sem os mapas grandes: despesa pelas somas do banco.
        orcamento = ce.ler_controle(con, ENT)
        for ano in (None, 2026, 2027):
            somas = ce.somas_por_dotacao(con, orcamento, ENT, ano)
            assert somas == rel.somas_por_dotacao(cheio, ENT, ano), ano
            assert rel.execucao_despesa(orcamento, ENT, ano, somas=somas) == rel.execucao_despesa(
                cheio, ENT, ano
            )
            assert rel.execucao_receita(orcamento, ENT, ano) == rel.execucao_receita(
                cheio, ENT, ano
            )
        # Restos a pagar: só os empenhos inscritos e as liquidações em restos.
        restos = ce.ler_controle(con, ENT, so=ce.RESTOS)
        assert rel.restos_a_pagar(restos, ENT) == rel.restos_a_pagar(cheio, ENT)
        # Extrato: só o empenho, as liquidações dele e os eventos dele.
        for ent, numero in cheio.empenhos:
            assert ce.extrato(con, ent, numero) == rel.extrato_empenho(cheio, ent, numero)
        assert ce.extrato(con, ENT, "NAO-EXISTE") is None


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(_OPERACOES, min_size=5, max_size=40))
def test_consultas_iguais_ao_controle_refeito(ops: list[tuple[Any, ...]], tmp_path: Path) -> None:
    pasta = Path(tempfile.mkdtemp(dir=tmp_path))
    with _banco(pasta / "a.db") as (repo, engine):
        _fluxo(repo, ops)
        _conferir(engine)


# Um fluxo fixo com tudo o que o extrato mostra: empenho, anulação, liquidação,
# pagamento, estorno do pagamento e restos a pagar.
FIXO: list[tuple[Any, ...]] = [
    ("empenho", "0201.12.361.0001.2001.33903900", "300.00"),
    ("anulacao_empenho", 0, "50.00"),
    ("liquidacao", 0, "100.00"),
    ("pagamento", 0, "60.00"),
    ("estorno", 6, ""),  # o pagamento
    ("empenho", "0301.10.301.0001.2002.33903900", "80.00"),
    ("liquidacao", 1, "30.00"),
    ("encerramento_exercicio", 0, ""),
    ("pagamento", 0, "100.00"),
]


def test_extrato_de_um_fluxo_conhecido(tmp_path: Path) -> None:
    with _banco(tmp_path / "a.db") as (repo, engine):
        _fluxo(repo, FIXO)
        with engine.connect() as con:
            linhas = ce.extrato(con, ENT, "O0")
        assert linhas is not None
        # valor, situação, a liquidar e a pagar depois de cada evento (à mão:
        # 300 − 50 = 250 a liquidar; liquida 100 → 150 e 100 a pagar; o pagamento
        # de 60 foi estornado e não conta; em 2027 paga os 100 de RP).
        assert [
            (x.evento, x.tipo, x.valor, x.situacao, x.a_liquidar, x.a_pagar) for x in linhas
        ] == [
            ("O0", "empenho", 30000, "", 30000, 0),
            ("O1", "anulacao_empenho", 5000, "", 25000, 0),
            ("O2", "liquidacao", 10000, "", 15000, 10000),
            ("O3", "pagamento", 6000, "estornado", 15000, 10000),
            ("O8", "pagamento", 10000, "", 15000, 0),
        ]
        _conferir(engine)


def test_migracao_preenche_o_empenho_dos_eventos_gravados(tmp_path: Path) -> None:
    with _banco(tmp_path / "a.db") as (repo, engine):
        _fluxo(repo, FIXO)
        with engine.begin() as con:
            antes = ce.extrato(con, ENT, "O0")
            with ce.eventos_alteraveis(con):
                con.execute(t.evento.update().values(empenho=None))
            assert ce.extrato(con, ENT, "O0") == []  # sem a coluna, nada (a prova do índice)
            ce.preencher_empenhos(con)
            assert ce.extrato(con, ENT, "O0") == antes
        with engine.begin() as con, pytest.raises(Exception, match="somente inclusão"):
            con.execute(t.evento.update().values(empenho=None))  # o gatilho voltou


def test_mapa_nao_lido_recusa_qualquer_acesso(tmp_path: Path) -> None:
    with _banco(tmp_path / "a.db") as (repo, engine):
        _fluxo(repo, FIXO)
        with engine.connect() as con:
            c = ce.ler_controle(con, ENT)
        with pytest.raises(RuntimeError, match="liquidacoes do controle não foi lido"):
            rel.restos_a_pagar(c, ENT)
        with pytest.raises(RuntimeError, match="eventos"):
            list(c.eventos.items())
