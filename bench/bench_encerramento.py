"""Benchmark do fim do exercício: o município sintético de ``bench_eventos.py``
(N eventos), com restos a pagar (um em cada 10 ciclos sem pagamento, um em cada
20 sem liquidação), e o custo de cada passo do ano seguinte. Não é teste.

Mede ``erario exercicio encerrar`` (inscrição, encerramentos e a abertura de 2027
com todos os saldos), o balancete de janeiro de 2027, ``erario verificar`` (com a
conferência entre exercícios) e desfazer o encerramento.

Uso: ``PYTHONPATH=src python bench/bench_encerramento.py --eventos 100000``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench_eventos import gerar
from erario.core.erros import Erro
from erario.execucao.carga import TextosLidos, iterar_eventos_jsonl
from erario.execucao.eventos import EncerramentoExercicio
from erario.razao.modelo import Entidade, TipoEntidade
from erario.razao.plano import plano_base
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio


def _com_restos(linhas: Iterator[str]) -> Iterator[str]:
    """Tira o pagamento de um ciclo em cada 10 (RP processado) e a liquidação e o
    pagamento de um em cada 20 (RP não processado)."""
    for linha in linhas:
        ev = json.loads(linha)
        ciclo = ev["id"][1:]
        if ev["tipo"] in ("pagamento", "liquidacao") and ciclo.isdigit():
            i = int(ciclo)
            if i % 20 == 0 or (ev["tipo"] == "pagamento" and i % 10 == 0):
                continue
        yield linha


def _medir(rotulo: str, f):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    r = f()
    print(f"{rotulo}: {time.perf_counter() - t0:.2f} s")
    return r


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--eventos", type=int, default=100_000)
    p.add_argument("--dotacoes", type=int, default=200)
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        arquivo = Path(tmp) / "eventos.jsonl"
        with arquivo.open("w", encoding="utf-8") as saida:
            for linha in _com_restos(gerar(args.eventos, args.dotacoes, random.Random(args.seed))):
                saida.write(linha + "\n")
        engine = criar_engine(f"sqlite:///{Path(tmp) / 'eventos.db'}")
        atualizar_esquema(engine)
        repo = Repositorio(engine)
        repo.gravar_plano(plano_base())
        repo.criar_entidade(
            Entidade(
                "prefeitura", "Prefeitura (bench)", "01602258000120",
                TipoEntidade.PREFEITURA, "4312658", "10131",
            )
        )  # fmt: skip
        for ano in (2026, 2027):
            repo.abrir_exercicio("prefeitura", ano, usuario="bench")
        erros: list[Erro] = []
        textos: TextosLidos = {}
        with arquivo.open(encoding="utf-8") as f:
            resumo = _medir(
                "carga dos eventos de 2026",
                lambda: repo.registrar_eventos(
                    iterar_eventos_jsonl(f, "bench", erros, textos),
                    "bench",
                    erros_leitura=erros,
                    textos_lidos=textos,
                ),
            )
        print(f"  {resumo.eventos} eventos, {resumo.partidas} partidas")
        enc = EncerramentoExercicio("ENC2026", "prefeitura", dt.date(2026, 12, 31))
        r = _medir(
            "exercicio encerrar 2026 (com a abertura de 2027)",
            lambda: repo.registrar_eventos([(None, enc)], "bench"),
        )
        abertura = repo.lancamento("prefeitura", "EVENC2026.5")
        print(f"  {r.lancamentos} lançamentos, {r.partidas} partidas; abertura de 2027 com "
              f"{len(abertura.partidas)} partidas")  # fmt: skip
        _medir("balancete de janeiro de 2027", lambda: repo.balancete(["prefeitura"], 2027, 1, 1))
        erros_v = _medir("verificar", repo.verificar)
        print(f"  {len(erros_v)} divergência(s)")
        _medir(
            "desfazer o encerramento",
            lambda: repo.desfazer_encerramento("prefeitura", 2026, "bench"),
        )
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
