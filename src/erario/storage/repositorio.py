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
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine

from erario.core.erros import Erro
from erario.storage.cadastros import Cadastros, ResumoCadastros
from erario.storage.consultas_execucao import ConsultasExecucao
from erario.storage.entidades import Entidades
from erario.storage.eventos import Eventos, ResumoEventos
from erario.storage.lancamentos import Lancamentos
from erario.storage.planos import Planos, ResumoPlano
from erario.storage.retencoes import Retencoes
from erario.storage.saldos_razao import SaldosRazao
from erario.storage.sessao import Sessao

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
        self._planos = Planos(self.sessao)
        self._entidades = Entidades(self.sessao)
        self._lancamentos = Lancamentos(self.sessao)
        self._saldos = SaldosRazao(self.sessao)
        self._eventos = Eventos(self.sessao)
        self._cadastros = Cadastros(self.sessao)
        self._retencoes = Retencoes(self.sessao)
        self._consultas = ConsultasExecucao(self.sessao)

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

    # saldos do razão
    balancete = _delega("_saldos", SaldosRazao.balancete)
    razao_conta = _delega("_saldos", SaldosRazao.razao_conta)
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
