"""Saídas do balancete de verificação (terminal, CSV, JSON, XLSX e PDF).

O balancete de teste, janeiro a março de 2026, consolidado da prefeitura e da
câmara, montado a partir de saldos escritos à mão (centavos):

Saldos de abertura (anteriores a janeiro)
    Caixa (FR=1500)                        1.000,00 D
    Bancos (FR=1500|DB=001-1234-5)         5.000,00 D
    Imobilizado                           20.000,00 D
    Resultados acumulados                 26.000,00 C
    Fixação da despesa (FR=1500)          10.000,00 D
    Execução da despesa (FR=1500)         10.000,00 C

Movimento de janeiro a março
    1. Impostos arrecadados: D Bancos (FR=1501|DB=001-9876-0) / C VPA 4.1   3.000,00
    2. Consumo de material: D VPD 3.3 / C Fornecedores (CR=…0190) 100,25
       e D VPD 3.3 / C Fornecedores (CR=…0270) 150,25                       250,50
    3. Pagamento: D Fornecedores (CR=…0190) / C Caixa                        100,25
    4. Saque: D Caixa / C Bancos (FR=1500|DB=001-1234-5)                     250,50
    5. Suplementação: D Fixação / C Execução da despesa                      500,00
    6. Controle: D 7.2 / C 8.2 (FR=1500)                                   3.000,00

Saldos atuais
    Caixa 1.150,25 D; Bancos 7.749,50 D (4.749,50 + 3.000,00); Imobilizado
    20.000,00 D; Fornecedores 150,25 C (0,00 + 150,25); Resultados 26.000,00 C;
    VPD 250,50 D; VPA 3.000,00 C; Fixação 10.500,00 D; Execução 10.500,00 C;
    7.2 3.000,00 D; 8.2 3.000,00 C.

Totais por natureza
    P: devedores 1.150,25 + 7.749,50 + 20.000,00 + 250,50 = 29.150,25
       credores  150,25 + 26.000,00 + 3.000,00          = 29.150,25
       débitos   250,50 + 3.000,00 + 100,25 + 250,50     =  3.601,25 = créditos
    O: devedores 10.500,00 = credores; débitos 500,00 = créditos
    C: devedores 3.000,00 = credores; débitos 3.000,00 = créditos
    Total: saldos 42.650,25 D e C; movimento 7.101,25.
"""

from __future__ import annotations

import os
import re
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from erario.razao.balancete import (
    Balancete,
    SaldoPeriodo,
    TotalNatureza,
    conferir_balancete,
    montar_balancete,
)
from erario.razao.plano import ler_plano_csv
from erario.relatorios.balancete import (
    para_csv,
    para_json,
    para_pdf,
    para_xlsx,
    periodo_descricao,
    situacao_fechamento,
    tabela,
)
from tests.conftest import PLANO_TESTE

GOLDEN = Path(__file__).parent / "golden"
# ERARIO_ATUALIZAR_GOLDEN=1 regrava os arquivos de referência (confira-os à mão depois).
ATUALIZAR_GOLDEN = os.environ.get("ERARIO_ATUALIZAR_GOLDEN") == "1"

CAIXA = "1.1.1.1.1.01.00"
BANCOS = "1.1.1.1.1.06.00"
IMOBILIZADO = "1.2.3.0.0.00.00"
FORNECEDORES = "2.1.3.0.0.00.00"
RESULTADOS = "2.3.7.0.0.00.00"
VPD = "3.3.0.0.0.00.00"
VPA = "4.1.0.0.0.00.00"
FIXACAO = "5.2.2.0.0.00.00"
EXECUCAO = "6.2.2.0.0.00.00"
CONTROLE_D = "7.2.0.0.0.00.00"
CONTROLE_C = "8.2.0.0.0.00.00"

CC_BANCO_1500 = "FR=1500|DB=001-1234-5"
CC_BANCO_1501 = "FR=1501|DB=001-9876-0"
CC_FORN_A = "FR=1500|CR=12345678000190"
CC_FORN_B = "FR=1500|CR=98765432000270"


def _saldos(conta: str, cc: str, ant_d: int, ant_c: int, deb: int, cred: int) -> list[SaldoPeriodo]:
    """Linhas de janeiro (com todo o movimento) e de março (sem movimento no mês)."""
    acum_d, acum_c = ant_d + deb, ant_c + cred
    return [
        SaldoPeriodo(conta, cc, 1, deb, cred, acum_d, acum_c),
        SaldoPeriodo(conta, cc, 3, 0, 0, acum_d, acum_c),
    ]


