"""Apuração bimestral do SIOPS, acumulada até o fim do bimestre, do município
inteiro (a soma das entidades: administração direta e indireta).

Entrada: os eventos orçamentários de cada entidade local (os estornados já fora)
e, das incorporadas, a LOA guardada e os balancetes (``erario.siops.incorporadas``); as
propriedades das fontes, as marcas e as equivalências confirmadas, e o saldo
das contas do superávit financeiro por fonte. Saída: ``Apuracao`` com todos os
números das pastas (receita total do município; despesa da função 10 por fonte
e subfunção, ASPS e não ASPS; compensações; restos a pagar por ano de
inscrição; disponibilidade; consórcios; quadros COVID-19) e o percentual
aplicado em ASPS sobre a base (LC 141/2012, art. 7º: no mínimo 15%).

Valores em centavos (int). Regras de cada número citadas junto do cálculo.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, NamedTuple

from erario.core.datas import fim_do_mes
from erario.core.erros import Erro
from erario.execucao.eventos import (
    AnulacaoDotacao,
    AnulacaoEmpenho,
    Arrecadacao,
    CancelamentoRestosAPagar,
    CreditoAdicional,
    DeducaoReceita,
    DotacaoInicial,
    Empenho,
    EncerramentoExercicio,
    Evento,
    Liquidacao,
    Pagamento,
    PrevisaoDeducao,
    PrevisaoReceita,
)
from erario.orcamento.classificacao import FUNCAO_SAUDE, ler_dotacao
from erario.siops import incorporadas as inc
from erario.siops import marcas as mc
from erario.siops.equivalencias import Equivalencia, TipoEquivalencia, mapa
from erario.siops.recursos import RECURSOS, linha_fonte, subfuncao_siops

PERCENTUAL_MINIMO: Final = Decimal("15.00")  # LC 141/2012, art. 7º (municípios)
# Base de cálculo das ASPS (LC 141/2012, art. 7º): impostos municipais (CF, art. 156:
# IPTU, ITBI, ISS; e o IRRF do art. 158, I) e as transferências dos arts. 158 e 159,
# I, "b", e § 3º (FPM, ITR, ICMS, IPVA, IPI-exportação), com multas, juros e dívida
# ativa (o último dígito da natureza). Prefixos da natureza da receita (2018+).
PREFIXOS_BASE: Final = ("1112", "1113", "1114", "17115", "172150", "172151", "172152")
Valores = list[int]


def fim_do_bimestre(ano: int, bimestre: int) -> dt.date:
    mes = 2 * bimestre
    return fim_do_mes(ano, mes)


def na_base(natureza: str) -> bool:
    return natureza.startswith(PREFIXOS_BASE)


class DadosEntidade(NamedTuple):
    """O que a apuração lê de uma entidade."""

    slug: str
    eventos: Sequence[Evento | EncerramentoExercicio]  # em ordem, sem os estornados
    fontes: Mapping[str, tuple[tuple[str, str], ...]]  # FR → propriedades da fonte
    marcas: Sequence[mc.Marca]
    equivalencias: Sequence[Equivalencia]  # confirmadas e sugeridas (só as confirmadas valem)
    # Saldo com sinal (+ devedor) por (conta, FR) das contas do superávit financeiro
    # relacionadas (tipo ``conta``) no fim do bimestre.
    saldos_contas: Mapping[tuple[str, str], int] = {}


class LinhaReceita(NamedTuple):
    rubrica: str
    previsao_inicial: int
    previsao_atualizada: int
    realizada: int
    deducoes: int  # outras deduções que não as do FUNDEB
    deducao_fundeb: int
    deducao_fundeb_prevista: int

    @property
    def liquida(self) -> int:
        return self.realizada - self.deducoes - self.deducao_fundeb


class Apuracao(NamedTuple):
    ano: int
    bimestre: int
    entidades: tuple[str, ...]
    receitas: tuple[LinhaReceita, ...]
    base_asps: (
        int  # receita de impostos e transferências (LC 141, art. 7º), líquida das outras deduções
    )
    # (linha de fonte, subfunção SIOPS, elemento SIOPS) → [dotação inicial, atualizada,
    # empenhada, liquidada, paga]
    despesas: Mapping[tuple[str, str, str], tuple[int, ...]]
    # ano compensado → [empenhada, liquidada, paga]
    compensacao_rp: Mapping[int, tuple[int, ...]]
    compensacao_limite: Mapping[int, tuple[int, ...]]
    # (ano de inscrição, linha de fonte) → [processados, não processados]
    rp_inscritos: Mapping[tuple[int, str], tuple[int, ...]]
    rp_pagos: Mapping[tuple[int, str], tuple[int, ...]]  # no exercício, até o bimestre
    rp_pagos_anteriores: Mapping[tuple[int, str], tuple[int, ...]]  # até o exercício anterior
    rp_cancelados: Mapping[tuple[int, str], tuple[int, ...]]
    rp_cancelados_anteriores: Mapping[tuple[int, str], tuple[int, ...]]
    disponibilidade: Mapping[str, int]  # linha de fonte → saldo
    consorcios: Mapping[str, tuple[int, ...]]  # linha de fonte → [empenhada, liquidada, paga]
    # COVID-19: referência do guia (001–030) → valores
    covid_receita_uniao: Mapping[str, int]
    covid_receita_estado: Mapping[str, int]
    covid_despesa_uniao: Mapping[str, tuple[int, ...]]
    covid_despesa_estado: Mapping[str, tuple[int, ...]]
    covid_despesa_propria: Mapping[str, tuple[int, ...]]

    def total_despesa(self, coluna: int, linhas: Iterable[str] | None = None) -> int:
        alvo = set(linhas) if linhas is not None else None
        return sum(v[coluna] for (f, _, _), v in self.despesas.items() if alvo is None or f in alvo)

    @property
    def asps(self) -> tuple[int, int, int]:
        """Despesa ASPS empenhada, liquidada e paga (linha Impostos — ASPS)."""
        return (
            self.total_despesa(2, ("1",)),
            self.total_despesa(3, ("1",)),
            self.total_despesa(4, ("1",)),
        )

    def percentual(self, coluna: int = 0) -> Decimal | None:
        """Percentual aplicado em ASPS sobre a base (coluna 0 empenhada, 1 liquidada,
        2 paga), com duas casas (ROUND_HALF_UP); sem base, ``None``."""
        if self.base_asps <= 0:
            return None
        p = Decimal(self.asps[coluna]) * 100 / Decimal(self.base_asps)
        return p.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Linhas COVID do guia. Despesas da União (planilha 77) por subfunção; 302 abre pelo
# detalhe (017–022) e "outras" (023); 014, 016 e 029 são totalizadores.
_COVID_77: Final = {
    "122": "013",
    "301": "015",
    "303": "024",
    "304": "025",
    "305": "026",
    "306": "027",
}
# Estado (78) e recursos próprios (79): 014 = 301, 016 = 302, sem detalhe.
_COVID_78: Final = {"122": "013", "301": "014", "302": "016", "303": "024", "304": "025",
                    "305": "026", "306": "027"}  # fmt: skip


def linha_covid_uniao(subfuncao: str, detalhe: str) -> str:
    if subfuncao == "302":
        return detalhe or "023"
    return _COVID_77.get(subfuncao, "028")


def linha_covid_outros(subfuncao: str) -> str:
    return _COVID_78.get(subfuncao, "028")


class _Acumulador:
    def __init__(self, n: int) -> None:
        self.n = n
        self.d: defaultdict[object, Valores] = defaultdict(lambda: [0] * n)

    def somar(self, chave: object, coluna: int, valor: int) -> None:
        self.d[chave][coluna] += valor

    def fechar(self) -> dict:  # type: ignore[type-arg]
        return {k: tuple(v) for k, v in sorted(self.d.items()) if any(v)}


class _Empenho(NamedTuple):
    ev: Empenho
    subfuncao: str
    elemento: str
    linha: str  # linha de fonte
    recurso: str
    marcas: mc.MarcasDespesa


class _Destino(NamedTuple):
    """Onde cai a execução de uma dotação de entidade incorporada (sem empenho)."""

    subfuncao: str
    elemento: str
    linha: str
    recurso: str
    marcas: mc.MarcasDespesa


class _Apurador:
    """Acumula os números do município, entidade por entidade."""

    def __init__(self, ano: int, bimestre: int) -> None:
        self.ano, self.bimestre = ano, bimestre
        self.fim = fim_do_bimestre(ano, bimestre)
        self.erros: list[Erro] = []
        self.receitas: defaultdict[str, Valores] = defaultdict(lambda: [0] * 6)
        self.base = 0
        self.despesas = _Acumulador(5)
        self.comp_rp, self.comp_lim, self.consorcios = (
            _Acumulador(3),
            _Acumulador(3),
            _Acumulador(3),
        )
        self.rp_insc, self.rp_pag, self.rp_pag_ant = _Acumulador(2), _Acumulador(2), _Acumulador(2)
        self.rp_canc, self.rp_canc_ant = _Acumulador(2), _Acumulador(2)
        self.cov_rec_u, self.cov_rec_e = _Acumulador(1), _Acumulador(1)
        self.cov_u, self.cov_e, self.cov_p = _Acumulador(3), _Acumulador(3), _Acumulador(3)
        self.disponibilidade: defaultdict[str, int] = defaultdict(int)
        # da entidade em curso
        self.slug = ""
        self.idx: mc.Indice = {}
        self.fontes: Mapping[str, tuple[tuple[str, str], ...]] = {}
        self.rubricas: dict[str, str] = {}
        self.elementos: dict[str, str] = {}
        self.recursos: dict[str, str] = {}

    def erro(self, mensagem: str) -> None:
        self.erros.append(Erro("SIOPS-EQUIVALENCIA", f"{self.slug}: {mensagem}"))

    def recurso_de(self, fonte: str, onde: str) -> str | None:
        r = self.recursos.get(fonte)
        if r is None:
            self.erro(f"fonte {fonte} ({onde}) sem recurso SIOPS confirmado")
        return r

    def preparar(self, ent: DadosEntidade | inc.DadosIncorporada) -> None:
        self.slug = ent.slug
        self.idx = mc.indice(ent.marcas)
        self.fontes = ent.fontes
        self.rubricas = mapa(ent.equivalencias, TipoEquivalencia.RECEITA)
        self.elementos = mapa(ent.equivalencias, TipoEquivalencia.DESPESA)
        self.recursos = mapa(ent.equivalencias, TipoEquivalencia.RECURSO)

    def entidade(self, ent: DadosEntidade) -> None:
        self.preparar(ent)
        for ev in ent.eventos:
            if isinstance(ev, PrevisaoReceita | PrevisaoDeducao | Arrecadacao | DeducaoReceita):
                self.receita(ev)
        self.despesa(ent.eventos)
        for (_conta, fr), saldo in sorted(ent.saldos_contas.items()):
            rec = self.recurso_de(fr, "disponibilidade")
            if rec is not None:
                self.disponibilidade[linha_fonte(RECURSOS[rec].grupo, True)] += saldo

    # ------------------------------------------------------------------ receitas
    def receita(self, ev: PrevisaoReceita | PrevisaoDeducao | Arrecadacao | DeducaoReceita) -> None:
        previsao = isinstance(ev, PrevisaoReceita | PrevisaoDeducao)
        if ev.data.year != self.ano or (ev.data > self.fim and not previsao):
            return
        rubrica = self.rubricas.get(ev.natureza_receita)
        if rubrica is None:
            self.erro(f"natureza da receita {ev.natureza_receita} sem rubrica SIOPS confirmada")
            return
        r = self.receitas[rubrica]
        if isinstance(ev, PrevisaoReceita):
            r[0] += ev.valor  # previsão inicial (a LOA)
            r[1] += ev.valor  # atualizada: o erario não tem reestimativa de receita
        elif isinstance(ev, PrevisaoDeducao):
            r[5] += ev.valor  # dedução para o FUNDEB orçada (tipo STN 05)
        elif isinstance(ev, Arrecadacao):
            r[2] += ev.valor
            if na_base(ev.natureza_receita):
                self.base += ev.valor
            fr = ev.fonte.texto_cc
            mr, e = mc.marcas_receita(
                ev.id, ev.natureza_receita, fr, ev.propriedades, self.fontes.get(fr, ()), self.idx
            )
            self.erros += e
            self.covid_receita(mr, fr, ev.valor)
        else:  # DeducaoReceita: só o FUNDEB no erario (as outras deduções são zero)
            r[4] += ev.valor

    def covid_receita(self, mr: mc.MarcasReceita, fr: str, valor: int) -> None:
        if mr.covid:
            # 002 (MP 938/2020): "Nesta linha não será verificado o recurso".
            rec = self.recursos.get(fr)
            if mr.covid_detalhe == "002" or rec == "212":
                self.cov_rec_u.somar(mr.covid_detalhe or "011", 0, valor)
            elif rec == "213":
                self.cov_rec_e.somar("030", 0, valor)

    # ------------------------------------------------------------------ despesas
    def _empenhos(self, eventos: Sequence[Evento | EncerramentoExercicio]) -> dict[str, _Empenho]:
        empenhos: dict[str, _Empenho] = {}
        for ev in eventos:
            if not isinstance(ev, Empenho):
                continue
            d = _saude(ev.dotacao, self.idx)
            if d is None:
                continue
            subfuncao, natureza = d
            fr = ev.fonte.texto_cc
            recurso = self.recurso_de(fr, f"empenho {ev.id}")
            elemento = self.elementos.get(natureza)
            if elemento is None:
                self.erro(
                    f"natureza da despesa {natureza} (empenho {ev.id}) sem elemento SIOPS confirmado"
                )
            if recurso is None or elemento is None:
                continue
            grupo = RECURSOS[recurso].grupo
            m, e = mc.marcas_despesa(
                ev.id, ev.dotacao, fr, grupo, ev.propriedades, self.fontes.get(fr, ()), self.idx
            )
            self.erros += e
            empenhos[ev.id] = _Empenho(
                ev, subfuncao, elemento, linha_fonte(grupo, m.asps), recurso, m
            )
        return empenhos

    def executar(self, emp: _Empenho | _Destino, coluna: int, valor: int) -> None:
        """Empenhado (0), liquidado (1) ou pago (2) do exercício, em todos os quadros."""
        chave = (emp.linha, subfuncao_siops(emp.subfuncao), emp.elemento)
        self.despesas.somar(chave, coluna + 2, valor)
        m = emp.marcas
        if m.rp_cancelados:
            self.comp_rp.somar(m.rp_cancelados, coluna, valor)
        if m.limite_nao_cumprido:
            self.comp_lim.somar(m.limite_nao_cumprido, coluna, valor)
        if m.consorcio:
            self.consorcios.somar(emp.linha, coluna, valor)
        if m.covid:
            if emp.recurso == "212":
                self.cov_u.somar(linha_covid_uniao(emp.subfuncao, m.covid_detalhe), coluna, valor)
            elif emp.recurso == "213":
                self.cov_e.somar(linha_covid_outros(emp.subfuncao), coluna, valor)
            elif emp.recurso == "001":
                self.cov_p.somar(linha_covid_outros(emp.subfuncao), coluna, valor)

    def despesa(self, eventos: Sequence[Evento | EncerramentoExercicio]) -> None:
        ano = self.ano
        empenhos = self._empenhos(eventos)
        liquidacoes = {ev.id: ev for ev in eventos if isinstance(ev, Liquidacao)}
        # Situação de cada empenho no encerramento do seu exercício, para a inscrição.
        a_liquidar: defaultdict[str, int] = defaultdict(int)
        a_pagar: defaultdict[str, int] = defaultdict(int)
        dot_fonte: dict[str, str] = {}
        for ev in eventos:
            if ev.data > self.fim:  # em ordem de registro, não de data: segue adiante
                continue
            if isinstance(ev, DotacaoInicial | CreditoAdicional | AnulacaoDotacao):
                if isinstance(ev, DotacaoInicial | CreditoAdicional):
                    dot_fonte.setdefault(ev.dotacao, ev.fonte.texto_cc)
                if ev.data.year == ano:
                    self.dotacao(ev, dot_fonte.get(ev.dotacao, ""))
                continue
            if isinstance(ev, EncerramentoExercicio):
                # "Os valores referente à restos do exercício de geração, serão demonstrados
                # apenas no 6° Bimestre"; os de anos anteriores, integralmente.
                if ev.data.year == ano and self.bimestre < 6:
                    continue
                for numero, emp in empenhos.items():
                    if emp.ev.data.year == ev.data.year:
                        chave = (ev.data.year, emp.linha)
                        self.rp_insc.somar(chave, 0, a_pagar[numero])
                        self.rp_insc.somar(chave, 1, a_liquidar[numero])
                continue
            if isinstance(ev, Pagamento):
                liq = liquidacoes.get(ev.liquidacao)
                numero = liq.empenho if liq else ""
            else:
                numero = ev.id if isinstance(ev, Empenho) else str(getattr(ev, "empenho", ""))
            alvo = empenhos.get(numero)
            if alvo is not None:
                self.movimento(ev, alvo, liquidacoes, a_liquidar, a_pagar)

    def movimento(
        self,
        ev: Evento,
        emp: _Empenho,
        liquidacoes: Mapping[str, Liquidacao],
        a_liquidar: defaultdict[str, int],
        a_pagar: defaultdict[str, int],
    ) -> None:
        ano_emp = emp.ev.data.year
        numero = emp.ev.id
        do_ano = ano_emp == self.ano
        if isinstance(ev, Empenho):
            a_liquidar[numero] += ev.valor
            if do_ano:
                self.executar(emp, 0, ev.valor)
        elif isinstance(ev, AnulacaoEmpenho):
            a_liquidar[numero] -= ev.valor
            if do_ano:
                self.executar(emp, 0, -ev.valor)
        elif isinstance(ev, Liquidacao):
            if ev.data.year == ano_emp:  # a do RP não processado é execução de RP
                a_liquidar[numero] -= ev.valor
                a_pagar[numero] += ev.valor
                if do_ano:
                    self.executar(emp, 1, ev.valor)
        elif isinstance(ev, Pagamento):
            liq = liquidacoes[ev.liquidacao]
            if ev.data.year == ano_emp:
                a_pagar[numero] -= ev.valor
                if do_ano:
                    self.executar(emp, 2, ev.valor)
            else:  # restos a pagar pagos; processados: liquidados antes da inscrição
                alvo = self.rp_pag if ev.data.year == self.ano else self.rp_pag_ant
                alvo.somar((ano_emp, emp.linha), 0 if liq.data.year == ano_emp else 1, ev.valor)
        elif isinstance(ev, CancelamentoRestosAPagar):
            liq_c = liquidacoes.get(ev.liquidacao) if ev.liquidacao else None
            processado = liq_c is not None and liq_c.data.year == ano_emp
            alvo = self.rp_canc if ev.data.year == self.ano else self.rp_canc_ant
            alvo.somar((ano_emp, emp.linha), 0 if processado else 1, ev.valor)

    def dotacao(self, ev: DotacaoInicial | CreditoAdicional | AnulacaoDotacao, fr: str) -> None:
        """Dotação inicial e atualizada (inicial + créditos − anulações) da função 10."""
        d = _saude(ev.dotacao, self.idx)
        if d is None:
            return
        subfuncao, natureza = d
        recurso, elemento = self.recursos.get(fr), self.elementos.get(natureza)
        if recurso is None or elemento is None:
            falta = (
                f"fonte {fr} sem recurso"
                if recurso is None
                else f"natureza {natureza} sem elemento"
            )
            self.erro(f"dotação {ev.dotacao}: {falta} SIOPS confirmado")
            return
        grupo = RECURSOS[recurso].grupo
        _, asps = mc.marcas_dotacao(ev.dotacao, grupo, self.idx)
        chave = (linha_fonte(grupo, asps), subfuncao_siops(subfuncao), elemento)
        if isinstance(ev, DotacaoInicial):
            self.despesas.somar(chave, 0, ev.valor)
            self.despesas.somar(chave, 1, ev.valor)
        else:
            sinal = 1 if isinstance(ev, CreditoAdicional) else -1
            self.despesas.somar(chave, 1, sinal * ev.valor)

    # ------------------------------------------------------ entidades incorporadas
    def incorporada(self, d: inc.DadosIncorporada) -> None:
        """Soma a entidade incorporada pela LOA guardada e pelos balancetes dela
        (``erario.siops.incorporadas``): só as marcas da dotação, da fonte e da
        natureza da receita valem, porque o balancete não traz o empenho."""
        self.preparar(d)
        lida, erros = inc.ler(
            d, self.ano, self.bimestre, mapa(d.equivalencias, TipoEquivalencia.CONTA)
        )
        if lida is None:
            self.erros += erros
            return
        for (nr, fr), (inicial, realizada, outras, fundeb, fundeb_prev) in lida.receitas.items():
            rubrica = self.rubricas.get(nr)
            if rubrica is None:
                self.erro(f"natureza da receita {nr} sem rubrica SIOPS confirmada")
                continue
            r = self.receitas[rubrica]
            r[0] += inicial
            r[1] += inicial  # o erario não tem reestimativa de receita
            r[2] += realizada
            r[3] += outras
            r[4] += fundeb
            r[5] += fundeb_prev
            if na_base(nr):
                self.base += realizada - outras
            if realizada:
                mr, e = mc.marcas_receita(
                    f"{d.slug} (balancete)", nr, fr, (), self.fontes.get(fr, ()), self.idx
                )
                self.erros += e
                self.covid_receita(mr, fr, realizada)
        for (c, fr), valores in lida.despesas.items():
            destino = self.destino(c, fr)
            if destino is None:
                continue
            chave = (destino.linha, subfuncao_siops(c.subfuncao), destino.elemento)
            self.despesas.somar(chave, 0, valores[0])
            self.despesas.somar(chave, 1, valores[1])
            for coluna in range(3):
                if valores[2 + coluna]:
                    self.executar(destino, coluna, valores[2 + coluna])
        for origem, alvo in (
            (lida.rp_inscritos, self.rp_insc),
            (lida.rp_pagos, self.rp_pag),
            (lida.rp_pagos_anteriores, self.rp_pag_ant),
            (lida.rp_cancelados, self.rp_canc),
            (lida.rp_cancelados_anteriores, self.rp_canc_ant),
        ):
            for (ai, c, fr), par in origem.items():
                destino = self.destino(c, fr)
                if destino is not None:
                    for coluna, valor in enumerate(par):
                        alvo.somar((ai, destino.linha), coluna, valor)
        for (_conta, fr), saldo in sorted(lida.saldos_contas.items()):
            rec = self.recurso_de(fr, "disponibilidade")
            if rec is not None:
                self.disponibilidade[linha_fonte(RECURSOS[rec].grupo, True)] += saldo

    def destino(self, c: inc.Classe, fr: str) -> _Destino | None:
        """Linha, subfunção e elemento de uma dotação da função 10 da incorporada
        (``None`` fora da saúde ou sem equivalência, com o erro)."""
        if (
            c.dotacao
            and self.idx.get((mc.Alvo.DOTACAO, c.dotacao), {}).get("SAUDE", mc.SIM) != mc.SIM
        ):
            return None
        onde = f"dotação {c.dotacao or c.funcao + '.' + c.subfuncao + ' ' + c.natureza}"
        recurso = self.recurso_de(fr, onde)
        elemento = self.elementos.get(c.natureza)
        if elemento is None:
            self.erro(f"natureza da despesa {c.natureza} ({onde}) sem elemento SIOPS confirmado")
        if recurso is None or elemento is None:
            return None
        grupo = RECURSOS[recurso].grupo
        m, e = mc.marcas_despesa("", c.dotacao, fr, grupo, (), self.fontes.get(fr, ()), self.idx)
        self.erros += e
        return _Destino(c.subfuncao, elemento, linha_fonte(grupo, m.asps), recurso, m)

    def resultado(self, entidades: tuple[str, ...]) -> Apuracao:
        return Apuracao(
            self.ano, self.bimestre, entidades,
            tuple(
                LinhaReceita(rub, *v) for rub, v in sorted(self.receitas.items()) if any(v)
            ),
            self.base, self.despesas.fechar(), self.comp_rp.fechar(), self.comp_lim.fechar(),
            self.rp_insc.fechar(), self.rp_pag.fechar(), self.rp_pag_ant.fechar(),
            self.rp_canc.fechar(), self.rp_canc_ant.fechar(),
            {k: v for k, v in sorted(self.disponibilidade.items()) if v},
            self.consorcios.fechar(),
            {k: v[0] for k, v in self.cov_rec_u.fechar().items()},
            {k: v[0] for k, v in self.cov_rec_e.fechar().items()},
            self.cov_u.fechar(), self.cov_e.fechar(), self.cov_p.fechar(),
        )  # fmt: skip


def apurar(
    ano: int,
    bimestre: int,
    entidades: Sequence[DadosEntidade],
    incorporadas: Sequence[inc.DadosIncorporada] = (),
) -> tuple[Apuracao | None, list[Erro]]:
    """A apuração do município — as entidades com razão neste banco e as
    incorporadas (LOA guardada e balancetes do servidor) —, ou todos os problemas
    (marcas, equivalências, balancetes que faltam)."""
    ap = _Apurador(ano, bimestre)
    for ent in entidades:
        ap.entidade(ent)
    for d in incorporadas:
        ap.incorporada(d)
    if ap.erros:
        return None, _sem_repetidos(ap.erros)
    return ap.resultado(tuple(e.slug for e in entidades) + tuple(d.slug for d in incorporadas)), []


def _saude(dotacao: str, idx: mc.Indice) -> tuple[str, str] | None:
    """(subfunção, natureza em 8 dígitos) da dotação da função 10 com Saúde marcado."""
    d, _ = ler_dotacao(dotacao)
    if d is None or d.funcao != FUNCAO_SAUDE:
        return None
    if idx.get((mc.Alvo.DOTACAO, dotacao), {}).get("SAUDE", mc.SIM) != mc.SIM:
        return None
    return d.subfuncao, d.natureza.digitos


def _sem_repetidos(erros: list[Erro]) -> list[Erro]:
    vistos: set[tuple[str, str]] = set()
    saida = []
    for e in erros:
        if (e.regra, e.mensagem) not in vistos:
            vistos.add((e.regra, e.mensagem))
            saida.append(e)
    return saida


def necessarias(
    ano: int, eventos: Iterable[Evento | EncerramentoExercicio], fontes_contas: Iterable[str] = ()
) -> dict[TipoEquivalencia, set[str]]:
    """As origens que precisam de relacionamento no exercício: naturezas e fontes de
    receita com lançamento no ano; naturezas e fontes de despesa da função 10 (do ano
    e dos restos a pagar); e as fontes das contas de disponibilidade."""
    out: dict[TipoEquivalencia, set[str]] = {t: set() for t in TipoEquivalencia}
    out[TipoEquivalencia.RECURSO] |= set(fontes_contas)
    for ev in eventos:
        if isinstance(ev, PrevisaoReceita | Arrecadacao | DeducaoReceita | PrevisaoDeducao):
            if ev.data.year == ano:
                out[TipoEquivalencia.RECEITA].add(ev.natureza_receita)
                # a fonte da receita classifica os quadros COVID-19 (recursos 212 e 213)
                out[TipoEquivalencia.RECURSO].add(ev.fonte.texto_cc)
        elif isinstance(ev, Empenho | DotacaoInicial | CreditoAdicional) and ev.data.year <= ano:
            d, _ = ler_dotacao(ev.dotacao)
            if d is not None and d.funcao == FUNCAO_SAUDE:
                out[TipoEquivalencia.DESPESA].add(d.natureza.digitos)
                out[TipoEquivalencia.RECURSO].add(ev.fonte.texto_cc)
    return out
