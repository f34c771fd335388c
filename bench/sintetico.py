"""Gerador do município sintético dos benchmarks (um só gerador para todos).

Plano parecido com o PCASP (máscara ``X.X.X.X.X.XX.XX``, classes 1 a 8, cerca de
um terço das analíticas com conta corrente ``FR``) e diário de lançamentos de 2
a 6 partidas, balanceados dentro de uma natureza da informação, valores com
duas casas, datas em ordem ao longo do ano. Mesma semente, mesmos dados.

Os lançamentos saem de um iterador (memória constante) e podem ser escritos, numa
só passada, em cada formato comparado em ``bench/compare.py``:

- ``erario``: CSV de importação (``docs/importacao.md``);
- ``ledger``: diário do ledger-cli, lido também pelo hledger;
- ``beancount``: arquivo Beancount;
- ``duckdb``: CSV com uma linha por partida, para o DuckDB.

Nomes de conta nos formatos de texto simples: os segmentos significativos do
código, separados por ``:`` (``1.1.1.2.0.00.00`` → ``1:1:1:2``); a fonte de
recursos vira subconta (``1:1:1:2:FR1500``). Assim o ``bal`` do ledger/hledger
totaliza as contas superiores como o balancete do erario. No Beancount, antes
vem a raiz exigida pelo formato, pela classe (``Assets:1:1:1:2:FR1500``).
Valores com duas casas e a moeda explícita (``10.50 BRL``, ``-10.50 BRL``):
aceito pelos três e exato (nenhum deles usa ponto flutuante). Só a biblioteca
padrão e ``erario.razao`` (para validar o plano) são usadas.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from erario.razao.carga import COLUNAS_LANCAMENTOS
from erario.razao.modelo import PlanoContas
from erario.razao.plano import COLUNAS, ler_plano_csv

ENTIDADE = "prefeitura-bench"
CNPJ = "01602258000120"
ANO = 2026
# Fontes de recursos (FR) usadas nas contas que exigem conta corrente.
FONTES = (
    "1500",
    "1501",
    "1502",
    "1540",
    "1550",
    "1552",
    "1569",
    "1600",
    "1601",
    "1621",
    "1631",
    "1660",
    "1700",
    "1701",
    "1706",
    "1710",
    "1750",
    "1751",
    "1759",
    "1869",
)
HISTORICOS = (
    "Empenho da despesa",
    "Liquidação da despesa",
    "Pagamento de despesa",
    "Arrecadação de receita",
    "Transferência financeira recebida",
    "Reconhecimento de variação patrimonial",
    "Registro de controle",
    "Ajuste de saldo",
)
# Proporção de lançamentos por natureza da informação (cada lançamento fica numa só).
PESOS_NATUREZA = {"P": 5, "O": 3, "C": 2}
LARGURAS = (1, 1, 1, 1, 1, 2, 2)
# Raiz Beancount de cada classe do PCASP (o Beancount só aceita estas cinco).
RAIZES_BEANCOUNT = {
    "1": "Assets",
    "2": "Liabilities",
    "3": "Expenses",
    "4": "Income",
    "5": "Equity",
    "6": "Equity",
    "7": "Equity",
    "8": "Equity",
}
FORMATOS = ("erario", "ledger", "beancount", "duckdb")
ARQUIVOS = {
    "erario": "lancamentos.csv",
    "ledger": "diario.ledger",
    "beancount": "diario.beancount",
    "duckdb": "partidas.csv",
}
COLUNAS_DUCKDB = ("numero", "data", "conta", "fonte", "dc", "valor")
_BLOCO = 20_000


# ----------------------------------------------------------- plano sintético
def _codigo(partes: list[int]) -> str:
    return ".".join(f"{p:0{w}d}" for p, w in zip(partes, LARGURAS, strict=True))


def _nivel(partes: list[int]) -> int:
    return max(i for i, p in enumerate(partes) if p) + 1


def _natureza(classe: int) -> str:
    return "P" if classe <= 4 else "O" if classe <= 6 else "C"


def gerar_plano(contas: int, rng: random.Random) -> tuple[PlanoContas, str]:
    """Plano parecido com o PCASP: máscara de 7 níveis, classes 1–8, pais presentes.

    Árvore aleatória que cresce por filhas: sorteia a classe e pendura a nova
    conta numa conta existente dessa classe, de nível < 7 e com número livre
    (preferindo as que já têm filhas, para a árvore ficar “cheia” como o
    PCASP). Analíticas são as que ficaram sem filhas (cerca de 2/3); cerca de
    um terço delas exige conta corrente FR. Devolve o plano e o texto CSV.
    """
    filhas: dict[str, int] = {}
    partes_de: dict[str, list[int]] = {}
    livres: dict[int, list[str]] = {}  # por classe: contas que podem receber filhas
    com_filhas: dict[int, list[str]] = {}  # idem, e que já têm ao menos uma
    for classe in range(1, 9):
        partes = [classe, 0, 0, 0, 0, 0, 0]
        partes_de[_codigo(partes)] = partes
        filhas[_codigo(partes)] = 0
        livres[classe], com_filhas[classe] = [_codigo(partes)], []
    while len(partes_de) < contas:
        classe = rng.choice([c for c in livres if livres[c]])
        preferidas = com_filhas[classe]
        pai = rng.choice(preferidas if preferidas and rng.random() < 0.4 else livres[classe])
        nivel = _nivel(partes_de[pai])
        filhas[pai] += 1
        partes = list(partes_de[pai])
        partes[nivel] = filhas[pai]
        codigo = _codigo(partes)
        partes_de[codigo] = partes
        filhas[codigo] = 0
        if nivel + 1 < 7:
            livres[classe].append(codigo)
        if filhas[pai] == 1:
            preferidas.append(pai)
        if filhas[pai] == 10 ** LARGURAS[nivel] - 1:  # sem número livre
            livres[classe].remove(pai)
            preferidas.remove(pai)
    linhas = [";".join(COLUNAS)]
    for c in sorted(partes_de):
        classe = int(c[0])
        analitica = not filhas[c]
        fr = analitica and rng.random() < 1 / 3
        superavit = ("F" if fr else "P") if analitica and classe <= 2 else ""
        linhas.append(
            ";".join(
                (
                    c,
                    f"CONTA SINTÉTICA DE TESTE {c}" if not analitica else f"CONTA DE TESTE {c}",
                    "Devedora" if classe % 2 else "Credora",
                    superavit,
                    _natureza(classe),
                    "S" if analitica else "N",
                    "FR" if fr else "",
                    "",
                )
            )
        )
    texto = "\n".join(linhas) + "\n"
    plano, erros = ler_plano_csv(texto, "PCASP", origem="plano sintético")
    if plano is None:
        raise SystemExit("plano sintético inválido: " + "; ".join(map(str, erros[:5])))
    return plano, texto


# ------------------------------------------------------------ nomes de conta
def nome_texto(codigo: str) -> str:
    """Código do plano → conta do ledger/hledger (segmentos significativos)."""
    segmentos = codigo.split(".")
    while len(segmentos) > 1 and not segmentos[-1].strip("0"):
        segmentos.pop()
    return ":".join(segmentos)


def nome_beancount(codigo: str) -> str:
    """Código do plano → conta Beancount (raiz pela classe + :func:`nome_texto`)."""
    return f"{RAIZES_BEANCOUNT[codigo[0]]}:{nome_texto(codigo)}"


def codigo_de_nome(nome: str) -> str | None:
    """Conta de um formato de texto simples → código do plano.

    Aceita a raiz do Beancount e ignora a subconta da fonte (``FR…``): devolve o
    código da conta do plano que a contém, ou ``None`` se o nome não for de uma
    conta do plano (a própria raiz do Beancount, por exemplo).
    """
    partes = nome.strip().split(":")
    if partes and partes[0] in ("Assets", "Liabilities", "Equity", "Income", "Expenses"):
        partes = partes[1:]
    if partes and partes[-1].startswith("FR"):
        return None  # subconta de fonte: não é linha do balancete por conta
    if not partes or len(partes) > len(LARGURAS) or not all(p.isdigit() for p in partes):
        return None
    partes += ["0" * w for w in LARGURAS[len(partes) :]]
    if any(len(p) != w for p, w in zip(partes, LARGURAS, strict=True)):
        return None
    return ".".join(partes)


# ---------------------------------------------------------- diário sintético
class LancamentoSintetico(NamedTuple):
    numero: str
    data: str  # AAAA-MM-DD
    historico: str
    # (código da conta analítica, "D"/"C", centavos > 0, fonte ou "")
    partidas: list[tuple[str, str, int, str]]


def _contas_por_natureza(plano: PlanoContas) -> dict[str, list[tuple[str, bool]]]:
    por_natureza: dict[str, list[tuple[str, bool]]] = {"P": [], "O": [], "C": []}
    for c in plano.contas.values():
        if c.analitica:
            por_natureza[c.natureza_informacao.value].append((c.codigo, "FR" in c.conta_corrente))
    return por_natureza


def gerar_lancamentos(
    plano: PlanoContas,
    rng: random.Random,
    *,
    partidas: int | None = None,
    lancamentos: int | None = None,
) -> Iterator[LancamentoSintetico]:
    """Lançamentos sintéticos, até somar ``partidas`` ou contar ``lancamentos``.

    Lançamentos de 2 a 6 partidas, cada um dentro de uma natureza da informação
    e balanceado; valores de R$ 1,00 a R$ 100.000,00 divididos em partes de
    centavos inteiros; datas em ordem ao longo do ano. Com ``partidas``, o
    último lançamento é ajustado para fechar a conta exata (é o modo de
    ``bench_razao.py``, que produz exatamente os mesmos dados de antes).
    """
    if (partidas is None) == (lancamentos is None):
        raise ValueError("informe partidas ou lancamentos, só um dos dois")
    por_natureza = _contas_por_natureza(plano)
    naturezas = [n for n, peso in PESOS_NATUREZA.items() for _ in range(peso) if por_natureza[n]]
    inicio = dt.date(ANO, 1, 1)
    dias = [(inicio + dt.timedelta(days=d)).isoformat() for d in range(365)]
    escolher, sortear, aleatorio, amostra = rng.choice, rng.randint, rng.random, rng.sample
    n_fontes = len(FONTES)
    lancs = feitas = 0
    while True:
        if partidas is not None:
            if feitas >= partidas:
                return
            restante = partidas - feitas
            k = min(sortear(2, 6), restante)
            if restante - k == 1:  # não deixar uma partida sozinha no fim
                k = k + 1 if k == 2 else k - 1
            dia = dias[feitas * 365 // partidas]
        else:
            assert lancamentos is not None
            if lancs >= lancamentos:
                return
            k = sortear(2, 6)
            dia = dias[lancs * 365 // lancamentos]
        contas = por_natureza[escolher(naturezas)]
        n_contas = len(contas)
        debitos = sortear(1, k - 1)
        total = sortear(100, 10_000_000)  # R$ 1,00 a R$ 100.000,00
        lancs += 1
        historico = f"{escolher(HISTORICOS)} {lancs}"
        itens: list[tuple[str, str, int, str]] = []
        for lado, n in (("D", debitos), ("C", k - debitos)):
            cortes = sorted(amostra(range(1, total), n - 1)) if n > 1 else []
            anterior = 0
            for corte in [*cortes, total]:
                valor = corte - anterior
                anterior = corte
                codigo, fr = contas[int(aleatorio() * n_contas)]
                fonte = FONTES[int(aleatorio() * n_fontes)] if fr else ""
                itens.append((codigo, lado, valor, fonte))
        feitas += k
        yield LancamentoSintetico(f"{ANO}{lancs:08d}", dia, historico, itens)


# ----------------------------------------------------------------- escritores
class _Escritor:
    """Escreve um formato em blocos (memória constante)."""

    def __init__(self, caminho: Path, plano: PlanoContas) -> None:
        self.caminho = caminho
        self._f: IO[str] = caminho.open("w", encoding="utf-8", newline="")
        self._bloco: list[str] = []
        self.cabecalho(plano)

    def cabecalho(self, plano: PlanoContas) -> None:
        pass

    def linhas(self, lc: LancamentoSintetico) -> Iterable[str]:
        raise NotImplementedError

    def escrever(self, lc: LancamentoSintetico) -> None:
        self._bloco.extend(self.linhas(lc))
        if len(self._bloco) >= _BLOCO:
            self._f.write("".join(self._bloco))
            self._bloco.clear()

    def fechar(self) -> None:
        self._f.write("".join(self._bloco))
        self._bloco.clear()
        self._f.close()


def _valor(centavos: int) -> str:
    return f"{centavos // 100}.{centavos % 100:02d}"


class EscritorErario(_Escritor):
    """CSV de importação do erario: uma linha por partida."""

    def cabecalho(self, plano: PlanoContas) -> None:
        self._f.write(";".join(COLUNAS_LANCAMENTOS) + "\n")

    def linhas(self, lc: LancamentoSintetico) -> Iterable[str]:
        prefixo = f"{ENTIDADE};{lc.numero};{lc.data};ordinario;{lc.historico};"
        return [
            f"{prefixo}{codigo};{lado};{v // 100}.{v % 100:02d};{'FR=' + fonte if fonte else ''}\n"
            for codigo, lado, v, fonte in lc.partidas
        ]


class EscritorLedger(_Escritor):
    """Diário do ledger-cli/hledger: débito positivo, crédito negativo, ``BRL`` explícito."""

    def cabecalho(self, plano: PlanoContas) -> None:
        self._nomes = {c.codigo: nome_texto(c.codigo) for c in plano.contas.values()}
        self._f.write(
            f"; diário sintético do município ({ENTIDADE}), gerado por bench/sintetico.py\n"
        )
        # Declara a moeda com duas casas (ledger e hledger entendem esta forma).
        self._f.write("commodity BRL\n\n")

    def linhas(self, lc: LancamentoSintetico) -> Iterable[str]:
        return [f"{lc.data} * ({lc.numero}) {lc.historico}\n", *_postagens(self._nomes, lc, "    ")]


def _postagens(nomes: dict[str, str], lc: LancamentoSintetico, recuo: str) -> list[str]:
    """Partidas no formato comum a ledger/hledger e Beancount (subconta FR<fonte>),
    e a linha em branco que fecha a transação."""
    saida = []
    for codigo, lado, v, fonte in lc.partidas:
        conta = f"{nomes[codigo]}:FR{fonte}" if fonte else nomes[codigo]
        sinal = "" if lado == "D" else "-"
        saida.append(f"{recuo}{conta}  {sinal}{v // 100}.{v % 100:02d} BRL\n")
    saida.append("\n")
    return saida


class EscritorBeancount(_Escritor):
    """Arquivo Beancount: ``open`` de toda conta usada antes do primeiro lançamento."""

    def cabecalho(self, plano: PlanoContas) -> None:
        self._nomes = {c.codigo: nome_beancount(c.codigo) for c in plano.contas.values()}
        abertura = (dt.date(ANO, 1, 1) - dt.timedelta(days=1)).isoformat()
        self._f.write(f'option "title" "Município sintético ({ENTIDADE})"\n')
        self._f.write('option "operating_currency" "BRL"\n\n')
        for c in plano.contas.values():
            if not c.analitica:
                continue
            nome = self._nomes[c.codigo]
            if "FR" in c.conta_corrente:
                for fonte in FONTES:
                    self._f.write(f"{abertura} open {nome}:FR{fonte} BRL\n")
            else:
                self._f.write(f"{abertura} open {nome} BRL\n")
        self._f.write("\n")

    def linhas(self, lc: LancamentoSintetico) -> Iterable[str]:
        return [f'{lc.data} * "{lc.historico}"\n', *_postagens(self._nomes, lc, "  ")]


class EscritorDuckdb(_Escritor):
    """CSV para o DuckDB: uma linha por partida, valor positivo e coluna D/C."""

    def cabecalho(self, plano: PlanoContas) -> None:
        self._f.write(",".join(COLUNAS_DUCKDB) + "\n")

    def linhas(self, lc: LancamentoSintetico) -> Iterable[str]:
        prefixo = f"{lc.numero},{lc.data},"
        return [
            f"{prefixo}{codigo},{fonte},{lado},{v // 100}.{v % 100:02d}\n"
            for codigo, lado, v, fonte in lc.partidas
        ]


ESCRITORES: dict[str, type[_Escritor]] = {
    "erario": EscritorErario,
    "ledger": EscritorLedger,
    "beancount": EscritorBeancount,
    "duckdb": EscritorDuckdb,
}


def gerar_diario(
    caminho: Path, plano: PlanoContas, partidas: int, rng: random.Random
) -> tuple[int, int]:
    """Escreve o CSV de importação do erario com ``partidas`` partidas.

    Devolve (lançamentos, partidas). É o diário de ``bench_razao.py``.
    """
    escritor = EscritorErario(caminho, plano)
    lancs = feitas = 0
    try:
        for lc in gerar_lancamentos(plano, rng, partidas=partidas):
            escritor.escrever(lc)
            lancs += 1
            feitas += len(lc.partidas)
    finally:
        escritor.fechar()
    return lancs, feitas


def gerar_formatos(
    diretorio: Path,
    plano: PlanoContas,
    lancamentos: int,
    rng: random.Random,
    formatos: Iterable[str] = FORMATOS,
) -> dict[str, Any]:
    """Escreve o mesmo diário de ``lancamentos`` lançamentos em cada formato, numa passada.

    Devolve os caminhos (``arquivos``), as contagens e os totais de controle
    (débitos = créditos, em centavos).
    """
    escritores = {f: ESCRITORES[f](diretorio / ARQUIVOS[f], plano) for f in formatos}
    n_partidas = debitos = creditos = 0
    try:
        for lc in gerar_lancamentos(plano, rng, lancamentos=lancamentos):
            for e in escritores.values():
                e.escrever(lc)
            n_partidas += len(lc.partidas)
            for _c, lado, v, _f in lc.partidas:
                if lado == "D":
                    debitos += v
                else:
                    creditos += v
    finally:
        for e in escritores.values():
            e.fechar()
    return {
        "arquivos": {f: e.caminho for f, e in escritores.items()},
        "lancamentos": lancamentos,
        "partidas": n_partidas,
        "debitos": debitos,
        "creditos": creditos,
    }
