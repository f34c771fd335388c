"""Validador do e-Sfinge (issue 17, itens 2 e 3): cada regra com um pacote de dezembro
válido (``tests.test_esfinge._base``) que quebra só ela; avisos das tabelas a confirmar."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from erario.cli.app import app
from erario.leiautes import esfinge as esf
from erario.leiautes.esfinge_geracao import gerar_pacote
from erario.leiautes.esfinge_razao import razao_esfinge
from erario.leiautes.modelo import Pacote
from erario.leiautes.validacao import Resultado
from erario.razao.modelo import TipoEntidade
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.esfinge import ler_dados
from erario.storage.repositorio import Repositorio
from tests.conftest import preparar_repo_pcasp
from tests.test_esfinge import CHEQUE, PLANO, _base, _conta_bancaria, montar

runner = CliRunner()

L = "Lançamento Contábil Plano Único"
CHAVE = ("1", "1234", "67890")
APLIC = ("111115000", "150000112345998870")
Z = Decimal("0.00")
# O razão de ``_base``: conta movimento com 4.300,00 em 31/12 (o cheque de 200,00, Tabela
# 70 código 4, leva ao extrato de 4.500,00), movimentada em 15/12; 12,34 de rendimento.
RAZAO = esf.RazaoEsfinge(
    saldos_contabeis={CHAVE: Decimal("4300.00")},
    aplicacoes={APLIC: (Z, Z, Decimal("12.34"))},
    movimentos={CHAVE: dt.date(2026, 12, 15)},
)
# O mesmo razão sem movimento bancário no mês (para encerrar a conta).
PARADA = esf.RazaoEsfinge(RAZAO.saldos_contabeis, RAZAO.aplicacoes)


def _validar(
    registros: dict[str, list[dict[str, Any]]],
    *,
    ano_mes: int = 202612,
    **contexto: Any,
) -> Resultado:
    pacote = Pacote(
        esf.leiaute().codigo,
        {"anoMesRegistros": ano_mes},
        {k: tuple(v) for k, v in registros.items()},
    )
    contexto.setdefault("razao", RAZAO)
    ctx = esf.ContextoEsfinge(PLANO, TipoEntidade.PREFEITURA, **contexto)
    return esf.validar_pacote_com_avisos(pacote, ctx)


def _erros(registros: dict[str, list[dict[str, Any]]], **kw: Any) -> list[str]:
    return [str(e) for e in _validar(registros, **kw).erros]


def _avisos(registros: dict[str, list[dict[str, Any]]], **kw: Any) -> list[str]:
    return [str(e) for e in _validar(registros, **kw).avisos]


def test_base_sem_erros_nem_avisos() -> None:
    assert _validar(_base()) == Resultado([], [])


# ------------------------------------------------------------------ Ano/Mês
def test_ano_mes_invalido() -> None:
    for v in (202613, 202600, 202699):
        assert _erros(_base(), ano_mes=v) == [
            "Parâmetros de Entrada, campo 1. Ano/Mês dos Registros: [LEI-PERIODO] "
            f"{v} não é ano e mês AAAAMM (mês {v % 100:02d} fora de 01 a 12)"
        ]


# --------------------------------------------------------------- lançamentos
def test_estorno_misto_no_lancamento() -> None:
    r = _base()
    r[esf.LANCAMENTO][1]["indicativoEstorno"] = "S"
    assert _erros(r) == [
        f"{L}, linha 2, campo 10. Indicativo de Estorno de Lançamento: [ESF-ESTORNO-MISTO] "
        "lançamento PAG-1: indicativo de estorno S, mas a linha 1 tem N; todas as linhas do "
        "lançamento levam o mesmo indicativo"
    ]


# ------------------------------------------------------------------- datas
def test_ativacao_antes_do_mes_aceita_depois_recusada() -> None:
    r = _base()
    r[esf.CONTA_BANCARIA][0]["dataAtivacao"] = dt.date(2019, 5, 2)
    assert _erros(r) == []
    r[esf.CONTA_BANCARIA][0]["dataAtivacao"] = dt.date(2027, 1, 2)
    assert _erros(r) == [
        "Conta Bancária, linha 1, campo 10. Data de Ativação da Conta Bancária: [ESF-DATA-MES] "
        "data 02/01/2027 posterior ao mês do pacote (dezembro de 2026)"
    ]


def test_encerramento_antes_do_mes_aceito_depois_recusado() -> None:
    r = _base()
    r[esf.CONTA_BANCARIA][0]["dataAtivacao"] = dt.date(2019, 5, 2)
    r[esf.SALDOS][0]["valorSaldo"] = Decimal("0.00")
    r[esf.ENCERRAMENTO] = [_encerramento(dt.date(2026, 10, 30))]
    assert _erros(r, razao=PARADA) == []
    r[esf.ENCERRAMENTO] = [_encerramento(dt.date(2027, 1, 5))]
    assert _erros(r, razao=PARADA) == [
        "Encerramento de Conta Bancária, linha 1, campo 7. Data de Encerramento da Conta "
        "Bancária: [ESF-DATA-MES] data 05/01/2027 posterior ao mês do pacote (dezembro de 2026)"
    ]


# ------------------------------------------------------------ saldos em 31/12
def test_saldos_vazios_com_conta_cadastrada() -> None:
    r = _base()
    r[esf.SALDOS] = []
    r[esf.CONCILIACAO] = []
    assert _erros(r) == [
        "Saldos Bancários: [ESF-SALDO-AUSENTE] conta bancária 67890 (banco 1, agência 1234) "
        "cadastrada e não encerrada sem saldo em 31/12 (informe 0.00 se zerada)"
    ]


def test_conta_cadastrada_antes_sem_saldo() -> None:
    assert _erros(_base(), contas_cadastradas=frozenset({("1", "1234", "55555")})) == [
        "Saldos Bancários: [ESF-SALDO-AUSENTE] conta bancária 55555 (banco 1, agência 1234) "
        "cadastrada e não encerrada sem saldo em 31/12 (informe 0.00 se zerada)"
    ]


def test_digito_do_saldo_diferente_do_cadastro() -> None:
    r = _base()
    r[esf.SALDOS][0]["digitoVerificadorContaBancaria"] = "9"
    assert _erros(r) == [
        "Saldos Bancários, linha 1, campo 5. Dígito Verificador da Conta Bancária: [ESF-DIGITO] "
        "dígito 9 difere do cadastrado em Conta Bancária (1)"
    ]


def test_digito_confere_com_cadastro_anterior() -> None:
    r = _base()
    r[esf.CONTA_BANCARIA] = []
    anterior = {CHAVE: _conta_bancaria(digitoVerificadorAgencia=7)}
    assert _erros(r, contas_cadastradas=frozenset({CHAVE}), cadastro_anterior=anterior) == [
        "Saldos Bancários, linha 1, campo 3. Dígito Verificador da Agência Bancária: "
        "[ESF-DIGITO] dígito 5 difere do cadastrado em Conta Bancária (7)",
        "Conciliação Bancária, linha 1, campo 3. Dígito Verificador da Agência Bancária: "
        "[ESF-DIGITO] dígito 5 difere do cadastrado em Conta Bancária (7)",
    ]


# ------------------------------------------------------- conciliação: datas
def test_regularizacao_antes_da_operacao() -> None:
    r = _base()
    r[esf.CONCILIACAO][0]["dataRegularizacao"] = dt.date(2026, 12, 1)
    assert _erros(r) == [
        "Conciliação Bancária, linha 1, campo 9. Data da Regularização: [ESF-CONCILIACAO-DATA] "
        "regularização em 01/12/2026, antes da operação (15/12/2026)"
    ]


def test_regularizacao_ate_31_12_nao_era_pendente() -> None:
    r = _base()
    r[esf.CONCILIACAO][0]["dataRegularizacao"] = dt.date(2026, 12, 31)
    assert _erros(r) == [
        "Conciliação Bancária, linha 1, campo 9. Data da Regularização: [ESF-CONCILIACAO-DATA] "
        "regularização em 31/12/2026, até 31/12/2026: a operação não estava pendente em 31/12"
    ]
    r[esf.CONCILIACAO][0]["dataRegularizacao"] = dt.date(2027, 1, 4)
    assert _erros(r) == []


def test_operacao_depois_de_31_12() -> None:
    r = _base()
    r[esf.CONCILIACAO][0]["dataOperacao"] = dt.date(2027, 1, 2)
    assert _erros(r) == [
        "Conciliação Bancária, linha 1, campo 8. Data da Operação: [ESF-CONCILIACAO-DATA] "
        "operação em 02/01/2027, depois de 31/12/2026: não é pendência em 31/12"
    ]


# ------------------------------------------------------------- encerramento
def _encerramento(data: dt.date, conta: int = 67890) -> dict[str, Any]:
    return {
        "codigoBanco": 1,
        "codigoAgencia": 1234,
        "digitoVerificadorAgencia": 5,
        "codigoContaBancaria": conta,
        "digitoVerificadorContaBancaria": "1",
        "descricaoMotivoEncerramento": "Convênio encerrado",
        "dataEncerramento": data,
    }


def test_encerramento_de_conta_nao_cadastrada() -> None:
    r = _base()
    r[esf.ENCERRAMENTO] = [_encerramento(dt.date(2026, 12, 20), conta=11111)]
    assert _erros(r) == [
        "Encerramento de Conta Bancária, linha 1, campo 4. Código da Conta Bancária: "
        "[ESF-ENCERRAMENTO] conta bancária 11111 (banco 1, agência 1234) encerrada sem ter sido "
        "cadastrada em registro Conta Bancária"
    ]


def test_encerramento_antes_da_ativacao() -> None:
    r = _base()
    r[esf.SALDOS][0]["valorSaldo"] = Decimal("0.00")
    r[esf.ENCERRAMENTO] = [_encerramento(dt.date(2026, 11, 20))]
    assert _erros(r, razao=PARADA) == [
        "Encerramento de Conta Bancária, linha 1, campo 7. Data de Encerramento da Conta "
        "Bancária: [ESF-ENCERRAMENTO] encerramento em 20/11/2026, antes da ativação da conta "
        "(01/12/2026)"
    ]


def test_saldo_de_conta_encerrada_no_ano() -> None:
    r = _base()
    r[esf.ENCERRAMENTO] = [_encerramento(dt.date(2026, 12, 20))]
    assert _erros(r, razao=PARADA) == [
        "Saldos Bancários, linha 1, campo 6. Valor do Saldo: [ESF-SALDO-ENCERRADA] conta "
        "bancária 67890 encerrada em 20/12/2026 com saldo 4.500,00 em 31/12"
    ]
    # encerrada num pacote anterior: o mesmo
    assert _erros(_base(), contas_encerradas={CHAVE: dt.date(2026, 5, 4)}, razao=PARADA) == [
        "Saldos Bancários, linha 1, campo 6. Valor do Saldo: [ESF-SALDO-ENCERRADA] conta "
        "bancária 67890 encerrada em 04/05/2026 com saldo 4.500,00 em 31/12"
    ]


# ------------------------------------------- tabelas a confirmar: avisos
def test_codigo_desconhecido_em_tabela_a_confirmar_e_aviso() -> None:
    r = _base()
    r[esf.CONTA_BANCARIA][0]["tipoContaBancaria"] = 7
    r[esf.LANCAMENTO][0]["tipoLancamento"] = 9
    r[esf.CONCILIACAO][0].update(tipoOperacao=12, tipoDocumento=42)
    res = _validar(r)
    assert res.erros == []
    assert [str(e) for e in res.avisos] == [
        "Conta Bancária, linha 1, campo 6. Tipo de Conta Bancária: [LEI-CODIGO-A-CONFIRMAR] "
        "código 7 não está na Tabela 118 - Tipo de Contas Bancárias do erario (códigos a "
        "confirmar com o órgão): confira se o código existe",
        f"{L}, linha 1, campo 6. Tipo do Lançamento: [LEI-CODIGO-A-CONFIRMAR] código 9 não está "
        "na Tabela de Tipo de Lançamento Contábil do erario (códigos a confirmar com o órgão): "
        "confira se o código existe",
        "Conciliação Bancária, linha 1, campo 7. Tipo de Operação: [LEI-CODIGO-A-CONFIRMAR] "
        "código 12 não está na Tabela 70 - Tipo de Operação de Conciliação Bancária do erario "
        "(códigos a confirmar com o órgão): confira se o código existe",
        "Conciliação Bancária, linha 1, campo 11. Tipo de Documento da Conciliação: "
        "[LEI-CODIGO-A-CONFIRMAR] código 42 não está na Tabela 71 - Tipo de Documento "
        "Comprobatório de Conciliação Bancária do erario (códigos a confirmar com o órgão): "
        "confira se o código existe",
    ]


def test_codigo_fora_do_tamanho_ou_tipo_e_erro() -> None:
    r = _base()
    r[esf.CONTA_BANCARIA][0]["tipoContaBancaria"] = "A"
    r[esf.CONCILIACAO][0]["tipoOperacao"] = 123
    res = _validar(r)
    assert [str(e) for e in res.erros] == [
        "Conta Bancária, linha 1, campo 6. Tipo de Conta Bancária: [LEI-TIPO] 'A' não é "
        "numérico inteiro",
        "Conciliação Bancária, linha 1, campo 7. Tipo de Operação: [LEI-TAMANHO] 123 tem 3 "
        "dígitos; máximo 2",
    ]


# ------------------------------------------------------- contra o razão
def test_sem_razao_regras_puladas_com_nota() -> None:
    r = _base()
    r[esf.SALDOS][0]["valorSaldo"] = Decimal("1.00")  # só o razão recusaria
    res = _validar(r, razao=None)
    assert res.erros == []
    assert [str(e) for e in res.avisos] == [
        "e-Sfinge — Registros Contábeis (TCE-SC): [ESF-SEM-RAZAO] arquivo sem o razão: não "
        "conferidos a equação da conciliação bancária, as aplicações contra o razão do mês nem "
        "o cadastro das contas bancárias movimentadas"
    ]


def test_conciliacao_nao_fecha_com_o_razao() -> None:
    r = _base()
    r[esf.CONCILIACAO][0]["valorOperacao"] = Decimal("150.00")
    assert _erros(r) == [
        "Saldos Bancários, linha 1, campo 6. Valor do Saldo: [ESF-CONCILIACAO-SALDO] saldo "
        "4.500,00 ≠ saldo do razão 4.300,00 ajustado pelas pendências (150,00) = 4.450,00"
    ]


def test_saldo_nao_fecha_com_o_razao() -> None:
    r = _base()
    r[esf.SALDOS][0]["valorSaldo"] = Decimal("4600.00")
    assert _erros(r) == [
        "Saldos Bancários, linha 1, campo 6. Valor do Saldo: [ESF-CONCILIACAO-SALDO] saldo "
        "4.600,00 ≠ saldo do razão 4.300,00 ajustado pelas pendências (200,00) = 4.500,00"
    ]


def test_aplicacao_diferente_do_razao() -> None:
    r = _base()
    r[esf.APLICACAO][0]["valorRendimento"] = Decimal("12.00")
    assert _erros(r) == [
        "Aplicação Financeira Plano Único, linha 1, campo 5. Valor do Rendimento: "
        "[ESF-APLICACAO-RAZAO] 12,00 ≠ 12,34 do razão no mês (conta 111115000, conta corrente "
        "150000112345998870)"
    ]


def test_rendimento_no_razao_sem_aplicacao() -> None:
    r = _base()
    r[esf.APLICACAO] = []
    assert _erros(r) == [
        "Aplicação Financeira Plano Único: [ESF-APLICACAO-RAZAO] conta 111115000, conta "
        "corrente 150000112345998870: o razão do mês tem aplicado 0,00, resgatado 0,00 e "
        "rendimento 12,34, sem registro de Aplicação Financeira"
    ]


def test_conta_movimentada_sem_cadastro() -> None:
    outra = ("1", "1234", "55555")
    razao = esf.RazaoEsfinge(
        RAZAO.saldos_contabeis, RAZAO.aplicacoes, {**RAZAO.movimentos, outra: D15}
    )
    assert _erros(_base(), razao=razao) == [
        f"{L}: [ESF-CONTA-MOVIMENTADA] conta bancária 55555 (banco 1, agência 1234) "
        "movimentada no razão do mês sem registro Conta Bancária"
    ]


def test_conta_movimentada_depois_do_encerramento() -> None:
    r = _base()
    r[esf.SALDOS][0]["valorSaldo"] = Decimal("0.00")
    r[esf.ENCERRAMENTO] = [_encerramento(dt.date(2026, 12, 10))]
    assert _erros(r) == [
        f"{L}: [ESF-CONTA-MOVIMENTADA] conta bancária 67890 (banco 1, agência 1234) "
        "movimentada em 15/12/2026, depois do encerramento em 10/12/2026"
    ]


D15 = dt.date(2026, 12, 15)


# ------------------------------------------- razão do erario e sequência de meses
@pytest.fixture
def repo_dez(repo_pcasp: Repositorio) -> Repositorio:
    montar(repo_pcasp)
    return repo_pcasp


def _gerado(repo: Repositorio, mes: int) -> tuple[Pacote, esf.ContextoEsfinge]:
    dados, ctx = ler_dados(repo, "prefeitura", 2026, mes, (CHEQUE,) if mes == 12 else ())
    return gerar_pacote(dados), replace(ctx, razao=razao_esfinge(dados))


def test_pacotes_gerados_fecham_com_o_razao(repo_dez: Repositorio) -> None:
    pacote, ctx = _gerado(repo_dez, 12)
    razao = ctx.razao
    assert razao is not None
    assert razao.saldos_contabeis == {
        CHAVE: Decimal("4300.00"),
        ("1", "1234", "99887"): Decimal("4012.34"),
    }
    assert esf.validar_pacote_com_avisos(pacote, ctx) == Resultado([], [])
    # o mesmo pacote com o saldo alterado: só o razão o recusa
    saldos = list(pacote.itens(esf.SALDOS))
    saldos[0] = {**saldos[0], "valorSaldo": Decimal("4400.00")}
    adulterado = Pacote(
        pacote.leiaute, pacote.parametros, {**pacote.registros, esf.SALDOS: tuple(saldos)}
    )
    assert [str(e) for e in esf.validar_pacote(adulterado, ctx)] == [
        "Saldos Bancários, linha 1, campo 6. Valor do Saldo: [ESF-CONCILIACAO-SALDO] saldo "
        "4.400,00 ≠ saldo do razão 4.300,00 ajustado pelas pendências (200,00) = 4.500,00"
    ]


def test_ano_inteiro_em_sequencia(repo_dez: Repositorio) -> None:
    resultados = esf.validar_sequencia([_gerado(repo_dez, m) for m in range(1, 13)])
    assert resultados == [Resultado([], [])] * 12


def _sem_contexto(pacote: Pacote) -> tuple[Pacote, esf.ContextoEsfinge]:
    """Arquivo de fora: nada além do que a própria sequência enviou."""
    return pacote, esf.ContextoEsfinge(PLANO, TipoEntidade.PREFEITURA)


def _dezembro_sem_cadastro() -> Pacote:
    r = _base()
    r[esf.CONTA_BANCARIA] = []
    return Pacote(
        esf.leiaute().codigo, {"anoMesRegistros": 202612}, {k: tuple(v) for k, v in r.items()}
    )


def _novembro(**lanc: Any) -> Pacote:
    cb = _conta_bancaria(dataAtivacao=dt.date(2026, 11, 3))
    registros: dict[str, tuple[dict[str, Any], ...]] = {
        esf.CONTA_BANCARIA: (cb,),
        esf.ENCERRAMENTO: (),
        esf.LANCAMENTO: (),
        esf.APLICACAO: (),
    }
    if lanc:
        registros[esf.LANCAMENTO] = tuple(
            {**x, "dataLancamento": dt.date(2026, 11, 5), **lanc} for x in _base()[esf.LANCAMENTO]
        )
    return Pacote(esf.leiaute().codigo, {"anoMesRegistros": 202611}, registros)


def test_sequencia_conta_cadastrada_em_mes_anterior() -> None:
    dezembro = _dezembro_sem_cadastro()
    # sozinho, dezembro cita uma conta não cadastrada
    (so,) = esf.validar_sequencia([_sem_contexto(dezembro)])
    assert [e.regra for e in so.erros] == ["ESF-CONTA-BANCARIA", "ESF-CONTA-BANCARIA"]
    # depois de novembro, que a cadastrou, não
    nov, dez = esf.validar_sequencia([_sem_contexto(_novembro()), _sem_contexto(dezembro)])
    assert (nov.erros, dez.erros) == ([], [])


def test_sequencia_numero_de_controle_reusado_em_outro_mes() -> None:
    nov, dez = esf.validar_sequencia(
        [_sem_contexto(_novembro(numeroControle="PAG-1")), _sem_contexto(_dezembro_sem_cadastro())]
    )
    assert nov.erros == []
    assert [str(e) for e in dez.erros] == [
        f"{L}, linha 1, campo 1. Número de Controle: [ESF-NUMERO-CONTROLE] número de controle "
        "PAG-1 já usado em 05/11/2026 (pacote anterior); não pode repetir em 15/12/2026"
    ]


def test_sequencia_conta_movimentada_depois_do_encerramento() -> None:
    novembro = _novembro()
    novembro = Pacote(
        novembro.leiaute,
        novembro.parametros,
        {**novembro.registros, esf.ENCERRAMENTO: (_encerramento(dt.date(2026, 11, 20)),)},
    )
    dezembro = _dezembro_sem_cadastro()
    dezembro = Pacote(
        dezembro.leiaute,
        dezembro.parametros,
        {**dezembro.registros, esf.SALDOS: (), esf.CONCILIACAO: ()},
    )
    ctx = replace(_sem_contexto(dezembro)[1], razao=RAZAO)
    nov, dez = esf.validar_sequencia([_sem_contexto(novembro), (dezembro, ctx)])
    assert nov.erros == []
    assert [str(e) for e in dez.erros] == [
        f"{L}: [ESF-CONTA-MOVIMENTADA] conta bancária 67890 (banco 1, agência 1234) "
        "movimentada em 15/12/2026, depois do encerramento em 20/11/2026"
    ]


# ----------------------------------------------------------------------- CLI
@pytest.fixture
def db_dez(tmp_path: Path, tela_larga: None) -> str:
    url = f"sqlite:///{tmp_path / 'esfinge.db'}"
    engine = criar_engine(url)
    atualizar_esquema(engine)
    montar(preparar_repo_pcasp(engine))
    engine.dispose()
    return url


def test_cli_valida_sequencia_de_meses_gerados(db_dez: str) -> None:
    r = runner.invoke(app, ["--db", db_dez, "esfinge", "validar", "prefeitura", "2026-01..2026-03"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        f"Pacote e-Sfinge 2026-0{m} de prefeitura: nenhum erro." for m in (1, 2, 3)
    ]


def test_cli_sequencia_de_arquivos_e_avisos(db_dez: str, tmp_path: Path) -> None:
    jan, fev = tmp_path / "jan.json", tmp_path / "fev.json"
    for mes, arq in (("2026-01", jan), ("2026-02", fev)):
        r = runner.invoke(
            app, ["--db", db_dez, "esfinge", "gerar", "prefeitura", mes, "-o", str(arq)]
        )
        assert r.exit_code == 0, r.output
    # fevereiro: o pacote de janeiro com a data dos lançamentos em 02/02 (número de
    # controle reusado em outra data); janeiro com um tipo de conta desconhecido (aviso)
    texto_jan = jan.read_text("utf-8")
    numero = json.loads(texto_jan)[esf.LANCAMENTO][0]["numeroControle"]
    assert '"dataLancamento": "2026-01-01"' in texto_jan
    fev.write_text(
        texto_jan.replace('"anoMesRegistros": 202601', '"anoMesRegistros": 202602').replace(
            '"dataLancamento": "2026-01-01"', '"dataLancamento": "2026-02-02"'
        ),
        "utf-8",
    )
    jan.write_text(texto_jan.replace('"tipoContaBancaria": 1', '"tipoContaBancaria": 8'), "utf-8")
    r = runner.invoke(
        app,
        ["--db", db_dez, "esfinge", "validar", "prefeitura", "2026-01..2026-02",
         "--arquivo", str(jan), "--arquivo", str(fev)],
    )  # fmt: skip
    assert r.exit_code == 1
    nota = (
        "e-Sfinge — Registros Contábeis (TCE-SC): [ESF-SEM-RAZAO] arquivo sem o razão: não "
        "conferidos a equação da conciliação bancária, as aplicações contra o razão do mês nem "
        "o cadastro das contas bancárias movimentadas"
    )
    assert r.output.splitlines() == [
        "Aviso (2026-01): Conta Bancária, linha 1, campo 6. Tipo de Conta Bancária: "
        "[LEI-CODIGO-A-CONFIRMAR] código 8 não está na Tabela 118 - Tipo de Contas Bancárias do "
        "erario (códigos a confirmar com o órgão): confira se o código existe",
        f"Aviso (2026-01): {nota}",
        "Pacote e-Sfinge 2026-01 de prefeitura: nenhum erro.",
        f"Aviso (2026-02): {nota}",
        "Pacote e-Sfinge 2026-02 de prefeitura inválido (1 problema(s)); nada foi alterado:",
        f"  • {L}, linha 1, campo 1. Número de Controle: [ESF-NUMERO-CONTROLE] número de "
        f"controle {numero} já usado em 01/01/2026 (pacote anterior); não pode repetir em "
        "02/02/2026",
    ]
