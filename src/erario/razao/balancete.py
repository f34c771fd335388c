"""Balancete de verificação de um intervalo de períodos.

Parte dos saldos das contas analíticas (por conta corrente), soma as entidades
pedidas (consolidação por soma simples) e totaliza as sintéticas a partir das
filhas. Valores com sinal em centavos: positivo = devedor, negativo = credor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from erario.core.codigos import Mascara
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.modelo import NaturezaInformacao, PlanoContas


class SaldoPeriodo(NamedTuple):
    """Linha de saldo lida para o balancete (uma entidade, conta analítica e conta corrente)."""

    conta: str  # código
    conta_corrente: str
    periodo: int
    debito_mes: int
    credito_mes: int
    debito_acum: int
    credito_acum: int


class LinhaBalancete(NamedTuple):
    codigo: str
    titulo: str
    nivel: int
    analitica: bool
    natureza_informacao: str
    conta_corrente: str  # "" na linha da conta; preenchida nas linhas abertas por conta corrente
    anterior: int  # saldo anterior com sinal (+ devedor, − credor)
    debitos: int
    creditos: int
    atual: int

    @property
    def vazia(self) -> bool:
        return not (self.anterior or self.debitos or self.creditos or self.atual)


class TotalNatureza(NamedTuple):
    natureza: str
    saldo_devedor: int
    saldo_credor: int  # positivo
    debitos: int
    creditos: int


class Balancete(NamedTuple):
    entidades: tuple[str, ...]
    ano: int
    periodo_inicial: int
    periodo_final: int
    por_conta_corrente: bool
    linhas: tuple[LinhaBalancete, ...]
    totais: tuple[TotalNatureza, ...]

    @property
    def total_debitos(self) -> int:
        return sum(t.debitos for t in self.totais)

    @property
    def total_creditos(self) -> int:
        return sum(t.creditos for t in self.totais)


def analiticos(
    saldos: Iterable[SaldoPeriodo], inicio: int, fim: int
) -> dict[tuple[str, str], list[int]]:
    """(conta, conta corrente) → [anterior, débitos, créditos] somando as entidades.

    ``saldos`` traz, para cada entidade, as linhas dos períodos ``inicio`` e
    ``fim``; as linhas são densas desde o primeiro movimento, então a ausência
    da linha de ``inicio`` significa que nada houve antes do intervalo.
    """
    # Acumulado antes do intervalo, por (conta, cc) — somado entre entidades.
    antes: dict[tuple[str, str], list[int]] = {}
    ate_fim: dict[tuple[str, str], list[int]] = {}
    for s in saldos:
        chave = (s.conta, s.conta_corrente)
        if s.periodo == inicio:
            a = antes.setdefault(chave, [0, 0])
            a[0] += s.debito_acum - s.debito_mes
            a[1] += s.credito_acum - s.credito_mes
        if s.periodo == fim:
            f = ate_fim.setdefault(chave, [0, 0])
            f[0] += s.debito_acum
            f[1] += s.credito_acum
    saida: dict[tuple[str, str], list[int]] = {}
    for chave, (d_fim, c_fim) in ate_fim.items():
        d_ant, c_ant = antes.get(chave, (0, 0))
        saida[chave] = [d_ant - c_ant, d_fim - d_ant, c_fim - c_ant]
    return saida


@lru_cache(maxsize=1 << 16)
def _ancestrais(mascara: Mascara, codigo: str) -> tuple[str, ...]:
    """Ancestrais de uma conta, guardados: o balancete repetido não refaz a árvore."""
    return tuple(mascara.ancestrais(codigo))


def montar_balancete(
    plano: PlanoContas,
    saldos: Iterable[SaldoPeriodo],
    *,
    entidades: tuple[str, ...],
    ano: int,
    inicio: int,
    fim: int,
    por_conta_corrente: bool = False,
    nivel_maximo: int | None = None,
) -> Balancete:
    """Monta o balancete a partir das linhas de saldo dos períodos ``inicio`` e ``fim``."""
    return balancete_de_totais(
        plano,
        analiticos(saldos, inicio, fim),
        entidades=entidades,
        ano=ano,
        inicio=inicio,
        fim=fim,
        por_conta_corrente=por_conta_corrente,
        nivel_maximo=nivel_maximo,
    )


def balancete_de_totais(
    plano: PlanoContas,
    por_chave: Mapping[tuple[str, str], Sequence[int]],
    *,
    entidades: tuple[str, ...],
    ano: int,
    inicio: int,
    fim: int,
    por_conta_corrente: bool = False,
    nivel_maximo: int | None = None,
) -> Balancete:
    """Monta o balancete de (conta analítica, conta corrente) → [anterior, débitos, créditos].

    Totaliza as sintéticas e os totais por natureza da informação. Sem abertura
    por conta corrente, ``por_chave`` pode vir já somado por conta (cc ``""``).
    """
    contas = plano.contas
    # Soma por conta analítica antes de subir na árvore: poucas contas, muitas ccs.
    por_analitica: dict[str, list[int]] = {}
    for (codigo, _cc), (ant, deb, cred) in por_chave.items():
        t = por_analitica.get(codigo)
        if t is None:
            por_analitica[codigo] = [ant, deb, cred]
        else:
            t[0] += ant
            t[1] += deb
            t[2] += cred
    por_conta: dict[str, list[int]] = {}
    for codigo, (ant, deb, cred) in por_analitica.items():
        for alvo in (codigo, *_ancestrais(plano.mascara, codigo)):
            # Só sintéticas totalizam filhas. Conta analítica que tem filhas (há
            # casos reais em planos estendidos) mostra só o próprio saldo, como no
            # balancete do TCE-RS; as sintéticas acima somam as duas.
            if alvo != codigo and (alvo not in contas or contas[alvo].analitica):
                continue
            t = por_conta.setdefault(alvo, [0, 0, 0])
            t[0] += ant
            t[1] += deb
            t[2] += cred
    # Totais por natureza sobre os saldos das contas analíticas (líquidos das ccs).
    totais: dict[str, list[int]] = {}
    for codigo, (ant, deb, cred) in por_analitica.items():
        natureza = contas[codigo].natureza_informacao.value
        t = totais.setdefault(natureza, [0, 0, 0, 0])
        atual = ant + deb - cred
        if atual > 0:
            t[0] += atual
        else:
            t[1] -= atual
        t[2] += deb
        t[3] += cred

    ccs_por_conta: dict[str, list[tuple[str, Sequence[int]]]] = {}
    if por_conta_corrente:
        for (codigo, cc), valores in por_chave.items():
            if cc:
                ccs_por_conta.setdefault(codigo, []).append((cc, valores))

    linhas: list[LinhaBalancete] = []
    for codigo in sorted(por_conta):
        conta = contas.get(codigo)
        if conta is None or (nivel_maximo is not None and conta.nivel > nivel_maximo):
            continue
        ant, deb, cred = por_conta[codigo]
        linha = LinhaBalancete(
            codigo,
            conta.titulo,
            conta.nivel,
            conta.analitica,
            conta.natureza_informacao.value,
            "",
            ant,
            deb,
            cred,
            ant + deb - cred,
        )
        subs = [
            sub
            for cc, (a, d, c) in sorted(ccs_por_conta.get(codigo, ()))
            if not (
                sub := linha._replace(
                    conta_corrente=cc, anterior=a, debitos=d, creditos=c, atual=a + d - c
                )
            ).vazia
        ]
        # A conta pode zerar no líquido e ainda ter contas correntes com saldo.
        if linha.vazia and not subs:
            continue
        linhas.append(linha)
        linhas.extend(subs)

    ordem = [n.value for n in NaturezaInformacao]
    return Balancete(
        entidades=entidades,
        ano=ano,
        periodo_inicial=inicio,
        periodo_final=fim,
        por_conta_corrente=por_conta_corrente,
        linhas=tuple(linhas),
        totais=tuple(TotalNatureza(n, *totais[n]) for n in sorted(totais, key=ordem.index)),
    )


def conferir_balancete(b: Balancete) -> list[Erro]:
    """Confere que o balancete fecha: Σ débitos = Σ créditos e saldos por natureza."""
    erros: list[Erro] = []
    if b.total_debitos != b.total_creditos:
        erros.append(
            Erro(
                "BAL-MOVIMENTO",
                f"total de débitos ({formatar_brl(b.total_debitos)}) difere do de créditos "
                f"({formatar_brl(b.total_creditos)})",
            )
        )
    for t in b.totais:
        if t.saldo_devedor != t.saldo_credor:
            erros.append(
                Erro(
                    "BAL-NATUREZA",
                    f"saldos devedores ({formatar_brl(t.saldo_devedor)}) e credores "
                    f"({formatar_brl(t.saldo_credor)}) "
                    f"não fecham na natureza {NaturezaInformacao(t.natureza).descricao}",
                )
            )
    return erros
