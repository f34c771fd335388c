"""SIOPS: os arquivos bimestrais de "Integração com terceiros", como dados.

Cada planilha (pasta do programa SIOPS) é um arquivo ``.impt`` de linhas
separadas por ``;`` (shared/specs/siops-geracao.md, "Layout para Importação de
Terceiros"): identificador da planilha, identificador da linha (rubrica,
elemento ou a referência fixa do guia), id do registro, as colunas de valor
``V0:[>R$0,00<]:-[N]`` (N = a coluna do SIOPS) e os marcadores ``#L`` (linha
do registro no arquivo, de 0 em diante) e ``#C`` (colunas de valor do registro).

As planilhas, colunas e linhas fixas estão declaradas uma vez em ``PLANILHAS``,
com os códigos do guia onde ele os dá (COVID-19: 70, 72, 77, 78 e 79; linhas
9999999001–030; colunas 9, 10, 11, 13 e 260) e ``confirmar`` no que o guia não
dá (os demais códigos de planilha, linha e coluna são do erario). O registro
"linha" é um ``Leiaute`` do motor genérico (``erario.leiautes``): campos
conferidos pelo validador genérico; as regras do SIOPS, funções puras
registradas pelo nome, como no e-Sfinge.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Final, NamedTuple

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.leiautes.modelo import (
    Campo,
    Codigo,
    Item,
    Leiaute,
    Obrigatoriedade,
    Pacote,
    Registro,
    Tabela,
    Tipo,
)
from erario.leiautes.validacao import RegraPacote, Resultado, validar_com_avisos
from erario.siops.apuracao import Apuracao
from erario.siops.recursos import LINHAS_FONTE, NOME_LINHA_FONTE, NOME_SUBFUNCAO, SUBFUNCOES

MAX_COLUNAS: Final = 5
TOTAL: Final = "9999999999"  # linha totalizadora das planilhas do erario (confirmar)
MANIFESTO: Final = "manifesto.json"
EXTENSAO: Final = ".impt"


class LinhaFixa(NamedTuple):
    codigo: str
    nome: str
    soma: tuple[str, ...] = ()  # totalizador: as linhas que soma ("não gera informação")


class Planilha(NamedTuple):
    codigo: int
    nome: str
    arquivo: str  # parte do nome do arquivo
    colunas: tuple[int, ...]  # colunas do SIOPS, na ordem V0, V1…
    nomes_colunas: tuple[str, ...]
    fixas: tuple[LinhaFixa, ...] = ()  # vazio: linhas pelas equivalências, com TOTAL no fim
    confirmar: bool = True  # código (e colunas) sem fonte no guia
    # regra do guia para colunas/linhas quando ``confirmar`` é falso (rastreio)
    fonte: str = ""


_DESPESA_COLS: Final = (13, 12, 9, 10, 11)  # 12 (atualizada) é do erario
_DESPESA_NOMES: Final = (
    "Dotação inicial", "Dotação atualizada", "Despesas empenhadas",
    "Despesas liquidadas", "Despesas pagas",
)  # fmt: skip
_EXEC_COLS: Final = (9, 10, 11)
_EXEC_NOMES: Final = ("Despesas empenhadas", "Despesas liquidadas", "Despesas pagas")
_RP_NOMES: Final = ("Processados", "Não processados")


def _f(codigo: str, nome: str, *soma: str) -> LinhaFixa:
    return LinhaFixa("9999999" + codigo, nome, tuple("9999999" + s for s in soma))


# Quadros COVID-19 do guia. Receitas da União (70): 001–011, 012 totalizador.
_COVID_70: Final = (
    _f("001", "Transferência União Portaria MS 488"),
    _f("002", "Transferência União Medida Provisória 938/2020"),
    _f("003", "Transposição de saldo financeiro LC 172/2020"),
    _f("004", "FNS Bloco de custeio Portaria MS 774/2020"),
    _f("005", "FNS Bloco de custeio Portaria MS 395/2020"),
    _f("006", "FNS Incentivo financeiro Portaria 430/2020"),
    _f("007", "FNS Bloco de custeio Portaria 480/2020"),
    _f("008", "FNS Habilitação de leitos Portaria MS 414/2020"),
    _f("009", "FNS Habilitação de leitos Portaria MS 568/2020"),
    _f("010", "FNS Complemento de valor Portaria MS 827/2020"),
    _f("011", "Outros recursos advindos de transferências da União"),
    _f("012", "Total", *(f"{n:03d}" for n in range(1, 12))),
)
_COVID_77: Final = (
    _f("013", "Administração geral (122)"),
    _f("014", "Atenção básica", "015"),
    _f("015", "Atenção básica (301)"),
    _f("016", "Assistência hospitalar e ambulatorial", *(f"{n:03d}" for n in range(17, 24))),
    _f("017", "Transporte: SAMU 192"),
    _f("018", "Cuidados à pessoa com deficiência"),
    _f("019", "Transporte sanitário eletivo"),
    _f("020", "Financiamento de ambulância"),
    _f("021", "Ações, ampliação e serviços de atendimento"),
    _f("022", "Utilização de recursos para apoio"),
    _f("023", "Outras ações da assistência hospitalar e ambulatorial"),
    _f("024", "Suporte profilático e terapêutico (303)"),
    _f("025", "Vigilância sanitária (304)"),
    _f("026", "Vigilância epidemiológica (305)"),
    _f("027", "Alimentação e nutrição (306)"),
    _f("028", "Outras subfunções"),
    _f("029", "Total", "013", "014", "016", "024", "025", "026", "027", "028"),
)
_COVID_78: Final = (
    _f("013", "Administração geral (122)"),
    _f("014", "Atenção básica (301)"),
    _f("016", "Assistência hospitalar e ambulatorial (302)"),
    _f("024", "Suporte profilático e terapêutico (303)"),
    _f("025", "Vigilância sanitária (304)"),
    _f("026", "Vigilância epidemiológica (305)"),
    _f("027", "Alimentação e nutrição (306)"),
    _f("028", "Outras subfunções"),
    _f("029", "Total", "013", "014", "016", "024", "025", "026", "027", "028"),
)
_COVID_TOTAL: Final = (_f("030", "Valor"), _f("029", "Total", "030"))
_GUIA: Final = "shared/specs/siops-geracao.md, COVID-19"


def _planilhas() -> tuple[Planilha, ...]:
    ps = [
        Planilha(1, "Receita total do município", "ReceitaTotalMunicipio", (1, 2, 3, 4, 5),
                 ("Previsão inicial", "Previsão atualizada", "Receita realizada",
                  "Deduções (exceto FUNDEB)", "Dedução para formação do FUNDEB")),
    ]  # fmt: skip
    for g, nome_g in LINHAS_FONTE:
        for sub, nome_s in SUBFUNCOES:
            ps.append(
                Planilha(
                    codigo_despesa(g, sub),
                    f"Previsão e Execução das Despesas Orçamentárias — Fonte {nome_g} — "
                    f"Subfunção {nome_s}",
                    f"Despesa_Fonte{g}_Subfuncao{sub}",
                    _DESPESA_COLS,
                    _DESPESA_NOMES,
                )
            )
    ps += [
        Planilha(300, "Despesas com saúde por fonte", "Despesa_PorFonte", _DESPESA_COLS,
                 _DESPESA_NOMES),
        Planilha(301, "Despesas com saúde por subfunção", "Despesa_PorSubfuncao", _DESPESA_COLS,
                 _DESPESA_NOMES),
        Planilha(400, "Compensação de restos a pagar cancelados (ASPS)", "Compensacao_RPCancelados",
                 _EXEC_COLS, _EXEC_NOMES),
        Planilha(401, "Compensação de limite não cumprido", "Compensacao_LimiteNaoCumprido",
                 _EXEC_COLS, _EXEC_NOMES),
        Planilha(500, "Restos a pagar inscritos", "RP_Inscritos", (1, 2), _RP_NOMES),
        Planilha(501, "Restos a pagar pagos no exercício", "RP_Pagos", (1, 2), _RP_NOMES),
        Planilha(502, "Restos a pagar pagos — exercícios anteriores", "RP_PagosAnteriores",
                 (1, 2), _RP_NOMES),
        Planilha(503, "Restos a pagar cancelados no exercício", "RP_Cancelados", (1, 2),
                 _RP_NOMES),
        Planilha(504, "Restos a pagar cancelados/prescritos — exercícios anteriores",
                 "RP_CanceladosAnteriores", (1, 2), _RP_NOMES),
        Planilha(600, "Disponibilidade financeira por fonte", "Disponibilidade", (1,),
                 ("Saldo financeiro",)),
        Planilha(601, "Consórcios (contrato de rateio)", "Consorcios", _EXEC_COLS, _EXEC_NOMES),
        Planilha(70, "COVID-19 — Transferências da União — receitas", "Covid_Uniao_Receitas",
                 (260,), ("Valor do recurso",), _COVID_70, False, _GUIA),
        Planilha(71, "COVID-19 — Transferências do Estado — receitas", "Covid_Estado_Receitas",
                 (260,), ("Valor do recurso",), _COVID_TOTAL, True, _GUIA),
        Planilha(72, "COVID-19 — Recursos próprios — aplicação", "Covid_RecursosProprios",
                 (260,), ("Valor do recurso",), _COVID_TOTAL, False, _GUIA),
        Planilha(77, "COVID-19 — Transferências da União — despesas", "Covid_Uniao_Despesas",
                 _EXEC_COLS, _EXEC_NOMES, _COVID_77, False, _GUIA),
        Planilha(78, "COVID-19 — Transferências do Estado — despesas", "Covid_Estado_Despesas",
                 _EXEC_COLS, _EXEC_NOMES, _COVID_78, False, _GUIA),
        Planilha(79, "COVID-19 — Recursos próprios — despesas", "Covid_RecursosProprios_Despesas",
                 _EXEC_COLS, _EXEC_NOMES, _COVID_78, False, _GUIA),
    ]  # fmt: skip
    return tuple(ps)


def codigo_despesa(linha_fonte: str, subfuncao: str) -> int:
    """Planilha de despesa da fonte × subfunção: 2, a linha de fonte (1–8) e a
    subfunção na ordem das pastas (0 = 122 … 7 = outras): 210–287 (do erario)."""
    return 200 + 10 * int(linha_fonte) + [s for s, _ in SUBFUNCOES].index(subfuncao)


PLANILHAS: Final = {p.codigo: p for p in _planilhas()}
COVID_FIXAS: Final = frozenset(c for c, p in PLANILHAS.items() if p.fixas)


def nome_arquivo(p: Planilha) -> str:
    return f"siops_{p.codigo:03d}_{p.arquivo}{EXTENSAO}"


# ------------------------------------------------------------------ leiaute
def _campo(n: int, nome: str, chave: str, tipo: Tipo, tam: int | None, **kw: object) -> Campo:
    return Campo(n, nome, chave, tipo, tam, **kw)  # type: ignore[arg-type]


@cache
def leiaute() -> Leiaute:
    """O registro "linha" do arquivo de uma planilha, no motor genérico."""
    campos = [
        _campo(1, "Identificador da planilha", "planilha", Tipo.NUMERICO, 3, tabela="planilhas"),
        _campo(2, "Identificador da linha", "linha", Tipo.CARACTERE, 10),
        _campo(3, "ID do registro", "id", Tipo.NUMERICO, 10),
    ]
    for i in range(MAX_COLUNAS):
        opc = Obrigatoriedade.SIM if i == 0 else Obrigatoriedade.NAO
        campos += [
            _campo(
                4 + 2 * i, f"Valor V{i}", f"v{i}", Tipo.NUMERICO, 15, decimais=2, obrigatorio=opc
            ),
            _campo(5 + 2 * i, f"Coluna SIOPS de V{i}", f"c{i}", Tipo.NUMERICO, 3, obrigatorio=opc),
        ]
    n = len(campos)
    campos += [
        _campo(n + 1, "Marcador de linha (#L)", "marcadorLinha", Tipo.NUMERICO, 4),
        _campo(n + 2, "Marcador de coluna (#C)", "marcadorColuna", Tipo.NUMERICO, 1),
    ]
    planilhas = Tabela(
        "planilhas",
        "Tabela de planilhas do SIOPS",
        tuple(Codigo(str(p.codigo), p.nome, p.confirmar) for p in PLANILHAS.values()),
        "shared/specs/siops-geracao.md",
    )
    parametros = Registro(
        0,
        "Parâmetros",
        "parametros",
        (
            _campo(1, "Ano", "ano", Tipo.NUMERICO, 4),
            _campo(2, "Bimestre", "bimestre", Tipo.NUMERICO, 1, dominio=tuple("123456")),
            _campo(3, "Planilha", "planilha", Tipo.NUMERICO, 3, tabela="planilhas"),
        ),
    )
    linha = Registro(1, "Linha", "linha", tuple(campos), Obrigatoriedade.SIM)
    return Leiaute(
        "siops",
        "SIOPS — Integração com terceiros (arquivo de uma planilha)",
        "shared/specs/siops-geracao.md",
        parametros,
        (linha,),
        tabelas={"planilhas": planilhas},
        regras=tuple(_REGRAS),
    )


# ------------------------------------------------------------------ geração
def _dec(centavos: int) -> Decimal:
    return Decimal(centavos).scaleb(-2)


def _itens(p: Planilha, linhas: Sequence[tuple[str, Sequence[int]]]) -> tuple[Item, ...]:
    out = []
    for n, (codigo, valores) in enumerate(linhas):
        item: dict[str, object] = {"planilha": p.codigo, "linha": codigo, "id": n + 1}
        for i, (col, v) in enumerate(zip(p.colunas, valores, strict=True)):
            item[f"v{i}"] = _dec(v)
            item[f"c{i}"] = col
        item["marcadorLinha"] = n
        item["marcadorColuna"] = len(p.colunas)
        out.append(item)
    return tuple(out)


def _com_total(
    linhas: Iterable[tuple[str, Sequence[int]]], n: int
) -> list[tuple[str, Sequence[int]]]:
    ls = list(linhas)
    if not ls:
        return []
    total = [sum(v[i] for _, v in ls) for i in range(n)]
    return [*ls, (TOTAL, total)]


def _fixas(p: Planilha, valores: Mapping[str, Sequence[int]]) -> list[tuple[str, Sequence[int]]]:
    """Todas as linhas fixas, com os totalizadores somados (o guia diz que não geram
    informação; o erario os escreve somados para conferência — ``confirmar``)."""
    n = len(p.colunas)
    fixas = {f.codigo: f for f in p.fixas}

    def valor(c: str) -> list[int]:
        f = fixas[c]
        if not f.soma:
            return list(valores.get(c[-3:], [0] * n))
        return [sum(valor(s)[i] for s in f.soma) for i in range(n)]

    return [(f.codigo, valor(f.codigo)) for f in p.fixas]


def gerar(ap: Apuracao) -> dict[int, Pacote]:
    """Um pacote por planilha com dados (as COVID-19, sempre: linhas fixas)."""
    linhas: dict[int, list[tuple[str, Sequence[int]]]] = {}
    rec = [(r.rubrica, (r.previsao_inicial, r.previsao_atualizada, r.realizada, r.deducoes,
                        r.deducao_fundeb)) for r in ap.receitas]  # fmt: skip
    linhas[1] = _com_total(rec, 5)
    detalhe: dict[int, list[tuple[str, Sequence[int]]]] = {}
    por_fonte: dict[str, list[int]] = {}
    por_sub: dict[str, list[int]] = {}
    for (fonte, sub, elemento), v in ap.despesas.items():
        detalhe.setdefault(codigo_despesa(fonte, sub), []).append((elemento, v))
        for d, k in ((por_fonte, fonte), (por_sub, sub)):
            acc = d.setdefault(k, [0] * 5)
            for i in range(5):
                acc[i] += v[i]
    for cod, ls in detalhe.items():
        linhas[cod] = _com_total(ls, 5)
    linhas[300] = _com_total(sorted(por_fonte.items()), 5)
    linhas[301] = _com_total(sorted(por_sub.items()), 5)
    linhas[400] = _com_total(((str(a), v) for a, v in ap.compensacao_rp.items()), 3)
    linhas[401] = _com_total(((str(a), v) for a, v in ap.compensacao_limite.items()), 3)
    for cod, rp in ((500, ap.rp_inscritos), (501, ap.rp_pagos), (502, ap.rp_pagos_anteriores),
                    (503, ap.rp_cancelados), (504, ap.rp_cancelados_anteriores)):  # fmt: skip
        # linha: ano de inscrição e a linha de fonte (20261 = 2026, Impostos — ASPS)
        linhas[cod] = _com_total(((f"{a}{f}", v) for (a, f), v in rp.items()), 2)
    linhas[600] = _com_total(((f, (v,)) for f, v in ap.disponibilidade.items()), 1)
    linhas[601] = _com_total(ap.consorcios.items(), 3)
    total_proprio = sum(v[0] for c, v in ap.covid_despesa_propria.items())
    fixas: dict[int, Mapping[str, Sequence[int]]] = {
        70: {k: (v,) for k, v in ap.covid_receita_uniao.items()},
        71: {k: (v,) for k, v in ap.covid_receita_estado.items()},
        # "deverá ser apurado o total empenhado gerado no arquivo … RecursosProprios_Despesas"
        72: {"030": (total_proprio,)},
        77: ap.covid_despesa_uniao,
        78: ap.covid_despesa_estado,
        79: ap.covid_despesa_propria,
    }
    for cod, vals in fixas.items():
        linhas[cod] = _fixas(PLANILHAS[cod], vals)
    return {
        cod: Pacote(
            "siops",
            {"ano": ap.ano, "bimestre": ap.bimestre, "planilha": cod},
            {"linha": _itens(PLANILHAS[cod], ls)},
        )
        for cod, ls in sorted(linhas.items())
        if ls
    }


# ------------------------------------------------------------------ texto
_RE_VALOR: Final = re.compile(
    r"V([0-9]+):\[>R\$(-?[0-9]{1,3}(?:\.[0-9]{3})*,[0-9]{2})<\]:-\[([0-9]+)\]"
)


def _valor_texto(v: object) -> str:
    assert isinstance(v, Decimal)
    return "R$" + formatar_brl(int(v.scaleb(2)))


def para_texto(pacote: Pacote) -> str:
    """As linhas do arquivo ``.impt`` (terminadas em CRLF, como arquivos do Windows)."""
    saida = []
    for it in pacote.itens("linha"):
        cols = [str(it["planilha"]), str(it["linha"]), str(it["id"])]
        i = 0
        while f"v{i}" in it and it[f"v{i}"] is not None:
            cols.append(f"V{i}:[>{_valor_texto(it[f'v{i}'])}<]:-[{it[f'c{i}']}]")
            i += 1
        cols += [f"#L{it['marcadorLinha']}", f"#C{it['marcadorColuna']}"]
        saida.append(";".join(cols))
    return "".join(ln + "\r\n" for ln in saida)


def _inteiro(t: str) -> int | str:
    return int(t) if t.isdigit() else t


def ler_texto(texto: str, ano: int, bimestre: int, origem: str) -> tuple[Pacote, list[Erro]]:
    """O arquivo → pacote (a planilha do pacote é a da primeira linha), e os
    problemas de estrutura (``SIOPS-ESTRUTURA``, ``SIOPS-VALOR``)."""
    erros: list[Erro] = []
    itens: list[Item] = []
    for n, ln in enumerate(texto.splitlines(), start=1):
        if not ln.strip():
            continue
        cols = ln.split(";")
        if len(cols) < 6:
            erros.append(
                Erro("SIOPS-ESTRUTURA", f"{len(cols)} colunas; o mínimo é planilha;linha;id;"
                     "V0;#L;#C", linha=n, origem=origem)
            )  # fmt: skip
            continue
        item: dict[str, object] = {
            "planilha": _inteiro(cols[0]),
            "linha": cols[1],
            "id": _inteiro(cols[2]),
        }
        *valores, ml, mc = cols[3:]
        for i, v in enumerate(valores):
            m = _RE_VALOR.fullmatch(v)
            if m is None or int(m.group(1)) != i:
                erros.append(
                    Erro("SIOPS-VALOR", f"coluna de valor '{v}' fora do formato "
                         f"V{i}:[>R$0,00<]:-[N]", f"V{i}", n, origem)
                )  # fmt: skip
                continue
            texto_v = m.group(2).replace(".", "").replace(",", ".")
            item[f"v{i}"] = Decimal(texto_v)
            item[f"c{i}"] = int(m.group(3))
        for chave, t, prefixo in (("marcadorLinha", ml, "#L"), ("marcadorColuna", mc, "#C")):
            if not t.startswith(prefixo) or not t[2:].isdigit():
                erros.append(
                    Erro(
                        "SIOPS-ESTRUTURA",
                        f"marcador '{t}' deveria ser {prefixo}N",
                        chave,
                        n,
                        origem,
                    )
                )
            else:
                item[chave] = int(t[2:])
        itens.append(item)
    planilha = itens[0].get("planilha") if itens else None
    return Pacote(
        "siops", {"ano": ano, "bimestre": bimestre, "planilha": planilha}, {"linha": tuple(itens)}
    ), erros


# ------------------------------------------------------------------ regras
RegraSiops = Callable[[Pacote], Iterable[Erro]]
_REGRAS: dict[str, RegraSiops] = {}


def _regra(nome: str) -> Callable[[RegraSiops], RegraSiops]:
    def registrar(f: RegraSiops) -> RegraSiops:
        _REGRAS[nome] = f
        return f

    return registrar


def _planilha(p: Pacote) -> Planilha | None:
    cod = p.parametros.get("planilha")
    return PLANILHAS.get(cod) if isinstance(cod, int) else None


def _num_valores(it: Item) -> int:
    n = 0
    while it.get(f"v{n}") is not None:
        n += 1
    return n


@_regra("planilha_unica")
def _planilha_unica(p: Pacote) -> Iterable[Erro]:
    """Um arquivo, uma planilha ("Cada arquivo será gerado individualmente")."""
    cod = p.parametros.get("planilha")
    for n, it in enumerate(p.itens("linha"), start=1):
        if it.get("planilha") != cod:
            yield Erro("SIOPS-PLANILHA", f"linha da planilha {it.get('planilha')} num arquivo da "
                       f"planilha {cod}", "1. Identificador da planilha", n, "Linha")  # fmt: skip


@_regra("linhas")
def _linhas(p: Pacote) -> Iterable[Erro]:
    """Linha fixa do guia, na ordem do guia; nas outras, código numérico sem repetição."""
    pl = _planilha(p)
    if pl is None:
        return
    vistos: dict[str, int] = {}
    codigos = [str(it.get("linha")) for it in p.itens("linha")]
    for n, c in enumerate(codigos, start=1):
        if c in vistos:
            yield Erro("SIOPS-REPETIDA", f"linha {c} repetida (registro {vistos[c]})",
                       "2. Identificador da linha", n, "Linha")  # fmt: skip
        vistos.setdefault(c, n)
        if not pl.fixas and not c.isdigit():
            yield Erro("SIOPS-LINHA", f"identificador '{c}' deve ter só dígitos",
                       "2. Identificador da linha", n, "Linha")  # fmt: skip
    if pl.fixas:
        esperadas = [f.codigo for f in pl.fixas]
        if codigos != esperadas:
            fora = [c for c in codigos if c not in esperadas]
            faltam = [c for c in esperadas if c not in codigos]
            yield Erro(
                "SIOPS-LINHA",
                f"a planilha {pl.codigo} tem as linhas fixas do guia, nesta ordem: "
                f"{', '.join(esperadas)}"
                + (f"; desconhecidas: {', '.join(fora)}" if fora else "")
                + (f"; faltam: {', '.join(faltam)}" if faltam else ""),
                "2. Identificador da linha",
                origem="Linha",
            )


@_regra("colunas")
def _colunas(p: Pacote) -> Iterable[Erro]:
    pl = _planilha(p)
    if pl is None:
        return
    for n, it in enumerate(p.itens("linha"), start=1):
        cols = tuple(it.get(f"c{i}") for i in range(_num_valores(it)))
        if cols != pl.colunas:
            yield Erro("SIOPS-COLUNA", f"colunas {cols} de valor; a planilha {pl.codigo} tem "
                       f"{pl.colunas}", "Colunas de valor", n, "Linha")  # fmt: skip


@_regra("marcadores")
def _marcadores(p: Pacote) -> Iterable[Erro]:
    """``#L`` de 0 em diante, na ordem; ``#C`` = colunas de valor do registro."""
    for n, it in enumerate(p.itens("linha"), start=1):
        if "marcadorLinha" in it and it["marcadorLinha"] != n - 1:
            yield Erro("SIOPS-MARCADOR", f"#L{it['marcadorLinha']} no registro {n}; esperado "
                       f"#L{n - 1}", "Marcador de linha (#L)", n, "Linha")  # fmt: skip
        if "marcadorColuna" in it and it["marcadorColuna"] != _num_valores(it):
            yield Erro("SIOPS-MARCADOR", f"#C{it['marcadorColuna']} com {_num_valores(it)} "
                       "coluna(s) de valor", "Marcador de coluna (#C)", n, "Linha")  # fmt: skip


