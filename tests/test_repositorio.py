"""Repositório sobre SQLite e PostgreSQL: lançar, saldos, balancete, estorno, guardas do banco."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from erario.core.erros import OperacaoRecusada
from erario.razao.balancete import Balancete, TotalNatureza, conferir_balancete
from erario.razao.estorno import estornar
from erario.razao.modelo import (
    Competencia,
    Entidade,
    Lancamento,
    Partida,
    SituacaoCompetencia,
    TipoEntidade,
    TipoLancamento,
)
from erario.razao.plano import ler_plano_csv
from erario.storage import esquema
from erario.storage.banco import atualizar_esquema, esquema_atualizado
from erario.storage.repositorio import Repositorio, ResumoPlano
from tests.conftest import CNPJ_PREFEITURA, PLANO_TESTE

CAIXA = "1.1.1.1.1.01.00"  # FR
BANCO = "1.1.1.1.1.06.00"  # FR, DB
IMOBILIZADO = "1.2.3.0.0.00.00"
RESULTADOS = "2.3.7.0.0.00.00"
VPD = "3.3.0.0.0.00.00"
VPA = "4.1.0.0.0.00.00"
ATIVO = "1.0.0.0.0.00.00"
FR = "FR=1500"
CONTA_BANCO = "FR=1500|DB=001-1234-5"
TABELAS = ("lancamento", "partida", "saldo", "auditoria", "competencia", "entidade", "conta")


def P(conta: str, dc: str, reais: str, cc: str = "") -> Partida:
    return Partida.de(conta, dc, reais, cc)


def L(data: dt.date, *partidas: Partida, **kw: object) -> Lancamento:
    base: dict[str, object] = {
        "entidade": "prefeitura",
        "data": data,
        "historico": "Lançamento de teste",
        "partidas": partidas,
    }
    base.update(kw)
    return Lancamento(**base)  # type: ignore[arg-type]


def abertura(valor: str, entidade: str = "prefeitura") -> Lancamento:
    return L(
        dt.date(2026, 1, 1),
        P(CAIXA, "D", valor, FR),
        P(RESULTADOS, "C", valor),
        entidade=entidade,
        tipo=TipoLancamento.ABERTURA,
        historico="Saldos de abertura",
    )


def compra(data: dt.date = dt.date(2026, 1, 15), valor: str = "300.00", **kw: object) -> Lancamento:
    return L(data, P(IMOBILIZADO, "D", valor), P(CAIXA, "C", valor, FR), **kw)


def estado(engine: Engine) -> dict[str, object]:
    """Contagem de linhas de cada tabela e o conteúdo da tabela de saldos."""
    with engine.connect() as con:
        saida: dict[str, object] = {
            t: con.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABELAS
        }
        saida["saldos"] = sorted(tuple(r) for r in con.execute(select(esquema.saldo)))
    return saida


def figuras(b: Balancete) -> dict[str, tuple[int, int, int, int]]:
    return {
        ln.codigo: (ln.anterior, ln.debitos, ln.creditos, ln.atual)
        for ln in b.linhas
        if not ln.conta_corrente
    }


def saldos_atuais(b: Balancete) -> dict[tuple[str, str], int]:
    return {(ln.codigo, ln.conta_corrente): ln.atual for ln in b.linhas if ln.atual}


def regras(exc: pytest.ExceptionInfo[OperacaoRecusada]) -> list[str]:
    return [e.regra for e in exc.value.erros]


def cenario(repo: Repositorio) -> None:
    """Prefeitura: abertura 1.000,00; compra 300,00 (jan); receita 200,00 (fev).
    Câmara: abertura 50,00; despesa 10,00 (jan)."""
    repo.lancar(abertura("1000.00"))
    repo.lancar(compra())
    repo.lancar(L(dt.date(2026, 2, 10), P(CAIXA, "D", "200", FR), P(VPA, "C", "200")))
    repo.lancar(abertura("50.00", "camara"))
    repo.lancar(
        L(dt.date(2026, 1, 20), P(VPD, "D", "10"), P(CAIXA, "C", "10", FR), entidade="camara")
    )


# ------------------------------------------------------------------ lançar e ler


def test_lancar_e_ler_de_volta(repo: Repositorio, engine: Engine) -> None:
    lc = L(
        dt.date(2026, 1, 15),
        P("123", "D", "300.00"),  # só dígitos: normalizado para 1.2.3.0.0.00.00
        P("1.1.1.1.1.01", "C", "300", "fr=1500"),
        historico="  Compra de mesa  ",
        origem="NF 12",
    )
    gravado = repo.lancar(lc)
    # Número automático: ano + id com 10 dígitos.
    assert gravado.numero == "20260000000001"
    esperado = Lancamento(
        entidade="prefeitura",
        data=dt.date(2026, 1, 15),
        historico="Compra de mesa",
        partidas=(
            Partida(IMOBILIZADO, "D", 30000, ""),
            Partida(CAIXA, "C", 30000, "FR=1500"),
        ),
        numero="20260000000001",
        origem="NF 12",
    )
    assert gravado == esperado
    assert repo.lancamento("prefeitura", "20260000000001") == esperado
    assert repo.lancamentos("prefeitura", 2026) == [esperado]
    assert repo.lancamentos("prefeitura", 2026, 2, 12) == []
    with engine.connect() as con:
        linha = con.execute(select(esquema.lancamento)).one()
    assert (linha.ano, linha.periodo, linha.valor, linha.tipo, linha.livro) == (
        2026,
        1,
        30000,
        "ordinario",
        "C",
    )
    # O id é global: o próximo número (da câmara) usa o id 2.
    outro = repo.lancar(compra(entidade="camara"))
    assert outro.numero == "20260000000002"
    assert repo.lancamentos("camara", 2026) == [outro]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancamento("prefeitura", "nao-existe")
    assert regras(exc) == ["LANC-INEXISTENTE"]
    assert repo.verificar() == []


def test_numero_informado_e_repetido_em_outra_entidade(repo: Repositorio) -> None:
    a = repo.lancar(compra(numero="NE-0001/2026"))
    b = repo.lancar(compra(numero="NE-0001/2026", entidade="camara"))
    assert (a.numero, b.numero) == ("NE-0001/2026", "NE-0001/2026")
    assert repo.lancamento("camara", "NE-0001/2026").entidade == "camara"


# --------------------------------------------------------------------- balancete


def test_balancete_a_mao(repo: Repositorio) -> None:
    cenario(repo)
    jan = repo.balancete(["prefeitura"], 2026, 1, 1)
    # A abertura (período 0) é o saldo anterior de janeiro.
    assert figuras(jan) == {
        ATIVO: (100000, 30000, 30000, 100000),
        "1.1.0.0.0.00.00": (100000, 0, 30000, 70000),
        "1.1.1.0.0.00.00": (100000, 0, 30000, 70000),
        "1.1.1.1.0.00.00": (100000, 0, 30000, 70000),
        "1.1.1.1.1.00.00": (100000, 0, 30000, 70000),
        CAIXA: (100000, 0, 30000, 70000),
        "1.2.0.0.0.00.00": (0, 30000, 0, 30000),
        IMOBILIZADO: (0, 30000, 0, 30000),
        "2.0.0.0.0.00.00": (-100000, 0, 0, -100000),
        "2.3.0.0.0.00.00": (-100000, 0, 0, -100000),
        RESULTADOS: (-100000, 0, 0, -100000),
    }
    assert jan.totais == (TotalNatureza("P", 100000, 100000, 30000, 30000),)

    jan_fev = figuras(repo.balancete(["prefeitura"], 2026, 1, 2))
    assert jan_fev[CAIXA] == (100000, 20000, 30000, 90000)  # 1.000 + 200 − 300
    assert jan_fev[VPA] == (0, 0, 20000, -20000)
    assert jan_fev["4.0.0.0.0.00.00"] == (0, 0, 20000, -20000)
    assert jan_fev[ATIVO] == (100000, 50000, 30000, 120000)

    fev = repo.balancete(["prefeitura"], 2026, 2, 2)
    assert figuras(fev)[CAIXA] == (70000, 20000, 0, 90000)
    # Devedores 900 + 300 = 1.200,00; credores 1.000 + 200 = 1.200,00.
    assert fev.totais == (TotalNatureza("P", 120000, 120000, 20000, 20000),)

    so_abertura = figuras(repo.balancete(["prefeitura"], 2026, 0, 0))
    assert so_abertura[CAIXA] == (0, 100000, 0, 100000)
    assert so_abertura[RESULTADOS] == (0, 0, 100000, -100000)
    assert IMOBILIZADO not in so_abertura

    ano = figuras(repo.balancete(["prefeitura"], 2026, 0, 13))
    assert ano[CAIXA] == (0, 120000, 30000, 90000)
    dezembro = figuras(repo.balancete(["prefeitura"], 2026, 12, 12))
    assert dezembro[CAIXA] == (90000, 0, 0, 90000)

    camara = figuras(repo.balancete(["camara"], 2026, 1, 1))
    assert camara == {
        ATIVO: (5000, 0, 1000, 4000),
        "1.1.0.0.0.00.00": (5000, 0, 1000, 4000),
        "1.1.1.0.0.00.00": (5000, 0, 1000, 4000),
        "1.1.1.1.0.00.00": (5000, 0, 1000, 4000),
        "1.1.1.1.1.00.00": (5000, 0, 1000, 4000),
        CAIXA: (5000, 0, 1000, 4000),
        "2.0.0.0.0.00.00": (-5000, 0, 0, -5000),
        "2.3.0.0.0.00.00": (-5000, 0, 0, -5000),
        RESULTADOS: (-5000, 0, 0, -5000),
        "3.0.0.0.0.00.00": (0, 1000, 0, 1000),
        VPD: (0, 1000, 0, 1000),
    }

    consolidado = repo.balancete(["prefeitura", "camara"], 2026, 1, 1)
    assert consolidado.entidades == ("prefeitura", "camara")
    c = figuras(consolidado)
    assert c[CAIXA] == (105000, 0, 31000, 74000)
    assert c[ATIVO] == (105000, 30000, 31000, 104000)
    assert c[RESULTADOS] == (-105000, 0, 0, -105000)
    assert c[VPD] == (0, 1000, 0, 1000)
    p = figuras(jan)
    for codigo in p.keys() | camara.keys():
        soma = tuple(
            a + b
            for a, b in zip(p.get(codigo, (0,) * 4), camara.get(codigo, (0,) * 4), strict=True)
        )
        assert c[codigo] == soma, codigo
    assert consolidado.totais == (TotalNatureza("P", 105000, 105000, 31000, 31000),)
    assert conferir_balancete(consolidado) == []


def test_balancete_por_conta_corrente_e_nivel(repo: Repositorio) -> None:
    cenario(repo)
    repo.lancar(L(dt.date(2026, 2, 11), P(BANCO, "D", "40", CONTA_BANCO), P(CAIXA, "C", "40", FR)))
    b = repo.balancete(["prefeitura"], 2026, 2, 2, por_conta_corrente=True)
    banco = [
        (ln.conta_corrente, ln.anterior, ln.debitos, ln.atual)
        for ln in b.linhas
        if ln.codigo == BANCO
    ]
    assert banco == [("", 0, 4000, 4000), (CONTA_BANCO, 0, 4000, 4000)]
    b = repo.balancete(["prefeitura"], 2026, 2, 2, nivel_maximo=1)
    assert [ln.codigo for ln in b.linhas] == [ATIVO, "2.0.0.0.0.00.00", "4.0.0.0.0.00.00"]


def test_balancete_recusa_periodo_e_entidade(repo: Repositorio) -> None:
    with pytest.raises(OperacaoRecusada) as exc:
        repo.balancete(["prefeitura"], 2026, 5, 2)
    assert regras(exc) == ["BAL-PERIODO"]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.balancete(["prefeitura"], 2026, 0, 14)
    assert regras(exc) == ["BAL-PERIODO"]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.balancete(["prefeitura", "rpps"], 2026, 1, 1)
    assert exc.value.erros[0].mensagem == "entidade rpps não existe"


# ----------------------------------------------------------------------- estorno


def test_estorno_devolve_os_saldos(repo: Repositorio) -> None:
    cenario(repo)
    antes = {
        p: repo.balancete(["prefeitura"], 2026, 0, p, por_conta_corrente=True) for p in range(14)
    }
    x = repo.lancar(
        L(dt.date(2026, 3, 10), P(BANCO, "D", "500", CONTA_BANCO), P(CAIXA, "C", "500", FR))
    )
    e = repo.estornar("prefeitura", x.numero, dt.date(2026, 4, 5))  # type: ignore[arg-type]

    assert e.estorno
    assert e.estornado == x.numero
    assert e.historico == f"Estorno do lançamento {x.numero}: Lançamento de teste"
    assert e.partidas == (
        Partida(BANCO, "C", 50000, CONTA_BANCO),
        Partida(CAIXA, "D", 50000, FR),
    )
    assert repo.lancamento("prefeitura", e.numero) == e  # type: ignore[arg-type]

    # Março guarda o lançamento; abril o desfaz.
    marco = figuras(repo.balancete(["prefeitura"], 2026, 3, 3))
    assert marco[BANCO] == (0, 50000, 0, 50000)
    assert marco[CAIXA] == (90000, 0, 50000, 40000)
    abril = figuras(repo.balancete(["prefeitura"], 2026, 4, 4))
    assert abril[BANCO] == (50000, 0, 50000, 0)
    assert abril[CAIXA] == (40000, 50000, 0, 90000)
    for p in range(14):
        depois = repo.balancete(["prefeitura"], 2026, 0, p, por_conta_corrente=True)
        if p < 3:
            assert depois == antes[p]
        elif p >= 4:
            assert saldos_atuais(depois) == saldos_atuais(antes[p]), p
    assert repo.verificar() == []


def test_estorno_na_mesma_data_devolve_todos_os_periodos(repo: Repositorio) -> None:
    cenario(repo)
    antes = {p: saldos_atuais(repo.balancete(["prefeitura"], 2026, 0, p)) for p in range(14)}
    x = repo.lancar(compra(dt.date(2026, 2, 1), "123.45"))
    (ab,) = repo.lancamentos("prefeitura", 2026, 0, 0)  # a abertura do cenário
    repo.estornar("prefeitura", x.numero, dt.date(2026, 2, 1))  # type: ignore[arg-type]
    # Estorno de abertura fica no período 0, qualquer que seja a data pedida.
    e = repo.estornar("prefeitura", ab.numero, dt.date(2026, 6, 30))  # type: ignore[arg-type]
    assert (e.data, e.tipo, e.periodo) == (dt.date(2026, 1, 1), TipoLancamento.ABERTURA, 0)
    repo.lancar(abertura("1000.00"))  # estornada a implantação, ela pode ser refeita
    for p in range(14):
        assert saldos_atuais(repo.balancete(["prefeitura"], 2026, 0, p)) == antes[p], p
    assert repo.verificar() == []


def test_estorno_duplo_e_estorno_de_estorno_recusados(repo: Repositorio, engine: Engine) -> None:
    x = repo.lancar(compra(numero="X1"))
    e = repo.estornar("prefeitura", "X1", dt.date(2026, 1, 20), numero_estorno="E1")
    assert e.numero == "E1"
    antes = estado(engine)
    with pytest.raises(OperacaoRecusada) as exc:
        repo.estornar("prefeitura", "X1", dt.date(2026, 1, 21))
    assert [(r.regra, r.mensagem) for r in exc.value.erros] == [
        ("ESTORNO-DUPLO", "lançamento X1 já foi estornado")
    ]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.estornar("prefeitura", "E1", dt.date(2026, 1, 21))
    assert regras(exc) == ["ESTORNO-DE-ESTORNO"]
    # Estorno montado à mão para o mesmo original também é recusado.
    outro, _ = estornar(x, dt.date(2026, 1, 22), numero="E2")
    assert outro is not None
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar(outro)
    assert regras(exc) == ["ESTORNO-DUPLO"]
    assert estado(engine) == antes


def test_estorno_recusado_por_data_e_original(repo: Repositorio, engine: Engine) -> None:
    repo.lancar(compra(dt.date(2026, 3, 10), numero="X1"))
    antes = estado(engine)
    with pytest.raises(OperacaoRecusada) as exc:
        repo.estornar("prefeitura", "X1", dt.date(2026, 3, 9))
    assert regras(exc) == ["ESTORNO-DATA"]
    assert exc.value.erros[0].mensagem == (
        "estorno não pode ter data anterior à do original (10/03/2026)"
    )
    with pytest.raises(OperacaoRecusada) as exc:
        repo.estornar("prefeitura", "X1", dt.date(2027, 1, 5))
    assert regras(exc) == ["ESTORNO-EXERCICIO"]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.estornar("prefeitura", "NAO", dt.date(2026, 3, 11))
    assert regras(exc) == ["LANC-INEXISTENTE"]
    # Estorno que aponta para número inexistente.
    orfao = compra(dt.date(2026, 3, 11), estorno=True, estornado="NAO")
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar(orfao)
    assert [(r.regra, r.mensagem) for r in exc.value.erros] == [
        ("ESTORNO-ORIGINAL", "lançamento estornado NAO não existe na entidade prefeitura")
    ]
    assert estado(engine) == antes


def test_estorno_no_mesmo_lote_do_original(repo: Repositorio) -> None:
    original = compra(numero="O1")
    e, _ = estornar(original, dt.date(2026, 1, 15), numero="O2")
    assert e is not None
    repo.lancar_lote([original, e])
    assert repo.lancamento("prefeitura", "O2").estornado == "O1"
    assert saldos_atuais(repo.balancete(["prefeitura"], 2026, 0, 13)) == {}
    # A ordem importa: estorno antes do original no lote é recusado.
    original2 = compra(numero="O3")
    e2, _ = estornar(original2, dt.date(2026, 1, 15), numero="O4")
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar_lote([e2, original2])  # type: ignore[list-item]
    assert regras(exc) == ["ESTORNO-ORIGINAL"]


# ------------------------------------------------- operações recusadas não deixam nada


def _fechar_fevereiro(repo: Repositorio) -> None:
    repo.fechar_competencia("prefeitura", 2026, 2, usuario="teste")


def _numero_usado(repo: Repositorio) -> None:
    repo.lancar(compra(numero="N1"))


CASOS_RECUSADOS: list[tuple[str, Callable[[Repositorio], None] | None, list[Lancamento], str]] = [
    (
        "desbalanceado",
        None,
        [L(dt.date(2026, 2, 3), P(IMOBILIZADO, "D", "100"), P(CAIXA, "C", "99.99", FR))],
        "LANC-DESBALANCEADO",
    ),
    (
        "conta inexistente",
        None,
        [L(dt.date(2026, 2, 3), P("9.9.9", "D", "1"), P(CAIXA, "C", "1", FR))],
        "LANC-CONTA",
    ),
    (
        "conta sintetica",
        None,
        [L(dt.date(2026, 2, 3), P("1.1.1.1.1", "D", "1"), P(CAIXA, "C", "1", FR))],
        "LANC-SINTETICA",
    ),
    ("mes fechado", _fechar_fevereiro, [compra(dt.date(2026, 2, 3))], "LANC-COMPETENCIA"),
    ("exercicio nao aberto", None, [compra(dt.date(2027, 2, 3))], "LANC-COMPETENCIA"),
    (
        "numero ja usado",
        _numero_usado,
        [compra(dt.date(2026, 2, 3), numero="N1")],
        "LANC-NUMERO-DUPLICADO",
    ),
    (
        "numero repetido no lote",
        None,
        [compra(dt.date(2026, 2, 3), numero="N2"), compra(dt.date(2026, 2, 4), numero="N2")],
        "LANC-NUMERO-DUPLICADO",
    ),
    (
        "valor zero",
        None,
        [L(dt.date(2026, 2, 3), P(IMOBILIZADO, "D", "0"), P(CAIXA, "C", "0", FR))],
        "LANC-VALOR",
    ),
    (
        "valor negativo",
        None,
        [L(dt.date(2026, 2, 3), Partida(IMOBILIZADO, "D", -100), Partida(CAIXA, "C", -100, FR))],
        "LANC-VALOR",
    ),
    ("entidade inexistente", None, [compra(entidade="rpps")], "LANC-ENTIDADE"),
    (
        "um valido e um invalido",
        None,
        [
            compra(dt.date(2026, 2, 3)),
            compra(dt.date(2026, 2, 4), valor="1")._replace(historico=""),
        ],
        "LANC-HISTORICO",
    ),
]


@pytest.mark.parametrize(
    ("preparo", "lote", "regra"),
    [c[1:] for c in CASOS_RECUSADOS],
    ids=[c[0] for c in CASOS_RECUSADOS],
)
def test_operacao_recusada_nao_muda_nada(
    repo: Repositorio,
    engine: Engine,
    preparo: Callable[[Repositorio], None] | None,
    lote: list[Lancamento],
    regra: str,
) -> None:
    repo.lancar(abertura("1000"))
    if preparo:
        preparo(repo)
    antes = estado(engine)
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar_lote(lote)
    assert regra in regras(exc)
    assert estado(engine) == antes
    assert repo.verificar() == []


def test_entidade_invalida_recusada(repo: Repositorio, engine: Engine) -> None:
    antes = estado(engine)
    with pytest.raises(OperacaoRecusada) as exc:
        repo.criar_entidade(
            Entidade("rpps", "RPPS", "01.602.258/0001-21", TipoEntidade.RPPS, "4312658", "10132")
        )
    assert [(e.regra, e.mensagem) for e in exc.value.erros] == [
        ("ENT-CNPJ", "CNPJ 01602258000121 inválido (dígitos verificadores)")
    ]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.criar_entidade(Entidade("Fundo X", " ", "123", TipoEntidade.FUNDO, "43", "1"))
    assert regras(exc) == ["ENT-SLUG", "ENT-NOME", "ENT-CNPJ", "ENT-IBGE", "ENT-PODER"]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.criar_entidade(
            Entidade(
                "prefeitura", "Outra", CNPJ_PREFEITURA, TipoEntidade.PREFEITURA, "4312658", "10131"
            )
        )
    assert regras(exc) == ["ENT-DUPLICADA", "ENT-DUPLICADA"]
    assert estado(engine) == antes
    assert [e.slug for e in repo.entidades()] == ["prefeitura", "camara"]


def test_lote_com_tres_erros_com_linhas(repo: Repositorio, engine: Engine) -> None:
    lote = [
        compra(dt.date(2026, 1, 5)),  # linha 2: ok
        L(dt.date(2026, 1, 5), P("9.9.9", "D", "1"), P(CAIXA, "C", "1", FR)),  # linha 4
        compra(dt.date(2026, 1, 6)),  # linha 6: ok
        L(dt.date(2026, 1, 7), P(IMOBILIZADO, "D", "2"), P(CAIXA, "C", "1", FR)),  # linha 8
        L(dt.date(2026, 1, 8), P(IMOBILIZADO, "D", "1"), P("1.1", "C", "1")),  # linha 10
    ]
    linhas = [2, 4, 6, 8, 10]
    antes = estado(engine)
    esperado = [
        ("LANC-CONTA", 4, "partida 1"),
        ("LANC-DESBALANCEADO", 8, None),
        ("LANC-SINTETICA", 10, "partida 2"),
    ]
    erros = repo.validar_lote(lote, linhas)
    assert [(e.regra, e.linha, e.campo) for e in erros] == esperado
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar_lote(lote, linhas)
    assert [(e.regra, e.linha, e.campo) for e in exc.value.erros] == esperado
    assert str(exc.value).splitlines()[1] == (
        "linha 8: [LANC-DESBALANCEADO] débitos (2,00) diferentes dos créditos (1,00)"
    )
    assert estado(engine) == antes


# ------------------------------------------------------------------ competências


def test_fechar_e_reabrir_competencia_auditados(repo: Repositorio, engine: Engine) -> None:
    repo.fechar_competencia("prefeitura", 2026, 1, usuario="ana")
    assert repo.competencias("prefeitura", 2026)[:2] == [
        Competencia("prefeitura", 2026, 1, SituacaoCompetencia.FECHADA),
        Competencia("prefeitura", 2026, 2, SituacaoCompetencia.ABERTA),
    ]
    assert all(c.situacao == SituacaoCompetencia.ABERTA for c in repo.competencias("camara", 2026))
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar(compra())
    assert regras(exc) == ["LANC-COMPETENCIA"]

    antes = estado(engine)
    with pytest.raises(OperacaoRecusada) as exc:
        repo.fechar_competencia("prefeitura", 2026, 1, usuario="ana")
    assert [(e.regra, e.mensagem) for e in exc.value.erros] == [
        ("COMP-SITUACAO", "competência 01/2026 de prefeitura já está fechada")
    ]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.reabrir_competencia("prefeitura", 2026, 1, "   ", usuario="bia")
    assert regras(exc) == ["COMP-MOTIVO"]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.reabrir_competencia("prefeitura", 2026, 2, "já aberta", usuario="bia")
    assert regras(exc) == ["COMP-SITUACAO"]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.fechar_competencia("prefeitura", 2027, 1)
    assert regras(exc) == ["COMP-INEXISTENTE"]
    assert estado(engine) == antes

    repo.reabrir_competencia("prefeitura", 2026, 1, " ajuste de estorno ", usuario="bia")
    assert repo.competencias("prefeitura", 2026)[0].situacao == SituacaoCompetencia.ABERTA
    repo.lancar(compra())
    trilha = [(u, a, s, d) for _, u, a, s, d in repo.auditoria("prefeitura")]
    assert trilha == [
        ("teste", "abrir_exercicio", "prefeitura", "exercício 2026"),
        ("ana", "fechar_competencia", "prefeitura", "01/2026"),
        ("bia", "reabrir_competencia", "prefeitura", "01/2026: ajuste de estorno"),
    ]
    assert all(isinstance(q, dt.datetime) for q, *_ in repo.auditoria())
    assert len(repo.auditoria()) == 4  # + abertura do exercício da câmara


def test_abrir_exercicio_idempotente(repo: Repositorio) -> None:
    assert repo.abrir_exercicio("prefeitura", 2026) == 0
    assert repo.abrir_exercicio("prefeitura", 2027, usuario="teste") == 12
    assert len(repo.competencias("prefeitura", 2027)) == 12
    with pytest.raises(OperacaoRecusada) as exc:
        repo.abrir_exercicio("prefeitura", 1800)
    assert regras(exc) == ["EXE-ANO"]


# ------------------------------------------------------------- guardas do banco


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE lancamento SET historico = 'x'",
        "DELETE FROM partida",
        "DELETE FROM lancamento",
        "UPDATE partida SET valor = valor + 1",
    ],
)
def test_razao_somente_inclusao(repo: Repositorio, engine: Engine, sql: str) -> None:
    x = repo.lancar(compra())
    antes = estado(engine)
    with pytest.raises(DBAPIError, match="somente inclusão"), engine.begin() as con:
        con.execute(text(sql))
    assert estado(engine) == antes
    assert repo.lancamento("prefeitura", x.numero) == x  # type: ignore[arg-type]


def test_truncate_recusado_no_postgres(repo: Repositorio, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE só existe no PostgreSQL")
    repo.lancar(compra())
    with pytest.raises(DBAPIError, match="somente inclusão"), engine.begin() as con:
        con.execute(text("TRUNCATE partida"))


def _inserir_cru(
    engine: Engine, numero: str, partidas: list[tuple[str, str, int]], valor: int
) -> None:
    """Insere lançamento e partidas direto no banco, sem passar pelo repositório."""
    with engine.begin() as con:
        eid = con.execute(text("SELECT id FROM entidade WHERE slug = 'prefeitura'")).scalar_one()
        lid = con.execute(text("SELECT coalesce(max(id), 0) + 1 FROM lancamento")).scalar_one()
        con.execute(
            text(
                "INSERT INTO lancamento (id, entidade_id, numero, data, ano, periodo, tipo, livro,"
                " historico, origem, estorno, estornado_id, valor) VALUES (:id, :e, :n, :d, 2026,"
                " 1, 'ordinario', 'C', 'cru', NULL, :f, NULL, :v)"
            ),
            {"id": lid, "e": eid, "n": numero, "d": dt.date(2026, 1, 9), "f": False, "v": valor},
        )
        ids = dict(con.execute(text("SELECT codigo, id FROM conta")).all())
        valores = ", ".join(
            f"({lid}, {seq}, {ids[c]}, '{dc}', {v}, '')"
            for seq, (c, dc, v) in enumerate(partidas, start=1)
        )
        con.execute(
            text(
                "INSERT INTO partida (lancamento_id, seq, conta_id, dc, valor, conta_corrente)"
                f" VALUES {valores}"
            )
        )


def test_postgres_recusa_partidas_desbalanceadas(repo: Repositorio, engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("gatilho de partidas dobradas só no PostgreSQL")
    antes = estado(engine)
    with pytest.raises(DBAPIError, match="não fecha"):
        _inserir_cru(engine, "CRU1", [(IMOBILIZADO, "D", 100), (RESULTADOS, "C", 50)], 100)
    with pytest.raises(DBAPIError, match="não fecha"):  # débitos e créditos iguais, valor não
        _inserir_cru(engine, "CRU2", [(IMOBILIZADO, "D", 100), (RESULTADOS, "C", 100)], 90)
    assert estado(engine) == antes
    # Balanceado passa pelo gatilho, mas sem saldos: verificar() acusa.
    _inserir_cru(engine, "CRU3", [(IMOBILIZADO, "D", 100), (RESULTADOS, "C", 100)], 100)
    assert {e.regra for e in repo.verificar()} == {"VER-SALDO"}


def test_verificar_acusa_lancamento_desbalanceado_inserido_cru(
    repo: Repositorio, engine: Engine
) -> None:
    if engine.dialect.name == "postgresql":
        pytest.skip("no PostgreSQL o gatilho recusa a inserção (teste acima)")
    _inserir_cru(engine, "CRU1", [(IMOBILIZADO, "D", 100), (RESULTADOS, "C", 50)], 100)
    erros = repo.verificar()
    assert [e.mensagem for e in erros if e.regra == "VER-DESBALANCEADO"] == [
        "lançamento CRU1 de prefeitura: débitos, créditos e valor diferem"
    ]
    # Sem passar pelo repositório, os saldos de 1.2.3 e 2.3.7 (períodos 1 a 13) faltam.
    assert sum(e.regra == "VER-SALDO" for e in erros) == 26


def test_verificar_em_faixas_acusa_os_desbalanceados_de_todas_em_ordem(
    repo: Repositorio, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Num banco grande as partidas dobradas se conferem em faixas de ids, feitas
    por quem estiver livre; aqui, com faixas a partir de 1 lançamento, as duas
    faixas têm um desbalanceado cada e os erros saem na ordem do número."""
    from erario.storage import verificacao_razao

    if engine.dialect.name == "postgresql":
        pytest.skip("no PostgreSQL o gatilho recusa a inserção")
    monkeypatch.setattr(verificacao_razao, "LANCAMENTOS_POR_FAIXA", 1)
    _inserir_cru(engine, "CRU2", [(IMOBILIZADO, "D", 100), (RESULTADOS, "C", 50)], 100)
    repo.lancar(L(dt.date(2026, 1, 15), P(IMOBILIZADO, "D", "3"), P(RESULTADOS, "C", "3")))
    _inserir_cru(engine, "CRU1", [(IMOBILIZADO, "D", 100)], 100)
    desbalanceados = [e.mensagem for e in repo.verificar() if e.regra == "VER-DESBALANCEADO"]
    assert desbalanceados == [
        "lançamento CRU1 de prefeitura: tem 1 partida(s), menos que duas",
        "lançamento CRU2 de prefeitura: débitos, créditos e valor diferem",
    ]


