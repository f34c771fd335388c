"""Carga CSV com o acelerador em C: mesmo resultado do caminho de referência.

O acelerador (``storage/_carga_csv.c``) só pode mudar a velocidade. Aqui cada
arquivo é importado duas vezes, em bancos iguais, com e sem o acelerador, e se
compara tudo: os erros (texto, linha e campo) ou, sem erro, cada linha das
tabelas lancamento, partida e saldo.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from erario.core.erros import OperacaoRecusada
from erario.razao.modelo import Lancamento, Partida
from erario.storage import carga_csv, gravacao
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.conftest import CNPJ_PREFEITURA, preparar_repo

PASTA_ERROS = Path(__file__).parent / "erros"
CABECALHO = "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente"


def test_acelerador_compilado() -> None:
    """No CI (``ERARIO_EXIGIR_ACELERADOR=1``) o módulo em C precisa estar compilado."""
    if os.environ.get("ERARIO_EXIGIR_ACELERADOR") == "1":
        assert carga_csv.ACELERADO, "storage/_carga_csv.c não foi compilado na instalação"
        assert gravacao._gravacao_sqlite is not None, (
            "storage/_gravacao_sqlite.c não foi compilado (falta libsqlite3-dev?)"
        )
    elif not carga_csv.ACELERADO:
        pytest.skip("acelerador não compilado: só o caminho de referência roda")


# ------------------------------------------------------------ bancos gêmeos
@pytest.fixture(scope="module")
def modelo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Banco-modelo: plano de teste, prefeitura e câmara em 2026, março fechado
    na prefeitura e um lançamento ``EXISTE`` já gravado."""
    caminho = tmp_path_factory.mktemp("modelo") / "modelo.db"
    eng = criar_engine(f"sqlite:///{caminho}")
    atualizar_esquema(eng)
    repo = preparar_repo(eng)
    repo.fechar_competencia("prefeitura", 2026, 3, usuario="teste")
    repo.lancar(
        Lancamento(
            "prefeitura",
            __import__("datetime").date(2026, 1, 5),
            "Já gravado",
            (
                Partida("1.2.3.0.0.00.00", "D", 100, ""),
                Partida("2.3.7.0.0.00.00", "C", 100, ""),
            ),
            "EXISTE",
        )
    )
    eng.dispose()
    return caminho


def _dump(engine: Engine) -> dict[str, list[Any]]:
    consultas = {
        "lancamento": "SELECT * FROM lancamento ORDER BY id",
        "partida": "SELECT * FROM partida ORDER BY lancamento_id, seq",
        "saldo": "SELECT * FROM saldo ORDER BY entidade_id, ano, livro, periodo, conta_id, conta_corrente",
    }
    with engine.connect() as con:
        return {k: [tuple(r) for r in con.execute(text(q))] for k, q in consultas.items()}


def _importar(
    modelo: Path, pasta: Path, nome: str, dados: bytes, acelerar: bool, gravacao_c: bool = True
) -> Any:
    """Importa ``dados`` numa cópia do modelo. ``gravacao_c`` falso tira a gravação
    pela API C do SQLite (``storage.gravacao``): o acelerador devolve listas e o
    pysqlite grava."""
    caminho = pasta / nome
    shutil.copy(modelo, caminho)
    eng = criar_engine(f"sqlite:///{caminho}")
    original = gravacao.conexao_c
    if not gravacao_c:
        gravacao.conexao_c = lambda con: None  # type: ignore[assignment]
    try:
        repo = Repositorio(eng)
        try:
            resumo = repo.importar_csv(io.BytesIO(dados), "teste.csv", acelerar=acelerar)
        except OperacaoRecusada as exc:
            return ("recusada", [str(e) for e in exc.erros], _dump(eng))
        return ("ok", tuple(resumo), _dump(eng))
    finally:
        gravacao.conexao_c = original
        eng.dispose()


@pytest.fixture
def pedaco() -> Iterator[None]:
    original = carga_csv.PEDACO
    yield
    carga_csv.PEDACO = original


