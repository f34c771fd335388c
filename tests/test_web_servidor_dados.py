"""Consolidação pela web com o servidor de dados on-line de verdade (issue 22,
item 7): o servidor (``erario.api.servidor``) roda em uvicorn numa thread do
loopback, com banco SQLite próprio; a interface web, pelo TestClient, fala com
ele pelo mesmo cliente HTTP da CLI (``api.cliente.Cliente``).

Duas instalações, como no município de verdade:
- A (o banco do demo, de test_web): Prefeitura e Câmara escrituradas aqui; a
  Prefeitura abre as competências e exporta a LOA, a Câmara exporta o balancete;
- B (outra instalação da Prefeitura): a Câmara é incorporada e o balancete dela
  chega pelo servidor ("Importar os balancetes recebidos").

A senha vem do formulário a cada ação e não fica em lugar nenhum: nem na página,
nem no cookie, nem na trilha."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from erario.api.servidor import Admin, Config, preparar_banco
from erario.demo import ENTIDADES
from erario.storage import esquema as t
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from erario.storage.web import Papel, criar_usuario
from erario.web.app import Config as ConfigWeb
from erario.web.app import criar_app
from tests.apoio_servidor import SEGREDO, servidor_no_ar
from tests.test_web import (
    SENHA,
    Relogio,
    banco,
    cliente,
    csrf,
    entrar,
    mundo_modelo,
    relogio,
    texto,
)

__all__ = ["banco", "cliente", "mundo_modelo", "relogio"]  # fixtures usadas aqui

PREF, CAM = ENTIDADES[0], ENTIDADES[1]
SENHA_SRV = "senha-do-servidor-9"
EMAIL_PREF, EMAIL_CAM = "contador@prefeitura.br", "contador@camara.br"
CONS_PREF, CONS_CAM = "/e/prefeitura/consolidacao", "/e/camara/consolidacao"


class Servidor(NamedTuple):
    url: str
    engine: Engine  # banco do servidor


@pytest.fixture(scope="module")
def servidor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servidor]:
    """O servidor de dados no ar, com a Prefeitura e a Câmara do demo e um usuário
    de cada uma (o que ``erario servidor entidade|usuario`` faz)."""
    pasta = tmp_path_factory.mktemp("srv")
    cfg = Config(url=f"sqlite:///{pasta / 'servidor.db'}", segredo=SEGREDO, freio_base=0.3)
    engine = preparar_banco(cfg.url)
    admin = Admin(engine)
    for e in (PREF, CAM):
        admin.cadastrar_entidade(e.cnpj, e.slug, e.nome, str(e.tipo), e.ibge)
    for email, e in ((EMAIL_PREF, PREF), (EMAIL_CAM, CAM)):
        admin.criar_usuario(email, SENHA_SRV)
        admin.vincular(email, e.cnpj)
    with servidor_no_ar(cfg) as url:
        yield Servidor(url, engine)
    engine.dispose()


@pytest.fixture
def instalacao_b(tmp_path: Path, relogio: Relogio) -> Iterator[tuple[TestClient, Engine]]:
    """A instalação da Prefeitura onde a Câmara é incorporada (sem razão aqui)."""
    from erario.razao.plano import plano_base

    engine = criar_engine(f"sqlite:///{tmp_path / 'b.db'}")
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    repo.gravar_plano(plano_base())
    repo.criar_entidade(PREF)
    repo.criar_entidade(CAM._replace(incorporada=True))
    criar_usuario(engine, "admin", "Administradora", SENHA, {"": Papel.ADMINISTRADOR})
    yield TestClient(criar_app(engine, ConfigWeb(relogio=relogio))), engine
    engine.dispose()


def acao(c: TestClient, pagina: str, acao: str, url: str, email: str, **campos: str) -> Any:
    dados = {"csrf": csrf(c, pagina), "acao": acao, "servidor": url, "email": email,
             "senha": SENHA_SRV, "ano": "2026"} | campos  # fmt: skip
    return c.post(f"{pagina}/servidor", data=dados)


def envios(srv: Servidor) -> list[tuple[str, str, int, int]]:
    """(slug, documento, mês, versão) guardados no servidor."""
    from erario.api import esquema as te

    d, e = te.envio.c, te.entidade.c
    with srv.engine.connect() as con:
        q = select(e.slug, d.tipo, d.mes, d.versao).join(te.entidade, e.id == d.entidade_id)
        return sorted((r[0], r[1], r[2], r[3]) for r in con.execute(q))


def trilha(engine: Engine) -> str:
    with engine.connect() as con:
        return " | ".join(
            f"{r.acao} {r.resultado} {r.detalhe}" for r in con.execute(select(t.web_acao))
        )


def test_fluxo_prefeitura_camara_pelo_servidor(
    cliente: TestClient, banco: Engine, servidor: Servidor,
    instalacao_b: tuple[TestClient, Engine],
) -> None:  # fmt: skip
    url = servidor.url
    entrar(cliente, "admin")
    # Antes de a Prefeitura abrir as competências, o servidor recusa o balancete.
    r = acao(cliente, CONS_CAM, "exportar_balancete", url, EMAIL_CAM, de="01/2026")
    assert r.status_code == 422
    assert "[CON-COMPETENCIA]" in texto(r.text)
    # 1. Prefeitura: abre as competências e publica o plano.
    r = acao(cliente, CONS_PREF, "abrir_competencias", url, EMAIL_PREF)
    assert r.status_code == 200, texto(r.text)
    tx = texto(r.text)
    assert "13 competência(s) de 2026 aberta(s) no servidor." in tx  # 01 a 12 e 13
    assert re.search(
        r"Plano de contas PCASP de 2026 publicado: versão 1 \(sha256:[0-9a-f]{64}\)", tx
    )
    # 2. Câmara: fevereiro está aberto aqui (CON-MES-ABERTO) — nada vai ao servidor.
    antes = envios(servidor)
    r = acao(cliente, CONS_CAM, "exportar_balancete", url, EMAIL_CAM, de="01/2026", ate="02/2026")
    assert r.status_code == 422
    assert ("[CON-MES-ABERTO] a competência 02/2026 de camara não está fechada: feche-a antes "
            "de exportar") in texto(r.text)  # fmt: skip
    assert envios(servidor) == antes  # todos os meses conferidos antes do primeiro envio
    r = acao(cliente, CONS_CAM, "exportar_balancete", url, EMAIL_CAM, de="01/2026")
    assert r.status_code == 200, texto(r.text)
    assert re.search(r"Balancete janeiro/2026 enviado: versão 1 \(sha256:", texto(r.text))
    r = acao(cliente, CONS_CAM, "exportar_balancete", url, EMAIL_CAM, de="01/2026")
    assert "Balancete janeiro/2026 já estava no servidor (versão 1); nada mudou." in texto(r.text)
    assert envios(servidor) == [("camara", "balancete", 1, 1), ("prefeitura", "plano", 0, 1)]
    # Situação: o que está no servidor, por entidade e mês.
    r = acao(cliente, CONS_CAM, "situacao", url, EMAIL_CAM)
    tx = texto(r.text)
    assert (
        "Competências abertas no servidor: 01, 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13" in tx
    )
    assert "camara balancete 01 1" in tx and f"{EMAIL_CAM}" in tx.split("Situação no servidor")[1]
    # 3. Instalação B (Prefeitura, Câmara incorporada): traz o balancete recebido.
    cb, engine_b = instalacao_b
    entrar(cb, "admin")
    assert "camara (44.555.666/0001-81)" + " falta" * 13 in texto(
        cb.get(f"{CONS_PREF}?ano=2026").text
    )
    r = acao(cb, CONS_PREF, "importar_balancetes", url, EMAIL_PREF)
    assert r.status_code == 200, texto(r.text)
    tx = texto(r.text)
    assert ("1 balancete(s) incorporado(s); camara: 01. 0 já estava(m) na versão vigente do "
            "servidor.") in tx  # fmt: skip
    assert "camara (44.555.666/0001-81) v1" + " falta" * 12 in tx
    with engine_b.connect() as con:
        (inc,) = con.execute(select(t.balancete_incorporado)).mappings().all()
    assert (inc["slug"], inc["ano"], inc["mes"], inc["versao"], inc["usuario"]) == (
        "camara", 2026, 1, 1, EMAIL_PREF)  # fmt: skip
    r = acao(cb, CONS_PREF, "importar_balancetes", url, EMAIL_PREF)
    assert "0 balancete(s) incorporado(s). 1 já estava(m) na versão vigente" in texto(r.text)
    # O balancete consolidado da B soma a Câmara incorporada: o mesmo saldo de bancos
    # que o balancete da Câmara na instalação A em janeiro.
    from erario.web.formatos import brl, saldo_dc

    da_camara = Repositorio(banco).balancete(["camara"], 2026, 1, 1)
    x = next(ln for ln in da_camara.linhas if ln.codigo == "1.1.1.1.1.19.00")
    r = cb.get(f"{CONS_PREF}/balancete?de=01/2026&ate=01/2026&incorporados=1&entidade=prefeitura")
    assert r.status_code == 200, texto(r.text)
    assert x.debitos > 0 and (
        f"1.1.1.1.1.19.00 BANCOS CONTA MOVIMENTO - DEMAIS CONTAS {saldo_dc(x.anterior)} "
        f"{brl(x.debitos)} {brl(x.creditos)} {saldo_dc(x.atual)}"
    ) in texto(r.text)
    # A senha do servidor não fica em lugar nenhum.
    for c, engine in ((cliente, banco), (cb, engine_b)):
        assert SENHA_SRV not in trilha(engine)
        assert all(SENHA_SRV not in v for v in c.cookies.values())
    assert "consolidacao:exportar_balancete recusado" in trilha(banco)
    assert f"servidor {url}, e-mail {EMAIL_CAM}" in trilha(banco)


def test_orcamento_exportar_e_importar(
    cliente: TestClient, banco: Engine, servidor: Servidor
) -> None:
    url = servidor.url
    entrar(cliente, "admin")
    acao(cliente, CONS_PREF, "abrir_competencias", url, EMAIL_PREF)  # repetir não faz mal
    r = acao(cliente, CONS_PREF, "exportar_orcamento", url, EMAIL_PREF)
    assert r.status_code == 200, texto(r.text)
    assert re.search(r"Orçamento (enviado: versão \d+ \(sha256:|já estava no servidor)",
                     texto(r.text))  # fmt: skip
    # A Câmara daqui já tem a sua LOA: importar de novo não duplica nenhum evento.
    eventos_antes = _contar(banco, t.evento)
    r = acao(cliente, CONS_CAM, "importar_orcamento", url, EMAIL_CAM)
    assert r.status_code == 200, texto(r.text)
    assert re.search(r"Orçamento importado: \d+ cadastro\(s\), 0 evento\(s\) novo\(s\)\.",
                     texto(r.text))  # fmt: skip
    assert _contar(banco, t.evento) == eventos_antes
    # A Prefeitura não importa o orçamento (a regra de storage.consolidacao): o botão
    # nem aparece, e o POST direto é recusado com a mensagem da regra.
    assert "Importar o orçamento da Prefeitura" not in cliente.get(CONS_PREF).text
    r = acao(cliente, CONS_PREF, "importar_orcamento", url, EMAIL_PREF)
    assert r.status_code == 422
    assert ("[CON-ENTIDADE] prefeitura é a Prefeitura, que exporta o orçamento: a importação "
            "é da Câmara e do RPPS") in texto(r.text)  # fmt: skip
    assert _contar(banco, t.evento) == eventos_antes


def _contar(engine: Engine, tabela: Any) -> int:
    from sqlalchemy import func

    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(tabela)).scalar_one())


def test_recusas_do_formulario_e_do_servidor(
    cliente: TestClient, banco: Engine, servidor: Servidor
) -> None:
    entrar(cliente, "admin")
    antes = envios(servidor)
    # Campos faltando: cada mensagem junto do seu campo; nada vai ao servidor.
    ficha = csrf(cliente, CONS_CAM)
    r = cliente.post(f"{CONS_CAM}/servidor", data={"csrf": ficha, "acao": "exportar_balancete",
                                                   "servidor": "dados.municipio", "de": "14/2026"})  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert 'id="m-s-servidor">[WEB-SERVIDOR] informe o endereço do servidor de dados' in h
    assert 'id="m-s-email">[WEB-SERVIDOR] informe o e-mail do usuário no servidor' in h
    assert 'id="m-s-senha">[WEB-SERVIDOR] informe a senha' in h
    assert "id=\"m-s-de\">[WEB-PERIODO] competência '14/2026' inválida" in h
    r = acao(cliente, CONS_CAM, "exportar_balancete", servidor.url, EMAIL_CAM, de="03/2026",
             ate="01/2026")  # fmt: skip
    assert ('id="m-s-ate">[WEB-PERIODO] início e fim devem ser do mesmo exercício, em ordem'
            in unescape(r.text))  # fmt: skip
    # http:// fora do loopback: CON-HTTP antes de mandar a senha (nenhuma conexão).
    r = acao(cliente, CONS_CAM, "situacao", "http://10.255.255.1:9", EMAIL_CAM)
    assert r.status_code == 422
    assert "[CON-HTTP] o servidor http://10.255.255.1:9 usa http:// sem TLS" in texto(r.text)
    # Senha errada: a mensagem do servidor.
    r = acao(cliente, CONS_CAM, "situacao", servidor.url, EMAIL_CAM, senha="errada-errada")
    assert r.status_code == 422
    assert "[CON-SENHA] e-mail ou senha não conferem" in texto(r.text)
    # Servidor fora do ar: CON-CONEXAO.
    r = acao(cliente, CONS_CAM, "situacao", "http://127.0.0.1:9", EMAIL_CAM)
    assert "[CON-CONEXAO] servidor http://127.0.0.1:9 inacessível" in texto(r.text)
    assert envios(servidor) == antes
    # O endereço e o e-mail ficam lembrados (a senha nunca volta à página).
    r = cliente.get(CONS_CAM)
    assert 'value="http://127.0.0.1:9"' in r.text and f'value="{EMAIL_CAM}"' in r.text
    assert 'name="senha" type="password" value=""' in r.text
    assert "errada-errada" not in trilha(banco) and SENHA_SRV not in trilha(banco)


def test_papel_e_csrf(cliente: TestClient, banco: Engine, servidor: Servidor) -> None:
    antes = envios(servidor)
    entrar(cliente, "leitor")  # consulta na Câmara
    r = cliente.get(CONS_CAM)
    assert 'value="situacao"' in r.text
    assert 'value="exportar_balancete"' not in r.text and 'value="importar_orcamento"' not in r.text
    r = acao(cliente, CONS_CAM, "exportar_balancete", servidor.url, EMAIL_CAM, de="01/2026")
    assert r.status_code == 403
    assert "[WEB-ACESSO]" in texto(r.text)
    # Sem papel na Prefeitura: nem a página, nem o POST.
    assert cliente.get(CONS_PREF).status_code == 403
    ficha = csrf(cliente, CONS_CAM)
    r = cliente.post(f"{CONS_PREF}/servidor", data={"csrf": ficha, "acao": "situacao"})
    assert r.status_code == 403
    # Sem a ficha anti-CSRF: recusado antes de falar com o servidor.
    cliente.cookies.clear()
    entrar(cliente, "admin")
    r = cliente.post(f"{CONS_CAM}/servidor", data={"acao": "exportar_balancete",
                     "servidor": servidor.url, "email": EMAIL_CAM, "senha": SENHA_SRV,
                     "de": "01/2026"})  # fmt: skip
    assert r.status_code == 403 and "[WEB-CSRF]" in texto(r.text)
    assert envios(servidor) == antes
