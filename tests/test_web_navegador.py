"""Interface web num navegador de verdade: o Chromium da distribuição, headless,
guiado pelo Selenium (o chromedriver do sistema; nada é baixado). Servidor:
uvicorn numa thread, numa porta livre, sobre uma cópia do banco de test_web.

Pula (com o motivo) onde não houver /usr/bin/chromium e /usr/bin/chromedriver
(``.ci/run`` os instala com apt-get quando pode)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import Engine, func, select

from erario.storage import esquema as t
from erario.storage.banco import criar_engine
from erario.web.app import Config, criar_app
from tests.test_web import SENHA, Relogio, montar_mundo

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="sem /usr/bin/chromium e /usr/bin/chromedriver (apt-get install chromium chromium-driver)",
)


class Servidor(NamedTuple):
    url: str
    engine: Engine
    relogio: Relogio


def porta_livre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def iniciar_servidor(banco: Path, relogio: Relogio) -> tuple[Servidor, Any, threading.Thread]:
    import uvicorn

    engine = criar_engine(f"sqlite:///{banco}")
    app = criar_app(engine, Config(ociosa=1800, maxima=36000, relogio=relogio))
    porta = porta_livre()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=porta, log_level="warning", access_log=False
    )
    servidor = uvicorn.Server(config)
    thread = threading.Thread(target=servidor.run, daemon=True)
    thread.start()
    for _ in range(200):
        if servidor.started:
            break
        time.sleep(0.05)
    return Servidor(f"http://127.0.0.1:{porta}", engine, relogio), servidor, thread


def novo_navegador(downloads: Path | None = None) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opcoes = webdriver.ChromeOptions()
    opcoes.binary_location = str(CHROMIUM)  # com o binário e o driver dados, sem selenium-manager
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1366,768", "--lang=pt-BR", "--force-device-scale-factor=1"):  # fmt: skip
        opcoes.add_argument(arg)
    if downloads is not None:
        opcoes.add_experimental_option(
            "prefs",
            {"download.default_directory": str(downloads), "download.prompt_for_download": False},
        )
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=opcoes)
    driver.set_window_size(1366, 768)
    # O clique volta antes de a página seguinte carregar (máquina carregada): cada
    # find_element espera o elemento aparecer, até 15 s.
    driver.implicitly_wait(15)
    if downloads is not None:
        driver.execute_cdp_cmd(
            "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
    return driver


@pytest.fixture(scope="module")
def modelo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    caminho = tmp_path_factory.mktemp("nav") / "modelo.db"
    montar_mundo(caminho)
    return caminho


@pytest.fixture
def servidor(modelo: Path, tmp_path: Path) -> Iterator[Servidor]:
    banco = tmp_path / "web.db"
    shutil.copy(modelo, banco)
    s, uv, thread = iniciar_servidor(banco, Relogio())
    yield s
    uv.should_exit = True
    thread.join(timeout=10)
    s.engine.dispose()


@pytest.fixture
def navegador(tmp_path: Path) -> Iterator[Any]:
    (tmp_path / "baixados").mkdir()
    d = novo_navegador(tmp_path / "baixados")
    yield d
    d.quit()


def entrar(d: Any, url: str, login: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    d.get(url + "/entrar")
    campo = d.find_element(By.ID, "login")
    campo.send_keys(login)
    # só teclado: Tab do login à senha e Enter para enviar
    d.switch_to.active_element.send_keys(Keys.TAB)
    d.switch_to.active_element.send_keys(SENHA + Keys.ENTER)
    # a página seguinte (ou a mesma, com a recusa) já carregou: o Enter volta antes
    WebDriverWait(d, 15).until(lambda _d: saiu_da_pagina(campo))


def saiu_da_pagina(elemento: Any) -> bool:
    """``staleness_of`` que também aceita o erro que o ChromeDriver dá quando a
    navegação troca o documento no meio da pergunta ("Node with given id does not
    belong to the document"): visto uma vez no CI com a máquina carregada."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        elemento.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False


def ir(d: Any, elemento: Any) -> None:
    """Clica num link ou botão que leva a outra página e espera a troca."""
    from selenium.webdriver.support.ui import WebDriverWait

    elemento.click()
    WebDriverWait(d, 15).until(lambda _d: saiu_da_pagina(elemento))


def preencher(d: Any, valores: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    for nome, valor in valores.items():
        el = d.find_element(By.ID, f"c-{nome}")
        if el.tag_name == "select":
            Select(el).select_by_value(valor)
        else:
            el.clear()
            el.send_keys(valor)


def esperar_texto(d: Any, texto: str, segundos: float = 10) -> bool:
    """Espera a página seguinte ao envio do formulário mostrar ``texto`` (o clique
    volta antes de a navegação terminar numa máquina carregada)."""
    fim = time.monotonic() + segundos
    while time.monotonic() < fim:
        if texto in d.page_source:
            return True
        time.sleep(0.1)
    return False


def eventos(engine: Engine) -> int:
    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(t.evento)).scalar_one())


