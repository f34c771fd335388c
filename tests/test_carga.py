"""Leitura dos arquivos de carga (CSV e JSON Lines), pura."""

from __future__ import annotations

import datetime as dt

import pytest

from erario.core.erros import Erro
from erario.razao.carga import (
    Lote,
    escrever_lancamentos_csv,
    ler_lancamentos_csv,
    ler_lancamentos_jsonl,
    ler_saldos_abertura_csv,
)
from erario.razao.modelo import Lancamento, Partida, TipoLancamento

CAB = "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente\n"
CAIXA = "1.1.1.1.1.01.00"
IMOBILIZADO = "1.2.3.0.0.00.00"
RESULTADOS = "2.3.7.0.0.00.00"


def linhas(texto: str) -> list[str]:
    return texto.splitlines(keepends=True)


def situados(lote: Lote) -> list[tuple[str, int | None, str | None]]:
    return [(e.regra, e.linha, e.campo) for e in lote.erros]


# ------------------------------------------------------------------------ CSV


def test_csv_agrupa_linhas_em_lancamentos() -> None:
    texto = CAB + (
        "prefeitura;L1;2026-01-10;;Compra de mesa;1.2.3.0.0.00.00;D;150.00;\n"  # 2
        "prefeitura;L1;2026-01-10;;Compra de mesa;1.1.1.1.1.01.00;c;150,00; FR=1500 \n"  # 3
        "\n"  # 4: linha em branco é ignorada
        "camara;L1;2026-01-01;ABERTURA;Abertura;1.1.1.1.1.01.00;D;7;FR=1500\n"  # 5
        "camara;L1;2026-01-01;abertura;Abertura;2.3.7.0.0.00.00;C;7;\n"  # 6
        "prefeitura;L2;2026-12-31;encerramento;Encerramento;4.1;D;0.5;\n"  # 7
        "prefeitura;L2;2026-12-31;;Encerramento;3.3;C;0,50;\n"  # 8
    )
    lote = ler_lancamentos_csv(linhas(texto))
    assert lote.erros == []
    assert lote.linhas == [2, 5, 7]
    assert lote.partidas == 6
    a, b, c = lote.lancamentos
    assert a == Lancamento(
        entidade="prefeitura",
        data=dt.date(2026, 1, 10),
        historico="Compra de mesa",
        partidas=(
            Partida(IMOBILIZADO, "D", 15000, ""),
            Partida(CAIXA, "C", 15000, "FR=1500"),
        ),
        numero="L1",
        tipo=TipoLancamento.ORDINARIO,
    )
    # Mesmo número em outra entidade é outro lançamento.
    assert (b.entidade, b.numero, b.tipo, b.periodo) == ("camara", "L1", TipoLancamento.ABERTURA, 0)
    assert [p.centavos for p in b.partidas] == [700, 700]
    assert c.tipo == TipoLancamento.ENCERRAMENTO
    assert c.periodo == 13
    assert c.partidas == (Partida("4.1", "D", 50, ""), Partida("3.3", "C", 50, ""))
    assert not c.estorno


def test_csv_colunas_em_qualquer_ordem_com_opcionais() -> None:
    texto = (
        "\ufeffValor;DC;Conta;Historico;Tipo;Data;Numero;Entidade;Conta_Corrente;Origem;Estornado\n"
        "10.00;C;1.2.3;Estorno da compra;;2026-02-01;E1;prefeitura;;NF 12;L1\n"
        "10.00;D;2.3.7;Estorno da compra;;2026-02-01;E1;prefeitura;;NF 12;L1\n"
    )
    lote = ler_lancamentos_csv(linhas(texto))
    assert lote.erros == []
    (lc,) = lote.lancamentos
    assert lc.origem == "NF 12"
    assert lc.estorno
    assert lc.estornado == "L1"
    assert lc.partidas[0] == Partida("1.2.3", "C", 1000, "")


