"""SIOPS (issue 20): números de um município pequeno calculados à mão, arquivos
golden, uma quebra por regra do validador, conciliação com a execução e o
balancete, e o fluxo da CLI sobre o demo (docs/siops.md)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from erario.cli.app import app
from erario.execucao.carga import evento_de_dict
from erario.leiautes import siops as lei
from erario.siops import apuracao as apu
from erario.siops import equivalencias as eq
from erario.siops import marcas as mc

GOLDEN = Path(__file__).parent / "golden" / "siops"
runner = CliRunner()

D301 = "0801.10.301.0020.2030.33903900"
D302 = "0801.10.302.0020.2031.33903900"
D122 = "0801.10.122.0020.2034.31901100"
BANCO = {"conta_banco": "1.1.1.1.1.19.00", "domicilio": "001-1-1"}


def _ev(**d: Any) -> Any:
    ev, erros = evento_de_dict({"entidade": "pm", **d})
    assert ev is not None, erros
    return ev


def _eventos() -> list[Any]:
    def rec(id_: str, data: str, nr: str, fonte: str, valor: str, **kw: Any) -> Any:
        return _ev(tipo="arrecadacao", id=id_, data=data, natureza_receita=nr, fonte=fonte,
                   valor=valor, conta_vpa="4.5.2.1.3.02.00", **BANCO, **kw)  # fmt: skip

    def emp(id_: str, data: str, dot: str, fonte: str, valor: str, **kw: Any) -> Any:
        return _ev(tipo="empenho", id=id_, data=data, dotacao=dot, fonte=fonte,
                   credor="12345678000195", valor=valor, **kw)  # fmt: skip

    def liq(id_: str, data: str, empenho: str, valor: str) -> Any:
        return _ev(tipo="liquidacao", id=id_, data=data, empenho=empenho, valor=valor,
                   conta_vpd="3.3.2.3.1.99.00", conta_passivo="2.1.3.1.1.01.01",
                   documento="NF")  # fmt: skip

    def pag(id_: str, data: str, liquidacao: str, valor: str) -> Any:
        return _ev(tipo="pagamento", id=id_, data=data, liquidacao=liquidacao, valor=valor,
                   **BANCO)  # fmt: skip

    def loa(tipo: str, id_: str, data: str, **kw: Any) -> Any:
        return _ev(tipo=tipo, id=id_, data=data, **kw)

    return [
        # 2025: um empenho da saúde inscrito em restos a pagar
        loa("dotacao_inicial", "L25", "2025-01-02", dotacao=D301, fonte="1500", valor="50000.00"),
        emp("E0", "2025-11-01", D301, "1500", "10000.00"),
        liq("LQ0", "2025-11-10", "E0", "6000.00"),
        pag("PG0", "2025-11-20", "LQ0", "4000.00"),
        _ev(tipo="encerramento_exercicio", id="ENC25", data="2025-12-31"),
        # 2026: LOA
        loa("previsao_receita", "P1", "2026-01-02", natureza_receita="11125001", fonte="1500",
            valor="100000.00"),
        loa("previsao_receita", "P2", "2026-01-02", natureza_receita="17115111", fonte="1500",
            valor="900000.00"),
        loa("previsao_deducao", "P3", "2026-01-02", natureza_receita="17115111", fonte="1500",
            valor="180000.00"),
        loa("previsao_receita", "P4", "2026-01-02", natureza_receita="17135001", fonte="1600",
            valor="50000.00"),
        loa("dotacao_inicial", "L1", "2026-01-02", dotacao=D301, fonte="1500", valor="60000.00"),
        loa("dotacao_inicial", "L2", "2026-01-02", dotacao=D302, fonte="1600", valor="40000.00"),
        loa("dotacao_inicial", "L3", "2026-01-02", dotacao=D122, fonte="1500", valor="10000.00"),
        loa("credito_adicional", "C1", "2026-02-01", dotacao=D301, fonte="1500", valor="5000.00",
            modalidade="suplementar", cobertura="excesso"),
        loa("anulacao_dotacao", "A1", "2026-02-02", dotacao=D122, valor="1000.00"),
        # receitas
        rec("R1", "2026-01-10", "11125001", "1500", "20000.00"),
        rec("R2", "2026-03-10", "11125001", "1500", "5000.00"),  # depois do 1º bimestre
        rec("R3", "2026-02-10", "17115111", "1500", "150000.00"),
        _ev(tipo="deducao_receita", id="F3", data="2026-02-10", natureza_receita="17115111",
            fonte="1500", valor="30000.00", **BANCO),
        rec("R4", "2026-02-15", "17135001", "1600", "10000.00",
            propriedades={"COVID": "sim", "COVID SIOPS Rec": "9999999004"}),
        rec("R5", "2026-02-16", "17235001", "1621", "2000.00", propriedades={"COVID": "sim"}),
        # despesas
        emp("E1", "2026-01-05", D301, "1500", "20000.00"),
        _ev(tipo="anulacao_empenho", id="AE1", data="2026-01-06", empenho="E1", valor="2000.00"),
        liq("LQ1", "2026-01-20", "E1", "15000.00"),
        pag("PG1", "2026-01-25", "LQ1", "12000.00"),
        emp("E2", "2026-02-01", D302, "1600", "8000.00", propriedades={"COVID": "sim"}),
        liq("LQ2", "2026-02-10", "E2", "8000.00"),
        pag("PG2", "2026-02-12", "LQ2", "5000.00"),
        emp("E3", "2026-02-03", D122, "1500", "3000.00"),
        emp("E4", "2026-03-05", D301, "1500", "1000.00"),  # depois do 1º bimestre
        # restos a pagar de 2025
        pag("PG0B", "2026-01-15", "LQ0", "1500.00"),
        _ev(tipo="cancelamento_restos_a_pagar", id="CR0", data="2026-02-01", empenho="E0",
            valor="1000.00"),
    ]  # fmt: skip


MARCAS = [
    mc.marca(mc.Alvo.EMPENHO, "E3", "ASPS", "nao"),
    mc.marca(mc.Alvo.EMPENHO, "E3", "RP cancelados", "2025"),
]
SALDOS = {("1.1.1.1.1.19.00", "1500"): 1_700_000, ("1.1.1.1.1.19.00", "1600"): 500_000}


def _dados(
    marcas: list[mc.Marca] = MARCAS, fontes: dict[str, Any] | None = None
) -> apu.DadosEntidade:
    evs = _eventos()
    nec = apu.necessarias(2026, evs, {fr for _, fr in SALDOS})
    eqs = eq.confirmar_todas(eq.completar(nec, []))
    return apu.DadosEntidade("pm", evs, fontes or {}, marcas, eqs, SALDOS)


def _apurar(bimestre: int = 1) -> apu.Apuracao:
    ap, erros = apu.apurar(2026, bimestre, [_dados()])
    assert erros == []
    assert ap is not None
    return ap


def test_apuracao_a_mao() -> None:
    ap = _apurar()
    # Receita (até 28/02): IPTU 20.000,00 (o de março fica fora); FPM 150.000,00 com a
    # dedução do FUNDEB 30.000,00 (prevista 180.000,00); SUS União 10.000,00 (COVID);
    # SUS Estado 2.000,00 (COVID). Previsão atualizada = inicial (sem reestimativa).
    assert [tuple(r) for r in ap.receitas] == [
        ("11125001", 10_000_000, 10_000_000, 2_000_000, 0, 0, 0),
        ("17115111", 90_000_000, 90_000_000, 15_000_000, 0, 3_000_000, 18_000_000),
        ("17135001", 5_000_000, 5_000_000, 1_000_000, 0, 0, 0),
        ("17235001", 0, 0, 200_000, 0, 0, 0),
    ]
    assert ap.receitas[1].liquida == 12_000_000  # 150.000 − 0 − 30.000
    # Base ASPS: IPTU 20.000,00 + FPM 150.000,00 (o FUNDEB não sai da base).
    assert ap.base_asps == 17_000_000
    # Despesa (linha de fonte, subfunção, elemento) → inicial, atualizada, empenhada,
    # liquidada, paga. 301: 60.000 + 5.000 de crédito; E1 20.000 − 2.000 anulados,
    # 15.000 liquidados, 12.000 pagos (E4 é de março). 122: 10.000 − 1.000 anulados da
    # dotação; E3 (3.000) marcado não ASPS vai para a linha 2. 302: SUS União.
    assert dict(ap.despesas) == {
        ("1", "122", "31901100"): (1_000_000, 900_000, 0, 0, 0),
        ("1", "301", "33903900"): (6_000_000, 6_500_000, 1_800_000, 1_500_000, 1_200_000),
        ("2", "122", "31901100"): (0, 0, 300_000, 0, 0),
        ("3", "302", "33903900"): (4_000_000, 4_000_000, 800_000, 800_000, 500_000),
    }
    assert ap.asps == (1_800_000, 1_500_000, 1_200_000)
    # 18.000 / 170.000 = 10,588…% → 10,59; 15.000 / 170.000 = 8,823…% → 8,82;
    # 12.000 / 170.000 = 7,058…% → 7,06 (ROUND_HALF_UP).
    assert [ap.percentual(i) for i in range(3)] == [
        Decimal("10.59"),
        Decimal("8.82"),
        Decimal("7.06"),
    ]
    # E3 compensa RP cancelados de 2025.
    assert dict(ap.compensacao_rp) == {2025: (300_000, 0, 0)}
    assert dict(ap.compensacao_limite) == {}
    # RP de 2025 (E0): 10.000 empenhados, 6.000 liquidados, 4.000 pagos → 2.000
    # processados e 4.000 não processados, integrais; em 2026, 1.500 processados pagos
    # e 1.000 não processados cancelados.
    assert dict(ap.rp_inscritos) == {(2025, "1"): (200_000, 400_000)}
    assert dict(ap.rp_pagos) == {(2025, "1"): (150_000, 0)}
    assert dict(ap.rp_cancelados) == {(2025, "1"): (0, 100_000)}
    assert dict(ap.rp_pagos_anteriores) == {} and dict(ap.rp_cancelados_anteriores) == {}
    assert dict(ap.disponibilidade) == {"1": 1_700_000, "3": 500_000}
    assert dict(ap.consorcios) == {}
    # COVID: receita União pela Portaria MS 774 (004); Estado (030); empenho E2 da
    # subfunção 302 sem detalhe → "outras ações" (023).
    assert dict(ap.covid_receita_uniao) == {"004": 1_000_000}
    assert dict(ap.covid_receita_estado) == {"030": 200_000}
    assert dict(ap.covid_despesa_uniao) == {"023": (800_000, 800_000, 500_000)}
    assert dict(ap.covid_despesa_estado) == {} and dict(ap.covid_despesa_propria) == {}


def test_sexto_bimestre_acumula_o_ano() -> None:
    ap = _apurar(6)
    assert ap.receitas[0].realizada == 2_500_000  # IPTU de janeiro e de março
    assert ap.despesas[("1", "301", "33903900")][2] == 1_900_000  # + E4 (1.000)
    # os RP de 2026 só apareceriam com o encerramento de 2026 (não há)
    assert set(ap.rp_inscritos) == {(2025, "1")}


def test_marca_covid_no_empenho_e_na_fonte_e_erro() -> None:
    fontes = {"1600": (("COVID", "sim"),)}
    ap, erros = apu.apurar(2026, 1, [_dados(fontes=fontes)])
    assert ap is None
    regras = {e.regra for e in erros}
    assert regras == {"SIOPS-MARCA-PRECEDENCIA"}
    assert any("empenho E2" in e.mensagem for e in erros)
    assert any("receita R4" in e.mensagem for e in erros)


def test_marca_rp_cancelados_exige_nao_asps() -> None:
    ap, erros = apu.apurar(
        2026, 1, [_dados([mc.marca(mc.Alvo.EMPENHO, "E3", "RP_CANCELADOS", "2025")])]
    )
    assert ap is None and [e.regra for e in erros] == ["SIOPS-MARCA"]


def test_conferir_marca() -> None:
    assert (
        mc.conferir_marca(mc.marca(mc.Alvo.FONTE, "1600", "ASPS", "sim"))[0].regra == "SIOPS-MARCA"
    )
    assert (
        mc.conferir_marca(mc.marca(mc.Alvo.EMPENHO, "E1", "COVID SIOPS Desp", "9999999017")) == []
    )
    assert mc.conferir_marca(mc.marca(mc.Alvo.EMPENHO, "E1", "COVID_SIOPS_DESP", "023"))
    assert mc.conferir_marca(mc.marca(mc.Alvo.EMPENHO, "E1", "LIMITE_NAO_CUMPRIDO", "x"))


def test_equivalencias_pendentes_e_sugestao() -> None:
    evs = _eventos()
    nec = apu.necessarias(2026, evs)
    sugeridas = eq.completar(nec, [])
    assert all(e.situacao == eq.Situacao.SUGERIDA for e in sugeridas)
    rec = eq.mapa(eq.confirmar_todas(sugeridas), eq.TipoEquivalencia.RECURSO)
    assert rec == {"1500": "001", "1600": "212", "1621": "213"}
    assert eq.mapa(eq.confirmar_todas(sugeridas), eq.TipoEquivalencia.DESPESA) == {
        "31901100": "31901100",
        "33903900": "33903900",
    }
    # só as confirmadas geram: sugeridas deixam tudo pendente
    pend = eq.pendentes(nec, sugeridas, "pm")
    assert len(pend) == len(sugeridas) and {e.regra for e in pend} == {"SIOPS-EQUIVALENCIA"}
    ap, erros = apu.apurar(2026, 1, [_dados()._replace(equivalencias=sugeridas)])
    assert ap is None and {e.regra for e in erros} == {"SIOPS-EQUIVALENCIA"}


def test_copiar_e_csv() -> None:
    de = [eq.Equivalencia(eq.TipoEquivalencia.RECURSO, "1600", "212", eq.Situacao.CONFIRMADA),
          eq.Equivalencia(eq.TipoEquivalencia.CONTA, "1.1.1", "ativo", eq.Situacao.CONFIRMADA),
          eq.Equivalencia(eq.TipoEquivalencia.RECEITA, "1", "1", eq.Situacao.SUGERIDA)]  # fmt: skip
    para = [eq.Equivalencia(eq.TipoEquivalencia.RECURSO, "1600", "299")]
    copiadas, n = eq.copiar(de, para)
    assert n == 1 and copiadas == [de[0]]
    texto = eq.para_csv(copiadas)
    assert texto == "tipo;origem;destino;situacao\nrecurso;1600;212;confirmada\n"
    assert eq.ler_csv(texto) == (copiadas, [])
    ruins, erros = eq.ler_csv(
        "tipo;origem;destino;situacao\nrecurso;1600;999;\nxx;1;1;\nreceita;1;abc;\n"
        "recurso;1500;001;\nrecurso;1500;001;\n"
    )
    assert ruins == []
    assert [(e.linha, e.regra) for e in erros] == [
        (2, "SIOPS-CSV"), (3, "SIOPS-CSV"), (4, "SIOPS-CSV"), (6, "SIOPS-CSV"),
    ]  # fmt: skip


# ------------------------------------------------------------------ arquivos
def _arquivos() -> dict[str, str]:
    return {a.nome: a.texto for a in lei.arquivos(lei.gerar(_apurar()))}


GOLDENS = (
    "siops_001_ReceitaTotalMunicipio.impt",
    "siops_211_Despesa_Fonte1_Subfuncao301.impt",
    "siops_301_Despesa_PorSubfuncao.impt",
    "siops_500_RP_Inscritos.impt",
    "siops_501_RP_Pagos.impt",
    "siops_503_RP_Cancelados.impt",
    "siops_070_Covid_Uniao_Receitas.impt",
    "siops_077_Covid_Uniao_Despesas.impt",
)


@pytest.mark.parametrize("nome", GOLDENS)
def test_golden(nome: str) -> None:
    assert _arquivos()[nome] == (GOLDEN / nome).read_bytes().decode("utf-8")


def test_linhas_a_mao() -> None:
    a = _arquivos()
    assert a["siops_001_ReceitaTotalMunicipio.impt"].splitlines()[1] == (
        "1;17115111;2;V0:[>R$900.000,00<]:-[1];V1:[>R$900.000,00<]:-[2];"
        "V2:[>R$150.000,00<]:-[3];V3:[>R$0,00<]:-[4];V4:[>R$30.000,00<]:-[5];#L1;#C5"
    )
    # por subfunção: 122 = ASPS 10.000/9.000 + não ASPS 3.000 empenhados
    assert a["siops_301_Despesa_PorSubfuncao.impt"].splitlines()[0] == (
        "301;122;1;V0:[>R$10.000,00<]:-[13];V1:[>R$9.000,00<]:-[12];V2:[>R$3.000,00<]:-[9];"
        "V3:[>R$0,00<]:-[10];V4:[>R$0,00<]:-[11];#L0;#C5"
    )
    assert a["siops_500_RP_Inscritos.impt"].splitlines() == [
        "500;20251;1;V0:[>R$2.000,00<]:-[1];V1:[>R$4.000,00<]:-[2];#L0;#C2",
        "500;9999999999;2;V0:[>R$2.000,00<]:-[1];V1:[>R$4.000,00<]:-[2];#L1;#C2",
    ]
    covid = a["siops_077_Covid_Uniao_Despesas.impt"].splitlines()
    assert len(covid) == 17  # #L0 a #L16, como o guia
    assert (
        covid[3]
        == "77;9999999016;4;V0:[>R$8.000,00<]:-[9];V1:[>R$8.000,00<]:-[10];V2:[>R$5.000,00<]:-[11];#L3;#C3"
    )
    assert covid[10].startswith("77;9999999023;11;V0:[>R$8.000,00<]")
    assert covid[16].startswith("77;9999999029;17;V0:[>R$8.000,00<]")
    receitas_uniao = a["siops_070_Covid_Uniao_Receitas.impt"].splitlines()
    assert (
        len(receitas_uniao) == 12
        and receitas_uniao[3] == "70;9999999004;4;V0:[>R$10.000,00<]:-[260];#L3;#C1"
    )


def _gravar(pasta: Path) -> Path:
    arqs = lei.arquivos(lei.gerar(_apurar()))
    pasta.mkdir()
    for a in arqs:
        (pasta / a.nome).write_bytes(a.texto.encode("utf-8"))
    (pasta / lei.MANIFESTO).write_text(lei.manifesto(2026, 1, arqs, {}), encoding="utf-8")
    return pasta


def _refazer_manifesto(pasta: Path) -> None:
    """Atualiza sha256 e linhas do manifesto (a quebra testada é só a do arquivo)."""
    import hashlib

    man = json.loads((pasta / lei.MANIFESTO).read_text("utf-8"))
    for a in man["arquivos"]:
        texto = (pasta / a["arquivo"]).read_bytes().decode("utf-8")
        a["sha256"] = hashlib.sha256(texto.encode("utf-8")).hexdigest()
        a["linhas"] = len([ln for ln in texto.splitlines() if ln.strip()])
    (pasta / lei.MANIFESTO).write_text(json.dumps(man), encoding="utf-8")


def test_diretorio_gerado_valido(tmp_path: Path) -> None:
    res = lei.validar_diretorio(_gravar(tmp_path / "s"))
    assert res.erros == []


RECEITA = "siops_001_ReceitaTotalMunicipio.impt"
QUEBRAS: list[tuple[str, str, str, str]] = [
    # (regra, arquivo, de, para) — cada uma quebra só a sua regra
    ("SIOPS-ESTRUTURA", RECEITA, ";#L1;#C5", ";#X1;#C5"),
    ("SIOPS-VALOR", RECEITA, "V2:[>R$150.000,00<]", "V2:[>R$150000.00<]"),
    ("SIOPS-PLANILHA", RECEITA, "1;17115111;", "300;17115111;"),
    ("SIOPS-LINHA", "siops_070_Covid_Uniao_Receitas.impt", "70;9999999005;", "70;9999999099;"),
    ("SIOPS-REPETIDA", RECEITA, "1;17135001;", "1;11125001;"),
    ("SIOPS-COLUNA", RECEITA, "V2:[>R$150.000,00<]:-[3]", "V2:[>R$150.000,00<]:-[7]"),
    ("SIOPS-MARCADOR", RECEITA, ";#L1;#C5", ";#L7;#C5"),
    ("SIOPS-TOTAL", RECEITA, "V2:[>R$150.000,00<]", "V2:[>R$150.000,01<]"),
]


@pytest.mark.parametrize(("regra", "arquivo", "de", "para"), QUEBRAS, ids=[q[0] for q in QUEBRAS])
def test_cada_regra_quebrada_sozinha(
    tmp_path: Path, regra: str, arquivo: str, de: str, para: str
) -> None:
    pasta = _gravar(tmp_path / "s")
    caminho = pasta / arquivo
    texto = caminho.read_bytes().decode("utf-8")
    assert de in texto
    caminho.write_bytes(texto.replace(de, para, 1).encode("utf-8"))
    _refazer_manifesto(pasta)
    erros = lei.validar_diretorio(pasta).erros
    assert erros and {e.regra for e in erros} == {regra}, [str(e) for e in erros]


def test_regra_identidade(tmp_path: Path) -> None:
    pasta = _gravar(tmp_path / "s")
    caminho = pasta / "siops_300_Despesa_PorFonte.impt"
    linhas = caminho.read_bytes().decode("utf-8").splitlines()
    # linha 1 (Impostos — ASPS) e o total com 1,00 a mais na empenhada: o total fecha,
    # mas o resumo por fonte não bate com as planilhas de detalhe nem com o por subfunção.
    linhas[0] = linhas[0].replace("V2:[>R$18.000,00<]", "V2:[>R$18.001,00<]")
    linhas[-1] = linhas[-1].replace("V2:[>R$29.000,00<]", "V2:[>R$29.001,00<]")
    caminho.write_bytes("".join(ln + "\r\n" for ln in linhas).encode("utf-8"))
    _refazer_manifesto(pasta)
    erros = lei.validar_diretorio(pasta).erros
    assert erros and {e.regra for e in erros} == {"SIOPS-IDENTIDADE"}, [str(e) for e in erros]


def test_regra_manifesto(tmp_path: Path) -> None:
    pasta = _gravar(tmp_path / "s")
    man = json.loads((pasta / lei.MANIFESTO).read_text("utf-8"))
    man["arquivos"][0]["sha256"] = "0" * 64
    (pasta / lei.MANIFESTO).write_text(json.dumps(man), encoding="utf-8")
    erros = lei.validar_diretorio(pasta).erros
    assert [e.regra for e in erros] == ["SIOPS-MANIFESTO"]


# ------------------------------------------------------------------ demo e CLI
@pytest.fixture
def db_demo(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    r = runner.invoke(app, ["--db", url, "demo"])
    assert r.exit_code == 0, r.output
    return url


def _cli(url: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", url, *args])


def test_demo_gerar_e_validar(db_demo: str, tmp_path: Path) -> None:
    for ano, bim in ((2026, 1), (2026, 6), (2027, 1)):
        pasta = tmp_path / f"siops-{ano}-{bim}"
        r = _cli(db_demo, "siops", "gerar", str(ano), str(bim), "-o", str(pasta))
        assert r.exit_code == 0, r.output
        r = _cli(db_demo, "siops", "validar", str(pasta))
        assert r.exit_code == 0, r.output
        assert "sem erros" in " ".join(r.output.split())  # o Rich quebra caminhos longos
        man = json.loads((pasta / "manifesto.json").read_text("utf-8"))
        assert all(a["linhas"] > 0 for a in man["arquivos"])
    # 2026, 6º bimestre: ASPS 180.000,00 empenhados (122: 60.000; 301: 120.000) sobre
    # a base IPTU 2.699.101,80 + IRRF 57,45 + FPM 13.303.867,44 = 16.003.026,69 → 1,12%.
    man = json.loads((tmp_path / "siops-2026-6" / "manifesto.json").read_text("utf-8"))
    assert man["percentual_asps"] == "1.12"
    textos = {p.name: p.read_text("utf-8") for p in (tmp_path / "siops-2026-6").glob("*.impt")}
    assert textos["siops_500_RP_Inscritos.impt"].splitlines()[:2] == [
        "500;20261;1;V0:[>R$20.000,00<]:-[1];V1:[>R$0,00<]:-[2];#L0;#C2",
        "500;20263;2;V0:[>R$0,00<]:-[1];V1:[>R$50.000,00<]:-[2];#L1;#C2",
    ]
    rp27 = {p.name: p.read_text("utf-8") for p in (tmp_path / "siops-2027-1").glob("*.impt")}
    assert rp27["siops_501_RP_Pagos.impt"].splitlines()[:2] == [
        "501;20261;1;V0:[>R$20.000,00<]:-[1];V1:[>R$0,00<]:-[2];#L0;#C2",
        "501;20263;2;V0:[>R$0,00<]:-[1];V1:[>R$40.000,00<]:-[2];#L1;#C2",
    ]
    assert rp27["siops_503_RP_Cancelados.impt"].splitlines()[0] == (
        "503;20263;1;V0:[>R$0,00<]:-[1];V1:[>R$10.000,00<]:-[2];#L0;#C2"
    )
    r = _cli(db_demo, "siops", "demonstrativo", "2026", "6", "--formato", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["percentual_asps"] == "1.12"
    total = next(
        ln for ln in doc["linhas"] if ln["item"].startswith("TOTAL DAS DESPESAS COM SAÚDE")
    )
    assert (total["realizada"], total["liquidada"], total["paga"]) == (
        "435000.00",
        "385000.00",
        "365000.00",
    )


def test_conciliacao_com_execucao_e_balancete(db_demo: str) -> None:
    """A apuração do 6º bimestre bate com 'execucao despesa --funcao 10' e com as
    contas 5.2/6.2 do balancete, ao centavo."""
    from erario.execucao.relatorios import execucao_despesa, execucao_receita
    from erario.storage import siops as st
    from erario.storage.banco import criar_engine
    from erario.storage.repositorio import Repositorio

    repo = Repositorio(criar_engine(db_demo))
    controle = repo.controle()
    ap, erros = apu.apurar(2026, 6, [st.dados_entidade(repo, controle, "prefeitura", 2026, 6)])
    assert erros == [] and ap is not None
    linhas = execucao_despesa(controle, "prefeitura", 2026, funcao="10")
    exec_ = (
        sum(ln.dotacao_inicial for ln in linhas),
        sum(ln.dotacao_atualizada for ln in linhas),
        sum(ln.empenhado - ln.anulado for ln in linhas),
        sum(ln.liquidado for ln in linhas),
        sum(ln.pago for ln in linhas),
    )
    siops = tuple(ap.total_despesa(i) for i in range(5))
    assert siops == exec_ == (112_000_000, 112_000_000, 43_500_000, 38_500_000, 36_500_000)
    # balancete: dotação inicial (5.2.2.1.1.01), empenhado (6.2.2.1.3.01–04),
    # liquidado (6.2.2.1.3.03–04) e pago (6.2.2.1.3.04) das dotações da função 10.
    saldos = repo.saldos_execucao("prefeitura", ("5.2.2.1.1.", "6.2.2.1.3.", "6.2.1.2."), 2026, 12)

    def soma(prefixos: tuple[str, ...], chave: str = "DO", filtro: str = r"^\d{4}\.10\.") -> int:
        total = 0
        for (conta, cc), v in saldos.items():
            at = dict(x.partition("=")[::2] for x in cc.split("|") if x)
            if conta.startswith(prefixos) and re.match(filtro, at.get(chave, "")):
                total += v
        return total

    assert soma(("5.2.2.1.1.01",)) == siops[0]
    assert -soma(("6.2.2.1.3.0",)) == siops[2]
    assert -soma(("6.2.2.1.3.03", "6.2.2.1.3.04")) == siops[3]
    assert -soma(("6.2.2.1.3.04",)) == siops[4]
    realizada = {r.rubrica: r.realizada for r in ap.receitas}
    for lr in execucao_receita(controle, "prefeitura", 2026):
        assert realizada[lr.natureza] >= lr.arrecadado
    assert sum(realizada.values()) == -soma(("6.2.1.2.",), "NR", r"^\d")
    assert sum(lr.arrecadado for lr in execucao_receita(controle, "prefeitura", 2026)) == sum(
        realizada.values()
    )


def test_cli_equivalencias_e_marcas(db_demo: str, tmp_path: Path) -> None:
    csv_ = tmp_path / "eq.csv"
    r = _cli(db_demo, "siops", "equivalencias", "prefeitura", "2026", "--exportar", str(csv_))
    assert r.exit_code == 0, r.output
    linhas = csv_.read_text("utf-8").splitlines()
    assert (
        "recurso;1600;212;confirmada" in linhas
        and "conta;1.1.1.1.1.19.00;ativo;confirmada" in linhas
    )
    # outra entidade: copia da Prefeitura, sugere o resto
    r = _cli(db_demo, "siops", "equivalencias", "camara", "2026", "--copiar-de", "prefeitura")
    assert r.exit_code == 0, r.output
    assert "equivalência(s) copiada(s) de prefeitura" in r.output
    r = _cli(db_demo, "siops", "equivalencias", "camara", "2026", "--sugerir")
    assert r.exit_code == 0, r.output
    ruim = tmp_path / "ruim.csv"
    ruim.write_text("tipo;origem;destino;situacao\nrecurso;1600;777;\n", encoding="utf-8")
    r = _cli(db_demo, "siops", "equivalencias", "camara", "2026", "--importar", str(ruim))
    assert r.exit_code == 1 and "SIOPS-CSV" in r.output
    # marca inválida: nada gravado
    r = _cli(db_demo, "siops", "marcar", "prefeitura", "2026", "empenho", "EMP-S301", "ASPS=talvez")
    assert r.exit_code == 1 and "SIOPS-MARCA" in r.output
    # COVID na fonte 1600 e no empenho EMP-S305: a geração é recusada
    r = _cli(db_demo, "siops", "marcar", "prefeitura", "2026", "fonte", "1600", "COVID=sim")
    assert r.exit_code == 0, r.output
    r = _cli(db_demo, "siops", "gerar", "2026", "6", "-o", str(tmp_path / "x"))
    assert r.exit_code == 1 and "SIOPS-MARCA-PRECEDENCIA" in r.output
    assert not (tmp_path / "x").exists()
    r = _cli(
        db_demo, "siops", "marcar", "prefeitura", "2026", "fonte", "1600", "COVID", "--remover"
    )
    assert r.exit_code == 0, r.output
    # empenho ASPS passado a não ASPS: sai da linha ASPS
    r = _cli(db_demo, "siops", "marcar", "prefeitura", "2026", "empenho", "EMP-S122", "ASPS=nao")
    assert r.exit_code == 0, r.output
    r = _cli(db_demo, "siops", "demonstrativo", "2026", "6", "--formato", "json")
    doc = json.loads(r.output)
    asps = next(ln for ln in doc["linhas"] if ln["item"] == "TOTAL DAS DESPESAS COM ASPS")
    assert asps["realizada"] == "120000.00"  # 180.000 − 60.000 do EMP-S122


def test_fim_do_bimestre() -> None:
    assert apu.fim_do_bimestre(2028, 1) == dt.date(2028, 2, 29)
    assert apu.fim_do_bimestre(2026, 6) == dt.date(2026, 12, 31)


def test_fluxo_de_docs_siops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Os blocos ```sh de docs/siops.md, na ordem, num banco novo com o demo."""
    import shlex

    monkeypatch.chdir(tmp_path)
    texto = (Path(__file__).parent.parent / "docs" / "siops.md").read_text("utf-8")
    comandos = [
        ln for bloco in re.findall(r"```sh\n(.*?)```", texto, re.S) for ln in bloco.splitlines()
    ]
    assert comandos[0] == "erario demo" and len(comandos) >= 10
    url = f"sqlite:///{tmp_path / 'docs.db'}"
    for c in comandos:
        args = shlex.split(c)
        assert args[0] == "erario"
        r = _cli(url, *args[1:])
        assert r.exit_code == 0, (c, r.output)
    assert (tmp_path / "siops-2027-1" / "manifesto.json").exists()