def _comparar(modelo: Path, pasta: Path, dados: bytes) -> Any:
    """Os três caminhos dão o mesmo resultado: acelerador com gravação pela API C,
    acelerador com gravação pelo pysqlite e o caminho de referência."""
    rapido = _importar(modelo, pasta, "rapido.db", dados, True)
    listas = _importar(modelo, pasta, "listas.db", dados, True, gravacao_c=False)
    referencia = _importar(modelo, pasta, "referencia.db", dados, False)
    assert rapido == referencia
    assert listas == referencia
    return rapido


# ------------------------------------------------------------ casos escritos à mão
@pytest.mark.parametrize("arquivo", sorted(PASTA_ERROS.glob("*.csv")), ids=lambda p: p.name)
def test_reprodutores_de_erro_iguais(modelo: Path, tmp_path: Path, arquivo: Path) -> None:
    situacao, *_ = _comparar(modelo, tmp_path, arquivo.read_bytes())
    assert situacao == "recusada"


def _linha(
    numero: str, conta: str, dc: str, valor: str, cc: str = "", data: str = "2026-01-10"
) -> str:
    return f"prefeitura;{numero};{data};;Histórico {numero};{conta};{dc};{valor};{cc}"


def test_muitos_pedacos_mesmos_valores(modelo: Path, tmp_path: Path, pedaco: None) -> None:
    """Pedaços de 100 bytes partem lançamentos e linhas ao meio; os números fecham."""
    carga_csv.PEDACO = 100
    linhas = [CABECALHO]
    for i in range(1, 41):  # 40 lançamentos de R$ 12,34 + i centavos, caixa contra VPA
        valor = f"{12 + (34 + i) // 100}.{(34 + i) % 100:02d}"
        linhas.append(_linha(f"N{i}", "1.1.1.1.1.01.00", "D", valor, "FR=1500"))
        linhas.append(_linha(f"N{i}", "4.1.0.0.0.00.00", "C", valor))
    situacao, resumo, tabelas = _comparar(modelo, tmp_path, ("\n".join(linhas) + "\n").encode())
    assert (situacao, resumo) == ("ok", (40, 80))
    # Σ (1234 + i) para i = 1..40 = 40 × 1234 + 820 = 50.180 centavos
    assert sum(ln[-1] for ln in tabelas["lancamento"] if ln[2].startswith("N")) == 50180


def test_linha_do_erro_depois_de_trecho_acelerado(
    modelo: Path, tmp_path: Path, pedaco: None
) -> None:
    """O erro na linha 2.002 vem com o número certo, depois de 1.000 lançamentos bons."""
    carga_csv.PEDACO = 4096
    linhas = [CABECALHO]
    for i in range(1, 1001):
        linhas.append(_linha(f"B{i}", "1.2.3.0.0.00.00", "D", "1.00"))
        linhas.append(_linha(f"B{i}", "2.3.7.0.0.00.00", "C", "1.00"))
    linhas.append(_linha("RUIM", "1.2.3.0.0.00.00", "D", "1.005"))
    linhas.append(_linha("RUIM", "2.3.7.0.0.00.00", "C", "1.00"))
    situacao, erros, tabelas = _comparar(modelo, tmp_path, ("\n".join(linhas) + "\n").encode())
    assert situacao == "recusada"
    assert erros == [
        "teste.csv, linha 2002, campo valor: [CARGA-VALOR] valor '1.005' tem mais de duas casas decimais"
    ]
    assert len(tabelas["lancamento"]) == 1  # só o EXISTE do modelo: nada mudou


