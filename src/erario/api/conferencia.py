"""Conferência, no servidor, do que entra: as mesmas regras que a Prefeitura
aplica ao incorporar (``erario.consolidacao``), sem outra cópia delas.

- O balancete é conferido contra o plano de contas que a Prefeitura do
  município publicou para o exercício (``PUT /planos``, feito por ``erario
  consolidacao abrir-competencias``): contas existem e são analíticas, o
  balancete fecha por natureza (``formato.conferir_recebido``).
- O slug identifica a entidade no município: duas entidades do mesmo
  município nunca têm o mesmo slug (no cadastro, no orçamento e no balancete).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import Connection, Engine, select

from erario.api import esquema as t
from erario.consolidacao.plano import ler_plano_publicado
from erario.core.erros import Erro, OperacaoRecusada
from erario.razao.modelo import PlanoContas

TIPO_PLANO = "plano"  # envio.tipo do plano publicado (mês 0, como o orçamento)


def slug_em_uso(con: Connection, ibge: str, slug: str, cnpj: str) -> str | None:
    """CNPJ de outra entidade do município ``ibge`` com o mesmo ``slug``, ou None."""
    e = t.entidade.c
    outro = con.execute(
        select(e.cnpj).where((e.ibge == ibge) & (e.slug == slug) & (e.cnpj != cnpj)).limit(1)
    ).scalar()
    return None if outro is None else str(outro)


def erro_slug_em_uso(slug: str, ibge: str, outro: str) -> Erro:
    return Erro(
        "CON-ENTIDADE",
        f"o slug {slug} já é da entidade {outro} no município {ibge}: cada entidade do "
        "município tem slug próprio (confira CNPJ e slug com o administrador do servidor)",
    )


class Planos:
    """Plano vigente publicado pela Prefeitura de cada município e exercício.

    Lido do banco a cada pedido (a versão vigente pode mudar) e guardado já
    montado pelo checksum: ler o CSV do plano só na primeira vez."""

    def __init__(self, engine: Engine, maximo: int = 16) -> None:
        self.engine = engine
        self._maximo = maximo
        self._montados: OrderedDict[str, PlanoContas] = OrderedDict()
        self._trava = threading.Lock()

    def do_municipio(self, ibge: str, ano: int) -> PlanoContas:
        """O plano vigente; sem plano publicado, CON-PLANO (a Prefeitura deve
        rodar ``abrir-competencias``, que o publica)."""
        e, ent = t.envio.c, t.entidade.c
        with self.engine.connect() as con:
            r = con.execute(
                select(e.id, e.checksum)
                .join(t.entidade, ent.id == e.entidade_id)
                .where(
                    (ent.ibge == ibge) & (ent.tipo == "prefeitura") & (e.tipo == TIPO_PLANO)
                    & (e.ano == ano) & (e.mes == 0)
                )
                .order_by(e.versao.desc())
                .limit(1)
            ).first()  # fmt: skip
            if r is not None:
                with self._trava:
                    plano = self._montados.get(r.checksum)
                    if plano is not None:
                        self._montados.move_to_end(r.checksum)
                        return plano
                dados = con.execute(select(e.dados).where(e.id == r.id)).scalar_one()
        if r is None:
            raise OperacaoRecusada.uma(
                "CON-PLANO",
                f"a Prefeitura do município {ibge} ainda não publicou o plano de contas de {ano} "
                "no servidor, e sem ele o balancete não pode ser conferido: ela deve rodar "
                f"'erario consolidacao abrir-competencias … --ano {ano}' (de novo, se as "
                "competências já estão abertas: repetir publica o plano)",
            )
        pp, erros = ler_plano_publicado(bytes(dados))
        if pp is None:  # foi conferido ao entrar: só um banco mexido à mão chega aqui
            raise OperacaoRecusada(erros)
        with self._trava:
            self._montados[r.checksum] = pp.plano
            while len(self._montados) > self._maximo:
                self._montados.popitem(last=False)
        return pp.plano