def test_tarefas_do_verificar_entregam_resultados_por_tipo_e_o_erro_de_quem_falhou() -> None:
    from erario.storage.verificacao_razao import Tarefas

    def falha() -> None:
        raise ValueError("banco fora do ar")

    tarefas = Tarefas([("a", lambda: 1), ("b", lambda: 2), ("a", lambda: 3)])
    assert tarefas.resultados() == {"a": [1, 3], "b": [2]}
    with pytest.raises(ValueError, match="banco fora do ar"):
        Tarefas([("a", lambda: 1), ("a", falha)]).resultados()


def test_verificar_acusa_conta_sintetica_inserida_crua(repo: Repositorio, engine: Engine) -> None:
    _inserir_cru(engine, "CRU1", [("1.1.0.0.0.00.00", "D", 100), (RESULTADOS, "C", 100)], 100)
    assert [e.mensagem for e in repo.verificar() if e.regra == "VER-SINTETICA"] == [
        "lançamento CRU1 de prefeitura usa a conta sintética 1.1.0.0.0.00.00"
    ]


def test_verificar_acusa_referencias_quebradas_no_sqlite(repo: Repositorio, engine: Engine) -> None:
    """Partida de lançamento inexistente e de conta inexistente (inseridas com as
    chaves estrangeiras desligadas, como numa carga): as duas saem da agregação,
    sem o PRAGMA sobre a tabela partida; o lançamento de entidade inexistente,
    do PRAGMA das outras tabelas."""
    if engine.dialect.name != "sqlite":
        pytest.skip("no PostgreSQL as chaves estrangeiras valem sempre")
    repo.lancar(L(dt.date(2026, 1, 15), P(IMOBILIZADO, "D", "300"), P(RESULTADOS, "C", "300")))
    assert repo.verificar() == []
    from erario.storage.banco import transacao_sem_fk

    with transacao_sem_fk(engine) as con:
        lid = con.execute(text("SELECT max(id) FROM lancamento")).scalar_one()
        con.execute(
            text(
                "INSERT INTO partida (lancamento_id, seq, conta_id, dc, valor, conta_corrente)"
                " VALUES (:l, 3, 99999, 'D', 5, ''), (424242, 1, :c, 'D', 7, '')"
            ),
            {"l": lid, "c": con.execute(text("SELECT min(id) FROM conta")).scalar_one()},
        )
        con.execute(
            text(
                "INSERT INTO lancamento (id, entidade_id, numero, data, ano, periodo, tipo, livro,"
                " historico, origem, estorno, estornado_id, valor) VALUES (515151, 777, 'X', "
                "'2026-01-09', 2026, 1, 'ordinario', 'C', 'cru', NULL, 0, NULL, 1)"
            )
        )
    referencias = sorted(e.mensagem for e in repo.verificar() if e.regra == "VER-REFERENCIA")
    assert referencias == [
        "linha 515151 de lancamento aponta para entidade inexistente",
        "partida 1 do lançamento de id 424242 aponta para lancamento inexistente",
        "partidas apontam para a conta de id 99999, inexistente",
    ]


