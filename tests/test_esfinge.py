"""e-Sfinge (TCE-SC), pacote Registros Contábeis: geração do razão, golden files,
uma regra do documento por teste (mensagem conferida ao pé da letra) e CLI."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from erario.cli.app import app
from erario.core.dinheiro import Dinheiro
from erario.core.erros import OperacaoRecusada
from erario.leiautes import esfinge as esf
from erario.leiautes.escrita import ler_json, para_json, para_xlsx
from erario.leiautes.esfinge_geracao import (
    PendenciaConciliacao,
    gerar_pacote,
    ler_pendencias_csv,
)
from erario.leiautes.modelo import Pacote
from erario.razao.modelo import (
    Entidade,
    Lancamento,
    Partida,
    TipoEntidade,
    TipoLancamento,
    atributos_cc,
)
from erario.razao.plano import plano_base
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.esfinge import ler_dados
from erario.storage.repositorio import Repositorio
from tests.conftest import CNPJ_PREFEITURA, GOLDEN, conferir_golden, preparar_repo_pcasp

DB1 = "001-1234-5-67890-1"  # conta movimento
DB2 = "001-1234-5-99887-0"  # conta de aplicação
CREDOR = "11222333000181"
MOVIMENTO = "1.1.1.1.1.19.00"
APLICACAO = "1.1.1.1.1.50.00"
FORNECEDORES = "2.1.3.1.1.01.01"  # indicador X: atributo FP no campo 11
MANUTENCAO = "3.3.2.3.1.06.00"
RENDIMENTO = "4.4.5.2.1.00.00"
RESULTADOS = "2.3.7.1.1.02.00"
HISTORICO_LONGO = "Manutenção predial " + "x" * 200

runner = CliRunner()


def _banco(db: str) -> dict[str, str]:
    return {"FR": "1500", "DB": db}


def _forn(fp: str = "F") -> dict[str, str]:
    return {"FR": "1500", "CR": CREDOR, "FP": fp}


def _l(numero: str, data: dt.date, historico: str, *partidas: Partida) -> Lancamento:
    tipo = TipoLancamento.ABERTURA if numero.startswith("ABE") else TipoLancamento.ORDINARIO
    return Lancamento("prefeitura", data, historico, partidas, numero, tipo)


def montar(repo: Repositorio) -> None:
    """Prefeitura: conta movimento e conta de aplicação; janeiro, março e dezembro de 2026."""
    cadastros = [
        {
            "cadastro": "conta_bancaria",
            "entidade": "prefeitura",
            "codigo": db,
            "tipo": tipo,
            "fonte": "1500",
            "conta_contabil": conta,
            "banco": "001",
            "agencia": "1234",
            "agencia_dv": "5",
            "conta": numero,
            "conta_dv": dv,
        }
        for db, tipo, conta, numero, dv in (
            (DB1, "movimento", MOVIMENTO, "67890", "1"),
            (DB2, "aplicacao", APLICACAO, "99887", "0"),
        )
    ]
    repo.registrar_cadastros([json.dumps(c) for c in cadastros], "cadastros.jsonl")
    d = dt.date
    P = Partida.de
    for lanc in (
        _l(
            "ABE-1",
            d(2026, 1, 1),
            "Saldos iniciais",
            P(MOVIMENTO, "D", "10000.00", _banco(DB1)),
            P(RESULTADOS, "C", "10000.00"),
        ),
        _l(
            "APL-1",
            d(2026, 3, 5),
            "Aplicação em fundo de renda fixa",
            P(APLICACAO, "D", "4000.00", _banco(DB2)),
            P(MOVIMENTO, "C", "4000.00", _banco(DB1)),
        ),
        _l(
            "LIQ-1",
            d(2026, 3, 10),
            "Liquidação de serviço lançada em duplicidade",
            P(MANUTENCAO, "D", "100.00"),
            P(FORNECEDORES, "C", "100.00", _forn()),
        ),
        _l(
            "LIQ-2",
            d(2026, 3, 20),
            HISTORICO_LONGO,
            P(MANUTENCAO, "D", "1500.00"),
            P(FORNECEDORES, "C", "1500.00", _forn()),
        ),
        _l(
            "PAG-1",
            d(2026, 3, 25),
            "Pagamento ao fornecedor",
            P(FORNECEDORES, "D", "1500.00", _forn()),
            P(MOVIMENTO, "C", "1500.00", _banco(DB1)),
        ),
        _l(
            "REN-1",
            d(2026, 3, 31),
            "Rendimento da aplicação em março",
            P(APLICACAO, "D", "12.34", _banco(DB2)),
            P(RENDIMENTO, "C", "12.34"),
        ),
        _l(
            "DES-12",
            d(2026, 12, 10),
            "Manutenção paga com cheque 000123",
            P(MANUTENCAO, "D", "200.00"),
            P(MOVIMENTO, "C", "200.00", _banco(DB1)),
        ),
    ):
        repo.lancar(lanc)
    repo.estornar("prefeitura", "LIQ-1", d(2026, 3, 12), numero_estorno="EST-1")


CHEQUE = PendenciaConciliacao(
    DB1,
    "4",
    dt.date(2026, 12, 10),
    Dinheiro("200.00"),
    "1",
    "000123",
    "Cheque 000123 emitido e não compensado até 31/12",
)


@pytest.fixture
def repo_esfinge(repo_pcasp: Repositorio) -> Repositorio:
    montar(repo_pcasp)
    return repo_pcasp


def _pacote(
    repo: Repositorio, mes: int, pendencias: tuple[PendenciaConciliacao, ...] = ()
) -> Pacote:
    dados, ctx = ler_dados(repo, "prefeitura", 2026, mes, pendencias)
    pacote = gerar_pacote(dados)
    assert esf.validar_pacote(pacote, ctx) == []
    return pacote


# ------------------------------------------------------------------- geração
def test_marco_do_razao_golden(repo_esfinge: Repositorio) -> None:
    pacote = _pacote(repo_esfinge, 3)
    lancs = pacote.itens(esf.LANCAMENTO)
    # APL-1, LIQ-1, LIQ-2, PAG-1, REN-1 e o estorno EST-1: 6 lançamentos × 2 partidas.
    assert len(lancs) == 12
    assert [(x["numeroControle"], x["numeroSequencial"]) for x in lancs[:2]] == [
        ("APL-1", 1),
        ("APL-1", 2),
    ]
    liq2 = [x for x in lancs if x["numeroControle"] == "LIQ-2"]
    assert len(str(liq2[0]["historicoLancamento"])) == 150  # campo 8: até 150
    assert liq2[1]["atributoSuperavitFinanceiro"] == "F"  # conta X → campo 11
    assert liq2[1]["contaCorrenteContabil"] == "150011222333000181"  # FR + CR, sem separador
    assert "atributoSuperavitFinanceiro" not in liq2[0]  # conta sem indicador X
    estorno = [x for x in lancs if x["numeroControle"] == "EST-1"]
    assert [x["indicativoEstorno"] for x in estorno] == ["S", "S"]
    # Aplicação: 4.000,00 aplicados e 12,34 de rendimento na conta 1.1.1.1.1.50.
    assert pacote.itens(esf.APLICACAO) == (
        {
            "codigoContaContabil": "111115000",
            "contaCorrenteContabil": "150000112345998870",
            "valorAplicado": Decimal("4000.00"),
            "valorResgatado": Decimal("0.00"),
            "valorRendimento": Decimal("12.34"),
        },
    )
    # A conta de aplicação começou a movimentar em 05/03: vai em Conta Bancária de março.
    (conta,) = pacote.itens(esf.CONTA_BANCARIA)
    assert (conta["codigoContaBancaria"], conta["tipoContaBancaria"]) == (99887, 3)
    assert conta["dataAtivacao"] == dt.date(2026, 3, 5)
    assert esf.SALDOS not in pacote.registros
    conferir_golden("esfinge_2026_03.json", para_json(esf.leiaute(), pacote))


def test_janeiro_traz_a_abertura_e_a_conta_movimento(repo_esfinge: Repositorio) -> None:
    pacote = _pacote(repo_esfinge, 1)
    assert [x["tipoLancamento"] for x in pacote.itens(esf.LANCAMENTO)] == [1, 1]  # abertura
    assert [x["codigoContaBancaria"] for x in pacote.itens(esf.CONTA_BANCARIA)] == [67890]


def test_dezembro_saldos_e_conciliacao_golden(repo_esfinge: Repositorio) -> None:
    pacote = _pacote(repo_esfinge, 12, (CHEQUE,))
    # Conta movimento: 10.000,00 − 4.000,00 − 1.500,00 − 200,00 = 4.300,00 no razão; o
    # cheque não compensado (Tabela 70, código 4) soma 200,00: extrato 4.500,00.
    # Aplicação: 4.000,00 + 12,34 = 4.012,34 (sem pendências).
    assert [(x["codigoContaBancaria"], x["valorSaldo"]) for x in pacote.itens(esf.SALDOS)] == [
        ("67890", Decimal("4500.00")),
        ("99887", Decimal("4012.34")),
    ]
    (pend,) = pacote.itens(esf.CONCILIACAO)
    assert (pend["numeroSequencialOperacao"], pend["tipoOperacao"], pend["valorOperacao"]) == (
        1,
        4,
        Decimal("200.00"),
    )
    conferir_golden("esfinge_2026_12.json", para_json(esf.leiaute(), pacote))


def test_mes_sem_movimento_vai_vazio(repo_esfinge: Repositorio) -> None:
    texto = para_json(esf.leiaute(), _pacote(repo_esfinge, 2))
    assert texto == (
        "{\n"
        '  "anoMesRegistros": 202602,\n'
        '  "contaBancaria": [],\n'
        '  "encerramentoContaBancaria": [],\n'
        '  "lancamentoContabilPlanoUnico": [],\n'
        '  "aplicacaoFinanceiraPlanoUnico": [],\n'
        '  "totalizadores": {\n'
        '    "quantidadeRegistrosContaBancaria": 0,\n'
        '    "quantidadeRegistrosEncerramentoContaBancaria": 0,\n'
        '    "quantidadeRegistrosLancamentoContabilPlanoUnico": 0,\n'
        '    "quantidadeRegistrosAplicacaoFinanceiraPlanoUnico": 0,\n'
        '    "quantidadeRegistrosSaldosBancarios": 0,\n'
        '    "quantidadeRegistrosConciliacaoBancaria": 0\n'
        "  }\n"
        "}\n"
    )


def test_json_ida_e_volta(repo_esfinge: Repositorio) -> None:
    pacote = _pacote(repo_esfinge, 12, (CHEQUE,))
    texto = para_json(esf.leiaute(), pacote)
    lido, erros = ler_json(esf.leiaute(), texto)
    assert erros == [] and lido is not None
    assert lido.registros == pacote.registros
    assert lido.totalizadores == {
        "quantidadeRegistrosContaBancaria": 0,
        "quantidadeRegistrosEncerramentoContaBancaria": 0,
        "quantidadeRegistrosLancamentoContabilPlanoUnico": 2,
        "quantidadeRegistrosAplicacaoFinanceiraPlanoUnico": 0,
        "quantidadeRegistrosSaldosBancarios": 2,
        "quantidadeRegistrosConciliacaoBancaria": 1,
    }


def _xlsx_em_texto(caminho: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(caminho)
    linhas = []
    for ws in wb.worksheets:
        linhas.append(f"== {ws.title}")
        for row in ws.iter_rows():
            valores = []
            for c in row:
                v = c.value
                if v is None:
                    valores.append("")
                elif isinstance(v, dt.datetime):
                    valores.append(f"{v.date().isoformat()} [{c.number_format}]")
                elif isinstance(v, float | int | Decimal) and c.number_format != "General":
                    valores.append(f"{v} [{c.number_format}]")
                else:
                    valores.append(str(v))
            linhas.append(" | ".join(valores))
    return "\n".join(linhas) + "\n"


def test_xlsx_golden(repo_esfinge: Repositorio, tmp_path: Path) -> None:
    caminho = tmp_path / "esfinge.xlsx"
    para_xlsx(esf.leiaute(), _pacote(repo_esfinge, 12, (CHEQUE,)), caminho)
    conferir_golden("esfinge_2026_12_xlsx.txt", _xlsx_em_texto(caminho))


def test_empresa_nao_envia(repo_pcasp: Repositorio) -> None:
    repo_pcasp.criar_entidade(
        Entidade(
            "empresa", "Companhia de Saneamento", CREDOR, TipoEntidade.EMPRESA, "4312658", "10131"
        )
    )
    with pytest.raises(OperacaoRecusada) as exc:
        ler_dados(repo_pcasp, "empresa", 2026, 3)
    assert [str(e) for e in exc.value.erros] == [
        "[ESF-ENTIDADE] Companhia de Saneamento é do tipo empresa: o pacote Registros Contábeis "
        "não se aplica a empresas e associações"
    ]


def test_ano_inteiro_doze_pacotes_validos(repo_esfinge: Repositorio) -> None:
    for mes in range(1, 13):
        pacote = _pacote(repo_esfinge, mes, (CHEQUE,) if mes == 12 else ())
        assert (esf.SALDOS in pacote.registros) == (mes == 12)


# ------------------------------------------- regras do documento, uma por teste
PLANO = plano_base()
D = dt.date(2026, 12, 15)


def _lanc(
    numero: str, seq: int, conta: str, tipo_mov: int, valor: str, **extra: Any
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "numeroControle": numero,
        "numeroSequencial": seq,
        "dataLancamento": D,
        "codigoContaContabil": conta,
        "tipoLancamento": 2,
        "tipoMovimentoContabil": tipo_mov,
        "historicoLancamento": "Pagamento ao fornecedor",
        "valorLancamento": Decimal(valor),
        "indicativoEstorno": "N",
    }
    item.update(extra)
    return item


def _conta_bancaria(**extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "codigoBanco": 1,
        "codigoAgencia": 1234,
        "digitoVerificadorAgencia": 5,
        "codigoContaBancaria": 67890,
        "digitoVerificadorContaBancaria": "1",
        "tipoContaBancaria": 1,
        "nomeContaBancaria": "Prefeitura — conta movimento",
        "numeroCnpjTitular": int(CNPJ_PREFEITURA),
        "codigoIbgeCidadeAgencia": 431265,
        "dataAtivacao": dt.date(2026, 12, 1),
    }
    item.update(extra)
    return item


def _base() -> dict[str, list[dict[str, Any]]]:
    """Dezembro válido: uma conta, um pagamento (conta X com atributo), aplicação, saldo, conciliação."""
    bancarios = {
        "codigoBanco": 1,
        "codigoAgencia": 1234,
        "digitoVerificadorAgencia": 5,
        "codigoContaBancaria": "67890",
        "digitoVerificadorContaBancaria": "1",
    }
    return {
        esf.CONTA_BANCARIA: [_conta_bancaria()],
        esf.ENCERRAMENTO: [],
        esf.LANCAMENTO: [
            _lanc(
                "PAG-1",
                1,
                "213110101",
                1,
                "1500.00",
                contaCorrenteContabil="150011222333000181",
                atributoSuperavitFinanceiro="F",
            ),
            _lanc(
                "PAG-1",
                2,
                "111111900",
                2,
                "1500.00",
                contaCorrenteContabil="1500001123456789 01".replace(" ", ""),
            ),
        ],
        esf.APLICACAO: [
            {
                "codigoContaContabil": "111115000",
                "contaCorrenteContabil": "150000112345998870",
                "valorAplicado": Decimal("0.00"),
                "valorResgatado": Decimal("0.00"),
                "valorRendimento": Decimal("12.34"),
            }
        ],
        esf.SALDOS: [{**bancarios, "valorSaldo": Decimal("4500.00")}],
        esf.CONCILIACAO: [
            {
                **bancarios,
                "numeroSequencialOperacao": 1,
                "tipoOperacao": 4,
                "dataOperacao": D,
                "valorOperacao": Decimal("200.00"),
                "tipoDocumento": 1,
                "numeroDocumento": "000123",
                "descricaoOperacao": "Cheque não compensado",
            }
        ],
    }


def _erros(
    registros: dict[str, list[dict[str, Any]]],
    *,
    mes: int = 12,
    tipo: TipoEntidade = TipoEntidade.PREFEITURA,
    anteriores: dict[str, dt.date] | None = None,
    totalizadores: dict[str, object] | None = None,
) -> list[str]:
    pacote = Pacote(
        esf.leiaute().codigo,
        {"anoMesRegistros": 202600 + mes},
        {k: tuple(v) for k, v in registros.items()},
        totalizadores,
    )
    ctx = esf.ContextoEsfinge(PLANO, tipo, anteriores or {})
    return [str(e) for e in esf.validar_pacote(pacote, ctx)]


L = "Lançamento Contábil Plano Único"


def test_base_valida() -> None:
    assert _erros(_base()) == []


def test_lancamentos_obrigatorios_salvo_fundacao_e_fundo() -> None:
    sem = _base()
    del sem[esf.LANCAMENTO]
    assert _erros(sem) == [
        f"{L}: [ESF-LANCAMENTOS] obrigatório para unidade do tipo prefeitura (opcional só para "
        "fundação e fundo); sem lançamentos no mês, envie a lista vazia"
    ]
    assert _erros(sem, tipo=TipoEntidade.FUNDO) == []
    assert _erros(sem, tipo=TipoEntidade.FUNDACAO) == []


def test_numero_de_controle_em_outra_data() -> None:
    r = _base()
    r[esf.LANCAMENTO][1]["dataLancamento"] = dt.date(2026, 12, 16)
    assert _erros(r) == [
        f"{L}, linha 2, campo 1. Número de Controle: [ESF-NUMERO-CONTROLE] número de controle "
        "PAG-1 já usado em 15/12/2026; não pode repetir em 16/12/2026"
    ]


def test_numero_de_controle_de_pacote_anterior() -> None:
    assert _erros(_base(), anteriores={"PAG-1": dt.date(2026, 11, 3)}) == [
        f"{L}, linha 1, campo 1. Número de Controle: [ESF-NUMERO-CONTROLE] número de controle "
        "PAG-1 já usado em 03/11/2026 (pacote anterior); não pode repetir em 15/12/2026"
    ]


def test_numero_sequencial_maior_que_zero() -> None:
    r = _base()
    r[esf.LANCAMENTO][0]["numeroSequencial"] = 0
    assert _erros(r) == [
        f"{L}, linha 1, campo 2. Número Sequencial: [ESF-SEQUENCIAL] número sequencial 0 deve ser maior que zero"
    ]


def test_numero_sequencial_repetido_no_lancamento() -> None:
    r = _base()
    r[esf.LANCAMENTO][1]["numeroSequencial"] = 1
    assert _erros(r) == [
        f"{L}, linha 2: [LEI-CHAVE] mesma identificação (1. Número de Controle, "
        "2. Número Sequencial) do item 1"
    ]


def test_data_fora_do_mes() -> None:
    r = _base()
    for item in r[esf.LANCAMENTO]:
        item["dataLancamento"] = dt.date(2026, 11, 30)
    # Ativação anterior ao mês do pacote é aceita (o documento só fixa a data do lançamento).
    r[esf.CONTA_BANCARIA][0]["dataAtivacao"] = dt.date(2026, 1, 2)
    assert _erros(r) == [
        f"{L}, linha 1, campo 3. Data de Lançamento: [ESF-DATA-MES] data 30/11/2026 fora do mês do pacote (dezembro de 2026)",
        f"{L}, linha 2, campo 3. Data de Lançamento: [ESF-DATA-MES] data 30/11/2026 fora do mês do pacote (dezembro de 2026)",
    ]


def test_conta_analitica() -> None:
    r = _base()
    r[esf.LANCAMENTO][1]["codigoContaContabil"] = "111110000"  # sintética
    r[esf.APLICACAO][0]["codigoContaContabil"] = "999"
    assert _erros(r) == [
        f"{L}, linha 2, campo 4. Código da Conta Contábil: [ESF-CONTA] conta contábil 111110000 "
        "(1.1.1.1.1.00.00) é sintética: use conta analítica",
        "Aplicação Financeira Plano Único, linha 1, campo 1. Código da Conta Contábil: "
        "[ESF-CONTA] conta contábil 999 não existe no plano PCASP",
    ]


def test_conta_corrente_sem_separador() -> None:
    r = _base()
    r[esf.LANCAMENTO][0]["contaCorrenteContabil"] = "1500.11222333000181"
    assert _erros(r) == [
        f"{L}, linha 1, campo 5. Conta Corrente Contábil: [ESF-CONTA-CORRENTE-FORMATO] conta "
        "corrente '1500.11222333000181' deve vir sem ponto ou outro caractere de concatenação"
    ]


def test_conta_corrente_quando_a_conta_exige() -> None:
    r = _base()
    del r[esf.LANCAMENTO][1]["contaCorrenteContabil"]
    r[esf.LANCAMENTO].append(
        _lanc("AJU-1", 1, "332310600", 1, "1.00", contaCorrenteContabil="1500")
    )
    r[esf.LANCAMENTO].append(_lanc("AJU-1", 2, "237110200", 2, "1.00"))
    assert _erros(r) == [
        f"{L}, linha 2, campo 5. Conta Corrente Contábil: [ESF-CONTA-CORRENTE] a conta 111111900 "
        "exige conta corrente (FR, DB)",
        f"{L}, linha 3, campo 5. Conta Corrente Contábil: [ESF-CONTA-CORRENTE] a conta 332310600 "
        "não exige conta corrente: não informe",
    ]


def test_atributo_superavit_x_f_p() -> None:
    r = _base()
    del r[esf.LANCAMENTO][0]["atributoSuperavitFinanceiro"]
    r[esf.LANCAMENTO][1]["atributoSuperavitFinanceiro"] = "F"
    assert _erros(r) == [
        f"{L}, linha 1, campo 11. Atributo Superavit Financeiro: [ESF-ATRIBUTO-SUPERAVIT] a conta "
        "213110101 tem indicador de superávit X: informe P ou F",
        f"{L}, linha 2, campo 11. Atributo Superavit Financeiro: [ESF-ATRIBUTO-SUPERAVIT] a conta "
        "111111900 tem indicador de superávit F: não informe o atributo",
    ]


def test_atributo_superavit_so_p_ou_f() -> None:
    r = _base()
    r[esf.LANCAMENTO][0]["atributoSuperavitFinanceiro"] = "X"
    assert _erros(r) == [
        f"{L}, linha 1, campo 11. Atributo Superavit Financeiro: [LEI-DOMINIO] valor 'X' fora do domínio: P, F"
    ]


def test_estorno_s_ou_n() -> None:
    r = _base()
    r[esf.LANCAMENTO][0]["indicativoEstorno"] = "s"
    assert _erros(r) == [
        f"{L}, linha 1, campo 10. Indicativo de Estorno de Lançamento: [LEI-DOMINIO] valor 's' fora do domínio: S, N"
    ]


def test_historico_ate_150() -> None:
    r = _base()
    r[esf.LANCAMENTO][0]["historicoLancamento"] = "h" * 151
    assert _erros(r) == [
        f"{L}, linha 1, campo 8. Histórico do Lançamento: [LEI-TAMANHO] texto com 151 caracteres; máximo 150"
    ]


def test_valor_sempre_com_duas_casas() -> None:
    r = _base()
    r[esf.LANCAMENTO][0]["valorLancamento"] = Decimal("1500")
    r[esf.LANCAMENTO][1]["valorLancamento"] = Decimal("1500.000")
    assert _erros(r) == [
        f"{L}, linha 1, campo 9. Valor de Lançamento: [LEI-DECIMAIS] 1500 deve ter exatamente 2 casas decimais",
        f"{L}, linha 2, campo 9. Valor de Lançamento: [LEI-DECIMAIS] 1500.000 deve ter exatamente 2 casas decimais",
    ]


def test_tipo_de_lancamento_e_de_movimento_nas_tabelas() -> None:
    # Tabelas a confirmar: código desconhecido é aviso (tests/test_esfinge_validador.py),
    # não erro; fora do tamanho do campo (N 2), erro.
    r = _base()
    r[esf.LANCAMENTO][0]["tipoLancamento"] = 9
    r[esf.LANCAMENTO][0]["tipoMovimentoContabil"] = 300
    assert _erros(r) == [
        f"{L}, linha 1, campo 7. Tipo de Movimento Contábil: [LEI-TAMANHO] 300 tem 3 dígitos; máximo 2",
    ]


def test_partidas_dobradas() -> None:
    r = _base()
    r[esf.LANCAMENTO][1]["valorLancamento"] = Decimal("1499.99")
    assert _erros(r) == [
        f"{L}, linha 1, campo 9. Valor de Lançamento: [ESF-PARTIDAS] lançamento PAG-1: débitos 1.500,00 ≠ créditos 1.499,99"
    ]


def test_aplicacao_ao_menos_um_valor() -> None:
    r = _base()
    for c in ("valorAplicado", "valorResgatado", "valorRendimento"):
        del r[esf.APLICACAO][0][c]
    assert _erros(r) == [
        "Aplicação Financeira Plano Único, linha 1, campo 3–5: [ESF-APLICACAO-VALORES] informe ao "
        "menos um: Valor Aplicado, Valor Resgatado ou Valor do Rendimento"
    ]


def test_aplicacao_so_em_conta_f() -> None:
    r = _base()
    r[esf.APLICACAO][0]["codigoContaContabil"] = "213110101"
    assert _erros(r) == [
        "Aplicação Financeira Plano Único, linha 1, campo 1. Código da Conta Contábil: "
        "[ESF-APLICACAO-CONTA] a conta 213110101 tem indicador de superávit X: só contas com indicador F"
    ]


def test_aplicacao_conta_corrente_obrigatoria() -> None:
    r = _base()
    del r[esf.APLICACAO][0]["contaCorrenteContabil"]
    assert _erros(r) == [
        "Aplicação Financeira Plano Único, linha 1, campo 2. Conta Corrente Contábil: "
        "[LEI-OBRIGATORIO] campo obrigatório não informado"
    ]


def test_saldos_e_conciliacao_so_em_dezembro() -> None:
    r = _base()
    for item in r[esf.LANCAMENTO]:
        item["dataLancamento"] = dt.date(2026, 11, 5)
    r[esf.CONTA_BANCARIA][0]["dataAtivacao"] = dt.date(2026, 11, 1)
    assert _erros(r, mes=11) == [
        "Saldos Bancários: [LEI-REGISTRO] exclusivo do mês 12 (dezembro); não pode ir no pacote de novembro",
        "Conciliação Bancária: [LEI-REGISTRO] exclusivo do mês 12 (dezembro); não pode ir no pacote de novembro",
    ]


def test_saldos_e_conciliacao_obrigatorios_em_dezembro() -> None:
    r = _base()
    del r[esf.SALDOS]
    del r[esf.CONCILIACAO]
    assert _erros(r) == [
        "Saldos Bancários: [LEI-REGISTRO] obrigatório no mês 12 (dezembro), mesmo vazio",
        "Conciliação Bancária: [LEI-REGISTRO] obrigatório no mês 12 (dezembro), mesmo vazio",
    ]


def test_saldo_de_conta_nao_cadastrada() -> None:
    r = _base()
    r[esf.CONTA_BANCARIA] = []
    assert _erros(r) == [
        "Saldos Bancários, linha 1, campo 4. Código da Conta Bancária: [ESF-CONTA-BANCARIA] conta "
        "bancária 67890 (banco 1, agência 1234) não cadastrada em registro Conta Bancária",
        "Conciliação Bancária, linha 1, campo 4. Código da Conta Bancária: [ESF-CONTA-BANCARIA] "
        "conta bancária 67890 (banco 1, agência 1234) não cadastrada em registro Conta Bancária",
    ]


def test_conta_bancaria_tabela_118_cnpj_e_tamanhos() -> None:
    r = _base()
    r[esf.CONTA_BANCARIA][0].update(
        tipoContaBancaria=7,
        numeroCnpjTitular=1602258000121,
        codigoIbgeCidadeAgencia=4312658,
        digitoVerificadorContaBancaria="",
    )
    assert _erros(r) == [
        "Conta Bancária, linha 1, campo 5. Dígito Verificador da Conta Bancária: [LEI-OBRIGATORIO] campo obrigatório não informado",
        "Conta Bancária, linha 1, campo 9. Código IBGE da cidade onde se localiza a agência bancária: [LEI-TAMANHO] 4312658 tem 7 dígitos; máximo 6",
        "Conta Bancária, linha 1, campo 8. Número CNPJ do Titular da Conta Bancária: [ESF-CNPJ] CNPJ 01602258000121 inválido (dígitos verificadores)",
    ]


def test_conciliacao_tabelas_70_e_71() -> None:
    # Tabelas 70 e 71 a confirmar: código desconhecido é aviso; fora do tamanho, erro.
    r = _base()
    r[esf.CONCILIACAO][0].update(tipoOperacao=0, tipoDocumento=420)
    assert _erros(r) == [
        "Conciliação Bancária, linha 1, campo 11. Tipo de Documento da Conciliação: [LEI-TAMANHO] 420 tem 3 dígitos; máximo 2",
    ]


def test_totalizadores_calculados() -> None:
    tot = {t.chave: 1 for t in esf.leiaute().totalizadores}
    assert _erros(_base(), totalizadores=tot) == [
        "Totalizadores, campo 2. Quantidade de Registros de Encerramento de Conta Bancária: "
        "[LEI-TOTALIZADOR] informado 1, mas o pacote tem 0 registro(s)",
        "Totalizadores, campo 3. Quantidade de Registros de Lançamento Contábil Plano Único: "
        "[LEI-TOTALIZADOR] informado 1, mas o pacote tem 2 registro(s)",
    ]


# ------------------------------------------------------- prazos e pendências
def test_prazo_dia_20_do_mes_seguinte() -> None:
    assert esf.prazo(2026, 3) == dt.date(2026, 4, 20)
    assert esf.prazo(2026, 12) == dt.date(2027, 1, 20)


def test_pendentes_no_prazo_e_atrasados() -> None:
    competencias = {"prefeitura": [(2026, m) for m in range(1, 13)], "camara": [(2026, 3)]}
    lista = esf.pendencias(competencias, dt.date(2026, 4, 25), enviados=[("prefeitura", 2026, 1)])
    # 25/04: janeiro enviado; fevereiro e março atrasados; abril ainda não terminou.
    assert [(p.entidade, p.mes, p.prazo, p.atrasado, p.dias) for p in lista] == [
        ("prefeitura", 2, dt.date(2026, 3, 20), True, 36),
        ("camara", 3, dt.date(2026, 4, 20), True, 5),
        ("prefeitura", 3, dt.date(2026, 4, 20), True, 5),
    ]
    (maio,) = esf.pendencias({"camara": [(2026, 4)]}, dt.date(2026, 5, 2))
    assert (maio.prazo, maio.atrasado, maio.dias) == (dt.date(2026, 5, 20), False, 18)


def test_pendencias_csv() -> None:
    texto = (
        "conta;tipo;data;valor;tipo_documento;documento;descricao;regularizacao\n"
        f"{DB1};4;2026-12-10;200.00;1;000123;Cheque não compensado;2027-01-05\n"
        f"{DB1};x;2026-13-01;2,555;1;;Tarifa;\n"
    )
    pend, erros = ler_pendencias_csv(texto)
    assert pend == [
        CHEQUE._replace(descricao="Cheque não compensado", regularizacao=dt.date(2027, 1, 5))
    ]
    assert [str(e) for e in erros] == [
        "pendencias.csv, linha 3: [ESF-PENDENCIA] data '2026-13-01' fora de AAAA-MM-DD",
        "pendencias.csv, linha 3: [ESF-PENDENCIA] valor '2,555' tem mais de duas casas decimais",
        "pendencias.csv, linha 3: [ESF-PENDENCIA] documento obrigatório",
        "pendencias.csv, linha 3: [ESF-PENDENCIA] tipo 'x' deve ser o código numérico da tabela",
    ]


def test_pendencias_csv_data_vazia_com_regularizacao_invalida() -> None:
    """A data obrigatória é relatada mesmo quando a regularização (cujo texto fala
    em "data") também está errada: antes, a procura por "data" nas mensagens a escondia."""
    texto = (
        "conta;tipo;data;valor;tipo_documento;documento;descricao;regularizacao\n"
        f"{DB1};4;;200.00;1;000123;Cheque;sem data\n"
    )
    pend, erros = ler_pendencias_csv(texto)
    assert pend == []
    assert [str(e) for e in erros] == [
        "pendencias.csv, linha 2: [ESF-PENDENCIA] regularizacao 'sem data' fora de AAAA-MM-DD",
        "pendencias.csv, linha 2: [ESF-PENDENCIA] data obrigatória",
    ]


def test_pacote_do_mes_le_so_o_mes(engine: Engine) -> None:
    """Fora de dezembro, o pacote lê só os lançamentos do mês; a ativação derivada
    (primeiro movimento, pela tabela de saldos) e os números dos meses anteriores
    saem iguais aos da leitura de todos os lançamentos do ano."""
    repo = preparar_repo_pcasp(engine)
    montar(repo)
    do_ano = repo.lancamentos("prefeitura", 2026)
    primeiro: dict[str, dt.date] = {}
    for lanc in do_ano:
        for p in lanc.partidas:
            db = atributos_cc(p.conta_corrente).get("DB")
            if db and (db not in primeiro or lanc.data < primeiro[db]):
                primeiro[db] = lanc.data
    # ABE-1 (abertura, período 0) em 01/01 e APL-1 em 05/03
    assert primeiro == {DB1: dt.date(2026, 1, 1), DB2: dt.date(2026, 3, 5)}
    assert repo.primeiros_movimentos("prefeitura", 2026, "DB", {DB1, DB2, "9-9"}) == primeiro
    assert repo.primeiros_movimentos("prefeitura", 2025, "DB", {DB1, DB2}) == {}
    assert repo.primeiros_movimentos("prefeitura", 2026, "DB", set()) == {}
    for mes in range(1, 13):
        dados, ctx = ler_dados(repo, "prefeitura", 2026, mes)
        do_mes = [lanc for lanc in dados.lancamentos if lanc.data.month == mes]
        assert do_mes == [lanc for lanc in do_ano if lanc.data.month == mes], mes
        if mes < 12:
            assert len(dados.lancamentos) == len(do_mes)
        else:  # os do ano que movimentam contas bancárias (saldos em 31/12) e dezembro
            assert [lanc.numero for lanc in dados.lancamentos] == [
                "ABE-1", "APL-1", "PAG-1", "REN-1", "DES-12"
            ]  # fmt: skip
            # o pacote sai igual ao gerado com todos os lançamentos do ano
            assert gerar_pacote(dados) == gerar_pacote(dados._replace(lancamentos=do_ano))
        assert {c.conta.codigo: c.ativacao for c in dados.contas} == primeiro
        assert ctx.numeros_anteriores == {
            lanc.numero: lanc.data for lanc in do_ano if lanc.data < dt.date(2026, mes, 1)
        }, mes
    # APL-1, LIQ-1, LIQ-2, PAG-1, REN-1 e o estorno EST-1
    assert len(ler_dados(repo, "prefeitura", 2026, 3)[0].lancamentos) == 6


def test_ano_do_demo_doze_pacotes_validos_por_entidade(engine: Engine) -> None:
    from erario.demo import montar_demo

    repo = Repositorio(engine)
    montar_demo(repo, 2026, meses=12)
    for ent in (e for e in repo.entidades() if e.tipo != "empresa"):  # FCONT, não e-Sfinge
        for mes in range(1, 13):
            dados, ctx = ler_dados(repo, ent.slug, 2026, mes)
            pacote = gerar_pacote(dados)
            assert esf.validar_pacote(pacote, ctx) == [], (ent.slug, mes)
            assert (esf.SALDOS in pacote.registros) == (mes == 12)


# ----------------------------------------------------------------------- CLI
@pytest.fixture
def db_cli(tmp_path: Path, tela_larga: None) -> str:
    url = f"sqlite:///{tmp_path / 'esfinge.db'}"
    engine = criar_engine(url)
    atualizar_esquema(engine)
    montar(preparar_repo_pcasp(engine))
    engine.dispose()
    return url


def _cli(url: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", url, *args])


def test_cli_gerar_json_e_xlsx(db_cli: str, tmp_path: Path) -> None:
    saida = tmp_path / "marco.json"
    r = _cli(db_cli, "esfinge", "gerar", "prefeitura", "2026-03", "-o", str(saida))
    assert r.exit_code == 0, r.output
    assert saida.read_text(encoding="utf-8") == (GOLDEN / "esfinge_2026_03.json").read_text(
        encoding="utf-8"
    )
    pend = tmp_path / "pend.csv"
    pend.write_text(
        "conta;tipo;data;valor;tipo_documento;documento;descricao;regularizacao\n"
        f"{DB1};4;2026-12-10;200.00;1;000123;Cheque 000123 emitido e não compensado até 31/12;\n",
        encoding="utf-8",
    )
    xlsx = tmp_path / "dez.xlsx"
    r = _cli(
        db_cli,
        "esfinge",
        "gerar",
        "prefeitura",
        "2026-12",
        "--formato",
        "xlsx",
        "-o",
        str(xlsx),
        "--conciliacao",
        str(pend),
    )
    assert r.exit_code == 0, r.output
    assert _xlsx_em_texto(xlsx) == (GOLDEN / "esfinge_2026_12_xlsx.txt").read_text(encoding="utf-8")


def test_cli_validar_pacote_de_fora_lista_todos(db_cli: str, tmp_path: Path) -> None:
    texto = (GOLDEN / "esfinge_2026_03.json").read_text(encoding="utf-8")
    texto = texto.replace('"numeroSequencial": 1,', '"numeroSequencial": 0,', 1)
    texto = texto.replace(
        '"historicoLancamento": "Aplicação em fundo de renda fixa"',
        f'"historicoLancamento": "{"h" * 151}"',
        1,
    )
    texto = texto.replace('"valorLancamento": 4000.00,', '"valorLancamento": 4000,', 1)
    texto = texto.replace(
        '"quantidadeRegistrosContaBancaria": 1', '"quantidadeRegistrosContaBancaria": 2'
    )
    arquivo = tmp_path / "ruim.json"
    arquivo.write_text(texto, encoding="utf-8")
    r = _cli(db_cli, "esfinge", "validar", "prefeitura", "2026-03", "--arquivo", str(arquivo))
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        # arquivo de fora: as regras contra o razão ficam com uma nota (aviso)
        "Aviso (2026-03): e-Sfinge — Registros Contábeis (TCE-SC): [ESF-SEM-RAZAO] arquivo sem "
        "o razão: não conferidos a equação da conciliação bancária, as aplicações contra o "
        "razão do mês nem o cadastro das contas bancárias movimentadas",
        "Pacote e-Sfinge 2026-03 de prefeitura inválido (4 problema(s)); nada foi alterado:",
        f"  • {L}, linha 1, campo 8. Histórico do Lançamento: [LEI-TAMANHO] texto com 151 caracteres; máximo 150",
        f"  • {L}, linha 1, campo 9. Valor de Lançamento: [LEI-DECIMAIS] 4000 deve ter exatamente 2 casas decimais",
        "  • Totalizadores, campo 1. Quantidade de Registros de Conta Bancária: [LEI-TOTALIZADOR] informado 2, mas o pacote tem 1 registro(s)",
        f"  • {L}, linha 1, campo 2. Número Sequencial: [ESF-SEQUENCIAL] número sequencial 0 deve ser maior que zero",
    ]


def test_cli_gerar_com_problema_nao_grava(db_cli: str, tmp_path: Path) -> None:
    engine = criar_engine(db_cli)
    Repositorio(engine).registrar_cadastros(
        [
            json.dumps(
                {
                    "cadastro": "conta_bancaria",
                    "entidade": "prefeitura",
                    "codigo": DB1,
                    "tipo": "movimento",
                    "fonte": "1500",
                    "conta_contabil": MOVIMENTO,
                    "banco": "00001",
                    "agencia": "1234",
                    "agencia_dv": "X",
                    "conta": "67890",
                    "conta_dv": "1",
                }
            )
        ],
        "c.jsonl",
    )
    engine.dispose()
    saida = tmp_path / "janeiro.json"
    r = _cli(db_cli, "esfinge", "gerar", "prefeitura", "2026-01", "-o", str(saida))
    assert r.exit_code == 1
    assert not saida.exists()
    assert r.output.splitlines() == [
        "Pacote e-Sfinge 2026-01 de prefeitura inválido (1 problema(s)); nada foi alterado:",
        "  • Conta Bancária, linha 1, campo 3. Dígito Verificador da Agência Bancária: [LEI-TIPO] 'X' não é numérico inteiro",
    ]


def test_cli_pendentes(db_cli: str) -> None:
    r = _cli(db_cli, "esfinge", "pendentes", "--hoje", "2026-04-25")
    assert r.exit_code == 0, r.output
    linhas = [ln for ln in r.output.splitlines() if ln.startswith("│")]
    assert [" ".join(ln.replace("│", " ").split()) for ln in linhas] == [
        "prefeitura janeiro/2026 20/02/2026 atrasado há 64 dia(s)",
        "prefeitura fevereiro/2026 20/03/2026 atrasado há 36 dia(s)",
        "prefeitura março/2026 20/04/2026 atrasado há 5 dia(s)",
    ]


def test_cli_envio_registrado_sai_dos_pendentes(db_cli: str, tmp_path: Path) -> None:
    import hashlib

    marco = tmp_path / "marco.json"
    assert (
        _cli(db_cli, "esfinge", "gerar", "prefeitura", "2026-03", "-o", str(marco)).exit_code == 0
    )
    # um pacote inválido não é registrado como enviado
    ruim = tmp_path / "ruim.json"
    ruim.write_text(
        marco.read_text(encoding="utf-8").replace(
            '"numeroSequencial": 1,', '"numeroSequencial": 0,', 1
        ),
        encoding="utf-8",
    )
    r = _cli(db_cli, "esfinge", "enviado", "prefeitura", "2026-03", str(ruim))
    assert r.exit_code == 1 and "envio não registrado" in r.output
    r = _cli(
        db_cli, "esfinge", "enviado", "prefeitura", "2026-03", str(marco), "--protocolo", "TCE-123"
    )
    assert r.exit_code == 0, r.output
    sha = hashlib.sha256(marco.read_bytes()).hexdigest()
    assert f"SHA-256 {sha[:12]}…, protocolo TCE-123" in r.output
    r = _cli(db_cli, "esfinge", "pendentes", "--hoje", "2026-04-25")
    linhas = [ln for ln in r.output.splitlines() if ln.startswith("│")]
    assert [" ".join(ln.replace("│", " ").split()) for ln in linhas] == [
        "prefeitura janeiro/2026 20/02/2026 atrasado há 64 dia(s)",
        "prefeitura fevereiro/2026 20/03/2026 atrasado há 36 dia(s)",
    ]
    assert "TCE-123" in _cli(db_cli, "esfinge", "envios", "prefeitura").output
