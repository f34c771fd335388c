"""Formato de troca do orçamento (LOA) da Prefeitura para Câmara e RPPS.

A Prefeitura exporta, por entidade do município (CNPJ e slug), as
classificações (órgão, unidade, programa, ação, fonte: o JSON Lines de
cadastros) e os eventos da LOA (previsão da receita, previsão da dedução e
dotação inicial: o JSON Lines de eventos), docs/consolidacao.md, "Orçamento".
Câmara e RPPS leem só a parte do próprio CNPJ e conferem que as dotações caem
em unidades cadastradas.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, Final, NamedTuple

from erario.consolidacao.formato import canonico, checksum, ler_objeto_json
from erario.core.erros import Erro

FORMATO_ORCAMENTO: Final = "erario-orcamento"
VERSAO_ORCAMENTO: Final = 1
TIPOS_LOA: Final = frozenset({"previsao_receita", "previsao_deducao", "dotacao_inicial"})


class OrcamentoEntidade(NamedTuple):
    cnpj: str
    slug: str
    cadastros: tuple[dict[str, Any], ...]  # {"cadastro": "orgao"|"unidade"|…, …}, sem "entidade"
    eventos: tuple[dict[str, Any], ...]  # eventos da LOA, sem "entidade"


class Orcamento(NamedTuple):
    ibge: str
    ano: int
    entidades: tuple[OrcamentoEntidade, ...]

    def da_entidade(self, cnpj: str) -> OrcamentoEntidade | None:
        return next((e for e in self.entidades if e.cnpj == cnpj), None)


def serializar_orcamento(o: Orcamento) -> bytes:
    doc: dict[str, Any] = {
        "formato": FORMATO_ORCAMENTO,
        "versao": VERSAO_ORCAMENTO,
        "ibge": o.ibge,
        "ano": o.ano,
        "entidades": [
            {
                "cnpj": e.cnpj,
                "slug": e.slug,
                "cadastros": list(e.cadastros),
                "eventos": list(e.eventos),
            }
            for e in o.entidades
        ],
    }
    doc["checksum"] = checksum(doc)
    return canonico(doc)


def ler_orcamento(dados: bytes, origem: str | None = None) -> tuple[Orcamento | None, list[Erro]]:
    obj, erros = ler_objeto_json(dados, origem)
    if obj is None:
        return None, erros

    def erro(regra: str, msg: str, campo: str | None = None) -> None:
        erros.append(Erro(regra, msg, campo, origem=origem))

    if obj.get("formato") != FORMATO_ORCAMENTO:
        erro("CON-FORMATO", f"formato deve ser '{FORMATO_ORCAMENTO}'", "formato")
    if obj.get("versao") != VERSAO_ORCAMENTO:
        erro("CON-VERSAO", f"versão {obj.get('versao')!r} não suportada")
    if obj.get("checksum") != checksum(obj):
        erro("CON-CHECKSUM", "checksum ausente ou não confere: documento alterado ou truncado")
    ibge, ano = obj.get("ibge"), obj.get("ano")
    if not isinstance(ibge, str) or not re.fullmatch(r"\d{7}", ibge):
        erro("CON-ENTIDADE", f"código IBGE {ibge!r} inválido", "ibge")
    if not isinstance(ano, int) or isinstance(ano, bool) or not 1900 < ano < 3000:
        erro("CON-PERIODO", f"ano {ano!r} inválido", "ano")
    entidades: list[OrcamentoEntidade] = []
    lista = obj.get("entidades")
    if not isinstance(lista, list):
        erro("CON-FORMATO", "entidades deve ser uma lista", "entidades")
        lista = []
    for n, e in enumerate(lista, 1):
        if not (
            isinstance(e, dict)
            and isinstance(e.get("cnpj"), str)
            and isinstance(e.get("slug"), str)
            and isinstance(e.get("cadastros"), list)
            and isinstance(e.get("eventos"), list)
            and all(isinstance(x, dict) for x in e["cadastros"] + e["eventos"])
        ):
            erro(
                "CON-FORMATO", f"entidade {n}: informe cnpj, slug, cadastros e eventos", "entidades"
            )
            continue
        fora = sorted({str(ev.get("tipo")) for ev in e["eventos"]} - TIPOS_LOA)
        if fora:
            erro(
                "CON-FORMATO",
                f"entidade {e['slug']}: eventos que não são da LOA: {', '.join(fora)}",
            )
        for campo in ("cnpj", "slug"):
            if any(getattr(x, campo) == e[campo] for x in entidades):
                erro(
                    "CON-ENTIDADE",
                    f"entidade {n}: {campo} {e[campo]} repetido no orçamento (cada entidade do "
                    "município tem CNPJ e slug próprios)",
                    "entidades",
                )
        entidades.append(
            OrcamentoEntidade(e["cnpj"], e["slug"], tuple(e["cadastros"]), tuple(e["eventos"]))
        )
    if erros:
        return None, erros
    assert isinstance(ibge, str) and isinstance(ano, int)
    return Orcamento(ibge, ano, tuple(entidades)), []


def conferir_unidades(
    parte: OrcamentoEntidade, unidades_locais: Collection[tuple[str, str]] = ()
) -> list[Erro]:
    """O orçamento confere com as unidades da entidade que o importa.

    Com unidades já cadastradas localmente, cada unidade do orçamento deve ser
    uma delas (mesmo órgão e código); e cada dotação cai numa unidade do
    orçamento ou local. Sem unidades locais (instalação nova), as do orçamento
    são carregadas.
    """
    do_orcamento = {
        (str(c.get("orgao")), str(c.get("codigo"))): str(c.get("nome", ""))
        for c in parte.cadastros
        if c.get("cadastro") == "unidade"
    }
    erros: list[Erro] = []
    if unidades_locais:
        for (orgao, unidade), nome in sorted(do_orcamento.items()):
            if (orgao, unidade) not in unidades_locais:
                erros.append(
                    Erro(
                        "CON-UNIDADE",
                        f"a unidade {orgao}.{unidade} ({nome}) do orçamento não está cadastrada "
                        f"em {parte.slug}: confira com a Prefeitura as unidades da LOA ou "
                        "cadastre-a antes de importar",
                    )
                )
    unidades = set(unidades_locais) | set(do_orcamento)
    for ev in parte.eventos:
        dotacao = str(ev.get("dotacao", ""))
        if ev.get("tipo") != "dotacao_inicial":
            continue
        chave = (dotacao[:2], dotacao[2:4])
        if chave not in unidades:
            erros.append(
                Erro(
                    "CON-UNIDADE",
                    f"dotação {dotacao} ({ev.get('id')}) na unidade {chave[0]}.{chave[1]}, "
                    f"que não é de {parte.slug}",
                )
            )
    return erros
