"""Saldos de abertura: implantados uma vez, e só em contas que atravessam o exercício.

- ``LANC-ABERTURA-DUPLICADA``: lançamento de abertura (período 0) num exercício
  que já tem saldos de abertura gravados e vivos (nem estorno nem estornados) é
  recusado, pelos saldos (``--tipo saldos``), pelo CSV de lançamentos (com e sem
  o acelerador em C), pelo ``lancar`` e pelo encerramento do exercício anterior;
  depois do estorno da implantação, uma nova é aceita.
- ``LANC-ABERTURA-CONTA``: classes 3 e 4, 5.2 e 6.2 não recebem saldo de abertura.

Recusado, nada muda: contagem de lançamentos e partidas e a tabela de saldos
são conferidas antes e depois.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from typer.testing import CliRunner

from erario.cli.app import app
from erario.core.erros import OperacaoRecusada
from erario.razao.carga import ler_saldos_abertura_csv
from erario.razao.modelo import Lancamento, Partida, SituacaoCompetencia, TipoLancamento
from erario.razao.plano import ler_plano_csv
from erario.razao.validacao import Validador, erro_conta_abertura
from erario.storage import carga_csv
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl, recusa, registrar
from tests.conftest import CNPJ_CAMARA, CNPJ_PREFEITURA, PLANO_TESTE

CAIXA = "1.1.1.1.1.01.00"
IMOBILIZADO = "1.2.3.0.0.00.00"
RESULTADOS = "2.3.7.0.0.00.00"

SALDOS = """\
entidade;conta;conta_corrente;valor;dc
prefeitura;1.1.1.1.1.01;FR=1500;1000.00;D
prefeitura;1.2.3;;500.00;D
prefeitura;2.3.7;;1500.00;C
camara;1.1.1.1.1.01;FR=1500;80.00;D
camara;2.3.7;;80.00;C
"""

CABECALHO = "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente;estornado"
MENSAGEM = (
    "o exercício 2026 de prefeitura já tem saldos de abertura (lançamento {}): "
    "estorne-os antes de implantar de novo"
)

ACELERADOR = [
    pytest.param(False, id="python"),
    pytest.param(
        True,
        id="acelerador",
        marks=pytest.mark.skipif(not carga_csv.ACELERADO, reason="acelerador não compilado"),
    ),
]


def estado(engine: Engine) -> dict[str, Any]:
    """Lançamentos, partidas e a tabela de saldos inteira."""
    with engine.connect() as con:
        return {
            "lancamentos": con.execute(text("SELECT count(*) FROM lancamento")).scalar_one(),
            "partidas": con.execute(text("SELECT count(*) FROM partida")).scalar_one(),
            "saldos": sorted(tuple(r) for r in con.execute(select(t.saldo))),
        }


def implantar(repo: Repositorio, texto: str = SALDOS, ano: int = 2026) -> None:
    lote = ler_saldos_abertura_csv(io.StringIO(texto), ano, "saldos.csv")
    assert lote.erros == []
    repo.importar([lote], origem="saldos.csv")


def recusados(acao: Any) -> list[str]:
    with pytest.raises(OperacaoRecusada) as exc:
        acao()
    return [str(e) for e in exc.value.erros]


def csv_lancamentos(*linhas: str) -> io.BytesIO:
    return io.BytesIO(("\n".join([CABECALHO, *linhas]) + "\n").encode())


def linha(
    numero: str,
    conta: str,
    dc: str,
    valor: str,
    cc: str = "",
    *,
    data: str = "2026-01-01",
    tipo: str = "abertura",
    estornado: str = "",
) -> str:
    return f"prefeitura;{numero};{data};{tipo};Histórico {numero};{conta};{dc};{valor};{cc};{estornado}"


def abertura(numero: str | None = None, valor: str = "10.00") -> Lancamento:
    return Lancamento(
        "prefeitura",
        dt.date(2026, 1, 1),
        "Saldos de abertura",
        (Partida.de(IMOBILIZADO, "D", valor), Partida.de(RESULTADOS, "C", valor)),
        numero,
        TipoLancamento.ABERTURA,
    )


# ------------------------------------------------------- implantação uma vez só


def test_implantacao_de_saldos_duas_vezes_recusada(repo: Repositorio, engine: Engine) -> None:
    implantar(repo)
    antes = estado(engine)
    assert (antes["lancamentos"], antes["partidas"]) == (2, 5)
    erros = recusados(lambda: implantar(repo))
    # As duas entidades já têm saldos de abertura: um erro para cada uma, na sua
    # primeira linha (câmara: lançamento 2, número gerado AAAA + id).
    assert erros == [
        "saldos.csv, linha 2: [LANC-ABERTURA-DUPLICADA] " + MENSAGEM.format("20260000000001"),
        "saldos.csv, linha 5: [LANC-ABERTURA-DUPLICADA] "
        "o exercício 2026 de camara já tem saldos de abertura (lançamento 20260000000002): "
        "estorne-os antes de implantar de novo",
    ]
    assert estado(engine) == antes
    # Só conferir (--validar) dá os mesmos erros.
    lote = ler_saldos_abertura_csv(io.StringIO(SALDOS), 2026, "saldos.csv")
    assert recusados(lambda: repo.importar([lote], origem="saldos.csv", validar=True)) == erros
    assert estado(engine) == antes


SO_PREFEITURA = "".join(ln for ln in SALDOS.splitlines(True) if not ln.startswith("camara"))


def test_outro_exercicio_e_outra_entidade_seguem_livres(repo: Repositorio) -> None:
    implantar(repo, SO_PREFEITURA)
    # A câmara em 2026 e a prefeitura em 2027 (aberto agora) ainda não têm implantação.
    implantar(repo, SO_PREFEITURA.replace("prefeitura", "camara"))
    repo.abrir_exercicio("prefeitura", 2027, usuario="teste")
    implantar(repo, SO_PREFEITURA, 2027)
    assert len(repo.lancamentos("camara", 2026, 0, 0)) == 1
    assert len(repo.lancamentos("prefeitura", 2027, 0, 0)) == 1


def test_lancar_abertura_com_implantacao_viva_recusado(repo: Repositorio, engine: Engine) -> None:
    repo.lancar(abertura("A1"))
    antes = estado(engine)
    assert recusados(lambda: repo.lancar(abertura("A2"))) == [
        "lançamento A2: [LANC-ABERTURA-DUPLICADA] " + MENSAGEM.format("A1")
    ]
    assert estado(engine) == antes


def test_varias_aberturas_numa_carga_sao_aceitas(repo: Repositorio, engine: Engine) -> None:
    """Uma migração pode ter muitos lançamentos de abertura: numa carga, todos entram.
    Numa carga seguinte, o erro cita os três primeiros e conta os demais."""
    repo.lancar_lote([abertura(f"M{i}") for i in range(1, 6)])
    assert estado(engine)["lancamentos"] == 5
    assert recusados(lambda: repo.lancar(abertura("M6"))) == [
        "lançamento M6: [LANC-ABERTURA-DUPLICADA] "
        + MENSAGEM.format("M1, M2, M3 e mais 2").replace("(lançamento", "(lançamentos")
    ]


def test_ordinario_e_estorno_nao_sao_implantacao(repo: Repositorio) -> None:
    """Lançamentos ordinários em 1º/01 e estornos de abertura não esbarram na regra."""
    repo.lancar(abertura("A1"))
    ordinario = abertura("O1")._replace(tipo=TipoLancamento.ORDINARIO)
    repo.lancar(ordinario)
    e = repo.estornar("prefeitura", "A1", dt.date(2026, 3, 1), numero_estorno="E1")
    assert (e.periodo, e.estorno) == (0, True)


# ------------------------------------------------------- estorno e nova implantação


def test_estorno_da_implantacao_libera_uma_nova(repo: Repositorio, engine: Engine) -> None:
    implantar(repo)
    (implantacao,) = repo.lancamentos("prefeitura", 2026, 0, 0)
    assert implantacao.numero is not None
    repo.estornar("prefeitura", implantacao.numero, dt.date(2026, 1, 1))
    # A câmara ainda tem a sua: só a prefeitura pode implantar de novo.
    implantar(repo, SO_PREFEITURA)
    assert len(repo.lancamentos("prefeitura", 2026, 0, 0)) == 3  # original, estorno, nova
    # Implantação, estorno e nova implantação: os saldos são os de uma só.
    bal = repo.balancete(["prefeitura"], 2026, 0, 0)
    atual = {ln.codigo: ln.atual for ln in bal.linhas if not ln.conta_corrente}
    assert (atual[CAIXA], atual[IMOBILIZADO], atual[RESULTADOS]) == (100000, 50000, -150000)
    # E a nova implantação, viva, volta a barrar uma terceira.
    assert any("LANC-ABERTURA-DUPLICADA" in e for e in recusados(lambda: implantar(repo)))
    assert repo.verificar() == []


# ------------------------------------------------------- CSV de lançamentos


@pytest.mark.parametrize("acelerar", ACELERADOR)
def test_csv_com_abertura_sobre_implantacao_recusado(
    repo: Repositorio, engine: Engine, acelerar: bool
) -> None:
    implantar(repo)
    antes = estado(engine)
    # 30 lançamentos ordinários (o acelerador os lê) e, depois, a abertura.
    linhas = []
    for i in range(1, 31):
        linhas.append(linha(f"L{i}", IMOBILIZADO, "D", "1.00", data="2026-01-10", tipo=""))
        linhas.append(linha(f"L{i}", RESULTADOS, "C", "1.00", data="2026-01-10", tipo=""))
    linhas.append(linha("A9", IMOBILIZADO, "D", "5.00"))  # linha 62
    linhas.append(linha("A9", RESULTADOS, "C", "5.00"))
    erros = recusados(
        lambda: repo.importar_csv(csv_lancamentos(*linhas), "l.csv", acelerar=acelerar)
    )
    assert erros == [
        "l.csv, linha 62: [LANC-ABERTURA-DUPLICADA] " + MENSAGEM.format("20260000000001")
    ]
    assert estado(engine) == antes


@pytest.mark.parametrize("acelerar", ACELERADOR)
def test_csv_estorno_e_nova_implantacao_na_mesma_carga(
    repo: Repositorio, engine: Engine, acelerar: bool
) -> None:
    """Estornar a implantação e implantar de novo no mesmo arquivo: aceito (nesta
    ordem); a nova implantação antes do estorno é recusada."""
    implantar(repo)
    (implantacao,) = repo.lancamentos("prefeitura", 2026, 0, 0)
    assert implantacao.numero is not None
    partidas = [
        linha("E1", CAIXA, "C", "1000.00", "FR=1500", estornado=implantacao.numero),
        linha("E1", IMOBILIZADO, "C", "500.00", estornado=implantacao.numero),
        linha("E1", RESULTADOS, "D", "1500.00", estornado=implantacao.numero),
    ]
    nova = [linha("N1", IMOBILIZADO, "D", "7.00"), linha("N1", RESULTADOS, "C", "7.00")]
    antes = estado(engine)
    erros = recusados(
        lambda: repo.importar_csv(csv_lancamentos(*nova, *partidas), "l.csv", acelerar=acelerar)
    )
    assert erros == [
        "l.csv, linha 2: [LANC-ABERTURA-DUPLICADA] " + MENSAGEM.format("20260000000001")
    ]
    assert estado(engine) == antes
    resumo = repo.importar_csv(csv_lancamentos(*partidas, *nova), "l.csv", acelerar=acelerar)
    assert tuple(resumo) == (2, 5)
    bal = repo.balancete(["prefeitura"], 2026, 0, 0)
    atual = {ln.codigo: ln.atual for ln in bal.linhas if not ln.conta_corrente}
    assert (atual[CAIXA], atual[IMOBILIZADO], atual[RESULTADOS]) == (0, 700, -700)
    assert repo.verificar() == []


@pytest.mark.parametrize("acelerar", ACELERADOR)
def test_csv_abertura_em_exercicio_livre_segue_pelo_acelerador(
    repo: Repositorio, acelerar: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sem implantação no exercício, várias aberturas num arquivo entram; com o
    acelerador, sem passar pelo caminho em Python."""
    chamadas: list[int] = []
    original = carga_csv._referencia
    monkeypatch.setattr(carga_csv, "_referencia", lambda *a: (chamadas.append(1), original(*a))[1])
    linhas = [
        linha("A1", CAIXA, "D", "10.00", "FR=1500"),
        linha("A1", RESULTADOS, "C", "10.00"),
        linha("A2", "7.2", "D", "3.00", "FR=1500"),  # controles (7/8) atravessam o exercício
        linha("A2", "8.2", "C", "3.00", "FR=1500"),
    ]
    resumo = repo.importar_csv(csv_lancamentos(*linhas), "l.csv", acelerar=acelerar)
    assert tuple(resumo) == (2, 4)
    assert bool(chamadas) != acelerar


