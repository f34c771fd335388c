"""Arquivos de texto do SPED (FCONT, ECD…): escrita e leitura genéricas, guiadas pelo leiaute.

Convenções (Anexo I do ADE Cofis nº 31/2011, item 2.1.1 e 2.2): texto ISO-8859-1,
cada linha ``|REG|campo|…|campo|`` terminada em CRLF, campo vazio ``||``, data
DDMMAAAA, número com vírgula decimal sem separador de milhar nem sinal, e campo
com tamanho na coluna própria preenchido com exatamente esse número de
caracteres (valores com zeros à esquerda).

As regras de estrutura e de campo levam os nomes do manual (``REGRA_*``), que são
os mesmos em todos os leiautes SPED.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from erario.core.erros import Erro
from erario.leiautes.modelo import Campo, Leiaute, Obrigatoriedade, Presenca, Registro, Tipo

CODIFICACAO: Final = "iso-8859-1"
FIM_DE_LINHA: Final = b"\r\n"
_RE_INTEIRO: Final = re.compile(r"[0-9]+")
_INVALIDOS: Final = frozenset(chr(i) for i in range(32)) | {"|"}


def formatar(campo: Campo, valor: object) -> str:
    """Valor do modelo → texto do campo. ``None``/``""`` → campo vazio."""
    if valor is None or valor == "":
        return ""
    if campo.tipo == Tipo.DATA:
        if not isinstance(valor, dt.date):
            raise ValueError(f"campo {campo.rotulo}: {valor!r} não é data")
        return f"{valor:%d%m%Y}"
    if campo.tipo == Tipo.NUMERICO and campo.decimais:
        if not isinstance(valor, Decimal | int) or isinstance(valor, bool):
            raise ValueError(f"campo {campo.rotulo}: {valor!r} não é Decimal")
        d = Decimal(valor)
        if d < 0:
            raise ValueError(f"campo {campo.rotulo}: valor negativo {d} (o sinal vai no D/C)")
        casas = d.as_tuple().exponent
        if not isinstance(casas, int) or -casas > campo.decimais:
            raise ValueError(f"campo {campo.rotulo}: {d} com mais de {campo.decimais} casas")
        # Sem arredondar de fato (as casas já cabem): quantize só completa os zeros.
        q = d.quantize(Decimal(1).scaleb(-campo.decimais), rounding=ROUND_HALF_UP)
        texto = f"{q:f}".replace(".", ",")
        if campo.tamanho_exato and campo.tamanho is not None:
            texto = texto.rjust(campo.tamanho, "0")
        return texto
    texto = str(valor)
    invalidos = set(texto) & _INVALIDOS
    if invalidos:
        raise ValueError(f"campo {campo.rotulo}: caractere proibido {sorted(invalidos)!r}")
    return texto


def linha(registro: Registro, valores: Sequence[object]) -> str:
    """``|REG|v1|…|vn|`` (sem o CRLF); ``valores`` a partir do campo 2."""
    campos = registro.campos[1:]
    if len(valores) != len(campos):
        raise ValueError(f"registro {registro.chave}: {len(valores)} valores para {len(campos)}")
    textos = [registro.chave, *(formatar(c, v) for c, v in zip(campos, valores, strict=True))]
    return "|" + "|".join(textos) + "|"


def codificar(linhas: Sequence[str]) -> bytes:
    """Linhas → bytes ISO-8859-1 com CRLF ao fim de cada uma (inclusive a última)."""
    return b"".join(t.encode(CODIFICACAO) + FIM_DE_LINHA for t in linhas)


@dataclass(frozen=True, slots=True)
class LinhaLida:
    """Uma linha do arquivo: número (1 = primeira), código do registro e textos dos campos
    a partir do 2 (sem o REG)."""

    numero: int
    codigo: str
    textos: tuple[str, ...]


def dividir(conteudo: bytes, leiaute: Leiaute) -> tuple[list[LinhaLida], list[Erro]]:
    """Bytes → linhas com o número certo de campos; cada problema de formato é um
    ``REGRA_ESTRUTURA_INVALIDA`` (a linha com problema fica de fora)."""
    texto = conteudo.decode(CODIFICACAO)  # todo byte é um caractere ISO-8859-1
    erros: list[Erro] = []
    if not texto:
        return [], [Erro("REGRA_ESTRUTURA_INVALIDA", "arquivo vazio", linha=1)]
    partes = texto.split("\r\n")
    if partes[-1] == "":
        partes.pop()
    else:
        erros.append(
            Erro(
                "REGRA_ESTRUTURA_INVALIDA",
                "a última linha não termina com CR LF",
                linha=len(partes),
            )
        )
    registros = {r.chave: r for r in leiaute.registros}
    lidas: list[LinhaLida] = []
    for numero, bruta in enumerate(partes, start=1):
        if "\r" in bruta or "\n" in bruta:
            erros.append(
                Erro(
                    "REGRA_ESTRUTURA_INVALIDA",
                    "quebra de linha sem o par CR LF (as linhas terminam com CR LF)",
                    linha=numero,
                )
            )
            continue
        if len(bruta) < 2 or not bruta.startswith("|") or not bruta.endswith("|"):
            erros.append(
                Erro(
                    "REGRA_ESTRUTURA_INVALIDA",
                    "a linha deve começar na coluna 1 com '|' e terminar com '|'",
                    linha=numero,
                    origem=bruta.split("|")[1] if bruta.startswith("|") else None,
                )
            )
            continue
        campos = bruta[1:-1].split("|")
        codigo = campos[0]
        reg = registros.get(codigo)
        if reg is None:
            erros.append(
                Erro(
                    "REGRA_ESTRUTURA_INVALIDA",
                    f"tipo de registro '{codigo}' não existe no leiaute",
                    "1. REG",
                    numero,
                    codigo,
                )
            )
            continue
        if len(campos) != len(reg.campos):
            erros.append(
                Erro(
                    "REGRA_ESTRUTURA_INVALIDA",
                    f"{len(campos)} campos; o registro {codigo} tem {len(reg.campos)}",
                    linha=numero,
                    origem=codigo,
                )
            )
            continue
        lidas.append(LinhaLida(numero, codigo, tuple(campos[1:])))
    return lidas, erros


def converter(
    campo: Campo, texto: str, leiaute: Leiaute, regra_tabela: Mapping[str, str]
) -> tuple[object, list[tuple[str, str]]]:
    """Texto do campo → valor (``str``, ``Decimal`` ou ``date``; numérico sem casas fica
    ``str`` para manter zeros à esquerda) e os problemas (regra, mensagem).

    Valor ``None`` = não convertido (campo inválido ou numérico vazio)."""
    if not texto.strip():
        if campo.obrigatorio == Obrigatoriedade.SIM:
            return (None if campo.tipo != Tipo.CARACTERE else ""), [
                ("REGRA_CAMPO_OBRIGATORIO", "campo obrigatório não preenchido")
            ]
        return (None if campo.tipo != Tipo.CARACTERE and texto else ""), (
            [("REGRA_CAMPO_INVALIDO", "campo com espaços")] if texto else []
        )
    problemas: list[tuple[str, str]] = []
    tam = campo.tamanho
    if tam is not None:
        if campo.tamanho_exato and len(texto) != tam:
            problemas.append(
                (
                    "REGRA_TAMANHO_CAMPO_INVALIDO",
                    f"'{texto}' tem {len(texto)} caracteres; deve ter {tam}",
                )
            )
        elif not campo.tamanho_exato and campo.tipo == Tipo.CARACTERE and len(texto) > tam:
            problemas.append(
                ("REGRA_TAMANHO_CAMPO_INVALIDO", f"{len(texto)} caracteres; máximo {tam}")
            )
    valor: object
    if campo.tipo == Tipo.DATA:
        valor = None
        if not _RE_INTEIRO.fullmatch(texto):
            problemas.append(("REGRA_CAMPO_INVALIDO", f"'{texto}' não é data DDMMAAAA"))
        elif len(texto) == 8:
            try:
                valor = dt.date(int(texto[4:]), int(texto[2:4]), int(texto[:2]))
            except ValueError:
                problemas.append(("REGRA_CAMPO_INVALIDO", f"'{texto}' não é data válida"))
    elif campo.tipo == Tipo.NUMERICO and campo.decimais:
        inteiro, virgula, casas = texto.partition(",")
        if not (
            _RE_INTEIRO.fullmatch(inteiro)
            and virgula
            and _RE_INTEIRO.fullmatch(casas)
            and len(casas) == campo.decimais
        ):
            problemas.append(
                (
                    "REGRA_CAMPO_INVALIDO",
                    f"'{texto}' não é número com vírgula e {campo.decimais} casas decimais",
                )
            )
            valor = None
        else:
            valor = Decimal(f"{int(inteiro)}.{casas}")
    elif campo.tipo == Tipo.NUMERICO:
        valor = texto
        if not _RE_INTEIRO.fullmatch(texto):
            problemas.append(("REGRA_CAMPO_INVALIDO", f"'{texto}' não é numérico"))
            valor = None
        elif not campo.tamanho_exato and tam is not None and len(texto) > tam:
            problemas.append(
                ("REGRA_TAMANHO_CAMPO_INVALIDO", f"{len(texto)} dígitos; máximo {tam}")
            )
    else:
        valor = texto
        if set(texto) & _INVALIDOS:
            problemas.append(("REGRA_CAMPO_INVALIDO", "caractere não imprimível"))
    if valor is not None and campo.dominio and texto not in campo.dominio:
        problemas.append(
            (
                "REGRA_VALORES_VALIDOS_INVALIDO",
                f"'{texto}' não é valor válido ({', '.join(campo.dominio)})",
            )
        )
    if valor is not None and campo.tabela is not None:
        tabela = leiaute.tabelas[campo.tabela]
        if tabela.codigo(texto) is None:
            problemas.append(
                (
                    regra_tabela.get(campo.tabela, "REGRA_VALORES_VALIDOS_INVALIDO"),
                    f"'{texto}' não está na {tabela.nome}",
                )
            )
    return valor, problemas


@dataclass
class _Aberto:
    nivel: int
    codigo: str
    ultimo_filho: int = -1


@dataclass(frozen=True, slots=True)
class Estrutura:
    """Pai de cada linha (número da linha do pai, ``None`` nos níveis 0 e 1) e os erros."""

    pais: Mapping[int, int | None] = field(default_factory=dict)
    erros: tuple[Erro, ...] = ()


def estrutura(linhas: Sequence[LinhaLida], leiaute: Leiaute, *, entrada: bool) -> Estrutura:
    """Hierarquia, ordem, ocorrências e presença dos registros (colunas Nível, Ocorrência,
    Entrada e Saída do manual)."""
    ordem = {r.chave: i for i, r in enumerate(leiaute.registros)}
    registros = {r.chave: r for r in leiaute.registros}
    erros: list[Erro] = []
    pais: dict[int, int | None] = {}
    pilha: list[tuple[_Aberto, int]] = []  # (aberto, número da linha)
    ultimo_topo = -1
    for pos, ln in enumerate(linhas):
        reg = registros[ln.codigo]
        nivel = reg.nivel or 0
        i = ordem[ln.codigo]
        if nivel == 0:
            primeiro = ln.codigo == leiaute.registros[0].chave
            if (primeiro and pos != 0) or (not primeiro and pos != len(linhas) - 1):
                onde = "a primeira" if primeiro else "a última"
                erros.append(
                    Erro(
                        "REGRA_HIERARQUIA_ARQUIVO",
                        f"o registro {ln.codigo} deve ser {onde} linha do arquivo",
                        linha=ln.numero,
                        origem=ln.codigo,
                    )
                )
            pilha = [(_Aberto(0, ln.codigo), ln.numero)]
            pais[ln.numero] = None
            continue
        while pilha and pilha[-1][0].nivel >= nivel:
            pilha.pop()
        esperado = reg.pai
        topo = pilha[-1] if pilha else None
        if nivel == 1:
            pai_ok = True
            if i < ultimo_topo:
                erros.append(
                    Erro(
                        "REGRA_HIERARQUIA_ARQUIVO",
                        f"registro {ln.codigo} fora da ordem dos blocos (0, I, J, M, 9)",
                        linha=ln.numero,
                        origem=ln.codigo,
                    )
                )
            ultimo_topo = max(ultimo_topo, i)
            pais[ln.numero] = None
        else:
            pai_ok = topo is not None and topo[0].codigo == esperado
            if not pai_ok:
                erros.append(
                    Erro(
                        "REGRA_HIERARQUIA_ARQUIVO",
                        f"registro {ln.codigo} (nível {nivel}) sem o registro pai {esperado} "
                        "imediatamente acima na hierarquia",
                        linha=ln.numero,
                        origem=ln.codigo,
                    )
                )
            pais[ln.numero] = topo[1] if pai_ok and topo is not None else None
        if pai_ok and topo is not None and nivel > 1:
            if i < topo[0].ultimo_filho:
                erros.append(
                    Erro(
                        "REGRA_HIERARQUIA_ARQUIVO",
                        f"registro {ln.codigo} fora da ordem do manual dentro do {topo[0].codigo}",
                        linha=ln.numero,
                        origem=ln.codigo,
                    )
                )
            topo[0].ultimo_filho = max(topo[0].ultimo_filho, i)
        pilha.append((_Aberto(nivel, ln.codigo), ln.numero))
    erros.extend(_ocorrencias(linhas, leiaute, entrada=entrada))
    return Estrutura(pais, tuple(erros))


def _ocorrencias(linhas: Sequence[LinhaLida], leiaute: Leiaute, *, entrada: bool) -> list[Erro]:
    erros: list[Erro] = []
    contagem: Counter[str] = Counter()
    for ln in linhas:
        contagem[ln.codigo] += 1
        reg = leiaute.registro(ln.codigo)
        if reg.maximo is not None and contagem[ln.codigo] > reg.maximo:
            if reg.maximo == 1:
                erros.append(
                    Erro(
                        "REGRA_OCORRENCIA_UNITARIA_ARQ",
                        f"registro {ln.codigo} repetido: só pode ocorrer uma vez no arquivo",
                        linha=ln.numero,
                        origem=ln.codigo,
                    )
                )
            else:
                erros.append(
                    Erro(
                        "REGRA_LIMITE_OCORRENCIAS",
                        f"registro {ln.codigo} passa do limite de {reg.maximo} ocorrências",
                        linha=ln.numero,
                        origem=ln.codigo,
                    )
                )
    for reg in leiaute.registros:
        presenca = reg.entrada if entrada else reg.saida
        tipo = "entrada" if entrada else "saída"
        if presenca == Presenca.NAO_SE_APLICA and contagem[reg.chave]:
            primeira = next(ln.numero for ln in linhas if ln.codigo == reg.chave)
            erros.append(
                Erro(
                    "REGRA_REGISTRO_NAO_SE_APLICA",
                    f"registro {reg.chave} não se aplica ao arquivo de {tipo} do PVA "
                    f"({contagem[reg.chave]} linha(s); é gerado pelo PVA)",
                    linha=primeira,
                    origem=reg.chave,
                )
            )
        pai_presente = reg.pai is None or (reg.nivel or 0) <= 2 or contagem[reg.pai] > 0
        if presenca == Presenca.OBRIGATORIO and not contagem[reg.chave] and pai_presente:
            erros.append(
                Erro(
                    "REGRA_REGISTRO_OBRIGATORIO",
                    f"registro {reg.chave} ({reg.nome}) obrigatório no arquivo de {tipo}",
                    origem=reg.chave,
                )
            )
    return erros
