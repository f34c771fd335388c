# erario — comandos de uso diário. Só precisa de Python ≥ 3.11.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PRONTO := $(VENV)/.instalado

.PHONY: demo test lint bench comparar limpar

$(PRONTO): pyproject.toml src/erario/storage/_carga_csv.c
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(PRONTO)

## demo: instala e monta o município de exemplo em ./erario.db, imprimindo o balancete
demo: $(PRONTO)
	$(BIN)/erario demo

## test: instala, confere estilo e tipos e roda toda a suíte de testes
test: $(PRONTO) lint
	$(BIN)/python -m pytest

lint: $(PRONTO)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

## bench: mede carga e balancete (ver bench/README.md)
bench: $(PRONTO)
	$(BIN)/python bench/bench_razao.py --partidas 1000000

## comparar: erario × ledger-cli × hledger × Beancount × DuckDB (bench/RESULTS.md)
comparar: $(PRONTO)
	$(BIN)/python bench/compare.py --sizes 100000,1000000

limpar:
	rm -rf $(VENV) erario.db erario.db-wal erario.db-shm .pytest_cache .mypy_cache .ruff_cache
