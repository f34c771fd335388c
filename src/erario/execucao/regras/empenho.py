"""Regras da despesa: empenho, anulação, despesa em liquidação, liquidação e
pagamento (Lei 4.320/1964, arts. 58 a 65)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from erario.core.erros import Erro
from erario.execucao.eventos import (
    AnulacaoEmpenho,
    EmLiquidacao,
    Empenho,
    Liquidacao,
    Pagamento,
)
from erario.execucao.regras.comum import (
    CONTA_CREDITO_DISPONIVEL,
    CONTA_PRE_EMPENHADO,
    Atributos,
    Regra,
    acima,
    atributos_empenho,
    conferir_conta_bancaria,
    conferir_restos,
    credor_invalido,
    empenho_vivo,
    mesma_conta,
    quitacoes,
    sem_inscricao,
)
from erario.execucao.saldos import (
    EXERCICIO,
    RPNP,
    RPP,
    SaldoEmLiquidacao,
    SaldoEmpenho,
    SaldoLiquidacao,
)

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario


# ------------------------------------------------------------ empenho
def _conferir_empenho(c: ControleOrcamentario, ev: Empenho, atributos: Atributos) -> list[Erro]:
    atributos["conta_credito_empenho"] = (
        CONTA_PRE_EMPENHADO if ev.reserva else CONTA_CREDITO_DISPONIVEL
    )
    atributos |= {
        "DO": ev.dotacao,
        "FR": ev.fonte.texto_cc,
        "CR": ev.credor,
        "empenho": ev.id,
    }
    erros = credor_invalido(ev.credor)
    dot = c.dotacoes.get((ev.entidade, ev.data.year, ev.dotacao))
    if dot is None:
        erros.append(Erro("EXEC-DOTACAO", f"dotação {ev.dotacao} não existe", "dotacao"))
        return erros
    if dot.fonte != ev.fonte.texto_cc:
        erros.append(
            Erro(
                "EXEC-FONTE",
                f"fonte {ev.fonte} diferente da fonte da dotação {ev.dotacao} ({dot.fonte})",
                "fonte",
            )
        )
    if ev.reserva:
        # Empenho de reserva: consome o pré-empenho, não o crédito disponível.
        res = c.reservas.get((ev.entidade, ev.reserva))
        if res is None or (ev.entidade, ev.reserva) in c.estornados:
            erros.append(Erro("EXEC-RESERVA", f"reserva {ev.reserva} não existe", "reserva"))
        elif res.dotacao != ev.dotacao:
            erros.append(
                Erro(
                    "EXEC-RESERVA",
                    f"reserva {ev.reserva} é da dotação {res.dotacao}, não de {ev.dotacao}",
                    "reserva",
                )
            )
        elif ev.valor > res.saldo:
            erros.append(
                acima(
                    "EXEC-RESERVA-SALDO",
                    "empenho",
                    ev.valor,
                    f"saldo da reserva {ev.reserva}",
                    res.saldo,
                )
            )
    elif ev.valor > dot.disponivel:
        erros.append(
            acima(
                "EXEC-DOTACAO-SALDO",
                "empenho",
                ev.valor,
                f"crédito disponível da dotação {ev.dotacao}",
                dot.disponivel,
            )
        )
    return erros


def _aplicar_empenho(c: ControleOrcamentario, ev: Empenho, sinal: int) -> None:
    v = sinal * ev.valor
    ano = ev.data.year
    if ev.reserva:
        c.reservas[(ev.entidade, ev.reserva)].empenhado += v
        c.dotacoes[(ev.entidade, ano, ev.dotacao)].reservado -= v
    if sinal > 0:
        c.empenhos[(ev.entidade, ev.id)] = SaldoEmpenho(
            ano, ev.dotacao, ev.fonte.texto_cc, ev.credor, ev.valor
        )
    c.dotacoes[(ev.entidade, ano, ev.dotacao)].empenhado += v


def _motivo_empenho(c: ControleOrcamentario, ev: Empenho) -> str | None:
    emp = c.empenhos[(ev.entidade, ev.id)]
    if emp.liquidado or emp.anulado or emp.inscrito:
        return "o empenho tem liquidação ou anulação: estorne-as antes"
    if emp.em_liquidacao:
        return "o empenho tem despesa em liquidação: estorne-a antes"
    return None


# ------------------------------------------------ anulação, em liquidação, liquidação
def _conferir_execucao(
    c: ControleOrcamentario,
    ev: AnulacaoEmpenho | Liquidacao | EmLiquidacao,
    atributos: Atributos,
) -> list[Erro]:
    """Anular, pôr em liquidação e liquidar consomem o mesmo saldo: o que o empenho
    tem a liquidar fora do que já está em liquidação; a liquidação de um evento
    em_liquidacao, o que resta dele."""
    erros: list[Erro] = []
    emp = empenho_vivo(c, ev.entidade, ev.empenho, erros)
    if emp is None:
        return erros
    de_em = isinstance(ev, Liquidacao) and bool(ev.em_liquidacao)
    anulacao = isinstance(ev, AnulacaoEmpenho)
    erros += conferir_restos(ev, emp, ev.empenho, cancelavel=anulacao)
    if not de_em and ev.valor > emp.a_liquidar_livre:
        erros.append(
            acima(
                "EXEC-ANULACAO-SALDO" if anulacao else "EXEC-LIQUIDACAO-SALDO",
                "anulação"
                if anulacao
                else "liquidação"
                if isinstance(ev, Liquidacao)
                else "despesa em liquidação",
                ev.valor,
                f"saldo a liquidar do empenho {ev.empenho}"
                + (" que não está em liquidação" if emp.em_liquidacao else ""),
                emp.a_liquidar_livre,
            )
        )
    atributos |= atributos_empenho(emp, ev.empenho)
    if isinstance(ev, AnulacaoEmpenho):
        return erros
    atributos |= {
        "documento": ev.documento,
        "conta_vpd": ev.conta_vpd,
        "conta_passivo": ev.conta_passivo,
    }
    rp = "_rpnp" if emp.inscrito else ""
    if isinstance(ev, EmLiquidacao):
        if rp:
            atributos["roteiro"] = "em_liquidacao_rpnp"
    elif de_em:
        # Do que o evento em_liquidacao reconheceu: as contas são as dele.
        em = _conferir_de_em_liquidacao(c, ev, erros)
        if em is not None:
            atributos["conta_vpd"] = em.conta_vpd
            atributos["conta_passivo"] = em.conta_passivo
        atributos["roteiro"] = f"liquidacao{rp}_em_liquidacao"
    elif rp:
        atributos["roteiro"] = "liquidacao_rpnp"
    return erros


def _conferir_de_em_liquidacao(
    c: ControleOrcamentario, ev: Liquidacao, erros: list[Erro]
) -> SaldoEmLiquidacao | None:
    """O evento em_liquidacao que a liquidação cita, se é do mesmo empenho e tem
    as mesmas contas (ou a liquidação as omite); senão None e os erros."""
    chave = (ev.entidade, ev.em_liquidacao)
    em = c.em_liquidacoes.get(chave)
    if em is None or chave in c.estornados:
        erros.append(
            Erro(
                "EXEC-EM-LIQUIDACAO",
                f"evento em_liquidacao {ev.em_liquidacao} não existe",
                "em_liquidacao",
            )
        )
        return None
    if em.empenho != ev.empenho:
        erros.append(
            Erro(
                "EXEC-EM-LIQUIDACAO",
                f"o evento em_liquidacao {ev.em_liquidacao} é do empenho {em.empenho}, "
                f"não de {ev.empenho}",
                "em_liquidacao",
            )
        )
        return None
    for campo, nossa, dele in (
        ("conta_vpd", ev.conta_vpd, em.conta_vpd),
        ("conta_passivo", ev.conta_passivo, em.conta_passivo),
    ):
        if nossa and not mesma_conta(nossa, dele):
            erros.append(
                Erro(
                    "EXEC-EM-LIQUIDACAO",
                    f"{campo} {nossa} diferente da reconhecida no evento em_liquidacao "
                    f"{ev.em_liquidacao} ({dele}): omita-a ou repita-a",
                    campo,
                )
            )
    if ev.valor > em.a_liquidar:
        erros.append(
            acima(
                "EXEC-LIQUIDACAO-SALDO",
                "liquidação",
                ev.valor,
                f"saldo em liquidação do evento {ev.em_liquidacao}",
                em.a_liquidar,
            )
        )
    return em


def _aplicar_anulacao(c: ControleOrcamentario, ev: AnulacaoEmpenho, sinal: int) -> None:
    v = sinal * ev.valor
    emp = c.empenhos[(ev.entidade, ev.empenho)]
    emp.anulado += v
    c.dotacoes[(ev.entidade, emp.ano, emp.dotacao)].empenhado -= v


def _motivo_anulacao(c: ControleOrcamentario, ev: AnulacaoEmpenho) -> str | None:
    emp = c.empenhos[(ev.entidade, ev.empenho)]
    if ev.valor > c.dotacoes[(ev.entidade, emp.ano, emp.dotacao)].disponivel:
        return "o crédito devolvido pela anulação já foi empenhado de novo"
    return None


def _aplicar_em_liquidacao(c: ControleOrcamentario, ev: EmLiquidacao, sinal: int) -> None:
    if sinal > 0:
        c.em_liquidacoes[(ev.entidade, ev.id)] = SaldoEmLiquidacao(
            ev.data.year, ev.empenho, ev.valor, ev.conta_vpd, ev.conta_passivo
        )
    c.empenhos[(ev.entidade, ev.empenho)].em_liquidacao += sinal * ev.valor


def _motivo_em_liquidacao(c: ControleOrcamentario, ev: EmLiquidacao) -> str | None:
    em = c.em_liquidacoes[(ev.entidade, ev.id)]
    if em.liquidado or em.cancelado:
        return "a despesa em liquidação já tem liquidação ou cancelamento: estorne-o antes"
    return None


def _aplicar_liquidacao(c: ControleOrcamentario, ev: Liquidacao, sinal: int) -> None:
    v = sinal * ev.valor
    ano = ev.data.year
    emp = c.empenhos[(ev.entidade, ev.empenho)]
    em = c.em_liquidacoes[(ev.entidade, ev.em_liquidacao)] if ev.em_liquidacao else None
    if sinal > 0:
        chave_mes = (ev.entidade, emp.credor, ano, ev.data.month)
        c.liquidacoes_do_mes.setdefault(chave_mes, []).append(ev.id)
        c.liquidacoes[(ev.entidade, ev.id)] = SaldoLiquidacao(
            ano,
            ev.empenho,
            ev.valor,
            ev.conta_passivo if em is None else em.conta_passivo,
            situacao=RPNP if emp.inscrito else EXERCICIO,
        )
    emp.liquidado += v
    if emp.inscrito:
        emp.rpnp_liquidado += v
    if em is not None:
        em.liquidado += v
        emp.em_liquidacao -= v


def _motivo_liquidacao(c: ControleOrcamentario, ev: Liquidacao) -> str | None:
    liq = c.liquidacoes[(ev.entidade, ev.id)]
    if liq.pago or liq.cancelado:
        return "a liquidação tem " + quitacoes(c, ev.entidade, ev.id)
    return None


# ------------------------------------------------------------ pagamento
def _conferir_pagamento(c: ControleOrcamentario, ev: Pagamento, atributos: Atributos) -> list[Erro]:
    erros: list[Erro] = []
    liq = c.liquidacoes.get((ev.entidade, ev.liquidacao))
    if liq is None or (ev.entidade, ev.liquidacao) in c.estornados:
        erros.append(
            Erro("EXEC-LIQUIDACAO", f"liquidação {ev.liquidacao} não existe", "liquidacao")
        )
    else:
        if ev.valor > liq.a_pagar:
            erros.append(
                acima(
                    "EXEC-PAGAMENTO-SALDO",
                    "pagamento",
                    ev.valor,
                    f"liquidado a pagar da liquidação {ev.liquidacao}",
                    liq.a_pagar,
                )
            )
        emp = c.empenhos[(ev.entidade, liq.empenho)]
        if liq.situacao == EXERCICIO and ev.data.year > liq.ano:
            erros.append(sem_inscricao(liq.empenho, liq.ano))
        if liq.situacao != EXERCICIO:
            atributos["roteiro"] = f"pagamento_{liq.situacao}"
        atributos |= atributos_empenho(emp, liq.empenho) | {
            "conta_passivo": liq.conta_passivo,
            "conta_banco": ev.conta_banco,
            "DB": ev.domicilio,
        }
    erros += conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
    return erros


def _aplicar_pagamento(c: ControleOrcamentario, ev: Pagamento, sinal: int) -> None:
    v = sinal * ev.valor
    liq = c.liquidacoes[(ev.entidade, ev.liquidacao)]
    liq.pago += v
    emp = c.empenhos[(ev.entidade, liq.empenho)]
    emp.pago += v
    if liq.situacao == RPP:
        emp.rpp_pago += v
    elif liq.situacao == RPNP:
        emp.rpnp_pago += v


REGRAS: dict[type, Regra[Any]] = {
    Empenho: Regra(_conferir_empenho, _aplicar_empenho, _motivo_empenho),
    AnulacaoEmpenho: Regra(_conferir_execucao, _aplicar_anulacao, _motivo_anulacao),
    EmLiquidacao: Regra(_conferir_execucao, _aplicar_em_liquidacao, _motivo_em_liquidacao),
    Liquidacao: Regra(_conferir_execucao, _aplicar_liquidacao, _motivo_liquidacao),
    Pagamento: Regra(_conferir_pagamento, _aplicar_pagamento),
}
