"""Leitura de extratos bancários: OFX (pelo ofxtools) e CSV (alternativa).

Cada linha do extrato tem data, valor em centavos com sinal (positivo = crédito
no extrato, entrada na conta; negativo = débito, saída), documento, descrição,
um identificador estável (o FITID do OFX; no CSV, gerado dos próprios campos)
para que importar o mesmo extrato duas vezes não duplique linhas, e o tipo de
transação do OFX (TRNTYPE), de onde sai o tipo de documento da Tabela 71.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from decimal import Decimal
from typing import Final, NamedTuple

from erario.core.erros import Erro

COLUNAS_CSV: Final = ("data", "valor", "documento", "descricao")
# Valor do CSV: sinal opcional, dígitos sem separador de milhar, duas casas com . ou ,
_RE_VALOR_CSV: Final = re.compile(r"([+-]?)([0-9]{1,16})[.,]([0-9]{2})")
LIMITE_DOCUMENTO: Final = 40
LIMITE_DESCRICAO: Final = 255


class LinhaExtrato(NamedTuple):
    data: dt.date
    centavos: int  # + crédito no extrato (entrada), − débito (saída)
    documento: str = ""
    descricao: str = ""
    identificador: str = ""  # FITID do OFX; no CSV, gerado (ver ler_csv)
    tipo_transacao: str = ""  # TRNTYPE do OFX (CHECK, DEP, XFER…); vazio no CSV
    id: int | None = None  # id gravado no banco


class SaldoExtrato(NamedTuple):
    data: dt.date
    centavos: int  # saldo do extrato ao fim do dia


class Extrato(NamedTuple):
    linhas: tuple[LinhaExtrato, ...]
    saldos: tuple[SaldoExtrato, ...] = ()
    banco: str = ""  # do OFX (BANKID, BRANCHID, ACCTID), para conferir com o cadastro
    agencia: str = ""
    conta: str = ""


def _erro(mensagem: str, linha: int | None, origem: str, campo: str | None = None) -> Erro:
    return Erro("CONC-EXTRATO", mensagem, campo, linha, origem)


def _centavos(valor: Decimal) -> int:
    centavos = valor * 100
    if centavos != centavos.to_integral_value():
        raise ValueError(f"valor {valor} com mais de duas casas decimais")
    return int(centavos)


def _data_ofx(texto: str) -> dt.date:
    # A parte AAAAMMDD é a data como o banco a escreveu (no fuso que ele informa);
    # converter o instante para UTC mudaria o dia das transações noturnas.
    return dt.date(int(texto[:4]), int(texto[4:6]), int(texto[6:8]))


def ler_ofx(dados: bytes, origem: str = "extrato.ofx") -> tuple[Extrato | None, list[Erro]]:
    """Extrato de um arquivo OFX 1.x (SGML) ou 2.x (XML) com uma conta bancária."""
    from ofxtools.Parser import OFXTree

    arvore = OFXTree()
    try:
        arvore.parse(io.BytesIO(dados))
        # Datas brutas (AAAAMMDD…) na ordem das transações, antes da conversão.
        raiz = arvore.getroot()
        assert raiz is not None
        datas_brutas = [(e.findtext("DTPOSTED") or "").strip() for e in raiz.iter("STMTTRN")]
        saldo_bruto = (raiz.findtext(".//LEDGERBAL/DTASOF") or "").strip()
        ofx = arvore.convert()
    except Exception as exc:  # o ofxtools levanta vários tipos; todos são arquivo ruim
        return None, [_erro(f"OFX ilegível: {exc}", None, origem)]
    extratos = list(ofx.statements)
    if len(extratos) != 1:
        return None, [
            _erro(
                f"o OFX tem {len(extratos)} extratos; importe um arquivo por conta bancária",
                None,
                origem,
            )
        ]
    (st,) = extratos
    erros: list[Erro] = []
    linhas: list[LinhaExtrato] = []
    transacoes = list(st.transactions)
    for n, (tr, bruta) in enumerate(zip(transacoes, datas_brutas, strict=False), start=1):
        try:
            centavos = _centavos(Decimal(tr.trnamt))
            data = _data_ofx(bruta)
        except (ValueError, TypeError) as exc:
            erros.append(_erro(f"transação {n} ({tr.fitid}): {exc}", n, origem))
            continue
        documento = (tr.checknum or tr.refnum or "").strip()[:LIMITE_DOCUMENTO]
        descricao = " ".join(x.strip() for x in (tr.name or "", tr.memo or "") if x and x.strip())
        linhas.append(
            LinhaExtrato(
                data,
                centavos,
                documento,
                descricao[:LIMITE_DESCRICAO],
                str(tr.fitid).strip(),
                str(tr.trntype or "").strip().upper(),
            )
        )
    saldos: list[SaldoExtrato] = []
    ledger = getattr(st, "ledgerbal", None)
    if ledger is not None and ledger.balamt is not None and saldo_bruto:
        try:
            saldos.append(SaldoExtrato(_data_ofx(saldo_bruto), _centavos(Decimal(ledger.balamt))))
        except (ValueError, TypeError) as exc:
            erros.append(_erro(f"saldo (LEDGERBAL): {exc}", None, origem))
    conta = st.account
    return Extrato(
        tuple(linhas),
        tuple(saldos),
        str(getattr(conta, "bankid", "") or ""),
        str(getattr(conta, "branchid", "") or ""),
        str(getattr(conta, "acctid", "") or ""),
    ), erros


def ler_csv(texto: str, origem: str = "extrato.csv") -> tuple[Extrato | None, list[Erro]]:
    """Extrato em CSV (``;``) com o cabeçalho ``data;valor;documento;descricao``.

    ``data`` AAAA-MM-DD ou DD/MM/AAAA; ``valor`` com sinal (negativo = débito no
    extrato) e exatamente duas casas, com ``.`` ou ``,`` e sem separador de milhar.
    O identificador de cada linha é ``csv:data:valor:documento:n`` (n = ocorrência
    da mesma combinação no arquivo): reimportar o arquivo não duplica as linhas.
    """
    if texto.startswith("\ufeff"):
        texto = texto[1:]
    linhas = list(csv.reader(io.StringIO(texto), delimiter=";"))
    if not linhas or [c.strip().lower() for c in linhas[0]] != list(COLUNAS_CSV):
        return None, [_erro(f"cabeçalho deve ser {';'.join(COLUNAS_CSV)}", 1, origem)]
    saida: list[LinhaExtrato] = []
    erros: list[Erro] = []
    ocorrencias: Counter[tuple[dt.date, int, str]] = Counter()
    for n, ln in enumerate(linhas[1:], start=2):
        if not any(c.strip() for c in ln):
            continue
        if len(ln) != len(COLUNAS_CSV):
            erros.append(_erro(f"esperadas 4 colunas, vieram {len(ln)}", n, origem))
            continue
        data_txt, valor_txt, documento, descricao = (c.strip() for c in ln)
        antes = len(erros)
        data: dt.date | None = None
        try:
            if "/" in data_txt:
                dia, mes, ano = (int(x) for x in data_txt.split("/"))
                data = dt.date(ano, mes, dia)
            else:
                data = dt.date.fromisoformat(data_txt)
        except ValueError:
            erros.append(
                _erro(f"data '{data_txt}': use AAAA-MM-DD ou DD/MM/AAAA", n, origem, "data")
            )
        m = _RE_VALOR_CSV.fullmatch(valor_txt)
        if m is None:
            erros.append(
                _erro(
                    f"valor '{valor_txt}': use sinal, dígitos e duas casas (ex.: -200,00)",
                    n,
                    origem,
                    "valor",
                )
            )
        elif int(m.group(2)) == 0 and int(m.group(3)) == 0:
            erros.append(_erro("valor zero não é movimento", n, origem, "valor"))
        if len(documento) > LIMITE_DOCUMENTO:
            erros.append(
                _erro(
                    f"documento com mais de {LIMITE_DOCUMENTO} caracteres", n, origem, "documento"
                )
            )
        if data is None or m is None or len(erros) > antes:
            continue
        centavos = (int(m.group(2)) * 100 + int(m.group(3))) * (-1 if m.group(1) == "-" else 1)
        chave = (data, centavos, documento)
        ocorrencias[chave] += 1
        ident = f"csv:{data.isoformat()}:{centavos}:{documento}:{ocorrencias[chave]}"
        saida.append(LinhaExtrato(data, centavos, documento, descricao[:LIMITE_DESCRICAO], ident))
    if erros:
        return None, erros
    return Extrato(tuple(saida)), []
