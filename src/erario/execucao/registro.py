"""Registro de eventos: a passada pura que decide, evento a evento, os lançamentos
ou os erros (issue 19).

``registrar(controle, itens, ctx)`` percorre os eventos já lidos (e com as
retenções expandidas, ``retencoes.apropriacao.com_retencoes``) e devolve, para
cada um, um ``Registro``: os lançamentos a gravar (o principal e os extras — a
entidade recebedora da transferência, os passos do encerramento) ou todos os
erros, com linha e origem. O controle é atualizado aqui (``executar``,
``estornar_evento``, ``encerrar``…); o que vem do banco — plano, contas
bancárias, lançamentos anteriores, saldos até uma data — vem de ``ctx``.
Nada aqui acessa banco: o armazenamento só agrupa em blocos e grava.

Preguiçoso: o registro do evento seguinte só é feito depois que quem consome o
anterior o tratou (marcou o id como usado, guardou o lançamento do lote): o
estorno de um evento da mesma carga acha o seu lançamento.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, Protocol

from erario.core.erros import Erro
from erario.execucao.cadastros import ContaBancaria, com_conta_bancaria, com_contas_da_transferencia
from erario.execucao.carga import EstornoEvento
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.encerramento import desfazer_encerramento as estornos_do_encerramento
from erario.execucao.encerramento import encerrar_exercicio
from erario.execucao.eventos import (
    Arrecadacao,
    CreditoAdicional,
    DeducaoReceita,
    DotacaoInicial,
    EncerramentoExercicio,
    Evento,
    IngressoExtra,
    Pagamento,
    PagamentoExtra,
    TransferenciaFinanceira,
)
from erario.execucao.motor import estornar_evento, executar, executar_transferencia
from erario.execucao.roteiros import CacheContas, Roteiro
from erario.razao.estorno import estornar
from erario.razao.modelo import Lancamento, LancamentoCompacto, PlanoContas

NUMERO_EVENTO = "EV"  # número de controle do lançamento de um evento: EV<id do evento>

ItemEvento = Evento | EstornoEvento | EncerramentoExercicio


class Registro(NamedTuple):
    """O resultado de um evento: aceito (``erros`` vazio; ``lancamentos`` vazio no
    documento sem lançamento) ou recusado (todos os erros, com linha e origem)."""

    linha: int | None
    evento: ItemEvento
    lancamentos: list[Lancamento | LancamentoCompacto]
    erros: list[Erro]
    gerado: bool = False  # o principal saiu de um roteiro sem a forma compacta
    incorporado: bool = False  # entidade incorporada: só a LOA, nada a gravar aqui


class Contexto(Protocol):
    """As consultas do registro (o armazenamento responde, com o lote em curso)."""

    roteiros: dict[Any, Roteiro]
    contas_bancarias: Sequence[ContaBancaria]
    desfazendo: tuple[str, int, str] | None

    def existe(self, entidade: str) -> bool: ...
    def incorporada(self, entidade: str) -> bool: ...
    def conferir_incorporada(self, ev: ItemEvento) -> list[Erro]: ...
    def usado(self, entidade: str, codigo: str) -> bool: ...
    def plano(self, entidade: str) -> PlanoContas: ...
    def cache(self, entidade: str) -> CacheContas: ...
    def erros_de_classificacao(self, ev: Evento) -> list[Erro]: ...
    def saldos_do_exercicio(self, entidade: str, data: dt.date) -> dict[tuple[str, str], int]: ...
    def lancamento(self, entidade: str, id_evento: str) -> Lancamento | None: ...
    def lancamento_destino(
        self, entidade: str, id_evento: str, destino: str
    ) -> Lancamento | None: ...
    def lancamentos_do_evento(self, entidade: str, id_evento: str) -> list[Lancamento]: ...
    def outros_no_seguinte(self, entidade: str, ano: int, id_evento: str) -> Any: ...


# Eventos que citam uma conta bancária do cadastro (completada de ``ctx``).
_COM_CONTA = (Pagamento, Arrecadacao, IngressoExtra, PagamentoExtra, DeducaoReceita)
_CLASSIFICADOS = (DotacaoInicial, CreditoAdicional)  # conferidos diante dos cadastros


def _recusa(linha: int | None, ev: ItemEvento, erros: list[Erro], origem: str | None) -> Registro:
    """O evento com os erros (vazio: aceito sem lançamento), com linha e origem."""
    return Registro(linha, ev, [], [e.em(linha=linha, origem=origem) for e in erros])


def registrar(
    controle: ControleOrcamentario,
    itens: Iterable[tuple[int | None, ItemEvento]],
    ctx: Contexto,
    origem: str | None = None,
) -> Iterator[Registro]:
    """Um ``Registro`` por evento, em ordem, com o controle já atualizado pelos aceitos."""
    for linha, ev in itens:
        yield registrar_um(controle, linha, ev, ctx, origem)


def registrar_um(
    controle: ControleOrcamentario,
    linha: int | None,
    ev: ItemEvento,
    ctx: Contexto,
    origem: str | None = None,
) -> Registro:
    """O registro de um evento: a regra do tipo (travas, roteiro contábil), o
    estorno, a transferência entre entidades ou o encerramento do exercício."""
    if not ctx.existe(ev.entidade):
        erro = Erro("LANC-ENTIDADE", f"entidade {ev.entidade} não existe", "entidade")
        return _recusa(linha, ev, [erro], origem)
    if ctx.incorporada(ev.entidade):
        erros_i = ctx.conferir_incorporada(ev)
        return _recusa(linha, ev, erros_i, origem)._replace(incorporado=not erros_i)
    # O encerramento confere o próprio id (conferir_encerramento), junto com
    # "exercício já encerrado", que é o que explica a repetição.
    if ctx.usado(ev.entidade, ev.id) and not isinstance(ev, EncerramentoExercicio):
        erro = Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id")
        return _recusa(linha, ev, [erro], origem)
    desfazendo = ctx.desfazendo
    extras: list[Lancamento] = []  # na entidade de destino (transferência), passos
    gerado = False  # lançamento saído de executar (roteiro contábil)
    lanc: Lancamento | LancamentoCompacto | None
    if isinstance(ev, EncerramentoExercicio):
        lancs_e, erros_ev = encerrar_exercicio(
            controle,
            ev,
            ctx.saldos_do_exercicio(ev.entidade, ev.data),
            ctx.plano(ev.entidade),
            ctx.roteiros,
            NUMERO_EVENTO + ev.id,
        )
        lanc = lancs_e[0] if lancs_e else None
        extras = lancs_e[1:]
        if lanc is not None:
            controle.encerrar(ev)
    elif isinstance(ev, EstornoEvento) and isinstance(
        controle.eventos.get((ev.entidade, ev.evento)), EncerramentoExercicio
    ):
        if desfazendo is None or desfazendo[:2] != (ev.entidade, ev.data.year):
            _, erros_ev = controle.conferir_estorno(ev.entidade, ev.evento)
            lanc = None
        else:
            lancs_d, erros_ev = estornos_do_encerramento(
                controle,
                ev.entidade,
                ev.evento,
                ev.data,
                ctx.lancamentos_do_evento(ev.entidade, ev.evento),
                NUMERO_EVENTO + ev.id,
                ctx.outros_no_seguinte(ev.entidade, ev.data.year, ev.evento),
            )
            lanc = lancs_d[0] if lancs_d else None
            extras = lancs_d[1:]
    elif isinstance(ev, EstornoEvento):
        lanc, erros_ev = estornar_evento(
            controle, ev.entidade, ev.evento, ctx.lancamento(ev.entidade, ev.evento), ev.data
        )
        estornado = controle.eventos.get((ev.entidade, ev.evento))
        if (
            lanc is not None
            and isinstance(estornado, TransferenciaFinanceira)
            and not ctx.incorporada(estornado.entidade_destino)
        ):
            # A transferência também se desfaz na entidade recebedora.
            original_d = ctx.lancamento_destino(ev.entidade, ev.evento, estornado.entidade_destino)
            if original_d is None:
                erro_d = Erro("EXEC-ESTORNO", f"evento {ev.evento} sem o lançamento de destino")
                lanc, erros_ev = None, [erro_d]
            else:
                inverso_d, erros_d = estornar(original_d, ev.data, f"Estorno do evento {ev.evento}")
                if inverso_d is None:
                    lanc, erros_ev = None, erros_d
                else:
                    extras.append(inverso_d)
    elif isinstance(ev, TransferenciaFinanceira):
        ev, erros_ev = com_contas_da_transferencia(ev, ctx.contas_bancarias)
        existe_d = ctx.existe(ev.entidade_destino)
        if not existe_d:
            erros_ev.append(
                Erro(
                    "LANC-ENTIDADE",
                    f"entidade {ev.entidade_destino} não existe",
                    "entidade_destino",
                )
            )
        lanc = None
        if not erros_ev and existe_d:
            lancs_t, erros_ev = executar_transferencia(
                controle,
                ev,
                ctx.roteiros,
                ctx.plano(ev.entidade),
                ctx.plano(ev.entidade_destino),
            )
            if lancs_t:
                lanc, extras = lancs_t[0], lancs_t[1:]
                if ctx.incorporada(ev.entidade_destino):
                    # A recebedora escritura o recebimento na sua instalação.
                    extras = []
    else:
        if isinstance(ev, _CLASSIFICADOS):
            erros_cl = ctx.erros_de_classificacao(ev)
            if erros_cl:
                return _recusa(linha, ev, erros_cl, origem)
        if isinstance(ev, _COM_CONTA) and ev.conta_bancaria:
            ev, erro_cb = com_conta_bancaria(ev, ctx.contas_bancarias)
            if erro_cb is not None:
                return _recusa(linha, ev, [erro_cb], origem)
        lanc, erros_ev = executar(
            controle,
            ev,  # type: ignore[arg-type]  # estornos e encerramento ficaram nos ramos acima
            ctx.roteiros,
            ctx.plano(ev.entidade),
            ctx.cache(ev.entidade),
            NUMERO_EVENTO + ev.id,
            compacto=True,
        )
        gerado = not isinstance(lanc, LancamentoCompacto)
    if lanc is None:
        # Sem erro: aceito, sem lançamento (documento extraorçamentário).
        return _recusa(linha, ev, erros_ev, origem)
    numero_ev = NUMERO_EVENTO + ev.id
    # O encerramento numera os seus pelo passo (execucao.encerramento).
    if (
        lanc.numero != numero_ev
        and not isinstance(ev, EncerramentoExercicio)
        and not (desfazendo and isinstance(ev, EstornoEvento))
    ):
        lanc = lanc._replace(numero=numero_ev)
    return Registro(
        linha,
        ev,
        [lanc, *(extra._replace(numero=extra.numero or numero_ev) for extra in extras)],
        [],
        gerado=gerado,
    )
