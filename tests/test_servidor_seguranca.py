"""Segurança do servidor de dados on-line: um teste por ataque (docs/consolidacao.md,
"Segurança do servidor"), no SQLite e, com ``ERARIO_TEST_POSTGRES_URL``, no
PostgreSQL.

Onde importa a simultaneidade (freio atômico, limite de conferências de senha,
X-Forwarded-For, log de acesso), o servidor real (uvicorn) no loopback; no resto,
o ``TestClient`` com relógio injetado (nada de ``sleep``). O argon2 dos testes é
barato (mesmo algoritmo, parâmetros mínimos): o que se testa é o mecanismo.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select
from typer.testing import CliRunner

from erario.api import esquema as te
from erario.api import seguranca
from erario.api.seguranca import Fichas, FreioLogin, Politica
from erario.api.servidor import Admin, Config, criar_app, preparar_banco
from erario.cli.app import app as cli_app
from erario.core.erros import OperacaoRecusada
from tests.apoio_servidor import (
    BANCOS_SERVIDOR,
    CAM,
    IBGE,
    LIMITE,
    PREF,
    RPPS,
    SEGREDO,
    SENHA,
    ambiente_no_ar,
    banco_servidor,
    cadastrar_municipio,
)

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("tela_larga", "argon2_barato")

SESSAO = "/api/v1/sessao"
MSG_SENHA = "e-mail ou senha não conferem"
MSG_FICHA = "ficha de acesso ausente, inválida ou vencida: entre de novo"
MSG_REVOGADA = "ficha de acesso revogada (senha trocada ou usuário desativado): entre de novo"
MSG_OCUPADO = "servidor ocupado conferindo outras entradas: tente de novo em instantes"


def _aguarde(segundos: int) -> str:
    return f"muitas tentativas de entrada falhas: aguarde {segundos} s e tente de novo"


@pytest.fixture
def argon2_barato(monkeypatch: pytest.MonkeyPatch) -> None:
    barato = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(seguranca, "_HASHER", barato)
    monkeypatch.setattr(seguranca, "_HASH_FICTICIO", barato.hash("ficticia-123"))


class Relogio:
    """Relógio injetado (segundos da época), avançado à mão."""

    def __init__(self) -> None:
        self.agora = 1_800_000_000.0

    def __call__(self) -> float:
        return self.agora

    def avancar(self, segundos: float) -> None:
        self.agora += segundos


class Municipio(NamedTuple):
    banco: str  # URL do banco do servidor
    pasta: Path
    admin: Admin


@pytest.fixture(params=BANCOS_SERVIDOR)
def municipio(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Municipio]:
    """Banco do servidor (SQLite ou PostgreSQL) com o município de teste cadastrado."""
    with banco_servidor(request.param, tmp_path) as url:
        engine = preparar_banco(url)
        admin = Admin(engine)
        cadastrar_municipio(admin)
        try:
            yield Municipio(url, tmp_path, admin)
        finally:
            engine.dispose()


def _cliente(m: Municipio, endereco: str = "testclient", **config: Any) -> TestClient:
    cfg = {"segredo": SEGREDO, "limite_bytes": LIMITE} | config
    return TestClient(criar_app(Config(url=m.banco, **cfg)), client=(endereco, 50000))


def _entrar(c: TestClient | httpx.Client, email: str, senha: str = SENHA, **kw: Any) -> Any:
    return c.post(SESSAO, json={"email": email, "senha": senha}, **kw)


def _erro(r: Any) -> tuple[int, str, str]:
    e = r.json()["erros"][0]
    return r.status_code, e["regra"], e["mensagem"]


def _bearer(ficha: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ficha}"}


def _falhas(engine: Engine) -> dict[str, int]:
    with engine.connect() as con:
        return dict(con.execute(select(te.falha_login.c.chave, te.falha_login.c.falhas)).all())


def _erario(*args: str) -> Any:
    return runner.invoke(cli_app, list(args))


# ------------------------------------------------------------ freio atômico
@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_logins_errados_simultaneos_nao_passam_do_limite(tipo: str, tmp_path: Path) -> None:
    """16 logins errados ao mesmo tempo no mesmo e-mail (HTTP real): antes, 401 e
    500 ("database is locked" / UniqueViolation) e nenhum 429. Agora a tentativa
    conta antes de conferir a senha, numa transação com trava: só as 3 livres e
    a 4ª (que arma a espera) conferem a senha; as outras 12 recebem 429."""
    with ambiente_no_ar(tipo, tmp_path, freio_base=60.0) as a:
        barreira = threading.Barrier(16)

        def tentar(i: int) -> httpx.Response:
            with httpx.Client(base_url=a.url, timeout=30) as c:
                barreira.wait()
                return _entrar(c, "bruto@m.br", f"chute-{i:04d}")

        fios: list[httpx.Response] = []
        ts = [threading.Thread(target=lambda i=i: fios.append(tentar(i))) for i in range(16)]
        for x in ts:
            x.start()
        for x in ts:
            x.join(60)
        assert Counter(r.status_code for r in fios) == {401: 4, 429: 12}
        for r in fios:
            assert _erro(r) in {
                (401, "CON-SENHA", MSG_SENHA),
                (429, "CON-TENTATIVAS", _aguarde(60)),
            }
        falhas = _falhas(a.admin.engine)
        assert falhas == {"e:bruto@m.br": 4, "ip:127.0.0.1": 4}  # = senhas conferidas
        logins = a.admin.auditoria(acao="login")
        assert [(x.resultado, x.email, x.endereco, x.detalhe) for x in logins] == [
            ("falha", "bruto@m.br", "127.0.0.1", "senha errada")
        ] * 4


# --------------------------------------------------- conferências de senha
@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_conferencias_de_senha_simultaneas_limitadas(tipo: str, tmp_path: Path) -> None:
    """12 logins ao mesmo tempo (antes: 12 argon2 juntos, 845 MiB de pico): o gancho,
    chamado dentro do limite, nunca vê mais de 2 conferências ao mesmo tempo."""
    trava, ativas, pico = threading.Lock(), [0], [0]

    def gancho() -> None:
        with trava:
            ativas[0] += 1
            pico[0] = max(pico[0], ativas[0])
        time.sleep(0.05)
        with trava:
            ativas[0] -= 1

    with ambiente_no_ar(tipo, tmp_path, gancho_conferencia=gancho) as a:
        emails = ["pref@m.br", "camara@m.br", "rpps@m.br", "vizinha@m.br"] * 3
        barreira = threading.Barrier(len(emails))
        status: list[int] = []

        def entrar(email: str) -> None:
            with httpx.Client(base_url=a.url, timeout=30) as c:
                barreira.wait()
                status.append(_entrar(c, email).status_code)

        ts = [threading.Thread(target=entrar, args=(e,)) for e in emails]
        for x in ts:
            x.start()
        for x in ts:
            x.join(60)
        assert status == [200] * 12
        assert pico[0] == 2  # houve simultaneidade, e o limite a segurou em 2


@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_fila_de_conferencias_cheia_responde_503_e_nao_conta(tipo: str, tmp_path: Path) -> None:
    """Uma conferência por vez, 0,2 s de fila: dos 3 logins simultâneos, um entra e
    os outros dois recebem 503 logo, sem que a tentativa conte contra o e-mail."""
    with ambiente_no_ar(
        tipo, tmp_path, conferencias_simultaneas=1, espera_conferencia=0.2,
        gancho_conferencia=lambda: time.sleep(1.2),
    ) as a:  # fmt: skip
        emails = ["pref@m.br", "camara@m.br", "rpps@m.br"]
        barreira = threading.Barrier(3)
        respostas: list[httpx.Response] = []

        def entrar(email: str) -> None:
            with httpx.Client(base_url=a.url, timeout=30) as c:
                barreira.wait()
                respostas.append(_entrar(c, email))

        ts = [threading.Thread(target=entrar, args=(e,)) for e in emails]
        for x in ts:
            x.start()
        for x in ts:
            x.join(60)
        assert sorted(r.status_code for r in respostas) == [200, 503, 503]
        for r in respostas:
            if r.status_code == 503:
                assert _erro(r) == (503, "CON-OCUPADO", MSG_OCUPADO)
        falhas = _falhas(a.admin.engine)
        assert all(falhas.get(f"e:{e}", 0) == 0 for e in emails)


# -------------------------------------------------------- X-Forwarded-For
@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_x_forwarded_for_de_quem_nao_e_proxy_nao_engana_o_freio(tipo: str, tmp_path: Path) -> None:
    """Sem proxy confiável (o padrão), um X-Forwarded-For diferente a cada tentativa
    não cria endereços novos: tudo conta para o endereço da conexão."""
    politica = Politica(livres=3, teto=60.0, janela=600.0)
    with ambiente_no_ar(tipo, tmp_path, freio_base=60.0, freio_endereco=politica) as a:
        with httpx.Client(base_url=a.url, timeout=30) as c:
            status = [
                _entrar(
                    c, f"chute{i}@m.br", "chute-1234",
                    headers={"X-Forwarded-For": f"198.51.100.{i}"},
                ).status_code
                for i in range(5)
            ]  # fmt: skip
            assert status == [401, 401, 401, 401, 429]
            r = _entrar(c, "pref@m.br", headers={"X-Forwarded-For": "198.51.100.77"})
            assert _erro(r) == (429, "CON-TENTATIVAS", _aguarde(60))
        falhas = _falhas(a.admin.engine)
        assert falhas["ip:127.0.0.1"] == 4
        assert not any(k.startswith("ip:198.") for k in falhas)
        assert {x.endereco for x in a.admin.auditoria(acao="login")} == {"127.0.0.1"}


@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_x_forwarded_for_de_proxy_confiavel_vale(tipo: str, tmp_path: Path) -> None:
    """Com o loopback como proxy confiável, vale o endereço que ele encaminha (o
    último da lista que não é proxy: o que o cliente põe antes não conta)."""
    with ambiente_no_ar(tipo, tmp_path, proxies_confiaveis=("127.0.0.1",)) as a:
        with httpx.Client(base_url=a.url, timeout=30) as c:
            r = _entrar(c, "pref@m.br", "errada-123", headers={"X-Forwarded-For": "203.0.113.7"})
            assert r.status_code == 401
            cab = {"X-Forwarded-For": "10.9.9.9, 203.0.113.8"}  # 10.9.9.9: posto pelo cliente
            assert _entrar(c, "pref@m.br", headers=cab).status_code == 200
        falhas = _falhas(a.admin.engine)
        assert falhas == {"ip:203.0.113.7": 1}  # o acerto esqueceu o e-mail
        logins = a.admin.auditoria(acao="login")
        assert [(x.resultado, x.endereco) for x in logins] == [
            ("ok", "203.0.113.8"),
            ("falha", "203.0.113.7"),
        ]


# --------------------------------------------------- política do freio
def test_politica_do_freio_numeros(tmp_path: Path) -> None:
    """Os números da política (docs/consolidacao.md), direto no FreioLogin."""
    relogio = Relogio()
    engine = preparar_banco(f"sqlite:///{tmp_path / 'f.db'}")
    freio = FreioLogin(engine, base=1.0, relogio=relogio)
    # E-mail: 3 livres; a 4ª arma 1 s, e cada uma depois dobra, até 300 s.
    esperas = []
    for _ in range(13):
        assert freio.reservar("a@m.br", "1.1.1.1") == 0  # passa e já conta
        esperas.append(freio.espera("a@m.br", "1.1.1.1"))
        if esperas[-1]:
            assert freio.reservar("a@m.br", "1.1.1.1") == esperas[-1]  # recusada: não conta
        relogio.avancar(esperas[-1])
    assert esperas == [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert _falhas(engine)["e:a@m.br"] == 13
    # Esquecido 1 h depois da última tentativa contada.
    relogio.avancar(3600)
    assert freio.reservar("a@m.br", "1.1.1.1") == 0
    assert _falhas(engine)["e:a@m.br"] == 1
    # O acerto esquece o e-mail.
    freio.acertou("a@m.br")
    assert "e:a@m.br" not in _falhas(engine)
    # Endereço: 20 falhas livres; a 21ª arma 1 s, dobrando até 60 s.
    esperas = []
    for i in range(28):
        assert freio.reservar(f"u{i}@m.br", "2.2.2.2") == 0
        freio.falhou("2.2.2.2")
        esperas.append(freio.espera(f"v{i}@m.br", "2.2.2.2"))
        relogio.avancar(esperas[-1])
    assert esperas == [0] * 20 + [1, 2, 4, 8, 16, 32, 60, 60]
    # Esquecido 10 min depois da última falha: volta às 20 livres.
    relogio.avancar(600)
    freio.falhou("2.2.2.2")
    assert _falhas(engine)["ip:2.2.2.2"] == 1
    # Servidor ocupado: a tentativa reservada é devolvida, sem espera.
    for _ in range(4):
        freio.reservar("b@m.br", "3.3.3.3")
    freio.devolver("b@m.br")
    assert _falhas(engine)["e:b@m.br"] == 3
    assert freio.reservar("b@m.br", "3.3.3.3") == 0
    # Um acerto apaga as chaves já esquecidas (mais de 1 h sem tentativa contada).
    relogio.avancar(3599)
    freio.falhou("4.4.4.4")
    relogio.avancar(2)
    freio.acertou("c@m.br")
    assert _falhas(engine) == {"ip:4.4.4.4": 1}
    engine.dispose()


def test_falhas_de_outros_nao_prendem_quem_acerta(municipio: Municipio) -> None:
    """Falhas de outros e-mails no mesmo endereço prendem a senha certa só durante a
    espera do endereço (nunca mais que o teto); o acerto esquece o e-mail; a
    contagem do endereço é esquecida depois da janela."""
    relogio = Relogio()
    politica = Politica(livres=2, teto=60.0, janela=600.0)
    c = _cliente(municipio, relogio=relogio, freio_endereco=politica)
    for i in range(3):  # a 3ª falha do endereço arma 1 s
        assert _erro(_entrar(c, f"outro{i}@m.br", "chute-1234")) == (401, "CON-SENHA", MSG_SENHA)
    assert _erro(_entrar(c, "pref@m.br")) == (429, "CON-TENTATIVAS", _aguarde(1))
    relogio.avancar(1)
    assert _entrar(c, "pref@m.br").status_code == 200
    for i in range(8):  # o atacante insiste: a espera dobra, mas para no teto
        relogio.avancar(60)
        assert _entrar(c, f"mais{i}@m.br", "chute-1234").status_code == 401
    assert _erro(_entrar(c, "pref@m.br")) == (429, "CON-TENTATIVAS", _aguarde(60))
    relogio.avancar(60)  # parou de falhar: passado o teto, a senha certa entra
    assert _entrar(c, "pref@m.br").status_code == 200
    # Passada a janela sem falhas, a contagem do endereço é esquecida.
    relogio.avancar(600)
    assert [_entrar(c, f"nova{i}@m.br", "chute-1234").status_code for i in range(3)] == [401] * 3
    assert _falhas(municipio.admin.engine)["ip:testclient"] == 3
    # O acerto esquece o e-mail: depois de 2 falhas e um acerto, 3 falhas livres de novo
    # (de outro endereço, para não esbarrar no limite de 2 do endereço).
    c = _cliente(municipio, "192.0.2.10", relogio=relogio)
    for _ in range(2):
        assert _entrar(c, "camara@m.br", "chute-1234").status_code == 401
    assert _entrar(c, "camara@m.br").status_code == 200
    assert "e:camara@m.br" not in _falhas(municipio.admin.engine)
    assert [_entrar(c, "camara@m.br", "chute-1234").status_code for _ in range(4)] == [401] * 4
    assert _erro(_entrar(c, "camara@m.br")) == (429, "CON-TENTATIVAS", _aguarde(1))
    assert _falhas(municipio.admin.engine)["e:camara@m.br"] == 4


# ------------------------------------------------------------------ fichas
def test_ficha_antiga_nao_vale_depois_da_troca_de_senha(municipio: Municipio) -> None:
    c = _cliente(municipio)
    ficha = _entrar(c, "camara@m.br").json()["ficha"]
    assert c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha)).status_code == 200
    r = _erario("servidor", "senha", "camara@m.br", "--senha", "outra-senha-456",
                "--url", municipio.banco)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert (
        "Senha de camara@m.br trocada; as fichas de acesso anteriores não valem mais." in r.output
    )
    r2 = c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha))
    assert _erro(r2) == (401, "CON-FICHA", MSG_REVOGADA)
    assert _erro(_entrar(c, "camara@m.br")) == (401, "CON-SENHA", MSG_SENHA)
    nova = _entrar(c, "camara@m.br", "outra-senha-456").json()["ficha"]
    assert c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(nova)).status_code == 200
    # O comando "usuario" num usuário existente também troca a senha e revoga.
    r = _erario("servidor", "usuario", "camara@m.br", "--entidade", CAM.cnpj,
                "--senha", "terceira-senha-789", "--url", municipio.banco)  # fmt: skip
    assert r.exit_code == 0, r.output
    r2 = c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(nova))
    assert _erro(r2) == (401, "CON-FICHA", MSG_REVOGADA)


def test_usuario_desativado_nao_entra_e_perde_as_fichas(municipio: Municipio) -> None:
    c = _cliente(municipio)
    ficha = _entrar(c, "rpps@m.br").json()["ficha"]
    r = _erario("servidor", "usuario-desativar", "rpps@m.br", "--url", municipio.banco)
    assert r.exit_code == 0 and "Usuário rpps@m.br desativado." in r.output
    r2 = c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha))
    assert _erro(r2) == (401, "CON-FICHA", "usuário desativado")
    assert _erro(_entrar(c, "rpps@m.br")) == (401, "CON-SENHA", MSG_SENHA)  # a mesma mensagem
    r = _erario("servidor", "usuario-ativar", "rpps@m.br", "--url", municipio.banco)
    assert r.exit_code == 0 and "Usuário rpps@m.br ativado." in r.output
    r2 = c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha))
    assert _erro(r2) == (401, "CON-FICHA", MSG_REVOGADA)  # a de antes segue sem valer
    nova = _entrar(c, "rpps@m.br").json()["ficha"]
    assert c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(nova)).status_code == 200
    detalhes = [x.detalhe for x in municipio.admin.auditoria(acao="login", email="rpps@m.br")]
    assert detalhes[1].startswith("usuário desativado")


def test_desvincular_tira_o_acesso_na_hora(municipio: Municipio) -> None:
    c = _cliente(municipio)
    ficha = _entrar(c, "camara@m.br").json()["ficha"]
    r = _erario("servidor", "desvincular", "camara@m.br", CAM.cnpj, "--url", municipio.banco)
    assert r.exit_code == 0, r.output
    assert f"Usuário camara@m.br desvinculado da entidade {CAM.cnpj}." in r.output
    r2 = c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha))
    assert _erro(r2) == (403, "CON-PERMISSAO", f"usuário sem entidade no município {IBGE}")
    r = _erario("servidor", "desvincular", "camara@m.br", CAM.cnpj, "--url", municipio.banco)
    assert r.exit_code == 1
    assert f"[CON-USUARIO] usuário camara@m.br não está vinculado à entidade {CAM.cnpj}" in r.output


# ----------------------------------------------------------------- segredo
def test_segredo_em_arquivo_0600_e_fora_do_banco(municipio: Municipio) -> None:
    arquivo = municipio.pasta / "fichas.segredo"
    c = _cliente(municipio, segredo=None, segredo_arquivo=str(arquivo))
    assert stat.S_IMODE(arquivo.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}\n", arquivo.read_text())
    with municipio.admin.engine.connect() as con:
        assert con.execute(select(te.config)).all() == []  # nada de segredo no banco
    ficha = _entrar(c, "pref@m.br").json()["ficha"]
    assert c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha)).status_code == 200
    # Girar: as fichas emitidas deixam de valer sem reiniciar o servidor.
    antes = arquivo.read_text()
    r = _erario("servidor", "girar-segredo", "--segredo-arquivo", str(arquivo),
                "--url", municipio.banco)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert f"Segredo novo em {arquivo}; as fichas anteriores não valem mais." in r.output
    assert arquivo.read_text() != antes
    assert stat.S_IMODE(arquivo.stat().st_mode) == 0o600
    r2 = c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha))
    assert _erro(r2) == (401, "CON-FICHA", MSG_FICHA)
    nova = _entrar(c, "pref@m.br").json()["ficha"]
    assert c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(nova)).status_code == 200
    assert municipio.admin.auditoria(acao="girar-segredo")[0].detalhe.startswith(
        f"segredo novo em {arquivo}"
    )


def test_segredo_antigo_do_banco_vai_para_o_arquivo(municipio: Municipio) -> None:
    """Banco de versão anterior, com o segredo na tabela config: na primeira
    partida ele vai para o arquivo e sai do banco; as fichas emitidas com ele
    (sem versão) seguem valendo até vencer."""
    antigo = "ab" * 32
    with municipio.admin.engine.begin() as con:
        con.execute(insert(te.config).values(chave="segredo", valor=antigo))
        uid = con.execute(select(te.usuario.c.id).where(te.usuario.c.email == "pref@m.br")).scalar()
    arquivo = municipio.pasta / "fichas.segredo"
    c = _cliente(municipio, segredo=None, segredo_arquivo=str(arquivo))
    assert arquivo.read_text() == antigo + "\n"
    with municipio.admin.engine.connect() as con:
        assert con.execute(select(te.config)).all() == []
    emitida_antes = Fichas(bytes.fromhex(antigo)).emitir(int(uid))[0]
    r = c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(emitida_antes))
    assert r.status_code == 200


def test_segredo_pela_variavel_de_ambiente(
    municipio: Municipio, monkeypatch: pytest.MonkeyPatch
) -> None:
    arquivo = municipio.pasta / "nao-criado.segredo"
    monkeypatch.setenv("ERARIO_SERVIDOR_SEGREDO", "cd" * 32)
    c = _cliente(municipio, segredo=None, segredo_arquivo=str(arquivo))
    assert not arquivo.exists()
    with municipio.admin.engine.connect() as con:
        uid = con.execute(select(te.usuario.c.id).where(te.usuario.c.email == "pref@m.br")).scalar()
    ficha = Fichas(bytes.fromhex("cd" * 32)).emitir(int(uid))[0]
    assert c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha)).status_code == 200
    r = _erario("servidor", "girar-segredo", "--segredo-arquivo", str(arquivo),
                "--url", municipio.banco)  # fmt: skip
    assert r.exit_code == 1
    assert (
        "[CON-SEGREDO] o segredo vem da variável ERARIO_SERVIDOR_SEGREDO: troque o valor dela "
        "no serviço e reinicie o servidor" in r.output
    )
    monkeypatch.setenv("ERARIO_SERVIDOR_SEGREDO", "curto")
    with pytest.raises(OperacaoRecusada) as exc:
        criar_app(Config(url=municipio.banco, segredo_arquivo=str(arquivo)))
    assert str(exc.value) == (
        "[CON-SEGREDO] segredo das fichas em ERARIO_SERVIDOR_SEGREDO inválido: use ao menos 64 "
        "dígitos hexadecimais (gere com erario servidor girar-segredo ou openssl rand -hex 32)"
    )


# --------------------------------------------------- comandos de administração
def test_comandos_de_administracao_validam(municipio: Municipio) -> None:
    url = municipio.banco
    r = _erario("servidor", "entidade", "11111111111111", "Câmara X", "Câmara",
                "--tipo", "banco", "--ibge", "43126", "--url", url)  # fmt: skip
    assert r.exit_code == 1
    for msg in (
        "[CON-ENTIDADE] CNPJ 11111111111111 inválido (dígitos verificadores)",
        "[CON-ENTIDADE] slug 'Câmara X' inválido: minúsculas, dígitos e hífen, até 40 caracteres",
        "[CON-ENTIDADE] tipo 'banco' inválido: use prefeitura, camara, rpps, fundo, autarquia, "
        "fundacao, empresa",
        "[CON-ENTIDADE] código IBGE '43126' deve ter 7 dígitos",
    ):
        assert msg in r.output
    r = _erario("servidor", "entidade", "11444777000161", "outra-pref", "Outra",
                "--tipo", "prefeitura", "--ibge", IBGE, "--url", url)  # fmt: skip
    assert r.exit_code == 1
    assert f"[CON-ENTIDADE] o município {IBGE} já tem a Prefeitura prefeitura ({PREF.cnpj})" in (
        r.output
    )
    # Usuário com CNPJ não cadastrado ou inválido: recusado, e nada é criado.
    for cnpj, msg in (
        ("11444777000161", "[CON-ENTIDADE] entidade de CNPJ 11444777000161 não cadastrada no "
                           "servidor: cadastre-a antes com erario servidor entidade"),
        ("11444777000100", "[CON-ENTIDADE] CNPJ 11444777000100 inválido (dígitos verificadores)"),
    ):  # fmt: skip
        r = _erario("servidor", "usuario", "novo@m.br", "--entidade", CAM.cnpj,
                    "--entidade", cnpj, "--senha", "senha-nova-123", "--url", url)  # fmt: skip
        assert r.exit_code == 1 and msg in r.output, r.output
    with municipio.admin.engine.connect() as con:
        assert (
            con.execute(select(te.usuario).where(te.usuario.c.email == "novo@m.br")).first() is None
        )
    for comando in (["senha", "nin@m.br", "--senha", "senha-nova-123"],
                    ["usuario-desativar", "nin@m.br"], ["desvincular", "nin@m.br", CAM.cnpj]):  # fmt: skip
        r = _erario("servidor", *comando, "--url", url)
        assert r.exit_code == 1
        assert "[CON-USUARIO] usuário nin@m.br não cadastrado no servidor" in r.output
    r = _erario("servidor", "usuario", "novo@m.br", "--entidade", CAM.cnpj,
                "--entidade", RPPS.cnpj, "--senha", "senha-nova-123", "--url", url)  # fmt: skip
    assert r.exit_code == 0 and "Usuário novo@m.br vinculado a 2 entidade(s)." in r.output


# --------------------------------------------------------------- auditoria
def test_auditoria_de_logins_downloads_e_administracao(municipio: Municipio) -> None:
    engine = municipio.admin.engine
    with engine.begin() as con:
        ids = dict(con.execute(select(te.usuario.c.email, te.usuario.c.id)).all())
        ent = con.execute(select(te.entidade.c.id).where(te.entidade.c.cnpj == CAM.cnpj)).scalar()
        con.execute(
            insert(te.envio).values(
                entidade_id=ent, tipo="balancete", ano=2026, mes=1, versao=1,
                checksum="sha256:0", tamanho=2, dados=b"{}", usuario_id=ids["camara@m.br"],
                recebido_em=dt.datetime.now(dt.UTC),
            )
        )  # fmt: skip
    c = _cliente(municipio)
    assert _entrar(c, "camara@m.br", "errada-123").status_code == 401
    ficha = _entrar(c, "camara@m.br").json()["ficha"]
    caminho = f"/api/v1/balancetes/{CAM.cnpj}/2026/1"
    assert c.get(caminho, headers=_bearer(ficha)).status_code == 200
    ficha_rpps = _entrar(c, "rpps@m.br").json()["ficha"]
    assert c.get(caminho, headers=_bearer(ficha_rpps)).status_code == 403
    registros = [
        (x.acao, x.resultado, x.email, x.endereco, x.detalhe)
        for x in municipio.admin.auditoria(limite=5)
    ]
    assert registros == [
        ("download", "negado", "rpps@m.br", "testclient", caminho),
        ("login", "ok", "rpps@m.br", "testclient", ""),
        ("download", "ok", "camara@m.br", "testclient", f"{caminho} versão 1"),
        ("login", "ok", "camara@m.br", "testclient", ""),
        ("login", "falha", "camara@m.br", "testclient", "senha errada"),
    ]
    admin = municipio.admin.auditoria(acao="vincular", email="camara@m.br")
    assert admin[0].detalhe.startswith(f"vinculado a {CAM.cnpj} (por ")
    r = _erario("servidor", "auditoria", "--email", "camara@m.br", "--url", municipio.banco)
    assert r.exit_code == 0, r.output
    for trecho in (
        "download",
        f"{caminho} versão 1",
        "senha errada",
        "vinculado a",
        "usuário criado",
    ):
        assert trecho in r.output
    assert "rpps@m.br" not in r.output
    r = _erario(
        "servidor", "auditoria", "--acao", "login", "--limite", "1", "--url", municipio.banco
    )
    assert r.exit_code == 0 and "rpps@m.br" in r.output and "camara@m.br" not in r.output
    # Atrás de um proxy reverso num caminho (--prefixo), o download também é registrado.
    c = _cliente(municipio, prefixo="/erario")
    ficha = c.post(f"/erario{SESSAO}", json={"email": "camara@m.br", "senha": SENHA}).json()[
        "ficha"
    ]
    assert c.get(f"/erario{caminho}", headers=_bearer(ficha)).status_code == 200
    ultimo = municipio.admin.auditoria(acao="download", limite=1)[0]
    assert (ultimo.email, ultimo.detalhe) == ("camara@m.br", f"/erario{caminho} versão 1")


# ------------------------------------------------------------ log de acesso
@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_log_de_acesso_em_arquivo(tipo: str, tmp_path: Path) -> None:
    log = tmp_path / "acesso.log"
    with ambiente_no_ar(tipo, tmp_path, log_acesso=str(log)) as a:
        c = httpx.Client(base_url=a.url, timeout=30)
        ficha = _entrar(c, "pref@m.br").json()["ficha"]
        c.get(f"/api/v1/situacao/{IBGE}/2026", headers=_bearer(ficha))
        _entrar(c, "pref@m.br", "errada-123")
        c.close()
    linhas = log.read_text(encoding="utf-8").splitlines()
    pedidos = ["POST /api/v1/sessao HTTP/1.1\" 200 OK",
               f"GET /api/v1/situacao/{IBGE}/2026 HTTP/1.1\" 200 OK",
               "POST /api/v1/sessao HTTP/1.1\" 401 Unauthorized"]  # fmt: skip
    assert len(linhas) == len(pedidos)
    for linha, pedido in zip(linhas, pedidos, strict=True):
        data = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
        assert re.fullmatch(f'{data} 127\\.0\\.0\\.1:\\d+ - "{re.escape(pedido)}', linha), linha
    assert ficha not in log.read_text(encoding="utf-8")


def test_opcoes_do_uvicorn() -> None:
    assert seguranca.opcoes_uvicorn((), "nao") == {
        "proxy_headers": False, "access_log": False, "log_level": "warning",
    }  # fmt: skip
    assert seguranca.proxies_validos(" 10.0.0.1, 192.168.0.0/24 ") == ("10.0.0.1", "192.168.0.0/24")
    with pytest.raises(OperacaoRecusada) as exc:
        seguranca.proxies_validos("10.0.0.1,*")
    assert str(exc.value) == (
        "[CON-PROXY] proxy confiável '*' inválido: use endereços IP ou redes (CIDR)"
    )


def test_login_com_campos_enormes_recusado(municipio: Municipio) -> None:
    c = _cliente(municipio)
    r = c.post(SESSAO, json={"email": "a" * 201 + "@m.br", "senha": "x"})
    assert r.status_code == 422 and r.json()["erros"][0]["regra"] == "CON-PEDIDO"
    assert _falhas(municipio.admin.engine) == {}