def linha_da_conta(d: Any, conta: str) -> str:
    from selenium.webdriver.common.by import By

    for tr in d.find_elements(By.CSS_SELECTOR, "#balancete tbody tr"):
        if tr.find_element(By.CSS_SELECTOR, "td").text == conta:
            return str(tr.text)
    return ""


def test_fluxo_empenho_liquidacao_pagamento_e_drill_down(
    servidor: Servidor, navegador: Any
) -> None:
    from selenium.webdriver.common.by import By

    from erario.demo import CPF_CONSULTOR, DOMICILIO_PREFEITURA, DOTACAO_CONSULTORIA, FORNECEDORES

    d, url = navegador, servidor.url
    entrar(d, url, "contador")
    assert d.current_url == url + "/e/prefeitura/"
    balancete = url + "/e/prefeitura/balancete?de=03/2027&ate=03/2027"
    d.get(balancete)
    antes = linha_da_conta(d, "6.2.2.1.3.04.00")  # crédito empenhado pago

    d.get(url + "/e/prefeitura/lancar/empenho")
    preencher(d, {"data": "01032027", "dotacao": DOTACAO_CONSULTORIA, "credor": CPF_CONSULTOR,
                  "valor": "3000"})  # fmt: skip
    # a máscara formatou o CPF e a dotação sugeriu a fonte
    assert d.find_element(By.ID, "c-credor").get_attribute("value") == "529.982.247-25"
    assert d.find_element(By.ID, "c-fonte").get_attribute("value") == "1500"
    assert d.find_element(By.ID, "c-data").get_attribute("value") == "01/03/2027"
    d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
    assert esperar_texto(d, "Evento EMP270001 registrado")

    d.get(url + "/e/prefeitura/lancar/liquidacao")
    preencher(d, {"data": "28/03/2027", "empenho": "EMP270001", "valor": "3.000,00",
                  "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": FORNECEDORES,
                  "documento": "RPA 1", "servico": "40", "conta_bancaria": DOMICILIO_PREFEITURA})  # fmt: skip
    d.find_element(By.CSS_SELECTOR, "button[value=previa]").click()
    previa = d.find_element(By.ID, "previa").text
    assert "451 INSS SERVIÇOS liquidação 3.000,00 330,00" in previa
    assert "100 IR PESSOA FÍSICA pagamento 2.670,00 57,45" in previa
    assert d.find_element(By.ID, "liquido").text == "2.612,55"
    d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
    assert esperar_texto(d, "Evento LIQ270001 registrado")

    d.get(url + "/e/prefeitura/lancar/pagamento")
    preencher(d, {"data": "30/03/2027", "liquidacao": "LIQ270001", "valor": "2.670,00",
                  "conta_bancaria": DOMICILIO_PREFEITURA})  # fmt: skip
    d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
    assert esperar_texto(d, "Evento PAG270001 registrado")

    d.get(balancete)
    depois = linha_da_conta(d, "6.2.2.1.3.04.00")
    assert depois != antes and "3.000,00" in depois
    # desce: conta → razão → lançamento → evento, e volta ao balancete
    # (cada clique espera a página seguinte: o h1 da anterior também existe)
    ir(d, d.find_element(By.LINK_TEXT, "6.2.2.1.3.04.00"))
    assert "Razão da conta 6.2.2.1.3.04.00" in d.find_element(By.TAG_NAME, "h1").text
    ir(d, d.find_element(By.LINK_TEXT, "EVPAG270001"))
    assert d.find_element(By.TAG_NAME, "h1").text == "Lançamento EVPAG270001"
    ir(d, d.find_element(By.LINK_TEXT, "evento PAG270001"))
    assert "Evento PAG270001 (pagamento)" in d.find_element(By.TAG_NAME, "h1").text
    ir(d, d.find_element(By.LINK_TEXT, "EVPAG270001"))
    ir(d, d.find_element(By.PARTIAL_LINK_TEXT, "Balancete de 2027"))
    assert "Balancete de verificação" in d.find_element(By.TAG_NAME, "h1").text


