"""``erario verificar`` entre exercícios e dentro de cada um (SQLite e PostgreSQL):
``VER-ABERTURA``, ``VER-PATRIMONIO``, ``VER-SUBSISTEMA`` e ``VER-DDR``.

Dois exercícios com eventos: 2026 com orçamento, arrecadação, um empenho
liquidado e pago em parte, encerrado; 2027 com o pagamento dos restos a pagar
processados. Os valores estão conferidos à mão nos comentários. Cada defeito é
plantado por um lançamento que o validador aceita; quando ele recusa (segunda
abertura do exercício, lançamento que não fecha na natureza da informação), o
defeito entra direto no banco, como o deixaria uma versão antiga do programa ou
um plano importado com erro — documentado em cada teste.

As conferências puras (``execucao.conferencia_exercicios``) também são testadas
com planos estendidos (códigos do PCASP com níveis a mais) e dados estranhos.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, delete, event, insert, select, text

from erario.core.codigos import Mascara
from erario.core.erros import OperacaoRecusada
from erario.execucao.conferencia_exercicios import (
    conferir_abertura,
    conferir_ddr,
    conferir_exercicios,
    conferir_patrimonio,
    conferir_subsistemas,
)
from erario.razao.modelo import (
    Conta,
    Lancamento,
    NaturezaInformacao,
    NaturezaSaldo,
    Partida,
    PlanoContas,
    TipoLancamento,
)
from erario.razao.saldos import PartidaRazao, saldos_do_razao
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio
from tests.apoio_eventos import jsonl, partidas_gravadas, registrar

DOT = "0201.12.361.0001.2001.33903900"
DB = "001-1234-5-67890-1"
CREDOR = "11222333000181"
BANCO = {"conta_banco": "1.1.1.1.1.19.00", "domicilio": DB}
VPD = {"conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": "2.1.3.1.1.01.01"}
CC_BANCO_2027 = f"FR=2500|DB={DB}"  # na abertura de 2027, a fonte 1500 passa a 2500
CC_RP_2027 = f"FR=2500|AI=2026|DO={DOT}"
CONTA_BANCO = "1.1.1.1.1.19.00"
APARELHOS = "1.2.3.1.1.01.01"
GARANTIAS = "7.1.1.1.0.00.00"

# 2026: receita arrecadada 50.000 (caixa e 7.2.1.1 na fonte 1500); empenho de
# 30.000, liquidados 10.000 (VPD), pagos 4.000. Caixa 46.000; DDR utilizada 4.000.
EXERCICIO_2026 = jsonl(
    {"tipo": "dotacao_inicial", "id": "D1", "data": "2026-01-02", "dotacao": DOT,
     "fonte": "1500", "valor": "100000.00"},
    {"tipo": "previsao_receita", "id": "R1", "data": "2026-01-02",
     "natureza_receita": "11125001", "fonte": "1500", "valor": "200000.00"},
    {"tipo": "arrecadacao", "id": "A1", "data": "2026-03-05", "natureza_receita": "11125001",
     "fonte": "1500", "valor": "50000.00", "conta_vpa": "4.1.1.2.1.02.00", **BANCO},
    {"tipo": "empenho", "id": "E1", "data": "2026-03-10", "dotacao": DOT, "fonte": "1500",
     "credor": CREDOR, "valor": "30000.00"},
    {"tipo": "liquidacao", "id": "L1", "data": "2026-03-20", "empenho": "E1",
     "valor": "10000.00", "documento": "NF 1", **VPD},
    {"tipo": "pagamento", "id": "P1", "data": "2026-03-25", "liquidacao": "L1",
     "valor": "4000.00", **BANCO},
)  # fmt: skip
# Encerramento: RP não processados 20.000 e processados 6.000; a abertura de 2027
# leva caixa 46.000, fornecedores 6.000, resultado 40.000 (50.000 − 10.000), RP
# 26.000 em 5.3 e em 6.3, e 7.2.1.1 46.000 = 8.2.1.1 (20.000 disponível + 20.000
# comprometida por empenho + 6.000 por liquidação), tudo na fonte 2500.
ENCERRA_2026 = jsonl({"tipo": "encerramento_exercicio", "id": "ENC2026", "data": "2026-12-31"})
# 2027: paga o RP processado (6.000): caixa 40.000.
RESTOS_2027 = jsonl(
    {"tipo": "pagamento", "id": "P2", "data": "2027-02-15", "liquidacao": "L1",
     "valor": "6000.00", **BANCO},
)  # fmt: skip
ENCERRA_2027 = jsonl({"tipo": "encerramento_exercicio", "id": "ENC2027", "data": "2027-12-31"})


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    """2026 executado e encerrado, 2027 aberto com os restos a pagar processados pagos."""
    repo_pcasp.abrir_exercicio("prefeitura", 2027, usuario="teste")
    registrar(repo_pcasp, EXERCICIO_2026)
    registrar(repo_pcasp, ENCERRA_2026)
    registrar(repo_pcasp, RESTOS_2027)
    return repo_pcasp


def lanc(data: dt.date, historico: str, *partidas: Partida) -> Lancamento:
    return Lancamento("prefeitura", data, historico, partidas)


def mensagens(repo: Repositorio) -> list[str]:
    return [str(e) for e in repo.verificar()]


def test_razao_integro_nos_dois_exercicios(repo: Repositorio) -> None:
    assert repo.verificar() == []
    # E depois de encerrar também 2027 (abertura de 2028 conferida com o fim de 2027).
    repo.abrir_exercicio("prefeitura", 2028, usuario="teste")
    registrar(repo, ENCERRA_2027)
    assert repo.verificar() == []


def test_entidade_sem_eventos_nao_tem_a_ddr_conferida(repo: Repositorio) -> None:
    # Razão só importado: caixa sem controle da disponibilidade (7.2.1.1) é aceito.
    repo.abrir_exercicio("camara", 2026, usuario="teste")
    cc = f"FR=1500|DB={DB}"
    repo.lancar(
        Lancamento(
            "camara",
            dt.date(2026, 1, 1),
            "Saldos de abertura",
            (Partida(CONTA_BANCO, "D", 50_000, cc), Partida("2.3.7.1.1.02.00", "C", 50_000)),
            tipo=TipoLancamento.ABERTURA,
        )
    )
    repo.lancar(
        Lancamento(
            "camara",
            dt.date(2026, 2, 1),
            "Tarifa bancária",
            (Partida("3.3.2.3.1.99.00", "D", 1_000), Partida(CONTA_BANCO, "C", 1_000, cc)),
        )
    )
    assert repo.verificar() == []


def test_razao_importado_e_encerrado_nao_tem_a_ddr_conferida(repo_pcasp: Repositorio) -> None:
    # Só o encerramento é evento: o razão (aqui um lançamento manual) pode não manter
    # a DDR, e nada se acusa; a abertura de 2027 é conferida com o fim de 2026.
    repo_pcasp.abrir_exercicio("prefeitura", 2027, usuario="teste")
    repo_pcasp.lancar(
        lanc(
            dt.date(2026, 3, 1),
            "IPTU recebido",
            Partida(CONTA_BANCO, "D", 50_000, f"FR=1500|DB={DB}"),
            Partida("4.1.1.2.1.02.00", "C", 50_000),
        )
    )
    registrar(repo_pcasp, ENCERRA_2026)
    assert partidas_gravadas(repo_pcasp, "EVENC2026.5") == [
        (CONTA_BANCO, "D", 50_000, CC_BANCO_2027),
        ("2.3.7.1.1.02.00", "C", 50_000, ""),
    ]
    assert repo_pcasp.verificar() == []


def test_abertura_diferente_do_encerramento(repo: Repositorio, engine: Engine) -> None:
    # Uma segunda abertura de 2027 pelo repositório é recusada
    # (LANC-ABERTURA-DUPLICADA): o defeito entra direto no banco, como a deixaria
    # uma versão antiga do programa — 100,00 do banco passados a um imobilizado no
    # período 0 —, e a tabela de saldos é refeita do razão (só VER-ABERTURA acusa).
    plantada = (
        (APARELHOS, "D", 10_000, ""),
        (CONTA_BANCO, "C", 10_000, CC_BANCO_2027),
    )
    with pytest.raises(OperacaoRecusada, match="LANC-ABERTURA-DUPLICADA"):
        repo.lancar(
            Lancamento(
                "prefeitura",
                dt.date(2027, 1, 1),
                "Reclassificação na abertura",
                tuple(Partida(*p) for p in plantada),
                tipo=TipoLancamento.ABERTURA,
            )
        )
    inserir_cru(engine, "ABERTURA-VELHA", dt.date(2027, 1, 1), 0, "abertura", plantada)
    assert mensagens(repo) == [
        f"[VER-ABERTURA] abertura de prefeitura 2027 conta {CONTA_BANCO} [{CC_BANCO_2027}]: "
        "razão D 45.900,00, saldo final de 2026 transportado D 46.000,00",
        f"[VER-ABERTURA] abertura de prefeitura 2027 conta {APARELHOS} []: "
        "razão D 100,00, saldo final de 2026 transportado 0,00",
    ]


def test_patrimonio_que_nao_fecha(repo: Repositorio) -> None:
    # O validador fecha cada lançamento por natureza da informação (LANC-NATUREZA),
    # e as classes 1 a 4 são patrimoniais: só um plano com a natureza errada deixa
    # passar. Planta-se esse plano direto no banco (um imobilizado marcado como de
    # controle) e um lançamento que o usa contra uma conta de controle (7.1.1.1).
    with repo.engine.begin() as con:
        con.execute(
            t.conta.update()
            .where(t.conta.c.codigo == APARELHOS)
            .values(natureza_informacao=NaturezaInformacao.CONTROLE.value)
        )
    com_plano_errado = Repositorio(repo.engine)  # sem o plano guardado em memória
    com_plano_errado.lancar(
        lanc(
            dt.date(2027, 3, 1),
            "Bem recebido em garantia",
            Partida(APARELHOS, "D", 10_000),
            Partida(GARANTIAS, "C", 10_000, f"CR={CREDOR}"),
        )
    )
    # 2027: ativo = banco 40.000 (46.000 − 6.000 pagos) + 100 do imobilizado;
    # passivo 0 (fornecedores 6.000 pagos) + resultado de exercícios anteriores 40.000.
    assert mensagens(com_plano_errado) == [
        "[VER-PATRIMONIO] patrimônio de prefeitura 2027 no fim do exercício: ativo (classe 1) "
        "40.100,00 ≠ passivo e patrimônio líquido (classe 2) + VPA − VPD (classes 4 e 3) "
        "40.000,00",
    ]


def test_subsistemas_orcamentarios_que_nao_fecham(repo: Repositorio) -> None:
    # Fecha na natureza orçamentária (classes 5 e 6), mas tira 100,00 do subsistema
    # dos restos a pagar (5.3) e põe no do planejamento (5.1).
    repo.lancar(
        lanc(
            dt.date(2027, 3, 1),
            "Ajuste manual",
            Partida("5.1.2.0.0.00.00", "D", 10_000),
            Partida("5.3.1.1.0.00.00", "C", 10_000, CC_RP_2027),
        )
    )
    # 5.3 = 20.000 + 6.000 inscritos − 100; 6.3 = os 26.000 inscritos (o pagamento
    # passa de 6.3.2.1 a 6.3.2.2, dentro de 6.3).
    assert mensagens(repo) == [
        "[VER-SUBSISTEMA] subsistema 1 de prefeitura 2027 no fim do exercício: 5.1 "
        "planejamento aprovado 100,00 ≠ 6.1 execução do planejamento 0,00",
        "[VER-SUBSISTEMA] subsistema 3 de prefeitura 2027 no fim do exercício: 5.3 "
        "inscrição de restos a pagar 25.900,00 ≠ 6.3 execução de restos a pagar 26.000,00",
    ]


def test_controle_da_disponibilidade_diferente_da_ddr(repo: Repositorio) -> None:
    # Fecha na natureza de controle (classes 7 e 8): 100,00 a mais em 7.2.1.1 na
    # fonte 2500 contra uma conta de atos potenciais (7.1.1.1), sem DDR.
    repo.lancar(
        lanc(
            dt.date(2027, 3, 1),
            "Ajuste manual",
            Partida("7.2.1.1.1.00.00", "D", 10_000, "FR=2500"),
            Partida(GARANTIAS, "C", 10_000, f"CR={CREDOR}"),
        )
    )
    # 7.2.1.1 = 46.000 da abertura (o pagamento do RP só passa a DDR de
    # comprometida a utilizada, dentro de 8.2.1.1) + 100.
    assert mensagens(repo) == [
        "[VER-DDR] DDR de prefeitura 2027 no fim do exercício [FR=2500]: 7.2.1.1 controle da "
        "disponibilidade 46.100,00 ≠ 8.2.1.1 execução da disponibilidade 46.000,00",
    ]


def test_caixa_diferente_do_controle_da_disponibilidade_depois_do_encerramento(
    repo: Repositorio,
) -> None:
    # Caução de 100,00 recebida no banco por lançamento manual (sem o ingresso
    # extraorçamentário, que registraria a DDR): aceita, e enquanto 2027 está aberto
    # nada se acusa (a conferência do caixa é depois do encerramento).
    repo.lancar(
        lanc(
            dt.date(2027, 3, 1),
            "Caução recebida",
            Partida(CONTA_BANCO, "D", 10_000, CC_BANCO_2027),
            Partida("2.1.8.8.1.04.01", "C", 10_000, f"FR=2500|CR={CREDOR}"),
        )
    )
    assert repo.verificar() == []
    repo.abrir_exercicio("prefeitura", 2028, usuario="teste")
    registrar(repo, ENCERRA_2027)
    # Caixa 40.000 + 100; 7.2.1.1 = 46.000 − 6.000 de DDR utilizada (encerrada).
    assert mensagens(repo) == [
        "[VER-DDR] DDR de prefeitura 2027 depois do encerramento [FR=2500]: 1.1.1 caixa e "
        "equivalentes 40.100,00 ≠ 7.2.1.1 controle da disponibilidade 40.000,00",
    ]


def test_verificar_le_o_razao_em_poucas_consultas(repo: Repositorio) -> None:
    # As conferências de exercícios e a da execução saem da agregação que recalcula
    # os saldos: o razão é lido por consultas em número fixo — agregado, lançamentos
    # desbalanceados (num banco pequeno, uma faixa só), os ids extremos que dividem
    # as faixas e, no SQLite, a contagem das partidas (a chave estrangeira para o
    # lançamento, sem o PRAGMA da tabela partida); as contas sintéticas saem das
    # contas do agregado —, seja qual for o número de entidades e exercícios
    # (antes, mais três por entidade com eventos e uma por exercício).
    consultas: list[str] = []

    def contar(*args: object) -> None:
        consultas.append(str(args[2]))

    event.listen(repo.engine, "before_cursor_execute", contar)
    try:
        assert repo.verificar() == []
    finally:
        event.remove(repo.engine, "before_cursor_execute", contar)
    no_razao = [c for c in consultas if "FROM partida" in c or "FROM lancamento" in c]
    assert len(no_razao) == (4 if repo.engine.dialect.name == "sqlite" else 3), no_razao


def inserir_cru(
    engine: Engine,
    numero: str,
    data: dt.date,
    periodo: int,
    tipo: str,
    partidas: tuple[tuple[str, str, int, str], ...],
) -> None:
    """Grava um lançamento da prefeitura direto no banco, sem o validador, e refaz
    a tabela de saldos do razão (como ``verificar`` a recalcula)."""
    with engine.begin() as con:
        eid = con.execute(
            select(t.entidade.c.id).where(t.entidade.c.slug == "prefeitura")
        ).scalar_one()
        lid = con.execute(text("SELECT coalesce(max(id), 0) + 1 FROM lancamento")).scalar_one()
        ids = dict(con.execute(select(t.conta.c.codigo, t.conta.c.id)).all())
        valor = sum(v for _, dc, v, _ in partidas if dc == "D")
        con.execute(
            insert(t.lancamento).values(
                id=lid,
                entidade_id=eid,
                numero=numero,
                data=data,
                ano=data.year,
                periodo=periodo,
                tipo=tipo,
                livro="C",
                historico="gravado direto no banco",
                origem=None,
                estorno=False,
                estornado_id=None,
                valor=valor,
            )
        )
        # Uma só instrução (no PostgreSQL, o gatilho confere as partidas dobradas).
        con.execute(
            insert(t.partida).values(
                [
                    {
                        "lancamento_id": lid,
                        "seq": seq,
                        "conta_id": ids[conta],
                        "dc": dc,
                        "valor": v,
                        "conta_corrente": cc,
                    }
                    for seq, (conta, dc, v, cc) in enumerate(partidas, start=1)
                ]
            )
        )
        q = select(
            t.lancamento.c.entidade_id,
            t.lancamento.c.ano,
            t.lancamento.c.livro,
            t.lancamento.c.periodo,
            t.partida.c.conta_id,
            t.partida.c.conta_corrente,
            t.partida.c.dc,
            t.partida.c.valor,
        ).join(t.lancamento, t.lancamento.c.id == t.partida.c.lancamento_id)
        linhas = saldos_do_razao(PartidaRazao(*r) for r in con.execute(q))
        con.execute(delete(t.saldo))
        con.execute(insert(t.saldo), [ln._asdict() for ln in linhas])


# ----------------------------------------------------------- conferências puras

# Plano estendido (níveis além dos 7 do PCASP): só as contas de destino da abertura
# precisam existir (a transposição mantém os níveis extras da conta de origem).
EXTRA = ".01.001"
PLANO_ESTENDIDO = PlanoContas(
    "ESTENDIDO",
    Mascara((1, 1, 1, 1, 1, 2, 2, 2, 3)),
    {
        codigo: Conta(
            codigo,
            codigo,
            9,
            None,
            True,
            NaturezaSaldo.CREDORA,
            NaturezaInformacao.PATRIMONIAL if codigo[0] == "2" else NaturezaInformacao.CONTROLE,
            None,
        )
        for codigo in ("2.3.7.1.1.02.00" + EXTRA, "8.2.1.1.1.02.00" + EXTRA)
    },
)
FINAIS_2026 = {
    ("1.1.1.1.1.19.00" + EXTRA, "FR=1500|DB=1"): 70_000,
    ("1.2.3.1.1.01.01" + EXTRA, ""): 30_000,
    ("2.3.7.1.1.01.00" + EXTRA, ""): -100_000,
    ("3.3.2.3.1.99.00" + EXTRA, ""): 0,  # zerada no encerramento
    ("7.2.1.1.1.00.00" + EXTRA, "FR=1500"): 70_000,
    ("8.2.1.1.1.01.00" + EXTRA, "FR=1500"): -70_000,
    ("X", ""): 0,  # código fora do padrão: não entra em soma nenhuma
}


def test_abertura_em_plano_estendido() -> None:
    abertura = {
        ("1.1.1.1.1.19.00" + EXTRA, "FR=2500|DB=1"): 70_000,
        ("1.2.3.1.1.01.01" + EXTRA, ""): 30_000,
        ("2.3.7.1.1.02.00" + EXTRA, ""): -100_000,
        ("7.2.1.1.1.00.00" + EXTRA, "FR=2500"): 70_000,
        ("8.2.1.1.1.02.00" + EXTRA, "FR=2500"): -70_000,
    }
    assert conferir_abertura("fundo", 2026, FINAIS_2026, abertura, PLANO_ESTENDIDO) == []
    # Exercício seguinte sem abertura: cada conta transportada falta.
    assert [e.mensagem for e in conferir_abertura("fundo", 2026, FINAIS_2026, {}, PLANO_ESTENDIDO)][
        :2
    ] == [
        f"abertura de fundo 2027 conta 1.1.1.1.1.19.00{EXTRA} [FR=2500|DB=1]: razão 0,00, "
        "saldo final de 2026 transportado D 700,00",
        f"abertura de fundo 2027 conta 1.2.3.1.1.01.01{EXTRA} []: razão 0,00, "
        "saldo final de 2026 transportado D 300,00",
    ]
    # Plano sem a conta de destino da transposição: acusado, sem quebrar.
    sem_destino = PLANO_ESTENDIDO._replace(contas={})
    erros = conferir_abertura("fundo", 2026, FINAIS_2026, abertura, sem_destino)
    assert {e.regra for e in erros} == {"VER-ABERTURA"}
    # A falta de cada conta de destino vem do encerramento (o texto é dele), situada
    # na abertura da entidade; depois, as contas que a abertura gravada tem a mais.
    faltas = [e.mensagem for e in erros if " conta " not in e.mensagem.split(":")[0]]
    assert len(faltas) == 2
    assert all(m.startswith("abertura de fundo 2027: ") for m in faltas)
    assert "2.3.7.1.1.02.00" in faltas[0] and "8.2.1.1.1.02.00" in faltas[1]


def test_equacoes_em_plano_estendido_e_com_dados_estranhos() -> None:
    assert conferir_patrimonio("fundo", 2026, FINAIS_2026, encerrado=True) == []
    assert conferir_subsistemas("fundo", 2026, FINAIS_2026) == []
    assert conferir_ddr("fundo", 2026, FINAIS_2026, encerrado=True) == []
    estranhos = {
        **FINAIS_2026,
        ("", ""): 5,
        ("9.9.9", ""): 7,
        ("5", ""): 11,  # só a classe: sem subsistema
        ("lixo.1", "FR=1500"): 13,
        ("4.1.1.2.1.02.00" + EXTRA, ""): -1_000,  # VPA ainda não apurada
        ("1.1.1.1.1.01.00" + EXTRA, "FR=1500"): 1_000,  # caixa
        ("8.2.1.1.4.01.00" + EXTRA, ""): 500,  # DDR sem fonte
    }
    assert [e.mensagem for e in conferir_patrimonio("fundo", 2026, estranhos, False)] == []
    assert [e.mensagem for e in conferir_ddr("fundo", 2026, estranhos, encerrado=True)] == [
        "DDR de fundo 2026 no fim do exercício [sem fonte]: 7.2.1.1 controle da "
        "disponibilidade 0,00 ≠ 8.2.1.1 execução da disponibilidade -5,00",
        "DDR de fundo 2026 depois do encerramento [FR=1500]: 1.1.1 caixa e equivalentes "
        "710,00 ≠ 7.2.1.1 controle da disponibilidade 700,00",
    ]
    assert [e.mensagem for e in conferir_patrimonio("fundo", 2026, estranhos, True)] == []
    # Encerrado, a VPA que sobrou (sem apurar) aparece no rótulo.
    sem_passivo = {k: v for k, v in estranhos.items() if not k[0].startswith("2.")}
    assert [e.mensagem for e in conferir_patrimonio("fundo", 2026, sem_passivo, True)] == [
        "patrimônio de fundo 2026 no fim do exercício: ativo (classe 1) 1.010,00 ≠ passivo e "
        "patrimônio líquido (classe 2) + VPA − VPD (classes 4 e 3) 10,00",
    ]


def test_conferencia_de_entidade_sem_exercicios_e_sem_eventos() -> None:
    assert conferir_exercicios("fundo", {}, {}, (), None, ddr=True) == []
    # Sem eventos (ddr=False), a DDR não se confere; sem encerramento, nem a abertura.
    quebrada = {("7.2.1.1.1.00.00", "FR=1500"): 100, ("7.1.1.1.0.00.00", "CR=1"): -100}
    assert conferir_exercicios("fundo", {2026: quebrada}, {}, (), None, ddr=False) == []
    assert [
        e.regra for e in conferir_exercicios("fundo", {2026: quebrada}, {}, (), None, ddr=True)
    ] == ["VER-DDR"]
    # Exercício encerrado sem lançamentos nem abertura seguinte: nada a transportar.
    assert conferir_exercicios("fundo", {}, {}, {2025}, PLANO_ESTENDIDO, ddr=True) == []
    with pytest.raises(ValueError):
        conferir_exercicios("fundo", {}, {}, {2025}, None, ddr=True)
