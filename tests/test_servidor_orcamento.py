"""Orçamento (LOA) pelo servidor de dados on-line, de ponta a ponta (spec 1.3 e 1.4).

A Prefeitura tem no seu erario as três entidades do município — Câmara e RPPS
como **incorporadas** (sem razão lá: a LOA delas entra sem lançamentos) —, cada
uma com as suas classificações e a sua LOA, e exporta tudo ao servidor. Câmara e RPPS
(instalações separadas) importam: a Câmara já tem a sua unidade 01.01 e a fonte
1500 cadastradas (a LOA dela usa também a 1501, que vem no orçamento); o RPPS é
uma instalação nova, sem cadastros. Valores:
- Prefeitura: previsão da receita 100.000,00 (FR 1500); dotação 0201 80.000,00.
- Câmara: dotações 0101 …3390.39 (FR 1500) 50.000,00 e …3390.30 (FR 1501) 10.000,00.
- RPPS: dotação 0301 (FR 1800) 30.000,00.
Cada recusa (unidade que não confere, CNPJ/slug trocado, Prefeitura importando,
outro município, mês fechado no meio da carga) deixa o banco como estava.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from erario.api.cliente import Cliente
from erario.cli.app import app
from erario.consolidacao.orcamento import Orcamento, ler_orcamento, serializar_orcamento
from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.razao.modelo import Entidade
from erario.razao.plano import plano_base
from erario.storage import consolidacao as st
from erario.storage import esquema as t
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.apoio_servidor import CAM, IBGE, PREF, RPPS, SENHA, Ambiente, ambiente

__all__ = ["ambiente"]  # fixture do servidor no ar (SQLite e, se configurado, PostgreSQL)

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("tela_larga")  # tabelas Rich sem quebra de linha

DOT_PREF = "0201.12.361.0001.2001.33903900"
DOT_CAM = "0101.01.031.0002.2002.33903900"
DOT_CAM2 = "0101.01.031.0002.2002.33903000"
DOT_RPPS = "0301.09.272.0003.2003.33900100"


def _cad(ent: str, *objs: dict[str, Any]) -> list[str]:
    return [json.dumps({**o, "entidade": ent}, ensure_ascii=False) for o in objs]


def _org(codigo: str, nome: str) -> dict[str, Any]:
    return {"cadastro": "orgao", "codigo": codigo, "nome": nome}


def _uni(orgao: str, codigo: str, nome: str) -> dict[str, Any]:
    return {"cadastro": "unidade", "orgao": orgao, "codigo": codigo, "nome": nome}


def _fonte(codigo: str, nome: str) -> dict[str, Any]:
    return {"cadastro": "fonte", "codigo": codigo, "nome": nome}


CADASTROS = {
    "prefeitura": _cad(
        "prefeitura",
        _org("02", "Secretaria de Educação"),
        _uni("02", "01", "Fundo Municipal de Educação"),
        {"cadastro": "programa", "codigo": "0001", "nome": "Educação Básica"},
        {"cadastro": "acao", "codigo": "2001", "nome": "Manutenção do Ensino"},
        _fonte("1500", "Recursos Livres"),
    ),
    "camara": _cad(
        "camara",
        _org("01", "Câmara Municipal"),
        _uni("01", "01", "Câmara de Vereadores"),
        {"cadastro": "programa", "codigo": "0002", "nome": "Processo Legislativo"},
        {"cadastro": "acao", "codigo": "2002", "nome": "Manutenção da Câmara"},
        _fonte("1500", "Recursos Livres"),
        {**_fonte("1501", "Outros Recursos não Vinculados"), "propriedades": {"DUODECIMO": "sim"}},
    ),
    "rpps": _cad(
        "rpps",
        _org("03", "Instituto de Previdência"),
        _uni("03", "01", "Fundo Previdenciário"),
        {"cadastro": "programa", "codigo": "0003", "nome": "Previdência"},
        {"cadastro": "acao", "codigo": "2003", "nome": "Benefícios Previdenciários"},
        _fonte("1800", "RPPS - Plano Previdenciário"),
    ),
}


def _dot(id_: str, ent: str, dotacao: str, fonte: str, valor: str) -> dict[str, Any]:
    return {"tipo": "dotacao_inicial", "id": id_, "entidade": ent, "data": "2026-01-02",
            "dotacao": dotacao, "fonte": fonte, "valor": valor}  # fmt: skip


EVENTOS = [
    {"tipo": "previsao_receita", "id": "R1", "entidade": "prefeitura", "data": "2026-01-02",
     "natureza_receita": "11125001", "fonte": "1500", "valor": "100000.00"},
    _dot("D1", "prefeitura", DOT_PREF, "1500", "80000.00"),
    _dot("DC1", "camara", DOT_CAM, "1500", "50000.00"),
    _dot("DC2", "camara", DOT_CAM2, "1501", "10000.00"),
    _dot("DR1", "rpps", DOT_RPPS, "1800", "30000.00"),
]  # fmt: skip


@pytest.fixture(scope="module")
def modelo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Banco do erario só com o PCASP (copiado para cada instalação: é mais rápido)."""
    arq = tmp_path_factory.mktemp("modelo") / "modelo.db"
    engine = criar_engine(f"sqlite:///{arq}")
    atualizar_esquema(engine)
    Repositorio(engine).gravar_plano(plano_base())
    engine.dispose()
    return arq


