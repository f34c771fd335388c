"""Leitura de um arquivo FCONT de volta para o erario (``erario fcont ler --gravar``):
ida e volta com o arquivo da demonstração, o livro comercial reconstituído dos
saldos, a recusa sem gravar nada e o que não volta igual (advertências)."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from pathlib import Path

import pytest

from erario.core.erros import OperacaoRecusada
from erario.demo_fcont import SLUG, montar_saneamento
from erario.fcont.arquivo import ArquivoFcont, RegistroI050
from erario.fcont.escrita import escrever
from erario.fcont.importacao import converter
from erario.fcont.leitura import ler
from erario.razao.modelo import Partida, TipoLancamento
from erario.storage import fcont as st
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio

GOLDEN = Path(__file__).parent / "golden" / "fcont"


@pytest.fixture(scope="module")
def arquivo_demo(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """O arquivo que ``erario fcont gerar saneamento 2026`` dá no banco da demonstração."""
    eng = criar_engine(f"sqlite:///{tmp_path_factory.mktemp('origem') / 'origem.db'}")
    atualizar_esquema(eng)
    origem = Repositorio(eng)
    montar_saneamento(origem, 2026)
    _esc, arquivo = st.montar(origem, SLUG, 2026)
    eng.dispose()
    return escrever(arquivo)


def _lido(conteudo: bytes) -> ArquivoFcont:
    lido, erros = ler(conteudo)
    assert lido is not None and not erros, erros
    return lido


def test_ida_e_volta_do_arquivo_da_demonstracao(repo: Repositorio, arquivo_demo: bytes) -> None:
    lido = _lido(arquivo_demo)
    dados, erros = converter(lido, SLUG, "SANEAMENTO")
    assert dados is not None, erros
    assert dados.avisos == []  # arquivo do erario: nada se perde
    resumo = st.gravar_leitura(repo, dados)
    assert resumo == st.ResumoLeitura(SLUG, True, 26, 10, 2, 2, True, 3, 3)
    _esc, volta = st.montar(repo, SLUG, 2026)
    assert volta == lido  # o mesmo conteúdo (ArquivoFcont)…
    assert escrever(volta) == arquivo_demo  # …e o mesmo arquivo, byte a byte
    e = st.escrituracao(repo, SLUG, 2026)
    assert (e.uf, e.contrapartida_ef, [s.codigo for s in e.signatarios]) == (
        "RS",
        "2.3.1.02",
        ["205", "900"],
    )


def test_livro_comercial_reconstituido_dos_saldos(arquivo_demo: bytes) -> None:
    """Demonstração (docstring de ``demo_fcont``): abertura 80.000 + 22.000 = 102.000;
    banco D 12 × 48.000 = 576.000 e C 12 × 30.000 = 360.000; clientes D 600.000 e
    C 576.000; depreciação C 1.200; lucro 600.000 − 360.000 − 1.200 = 238.800, o
    crédito todo de lucros acumulados, que sai do movimento e vai para o encerramento."""
    dados, erros = converter(_lido(arquivo_demo), SLUG, "SANEAMENTO")
    assert dados is not None, erros
    ab, mv, en = dados.comerciais
    assert (ab.numero, ab.tipo, ab.data.isoformat()) == (
        "FCL-AB-2026",
        TipoLancamento.ABERTURA,
        "2026-01-01",
    )
    assert ab.partidas == (
        Partida("1.1.1.01", "D", 8_000_000),
        Partida("1.2.1.01", "D", 2_200_000),
        Partida("2.3.1.01", "C", 10_200_000),
    )
    assert (mv.numero, mv.tipo, mv.data.isoformat()) == (
        "FCL-MV-2026-1",
        TipoLancamento.ORDINARIO,
        "2026-12-31",
    )
    assert mv.partidas == (
        Partida("1.1.1.01", "D", 57_600_000),
        Partida("1.1.1.01", "C", 36_000_000),
        Partida("1.1.2.01", "D", 60_000_000),
        Partida("1.1.2.01", "C", 57_600_000),
        Partida("1.2.1.02", "C", 120_000),
        Partida("3.1.1.01", "C", 60_000_000),
        Partida("3.2.1.01", "D", 36_000_000),
        Partida("3.2.1.02", "D", 120_000),
    )
    assert (en.numero, en.tipo) == ("FCL-EN-2026-1", TipoLancamento.ENCERRAMENTO)
    assert en.partidas == (
        Partida("3.1.1.01", "D", 60_000_000),
        Partida("3.2.1.01", "C", 36_000_000),
        Partida("3.2.1.02", "C", 120_000),
        Partida("2.3.1.02", "C", 23_880_000),
    )
    x, f, ef = dados.fiscais
    assert (x.livro, x.numero, x.origem) == ("X", None, "fcont-x:SAN-DEPR")
    assert (f.livro, f.numero, ef.livro, ef.numero) == ("F", "SAN-DEPR-F", "E", "SAN-EF")


def test_ler_de_novo_recusa_e_nada_muda(repo: Repositorio, arquivo_demo: bytes) -> None:
    """A segunda leitura traz uma conta nova e outra UF, mas a empresa já tem razão
    em 2026: recusada, e nem o plano nem a escrituração mudam (uma transação)."""
    lido = _lido(arquivo_demo)
    dados, _ = converter(lido, SLUG, "SANEAMENTO")
    assert dados is not None
    st.gravar_leitura(repo, dados)
    nova = RegistroI050(lido.abertura.dt_ini, "01", "A", 4, "1.1.1.02", "1.1.1.00", "CAIXA")
    bi = dc.replace(lido.bloco_i, plano=(*lido.bloco_i.plano, nova))
    outro = dc.replace(lido, bloco_i=bi, abertura=dc.replace(lido.abertura, uf="SC"))
    dados2, erros = converter(outro, SLUG, "SANEAMENTO")
    assert dados2 is not None, erros
    antes = len(repo.lancamentos(SLUG, 2026))
    with pytest.raises(OperacaoRecusada) as exc:
        st.gravar_leitura(repo, dados2)
    assert [e.regra for e in exc.value.erros] == ["FCONT-LER-RAZAO"]
    assert "1.1.1.02" not in repo.plano("SANEAMENTO").contas
    assert st.escrituracao(repo, SLUG, 2026).uf == "RS"
    assert len(repo.lancamentos(SLUG, 2026)) == antes == 6


def test_entidade_de_outro_cnpj_recusada(repo: Repositorio, arquivo_demo: bytes) -> None:
    dados, _ = converter(_lido(arquivo_demo), "prefeitura", "PREFEITURA")
    assert dados is not None
    entidades = repo.entidades()
    with pytest.raises(OperacaoRecusada) as exc:
        st.gravar_leitura(repo, dados)
    assert [e.regra for e in exc.value.erros] == ["FCONT-LER-EMPRESA"]
    assert "não é a empresa do arquivo (CNPJ 77556644000195)" in exc.value.erros[0].mensagem
    assert repo.entidades() == entidades
    assert "PREFEITURA" not in repo.planos()


def test_golden_pequena_nao_se_le_codigos_sem_pontos(repo: Repositorio) -> None:
    """O golden do Anexo I usa códigos sem pontos (1, 11, 111, 1111; 41, 4101 no
    nível 3): não cabem numa máscara do plano do erario. Recusado, nada gravado."""
    lido = _lido((GOLDEN / "pequena.txt").read_bytes())
    dados, erros = converter(lido, "pequena", "PEQUENA")
    assert dados is None
    assert [(e.regra, e.linha, e.origem) for e in erros] == [("FCONT-LER-CODIGO", 3, "I050")]
    assert "19 conta(s)" in erros[0].mensagem
    assert "pequena" not in {e.slug for e in repo.entidades()}


def test_o_que_nao_volta_igual_vira_advertencia(arquivo_demo: bytes) -> None:
    lido = _lido(arquivo_demo)
    x = lido.bloco_i.lancamentos[0]
    p0 = dc.replace(x.partidas[0], num_arq="NF 77", cod_hist_pad="001")
    bi = dc.replace(
        lido.bloco_i,
        lancamentos=(dc.replace(x, partidas=(p0, *x.partidas[1:])), *lido.bloco_i.lancamentos[1:]),
    )
    j = dc.replace(lido.bloco_j.signatarios[1], ident_qualif="CONTABILISTA")
    outro = dc.replace(
        lido,
        bloco_i=bi,
        bloco_j=dc.replace(lido.bloco_j, signatarios=(lido.bloco_j.signatarios[0], j)),
    )
    dados, erros = converter(_lido(escrever(outro)), SLUG, "SANEAMENTO")
    assert dados is not None, erros
    assert [(a.regra, a.origem, a.linha) for a in dados.avisos] == [
        ("FCONT-LER-PERDA", "J930", 66),  # a linha do contador
        ("FCONT-LER-PERDA", "I250", 51),  # a 1ª partida do X (I200 na 50)
    ]
    assert "NUM_ARQ, COD_HIST_PAD" in dados.avisos[1].mensagem
    assert "'CONTABILISTA' volta como 'Contador'" in dados.avisos[0].mensagem


def test_saldo_inicial_que_nao_fecha_com_o_anterior(arquivo_demo: bytes) -> None:
    """Dois períodos (trimestral) com o inicial do segundo diferente do final do primeiro."""
    lido = _lido(arquivo_demo)
    p = lido.bloco_i.saldos_periodicos[0]
    p1 = dc.replace(p, dt_fin=dt.date(2026, 3, 31))
    p2 = dc.replace(p, dt_ini=dt.date(2026, 4, 1))
    outro = dc.replace(lido, bloco_i=dc.replace(lido.bloco_i, saldos_periodicos=(p1, p2)))
    dados, erros = converter(outro, SLUG, "SANEAMENTO")
    assert dados is None
    regras = {(e.regra, e.mensagem.split(":")[0]) for e in erros}
    assert ("FCONT-LER-SALDOS", "conta 1.1.1.01") in regras
    assert ("FCONT-LER-SALDOS", "conta 1.1.2.01") in regras
