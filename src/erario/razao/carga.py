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
import difflib
import gc
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any, Final, NamedTuple

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
# ``tipo`` é opcional: sem a coluna (ou com a célula vazia), a linha é ordinária.
OBRIGATORIAS_LANCAMENTOS: Final = tuple(c for c in COLUNAS_LANCAMENTOS if c != "tipo")
OPCIONAIS_LANCAMENTOS: Final = ("tipo", "origem", "estornado")
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
# Sufixo do número da parte de um lançamento dividido por tipo (``dividir_por_tipo``).
_SUFIXO_TIPO: Final = {"ordinario": "O", "abertura": "A", "encerramento": "E"}
# Limites de uma linha (bytes): recusada cedo, sem ler tudo na memória. No CSV uma
# linha é uma partida (histórico de até 500 caracteres); no JSON Lines, um
# lançamento inteiro (até milhares de partidas).
LINHA_MAX: Final = 1 << 20
JSONL_LINHA_MAX: Final = 64 << 20
COLUNAS_SALDOS: Final = ("entidade", "conta", "conta_corrente", "valor", "dc")
TIPOS_LANCAMENTO: Final = {t.value: t for t in TipoLancamento}
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


def sugestao(nome: str, aceitos: Iterable[str]) -> str:
    """`` (quis dizer 'x'?)`` com o nome aceito mais parecido, ou vazio."""
    parecidos = difflib.get_close_matches(nome, list(aceitos), n=1, cutoff=0.6)
    return f" (quis dizer '{parecidos[0]}'?)" if parecidos else ""


def indice_do_cabecalho(
    campos: list[str],
    obrigatorias: Iterable[str],
    origem: str,
    opcionais: Iterable[str] | None = None,
) -> tuple[dict[str, int], list[Erro]]:
    """Índice das colunas pelo nome e os erros do cabeçalho.

    Com ``opcionais``, coluna desconhecida é recusada (``MIG-COLUNA-DESCONHECIDA``,
    com as aceitas e a mais parecida): uma coluna ``estornad`` mal escrita não
    pode fazer um estorno entrar como lançamento comum. Cabeçalho de uma coluna só
    com vírgulas: ``MIG-SEPARADOR`` (o separador é ``;``)."""
    nomes = [c.strip().lower().lstrip("\ufeff") for c in campos]
    indice = {n: i for i, n in enumerate(nomes)}
    obrigatorias = list(obrigatorias)
    faltam = [c for c in obrigatorias if c not in indice]
    if faltam and len(nomes) == 1 and ("," in nomes[0] or "\t" in nomes[0]):
        separador = "vírgula" if "," in nomes[0] else "tabulação"
        return indice, [
            Erro(
                "MIG-SEPARADOR",
                f"o cabeçalho não tem ';': o arquivo parece separado por {separador}; "
                "o separador das colunas é ';' (ponto e vírgula)",
                None,
                1,
                origem,
            )
        ]
    erros = []
    if faltam:
        erros.append(
            Erro("CARGA-CABECALHO", "faltam as colunas: " + ", ".join(faltam), None, 1, origem)
        )
    if opcionais is not None:
        aceitas = [*obrigatorias, *opcionais]
        for n in nomes:
            if n not in aceitas:
                erros.append(
                    Erro(
                        "MIG-COLUNA-DESCONHECIDA",
                        f"coluna '{n}' desconhecida{sugestao(n, aceitas)}; as aceitas são "
                        + ", ".join(aceitas),
                        n,
                        1,
                        origem,
                    )
                )
        repetidas = sorted({n for n in nomes if nomes.count(n) > 1})
        if repetidas:
            erros.append(
                Erro(
                    "MIG-COLUNA-REPETIDA",
                    "colunas repetidas no cabeçalho: " + ", ".join(repetidas),
                    None,
                    1,
                    origem,
                )
            )
    return indice, erros


def _tipo_de(texto: str) -> TipoLancamento | None:
    """Tipo da linha; vazio (ou coluna ausente) é ordinário."""
    return TIPOS_LANCAMENTO.get(texto.strip().lower() or TipoLancamento.ORDINARIO.value)