@pytest.mark.parametrize("acelerar", ACELERADOR)
def test_csv_abertura_em_conta_sem_saldo_de_abertura(
    repo: Repositorio, engine: Engine, acelerar: bool
) -> None:
    """VPA na abertura: recusada pelos dois caminhos, com o mesmo erro; a mesma conta
    num lançamento ordinário do mesmo arquivo passa."""
    linhas = [
        linha("L1", CAIXA, "D", "4.00", "FR=1500", data="2026-01-05", tipo=""),
        linha("L1", "4.1", "C", "4.00", data="2026-01-05", tipo=""),
        linha("A1", CAIXA, "D", "4.00", "FR=1500"),  # linha 4
        linha("A1", "4.1", "C", "4.00"),
    ]
    antes = estado(engine)
    erros = recusados(
        lambda: repo.importar_csv(csv_lancamentos(*linhas), "l.csv", acelerar=acelerar)
    )
    assert erros == [
        "l.csv, linha 4, campo partida 2: [LANC-ABERTURA-CONTA] conta 4.1.0.0.0.00.00 é de "
        "variação patrimonial aumentativa (classe 4), encerrada no patrimônio líquido: "
        "não recebe saldo de abertura"
    ]
    assert estado(engine) == antes


# ------------------------------------------------------- contas dos saldos de abertura

