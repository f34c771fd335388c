"""Leitura dos arquivos de carga (CSV e JSON Lines) em lançamentos.

Puro: texto entra, lançamentos e erros saem. Todo problema é reportado com
linha e campo; nada para no primeiro. A gravação (tudo ou nada) é do
repositório. O esquema de cada formato está em ``docs/importacao.md``.

Ponto de entrada único; cada parte fica no módulo do seu conceito:

- ``carga_lote``: o ``Lote`` lido e o que os formatos partilham (datas ISO,
  tipos e a divisão por tipo, sugestão de nome, pausa do coletor de ciclos);
- ``carga_linhas``: linhas do arquivo (BOM, limite em bytes, UTF-8);
- ``carga_csv``: CSV de lançamentos (em blocos), de saldos de abertura e a escrita;
- ``carga_jsonl``: JSON Lines de lançamentos.
"""

from __future__ import annotations

from erario.razao.carga_csv import (
    COLUNAS_LANCAMENTOS,
    COLUNAS_SALDOS,
    OBRIGATORIAS_LANCAMENTOS,
    OPCIONAIS_LANCAMENTOS,
    erro_csv,
    escrever_lancamentos_csv,
    indice_do_cabecalho,
    ler_lancamentos_csv,
    ler_lancamentos_csv_em_blocos,
    ler_saldos_abertura_csv,
)
from erario.razao.carga_jsonl import (
    CHAVES_LANCAMENTO_JSON,
    CHAVES_PARTIDA_JSON,
    JSONL_LINHA_MAX,
    erro_json,
    ler_json,
    ler_lancamentos_jsonl,
)
from erario.razao.carga_linhas import LINHA_MAX, linhas_limitadas
from erario.razao.carga_lote import (
    TAMANHO_BLOCO,
    TIPOS_LANCAMENTO,
    Avanco,
    Lote,
    data_iso,
    dividir_por_tipo,
    sem_coleta_ciclica,
    sugestao,
)

__all__ = [
    "CHAVES_LANCAMENTO_JSON",
    "CHAVES_PARTIDA_JSON",
    "COLUNAS_LANCAMENTOS",
    "COLUNAS_SALDOS",
    "JSONL_LINHA_MAX",
    "LINHA_MAX",
    "OBRIGATORIAS_LANCAMENTOS",
    "OPCIONAIS_LANCAMENTOS",
    "TAMANHO_BLOCO",
    "TIPOS_LANCAMENTO",
    "Avanco",
    "Lote",
    "data_iso",
    "dividir_por_tipo",
    "erro_csv",
    "erro_json",
    "escrever_lancamentos_csv",
    "indice_do_cabecalho",
    "ler_json",
    "ler_lancamentos_csv",
    "ler_lancamentos_csv_em_blocos",
    "ler_lancamentos_jsonl",
    "ler_saldos_abertura_csv",
    "linhas_limitadas",
    "sem_coleta_ciclica",
    "sugestao",
]
