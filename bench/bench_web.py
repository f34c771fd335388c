"""Benchmark da interface web (issue 22): tempo de servidor de cada página (p95)
e de postar um empenho pelo formulário, num banco com N eventos orçamentários.
Não é teste.

O banco é o município sintético de ``bench_eventos.py`` (dotações, arrecadação e,
em ciclo, empenho → liquidação → pagamento, ao longo de 2026). As páginas são
pedidas pelo TestClient do FastAPI no mesmo processo (o tempo é o do servidor:
sessão, consulta, renderização; sem rede).

Uso: ``PYTHONPATH=src:. python bench/bench_web.py --eventos 1000000``
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_eventos import gerar
from erario.core.erros import Erro
from erario.execucao.carga import TextosLidos, iterar_eventos_jsonl
from erario.razao.modelo import Entidade, TipoEntidade
from erario.razao.plano import plano_base
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from erario.storage.web import Papel, criar_usuario

SENHA = "senha-do-bench-1"
PAGINAS = (
    "/e/prefeitura/?ano=2026",
    "/e/prefeitura/balancete?de=01/2026&ate=12/2026",
    "/e/prefeitura/balancete?de=03/2026&ate=03/2026&cc=1",
    "/e/prefeitura/razao?conta=3.3.2.3.1.99.00&de=03/2026&ate=03/2026",
    # a última página do mesmo mês (lê as anteriores para o saldo transportado)
    "/e/prefeitura/razao?conta=3.3.2.3.1.99.00&de=03/2026&ate=03/2026&pagina=45",
    # o ano inteiro do banco, filtrado por fonte
    "/e/prefeitura/razao?conta=1.1.1.1.1.19.00&de=01/2026&ate=12/2026&cc=FR%3D1500",
    "/e/prefeitura/lancamento/EVE10",
    "/e/prefeitura/evento/E10",
    "/e/prefeitura/empenho/E10",
    "/e/prefeitura/despesa?ano=2026",
    "/e/prefeitura/receita?ano=2026",
    "/e/prefeitura/restos",
    "/e/prefeitura/disponibilidade?ano=2026",
    "/e/prefeitura/lancar/empenho",
    "/e/prefeitura/cadastros/credores",
    "/e/prefeitura/trilha",
)


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) > 1 else xs[0]


def _montar(repo: Repositorio, eventos: int, dotacoes: int) -> None:
    repo.gravar_plano(plano_base())
    repo.criar_entidade(
        Entidade("prefeitura", "Prefeitura (bench)", "01602258000120",
                 TipoEntidade.PREFEITURA, "4312658", "10131")
    )  # fmt: skip
    repo.abrir_exercicio("prefeitura", 2026, usuario="bench")
    t0 = time.perf_counter()
    erros: list[Erro] = []
    textos: TextosLidos = {}
    linhas = gerar(eventos, dotacoes, random.Random(2026))
    resumo = repo.registrar_eventos(
        iterar_eventos_jsonl(linhas, "bench", erros, textos), "bench",
        erros_leitura=erros, textos_lidos=textos,
    )  # fmt: skip
    print(f"banco: {resumo.eventos} eventos, {resumo.lancamentos} lançamentos "
          f"({time.perf_counter() - t0:.1f} s)")  # fmt: skip


def main() -> int:
    from fastapi.testclient import TestClient

    from erario.web.app import Config, criar_app

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eventos", type=int, default=100_000)
    ap.add_argument("--dotacoes", type=int, default=200)
    ap.add_argument("--repeticoes", type=int, default=10)
    ap.add_argument("--banco", type=Path, help="cópia de um banco de bench_operacao --guardar")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.banco is not None:
            shutil.copy(args.banco, Path(tmp) / "web.db")
        engine = criar_engine(f"sqlite:///{Path(tmp) / 'web.db'}")
        atualizar_esquema(engine)
        repo = Repositorio(engine)
        if args.banco is None:
            _montar(repo, args.eventos, args.dotacoes)
        criar_usuario(engine, "bench", "Bench", SENHA, {"": Papel.ADMINISTRADOR})
        c = TestClient(criar_app(engine, Config()))
        pre = re.search(r'name="pre" value="([^"]+)"', c.get("/entrar").text)
        assert pre
        c.post("/entrar", data={"login": "bench", "senha": SENHA, "pre": pre.group(1)})
        print(f"{'página':<62} {'p95 (ms)':>9} {'mediana':>9}")
        piores = []
        for url in PAGINAS:
            tempos = []
            for _ in range(args.repeticoes):
                t = time.perf_counter()
                r = c.get(url)
                tempos.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (url, r.status_code)
            piores.append(p95(tempos))
            print(f"{url:<62} {p95(tempos):9.1f} {statistics.median(tempos):9.1f}")
        csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/e/prefeitura/lancar/empenho").text)
        assert csrf
        tempos = []
        for i in range(args.repeticoes):
            dados = {"csrf": csrf.group(1), "id": f"WEB{i}", "data": "20/12/2026",
                     "dotacao": "0201.04.122.0001.2000.33903900", "fonte": "1500",
                     "credor": "11.222.333/0001-81", "valor": "1,00", "acao": "confirmar"}  # fmt: skip
            t = time.perf_counter()
            r = c.post("/e/prefeitura/lancar/empenho", data=dados, follow_redirects=False)
            tempos.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 303, r.text[:2000]
        print(f"{'POST empenho (formulário → evento gravado)':<62} {p95(tempos):9.1f} "
              f"{statistics.median(tempos):9.1f}")  # fmt: skip
        print(f"pior p95 das páginas: {max(piores):.1f} ms (meta ≤ 200 ms); "
              f"empenho p95 {p95(tempos):.1f} ms (meta ≤ 300 ms)")  # fmt: skip
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
