"""Saldos que o controle da execução guarda por documento (dotação, reserva,
empenho, liquidação, receita, extraorçamentários). Só dados: as regras que os
mudam estão em ``execucao.regras``; o estado, em ``execucao.controle``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class SaldoDotacao:
    fonte: str
    fixado: int = 0  # dotação inicial (LOA)
    adicional: int = 0  # créditos adicionais abertos
    reduzido: int = 0  # anulações de dotação
    empenhado: int = 0  # líquido de anulações de empenho
    reservado: int = 0  # reservas (pré-empenhos) ainda não empenhadas nem anuladas

    @property
    def atualizada(self) -> int:
        return self.fixado + self.adicional - self.reduzido

    @property
    def disponivel(self) -> int:
        return self.atualizada - self.empenhado - self.reservado


@dataclass(slots=True)
class SaldoReserva:
    ano: int
    dotacao: str
    valor: int
    anulado: int = 0
    empenhado: int = 0

    @property
    def saldo(self) -> int:
        return self.valor - self.anulado - self.empenhado


@dataclass(slots=True)
class SaldoEmpenho:
    ano: int
    dotacao: str
    fonte: str
    credor: str
    valor: int
    anulado: int = 0
    liquidado: int = 0
    pago: int = 0
    # Em liquidação (eventos ``em_liquidacao``) e ainda não liquidado: parte do que
    # há a liquidar (no razão, 6.2.2.1.3.02 ou, inscrito, 6.3.1.2/6.3.1.7.2).
    em_liquidacao: int = 0
    # Restos a pagar (Lei 4.320/1964, art. 36): ano de inscrição (0 = não inscrito)
    # e o que foi inscrito, liquidado, pago e cancelado depois dela.
    inscrito: int = 0
    cancelado: int = 0  # RP não processado cancelado do que havia a liquidar
    rpnp_inscrito: int = 0
    rpp_inscrito: int = 0
    rpnp_liquidado: int = 0
    rpnp_pago: int = 0
    rpp_pago: int = 0
    rpnp_cancelado: int = 0
    rpp_cancelado: int = 0

    @property
    def a_liquidar(self) -> int:
        return self.valor - self.anulado - self.liquidado - self.cancelado

    @property
    def a_liquidar_livre(self) -> int:
        """O a liquidar que não está em liquidação (no razão, 6.2.2.1.3.01 ou 6.3.1.1):
        o que a anulação, a liquidação comum, um novo ``em_liquidacao`` e o
        cancelamento de RP não processado consomem."""
        return self.a_liquidar - self.em_liquidacao


@dataclass(slots=True)
class SaldoEmLiquidacao:
    """Um evento ``em_liquidacao``: o valor posto em liquidação, as contas da
    obrigação reconhecida e o que dele já se liquidou ou se cancelou (RP)."""

    ano: int
    empenho: str
    valor: int
    conta_vpd: str
    conta_passivo: str
    liquidado: int = 0
    cancelado: int = 0  # RP não processado em liquidação cancelado

    @property
    def a_liquidar(self) -> int:
        return self.valor - self.liquidado - self.cancelado


# Situação da liquidação: do exercício, RP processado (liquidada antes da
# inscrição) ou RP não processado liquidado depois da inscrição.
EXERCICIO, RPP, RPNP = "", "rpp", "rpnp"


@dataclass(slots=True)
class SaldoLiquidacao:
    ano: int
    empenho: str
    valor: int
    conta_passivo: str
    pago: int = 0
    cancelado: int = 0
    situacao: str = EXERCICIO

    @property
    def a_pagar(self) -> int:
        return self.valor - self.pago - self.cancelado


@dataclass(slots=True)
class SaldoEmpenhoExtra:
    chave: tuple[str, str, str, str]  # (entidade, conta, credor, fonte), como em ``extras``
    valor: int
    liquidado: int = 0
    pago: int = 0

    @property
    def a_liquidar(self) -> int:
        return self.valor - self.liquidado


@dataclass(slots=True)
class SaldoLiquidacaoExtra:
    empenho: str
    valor: int
    pago: int = 0

    @property
    def a_pagar(self) -> int:
        return self.valor - self.pago


@dataclass(slots=True)
class SaldoReceita:
    previsto: int = 0
    arrecadado: int = 0
    deducao_prevista: int = 0  # FUNDEB
    deduzido: int = 0
