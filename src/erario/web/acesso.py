"""Quem pode o quê na interface web: uma tabela de ação → papel mínimo.

O papel vale por entidade; o papel dado em "todas as entidades" (chave "")
vale em cada uma, e o maior dos dois prevalece."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from erario.storage.web import NIVEL, Papel, Usuario


class Acao(StrEnum):
    CONSULTAR = "consultar"  # painel, consultas, downloads, cadastros, trilha, situação do servidor
    LANCAR = "lancar"  # eventos, estornos, lançamento manual, importação, envios ao servidor
    CADASTRAR = "cadastrar"  # credores, contas, classificações, SIOPS, escrituração FCONT
    CONCILIAR = "conciliar"  # extrato bancário, confirmar e desfazer casamentos
    ADMINISTRAR = "administrar"  # competências (aqui e no servidor), enviado/entregue,
    # incorporação, usuários


PAPEL_MINIMO: Final[dict[Acao, Papel]] = {
    Acao.CONSULTAR: Papel.CONSULTA,
    Acao.LANCAR: Papel.CONTADOR,
    Acao.CADASTRAR: Papel.CONTADOR,
    Acao.CONCILIAR: Papel.CONTADOR,
    Acao.ADMINISTRAR: Papel.ADMINISTRADOR,
}


def papel_em(usuario: Usuario, slug: str) -> Papel | None:
    candidatos = [p for s, p in usuario.papeis.items() if s in ("", slug)]
    return max(candidatos, key=NIVEL.__getitem__) if candidatos else None


def pode(usuario: Usuario, slug: str, acao: Acao) -> bool:
    papel = papel_em(usuario, slug)
    return papel is not None and NIVEL[papel] >= NIVEL[PAPEL_MINIMO[acao]]


def entidades_visiveis(usuario: Usuario, todas: list[str]) -> list[str]:
    return [s for s in todas if papel_em(usuario, s) is not None]


# ----------------------------------------------------------- gestão de usuários
def administra_todas(usuario: Usuario) -> bool:
    return usuario.papeis.get("") == Papel.ADMINISTRADOR


def pode_conceder(admin: Usuario, slug: str) -> bool:
    """Dar ou tirar papel na entidade ``slug`` (``""`` = todas): só quem a administra."""
    return administra_todas(admin) if slug == "" else pode(admin, slug, Acao.ADMINISTRAR)


def pode_gerir(admin: Usuario, alvo: Usuario) -> bool:
    """Desativar, reativar ou redefinir a senha de ``alvo``: só quem administra cada
    entidade em que ele tem papel (o administrador de uma entidade não toma a conta
    de quem também trabalha em outra); usuário sem papel, só o de todas."""
    if administra_todas(admin):
        return True
    return bool(alvo.papeis) and all(pode_conceder(admin, s) for s in alvo.papeis)


def ve_usuario(admin: Usuario, alvo: Usuario) -> bool:
    """O usuário aparece na lista de ``admin``: tem papel numa entidade que ele
    administra (ou em todas); o administrador de todas vê todos."""
    if administra_todas(admin):
        return True
    return any(s == "" or pode_conceder(admin, s) for s in alvo.papeis)
