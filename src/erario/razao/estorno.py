"""Estorno: o razão é somente inclusão; corrige-se com o lançamento inverso.

O estorno repete cada partida do original com a natureza trocada (D↔C), na
mesma conta, valor e conta corrente, de modo que todo saldo volta ao que era
(MCASP, Parte IV — a escrituração não se apaga; NBC T 16.5, item 12).
"""

from __future__ import annotations

import datetime as dt

from erario.core.erros import Erro
from erario.razao.modelo import Lancamento, TipoLancamento


def estornar(
    original: Lancamento,
    data: dt.date,
    historico: str | None = None,
    numero: str | None = None,
) -> tuple[Lancamento | None, list[Erro]]:
    """Lançamento de estorno de ``original`` na ``data``, ou os erros que o impedem."""
    erros: list[Erro] = []
    if original.numero is None:
        erros.append(Erro("ESTORNO-ORIGINAL", "só se estorna lançamento já registrado"))
    if original.estorno:
        erros.append(
            Erro(
                "ESTORNO-DE-ESTORNO", f"lançamento {original.numero} já é um estorno: lance de novo"
            )
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
    if original.tipo == TipoLancamento.ABERTURA:
        # Abertura tem data fixa de 1º de janeiro (período 0).
        data = original.data
    if erros:
        return None, erros
    inversas = tuple(p._replace(dc="C" if p.dc == "D" else "D") for p in original.partidas)
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
