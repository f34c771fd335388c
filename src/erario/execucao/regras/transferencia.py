"""Regra da transferência financeira entre entidades do município (repasse à
Câmara, ao RPPS...): só confere as entidades e as contas bancárias; não muda
saldo do controle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from erario.core.erros import Erro
from erario.execucao.eventos import TransferenciaFinanceira
from erario.execucao.regras.comum import Atributos, Regra, conferir_conta_bancaria, conta_ddr

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario


def _conferir(
    c: ControleOrcamentario, ev: TransferenciaFinanceira, atributos: Atributos
) -> list[Erro]:
    erros = []
    if ev.entidade_destino == ev.entidade:
        erros.append(
            Erro(
                "EXEC-TRANSFERENCIA",
                "transferência financeira é entre entidades diferentes do município",
                "entidade_destino",
            )
        )
    erros += conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
    erros += conferir_conta_bancaria(ev.entidade_destino, ev.entidade_conta_destino)
    atributos |= {
        "entidade": ev.entidade,
        "entidade_destino": ev.entidade_destino,
        "FR": ev.fonte.texto_cc,
        "conta_banco": ev.conta_banco,
        "DB": ev.domicilio,
        "conta_banco_destino": ev.conta_banco_destino,
        "DB_destino": ev.domicilio_destino,
        "conta_ddr": conta_ddr(ev.fonte.vinculada),
    }
    return erros


def _aplicar(c: ControleOrcamentario, ev: TransferenciaFinanceira, sinal: int) -> None:
    """Sem saldo no controle: o evento só fica registrado."""


REGRAS: dict[type, Regra[Any]] = {TransferenciaFinanceira: Regra(_conferir, _aplicar)}
