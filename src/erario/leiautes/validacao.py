"""Validador genérico: aplica a qualquer pacote as regras declaradas no leiaute.

Por campo: tipo, tamanho, casas decimais, obrigatoriedade e domínio. Por
registro: presença (obrigatório, exclusivo de um mês) e totalizadores. Depois,
as regras de registro do leiaute, funções puras registradas pelo nome. Devolve
todos os problemas (``Erro`` com registro em ``origem``, item em ``linha`` e
campo "número. nome" do manual), nunca só o primeiro.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from decimal import Decimal
from typing import Final, NamedTuple

from erario.core.datas import nome_mes
from erario.core.erros import Erro
from erario.leiautes.modelo import Campo, Item, Leiaute, Obrigatoriedade, Pacote, Registro, Tipo

RegraPacote = Callable[[Pacote], Iterable[Erro]]

# Regras que são avisos (relatados, não impedem o envio): código desconhecido numa tabela
# cujos códigos o documento não dá (todos marcados ``confirmar`` no leiaute).
REGRAS_DE_AVISO: Final = frozenset({"LEI-CODIGO-A-CONFIRMAR"})


class Resultado(NamedTuple):
    """Problemas de um pacote: ``erros`` impedem o envio; ``avisos`` só são relatados."""

    erros: list[Erro]
    avisos: list[Erro]


def separar(problemas: Iterable[Erro], de_aviso: Collection[str] = REGRAS_DE_AVISO) -> Resultado:
    """Divide os problemas em erros e avisos (regras ``de_aviso``), na ordem em que vieram."""
    erros: list[Erro] = []
    avisos: list[Erro] = []
    for e in problemas:
        (avisos if e.regra in de_aviso else erros).append(e)
    return Resultado(erros, avisos)


def erro_campo(
    registro: Registro, campo: Campo | str, indice: int | None, regra: str, mensagem: str
) -> Erro:
    """Erro situado: registro (origem), item (linha, 1 = primeiro) e campo do manual."""
    c = registro.campo(campo) if isinstance(campo, str) else campo
    return Erro(regra, mensagem, c.rotulo, indice, registro.nome)


def vazio(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def codigo_texto(v: object) -> str:
    """Valor como código de domínio: ``1`` → ``"1"``, ``"S"`` → ``"S"``."""
    return str(v) if isinstance(v, int | str) and not isinstance(v, bool) else repr(v)


def _inteiro(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def problemas_do_valor(leiaute: Leiaute, campo: Campo, v: object) -> list[tuple[str, str]]:
    """(regra, mensagem) de cada problema do valor ``v`` no ``campo``."""
    if vazio(v):
        if campo.obrigatorio == Obrigatoriedade.SIM:
            return [("LEI-OBRIGATORIO", "campo obrigatório não informado")]
        return []
    saida: list[tuple[str, str]] = []
    tam = campo.tamanho
    if campo.tipo == Tipo.NUMERICO and campo.decimais == 0:
        if not _inteiro(v):
            return [("LEI-TIPO", f"'{v}' não é numérico inteiro")]
        assert isinstance(v, int)
        if v < 0:
            saida.append(("LEI-NEGATIVO", f"valor {v} negativo"))
        elif tam is not None and len(str(v)) > tam:
            saida.append(("LEI-TAMANHO", f"{v} tem {len(str(v))} dígitos; máximo {tam}"))
    elif campo.tipo == Tipo.NUMERICO:
        if _inteiro(v):
            assert isinstance(v, int)
            v = Decimal(v)
        if not isinstance(v, Decimal) or not v.is_finite():
            return [("LEI-TIPO", f"'{v}' não é numérico com {campo.decimais} casas decimais")]
        expoente = v.as_tuple().exponent
        casas = -expoente if isinstance(expoente, int) and expoente < 0 else 0
        if casas != campo.decimais:
            # "Enviar sempre com duas casas decimais, com separador '.', mesmo que o valor seja 0."
            saida.append(
                ("LEI-DECIMAIS", f"{v} deve ter exatamente {campo.decimais} casas decimais")
            )
        if v < 0:
            saida.append(("LEI-NEGATIVO", f"valor {v} negativo"))
        digitos = len(str(abs(int(v)))) + campo.decimais
        if tam is not None and digitos > tam:
            saida.append(("LEI-TAMANHO", f"{v} tem {digitos} dígitos com as casas; máximo {tam}"))
    elif campo.tipo == Tipo.CARACTERE:
        if not isinstance(v, str):
            return [("LEI-TIPO", f"'{v}' não é texto")]
        if tam is not None and len(v) > tam:
            saida.append(("LEI-TAMANHO", f"texto com {len(v)} caracteres; máximo {tam}"))
    elif not isinstance(v, dt.date) or isinstance(v, dt.datetime):
        return [("LEI-TIPO", f"'{v}' não é data AAAA-MM-DD")]
    if campo.dominio and codigo_texto(v) not in campo.dominio:
        aceitos = ", ".join(campo.dominio)
        saida.append(("LEI-DOMINIO", f"valor '{codigo_texto(v)}' fora do domínio: {aceitos}"))
    if campo.tabela is not None:
        tabela = leiaute.tabelas[campo.tabela]
        if tabela.codigo(codigo_texto(v)) is None:
            if tabela.a_confirmar:
                saida.append(
                    (
                        "LEI-CODIGO-A-CONFIRMAR",
                        f"código {codigo_texto(v)} não está na {tabela.nome} do erario "
                        "(códigos a confirmar com o órgão): confira se o código existe",
                    )
                )
            else:
                saida.append(("LEI-DOMINIO", f"código {codigo_texto(v)} não está na {tabela.nome}"))
    return saida


def validar_item(
    leiaute: Leiaute,
    registro: Registro,
    item: Item,
    indice: int | None,
    conhecidas: Collection[str] | None = None,
) -> list[Erro]:
    """Problemas de um item; ``conhecidas`` (chaves dos campos do registro) evita refazer o
    conjunto a cada item de um mesmo registro."""
    erros: list[Erro] = []
    if conhecidas is None:
        conhecidas = {c.chave for c in registro.campos}
    for chave in item:
        if chave not in conhecidas:
            erros.append(
                Erro(
                    "LEI-CAMPO",
                    f"campo '{chave}' não existe no registro",
                    chave,
                    indice,
                    registro.nome,
                )
            )
    for campo in registro.campos:
        for regra, msg in problemas_do_valor(leiaute, campo, item.get(campo.chave)):
            erros.append(erro_campo(registro, campo, indice, regra, msg))
    return erros


def _chaves_repetidas(registro: Registro, itens: Iterable[Item]) -> list[Erro]:
    """Campos com "#" no manual identificam o registro: a combinação não se repete."""
    chaves = [c for c in registro.campos if c.identificador]
    if not chaves:
        return []
    vistos: dict[tuple[str, ...], int] = {}
    erros = []
    for i, item in enumerate(itens, start=1):
        k = tuple(codigo_texto(item.get(c.chave)) for c in chaves)
        if k in vistos:
            nomes = ", ".join(c.rotulo for c in chaves)
            erros.append(
                Erro(
                    "LEI-CHAVE",
                    f"mesma identificação ({nomes}) do item {vistos[k]}",
                    linha=i,
                    origem=registro.nome,
                )
            )
        else:
            vistos[k] = i
    return erros


def validar(
    leiaute: Leiaute, pacote: Pacote, regras: Mapping[str, RegraPacote] | None = None
) -> list[Erro]:
    """Os erros do pacote (sem os avisos): ver ``validar_com_avisos``."""
    return validar_com_avisos(leiaute, pacote, regras).erros


def validar_com_avisos(
    leiaute: Leiaute,
    pacote: Pacote,
    regras: Mapping[str, RegraPacote] | None = None,
    de_aviso: Collection[str] = REGRAS_DE_AVISO,
) -> Resultado:
    """Todos os problemas do pacote: campos, registros, totalizadores e regras do leiaute,
    separados em erros e avisos (as regras ``de_aviso``; as do leiaute podem ter as suas)."""
    erros = validar_item(leiaute, leiaute.parametros, pacote.parametros, None)
    periodo = pacote.mes(leiaute)
    if leiaute.periodo is not None and periodo is None:
        v = pacote.parametros.get(leiaute.periodo)
        if isinstance(v, int) and not isinstance(v, bool):
            erros.append(
                erro_campo(
                    leiaute.parametros,
                    leiaute.periodo,
                    None,
                    "LEI-PERIODO",
                    f"{v} não é ano e mês AAAAMM (mês {v % 100:02d} fora de 01 a 12)",
                )
            )
    conhecidos = {r.chave for r in leiaute.registros}
    for chave in pacote.registros:
        if chave not in conhecidos:
            erros.append(
                Erro(
                    "LEI-REGISTRO",
                    f"tipo de registro '{chave}' não existe no leiaute",
                    origem=chave,
                )
            )
    for reg in leiaute.registros:
        itens = pacote.registros.get(reg.chave)
        if reg.somente_no_mes is not None and periodo is not None:
            nome = nome_mes(reg.somente_no_mes)
            if periodo[1] == reg.somente_no_mes and itens is None:
                erros.append(
                    Erro(
                        "LEI-REGISTRO",
                        f"obrigatório no mês {reg.somente_no_mes} ({nome}), mesmo vazio",
                        origem=reg.nome,
                    )
                )
            elif periodo[1] != reg.somente_no_mes and itens:
                erros.append(
                    Erro(
                        "LEI-REGISTRO",
                        f"exclusivo do mês {reg.somente_no_mes} ({nome}); "
                        f"não pode ir no pacote de {nome_mes(periodo[1])}",
                        origem=reg.nome,
                    )
                )
        elif reg.presenca == Obrigatoriedade.SIM and itens is None:
            erros.append(Erro("LEI-REGISTRO", "tipo de registro obrigatório", origem=reg.nome))
        conhecidas = {c.chave for c in reg.campos}
        for i, item in enumerate(itens or (), start=1):
            erros.extend(validar_item(leiaute, reg, item, i, conhecidas))
        erros.extend(_chaves_repetidas(reg, itens or ()))
    if pacote.totalizadores is not None:
        for tot in leiaute.totalizadores:
            esperado = len(pacote.itens(tot.registro))
            informado = pacote.totalizadores.get(tot.chave)
            if informado != esperado:
                erros.append(
                    Erro(
                        "LEI-TOTALIZADOR",
                        f"informado {informado}, mas o pacote tem {esperado} registro(s)",
                        f"{tot.numero}. {tot.nome}",
                        origem="Totalizadores",
                    )
                )
    for nome in leiaute.regras:
        regra = (regras or {}).get(nome)
        if regra is None:
            erros.append(
                Erro(
                    "LEI-REGRA",
                    f"regra '{nome}' do leiaute não implementada",
                    origem=leiaute.codigo,
                )
            )
            continue
        erros.extend(regra(pacote))
    return separar(erros, de_aviso)
