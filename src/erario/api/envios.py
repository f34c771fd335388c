"""Regras do envio ao servidor de dados: quem lê e quem envia o quê, e a gravação
de cada envio como versão nova.

Cada envio é uma versão nova gravada numa transação (o envio interrompido não
grava nada); a versão vigente é a maior e as anteriores ficam no histórico.
Reenvio do mesmo conteúdo não cria versão; envio baseado numa versão que não é
mais a vigente (``versao_anterior``) é recusado como conflito. As recusas saem
como ``Recusa`` (status HTTP e erros), que as rotas (``servidor``) devolvem.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from erario.api import esquema as t
from erario.api.conferencia import erro_slug_em_uso, slug_em_uso
from erario.api.recusa import Recusa
from erario.consolidacao.orcamento import Orcamento
from erario.core.erros import Erro


class EntidadeCadastrada(NamedTuple):
    """A entidade como o servidor a cadastrou (``erario servidor entidade``)."""

    id: int
    cnpj: str
    slug: str
    nome: str
    tipo: str
    ibge: str


def entidades_do_usuario(con: Connection, uid: int) -> list[EntidadeCadastrada]:
    q = (
        select(t.entidade.c.id, t.entidade.c.cnpj, t.entidade.c.slug, t.entidade.c.nome,
               t.entidade.c.tipo, t.entidade.c.ibge)
        .join(t.vinculo, t.vinculo.c.entidade_id == t.entidade.c.id)
        .where(t.vinculo.c.usuario_id == uid)
        .order_by(t.entidade.c.cnpj)
    )  # fmt: skip
    return [EntidadeCadastrada(*r) for r in con.execute(q)]


def entidade_por_cnpj(con: Connection, cnpj: str) -> EntidadeCadastrada:
    r = con.execute(
        select(t.entidade.c.id, t.entidade.c.cnpj, t.entidade.c.slug, t.entidade.c.nome,
               t.entidade.c.tipo, t.entidade.c.ibge).where(t.entidade.c.cnpj == cnpj)
    ).first()  # fmt: skip
    if r is None:
        raise Recusa.uma(404, "CON-ENTIDADE", f"entidade de CNPJ {cnpj} não cadastrada no servidor")
    return EntidadeCadastrada(*r)


def sem_permissao(texto: str) -> Recusa:
    return Recusa.uma(403, "CON-PERMISSAO", texto)


def exigir_vinculo(minhas: list[EntidadeCadastrada], ent: EntidadeCadastrada) -> None:
    """``minhas``: as entidades do usuário (``entidades_do_usuario``)."""
    if ent.id not in {e.id for e in minhas}:
        raise sem_permissao(f"usuário não vinculado à entidade {ent.slug} ({ent.cnpj})")


def exigir_prefeitura(minhas: list[EntidadeCadastrada], ibge: str) -> EntidadeCadastrada:
    """``minhas``: as entidades do usuário (``entidades_do_usuario``)."""
    for e in minhas:
        if e.tipo == "prefeitura" and e.ibge == ibge:
            return e
    raise sem_permissao(f"só a Prefeitura do município {ibge} pode fazer isto")


def exigir_municipio(con: Connection, uid: int, ibge: str) -> None:
    if ibge not in {e.ibge for e in entidades_do_usuario(con, uid)}:
        raise sem_permissao(f"usuário sem entidade no município {ibge}")


def exigir_leitura(con: Connection, uid: int, ent: EntidadeCadastrada) -> None:
    """Lê a própria entidade; a Prefeitura lê as do seu município."""
    minhas = entidades_do_usuario(con, uid)
    if ent.id in {m.id for m in minhas}:
        return
    if any(m.tipo == "prefeitura" and m.ibge == ent.ibge for m in minhas):
        return
    raise sem_permissao(f"usuário sem acesso aos dados de {ent.slug} ({ent.cnpj})")


def vigente(con: Connection, eid: int, tipo: str, ano: int, mes: int) -> Any:
    e = t.envio.c
    return con.execute(
        select(t.envio)
        .where((e.entidade_id == eid) & (e.tipo == tipo) & (e.ano == ano) & (e.mes == mes))
        .order_by(e.versao.desc())
        .limit(1)
    ).first()


def travar_escrita(con: Connection) -> None:
    """SQLite: pega a trava de escrita antes de ler (como ``BEGIN IMMEDIATE``).

    Sem isso, dois envios simultâneos leem o mesmo instantâneo e o segundo a
    escrever falha com "database is locked" (SQLITE_BUSY_SNAPSHOT, que o
    busy_timeout não resolve): a carga de teste (test_servidor_carga) pegou.
    Como primeira instrução da transação, a escrita espera a vez. PostgreSQL:
    nada (a restrição única das versões resolve a corrida)."""
    if con.dialect.name == "sqlite":
        c = t.config.c
        con.execute(t.config.update().where(c.chave == "segredo").values(valor=c.valor))


def gravar_envio(
    engine: Engine, uid: int, ent: EntidadeCadastrada, tipo: str, ano: int, mes: int,
    dados: bytes, soma: str, versao_anterior: int | None,
) -> dict[str, Any]:  # fmt: skip
    """Nova versão numa transação; mesmo conteúdo = nada muda; base desatualizada = conflito."""
    try:
        with engine.begin() as con:
            travar_escrita(con)
            atual = vigente(con, ent.id, tipo, ano, mes)
            versao = atual.versao if atual is not None else 0
            if atual is not None and atual.checksum == soma:
                return {"versao": versao, "alterado": False, "checksum": soma}
            if versao_anterior is not None and versao_anterior != versao:
                raise Recusa.uma(
                    409,
                    "CON-CONFLITO",
                    f"o servidor está na versão {versao}, mas o envio partiu da versão "
                    f"{versao_anterior}: consulte a situação e envie de novo",
                )
            con.execute(
                insert(t.envio).values(
                    entidade_id=ent.id, tipo=tipo, ano=ano, mes=mes, versao=versao + 1,
                    checksum=soma, tamanho=len(dados), dados=dados, usuario_id=uid,
                    recebido_em=dt.datetime.now(dt.UTC),
                )
            )  # fmt: skip
    except IntegrityError:  # outro envio simultâneo gravou a mesma versão
        raise Recusa.uma(
            409,
            "CON-CONFLITO",
            "outro envio da mesma competência chegou ao mesmo tempo; envie de novo",
        ) from None
    return {"versao": versao + 1, "alterado": True, "checksum": soma}


def conferir_entidades_do_orcamento(engine: Engine, ibge: str, orc: Orcamento) -> None:
    """CNPJ e slug de cada entidade do orçamento conferem com o cadastro do servidor
    (a entidade ainda não cadastrada no servidor passa: ninguém a lê, mas não pode
    usar o slug de outra entidade do município)."""
    erros: list[Erro] = []
    ent = t.entidade.c
    with engine.connect() as con:
        for parte in orc.entidades:
            r = con.execute(select(ent.slug, ent.ibge).where(ent.cnpj == parte.cnpj)).first()
            if r is None:
                outro = slug_em_uso(con, ibge, parte.slug, parte.cnpj)
                if outro is not None:
                    erros.append(erro_slug_em_uso(parte.slug, ibge, outro))
                continue
            if r.ibge != ibge:
                erros.append(
                    Erro(
                        "CON-ENTIDADE",
                        f"{parte.slug} ({parte.cnpj}) é do município {r.ibge} no servidor, "
                        f"não de {ibge}: retire-a do orçamento ou corrija o CNPJ",
                    )
                )
            elif r.slug != parte.slug:
                erros.append(
                    Erro(
                        "CON-ENTIDADE",
                        f"o CNPJ {parte.cnpj} está no orçamento com o slug {parte.slug}, mas o "
                        f"servidor conhece {r.slug}: confira CNPJ e slug",
                    )
                )
    if erros:
        raise Recusa(422, erros)
