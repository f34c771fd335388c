"""Do evento ao lançamento: confere os saldos, aplica o roteiro e só então muda
o controle. Tudo ou nada: com erro, nada muda e todos os erros voltam."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from erario.core.erros import Erro
from erario.execucao import contrapartidas
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import (
    SEM_LANCAMENTO,
    Evento,
    TransferenciaFinanceira,
)
from erario.execucao.roteiros import CacheContas, Roteiro, contabilizar, contabilizar_compacto
from erario.razao.estorno import estornar
from erario.razao.modelo import Conta, Lancamento, LancamentoCompacto, PlanoContas


def executar(
    controle: ControleOrcamentario,
    evento: Evento,
    roteiros: Mapping[str, Roteiro],
    plano: PlanoContas,
    cache: dict[str, Conta | None] | None = None,
    numero: str | None = None,
    *,
    compacto: bool = False,
) -> tuple[Lancamento | LancamentoCompacto | None, list[Erro]]:
    """Lançamento do evento (com ``origem = evento:<id>``) ou os erros; só muda o
    controle quando não há erro. ``cache`` e ``numero``: ver ``roteiros.contabilizar``.
    Evento sem lançamento (``SEM_LANCAMENTO``): ``(None, [])`` quando aceito.
    ``compacto`` (com ``CacheContas`` e ``numero``): no caso comum, o lançamento na
    forma de ``roteiros.contabilizar_compacto``, o mesmo de ``lancamento()``."""
    atributos, erros = controle.conferir(evento)
    # Contas do evento da classe errada (EXEC-CONTRAPARTIDA): recusa antes do
    # roteiro, com os erros do controle, e o controle não muda.
    erros_contas = contrapartidas.conferir(evento, controle.empenhos)
    if atributos is None or erros_contas:
        return None, erros + erros_contas
    if evento.tipo in SEM_LANCAMENTO:  # documento sem lançamento: só o controle muda
        controle.aplicar(evento)
        return None, []
    # O controle escolhe o roteiro quando ele depende da situação (p. ex. o
    # pagamento de restos a pagar); senão é o do tipo do evento.
    tipo = atributos.pop("roteiro", evento.tipo.value)
    roteiro = roteiros.get(tipo)
    if roteiro is None:
        return None, [Erro("ROTEIRO-AUSENTE", f"não há roteiro para o evento {tipo}")]
    if compacto and isinstance(cache, CacheContas) and numero is not None:
        gerado = contabilizar_compacto(
            roteiro, plano, evento.entidade, evento.data, evento.valor, atributos, cache, numero
        )
        if gerado is not None:
            controle.aplicar(evento)
            return gerado, []
    lanc, erros = contabilizar(
        roteiro, plano, evento.entidade, evento.data, evento.valor, atributos, cache, numero
    )
    if lanc is None:
        return None, erros
    controle.aplicar(evento)
    return lanc, []


def estornar_evento(
    controle: ControleOrcamentario,
    entidade: str,
    id_evento: str,
    original: Lancamento | None,
    data: dt.date,
) -> tuple[Lancamento | None, list[Erro]]:
    """Estorno do evento: o lançamento inverso do ``original`` (o que o evento
    gerou, já registrado) e os saldos do controle desfeitos. Evento sem
    lançamento (``SEM_LANCAMENTO``, ``original`` nulo): só o controle, e
    ``(None, [])`` quando aceito."""
    alvo = controle.eventos.get((entidade, id_evento))
    sem_lancamento = alvo is not None and alvo.tipo in SEM_LANCAMENTO
    if original is None and not sem_lancamento:
        return None, [Erro("EXEC-ESTORNO", f"evento {id_evento} não existe", "evento")]
    evento, erros = controle.conferir_estorno(entidade, id_evento)
    if evento is None:
        return None, erros
    if original is None:
        controle.aplicar(evento, sinal=-1)
        return None, []
    if original.origem != f"evento:{id_evento}":
        return None, [
            Erro("EXEC-ESTORNO", f"o lançamento {original.numero} não é do evento {id_evento}")
        ]
    inverso, erros = estornar(original, data, f"Estorno do evento {id_evento}")
    if inverso is None:
        return None, erros
    controle.aplicar(evento, sinal=-1)
    return inverso, []


def executar_transferencia(
    controle: ControleOrcamentario,
    evento: TransferenciaFinanceira,
    roteiros: Mapping[str, Roteiro],
    plano: PlanoContas,
    plano_destino: PlanoContas,
) -> tuple[list[Lancamento], list[Erro]]:
    """Transferência financeira: o lançamento da concedente e o da recebedora
    (``pares_destino`` do roteiro, com o domicílio bancário de destino)."""
    atributos, erros = controle.conferir(evento)
    if atributos is None:
        return [], erros
    roteiro = roteiros.get(evento.tipo.value)
    if roteiro is None:
        return [], [Erro("ROTEIRO-AUSENTE", f"não há roteiro para o evento {evento.tipo}")]
    origem, erros = contabilizar(
        roteiro, plano, evento.entidade, evento.data, evento.valor, atributos
    )
    destino, erros_d = contabilizar(
        roteiro._replace(pares=roteiro.pares_destino),
        plano_destino,
        evento.entidade_destino,
        evento.data,
        evento.valor,
        {**atributos, "DB": atributos["DB_destino"]},
    )
    erros += erros_d
    if origem is None or destino is None:
        return [], erros
    controle.aplicar(evento)
    return [origem, destino], []
