"""Leitura de um arquivo JSON Lines de eventos noutro processo (carga em massa).

Na carga de um ano inteiro, ler e conferir cada linha (JSON, campos, a forma
compacta) é ~1/5 do tempo de cada evento na thread principal, e a máquina tem um
segundo núcleo quase livre. A partir de ``TAMANHO_PARALELO`` bytes, um processo filho
(``python -m erario.execucao.leitura_paralela``) faz a mesma leitura de
``carga.iterar_eventos_jsonl`` e manda, em lotes (pickle pela saída padrão), a
linha, a forma compacta e o texto de cada evento com os erros de leitura das
linhas anteriores a ele; o pai só remonta o evento da forma compacta
(``forma_compacta.descompactar``). O consumidor vê os mesmos eventos, os mesmos
erros na mesma ordem e os mesmos textos que na leitura num só processo.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

from erario.core.erros import Erro
from erario.execucao.carga import EventoCarga, TextosLidos, iterar_eventos_jsonl
from erario.execucao.forma_compacta import compactar, descompactar

# A partir daqui o filho compensa: partir um processo custa ~0,1 s, e a leitura
# de cada evento, ~5 µs (4 MiB ≈ 18 mil eventos).
TAMANHO_PARALELO: Final = 4 * 1024 * 1024
LOTE: Final = 1000  # eventos por mensagem do filho
_CABECALHO: Final = 8  # bytes do tamanho de cada mensagem


def eventos_do_arquivo(
    caminho: Path,
    origem: str,
    erros: list[Erro],
    textos: TextosLidos | None = None,
    *,
    paralelo: bool | None = None,
) -> Iterator[tuple[int, EventoCarga]]:
    """Como ``iterar_eventos_jsonl`` sobre o arquivo (UTF-8): os erros de leitura
    entram em ``erros`` à medida que os eventos saem. ``paralelo`` None: noutro
    processo a partir de ``TAMANHO_PARALELO`` bytes."""
    if paralelo is None:
        paralelo = bool(sys.executable) and caminho.stat().st_size >= TAMANHO_PARALELO
    if not paralelo:
        with caminho.open(encoding="utf-8", newline="") as f:
            yield from iterar_eventos_jsonl(f, origem, erros, textos)
        return
    yield from _do_filho(caminho, origem, erros, textos)


def _do_filho(
    caminho: Path, origem: str, erros: list[Erro], textos: TextosLidos | None
) -> Iterator[tuple[int, EventoCarga]]:
    raiz = str(Path(__file__).resolve().parents[2])  # a pasta do pacote erario
    ambiente = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (raiz, os.environ.get("PYTHONPATH")) if p),
    }
    comando = [
        sys.executable,
        "-m",
        __name__,
        str(caminho),
        origem,
        "1" if textos is not None else "",
    ]
    # O erro do filho num arquivo: um cano de erros cheio o travaria.
    with tempfile.TemporaryFile() as erro_filho:
        proc = subprocess.Popen(
            comando,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=erro_filho,
            env=ambiente,
        )
        assert proc.stdout is not None
        try:
            while (mensagem := _receber(proc.stdout)) is not None:
                tipo, itens, finais, excecao = mensagem
                for linha, compacto, texto, erros_antes in itens:
                    if erros_antes:
                        erros.extend(erros_antes)
                    ev = descompactar(compacto)
                    assert ev is not None  # a versão do filho é a deste processo
                    if texto is not None and textos is not None:
                        textos[id(ev)] = (ev, texto, compacto)
                    yield linha, ev
                erros.extend(finais)
                if excecao is not None:  # o que a leitura num só processo levantaria
                    raise excecao
                if tipo == "fim":
                    return
            proc.wait()
            erro_filho.seek(0)
            detalhe = erro_filho.read().decode("utf-8", "replace").strip()
            raise RuntimeError(
                f"a leitura de {caminho.name} noutro processo parou (código {proc.returncode})"
                + (f": {detalhe[-2000:]}" if detalhe else "")
            )
        finally:
            if proc.poll() is None:  # parou no meio (recusa, Ctrl-C) ou já mandou tudo
                proc.kill()
            proc.wait()
            proc.stdout.close()


def _receber(entrada: IO[bytes]) -> tuple[Any, ...] | None:
    cabecalho = entrada.read(_CABECALHO)
    if len(cabecalho) < _CABECALHO:
        return None
    tamanho = int.from_bytes(cabecalho, "little")
    dados = entrada.read(tamanho)
    if len(dados) < tamanho:
        return None
    mensagem: tuple[Any, ...] = pickle.loads(dados)  # do nosso próprio filho
    return mensagem


def _enviar(saida: IO[bytes], mensagem: tuple[Any, ...]) -> None:
    dados = pickle.dumps(mensagem, pickle.HIGHEST_PROTOCOL)
    saida.write(len(dados).to_bytes(_CABECALHO, "little"))
    saida.write(dados)


def _filho(caminho: str, origem: str, com_textos: bool) -> None:
    """Lê o arquivo e manda as mensagens (tipo, itens, erros depois do último
    item, exceção): "lote" a cada ``LOTE`` eventos e, no fim, "fim" (ou a exceção
    que parou a leitura, como ``UnicodeDecodeError``)."""
    saida = sys.stdout.buffer
    erros: list[Erro] = []
    textos: TextosLidos = {}
    lote: list[tuple[int, str, str | None, list[Erro] | None]] = []
    try:
        with open(caminho, encoding="utf-8", newline="") as f:
            for linha, ev in iterar_eventos_jsonl(f, origem, erros, textos if com_textos else None):
                lido = textos.pop(id(ev), None)
                lote.append((linha, compactar(ev), lido[1] if lido else None, erros[:] or None))
                erros.clear()
                if len(lote) == LOTE:
                    _enviar(saida, ("lote", lote, [], None))
                    lote = []
    except Exception as exc:  # vai para o pai, que a levanta
        try:
            pickle.dumps(exc)
        except Exception:  # sem pickle: o texto dela
            exc = RuntimeError(repr(exc))
        _enviar(saida, ("fim", lote, erros, exc))
    else:
        _enviar(saida, ("fim", lote, erros, None))
    saida.flush()


if __name__ == "__main__":
    _filho(sys.argv[1], sys.argv[2], bool(sys.argv[3]))
