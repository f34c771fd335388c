#!/usr/bin/env python3
"""Confere o plano base PCASP Federação (``src/erario/razao/dados/pcasp_federacao.csv``).

Uso: ``python3 tools/checar_pcasp.py [caminho.csv]``

Só usa a biblioteca padrão. Confere:
- cabeçalho exato e 8 colunas por linha;
- códigos únicos, na máscara de 7 níveis ``X.X.X.X.X.XX.XX`` e em ordem crescente;
- conta superior presente para toda conta que não é classe;
- ESCRITURAÇÃO coerente com a árvore (N se tem filhas, S se é folha);
- NATUREZA DA INFORMAÇÃO coerente com a classe (1–4 P, 5–6 O, 7–8 C);
- valores permitidos nas colunas enumeradas (natureza do saldo, indicador do
  superávit, escrituração, conta corrente) e título não vazio, em maiúsculas;
- presença das 8 classes e de todos os grupos (2º nível) de cada classe.

Imprime a contagem por classe e ``OK`` ou a lista de problemas (código de saída 1).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

CABECALHO = [
    "CONTA",
    "TÍTULO",
    "NATUREZA DO SALDO",
    "INDICADOR DO SUPERÁVIT FINANCEIRO",
    "NATUREZA DA INFORMAÇÃO",
    "ESCRITURAÇÃO",
    "CONTA CORRENTE",
    "FUNÇÃO",
]
MASCARA = re.compile(r"^[1-8]\.\d\.\d\.\d\.\d\.\d{2}\.\d{2}$")
NATUREZAS_SALDO = {"Devedora", "Credora", "Devedora/Credora"}
SUPERAVIT = {"F", "P", "X"}
ESCRITURACAO = {"S", "N"}
CONTA_CORRENTE = {"FR", "FP", "NR", "ND", "FS", "AI", "PO", "DC", "CO", "DO", "CR", "DB"}
INFO_DA_CLASSE = {1: "P", 2: "P", 3: "P", 4: "P", 5: "O", 6: "O", 7: "C", 8: "C"}
NOME_CLASSE = {
    1: "ATIVO",
    2: "PASSIVO E PATRIMÔNIO LÍQUIDO",
    3: "VARIAÇÃO PATRIMONIAL DIMINUTIVA",
    4: "VARIAÇÃO PATRIMONIAL AUMENTATIVA",
    5: "CONTROLES DA APROVAÇÃO DO PLANEJAMENTO E ORÇAMENTO",
    6: "CONTROLES DA EXECUÇÃO DO PLANEJAMENTO E ORÇAMENTO",
    7: "CONTROLES DEVEDORES",
    8: "CONTROLES CREDORES",
}
# Grupos (2º nível) do PCASP Federação, por classe.
GRUPOS = {
    1: {1, 2},
    2: {1, 2, 3},
    3: {1, 2, 3, 4, 5, 6, 7, 8, 9},
    4: {1, 2, 3, 4, 5, 6, 9},
    5: {1, 2, 3},
    6: {1, 2, 3},
    7: {1, 2, 3, 4, 5, 8, 9},
    8: {1, 2, 3, 4, 5, 8, 9},
}

PADRAO = Path(__file__).resolve().parents[1] / "src/erario/razao/dados/pcasp_federacao.csv"


def segmentos(codigo: str) -> list[int]:
    return [int(s) for s in codigo.split(".")]


def nivel(codigo: str) -> int:
    """Posição do último segmento não nulo (1 = classe ... 7 = subitem)."""
    segs = segmentos(codigo)
    return max(i for i, s in enumerate(segs) if s) + 1


def superior(codigo: str, existentes: set[str]) -> str | None:
    """Conta superior: zera o último segmento não nulo até achar uma conta existente."""
    partes = codigo.split(".")
    while True:
        nao_nulos = [i for i, p in enumerate(partes) if int(p)]
        if len(nao_nulos) <= 1:
            return None
        i = nao_nulos[-1]
        partes[i] = "0" * len(partes[i])
        candidato = ".".join(partes)
        if candidato in existentes:
            return candidato


def checar(caminho: Path) -> tuple[list[str], list[list[str]]]:
    problemas: list[str] = []
    try:
        texto = caminho.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return [f"não foi possível ler {caminho}: {e}"], []
    linhas = list(csv.reader(texto.splitlines(), delimiter=";"))
    if not linhas:
        return ["arquivo vazio"], []
    if linhas[0] != CABECALHO:
        problemas.append(f"linha 1: cabeçalho diferente do esperado: {';'.join(linhas[0])!r}")

    contas: list[list[str]] = []
    vistos: dict[str, int] = {}
    for n, campos in enumerate(linhas[1:], start=2):
        if len(campos) != len(CABECALHO):
            problemas.append(f"linha {n}: {len(campos)} colunas (esperado {len(CABECALHO)})")
            continue
        codigo = campos[0]
        if not MASCARA.match(codigo):
            problemas.append(f"linha {n}: código {codigo!r} fora da máscara X.X.X.X.X.XX.XX")
            continue
        if codigo in vistos:
            problemas.append(f"linha {n}: código {codigo} repetido (linha {vistos[codigo]})")
            continue
        vistos[codigo] = n
        contas.append(campos)

    codigos = [c[0] for c in contas]
    if codigos != sorted(codigos, key=segmentos):
        problemas.append("as contas não estão em ordem crescente de código")

    existentes = set(codigos)
    com_filhas: set[str] = set()
    for c in codigos:
        if nivel(c) > 1:
            pai = superior(c, existentes)
            if pai is None:
                problemas.append(f"{c}: conta superior ausente")
            else:
                com_filhas.add(pai)

    for campos in contas:
        codigo, titulo, saldo, sup, info, esc, cc, _funcao = campos
        classe = int(codigo[0])
        if not titulo.strip():
            problemas.append(f"{codigo}: título vazio")
        elif titulo != titulo.upper():
            problemas.append(f"{codigo}: título fora de maiúsculas: {titulo!r}")
        if saldo not in NATUREZAS_SALDO:
            problemas.append(f"{codigo}: natureza do saldo {saldo!r} inválida")
        if classe in (1, 2):
            if sup not in SUPERAVIT:
                problemas.append(f"{codigo}: indicador do superávit {sup!r} inválido (use F, P ou X)")
        elif sup:
            problemas.append(f"{codigo}: indicador do superávit deve ser vazio na classe {classe}")
        if info != INFO_DA_CLASSE[classe]:
            problemas.append(
                f"{codigo}: natureza da informação {info!r} não corresponde à classe {classe}"
                f" (esperado {INFO_DA_CLASSE[classe]})"
            )
        if esc not in ESCRITURACAO:
            problemas.append(f"{codigo}: escrituração {esc!r} inválida (use S ou N)")
        elif esc == "N" and codigo not in com_filhas:
            problemas.append(f"{codigo}: escrituração N mas a conta não tem contas inferiores")
        elif esc == "S" and codigo in com_filhas:
            problemas.append(f"{codigo}: escrituração S mas a conta tem contas inferiores")
        if cc:
            tipos = cc.split(",")
            invalidos = [t for t in tipos if t not in CONTA_CORRENTE]
            if invalidos:
                problemas.append(f"{codigo}: conta corrente desconhecida: {','.join(invalidos)}")
            if len(set(tipos)) != len(tipos):
                problemas.append(f"{codigo}: conta corrente repetida: {cc}")
            if esc == "N":
                problemas.append(f"{codigo}: conta sintética não deve ter conta corrente ({cc})")

    for classe, grupos in GRUPOS.items():
        raiz = f"{classe}.0.0.0.0.00.00"
        if raiz not in existentes:
            problemas.append(f"classe {classe} ({NOME_CLASSE[classe]}) ausente")
        for g in sorted(grupos):
            codigo_grupo = f"{classe}.{g}.0.0.0.00.00"
            if codigo_grupo not in existentes:
                problemas.append(f"grupo {codigo_grupo} ausente")
    return problemas, contas


def main(argv: list[str]) -> int:
    caminho = Path(argv[1]) if len(argv) > 1 else PADRAO
    problemas, contas = checar(caminho)
    total = Counter(int(c[0][0]) for c in contas)
    analiticas = Counter(int(c[0][0]) for c in contas if c[5] == "S")
    print(f"{caminho}")
    print(f"{'classe':<8}{'contas':>8}{'analíticas':>12}  título")
    for classe in range(1, 9):
        print(f"{classe:<8}{total[classe]:>8}{analiticas[classe]:>12}  {NOME_CLASSE[classe]}")
    print(f"{'total':<8}{sum(total.values()):>8}{sum(analiticas.values()):>12}")
    if problemas:
        print(f"\n{len(problemas)} problema(s):")
        for p in problemas:
            print(f"  - {p}")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
