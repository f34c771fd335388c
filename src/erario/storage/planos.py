"""Planos de contas no banco: gravar (criar ou acrescentar/atualizar contas),
listar e ler um plano com os ids das contas (o cache fica na ``Sessao``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, insert, select

from erario.core.codigos import Mascara
from erario.core.erros import Erro, OperacaoRecusada
from erario.razao.modelo import Conta, NaturezaInformacao, NaturezaSaldo, PlanoContas
from erario.storage import esquema as t

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao


class PlanoCarregado(NamedTuple):
    id: int
    plano: PlanoContas
    ids: dict[str, int]  # código → id da conta
    codigos: dict[int, str]  # id → código


class ResumoPlano(NamedTuple):
    novas: int
    alteradas: int
    iguais: int


def ler_plano(con: Connection, nome: str) -> PlanoCarregado:
    """O plano gravado com os ids das contas; recusa plano inexistente."""
    linha = con.execute(select(t.plano).where(t.plano.c.nome == nome)).first()
    if linha is None:
        raise OperacaoRecusada.uma("PLANO-INEXISTENTE", f"plano de contas {nome} não existe")
    contas: dict[str, Conta] = {}
    ids: dict[str, int] = {}
    for r in con.execute(
        select(t.conta).where(t.conta.c.plano_id == linha.id).order_by(t.conta.c.codigo)
    ):
        contas[r.codigo] = Conta(
            codigo=r.codigo,
            titulo=r.titulo,
            nivel=r.nivel,
            pai=r.pai,
            analitica=bool(r.analitica),
            natureza_saldo=NaturezaSaldo(r.natureza_saldo),
            natureza_informacao=NaturezaInformacao(r.natureza_informacao),
            superavit=r.superavit,
            conta_corrente=tuple(x for x in r.conta_corrente.split(",") if x),
            funcao=r.funcao,
        )
        ids[r.codigo] = r.id
    mascara = Mascara(tuple(len(s) for s in linha.mascara.split(".")))
    return PlanoCarregado(
        linha.id, PlanoContas(nome, mascara, contas), ids, {v: k for k, v in ids.items()}
    )


class Planos:
    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao

    def gravar_plano(self, plano: PlanoContas) -> ResumoPlano:
        """Cria o plano ou acrescenta/atualiza contas de um existente.

        Conta já movimentada não pode mudar de analítica para sintética nem de
        conta corrente exigida (os saldos existentes perderiam o sentido).
        """
        with self.sessao.engine.begin() as con:
            plano_id = con.execute(
                select(t.plano.c.id).where(t.plano.c.nome == plano.nome)
            ).scalar()
            if plano_id is None:
                plano_id = con.execute(
                    insert(t.plano).values(nome=plano.nome, mascara=str(plano.mascara))
                ).inserted_primary_key[0]  # type: ignore[index]
            else:
                mascara = con.execute(
                    select(t.plano.c.mascara).where(t.plano.c.id == plano_id)
                ).scalar_one()
                if mascara != str(plano.mascara):
                    raise OperacaoRecusada.uma(
                        "PLANO-MASCARA",
                        f"o plano {plano.nome} usa a máscara {mascara}, não {plano.mascara}",
                    )
            existentes = {
                r.codigo: r
                for r in con.execute(select(t.conta).where(t.conta.c.plano_id == plano_id))
            }
            movimentadas = {
                r[0]
                for r in con.execute(
                    select(t.conta.c.codigo)
                    .where(t.conta.c.plano_id == plano_id)
                    .where(
                        select(t.partida.c.conta_id)
                        .where(t.partida.c.conta_id == t.conta.c.id)
                        .exists()
                    )
                )
            }
            novas, alteradas, iguais = [], 0, 0
            erros: list[Erro] = []
            for c in plano.contas.values():
                linha = _linha_conta(plano_id, c)
                atual = existentes.get(c.codigo)
                if atual is None:
                    novas.append(linha)
                    continue
                mudou = {k: v for k, v in linha.items() if getattr(atual, k) != v}
                if not mudou:
                    iguais += 1
                    continue
                if c.codigo in movimentadas and ({"analitica", "conta_corrente"} & set(mudou)):
                    erros.append(
                        Erro(
                            "PLANO-MOVIMENTADA",
                            f"conta {c.codigo} já tem lançamentos: não pode mudar escrituração "
                            "nem conta corrente",
                            "CONTA",
                        )
                    )
                    continue
                con.execute(t.conta.update().where(t.conta.c.id == atual.id).values(**mudou))
                alteradas += 1
            if erros:
                raise OperacaoRecusada(erros)
            if novas:
                con.execute(insert(t.conta), novas)
        self.sessao.esquecer_plano(plano.nome)
        return ResumoPlano(len(novas), alteradas, iguais)

    def planos(self) -> list[str]:
        with self.sessao.engine.connect() as con:
            return list(con.execute(select(t.plano.c.nome).order_by(t.plano.c.nome)).scalars())

    def plano(self, nome: str) -> PlanoContas:
        return self.sessao.plano_carregado(nome).plano


def _linha_conta(plano_id: int, c: Conta) -> dict[str, Any]:
    return {
        "plano_id": plano_id,
        "codigo": c.codigo,
        "titulo": c.titulo,
        "nivel": c.nivel,
        "pai": c.pai,
        "analitica": c.analitica,
        "natureza_saldo": c.natureza_saldo.value,
        "natureza_informacao": c.natureza_informacao.value,
        "superavit": c.superavit,
        "conta_corrente": ",".join(c.conta_corrente),
        "funcao": c.funcao,
    }