def test_verificar_saldo_adulterado(repo: Repositorio, engine: Engine) -> None:
    repo.lancar(L(dt.date(2026, 1, 15), P(IMOBILIZADO, "D", "300"), P(RESULTADOS, "C", "300")))
    repo.lancar(abertura("10", "camara"))
    assert repo.verificar() == []
    with engine.begin() as con:
        conta_id = con.execute(
            text("SELECT id FROM conta WHERE codigo = :c"), {"c": IMOBILIZADO}
        ).scalar_one()
        con.execute(
            text(
                "UPDATE saldo SET debito_acum = debito_acum + 1 WHERE periodo = 5 AND conta_id = :c"
            ),
            {"c": conta_id},
        )
    erros = repo.verificar()
    assert [(e.regra, e.mensagem) for e in erros] == [
        (
            "VER-SALDO",
            "saldo de prefeitura 2026 período 5 conta 1.2.3.0.0.00.00 [] livro C: "
            "razão mês D 0,00 C 0,00, acumulado D 300,00 C 0,00, "
            "tabela mês D 0,00 C 0,00, acumulado D 300,01 C 0,00",
        )
    ]
    # O balancete de maio lê a linha adulterada: anterior 300,01 contra 300,00.
    maio = repo.balancete(["prefeitura"], 2026, 5, 5)
    assert figuras(maio)[IMOBILIZADO] == (30001, 0, 0, 30001)
    assert [(e.regra, e.mensagem) for e in conferir_balancete(maio)] == [
        (
            "BAL-NATUREZA",
            "saldos devedores (300,01) e credores (300,00) não fecham na natureza Patrimonial",
        )
    ]


