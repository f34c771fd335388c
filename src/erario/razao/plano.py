"""Plano de contas: leitura e escrita em CSV, árvore de contas e plano base.

Formatos lidos:
- CSV no padrão da planilha do PCASP publicada pela STN (``;``; colunas
  ``CONTA;TÍTULO;NATUREZA DO SALDO;INDICADOR DO SUPERÁVIT FINANCEIRO;…``),
  com máscaras estendidas de estados (p. ex. 12 níveis do TCE-RS);
- o balancete de verificação no leiaute do TCE-RS (o arquivo de referência),
  de onde se extraem as contas e seus atributos.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Final

from erario.core.codigos import Mascara
from erario.core.erros import Erro
from erario.razao.modelo import (
    ORDEM_CC,
    Conta,
    NaturezaInformacao,
    NaturezaSaldo,
    PlanoContas,
)

COLUNAS: Final = (
    "CONTA",
    "TÍTULO",
    "NATUREZA DO SALDO",
    "INDICADOR DO SUPERÁVIT FINANCEIRO",
    "NATUREZA DA INFORMAÇÃO",
    "ESCRITURAÇÃO",
    "CONTA CORRENTE",
    "FUNÇÃO",
)

_NATUREZA_SALDO: Final = {
    "D": NaturezaSaldo.DEVEDORA,
    "DEVEDORA": NaturezaSaldo.DEVEDORA,
    "DEVEDOR": NaturezaSaldo.DEVEDORA,
    "C": NaturezaSaldo.CREDORA,
    "CREDORA": NaturezaSaldo.CREDORA,
    "CREDOR": NaturezaSaldo.CREDORA,
    "M": NaturezaSaldo.MISTA,
    "MISTA": NaturezaSaldo.MISTA,
    "DEVEDORA/CREDORA": NaturezaSaldo.MISTA,
    "DEVEDOR/CREDOR": NaturezaSaldo.MISTA,
    "DEVEDORA E CREDORA": NaturezaSaldo.MISTA,
}
_NOME_NATUREZA_SALDO: Final = {
    NaturezaSaldo.DEVEDORA: "Devedora",
    NaturezaSaldo.CREDORA: "Credora",
    NaturezaSaldo.MISTA: "Devedora/Credora",
}
_NATUREZA_INFO: Final = {
    "P": NaturezaInformacao.PATRIMONIAL,
    "PATRIMONIAL": NaturezaInformacao.PATRIMONIAL,
    "O": NaturezaInformacao.ORCAMENTARIA,
    "ORCAMENTARIA": NaturezaInformacao.ORCAMENTARIA,
    "C": NaturezaInformacao.CONTROLE,
    "CONTROLE": NaturezaInformacao.CONTROLE,
}


def natureza_informacao_da_classe(classe: int) -> NaturezaInformacao:
    """PCASP: classes 1–4 patrimonial, 5–6 orçamentária, 7–8 controle."""
    if classe <= 4:
        return NaturezaInformacao.PATRIMONIAL
    if classe <= 6:
        return NaturezaInformacao.ORCAMENTARIA
    return NaturezaInformacao.CONTROLE


def natureza_saldo_da_classe(classe: int) -> NaturezaSaldo:
    """Natureza usual: classes ímpares (ativo, VPD, controles devedores) devedoras."""
    return NaturezaSaldo.DEVEDORA if classe % 2 == 1 else NaturezaSaldo.CREDORA


# Contas retificadoras do PCASP com código conhecido: natureza oposta à da classe
# (depreciação, exaustão e amortização acumuladas do imobilizado e do intangível).
RETIFICADORAS: Final = ("1.2.3.8", "1.2.4.8")


def natureza_saldo_padrao(codigo: str, titulo: str) -> NaturezaSaldo:
    """Natureza do saldo quando o arquivo não a traz (docs/importacao.md): a da
    classe (``natureza_saldo_da_classe``), invertida nas retificadoras — código em
    ``RETIFICADORAS`` ou título começando com ``(-)``, como o PCASP as nomeia."""
    da_classe = natureza_saldo_da_classe(int(codigo[0]))
    if codigo.startswith(RETIFICADORAS) or titulo.lstrip().startswith("(-)"):
        return (
            NaturezaSaldo.CREDORA if da_classe == NaturezaSaldo.DEVEDORA else NaturezaSaldo.DEVEDORA
        )
    return da_classe


def ler_mascara(texto: str) -> Mascara | None:
    """Máscara declarada: larguras dos níveis (``1.1.1.1.1.2.2.2.2.2``) ou o desenho
    (``X.X.X.X.X.XX.XX``). None se o texto não for uma máscara."""
    partes = [p.strip() for p in texto.strip().split(".")]
    if not partes or not all(partes):
        return None
    if all(p.isdigit() and 0 < int(p) <= 9 for p in partes):
        return Mascara(tuple(int(p) for p in partes))
    if all(set(p.upper()) == {"X"} for p in partes):
        return Mascara(tuple(len(p) for p in partes))
    return None


_LINHA_MASCARA: Final = "# mascara:"


def _chave_coluna(nome: str) -> str:
    sem_acento = unicodedata.normalize("NFKD", nome).encode("ascii", "ignore").decode()
    return " ".join(sem_acento.upper().replace("_", " ").split())


class _LinhaPlano:
    __slots__ = (
        "cc",
        "codigo",
        "escrituracao",
        "funcao",
        "info",
        "linha",
        "saldo",
        "sup",
        "titulo",
    )

    def __init__(self, linha: int, codigo: str, titulo: str) -> None:
        self.linha = linha
        self.codigo = codigo
        self.titulo = titulo
        self.saldo: NaturezaSaldo | None = None
        self.info: NaturezaInformacao | None = None
        self.sup: str | None = None
        self.escrituracao: bool | None = None
        self.cc: tuple[str, ...] = ()
        self.funcao = ""


def _aplicar_mascara(
    linhas: list[_LinhaPlano], mascara: Mascara | None, origem: str
) -> tuple[Mascara | None, list[Erro]]:
    """A máscara do plano e os códigos na forma pontuada.

    Declarada (``--mascara`` ou a linha ``# mascara: …`` no arquivo): código só com
    dígitos é pontuado por ela e tem de ter exatamente os dígitos dela; código
    pontuado tem de seguir as larguras. Sem máscara declarada, vale a dos pontos
    do primeiro código — e códigos sem pontos são recusados (um plano sem níveis
    não teria contas sintéticas nem totais no balancete)."""
    if mascara is None:
        if "." not in linhas[0].codigo:
            return None, [
                Erro(
                    "PLANO-MASCARA",
                    f"código {linhas[0].codigo} sem pontos e máscara não informada: declare-a "
                    "(erario plano importar --mascara 1.1.1.1.1.2.2.2.2.2, ou a linha "
                    "'# mascara: 1.1.1.1.1.2.2.2.2.2' antes do cabeçalho)",
                    "CONTA",
                    linhas[0].linha,
                    origem,
                )
            ]
        return Mascara.de_codigo(linhas[0].codigo), []
    erros = []
    for ln in linhas:
        if "." not in ln.codigo:
            if not ln.codigo.isdigit() or len(ln.codigo) != mascara.digitos:
                erros.append(
                    Erro(
                        "PLANO-MASCARA",
                        f"conta {ln.codigo} ({len(ln.codigo)} dígitos) não cabe na máscara "
                        f"{mascara} ({mascara.digitos} dígitos)",
                        "CONTA",
                        ln.linha,
                        origem,
                    )
                )
                continue
            ln.codigo = mascara.normalizar(ln.codigo) or ln.codigo
    return mascara, erros


def _montar(
    nome: str, linhas: list[_LinhaPlano], origem: str, mascara_declarada: Mascara | None = None
) -> tuple[PlanoContas | None, list[Erro]]:
    """Monta a árvore: máscara única, pais existentes, níveis e escrituração."""
    erros: list[Erro] = []
    if not linhas:
        return None, [Erro("PLANO-VAZIO", "o plano não tem contas", origem=origem)]
    mascara, erros = _aplicar_mascara(linhas, mascara_declarada, origem)
    if mascara is None:
        return None, erros
    vistos: dict[str, int] = {}
    com_erro = {e.linha for e in erros}
    for ln in linhas:
        partes = ln.codigo.split(".")
        if ln.linha in com_erro:
            continue
        if tuple(len(p) for p in partes) != mascara.larguras or not all(
            p.isdigit() for p in partes
        ):
            erros.append(
                Erro(
                    "PLANO-MASCARA",
                    f"conta {ln.codigo} fora da máscara {mascara} do plano",
                    "CONTA",
                    ln.linha,
                    origem,
                )
            )
        elif ln.codigo in vistos:
            erros.append(
                Erro(
                    "PLANO-DUPLICADA",
                    f"conta {ln.codigo} repetida (já na linha {vistos[ln.codigo]})",
                    "CONTA",
                    ln.linha,
                    origem,
                )
            )
        elif int(partes[0]) == 0:
            erros.append(
                Erro("PLANO-MASCARA", f"conta {ln.codigo} sem classe", "CONTA", ln.linha, origem)
            )
        else:
            vistos[ln.codigo] = ln.linha
    if erros:
        return None, erros

    codigos = set(vistos)
    pais: dict[str, str | None] = {}
    com_filhas: set[str] = set()
    for ln in linhas:
        pai = next((a for a in mascara.ancestrais(ln.codigo) if a in codigos), None)
        if pai is None and mascara.nivel(ln.codigo) > 1:
            erros.append(
                Erro(
                    "PLANO-PAI",
                    f"conta {ln.codigo} não tem conta superior no plano",
                    "CONTA",
                    ln.linha,
                    origem,
                )
            )
        pais[ln.codigo] = pai
        if pai:
            com_filhas.add(pai)

    contas: dict[str, Conta] = {}
    for ln in sorted(linhas, key=lambda x: x.codigo):
        classe = int(ln.codigo[0])
        # Sem escrituração no arquivo: analítica é a conta sem filhas. Declarada
        # analítica com contas abaixo, fica analítica (avisos_plano avisa).
        analitica = ln.escrituracao if ln.escrituracao is not None else ln.codigo not in com_filhas
        info = ln.info or natureza_informacao_da_classe(classe)
        if info != natureza_informacao_da_classe(classe):
            erros.append(
                Erro(
                    "PLANO-NATUREZA",
                    f"conta {ln.codigo}: natureza da informação {info.descricao} "
                    f"não corresponde à classe {classe}",
                    "NATUREZA DA INFORMAÇÃO",
                    ln.linha,
                    origem,
                )
            )
        contas[ln.codigo] = Conta(
            codigo=ln.codigo,
            titulo=ln.titulo,
            nivel=mascara.nivel(ln.codigo),
            pai=pais[ln.codigo],
            analitica=analitica,
            natureza_saldo=ln.saldo or natureza_saldo_padrao(ln.codigo, ln.titulo),
            natureza_informacao=info,
            superavit=ln.sup,
            conta_corrente=ln.cc if analitica else (),
            funcao=ln.funcao,
        )
    if erros:
        return None, erros
    return PlanoContas(nome, mascara, contas), []


def _mascara_do_arquivo(
    texto: str, mascara: Mascara | None, origem: str
) -> tuple[str, Mascara | None, int, list[Erro]]:
    """Tira a linha ``# mascara: …`` do começo do arquivo (se houver): o texto
    restante, a máscara (a de ``--mascara`` vale sobre a do arquivo), quantas
    linhas saíram e os erros."""
    texto = texto.lstrip("\ufeff")
    primeira, _, resto = texto.partition("\n")
    if not primeira.strip().lower().startswith(_LINHA_MASCARA):
        return texto, mascara, 0, []
    declarada = ler_mascara(primeira.strip()[len(_LINHA_MASCARA) :])
    if declarada is None:
        return (
            resto,
            mascara,
            1,
            [
                Erro(
                    "PLANO-MASCARA",
                    f"máscara '{primeira.strip()}' inválida: use larguras (1.1.1.1.1.2.2) "
                    "ou o desenho (X.X.X.X.X.XX.XX)",
                    None,
                    1,
                    origem,
                )
            ],
        )
    return resto, mascara or declarada, 1, []


def ler_plano_csv(
    texto: str, nome: str, origem: str = "plano", mascara: Mascara | None = None
) -> tuple[PlanoContas | None, list[Erro]]:
    """Lê um plano no padrão da planilha da STN (colunas por nome, ``;``).

    ``mascara``: a declarada (``--mascara``); senão a da linha ``# mascara: …``
    do arquivo; senão a dos pontos do primeiro código (docs/importacao.md)."""
    texto, mascara, pulos, erros_m = _mascara_do_arquivo(texto, mascara, origem)
    if erros_m:
        return None, erros_m
    leitor = csv.reader(io.StringIO(texto), delimiter=";")
    try:
        cabecalho = [_chave_coluna(c) for c in next(leitor)]
    except StopIteration:
        return None, [Erro("PLANO-VAZIO", "arquivo vazio", origem=origem)]
    indice = {c: i for i, c in enumerate(cabecalho)}
    faltam = [c for c in ("CONTA", "TITULO") if c not in indice]
    if faltam:
        return None, [
            Erro(
                "PLANO-CABECALHO",
                f"faltam as colunas {', '.join(faltam)} no cabeçalho",
                linha=1,
                origem=origem,
            )
        ]

    def valor(campos: list[str], coluna: str) -> str:
        i = indice.get(coluna)
        return campos[i].strip() if i is not None and i < len(campos) else ""

    erros: list[Erro] = []
    linhas: list[_LinhaPlano] = []
    for n, campos in enumerate(leitor, start=2 + pulos):
        if not any(c.strip() for c in campos):
            continue
        codigo, titulo = valor(campos, "CONTA"), valor(campos, "TITULO")
        if not codigo or not titulo:
            erros.append(Erro("PLANO-LINHA", "CONTA e TÍTULO são obrigatórios", None, n, origem))
            continue
        ln = _LinhaPlano(n, codigo, titulo)
        saldo = valor(campos, "NATUREZA DO SALDO").upper()
        if saldo:
            ln.saldo = _NATUREZA_SALDO.get(saldo)
            if ln.saldo is None:
                erros.append(
                    Erro(
                        "PLANO-LINHA",
                        f"natureza do saldo '{saldo}' inválida",
                        "NATUREZA DO SALDO",
                        n,
                        origem,
                    )
                )
        info = _chave_coluna(valor(campos, "NATUREZA DA INFORMACAO"))
        if info:
            ln.info = _NATUREZA_INFO.get(info)
            if ln.info is None:
                erros.append(
                    Erro(
                        "PLANO-LINHA",
                        f"natureza da informação '{info}' inválida: use P, O ou C",
                        "NATUREZA DA INFORMAÇÃO",
                        n,
                        origem,
                    )
                )
        sup = valor(campos, "INDICADOR DO SUPERAVIT FINANCEIRO").upper()
        if sup:
            if sup not in ("F", "P", "X"):
                erros.append(
                    Erro(
                        "PLANO-LINHA",
                        f"indicador do superávit '{sup}' inválido: use F, P ou X",
                        "INDICADOR DO SUPERÁVIT FINANCEIRO",
                        n,
                        origem,
                    )
                )
            ln.sup = sup
        esc = valor(campos, "ESCRITURACAO").upper()
        if esc:
            if esc not in ("S", "N"):
                erros.append(
                    Erro(
                        "PLANO-LINHA",
                        f"escrituração '{esc}' inválida: use S ou N",
                        "ESCRITURAÇÃO",
                        n,
                        origem,
                    )
                )
            ln.escrituracao = esc == "S"
        cc = valor(campos, "CONTA CORRENTE").upper()
        if cc:
            tipos = tuple(t.strip() for t in cc.replace("+", ",").split(",") if t.strip())
            invalidos = [t for t in tipos if t not in ORDEM_CC]
            if invalidos:
                erros.append(
                    Erro(
                        "PLANO-LINHA",
                        f"tipo de conta corrente {', '.join(invalidos)} desconhecido",
                        "CONTA CORRENTE",
                        n,
                        origem,
                    )
                )
            ln.cc = tuple(sorted(set(tipos) - set(invalidos), key=ORDEM_CC.__getitem__))
        ln.funcao = valor(campos, "FUNCAO")
        linhas.append(ln)
    plano, erros_arvore = _montar(nome, linhas, origem, mascara) if not erros else (None, [])
    return plano, erros + erros_arvore


def ler_plano_tce_rs(
    texto: str, nome: str, origem: str = "balancete", mascara: Mascara | None = None
) -> tuple[PlanoContas | None, list[Erro]]:
    """Extrai o plano do balancete no leiaute do TCE-RS (uma linha por conta e unidade).

    Colunas usadas (docs/importacao.md): ``conta_contabil``, ``especificacao``
    (título), ``escrituracao`` (S/N; sem ela, ``tipo_nivel`` A = analítica),
    ``natureza_informacao``, ``indicador_superavit_financeiro`` (F/P) e
    ``recurso_vinculado``: a conta exige fonte de recurso (FR) quando alguma de
    suas linhas analíticas traz recurso vinculado diferente de ``0000``. A
    natureza do saldo não vem no leiaute: ``natureza_saldo_padrao``.
    """
    texto, mascara, pulos, erros_m = _mascara_do_arquivo(texto, mascara, origem)
    if erros_m:
        return None, erros_m
    leitor = csv.DictReader(io.StringIO(texto), delimiter=";")
    obrigatorias = {"conta_contabil", "especificacao", "tipo_nivel", "natureza_informacao"}
    if leitor.fieldnames is None or not obrigatorias <= set(leitor.fieldnames):
        return None, [
            Erro(
                "PLANO-CABECALHO",
                "cabeçalho do balancete TCE-RS sem " + ", ".join(sorted(obrigatorias)),
                linha=1,
                origem=origem,
            )
        ]
    por_codigo: dict[str, _LinhaPlano] = {}
    com_fonte: set[str] = set()
    for n, r in enumerate(leitor, start=2 + pulos):
        codigo = (r["conta_contabil"] or "").strip()
        if codigo not in por_codigo:
            ln = _LinhaPlano(n, codigo, (r["especificacao"] or "").strip())
            esc = (r.get("escrituracao") or "").strip().upper()
            ln.escrituracao = esc == "S" if esc in ("S", "N") else r["tipo_nivel"].strip() == "A"
            ln.info = _NATUREZA_INFO.get(r["natureza_informacao"].strip().upper())
            ln.sup = (r.get("indicador_superavit_financeiro") or "").strip().upper() or None
            por_codigo[codigo] = ln
        if (r.get("recurso_vinculado") or "0000").strip().strip("0"):
            com_fonte.add(codigo)
    for codigo in com_fonte:
        ln = por_codigo[codigo]
        if ln.escrituracao:
            ln.cc = ("FR",)
    return _montar(nome, list(por_codigo.values()), origem, mascara)


def avisos_plano(plano: PlanoContas) -> list[Erro]:
    """Avisos (o plano é aceito): conta declarada analítica que tem contas abaixo.

    Sistemas de origem têm isso (o balancete do TCE-RS de referência traz dez):
    a conta recebe lançamentos e as de baixo também, e o total da superior soma
    todas. O erario aceita como declarado e avisa, em vez de tornar a conta
    sintética calado (docs/importacao.md)."""
    abaixo = filhas(plano)
    avisos = []
    for c in plano.contas.values():
        if c.analitica and c.codigo in abaixo:
            lista = abaixo[c.codigo]
            avisos.append(
                Erro(
                    "MIG-ANALITICA-COM-FILHAS",
                    f"conta {c.codigo} é analítica e tem contas abaixo "
                    f"({', '.join(lista[:3])}{' …' if len(lista) > 3 else ''}): recebe "
                    "lançamentos e o total da superior soma ela e as de baixo",
                    "ESCRITURAÇÃO",
                )
            )
    return avisos


def escrever_plano_csv(plano: PlanoContas) -> str:
    """CSV no padrão lido por ``ler_plano_csv`` (ida e volta sem perda)."""
    saida = io.StringIO()
    w = csv.writer(saida, delimiter=";", lineterminator="\n")
    w.writerow(COLUNAS)
    for c in plano.contas.values():
        w.writerow(
            [
                c.codigo,
                c.titulo,
                _NOME_NATUREZA_SALDO[c.natureza_saldo],
                c.superavit or "",
                c.natureza_informacao.value,
                "S" if c.analitica else "N",
                ",".join(c.conta_corrente),
                c.funcao,
            ]
        )
    return saida.getvalue()


def plano_base() -> PlanoContas:
    """Plano base do erario: PCASP Federação (dados em ``razao/dados``)."""
    texto = resources.files("erario.razao").joinpath("dados/pcasp_federacao.csv").read_text("utf-8")
    plano, erros = ler_plano_csv(texto, "PCASP", origem="pcasp_federacao.csv")
    if plano is None:  # dado empacotado inválido é defeito do erario, não do usuário
        raise RuntimeError("plano base inválido: " + "; ".join(str(e) for e in erros))
    return plano


def filhas(plano: PlanoContas) -> Mapping[str, list[str]]:
    """Conta → códigos das contas imediatamente inferiores."""
    saida: dict[str, list[str]] = {}
    for c in plano.contas.values():
        if c.pai:
            saida.setdefault(c.pai, []).append(c.codigo)
    return saida


def contas_analiticas(plano: PlanoContas) -> Iterable[Conta]:
    return (c for c in plano.contas.values() if c.analitica)
