"""Servidor de dados on-line diante de pedidos hostis (issue 15, itens 3 e 5).

Cada medida tem o seu ataque: corpo de 64 MiB na entrada (por Content-Length e
em fluxo ``chunked``), corpo que goteja ou para no meio, inteiros fora de faixa
no caminho, inteiro de 5000 dígitos e 100 mil níveis de aninhamento no JSON,
caractere nulo; e a produção: rota de saúde, prefixo atrás do proxy, banco sob
migrações (inclusive o criado pelo ``create_all`` de antes), backup e
restauração do SQLite e a recusa do cliente de mandar senha por ``http://``.

Os ataques de rede usam o servidor real (uvicorn) no loopback e soquetes
crus; o resto, o ``TestClient``. Tudo no SQLite e, com
``ERARIO_TEST_POSTGRES_URL``, no PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest
import typer.main
import uvicorn
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, insert, inspect, make_url, select, text
from typer.testing import CliRunner

from erario.api import esquema as te
from erario.api.cliente import Cliente, aviso_http
from erario.api.manutencao import TABELA_VERSAO, revisao_mais_nova, revisao_no_banco
from erario.api.seguranca import hash_senha
from erario.api.servidor import Admin, Config, criar_app, preparar_banco
from erario.cli.app import app as cli_app
from erario.core.erros import OperacaoRecusada
from erario.razao.plano import ler_plano_csv
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.apoio_servidor import (
    BANCOS_SERVIDOR,
    CAM,
    IBGE,
    PG_URL,
    PREF,
    SEGREDO,
    SENHA,
    banco_servidor,
    cadastrar_municipio,
    porta_livre,
)
from tests.conftest import PLANO_TESTE

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("tela_larga")  # saída do Rich sem quebra de linha

LIMITE_ENVIO = 1 << 20  # cabe o JSON de 100 mil níveis (200 KB), que deve dar 422
TEMPO_OCIOSO = 0.5
TEMPO_CORPO = 1.5
MIB = 1 << 20
DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _versao_0001() -> Any:
    """O módulo da migração 0001 (nome começa com dígito: carregado pelo caminho)."""
    import importlib.util

    import erario.api.migrations.versions as v

    caminho = Path(v.__file__).parent / "0001_servidor_inicial.py"
    spec = importlib.util.spec_from_file_location("servidor_0001", caminho)
    assert spec is not None and spec.loader is not None
    modulo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modulo)
    return modulo


# ------------------------------------------------------------------ servidor
@contextmanager
def _no_ar(app: FastAPI) -> Iterator[tuple[str, int]]:
    """O app no uvicorn real numa porta livre do loopback: (URL, porta)."""
    porta = porta_livre()
    servidor = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=porta, log_level="warning")
    )
    fio = threading.Thread(target=servidor.run, daemon=True)
    fio.start()
    limite = time.monotonic() + 10
    while not servidor.started:
        assert time.monotonic() < limite, "servidor não subiu"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{porta}", porta
    finally:
        servidor.should_exit = True
        fio.join(5)


class Srv(NamedTuple):
    url: str
    porta: int
    app: FastAPI
    engine: Engine
    banco: str  # tipo: sqlite ou postgresql
    cfg: Config

    def ficha(self, email: str) -> str:
        with Cliente(self.url, email, SENHA) as c:
            c.entrar()
            assert c._ficha is not None
            return c._ficha

    def envios(self) -> int:
        with self.engine.connect() as con:
            return int(con.execute(select(func.count()).select_from(te.envio)).scalar_one())


def _cfg(url: str, **extra: Any) -> Config:
    base: dict[str, Any] = {
        "limite_bytes": LIMITE_ENVIO, "tempo_ocioso": TEMPO_OCIOSO, "tempo_corpo": TEMPO_CORPO,
        "segredo": SEGREDO, "freio_base": 0.01,
    }  # fmt: skip
    return Config(url=url, **(base | extra))


@pytest.fixture(scope="module", params=BANCOS_SERVIDOR)
def srv(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    with banco_servidor(request.param, tmp_path_factory.mktemp("robustez")) as url:
        cfg = _cfg(url)
        engine = preparar_banco(url)
        cadastrar_municipio(Admin(engine))
        app = criar_app(cfg)
        try:
            with _no_ar(app) as (base, porta):
                s = Srv(base, porta, app, engine, request.param, cfg)
                with Cliente(base, "pref@m.br", SENHA) as c:  # para os envios de balancete
                    c.abrir_competencias(IBGE, 2026)
                yield s
        finally:
            app.state.engine.dispose()
            engine.dispose()


# ------------------------------------------------------------- HTTP cru
def _resposta(s: socket.socket) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Lê uma resposta HTTP/1.1 com Content-Length: status, cabeçalhos, JSON."""
    dados = b""
    while b"\r\n\r\n" not in dados:
        parte = s.recv(65536)
        assert parte, f"conexão fechada sem resposta: {dados!r}"
        dados += parte
    cabeca, _, corpo = dados.partition(b"\r\n\r\n")
    linhas = cabeca.decode("latin1").split("\r\n")
    status = int(linhas[0].split()[1])
    cab = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in linhas[1:])}
    while len(corpo) < int(cab["content-length"]):
        parte = s.recv(65536)
        assert parte, "conexão fechada no meio da resposta"
        corpo += parte
    return status, cab, json.loads(corpo)


