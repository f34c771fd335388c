"""Assinaturas dos relatórios por entidade (tabela ``assinatura_relatorio``, 0012).

Só lê e grava linhas; as regras (nome, cargo, CRC) estão em
``erario.relatorios.identificacao.validar_assinaturas``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select

from erario.core.erros import OperacaoRecusada
from erario.relatorios.identificacao import Assinatura, Papel, validar_assinaturas
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio
from erario.storage.sessao import usuario_do_sistema


def assinaturas(repo: Repositorio, slug: str) -> tuple[Assinatura, ...]:
    """As assinaturas da entidade, contador primeiro; nenhuma se não foram cadastradas."""
    repo.entidade(slug)  # ENT-INEXISTENTE
    q = (
        select(t.assinatura_relatorio)
        .join(t.entidade, t.entidade.c.id == t.assinatura_relatorio.c.entidade_id)
        .where(t.entidade.c.slug == slug)
    )
    with repo.engine.connect() as con:
        lidas = [Assinatura(Papel(r.papel), r.nome, r.cargo, r.registro) for r in con.execute(q)]
    ordem = list(Papel)
    return tuple(sorted(lidas, key=lambda a: ordem.index(a.papel)))


def gravar_assinaturas(
    repo: Repositorio, slug: str, novas: tuple[Assinatura, ...], usuario: str | None = None
) -> tuple[Assinatura, ...]:
    """Grava (substitui) as assinaturas dos papéis informados, tudo ou nada, com
    registro em auditoria; devolve o bloco inteiro da entidade depois da gravação."""
    erros = validar_assinaturas(novas)
    if erros:
        raise OperacaoRecusada(erros)
    repo.entidade(slug)  # ENT-INEXISTENTE
    with repo.engine.begin() as con:
        eid = con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == slug)).scalar_one()
        for a in novas:
            con.execute(
                delete(t.assinatura_relatorio).where(
                    t.assinatura_relatorio.c.entidade_id == eid,
                    t.assinatura_relatorio.c.papel == a.papel.value,
                )
            )
            con.execute(
                insert(t.assinatura_relatorio).values(
                    entidade_id=eid,
                    papel=a.papel.value,
                    nome=a.nome.strip(),
                    cargo=a.cargo.strip(),
                    registro=a.registro,
                )
            )
            con.execute(
                insert(t.auditoria).values(
                    quando=dt.datetime.now(dt.UTC),
                    usuario=usuario or usuario_do_sistema(),
                    acao="assinatura",
                    entidade_id=eid,
                    detalhe=f"{a.papel.value}: {a.nome.strip()} ({a.rotulo()})",
                )
            )
    return assinaturas(repo, slug)
