"""Gravação em massa pela API C do SQLite (``storage.gravacao``).

Que os valores gravados são os mesmos do pysqlite, ``tests/test_carga_csv.py``
confere importando cada arquivo pelos dois caminhos. Aqui: o pacote e os erros
do gravador, e que uma gravação recusada desfaz a carga inteira.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from erario.storage import carga_csv, carga_razao, gravacao
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.gravacao import ErroGravacao, Gravador, conexao_c
from erario.storage.massa import comando_insert
from erario.storage.repositorio import Repositorio
from tests.conftest import preparar_repo

pytestmark = pytest.mark.skipif(
    gravacao._gravacao_sqlite is None or not carga_csv.ACELERADO,
    reason="módulos em C não compilados",
)

CABECALHO = "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente"
ARQUIVO = "\n".join(
    [
        CABECALHO,
        "prefeitura;A1;2026-01-05;;Arrecadação de IPTU;1.1.1.1.1.01.00;D;1500.00;FR=1500",
        "prefeitura;A1;2026-01-05;;Arrecadação de IPTU;4.1.0.0.0.00.00;C;1500.00;",
        "prefeitura;A2;2026-02-03;;Compra de material;3.3.0.0.0.00.00;D;320.45;",
        "prefeitura;A2;2026-02-03;;Compra de material;1.1.1.1.1.01.00;C;320.45;FR=1500",
    ]
).encode()


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = criar_engine(f"sqlite:///{tmp_path / 'g.db'}")
    atualizar_esquema(eng)
    return eng


def _pacote(*linhas: tuple[object, ...]) -> bytes:
    """O formato do módulo C: 'n', 'i' + 8 bytes, 't' + tamanho em 4 bytes + UTF-8."""
    partes = []
    for linha in linhas:
        for v in linha:
            if v is None:
                partes.append(b"n")
            elif isinstance(v, int):
                partes.append(b"i" + struct.pack("=q", v))
            else:
                dados = str(v).encode()
                partes.append(b"t" + struct.pack("=i", len(dados)) + dados)
    return b"".join(partes)


def test_grava_o_pacote_na_transacao_aberta(engine: Engine) -> None:
    """Três linhas (inteiro, texto com acento, NULL); mais de uma tupla por comando."""
    with engine.begin() as con:
        con.exec_driver_sql("CREATE TEMP TABLE t (a INTEGER, b TEXT, c TEXT)")
        conexao = conexao_c(con)
        assert conexao
        linhas = [(1, "Prefeitura", None), (-(2**62), "Câmara", "x"), (0, "", "ç")]
        with Gravador(conexao) as g:
            g.gravar([(comando_insert("t", ("a", "b", "c")), 3, _pacote(*linhas), 3)])
        assert [tuple(r) for r in con.exec_driver_sql("SELECT * FROM t ORDER BY rowid")] == linhas


@pytest.mark.parametrize(
    ("pacote", "linhas"),
    [
        (_pacote((1, "a")), 2),  # falta uma linha
        (_pacote((1, "a"), (2, "b")), 1),  # sobra uma linha
        (b"x", 1),  # etiqueta desconhecida
        (b"i\x01\x02", 1),  # inteiro cortado
        (b"t" + struct.pack("=i", 50) + b"curto", 1),  # texto cortado
    ],
)
def test_pacote_malformado_e_recusado(engine: Engine, pacote: bytes, linhas: int) -> None:
    with engine.connect() as con, con.begin():
        con.exec_driver_sql("CREATE TEMP TABLE t (a INTEGER, b TEXT)")
        conexao = conexao_c(con)
        assert conexao
        with (
            pytest.raises(ErroGravacao, match="pacote de linhas malformado"),
            Gravador(conexao) as g,
        ):
            g.gravar([(comando_insert("t", ("a", "b")), 2, pacote, linhas)])


def test_sem_transacao_aberta_nada_e_gravado(engine: Engine) -> None:
    """Fora de transação cada INSERT seria um commit: o gravador recusa."""
    with engine.connect() as con:
        conexao = conexao_c(con)
        con.commit()  # encerra a transação que a consulta acima abriu
        assert conexao
        with pytest.raises(ErroGravacao, match="sem transação aberta"), Gravador(conexao) as g:
            g.gravar([(comando_insert("plano", ("codigo",)), 1, _pacote(("X",)), 1)])


def test_gravacao_recusada_desfaz_a_carga_inteira(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Um erro do SQLite na thread de gravação sobe na carga e nada fica no banco
    (aqui, uma coluna que não existe no comando das partidas)."""
    repo = preparar_repo(engine)
    antes = repo.importar_csv(io.BytesIO(ARQUIVO), "a.csv")
    assert tuple(antes) == (2, 4)
    monkeypatch.setattr(
        carga_razao, "_INSERT_PARTIDA", comando_insert("partida", ("nao_existe",) * 6)
    )
    segundo = ARQUIVO.replace(b";A1;", b";B1;").replace(b";A2;", b";B2;")
    with pytest.raises(ErroGravacao, match="nao_existe"):
        repo.importar_csv(io.BytesIO(segundo), "b.csv")
    with engine.connect() as con:
        contagens = [
            con.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("lancamento", "partida")
        ]
    assert contagens == [2, 4]
    # 1.500,00 − 320,45 = 1.179,55 no caixa, como depois da primeira carga
    bal = repo.balancete(["prefeitura"], 2026, 1, 2)
    caixa = [ln for ln in bal.linhas if ln.codigo == "1.1.1.1.1.01.00" and not ln.conta_corrente]
    assert [(ln.debitos, ln.creditos) for ln in caixa] == [(150000, 32045)]


