"""Balancete consolidado a partir dos saldos analíticos de cada entidade.

Cada entidade entra como ``Saldos``: (conta analítica, conta corrente) →
(anterior com sinal, débitos, créditos) do intervalo, em centavos. Vêm do
próprio razão (``saldos_de_balancete`` sobre ``Repositorio.balancete``) ou dos
balancetes mensais incorporados (``intervalo`` junta os meses). O consolidado
é a soma (docs/consolidacao.md, "Incorporação"); com ``eliminar_intra`` os
saldos das contas intra-OFSS saem do consolidado e vão para o relatório de
eliminações ("Eliminação intra-OFSS").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.balancete import Balancete, LinhaBalancete, balancete_de_totais
from erario.razao.modelo import PlanoContas

Valores = tuple[int, int, int]  # anterior (+ devedor, − credor), débitos, créditos
Chave = tuple[str, str]  # conta analítica, conta corrente
Saldos = Mapping[Chave, Valores]


def saldos_de_balancete(b: Balancete) -> dict[Chave, Valores]:
    """Saldos analíticos por conta corrente de um balancete aberto por conta corrente.

    A linha da conta analítica traz o total; as linhas seguintes, cada conta
    corrente com movimento ou saldo. O que sobra do total (parte sem conta
    corrente) fica na conta corrente ``""``. Sem abertura, tudo fica em ``""``.
    """
    saida: dict[Chave, Valores] = {}
    conta: LinhaBalancete | None = None
    resto = [0, 0, 0]

    def fechar() -> None:
        if conta is not None and any(resto):
            saida[(conta.codigo, "")] = (resto[0], resto[1], resto[2])

    for ln in b.linhas:
        if not ln.analitica:
            continue
        if not ln.conta_corrente:
            fechar()
            conta = ln
            resto = [ln.anterior, ln.debitos, ln.creditos]
            continue
        saida[(ln.codigo, ln.conta_corrente)] = (ln.anterior, ln.debitos, ln.creditos)
        resto[0] -= ln.anterior
        resto[1] -= ln.debitos
        resto[2] -= ln.creditos
    fechar()
    return saida


def somar(partes: Sequence[Saldos]) -> dict[Chave, Valores]:
    total: dict[Chave, Valores] = {}
    for saldos in partes:
        for chave, (a, d, c) in saldos.items():
            ta, td, tc = total.get(chave, (0, 0, 0))
            total[chave] = (ta + a, td + d, tc + c)
    return total


def intervalo(
    meses: Mapping[int, Saldos], inicio: int, fim: int, origem: str | None = None
) -> tuple[dict[Chave, Valores], list[Erro]]:
    """Junta balancetes mensais num intervalo: anterior do mês inicial e
    débitos/créditos somados de ``inicio`` a ``fim``.

    Confere que todos os meses existem (CON-MES-FALTANTE) e que o saldo
    anterior de cada mês é o atual do mês anterior (CON-CONTINUIDADE): um mês
    reaberto e alterado depois de enviado aparece aqui.
    """
    erros: list[Erro] = []
    faltam = [m for m in range(inicio, fim + 1) if m not in meses]
    if faltam:
        erros.append(
            Erro(
                "CON-MES-FALTANTE",
                "faltam os balancetes de " + ", ".join(f"{m:02d}" for m in faltam),
                origem=origem,
            )
        )
        return {}, erros
    for m in range(inicio, fim):
        atual, seguinte = meses[m], meses[m + 1]
        for chave in sorted(set(atual) | set(seguinte)):
            a, d, c = atual.get(chave, (0, 0, 0))
            esperado = a + d - c
            obtido = seguinte.get(chave, (0, 0, 0))[0]
            if esperado != obtido:
                erros.append(
                    Erro(
                        "CON-CONTINUIDADE",
                        f"conta {chave[0]}{' [' + chave[1] + ']' if chave[1] else ''}: saldo atual "
                        f"de {m:02d} ({formatar_brl(esperado)}) difere do anterior de {m + 1:02d} "
                        f"({formatar_brl(obtido)})",
                        origem=origem,
                    )
                )
    saida: dict[Chave, Valores] = {}
    for m in range(inicio, fim + 1):
        for chave, (a, d, c) in meses[m].items():
            ta, td, tc = saida.get(chave, (a if m == inicio else 0, 0, 0))
            saida[chave] = (ta, td + d, tc + c)
    return saida, erros


# ------------------------------------------------------ eliminação intra-OFSS
def e_intra_ofss(codigo: str) -> bool:
    """Conta patrimonial (classes 1 a 4) cujo 5º nível (subtítulo) é 2 = intra-OFSS.

    No PCASP o 5º nível das classes 1–4 separa 1 consolidação, 2 intra-OFSS,
    3 inter-União, 4 inter-Estado e 5 inter-Município; só o 2 se elimina na
    consolidação do ente (p. ex. 3.5.1.1.2.02 repasse concedido × 4.5.1.1.2.02
    repasse recebido, 3.1.2.1.2 patronal ao RPPS × 4.2.1.1.2 recebida).
    """
    partes = codigo.split(".")
    return len(partes) >= 5 and partes[0] in {"1", "2", "3", "4"} and partes[4] == "2"


class LinhaEliminada(NamedTuple):
    entidade: str
    conta: str
    conta_corrente: str
    anterior: int
    debitos: int
    creditos: int

    @property
    def atual(self) -> int:
        return self.anterior + self.debitos - self.creditos


class Eliminacao(NamedTuple):
    """O que saiu do consolidado. Recíproca quando débitos = créditos e os
    saldos eliminados (anterior e atual) somam zero."""

    linhas: tuple[LinhaEliminada, ...]

    @property
    def debitos(self) -> int:
        return sum(ln.debitos for ln in self.linhas)

    @property
    def creditos(self) -> int:
        return sum(ln.creditos for ln in self.linhas)

    @property
    def diferenca_anterior(self) -> int:
        return sum(ln.anterior for ln in self.linhas)

    @property
    def diferenca_atual(self) -> int:
        return sum(ln.atual for ln in self.linhas)

    def erros(self) -> list[Erro]:
        """CON-ELIMINACAO quando os saldos intra-OFSS não são recíprocos."""
        erros: list[Erro] = []
        if self.debitos != self.creditos:
            erros.append(
                Erro(
                    "CON-ELIMINACAO",
                    f"movimentos intra-OFSS não recíprocos: débitos eliminados "
                    f"{formatar_brl(self.debitos)}, créditos eliminados {formatar_brl(self.creditos)}",
                )
            )
        for nome, dif in (("anterior", self.diferenca_anterior), ("atual", self.diferenca_atual)):
            if dif:
                erros.append(
                    Erro(
                        "CON-ELIMINACAO",
                        f"saldos intra-OFSS ({nome}) não recíprocos: sobram "
                        f"{formatar_brl(abs(dif))} {'D' if dif > 0 else 'C'}",
                    )
                )
        return erros


def separar_intra(
    partes: Sequence[tuple[str, Saldos]],
) -> tuple[list[dict[Chave, Valores]], Eliminacao]:
    """Tira de cada entidade os saldos intra-OFSS; devolve o que fica e o eliminado."""
    restos: list[dict[Chave, Valores]] = []
    linhas: list[LinhaEliminada] = []
    for entidade, saldos in partes:
        fica: dict[Chave, Valores] = {}
        for chave, v in saldos.items():
            if e_intra_ofss(chave[0]):
                if any(v):
                    linhas.append(LinhaEliminada(entidade, chave[0], chave[1], *v))
            else:
                fica[chave] = v
        restos.append(fica)
    linhas.sort(key=lambda ln: (ln.conta, ln.conta_corrente, ln.entidade))
    return restos, Eliminacao(tuple(linhas))


# ------------------------------------------------------------- consolidação
class Consolidado(NamedTuple):
    balancete: Balancete  # o consolidado (sem os intra-OFSS, se eliminados)
    partes: tuple[Balancete, ...]  # um por entidade, bruto, na ordem pedida
    eliminacao: Eliminacao | None


def consolidar(
    plano: PlanoContas,
    partes: Sequence[tuple[str, Saldos]],
    *,
    ano: int,
    inicio: int,
    fim: int,
    por_conta_corrente: bool = False,
    nivel_maximo: int | None = None,
    eliminar_intra: bool = False,
) -> Consolidado:
    """Soma os saldos das entidades (por conta e conta corrente) e monta os balancetes."""
    entidades = tuple(e for e, _ in partes)

    def montar(saldos: Saldos, ents: tuple[str, ...]) -> Balancete:
        return balancete_de_totais(
            plano,
            saldos,
            entidades=ents,
            ano=ano,
            inicio=inicio,
            fim=fim,
            por_conta_corrente=por_conta_corrente,
            nivel_maximo=nivel_maximo,
        )

    eliminacao: Eliminacao | None = None
    if eliminar_intra:
        restos, eliminacao = separar_intra(partes)
        soma = somar(restos)
    else:
        soma = somar([s for _, s in partes])
    return Consolidado(
        montar(soma, entidades),
        tuple(montar(s, (e,)) for e, s in partes),
        eliminacao,
    )


class LinhaColunas(NamedTuple):
    codigo: str
    titulo: str
    nivel: int
    conta_corrente: str
    por_entidade: tuple[int, ...]  # saldo atual de cada entidade (+ D, − C)
    eliminado: int  # soma das entidades − consolidado
    consolidado: int


def colunas(c: Consolidado) -> list[LinhaColunas]:
    """Uma coluna de saldo atual por entidade, a das eliminações e a consolidada."""
    por_parte = [{(ln.codigo, ln.conta_corrente): ln for ln in b.linhas} for b in c.partes]
    consolidado = {(ln.codigo, ln.conta_corrente): ln for ln in c.balancete.linhas}
    chaves: set[Chave] = set(consolidado)
    for p in por_parte:
        chaves |= set(p)
    saida: list[LinhaColunas] = []
    for chave in sorted(chaves):
        ref = consolidado.get(chave) or next(p[chave] for p in por_parte if chave in p)
        valores = tuple(p[chave].atual if chave in p else 0 for p in por_parte)
        total = consolidado[chave].atual if chave in consolidado else 0
        saida.append(
            LinhaColunas(
                chave[0], ref.titulo, ref.nivel, chave[1], valores, sum(valores) - total, total
            )
        )
    return saida
