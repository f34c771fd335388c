"""Eventos orçamentários (LOA e execução). Valores em centavos (int).

Cada evento tem um ``id`` único na entidade: é o vínculo gravado em ``origem``
dos lançamentos que ele gera (``evento:<id>``), e o que o estorno cita.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import NamedTuple

from erario.orcamento.classificacao import FonteRecurso

# Descontos (retenções) de uma liquidação: (código do desconto, base, valor), em
# centavos — ver ``erario.retencoes``.
Descontos = tuple[tuple[int, int, int], ...]

# Propriedades adicionais livres (p. ex. ("COVID", "sim")), em ordem de chave:
# marcam empenhos e receitas para relatórios como o SIOPS.
Propriedades = tuple[tuple[str, str], ...]


class TipoEvento(StrEnum):
    PREVISAO_RECEITA = "previsao_receita"
    PREVISAO_DEDUCAO = "previsao_deducao"
    DEDUCAO_RECEITA = "deducao_receita"
    DOTACAO_INICIAL = "dotacao_inicial"
    CREDITO_ADICIONAL = "credito_adicional"
    ANULACAO_DOTACAO = "anulacao_dotacao"
    RESERVA_DOTACAO = "reserva_dotacao"
    ANULACAO_RESERVA = "anulacao_reserva"
    EMPENHO = "empenho"
    ANULACAO_EMPENHO = "anulacao_empenho"
    EM_LIQUIDACAO = "em_liquidacao"
    LIQUIDACAO = "liquidacao"
    PAGAMENTO = "pagamento"
    ARRECADACAO = "arrecadacao"
    TRANSFERENCIA_FINANCEIRA = "transferencia_financeira"
    INGRESSO_EXTRA = "ingresso_extraorcamentario"
    PAGAMENTO_EXTRA = "pagamento_extraorcamentario"
    CANCELAMENTO_RP = "cancelamento_restos_a_pagar"
    EMPENHO_EXTRA = "empenho_extraorcamentario"
    LIQUIDACAO_EXTRA = "liquidacao_extraorcamentaria"
    ENCERRAMENTO = "encerramento_exercicio"


class ModalidadeEmpenho(StrEnum):
    ORDINARIO = "ordinario"
    ESTIMATIVO = "estimativo"
    GLOBAL = "global"


class PrevisaoReceita(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    natureza_receita: str  # 8 dígitos
    fonte: FonteRecurso
    valor: int
    propriedades: Propriedades = ()
    tipo: TipoEvento = TipoEvento.PREVISAO_RECEITA


class PrevisaoDeducao(NamedTuple):
    """Previsão (LOA) da dedução da receita para formação do FUNDEB."""

    id: str
    entidade: str
    data: dt.date
    natureza_receita: str
    fonte: FonteRecurso
    valor: int
    tipo: TipoEvento = TipoEvento.PREVISAO_DEDUCAO


class DeducaoReceita(NamedTuple):
    """Dedução da receita realizada para formação do FUNDEB (retida na origem:
    sai da conta bancária onde a receita bruta entrou)."""

    id: str
    entidade: str
    data: dt.date
    natureza_receita: str
    fonte: FonteRecurso
    valor: int
    conta_banco: str = ""  # ver Pagamento
    domicilio: str = ""
    entidade_conta: str = ""
    conta_bancaria: str = ""
    conta_vpd: str = "3.5.2.2.4.00.00"  # transferências ao FUNDEB - inter OFSS - Estado
    tipo: TipoEvento = TipoEvento.DEDUCAO_RECEITA


class DotacaoInicial(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    dotacao: str  # código da dotação (unidade, funcional-programática, natureza)
    fonte: FonteRecurso
    valor: int
    tipo: TipoEvento = TipoEvento.DOTACAO_INICIAL


class ModalidadeCredito(StrEnum):
    """Créditos adicionais (Lei 4.320/1964, art. 41)."""

    SUPLEMENTAR = "suplementar"
    ESPECIAL = "especial"
    EXTRAORDINARIO = "extraordinario"


class CoberturaCredito(StrEnum):
    """Recursos que cobrem o crédito adicional (Lei 4.320/1964, art. 43, § 1º)."""

    SUPERAVIT = "superavit"
    EXCESSO = "excesso"
    ANULACAO = "anulacao"
    OPERACAO_CREDITO = "operacao_credito"


class CreditoAdicional(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    dotacao: str
    fonte: FonteRecurso
    valor: int
    modalidade: ModalidadeCredito
    cobertura: CoberturaCredito | None = None  # o extraordinário dispensa (CF, art. 167, § 3º)
    tipo: TipoEvento = TipoEvento.CREDITO_ADICIONAL


class AnulacaoDotacao(NamedTuple):
    """Anulação (redução) de dotação, p. ex. para cobrir um crédito adicional."""

    id: str
    entidade: str
    data: dt.date
    dotacao: str
    valor: int
    tipo: TipoEvento = TipoEvento.ANULACAO_DOTACAO


class ReservaDotacao(NamedTuple):
    """Reserva de dotação (pré-empenho) para um processo de compra ou contratação."""

    id: str
    entidade: str
    data: dt.date
    dotacao: str
    valor: int
    tipo: TipoEvento = TipoEvento.RESERVA_DOTACAO


class AnulacaoReserva(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    reserva: str
    valor: int
    tipo: TipoEvento = TipoEvento.ANULACAO_RESERVA


class Empenho(NamedTuple):
    id: str  # também o número do empenho
    entidade: str
    data: dt.date
    dotacao: str
    fonte: FonteRecurso
    credor: str  # CPF ou CNPJ, só dígitos
    valor: int
    modalidade: ModalidadeEmpenho = ModalidadeEmpenho.ORDINARIO
    propriedades: Propriedades = ()
    reserva: str = ""  # reserva de dotação que o empenho consome, se houver
    tipo: TipoEvento = TipoEvento.EMPENHO


class AnulacaoEmpenho(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    empenho: str
    valor: int
    tipo: TipoEvento = TipoEvento.ANULACAO_EMPENHO


class EmLiquidacao(NamedTuple):
    """Empenho em liquidação (MCASP Parte I, despesa — liquidação; PCASP
    6.2.2.1.3.02): o fato gerador ocorreu (bem entregue, serviço prestado) e a
    obrigação se reconhece agora, por competência, mas a verificação do direito
    do credor (Lei 4.320/1964, art. 63) ainda não terminou. A ``Liquidacao`` que
    cita este evento (``em_liquidacao``) liquida a partir dele."""

    id: str
    entidade: str
    data: dt.date
    empenho: str
    valor: int
    conta_vpd: str  # como na Liquidacao
    conta_passivo: str
    documento: str
    tipo: TipoEvento = TipoEvento.EM_LIQUIDACAO


class Liquidacao(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    empenho: str
    valor: int
    # Obrigatórias, menos com ``em_liquidacao``: aí vêm desse evento (e, se
    # informadas, têm de ser iguais às dele).
    conta_vpd: str = ""  # VPD do elemento de despesa, p. ex. 3.3.2.3.1.99.00
    conta_passivo: str = ""  # obrigação, p. ex. 2.1.3.1.1.01.01
    documento: str = ""  # documento fiscal (obrigatório na carga)
    # Retenções (erario.retencoes): o serviço informado, os descontos, a conta
    # bancária (exigida na apropriação) e a situação: "apropriado" (a principal,
    # pelo líquido) ou "gerado" (a do desconto, com ``gerado_por`` = a principal).
    servico: int = 0
    descontos: Descontos = ()
    conta_bancaria: str = ""
    apropriacao: str = ""
    gerado_por: str = ""
    # Liquidação do que o evento ``EmLiquidacao`` com este id pôs em liquidação
    # (sem o par patrimonial: a obrigação já foi reconhecida nele).
    em_liquidacao: str = ""
    tipo: TipoEvento = TipoEvento.LIQUIDACAO


class Pagamento(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    liquidacao: str
    valor: int
    # Conta bancária: pelo cadastro (conta_bancaria, resolvido no registro) ou
    # explícita (conta contábil, domicílio e entidade dona).
    conta_banco: str = ""  # conta contábil, p. ex. 1.1.1.1.1.19.00
    domicilio: str = ""  # banco-agência-conta (atributo DB)
    entidade_conta: str = ""  # entidade dona da conta bancária
    conta_bancaria: str = ""  # código no cadastro de contas bancárias
    gerado_por: str = ""  # pagamento gerado pela retenção de um desconto (erario.retencoes)
    tipo: TipoEvento = TipoEvento.PAGAMENTO


class Arrecadacao(NamedTuple):
    id: str
    entidade: str
    data: dt.date
    natureza_receita: str
    fonte: FonteRecurso
    valor: int
    conta_banco: str = ""  # ver Pagamento
    domicilio: str = ""
    entidade_conta: str = ""
    conta_vpa: str = ""  # VPA da receita, p. ex. 4.1.1.2.1.02.00 (IPTU); obrigatória na carga
    conta_bancaria: str = ""
    propriedades: Propriedades = ()
    gerado_por: str = ""  # arrecadação "integrada" da retenção de um desconto
    tipo: TipoEvento = TipoEvento.ARRECADACAO


class TransferenciaFinanceira(NamedTuple):
    """Transferência financeira concedida a outra entidade do município (duodécimo
    à Câmara, repasse ao RPPS): um lançamento em cada entidade."""

    id: str
    entidade: str  # concedente
    data: dt.date
    fonte: FonteRecurso
    valor: int
    entidade_destino: str  # recebedora
    conta_banco: str = ""  # ver Pagamento: pelo cadastro ou explícita
    domicilio: str = ""
    entidade_conta: str = ""
    conta_bancaria: str = ""
    conta_banco_destino: str = ""
    domicilio_destino: str = ""
    entidade_conta_destino: str = ""
    conta_bancaria_destino: str = ""
    tipo: TipoEvento = TipoEvento.TRANSFERENCIA_FINANCEIRA


class IngressoExtra(NamedTuple):
    """Ingresso extraorçamentário: caução, depósito, consignação recebida em dinheiro."""

    id: str
    entidade: str
    data: dt.date
    fonte: FonteRecurso
    credor: str  # a quem o valor será restituído (CPF/CNPJ)
    valor: int
    conta_passivo: str  # 2.1.8.8.x (valores restituíveis)
    conta_banco: str = ""  # ver Pagamento
    domicilio: str = ""
    entidade_conta: str = ""
    conta_bancaria: str = ""
    # Controle extraorçamentário (1.1.3.8.1): empenhos extraorçamentários que o
    # ingresso compensa (a soma deles é o valor do ingresso).
    empenhos: tuple[str, ...] = ()
    gerado_por: str = ""  # ingresso da retenção de um desconto (erario.retencoes)
    tipo: TipoEvento = TipoEvento.INGRESSO_EXTRA


class PagamentoExtra(NamedTuple):
    """Devolução ou recolhimento extraorçamentário do que entrou por ``IngressoExtra``."""

    id: str
    entidade: str
    data: dt.date
    fonte: FonteRecurso
    credor: str
    valor: int
    conta_passivo: str
    conta_banco: str = ""
    domicilio: str = ""
    entidade_conta: str = ""
    conta_bancaria: str = ""
    liquidacao: str = ""  # liquidação extraorçamentária que o pagamento quita, se houver
    tipo: TipoEvento = TipoEvento.PAGAMENTO_EXTRA


class EmpenhoExtra(NamedTuple):
    """Empenho extraorçamentário: autoriza a saída de um valor restituível (2.1.8)
    ou de um crédito a receber (1.1.3.8). Documento da execução, sem lançamento
    contábil — quem lança é o pagamento extraorçamentário."""

    id: str
    entidade: str
    data: dt.date
    fonte: FonteRecurso
    credor: str
    valor: int
    conta: str  # 2.1.8.8.x ou 1.1.3.8.x
    historico: str = ""
    dotacao_extra: str = ""  # código da dotação extraorçamentária (cadastro do desconto)
    # Controle extraorçamentário (2.1.8.8.1): ingressos que o empenho devolve.
    receitas: tuple[str, ...] = ()
    conta_bancaria: str = ""
    gerado_por: str = ""
    tipo: TipoEvento = TipoEvento.EMPENHO_EXTRA


class LiquidacaoExtra(NamedTuple):
    """Liquidação do empenho extraorçamentário (sem lançamento contábil)."""

    id: str
    entidade: str
    data: dt.date
    empenho: str
    valor: int
    conta_bancaria: str = ""
    gerado_por: str = ""
    tipo: TipoEvento = TipoEvento.LIQUIDACAO_EXTRA


# Eventos que não geram lançamento (documentos da execução extraorçamentária).
SEM_LANCAMENTO = (TipoEvento.EMPENHO_EXTRA, TipoEvento.LIQUIDACAO_EXTRA)


class CancelamentoRestosAPagar(NamedTuple):
    """Cancelamento de restos a pagar inscritos: sem ``liquidacao``, do que o
    empenho tem a liquidar (RP não processado) fora do que está em liquidação;
    com ela, do que essa liquidação tem a pagar (RP processado, ou RP não
    processado já liquidado); com ``em_liquidacao``, do que esse evento tem em
    liquidação."""

    id: str
    entidade: str
    data: dt.date
    empenho: str
    valor: int
    liquidacao: str = ""
    # Baixa do passivo do RP liquidado: ganho com desincorporação de passivos.
    conta_vpa: str = "4.6.4.0.0.00.00"
    em_liquidacao: str = ""  # evento EmLiquidacao do empenho
    tipo: TipoEvento = TipoEvento.CANCELAMENTO_RP


class EncerramentoExercicio(NamedTuple):
    """Encerramento do exercício da entidade (data: 31/12): inscreve os restos a
    pagar, encerra as contas orçamentárias e de resultado e abre o seguinte.
    Os lançamentos vêm dos saldos (``execucao.encerramento``), não de um valor."""

    id: str
    entidade: str
    data: dt.date
    tipo: TipoEvento = TipoEvento.ENCERRAMENTO


Evento = (
    PrevisaoReceita
    | PrevisaoDeducao
    | DeducaoReceita
    | DotacaoInicial
    | CreditoAdicional
    | AnulacaoDotacao
    | ReservaDotacao
    | AnulacaoReserva
    | Empenho
    | AnulacaoEmpenho
    | EmLiquidacao
    | Liquidacao
    | Pagamento
    | Arrecadacao
    | TransferenciaFinanceira
    | IngressoExtra
    | PagamentoExtra
    | CancelamentoRestosAPagar
    | EmpenhoExtra
    | LiquidacaoExtra
)
