"""Casamento das linhas do extrato com os movimentos do razão, pendências e
a equação do saldo conciliado. Funções puras.

Sinais: no extrato, crédito (+) é entrada na conta e débito (−) é saída; no
razão, o débito na conta bancária (ativo) é entrada (+) e o crédito, saída (−).
Um par casado tem o mesmo valor com o mesmo sinal.

A equação (extrato = razão + efeito × valor de cada pendência) sai de somar as
duas pontas: os pares se anulam, e sobra o que está só no extrato (entra com o
seu sinal) e o que está só no razão (entra com o sinal trocado):

    saldo do extrato = saldo contábil
                       + entradas só no extrato − saídas só no extrato
                       − entradas só no razão   + saídas só no razão
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Container, Iterable, Sequence
from enum import StrEnum
from typing import Final, NamedTuple

from erario.conciliacao import JANELA_PADRAO as JANELA_PADRAO
from erario.conciliacao.extrato import LinhaExtrato, SaldoExtrato
from erario.razao.modelo import Lancamento, TipoLancamento, atributos_cc


class Movimento(NamedTuple):
    """Movimento de uma conta bancária no razão: um lançamento, somadas as suas
    partidas na conta contábil da conta bancária com o domicílio dela (DB)."""

    lancamento: str  # número de controle
    data: dt.date
    centavos: int  # + débito na conta (entrada), − crédito (saída)
    historico: str
    documentos: frozenset[str] = frozenset()  # números normalizados citados pelo lançamento
    estornado: str | None = None  # número do lançamento que este estorna
    contrapartidas: tuple[str, ...] = ()  # outras contas bancárias (DB) do lançamento


class Par(NamedTuple):
    """Casamento confirmado pelo contador: uma linha do extrato e um lançamento."""

    linha: int  # id da linha do extrato
    lancamento: str


class Sugestao(NamedTuple):
    linha: LinhaExtrato
    movimento: Movimento
    criterio: str


class TipoPendencia(StrEnum):
    """As quatro pendências da conciliação (Tabela 70 do TCE-SC, pelo atributo
    ``erario`` do leiaute). Crédito/débito no sentido do extrato bancário."""

    CREDITO_EXTRATO = "credito_extrato"  # entrada no extrato, não contabilizada
    DEBITO_EXTRATO = "debito_extrato"  # saída no extrato, não contabilizada
    CREDITO_RAZAO = "credito_razao"  # entrada contabilizada, fora do extrato
    DEBITO_RAZAO = "debito_razao"  # saída contabilizada, fora do extrato

    @property
    def efeito(self) -> int:
        """Sinal com que a pendência leva do saldo contábil ao saldo do extrato."""
        return {
            TipoPendencia.CREDITO_EXTRATO: 1,
            TipoPendencia.DEBITO_EXTRATO: -1,
            TipoPendencia.CREDITO_RAZAO: -1,
            TipoPendencia.DEBITO_RAZAO: 1,
        }[self]


class TipoDocumento(StrEnum):
    """Tipo do documento comprobatório (Tabela 71, pelo atributo ``erario``)."""

    CHEQUE = "cheque"
    ORDEM_BANCARIA = "ordem_bancaria"
    TRANSFERENCIA = "transferencia"
    DEPOSITO = "deposito"
    AVISO = "aviso"
    OUTROS = "outros"


# TRNTYPE do OFX → tipo de documento; CREDIT, DEBIT, OTHER… vão pelas palavras.
_POR_TRNTYPE: Final = {
    "CHECK": TipoDocumento.CHEQUE,
    "DEP": TipoDocumento.DEPOSITO,
    "CASH": TipoDocumento.DEPOSITO,
    "XFER": TipoDocumento.TRANSFERENCIA,
    "DIRECTDEP": TipoDocumento.TRANSFERENCIA,
    "DIRECTDEBIT": TipoDocumento.TRANSFERENCIA,
    "PAYMENT": TipoDocumento.TRANSFERENCIA,
    "INT": TipoDocumento.AVISO,
    "DIV": TipoDocumento.AVISO,
    "FEE": TipoDocumento.AVISO,
    "SRVCHG": TipoDocumento.AVISO,
}
# Palavras da descrição do extrato ou do histórico do lançamento (sem acento, maiúsculas).
_POR_PALAVRA: Final = (
    (re.compile(r"\b(CHEQUE|CHQ|CH)\b"), TipoDocumento.CHEQUE),
    (re.compile(r"\b(ORDEM BANCARIA|OB)\b"), TipoDocumento.ORDEM_BANCARIA),
    (re.compile(r"\b(TED|DOC|PIX|TRANSF\w*)\b"), TipoDocumento.TRANSFERENCIA),
    (re.compile(r"\b(DEPOSITO|DEP)\b"), TipoDocumento.DEPOSITO),
    (re.compile(r"\b(TARIFA|TAR|JUROS|RENDIMENTO\w*|REND|IOF|AVISO)\b"), TipoDocumento.AVISO),
)
_RE_TOKEN: Final = re.compile(r"[0-9A-Za-z]*[0-9][0-9A-Za-z]*")


def _sem_acento(texto: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", texto) if not unicodedata.combining(c)
    ).upper()


def tipo_documento(texto: str, tipo_transacao: str = "") -> TipoDocumento:
    """Tipo de documento pela transação do OFX ou, sem ela, pelas palavras do texto."""
    if tipo_transacao in _POR_TRNTYPE:
        return _POR_TRNTYPE[tipo_transacao]
    normal = _sem_acento(texto)
    for regex, tipo in _POR_PALAVRA:
        if regex.search(normal):
            return tipo
    return TipoDocumento.OUTROS


def normalizar_documento(texto: str) -> str:
    """Documento comparável: só letras e dígitos, maiúsculas, sem zeros à esquerda."""
    return "".join(c for c in texto if c.isalnum()).upper().lstrip("0")


def movimentos_do_razao(
    lancamentos: Iterable[Lancamento], conta_contabil: str, domicilio: str
) -> list[Movimento]:
    """Movimentos da conta bancária no razão: lançamentos ordinários (a abertura
    traz saldo, não movimento; o encerramento não passa pelo banco) com partida
    na conta contábil e no domicílio bancário da conta."""
    saida: list[Movimento] = []
    for lanc in lancamentos:
        if lanc.tipo != TipoLancamento.ORDINARIO or lanc.numero is None:
            continue
        total = 0
        tocou = False
        outras: list[str] = []
        for p in lanc.partidas:
            db = atributos_cc(p.conta_corrente).get("DB")
            if p.conta == conta_contabil and db == domicilio:
                tocou = True
                total += p.centavos if p.dc == "D" else -p.centavos
            elif db and db != domicilio and db not in outras:
                outras.append(db)
        if not tocou or total == 0:
            continue
        docs = {normalizar_documento(lanc.numero)}
        if lanc.origem:
            docs.add(normalizar_documento(lanc.origem))
        docs.update(normalizar_documento(t) for t in _RE_TOKEN.findall(lanc.historico))
        docs.discard("")
        saida.append(
            Movimento(
                lanc.numero,
                lanc.data,
                total,
                lanc.historico,
                frozenset(docs),
                lanc.estornado,
                tuple(outras),
            )
        )
    return saida


def _ordem_linha(ln: LinhaExtrato) -> tuple[dt.date, int, str]:
    return (ln.data, ln.id or 0, ln.identificador)


def sugerir(
    linhas: Sequence[LinhaExtrato],
    movimentos: Sequence[Movimento],
    pares: Iterable[Par],
    ate: dt.date,
    janela: int = JANELA_PADRAO,
) -> list[Sugestao]:
    """Casamentos sugeridos entre o que ainda não foi casado, com datas até ``ate``.

    Candidatos: mesmo valor com o mesmo sinal e datas a até ``janela`` dias uma
    da outra — ou, quando o documento do extrato é um dos números citados pelo
    lançamento (número de controle, origem ou número no histórico), qualquer data
    (o cheque compensado semanas depois). Escolha gulosa, um para um, na ordem:
    documento igual primeiro, depois a menor diferença de datas, depois a data e
    a ordem do extrato e o número do lançamento.
    """
    pares = list(pares)
    usadas = {p.linha for p in pares}
    usados = {p.lancamento for p in pares}
    livres_l = [ln for ln in linhas if ln.id not in usadas and ln.data <= ate]
    livres_m = [m for m in movimentos if m.lancamento not in usados and m.data <= ate]
    por_valor: dict[int, list[Movimento]] = {}
    for m in livres_m:
        por_valor.setdefault(m.centavos, []).append(m)
    candidatos: list[tuple[tuple[object, ...], LinhaExtrato, Movimento, str]] = []
    for ln in livres_l:
        doc = normalizar_documento(ln.documento)
        for m in por_valor.get(ln.centavos, ()):
            dias = abs((ln.data - m.data).days)
            por_doc = bool(doc) and doc in m.documentos
            if not por_doc and dias > janela:
                continue
            if por_doc:
                criterio = f"valor e documento {ln.documento}"
            elif dias == 0:
                criterio = "valor e data"
            else:
                criterio = f"valor e data próxima ({dias} dia(s))"
            chave = (not por_doc, dias, *_ordem_linha(ln), m.data, m.lancamento)
            candidatos.append((chave, ln, m, criterio))
    candidatos.sort(key=lambda c: c[0])
    feitas_l: set[tuple[dt.date, int, str]] = set()
    feitos_m: set[str] = set()
    saida: list[Sugestao] = []
    for _, ln, m, criterio in candidatos:
        if _ordem_linha(ln) in feitas_l or m.lancamento in feitos_m:
            continue
        feitas_l.add(_ordem_linha(ln))
        feitos_m.add(m.lancamento)
        saida.append(Sugestao(ln, m, criterio))
    saida.sort(key=lambda s: (_ordem_linha(s.linha), s.movimento.lancamento))
    return saida


class Pendencia(NamedTuple):
    """Item que compõe a diferença entre o saldo contábil e o extrato numa data."""

    tipo: TipoPendencia
    data: dt.date  # data da operação (do extrato ou do lançamento)
    centavos: int  # valor da operação, positivo
    documento: str
    descricao: str
    tipo_documento: TipoDocumento
    regularizacao: dt.date | None = None  # data da outra ponta, casada depois de ``ate``
    linha: int | None = None  # id da linha do extrato (pendência do extrato)
    lancamento: str | None = None  # número do lançamento (pendência do razão)


def inicio(linhas: Sequence[LinhaExtrato], saldos: Sequence[SaldoExtrato]) -> dt.date | None:
    """Início da conciliação da conta no erario: a primeira data do extrato importado.
    Movimentos do razão anteriores podem casar com o extrato, mas não viram pendência."""
    datas = [ln.data for ln in linhas] or [s.data for s in saldos]
    return min(datas) if datas else None


def pendencias(
    linhas: Sequence[LinhaExtrato],
    saldos: Sequence[SaldoExtrato],
    movimentos: Sequence[Movimento],
    pares: Iterable[Par],
    ate: dt.date,
) -> list[Pendencia]:
    """Pendências em ``ate``: linhas do extrato sem lançamento casado até ``ate`` e
    lançamentos (a partir do início da conciliação) sem linha casada até ``ate``.

    Um par com uma ponta depois de ``ate`` deixa a outra pendente, com a data da
    regularização. Um lançamento e o seu estorno, ambos pendentes, se anulam e
    ficam de fora. Sem extrato importado, não há conciliação: lista vazia.
    """
    comeco = inicio(linhas, saldos)
    if comeco is None:
        return []
    pares = list(pares)
    linha_de = {ln.id: ln for ln in linhas}
    mov_de = {m.lancamento: m for m in movimentos}
    par_da_linha: dict[int, Movimento | None] = {p.linha: mov_de.get(p.lancamento) for p in pares}
    par_do_mov = {p.lancamento: linha_de.get(p.linha) for p in pares}
    saida: list[Pendencia] = []
    for ln in linhas:
        if ln.data > ate:
            continue
        m = par_da_linha.get(ln.id) if ln.id is not None else None
        if m is not None and m.data <= ate:
            continue
        tipo = TipoPendencia.CREDITO_EXTRATO if ln.centavos > 0 else TipoPendencia.DEBITO_EXTRATO
        nome = "Crédito" if ln.centavos > 0 else "Débito"
        descricao = f"{nome} no extrato de {ln.data:%d/%m/%Y} não contabilizado"
        if ln.descricao:
            descricao += f": {ln.descricao}"
        if m is None:
            descricao += "; sem lançamento de regularização até a conciliação"
        saida.append(
            Pendencia(
                tipo,
                ln.data,
                abs(ln.centavos),
                ln.documento or "S/N",
                descricao,
                tipo_documento(f"{ln.descricao} {ln.documento}", ln.tipo_transacao),
                m.data if m is not None else None,
                linha=ln.id,
            )
        )
    pendentes_m: list[Movimento] = []
    for m in movimentos:
        if m.data > ate or m.data < comeco:
            continue
        ln_par = par_do_mov.get(m.lancamento)
        if ln_par is not None and ln_par.data <= ate:
            continue
        pendentes_m.append(m)
    numeros = {m.lancamento for m in pendentes_m}
    anulados: set[str] = set()
    for m in pendentes_m:
        if (
            m.estornado is not None
            and m.estornado in numeros
            and m.lancamento not in par_do_mov
            and m.estornado not in par_do_mov
        ):
            anulados.update((m.lancamento, m.estornado))
    for m in pendentes_m:
        if m.lancamento in anulados:
            continue
        ln_par = par_do_mov.get(m.lancamento)
        tipo = TipoPendencia.CREDITO_RAZAO if m.centavos > 0 else TipoPendencia.DEBITO_RAZAO
        descricao = " ".join(m.historico.split())
        if m.contrapartidas:
            descricao += f" (contrapartida: conta {', '.join(m.contrapartidas)})"
        if ln_par is None:
            descricao += "; não consta do extrato até a conciliação"
        saida.append(
            Pendencia(
                tipo,
                m.data,
                abs(m.centavos),
                m.lancamento,
                descricao,
                tipo_documento(m.historico),
                ln_par.data if ln_par is not None else None,
                lancamento=m.lancamento,
            )
        )
    saida.sort(key=lambda p: (p.data, p.tipo.value, p.documento))
    return saida


def saldo_extrato_em(
    linhas: Sequence[LinhaExtrato], saldos: Sequence[SaldoExtrato], ate: dt.date
) -> int | None:
    """Saldo do extrato em ``ate``: o último saldo informado até lá mais as linhas
    posteriores a ele até ``ate``; None sem saldo informado até ``ate``."""
    anteriores = [s for s in saldos if s.data <= ate]
    if not anteriores:
        return None
    base = max(anteriores, key=lambda s: s.data)
    return base.centavos + sum(ln.centavos for ln in linhas if base.data < ln.data <= ate)


class Equacao(NamedTuple):
    """Saldo contábil ± pendências = saldo do extrato (conferido quando há saldo do extrato)."""

    saldo_contabil: int
    por_tipo: dict[TipoPendencia, int]  # soma (positiva) das pendências de cada tipo
    saldo_conciliado: int
    saldo_extrato: int | None

    @property
    def diferenca(self) -> int | None:
        if self.saldo_extrato is None:
            return None
        return self.saldo_extrato - self.saldo_conciliado

    @property
    def fecha(self) -> bool:
        return self.diferenca == 0


def equacao(saldo_contabil: int, pends: Sequence[Pendencia], saldo_extrato: int | None) -> Equacao:
    por_tipo = dict.fromkeys(TipoPendencia, 0)
    for p in pends:
        por_tipo[p.tipo] += p.centavos
    conciliado = saldo_contabil + sum(t.efeito * v for t, v in por_tipo.items())
    return Equacao(saldo_contabil, por_tipo, conciliado, saldo_extrato)


def saldo_contabil(
    movimentos_e_abertura: Iterable[Lancamento], conta: str, domicilio: str, ate: dt.date
) -> int:
    """Saldo (centavos, devedor positivo) da conta contábil no domicílio bancário, em ``ate``,
    com a abertura e sem o encerramento do exercício."""
    return saldos_contabeis(movimentos_e_abertura, {conta}, ate).get((conta, domicilio), 0)


def saldos_contabeis(
    movimentos_e_abertura: Iterable[Lancamento], contas: Container[str], ate: dt.date
) -> dict[tuple[str, str | None], int]:
    """Como ``saldo_contabil``, numa passada só, para cada (conta contábil, domicílio
    bancário) das ``contas``."""
    saldos: dict[tuple[str, str | None], int] = {}
    for lanc in movimentos_e_abertura:
        if lanc.tipo == TipoLancamento.ENCERRAMENTO or lanc.data > ate:
            continue
        for p in lanc.partidas:
            if p.conta in contas:
                chave = (p.conta, atributos_cc(p.conta_corrente).get("DB"))
                saldos[chave] = saldos.get(chave, 0) + (p.centavos if p.dc == "D" else -p.centavos)
    return saldos
