"""Demonstrativo das receitas e despesas com ASPS no formato do RREO, Anexo 12
(LC 141/2012): base de cálculo, despesas com ASPS por subfunção, as despesas
com saúde não computadas, o total da função 10 e o percentual aplicado."""

from __future__ import annotations

from typing import Any, Final

from erario.relatorios.tabela import Coluna
from erario.siops.apuracao import PERCENTUAL_MINIMO, Apuracao
from erario.siops.recursos import NOME_LINHA_FONTE, SUBFUNCOES

COLUNAS: Final = (
    Coluna("item", "Item"),
    Coluna("inicial", "Previsão/dotação inicial", dinheiro=True, total=False),
    Coluna("atualizada", "Previsão/dotação atualizada", dinheiro=True, total=False),
    Coluna("realizada", "Receita realizada / despesa empenhada", dinheiro=True, total=False),
    Coluna("liquidada", "Despesa liquidada", dinheiro=True, total=False),
    Coluna("paga", "Despesa paga", dinheiro=True, total=False),
    Coluna("observacao", "Observação"),
)
Linha = tuple[Any, ...]  # item, cinco valores (centavos ou None) e observação


def _soma(ap: Apuracao, fontes: set[str], subfuncao: str | None = None) -> list[int]:
    v = [0] * 5
    for (f, s, _), x in ap.despesas.items():
        if f in fontes and subfuncao in (None, s):
            for i in range(5):
                v[i] += x[i]
    return v


def linhas(ap: Apuracao) -> list[Linha]:
    r0 = sum(r.previsao_inicial for r in ap.receitas)
    r1 = sum(r.previsao_atualizada for r in ap.receitas)
    r2 = sum(r.realizada for r in ap.receitas)
    ded = sum(r.deducoes for r in ap.receitas)
    fundeb = sum(r.deducao_fundeb for r in ap.receitas)
    fundeb_prev = sum(r.deducao_fundeb_prevista for r in ap.receitas)
    out: list[Linha] = [
        ("RECEITA TOTAL DO MUNICÍPIO", r0, r1, r2, None, None, ""),
        ("(−) Deduções da receita (exceto FUNDEB)", None, None, ded, None, None, ""),
        ("(−) Dedução para formação do FUNDEB", fundeb_prev, fundeb_prev, fundeb, None, None, ""),
        ("RECEITA LÍQUIDA", None, None, r2 - ded - fundeb, None, None, ""),
        ("BASE DE CÁLCULO DAS ASPS (impostos e transferências, LC 141/2012, art. 7º)",
         None, None, ap.base_asps, None, None, ""),
        ("DESPESAS COM ASPS (fonte Impostos — ASPS), por subfunção", None, None, None, None,
         None, ""),
    ]  # fmt: skip
    for sub, nome in SUBFUNCOES:
        v = _soma(ap, {"1"}, sub)
        if any(v):
            out.append((f"  {sub} — {nome}", *v, ""))
    asps = _soma(ap, {"1"})
    out.append(("TOTAL DAS DESPESAS COM ASPS", *asps, ""))
    out.append(("DESPESAS COM SAÚDE NÃO COMPUTADAS NAS ASPS", None, None, None, None, None, ""))
    for f, nome in NOME_LINHA_FONTE.items():
        if f == "1":
            continue
        v = _soma(ap, {f})
        if any(v):
            out.append((f"  {nome}", *v, ""))
    out.append(("TOTAL DAS DESPESAS COM SAÚDE (função 10)", *_soma(ap, set(NOME_LINHA_FONTE)), ""))
    for titulo, comp in (
        ("Compensação de RP cancelados (ASPS)", ap.compensacao_rp),
        ("Compensação de limite não cumprido", ap.compensacao_limite),
    ):
        for ano, exec_ in comp.items():
            out.append((f"{titulo} — {ano}", None, None, *exec_, ""))
    nomes = ("empenhada", "liquidada", "paga")
    for i, nome in enumerate(nomes):
        p = ap.percentual(i)
        if p is None:
            texto = "sem base de cálculo no período"
        else:
            texto = f"{str(p).replace('.', ',')}% " + (
                "(cumpre o mínimo de 15%)"
                if p >= PERCENTUAL_MINIMO
                else "(abaixo do mínimo de 15%)"
            )
        out.append(
            (f"PERCENTUAL APLICADO EM ASPS — despesa {nome}", None, None, None, None, None, texto)
        )
    return out
