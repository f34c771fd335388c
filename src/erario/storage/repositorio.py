"""Repositório: as operações do razão sobre o banco, cada uma numa transação.

Fachada: monta a ``Sessao`` (motor, entidades, cache dos planos, transações,
auditoria) e uma parte por agregado, e delega a elas com os mesmos nomes e
assinaturas — planos (``storage.planos``), entidades e competências
(``storage.entidades``), lançamentos (``storage.lancamentos``), saldos do razão
(``storage.saldos_razao``), eventos e o controle da execução
(``storage.eventos``), consultas da execução (``storage.consultas_execucao``),
cadastros (``storage.cadastros``) e retenções (``storage.retencoes``).

As regras ficam no domínio; aqui só se carrega o que elas pedem, grava o que elas
devolvem e mantém os saldos na mesma transação de cada lançamento. Operação
recusada levanta ``OperacaoRecusada`` e não deixa nada.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine

from erario.core.erros import Erro
from erario.storage.sessao import Sessao

if TYPE_CHECKING:
    from erario.storage.cadastros import Cadastros, ResumoCadastros
    from erario.storage.consultas_execucao import ConsultasExecucao
    from erario.storage.entidades import Entidades
    from erario.storage.eventos import Eventos, ResumoEventos
    from erario.storage.lancamentos import Lancamentos
    from erario.storage.planos import Planos, ResumoPlano
    from erario.storage.retencoes import Retencoes
    from erario.storage.saldos_razao import SaldosRazao
else:
    # Cada agregado só é importado quando usado: o balancete da CLI não carrega o
    # registro de eventos, as retenções e os cadastros (~80 ms de partida).
    class _Tardio:
        """A classe ``nome`` de ``modulo``, importada no primeiro uso; o atributo
        de um método dá uma função que chama o método da classe real."""

        def __init__(self, modulo: str, nome: str) -> None:
            self.modulo, self.nome = modulo, nome

        def real(self) -> Any:
            return getattr(importlib.import_module(self.modulo), self.nome)

        def __call__(self, *args: Any) -> Any:
            return self.real()(*args)

        def __getattr__(self, metodo: str) -> Any:
            def chamar(obj: Any, *args: Any, **kwargs: Any) -> Any:
                return getattr(self.real(), metodo)(obj, *args, **kwargs)

            chamar.__name__ = chamar.__qualname__ = metodo
            return chamar

    Cadastros = _Tardio("erario.storage.cadastros", "Cadastros")
    ConsultasExecucao = _Tardio("erario.storage.consultas_execucao", "ConsultasExecucao")
    Entidades = _Tardio("erario.storage.entidades", "Entidades")
    Eventos = _Tardio("erario.storage.eventos", "Eventos")
    Lancamentos = _Tardio("erario.storage.lancamentos", "Lancamentos")
    Planos = _Tardio("erario.storage.planos", "Planos")
    Retencoes = _Tardio("erario.storage.retencoes", "Retencoes")
    SaldosRazao = _Tardio("erario.storage.saldos_razao", "SaldosRazao")

    _RESUMOS = {
        "ResumoCadastros": "erario.storage.cadastros",
        "ResumoEventos": "erario.storage.eventos",
        "ResumoPlano": "erario.storage.planos",
    }

    def __getattr__(nome: str) -> Any:  # os resumos reexportados, sob demanda
        if nome not in _RESUMOS:  # (nem __path__, que o import pergunta)
            raise AttributeError(nome)
        return getattr(importlib.import_module(_RESUMOS[nome]), nome)


__all__ = ["Repositorio", "ResumoCadastros", "ResumoEventos", "ResumoPlano"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_A = TypeVar("_A")


def _delega(
    parte: str, metodo: Callable[Concatenate[_A, _P], _R]
) -> Callable[Concatenate[Repositorio, _P], _R]:
    """O método do agregado como método do ``Repositorio`` (mesma assinatura e
    documentação), chamado na parte ``parte`` do repositório."""

    def delegado(self: Repositorio, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        return metodo(getattr(self, parte), *args, **kwargs)

    functools.update_wrapper(delegado, metodo)
    return delegado


class Repositorio:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessao = Sessao(engine)

    # As partes (agregados), montadas no primeiro uso (ver _Tardio).
    @functools.cached_property
    def _planos(self) -> Planos:
        return Planos(self.sessao)

    @functools.cached_property
    def _entidades(self) -> Entidades:
        return Entidades(self.sessao)

    @functools.cached_property
    def _lancamentos(self) -> Lancamentos:
        return Lancamentos(self.sessao)

    @functools.cached_property
    def _saldos(self) -> SaldosRazao:
        return SaldosRazao(self.sessao)

    @functools.cached_property
    def _eventos(self) -> Eventos:
        return Eventos(self.sessao)

    @functools.cached_property
    def _cadastros(self) -> Cadastros:
        return Cadastros(self.sessao)

    @functools.cached_property
    def _retencoes(self) -> Retencoes:
        return Retencoes(self.sessao)

    @functools.cached_property
    def _consultas(self) -> ConsultasExecucao:
        return ConsultasExecucao(self.sessao)

    @property
    def postgres(self) -> bool:
        return self.sessao.postgres

    def transacao_unica(self) -> AbstractContextManager[None]:
        """Várias cargas numa só transação (``Sessao.transacao_unica``)."""
        return self.sessao.transacao_unica()

    # planos
    gravar_plano = _delega("_planos", Planos.gravar_plano)
    planos = _delega("_planos", Planos.planos)
    plano = _delega("_planos", Planos.plano)

    # entidades, exercícios e competências
    criar_entidade = _delega("_entidades", Entidades.criar_entidade)
    entidades = _delega("_entidades", Entidades.entidades)
    entidade = _delega("_entidades", Entidades.entidade)
    abrir_exercicio = _delega("_entidades", Entidades.abrir_exercicio)
    competencias = _delega("_entidades", Entidades.competencias)
    fechar_competencia = _delega("_entidades", Entidades.fechar_competencia)
    reabrir_competencia = _delega("_entidades", Entidades.reabrir_competencia)
    auditoria = _delega("_entidades", Entidades.auditoria)

    # lançamentos
    lancar = _delega("_lancamentos", Lancamentos.lancar)
    validar_lote = _delega("_lancamentos", Lancamentos.validar_lote)
    lancar_lote = _delega("_lancamentos", Lancamentos.lancar_lote)
    importar = _delega("_lancamentos", Lancamentos.importar)
    importar_csv = _delega("_lancamentos", Lancamentos.importar_csv)
    estornar = _delega("_lancamentos", Lancamentos.estornar)
    lancamento = _delega("_lancamentos", Lancamentos.lancamento)
    lancamentos = _delega("_lancamentos", Lancamentos.lancamentos)
    numeros_antes = _delega("_lancamentos", Lancamentos.numeros_antes)
    lancamentos_com_partida = _delega("_lancamentos", Lancamentos.lancamentos_com_partida)

    # saldos do razão
    balancete = _delega("_saldos", SaldosRazao.balancete)
    razao_conta = _delega("_saldos", SaldosRazao.razao_conta)
    razao_conta_pagina = _delega("_saldos", SaldosRazao.razao_conta_pagina)
    primeiros_movimentos = _delega("_saldos", SaldosRazao.primeiros_movimentos)
    saldos_execucao = _delega("_saldos", SaldosRazao.saldos_execucao)
    exercicios_com_lancamentos = _delega("_saldos", SaldosRazao.exercicios_com_lancamentos)

    # eventos e o controle da execução
    registrar_eventos = _delega("_eventos", Eventos.registrar_eventos)
    desfazer_encerramento = _delega("_eventos", Eventos.desfazer_encerramento)
    codigos_de_evento = _delega("_eventos", Eventos.codigos_de_evento)

    # consultas da execução (das tabelas do controle, só o que cada uma mostra)
    controle = _delega("_consultas", ConsultasExecucao.controle)
    controle_sob_demanda = _delega("_consultas", ConsultasExecucao.controle_sob_demanda)
    execucao_despesa = _delega("_consultas", ConsultasExecucao.execucao_despesa)
    execucao_receita = _delega("_consultas", ConsultasExecucao.execucao_receita)
    restos_a_pagar = _delega("_consultas", ConsultasExecucao.restos_a_pagar)
    extrato_empenho = _delega("_consultas", ConsultasExecucao.extrato_empenho)

    # cadastros
    registrar_cadastros = _delega("_cadastros", Cadastros.registrar_cadastros)
    credores = _delega("_cadastros", Cadastros.credores)
    contas_bancarias = _delega("_cadastros", Cadastros.contas_bancarias)
    classificacoes = _delega("_cadastros", Cadastros.classificacoes)

    # retenções
    registrar_retencoes = _delega("_retencoes", Retencoes.registrar_retencoes)
    cadastro_retencoes = _delega("_retencoes", Retencoes.cadastro_retencoes)

    def verificar(self) -> list[Erro]:
        """Confere o banco inteiro contra o razão e os eventos (``storage.verificacao``)."""
        from erario.storage.verificacao import verificar

        return verificar(self)
