"""Dinheiro: Decimal com duas casas, nunca float; conversões de texto em centavos."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erario.core.dinheiro import (
    Dinheiro,
    ValorInvalido,
    centavos_de_texto,
    formatar_brl,
    texto_de_centavos,
)

# ---------------------------------------------------------------- construção


@pytest.mark.parametrize("valor", [10.5, 0.1, 1.0, True, False])
def test_recusa_float_e_bool(valor: object) -> None:
    with pytest.raises(TypeError, match="float nem bool"):
        Dinheiro(valor)  # type: ignore[arg-type]


@pytest.mark.parametrize("valor", ["10.005", Decimal("10.005"), "0.001", "1e-3"])
def test_recusa_tres_casas(valor: str | Decimal) -> None:
    with pytest.raises(ValorInvalido, match="mais de duas casas"):
        Dinheiro(valor)


@pytest.mark.parametrize("valor", ["abc", "", "1,50", "NaN", "Infinity", "-Infinity"])
def test_recusa_texto_invalido(valor: str) -> None:
    with pytest.raises(ValorInvalido, match="inválido"):
        Dinheiro(valor)


@pytest.mark.parametrize(
    ("entrada", "texto", "centavos"),
    [
        ("10.5", "10.50", 1050),
        ("10", "10.00", 1000),
        (10, "10.00", 1000),
        (Decimal("0.01"), "0.01", 1),
        ("-3.2", "-3.20", -320),
        ("1E+2", "100.00", 10000),
        ("10.500", "10.50", 1050),  # zeros à direita não são casas significativas
    ],
)
def test_aceita_e_normaliza_duas_casas(
    entrada: str | int | Decimal, texto: str, centavos: int
) -> None:
    d = Dinheiro(entrada)
    assert str(d) == texto
    assert d.valor.as_tuple().exponent == -2
    assert d.centavos == centavos


def test_de_centavos_e_zero() -> None:
    assert Dinheiro.de_centavos(123456) == Dinheiro("1234.56")
    assert Dinheiro.de_centavos(-5) == Dinheiro("-0.05")
    assert Dinheiro.zero() == Dinheiro("0")
    assert not Dinheiro.zero()
    assert Dinheiro("0.01")
    with pytest.raises(TypeError):
        Dinheiro.de_centavos(True)
    with pytest.raises(TypeError):
        Dinheiro.de_centavos(1.0)  # type: ignore[arg-type]


# ---------------------------------------------------------------- aritmética


def test_soma_exata_sem_erro_binario() -> None:
    # Em float, 0.1 + 0.2 == 0.30000000000000004; aqui é exato.
    assert Dinheiro("0.10") + Dinheiro("0.20") == Dinheiro("0.30")
    assert (Dinheiro("0.10") + Dinheiro("0.20")).centavos == 30
    total = Dinheiro.zero()
    for _ in range(10):
        total = total + Dinheiro("0.10")
    assert total == Dinheiro("1.00")


def test_subtracao_negacao_absoluto() -> None:
    assert Dinheiro("100.00") - Dinheiro("0.01") == Dinheiro("99.99")
    assert Dinheiro("1.00") - Dinheiro("2.50") == Dinheiro("-1.50")
    assert -Dinheiro("3.10") == Dinheiro("-3.10")
    assert abs(Dinheiro("-3.10")) == Dinheiro("3.10")


def test_multiplicacao_exata_devolve_decimal() -> None:
    # 10,01 × 3 = 30,03; 10,01 × 0,275 = 2,75275 (sem arredondar).
    assert Dinheiro("10.01") * 3 == Decimal("30.03")
    assert 3 * Dinheiro("10.01") == Decimal("30.03")
    produto = Dinheiro("10.01") * Decimal("0.275")
    assert produto == Decimal("2.75275")
    assert Dinheiro.arredondar(produto) == Dinheiro("2.75")
    with pytest.raises(TypeError):
        Dinheiro("1.00") * 1.5
    with pytest.raises(TypeError):
        Dinheiro("1.00") * True


def test_operacoes_com_outros_tipos_recusadas() -> None:
    with pytest.raises(TypeError):
        Dinheiro("1.00") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        Dinheiro("1.00") - Decimal("1")  # type: ignore[operator]
    assert Dinheiro("1.00") != Decimal("1.00")  # só se compara com Dinheiro


def test_ordenacao_igualdade_hash() -> None:
    assert Dinheiro("1.99") < Dinheiro("2.00") <= Dinheiro("2")
    assert Dinheiro("-0.01") < Dinheiro.zero()
    assert max(Dinheiro("5"), Dinheiro("5.01"), Dinheiro("-7")) == Dinheiro("5.01")
    assert Dinheiro("2.5") == Dinheiro("2.50")
    assert len({Dinheiro("2.5"), Dinheiro("2.50"), Dinheiro(Decimal("2.500"))}) == 1


def test_repr_str_brl() -> None:
    d = Dinheiro("1234567.8")
    assert str(d) == "1234567.80"
    assert repr(d) == "Dinheiro('1234567.80')"
    assert d.brl() == "1.234.567,80"
    assert Dinheiro("-0.5").brl() == "-0,50"


# -------------------------------------------------------------- arredondamento


@pytest.mark.parametrize(
    ("valor", "meio_para_cima", "meio_par"),
    [
        ("2.345", "2.35", "2.34"),  # empate: HALF_UP sobe, HALF_EVEN fica no par (4)
        ("2.355", "2.36", "2.36"),  # empate: o par mais próximo é 6
        ("2.3450001", "2.35", "2.35"),  # acima do meio: ambos sobem
        ("2.3449999", "2.34", "2.34"),  # abaixo do meio: ambos descem
        ("0.005", "0.01", "0.00"),
        ("0.015", "0.02", "0.02"),
        ("-2.345", "-2.35", "-2.34"),  # HALF_UP afasta do zero
        ("7", "7.00", "7.00"),
    ],
)
def test_arredondar_modos(valor: str, meio_para_cima: str, meio_par: str) -> None:
    assert Dinheiro.arredondar(Decimal(valor)) == Dinheiro(meio_para_cima)  # padrão HALF_UP
    assert Dinheiro.arredondar(Decimal(valor), ROUND_HALF_UP) == Dinheiro(meio_para_cima)
    assert Dinheiro.arredondar(Decimal(valor), ROUND_HALF_EVEN) == Dinheiro(meio_par)


def test_arredondar_recusa_float() -> None:
    with pytest.raises(TypeError):
        Dinheiro.arredondar(2.345)  # type: ignore[arg-type]


# ------------------------------------------------------------ texto ↔ centavos


@pytest.mark.parametrize(
    ("texto", "centavos"),
    [
        ("1234.56", 123456),
        ("1234,56", 123456),
        ("1234,5", 123450),
        ("1234.5", 123450),
        ("7", 700),
        ("0", 0),
        ("0.01", 1),
        ("007.07", 707),
        ("9999999999999999.99", 999999999999999999),  # 16 dígitos de reais
    ],
)
def test_centavos_de_texto_aceita(texto: str, centavos: int) -> None:
    assert centavos_de_texto(texto) == centavos


@pytest.mark.parametrize(
    "texto",
    [
        "1.234,56",  # separador de milhar
        "1,234.56",
        "-1",  # sinal
        "+1",
        "",
        " 1",
        "1.",
        ".5",
        "1e3",
        "abc",
    ],
)
def test_centavos_de_texto_recusa(texto: str) -> None:
    with pytest.raises(ValorInvalido, match="use dígitos e até duas casas decimais"):
        centavos_de_texto(texto)


@pytest.mark.parametrize("texto", ["12345678901234567", "100000000000000000000", "1" * 20 + ",50"])
def test_centavos_de_texto_grande_demais(texto: str) -> None:
    """17 dígitos de reais ou mais: "grande demais", não "use dígitos"."""
    with pytest.raises(ValorInvalido, match="grande demais"):
        centavos_de_texto(texto)


@pytest.mark.parametrize("texto", ["1.005", "1,005", "10.1234"])
def test_centavos_de_texto_recusa_mais_de_duas_casas(texto: str) -> None:
    with pytest.raises(ValorInvalido, match="mais de duas casas") as exc:
        centavos_de_texto(texto)
    assert str(exc.value) == f"valor '{texto}' tem mais de duas casas decimais"


@pytest.mark.parametrize(
    ("centavos", "texto"),
    [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (100, "1.00"), (123456, "1234.56"), (-100, "-1.00")],
)
def test_texto_de_centavos(centavos: int, texto: str) -> None:
    assert texto_de_centavos(centavos) == texto


@pytest.mark.parametrize(
    ("centavos", "texto"),
    [
        (123456789, "1.234.567,89"),
        (123456, "1.234,56"),
        (100000, "1.000,00"),
        (99999, "999,99"),
        (0, "0,00"),
        (7, "0,07"),
        (-123456789, "-1.234.567,89"),
    ],
)
def test_formatar_brl(centavos: int, texto: str) -> None:
    assert formatar_brl(centavos) == texto


# ----------------------------------------------------------------- propriedades


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_propriedade_ida_e_volta_texto(centavos: int) -> None:
    assert centavos_de_texto(texto_de_centavos(centavos)) == centavos


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_propriedade_de_centavos(centavos: int) -> None:
    d = Dinheiro.de_centavos(centavos)
    assert d.centavos == centavos
    assert Dinheiro(str(d)) == d


@given(st.integers(-(10**15), 10**15), st.integers(-(10**15), 10**15))
def test_propriedade_aritmetica_igual_a_dos_centavos(a: int, b: int) -> None:
    da, db = Dinheiro.de_centavos(a), Dinheiro.de_centavos(b)
    assert (da + db).centavos == a + b
    assert (da - db).centavos == a - b
    assert (da < db) == (a < b)


# ------------------------------------------------------------ defeitos conhecidos


def test_valor_grande_demais_e_valor_invalido() -> None:
    with pytest.raises(ValorInvalido):
        Dinheiro("1e40")


@pytest.mark.parametrize("texto", ["7\n", "٣", "１０.５０"])
def test_centavos_de_texto_so_digitos_ascii(texto: str) -> None:
    with pytest.raises(ValorInvalido):
        centavos_de_texto(texto)