def _fechada(s: socket.socket) -> bool:
    """O servidor fechou a conexão (EOF ou reset) depois da resposta."""
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True


def _insistir(s: socket.socket, total: int, pedaco: bytes) -> int:
    """Continua mandando o corpo até ``total`` ou até o servidor ter fechado a
    conexão; devolve quanto conseguiu mandar."""
    enviados = 0
    try:
        while enviados < total:
            s.sendall(pedaco)
            enviados += len(pedaco)
    except OSError:  # BrokenPipe / ConnectionReset: o servidor não quer o resto
        pass
    return enviados


def _cabecalho(metodo: str, caminho: str, *linhas: str) -> bytes:
    extra = "".join(f"{ln}\r\n" for ln in linhas)
    return f"{metodo} {caminho} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def _erro(corpo: dict[str, Any]) -> tuple[str, str]:
    e = corpo["erros"][0]
    return e["regra"], e["mensagem"]


# ----------------------------------------------------- limite de tamanho
def test_entrada_de_64_mib_recusada_pelo_content_length_sem_ler_o_corpo(srv: Srv) -> None:
    antes = srv.app.state.contador.bytes_lidos
    inicio = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.porta), timeout=5) as s:
        s.sendall(
            _cabecalho("POST", "/api/v1/sessao", "Content-Type: application/json",
                       f"Content-Length: {64 * MIB}")
        )  # fmt: skip
        status, cab, corpo = _resposta(s)
        assert status == 413 and cab["connection"] == "close"
        assert _erro(corpo) == ("CON-TAMANHO", "pedido maior que o limite de 16384 bytes")
        enviados = _insistir(s, 64 * MIB, b"x" * (256 * 1024))
    assert time.monotonic() - inicio < 3
    assert enviados < 16 * MIB  # a conexão caiu logo: o resto nunca foi lido
    assert srv.app.state.contador.bytes_lidos == antes  # nem um byte do corpo


def test_entrada_de_64_mib_em_fluxo_recusada_no_limite(srv: Srv) -> None:
    """``Transfer-Encoding: chunked`` (sem Content-Length): o limite é conferido
    durante a leitura, antes de analisar o JSON."""
    antes = srv.app.state.contador.bytes_lidos
    pedaco = b"%x\r\n%s\r\n" % (64 * 1024, b"[" * (64 * 1024))
    enviados: list[int] = []
    inicio = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.porta), timeout=5) as s:
        s.sendall(
            _cabecalho("POST", "/api/v1/sessao", "Content-Type: application/json",
                       "Transfer-Encoding: chunked")
        )  # fmt: skip
        mandar = threading.Thread(target=lambda: enviados.append(_insistir(s, 64 * MIB, pedaco)))
        mandar.start()
        status, cab, corpo = _resposta(s)
        mandar.join(10)
    assert status == 413 and cab["connection"] == "close"
    assert _erro(corpo)[0] == "CON-TAMANHO"
    assert time.monotonic() - inicio < 3
    assert enviados[0] < 16 * MIB
    lidos = srv.app.state.contador.bytes_lidos - antes
    assert 16 * 1024 < lidos < MIB  # passou do limite e parou ali


def test_envio_de_documento_tem_o_limite_do_servidor(srv: Srv) -> None:
    """A entrada aceita só 16 KiB; o envio de documento (PUT), o ``--limite-mb``."""
    ficha = srv.ficha("pref@m.br")
    medio = json.dumps({"x": "a" * 20_000}).encode()  # 20 KB: mais que a entrada aceita
    r = httpx.post(f"{srv.url}/api/v1/sessao", content=medio,
                   headers={"Content-Type": "application/json"})  # fmt: skip
    assert r.status_code == 413
    r = httpx.put(f"{srv.url}/api/v1/orcamentos/{PREF.cnpj}/2026", content=medio,
                  headers={"Authorization": f"Bearer {ficha}"})  # fmt: skip
    assert r.status_code == 422 and _erro(r.json())[0] != "CON-TAMANHO"  # passou do limite
    with socket.create_connection(("127.0.0.1", srv.porta), timeout=5) as s:
        s.sendall(
            _cabecalho("PUT", f"/api/v1/orcamentos/{PREF.cnpj}/2026",
                       f"Authorization: Bearer {ficha}", f"Content-Length: {64 * MIB}")
        )  # fmt: skip
        status, cab, corpo = _resposta(s)
    assert status == 413 and cab["connection"] == "close"
    assert _erro(corpo) == ("CON-TAMANHO", f"documento maior que o limite de {LIMITE_ENVIO} bytes")


# --------------------------------------------------------- corpo lento
def test_corpo_que_para_no_meio_recebe_408(srv: Srv) -> None:
    for caminho, extra in (
        ("/api/v1/sessao", ()),
        (f"/api/v1/orcamentos/{PREF.cnpj}/2026", (f"Authorization: Bearer {srv.ficha('pref@m.br')}",)),
    ):  # fmt: skip
        metodo = "POST" if caminho.endswith("sessao") else "PUT"
        inicio = time.monotonic()
        with socket.create_connection(("127.0.0.1", srv.porta), timeout=5) as s:
            s.sendall(_cabecalho(metodo, caminho, "Content-Length: 100", *extra) + b'{"email"')
            status, cab, corpo = _resposta(s)  # e o cliente não manda mais nada
            assert _fechada(s)
        decorrido = time.monotonic() - inicio
        assert status == 408 and cab["connection"] == "close", caminho
        assert _erro(corpo) == (
            "CON-TEMPO",
            f"o corpo do pedido não chegou a tempo ({TEMPO_OCIOSO:g} s sem receber dados); "
            "envie de novo",
        )
        assert TEMPO_OCIOSO * 0.9 < decorrido < TEMPO_OCIOSO + 2