def test_verificar_linha_de_saldo_faltando(repo: Repositorio, engine: Engine) -> None:
    repo.lancar(compra())
    with engine.begin() as con:
        con.execute(text("DELETE FROM saldo WHERE periodo = 13"))
    erros = repo.verificar()
    # Faltam as linhas do período 13 de imobilizado e caixa/FR1500.
    assert [e.regra for e in erros] == ["VER-SALDO", "VER-SALDO"]
    assert all(
        "período 13" in e.mensagem and e.mensagem.endswith("tabela sem linha") for e in erros
    )


# ------------------------------------------------------------------------- plano


def _plano(texto: str, nome: str = "PCASP"):  # type: ignore[no-untyped-def]
    plano, erros = ler_plano_csv(texto, nome)
    assert plano is not None, erros
    return plano


def test_gravar_plano_regras_de_mescla(repo: Repositorio, engine: Engine) -> None:
    assert repo.gravar_plano(_plano(PLANO_TESTE)) == ResumoPlano(0, 0, 28)
    repo.lancar(compra())  # movimenta imobilizado e caixa

    nova = "1.1.1.1.1.07.00;APLICAÇÕES FINANCEIRAS;Devedora;F;P;S;FR\n"
    assert repo.gravar_plano(_plano(PLANO_TESTE + nova)) == ResumoPlano(1, 0, 28)
    assert repo.plano("PCASP").contas["1.1.1.1.1.07.00"].conta_corrente == ("FR",)
    repo.lancar(L(dt.date(2026, 1, 16), P("1.1.1.1.1.07.00", "D", "5", FR), P(CAIXA, "C", "5", FR)))

    imob = "1.2.3.0.0.00.00;IMOBILIZADO;Devedora;P;P;S;\n"
    assert imob in PLANO_TESTE
    antes = estado(engine)
    sintetico = PLANO_TESTE.replace(imob, imob.replace(";S;", ";N;"))
    outra_nova = "1.1.1.1.1.08.00;OUTRA;Devedora;F;P;S;FR\n"
    with pytest.raises(OperacaoRecusada) as exc:
        repo.gravar_plano(_plano(sintetico + outra_nova))
    assert [(e.regra, e.mensagem) for e in exc.value.erros] == [
        (
            "PLANO-MOVIMENTADA",
            "conta 1.2.3.0.0.00.00 já tem lançamentos: não pode mudar escrituração nem "
            "conta corrente",
        )
    ]
    caixa = "1.1.1.1.1.01.00;CAIXA;Devedora;F;P;S;FR\n"
    with pytest.raises(OperacaoRecusada) as exc:
        repo.gravar_plano(_plano(PLANO_TESTE.replace(caixa, caixa.replace(";FR", ";FR,DB"))))
    assert regras(exc) == ["PLANO-MOVIMENTADA"]
    assert estado(engine) == antes  # nem a conta nova entrou
    assert repo.plano("PCASP").contas[IMOBILIZADO].analitica

    # Título de conta movimentada pode mudar; escrituração de conta sem movimento também.
    renomeado = PLANO_TESTE.replace("IMOBILIZADO;", "IMOBILIZADO (BENS MÓVEIS);")
    vpd = "3.3.0.0.0.00.00;USO DE BENS, SERVIÇOS E CONSUMO DE CAPITAL FIXO;Devedora;;P;S;\n"
    assert vpd in renomeado
    renomeado = renomeado.replace(vpd, vpd.replace(";S;", ";N;"))
    assert repo.gravar_plano(_plano(renomeado)) == ResumoPlano(0, 2, 26)
    contas = repo.plano("PCASP").contas
    assert contas[IMOBILIZADO].titulo == "IMOBILIZADO (BENS MÓVEIS)"
    assert not contas[VPD].analitica
    assert len(contas) == 29
    assert repo.verificar() == []