SALDOS = [
    *_saldos(CAIXA, "FR=1500", 100000, 0, 25050, 10025),
    *_saldos(BANCOS, CC_BANCO_1500, 500000, 0, 0, 25050),
    *_saldos(BANCOS, CC_BANCO_1501, 0, 0, 300000, 0),
    *_saldos(IMOBILIZADO, "", 2000000, 0, 0, 0),
    *_saldos(FORNECEDORES, CC_FORN_A, 0, 0, 10025, 10025),
    *_saldos(FORNECEDORES, CC_FORN_B, 0, 0, 0, 15025),
    *_saldos(RESULTADOS, "", 0, 2600000, 0, 0),
    *_saldos(VPD, "", 0, 0, 25050, 0),
    *_saldos(VPA, "", 0, 0, 0, 300000),
    *_saldos(FIXACAO, "FR=1500", 1000000, 0, 50000, 0),
    *_saldos(EXECUCAO, "FR=1500", 0, 1000000, 0, 50000),
    *_saldos(CONTROLE_D, "FR=1500", 0, 0, 300000, 0),
    *_saldos(CONTROLE_C, "FR=1500", 0, 0, 0, 300000),
]


def _balancete(por_conta_corrente: bool = True) -> Balancete:
    plano, erros = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert plano is not None, erros
    return montar_balancete(
        plano,
        SALDOS,
        entidades=("prefeitura", "camara"),
        ano=2026,
        inicio=1,
        fim=3,
        por_conta_corrente=por_conta_corrente,
    )


@pytest.fixture
def bal() -> Balancete:
    return _balancete()


def _linha(b: Balancete, conta: str, cc: str = "") -> tuple[int, int, int, int]:
    for ln in b.linhas:
        if ln.codigo == conta and ln.conta_corrente == cc:
            return ln.anterior, ln.debitos, ln.creditos, ln.atual
    raise AssertionError(f"linha {conta} {cc!r} não encontrada")


def _golden(nome: str, texto: str) -> None:
    caminho = GOLDEN / nome
    if ATUALIZAR_GOLDEN:
        caminho.parent.mkdir(exist_ok=True)
        caminho.write_bytes(texto.encode("utf-8"))
    assert texto.encode("utf-8") == caminho.read_bytes()


# --- o próprio balancete de teste ------------------------------------------------------


def test_figuras_do_balancete_de_teste(bal: Balancete) -> None:
    assert conferir_balancete(bal) == []
    assert _linha(bal, CAIXA) == (100000, 25050, 10025, 115025)
    assert _linha(bal, BANCOS) == (500000, 300000, 25050, 774950)
    assert _linha(bal, FORNECEDORES) == (0, 10025, 25050, -15025)
    assert _linha(bal, FORNECEDORES, CC_FORN_A) == (0, 10025, 10025, 0)
    assert _linha(bal, "1.0.0.0.0.00.00") == (2600000, 325050, 35075, 2889975)
    assert bal.totais == (
        TotalNatureza("P", 2915025, 2915025, 360125, 360125),
        TotalNatureza("O", 1050000, 1050000, 50000, 50000),
        TotalNatureza("C", 300000, 300000, 300000, 300000),
    )
    assert bal.total_debitos == bal.total_creditos == 710125


# --- período ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inicio", "fim", "esperado"),
    [
        (1, 3, "Janeiro a março de 2026"),
        (3, 3, "Março de 2026"),
        (0, 0, "Abertura de 2026"),
        (13, 13, "Encerramento de 2026"),
        (1, 12, "Janeiro a dezembro de 2026"),
        (0, 2, "Abertura a fevereiro de 2026"),
        (1, 13, "Janeiro ao encerramento de 2026"),
    ],
)
def test_periodo_descricao(bal: Balancete, inicio: int, fim: int, esperado: str) -> None:
    assert periodo_descricao(bal._replace(periodo_inicial=inicio, periodo_final=fim)) == esperado


