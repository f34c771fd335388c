"""CNPJ/CPF e máscaras de código de conta."""

from __future__ import annotations

import pytest

from erario.core.codigos import (
    PCASP_FEDERACAO,
    Mascara,
    cnpj_valido,
    cpf_valido,
    formatar_cnpj,
    somente_digitos,
)

TCE_RS = "X.X.X.X.X.XX.XX.XX.XX.XX.XX.XXX"

# ------------------------------------------------------------------ CNPJ / CPF


@pytest.mark.parametrize(
    "cnpj",
    [
        "01602258000120",  # Município de Nova Candelária (arquivo de referência)
        "01.602.258/0001-20",
        "29363995000137",
        "29.363.995/0001-37",
    ],
)
def test_cnpj_valido(cnpj: str) -> None:
    assert cnpj_valido(cnpj)


@pytest.mark.parametrize(
    "cnpj",
    [
        "01602258000121",  # último dígito verificador errado
        "01602258000110",  # primeiro dígito verificador errado
        "0160225800012",  # 13 dígitos
        "016022580001200",  # 15 dígitos
        "11111111111111",  # dígitos repetidos
        "00000000000000",
        "",
        "52998224725",  # um CPF válido não é CNPJ
    ],
)
def test_cnpj_invalido(cnpj: str) -> None:
    assert not cnpj_valido(cnpj)


@pytest.mark.parametrize("cpf", ["52998224725", "529.982.247-25"])
def test_cpf_valido(cpf: str) -> None:
    assert cpf_valido(cpf)


@pytest.mark.parametrize(
    "cpf", ["52998224724", "52998224715", "5299822472", "11111111111", "01602258000120", ""]
)
def test_cpf_invalido(cpf: str) -> None:
    assert not cpf_valido(cpf)


def test_somente_digitos_e_formatar_cnpj() -> None:
    assert somente_digitos("01.602.258/0001-20") == "01602258000120"
    assert somente_digitos("a1b2") == "12"
    assert formatar_cnpj("01602258000120") == "01.602.258/0001-20"
    assert formatar_cnpj("01.602.258/0001-20") == "01.602.258/0001-20"


# ----------------------------------------------------------------------- máscara


def test_mascara_pcasp_federacao() -> None:
    assert PCASP_FEDERACAO.larguras == (1, 1, 1, 1, 1, 2, 2)
    assert str(PCASP_FEDERACAO) == "X.X.X.X.X.XX.XX"
    assert PCASP_FEDERACAO.niveis == 7
    assert PCASP_FEDERACAO.digitos == 9
    assert Mascara.de_codigo("1.1.1.1.1.01.00") == PCASP_FEDERACAO


@pytest.mark.parametrize(
    ("entrada", "esperado"),
    [
        ("1.1.1.1.1.01.00", "1.1.1.1.1.01.00"),  # pontuado completo
        (" 1.1.1.1.1.01.00 ", "1.1.1.1.1.01.00"),  # espaços nas pontas
        ("1.1.1", "1.1.1.0.0.00.00"),  # pontuado truncado
        ("1.1.1.1.1.01", "1.1.1.1.1.01.00"),
        ("1", "1.0.0.0.0.00.00"),
        ("111110100", "1.1.1.1.1.01.00"),  # só dígitos, completo
        ("1111101", "1.1.1.1.1.01.00"),  # só dígitos, completado com zeros
        ("821140001", "8.2.1.1.4.00.01"),
    ],
)
def test_normalizar_aceita(entrada: str, esperado: str) -> None:
    assert PCASP_FEDERACAO.normalizar(entrada) == esperado


@pytest.mark.parametrize(
    "entrada",
    [
        "1111101000",  # 10 dígitos: passa dos 9 da máscara
        "1.1.1.1.1.01.00.00",  # um nível a mais
        "1.1.1.1.1.1.00",  # item com 1 dígito em vez de 2
        "1.1.11",  # subgrupo com 2 dígitos
        "1..1",  # segmento vazio
        "1.a.1",
        "11a",
        "",
        "   ",
    ],
)
def test_normalizar_recusa(entrada: str) -> None:
    assert PCASP_FEDERACAO.normalizar(entrada) is None