def test_gravar_plano_com_outra_mascara_recusado(repo: Repositorio) -> None:
    doze = "CONTA;TÍTULO\n1.0.0.0.0.00.00.00.00.00.00.000;ATIVO\n"
    with pytest.raises(OperacaoRecusada) as exc:
        repo.gravar_plano(_plano(doze))
    assert [(e.regra, e.mensagem) for e in exc.value.erros] == [
        (
            "PLANO-MASCARA",
            "o plano PCASP usa a máscara X.X.X.X.X.XX.XX, não X.X.X.X.X.XX.XX.XX.XX.XX.XX.XXX",
        )
    ]
    assert repo.gravar_plano(_plano(doze, "TCE-RS")) == ResumoPlano(1, 0, 0)
    assert repo.planos() == ["PCASP", "TCE-RS"]


# -------------------------------------------------------------------- migrações


def test_migracoes_criam_exatamente_o_esquema(engine: Engine) -> None:
    # compare_metadata compara tabelas, colunas, tipos, nulabilidade, índices e
    # restrições únicas; defaults de servidor ficam de fora (compare_server_default
    # é falso por padrão), e aqui não há diferença a ignorar.
    with engine.connect() as con:
        diferencas = compare_metadata(MigrationContext.configure(con), esquema.metadata)
    assert diferencas == []
    assert esquema_atualizado(engine)
    atualizar_esquema(engine)  # idempotente
    assert esquema_atualizado(engine)
    with engine.connect() as con:
        versao = MigrationContext.configure(con).get_current_revision()
    assert versao == "0018"
    # o atalho da partida da CLI (sem importar o Alembic) conhece a mesma revisão
    from erario.storage.banco import _revisao_mais_nova

    assert _revisao_mais_nova() == versao