def test_corpo_que_goteja_recebe_408_no_prazo_total(srv: Srv) -> None:
    """Um byte a cada 0,1 s nunca fica ocioso, mas o corpo inteiro tem prazo; o
    envio gotejado não grava nada."""
    antes = srv.envios()
    ficha = srv.ficha("camara@m.br")
    inicio = time.monotonic()
    with socket.create_connection(("127.0.0.1", srv.porta), timeout=5) as s:
        s.sendall(
            _cabecalho("PUT", f"/api/v1/balancetes/{CAM.cnpj}/2026/1",
                       f"Authorization: Bearer {ficha}", "Transfer-Encoding: chunked")
        )  # fmt: skip
        parar = threading.Event()

        def gotejar() -> None:
            try:
                while not parar.wait(0.1):
                    s.sendall(b"1\r\n{\r\n")
            except OSError:
                pass

        fio = threading.Thread(target=gotejar)
        fio.start()
        try:
            status, cab, corpo = _resposta(s)
        finally:
            parar.set()
            fio.join(5)
    decorrido = time.monotonic() - inicio
    assert status == 408 and cab["connection"] == "close"
    assert _erro(corpo) == (
        "CON-TEMPO",
        f"o corpo do pedido não chegou a tempo (o corpo inteiro deve chegar em {TEMPO_CORPO:g} s); "
        "envie de novo",
    )
    assert TEMPO_CORPO * 0.9 < decorrido < TEMPO_CORPO + 2
    assert srv.envios() == antes


# ------------------------------------------------ caminho e JSON hostis
@pytest.mark.parametrize(
    ("metodo", "caminho", "regra", "mensagem"),
    [
        ("GET", f"/situacao/{IBGE}/99999999999999999999", "CON-PERIODO",
         "ano 99999999999999999999 inválido: use o exercício, de 1901 a 2999"),
        ("GET", f"/situacao/{IBGE}/-2026", "CON-PERIODO",
         "ano -2026 inválido: use o exercício, de 1901 a 2999"),
        ("GET", f"/situacao/{IBGE}/" + "9" * 5000, "CON-PERIODO",
         "ano 999999999999999999999999… inválido: use o exercício, de 1901 a 2999"),
        ("POST", f"/competencias/{IBGE}/99999999999999999999", "CON-PERIODO",
         "ano 99999999999999999999 inválido: use o exercício, de 1901 a 2999"),
        ("GET", f"/historico/{CAM.cnpj}/2026/99999999999999999999", "CON-PERIODO",
         "mês 99999999999999999999 inválido: use 1 a 12, 13 (encerramento) ou 0 (orçamento)"),
        ("GET", f"/historico/{CAM.cnpj}/2026/-1", "CON-PERIODO",
         "mês -1 inválido: use 1 a 12, 13 (encerramento) ou 0 (orçamento)"),
        ("GET", f"/balancetes/{CAM.cnpj}/2026/14", "CON-PERIODO",
         "mês 14 inválido: use 1 a 12, 13 (encerramento) ou 0 (orçamento)"),
        ("PUT", f"/balancetes/{CAM.cnpj}/99999999999999999999/1", "CON-PERIODO",
         "ano 99999999999999999999 inválido: use o exercício, de 1901 a 2999"),
        ("GET", "/historico/12345/2026/1", "CON-ENTIDADE",
         "CNPJ '12345' inválido: use os 14 dígitos"),
        ("GET", "/situacao/43%0012658/2026", "CON-ENTIDADE",
         "código IBGE '43\\x0012658' inválido: use os 7 dígitos"),
        ("PUT", f"/orcamentos/{PREF.cnpj}/2026?versao_anterior=-1", "CON-PEDIDO",
         "versao_anterior '-1' inválida: use o número da versão vigente (0 se ainda não há)"),
        ("PUT", f"/orcamentos/{PREF.cnpj}/2026?versao_anterior=" + "9" * 5000, "CON-PEDIDO",
         "versao_anterior '999999999999999999999999…' inválida: use o número da versão "
         "vigente (0 se ainda não há)"),
    ],
)  # fmt: skip
def test_caminho_fora_de_faixa_e_422_nunca_500(
    srv: Srv, metodo: str, caminho: str, regra: str, mensagem: str
) -> None:
    ficha = srv.ficha("pref@m.br")
    r = httpx.request(metodo, f"{srv.url}/api/v1{caminho}", content=b"{}" if metodo == "PUT" else None,
                      headers={"Authorization": f"Bearer {ficha}"})  # fmt: skip
    assert r.status_code == 422, r.text
    assert _erro(r.json()) == (regra, mensagem)


