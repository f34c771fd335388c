"""Cadastro de uma entidade: os campos que ela tem de ter antes de ir ao banco
(o armazenamento confere o resto: plano existente, slug e CNPJ sem repetição)."""

from __future__ import annotations

import re

from erario.core.codigos import cnpj_valido, somente_digitos
from erario.core.erros import Erro
from erario.razao.modelo import Entidade, TipoEntidade

_RE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def conferir_entidade(e: Entidade) -> tuple[Entidade, list[Erro]]:
    """A entidade com o CNPJ só em dígitos e todos os erros dos campos."""
    cnpj = somente_digitos(e.cnpj)
    e = e._replace(cnpj=cnpj)
    erros: list[Erro] = []
    if not _RE_SLUG.match(e.slug):
        erros.append(
            Erro(
                "ENT-SLUG",
                f"slug '{e.slug}' inválido: minúsculas, dígitos e hífen, até 40 caracteres",
                "slug",
            )
        )
    if not e.nome.strip():
        erros.append(Erro("ENT-NOME", "nome é obrigatório", "nome"))
    if not cnpj_valido(cnpj):
        erros.append(Erro("ENT-CNPJ", f"CNPJ {e.cnpj} inválido (dígitos verificadores)", "cnpj"))
    if e.tipo not in set(TipoEntidade):
        erros.append(
            Erro("ENT-TIPO", f"tipo '{e.tipo}' inválido: use " + ", ".join(TipoEntidade), "tipo")
        )
    if not re.fullmatch(r"\d{7}", e.ibge):
        erros.append(Erro("ENT-IBGE", f"código IBGE '{e.ibge}' deve ter 7 dígitos", "ibge"))
    if not re.fullmatch(r"\d{5}", e.poder_orgao):
        erros.append(
            Erro(
                "ENT-PODER",
                f"código poder/órgão '{e.poder_orgao}' deve ter 5 dígitos",
                "poder_orgao",
            )
        )
    return e, erros
