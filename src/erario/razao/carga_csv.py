"""Leitura e escrita dos CSV de carga (``;``, UTF-8, cabeçalho obrigatório).

Puro: texto entra, lançamentos e erros saem; todo problema é reportado com
linha e campo. O esquema está em ``docs/importacao.md``.

CSV de lançamentos, uma linha por partida; linhas consecutivas com a mesma
entidade e o mesmo número formam um lançamento::

    entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente[;origem][;estornado]

CSV de saldos de abertura (implantação), uma linha por conta e conta corrente;
gera um lançamento de abertura (período 0, 1º de janeiro) por entidade::

    entidade;conta;conta_corrente;valor;dc
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any, Final

from erario.core.dinheiro import ValorInvalido, centavos_de_texto, texto_de_centavos
from erario.core.erros import Erro
from erario.razao.carga_linhas import com_bom_tirado
from erario.razao.carga_lote import (
    TAMANHO_BLOCO,
    TIPOS_LANCAMENTO,
    Avanco,
    Datas,
    Lote,
    dividir_por_tipo,
    sem_coleta_ciclica,
    sugestao,
    tipo_de,
)
from erario.razao.modelo import LIVRO_CONTABIL, Lancamento, Partida, TipoLancamento
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
COLUNAS_SALDOS: Final = ("entidade", "conta", "conta_corrente", "valor", "dc")
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


def _erro_colunas(colunas: int, largura: int, linha: int, origem: str) -> Erro:
    return Erro(
        "CARGA-COLUNAS", f"linha com {colunas} colunas; esperadas {largura}", None, linha, origem
    )


def erro_csv(exc: csv.Error) -> str:
    """Mensagem em português de um erro do leitor de CSV."""
    texto = str(exc)
    for ingles, portugues in _MENSAGENS_CSV:
        if ingles in texto:
            return portugues
    return texto


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
    leitor = csv.reader(com_bom_tirado(linhas), delimiter=";", strict=True)
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
    datas = Datas()
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
        tipo = atual_tipos[0] if atual_tipos and not tipo_txt.strip() else tipo_de(tipo_txt)
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


def ler_saldos_abertura_csv(linhas: Iterable[str], ano: int, origem: str = "arquivo") -> Lote:
    """Saldos de implantação: um lançamento de abertura (1º/jan, período 0) por entidade.

    Conta que não tem saldo de abertura (classes 3 e 4, 5.2 e 6.2:
    ``LANC-ABERTURA-CONTA``) é relatada na sua linha e fica fora do lançamento,
    como as outras linhas com erro."""
    leitor = csv.reader(com_bom_tirado(linhas), delimiter=";")
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
