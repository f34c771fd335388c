"""Regras da receita: previsão, arrecadação, previsão de dedução e dedução
(FUNDEB), por (entidade, exercício, natureza, fonte)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from erario.core.erros import Erro
from erario.execucao.eventos import (
    Arrecadacao,
    DeducaoReceita,
    PrevisaoDeducao,
    PrevisaoReceita,
)
from erario.execucao.regras.comum import (
    Atributos,
    Regra,
    acima,
    conferir_conta_bancaria,
    conta_ddr,
)
from erario.execucao.saldos import SaldoReceita

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario

EventoReceita = PrevisaoReceita | Arrecadacao | PrevisaoDeducao | DeducaoReceita


def _saldo(c: ControleOrcamentario, ev: EventoReceita) -> SaldoReceita:
    chave = (ev.entidade, ev.data.year, ev.natureza_receita, ev.fonte.texto_cc)
    return c.receitas.setdefault(chave, SaldoReceita())


def _conferir_previsao(
    c: ControleOrcamentario, ev: PrevisaoReceita | PrevisaoDeducao, atributos: Atributos
) -> list[Erro]:
    atributos |= {"NR": ev.natureza_receita, "FR": ev.fonte.texto_cc}
    return []


def _aplicar_previsao(c: ControleOrcamentario, ev: PrevisaoReceita, sinal: int) -> None:
    _saldo(c, ev).previsto += sinal * ev.valor


def _aplicar_previsao_deducao(c: ControleOrcamentario, ev: PrevisaoDeducao, sinal: int) -> None:
    _saldo(c, ev).deducao_prevista += sinal * ev.valor


def _conferir_arrecadacao(
    c: ControleOrcamentario, ev: Arrecadacao, atributos: Atributos
) -> list[Erro]:
    atributos |= {
        "NR": ev.natureza_receita,
        "FR": ev.fonte.texto_cc,
        "conta_banco": ev.conta_banco,
        "DB": ev.domicilio,
        "conta_vpa": ev.conta_vpa,
        "conta_ddr": conta_ddr(ev.fonte.vinculada),
    }
    return conferir_conta_bancaria(ev.entidade, ev.entidade_conta)


def _aplicar_arrecadacao(c: ControleOrcamentario, ev: Arrecadacao, sinal: int) -> None:
    _saldo(c, ev).arrecadado += sinal * ev.valor


def _motivo_arrecadacao(c: ControleOrcamentario, ev: Arrecadacao) -> str | None:
    rec = c.receitas[(ev.entidade, ev.data.year, ev.natureza_receita, ev.fonte.texto_cc)]
    if ev.valor > rec.arrecadado - rec.deduzido:
        return "a receita já tem deduções: estorne-as antes"
    return None


def _conferir_deducao(
    c: ControleOrcamentario, ev: DeducaoReceita, atributos: Atributos
) -> list[Erro]:
    erros = []
    rec = c.receitas.get((ev.entidade, ev.data.year, ev.natureza_receita, ev.fonte.texto_cc))
    arrecadado = rec.arrecadado - rec.deduzido if rec else 0
    if ev.valor > arrecadado:
        erros.append(
            acima(
                "EXEC-DEDUCAO-SALDO",
                "dedução",
                ev.valor,
                f"arrecadado e não deduzido da receita {ev.natureza_receita}",
                arrecadado,
            )
        )
    erros += conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
    atributos |= {
        "NR": ev.natureza_receita,
        "FR": ev.fonte.texto_cc,
        "conta_vpd": ev.conta_vpd,
        "conta_banco": ev.conta_banco,
        "DB": ev.domicilio,
        "conta_ddr": conta_ddr(ev.fonte.vinculada),
    }
    return erros


def _aplicar_deducao(c: ControleOrcamentario, ev: DeducaoReceita, sinal: int) -> None:
    _saldo(c, ev).deduzido += sinal * ev.valor


REGRAS: dict[type, Regra[Any]] = {
    PrevisaoReceita: Regra(_conferir_previsao, _aplicar_previsao),
    PrevisaoDeducao: Regra(_conferir_previsao, _aplicar_previsao_deducao),
    Arrecadacao: Regra(_conferir_arrecadacao, _aplicar_arrecadacao, _motivo_arrecadacao),
    DeducaoReceita: Regra(_conferir_deducao, _aplicar_deducao),
}
