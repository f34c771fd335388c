"""Quem pode o quê na interface web: uma tabela de ação → papel mínimo.

O papel vale por entidade; o papel dado em "todas as entidades" (chave "")
vale em cada uma, e o maior dos dois prevalece."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from erario.storage.web import NIVEL, Papel, Usuario


class Acao(StrEnum):
    CONSULTAR = "consultar"  # painel, consultas, downloads, cadastros, trilha
    LANCAR = "lancar"  # eventos, estornos, lançamento manual, importação
    CADASTRAR = "cadastrar"  # credores, contas bancárias, equivalências SIOPS, escrituração FCONT
    CONCILIAR = "conciliar"  # extrato bancário, confirmar e desfazer casamentos
    ADMINISTRAR = "administrar"  # competências, marcar enviado/entregue, incorporação, usuários


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