def test_empenho_recusado_mostra_mensagem_e_nao_grava(servidor: Servidor, navegador: Any) -> None:
    from selenium.webdriver.common.by import By

    from erario.demo import CPF_CONSULTOR, DOTACAO_CONSULTORIA

    d, url = navegador, servidor.url
    entrar(d, url, "contador")
    antes = eventos(servidor.engine)
    d.get(url + "/e/prefeitura/lancar/empenho")
    preencher(d, {"data": "01/03/2027", "dotacao": DOTACAO_CONSULTORIA, "credor": CPF_CONSULTOR,
                  "valor": "99.000,00"})  # fmt: skip
    d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
    msg = d.find_element(By.ID, "m-valor")
    assert msg.is_displayed()
    assert msg.text.startswith("[EXEC-DOTACAO-SALDO] empenho de 99.000,00 acima do crédito")
    campo = d.find_element(By.ID, "c-valor")
    assert campo.get_attribute("aria-invalid") == "true"
    assert "m-valor" in campo.get_attribute("aria-describedby")
    assert eventos(servidor.engine) == antes


def test_baixar_xlsx_e_abrir(servidor: Servidor, navegador: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By

    d, url = navegador, servidor.url
    entrar(d, url, "admin")
    d.get(url + "/e/prefeitura/despesa?ano=2026")
    d.find_element(By.LINK_TEXT, "XLSX").click()
    alvo = tmp_path / "baixados" / "despesa-2026.xlsx"
    for _ in range(100):
        if alvo.exists() and alvo.stat().st_size > 0:
            break
        time.sleep(0.1)
    ws = load_workbook(alvo).active
    assert ws["A1"].value.startswith("Execução da despesa — Prefeitura")
    assert ws["A2"].value == "Dotação"


def test_usuario_de_uma_entidade_nao_ve_outra(servidor: Servidor, navegador: Any) -> None:
    from selenium.webdriver.common.by import By

    d, url = navegador, servidor.url
    entrar(d, url, "leitor")
    assert d.current_url == url + "/e/camara/"
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "a")]
    assert not any("/e/prefeitura" in (h or "") for h in links)
    d.get(url + "/e/prefeitura/balancete")
    assert "[WEB-ACESSO]" in d.find_element(By.CSS_SELECTOR, ".erros").text
    d.get(url + "/e/camara/lancar/empenho")
    assert "[WEB-ACESSO]" in d.page_source


def test_gestao_de_usuarios_criar_e_entrar(servidor: Servidor, navegador: Any) -> None:
    """O administrador cria, pela tela, um usuário com papel consulta na Câmara; ele
    entra e não vê a Prefeitura (nem pelo menu, nem pela URL)."""
    from selenium.webdriver.common.by import By

    d, url = navegador, servidor.url
    entrar(d, url, "admin")
    d.get(url + "/e/prefeitura/")
    d.find_element(By.LINK_TEXT, "Usuários").click()
    assert esperar_texto(d, "Novo usuário")
    for campo, valor in (("u-login", "bia"), ("u-nome", "Bia Lima"), ("u-senha", "senha-da-bia-1"),
                         ("u-senha2", "senha-da-bia-1")):  # fmt: skip
        d.find_element(By.ID, campo).send_keys(valor)
    from selenium.webdriver.support.ui import Select

    Select(d.find_element(By.ID, "u-papel")).select_by_value("consulta")
    d.find_element(By.CSS_SELECTOR, "input[name=entidade][value=camara]").click()
    d.find_element(By.XPATH, "//button[text()='Criar usuário']").click()
    assert esperar_texto(d, "Usuário bia criado: consulta em camara.")
    assert "bia Bia Lima sim consulta em camara" in d.find_element(By.ID, "usuarios").text
    d.find_element(By.XPATH, "//button[text()='Sair']").click()
    assert esperar_texto(d, "Entrar no erario")
    d.find_element(By.ID, "login").send_keys("bia")
    d.find_element(By.ID, "senha").send_keys("senha-da-bia-1\n")
    assert esperar_texto(d, "Câmara Municipal")
    assert d.current_url == url + "/e/camara/"
    links = [a.get_attribute("href") or "" for a in d.find_elements(By.CSS_SELECTOR, "a")]
    assert not any("/e/prefeitura" in h or "/usuarios" in h for h in links)
    d.get(url + "/e/prefeitura/")
    assert "[WEB-ACESSO]" in d.find_element(By.CSS_SELECTOR, ".erros").text


