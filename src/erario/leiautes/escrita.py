"""Escritores e leitor genéricos de pacotes: JSON e XLSX.

JSON: parâmetros, cada tipo de registro presente no pacote (lista, mesmo
vazia) e os totalizadores, calculados aqui (nunca digitados). Numérico com
casas sai como número com exatamente essas casas e separador ``.``
(``1234.50``, ``0.00``); data como ``"AAAA-MM-DD"``. O leitor faz o inverso,
com ``Decimal`` (nunca float), para validar pacotes de fora.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from erario.core.erros import Erro
from erario.leiautes.modelo import Campo, Item, Leiaute, Pacote, Registro, Tipo


def totalizadores(leiaute: Leiaute, pacote: Pacote) -> dict[str, int]:
    """Quantidade de registros de cada tipo, na ordem do manual."""
    return {t.chave: len(pacote.itens(t.registro)) for t in leiaute.totalizadores}


def _valor_json(campo: Campo, v: object) -> str:
    if campo.tipo == Tipo.NUMERICO and campo.decimais and isinstance(v, Decimal | int):
        q = Decimal(v).quantize(Decimal(1).scaleb(-campo.decimais))
        return f"{q:f}"
    if isinstance(v, dt.date):
        return json.dumps(v.isoformat())
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return json.dumps(v, ensure_ascii=False)


def _objeto(registro: Registro, item: Item, recuo: str) -> str:
    pares = [
        f'{recuo}  "{c.chave}": {_valor_json(c, item[c.chave])}'
        for c in registro.campos
        if item.get(c.chave) is not None
    ]
    if not pares:
        return "{}"
    return "{\n" + ",\n".join(pares) + f"\n{recuo}}}"


def para_json(leiaute: Leiaute, pacote: Pacote) -> str:
    """O pacote como JSON (chaves do leiaute, em ordem), terminado em nova linha."""
    partes = []
    for c in leiaute.parametros.campos:
        v = pacote.parametros.get(c.chave)
        if v is not None:
            partes.append(f'  "{c.chave}": {_valor_json(c, v)}')
    for reg in leiaute.registros:
        if reg.chave not in pacote.registros:
            continue
        itens = pacote.registros[reg.chave]
        if not itens:
            partes.append(f'  "{reg.chave}": []')
            continue
        corpo = ",\n".join(f"    {_objeto(reg, it, '    ')}" for it in itens)
        partes.append(f'  "{reg.chave}": [\n{corpo}\n  ]')
    if leiaute.totalizadores:
        tot = ",\n".join(f'    "{k}": {n}' for k, n in totalizadores(leiaute, pacote).items())
        partes.append(f'  "{leiaute.chave_totalizadores}": {{\n{tot}\n  }}')
    return "{\n" + ",\n".join(partes) + "\n}\n"


def _item_de_json(registro: Registro, obj: Mapping[str, Any]) -> dict[str, object]:
    item: dict[str, object] = dict(obj)
    for c in registro.campos:
        v = item.get(c.chave)
        if c.tipo == Tipo.DATA and isinstance(v, str):
            with contextlib.suppress(ValueError):  # fica texto: o validador aponta LEI-TIPO
                item[c.chave] = dt.date.fromisoformat(v)
    return item


def ler_json(
    leiaute: Leiaute, texto: str, origem: str = "pacote"
) -> tuple[Pacote | None, list[Erro]]:
    """JSON do pacote → ``Pacote`` (sem validar as regras), ou os problemas de leitura."""
    try:
        dados = json.loads(texto, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        return None, [Erro("LEI-JSON", f"JSON inválido: {exc}", origem=origem)]
    if not isinstance(dados, dict):
        return None, [Erro("LEI-JSON", "o pacote deve ser um objeto JSON", origem=origem)]
    erros: list[Erro] = []
    parametros = {c.chave: dados[c.chave] for c in leiaute.parametros.campos if c.chave in dados}
    chaves_par = set(parametros)
    registros: dict[str, tuple[Item, ...]] = {}
    por_chave = {r.chave: r for r in leiaute.registros}
    totais: Mapping[str, object] | None = None
    for chave, v in dados.items():
        if chave in chaves_par:
            continue
        if chave == leiaute.chave_totalizadores and leiaute.totalizadores:
            if not isinstance(v, dict):
                erros.append(Erro("LEI-JSON", f"'{chave}' deve ser um objeto", origem=origem))
            else:
                totais = v
            continue
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            erros.append(
                Erro("LEI-JSON", f"'{chave}' deve ser uma lista de objetos", origem=origem)
            )
            continue
        reg = por_chave.get(chave)
        registros[chave] = tuple(_item_de_json(reg, x) if reg else x for x in v)
    if erros:
        return None, erros
    return Pacote(leiaute.codigo, parametros, registros, totais), []


def _celula(v: object) -> object:
    return "" if v is None else v


def para_xlsx(leiaute: Leiaute, pacote: Pacote, caminho: Path) -> None:
    """Planilha legível: aba do pacote (parâmetros e totalizadores) e uma aba por tipo de registro."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Pacote"
    ws.append([leiaute.nome])
    ws["A1"].font = Font(bold=True)
    for c in leiaute.parametros.campos:
        ws.append([c.rotulo, _celula(pacote.parametros.get(c.chave))])
    ws.append([])
    ws.append(["Totalizadores"])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    qtd = totalizadores(leiaute, pacote)
    for t in leiaute.totalizadores:
        ws.append([f"{t.numero}. {t.nome}", qtd[t.chave]])
    ws.column_dimensions["A"].width = 70
    for reg in leiaute.registros:
        if reg.chave not in pacote.registros:
            continue
        aba = wb.create_sheet((reg.aba or reg.nome)[:31])
        aba.append([c.rotulo for c in reg.campos])
        for celula in aba[1]:
            celula.font = Font(bold=True)
        for item in pacote.registros[reg.chave]:
            aba.append([_celula(item.get(c.chave)) for c in reg.campos])
        for i, c in enumerate(reg.campos, start=1):
            letra = aba.cell(1, i).column_letter
            aba.column_dimensions[letra].width = min(max(len(c.rotulo), 12), 40)
            formato = (
                "#,##0.00"
                if c.tipo == Tipo.NUMERICO and c.decimais
                else "DD/MM/YYYY"
                if c.tipo == Tipo.DATA
                else None
            )
            if formato:
                for (celula,) in aba.iter_rows(min_row=2, min_col=i, max_col=i):
                    celula.number_format = formato
        aba.freeze_panes = "A2"
    wb.save(caminho)