@pytest.mark.parametrize(("inicio", "fim"), [(3, 1), (-1, 2), (1, 14)])
def test_periodo_descricao_invalido(bal: Balancete, inicio: int, fim: int) -> None:
    with pytest.raises(ValueError, match="períodos"):
        periodo_descricao(bal._replace(periodo_inicial=inicio, periodo_final=fim))


# --- terminal --------------------------------------------------------------------------


def _render(b: Balancete, titulo: str = "Balancete de verificação") -> str:
    console = Console(record=True, width=160)
    console.print(tabela(b, titulo))
    return console.export_text()


def _celulas(texto: str) -> list[list[str]]:
    """Linhas da tabela renderizada como listas de células (sem as bordas)."""
    return [
        [c.strip() for c in re.split("[│┃]", ln)[1:-1]]
        for ln in texto.splitlines()
        if ln.startswith(("│", "┃"))
    ]


def test_tabela_rich(bal: Balancete) -> None:
    texto = _render(bal)
    assert "Balancete de verificação" in texto
    linhas = _celulas(texto)
    assert linhas[0] == [
        "Conta",
        "Título",
        "Conta corrente",
        "Saldo anterior",
        "Débitos",
        "Créditos",
        "Saldo atual",
    ]
    por_conta = {ln[0]: ln for ln in linhas if ln[0]}
    por_cc = {ln[2]: ln for ln in linhas if ln[2]}
    # Caixa: 1.000,00 D → 1.150,25 D.
    assert por_conta[CAIXA] == [CAIXA, "CAIXA", "", "1.000,00 D", "250,50", "100,25", "1.150,25 D"]
    # A linha de conta corrente vem logo abaixo da conta.
    assert linhas[linhas.index(por_conta[CAIXA]) + 1] == [
        "",
        "",
        "FR=1500",
        "1.000,00 D",
        "250,50",
        "100,25",
        "1.150,25 D",
    ]
    # Conta credora; saldo zero sem natureza.
    assert por_conta[FORNECEDORES][3:] == ["0,00", "100,25", "250,50", "150,25 C"]
    assert por_conta[RESULTADOS][3:] == ["26.000,00 C", "0,00", "0,00", "26.000,00 C"]
    # Linhas de conta corrente: só a coluna de conta corrente preenchida.
    assert por_cc[CC_FORN_A] == ["", "", CC_FORN_A, "0,00", "100,25", "100,25", "0,00"]
    assert por_cc[CC_FORN_B][3:] == ["0,00", "0,00", "150,25", "150,25 C"]
    assert por_cc[CC_BANCO_1500][3:] == ["5.000,00 D", "0,00", "250,50", "4.749,50 D"]
    assert por_cc[CC_BANCO_1501][3:] == ["0,00", "3.000,00", "0,00", "3.000,00 D"]
    # Sintética.
    assert por_conta["1.0.0.0.0.00.00"][3:] == ["26.000,00 D", "3.250,50", "350,75", "28.899,75 D"]
    # Totais: saldos devedores, débitos, créditos, saldos credores.
    assert [
        "",
        "Totais por natureza da informação",
        "",
        "Saldos devedores",
        "Débitos",
        "Créditos",
        "Saldos credores",
    ] in linhas
    totais = {ln[1]: ln[3:] for ln in linhas}
    assert totais["Patrimonial"] == ["29.150,25 D", "3.601,25", "3.601,25", "29.150,25 C"]
    assert totais["Orçamentária"] == ["10.500,00 D", "500,00", "500,00", "10.500,00 C"]
    assert totais["Controle"] == ["3.000,00 D", "3.000,00", "3.000,00", "3.000,00 C"]
    assert totais["Total"] == ["42.650,25 D", "7.101,25", "7.101,25", "42.650,25 C"]
    assert por_conta["P"][1] == "Patrimonial"
    assert "Débitos = créditos; saldos fecham em cada natureza" in texto


def test_tabela_rich_texto_do_plano_com_colchetes(bal: Balancete) -> None:
    """Título de conta com colchetes (do plano importado) sai como escrito: o Rich
    não o lê como marcação ("[bold]" sumia da tela)."""
    b = bal._replace(
        linhas=[
            ln._replace(titulo="CAIXA [bold]central[/bold]") if ln.codigo == CAIXA else ln
            for ln in bal.linhas
        ]
    )
    assert "CAIXA [bold]central[/bold]" in _render(b)


