"""Estorno: o razão é somente inclusão; corrige-se com o lançamento inverso.

O estorno repete cada partida do original com a natureza trocada (D↔C), na
mesma conta, valor e conta corrente, de modo que todo saldo volta ao que era
(MCASP, Parte IV — a escrituração não se apaga; NBC T 16.5, item 12).

As mesmas regras valem para ``erario lancamento estornar`` (``estornar`` monta o
inverso) e para o estorno que chega pronto num arquivo de carga
(``conferir_estorno`` confere que ele é o inverso exato): não há estorno
aceito por um caminho e recusado pelo outro.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.modelo import Lancamento, Partida, TipoLancamento

_INVERSO = {"D": "C", "C": "D"}


class Assinatura(NamedTuple):
    """O que a conferência de um estorno precisa do original, sem as partidas
    (guardada na memória pela carga que só valida, para originais do mesmo arquivo)."""

    numero: str | None
    data: dt.date
    tipo: TipoLancamento
    livro: str
    estorno: bool
    partidas: int  # hash do multiconjunto das partidas (conta, conta corrente, D/C, valor)


def _multiconjunto(
    partidas: tuple[Partida, ...], inverter: bool
) -> Counter[tuple[str, str, str, int]]:
    if inverter:
        return Counter((p.conta, p.conta_corrente, _INVERSO[p.dc], p.centavos) for p in partidas)
    return Counter((p.conta, p.conta_corrente, p.dc, p.centavos) for p in partidas)


def assinatura(lanc: Lancamento) -> Assinatura:
    return Assinatura(
        lanc.numero,
        lanc.data,
        lanc.tipo,
        lanc.livro,
        lanc.estorno,
        hash(frozenset(_multiconjunto(lanc.partidas, inverter=False).items())),
    )


def _erros_do_original(
    original: Lancamento | Assinatura, data: dt.date, ja_estornado: bool
) -> list[Erro]:
    """Regras do original e da data, comuns ao estorno montado e ao que vem pronto."""
    erros: list[Erro] = []
    if original.numero is None:
        erros.append(Erro("ESTORNO-ORIGINAL", "só se estorna lançamento já registrado"))
    if original.estorno:
        erros.append(
            Erro(
                "ESTORNO-DE-ESTORNO", f"lançamento {original.numero} já é um estorno: lance de novo"
            )
        )
    elif ja_estornado:
        erros.append(
            Erro("ESTORNO-DUPLO", f"lançamento {original.numero} já foi estornado", "estornado")
        )
    if data.year != original.data.year:
        erros.append(
            Erro(
                "ESTORNO-EXERCICIO",
                f"estorno deve ser no mesmo exercício do original ({original.data.year})",
                "data",
            )
        )
    elif data < original.data:
        erros.append(
            Erro(
                "ESTORNO-DATA",
                f"estorno não pode ter data anterior à do original ({original.data:%d/%m/%Y})",
                "data",
            )
        )
    return erros


def estornar(
    original: Lancamento,
    data: dt.date,
    historico: str | None = None,
    numero: str | None = None,
    ja_estornado: bool = False,
) -> tuple[Lancamento | None, list[Erro]]:
    """Lançamento de estorno de ``original`` na ``data``, ou os erros que o impedem."""
    if original.tipo == TipoLancamento.ABERTURA:
        # Abertura tem data fixa de 1º de janeiro (período 0).
        data = original.data if data.year == original.data.year else data
    erros = _erros_do_original(original, data, ja_estornado)
    if erros:
        return None, erros
    inversas = tuple(p._replace(dc=_INVERSO[p.dc]) for p in original.partidas)
    return (
        Lancamento(
            entidade=original.entidade,
            data=data,
            historico=historico or f"Estorno do lançamento {original.numero}: {original.historico}",
            partidas=inversas,
            numero=numero,
            tipo=original.tipo,
            livro=original.livro,
            origem=original.origem,
            estorno=True,
            estornado=original.numero,
        ),
        [],
    )


def estornar_lancamento(
    original: Lancamento,
    data: dt.date,
    historico: str | None = None,
    numero: str | None = None,
) -> tuple[Lancamento | None, list[Erro]]:
    """Estorno direto de um lançamento (``erario lancamento estornar``). O gerado
    por um evento (``origem = evento:<id>``) não se estorna assim: o controle da
    execução anda com o evento, então estorna-se o evento (``LANC-EVENTO``)."""
    origem = original.origem or ""
    if origem.startswith("evento:"):
        evento = origem.partition(":")[2]
        return None, [
            Erro(
                "LANC-EVENTO",
                f"o lançamento {original.numero} foi gerado pelo evento {evento}: estorne o "
                "evento (tipo estorno em erario importar --tipo eventos) ou, se for do "
                "encerramento do exercício, use erario exercicio desfazer-encerramento",
            )
        ]
    return estornar(original, data, historico, numero)


def _descrever(itens: Counter[tuple[str, str, str, int]]) -> str:
    lista = [
        f"{conta}{f' [{cc}]' if cc else ''} {dc} {formatar_brl(v)}" + (f" (×{k})" if k > 1 else "")
        for (conta, cc, dc, v), k in sorted(itens.items())
    ]
    return "; ".join(lista[:4]) + (f" e mais {len(lista) - 4}" if len(lista) > 4 else "")


def conferir_estorno(
    estorno: Lancamento, original: Lancamento | Assinatura | None, ja_estornado: bool
) -> list[Erro]:
    """Erros do estorno que chega pronto (arquivo de carga, ``estornado=N``): o
    original tem de existir, não ser estorno nem já estornado, e o estorno tem de
    ser o inverso exato dele — as mesmas contas, contas correntes e valores, com
    D/C trocados, no mesmo tipo —, como o que ``estornar`` monta."""
    if original is None:
        return [
            Erro(
                "ESTORNO-ORIGINAL",
                f"lançamento estornado {estorno.estornado} não existe na entidade "
                f"{estorno.entidade}",
                "estornado",
            )
        ]
    erros = _erros_do_original(original, estorno.data, ja_estornado)
    if erros:
        return erros
    if (estorno.tipo, estorno.livro) != (original.tipo, original.livro):
        erros.append(
            Erro(
                "MIG-ESTORNO-INVERSO",
                f"o estorno de {original.numero} deve ter o tipo dele ({original.tipo.value}), "
                f"não {estorno.tipo.value}",
                "tipo",
            )
        )
    if isinstance(original, Assinatura):
        if hash(frozenset(_multiconjunto(estorno.partidas, inverter=True).items())) != (
            original.partidas
        ):
            erros.append(
                Erro(
                    "MIG-ESTORNO-INVERSO",
                    f"o estorno não é o inverso exato do lançamento {original.numero}: deve "
                    "repetir cada partida dele (conta, conta corrente, valor) com D/C trocados",
                    "estornado",
                )
            )
        return erros
    esperado = _multiconjunto(original.partidas, inverter=True)
    obtido = _multiconjunto(estorno.partidas, inverter=False)
    if esperado != obtido:
        faltam, sobram = esperado - obtido, obtido - esperado
        detalhe = []
        if faltam:
            detalhe.append(f"faltam {_descrever(faltam)}")
        if sobram:
            detalhe.append(f"sobram {_descrever(sobram)}")
        erros.append(
            Erro(
                "MIG-ESTORNO-INVERSO",
                f"o estorno não é o inverso exato do lançamento {original.numero} "
                f"(as mesmas partidas com D/C trocados, como em erario lancamento estornar): "
                + "; ".join(detalhe),
                "estornado",
            )
        )
    return erros
