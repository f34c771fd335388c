"""Regras da dotação: fixação (LOA), créditos adicionais, anulação de dotação,
reserva (pré-empenho) e anulação da reserva (Lei 4.320/1964, arts. 41 a 43)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from erario.core.erros import Erro
from erario.execucao.eventos import (
    AnulacaoDotacao,
    AnulacaoReserva,
    CoberturaCredito,
    CreditoAdicional,
    DotacaoInicial,
    ModalidadeCredito,
    ReservaDotacao,
)
from erario.execucao.regras.comum import Atributos, Regra, acima
from erario.execucao.saldos import SaldoDotacao, SaldoReserva

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario

# Conta do crédito adicional por modalidade e da fonte de cobertura (PCASP 5.2.2.1.2 e 5.2.2.1.3).
CONTA_CREDITO = {
    ModalidadeCredito.SUPLEMENTAR: "5.2.2.1.2.01.00",
    ModalidadeCredito.ESPECIAL: "5.2.2.1.2.02.01",
    ModalidadeCredito.EXTRAORDINARIO: "5.2.2.1.2.03.01",
}
CONTA_COBERTURA = {
    CoberturaCredito.SUPERAVIT: "5.2.2.1.3.01.00",
    CoberturaCredito.EXCESSO: "5.2.2.1.3.02.00",
    CoberturaCredito.ANULACAO: "5.2.2.1.3.03.00",
    CoberturaCredito.OPERACAO_CREDITO: "5.2.2.1.3.04.00",
}


def _nao_existe(dotacao: str) -> Erro:
    return Erro("EXEC-DOTACAO", f"dotação {dotacao} não existe", "dotacao")


# ------------------------------------------------------------ dotação inicial
def _conferir_inicial(
    c: ControleOrcamentario, ev: DotacaoInicial, atributos: Atributos
) -> list[Erro]:
    erros = []
    if (ev.entidade, ev.data.year, ev.dotacao) in c.dotacoes:
        erros.append(
            Erro(
                "EXEC-DOTACAO",
                f"dotação {ev.dotacao} já fixada: altere-a por crédito adicional",
                "dotacao",
            )
        )
    atributos |= {"DO": ev.dotacao, "FR": ev.fonte.texto_cc}
    return erros


def _aplicar_inicial(c: ControleOrcamentario, ev: DotacaoInicial, sinal: int) -> None:
    chave = (ev.entidade, ev.data.year, ev.dotacao)
    if sinal > 0:
        c.dotacoes[chave] = SaldoDotacao(ev.fonte.texto_cc)
    c.dotacoes[chave].fixado += sinal * ev.valor


def _motivo_inicial(c: ControleOrcamentario, ev: DotacaoInicial) -> str | None:
    if c.dotacoes[(ev.entidade, ev.data.year, ev.dotacao)].empenhado:
        return "a dotação tem empenhos"
    return None


# ------------------------------------------------------------ crédito adicional
def _conferir_credito(
    c: ControleOrcamentario, ev: CreditoAdicional, atributos: Atributos
) -> list[Erro]:
    atributos |= {
        "DO": ev.dotacao,
        "FR": ev.fonte.texto_cc,
        "modalidade": str(ev.modalidade),
        "conta_credito": CONTA_CREDITO[ev.modalidade],
    }
    if ev.cobertura is not None:
        atributos["conta_cobertura"] = CONTA_COBERTURA[ev.cobertura]
    dot = c.dotacoes.get((ev.entidade, ev.data.year, ev.dotacao))
    if ev.modalidade == ModalidadeCredito.SUPLEMENTAR:
        # Suplementar reforça dotação existente (Lei 4.320, art. 41, I).
        if dot is None:
            return [_nao_existe(ev.dotacao)]
        if dot.fonte != ev.fonte.texto_cc:
            return [
                Erro(
                    "EXEC-FONTE",
                    f"fonte {ev.fonte} diferente da fonte da dotação {ev.dotacao} ({dot.fonte})",
                    "fonte",
                )
            ]
    elif dot is not None:
        # Especial e extraordinário criam a dotação (art. 41, II e III).
        return [
            Erro(
                "EXEC-DOTACAO",
                f"dotação {ev.dotacao} já existe: reforce-a por crédito suplementar",
                "dotacao",
            )
        ]
    if ev.cobertura is None and ev.modalidade != ModalidadeCredito.EXTRAORDINARIO:
        return [
            Erro(
                "EXEC-COBERTURA",
                "crédito suplementar ou especial exige a indicação dos recursos que o "
                "cobrem (Lei 4.320/1964, art. 43)",
                "cobertura",
            )
        ]
    return []


def _aplicar_credito(c: ControleOrcamentario, ev: CreditoAdicional, sinal: int) -> None:
    chave = (ev.entidade, ev.data.year, ev.dotacao)
    if sinal > 0 and chave not in c.dotacoes:
        c.dotacoes[chave] = SaldoDotacao(ev.fonte.texto_cc)
    c.dotacoes[chave].adicional += sinal * ev.valor


def _motivo_credito(c: ControleOrcamentario, ev: CreditoAdicional) -> str | None:
    if ev.valor > c.dotacoes[(ev.entidade, ev.data.year, ev.dotacao)].disponivel:
        return "o crédito aberto já foi empenhado"
    return None


# ------------------------------------------------------------ anulação de dotação
def _conferir_anulacao(
    c: ControleOrcamentario, ev: AnulacaoDotacao, atributos: Atributos
) -> list[Erro]:
    dot = c.dotacoes.get((ev.entidade, ev.data.year, ev.dotacao))
    if dot is None:
        return [_nao_existe(ev.dotacao)]
    erros = []
    if ev.valor > dot.disponivel:
        erros.append(
            acima(
                "EXEC-DOTACAO-SALDO",
                "anulação",
                ev.valor,
                f"crédito disponível da dotação {ev.dotacao}",
                dot.disponivel,
            )
        )
    atributos |= {"DO": ev.dotacao, "FR": dot.fonte}
    return erros


def _aplicar_anulacao(c: ControleOrcamentario, ev: AnulacaoDotacao, sinal: int) -> None:
    c.dotacoes[(ev.entidade, ev.data.year, ev.dotacao)].reduzido += sinal * ev.valor


# ------------------------------------------------------------ reserva
def _atributos_dotacao(
    c: ControleOrcamentario, entidade: str, ano: int, dotacao: str, atributos: Atributos
) -> None:
    dot = c.dotacoes.get((entidade, ano, dotacao))
    if dot is not None:
        atributos |= {"DO": dotacao, "FR": dot.fonte}


def _conferir_reserva(
    c: ControleOrcamentario, ev: ReservaDotacao, atributos: Atributos
) -> list[Erro]:
    _atributos_dotacao(c, ev.entidade, ev.data.year, ev.dotacao, atributos)
    dot = c.dotacoes.get((ev.entidade, ev.data.year, ev.dotacao))
    if dot is None:
        return [_nao_existe(ev.dotacao)]
    if ev.valor > dot.disponivel:
        return [
            acima(
                "EXEC-DOTACAO-SALDO",
                "reserva",
                ev.valor,
                f"crédito disponível da dotação {ev.dotacao}",
                dot.disponivel,
            )
        ]
    return []


def _aplicar_reserva(c: ControleOrcamentario, ev: ReservaDotacao, sinal: int) -> None:
    ano = ev.data.year
    if sinal > 0:
        c.reservas[(ev.entidade, ev.id)] = SaldoReserva(ano, ev.dotacao, ev.valor)
    c.dotacoes[(ev.entidade, ano, ev.dotacao)].reservado += sinal * ev.valor


def _motivo_reserva(c: ControleOrcamentario, ev: ReservaDotacao) -> str | None:
    res = c.reservas[(ev.entidade, ev.id)]
    if res.empenhado or res.anulado:
        return "a reserva tem empenhos ou anulações: estorne-os antes"
    return None


# ------------------------------------------------------------ anulação da reserva
def _conferir_anulacao_reserva(
    c: ControleOrcamentario, ev: AnulacaoReserva, atributos: Atributos
) -> list[Erro]:
    atributos["reserva"] = ev.reserva
    res = c.reservas.get((ev.entidade, ev.reserva))
    _atributos_dotacao(
        c, ev.entidade, ev.data.year, res.dotacao if res is not None else "", atributos
    )
    if res is None or (ev.entidade, ev.reserva) in c.estornados:
        return [Erro("EXEC-RESERVA", f"reserva {ev.reserva} não existe", "reserva")]
    if res.ano != ev.data.year:
        return [Erro("EXEC-RESERVA", f"reserva {ev.reserva} é do exercício {res.ano}", "reserva")]
    if ev.valor > res.saldo:
        return [
            acima(
                "EXEC-RESERVA-SALDO",
                "anulação",
                ev.valor,
                f"saldo da reserva {ev.reserva}",
                res.saldo,
            )
        ]
    return []


def _aplicar_anulacao_reserva(c: ControleOrcamentario, ev: AnulacaoReserva, sinal: int) -> None:
    v = sinal * ev.valor
    res = c.reservas[(ev.entidade, ev.reserva)]
    res.anulado += v
    c.dotacoes[(ev.entidade, res.ano, res.dotacao)].reservado -= v


def _motivo_anulacao_reserva(c: ControleOrcamentario, ev: AnulacaoReserva) -> str | None:
    res = c.reservas[(ev.entidade, ev.reserva)]
    if ev.valor > c.dotacoes[(ev.entidade, res.ano, res.dotacao)].disponivel:
        return "o crédito devolvido pela anulação já foi usado"
    return None


REGRAS: dict[type, Regra[Any]] = {
    DotacaoInicial: Regra(_conferir_inicial, _aplicar_inicial, _motivo_inicial),
    CreditoAdicional: Regra(_conferir_credito, _aplicar_credito, _motivo_credito),
    AnulacaoDotacao: Regra(_conferir_anulacao, _aplicar_anulacao),
    ReservaDotacao: Regra(_conferir_reserva, _aplicar_reserva, _motivo_reserva),
    AnulacaoReserva: Regra(
        _conferir_anulacao_reserva, _aplicar_anulacao_reserva, _motivo_anulacao_reserva
    ),
}