@pytest.mark.parametrize(
    ("codigo", "nivel"),
    [
        ("1.0.0.0.0.00.00", 1),
        ("1.1.0.0.0.00.00", 2),
        ("1.1.1.0.0.00.00", 3),
        ("1.1.1.1.1.00.00", 5),
        ("1.1.1.1.1.01.00", 6),
        ("8.2.1.1.4.00.01", 7),  # item 00, subitem 01: nível do último não nulo
        ("0.0.0.0.0.00.00", 0),
    ],
)
def test_nivel(codigo: str, nivel: int) -> None:
    assert PCASP_FEDERACAO.nivel(codigo) == nivel


def test_ancestrais() -> None:
    assert PCASP_FEDERACAO.ancestrais("1.1.1.1.1.01.00") == [
        "1.1.1.1.1.00.00",
        "1.1.1.1.0.00.00",
        "1.1.1.0.0.00.00",
        "1.1.0.0.0.00.00",
        "1.0.0.0.0.00.00",
    ]
    assert PCASP_FEDERACAO.ancestrais("1.2.0.0.0.00.00") == ["1.0.0.0.0.00.00"]
    assert PCASP_FEDERACAO.ancestrais("1.0.0.0.0.00.00") == []


def test_ancestrais_pula_nivel_item_zerado() -> None:
    # Zerar o subitem dá 8.2.1.1.4.00.00; zerar o item (já 00) daria o mesmo
    # código, que não se repete.
    assert PCASP_FEDERACAO.ancestrais("8.2.1.1.4.00.01") == [
        "8.2.1.1.4.00.00",
        "8.2.1.1.0.00.00",
        "8.2.1.0.0.00.00",
        "8.2.0.0.0.00.00",
        "8.0.0.0.0.00.00",
    ]


def test_mascara_tce_rs_12_niveis() -> None:
    m = Mascara.de_codigo("1.0.0.0.0.00.00.00.00.00.00.000")
    assert m.larguras == (1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3)
    assert str(m) == TCE_RS
    assert m.niveis == 12
    assert m.digitos == 20  # 5×1 + 6×2 + 3
    assert m.normalizar("1.2.2.1.1.01.07") == "1.2.2.1.1.01.07.00.00.00.00.000"
    assert m.normalizar("12211010701") == "1.2.2.1.1.01.07.01.00.00.00.000"
    assert m.normalizar("1.2.2.1.1.01.07.01.00.00.00.0001") is None
    assert m.normalizar("1" * 21) is None
    assert m.nivel("1.2.2.1.1.01.07.01.00.00.00.000") == 8
    assert m.nivel("1.1.1.1.1.01.00.00.00.00.00.001") == 12
    assert m.ancestrais("2.1.3.1.1.01.01.02.08.00.00.000") == [
        "2.1.3.1.1.01.01.02.00.00.00.000",
        "2.1.3.1.1.01.01.00.00.00.00.000",
        "2.1.3.1.1.01.00.00.00.00.00.000",
        "2.1.3.1.1.00.00.00.00.00.00.000",
        "2.1.3.1.0.00.00.00.00.00.00.000",
        "2.1.3.0.0.00.00.00.00.00.00.000",
        "2.1.0.0.0.00.00.00.00.00.00.000",
        "2.0.0.0.0.00.00.00.00.00.00.000",
    ]
    # Nível 12 com os níveis 7 a 11 zerados: só 6 ancestrais distintos.
    assert m.ancestrais("1.1.1.1.1.01.00.00.00.00.00.001") == [
        "1.1.1.1.1.01.00.00.00.00.00.000",
        "1.1.1.1.1.00.00.00.00.00.00.000",
        "1.1.1.1.0.00.00.00.00.00.00.000",
        "1.1.1.0.0.00.00.00.00.00.00.000",
        "1.1.0.0.0.00.00.00.00.00.00.000",
        "1.0.0.0.0.00.00.00.00.00.00.000",
    ]
