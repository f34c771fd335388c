"""Contas bancárias do e-Sfinge (cadastro e encerramento) e conciliação bancária:
extrato OFX e CSV, casamento com o razão, confirmação, desfazer, pendências
(Tabelas 70 e 71), a equação do saldo conciliado com figuras feitas à mão e os
pacotes e-Sfinge que as usam."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from erario.cli import app as modulo_cli
from erario.cli import comum
from erario.cli.app import app
from erario.conciliacao import casamento as cs
from erario.conciliacao.casamento import Par, TipoDocumento, TipoPendencia
from erario.conciliacao.extrato import LinhaExtrato, ler_csv, ler_ofx
from erario.core.erros import OperacaoRecusada
from erario.leiautes import esfinge as esf
from erario.leiautes.esfinge_geracao import gerar_pacote
from erario.razao.modelo import Lancamento, Partida, TipoLancamento
from erario.storage import conciliacao as sc
from erario.storage.esfinge import ler_dados
from erario.storage.repositorio import Repositorio
from tests.conftest import CNPJ_PREFEITURA

DB1 = "001-1234-5-67890-1"
MOVIMENTO = "1.1.1.1.1.19.00"
FORNECEDORES = "2.1.3.1.1.01.01"
RESULTADOS = "2.3.7.1.1.02.00"
RECEITA = "4.4.5.2.1.00.00"
CREDOR = "11222333000181"
IBGE_FLORIANOPOLIS = "4205407"
d = dt.date

runner = CliRunner()


def _banco() -> dict[str, str]:
    return {"FR": "1500", "DB": DB1}


def _conta(**extra: Any) -> dict[str, Any]:
    return {
        "cadastro": "conta_bancaria",
        "entidade": "prefeitura",
        "codigo": DB1,
        "tipo": "movimento",
        "fonte": "1500",
        "conta_contabil": MOVIMENTO,
        "banco": "001",
        "agencia": "1234",
        "agencia_dv": "5",
        "conta": "67890",
        "conta_dv": "1",
        "nome": "Prefeitura — conta movimento do Tesouro",
        "cnpj_titular": CNPJ_PREFEITURA,
        "ibge_agencia": IBGE_FLORIANOPOLIS,
        "ativacao": "2026-01-05",
        **extra,
    }


def _cadastrar(repo: Repositorio, *objs: dict[str, Any]) -> None:
    repo.registrar_cadastros([json.dumps(o) for o in objs], "cadastros.jsonl")


def _l(numero: str, data: dt.date, historico: str, entrada: bool, valor: str) -> Lancamento:
    if entrada:
        partidas = (
            Partida.de(MOVIMENTO, "D", valor, _banco()),
            Partida.de(RECEITA, "C", valor),
        )
    else:
        partidas = (
            Partida.de(FORNECEDORES, "D", valor, {"FR": "1500", "CR": CREDOR, "FP": "F"}),
            Partida.de(MOVIMENTO, "C", valor, _banco()),
        )
    return Lancamento("prefeitura", data, historico, partidas, numero)


# Razão de dezembro (conta movimento, saldo inicial 10.000,00):
#   ARR-1 02/12 +1.500,50  PAG-1 05/12 −300,00  DES-12 10/12 −200,00 (cheque 000123)
#   REC-2 12/12 +1.000,00  PAG-2 28/12 −450,00  DEP-1 30/12 +80,00
# Saldo contábil em 31/12: 10.000,00 + 1.500,50 − 300,00 − 200,00 + 1.000,00
#   − 450,00 + 80,00 = 11.630,50.
RAZAO = (
    ("ARR-1", d(2026, 12, 2), "Recebimento de repasse por TED", True, "1500.50"),
    ("PAG-1", d(2026, 12, 5), "Pagamento a fornecedor por PIX", False, "300.00"),
    ("DES-12", d(2026, 12, 10), "Manutenção paga com cheque 000123", False, "200.00"),
    ("REC-2", d(2026, 12, 12), "Recebimento de convênio", True, "1000.00"),
    ("PAG-2", d(2026, 12, 28), "Pagamento por ordem bancária 987", False, "450.00"),
    ("DEP-1", d(2026, 12, 30), "Depósito de caução", True, "80.00"),
)

# Extrato de dezembro (saldo em 30/11 = 10.000,00):
#   01/12 −12,90 tarifa  03/12 +1.500,50 TED  05/12 −300,00 PIX  20/12 +1.000,00 depósito
#   22/12 −200,00 cheque 000123  31/12 +5,25 rendimento
# Soma: 1.992,85; saldo em 31/12: 11.992,85.
_TRANSACOES = (
    ("FEE", "20261201", "-12.90", "T1", "", "TARIFA PACOTE DE SERVICOS"),
    ("CREDIT", "20261203120000[-3:BRT]", "1500.50", "T2", "", "TED RECEBIDA"),
    ("DEBIT", "20261205", "-300.00", "T3", "", "PIX ENVIADO"),
    ("DEP", "20261220", "1000.00", "T4", "", "DEPOSITO EM DINHEIRO"),
    ("CHECK", "20261222", "-200.00", "T5", "000123", "CHEQUE COMPENSADO"),
    ("INT", "20261231", "5.25", "T6", "", "RENDIMENTO"),
)


def ofx(
    transacoes: tuple[tuple[str, ...], ...] = _TRANSACOES,
    saldo: str = "11992.85",
    em: str = "20261231",
) -> bytes:
    """OFX 1.02 (SGML), como os bancos brasileiros exportam."""
    trns = "".join(
        f"<STMTTRN><TRNTYPE>{tipo}<DTPOSTED>{data}<TRNAMT>{valor}<FITID>{fitid}"
        + (f"<CHECKNUM>{cheque}" if cheque else "")
        + f"<MEMO>{memo}</STMTTRN>\n"
        for tipo, data, valor, fitid, cheque, memo in transacoes
    )
    texto = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>"
        "<DTSERVER>20270102<LANGUAGE>POR</SONRS></SIGNONMSGSRSV1>\n"
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n"
        "<STMTRS><CURDEF>BRL<BANKACCTFROM><BANKID>001<BRANCHID>1234-5<ACCTID>67890-1"
        "<ACCTTYPE>CHECKING</BANKACCTFROM>\n"
        f"<BANKTRANLIST><DTSTART>20261201<DTEND>20261231\n{trns}</BANKTRANLIST>\n"
        f"<LEDGERBAL><BALAMT>{saldo}<DTASOF>{em}</LEDGERBAL>\n"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )
    return texto.encode("ascii")


@pytest.fixture
def repo_conc(repo_pcasp: Repositorio) -> Repositorio:
    repo = repo_pcasp
    _cadastrar(repo, _conta())
    repo.lancar(
        Lancamento(
            "prefeitura",
            d(2026, 1, 1),
            "Saldos iniciais",
            (
                Partida.de(MOVIMENTO, "D", "10000.00", _banco()),
                Partida.de(RESULTADOS, "C", "10000.00"),
            ),
            "ABE-1",
            TipoLancamento.ABERTURA,
        )
    )
    for args in RAZAO:
        repo.lancar(_l(*args))
    extrato, erros = ler_ofx(ofx(), "dezembro.ofx")
    assert erros == [] and extrato is not None
    assert sc.importar_extrato(repo, "prefeitura", DB1, extrato, "dezembro.ofx") == (6, 0, 1)
    return repo


FIM = d(2026, 12, 31)


# ------------------------------------------------------------------ extratos
def test_ofx_lido_pelo_ofxtools() -> None:
    extrato, erros = ler_ofx(ofx())
    assert erros == [] and extrato is not None
    assert (extrato.banco, extrato.agencia, extrato.conta) == ("001", "1234-5", "67890-1")
    assert extrato.linhas[1] == LinhaExtrato(
        d(2026, 12, 3), 150050, "", "TED RECEBIDA", "T2", "CREDIT"
    )  # 12h de Brasília: o dia é o que o banco escreveu, não o de UTC
    assert extrato.linhas[4].documento == "000123"
    assert [s.centavos for s in extrato.saldos] == [1199285]


def test_ofx_ilegivel() -> None:
    extrato, erros = ler_ofx(b"isto nao e OFX", "x.ofx")
    assert extrato is None
    assert [e.regra for e in erros] == ["CONC-EXTRATO"]


def test_csv_de_extrato() -> None:
    texto = (
        "data;valor;documento;descricao\n"
        "2026-12-01;-12,90;;Tarifa\n"
        "03/12/2026;1500.50;;TED recebida\n"
        "2026-12-22;-200,00;000123;Cheque compensado\n"
        "2026-12-22;-200,00;000123;Cheque compensado\n"
    )
    extrato, erros = ler_csv(texto, "dez.csv")
    assert erros == [] and extrato is not None
    assert [(ln.data, ln.centavos) for ln in extrato.linhas] == [
        (d(2026, 12, 1), -1290),
        (d(2026, 12, 3), 150050),
        (d(2026, 12, 22), -20000),
        (d(2026, 12, 22), -20000),
    ]
    # Duas linhas iguais no mesmo arquivo são duas linhas (ocorrência 1 e 2).
    assert [ln.identificador for ln in extrato.linhas[2:]] == [
        "csv:2026-12-22:-20000:000123:1",
        "csv:2026-12-22:-20000:000123:2",
    ]


def test_csv_com_erros_lista_todos() -> None:
    texto = (
        "data;valor;documento;descricao\n"
        "2026-13-01;-12,90;;Tarifa\n"
        "2026-12-03;1.500,50;;TED\n"
        "2026-12-05;-300,0;;PIX\n"
        "2026-12-06;0,00;;nada\n"
        "2026-12-07;1,00\n"
    )
    extrato, erros = ler_csv(texto, "dez.csv")
    assert extrato is None
    assert [str(e) for e in erros] == [
        "dez.csv, linha 2, campo data: [CONC-EXTRATO] data '2026-13-01': use AAAA-MM-DD ou DD/MM/AAAA",
        "dez.csv, linha 3, campo valor: [CONC-EXTRATO] valor '1.500,50': use sinal, dígitos e "
        "duas casas (ex.: -200,00)",
        "dez.csv, linha 4, campo valor: [CONC-EXTRATO] valor '-300,0': use sinal, dígitos e "
        "duas casas (ex.: -200,00)",
        "dez.csv, linha 5, campo valor: [CONC-EXTRATO] valor zero não é movimento",
        "dez.csv, linha 6: [CONC-EXTRATO] esperadas 4 colunas, vieram 2",
    ]
    _, erros = ler_csv("data;valor\n", "x.csv")
    assert [e.mensagem for e in erros] == ["cabeçalho deve ser data;valor;documento;descricao"]


def test_reimportar_nao_duplica_e_saldo_divergente_recusado(repo_conc: Repositorio) -> None:
    extrato, _ = ler_ofx(ofx())
    assert extrato is not None
    assert sc.importar_extrato(repo_conc, "prefeitura", DB1, extrato, "de novo.ofx") == (0, 6, 0)
    outro, _ = ler_ofx(ofx(saldo="1.00"))
    assert outro is not None
    with pytest.raises(OperacaoRecusada) as exc:
        sc.importar_extrato(repo_conc, "prefeitura", DB1, outro, "outro.ofx")
    assert [e.regra for e in exc.value.erros] == ["CONC-SALDO"]


def test_ofx_de_outra_conta_recusado(repo_conc: Repositorio) -> None:
    extrato, _ = ler_ofx(ofx().replace(b"<ACCTID>67890-1", b"<ACCTID>55555-0"))
    assert extrato is not None
    with pytest.raises(OperacaoRecusada) as exc:
        sc.importar_extrato(repo_conc, "prefeitura", DB1, extrato, "outra.ofx")
    assert [str(e) for e in exc.value.erros] == [
        "outra.ofx, campo conta: [CONC-CONTA] o extrato é da conta 55555-0 (banco 001), não da "
        f"conta 67890-1 do cadastro {DB1}"
    ]
    with pytest.raises(OperacaoRecusada) as exc:
        sc.importar_extrato(repo_conc, "prefeitura", "1-9", extrato, "outra.ofx")
    assert [e.regra for e in exc.value.erros] == ["CONC-CONTA"]


# ---------------------------------------------------------------- casamento
def test_sugestoes_exata_proxima_e_por_documento(repo_conc: Repositorio) -> None:
    sit = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    assert [(s.linha.identificador, s.movimento.lancamento, s.criterio) for s in sit.sugestoes] == [
        ("T2", "ARR-1", "valor e data próxima (1 dia(s))"),
        ("T3", "PAG-1", "valor e data"),
        # 12 dias depois, fora da janela de 3: casa pelo número do cheque no histórico.
        ("T5", "DES-12", "valor e documento 000123"),
    ]
    # O depósito de 20/12 e o recebimento de 12/12 (8 dias) só casam com janela maior.
    maior = sc.situacao(repo_conc, "prefeitura", DB1, FIM, janela=8)
    assert ("T4", "REC-2") in [
        (s.linha.identificador, s.movimento.lancamento) for s in maior.sugestoes
    ]


def test_pendencias_e_equacao_com_figuras_feitas_a_mao(repo_conc: Repositorio) -> None:
    sit = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    pares = [Par(s.linha.id, s.movimento.lancamento) for s in sit.sugestoes]  # type: ignore[arg-type]
    assert sc.confirmar(repo_conc, "prefeitura", DB1, pares) == 3
    sit = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    assert sit.sugestoes == []
    assert [
        (p.tipo, p.data, p.centavos, p.tipo_documento, p.documento) for p in sit.pendencias
    ] == [
        (TipoPendencia.DEBITO_EXTRATO, d(2026, 12, 1), 1290, TipoDocumento.AVISO, "S/N"),
        (TipoPendencia.CREDITO_RAZAO, d(2026, 12, 12), 100000, TipoDocumento.OUTROS, "REC-2"),
        (TipoPendencia.CREDITO_EXTRATO, d(2026, 12, 20), 100000, TipoDocumento.DEPOSITO, "S/N"),
        (TipoPendencia.DEBITO_RAZAO, d(2026, 12, 28), 45000, TipoDocumento.ORDEM_BANCARIA, "PAG-2"),
        (TipoPendencia.CREDITO_RAZAO, d(2026, 12, 30), 8000, TipoDocumento.DEPOSITO, "DEP-1"),
        (TipoPendencia.CREDITO_EXTRATO, d(2026, 12, 31), 525, TipoDocumento.AVISO, "S/N"),
    ]
    eq = sit.equacao
    # 11.630,50 + (1.000,00 + 5,25) − 12,90 − (1.000,00 + 80,00) + 450,00 = 11.992,85
    assert eq.saldo_contabil == 1163050
    assert eq.por_tipo == {
        TipoPendencia.CREDITO_EXTRATO: 100525,
        TipoPendencia.DEBITO_EXTRATO: 1290,
        TipoPendencia.CREDITO_RAZAO: 108000,
        TipoPendencia.DEBITO_RAZAO: 45000,
    }
    assert eq.saldo_conciliado == 1199285
    assert eq.saldo_extrato == 1199285  # LEDGERBAL do OFX
    assert eq.fecha


def test_desfazer_volta_as_duas_pontas_e_a_equacao_continua_fechando(
    repo_conc: Repositorio,
) -> None:
    sit = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    pares = [Par(s.linha.id, s.movimento.lancamento) for s in sit.sugestoes]  # type: ignore[arg-type]
    sc.confirmar(repo_conc, "prefeitura", DB1, pares)
    cheque = next(p for p in pares if p.lancamento == "DES-12")
    assert sc.desfazer(repo_conc, "prefeitura", DB1, linhas=[cheque.linha]) == 1
    sit = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    assert len(sit.pendencias) == 8  # o cheque no extrato (tipo 2) e no razão (tipo 4)
    assert sit.equacao.fecha
    assert [s.movimento.lancamento for s in sit.sugestoes] == ["DES-12"]
    with pytest.raises(OperacaoRecusada) as exc:
        sc.desfazer(repo_conc, "prefeitura", DB1, linhas=[cheque.linha])
    assert [e.regra for e in exc.value.erros] == ["CONC-PAR"]
    # Desfazer o mês: os outros dois casamentos de dezembro.
    assert sc.desfazer(repo_conc, "prefeitura", DB1, mes=(2026, 12)) == 2
    assert sc.situacao(repo_conc, "prefeitura", DB1, FIM).pares == []
    acoes = [a[2] for a in repo_conc.auditoria("prefeitura")]
    assert acoes.count("conciliacao_desfazer") == 2


def test_confirmar_recusa_tudo_com_todos_os_problemas(repo_conc: Repositorio) -> None:
    sit = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    ids = {ln.identificador: ln.id for ln in sit.linhas}
    with pytest.raises(OperacaoRecusada) as exc:
        sc.confirmar(
            repo_conc,
            "prefeitura",
            DB1,
            [
                Par(ids["T2"], "ARR-1"),  # válido, mas nada é gravado
                Par(ids["T1"], "PAG-1"),  # −12,90 × −300,00
                Par(ids["T4"], "ABE-1"),  # abertura não é movimento
                Par(ids["T2"], "PAG-2"),  # linha repetida (e valor)
                Par(9999, "DEP-1"),
            ],
        )
    assert [e.regra for e in exc.value.erros] == [
        "CONC-VALOR",
        "CONC-PAR",
        "CONC-PAR",
        "CONC-VALOR",
        "CONC-PAR",
    ]
    assert sc.situacao(repo_conc, "prefeitura", DB1, FIM).pares == []


def test_situacao_le_so_os_lancamentos_da_conta(repo_conc: Repositorio) -> None:
    """A situação lê do banco só os lançamentos com partida na conta contábil e no
    domicílio da conta bancária: o resultado é o mesmo de ler o razão inteiro, com
    outra conta bancária na mesma conta contábil e uma transferência entre as duas."""
    outra = "001-1234-5-11111-1"
    _cadastrar(repo_conc, _conta(codigo=outra, conta="11111", conta_dv="1"))
    for numero, dia, historico, partidas in (
        ("TRF-1", 15, "Transferência entre contas TRF 55",
         (Partida.de(MOVIMENTO, "D", "70.00", {"FR": "1500", "DB": outra}),
          Partida.de(MOVIMENTO, "C", "70.00", _banco()))),
        ("OUT-1", 16, "Só a outra conta",
         (Partida.de(MOVIMENTO, "D", "9.00", {"FR": "1500", "DB": outra}),
          Partida.de(RESULTADOS, "C", "9.00"))),
    ):  # fmt: skip
        repo_conc.lancar(Lancamento("prefeitura", d(2026, 12, dia), historico, partidas, numero))
    todos = sc.lancamentos_ate(repo_conc, "prefeitura", FIM)
    contas = {c.codigo: c for c in repo_conc.contas_bancarias("prefeitura")}
    for codigo in (DB1, outra):
        assert sc.situacao(repo_conc, "prefeitura", codigo, FIM) == sc.situacao(
            repo_conc, "prefeitura", codigo, FIM, lancamentos=todos
        )
    numeros = [
        lanc.numero for lanc in sc.lancamentos_da_conta(repo_conc, "prefeitura", contas[DB1], FIM)
    ]
    # a abertura, os seis do RAZAO e a transferência; OUT-1 é só da outra conta
    assert numeros == ["ABE-1", *(r[0] for r in RAZAO), "TRF-1"]
    assert [
        lanc.numero for lanc in sc.lancamentos_da_conta(repo_conc, "prefeitura", contas[outra], FIM)
    ] == ["TRF-1", "OUT-1"]
    assert len(todos) == 9
    # 10.000,00 + 1.500,50 − 300,00 − 200,00 + 1.000,00 − 450,00 + 80,00 − 70,00
    assert sc.situacao(repo_conc, "prefeitura", DB1, FIM).equacao.saldo_contabil == 1_156_050


def test_regularizacao_em_janeiro(repo_conc: Repositorio) -> None:
    # A ordem bancária 987 de 28/12 compensa em 04/01: pendente em 31/12, com regularização.
    janeiro, _ = ler_ofx(
        ofx(
            (("DEBIT", "20270104", "-450.00", "J1", "987", "OB 987"),),
            saldo="11542.85",
            em="20270104",
        )
    )
    assert janeiro is not None
    sc.importar_extrato(repo_conc, "prefeitura", DB1, janeiro, "janeiro.ofx")
    jan = sc.situacao(repo_conc, "prefeitura", DB1, d(2027, 1, 31))
    (sug,) = [s for s in jan.sugestoes if s.movimento.lancamento == "PAG-2"]
    assert sug.criterio == "valor e documento 987"
    sc.confirmar(repo_conc, "prefeitura", DB1, [Par(sug.linha.id, "PAG-2")])  # type: ignore[arg-type]
    dez = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    (pag2,) = [p for p in dez.pendencias if p.lancamento == "PAG-2"]
    assert pag2.regularizacao == d(2027, 1, 4)
    assert dez.equacao.fecha


def test_estorno_pendente_anula_o_original() -> None:
    movs = [
        cs.Movimento("X", d(2026, 12, 3), -5000, "Pagamento"),
        cs.Movimento("EX", d(2026, 12, 4), 5000, "Estorno", estornado="X"),
    ]
    linhas = [LinhaExtrato(d(2026, 12, 1), -100, id=1)]
    assert [p.linha for p in cs.pendencias(linhas, [], movs, [], FIM)] == [1]
    # Sem extrato importado não há conciliação: nada pendente.
    assert cs.pendencias([], [], movs, [], FIM) == []


def test_efeito_da_tabela_70_do_leiaute_e_o_do_dominio() -> None:
    tabela = esf.leiaute().tabelas["tipo_operacao_conciliacao"]
    for c in tabela.codigos:
        assert c.extra["efeito"] == TipoPendencia(c.extra["erario"]).efeito
    documentos = {
        c.extra["erario"] for c in esf.leiaute().tabelas["tipo_documento_conciliacao"].codigos
    }
    assert documentos == {t.value for t in TipoDocumento}


# ------------------------------------------------------------ e-Sfinge
def test_dezembro_leva_as_pendencias_da_conciliacao(repo_conc: Repositorio) -> None:
    sit = sc.situacao(repo_conc, "prefeitura", DB1, FIM)
    pares = [Par(s.linha.id, s.movimento.lancamento) for s in sit.sugestoes]  # type: ignore[arg-type]
    sc.confirmar(repo_conc, "prefeitura", DB1, pares)
    dados, ctx = ler_dados(repo_conc, "prefeitura", 2026, 12)
    pacote = gerar_pacote(dados)
    assert esf.validar_pacote(pacote, ctx) == []
    (saldo,) = pacote.itens(esf.SALDOS)
    assert saldo["valorSaldo"] == Decimal("11992.85")  # o do extrato
    conc = pacote.itens(esf.CONCILIACAO)
    assert [
        (c["numeroSequencialOperacao"], c["tipoOperacao"], c["valorOperacao"], c["tipoDocumento"])
        for c in conc
    ] == [
        (1, 2, Decimal("12.90"), 5),
        (2, 3, Decimal("1000.00"), 99),
        (3, 1, Decimal("1000.00"), 4),
        (4, 4, Decimal("450.00"), 2),
        (5, 3, Decimal("80.00"), 4),
        (6, 1, Decimal("5.25"), 5),
    ]
    assert conc[3]["numeroDocumento"] == "PAG-2"
    assert "não consta do extrato" in str(conc[3]["descricaoOperacao"])


def test_csv_de_pendencias_substitui_as_da_conta(repo_conc: Repositorio) -> None:
    from erario.core.dinheiro import Dinheiro
    from erario.leiautes.esfinge_geracao import PendenciaConciliacao

    manual = PendenciaConciliacao(
        DB1, "4", d(2026, 12, 10), Dinheiro("200.00"), "1", "000123", "Cheque não compensado"
    )
    dados, _ = ler_dados(repo_conc, "prefeitura", 2026, 12, [manual])
    assert list(dados.pendencias) == [manual]


# ------------------------------------------------ cadastro das contas bancárias
def test_conta_com_os_campos_do_esfinge(repo_pcasp: Repositorio) -> None:
    _cadastrar(repo_pcasp, _conta(cnpj_titular="01.602.258/0001-20"))
    (c,) = repo_pcasp.contas_bancarias("prefeitura")
    assert (c.nome, c.cnpj_titular, c.ibge_agencia, c.ativacao) == (
        "Prefeitura — conta movimento do Tesouro",
        CNPJ_PREFEITURA,
        IBGE_FLORIANOPOLIS,
        d(2026, 1, 5),
    )
    assert c.encerramento is None


def test_cadastro_com_erros_lista_todos_e_nao_grava(repo_pcasp: Repositorio) -> None:
    linhas = [
        _conta(),
        _conta(
            codigo="001-1",
            cnpj_titular="11111111111111",
            ibge_agencia="9912345",
            ativacao="05/01/2026",
        ),
        {
            "cadastro": "encerramento_conta_bancaria",
            "entidade": "prefeitura",
            "codigo": "X-9",
            "data": "2026-03-01",
            "motivo": "Fim do convênio",
        },
        {
            "cadastro": "encerramento_conta_bancaria",
            "entidade": "prefeitura",
            "codigo": DB1,
            "data": "2026-02-30",
        },
        {
            "cadastro": "encerramento_conta_bancaria",
            "entidade": "prefeitura",
            "codigo": DB1,
            "data": "2025-12-31",
            "motivo": "Antes da ativação",
        },
    ]
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_cadastros([json.dumps(o) for o in linhas], "contas.jsonl")
    assert [str(e) for e in exc.value.erros] == [
        "contas.jsonl, linha 2, campo cnpj_titular: [CAD-CAMPO] cnpj_titular: CNPJ 11111111111111 inválido",
        "contas.jsonl, linha 2, campo ibge_agencia: [CAD-CAMPO] ibge_agencia: '9912345' deve ser o "
        "código IBGE do município, 7 dígitos com a UF",
        "contas.jsonl, linha 2, campo ativacao: [CAD-CAMPO] ativacao: '05/01/2026' fora de AAAA-MM-DD",
        "contas.jsonl, linha 3, campo codigo: [CAD-CAMPO] codigo: conta bancária X-9 de prefeitura "
        "não está cadastrada",
        "contas.jsonl, linha 4, campo motivo: [CAD-CAMPO] motivo: obrigatório (texto)",
        "contas.jsonl, linha 4, campo data: [CAD-CAMPO] data: '2026-02-30' fora de AAAA-MM-DD",
        "contas.jsonl, linha 5, campo data: [CAD-CAMPO] data: encerramento em 31/12/2025 antes da "
        "ativação (05/01/2026)",
    ]
    assert repo_pcasp.contas_bancarias("prefeitura") == []


def test_caixa_nao_se_encerra(repo_pcasp: Repositorio) -> None:
    caixa = {
        "cadastro": "conta_bancaria",
        "entidade": "prefeitura",
        "codigo": "1-1",
        "tipo": "caixa",
        "fonte": "1500",
        "conta_contabil": "1.1.1.1.1.01.00",
    }
    enc = {
        "cadastro": "encerramento_conta_bancaria",
        "entidade": "prefeitura",
        "codigo": "1-1",
        "data": "2026-03-01",
        "motivo": "x",
    }
    with pytest.raises(OperacaoRecusada) as exc:
        _cadastrar(repo_pcasp, caixa, enc)
    assert [e.mensagem for e in exc.value.erros] == [
        "codigo: o caixa/tesouraria não é conta bancária a encerrar"
    ]


def test_contas_abertas_e_encerradas_so_no_mes_do_fato(repo_pcasp: Repositorio) -> None:
    repo = repo_pcasp
    antiga = _conta(
        codigo="001-1234-5-11111-1",
        conta="11111",
        tipo="vinculada",
        ativacao="2025-06-01",
        nome="Convênio saúde",
    )
    _cadastrar(repo, _conta(ativacao="2026-01-10"), antiga)
    _cadastrar(
        repo,
        {
            "cadastro": "encerramento_conta_bancaria",
            "entidade": "prefeitura",
            "codigo": "001-1234-5-11111-1",
            "data": "2026-03-15",
            "motivo": "Convênio encerrado e saldo devolvido",
        },
    )
    pacotes = {}
    for mes in (1, 2, 3, 4):
        dados, ctx = ler_dados(repo, "prefeitura", 2026, mes)
        pacotes[mes] = gerar_pacote(dados)
        assert esf.validar_pacote(pacotes[mes], ctx) == []
    # O primeiro pacote leva também a conta ativada antes do erario (issue 17, item 1).
    por_conta = {it["codigoContaBancaria"]: it for it in pacotes[1].itens(esf.CONTA_BANCARIA)}
    assert sorted(por_conta) == [11111, 67890]
    assert por_conta[11111]["dataAtivacao"] == d(2025, 6, 1)
    aberta = por_conta[67890]
    assert aberta == {
        "codigoBanco": 1,
        "codigoAgencia": 1234,
        "digitoVerificadorAgencia": 5,
        "codigoContaBancaria": 67890,
        "digitoVerificadorContaBancaria": "1",
        "tipoContaBancaria": 1,
        "nomeContaBancaria": "Prefeitura — conta movimento do Tesouro",
        "numeroCnpjTitular": int(CNPJ_PREFEITURA),
        "codigoIbgeCidadeAgencia": 420540,  # campo de 6 dígitos: sem o verificador
        "dataAtivacao": d(2026, 1, 10),
    }
    assert [p.itens(esf.ENCERRAMENTO) for p in (pacotes[1], pacotes[2], pacotes[4])] == [(), (), ()]
    assert pacotes[2].itens(esf.CONTA_BANCARIA) == pacotes[3].itens(esf.CONTA_BANCARIA) == ()
    (encerrada,) = pacotes[3].itens(esf.ENCERRAMENTO)
    assert (encerrada["codigoContaBancaria"], encerrada["dataEncerramento"]) == (
        11111,
        d(2026, 3, 15),
    )
    assert encerrada["descricaoMotivoEncerramento"] == "Convênio encerrado e saldo devolvido"
    # Reenviar o cadastro da conta não apaga o encerramento.
    _cadastrar(repo, antiga)
    (c,) = [c for c in repo.contas_bancarias("prefeitura") if c.conta == "11111"]
    assert c.encerramento == d(2026, 3, 15)


# ---------------------------------------------------------------------- CLI
def _cli(url: str, *args: str) -> Any:
    return runner.invoke(app, ["--db", url, *args], catch_exceptions=False)


def test_cli_importar_sugerir_confirmar_pendencias(
    repo_conc: Repositorio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(comum, "repo", lambda: repo_conc)
    monkeypatch.setattr(modulo_cli.console, "width", 250)
    url = "nao-usado"
    csv = tmp_path / "janeiro.csv"
    csv.write_text("data;valor;documento;descricao\n2027-01-04;-450,00;987;OB 987\n", "utf-8")
    r = _cli(
        url,
        "conciliacao",
        "importar",
        "prefeitura",
        DB1,
        str(csv),
        "--saldo",
        "11542,85",
        "--em",
        "2027-01-04",
    )
    assert r.exit_code == 0, r.output
    assert "1 linha(s) nova(s), 0 já importada(s), 1 saldo(s)" in r.output
    r = _cli(url, "conciliacao", "sugerir", "prefeitura", DB1, "2026-12")
    assert r.exit_code == 0 and "valor e documento 000123" in r.output
    r = _cli(url, "conciliacao", "confirmar", "prefeitura", DB1, "2026-12")
    assert r.exit_code == 0 and "3 casamento(s) confirmado(s)" in r.output
    r = _cli(url, "conciliacao", "pendencias", "prefeitura", DB1, "2026-12")
    assert r.exit_code == 0, r.output
    assert "Saldo conciliado: 11.992,85" in r.output
    assert "A conciliação fecha" in r.output
    r = _cli(url, "conciliacao", "desfazer", "prefeitura", DB1, "2026-12")
    assert r.exit_code == 0 and "3 casamento(s) desfeito(s)" in r.output
    r = _cli(url, "conciliacao", "pendencias", "prefeitura", DB1, "2027-01")
    assert r.exit_code == 0, r.output  # saldo 11.542,85 em 04/01 = 11.992,85 − 450,00
    assert "Saldo do extrato: 11.542,85" in r.output
