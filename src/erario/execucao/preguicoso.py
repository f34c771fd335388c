"""Mapa e conjunto que trazem da fonte (o banco, pelo adaptador) só a chave que se
pede: o controle da execução de um banco com um milhão de eventos confere um
empenho lendo a dotação e a reserva dele, não o exercício inteiro.

As chaves começam pela entidade; ``completas`` (compartilhado entre os mapas do
mesmo controle) diz de quais entidades tudo já foi trazido: dessas, a falta de
uma chave é resposta, não pergunta. Uma chave que a fonte não tem é lembrada
(``_ausentes``): pergunta-se uma vez. Nada aqui acessa banco: a fonte é uma
função."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

K = TypeVar("K", bound=tuple[Any, ...])
V = TypeVar("V")

_NADA: Any = object()


class Perguntas:
    """Contador das perguntas à fonte (o adaptador traz tudo de uma vez quando
    elas passam de um limite: carga em massa)."""

    __slots__ = ("ao_passar", "feitas", "limite")

    def __init__(self, limite: int, ao_passar: Callable[[], None]) -> None:
        self.feitas = 0
        self.limite = limite
        self.ao_passar = ao_passar

    def contar(self) -> None:
        self.feitas += 1
        if self.feitas == self.limite:
            self.ao_passar()


class MapaPreguicoso(dict[K, V]):
    """``dict`` que, na falta de uma chave, a pede a ``buscar`` (None: não existe)."""

    __slots__ = ("_ausentes", "_buscar", "_completas", "_perguntas")

    def __init__(
        self,
        buscar: Callable[[K], V | None],
        completas: set[str],
        perguntas: Perguntas | None = None,
    ) -> None:
        super().__init__()
        self._buscar = buscar
        self._ausentes: set[Hashable] = set()
        self._completas = completas
        self._perguntas = perguntas

    def _trazer(self, chave: K) -> Any:
        if chave[0] in self._completas or chave in self._ausentes:
            return _NADA
        if self._perguntas is not None:
            self._perguntas.contar()
            if dict.__contains__(self, chave):  # a contagem trouxe tudo
                return dict.__getitem__(self, chave)
            if chave[0] in self._completas:
                return _NADA
        valor = self._buscar(chave)
        if valor is None:
            self._ausentes.add(chave)
            return _NADA
        dict.__setitem__(self, chave, valor)
        return valor

    def __missing__(self, chave: K) -> V:
        valor = self._trazer(chave)
        if valor is _NADA:
            raise KeyError(chave)
        return valor  # type: ignore[no-any-return]

    def get(self, chave: K, padrao: Any = None) -> Any:
        if dict.__contains__(self, chave):
            return dict.__getitem__(self, chave)
        valor = self._trazer(chave)
        return padrao if valor is _NADA else valor

    def __contains__(self, chave: object) -> bool:
        return dict.__contains__(self, chave) or self._trazer(chave) is not _NADA  # type: ignore[arg-type]

    def setdefault(self, chave: K, padrao: V) -> V:
        valor = self.get(chave, _NADA)
        if valor is _NADA:
            dict.__setitem__(self, chave, padrao)
            return padrao
        return valor  # type: ignore[no-any-return]

    def pop(self, chave: K, *padrao: Any) -> Any:
        self.get(chave)
        self._ausentes.add(chave)
        return dict.pop(self, chave, *padrao)

    def __delitem__(self, chave: K) -> None:
        self.pop(chave)

    def clear(self) -> None:
        """Esvazia também a memória das chaves que não existem."""
        dict.clear(self)
        self._ausentes.clear()

    def juntar(self, chave: K, valor: V) -> bool:
        """Põe o que veio da fonte, se a chave ainda não está (a da memória vale)."""
        if dict.__contains__(self, chave) or chave in self._ausentes:
            return False
        dict.__setitem__(self, chave, valor)
        return True


class ConjuntoPreguicoso(set[K]):
    """``set`` que, na falta de um elemento, pergunta a ``existe``."""

    __slots__ = ("_ausentes", "_completas", "_existe", "_perguntas")

    def __init__(
        self,
        existe: Callable[[K], bool],
        completas: set[str],
        perguntas: Perguntas | None = None,
    ) -> None:
        super().__init__()
        self._existe = existe
        self._ausentes: set[Hashable] = set()
        self._completas = completas
        self._perguntas = perguntas

    def __contains__(self, chave: object) -> bool:
        if set.__contains__(self, chave):
            return True
        k: Any = chave
        if k[0] in self._completas or k in self._ausentes:
            return False
        if self._perguntas is not None:
            self._perguntas.contar()
            if set.__contains__(self, chave):
                return True
            if k[0] in self._completas:
                return False
        if self._existe(k):
            set.add(self, k)
            return True
        self._ausentes.add(k)
        return False

    def discard(self, chave: object) -> None:
        self._ausentes.add(chave)
        set.discard(self, chave)

    def clear(self) -> None:
        """Esvazia também a memória dos elementos que não existem."""
        set.clear(self)
        self._ausentes.clear()
