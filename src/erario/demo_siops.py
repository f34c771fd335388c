"""Município de exemplo, parte da saúde: o Fundo Municipal de Saúde (órgão 08,
unidade 01 da Prefeitura) para o SIOPS (docs/siops.md).

Dotações da função 10 em três fontes (1500 impostos — ASPS; 1600 SUS União;
1621 SUS Estado) e cinco subfunções (122, 301, 302, 303, 305); transferências
do SUS da União (uma delas COVID-19, Portaria MS 774/2020) e do Estado; um
empenho COVID-19 na vigilância epidemiológica; restos a pagar inscritos no
encerramento de 2026 (processados no 301, não processados no 302) e pagos ou
cancelados em 2027; as equivalências do SIOPS confirmadas nos dois exercícios.

Números (conferidos em tests/test_siops_demo.py), em R$:
- 2026: empenhado 435.000,00 (ASPS 180.000,00), liquidado 385.000,00, pago
  365.000,00; inscritos 20.000,00 processados (ASPS) e 50.000,00 não processados
  (SUS União);
- 2027, 1º bimestre: RP processados pagos 20.000,00; não processados pagos
  40.000,00 e cancelados 10.000,00.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from erario.execucao.carga import evento_de_dict
from erario.execucao.eventos import EncerramentoExercicio
from erario.siops import apuracao, equivalencias
from erario.siops import marcas as mc
from erario.storage import siops as st
from erario.storage.repositorio import Repositorio

BANCO = "1.1.1.1.1.19.00"
CAIXA_SUS = "001-3456-654321"  # conta do Fundo Municipal de Saúde (demo.CONTAS_BANCARIAS)
CAIXA_TESOURO = "001-3456-123456"
FORNECEDORES = "2.1.3.1.1.01.01"
SERVICOS_PJ = "3.3.2.3.1.99.00"
FARMACOS = "3.3.1.1.1.08.00"
TRANSFERENCIAS = "4.5.2.1.3.02.00"
CREDOR_HOSPITAL = "12345678000195"
NR_SUS_UNIAO = "17135001"  # transferências de recursos do SUS — União (bloco de manutenção)
NR_SUS_ESTADO = "17235001"  # transferências de recursos do SUS — Estado

# (id, subfunção, ação, natureza, fonte, valor)
DOTACOES = (
    ("SAU-122", "122", "2034", "33903900", "1500", "200000.00"),
    ("SAU-301", "301", "2030", "33903900", "1500", "300000.00"),
    ("SAU-302", "302", "2031", "33903900", "1600", "500000.00"),
    ("SAU-303", "303", "2032", "33903000", "1621", "80000.00"),
    ("SAU-305", "305", "2033", "33903900", "1600", "40000.00"),
)


def dotacao(subfuncao: str, acao: str, natureza: str) -> str:
    return f"0801.10.{subfuncao}.0020.{acao}.{natureza}"


def _cadastros() -> Iterator[dict[str, object]]:
    base = {"entidade": "prefeitura"}
    yield {"cadastro": "orgao", **base, "codigo": "08", "nome": "Secretaria Municipal de Saúde"}
    yield {"cadastro": "unidade", **base, "orgao": "08", "codigo": "01",
           "nome": "Fundo Municipal de Saúde"}  # fmt: skip
    yield {"cadastro": "programa", **base, "codigo": "0020", "nome": "Saúde para Todos"}
    for codigo, nome in (
        ("2030", "Atenção Básica"),
        ("2031", "Assistência Hospitalar e Ambulatorial"),
        ("2032", "Assistência Farmacêutica"),
        ("2033", "Vigilância Epidemiológica"),
        ("2034", "Gestão do Fundo Municipal de Saúde"),
    ):
        yield {"cadastro": "acao", **base, "codigo": codigo, "nome": nome}


def _banco(conta: str) -> dict[str, str]:
    return {"conta_banco": BANCO, "domicilio": conta}


def _execucao(ano: int, sub: str, numero: str, valor: str, liquidado: str,
              pago: str, mes: int, **extra: Any) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Empenho, liquidação e pagamento no mês ``mes``."""
    _, subf, acao, natureza, fonte, _ = next(d for d in DOTACOES if d[1] == sub)
    conta = CAIXA_TESOURO if fonte == "1500" else CAIXA_SUS
    yield {"tipo": "empenho", "id": f"EMP-{numero}", "data": f"{ano}-{mes:02d}-03",
           "dotacao": dotacao(subf, acao, natureza), "fonte": fonte,
           "credor": CREDOR_HOSPITAL, "valor": valor, **extra}  # fmt: skip
    vpd = FARMACOS if natureza == "33903000" else SERVICOS_PJ
    yield {"tipo": "liquidacao", "id": f"LIQ-{numero}", "data": f"{ano}-{mes:02d}-18",
           "empenho": f"EMP-{numero}", "valor": liquidado, "conta_vpd": vpd,
           "conta_passivo": FORNECEDORES, "documento": f"NF {numero}"}  # fmt: skip
    yield {"tipo": "pagamento", "id": f"PAG-{numero}", "data": f"{ano}-{mes:02d}-25",
           "liquidacao": f"LIQ-{numero}", "valor": pago, **_banco(conta)}  # fmt: skip