def test_valores_enormes_seguem_pelo_caminho_em_python(modelo: Path, tmp_path: Path) -> None:
    """Acima de 10^15 centavos por partida o acelerador recusa o trecho (somas em
    long long); o caminho em Python grava com inteiros sem limite."""
    linhas = [
        CABECALHO,
        _linha("G1", "1.2.3.0.0.00.00", "D", "90000000000000.00"),
        _linha("G1", "2.3.7.0.0.00.00", "C", "90000000000000.00"),
    ]
    situacao, resumo, tabelas = _comparar(modelo, tmp_path, ("\n".join(linhas) + "\n").encode())
    assert (situacao, resumo) == ("ok", (1, 2))
    assert tabelas["lancamento"][-1][-1] == 9 * 10**15


def test_numero_ja_gravado_no_banco(modelo: Path, tmp_path: Path) -> None:
    linhas = [
        CABECALHO,
        _linha("EXISTE", "1.2.3.0.0.00.00", "D", "5.00"),
        _linha("EXISTE", "2.3.7.0.0.00.00", "C", "5.00"),
    ]
    situacao, erros, _ = _comparar(modelo, tmp_path, ("\n".join(linhas) + "\n").encode())
    assert situacao == "recusada"
    assert len(erros) == 1 and "LANC-NUMERO-DUPLICADO" in erros[0] and "linha 2" in erros[0]


# ------------------------------------------------------------ arquivos aleatórios
_PARES = {  # natureza → (débito, crédito, conta corrente de cada lado)
    "P1": ("1.1.1.1.1.01.00", "4.1.0.0.0.00.00", "FR=1500", ""),
    "P2": ("3.3.0.0.0.00.00", "2.1.3.0.0.00.00", "", f"FR=1500|CR={CNPJ_PREFEITURA}"),
    "P3": ("1.1.1.1.1.06.00", "1.1.1.1.1.01.00", "FR=1600|DB=001-1234-5", "FR=1600"),
    "O": ("5.2.2.0.0.00.00", "6.2.2.0.0.00.00", "FR=1500", "FR=1500"),
    "C": ("7.2.0.0.0.00.00", "8.2.0.0.0.00.00", "FR=1701", "FR=1701"),
}

# Variações de um campo: formas aceitas de outro jeito, ou erradas.
_VARIACOES = {
    "valor": ["10,5", "10", "10.5", " 10.00", "10.005", "-5", "0.00", "1.234,56", "", "1e3"],
    "dc": ["d", " D", "X", ""],
    "conta": ["111110100", "1.1.1.1.1.01", "9.9", "1.1", " 1.1.1.1.1.01.00", ""],
    "conta_corrente": [
        "fr=1500",
        "FR=15",
        "DB=001-1|FR=1600",
        "FR=1500|FR=1600",
        "XX=1",
        " FR=1500",
    ],
    "historico": [
        '"Com ; e ""aspas"""',
        " espaço",
        "",
        "x" * 501,
        "Acentuação çãõ ü",
        '"quebra\nde linha"',
    ],
    "data": ["2026-13-01", "2026-03-15", "2027-01-10", "10/01/2026", "2026-01-01"],
    "entidade": ["camara", "x", " prefeitura"],
    "tipo": ["abertura", "ENCERRAMENTO", "xyz", " ordinario"],
    "numero": ["EXISTE", "", "N1", "1234567890ABCDEFG"],
}
_COLUNAS = CABECALHO.split(";")


