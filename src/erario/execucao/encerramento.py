"""Encerramento do exercício e abertura do seguinte, a partir dos saldos.

Função pura: controle (o que inscrever em restos a pagar) + saldos do razão do
exercício em 31/12 + plano → os lançamentos, na ordem em que o MCASP os
descreve (Parte I, encerramento do exercício; Parte IV, funcionamento das
classes 5, 6, 7 e 8), numerados pelo passo (``EV<id>`` e ``EV<id>.2`` a ``.5``;
um passo sem partidas não gera lançamento e o seu número fica sem uso):

1. inscrição de restos a pagar (roteiros ``inscricao_rpnp``,
   ``inscricao_rpnp_em_liquidacao`` — o que os eventos ``em_liquidacao`` puseram
   em liquidação e ainda não se liquidou — e ``inscricao_rpp``, por dotação e
   fonte, com o ano de inscrição como conta corrente AI);
2. encerramento das contas orçamentárias: zera 5.2 e 6.2 (previsão × realização
   da receita, fixação × execução da despesa) e baixa os RP pagos e cancelados
   no exercício (6.3.x.4/9 contra 5.3.x.1/2);
3. encerramento da DDR utilizada no exercício (8.2.1.1.4) contra o controle que
   registrou a entrada do recurso na mesma fonte: o extraorçamentário (7.2.1.1.3)
   baixa o que já não está comprometido por entradas compensatórias
   (8.2.1.1.3.02); o resto baixa os recursos ordinários ou vinculados (7.2.1.1.1
   ou 7.2.1.1.2, o do tipo da fonte primeiro). Assim 7.2.1.1 continua igual à
   soma de 8.2.1.1.1 a 8.2.1.1.3 em cada fonte, e cada controle ao que é seu;
4. apuração do resultado patrimonial: zera as classes 3 e 4 contra
   2.3.7.1.x.01 (superávits ou déficits do exercício), no mesmo nível de
   consolidação (5º nível da VPA/VPD);
5. abertura (período 0, 1º de janeiro seguinte): todo saldo que atravessa o
   exercício — classes 1 e 2, restos a pagar (5.3/6.3) e os controles das
   classes 7 e 8 — com as transposições do PCASP: o inscrito no exercício passa
   a inscrito (5.3.x.7 → 5.3.x.1, 6.3.x.7 → 6.3.x.1/6.3.1.2), o inscrito antes a
   exercícios anteriores (5.3.x.1 → 5.3.x.2), o resultado do exercício a
   resultado de exercícios anteriores (2.3.7.1.x.01 → .02) e a DDR disponível a
   recursos de exercícios anteriores (8.2.1.1.1.01 → .02); a fonte de recursos
   do exercício corrente passa a de exercícios anteriores (1º dígito 1 → 2,
   Portaria STN 710/2021): o superávit financeiro por fonte (Lei 4.320/1964,
   art. 43, § 1º, I) e os restos a pagar seguem nela.

As contas são achadas pelo código do PCASP Federação (7 níveis) como prefixo:
num plano estendido (p. ex. o do TCE-RS, com níveis a mais), a conta de
destino mantém os níveis extras da de origem ou é a analítica sob o código.

Saldos com sinal (+ devedor, − credor) por (conta, conta corrente).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Final

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import EncerramentoExercicio
from erario.execucao.roteiros import Roteiro, contabilizar
from erario.orcamento.classificacao import fonte_exercicios_anteriores, ler_fonte
from erario.razao.estorno import estornar
from erario.razao.modelo import (
    Lancamento,
    Partida,
    PlanoContas,
    TipoLancamento,
    atributos_cc,
    texto_cc,
)

Saldos = dict[tuple[str, str], int]

# RP executados no exercício → a inscrição que baixam (a do ano anterior, senão a
# de exercícios anteriores): MCASP Parte IV, 6.3.1.4/6.3.1.9 e 6.3.2.2/6.3.2.9.
BAIXA_RP: Final = (
    ("6.3.1.4.0.00.00", ("5.3.1.1.0.00.00", "5.3.1.2.0.00.00")),
    ("6.3.1.9.9.00.00", ("5.3.1.1.0.00.00", "5.3.1.2.0.00.00")),
    ("6.3.2.2.0.00.00", ("5.3.2.1.0.00.00", "5.3.2.2.0.00.00")),
    ("6.3.2.9.0.00.00", ("5.3.2.1.0.00.00", "5.3.2.2.0.00.00")),
)
DDR_UTILIZADA: Final = "8.2.1.1.4."
DDR_ENTRADAS_COMPENSATORIAS: Final = "8.2.1.1.3.02.00"
CONTROLE_ORDINARIO: Final = "7.2.1.1.1.00.00"
CONTROLE_VINCULADO: Final = "7.2.1.1.2.00.00"
CONTROLE_EXTRAORCAMENTARIO: Final = "7.2.1.1.3.00.00"
# Depois do extraorçamentário, a ordem em que a DDR utilizada baixa os demais
# controles da fonte (o do tipo da fonte vem primeiro: ver _encerramento_ddr).
CONTROLES_DDR: Final = (
    CONTROLE_ORDINARIO,
    CONTROLE_VINCULADO,
    "7.2.1.1.4.00.00",
    "7.2.1.1.9.00.00",
    CONTROLE_EXTRAORCAMENTARIO,
)
RESULTADO_EXERCICIO: Final = "2.3.7.1.{}.01.00"
RESULTADO_ANTERIORES: Final = "2.3.7.1.{}.02.00"
# Abertura: conta (código do PCASP Federação) → a que recebe o saldo no
# exercício seguinte; as demais contas que atravessam o exercício ficam onde estão.
TRANSPOSICAO_ABERTURA: Final = {
    "5.3.1.1.0.00.00": "5.3.1.2.0.00.00",
    "5.3.2.1.0.00.00": "5.3.2.2.0.00.00",
    "5.3.1.7.0.00.00": "5.3.1.1.0.00.00",
    "5.3.2.7.0.00.00": "5.3.2.1.0.00.00",
    "6.3.1.7.1.00.00": "6.3.1.1.0.00.00",
    "6.3.1.7.2.00.00": "6.3.1.2.0.00.00",
    "6.3.2.7.0.00.00": "6.3.2.1.0.00.00",
    "8.2.1.1.1.01.00": "8.2.1.1.1.02.00",
    **{RESULTADO_EXERCICIO.format(n): RESULTADO_ANTERIORES.format(n) for n in range(1, 6)},
}
# Saldos que não atravessam o exercício: resultado (3 e 4, apurado) e execução
# orçamentária do exercício (5.2 e 6.2, encerrada).
NAO_TRANSPORTADAS: Final = ("3.", "4.", "5.2.", "6.2.")


def pcasp(conta: str) -> str:
    """O código do PCASP Federação (7 níveis) de uma conta de qualquer plano que o
    estende (os níveis extras são cortados)."""
    return ".".join(conta.split(".")[:7])


@cache  # poucos códigos do PCASP, consultados para cada saldo do exercício
def significativos(codigo: str) -> tuple[str, ...]:
    """Os níveis de um código do PCASP até o último diferente de zero: o que uma
    conta de qualquer plano que o estende tem de começar por ter (7.2.1.1.1.00.00
    → 7.2.1.1.1). Os planos estaduais detalham também os níveis que o PCASP deixa
    em zero (no do TCE-RS, 7.2.1.1.2.00.20 é a fonte 20 dos recursos vinculados)."""
    partes = codigo.split(".")
    while partes and not partes[-1].strip("0"):
        partes.pop()
    return tuple(partes)


def pertence(conta: str, codigo: str) -> bool:
    """A conta é o código do PCASP ou está abaixo dele (``significativos``)."""
    sig = significativos(codigo)
    return tuple(conta.split(".")[: len(sig)]) == sig


class ContasDoPlano:
    """Conta analítica do plano que recebe, sob outro código do PCASP Federação, o
    saldo de uma conta: a de mesmo detalhamento que a de origem (os níveis abaixo
    do código trocado), ou, se a origem não tem detalhamento, a do próprio código
    ou a primeira analítica abaixo dele (planos estendidos)."""

    def __init__(self, plano: PlanoContas) -> None:
        self.plano = plano
        self._sob: dict[str, str | None] = {}

    def destino(self, codigo: str, origem: str | None = None, de: str | None = None) -> str | None:
        """Conta de ``codigo`` para o saldo de ``origem`` (conta que pertence a ``de``)."""
        if origem is not None and de is not None:
            candidata = self.candidata(codigo, origem, de)
            partes = origem.split(".")
            k = len(significativos(de))
            conta = self.plano.contas.get(candidata)
            if conta is not None and conta.analitica:
                return candidata
            if any(p.strip("0") for p in partes[k:]):
                return None  # detalhamento próprio (p. ex. a fonte no código): sem par
        if codigo not in self._sob:
            self._sob[codigo] = self._analitica_sob(codigo)
        return self._sob[codigo]

    @staticmethod
    def candidata(codigo: str, origem: str, de: str) -> str:
        """A conta de ``codigo`` com o detalhamento de ``origem`` (os níveis abaixo
        de ``de``): 8.2.1.1.1.01.00.20… → 8.2.1.1.1.02.00.20…"""
        k = len(significativos(de))
        return ".".join([*codigo.split(".")[:k], *origem.split(".")[k:]])

    def _analitica_sob(self, codigo: str) -> str | None:
        normal = self.plano.mascara.normalizar(codigo)
        if normal is None:
            return None
        conta = self.plano.contas.get(normal)
        if conta is not None and conta.analitica:
            return normal
        return next(
            (
                c
                for c, conta in self.plano.contas.items()
                if conta.analitica and pertence(c, codigo)
            ),
            None,
        )


def encerrar_exercicio(
    controle: ControleOrcamentario,
    ev: EncerramentoExercicio,
    saldos: Mapping[tuple[str, str], int],
    plano: PlanoContas,
    roteiros: Mapping[str, Roteiro],
    numero: str | None = None,
) -> tuple[list[Lancamento], list[Erro]]:
    """Os lançamentos do encerramento de ``ev.data.year`` e da abertura do
    exercício seguinte (só os que têm partidas), numerados ``numero`` (passo 1)
    e ``numero.k`` (passo k), ou todos os erros. ``saldos``: o razão da entidade
    no exercício (abertura e meses), sem o encerramento."""
    erros = controle.conferir_encerramento(ev)
    ano = ev.data.year
    atual: Saldos = {}
    for (conta, cc), v in saldos.items():
        chave = (conta, _canonica(cc))
        atual[chave] = atual.get(chave, 0) + v
    contas = ContasDoPlano(plano)
    lancs: list[Lancamento] = []
    passos = (
        (f"Inscrição de restos a pagar do exercício {ano}", TipoLancamento.ENCERRAMENTO),
        (f"Encerramento das contas orçamentárias do exercício {ano}", TipoLancamento.ENCERRAMENTO),
        (f"Encerramento da DDR utilizada no exercício {ano}", TipoLancamento.ENCERRAMENTO),
        (f"Apuração do resultado patrimonial do exercício {ano}", TipoLancamento.ENCERRAMENTO),
        (f"Abertura do exercício {ano + 1} com os saldos de {ano}", TipoLancamento.ABERTURA),
    )
    for k, (historico, tipo) in enumerate(passos, start=1):
        if k == 1:
            partidas = _inscricao(controle, ev, plano, roteiros, erros)
        elif k == 2:
            partidas = _encerramento_orcamentario(atual, erros)
        elif k == 3:
            partidas = _encerramento_ddr(atual, contas, erros)
        elif k == 4:
            partidas = _apuracao_resultado(atual, contas, erros)
        else:
            abertura, erros_a = saldos_de_abertura(atual, contas)
            erros += erros_a
            partidas = [
                Partida(conta, "D" if v > 0 else "C", abs(v), cc)
                for (conta, cc), v in sorted(abertura.items())
            ]
        if not partidas:
            continue
        data = ev.data if tipo == TipoLancamento.ENCERRAMENTO else dt.date(ano + 1, 1, 1)
        lancs.append(
            Lancamento(
                ev.entidade,
                data,
                historico,
                tuple(partidas),
                numero=numero if k == 1 or numero is None else f"{numero}.{k}",
                tipo=tipo,
                origem=f"evento:{ev.id}",
            )
        )
        if tipo == TipoLancamento.ENCERRAMENTO:
            somar_partidas(atual, partidas)
    return ([], erros) if erros else (lancs, [])


def desfazer_encerramento(
    controle: ControleOrcamentario,
    entidade: str,
    id_encerramento: str,
    data: dt.date,
    originais: Iterable[Lancamento],
    numero: str,
    outros_no_seguinte: int,
) -> tuple[list[Lancamento], list[Erro]]:
    """Os estornos dos lançamentos do encerramento ``id_encerramento`` (``originais``,
    os que ele gerou), numerados ``numero`` e ``numero.k`` como os originais, e o
    controle de volta ao exercício aberto; ou os erros. Só enquanto o exercício
    seguinte não tem outro movimento: ``outros_no_seguinte`` é quantos lançamentos
    ele tem além da abertura."""
    enc, erros = controle.conferir_desfazer_encerramento(entidade, id_encerramento)
    if enc is None:
        return [], erros
    ano = enc.data.year
    if outros_no_seguinte:
        erros.append(
            Erro(
                "EXEC-ENCERRAMENTO",
                f"o exercício {ano + 1} já tem {outros_no_seguinte} lançamento(s) além da "
                f"abertura: o encerramento de {ano} só se desfaz antes de qualquer movimento "
                f"em {ano + 1}; corrija {ano} em {ano + 1} por ajustes de exercícios "
                "anteriores (2.3.7.1.x.03)",
            )
        )
    if data != enc.data:
        erros.append(
            Erro("EXEC-ENCERRAMENTO", f"o encerramento se desfaz em {enc.data:%d/%m/%Y}", "data")
        )
    estornos: list[Lancamento] = []
    for original in originais:
        sufixo = (
            (original.numero or "").rpartition(".")[2] if "." in (original.numero or "") else ""
        )
        inverso, erros_e = estornar(
            original,
            original.data if original.tipo == TipoLancamento.ABERTURA else data,
            f"Desfaz o encerramento {id_encerramento}: {original.historico}",
            f"{numero}.{sufixo}" if sufixo else numero,
        )
        erros += erros_e
        if inverso is not None:
            estornos.append(inverso)
    if erros:
        return [], erros
    controle.desfazer_encerramento(enc)
    return estornos, []


def saldos_de_abertura(
    finais: Mapping[tuple[str, str], int], plano: PlanoContas | ContasDoPlano
) -> tuple[Saldos, list[Erro]]:
    """Os saldos de abertura do exercício seguinte a partir dos saldos finais
    (depois do encerramento) de um exercício: o que atravessa o ano, transposto
    (``TRANSPOSICAO_ABERTURA``) e com a fonte passada a exercícios anteriores.
    Serve à abertura e à conferência entre exercícios (``erario verificar``)."""
    contas = plano if isinstance(plano, ContasDoPlano) else ContasDoPlano(plano)
    saida: Saldos = {}
    erros: list[Erro] = []
    faltam: set[str] = set()
    for (conta, cc), v in sorted(finais.items()):
        if not v or conta.startswith(NAO_TRANSPORTADAS):
            continue
        de = next((k for k in TRANSPOSICAO_ABERTURA if pertence(conta, k)), None)
        destino = conta if de is None else contas.destino(TRANSPOSICAO_ABERTURA[de], conta, de)
        if destino is None:
            assert de is not None
            falta = contas.candidata(TRANSPOSICAO_ABERTURA[de], conta, de)
            if falta not in faltam:
                faltam.add(falta)
                erros.append(
                    Erro(
                        "EXEC-ENCERRAMENTO",
                        f"falta no plano de contas a conta analítica {falta}, que recebe na "
                        f"abertura do exercício seguinte o saldo de {conta}: inclua-a no plano",
                    )
                )
            continue
        chave = (destino, _cc_exercicios_anteriores(cc))
        total = saida.get(chave, 0) + v
        if total:
            saida[chave] = total
        else:
            saida.pop(chave, None)
    return saida, erros


def somar_partidas(saldos: Saldos, partidas: Iterable[Partida]) -> None:
    """Soma as partidas aos saldos (+ devedor); saldo zerado sai do mapa. A conta
    corrente vai para o texto canônico (o que o razão grava)."""
    for p in partidas:
        chave = (p.conta, _canonica(p.conta_corrente))
        v = saldos.get(chave, 0) + (p.centavos if p.dc == "D" else -p.centavos)
        if v:
            saldos[chave] = v
        else:
            saldos.pop(chave, None)


def _canonica(cc: str) -> str:
    return texto_cc(atributos_cc(cc)) if "|" in cc else cc


def _cc_exercicios_anteriores(cc: str) -> str:
    if "FR=1" not in cc:
        return cc
    atributos = atributos_cc(cc)
    atributos["FR"] = fonte_exercicios_anteriores(atributos["FR"])
    return texto_cc(atributos)


def _sem_conta(codigo: str, onde: str) -> Erro:
    return Erro(
        "EXEC-ENCERRAMENTO",
        f"o plano de contas não tem conta analítica em {codigo} para {onde}",
    )


def _zerar(conta: str, cc: str, saldo: int) -> Partida:
    """A partida que leva o saldo da conta corrente a zero."""
    return Partida(conta, "C" if saldo > 0 else "D", abs(saldo), cc)


def _inscricao(
    controle: ControleOrcamentario,
    ev: EncerramentoExercicio,
    plano: PlanoContas,
    roteiros: Mapping[str, Roteiro],
    erros: list[Erro],
) -> list[Partida]:
    ano = ev.data.year
    # Por dotação e fonte: a conta corrente das contas 5.3/6.3 não distingue
    # empenhos; o controle guarda o RP de cada um.
    grupos: dict[tuple[str, str, str], int] = {}
    for _, emp, a_pagar in controle.empenhos_a_inscrever(ev.entidade, ano):
        for roteiro, valor in (
            ("inscricao_rpnp", emp.a_liquidar_livre),
            ("inscricao_rpnp_em_liquidacao", emp.em_liquidacao),
            ("inscricao_rpp", a_pagar),
        ):
            if valor > 0:
                chave = (roteiro, emp.dotacao, emp.fonte)
                grupos[chave] = grupos.get(chave, 0) + valor
    partidas: list[Partida] = []
    for (roteiro, dotacao, fonte), valor in sorted(grupos.items()):
        atributos = {"DO": dotacao, "FR": fonte, "AI": str(ano), "evento": ev.id}
        lanc, erros_r = contabilizar(
            roteiros[roteiro], plano, ev.entidade, ev.data, valor, atributos
        )
        erros += erros_r
        if lanc is not None:
            partidas += (
                p._replace(conta_corrente=_canonica(p.conta_corrente)) for p in lanc.partidas
            )
    return partidas


Indice = dict[tuple[str, str], list[str]]  # (classe, conta corrente) → contas


def _indice(saldos: Saldos) -> Indice:
    """(classe, conta corrente) → contas do plano com saldo nela, em ordem."""
    indice: Indice = {}
    for conta, cc in sorted(saldos):
        indice.setdefault((conta[0], cc), []).append(conta)
    return indice


def _nas_contas(saldos: Saldos, indice: Indice, codigo: str, cc: str) -> list[tuple[str, int]]:
    """(conta, saldo) das contas do plano sob o código do PCASP, na conta corrente."""
    return [
        (c, saldos.get((c, cc), 0)) for c in indice.get((codigo[0], cc), ()) if pertence(c, codigo)
    ]


def _baixar_em_ordem(
    saldos: Saldos,
    indice: Indice,
    codigos: Iterable[str],
    cc: str,
    valor: int,
    partidas: list[Partida],
) -> int:
    """Credita ``valor`` nas contas dos códigos, em ordem, cada uma até o seu saldo
    devedor na conta corrente ``cc``, e o desconta de ``saldos`` (uma cópia de
    trabalho); devolve o que sobrou."""
    for codigo in codigos:
        for conta, saldo in _nas_contas(saldos, indice, codigo, cc):
            parte = min(valor, max(saldo, 0))
            if parte > 0:
                partidas.append(Partida(conta, "C", parte, cc))
                saldos[(conta, cc)] = saldo - parte
                valor -= parte
    return valor


def _encerramento_orcamentario(saldos: Saldos, erros: list[Erro]) -> list[Partida]:
    ordenados = sorted(saldos.items())
    partidas = [
        _zerar(conta, cc, v) for (conta, cc), v in ordenados if conta.startswith(("5.2.", "6.2."))
    ]
    diferenca = sum(v for (conta, _), v in saldos.items() if conta.startswith(("5.2.", "6.2.")))
    if diferenca:
        erros.append(
            Erro(
                "EXEC-ENCERRAMENTO",
                "as contas orçamentárias 5.2 e 6.2 não fecham entre si: diferença de "
                f"{formatar_brl(abs(diferenca))} (lançamentos manuais nessas contas?)",
            )
        )
    indice = _indice(saldos)
    restantes = dict(saldos)
    for executado, inscricoes in BAIXA_RP:
        for (conta, cc), v in ordenados:
            if not pertence(conta, executado):
                continue
            partidas.append(_zerar(conta, cc, v))
            # O saldo credor do executado (-v) baixa as inscrições, na ordem.
            if _baixar_em_ordem(restantes, indice, inscricoes, cc, -v, partidas):
                erros.append(
                    Erro(
                        "EXEC-ENCERRAMENTO",
                        f"{conta} ({cc}) executou {formatar_brl(-v)}, "
                        f"mais do que a inscrição em {' ou '.join(inscricoes)}",
                    )
                )
    return partidas


def _encerramento_ddr(saldos: Saldos, contas: ContasDoPlano, erros: list[Erro]) -> list[Partida]:
    """DDR utilizada contra o controle que registrou a entrada (ver passo 3 acima)."""
    utilizada: dict[str, int] = {}
    partidas: list[Partida] = []
    indice = _indice(saldos)
    for (conta, cc), v in sorted(saldos.items()):
        if conta.startswith(DDR_UTILIZADA):
            partidas.append(_zerar(conta, cc, v))
            utilizada[cc] = utilizada.get(cc, 0) - v
    restantes = dict(saldos)
    for cc, total in sorted(utilizada.items()):
        fonte, _ = ler_fonte(atributos_cc(cc).get("FR", ""))
        vinculada = fonte is not None and fonte.vinculada
        do_tipo = CONTROLE_VINCULADO if vinculada else CONTROLE_ORDINARIO
        if total < 0:  # estornos além do utilizado: devolve ao controle do tipo
            destino = contas.destino(do_tipo)
            if destino is None:
                erros.append(_sem_conta(do_tipo, "o encerramento da DDR"))
            else:
                partidas.append(Partida(destino, "D", -total, cc))
            continue
        # Extraorçamentário: o que entrou e já não está comprometido por entradas
        # compensatórias (devolvido ou recolhido) foi o que se utilizou dele.
        extra = sum(v for _, v in _nas_contas(saldos, indice, CONTROLE_EXTRAORCAMENTARIO, cc))
        compensatorias = -sum(
            v for _, v in _nas_contas(saldos, indice, DDR_ENTRADAS_COMPENSATORIAS, cc)
        )
        parte_extra = min(total, max(extra - compensatorias, 0))
        resto = _baixar_em_ordem(
            restantes, indice, (CONTROLE_EXTRAORCAMENTARIO,), cc, parte_extra, partidas
        )
        resto += total - parte_extra
        ordem = (do_tipo, *(c for c in CONTROLES_DDR if c != do_tipo))
        resto = _baixar_em_ordem(restantes, indice, ordem, cc, resto, partidas)
        if resto:
            # Utilizou-se mais do que entrou na fonte (insuficiência financeira): o
            # excesso baixa o controle do tipo da fonte, que fica credor.
            destino = contas.destino(do_tipo)
            if destino is None:
                erros.append(_sem_conta(do_tipo, "o encerramento da DDR"))
            else:
                partidas.append(Partida(destino, "C", resto, cc))
    return partidas


def _apuracao_resultado(saldos: Saldos, contas: ContasDoPlano, erros: list[Erro]) -> list[Partida]:
    partidas: list[Partida] = []
    resultado: dict[str, int] = {}
    for (conta, cc), v in sorted(saldos.items()):
        if conta[0] not in "34":
            continue
        partidas.append(_zerar(conta, cc, v))
        # 5º nível da VPA/VPD: 1 consolidação, 2 intra OFSS, 3–5 inter OFSS; uma
        # conta analítica acima do 5º nível (p. ex. 4.6.4) é de consolidação.
        nivel5 = conta.split(".")[4]
        codigo = RESULTADO_EXERCICIO.format(nivel5 if nivel5 in ("1", "2", "3", "4", "5") else "1")
        destino = contas.destino(codigo)
        if destino is None:
            erros.append(_sem_conta(codigo, f"o resultado de {conta}"))
            continue
        resultado[destino] = resultado.get(destino, 0) + v
    for destino, v in sorted(resultado.items()):
        if v:
            partidas.append(Partida(destino, "D" if v > 0 else "C", abs(v), ""))
    return partidas