def test_csv_todos_os_erros_de_uma_vez() -> None:
    texto = CAB + (
        "p;A;2026-01-10;;ok;1.2.3;D;1.00;\n"  # 2
        "p;A;2026-01-10;;ok;2.3.7;C;1.00;\n"  # 3
        "p;B;2026-02-30;;data ruim;1.2.3;D;1.00;\n"  # 4: 30 de fevereiro
        "p;C;2026-01-10;mensal;tipo ruim;1.2.3;D;1.00;\n"  # 5
        "p;D;2026-01-10;;dc ruim;1.2.3;X;1.00;\n"  # 6
        "p;E;2026-01-10;;três casas;1.2.3;D;10.005;\n"  # 7
        "p;F;2026-01-10;;zero;1.2.3;D;0,00;\n"  # 8
        "p;G;2026-01-10\n"  # 9: linha curta
        "p;H;2026-01-10;;data diverge;1.2.3;D;1.00;\n"  # 10
        "p;H;2026-01-11;;data diverge;2.3.7;C;1.00;\n"  # 11
        "p;;2026-01-10;;sem número;1.2.3;D;1.00;\n"  # 12
        "p;I;2026/01/10;;data em outro formato;1.2.3;D;1.00;\n"  # 13
        "p;J;2026-01-10;;ok;1.2.3;D;2;\n"  # 14
        "p;J;2026-01-10;;ok;2.3.7;C;2;\n"  # 15
    )
    lote = ler_lancamentos_csv(linhas(texto), origem="carga.csv")
    assert situados(lote) == [
        ("CARGA-DATA", 4, "data"),
        ("CARGA-TIPO", 5, "tipo"),
        ("CARGA-DC", 6, "dc"),
        ("CARGA-VALOR", 7, "valor"),
        ("CARGA-VALOR", 8, "valor"),
        ("CARGA-COLUNAS", 9, None),
        ("CARGA-CABECALHO-DIVERGE", 11, "data"),
        ("CARGA-NUMERO", 12, "numero"),
        ("CARGA-DATA", 13, "data"),
    ]
    m = [e.mensagem for e in lote.erros]
    assert m[0] == "data '2026-02-30' inválida: use AAAA-MM-DD"
    assert (
        m[1] == "tipo 'mensal' inválido: use ordinario, abertura, encerramento (vazio: ordinario)"
    )
    assert m[2] == "natureza 'X' inválida: use D ou C"
    assert m[3] == "valor '10.005' tem mais de duas casas decimais"
    assert m[4] == "valor deve ser positivo"
    assert m[5] == "linha com 3 colunas; esperadas 9"
    assert m[6] == "data difere da primeira linha do lançamento H (linha 10)"
    assert m[7] == "número de controle é obrigatório no CSV"
    assert all(e.origem == "carga.csv" for e in lote.erros)
    assert str(lote.erros[0]) == (
        "carga.csv, linha 4, campo data: [CARGA-DATA] data '2026-02-30' inválida: use AAAA-MM-DD"
    )
    # Só os lançamentos sem erro saem, com a linha em que começam.
    assert [lc.numero for lc in lote.lancamentos] == ["A", "J"]
    assert lote.linhas == [2, 14]


def test_csv_data_invalida_repetida_nao_gera_divergencia() -> None:
    texto = CAB + ("p;A;2026-13-01;;h;1.2.3;D;1;\np;A;2026-13-01;;h;2.3.7;C;1;\n")
    lote = ler_lancamentos_csv(linhas(texto))
    assert situados(lote) == [("CARGA-DATA", 2, "data")]
    assert lote.lancamentos == []


def test_csv_cabecalho_sem_colunas() -> None:
    texto = "entidade;numero;data;historico;conta;dc;valor\np;1;2026-01-01;h;1;D;1\n"
    lote = ler_lancamentos_csv(linhas(texto), origem="x.csv")
    assert lote == Lote(
        [],
        [],
        [Erro("CARGA-CABECALHO", "faltam as colunas: conta_corrente", None, 1, "x.csv")],
    )


def test_csv_vazio() -> None:
    assert ler_lancamentos_csv([]).erros == [
        Erro("CARGA-VAZIO", "arquivo vazio", None, None, "arquivo")
    ]
    assert ler_lancamentos_csv([CAB]) == Lote([], [], [])


