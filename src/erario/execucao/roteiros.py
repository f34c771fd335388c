"""Roteiros contábeis como dados e a regra que os aplica.

Os roteiros ficam em ``execucao/dados/roteiros.toml`` (um por tipo de evento:
pares débito/crédito por subsistema, com a referência ao MCASP). ``contabilizar``
é uma função pura: evento já resolvido (valor e atributos) + roteiro + plano →
lançamento ou erros. Não lê banco; a validação do lançamento no razão
(competência, número, etc.) continua com ``razao.validacao``.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Final, NamedTuple

from erario.core.erros import Erro
from erario.razao.modelo import (
    LIVRO_CONTABIL,
    Conta,
    Lancamento,
    LancamentoCompacto,
    ModeloPartidas,
    Partida,
    PlanoContas,
    TipoLancamento,
)

_RE_VARIAVEL: Final = re.compile(r"\{([A-Za-z_]+)\}")
_FORMATADOR: Final = string.Formatter()
_NATUREZAS: Final = ("O", "P", "C")
_MODELOS_MAX: Final = 100_000  # modelos de partidas guardados por carga (contabilizar_compacto)


class Par(NamedTuple):
    """Um débito e um crédito de mesmo valor, num subsistema."""

    natureza: str  # O, P ou C
    debito: str  # código PCASP ou {variável do evento}
    credito: str
    se: str = ""  # variável que o evento precisa informar para o par entrar


class Roteiro(NamedTuple):
    tipo: str
    descricao: str
    referencia: str
    historico: str  # modelo com {variáveis}
    pares: tuple[Par, ...]
    pares_destino: tuple[Par, ...] = ()  # lançamento na entidade de destino (transferências)


def ler_roteiros(texto: str, origem: str = "roteiros") -> tuple[dict[str, Roteiro], list[Erro]]:
    """Lê a tabela TOML de roteiros; devolve todos os problemas encontrados."""
    try:
        dados = tomllib.loads(texto)
    except tomllib.TOMLDecodeError as exc:
        return {}, [Erro("ROTEIRO-FORMATO", f"TOML inválido: {exc}", None, None, origem)]
    roteiros: dict[str, Roteiro] = {}
    erros: list[Erro] = []
    for tipo, item in dados.items():
        campos = ("descricao", "referencia", "historico", "pares")
        faltam = [c for c in campos if c not in item]
        if faltam:
            erros.append(
                Erro(
                    "ROTEIRO-FORMATO",
                    f"roteiro {tipo}: faltam {', '.join(faltam)}",
                    tipo,
                    None,
                    origem,
                )
            )
            continue
        pares: list[Par] = []
        destino: list[Par] = []
        todos = [(p, pares) for p in item["pares"]] + [
            (p, destino) for p in item.get("pares_destino", [])
        ]
        for i, (p, lista) in enumerate(todos, start=1):
            if p.get("natureza") not in _NATUREZAS or not p.get("debito") or not p.get("credito"):
                erros.append(
                    Erro(
                        "ROTEIRO-FORMATO",
                        f"roteiro {tipo}, par {i}: informe natureza (O, P ou C), debito e credito",
                        tipo,
                        None,
                        origem,
                    )
                )
                continue
            lista.append(Par(p["natureza"], p["debito"], p["credito"], p.get("se", "")))
        roteiros[tipo] = Roteiro(
            tipo,
            item["descricao"],
            item["referencia"],
            item["historico"],
            tuple(pares),
            tuple(destino),
        )
    return roteiros, erros


def roteiros_padrao() -> dict[str, Roteiro]:
    """Os roteiros do erario (PCASP Federação); uma cópia a cada chamada."""
    return dict(_roteiros_do_pacote())


@cache  # lidos uma vez por processo: o TOML custava ~50 ms a cada evento registrado
def _roteiros_do_pacote() -> dict[str, Roteiro]:
    texto = resources.files("erario.execucao").joinpath("dados/roteiros.toml").read_text("utf-8")
    roteiros, erros = ler_roteiros(texto, "roteiros.toml")
    if erros:  # dado do pacote: erro aqui é defeito do erario, não do usuário
        raise ValueError("; ".join(map(str, erros)))
    return roteiros


def _substituir(modelo: str, atributos: Mapping[str, str], erros: list[Erro], onde: str) -> str:
    def valor(m: re.Match[str]) -> str:
        nome = m.group(1)
        if nome not in atributos:
            erros.append(Erro("ROTEIRO-VARIAVEL", f"{onde}: o evento não informa {nome}", nome))
            return m.group(0)
        return atributos[nome]

    return _RE_VARIAVEL.sub(valor, modelo)


def _preencher(modelo: str, atributos: Mapping[str, str], erros: list[Erro], onde: str) -> str:
    """``{variável}`` → valor do evento; ``format_map`` no caso comum, e a
    substituição item a item (que relata cada variável ausente) se faltar alguma."""
    try:
        return modelo.format_map(atributos)
    except (KeyError, ValueError, IndexError):
        return _substituir(modelo, atributos, erros, onde)


# Destino de uma partida já resolvido no plano: código completo e o modelo da
# conta corrente (``"DO={DO}|FR={FR}"``, tipos na ordem da conta).
_Destino = tuple[str, str]
# Par compilado: (se, natureza, débito, crédito); débito e crédito são um
# ``_Destino`` (conta fixa) ou o modelo do código (``{conta_vpd}``).
_ParCompilado = tuple[str, str, tuple[str, str] | str, tuple[str, str] | str]


class CacheContas(dict[str, Conta | None]):
    """Cache de um só plano para as cargas grandes: código → conta (o ``cache`` de
    ``contabilizar``) e, à parte, os roteiros compilados contra esse plano."""

    def __init__(self) -> None:
        super().__init__()
        self.roteiros: dict[Roteiro, tuple[_ParCompilado, ...]] = {}
        self.destinos: dict[tuple[str, str], _Destino | None] = {}
        # contabilizar_compacto: tipo → (roteiro, variáveis que decidem as contas);
        # (tipo, valores dessas variáveis) → (tipos de conta corrente das contas,
        # valores desses tipos → modelo das partidas)
        self.variaveis: dict[str, tuple[Roteiro, tuple[str, ...]]] = {}
        self.modelos: dict[
            tuple[str | None, ...],
            tuple[tuple[str, ...], dict[tuple[str | None, ...], ModeloPartidas]],
        ] = {}
        self.n_modelos = 0


def _destino(codigo: str, natureza: str, plano: PlanoContas, cache: CacheContas) -> _Destino | None:
    """Conta analítica da natureza do par e o modelo da sua conta corrente; None
    quando o caminho completo de ``contabilizar`` tem erro a relatar."""
    chave = (codigo, natureza)
    try:
        return cache.destinos[chave]
    except KeyError:
        pass
    if codigo in cache:
        conta = cache[codigo]
    else:
        normal = plano.mascara.normalizar(codigo)
        conta = cache[codigo] = plano.contas.get(normal) if normal else None
    destino = None
    if conta is not None and conta.analitica and conta.natureza_informacao == natureza:
        cc = []
        for tipo in conta.conta_corrente:
            if tipo == "FP" and conta.superavit in ("F", "P"):
                cc.append(f"FP={conta.superavit}")
            elif tipo.isalpha():  # tipo esquisito no plano: fica para o caminho completo
                cc.append(f"{tipo}={{{tipo}}}")
            else:
                break
        else:
            destino = (conta.codigo, "|".join(cc))
    cache.destinos[chave] = destino
    return destino


def _compilar(
    roteiro: Roteiro, plano: PlanoContas, cache: CacheContas
) -> tuple[_ParCompilado, ...]:
    pares: list[_ParCompilado] = []
    for par in roteiro.pares:
        lados: list[_Destino | str] = []
        for modelo in (par.debito, par.credito):
            fixo = None if "{" in modelo else _destino(modelo, par.natureza, plano, cache)
            lados.append(modelo if fixo is None else fixo)
        pares.append((par.se, par.natureza, lados[0], lados[1]))
    return tuple(pares)


def _contabilizar_rapido(
    roteiro: Roteiro,
    plano: PlanoContas,
    entidade: str,
    data: dt.date,
    centavos: int,
    atributos: Mapping[str, str],
    cache: CacheContas,
    numero: str | None,
) -> Lancamento | None:
    """O caso sem erro de ``contabilizar``, com o roteiro compilado; None se há algo
    a relatar (o caminho completo refaz tudo e dá os erros)."""
    forma = cache.roteiros.get(roteiro)
    if forma is None:
        forma = cache.roteiros[roteiro] = _compilar(roteiro, plano, cache)
    partidas: list[Partida] = []
    try:
        for se, natureza, debito, credito in forma:
            if se and se not in atributos:
                continue
            d = (
                _destino(debito.format_map(atributos), natureza, plano, cache)
                if isinstance(debito, str)
                else debito
            )
            c = (
                _destino(credito.format_map(atributos), natureza, plano, cache)
                if isinstance(credito, str)
                else credito
            )
            if d is None or c is None:
                return None
            partidas.append(Partida(d[0], "D", centavos, d[1].format_map(atributos)))
            partidas.append(Partida(c[0], "C", centavos, c[1].format_map(atributos)))
        historico = roteiro.historico.format_map(atributos)
    except (KeyError, ValueError, IndexError):
        return None
    origem = f"evento:{atributos['evento']}" if "evento" in atributos else None
    return Lancamento(
        entidade,
        data,
        historico,
        tuple(partidas),
        numero,
        TipoLancamento.ORDINARIO,
        LIVRO_CONTABIL,
        origem,
    )


def _campos(modelo: str) -> set[str]:
    """Os nomes que ``modelo.format_map`` procura (a gramática do próprio
    ``str.format``, inclusive dentro da especificação de formato); modelo
    malformado não tem nomes (``format_map`` falha e o caminho completo relata)."""
    nomes: set[str] = set()
    try:
        for _, campo, especificacao, _ in _FORMATADOR.parse(modelo):
            if campo is not None:
                nomes.add(re.split(r"[.\[]", campo, maxsplit=1)[0])
            if especificacao:
                nomes |= _campos(especificacao)
    except ValueError:
        pass
    return nomes


def _variaveis(roteiro: Roteiro) -> tuple[str, ...]:
    """Variáveis que decidem as contas das partidas do roteiro: as dos códigos e
    as das condições (``se``)."""
    nomes: set[str] = set()
    for par in roteiro.pares:
        nomes |= _campos(par.debito) | _campos(par.credito)
        if par.se:
            nomes.add(par.se)
    return tuple(sorted(nomes))


def contabilizar_compacto(
    roteiro: Roteiro,
    plano: PlanoContas,
    entidade: str,
    data: dt.date,
    centavos: int,
    atributos: Mapping[str, str],
    cache: CacheContas,
    numero: str,
) -> LancamentoCompacto | None:
    """O lançamento de ``contabilizar`` na forma compacta (todo par do roteiro
    debita e credita o valor do evento), para as cargas grandes: o modelo das
    partidas é montado uma vez por roteiro e valores das variáveis que o decidem
    e fica no ``cache``. None quando o caminho completo tem algo a relatar.

    A chave tem dois níveis: as variáveis dos códigos e condições decidem as
    contas; as contas, os tipos de conta corrente cujos valores vêm do evento.
    """
    if centavos <= 0:
        return None
    variaveis = cache.variaveis.get(roteiro.tipo)
    if variaveis is None or variaveis[0] is not roteiro:
        if variaveis is not None:  # outro roteiro com o mesmo tipo: modelos de antes não valem
            cache.modelos.clear()
            cache.n_modelos = 0
        variaveis = cache.variaveis[roteiro.tipo] = (roteiro, _variaveis(roteiro))
    contas = cache.modelos.get((roteiro.tipo, *map(atributos.get, variaveis[1])))
    modelo = None
    if contas is not None:
        valores_cc = tuple(map(atributos.get, contas[0]))
        modelo = contas[1].get(valores_cc)
    if modelo is None:
        lanc = _contabilizar_rapido(
            roteiro, plano, entidade, data, centavos, atributos, cache, numero
        )
        if lanc is None:
            return None
        modelo = tuple((p.conta, p.dc, p.conta_corrente) for p in lanc.partidas)
        if cache.n_modelos >= _MODELOS_MAX:  # memória limitada; só custa remontar
            cache.modelos.clear()
            cache.n_modelos = 0
            contas = None
        if contas is None:
            # Tipos de conta corrente das partidas ("DO=…|FR=…"): com as mesmas
            # contas, só os valores deles mudam o modelo (FP fixo da conta entra
            # também, sem mal: só separa o que poderia ser igual).
            tipos = {item.split("=", 1)[0] for _, _, cc in modelo if cc for item in cc.split("|")}
            contas = (tuple(sorted(tipos)), {})
            cache.modelos[(roteiro.tipo, *map(atributos.get, variaveis[1]))] = contas
            valores_cc = tuple(map(atributos.get, contas[0]))
        contas[1][valores_cc] = modelo
        cache.n_modelos += 1
        historico = lanc.historico
    else:
        try:
            historico = roteiro.historico.format_map(atributos)
        except (KeyError, ValueError, IndexError):
            return None
    origem = f"evento:{atributos['evento']}" if "evento" in atributos else None
    return LancamentoCompacto(entidade, data, historico, numero, origem, centavos, modelo)


def contabilizar(
    roteiro: Roteiro,
    plano: PlanoContas,
    entidade: str,
    data: dt.date,
    centavos: int,
    atributos: Mapping[str, str],
    cache: dict[str, Conta | None] | None = None,
    numero: str | None = None,
) -> tuple[Lancamento | None, list[Erro]]:
    """Lançamento do evento pelo roteiro, ou todos os erros (conta, natureza, atributo).

    ``atributos`` traz as variáveis do roteiro (``conta_vpd``…), os valores de
    conta corrente por tipo (``DO``, ``FR``, ``CR``…) e ``evento`` (o vínculo
    gravado em ``origem``). ``cache`` (código → conta, de um só plano) evita
    normalizar o mesmo código a cada evento nas cargas grandes; sendo um
    ``CacheContas``, o roteiro também é compilado uma vez. ``numero``: número de
    controle do lançamento.
    """
    if isinstance(cache, CacheContas) and centavos > 0:
        lanc = _contabilizar_rapido(
            roteiro, plano, entidade, data, centavos, atributos, cache, numero
        )
        if lanc is not None:
            return lanc, []
    erros: list[Erro] = []
    if centavos <= 0:
        erros.append(Erro("ROTEIRO-VALOR", "valor do evento deve ser positivo", "valor"))
    partidas: list[Partida] = []
    for i, par in enumerate(roteiro.pares, start=1):
        if par.se and par.se not in atributos:
            continue
        for dc, modelo in (("D", par.debito), ("C", par.credito)):
            onde = f"roteiro {roteiro.tipo}, par {i}"
            codigo = _preencher(modelo, atributos, erros, onde) if "{" in modelo else modelo
            if cache is not None and codigo in cache:
                conta = cache[codigo]
            else:
                normal = plano.mascara.normalizar(codigo)
                conta = plano.contas.get(normal) if normal else None
                if cache is not None:
                    cache[codigo] = conta
            if conta is None or not conta.analitica:
                motivo = "não existe no plano" if conta is None else "é sintética"
                erros.append(Erro("ROTEIRO-CONTA", f"{onde}: conta {codigo} {motivo}", "conta"))
                continue
            if conta.natureza_informacao != par.natureza:  # StrEnum compara com o texto
                erros.append(
                    Erro(
                        "ROTEIRO-NATUREZA",
                        f"{onde}: conta {conta.codigo} não é da natureza {par.natureza}",
                        "conta",
                    )
                )
                continue
            cc = []
            for tipo in conta.conta_corrente:
                if tipo == "FP" and conta.superavit in ("F", "P"):
                    valor = conta.superavit  # atributo F/P da própria conta (MSC)
                elif tipo in atributos:
                    valor = atributos[tipo]
                else:
                    erros.append(
                        Erro(
                            "ROTEIRO-CC",
                            f"{onde}: conta {conta.codigo} exige conta corrente {tipo}, "
                            "que o evento não informa",
                            tipo,
                        )
                    )
                    continue
                cc.append(f"{tipo}={valor}")
            partidas.append(Partida(conta.codigo, dc, centavos, "|".join(cc)))
    historico = _preencher(roteiro.historico, atributos, erros, f"roteiro {roteiro.tipo}")
    if erros:
        return None, erros
    origem = f"evento:{atributos['evento']}" if "evento" in atributos else None
    return Lancamento(entidade, data, historico, tuple(partidas), numero, origem=origem), []
