"""O que as regras de várias famílias de evento usam: contas fixas do PCASP,
mensagens de saldo, atributos do empenho e as conferências repetidas (conta
bancária, restos a pagar, credor)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Generic, TypeVar

from erario.core.codigos import documento_valido as _documento_valido_sem_cache
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.eventos import (
    AnulacaoEmpenho,
    CancelamentoRestosAPagar,
    EmLiquidacao,
    IngressoExtra,
    Liquidacao,
    Pagamento,
    PagamentoExtra,
)
from erario.execucao.saldos import SaldoEmpenho
from erario.orcamento.classificacao import fonte_exercicios_anteriores

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario

Atributos = dict[str, str]
E = TypeVar("E")

# Controle da disponibilidade por destinação de recursos na arrecadação
# (PCASP 7.2.1.1.1 recursos ordinários; 7.2.1.1.2 recursos vinculados).
CONTA_DDR_ORDINARIA = "7.2.1.1.1.00.00"
CONTA_DDR_VINCULADA = "7.2.1.1.2.00.00"

# DDR a utilizar (PCASP 8.2.1.1.1): recursos do exercício e de exercícios anteriores.
CONTA_DDR_DISPONIVEL = "8.2.1.1.1.01.00"
CONTA_DDR_DISPONIVEL_ANTERIORES = "8.2.1.1.1.02.00"

CONTA_CREDITO_DISPONIVEL = "6.2.2.1.1.00.00"
CONTA_PRE_EMPENHADO = "6.2.2.1.2.02.00"  # reserva de dotação


def conta_ddr(vinculada: bool) -> str:
    return CONTA_DDR_VINCULADA if vinculada else CONTA_DDR_ORDINARIA


# Poucos credores se repetem em muitos empenhos: valida cada um uma vez.
documento_valido = cache(_documento_valido_sem_cache)


def credor_invalido(credor: str) -> list[Erro]:
    if documento_valido(credor):
        return []
    return [Erro("EXEC-CREDOR", f"credor {credor}: CPF/CNPJ inválido", "credor")]


def acima(regra: str, o_que: str, valor: int, referencia: str, limite: int) -> Erro:
    """Erro de saldo: ``<o que> de R$ <valor> acima do <referência> (R$ <limite>)``."""
    return Erro(
        regra,
        f"{o_que} de {formatar_brl(valor)} acima do {referencia} ({formatar_brl(limite)})",
        "valor",
    )


def atributos_empenho(emp: SaldoEmpenho, numero: str) -> Atributos:
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


def sem_inscricao(empenho: str, ano: int) -> Erro:
    return Erro(
        "EXEC-RP",
        f"empenho {empenho} é do exercício {ano} e não foi inscrito em restos a pagar: "
        f"encerre o exercício {ano} antes",
        "empenho",
    )


def mesma_conta(a: str, b: str) -> bool:
    """O mesmo código de conta escrito de outro jeito (com ou sem pontos e os
    níveis zerados do fim)?"""
    return a.replace(".", "").rstrip("0") == b.replace(".", "").rstrip("0")


def conferir_restos(
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
        return [sem_inscricao(numero, emp.ano)]
    return []


def conferir_conta_bancaria(entidade: str, dona: str) -> list[Erro]:
    if dona != entidade:
        return [
            Erro(
                "EXEC-CONTA-BANCARIA",
                f"a conta bancária é da entidade {dona}, não de {entidade}",
                "conta_bancaria",
            )
        ]
    return []


def empenho_vivo(
    c: ControleOrcamentario, entidade: str, numero: str, erros: list[Erro]
) -> SaldoEmpenho | None:
    """O saldo do empenho, se existe e não foi estornado; senão None e o erro."""
    emp = c.empenhos.get((entidade, numero))
    if emp is None or (entidade, numero) in c.estornados:
        erros.append(Erro("EXEC-EMPENHO", f"empenho {numero} não existe", "empenho"))
        return None
    return emp


def chave_extra(ev: IngressoExtra | PagamentoExtra) -> tuple[str, str, str, str]:
    return (ev.entidade, ev.conta_passivo, ev.credor, ev.fonte.texto_cc)


def aumenta_extra(ev: IngressoExtra | PagamentoExtra) -> bool:
    """O movimento aumenta o saldo do credor? Em valores restituíveis (passivo, 2.x)
    o ingresso aumenta e o pagamento devolve; em créditos a receber (ativo, 1.x,
    p. ex. 1.1.3.8.1) o pagamento cria o crédito e o ingresso o compensa."""
    return isinstance(ev, IngressoExtra) == ev.conta_passivo.startswith("2")


def quitacoes(c: ControleOrcamentario, entidade: str, liquidacao: str) -> str:
    """Os pagamentos e cancelamentos vivos da liquidação, pelo id, para a recusa do
    estorno: "o pagamento P1: estorne-o antes". O gerado por outro evento (a
    retenção no pagamento) aparece pelo evento que o gerou, que é o que se estorna.
    Só no caminho da recusa: percorre os eventos."""
    pagamentos: dict[str, None] = {}
    cancelamentos: dict[str, None] = {}
    c.trazer_entidade(entidade)
    for (ent, codigo), ev in c.eventos.items():
        if ent != entidade or (ent, codigo) in c.estornados:
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


def sem_motivo(c: ControleOrcamentario, ev: object) -> str | None:
    """Estorno sempre possível (fora do exercício encerrado, que o controle confere)."""
    return None


@dataclass(frozen=True, slots=True)
class Regra(Generic[E]):
    """A regra de um tipo de evento: ``conferir`` só lê o controle e preenche os
    atributos do roteiro contábil (devolve os erros); ``aplicar`` muda os saldos por
    ``v`` (o valor com o sinal: negativo no estorno); ``motivo_estorno``, por que o
    evento não pode ser estornado agora (None: pode)."""

    conferir: Callable[[ControleOrcamentario, E, Atributos], list[Erro]]
    aplicar: Callable[[ControleOrcamentario, E, int], None]
    motivo_estorno: Callable[[ControleOrcamentario, E], str | None] = sem_motivo
