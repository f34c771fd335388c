"""Relatórios prontos para assinar: entidade com nome e CNPJ, exercício, período,
emissão, bloco de assinaturas (contador com CRC e responsável), título recuado
pelo nível, total geral, título longo que quebra; XLSX com saldo com sinal e
autofiltro; relatório largo no terminal em fichas.

Usa o balancete escrito à mão de ``test_relatorios_balancete`` (janeiro a março
de 2026, prefeitura + câmara; totais P 29.150,25, O 10.500,00, C 3.000,00,
movimento 7.101,25)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from erario.cli import comum
from erario.cli.app import app
from erario.core.erros import OperacaoRecusada
from erario.razao.balancete import Balancete
from erario.relatorios import execucao as rel_execucao
from erario.relatorios import tabela as tab
from erario.relatorios.balancete import para_pdf, para_xlsx, tabela, total_geral
from erario.relatorios.identificacao import (
    Assinatura,
    Identificacao,
    Papel,
    normalizar_crc,
    validar_assinaturas,
)
from erario.storage.assinaturas import assinaturas, gravar_assinaturas
from erario.storage.repositorio import Repositorio
from tests.conftest import CNPJ_CAMARA, CNPJ_PREFEITURA, PLANO_TESTE, conferir_golden
from tests.test_relatorios_balancete import CAIXA, _balancete, _dec, _texto_pdf

runner = CliRunner()

CONTADORA = Assinatura(Papel.CONTADOR, "Maria da Silva", "Contadora", "SC-012345/O")
PREFEITO = Assinatura(Papel.RESPONSAVEL, "João Souza", "Prefeito Municipal")
IDENT = Identificacao(
    (
        ("Prefeitura Municipal de Teste", CNPJ_PREFEITURA),
        ("Câmara Municipal de Teste", CNPJ_CAMARA),
    ),
    2026,
    "",
    dt.date(2026, 4, 10),
    (CONTADORA, PREFEITO),
)
TITULO = "Balancete de verificação — Janeiro a março de 2026 (consolidado)"
LANCAMENTOS = """\
entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente
prefeitura;A1;2026-01-01;abertura;Saldos iniciais;1.1.1.1.1.01;D;1000.00;FR=1500
prefeitura;A1;2026-01-01;abertura;Saldos iniciais;2.3.7;C;1000.00;
camara;C1;2026-02-03;;Arrecadação;1.1.1.1.1.01;D;40.00;FR=1500
camara;C1;2026-02-03;;Arrecadação;4.1;C;40.00;
"""


@pytest.fixture
def bal() -> Balancete:
    return _balancete()


# --- regras das assinaturas -------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "normal"),
    [
        ("SC-012345/O", "SC-012345/O"),
        ("sc 012345/o", "SC-012345/O"),
        ("CRC-RS 1234/T-8", "RS-1234/T-8"),
        ("PR012345/P", "PR-012345/P"),
    ],
)
def test_normalizar_crc(texto: str, normal: str) -> None:
    assert normalizar_crc(texto) == normal
    assert validar_assinaturas([CONTADORA._replace(registro=normal)]) == []


def test_validar_assinaturas_lista_todos_os_problemas() -> None:
    erros = validar_assinaturas(
        [
            Assinatura(Papel.CONTADOR, " ", "Contador", "XX-12345/O"),
            Assinatura(Papel.RESPONSAVEL, "João", "", "SC-1/O"),
            Assinatura(Papel.CONTADOR, "Ana", "Contadora", ""),
            Assinatura(Papel.CONTADOR, "Ana", "Contadora", "SC-012345/Z"),
        ]
    )
    assert [(e.regra, e.campo) for e in erros] == [
        ("REL-NOME", "contador"),
        ("REL-CRC", "crc"),  # UF XX não existe
        ("REL-CARGO", "cargo"),
        ("REL-CRC", "crc"),  # só o contador tem CRC
        ("REL-CRC", "crc"),  # contador sem CRC
        ("REL-CRC", "crc"),  # categoria Z
    ]
    assert "SC-012345/O" in erros[1].mensagem


def test_identificacao_linhas() -> None:
    assert IDENT.linhas() == [
        "Prefeitura Municipal de Teste — CNPJ 01.602.258/0001-20",
        "Câmara Municipal de Teste — CNPJ 29.363.995/0001-37",
        "Exercício 2026 · emitido em 10/04/2026",
    ]
    assert IDENT._replace(periodo="Março de 2026").linha_periodo() == (
        "Exercício 2026 · Março de 2026 · emitido em 10/04/2026"
    )
    assert CONTADORA.rotulo() == "Contadora — CRC SC-012345/O"
    assert PREFEITO.rotulo() == "Prefeito Municipal"


# --- armazenamento (SQLite e, com a variável, PostgreSQL) -------------------------------


def test_gravar_e_ler_assinaturas(repo: Repositorio) -> None:
    assert assinaturas(repo, "prefeitura") == ()
    bloco = gravar_assinaturas(repo, "prefeitura", (PREFEITO, CONTADORA), usuario="teste")
    assert bloco == (CONTADORA, PREFEITO)  # contador primeiro
    outro = Assinatura(Papel.RESPONSAVEL, "Ana Lima", "Prefeita Municipal")
    assert gravar_assinaturas(repo, "prefeitura", (outro,)) == (CONTADORA, outro)
    assert assinaturas(repo, "camara") == ()
    acoes = [(a[2], a[3], a[4]) for a in repo.auditoria("prefeitura") if a[2] == "assinatura"]
    assert acoes[-1] == ("assinatura", "prefeitura", "responsavel: Ana Lima (Prefeita Municipal)")


def test_assinatura_ruim_nao_grava_nada(repo: Repositorio) -> None:
    with pytest.raises(OperacaoRecusada) as exc:
        gravar_assinaturas(
            repo, "prefeitura", (CONTADORA._replace(registro="123"), PREFEITO._replace(cargo=""))
        )
    assert [e.regra for e in exc.value.erros] == ["REL-CRC", "REL-CARGO"]
    assert assinaturas(repo, "prefeitura") == ()
    with pytest.raises(OperacaoRecusada, match="ENT-INEXISTENTE"):
        gravar_assinaturas(repo, "nada", (CONTADORA,))


# --- balancete: total geral, terminal, XLSX e PDF ----------------------------------------


def test_total_geral_do_balancete(bal: Balancete) -> None:
    # Classes 1 a 8: saldos se anulam; movimento 7.101,25 de cada lado.
    assert total_geral(bal) == (0, 710125, 710125, 0)


def test_terminal_golden(bal: Balancete) -> None:
    console = Console(record=True, width=160)
    console.print(tabela(bal, TITULO, None, IDENT))
    texto = console.export_text()
    linhas = texto.splitlines()
    assert linhas[0].strip() == TITULO
    assert linhas[1].strip() == "Prefeitura Municipal de Teste — CNPJ 01.602.258/0001-20"
    assert linhas[3].strip() == "Exercício 2026 · emitido em 10/04/2026"
    # Recuo pelo nível: CAIXA é nível 6 (5 recuos de dois espaços).
    assert re.search(r"│ 1\.1\.1\.1\.1\.01\.00 │ {11}CAIXA", texto)
    total = next(ln for ln in linhas if "Total geral" in ln)
    assert [c.strip() for c in total.split("│")[4:8]] == ["0,00", "7.101,25", "7.101,25", "0,00"]
    conferir_golden("balancete_assinar.txt", texto)


def test_xlsx_para_assinar(bal: Balancete, tmp_path: Path) -> None:
    caminho = tmp_path / "b.xlsx"
    para_xlsx(bal, caminho, TITULO, IDENT)
    ws = load_workbook(caminho)["Balancete"]
    assert [ws.cell(row=r, column=1).value for r in range(1, 5)] == [
        TITULO,
        "Prefeitura Municipal de Teste — CNPJ 01.602.258/0001-20",
        "Câmara Municipal de Teste — CNPJ 29.363.995/0001-37",
        "Exercício 2026 · emitido em 10/04/2026",
    ]
    cab = [c.value for c in ws[5]]
    assert cab[-3:] == ["Saldo anterior (D+ C−)", "Saldo atual (D+ C−)", "Linha"]
    n = len(bal.linhas)
    assert ws.freeze_panes == "A6"
    assert ws.auto_filter.ref == f"A5:M{5 + n}"  # cabeçalho e linhas, sem os totais
    i_ant, i_atual, i_linha, i_nivel = (cab.index(c) for c in (*cab[-3:], "Nível"))
    corpo = list(ws.iter_rows(min_row=6, max_row=5 + n))
    caixa = next(r for r in corpo if r[0].value == CAIXA)
    assert caixa[1].value == "CAIXA" and caixa[1].alignment.indent == 5
    assert _dec(caixa[i_ant].value) == Decimal("1000.00")
    assert _dec(caixa[i_atual].value) == Decimal("1150.25")
    forn = next(r for r in corpo if r[0].value == "2.1.3.0.0.00.00")
    assert _dec(forn[i_atual].value) == Decimal("-150.25")  # credor: negativo
    assert forn[i_atual].number_format == "#,##0.00"
    # Com o filtro "Linha" = analítica (ou Nível = 1), a coluna com sinal soma zero.
    analiticas = [r for r in corpo if r[i_linha].value == "analítica"]
    assert len(analiticas) == 11
    assert sum(_dec(r[i_atual].value) for r in analiticas) == 0
    assert sum(_dec(r[i_ant].value) for r in analiticas) == 0
    assert sum(_dec(r[i_atual].value) for r in corpo if r[i_nivel].value == 1) == 0
    assert {r[i_linha].value for r in corpo} == {"sintética", "analítica", "conta corrente"}
    # Total geral logo depois da linha em branco.
    total = ws[7 + n]
    assert total[1].value == "Total geral" and total[1].font.b
    assert [_dec(total[c].value) for c in (6, 7, i_ant, i_atual)] == [
        Decimal("7101.25"),
        Decimal("7101.25"),
        0,
        0,
    ]
    valores = [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if c.value]
    assinaturas_xlsx = [(col, v) for _, col, v in valores if v in ("Maria da Silva", "João Souza")]
    assert assinaturas_xlsx == [(2, "Maria da Silva"), (7, "João Souza")]
    assert "Contadora — CRC SC-012345/O" in [v for *_, v in valores]
    assert "Prefeito Municipal" in [v for *_, v in valores]


def test_pdf_para_assinar(bal: Balancete, tmp_path: Path) -> None:
    caminho = tmp_path / "b.pdf"
    para_pdf(bal, caminho, TITULO, IDENT)
    texto = _texto_pdf(caminho.read_bytes()).replace("\\(", "(").replace("\\)", ")")
    for trecho in (
        "Balancete de verificação - Janeiro a março de 2026 (consolidado)",
        "Prefeitura Municipal de Teste - CNPJ 01.602.258/0001-20",
        "Câmara Municipal de Teste - CNPJ 29.363.995/0001-37",
        "Exercício 2026 · emitido em 10/04/2026",
        "Total geral",
        "7.101,25",
        "Maria da Silva",
        "Contadora - CRC SC-012345/O",
        "João Souza",
        "Prefeito Municipal",
        "          CAIXA",  # recuo do nível 6
    ):
        assert trecho in texto, trecho
    assert "Entidades: prefeitura" not in texto  # nomes, não slugs


def test_pdf_titulo_longo_quebra(bal: Balancete, tmp_path: Path) -> None:
    longo = "Balancete de verificação — " + " + ".join(
        f"Fundo Municipal de Assistência Social número {i}" for i in range(6)
    )
    caminho = tmp_path / "longo.pdf"
    para_pdf(bal, caminho, longo, IDENT)
    texto = _texto_pdf(caminho.read_bytes())
    # Quebrado em linhas (nenhuma linha de texto passa da página): o título inteiro
    # não está num trecho só, mas cada parte está.
    assert longo.replace("—", "-") not in texto
    assert "Balancete de verificação - Fundo Municipal" in texto
    palavras = set(re.findall(r"\(([^()]*)\) Tj", texto))
    linhas_titulo = [p for p in palavras if "Fundo Municipal" in p]
    assert len(linhas_titulo) >= 2
    assert " ".join(sorted(linhas_titulo, key=longo.replace("—", "-").index)).split() == (
        longo.replace("—", "-").split()
    )


# --- relatórios tabulares (execução, restos a pagar) --------------------------------------

RESTOS = [
    ["E1", 2025, "0401.15.451", 1500, "12345678000195", *([10000] * 11)],
    ["E2", 2025, "0801.10.301", 1500, "12345678000195", *([2550] * 11)],
]


def test_tabela_xlsx_para_assinar(tmp_path: Path) -> None:
    caminho = tmp_path / "restos.xlsx"
    ident = IDENT._replace(entidades=IDENT.entidades[:1])
    tab.para_xlsx(caminho, "Restos a pagar", rel_execucao.COLUNAS_RESTOS, RESTOS, ident)
    ws = load_workbook(caminho).active
    assert ws["A2"].value == "Prefeitura Municipal de Teste — CNPJ 01.602.258/0001-20"
    assert ws["A4"].value == "Empenho"
    assert ws.auto_filter.ref == "A4:P6"
    assert ws.freeze_panes == "A5"
    total = ws[7]
    assert total[0].value == "Total" and _dec(total[5].value) == Decimal("125.50")
    valores = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "Contadora — CRC SC-012345/O" in valores and "João Souza" in valores


def test_tabela_pdf_para_assinar(tmp_path: Path) -> None:
    caminho = tmp_path / "restos.pdf"
    ident = IDENT._replace(entidades=IDENT.entidades[:1])
    tab.para_pdf(caminho, "Restos a pagar", "", rel_execucao.COLUNAS_RESTOS, RESTOS, ident)
    texto = _texto_pdf(caminho.read_bytes())
    for trecho in (
        "Prefeitura Municipal de Teste - CNPJ 01.602.258/0001-20",
        "Exercício 2026 · emitido em 10/04/2026",
        "125,50",
        "Maria da Silva",
        "Contadora - CRC SC-012345/O",
    ):
        assert trecho in texto, trecho


def test_relatorio_largo_no_terminal_sai_em_fichas(monkeypatch: pytest.MonkeyPatch) -> None:
    tela = Console(record=True, width=100, force_terminal=True)
    erros = Console(record=True, width=200)
    monkeypatch.setattr(comum, "console", tela)
    monkeypatch.setattr(comum, "erro_console", erros)
    comum.emitir_relatorio(
        "Restos a pagar", rel_execucao.COLUNAS_RESTOS, RESTOS, comum.Formato.tabela, None, {}
    )
    aviso = erros.export_text()
    assert "16 colunas" in aviso and "--formato csv, xlsx ou pdf" in aviso
    texto = tela.export_text()
    assert max(len(ln) for ln in texto.splitlines()) <= 100
    assert re.search(r"│ Empenho +│ +E2 │", texto)
    assert re.search(r"│ Saldo +│ +25,50 │", texto)
    assert re.search(r"│ Empenho +│ +Total │", texto)
    assert re.search(r"│ Saldo +│ +125,50 │", texto)


# --- de ponta a ponta pela CLI -------------------------------------------------------------


def _ok(url: str, *args: str) -> str:
    r = runner.invoke(app, ["--db", url, *args])
    assert r.exit_code == 0, r.output
    return r.output


def test_cli_assinaturas_e_balancete(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    plano = tmp_path / "plano.csv"
    plano.write_text(PLANO_TESTE, encoding="utf-8")
    _ok(url, "plano", "importar", str(plano))
    for slug, nome, cnpj, tipo, poder in (
        ("prefeitura", "Prefeitura de Teste", CNPJ_PREFEITURA, "prefeitura", "10131"),
        ("camara", "Câmara de Teste", CNPJ_CAMARA, "camara", "20231"),
    ):
        _ok(url, "entidade", "criar", f"--slug={slug}", f"--nome={nome}", f"--cnpj={cnpj}",
            f"--tipo={tipo}", "--ibge=4312658", f"--poder-orgao={poder}")  # fmt: skip
        _ok(url, "exercicio", "abrir", slug, "2026")
    arq = tmp_path / "l.csv"
    arq.write_text(LANCAMENTOS, encoding="utf-8")
    _ok(url, "importar", str(arq))
    r = runner.invoke(app, ["--db", url, "entidade", "assinaturas", "prefeitura"])
    assert r.exit_code == 0 and "nenhuma assinatura cadastrada" in r.output
    r = runner.invoke(
        app,
        ["--db", url, "entidade", "assinaturas", "prefeitura", "--contador", "Maria da Silva",
         "--crc", "sc 012345/o", "--responsavel", "João Souza", "--cargo", "Prefeito Municipal"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "contador: Maria da Silva — Contador — CRC SC-012345/O" in r.output
    # Recusa: tudo listado, nada gravado.
    r = runner.invoke(
        app, ["--db", url, "entidade", "assinaturas", "prefeitura", "--contador", "X", "--crc", "1"]
    )
    assert r.exit_code == 1 and "[REL-CRC]" in r.output and "nada foi alterado" in r.output
    saida = tmp_path / "b.xlsx"
    r = runner.invoke(
        app,
        ["--db", url, "balancete", "prefeitura", "camara", "--de", "2026-01", "--ate", "2026-02",
         "--formato", "xlsx", "-o", str(saida)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    ws = load_workbook(saida)["Balancete"]
    hoje = dt.date.today()
    assert [ws.cell(row=i, column=1).value for i in range(1, 5)] == [
        "Balancete de verificação — Janeiro a fevereiro de 2026 (consolidado)",
        "Prefeitura de Teste — CNPJ 01.602.258/0001-20",
        "Câmara de Teste — CNPJ 29.363.995/0001-37",
        f"Exercício 2026 · emitido em {hoje:%d/%m/%Y}",
    ]
    valores = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "Maria da Silva" in valores and "Contador — CRC SC-012345/O" in valores
    r = runner.invoke(app, ["--db", url, "balancete", "prefeitura", "--mes", "2026-01"])
    assert "Balancete de verificação — Janeiro de 2026" in r.output
    assert "Prefeitura de Teste — CNPJ 01.602.258/0001-20" in r.output
