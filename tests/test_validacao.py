"""Regras de validade de um lançamento: uma por código do docstring de ``validacao``."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erario.razao.modelo import (
    Lancamento,
    Partida,
    PlanoContas,
    SituacaoCompetencia,
    TipoLancamento,
)
from erario.razao.plano import ler_plano_csv
from erario.razao.validacao import Validador, ler_conta_corrente
from tests.conftest import CNPJ_CAMARA, PLANO_TESTE

CAIXA = "1.1.1.1.1.01.00"  # exige FR
BANCO = "1.1.1.1.1.06.00"  # exige FR e DB
IMOBILIZADO = "1.2.3.0.0.00.00"  # sem conta corrente
FORNECEDORES = "2.1.3.0.0.00.00"  # exige FR e CR
RESULTADOS = "2.3.7.0.0.00.00"
VPA = "4.1.0.0.0.00.00"
FIXACAO = "5.2.2.0.0.00.00"  # orçamentária, FR
EXECUCAO = "6.2.2.0.0.00.00"  # orçamentária, FR
CPF_VALIDO = "52998224725"


def situacao(entidade: str, ano: int, mes: int) -> SituacaoCompetencia | None:
    """Prefeitura com 2026 aberto, exceto março fechado; nada mais existe."""
    if entidade != "prefeitura" or ano != 2026:
        return None
    return SituacaoCompetencia.FECHADA if mes == 3 else SituacaoCompetencia.ABERTA


@pytest.fixture(scope="module")
def plano() -> PlanoContas:
    p, erros = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert p is not None, erros
    return p


@pytest.fixture
def validador(plano: PlanoContas) -> Validador:
    return Validador(plano, situacao)


def lanc(*partidas: Partida, **kw: object) -> Lancamento:
    base: dict[str, object] = {
        "entidade": "prefeitura",
        "data": dt.date(2026, 1, 15),
        "historico": "Aquisição de equipamento",
        "partidas": partidas,
    }
    base.update(kw)
    return Lancamento(**base)  # type: ignore[arg-type]


def P(conta: str, dc: str, centavos: int, cc: str = "") -> Partida:
    return Partida(conta, dc, centavos, cc)


OK = (P(IMOBILIZADO, "D", 10000), P(CAIXA, "C", 10000, "FR=1500"))


def regras(v: Validador, lc: Lancamento) -> list[tuple[str, str | None]]:
    normal, erros = v.validar(lc)
    assert normal is None
    return [(e.regra, e.campo) for e in erros]


def unico(v: Validador, lc: Lancamento) -> str:
    normal, erros = v.validar(lc)
    assert normal is None
    assert len(erros) == 1, erros
    return f"{erros[0].regra}|{erros[0].campo}|{erros[0].mensagem}"


# ------------------------------------------------------------------- válido


def test_lancamento_valido_normalizado(validador: Validador) -> None:
    lc = lanc(
        P("123", "D", 10000),  # só dígitos: 1.2.3.0.0.00.00
        P("1.1.1.1.1.06", "C", 6000, "db=001-1234-5 | FR=1500"),  # truncado, cc fora de ordem
        P(CAIXA, "C", 4000, "FR=1500"),
        historico="  Compra de computadores  ",
    )
    normal, erros = validador.validar(lc)
    assert erros == []
    assert normal is not None
    assert normal.historico == "Compra de computadores"
    assert normal.partidas == (
        P(IMOBILIZADO, "D", 10000),
        P(BANCO, "C", 6000, "FR=1500|DB=001-1234-5"),
        P(CAIXA, "C", 4000, "FR=1500"),
    )
    assert normal.total.centavos == 10000


def test_valido_com_varias_naturezas(validador: Validador) -> None:
    lc = lanc(
        P(IMOBILIZADO, "D", 50000),
        P(FORNECEDORES, "C", 50000, f"FR=1500|CR={CNPJ_CAMARA}"),
        P(FIXACAO, "D", 50000, "FR=1500"),
        P(EXECUCAO, "C", 30000, "FR=1500"),
        P(EXECUCAO, "C", 20000, "FR=1501"),
    )
    normal, erros = validador.validar(lc)
    assert erros == []
    assert normal is not None


# ------------------------------------------------------------ regra por regra


def test_lanc_partidas(validador: Validador) -> None:
    assert unico(validador, lanc(P(IMOBILIZADO, "D", 100))) == (
        "LANC-PARTIDAS|None|o lançamento precisa de ao menos duas partidas"
    )
    assert regras(validador, lanc()) == [("LANC-PARTIDAS", None)]


def test_lanc_conta(validador: Validador) -> None:
    lc = lanc(P("9.9.9.0.0.00.00", "D", 100), P(CAIXA, "C", 100, "FR=1500"))
    assert unico(validador, lc) == "LANC-CONTA|partida 1|conta 9.9.9.0.0.00.00 não existe no plano"
    lc = lanc(P(IMOBILIZADO, "D", 100), P("1.1.1.1.1.1.00", "C", 100))  # fora da máscara
    assert unico(validador, lc) == "LANC-CONTA|partida 2|conta 1.1.1.1.1.1.00 não existe no plano"


def test_lanc_sintetica(validador: Validador) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P("1.1.1", "C", 100))
    assert unico(validador, lc) == (
        "LANC-SINTETICA|partida 2|conta 1.1.1.0.0.00.00 é sintética e não recebe lançamentos"
    )


@pytest.mark.parametrize("dc", ["X", "d", "", "DC"])
def test_lanc_dc(validador: Validador, dc: str) -> None:
    lc = lanc(P(IMOBILIZADO, dc, 100), P(RESULTADOS, "C", 100))
    assert unico(validador, lc) == f"LANC-DC|partida 1|natureza '{dc}' inválida: use D ou C"


@pytest.mark.parametrize("centavos", [0, -100])
def test_lanc_valor(validador: Validador, centavos: int) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(RESULTADOS, "C", centavos))
    assert unico(validador, lc) == "LANC-VALOR|partida 2|valor deve ser positivo"


def test_lanc_valor_nao_inteiro(validador: Validador) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(RESULTADOS, "C", 1.5))  # type: ignore[arg-type]
    assert unico(validador, lc) == "LANC-VALOR|partida 2|valor deve ser positivo"


def test_lanc_cc_ausente(validador: Validador) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(BANCO, "C", 100, "FR=1500"))
    assert unico(validador, lc) == (
        "LANC-CC|partida 2|conta 1.1.1.1.1.06.00 exige conta corrente DB (domicílio bancário)"
    )
    lc = lanc(P(IMOBILIZADO, "D", 100), P(BANCO, "C", 100))
    assert unico(validador, lc) == (
        "LANC-CC|partida 2|conta 1.1.1.1.1.06.00 exige conta corrente FR (fonte de recurso), "
        "DB (domicílio bancário)"
    )


def test_lanc_cc_a_mais(validador: Validador) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100, "FR=1500"), P(RESULTADOS, "C", 100))
    assert unico(validador, lc) == (
        "LANC-CC|partida 1|conta 1.2.3.0.0.00.00 não controla conta corrente FR"
    )
    lc = lanc(P(IMOBILIZADO, "D", 100), P(CAIXA, "C", 100, "FR=1500|DB=1-2"))
    assert (
        unico(validador, lc)
        == "LANC-CC|partida 2|conta 1.1.1.1.1.01.00 não controla conta corrente DB"
    )


@pytest.mark.parametrize(
    ("cc", "mensagem"),
    [
        ("FR=15", "conta corrente FR='15' inválida: de 3 a 8 dígitos (fonte STN e complemento)"),
        (
            "FR=15A0",
            "conta corrente FR='15A0' inválida: de 3 a 8 dígitos (fonte STN e complemento)",
        ),
        ("FR=", "conta corrente FR='' inválida: de 3 a 8 dígitos (fonte STN e complemento)"),
    ],
)
def test_lanc_cc_formato(validador: Validador, cc: str, mensagem: str) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(CAIXA, "C", 100, cc))
    # Um só erro: o tipo presente mas inválido não se repete como ausente.
    assert unico(validador, lc) == f"LANC-CC|partida 2|{mensagem}"


def test_lanc_cc_tipo_desconhecido_e_repetido(validador: Validador) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(CAIXA, "C", 100, "FR=1500|XX=1"))
    _, erros = validador.validar(lc)
    assert [e.regra for e in erros] == ["LANC-CC"]
    assert erros[0].mensagem.startswith(
        "conta corrente 'XX=1' inválida: use TIPO=valor com TIPO em PO, FP"
    )
    lc = lanc(P(IMOBILIZADO, "D", 100), P(CAIXA, "C", 100, "FR=1500|FR=1501"))
    assert unico(validador, lc) == "LANC-CC|partida 2|tipo de conta corrente FR repetido"


@pytest.mark.parametrize(
    "credor",
    [
        "01602258000121",  # CNPJ com dígito verificador errado
        "52998224724",  # CPF com dígito verificador errado
        "11111111111",
    ],
)
def test_lanc_cc_credor_com_digito_errado(validador: Validador, credor: str) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(FORNECEDORES, "C", 100, f"FR=1500|CR={credor}"))
    assert unico(validador, lc) == (
        f"LANC-CC|partida 2|credor {credor}: CPF/CNPJ com dígito verificador inválido"
    )


@pytest.mark.parametrize("credor", [CNPJ_CAMARA, CPF_VALIDO])
def test_lanc_cc_credor_valido(validador: Validador, credor: str) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(FORNECEDORES, "C", 100, f"CR={credor}|FR=1500"))
    normal, erros = validador.validar(lc)
    assert erros == []
    assert normal is not None
    assert normal.partidas[1].conta_corrente == f"FR=1500|CR={credor}"


def test_lanc_cc_credor_com_tamanho_errado(validador: Validador) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 100), P(FORNECEDORES, "C", 100, "FR=1500|CR=123"))
    assert unico(validador, lc) == (
        "LANC-CC|partida 2|conta corrente CR='123' inválida: CPF (11) ou CNPJ (14 dígitos)"
    )


def test_ler_conta_corrente() -> None:
    assert ler_conta_corrente("") == ({}, [])
    assert ler_conta_corrente(" fr = 1500 |DB=001-2") == ({"FR": "1500", "DB": "001-2"}, [])
    atributos, erros = ler_conta_corrente("FR1500")
    assert atributos == {}
    assert [e.regra for e in erros] == ["LANC-CC"]


def test_lanc_desbalanceado(validador: Validador) -> None:
    # Débitos 1.234,56; créditos 1.000,00 + 234,50 = 1.234,50.
    lc = lanc(
        P(IMOBILIZADO, "D", 123456),
        P(CAIXA, "C", 100000, "FR=1500"),
        P(CAIXA, "C", 23450, "FR=1501"),
    )
    assert unico(validador, lc) == (
        "LANC-DESBALANCEADO|None|débitos (1.234,56) diferentes dos créditos (1.234,50)"
    )


def test_lanc_desbalanceado_milhoes(validador: Validador) -> None:
    lc = lanc(P(IMOBILIZADO, "D", 123456789), P(RESULTADOS, "C", 5))
    assert unico(validador, lc) == (
        "LANC-DESBALANCEADO|None|débitos (1.234.567,89) diferentes dos créditos (0,05)"
    )


def test_lanc_natureza(validador: Validador) -> None:
    # Débito 100,00 na classe 1 (patrimonial) e crédito 100,00 na classe 5
    # (orçamentária): o total fecha, mas cada subsistema fica com diferença.
    lc = lanc(P(IMOBILIZADO, "D", 10000), P(FIXACAO, "C", 10000, "FR=1500"))
    _, erros = validador.validar(lc)
    assert [(e.regra, e.mensagem) for e in erros] == [
        (
            "LANC-NATUREZA",
            "débitos e créditos não fecham na natureza Patrimonial (diferença 100,00)",
        ),
        (
            "LANC-NATUREZA",
            "débitos e créditos não fecham na natureza Orçamentária (diferença -100,00)",
        ),
    ]


def test_lanc_natureza_controle(validador: Validador) -> None:
    # 7.2 (controle) debitada contra 2.3.7 (patrimonial): 0,01 de diferença.
    lc = lanc(P("7.2", "D", 1, "FR=1500"), P(RESULTADOS, "C", 1))
    _, erros = validador.validar(lc)
    assert [e.mensagem for e in erros] == [
        "débitos e créditos não fecham na natureza Controle (diferença 0,01)",
        "débitos e créditos não fecham na natureza Patrimonial (diferença -0,01)",
    ]


@pytest.mark.parametrize(
    ("historico", "mensagem"),
    [
        ("", "histórico é obrigatório"),
        ("   \t\n", "histórico é obrigatório"),
        ("x" * 501, "histórico passa de 500 caracteres"),
    ],
)
def test_lanc_historico(validador: Validador, historico: str, mensagem: str) -> None:
    assert unico(validador, lanc(*OK, historico=historico)) == (
        f"LANC-HISTORICO|historico|{mensagem}"
    )


def test_lanc_historico_limite(validador: Validador) -> None:
    normal, erros = validador.validar(lanc(*OK, historico=" " + "x" * 500 + " "))
    assert erros == []
    assert normal is not None
    assert len(normal.historico) == 500


@pytest.mark.parametrize("numero", ["", "12345678901234567"])
def test_lanc_numero(validador: Validador, numero: str) -> None:
    assert unico(validador, lanc(*OK, numero=numero)) == (
        "LANC-NUMERO|numero|número de controle deve ter de 1 a 16 caracteres"
    )


@pytest.mark.parametrize("numero", [None, "1", "1234567890123456"])
def test_numero_aceito(validador: Validador, numero: str | None) -> None:
    assert validador.validar(lanc(*OK, numero=numero))[1] == []


def test_lanc_competencia_fechada(validador: Validador) -> None:
    assert unico(validador, lanc(*OK, data=dt.date(2026, 3, 31))) == (
        "LANC-COMPETENCIA|data|competência 03/2026 está fechada: reabra-a antes de lançar"
    )


def test_lanc_competencia_nao_aberta(validador: Validador) -> None:
    assert unico(validador, lanc(*OK, data=dt.date(2027, 1, 2))) == (
        "LANC-COMPETENCIA|data|exercício 2027 não está aberto para a entidade prefeitura"
    )
    assert unico(validador, lanc(*OK, entidade="camara")) == (
        "LANC-COMPETENCIA|data|exercício 2026 não está aberto para a entidade camara"
    )


def test_lanc_abertura(validador: Validador) -> None:
    assert unico(validador, lanc(*OK, data=dt.date(2026, 1, 2), tipo=TipoLancamento.ABERTURA)) == (
        "LANC-ABERTURA|data|lançamento de abertura deve ter data de 1º de janeiro"
    )
    normal, erros = validador.validar(
        lanc(*OK, data=dt.date(2026, 1, 1), tipo=TipoLancamento.ABERTURA)
    )
    assert erros == []
    assert normal is not None
    assert normal.periodo == 0


def test_encerramento_e_periodo_13(validador: Validador) -> None:
    normal, erros = validador.validar(
        lanc(*OK, data=dt.date(2026, 12, 31), tipo=TipoLancamento.ENCERRAMENTO)
    )
    assert erros == []
    assert normal is not None
    assert normal.periodo == 13


# ---------------------------------------------------------- vários de uma vez


def test_varios_erros_no_mesmo_lancamento(validador: Validador) -> None:
    lc = lanc(
        P("9.9.9", "D", 100),  # partida 1: conta inexistente
        P("1.1.0.0.0.00.00", "D", 100),  # 2: sintética
        P(IMOBILIZADO, "X", 100),  # 3: natureza D/C
        P(RESULTADOS, "C", 0),  # 4: valor
        P(CAIXA, "C", 100),  # 5: sem conta corrente
        P(FORNECEDORES, "C", 100, "FR=1500|CR=01602258000121"),  # 6: credor inválido
        historico=" ",
        numero="N" * 17,
        tipo=TipoLancamento.ABERTURA,
        data=dt.date(2026, 3, 1),  # não é 1º/jan e março está fechado
    )
    assert regras(validador, lc) == [
        ("LANC-HISTORICO", "historico"),
        ("LANC-NUMERO", "numero"),
        ("LANC-ABERTURA", "data"),
        ("LANC-COMPETENCIA", "data"),
        ("LANC-CONTA", "partida 1"),
        ("LANC-SINTETICA", "partida 2"),
        ("LANC-DC", "partida 3"),
        ("LANC-VALOR", "partida 4"),
        ("LANC-CC", "partida 5"),
        ("LANC-CC", "partida 6"),
    ]


def test_varias_partidas_desbalanceadas_e_naturezas(validador: Validador) -> None:
    # Desbalanceado no total: a regra por natureza não se soma à do total.
    lc = lanc(P(IMOBILIZADO, "D", 300), P(FIXACAO, "C", 100, "FR=1500"))
    assert regras(validador, lc) == [("LANC-DESBALANCEADO", None)]


def test_cache_nao_mistura_contas(validador: Validador) -> None:
    # Mesmo texto de conta corrente em contas diferentes: resultados diferentes.
    assert (
        validador.validar(lanc(P(FIXACAO, "D", 5, "FR=1500"), P(EXECUCAO, "C", 5, "FR=1500")))[1]
        == []
    )
    _, erros = validador.validar(lanc(P(IMOBILIZADO, "D", 5, "FR=1500"), P(RESULTADOS, "C", 5)))
    assert [e.regra for e in erros] == ["LANC-CC"]
    assert validador.conta("123") is validador.conta("1.2.3")
    assert validador.conta("9") is None


@pytest.mark.parametrize("cc", ["FR=١٥٠٠", "FR=１５００"])
def test_conta_corrente_so_digitos_ascii(cc: str) -> None:
    _, erros = ler_conta_corrente(cc)
    assert [e.regra for e in erros] == ["LANC-CC"]


# ------------------------------------------------------------ validar_gerado
_PARTIDAS_G = st.builds(
    P,
    st.sampled_from([IMOBILIZADO, CAIXA, BANCO, FIXACAO, EXECUCAO, "1.2.3", "9.9.9", "1.0.0"]),
    st.sampled_from(["D", "C", "D", "C", "X"]),
    st.sampled_from([10000, 10000, 10000, 5000, 0]),
    st.sampled_from(["", "FR=1500", "FR=1500|DB=001-1", "FR=15", "DB=001-1|FR=1500", "FR=1500 "]),
)
_VALIDAS_G = st.sampled_from(
    [
        [(IMOBILIZADO, ""), (CAIXA, "FR=1500"), (BANCO, "FR=1500|DB=001-1"), (BANCO, "FR=1")],
        [(FIXACAO, "FR=1500"), (EXECUCAO, "FR=1500"), (EXECUCAO, "FR=2500")],
    ]
)
# Débito e crédito de mesmo valor numa natureza (o que um roteiro gera), às vezes
# com natureza trocada entre os lados.
_PARES_G = st.tuples(_VALIDAS_G, st.integers(0, 3), st.integers(0, 3), _VALIDAS_G).map(
    lambda t: (
        P(*t[0][t[1] % len(t[0])][:1], "D", 700, t[0][t[1] % len(t[0])][1]),
        P(*t[3][t[2] % len(t[3])][:1], "C", 700, t[3][t[2] % len(t[3])][1]),
    )
)
_LANCS_G = st.builds(
    lambda partidas, historico, numero, mes, tipo: lanc(
        *partidas,
        historico=historico,
        numero=numero,
        data=dt.date(2026, mes, 1),
        tipo=tipo,
    ),
    st.tuples(st.lists(_PARES_G, max_size=3), st.lists(_PARTIDAS_G, max_size=2)).map(
        lambda t: tuple(x for par in t[0] for x in par) + tuple(t[1])
    ),
    st.sampled_from(["Empenho E1", " Empenho E1", "", "x" * 501]),
    st.sampled_from(["EVE1", None, "", "x" * 17]),
    st.sampled_from([1, 2, 3]),
    st.sampled_from([TipoLancamento.ORDINARIO, TipoLancamento.ABERTURA]),
)
_VALIDADOR_COMPARTILHADO: list[Validador] = []


@settings(max_examples=400, deadline=None)
@given(_LANCS_G)
def test_validar_gerado_igual_a_validar(lc: Lancamento) -> None:
    """Caminho curto dos lançamentos de roteiro: mesmo resultado de ``validar`` em
    qualquer lançamento (válido, a normalizar ou com erros)."""
    p, _ = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert p is not None
    if not _VALIDADOR_COMPARTILHADO:
        _VALIDADOR_COMPARTILHADO.append(Validador(p, situacao))
    esperado = Validador(p, situacao).validar(lc)
    assert Validador(p, situacao).validar_gerado(lc) == esperado
    assert _VALIDADOR_COMPARTILHADO[0].validar_gerado(lc) == esperado