SALDOS_VEDADOS = """\
entidade;conta;conta_corrente;valor;dc
prefeitura;1.1.1.1.1.01;FR=1500;1000.00;D
prefeitura;3.3;;20.00;D
prefeitura;41;;50.00;C
prefeitura;5.2.2;FR=1500;300.00;D
prefeitura;622;FR=1500;300.00;C
prefeitura;7.2;FR=1500;9.00;D
prefeitura;8.2;FR=1500;9.00;C
prefeitura;2.3.7;;970.00;C
"""


def test_saldos_em_contas_sem_abertura_cada_um_na_sua_linha(
    repo: Repositorio, engine: Engine
) -> None:
    lote = ler_saldos_abertura_csv(io.StringIO(SALDOS_VEDADOS), 2026, "saldos.csv")
    assert [(e.regra, e.linha, e.campo) for e in lote.erros] == [
        ("LANC-ABERTURA-CONTA", 3, "conta"),
        ("LANC-ABERTURA-CONTA", 4, "conta"),
        ("LANC-ABERTURA-CONTA", 5, "conta"),
        ("LANC-ABERTURA-CONTA", 6, "conta"),
    ]
    assert [e.mensagem for e in lote.erros] == [
        "conta 3.3 é de variação patrimonial diminutiva (classe 3), encerrada no patrimônio "
        "líquido: não recebe saldo de abertura",
        "conta 41 é de variação patrimonial aumentativa (classe 4), encerrada no patrimônio "
        "líquido: não recebe saldo de abertura",
        "conta 5.2.2 é do orçamento aprovado (5.2), encerrada no fim do exercício: "
        "não recebe saldo de abertura",
        "conta 622 é da execução do orçamento (6.2), encerrada no fim do exercício: "
        "não recebe saldo de abertura",
    ]
    # As linhas recusadas ficam fora do lançamento (como as outras linhas com erro);
    # 1, 2 (7/8) e o patrimônio líquido seguem.
    (lanc,) = lote.lancamentos
    assert [p.conta for p in lanc.partidas] == ["1.1.1.1.1.01", "7.2", "8.2", "2.3.7"]
    antes = estado(engine)
    erros = recusados(lambda: repo.importar([lote], origem="saldos.csv"))
    # Sem a VPD de 20,00 e a VPA de 50,00, o patrimonial não fecha (diferença: 30,00
    # a levar ao patrimônio líquido).
    assert [(e.split("]")[0].split("[")[1], e.split(":")[0]) for e in erros] == [
        ("LANC-DESBALANCEADO", "saldos.csv, linha 2"),
        ("LANC-ABERTURA-CONTA", "saldos.csv, linha 3, campo conta"),
        ("LANC-ABERTURA-CONTA", "saldos.csv, linha 4, campo conta"),
        ("LANC-ABERTURA-CONTA", "saldos.csv, linha 5, campo conta"),
        ("LANC-ABERTURA-CONTA", "saldos.csv, linha 6, campo conta"),
    ]
    assert estado(engine) == antes


