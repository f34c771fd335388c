"""Escritor do arquivo SPED FCONT: ``ArquivoFcont`` → bytes ISO-8859-1 com CRLF.

Genérico: cada registro de dados sai pelos campos do leiaute
(``erario.leiautes.fcont``), lendo do objeto o atributo de mesmo nome do campo;
os filhos seguem o pai (``ESTRUTURA``). Aberturas (IND_DAD), encerramentos de
bloco (QTD_LIN), o 9900 de cada tipo de registro presente (inclusive o próprio
9900, o 9990 e o 9999), o 9990 e o 9999 são sempre calculados aqui. A linha
9999 conta no bloco 9 (o bloco é o primeiro caractere do registro, como na ECD).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Final

from erario.fcont.arquivo import (
    ArquivoFcont,
    Registro0000,
    RegistroI050,
    RegistroI051,
    RegistroI075,
    RegistroI100,
    RegistroI150,
    RegistroI155,
    RegistroI156,
    RegistroI200,
    RegistroI250,
    RegistroI256,
    RegistroI350,
    RegistroI355,
    RegistroI356,
    RegistroJ930,
    RegistroM020,
    RegistroM025,
    RegistroM030,
    RegistroM155,
    RegistroM355,
)
from erario.leiautes import fcont as leiaute_fcont
from erario.leiautes import sped

# Registro de dados → (classe do modelo, ((código do filho, atributo com os filhos), …)).
ESTRUTURA: Final[dict[str, tuple[type, tuple[tuple[str, str], ...]]]] = {
    "0000": (Registro0000, ()),
    "I050": (RegistroI050, (("I051", "referenciais"),)),
    "I051": (RegistroI051, ()),
    "I075": (RegistroI075, ()),
    "I100": (RegistroI100, ()),
    "I150": (RegistroI150, (("I155", "saldos"),)),
    "I155": (RegistroI155, (("I156", "mapeamentos"),)),
    "I156": (RegistroI156, ()),
    "I200": (RegistroI200, (("I250", "partidas"),)),
    "I250": (RegistroI250, (("I256", "mapeamentos"),)),
    "I256": (RegistroI256, ()),
    "I350": (RegistroI350, (("I355", "saldos"),)),
    "I355": (RegistroI355, (("I356", "mapeamentos"),)),
    "I356": (RegistroI356, ()),
    "J930": (RegistroJ930, ()),
    "M020": (RegistroM020, ()),
    "M025": (RegistroM025, ()),
    "M030": (RegistroM030, (("M155", "saldos_patrimoniais"), ("M355", "saldos_resultado"))),
    "M155": (RegistroM155, ()),
    "M355": (RegistroM355, ()),
}
# Filhos de nível 2 de cada bloco: (código, atributo do bloco).
FILHOS_DOS_BLOCOS: Final = {
    "I": (
        ("I050", "plano"),
        ("I075", "historicos"),
        ("I100", "centros_custo"),
        ("I150", "saldos_periodicos"),
        ("I200", "lancamentos"),
        ("I350", "resultados"),
    ),
    "J": (("J930", "signatarios"),),
    "M": (("M025", "saldos_iniciais"), ("M030", "periodos")),
}

_TRADUCAO: Final = str.maketrans({"|": "/", "\r": " ", "\n": " ", "\t": " "})


def limpar_texto(texto: str) -> str:
    """Texto livre pronto para um campo C: sem '|' nem controles, e só com caracteres
    ISO-8859-1 (os demais viram '?'), para o gerador usar em nomes e históricos."""
    t = texto.translate(_TRADUCAO)
    t = "".join(ch if ord(ch) >= 32 else " " for ch in t)
    return t.encode(sped.CODIFICACAO, "replace").decode(sped.CODIFICACAO)


def _linha_de(codigo: str, obj: object) -> str:
    reg = leiaute_fcont.leiaute().registro(codigo)
    return sped.linha(reg, [getattr(obj, c.chave) for c in reg.campos[1:]])


def _com_filhos(codigo: str, obj: object) -> Iterator[tuple[str, str]]:
    yield codigo, _linha_de(codigo, obj)
    for filho, atributo in ESTRUTURA[codigo][1]:
        for f in getattr(obj, atributo):
            yield from _com_filhos(filho, f)


def _bloco(letra: str, conteudo: list[tuple[str, str]]) -> list[tuple[str, str]]:
    ind = "1" if not conteudo else "0"
    abertura = (f"{letra}001", f"|{letra}001|{ind}|")
    qtd = len(conteudo) + 2
    return [abertura, *conteudo, (f"{letra}990", f"|{letra}990|{qtd}|")]


def linhas(arquivo: ArquivoFcont) -> list[tuple[str, str]]:
    """(código do registro, linha sem CRLF) de todo o arquivo, na ordem do manual."""
    saida: list[tuple[str, str]] = [("0000", _linha_de("0000", arquivo.abertura))]
    blocos: list[tuple[str, object]] = [("I", arquivo.bloco_i), ("J", arquivo.bloco_j)]
    if arquivo.bloco_m is not None:
        blocos.append(("M", arquivo.bloco_m))
    for letra, bloco in blocos:
        conteudo: list[tuple[str, str]] = []
        if letra == "M" and arquivo.bloco_m is not None and arquivo.bloco_m.qualificacao:
            conteudo.append(("M020", _linha_de("M020", arquivo.bloco_m.qualificacao)))
        for codigo, atributo in FILHOS_DOS_BLOCOS[letra]:
            for obj in getattr(bloco, atributo):
                conteudo.extend(_com_filhos(codigo, obj))
        saida.extend(_bloco(letra, conteudo))
    contagem = Counter(codigo for codigo, _ in saida)
    tipos = list(dict.fromkeys(codigo for codigo, _ in saida))
    tipos_9 = ["9001", "9900", "9990", "9999"]
    n9900 = len(tipos) + len(tipos_9)
    contagem.update({"9001": 1, "9900": n9900, "9990": 1, "9999": 1})
    bloco9 = [("9001", "|9001|0|")]
    bloco9 += [("9900", f"|9900|{t}|{contagem[t]}|") for t in [*tipos, *tipos_9]]
    bloco9.append(("9990", f"|9990|{len(bloco9) + 2}|"))  # + 9990 e 9999
    saida.extend(bloco9)
    saida.append(("9999", f"|9999|{len(saida) + 1}|"))
    return saida


def escrever(arquivo: ArquivoFcont) -> bytes:
    """O arquivo FCONT completo (blocos 0, I, J, M se houver, e 9), ISO-8859-1 com CRLF.

    ``ValueError`` se um valor não cabe no leiaute (negativo, mais de duas casas, '|' ou
    caractere fora do ISO-8859-1 num texto): é defeito de quem montou o arquivo."""
    textos = [t for _, t in linhas(arquivo)]
    try:
        return sped.codificar(textos)
    except UnicodeEncodeError as exc:
        trecho = exc.object[max(exc.start - 20, 0) : exc.end + 20]
        raise ValueError(f"caractere fora do ISO-8859-1 em '{trecho}' (use limpar_texto)") from exc
