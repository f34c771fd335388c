"""Interface web, obrigações (issue 22, item 7) pelo TestClient: e-Sfinge, SIOPS,
SPED FCONT, conciliação bancária, consolidação e os cadastros editáveis. Cada
página com valores reais, cada recusa com a mensagem e nada gravado, o papel
consulta sem botão de ação e recusado no POST direto."""

from __future__ import annotations

import hashlib
import io
import json
import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from erario.storage import esquema as t
from tests.test_web import banco, cliente, csrf, entrar, mundo_modelo, relogio, texto

__all__ = ["banco", "cliente", "mundo_modelo", "relogio"]  # fixtures usadas aqui

ESF = "/e/prefeitura/obrigacoes/esfinge"


def contar(engine: Engine, tabela: Any) -> int:
    with engine.connect() as con:
        return int(con.execute(select(func.count()).select_from(tabela)).scalar_one())


# ------------------------------------------------------------------ e-Sfinge
def test_esfinge_validar_mostra_o_pacote_valido_do_mes(cliente: TestClient) -> None:
    from erario.leiautes import esfinge as esf
    from erario.storage.esfinge import pacote_do_mes
    from erario.storage.repositorio import Repositorio

    entrar(cliente, "contador")
    r = cliente.get(f"{ESF}?mes=01/2026&validar=1")
    assert r.status_code == 200, r.text
    tx = texto(r.text)
    # Janeiro de 2026 do demo: 103 registros de lançamento e as 3 contas ativadas.
    assert "Nenhum erro. Pacote válido: 103 registro(s) de lançamento, 3 conta(s) bancária(s)" in tx
    repo = Repositorio(cliente.app.state.web.engine)  # type: ignore[attr-defined]
    p = pacote_do_mes(repo, "prefeitura", 2026, 1)
    assert len(p.pacote.registros[esf.LANCAMENTO]) == 103
    # O contador não marca envio: sem o formulário.
    assert "Marcar como enviado" not in tx


def test_esfinge_baixar_json_e_xlsx(cliente: TestClient, tmp_path: Any) -> None:
    from openpyxl import load_workbook

    entrar(cliente, "contador")
    r = cliente.get(f"{ESF}?mes=02/2026&baixar=json")
    assert r.status_code == 200
    assert 'filename="esfinge-prefeitura-2026-02.json"' in r.headers["content-disposition"]
    doc = json.loads(r.content)
    assert doc["anoMesRegistros"] == 202602
    assert doc["totalizadores"]["quantidadeRegistrosLancamentoContabilPlanoUnico"] == 107
    assert len(doc["lancamentoContabilPlanoUnico"]) == 107
    r = cliente.get(f"{ESF}?mes=02/2026&baixar=xlsx")
    assert r.status_code == 200
    (tmp_path / "p.xlsx").write_bytes(r.content)
    assert load_workbook(tmp_path / "p.xlsx").sheetnames


def test_esfinge_mes_invalido_mensagem_no_campo(cliente: TestClient) -> None:
    entrar(cliente, "contador")
    r = cliente.get(f"{ESF}?mes=13/2026&baixar=json")
    assert r.status_code == 422
    assert "id=\"m-mes\">[WEB-PERIODO] competência '13/2026' inválida" in unescape(r.text)
    assert 'aria-invalid="true" aria-describedby="m-mes a-mes"' in r.text


