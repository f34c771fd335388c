"""``execucao.registro``: a decisão de cada evento sem banco (issue 19). O contexto
é um dicionário na memória no lugar do armazenamento."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from erario.core.erros import Erro
from erario.execucao.cadastros import ContaBancaria
from erario.execucao.carga import ler_eventos_jsonl
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.registro import Registro, registrar
from erario.execucao.roteiros import CacheContas, roteiros_padrao
from erario.razao.modelo import Lancamento, LancamentoCompacto, PlanoContas
from erario.razao.plano import plano_base

DOT = "0201.12.361.0001.2001.33903900"
CREDOR = "11222333000181"


class _Memoria:
    """O contexto de uma entidade só, com os lançamentos aceitos guardados."""

    desfazendo: tuple[str, int, str] | None = None
    contas_bancarias: Sequence[ContaBancaria] = ()

    def __init__(self) -> None:
        self.roteiros = roteiros_padrao()
        self._plano = plano_base()
        self._cache = CacheContas()
        self.usados: set[str] = set()
        self.lancamentos: dict[str, Lancamento | LancamentoCompacto] = {}

    def existe(self, entidade: str) -> bool:
        return entidade == "prefeitura"

    def incorporada(self, entidade: str) -> bool:
        return False

    def conferir_incorporada(self, ev: Any) -> list[Erro]:
        raise AssertionError("sem entidade incorporada")

    def usado(self, entidade: str, codigo: str) -> bool:
        return codigo in self.usados

    def plano(self, entidade: str) -> PlanoContas:
        return self._plano

    def cache(self, entidade: str) -> CacheContas:
        return self._cache

    def erros_de_classificacao(self, ev: Any) -> list[Erro]:
        return []

    def saldos_do_exercicio(self, entidade: str, data: dt.date) -> dict[tuple[str, str], int]:
        raise AssertionError("sem encerramento")

    def lancamento(self, entidade: str, id_evento: str) -> Lancamento | None:
        lanc = self.lancamentos.get(id_evento)
        return lanc.lancamento() if isinstance(lanc, LancamentoCompacto) else lanc

    def lancamento_destino(self, entidade: str, id_evento: str, destino: str) -> None:
        return None

    def lancamentos_do_evento(self, entidade: str, id_evento: str) -> list[Lancamento]:
        return []

    def outros_no_seguinte(self, entidade: str, ano: int, id_evento: str) -> int:
        return 0


def _registrar(
    ctx: _Memoria, controle: ControleOrcamentario, *eventos: dict[str, Any]
) -> list[Registro]:
    linhas = [json.dumps({"entidade": "prefeitura", **ev}) for ev in eventos]
    itens, erros = ler_eventos_jsonl(linhas, "m.jsonl")
    assert erros == []
    saida = []
    for reg in registrar(controle, itens, ctx, "m.jsonl"):
        if not reg.erros:  # como o armazenamento: id usado, lançamento guardado
            ctx.usados.add(reg.evento.id)
            if reg.lancamentos:
                ctx.lancamentos[reg.evento.id] = reg.lancamentos[0]
        saida.append(reg)
    return saida


def test_empenho_sem_saldo_e_estorno_sem_banco() -> None:
    ctx, controle = _Memoria(), ControleOrcamentario()
    regs = _registrar(
        ctx,
        controle,
        {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT,
         "fonte": "1500", "valor": "500.00"},
        {"tipo": "empenho", "id": "E1", "data": "2026-03-02", "dotacao": DOT, "fonte": "1500",
         "credor": CREDOR, "valor": "300.00"},
        {"tipo": "empenho", "id": "E2", "data": "2026-03-03", "dotacao": DOT, "fonte": "1500",
         "credor": CREDOR, "valor": "200.01"},
        {"tipo": "empenho", "id": "E1", "data": "2026-03-04", "dotacao": DOT, "fonte": "1500",
         "credor": CREDOR, "valor": "1.00"},
        {"tipo": "estorno", "id": "X1", "data": "2026-03-05", "evento": "E1"},
        {"tipo": "empenho", "id": "E3", "data": "2026-03-06", "dotacao": DOT, "fonte": "1500",
         "credor": CREDOR, "valor": "500.00"},
    )  # fmt: skip
    assert [(r.linha, r.evento.id, [str(e) for e in r.erros]) for r in regs if r.erros] == [
        (3, "E2", ["m.jsonl, linha 3, campo valor: [EXEC-DOTACAO-SALDO] empenho de 200,01 "
                   f"acima do crédito disponível da dotação {DOT} (200,00)"]),
        (4, "E1", ["m.jsonl, linha 4, campo id: [EXEC-ID] evento E1 já registrado na entidade"]),
    ]  # fmt: skip
    aceitos = [r for r in regs if not r.erros]
    assert [r.lancamentos[0].numero for r in aceitos] == ["EVD1", "EVE1", "EVX1", "EVE3"]
    # O estorno é o inverso exato do lançamento do empenho: 500,00 de volta, e E3 cabe.
    empenho = ctx.lancamento("prefeitura", "E1")
    estorno = ctx.lancamento("prefeitura", "X1")
    assert empenho is not None and estorno is not None
    assert sorted((p.conta, p.dc, p.valor) for p in estorno.partidas) == sorted(
        (p.conta, "C" if p.dc == "D" else "D", p.valor) for p in empenho.partidas
    )
    assert controle.dotacoes[("prefeitura", 2026, DOT)].empenhado == 50_000
