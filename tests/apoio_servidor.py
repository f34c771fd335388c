"""Apoio aos testes do servidor de dados on-line: banco próprio do servidor
(SQLite num arquivo temporário ou, com ``ERARIO_TEST_POSTGRES_URL``, um esquema
PostgreSQL descartável), uvicorn numa porta livre do loopback e o município de
teste (Prefeitura, Câmara e RPPS, mais a Câmara de outro município) com os
seus usuários.

``BANCOS_SERVIDOR`` parametriza os testes: sem a variável, a variante
PostgreSQL é pulada com o motivo.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import uvicorn

from erario.api.seguranca import opcoes_uvicorn
from erario.api.servidor import Admin, Config, criar_app, preparar_banco
from erario.razao.modelo import Entidade, TipoEntidade
from tests.apoio_postgres import esquema_descartavel

PG_URL = os.environ.get("ERARIO_TEST_POSTGRES_URL")
BANCOS_SERVIDOR = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not PG_URL, reason="defina ERARIO_TEST_POSTGRES_URL para o servidor no PostgreSQL"
        ),
    ),
]

SEGREDO = b"segredo-de-teste-0123456789abcdef"
LIMITE = 64 * 1024
IBGE, IBGE_OUTRO = "4312658", "4300001"
PREF = Entidade(
    "prefeitura", "Prefeitura", "01602258000120", TipoEntidade.PREFEITURA, IBGE, "10131"
)
CAM = Entidade("camara", "Câmara", "29363995000137", TipoEntidade.CAMARA, IBGE, "20231")
RPPS = Entidade(
    "rpps", "Instituto de Previdência", "11222333000181", TipoEntidade.RPPS, IBGE, "10132"
)
CAM_OUTRA = Entidade(
    "camara", "Câmara Vizinha", "44555666000181", TipoEntidade.CAMARA, IBGE_OUTRO, "20231"
)
SENHA = "senha-forte-123"
USUARIOS = (
    ("pref@m.br", PREF),
    ("camara@m.br", CAM),
    ("rpps@m.br", RPPS),
    ("vizinha@m.br", CAM_OUTRA),
    ("bruto@m.br", CAM),
)


class Ambiente(NamedTuple):
    url: str
    pasta: Path
    admin: Admin
    banco: str  # URL do banco do servidor


def porta_livre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def banco_servidor(tipo: str, pasta: Path) -> Iterator[str]:
    """URL do banco do servidor: arquivo SQLite na pasta ou esquema PostgreSQL
    descartável (criado aqui e apagado no fim)."""
    if tipo == "sqlite":
        yield f"sqlite:///{pasta / 'servidor.db'}"
        return
    assert PG_URL
    with esquema_descartavel(PG_URL, "srv") as url:
        yield url


@contextmanager
def servidor_no_ar(cfg: Config) -> Iterator[str]:
    """O servidor real (uvicorn) numa porta livre do loopback; devolve a URL base.
    Rede (proxies confiáveis) e log de acesso como ``erario servidor iniciar``."""
    app = criar_app(cfg)
    porta = porta_livre()
    servidor = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=porta,
            **opcoes_uvicorn(cfg.proxies_confiaveis, cfg.log_acesso),
        )
    )  # fmt: skip
    fio = threading.Thread(target=servidor.run, daemon=True)
    fio.start()
    limite = time.monotonic() + 10
    while not servidor.started:
        assert time.monotonic() < limite, "servidor não subiu"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{porta}"
    finally:
        servidor.should_exit = True
        fio.join(5)
        app.state.engine.dispose()


def cadastrar_municipio(admin: Admin) -> None:
    for e in (PREF, CAM, RPPS, CAM_OUTRA):
        admin.cadastrar_entidade(e.cnpj, e.slug, e.nome, str(e.tipo), e.ibge)
    for email, ent in USUARIOS:
        admin.criar_usuario(email, SENHA)
        admin.vincular(email, ent.cnpj)


@contextmanager
def ambiente_no_ar(tipo: str, pasta: Path, **config: Any) -> Iterator[Ambiente]:
    with banco_servidor(tipo, pasta) as url_banco:
        cfg = Config(
            url=url_banco,
            **({"limite_bytes": LIMITE, "freio_base": 0.3, "segredo": SEGREDO} | config),
        )
        engine = preparar_banco(cfg.url)
        admin = Admin(engine)
        cadastrar_municipio(admin)
        try:
            with servidor_no_ar(cfg) as url:
                yield Ambiente(url, pasta, admin, url_banco)
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=BANCOS_SERVIDOR)
def ambiente(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Ambiente]:
    with ambiente_no_ar(request.param, tmp_path_factory.mktemp("servidor")) as a:
        yield a
