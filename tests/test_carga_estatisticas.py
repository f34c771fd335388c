"""PostgreSQL: a carga em massa termina com ANALYZE (issue 19). Sem estatísticas
(o autovacuum demora), a carga seguinte na mesma entidade conferia os números já
usados com um plano de tabela vazia: 4 a 19 s por bloco de 500 números. Medido em
``bench/bench_segunda_carga.py``: 250 mil lançamentos e mais 250 mil, 64,7 e
72,1 µs por lançamento (1,11×); sem o ANALYZE, cada bloco da segunda levava 4–5 s."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from erario.storage import carga_razao
from erario.storage.repositorio import Repositorio

CAB = "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente\n"


def _diario(inicio: int, n: int) -> io.BytesIO:
    linhas = [CAB]
    for i in range(inicio, inicio + n):
        linhas.append(f"prefeitura;L{i};2026-01-10;;Compra;1.2.3.0.0.00.00;D;1.00;\n")
        linhas.append(f"prefeitura;L{i};2026-01-10;;Compra;1.1.1.1.1.01.00;C;1.00;FR=1500\n")
    return io.BytesIO("".join(linhas).encode())


def _tuplas_estimadas(repo: Repositorio) -> float:
    with repo.engine.connect() as con:
        return float(
            con.execute(
                text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('lancamento')")
            ).scalar_one()
        )


def test_carga_grande_no_postgres_atualiza_as_estatisticas(
    repo: Repositorio, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not repo.postgres:
        pytest.skip("só no PostgreSQL (ANALYZE)")
    monkeypatch.setattr(carga_razao, "ANALISAR_A_PARTIR", 20)
    repo.importar_csv(_diario(1, 19), "pequena.csv")
    assert _tuplas_estimadas(repo) < 0  # abaixo do limite: nunca analisada (-1)
    repo.importar_csv(_diario(100, 20), "grande.csv")
    assert _tuplas_estimadas(repo) == 39  # 19 + 20, contadas pelo ANALYZE
    # a segunda carga confere os números já usados (um repetido é recusado)
    with pytest.raises(Exception, match="L100"):
        repo.importar_csv(_diario(100, 1), "repetida.csv")
