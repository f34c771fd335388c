"""e-Sfinge, geração do pacote a partir do razão e dos cadastros juntos (issue 17, itens 1 e 4):
conta movimentada sem cadastro, contas do primeiro pacote, saldos de dezembro,
aplicações pelo razão e os 36 pacotes do ano do demo."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from functools import cache

import pytest
from sqlalchemy import Engine

from erario.core.erros import OperacaoRecusada
from erario.execucao.cadastros import ContaBancaria, TipoContaBancaria
from erario.leiautes import esfinge as esf
from erario.leiautes.esfinge_geracao import (
    ContaBancariaEsfinge,
    DadosPacote,
    gerar_pacote,
    movimentos_sem_cadastro,
)
from erario.orcamento.classificacao import ler_fonte
from erario.razao.modelo import (
    Entidade,
    Lancamento,
    Partida,
    PlanoContas,
    TipoEntidade,
    TipoLancamento,
)
from erario.razao.plano import plano_base
from erario.storage.esfinge import ler_dados
from erario.storage.repositorio import Repositorio

ENT = Entidade(
    "prefeitura",
    "Prefeitura de Teste",
    "11222333000181",
    TipoEntidade.PREFEITURA,
    "4399906",
    "10131",
)
MOVIMENTO = "1.1.1.1.1.19.00"
RPPS_CAPITALIZACAO = "1.1.1.1.1.53.00"
RESULTADOS = "2.3.7.1.1.02.00"
RENDIMENTO = "4.4.5.2.1.00.00"
DB1 = "001-1234-111111"
DB2 = "001-1234-222222"
DB3 = "001-1234-333333"


@cache
def _plano() -> PlanoContas:
    return plano_base()


def _conta(
    db: str,
    ativacao: dt.date | None,
    encerramento: dt.date | None = None,
    tipo: TipoContaBancaria = TipoContaBancaria.MOVIMENTO,
    contabil: str = MOVIMENTO,
) -> ContaBancariaEsfinge:
    fonte, _ = ler_fonte("1500")
    assert fonte is not None
    banco, agencia, numero = db.split("-")
    cb = ContaBancaria("prefeitura", db, tipo, fonte, contabil, banco, agencia, "", numero, "")
    motivo = "Conta sem uso" if encerramento else ""
    return ContaBancariaEsfinge(
        cb, f"Conta {db}", ENT.cnpj, "4399906", ativacao, encerramento, motivo
    )


def _lanc(numero: str, data: dt.date, *partidas: Partida) -> Lancamento:
    tipo = TipoLancamento.ABERTURA if numero.startswith("ABE") else TipoLancamento.ORDINARIO
    return Lancamento("prefeitura", data, f"Lançamento {numero}", partidas, numero, tipo)


def _banco(db: str) -> dict[str, str]:
    return {"FR": "1500", "DB": db}


def _dados(
    mes: int,
    lancamentos: list[Lancamento],
    contas: list[ContaBancariaEsfinge],
    primeiro: bool = False,
) -> DadosPacote:
    return DadosPacote(ENT, 2026, mes, _plano(), lancamentos, contas, (), primeiro)


# ------------------------------------------------- item 1: razão e cadastros
def test_movimento_sem_conta_cadastrada_lista_cada_partida() -> None:
    lancs = [
        _lanc(
            "PAG-7",
            dt.date(2026, 3, 5),
            Partida.de(RESULTADOS, "D", "10.00"),
            Partida.de(MOVIMENTO, "C", "10.00", _banco(DB2)),
        ),
        _lanc(  # outro mês: fica para o pacote dele
            "PAG-8",
            dt.date(2026, 4, 5),
            Partida.de(RESULTADOS, "D", "10.00"),
            Partida.de(MOVIMENTO, "C", "10.00", _banco(DB3)),
        ),
    ]
    erros = movimentos_sem_cadastro(_dados(3, lancs, [_conta(DB1, dt.date(2026, 1, 1))]))
    assert [str(e) for e in erros] == [
        "PAG-7, linha 2, campo DB: [ESF-CONTA-NAO-CADASTRADA] lançamento PAG-7 de 05/03/2026, "
        "partida 2: conta 1.1.1.1.1.19.00, domicílio bancário 001-1234-222222 sem conta "
        "bancária cadastrada (cadastre-a: erario importar --tipo cadastros)"
    ]
    assert movimentos_sem_cadastro(_dados(3, lancs[:1], [_conta(DB2, None)])) == []


def test_ler_dados_recusa_conta_movimentada_sem_cadastro(repo_pcasp: Repositorio) -> None:
    repo_pcasp.lancar(
        _lanc(
            "ABE-1",
            dt.date(2026, 1, 1),
            Partida.de(MOVIMENTO, "D", "100.00", _banco(DB1)),
            Partida.de(RESULTADOS, "C", "100.00"),
        )
    )
    with pytest.raises(OperacaoRecusada) as exc:
        ler_dados(repo_pcasp, "prefeitura", 2026, 1)
    assert [e.regra for e in exc.value.erros] == ["ESF-CONTA-NAO-CADASTRADA"]
    assert DB1 in exc.value.erros[0].mensagem
    assert exc.value.erros[0].origem == "ABE-1"
    # Validar um pacote de fora não depende do cadastro do razão.
    dados, _ = ler_dados(repo_pcasp, "prefeitura", 2026, 1, exigir_cadastro=False)
    assert dados.primeiro
    cadastro = {
        "cadastro": "conta_bancaria", "entidade": "prefeitura", "codigo": DB1,
        "tipo": "movimento", "fonte": "1500", "conta_contabil": MOVIMENTO, "banco": "001",
        "agencia": "1234", "conta": "111111",
    }  # fmt: skip
    repo_pcasp.registrar_cadastros([json.dumps(cadastro)], "cadastros.jsonl")
    dados, _ = ler_dados(repo_pcasp, "prefeitura", 2026, 1)
    assert [c.conta.codigo for c in dados.contas] == [DB1]
    assert not ler_dados(repo_pcasp, "prefeitura", 2026, 2)[0].primeiro


def test_primeiro_pacote_leva_as_contas_ativadas_antes() -> None:
    contas = [
        _conta(DB1, dt.date(2019, 5, 2)),  # anterior ao erario: vai no primeiro pacote
        _conta(DB2, dt.date(2026, 3, 10)),  # ativada em março: vai em março
        _conta(DB3, dt.date(2018, 1, 1), dt.date(2025, 6, 30)),  # encerrada antes: não vai
    ]

    def ativadas(mes: int, primeiro: bool) -> list[object]:
        pacote = gerar_pacote(_dados(mes, [], contas, primeiro))
        return [it["codigoContaBancaria"] for it in pacote.itens(esf.CONTA_BANCARIA)]

    assert ativadas(1, True) == [111111]
    assert ativadas(1, False) == []
    assert ativadas(3, False) == [222222]


def test_dezembro_saldo_de_toda_conta_usada_no_ano_e_zero_da_encerrada() -> None:
    contas = [
        _conta(DB1, dt.date(2026, 1, 1)),
        _conta(DB2, dt.date(2026, 1, 1), dt.date(2026, 8, 31)),  # encerrada no ano: zero
        _conta(DB3, dt.date(2020, 1, 1), dt.date(2025, 12, 31)),  # encerrada antes: fora
    ]
    lancs = [
        _lanc(
            "ABE-1",
            dt.date(2026, 1, 1),
            Partida.de(MOVIMENTO, "D", "700.00", _banco(DB1)),
            Partida.de(MOVIMENTO, "D", "50.00", _banco(DB2)),
            Partida.de(RESULTADOS, "C", "750.00"),
        )
    ]
    pacote = gerar_pacote(_dados(12, lancs, contas))
    saldos = {it["codigoContaBancaria"]: it["valorSaldo"] for it in pacote.itens(esf.SALDOS)}
    assert saldos == {"111111": Decimal("700.00"), "222222": Decimal("0.00")}


def test_aplicacao_pelo_razao_na_conta_1_1_1_1_1_5x_sem_tipo_aplicacao() -> None:
    # A conta do RPPS foi cadastrada como "movimento", mas a conta contábil é de aplicação.
    contas = [_conta(DB1, dt.date(2026, 1, 1), contabil=RPPS_CAPITALIZACAO)]
    lancs = [
        _lanc(
            "APL-1",
            dt.date(2026, 2, 3),
            Partida.de(RPPS_CAPITALIZACAO, "D", "1000.00", _banco(DB1)),
            Partida.de(MOVIMENTO, "C", "1000.00", _banco(DB1)),
        ),
        _lanc(
            "RES-1",
            dt.date(2026, 2, 10),
            Partida.de(MOVIMENTO, "D", "300.00", _banco(DB1)),
            Partida.de(RPPS_CAPITALIZACAO, "C", "300.00", _banco(DB1)),
        ),
        _lanc(
            "REN-1",
            dt.date(2026, 2, 28),
            Partida.de(RPPS_CAPITALIZACAO, "D", "12.34", _banco(DB1)),
            Partida.de(RENDIMENTO, "C", "12.34"),
        ),
    ]
    pacote = gerar_pacote(_dados(2, lancs, contas))
    assert list(pacote.itens(esf.APLICACAO)) == [
        {
            "codigoContaContabil": "111115300",
            "contaCorrenteContabil": "15000011234111111",
            "valorAplicado": Decimal("1000.00"),
            "valorResgatado": Decimal("300.00"),
            "valorRendimento": Decimal("12.34"),
        }
    ]


# ------------------------------------------------------ item 4: o ano do demo
def test_demo_36_pacotes_gerados_e_validos(engine: Engine) -> None:
    from erario.demo import CONTAS_BANCARIAS, TARIFA_DEZEMBRO, montar_demo

    repo = Repositorio(engine)
    montar_demo(repo, 2026, meses=12)
    inicio = time.perf_counter()
    gerados = 0
    for ent in (e for e in repo.entidades() if e.tipo != "empresa"):  # FCONT, não e-Sfinge
        codigos = {cod.split("-")[2] for slug, cod, *_ in CONTAS_BANCARIAS if slug == ent.slug}
        for mes in range(1, 13):
            dados, ctx = ler_dados(repo, ent.slug, 2026, mes)
            pacote = gerar_pacote(dados)
            assert esf.validar_pacote(pacote, ctx) == [], (ent.slug, mes)
            gerados += 1
            if mes == 1:  # toda conta bancária do razão vai no primeiro pacote
                registradas = {
                    str(it["codigoContaBancaria"]) for it in pacote.itens(esf.CONTA_BANCARIA)
                }
                assert registradas == codigos, ent.slug
            if ent.slug == "rpps":  # rendimento mensal do fundo em capitalização
                (aplicacao,) = pacote.itens(esf.APLICACAO)
                assert aplicacao["codigoContaContabil"] == "111115300"
                assert isinstance(aplicacao["valorRendimento"], Decimal)
                assert aplicacao["valorRendimento"] > 0
            if mes == 12:
                saldos = {str(it["codigoContaBancaria"]) for it in pacote.itens(esf.SALDOS)}
                assert saldos == codigos, ent.slug
                conciliacao = pacote.itens(esf.CONCILIACAO)
                if ent.slug == "prefeitura":  # a tarifa do extrato ainda não contabilizada
                    assert [c["valorOperacao"] for c in conciliacao] == [
                        Decimal(TARIFA_DEZEMBRO) / 100
                    ]
                else:
                    assert conciliacao == ()
    assert gerados == 36
    assert time.perf_counter() - inicio < 20
