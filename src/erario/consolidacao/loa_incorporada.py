"""Eventos da LOA das entidades incorporadas (migração 0010).

A Prefeitura elabora a LOA da Câmara, do RPPS… e a exporta pelo servidor; a
escrituração é da instalação de cada uma. Aqui os eventos passam pelas mesmas
conferências (classificações e roteiro contábil, num controle à parte, refeito
dos já gravados) e são aceitos sem lançamento; o estorno de um deles também
(corrige a LOA antes de exportar). Qualquer outro evento de entidade
incorporada é recusado (CON-INCORPORADA). O armazenamento lê os já gravados e
grava os aceitos (``orcamento_incorporado``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from erario.consolidacao.orcamento import TIPOS_LOA
from erario.core.erros import Erro
from erario.execucao.carga import EstornoEvento
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import DotacaoInicial, EncerramentoExercicio
from erario.execucao.motor import executar
from erario.execucao.registro import NUMERO_EVENTO, ItemEvento
from erario.execucao.roteiros import CacheContas, Roteiro
from erario.razao.modelo import PlanoContas


class LoaIncorporada:
    """O controle à parte da LOA das incorporadas, refeito dos eventos já
    gravados (entidade, evento), e os eventos aceitos nesta carga."""

    def __init__(self, gravados: Iterable[tuple[str, ItemEvento]] = ()) -> None:
        self.controle = ControleOrcamentario()
        self.usados: dict[str, set[str]] = {}
        self.aceitos: list[Any] = []
        for slug, ev in gravados:
            if isinstance(ev, EstornoEvento):
                estornado = self.controle.eventos[(slug, ev.evento)]
                if not isinstance(estornado, EncerramentoExercicio):  # aqui, só LOA
                    self.controle.aplicar(estornado, sinal=-1)
            elif not isinstance(ev, EncerramentoExercicio):
                self.controle.aplicar(ev)
            self.usados.setdefault(slug, set()).add(ev.id)

    def conferir(
        self,
        ev: Any,
        erros_de_classificacao: Callable[[DotacaoInicial], list[Erro]],
        roteiros: Mapping[str, Roteiro],
        plano: PlanoContas,
        cache: CacheContas,
    ) -> list[Erro]:
        """Erros do evento; sem erros, ele fica aceito (``aceitos``)."""
        estorno = isinstance(ev, EstornoEvento)
        tipo = str(ev.tipo)  # TipoEvento é StrEnum; o do estorno, texto
        if tipo not in TIPOS_LOA and not estorno:
            return [
                Erro(
                    "CON-INCORPORADA",
                    f"{ev.entidade} é entidade incorporada: aqui entram só os eventos da LOA que "
                    "a Prefeitura elabora (previsão da receita e da dedução, dotação inicial) e "
                    f"o estorno deles; {tipo} é escriturado na instalação de "
                    f"{ev.entidade}",
                    "tipo",
                )
            ]
        if ev.id in self.usados.get(ev.entidade, ()):
            return [Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id")]
        if estorno:
            alvo, erros = self.controle.conferir_estorno(ev.entidade, ev.evento)
            if alvo is None:
                return erros
            self.controle.aplicar(alvo, sinal=-1)
        else:
            if isinstance(ev, DotacaoInicial):
                erros = erros_de_classificacao(ev)
                if erros:
                    return erros
            _, erros = executar(
                self.controle, ev, roteiros, plano, cache, NUMERO_EVENTO + ev.id, compacto=True
            )
            if erros:
                return list(erros)
        self.usados.setdefault(ev.entidade, set()).add(ev.id)
        self.aceitos.append(ev)
        return []
