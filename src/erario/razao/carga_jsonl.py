"""Leitura do JSON Lines de lançamentos: um lançamento por linha.

Puro: texto entra, lançamentos e erros saem; todo problema é reportado com
linha e campo. Números JSON são lidos como texto exato (nunca float); chaves
desconhecidas ou repetidas são recusadas. O esquema está em
``docs/importacao.md``."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import IO, Any, Final

from erario.core.dinheiro import ValorInvalido, centavos_de_texto
from erario.core.erros import Erro
from erario.razao.carga_linhas import com_bom_tirado, linhas_limitadas
from erario.razao.carga_lote import (
    TIPOS_LANCAMENTO,
    Avanco,
    Lote,
    data_iso,
    dividir_por_tipo,
    sugestao,
    tipo_de,
)
from erario.razao.modelo import Lancamento, Partida, TipoLancamento, texto_cc

CHAVES_LANCAMENTO_JSON: Final = (
    "entidade",
    "numero",
    "data",
    "tipo",
    "historico",
    "origem",
    "estornado",
    "partidas",
)
CHAVES_PARTIDA_JSON: Final = ("conta", "dc", "valor", "conta_corrente", "historico", "tipo")
# Limite de uma linha (bytes): no JSON Lines, um lançamento inteiro (até
# milhares de partidas); recusada cedo, sem ler tudo na memória.
JSONL_LINHA_MAX: Final = 64 << 20
# Mensagens do leitor de JSON do Python (json.JSONDecodeError.msg) em português.
_MENSAGENS_JSON: Final = {
    "Expecting value": "esperava um valor",
    "Expecting ',' delimiter": "esperava ','",
    "Expecting ':' delimiter": "esperava ':'",
    "Expecting property name enclosed in double quotes": "esperava nome de campo entre aspas duplas",
    "Unterminated string starting at": "texto sem aspas de fechamento",
    "Invalid control character at": "caractere de controle dentro de texto",
    "Invalid \\escape": "sequência de escape inválida",
    "Invalid \\uXXXX escape": "escape \\uXXXX inválido",
    "Extra data": "sobra conteúdo depois do objeto",
    "Illegal trailing comma before end of object": "vírgula sobrando antes de '}'",
    "Illegal trailing comma before end of array": "vírgula sobrando antes de ']'",
}


def erro_json(exc: json.JSONDecodeError) -> str:
    """Mensagem em português de um erro do leitor de JSON, com a coluna."""
    return f"{_MENSAGENS_JSON.get(exc.msg, exc.msg)} (coluna {exc.colno})"


class _ObjetoJson(dict[str, Any]):
    """Objeto JSON que lembra as chaves repetidas (o ``json`` do Python fica com a última)."""

    repetidas: list[str]


def _objeto_json(pares: list[tuple[str, Any]]) -> _ObjetoJson:
    obj = _ObjetoJson(pares)
    obj.repetidas = [k for k, _ in pares] if len(obj) != len(pares) else []
    if obj.repetidas:
        vistas: set[str] = set()
        obj.repetidas = [k for k in obj.repetidas if k in vistas or vistas.add(k)]  # type: ignore[func-returns-value]
    return obj


def _conferir_chaves(
    obj: dict[str, Any], aceitas: tuple[str, ...], campo: str, n: int, origem: str
) -> list[Erro]:
    """Chaves desconhecidas e repetidas de um objeto JSON (recusadas, nunca ignoradas)."""
    erros = []
    prefixo = f"{campo}." if campo else ""
    for k in obj:
        if k not in aceitas:
            erros.append(
                Erro(
                    "MIG-CHAVE-DESCONHECIDA",
                    f"chave '{k}' desconhecida{sugestao(k, aceitas)}; as aceitas são "
                    + ", ".join(aceitas),
                    prefixo + k,
                    n,
                    origem,
                )
            )
    for k in dict.fromkeys(getattr(obj, "repetidas", ())):
        erros.append(
            Erro(
                "MIG-CHAVE-DUPLICADA",
                f"chave '{k}' repetida no mesmo objeto: informe-a uma vez",
                prefixo + k,
                n,
                origem,
            )
        )
    return erros


def ler_json(texto: str) -> Any:
    """``json.loads`` da carga: números não inteiros como texto exato (nunca float)
    e objetos que lembram chaves repetidas. Levanta ``ValueError`` com mensagem em
    português também para aninhamento profundo demais e inteiro de milhares de
    dígitos (que o ``json`` do Python relata como ``RecursionError``/``ValueError``)."""
    try:
        return json.loads(texto, parse_float=str, object_pairs_hook=_objeto_json)
    except json.JSONDecodeError as exc:
        raise ValueError(f"JSON inválido: {erro_json(exc)}") from None
    except RecursionError:
        raise ValueError("JSON inválido: aninhamento de objetos/listas profundo demais") from None
    except ValueError:  # inteiro com mais dígitos que o limite do Python
        raise ValueError("JSON inválido: número com dígitos demais") from None


def _partida_json(p: Any, n: int, i: int, origem: str, erros: list[Erro]) -> Partida | None:
    campo = f"partidas[{i}]"
    if not isinstance(p, dict):
        erros.append(Erro("CARGA-JSON", "partida deve ser um objeto", campo, n, origem))
        return None
    desconhecidas = _conferir_chaves(p, CHAVES_PARTIDA_JSON, campo, n, origem)
    if desconhecidas:
        erros.extend(desconhecidas)
        return None
    conta, dc, valor, cc = p.get("conta"), p.get("dc"), p.get("valor"), p.get("conta_corrente", "")
    historico = p.get("historico", "")
    if not isinstance(conta, str) or not conta:
        erros.append(Erro("CARGA-JSON", "conta é obrigatória (texto)", f"{campo}.conta", n, origem))
        return None
    if dc not in ("D", "C"):
        erros.append(
            Erro("CARGA-DC", f"natureza '{dc}' inválida: use D ou C", f"{campo}.dc", n, origem)
        )
        return None
    if not isinstance(historico, str):
        erros.append(
            Erro("CARGA-JSON", "historico deve ser texto", f"{campo}.historico", n, origem)
        )
        return None
    if isinstance(valor, int) and not isinstance(valor, bool):
        valor = str(valor)
    if not isinstance(valor, str):
        erros.append(
            Erro("CARGA-VALOR", "valor deve ser texto ou número", f"{campo}.valor", n, origem)
        )
        return None
    try:
        centavos = centavos_de_texto(valor)
    except ValorInvalido as exc:
        erros.append(Erro("CARGA-VALOR", str(exc), f"{campo}.valor", n, origem))
        return None
    if isinstance(cc, dict):
        cc = texto_cc({str(k): str(v) for k, v in cc.items()})
    elif not isinstance(cc, str):
        erros.append(
            Erro(
                "CARGA-JSON",
                "conta_corrente deve ser objeto ou texto",
                f"{campo}.conta_corrente",
                n,
                origem,
            )
        )
        return None
    return Partida(conta.strip(), dc, centavos, cc, historico.strip())


def ler_lancamentos_jsonl(
    linhas: Iterable[str] | IO[bytes], origem: str = "arquivo", avanco: Avanco | None = None
) -> Lote:
    """Um lançamento por linha: ``{"entidade", "numero"?, "data", "tipo"?, "historico",
    "origem"?, "estornado"?, "partidas": [{"conta", "dc", "valor", "conta_corrente"?,
    "historico"?, "tipo"?}]}``.

    Números JSON são lidos como texto exato (nunca float) antes de virar centavos.
    Chaves desconhecidas ou repetidas são recusadas. ``linhas`` pode ser o arquivo
    binário: cada linha é limitada a ``JSONL_LINHA_MAX`` bytes e decodificada com
    o número da linha nos erros.
    """
    lancs: list[Lancamento] = []
    inicio: list[int] = []
    erros: list[Erro] = []
    if isinstance(linhas, io.IOBase) and not isinstance(linhas, io.TextIOBase):
        linhas = linhas_limitadas(linhas, erros, origem, JSONL_LINHA_MAX, substituir=False)
    n = 0
    for n, texto in enumerate(com_bom_tirado(linhas), start=1):  # type: ignore[arg-type]
        if avanco is not None and n % 10000 == 0:
            avanco(10000)
        if not texto.strip():
            continue
        try:
            obj = ler_json(texto)
        except ValueError as exc:
            erros.append(Erro("CARGA-JSON", str(exc), None, n, origem))
            continue
        if not isinstance(obj, dict):
            erros.append(Erro("CARGA-JSON", "cada linha deve ser um objeto JSON", None, n, origem))
            continue
        antes = len(erros)
        erros.extend(_conferir_chaves(obj, CHAVES_LANCAMENTO_JSON, "", n, origem))
        for campo in ("entidade", "data", "historico"):
            if not isinstance(obj.get(campo), str):
                erros.append(Erro("CARGA-JSON", f"{campo} é obrigatório (texto)", campo, n, origem))
        data = dt.date.min
        if isinstance(obj.get("data"), str):
            try:
                data = data_iso(obj["data"])
            except ValueError:
                erros.append(
                    Erro(
                        "CARGA-DATA",
                        f"data '{obj['data']}' inválida: use AAAA-MM-DD",
                        "data",
                        n,
                        origem,
                    )
                )
        tipo = tipo_de(str(obj.get("tipo") or ""))
        if tipo is None:
            erros.append(
                Erro(
                    "CARGA-TIPO",
                    f"tipo '{obj.get('tipo')}' inválido: use " + ", ".join(TIPOS_LANCAMENTO),
                    "tipo",
                    n,
                    origem,
                )
            )
        numero = obj.get("numero")
        if numero is not None and not isinstance(numero, str):
            numero = str(numero)
        brutas = obj.get("partidas")
        if not isinstance(brutas, list):
            erros.append(Erro("CARGA-JSON", "partidas deve ser uma lista", "partidas", n, origem))
            brutas = []
        partidas = [_partida_json(p, n, i, origem, erros) for i, p in enumerate(brutas)]
        tipos: list[TipoLancamento] = []
        for i, p in enumerate(brutas):
            t = tipo_de(str(p.get("tipo") or "")) if isinstance(p, dict) and "tipo" in p else tipo
            if t is None:
                erros.append(
                    Erro(
                        "CARGA-TIPO",
                        f"tipo '{p.get('tipo')}' inválido: use " + ", ".join(TIPOS_LANCAMENTO),
                        f"partidas[{i}].tipo",
                        n,
                        origem,
                    )
                )
            tipos.append(t or TipoLancamento.ORDINARIO)
        if len(erros) > antes or tipo is None:
            continue
        estornado = obj.get("estornado")
        historico = obj["historico"]
        lanc = Lancamento(
            entidade=obj["entidade"],
            data=data,
            historico=historico,
            partidas=tuple(
                p._replace(historico="") if p.historico == historico.strip() else p
                for p in partidas
                if p is not None
            ),
            numero=numero,
            tipo=tipo,
            origem=obj.get("origem"),
            estorno=estornado is not None,
            estornado=str(estornado) if estornado is not None else None,
        )
        partes, erro = dividir_por_tipo(lanc, tipos) if tipos else ([lanc], None)
        if erro is not None:
            erros.append(erro.em(linha=n, origem=origem))
            continue
        for parte in partes:
            lancs.append(parte)
            inicio.append(n)
    if avanco is not None:
        avanco(n % 10000)
    return Lote(lancs, inicio, erros)