def test_tabela_rich_estilos(bal: Balancete) -> None:
    t = tabela(bal, "x")
    estilos = {
        (ln.codigo, ln.conta_corrente): str(t.rows[i].style) for i, ln in enumerate(bal.linhas)
    }
    assert estilos[("1.0.0.0.0.00.00", "")] == "bold"
    assert estilos[(CAIXA, "")] == ""
    assert estilos[(CAIXA, "FR=1500")] == "dim"


def test_tabela_rich_sem_conta_corrente() -> None:
    b = _balancete(por_conta_corrente=False)
    assert all(ln.conta_corrente == "" for ln in b.linhas)
    texto = _render(b)
    assert "Conta corrente" not in texto
    assert "FR=1500" not in texto
    linhas = _celulas(texto)
    assert linhas[0][2] == "Saldo anterior"
    assert [CAIXA, "CAIXA", "1.000,00 D", "250,50", "100,25", "1.150,25 D"] in linhas


def test_tabela_rich_nao_fecha(bal: Balancete) -> None:
    errado = bal._replace(
        totais=(
            TotalNatureza("P", 2915025, 2914025, 360125, 359125),
            *bal.totais[1:],
        )
    )
    mensagem = situacao_fechamento(errado)
    assert mensagem.startswith("Não fecha: ")
    assert "débitos (7.101,25) diferem dos créditos (7.091,25) em 10,00" in mensagem
    assert "natureza Patrimonial" in mensagem
    assert "diferença 10,00 D" in mensagem
    texto = _render(errado)
    assert "Não fecha" in texto
    assert "saldos fecham em cada natureza" not in texto


# --- CSV e JSON (arquivos de referência) ------------------------------------------------


def test_csv_golden(bal: Balancete) -> None:
    texto = para_csv(bal)
    assert texto.endswith("\n")
    assert "\r" not in texto
    assert texto.splitlines()[0] == (
        "conta;titulo;conta_corrente;nivel;analitica;natureza_informacao;"
        "saldo_anterior;natureza_anterior;debitos;creditos;saldo_atual;natureza_atual"
    )
    _golden("balancete.csv", texto)


def test_json_golden(bal: Balancete) -> None:
    texto = para_json(bal)
    assert texto.endswith("}\n")
    # Valores monetários sempre em texto: nenhum número com ponto decimal.
    assert not re.search(r":\s*-?\d+\.\d", texto)
    assert "ORÇAMENTO" in texto  # ensure_ascii=False
    _golden("balancete.json", texto)


# --- XLSX --------------------------------------------------------------------------------


def _dec(valor: object) -> Decimal:
    """Valor numérico lido da planilha → Decimal (o openpyxl devolve int/float na leitura)."""
    assert isinstance(valor, int | float) and not isinstance(valor, bool), valor
    return Decimal(str(valor))


