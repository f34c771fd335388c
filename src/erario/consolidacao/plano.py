"""Plano de contas publicado pela Prefeitura no servidor de dados on-line.

O servidor confere cada balancete recebido com as mesmas regras que a
Prefeitura aplica ao incorporá-lo (``formato.conferir_recebido``: contas do
plano existem e são analíticas, o balancete fecha por natureza da informação).
Para isso precisa do plano da Prefeitura: ``erario consolidacao
abrir-competencias`` o publica junto com as competências do exercício.

Documento: JSON canônico ``{"formato": "erario-plano", "versao": 1, "ibge",
"ano", "nome", "csv", "checksum"}`` — ``csv`` no padrão de
``razao.plano.escrever_plano_csv`` (ida e volta sem perda) —, comprimido com
gzip para o envio (o PCASP Federação tem ~76 KB de CSV e ~15 KB comprimido).
"""

from __future__ import annotations

import gzip
import re
import zlib
from typing import Final, NamedTuple

from erario.consolidacao.formato import canonico, checksum, ler_objeto_json
from erario.core.erros import Erro
from erario.razao.modelo import PlanoContas
from erario.razao.plano import escrever_plano_csv, ler_plano_csv

FORMATO_PLANO: Final = "erario-plano"
VERSAO_PLANO: Final = 1
MAIOR_DESCOMPRIMIDO: Final = 64 * 2**20  # nenhum plano real chega perto


class PlanoPublicado(NamedTuple):
    ibge: str
    ano: int
    plano: PlanoContas


def serializar_plano(plano: PlanoContas, ibge: str, ano: int) -> bytes:
    """O documento comprimido (gzip sem data: o mesmo plano dá os mesmos bytes)."""
    doc = {
        "formato": FORMATO_PLANO,
        "versao": VERSAO_PLANO,
        "ibge": ibge,
        "ano": ano,
        "nome": plano.nome,
        "csv": escrever_plano_csv(plano),
    }
    doc["checksum"] = checksum(doc)
    return gzip.compress(canonico(doc), mtime=0)


def _descomprimir(dados: bytes) -> bytes | None:
    """Conteúdo do gzip, ou None se não for gzip ou passar de ``MAIOR_DESCOMPRIMIDO``."""
    d = zlib.decompressobj(wbits=31)
    try:
        saida = d.decompress(dados, MAIOR_DESCOMPRIMIDO + 1)
    except zlib.error:
        return None
    if len(saida) > MAIOR_DESCOMPRIMIDO or not d.eof:
        return None
    return saida


def ler_plano_publicado(
    dados: bytes, origem: str = "plano publicado"
) -> tuple[PlanoPublicado | None, list[Erro]]:
    """Lê e confere o documento (lista todos os problemas, CON-* e PLANO-*)."""
    bruto = _descomprimir(dados)
    if bruto is None:
        return None, [
            Erro(
                "CON-JSON",
                f"o plano deve vir comprimido com gzip e ter até {MAIOR_DESCOMPRIMIDO} bytes",
                origem=origem,
            )
        ]
    obj, erros = ler_objeto_json(bruto, origem)
    if obj is None:
        return None, erros
    if obj.get("formato") != FORMATO_PLANO:
        erros.append(
            Erro("CON-FORMATO", f"formato deve ser '{FORMATO_PLANO}'", "formato", None, origem)
        )
    if obj.get("versao") != VERSAO_PLANO:
        erros.append(
            Erro("CON-VERSAO", f"versão {obj.get('versao')!r} não suportada", origem=origem)
        )
    if obj.get("checksum") != checksum(obj):
        erros.append(
            Erro(
                "CON-CHECKSUM",
                "checksum ausente ou não confere: documento alterado ou truncado",
                origem=origem,
            )
        )
    ibge, ano, nome, texto = obj.get("ibge"), obj.get("ano"), obj.get("nome"), obj.get("csv")
    if not isinstance(ibge, str) or not re.fullmatch(r"\d{7}", ibge):
        erros.append(Erro("CON-ENTIDADE", f"código IBGE {ibge!r} inválido", "ibge", None, origem))
    if not isinstance(ano, int) or isinstance(ano, bool) or not 1900 < ano < 3000:
        erros.append(Erro("CON-PERIODO", f"ano {ano!r} inválido", "ano", None, origem))
    if not isinstance(nome, str) or not nome or not isinstance(texto, str):
        erros.append(Erro("CON-FORMATO", "informe o nome e o csv do plano", "nome", None, origem))
    if erros:
        return None, erros
    assert isinstance(ibge, str) and isinstance(ano, int)
    assert isinstance(nome, str) and isinstance(texto, str)
    plano, erros = ler_plano_csv(texto, nome, origem)
    if plano is None:
        return None, erros
    return PlanoPublicado(ibge, ano, plano), []
