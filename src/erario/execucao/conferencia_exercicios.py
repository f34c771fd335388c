"""Conferências de cada exercício e entre exercícios (``erario verificar``).

Funções puras sobre saldos já agregados — com sinal (+ devedor, − credor) por
(conta, conta corrente) —, nunca sobre lançamentos: servem a razões de milhões
de partidas. Cada diferença vira um ``Erro`` com a entidade, o exercício, as
contas, a conta corrente e os dois valores:

- ``VER-ABERTURA``: exercício encerrado (encerramento vigente), a abertura do
  seguinte (período 0) é, conta a conta e conta corrente a conta corrente, a que
  ``saldos_de_abertura`` dá dos saldos finais (até o período 13);
- ``VER-PATRIMONIO``: no fim do exercício (até o período 13), ativo = passivo +
  patrimônio líquido (+ VPA − VPD enquanto não encerrado): as classes 1 a 4
  somam zero;
- ``VER-SUBSISTEMA``: classe 5 = classe 6 em cada subsistema (5.1 = 6.1,
  5.2 = 6.2, 5.3 = 6.3), no fim do exercício;
- ``VER-DDR`` (só entidades com execução orçamentária por eventos): em cada
  fonte (atributo ``FR`` da conta corrente), 7.2.1.1 (devedor) = 8.2.1.1
  (credor) no fim do exercício; e, no exercício encerrado, depois do
  encerramento, caixa e equivalentes (1.1.1) = 7.2.1.1.

Classes, grupos e contas são lidos pelos 7 níveis do PCASP Federação
(``pcasp``): valem nos planos estendidos (níveis a mais). Código fora do padrão
(sem classe de 1 a 8) não entra em nenhuma soma.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.encerramento import ContasDoPlano, pcasp, saldos_de_abertura
from erario.razao.modelo import PlanoContas, atributos_cc

Saldos = Mapping[tuple[str, str], int]

SUBSISTEMAS: Final = (
    ("1", "planejamento aprovado", "execução do planejamento"),
    ("2", "orçamento aprovado", "execução do orçamento"),
    ("3", "inscrição de restos a pagar", "execução de restos a pagar"),
)
CAIXA: Final = ("1", "1", "1")
CONTROLE_DDR: Final = ("7", "2", "1", "1")
DDR: Final = ("8", "2", "1", "1")


def conferir_exercicios(
    entidade: str,
    finais: Mapping[int, Saldos],
    aberturas: Mapping[int, Saldos],
    encerrados: Collection[int],
    plano: PlanoContas | ContasDoPlano | None,
    *,
    ddr: bool,
) -> list[Erro]:
    """Todas as conferências de uma entidade. ``finais``: por exercício com
    lançamentos, os saldos até o período 13; ``aberturas``: por exercício, os do
    período 0; ``encerrados``: exercícios com encerramento vigente; ``plano``: o
    da entidade (só lido havendo exercício encerrado); ``ddr``: a entidade
    executa o orçamento por eventos (mantém a DDR)."""
    erros: list[Erro] = []
    if encerrados:
        if plano is None:
            raise ValueError("a conferência da abertura precisa do plano de contas")
        contas = plano if isinstance(plano, ContasDoPlano) else ContasDoPlano(plano)
        for ano in sorted(encerrados):
            erros += conferir_abertura(
                entidade, ano, finais.get(ano, {}), aberturas.get(ano + 1, {}), contas
            )
    for ano in sorted(finais):
        encerrado = ano in encerrados
        erros += conferir_patrimonio(entidade, ano, finais[ano], encerrado)
        erros += conferir_subsistemas(entidade, ano, finais[ano])
        if ddr:
            erros += conferir_ddr(entidade, ano, finais[ano], encerrado)
    return erros


def conferir_abertura(
    entidade: str,
    ano: int,
    finais: Saldos,
    abertura: Saldos,
    plano: PlanoContas | ContasDoPlano,
) -> list[Erro]:
    """``VER-ABERTURA``: a abertura de ``ano + 1`` (``abertura``, período 0) contra
    a que sai dos saldos finais de ``ano`` (``finais``, depois do encerramento)."""
    esperada, erros_a = saldos_de_abertura(finais, plano)
    erros = [
        Erro("VER-ABERTURA", f"abertura de {entidade} {ano + 1}: {e.mensagem}") for e in erros_a
    ]
    for conta, cc in sorted(esperada.keys() | abertura.keys()):
        real, devida = abertura.get((conta, cc), 0), esperada.get((conta, cc), 0)
        if real != devida:
            erros.append(
                Erro(
                    "VER-ABERTURA",
                    f"abertura de {entidade} {ano + 1} conta {conta} [{cc}]: razão "
                    f"{_dc(real)}, saldo final de {ano} transportado {_dc(devida)}",
                )
            )
    return erros


def conferir_patrimonio(entidade: str, ano: int, saldos: Saldos, encerrado: bool) -> list[Erro]:
    """``VER-PATRIMONIO``: ativo (classe 1) = passivo e PL (classe 2) + VPA − VPD."""
    classes = {c: 0 for c in "1234"}
    for (conta, _), v in saldos.items():
        classe = _segmentos(conta)[0]
        if classe in classes:
            classes[classe] += v
    ativo = classes["1"]
    passivo = -classes["2"]
    resultado = -classes["3"] - classes["4"]
    if ativo == passivo + resultado:
        return []
    outro = "passivo e patrimônio líquido (classe 2)"
    if not encerrado or resultado:
        outro += " + VPA − VPD (classes 4 e 3)"
    return [
        Erro(
            "VER-PATRIMONIO",
            f"patrimônio de {entidade} {ano} no fim do exercício: ativo (classe 1) "
            f"{formatar_brl(ativo)} ≠ {outro} {formatar_brl(passivo + resultado)}",
        )
    ]


def conferir_subsistemas(entidade: str, ano: int, saldos: Saldos) -> list[Erro]:
    """``VER-SUBSISTEMA``: 5.k (devedor) = 6.k (credor), k = 1, 2, 3."""
    somas: dict[tuple[str, str], int] = {}
    for (conta, _), v in saldos.items():
        seg = _segmentos(conta)
        if len(seg) > 1 and seg[0] in ("5", "6"):
            chave = (seg[0], seg[1])
            somas[chave] = somas.get(chave, 0) + v
    erros: list[Erro] = []
    for k, aprovado, execucao in SUBSISTEMAS:
        devedor, credor = somas.get(("5", k), 0), -somas.get(("6", k), 0)
        if devedor != credor:
            erros.append(
                Erro(
                    "VER-SUBSISTEMA",
                    f"subsistema {k} de {entidade} {ano} no fim do exercício: 5.{k} "
                    f"{aprovado} {formatar_brl(devedor)} ≠ 6.{k} {execucao} "
                    f"{formatar_brl(credor)}",
                )
            )
    return erros


def conferir_ddr(entidade: str, ano: int, saldos: Saldos, encerrado: bool) -> list[Erro]:
    """``VER-DDR``: por fonte, 7.2.1.1 = 8.2.1.1; encerrado, 1.1.1 = 7.2.1.1."""
    caixa: dict[str, int] = {}
    controle: dict[str, int] = {}
    ddr: dict[str, int] = {}
    for (conta, cc), v in saldos.items():
        seg = _segmentos(conta)
        if tuple(seg[:4]) == CONTROLE_DDR:
            destino = controle
        elif tuple(seg[:4]) == DDR:
            destino = ddr
        elif tuple(seg[:3]) == CAIXA:
            destino = caixa
        else:
            continue
        fonte = atributos_cc(cc).get("FR", "")
        destino[fonte] = destino.get(fonte, 0) + v
    erros: list[Erro] = []
    for fonte in sorted(controle.keys() | ddr.keys()):
        devedor, credor = controle.get(fonte, 0), -ddr.get(fonte, 0)
        if devedor != credor:
            erros.append(
                Erro(
                    "VER-DDR",
                    f"DDR de {entidade} {ano} no fim do exercício [{_fonte(fonte)}]: 7.2.1.1 "
                    f"controle da disponibilidade {formatar_brl(devedor)} ≠ 8.2.1.1 "
                    f"execução da disponibilidade {formatar_brl(credor)}",
                )
            )
    if encerrado:
        for fonte in sorted(caixa.keys() | controle.keys()):
            em_caixa, devedor = caixa.get(fonte, 0), controle.get(fonte, 0)
            if em_caixa != devedor:
                erros.append(
                    Erro(
                        "VER-DDR",
                        f"DDR de {entidade} {ano} depois do encerramento [{_fonte(fonte)}]: "
                        f"1.1.1 caixa e equivalentes {formatar_brl(em_caixa)} ≠ 7.2.1.1 "
                        f"controle da disponibilidade {formatar_brl(devedor)}",
                    )
                )
    return erros


def _segmentos(conta: str) -> list[str]:
    return pcasp(conta).split(".")


def _fonte(fonte: str) -> str:
    return f"FR={fonte}" if fonte else "sem fonte"


def _dc(saldo: int) -> str:
    """Saldo com sinal como ``D 1.234,56``, ``C 1.234,56`` ou ``0,00``."""
    if not saldo:
        return "0,00"
    return f"{'D' if saldo > 0 else 'C'} {formatar_brl(abs(saldo))}"