def _instalacao(modelo: Path, pasta: Path, nome: str, *ents: Entidade) -> str:
    """Banco com as entidades; as locais com 2026 aberto (as incorporadas não abrem)."""
    arq = pasta / f"{nome}.db"
    shutil.copy(modelo, arq)
    url = f"sqlite:///{arq}"
    repo = Repositorio(criar_engine(url))
    for e in ents:
        repo.criar_entidade(e)
        if not e.incorporada:
            repo.abrir_exercicio(e.slug, 2026, usuario="teste")
    return url


def incorporada(e: Entidade) -> Entidade:
    """A entidade como a Prefeitura a cadastra: incorporada (instalação própria)."""
    return e._replace(incorporada=True)


def _repo(db: str) -> Repositorio:
    return Repositorio(criar_engine(db))


def _erario(db: str, *args: str, email: str, servidor: str) -> Any:
    env = {"ERARIO_EMAIL": email, "ERARIO_SENHA": SENHA, "ERARIO_SERVIDOR": servidor}
    return runner.invoke(app, ["--db", db, *args], env=env)


def _contagem(db: str) -> dict[str, int]:
    """Linhas das tabelas que a importação do orçamento grava."""
    tabelas = (t.orgao, t.unidade_orcamentaria, t.programa, t.acao, t.fonte_recurso, t.evento,
               t.lancamento, t.partida)  # fmt: skip
    with criar_engine(db).connect() as con:
        return {
            tb.name: con.execute(select(func.count()).select_from(tb)).scalar_one()
            for tb in tabelas
        }


