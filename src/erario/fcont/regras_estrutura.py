"""Base das regras de validação do Anexo I (FCONT): o contexto que as regras
consultam, o registro de cada família de regras, o ``Erro`` situado e a regra de
estrutura que vale para todos os registros (REGRA_REGISTRO_DUPLICADO).

Cada regra é uma função pura ``(Contexto) -> Iterable[Erro]`` registrada pelo nome
do manual (``REGRA_*``, item 2.7) na tabela ``REGRAS`` do módulo do seu conceito
(``regras_0000``, ``regras_plano``, ``regras_saldos``, ``regras_lancamentos``,
``regras_signatarios``, ``regras_m``, ``regras_controle``); ``regras`` junta as
tabelas numa só e aplica. O ``Erro`` cita a linha do arquivo, o registro
(``origem``), o campo ("número. MNEMÔNICO") e a regra.

Conta "ativa" numa data (REGRA_CONTA_NO_PLANO_CONTAS): a versão do I050 daquele
COD_CTA com o maior DT_ALT até a data. Valores com sinal: devedor +, credor −.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import cached_property
from typing import Final

from erario.core.erros import Erro
from erario.fcont.arquivo import (
    ZERO,
    ArquivoFcont,
    RegistroI050,
    RegistroI051,
    RegistroI150,
    RegistroM020,
    decimal_dc,
)
from erario.leiautes import fcont as leiaute_fcont

PATRIMONIAIS: Final = frozenset({"01", "02", "03"})
SUSEP_COSIF: Final = frozenset({"00", "20"})
# Item 2.7: as que o manual classifica como "Advertência" (não impedem a entrega).
ADVERTENCIAS: Final = frozenset(
    {
        "REGRA_REGISTRO_NAO_SE_APLICA",
        "REGRA_ANALITICA_NIVEL3",
        "REGRA_DT_ALT_DATA_MAIOR",
        "REGRA_NATUREZA_CONTA",
        "REGRA_CONTA_PARA_LANÇAMENTO_EF",
        "REGRA_LCTO_SUSEP_COSIF",
        "REGRA_LUC_LIQ",
        "REGRA_LCTO_QUARTA_FORMULA",
        "REGRA_QTD_AJUSTES",
        "REGRA_TIPO_LCTO_PERMITIDO_TR_RES",
    }
)


class Contexto:
    """O arquivo e os índices que as regras consultam (montados uma vez)."""

    def __init__(self, arquivo: ArquivoFcont) -> None:
        self.arquivo = arquivo
        self.a0 = arquivo.abertura
        self.bi = arquivo.bloco_i
        self.m020: RegistroM020 | None = (
            arquivo.bloco_m.qualificacao if arquivo.bloco_m is not None else None
        )

    @cached_property
    def versoes(self) -> dict[str, list[RegistroI050]]:
        """COD_CTA → versões do I050 em ordem de DT_ALT."""
        v: dict[str, list[RegistroI050]] = defaultdict(list)
        for c in self.bi.plano:
            v[c.cod_cta].append(c)
        for lista in v.values():
            lista.sort(key=lambda c: c.dt_alt)
        return v

    def ativa(self, cod_cta: str, data: dt.date) -> RegistroI050 | None:
        ativa = None
        for c in self.versoes.get(cod_cta, []):
            if c.dt_alt <= data:
                ativa = c
        return ativa

    def referenciais(self, cod_cta: str, ccus: str, data: dt.date) -> list[RegistroI051]:
        """I051 da conta ativa com o mesmo centro de custo."""
        conta = self.ativa(cod_cta, data)
        return [r for r in conta.referenciais if r.cod_ccus == ccus] if conta else []

    @cached_property
    def periodos(self) -> list[RegistroI150]:
        return sorted(self.bi.saldos_periodicos, key=lambda p: p.dt_ini)

    @cached_property
    def is_por_conta(self) -> dict[tuple[str, str], list[tuple[dt.date, Decimal]]]:
        """Lançamentos IS por (conta, ccus): (data, valor com sinal)."""
        r: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for lc in self.bi.lancamentos:
            if lc.ind_lcto == "IS":
                for p in lc.partidas:
                    r[(p.cod_cta, p.cod_ccus)].append((lc.dt_lcto, decimal_dc(p.vl_dc, p.ind_dc)))
        return r

    def soma_is(self, chave: tuple[str, str], ini: dt.date, fim: dt.date) -> Decimal:
        return sum((v for d, v in self.is_por_conta.get(chave, []) if ini <= d <= fim), ZERO)


Regra = Callable[[Contexto], Iterable[Erro]]
Registrar = Callable[[str], Callable[[Regra], Regra]]


def registrador(tabela: dict[str, Regra]) -> Registrar:
    """O decorador ``@regra("REGRA_…")`` que põe a função na ``tabela`` da família."""

    def regra(nome: str) -> Callable[[Regra], Regra]:
        def registrar(f: Regra) -> Regra:
            tabela[nome] = f
            return f

        return registrar

    return regra


def erro(nome: str, codigo: str, campo: str | None, linha: int | None, msg: str) -> Erro:
    """Erro situado: ``campo`` é a chave (mnemônico em minúsculas) no registro ``codigo``."""
    rotulo = None
    if campo is not None:
        rotulo = leiaute_fcont.leiaute().registro(codigo).campo(campo).rotulo
    return Erro(nome, msg, rotulo, linha, codigo)


def data_br(d: dt.date) -> str:
    return f"{d:%d/%m/%Y}"


def saldo_dc(v: Decimal) -> str:
    return f"{abs(v)} {'C' if v < 0 else 'D'}"


REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)


# ------------------------------------------------------------------------- duplicidades


def _duplicados(codigo: str, itens: Iterable[object], campos: tuple[str, ...]) -> Iterator[Erro]:
    vistos: set[tuple[object, ...]] = set()
    for item in itens:
        chave = tuple(getattr(item, f) for f in campos)
        if chave in vistos:
            yield erro(
                "REGRA_REGISTRO_DUPLICADO",
                codigo,
                campos[0],
                getattr(item, "linha", None),
                f"registro {codigo} repetido (chave {', '.join(f.upper() for f in campos)})",
            )
        vistos.add(chave)


@regra("REGRA_REGISTRO_DUPLICADO")
def duplicado(c: Contexto) -> Iterator[Erro]:
    bi = c.bi
    yield from _duplicados("I050", bi.plano, ("dt_alt", "cod_cta"))
    for conta in bi.plano:
        yield from _duplicados(
            "I051", conta.referenciais, ("cod_ent_ref", "cod_ccus", "cod_cta_ref")
        )
    yield from _duplicados("I075", bi.historicos, ("cod_hist",))
    yield from _duplicados("I100", bi.centros_custo, ("dt_alt", "cod_ccus"))
    yield from _duplicados("I150", bi.saldos_periodicos, ("dt_ini", "dt_fin"))
    for p in bi.saldos_periodicos:
        yield from _duplicados("I155", p.saldos, ("cod_cta", "cod_ccus"))
        for s in p.saldos:
            yield from _duplicados("I156", s.mapeamentos, ("cod_cta_ref",))
    for lc in bi.lancamentos:
        for pt in lc.partidas:
            yield from _duplicados("I256", pt.mapeamentos, ("cod_cta_ref",))
    yield from _duplicados("I350", bi.resultados, ("dt_res",))
    for r in bi.resultados:
        yield from _duplicados("I355", r.saldos, ("cod_cta", "cod_ccus"))
        for s3 in r.saldos:
            yield from _duplicados("I356", s3.mapeamentos, ("cod_cta_ref",))
    yield from _duplicados("J930", c.arquivo.bloco_j.signatarios, ("ident_cpf_cnpj", "cod_assin"))
    bm = c.arquivo.bloco_m
    if bm is not None:
        yield from _duplicados("M025", bm.saldos_iniciais, ("cod_cta", "cod_ccus", "cod_cta_ref"))
        yield from _duplicados("M030", bm.periodos, ("ind_per",))
        for m in bm.periodos:
            chave = ("cod_cta", "cod_ccus", "cod_cta_ref")
            yield from _duplicados("M155", m.saldos_patrimoniais, chave)
            yield from _duplicados("M355", m.saldos_resultado, chave)
