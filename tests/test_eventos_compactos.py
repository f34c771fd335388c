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

from erario.consolidacao import loa_incorporada
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
from erario.storage import gravacao
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import contagens, jsonl
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
    original = loa_incorporada.executar

    def completo(*args: Any, **kwargs: Any) -> Any:
        kwargs["compacto"] = False
        return original(*args, **kwargs)

    monkeypatch.setattr(loa_incorporada, "executar", completo)


def _variado() -> list[str]:
    """Eventos que repetem o roteiro com contas, credores, fontes e domicílios
    diferentes: um modelo trocado entre eles mudaria as partidas gravadas."""
    bancos = [
        {"conta_banco": "1.1.1.1.1.19.00", "domicilio": "001-1234-5-67890-1"},
        {"conta_banco": "1.1.1.1.1.50.00", "domicilio": "104-0001-22-3"},
    ]
    vpds = [
        {"conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01"},
        {"conta_vpd": "3.1.1.1.1.01.01", "conta_passivo": "2.1.1.1.1.01.01"},
    ]
    credores = ["11222333000181", "11444777000161", "52998224725"]
    dots = [("0201.12.361.0001.2001.33903900", "1500"), ("0201.12.361.0001.2001.33903000", "1600")]
    evs: list[dict[str, object]] = [
        {"tipo": "dotacao_inicial", "id": f"D{k}", "data": "2026-01-02", "dotacao": d,
         "fonte": f, "valor": "900000.00"}
        for k, (d, f) in enumerate(dots)
    ]  # fmt: skip
    for i in range(12):
        d, f = dots[i % 2]
        mes = f"2026-{1 + i % 12:02d}-1{i % 3}"
        evs += [
            {"tipo": "arrecadacao", "id": f"A{i}", "data": mes, "natureza_receita": "11125001",
             "fonte": f, "valor": f"{100 + i}.0{i % 10}", "conta_vpa": "4.1.1.2.1.02.00",
             **bancos[i % 2]},
            {"tipo": "empenho", "id": f"E{i}", "data": mes, "dotacao": d, "fonte": f,
             "credor": credores[i % 3], "valor": f"{90 + i}.00"},
            {"tipo": "liquidacao", "id": f"L{i}", "data": mes, "empenho": f"E{i}",
             "valor": f"{80 + i}.00", "documento": f"NF {i}", **vpds[i % 2]},
            {"tipo": "pagamento", "id": f"P{i}", "data": mes, "liquidacao": f"L{i}",
             "valor": f"{70 + i}.00", **bancos[(i // 2) % 2]},
        ]  # fmt: skip
    evs.append({"tipo": "estorno", "id": "X1", "data": "2026-12-20", "evento": "P3"})
    return jsonl(*evs)


# Os fluxos que as cargas por caminhos diferentes devem gravar iguais: estornos entre
# blocos, encerramento com restos no ano seguinte e roteiros com contas variadas.
FLUXOS = pytest.mark.parametrize(
    "linhas",
    [ESTORNOS, [*EXERCICIO_2026, *ENCERRA_2026, *RESTOS_2027], _variado()],
    ids=["estornos", "encerramento", "variado"],
)


@FLUXOS
def test_compacto_e_gravador_dao_o_mesmo_banco(
    repo: Repositorio,  # noqa: F811 (fixture)
    monkeypatch: pytest.MonkeyPatch,
    linhas: list[str],
) -> None:
    """Mesmo resumo e mesmas linhas em todas as tabelas com e sem lançamentos
    compactos, com e sem o gravador em C (e sem os dois), em blocos de 1, 2 e 20
    mil eventos."""
    referencia = {n: _carga(repo, linhas, n) for n in (1, 2, 20_000)}
    assert referencia[1][0].eventos == len(linhas)
    for compacto, gravador in ((False, True), (True, False), (False, False)):
        with monkeypatch.context() as m:
            if not compacto:
                _sem_compacto(m)
            if not gravador:
                m.setattr(gravacao, "conexao_c", lambda con: None)
            obtido = {n: _carga(repo, linhas, n) for n in (1, 2, 20_000)}
            assert obtido == referencia, (compacto, gravador)


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
    leitura = iterar_eventos_jsonl(linhas, "e.jsonl", [], textos)
    # em blocos de 2: o primeiro evento de cada bloco já foi lido quando o
    # anterior fecha, e o seu texto não se perde
    resumo = repo.registrar_eventos(leitura, "e.jsonl", textos_lidos=textos, tamanho_bloco=2)
    assert resumo.eventos == len(linhas)
    assert textos == {}  # consumidos bloco a bloco
    leitura = iterar_eventos_jsonl(linhas, "e.jsonl", [])
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


_BANCO = {"conta_banco": "1.1.1.1.1.19.00", "domicilio": "001-1234-5-67890-1"}
_VPD = {"conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01"}
_DOT2 = "0201.10.301.0001.2003.33903000"
# Os tipos que EXERCICIO_2026 não tem: crédito adicional (o único roteiro com
# par condicional, ``se = "conta_cobertura"``), anulações, reserva, dedução.
_MAIS_TIPOS = jsonl(
    {"tipo": "dotacao_inicial", "id": "D2", "data": "2026-01-02", "dotacao": _DOT2,
     "fonte": "1600", "valor": "50000.00"},
    {"tipo": "previsao_deducao", "id": "PD1", "data": "2026-01-02",
     "natureza_receita": "17115111", "fonte": "1500", "valor": "2000.00"},
    {"tipo": "arrecadacao", "id": "A9", "data": "2026-02-10", "natureza_receita": "17115111",
     "fonte": "1500", "valor": "10000.00", "conta_vpa": "4.5.2.1.3.02.00", **_BANCO},
    {"tipo": "deducao_receita", "id": "DR1", "data": "2026-02-10",
     "natureza_receita": "17115111", "fonte": "1500", "valor": "2000.00", **_BANCO},
    {"tipo": "credito_adicional", "id": "C1", "data": "2026-05-02", "dotacao": _DOT2,
     "fonte": "1600", "valor": "10.00", "modalidade": "suplementar", "cobertura": "superavit"},
    {"tipo": "credito_adicional", "id": "C2", "data": "2026-05-02",
     "dotacao": "0201.10.302.0001.2004.33903000", "fonte": "1500", "valor": "10.00",
     "modalidade": "extraordinario"},
    {"tipo": "anulacao_dotacao", "id": "AD1", "data": "2026-05-03", "dotacao": _DOT2,
     "valor": "100.00"},
    {"tipo": "reserva_dotacao", "id": "RS1", "data": "2026-05-04", "dotacao": _DOT2,
     "valor": "500.00"},
    {"tipo": "empenho", "id": "E9", "data": "2026-05-05", "dotacao": _DOT2, "fonte": "1600",
     "credor": "11444777000161", "valor": "500.00", "reserva": "RS1"},
    {"tipo": "anulacao_empenho", "id": "AE9", "data": "2026-05-06", "empenho": "E9",
     "valor": "100.00"},
    {"tipo": "liquidacao", "id": "L9", "data": "2026-05-07", "empenho": "E9",
     "valor": "400.00", "documento": "NF 9", **_VPD},
)  # fmt: skip


def _atributos_reais() -> list[tuple[Any, dict[str, str]]]:
    """(roteiro, atributos) dos eventos de ``EXERCICIO_2026`` e de ``_MAIS_TIPOS``,
    como o controle os entrega ao motor."""
    controle, roteiros, saida = ControleOrcamentario(), roteiros_padrao(), []
    linhas = [*EXERCICIO_2026, *_MAIS_TIPOS]
    for _, ev in iterar_eventos_jsonl(linhas, "e.jsonl", []):
        atributos, _ = controle.conferir(ev)
        if atributos is None:
            continue
        roteiro = roteiros[atributos.pop("roteiro", ev.tipo.value)]
        saida.append((roteiro, dict(atributos)))
        controle.aplicar(ev)
    return saida


_REAIS = _atributos_reais()
assert len({r.tipo for r, _ in _REAIS}) >= 12 and any(
    "conta_cobertura" in a for _, a in _REAIS
)  # os tipos de EXERCICIO_2026 e _MAIS_TIPOS, com o par condicional
_TROCAS: dict[str, list[str]] = {
    "FR": ["1500", "1600", "1500.1001"],
    "DO": ["0201.12.361.0001.2001.33903900", "0201.04.122.0001.2002.33903900"],
    "CR": ["11222333000181", "11444777000161", "123"],
    "conta_vpd": ["3.3.2.3.1.99.00", "3.3.1.1.1.01.00", "9.9.9", "1.1.1.1.1.19.00"],
    "conta_banco": ["1.1.1.1.1.19.00", "1.1.1.1.1.06.00"],
    "DB": ["001-1234-5-67890-1", "104-0001-1-2-3"],
    "NR": ["11125001", "17115111"],
    "FP": ["F", "P"],
    "conta_cobertura": ["5.2.2.1.3.01.00", "5.2.2.1.3.02.00", "9.9"],
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
    if data.draw(st.integers(0, 4)) == 0:  # some uma variável (a do par condicional, às vezes)
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


def test_loa_exportada_na_forma_canonica_mesmo_com_o_texto_lido(
    repo: Repositorio,  # noqa: F811
) -> None:
    """``evento.dados`` guarda a linha como veio (valor em número, espaços nas
    pontas), mas a LOA que vai para a Câmara e o RPPS sai em ``dict_de_evento``:
    valor em texto e campos aparados, que a outra entidade lê sem erro."""
    from erario.storage import consolidacao

    linha = EXERCICIO_2026[0].replace('"valor": "100000.00"', '"valor": 100000.50')
    linha = linha.replace('"D1"', '" D1 "')
    textos: TextosLidos = {}
    leitura = list(iterar_eventos_jsonl([linha], "e.jsonl", [], textos))
    repo.registrar_eventos(leitura, "e.jsonl", textos_lidos=textos)
    orc = consolidacao.orcamento_local(repo, 2026, repo.entidade("prefeitura").ibge)
    exportados = [ev for parte in orc.entidades for ev in parte.eventos]
    assert exportados == [
        {
            "id": "D1",
            "data": "2026-01-02",
            "dotacao": "0201.12.361.0001.2001.33903900",
            "fonte": "1500",
            "valor": "100000.50",
            "tipo": "dotacao_inicial",
        }
    ]
    assert evento_de_dict({**exportados[0], "entidade": "camara"})[1] == []


def test_texto_lido_so_muda_a_forma_de_dados(repo: Repositorio) -> None:  # noqa: F811
    """Com ``textos_lidos``, em blocos de 7: as mesmas linhas em todas as tabelas;
    em ``evento.dados`` o texto de cada linha, que se relê no mesmo evento."""
    from tests.test_eventos_blocos import _Desfazer, _retrato

    linhas = _variado()
    _, referencia = _carga(repo, linhas, 7)
    textos: TextosLidos = {}
    retratos: list[Any] = []
    with pytest.raises(_Desfazer), repo.transacao_unica():
        repo.registrar_eventos(
            iterar_eventos_jsonl(linhas, "e.jsonl", [], textos),
            "e.jsonl",
            tamanho_bloco=7,
            textos_lidos=textos,
        )
        assert repo.sessao.carga_aberta is not None
        retratos.append(_retrato(repo.sessao.carga_aberta))
        raise _Desfazer
    (obtido,) = retratos
    dados = list(t.evento.c.keys()).index("dados")

    def sem_dados(linhas_evento: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        return [r[:dados] + r[dados + 1 :] for r in linhas_evento]

    assert sem_dados(obtido["evento"]) == sem_dados(referencia["evento"])
    assert {k: v for k, v in obtido.items() if k != "evento"} == {
        k: v for k, v in referencia.items() if k != "evento"
    }
    assert [r[dados] for r in obtido["evento"]] == [ln.strip() for ln in linhas]
    for novo, antigo in zip(obtido["evento"], referencia["evento"], strict=True):
        assert evento_de_dict(ler_json(novo[dados])) == evento_de_dict(ler_json(antigo[dados]))


def test_gravacao_recusada_no_meio_da_carga_de_eventos_nao_deixa_nada(
    repo: Repositorio,  # noqa: F811
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """O SQLite recusa o segundo bloco na thread do gravador: o erro sobe na carga,
    o primeiro bloco (já gravado) é desfeito e a conexão segue boa para a próxima."""
    if engine.dialect.name != "sqlite" or gravacao._gravacao_sqlite is None:
        pytest.skip("gravador em C só no SQLite, com o módulo compilado")
    antes = contagens(engine)
    original = gravacao._gravar
    blocos: list[int] = []

    def recusa_o_segundo(conexao: int, pacotes: Any) -> None:
        blocos.append(len(pacotes))
        if len(blocos) == 2:
            raise gravacao.ErroGravacao("gravação em massa no SQLite recusada: disco cheio")
        original(conexao, pacotes)

    monkeypatch.setattr(gravacao, "_gravar", recusa_o_segundo)
    itens = list(iterar_eventos_jsonl(EXERCICIO_2026, "e.jsonl", []))
    with pytest.raises(gravacao.ErroGravacao, match="disco cheio"):
        repo.registrar_eventos(itens, "e.jsonl", tamanho_bloco=4)
    assert len(blocos) == 2 and contagens(engine) == antes
    monkeypatch.setattr(gravacao, "_gravar", original)
    resumo = repo.registrar_eventos(itens, "e.jsonl", tamanho_bloco=4)
    # contagens: (eventos, lançamentos) — 9 eventos, cada um com o seu lançamento
    assert resumo[:2] == (9, 9) and contagens(engine) == (antes[0] + 9, antes[1] + 9)
