"""Relatórios das retenções, a partir do controle da execução (funções puras).

- ``retencoes_por_fornecedor``: por fornecedor, mês e desconto — base e valor,
  retido (apropriado na liquidação ou retido no pagamento) ou ainda a reter;
- ``guias_a_recolher``: por desconto e competência, o retido, o recolhido
  (pagamentos extraorçamentários ao credor da retenção, do mais antigo ao mais
  novo) e o vencimento;
- ``liquidacoes_com_situacao``: cada liquidação com a situação da apropriação
  (Apropriado, Gerado, Não Apropria), como na busca de liquidações do manual.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

from erario.execucao.controle import ControleOrcamentario, SaldoLiquidacao
from erario.execucao.eventos import Liquidacao, PagamentoExtra
from erario.retencoes.apropriacao import APROPRIADO, GERADO, descontos_retidos
from erario.retencoes.cadastros import NOME_TIPO, TipoDesconto, TipoReceita, tipo_do_codigo
from erario.retencoes.carga import CadastroRetencoes

# Vencimento do recolhimento: dia do mês seguinte ao da retenção. INSS retido de
# serviços: dia 20 (Lei 8.212/1991, art. 31 e art. 30, I, b); IRRF: dia 20 (Lei
# 11.196/2005, art. 70, I, d). ISS e demais: dia 10 — regra de cada município,
# a confirmar na lei local. Dia não útil não é ajustado.
DIA_VENCIMENTO: Final = {
    TipoDesconto.INSS: 20,
    TipoDesconto.IRRF_PF: 20,
    TipoDesconto.IRRF_PJ: 20,
    TipoDesconto.ISS: 10,
    TipoDesconto.OUTROS: 10,
}


class LinhaRetencao(NamedTuple):
    fornecedor: str
    competencia: str  # AAAA-MM da liquidação
    desconto: int
    tipo: str
    liquidacao: str
    base: int
    valor: int
    situacao: str  # "retido" ou "a reter"


class LinhaGuia(NamedTuple):
    desconto: int
    descricao: str
    credor: str  # quem recebe o recolhimento
    competencia: str
    vencimento: str
    retido: int
    recolhido: int
    a_recolher: int


class LinhaLiquidacao(NamedTuple):
    liquidacao: str
    data: str
    empenho: str
    fornecedor: str
    valor: int
    descontos: int
    liquido: int
    apropriacao: str  # Apropriado, Gerado ou Não Apropria


def _liquidacoes(
    controle: ControleOrcamentario, entidade: str
) -> list[tuple[Liquidacao, SaldoLiquidacao]]:
    """Liquidações da entidade não estornadas, com o saldo de cada uma, na ordem de
    registro (o controle guarda o evento e o saldo juntos)."""
    return [
        (ev, saldo)
        for chave, saldo in controle.liquidacoes.items()
        if chave[0] == entidade
        and chave not in controle.estornados
        and isinstance(ev := controle.eventos[chave], Liquidacao)
    ]


def retencoes_por_fornecedor(
    controle: ControleOrcamentario, entidade: str, ano: int, mes: int | None = None
) -> list[LinhaRetencao]:
    linhas = []
    for liq, saldo in _liquidacoes(controle, entidade):
        if liq.data.year != ano or (mes is not None and liq.data.month != mes):
            continue
        credor = controle.empenhos[(entidade, liq.empenho)].credor
        # Apropriado (liquidação gerada) ou retido no primeiro pagamento.
        retido = descontos_retidos(liq, saldo.pago)
        for codigo, base, valor in liq.descontos:
            linhas.append(
                LinhaRetencao(
                    credor,
                    f"{liq.data:%Y-%m}",
                    codigo,
                    NOME_TIPO[tipo_do_codigo(codigo)],
                    liq.gerado_por or liq.id,
                    base,
                    valor,
                    "retido" if retido else "a reter",
                )
            )
    return sorted(linhas)


def _vencimento(competencia: str, tipo: TipoDesconto) -> dt.date:
    ano, mes = map(int, competencia.split("-"))
    ano, mes = (ano + 1, 1) if mes == 12 else (ano, mes + 1)
    return dt.date(ano, mes, DIA_VENCIMENTO[tipo])


def guias_a_recolher(
    controle: ControleOrcamentario, cadastro: CadastroRetencoes, entidade: str
) -> list[LinhaGuia]:
    """Extraorçamentários: o recolhido é o que se pagou ao credor da retenção na
    conta do desconto, alocado às competências mais antigas primeiro. Orçamentários
    (IRRF, ISS do próprio município): receita já arrecadada, nada a recolher."""
    retido: dict[tuple[int, str], int] = {}
    for liq, saldo in _liquidacoes(controle, entidade):
        if not descontos_retidos(liq, saldo.pago):
            continue
        for codigo, _, valor in liq.descontos:
            chave = (codigo, f"{liq.data:%Y-%m}")
            retido[chave] = retido.get(chave, 0) + valor
    # Desconto extraorçamentário de cada (conta, credor da retenção): o primeiro do
    # cadastro, se dois coincidirem.
    desconto_de: dict[tuple[str, str], int] = {}
    for desc in cadastro.descontos.values():
        if desc.tipo_receita == TipoReceita.EXTRAORCAMENTARIA:
            desconto_de.setdefault((desc.receita, desc.fornecedor), desc.codigo)
    recolhido_total: dict[int, int] = {}
    for (ent, codigo_ev), ev in controle.eventos.items():
        if ent != entidade or not isinstance(ev, PagamentoExtra):
            continue
        if (ent, codigo_ev) in controle.estornados:
            continue
        desconto = desconto_de.get((ev.conta_passivo, ev.credor))
        if desconto is not None:
            recolhido_total[desconto] = recolhido_total.get(desconto, 0) + ev.valor
    linhas = []
    for (codigo, competencia), valor in sorted(retido.items()):
        d = cadastro.descontos.get(codigo)
        if d is None:
            continue
        if d.tipo_receita == TipoReceita.ORCAMENTARIA:
            recolhido = valor  # receita própria: entrou na arrecadação
        else:
            recolhido = min(valor, recolhido_total.get(codigo, 0))
            recolhido_total[codigo] = recolhido_total.get(codigo, 0) - recolhido
        linhas.append(
            LinhaGuia(
                codigo,
                d.descricao,
                d.fornecedor,
                competencia,
                _vencimento(competencia, d.tipo).isoformat(),
                valor,
                recolhido,
                valor - recolhido,
            )
        )
    return linhas


def liquidacoes_com_situacao(
    controle: ControleOrcamentario, entidade: str, ano: int | None = None
) -> list[LinhaLiquidacao]:
    nomes = {APROPRIADO: "Apropriado", GERADO: "Gerado", "": "Não Apropria"}
    linhas = []
    for liq, _ in _liquidacoes(controle, entidade):
        if ano is not None and liq.data.year != ano:
            continue
        descontos = sum(v for _, _, v in liq.descontos)
        linhas.append(
            LinhaLiquidacao(
                liq.id,
                liq.data.isoformat(),
                liq.empenho,
                controle.empenhos[(entidade, liq.empenho)].credor,
                liq.valor,
                descontos,
                liq.valor - descontos,
                nomes.get(liq.apropriacao, liq.apropriacao),
            )
        )
    return sorted(linhas, key=lambda ln: (ln.data, ln.liquidacao))
