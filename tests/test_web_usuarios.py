"""Gestão de usuários no navegador (issue 22, item 2) pelo TestClient: criar,
papéis por entidade, desativar/reativar, redefinir a senha e trocar a própria;
cada recusa com a mensagem da regra (as mesmas de ``erario web usuario``) junto
do campo e nada gravado; quem não administra não vê nem pela URL; CSRF; trilha."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from erario.storage import esquema as t
from erario.storage.web import Papel, criar_usuario, usuario_por_login
from tests.test_web import SENHA, banco, cliente, csrf, entrar, mundo_modelo, relogio, texto

__all__ = ["banco", "cliente", "mundo_modelo", "relogio"]  # fixtures usadas aqui

USU = "/e/prefeitura/usuarios"
NOVA = "senha-nova-da-ana"


def usuarios(engine: Engine) -> int:
    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(t.web_usuario)).scalar_one())


def papeis(engine: Engine, login: str) -> dict[str, Papel]:
    u = usuario_por_login(engine, login)
    assert u is not None
    return u.papeis


def criar_ana(c: TestClient, pagina: str = USU, **extra: str) -> object:
    dados = {"csrf": csrf(c, pagina), "login": "ana", "nome": "Ana Souza", "senha": NOVA,
             "senha2": NOVA, "papel": "consulta", "entidade": "camara"} | extra  # fmt: skip
    return c.post(pagina, data=dados, follow_redirects=True)


def test_criar_usuario_recusas_junto_dos_campos_e_nada_gravado(
    cliente: TestClient, banco: Engine
) -> None:
    entrar(cliente, "admin")
    antes = usuarios(banco)
    ficha = csrf(cliente, USU)
    r = cliente.post(USU, data={"csrf": ficha, "login": "Ana Maria!", "senha": "curta",
                                "senha2": "outra", "papel": "chefe"})  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert "id=\"m-u-login\">[WEB-LOGIN] login 'ana maria!' inválido" in h
    assert 'id="m-u-senha">[WEB-SENHA-CURTA] a senha precisa de ao menos 10 caracteres' in h
    assert 'id="m-u-senha2">[WEB-SENHA-CONFIRMACAO] a confirmação não confere com a senha' in h
    assert ("id=\"m-u-papel\">[WEB-PAPEL] papel 'chefe' inválido: use administrador, contador, "
            "consulta") in h  # fmt: skip
    assert 'value="ana maria!"' in h  # o que foi digitado volta (a senha, não)
    # login repetido e nenhuma entidade marcada
    r = cliente.post(USU, data={"csrf": ficha, "login": "leitor", "senha": NOVA, "senha2": NOVA,
                                "papel": "consulta"})  # fmt: skip
    h = unescape(r.text)
    assert "[WEB-USUARIO-EXISTE] o usuário 'leitor' já existe" in h
    assert "[WEB-PAPEL] informe ao menos um papel numa entidade" in h
    assert usuarios(banco) == antes
    assert "usuario:criar recusado" in texto(cliente.get("/e/prefeitura/trilha").text)
    r = criar_ana(cliente)
    assert r.status_code == 200
    tx = texto(r.text)
    assert "Usuário ana criado: consulta em camara." in tx
    assert "ana Ana Souza sim consulta em camara" in tx
    assert usuarios(banco) == antes + 1 and papeis(banco, "ana") == {"camara": Papel.CONSULTA}
    trilha = texto(cliente.get("/e/prefeitura/trilha").text)
    assert "admin usuario:criar ok Usuário ana criado: consulta em camara." in trilha


def test_usuario_criado_entra_e_so_ve_a_sua_entidade(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    criar_ana(cliente)
    cliente.cookies.clear()
    r = entrar(cliente, "ana", NOVA)
    assert r.status_code == 303
    r = cliente.get("/", follow_redirects=False)
    assert r.headers["location"] == "/e/camara/"
    assert cliente.get("/e/camara/balancete?de=01/2026&ate=01/2026").status_code == 200
    r = cliente.get("/e/prefeitura/")
    assert r.status_code == 403 and "[WEB-ACESSO]" in texto(r.text)
    # consulta não administra: nem a lista de usuários, nem pela URL, nem o POST
    assert "/usuarios" not in cliente.get("/e/camara/").text
    assert cliente.get("/e/camara/usuarios").status_code == 403
    assert cliente.get("/e/camara/usuarios/ana").status_code == 403
    ficha = csrf(cliente, "/e/camara/")
    r = cliente.post("/e/camara/usuarios/ana/papel",
                     data={"csrf": ficha, "entidade": "camara", "papel": "administrador"})  # fmt: skip
    assert r.status_code == 403


def test_administrador_de_uma_entidade_so_mexe_nela(cliente: TestClient, banco: Engine) -> None:
    criar_usuario(banco, "chefe", "Chefe da Câmara", SENHA, {"camara": Papel.ADMINISTRADOR})
    entrar(cliente, "chefe")
    base = "/e/camara/usuarios"
    tx = texto(cliente.get(base).text)
    # vê quem tem papel na câmara (e o administrador de todas), não o contador da prefeitura
    assert "leitor Leitor da Câmara sim consulta em camara" in tx
    assert "admin Administradora sim administrador em todas" in tx
    assert "contador Contador" not in tx
    assert "prefeitura —" not in tx  # só concede papel na câmara
    assert cliente.get("/e/prefeitura/usuarios").status_code == 403
    r = cliente.get(f"{base}/contador")
    assert r.status_code == 404
    assert "[WEB-USUARIO] usuário 'contador' inexistente ou fora das entidades" in texto(r.text)
    antes = usuarios(banco)
    r = criar_ana(cliente, base, entidade="prefeitura")
    assert r.status_code == 422
    assert ("id=\"m-u-entidade\">[WEB-ACESSO] chefe não administra 'prefeitura': não pode dar "
            "papel nela") in unescape(r.text)  # fmt: skip
    assert usuarios(banco) == antes
    # papel: na câmara sim; na prefeitura não
    ficha = csrf(cliente, base)
    r = cliente.post(f"{base}/leitor/papel",
                     data={"csrf": ficha, "entidade": "prefeitura", "papel": "contador"})  # fmt: skip
    assert r.status_code == 422
    assert "[WEB-ACESSO] chefe não administra 'prefeitura'" in texto(r.text)
    r = cliente.post(f"{base}/leitor/papel", data={"csrf": ficha, "entidade": "camara",
                                                   "papel": "contador"}, follow_redirects=True)  # fmt: skip
    assert "Papel de leitor em camara: contador." in texto(r.text)
    assert papeis(banco, "leitor") == {"camara": Papel.CONTADOR}
    # a conta do administrador de todas não é dele: nem senha nem desativar
    admin = usuario_por_login(banco, "admin")
    assert admin is not None
    r = cliente.get(f"{base}/admin")
    assert "/admin/senha" not in r.text and "/admin/ativo" not in r.text  # sem os formulários
    r = cliente.post(f"{base}/admin/senha", data={"csrf": ficha, "senha": NOVA, "senha2": NOVA})
    assert r.status_code == 403
    assert "[WEB-ACESSO] chefe não administra todas as entidades de admin" in texto(r.text)
    r = cliente.post(f"{base}/admin/ativo", data={"csrf": ficha, "ativo": "0"})
    assert r.status_code == 403
    depois = usuario_por_login(banco, "admin")
    assert depois is not None and depois.senha_hash == admin.senha_hash and depois.ativo
    # nem a própria conta
    r = cliente.post(f"{base}/chefe/ativo", data={"csrf": ficha, "ativo": "0"})
    assert r.status_code == 422 and "[WEB-PROPRIO]" in texto(r.text)
    r = cliente.post(f"{base}/chefe/papel",
                     data={"csrf": ficha, "entidade": "camara", "papel": "nenhum"})  # fmt: skip
    assert r.status_code == 422 and "[WEB-PROPRIO]" in texto(r.text)
    assert papeis(banco, "chefe") == {"camara": Papel.ADMINISTRADOR}


def test_desativar_reativar_e_tirar_papel(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "admin")
    criar_ana(cliente)
    outro = TestClient(cliente.app)
    entrar(outro, "ana", NOVA)
    assert outro.get("/e/camara/").status_code == 200
    ficha = csrf(cliente, USU)
    r = cliente.post(f"{USU}/ana/ativo", data={"csrf": ficha, "ativo": "0"}, follow_redirects=True)
    assert "Usuário ana desativado; sessões encerradas." in texto(r.text)
    assert outro.get("/e/camara/", follow_redirects=False).status_code == 303  # volta ao login
    assert entrar(outro, "ana", NOVA).status_code == 401
    r = cliente.post(f"{USU}/ana/ativo", data={"csrf": ficha, "ativo": "1"}, follow_redirects=True)
    assert "Usuário ana reativado." in texto(r.text)
    assert entrar(outro, "ana", NOVA).status_code == 303
    # papel inválido e entidade inexistente: recusados; "nenhum" tira o papel
    r = cliente.post(f"{USU}/ana/papel", data={"csrf": ficha, "entidade": "camara", "papel": "x"})
    assert "id=\"m-p-papel\">[WEB-PAPEL] papel 'x' inválido" in unescape(r.text)
    r = cliente.post(
        f"{USU}/ana/papel", data={"csrf": ficha, "entidade": "nada", "papel": "consulta"}
    )
    assert "[ENT-INEXISTENTE] entidade nada não existe" in texto(r.text)
    assert papeis(banco, "ana") == {"camara": Papel.CONSULTA}
    r = cliente.post(f"{USU}/ana/papel", data={"csrf": ficha, "entidade": "camara",
                                               "papel": "nenhum"}, follow_redirects=True)  # fmt: skip
    assert "Papel de ana em camara: nenhum." in texto(r.text)
    assert papeis(banco, "ana") == {}
    trilha = texto(cliente.get("/e/prefeitura/trilha").text)
    assert "usuario:desativar ok" in trilha and "usuario:ativar ok" in trilha
    assert "usuario:papel recusado" in trilha


def test_redefinir_senha_pelo_administrador(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "admin")
    criar_ana(cliente)
    outro = TestClient(cliente.app)
    entrar(outro, "ana", NOVA)
    ficha = csrf(cliente, USU)
    r = cliente.post(f"{USU}/ana/senha", data={"csrf": ficha, "senha": "curta", "senha2": "curta"})
    assert r.status_code == 422
    assert 'id="m-r-senha">[WEB-SENHA-CURTA]' in unescape(r.text)
    r = cliente.post(f"{USU}/ana/senha", data={"csrf": ficha, "senha": "outra-senha-1",
                                               "senha2": "outra-senha-2"})  # fmt: skip
    assert 'id="m-r-senha2">[WEB-SENHA-CONFIRMACAO]' in unescape(r.text)
    assert entrar(TestClient(cliente.app), "ana", NOVA).status_code == 303  # nada mudou
    r = cliente.post(f"{USU}/ana/senha", data={"csrf": ficha, "senha": "outra-senha-1",
                                               "senha2": "outra-senha-1"}, follow_redirects=True)  # fmt: skip
    assert "Senha de ana redefinida; sessões encerradas." in texto(r.text)
    assert outro.get("/e/camara/", follow_redirects=False).status_code == 303
    assert entrar(TestClient(cliente.app), "ana", NOVA).status_code == 401
    assert entrar(TestClient(cliente.app), "ana", "outra-senha-1").status_code == 303
    # a própria senha não se redefine por aqui
    r = cliente.post(f"{USU}/admin/senha", data={"csrf": ficha, "senha": NOVA, "senha2": NOVA})
    assert r.status_code == 422 and "[WEB-PROPRIO]" in texto(r.text)


def test_trocar_a_propria_senha(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "leitor")
    outro = TestClient(cliente.app)
    entrar(outro, "leitor")
    assert 'href="/senha"' in cliente.get("/e/camara/").text
    ficha = csrf(cliente, "/senha")
    antes = usuario_por_login(banco, "leitor")
    r = cliente.post("/senha", data={"csrf": ficha, "atual": "errada", "senha": "curta",
                                     "senha2": "outra"})  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert 'id="m-s-atual">[WEB-SENHA-ATUAL] senha atual incorreta' in h
    assert 'id="m-s-senha">[WEB-SENHA-CURTA]' in h
    assert 'id="m-s-senha2">[WEB-SENHA-CONFIRMACAO]' in h
    depois = usuario_por_login(banco, "leitor")
    assert antes is not None and depois is not None and depois.senha_hash == antes.senha_hash
    r = cliente.post("/senha", data={"csrf": ficha, "atual": SENHA, "senha": NOVA, "senha2": NOVA},
                     follow_redirects=True)  # fmt: skip
    assert "Senha trocada; as outras sessões foram encerradas." in texto(r.text)
    # esta sessão segue (ficha nova), a outra caiu; a senha velha não entra mais
    assert cliente.get("/e/camara/").status_code == 200
    assert outro.get("/e/camara/", follow_redirects=False).status_code == 303
    assert entrar(TestClient(cliente.app), "leitor", SENHA).status_code == 401
    assert entrar(TestClient(cliente.app), "leitor", NOVA).status_code == 303
    assert "senha:propria ok" in texto(cliente.get("/e/camara/trilha").text)


def test_senha_atual_errada_repetida_pega_o_freio(cliente: TestClient) -> None:
    entrar(cliente, "leitor")
    ficha = csrf(cliente, "/senha")
    codigos = [
        cliente.post(
            "/senha", data={"csrf": ficha, "atual": f"errada-{i}", "senha": NOVA, "senha2": NOVA}
        ).status_code
        for i in range(6)
    ]
    assert codigos[0] == 422 and codigos[-1] == 429
    r = cliente.post("/senha", data={"csrf": ficha, "atual": SENHA, "senha": NOVA, "senha2": NOVA})
    assert r.status_code == 429 and "[WEB-FREIO] muitas tentativas" in texto(r.text)


def test_csrf_e_papel_nas_acoes_de_usuario(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "admin")
    antes = usuarios(banco)
    r = cliente.post(USU, data={"login": "ana", "senha": NOVA, "senha2": NOVA,
                                "papel": "consulta", "entidade": "camara"})  # fmt: skip
    assert r.status_code == 403 and "[WEB-CSRF]" in texto(r.text)
    r = cliente.post(f"{USU}/leitor/ativo", data={"csrf": "forjada", "ativo": "0"})
    assert r.status_code == 403
    r = cliente.post("/senha", data={"atual": SENHA, "senha": NOVA, "senha2": NOVA})
    assert r.status_code == 403
    leitor = usuario_por_login(banco, "leitor")
    assert usuarios(banco) == antes and leitor is not None and leitor.ativo
    # o contador (sem administrar) não vê a página nem grava pelo POST direto
    cliente.cookies.clear()
    entrar(cliente, "contador")
    assert cliente.get(USU).status_code == 403
    assert "Usuários</a>" not in cliente.get("/e/prefeitura/").text
    ficha = csrf(cliente, "/e/prefeitura/")
    r = cliente.post(USU, data={"csrf": ficha, "login": "ana", "senha": NOVA, "senha2": NOVA,
                                "papel": "consulta", "entidade": "prefeitura"})  # fmt: skip
    assert r.status_code == 403 and usuarios(banco) == antes


def test_cli_papel_invalido_e_reativar(tmp_path: object) -> None:
    """A CLI usa a mesma leitura do papel (storage.web.ler_papel) e ganha `ativar`."""
    from pathlib import Path

    from erario.cli.app import app

    assert isinstance(tmp_path, Path)
    db = f"sqlite:///{tmp_path / 'u.db'}"
    runner = CliRunner()
    env = {"ERARIO_WEB_SENHA": NOVA}
    r = runner.invoke(
        app, ["--db", db, "web", "usuario", "criar", "ana", "--papel", "chefe"], env=env
    )
    assert r.exit_code == 1
    assert "WEB-PAPEL" in r.output and "papel 'chefe' inválido" in " ".join(r.output.split())
    assert runner.invoke(app, ["--db", db, "web", "usuario", "criar", "ana", "--papel",
                               "consulta"], env=env).exit_code == 0  # fmt: skip
    r = runner.invoke(app, ["--db", db, "web", "usuario", "papel", "ana", "talvez"])
    assert r.exit_code == 1
    assert "use administrador, contador, consulta ou nenhum" in " ".join(r.output.split())
    assert runner.invoke(app, ["--db", db, "web", "usuario", "desativar", "ana"]).exit_code == 0
    r = runner.invoke(app, ["--db", db, "web", "usuario", "ativar", "ana"])
    assert r.exit_code == 0 and "Usuário ana reativado." in r.output
    r = runner.invoke(app, ["--db", db, "web", "usuario", "listar"])
    assert re.search(r"ana\s.*sim\s.*consulta em todas", r.output)