def test_xlsx(bal: Balancete, tmp_path: Path) -> None:
    caminho = tmp_path / "balancete.xlsx"
    para_xlsx(bal, caminho, "Balancete de verificação")
    wb = load_workbook(caminho)
    assert wb.sheetnames == ["Balancete"]
    ws = wb["Balancete"]
    assert ws["A1"].value == "Balancete de verificação"
    assert ws["A2"].value == "Janeiro a março de 2026 · Entidades: prefeitura, camara"
    cabecalho = [c.value for c in ws[3]]
    assert cabecalho == [
        "Conta",
        "Título",
        "Conta corrente",
        "Nível",
        "Saldo anterior",
        "D/C",
        "Débitos",
        "Créditos",
        "Saldo atual",
        "D/C",
        "Saldo anterior (D+ C−)",
        "Saldo atual (D+ C−)",
        "Linha",
    ]
    assert ws.freeze_panes == "A4"

    n = len(bal.linhas)
    corpo = list(ws.iter_rows(min_row=4, max_row=3 + n))
    assert [(r[0].value, r[2].value or "") for r in corpo] == [
        (ln.codigo, ln.conta_corrente) for ln in bal.linhas
    ]
    assert all(c.value is None for c in ws[4 + n])  # linha em branco antes dos totais
    linhas = {(r[0].value, r[2].value or ""): r for r in corpo}
    caixa = linhas[(CAIXA, "")]
    assert caixa[1].value == "CAIXA"
    assert caixa[3].value == 6
    assert _dec(caixa[4].value) == Decimal("1000.00")
    assert caixa[5].value == "D"
    assert _dec(caixa[6].value) == Decimal("250.50")
    assert _dec(caixa[7].value) == Decimal("100.25")
    assert _dec(caixa[8].value) == Decimal("1150.25")
    assert caixa[9].value == "D"
    assert caixa[4].number_format == "#,##0.00"
    assert caixa[8].number_format == "#,##0.00"
    assert not caixa[0].font.b

    forn = linhas[(FORNECEDORES, "")]
    assert _dec(forn[4].value) == 0
    assert forn[5].value is None  # saldo zero: sem natureza
    assert _dec(forn[8].value) == Decimal("150.25")
    assert forn[9].value == "C"

    sub = linhas[(FORNECEDORES, CC_FORN_B)]
    assert _dec(sub[8].value) == Decimal("150.25")
    assert sub[9].value == "C"

    ativo = linhas[("1.0.0.0.0.00.00", "")]
    assert ativo[0].font.b and ativo[1].font.b
    assert _dec(ativo[8].value) == Decimal("28899.75")

    assert ws.column_dimensions["B"].width > ws.column_dimensions["D"].width

    # Bloco de totais: saldos devedores, débitos, créditos, saldos credores.
    totais = {r[1].value: r for r in ws.iter_rows(min_row=5 + n)}
    assert "Totais por natureza da informação" in totais
    for nome, dev, mov, cred in (
        ("Patrimonial", "29150.25", "3601.25", "29150.25"),
        ("Orçamentária", "10500.00", "500.00", "10500.00"),
        ("Controle", "3000.00", "3000.00", "3000.00"),
        ("Total", "42650.25", "7101.25", "42650.25"),
    ):
        r = totais[nome]
        assert [_dec(r[i].value) for i in (4, 6, 7, 8)] == [
            Decimal(dev),
            Decimal(mov),
            Decimal(mov),
            Decimal(cred),
        ]
    assert totais["Total"][1].font.b
    valores = [c.value for row in ws.iter_rows() for c in row]
    assert "Débitos = créditos; saldos fecham em cada natureza" in valores


# --- PDF ---------------------------------------------------------------------------------


def _texto_pdf(dados: bytes) -> str:
    """Texto cru das páginas: descomprime os fluxos (as fontes-padrão usam latin-1)."""
    partes = []
    for fluxo in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", dados, re.S):
        try:
            partes.append(zlib.decompress(fluxo))
        except zlib.error:
            partes.append(fluxo)
    # O total de páginas ("{nb}") entra como um segundo trecho na mesma linha.
    return b"\n".join(partes).decode("latin-1").replace(") Tj (", "")


def test_pdf(bal: Balancete, tmp_path: Path) -> None:
    caminho = tmp_path / "balancete.pdf"
    para_pdf(bal, caminho, "Balancete de verificação — consolidado")
    dados = caminho.read_bytes()
    assert dados.startswith(b"%PDF")
    paginas = len(re.findall(rb"/Type /Page\b", dados))
    assert paginas >= 1
    texto = _texto_pdf(dados)
    assert f"Página {paginas} de {paginas}" in texto
    for trecho in (
        "Balancete de verifica",  # o travessão, fora do latin-1, vira "-"
        "verificação - consolidado",
        "Janeiro a março de 2026",
        "Entidades: prefeitura, camara",
        "1.000,00 D",
        "1.150,25 D",
        "150,25 C",
        "26.000,00 C",
        CC_FORN_B,
        "29.150,25 D",
        "42.650,25 C",
        "7.101,25",
        "Débitos = créditos; saldos fecham em cada natureza",
    ):
        assert trecho in texto, trecho


def test_pdf_varias_paginas(bal: Balancete, tmp_path: Path) -> None:
    muitas = bal._replace(linhas=bal.linhas * 8)
    caminho = tmp_path / "longo.pdf"
    para_pdf(muitas, caminho, "Balancete")
    dados = caminho.read_bytes()
    paginas = len(re.findall(rb"/Type /Page\b", dados))
    assert paginas >= 2
    texto = _texto_pdf(dados)
    assert f"Página {paginas} de {paginas}" in texto
    # Cabeçalho da tabela repetido em cada página (a última pode ter só os totais).
    assert texto.count("Saldo anterior") >= paginas - 1
