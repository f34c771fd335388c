"""O que o razão diz de um pacote e-Sfinge (``esfinge.RazaoEsfinge``), para as regras
que conferem o pacote contra o razão: saldo contábil das contas bancárias em 31/12,
aplicações do mês e contas bancárias movimentadas no mês."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from erario.conciliacao import casamento
from erario.execucao.cadastros import ContaBancaria, TipoContaBancaria
from erario.leiautes import esfinge as esf
from erario.leiautes.esfinge_geracao import DadosPacote, aplicacoes_do_mes
from erario.razao.modelo import atributos_cc


def _chave(cb: ContaBancaria) -> tuple[str, str, str]:
    return esf.chave_bancaria(
        {"codigoBanco": cb.banco, "codigoAgencia": cb.agencia, "codigoContaBancaria": cb.conta}
    )


def _decimal(v: object) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal("0.00")


def razao_esfinge(dados: DadosPacote) -> esf.RazaoEsfinge:
    """Fatos do razão do mês de ``dados`` (as aplicações, calculadas como na geração)."""
    bancarias = [c.conta for c in dados.contas if c.conta.tipo != TipoContaBancaria.CAIXA]
    por_db = {cb.codigo: cb for cb in bancarias}
    movimentos: dict[tuple[str, str, str], dt.date] = {}
    for lanc in dados.lancamentos:
        if (lanc.data.year, lanc.data.month) != (dados.ano, dados.mes):
            continue
        for p in lanc.partidas:
            cb = por_db.get(atributos_cc(p.conta_corrente).get("DB", ""))
            if cb is not None and p.conta == cb.conta_contabil:
                k = _chave(cb)
                movimentos[k] = max(movimentos.get(k, lanc.data), lanc.data)
    saldos: dict[tuple[str, str, str], Decimal] = {}
    if dados.mes == 12:
        fim = dt.date(dados.ano, 12, 31)
        contabeis = casamento.saldos_contabeis(
            dados.lancamentos, {cb.conta_contabil for cb in bancarias}, fim
        )
        for cb in bancarias:
            centavos = contabeis.get((cb.conta_contabil, cb.codigo), 0)
            saldos[_chave(cb)] = Decimal(centavos).scaleb(-2)
    aplicacoes = {
        (str(item["codigoContaContabil"]), str(item.get("contaCorrenteContabil") or "")): (
            _decimal(item.get("valorAplicado")),
            _decimal(item.get("valorResgatado")),
            _decimal(item.get("valorRendimento")),
        )
        for item in aplicacoes_do_mes(dados)
    }
    return esf.RazaoEsfinge(saldos, aplicacoes, movimentos)