def test_carga_usa_o_gravador(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Com os módulos compilados, a carga CSV grava pelo gravador (um grupo por bloco)."""
    chamadas: list[list[int]] = []
    original = Gravador.gravar

    def espiao(self: Gravador, pacotes: list[gravacao.Pacote]) -> None:
        chamadas.append([p[3] for p in pacotes])
        original(self, pacotes)

    monkeypatch.setattr(Gravador, "gravar", espiao)
    repo: Repositorio = preparar_repo(engine)
    assert tuple(repo.importar_csv(io.BytesIO(ARQUIVO), "a.csv")) == (2, 4)
    # 2 lançamentos e 4 partidas, cada grupo com as duas tabelas
    assert [sum(c) for c in zip(*chamadas, strict=True)] == [2, 4]


def test_sem_o_modulo_nao_ha_conexao_c() -> None:
    eng = criar_engine("sqlite://")
    with eng.connect() as con:
        assert conexao_c(con)  # o SQLite em memória também tem a função
    eng.dispose()
    original = gravacao._gravacao_sqlite
    try:
        gravacao._gravacao_sqlite = None
        with eng.connect() as con:
            assert conexao_c(con) is None
    finally:
        gravacao._gravacao_sqlite = original


def test_empacotar_e_empacotar_partidas_no_formato_do_pacote() -> None:
    """O pacote montado em C é o mesmo do formato escrito à mão (``_pacote``)."""
    linhas = [(7, "Câmara", None), (-1, "", "FR=1500")]
    assert gravacao.empacotar("INSERT", 3, linhas) == ("INSERT", 3, _pacote(*linhas), 2)
    # dois lançamentos do mesmo modelo: débito e crédito de 150,00 e de 2,05
    modelo = ((11, "D", "FR=1500"), (12, "C", ""))
    comando, largura, dados, n = gravacao.empacotar_partidas(
        "INSERT", [5, 6], [15000, 205], [modelo, modelo]
    )
    assert (comando, largura, n) == ("INSERT", 6, 4)
    assert dados == _pacote(
        (5, 1, 11, "D", 15000, "FR=1500"),
        (5, 2, 12, "C", 15000, ""),
        (6, 1, 11, "D", 205, "FR=1500"),
        (6, 2, 12, "C", 205, ""),
    )


@pytest.mark.parametrize(
    ("chamada", "excecao", "mensagem"),
    [
        (lambda: gravacao.empacotar("I", 2, [(1, "a"), (2,)]), ValueError, "linha 1"),
        (lambda: gravacao.empacotar("I", 1, [(1.5,)]), TypeError, "float fora do pacote"),
        (
            lambda: gravacao.empacotar_partidas("I", [1], [2, 3], [()]),
            ValueError,
            "tamanhos diferentes",
        ),
        (
            lambda: gravacao.empacotar_partidas("I", [1], [2], [((1, "D"),)]),
            ValueError,
            "partida 0 do modelo 0",
        ),
        (
            lambda: gravacao.empacotar_partidas("I", [1], [2], [[(1, "D", "")]]),
            ValueError,
            "modelo 0 não é uma tupla",
        ),
    ],
)
def test_empacotar_recusa_o_que_nao_cabe_no_pacote(
    chamada: Callable[[], object], excecao: type[Exception], mensagem: str
) -> None:
    with pytest.raises(excecao, match=mensagem):
        chamada()
