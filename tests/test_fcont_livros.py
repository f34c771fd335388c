"""SPED FCONT (21a): livros comerciais, lançamentos fiscais, visões, EF,
escrituração e a geração do arquivo. Valores conferidos à mão."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from erario.core.erros import OperacaoRecusada
from erario.demo_fcont import PLANO_CSV, SLUG, montar_saneamento
from erario.fcont.arquivo import decimal_dc
from erario.fcont.encerramento_fiscal import propor_ef
from erario.fcont.escrita import escrever
from erario.fcont.escrituracao import Escrituracao, Signatario, periodos, validar
from erario.fcont.lancamentos_fiscais import TipoFiscal, expurgo, lancamento_fiscal
from erario.fcont.leitura import ler
from erario.fcont.livros import (
    Natureza,
    escrever_plano_empresa_csv,
    ler_mapeamentos_csv,
    ler_plano_empresa_csv,
)
from erario.fcont.visoes import Visao, saldos_na_visao
from erario.razao.modelo import Lancamento, Partida
from erario.storage import fcont as st
from erario.storage.repositorio import Repositorio

GOLDEN = Path(__file__).parent / "golden" / "fcont" / "saneamento_2026.txt"
DESPESA, DEPR_ACUM, LUCROS = "3.2.1.02", "1.2.1.02", "2.3.1.02"


def _pe():  # type: ignore[no-untyped-def]
    pe, erros = ler_plano_empresa_csv(PLANO_CSV, "SANEAMENTO")
    assert pe is not None, erros
    return pe


# ------------------------------------------------------------------ plano
def test_plano_da_empresa_ida_e_volta() -> None:
    pe = _pe()
    assert pe.plano.contas["1.1.1.01"].nivel == 4
    assert pe.plano.contas["1.1.1.01"].pai == "1.1.1.00"
    assert not pe.plano.contas["1.1.1.00"].analitica
    assert pe.naturezas["2.3.1.02"] == Natureza.PATRIMONIO_LIQUIDO
    de_novo, erros = ler_plano_empresa_csv(escrever_plano_empresa_csv(pe), "SANEAMENTO")
    assert erros == [] and de_novo == pe


def test_plano_ruim_lista_todos_os_problemas() -> None:
    texto = "CONTA;TITULO;NATUREZA\n1.0.0.00;ATIVO;01\n1.1.0.00;CAIXA;07\n5.0.0.00;RESULTADO;04\n"
    pe, erros = ler_plano_empresa_csv(texto, "X", "plano.csv")
    assert pe is None
    assert [(e.regra, e.linha) for e in erros] == [("FCONT-NATUREZA", 3), ("FCONT-NATUREZA", 4)]
    assert "natureza '07' inválida" in erros[0].mensagem


def test_mapeamento_ruim() -> None:
    texto = (
        "CONTA;CENTRO_CUSTO;CONTA_REFERENCIAL;INICIO\n"
        "1.1.1.00;;1.01;2026-01-01\n"  # sintética
        "1.1.1.01;ETA;1.01;2026-01-01\n"  # centro não cadastrado
        "1.1.2.01;;abc;2026-13-01\n"  # referencial e data inválidos
    )
    maps, erros = ler_mapeamentos_csv(texto, _pe(), ["ADM"], "ref.csv")
    assert maps == []
    assert [(e.linha, e.campo) for e in erros] == [
        (2, "CONTA"),
        (3, "CENTRO_CUSTO"),
        (4, "CONTA_REFERENCIAL"),
        (4, "INICIO"),
    ]


# ------------------------------------------------------- lançamentos fiscais
def test_expurgo_repete_partidas_e_dc() -> None:
    original = Lancamento(
        SLUG,
        dt.date(2026, 12, 31),
        "Depreciação",
        (Partida(DESPESA, "D", 120_000), Partida(DEPR_ACUM, "C", 120_000)),
        numero="SAN-DEPR",
    )
    x, erros = expurgo(original)
    assert erros == [] and x is not None
    assert (x.livro, x.partidas, x.historico, x.origem) == (
        "X",
        original.partidas,
        "Depreciação",
        "fcont-x:SAN-DEPR",
    )
    _, erros = expurgo(x)
    assert [e.regra for e in erros] == ["FCONT-EXPURGO"]


def test_tipo_fiscal_em_conta_nao_permitida() -> None:
    pe = _pe()
    _, erros = lancamento_fiscal(
        TipoFiscal.TS,
        SLUG,
        dt.date(2026, 1, 1),
        "Transferência",
        [Partida(DESPESA, "D", 100), Partida("1.1.1.01", "C", 100)],
        pe.naturezas,
    )
    assert [(e.regra, e.campo) for e in erros] == [("FCONT-TIPO-NATUREZA", "partida 1")]
    _, erros = lancamento_fiscal(
        TipoFiscal.EF,
        SLUG,
        dt.date(2026, 12, 31),
        "EF",
        [Partida("1.1.1.01", "D", 1)],
        pe.naturezas,
    )
    assert [e.regra for e in erros] == ["FCONT-TIPO-NATUREZA"]


# --------------------------------------------------------------- visões e EF
def test_visoes_a_mao() -> None:
    # Exemplo do manual (parte IV): depreciação comercial 1.200,00 expurgada (X),
    # fiscal 2.500,00 (F), EF de 1.300,00 a crédito da despesa contra lucros.
    por_livro = {
        "C": {DESPESA: 0, DEPR_ACUM: -120_000, LUCROS: -23_880_000},
        "X": {DESPESA: 120_000, DEPR_ACUM: -120_000},
        "F": {DESPESA: 250_000, DEPR_ACUM: -250_000},
        "E": {DESPESA: -130_000, LUCROS: 130_000},
    }
    assert saldos_na_visao(por_livro, Visao.SOCIETARIA) == {
        DEPR_ACUM: -120_000,
        LUCROS: -23_880_000,
    }
    # fiscal = C − X + F + EF: depreciação acumulada −1.200 + 1.200 − 2.500 = 2.500,00 C;
    # lucros −238.800 + 1.300 = 237.500,00 C; despesa 0 − 1.200 + 2.500 − 1.300 = 0.
    assert saldos_na_visao(por_livro, Visao.FISCAL) == {DEPR_ACUM: -250_000, LUCROS: -23_750_000}


def test_proposta_ef_a_mao() -> None:
    pe = _pe()
    por_livro = {
        "X": {DESPESA: 120_000, DEPR_ACUM: -120_000},
        "F": {DESPESA: 250_000, DEPR_ACUM: -250_000},
    }
    ef, ajustes, erros = propor_ef(SLUG, dt.date(2026, 12, 31), por_livro, pe.naturezas, LUCROS)
    assert erros == [] and ef is not None
    # Σ EF = −Σ (F − X) = −(2.500 − 1.200) = −1.300: crédito na despesa (Observação I).
    assert [(a.conta, a.ajuste, a.ef_proposto) for a in ajustes] == [(DESPESA, 130_000, -130_000)]
    assert ef.livro == "E"
    assert ef.partidas == (Partida(DESPESA, "C", 130_000), Partida(LUCROS, "D", 130_000))
    # Sem F nem X não há EF; contrapartida fora de 03/04 é recusada.
    assert propor_ef(SLUG, dt.date(2026, 12, 31), {}, pe.naturezas, LUCROS)[0] is None
    _, _, erros = propor_ef(SLUG, dt.date(2026, 12, 31), por_livro, pe.naturezas, "1.1.1.01")
    assert [e.regra for e in erros] == ["FCONT-EF-CONTRAPARTIDA"]


# --------------------------------------------------------------- escrituração
CONTADOR = Signatario("CARLOS", "98765432100", "900", "RS-1")
DIRETOR = Signatario("ANA", "12345678909", "205")


def test_escrituracao_ruim_lista_tudo() -> None:
    e = Escrituracao(
        SLUG,
        dt.date(2026, 2, 1),
        dt.date(2026, 11, 30),
        (Signatario("X", "12345678900", "900"),),
        uf="XX",
        retificadora=True,
    )
    regras = sorted(e.regra for e in validar(e))
    assert regras == [
        "FCONT-PERIODO",  # fim sem situação especial
        "FCONT-PERIODO",  # início com indicador 0
        "FCONT-RETIFICADORA",
        "FCONT-SIGNATARIO",  # CPF inválido
        "FCONT-SIGNATARIO",  # contador sem CRC
        "FCONT-SIGNATARIO",  # falta a assinatura da PJ
        "FCONT-UF",
    ]
    ok = Escrituracao(SLUG, dt.date(2026, 1, 1), dt.date(2026, 12, 31), (DIRETOR, CONTADOR))
    assert validar(ok) == []


def test_periodos_trimestrais() -> None:
    e = Escrituracao(
        SLUG,
        dt.date(2026, 1, 1),
        dt.date(2026, 8, 15),
        (DIRETOR,),
        situacao_especial="1",
        forma_apuracao="T",
    )
    assert [(p.inicio, p.fim, p.indicador) for p in periodos(e)] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), "T01"),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "T02"),
        (dt.date(2026, 7, 1), dt.date(2026, 8, 15), "T03"),
    ]


# ------------------------------------------------------- empresa no razão
def test_empresa_no_razao_visoes_e_arquivo(repo: Repositorio) -> None:
    montar_saneamento(repo, 2026)
    soc = st.balancete_na_visao(repo, [SLUG], 2026, 0, 13, Visao.SOCIETARIA)
    fis = st.balancete_na_visao(repo, [SLUG], 2026, 0, 13, Visao.FISCAL)
    atual = {v: {ln.codigo: ln.atual for ln in b.linhas} for v, b in ((0, soc), (1, fis))}
    assert (atual[0][DEPR_ACUM], atual[1][DEPR_ACUM]) == (-120_000, -250_000)
    assert (atual[0][LUCROS], atual[1][LUCROS]) == (-23_880_000, -23_750_000)
    assert atual[1][DESPESA] == 0  # encerrada fiscalmente pelo EF
    # Ativo fiscal 296.000 + 24.000 + 22.000 − 2.500 = 339.500 = PL 102.000 + 237.500.
    assert (atual[1]["1.0.0.00"], atual[1]["2.0.0.00"]) == (33_950_000, -33_950_000)
    # O razão comercial não muda: o balancete comum é o societário.
    comum = {ln.codigo: ln.atual for ln in repo.balancete([SLUG], 2026, 0, 13).linhas}
    assert comum[DEPR_ACUM] == -120_000

    e, arquivo = st.montar(repo, SLUG, 2026)
    conteudo = escrever(arquivo)
    assert conteudo == GOLDEN.read_bytes()
    lido, erros_leitura = ler(conteudo)
    assert erros_leitura == [] and lido == arquivo  # ida e volta
    # O arquivo da demonstração valida sem erros nos dois modos: o de saída (M155 e
    # M355 obrigatórios, sem advertências) e o de entrada do PVA (só as advertências
    # do bloco 9, que o PVA gera).
    from erario.fcont.regras_controle import validar as validar_arquivo

    saida = validar_arquivo(conteudo)
    assert saida.completa and saida.erros == [] and saida.avisos == []
    v = validar_arquivo(conteudo, entrada=True)
    assert v.completa and v.erros == []
    assert sorted({a.regra for a in v.avisos}) == ["REGRA_REGISTRO_NAO_SE_APLICA"]
    assert arquivo.bloco_m is not None
    (m030,) = arquivo.bloco_m.periodos
    m155 = {m.cod_cta: m for m in m030.saldos_patrimoniais}
    # Depreciação acumulada: societário 1.200,00 C; fiscal 0 − 1.200 (crédito contábil)
    # + 1.200 (expurgo credor) − 2.500 (inclusão credora) = 2.500,00 C.
    d = m155[DEPR_ACUM]
    assert (d.vl_cred_contabil, d.vl_cred_fcont_e, d.vl_cred_fcont_i) == (
        Decimal("1200.00"),
        Decimal("1200.00"),
        Decimal("2500.00"),
    )
    assert (d.vl_sld_fin_fc, d.ind_dc_fin_fc, d.vl_sld_fin_soc, d.ind_dc_fin_soc) == (
        Decimal("2500.00"),
        "C",
        Decimal("1200.00"),
        "C",
    )
    # Lucros acumulados: 238.800,00 C societário; fiscal −238.800 + 1.300 (EF devedor)
    # = 237.500,00 C, os mesmos da visão fiscal do balancete acima.
    lu = m155[LUCROS]
    assert (lu.vl_ef_deb, lu.vl_sld_fin_fc, lu.ind_dc_fin_fc) == (
        Decimal("1300.00"),
        Decimal("237500.00"),
        "C",
    )
    # Caixa: M025 80.000,00 D + 576.000,00 − 360.000,00 = 296.000,00 D nas duas visões.
    cx = m155["1.1.1.01"]
    assert (cx.vl_sld_ini_soc_ant, cx.vl_sld_ini_fc_ant, cx.vl_sld_fin_fc, cx.vl_sld_fin_soc) == (
        Decimal("80000.00"),
        Decimal("80000.00"),
        Decimal("296000.00"),
        Decimal("296000.00"),
    )
    # Σ saldos finais fiscais = 0: 296.000 + 24.000 + 22.000 − 2.500 − 102.000 − 237.500.
    assert sum(decimal_dc(m.vl_sld_fin_fc, m.ind_dc_fin_fc) for m in m155.values()) == 0
    # Despesa de depreciação antes do encerramento: 1.200,00 D − 1.200,00 (expurgo
    # devedor) + 2.500,00 (inclusão devedora) = 2.500,00 D, a depreciação fiscal.
    dep = {m.cod_cta: m for m in m030.saldos_resultado}[DESPESA]
    assert (dep.vl_sld_fin_soc, dep.vl_deb_fcont_e, dep.vl_deb_fcont_i) == (
        Decimal("1200.00"),
        Decimal("1200.00"),
        Decimal("2500.00"),
    )
    assert (dep.vl_sld_fin_fc_al, dep.ind_dc_fin_fc_al) == (Decimal("2500.00"), "D")
    (i200x, _i200f, i200ef) = arquivo.bloco_i.lancamentos
    assert (i200x.num_lcto, i200x.ind_lcto, str(i200x.vl_lcto)) == ("SAN-DEPR", "X", "1200.00")
    assert (i200ef.ind_lcto, str(i200ef.vl_lcto)) == ("EF", "1300.00")
    assert (
        arquivo.bloco_m is not None and str(arquivo.bloco_m.periodos[0].vl_luc_liq) == "238800.00"
    )

    # Centro de escrituração: gerar guarda o hash; entregar confere o arquivo.
    st.registrar_geracao(repo, e, conteudo)
    with pytest.raises(OperacaoRecusada) as exc:
        st.entregar(repo, SLUG, 2026, "REC-1", conteudo + b"x", "ana")
    assert [x.regra for x in exc.value.erros] == ["FCONT-ENTREGA"]
    entregue = st.entregar(repo, SLUG, 2026, "REC-1", conteudo, "ana")
    assert (entregue.situacao.value, entregue.recibo, entregue.entregue_por) == (
        "entregue",
        "REC-1",
        "ana",
    )
    (lista,) = st.escrituracoes(repo, SLUG)
    assert lista.situacao.value == "entregue" and lista.sha256 == entregue.sha256


def test_entrada_ruim_nao_grava(repo: Repositorio) -> None:
    montar_saneamento(repo, 2026)
    antes = len(repo.lancamentos(SLUG, 2026))
    with pytest.raises(OperacaoRecusada) as exc:
        st.expurgar(repo, SLUG, ["SAN-FAT-01", "SAN-DEPR", "NAO-EXISTE"])
    regras = sorted(x.regra for x in exc.value.erros)
    assert regras == ["FCONT-EXPURGO", "LANC-INEXISTENTE"]  # SAN-DEPR já expurgado
    assert len(repo.lancamentos(SLUG, 2026)) == antes
    with pytest.raises(OperacaoRecusada) as exc:
        st.criar_escrituracao(
            repo,
            Escrituracao(SLUG, dt.date(2026, 1, 1), dt.date(2026, 12, 31), (DIRETOR, CONTADOR)),
        )
    assert [x.regra for x in exc.value.erros] == ["FCONT-ESCRITURACAO-DUPLICADA"]
    with pytest.raises(OperacaoRecusada) as exc:
        st.empresa(repo, "nao-existe")
    assert exc.value.erros[0].regra == "ENT-INEXISTENTE"


# ------------------------------------------------- fluxo documentado (docs/fcont.md)
def test_fluxo_documentado(tmp_path: Path) -> None:
    """Os blocos ```sh de docs/fcont.md rodam em ordem, como o usuário os roda."""
    import os
    import re
    import subprocess
    import sys

    doc = (Path(__file__).parents[1] / "docs" / "fcont.md").read_text(encoding="utf-8")
    blocos = re.findall(r"```sh\n(.*?)```", doc, re.S)
    assert len(blocos) == 5
    env = {
        **os.environ,
        "ERARIO_DB": f"sqlite:///{tmp_path / 'fcont.db'}",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    saidas = []
    for bloco in blocos:
        r = subprocess.run(
            ["bash", "-e", "-c", bloco], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert r.returncode == 0, r.stdout + r.stderr
        saidas.append(r.stdout)
    assert "2.500,00" in saidas[2]  # depreciação acumulada fiscal
    conteudo = (tmp_path / "fcont-agua.txt").read_bytes()
    lido, _ = ler(conteudo)
    assert lido is not None and [x.ind_lcto for x in lido.bloco_i.lancamentos] == ["X", "F", "EF"]
    assert "entregue" in saidas[3]
    # O arquivo gerado é válido como arquivo de saída e como entrada do PVA.
    assert "fcont-agua.txt: arquivo FCONT válido (0 advertência(s))" in saidas[3]
    assert saidas[4].count("arquivo FCONT válido") == 2
    assert lido.bloco_m is not None and [
        (m.cod_cta, m.vl_sld_fin_fc, m.ind_dc_fin_fc)
        for m in lido.bloco_m.periodos[0].saldos_patrimoniais
        if m.cod_cta == "1.2.1.02"
    ] == [("1.2.1.02", Decimal("2500.00"), "C")]
