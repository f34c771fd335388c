"""Esquema PostgreSQL descartável para testes e benchmarks (``conftest``,
``apoio_servidor`` e ``bench/bench_servidor.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def esquema_descartavel(url: str, prefixo: str) -> Iterator[str]:
    """Cria o esquema ``<prefixo>_<12 dígitos hexadecimais aleatórios>`` no banco de
    ``url`` e devolve a URL com ele no ``search_path``; no fim, apaga o esquema e
    tudo o que houver nele."""
    esquema = f"{prefixo}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as con:
        con.execute(text(f"CREATE SCHEMA {esquema}"))
    admin.dispose()
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{esquema}"
    finally:
        admin = create_engine(url)
        with admin.begin() as con:
            con.execute(text(f"DROP SCHEMA {esquema} CASCADE"))
        admin.dispose()
