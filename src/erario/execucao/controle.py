"""Controle dos saldos da execução: dotação, empenho, liquidação e pagamento.

As travas da Lei 4.320/1964 viram regras com código estável:
- ``EXEC-DOTACAO-SALDO``: empenho acima do crédito disponível (art. 59);
- ``EXEC-ANULACAO-SALDO``: anulação acima do que o empenho tem a liquidar;
- ``EXEC-LIQUIDACAO-SALDO``: liquidação ou despesa em liquidação acima do que o
  empenho tem a liquidar (art. 63) fora do que já está em liquidação; liquidação
  de um evento ``em_liquidacao`` acima do que resta dele;
- ``EXEC-EM-LIQUIDACAO``: liquidação que cita um evento ``em_liquidacao``
  inexistente, estornado, de outro empenho ou com outras contas;
- ``EXEC-PAGAMENTO-SALDO``: pagamento acima do liquidado e não pago (art. 62);
- ``EXEC-CONTA-BANCARIA``: conta bancária de outra entidade;
- ``EXEC-RESERVA``, ``EXEC-RESERVA-SALDO``: reserva de dotação inexistente, de outra
  dotação ou sem saldo para o empenho ou a anulação;
- ``EXEC-DEDUCAO-SALDO``: dedução (FUNDEB) acima do arrecadado e não deduzido;
- ``EXEC-EXTRA-SALDO``: devolução/recolhimento extraorçamentário acima do que entrou;
- ``EXEC-TRANSFERENCIA``: transferência financeira para a própria entidade;
- ``EXEC-COBERTURA``: crédito suplementar ou especial sem recursos de cobertura (art. 43);
- ``EXEC-RP``, ``EXEC-RP-SALDO``: execução de empenho de exercício anterior sem a
  inscrição em restos a pagar (art. 36), anulação de empenho inscrito (cancela-se o
  RP) e cancelamento acima do saldo inscrito;
- ``EXEC-ENCERRAMENTO``: evento em exercício encerrado, encerramento repetido ou
  fora de ordem;
- ``EXEC-ID``, ``EXEC-DOTACAO``, ``EXEC-EMPENHO``, ``EXEC-LIQUIDACAO``,
  ``EXEC-FONTE``, ``EXEC-CREDOR``, ``EXEC-VALOR``, ``EXEC-ESTORNO``: referências e
  dados do evento.

Dotações e receitas são do exercício (ano da data do evento); empenhos e
liquidações guardam o seu, e o encerramento os inscreve em restos a pagar.

``conferir`` só lê e devolve os atributos que o roteiro contábil usa (ou todos
os erros); ``aplicar`` muda os saldos e só deve ser chamado depois de um
``conferir`` sem erro. Nada aqui acessa banco. Aqui ficam o estado e o
despacho; a regra de cada tipo de evento está em ``execucao.regras``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

from erario.core.erros import Erro
from erario.execucao.eventos import EncerramentoExercicio, Evento
from erario.execucao.regras import REGRAS
from erario.execucao.regras.comum import (
    CONTA_DDR_DISPONIVEL,
    CONTA_DDR_DISPONIVEL_ANTERIORES,
    Atributos,
)
from erario.execucao.saldos import (
    EXERCICIO,
    RPNP,
    RPP,
    SaldoDotacao,
    SaldoEmLiquidacao,
    SaldoEmpenho,
    SaldoEmpenhoExtra,
    SaldoLiquidacao,
    SaldoLiquidacaoExtra,
    SaldoReceita,
    SaldoReserva,
)
from erario.orcamento.classificacao import fonte_exercicios_anteriores

__all__ = [
    "EXERCICIO",
    "RPNP",
    "RPP",
    "Atributos",
    "ControleOrcamentario",
    "SaldoDotacao",
    "SaldoEmLiquidacao",
    "SaldoEmpenho",
    "SaldoEmpenhoExtra",
    "SaldoLiquidacao",
    "SaldoLiquidacaoExtra",
    "SaldoReceita",
    "SaldoReserva",
]


@dataclass
class ControleOrcamentario:
    """Saldos por entidade; chaves (entidade, código) ou (entidade, exercício, código)."""

    dotacoes: dict[tuple[str, int, str], SaldoDotacao] = field(default_factory=dict)
    empenhos: dict[tuple[str, str], SaldoEmpenho] = field(default_factory=dict)
    liquidacoes: dict[tuple[str, str], SaldoLiquidacao] = field(default_factory=dict)
    em_liquidacoes: dict[tuple[str, str], SaldoEmLiquidacao] = field(default_factory=dict)
    reservas: dict[tuple[str, str], SaldoReserva] = field(default_factory=dict)
    # (entidade, exercício, natureza da receita, fonte no formato FR) → previsto/arrecadado
    receitas: dict[tuple[str, int, str, str], SaldoReceita] = field(default_factory=dict)
    # (entidade, conta do passivo, credor, fonte) → saldo restituível extraorçamentário
    extras: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    # Liquidações por (entidade, credor, ano, mês), em ordem: a apuração mensal do
    # IRRF e do INSS (erario.retencoes) consulta sem varrer todos os eventos.
    liquidacoes_do_mes: dict[tuple[str, str, int, int], list[str]] = field(default_factory=dict)
    # Eventos gerados por outro (retenções: ``gerado_por``), na ordem de registro:
    # o estorno do evento de origem estorna esses antes, sem varrer todos.
    gerados: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    # Empenhos e liquidações extraorçamentários (documentos sem lançamento).
    empenhos_extra: dict[tuple[str, str], SaldoEmpenhoExtra] = field(default_factory=dict)
    # Empenhado e ainda não pago por chave de ``extras``: o estorno do empenho e o
    # pagamento o reduzem (conferido a cada novo empenho, sem somar todos).
    extra_empenhado: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    liquidacoes_extra: dict[tuple[str, str], SaldoLiquidacaoExtra] = field(default_factory=dict)
    eventos: dict[tuple[str, str], Evento | EncerramentoExercicio] = field(default_factory=dict)
    estornados: set[tuple[str, str]] = field(default_factory=set)
    encerrados: set[tuple[str, int]] = field(default_factory=set)  # (entidade, exercício)
    # Extraorçamentários da entidade antes da transposição do encerramento (entidade, ano).
    _extras_antes: dict[
        tuple[str, int],
        tuple[
            dict[tuple[str, str, str, str], int],
            dict[tuple[str, str, str, str], int],
            dict[tuple[str, str], tuple[str, str, str, str]],
        ],
    ] = field(default_factory=dict)
    # Com os mapas preguiçosos (``execucao.preguicoso``), o que traz tudo da entidade
    # antes de percorrê-la (encerramento, recusa de estorno); None: tudo na memória.
    completar_entidade: Callable[[str], None] | None = field(
        default=None, compare=False, repr=False
    )

    def esvaziar(self) -> None:
        """Solta os saldos e eventos no fim de uma operação. Com mapas preguiçosos,
        o controle e o estado que os lê (``storage.saldos_controle``) se referem um
        ao outro: sem isto, só o coletor de ciclos liberaria tudo, percorrendo cada
        objeto (~1 s por 200 mil eventos de uma carga em massa)."""
        for f in fields(self):
            valor = getattr(self, f.name)
            if isinstance(valor, dict | set | list):
                valor.clear()
        self.completar_entidade = None

    def trazer_entidade(self, entidade: str) -> None:
        """Antes de percorrer os saldos de uma entidade: todos à mão."""
        if self.completar_entidade is not None:
            self.completar_entidade(entidade)

    # ------------------------------------------------------------ conferir
    def conferir(self, ev: Evento) -> tuple[Atributos | None, list[Erro]]:
        erros: list[Erro] = []
        if (ev.entidade, ev.id) in self.eventos:
            erros.append(Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id"))
        if ev.valor <= 0:
            erros.append(Erro("EXEC-VALOR", "valor do evento deve ser positivo", "valor"))
        ano = ev.data.year
        if (ev.entidade, ano) in self.encerrados:
            erros.append(
                Erro("EXEC-ENCERRAMENTO", f"o exercício {ano} da entidade está encerrado", "data")
            )
        atributos: Atributos = {"evento": ev.id}
        erros += REGRAS[type(ev)].conferir(self, ev, atributos)
        if erros:
            return None, erros
        fr = atributos.get("FR")
        if fr is not None:
            # DDR a utilizar: do exercício (8.2.1.1.1.01) ou, com fonte de exercícios
            # anteriores (1º dígito 2), a do superávit transposto (8.2.1.1.1.02).
            atributos["conta_ddr_disponivel"] = (
                CONTA_DDR_DISPONIVEL_ANTERIORES if fr[:1] == "2" else CONTA_DDR_DISPONIVEL
            )
        return atributos, []

    # ------------------------------------------------------------ aplicar
    def aplicar(self, ev: Evento, sinal: int = 1) -> None:
        """Muda os saldos pelo evento (``sinal=-1`` desfaz: estorno)."""
        REGRAS[type(ev)].aplicar(self, ev, sinal)
        if sinal > 0:
            self.eventos[(ev.entidade, ev.id)] = ev
            origem = getattr(ev, "gerado_por", "")
            if origem:
                self.gerados.setdefault((ev.entidade, origem), []).append(ev.id)
        else:
            self.estornados.add((ev.entidade, ev.id))

    # ------------------------------------------------------------ encerramento
    def conferir_encerramento(self, ev: EncerramentoExercicio) -> list[Erro]:
        """Encerra-se um exercício uma vez, em 31/12, depois dos anteriores."""
        self.trazer_entidade(ev.entidade)
        ano = ev.data.year
        erros = []
        if (ev.entidade, ev.id) in self.eventos:
            erros.append(Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id"))
        if (ev.data.month, ev.data.day) != (12, 31):
            erros.append(
                Erro("EXEC-ENCERRAMENTO", "o encerramento do exercício é em 31/12", "data")
            )
        if (ev.entidade, ano) in self.encerrados:
            erros.append(Erro("EXEC-ENCERRAMENTO", f"o exercício {ano} já foi encerrado", "data"))
        anteriores = sorted(
            {
                e.data.year
                for (ent, _), e in self.eventos.items()
                if ent == ev.entidade and e.data.year < ano
            }
            - {a for ent, a in self.encerrados if ent == ev.entidade}
        )
        if anteriores:
            erros.append(
                Erro(
                    "EXEC-ENCERRAMENTO",
                    f"encerre antes o exercício {anteriores[0]} da entidade",
                    "data",
                )
            )
        return erros

    def empenhos_a_inscrever(self, entidade: str, ano: int) -> list[tuple[str, SaldoEmpenho, int]]:
        """Empenhos do exercício com saldo a liquidar (inclusive em liquidação) ou
        liquidado a pagar (o que o encerramento inscreve em restos a pagar), com o
        liquidado a pagar de cada um, em ordem de número."""
        self.trazer_entidade(entidade)
        a_pagar = self.a_pagar_por_empenho(entidade)
        return sorted(
            (numero, emp, a_pagar.get(numero, 0))
            for (ent, numero), emp in self.empenhos.items()
            if ent == entidade
            and emp.ano == ano
            and not emp.inscrito
            and (ent, numero) not in self.estornados
            and (emp.a_liquidar > 0 or a_pagar.get(numero, 0) > 0)
        )

    def a_pagar_por_empenho(self, entidade: str, so_restos: bool = False) -> dict[str, int]:
        """Liquidado e não pago (nem cancelado) por empenho; ``so_restos``: só das
        liquidações em restos a pagar."""
        self.trazer_entidade(entidade)
        saida: dict[str, int] = {}
        for (ent, codigo), liq in self.liquidacoes.items():
            if (
                ent == entidade
                and (liq.situacao or not so_restos)
                and (ent, codigo) not in self.estornados
            ):
                saida[liq.empenho] = saida.get(liq.empenho, 0) + liq.a_pagar
        return saida

    def encerrar(self, ev: EncerramentoExercicio) -> None:
        """Inscreve em restos a pagar o que os empenhos do exercício têm a liquidar
        (não processados, inclusive o em liquidação, que continua em
        ``em_liquidacao``) e a pagar (processados) e fecha o exercício."""
        self.trazer_entidade(ev.entidade)
        ano = ev.data.year
        inscritos = {n: emp for n, emp, _ in self.empenhos_a_inscrever(ev.entidade, ano)}
        for emp in inscritos.values():
            emp.inscrito = ano
            emp.rpnp_inscrito = emp.a_liquidar
        for (ent, codigo), liq in self.liquidacoes.items():
            if (
                ent == ev.entidade
                and liq.empenho in inscritos
                and liq.a_pagar > 0
                and (ent, codigo) not in self.estornados
            ):
                liq.situacao = RPP
                inscritos[liq.empenho].rpp_inscrito += liq.a_pagar
        self.encerrados.add((ev.entidade, ano))
        self.eventos[(ev.entidade, ev.id)] = ev
        self._transpor_extras(ev)

    def _transpor_extras(self, ev: EncerramentoExercicio) -> None:
        """Os valores restituíveis (cauções, consignações) atravessam o exercício na
        fonte de exercícios anteriores, como a abertura os leva no razão (1º dígito
        da fonte 1 → 2): devolvê-los no ano seguinte cita a fonte 2xxx. Guarda o
        que havia, para ``desfazer_encerramento``."""
        ent = ev.entidade
        antes_extras = {k: v for k, v in self.extras.items() if k[0] == ent}
        antes_empenhado = {k: v for k, v in self.extra_empenhado.items() if k[0] == ent}
        antes_chaves = {k: e.chave for k, e in self.empenhos_extra.items() if k[0] == ent}
        self._extras_antes[(ent, ev.data.year)] = (antes_extras, antes_empenhado, antes_chaves)

        def transpor(chave: tuple[str, str, str, str]) -> tuple[str, str, str, str]:
            return (*chave[:3], fonte_exercicios_anteriores(chave[3]))

        for mapa in (self.extras, self.extra_empenhado):
            for chave in [k for k in mapa if k[0] == ent and transpor(k) != k]:
                nova = transpor(chave)
                mapa[nova] = mapa.get(nova, 0) + mapa.pop(chave)
        for k in antes_chaves:
            self.empenhos_extra[k].chave = transpor(self.empenhos_extra[k].chave)

    def conferir_desfazer_encerramento(
        self, entidade: str, id_evento: str
    ) -> tuple[EncerramentoExercicio | None, list[Erro]]:
        """O encerramento a desfazer: o último da entidade, sem execução no exercício
        seguinte (nenhum evento dele, nem os restos a pagar inscritos)."""
        self.trazer_entidade(entidade)
        ev = self.eventos.get((entidade, id_evento))
        if not isinstance(ev, EncerramentoExercicio):
            return None, [
                Erro("EXEC-ESTORNO", f"evento {id_evento} não é um encerramento", "evento")
            ]
        if (entidade, id_evento) in self.estornados:
            return None, [
                Erro("EXEC-ESTORNO", f"o encerramento {id_evento} já foi desfeito", "evento")
            ]
        ano = ev.data.year
        posteriores = sorted(
            e.id for (ent, _), e in self.eventos.items() if ent == entidade and e.data.year > ano
        )
        if posteriores:
            return None, [
                Erro(
                    "EXEC-ENCERRAMENTO",
                    f"o exercício {ano + 1} já tem {len(posteriores)} evento(s) "
                    f"({', '.join(posteriores[:5])}{'…' if len(posteriores) > 5 else ''}): "
                    f"o encerramento de {ano} só se desfaz antes de qualquer movimento em "
                    f"{ano + 1}; corrija {ano} em {ano + 1} por ajustes de exercícios "
                    "anteriores (2.3.7.1.x.03)",
                    "evento",
                )
            ]
        return ev, []

    def desfazer_encerramento(self, ev: EncerramentoExercicio) -> None:
        """O inverso de ``encerrar``: os empenhos inscritos no exercício voltam a ser
        do exercício (só depois de ``conferir_desfazer_encerramento``)."""
        self.trazer_entidade(ev.entidade)
        ano = ev.data.year
        for (ent, _), emp in self.empenhos.items():
            if ent == ev.entidade and emp.inscrito == ano:
                emp.inscrito = emp.rpnp_inscrito = emp.rpp_inscrito = 0
        for (ent, _), liq in self.liquidacoes.items():
            if ent == ev.entidade and liq.situacao == RPP and liq.ano <= ano:
                emp = self.empenhos[(ent, liq.empenho)]
                if not emp.inscrito:
                    liq.situacao = EXERCICIO
        self.encerrados.discard((ev.entidade, ano))
        self.estornados.add((ev.entidade, ev.id))
        antes = self._extras_antes.pop((ev.entidade, ano), None)
        if antes is not None:
            extras, empenhado, chaves = antes
            for mapa, anterior in ((self.extras, extras), (self.extra_empenhado, empenhado)):
                for chave_extra in [c for c in mapa if c[0] == ev.entidade]:
                    del mapa[chave_extra]
                mapa.update(anterior)
            for k_emp, chave_emp in chaves.items():
                self.empenhos_extra[k_emp].chave = chave_emp

    # ------------------------------------------------------------ estorno
    def conferir_estorno(self, entidade: str, id_evento: str) -> tuple[Evento | None, list[Erro]]:
        """O evento a estornar, se pode ser estornado por inteiro; senão os erros."""
        ev = self.eventos.get((entidade, id_evento))
        if ev is None:
            return None, [Erro("EXEC-ESTORNO", f"evento {id_evento} não existe", "id")]
        if (entidade, id_evento) in self.estornados:
            return None, [Erro("EXEC-ESTORNO", f"evento {id_evento} já foi estornado", "id")]
        if isinstance(ev, EncerramentoExercicio):
            return None, [
                Erro(
                    "EXEC-ESTORNO",
                    f"evento {id_evento}: o encerramento do exercício se desfaz por "
                    f"erario exercicio desfazer-encerramento {entidade} {ev.data.year}, "
                    "com motivo",
                    "id",
                )
            ]
        if (entidade, ev.data.year) in self.encerrados:
            motivo: str | None = f"o exercício {ev.data.year} está encerrado"
        else:
            motivo = REGRAS[type(ev)].motivo_estorno(self, ev)
        if motivo:
            return None, [
                Erro("EXEC-ESTORNO", f"evento {id_evento} não pode ser estornado: {motivo}", "id")
            ]
        return ev, []
