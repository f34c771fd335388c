"""Leitura dos arquivos de carga (CSV e JSON Lines) em lançamentos.

Puro: texto entra, lançamentos e erros saem. Todo problema é reportado com
linha e campo; nada para no primeiro. A gravação (tudo ou nada) é do
repositório. O esquema de cada formato está em ``docs/importacao.md``.

CSV de lançamentos (``;``, UTF-8, cabeçalho obrigatório), uma linha por partida;
linhas consecutivas com a mesma entidade e o mesmo número formam um lançamento::

    entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente[;origem][;estornado]

CSV de saldos de abertura (implantação), uma linha por conta e conta corrente;
gera um lançamento de abertura (período 0, 1º de janeiro) por entidade::

    entidade;conta;conta_corrente;valor;dc
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Final, NamedTuple

from erario.core.dinheiro import ValorInvalido, centavos_de_texto, texto_de_centavos
from erario.core.erros import Erro
from erario.razao.modelo import LIVRO_CONTABIL, Lancamento, Partida, TipoLancamento, texto_cc
from erario.razao.validacao import erro_conta_abertura

COLUNAS_LANCAMENTOS: Final = (
    "entidade",
    "numero",
    "data",
    "tipo",
    "historico",
    "conta",
    "dc",
    "valor",
    "conta_corrente",
)
OPCIONAIS_LANCAMENTOS: Final = ("origem", "estornado")
COLUNAS_SALDOS: Final = ("entidade", "conta", "conta_corrente", "valor", "dc")
_TIPOS: Final = {t.value: t for t in TipoLancamento}
_RE_DATA: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TAMANHO_BLOCO: Final = 20000  # lançamentos por bloco nas cargas em fluxo


class Lote(NamedTuple):
    """Resultado da leitura: lançamentos, a linha em que cada um começa e os erros."""

    lancamentos: list[Lancamento]
    linhas: list[int]
    erros: list[Erro]

    @property
    def partidas(self) -> int:
        return sum(len(lc.partidas) for lc in self.lancamentos)


Avanco = Callable[[int], None]


class _Datas:
    """Cache de datas ISO (há poucas datas distintas num ano de lançamentos)."""

    def __init__(self) -> None:
        self._cache: dict[str, dt.date] = {}

    def __call__(self, texto: str) -> dt.date:
        d = self._cache.get(texto)
        if d is None:
            d = self._cache[texto] = data_iso(texto)
        return d


def data_iso(texto: str) -> dt.date:
    """Só ``AAAA-MM-DD`` (o ``fromisoformat`` do Python 3.11 aceita outras formas)."""
    if not _RE_DATA.fullmatch(texto):
        raise ValueError(texto)
    return dt.date.fromisoformat(texto)


@contextmanager
def sem_coleta_ciclica() -> Iterator[None]:
    """Pausa o coletor de ciclos do Python durante uma carga em massa.

    Instâncias de ``NamedTuple`` (``Partida``, ``Lancamento``) ficam sempre sob o
    coletor, e cada coleta completa percorre todas as já criadas: com 1 milhão de
    partidas, as coletas levavam cerca de 40% da leitura. As cargas não criam
    ciclos (tudo é liberado por contagem de referências). A pausa vale para o
    processo todo (o coletor é global) e a coleta volta ao sair, se estava
    ligada. Serve também de decorador.
    """
    ligado = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if ligado:
            gc.enable()


def _erro_colunas(colunas: int, largura: int, linha: int, origem: str) -> Erro:
    return Erro(
        "CARGA-COLUNAS", f"linha com {colunas} colunas; esperadas {largura}", None, linha, origem
    )


def _cabecalho(
    campos: list[str], obrigatorias: Iterable[str], origem: str
) -> tuple[dict[str, int], list[Erro]]:
    nomes = [c.strip().lower().lstrip("\ufeff") for c in campos]
    indice = {n: i for i, n in enumerate(nomes)}
    faltam = [c for c in obrigatorias if c not in indice]
    if faltam:
        return indice, [
            Erro("CARGA-CABECALHO", "faltam as colunas: " + ", ".join(faltam), None, 1, origem)
        ]
    return indice, []


@sem_coleta_ciclica()
def ler_lancamentos_csv(
    linhas: Iterable[str], origem: str = "arquivo", avanco: Avanco | None = None
) -> Lote:
    """Lê o arquivo inteiro num só ``Lote`` (ver ``ler_lancamentos_csv_em_blocos``)."""
    total = Lote([], [], [])
    for bloco in ler_lancamentos_csv_em_blocos(linhas, origem, avanco):
        total.lancamentos.extend(bloco.lancamentos)
        total.linhas.extend(bloco.linhas)
        total.erros.extend(bloco.erros)
    return total


def ler_lancamentos_csv_em_blocos(
    linhas: Iterable[str],
    origem: str = "arquivo",
    avanco: Avanco | None = None,
    tamanho: int = TAMANHO_BLOCO,
    deslocamento: int = 0,
) -> Iterator[Lote]:
    """Lê o CSV de lançamentos em blocos de cerca de ``tamanho`` lançamentos.

    Cada bloco traz os lançamentos completos lidos até ali (um lançamento nunca
    se divide entre blocos) e os erros das suas linhas; a memória fica
    proporcional ao bloco, não ao arquivo. ``deslocamento`` soma-se aos números
    das linhas depois do cabeçalho (quando ``linhas`` é o cabeçalho seguido do
    resto de um arquivo já lido em parte).
    """
    leitor = csv.reader(linhas, delimiter=";", strict=True)
    try:
        indice, erros = _cabecalho(next(leitor), COLUNAS_LANCAMENTOS, origem)
    except StopIteration:
        yield Lote([], [], [Erro("CARGA-VAZIO", "arquivo vazio", None, None, origem)])
        return
    except csv.Error as exc:
        yield Lote([], [], [Erro("CARGA-CSV", f"cabeçalho mal formado: {exc}", None, 1, origem)])
        return
    if erros:
        yield Lote([], [], erros)
        return
    (i_ent, i_num, i_data, i_tipo, i_hist, i_conta, i_dc, i_valor, i_cc) = (
        indice[c] for c in COLUNAS_LANCAMENTOS
    )
    i_origem = indice.get("origem")
    i_estornado = indice.get("estornado")
    largura = max(indice.values()) + 1
    datas = _Datas()
    lancs: list[Lancamento] = []
    inicio: list[int] = []
    atual_chave: tuple[str, str] | None = None
    atual_cab: list[Any] = []
    atual_partidas: list[Partida] = []
    atual_linha = 0
    atual_ok = True
    atual_data_txt = ""

    def fechar() -> None:
        if atual_chave is not None and atual_ok:
            entidade, numero, data, tipo, historico, orig, estornado = atual_cab
            lancs.append(
                Lancamento(
                    entidade,
                    data,
                    historico,
                    tuple(atual_partidas),
                    numero,
                    tipo,
                    LIVRO_CONTABIL,
                    orig,
                    estornado is not None,
                    estornado,
                )
            )
            inicio.append(atual_linha)

    n = 1
    while True:
        try:
            campos = next(leitor)
        except StopIteration:
            break
        except csv.Error as exc:
            n = leitor.line_num + deslocamento
            erros.append(Erro("CARGA-CSV", f"linha mal formada: {exc}", None, n, origem))
            atual_ok = False
            continue
        anterior, n = n, leitor.line_num + deslocamento
        if avanco is not None and n // 50000 != anterior // 50000:
            avanco(50000)
        if len(campos) < largura:
            if not any(c.strip() for c in campos):
                continue
            erros.append(_erro_colunas(len(campos), largura, n, origem))
            # A linha curta invalida só o lançamento a que pertence (se dá para saber).
            chave_curta = (
                (campos[i_ent], campos[i_num]) if len(campos) > max(i_ent, i_num) else None
            )
            if chave_curta != atual_chave:
                fechar()
                atual_chave, atual_partidas, atual_linha = chave_curta, [], n
            atual_ok = False
            continue
        chave = (campos[i_ent], campos[i_num])
        if chave != atual_chave:
            fechar()
            if len(lancs) >= tamanho:
                yield Lote(lancs, inicio, erros)
                lancs, inicio, erros = [], [], []
            atual_chave, atual_partidas, atual_linha, atual_ok = chave, [], n, True
            erros_cab = len(erros)
            if not chave[1]:
                erros.append(
                    Erro(
                        "CARGA-NUMERO",
                        "número de controle é obrigatório no CSV",
                        "numero",
                        n,
                        origem,
                    )
                )
            try:
                data = datas(campos[i_data])
            except ValueError:
                data = dt.date.min
                erros.append(
                    Erro(
                        "CARGA-DATA",
                        f"data '{campos[i_data]}' inválida: use AAAA-MM-DD",
                        "data",
                        n,
                        origem,
                    )
                )
            tipo_txt = campos[i_tipo].strip().lower() or TipoLancamento.ORDINARIO.value
            tipo = _TIPOS.get(tipo_txt)
            if tipo is None:
                erros.append(
                    Erro(
                        "CARGA-TIPO",
                        f"tipo '{tipo_txt}' inválido: use " + ", ".join(_TIPOS),
                        "tipo",
                        n,
                        origem,
                    )
                )
            orig = (campos[i_origem].strip() or None) if i_origem is not None else None
            estornado = (campos[i_estornado].strip() or None) if i_estornado is not None else None
            atual_cab = [chave[0], chave[1], data, tipo, campos[i_hist], orig, estornado]
            atual_data_txt = campos[i_data]
            if len(erros) > erros_cab:
                atual_ok = False
        elif campos[i_data] != atual_data_txt:
            erros.append(
                Erro(
                    "CARGA-CABECALHO-DIVERGE",
                    f"data difere da primeira linha do lançamento {chave[1]} (linha {atual_linha})",
                    "data",
                    n,
                    origem,
                )
            )
            atual_ok = False
        dc = campos[i_dc]
        if dc != "D" and dc != "C":
            dc = dc.strip().upper()
            if dc not in ("D", "C"):
                erros.append(
                    Erro(
                        "CARGA-DC",
                        f"natureza '{campos[i_dc]}' inválida: use D ou C",
                        "dc",
                        n,
                        origem,
                    )
                )
                atual_ok = False
                continue
        try:
            centavos = centavos_de_texto(campos[i_valor].strip())
        except ValorInvalido as exc:
            erros.append(Erro("CARGA-VALOR", str(exc), "valor", n, origem))
            atual_ok = False
            continue
        if centavos == 0:
            erros.append(Erro("CARGA-VALOR", "valor deve ser positivo", "valor", n, origem))
            atual_ok = False
            continue
        atual_partidas.append(Partida(campos[i_conta].strip(), dc, centavos, campos[i_cc].strip()))
    fechar()
    if avanco is not None:
        avanco(n % 50000)
    yield Lote(lancs, inicio, erros)


def _partida_json(p: Any, n: int, i: int, origem: str, erros: list[Erro]) -> Partida | None:
    campo = f"partidas[{i}]"
    if not isinstance(p, dict):
        erros.append(Erro("CARGA-JSON", "partida deve ser um objeto", campo, n, origem))
        return None
    conta, dc, valor, cc = p.get("conta"), p.get("dc"), p.get("valor"), p.get("conta_corrente", "")
    if not isinstance(conta, str) or not conta:
        erros.append(Erro("CARGA-JSON", "conta é obrigatória (texto)", f"{campo}.conta", n, origem))
        return None
    if dc not in ("D", "C"):
        erros.append(
            Erro("CARGA-DC", f"natureza '{dc}' inválida: use D ou C", f"{campo}.dc", n, origem)
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
    return Partida(conta.strip(), dc, centavos, cc)


def ler_lancamentos_jsonl(
    linhas: Iterable[str], origem: str = "arquivo", avanco: Avanco | None = None
) -> Lote:
    """Um lançamento por linha: ``{"entidade", "numero"?, "data", "tipo"?, "historico",
    "origem"?, "estornado"?, "partidas": [{"conta", "dc", "valor", "conta_corrente"?}]}``.

    Números JSON são lidos como texto exato (nunca float) antes de virar centavos.
    """
    lancs: list[Lancamento] = []
    inicio: list[int] = []
    erros: list[Erro] = []
    n = 0
    for n, texto in enumerate(linhas, start=1):
        if avanco is not None and n % 10000 == 0:
            avanco(10000)
        if not texto.strip():
            continue
        try:
            obj = json.loads(texto, parse_float=str)
        except json.JSONDecodeError as exc:
            erros.append(
                Erro(
                    "CARGA-JSON", f"JSON inválido: {exc.msg} (coluna {exc.colno})", None, n, origem
                )
            )
            continue
        if not isinstance(obj, dict):
            erros.append(Erro("CARGA-JSON", "cada linha deve ser um objeto JSON", None, n, origem))
            continue
        antes = len(erros)
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
        tipo = _TIPOS.get(str(obj.get("tipo") or TipoLancamento.ORDINARIO.value))
        if tipo is None:
            erros.append(
                Erro(
                    "CARGA-TIPO",
                    f"tipo '{obj.get('tipo')}' inválido: use " + ", ".join(_TIPOS),
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
        if len(erros) > antes or tipo is None:
            continue
        estornado = obj.get("estornado")
        lancs.append(
            Lancamento(
                entidade=obj["entidade"],
                data=data,
                historico=obj["historico"],
                partidas=tuple(p for p in partidas if p is not None),
                numero=numero,
                tipo=tipo,
                origem=obj.get("origem"),
                estorno=estornado is not None,
                estornado=str(estornado) if estornado is not None else None,
            )
        )
        inicio.append(n)
    if avanco is not None:
        avanco(n % 10000)
    return Lote(lancs, inicio, erros)


def ler_saldos_abertura_csv(linhas: Iterable[str], ano: int, origem: str = "arquivo") -> Lote:
    """Saldos de implantação: um lançamento de abertura (1º/jan, período 0) por entidade.

    Conta que não tem saldo de abertura (classes 3 e 4, 5.2 e 6.2:
    ``LANC-ABERTURA-CONTA``) é relatada na sua linha e fica fora do lançamento,
    como as outras linhas com erro."""
    leitor = csv.reader(linhas, delimiter=";")
    try:
        indice, erros = _cabecalho(next(leitor), COLUNAS_SALDOS, origem)
    except StopIteration:
        return Lote([], [], [Erro("CARGA-VAZIO", "arquivo vazio", None, None, origem)])
    if erros:
        return Lote([], [], erros)
    i_ent, i_conta, i_cc, i_valor, i_dc = (indice[c] for c in COLUNAS_SALDOS)
    largura = max(indice.values()) + 1
    por_entidade: dict[str, list[Partida]] = {}
    primeira: dict[str, int] = {}
    for n, campos in enumerate(leitor, start=2):
        if len(campos) < largura:
            if any(c.strip() for c in campos):
                erros.append(_erro_colunas(len(campos), largura, n, origem))
            continue
        dc = campos[i_dc].strip().upper()
        if dc not in ("D", "C"):
            erros.append(
                Erro("CARGA-DC", f"natureza '{campos[i_dc]}' inválida: use D ou C", "dc", n, origem)
            )
            continue
        try:
            centavos = centavos_de_texto(campos[i_valor].strip())
        except ValorInvalido as exc:
            erros.append(Erro("CARGA-VALOR", str(exc), "valor", n, origem))
            continue
        if centavos == 0:
            continue  # saldo zero não precisa de implantação
        conta = campos[i_conta].strip()
        vedada = erro_conta_abertura(conta)
        if vedada is not None:  # a regra do Validador, aqui com a linha de cada conta
            erros.append(vedada.em(linha=n, origem=origem))
            continue
        entidade = campos[i_ent].strip()
        primeira.setdefault(entidade, n)
        por_entidade.setdefault(entidade, []).append(
            Partida(conta, dc, centavos, campos[i_cc].strip())
        )
    lancs = [
        Lancamento(
            entidade=entidade,
            data=dt.date(ano, 1, 1),
            historico=f"Implantação de saldos de abertura do exercício {ano}",
            partidas=tuple(partidas),
            tipo=TipoLancamento.ABERTURA,
            origem=origem[:100],
        )
        for entidade, partidas in por_entidade.items()
    ]
    return Lote(lancs, [primeira[e] for e in por_entidade], erros)


def escrever_lancamentos_csv(lancs: Iterable[Lancamento]) -> Iterator[str]:
    """Linhas do CSV de lançamentos (ida e volta exata com ``ler_lancamentos_csv``).

    Campos com ``;``, aspas ou quebras de linha saem entre aspas (``csv.writer``).
    """
    saida = io.StringIO()
    w = csv.writer(saida, delimiter=";", lineterminator="\n")

    def linha(campos: Iterable[object]) -> str:
        saida.seek(0)
        saida.truncate()
        w.writerow(campos)
        return saida.getvalue()

    yield linha((*COLUNAS_LANCAMENTOS, *OPCIONAIS_LANCAMENTOS))
    for lc in lancs:
        for p in lc.partidas:
            yield linha(
                (
                    lc.entidade,
                    lc.numero,
                    lc.data.isoformat(),
                    lc.tipo.value,
                    lc.historico,
                    p.conta,
                    p.dc,
                    texto_de_centavos(p.centavos),
                    p.conta_corrente,
                    lc.origem or "",
                    lc.estornado or "",
                )
            )