def valores_por_linha(p: Pacote) -> dict[str, tuple[Decimal, ...]]:
    """Valores por identificador de linha (linha repetida soma: SIOPS-REPETIDA aponta)."""
    out: dict[str, tuple[Decimal, ...]] = {}
    for it in p.itens("linha"):
        vs = tuple(v for i in range(_num_valores(it)) if isinstance(v := it.get(f"v{i}"), Decimal))
        if len(vs) == _num_valores(it):
            k = str(it.get("linha"))
            antes = out.get(k)
            out[k] = vs if antes is None else tuple(a + b for a, b in zip(antes, vs, strict=False))
    return out


@_regra("totais")
def _totais(p: Pacote) -> Iterable[Erro]:
    """Totalizadores = soma das linhas que totalizam (fixas do guia; TOTAL no resto)."""
    pl = _planilha(p)
    if pl is None:
        return
    vals = valores_por_linha(p)
    if pl.fixas:
        somas = {f.codigo: f.soma for f in pl.fixas if f.soma}
    else:
        somas = {TOTAL: tuple(c for c in vals if c != TOTAL)} if vals else {}
        if vals and TOTAL not in vals:
            yield Erro("SIOPS-TOTAL", f"falta a linha totalizadora {TOTAL}", origem="Linha")
    for tot, partes in somas.items():
        if tot not in vals:
            continue
        n = len(vals[tot])
        esperado = tuple(
            sum((vals.get(c, (Decimal(0),) * n)[i] for c in partes), Decimal(0)) for i in range(n)
        )
        if vals[tot] != esperado:
            yield Erro("SIOPS-TOTAL", f"linha {tot}: {_br(vals[tot])}, mas a soma de "
                       f"{len(partes)} linha(s) dá {_br(esperado)}", origem="Linha")  # fmt: skip