def test_csv_linha_curta_nao_descarta_o_lancamento_anterior() -> None:
    texto = CAB + (
        "p;A;2026-01-10;;ok;1.2.3;D;1;\n"  # 2
        "p;A;2026-01-10;;ok;2.3.7;C;1;\n"  # 3
        "p;B\n"  # 4: linha curta, de outro lançamento
        "p;C;2026-01-10;;ok;1.2.3;D;1;\n"  # 5
        "p;C;2026-01-10;;ok;2.3.7;C;1;\n"  # 6
    )
    lote = ler_lancamentos_csv(linhas(texto))
    assert situados(lote) == [("CARGA-COLUNAS", 4, None)]
    assert [lc.numero for lc in lote.lancamentos] == ["A", "C"]


def test_csv_retorno_de_carro_no_campo_vira_erro() -> None:
    texto = [CAB, "p;A;2026-01-10;;linha\rquebrada;1.2.3;D;1;\n"]
    lote = ler_lancamentos_csv(texto)
    assert [e.linha for e in lote.erros] == [2]


def test_data_so_no_formato_aaaa_mm_dd() -> None:
    csv_lote = ler_lancamentos_csv([CAB, "p;A;2026-W02-6;;h;1.2.3;D;1;\n"])
    jsonl = ler_lancamentos_jsonl(
        ['{"entidade":"p","data":"20260110","historico":"h","partidas":[]}']
    )
    assert [e.regra for e in csv_lote.erros] == ["CARGA-DATA"]
    assert [e.regra for e in jsonl.erros] == ["CARGA-DATA"]


# ---------------------------------------------------------------------- JSONL


def _jsonl_partidas(*valores: str) -> str:
    ps = ",".join(f'{{"conta":"1.2.3","dc":"D","valor":{v}}}' for v in valores)
    return f'{{"entidade":"p","data":"2026-01-10","historico":"h","partidas":[{ps}]}}'


@pytest.mark.parametrize(
    ("valor", "centavos"),
    [
        ("10.1", 1010),  # número JSON lido como texto: nada de float
        ("10", 1000),
        ("1.10", 110),
        ("0.07", 7),
        ('"10,5"', 1050),
        ('"1234.56"', 123456),
        # Em float, 12345678901234.57 × 100 = 1234567890123457.0 por acaso; o texto é exato.
        ("12345678901234.57", 1234567890123457),
        ("0", 0),  # zero passa na carga; LANC-VALOR recusa na validação
    ],
)
def test_jsonl_valores_exatos(valor: str, centavos: int) -> None:
    lote = ler_lancamentos_jsonl([_jsonl_partidas(valor)])
    assert lote.erros == []
    assert lote.lancamentos[0].partidas[0].centavos == centavos


@pytest.mark.parametrize(
    ("valor", "mensagem"),
    [
        # Notação científica: o texto '1e3' não é um valor aceito (não vira 1000).
        ("1e3", "valor '1e3' inválido: use dígitos e até duas casas decimais, ex.: 1234.56"),
        ("1.5E2", "valor '1.5E2' inválido: use dígitos e até duas casas decimais, ex.: 1234.56"),
        ("10.005", "valor '10.005' tem mais de duas casas decimais"),
        ("-5", "valor '-5' inválido: use dígitos e até duas casas decimais, ex.: 1234.56"),
        (
            '"1.234,56"',
            "valor '1.234,56' inválido: use dígitos e até duas casas decimais, ex.: 1234.56",
        ),
        ("true", "valor deve ser texto ou número"),
        ("null", "valor deve ser texto ou número"),
        ("NaN", "valor deve ser texto ou número"),
    ],
)
def test_jsonl_valores_recusados(valor: str, mensagem: str) -> None:
    lote = ler_lancamentos_jsonl([_jsonl_partidas(valor)])
    assert lote.lancamentos == []
    assert [(e.regra, e.campo, e.linha, e.mensagem) for e in lote.erros] == [
        ("CARGA-VALOR", "partidas[0].valor", 1, mensagem)
    ]