# ------------------------------------------------------- defeitos conhecidos


def test_numero_automatico_que_colide_com_informado_e_recusado(repo: Repositorio) -> None:
    repo.lancar(compra(numero="20260000000002"))  # recebe o id 1
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar(compra())  # id 2 → número automático 20260000000002, já usado
    assert regras(exc) == ["LANC-NUMERO-DUPLICADO"]
    assert len(repo.lancamentos("prefeitura", 2026)) == 1  # nada gravado


def test_dois_estornos_do_mesmo_original_no_lote(repo: Repositorio) -> None:
    x = repo.lancar(compra(numero="X1"))
    e1, _ = estornar(x, dt.date(2026, 1, 20), numero="E1")
    e2, _ = estornar(x, dt.date(2026, 1, 21), numero="E2")
    with pytest.raises(OperacaoRecusada) as exc:
        repo.lancar_lote([e1, e2])  # type: ignore[list-item]
    assert "ESTORNO-DUPLO" in regras(exc)


@pytest.mark.parametrize(
    "kw", [{"estorno": True}, {"estornado": "X1"}], ids=["sem-estornado", "sem-flag"]
)
def test_marca_de_estorno_incoerente_recusada(repo: Repositorio, kw: dict[str, object]) -> None:
    repo.lancar(compra(numero="X1"))
    with pytest.raises(OperacaoRecusada):
        repo.lancar(compra(dt.date(2026, 1, 16), **kw))


def test_erro_cru_do_banco_tambem_nao_deixa_nada(repo: Repositorio, engine: Engine) -> None:
    # Enquanto os defeitos acima existem, ao menos a transação desfaz tudo.
    x = repo.lancar(compra(numero="20260000000002"))
    antes = estado(engine)
    e1, _ = estornar(x, dt.date(2026, 1, 20), numero="E1")
    e2, _ = estornar(x, dt.date(2026, 1, 21), numero="E2")
    for lote in ([compra()], [e1, e2], [compra(estorno=True)]):
        with pytest.raises(Exception):  # noqa: B017 - erro cru do driver, varia com o banco
            repo.lancar_lote(lote)  # type: ignore[arg-type]
        assert estado(engine) == antes
    assert repo.verificar() == []
