"""Relatórios das retenções, a partir do controle da execução (funções puras).

- ``retencoes_por_fornecedor``: por fornecedor, mês e desconto — base (e de que
  base se trata), valor, retido (apropriado na liquidação ou retido no pagamento)
  ou ainda a reter;
- ``guias_a_recolher``: por desconto e competência, o retido e o seu destino: o
  IRRF e o ISS retidos pelo município são receita própria, já arrecadada na
  retenção (CF, art. 158, I, e art. 156, III) — nada a recolher; o INSS e demais
  descontos extraorçamentários são guia a pagar ao credor da retenção, com o
  recolhido (pagamentos extraorçamentários ao credor, do mais antigo ao mais
  novo), o a recolher e o vencimento;
- ``liquidacoes_com_situacao``: cada liquidação desdobrada — valor bruto, cada
  retenção (base, valor, situação) e o líquido — com a situação da apropriação
  (Apropriado, Não Apropria), como na busca de liquidações do manual.

Os três recebem o mesmo ``ano``: o exercício da data da liquidação (a competência
da retenção é o mês da liquidação); ``exercicio_padrao`` dá o padrão da CLI, o
mais recente com liquidações da entidade.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

from erario.execucao.cadastros import TipoPessoa
from erario.execucao.controle import ControleOrcamentario, SaldoLiquidacao
from erario.execucao.eventos import Liquidacao, Pagamento, PagamentoExtra, TipoEvento
from erario.retencoes.apropriacao import APROPRIADO, GERADO, descontos_retidos
from erario.retencoes.cadastros import (
    NOME_TIPO,
    TipoDesconto,
    TipoReceita,
    tipo_do_codigo,
    tipo_pessoa,
)
from erario.retencoes.carga import CadastroRetencoes

# Vencimento do recolhimento (só das guias a pagar): dia do mês seguinte ao da
# retenção. INSS retido de serviços: dia 20 (Lei 8.212/1991, art. 31 e art. 30, I,
# b); IRRF extraorçamentário (não o do município): dia 20 (Lei 11.196/2005, art.
# 70, I, d). ISS e demais: dia 10 — regra de cada município, a confirmar na lei
# local. Dia não útil não é ajustado.
DIA_VENCIMENTO: Final = {
    TipoDesconto.INSS: 20,
    TipoDesconto.IRRF_PF: 20,
    TipoDesconto.IRRF_PJ: 20,
    TipoDesconto.ISS: 10,
    TipoDesconto.OUTROS: 10,
}

# De que base se trata (seção 1.7; ``DescontoCalculado.base``): o INSS de pessoa
# física (pelo teto) e o IR PF (pela tabela) são apurados no mês do fornecedor, e a
# base guardada na liquidação é o quanto ela acrescentou à base do mês (INSS:
# mín(total do mês, folga sob o teto) depois − antes; IR PF: a base do mês depois
# − antes); os demais (INSS de PJ, ISS, IR PJ…) incidem sobre o valor da própria
# liquidação.
# Os únicos eventos que estes relatórios leem do controle (``controle.eventos``):
# quem os monta traz só estes (num banco de 1 M eventos, ~1/2 deles).
EVENTOS_LIDOS: Final = frozenset(
    {TipoEvento.LIQUIDACAO, TipoEvento.PAGAMENTO, TipoEvento.PAGAMENTO_EXTRA}
)

BASE_DO_MES: Final = "acréscimo da base do mês"
BASE_DA_LIQUIDACAO: Final = "base desta liquidação"
BASE_NAO_INFORMADA: Final = "não informada"

RECEITA_PROPRIA: Final = "receita própria (arrecadada)"
GUIA_A_PAGAR: Final = "guia a pagar"


class LinhaRetencao(NamedTuple):
    fornecedor: str
    competencia: str  # AAAA-MM da liquidação
    desconto: int
    tipo: str
    liquidacao: str
    base: int
    base_de: str  # BASE_DO_MES, BASE_DA_LIQUIDACAO ou BASE_NAO_INFORMADA
    valor: int
    situacao: str  # "retido" ou "a reter"


class LinhaGuia(NamedTuple):
    desconto: int
    descricao: str
    tipo: str
    destino: str  # RECEITA_PROPRIA ou GUIA_A_PAGAR
    credor: str  # quem recebe a guia (vazio na receita própria)
    competencia: str
    vencimento: str  # da guia (vazio na receita própria)
    retido: int
    receita_propria: int  # arrecadada na retenção (IRRF, ISS do município)
    recolhido: int  # pago ao credor da guia
    a_recolher: int


class LinhaLiquidacao(NamedTuple):
    """Uma linha do desdobramento: a primeira de cada liquidação traz o valor bruto e
    o líquido; cada uma, um desconto (vazio se a liquidação não tem nenhum)."""

    liquidacao: str
    data: str
    fornecedor: str
    bruto: int | None
    desconto: str  # "451 – INSS SERVIÇOS"
    base: int | None
    base_de: str
    retencao: int | None
    situacao: str  # "apropriado na liquidação L1-L451", "retido no pagamento P1", "a reter…"
    liquido: int | None
    apropriacao: str  # Apropriado ou Não Apropria


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


def exercicio_padrao(controle: ControleOrcamentario, entidade: str) -> int | None:
    """O ``--ano`` padrão dos relatórios das retenções: o exercício mais recente com
    liquidação (não estornada) da entidade; None se não há nenhuma."""
    anos = [liq.data.year for liq, _ in _liquidacoes(controle, entidade)]
    return max(anos) if anos else None


def base_de(codigo: int, base: int, fornecedor: str) -> str:
    """De que base se trata a base guardada do desconto da liquidação do
    ``fornecedor`` (ver ``BASE_DO_MES``). Base zero: o desconto foi informado à mão,
    sem base."""
    if base == 0:
        return BASE_NAO_INFORMADA
    tipo = tipo_do_codigo(codigo)
    if tipo == TipoDesconto.IRRF_PF or (
        tipo == TipoDesconto.INSS and tipo_pessoa(fornecedor) == TipoPessoa.PF
    ):
        return BASE_DO_MES
    return BASE_DA_LIQUIDACAO


def retencoes_por_fornecedor(
    controle: ControleOrcamentario, entidade: str, ano: int | None, mes: int | None = None
) -> list[LinhaRetencao]:
    if ano is None:
        return []
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
                    base_de(codigo, base, credor),
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
    controle: ControleOrcamentario,
    cadastro: CadastroRetencoes,
    entidade: str,
    ano: int | None = None,
) -> list[LinhaGuia]:
    """Por desconto e competência (do exercício ``ano``; None: todos), o retido e o
    seu destino. Receita orçamentária (IRRF, ISS do próprio município: CF, art. 158,
    I, e art. 156, III): arrecadada na retenção, é receita própria e não há guia.
    Receita extraorçamentária (INSS): guia a pagar ao credor da retenção; o
    recolhido é o que se pagou a ele na conta do desconto, alocado às competências
    mais antigas primeiro (de todos os exercícios, antes de filtrar o ano)."""
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
            linha = LinhaGuia(
                codigo,
                d.descricao,
                NOME_TIPO[d.tipo],
                RECEITA_PROPRIA,
                "",
                competencia,
                "",
                valor,
                valor,
                0,
                0,
            )
        else:
            recolhido = min(valor, recolhido_total.get(codigo, 0))
            recolhido_total[codigo] = recolhido_total.get(codigo, 0) - recolhido
            linha = LinhaGuia(
                codigo,
                d.descricao,
                NOME_TIPO[d.tipo],
                GUIA_A_PAGAR,
                d.fornecedor,
                competencia,
                _vencimento(competencia, d.tipo).isoformat(),
                valor,
                0,
                recolhido,
                valor - recolhido,
            )
        if ano is None or competencia.startswith(f"{ano}-"):
            linhas.append(linha)
    return linhas


def _pagamentos(controle: ControleOrcamentario, entidade: str) -> dict[str, str]:
    """O primeiro pagamento vivo de cada liquidação, lançado pelo usuário (não o
    gerado pela retenção): o que reteve os descontos que ficaram nela."""
    primeiro: dict[str, str] = {}
    for (ent, codigo), ev in controle.eventos.items():
        if (
            ent == entidade
            and isinstance(ev, Pagamento)
            and not ev.gerado_por
            and (ent, codigo) not in controle.estornados
        ):
            primeiro.setdefault(ev.liquidacao, codigo)
    return primeiro


def liquidacoes_com_situacao(
    controle: ControleOrcamentario,
    entidade: str,
    ano: int | None,
    cadastro: CadastroRetencoes | None = None,
) -> list[LinhaLiquidacao]:
    """Cada liquidação do exercício ``ano`` (com as que a apropriação gerou dentro
    dela): o valor bruto (o da liquidação incluída), cada desconto — base, de que
    base se trata, retenção e situação — e o líquido (bruto − retenções). O
    desconto apropriado aparece com a liquidação "Gerado" que o contém."""
    if ano is None:
        return []
    nomes = {APROPRIADO: "Apropriado", "": "Não Apropria"}
    descricoes = {c: d.descricao for c, d in (cadastro.descontos if cadastro else {}).items()}
    pagamentos = _pagamentos(controle, entidade)
    grupos: dict[str, list[tuple[Liquidacao, SaldoLiquidacao]]] = {}
    for liq, saldo in _liquidacoes(controle, entidade):
        if liq.data.year == ano:
            grupos.setdefault(liq.gerado_por or liq.id, []).append((liq, saldo))
    linhas = []
    for raiz, partes in grupos.items():
        principal = next((liq for liq, _ in partes if liq.id == raiz), partes[0][0])
        credor = controle.empenhos[(entidade, principal.empenho)].credor
        itens: list[tuple[int, int, int, str]] = []  # código, base, valor, situação
        for liq, saldo in partes:
            if liq.apropriacao == GERADO:
                situacao = f"apropriado na liquidação {liq.id}"
            elif descontos_retidos(liq, saldo.pago):
                situacao = f"retido no pagamento {pagamentos.get(liq.id, '')}".rstrip()
            else:
                situacao = "a reter no pagamento"
            itens += [(c, b, v, situacao) for c, b, v in liq.descontos]
        itens.sort(key=lambda item: item[0])
        bruto = sum(liq.valor for liq, _ in partes)
        liquido = bruto - sum(v for _, _, v, _ in itens)
        data = principal.data.isoformat()
        apropriacao = nomes.get(principal.apropriacao, principal.apropriacao)
        if not itens:
            linhas.append(
                LinhaLiquidacao(
                    raiz, data, credor, bruto, "", None, "", None, "", liquido, apropriacao
                )
            )
        for k, (codigo, base, valor, situacao) in enumerate(itens):
            descricao = descricoes.get(codigo) or NOME_TIPO[tipo_do_codigo(codigo)]
            linhas.append(
                LinhaLiquidacao(
                    raiz,
                    data,
                    credor,
                    bruto if k == 0 else None,
                    f"{codigo} – {descricao}",
                    base or None,
                    base_de(codigo, base, credor),
                    valor,
                    situacao,
                    liquido if k == 0 else None,
                    apropriacao,
                )
            )
    return sorted(linhas, key=lambda ln: (ln.data, ln.liquidacao))
