"""A dotação dos eventos que a criam, conferida contra os cadastros de
classificação da entidade (órgão, unidade, programa, ação, fonte)."""

from __future__ import annotations

from collections.abc import Callable

from erario.core.erros import Erro
from erario.execucao.eventos import CreditoAdicional, DotacaoInicial, ModalidadeCredito
from erario.orcamento.cadastros import Classificacoes, verificar_dotacao
from erario.orcamento.classificacao import ler_dotacao


class ConferenciaClassificacoes:
    """Confere a dotação de ``dotacao_inicial`` e de crédito especial ou
    extraordinário (que criam a dotação) contra os cadastros de classificação da
    entidade. ``carregar`` dá os cadastros de todas as entidades: chamado uma vez,
    na primeira dotação conferida; cada dotação é conferida uma vez; entidade sem
    cadastros não é conferida."""

    def __init__(self, carregar: Callable[[], dict[str, Classificacoes]]) -> None:
        self._carregar = carregar
        self._cadastros: dict[str, Classificacoes] | None = None
        self._feitas: dict[tuple[str, str, str], list[Erro]] = {}

    def erros(self, ev: DotacaoInicial | CreditoAdicional) -> list[Erro]:
        if isinstance(ev, CreditoAdicional) and ev.modalidade == ModalidadeCredito.SUPLEMENTAR:
            return []  # reforça dotação que já existe
        chave = (ev.entidade, ev.dotacao, ev.fonte.texto_cc)
        feita = self._feitas.get(chave)
        if feita is not None:
            return feita
        if self._cadastros is None:
            self._cadastros = self._carregar()
        cad = self._cadastros.get(ev.entidade)
        dotacao, _ = ler_dotacao(ev.dotacao)
        erros = (
            verificar_dotacao(dotacao, cad, ev.fonte)
            if cad is not None and not cad.vazia and dotacao is not None
            else []
        )
        self._feitas[chave] = erros
        return erros
