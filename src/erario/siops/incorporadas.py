"""Entidades incorporadas no SIOPS: o que a apuração tira da LOA guardada sem
lançamento (``orcamento_incorporado``) e dos balancetes mensais incorporados
(``balancete_incorporado``) de uma entidade com instalação própria (Câmara,
RPPS, fundo). O SIOPS é do município inteiro, administração direta e indireta
(shared/specs/siops-geracao.md: "lançados neste campo os valores referentes aos
órgãos da administração direta e indireta do ente").

Do balancete só se têm contas e conta corrente — nas contas de controle da
execução (PCASP, classes 5 e 6) a dotação (DO, que traz função, subfunção e
natureza da despesa), a fonte (FR), a natureza da receita (NR) e o ano de
inscrição dos restos a pagar (AI); sem DO, vale a função/subfunção (FS) com a
natureza da despesa (ND) da MSC. Não há empenho: as marcas de empenho do SIOPS
não se aplicam às incorporadas (docs/siops.md, "Entidades incorporadas").

Valores em centavos; saldos com sinal (+ devedor, − credor). As contas são
comparadas pelo código do PCASP Federação como prefixo (plano estendido com
níveis a mais também serve).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, NamedTuple

from erario.consolidacao.balancetes import Saldos, intervalo
from erario.core.datas import fim_do_mes
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.eventos import DotacaoInicial, PrevisaoDeducao, PrevisaoReceita
from erario.orcamento.classificacao import FUNCAO_SAUDE, ler_dotacao
from erario.siops import marcas as mc
from erario.siops.equivalencias import Equivalencia, TipoEquivalencia

MES_ENCERRAMENTO: Final = 13  # competência 13: lançamentos de encerramento (inscrição de RP)

# Contas de controle (MCASP Parte IV; roteiros em execucao/dados/roteiros.toml).
PREVISAO_RECEITA: Final = ("5.2.1.1.1.",)
RECEITA_REALIZADA: Final = ("6.2.1.2.",)
DEDUCAO_FUNDEB: Final = ("6.2.1.3.1.01",)
DEDUCOES: Final = ("6.2.1.3.",)  # as demais são "outras deduções"
CREDITO_INICIAL: Final = ("5.2.2.1.1.01",)
# Dotação atualizada = inicial + créditos adicionais − anulações = saldo credor de
# 6.2.2.1 (disponível, indisponível e utilizado): o empenho, a liquidação, o
# pagamento e a inscrição só movem o crédito dentro dela.
DOTACAO_ATUALIZADA: Final = ("6.2.2.1.1.", "6.2.2.1.2.", "6.2.2.1.3.")
EMPENHADO: Final = ("6.2.2.1.3.",)  # 01 a 07: a liquidar, em liquidação, liquidado, pago, inscritos
LIQUIDADO: Final = ("6.2.2.1.3.03", "6.2.2.1.3.04", "6.2.2.1.3.07")
PAGO: Final = ("6.2.2.1.3.04",)
# Restos a pagar: inscrito a executar no início do exercício (5.3.x.1 e 5.3.x.2),
# pagos, cancelados e inscritos no exercício (competência 13).
RP_INSCRITO_NP: Final = ("5.3.1.1.", "5.3.1.2.")
RP_INSCRITO_P: Final = ("5.3.2.1.", "5.3.2.2.")
RP_PAGO_NP: Final = ("6.3.1.4.",)
RP_PAGO_P: Final = ("6.3.2.2.",)
RP_CANCELADO_NP: Final = ("6.3.1.9.",)
RP_CANCELADO_P: Final = ("6.3.2.9.",)
RP_INSCRICAO_NP: Final = ("6.3.1.7.",)
RP_INSCRICAO_P: Final = ("6.3.2.7.",)
CAIXA: Final = "1.1.1."  # contas de caixa sugeridas para a disponibilidade

Par = tuple[int, int]  # processados, não processados


class DadosIncorporada(NamedTuple):
    """O que a apuração lê de uma entidade incorporada."""

    slug: str
    loa: Sequence[DotacaoInicial | PrevisaoReceita | PrevisaoDeducao]  # sem os estornados
    meses: Mapping[int, Saldos]  # balancetes do exercício: mês (1 a 13) → saldos
    anteriores: Mapping[int, Mapping[int, Saldos]]  # exercícios anteriores guardados
    fontes: Mapping[str, tuple[tuple[str, str], ...]]  # FR → propriedades da fonte
    marcas: Sequence[mc.Marca]
    equivalencias: Sequence[Equivalencia]  # as dela e as herdadas da Prefeitura


class Classe(NamedTuple):
    """A classificação da despesa tirada da conta corrente."""

    dotacao: str  # código da dotação (DO) ou "" quando veio de FS/ND
    funcao: str
    subfuncao: str
    natureza: str  # 8 dígitos


class Leitura(NamedTuple):
    """Os números da incorporada, acumulados até o fim do bimestre."""

    # (classe, FR) → [dotação inicial (LOA), atualizada, empenhada, liquidada, paga]
    despesas: dict[tuple[Classe, str], list[int]]
    # (NR, FR) → [previsão inicial (LOA), realizada, outras deduções, FUNDEB, FUNDEB previsto]
    receitas: dict[tuple[str, str], list[int]]
    # (ano de inscrição, classe, FR) → (processados, não processados)
    rp_inscritos: dict[tuple[int, Classe, str], Par]
    rp_pagos: dict[tuple[int, Classe, str], Par]
    rp_pagos_anteriores: dict[tuple[int, Classe, str], Par]
    rp_cancelados: dict[tuple[int, Classe, str], Par]
    rp_cancelados_anteriores: dict[tuple[int, Classe, str], Par]
    saldos_contas: dict[tuple[str, str], int]  # (conta, FR) → saldo no fim do bimestre


def atributos(cc: str) -> dict[str, str]:
    return dict(item.partition("=")[::2] for item in cc.split("|") if item)


def classe(attrs: Mapping[str, str]) -> Classe | None:
    """A classificação pela dotação (DO) ou, sem ela, por FS e ND (MSC)."""
    do = attrs.get("DO", "")
    if do:
        d, _ = ler_dotacao(do)
        if d is None:
            return None
        return Classe(do, d.funcao, d.subfuncao, d.natureza.digitos)
    fs, nd = attrs.get("FS", ""), attrs.get("ND", "")
    if len(fs) == 5 and len(nd) >= 8:
        return Classe("", fs[:2], fs[2:], nd[:8])
    return None


def _de(conta: str, prefixos: Iterable[str]) -> bool:
    return conta.startswith(tuple(prefixos))


def _credor(v: tuple[int, int, int]) -> int:
    """Saldo atual credor (positivo quando credor)."""
    a, d, c = v
    return -(a + d - c)


def _soma_par(destino: dict[tuple[int, Classe, str], Par], chave: tuple[int, Classe, str],
              coluna: int, valor: int) -> None:  # fmt: skip
    if not valor:
        return
    p = list(destino.get(chave, (0, 0)))
    p[coluna] += valor
    destino[chave] = (p[0], p[1])


def _rp(conta: str) -> tuple[str, int] | None:
    """(o que é, coluna: 0 processados, 1 não processados) de uma conta de RP."""
    for nome, np_, p in (
        ("pago", RP_PAGO_NP, RP_PAGO_P),
        ("cancelado", RP_CANCELADO_NP, RP_CANCELADO_P),
        ("inscricao", RP_INSCRICAO_NP, RP_INSCRICAO_P),
    ):
        if _de(conta, np_):
            return nome, 1
        if _de(conta, p):
            return nome, 0
    return None


def conferir_meses(d: DadosIncorporada, bimestre: int) -> list[Erro]:
    """Os balancetes de janeiro ao fim do bimestre estão todos guardados e encadeados
    (CON-MES-FALTANTE, CON-CONTINUIDADE, como no balancete consolidado)."""
    return intervalo(d.meses, 1, 2 * bimestre, d.slug)[1]


def ler(
    d: DadosIncorporada, ano: int, bimestre: int, contas: Iterable[str] = ()
) -> tuple[Leitura | None, list[Erro]]:
    """Os números da incorporada no exercício, de janeiro ao fim do bimestre, e a
    conferência da LOA guardada com o crédito inicial e a previsão do balancete.

    Recusa (com os motivos de ``intervalo``: CON-MES-FALTANTE, CON-CONTINUIDADE)
    quando falta mês do intervalo: o SIOPS do município não sai sem a entidade."""
    fim_mes = 2 * bimestre
    saldos, erros = intervalo(d.meses, 1, fim_mes, d.slug)
    if erros:
        return None, erros
    fim = fim_do_mes(ano, fim_mes)
    despesas: defaultdict[tuple[Classe, str], list[int]] = defaultdict(lambda: [0] * 5)
    receitas: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 5)
    loa_dot: defaultdict[tuple[str, str], int] = defaultdict(int)
    loa_rec: defaultdict[tuple[str, str], int] = defaultdict(int)
    for ev in d.loa:
        if ev.data.year != ano or ev.data > fim:
            continue
        fr = ev.fonte.texto_cc
        if isinstance(ev, DotacaoInicial):
            c = classe({"DO": ev.dotacao})
            if c is not None and c.funcao == FUNCAO_SAUDE:
                loa_dot[(ev.dotacao, fr)] += ev.valor
                despesas[(c, fr)][0] += ev.valor
        elif isinstance(ev, PrevisaoReceita):
            loa_rec[(ev.natureza_receita, fr)] += ev.valor
            receitas[(ev.natureza_receita, fr)][0] += ev.valor
        else:
            receitas[(ev.natureza_receita, fr)][4] += ev.valor
    bal_dot: defaultdict[tuple[str, str], int] = defaultdict(int)
    bal_rec: defaultdict[tuple[str, str], int] = defaultdict(int)
    inscritos: dict[tuple[int, Classe, str], Par] = {}
    pagos: dict[tuple[int, Classe, str], Par] = {}
    cancelados: dict[tuple[int, Classe, str], Par] = {}
    alvo_contas = set(contas)
    saldos_contas: dict[tuple[str, str], int] = {}
    for (conta, cc), v in sorted(saldos.items()):
        at = atributos(cc)
        fr = at.get("FR", "")
        if conta in alvo_contas and fr:
            saldo = v[0] + v[1] - v[2]
            if saldo:
                saldos_contas[(conta, fr)] = saldos_contas.get((conta, fr), 0) + saldo
        nr = at.get("NR", "")
        if nr:
            if _de(conta, PREVISAO_RECEITA):
                bal_rec[(nr, fr)] -= _credor(v)
            elif _de(conta, RECEITA_REALIZADA):
                receitas[(nr, fr)][1] += _credor(v)
            elif _de(conta, DEDUCAO_FUNDEB):
                receitas[(nr, fr)][3] -= _credor(v)
            elif _de(conta, DEDUCOES):
                receitas[(nr, fr)][2] -= _credor(v)
            continue
        if not _de(conta, ("5.2.2.", "6.2.2.", "5.3.", "6.3.")):
            continue
        c = classe(at)
        if c is None or c.funcao != FUNCAO_SAUDE:
            continue
        if _de(conta, CREDITO_INICIAL) and c.dotacao:
            bal_dot[(c.dotacao, fr)] -= _credor(v)
        linha = despesas[(c, fr)]
        for coluna, prefixos in ((1, DOTACAO_ATUALIZADA), (2, EMPENHADO), (3, LIQUIDADO),
                                 (4, PAGO)):  # fmt: skip
            if _de(conta, prefixos):
                linha[coluna] += _credor(v)
        ai = at.get("AI", "")
        if not ai.isdigit():
            continue
        chave = (int(ai), c, fr)
        if _de(conta, RP_INSCRITO_P + RP_INSCRITO_NP):
            # inscrito ainda a executar no início do exercício (saldo devedor de abertura)
            _soma_par(inscritos, chave, 0 if _de(conta, RP_INSCRITO_P) else 1, v[0])
            continue
        rp = _rp(conta)
        if rp is not None and rp[0] != "inscricao":
            _soma_par(pagos if rp[0] == "pago" else cancelados, chave, rp[1], v[2] - v[1])
    # RP inscritos no próprio exercício: só no 6º bimestre, pelo encerramento
    # (competência 13), como nas entidades locais.
    if bimestre == 6 and MES_ENCERRAMENTO in d.meses:
        for (conta, cc), (_a, deb, cred) in d.meses[MES_ENCERRAMENTO].items():
            rp = _rp(conta)
            at = atributos(cc)
            c = classe(at)
            if rp and rp[0] == "inscricao" and c and c.funcao == FUNCAO_SAUDE:
                _soma_par(inscritos, (ano, c, at.get("FR", "")), rp[1], cred - deb)
    pagos_ant, canc_ant, erros = _anteriores(d, ano)
    # O inscrito de cada ano é o que restava no início do exercício mais o que se
    # pagou e cancelou nos exercícios anteriores guardados.
    for origem in (pagos_ant, canc_ant):
        for chave, (p, np_) in origem.items():
            _soma_par(inscritos, chave, 0, p)
            _soma_par(inscritos, chave, 1, np_)
    erros += _conferir_loa(d.slug, loa_dot, bal_dot, "dotação", "crédito inicial (5.2.2.1.1.01)")
    erros += _conferir_loa(d.slug, loa_rec, bal_rec, "receita", "previsão inicial (5.2.1.1.1)")
    if erros:
        return None, erros
    return (
        Leitura(
            {k: v for k, v in sorted(despesas.items()) if any(v)},
            {k: v for k, v in sorted(receitas.items()) if any(v)},
            inscritos, pagos, pagos_ant, cancelados, canc_ant, saldos_contas,
        ),
        [],
    )  # fmt: skip


def _anteriores(
    d: DadosIncorporada, ano: int
) -> tuple[dict[tuple[int, Classe, str], Par], dict[tuple[int, Classe, str], Par], list[Erro]]:
    """RP pagos e cancelados nos exercícios anteriores guardados (janeiro a dezembro)."""
    pagos: dict[tuple[int, Classe, str], Par] = {}
    cancelados: dict[tuple[int, Classe, str], Par] = {}
    erros: list[Erro] = []
    for k, meses in sorted(d.anteriores.items()):
        if k >= ano:
            continue
        saldos, e = intervalo(meses, 1, 12, f"{d.slug} {k}")
        erros += e
        for (conta, cc), (_a, deb, cred) in saldos.items():
            rp = _rp(conta)
            if rp is None or rp[0] == "inscricao":
                continue
            at = atributos(cc)
            c = classe(at)
            ai = at.get("AI", "")
            if c is None or c.funcao != FUNCAO_SAUDE or not ai.isdigit() or int(ai) >= k:
                continue
            alvo = pagos if rp[0] == "pago" else cancelados
            _soma_par(alvo, (int(ai), c, at.get("FR", "")), rp[1], cred - deb)
    return pagos, cancelados, erros


def _conferir_loa(
    slug: str,
    loa: Mapping[tuple[str, str], int],
    balancete: Mapping[tuple[str, str], int],
    nome: str,
    conta: str,
) -> list[Erro]:
    """SIOPS-INCORPORADA: a LOA guardada aqui e a que a incorporada registrou (o
    crédito inicial da função 10 e a previsão da receita no balancete dela) devem
    ser a mesma."""
    return [
        Erro(
            "SIOPS-INCORPORADA",
            f"{slug}: {nome} {codigo} (fonte {fr}): LOA guardada {formatar_brl(loa.get(k, 0))}, "
            f"{conta} do balancete {formatar_brl(balancete.get(k, 0))} — confira a LOA "
            "exportada e a importada na instalação dela",
        )
        for k in sorted(set(loa) | set(balancete))
        for codigo, fr in (k,)
        if loa.get(k, 0) != balancete.get(k, 0)
    ]


def origens(
    d: DadosIncorporada, ano: int, contas: Iterable[str] = ()
) -> dict[TipoEquivalencia, set[str]]:
    """O que precisa de equivalência na incorporada: naturezas e fontes da receita,
    naturezas e fontes da despesa da função 10 (do exercício e dos restos a pagar),
    fontes das contas de disponibilidade relacionadas e, como sugestão, as contas de
    caixa (1.1.1) com saldo."""
    out: dict[TipoEquivalencia, set[str]] = {t: set() for t in TipoEquivalencia}
    for ev in d.loa:
        if ev.data.year != ano:
            continue
        fr = ev.fonte.texto_cc
        if isinstance(ev, DotacaoInicial):
            c = classe({"DO": ev.dotacao})
            if c is not None and c.funcao == FUNCAO_SAUDE:
                out[TipoEquivalencia.DESPESA].add(c.natureza)
                out[TipoEquivalencia.RECURSO].add(fr)
        else:
            out[TipoEquivalencia.RECEITA].add(ev.natureza_receita)
            out[TipoEquivalencia.RECURSO].add(fr)
    alvo = set(contas)
    for mes, saldos in d.meses.items():
        for (conta, cc), v in saldos.items():
            at = atributos(cc)
            fr = at.get("FR", "")
            if conta.startswith(CAIXA) and fr and mes <= 12 and any(v):
                out[TipoEquivalencia.CONTA].add(conta)
            if conta in alvo and fr:
                out[TipoEquivalencia.RECURSO].add(fr)
            if at.get("NR") and _de(conta, RECEITA_REALIZADA + DEDUCOES + PREVISAO_RECEITA):
                out[TipoEquivalencia.RECEITA].add(at["NR"])
                out[TipoEquivalencia.RECURSO].add(fr)
            elif _de(conta, ("5.2.2.", "6.2.2.", "5.3.", "6.3.")):
                c = classe(at)
                if c is not None and c.funcao == FUNCAO_SAUDE:
                    out[TipoEquivalencia.DESPESA].add(c.natureza)
                    out[TipoEquivalencia.RECURSO].add(fr)
    out[TipoEquivalencia.RECURSO].discard("")
    return out
