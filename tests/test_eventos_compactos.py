"""Os atalhos da carga de eventos dão o mesmo resultado do caminho de referência.

- ``evento_de_dict``: o caminho sem erro (só os campos presentes) contra o
  completo (campo a campo, todos os erros), em objetos aleatórios;
- ``registrar_eventos``: lançamentos de roteiro compactos (modelo das partidas +
  valor) e gravação pelo módulo C contra ``Lancamento`` completo e pysqlite, no
  mesmo banco, tabela a tabela;
- ``evento.dados``: o texto JSON lido, quando o evento chega como foi lido, e a
  forma de ``dict_de_evento`` nos outros casos, relidos no mesmo evento.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from erario.execucao import carga
from erario.execucao.carga import (
    CAMPOS,
    TextosLidos,
    dict_de_evento,
    evento_de_dict,
    iterar_eventos_jsonl,
    ler_json,
)
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.motor import executar
from erario.execucao.roteiros import CacheContas, roteiros_padrao
from erario.razao.modelo import LancamentoCompacto
from erario.razao.plano import plano_base
from erario.storage import esquema as t
from erario.storage import repositorio
from erario.storage.repositorio import Repositorio
from tests.test_eventos_blocos import ESTORNOS, _carga, repo  # noqa: F401 (fixture)
from tests.test_restos import ENCERRA_2026, EXERCICIO_2026, RESTOS_2027

# Valores bons e ruins por campo: o objeto aleatório mistura os dois.
_VALORES: dict[str, list[Any]] = {
    "id": ["E1", " A2 ", "", "x" * 40, 7],
    "entidade": ["prefeitura", "camara", "", None],
    "data": ["2026-03-05", "2026-02-30", "05/03/2026", ""],
    "valor": ["10.00", "0.01", 1500, "0", "-1.00", "1.234", True, "1,50", 1.5],
    "fonte": ["1500", "1600.1001", "15", ""],
    "dotacao": ["0201.12.361.0001.2001.33903900", "99", ""],
    "natureza_receita": ["11125001", "1112", ""],
    "credor": ["11222333000181", "123", ""],
    "modalidade": ["ordinario", "global", "suplementar", "nada"],
    "cobertura": ["superavit", "nada"],
    "servico": [1, "2", "x", 0],
    "descontos": [[{"desconto": 451, "valor": "110.00"}], [{"x": 1}], "nao"],
    "propriedades": [{"COVID": "sim"}, ["x"], {}],
    "empenhos": [["E1", "E2"], [], "E1"],
    "receitas": [["A1"], [""]],
}
_OUTROS = ["texto", " com espaço ", "", None, 3, ["lista"]]
_TIPOS = sorted(CAMPOS)


@st.composite
def _objetos(draw: st.DrawFn) -> dict[str, Any]:
    tipo = draw(st.sampled_from([*_TIPOS, "nada"]))
    nomes = [p.rstrip("?") for p in CAMPOS.get(tipo, (None, ()))[1]]
    obj: dict[str, Any] = {"tipo": tipo}
    for nome in ("id", "entidade", "data", *nomes, "extra"):
        if draw(st.integers(0, 9)) < (9 if nome in ("id", "entidade", "data") else 6):
            if nome == "extra" and draw(st.booleans()):
                continue
            obj[nome] = draw(st.sampled_from(_VALORES.get(nome, _OUTROS)))
    return obj


@settings(max_examples=600, deadline=None)
@given(_objetos())
def test_evento_rapido_igual_ao_completo(obj: dict[str, Any]) -> None:
    assert evento_de_dict(obj, 4, "e.jsonl") == carga._evento_de_dict_completo(obj, 4, "e.jsonl")


def test_evento_rapido_aceita_o_caso_comum() -> None:
    """O caminho curto não é só recusa: o pagamento comum sai dele."""
    obj = {
        "tipo": "pagamento",
        "id": "P1",
        "entidade": "prefeitura",
        "data": "2026-03-05",
        "liquidacao": "L1",
        "valor": "950.00",
        "conta_bancaria": "001-1234-5",
    }
    ev = carga._evento_rapido(obj, "pagamento")
    assert ev is not None and ev.valor == 95000 and ev.entidade_conta == "prefeitura"
    assert evento_de_dict(obj) == (ev, [])


def _sem_compacto(monkeypatch: pytest.MonkeyPatch) -> None:
    original = repositorio.executar

    def completo(*args: Any, **kwargs: Any) -> Any:
        kwargs["compacto"] = False
        return original(*args, **kwargs)

    monkeypatch.setattr(repositorio, "executar", completo)


@pytest.mark.parametrize(
    "linhas",
    [ESTORNOS, [*EXERCICIO_2026, *ENCERRA_2026, *RESTOS_2027]],
    ids=["estornos", "encerramento"],
)
def test_compacto_e_gravador_dao_o_mesmo_banco(
    repo: Repositorio,  # noqa: F811 (fixture)
    monkeypatch: pytest.MonkeyPatch,
    linhas: list[str],
) -> None:
    """Mesmo resumo e mesmas linhas em todas as tabelas com e sem lançamentos
    compactos, com e sem o gravador em C, em blocos de 1, 2 e 20 mil eventos."""
    referencia = {n: _carga(repo, linhas, n) for n in (1, 2, 20_000)}
    with monkeypatch.context() as m:
        _sem_compacto(m)
        assert {n: _carga(repo, linhas, n) for n in (1, 2, 20_000)} == referencia
    with monkeypatch.context() as m:
        m.setattr(repositorio, "conexao_c", lambda con: None)
        assert {n: _carga(repo, linhas, n) for n in (1, 2, 20_000)} == referencia


def test_lancamento_de_roteiro_sai_compacto() -> None:
    """No caso comum o motor devolve o compacto, igual ao lançamento completo."""
    roteiros, cache, plano = roteiros_padrao(), CacheContas(), plano_base()
    um, outro = ControleOrcamentario(), ControleOrcamentario()
    for _, ev in iterar_eventos_jsonl(EXERCICIO_2026, "e.jsonl", []):
        a, erros_a = executar(um, ev, roteiros, plano, cache, "EV" + ev.id, compacto=True)
        b, erros_b = executar(outro, ev, roteiros, plano, None, "EV" + ev.id)
        assert erros_a == erros_b == []
        assert isinstance(a, LancamentoCompacto)
        assert a.lancamento() == b
    assert um.empenhos == outro.empenhos and um.liquidacoes == outro.liquidacoes


def test_dados_guardam_o_texto_lido_ou_a_forma_canonica(
    repo: Repositorio,  # noqa: F811
    engine: Engine,
) -> None:
    """O evento lido como veio grava o próprio texto (números como texto exato,
    espaços e ordem do arquivo); a linha em bytes (com BOM) grava ``dict_de_evento``.
    Os dois se releem no mesmo evento."""
    linhas: list[Any] = list(EXERCICIO_2026)
    linhas[0] = linhas[0].replace('"valor": ', '"valor" :  ')
    linhas[1] = "\ufeff".encode() + linhas[1].encode()  # bytes com BOM: json.loads
    textos: TextosLidos = {}
    leitura = list(iterar_eventos_jsonl(linhas, "e.jsonl", [], textos))
    assert len(leitura) == len(linhas)
    repo.registrar_eventos(leitura, "e.jsonl", textos_lidos=textos)
    assert textos == {}  # consumidos bloco a bloco
    with engine.connect() as con:
        gravados = dict(con.execute(select(t.evento.c.codigo, t.evento.c.dados)).all())
    for (_, ev), linha in zip(leitura, linhas, strict=True):
        dados = gravados[ev.id]
        assert evento_de_dict(ler_json(dados)) == (ev, [])
        if isinstance(linha, bytes):
            assert dados == json.dumps(dict_de_evento(ev), ensure_ascii=False)
        else:
            assert dados == linha.strip()
    assert repo.verificar() == []


@pytest.mark.parametrize(
    "texto",
    [
        '{"a": "1.50", "b": 2}\n',
        '  {"a": 1}',  # espaço no início: o caminho de decode
        '{"a": 1} \t\r\n',
        '{"a": 1}\x0b',  # \x0b não é espaço do JSON: sobra no fim
        '{"a": 1} {"b": 2}',
        '{"a": 1.25e3}',
        '{"a": }',
        "[1, 2]",
    ],
)
def test_leitura_jsonl_igual_ao_json_loads(texto: str) -> None:
    """O varredor direto dá o mesmo objeto, ou o mesmo erro, do json.loads."""
    erros: list[Any] = []
    lidos = list(carga.objetos_jsonl([texto], "X", "e.jsonl", erros))
    try:
        esperado = json.loads(texto, parse_float=str)
    except json.JSONDecodeError as exc:
        assert lidos == [] and [e.mensagem for e in erros] == [f"JSON inválido: {exc.msg}"]
    else:
        assert lidos == [(1, esperado)] and erros == []


def _atributos_reais() -> list[tuple[Any, dict[str, str]]]:
    """(roteiro, atributos) dos eventos de ``EXERCICIO_2026`` e ``RESTOS_2027``,
    como o controle os entrega ao motor."""
    controle, roteiros, saida = ControleOrcamentario(), roteiros_padrao(), []
    linhas = [*EXERCICIO_2026, *RESTOS_2027[:1]]
    for _, ev in iterar_eventos_jsonl(linhas, "e.jsonl", []):
        atributos, _ = controle.conferir(ev)
        if atributos is None:
            continue
        roteiro = roteiros[atributos.pop("roteiro", ev.tipo.value)]
        saida.append((roteiro, dict(atributos)))
        controle.aplicar(ev)
    return saida


_REAIS = _atributos_reais()
_TROCAS: dict[str, list[str]] = {
    "FR": ["1500", "1600", "1500.1001"],
    "DO": ["0201.12.361.0001.2001.33903900", "0201.04.122.0001.2002.33903900"],
    "CR": ["11222333000181", "11444777000161", "123"],
    "conta_vpd": ["3.3.2.3.1.99.00", "3.3.1.1.1.01.00", "9.9.9", "1.1.1.1.1.19.00"],
    "conta_banco": ["1.1.1.1.1.19.00", "1.1.1.1.1.06.00"],
    "DB": ["001-1234-5-67890-1", "104-0001-1-2-3"],
}
# Um só cache para todos os exemplos: os modelos guardados num servem aos outros.
_CACHE = CacheContas()
_PLANO = plano_base()


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_contabilizar_compacto_igual_ao_completo(data: st.DataObject) -> None:
    """Com o cache já usado por outros eventos, o compacto é o lançamento de
    ``contabilizar`` (ou None, e então o caminho completo relata os erros)."""
    from erario.execucao.roteiros import contabilizar, contabilizar_compacto

    roteiro, atributos = data.draw(st.sampled_from(_REAIS))
    atributos = dict(atributos)
    for nome, opcoes in _TROCAS.items():
        if nome in atributos and data.draw(st.booleans()):
            atributos[nome] = data.draw(st.sampled_from(opcoes))
    if data.draw(st.integers(0, 9)) == 0:
        atributos.pop(data.draw(st.sampled_from(sorted(atributos))))
    data_ev = dt.date(2026, data.draw(st.integers(1, 12)), 5)
    valor = data.draw(st.integers(1, 10**12))
    compacto = contabilizar_compacto(
        roteiro, _PLANO, "prefeitura", data_ev, valor, atributos, _CACHE, "EV1"
    )
    completo, erros = contabilizar(roteiro, _PLANO, "prefeitura", data_ev, valor, atributos)
    if compacto is None:
        assert erros, "o compacto só desiste quando há o que relatar"
    else:
        assert erros == [] and compacto.lancamento() == completo._replace(numero="EV1")