def _br(vs: Sequence[Decimal]) -> str:
    return " | ".join(formatar_brl(int(v.scaleb(2))) for v in vs)


def validar_pacote(pacote: Pacote) -> Resultado:
    """Campos (motor genérico) e regras do SIOPS de um arquivo."""
    regras: dict[str, RegraPacote] = dict(_REGRAS)
    return validar_com_avisos(leiaute(), pacote, regras)


# ------------------------------------------------------------------ diretório
class Arquivo(NamedTuple):
    nome: str
    texto: str
    pacote: Pacote


def manifesto(
    ano: int, bimestre: int, arquivos: Sequence[Arquivo], extra: Mapping[str, object]
) -> str:
    """Arquivos, linhas, totais (a linha totalizadora, ou a soma) e sha256 de cada um."""
    doc = {
        "formato": "erario-siops",
        "ano": ano,
        "bimestre": bimestre,
        **extra,
        "arquivos": [
            {
                "arquivo": a.nome,
                "planilha": a.pacote.parametros["planilha"],
                "nome": PLANILHAS[int(str(a.pacote.parametros["planilha"]))].nome,
                "linhas": len(a.pacote.itens("linha")),
                "totais": [f"{v:f}" for v in _totais_arquivo(a.pacote)],
                "sha256": hashlib.sha256(a.texto.encode("utf-8")).hexdigest(),
            }
            for a in arquivos
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _totais_arquivo(p: Pacote) -> tuple[Decimal, ...]:
    vals = valores_por_linha(p)
    pl = _planilha(p)
    if pl is not None and pl.fixas:
        tot = pl.fixas[-1].codigo
        return vals.get(tot, ())
    return vals.get(TOTAL, ())


def arquivos(pacotes: Mapping[int, Pacote]) -> list[Arquivo]:
    return [Arquivo(nome_arquivo(PLANILHAS[c]), para_texto(p), p) for c, p in pacotes.items()]


def validar_diretorio(pasta: Path) -> Resultado:
    """Todos os arquivos ``.impt`` da pasta e o manifesto: cada arquivo (estrutura,
    campos, regras), o manifesto (arquivos, linhas, sha256) e as identidades entre
    planilhas (``SIOPS-IDENTIDADE``)."""
    erros: list[Erro] = []
    avisos: list[Erro] = []
    man_path = pasta / MANIFESTO
    man: dict[str, object] = {}
    if not man_path.exists():
        erros.append(Erro("SIOPS-MANIFESTO", f"falta {MANIFESTO} na pasta", origem=str(pasta)))
    else:
        try:
            man = json.loads(man_path.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            erros.append(Erro("SIOPS-MANIFESTO", f"JSON inválido: {exc}", origem=MANIFESTO))
    ano = man.get("ano") if isinstance(man.get("ano"), int) else 0
    bim = man.get("bimestre") if isinstance(man.get("bimestre"), int) else 0
    assert isinstance(ano, int) and isinstance(bim, int)
    lidos: dict[int, Pacote] = {}
    textos: dict[str, str] = {}
    for caminho in sorted(pasta.glob(f"*{EXTENSAO}")):
        texto = caminho.read_bytes().decode("utf-8", errors="replace")
        textos[caminho.name] = texto
        pacote, e = ler_texto(texto, ano, bim, caminho.name)
        if e:  # estrutura ilegível: os campos e as regras não se conferem neste arquivo
            erros += e
            continue
        res = validar_pacote(pacote)
        erros += [
            x.em(origem=f"{caminho.name}, {x.origem}") if x.origem else x.em(origem=caminho.name)
            for x in res.erros
        ]
        avisos += [x.em(origem=caminho.name) for x in res.avisos]
        cod = pacote.parametros.get("planilha")
        if isinstance(cod, int):
            if cod in lidos:
                erros.append(
                    Erro(
                        "SIOPS-PLANILHA",
                        f"planilha {cod} em mais de um arquivo",
                        origem=caminho.name,
                    )
                )
            lidos[cod] = pacote
    bruto = man.get("arquivos")
    listados: list[object] = bruto if isinstance(bruto, list) else []
    for a in listados:
        if not isinstance(a, dict):
            continue
        nome = str(a.get("arquivo"))
        if nome not in textos:
            erros.append(
                Erro("SIOPS-MANIFESTO", f"{nome} listado no manifesto e ausente", origem=MANIFESTO)
            )
            continue
        if hashlib.sha256(textos[nome].encode("utf-8")).hexdigest() != a.get("sha256"):
            erros.append(
                Erro(
                    "SIOPS-MANIFESTO",
                    f"{nome}: sha256 não confere (arquivo alterado)",
                    origem=MANIFESTO,
                )
            )
        linhas = len([ln for ln in textos[nome].splitlines() if ln.strip()])
        if linhas != a.get("linhas"):
            erros.append(
                Erro(
                    "SIOPS-MANIFESTO",
                    f"{nome}: {linhas} linha(s); o manifesto diz {a.get('linhas')}",
                    origem=MANIFESTO,
                )
            )
    if man:
        nomes = {str(a.get("arquivo")) for a in listados if isinstance(a, dict)}
        for nome in sorted(set(textos) - nomes):
            erros.append(Erro("SIOPS-MANIFESTO", f"{nome} não está no manifesto", origem=MANIFESTO))
    erros += identidades(lidos)
    return Resultado(erros, avisos)


def _totais_de(p: Pacote | None, n: int) -> tuple[Decimal, ...]:
    if p is None:
        return (Decimal(0),) * n
    return _totais_arquivo(p) or (Decimal(0),) * n


def identidades(pacotes: Mapping[int, Pacote]) -> list[Erro]:
    """Despesa total da função 10 = Σ das planilhas de fonte × subfunção = Σ por fonte
    = Σ por subfunção, em cada coluna; cada linha do resumo por fonte (e por
    subfunção) = a soma das planilhas de detalhe dela; o quadro 72 = o total
    empenhado do 79."""
    erros: list[Erro] = []

    def conferir(o_que: str, a: Sequence[Decimal], b: Sequence[Decimal]) -> None:
        if tuple(a) != tuple(b):
            erros.append(Erro("SIOPS-IDENTIDADE", f"{o_que}: {_br(a)} ≠ {_br(b)}"))

    detalhe = {c: p for c, p in pacotes.items() if 210 <= c <= 287}
    soma = [Decimal(0)] * 5
    por_fonte: dict[str, list[Decimal]] = {}
    por_sub: dict[str, list[Decimal]] = {}
    subs = [s for s, _ in SUBFUNCOES]
    for c, p in detalhe.items():
        t = _totais_de(p, 5)
        f, s = str((c - 200) // 10), subs[c % 10]
        for i, v in enumerate(t):
            soma[i] += v
            por_fonte.setdefault(f, [Decimal(0)] * 5)[i] += v
            por_sub.setdefault(s, [Decimal(0)] * 5)[i] += v
    if detalhe or 300 in pacotes or 301 in pacotes:
        conferir("despesa total: Σ das planilhas fonte × subfunção vs. total por fonte (300)",
                 soma, _totais_de(pacotes.get(300), 5))  # fmt: skip
        conferir("despesa total: total por fonte (300) vs. total por subfunção (301)",
                 _totais_de(pacotes.get(300), 5), _totais_de(pacotes.get(301), 5))  # fmt: skip
        for cod, agreg, nomes in (
            (300, por_fonte, NOME_LINHA_FONTE),
            (301, por_sub, NOME_SUBFUNCAO),
        ):
            resumo = pacotes.get(cod)
            vals = valores_por_linha(resumo) if resumo is not None else {}
            for k in sorted((set(agreg) | set(vals)) - {TOTAL}):
                conferir(f"planilha {cod}, linha {k} ({nomes.get(k, '?')}) vs. Σ das planilhas de detalhe",
                         vals.get(k, (Decimal(0),) * 5), agreg.get(k, [Decimal(0)] * 5))  # fmt: skip
    if 72 in pacotes or 79 in pacotes:
        conferir("COVID-19 recursos próprios: quadro 72 vs. total empenhado do 79",
                 _totais_de(pacotes.get(72), 1), _totais_de(pacotes.get(79), 3)[:1])  # fmt: skip
    return erros


def gravar_arquivos(ap: Apuracao, pasta: Path) -> tuple[list[Arquivo], list[Erro]]:
    """Gera um arquivo por planilha, confere cada um e as identidades entre planilhas
    e, sem nenhum problema, grava-os na pasta com o manifesto (com qualquer problema,
    não grava nada). O mesmo para ``erario siops gerar`` e a interface web."""
    lista = arquivos(gerar(ap))
    erros: list[Erro] = []
    for a in lista:
        erros += [e.em(origem=a.nome) for e in validar_pacote(a.pacote).erros]
    erros += identidades({int(str(a.pacote.parametros["planilha"])): a.pacote for a in lista})
    if erros:
        return lista, erros
    pasta.mkdir(parents=True, exist_ok=True)
    for a in lista:
        (pasta / a.nome).write_bytes(a.texto.encode("utf-8"))
    p = ap.percentual()
    extra = {"entidades": list(ap.entidades), "percentual_asps": str(p) if p is not None else None}
    (pasta / MANIFESTO).write_text(manifesto(ap.ano, ap.bimestre, lista, extra), encoding="utf-8")
    return lista, []