@st.composite
def arquivos_csv(draw: st.DrawFn) -> tuple[bytes, int]:
    n = draw(st.integers(1, 25))
    linhas: list[list[str]] = []
    for i in range(1, n + 1):
        dia = draw(st.integers(1, 28))
        mes = draw(st.sampled_from([1, 2, 4, 12]))
        data = f"2026-{mes:02d}-{dia:02d}"
        for _ in range(draw(st.integers(1, 3))):
            natureza = draw(st.sampled_from(sorted(_PARES)))
            deb, cred, cc_d, cc_c = _PARES[natureza]
            centavos = draw(st.integers(1, 10**11))
            valor = f"{centavos // 100}.{centavos % 100:02d}"
            for conta, dc, cc in ((deb, "D", cc_d), (cred, "C", cc_c)):
                linhas.append(
                    ["prefeitura", f"N{i}", data, "", f"Lançamento {i}", conta, dc, valor, cc]
                )
    for _ in range(draw(st.integers(0, 3))):  # variações em linhas quaisquer
        linha = draw(st.integers(0, len(linhas) - 1))
        campo = draw(st.sampled_from(sorted(_VARIACOES)))
        linhas[linha][_COLUNAS.index(campo)] = draw(st.sampled_from(_VARIACOES[campo]))
    corpo = [";".join(ln) for ln in linhas]
    if draw(st.booleans()):  # linha em branco no meio
        corpo.insert(draw(st.integers(0, len(corpo))), "")
    if draw(st.integers(0, 9)) == 0:  # linha curta
        corpo.insert(draw(st.integers(0, len(corpo))), "prefeitura;N1;2026-01-10")
    fim = draw(st.sampled_from(["\n", "\r\n"]))
    texto = fim.join([CABECALHO, *corpo]) + draw(st.sampled_from([fim, ""]))
    dados = texto.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # um "ç" em latin-1 numa linha qualquer
        posicoes = [i for i in range(len(dados)) if dados.startswith("ç".encode(), i)]
        if posicoes:
            i = draw(st.sampled_from(posicoes))
            dados = dados[:i] + b"\xe7" + dados[i + 2 :]
    return dados, draw(st.sampled_from([64, 200, 1 << 20]))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(arquivos_csv())
def test_acelerado_igual_a_referencia(
    modelo: Path, tmp_path: Path, pedaco: None, caso: tuple[bytes, int]
) -> None:
    dados, tamanho = caso
    carga_csv.PEDACO = tamanho
    _comparar(modelo, tmp_path, dados)


def test_importar_csv_nos_dois_bancos(repo: Repositorio) -> None:
    """SQLite e PostgreSQL: dois lançamentos pelo acelerador, saldos conferidos à mão."""
    linhas = [
        CABECALHO,
        _linha("A1", "1.1.1.1.1.01.00", "D", "1500.00", "FR=1500"),
        _linha("A1", "4.1.0.0.0.00.00", "C", "1500.00"),
        _linha("A2", "3.3.0.0.0.00.00", "D", "320.45", data="2026-02-03"),
        _linha("A2", "1.1.1.1.1.01.00", "C", "320.45", "FR=1500", data="2026-02-03"),
    ]
    resumo = repo.importar_csv(io.BytesIO(("\n".join(linhas) + "\n").encode()), "t.csv")
    assert tuple(resumo) == (2, 4)
    bal = repo.balancete(["prefeitura"], 2026, 1, 2)
    caixa = next(
        ln for ln in bal.linhas if ln.codigo == "1.1.1.1.1.01.00" and not ln.conta_corrente
    )
    # 1.500,00 − 320,45 = 1.179,55 devedor
    assert (caixa.debitos, caixa.creditos, caixa.atual) == (150000, 32045, 117955)
    assert repo.verificar() == []


def test_arquivo_fora_do_utf8_relata_cada_linha(modelo: Path, tmp_path: Path) -> None:
    """Um CSV salvo em latin-1: cada linha com byte inválido vira CARGA-CODIFICACAO.
    Na linha 3, "prefeitura;L1;2026-01-10;;Servi" tem 31 bytes: o "ç" é o 32º."""
    dados = (
        CABECALHO + "\n" + _linha("L1", "1.2.3.0.0.00.00", "D", "1.00") + "\n"
    ).encode() + "prefeitura;L1;2026-01-10;;Serviço;2.3.7.0.0.00.00;C;1.00;\n".encode("latin-1")
    situacao, erros, tabelas = _comparar(modelo, tmp_path, dados)
    assert situacao == "recusada"
    assert erros == [
        "teste.csv, linha 3: [CARGA-CODIFICACAO] texto fora do UTF-8 (byte 32 da linha): "
        "salve o arquivo em UTF-8"
    ]
    assert len(tabelas["lancamento"]) == 1  # só o do modelo
