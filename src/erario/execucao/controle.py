"""Controle dos saldos da execução: dotação, empenho, liquidação e pagamento.

As travas da Lei 4.320/1964 viram regras com código estável:
- ``EXEC-DOTACAO-SALDO``: empenho acima do crédito disponível (art. 59);
- ``EXEC-ANULACAO-SALDO``: anulação acima do que o empenho tem a liquidar;
- ``EXEC-LIQUIDACAO-SALDO``: liquidação ou despesa em liquidação acima do que o
  empenho tem a liquidar (art. 63) fora do que já está em liquidação; liquidação
  de um evento ``em_liquidacao`` acima do que resta dele;
- ``EXEC-EM-LIQUIDACAO``: liquidação que cita um evento ``em_liquidacao``
  inexistente, estornado, de outro empenho ou com outras contas;
- ``EXEC-PAGAMENTO-SALDO``: pagamento acima do liquidado e não pago (art. 62);
- ``EXEC-CONTA-BANCARIA``: conta bancária de outra entidade;
- ``EXEC-RESERVA``, ``EXEC-RESERVA-SALDO``: reserva de dotação inexistente, de outra
  dotação ou sem saldo para o empenho ou a anulação;
- ``EXEC-DEDUCAO-SALDO``: dedução (FUNDEB) acima do arrecadado e não deduzido;
- ``EXEC-EXTRA-SALDO``: devolução/recolhimento extraorçamentário acima do que entrou;
- ``EXEC-TRANSFERENCIA``: transferência financeira para a própria entidade;
- ``EXEC-COBERTURA``: crédito suplementar ou especial sem recursos de cobertura (art. 43);
- ``EXEC-RP``, ``EXEC-RP-SALDO``: execução de empenho de exercício anterior sem a
  inscrição em restos a pagar (art. 36), anulação de empenho inscrito (cancela-se o
  RP) e cancelamento acima do saldo inscrito;
- ``EXEC-ENCERRAMENTO``: evento em exercício encerrado, encerramento repetido ou
  fora de ordem;
- ``EXEC-ID``, ``EXEC-DOTACAO``, ``EXEC-EMPENHO``, ``EXEC-LIQUIDACAO``,
  ``EXEC-FONTE``, ``EXEC-CREDOR``, ``EXEC-VALOR``, ``EXEC-ESTORNO``: referências e
  dados do evento.

Dotações e receitas são do exercício (ano da data do evento); empenhos e
liquidações guardam o seu, e o encerramento os inscreve em restos a pagar.

``conferir`` só lê e devolve os atributos que o roteiro contábil usa (ou todos
os erros); ``aplicar`` muda os saldos e só deve ser chamado depois de um
``conferir`` sem erro. Nada aqui acessa banco.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

from erario.core.codigos import documento_valido
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.eventos import (
    AnulacaoDotacao,
    AnulacaoEmpenho,
    AnulacaoReserva,
    Arrecadacao,
    CancelamentoRestosAPagar,
    CoberturaCredito,
    CreditoAdicional,
    DeducaoReceita,
    DotacaoInicial,
    EmLiquidacao,
    Empenho,
    EmpenhoExtra,
    EncerramentoExercicio,
    Evento,
    IngressoExtra,
    Liquidacao,
    LiquidacaoExtra,
    ModalidadeCredito,
    Pagamento,
    PagamentoExtra,
    PrevisaoDeducao,
    PrevisaoReceita,
    ReservaDotacao,
    TransferenciaFinanceira,
)
from erario.orcamento.classificacao import fonte_exercicios_anteriores

# Controle da disponibilidade por destinação de recursos na arrecadação
# (PCASP 7.2.1.1.1 recursos ordinários; 7.2.1.1.2 recursos vinculados).
CONTA_DDR_ORDINARIA = "7.2.1.1.1.00.00"
CONTA_DDR_VINCULADA = "7.2.1.1.2.00.00"

# DDR a utilizar (PCASP 8.2.1.1.1): recursos do exercício e de exercícios anteriores.
CONTA_DDR_DISPONIVEL = "8.2.1.1.1.01.00"
CONTA_DDR_DISPONIVEL_ANTERIORES = "8.2.1.1.1.02.00"

Atributos = dict[str, str]

CONTA_CREDITO_DISPONIVEL = "6.2.2.1.1.00.00"
CONTA_PRE_EMPENHADO = "6.2.2.1.2.02.00"  # reserva de dotação

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


@dataclass
class ControleOrcamentario:
    """Saldos por entidade; chaves (entidade, código) ou (entidade, exercício, código)."""

    dotacoes: dict[tuple[str, int, str], SaldoDotacao] = field(default_factory=dict)
    empenhos: dict[tuple[str, str], SaldoEmpenho] = field(default_factory=dict)
    liquidacoes: dict[tuple[str, str], SaldoLiquidacao] = field(default_factory=dict)
    em_liquidacoes: dict[tuple[str, str], SaldoEmLiquidacao] = field(default_factory=dict)
    reservas: dict[tuple[str, str], SaldoReserva] = field(default_factory=dict)
    # (entidade, exercício, natureza da receita, fonte no formato FR) → previsto/arrecadado
    receitas: dict[tuple[str, int, str, str], SaldoReceita] = field(default_factory=dict)
    # (entidade, conta do passivo, credor, fonte) → saldo restituível extraorçamentário
    extras: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    # Liquidações por (entidade, credor, ano, mês), em ordem: a apuração mensal do
    # IRRF e do INSS (erario.retencoes) consulta sem varrer todos os eventos.
    liquidacoes_do_mes: dict[tuple[str, str, int, int], list[str]] = field(default_factory=dict)
    # Eventos gerados por outro (retenções: ``gerado_por``), na ordem de registro:
    # o estorno do evento de origem estorna esses antes, sem varrer todos.
    gerados: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # Empenhos e liquidações extraorçamentários (documentos sem lançamento).
    empenhos_extra: dict[tuple[str, str], SaldoEmpenhoExtra] = field(default_factory=dict)
    # Empenhado e ainda não pago por chave de ``extras``: o estorno do empenho e o
    # pagamento o reduzem (conferido a cada novo empenho, sem somar todos).
    extra_empenhado: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    liquidacoes_extra: dict[tuple[str, str], SaldoLiquidacaoExtra] = field(default_factory=dict)
    eventos: dict[tuple[str, str], Evento | EncerramentoExercicio] = field(default_factory=dict)
    estornados: set[tuple[str, str]] = field(default_factory=set)
    encerrados: set[tuple[str, int]] = field(default_factory=set)  # (entidade, exercício)
    # Extraorçamentários da entidade antes da transposição do encerramento (entidade, ano).
    _extras_antes: dict[
        tuple[str, int],
        tuple[
            dict[tuple[str, str, str, str], int],
            dict[tuple[str, str, str, str], int],
            dict[tuple[str, str], tuple[str, str, str, str]],
        ],
    ] = field(default_factory=dict)

    # ------------------------------------------------------------ conferir
    def conferir(self, ev: Evento) -> tuple[Atributos | None, list[Erro]]:
        erros: list[Erro] = []
        if (ev.entidade, ev.id) in self.eventos:
            erros.append(Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id"))
        if ev.valor <= 0:
            erros.append(Erro("EXEC-VALOR", "valor do evento deve ser positivo", "valor"))
        ano = ev.data.year
        if (ev.entidade, ano) in self.encerrados:
            erros.append(
                Erro("EXEC-ENCERRAMENTO", f"o exercício {ano} da entidade está encerrado", "data")
            )
        atributos: Atributos = {"evento": ev.id}
        # Os tipos mais frequentes primeiro (os tipos são disjuntos: a ordem não muda o resultado).
        if isinstance(ev, Empenho):
            erros += self._conferir_empenho(ev)
            atributos["conta_credito_empenho"] = (
                CONTA_PRE_EMPENHADO if ev.reserva else CONTA_CREDITO_DISPONIVEL
            )
            atributos |= {
                "DO": ev.dotacao,
                "FR": ev.fonte.texto_cc,
                "CR": ev.credor,
                "empenho": ev.id,
            }
        elif isinstance(ev, AnulacaoEmpenho | Liquidacao | EmLiquidacao):
            # Anular, pôr em liquidação e liquidar consomem o mesmo saldo: o que o
            # empenho tem a liquidar fora do que já está em liquidação; a liquidação
            # de um evento em_liquidacao, o que resta dele.
            emp = self._empenho(ev.entidade, ev.empenho, erros)
            de_em = isinstance(ev, Liquidacao) and bool(ev.em_liquidacao)
            if emp is not None:
                anulacao = isinstance(ev, AnulacaoEmpenho)
                erros += _conferir_restos(ev, emp, ev.empenho, cancelavel=anulacao)
                if not de_em and ev.valor > emp.a_liquidar_livre:
                    erros.append(
                        _acima(
                            "EXEC-ANULACAO-SALDO" if anulacao else "EXEC-LIQUIDACAO-SALDO",
                            "anulação"
                            if anulacao
                            else "liquidação"
                            if isinstance(ev, Liquidacao)
                            else "despesa em liquidação",
                            ev.valor,
                            f"saldo a liquidar do empenho {ev.empenho}"
                            + (" que não está em liquidação" if emp.em_liquidacao else ""),
                            emp.a_liquidar_livre,
                        )
                    )
                atributos |= _atributos_empenho(emp, ev.empenho)
            if emp is not None and isinstance(ev, Liquidacao | EmLiquidacao):
                atributos |= {
                    "documento": ev.documento,
                    "conta_vpd": ev.conta_vpd,
                    "conta_passivo": ev.conta_passivo,
                }
                rp = "_rpnp" if emp.inscrito else ""
                if isinstance(ev, EmLiquidacao):
                    if rp:
                        atributos["roteiro"] = "em_liquidacao_rpnp"
                elif de_em:
                    # Do que o evento em_liquidacao reconheceu: as contas são as dele.
                    em = self._conferir_de_em_liquidacao(ev, erros)
                    if em is not None:
                        atributos["conta_vpd"] = em.conta_vpd
                        atributos["conta_passivo"] = em.conta_passivo
                    atributos["roteiro"] = f"liquidacao{rp}_em_liquidacao"
                elif rp:
                    atributos["roteiro"] = "liquidacao_rpnp"
        elif isinstance(ev, Pagamento):
            liq = self.liquidacoes.get((ev.entidade, ev.liquidacao))
            if liq is None or (ev.entidade, ev.liquidacao) in self.estornados:
                erros.append(
                    Erro("EXEC-LIQUIDACAO", f"liquidação {ev.liquidacao} não existe", "liquidacao")
                )
            else:
                if ev.valor > liq.a_pagar:
                    erros.append(
                        _acima(
                            "EXEC-PAGAMENTO-SALDO",
                            "pagamento",
                            ev.valor,
                            f"liquidado a pagar da liquidação {ev.liquidacao}",
                            liq.a_pagar,
                        )
                    )
                emp = self.empenhos[(ev.entidade, liq.empenho)]
                if liq.situacao == EXERCICIO and ano > liq.ano:
                    erros.append(_sem_inscricao(liq.empenho, liq.ano))
                if liq.situacao != EXERCICIO:
                    atributos["roteiro"] = f"pagamento_{liq.situacao}"
                atributos |= _atributos_empenho(emp, liq.empenho) | {
                    "conta_passivo": liq.conta_passivo,
                    "conta_banco": ev.conta_banco,
                    "DB": ev.domicilio,
                }
            erros += _conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
        elif isinstance(ev, Arrecadacao):
            erros += _conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
            atributos |= {
                "NR": ev.natureza_receita,
                "FR": ev.fonte.texto_cc,
                "conta_banco": ev.conta_banco,
                "DB": ev.domicilio,
                "conta_vpa": ev.conta_vpa,
                "conta_ddr": CONTA_DDR_VINCULADA if ev.fonte.vinculada else CONTA_DDR_ORDINARIA,
            }
        elif isinstance(ev, PrevisaoReceita | PrevisaoDeducao):
            atributos |= {"NR": ev.natureza_receita, "FR": ev.fonte.texto_cc}
        elif isinstance(ev, DeducaoReceita):
            rec = self.receitas.get((ev.entidade, ano, ev.natureza_receita, ev.fonte.texto_cc))
            arrecadado = rec.arrecadado - rec.deduzido if rec else 0
            if ev.valor > arrecadado:
                erros.append(
                    _acima(
                        "EXEC-DEDUCAO-SALDO",
                        "dedução",
                        ev.valor,
                        f"arrecadado e não deduzido da receita {ev.natureza_receita}",
                        arrecadado,
                    )
                )
            erros += _conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
            atributos |= {
                "NR": ev.natureza_receita,
                "FR": ev.fonte.texto_cc,
                "conta_vpd": ev.conta_vpd,
                "conta_banco": ev.conta_banco,
                "DB": ev.domicilio,
                "conta_ddr": CONTA_DDR_VINCULADA if ev.fonte.vinculada else CONTA_DDR_ORDINARIA,
            }
        elif isinstance(ev, DotacaoInicial):
            if (ev.entidade, ano, ev.dotacao) in self.dotacoes:
                erros.append(
                    Erro(
                        "EXEC-DOTACAO",
                        f"dotação {ev.dotacao} já fixada: altere-a por crédito adicional",
                        "dotacao",
                    )
                )
            atributos |= {"DO": ev.dotacao, "FR": ev.fonte.texto_cc}
        elif isinstance(ev, CreditoAdicional):
            erros += self._conferir_credito(ev)
            atributos |= {
                "DO": ev.dotacao,
                "FR": ev.fonte.texto_cc,
                "modalidade": str(ev.modalidade),
                "conta_credito": CONTA_CREDITO[ev.modalidade],
            }
            if ev.cobertura is not None:
                atributos["conta_cobertura"] = CONTA_COBERTURA[ev.cobertura]
        elif isinstance(ev, AnulacaoDotacao):
            dot = self.dotacoes.get((ev.entidade, ano, ev.dotacao))
            if dot is None:
                erros.append(Erro("EXEC-DOTACAO", f"dotação {ev.dotacao} não existe", "dotacao"))
            else:
                if ev.valor > dot.disponivel:
                    erros.append(
                        _acima(
                            "EXEC-DOTACAO-SALDO",
                            "anulação",
                            ev.valor,
                            f"crédito disponível da dotação {ev.dotacao}",
                            dot.disponivel,
                        )
                    )
                atributos |= {"DO": ev.dotacao, "FR": dot.fonte}
        elif isinstance(ev, ReservaDotacao | AnulacaoReserva):
            erros += self._conferir_reserva(ev)
            if isinstance(ev, ReservaDotacao):
                dotacao = ev.dotacao
            else:
                atributos["reserva"] = ev.reserva
                res = self.reservas.get((ev.entidade, ev.reserva))
                dotacao = res.dotacao if res is not None else ""
            dot = self.dotacoes.get((ev.entidade, ano, dotacao))
            if dot is not None:
                atributos |= {"DO": dotacao, "FR": dot.fonte}
        elif isinstance(ev, CancelamentoRestosAPagar):
            erros += self._conferir_cancelamento(ev, atributos)
        elif isinstance(ev, EmpenhoExtra | LiquidacaoExtra):
            erros += self._conferir_documento_extra(ev)
        elif isinstance(ev, IngressoExtra | PagamentoExtra):
            erros += _conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
            if not _documento_valido(ev.credor):
                erros.append(
                    Erro("EXEC-CREDOR", f"credor {ev.credor}: CPF/CNPJ inválido", "credor")
                )
            if not _aumenta_extra(ev):
                chave = _chave_extra(ev)
                saldo = self.extras.get(chave, 0)
                if ev.valor > saldo:
                    erro = _acima(
                        "EXEC-EXTRA-SALDO",
                        "pagamento extraorçamentário"
                        if isinstance(ev, PagamentoExtra)
                        else "ingresso extraorçamentário",
                        ev.valor,
                        f"saldo de {ev.credor} em {ev.conta_passivo}",
                        saldo,
                    )
                    # O que veio de exercícios anteriores atravessou o ano na fonte 2xxx.
                    anterior = fonte_exercicios_anteriores(chave[3])
                    no_anterior = self.extras.get((*chave[:3], anterior), 0)
                    if anterior != chave[3] and no_anterior >= ev.valor:
                        erro = replace(
                            erro,
                            mensagem=f"{erro.mensagem}; há {formatar_brl(no_anterior)} de "
                            f"exercícios anteriores na fonte {anterior}: use-a no evento",
                        )
                    erros.append(erro)
            if isinstance(ev, PagamentoExtra) and ev.liquidacao:
                erros += self._conferir_pagamento_de_liquidacao_extra(ev)
            atributos |= {
                "FR": ev.fonte.texto_cc,
                "CR": ev.credor,
                "FP": "F",
                "conta_banco": ev.conta_banco,
                "DB": ev.domicilio,
                "conta_passivo": ev.conta_passivo,
            }
        elif isinstance(ev, TransferenciaFinanceira):
            if ev.entidade_destino == ev.entidade:
                erros.append(
                    Erro(
                        "EXEC-TRANSFERENCIA",
                        "transferência financeira é entre entidades diferentes do município",
                        "entidade_destino",
                    )
                )
            erros += _conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
            erros += _conferir_conta_bancaria(ev.entidade_destino, ev.entidade_conta_destino)
            atributos |= {
                "entidade": ev.entidade,
                "entidade_destino": ev.entidade_destino,
                "FR": ev.fonte.texto_cc,
                "conta_banco": ev.conta_banco,
                "DB": ev.domicilio,
                "conta_banco_destino": ev.conta_banco_destino,
                "DB_destino": ev.domicilio_destino,
                "conta_ddr": CONTA_DDR_VINCULADA if ev.fonte.vinculada else CONTA_DDR_ORDINARIA,
            }
        if erros:
            return None, erros
        fr = atributos.get("FR")
        if fr is not None:
            # DDR a utilizar: do exercício (8.2.1.1.1.01) ou, com fonte de exercícios
            # anteriores (1º dígito 2), a do superávit transposto (8.2.1.1.1.02).
            atributos["conta_ddr_disponivel"] = (
                CONTA_DDR_DISPONIVEL_ANTERIORES if fr[:1] == "2" else CONTA_DDR_DISPONIVEL
            )
        return atributos, []

    def _conferir_documento_extra(self, ev: EmpenhoExtra | LiquidacaoExtra) -> list[Erro]:
        if isinstance(ev, EmpenhoExtra):
            erros = []
            if not ev.conta.startswith(("2.1.8", "1.1.3.8")):
                erros.append(
                    Erro(
                        "EXEC-EXTRA",
                        f"conta {ev.conta}: o empenho extraorçamentário é de valores "
                        "restituíveis (2.1.8) ou de créditos a receber (1.1.3.8)",
                        "conta",
                    )
                )
            if not _documento_valido(ev.credor):
                erros.append(
                    Erro("EXEC-CREDOR", f"credor {ev.credor}: CPF/CNPJ inválido", "credor")
                )
            if ev.conta.startswith("2"):
                chave = (ev.entidade, ev.conta, ev.credor, ev.fonte.texto_cc)
                saldo = self.extras.get(chave, 0) - self.extra_empenhado.get(chave, 0)
                if ev.valor > saldo:
                    erros.append(
                        _acima(
                            "EXEC-EXTRA-SALDO",
                            "empenho extraorçamentário",
                            ev.valor,
                            f"saldo ainda não empenhado de {ev.credor} em {ev.conta}",
                            saldo,
                        )
                    )
            return erros
        emp = self.empenhos_extra.get((ev.entidade, ev.empenho))
        if emp is None or (ev.entidade, ev.empenho) in self.estornados:
            return [
                Erro("EXEC-EXTRA", f"empenho extraorçamentário {ev.empenho} não existe", "empenho")
            ]
        if ev.valor > emp.a_liquidar:
            return [
                _acima(
                    "EXEC-EXTRA-SALDO",
                    "liquidação extraorçamentária",
                    ev.valor,
                    f"saldo a liquidar do empenho extraorçamentário {ev.empenho}",
                    emp.a_liquidar,
                )
            ]
        return []

    def _conferir_pagamento_de_liquidacao_extra(self, ev: PagamentoExtra) -> list[Erro]:
        liq = self.liquidacoes_extra.get((ev.entidade, ev.liquidacao))
        if liq is None or (ev.entidade, ev.liquidacao) in self.estornados:
            return [
                Erro(
                    "EXEC-EXTRA",
                    f"liquidação extraorçamentária {ev.liquidacao} não existe",
                    "liquidacao",
                )
            ]
        if self.empenhos_extra[(ev.entidade, liq.empenho)].chave != _chave_extra(ev):
            return [
                Erro(
                    "EXEC-EXTRA",
                    f"liquidação extraorçamentária {ev.liquidacao} é de outra conta, credor "
                    "ou fonte",
                    "liquidacao",
                )
            ]
        if ev.valor > liq.a_pagar:
            return [
                _acima(
                    "EXEC-EXTRA-SALDO",
                    "pagamento extraorçamentário",
                    ev.valor,
                    f"saldo a pagar da liquidação extraorçamentária {ev.liquidacao}",
                    liq.a_pagar,
                )
            ]
        return []

    def _conferir_de_em_liquidacao(
        self, ev: Liquidacao, erros: list[Erro]
    ) -> SaldoEmLiquidacao | None:
        """O evento em_liquidacao que a liquidação cita, se é do mesmo empenho e tem
        as mesmas contas (ou a liquidação as omite); senão None e os erros."""
        chave = (ev.entidade, ev.em_liquidacao)
        em = self.em_liquidacoes.get(chave)
        if em is None or chave in self.estornados:
            erros.append(
                Erro(
                    "EXEC-EM-LIQUIDACAO",
                    f"evento em_liquidacao {ev.em_liquidacao} não existe",
                    "em_liquidacao",
                )
            )
            return None
        if em.empenho != ev.empenho:
            erros.append(
                Erro(
                    "EXEC-EM-LIQUIDACAO",
                    f"o evento em_liquidacao {ev.em_liquidacao} é do empenho {em.empenho}, "
                    f"não de {ev.empenho}",
                    "em_liquidacao",
                )
            )
            return None
        for campo, nossa, dele in (
            ("conta_vpd", ev.conta_vpd, em.conta_vpd),
            ("conta_passivo", ev.conta_passivo, em.conta_passivo),
        ):
            if nossa and not _mesma_conta(nossa, dele):
                erros.append(
                    Erro(
                        "EXEC-EM-LIQUIDACAO",
                        f"{campo} {nossa} diferente da reconhecida no evento em_liquidacao "
                        f"{ev.em_liquidacao} ({dele}): omita-a ou repita-a",
                        campo,
                    )
                )
        if ev.valor > em.a_liquidar:
            erros.append(
                _acima(
                    "EXEC-LIQUIDACAO-SALDO",
                    "liquidação",
                    ev.valor,
                    f"saldo em liquidação do evento {ev.em_liquidacao}",
                    em.a_liquidar,
                )
            )
        return em

    def _conferir_cancelamento(
        self, ev: CancelamentoRestosAPagar, atributos: Atributos
    ) -> list[Erro]:
        """Cancelamento de RP: do empenho inscrito (a liquidar) ou de uma liquidação dele
        (a pagar); o roteiro depende de qual saldo se cancela."""
        erros: list[Erro] = []
        emp = self._empenho(ev.entidade, ev.empenho, erros)
        if emp is None:
            return erros
        if not emp.inscrito:
            return [
                Erro(
                    "EXEC-RP",
                    f"empenho {ev.empenho} não está inscrito em restos a pagar",
                    "empenho",
                )
            ]
        atributos |= _atributos_empenho(emp, ev.empenho) | {"conta_vpa": ev.conta_vpa}
        if ev.em_liquidacao:
            # Do que um evento em_liquidacao pôs em liquidação: a obrigação que ele
            # reconheceu se desfaz (passivo contra VPA, como no RP liquidado).
            chave = (ev.entidade, ev.em_liquidacao)
            em = self.em_liquidacoes.get(chave)
            if ev.liquidacao or em is None or em.empenho != ev.empenho or chave in self.estornados:
                return [
                    Erro(
                        "EXEC-EM-LIQUIDACAO",
                        "informe liquidacao ou em_liquidacao, não os dois"
                        if ev.liquidacao
                        else f"evento em_liquidacao {ev.em_liquidacao} não existe no "
                        f"empenho {ev.empenho}",
                        "em_liquidacao",
                    )
                ]
            atributos["conta_passivo"] = em.conta_passivo
            saldo, o_que = em.a_liquidar, f"RP em liquidação do evento {ev.em_liquidacao}"
            roteiro = "rpnp_em_liquidacao"
        elif not ev.liquidacao:
            # Sem em_liquidacao, só o que não está em liquidação.
            saldo, o_que, roteiro = (
                emp.a_liquidar_livre,
                "RP não processado a liquidar"
                + (" que não está em liquidação" if emp.em_liquidacao else ""),
                "rpnp",
            )
        else:
            liq = self.liquidacoes.get((ev.entidade, ev.liquidacao))
            if (
                liq is None
                or liq.empenho != ev.empenho
                or ((ev.entidade, ev.liquidacao) in self.estornados)
            ):
                return [
                    Erro(
                        "EXEC-LIQUIDACAO",
                        f"liquidação {ev.liquidacao} não existe no empenho {ev.empenho}",
                        "liquidacao",
                    )
                ]
            if liq.situacao == EXERCICIO:
                return [
                    Erro(
                        "EXEC-RP",
                        f"liquidação {ev.liquidacao} não está em restos a pagar",
                        "liquidacao",
                    )
                ]
            atributos["conta_passivo"] = liq.conta_passivo
            saldo, o_que = liq.a_pagar, f"RP a pagar da liquidação {ev.liquidacao}"
            roteiro = "rpp" if liq.situacao == RPP else "rpnp_liquidado"
        atributos["roteiro"] = f"cancelamento_{roteiro}"
        if ev.valor > saldo:
            erros.append(
                _acima("EXEC-RP-SALDO", "cancelamento", ev.valor, f"saldo de {o_que}", saldo)
            )
        return erros

    def _empenho(self, entidade: str, numero: str, erros: list[Erro]) -> SaldoEmpenho | None:
        emp = self.empenhos.get((entidade, numero))
        if emp is None or (entidade, numero) in self.estornados:
            erros.append(Erro("EXEC-EMPENHO", f"empenho {numero} não existe", "empenho"))
            return None
        return emp

    def _conferir_credito(self, ev: CreditoAdicional) -> list[Erro]:
        dot = self.dotacoes.get((ev.entidade, ev.data.year, ev.dotacao))
        if ev.modalidade == ModalidadeCredito.SUPLEMENTAR:
            # Suplementar reforça dotação existente (Lei 4.320, art. 41, I).
            if dot is None:
                return [Erro("EXEC-DOTACAO", f"dotação {ev.dotacao} não existe", "dotacao")]
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

    def _conferir_reserva(self, ev: ReservaDotacao | AnulacaoReserva) -> list[Erro]:
        if isinstance(ev, ReservaDotacao):
            dot = self.dotacoes.get((ev.entidade, ev.data.year, ev.dotacao))
            if dot is None:
                return [Erro("EXEC-DOTACAO", f"dotação {ev.dotacao} não existe", "dotacao")]
            if ev.valor > dot.disponivel:
                return [
                    _acima(
                        "EXEC-DOTACAO-SALDO",
                        "reserva",
                        ev.valor,
                        f"crédito disponível da dotação {ev.dotacao}",
                        dot.disponivel,
                    )
                ]
            return []
        res = self.reservas.get((ev.entidade, ev.reserva))
        if res is None or (ev.entidade, ev.reserva) in self.estornados:
            return [Erro("EXEC-RESERVA", f"reserva {ev.reserva} não existe", "reserva")]
        if res.ano != ev.data.year:
            return [
                Erro("EXEC-RESERVA", f"reserva {ev.reserva} é do exercício {res.ano}", "reserva")
            ]
        if ev.valor > res.saldo:
            return [
                _acima(
                    "EXEC-RESERVA-SALDO",
                    "anulação",
                    ev.valor,
                    f"saldo da reserva {ev.reserva}",
                    res.saldo,
                )
            ]
        return []

    def _conferir_empenho(self, ev: Empenho) -> list[Erro]:
        erros: list[Erro] = []
        if not _documento_valido(ev.credor):
            erros.append(Erro("EXEC-CREDOR", f"credor {ev.credor}: CPF/CNPJ inválido", "credor"))
        dot = self.dotacoes.get((ev.entidade, ev.data.year, ev.dotacao))
        if dot is None:
            erros.append(Erro("EXEC-DOTACAO", f"dotação {ev.dotacao} não existe", "dotacao"))
            return erros
        if dot.fonte != ev.fonte.texto_cc:
            erros.append(
                Erro(
                    "EXEC-FONTE",
                    f"fonte {ev.fonte} diferente da fonte da dotação {ev.dotacao} ({dot.fonte})",
                    "fonte",
                )
            )
        if ev.reserva:
            # Empenho de reserva: consome o pré-empenho, não o crédito disponível.
            res = self.reservas.get((ev.entidade, ev.reserva))
            if res is None or (ev.entidade, ev.reserva) in self.estornados:
                erros.append(Erro("EXEC-RESERVA", f"reserva {ev.reserva} não existe", "reserva"))
            elif res.dotacao != ev.dotacao:
                erros.append(
                    Erro(
                        "EXEC-RESERVA",
                        f"reserva {ev.reserva} é da dotação {res.dotacao}, não de {ev.dotacao}",
                        "reserva",
                    )
                )
            elif ev.valor > res.saldo:
                erros.append(
                    _acima(
                        "EXEC-RESERVA-SALDO",
                        "empenho",
                        ev.valor,
                        f"saldo da reserva {ev.reserva}",
                        res.saldo,
                    )
                )
        elif ev.valor > dot.disponivel:
            erros.append(
                _acima(
                    "EXEC-DOTACAO-SALDO",
                    "empenho",
                    ev.valor,
                    f"crédito disponível da dotação {ev.dotacao}",
                    dot.disponivel,
                )
            )
        return erros

    # ------------------------------------------------------------ aplicar
    def _somar_extra_empenhado(self, chave: tuple[str, str, str, str], valor: int) -> None:
        self.extra_empenhado[chave] = self.extra_empenhado.get(chave, 0) + valor

    def aplicar(self, ev: Evento, sinal: int = 1) -> None:
        """Muda os saldos pelo evento (``sinal=-1`` desfaz: estorno)."""
        v = sinal * ev.valor
        ano = ev.data.year
        # Os tipos mais frequentes primeiro (os tipos são disjuntos: a ordem não muda o resultado).
        if isinstance(ev, Empenho):
            if ev.reserva:
                self.reservas[(ev.entidade, ev.reserva)].empenhado += v
                self.dotacoes[(ev.entidade, ano, ev.dotacao)].reservado -= v
            if sinal > 0:
                self.empenhos[(ev.entidade, ev.id)] = SaldoEmpenho(
                    ano, ev.dotacao, ev.fonte.texto_cc, ev.credor, ev.valor
                )
            self.dotacoes[(ev.entidade, ano, ev.dotacao)].empenhado += v
        elif isinstance(ev, Liquidacao):
            emp = self.empenhos[(ev.entidade, ev.empenho)]
            em = self.em_liquidacoes[(ev.entidade, ev.em_liquidacao)] if ev.em_liquidacao else None
            if sinal > 0:
                chave_mes = (ev.entidade, emp.credor, ano, ev.data.month)
                self.liquidacoes_do_mes.setdefault(chave_mes, []).append(ev.id)
                self.liquidacoes[(ev.entidade, ev.id)] = SaldoLiquidacao(
                    ano,
                    ev.empenho,
                    ev.valor,
                    ev.conta_passivo if em is None else em.conta_passivo,
                    situacao=RPNP if emp.inscrito else EXERCICIO,
                )
            emp.liquidado += v
            if emp.inscrito:
                emp.rpnp_liquidado += v
            if em is not None:
                em.liquidado += v
                emp.em_liquidacao -= v
        elif isinstance(ev, Pagamento):
            liq = self.liquidacoes[(ev.entidade, ev.liquidacao)]
            liq.pago += v
            emp = self.empenhos[(ev.entidade, liq.empenho)]
            emp.pago += v
            if liq.situacao == RPP:
                emp.rpp_pago += v
            elif liq.situacao == RPNP:
                emp.rpnp_pago += v
        elif isinstance(ev, PrevisaoReceita | Arrecadacao | PrevisaoDeducao | DeducaoReceita):
            chave = (ev.entidade, ano, ev.natureza_receita, ev.fonte.texto_cc)
            rec = self.receitas.setdefault(chave, SaldoReceita())
            if isinstance(ev, PrevisaoReceita):
                rec.previsto += v
            elif isinstance(ev, Arrecadacao):
                rec.arrecadado += v
            elif isinstance(ev, PrevisaoDeducao):
                rec.deducao_prevista += v
            else:
                rec.deduzido += v
        elif isinstance(ev, DotacaoInicial):
            if sinal > 0:
                self.dotacoes[(ev.entidade, ano, ev.dotacao)] = SaldoDotacao(ev.fonte.texto_cc)
            self.dotacoes[(ev.entidade, ano, ev.dotacao)].fixado += v
        elif isinstance(ev, CreditoAdicional):
            if sinal > 0 and (ev.entidade, ano, ev.dotacao) not in self.dotacoes:
                self.dotacoes[(ev.entidade, ano, ev.dotacao)] = SaldoDotacao(ev.fonte.texto_cc)
            self.dotacoes[(ev.entidade, ano, ev.dotacao)].adicional += v
        elif isinstance(ev, AnulacaoDotacao):
            self.dotacoes[(ev.entidade, ano, ev.dotacao)].reduzido += v
        elif isinstance(ev, ReservaDotacao):
            if sinal > 0:
                self.reservas[(ev.entidade, ev.id)] = SaldoReserva(ano, ev.dotacao, ev.valor)
            self.dotacoes[(ev.entidade, ano, ev.dotacao)].reservado += v
        elif isinstance(ev, AnulacaoReserva):
            res = self.reservas[(ev.entidade, ev.reserva)]
            res.anulado += v
            self.dotacoes[(ev.entidade, res.ano, res.dotacao)].reservado -= v
        elif isinstance(ev, EmLiquidacao):
            if sinal > 0:
                self.em_liquidacoes[(ev.entidade, ev.id)] = SaldoEmLiquidacao(
                    ano, ev.empenho, ev.valor, ev.conta_vpd, ev.conta_passivo
                )
            self.empenhos[(ev.entidade, ev.empenho)].em_liquidacao += v
        elif isinstance(ev, AnulacaoEmpenho):
            emp = self.empenhos[(ev.entidade, ev.empenho)]
            emp.anulado += v
            self.dotacoes[(ev.entidade, emp.ano, emp.dotacao)].empenhado -= v
        elif isinstance(ev, IngressoExtra | PagamentoExtra):
            chave_extra = _chave_extra(ev)
            sinal_extra = 1 if _aumenta_extra(ev) else -1
            self.extras[chave_extra] = self.extras.get(chave_extra, 0) + sinal_extra * v
            if isinstance(ev, PagamentoExtra) and ev.liquidacao:
                liq_extra = self.liquidacoes_extra[(ev.entidade, ev.liquidacao)]
                liq_extra.pago += v
                emp_extra = self.empenhos_extra[(ev.entidade, liq_extra.empenho)]
                emp_extra.pago += v
                self._somar_extra_empenhado(emp_extra.chave, -v)
        elif isinstance(ev, EmpenhoExtra):
            chave_emp = (ev.entidade, ev.conta, ev.credor, ev.fonte.texto_cc)
            if sinal > 0:
                self.empenhos_extra[(ev.entidade, ev.id)] = SaldoEmpenhoExtra(chave_emp, ev.valor)
            self._somar_extra_empenhado(chave_emp, v)
        elif isinstance(ev, LiquidacaoExtra):
            if sinal > 0:
                self.liquidacoes_extra[(ev.entidade, ev.id)] = SaldoLiquidacaoExtra(
                    ev.empenho, ev.valor
                )
            self.empenhos_extra[(ev.entidade, ev.empenho)].liquidado += v
        elif isinstance(ev, CancelamentoRestosAPagar):
            emp = self.empenhos[(ev.entidade, ev.empenho)]
            if not ev.liquidacao:
                emp.cancelado += v
                emp.rpnp_cancelado += v
                if ev.em_liquidacao:
                    self.em_liquidacoes[(ev.entidade, ev.em_liquidacao)].cancelado += v
                    emp.em_liquidacao -= v
            else:
                liq = self.liquidacoes[(ev.entidade, ev.liquidacao)]
                liq.cancelado += v
                if liq.situacao == RPP:
                    emp.rpp_cancelado += v
                else:
                    emp.rpnp_cancelado += v
        if sinal > 0:
            self.eventos[(ev.entidade, ev.id)] = ev
            origem = getattr(ev, "gerado_por", "")
            if origem:
                self.gerados.setdefault((ev.entidade, origem), []).append(ev.id)
        else:
            self.estornados.add((ev.entidade, ev.id))

    # ------------------------------------------------------------ encerramento
    def conferir_encerramento(self, ev: EncerramentoExercicio) -> list[Erro]:
        """Encerra-se um exercício uma vez, em 31/12, depois dos anteriores."""
        ano = ev.data.year
        erros = []
        if (ev.entidade, ev.id) in self.eventos:
            erros.append(Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id"))
        if (ev.data.month, ev.data.day) != (12, 31):
            erros.append(
                Erro("EXEC-ENCERRAMENTO", "o encerramento do exercício é em 31/12", "data")
            )
        if (ev.entidade, ano) in self.encerrados:
            erros.append(Erro("EXEC-ENCERRAMENTO", f"o exercício {ano} já foi encerrado", "data"))
        anteriores = sorted(
            {
                e.data.year
                for (ent, _), e in self.eventos.items()
                if ent == ev.entidade and e.data.year < ano
            }
            - {a for ent, a in self.encerrados if ent == ev.entidade}
        )
        if anteriores:
            erros.append(
                Erro(
                    "EXEC-ENCERRAMENTO",
                    f"encerre antes o exercício {anteriores[0]} da entidade",
                    "data",
                )
            )
        return erros

    def empenhos_a_inscrever(self, entidade: str, ano: int) -> list[tuple[str, SaldoEmpenho, int]]:
        """Empenhos do exercício com saldo a liquidar (inclusive em liquidação) ou
        liquidado a pagar (o que o encerramento inscreve em restos a pagar), com o
        liquidado a pagar de cada um, em ordem de número."""
        a_pagar = self.a_pagar_por_empenho(entidade)
        return sorted(
            (numero, emp, a_pagar.get(numero, 0))
            for (ent, numero), emp in self.empenhos.items()
            if ent == entidade
            and emp.ano == ano
            and not emp.inscrito
            and (ent, numero) not in self.estornados
            and (emp.a_liquidar > 0 or a_pagar.get(numero, 0) > 0)
        )

    def a_pagar_por_empenho(self, entidade: str, so_restos: bool = False) -> dict[str, int]:
        """Liquidado e não pago (nem cancelado) por empenho; ``so_restos``: só das
        liquidações em restos a pagar."""
        saida: dict[str, int] = {}
        for (ent, codigo), liq in self.liquidacoes.items():
            if (
                ent == entidade
                and (liq.situacao or not so_restos)
                and (ent, codigo) not in self.estornados
            ):
                saida[liq.empenho] = saida.get(liq.empenho, 0) + liq.a_pagar
        return saida

    def encerrar(self, ev: EncerramentoExercicio) -> None:
        """Inscreve em restos a pagar o que os empenhos do exercício têm a liquidar
        (não processados, inclusive o em liquidação, que continua em
        ``em_liquidacao``) e a pagar (processados) e fecha o exercício."""
        ano = ev.data.year
        inscritos = {n: emp for n, emp, _ in self.empenhos_a_inscrever(ev.entidade, ano)}
        for emp in inscritos.values():
            emp.inscrito = ano
            emp.rpnp_inscrito = emp.a_liquidar
        for (ent, codigo), liq in self.liquidacoes.items():
            if (
                ent == ev.entidade
                and liq.empenho in inscritos
                and liq.a_pagar > 0
                and (ent, codigo) not in self.estornados
            ):
                liq.situacao = RPP
                inscritos[liq.empenho].rpp_inscrito += liq.a_pagar
        self.encerrados.add((ev.entidade, ano))
        self.eventos[(ev.entidade, ev.id)] = ev
        self._transpor_extras(ev)

    def _transpor_extras(self, ev: EncerramentoExercicio) -> None:
        """Os valores restituíveis (cauções, consignações) atravessam o exercício na
        fonte de exercícios anteriores, como a abertura os leva no razão (1º dígito
        da fonte 1 → 2): devolvê-los no ano seguinte cita a fonte 2xxx. Guarda o
        que havia, para ``desfazer_encerramento``."""
        ent = ev.entidade
        antes_extras = {k: v for k, v in self.extras.items() if k[0] == ent}
        antes_empenhado = {k: v for k, v in self.extra_empenhado.items() if k[0] == ent}
        antes_chaves = {k: e.chave for k, e in self.empenhos_extra.items() if k[0] == ent}
        self._extras_antes[(ent, ev.data.year)] = (antes_extras, antes_empenhado, antes_chaves)

        def transpor(chave: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
            return (*chave[:3], fonte_exercicios_anteriores(chave[3]))

        for mapa in (self.extras, self.extra_empenhado):
            for chave in [k for k in mapa if k[0] == ent and transpor(k) != k]:
                nova = transpor(chave)
                mapa[nova] = mapa.get(nova, 0) + mapa.pop(chave)
        for k in antes_chaves:
            self.empenhos_extra[k].chave = transpor(self.empenhos_extra[k].chave)

    def conferir_desfazer_encerramento(
        self, entidade: str, id_evento: str
    ) -> tuple[EncerramentoExercicio | None, list[Erro]]:
        """O encerramento a desfazer: o último da entidade, sem execução no exercício
        seguinte (nenhum evento dele, nem os restos a pagar inscritos)."""
        ev = self.eventos.get((entidade, id_evento))
        if not isinstance(ev, EncerramentoExercicio):
            return None, [
                Erro("EXEC-ESTORNO", f"evento {id_evento} não é um encerramento", "evento")
            ]
        if (entidade, id_evento) in self.estornados:
            return None, [
                Erro("EXEC-ESTORNO", f"o encerramento {id_evento} já foi desfeito", "evento")
            ]
        ano = ev.data.year
        posteriores = sorted(
            e.id for (ent, _), e in self.eventos.items() if ent == entidade and e.data.year > ano
        )
        if posteriores:
            return None, [
                Erro(
                    "EXEC-ENCERRAMENTO",
                    f"o exercício {ano + 1} já tem {len(posteriores)} evento(s) "
                    f"({', '.join(posteriores[:5])}{'…' if len(posteriores) > 5 else ''}): "
                    f"o encerramento de {ano} só se desfaz antes de qualquer movimento em "
                    f"{ano + 1}; corrija {ano} em {ano + 1} por ajustes de exercícios "
                    "anteriores (2.3.7.1.x.03)",
                    "evento",
                )
            ]
        return ev, []

    def desfazer_encerramento(self, ev: EncerramentoExercicio) -> None:
        """O inverso de ``encerrar``: os empenhos inscritos no exercício voltam a ser
        do exercício (só depois de ``conferir_desfazer_encerramento``)."""
        ano = ev.data.year
        for (ent, _), emp in self.empenhos.items():
            if ent == ev.entidade and emp.inscrito == ano:
                emp.inscrito = emp.rpnp_inscrito = emp.rpp_inscrito = 0
        for (ent, _), liq in self.liquidacoes.items():
            if ent == ev.entidade and liq.situacao == RPP and liq.ano <= ano:
                emp = self.empenhos[(ent, liq.empenho)]
                if not emp.inscrito:
                    liq.situacao = EXERCICIO
        self.encerrados.discard((ev.entidade, ano))
        self.estornados.add((ev.entidade, ev.id))
        antes = self._extras_antes.pop((ev.entidade, ano), None)
        if antes is not None:
            extras, empenhado, chaves = antes
            for mapa, anterior in ((self.extras, extras), (self.extra_empenhado, empenhado)):
                for chave_extra in [c for c in mapa if c[0] == ev.entidade]:
                    del mapa[chave_extra]
                mapa.update(anterior)
            for k_emp, chave_emp in chaves.items():
                self.empenhos_extra[k_emp].chave = chave_emp

    # ------------------------------------------------------------ estorno
    def conferir_estorno(self, entidade: str, id_evento: str) -> tuple[Evento | None, list[Erro]]:
        """O evento a estornar, se pode ser estornado por inteiro; senão os erros."""
        ev = self.eventos.get((entidade, id_evento))
        if ev is None:
            return None, [Erro("EXEC-ESTORNO", f"evento {id_evento} não existe", "id")]
        if (entidade, id_evento) in self.estornados:
            return None, [Erro("EXEC-ESTORNO", f"evento {id_evento} já foi estornado", "id")]
        if isinstance(ev, EncerramentoExercicio):
            return None, [
                Erro(
                    "EXEC-ESTORNO",
                    f"evento {id_evento}: o encerramento do exercício se desfaz por "
                    f"erario exercicio desfazer-encerramento {entidade} {ev.data.year}, "
                    "com motivo",
                    "id",
                )
            ]
        motivo = None
        if (entidade, ev.data.year) in self.encerrados:
            motivo = f"o exercício {ev.data.year} está encerrado"
        elif isinstance(ev, DotacaoInicial):
            dot = self.dotacoes[(entidade, ev.data.year, ev.dotacao)]
            if dot.empenhado:
                motivo = "a dotação tem empenhos"
        elif isinstance(ev, Empenho):
            emp = self.empenhos[(entidade, ev.id)]
            if emp.liquidado or emp.anulado or emp.inscrito:
                motivo = "o empenho tem liquidação ou anulação: estorne-as antes"
            elif emp.em_liquidacao:
                motivo = "o empenho tem despesa em liquidação: estorne-a antes"
        elif isinstance(ev, EmLiquidacao):
            em = self.em_liquidacoes[(entidade, ev.id)]
            if em.liquidado or em.cancelado:
                motivo = (
                    "a despesa em liquidação já tem liquidação ou cancelamento: estorne-o antes"
                )
        elif isinstance(ev, Liquidacao):
            liq = self.liquidacoes[(entidade, ev.id)]
            if liq.pago or liq.cancelado:
                motivo = "a liquidação tem " + self._quitacoes(entidade, ev.id)
        elif isinstance(ev, ReservaDotacao):
            res = self.reservas[(entidade, ev.id)]
            if res.empenhado or res.anulado:
                motivo = "a reserva tem empenhos ou anulações: estorne-os antes"
        elif isinstance(ev, AnulacaoReserva):
            res = self.reservas[(entidade, ev.reserva)]
            dot = self.dotacoes[(entidade, res.ano, res.dotacao)]
            if ev.valor > dot.disponivel:
                motivo = "o crédito devolvido pela anulação já foi usado"
        elif isinstance(ev, Arrecadacao):
            rec = self.receitas[(entidade, ev.data.year, ev.natureza_receita, ev.fonte.texto_cc)]
            if ev.valor > rec.arrecadado - rec.deduzido:
                motivo = "a receita já tem deduções: estorne-as antes"
        elif isinstance(ev, IngressoExtra | PagamentoExtra) and _aumenta_extra(ev):
            if ev.valor > self.extras.get(_chave_extra(ev), 0):
                motivo = "o valor já foi devolvido, recolhido ou compensado"
        elif isinstance(ev, EmpenhoExtra):
            if self.empenhos_extra[(entidade, ev.id)].liquidado:
                motivo = "o empenho extraorçamentário tem liquidação: estorne-a antes"
        elif isinstance(ev, LiquidacaoExtra):
            if self.liquidacoes_extra[(entidade, ev.id)].pago:
                motivo = "a liquidação extraorçamentária tem " + self._quitacoes(entidade, ev.id)
        elif isinstance(ev, CreditoAdicional):
            if ev.valor > self.dotacoes[(entidade, ev.data.year, ev.dotacao)].disponivel:
                motivo = "o crédito aberto já foi empenhado"
        elif isinstance(ev, AnulacaoEmpenho):
            emp = self.empenhos[(entidade, ev.empenho)]
            dot = self.dotacoes[(entidade, emp.ano, emp.dotacao)]
            if ev.valor > dot.disponivel:
                motivo = "o crédito devolvido pela anulação já foi empenhado de novo"
        if motivo:
            return None, [
                Erro("EXEC-ESTORNO", f"evento {id_evento} não pode ser estornado: {motivo}", "id")
            ]
        return ev, []

    def _quitacoes(self, entidade: str, liquidacao: str) -> str:
        """Os pagamentos e cancelamentos vivos da liquidação, pelo id, para a recusa do
        estorno: "o pagamento P1: estorne-o antes". O gerado por outro evento (a
        retenção no pagamento) aparece pelo evento que o gerou, que é o que se estorna.
        Só no caminho da recusa: percorre os eventos."""
        pagamentos: dict[str, None] = {}
        cancelamentos: dict[str, None] = {}
        for (ent, codigo), ev in self.eventos.items():
            if ent != entidade or (ent, codigo) in self.estornados:
                continue
            if isinstance(ev, Pagamento | PagamentoExtra | CancelamentoRestosAPagar) and (
                ev.liquidacao == liquidacao
            ):
                destino = cancelamentos if isinstance(ev, CancelamentoRestosAPagar) else pagamentos
                destino[getattr(ev, "gerado_por", "") or codigo] = None
        partes = [
            (f"o {nome} " if len(ids) == 1 else f"os {nome}s ") + ", ".join(ids)
            for nome, ids in (
                ("pagamento", list(pagamentos)),
                ("cancelamento", list(cancelamentos)),
            )
            if ids
        ]
        if not partes:
            return "pagamento ou cancelamento: estorne-o antes"
        n = len(pagamentos) + len(cancelamentos)
        return " e ".join(partes) + (": estorne-o antes" if n == 1 else ": estorne-os antes")


def _chave_extra(ev: IngressoExtra | PagamentoExtra) -> tuple[str, str, str, str]:
    return (ev.entidade, ev.conta_passivo, ev.credor, ev.fonte.texto_cc)


def _aumenta_extra(ev: IngressoExtra | PagamentoExtra) -> bool:
    """O movimento aumenta o saldo do credor? Em valores restituíveis (passivo, 2.x)
    o ingresso aumenta e o pagamento devolve; em créditos a receber (ativo, 1.x,
    p. ex. 1.1.3.8.1) o pagamento cria o crédito e o ingresso o compensa."""
    return isinstance(ev, IngressoExtra) == ev.conta_passivo.startswith("2")


# Poucos credores se repetem em muitos empenhos: valida cada um uma vez.
_documento_valido = cache(documento_valido)


def _acima(regra: str, o_que: str, valor: int, referencia: str, limite: int) -> Erro:
    """Erro de saldo: ``<o que> de R$ <valor> acima do <referência> (R$ <limite>)``."""
    return Erro(
        regra,
        f"{o_que} de {formatar_brl(valor)} acima do {referencia} ({formatar_brl(limite)})",
        "valor",
    )


def _atributos_empenho(emp: SaldoEmpenho, numero: str) -> Atributos:
    # FP=F: a obrigação nascida de empenho é passivo financeiro (atributo F do
    # PCASP, Lei 4.320/1964 art. 105 § 3º), quando a conta não fixa o seu.
    # AI: ano de inscrição em restos a pagar (contas 5.3 e 6.3).
    # Inscrito em RP, o empenho executa-se com recursos de exercícios anteriores:
    # a fonte passa de 1 a 2, como na abertura (execucao.encerramento).
    atributos = {
        "DO": emp.dotacao,
        "FR": fonte_exercicios_anteriores(emp.fonte) if emp.inscrito else emp.fonte,
        "CR": emp.credor,
        "FP": "F",
        "empenho": numero,
    }
    if emp.inscrito:
        atributos["AI"] = str(emp.inscrito)
    return atributos


def _sem_inscricao(empenho: str, ano: int) -> Erro:
    return Erro(
        "EXEC-RP",
        f"empenho {empenho} é do exercício {ano} e não foi inscrito em restos a pagar: "
        f"encerre o exercício {ano} antes",
        "empenho",
    )


def _mesma_conta(a: str, b: str) -> bool:
    """O mesmo código de conta escrito de outro jeito (com ou sem pontos e os
    níveis zerados do fim)?"""
    return a.replace(".", "").rstrip("0") == b.replace(".", "").rstrip("0")


def _conferir_restos(
    ev: AnulacaoEmpenho | Liquidacao | EmLiquidacao,
    emp: SaldoEmpenho,
    numero: str,
    *,
    cancelavel: bool,
) -> list[Erro]:
    """Empenho de exercício anterior só se executa inscrito em RP (Lei 4.320/1964,
    art. 36); o inscrito não se anula: cancela-se o RP."""
    if emp.inscrito and cancelavel:
        return [
            Erro(
                "EXEC-RP",
                f"empenho {numero} está inscrito em restos a pagar: use o cancelamento "
                "de restos a pagar",
                "empenho",
            )
        ]
    if not emp.inscrito and ev.data.year > emp.ano:
        return [_sem_inscricao(numero, emp.ano)]
    return []


def _conferir_conta_bancaria(entidade: str, dona: str) -> list[Erro]:
    if dona != entidade:
        return [
            Erro(
                "EXEC-CONTA-BANCARIA",
                f"a conta bancária é da entidade {dona}, não de {entidade}",
                "conta_bancaria",
            )
        ]
    return []
