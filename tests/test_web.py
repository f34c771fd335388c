"""Interface web (issue 22) pelo TestClient do FastAPI: login, sessão, CSRF,
papéis por entidade, cada página e cada recusa (mensagem ao lado do campo e
nada gravado). O navegador de verdade fica em test_web_navegador.py."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from erario.demo import CPF_CONSULTOR, DOMICILIO_PREFEITURA, DOTACAO_CONSULTORIA, FORNECEDORES
from erario.storage import esquema as t
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from erario.storage.web import Papel, criar_usuario
from erario.web.app import Config, criar_app

SENHA = "senha-de-teste-1"
ANO = 2027


def montar_mundo(caminho: Path) -> None:
    """O município do demo (2026 encerrado) e o exercício de 2027 com a dotação da
    consultoria (36.000,00), as faixas do IRRF e os parâmetros de 2027; usuários:
    admin (todas), contador (prefeitura) e leitor (só a câmara, consulta)."""
    from erario.demo import montar_demo
    from erario.execucao.carga import evento_de_dict

    engine = criar_engine(f"sqlite:///{caminho}")
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    # Os parâmetros da unidade gestora de 2027 só mudam antes da execução de 2027
    # (a inscrição dos restos de 2026 já a inicia): entram antes do demo.
    from erario.demo import ENTIDADES
    from erario.razao.plano import plano_base

    repo.gravar_plano(plano_base())
    for e in ENTIDADES:
        repo.criar_entidade(e)
    faixas = (
        (1, "1903.98", "0.00", "0.00"), (2, "2826.65", "7.50", "142.80"),
        (3, "3751.05", "15.00", "354.80"), (4, "4664.68", "22.50", "636.13"),
        (5, "99999999999999.00", "27.50", "869.36"),
    )  # fmt: skip
    regs: list[dict[str, Any]] = [
        {"cadastro": "faixa_irrf", "exercicio": ANO, "codigo": n, "descricao": f"FAIXA 0{n}",
         "limite": lim, "aliquota": al, "deducao": de}
        for n, lim, al, de in faixas
    ]  # fmt: skip
    regs.append(
        {"cadastro": "parametros", "unidade_gestora": "prefeitura", "exercicio": ANO,
         "rotina_tipo_servico": "liquidacao", "irrf_desconto_simplificado": False,
         "irrf_reducao_lei_15270": False}
    )  # fmt: skip
    repo.registrar_retencoes([json.dumps(r) for r in regs], "teste")
    montar_demo(repo, 2026)
    loa = {"tipo": "dotacao_inicial", "id": "LOA27", "data": f"{ANO}-01-02", "entidade": "prefeitura",
           "dotacao": DOTACAO_CONSULTORIA, "fonte": "1500", "valor": "36000.00"}  # fmt: skip
    ev, erros = evento_de_dict(loa)
    assert ev is not None, erros
    repo.registrar_eventos([(None, ev)], "teste")
    criar_usuario(engine, "admin", "Administradora", SENHA, {"": Papel.ADMINISTRADOR})
    criar_usuario(engine, "contador", "Contador", SENHA, {"prefeitura": Papel.CONTADOR})
    criar_usuario(engine, "leitor", "Leitor da Câmara", SENHA, {"camara": Papel.CONSULTA})
    engine.dispose()


@pytest.fixture(scope="session")
def mundo_modelo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    caminho = tmp_path_factory.mktemp("web") / "modelo.db"
    montar_mundo(caminho)
    return caminho


@pytest.fixture
def banco(mundo_modelo: Path, tmp_path: Path) -> Iterator[Engine]:
    """Cópia do mundo para cada teste (o que um teste grava não vaza para outro)."""
    destino = tmp_path / "web.db"
    shutil.copy(mundo_modelo, destino)
    engine = criar_engine(f"sqlite:///{destino}")
    yield engine
    engine.dispose()


class Relogio:
    def __init__(self) -> None:
        self.agora = 1_800_000_000.0

    def __call__(self) -> float:
        return self.agora


@pytest.fixture
def relogio() -> Relogio:
    return Relogio()


@pytest.fixture
def cliente(banco: Engine, relogio: Relogio) -> TestClient:
    return TestClient(criar_app(banco, Config(ociosa=1800, maxima=3600, relogio=relogio)))


def entrar(c: TestClient, login: str, senha: str = SENHA) -> Any:
    pagina = c.get("/entrar")
    pre = re.search(r'name="pre" value="([^"]+)"', pagina.text)
    assert pre
    return c.post(
        "/entrar",
        data={"login": login, "senha": senha, "pre": pre.group(1), "proximo": "/"},
        follow_redirects=False,
    )


def csrf(c: TestClient, caminho: str) -> str:
    r = c.get(caminho)
    assert r.status_code == 200, r.text
    m = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert m
    return m.group(1)


def contar_eventos(engine: Engine) -> int:
    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(t.evento)).scalar_one())


def texto(html: str) -> str:
    """O HTML sem marcas, com espaços simples (para procurar frases)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# ------------------------------------------------------------- login e sessão
