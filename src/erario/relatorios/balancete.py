"""Saídas do balancete de verificação: tabela Rich, CSV, JSON, XLSX e PDF.

Os valores do ``Balancete`` são centavos com sinal (+ devedor, − credor). Nas
saídas, os saldos viram valor absoluto seguido da natureza ``D``/``C`` (zero
fica sem natureza); débitos e créditos saem como estão. Só aritmética inteira
ou ``Decimal``: nada de float.

Para assinar (``Identificacao``): nome e CNPJ das entidades, exercício, data de
emissão e o bloco de assinaturas; o título da conta recuado pelo nível e uma
linha de total geral (a soma das contas do primeiro nível: saldos que se anulam
num balancete que fecha, débitos = créditos). No XLSX, além da coluna D/C, os
saldos com sinal (devedor positivo, credor negativo), somáveis com o autofiltro
em "Linha" = analítica (ou "Nível" = 1): a soma é zero no balancete que fecha.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from rich.table import Table
from rich.text import Text

from erario.core.datas import MESES
from erario.core.dinheiro import formatar_brl, texto_de_centavos
from erario.razao.balancete import Balancete, LinhaBalancete, TotalNatureza
from erario.razao.modelo import NaturezaInformacao
from erario.relatorios.identificacao import Identificacao
from erario.relatorios.tabela import titulo_rich

CABECALHO_CSV: Final = (
    "conta",
    "titulo",
    "conta_corrente",
    "nivel",
    "analitica",
    "natureza_informacao",
    "saldo_anterior",
    "natureza_anterior",
    "debitos",
    "creditos",
    "saldo_atual",
    "natureza_atual",
)

FECHA: Final = "Débitos = créditos; saldos fecham em cada natureza"
TITULO_TOTAIS: Final = "Totais por natureza da informação"
FORMATO_XLSX: Final = "#,##0.00"
TOTAL_GERAL: Final = "Total geral"
SALDO_ANTERIOR_SINAL: Final = "Saldo anterior (D+ C−)"
SALDO_ATUAL_SINAL: Final = "Saldo atual (D+ C−)"
RECUO: Final = "  "  # por nível abaixo do primeiro, antes do título da conta


# --- auxiliares ------------------------------------------------------------


def _nome_periodo(periodo: int) -> str:
    if periodo == 0:
        return "abertura"
    if periodo == 13:
        return "encerramento"
    return MESES[periodo - 1]


def periodo_descricao(b: Balancete) -> str:
    """Descrição do intervalo: ``"Janeiro a março de 2026"``, ``"Abertura de 2026"``…"""
    return periodo_meses(b.ano, b.periodo_inicial, b.periodo_final)


def periodo_meses(ano: int, inicio: int, fim: int) -> str:
    """Períodos ``inicio`` a ``fim`` (0 = abertura, 13 = encerramento) de ``ano`` por extenso."""
    if not 0 <= inicio <= fim <= 13:
        raise ValueError(f"intervalo de períodos inválido: {inicio} a {fim}")
    primeiro = _nome_periodo(inicio).capitalize()
    if inicio == fim:
        return f"{primeiro} de {ano}"
    ligacao = "ao" if fim == 13 else "a"
    return f"{primeiro} {ligacao} {_nome_periodo(fim)} de {ano}"


def _natureza(centavos: int) -> str:
    """``D`` para saldo devedor, ``C`` para credor, ``""`` para zero."""
    if centavos > 0:
        return "D"
    if centavos < 0:
        return "C"
    return ""


def _saldo_brl(centavos: int) -> str:
    """``-123456`` → ``"1.234,56 C"``; zero → ``"0,00"``."""
    natureza = _natureza(centavos)
    texto = formatar_brl(abs(centavos))
    return f"{texto} {natureza}" if natureza else texto


def _decimal(centavos: int) -> Decimal:
    """Centavos → ``Decimal`` exato com duas casas (``123456`` → ``Decimal("1234.56")``)."""
    return Decimal(texto_de_centavos(centavos))


def _descricao_natureza(codigo: str) -> str:
    try:
        return NaturezaInformacao(codigo).descricao
    except ValueError:
        return codigo


def _total_geral(b: Balancete) -> TotalNatureza:
    return TotalNatureza(
        "Total",
        sum(t.saldo_devedor for t in b.totais),
        sum(t.saldo_credor for t in b.totais),
        b.total_debitos,
        b.total_creditos,
    )


def situacao_fechamento(b: Balancete) -> str:
    """Frase que diz se o balancete fecha ou onde estão as diferenças."""
    problemas: list[str] = []
    if b.total_debitos != b.total_creditos:
        problemas.append(
            f"débitos ({formatar_brl(b.total_debitos)}) diferem dos créditos "
            f"({formatar_brl(b.total_creditos)}) em "
            f"{formatar_brl(abs(b.total_debitos - b.total_creditos))}"
        )
    for t in b.totais:
        if t.saldo_devedor != t.saldo_credor:
            problemas.append(
                f"saldos não fecham na natureza {_descricao_natureza(t.natureza)}: "
                f"devedores {formatar_brl(t.saldo_devedor)}, "
                f"credores {formatar_brl(t.saldo_credor)}, "
                f"diferença {_saldo_brl(t.saldo_devedor - t.saldo_credor)}"
            )
    if not problemas:
        return FECHA
    return "Não fecha: " + "; ".join(problemas)


def eh_subconta(ln: LinhaBalancete) -> bool:
    return ln.conta_corrente != ""


def titulo_recuado(ln: LinhaBalancete) -> str:
    """O título da conta recuado pelo nível (primeiro nível sem recuo)."""
    return RECUO * max(ln.nivel - 1, 0) + ln.titulo


def celulas_texto(b: Balancete, ln: LinhaBalancete) -> list[str]:
    """Conta, título e (se houver a coluna) conta corrente de uma linha."""
    if eh_subconta(ln):
        if b.por_conta_corrente:
            return ["", "", f"  {ln.conta_corrente}"]
        return ["", RECUO * ln.nivel + ln.conta_corrente]
    return [ln.codigo, titulo_recuado(ln), *([""] if b.por_conta_corrente else [])]


def total_geral(b: Balancete) -> tuple[int, int, int, int]:
    """(saldo anterior, débitos, créditos, saldo atual) das contas do primeiro nível
    exibido: num balancete que fecha, os saldos somam zero e débitos = créditos."""
    contas = [ln for ln in b.linhas if not eh_subconta(ln)]
    if not contas:
        return 0, 0, 0, 0
    topo = min(ln.nivel for ln in contas)
    raiz = [ln for ln in contas if ln.nivel == topo]
    return (
        sum(ln.anterior for ln in raiz),
        sum(ln.debitos for ln in raiz),
        sum(ln.creditos for ln in raiz),
        sum(ln.atual for ln in raiz),
    )


def celulas_total_geral(b: Balancete) -> list[str]:
    anterior, debitos, creditos, atual = total_geral(b)
    return [_saldo_brl(anterior), formatar_brl(debitos), formatar_brl(creditos), _saldo_brl(atual)]


def celulas_valores(ln: LinhaBalancete) -> list[str]:
    return [
        _saldo_brl(ln.anterior),
        formatar_brl(ln.debitos),
        formatar_brl(ln.creditos),
        _saldo_brl(ln.atual),
    ]


def colunas(b: Balancete) -> list[str]:
    return [
        "Conta",
        "Título",
        *(["Conta corrente"] if b.por_conta_corrente else []),
        "Saldo anterior",
        "Débitos",
        "Créditos",
        "Saldo atual",
    ]


def linhas_totais(b: Balancete) -> list[tuple[str, str, TotalNatureza, bool]]:
    """(código, descrição, totais, é o total geral?) por natureza e o total geral."""
    saida = [(t.natureza, _descricao_natureza(t.natureza), t, False) for t in b.totais]
    saida.append(("", "Total", _total_geral(b), True))
    return saida


def valores_total(t: TotalNatureza) -> list[str]:
    """Na ordem das colunas de valor: saldos devedores, débitos, créditos, saldos credores."""
    return [
        _saldo_brl(t.saldo_devedor),
        formatar_brl(t.debitos),
        formatar_brl(t.creditos),
        _saldo_brl(-t.saldo_credor),
    ]


# --- terminal ----------------------------------------------------------------


LARGURA_COM_TITULO: Final = 130  # abaixo disso (colunas do terminal), sem a coluna Título


def tabela(
    b: Balancete,
    titulo: str,
    largura: int | None = None,
    identificacao: Identificacao | None = None,
) -> Table:
    """Tabela Rich do balancete, com os totais por natureza ao final.

    Contas sintéticas em negrito; linhas de conta corrente esmaecidas. No
    bloco de totais, as colunas de valor trazem, nesta ordem, os saldos
    devedores, os débitos, os créditos e os saldos credores de cada natureza.
    Em terminal estreito (``largura`` < 130) a coluna Título sai, para os
    valores caberem inteiros.
    """
    com_titulo = largura is None or largura >= LARGURA_COM_TITULO
    legenda = situacao_fechamento(b)
    if not com_titulo:
        legenda += " (títulos omitidos: terminal estreito; use --formato xlsx, pdf ou csv)"
    # Título e textos das contas como Text: "[...]" num título do plano não é marcação.
    t = Table(title=titulo_rich(titulo, identificacao), caption=legenda, header_style="bold")
    # Códigos e valores nunca se cortam: a largura mínima é a do maior conteúdo.
    linhas_valores = [
        *(celulas_valores(ln) for ln in b.linhas),
        celulas_total_geral(b),
        *(valores_total(total) for _, _, total, _ in linhas_totais(b)),
        ["Saldos devedores", "Débitos", "Créditos", "Saldos credores"],
    ]
    t.add_column(
        "Conta", no_wrap=True, min_width=max((len(ln.codigo) for ln in b.linhas), default=5)
    )
    if com_titulo:
        t.add_column("Título", overflow="fold")
    if b.por_conta_corrente:
        t.add_column("Conta corrente", overflow="fold")
    for i, nome in enumerate(("Saldo anterior", "Débitos", "Créditos", "Saldo atual")):
        largura_min = max((len(v[i]) for v in linhas_valores), default=4)
        t.add_column(nome, justify="right", no_wrap=True, min_width=max(largura_min, len(nome)))

    vazio = [""] if b.por_conta_corrente else []
    for ln in b.linhas:
        if eh_subconta(ln):
            estilo = "dim"
        elif not ln.analitica:
            estilo = "bold"
        else:
            estilo = ""
        texto = celulas_texto(b, ln)
        if not com_titulo:
            texto = [texto[0] or texto[1].strip(), *texto[2:]]
        t.add_row(*map(Text, texto), *celulas_valores(ln), style=estilo)
    t.add_row(
        *(["", TOTAL_GERAL] if com_titulo else [TOTAL_GERAL]),
        *vazio,
        *celulas_total_geral(b),
        style="bold",
        end_section=True,
    )

    t.add_row(
        "" if com_titulo else "Totais",
        *([TITULO_TOTAIS] if com_titulo else []),
        *vazio,
        "Saldos devedores",
        "Débitos",
        "Créditos",
        "Saldos credores",
        style="bold",
    )
    for codigo, descricao, total, geral in linhas_totais(b):
        rotulo = [codigo, descricao] if com_titulo else [codigo or descricao]
        t.add_row(*rotulo, *vazio, *valores_total(total), style="bold" if geral else "")
    return t


# --- CSV e JSON --------------------------------------------------------------


def _registro(ln: LinhaBalancete) -> dict[str, Any]:
    return {
        "conta": ln.codigo,
        "titulo": ln.titulo,
        "conta_corrente": ln.conta_corrente,
        "nivel": ln.nivel,
        "analitica": ln.analitica,
        "natureza_informacao": ln.natureza_informacao,
        "saldo_anterior": texto_de_centavos(abs(ln.anterior)),
        "natureza_anterior": _natureza(ln.anterior),
        "debitos": texto_de_centavos(ln.debitos),
        "creditos": texto_de_centavos(ln.creditos),
        "saldo_atual": texto_de_centavos(abs(ln.atual)),
        "natureza_atual": _natureza(ln.atual),
    }


def para_csv(b: Balancete) -> str:
    """CSV com ``;``, valores ``1234.56`` (valor absoluto + coluna D/C), ``analitica`` S/N."""
    saida = io.StringIO()
    escritor = csv.writer(saida, delimiter=";", lineterminator="\n")
    escritor.writerow(CABECALHO_CSV)
    for ln in b.linhas:
        r = _registro(ln)
        r["analitica"] = "S" if ln.analitica else "N"
        escritor.writerow([r[c] for c in CABECALHO_CSV])
    return saida.getvalue()


def para_json(b: Balancete) -> str:
    """Documento JSON; valores monetários como texto com duas casas (nunca número)."""
    doc = {
        "entidades": list(b.entidades),
        "ano": b.ano,
        "periodo_inicial": b.periodo_inicial,
        "periodo_final": b.periodo_final,
        "por_conta_corrente": b.por_conta_corrente,
        "linhas": [_registro(ln) for ln in b.linhas],
        "totais": [
            {
                "natureza_informacao": t.natureza,
                "saldo_devedor": texto_de_centavos(t.saldo_devedor),
                "saldo_credor": texto_de_centavos(t.saldo_credor),
                "debitos": texto_de_centavos(t.debitos),
                "creditos": texto_de_centavos(t.creditos),
            }
            for t in b.totais
        ],
        "total_debitos": texto_de_centavos(b.total_debitos),
        "total_creditos": texto_de_centavos(b.total_creditos),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# --- XLSX --------------------------------------------------------------------


def para_xlsx(
    b: Balancete, caminho: Path, titulo: str, identificacao: Identificacao | None = None
) -> None:
    """Planilha "Balancete": título e identificação, cabeçalho congelado com
    autofiltro, linhas, total geral, bloco de totais e assinaturas.

    Valores gravados como números (``Decimal``) com formato ``#,##0.00``; a
    natureza D/C em coluna própria e, no fim, os saldos com sinal (devedor +,
    credor −) e o tipo da linha (sintética, analítica, conta corrente) para filtrar
    e somar.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from erario.relatorios.tabela import assinaturas_xlsx

    cabecalho = [
        "Conta",
        "Título",
        *(["Conta corrente"] if b.por_conta_corrente else []),
        "Nível",
        "Saldo anterior",
        "D/C",
        "Débitos",
        "Créditos",
        "Saldo atual",
        "D/C",
        SALDO_ANTERIOR_SINAL,
        SALDO_ATUAL_SINAL,
        "Linha",
    ]
    # Colunas (1-based) dos valores.
    c_nivel = cabecalho.index("Nível") + 1
    c_ant, c_deb, c_cred, c_atual = c_nivel + 1, c_nivel + 3, c_nivel + 4, c_nivel + 5
    c_ant_s, c_atual_s = c_nivel + 7, c_nivel + 8
    monetarias = (c_ant, c_deb, c_cred, c_atual, c_ant_s, c_atual_s)

    wb = Workbook()
    ws = wb.active
    ws.title = "Balancete"
    ws.append([titulo])
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    if identificacao is None:
        ws.append([f"{periodo_descricao(b)} · Entidades: {', '.join(b.entidades)}"])
    else:
        for texto in identificacao.linhas():
            ws.append([texto])
    ws.append(cabecalho)
    linha_cabecalho = ws.max_row
    for col in range(1, len(cabecalho) + 1):
        celula = ws.cell(row=linha_cabecalho, column=col)
        celula.font = Font(bold=True)
        if col in monetarias:
            celula.alignment = Alignment(horizontal="right")

    larguras = [len(c) for c in cabecalho]

    def medir(valores: list[Any]) -> None:
        for i, v in enumerate(valores):
            if isinstance(v, Decimal):
                tamanho = len(formatar_brl(int(v.scaleb(2))))
            else:
                tamanho = len(str(v)) if v is not None else 0
            larguras[i] = max(larguras[i], tamanho)

    for ln in b.linhas:
        sub = eh_subconta(ln)
        valores: list[Any] = [
            ln.codigo,
            ln.titulo,
            *([ln.conta_corrente] if b.por_conta_corrente else []),
            ln.nivel,
            _decimal(abs(ln.anterior)),
            _natureza(ln.anterior),
            _decimal(ln.debitos),
            _decimal(ln.creditos),
            _decimal(abs(ln.atual)),
            _natureza(ln.atual),
            _decimal(ln.anterior),
            _decimal(ln.atual),
            "conta corrente" if sub else "analítica" if ln.analitica else "sintética",
        ]
        if sub and not b.por_conta_corrente:
            valores[1] = f"  {ln.conta_corrente}"
        ws.append(valores)
        medir(valores)
        r = ws.max_row
        fonte = None
        if sub:
            fonte = Font(italic=True, color="FF808080")
        elif not ln.analitica:
            fonte = Font(bold=True)
        for col in range(1, len(cabecalho) + 1):
            celula = ws.cell(row=r, column=col)
            if col in monetarias:
                celula.number_format = FORMATO_XLSX
            if fonte is not None:
                celula.font = fonte
        # Recuo do título pelo nível (o texto da célula fica limpo para filtrar).
        ws.cell(row=r, column=2).alignment = Alignment(indent=ln.nivel - 1 + sub)
    ultima_linha = ws.max_row
    ws.auto_filter.ref = f"A{linha_cabecalho}:{get_column_letter(len(cabecalho))}{max(ultima_linha, linha_cabecalho)}"

    # Total geral, separado das linhas por uma em branco (fora do autofiltro).
    r = ultima_linha + 2
    anterior, debitos, creditos, atual = total_geral(b)
    ws.cell(row=r, column=2, value=TOTAL_GERAL)
    for col, valor in (
        (c_ant, _decimal(abs(anterior))),
        (c_ant + 1, _natureza(anterior) or None),
        (c_deb, _decimal(debitos)),
        (c_cred, _decimal(creditos)),
        (c_atual, _decimal(abs(atual))),
        (c_atual + 1, _natureza(atual) or None),
        (c_ant_s, _decimal(anterior)),
        (c_atual_s, _decimal(atual)),
    ):
        ws.cell(row=r, column=col, value=valor)
    for col in range(1, len(cabecalho) + 1):
        ws.cell(row=r, column=col).font = Font(bold=True)
        if col in monetarias:
            ws.cell(row=r, column=col).number_format = FORMATO_XLSX

    # Bloco de totais: mesmas colunas de valor, com subcabeçalho próprio.
    r += 2
    sub_cabecalho = {
        2: TITULO_TOTAIS,
        c_ant: "Saldos devedores",
        c_deb: "Débitos",
        c_cred: "Créditos",
        c_atual: "Saldos credores",
    }
    for col, texto in sub_cabecalho.items():
        celula = ws.cell(row=r, column=col, value=texto)
        celula.font = Font(bold=True)
        if col in monetarias:
            celula.alignment = Alignment(horizontal="right")
    for codigo, descricao, total, geral in linhas_totais(b):
        r += 1
        ws.cell(row=r, column=1, value=codigo or None)
        ws.cell(row=r, column=2, value=descricao)
        for col, centavos in zip(
            (c_ant, c_deb, c_cred, c_atual),
            (total.saldo_devedor, total.debitos, total.creditos, total.saldo_credor),
            strict=True,
        ):
            ws.cell(row=r, column=col, value=_decimal(centavos)).number_format = FORMATO_XLSX
        if geral:
            for col in (1, 2, c_ant, c_deb, c_cred, c_atual):
                ws.cell(row=r, column=col).font = Font(bold=True)
    ws.cell(row=r + 2, column=1, value=situacao_fechamento(b))
    if identificacao is not None:
        assinaturas_xlsx(ws, r + 6, identificacao.assinaturas, (2, c_deb))

    for i, largura in enumerate(larguras, start=1):
        minimo = 12 if i in monetarias else 4
        ws.column_dimensions[get_column_letter(i)].width = min(max(largura, minimo) + 2, 62)

    ws.freeze_panes = f"A{linha_cabecalho + 1}"  # texto: ws.cell() criaria a linha
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{linha_cabecalho}:{linha_cabecalho}"
    wb.save(caminho)


# --- PDF ---------------------------------------------------------------------


def para_pdf(
    b: Balancete, caminho: Path, titulo: str, identificacao: Identificacao | None = None
) -> None:
    """PDF A4 paisagem do balancete (ver ``balancete_pdf``)."""
    # Importado só aqui: o fpdf custa ~0,3 s na partida de todo comando.
    from erario.relatorios import balancete_pdf

    balancete_pdf.para_pdf(b, caminho, titulo, identificacao)
