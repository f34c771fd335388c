"""O lote lido de uma carga de lançamentos e o que as leituras CSV
(``carga_csv``) e JSON Lines (``carga_jsonl``) partilham: datas ISO, tipos de
lançamento (e a divisão de um lançamento por tipo), sugestão do nome aceito
mais parecido e a pausa do coletor de ciclos nas cargas em massa."""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Final, NamedTuple

from erario.core.erros import Erro
from erario.razao.modelo import Lancamento, Partida, TipoLancamento

# Sufixo do número da parte de um lançamento dividido por tipo (``dividir_por_tipo``).
_SUFIXO_TIPO: Final = {"ordinario": "O", "abertura": "A", "encerramento": "E"}
TIPOS_LANCAMENTO: Final = {t.value: t for t in TipoLancamento}
_RE_DATA: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TAMANHO_BLOCO: Final = 20000  # lançamentos por bloco nas cargas em fluxo


class Lote(NamedTuple):
    """Resultado da leitura: lançamentos, a linha em que cada um começa e os erros."""

    lancamentos: list[Lancamento]
    linhas: list[int]
    erros: list[Erro]

    @property
    def partidas(self) -> int:
        return sum(len(lc.partidas) for lc in self.lancamentos)


Avanco = Callable[[int], None]


class Datas:
    """Cache de datas ISO (há poucas datas distintas num ano de lançamentos)."""

    def __init__(self) -> None:
        self._cache: dict[str, dt.date] = {}

    def __call__(self, texto: str) -> dt.date:
        d = self._cache.get(texto)
        if d is None:
            d = self._cache[texto] = data_iso(texto)
        return d


def data_iso(texto: str) -> dt.date:
    """Só ``AAAA-MM-DD`` (o ``fromisoformat`` do Python 3.11 aceita outras formas)."""
    if not _RE_DATA.fullmatch(texto):
        raise ValueError(texto)
    return dt.date.fromisoformat(texto)


@contextmanager
def sem_coleta_ciclica() -> Iterator[None]:
    """Pausa o coletor de ciclos do Python durante uma carga em massa.

    Instâncias de ``NamedTuple`` (``Partida``, ``Lancamento``) ficam sempre sob o
    coletor, e cada coleta completa percorre todas as já criadas: com 1 milhão de
    partidas, as coletas levavam cerca de 40% da leitura. As cargas não criam
    ciclos (tudo é liberado por contagem de referências). A pausa vale para o
    processo todo (o coletor é global) e a coleta volta ao sair, se estava
    ligada. Serve também de decorador.
    """
    ligado = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if ligado:
            gc.enable()


def sugestao(nome: str, aceitos: Iterable[str]) -> str:
    """`` (quis dizer 'x'?)`` com o nome aceito mais parecido, ou vazio."""
    parecidos = difflib.get_close_matches(nome, list(aceitos), n=1, cutoff=0.6)
    return f" (quis dizer '{parecidos[0]}'?)" if parecidos else ""


def tipo_de(texto: str) -> TipoLancamento | None:
    """Tipo da linha; vazio (ou coluna ausente) é ordinário."""
    return TIPOS_LANCAMENTO.get(texto.strip().lower() or TipoLancamento.ORDINARIO.value)


def dividir_por_tipo(
    lanc: Lancamento, tipos: list[TipoLancamento]
) -> tuple[list[Lancamento], Erro | None]:
    """Lançamento cujas linhas têm tipos diferentes (ordinário e encerramento, p. ex.:
    sistemas que marcam a linha, não o lançamento) vira um lançamento por tipo.

    A parte do tipo da primeira linha fica com o número; as outras recebem o
    número com o sufixo do tipo (``-O`` ordinário, ``-A`` abertura, ``-E``
    encerramento) e o histórico da sua primeira linha. Cada parte é validada
    sozinha (precisa fechar débitos e créditos). Estorno não se divide: é
    recusado (``MIG-TIPO-MISTO``), porque tem de ser o inverso de um lançamento só.
    """
    if len(set(tipos)) == 1:
        return [lanc._replace(tipo=tipos[0])], None
    if lanc.estorno:
        return [], Erro(
            "MIG-TIPO-MISTO",
            f"o estorno {lanc.numero} tem linhas de tipos diferentes "
            f"({', '.join(dict.fromkeys(tipos))}): um estorno é o inverso de um só lançamento",
            "tipo",
        )
    grupos: dict[TipoLancamento, list[Partida]] = {}
    for p, tipo in zip(lanc.partidas, tipos, strict=True):
        grupos.setdefault(tipo, []).append(p)
    geral = lanc.historico.strip()
    saida = []
    for k, (tipo, partidas) in enumerate(grupos.items()):
        historico = geral if k == 0 else (partidas[0].historico or geral)
        saida.append(
            lanc._replace(
                numero=lanc.numero if k == 0 else f"{lanc.numero}-{_SUFIXO_TIPO[tipo]}",
                tipo=tipo,
                historico=historico,
                partidas=tuple(
                    p._replace(
                        historico=""
                        if (p.historico or geral) == historico
                        else p.historico or geral
                    )
                    for p in partidas
                ),
            )
        )
    return saida, None