def test_sem_sessao_vai_para_o_login(cliente: TestClient) -> None:
    r = cliente.get("/e/prefeitura/balancete?de=01/2026", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/entrar?proximo=/e/prefeitura/balancete%3Fde%3D01/2026"


def test_login_cria_cookie_httponly_samesite_strict(cliente: TestClient) -> None:
    r = entrar(cliente, "admin")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "erario_sessao=" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    inicio = cliente.get("/")
    assert "Prefeitura" in inicio.text and "Câmara" in inicio.text


def test_senha_errada_recusada_e_auditada(cliente: TestClient, banco: Engine) -> None:
    r = entrar(cliente, "admin", "errada-errada")
    assert r.status_code == 401
    assert "[WEB-LOGIN-INVALIDO] login ou senha incorretos" in r.text
    assert "erario_sessao" not in r.headers.get("set-cookie", "")
    with banco.connect() as con:
        acao = con.execute(select(t.web_acao.c.acao, t.web_acao.c.resultado)).all()
    assert ("entrar", "falha") in acao


def test_freio_de_login_depois_de_tres_falhas(cliente: TestClient) -> None:
    for _ in range(3):
        assert entrar(cliente, "admin", "errada-errada").status_code == 401
    r = entrar(cliente, "admin", "errada-errada")  # 4ª: já conta espera de 1 s
    assert r.status_code == 401
    r = entrar(cliente, "admin", SENHA)  # certa, mas antes da hora: freada
    assert r.status_code == 429
    assert "WEB-FREIO" in r.text


def test_login_sem_ficha_do_formulario_recusado(cliente: TestClient) -> None:
    r = cliente.post("/entrar", data={"login": "admin", "senha": SENHA, "pre": "x"})
    assert r.status_code == 403 and "WEB-CSRF" in r.text


def test_sessao_vence_ociosa(cliente: TestClient, relogio: Relogio) -> None:
    entrar(cliente, "admin")
    assert cliente.get("/e/prefeitura/", follow_redirects=False).status_code == 200
    relogio.agora += 1801  # 30 min e 1 s sem uso
    r = cliente.get("/e/prefeitura/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/entrar")


def test_sessao_vence_pela_idade_mesmo_em_uso(cliente: TestClient, relogio: Relogio) -> None:
    entrar(cliente, "admin")
    for _ in range(5):  # uso a cada 15 min: nunca ociosa, mas passa de 1 h
        relogio.agora += 900
        cliente.get("/e/prefeitura/cadastros")
    r = cliente.get("/e/prefeitura/cadastros", follow_redirects=False)
    assert r.status_code == 303


def test_post_com_sessao_vencida_nao_grava(
    cliente: TestClient, relogio: Relogio, banco: Engine
) -> None:
    entrar(cliente, "admin")
    ficha = csrf(cliente, "/e/prefeitura/lancar/empenho")
    antes = contar_eventos(banco)
    relogio.agora += 4000
    r = cliente.post("/e/prefeitura/lancar/empenho", data={"csrf": ficha, "data": "01/03/2027"})
    assert r.status_code == 403 and "WEB-SESSAO" in r.text
    assert contar_eventos(banco) == antes


def test_sair_encerra_a_sessao(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    ficha = csrf(cliente, "/e/prefeitura/")
    assert cliente.post("/sair", data={"csrf": ficha}, follow_redirects=False).status_code == 303
    assert cliente.get("/e/prefeitura/", follow_redirects=False).status_code == 303


# ------------------------------------------------------------------- CSRF
def test_post_sem_csrf_recusado_e_nada_gravado(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "admin")
    antes = contar_eventos(banco)
    dados = _empenho("3000,00")
    r = cliente.post("/e/prefeitura/lancar/empenho", data=dados)
    assert r.status_code == 403 and "[WEB-CSRF]" in r.text
    r = cliente.post("/e/prefeitura/lancar/empenho", data={**dados, "csrf": "outra"})
    assert r.status_code == 403
    assert contar_eventos(banco) == antes


# ------------------------------------------------------------------ papéis
def test_usuario_de_uma_entidade_nao_ve_outra_nem_por_url(cliente: TestClient) -> None:
    entrar(cliente, "leitor")
    assert cliente.get("/", follow_redirects=False).headers["location"] == "/e/camara/"
    assert cliente.get("/e/camara/balancete").status_code == 200
    for url in (
        "/e/prefeitura/",
        "/e/prefeitura/balancete",
        "/e/prefeitura/lancamento/EVLOA27",
        "/e/prefeitura/evento/LOA27",
        "/e/prefeitura/balancete?formato=xlsx",
        "/e/rpps/trilha",
    ):
        r = cliente.get(url)
        assert r.status_code == 403, url
        assert "WEB-ACESSO" in r.text


def test_consulta_nao_lanca(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "leitor")
    assert cliente.get("/e/camara/lancar/empenho").status_code == 403
    ficha = csrf(cliente, "/e/camara/")
    r = cliente.post("/e/camara/lancar/empenho", data={"csrf": ficha})
    assert r.status_code == 403


def test_contador_da_prefeitura_nao_administra(cliente: TestClient) -> None:
    entrar(cliente, "contador")
    assert cliente.get("/e/prefeitura/lancar/empenho").status_code == 200
    assert cliente.get("/e/prefeitura/usuarios").status_code == 403
    assert cliente.get("/e/camara/").status_code == 403


# ---------------------------------------------------------------- lançar
def _empenho(valor: str, id_: str = "") -> dict[str, str]:
    return {
        "id": id_,
        "data": "01/03/2027",
        "dotacao": DOTACAO_CONSULTORIA,
        "fonte": "1500",
        "credor": "123.456.789-09" if CPF_CONSULTOR == "12345678909" else CPF_CONSULTOR,
        "valor": valor,
        "modalidade": "",
        "acao": "confirmar",
    }


def test_formulario_de_empenho_mostra_credito_disponivel(cliente: TestClient) -> None:
    entrar(cliente, "contador")
    r = cliente.get("/e/prefeitura/lancar/empenho?data=01/03/2027")
    assert f"{DOTACAO_CONSULTORIA} — fonte 1500 — 2027 — disponível R$ 36.000,00" in r.text
    assert '<label for="c-valor">' in r.text


def test_empenho_liquidacao_com_retencoes_e_pagamento(cliente: TestClient, banco: Engine) -> None:
    """O fluxo do demo (consultoria PF de 3.000,00), digitado na tela: INSS 330,00
    na liquidação; IR 57,45 no pagamento de 2.670,00 (o banco paga 2.612,55)."""
    entrar(cliente, "contador")
    ficha = csrf(cliente, "/e/prefeitura/lancar/empenho")
    r = cliente.post(
        "/e/prefeitura/lancar/empenho",
        data={**_empenho("3.000,00"), "csrf": ficha},
        follow_redirects=False,
    )
    assert r.status_code == 303, texto(r.text)
    assert r.headers["location"] == "/e/prefeitura/evento/EMP270001?registrado=1"
    ev = cliente.get(r.headers["location"])
    assert "Evento EMP270001 registrado" in ev.text
    assert "EVEMP270001" in ev.text
    # crédito disponível caiu 3.000,00
    assert "disponível R$ 33.000,00" in cliente.get("/e/prefeitura/lancar/empenho").text

    liq = {
        "id": "", "data": "28/03/2027", "empenho": "EMP270001", "valor": "3.000,00",
        "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": FORNECEDORES, "documento": "RPA 1",
        "servico": "40", "conta_bancaria": DOMICILIO_PREFEITURA, "csrf": ficha,
    }  # fmt: skip
    antes = contar_eventos(banco)
    previa = cliente.post("/e/prefeitura/lancar/liquidacao", data={**liq, "acao": "previa"})
    assert previa.status_code == 200, texto(previa.text)
    p = texto(previa.text)
    assert "Prévia das retenções" in p
    assert "451 INSS SERVIÇOS liquidação 3.000,00 330,00" in p, p[p.find("Prévia") :]
    assert "100 IR PESSOA FÍSICA pagamento 2.670,00 57,45" in p
    assert "Valor a informar no pagamento desta liquidação 2.670,00" in p
    assert "Líquido ao credor (sai do banco) 2.612,55" in p
    assert contar_eventos(banco) == antes  # a prévia não grava
    r = cliente.post(
        "/e/prefeitura/lancar/liquidacao",
        data={**liq, "id": "LIQ270001", "acao": "confirmar"},
        follow_redirects=False,
    )
    assert r.status_code == 303, texto(r.text)
    assert contar_eventos(banco) > antes

    pag = {"id": "", "data": "30/03/2027", "liquidacao": "LIQ270001", "valor": "2.670,00",
           "conta_bancaria": DOMICILIO_PREFEITURA, "csrf": ficha, "acao": "confirmar"}  # fmt: skip
    r = cliente.post("/e/prefeitura/lancar/pagamento", data=pag, follow_redirects=False)
    assert r.status_code == 303, texto(r.text)
    extrato = texto(cliente.get("/e/prefeitura/empenho/EMP270001").text)
    assert "EMP270001 empenho 3.000,00" in extrato
    # INSS apropriado numa liquidação gerada de 330,00 e paga pelo caixa; IR de
    # 57,45 retido no pagamento: o banco paga 2.612,55 e a guia leva 57,45.
    assert "LIQ270001 liquidacao 2.670,00" in extrato
    assert "LIQ270001-L451 liquidacao 330,00" in extrato
    assert "PAG270001 pagamento 2.612,55 0,00 57,45" in extrato
    assert "PAG270001-P100 pagamento 57,45 0,00 0,00" in extrato
    # o razão registra quem lançou (trilha)
    trilha = texto(cliente.get("/e/prefeitura/trilha").text)
    assert "contador lancar:pagamento ok" in trilha


def test_empenho_acima_do_credito_mostra_a_mensagem_no_campo_e_nao_grava(
    cliente: TestClient, banco: Engine
) -> None:
    entrar(cliente, "contador")
    ficha = csrf(cliente, "/e/prefeitura/lancar/empenho")
    antes = contar_eventos(banco)
    r = cliente.post("/e/prefeitura/lancar/empenho", data={**_empenho("99.000,00"), "csrf": ficha})
    assert r.status_code == 422
    campo = re.search(r'<span class="msg-erro" id="m-valor">([^<]+)</span>', r.text)
    assert campo is not None
    assert campo.group(1) == (
        "[EXEC-DOTACAO-SALDO] empenho de 99.000,00 acima do crédito disponível da dotação "
        f"{DOTACAO_CONSULTORIA} (36.000,00)"
    )
    assert 'aria-invalid="true"' in r.text
    assert 'value="99.000,00"' in r.text  # o que foi digitado volta ao campo
    assert contar_eventos(banco) == antes


def test_campos_invalidos_todos_relatados_junto_de_cada_campo(cliente: TestClient) -> None:
    entrar(cliente, "contador")
    ficha = csrf(cliente, "/e/prefeitura/lancar/empenho")
    dados = {**_empenho("1,234"), "data": "31/02/2027", "fonte": "15", "csrf": ficha}
    r = cliente.post("/e/prefeitura/lancar/empenho", data=dados)
    assert r.status_code == 422
    erros = dict(re.findall(r'id="m-(\w+)">([^<]+)<', r.text))
    assert set(erros) == {"data", "fonte", "valor"}
    assert "data '31/02/2027' inválida" not in erros["data"]  # vai à carga já convertida
    assert "[EVENTO-CAMPO]" in erros["data"]
    assert "mais de duas casas" in erros["valor"]


def test_estorno_de_evento_pela_tela(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    ficha = csrf(cliente, "/e/prefeitura/lancar/empenho")
    cliente.post("/e/prefeitura/lancar/empenho", data={**_empenho("100,00", "E1"), "csrf": ficha})
    r = cliente.post(
        "/e/prefeitura/lancar/estorno",
        data={"id": "", "data": "02/03/2027", "evento": "E1", "csrf": ficha},
        follow_redirects=False,
    )
    assert r.status_code == 303, texto(r.text)
    assert "Estornado por EST270001" in texto(cliente.get("/e/prefeitura/evento/E1").text)


def test_lancamento_manual_recusado_quando_nao_fecha(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "contador")
    ficha = csrf(cliente, "/e/prefeitura/manual")
    dados = {
        "csrf": ficha, "data": "10/02/2027", "historico": "Ajuste",
        "conta_1": "1.1.1.1.1.01.00", "dc_1": "D", "valor_1": "10,00", "cc_1": "FR=1500",
        "conta_2": "1.1.1.1.1.01.00", "dc_2": "C", "valor_2": "9,00", "cc_2": "FR=1500",
    }  # fmt: skip
    with banco.connect() as con:
        antes = con.execute(select(func.count()).select_from(t.lancamento)).scalar_one()
    r = cliente.post("/e/prefeitura/manual", data=dados)
    assert r.status_code == 422
    assert "nada foi alterado" in r.text
    with banco.connect() as con:
        assert con.execute(select(func.count()).select_from(t.lancamento)).scalar_one() == antes
    r = cliente.post(
        "/e/prefeitura/manual", data={**dados, "valor_2": "10,00"}, follow_redirects=False
    )
    assert r.status_code == 303, texto(r.text)
    lc = texto(cliente.get(r.headers["location"]).text)
    assert "web:contador" in lc and "10,00" in lc


def test_importar_eventos_jsonl_so_da_entidade(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "contador")
    ficha = csrf(cliente, "/e/prefeitura/importar")
    linhas = [
        {"tipo": "empenho", "id": "IMP1", "entidade": "prefeitura", "data": "2027-04-01",
         "dotacao": DOTACAO_CONSULTORIA, "fonte": "1500", "credor": CPF_CONSULTOR, "valor": "10.00"},
        {"tipo": "empenho", "id": "IMP2", "entidade": "camara", "data": "2027-04-01",
         "dotacao": DOTACAO_CONSULTORIA, "fonte": "1500", "credor": CPF_CONSULTOR, "valor": "10.00"},
    ]  # fmt: skip
    corpo = "\n".join(json.dumps(x) for x in linhas).encode()
    antes = contar_eventos(banco)
    r = cliente.post(
        "/e/prefeitura/importar",
        data={"csrf": ficha, "tipo": "eventos"},
        files={"arquivo": ("eventos.jsonl", io.BytesIO(corpo), "application/x-ndjson")},
    )
    assert r.status_code == 422
    assert "eventos.jsonl, linha 2, campo entidade: [WEB-ENTIDADE]" in texto(r.text)
    assert contar_eventos(banco) == antes
    r = cliente.post(
        "/e/prefeitura/importar",
        data={"csrf": ficha, "tipo": "eventos"},
        files={"arquivo": ("eventos.jsonl", io.BytesIO(corpo.split(b"\n")[0]), "text/plain")},
    )
    assert r.status_code == 200, texto(r.text)
    assert "1 evento(s) registrado(s)" in r.text
    assert contar_eventos(banco) == antes + 1


# --------------------------------------------------------------- consultas
def test_paginas_principais_respondem(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    for url in (
        "/e/prefeitura/?ano=2026",
        "/e/prefeitura/balancete?de=01/2026&ate=12/2026",
        "/e/prefeitura/balancete?de=01/2026&ate=03/2026&cc=1",
        "/e/prefeitura/razao?conta=1.1.1.1.1.19.00&de=01/2026&ate=12/2026",
        "/e/prefeitura/despesa?ano=2026&funcao=15",
        "/e/prefeitura/receita?ano=2026",
        "/e/prefeitura/restos",
        "/e/prefeitura/disponibilidade?ano=2026",
        "/e/prefeitura/empenho/EMP-CONS",
        "/e/prefeitura/cadastros",
        "/e/prefeitura/cadastros/credores",
        "/e/prefeitura/cadastros/contas",
        "/e/prefeitura/cadastros/classificacoes",
        "/e/prefeitura/cadastros/dotacoes?ano=2026",
        "/e/prefeitura/cadastros/retencoes",
        "/e/prefeitura/obrigacoes?ano=2026",
        "/e/prefeitura/trilha",
        "/e/prefeitura/usuarios",
        "/e/prefeitura/lancar",
        "/e/prefeitura/lancar/liquidacao",
        "/e/prefeitura/lancar/pagamento",
        "/e/prefeitura/lancar/arrecadacao",
        "/e/prefeitura/manual",
        "/e/prefeitura/importar",
    ):
        r = cliente.get(url)
        assert r.status_code == 200, (url, texto(r.text)[:500])
        assert r.headers["content-security-policy"].startswith("default-src 'self'")


def test_painel_mostra_valores_do_exercicio(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    p = texto(cliente.get("/e/prefeitura/?ano=2027").text)
    assert "Fixada (atualizada) 36.000,00" in p
    assert "Empenhada 0,00" in p
    assert "<svg" in cliente.get("/e/prefeitura/?ano=2027").text


def test_drill_down_balancete_razao_lancamento_evento(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    b = cliente.get("/e/prefeitura/balancete?de=01/2027&ate=01/2027")
    assert b.status_code == 200
    # a dotação de 2027 (5.2.2.1.1.01.00, crédito inicial) leva ao razão
    m = re.search(r'href="(/e/prefeitura/razao\?conta=5\.2\.2\.1\.1\.01[^"]+)"', b.text)
    assert m, "conta da dotação no balancete"
    razao = cliente.get(m.group(1).replace("&amp;", "&"))
    assert "36.000,00" in razao.text
    lc = re.search(r'href="(/e/prefeitura/lancamento/EVLOA27)"', razao.text)
    assert lc
    pagina_lc = cliente.get(lc.group(1))
    assert 'href="/e/prefeitura/evento/LOA27"' in pagina_lc.text
    ev = cliente.get("/e/prefeitura/evento/LOA27")
    assert 'href="/e/prefeitura/lancamento/EVLOA27"' in ev.text
    assert "dotacao_inicial" in ev.text
    assert 'href="/e/prefeitura/balancete?de=01/2027&amp;ate=12/2027"' in pagina_lc.text


def test_periodo_invalido_mostra_mensagem(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    r = cliente.get("/e/prefeitura/balancete?de=14/2026")
    assert "[WEB-PERIODO] competência '14/2026' inválida" in texto(r.text)


def test_downloads_xlsx_pdf_csv(cliente: TestClient, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    entrar(cliente, "admin")
    r = cliente.get("/e/prefeitura/balancete?de=01/2026&ate=12/2026&formato=xlsx")
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="balancete.xlsx"'
    (tmp_path / "b.xlsx").write_bytes(r.content)
    ws = load_workbook(tmp_path / "b.xlsx").active
    assert "Balancete de verificação — Prefeitura" in str(ws["A1"].value)
    r = cliente.get("/e/prefeitura/despesa?ano=2026&formato=csv")
    linhas = r.text.splitlines()
    assert linhas[0].startswith("dotacao;fonte;")
    assert any(ln.startswith(DOTACAO_CONSULTORIA + ";1500;36000.00;") for ln in linhas)
    r = cliente.get("/e/prefeitura/restos?formato=pdf")
    assert r.content.startswith(b"%PDF")
    r = cliente.get("/e/prefeitura/receita?ano=2026&formato=xlsx")
    (tmp_path / "r.xlsx").write_bytes(r.content)
    assert load_workbook(tmp_path / "r.xlsx").active["A2"].value == "Natureza da receita"


def test_competencia_fechar_e_reabrir_exige_motivo(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    ficha = csrf(cliente, "/e/prefeitura/obrigacoes?ano=2027")
    r = cliente.post(
        "/e/prefeitura/obrigacoes/competencia",
        data={"csrf": ficha, "ano": "2027", "mes": "1", "acao": "fechar"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = cliente.post(
        "/e/prefeitura/obrigacoes/competencia",
        data={"csrf": ficha, "ano": "2027", "mes": "1", "acao": "reabrir", "motivo": ""},
    )
    assert r.status_code == 422
    assert "COMP-" in r.text or "motivo" in r.text


def test_cli_cria_usuario_e_recusa_senha_curta(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from erario.cli.app import app

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    r = runner.invoke(
        app, ["--db", db, "web", "usuario", "criar", "ana", "--papel", "contador"],
        env={"ERARIO_WEB_SENHA": "curta"},
    )  # fmt: skip
    assert r.exit_code == 1
    assert "[WEB-SENHA-CURTA] a senha precisa de ao menos 10 caracteres" in r.output
    r = runner.invoke(
        app, ["--db", db, "web", "usuario", "criar", "ana", "--papel", "contador"],
        env={"ERARIO_WEB_SENHA": SENHA},
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Usuário ana criado: contador em todas as entidades." in r.output
    r = runner.invoke(app, ["--db", db, "web", "usuario", "listar"])
    assert "contador em todas" in r.output


def test_formatos_brasileiros() -> None:
    from erario.web import formatos

    assert formatos.centavos_br("1.234,56") == 123456
    assert formatos.centavos_br("1234,5") == 123450
    assert formatos.centavos_br("1234.56") == 123456
    assert formatos.centavos_br("1.234") == 123400
    assert formatos.valor_para_carga("12.345.678,90") == "12345678.90"
    assert formatos.valor_para_carga("abc") == "abc"
    assert formatos.data_para_carga("31/12/2026") == "2026-12-31"
    assert formatos.data_para_carga("31/02/2026") == "31/02/2026"
    assert formatos.documento("12345678909") == "123.456.789-09"
    assert formatos.documento("01602258000120") == "01.602.258/0001-20"
    assert formatos.saldo_dc(-150) == "1,50 C"
    assert formatos.mes_de_texto("03/2026") == (2026, 3)
    assert formatos.mes_de_texto("2026-13") == (2026, 13)


def test_tabela_longa_em_paginas_com_o_total_de_todas(
    cliente: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from erario.web import app as web_app

    entrar(cliente, "admin")
    url = "/e/prefeitura/despesa?ano=2026"
    inteira = cliente.get(url + "&formato=csv").text.strip().splitlines()[1:]
    assert len(inteira) > 3
    monkeypatch.setattr(web_app, "LINHAS_POR_PAGINA", 2)
    primeira = cliente.get(url)
    assert f"Linhas 1 a 2 de {len(inteira)} (página 1 de " in texto(primeira.text)
    assert 'rel="next"' in primeira.text and 'rel="prev"' not in primeira.text
    assert primeira.text.count("<tr>") == 1 + 2 + 1  # cabeçalho, 2 linhas, total
    segunda = cliente.get(url + "&pagina=2")
    assert f"Linhas 3 a 4 de {len(inteira)}" in texto(segunda.text)
    assert 'rel="prev"' in segunda.text
    # o arquivo continua com todas as linhas, de qualquer página
    assert cliente.get(url + "&pagina=2&formato=csv").text.strip().splitlines()[1:] == inteira


def test_razao_na_tela_le_so_a_pagina_com_saldo_transportado(
    cliente: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """O razão de uma conta lê do banco só a página pedida: a primeira linha de
    cada página leva o saldo até ali e o total é o do período inteiro."""
    import csv

    from erario.core.dinheiro import centavos_de_texto
    from erario.web import app as web_app
    from erario.web import formatos

    entrar(cliente, "admin")
    url = "/e/prefeitura/razao?conta=1.1.1.1.1.19.00&de=01/2026&ate=12/2026"
    corpo = cliente.get(url + "&formato=csv").text
    inteira = list(csv.DictReader(io.StringIO(corpo), delimiter=";"))
    partidas = inteira[1:]  # a primeira é o saldo anterior
    assert len(partidas) > 4
    monkeypatch.setattr(web_app, "LINHAS_POR_PAGINA", 2)
    paginas = [cliente.get(url + f"&pagina={n}") for n in (1, 2)]
    assert "Página 1; os arquivos trazem todas as linhas." in texto(paginas[0].text)
    assert 'rel="next"' in paginas[0].text and 'rel="prev"' not in paginas[0].text
    assert 'rel="prev"' in paginas[1].text and "Saldo transportado" in paginas[1].text
    # cabeçalho, saldo de partida, 2 partidas e o total
    assert paginas[0].text.count("<tr>") == 1 + 1 + 2 + 1
    # o saldo transportado da página 2 é o corrido da 2ª partida (CSV: centavos)
    corrido = centavos_de_texto(partidas[1]["saldo"])
    assert formatos.saldo_dc(corrido) in texto(paginas[1].text).split("Saldo transportado")[1]
    # total do período inteiro, não da página
    debitos = sum(centavos_de_texto(p["debito"]) for p in partidas)
    creditos = sum(centavos_de_texto(p["credito"]) for p in partidas)
    rodape = texto(paginas[0].text).split("Total")[-1]
    assert formatos.brl(debitos) in rodape and formatos.brl(creditos) in rodape
    # a última página não tem próxima
    ultima = cliente.get(url + f"&pagina={(len(partidas) + 1) // 2}")
    assert 'rel="next"' not in ultima.text
    assert cliente.get(url + "&pagina=2&formato=csv").text == corpo
