"""Cálculo das retenções propostas numa liquidação com serviço (manual "Serviço e
Desconto", seções 1.3 e 1.7, e a lei; fórmulas em ``docs/retencoes.md``).

- **INSS de pessoa física** (contribuinte individual, Lei 10.666/2003, art. 4º):
  apurado no mês pelo teto em vigor na data. Folga = teto − base de outras fontes
  no mês; devido aqui = alíquota × mín(total das liquidações do fornecedor no mês
  aqui, folga); proposto = devido − INSS já retido aqui no mês.
- **INSS de pessoa jurídica** (cessão de mão de obra/empreitada, Lei 8.212/1991,
  art. 31) e demais descontos: percentual do serviço sobre o valor bruto da
  liquidação, sem teto (seção 1.3).
- **IR pessoa física**: pela tabela em vigor na data da liquidação, sobre o mês:
  base = rendimentos do mês − mais(INSS do mês, desconto simplificado); IR do mês
  = tabela(base) − redução da Lei 15.270/2025; proposto = IR do mês − IR já
  retido no mês. O IR PJ segue pelo percentual do serviço.
- Sem tabela (IR PF) ou teto (INSS PF) em vigor na data: ``RET-TABELA-VIGENCIA``,
  nada é proposto (a liquidação é recusada).

Arredondamento: ``ROUND_HALF_UP`` ao centavo em cada produto (base × alíquota,
fator da redução × rendimentos), como o manual faz nos exemplos da seção 1.7; as
somas e subtrações seguintes são de centavos inteiros, exatas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Final, NamedTuple

from erario.core.codigos import somente_digitos
from erario.core.dinheiro import Dinheiro
from erario.core.erros import Erro
from erario.execucao.cadastros import Credor, TipoPessoa
from erario.retencoes.cadastros import (
    NOME_TIPO,
    Desconto,
    FaixaIRRF,
    InssOutrasFontes,
    Rotina,
    ServicoDesconto,
    TabelaIRRF,
    TetoINSS,
    TipoDesconto,
    tipo_do_codigo,
    tipo_pessoa,
    validar_desconto_informado,
)
from erario.retencoes.vigencia import DescontoSimplificado, ReducaoIRRF, em_vigor

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
    # Sem tabela do IRRF ou teto do INSS em vigor na data (RET-TABELA-VIGENCIA): a
    # liquidação não pode ser calculada e nada é proposto.
    erros: tuple[Erro, ...] = ()


class OpcoesIRRF(NamedTuple):
    """Opções da entidade para o IR PF (registro ``parametros``). A redução da Lei
    15.270/2025: None (padrão) ou True = ligada onde a lei a prevê (desde
    01/2026), False desliga. O desconto simplificado mensal, que a lei faculta ao
    contribuinte: só com True (o padrão é o método do manual, base = rendimentos −
    INSS); mesmo ligado, só vale onde a lei o prevê (desde 05/2023)."""

    desconto_simplificado: bool | None = None
    reducao_lei_15270: bool | None = None


OPCOES_DA_LEI: Final = OpcoesIRRF()  # o padrão: a lei em vigor na data


def _reais(centavos: int) -> Decimal:
    return Decimal(centavos).scaleb(-2, context=_CTX)


def multiplicar(base: int, fator: Decimal) -> int:
    """base (centavos) × fator, arredondado ROUND_HALF_UP ao centavo."""
    produto = _CTX.multiply(_reais(base), fator)
    return Dinheiro.arredondar(produto, ROUND_HALF_UP).centavos


def percentual_sobre(base: int, percentual: Decimal) -> int:
    """base × percentual %, arredondado ROUND_HALF_UP ao centavo (ponto único de
    arredondamento de todo produto do cálculo; seções 1.3 e 1.7). Seção 1.3:
    "11% de R$ 1.000,00" = R$ 110,00."""
    return multiplicar(base, percentual.scaleb(-2, context=_CTX))


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


def reducao_lei_15270(reducao: ReducaoIRRF, rendimentos: int, imposto: int) -> int:
    """Redução do IR mensal (art. 3º-A da Lei 9.250/1995, incluído pela Lei
    15.270/2025) pelos rendimentos tributáveis do mês: até R$ 5.000,00, até R$ 312,89
    (o imposto fica zero com o desconto simplificado); até R$ 7.350,00, 978,62 −
    0,133145 × rendimentos (o produto arredondado ao centavo); acima, nenhuma.
    Limitada ao imposto da tabela (§ 1º)."""
    if imposto <= 0 or rendimentos > reducao.limite:
        return 0
    if rendimentos <= reducao.isencao_ate:
        return min(imposto, reducao.reducao_maxima)
    return min(imposto, max(0, reducao.constante - multiplicar(rendimentos, reducao.fator)))


def base_do_irrf(rendimentos: int, inss: int, simplificado: int = 0) -> int:
    """Rendimentos do mês menos as deduções: o INSS retido no mês ou, se maior, o
    desconto simplificado mensal (Lei 9.250/1995, art. 4º, § 2º); nunca negativa."""
    return max(0, rendimentos - max(inss, simplificado))


def irrf_do_mes(
    tabela: TabelaIRRF,
    rendimentos: int,
    inss: int,
    simplificado: int = 0,
    reducao: ReducaoIRRF | None = None,
) -> int:
    """IR do mês: a tabela sobre a base, menos a redução da Lei 15.270/2025 (medida
    pelos rendimentos tributáveis do mês, antes das deduções)."""
    imposto = irrf_da_tabela(tabela, base_do_irrf(rendimentos, inss, simplificado))
    if reducao is not None:
        imposto -= reducao_lei_15270(reducao, rendimentos, imposto)
    return imposto


def folga_do_teto(teto: TetoINSS, outras_base: int = 0) -> int:
    """O que resta sob o teto depois da remuneração de outras fontes no mês."""
    return max(0, teto.valor - outras_base)


def inss_do_mes(base_mes: int, teto: TetoINSS, outras_base: int = 0) -> int:
    """INSS de pessoa física devido por esta fonte pagadora no mês (Lei 10.666/2003,
    art. 4º): alíquota × o total do mês aqui limitado à folga do teto (teto − base
    das outras fontes), arredondado ao centavo ("Teto INSS para cálculo (11%)
    R$ 5.839,45 = R$ 642,34"). O retido pelas outras fontes não entra na conta."""
    return percentual_sobre(min(max(0, base_mes), folga_do_teto(teto, outras_base)), teto.aliquota)


def teto_vigente(tetos: Iterable[TetoINSS], data: dt.date) -> TetoINSS | None:
    """O teto de data inicial mais recente que não passa da data da liquidação."""
    return em_vigor(tetos, data, lambda t: t.data_inicial)


def tabela_vigente(tabelas: Iterable[TabelaIRRF], data: dt.date) -> TabelaIRRF | None:
    """A tabela do IRRF de vigência mais recente que não passa da data."""
    return em_vigor((t for t in tabelas if t.faixas), data, lambda t: t.vigencia)


def desconto_simplificado_vigente(
    opcoes: OpcoesIRRF, descontos: Iterable[DescontoSimplificado], data: dt.date
) -> int:
    """O desconto simplificado mensal em vigor na data (0 se não ligado ou sem lei)."""
    if opcoes.desconto_simplificado is not True:
        return 0
    vigente = em_vigor(descontos, data, lambda d: d.vigencia)
    return vigente.valor if vigente is not None else 0


def reducao_vigente(
    opcoes: OpcoesIRRF, reducoes: Iterable[ReducaoIRRF], data: dt.date
) -> ReducaoIRRF | None:
    """A redução do IR mensal em vigor na data (None se desligada ou sem lei)."""
    if opcoes.reducao_lei_15270 is False:
        return None
    return em_vigor(reducoes, data, lambda r: r.vigencia)


def _retido(liquidacoes: Iterable[LiquidacaoAnterior], tipo: TipoDesconto) -> int:
    return sum(
        r.valor for a in liquidacoes for r in a.retencoes if tipo_do_codigo(r.desconto) == tipo
    )


def _sem_vigencia(
    d: Desconto, data: dt.date, o_que: str, cadastro: str, inicios: list[dt.date]
) -> Erro:
    desde = f"; a primeira começa em {min(inicios):%d/%m/%Y}" if inicios else ""
    return Erro(
        "RET-TABELA-VIGENCIA",
        f"não há {o_que} em vigor em {data:%d/%m/%Y} para calcular o desconto {d.codigo} "
        f"({NOME_TIPO[d.tipo]}){desde}: cadastre {cadastro} com vigência até essa data",
        "data",
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
    descontos_simplificados: Iterable[DescontoSimplificado] = (),
    reducoes: Iterable[ReducaoIRRF] = (),
    opcoes_irrf: OpcoesIRRF = OPCOES_DA_LEI,
) -> ResultadoCalculo:
    """Descontos propostos para a liquidação (o usuário pode editá-los ou excluí-los).

    ``tabelas_irrf``, ``tetos_inss``, ``descontos_simplificados`` e ``reducoes`` são
    as séries com vigência (os oficiais junto com os cadastrados:
    ``vigencia.com_oficiais``); vale em cada uma o item em vigor na data da
    liquidação. ``anteriores`` e ``outras_fontes`` podem trazer outros fornecedores
    e meses: só contam os do mesmo fornecedor (CPF/CNPJ) no mesmo mês e ano.
    """
    doc = somente_digitos(liquidacao.fornecedor.documento)
    pessoa_fisica = tipo_pessoa(doc) == TipoPessoa.PF
    data = liquidacao.data
    do_mes = [
        a
        for a in anteriores
        if somente_digitos(a.fornecedor) == doc
        and (a.data.year, a.data.month) == (data.year, data.month)
    ]
    outras_base = sum(
        o.base
        for o in outras_fontes
        if somente_digitos(o.fornecedor) == doc and (o.ano, o.mes) == (data.year, data.month)
    )
    tetos = list(tetos_inss)
    tabelas = list(tabelas_irrf)
    teto = teto_vigente(tetos, data)
    tabela = tabela_vigente(tabelas, data)
    simplificado = desconto_simplificado_vigente(opcoes_irrf, descontos_simplificados, data)
    reducao = reducao_vigente(opcoes_irrf, reducoes, data)

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

    # O INSS de pessoa física exige o teto e o IR PF a tabela em vigor na data: sem
    # eles a liquidação é recusada (não há mais o percentual do serviço em silêncio).
    erros: list[Erro] = []
    for d, _ in aplicaveis:
        if d.tipo == TipoDesconto.INSS and pessoa_fisica and teto is None:
            erros.append(
                _sem_vigencia(
                    d, data, "teto do INSS", "o teto (teto_inss)", [t.data_inicial for t in tetos]
                )
            )
        elif d.tipo == TipoDesconto.IRRF_PF and tabela is None:
            erros.append(
                _sem_vigencia(
                    d,
                    data,
                    "tabela do IRRF",
                    "a tabela (faixa_irrf)",
                    [t.vigencia for t in tabelas if t.faixas],
                )
            )
    if erros:
        return ResultadoCalculo((), tuple(avisos), tuple(erros))

    total_antes = sum(a.valor for a in do_mes)
    total_mes = total_antes + liquidacao.valor
    inss_antes = _retido(do_mes, TipoDesconto.INSS)
    propostos: list[DescontoCalculado] = []
    inss_agora = 0  # INSS proposto nesta liquidação (entra na base do IR)
    irpf_agora = 0
    for d, sd in aplicaveis:
        base = liquidacao.valor
        if d.tipo == TipoDesconto.INSS and pessoa_fisica and teto is not None:
            # Lei 10.666/2003, art. 4º: 11% do total do mês aqui, limitado à folga que
            # as outras fontes deixam sob o teto, menos o já retido aqui no mês.
            folga = folga_do_teto(teto, outras_base)
            devido = inss_do_mes(total_mes, teto, outras_base)
            valor = max(0, devido - inss_antes - inss_agora)
            base = max(0, min(total_mes, folga) - min(total_antes, folga))
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
            # Seção 1.7, pela tabela em vigor na data desta liquidação: IR do mês sobre
            # os rendimentos do mês (−) o INSS do mês (o já retido mais o proposto
            # agora) ou o desconto simplificado, menos a redução; menos o já retido.
            inss_mes = inss_antes + inss_agora
            devido = irrf_do_mes(tabela, total_mes, inss_mes, simplificado, reducao)
            valor = max(0, devido - _retido(do_mes, TipoDesconto.IRRF_PF) - irpf_agora)
            base = max(
                0,
                base_do_irrf(total_mes, inss_mes, simplificado)
                - base_do_irrf(total_antes, inss_antes, simplificado),
            )
        else:
            # Seção 1.3 (e Lei 8.212/1991, art. 31, para o INSS de pessoa jurídica):
            # percentual do serviço sobre o valor bruto da liquidação, sem teto.
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
    descontos_simplificados: Sequence[DescontoSimplificado] = (),
    reducoes: Sequence[ReducaoIRRF] = (),
    opcoes_irrf: OpcoesIRRF = OPCOES_DA_LEI,
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
            descontos_simplificados=descontos_simplificados,
            reducoes=reducoes,
            opcoes_irrf=opcoes_irrf,
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