def test_saldos_so_em_contas_que_atravessam_o_exercicio(repo: Repositorio) -> None:
    texto = "\n".join(
        ln for i, ln in enumerate(SALDOS_VEDADOS.splitlines()) if i not in (2, 3, 4, 5)
    ).replace("970.00", "1000.00")
    implantar(repo, texto + "\n")
    bal = repo.balancete(["prefeitura"], 2026, 0, 0)
    atual = {ln.codigo: ln.atual for ln in bal.linhas if not ln.conta_corrente}
    assert (atual["7.2.0.0.0.00.00"], atual["8.2.0.0.0.00.00"]) == (900, -900)


@pytest.mark.parametrize(
    ("codigo", "vedada"),
    [
        ("1.1.1.1.1.01.00", False),
        ("2.3.7.1.1.02.00", False),
        ("3.3.2.3.1.99.00", True),
        ("4", True),
        ("4.1.1.2.1.02.00", True),
        ("5.1.1.0.0.00.00", False),
        ("5.2.1.1.1.00.00", True),
        ("521110000", True),
        ("5.3.1.1.0.00.00", False),
        ("6.1.1.0.0.00.00", False),
        ("6.2.2.1.3.01.00", True),
        ("6.3.1.1.0.00.00", False),
        ("7.2.1.1.1.00.00", False),
        ("8.2.1.1.1.01.00", False),
        ("4.x", False),  # não é código: quem resolve a conta relata (LANC-CONTA)
        ("", False),
    ],
)
def test_contas_que_nao_recebem_saldo_de_abertura(codigo: str, vedada: bool) -> None:
    assert (erro_conta_abertura(codigo) is not None) == vedada


