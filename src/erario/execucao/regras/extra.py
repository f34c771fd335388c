"""Regras dos extraorçamentários: ingresso e pagamento (valores restituíveis
2.1.8 e créditos a receber 1.1.3.8) e os documentos sem lançamento (empenho e
liquidação extraorçamentários)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.eventos import (
    EmpenhoExtra,
    IngressoExtra,
    LiquidacaoExtra,
    PagamentoExtra,
)
from erario.execucao.regras.comum import (
    Atributos,
    Regra,
    acima,
    aumenta_extra,
    chave_extra,
    conferir_conta_bancaria,
    credor_invalido,
    quitacoes,
)
from erario.execucao.saldos import SaldoEmpenhoExtra, SaldoLiquidacaoExtra
from erario.orcamento.classificacao import fonte_exercicios_anteriores

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario


def _somar_empenhado(c: ControleOrcamentario, chave: tuple[str, str, str, str], v: int) -> None:
    c.extra_empenhado[chave] = c.extra_empenhado.get(chave, 0) + v


# ------------------------------------------------------------ ingresso e pagamento
def _conferir_movimento(
    c: ControleOrcamentario, ev: IngressoExtra | PagamentoExtra, atributos: Atributos
) -> list[Erro]:
    erros = conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
    erros += credor_invalido(ev.credor)
    if not aumenta_extra(ev):
        chave = chave_extra(ev)
        saldo = c.extras.get(chave, 0)
        if ev.valor > saldo:
            erro = acima(
                "EXEC-EXTRA-SALDO",
                "pagamento extraorçamentário"
                if isinstance(ev, PagamentoExtra)
                else "ingresso extraorçamentário",
                ev.valor,
                f"saldo de {ev.credor} em {ev.conta_passivo}",
                saldo,
            )
            # O que veio de exercícios anteriores atravessou o ano na fonte 2xxx.
            anterior = fonte_exercicios_anteriores(chave[3])
            no_anterior = c.extras.get((*chave[:3], anterior), 0)
            if anterior != chave[3] and no_anterior >= ev.valor:
                erro = replace(
                    erro,
                    mensagem=f"{erro.mensagem}; há {formatar_brl(no_anterior)} de "
                    f"exercícios anteriores na fonte {anterior}: use-a no evento",
                )
            erros.append(erro)
    if isinstance(ev, PagamentoExtra) and ev.liquidacao:
        erros += _conferir_pagamento_de_liquidacao(c, ev)
    atributos |= {
        "FR": ev.fonte.texto_cc,
        "CR": ev.credor,
        "FP": "F",
        "conta_banco": ev.conta_banco,
        "DB": ev.domicilio,
        "conta_passivo": ev.conta_passivo,
    }
    return erros


def _conferir_pagamento_de_liquidacao(c: ControleOrcamentario, ev: PagamentoExtra) -> list[Erro]:
    liq = c.liquidacoes_extra.get((ev.entidade, ev.liquidacao))
    if liq is None or (ev.entidade, ev.liquidacao) in c.estornados:
        return [
            Erro(
                "EXEC-EXTRA",
                f"liquidação extraorçamentária {ev.liquidacao} não existe",
                "liquidacao",
            )
        ]
    if c.empenhos_extra[(ev.entidade, liq.empenho)].chave != chave_extra(ev):
        return [
            Erro(
                "EXEC-EXTRA",
                f"liquidação extraorçamentária {ev.liquidacao} é de outra conta, credor ou fonte",
                "liquidacao",
            )
        ]
    if ev.valor > liq.a_pagar:
        return [
            acima(
                "EXEC-EXTRA-SALDO",
                "pagamento extraorçamentário",
                ev.valor,
                f"saldo a pagar da liquidação extraorçamentária {ev.liquidacao}",
                liq.a_pagar,
            )
        ]
    return []


def _aplicar_movimento(
    c: ControleOrcamentario, ev: IngressoExtra | PagamentoExtra, sinal: int
) -> None:
    v = sinal * ev.valor
    chave = chave_extra(ev)
    sinal_extra = 1 if aumenta_extra(ev) else -1
    c.extras[chave] = c.extras.get(chave, 0) + sinal_extra * v
    if isinstance(ev, PagamentoExtra) and ev.liquidacao:
        liq = c.liquidacoes_extra[(ev.entidade, ev.liquidacao)]
        liq.pago += v
        emp = c.empenhos_extra[(ev.entidade, liq.empenho)]
        emp.pago += v
        _somar_empenhado(c, emp.chave, -v)


def _motivo_movimento(c: ControleOrcamentario, ev: IngressoExtra | PagamentoExtra) -> str | None:
    if aumenta_extra(ev) and ev.valor > c.extras.get(chave_extra(ev), 0):
        return "o valor já foi devolvido, recolhido ou compensado"
    return None


# ------------------------------------------------------------ empenho extraorçamentário
def _conferir_empenho(
    c: ControleOrcamentario, ev: EmpenhoExtra, atributos: Atributos
) -> list[Erro]:
    erros = []
    if not ev.conta.startswith(("2.1.8", "1.1.3.8")):
        erros.append(
            Erro(
                "EXEC-EXTRA",
                f"conta {ev.conta}: o empenho extraorçamentário é de valores "
                "restituíveis (2.1.8) ou de créditos a receber (1.1.3.8)",
                "conta",
            )
        )
    erros += credor_invalido(ev.credor)
    if ev.conta.startswith("2"):
        chave = (ev.entidade, ev.conta, ev.credor, ev.fonte.texto_cc)
        saldo = c.extras.get(chave, 0) - c.extra_empenhado.get(chave, 0)
        if ev.valor > saldo:
            erros.append(
                acima(
                    "EXEC-EXTRA-SALDO",
                    "empenho extraorçamentário",
                    ev.valor,
                    f"saldo ainda não empenhado de {ev.credor} em {ev.conta}",
                    saldo,
                )
            )
    return erros


def _aplicar_empenho(c: ControleOrcamentario, ev: EmpenhoExtra, sinal: int) -> None:
    chave = (ev.entidade, ev.conta, ev.credor, ev.fonte.texto_cc)
    if sinal > 0:
        c.empenhos_extra[(ev.entidade, ev.id)] = SaldoEmpenhoExtra(chave, ev.valor)
    _somar_empenhado(c, chave, sinal * ev.valor)


def _motivo_empenho(c: ControleOrcamentario, ev: EmpenhoExtra) -> str | None:
    if c.empenhos_extra[(ev.entidade, ev.id)].liquidado:
        return "o empenho extraorçamentário tem liquidação: estorne-a antes"
    return None


# ------------------------------------------------------------ liquidação extraorçamentária
def _conferir_liquidacao(
    c: ControleOrcamentario, ev: LiquidacaoExtra, atributos: Atributos
) -> list[Erro]:
    emp = c.empenhos_extra.get((ev.entidade, ev.empenho))
    if emp is None or (ev.entidade, ev.empenho) in c.estornados:
        return [Erro("EXEC-EXTRA", f"empenho extraorçamentário {ev.empenho} não existe", "empenho")]
    if ev.valor > emp.a_liquidar:
        return [
            acima(
                "EXEC-EXTRA-SALDO",
                "liquidação extraorçamentária",
                ev.valor,
                f"saldo a liquidar do empenho extraorçamentário {ev.empenho}",
                emp.a_liquidar,
            )
        ]
    return []


def _aplicar_liquidacao(c: ControleOrcamentario, ev: LiquidacaoExtra, sinal: int) -> None:
    if sinal > 0:
        c.liquidacoes_extra[(ev.entidade, ev.id)] = SaldoLiquidacaoExtra(ev.empenho, ev.valor)
    c.empenhos_extra[(ev.entidade, ev.empenho)].liquidado += sinal * ev.valor


def _motivo_liquidacao(c: ControleOrcamentario, ev: LiquidacaoExtra) -> str | None:
    if c.liquidacoes_extra[(ev.entidade, ev.id)].pago:
        return "a liquidação extraorçamentária tem " + quitacoes(c, ev.entidade, ev.id)
    return None


REGRAS: dict[type, Regra[Any]] = {
    IngressoExtra: Regra(_conferir_movimento, _aplicar_movimento, _motivo_movimento),
    PagamentoExtra: Regra(_conferir_movimento, _aplicar_movimento, _motivo_movimento),
    EmpenhoExtra: Regra(_conferir_empenho, _aplicar_empenho, _motivo_empenho),
    LiquidacaoExtra: Regra(_conferir_liquidacao, _aplicar_liquidacao, _motivo_liquidacao),
}
