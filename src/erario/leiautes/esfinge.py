"""e-Sfinge (TCE-SC), pacote mensal "Registros Contábeis": declaração, validação e prazos.

O leiaute (registros, campos, tabelas de códigos) está em
``dados/esfinge_registros_contabeis.toml``. Aqui ficam os nomes dos registros,
o contexto que as regras recebem, a validação do pacote (motor genérico mais as
regras do e-Sfinge) e os prazos; as regras que dependem de mais de um campo, de
outros registros ou do plano de contas estão em ``esfinge_regras``, cada uma uma
função pura registrada pelo nome que o TOML lista.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Final, NamedTuple

from erario.core.erros import Erro
from erario.leiautes.carga import leiaute_padrao
from erario.leiautes.modelo import Item, Leiaute, Pacote
from erario.leiautes.validacao import (
    REGRAS_DE_AVISO,
    RegraPacote,
    Resultado,
    codigo_texto,
    validar_com_avisos,
)
from erario.razao.modelo import Conta, PlanoContas, TipoEntidade

NOME_LEIAUTE: Final = "esfinge_registros_contabeis"
CONTA_BANCARIA: Final = "contaBancaria"
ENCERRAMENTO: Final = "encerramentoContaBancaria"
LANCAMENTO: Final = "lancamentoContabilPlanoUnico"
APLICACAO: Final = "aplicacaoFinanceiraPlanoUnico"
SALDOS: Final = "saldosBancarios"
CONCILIACAO: Final = "conciliacaoBancaria"

# "Aplicável somente para as unidades da esfera municipal, exceto Empresas e
# Associações" (o erario não tem associações).
FORA_DO_ESFINGE: Final = frozenset({TipoEntidade.EMPRESA})
# Lançamento Contábil Plano Único: "Opcional somente para unidades do tipo Fundação e Fundo."
LANCAMENTOS_OPCIONAIS: Final = frozenset({TipoEntidade.FUNDACAO, TipoEntidade.FUNDO})
# "Prazo de envio: Até o vigésimo dia do mês subsequente à ocorrência dos fatos."
DIA_DO_PRAZO: Final = 20
# Nota (aviso) de que as regras contra o razão não rodaram: arquivo de fora, sem o razão.
SEM_RAZAO: Final = "ESF-SEM-RAZAO"


def leiaute() -> Leiaute:
    return leiaute_padrao(NOME_LEIAUTE)


def obrigada(tipo: TipoEntidade) -> bool:
    return tipo not in FORA_DO_ESFINGE


def prazo(ano: int, mes: int) -> dt.date:
    """Dia 20 do mês seguinte."""
    return dt.date(ano + mes // 12, mes % 12 + 1, DIA_DO_PRAZO)


def so_alfanumerico(texto: str) -> str:
    """Só letras e dígitos (conta corrente sem ponto nem outro caractere de concatenação)."""
    return "".join(ch for ch in texto if ch.isalnum())


# Código da conta contábil no pacote: só letras e dígitos (``1.1.1.1.1.06.00`` → ``111110600``).
codigo_conta = so_alfanumerico


@dataclass(frozen=True)
class RazaoEsfinge:
    """O que o razão diz do pacote, para as regras que o conferem contra o razão.

    Contas bancárias por (banco, agência, conta) de ``chave_bancaria``; aplicações
    por (código da conta no pacote, conta corrente no pacote)."""

    # Saldo contábil em 31/12 de cada conta bancária (só em dezembro).
    saldos_contabeis: Mapping[tuple[str, str, str], Decimal] = field(default_factory=dict)
    # Aplicado, resgatado e rendimento do mês, pelo razão.
    aplicacoes: Mapping[tuple[str, str], tuple[Decimal, Decimal, Decimal]] = field(
        default_factory=dict
    )
    # Última data em que cada conta bancária foi movimentada no mês.
    movimentos: Mapping[tuple[str, str, str], dt.date] = field(default_factory=dict)


@dataclass(frozen=True)
class ContextoEsfinge:
    """O que as regras precisam além do pacote."""

    plano: PlanoContas
    tipo_entidade: TipoEntidade
    # Número de controle → data, dos pacotes anteriores ("não pode existir em outra data").
    numeros_anteriores: Mapping[str, dt.date] = field(default_factory=dict)
    # (banco, agência, conta) já enviados em registros Conta Bancária anteriores.
    contas_cadastradas: frozenset[tuple[str, str, str]] = frozenset()
    # Registro Conta Bancária já enviado, por (banco, agência, conta): dígitos e ativação.
    cadastro_anterior: Mapping[tuple[str, str, str], Item] = field(default_factory=dict)
    # (banco, agência, conta) encerradas em pacotes anteriores → data do encerramento.
    contas_encerradas: Mapping[tuple[str, str, str], dt.date] = field(default_factory=dict)
    # Fatos do razão do mês (pacote gerado no erario); None = arquivo de fora, sem razão.
    razao: RazaoEsfinge | None = None

    @cached_property
    def contas(self) -> dict[str, Conta]:
        """Contas do plano pelo código do pacote (``codigo_conta``): montadas uma vez por
        contexto, na primeira regra que consulta o plano."""
        return {codigo_conta(c.codigo): c for c in self.plano.contas.values()}


RegraEsfinge = Callable[[Pacote, ContextoEsfinge], Iterable[Erro]]


def regras(contexto: ContextoEsfinge) -> dict[str, RegraPacote]:
    # Importado aqui: o módulo das regras importa deste as constantes e o contexto.
    from erario.leiautes.esfinge_regras import REGRAS

    def ligar(f: RegraEsfinge) -> RegraPacote:
        return lambda pacote: f(pacote, contexto)

    return {nome: ligar(f) for nome, f in REGRAS.items()}


def validar_pacote(pacote: Pacote, contexto: ContextoEsfinge) -> list[Erro]:
    """Todos os erros do pacote: campos (motor genérico) e regras do e-Sfinge."""
    return validar_pacote_com_avisos(pacote, contexto).erros


def validar_pacote_com_avisos(pacote: Pacote, contexto: ContextoEsfinge) -> Resultado:
    """Erros e avisos (código desconhecido em tabela a confirmar; regras do razão não
    conferidas num arquivo de fora) do pacote."""
    return validar_com_avisos(leiaute(), pacote, regras(contexto), REGRAS_DE_AVISO | {SEM_RAZAO})


# ------------------------------------------------------------------ auxiliares
def campo_texto(item: Item, chave: str) -> str | None:
    """O texto do campo, se informado (não vazio)."""
    v = item.get(chave)
    return v if isinstance(v, str) and v.strip() else None


def campo_data(item: Item, chave: str) -> dt.date | None:
    """A data do campo, se é uma data (não data e hora)."""
    v = item.get(chave)
    return v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None


def chave_bancaria(item: Item) -> tuple[str, str, str]:
    """(banco, agência, conta) sem zeros à esquerda, para comparar registros."""

    def norm(v: object) -> str:
        t = codigo_texto(v).strip()
        return t.lstrip("0") or "0" if t.isdigit() else t

    return (
        norm(item.get("codigoBanco")),
        norm(item.get("codigoAgencia")),
        norm(item.get("codigoContaBancaria")),
    )


# ---------------------------------------------------------------- sequência
def validar_sequencia(
    pacotes: Sequence[tuple[Pacote, ContextoEsfinge]],
) -> list[Resultado]:
    """Pacotes de meses seguidos, em ordem: cada um validado com o que os anteriores da
    sequência enviaram — contas cadastradas (e os seus dígitos e ativação), números de
    controle com a sua data e as contas encerradas."""
    numeros: dict[str, dt.date] = {}
    cadastro: dict[tuple[str, str, str], Item] = {}
    encerradas: dict[tuple[str, str, str], dt.date] = {}
    saida = []
    for pacote, ctx in pacotes:
        contexto = replace(
            ctx,
            numeros_anteriores={**numeros, **ctx.numeros_anteriores},
            contas_cadastradas=ctx.contas_cadastradas | frozenset(cadastro),
            cadastro_anterior={**cadastro, **ctx.cadastro_anterior},
            contas_encerradas={**encerradas, **ctx.contas_encerradas},
        )
        saida.append(validar_pacote_com_avisos(pacote, contexto))
        for item in pacote.itens(LANCAMENTO):
            numero, data = campo_texto(item, "numeroControle"), campo_data(item, "dataLancamento")
            if numero is not None and data is not None:
                numeros.setdefault(numero, data)
        for item in pacote.itens(CONTA_BANCARIA):
            cadastro[chave_bancaria(item)] = item
        for item in pacote.itens(ENCERRAMENTO):
            d = campo_data(item, "dataEncerramento")
            if d is not None:
                encerradas[chave_bancaria(item)] = d
    return saida


# ---------------------------------------------------------------------- prazos
class Pendencia(NamedTuple):
    entidade: str
    ano: int
    mes: int
    prazo: dt.date
    atrasado: bool
    dias: int  # de atraso (atrasado) ou até o prazo


def pendencias(
    competencias: Mapping[str, Sequence[tuple[int, int]]],
    hoje: dt.date,
    enviados: Iterable[tuple[str, int, int]] = (),
) -> list[Pendencia]:
    """Pacotes devidos: cada mês já terminado de cada entidade obrigada, não enviado.

    ``competencias``: por entidade obrigada (ver ``obrigada``), os (ano, mês) do exercício aberto.
    """
    feitos = set(enviados)
    saida = []
    for slug, meses in competencias.items():
        for ano, mes in meses:
            limite = prazo(ano, mes)
            fim_do_mes = limite.replace(day=1) - dt.timedelta(days=1)
            if hoje <= fim_do_mes or (slug, ano, mes) in feitos:
                continue
            atrasado = hoje > limite
            dias = (hoje - limite).days if atrasado else (limite - hoje).days
            saida.append(Pendencia(slug, ano, mes, limite, atrasado, dias))
    return sorted(saida, key=lambda p: (p.prazo, p.entidade))
