"""Forma compacta dos eventos (``execucao.forma_compacta``, migração 0018): o que
``verificar`` reexecuta no lugar de reler o JSON recebido."""

from __future__ import annotations

import datetime as dt
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from erario.execucao.carga import CAMPOS, evento_de_dados
from erario.execucao.forma_compacta import compactar, descompactar
from erario.orcamento.classificacao import FonteRecurso, ler_fonte
from erario.storage import consultas_execucao as ce
from erario.storage import esquema as t
from erario.storage.eventos import preencher_compactos
from erario.storage.saldos_controle import reexecutar_eventos
from tests.test_consultas_execucao import FIXO, _fluxo
from tests.test_controle_persistido import _banco

# Texto qualquer (aspas, barras, acentos, quebras de linha), sem metades de
# par substituto, que não existem num banco UTF-8.
TEXTO = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
FONTES = [ler_fonte(f)[0] for f in ("1500", "1600", "2500.1001", "1759")]


def _valor(dica: Any, nome: str) -> st.SearchStrategy[Any]:
    """Uma estratégia para o campo, pela anotação da classe."""
    opcoes = [a for a in typing.get_args(dica) if a is not type(None)]
    if nome == "data" or dica is dt.date:
        return st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
    if dica is FonteRecurso:
        return st.sampled_from(FONTES)
    if dica is int:
        return st.integers(-(10**15), 10**15)
    if dica is str:
        return TEXTO
    base = opcoes[0] if opcoes else dica
    if isinstance(base, type) and issubclass(base, StrEnum):
        membros = st.sampled_from(list(base))
        return st.one_of(st.none(), membros) if opcoes else membros
    if typing.get_origin(dica) is tuple:
        interno = typing.get_args(dica)[0]
        if interno is str:
            return st.tuples(TEXTO, TEXTO).map(tuple)
        if typing.get_args(interno) == (str, str):
            return st.lists(st.tuples(TEXTO, TEXTO), max_size=3).map(tuple)
        inteiros = st.integers(0, 10**12)
        return st.lists(st.tuples(inteiros, inteiros, inteiros), max_size=3).map(tuple)
    raise AssertionError(f"campo {nome} sem estratégia: {dica}")


def _estrategia(classe: Any) -> st.SearchStrategy[Any]:
    dicas = typing.get_type_hints(classe)
    campos = {n: _valor(dicas[n], n) for n in classe._fields if n != "tipo"}
    return st.fixed_dictionaries(campos).map(lambda v: classe(**v))


EVENTOS = st.one_of(*(_estrategia(classe) for classe, _ in CAMPOS.values()))


@settings(max_examples=400, deadline=None)
@given(EVENTOS)
def test_ida_e_volta_devolve_o_mesmo_evento_com_os_mesmos_tipos(ev: Any) -> None:
    volta = descompactar(compactar(ev))
    assert volta == ev
    assert type(volta) is type(ev)
    assert [type(v) for v in volta] == [type(v) for v in ev]  # enum é enum, data é data


def test_forma_de_um_empenho_e_versao_desconhecida() -> None:
    dados = (
        '{"entidade": " prefeitura ", "tipo": "empenho", "id": "E1", "data": "2026-03-02",'
        ' "dotacao": "0201.04.122.0001.2020.33903900", "fonte": "1500",'
        ' "credor": "11222333000181", "valor": "54.3", "modalidade": "global"}'
    )
    ev = evento_de_dados(dados)
    # os valores já lidos: entidade sem espaços, dia 739.677 (2/3/2026), centavos
    assert compactar(ev) == (
        '[1,"empenho","E1","prefeitura",739677,"0201.04.122.0001.2020.33903900",'
        '"1500","11222333000181",5430,"global",[],""]'
    )
    assert dt.date(2026, 3, 2).toordinal() == 739677
    assert descompactar(compactar(ev)) == ev
    # outra versão, tipo desconhecido ou campos a mais: quem lê volta a ``dados``
    assert descompactar(compactar(ev).replace("[1,", "[2,", 1)) is None
    assert descompactar('[1,"outro","X"]') is None
    assert descompactar(compactar(ev)[:-1] + ',"a mais"]') is None


def test_migracao_preenche_os_compactos_e_sem_eles_verificar_rele_o_json(
    tmp_path: Path,
) -> None:
    with _banco(tmp_path / "a.db") as (repo, engine):
        _fluxo(repo, FIXO)
        with engine.begin() as con:
            gravados = con.execute(select(t.evento.c.id, t.evento.c.compacto)).all()
            assert gravados and all(c for _, c in gravados)
            refeito = reexecutar_eventos(con)
            with ce.eventos_alteraveis(con):
                con.execute(t.evento.update().values(compacto=None))
            # sem a forma compacta, o mesmo controle (relido de dados)
            assert reexecutar_eventos(con) == refeito
        assert repo.verificar() == []
        with engine.begin() as con:
            preencher_compactos(con)
            assert con.execute(select(t.evento.c.id, t.evento.c.compacto)).all() == gravados
        with engine.begin() as con, pytest.raises(Exception, match="somente inclusão"):
            con.execute(t.evento.update().values(compacto=None))  # o gatilho voltou
        assert repo.verificar() == []
