"""Leitura (só leitura) do que o pacote e-Sfinge precisa, pelos métodos públicos do repositório.

Enquanto o cadastro de contas bancárias não guarda os campos próprios do
e-Sfinge, eles saem da entidade: nome (entidade e código da conta), CNPJ do
titular (o da entidade), IBGE da agência (o do município) e data de ativação
(o primeiro lançamento que movimenta a conta, em qualquer exercício).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from erario.core.erros import OperacaoRecusada
from erario.leiautes import esfinge as esf
from erario.leiautes.esfinge_geracao import (
    ContaBancariaEsfinge,
    DadosPacote,
    PendenciaConciliacao,
    contexto,
)
from erario.razao.modelo import Lancamento, atributos_cc
from erario.storage.repositorio import Repositorio

_MAX_EXERCICIOS = 50


def _primeiros_movimentos(lancamentos: Sequence[Lancamento], saida: dict[str, dt.date]) -> None:
    for lanc in lancamentos:
        for p in lanc.partidas:
            db = atributos_cc(p.conta_corrente).get("DB")
            if db and (db not in saida or lanc.data < saida[db]):
                saida[db] = lanc.data


def ler_dados(
    repo: Repositorio,
    slug: str,
    ano: int,
    mes: int,
    pendencias: Sequence[PendenciaConciliacao] = (),
) -> tuple[DadosPacote, esf.ContextoEsfinge]:
    """Dados do pacote (ano, mês) da entidade e o contexto para validá-lo."""
    ent = repo.entidade(slug)
    if not esf.obrigada(ent.tipo):
        raise OperacaoRecusada.uma(
            "ESF-ENTIDADE",
            f"{ent.nome} é do tipo {ent.tipo.value}: o pacote Registros Contábeis não se aplica "
            "a empresas e associações",
        )
    do_ano = repo.lancamentos(slug, ano, 0, 13)
    primeiros: dict[str, dt.date] = {}
    _primeiros_movimentos(do_ano, primeiros)
    anterior = ano - 1
    while anterior > ano - _MAX_EXERCICIOS and repo.competencias(slug, anterior):
        _primeiros_movimentos(repo.lancamentos(slug, anterior, 0, 13), primeiros)
        anterior -= 1
    contas = [
        ContaBancariaEsfinge(
            c,
            f"{ent.nome} — conta {c.codigo} ({c.tipo.value}, fonte {c.fonte})",
            ent.cnpj,
            ent.ibge,
            primeiros.get(c.codigo),
        )
        for c in repo.contas_bancarias(slug)
    ]
    inicio = dt.date(ano, mes, 1)
    dados = DadosPacote(ent, ano, mes, repo.plano(ent.plano), do_ano, contas, pendencias)
    anteriores = {lanc.numero: lanc.data for lanc in do_ano if lanc.numero and lanc.data < inicio}
    return dados, contexto(dados, anteriores)


def competencias_devidas(repo: Repositorio, hoje: dt.date) -> dict[str, list[tuple[int, int]]]:
    """(ano, mês) dos exercícios abertos de cada entidade obrigada, no ano de ``hoje`` e no anterior."""
    saida: dict[str, list[tuple[int, int]]] = {}
    for ent in repo.entidades():
        if not esf.obrigada(ent.tipo):
            continue
        saida[ent.slug] = [
            (c.ano, c.mes)
            for ano in (hoje.year - 1, hoje.year)
            for c in repo.competencias(ent.slug, ano)
        ]
    return saida
