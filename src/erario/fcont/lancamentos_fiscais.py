"""Lançamentos fiscais do FCONT ao lado dos comerciais (I200.IND_LCTO, manual,
Anexo I, item 2.6.2.9 e Tabelas Intrínsecas 2.3.3).

No razão do erario cada tipo é um **livro** (tipo de saldo, como no manual:
"copiá-los para o tipo de saldo de expurgo (tipo X)", parte IV): o lançamento
comercial fica no livro ``C``; os fiscais, cada um no seu livro de uma letra
(tabela ``TIPOS``). Assim os saldos de cada tipo se guardam à parte, o
razão continua só crescendo (correção é estorno, no mesmo livro) e as duas
visões (``fcont.visoes``) somam os livros.

Regras por tipo (uma linha da tabela por tipo, não ``if`` espalhados):
naturezas permitidas das contas (REGRA_TIPO_LCTO_PERMITIDO: TS, TF, IS e IF só
em contas patrimoniais; REGRA_TIPO_LCTO_PERMITIDO_TR: TR em 01 a 04;
REGRA_CONTA_PARA_LANÇAMENTO_EF: EF em 03 ou 04) e em que visão o tipo entra.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Final, NamedTuple

from erario.core.dinheiro import ValorInvalido, centavos_de_texto
from erario.core.erros import Erro
from erario.fcont.livros import PATRIMONIAIS, REFERENCIADAS, Natureza
from erario.razao.modelo import LIVRO_CONTABIL, Lancamento, Partida, TipoLancamento


class TipoFiscal(StrEnum):
    X = "X"  # expurgo de lançamento da escrituração comercial
    F = "F"  # lançamento fiscal não feito na escrituração comercial
    EF = "EF"  # encerramento fiscal das contas de resultado
    IS = "IS"  # alteração do saldo inicial societário
    IF = "IF"  # alteração do saldo inicial fiscal
    TS = "TS"  # transferência de saldo societário entre contas referenciais
    TF = "TF"  # transferência de saldo fiscal entre contas referenciais
    TR = "TR"  # transferência da diferença fiscal × societário na troca de plano


class RegraTipo(NamedTuple):
    livro: str  # livro (tipo de saldo) do razão, uma letra
    descricao: str
    naturezas: frozenset[Natureza] | None  # None: qualquer natureza


_TODAS: Final = None
TIPOS: Final[Mapping[TipoFiscal, RegraTipo]] = {
    TipoFiscal.X: RegraTipo("X", "expurgo de lançamento comercial", _TODAS),
    TipoFiscal.F: RegraTipo("F", "lançamento fiscal", _TODAS),
    TipoFiscal.EF: RegraTipo(
        "E",
        "encerramento fiscal",
        frozenset({Natureza.PATRIMONIO_LIQUIDO, Natureza.RESULTADO}),
    ),
    TipoFiscal.IS: RegraTipo("S", "inicialização do saldo societário", PATRIMONIAIS),
    TipoFiscal.IF: RegraTipo("I", "inicialização do saldo fiscal", PATRIMONIAIS),
    TipoFiscal.TS: RegraTipo("T", "transferência de saldo societário", PATRIMONIAIS),
    TipoFiscal.TF: RegraTipo("G", "transferência de saldo fiscal", PATRIMONIAIS),
    TipoFiscal.TR: RegraTipo("R", "transferência na troca de plano", REFERENCIADAS),
}
TIPO_DO_LIVRO: Final[Mapping[str, TipoFiscal]] = {r.livro: t for t, r in TIPOS.items()}
LIVROS_FISCAIS: Final = tuple(TIPO_DO_LIVRO)
# Origem do expurgo: o número do lançamento comercial expurgado (I200.NUM_LCTO do X
# é o do lançamento societário, observação do registro I200).
PREFIXO_EXPURGO: Final = "fcont-x:"
COLUNAS_CSV: Final = ("tipo", "numero", "data", "historico", "conta", "dc", "valor")


def tipo_do_livro(livro: str) -> TipoFiscal | None:
    return TIPO_DO_LIVRO.get(livro)


def numero_no_arquivo(lanc: Lancamento) -> str:
    """NUM_LCTO do I200: o X leva o número do lançamento comercial expurgado."""
    origem = lanc.origem or ""
    if origem.startswith(PREFIXO_EXPURGO):
        return origem[len(PREFIXO_EXPURGO) :]
    return lanc.numero or ""


def expurgo(
    original: Lancamento, numero: str | None = None
) -> tuple[Lancamento | None, list[Erro]]:
    """O lançamento X de um lançamento comercial: as mesmas partidas, com o mesmo
    D/C, histórico e data (registro I250: "não se admite excluir apenas parcela
    das partidas"). A visão fiscal subtrai o livro X."""
    erros = []
    if original.livro != LIVRO_CONTABIL:
        erros.append(
            Erro(
                "FCONT-EXPURGO",
                f"o lançamento {original.numero} não é da escrituração comercial (livro {original.livro})",
            )
        )
    if original.estorno:
        erros.append(Erro("FCONT-EXPURGO", f"o lançamento {original.numero} é um estorno"))
    if original.tipo != TipoLancamento.ORDINARIO:
        erros.append(
            Erro(
                "FCONT-EXPURGO",
                f"o lançamento {original.numero} é de {original.tipo.value}: só lançamentos "
                "ordinários são expurgados",
            )
        )
    if erros:
        return None, erros
    return (
        Lancamento(
            entidade=original.entidade,
            data=original.data,
            historico=original.historico,
            partidas=original.partidas,
            numero=numero,
            livro=TIPOS[TipoFiscal.X].livro,
            origem=f"{PREFIXO_EXPURGO}{original.numero}",
        ),
        [],
    )


def lancamento_fiscal(
    tipo: TipoFiscal,
    entidade: str,
    data: dt.date,
    historico: str,
    partidas: Sequence[Partida],
    naturezas: Mapping[str, Natureza],
    numero: str | None = None,
    origem: str | None = None,
) -> tuple[Lancamento | None, list[Erro]]:
    """Um lançamento fiscal (F, EF, IS, IF, TS, TF, TR) no livro do tipo, com as
    naturezas permitidas conferidas; o resto (partidas dobradas, contas, valores,
    competência) o razão confere ao gravar. X se faz por ``expurgo``."""
    if tipo == TipoFiscal.X:
        return None, [
            Erro(
                "FCONT-TIPO",
                "o expurgo (X) repete um lançamento comercial: use erario fcont expurgar",
                "tipo",
            )
        ]
    regra = TIPOS[tipo]
    erros = []
    for i, p in enumerate(partidas, start=1):
        nat = naturezas.get(p.conta)
        if nat is None:
            erros.append(
                Erro("FCONT-CONTA", f"conta {p.conta} não está no plano da empresa", f"partida {i}")
            )
        elif regra.naturezas is not None and nat not in regra.naturezas:
            permitidas = ", ".join(sorted(n.value for n in regra.naturezas))
            erros.append(
                Erro(
                    "FCONT-TIPO-NATUREZA",
                    f"lançamento {tipo.value} ({regra.descricao}) não movimenta a conta {p.conta} "
                    f"de natureza {nat.value}: só {permitidas}",
                    f"partida {i}",
                )
            )
    if erros:
        return None, erros
    return (
        Lancamento(
            entidade=entidade,
            data=data,
            historico=historico,
            partidas=tuple(partidas),
            numero=numero,
            livro=regra.livro,
            origem=origem,
        ),
        [],
    )


def ler_lancamentos_fiscais_csv(
    texto: str, entidade: str, naturezas: Mapping[str, Natureza], origem: str = "arquivo"
) -> tuple[list[Lancamento], list[int], list[Erro]]:
    """CSV ``;`` com ``tipo;numero;data;historico;conta;dc;valor``, uma linha por
    partida; linhas seguidas com o mesmo número formam um lançamento (número vazio:
    o razão numera). Devolve os lançamentos, a linha de cada um e todos os erros."""
    leitor = csv.reader(io.StringIO(texto.lstrip("\ufeff")), delimiter=";")
    cab = [c.strip().lower() for c in next(leitor, [])]
    faltam = [c for c in COLUNAS_CSV if c not in cab]
    if faltam:
        return (
            [],
            [],
            [Erro("FCONT-CSV", "faltam as colunas " + ", ".join(faltam), linha=1, origem=origem)],
        )
    idx = {c: cab.index(c) for c in COLUNAS_CSV}
    grupos: list[tuple[int, list[tuple[int, list[str]]]]] = []
    chave_atual: tuple[str, str] | None = None
    for n, campos in enumerate(leitor, start=2):
        if not any(c.strip() for c in campos):
            continue
        campos = [c.strip() for c in campos] + [""] * (len(cab) - len(campos))
        chave = (campos[idx["tipo"]], campos[idx["numero"]])
        if chave != chave_atual or not chave[1]:
            grupos.append((n, []))
            chave_atual = chave
        grupos[-1][1].append((n, campos))
    lancs: list[Lancamento] = []
    linhas: list[int] = []
    erros: list[Erro] = []
    for inicio, itens in grupos:
        _n0, primeiro = itens[0]
        texto_tipo = primeiro[idx["tipo"]].upper()
        try:
            tipo = TipoFiscal(texto_tipo)
        except ValueError:
            erros.append(
                Erro(
                    "FCONT-TIPO",
                    f"tipo '{texto_tipo}' inválido: use " + ", ".join(t.value for t in TipoFiscal),
                    "tipo",
                    inicio,
                    origem,
                )
            )
            continue
        try:
            data = dt.date.fromisoformat(primeiro[idx["data"]])
        except ValueError:
            erros.append(
                Erro(
                    "FCONT-CSV",
                    f"data '{primeiro[idx['data']]}' inválida: use AAAA-MM-DD",
                    "data",
                    inicio,
                    origem,
                )
            )
            continue
        partidas = []
        for n, campos in itens:
            try:
                centavos = centavos_de_texto(campos[idx["valor"]])
            except ValorInvalido as exc:
                erros.append(Erro("FCONT-CSV", str(exc), "valor", n, origem))
                continue
            partidas.append(Partida(campos[idx["conta"]], campos[idx["dc"]].upper(), centavos))
        lanc, erros_l = lancamento_fiscal(
            tipo,
            entidade,
            data,
            primeiro[idx["historico"]],
            partidas,
            naturezas,
            numero=primeiro[idx["numero"]] or None,
        )
        erros.extend(e.em(linha=inicio, origem=origem) for e in erros_l)
        if lanc is not None:
            lancs.append(lanc)
            linhas.append(inicio)
    return lancs, linhas, erros