def _aninhado(niveis: int) -> bytes:
    return b'{"email": "a@m.br", "senha": "x", "z": ' + b"[" * niveis + b"]" * niveis + b"}"


DIGITOS = b'{"email": "a@m.br", "senha": "x", "z": ' + b"7" * 5000 + b"}"
ANINHADO_DEMAIS = ("CON-JSON", "JSON aninhado demais (listas ou objetos em centenas de níveis)")
DIGITOS_DEMAIS = ("CON-JSON", "número inteiro com dígitos demais no JSON (o limite é 4300)")


def test_json_hostil_na_entrada(srv: Srv) -> None:
    casos = [
        (DIGITOS, 422, DIGITOS_DEMAIS),
        (_aninhado(5_000), 422, ANINHADO_DEMAIS),  # 10 KB: cabe no limite da entrada
        (_aninhado(100_000), 413, ("CON-TAMANHO", "pedido maior que o limite de 16384 bytes")),
        (json.dumps({"email": "a\x00b@m.br", "senha": "x"}).encode(), 422,
         ("CON-PEDIDO", "caractere nulo (U+0000) num texto do pedido")),
    ]  # fmt: skip
    with httpx.Client(base_url=srv.url) as c:
        for corpo, status, erro in casos:
            r = c.post(
                "/api/v1/sessao", content=corpo, headers={"Content-Type": "application/json"}
            )
            assert (r.status_code, _erro(r.json())) == (status, erro)
        r = c.post("/api/v1/sessao", json={"email": "pref@m.br", "senha": SENHA})
        assert r.status_code == 200  # e a entrada segue funcionando


def test_json_hostil_nos_envios_nao_grava_nada(srv: Srv) -> None:
    antes = srv.envios()
    fichas = {"pref": srv.ficha("pref@m.br"), "camara": srv.ficha("camara@m.br")}
    fundo = b"[" * 100_000 + b"]" * 100_000  # 200 KB, dentro do limite de envio
    casos = [
        ("pref", f"/orcamentos/{PREF.cnpj}/2026", b'{"formato": ' + fundo + b"}", ANINHADO_DEMAIS),
        ("pref", f"/orcamentos/{PREF.cnpj}/2026", b'{"ano": ' + b"9" * 5000 + b"}", DIGITOS_DEMAIS),
        ("camara", f"/balancetes/{CAM.cnpj}/2026/1", b'{"linhas": ' + fundo + b"}", ANINHADO_DEMAIS),
        ("camara", f"/balancetes/{CAM.cnpj}/2026/1", b'{"mes": ' + b"1" * 5000 + b"}", DIGITOS_DEMAIS),
    ]  # fmt: skip
    for quem, caminho, corpo, erro in casos:
        r = httpx.put(f"{srv.url}/api/v1{caminho}", content=corpo,
                      headers={"Authorization": f"Bearer {fichas[quem]}"})  # fmt: skip
        assert (r.status_code, _erro(r.json())) == (422, erro), caminho
    assert srv.envios() == antes


def test_recusas_do_http_em_portugues(srv: Srv) -> None:
    r = httpx.get(f"{srv.url}/api/v1/nada")
    assert r.status_code == 404
    assert _erro(r.json()) == (
        "CON-PEDIDO",
        "caminho não encontrado no servidor: confira o endereço (e o prefixo, se houver)",
    )
    r = httpx.delete(f"{srv.url}/api/v1/sessao")
    assert (r.status_code, _erro(r.json())[1]) == (405, "método não permitido neste caminho")


# --------------------------------------------------------------- saúde
def test_saude_sem_autenticacao(srv: Srv) -> None:
    r = httpx.get(f"{srv.url}/api/v1/saude")
    assert r.status_code == 200 and r.json() == {"situacao": "ok"}
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_saude_503_sem_banco_ou_com_esquema_antigo(tipo: str, tmp_path: Path) -> None:
    with banco_servidor(tipo, tmp_path) as url:
        app = criar_app(_cfg(url))
        engine = app.state.engine
        with TestClient(app) as c:
            assert c.get("/api/v1/saude").status_code == 200
            with engine.begin() as con:  # banco restaurado de um backup antigo, sem migrar
                con.execute(text(f"UPDATE {TABELA_VERSAO} SET version_num = '0001'"))
            r = c.get("/api/v1/saude")
            assert r.status_code == 503
            assert r.json()["erros"][0] == {
                "regra": "CON-INDISPONIVEL",
                "mensagem": f"banco do servidor na revisão 0001, esperada {revisao_mais_nova()}: "
                "rode erario servidor migrar",
                "campo": None, "linha": None,
            }  # fmt: skip
            quebrado = (
                f"sqlite:///{tmp_path / 'sem-pasta' / 'x.db'}" if tipo == "sqlite"
                else "postgresql+psycopg://erario:senha-secreta@127.0.0.1:1/servidor"
            )  # fmt: skip
            app.state.engine = criar_engine(quebrado)  # banco fora do ar
            r = c.get("/api/v1/saude")
            assert r.status_code == 503
            assert r.json()["situacao"] == "indisponivel"
            assert _erro(r.json()) == ("CON-INDISPONIVEL", "banco do servidor inacessível")
            assert "senha-secreta" not in r.text and "127.0.0.1:1" not in r.text
        app.state.engine.dispose()
        engine.dispose()


