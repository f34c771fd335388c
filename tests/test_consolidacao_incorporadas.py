"""Entidades incorporadas no banco da Prefeitura (migração 0010), sem servidor.

Banco com o PCASP Federação, a Prefeitura (2026 aberto) e a Câmara marcada
como incorporada (``erario consolidacao incorporar``). A Câmara tem a LOA
elaborada aqui, sem lançamentos; qualquer outra coisa dela é recusada
(CON-INCORPORADA). O duodécimo que a Prefeitura transfere para ela lança só o
lado da Prefeitura (3.5.1.1.2.02); o recebimento é da instalação da Câmara.
Roda no SQLite e, com ``ERARIO_TEST_POSTGRES_URL``, no PostgreSQL.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from erario.consolidacao.orcamento import OrcamentoEntidade
from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.storage import consolidacao as st
from erario.storage.repositorio import Repositorio
from tests.conftest import CNPJ_CAMARA

BANCO = "1.1.1.1.1.19.00"
DOT_CAM = "0101.01.031.0002.2002.33903900"
DOT_PREF = "0401.15.452.0010.2015.33903900"
BANCO_PREF = {"conta_banco": BANCO, "domicilio": "001-1111-100001"}


def _eventos(repo: Repositorio, *evs: dict[str, Any]) -> Any:
    itens, erros = ler_eventos_jsonl([json.dumps(e) for e in evs], "teste")
    assert erros == []
    return repo.registrar_eventos(itens, "teste")


def _recusa(repo: Repositorio, *evs: dict[str, Any]) -> list[str]:
    with pytest.raises(OperacaoRecusada) as exc:
        _eventos(repo, *evs)
    return [str(e) for e in exc.value.erros]


def _dot(id_: str, ent: str, dotacao: str, valor: str = "1000.00") -> dict[str, Any]:
    return {"tipo": "dotacao_inicial", "id": id_, "entidade": ent, "data": "2026-01-02",
            "dotacao": dotacao, "fonte": "1500", "valor": valor}  # fmt: skip


@pytest.fixture
def repo(repo_pcasp: Repositorio) -> Repositorio:
    cam = st.marcar_incorporada(repo_pcasp, "camara")
    assert cam.incorporada and repo_pcasp.entidade("camara").incorporada
    return repo_pcasp


def test_loa_da_incorporada_entra_sem_lancamento(repo: Repositorio) -> None:
    r = _eventos(repo, _dot("D1", "prefeitura", DOT_PREF), _dot("DC1", "camara", DOT_CAM))
    assert (r.eventos, r.loa_incorporada, r.lancamentos) == (2, 1, 1)
    assert repo.lancamentos("camara", 2026) == []
    assert [(ln.codigo, ln.atual) for ln in repo.balancete(["camara"], 2026, 1, 12).linhas] == []
    orc = st.orcamento_local(repo, 2026, "4312658")
    cam = orc.da_entidade(CNPJ_CAMARA)
    assert cam is not None
    assert [(e["id"], e["valor"]) for e in cam.eventos] == [("DC1", "1000.00")]
    # Repetir o id na entidade incorporada é recusado como em qualquer entidade.
    assert _recusa(repo, _dot("DC1", "camara", DOT_CAM)) == [
        "teste, linha 1, campo id: [EXEC-ID] evento DC1 já registrado na entidade"
    ]


def test_so_a_loa_da_incorporada_e_nada_muda_quando_recusa(repo: Repositorio) -> None:
    empenho = {"tipo": "empenho", "id": "E1", "entidade": "camara", "data": "2026-01-10",
               "dotacao": DOT_CAM, "fonte": "1500", "credor": "12345678000195",
               "valor": "10.00"}  # fmt: skip
    # A mesma dotação fixada duas vezes: as travas (num controle à parte) recusam.
    erros = _recusa(repo, _dot("D1", "prefeitura", DOT_PREF), empenho,
                    _dot("DC1", "camara", DOT_CAM), _dot("DC2", "camara", DOT_CAM))  # fmt: skip
    assert erros[0] == (
        "teste, linha 2, campo tipo: [CON-INCORPORADA] camara é entidade incorporada: aqui "
        "entram só os eventos da LOA que a Prefeitura elabora (previsão da receita e da "
        "dedução, dotação inicial) e o estorno deles; empenho é escriturado na instalação de "
        "camara"
    )
    assert erros[1:] == [
        f"teste, linha 4, campo dotacao: [EXEC-DOTACAO] dotação {DOT_CAM} já fixada: altere-a "
        "por crédito adicional"
    ]
    assert repo.lancamentos("prefeitura", 2026) == []  # tudo ou nada
    assert st.orcamento_local(repo, 2026, "4312658").da_entidade(CNPJ_CAMARA) == (
        OrcamentoEntidade(CNPJ_CAMARA, "camara", (), ())
    )


def test_incorporada_nao_tem_razao_aqui(repo: Repositorio) -> None:
    def regra(f: Any) -> str:
        with pytest.raises(OperacaoRecusada) as exc:
            f()
        return str(exc.value.erros[0].regra)

    assert regra(lambda: repo.abrir_exercicio("camara", 2026)) == "CON-INCORPORADA"
    assert regra(lambda: st.balancete_para_envio(repo, "camara", 2026, 1)) == "CON-INCORPORADA"
    assert regra(lambda: st.consolidado(repo, ["camara"], 2026, 1, 1)) == "CON-INCORPORADA"
    assert regra(lambda: st.marcar_incorporada(repo, "prefeitura")) == "CON-INCORPORADA"
    # Sem balancetes da Câmara, o consolidado com incorporados não finge que ela não existe.
    with pytest.raises(OperacaoRecusada) as exc:
        st.consolidado(repo, ["prefeitura"], 2026, 1, 2, com_incorporados=True)
    assert [str(e) for e in exc.value.erros] == [
        "camara: [CON-MES-FALTANTE] faltam os balancetes de 01, 02"
    ]


def test_transferencia_para_incorporada_lanca_so_na_concedente(repo: Repositorio) -> None:
    arrecadacao = {"tipo": "arrecadacao", "id": "A1", "entidade": "prefeitura",
                   "data": "2026-01-05", "natureza_receita": "11125001", "fonte": "1500",
                   "valor": "500.00", "conta_vpa": "4.1.1.2.1.02.00", **BANCO_PREF}  # fmt: skip
    duodecimo = {"tipo": "transferencia_financeira", "id": "T1", "entidade": "prefeitura",
                 "data": "2026-01-12", "fonte": "1500", "valor": "100.00",
                 "entidade_destino": "camara", **BANCO_PREF, "conta_banco_destino": BANCO,
                 "domicilio_destino": "041-2222-200002"}  # fmt: skip
    r = _eventos(repo, arrecadacao, duodecimo)
    assert (r.eventos, r.lancamentos) == (2, 2)
    assert repo.lancamentos("camara", 2026) == []
    contas = {p.conta for ln in repo.lancamentos("prefeitura", 2026) for p in ln.partidas}
    assert "3.5.1.1.2.02.00" in contas and "4.5.1.1.2.02.00" not in contas
    # O estorno desfaz só o lado da Prefeitura.
    r = _eventos(repo, {"tipo": "estorno", "id": "X1", "entidade": "prefeitura",
                        "data": "2026-01-13", "evento": "T1"})  # fmt: skip
    assert r.lancamentos == 1
    b = repo.balancete(["prefeitura"], 2026, 1, 1)
    assert next(ln for ln in b.linhas if ln.codigo == "3.5.1.1.2.02.00").atual == 0


def test_loa_da_incorporada_se_corrige_por_estorno(repo: Repositorio) -> None:
    _eventos(
        repo,
        _dot("DC1", "camara", DOT_CAM),
        _dot("DC2", "camara", "0101.01.031.0002.2002.33903000"),
    )
    estorno = {"tipo": "estorno", "id": "X1", "entidade": "camara", "data": "2026-01-03",
               "evento": "DC1"}  # fmt: skip
    r = _eventos(repo, estorno)
    assert (r.loa_incorporada, r.lancamentos) == (1, 0)
    cam = st.orcamento_local(repo, 2026, "4312658").da_entidade(CNPJ_CAMARA)
    assert cam is not None and [e["id"] for e in cam.eventos] == ["DC2"]
    # As travas valem entre cargas (controle refeito do que está gravado).
    assert _recusa(repo, {**estorno, "id": "X2"}) == [
        "teste, linha 1, campo id: [EXEC-ESTORNO] evento DC1 já foi estornado"
    ]


def test_orcamento_exportado_sem_os_eventos_estornados(repo: Repositorio) -> None:
    outra = "0401.15.452.0010.2015.33903000"
    _eventos(repo, _dot("D1", "prefeitura", DOT_PREF), _dot("D2", "prefeitura", outra, "5.00"))
    _eventos(repo, {"tipo": "estorno", "id": "X1", "entidade": "prefeitura",
                    "data": "2026-01-03", "evento": "D2"})  # fmt: skip
    pref = st.orcamento_local(repo, 2026, "4312658").entidades[0]
    assert [e["id"] for e in pref.eventos] == ["D1"]
