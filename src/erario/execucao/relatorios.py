"""Relatórios da execução a partir do controle (a visão orçamentária) e a
conferência dessa visão com o razão (a visão contábil).

Funções puras. A conferência segue o espírito das regras de consistência da
STN e dos TCEs entre o razão e a execução: o que o controle diz que foi
empenhado, pago, arrecadado… tem de estar nas contas de controle do PCASP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Final, NamedTuple

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.controle import ControleOrcamentario, SaldoDotacao, SaldoEmpenho
from erario.execucao.encerramento import pcasp
from erario.execucao.eventos import (
    AnulacaoEmpenho,
    CancelamentoRestosAPagar,
    Empenho,
    EncerramentoExercicio,
    Evento,
    Liquidacao,
    Pagamento,
)
from erario.orcamento.classificacao import fonte_exercicios_anteriores, ler_dotacao


class LinhaDespesa(NamedTuple):
    dotacao: str
    fonte: str
    dotacao_inicial: int
    dotacao_atualizada: int
    empenhado: int  # bruto, sem as anulações
    anulado: int
    liquidado: int
    pago: int
    a_pagar: int  # liquidado e não pago
    saldo: int  # crédito disponível da dotação


class LinhaReceita(NamedTuple):
    natureza: str
    fonte: str
    previsao_inicial: int  # bruta
    previsao_atualizada: int
    arrecadado: int  # bruto
    deducoes: int  # deduções realizadas (FUNDEB)
    a_arrecadar: int  # previsão atualizada − arrecadado (negativo = excesso de arrecadação)


def exercicios(controle: ControleOrcamentario, entidade: str) -> list[int]:
    """Exercícios com orçamento (dotação ou receita) na entidade, em ordem."""
    anos = {a for e, a, _ in controle.dotacoes if e == entidade}
    anos |= {a for e, a, _, _ in controle.receitas if e == entidade}
    return sorted(anos)


def _do_exercicio(
    controle: ControleOrcamentario, entidade: str, exercicio: int | None
) -> Callable[[int], bool]:
    """Filtro de ano: o exercício pedido, ou (``None``) todos os não encerrados —
    os que ainda têm saldo nas contas 5.2 e 6.2 do razão."""
    if exercicio is not None:
        return lambda ano: ano == exercicio
    return lambda ano: (entidade, ano) not in controle.encerrados


# Somas dos empenhos de uma dotação: valor, anulado, liquidado e pago no exercício.
SomasDotacao = tuple[int, int, int, int]


def contribuicao_empenho(emp: SaldoEmpenho) -> SomasDotacao:
    """O que um empenho (não estornado) soma à execução da sua dotação: valor,
    anulado e, só do exercício do empenho, liquidado e pago — o que se liquida e
    paga depois, inscrito em restos a pagar, é execução de RP (``restos_a_pagar``).
    O armazenamento soma o mesmo por SQL (o teste confere um contra o outro)."""
    return (
        emp.valor,
        emp.anulado,
        emp.liquidado - emp.rpnp_liquidado,
        emp.pago - emp.rpp_pago - emp.rpnp_pago,
    )


def somas_por_dotacao(
    controle: ControleOrcamentario, entidade: str, exercicio: int | None = None
) -> dict[str, SomasDotacao]:
    """``contribuicao_empenho`` somada por dotação, nos exercícios de
    ``execucao_despesa`` (empenhos estornados não entram)."""
    do_ano = _do_exercicio(controle, entidade, exercicio)
    por_dotacao: dict[str, SomasDotacao] = {}
    for (ent, numero), emp in controle.empenhos.items():
        if ent != entidade or (ent, numero) in controle.estornados or not do_ano(emp.ano):
            continue
        a = por_dotacao.get(emp.dotacao, (0, 0, 0, 0))
        b = contribuicao_empenho(emp)
        por_dotacao[emp.dotacao] = (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])
    return por_dotacao


def execucao_despesa(
    controle: ControleOrcamentario,
    entidade: str,
    exercicio: int | None = None,
    *,
    funcao: str | None = None,
    subfuncao: str | None = None,
    fonte: str | None = None,
    somas: Mapping[str, SomasDotacao] | None = None,
) -> list[LinhaDespesa]:
    """Execução da despesa por dotação no exercício (empenhos estornados não
    entram), com filtros opcionais por função, subfunção (da dotação) e fonte.
    Sem exercício: os não encerrados, somados por dotação. ``somas``: as de
    ``somas_por_dotacao`` já somadas pelo banco (o controle então só precisa das
    dotações)."""
    do_ano = _do_exercicio(controle, entidade, exercicio)
    por_dotacao = somas_por_dotacao(controle, entidade, exercicio) if somas is None else somas
    dotacoes: dict[str, SaldoDotacao] = {}
    for (ent, ano, dotacao), dot in sorted(controle.dotacoes.items()):
        if ent != entidade or not do_ano(ano) or (fonte is not None and dot.fonte != fonte):
            continue
        if dotacao in dotacoes:  # a mesma dotação em dois exercícios abertos
            anterior = dotacoes[dotacao]
            dot = SaldoDotacao(
                dot.fonte,
                anterior.fixado + dot.fixado,
                anterior.adicional + dot.adicional,
                anterior.reduzido + dot.reduzido,
                anterior.empenhado + dot.empenhado,
                anterior.reservado + dot.reservado,
            )
        dotacoes[dotacao] = dot
    linhas = []
    for dotacao, dot in sorted(dotacoes.items()):
        if funcao is not None or subfuncao is not None:
            classificacao, _ = ler_dotacao(dotacao)
            if classificacao is None or (
                (funcao is not None and classificacao.funcao != funcao)
                or (subfuncao is not None and classificacao.subfuncao != subfuncao)
            ):
                continue
        emp_, anu, liq, pago = por_dotacao.get(dotacao, (0, 0, 0, 0))
        linhas.append(
            LinhaDespesa(
                dotacao,
                dot.fonte,
                dot.fixado,
                dot.atualizada,
                emp_,
                anu,
                liq,
                pago,
                liq - pago,
                dot.disponivel,
            )
        )
    return linhas


def execucao_receita(
    controle: ControleOrcamentario, entidade: str, exercicio: int | None = None
) -> list[LinhaReceita]:
    """Execução da receita por natureza e fonte no exercício (sem exercício: os
    não encerrados, somados)."""
    do_ano = _do_exercicio(controle, entidade, exercicio)
    somas: dict[tuple[str, str], list[int]] = {}
    for (ent, ano, natureza, fonte), rec in controle.receitas.items():
        if ent == entidade and do_ano(ano):
            soma = somas.setdefault((natureza, fonte), [0, 0, 0])
            soma[0] += rec.previsto
            soma[1] += rec.arrecadado
            soma[2] += rec.deduzido
    return [
        LinhaReceita(natureza, fonte, prev, prev, arr, ded, prev - arr)
        for (natureza, fonte), (prev, arr, ded) in sorted(somas.items())
    ]


# Contas de controle que espelham a execução (saldo com sinal: + devedor, − credor).
SaldosRazao = Mapping[tuple[str, str], int]  # (conta, conta corrente) → saldo com sinal
_EMPENHADO: Final = (
    "6.2.2.1.3.01.00",
    "6.2.2.1.3.02.00",
    "6.2.2.1.3.03.00",
    "6.2.2.1.3.04.00",
)
_PAGO: Final = "6.2.2.1.3.04.00"
_DISPONIVEL: Final = "6.2.2.1.1.00.00"
_PREVISTO: Final = "5.2.1.1.1.00.00"
_REALIZADA: Final = "6.2.1.2.0.00.00"
_DEDUZIDA: Final = "6.2.1.3.1.01.00"
# Restos a pagar ainda a executar (a liquidar, em liquidação, liquidados a pagar,
# inscritos no exercício).
_RP_A_EXECUTAR: Final = (
    "6.3.1.1.0.00.00",
    "6.3.1.2.0.00.00",
    "6.3.1.3.0.00.00",
    "6.3.1.7.1.00.00",
    "6.3.1.7.2.00.00",
    "6.3.2.1.0.00.00",
    "6.3.2.7.0.00.00",
)


def _atributos(cc: str) -> dict[str, str]:
    return dict(item.partition("=")[::2] for item in cc.split("|") if item)


def _chave_rp(dotacao: str, ano_inscricao: str | int, fonte: str) -> tuple[str, str]:
    """Chave dos restos a pagar na conferência: a dotação com o ano de inscrição, e a
    fonte, já de exercícios anteriores (como o RP se executa depois da abertura)."""
    return f"{dotacao} inscrito em {ano_inscricao}", fonte_exercicios_anteriores(fonte)


class ExecucaoCalculada(NamedTuple):
    """O lado do controle de ``conferir_com_razao`` (despesa, receita e restos a
    pagar de uma entidade num exercício), que se pode calcular antes de ter os
    saldos do razão (``verificar`` o faz enquanto espera a soma das partidas)."""

    despesa: list[LinhaDespesa]
    receita: list[LinhaReceita]
    restos: list[LinhaRestos] | None  # None: não calculados (só o último exercício os confere)


def calcular_execucao(
    controle: ControleOrcamentario,
    entidade: str,
    exercicio: int | None = None,
    *,
    com_restos: bool = False,
) -> ExecucaoCalculada:
    return ExecucaoCalculada(
        execucao_despesa(controle, entidade, exercicio),
        execucao_receita(controle, entidade, exercicio),
        restos_a_pagar(controle, entidade) if com_restos else None,
    )


def conferir_com_razao(
    controle: ControleOrcamentario,
    entidade: str,
    saldos: SaldosRazao,
    exercicio: int | None = None,
    *,
    restos: SaldosRazao | None = None,
    calculada: ExecucaoCalculada | None = None,
) -> list[Erro]:
    """Diferenças entre o controle da execução e as contas do razão (``VER-EXECUCAO``).

    ``saldos``: as contas de execução do razão no ``exercicio`` (sem ele, os não
    encerrados), da abertura a dezembro, antes do encerramento; ``restos``: os
    saldos do último exercício da entidade, onde estão os restos a pagar a
    executar (sem eles, os restos a pagar não se conferem); ``calculada``: o
    ``calcular_execucao`` do mesmo controle, entidade e exercício, se já feito.
    Os códigos valem também em planos estendidos (comparados pelos 7 níveis do
    PCASP Federação)."""
    if calculada is None:
        calculada = calcular_execucao(controle, entidade, exercicio, com_restos=restos is not None)
    razao: dict[tuple[str, tuple[str, str]], int] = {}
    for (conta_plano, cc), saldo in saldos.items():
        conta = pcasp(conta_plano)
        a = _atributos(cc)
        chave = (a.get("DO") or a.get("NR") or "", a.get("FR", ""))
        razao[(conta, chave)] = razao.get((conta, chave), 0) + saldo
        if conta in _EMPENHADO:
            razao[("empenhado", chave)] = razao.get(("empenhado", chave), 0) - saldo
    for (conta_plano, cc), saldo in (restos or {}).items():
        if pcasp(conta_plano) in _RP_A_EXECUTAR:
            a = _atributos(cc)
            chave_rp = _chave_rp(a.get("DO", ""), a.get("AI", ""), a.get("FR", ""))
            razao[("rp", chave_rp)] = razao.get(("rp", chave_rp), 0) - saldo
    erros: list[Erro] = []

    def conferir(o_que: str, chave: tuple[str, str], controle_v: int, razao_v: int) -> None:
        if controle_v != razao_v:
            erros.append(
                Erro(
                    "VER-EXECUCAO",
                    f"{entidade}: {o_que} de {chave[0]} (fonte {chave[1]}): execução "
                    f"{formatar_brl(controle_v)}, razão {formatar_brl(razao_v)}",
                )
            )

    for ln in calculada.despesa:
        chave = (ln.dotacao, ln.fonte)
        conferir(
            "empenhado líquido",
            chave,
            ln.empenhado - ln.anulado,
            razao.get(("empenhado", chave), 0),
        )
        conferir("pago", chave, ln.pago, -razao.get((_PAGO, chave), 0))
        conferir("crédito disponível", chave, ln.saldo, -razao.get((_DISPONIVEL, chave), 0))
    for lr in calculada.receita:
        chave = (lr.natureza, lr.fonte)
        conferir("previsão", chave, lr.previsao_atualizada, razao.get((_PREVISTO, chave), 0))
        conferir("arrecadação", chave, lr.arrecadado, -razao.get((_REALIZADA, chave), 0))
        conferir("dedução (FUNDEB)", chave, lr.deducoes, razao.get((_DEDUZIDA, chave), 0))
    if restos is None:
        return erros
    rp: dict[tuple[str, str], int] = {}
    for ln_rp in (
        calculada.restos if calculada.restos is not None else restos_a_pagar(controle, entidade)
    ):
        chave = _chave_rp(ln_rp.dotacao, ln_rp.ano_inscricao, ln_rp.fonte)
        rp[chave] = rp.get(chave, 0) + ln_rp.saldo
    for chave in sorted(rp.keys() | {k for o, k in razao if o == "rp"}):
        conferir("restos a pagar a executar", chave, rp.get(chave, 0), razao.get(("rp", chave), 0))
    return erros


class LinhaRestos(NamedTuple):
    """Restos a pagar de um empenho: o inscrito e a execução desde a inscrição."""

    empenho: str
    ano_inscricao: int
    dotacao: str
    fonte: str
    credor: str
    inscrito_nao_processado: int
    inscrito_processado: int
    liquidado: int  # RP não processado liquidado depois da inscrição
    pago_nao_processado: int
    pago_processado: int
    cancelado_nao_processado: int
    cancelado_processado: int
    a_liquidar: int  # inclusive o em liquidação
    a_pagar: int  # liquidado (antes ou depois da inscrição) e não pago nem cancelado
    saldo: int  # a liquidar + a pagar
    # Do a liquidar, o que está em liquidação (eventos em_liquidacao; no razão,
    # 6.3.1.2 ou 6.3.1.7.2); o resto está em 6.3.1.1 ou 6.3.1.7.1.
    em_liquidacao: int = 0


def restos_a_pagar(
    controle: ControleOrcamentario, entidade: str, ano_inscricao: int | None = None
) -> list[LinhaRestos]:
    """Restos a pagar por empenho, com o ano de inscrição, processados e não
    processados, pagos e cancelados (o que SIOPS e RREO pedem)."""
    a_pagar = controle.a_pagar_por_empenho(entidade, so_restos=True)
    return [
        LinhaRestos(
            numero,
            emp.inscrito,
            emp.dotacao,
            emp.fonte,
            emp.credor,
            emp.rpnp_inscrito,
            emp.rpp_inscrito,
            emp.rpnp_liquidado,
            emp.rpnp_pago,
            emp.rpp_pago,
            emp.rpnp_cancelado,
            emp.rpp_cancelado,
            emp.a_liquidar,
            a_pagar.get(numero, 0),
            emp.a_liquidar + a_pagar.get(numero, 0),
            emp.em_liquidacao,
        )
        for (ent, numero), emp in sorted(controle.empenhos.items())
        if ent == entidade
        and emp.inscrito
        and (ano_inscricao is None or emp.inscrito == ano_inscricao)
    ]


class LinhaExtrato(NamedTuple):
    data: str
    evento: str
    tipo: str
    valor: int
    situacao: str  # "estornado" quando o evento foi estornado (não conta nos saldos)
    a_liquidar: int  # depois do evento
    a_pagar: int


def empenho_do_evento(
    ev: Evento | EncerramentoExercicio, empenho_da_liquidacao: Callable[[str], str | None]
) -> str | None:
    """O empenho em cujo extrato o evento aparece: o próprio empenho, o que o
    evento cita (anulação, liquidação, cancelamento de RP…) ou, no pagamento, o
    da liquidação paga. O armazenamento guarda este valor em cada evento gravado
    (``evento.empenho``), para o extrato ler só os eventos do empenho."""
    if isinstance(ev, Empenho):
        return ev.id
    if isinstance(ev, Pagamento):
        return empenho_da_liquidacao(ev.liquidacao)
    if isinstance(ev, EncerramentoExercicio):
        return None
    empenho = getattr(ev, "empenho", None)
    return empenho if isinstance(empenho, str) else None


def extrato_empenho(
    controle: ControleOrcamentario,
    entidade: str,
    numero: str,
    eventos: Iterable[tuple[str, Evento | EncerramentoExercicio]] | None = None,
) -> list[LinhaExtrato] | None:
    """Eventos do empenho na ordem de registro, com os saldos depois de cada um;
    ``None`` se o empenho não existe. ``eventos``: (código, evento) da entidade em
    ordem de registro — basta os do empenho; sem eles, os do controle."""
    if (entidade, numero) not in controle.empenhos:
        return None

    def empenho_da_liquidacao(codigo: str) -> str | None:
        liq = controle.liquidacoes.get((entidade, codigo))
        return liq.empenho if liq is not None else None

    if eventos is None:
        eventos = ((c, ev) for (ent, c), ev in controle.eventos.items() if ent == entidade)
    a_liquidar = a_pagar = 0
    linhas = []
    for codigo, ev in eventos:
        if isinstance(ev, EncerramentoExercicio):
            continue
        if empenho_do_evento(ev, empenho_da_liquidacao) != numero:
            continue
        estornado = (entidade, codigo) in controle.estornados
        if not estornado:
            if isinstance(ev, Empenho):
                a_liquidar += ev.valor
            elif isinstance(ev, AnulacaoEmpenho):
                a_liquidar -= ev.valor
            elif isinstance(ev, Liquidacao):
                a_liquidar -= ev.valor
                a_pagar += ev.valor
            elif isinstance(ev, Pagamento):
                a_pagar -= ev.valor
            elif isinstance(ev, CancelamentoRestosAPagar):
                if ev.liquidacao:
                    a_pagar -= ev.valor
                else:
                    a_liquidar -= ev.valor
        linhas.append(
            LinhaExtrato(
                ev.data.isoformat(),
                codigo,
                str(ev.tipo),
                ev.valor,
                "estornado" if estornado else "",
                a_liquidar,
                a_pagar,
            )
        )
    return linhas


class LinhaDisponibilidade(NamedTuple):
    fonte: str
    caixa_bancos: int  # 1.1.1 (saldo devedor)
    ddr_disponivel: int  # 8.2.1.1.1 (saldo credor)
    comprometida_empenho: int  # 8.2.1.1.2
    comprometida_liquidacao: int  # 8.2.1.1.3
    utilizada: int  # 8.2.1.1.4


def disponibilidade_por_fonte(saldos: SaldosRazao) -> list[LinhaDisponibilidade]:
    """Caixa e equivalentes e o controle da disponibilidade por destinação de
    recursos (DDR, PCASP 8.2.1.1), por fonte, a partir dos saldos do razão."""
    grupos = {
        "1.1.1.": 0,
        "8.2.1.1.1.": 1,
        "8.2.1.1.2.": 2,
        "8.2.1.1.3.": 3,
        "8.2.1.1.4.": 4,
    }
    por_fonte: dict[str, list[int]] = {}
    for (conta, cc), saldo in saldos.items():
        fonte = _atributos(cc).get("FR")
        if fonte is None:
            continue
        for prefixo, i in grupos.items():
            if conta.startswith(prefixo):
                v = por_fonte.setdefault(fonte, [0, 0, 0, 0, 0])
                # caixa é devedora; as contas de controle credor (classe 8) são credoras
                v[i] += saldo if i == 0 else -saldo
    return [LinhaDisponibilidade(f, *v) for f, v in sorted(por_fonte.items())]
