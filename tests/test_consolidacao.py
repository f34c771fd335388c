"""Consolidação de balancetes (erario.consolidacao), com valores feitos à mão.

Prefeitura, janeiro: bancos FR 1500 anterior 1.000,00 D, créditos 150,00 (paga
50,00 de serviços e repassa 100,00 de duodécimo); PL 1.000,00 C.
Câmara, janeiro: bancos anterior 200,00 D, recebe 100,00 e paga 30,00 de
serviços; PL 200,00 C. Consolidado: bancos 1.200,00 + 100,00 − 180,00 =
1.120,00 D; serviços 80,00 D; repasse concedido 100,00 D e recebido 100,00 C,
que a eliminação intra-OFSS tira (débitos e créditos totais caem de 280,00
para 180,00).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from erario.consolidacao.balancetes import (
    colunas,
    consolidar,
    e_intra_ofss,
    intervalo,
    saldos_de_balancete,
)
from erario.consolidacao.formato import (
    BalanceteMensal,
    EntidadeDoc,
    checksum,
    conferir_com_plano,
    documento,
    ler_bytes,
    serializar,
)
from erario.razao.balancete import conferir_balancete
from erario.razao.modelo import Lancamento, Partida, PlanoContas, TipoLancamento
from erario.razao.plano import ler_plano_csv
from erario.storage.repositorio import Repositorio
from tests.conftest import CNPJ_CAMARA
from tests.test_relatorios_balancete import _linha

PLANO_INTRA = """\
CONTA;TÍTULO;NATUREZA DO SALDO;INDICADOR DO SUPERÁVIT FINANCEIRO;NATUREZA DA INFORMAÇÃO;ESCRITURAÇÃO;CONTA CORRENTE
1.0.0.0.0.00.00;ATIVO;Devedora;;P;N;
1.1.0.0.0.00.00;ATIVO CIRCULANTE;Devedora;;P;N;
1.1.1.0.0.00.00;CAIXA E EQUIVALENTES DE CAIXA;Devedora;;P;N;
1.1.1.1.0.00.00;CAIXA E EQUIVALENTES EM MOEDA NACIONAL;Devedora;;P;N;
1.1.1.1.1.00.00;CAIXA E EQUIVALENTES - CONSOLIDAÇÃO;Devedora;;P;N;
1.1.1.1.1.06.00;BANCOS CONTA MOVIMENTO;Devedora;F;P;S;FR
2.0.0.0.0.00.00;PASSIVO E PATRIMÔNIO LÍQUIDO;Credora;;P;N;
2.3.0.0.0.00.00;PATRIMÔNIO LÍQUIDO;Credora;;P;N;
2.3.7.0.0.00.00;RESULTADOS ACUMULADOS;Credora;P;P;S;
3.0.0.0.0.00.00;VARIAÇÃO PATRIMONIAL DIMINUTIVA;Devedora;;P;N;
3.3.0.0.0.00.00;USO DE BENS E SERVIÇOS;Devedora;;P;S;
3.5.0.0.0.00.00;TRANSFERÊNCIAS E DELEGAÇÕES CONCEDIDAS;Devedora;;P;N;
3.5.1.0.0.00.00;TRANSFERÊNCIAS INTRAGOVERNAMENTAIS;Devedora;;P;N;
3.5.1.1.0.00.00;TRANSFERÊNCIAS CONCEDIDAS PARA A EXECUÇÃO ORÇAMENTÁRIA;Devedora;;P;N;
3.5.1.1.2.00.00;TRANSFERÊNCIAS CONCEDIDAS - INTRA OFSS;Devedora;;P;N;
3.5.1.1.2.02.00;REPASSE CONCEDIDO;Devedora;;P;S;
4.0.0.0.0.00.00;VARIAÇÃO PATRIMONIAL AUMENTATIVA;Credora;;P;N;
4.5.0.0.0.00.00;TRANSFERÊNCIAS E DELEGAÇÕES RECEBIDAS;Credora;;P;N;
4.5.1.0.0.00.00;TRANSFERÊNCIAS INTRAGOVERNAMENTAIS;Credora;;P;N;
4.5.1.1.0.00.00;TRANSFERÊNCIAS RECEBIDAS PARA A EXECUÇÃO ORÇAMENTÁRIA;Credora;;P;N;
4.5.1.1.2.00.00;TRANSFERÊNCIAS RECEBIDAS - INTRA OFSS;Credora;;P;N;
4.5.1.1.2.02.00;REPASSE RECEBIDO;Credora;;P;S;
"""

BANCOS = "1.1.1.1.1.06.00"
PL = "2.3.7.0.0.00.00"
SERVICOS = "3.3.0.0.0.00.00"
CONCEDIDO = "3.5.1.1.2.02.00"
RECEBIDO = "4.5.1.1.2.02.00"
FR = "FR=1500"

PREFEITURA_JAN = {
    (BANCOS, FR): (100000, 0, 15000),
    (SERVICOS, ""): (0, 5000, 0),
    (CONCEDIDO, ""): (0, 10000, 0),
    (PL, ""): (-100000, 0, 0),
}
CAMARA_JAN = {
    (BANCOS, FR): (20000, 10000, 3000),
    (SERVICOS, ""): (0, 3000, 0),
    (RECEBIDO, ""): (0, 0, 10000),
    (PL, ""): (-20000, 0, 0),
}
# Fevereiro da Câmara: paga mais 20,00 de serviços.
CAMARA_FEV = {
    (BANCOS, FR): (27000, 0, 2000),
    (SERVICOS, ""): (3000, 2000, 0),
    (RECEBIDO, ""): (-10000, 0, 0),
    (PL, ""): (-20000, 0, 0),
}


@pytest.fixture(scope="module")
def plano() -> PlanoContas:
    p, erros = ler_plano_csv(PLANO_INTRA, "PCASP")
    assert p is not None, erros
    return p


def test_intra_ofss_pelo_quinto_nivel() -> None:
    assert e_intra_ofss("3.5.1.1.2.02.00")
    assert e_intra_ofss("4.5.1.1.2.02.00")
    assert e_intra_ofss("2.1.1.4.2.01.00")
    assert not e_intra_ofss("3.5.1.1.1.02.00")  # consolidação
    assert not e_intra_ofss("1.1.1.1.1.06.00")
    assert not e_intra_ofss("5.2.2.1.2.01.00")  # orçamentária: o 5º nível é outra coisa
    assert not e_intra_ofss("3.5")


def test_consolidado_soma_por_conta_e_conta_corrente(plano: PlanoContas) -> None:
    c = consolidar(
        plano,
        [("prefeitura", PREFEITURA_JAN), ("camara", CAMARA_JAN)],
        ano=2026,
        inicio=1,
        fim=1,
        por_conta_corrente=True,
    )
    b = c.balancete
    assert b.entidades == ("prefeitura", "camara")
    assert _linha(b, BANCOS, FR) == (120000, 10000, 18000, 112000)
    assert _linha(b, BANCOS) == (120000, 10000, 18000, 112000)
    assert _linha(b, "1.0.0.0.0.00.00") == (120000, 10000, 18000, 112000)
    assert _linha(b, SERVICOS) == (0, 8000, 0, 8000)
    assert _linha(b, CONCEDIDO) == (0, 10000, 0, 10000)
    assert _linha(b, RECEBIDO) == (0, 0, 10000, -10000)
    assert _linha(b, "3.0.0.0.0.00.00") == (0, 18000, 0, 18000)
    assert b.total_debitos == b.total_creditos == 28000
    assert conferir_balancete(b) == []
    assert c.eliminacao is None
    assert [p.total_debitos for p in c.partes] == [15000, 13000]


def test_eliminacao_intra_ofss(plano: PlanoContas) -> None:
    c = consolidar(
        plano,
        [("prefeitura", PREFEITURA_JAN), ("camara", CAMARA_JAN)],
        ano=2026,
        inicio=1,
        fim=1,
        eliminar_intra=True,
    )
    b = c.balancete
    codigos = {ln.codigo for ln in b.linhas}
    assert CONCEDIDO not in codigos and RECEBIDO not in codigos
    assert "4.0.0.0.0.00.00" not in codigos  # a única VPA era intra-OFSS
    assert _linha(b, "3.0.0.0.0.00.00") == (0, 8000, 0, 8000)
    assert b.total_debitos == b.total_creditos == 18000
    assert conferir_balancete(b) == []
    assert c.eliminacao is not None
    assert [(e.entidade, e.conta, e.atual) for e in c.eliminacao.linhas] == [
        ("prefeitura", CONCEDIDO, 10000),
        ("camara", RECEBIDO, -10000),
    ]
    assert c.eliminacao.debitos == c.eliminacao.creditos == 10000
    assert c.eliminacao.erros() == []


def test_eliminacao_nao_reciproca_e_relatada(plano: PlanoContas) -> None:
    camara = dict(CAMARA_JAN)
    camara[(RECEBIDO, "")] = (0, 0, 9000)  # a Câmara registrou 90,00
    camara[(BANCOS, FR)] = (20000, 9000, 3000)
    c = consolidar(
        plano, [("prefeitura", PREFEITURA_JAN), ("camara", camara)], ano=2026, inicio=1, fim=1,
        eliminar_intra=True,
    )  # fmt: skip
    assert c.eliminacao is not None
    mensagens = [e.mensagem for e in c.eliminacao.erros()]
    assert mensagens == [
        "movimentos intra-OFSS não recíprocos: débitos eliminados 100,00, créditos eliminados 90,00",
        "saldos intra-OFSS (atual) não recíprocos: sobram 10,00 D",
    ]
    assert {e.regra for e in c.eliminacao.erros()} == {"CON-ELIMINACAO"}


def test_uma_coluna_por_entidade(plano: PlanoContas) -> None:
    c = consolidar(
        plano, [("prefeitura", PREFEITURA_JAN), ("camara", CAMARA_JAN)], ano=2026, inicio=1, fim=1,
        eliminar_intra=True,
    )  # fmt: skip
    por = {(ln.codigo, ln.conta_corrente): ln for ln in colunas(c)}
    bancos = por[(BANCOS, "")]
    assert (bancos.por_entidade, bancos.eliminado, bancos.consolidado) == (
        (85000, 27000),
        0,
        112000,
    )
    concedido = por[(CONCEDIDO, "")]
    assert (concedido.por_entidade, concedido.eliminado, concedido.consolidado) == (
        (10000, 0),
        10000,
        0,
    )
    vpd = por[("3.0.0.0.0.00.00", "")]
    assert (vpd.por_entidade, vpd.eliminado, vpd.consolidado) == ((15000, 3000), 10000, 8000)
    assert por[(PL, "")].por_entidade == (-100000, -20000)


def test_intervalo_de_meses() -> None:
    saldos, erros = intervalo({1: CAMARA_JAN, 2: CAMARA_FEV}, 1, 2)
    assert erros == []
    assert saldos[(BANCOS, FR)] == (20000, 10000, 5000)  # atual 250,00
    assert saldos[(SERVICOS, "")] == (0, 5000, 0)
    assert saldos[(RECEBIDO, "")] == (0, 0, 10000)
    assert saldos[(PL, "")] == (-20000, 0, 0)
    so_fev, _ = intervalo({1: CAMARA_JAN, 2: CAMARA_FEV}, 2, 2)
    assert so_fev[(BANCOS, FR)] == (27000, 0, 2000)


def test_intervalo_confere_meses_e_continuidade() -> None:
    _, erros = intervalo({1: CAMARA_JAN, 3: CAMARA_FEV}, 1, 3, "camara")
    assert [(e.regra, e.mensagem) for e in erros] == [
        ("CON-MES-FALTANTE", "faltam os balancetes de 02")
    ]
    fev = dict(CAMARA_FEV)
    fev[(BANCOS, FR)] = (26000, 0, 2000)
    _, erros = intervalo({1: CAMARA_JAN, 2: fev}, 1, 2)
    assert [e.mensagem for e in erros] == [
        "conta 1.1.1.1.1.06.00 [FR=1500]: saldo atual de 01 (270,00) difere do anterior de 02 (260,00)"
    ]


# ------------------------------------------------------------------ formato
CAMARA_DOC = EntidadeDoc(CNPJ_CAMARA, "camara", "Câmara de Teste", "camara", "4312658")


def test_formato_ida_e_volta(plano: PlanoContas) -> None:
    bm = BalanceteMensal(CAMARA_DOC, "PCASP", 2026, 1, CAMARA_JAN)
    dados = serializar(bm)
    doc = json.loads(dados)
    assert doc["totais"] == {"debitos": "130.00", "creditos": "130.00"}
    assert doc["linhas"][0] == {
        "conta": BANCOS,
        "conta_corrente": FR,
        "anterior": "200.00",
        "debitos": "100.00",
        "creditos": "30.00",
    }
    assert doc["checksum"] == checksum(doc)
    lido, erros = ler_bytes(dados)
    assert erros == [] and lido == bm
    assert conferir_com_plano(bm, plano) == []


def test_formato_lista_todos_os_problemas() -> None:
    doc = documento(BalanceteMensal(CAMARA_DOC, "PCASP", 2026, 1, CAMARA_JAN))
    doc["mes"] = 14
    doc["linhas"][0]["debitos"] = 100.0  # float: recusado
    doc["linhas"][1]["creditos"] = "1.234,56"
    doc["linhas"].append(dict(doc["linhas"][2]))
    doc["entidade"]["cnpj"] = "11111111111111"
    _, erros = ler_bytes(json.dumps(doc).encode())
    regras = [e.regra for e in erros]
    assert regras == [
        "CON-CHECKSUM",
        "CON-ENTIDADE",
        "CON-PERIODO",
        "CON-VALOR",
        "CON-VALOR",
        "CON-LINHA",
        "CON-TOTAIS",
        "CON-DESBALANCEADO",
    ]
    # Sobram serviços (30,00 D) e repasse recebido (100,00 C).
    assert erros[-1].mensagem == "débitos (30,00) diferem dos créditos (100,00)"
    assert (
        str(erros[3])
        == 'linha 1, campo debitos: [CON-VALOR] debitos 100.0 inválido: use texto como "1234.56"'
    )
    assert ler_bytes(b"{nao json")[1][0].regra == "CON-JSON"
    assert ler_bytes(b"[]")[1][0].regra == "CON-JSON"


def test_checksum_pega_alteracao() -> None:
    doc = documento(BalanceteMensal(CAMARA_DOC, "PCASP", 2026, 1, CAMARA_JAN))
    doc["linhas"][0]["conta_corrente"] = "FR=1501"
    _, erros = ler_bytes(json.dumps(doc).encode())
    assert [e.regra for e in erros] == ["CON-CHECKSUM"]


def test_conferir_com_plano(plano: PlanoContas) -> None:
    saldos = {("9.9.9.9.9.99.99", ""): (0, 100, 0), ("3.5.0.0.0.00.00", ""): (0, 0, 100)}
    erros = conferir_com_plano(BalanceteMensal(CAMARA_DOC, "PCASP", 2026, 1, saldos), plano)
    assert [e.mensagem for e in erros] == [
        "conta 3.5.0.0.0.00.00 é sintética no plano PCASP",
        "conta 9.9.9.9.9.99.99 não existe no plano PCASP",
    ]
    assert conferir_com_plano(BalanceteMensal(CAMARA_DOC, "OUTRO", 2026, 1, {}), plano)[
        0
    ].regra == ("CON-PLANO")


# ---------------------------------------------------- um banco, várias entidades
def _lancar(
    repo: Repositorio, slug: str, data: dt.date, *partidas: Partida, abertura: bool = False
) -> None:
    tipo = TipoLancamento.ABERTURA if abertura else TipoLancamento.ORDINARIO
    repo.lancar(Lancamento(slug, data, "teste", tuple(partidas), tipo=tipo))


def test_um_banco_saldos_do_razao_reproduzem_o_balancete(repo: Repositorio) -> None:
    """No banco único, o consolidado pelos saldos por entidade é o mesmo de
    ``Repositorio.balancete`` com as várias entidades."""
    caixa, bancos, pl, vpd = "1.1.1.1.1.01.00", BANCOS, "2.3.7.0.0.00.00", "3.3.0.0.0.00.00"
    d1 = dt.date(2026, 1, 1)
    _lancar(repo, "prefeitura", d1, Partida.de(caixa, "D", "500.00", {"FR": "1500"}),
            Partida.de(pl, "C", "500.00"), abertura=True)  # fmt: skip
    _lancar(repo, "prefeitura", dt.date(2026, 1, 10),
            Partida.de(vpd, "D", "120.35"), Partida.de(caixa, "C", "120.35", {"FR": "1500"}))  # fmt: skip
    _lancar(repo, "camara", dt.date(2026, 2, 3),
            Partida.de(bancos, "D", "80.00", {"FR": "1500", "DB": "001-1-2"}),
            Partida.de(caixa, "D", "5.00", {"FR": "1501"}),
            Partida.de(pl, "C", "85.00"))  # fmt: skip
    plano = repo.plano("PCASP")
    partes = [
        (s, saldos_de_balancete(repo.balancete([s], 2026, 1, 2, por_conta_corrente=True)))
        for s in ("prefeitura", "camara")
    ]
    assert partes[0][1] == {(caixa, "FR=1500"): (50000, 0, 12035), (pl, ""): (-50000, 0, 0),
                            (vpd, ""): (0, 12035, 0)}  # fmt: skip
    c = consolidar(plano, partes, ano=2026, inicio=1, fim=2, por_conta_corrente=True)
    direto = repo.balancete(["prefeitura", "camara"], 2026, 1, 2, por_conta_corrente=True)
    assert c.balancete == direto
    assert _linha(direto, caixa) == (50000, 500, 12035, 38465)


def test_documento_hostil_e_erro_nunca_excecao() -> None:
    """O cliente lê o que baixa do servidor: aninhamento de 100 mil níveis e inteiro de
    5.000 dígitos são CON-JSON, não RecursionError nem ValueError."""
    from erario.consolidacao.formato import ler_objeto_json

    for dados in (b"[" * 100_000, b'{"a": ' + b"9" * 5_000 + b"}"):
        obj, erros = ler_objeto_json(dados, "baixado")
        assert obj is None and [e.regra for e in erros] == ["CON-JSON"]
