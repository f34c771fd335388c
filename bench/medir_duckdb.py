"""Balancete no DuckDB a partir do CSV de partidas (roda no ambiente dos pares).

Lê ``partidas.csv`` (``numero,data,conta,fonte,dc,valor``, valor DECIMAL(18,2)),
soma débitos e créditos por conta analítica no intervalo de datas e totaliza as
contas superiores pelos prefixos do código (máscara ``X.X.X.X.X.XX.XX``). Sem
``--repetir``, consulta o CSV direto (uma passada: é o uso de uma vez só). Com
``--repetir N``, carrega o CSV numa tabela em memória e repete a consulta N
vezes sobre ela, medindo cada uma (o balancete repetido). Grava um JSON com os
débitos e créditos de cada conta em centavos e os tempos internos.

Uso: ``python medir_duckdb.py partidas.csv --de 2026-06-01 --ate 2026-07-01 --saida x.json``
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import duckdb

COLUNAS = (
    "{'numero': 'VARCHAR', 'data': 'DATE', 'conta': 'VARCHAR', 'fonte': 'VARCHAR',"
    " 'dc': 'VARCHAR', 'valor': 'DECIMAL(18,2)'}"
)
# Posição do fim de cada nível no código X.X.X.X.X.XX.XX.
CONSULTA = """
WITH mov AS (
    SELECT conta,
           sum(CASE WHEN dc = 'D' THEN valor ELSE 0 END) AS debitos,
           sum(CASE WHEN dc = 'C' THEN valor ELSE 0 END) AS creditos
    FROM {origem}
    WHERE data >= DATE '{de}' AND data < DATE '{ate}'
    GROUP BY conta
),
niveis(n) AS (VALUES (1), (3), (5), (7), (9), (12), (15)),
superiores AS (
    SELECT DISTINCT conta, left(conta, n) || substr('0.0.0.0.0.00.00', n + 1) AS superior
    FROM mov, niveis
)
SELECT s.superior, sum(m.debitos), sum(m.creditos)
FROM mov m JOIN superiores s USING (conta)
GROUP BY s.superior
ORDER BY s.superior
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("csv")
    p.add_argument("--de", required=True, help="data inicial AAAA-MM-DD (inclusive)")
    p.add_argument("--ate", required=True, help="data final AAAA-MM-DD (exclusive)")
    p.add_argument("--repetir", type=int, default=0, help="repetições sobre a tabela em memória")
    p.add_argument("--saida", required=True, help="arquivo JSON de resultado")
    args = p.parse_args()

    con = duckdb.connect()
    leitura = f"read_csv('{args.csv}', header = true, delim = ',', columns = {COLUNAS})"
    tempos: dict[str, object] = {}
    t0 = time.perf_counter()
    if args.repetir:
        con.execute(f"CREATE TABLE partida AS SELECT * FROM {leitura}")
        tempos["carga_s"] = time.perf_counter() - t0
        sql = CONSULTA.format(origem="partida", de=args.de, ate=args.ate)
        linhas = con.execute(sql).fetchall()  # aquecimento
        medidas = []
        for _ in range(args.repetir):
            t = time.perf_counter()
            linhas = con.execute(sql).fetchall()
            medidas.append(time.perf_counter() - t)
        tempos["repetido_s"] = medidas
        tempos["repetido_min_s"] = min(medidas)
        tempos["repetido_mediana_s"] = statistics.median(medidas)
    else:
        sql = CONSULTA.format(origem=leitura, de=args.de, ate=args.ate)
        linhas = con.execute(sql).fetchall()
        tempos["consulta_s"] = time.perf_counter() - t0
    contas = {
        conta: [int(debitos * 100), int(creditos * 100)] for conta, debitos, creditos in linhas
    }
    classes = [v for c, v in contas.items() if c[1:] == ".0.0.0.0.00.00"]
    resultado = {
        "versao": duckdb.__version__,
        "contas": contas,
        "debitos": sum(v[0] for v in classes),
        "creditos": sum(v[1] for v in classes),
        "tempos": tempos,
    }
    with open(args.saida, "w", encoding="utf-8") as f:
        json.dump(resultado, f)


if __name__ == "__main__":
    main()