def test_validador_abertura_em_vpa_e_o_estorno_dela() -> None:
    plano, erros = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert plano is not None, erros
    v = Validador(plano, lambda *_: SituacaoCompetencia.ABERTA)
    lanc = Lancamento(
        "prefeitura",
        dt.date(2026, 1, 1),
        "Abertura",
        (Partida.de("1.2.3", "D", "5"), Partida.de("4.1", "C", "5")),
        "A1",
        TipoLancamento.ABERTURA,
    )
    normal, erros = v.validar(lanc)
    assert normal is None
    assert [(e.regra, e.campo) for e in erros] == [("LANC-ABERTURA-CONTA", "partida 2")]
    # O ordinário com a mesma conta vale; o estorno de uma abertura antiga também
    # (é o inverso exato: corrige o que a regra não deixaria entrar hoje).
    assert v.validar(lanc._replace(tipo=TipoLancamento.ORDINARIO))[1] == []
    assert v.validar(lanc._replace(estorno=True, estornado="A0"))[1] == []


# ------------------------------------------------------- encerramento do exercício

ENCERRA_2026 = jsonl({"tipo": "encerramento_exercicio", "id": "ENC2026", "data": "2026-12-31"})


def test_encerramento_nao_abre_exercicio_ja_implantado(
    repo_pcasp: Repositorio, engine: Engine
) -> None:
    """A abertura de 2027 que o encerramento de 2026 lança esbarra na implantação
    de 2027 já feita; estornada esta, o encerramento passa."""
    repo = repo_pcasp
    repo.abrir_exercicio("prefeitura", 2027, usuario="teste")
    cc_banco = "FR=1500|DB=001-1234-5"
    repo.lancar(
        Lancamento(
            "prefeitura",
            dt.date(2026, 3, 5),
            "Receita",
            (
                Partida.de("1.1.1.1.1.19.00", "D", "100.00", cc_banco),
                Partida.de("4.1.1.2.1.02.00", "C", "100.00"),
            ),
            "R1",
        )
    )
    implantada = Lancamento(
        "prefeitura",
        dt.date(2027, 1, 1),
        "Saldos de abertura de 2027",
        (
            Partida.de("1.2.3.1.1.01.01", "D", "40.00"),
            Partida.de("2.3.7.1.1.02.00", "C", "40.00"),
        ),
        "S2027",
        TipoLancamento.ABERTURA,
    )
    repo.lancar(implantada)
    antes = estado(engine)
    assert recusa(repo, ENCERRA_2026) == [
        "LANC-ABERTURA-DUPLICADA: o exercício 2027 de prefeitura já tem saldos de abertura "
        "(lançamento S2027): estorne-os antes de implantar de novo"
    ]
    assert estado(engine) == antes
    repo.estornar("prefeitura", "S2027", dt.date(2027, 1, 1))
    registrar(repo, ENCERRA_2026)
    aberturas = [lc for lc in repo.lancamentos("prefeitura", 2027, 0, 0) if not lc.estorno]
    assert len(aberturas) == 2 and aberturas[0].numero == "S2027"
    assert (aberturas[1].origem or "").startswith("evento:")  # a do encerramento


