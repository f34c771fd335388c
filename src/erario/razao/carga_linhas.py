"""Linhas de um arquivo de carga: a marca BOM tirada e, no arquivo binário,
cada linha limitada em bytes e decodificada em UTF-8 com o número nos erros."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Final

from erario.core.erros import Erro

# Limite de uma linha (bytes): recusada cedo, sem ler tudo na memória. No CSV uma
# linha é uma partida (histórico de até 500 caracteres); o JSON Lines tem o seu
# (``carga_jsonl.JSONL_LINHA_MAX``).
LINHA_MAX: Final = 1 << 20


def com_bom_tirado(linhas: Iterable[str]) -> Iterator[str]:
    """As linhas, sem a marca BOM do UTF-8 no começo da primeira."""
    it = iter(linhas)
    primeira = next(it, None)
    if primeira is None:
        return
    yield primeira.lstrip("\ufeff") if primeira.startswith("\ufeff") else primeira
    yield from it


def linhas_limitadas(
    arquivo: IO[bytes],
    erros: list[Erro],
    origem: str,
    limite: int = LINHA_MAX,
    deslocamento: int = 0,
    substituir: bool = True,
) -> Iterator[str]:
    """Linhas de um arquivo binário em UTF-8, cada uma com no máximo ``limite`` bytes.

    Linha maior é recusada (``MIG-LINHA-LONGA``) sem ser lida inteira na memória:
    o resto dela é pulado em pedaços e segue uma linha vazia no lugar. Linha fora
    do UTF-8 vira ``CARGA-CODIFICACAO`` com o número. A marca BOM do começo é
    aceita. ``deslocamento`` soma-se ao número das linhas depois da primeira (o
    cabeçalho seguido do resto de um arquivo já lido em parte)."""
    n = 0
    while True:
        bruto = arquivo.readline(limite + 1)
        if not bruto:
            return
        n += 1
        if len(bruto) > limite and not bruto.endswith(b"\n"):
            while (resto := arquivo.readline(1 << 20)) and not resto.endswith(b"\n"):
                pass
            erros.append(
                Erro(
                    "MIG-LINHA-LONGA",
                    f"linha com mais de {limite // (1 << 20)} MiB: recusada sem ler o resto",
                    None,
                    n if n == 1 else n + deslocamento,
                    origem,
                )
            )
            yield "\n"
            continue
        if n == 1 and bruto.startswith(b"\xef\xbb\xbf"):
            bruto = bruto[3:]
        try:
            yield bruto.decode("utf-8")
        except UnicodeDecodeError as exc:
            erros.append(
                Erro(
                    "CARGA-CODIFICACAO",
                    f"texto fora do UTF-8 (byte {exc.start + 1} da linha): salve o arquivo em UTF-8",
                    None,
                    n if n == 1 else n + deslocamento,
                    origem,
                )
            )
            # CSV: segue com o byte trocado por �, para achar os outros erros da
            # linha; JSON Lines: a linha fica de fora (um lançamento inteiro).
            yield bruto.decode("utf-8", errors="replace") if substituir else "\n"