def test_esfinge_marcar_enviado_guarda_sha_do_download_e_protocolo(
    cliente: TestClient, banco: Engine
) -> None:
    entrar(cliente, "admin")
    baixado = cliente.get(f"{ESF}?mes=03/2026&baixar=json").content
    ficha = csrf(cliente, ESF)
    r = cliente.post(
        f"{ESF}/enviado",
        data={"csrf": ficha, "mes": "03/2026", "protocolo": "TCE-2026-0042"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with banco.connect() as con:
        (env,) = con.execute(select(t.esfinge_envio)).mappings().all()
    assert (env["ano"], env["mes"], env["protocolo"]) == (2026, 3, "TCE-2026-0042")
    assert env["sha256"] == hashlib.sha256(baixado).hexdigest()
    assert env["usuario"] == "web:admin"
    tx = texto(cliente.get(r.headers["location"]).text)
    assert "Envio do pacote 03/2026 registrado." in tx
    assert "março/2026" in tx.split("Envios registrados")[-1]
    assert "TCE-2026-0042" in tx
    # Março sai dos devidos (a lista só vai até o mês passado de hoje).
    assert "março/2026: prazo" not in tx
    assert "esfinge:enviado" in texto(cliente.get("/e/prefeitura/trilha").text)


def test_esfinge_enviado_com_arquivo_invalido_lista_violacoes_e_nada_grava(
    cliente: TestClient, banco: Engine
) -> None:
    entrar(cliente, "admin")
    baixado = cliente.get(f"{ESF}?mes=03/2026&baixar=json").text
    # Primeiro lançamento de março: valor negativo e tipo fora da tabela.
    adulterado = re.sub(r'"valorLancamento": [0-9.]+', '"valorLancamento": -5.00', baixado, count=1)
    adulterado = re.sub(r'"tipoLancamento": [0-9]+', '"tipoLancamento": 9', adulterado, count=1)
    ficha = csrf(cliente, ESF)
    r = cliente.post(
        f"{ESF}/enviado",
        data={"csrf": ficha, "mes": "03/2026", "protocolo": "X"},
        files={"arquivo": ("marco.json", io.BytesIO(adulterado.encode()), "application/json")},
    )
    assert r.status_code == 422
    tx = texto(r.text)
    assert "[WEB-ENVIO-INVALIDO] pacote com erros: envio não registrado" in tx
    assert "2 erro(s)" in tx
    assert (
        "1 Lançamento Contábil Plano Único 9. Valor de Lançamento LEI-NEGATIVO valor -5.00 negativo"
        in tx
    )
    assert "ESF-PARTIDAS lançamento 20260000000016: débitos 44.122,00 ≠ créditos 359.327,00" in tx
    avisos = tx.split("Avisos (")[1]
    assert avisos.startswith("2) — não reprovam")
    assert "[LEI-CODIGO-A-CONFIRMAR] código 9 não está na Tabela" in avisos
    assert contar(banco, t.esfinge_envio) == 0
    doc = json.loads(baixado)
    # JSON de outro mês: LEI-REGISTRO, nada gravado.
    doc["anoMesRegistros"] = 202604
    r = cliente.post(
        f"{ESF}/enviado",
        data={"csrf": ficha, "mes": "03/2026"},
        files={"arquivo": ("x.json", io.BytesIO(json.dumps(doc).encode()), "application/json")},
    )
    assert r.status_code == 422
    assert "LEI-REGISTRO o pacote não é de 2026-03" in texto(r.text)
    assert contar(banco, t.esfinge_envio) == 0


def test_esfinge_consulta_e_contador_nao_marcam_enviado(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "leitor")
    r = cliente.get("/e/camara/obrigacoes/esfinge")
    assert r.status_code == 200
    assert "Marcar como enviado" not in r.text
    ficha = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert ficha
    r = cliente.post(
        "/e/camara/obrigacoes/esfinge/enviado", data={"csrf": ficha.group(1), "mes": "01/2026"}
    )
    assert r.status_code == 403 and "WEB-ACESSO" in r.text
    cliente.cookies.clear()
    entrar(cliente, "contador")
    ficha2 = csrf(cliente, ESF)
    r = cliente.post(f"{ESF}/enviado", data={"csrf": ficha2, "mes": "01/2026"})
    assert r.status_code == 403
    assert contar(banco, t.esfinge_envio) == 0


# --------------------------------------------------------------------- SIOPS
SIOPS = "/e/prefeitura/obrigacoes/siops"


def _equivalencias(engine: Engine, ano: int) -> dict[tuple[str, str], tuple[str, str]]:
    from erario.storage import siops as st
    from erario.storage.repositorio import Repositorio

    return {
        (e.tipo.value, e.origem): (e.destino, e.situacao.value)
        for e in st.equivalencias(Repositorio(engine), "prefeitura", ano)
    }


def test_siops_equivalencias_sugerida_confirmada_e_sem(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "contador")
    r = cliente.get(f"{SIOPS}?ano=2026")
    tx = texto(r.text)
    assert "11 confirmada(s), 0 sugerida(s), 1 sem equivalência." in tx
    assert "conta 1.1.1.1.1.50.00 ✗ sem equivalência" in tx
    assert "receita 11125001 ✓ confirmada" in tx
    assert 'value="1500"' not in r.text  # o destino do recurso 1500 é "001"
    assert 'name="destino:recurso|1500" value="001"' in r.text
    # Sugerir o que falta: a conta de caixa vem "ativo", sugerida (não gera arquivo ainda).
    ficha = csrf(cliente, f"{SIOPS}?ano=2026")
    r = cliente.post(
        f"{SIOPS}/equivalencias", data={"csrf": ficha, "ano": "2026", "acao": "sugerir"}
    )
    assert r.status_code == 200
    tx = texto(r.text)
    assert "1 equivalência(s) sugerida(s)." in tx
    assert "conta 1.1.1.1.1.50.00 ? sugerida" in tx
    assert _equivalencias(banco, 2026)[("conta", "1.1.1.1.1.50.00")] == ("ativo", "sugerida")
    # Destino que a regra recusa: mensagem junto do campo, nada gravado.
    antes = _equivalencias(banco, 2026)
    r = cliente.post(
        f"{SIOPS}/equivalencias",
        data={"csrf": ficha, "ano": "2026", "acao": "confirmar",
              "confirmar": "conta|1.1.1.1.1.50.00", "destino:conta|1.1.1.1.1.50.00": "caixa",
              "destino:recurso|1500": "999"},
    )  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert "[WEB-DESTINO] conta do superávit deve ir para 'ativo' ou 'passivo', não 'caixa'" in h
    assert "[WEB-DESTINO] recurso SIOPS '999' desconhecido" in h
    assert "2 destino(s) recusado(s); nada foi gravado" in h
    assert 'aria-invalid="true"' in h
    assert _equivalencias(banco, 2026) == antes
    r = cliente.post(
        f"{SIOPS}/equivalencias",
        data={"csrf": ficha, "ano": "2026", "acao": "confirmar",
              "confirmar": "conta|1.1.1.1.1.50.00", "destino:conta|1.1.1.1.1.50.00": "ativo"},
    )  # fmt: skip
    assert "1 equivalência(s) confirmada(s)." in texto(r.text)
    assert "12 confirmada(s), 0 sugerida(s), 0 sem equivalência." in texto(r.text)
    assert _equivalencias(banco, 2026)[("conta", "1.1.1.1.1.50.00")] == ("ativo", "confirmada")
    csv_ = cliente.get(f"{SIOPS}?ano=2026&formato=csv").text
    assert csv_.splitlines()[0] == "tipo;origem;destino;situacao"
    assert "conta;1.1.1.1.1.50.00;ativo;confirmada" in csv_.splitlines()


def test_siops_demonstrativo_valores_e_recusa_sem_equivalencia(
    cliente: TestClient, banco: Engine, tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    entrar(cliente, "contador")
    r = cliente.get(f"{SIOPS}/demonstrativo?ano=2026&bimestre=6")
    assert r.status_code == 200
    tx = texto(r.text)
    assert (
        "TOTAL DAS DESPESAS COM ASPS 500.000,00 500.000,00 180.000,00 180.000,00 160.000,00" in tx
    )
    assert "PERCENTUAL APLICADO EM ASPS — despesa empenhada 1,12% (abaixo do mínimo de 15%)" in tx
    x = cliente.get(f"{SIOPS}/demonstrativo?ano=2026&bimestre=6&formato=xlsx")
    (tmp_path / "d.xlsx").write_bytes(x.content)
    ws = load_workbook(tmp_path / "d.xlsx").active
    assert ws["A1"].value == "Demonstrativo das ASPS (RREO Anexo 12) — 2026, 6º bimestre"
    r = cliente.get(f"{SIOPS}/demonstrativo?ano=2026&bimestre=7")
    assert r.status_code == 422
    assert "[WEB-BIMESTRE] bimestre '7' inválido: use de 1 a 6" in unescape(r.text)
    # Destino revisado sem confirmar volta a "sugerida": a apuração é recusada.
    ficha = csrf(cliente, f"{SIOPS}?ano=2026")
    cliente.post(
        f"{SIOPS}/equivalencias",
        data={"csrf": ficha, "ano": "2026", "acao": "confirmar",
              "destino:receita|11125001": "11125002"},
    )  # fmt: skip
    assert _equivalencias(banco, 2026)[("receita", "11125001")] == ("11125002", "sugerida")
    r = cliente.get(f"{SIOPS}/demonstrativo?ano=2026&bimestre=6")
    assert r.status_code == 422
    assert (
        "[SIOPS-EQUIVALENCIA] prefeitura: receita 11125001 sem equivalência confirmada"
        in unescape(r.text)
    )
    r = cliente.get(f"{SIOPS}/arquivos?ano=2026&bimestre=6")
    assert r.status_code == 422 and "SIOPS-EQUIVALENCIA" in r.text


def test_siops_arquivos_zip_e_validar(cliente: TestClient) -> None:
    import zipfile

    entrar(cliente, "leitor")  # consulta gera e valida (nada é gravado) na sua entidade
    assert cliente.get("/e/camara/obrigacoes/siops/arquivos?ano=2026&bimestre=6").status_code == 200
    cliente.cookies.clear()
    entrar(cliente, "admin")
    r = cliente.get(f"{SIOPS}/arquivos?ano=2026&bimestre=6")
    assert r.status_code == 200
    assert 'filename="siops-2026-6bim.zip"' in r.headers["content-disposition"]
    z = zipfile.ZipFile(io.BytesIO(r.content))
    nomes = z.namelist()
    assert "manifesto.json" in nomes
    impt = [n for n in nomes if n.endswith(".impt")]
    manifesto = json.loads(z.read("manifesto.json"))
    assert (manifesto["ano"], manifesto["bimestre"]) == (2026, 6)
    assert sorted(a["arquivo"] for a in manifesto["arquivos"]) == sorted(impt)
    assert len(impt) == 16  # as planilhas com movimento no demo
    for a in manifesto["arquivos"]:
        assert hashlib.sha256(z.read(a["arquivo"])).hexdigest() == a["sha256"]
    ficha = csrf(cliente, SIOPS)
    r = cliente.post(
        f"{SIOPS}/validar",
        data={"csrf": ficha, "ano": "2026"},
        files={"arquivo": ("siops.zip", io.BytesIO(r.content), "application/zip")},
    )
    assert r.status_code == 200
    assert f"Validação dos arquivos siops.zip ({len(impt)} arquivo(s)) Nenhum erro." in texto(
        r.text
    )
    # Um arquivo a menos: o manifesto não confere.
    saida = io.BytesIO()
    with zipfile.ZipFile(saida, "w") as novo:
        for n in nomes:
            if n != impt[0]:
                novo.writestr(n, z.read(n))
    r = cliente.post(
        f"{SIOPS}/validar",
        data={"csrf": ficha, "ano": "2026"},
        files={"arquivo": ("faltando.zip", io.BytesIO(saida.getvalue()), "application/zip")},
    )
    assert r.status_code == 422
    assert "SIOPS-MANIFESTO" in texto(r.text) and impt[0] in texto(r.text)
    r = cliente.post(
        f"{SIOPS}/validar",
        data={"csrf": ficha, "ano": "2026"},
        files={"arquivo": ("x.zip", io.BytesIO(b"nada"), "application/zip")},
    )
    assert r.status_code == 422 and "[WEB-ARQUIVO] o arquivo não é um zip" in r.text


def test_siops_consulta_nao_confirma(cliente: TestClient, banco: Engine) -> None:
    antes = contar(banco, t.siops_equivalencia)
    entrar(cliente, "leitor")
    r = cliente.get("/e/camara/obrigacoes/siops?ano=2026")
    assert r.status_code == 200
    assert "Confirmar todas" not in r.text and 'name="confirmar"' not in r.text
    ficha = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert ficha
    r = cliente.post(
        "/e/camara/obrigacoes/siops/equivalencias",
        data={"csrf": ficha.group(1), "ano": "2026", "acao": "sugerir"},
    )
    assert r.status_code == 403 and "WEB-ACESSO" in r.text
    assert contar(banco, t.siops_equivalencia) == antes


# ---------------------------------------------------------------- SPED FCONT
FCONT = "/e/saneamento/obrigacoes/fcont"
SIGNATARIOS = (
    "ANA PAULA DIRETORA;123.456.789-09;205\nCARLOS CONTADOR;987.654.321-00;900;RS-012345/O-6"
)


def _escrituracoes(engine: Engine) -> list[Any]:
    from erario.storage import fcont as st
    from erario.storage.repositorio import Repositorio

    return st.escrituracoes(Repositorio(engine), "saneamento")


def test_fcont_so_para_empresa(cliente: TestClient) -> None:
    entrar(cliente, "admin")
    tx = texto(cliente.get("/e/prefeitura/obrigacoes/fcont").text)
    assert "não se aplica a esta entidade: [FCONT-EMPRESA]" in tx
    tx = texto(cliente.get(FCONT).text)
    assert "01/01/2026 a 31/12/2026 A criada" in tx


def test_fcont_criar_recusas_junto_do_campo_e_nada_gravado(
    cliente: TestClient, banco: Engine
) -> None:
    entrar(cliente, "admin")
    ficha = csrf(cliente, FCONT)
    base = {"csrf": ficha, "ano": "2027", "signatarios": SIGNATARIOS, "uf": "RS",
            "contrapartida_ef": "2.3.1.02"}  # fmt: skip
    r = cliente.post(
        f"{FCONT}/criar",
        data=base | {"uf": "XX", "forma_apuracao": "Z", "signatarios": "SÓ O NOME;111;205"},
    )
    assert r.status_code == 422
    h = unescape(r.text)
    assert re.search(r'id="m-c-uf">\[FCONT-UF\] UF .XX. inválida \(REGRA_TABELA_UF\)', h)
    assert 'id="m-c-forma_apuracao">[FCONT-APURACAO] forma de apuração: A (anual) ou T' in h
    assert "[FCONT-SIGNATARIO] signatário 1: '111': CPF (11) ou CNPJ (14 dígitos)" in h
    r = cliente.post(f"{FCONT}/criar", data=base | {"ano": "2026"})
    assert r.status_code == 422
    assert "[FCONT-ESCRITURACAO-DUPLICADA] saneamento já tem escrituração de 01/01/2026" in texto(
        r.text
    )
    assert len(_escrituracoes(banco)) == 1
    r = cliente.post(f"{FCONT}/criar", data=base, follow_redirects=True)
    assert "Escrituração FCONT criada: 01/01/2027 a 31/12/2027." in texto(r.text)
    (_, e27) = sorted(_escrituracoes(banco), key=lambda e: e.inicio)
    assert (e27.uf, e27.contrapartida_ef, len(e27.signatarios)) == ("RS", "2.3.1.02", 2)
    assert e27.signatarios[1].documento == "98765432100"


def test_fcont_gerar_validar_entregar(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "admin")
    ficha = csrf(cliente, FCONT)
    r = cliente.post(f"{FCONT}/gerar", data={"csrf": ficha, "ano": "2026"})
    assert r.status_code == 200
    assert 'filename="fcont-saneamento-2026.txt"' in r.headers["content-disposition"]
    arquivo = r.content
    assert arquivo.startswith(b"|0000|LALU|")
    assert arquivo.endswith(b"|9999|113|\r\n") and arquivo.count(b"\r\n") == 113
    (e,) = _escrituracoes(banco)
    assert (e.situacao.value, e.sha256) == ("gerada", hashlib.sha256(arquivo).hexdigest())
    # Validar: as regras do Anexo I sobre o arquivo; nada gravado.
    r = cliente.post(
        f"{FCONT}/validar",
        data={"csrf": ficha},
        files={"arquivo": ("fcont.txt", io.BytesIO(arquivo), "text/plain")},
    )
    assert r.status_code == 200
    assert "Validação de fcont.txt Nenhum erro. Arquivo FCONT válido." in texto(r.text)
    adulterado = arquivo.replace(b"|0000|LALU|", b"|0000|XXXX|", 1)
    r = cliente.post(
        f"{FCONT}/validar",
        data={"csrf": ficha},
        files={"arquivo": ("ruim.txt", io.BytesIO(adulterado), "text/plain")},
    )
    assert r.status_code == 422
    tx = texto(r.text)
    assert (
        "Validação de ruim.txt 1 erro(s): o arquivo não pode ser entregue; erros de estrutura" in tx
    )
    assert "1 0000 2. ID_ARQ REGRA_VALORES_VALIDOS_INVALIDO 'XXXX' não é valor válido (LALU)" in tx
    # Entregar: o arquivo deve ser o último gerado; recibo obrigatório.
    r = cliente.post(
        f"{FCONT}/entregar",
        data={"csrf": ficha, "ano": "2026", "recibo_entrega": ""},
        files={"arquivo_entregue": ("ruim.txt", io.BytesIO(adulterado), "text/plain")},
    )
    assert r.status_code == 422
    h = unescape(r.text)
    assert "[FCONT-ENTREGA] o arquivo informado (SHA-256" in h
    assert 'id="m-n-recibo">[FCONT-ENTREGA] informe o número do recibo da entrega' in h
    assert _escrituracoes(banco)[0].situacao.value == "gerada"
    r = cliente.post(
        f"{FCONT}/entregar",
        data={"csrf": ficha, "ano": "2026", "recibo_entrega": "12.34.56.78.90-12"},
        files={"arquivo_entregue": ("fcont.txt", io.BytesIO(arquivo), "text/plain")},
        follow_redirects=True,
    )
    assert "Escrituração FCONT de 2026 entregue: recibo 12.34.56.78.90-12." in texto(r.text)
    (e,) = _escrituracoes(banco)
    assert (e.situacao.value, e.recibo, e.entregue_por) == ("entregue", "12.34.56.78.90-12",
                                                             "web:admin")  # fmt: skip


def test_fcont_consulta_sem_acoes_e_post_recusado(cliente: TestClient, banco: Engine) -> None:
    from erario.storage.web import Papel, criar_usuario

    criar_usuario(banco, "leitor2", "Leitor", "senha-de-teste-1", {"saneamento": Papel.CONSULTA})
    entrar(cliente, "leitor2")
    r = cliente.get(FCONT)
    assert "Gerar 2026" not in r.text and "Criar escrituração" not in r.text
    assert "Marcar como entregue" not in r.text and "Validar" in r.text
    ficha = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert ficha
    for acao in ("gerar", "criar", "entregar"):
        r = cliente.post(f"{FCONT}/{acao}", data={"csrf": ficha.group(1), "ano": "2026"})
        assert r.status_code == 403, acao
    assert _escrituracoes(banco)[0].situacao.value == "criada"


# ------------------------------------------------------- conciliação bancária
def _conc(conta: str, mes: str) -> str:
    return f"/e/prefeitura/conciliacao?conta={conta}&mes={mes}"


def test_conciliacao_dezembro_do_demo_fecha_com_a_tarifa(cliente: TestClient) -> None:
    from erario.demo import DOMICILIO_PREFEITURA, TARIFA_DEZEMBRO

    entrar(cliente, "contador")
    r = cliente.get(_conc(DOMICILIO_PREFEITURA, "12/2026"))
    tx = texto(r.text)
    assert TARIFA_DEZEMBRO == 3750
    assert (
        "Saldo contábil 8.807.350,45 (−) débito no extrato não contabilizado 37,50 "
        "Saldo conciliado 8.807.312,95 Saldo do extrato 8.807.312,95 ✓ A conciliação fecha"
    ) in tx
    assert "Pendências em 31/12/2026 (1)" in tx
    assert "31/12/2026 37,50 S/N" in tx
    assert len(re.findall(r'name="linha" value="\d+" aria-label="Desfazer', r.text)) == 7


def test_conciliacao_desfazer_e_confirmar_a_sugestao(cliente: TestClient, banco: Engine) -> None:
    from erario.demo import DOMICILIO_PREFEITURA as conta

    entrar(cliente, "contador")
    ficha = csrf(cliente, _conc(conta, "12/2026"))
    comum = {"csrf": ficha, "conta": conta, "mes": "12/2026"}
    assert contar(banco, t.conciliacao_par) == 11  # dezembro das contas do demo, tudo casado
    r = cliente.post("/e/prefeitura/conciliacao/desfazer", data=comum | {"linha": "2"},
                     follow_redirects=True)  # fmt: skip
    tx = texto(r.text)
    assert "1 casamento(s) desfeito(s) na conta 001-3456-123456." in tx
    assert contar(banco, t.conciliacao_par) == 10
    # Desfeito, a linha do IPTU volta como sugestão (mesmo documento e valor).
    assert "Casamentos sugeridos (1)" in tx
    assert "2 05/12/2026 EVIPTU-12 EVIPTU-12 05/12/2026 353.350,15" in tx
    assert "✗ Diferença não explicada" not in tx  # pendências dos dois lados se anulam
    r = cliente.post("/e/prefeitura/conciliacao/confirmar", data=comum | {"linha": "2"},
                     follow_redirects=True)  # fmt: skip
    assert "1 casamento(s) confirmado(s) na conta 001-3456-123456." in texto(r.text)
    assert contar(banco, t.conciliacao_par) == 11
    # Par informado que a regra recusa (linha já casada): tudo ou nada.
    r = cliente.post(
        "/e/prefeitura/conciliacao/confirmar",
        data=comum | {"par_linha": "2", "par_lancamento": "EVFPM-12"},
    )
    assert r.status_code == 422
    assert "CONC-" in r.text and "nada foi alterado" in r.text
    assert contar(banco, t.conciliacao_par) == 11


def test_conciliacao_importar_csv_sugere_e_reimportar_nao_duplica(
    cliente: TestClient, banco: Engine
) -> None:
    from erario.conciliacao import casamento
    from erario.demo import DOMICILIO_PREFEITURA as conta
    from erario.storage import conciliacao as sc
    from erario.storage.repositorio import Repositorio

    repo = Repositorio(banco)
    cb = next(c for c in repo.contas_bancarias("prefeitura") if c.codigo == conta)
    lancs = sc.lancamentos_ate(repo, "prefeitura", __import__("datetime").date(2026, 11, 30))
    movs = [
        m
        for m in casamento.movimentos_do_razao(lancs, cb.conta_contabil, cb.codigo)
        if (m.data.year, m.data.month) == (2026, 11)
    ]
    assert len(movs) == 6
    csv_ = "data;valor;documento;descricao\n" + "".join(
        f"{m.data:%d/%m/%Y};{m.centavos // 100}.{abs(m.centavos) % 100:02d};{m.lancamento};x\n"
        if m.centavos >= 0
        else f"{m.data:%d/%m/%Y};-{-m.centavos // 100}.{-m.centavos % 100:02d};{m.lancamento};x\n"
        for m in movs
    )
    entrar(cliente, "contador")
    ficha = csrf(cliente, _conc(conta, "11/2026"))
    comum = {"csrf": ficha, "conta": conta, "mes": "11/2026"}
    antes = contar(banco, t.extrato_linha)
    ruim = csv_ + "31/11/2026;10;doc;ruim\n"
    r = cliente.post(
        "/e/prefeitura/conciliacao/importar", data=comum,
        files={"arquivo": ("nov.csv", io.BytesIO(ruim.encode()), "text/csv")},
    )  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert 'id="m-i-arquivo">nov.csv, linha 8, campo data: [CONC-' in h
    assert "data '31/11/2026': use AAAA-MM-DD ou DD/MM/AAAA" in h
    assert "valor '10': use sinal, dígitos e duas casas" in h
    assert contar(banco, t.extrato_linha) == antes
    r = cliente.post(
        "/e/prefeitura/conciliacao/importar", data=comum | {"saldo": "1.000,00"},
        files={"arquivo": ("nov.csv", io.BytesIO(csv_.encode()), "text/csv")},
    )  # fmt: skip
    assert r.status_code == 422
    assert "[WEB-SALDO] saldo do extrato e a data dele vão juntos" in r.text
    r = cliente.post(
        "/e/prefeitura/conciliacao/importar", data=comum,
        files={"arquivo": ("nov.csv", io.BytesIO(csv_.encode()), "text/csv")},
        follow_redirects=True,
    )  # fmt: skip
    tx = texto(r.text)
    assert "Extrato nov.csv da conta 001-3456-123456: 6 linha(s) nova(s), 0 já importada(s)" in tx
    assert "Casamentos sugeridos (6)" in tx
    assert contar(banco, t.extrato_linha) == antes + 6
    r = cliente.post(
        "/e/prefeitura/conciliacao/importar", data=comum,
        files={"arquivo": ("nov.csv", io.BytesIO(csv_.encode()), "text/csv")},
        follow_redirects=True,
    )  # fmt: skip
    assert "0 linha(s) nova(s), 6 já importada(s)" in texto(r.text)
    ids = re.findall(r'name="linha" value="(\d+)" checked', r.text)
    r = cliente.post("/e/prefeitura/conciliacao/confirmar", data=comum | {"linha": ids},
                     follow_redirects=True)  # fmt: skip
    assert "6 casamento(s) confirmado(s)" in texto(r.text)
    assert "Casamentos sugeridos (0)" in texto(r.text)


def test_conciliacao_consulta_sem_acoes_e_post_recusado(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "leitor")
    r = cliente.get("/e/camara/conciliacao")
    assert r.status_code == 200
    assert "Importar extrato" not in r.text and "Confirmar casamentos" not in r.text
    ficha = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert ficha
    antes = contar(banco, t.conciliacao_par)
    for acao in ("importar", "confirmar", "desfazer"):
        r = cliente.post(
            f"/e/camara/conciliacao/{acao}", data={"csrf": ficha.group(1), "linha": "1"}
        )
        assert r.status_code == 403, acao
    assert contar(banco, t.conciliacao_par) == antes


# --------------------------------------------------------------- consolidação
CONS = "/e/prefeitura/consolidacao"


def test_consolidacao_competencias_e_balancete_por_entidade(
    cliente: TestClient, tmp_path: Any
) -> None:
    from openpyxl import load_workbook

    entrar(cliente, "contador")
    tx = texto(cliente.get(f"{CONS}?ano=2026").text)
    assert "prefeitura" + " ✓ fechada" * 12 in tx
    assert "camara ✓ fechada" + " aberta" * 11 in tx
    assert "Nenhuma entidade incorporada." in tx
    assert "Incorporar" not in tx  # o contador não marca incorporação
    # O contador só consolida o que vê (a prefeitura): pedir a câmara é recusado.
    r = cliente.get(f"{CONS}/balancete?entidade=prefeitura&entidade=camara")
    assert r.status_code == 422
    assert "[WEB-ACESSO] sem acesso à entidade 'camara' deste município" in unescape(r.text)
    cliente.cookies.clear()
    entrar(cliente, "admin")
    r = cliente.get(f"{CONS}/balancete?de=12/2026&ate=12/2026&por_entidade=1")
    assert r.status_code == 200
    tx = texto(r.text)
    # saldo em 31/12: prefeitura + câmara = consolidado (sem eliminação)
    assert (
        "1.1.1.1.1.19.00 BANCOS CONTA MOVIMENTO - DEMAIS CONTAS 9.392.350,45 D 482.680,00 D "
        "0,00 0,00 9.875.030,45 D"
    ) in tx
    r = cliente.get(f"{CONS}/balancete?de=01/2026&ate=12/2026&nivel=1")
    tx = texto(r.text)
    assert "Janeiro a dezembro de 2026 — entidades: prefeitura, camara, rpps" in tx
    assert "1.0.0.0.0.00.00 ATIVO 18.825.000,00 D 19.064.207,93 9.993.326,24 27.895.881,69 D" in tx
    x = cliente.get(f"{CONS}/balancete?de=01/2026&ate=12/2026&nivel=1&formato=xlsx")
    (tmp_path / "c.xlsx").write_bytes(x.content)
    assert load_workbook(tmp_path / "c.xlsx").active.max_row > 5
    # A empresa tem plano próprio: pedida junto, a consolidação é recusada.
    r = cliente.get(f"{CONS}/balancete?entidade=prefeitura&entidade=saneamento")
    assert r.status_code == 422
    assert "[CON-PLANO] entidades com planos de contas diferentes" in texto(r.text)


def test_consolidacao_eliminacao_intra_ofss_igual_a_da_cli(
    cliente: TestClient, banco: Engine
) -> None:
    from erario.storage.consolidacao import consolidado
    from erario.storage.repositorio import Repositorio
    from erario.web.formatos import brl

    c = consolidado(Repositorio(banco), ["prefeitura", "camara", "rpps"], 2026, 1, 12,
                    eliminar_intra=True)  # fmt: skip
    assert c.eliminacao is not None and c.eliminacao.debitos > 0
    entrar(cliente, "admin")
    r = cliente.get(f"{CONS}/balancete?de=01/2026&ate=12/2026&eliminar_intra=1")
    tx = texto(r.text)
    assert f"Eliminações intra-OFSS ({len(c.eliminacao.linhas)})" in tx
    assert brl(c.eliminacao.debitos) in tx.split("Eliminações intra-OFSS")[1]


def test_consolidacao_incorporar(cliente: TestClient, banco: Engine) -> None:
    from erario.demo import IBGE
    from erario.razao.modelo import Entidade, TipoEntidade
    from erario.storage.repositorio import Repositorio

    repo = Repositorio(banco)
    repo.criar_entidade(
        Entidade("consorcio", "Consórcio de Saúde", "11444777000161", TipoEntidade.AUTARQUIA,
                 IBGE, "10131")
    )  # fmt: skip
    entrar(cliente, "admin")
    ficha = csrf(cliente, CONS)
    r = cliente.post(
        f"{CONS}/incorporar", data={"csrf": ficha, "entidade": "camara", "ano": "2026"}
    )
    assert r.status_code == 422
    assert "[CON-INCORPORADA] camara já tem razão neste banco (" in texto(r.text)
    assert not repo.entidade("camara").incorporada
    r = cliente.post(f"{CONS}/incorporar", data={"csrf": ficha, "entidade": "consorcio",
                                                 "ano": "2026"}, follow_redirects=True)  # fmt: skip
    tx = texto(r.text)
    assert "consorcio (11.444.777/0001-61) é entidade incorporada" in tx
    assert "consorcio (11.444.777/0001-61)" + " falta" * 13 in tx
    assert repo.entidade("consorcio").incorporada
    cliente.cookies.clear()
    entrar(cliente, "contador")
    ficha = csrf(cliente, CONS)
    r = cliente.post(f"{CONS}/incorporar", data={"csrf": ficha, "entidade": "rpps"})
    assert r.status_code == 403
    assert not repo.entidade("rpps").incorporada


# ------------------------------------------------------- cadastros editáveis
def test_credor_novo_recusa_junto_do_campo_e_grava(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "contador")
    url = "/e/prefeitura/cadastros/credores/editar"
    ficha = csrf(cliente, url)
    antes = contar(banco, t.credor)
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "documento": "529.982.247-24",
                                "nome": "", "simples": "1"})  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert 'id="m-c-documento">[CAD-' in h and "CPF/CNPJ 52998224724 inválido" in h
    assert re.search(r'id="m-c-nome">\[CAD-[A-Z-]+\] ', h)
    assert 'value="529.982.247-24"' in h  # o que foi digitado volta
    assert contar(banco, t.credor) == antes
    # PF optante pelo Simples: a regra da carga recusa.
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "documento": "111.444.777-35",
                                "nome": "Maria", "simples": "1"})  # fmt: skip
    assert "pessoa física não é optante pelo Simples" in unescape(r.text)
    assert contar(banco, t.credor) == antes
    r = cliente.post(url, data={"csrf": ficha, "novo": "1", "documento": "111.444.777-35",
                                "nome": "Maria da Silva", "endereco": "Rua A, 1"},
                     follow_redirects=True)  # fmt: skip
    assert "Credor 11144477735 gravado(a)." in texto(r.text)
    assert "111.444.777-35 Maria da Silva PF não Rua A, 1" in texto(r.text)
    assert contar(banco, t.credor) == antes + 1
    # Alterar: o mesmo documento atualiza o cadastro.
    r = cliente.get(f"{url}?documento=11144477735")
    assert 'value="Maria da Silva"' in r.text and "Alterar credor" in r.text
    r = cliente.post(url, data={"csrf": ficha, "documento": "111.444.777-35",
                                "nome": "Maria da Silva Souza"}, follow_redirects=True)  # fmt: skip
    assert "111.444.777-35 Maria da Silva Souza" in texto(r.text)
    assert contar(banco, t.credor) == antes + 1