# ------------------------------------------------------- linha de comando


def test_cli_importar_saldos_duas_vezes(tmp_path: Path) -> None:
    runner = CliRunner()
    url = f"sqlite:///{tmp_path / 'cli.db'}"

    def rodar(*args: str) -> tuple[int, str]:
        r = runner.invoke(app, ["--db", url, *args])
        return r.exit_code, r.output

    plano = tmp_path / "plano.csv"
    plano.write_text(PLANO_TESTE, encoding="utf-8")
    assert rodar("plano", "importar", str(plano))[0] == 0
    for slug, cnpj, tipo, poder in (
        ("prefeitura", CNPJ_PREFEITURA, "prefeitura", "10131"),
        ("camara", CNPJ_CAMARA, "camara", "20231"),
    ):
        codigo, saida = rodar(
            "entidade", "criar", f"--slug={slug}", f"--nome={slug}", f"--cnpj={cnpj}",
            f"--tipo={tipo}", "--ibge=4312658", f"--poder-orgao={poder}",
        )  # fmt: skip
        assert codigo == 0, saida
        assert rodar("exercicio", "abrir", slug, "2026")[0] == 0
    arq = tmp_path / "saldos.csv"
    arq.write_text(SALDOS, encoding="utf-8")
    codigo, saida = rodar("importar", str(arq), "--tipo", "saldos", "--ano", "2026")
    assert codigo == 0, saida
    assert "2 lançamento(s), 5 partida(s) importado(s)" in saida
    codigo, saida = rodar("importar", str(arq), "--tipo", "saldos", "--ano", "2026")
    assert codigo == 1
    assert "LANC-ABERTURA-DUPLICADA" in saida
    assert "já tem saldos de abertura" in " ".join(saida.split())
    codigo, saida = rodar("balancete", "prefeitura", "--mes", "2026-01", "--formato", "csv")
    caixa = next(ln.split(";") for ln in saida.splitlines() if ln.startswith(CAIXA + ";"))
    assert caixa[6:8] == ["1000.00", "D"]  # saldo anterior: implantado uma vez só
