"""Saldos mensais (linhas densas com acumulados) e balancete de verificação, puros."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erario.razao.balancete import (
    Balancete,
    LinhaBalancete,
    SaldoPeriodo,
    TotalNatureza,
    analiticos,
    conferir_balancete,
    montar_balancete,
)
from erario.razao.modelo import PlanoContas
from erario.razao.plano import ler_plano_csv
from erario.razao.saldos import (
    ChaveSaldo,
    LinhaSaldo,
    Movimentos,
    MovimentosPorPeriodo,
    PartidaRazao,
    acumular,
    linhas_de_movimentos,
    linhas_por_periodo,
    saldos_do_razao,
)
from tests.conftest import PLANO_TESTE

CAIXA = "1.1.1.1.1.01.00"
IMOBILIZADO = "1.2.3.0.0.00.00"
RESULTADOS = "2.3.7.0.0.00.00"
VPD = "3.3.0.0.0.00.00"
VPA = "4.1.0.0.0.00.00"
FIXACAO = "5.2.2.0.0.00.00"
EXECUCAO = "6.2.2.0.0.00.00"

# ------------------------------------------------------------------- saldos


def test_linhas_densas_com_acumulados() -> None:
    a = ChaveSaldo(1, 2026, "C", 10, "FR=1500")
    b = ChaveSaldo(1, 2026, "C", 11, "")
    movimentos: Movimentos = {}
    acumular(movimentos, a, 3, "D", 10000)
    acumular(movimentos, a, 3, "D", 500)  # soma no mesmo período
    acumular(movimentos, a, 5, "C", 3000)
    acumular(movimentos, a, 13, "C", 7500)
    acumular(movimentos, b, 0, "D", 5000)
    acumular(movimentos, b, 0, "C", 2000)
    assert movimentos == {a: {3: [10500, 0], 5: [0, 3000], 13: [0, 7500]}, b: {0: [5000, 2000]}}

    linhas = linhas_de_movimentos(movimentos)
    da = [ln for ln in linhas if ln.conta_id == 10]
    db = [ln for ln in linhas if ln.conta_id == 11]
    # a: do período 3 (primeiro movimento) ao 13 → 11 linhas; b: de 0 a 13 → 14.
    assert [ln.periodo for ln in da] == list(range(3, 14))
    assert [ln.periodo for ln in db] == list(range(14))
    assert len(linhas) == 25

    def ln(p: int, dm: int, cm: int, da_: int, ca: int) -> LinhaSaldo:
        return LinhaSaldo(1, 2026, "C", p, 10, "FR=1500", dm, cm, da_, ca)

    # Acumulados à mão: D 105,00 no período 3; C 30,00 no 5; C 75,00 no 13.
    assert da == [
        ln(3, 10500, 0, 10500, 0),
        ln(4, 0, 0, 10500, 0),
        ln(5, 0, 3000, 10500, 3000),
        *(ln(p, 0, 0, 10500, 3000) for p in range(6, 13)),
        ln(13, 0, 7500, 10500, 10500),
    ]
    assert db[0] == LinhaSaldo(1, 2026, "C", 0, 11, "", 5000, 2000, 5000, 2000)
    assert all(x[6:] == (0, 0, 5000, 2000) for x in db[1:])


def test_saldos_do_razao() -> None:
    partidas = [
        PartidaRazao(1, 2026, "C", 1, 10, "", "D", 100),
        PartidaRazao(1, 2026, "C", 12, 10, "", "C", 40),
        PartidaRazao(1, 2026, "C", 1, 10, "", "D", 1),
        PartidaRazao(2, 2026, "C", 12, 10, "", "C", 7),  # outra entidade: outra chave
    ]
    linhas = saldos_do_razao(partidas)
    assert [x for x in linhas if x.entidade_id == 1] == [
        LinhaSaldo(1, 2026, "C", 1, 10, "", 101, 0, 101, 0),
        *(LinhaSaldo(1, 2026, "C", p, 10, "", 0, 0, 101, 0) for p in range(2, 12)),
        LinhaSaldo(1, 2026, "C", 12, 10, "", 0, 40, 101, 40),
        LinhaSaldo(1, 2026, "C", 13, 10, "", 0, 0, 101, 40),
    ]
    assert [x for x in linhas if x.entidade_id == 2] == [
        LinhaSaldo(2, 2026, "C", 12, 10, "", 0, 7, 0, 7),
        LinhaSaldo(2, 2026, "C", 13, 10, "", 0, 0, 0, 7),
    ]
    assert saldos_do_razao([]) == []


def test_incremento_sobre_linhas_existentes_da_o_mesmo() -> None:
    # Aplicar as linhas de dois lotes somando (como o upsert) dá o mesmo que
    # recalcular tudo junto, mesmo com o segundo lote começando antes.
    k = ChaveSaldo(1, 2026, "C", 10, "")
    m1: Movimentos = {}
    acumular(m1, k, 5, "D", 100)
    m2: Movimentos = {}
    acumular(m2, k, 2, "C", 30)
    acumular(m2, k, 9, "D", 1)
    soma: dict[int, list[int]] = {}
    for x in linhas_de_movimentos(m1) + linhas_de_movimentos(m2):
        s = soma.setdefault(x.periodo, [0, 0, 0, 0])
        for i, v in enumerate(x[6:]):
            s[i] += v
    juntos: Movimentos = {}
    for p, dc, v in [(5, "D", 100), (2, "C", 30), (9, "D", 1)]:
        acumular(juntos, k, p, dc, v)
    assert {x.periodo: list(x[6:]) for x in linhas_de_movimentos(juntos)} == soma
    assert soma[4] == [0, 0, 0, 30]
    assert soma[13] == [0, 0, 101, 30]


# ---------------------------------------------------------------- balancete


@pytest.fixture(scope="module")
def plano() -> PlanoContas:
    p, erros = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert p is not None, erros
    return p


def densas(conta: str, cc: str, movimentos: dict[int, tuple[int, int]]) -> list[SaldoPeriodo]:
    """Linhas densas (do primeiro período movimentado ao 13), acumuladas à mão."""
    saida = []
    d_acum = c_acum = 0
    for p in range(min(movimentos), 14):
        d, c = movimentos.get(p, (0, 0))
        d_acum += d
        c_acum += c
        saida.append(SaldoPeriodo(conta, cc, p, d, c, d_acum, c_acum))
    return saida


# Cenário (centavos) de uma entidade:
#   período 0  (abertura): D caixa/FR1500 1.000,00; C resultados 1.000,00
#   período 1:  D imobilizado 300,00; C caixa/FR1500 300,00
#   período 2:  D caixa/FR1500 200,00; C VPA 200,00
#               D fixação/FR1500 500,00; C execução/FR1500 500,00
#   período 3:  D VPD 50,00; C caixa/FR1700 50,00
#   período 13 (encerramento): D VPA 200,00; C VPD 50,00; C resultados 150,00
SALDOS = [
    *densas(CAIXA, "FR=1500", {0: (100000, 0), 1: (0, 30000), 2: (20000, 0)}),
    *densas(CAIXA, "FR=1700", {3: (0, 5000)}),
    *densas(RESULTADOS, "", {0: (0, 100000), 13: (0, 15000)}),
    *densas(IMOBILIZADO, "", {1: (30000, 0)}),
    *densas(VPA, "", {2: (0, 20000), 13: (20000, 0)}),
    *densas(FIXACAO, "FR=1500", {2: (50000, 0)}),
    *densas(EXECUCAO, "FR=1500", {2: (0, 50000)}),
    *densas(VPD, "", {3: (5000, 0), 13: (0, 5000)}),
]


def montar(plano: PlanoContas, inicio: int, fim: int, **kw: object) -> Balancete:
    return montar_balancete(
        plano, SALDOS, entidades=("prefeitura",), ano=2026, inicio=inicio, fim=fim, **kw
    )  # type: ignore[arg-type]


def figuras(b: Balancete) -> dict[str, tuple[int, int, int, int]]:
    return {
        ln.codigo: (ln.anterior, ln.debitos, ln.creditos, ln.atual)
        for ln in b.linhas
        if not ln.conta_corrente
    }


def test_balancete_janeiro(plano: PlanoContas) -> None:
    b = montar(plano, 1, 1)
    assert (b.entidades, b.ano, b.periodo_inicial, b.periodo_final) == (("prefeitura",), 2026, 1, 1)
    # Anterior = abertura (período 0). VPA/fixação/execução/VPD só se movem depois.
    assert figuras(b) == {
        "1.0.0.0.0.00.00": (100000, 30000, 30000, 100000),
        "1.1.0.0.0.00.00": (100000, 0, 30000, 70000),
        "1.1.1.0.0.00.00": (100000, 0, 30000, 70000),
        "1.1.1.1.0.00.00": (100000, 0, 30000, 70000),
        "1.1.1.1.1.00.00": (100000, 0, 30000, 70000),
        CAIXA: (100000, 0, 30000, 70000),
        "1.2.0.0.0.00.00": (0, 30000, 0, 30000),
        IMOBILIZADO: (0, 30000, 0, 30000),
        "2.0.0.0.0.00.00": (-100000, 0, 0, -100000),
        "2.3.0.0.0.00.00": (-100000, 0, 0, -100000),
        RESULTADOS: (-100000, 0, 0, -100000),
    }
    # Patrimonial: devedores 700,00 (caixa) + 300,00 (imobilizado) = 1.000,00 = credores.
    assert b.totais == (TotalNatureza("P", 100000, 100000, 30000, 30000),)
    assert (b.total_debitos, b.total_creditos) == (30000, 30000)
    assert conferir_balancete(b) == []


def test_balancete_fevereiro_a_marco(plano: PlanoContas) -> None:
    b = montar(plano, 2, 3)
    f = figuras(b)
    # Caixa: anterior 1.000,00 − 300,00 = 700,00; FR1500 +200,00; FR1700 −50,00.
    assert f[CAIXA] == (70000, 20000, 5000, 85000)
    assert f["1.0.0.0.0.00.00"] == (100000, 20000, 5000, 115000)  # caixa + imobilizado
    assert f[IMOBILIZADO] == (30000, 0, 0, 30000)
    assert f[RESULTADOS] == (-100000, 0, 0, -100000)
    assert f[VPD] == (0, 5000, 0, 5000)
    assert f["3.0.0.0.0.00.00"] == (0, 5000, 0, 5000)
    assert f[VPA] == (0, 0, 20000, -20000)
    assert f[FIXACAO] == (0, 50000, 0, 50000)
    assert f["5.2.0.0.0.00.00"] == (0, 50000, 0, 50000)
    assert f[EXECUCAO] == (0, 0, 50000, -50000)
    assert f["6.0.0.0.0.00.00"] == (0, 0, 50000, -50000)
    assert len(f) == 21  # classe 1: 8 linhas; 2: 3; 3: 2; 4: 2; 5: 3; 6: 3
    # Totais sobre o saldo líquido de cada conta analítica: devedores caixa 850,00 +
    # imobilizado 300,00 + VPD 50,00 = 1.200,00; credores resultados 1.000,00 +
    # VPA 200,00 = 1.200,00 (o −50,00 da FR1700 se compensa dentro da caixa).
    assert b.totais == (
        TotalNatureza("P", 120000, 120000, 25000, 25000),
        TotalNatureza("O", 50000, 50000, 50000, 50000),
    )
    assert conferir_balancete(b) == []


def test_balancete_abertura(plano: PlanoContas) -> None:
    b = montar(plano, 0, 0)
    assert figuras(b) == {
        "1.0.0.0.0.00.00": (0, 100000, 0, 100000),
        "1.1.0.0.0.00.00": (0, 100000, 0, 100000),
        "1.1.1.0.0.00.00": (0, 100000, 0, 100000),
        "1.1.1.1.0.00.00": (0, 100000, 0, 100000),
        "1.1.1.1.1.00.00": (0, 100000, 0, 100000),
        CAIXA: (0, 100000, 0, 100000),
        "2.0.0.0.0.00.00": (0, 0, 100000, -100000),
        "2.3.0.0.0.00.00": (0, 0, 100000, -100000),
        RESULTADOS: (0, 0, 100000, -100000),
    }
    assert b.totais == (TotalNatureza("P", 100000, 100000, 100000, 100000),)


def test_balancete_exercicio_com_encerramento(plano: PlanoContas) -> None:
    b = montar(plano, 1, 13)
    f = figuras(b)
    assert f[CAIXA] == (100000, 20000, 35000, 85000)
    assert f[RESULTADOS] == (-100000, 0, 15000, -115000)
    assert f[VPD] == (0, 5000, 5000, 0)  # encerrada: movimento sem saldo
    assert f[VPA] == (0, 20000, 20000, 0)
    assert f["4.0.0.0.0.00.00"] == (0, 20000, 20000, 0)
    assert f[FIXACAO] == (0, 50000, 0, 50000)
    # Débitos P: 200 + 300 + 50 + 200 = 750,00; créditos P: 350 + 150 + 50 + 200 = 750,00.
    # Saldos P por conta: devedores caixa 850 + imobilizado 300 = 1.150,00; credores 1.150,00.
    assert b.totais == (
        TotalNatureza("P", 115000, 115000, 75000, 75000),
        TotalNatureza("O", 50000, 50000, 50000, 50000),
    )
    assert conferir_balancete(b) == []


def test_balancete_so_encerramento(plano: PlanoContas) -> None:
    f = figuras(montar(plano, 13, 13))
    assert f[VPA] == (-20000, 20000, 0, 0)
    assert f[VPD] == (5000, 0, 5000, 0)
    assert f[RESULTADOS] == (-100000, 0, 15000, -115000)
    assert f[IMOBILIZADO] == (30000, 0, 0, 30000)


def test_linhas_por_conta_corrente(plano: PlanoContas) -> None:
    b = montar(plano, 2, 3, por_conta_corrente=True)
    assert b.por_conta_corrente
    i = next(i for i, ln in enumerate(b.linhas) if ln.codigo == CAIXA)
    caixa = b.linhas[i : i + 3]
    assert [
        (ln.codigo, ln.conta_corrente, ln.anterior, ln.debitos, ln.creditos, ln.atual)
        for ln in caixa
    ] == [
        (CAIXA, "", 70000, 20000, 5000, 85000),
        (CAIXA, "FR=1500", 70000, 20000, 0, 90000),
        (CAIXA, "FR=1700", 0, 0, 5000, -5000),
    ]
    assert caixa[1].titulo == "CAIXA"
    assert caixa[1].analitica
    # Conta sem conta corrente não ganha sublinha; sem a opção, nenhuma sublinha.
    assert [ln.conta_corrente for ln in b.linhas if ln.codigo == IMOBILIZADO] == [""]
    assert all(not ln.conta_corrente for ln in montar(plano, 2, 3).linhas)
    # Sublinha vazia (FR1700 antes de existir) não aparece.
    janeiro = montar(plano, 1, 1, por_conta_corrente=True)
    assert [ln.conta_corrente for ln in janeiro.linhas if ln.codigo == CAIXA] == ["", "FR=1500"]


def test_sublinhas_com_saldo_aparecem_quando_a_conta_zera(plano: PlanoContas) -> None:
    # Janeiro: 200,00 passam da fonte 1501 para a 1500 no mesmo caixa.
    # Fevereiro: caixa zerado no total (+200,00 − 200,00), mas cada fonte tem saldo.
    saldos = [
        *densas(CAIXA, "FR=1500", {1: (20000, 0)}),
        *densas(CAIXA, "FR=1501", {1: (0, 20000)}),
    ]
    b = montar_balancete(
        plano, saldos, entidades=("p",), ano=2026, inicio=2, fim=2, por_conta_corrente=True
    )
    # Totais sobre o saldo líquido da conta (zero); as fontes aparecem nas sublinhas.
    assert b.totais == (TotalNatureza("P", 0, 0, 0, 0),)
    sublinhas = [
        (ln.conta_corrente, ln.anterior, ln.debitos, ln.creditos, ln.atual)
        for ln in b.linhas
        if ln.codigo == CAIXA and ln.conta_corrente
    ]
    assert sublinhas == [("FR=1500", 20000, 0, 0, 20000), ("FR=1501", -20000, 0, 0, -20000)]


def test_nivel_maximo(plano: PlanoContas) -> None:
    b = montar(plano, 2, 3, nivel_maximo=2)
    assert [(ln.codigo, ln.nivel) for ln in b.linhas] == [
        ("1.0.0.0.0.00.00", 1),
        ("1.1.0.0.0.00.00", 2),
        ("1.2.0.0.0.00.00", 2),
        ("2.0.0.0.0.00.00", 1),
        ("2.3.0.0.0.00.00", 2),
        ("3.0.0.0.0.00.00", 1),
        ("3.3.0.0.0.00.00", 2),
        ("4.0.0.0.0.00.00", 1),
        ("4.1.0.0.0.00.00", 2),
        ("5.0.0.0.0.00.00", 1),
        ("5.2.0.0.0.00.00", 2),
        ("6.0.0.0.0.00.00", 1),
        ("6.2.0.0.0.00.00", 2),
    ]
    # Os totais continuam sendo os das analíticas.
    assert b.totais == montar(plano, 2, 3).totais
    assert [ln.codigo for ln in montar(plano, 2, 3, nivel_maximo=1).linhas] == [
        f"{c}.0.0.0.0.00.00" for c in range(1, 7)
    ]


def test_linha_do_balancete(plano: PlanoContas) -> None:
    b = montar(plano, 1, 1)
    assert b.linhas[0] == LinhaBalancete(
        "1.0.0.0.0.00.00", "ATIVO", 1, False, "P", "", 100000, 30000, 30000, 100000
    )
    assert [ln.codigo for ln in b.linhas] == sorted(ln.codigo for ln in b.linhas)


def test_consolidacao_soma_entidades(plano: PlanoContas) -> None:
    # Segunda entidade: caixa/FR1500 com abertura de 10,00 e crédito de 1,00 em fevereiro.
    outra = [
        *densas(CAIXA, "FR=1500", {0: (1000, 0), 2: (0, 100)}),
        *densas(RESULTADOS, "", {0: (0, 1000)}),
        *densas(VPD, "", {2: (100, 0)}),
    ]
    b = montar_balancete(plano, SALDOS + outra, entidades=("a", "b"), ano=2026, inicio=2, fim=3)
    f = figuras(b)
    assert f[CAIXA] == (70000 + 1000, 20000, 5000 + 100, 85000 + 900)
    assert f[RESULTADOS] == (-101000, 0, 0, -101000)
    assert f[VPD] == (0, 5100, 0, 5100)
    assert b.entidades == ("a", "b")
    assert conferir_balancete(b) == []


def test_analiticos_sem_linha_no_inicio() -> None:
    # Primeiro movimento dentro do intervalo: sem linha no início, anterior 0.
    s = densas(CAIXA, "", {5: (10, 3)})
    assert analiticos(s, 2, 6) == {(CAIXA, ""): [0, 10, 3]}
    # Primeiro movimento depois do fim: fora do balancete.
    assert analiticos(s, 1, 4) == {}
    # Intervalo de um período só.
    assert analiticos(s, 5, 5) == {(CAIXA, ""): [0, 10, 3]}
    assert analiticos(s, 6, 6) == {(CAIXA, ""): [7, 0, 0]}


def test_conferir_balancete_que_nao_fecha(plano: PlanoContas) -> None:
    # Linha de débito sem o crédito correspondente (saldo adulterado).
    saldos = [*SALDOS, *densas(IMOBILIZADO, "X", {2: (1, 0)})]
    b = montar_balancete(plano, saldos, entidades=("p",), ano=2026, inicio=2, fim=3)
    assert (b.total_debitos, b.total_creditos) == (75001, 75000)
    assert [(e.regra, e.mensagem) for e in conferir_balancete(b)] == [
        ("BAL-MOVIMENTO", "total de débitos (750,01) difere do de créditos (750,00)"),
        (
            "BAL-NATUREZA",
            "saldos devedores (1.200,01) e credores (1.200,00) não fecham na natureza Patrimonial",
        ),
    ]


def test_conferir_balancete_naturezas_cruzadas(plano: PlanoContas) -> None:
    # Movimento total fecha, mas débito patrimonial contra crédito orçamentário.
    saldos = densas(IMOBILIZADO, "", {1: (500, 0)}) + densas(FIXACAO, "FR=1500", {1: (0, 500)})
    b = montar_balancete(plano, saldos, entidades=("p",), ano=2026, inicio=1, fim=1)
    assert b.totais == (TotalNatureza("P", 500, 0, 500, 0), TotalNatureza("O", 0, 500, 0, 500))
    assert [e.regra for e in conferir_balancete(b)] == ["BAL-NATUREZA", "BAL-NATUREZA"]
    assert conferir_balancete(b)[1].mensagem == (
        "saldos devedores (0,00) e credores (5,00) não fecham na natureza Orçamentária"
    )


def test_analitica_com_filhas_mostra_so_o_proprio_saldo() -> None:
    # Planos estendidos (TCE-RS) têm analíticas com filhas: a linha da analítica
    # traz só o próprio movimento; a sintética acima soma mãe e filha.
    texto = (
        "CONTA;TÍTULO;ESCRITURAÇÃO\n"
        "1.0.0.0.0.00.00;ATIVO;N\n"
        "1.1.0.0.0.00.00;MÃE ANALÍTICA;S\n"
        "1.1.1.0.0.00.00;FILHA;S\n"
        "2.0.0.0.0.00.00;PASSIVO;N\n"
        "2.1.0.0.0.00.00;OBRIGAÇÕES;S\n"
    )
    plano, erros = ler_plano_csv(texto, "X")
    assert plano is not None, erros
    saldos = [
        *densas("1.1.0.0.0.00.00", "", {1: (10000, 0)}),
        *densas("1.1.1.0.0.00.00", "", {1: (5000, 0)}),
        *densas("2.1.0.0.0.00.00", "", {1: (0, 15000)}),
    ]
    b = montar_balancete(plano, saldos, entidades=("p",), ano=2026, inicio=1, fim=1)
    assert figuras(b) == {
        "1.0.0.0.0.00.00": (0, 15000, 0, 15000),  # 100,00 + 50,00
        "1.1.0.0.0.00.00": (0, 10000, 0, 10000),
        "1.1.1.0.0.00.00": (0, 5000, 0, 5000),
        "2.0.0.0.0.00.00": (0, 0, 15000, -15000),
        "2.1.0.0.0.00.00": (0, 0, 15000, -15000),
    }
    assert b.totais == (TotalNatureza("P", 15000, 15000, 15000, 15000),)


def test_balancete_vazio(plano: PlanoContas) -> None:
    b = montar_balancete(plano, [], entidades=("p",), ano=2026, inicio=1, fim=12)
    assert b.linhas == ()
    assert b.totais == ()
    assert conferir_balancete(b) == []


_MOVIMENTO = st.tuples(
    st.sampled_from([(1, 2026, "D"), (2, 2026, "D"), (1, 2027, "D")]),
    st.integers(0, 13),
    st.sampled_from([(10, ""), (11, "FR=1500"), (11, "FR=1600"), (12, "")]),
    st.integers(0, 10**9),
    st.integers(0, 10**9),
)


@given(st.lists(_MOVIMENTO, max_size=40))
def test_linhas_por_periodo_iguais_as_de_movimentos(movs: list[Any]) -> None:
    """O formato das cargas (por período) dá as mesmas linhas, já na ordem da chave."""
    por_periodo: MovimentosPorPeriodo = {}
    por_chave: Movimentos = {}
    for (eid, ano, livro), periodo, (conta, cc), d, c in movs:
        par = por_periodo.setdefault((eid, ano, livro, periodo), {}).setdefault((conta, cc), [0, 0])
        par[0] += d
        par[1] += c
        chave = ChaveSaldo(eid, ano, livro, conta, cc)
        acumular(por_chave, chave, periodo, "D", d)
        acumular(por_chave, chave, periodo, "C", c)
    linhas = linhas_por_periodo(por_periodo)
    assert linhas == sorted(linhas_de_movimentos(por_chave))


def test_linhas_por_periodo_a_mao() -> None:
    # conta 10 movimenta em março (D 500) e maio (C 200): linhas de 3 a 13, acumulando
    linhas = linhas_por_periodo(
        {(1, 2026, "D", 3): {(10, ""): [500, 0]}, (1, 2026, "D", 5): {(10, ""): [0, 200]}}
    )
    assert [(ln.periodo, ln.debito_acum, ln.credito_acum) for ln in linhas[:3]] == [
        (3, 500, 0),
        (4, 500, 0),
        (5, 500, 200),
    ]
    assert len(linhas) == 11 and linhas[-1][-2:] == (500, 200)
