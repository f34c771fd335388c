"""Propriedades das retenções gravadas, com sequências aleatórias de liquidações do
mesmo fornecedor no mês, pagamentos e estornos (SQLite, um banco por exemplo).

- o razão confere (``verificar``) e o caixa 1-1 termina zerado (entrada e saída
  imediatas);
- o INSS retido no mês nunca passa de 11% do teto (642,34) e, sem estornos no
  meio, é exatamente o INSS do total do mês; o IR é a tabela aplicada ao total
  menos o INSS;
- estornar tudo devolve cada saldo ao que era antes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.execucao.eventos import Liquidacao
from erario.razao.modelo import Entidade, TipoEntidade
from erario.razao.plano import plano_base
from erario.retencoes.cadastros import TetoINSS
from erario.retencoes.calculo import inss_do_mes, irrf_da_tabela
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl
from tests.test_retencoes_calculo import TABELA_2019
from tests.test_retencoes_registro import (
    BANCO,
    CAIXA,
    CREDOR,
    DB,
    DOT,
    PF,
    RETENCOES,
    _liquidacao,
)

TETO = TetoINSS(__import__("datetime").date(2026, 1, 1), 583_945)
# As faixas do manual, cadastradas com vigência 01/01/2026 (antes: "exercicio" 2026).
TABELA = TABELA_2019._replace(vigencia=TETO.data_inicial)
PREFIXOS = ("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.")


def _repo(pasta: str) -> Repositorio:
    engine = criar_engine(f"sqlite:///{Path(pasta) / 'r.db'}")
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    repo.gravar_plano(plano_base())
    repo.criar_entidade(
        Entidade(
            "prefeitura",
            "Prefeitura",
            "11222333000181",
            TipoEntidade.PREFEITURA,
            "4312658",
            "10131",
        )
    )
    repo.abrir_exercicio("prefeitura", 2026, usuario="teste")
    repo.registrar_cadastros([json.dumps(c) for c in (CREDOR, BANCO, CAIXA)])
    repo.registrar_retencoes([json.dumps(r) for r in RETENCOES])
    _tentar(
        repo,
        {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT,
         "fonte": "1500", "valor": "100000.00"},
        {"tipo": "empenho", "id": "E1", "data": "2026-03-01", "dotacao": DOT, "fonte": "1500",
         "credor": PF, "valor": "90000.00"},
    )  # fmt: skip
    return repo


def _tentar(repo: Repositorio, *eventos: dict[str, object]) -> bool:
    itens, erros = ler_eventos_jsonl(jsonl(*eventos))
    assert erros == []
    try:
        repo.registrar_eventos(itens)
    except OperacaoRecusada:
        return False
    return True


ACOES = st.lists(
    st.one_of(
        st.tuples(st.just("liq"), st.integers(50_000, 900_000)),
        st.tuples(st.just("pag"), st.integers(0, 9)),
        st.tuples(st.just("est"), st.integers(0, 9)),
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=12, deadline=None)
@given(ACOES)
def test_sequencias_de_liquidacoes_com_retencao(acoes: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as pasta:
        repo = _repo(pasta)
        base = {k: v for k, v in repo.saldos_execucao("prefeitura", PREFIXOS).items() if v}
        liqs: list[str] = []
        pags: list[str] = []
        houve_estorno = False
        for n, (acao, x) in enumerate(acoes):
            if acao == "liq":
                valor = f"{x // 100}.{x % 100:02d}"
                if _tentar(repo, _liquidacao(f"L{n}", "10", valor=valor)):
                    liqs.append(f"L{n}")
            elif acao == "pag" and liqs:
                liq = liqs[x % len(liqs)]
                controle = repo.controle()
                a_pagar = controle.liquidacoes[("prefeitura", liq)].a_pagar
                if a_pagar > 0:
                    valor = f"{a_pagar // 100}.{a_pagar % 100:02d}"
                    if _tentar(
                        repo,
                        {"tipo": "pagamento", "id": f"P{n}", "data": "2026-03-20",
                         "liquidacao": liq, "valor": valor, "conta_bancaria": DB},
                    ):  # fmt: skip
                        pags.append(f"P{n}")
            elif acao == "est" and (pags or liqs):
                alvo = (pags or liqs)[-1]
                if _tentar(
                    repo, {"tipo": "estorno", "id": f"X{n}", "data": "2026-03-21", "evento": alvo}
                ):
                    houve_estorno = True
                    (pags if pags else liqs).remove(alvo)
        assert repo.verificar() == []
        assert sum(repo.saldos_execucao("prefeitura", ("1.1.1.1.1.01.",)).values()) == 0
        controle = repo.controle()
        vivas = [
            ev
            for (_, c), ev in controle.eventos.items()
            if isinstance(ev, Liquidacao) and ("prefeitura", c) not in controle.estornados
        ]
        total = sum(ev.valor for ev in vivas)
        inss = sum(v for ev in vivas for d, _, v in ev.descontos if d == 451)
        ir = sum(v for ev in vivas for d, _, v in ev.descontos if d == 100)
        assert inss <= 64_234  # 11% de 5.839,45, arredondado
        if not houve_estorno:
            assert inss == inss_do_mes(total, TETO)
            assert ir == irrf_da_tabela(TABELA, total - inss)
        # estornar tudo (pagamentos antes das liquidações) devolve todos os saldos
        for k, alvo in enumerate([*reversed(pags), *reversed(liqs)]):
            assert _tentar(
                repo, {"tipo": "estorno", "id": f"Z{k}", "data": "2026-03-31", "evento": alvo}
            )
        depois = {k: v for k, v in repo.saldos_execucao("prefeitura", PREFIXOS).items() if v}
        assert depois == base
        repo.engine.dispose()