def test_csrf_adulterado_e_sessao_vencida(servidor: Servidor, navegador: Any) -> None:
    from selenium.webdriver.common.by import By

    from erario.demo import CPF_CONSULTOR, DOTACAO_CONSULTORIA

    d, url = navegador, servidor.url
    entrar(d, url, "contador")
    antes = eventos(servidor.engine)
    d.get(url + "/e/prefeitura/lancar/empenho")
    preencher(d, {"data": "01/03/2027", "dotacao": DOTACAO_CONSULTORIA, "credor": CPF_CONSULTOR,
                  "valor": "10,00"})  # fmt: skip
    d.execute_script("document.querySelector('form.formulario input[name=csrf]').value = 'forjada'")
    d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
    assert "[WEB-CSRF]" in d.find_element(By.CSS_SELECTOR, ".erros").text
    assert eventos(servidor.engine) == antes
    servidor.relogio.agora += 1801  # 30 min sem uso
    d.get(url + "/e/prefeitura/balancete")
    assert d.current_url.startswith(url + "/entrar?proximo=")
    assert d.find_element(By.TAG_NAME, "h1").text == "Entrar no erario"


def axe(d: Any) -> list[dict[str, Any]]:
    """Violações do axe-core (WCAG 2 A e AA) na página aberta."""
    import axe_selenium_python

    js = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    d.execute_script(js.read_text(encoding="utf-8"))
    resultado = d.execute_async_script(
        "const pronto = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        ".then(r => pronto(r.violations)).catch(e => pronto([{id: 'erro', help: String(e), nodes: []}]));"
    )
    return list(resultado)


def test_acessibilidade_axe_core(servidor: Servidor, navegador: Any) -> None:
    """Rótulos, contraste, nomes e estrutura (axe-core) nas páginas principais, e o
    foco visível chegando ao formulário pelo teclado."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d, url = navegador, servidor.url
    d.set_script_timeout(60)
    d.get(url + "/entrar")
    problemas = {"/entrar": axe(d)}
    entrar(d, url, "admin")
    for pagina in (
        "/e/prefeitura/?ano=2026",
        "/e/prefeitura/balancete?de=01/2026&ate=12/2026",
        "/e/prefeitura/despesa?ano=2026",
        "/e/prefeitura/lancar/empenho",
        "/e/prefeitura/lancar/liquidacao",
        "/e/prefeitura/obrigacoes?ano=2026",
        "/e/prefeitura/manual",
    ):
        d.get(url + pagina)
        problemas[pagina] = axe(d)
    # formulário com erro: mensagens junto dos campos também passam
    d.get(url + "/e/prefeitura/lancar/empenho")
    # o axe na página da resposta, não na que o clique ainda não trocou (o CI caiu
    # uma vez com "axe is not defined": injetado na velha, rodado na nova)
    ir(d, d.find_element(By.CSS_SELECTOR, "button[value=confirmar]"))
    problemas["empenho com erros"] = axe(d)
    resumo = {
        p: [(v["id"], v["help"], len(v["nodes"])) for v in vs] for p, vs in problemas.items() if vs
    }
    assert resumo == {}
    # teclado: o primeiro Tab leva ao "Pular para o conteúdo"
    d.get(url + "/e/prefeitura/lancar/empenho")
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert d.switch_to.active_element.text == "Pular para o conteúdo"
