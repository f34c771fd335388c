"""Livros comerciais das empresas do município (Lei 6.404/76): o plano de contas
próprio com a natureza do leiaute do FCONT, o mapeamento para o plano
referencial (registro I051) por vigência, os centros de custo (I100) e o
histórico padronizado (I075).

O plano da empresa é um ``PlanoContas`` como o PCASP (máscara, níveis, sintética
e analítica): lançamentos e saldos usam o mesmo razão e as mesmas regras do
erario. O que o FCONT acrescenta (a natureza 01–09 de cada conta, manual,
Tabelas de Códigos, item 3.1) fica ao lado, em ``PlanoEmpresa.naturezas``.

Contas patrimoniais e de resultado ficam nas classes 1 a 4 (o razão fecha as
partidas dobradas por natureza da informação, e as classes 1–4 são as
patrimoniais); compensação e outras, nas classes 5 a 9.

Funções puras: texto entra, registros e erros (todos, com linha e campo) saem.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Final, NamedTuple

from erario.core.erros import Erro
from erario.razao.modelo import PlanoContas
from erario.razao.plano import ler_plano_csv


class Natureza(StrEnum):
    """Código de natureza da conta/grupo de contas (I050, campo 03; Tabelas de Códigos 3.1)."""

    ATIVO = "01"
    PASSIVO = "02"
    PATRIMONIO_LIQUIDO = "03"
    RESULTADO = "04"
    COMPENSACAO = "05"
    OUTRAS = "09"

    @property
    def descricao(self) -> str:
        return _DESCRICAO_NATUREZA[self]


_DESCRICAO_NATUREZA: Final = {
    Natureza.ATIVO: "contas de ativo",
    Natureza.PASSIVO: "passivo circulante e passivo não circulante",
    Natureza.PATRIMONIO_LIQUIDO: "patrimônio líquido",
    Natureza.RESULTADO: "contas de resultado",
    Natureza.COMPENSACAO: "contas de compensação",
    Natureza.OUTRAS: "outras",
}
PATRIMONIAIS: Final = frozenset({Natureza.ATIVO, Natureza.PASSIVO, Natureza.PATRIMONIO_LIQUIDO})
# I051: só as analíticas de natureza 01 a 04 são referenciadas (observações do registro I051).
REFERENCIADAS: Final = PATRIMONIAIS | {Natureza.RESULTADO}
# Natureza do saldo no razão quando o CSV não a informa.
_SALDO_DA_NATUREZA: Final = {
    Natureza.ATIVO: "D",
    Natureza.PASSIVO: "C",
    Natureza.PATRIMONIO_LIQUIDO: "C",
    Natureza.RESULTADO: "M",
    Natureza.COMPENSACAO: "M",
    Natureza.OUTRAS: "M",
}
COLUNAS_PLANO: Final = ("CONTA", "TITULO", "NATUREZA", "ESCRITURACAO", "NATUREZA DO SALDO")
COLUNAS_REFERENCIAL: Final = ("CONTA", "CENTRO_CUSTO", "CONTA_REFERENCIAL", "INICIO")
COLUNAS_CENTROS: Final = ("CODIGO", "NOME", "ALTERACAO")
COLUNAS_HISTORICOS: Final = ("CODIGO", "DESCRICAO")
ENTIDADE_REFERENCIAL_RFB: Final = "10"  # I051 campo 02: Secretaria da Receita Federal do Brasil


class PlanoEmpresa(NamedTuple):
    plano: PlanoContas
    naturezas: Mapping[str, Natureza]  # código da conta → natureza do FCONT

    def natureza(self, codigo: str) -> Natureza | None:
        return self.naturezas.get(codigo)


class CentroCusto(NamedTuple):
    """Registro I100."""

    codigo: str
    nome: str
    alteracao: dt.date  # DT_ALT: inclusão/alteração


class Historico(NamedTuple):
    """Registro I075."""

    codigo: str
    descricao: str


class Mapeamento(NamedTuple):
    """Registro I051: conta da empresa (e centro de custo) → conta referencial,
    em vigor de ``inicio`` até o próximo mapeamento da mesma conta."""

    conta: str
    centro_custo: str  # "" sem centro de custo
    conta_referencial: str
    inicio: dt.date


# ------------------------------------------------------------------ CSV comum
def _chave(nome: str) -> str:
    sem_acento = unicodedata.normalize("NFKD", nome).encode("ascii", "ignore").decode()
    return " ".join(sem_acento.upper().replace("_", " ").split())


def _linhas_csv(
    texto: str, obrigatorias: Sequence[str], origem: str, prefixo: str
) -> tuple[list[tuple[int, dict[str, str]]], list[Erro]]:
    """Linhas (número, coluna → valor) de um CSV ``;`` com cabeçalho por nome."""
    leitor = csv.reader(io.StringIO(texto.lstrip("\ufeff")), delimiter=";")
    try:
        cabecalho = [_chave(c) for c in next(leitor)]
    except StopIteration:
        return [], [Erro("FCONT-CSV", "arquivo vazio", origem=origem)]
    faltam = [c for c in obrigatorias if _chave(c) not in cabecalho]
    if faltam:
        return [], [
            Erro(
                "FCONT-CSV",
                "faltam as colunas " + ", ".join(faltam) + " no cabeçalho",
                linha=1,
                origem=origem,
            )
        ]
    saida = []
    for n, campos in enumerate(leitor, start=2):
        if not any(c.strip() for c in campos):
            continue
        saida.append(
            (
                n,
                {
                    c: (campos[i].strip() if i < len(campos) else "")
                    for i, c in enumerate(cabecalho)
                },
            )
        )
    return saida, []


def _data(texto: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(texto)
    except ValueError:
        return None


# ------------------------------------------------------------ plano da empresa
def ler_plano_empresa_csv(
    texto: str, nome: str, origem: str = "plano"
) -> tuple[PlanoEmpresa | None, list[Erro]]:
    """Plano da empresa em CSV ``;``: ``CONTA;TITULO;NATUREZA[;ESCRITURACAO][;NATUREZA DO SALDO]``.

    ``NATUREZA`` é o código do leiaute (01 ativo, 02 passivo, 03 PL, 04 resultado,
    05 compensação, 09 outras). Sintética/analítica, nível e conta superior vêm
    da máscara do código, como no PCASP; ``ESCRITURACAO`` (S/N) força a analítica.
    """
    linhas, erros = _linhas_csv(texto, ("CONTA", "TITULO", "NATUREZA"), origem, "FCONT-PLANO")
    if erros:
        return None, erros
    naturezas: dict[str, Natureza] = {}
    saida = io.StringIO()
    w = csv.writer(saida, delimiter=";", lineterminator="\n")
    w.writerow(("CONTA", "TÍTULO", "NATUREZA DO SALDO", "ESCRITURAÇÃO"))
    codigos: list[tuple[int, str]] = []
    for n, r in linhas:
        codigo, nat = r.get("CONTA", ""), r.get("NATUREZA", "").zfill(2)
        try:
            natureza = Natureza(nat)
        except ValueError:
            erros.append(
                Erro(
                    "FCONT-NATUREZA",
                    f"conta {codigo}: natureza '{r.get('NATUREZA', '')}' inválida: use "
                    + ", ".join(f"{x.value} ({x.descricao})" for x in Natureza),
                    "NATUREZA",
                    n,
                    origem,
                )
            )
            continue
        classe = codigo[:1]
        if natureza in REFERENCIADAS and classe not in "1234":
            erros.append(
                Erro(
                    "FCONT-NATUREZA",
                    f"conta {codigo}: contas patrimoniais e de resultado ficam nas classes 1 a 4",
                    "CONTA",
                    n,
                    origem,
                )
            )
        naturezas[codigo] = natureza
        codigos.append((n, codigo))
        w.writerow(
            (
                codigo,
                r.get("TITULO", ""),
                r.get("NATUREZA DO SALDO", "") or _SALDO_DA_NATUREZA[natureza],
                r.get("ESCRITURACAO", ""),
            )
        )
    if erros:
        return None, erros
    plano, erros = ler_plano_csv(saida.getvalue(), nome, origem)
    if plano is None:
        # As linhas do texto convertido são as mesmas do original (uma por conta).
        mapa = {i: n for i, (n, _) in enumerate(codigos, start=2)}
        return None, [e.em(linha=mapa.get(e.linha or 0, e.linha)) for e in erros]
    for c in plano.contas.values():
        if (
            c.pai
            and naturezas[c.pai] != naturezas[c.codigo]
            and not (
                # manual, REGRA_NATUREZA_CONTA: sintética de PL pode estar sob passivo
                naturezas[c.codigo] == Natureza.PATRIMONIO_LIQUIDO
                and naturezas[c.pai] == Natureza.PASSIVO
            )
        ):
            erros.append(
                Erro(
                    "FCONT-NATUREZA",
                    f"conta {c.codigo} tem natureza {naturezas[c.codigo].value}, diferente da "
                    f"conta superior {c.pai} ({naturezas[c.pai].value})",
                    "NATUREZA",
                    origem=origem,
                )
            )
    if erros:
        return None, erros
    return PlanoEmpresa(plano, naturezas), []


def escrever_plano_empresa_csv(pe: PlanoEmpresa) -> str:
    """CSV lido por ``ler_plano_empresa_csv`` (ida e volta sem perda)."""
    saida = io.StringIO()
    w = csv.writer(saida, delimiter=";", lineterminator="\n")
    w.writerow(COLUNAS_PLANO)
    for c in pe.plano.contas.values():
        w.writerow(
            (
                c.codigo,
                c.titulo,
                pe.naturezas[c.codigo].value,
                "S" if c.analitica else "N",
                c.natureza_saldo.value,
            )
        )
    return saida.getvalue()


# ------------------------------------------------------------ centros, histórico
def ler_centros_csv(texto: str, origem: str = "centros") -> tuple[list[CentroCusto], list[Erro]]:
    """Centros de custo (I100): ``CODIGO;NOME;ALTERACAO`` (data AAAA-MM-DD)."""
    linhas, erros = _linhas_csv(texto, COLUNAS_CENTROS, origem, "FCONT-CENTRO")
    saida: list[CentroCusto] = []
    vistos: dict[str, int] = {}
    for n, r in linhas:
        codigo, nome, data = r["CODIGO"], r["NOME"], _data(r["ALTERACAO"])
        if not codigo or not nome:
            erros.append(Erro("FCONT-CENTRO", "CODIGO e NOME são obrigatórios", None, n, origem))
        elif "|" in codigo + nome:
            erros.append(
                Erro("FCONT-CENTRO", "o caractere | não é aceito no arquivo", None, n, origem)
            )
        elif data is None:
            erros.append(
                Erro(
                    "FCONT-CENTRO",
                    f"data '{r['ALTERACAO']}' inválida: use AAAA-MM-DD",
                    "ALTERACAO",
                    n,
                    origem,
                )
            )
        elif codigo in vistos:
            erros.append(
                Erro(
                    "FCONT-CENTRO",
                    f"centro de custo {codigo} repetido (linha {vistos[codigo]})",
                    "CODIGO",
                    n,
                    origem,
                )
            )
        else:
            vistos[codigo] = n
            saida.append(CentroCusto(codigo, nome, data))
    return saida, erros


def ler_historicos_csv(
    texto: str, origem: str = "historicos"
) -> tuple[list[Historico], list[Erro]]:
    """Histórico padronizado (I075): ``CODIGO;DESCRICAO``; código único (REGRA_REGISTRO_DUPLICADO)."""
    linhas, erros = _linhas_csv(texto, COLUNAS_HISTORICOS, origem, "FCONT-HISTORICO")
    saida: list[Historico] = []
    vistos: dict[str, int] = {}
    for n, r in linhas:
        codigo, descricao = r["CODIGO"], r["DESCRICAO"]
        if not codigo or not descricao:
            erros.append(
                Erro("FCONT-HISTORICO", "CODIGO e DESCRICAO são obrigatórios", None, n, origem)
            )
        elif "|" in codigo + descricao:
            erros.append(
                Erro("FCONT-HISTORICO", "o caractere | não é aceito no arquivo", None, n, origem)
            )
        elif codigo in vistos:
            erros.append(
                Erro(
                    "FCONT-HISTORICO",
                    f"histórico {codigo} repetido (linha {vistos[codigo]})",
                    "CODIGO",
                    n,
                    origem,
                )
            )
        else:
            vistos[codigo] = n
            saida.append(Historico(codigo, descricao))
    return saida, erros


# -------------------------------------------------------- plano referencial
def ler_mapeamentos_csv(
    texto: str,
    pe: PlanoEmpresa,
    centros: Iterable[str] = (),
    origem: str = "referencial",
) -> tuple[list[Mapeamento], list[Erro]]:
    """Mapeamento para o plano referencial (I051):
    ``CONTA;CENTRO_CUSTO;CONTA_REFERENCIAL;INICIO``.

    Só contas analíticas de natureza 01 a 04 (REGRA_REGISTRO_PARA_CONTA_ANALITICA
    e observações do I051); centro de custo cadastrado (REGRA_CCUS_NO_CENTRO_CUSTOS);
    numa mesma conta e vigência, ou todos com centro de custo ou nenhum
    (REGRA_CCUS_UNICO). O plano referencial da Receita não vem com o erario: o
    código referencial é conferido só na forma (dígitos e pontos).
    """
    linhas, erros = _linhas_csv(texto, COLUNAS_REFERENCIAL, origem, "FCONT-REFERENCIAL")
    cadastrados = set(centros)
    saida: list[Mapeamento] = []
    vistos: dict[tuple[str, str, str, dt.date], int] = {}
    for n, r in linhas:
        conta, ccus, ref, inicio = (
            r["CONTA"],
            r["CENTRO CUSTO"],
            r["CONTA REFERENCIAL"],
            _data(r["INICIO"]),
        )
        c = pe.plano.contas.get(conta)
        problemas = []
        if c is None:
            problemas.append(("CONTA", f"conta {conta} não existe no plano da empresa"))
        elif not c.analitica:
            problemas.append(
                ("CONTA", f"conta {conta} é sintética: só as analíticas são referenciadas")
            )
        elif pe.naturezas[conta] not in REFERENCIADAS:
            problemas.append(
                (
                    "CONTA",
                    f"conta {conta} tem natureza {pe.naturezas[conta].value}: só 01 a 04 são referenciadas",
                )
            )
        if not ref or not all(ch.isdigit() or ch == "." for ch in ref):
            problemas.append(
                ("CONTA_REFERENCIAL", f"conta referencial '{ref}' inválida: dígitos e pontos")
            )
        if ccus and ccus not in cadastrados:
            problemas.append(("CENTRO_CUSTO", f"centro de custo {ccus} não cadastrado"))
        if inicio is None:
            problemas.append(("INICIO", f"data '{r['INICIO']}' inválida: use AAAA-MM-DD"))
        if problemas:
            erros.extend(Erro("FCONT-REFERENCIAL", m, campo, n, origem) for campo, m in problemas)
            continue
        assert inicio is not None
        chave = (conta, ccus, ref, inicio)
        if chave in vistos:
            erros.append(
                Erro(
                    "FCONT-REFERENCIAL",
                    f"mapeamento repetido (linha {vistos[chave]})",
                    None,
                    n,
                    origem,
                )
            )
            continue
        vistos[chave] = n
        saida.append(Mapeamento(conta, ccus, ref, inicio))
    grupos: dict[tuple[str, dt.date], set[str]] = {}
    for m in saida:
        grupos.setdefault((m.conta, m.inicio), set()).add(m.centro_custo)
    for (conta, inicio), ccs in sorted(grupos.items()):
        if "" in ccs and len(ccs) > 1:
            erros.append(
                Erro(
                    "FCONT-REFERENCIAL",
                    f"conta {conta} a partir de {inicio:%d/%m/%Y}: com e sem centro de custo "
                    "(REGRA_CCUS_UNICO)",
                    "CENTRO_CUSTO",
                    origem=origem,
                )
            )
    return (saida, erros) if not erros else ([], erros)


def mapeamentos_vigentes(
    mapeamentos: Iterable[Mapeamento], data: dt.date
) -> dict[str, list[Mapeamento]]:
    """Conta → mapeamentos em vigor em ``data`` (os do início mais recente até ela)."""
    por_conta: dict[str, dict[dt.date, list[Mapeamento]]] = {}
    for m in mapeamentos:
        if m.inicio <= data:
            por_conta.setdefault(m.conta, {}).setdefault(m.inicio, []).append(m)
    return {
        conta: sorted(
            por_inicio[max(por_inicio)], key=lambda m: (m.centro_custo, m.conta_referencial)
        )
        for conta, por_inicio in por_conta.items()
    }


def contas_sem_mapeamento(
    pe: PlanoEmpresa, mapeamentos: Iterable[Mapeamento], data: dt.date
) -> list[Erro]:
    """REGRA_REGISTRO_OBRIGATORIO_I051: toda analítica de natureza 01 a 04 tem ao
    menos um mapeamento em vigor em ``data``."""
    vigentes = mapeamentos_vigentes(mapeamentos, data)
    return [
        Erro(
            "FCONT-SEM-REFERENCIAL",
            f"conta {c.codigo} ({c.titulo}) sem conta referencial em {data:%d/%m/%Y}",
            "CONTA",
        )
        for c in pe.plano.contas.values()
        if c.analitica and pe.naturezas[c.codigo] in REFERENCIADAS and c.codigo not in vigentes
    ]