def test_conta_bancaria_nova_recusas_e_grava(cliente: TestClient, banco: Engine) -> None:
    from erario.storage.repositorio import Repositorio

    entrar(cliente, "contador")
    url = "/e/prefeitura/cadastros/contas/editar"
    ficha = csrf(cliente, url)
    base = {"csrf": ficha, "novo": "1", "codigo": "001-3456-777777", "tipo": "vinculada",
            "fonte": "1600", "conta_contabil": "1.1.1.1.1.19.00", "banco": "001",
            "agencia": "3456", "agencia_dv": "7", "conta": "777777", "conta_dv": "1"}  # fmt: skip
    antes = len(Repositorio(banco).contas_bancarias("prefeitura"))
    r = cliente.post(url, data=base | {"conta_contabil": "1.1.2.5.1.01.05", "banco": "0O1",
                                       "ibge_agencia": "9912345"})  # fmt: skip
    assert r.status_code == 422
    h = unescape(r.text)
    assert "1.1.2.5.1.01.05 deve ser conta analítica de caixa e equivalentes (1.1.1)" in h
    assert 'id="m-c-banco">[CAD-CAMPO] banco: obrigatório, só dígitos' in h
    assert "'9912345' deve ser o código IBGE do município, 7 dígitos com a UF" in h
    assert len(Repositorio(banco).contas_bancarias("prefeitura")) == antes
    r = cliente.post(url, data=base | {"ativacao": "02/01/2027"}, follow_redirects=True)
    assert "Conta bancária 001-3456-777777 gravado(a)." in texto(r.text)
    nova = next(
        c
        for c in Repositorio(banco).contas_bancarias("prefeitura")
        if c.codigo == "001-3456-777777"
    )
    assert (nova.tipo.value, str(nova.fonte), nova.conta_contabil, nova.agencia_dv) == (
        "vinculada", "1600", "1.1.1.1.1.19.00", "7")  # fmt: skip
    assert nova.ativacao is not None and nova.ativacao.isoformat() == "2027-01-02"


def test_cadastros_consulta_nao_edita(cliente: TestClient, banco: Engine) -> None:
    entrar(cliente, "leitor")
    r = cliente.get("/e/camara/cadastros/credores")
    assert "Novo credor" not in r.text and "/editar" not in r.text
    assert cliente.get("/e/camara/cadastros/credores/editar").status_code == 403
    ficha = re.search(r'name="csrf" value="([^"]+)"', r.text)
    assert ficha
    antes = contar(banco, t.credor)
    r = cliente.post("/e/camara/cadastros/credores/editar",
                     data={"csrf": ficha.group(1), "documento": "11144477735", "nome": "X"})  # fmt: skip
    assert r.status_code == 403
    r = cliente.post("/e/camara/cadastros/contas/editar", data={"csrf": ficha.group(1)})
    assert r.status_code == 403
    assert contar(banco, t.credor) == antes
