"""Carga de lançamentos em CSV com o acelerador em C (``_carga_csv``).

O caminho de referência é ``razao.carga_csv.ler_lancamentos_csv_em_blocos`` seguido
da validação e gravação de ``Carga``. O acelerador lê o arquivo em pedaços de
bytes e, para cada lançamento sem nada de incomum, faz o mesmo trabalho sem
criar objetos ``Lancamento``: as regras que dependem do plano, da entidade e da
competência vêm das mesmas funções do caminho de referência (chamadas uma vez
por valor distinto). No primeiro trecho que o acelerador recusa (erro, aspas,
estorno, formato alternativo de valor…), o resto do arquivo segue pelo caminho
de referência, que relata os erros com linha e campo. O resultado é o mesmo
pelos dois caminhos (``tests/test_carga_csv.py`` confere).

Sem o módulo compilado (instalação sem compilador C), tudo segue pelo caminho
de referência.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import IO, Any

from erario.core.erros import Erro
from erario.razao.carga import (
    COLUNAS_LANCAMENTOS,
    LINHA_MAX,
    OBRIGATORIAS_LANCAMENTOS,
    OPCIONAIS_LANCAMENTOS,
    TAMANHO_BLOCO,
    TIPOS_LANCAMENTO,
    Avanco,
    data_iso,
    indice_do_cabecalho,
    ler_lancamentos_csv_em_blocos,
    linhas_limitadas,
    sem_coleta_ciclica,
)
from erario.razao.modelo import (
    LIVRO_CONTABIL,
    Lancamento,
    NaturezaInformacao,
    Partida,
    TipoLancamento,
    periodo_de,
)
from erario.razao.validacao import erro_conta_abertura
from erario.storage.carga_razao import pacotes_do_bloco
from erario.storage.gravacao import Gravador, gravador_da_carga

try:
    from erario.storage import _carga_csv  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depende da instalação
    _carga_csv = None

ACELERADO = _carga_csv is not None
PEDACO = 8 << 20  # bytes lidos por vez (memória constante)
MAX_COLUNAS = 64  # MAX_CAMPOS de _carga_csv.c
_NATUREZAS = {n: i for i, n in enumerate(NaturezaInformacao)}


class _Encadeado(io.RawIOBase):
    """Bytes já lidos seguidos do resto do arquivo, como um só fluxo."""

    def __init__(self, inicio: bytes, resto: IO[bytes]) -> None:
        self._inicio = memoryview(inicio)
        self._resto = resto

    def readable(self) -> bool:
        return True

    def readinto(self, destino: Any) -> int:
        if self._inicio:
            n = min(len(destino), len(self._inicio))
            destino[:n] = self._inicio[:n]
            self._inicio = self._inicio[n:]
            return n
        dados = self._resto.read(len(destino))
        destino[: len(dados)] = dados
        return len(dados)


@sem_coleta_ciclica()
def ler_e_gravar(
    carga: Any,
    arquivo: IO[bytes],
    origem: str,
    progresso: Callable[[int], None] | None = None,
    avanco: Avanco | None = None,
    acelerar: bool = True,
) -> None:
    """Passa o CSV inteiro pela ``Carga`` (ver o módulo). ``avanco`` recebe linhas lidas."""
    bruto = arquivo.readline(LINHA_MAX + 1)
    try:
        cab_texto = bruto.decode("utf-8")
    except UnicodeDecodeError:
        cab_texto = ""
    indice, erros = indice_do_cabecalho(
        cab_texto.rstrip("\r\n").split(";"),
        OBRIGATORIAS_LANCAMENTOS,
        origem,
        OPCIONAIS_LANCAMENTOS,
    )
    if (
        _carga_csv is None
        or not acelerar
        or erros
        or '"' in cab_texto
        or not bruto.strip()
        or not bruto.endswith(b"\n")
    ):
        _referencia(carga, bruto, arquivo, origem, 0, progresso, avanco)
        return
    colunas = (
        *(indice.get(c, -1) for c in COLUNAS_LANCAMENTOS),  # tipo é opcional: -1
        indice.get("origem", -1),
        indice.get("estornado", -1),
    )
    largura = max(indice.values()) + 1
    if largura > MAX_COLUNAS:
        _referencia(carga, bruto, arquivo, origem, 0, progresso, avanco)
        return
    with gravador_da_carga(carga.con, carga.gravar) as gravador:
        _acelerado(carga, arquivo, bruto, colunas, largura, origem, progresso, avanco, gravador)


def _acelerado(
    carga: Any,
    arquivo: IO[bytes],
    bruto: bytes,
    colunas: tuple[int, ...],
    largura: int,
    origem: str,
    progresso: Callable[[int], None] | None,
    avanco: Avanco | None,
    gravador: Gravador | None,
) -> None:
    """O laço do acelerador; com ``gravador``, as linhas vêm empacotadas e são
    gravadas ao lado (``storage.gravacao``)."""
    atalhos = _Atalhos(carga)
    texto = b""
    pos = 0
    linha = 1  # última linha já processada (o cabeçalho)
    final = False
    while not final:
        pedaco = arquivo.read(PEDACO)
        final = not pedaco
        texto = texto[pos:] + pedaco
        pos = 0
        if len(texto) > LINHA_MAX and b"\n" not in texto[:LINHA_MAX]:
            # Linha grande demais: o caminho de referência a recusa sem lê-la inteira.
            if gravador is not None:
                gravador.esperar()
            _referencia(
                carga, bruto, _Encadeado(texto, arquivo), origem, linha - 1, progresso, avanco
            )
            return
        while True:
            r = _carga_csv.ler(
                texto,
                pos,
                final,
                colunas,
                largura,
                atalhos.cabecalhos,
                atalhos.cabecalho_de,
                carga.numeros,
                carga.proximo,
                TAMANHO_BLOCO,
                gravador is not None,
            )
            if r is None or not carga.bloco_pronto(*r[2:]):
                if gravador is not None:
                    gravador.esperar()  # o caminho em Python grava pelo pysqlite
                _referencia(
                    carga,
                    bruto,
                    _Encadeado(texto[pos:], arquivo),
                    origem,
                    linha - 1,
                    progresso,
                    avanco,
                )
                return
            fim, linhas, chaves = r[0], r[1], r[5]
            if gravador is not None and chaves:
                gravador.gravar(pacotes_do_bloco(r[2], r[3]))
            if not linhas:
                break
            pos = fim
            linha += linhas
            if progresso:
                progresso(len(chaves))
            if avanco:
                avanco(linhas)


def _referencia(
    carga: Any,
    cabecalho: bytes,
    resto: IO[bytes] | io.RawIOBase,
    origem: str,
    deslocamento: int,
    progresso: Callable[[int], None] | None,
    avanco: Avanco | None,
) -> None:
    binario = io.BufferedReader(_Encadeado(cabecalho, resto))  # type: ignore[arg-type]
    erros_codificacao: list[Erro] = []
    linhas = linhas_limitadas(binario, erros_codificacao, origem, LINHA_MAX, deslocamento)
    for lote in ler_lancamentos_csv_em_blocos(linhas, origem, avanco, deslocamento=deslocamento):
        carga.bloco(lote.lancamentos, lote.linhas, progresso, lote.erros)
    carga.erros.extend(erros_codificacao)  # recusam a carga inteira em concluir()


class _Atalhos:
    """Caches e funções que o acelerador consulta (regras do caminho de referência)."""

    def __init__(self, carga: Any) -> None:
        self.carga = carga
        self.cabecalhos: dict[bytes, Any] = {}
        # por (plano, abertura): abertura recusa as contas sem saldo de abertura
        self._por_plano: dict[
            tuple[str, bool], tuple[dict[bytes, Any], Callable[[str, str], Any]]
        ] = {}
        # Índices densos que o acelerador usa para somar saldos sem dicionário.
        self._periodos: dict[tuple[int, int, str, int], int] = {}
        self._contas: dict[tuple[int, str], int] = {}

    def _resolucao(
        self, plano: str, abertura: bool
    ) -> tuple[dict[bytes, Any], Callable[[str, str], Any]]:
        r = self._por_plano.get((plano, abertura))
        if r is None:
            validador = self.carga.validador(plano)
            ids = self.carga.sessao.plano_carregado(plano, self.carga.con).ids

            def resolver(conta: str, cc: str) -> tuple[int, str, int, tuple[int, str], int] | None:
                codigo, canonica, natureza, erros = validador.resolver(conta, cc)
                if erros or natureza is None:
                    return None
                if abertura and erro_conta_abertura(codigo) is not None:
                    return None  # LANC-ABERTURA-CONTA: o caminho de referência relata
                conta_id = ids[codigo]
                chave = (conta_id, canonica)
                indice = self._contas.setdefault(chave, len(self._contas))
                return (conta_id, canonica, _NATUREZAS[natureza], chave, indice)

            r = self._por_plano[(plano, abertura)] = ({}, resolver)
        return r

    def cabecalho_de(self, slug: str, data_txt: str, tipo_txt: str) -> tuple[Any, ...] | None:
        """Cabeçalho válido → tupla que o acelerador usa; com erro → None."""
        info = self.carga.entidades.get(slug)
        if info is None:
            return None
        eid, plano = info
        try:
            data = data_iso(data_txt)
        except ValueError:
            return None
        tipo = TIPOS_LANCAMENTO.get(tipo_txt.strip().lower() or TipoLancamento.ORDINARIO.value)
        if tipo is None:
            return None
        # As mesmas regras de cabeçalho do Validador (competência, abertura…),
        # aplicadas a um lançamento-modelo com esta entidade, data e tipo.
        modelo = Lancamento(
            slug, data, "h", (Partida("", "D", 1, ""), Partida("", "C", 1, "")), "1", tipo
        )
        if self.carga.validador(plano).erros_do_cabecalho(modelo, "h"):
            return None
        abertura = tipo == TipoLancamento.ABERTURA  # estornos não chegam aqui
        if abertura and self.carga.abertura_implantada(slug, data.year) is not None:
            return None  # LANC-ABERTURA-DUPLICADA: o caminho de referência relata
        periodo = periodo_de(tipo, data)
        valor_data: dt.date | str = data.isoformat() if self.carga.sqlite else data
        resolvidas, resolver = self._resolucao(plano, abertura)
        chave = (eid, data.year, LIVRO_CONTABIL, periodo)
        return (
            eid,
            valor_data,
            data.year,
            periodo,
            tipo.value,
            LIVRO_CONTABIL,
            chave,
            resolvidas,
            resolver,
            self._periodos.setdefault(chave, len(self._periodos)),
        )
