"""Cadastros que faltavam no navegador (issue 22, item 6) pelo TestClient: marcas
do SIOPS, classificações orçamentárias, importação de cadastros e retenções, os
formulários da LOA (previsão, crédito adicional, anulação e reserva de dotação)
e a regra de desempenho das páginas: cada requisição lê o controle
orçamentário (``Repositorio.controle``) no máximo uma vez."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from erario.demo import DOTACAO_CONSULTORIA
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio
from tests.test_web import banco, cliente, csrf, entrar, mundo_modelo, relogio, texto

__all__ = ["banco", "cliente", "mundo_modelo", "relogio"]  # fixtures usadas aqui

SIOPS = "/e/prefeitura/obrigacoes/siops"
DOT_SAUDE = "0801.10.122.0020.2034.33903900"  # marcada TIPO_ASPS=gestao no demo


def contar(engine: Engine, tabela: Any) -> int:
    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(tabela)).scalar_one())


# -------------------------------------------------------------- marcas SIOPS
def test_marcas_siops_recusas_gravar_e_remover(cliente: TestClient, banco: Engine) -> None:
    from erario.storage import siops as st

    entrar(cliente, "contador")
    r = cliente.get(f"{SIOPS}?ano=2026")
    # a do demo: a dotação da saúde marcada como gestão
    assert f"dotacao {DOT_SAUDE} TIPO_ASPS gestao" in texto(r.text)
    demo = st.marcas(Repositorio(banco), "prefeitura", 2026)
    assert len(demo) == 1
    ficha = csrf(cliente, f"{SIOPS}?ano=2026")
    base = {"csrf": ficha, "ano": "2026", "acao": "marcar", "alvo": "empenho",
            "codigo": "EMP-S122", "chave": "ASPS"}  # fmt: skip
    r = cliente.post(f"{SIOPS}/marcas", data=base | {"valor": "talvez"})
    assert r.status_code == 422
    assert ("[SIOPS-MARCA] empenho EMP-S122: valor 'talvez' inválido: use sim ou nao"
            in texto(r.text))  # fmt: skip
    assert 'value="talvez"' in r.text  # o que foi digitado volta
    r = cliente.post(f"{SIOPS}/marcas", data=base | {"chave": "SAUDE", "valor": "sim"})
    assert ("[SIOPS-MARCA] empenho EMP-S122: marca 'SAUDE' não se aplica a empenho: use ASPS, "
            "CONSORCIO, COVID") in texto(r.text)  # fmt: skip
    r = cliente.post(f"{SIOPS}/marcas", data=base | {"codigo": "", "valor": "nao"})
    assert 'id="m-m-codigo">[WEB-MARCA] informe o código' in unescape(r.text)
    assert st.marcas(Repositorio(banco), "prefeitura", 2026) == demo
    r = cliente.post(f"{SIOPS}/marcas", data=base | {"valor": "Não"}, follow_redirects=True)
    tx = texto(r.text)
    assert "Marca ASPS=nao gravada em empenho EMP-S122." in tx  # valor normalizado
    assert "empenho EMP-S122 ASPS nao" in tx
    r = cliente.post(f"{SIOPS}/marcas", data=base | {"alvo": "dotacao", "codigo": DOTACAO_CONSULTORIA,
                                                     "chave": "TIPO_ASPS", "valor": "gestao"},
                     follow_redirects=True)  # fmt: skip
    assert [tuple(m) for m in st.marcas(Repositorio(banco), "prefeitura", 2026)] == [
        ("dotacao", DOTACAO_CONSULTORIA, "TIPO_ASPS", "gestao"),
        ("dotacao", DOT_SAUDE, "TIPO_ASPS", "gestao"),
        ("empenho", "EMP-S122", "ASPS", "nao"),
    ]
    # remover: nada marcado é recusado; as marcadas saem
    r = cliente.post(f"{SIOPS}/marcas", data={"csrf": ficha, "ano": "2026", "acao": "remover"})
    assert r.status_code == 422 and "[WEB-MARCA] marque na lista" in texto(r.text)
    r = cliente.post(f"{SIOPS}/marcas", data={"csrf": ficha, "ano": "2026", "acao": "remover",
                                              "remover": "empenho|EMP-S122|ASPS"},
                     follow_redirects=True)  # fmt: skip
    assert "1 marca(s) removida(s)." in texto(r.text)
    assert [m.codigo for m in st.marcas(Repositorio(banco), "prefeitura", 2026)] == [
        DOTACAO_CONSULTORIA,
        DOT_SAUDE,
    ]
    trilha = texto(cliente.get("/e/prefeitura/trilha").text)
    assert "siops:marcar recusado" in trilha and "siops:desmarcar ok" in trilha


def test_marcas_consulta_nao_grava(cliente: TestClient, banco: Engine) -> None:
    from erario.storage import siops as st

    demo = st.marcas(Repositorio(banco), "prefeitura", 2026)
    entrar(cliente, "leitor")
    r = cliente.get("/e/camara/obrigacoes/siops?ano=2026")
    assert "Nova marca" not in r.text and "/siops/marcas" not in r.text
    assert "Nenhuma marca em 2026." in texto(r.text)
    ficha = csrf(cliente, "/e/camara/obrigacoes/siops?ano=2026")
    r = cliente.post("/e/camara/obrigacoes/siops/marcas",
                     data={"csrf": ficha, "ano": "2026", "acao": "marcar", "alvo": "fonte",
                           "codigo": "1500", "chave": "COVID", "valor": "sim"})  # fmt: skip
    assert r.status_code == 403
    r = cliente.post("/e/prefeitura/obrigacoes/siops/marcas",
                     data={"csrf": ficha, "ano": "2026", "acao": "marcar", "alvo": "fonte",
                           "codigo": "1500", "chave": "COVID", "valor": "sim"})  # fmt: skip
    assert r.status_code == 403
    assert st.marcas(Repositorio(banco), "camara", 2026) == []
    cliente.cookies.clear()
    entrar(cliente, "contador")
    r = cliente.post(f"{SIOPS}/marcas", data={"ano": "2026", "acao": "marcar", "alvo": "fonte",
                                              "codigo": "1500", "chave": "COVID", "valor": "sim"})  # fmt: skip
    assert r.status_code == 403 and "[WEB-CSRF]" in texto(r.text)
    assert st.marcas(Repositorio(banco), "prefeitura", 2026) == demo


# --------------------------------------------------------------- classificações
CLAS = "/e/prefeitura/cadastros/classificacoes"


def test_classificacoes_incluir_alterar_e_recusas(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "contador")
    url = f"{CLAS}/editar"
    ficha = csrf(cliente, url)
    antes = contar(banco, t.orgao)
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "cadastro": "orgao", "codigo": "9",
                                "nome": ""})  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert re.search(r'id="m-c-codigo">\[CAD-[A-Z-]+\] ', h), h[h.find("Operação") :][:800]
    assert re.search(r'id="m-c-nome">\[CAD-[A-Z-]+\] ', h)
    assert contar(banco, t.orgao) == antes
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "cadastro": "orgao", "codigo": "09",
                                "nome": "Secretaria de Obras"}, follow_redirects=True)  # fmt: skip
    tx = texto(r.text)
    assert "Órgão 09 gravado(a)." in tx and "órgão 09 Secretaria de Obras" in tx
    assert contar(banco, t.orgao) == antes + 1
    # unidade de órgão que não existe: a regra da carga
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "cadastro": "unidade", "orgao": "77",
                                "codigo": "01", "nome": "Fundo"})  # fmt: skip
    assert r.status_code == 422 and "77" in texto(r.text)
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "cadastro": "unidade", "orgao": "09",
                                "codigo": "01", "nome": "Fundo de Obras"}, follow_redirects=True)  # fmt: skip
    assert "unidade 09.01 Fundo de Obras" in texto(r.text)
    # alterar: o formulário vem preenchido; o mesmo código atualiza
    r = cliente.get(f"{url}?cadastro=unidade&orgao=09&codigo=01")
    assert 'value="Fundo de Obras"' in r.text and "Alterar classificação orçamentária" in r.text
    r = cliente.post(url, data={"csrf": ficha, "cadastro": "unidade", "orgao": "09", "codigo": "01",
                                "nome": "Fundo Municipal de Obras"}, follow_redirects=True)  # fmt: skip
    assert "unidade 09.01 Fundo Municipal de Obras" in texto(r.text)
    # fonte com propriedades
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "cadastro": "fonte",
                                "codigo": "1600.1002", "nome": "SUS", "propriedades": "COVID"})  # fmt: skip
    assert ("id=\"m-c-propriedades\">[WEB-PROPRIEDADE] 'COVID': use CHAVE=valor"
            in unescape(r.text))  # fmt: skip
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "cadastro": "fonte",
                                "codigo": "1600.1002", "nome": "SUS",
                                "propriedades": "COVID=sim\nSIOPS=sim"}, follow_redirects=True)  # fmt: skip
    assert "fonte 1600.1002 SUS COVID=sim, SIOPS=sim" in texto(r.text)
    assert "COVID=sim\nSIOPS=sim" in unescape(
        cliente.get(f"{url}?cadastro=fonte&codigo=1600.1002").text
    )
    # a lista leva ao formulário de cada linha
    assert f"{url}?cadastro=orgao&amp;codigo=09" in cliente.get(CLAS).text


def test_classificacoes_consulta_nao_edita(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "leitor")
    r = cliente.get("/e/camara/cadastros/classificacoes")
    assert "Nova classificação" not in r.text and "/editar" not in r.text
    assert cliente.get("/e/camara/cadastros/classificacoes/editar").status_code == 403
    ficha = csrf(cliente, "/e/camara/cadastros/classificacoes")
    antes = contar(banco, t.orgao)
    r = cliente.post("/e/camara/cadastros/classificacoes/editar",
                     data={"csrf": ficha, "cadastro": "orgao", "codigo": "09", "nome": "X"})  # fmt: skip
    assert r.status_code == 403 and contar(banco, t.orgao) == antes
    # sem papel na prefeitura: nem a página, nem pela URL do formulário, nem a importação
    assert cliente.get(CLAS).status_code == 403
    assert cliente.get(f"{CLAS}/editar").status_code == 403
    r = cliente.post("/e/prefeitura/importar", data={"csrf": ficha, "tipo": "cadastros"},
                     files={"arquivo": ("c.jsonl", io.BytesIO(b"{}"), "application/jsonl")})  # fmt: skip
    assert r.status_code == 403 and contar(banco, t.orgao) == antes


# ------------------------------------------------- importar cadastros e retenções
def _enviar(c: TestClient, tipo: str, linhas: list[dict[str, Any]], validar: bool = False) -> Any:
    ficha = csrf(c, "/e/prefeitura/importar")
    corpo = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in linhas).encode()
    dados = {"csrf": ficha, "tipo": tipo} | ({"validar": "1"} if validar else {})
    return c.post("/e/prefeitura/importar", data=dados,
                  files={"arquivo": ("c.jsonl", io.BytesIO(corpo), "application/jsonl")})  # fmt: skip


def test_importar_cadastros_e_retencoes(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "contador")
    antes = contar(banco, t.orgao)
    programa = {"cadastro": "programa", "entidade": "prefeitura", "codigo": "0099", "nome": "P"}
    outra = {"cadastro": "orgao", "entidade": "camara", "codigo": "08", "nome": "Mesa"}
    ruim = {"cadastro": "orgao", "entidade": "prefeitura", "codigo": "1", "nome": "X"}
    r = _enviar(cliente, "cadastros", [programa, outra, ruim])
    assert r.status_code == 422
    tx = texto(r.text)
    # todos os problemas de uma vez: o da entidade e o da conferência da carga
    assert ("c.jsonl, linha 2, campo entidade: [WEB-ENTIDADE] cadastro da entidade camara: aqui "
            "só entram cadastros de prefeitura") in tx  # fmt: skip
    assert "c.jsonl, linha 3, campo codigo: [CAD-CAMPO] codigo: '1' deve ter 2 dígitos" in tx
    assert contar(banco, t.orgao) == antes
    r = _enviar(cliente, "cadastros", [programa], validar=True)
    assert "0 credor(es) e 0 conta(s) bancária(s) válido(s); nada gravado" in texto(r.text)
    r = _enviar(cliente, "cadastros", [programa])
    assert (
        "0 credor(es) e 0 conta(s) bancária(s) registrado(s); classificações: 0 órgão(s), "
        "0 unidade(s), 1 programa(s), 0 ação(ões), 0 fonte(s)."
    ) in texto(r.text)
    # retenções: um serviço novo com o vínculo ao INSS do demo
    antes_r = contar(banco, t.retencao_cadastro)
    servico = {"cadastro": "servico", "codigo": 41, "descricao": "Assessoria",
               "descricao_reduzida": "Assessoria"}  # fmt: skip
    vinculo = {
        "cadastro": "servico_desconto",
        "servico": 41,
        "desconto": 451,
        "percentual": "11.00",
    }
    r = _enviar(cliente, "retencoes", [servico, {**vinculo, "desconto": 999}])
    assert r.status_code == 422 and contar(banco, t.retencao_cadastro) == antes_r
    r = _enviar(cliente, "retencoes", [servico, vinculo])
    assert "2 cadastro(s) de retenção registrado(s)." in texto(r.text)
    assert "41 Assessoria descontos: 451" in texto(
        cliente.get("/e/prefeitura/cadastros/retencoes").text
    )
    parametros = {"cadastro": "parametros", "unidade_gestora": "camara", "exercicio": 2027,
                  "rotina_tipo_servico": "liquidacao"}  # fmt: skip
    r = _enviar(cliente, "retencoes", [parametros])
    assert "cadastro da entidade camara: aqui só entram cadastros de prefeitura" in texto(r.text)


# ------------------------------------------------------------ LOA pela tela
def test_credito_adicional_reserva_e_anulacao_de_dotacao(
    cliente: TestClient, banco: Engine
) -> None:
    entrar(cliente, "contador")
    ficha = csrf(cliente, "/e/prefeitura/lancar/credito_adicional")
    comum = {"csrf": ficha, "dotacao": DOTACAO_CONSULTORIA, "fonte": "1500", "acao": "confirmar"}
    r = cliente.post("/e/prefeitura/lancar/credito_adicional",
                     data=comum | {"data": "10/02/2027", "valor": "1.000,00",
                                   "modalidade": "suplementar", "cobertura": "superavit"},
                     follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, texto(r.text)
    r = cliente.post(
        "/e/prefeitura/lancar/reserva_dotacao",
        data=comum | {"data": "11/02/2027", "valor": "500,00"},
        follow_redirects=False,
    )
    assert r.status_code == 303, texto(r.text)
    antes = contar(banco, t.evento)
    r = cliente.post("/e/prefeitura/lancar/anulacao_dotacao",
                     data=comum | {"data": "12/02/2027", "valor": "99.000,00"})  # fmt: skip
    assert r.status_code == 422
    assert re.search(r'id="m-valor">\[[A-Z-]+\] ', unescape(r.text))
    assert contar(banco, t.evento) == antes
    tx = texto(cliente.get("/e/prefeitura/cadastros/dotacoes?ano=2027").text)
    # LOA 36.000,00 + 1.000,00 suplementar; reservado 500,00: disponível 36.500,00
    assert (f"{DOTACAO_CONSULTORIA} 2027 1500 36.000,00 1.000,00 0,00 37.000,00 0,00 500,00 "
            "36.500,00") in tx  # fmt: skip


# ------------------------------------------------ uma leitura do controle
@pytest.fixture
def leituras(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """As chamadas de ``Repositorio.controle`` (o argumento de cada uma)."""
    chamadas: list[Any] = []
    original = Repositorio.controle

    def contado(self: Repositorio, entidade: str | None = None, **opcoes: Any) -> Any:
        chamadas.append(entidade)
        return original(self, entidade, **opcoes)

    monkeypatch.setattr(Repositorio, "controle", contado)
    yield chamadas


def test_cada_pagina_le_o_controle_no_maximo_uma_vez(
    cliente: TestClient, banco: Engine, leituras: list[Any]
) -> None:
    from erario.demo import DOMICILIO_PREFEITURA, FORNECEDORES
    from erario.storage import siops as st

    # sem as equivalências de 2026, a geração dos arquivos é recusada e a página volta
    st.gravar_equivalencias(Repositorio(banco), "prefeitura", 2026, [])
    entrar(cliente, "admin")
    paginas = [
        "/e/prefeitura/?ano=2026", "/e/prefeitura/despesa?ano=2026", "/e/prefeitura/receita?ano=2026",
        "/e/prefeitura/restos", "/e/prefeitura/empenho/EMP-CONS",
        "/e/prefeitura/cadastros/dotacoes?ano=2026", "/e/prefeitura/lancar/empenho",
        "/e/prefeitura/lancar/liquidacao", f"{SIOPS}?ano=2026",
        f"{SIOPS}/demonstrativo?ano=2026&bimestre=6", f"{SIOPS}/arquivos?ano=2026&bimestre=6",
        "/e/prefeitura/balancete?de=01/2026&ate=12/2026", "/e/prefeitura/consolidacao?ano=2026",
    ]  # fmt: skip
    por_pagina = {}
    for url in paginas:
        leituras.clear()
        cliente.get(url)
        por_pagina[url] = list(leituras)
    ficha = csrf(cliente, "/e/prefeitura/lancar/liquidacao")
    for acao in ("previa", "confirmar"):  # prévia das retenções; e a recusa de uma liquidação
        leituras.clear()
        cliente.post("/e/prefeitura/lancar/liquidacao", data={
            "csrf": ficha, "data": "28/03/2027", "empenho": "NAO-EXISTE", "valor": "10,00",
            "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": FORNECEDORES, "documento": "X",
            "servico": "40", "conta_bancaria": DOMICILIO_PREFEITURA, "acao": acao})  # fmt: skip
        por_pagina[f"POST liquidação {acao}"] = list(leituras)
    assert {u: len(x) for u, x in por_pagina.items() if len(x) > 1} == {}
    assert cliente.get(f"{SIOPS}/arquivos?ano=2026&bimestre=6").status_code == 422
    # a web pede só a entidade da página (a apuração do SIOPS é do município inteiro,
    # em storage.siops, e pede todas)
    web = {u: x for u, x in por_pagina.items() if "/siops/" not in u}
    assert {u: x for u, x in web.items() if x and x != ["prefeitura"]} == {}
    # o painel e as consultas da execução leem pelas consultas próprias
    # (``Repositorio.execucao_despesa``…: só o que mostram), não pelo controle
    assert por_pagina["/e/prefeitura/?ano=2026"] == []
    assert por_pagina["/e/prefeitura/lancar/empenho"] == ["prefeitura"]
