"""Equivalências (de-para) do SIOPS, por entidade e exercício.

Quatro tipos, como as guias da tela "Informações de Equivalência" do guia:
naturezas de receita → rubricas do SIOPS; naturezas de despesa (elementos) →
elementos do SIOPS; fontes/destinações (padrão STN 2023, com complemento) →
recursos do SIOPS; e as contas de ativo e passivo do superávit financeiro que
formam a disponibilidade por fonte. O erario **sugere** cada relacionamento
("no primeiro acesso, serão demonstradas, na cor verde, as sugestões"); o
contador confirma ou troca; só os confirmados geram arquivo.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Final, NamedTuple

from erario.core.erros import Erro
from erario.siops.recursos import RECURSOS


class TipoEquivalencia(StrEnum):
    RECEITA = "receita"  # natureza da receita (8 dígitos) → rubrica SIOPS
    DESPESA = "despesa"  # natureza da despesa (8 dígitos) → elemento SIOPS
    RECURSO = "recurso"  # fonte (FR, p. ex. 16000000 ou 1500) → recurso SIOPS
    CONTA = "conta"  # conta de ativo/passivo do superávit financeiro → "ativo"/"passivo"


class Situacao(StrEnum):
    SUGERIDA = "sugerida"
    CONFIRMADA = "confirmada"


class Equivalencia(NamedTuple):
    tipo: TipoEquivalencia
    origem: str
    destino: str
    situacao: Situacao = Situacao.SUGERIDA


Chave = tuple[TipoEquivalencia, str]
LADOS_CONTA: Final = ("ativo", "passivo")

# Sugestão de recurso pela fonte STN (Portaria STN 710/2021): 3 dígitos da fonte.
_RECURSO_DA_FONTE: Final = {
    "500": "001", "501": "001", "502": "001",  # não vinculados (impostos: ASPS)
    "600": "212", "601": "212", "602": "212", "603": "212", "604": "212", "605": "212",
    "621": "213",  # Transferências Fundo a Fundo do SUS — Governo Estadual
    "631": "214", "632": "214",  # convênios vinculados à saúde (União, Estado)
    "634": "215",  # operações de crédito vinculadas à saúde
    "659": "299",  # outros recursos vinculados à saúde
}  # fmt: skip
_RE_DESTINO: Final = {
    TipoEquivalencia.RECEITA: re.compile(r"[0-9]{8,10}"),
    TipoEquivalencia.DESPESA: re.compile(r"[0-9]{6,8}"),
}


def sugerir(tipo: TipoEquivalencia, origem: str) -> str:
    """O relacionamento que o erario propõe (sempre revisado pelo contador)."""
    if tipo == TipoEquivalencia.RECEITA:
        return origem  # a rubrica do SIOPS segue a natureza da receita
    if tipo == TipoEquivalencia.DESPESA:
        return origem[:6] + "00"  # o SIOPS detalha até o elemento
    if tipo == TipoEquivalencia.RECURSO:
        return _RECURSO_DA_FONTE.get(origem[1:4], "299")
    return "passivo" if origem.startswith("2") else "ativo"


def conferir_destino(tipo: TipoEquivalencia, destino: str) -> str | None:
    """Mensagem do problema do destino, ou ``None`` se ele serve ao tipo."""
    if tipo == TipoEquivalencia.RECURSO and destino not in RECURSOS:
        return f"recurso SIOPS '{destino}' desconhecido: use {', '.join(RECURSOS)}"
    if tipo == TipoEquivalencia.CONTA and destino not in LADOS_CONTA:
        return f"conta do superávit deve ir para 'ativo' ou 'passivo', não '{destino}'"
    padrao = _RE_DESTINO.get(tipo)
    if padrao is not None and not padrao.fullmatch(destino):
        return f"código SIOPS '{destino}' inválido para {tipo}: só dígitos ({padrao.pattern})"
    return None


def completar(
    necessarias: Mapping[TipoEquivalencia, Iterable[str]], existentes: Sequence[Equivalencia]
) -> list[Equivalencia]:
    """As existentes e uma sugestão para cada origem necessária ainda sem relacionamento."""
    ja = {(e.tipo, e.origem) for e in existentes}
    novas = [
        Equivalencia(tipo, origem, sugerir(tipo, origem))
        for tipo, origens in necessarias.items()
        for origem in sorted(set(origens))
        if (tipo, origem) not in ja
    ]
    return ordenar([*existentes, *novas])


def ordenar(eqs: Iterable[Equivalencia]) -> list[Equivalencia]:
    ordem = list(TipoEquivalencia)
    return sorted(eqs, key=lambda e: (ordem.index(e.tipo), e.origem))


def confirmar_todas(eqs: Iterable[Equivalencia]) -> list[Equivalencia]:
    return [e._replace(situacao=Situacao.CONFIRMADA) for e in eqs]


def copiar(
    de: Sequence[Equivalencia], para: Sequence[Equivalencia]
) -> tuple[list[Equivalencia], int]:
    """Cópia dos relacionamentos confirmados de outra entidade (receita, despesa e
    recurso: as contas são da entidade). A confirmação do destino prevalece; uma
    sugestão dele é trocada pela confirmada da outra. Devolve a lista e quantas vieram."""
    atual = {(e.tipo, e.origem): e for e in para}
    copiadas = 0
    for e in de:
        if e.tipo == TipoEquivalencia.CONTA or e.situacao != Situacao.CONFIRMADA:
            continue
        aqui = atual.get((e.tipo, e.origem))
        if aqui is None or aqui.situacao == Situacao.SUGERIDA:
            atual[(e.tipo, e.origem)] = e
            copiadas += 1
    return ordenar(atual.values()), copiadas


def herdar(
    proprias: Sequence[Equivalencia], da_prefeitura: Sequence[Equivalencia]
) -> list[Equivalencia]:
    """As equivalências de uma entidade incorporada: as confirmadas dela e, para
    cada origem que ela não confirmou, a confirmada da Prefeitura (todos os tipos,
    inclusive as contas: o plano de contas do município é um só)."""
    juntas = {(e.tipo, e.origem): e for e in da_prefeitura if e.situacao == Situacao.CONFIRMADA}
    juntas |= {(e.tipo, e.origem): e for e in proprias if e.situacao == Situacao.CONFIRMADA}
    return ordenar(juntas.values())


def pendentes(
    necessarias: Mapping[TipoEquivalencia, Iterable[str]],
    eqs: Sequence[Equivalencia],
    entidade: str,
) -> list[Erro]:
    """Cada origem necessária sem relacionamento confirmado (``SIOPS-EQUIVALENCIA``)."""
    confirmadas = {(e.tipo, e.origem) for e in eqs if e.situacao == Situacao.CONFIRMADA}
    return [
        Erro(
            "SIOPS-EQUIVALENCIA",
            f"{entidade}: {tipo} {origem} sem equivalência confirmada "
            f"(rode 'erario siops equivalencias {entidade} ANO --sugerir' e confirme)",
        )
        for tipo, origens in necessarias.items()
        for origem in sorted(set(origens))
        if (tipo, origem) not in confirmadas
    ]


def mapa(eqs: Iterable[Equivalencia], tipo: TipoEquivalencia) -> dict[str, str]:
    """origem → destino dos relacionamentos confirmados do tipo."""
    return {
        e.origem: e.destino for e in eqs if e.tipo == tipo and e.situacao == Situacao.CONFIRMADA
    }


CABECALHO_CSV: Final = ("tipo", "origem", "destino", "situacao")


def para_csv(eqs: Iterable[Equivalencia]) -> str:
    saida = io.StringIO()
    w = csv.writer(saida, delimiter=";", lineterminator="\n")
    w.writerow(CABECALHO_CSV)
    for e in eqs:
        w.writerow((e.tipo.value, e.origem, e.destino, e.situacao.value))
    return saida.getvalue()


def ler_csv(texto: str, origem: str = "equivalencias.csv") -> tuple[list[Equivalencia], list[Erro]]:
    """CSV ``tipo;origem;destino;situacao`` → equivalências, ou todos os problemas
    (``SIOPS-CSV``). Situação vazia vale ``confirmada``: quem importa revisou."""
    linhas = list(csv.reader(io.StringIO(texto), delimiter=";"))
    erros: list[Erro] = []
    if not linhas or [c.strip().lower() for c in linhas[0]] != list(CABECALHO_CSV):
        return [], [
            Erro(
                "SIOPS-CSV", f"cabeçalho deve ser {';'.join(CABECALHO_CSV)}", linha=1, origem=origem
            )
        ]
    eqs: list[Equivalencia] = []
    vistos: dict[Chave, int] = {}
    for n, cols in enumerate(linhas[1:], start=2):
        if not any(c.strip() for c in cols):
            continue

        def erro(msg: str, campo: str | None = None, n: int = n) -> None:
            erros.append(Erro("SIOPS-CSV", msg, campo, n, origem))

        if len(cols) != 4:
            erro(f"esperadas 4 colunas, há {len(cols)}")
            continue
        tipo_t, orig, dest, sit_t = (c.strip() for c in cols)
        try:
            tipo = TipoEquivalencia(tipo_t.lower())
        except ValueError:
            erro(f"tipo '{tipo_t}' inválido: use {', '.join(TipoEquivalencia)}", "tipo")
            continue
        try:
            sit = Situacao(sit_t.lower() or Situacao.CONFIRMADA)
        except ValueError:
            erro(f"situação '{sit_t}' inválida: use sugerida ou confirmada", "situacao")
            continue
        if not orig:
            erro("origem obrigatória", "origem")
            continue
        problema = conferir_destino(tipo, dest)
        if problema:
            erro(problema, "destino")
            continue
        if (tipo, orig) in vistos:
            erro(f"{tipo} {orig} repetida (linha {vistos[(tipo, orig)]})", "origem")
            continue
        vistos[(tipo, orig)] = n
        eqs.append(Equivalencia(tipo, orig, dest, sit))
    return (eqs, []) if not erros else ([], erros)
