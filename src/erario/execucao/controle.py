"""Controle dos saldos da execução: dotação, empenho, liquidação e pagamento.

As travas da Lei 4.320/1964 viram regras com código estável:
- ``EXEC-DOTACAO-SALDO``: empenho acima do crédito disponível (art. 59);
- ``EXEC-ANULACAO-SALDO``: anulação acima do que o empenho tem a liquidar;
- ``EXEC-LIQUIDACAO-SALDO``: liquidação acima do que o empenho tem a liquidar (art. 63);
- ``EXEC-PAGAMENTO-SALDO``: pagamento acima do liquidado e não pago (art. 62);
- ``EXEC-CONTA-BANCARIA``: conta bancária de outra entidade;
- ``EXEC-RESERVA``, ``EXEC-RESERVA-SALDO``: reserva de dotação inexistente, de outra
  dotação ou sem saldo para o empenho ou a anulação;
- ``EXEC-DEDUCAO-SALDO``: dedução (FUNDEB) acima do arrecadado e não deduzido;
- ``EXEC-EXTRA-SALDO``: devolução/recolhimento extraorçamentário acima do que entrou;
- ``EXEC-TRANSFERENCIA``: transferência financeira para a própria entidade;
- ``EXEC-COBERTURA``: crédito suplementar ou especial sem recursos de cobertura (art. 43);
- ``EXEC-ID``, ``EXEC-DOTACAO``, ``EXEC-EMPENHO``, ``EXEC-LIQUIDACAO``,
  ``EXEC-FONTE``, ``EXEC-CREDOR``, ``EXEC-VALOR``, ``EXEC-ESTORNO``: referências e
  dados do evento.

``conferir`` só lê e devolve os atributos que o roteiro contábil usa (ou todos
os erros); ``aplicar`` muda os saldos e só deve ser chamado depois de um
``conferir`` sem erro. Nada aqui acessa banco.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from erario.core.codigos import cnpj_valido, cpf_valido
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.eventos import (
    AnulacaoDotacao,
    AnulacaoEmpenho,
    AnulacaoReserva,
    Arrecadacao,
    CoberturaCredito,
    CreditoAdicional,
    DeducaoReceita,
    DotacaoInicial,
    Empenho,
    Evento,
    IngressoExtra,
    Liquidacao,
    ModalidadeCredito,
    Pagamento,
    PagamentoExtra,
    PrevisaoDeducao,
    PrevisaoReceita,
    ReservaDotacao,
    TransferenciaFinanceira,
)

# Controle da disponibilidade por destinação de recursos na arrecadação
# (PCASP 7.2.1.1.1 recursos ordinários; 7.2.1.1.2 recursos vinculados).
CONTA_DDR_ORDINARIA = "7.2.1.1.1.00.00"
CONTA_DDR_VINCULADA = "7.2.1.1.2.00.00"

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
    dotacao: str
    valor: int
    anulado: int = 0
    empenhado: int = 0

    @property
    def saldo(self) -> int:
        return self.valor - self.anulado - self.empenhado


@dataclass(slots=True)
class SaldoEmpenho:
    dotacao: str
    fonte: str
    credor: str
    valor: int
    anulado: int = 0
    liquidado: int = 0
    pago: int = 0

    @property
    def a_liquidar(self) -> int:
        return self.valor - self.anulado - self.liquidado


@dataclass(slots=True)
class SaldoLiquidacao:
    empenho: str
    valor: int
    conta_passivo: str
    pago: int = 0


@dataclass(slots=True)
class SaldoReceita:
    previsto: int = 0
    arrecadado: int = 0
    deducao_prevista: int = 0  # FUNDEB
    deduzido: int = 0


@dataclass
class ControleOrcamentario:
    """Saldos por entidade; chaves (entidade, código)."""

    dotacoes: dict[tuple[str, str], SaldoDotacao] = field(default_factory=dict)
    empenhos: dict[tuple[str, str], SaldoEmpenho] = field(default_factory=dict)
    liquidacoes: dict[tuple[str, str], SaldoLiquidacao] = field(default_factory=dict)
    reservas: dict[tuple[str, str], SaldoReserva] = field(default_factory=dict)
    # (entidade, natureza da receita, fonte no formato FR) → previsto/arrecadado
    receitas: dict[tuple[str, str, str], SaldoReceita] = field(default_factory=dict)
    # (entidade, conta do passivo, credor, fonte) → saldo restituível extraorçamentário
    extras: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    eventos: dict[tuple[str, str], Evento] = field(default_factory=dict)
    estornados: set[tuple[str, str]] = field(default_factory=set)

    # ------------------------------------------------------------ conferir
    def conferir(self, ev: Evento) -> tuple[Atributos | None, list[Erro]]:
        erros: list[Erro] = []
        if (ev.entidade, ev.id) in self.eventos:
            erros.append(Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id"))
        if ev.valor <= 0:
            erros.append(Erro("EXEC-VALOR", "valor do evento deve ser positivo", "valor"))
        atributos: Atributos = {"evento": ev.id}
        if isinstance(ev, PrevisaoReceita | PrevisaoDeducao):
            atributos |= {"NR": ev.natureza_receita, "FR": ev.fonte.texto_cc}
        elif isinstance(ev, DeducaoReceita):
            rec = self.receitas.get((ev.entidade, ev.natureza_receita, ev.fonte.texto_cc))
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
            if (ev.entidade, ev.dotacao) in self.dotacoes:
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
            dot = self.dotacoes.get((ev.entidade, ev.dotacao))
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
            dot = self.dotacoes.get((ev.entidade, dotacao))
            if dot is not None:
                atributos |= {"DO": dotacao, "FR": dot.fonte}
        elif isinstance(ev, Empenho):
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
        elif isinstance(ev, AnulacaoEmpenho | Liquidacao):
            # Anular e liquidar consomem o mesmo saldo: o que o empenho tem a liquidar.
            emp = self._empenho(ev.entidade, ev.empenho, erros)
            if emp is not None:
                anulacao = isinstance(ev, AnulacaoEmpenho)
                if ev.valor > emp.a_liquidar:
                    erros.append(
                        _acima(
                            "EXEC-ANULACAO-SALDO" if anulacao else "EXEC-LIQUIDACAO-SALDO",
                            "anulação" if anulacao else "liquidação",
                            ev.valor,
                            f"saldo a liquidar do empenho {ev.empenho}",
                            emp.a_liquidar,
                        )
                    )
                atributos |= _atributos_empenho(emp, ev.empenho)
            if emp is not None and isinstance(ev, Liquidacao):
                atributos |= {
                    "documento": ev.documento,
                    "conta_vpd": ev.conta_vpd,
                    "conta_passivo": ev.conta_passivo,
                }
        elif isinstance(ev, Pagamento):
            liq = self.liquidacoes.get((ev.entidade, ev.liquidacao))
            if liq is None or (ev.entidade, ev.liquidacao) in self.estornados:
                erros.append(
                    Erro("EXEC-LIQUIDACAO", f"liquidação {ev.liquidacao} não existe", "liquidacao")
                )
            else:
                a_pagar = liq.valor - liq.pago
                if ev.valor > a_pagar:
                    erros.append(
                        _acima(
                            "EXEC-PAGAMENTO-SALDO",
                            "pagamento",
                            ev.valor,
                            f"liquidado a pagar da liquidação {ev.liquidacao}",
                            a_pagar,
                        )
                    )
                emp = self.empenhos[(ev.entidade, liq.empenho)]
                atributos |= _atributos_empenho(emp, liq.empenho) | {
                    "conta_passivo": liq.conta_passivo,
                    "conta_banco": ev.conta_banco,
                    "DB": ev.domicilio,
                }
            erros += _conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
        elif isinstance(ev, IngressoExtra | PagamentoExtra):
            erros += _conferir_conta_bancaria(ev.entidade, ev.entidade_conta)
            if not _documento_valido(ev.credor):
                erros.append(
                    Erro("EXEC-CREDOR", f"credor {ev.credor}: CPF/CNPJ inválido", "credor")
                )
            if isinstance(ev, PagamentoExtra):
                saldo = self.extras.get(_chave_extra(ev), 0)
                if ev.valor > saldo:
                    erros.append(
                        _acima(
                            "EXEC-EXTRA-SALDO",
                            "pagamento extraorçamentário",
                            ev.valor,
                            f"saldo de {ev.credor} em {ev.conta_passivo}",
                            saldo,
                        )
                    )
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
        return (None, erros) if erros else (atributos, [])

    def _empenho(self, entidade: str, numero: str, erros: list[Erro]) -> SaldoEmpenho | None:
        emp = self.empenhos.get((entidade, numero))
        if emp is None or (entidade, numero) in self.estornados:
            erros.append(Erro("EXEC-EMPENHO", f"empenho {numero} não existe", "empenho"))
            return None
        return emp

    def _conferir_credito(self, ev: CreditoAdicional) -> list[Erro]:
        dot = self.dotacoes.get((ev.entidade, ev.dotacao))
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
            dot = self.dotacoes.get((ev.entidade, ev.dotacao))
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
        dot = self.dotacoes.get((ev.entidade, ev.dotacao))
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
    def aplicar(self, ev: Evento, sinal: int = 1) -> None:
        """Muda os saldos pelo evento (``sinal=-1`` desfaz: estorno)."""
        v = sinal * ev.valor
        if isinstance(ev, PrevisaoReceita | Arrecadacao | PrevisaoDeducao | DeducaoReceita):
            chave = (ev.entidade, ev.natureza_receita, ev.fonte.texto_cc)
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
                self.dotacoes[(ev.entidade, ev.dotacao)] = SaldoDotacao(ev.fonte.texto_cc)
            self.dotacoes[(ev.entidade, ev.dotacao)].fixado += v
        elif isinstance(ev, CreditoAdicional):
            if sinal > 0 and (ev.entidade, ev.dotacao) not in self.dotacoes:
                self.dotacoes[(ev.entidade, ev.dotacao)] = SaldoDotacao(ev.fonte.texto_cc)
            self.dotacoes[(ev.entidade, ev.dotacao)].adicional += v
        elif isinstance(ev, AnulacaoDotacao):
            self.dotacoes[(ev.entidade, ev.dotacao)].reduzido += v
        elif isinstance(ev, ReservaDotacao):
            if sinal > 0:
                self.reservas[(ev.entidade, ev.id)] = SaldoReserva(ev.dotacao, ev.valor)
            self.dotacoes[(ev.entidade, ev.dotacao)].reservado += v
        elif isinstance(ev, AnulacaoReserva):
            res = self.reservas[(ev.entidade, ev.reserva)]
            res.anulado += v
            self.dotacoes[(ev.entidade, res.dotacao)].reservado -= v
        elif isinstance(ev, Empenho):
            if ev.reserva:
                self.reservas[(ev.entidade, ev.reserva)].empenhado += v
                self.dotacoes[(ev.entidade, ev.dotacao)].reservado -= v
            if sinal > 0:
                self.empenhos[(ev.entidade, ev.id)] = SaldoEmpenho(
                    ev.dotacao, ev.fonte.texto_cc, ev.credor, ev.valor
                )
            self.dotacoes[(ev.entidade, ev.dotacao)].empenhado += v
        elif isinstance(ev, AnulacaoEmpenho):
            emp = self.empenhos[(ev.entidade, ev.empenho)]
            emp.anulado += v
            self.dotacoes[(ev.entidade, emp.dotacao)].empenhado -= v
        elif isinstance(ev, Liquidacao):
            if sinal > 0:
                self.liquidacoes[(ev.entidade, ev.id)] = SaldoLiquidacao(
                    ev.empenho, ev.valor, ev.conta_passivo
                )
            self.empenhos[(ev.entidade, ev.empenho)].liquidado += v
        elif isinstance(ev, IngressoExtra | PagamentoExtra):
            chave_extra = _chave_extra(ev)
            sinal_extra = 1 if isinstance(ev, IngressoExtra) else -1
            self.extras[chave_extra] = self.extras.get(chave_extra, 0) + sinal_extra * v
        elif isinstance(ev, Pagamento):
            liq = self.liquidacoes[(ev.entidade, ev.liquidacao)]
            liq.pago += v
            self.empenhos[(ev.entidade, liq.empenho)].pago += v
        if sinal > 0:
            self.eventos[(ev.entidade, ev.id)] = ev
        else:
            self.estornados.add((ev.entidade, ev.id))

    # ------------------------------------------------------------ estorno
    def conferir_estorno(self, entidade: str, id_evento: str) -> tuple[Evento | None, list[Erro]]:
        """O evento a estornar, se pode ser estornado por inteiro; senão os erros."""
        ev = self.eventos.get((entidade, id_evento))
        if ev is None:
            return None, [Erro("EXEC-ESTORNO", f"evento {id_evento} não existe", "id")]
        if (entidade, id_evento) in self.estornados:
            return None, [Erro("EXEC-ESTORNO", f"evento {id_evento} já foi estornado", "id")]
        motivo = None
        if isinstance(ev, DotacaoInicial):
            dot = self.dotacoes[(entidade, ev.dotacao)]
            if dot.empenhado:
                motivo = "a dotação tem empenhos"
        elif isinstance(ev, Empenho):
            emp = self.empenhos[(entidade, ev.id)]
            if emp.liquidado or emp.anulado:
                motivo = "o empenho tem liquidação ou anulação: estorne-as antes"
        elif isinstance(ev, Liquidacao):
            if self.liquidacoes[(entidade, ev.id)].pago:
                motivo = "a liquidação tem pagamento: estorne-o antes"
        elif isinstance(ev, ReservaDotacao):
            res = self.reservas[(entidade, ev.id)]
            if res.empenhado or res.anulado:
                motivo = "a reserva tem empenhos ou anulações: estorne-os antes"
        elif isinstance(ev, AnulacaoReserva):
            dot = self.dotacoes[(entidade, self.reservas[(entidade, ev.reserva)].dotacao)]
            if ev.valor > dot.disponivel:
                motivo = "o crédito devolvido pela anulação já foi usado"
        elif isinstance(ev, Arrecadacao):
            rec = self.receitas[(entidade, ev.natureza_receita, ev.fonte.texto_cc)]
            if ev.valor > rec.arrecadado - rec.deduzido:
                motivo = "a receita já tem deduções: estorne-as antes"
        elif isinstance(ev, IngressoExtra):
            if ev.valor > self.extras.get(_chave_extra(ev), 0):
                motivo = "o valor já foi devolvido ou recolhido"
        elif isinstance(ev, CreditoAdicional):
            if ev.valor > self.dotacoes[(entidade, ev.dotacao)].disponivel:
                motivo = "o crédito aberto já foi empenhado"
        elif isinstance(ev, AnulacaoEmpenho):
            dot = self.dotacoes[(entidade, self.empenhos[(entidade, ev.empenho)].dotacao)]
            if ev.valor > dot.disponivel:
                motivo = "o crédito devolvido pela anulação já foi empenhado de novo"
        if motivo:
            return None, [
                Erro("EXEC-ESTORNO", f"evento {id_evento} não pode ser estornado: {motivo}", "id")
            ]
        return ev, []


def _chave_extra(ev: IngressoExtra | PagamentoExtra) -> tuple[str, str, str, str]:
    return (ev.entidade, ev.conta_passivo, ev.credor, ev.fonte.texto_cc)


@cache
def _documento_valido(documento: str) -> bool:
    # Poucos credores se repetem em muitos empenhos: valida cada um uma vez.
    return cpf_valido(documento) if len(documento) == 11 else cnpj_valido(documento)


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
    return {"DO": emp.dotacao, "FR": emp.fonte, "CR": emp.credor, "FP": "F", "empenho": numero}


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