def test_jsonl_lancamento_completo() -> None:
    texto = (
        '{"entidade":"prefeitura","numero":123,"data":"2026-01-01","tipo":"abertura",'
        '"historico":"Abertura","origem":"implantação","estornado":77,"partidas":['
        '{"conta":" 1.1.1.1.1.06.00 ","dc":"D","valor":100,'
        '"conta_corrente":{"DB":"001-2","FR":1500}},'
        '{"conta":"2.3.7","dc":"C","valor":"100.00"}]}'
    )
    lote = ler_lancamentos_jsonl(["\n", texto + "\n"])
    assert lote.erros == []
    assert lote.linhas == [2]
    assert lote.lancamentos == [
        Lancamento(
            entidade="prefeitura",
            data=dt.date(2026, 1, 1),
            historico="Abertura",
            partidas=(
                Partida("1.1.1.1.1.06.00", "D", 10000, "FR=1500|DB=001-2"),
                Partida("2.3.7", "C", 10000, ""),
            ),
            numero="123",
            tipo=TipoLancamento.ABERTURA,
            origem="implantação",
            estorno=True,
            estornado="77",
        )
    ]


def test_jsonl_todos_os_erros_de_uma_vez() -> None:
    bom = _jsonl_partidas('"1"')
    texto = [
        '{"entidade": "p",',  # 1: JSON quebrado
        "",  # 2: em branco
        "[1, 2]",  # 3: não é objeto
        '{"entidade": 1, "data": "2026-02-30", "historico": "h", "tipo": "x", "partidas": {}}',
        '{"entidade":"p","data":"2026-01-01","historico":"h","partidas":'
        '[1, {"dc":"D"}, {"conta":"1","dc":"X","valor":"1"},'
        ' {"conta":"1","dc":"D","valor":"1","conta_corrente":5}]}',  # 5
        bom,  # 6
    ]
    lote = ler_lancamentos_jsonl(texto, origem="carga.jsonl")
    assert situados(lote) == [
        ("CARGA-JSON", 1, None),
        ("CARGA-JSON", 3, None),
        ("CARGA-JSON", 4, "entidade"),
        ("CARGA-DATA", 4, "data"),
        ("CARGA-TIPO", 4, "tipo"),
        ("CARGA-JSON", 4, "partidas"),
        ("CARGA-JSON", 5, "partidas[0]"),
        ("CARGA-JSON", 5, "partidas[1].conta"),
        ("CARGA-DC", 5, "partidas[2].dc"),
        ("CARGA-JSON", 5, "partidas[3].conta_corrente"),
    ]
    assert lote.erros[0].mensagem == (
        "JSON inválido: esperava nome de campo entre aspas duplas (coluna 18)"
    )
    assert lote.erros[1].mensagem == "cada linha deve ser um objeto JSON"
    assert lote.erros[2].mensagem == "entidade é obrigatório (texto)"
    assert all(e.origem == "carga.jsonl" for e in lote.erros)
    assert lote.linhas == [6]
    assert len(lote.lancamentos) == 1


# ---------------------------------------------------------- saldos de abertura


def test_saldos_de_abertura() -> None:
    texto = (
        "entidade;conta;conta_corrente;valor;dc\n"
        "prefeitura;1.1.1.1.1.01.00;FR=1500;1000.00;D\n"  # 2
        "prefeitura;2.3.7.0.0.00.00;;1000,00;c\n"  # 3
        "camara;1.1.1.1.1.01.00;FR=1500;0;D\n"  # 4: saldo zero é pulado
        "camara;1.2.3;;50;D\n"  # 5
        "\n"  # 6
        "camara;2.3.7;;50;C\n"  # 7
    )
    lote = ler_saldos_abertura_csv(linhas(texto), 2026, origem="saldos.csv")
    assert lote.erros == []
    assert lote.linhas == [2, 5]  # primeira linha com saldo de cada entidade
    p, c = lote.lancamentos
    assert p == Lancamento(
        entidade="prefeitura",
        data=dt.date(2026, 1, 1),
        historico="Implantação de saldos de abertura do exercício 2026",
        partidas=(
            Partida("1.1.1.1.1.01.00", "D", 100000, "FR=1500"),
            Partida("2.3.7.0.0.00.00", "C", 100000, ""),
        ),
        tipo=TipoLancamento.ABERTURA,
        origem="saldos.csv",
    )
    assert p.periodo == 0
    assert p.numero is None
    assert c.partidas == (Partida("1.2.3", "D", 5000, ""), Partida("2.3.7", "C", 5000, ""))


