"""Competência 13 (encerramento do exercício) pelo servidor de dados on-line.

Prefeitura e Câmara (instalações separadas, PCASP Federação) carregam as suas
LOAs (as de ``test_servidor_orcamento``: previsão da receita e dotações) e
encerram 2026 com ``erario exercicio encerrar``: o encerramento das contas
orçamentárias (5.2 × 6.2) vai para o período 13. A Câmara exporta de 01 a 13;
a Prefeitura incorpora e o balancete consolidado de dezembro com o
encerramento (12 a 13) é, figura por figura, a soma dos dois individuais.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from erario.api import esquema as te
from erario.api.cliente import Cliente
from erario.consolidacao.formato import documento, ler_documento, serializar
from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.storage import consolidacao as st
from erario.storage.banco import criar_engine
from erario.storage.repositorio import Repositorio
from tests.apoio_servidor import CAM, IBGE, PREF, SENHA, Ambiente, ambiente
from tests.test_servidor_orcamento import (
    CADASTROS,
    EVENTOS,
    _erario,
    _instalacao,
    _repo,
    incorporada,
    modelo,
)

__all__ = ["ambiente", "modelo"]  # fixtures: servidor no ar e banco modelo com o PCASP


def _com_loa(db: str, slug: str) -> None:
    repo = _repo(db)
    repo.registrar_cadastros(CADASTROS[slug], "loa")
    itens, erros = ler_eventos_jsonl(
        [json.dumps(e) for e in EVENTOS if e["entidade"] == slug], "loa"
    )
    assert erros == []
    repo.registrar_eventos(itens, "loa")


def _chaves(repo: Repositorio, slug: str, inicio: int, fim: int) -> dict[Any, list[int]]:
    b = repo.balancete([slug], 2026, inicio, fim, por_conta_corrente=True)
    return {
        (ln.codigo, ln.conta_corrente): [ln.anterior, ln.debitos, ln.creditos, ln.atual]
        for ln in b.linhas
    }


@pytest.fixture(scope="module")
def encerrados(ambiente: Ambiente, modelo: Path) -> dict[str, str]:
    a = ambiente
    dbs = {
        "prefeitura": _instalacao(modelo, a.pasta, "enc-prefeitura", PREF, incorporada(CAM)),
        "camara": _instalacao(modelo, a.pasta, "enc-camara", CAM),
    }
    _com_loa(dbs["prefeitura"], "prefeitura")
    _com_loa(dbs["camara"], "camara")
    r = _erario(dbs["prefeitura"], "consolidacao", "abrir-competencias", "prefeitura", "--ano",
                "2026", email="pref@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    # Antes do encerramento, a competência 13 não sai.
    r = _erario(dbs["camara"], "consolidacao", "exportar-balancete", "camara", "--mes", "2026-13",
                email="camara@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 1
    assert (
        "[CON-NAO-ENCERRADO] o exercício 2026 de camara não foi encerrado: rode 'erario exercicio "
        "encerrar camara 2026' antes de exportar a competência 13 (encerramento)"
    ) in " ".join(r.output.split())
    for slug, db in dbs.items():
        r = _erario(db, "exercicio", "encerrar", slug, "2026", email="", servidor="")
        assert r.exit_code == 0, r.output
    r = _erario(dbs["camara"], "consolidacao", "exportar-balancete", "camara", "--mes", "2026-01",
                "--ate", "2026-13", email="camara@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Balancete 13/2026 enviado: versão 1" in r.output
    r = _erario(dbs["prefeitura"], "consolidacao", "importar-balancetes", "prefeitura", "--ano",
                "2026", email="pref@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "13 balancete(s) incorporado(s)" in r.output
    return dbs


@pytest.mark.parametrize("inicio,fim", [(12, 13), (13, 13), (1, 13)])
def test_consolidado_com_encerramento_e_a_soma_dos_individuais(
    encerrados: dict[str, str], inicio: int, fim: int
) -> None:
    soma: dict[Any, list[int]] = {}
    for slug, db in encerrados.items():
        for chave, valores in _chaves(_repo(db), slug, inicio, fim).items():
            total = soma.setdefault(chave, [0, 0, 0, 0])
            for i, v in enumerate(valores):
                total[i] += v
    c = st.consolidado(_repo(encerrados["prefeitura"]), ["prefeitura"], 2026, inicio, fim,
                       com_incorporados=True, por_conta_corrente=True)  # fmt: skip
    assert c.balancete.entidades == ("prefeitura", "camara")
    obtido = {
        (ln.codigo, ln.conta_corrente): [ln.anterior, ln.debitos, ln.creditos, ln.atual]
        for ln in c.balancete.linhas
    }
    assert obtido == soma


def test_encerramento_zera_as_contas_orcamentarias_no_consolidado(
    encerrados: dict[str, str],
) -> None:
    repo = _repo(encerrados["prefeitura"])

    def fixacao(fim: int) -> list[int]:
        c = st.consolidado(repo, ["prefeitura"], 2026, 12, fim, com_incorporados=True)
        linha = next(ln for ln in c.balancete.linhas if ln.codigo == "5.2.2.0.0.00.00")
        return [linha.anterior, linha.debitos, linha.creditos, linha.atual]

    # Dotações: Prefeitura 80.000,00 + Câmara 60.000,00 (sem a 13, seguem em 5.2.2).
    assert fixacao(12) == [14_000_000, 0, 0, 14_000_000]
    assert fixacao(13) == [14_000_000, 0, 14_000_000, 0]


def test_competencia_13_pede_reabrir_competencias_em_exercicio_antigo(
    encerrados: dict[str, str], ambiente: Ambiente
) -> None:
    a = ambiente
    engine = criar_engine(a.banco)
    with engine.begin() as con:  # exercício aberto no servidor antes da competência 13
        c = te.competencia.c
        con.execute(
            delete(te.competencia).where((c.ibge == IBGE) & (c.ano == 2026) & (c.mes == 13))
        )
    engine.dispose()
    with Cliente(a.url, "camara@m.br", SENHA) as cli:
        doc = cli.baixar_balancete(CAM.cnpj, 2026, 13)
        with pytest.raises(OperacaoRecusada) as exc:
            cli.enviar_balancete(CAM.cnpj, 2026, 13, doc + b" ", 1)
    assert str(exc.value.erros[0]) == (
        "[CON-COMPETENCIA] competência 13/2026 não aberta no servidor: a Prefeitura deve abrir as "
        "competências do exercício (de novo: repetir cria a 13, de encerramento)"
    )
    r = _erario(encerrados["prefeitura"], "consolidacao", "abrir-competencias", "prefeitura",
                "--ano", "2026", email="pref@m.br", servidor=a.url)  # fmt: skip
    assert "1 competência(s) de 2026 aberta(s)" in r.output
    r = _erario(encerrados["camara"], "consolidacao", "exportar-balancete", "camara", "--mes",
                "2026-13", email="camara@m.br", servidor=a.url)  # fmt: skip
    assert "Balancete 13/2026 já estava no servidor (versão 1); nada mudou." in r.output


def test_mes_14_recusado_no_formato_no_servidor_e_no_cliente(
    encerrados: dict[str, str], ambiente: Ambiente
) -> None:
    a = ambiente
    bm = st.balancete_para_envio(_repo(encerrados["camara"]), "camara", 2026, 13)
    assert bm.mes == 13 and ler_documento(documento(bm))[0] == bm
    _, erros = ler_documento(documento(bm._replace(mes=14)))
    assert [str(e) for e in erros] == [
        "campo mes: [CON-PERIODO] mês 14 inválido: use 1 a 12, ou 13 (encerramento)"
    ]
    with Cliente(a.url, "camara@m.br", SENHA) as cli:
        cli.entrar()
        r = httpx.put(
            f"{a.url}/api/v1/balancetes/{CAM.cnpj}/2026/14",
            content=serializar(bm._replace(mes=14)),
            headers={"Authorization": f"Bearer {cli._ficha}"},
        )
    assert r.status_code == 422
    assert r.json()["erros"][0]["regra"] == "CON-PERIODO"
    r = _erario(encerrados["camara"], "consolidacao", "exportar-balancete", "camara", "--mes",
                "2026-14", email="camara@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 2 and "ou AAAA-13 (encerramento)" in r.output
