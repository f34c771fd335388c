"""Entrada e saída no formato brasileiro (1.234,56; 31/12/2026; CPF/CNPJ com
máscara). Só converte texto: valida com as mesmas regras do núcleo
(``core.dinheiro.centavos_de_texto``, ``core.codigos``) e devolve o mesmo texto
que as cargas aceitam, para o evento passar pelas mesmas conferências."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from erario.core.codigos import somente_digitos
from erario.core.datas import nome_mes
from erario.core.dinheiro import ValorInvalido, centavos_de_texto, formatar_brl, texto_de_centavos

_RE_MILHAR: Final = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?")
_RE_DATA_BR: Final = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def centavos_br(texto: str) -> int:
    """``"1.234,56"`` (ou ``"1234,56"``, ``"1234.56"``) → ``123456``.

    O ponto é separador de milhar só quando separa grupos de três dígitos e a
    vírgula, se houver, vem depois; o resto vai a ``centavos_de_texto``, que
    recusa com a mensagem das cargas."""
    s = texto.strip().removeprefix("R$").strip()
    if _RE_MILHAR.fullmatch(s):
        s = s.replace(".", "")
    return centavos_de_texto(s)


def valor_para_carga(texto: str) -> str:
    """Valor da tela → texto da carga (``"1234.56"``); o inválido passa como veio,
    e a conferência do evento relata o erro com o nome do campo."""
    try:
        return texto_de_centavos(centavos_br(texto))
    except ValorInvalido:
        return texto.strip()


def data_br(texto: str) -> dt.date:
    """``"31/12/2026"`` (ou ``"2026-12-31"``) → data; ``ValueError`` com a mensagem."""
    s = texto.strip()
    m = _RE_DATA_BR.fullmatch(s)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(s)
    except ValueError:
        pass
    raise ValueError(f"data '{texto}' inválida: use DD/MM/AAAA, ex.: 31/12/2026")


def data_para_carga(texto: str) -> str:
    try:
        return data_br(texto).isoformat()
    except ValueError:
        return texto.strip()


def brl(centavos: int | None) -> str:
    return "" if centavos is None else formatar_brl(centavos)


def saldo_dc(centavos: int | None) -> str:
    """Saldo com sinal → ``"1.234,56 D"`` / ``"C"``."""
    if centavos is None:
        return ""
    return formatar_brl(abs(centavos)) + (" D" if centavos > 0 else " C" if centavos < 0 else "")


def data(valor: dt.date | dt.datetime | str | None) -> str:
    if valor is None or valor == "":
        return ""
    if isinstance(valor, str):
        try:
            return f"{dt.date.fromisoformat(valor):%d/%m/%Y}"
        except ValueError:
            return valor
    if isinstance(valor, dt.datetime):
        return f"{valor:%d/%m/%Y %H:%M}"
    return f"{valor:%d/%m/%Y}"


def documento(texto: str) -> str:
    """CPF ``000.000.000-00`` ou CNPJ ``00.000.000/0000-00``; outro texto fica como veio."""
    d = somente_digitos(texto or "")
    if len(d) == 11 and d == texto:
        return f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"
    if len(d) == 14 and d == texto:
        return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"
    return texto


def competencia(ano: int, mes: int) -> str:
    if mes == 0:
        return f"abertura/{ano}"
    if mes == 13:
        return f"encerramento/{ano}"
    return f"{nome_mes(mes)}/{ano}"


def mes_de_texto(texto: str, minimo: int = 0, maximo: int = 13) -> tuple[int, int]:
    """``"03/2026"`` ou ``"2026-03"`` → (2026, 3); ``ValueError`` com o uso."""
    s = texto.strip()
    try:
        if "/" in s:
            m, a = s.split("/")
        else:
            a, m = s.split("-")
        ano, mes = int(a), int(m)
        if not minimo <= mes <= maximo or not 1900 <= ano <= 9999:
            raise ValueError
    except ValueError:
        raise ValueError(
            f"competência '{texto}' inválida: use MM/AAAA (00 = abertura, 13 = encerramento)"
        ) from None
    return ano, mes