def test_saldos_de_abertura_erros() -> None:
    texto = (
        "entidade;conta;conta_corrente;valor;dc\n"
        "p;1.2.3;;10;Z\n"  # 2
        "p;1.2.3;;-1;D\n"  # 3
        "p;1.2.3\n"  # 4
        "p;1.2.3;;1.999;D\n"  # 5
    )
    lote = ler_saldos_abertura_csv(linhas(texto), 2026)
    assert situados(lote) == [
        ("CARGA-DC", 2, "dc"),
        ("CARGA-VALOR", 3, "valor"),
        ("CARGA-COLUNAS", 4, None),
        ("CARGA-VALOR", 5, "valor"),
    ]
    assert lote.lancamentos == []
    falta = ler_saldos_abertura_csv(["entidade;conta;valor\n"], 2026)
    assert [e.mensagem for e in falta.erros] == ["faltam as colunas: conta_corrente, dc"]
    assert ler_saldos_abertura_csv([], 2026).erros[0].regra == "CARGA-VAZIO"


# ----------------------------------------------------------------- ida e volta

LANCS = [
    Lancamento(
        "prefeitura",
        dt.date(2026, 1, 1),
        "Abertura",
        (Partida(CAIXA, "D", 123456, "FR=1500"), Partida(RESULTADOS, "C", 123456, "")),
        numero="A1",
        tipo=TipoLancamento.ABERTURA,
        origem="implantação",
    ),
    Lancamento(
        "prefeitura",
        dt.date(2026, 3, 9),
        "Compra de mesa, NF 7",
        (
            Partida(IMOBILIZADO, "D", 5, ""),
            Partida(CAIXA, "C", 3, "FR=1500"),
            Partida(CAIXA, "C", 2, "FR=1700"),
        ),
        numero="20260000000002",
    ),
    Lancamento(
        "camara",
        dt.date(2026, 3, 10),
        "Estorno do lançamento 20260000000002: Compra",
        (Partida(CAIXA, "D", 5, "FR=1500"), Partida(IMOBILIZADO, "C", 5, "")),
        numero="E1",
        estorno=True,
        estornado="20260000000002",
    ),
    Lancamento(
        "camara",
        dt.date(2026, 12, 31),
        "Encerramento",
        (Partida("4.1.0.0.0.00.00", "D", 10**15, ""), Partida(RESULTADOS, "C", 10**15, "")),
        numero="X",
        tipo=TipoLancamento.ENCERRAMENTO,
    ),
]


def test_escrever_e_ler_csv_de_novo() -> None:
    saida = list(escrever_lancamentos_csv(LANCS))
    assert saida[0] == (
        "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente;origem;estornado\n"
    )
    assert saida[1] == (
        "prefeitura;A1;2026-01-01;abertura;Abertura;1.1.1.1.1.01.00;D;1234.56;FR=1500;"
        "implantação;\n"
    )
    assert len(saida) == 1 + 9  # uma linha por partida
    lote = ler_lancamentos_csv(saida)
    assert lote.erros == []
    assert lote.lancamentos == LANCS
    assert lote.linhas == [2, 4, 7, 9]


def test_escrever_preserva_separador_e_quebra_do_historico() -> None:
    lc = LANCS[1]._replace(historico="Compra; mesa\nNF 7")
    (lido,) = ler_lancamentos_csv(list(escrever_lancamentos_csv([lc]))).lancamentos
    assert lido.historico == "Compra; mesa\nNF 7"


def test_ida_e_volta_com_aspas_no_historico() -> None:
    lc = LANCS[1]._replace(historico='"Urgente" pagamento')
    lote = ler_lancamentos_csv(list(escrever_lancamentos_csv([lc])))
    assert lote.lancamentos == [lc]


def test_ida_e_volta_com_retorno_de_carro_no_historico() -> None:
    lc = LANCS[1]._replace(historico="Compra\r\nde mesa")
    lote = ler_lancamentos_csv(list(escrever_lancamentos_csv([lc])))
    assert lote.erros == []
    assert len(lote.lancamentos) == 1