def dividir_por_tipo(
    lanc: Lancamento, tipos: list[TipoLancamento]
) -> tuple[list[Lancamento], Erro | None]:
    """Lançamento cujas linhas têm tipos diferentes (ordinário e encerramento, p. ex.:
    sistemas que marcam a linha, não o lançamento) vira um lançamento por tipo.

    A parte do tipo da primeira linha fica com o número; as outras recebem o
    número com o sufixo do tipo (``-O`` ordinário, ``-A`` abertura, ``-E``
    encerramento) e o histórico da sua primeira linha. Cada parte é validada
    sozinha (precisa fechar débitos e créditos). Estorno não se divide: é
    recusado (``MIG-TIPO-MISTO``), porque tem de ser o inverso de um lançamento só.
    """
    if len(set(tipos)) == 1:
        return [lanc._replace(tipo=tipos[0])], None
    if lanc.estorno:
        return [], Erro(
            "MIG-TIPO-MISTO",
            f"o estorno {lanc.numero} tem linhas de tipos diferentes "
            f"({', '.join(dict.fromkeys(tipos))}): um estorno é o inverso de um só lançamento",
            "tipo",
        )
    grupos: dict[TipoLancamento, list[Partida]] = {}
    for p, tipo in zip(lanc.partidas, tipos, strict=True):
        grupos.setdefault(tipo, []).append(p)
    geral = lanc.historico.strip()
    saida = []
    for k, (tipo, partidas) in enumerate(grupos.items()):
        historico = geral if k == 0 else (partidas[0].historico or geral)
        saida.append(
            lanc._replace(
                numero=lanc.numero if k == 0 else f"{lanc.numero}-{_SUFIXO_TIPO[tipo]}",
                tipo=tipo,
                historico=historico,
                partidas=tuple(
                    p._replace(
                        historico=""
                        if (p.historico or geral) == historico
                        else p.historico or geral
                    )
                    for p in partidas
                ),
            )
        )
    return saida, None


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

    Histórico por linha: o da primeira linha é o do lançamento; a linha com
    outro (não vazio) o guarda na sua partida. Tipo por linha: linhas de tipos
    diferentes no mesmo número viram um lançamento por tipo (``dividir_por_tipo``).
    """
    leitor = csv.reader(_com_bom_tirado(linhas), delimiter=";", strict=True)
    try:
        indice, erros = indice_do_cabecalho(
            next(leitor), OBRIGATORIAS_LANCAMENTOS, origem, OPCIONAIS_LANCAMENTOS
        )
    except StopIteration:
        yield Lote([], [], [Erro("CARGA-VAZIO", "arquivo vazio", None, None, origem)])
        return
    except csv.Error as exc:
        yield Lote(
            [],
            [],
            [Erro("CARGA-CSV", f"cabeçalho mal formado: {erro_csv(exc)}", None, 1, origem)],
        )
        return
    if erros:
        yield Lote([], [], erros)
        return
    (i_ent, i_num, i_data, i_hist, i_conta, i_dc, i_valor, i_cc) = (
        indice[c] for c in OBRIGATORIAS_LANCAMENTOS
    )
    i_tipo = indice.get("tipo")
    i_origem = indice.get("origem")
    i_estornado = indice.get("estornado")
    largura = max(indice.values()) + 1
    datas = _Datas()
    lancs: list[Lancamento] = []
    inicio: list[int] = []
    atual_chave: tuple[str, str] | None = None
    atual_cab: list[Any] = []
    atual_partidas: list[Partida] = []
    atual_tipos: list[TipoLancamento] = []
    atual_linhas: list[int] = []
    atual_linha = 0
    atual_ok = True
    atual_data_txt = ""
    atual_hist = ""

    def fechar() -> None:
        if atual_chave is None or not atual_ok:
            return
        entidade, numero, data, historico, orig, estornado = atual_cab
        lanc = Lancamento(
            entidade,
            data,
            historico,
            tuple(atual_partidas),
            numero,
            atual_tipos[0] if atual_tipos else TipoLancamento.ORDINARIO,
            LIVRO_CONTABIL,
            orig,
            estornado is not None,
            estornado,
        )
        if not atual_tipos or all(t is atual_tipos[0] for t in atual_tipos):
            lancs.append(lanc)
            inicio.append(atual_linha)
            return
        partes, erro = dividir_por_tipo(lanc, atual_tipos)
        if erro is not None:
            erros.append(erro.em(linha=atual_linha, origem=origem))
            return
        for parte in partes:
            lancs.append(parte)
            inicio.append(atual_linhas[atual_tipos.index(parte.tipo)])

    n = 1
    while True:
        try:
            campos = next(leitor)
        except StopIteration:
            break
        except csv.Error as exc:
            n = leitor.line_num + deslocamento
            erros.append(Erro("CARGA-CSV", f"linha mal formada: {erro_csv(exc)}", None, n, origem))
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
                atual_tipos, atual_linhas = [], []
            atual_ok = False
            continue
        chave = (campos[i_ent], campos[i_num])
        if chave != atual_chave:
            fechar()
            if len(lancs) >= tamanho:
                yield Lote(lancs, inicio, erros)
                lancs, inicio, erros = [], [], []
            atual_chave, atual_partidas, atual_linha, atual_ok = chave, [], n, True
            atual_tipos, atual_linhas = [], []
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
            orig = (campos[i_origem].strip() or None) if i_origem is not None else None
            estornado = (campos[i_estornado].strip() or None) if i_estornado is not None else None
            atual_cab = [chave[0], chave[1], data, campos[i_hist], orig, estornado]
            atual_hist = campos[i_hist].strip()
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
        tipo_txt = campos[i_tipo] if i_tipo is not None else ""
        # Célula vazia: o tipo da primeira linha do lançamento (nela, ordinário).
        tipo = atual_tipos[0] if atual_tipos and not tipo_txt.strip() else _tipo_de(tipo_txt)
        if tipo is None:
            erros.append(
                Erro(
                    "CARGA-TIPO",
                    f"tipo '{tipo_txt.strip().lower()}' inválido: use "
                    + ", ".join(TIPOS_LANCAMENTO)
                    + " (vazio: ordinario)",
                    "tipo",
                    n,
                    origem,
                )
            )
            atual_ok = False
            continue
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
        hist = campos[i_hist]
        if hist != atual_hist:
            hist = hist.strip()
        atual_partidas.append(
            Partida(
                campos[i_conta].strip(),
                dc,
                centavos,
                campos[i_cc].strip(),
                # Linha sem histórico, ou com o do lançamento: vale o do lançamento.
                "" if hist == atual_hist else hist,
            )
        )
        atual_tipos.append(tipo)
        atual_linhas.append(n)
    fechar()
    if avanco is not None:
        avanco(n % 50000)
    yield Lote(lancs, inicio, erros)


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
# Mensagens do leitor de CSV do Python (csv.Error) em português.
_MENSAGENS_CSV: Final = (
    ("field larger than field limit", "campo maior que o limite de tamanho"),
    ("unexpected end of data", "fim inesperado dos dados (aspas sem fechamento?)"),
    ("new-line character seen in unquoted field", "quebra de linha dentro de campo sem aspas"),
    ("'\\x00' ", "caractere nulo (byte zero) no arquivo"),
    ("line contains NUL", "caractere nulo (byte zero) no arquivo"),
    ("',' expected after '\"'", "esperava ';' depois de aspas de fechamento"),
    ("';' expected after '\"'", "esperava ';' depois de aspas de fechamento"),
)


def erro_json(exc: json.JSONDecodeError) -> str:
    """Mensagem em português de um erro do leitor de JSON, com a coluna."""
    return f"{_MENSAGENS_JSON.get(exc.msg, exc.msg)} (coluna {exc.colno})"


def erro_csv(exc: csv.Error) -> str:
    """Mensagem em português de um erro do leitor de CSV."""
    texto = str(exc)
    for ingles, portugues in _MENSAGENS_CSV:
        if ingles in texto:
            return portugues
    return texto


def _com_bom_tirado(linhas: Iterable[str]) -> Iterator[str]:
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
    for n, texto in enumerate(_com_bom_tirado(linhas), start=1):  # type: ignore[arg-type]
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
        tipo = _tipo_de(str(obj.get("tipo") or ""))
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
            t = _tipo_de(str(p.get("tipo") or "")) if isinstance(p, dict) and "tipo" in p else tipo
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


def ler_saldos_abertura_csv(linhas: Iterable[str], ano: int, origem: str = "arquivo") -> Lote:
    """Saldos de implantação: um lançamento de abertura (1º/jan, período 0) por entidade.

    Conta que não tem saldo de abertura (classes 3 e 4, 5.2 e 6.2:
    ``LANC-ABERTURA-CONTA``) é relatada na sua linha e fica fora do lançamento,
    como as outras linhas com erro."""
    leitor = csv.reader(_com_bom_tirado(linhas), delimiter=";")
    try:
        indice, erros = indice_do_cabecalho(next(leitor), COLUNAS_SALDOS, origem, ())
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

    yield linha((*COLUNAS_LANCAMENTOS, "origem", "estornado"))
    for lc in lancs:
        for p in lc.partidas:
            yield linha(
                (
                    lc.entidade,
                    lc.numero,
                    lc.data.isoformat(),
                    lc.tipo.value,
                    p.historico or lc.historico,  # o da linha, se a partida tem o seu
                    p.conta,
                    p.dc,
                    texto_de_centavos(p.centavos),
                    p.conta_corrente,
                    lc.origem or "",
                    lc.estornado or "",
                )
            )
