"""Eventos orçamentários gravados: JSON Lines → controle → roteiro → razão.

SQLite e PostgreSQL (fixture ``engine``). Valores conferidos à mão no balancete.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import dict_de_evento, evento_de_dict, ler_eventos_jsonl
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import contagens, jsonl, registrar
from tests.conftest import conferir_golden

DOT = "0201.12.361.0001.2001.33903900"
DB = "001-1234-5-67890-1"
CREDOR = "11222333000181"


ANO = jsonl(
    {
        "tipo": "dotacao_inicial",
        "id": "D1",
        "data": "2026-01-02",
        "dotacao": DOT,
        "fonte": "1500",
        "valor": "100000.00",
    },
    {
        "tipo": "previsao_receita",
        "id": "R1",
        "data": "2026-01-02",
        "natureza_receita": "1.1.1.2.50.0.1",
        "fonte": "1500",
        "valor": 200000,
    },
    {
        "tipo": "empenho",
        "id": "E1",
        "data": "2026-03-10",
        "dotacao": DOT,
        "fonte": "1500",
        "credor": CREDOR,
        "valor": "30000.00",
    },
    {
        "tipo": "liquidacao",
        "id": "L1",
        "data": "2026-03-20",
        "empenho": "E1",
        "valor": "10000.00",
        "conta_vpd": "3.3.2.3.1.99.00",
        "conta_passivo": "2.1.3.1.1.01.01",
        "documento": "NF 123",
    },
    {
        "tipo": "pagamento",
        "id": "P1",
        "data": "2026-03-25",
        "liquidacao": "L1",
        "valor": "4000.00",
        "conta_banco": "1.1.1.1.1.19.00",
        "domicilio": DB,
    },
    {
        "tipo": "arrecadacao",
        "id": "A1",
        "data": "2026-03-05",
        "natureza_receita": "11125001",
        "fonte": "1500",
        "valor": "5000.00",
        "conta_banco": "1.1.1.1.1.19.00",
        "domicilio": DB,
        "conta_vpa": "4.1.1.2.1.02.00",
    },
)


def _saldo(repo: Repositorio, conta: str, mes: int = 3) -> int:
    bal = repo.balancete(["prefeitura"], 2026, 1, mes)
    return next(ln.atual for ln in bal.linhas if ln.codigo == conta and not ln.conta_corrente)


def test_um_ano_de_eventos_no_razao(repo_pcasp: Repositorio, engine: Engine) -> None:
    # 6 eventos: 1 par cada (dotação, previsão), 2 (empenho), 3 (liquidação, pagamento, arrecadação)
    assert registrar(repo_pcasp, ANO)[:3] == (6, 6, 2 * (1 + 1 + 2 + 3 + 3 + 3))
    # crédito disponível: 100.000,00 − 30.000,00 = 70.000,00 (credor: saldo negativo)
    assert _saldo(repo_pcasp, "6.2.2.1.1.00.00") == -7_000_000
    # empenhado a liquidar 20.000,00; liquidado a pagar 6.000,00; pago 4.000,00
    assert _saldo(repo_pcasp, "6.2.2.1.3.01.00") == -2_000_000
    assert _saldo(repo_pcasp, "6.2.2.1.3.03.00") == -600_000
    assert _saldo(repo_pcasp, "6.2.2.1.3.04.00") == -400_000
    # banco: 5.000,00 arrecadados − 4.000,00 pagos = 1.000,00 devedor
    assert _saldo(repo_pcasp, "1.1.1.1.1.19.00") == 100_000
    lanc = repo_pcasp.lancamento("prefeitura", "EVL1")
    assert lanc.origem == "evento:L1" and lanc.data.isoformat() == "2026-03-20"
    assert repo_pcasp.verificar() == []
    assert contagens(engine) == (6, 6)


def test_travas_usam_os_eventos_ja_gravados(repo_pcasp: Repositorio, engine: Engine) -> None:
    registrar(repo_pcasp, ANO)
    antes = contagens(engine)
    novos = jsonl(
        {
            "tipo": "liquidacao",
            "id": "L2",
            "data": "2026-04-01",
            "empenho": "E1",
            "valor": "20000.01",
            "conta_vpd": "3.3.2.3.1.99.00",
            "conta_passivo": "2.1.3.1.1.01.01",
            "documento": "NF 9",
        },
        {
            "tipo": "pagamento",
            "id": "P2",
            "data": "2026-04-01",
            "liquidacao": "L1",
            "valor": "6000.01",
            "conta_banco": "1.1.1.1.1.19.00",
            "domicilio": DB,
            "entidade_conta": "camara",
        },
        {
            "tipo": "empenho",
            "id": "E1",
            "data": "2026-04-01",
            "dotacao": DOT,
            "fonte": "1500",
            "credor": CREDOR,
            "valor": "1.00",
        },
    )
    itens, _ = ler_eventos_jsonl(novos, "b.jsonl")
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_eventos(itens, "b.jsonl")
    assert [str(e) for e in exc.value.erros] == [
        "b.jsonl, linha 1, campo valor: [EXEC-LIQUIDACAO-SALDO] liquidação de 20.000,01 acima do saldo a liquidar do empenho E1 (20.000,00)",
        "b.jsonl, linha 2, campo valor: [EXEC-PAGAMENTO-SALDO] pagamento de 6.000,01 acima do liquidado a pagar da liquidação L1 (6.000,00)",
        "b.jsonl, linha 2, campo conta_bancaria: [EXEC-CONTA-BANCARIA] a conta bancária é da entidade camara, não de prefeitura",
        "b.jsonl, linha 3, campo id: [EXEC-ID] evento E1 já registrado na entidade",
    ]
    assert contagens(engine) == antes


def test_estorno_de_evento_em_outra_carga(repo_pcasp: Repositorio) -> None:
    registrar(repo_pcasp, ANO)
    assert registrar(
        repo_pcasp, jsonl({"tipo": "estorno", "id": "X1", "data": "2026-03-26", "evento": "P1"})
    )[:3] == (1, 1, 6)
    assert _saldo(repo_pcasp, "6.2.2.1.3.04.00") == 0
    assert _saldo(repo_pcasp, "6.2.2.1.3.03.00") == -1_000_000
    assert _saldo(repo_pcasp, "1.1.1.1.1.19.00") == 500_000
    estorno = repo_pcasp.lancamento("prefeitura", "EVX1")
    assert estorno.estorno and estorno.estornado == "EVP1"
    # depois do estorno do pagamento, a liquidação pode ser estornada e paga de novo não
    assert registrar(
        repo_pcasp, jsonl({"tipo": "estorno", "id": "X2", "data": "2026-03-27", "evento": "L1"})
    )[:3] == (1, 1, 6)
    assert _saldo(repo_pcasp, "6.2.2.1.3.01.00") == -3_000_000
    itens, _ = ler_eventos_jsonl(
        jsonl(
            {
                "tipo": "pagamento",
                "id": "P3",
                "data": "2026-03-28",
                "liquidacao": "L1",
                "valor": "1.00",
                "conta_banco": "1.1.1.1.1.19.00",
                "domicilio": DB,
            }
        ),
        "c.jsonl",
    )
    with pytest.raises(OperacaoRecusada, match="EXEC-LIQUIDACAO"):
        repo_pcasp.registrar_eventos(itens, "c.jsonl")
    assert repo_pcasp.verificar() == []


def test_competencia_fechada_recusa_o_evento(repo_pcasp: Repositorio) -> None:
    repo_pcasp.fechar_competencia("prefeitura", 2026, 1, usuario="teste")
    itens, _ = ler_eventos_jsonl(ANO[:1], "a.jsonl")
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_eventos(itens, "a.jsonl")
    assert [e.regra for e in exc.value.erros] == ["LANC-COMPETENCIA"]
    assert exc.value.erros[0].linha == 1


def test_eventos_sao_somente_inclusao(repo_pcasp: Repositorio, engine: Engine) -> None:
    registrar(repo_pcasp, ANO[:1])
    with pytest.raises(Exception, match="somente inclusão"), engine.begin() as con:
        con.execute(text("UPDATE evento SET codigo = 'X'"))


def test_jsonl_com_erros_relata_todas_as_linhas() -> None:
    linhas = [
        '{"tipo": "empenho", "id": "E1", "entidade": "prefeitura", "data": "2026-13-01", "dotacao": "1", "fonte": "15", "credor": "1", "valor": "10.005"}',
        '{"tipo": "xyz"}',
        "não é json",
        '{"tipo": "anulacao_empenho", "id": "A1", "entidade": "prefeitura", "data": "2026-01-05", "empenho": "E1", "valor": 10.5, "extra": 1}',
        "",
        '{"tipo": "estorno", "id": "IDENTIFICADOR-LONGO", "entidade": "prefeitura", "data": "2026-01-05", "evento": "E1"}',
    ]
    itens, erros = ler_eventos_jsonl(linhas, "x.jsonl")
    assert itens == []
    assert [(e.linha, e.regra, e.campo) for e in erros] == [
        (1, "EVENTO-CAMPO", "data"),
        (1, "ORC-DOTACAO", "dotacao"),
        (1, "ORC-FONTE", "fonte"),
        (1, "EVENTO-CAMPO", "valor"),
        (2, "EVENTO-TIPO", "tipo"),
        (3, "EVENTO-JSON", None),
        (4, "EVENTO-CAMPO", "extra"),
        (6, "EVENTO-CAMPO", "id"),
    ]
    assert erros[3].mensagem == "valor: valor '10.005' tem mais de duas casas decimais"


def test_evento_ida_e_volta_pelo_json() -> None:
    creditos = jsonl(
        {
            "tipo": "credito_adicional",
            "id": "C1",
            "data": "2026-05-02",
            "dotacao": DOT,
            "fonte": "1500.1001",
            "valor": "10.00",
            "modalidade": "suplementar",
            "cobertura": "excesso",
        },
        {
            "tipo": "credito_adicional",
            "id": "C2",
            "data": "2026-05-02",
            "dotacao": "0201.10.301.0001.2003.33903000",
            "fonte": "1500",
            "valor": "10.00",
            "modalidade": "extraordinario",
        },
        {
            "tipo": "empenho",
            "id": "E9",
            "data": "2026-05-02",
            "dotacao": DOT,
            "fonte": "1500",
            "credor": CREDOR,
            "valor": 1,
        },
        {
            "tipo": "empenho",
            "id": "E10",
            "data": "2026-05-02",
            "dotacao": DOT,
            "fonte": "1500",
            "credor": CREDOR,
            "valor": 1,
            "propriedades": {"Programa": "Saúde na Escola", "COVID": "sim"},
        },
    )
    itens, erros = ler_eventos_jsonl([*ANO, *creditos], "a")
    assert erros == []
    assert itens[-2][1].modalidade == "ordinario"  # type: ignore[union-attr]
    # propriedades adicionais livres, em ordem de chave
    assert itens[-1][1].propriedades == (  # type: ignore[union-attr]
        ("COVID", "sim"),
        ("Programa", "Saúde na Escola"),
    )
    ruim = jsonl(
        {
            "tipo": "previsao_receita",
            "id": "R9",
            "data": "2026-01-02",
            "natureza_receita": "11125001",
            "fonte": "1500",
            "valor": 1,
            "propriedades": {"COVID": 1},
        }
    )
    assert [e.campo for e in ler_eventos_jsonl(ruim, "r")[1]] == ["propriedades"]
    for _, ev in itens:
        volta, erros = evento_de_dict(json.loads(json.dumps(dict_de_evento(ev))))
        assert erros == [] and volta == ev


def test_relatorios_de_execucao(repo_pcasp: Repositorio) -> None:
    from erario.execucao.relatorios import execucao_despesa, execucao_receita

    registrar(repo_pcasp, ANO)
    controle = repo_pcasp.controle()
    # dotação 100.000,00; empenho 30.000,00; liquidado 10.000,00; pago 4.000,00
    assert [tuple(ln) for ln in execucao_despesa(controle, "prefeitura")] == [
        (DOT, "1500", 10_000_000, 10_000_000, 3_000_000, 0, 1_000_000, 400_000, 600_000, 7_000_000)
    ]
    # previsão 200.000,00; arrecadado 5.000,00 → a arrecadar 195.000,00
    assert [tuple(ln) for ln in execucao_receita(controle, "prefeitura")] == [
        ("11125001", "1500", 20_000_000, 20_000_000, 500_000, 0, 19_500_000)
    ]


def test_verificar_acusa_razao_diferente_da_execucao(repo_pcasp: Repositorio) -> None:
    import datetime as dt

    from erario.razao.modelo import Lancamento, Partida

    registrar(repo_pcasp, ANO)
    cc = f"FR=1500|DO={DOT}"
    # lançamento manual que "paga" 1,00 sem evento: o razão passa a divergir da execução
    repo_pcasp.lancar(
        Lancamento(
            "prefeitura",
            dt.date(2026, 3, 30),
            "Ajuste manual",
            (
                Partida("6.2.2.1.3.03.00", "D", 100, cc),
                Partida("6.2.2.1.3.04.00", "C", 100, cc),
            ),
            "MANUAL1",
        )
    )
    assert [str(e) for e in repo_pcasp.verificar()] == [
        f"[VER-EXECUCAO] prefeitura: pago de {DOT} (fonte 1500): execução 4.000,00, razão 4.001,00"
    ]


def test_relatorios_de_execucao_golden(repo_pcasp: Repositorio, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from erario.execucao.relatorios import execucao_despesa, execucao_receita
    from erario.relatorios import tabela as tab
    from erario.relatorios.execucao import COLUNAS_DESPESA, COLUNAS_RECEITA

    registrar(repo_pcasp, ANO)
    controle = repo_pcasp.controle()
    desp, rec = COLUNAS_DESPESA, COLUNAS_RECEITA
    linhas_d = execucao_despesa(controle, "prefeitura")
    conferir_golden("execucao_despesa.csv", tab.para_csv(desp, linhas_d))
    conferir_golden(
        "execucao_receita.json",
        tab.para_json(rec, execucao_receita(controle, "prefeitura"), {"entidade": "prefeitura"}),
    )
    xlsx = tmp_path / "d.xlsx"
    tab.para_xlsx(xlsx, "Execução da despesa", desp, linhas_d)
    ws = load_workbook(xlsx).active
    assert ws is not None
    # linha 3 = a dotação; coluna E = empenhado (30.000,00), J = saldo (70.000,00)
    assert (ws["E3"].value, ws["J3"].value) == (Decimal("30000.00"), Decimal("70000.00"))
    assert ws["J3"].number_format == "#,##0.00"


def test_razao_extrato_e_disponibilidade(repo_pcasp: Repositorio) -> None:
    from erario.execucao.relatorios import disponibilidade_por_fonte, extrato_empenho
    from erario.razao.razao_conta import razao_de_conta

    registrar(repo_pcasp, ANO)
    registrar(
        repo_pcasp, jsonl({"tipo": "estorno", "id": "X1", "data": "2026-03-26", "evento": "P1"})
    )
    # Razão do banco em março: +5.000,00 (arrecadação), −4.000,00 (pagamento), +4.000,00 (estorno)
    anterior, movs = repo_pcasp.razao_conta("prefeitura", 2026, "1.1.1.1.1.19", 3, 3)
    linhas = razao_de_conta(anterior, movs)
    assert [(ln.numero, ln.debito, ln.credito, ln.saldo) for ln in linhas] == [
        ("", 0, 0, 0),
        ("EVA1", 500_000, 0, 500_000),
        ("EVP1", 0, 400_000, 100_000),
        ("EVX1", 400_000, 0, 500_000),
    ]
    # sintética: a mesma coisa; filtro por outra fonte: nada; abril: março vira saldo anterior
    assert len(repo_pcasp.razao_conta("prefeitura", 2026, "1.1.1", 3, 3)[1]) == 3
    assert repo_pcasp.razao_conta("prefeitura", 2026, "1.1.1", 3, 3, "FR=1600")[1] == []
    assert repo_pcasp.razao_conta("prefeitura", 2026, "1.1.1.1.1.19", 4, 4) == (500_000, [])
    # Em páginas (a tela): saldo transportado, uma a mais diz se há próxima, e os
    # totais do período inteiro (da tabela de saldos) em toda página.
    pg = repo_pcasp.razao_conta_pagina("prefeitura", 2026, "1.1.1", 3, 3, None, 1, 1)
    assert [m.numero for m in pg.movimentos] == ["EVP1"]
    assert (pg.anterior, pg.ha_mais, pg.debito, pg.credito) == (500_000, True, 900_000, 400_000)
    pg = repo_pcasp.razao_conta_pagina("prefeitura", 2026, "1.1.1", 3, 3, None, 2, 5)
    assert ([m.numero for m in pg.movimentos], pg.anterior, pg.ha_mais) == (
        ["EVX1"],
        100_000,
        False,
    )
    # o filtro de conta corrente casa o atributo inteiro, com maiúsculas
    assert (
        len(repo_pcasp.razao_conta_pagina("prefeitura", 2026, "1.1.1", 3, 3, "FR=1500").movimentos)
        == 3
    )
    # toda janela confere com o razão inteiro (saldo até ali, fatia, há mais)
    ant, todos = repo_pcasp.razao_conta("prefeitura", 2026, "1.1.1", 1, 12)
    sinal = [m.centavos if m.dc == "D" else -m.centavos for m in todos]
    for desl in range(len(todos) + 1):
        for lim in range(1, len(todos) + 2):
            pg = repo_pcasp.razao_conta_pagina("prefeitura", 2026, "1.1.1", 1, 12, None, desl, lim)
            assert pg.movimentos == todos[desl : desl + lim]
            assert pg.anterior == ant + sum(sinal[:desl])
            assert pg.ha_mais == (desl + lim < len(todos))
    for filtro in ("fr=1500", "FR=150", "R=1500"):
        pg = repo_pcasp.razao_conta_pagina("prefeitura", 2026, "1.1.1", 3, 3, filtro, 0, 10)
        assert (pg.movimentos, pg.debito, pg.credito) == ([], 0, 0)

    extrato = extrato_empenho(repo_pcasp.controle(), "prefeitura", "E1")
    assert extrato is not None
    assert [(ln.evento, ln.situacao, ln.a_liquidar, ln.a_pagar) for ln in extrato] == [
        ("E1", "", 3_000_000, 0),
        ("L1", "", 2_000_000, 1_000_000),
        ("P1", "estornado", 2_000_000, 1_000_000),
    ]
    assert extrato_empenho(repo_pcasp.controle(), "prefeitura", "E404") is None

    # DDR: 5.000,00 arrecadados; 30.000,00 empenhados, 10.000,00 liquidados, nada pago
    # (estornado): disponível 5.000 − 30.000 = −25.000; por empenho 20.000; por liquidação 10.000
    (disp,) = disponibilidade_por_fonte(
        repo_pcasp.saldos_execucao("prefeitura", ("1.1.1.", "8.2.1.1."))
    )
    assert tuple(disp) == ("1500", 500_000, -2_500_000, 2_000_000, 1_000_000, 0)


def test_tipo_que_nao_e_texto_e_erro_de_tipo() -> None:
    # Antes da especificação por tipo, um tipo lista derrubava a leitura (TypeError).
    _, erros = ler_eventos_jsonl(['{"tipo": ["empenho"], "id": "E1"}'], "t")
    assert [(e.linha, e.regra, e.campo) for e in erros] == [(1, "EVENTO-TIPO", "tipo")]


def test_conversoes_lembradas_relatam_o_erro_sempre() -> None:
    # Dotação, fonte e data têm memória por texto: o erro não fica guardado como acerto.
    ev = {
        "tipo": "empenho",
        "id": "E1",
        "data": "2026-02-30",
        "dotacao": "0201.12.361.0001.2001.3390390",
        "fonte": "15000",
        "credor": CREDOR,
        "valor": "1.00",
    }
    ok = {**ev, "id": "E2", "data": "2026-02-03", "dotacao": DOT, "fonte": "1500"}
    itens, erros = ler_eventos_jsonl(jsonl(ev, ok, ev, ok), "m")
    assert [n for n, _ in itens] == [2, 4] and itens[0][1] == itens[1][1]
    assert [(e.linha, e.campo) for e in erros] == [
        (n, c) for n in (1, 3) for c in ("data", "dotacao", "fonte")
    ]
    assert erros[0:3] == [e.em(linha=1) for e in erros[3:6]]