@pytest.fixture(scope="module")
def orcamento(ambiente: Ambiente, modelo: Path) -> dict[str, str]:
    """A Prefeitura monta e exporta a LOA do município; Câmara e RPPS importam."""
    a = ambiente
    dbs = {
        "prefeitura": _instalacao(
            modelo, a.pasta, "prefeitura", PREF, incorporada(CAM), incorporada(RPPS)
        )
    }
    repo = _repo(dbs["prefeitura"])
    repo.registrar_cadastros([ln for linhas in CADASTROS.values() for ln in linhas], "loa")
    itens, erros = ler_eventos_jsonl([json.dumps(e) for e in EVENTOS], "loa")
    assert erros == []
    resumo = repo.registrar_eventos(itens, "loa")
    assert (resumo.eventos, resumo.loa_incorporada, resumo.lancamentos) == (5, 3, 2)

    # Antes da exportação, a Câmara não tem o que importar.
    dbs["camara"] = _instalacao(modelo, a.pasta, "camara", CAM)
    _repo(dbs["camara"]).registrar_cadastros(
        _cad("camara", _org("01", "Câmara Municipal"), _uni("01", "01", "Câmara de Vereadores"),
             _fonte("1500", "Recursos Livres")), "local"
    )  # fmt: skip
    r = _erario(dbs["camara"], "consolidacao", "importar-orcamento", "camara", "--ano", "2026",
                email="camara@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 1
    assert "[CON-AUSENTE] a Prefeitura ainda não enviou o orçamento de 2026" in r.output

    r = _erario(dbs["prefeitura"], "consolidacao", "exportar-orcamento", "prefeitura", "--ano",
                "2026", email="pref@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Orçamento enviado: versão 1" in r.output

    r = _erario(dbs["camara"], "consolidacao", "importar-orcamento", "camara", "--ano", "2026",
                email="camara@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Orçamento importado: 6 cadastro(s), 2 evento(s) novo(s)." in r.output

    dbs["rpps"] = _instalacao(modelo, a.pasta, "rpps", RPPS)
    r = _erario(dbs["rpps"], "consolidacao", "importar-orcamento", "rpps", "--ano", "2026",
                email="rpps@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Orçamento importado: 5 cadastro(s), 1 evento(s) novo(s)." in r.output
    return dbs


def _baixado(a: Ambiente) -> Orcamento:
    with Cliente(a.url, "camara@m.br", SENHA) as c:
        orc, erros = ler_orcamento(c.baixar_orcamento(IBGE, 2026))
    assert orc is not None, erros
    return orc


def test_orcamento_exportado_traz_as_tres_entidades_com_fontes(
    orcamento: dict[str, str], ambiente: Ambiente
) -> None:
    orc = _baixado(ambiente)
    assert (orc.ibge, orc.ano) == (IBGE, 2026)
    assert [(e.cnpj, e.slug) for e in orc.entidades] == [
        (PREF.cnpj, "prefeitura"), (CAM.cnpj, "camara"), (RPPS.cnpj, "rpps"),
    ]  # fmt: skip
    cam = orc.da_entidade(CAM.cnpj)
    assert cam is not None
    assert [c for c in cam.cadastros if c["cadastro"] == "fonte"] == [
        {"cadastro": "fonte", "codigo": "1500", "nome": "Recursos Livres"},
        {"cadastro": "fonte", "codigo": "1501", "nome": "Outros Recursos não Vinculados",
         "propriedades": {"DUODECIMO": "sim"}},
    ]  # fmt: skip
    assert [e["id"] for e in cam.eventos] == ["DC1", "DC2"]
    assert all("entidade" not in e for e in cam.eventos)


def test_camara_e_rpps_carregam_a_sua_parte(orcamento: dict[str, str]) -> None:
    for slug, dotacoes in (
        ("camara", {(DOT_CAM, "1500"): 5_000_000, (DOT_CAM2, "1501"): 1_000_000}),
        ("rpps", {(DOT_RPPS, "1800"): 3_000_000}),
    ):
        repo = _repo(orcamento[slug])
        controle = repo.controle()
        obtido = {
            (dotacao, d.fonte): d.fixado
            for (ent, ano, dotacao), d in controle.dotacoes.items()
            if (ent, ano) == (slug, 2026)
        }
        assert obtido == dotacoes
        # As classificações da entidade são as da Prefeitura (com as fontes).
        cad_local = repo.classificacoes(slug)
        cad_pref = _repo(orcamento["prefeitura"]).classificacoes(slug)
        assert cad_local._replace(orgaos={}, unidades={}) == cad_pref._replace(
            orgaos={}, unidades={}
        )
        assert set(cad_local.unidades) == set(cad_pref.unidades)
        # Fixação da despesa no razão local; no da Prefeitura, a incorporada não tem
        # lançamento nenhum (a LOA dela ficou fora do razão).
        b_local = repo.balancete([slug], 2026, 1, 1)
        assert b_local.total_debitos == b_local.total_creditos == sum(dotacoes.values())
        assert {ln.codigo for ln in b_local.linhas if ln.analitica} == {
            "5.2.2.1.1.01.00", "6.2.2.1.1.00.00"
        }  # fmt: skip
        assert _repo(orcamento["prefeitura"]).lancamentos(slug, 2026) == []


def test_repetir_exportacao_e_importacao_nao_muda_nada(
    orcamento: dict[str, str], ambiente: Ambiente
) -> None:
    a = ambiente
    r = _erario(orcamento["prefeitura"], "consolidacao", "exportar-orcamento", "prefeitura",
                "--ano", "2026", email="pref@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Orçamento já estava no servidor (versão 1); nada mudou." in r.output
    antes = _contagem(orcamento["camara"])
    r = _erario(orcamento["camara"], "consolidacao", "importar-orcamento", "camara", "--ano",
                "2026", email="camara@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "0 evento(s) novo(s)" in r.output
    assert _contagem(orcamento["camara"]) == antes


def _importar_recusado(db: str, slug: str, a: Ambiente, email: str) -> str:
    antes = _contagem(db)
    r = _erario(db, "consolidacao", "importar-orcamento", slug, "--ano", "2026", email=email,
                servidor=a.url)  # fmt: skip
    assert r.exit_code == 1, r.output
    assert _contagem(db) == antes  # nada gravado
    return " ".join(r.output.split())


def test_unidades_que_nao_conferem_sao_recusadas(
    orcamento: dict[str, str], ambiente: Ambiente, modelo: Path
) -> None:
    db = _instalacao(modelo, ambiente.pasta, "camara-outras-unidades", CAM)
    _repo(db).registrar_cadastros(
        _cad("camara", _org("01", "Câmara Municipal"), _uni("01", "02", "Gabinete")), "local"
    )
    saida = _importar_recusado(db, "camara", ambiente, "camara@m.br")
    assert (
        "[CON-UNIDADE] a unidade 01.01 (Câmara de Vereadores) do orçamento não está cadastrada "
        "em camara: confira com a Prefeitura as unidades da LOA ou cadastre-a antes de importar"
    ) in saida


def test_entidade_errada_e_recusada(
    orcamento: dict[str, str], ambiente: Ambiente, modelo: Path
) -> None:
    a = ambiente
    # Mesmo CNPJ, slug diferente do da Prefeitura.
    db = _instalacao(modelo, a.pasta, "camara-slug", CAM._replace(slug="camara-municipal"))
    saida = _importar_recusado(db, "camara-municipal", a, "camara@m.br")
    assert (
        f"[CON-ENTIDADE] CNPJ {CAM.cnpj} está no orçamento com o slug camara, aqui é "
        "camara-municipal: corrija o cadastro da entidade"
    ) in saida
    # CNPJ que a Prefeitura não conhece.
    db = _instalacao(modelo, a.pasta, "camara-cnpj", CAM._replace(cnpj="11444777000161"))
    saida = _importar_recusado(db, "camara", a, "camara@m.br")
    assert "[CON-ENTIDADE] o orçamento não traz a entidade de CNPJ 11444777000161 (camara)" in saida
    # A Prefeitura não importa o próprio orçamento.
    saida = _importar_recusado(orcamento["prefeitura"], "prefeitura", a, "pref@m.br")
    assert "[CON-ENTIDADE] prefeitura é a Prefeitura, que exporta o orçamento" in saida


def test_outro_municipio_nao_le_e_so_a_prefeitura_envia(
    orcamento: dict[str, str], ambiente: Ambiente
) -> None:
    a = ambiente
    with Cliente(a.url, "vizinha@m.br", SENHA) as c, pytest.raises(OperacaoRecusada) as exc:
        c.baixar_orcamento(IBGE, 2026)
    assert str(exc.value.erros[0]) == (f"[CON-PERMISSAO] usuário sem entidade no município {IBGE}")
    dados = serializar_orcamento(st.orcamento_local(_repo(orcamento["prefeitura"]), 2026, IBGE))
    for email, cnpj in (("camara@m.br", CAM.cnpj), ("rpps@m.br", RPPS.cnpj),
                        ("camara@m.br", PREF.cnpj)):  # fmt: skip
        with Cliente(a.url, email, SENHA) as c, pytest.raises(OperacaoRecusada) as exc:
            c.enviar_orcamento(cnpj, 2026, dados, 1)
        assert exc.value.erros[0].regra == "CON-PERMISSAO"
    assert _baixado(a) == ler_orcamento(dados)[0]  # o servidor segue com a versão 1


def test_orcamento_com_cnpj_e_slug_trocados_e_recusado_no_servidor(
    orcamento: dict[str, str], ambiente: Ambiente
) -> None:
    orc = st.orcamento_local(_repo(orcamento["prefeitura"]), 2026, IBGE)
    trocado = orc._replace(
        entidades=tuple(e._replace(slug="legislativo") if e.slug == "camara" else e
                        for e in orc.entidades)
    )  # fmt: skip
    with Cliente(ambiente.url, "pref@m.br", SENHA) as c:
        with pytest.raises(OperacaoRecusada) as exc:
            c.enviar_orcamento(PREF.cnpj, 2026, serializar_orcamento(trocado), 1)
        assert [str(e) for e in exc.value.erros] == [
            f"[CON-ENTIDADE] o CNPJ {CAM.cnpj} está no orçamento com o slug legislativo, mas o "
            "servidor conhece camara: confira CNPJ e slug"
        ]
        assert [h["versao"] for h in c.historico(PREF.cnpj, 2026, 0)] == [1]


def test_recusa_no_meio_da_carga_nao_deixa_cadastros(
    orcamento: dict[str, str], ambiente: Ambiente, modelo: Path
) -> None:
    # Janeiro fechado: as dotações (02/01) não entram, e os cadastros, que
    # passariam, também não ficam (cadastros e eventos numa só transação).
    db = _instalacao(modelo, ambiente.pasta, "camara-janeiro-fechado", CAM)
    _repo(db).fechar_competencia("camara", 2026, 1, usuario="teste")
    saida = _importar_recusado(db, "camara", ambiente, "camara@m.br")
    assert "orçamento (eventos), linha 1" in saida and "01/2026" in saida
    assert _contagem(db)["orgao"] == 0


def test_importar_orcamento_direto_tambem_e_tudo_ou_nada(
    orcamento: dict[str, str], modelo: Path, tmp_path: Path
) -> None:
    orc = _baixado_local(orcamento)
    db = _instalacao(modelo, tmp_path, "camara-direto", CAM)
    repo = _repo(db)
    repo.fechar_competencia("camara", 2026, 1, usuario="teste")
    antes = _contagem(db)
    with pytest.raises(OperacaoRecusada):
        st.importar_orcamento(repo, "camara", orc)
    assert _contagem(db) == antes
    repo.reabrir_competencia("camara", 2026, 1, "importar a LOA", usuario="teste")
    assert st.importar_orcamento(repo, "camara", orc) == (6, 2)
    assert st.importar_orcamento(repo, "camara", orc) == (6, 0)


def _baixado_local(orcamento: dict[str, str]) -> Orcamento:
    return st.orcamento_local(_repo(orcamento["prefeitura"]), 2026, IBGE)
