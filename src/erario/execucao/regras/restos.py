"""Regra do cancelamento de restos a pagar (Lei 4.320/1964, art. 36): do empenho
inscrito (a liquidar), de um evento em liquidação dele ou de uma liquidação (a
pagar); o roteiro depende de qual saldo se cancela."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from erario.core.erros import Erro
from erario.execucao.eventos import CancelamentoRestosAPagar
from erario.execucao.regras.comum import Atributos, Regra, acima, atributos_empenho, empenho_vivo
from erario.execucao.saldos import EXERCICIO, RPP

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario


def _conferir(
    c: ControleOrcamentario, ev: CancelamentoRestosAPagar, atributos: Atributos
) -> list[Erro]:
    erros: list[Erro] = []
    emp = empenho_vivo(c, ev.entidade, ev.empenho, erros)
    if emp is None:
        return erros
    if not emp.inscrito:
        return [
            Erro(
                "EXEC-RP",
                f"empenho {ev.empenho} não está inscrito em restos a pagar",
                "empenho",
            )
        ]
    atributos |= atributos_empenho(emp, ev.empenho) | {"conta_vpa": ev.conta_vpa}
    if ev.em_liquidacao:
        # Do que um evento em_liquidacao pôs em liquidação: a obrigação que ele
        # reconheceu se desfaz (passivo contra VPA, como no RP liquidado).
        chave = (ev.entidade, ev.em_liquidacao)
        em = c.em_liquidacoes.get(chave)
        if ev.liquidacao or em is None or em.empenho != ev.empenho or chave in c.estornados:
            return [
                Erro(
                    "EXEC-EM-LIQUIDACAO",
                    "informe liquidacao ou em_liquidacao, não os dois"
                    if ev.liquidacao
                    else f"evento em_liquidacao {ev.em_liquidacao} não existe no "
                    f"empenho {ev.empenho}",
                    "em_liquidacao",
                )
            ]
        atributos["conta_passivo"] = em.conta_passivo
        saldo, o_que = em.a_liquidar, f"RP em liquidação do evento {ev.em_liquidacao}"
        roteiro = "rpnp_em_liquidacao"
    elif not ev.liquidacao:
        # Sem em_liquidacao, só o que não está em liquidação.
        saldo, o_que, roteiro = (
            emp.a_liquidar_livre,
            "RP não processado a liquidar"
            + (" que não está em liquidação" if emp.em_liquidacao else ""),
            "rpnp",
        )
    else:
        liq = c.liquidacoes.get((ev.entidade, ev.liquidacao))
        if (
            liq is None
            or liq.empenho != ev.empenho
            or ((ev.entidade, ev.liquidacao) in c.estornados)
        ):
            return [
                Erro(
                    "EXEC-LIQUIDACAO",
                    f"liquidação {ev.liquidacao} não existe no empenho {ev.empenho}",
                    "liquidacao",
                )
            ]
        if liq.situacao == EXERCICIO:
            return [
                Erro(
                    "EXEC-RP",
                    f"liquidação {ev.liquidacao} não está em restos a pagar",
                    "liquidacao",
                )
            ]
        atributos["conta_passivo"] = liq.conta_passivo
        saldo, o_que = liq.a_pagar, f"RP a pagar da liquidação {ev.liquidacao}"
        roteiro = "rpp" if liq.situacao == RPP else "rpnp_liquidado"
    atributos["roteiro"] = f"cancelamento_{roteiro}"
    if ev.valor > saldo:
        erros.append(acima("EXEC-RP-SALDO", "cancelamento", ev.valor, f"saldo de {o_que}", saldo))
    return erros


def _aplicar(c: ControleOrcamentario, ev: CancelamentoRestosAPagar, sinal: int) -> None:
    v = sinal * ev.valor
    emp = c.empenhos[(ev.entidade, ev.empenho)]
    if not ev.liquidacao:
        emp.cancelado += v
        emp.rpnp_cancelado += v
        if ev.em_liquidacao:
            c.em_liquidacoes[(ev.entidade, ev.em_liquidacao)].cancelado += v
            emp.em_liquidacao -= v
    else:
        liq = c.liquidacoes[(ev.entidade, ev.liquidacao)]
        liq.cancelado += v
        if liq.situacao == RPP:
            emp.rpp_cancelado += v
        else:
            emp.rpnp_cancelado += v


REGRAS: dict[type, Regra[Any]] = {CancelamentoRestosAPagar: Regra(_conferir, _aplicar)}
