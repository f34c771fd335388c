"""Capturas de tela das páginas principais da interface web (docs/web/*.png),
no Chromium do sistema, janela 1366×768, sobre o município do demo com o
exercício de 2027 aberto (o mesmo banco dos testes da web).

    .venv/bin/python tools/capturas_web.py [--saida docs/web]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

from tests.test_web import Relogio, montar_mundo  # noqa: E402
from tests.test_web_navegador import (  # noqa: E402
    entrar,
    esperar_texto,
    iniciar_servidor,
    novo_navegador,
    preencher,
)


def main() -> None:
    from selenium.webdriver.common.by import By

    from erario.demo import CPF_CONSULTOR, DOMICILIO_PREFEITURA, DOTACAO_CONSULTORIA, FORNECEDORES

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--saida", type=Path, default=RAIZ / "docs" / "web")
    args = ap.parse_args()
    args.saida.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as pasta:
        banco = Path(pasta) / "capturas.db"
        montar_mundo(banco)
        s, uv, thread = iniciar_servidor(banco, Relogio())
        d = novo_navegador()
        try:

            def foto(nome: str) -> None:
                d.save_screenshot(str(args.saida / f"{nome}.png"))
                print(f"{args.saida / nome}.png")

            d.get(s.url + "/entrar")
            foto("01-entrar")
            entrar(d, s.url, "admin")
            d.get(s.url + "/e/prefeitura/?ano=2026")
            foto("02-painel")
            d.get(s.url + "/e/prefeitura/lancar/empenho")
            preencher(d, {"data": "01/03/2027", "dotacao": DOTACAO_CONSULTORIA,
                          "credor": CPF_CONSULTOR, "valor": "99.000,00"})  # fmt: skip
            d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
            foto("03-empenho-recusado")
            preencher(d, {"valor": "3.000,00"})
            d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
            # o clique volta antes de a página seguinte chegar: espera o evento gravado
            assert esperar_texto(d, "Evento EMP270001 registrado")
            d.get(s.url + "/e/prefeitura/lancar/liquidacao")
            preencher(d, {"data": "28/03/2027", "empenho": "EMP270001", "valor": "3.000,00",
                          "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": FORNECEDORES,
                          "documento": "RPA 1", "servico": "40",
                          "conta_bancaria": DOMICILIO_PREFEITURA})  # fmt: skip
            d.find_element(By.CSS_SELECTOR, "button[value=previa]").click()
            assert esperar_texto(d, "Prévia das retenções")
            d.execute_script("document.getElementById('previa').scrollIntoView()")
            foto("04-liquidacao-previa-retencoes")
            d.find_element(By.CSS_SELECTOR, "button[value=confirmar]").click()
            assert esperar_texto(d, "Evento LIQ270001 registrado")
            d.get(s.url + "/e/prefeitura/balancete?de=01/2026&ate=12/2026&nivel=5")
            foto("05-balancete")
            d.get(s.url + "/e/prefeitura/razao?conta=1.1.1.1.1.19.00&de=01/2026&ate=12/2026")
            foto("06-razao")
            d.get(s.url + "/e/prefeitura/lancamento/EVLIQ270001")
            foto("07-lancamento")
            d.get(s.url + "/e/prefeitura/empenho/EMP270001")
            foto("08-extrato-empenho")
            d.get(s.url + "/e/prefeitura/despesa?ano=2026")
            foto("09-execucao-despesa")
            d.get(s.url + "/e/prefeitura/obrigacoes?ano=2026")
            foto("10-obrigacoes")
            # e-Sfinge: o pacote de janeiro validado e um arquivo adulterado recusado
            d.get(s.url + "/e/prefeitura/obrigacoes/esfinge?mes=01/2026&validar=1")
            foto("11-esfinge-validado")
            import re
            import urllib.request

            cookie = d.get_cookie("erario_sessao")["value"]
            pedido = urllib.request.Request(
                s.url + "/e/prefeitura/obrigacoes/esfinge?mes=03/2026&baixar=json",
                headers={"Cookie": f"erario_sessao={cookie}"},
            )
            with urllib.request.urlopen(pedido) as resp:  # o servidor local desta captura
                pacote = resp.read().decode("utf-8")
            ruim = Path(pasta) / "marco.json"
            ruim.write_text(
                re.sub(r'"valorLancamento": [0-9.]+', '"valorLancamento": -5.00', pacote, count=1),
                encoding="utf-8",
            )
            d.get(s.url + "/e/prefeitura/obrigacoes/esfinge?mes=03/2026")
            d.find_element(By.ID, "e-mes").clear()
            d.find_element(By.ID, "e-mes").send_keys("03/2026")
            d.find_element(By.ID, "e-arquivo").send_keys(str(ruim))
            d.find_element(By.XPATH, "//button[text()='Marcar como enviado']").click()
            d.execute_script("document.querySelector('.violacoes').scrollIntoView()")
            foto("12-esfinge-violacoes")
            # SIOPS: sugerir o que falta (sugerida × confirmada) e o demonstrativo
            d.get(s.url + "/e/prefeitura/obrigacoes/siops?ano=2026")
            d.find_element(By.CSS_SELECTOR, "button[value=sugerir]").click()
            d.execute_script("document.getElementById('equivalencias').scrollIntoView()")
            foto("13-siops-equivalencias")
            d.get(s.url + "/e/prefeitura/obrigacoes/siops/demonstrativo?ano=2026&bimestre=6")
            foto("14-siops-demonstrativo")
            d.get(s.url + "/e/saneamento/obrigacoes/fcont")
            foto("15-fcont")
            # Conciliação: um casamento desfeito volta como sugestão
            d.get(s.url + f"/e/prefeitura/conciliacao?conta={DOMICILIO_PREFEITURA}&mes=12/2026")
            d.find_element(By.CSS_SELECTOR, "#pares input[value='2']").click()
            d.find_element(By.XPATH, "//button[text()='Desfazer marcados']").click()
            d.execute_script("document.getElementById('t-eq').scrollIntoView()")
            foto("16-conciliacao")
            d.get(s.url + "/e/prefeitura/consolidacao?ano=2026")
            foto("17-consolidacao")
            d.get(s.url + "/e/prefeitura/consolidacao/balancete?de=01/2026&ate=12/2026"
                  "&eliminar_intra=1&nivel=3")  # fmt: skip
            foto("18-balancete-consolidado")
            d.get(s.url + "/e/prefeitura/cadastros/credores/editar")
            preencher(d, {"documento": "529.982.247-24", "nome": "Teste"})
            d.find_element(By.XPATH, "//button[text()='Gravar']").click()
            foto("19-credor-recusado")
            # Usuários: criar com a senha repetida errada (mensagens junto dos campos)
            d.get(s.url + "/e/prefeitura/usuarios")
            for campo, valor in (("u-login", "bia"), ("u-nome", "Bia Lima"),
                                 ("u-senha", "senha-da-bia-1"), ("u-senha2", "senha-da-bia-2")):  # fmt: skip
                d.find_element(By.ID, campo).send_keys(valor)
            d.find_element(By.CSS_SELECTOR, "input[name=entidade][value=camara]").click()
            d.find_element(By.XPATH, "//button[text()='Criar usuário']").click()
            assert esperar_texto(d, "WEB-SENHA-CONFIRMACAO")
            d.execute_script("document.getElementById('t-novo').scrollIntoView()")
            foto("20-usuarios")
            # SIOPS: marcas
            d.get(s.url + "/e/prefeitura/obrigacoes/siops?ano=2026#marcas")
            d.execute_script("document.getElementById('marcas').scrollIntoView()")
            foto("21-siops-marcas")
            # Consolidação com o servidor de dados de verdade (uvicorn numa thread)
            _servidor_de_dados(d, s.url, Path(pasta), foto)
        finally:
            d.quit()
            uv.should_exit = True
            thread.join(timeout=10)
            s.engine.dispose()
            shutil.rmtree(pasta, ignore_errors=True)


def _servidor_de_dados(d: Any, url: str, pasta: Path, foto: Callable[[str], None]) -> None:
    """Abre as competências de 2026 no servidor de dados pela tela e mostra a situação."""
    from selenium.webdriver.common.by import By
    from tests.apoio_servidor import SEGREDO, servidor_no_ar

    from erario.api.servidor import Admin, Config, preparar_banco
    from erario.demo import ENTIDADES

    cfg = Config(url=f"sqlite:///{pasta / 'servidor.db'}", segredo=SEGREDO)
    admin = Admin(preparar_banco(cfg.url))
    pref = ENTIDADES[0]
    admin.cadastrar_entidade(pref.cnpj, pref.slug, pref.nome, str(pref.tipo), pref.ibge)
    admin.criar_usuario("contador@prefeitura.br", "senha-do-servidor-9")
    admin.vincular("contador@prefeitura.br", pref.cnpj)
    with servidor_no_ar(cfg) as servidor:
        d.get(url + "/e/prefeitura/consolidacao?ano=2026")
        for acao in ("abrir_competencias", "situacao"):
            for campo, valor in (("s-servidor", servidor), ("s-email", "contador@prefeitura.br"),
                                 ("s-senha", "senha-do-servidor-9")):  # fmt: skip
                el = d.find_element(By.ID, campo)
                el.clear()
                el.send_keys(valor)
            d.find_element(By.CSS_SELECTOR, f"button[value={acao}]").click()
            assert esperar_texto(d, "Competências abertas no servidor" if acao == "situacao"
                                 else "aberta(s) no servidor", 30)  # fmt: skip
        d.execute_script("document.getElementById('servidor').scrollIntoView()")
        foto("22-consolidacao-servidor")


if __name__ == "__main__":
    main()