def test_saude_com_banco_pendurado_responde_no_prazo_e_prende_uma_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Banco que não responde (conexão pendurada): 503 no prazo, e as sondagens
    seguintes esperam a mesma conferência em vez de prender uma thread cada."""
    from erario.api import robustez

    solta = threading.Event()
    chamadas: list[int] = []

    def pendurado(_engine: Engine) -> str | None:
        chamadas.append(1)
        solta.wait(10)
        return None

    monkeypatch.setattr(robustez, "TEMPO_SAUDE", 0.2)
    monkeypatch.setattr(robustez, "_conferir_banco", pendurado)
    app = criar_app(_cfg(f"sqlite:///{tmp_path / 'servidor.db'}"))
    with TestClient(app) as c:
        for _ in range(3):
            r = c.get("/api/v1/saude")
            assert r.status_code == 503
            assert _erro(r.json()) == (
                "CON-INDISPONIVEL",
                "banco do servidor não respondeu em 0.2 s",
            )
        assert chamadas == [1]
        solta.set()
        time.sleep(0.1)
        assert c.get("/api/v1/saude").json() == {"situacao": "ok"}
    app.state.engine.dispose()


# -------------------------------------------------------------- prefixo
def test_prefixo_atras_do_proxy(srv: Srv) -> None:
    app = criar_app(srv.cfg._replace(prefixo="/erario"))
    try:
        with _no_ar(app) as (base, _porta):
            with Cliente(base + "/erario", "pref@m.br", SENHA) as c:  # --servidor com o prefixo
                assert c.situacao(IBGE, 2026)["competencias"] == list(range(1, 14))
            assert httpx.get(f"{base}/erario/api/v1/saude").json() == {"situacao": "ok"}
            r = httpx.get(f"{base}/api/v1/saude")
            assert r.status_code == 404
            assert _erro(r.json()) == (
                "CON-PEDIDO",
                "caminho fora do prefixo /erario do servidor: confira o endereço",
            )
            assert "/erario/openapi.json" in httpx.get(f"{base}/erario/docs").text
            api = httpx.get(f"{base}/erario/openapi.json").json()
            assert "/api/v1/sessao" in api["paths"] and api["servers"] == [{"url": "/erario"}]
            # sem o prefixo: recusa clara
            with pytest.raises(OperacaoRecusada) as exc, Cliente(base, "pref@m.br", SENHA) as c:
                c.entrar()
            assert exc.value.erros[0].regra == "CON-PEDIDO"
    finally:
        app.state.engine.dispose()


# ------------------------------------------------------------- migrações
def _povoar_antigo(engine: Engine) -> bytes:
    """O banco como o servidor de antes das migrações deixava (create_all), com
    uma entidade, um usuário e um balancete enviado."""
    _versao_0001().esquema_inicial().create_all(engine)
    doc = b'{"formato": "erario-balancete", "documento": "de antes das migracoes"}'
    with engine.begin() as con:
        eid = con.execute(insert(te.entidade).values(
            cnpj=CAM.cnpj, slug="camara", nome="Câmara", tipo="camara", ibge=IBGE,
        ).returning(te.entidade.c.id)).scalar_one()  # fmt: skip
        con.execute(text("INSERT INTO usuario (email, senha_hash, ativo) VALUES (:e, :h, :a)"),
                    {"e": "camara@m.br", "h": hash_senha(SENHA), "a": True})  # fmt: skip
        uid = con.execute(text("SELECT id FROM usuario")).scalar_one()
        con.execute(insert(te.vinculo).values(usuario_id=uid, entidade_id=eid))
        con.execute(text(
            "INSERT INTO envio (entidade_id, tipo, ano, mes, versao, checksum, tamanho, dados, "
            "usuario_id, recebido_em) VALUES (:e, 'balancete', 2026, 1, 1, 'sha256:x', :t, :d, "
            ":u, :r)"), {"e": eid, "t": len(doc), "d": doc, "u": uid, "r": "2026-02-01 10:00:00"},
        )  # fmt: skip
        con.execute(
            text("INSERT INTO falha_login (chave, falhas, liberado_em) VALUES ('ip:x', 2, 0)")
        )
    return doc


@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_banco_criado_antes_das_migracoes_e_atualizado_sem_perdas(
    tipo: str, tmp_path: Path
) -> None:
    with banco_servidor(tipo, tmp_path) as url:
        antigo = criar_engine(url)
        doc = _povoar_antigo(antigo)
        assert revisao_no_banco(antigo) is None
        r = runner.invoke(cli_app, ["servidor", "migrar", "--url", url])
        assert r.exit_code == 0, r.output
        assert f"migrado de sem versão para a revisão {revisao_mais_nova()}" in r.output
        r = runner.invoke(cli_app, ["servidor", "migrar", "--url", url])
        assert f"já na revisão {revisao_mais_nova()}; nada a migrar" in r.output
        assert revisao_no_banco(antigo) == revisao_mais_nova()
        with antigo.connect() as con:
            assert con.execute(select(te.falha_login.c.falhas)).scalar_one() == 2
            assert con.execute(select(te.usuario.c.email)).scalars().all() == ["camara@m.br"]
        app = criar_app(_cfg(url))
        with TestClient(app) as c:
            ficha = c.post("/api/v1/sessao", json={"email": "camara@m.br", "senha": SENHA})
            assert ficha.status_code == 200, ficha.text
            r2 = c.get(f"/api/v1/balancetes/{CAM.cnpj}/2026/1",
                       headers={"Authorization": f"Bearer {ficha.json()['ficha']}"})  # fmt: skip
            assert r2.status_code == 200 and r2.content == doc and r2.headers["x-versao"] == "1"
        app.state.engine.dispose()
        antigo.dispose()


@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_migracoes_produzem_o_esquema_do_servidor(tipo: str, tmp_path: Path) -> None:
    """Banco novo migrado = ``erario.api.esquema`` (quem muda o esquema escreve a
    migração), com a tabela de versão própria, separada da do banco do erario."""
    with banco_servidor(tipo, tmp_path) as url:
        engine = preparar_banco(url)
        with engine.connect() as con:
            contexto = MigrationContext.configure(con, opts={"version_table": TABELA_VERSAO})
            assert compare_metadata(contexto, te.metadata) == []
        tabelas = set(inspect(engine).get_table_names())
        assert TABELA_VERSAO in tabelas and "alembic_version" not in tabelas
        assert revisao_no_banco(engine) == revisao_mais_nova()
        engine.dispose()


@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_processos_que_partem_juntos_migram_um_de_cada_vez(tipo: str, tmp_path: Path) -> None:
    """Três ``erario servidor migrar`` ao mesmo tempo num banco novo (como
    processos do servidor partindo juntos): um migra, os outros esperam e acham o
    banco pronto; nenhum "database is locked"."""
    erario = Path(sys.executable).parent / "erario"
    if not erario.exists():
        pytest.skip("precisa do comando erario instalado no ambiente")
    with banco_servidor(tipo, tmp_path) as url:
        processos = [
            subprocess.Popen([str(erario), "servidor", "migrar", "--url", url],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(3)
        ]  # fmt: skip
        saidas = [(p.wait(60), p.communicate()[0]) for p in processos]
        assert [rc for rc, _ in saidas] == [0] * 3, saidas
        migrou = [s for _, s in saidas if "migrado de sem versão" in s]
        assert len(migrou) == 1, saidas
        engine = criar_engine(url)
        assert revisao_no_banco(engine) == revisao_mais_nova()
        engine.dispose()


# ------------------------------------------------------------- backup
def _gravar(engine: Engine, versao: int, dados: bytes) -> None:
    """Um envio do balancete 01/2026 da Câmara direto no banco do servidor."""
    with engine.begin() as con:
        eid = con.execute(select(te.entidade.c.id).where(te.entidade.c.cnpj == CAM.cnpj)).scalar()
        uid = con.execute(
            select(te.usuario.c.id).where(te.usuario.c.email == "camara@m.br")
        ).scalar()
        con.execute(insert(te.envio).values(
            entidade_id=eid, tipo="balancete", ano=2026, mes=1, versao=versao,
            checksum=f"sha256:{versao}", tamanho=len(dados), dados=dados, usuario_id=uid,
            recebido_em=func.now(),
        ))  # fmt: skip


def _baixar(c: TestClient) -> tuple[str, bytes]:
    """O balancete 01/2026 da Câmara, como a Prefeitura o baixa: (versão, bytes)."""
    ficha = c.post("/api/v1/sessao", json={"email": "pref@m.br", "senha": SENHA}).json()["ficha"]
    r = c.get(f"/api/v1/balancetes/{CAM.cnpj}/2026/1", headers={"Authorization": f"Bearer {ficha}"})
    return r.headers["x-versao"], r.content


def test_backup_e_restauracao_do_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'servidor.db'}"
    engine = preparar_banco(url)
    cadastrar_municipio(Admin(engine))
    doc_v1 = b'{"documento": "versao 1"}'
    app = criar_app(_cfg(url))
    copia = tmp_path / "copia.db"
    with TestClient(app) as c:  # servidor no ar durante o backup
        _gravar(engine, 1, doc_v1)
        assert _baixar(c) == ("1", doc_v1)
        r = runner.invoke(cli_app, ["servidor", "backup", str(copia), "--url", url])
        assert r.exit_code == 0, r.output
        assert f"Backup do banco do servidor em {copia}" in r.output
        _gravar(engine, 2, b'{"documento": "versao 2, depois do backup"}')
        r = runner.invoke(cli_app, ["servidor", "backup", str(copia), "--url", url])
        assert r.exit_code == 1 and "CON-BACKUP" in r.output and "já existe" in r.output
    app.state.engine.dispose()
    engine.dispose()
    # Restaurar no lugar (servidor parado) pede --substituir: o banco tem envios.
    r = runner.invoke(cli_app, ["servidor", "restaurar", str(copia), "--url", url])
    assert r.exit_code == 1 and "repita com --substituir" in r.output
    r = runner.invoke(cli_app, ["servidor", "restaurar", str(copia), "--url", url, "--substituir"])
    assert r.exit_code == 0, r.output
    # E num servidor novo, noutra máquina: o mesmo documento servido.
    outro = f"sqlite:///{tmp_path / 'nova' / 'servidor.db'}"
    (tmp_path / "nova").mkdir()
    r = runner.invoke(cli_app, ["servidor", "restaurar", str(copia), "--url", outro])
    assert r.exit_code == 0, r.output
    assert f"restaurado no banco do servidor (revisão {revisao_mais_nova()})" in r.output
    for destino in (url, outro):
        app = criar_app(_cfg(destino))
        with TestClient(app) as c:
            assert _baixar(c) == ("1", doc_v1)
        app.state.engine.dispose()
    r = runner.invoke(cli_app, ["servidor", "backup", str(tmp_path / "x.db"), "--url",
                                "postgresql://erario@127.0.0.1/servidor"])  # fmt: skip
    assert r.exit_code == 1 and "no PostgreSQL use pg_dump e pg_restore" in r.output
    (tmp_path / "lixo.db").write_bytes(b"isto nao e um banco SQLite" * 100)
    r = runner.invoke(cli_app, ["servidor", "restaurar", str(tmp_path / "lixo.db"), "--url",
                                f"sqlite:///{tmp_path / 'z.db'}"])  # fmt: skip
    assert r.exit_code == 1 and "não é um banco SQLite legível" in r.output


@pytest.mark.skipif(
    not PG_URL or shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="precisa de ERARIO_TEST_POSTGRES_URL e de pg_dump/pg_restore",
)
def test_backup_e_restauracao_do_postgresql_com_pg_dump(tmp_path: Path) -> None:
    """O procedimento de docs/consolidacao.md: pg_dump em formato custom e
    pg_restore num banco novo; o servidor sobre o banco restaurado serve o mesmo."""
    assert PG_URL
    libpq = make_url(PG_URL).set(drivername="postgresql")
    novo = f"srv_restaurado_{uuid.uuid4().hex[:10]}"
    arquivo = tmp_path / "servidor.dump"
    doc = b'{"documento": "antes do backup"}'
    with banco_servidor("postgresql", tmp_path) as url:
        esquema = url.rsplit("%3D", 1)[1]  # o esquema descartável do teste
        engine = preparar_banco(url)
        cadastrar_municipio(Admin(engine))
        _gravar(engine, 1, doc)
        engine.dispose()
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--schema={esquema}",
             f"--file={arquivo}", libpq.render_as_string(hide_password=False)],
            check=True, capture_output=True,
        )  # fmt: skip
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f"CREATE DATABASE {novo}"))
    try:
        destino = libpq.set(database=novo).render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={destino}", str(arquivo)],
                       check=True, capture_output=True)  # fmt: skip
        url_novo = f"{make_url(PG_URL).set(database=novo).render_as_string(hide_password=False)}" \
            f"?options=-csearch_path%3D{esquema}"  # fmt: skip
        app = criar_app(_cfg(url_novo))
        with TestClient(app) as c:
            assert _baixar(c) == ("1", doc)
        app.state.engine.dispose()
    finally:
        with admin.connect() as con:
            con.execute(text(f"DROP DATABASE IF EXISTS {novo} WITH (FORCE)"))
        admin.dispose()


def test_script_de_backup_no_sqlite(tmp_path: Path) -> None:
    """deploy/backup-servidor.sh com o banco SQLite: a cópia datada, restaurável."""
    erario = Path(sys.executable).parent / "erario"
    if not erario.exists() or shutil.which("sh") is None:
        pytest.skip("precisa do comando erario instalado no ambiente e de sh")
    url = f"sqlite:///{tmp_path / 'servidor.db'}"
    engine = preparar_banco(url)
    cadastrar_municipio(Admin(engine))
    _gravar(engine, 1, b'{"documento": "do script"}')
    engine.dispose()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ERARIO_SERVIDOR_DB": url,
           "ERARIO_BACKUP_DESTINO": str(tmp_path / "backups"), "ERARIO_BIN": str(erario)}  # fmt: skip
    r = subprocess.run(["sh", str(DEPLOY / "backup-servidor.sh")], env=env, capture_output=True,
                       text=True, check=False)  # fmt: skip
    assert r.returncode == 0, r.stderr
    (copia,) = (tmp_path / "backups").glob("servidor-*.db")
    restaurado = f"sqlite:///{tmp_path / 'restaurado.db'}"
    assert (
        runner.invoke(cli_app, ["servidor", "restaurar", str(copia), "--url", restaurado]).exit_code
        == 0
    )
    app = criar_app(_cfg(restaurado))
    with TestClient(app) as c:
        assert _baixar(c) == ("1", b'{"documento": "do script"}')
    app.state.engine.dispose()


# ------------------------------------------------------ arquivos de produção
def _opcoes(*caminho: str) -> tuple[set[str], set[str]]:
    """Opções e variáveis de ambiente de um comando do erario (``servidor iniciar``)."""
    comando: Any = typer.main.get_command(cli_app)
    for nome in caminho:
        comando = comando.commands[nome]
    opcoes = {o for p in comando.params for o in p.opts}
    envs = {
        e
        for p in comando.params
        for e in ([p.envvar] if isinstance(p.envvar, str) else p.envvar or [])
    }
    return opcoes, envs


def test_arquivos_de_producao_conferem_com_os_comandos() -> None:
    """deploy/: cada opção de ``erario servidor iniciar`` citada existe, as variáveis
    de ambiente são as que o comando lê, e o proxy passa o X-Forwarded-For."""
    opcoes, envs = _opcoes("servidor", "iniciar")
    assert {"--prefixo", "--tempo-corpo", "--tempo-ocioso", "--proxies-confiaveis"} <= opcoes
    citadas: set[str] = set()
    for arquivo in sorted(DEPLOY.iterdir()):
        texto = arquivo.read_text()
        for linha in re.findall(r"servidor iniciar([^\n]*)", texto):
            citadas |= set(re.findall(r"--[a-z][a-z-]+", linha))
        for cmd in re.findall(r"^CMD (\[.*\])$", texto, re.M):
            citadas |= {x for x in json.loads(cmd) if x.startswith("--")}
    assert citadas and citadas <= opcoes, citadas - opcoes
    texto = "".join(
        (DEPLOY / f).read_text()
        for f in ("Containerfile", "erario-servidor.service", "servidor.env.exemplo")
    )
    usadas = set(re.findall(r"\b(ERARIO_SERVIDOR_[A-Z_]+)=", texto))
    assert usadas <= envs | {"ERARIO_SERVIDOR_SEGREDO"}, usadas - envs
    for comando in ("migrar", "backup", "restaurar"):
        assert comando in typer.main.get_command(cli_app).commands["servidor"].commands  # type: ignore[attr-defined]
    nginx = (DEPLOY / "nginx-erario.conf").read_text()
    assert "proxy_set_header X-Forwarded-For" in nginx and "ssl_certificate" in nginx
    assert "--proxies-confiaveis 127.0.0.1" in nginx
    assert "USER erario" in (DEPLOY / "Containerfile").read_text()
    assert (
        subprocess.run(["sh", "-n", str(DEPLOY / "backup-servidor.sh")], check=False).returncode
        == 0
    )


# ------------------------------------------------- cliente: http sem TLS
@pytest.mark.parametrize(
    ("url", "seguro"),
    [
        ("http://127.0.0.1:8765", True), ("http://127.8.9.10", True), ("http://[::1]:8765", True),
        ("http://localhost:8765/erario", True), ("https://dados.exemplo.gov.br", True),
        ("http://dados.exemplo.gov.br", False), ("http://10.0.0.5:8765", False),
        ("http://[2001:db8::1]:8765", False),
    ],
)  # fmt: skip
def test_http_sem_tls_fora_do_loopback(url: str, seguro: bool) -> None:
    assert (aviso_http(url) is None) == seguro


def test_cliente_recusa_mandar_senha_por_http_sem_aceitar() -> None:
    pedidos: list[httpx.Request] = []

    def responder(pedido: httpx.Request) -> httpx.Response:
        pedidos.append(pedido)
        return httpx.Response(200, json={"ficha": "f", "expira_em": "", "entidades": []})

    url = "http://dados.exemplo.gov.br:8765"
    transporte = httpx.MockTransport(responder)
    with (
        Cliente(url, "pref@m.br", SENHA, transporte=transporte) as c,
        pytest.raises(OperacaoRecusada) as exc,
    ):
        c.entrar()
    assert exc.value.erros[0].regra == "CON-HTTP" and pedidos == []  # a senha não saiu
    with Cliente(url, "pref@m.br", SENHA, transporte=httpx.MockTransport(responder),
                 aceitar_http=True) as c:  # fmt: skip
        c.entrar()
    assert [p.url.path for p in pedidos] == ["/api/v1/sessao"]


@pytest.fixture
def banco_local(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'erario.db'}"
    engine = criar_engine(db)
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    plano, erros = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert plano is not None, erros
    repo.gravar_plano(plano)
    repo.criar_entidade(PREF)
    engine.dispose()
    return db


def test_comando_recusa_http_e_aceita_com_aviso(
    banco_local: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    servidor = "http://dados.exemplo.gov.br:8765"
    args = ["--db", banco_local, "consolidacao", "situacao", "prefeitura", "--ano", "2026",
            "--servidor", servidor, "--email", "pref@m.br"]  # fmt: skip
    # Sem --aceitar-http: recusa antes de pedir a senha (nada digitado, nada enviado).
    r = runner.invoke(cli_app, args)
    assert r.exit_code == 1, r.output
    assert "[CON-HTTP] o servidor http://dados.exemplo.gov.br:8765 usa http:// sem TLS" in r.output
    assert "Senha" not in r.output
    # Com --aceitar-http (ou ERARIO_ACEITAR_HTTP=1): avisa e manda.
    enviados: list[str] = []

    def transporte(self: httpx.HTTPTransport, pedido: httpx.Request) -> httpx.Response:
        enviados.append(str(pedido.url))
        return httpx.Response(401, json={"erros": [{"regra": "CON-SENHA",
                                                     "mensagem": "e-mail ou senha não conferem"}]})  # fmt: skip

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", transporte)
    for extra, env in ((["--aceitar-http"], {}), ([], {"ERARIO_ACEITAR_HTTP": "1"})):
        a = args[:3] + extra + args[3:] + ["--senha", "qualquer-uma"]
        r = runner.invoke(cli_app, a, env=env)
        assert r.exit_code == 1, r.output
        assert "Aviso: o servidor http://dados.exemplo.gov.br:8765 usa http:// sem TLS" in r.output
        assert "CON-SENHA" in r.output  # o pedido foi feito, depois do aviso
    assert enviados == [f"{servidor}/api/v1/sessao"] * 2
