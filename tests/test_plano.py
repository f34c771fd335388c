"""Plano de contas: leitura/escrita do CSV no padrão STN e extração do balancete TCE-RS."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from erario.core.erros import Erro
from erario.razao.modelo import Conta, NaturezaInformacao, NaturezaSaldo, PlanoContas
from erario.razao.plano import (
    contas_analiticas,
    escrever_plano_csv,
    filhas,
    ler_plano_csv,
    ler_plano_tce_rs,
)
from tests.conftest import PLANO_TESTE, REFERENCIA

CABECALHO = (
    "CONTA;TÍTULO;NATUREZA DO SALDO;INDICADOR DO SUPERÁVIT FINANCEIRO;"
    "NATUREZA DA INFORMAÇÃO;ESCRITURAÇÃO;CONTA CORRENTE\n"
)
ARQUIVO_TCE = REFERENCIA / "balancete-prefeitura-rs-2022-01a04.csv"


def _plano_teste() -> PlanoContas:
    plano, erros = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert erros == []
    assert plano is not None
    return plano


def _regras(erros: list[Erro]) -> list[tuple[str, int | None, str | None]]:
    return [(e.regra, e.linha, e.campo) for e in erros]


# ------------------------------------------------------------------ plano de teste


def test_le_plano_de_teste() -> None:
    plano = _plano_teste()
    assert plano.nome == "PCASP"
    assert str(plano.mascara) == "X.X.X.X.X.XX.XX"
    # PLANO_TESTE tem 28 linhas de contas (contadas à mão), 11 com escrituração S.
    assert len(plano.contas) == 28
    analiticas = [c.codigo for c in contas_analiticas(plano)]
    assert analiticas == [
        "1.1.1.1.1.01.00",
        "1.1.1.1.1.06.00",
        "1.2.3.0.0.00.00",
        "2.1.3.0.0.00.00",
        "2.3.7.0.0.00.00",
        "3.3.0.0.0.00.00",
        "4.1.0.0.0.00.00",
        "5.2.2.0.0.00.00",
        "6.2.2.0.0.00.00",
        "7.2.0.0.0.00.00",
        "8.2.0.0.0.00.00",
    ]
    assert list(plano.contas) == sorted(plano.contas)  # em ordem de código


def test_contas_do_plano_de_teste() -> None:
    c = _plano_teste().contas
    assert c["1.1.1.1.1.01.00"] == Conta(
        codigo="1.1.1.1.1.01.00",
        titulo="CAIXA",
        nivel=6,
        pai="1.1.1.1.1.00.00",
        analitica=True,
        natureza_saldo=NaturezaSaldo.DEVEDORA,
        natureza_informacao=NaturezaInformacao.PATRIMONIAL,
        superavit="F",
        conta_corrente=("FR",),
        funcao="",
    )
    assert c["1.0.0.0.0.00.00"].pai is None
    assert c["1.0.0.0.0.00.00"].nivel == 1
    assert not c["1.0.0.0.0.00.00"].analitica
    assert c["1.2.3.0.0.00.00"].pai == "1.2.0.0.0.00.00"
    assert c["1.2.3.0.0.00.00"].conta_corrente == ()
    assert c["1.2.3.0.0.00.00"].superavit == "P"
    assert c["3.3.0.0.0.00.00"].pai == "3.0.0.0.0.00.00"
    assert c["3.3.0.0.0.00.00"].nivel == 2
    # Conta corrente sempre na ordem canônica dos tipos (FR antes de CR e DB).
    assert c["1.1.1.1.1.06.00"].conta_corrente == ("FR", "DB")
    assert c["2.1.3.0.0.00.00"].conta_corrente == ("FR", "CR")
    assert c["2.1.3.0.0.00.00"].natureza_saldo == NaturezaSaldo.CREDORA
    assert c["5.2.2.0.0.00.00"].natureza_informacao == NaturezaInformacao.ORCAMENTARIA
    assert c["8.2.0.0.0.00.00"].natureza_informacao == NaturezaInformacao.CONTROLE
    assert c["8.2.0.0.0.00.00"].classe == 8
    assert filhas(_plano_teste())["1.1.1.1.1.00.00"] == ["1.1.1.1.1.01.00", "1.1.1.1.1.06.00"]


def test_colunas_opcionais_e_inferencia() -> None:
    # Sem ESCRITURAÇÃO: analítica é a conta sem filhas; sem naturezas: pela classe.
    texto = (
        "conta;titulo\n"
        "1.0.0.0.0.00.00;ATIVO\n"
        "1.1.0.0.0.00.00;CIRCULANTE\n"
        "\n"
        "6.0.0.0.0.00.00;EXECUÇÃO\n"
        "6.2.1.0.0.00.00;RECEITA\n"
    )
    plano, erros = ler_plano_csv(texto, "X")
    assert erros == []
    assert plano is not None
    c = plano.contas
    assert [k for k, v in c.items() if v.analitica] == ["1.1.0.0.0.00.00", "6.2.1.0.0.00.00"]
    assert c["6.2.1.0.0.00.00"].pai == "6.0.0.0.0.00.00"  # nível 2 ausente: liga ao mais próximo
    assert c["6.2.1.0.0.00.00"].natureza_saldo == NaturezaSaldo.CREDORA  # classe par
    assert c["6.2.1.0.0.00.00"].natureza_informacao == NaturezaInformacao.ORCAMENTARIA
    assert c["1.1.0.0.0.00.00"].natureza_saldo == NaturezaSaldo.DEVEDORA


def test_aceita_nomes_por_extenso_e_bom() -> None:
    texto = (
        "\ufeff"
        + CABECALHO
        + "5.0.0.0.0.00.00;ORÇAMENTO;Devedora/Credora;;Orçamentária;N;\n"
        + "5.2.0.0.0.00.00;APROVADO;mista;;orcamentaria;s;fr + nr\n"
    )
    plano, erros = ler_plano_csv(texto, "X")
    assert erros == []
    assert plano is not None
    c = plano.contas["5.2.0.0.0.00.00"]
    assert c.natureza_saldo == NaturezaSaldo.MISTA
    assert c.natureza_informacao == NaturezaInformacao.ORCAMENTARIA
    assert c.analitica
    assert c.conta_corrente == ("FR", "NR")


# ------------------------------------------------------------------------- erros


def test_erros_de_linha_todos_de_uma_vez() -> None:
    texto = CABECALHO + (
        "1.0.0.0.0.00.00;ATIVO;Devedora;;P;N;\n"  # linha 2: ok
        "1.1.0.0.0.00.00;CIRCULANTE;Vermelha;;P;N;\n"  # 3: natureza do saldo
        "1.1.1.0.0.00.00;CAIXA;Devedora;Z;P;S;\n"  # 4: superávit
        "1.1.2.0.0.00.00;CRÉDITOS;Devedora;F;Q;S;\n"  # 5: natureza da informação
        "1.1.3.0.0.00.00;DEMAIS;Devedora;F;P;talvez;\n"  # 6: escrituração
        "1.1.4.0.0.00.00;INVESTIMENTOS;Devedora;F;P;S;FR,XX+YY\n"  # 7: tipos de cc
        ";SEM CÓDIGO;Devedora;;P;S;\n"  # 8: código ausente
    )
    plano, erros = ler_plano_csv(texto, "X", origem="meu.csv")
    assert plano is None
    assert _regras(erros) == [
        ("PLANO-LINHA", 3, "NATUREZA DO SALDO"),
        ("PLANO-LINHA", 4, "INDICADOR DO SUPERÁVIT FINANCEIRO"),
        ("PLANO-LINHA", 5, "NATUREZA DA INFORMAÇÃO"),
        ("PLANO-LINHA", 6, "ESCRITURAÇÃO"),
        ("PLANO-LINHA", 7, "CONTA CORRENTE"),
        ("PLANO-LINHA", 8, None),
    ]
    assert [e.mensagem for e in erros] == [
        "natureza do saldo 'VERMELHA' inválida",
        "indicador do superávit 'Z' inválido: use F, P ou X",
        "natureza da informação 'Q' inválida: use P, O ou C",
        "escrituração 'TALVEZ' inválida: use S ou N",
        "tipo de conta corrente XX, YY desconhecido",
        "CONTA e TÍTULO são obrigatórios",
    ]
    assert all(e.origem == "meu.csv" for e in erros)
    assert str(erros[0]) == (
        "meu.csv, linha 3, campo NATUREZA DO SALDO: [PLANO-LINHA] natureza do saldo "
        "'VERMELHA' inválida"
    )


def test_erros_de_codigo_todos_de_uma_vez() -> None:
    # A máscara vem da primeira conta; repetidas e fora da máscara saem juntas.
    texto = CABECALHO + (
        "1.0.0.0.0.00.00;ATIVO;Devedora;;P;N;\n"  # linha 2
        "1.1.0.0.0.00.00;CIRCULANTE;Devedora;;P;N;\n"  # 3
        "1.1.0.0.0.00.00;CIRCULANTE DE NOVO;Devedora;;P;N;\n"  # 4: repetida
        "1.1.1.0.0.0.00;CAIXA;Devedora;;P;S;\n"  # 5: item com 1 dígito
        "0.1.0.0.0.00.00;SEM CLASSE;Devedora;;P;S;\n"  # 6: classe 0
        "1.1.a.0.0.00.00;LETRA;Devedora;;P;S;\n"  # 7: não numérico
        "1.1.1.1.1.01.00.01;NÍVEL A MAIS;Devedora;;P;S;\n"  # 8: oito níveis
    )
    plano, erros = ler_plano_csv(texto, "X")
    assert plano is None
    assert _regras(erros) == [
        ("PLANO-DUPLICADA", 4, "CONTA"),
        ("PLANO-MASCARA", 5, "CONTA"),
        ("PLANO-MASCARA", 6, "CONTA"),
        ("PLANO-MASCARA", 7, "CONTA"),
        ("PLANO-MASCARA", 8, "CONTA"),
    ]
    assert erros[0].mensagem == "conta 1.1.0.0.0.00.00 repetida (já na linha 3)"
    assert erros[1].mensagem == "conta 1.1.1.0.0.0.00 fora da máscara X.X.X.X.X.XX.XX do plano"
    assert erros[2].mensagem == "conta 0.1.0.0.0.00.00 sem classe"


def test_erros_de_arvore_todos_de_uma_vez() -> None:
    # Sem nenhuma conta superior no plano; natureza da informação contra a classe.
    texto = CABECALHO + (
        "1.0.0.0.0.00.00;ATIVO;Devedora;;P;N;\n"  # 2
        "1.2.0.0.0.00.00;NÃO CIRCULANTE;Devedora;;O;S;\n"  # 3: classe 1 não é orçamentária
        "2.1.0.0.0.00.00;PASSIVO CIRCULANTE;Credora;;P;S;\n"  # 4: falta 2.0.0.0.0.00.00
        "7.2.1.0.0.00.00;CONTROLE;Devedora;;C;S;\n"  # 5: falta 7.x
        "5.0.0.0.0.00.00;ORÇAMENTO;Devedora;;C;N;\n"  # 6: classe 5 não é controle
    )
    plano, erros = ler_plano_csv(texto, "X")
    assert plano is None
    assert sorted(_regras(erros), key=lambda r: (r[1], r[0])) == [
        ("PLANO-NATUREZA", 3, "NATUREZA DA INFORMAÇÃO"),
        ("PLANO-PAI", 4, "CONTA"),
        ("PLANO-PAI", 5, "CONTA"),
        ("PLANO-NATUREZA", 6, "NATUREZA DA INFORMAÇÃO"),
    ]
    mensagens = {e.linha: e.mensagem for e in erros}
    assert mensagens[4] == "conta 2.1.0.0.0.00.00 não tem conta superior no plano"
    assert mensagens[3] == (
        "conta 1.2.0.0.0.00.00: natureza da informação Orçamentária não corresponde à classe 1"
    )


def test_erros_por_etapa() -> None:
    # As etapas são sucessivas: com erro de linha a árvore não é examinada
    # (a repetida da linha 4 não aparece junto com a natureza inválida da 3).
    texto = CABECALHO + (
        "1.0.0.0.0.00.00;ATIVO;Devedora;;P;N;\n"
        "1.1.0.0.0.00.00;CIRCULANTE;Roxa;;P;N;\n"
        "1.1.0.0.0.00.00;CIRCULANTE;Devedora;;P;N;\n"
    )
    _, erros = ler_plano_csv(texto, "X")
    assert _regras(erros) == [("PLANO-LINHA", 3, "NATUREZA DO SALDO")]


@pytest.mark.parametrize(
    ("texto", "mensagem"),
    [
        ("CODIGO;NOME\n1;ATIVO\n", "faltam as colunas CONTA, TITULO no cabeçalho"),
        ("CONTA;NATUREZA DO SALDO\n1;D\n", "faltam as colunas TITULO no cabeçalho"),
    ],
)
def test_cabecalho_sem_coluna(texto: str, mensagem: str) -> None:
    plano, erros = ler_plano_csv(texto, "X")
    assert plano is None
    assert erros == [Erro("PLANO-CABECALHO", mensagem, None, 1, "plano")]


def test_plano_vazio() -> None:
    assert ler_plano_csv("", "X")[1] == [Erro("PLANO-VAZIO", "arquivo vazio", origem="plano")]
    assert ler_plano_csv("CONTA;TÍTULO\n\n", "X")[1] == [
        Erro("PLANO-VAZIO", "o plano não tem contas", origem="plano")
    ]


# --------------------------------------------------------------------- escrita


def test_escrever_e_ler_de_novo_da_o_mesmo_plano() -> None:
    plano = _plano_teste()
    texto = escrever_plano_csv(plano)
    assert texto.splitlines()[0] == (
        "CONTA;TÍTULO;NATUREZA DO SALDO;INDICADOR DO SUPERÁVIT FINANCEIRO;"
        "NATUREZA DA INFORMAÇÃO;ESCRITURAÇÃO;CONTA CORRENTE;FUNÇÃO"
    )
    assert "1.1.1.1.1.06.00;BANCOS CONTA MOVIMENTO;Devedora;F;P;S;FR,DB;" in texto.splitlines()
    de_novo, erros = ler_plano_csv(texto, "PCASP")
    assert erros == []
    assert de_novo == plano


def test_ida_e_volta_com_titulo_e_funcao_com_separadores() -> None:
    texto = CABECALHO.replace("\n", ";FUNÇÃO\n") + (
        "1.0.0.0.0.00.00;ATIVO;Devedora;;P;N;;\n"
        '1.1.0.0.0.00.00;"CAIXA; ""BANCOS"" E OUTROS";Devedora/Credora;X;P;S;DB,FR;'
        '"Registra; com aspas"\n'
    )
    plano, erros = ler_plano_csv(texto, "X")
    assert erros == []
    assert plano is not None
    conta = plano.contas["1.1.0.0.0.00.00"]
    assert conta.titulo == 'CAIXA; "BANCOS" E OUTROS'
    assert conta.funcao == "Registra; com aspas"
    assert conta.conta_corrente == ("FR", "DB")
    assert ler_plano_csv(escrever_plano_csv(plano), "X") == (plano, [])


# ------------------------------------------------------- arquivo real do TCE-RS


@pytest.fixture(scope="module")
def texto_tce() -> str:
    if not ARQUIVO_TCE.exists():
        pytest.skip(f"arquivo de referência ausente: {ARQUIVO_TCE}")
    return ARQUIVO_TCE.read_text("utf-8")


@pytest.fixture(scope="module")
def linhas_tce(texto_tce: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(texto_tce), delimiter=";"))


@pytest.fixture(scope="module")
def plano_tce(texto_tce: str) -> PlanoContas:
    plano, erros = ler_plano_tce_rs(texto_tce, "TCE-RS")
    assert erros == []
    assert plano is not None
    return plano


def test_tce_rs_contas_e_mascara(plano_tce: PlanoContas, linhas_tce: list[dict[str, str]]) -> None:
    assert len(linhas_tce) == 1674  # uma linha por conta e unidade orçamentária
    assert len(plano_tce.contas) == 1365
    assert len({r["conta_contabil"] for r in linhas_tce}) == 1365
    assert plano_tce.mascara.niveis == 12
    assert str(plano_tce.mascara) == "X.X.X.X.X.XX.XX.XX.XX.XX.XX.XXX"
    assert all(len(c.split(".")) == 12 for c in plano_tce.contas)


def test_tce_rs_analiticas(plano_tce: PlanoContas, linhas_tce: list[dict[str, str]]) -> None:
    tipo: dict[str, set[str]] = {}
    for r in linhas_tce:
        tipo.setdefault(r["conta_contabil"], set()).add(r["tipo_nivel"])
    assert all(len(v) == 1 for v in tipo.values())  # o arquivo é coerente entre unidades
    esperadas = {c for c, v in tipo.items() if v == {"A"}}
    assert len(esperadas) == 907
    assert {c.codigo for c in contas_analiticas(plano_tce)} == esperadas


def test_tce_rs_analiticas_com_filhas_aceitas(plano_tce: PlanoContas) -> None:
    com_filhas = set(filhas(plano_tce))
    analiticas_com_filhas = sorted(
        c.codigo for c in contas_analiticas(plano_tce) if c.codigo in com_filhas
    )
    assert analiticas_com_filhas == [
        "1.2.2.1.1.01.07.00.00.00.00.000",
        "1.2.3.2.1.05.99.00.00.00.00.000",
        "1.2.3.9.1.02.03.99.00.00.00.000",
        "2.1.1.2.3.05.01.00.00.00.00.000",
        "2.1.3.1.1.01.01.02.00.00.00.000",
        "7.2.1.1.2.45.00.00.00.00.00.000",
        "8.2.1.1.1.01.45.00.00.00.00.000",
        "8.2.1.1.2.01.45.00.00.00.00.000",
        "8.2.1.1.3.01.45.00.00.00.00.000",
        "8.2.1.1.4.45.00.00.00.00.00.000",
    ]
    assert plano_tce.contas["2.1.3.1.1.01.01.02.08.00.00.000"].pai == (
        "2.1.3.1.1.01.01.02.00.00.00.000"
    )


def test_tce_rs_natureza_por_classe(
    plano_tce: PlanoContas, linhas_tce: list[dict[str, str]]
) -> None:
    por_classe = Counter(c.classe for c in plano_tce.contas.values())
    esperado = Counter(int(c[0]) for c in {r["conta_contabil"] for r in linhas_tce})
    assert por_classe == esperado
    assert sum(por_classe.values()) == 1365
    natureza = {1: "P", 2: "P", 3: "P", 4: "P", 5: "O", 6: "O", 7: "C", 8: "C"}
    for c in plano_tce.contas.values():
        assert c.natureza_informacao.value == natureza[c.classe], c.codigo
    do_arquivo = {r["conta_contabil"]: r["natureza_informacao"] for r in linhas_tce}
    assert all(plano_tce.contas[k].natureza_informacao.value == v for k, v in do_arquivo.items())


def test_tce_rs_fonte_de_recurso_e_superavit(
    plano_tce: PlanoContas, linhas_tce: list[dict[str, str]]
) -> None:
    # FR exigida nas analíticas com alguma linha de recurso vinculado ≠ 0000.
    com_fonte = {
        r["conta_contabil"]
        for r in linhas_tce
        if r["tipo_nivel"] == "A" and r["recurso_vinculado"].strip("0")
    }
    exigem = {c.codigo for c in plano_tce.contas.values() if c.conta_corrente}
    assert exigem == com_fonte
    assert all(plano_tce.contas[c].conta_corrente == ("FR",) for c in exigem)
    assert plano_tce.contas["1.0.0.0.0.00.00.00.00.00.00.000"].superavit == "F"
    assert plano_tce.contas["1.0.0.0.0.00.00.00.00.00.00.000"].titulo == "ATIVO"


def test_tce_rs_ida_e_volta_pelo_csv_stn(plano_tce: PlanoContas) -> None:
    assert ler_plano_csv(escrever_plano_csv(plano_tce), "TCE-RS") == (plano_tce, [])


def test_tce_rs_cabecalho_errado() -> None:
    plano, erros = ler_plano_tce_rs("conta;nome\n1;x\n", "T")
    assert plano is None
    assert [(e.regra, e.linha) for e in erros] == [("PLANO-CABECALHO", 1)]
