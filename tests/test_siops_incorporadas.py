"""SIOPS do município inteiro com entidades incorporadas (issue 20; docs/siops.md,
"Entidades incorporadas").

Três instalações do erario (três bancos SQLite), cada uma pela linha de comando,
e a troca de orçamento e balancetes pelas funções de storage que o servidor de
dados on-line usa (docs/consolidacao.md: exportar-orcamento → importar-orcamento;
exportar-balancete → importar-balancetes):

- Prefeitura (local): IPTU previsto 100.000,00, arrecadado 20.000,00 em janeiro;
  dotação 0801.10.301 (fonte 1500) de 50.000,00; empenha 10.000,00, liquida
  8.000,00, paga 5.000,00.
- Câmara (incorporada): dotação 0101.01.031 (função 01, fonte 1500) de 30.000,00;
  empenha e liquida 3.000,00 — função 01, **não** entra na saúde.
- Fundo Municipal de Saúde (incorporado): previsão SUS União 17135001 (fonte 1600)
  40.000,00, arrecada 15.000,00 em fevereiro; dotações 0901.10.301 (33903000, fonte
  1500) de 20.000,00 e 0901.10.302 (33903900, fonte 1600) de 40.000,00 + 5.000,00 de
  crédito suplementar; empenha 6.000,00 na 301 (liquida 4.000,00) e 12.000,00 na
  302 (liquida 12.000,00, paga 9.000,00).

1º bimestre de 2026, à mão:
- receita: 11125001 100.000,00 / 20.000,00; 17135001 40.000,00 / 15.000,00; base
  das ASPS = IPTU 20.000,00;
- despesa da função 10 (inicial, atualizada, empenhada, liquidada, paga):
  linha 1 (Impostos — ASPS) 301 33903900: 50.000 / 50.000 / 10.000 / 8.000 / 5.000
  (Prefeitura); linha 1 301 33903000: 20.000 / 20.000 / 6.000 / 4.000 / 0 (Fundo);
  linha 3 (SUS União) 302 33903900: 40.000 / 45.000 / 12.000 / 12.000 / 9.000
  (Fundo). Total: 110.000 / 115.000 / 28.000 / 24.000 / 14.000;
- ASPS 16.000 / 12.000 / 5.000 sobre 20.000 = 80,00% / 60,00% / 25,00% (só a
  Prefeitura: 10.000 / 20.000 = 50,00%);
- disponibilidade (banco 1.1.1.1.1.19.00): Prefeitura 20.000 − 5.000 = 15.000 na
  fonte 1500 (linha 1); Fundo 15.000 − 9.000 = 6.000 na 1600 (linha 3).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from typer.testing import CliRunner

from erario.cli.app import app
from erario.consolidacao.formato import serializar
from erario.consolidacao.orcamento import ler_orcamento, serializar_orcamento
from erario.siops import apuracao as apu
from erario.siops import equivalencias as eq
from erario.siops import incorporadas as inc
from erario.storage import consolidacao as stc
from erario.storage import siops as st
from erario.storage.banco import criar_engine
from erario.storage.repositorio import Repositorio

runner = CliRunner()
IBGE = "4312658"
ENTIDADES = {
    "prefeitura": ("Prefeitura", "01602258000120", "prefeitura", "10131"),
    "camara": ("Câmara", "29363995000137", "camara", "20231"),
    "fms": ("Fundo Municipal de Saúde", "11222333000181", "fundo", "10131"),
}
D_PREF = "0801.10.301.0020.2030.33903900"
D_CAM = "0101.01.031.0002.2002.33903900"
D_FMS301 = "0901.10.301.0030.2041.33903000"
D_FMS302 = "0901.10.302.0030.2040.33903900"
BANCO = "1.1.1.1.1.19.00"
DOM = {"prefeitura": "001-1111-100001", "camara": "041-2222-200002", "fms": "001-3333-300003"}
FORNECEDOR = "12345678000195"


class Municipio(NamedTuple):
    dbs: dict[str, str]
    pasta: Path


def ok(db: str, *args: str) -> str:
    r = runner.invoke(app, ["--db", db, *args])
    assert r.exit_code == 0, (args, r.output)
    return " ".join(r.output.split())


def falha(db: str, *args: str) -> str:
    r = runner.invoke(app, ["--db", db, *args])
    assert r.exit_code == 1, (args, r.output)
    return " ".join(r.output.split())


def _jsonl(pasta: Path, nome: str, objs: list[dict[str, Any]]) -> str:
    arq = pasta / nome
    arq.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), "utf-8")
    return str(arq)


def _criar(db: str, slug: str, *extra: str) -> None:
    nome, cnpj, tipo, po = ENTIDADES[slug]
    ok(db, "entidade", "criar", "--slug", slug, "--nome", nome, "--cnpj", cnpj, "--tipo", tipo,
       "--ibge", IBGE, "--poder-orgao", po, *extra)  # fmt: skip


def _classificacoes(slug: str, dotacoes: tuple[str, ...], fontes: tuple[str, ...]) -> list[Any]:
    out: list[dict[str, Any]] = []
    for d in dotacoes:
        out += [
            {"cadastro": "orgao", "entidade": slug, "codigo": d[:2], "nome": f"Órgão {slug}"},
            {"cadastro": "unidade", "entidade": slug, "orgao": d[:2], "codigo": d[2:4],
             "nome": f"Unidade {slug}"},
            {"cadastro": "programa", "entidade": slug, "codigo": d[12:16], "nome": "Programa"},
            {"cadastro": "acao", "entidade": slug, "codigo": d[17:21], "nome": "Ação"},
        ]  # fmt: skip
    out += [{"cadastro": "fonte", "entidade": slug, "codigo": f, "nome": f"Fonte {f}"}
            for f in fontes]  # fmt: skip
    vistos: list[dict[str, Any]] = []
    for c in out:  # órgão/unidade repetidos entre dotações da mesma unidade
        if c not in vistos:
            vistos.append(c)
    return vistos


def _loa() -> list[dict[str, Any]]:
    lo = "2026-01-02"

    def dot(id_: str, ent: str, dotacao: str, fonte: str, valor: str) -> dict[str, Any]:
        return {"tipo": "dotacao_inicial", "id": id_, "entidade": ent, "data": lo,
                "dotacao": dotacao, "fonte": fonte, "valor": valor}  # fmt: skip

    def prev(id_: str, ent: str, nr: str, fonte: str, valor: str) -> dict[str, Any]:
        return {"tipo": "previsao_receita", "id": id_, "entidade": ent, "data": lo,
                "natureza_receita": nr, "fonte": fonte, "valor": valor}  # fmt: skip

    return [
        prev("P-IPTU", "prefeitura", "11125001", "1500", "100000.00"),
        dot("D-PREF", "prefeitura", D_PREF, "1500", "50000.00"),
        dot("D-CAM", "camara", D_CAM, "1500", "30000.00"),
        prev("P-SUS", "fms", "17135001", "1600", "40000.00"),
        dot("D-FMS301", "fms", D_FMS301, "1500", "20000.00"),
        dot("D-FMS302", "fms", D_FMS302, "1600", "40000.00"),
    ]


def _despesa(slug: str, n: str, data: str, dotacao: str, fonte: str, emp: str, liq: str,
             pago: str | None) -> list[dict[str, Any]]:  # fmt: skip
    evs: list[dict[str, Any]] = [
        {"tipo": "empenho", "id": f"E{n}", "entidade": slug, "data": data, "dotacao": dotacao,
         "fonte": fonte, "credor": FORNECEDOR, "valor": emp},
        {"tipo": "liquidacao", "id": f"L{n}", "entidade": slug, "data": data, "empenho": f"E{n}",
         "valor": liq, "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01",
         "documento": f"NF {n}"},
    ]  # fmt: skip
    if pago:
        evs.append({"tipo": "pagamento", "id": f"P{n}", "entidade": slug, "data": data,
                    "liquidacao": f"L{n}", "valor": pago, "conta_banco": BANCO,
                    "domicilio": DOM[slug]})  # fmt: skip
    return evs


def _arrecadacao(slug: str, id_: str, data: str, nr: str, fonte: str, valor: str,
                 vpa: str) -> dict[str, Any]:  # fmt: skip
    return {"tipo": "arrecadacao", "id": id_, "entidade": slug, "data": data,
            "natureza_receita": nr, "fonte": fonte, "valor": valor, "conta_vpa": vpa,
            "conta_banco": BANCO, "domicilio": DOM[slug]}  # fmt: skip


def _execucao(slug: str) -> list[dict[str, Any]]:
    if slug == "prefeitura":
        return [
            _arrecadacao(slug, "IPTU1", "2026-01-10", "11125001", "1500", "20000.00",
                         "4.1.1.2.1.02.00"),
            *_despesa(slug, "1", "2026-01-20", D_PREF, "1500", "10000.00", "8000.00", "5000.00"),
        ]  # fmt: skip
    if slug == "camara":
        return _despesa(slug, "1", "2026-01-20", D_CAM, "1500", "3000.00", "3000.00", None)
    return [
        {"tipo": "credito_adicional", "id": "C1", "entidade": slug, "data": "2026-02-01",
         "dotacao": D_FMS302, "fonte": "1600", "valor": "5000.00", "modalidade": "suplementar",
         "cobertura": "excesso"},
        *_despesa(slug, "1", "2026-01-15", D_FMS301, "1500", "6000.00", "4000.00", None),
        _arrecadacao(slug, "SUS1", "2026-02-05", "17135001", "1600", "15000.00",
                     "4.5.2.1.3.02.00"),
        *_despesa(slug, "2", "2026-02-10", D_FMS302, "1600", "12000.00", "12000.00", "9000.00"),
    ]  # fmt: skip


def _prefeitura(db: str, pasta: Path) -> None:
    """Instalação da Prefeitura: ela, e Câmara e Fundo como incorporadas, com a LOA
    das três (a das incorporadas guardada sem lançamento)."""
    ok(db, "iniciar")
    _criar(db, "prefeitura")
    _criar(db, "camara", "--incorporada")
    _criar(db, "fms", "--incorporada")
    ok(db, "exercicio", "abrir", "prefeitura", "2026")
    cadastros = [
        {"cadastro": "credor", "documento": FORNECEDOR, "nome": "Fornecedor Ltda."},
        *_classificacoes("prefeitura", (D_PREF,), ("1500",)),
        *_classificacoes("camara", (D_CAM,), ("1500",)),
        *_classificacoes("fms", (D_FMS301, D_FMS302), ("1500", "1600")),
    ]
    ok(db, "importar", _jsonl(pasta, "cadastros.jsonl", cadastros), "--tipo", "cadastros")
    saida = ok(db, "importar", _jsonl(pasta, "loa.jsonl", _loa()), "--tipo", "eventos")
    assert "Desses, 4 da LOA de entidades incorporadas, sem lançamento." in saida
    ok(db, "importar", _jsonl(pasta, "pref.jsonl", _execucao("prefeitura")), "--tipo", "eventos")


def _incorporada(db: str, slug: str, pasta: Path, orcamento: bytes) -> list[bytes]:
    """Instalação própria da incorporada: importa a LOA que a Prefeitura elaborou,
    escritura janeiro e fevereiro, fecha os meses e exporta os balancetes."""
    ok(db, "iniciar")
    _criar(db, slug)
    ok(db, "exercicio", "abrir", slug, "2026")
    repo = Repositorio(criar_engine(db))
    orc, erros = ler_orcamento(orcamento, "orçamento")
    assert orc is not None, erros
    stc.importar_orcamento(repo, slug, orc)  # = consolidacao importar-orcamento
    ok(db, "importar", _jsonl(pasta, f"{slug}-credor.jsonl", [
        {"cadastro": "credor", "documento": FORNECEDOR, "nome": "Fornecedor"}]),
       "--tipo", "cadastros")  # fmt: skip
    ok(db, "importar", _jsonl(pasta, f"{slug}.jsonl", _execucao(slug)), "--tipo", "eventos")
    for m in (1, 2):
        ok(db, "exercicio", "fechar", slug, f"2026-{m:02d}")
    # = consolidacao exportar-balancete SLUG --mes 2026-01 --ate 2026-02
    return [serializar(stc.balancete_para_envio(repo, slug, 2026, m)) for m in (1, 2)]


@pytest.fixture(scope="module")
def municipio(tmp_path_factory: pytest.TempPathFactory) -> Municipio:
    pasta = tmp_path_factory.mktemp("siops-incorporadas")
    dbs = {s: f"sqlite:///{pasta / (s + '.db')}" for s in ENTIDADES}
    _prefeitura(dbs["prefeitura"], pasta)
    pref = Repositorio(criar_engine(dbs["prefeitura"]))
    orcamento = serializar_orcamento(stc.orcamento_local(pref, 2026, IBGE))  # exportar-orcamento
    # Antes de os balancetes chegarem, o SIOPS do município não sai.
    saida = falha(dbs["prefeitura"], "siops", "gerar", "2026", "1", "-o", str(pasta / "antes"))
    assert "camara: [CON-MES-FALTANTE] faltam os balancetes de 01, 02" in saida
    assert "fms: [CON-MES-FALTANTE] faltam os balancetes de 01, 02" in saida
    assert not (pasta / "antes").exists()
    for slug in ("camara", "fms"):
        for dados in _incorporada(dbs[slug], slug, pasta, orcamento):
            stc.incorporar(pref, dados, 1, "teste", IBGE)  # = importar-balancetes
    return Municipio(dbs, pasta)


def _apuracao(db: str, bimestre: int = 1) -> apu.Apuracao:
    from erario.cli.siops import apurar

    return apurar(Repositorio(criar_engine(db)), 2026, bimestre)


def test_fluxo_documentado_gerar_e_validar(municipio: Municipio) -> None:
    db, pasta = municipio.dbs["prefeitura"], municipio.pasta
    ok(db, "siops", "equivalencias", "prefeitura", "2026", "--sugerir", "--confirmar")
    # O Fundo tem fonte 1600, natureza 17135001 e elemento 33903000 que a Prefeitura não
    # relacionou: pendentes, e nada é gravado.
    saida = falha(db, "siops", "gerar", "2026", "1", "-o", str(pasta / "s"))
    for pend in ("fms: recurso 1600", "fms: receita 17135001", "fms: despesa 33903000"):
        assert f"[SIOPS-EQUIVALENCIA] {pend} sem equivalência confirmada" in saida
    assert "camara:" not in saida  # a Câmara (função 01, sem receita) herda o que precisa
    assert not (pasta / "s").exists()
    saida = ok(db, "siops", "equivalencias", "fms", "2026", "--sugerir")
    ok(db, "siops", "equivalencias", "fms", "2026", "--confirmar")
    saida = ok(db, "siops", "gerar", "2026", "1", "-o", str(pasta / "s"))
    assert "(2026, 1º bimestre; prefeitura, camara, fms)" in saida
    assert "percentual aplicado em ASPS: 80,00%." in saida
    assert "sem erros" in ok(db, "siops", "validar", str(pasta / "s"))
    textos = {p.name: p.read_text("utf-8") for p in (pasta / "s").glob("*.impt")}
    assert textos["siops_301_Despesa_PorSubfuncao.impt"].splitlines()[:2] == [
        "301;301;1;V0:[>R$70.000,00<]:-[13];V1:[>R$70.000,00<]:-[12];V2:[>R$16.000,00<]:-[9];"
        "V3:[>R$12.000,00<]:-[10];V4:[>R$5.000,00<]:-[11];#L0;#C5",
        "301;302;2;V0:[>R$40.000,00<]:-[13];V1:[>R$45.000,00<]:-[12];V2:[>R$12.000,00<]:-[9];"
        "V3:[>R$12.000,00<]:-[10];V4:[>R$9.000,00<]:-[11];#L1;#C5",
    ]
    assert textos["siops_001_ReceitaTotalMunicipio.impt"].splitlines()[1] == (
        "1;17135001;2;V0:[>R$40.000,00<]:-[1];V1:[>R$40.000,00<]:-[2];"
        "V2:[>R$15.000,00<]:-[3];V3:[>R$0,00<]:-[4];V4:[>R$0,00<]:-[5];#L1;#C5"
    )
    man = json.loads((pasta / "s" / "manifesto.json").read_text("utf-8"))
    assert man["entidades"] == ["prefeitura", "camara", "fms"]
    assert man["percentual_asps"] == "80.00"


def test_totais_somados_a_mao(municipio: Municipio) -> None:
    ap = _apuracao(municipio.dbs["prefeitura"])
    assert ap.entidades == ("prefeitura", "camara", "fms")
    assert [(r.rubrica, r.previsao_inicial, r.realizada) for r in ap.receitas] == [
        ("11125001", 10_000_000, 2_000_000),
        ("17135001", 4_000_000, 1_500_000),
    ]
    assert ap.base_asps == 2_000_000
    assert dict(ap.despesas) == {
        ("1", "301", "33903000"): (2_000_000, 2_000_000, 600_000, 400_000, 0),
        ("1", "301", "33903900"): (5_000_000, 5_000_000, 1_000_000, 800_000, 500_000),
        ("3", "302", "33903900"): (4_000_000, 4_500_000, 1_200_000, 1_200_000, 900_000),
    }
    assert tuple(ap.total_despesa(i) for i in range(5)) == (
        11_000_000, 11_500_000, 2_800_000, 2_400_000, 1_400_000,
    )  # fmt: skip
    assert ap.asps == (1_600_000, 1_200_000, 500_000)
    assert [str(ap.percentual(i)) for i in range(3)] == ["80.00", "60.00", "25.00"]
    assert dict(ap.disponibilidade) == {"1": 1_500_000, "3": 600_000}
    # A Câmara (função 01) não muda nada na saúde: a apuração sem as incorporadas
    # é só a da Prefeitura (10.000 / 20.000 = 50,00%).
    pref = Repositorio(criar_engine(municipio.dbs["prefeitura"]))
    so_pref, erros = apu.apurar(
        2026, 1, [st.dados_entidade(pref, pref.controle(), "prefeitura", 2026, 1)]
    )
    assert erros == [] and so_pref is not None
    assert so_pref.asps == (1_000_000, 800_000, 500_000) and str(so_pref.percentual()) == "50.00"
    sem_camara, erros = apu.apurar(
        2026,
        1,
        [st.dados_entidade(pref, pref.controle(), "prefeitura", 2026, 1)],
        [st.dados_incorporada(pref, "fms", 2026)],
    )
    assert erros == [] and sem_camara is not None
    assert sem_camara.despesas == ap.despesas and sem_camara.receitas == ap.receitas


def test_loa_guardada_diferente_do_balancete_e_recusada(municipio: Municipio) -> None:
    """Uma dotação do Fundo acrescentada à LOA guardada depois da exportação: o
    crédito inicial do balancete dele não confere (SIOPS-INCORPORADA); o estorno
    corrige."""
    db, pasta = municipio.dbs["prefeitura"], municipio.pasta
    # As equivalências confirmadas (o fluxo documentado as confirma; aqui de novo,
    # para o teste valer sozinho: sem elas a recusa lista também as que faltam).
    for ent in ("prefeitura", "fms"):
        ok(db, "siops", "equivalencias", ent, "2026", "--sugerir", "--confirmar")
    nova = {
        "tipo": "dotacao_inicial",
        "id": "D-FMS-X",
        "entidade": "fms",
        "data": "2026-01-02",
        "dotacao": D_FMS301.replace("2041", "2040"),
        "fonte": "1500",
        "valor": "7000.00",
    }
    ok(db, "importar", _jsonl(pasta, "x.jsonl", [nova]), "--tipo", "eventos")
    saida = falha(db, "siops", "demonstrativo", "2026", "1")
    assert (
        f"[SIOPS-INCORPORADA] fms: dotação {nova['dotacao']} (fonte 1500): LOA guardada "
        "7.000,00, crédito inicial (5.2.2.1.1.01) do balancete 0,00"
    ) in saida
    estorno = {"tipo": "estorno", "id": "X-FMS-X", "entidade": "fms", "data": "2026-01-03",
               "evento": "D-FMS-X"}  # fmt: skip
    ok(db, "importar", _jsonl(pasta, "y.jsonl", [estorno]), "--tipo", "eventos")
    assert _apuracao(db).total_despesa(0) == 11_000_000


# ------------------------------------------------------- restos a pagar (puro)
def _cc(dotacao: str, fr: str, ai: int | None = None) -> str:
    return f"FR={fr}|DO={dotacao}" + (f"|AI={ai}" if ai else "")


def test_restos_a_pagar_da_incorporada_por_ano_de_inscricao() -> None:
    """Balancetes à mão do Fundo: RP de 2024 (30.000,00 não processados) e de 2025
    (8.000,00 processados, 2.000,00 não processados). Em 2025 pagou 10.000,00 e
    cancelou 5.000,00 do RP de 2024; em 2026 (1º bimestre) paga 4.000,00 do de 2024,
    3.000,00 processados do de 2025 e cancela 1.000,00 não processado do de 2025.

    Inscrito de 2024 = restante no início de 2026 (15.000) + pago (10.000) e
    cancelado (5.000) em 2025 = 30.000; de 2025 = restante (8.000 e 2.000)."""
    r24, r25, nula = _cc(D_FMS301, "2500", 2024), _cc(D_FMS302, "2600", 2025), (0, 0, 0)
    jan26 = {
        ("5.3.1.2.0.00.00", r24): (1_500_000, 0, 0),
        ("6.3.1.3.0.00.00", r24): (-1_500_000, 400_000, 0),
        ("6.3.1.4.0.00.00", r24): (0, 0, 400_000),
        ("5.3.2.1.0.00.00", r25): (800_000, 0, 0),
        ("5.3.1.1.0.00.00", r25): (200_000, 0, 0),
        ("6.3.2.1.0.00.00", r25): (-800_000, 300_000, 0),
        ("6.3.2.2.0.00.00", r25): (0, 0, 300_000),
        ("6.3.1.1.0.00.00", r25): (-200_000, 100_000, 0),
        ("6.3.1.9.9.00.00", r25): (0, 0, 100_000),
    }
    fev26 = {k: (a + d - c, 0, 0) for k, (a, d, c) in jan26.items()}
    # 2025: pagamentos e cancelamentos do RP de 2024 (meses 1 a 12; o resto parado)
    meses25 = {m: {("6.3.1.4.0.00.00", r24): nula, ("6.3.1.9.9.00.00", r24): nula}
               for m in range(1, 13)}  # fmt: skip
    meses25[3] = {("6.3.1.4.0.00.00", r24): (0, 0, 1_000_000),
                  ("6.3.1.9.9.00.00", r24): (0, 0, 500_000)}  # fmt: skip
    for m in range(4, 13):
        meses25[m] = {("6.3.1.4.0.00.00", r24): (-1_000_000, 0, 0),
                      ("6.3.1.9.9.00.00", r24): (-500_000, 0, 0)}  # fmt: skip
    d = inc.DadosIncorporada("fms", (), {1: jan26, 2: fev26}, {2025: meses25}, {}, (), ())
    lida, erros = inc.ler(d, 2026, 1)
    assert erros == [] and lida is not None
    c24, c25 = inc.classe(inc.atributos(r24)), inc.classe(inc.atributos(r25))
    assert c24 is not None and c25 is not None
    assert lida.rp_inscritos == {(2024, c24, "2500"): (0, 3_000_000),
                                 (2025, c25, "2600"): (800_000, 200_000)}  # fmt: skip
    assert lida.rp_pagos == {(2024, c24, "2500"): (0, 400_000),
                             (2025, c25, "2600"): (300_000, 0)}  # fmt: skip
    assert lida.rp_cancelados == {(2025, c25, "2600"): (0, 100_000)}
    assert lida.rp_pagos_anteriores == {(2024, c24, "2500"): (0, 1_000_000)}
    assert lida.rp_cancelados_anteriores == {(2024, c24, "2500"): (0, 500_000)}
    # Na apuração: linhas de fonte pelas equivalências das fontes 2500 e 2600.
    eqs = eq.confirmar_todas(eq.completar(inc.origens(d, 2026), []))
    ap, erros = apu.apurar(2026, 1, [], [d._replace(equivalencias=eqs)])
    assert erros == [] and ap is not None
    assert dict(ap.rp_inscritos) == {(2024, "1"): (0, 3_000_000), (2025, "3"): (800_000, 200_000)}
    assert dict(ap.rp_pagos_anteriores) == {(2024, "1"): (0, 1_000_000)}
    # Falta um mês de 2025: a conferência de continuidade/meses do consolidado vale aqui.
    del meses25[7]
    _, erros = inc.ler(d._replace(anteriores={2025: meses25}), 2026, 1)
    assert [e.regra for e in erros] == ["CON-MES-FALTANTE"]


def test_herdar_equivalencias_da_prefeitura() -> None:
    C, S = eq.Situacao.CONFIRMADA, eq.Situacao.SUGERIDA
    R, K = eq.TipoEquivalencia.RECURSO, eq.TipoEquivalencia.CONTA
    pref = [
        eq.Equivalencia(R, "1500", "001", C),
        eq.Equivalencia(R, "1600", "212", C),
        eq.Equivalencia(K, BANCO, "ativo", C),
        eq.Equivalencia(R, "1621", "213", S),
    ]
    propria = [eq.Equivalencia(R, "1600", "299", C), eq.Equivalencia(R, "1500", "212", S)]
    assert eq.herdar(propria, pref) == [
        eq.Equivalencia(R, "1500", "001", C),  # a sugestão dela não vale: herda a confirmada
        eq.Equivalencia(R, "1600", "299", C),  # a confirmada dela prevalece
        eq.Equivalencia(K, BANCO, "ativo", C),
    ]  # fmt: skip
