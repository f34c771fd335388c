"""Relatórios da execução a partir do controle (a visão orçamentária) e a
conferência dessa visão com o razão (a visão contábil).

Funções puras. A conferência segue o espírito das regras de consistência da
STN e dos TCEs entre o razão e a execução: o que o controle diz que foi
empenhado, pago, arrecadado… tem de estar nas contas de controle do PCASP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.controle import ControleOrcamentario


class LinhaDespesa(NamedTuple):
    dotacao: str
    fonte: str
    dotacao_inicial: int
    dotacao_atualizada: int
    empenhado: int  # bruto, sem as anulações
    anulado: int
    liquidado: int
    pago: int
    a_pagar: int  # liquidado e não pago
    saldo: int  # crédito disponível da dotação


class LinhaReceita(NamedTuple):
    natureza: str
    fonte: str
    previsao_inicial: int
    previsao_atualizada: int
    arrecadado: int
    a_arrecadar: int  # previsão atualizada − arrecadado (negativo = excesso de arrecadação)


def execucao_despesa(controle: ControleOrcamentario, entidade: str) -> list[LinhaDespesa]:
    """Execução da despesa por dotação (empenhos estornados não entram)."""
    por_dotacao: dict[str, list[int]] = {}
    for (ent, numero), emp in controle.empenhos.items():
        if ent != entidade or (ent, numero) in controle.estornados:
            continue
        soma = por_dotacao.setdefault(emp.dotacao, [0, 0, 0, 0])
        soma[0] += emp.valor
        soma[1] += emp.anulado
        soma[2] += emp.liquidado
        soma[3] += emp.pago
    linhas = []
    for (ent, dotacao), dot in sorted(controle.dotacoes.items()):
        if ent != entidade:
            continue
        emp_, anu, liq, pago = por_dotacao.get(dotacao, [0, 0, 0, 0])
        linhas.append(
            LinhaDespesa(
                dotacao,
                dot.fonte,
                dot.fixado,
                dot.atualizada,
                emp_,
                anu,
                liq,
                pago,
                liq - pago,
                dot.disponivel,
            )
        )
    return linhas


def execucao_receita(controle: ControleOrcamentario, entidade: str) -> list[LinhaReceita]:
    linhas = []
    for (ent, natureza, fonte), rec in sorted(controle.receitas.items()):
        if ent == entidade:
            linhas.append(
                LinhaReceita(
                    natureza,
                    fonte,
                    rec.previsto,
                    rec.previsto,
                    rec.arrecadado,
                    rec.previsto - rec.arrecadado,
                )
            )
    return linhas


# Contas de controle que espelham a execução (saldo com sinal: + devedor, − credor).
_EMPENHADO: Final = (
    "6.2.2.1.3.01.00",
    "6.2.2.1.3.02.00",
    "6.2.2.1.3.03.00",
    "6.2.2.1.3.04.00",
)
_PAGO: Final = "6.2.2.1.3.04.00"
_DISPONIVEL: Final = "6.2.2.1.1.00.00"
_PREVISTO: Final = "5.2.1.1.1.00.00"
_REALIZADA: Final = "6.2.1.2.0.00.00"

SaldosRazao = Mapping[tuple[str, str], int]  # (conta, conta corrente) → saldo com sinal


def _atributos(cc: str) -> dict[str, str]:
    return dict(item.partition("=")[::2] for item in cc.split("|") if item)


def conferir_com_razao(
    controle: ControleOrcamentario, entidade: str, saldos: SaldosRazao
) -> list[Erro]:
    """Diferenças entre o controle da execução e as contas do razão (``VER-EXECUCAO``)."""
    razao: dict[tuple[str, tuple[str, str]], int] = {}
    for (conta, cc), saldo in saldos.items():
        a = _atributos(cc)
        chave = (a.get("DO") or a.get("NR") or "", a.get("FR", ""))
        razao[(conta, chave)] = razao.get((conta, chave), 0) + saldo
        if conta in _EMPENHADO:
            razao[("empenhado", chave)] = razao.get(("empenhado", chave), 0) - saldo
    erros: list[Erro] = []

    def conferir(o_que: str, chave: tuple[str, str], controle_v: int, razao_v: int) -> None:
        if controle_v != razao_v:
            erros.append(
                Erro(
                    "VER-EXECUCAO",
                    f"{entidade}: {o_que} de {chave[0]} (fonte {chave[1]}): execução "
                    f"{formatar_brl(controle_v)}, razão {formatar_brl(razao_v)}",
                )
            )

    for ln in execucao_despesa(controle, entidade):
        chave = (ln.dotacao, ln.fonte)
        conferir(
            "empenhado líquido",
            chave,
            ln.empenhado - ln.anulado,
            razao.get(("empenhado", chave), 0),
        )
        conferir("pago", chave, ln.pago, -razao.get((_PAGO, chave), 0))
        conferir("crédito disponível", chave, ln.saldo, -razao.get((_DISPONIVEL, chave), 0))
    for lr in execucao_receita(controle, entidade):
        chave = (lr.natureza, lr.fonte)
        conferir("previsão", chave, lr.previsao_atualizada, razao.get((_PREVISTO, chave), 0))
        conferir("arrecadação", chave, lr.arrecadado, -razao.get((_REALIZADA, chave), 0))
    return erros
