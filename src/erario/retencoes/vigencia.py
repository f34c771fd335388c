"""Vigência das tabelas das retenções e os dados oficiais que o erario traz.

A tabela do IRRF, o teto do INSS, o desconto simplificado mensal e a redução do
IR mensal valem a partir de uma data (a vigência), não por exercício: a tabela
mudou no meio do ano em 05/2023, 02/2024 e 05/2025. Cada item vale da sua
vigência até a vigência do item seguinte do mesmo tipo.

O erario traz o histórico oficial em ``dados/tabelas_irrf_inss.toml`` (IRRF de
04/2015 em diante, teto do INSS de 2015 em diante, desconto simplificado de
05/2023 em diante e a redução da Lei 15.270/2025 a partir de 01/2026). A entidade
pode cadastrar as suas tabelas e tetos (``faixa_irrf``, ``teto_inss``): juntos
com os oficiais, vale em cada data o de vigência mais recente até ela, e na mesma
data de vigência o cadastrado prevalece (``com_oficiais``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, NamedTuple, TypeVar

from erario.core.dinheiro import ValorInvalido, centavos_de_texto
from erario.retencoes.cadastros import FaixaIRRF, TabelaIRRF, TetoINSS


class DescontoSimplificado(NamedTuple):
    """Desconto simplificado mensal (Lei 9.250/1995, art. 4º, § 2º, na redação da
    Lei 14.663/2023): usado no lugar das deduções legais quando maior que elas."""

    vigencia: dt.date
    valor: int  # centavos


class ReducaoIRRF(NamedTuple):
    """Redução do IR mensal (Lei 15.270/2025, art. 3º-A da Lei 9.250/1995), pelos
    rendimentos tributáveis do mês: até ``isencao_ate``, até ``reducao_maxima``
    (de modo que o imposto seja zero); até ``limite``, ``constante`` − ``fator`` ×
    rendimentos; acima, nenhuma. Sempre limitada ao imposto da tabela."""

    vigencia: dt.date
    isencao_ate: int  # centavos
    reducao_maxima: int
    limite: int
    constante: int
    fator: Decimal  # 0.133145 (fração, não %)


class Vigencias(NamedTuple):
    """As séries com vigência que o cálculo consulta, cada uma em ordem de data."""

    tabelas_irrf: tuple[TabelaIRRF, ...] = ()
    tetos_inss: tuple[TetoINSS, ...] = ()
    descontos_simplificados: tuple[DescontoSimplificado, ...] = ()
    reducoes: tuple[ReducaoIRRF, ...] = ()


T = TypeVar("T")


def em_vigor(itens: Iterable[T], data: dt.date, inicio: Callable[[T], dt.date]) -> T | None:
    """O item de vigência mais recente que não passa de ``data`` (None se nenhum);
    na mesma vigência, o primeiro da sequência."""
    melhor: T | None = None
    for item in itens:
        if inicio(item) <= data and (melhor is None or inicio(item) > inicio(melhor)):
            melhor = item
    return melhor


def com_oficiais(
    tabelas: Iterable[TabelaIRRF],
    tetos: Iterable[TetoINSS],
    oficiais_: Vigencias | None = None,
) -> Vigencias:
    """As tabelas e tetos cadastrados pela entidade junto com os oficiais: o
    oficial de mesma data de vigência que um cadastrado sai (o cadastrado
    prevalece). O desconto simplificado e a redução são sempre os oficiais."""
    of = oficiais() if oficiais_ is None else oficiais_
    tabelas = tuple(tabelas)
    tetos = tuple(tetos)
    datas_tabela = {t.vigencia for t in tabelas}
    datas_teto = {t.data_inicial for t in tetos}
    return Vigencias(
        tuple(
            sorted(
                [*tabelas, *(t for t in of.tabelas_irrf if t.vigencia not in datas_tabela)],
                key=lambda t: t.vigencia,
            )
        ),
        tuple(
            sorted(
                [*tetos, *(t for t in of.tetos_inss if t.data_inicial not in datas_teto)],
                key=lambda t: t.data_inicial,
            )
        ),
        of.descontos_simplificados,
        of.reducoes,
    )


# --- Dados oficiais (dados/tabelas_irrf_inss.toml) --------------------------------


def _data(item: Mapping[str, Any], campo: str) -> dt.date:
    v = item[campo]
    if not isinstance(v, dt.date) or isinstance(v, dt.datetime):
        raise ValueError(f"{campo}: use uma data AAAA-MM-DD")
    return v


def _centavos(item: Mapping[str, Any], campo: str) -> int:
    v = item[campo]
    if not isinstance(v, str):
        raise ValueError(f'{campo}: use texto, p. ex. "1903.98"')
    try:
        return centavos_de_texto(v)
    except ValorInvalido as exc:
        raise ValueError(f"{campo}: {exc}") from None


def _decimal(item: Mapping[str, Any], campo: str) -> Decimal:
    v = item[campo]
    if not isinstance(v, str):
        raise ValueError(f'{campo}: use texto, p. ex. "7.50"')
    try:
        return Decimal(v)
    except InvalidOperation:
        raise ValueError(f"{campo}: número '{v}' inválido") from None


def ler_oficiais(texto: str) -> Vigencias:
    """As séries do arquivo de dados (ValueError se mal formado: é dado do pacote)."""
    dados = tomllib.loads(texto)
    tabelas: list[TabelaIRRF] = []
    simplificados: list[DescontoSimplificado] = []
    for item in dados.get("irrf", []):
        vigencia = _data(item, "vigencia")
        faixas = tuple(
            FaixaIRRF(
                n,
                f"FAIXA {n:02d}",
                _centavos(f, "limite"),
                _decimal(f, "aliquota"),
                _centavos(f, "deducao"),
            )
            for n, f in enumerate(item["faixas"], start=1)
        )
        tabelas.append(TabelaIRRF(vigencia, faixas))
        if "desconto_simplificado" in item:
            simplificados.append(
                DescontoSimplificado(vigencia, _centavos(item, "desconto_simplificado"))
            )
    reducoes = [
        ReducaoIRRF(
            _data(item, "vigencia"),
            _centavos(item, "isencao_ate"),
            _centavos(item, "reducao_maxima"),
            _centavos(item, "limite"),
            _centavos(item, "constante"),
            _decimal(item, "fator"),
        )
        for item in dados.get("reducao_irrf", [])
    ]
    tetos = [
        TetoINSS(
            _data(item, "data_inicial"),
            _centavos(item, "valor"),
            *([_decimal(item, "aliquota")] if "aliquota" in item else []),
        )
        for item in dados.get("teto_inss", [])
    ]
    return Vigencias(
        tuple(sorted(tabelas, key=lambda t: t.vigencia)),
        tuple(sorted(tetos, key=lambda t: t.data_inicial)),
        tuple(sorted(simplificados)),
        tuple(sorted(reducoes, key=lambda r: r.vigencia)),
    )


@cache
def oficiais() -> Vigencias:
    """O histórico oficial que o erario traz (lido uma vez)."""
    texto = (
        resources.files("erario.retencoes")
        .joinpath("dados/tabelas_irrf_inss.toml")
        .read_text("utf-8")
    )
    return ler_oficiais(texto)
