"""A LOA das entidades incorporadas no domínio (``consolidacao.loa_incorporada``)
e a conferência das dotações contra as classificações
(``execucao.conferencia_classificacoes``), sem banco. O caminho inteiro, com o
banco, está em ``tests/test_consolidacao_incorporadas.py``."""

from __future__ import annotations

from typing import Any

from erario.consolidacao.loa_incorporada import LoaIncorporada
from erario.core.erros import Erro
from erario.execucao.carga import evento_de_dict
from erario.execucao.conferencia_classificacoes import ConferenciaClassificacoes
from erario.execucao.roteiros import CacheContas, roteiros_padrao
from erario.orcamento.cadastros import Classificacoes, classificacoes_de
from erario.razao.plano import plano_base

DOT_CAM = "0101.01.031.0002.2002.33903900"
PLANO = plano_base()
ROTEIROS = roteiros_padrao()


def _ev(**campos: Any) -> Any:
    ev, erros = evento_de_dict({"entidade": "camara", "data": "2026-01-02", **campos})
    assert erros == [] and ev is not None
    return ev


def _dot(id_: str, dotacao: str = DOT_CAM, valor: str = "1000.00") -> Any:
    return _ev(tipo="dotacao_inicial", id=id_, dotacao=dotacao, fonte="1500", valor=valor)


def _sem_erro(ev: Any) -> list[Erro]:
    return []


def _conferir(loa: LoaIncorporada, ev: Any, classificacao: Any = _sem_erro) -> list[str]:
    return [str(e) for e in loa.conferir(ev, classificacao, ROTEIROS, PLANO, CacheContas())]


def test_dotacao_aceita_sem_lancamento_e_as_travas_de_sempre() -> None:
    loa = LoaIncorporada()
    dc1 = _dot("DC1")
    assert _conferir(loa, dc1) == []
    assert loa.aceitos == [dc1]
    assert loa.controle.dotacoes[("camara", 2026, DOT_CAM)].fixado == 100_000  # R$ 1.000,00
    # A mesma dotação de novo: a trava do controle à parte recusa, nada muda.
    assert _conferir(loa, _dot("DC2")) == [
        f"campo dotacao: [EXEC-DOTACAO] dotação {DOT_CAM} já fixada: altere-a por crédito adicional"
    ]
    assert _conferir(loa, _dot("DC1", "0101.01.031.0002.2002.33903000")) == [
        "campo id: [EXEC-ID] evento DC1 já registrado na entidade"
    ]
    assert loa.aceitos == [dc1]


def test_so_a_loa_entra() -> None:
    empenho = _ev(tipo="empenho", id="E1", dotacao=DOT_CAM, fonte="1500",
                  credor="12345678000195", valor="10.00")  # fmt: skip
    assert _conferir(LoaIncorporada(), empenho) == [
        "campo tipo: [CON-INCORPORADA] camara é entidade incorporada: aqui entram só os "
        "eventos da LOA que a Prefeitura elabora (previsão da receita e da dedução, dotação "
        "inicial) e o estorno deles; empenho é escriturado na instalação de camara"
    ]


def test_controle_refeito_dos_gravados_e_estorno() -> None:
    dc1, dc2 = _dot("DC1"), _dot("DC2", "0101.01.031.0002.2002.33903000", "250.00")
    loa = LoaIncorporada([("camara", dc1), ("camara", dc2)])
    assert loa.usados == {"camara": {"DC1", "DC2"}} and loa.aceitos == []
    estorno = _ev(tipo="estorno", id="X1", data="2026-01-03", evento="DC1")
    assert _conferir(loa, estorno) == []
    assert loa.controle.dotacoes[("camara", 2026, DOT_CAM)].fixado == 0
    assert _conferir(loa, estorno._replace(id="X2")) == [
        "campo id: [EXEC-ESTORNO] evento DC1 já foi estornado"
    ]
    assert loa.aceitos == [estorno]
    # Refeito com o estorno gravado: o mesmo estado.
    refeita = LoaIncorporada([("camara", dc1), ("camara", dc2), ("camara", estorno)])
    assert refeita.controle.dotacoes == loa.controle.dotacoes


def test_dotacao_conferida_contra_as_classificacoes() -> None:
    erro = Erro("CAD-DOTACAO", "unidade 01.01 não cadastrada", "dotacao")
    assert _conferir(LoaIncorporada(), _dot("DC1"), lambda ev: [erro]) == [str(erro)]


def test_conferencia_le_os_cadastros_uma_vez_e_pula_a_suplementacao() -> None:
    leituras: list[int] = []

    def carregar() -> dict[str, Classificacoes]:
        leituras.append(1)
        return {"camara": classificacoes_de(())}  # sem cadastros: não confere

    conf = ConferenciaClassificacoes(carregar)
    suplementar = _ev(tipo="credito_adicional", id="C1", dotacao=DOT_CAM, fonte="1500",
                      valor="5.00", modalidade="suplementar", cobertura="superavit")  # fmt: skip
    assert conf.erros(suplementar) == [] and leituras == []
    assert conf.erros(_dot("DC1")) == [] and conf.erros(_dot("DC2")) == []
    assert leituras == [1]
