"""Obrigações no navegador de verdade (Chromium headless + Selenium, como em
test_web_navegador.py): e-Sfinge gerar → validar → marcar enviado, e o axe-core
sem violações nas páginas de obrigações, conciliação, consolidação e cadastros."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from erario.storage import esquema as t
from tests.test_web_navegador import (
    Servidor,
    axe,
    entrar,
    esperar_texto,
    modelo,
    navegador,
    pytestmark,
    servidor,
)

__all__ = ["modelo", "navegador", "pytestmark", "servidor"]  # fixtures e o pulo sem Chromium


def esperar_arquivo(caminho: Path) -> bytes:
    for _ in range(100):
        if caminho.exists() and caminho.stat().st_size > 0:
            return caminho.read_bytes()
        time.sleep(0.1)
    raise AssertionError(f"{caminho} não baixado")


def test_esfinge_gerar_validar_marcar_enviado(
    servidor: Servidor, navegador: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    d, url = navegador, servidor.url
    entrar(d, url, "admin")
    d.get(url + "/e/prefeitura/obrigacoes?ano=2026")
    d.find_element(By.LINK_TEXT, "e-Sfinge").click()
    assert esperar_texto(d, "Pacote Registros Contábeis do mês")
    campo = d.find_element(By.ID, "c-mes")
    campo.clear()
    campo.send_keys("04/2026")
    d.find_element(By.CSS_SELECTOR, "button[value=json]").click()
    baixado = esperar_arquivo(tmp_path / "baixados" / "esfinge-prefeitura-2026-04.json")
    assert b'"anoMesRegistros": 202604' in baixado
    d.find_element(By.CSS_SELECTOR, "button[name=validar]").click()
    assert esperar_texto(d, "Validação do pacote 04/2026")
    assert d.find_element(By.CSS_SELECTOR, ".violacoes .ok").text.startswith(
        "Nenhum erro. Pacote válido:"
    )
    # Marcar como enviado com o arquivo baixado e o protocolo.
    d.find_element(By.ID, "e-mes").clear()
    d.find_element(By.ID, "e-mes").send_keys("04/2026")
    d.find_element(By.ID, "e-protocolo").send_keys("TCE-ABR-2026")
    d.find_element(By.ID, "e-arquivo").send_keys(
        str(tmp_path / "baixados" / "esfinge-prefeitura-2026-04.json")
    )
    d.find_element(By.XPATH, "//button[text()='Marcar como enviado']").click()
    assert esperar_texto(d, "Envio do pacote 04/2026 registrado.")
    assert d.find_element(By.CSS_SELECTOR, "div.ok").text == "Envio do pacote 04/2026 registrado."
    linha = d.find_element(By.XPATH, "//section[@aria-labelledby='t-envios']//tbody/tr").text
    assert "abril/2026" in linha and "TCE-ABR-2026" in linha and "web:admin" in linha
    with servidor.engine.connect() as con:
        (env,) = con.execute(select(t.esfinge_envio)).mappings().all()
    assert env["sha256"] == hashlib.sha256(baixado).hexdigest()


PAGINAS = (
    "/e/prefeitura/obrigacoes/esfinge",
    "/e/prefeitura/obrigacoes/esfinge?mes=13/2026&validar=1",  # com erro junto do campo
    "/e/prefeitura/obrigacoes/esfinge?mes=01/2026&validar=1",
    "/e/prefeitura/obrigacoes/siops?ano=2026",
    "/e/prefeitura/obrigacoes/siops/demonstrativo?ano=2026&bimestre=6",
    "/e/prefeitura/obrigacoes/siops/arquivos?ano=2026&bimestre=9",
    "/e/saneamento/obrigacoes/fcont",
    "/e/prefeitura/conciliacao?conta=001-3456-123456&mes=12/2026",
    "/e/prefeitura/consolidacao?ano=2026",
    "/e/prefeitura/consolidacao/balancete?de=01/2026&ate=12/2026&eliminar_intra=1&nivel=2",
    "/e/prefeitura/consolidacao/balancete?de=12/2026&ate=12/2026&por_entidade=1&nivel=2",
    "/e/prefeitura/cadastros/credores",
    "/e/prefeitura/cadastros/credores/editar",
    "/e/prefeitura/cadastros/contas/editar?codigo=001-3456-123456",
    "/e/prefeitura/cadastros/classificacoes/editar?cadastro=unidade&orgao=04&codigo=01",
    "/e/prefeitura/lancar/credito_adicional",
    "/e/prefeitura/usuarios",
    "/e/prefeitura/usuarios/leitor",
    "/senha",
)


def test_acessibilidade_axe_core_paginas_de_obrigacoes(servidor: Servidor, navegador: Any) -> None:
    d, url = navegador, servidor.url
    d.set_script_timeout(60)
    entrar(d, url, "admin")
    problemas = {}
    for pagina in PAGINAS:
        d.get(url + pagina)
        problemas[pagina] = axe(d)
    resumo = {
        p: [(v["id"], v["help"], len(v["nodes"])) for v in vs] for p, vs in problemas.items() if vs
    }
    assert resumo == {}