def eventos_2026(ano: int) -> Iterator[dict[str, Any]]:
    lo = f"{ano}-01-02"
    for id_, sub, acao, natureza, fonte, valor in DOTACOES:
        yield {"tipo": "dotacao_inicial", "id": f"LOA-{id_}", "data": lo,
               "dotacao": dotacao(sub, acao, natureza), "fonte": fonte, "valor": valor}  # fmt: skip
    yield {"tipo": "previsao_receita", "id": "LOA-SUS-U", "data": lo,
           "natureza_receita": NR_SUS_UNIAO, "fonte": "1600", "valor": "600000.00"}  # fmt: skip
    yield {"tipo": "previsao_receita", "id": "LOA-SUS-E", "data": lo,
           "natureza_receita": NR_SUS_ESTADO, "fonte": "1621", "valor": "100000.00"}  # fmt: skip
    rec = {"tipo": "arrecadacao", "natureza_receita": NR_SUS_UNIAO, "fonte": "1600",
           "conta_vpa": TRANSFERENCIAS, **_banco(CAIXA_SUS)}  # fmt: skip
    yield {**rec, "id": "SUS-U-02", "data": f"{ano}-02-10", "valor": "150000.00"}
    # COVID-19: FNS, bloco de custeio, Portaria MS 774/2020 (linha 9999999004 do guia)
    yield {**rec, "id": "SUS-U-COVID", "data": f"{ano}-02-20", "valor": "30000.00",
           "propriedades": {"COVID": "sim", "COVID SIOPS Rec": "004"}}  # fmt: skip
    yield {**rec, "id": "SUS-U-06", "data": f"{ano}-06-10", "valor": "150000.00"}
    yield {**rec, "id": "SUS-E-03", "data": f"{ano}-03-15", "valor": "40000.00",
           "natureza_receita": NR_SUS_ESTADO, "fonte": "1621"}  # fmt: skip
    yield from _execucao(ano, "122", "S122", "60000.00", "60000.00", "60000.00", 1)
    # 301 (ASPS): 20.000,00 liquidados e não pagos → RP processados
    yield from _execucao(ano, "301", "S301", "120000.00", "120000.00", "100000.00", 2)
    # 302 (SUS União): 50.000,00 não liquidados → RP não processados
    yield from _execucao(ano, "302", "S302", "200000.00", "150000.00", "150000.00", 2)
    yield from _execucao(ano, "303", "S303", "30000.00", "30000.00", "30000.00", 3)
    yield from _execucao(ano, "305", "S305", "25000.00", "25000.00", "25000.00", 2,
                         propriedades={"COVID": "sim"})  # fmt: skip


def eventos_2027(ano: int) -> Iterator[dict[str, Any]]:
    """Restos a pagar de 2026 executados no 1º bimestre de 2027."""
    seguinte = ano + 1
    yield {"tipo": "pagamento", "id": "PAG-RP-S301", "data": f"{seguinte}-01-20",
           "liquidacao": "LIQ-S301", "valor": "20000.00", **_banco(CAIXA_TESOURO)}  # fmt: skip
    yield {"tipo": "liquidacao", "id": "LIQ-RP-S302", "data": f"{seguinte}-02-05",
           "empenho": "EMP-S302", "valor": "40000.00", "conta_vpd": SERVICOS_PJ,
           "conta_passivo": FORNECEDORES, "documento": "NF S302-2"}  # fmt: skip
    yield {"tipo": "pagamento", "id": "PAG-RP-S302", "data": f"{seguinte}-02-15",
           "liquidacao": "LIQ-RP-S302", "valor": "40000.00", **_banco(CAIXA_SUS)}  # fmt: skip
    yield {"tipo": "cancelamento_restos_a_pagar", "id": "CANC-RP-S302",
           "data": f"{seguinte}-02-10", "empenho": "EMP-S302", "valor": "10000.00"}  # fmt: skip


def _evento(d: dict[str, Any]) -> Any:
    ev, erros = evento_de_dict({"entidade": "prefeitura", **d})
    assert ev is not None, erros  # dados fixos do demo
    return ev


def com_saude(repo: Repositorio, ano: int, itens: list[tuple[None, Any]]) -> list[tuple[None, Any]]:
    """Os eventos do demo com os da saúde: os de ``ano`` antes do encerramento, os
    do ano seguinte depois dele; grava cadastros, equivalências e marcas."""
    repo.registrar_cadastros([json.dumps(c) for c in _cadastros()], "demo")
    antes = [(None, _evento(d)) for d in eventos_2026(ano)]
    depois = [(None, _evento(d)) for d in eventos_2027(ano)]
    i = next(
        (n for n, (_, ev) in enumerate(itens) if isinstance(ev, EncerramentoExercicio)), len(itens)
    )
    todos = [*itens[:i], *antes, *itens[i:], *depois]
    evs = [ev for _, ev in todos]
    for exercicio in (ano, ano + 1):
        nec = apuracao.necessarias(exercicio, evs)
        # Disponibilidade: a conta movimento (ativo) e as fontes que ela movimenta.
        nec[equivalencias.TipoEquivalencia.CONTA] = {BANCO}
        prefixo = "1" if exercicio == ano else "2"
        nec[equivalencias.TipoEquivalencia.RECURSO] |= {
            prefixo + f for f in ("500", "600", "621")
        } | {"1500", "1600", "1621"}
        eqs = equivalencias.completar(nec, [])
        st.gravar_equivalencias(repo, "prefeitura", exercicio, equivalencias.confirmar_todas(eqs))
    st.gravar_marcas(
        repo,
        "prefeitura",
        ano,
        [mc.marca(mc.Alvo.DOTACAO, dotacao("122", "2034", "33903900"), "TIPO_ASPS", "gestao")],
    )
    return todos
