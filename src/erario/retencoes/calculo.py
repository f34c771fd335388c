"""Cálculo das retenções propostas numa liquidação com serviço (manual "Serviço e
Desconto", seções 1.3 e 1.7).

Sem tabela do IRRF nem teto do INSS, cada desconto do serviço é o seu percentual
sobre o valor da liquidação (1.3). Com a tabela do IRRF do exercício, o IR Pessoa
Física é apurado sobre todas as liquidações do fornecedor no mês, com base =
total − INSS, descontado o IR já retido no mês; com teto do INSS vigente, o INSS
é apurado sobre o total do mês (mais o recebido de outras fontes) limitado ao
teto, descontado o já retido no mês e pelas outras fontes (1.7). Nesses casos o
percentual do serviço é desconsiderado (1.8, ATENÇÃO).

Arredondamento: ``ROUND_HALF_UP`` ao centavo em cada valor calculado (cada
produto base × alíquota), como o manual faz nos exemplos da seção 1.7; as
subtrações seguintes são de centavos inteiros, exatas. Valores em centavos (int).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Final, NamedTuple

from erario.core.codigos import somente_digitos
from erario.core.dinheiro import Dinheiro
from erario.core.erros import Erro
from erario.execucao.cadastros import Credor
from erario.retencoes.cadastros import (
    Desconto,
    FaixaIRRF,
    InssOutrasFontes,
    Rotina,
    ServicoDesconto,
    TabelaIRRF,
    TetoINSS,
    TipoDesconto,
    tipo_do_codigo,
    validar_desconto_informado,
)

# Contexto local (nunca o global): precisão folgada para base × alíquota exatos.
_CTX: Final = Context(prec=38, rounding=ROUND_HALF_UP)


class LiquidacaoServico(NamedTuple):
    """A liquidação que está sendo incluída, com o serviço informado."""

    fornecedor: Credor
    data: dt.date
    valor: int  # "Valor Lançamento", centavos
    servico: int


class Retencao(NamedTuple):
    desconto: int  # código do desconto (o tipo vem da faixa do código)
    valor: int  # centavos


class LiquidacaoAnterior(NamedTuple):
    """Liquidação já incluída, com as retenções que de fato ficaram (o usuário pode
    ter editado ou excluído as propostas; sem retenção ela entra na apuração do
    mesmo jeito — seção 1.8, ATENÇÃO)."""

    fornecedor: str  # CPF/CNPJ
    data: dt.date
    valor: int
    retencoes: tuple[Retencao, ...] = ()


class DescontoCalculado(NamedTuple):
    desconto: int
    tipo: TipoDesconto
    base: int  # parte do valor desta liquidação sobre a qual o desconto incide
    valor: int


class ResultadoCalculo(NamedTuple):
    descontos: tuple[DescontoCalculado, ...]  # em ordem de código do desconto
    avisos: tuple[Erro, ...]  # descontos do serviço não gerados, e por quê


def _reais(centavos: int) -> Decimal:
    return Decimal(centavos).scaleb(-2, context=_CTX)


def percentual_sobre(base: int, percentual: Decimal) -> int:
    """base × percentual %, arredondado ROUND_HALF_UP ao centavo (ponto único de
    arredondamento de todo produto do cálculo; seções 1.3 e 1.7). Seção 1.3:
    "11% de R$ 1.000,00" = R$ 110,00."""
    produto = _CTX.multiply(_reais(base), percentual.scaleb(-2, context=_CTX))
    return Dinheiro.arredondar(produto, ROUND_HALF_UP).centavos


def faixa_irrf(tabela: TabelaIRRF, base: int) -> FaixaIRRF:
    """Primeira faixa cujo limite alcança a base ("até R$ 2.826,65"); acima de todos
    os limites, a última (a tabela do manual termina em R$ 99.999.999.999.999,00)."""
    for faixa in tabela.faixas:
        if base <= faixa.limite:
            return faixa
    return tabela.faixas[-1]


def irrf_da_tabela(tabela: TabelaIRRF, base: int) -> int:
    """IR sobre a base pela tabela progressiva (seção 1.7): alíquota × base,
    arredondado ao centavo como no manual ("7,5% de R$ 2.670,00 = R$ 200,25";
    "27,5% ... = R$ 1.473,36"), menos a "Dedução Base"; nunca negativo."""
    if base <= 0 or not tabela.faixas:
        return 0
    faixa = faixa_irrf(tabela, base)
    return max(0, percentual_sobre(base, faixa.aliquota) - faixa.deducao)


def inss_do_mes(base_mes: int, teto: TetoINSS, outras_base: int = 0, outras_retido: int = 0) -> int:
    """INSS devido por esta fonte pagadora no mês (seção 1.7): alíquota × o total do
    mês somado ao recebido em outras fontes, limitado ao teto, arredondado ao centavo
    ("Teto INSS para cálculo (11%) R$ 5.839,45 = R$ 642,34"), menos o que as outras
    fontes já retiveram; nunca negativo."""
    salario_contribuicao = min(base_mes + outras_base, teto.valor)
    return max(0, percentual_sobre(salario_contribuicao, teto.aliquota) - outras_retido)


def teto_vigente(tetos: Iterable[TetoINSS], data: dt.date) -> TetoINSS | None:
    """O teto de data inicial mais recente que não passa da data da liquidação."""
    vigentes = [t for t in tetos if t.data_inicial <= data]
    return max(vigentes, key=lambda t: t.data_inicial) if vigentes else None


def tabela_do_exercicio(tabelas: Iterable[TabelaIRRF], ano: int) -> TabelaIRRF | None:
    for t in tabelas:
        if t.exercicio == ano and t.faixas:
            return t
    return None


def _retido(liquidacoes: Iterable[LiquidacaoAnterior], tipo: TipoDesconto) -> int:
    return sum(
        r.valor for a in liquidacoes for r in a.retencoes if tipo_do_codigo(r.desconto) == tipo
    )


# Ordem de cálculo: o INSS antes do IR PF, porque a base do IR é o total menos o INSS.
_ORDEM: Final = {TipoDesconto.INSS: 0, TipoDesconto.IRRF_PF: 2}


def calcular_retencoes(
    liquidacao: LiquidacaoServico,
    servicos_descontos: Iterable[ServicoDesconto],
    descontos: Mapping[int, Desconto],
    *,
    tabelas_irrf: Iterable[TabelaIRRF] = (),
    tetos_inss: Iterable[TetoINSS] = (),
    anteriores: Iterable[LiquidacaoAnterior] = (),
    outras_fontes: Iterable[InssOutrasFontes] = (),
    rotina: Rotina = Rotina.LIQUIDACAO,
) -> ResultadoCalculo:
    """Descontos propostos para a liquidação (o usuário pode editá-los ou excluí-los).

    ``anteriores`` e ``outras_fontes`` podem trazer outros fornecedores e meses: só
    contam os do mesmo fornecedor (CPF/CNPJ) no mesmo mês e ano da liquidação.
    """
    doc = somente_digitos(liquidacao.fornecedor.documento)
    data = liquidacao.data
    do_mes = [
        a
        for a in anteriores
        if somente_digitos(a.fornecedor) == doc
        and (a.data.year, a.data.month) == (data.year, data.month)
    ]
    outras = [
        o
        for o in outras_fontes
        if somente_digitos(o.fornecedor) == doc and (o.ano, o.mes) == (data.year, data.month)
    ]
    outras_base = sum(o.base for o in outras)
    outras_retido = sum(o.retido for o in outras)
    teto = teto_vigente(tetos_inss, data)
    tabela = tabela_do_exercicio(tabelas_irrf, data.year)

    avisos: list[Erro] = []
    aplicaveis: list[tuple[Desconto, ServicoDesconto]] = []
    for sd in servicos_descontos:
        if sd.servico != liquidacao.servico:
            continue
        d = descontos.get(sd.desconto)
        if d is None:
            avisos.append(
                Erro(
                    "RET-SERVICO-DESCONTO-REFERENCIA",
                    f"desconto {sd.desconto} não cadastrado",
                    "desconto",
                    origem=f"serviço {sd.servico}",
                )
            )
            continue
        # Controle de Geração (1.1) e IR PF só para PF / IR PJ só para PJ (1.4): o
        # desconto "não será gerado", e o aviso diz por quê.
        problemas = validar_desconto_informado(liquidacao.fornecedor, d, rotina)
        if problemas:
            avisos.extend(problemas)
            continue
        aplicaveis.append((d, sd))
    aplicaveis.sort(key=lambda par: (_ORDEM.get(par[0].tipo, 1), par[0].codigo))

    propostos: list[DescontoCalculado] = []
    inss_agora = 0  # INSS proposto nesta liquidação (entra na base do IR)
    irpf_agora = 0
    for d, sd in aplicaveis:
        base = liquidacao.valor
        if d.tipo == TipoDesconto.INSS and teto is not None:
            # Seção 1.7: apuração do mês, só com as liquidações a partir da data
            # inicial do teto, somando outras fontes e limitada ao teto.
            considerados = [a for a in do_mes if a.data >= teto.data_inicial]
            base_antes = sum(a.valor for a in considerados)
            devido = inss_do_mes(base_antes + liquidacao.valor, teto, outras_base, outras_retido)
            valor = max(0, devido - _retido(considerados, TipoDesconto.INSS) - inss_agora)
            base = max(
                0,
                min(base_antes + liquidacao.valor + outras_base, teto.valor)
                - min(base_antes + outras_base, teto.valor),
            )
            if valor == 0:
                avisos.append(
                    Erro(
                        "RET-INSS-TETO",
                        f"o desconto {d.codigo} não é gerado: a retenção do INSS do fornecedor "
                        f"{liquidacao.fornecedor.documento} já atingiu o teto em "
                        f"{data.month:02d}/{data.year}",
                        "desconto",
                    )
                )
        elif d.tipo == TipoDesconto.IRRF_PF and tabela is not None:
            # Seção 1.7: base do IR = total do mês (−) INSS do mês (o já retido nas
            # liquidações anteriores mais o proposto agora), pela tabela, menos o IR
            # já retido no mês.
            total_mes = sum(a.valor for a in do_mes) + liquidacao.valor
            inss_mes = _retido(do_mes, TipoDesconto.INSS) + inss_agora
            devido = irrf_da_tabela(tabela, total_mes - inss_mes)
            valor = max(0, devido - _retido(do_mes, TipoDesconto.IRRF_PF) - irpf_agora)
            base = max(0, liquidacao.valor - inss_agora)
        else:
            # Seção 1.3: percentual do serviço sobre o valor da liquidação.
            valor = percentual_sobre(liquidacao.valor, sd.percentual)
        if d.tipo == TipoDesconto.INSS:
            inss_agora += valor
        elif d.tipo == TipoDesconto.IRRF_PF:
            irpf_agora += valor
        if valor > 0:  # retenção zerada não é gerada (1.8, ATENÇÃO)
            propostos.append(DescontoCalculado(d.codigo, d.tipo, base, valor))
    propostos.sort(key=lambda p: p.desconto)
    return ResultadoCalculo(tuple(propostos), tuple(avisos))


def calcular_mes(
    liquidacoes: Sequence[LiquidacaoServico],
    servicos_descontos: Sequence[ServicoDesconto],
    descontos: Mapping[int, Desconto],
    *,
    tabelas_irrf: Sequence[TabelaIRRF] = (),
    tetos_inss: Sequence[TetoINSS] = (),
    outras_fontes: Sequence[InssOutrasFontes] = (),
) -> list[ResultadoCalculo]:
    """Inclui as liquidações em sequência, cada uma ficando com as retenções
    propostas (o caso em que o usuário aceita o que o sistema sugere)."""
    anteriores: list[LiquidacaoAnterior] = []
    resultados: list[ResultadoCalculo] = []
    for liq in liquidacoes:
        r = calcular_retencoes(
            liq,
            servicos_descontos,
            descontos,
            tabelas_irrf=tabelas_irrf,
            tetos_inss=tetos_inss,
            anteriores=anteriores,
            outras_fontes=outras_fontes,
        )
        resultados.append(r)
        anteriores.append(
            LiquidacaoAnterior(
                liq.fornecedor.documento,
                liq.data,
                liq.valor,
                tuple(Retencao(p.desconto, p.valor) for p in r.descontos),
            )
        )
    return resultados
