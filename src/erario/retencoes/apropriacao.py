"""Das retenções aos eventos: cálculo na liquidação, apropriação e estorno em cascata.

Funções puras sobre o controle da execução e o cadastro das retenções; cada uma
devolve os eventos a registrar no lugar do evento informado (na ordem) e os
erros. O repositório registra tudo numa transação: ou todos, ou nenhum.

Apropriação (manual "Serviço e Desconto", seção 1.5), para cada desconto com
"Controle Apropriação Desconto" = liquidação, na data da liquidação:

- a liquidação principal fica "apropriado", pelo valor líquido;
- uma liquidação "gerado" no valor do desconto (id ``<liquidação>-L<código>``);
- a arrecadação da receita do desconto (orçamentária: IRRF, ISS) ou o ingresso
  extraorçamentário (INSS, valores restituíveis) no caixa ``1-1`` (``-A``);
- o pagamento "gerado" da liquidação gerada, pelo caixa ``1-1`` (``-P``): a
  entrada e a saída imediatas no caixa.

Com o parâmetro "Gerar Movimentos Extraorçamentários" (seção 1.6), o desconto
apropriado na liquidação cuja receita é extraorçamentária ganha também o
empenho (``-E``) e a liquidação (``-X``) extraorçamentários, com a dotação e o
histórico do desconto e a conta bancária da liquidação; o pagamento ao credor
da retenção cita essa liquidação. Sem dotação ou histórico no desconto, a
mensagem CED63901 recusa a liquidação. Um desconto informado fora do serviço
faz a liquidação inteira não ser apropriada (aviso do manual).

Com "Controle Despesa / Receita Extra" (seção 1.8), o ingresso em 1.1.3.8.1
precisa associar empenhos extraorçamentários que somem o seu valor ("Empenho é
obrigatório.") e o empenho extraorçamentário em 2.1.8.8.1, ingressos ("É
necessário associar pelo menos uma receita.").

Os descontos não apropriados na liquidação (controle = pagamento ou "não
apropria") são retidos no primeiro pagamento da liquidação: a receita entra na
data do pagamento, pelo caixa, e o banco paga só o líquido.

``com_retencoes`` aplica tudo isso a uma carga em fluxo: cada evento que retém
vira a sua sequência de eventos, vista pelo controle já com os anteriores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.execucao.cadastros import CODIGO_CAIXA, ContaBancaria, Credor, TipoPessoa
from erario.execucao.carga import ID_MAX, EstornoEvento
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import (
    Arrecadacao,
    EmpenhoExtra,
    Evento,
    IngressoExtra,
    Liquidacao,
    LiquidacaoExtra,
    Pagamento,
)
from erario.retencoes.cadastros import (
    ControleApropriacao,
    Desconto,
    ParametrosUnidadeGestora,
    Rotina,
    TipoReceita,
    msg_ced63901,
    tipo_pessoa,
    validar_desconto_informado,
    validar_servico_informado,
)
from erario.retencoes.calculo import (
    LiquidacaoAnterior,
    LiquidacaoServico,
    OpcoesIRRF,
    Retencao,
    calcular_retencoes,
)
from erario.retencoes.carga import CadastroRetencoes
from erario.retencoes.vigencia import com_oficiais

APROPRIADO = "apropriado"
GERADO = "gerado"

MSG_SEM_BANCO = "CET02600 - Este pagamento não pode ser realizado sem a informacão do banco."
MSG_SEM_CAIXA = "O banco caixa / tesouraria não existe"


class Expansao(NamedTuple):
    eventos: list[Evento | EstornoEvento]
    erros: list[Erro]
    avisos: list[Erro]


def _msg_fora_do_servico(codigo: int) -> str:
    # Seção 1.6 (ATENÇÃO): na carga não há "Deseja continuar?": segue sem apropriar.
    return (
        f"O desconto {codigo} não está associado ao serviço informado. A liquidação não "
        "será apropriada e os movimentos extraorçamentários não serão gerados automaticamente."
    )


def _credor(documento: str, credores: dict[str, Credor]) -> Credor:
    # Sem cadastro: o tipo de pessoa vem do documento; não optante pelo Simples.
    return credores.get(documento) or Credor(
        documento, "", tipo_pessoa(documento) or TipoPessoa.PJ, False
    )


def anteriores_do_mes(
    controle: ControleOrcamentario, entidade: str, credor: str, data: dt.date
) -> list[LiquidacaoAnterior]:
    """Liquidações do fornecedor no mês, com o que delas ficou retido; a gerada
    pela apropriação soma-se à principal (juntas são a liquidação original)."""
    por_id: dict[str, tuple[int, list[Retencao]]] = {}
    for codigo in controle.liquidacoes_do_mes.get((entidade, credor, data.year, data.month), []):
        ev = controle.eventos[(entidade, codigo)]
        if not isinstance(ev, Liquidacao) or (entidade, codigo) in controle.estornados:
            continue
        raiz = ev.gerado_por or ev.id
        valor, retencoes = por_id.get(raiz, (0, []))
        retencoes += [Retencao(c, v) for c, _, v in ev.descontos]
        por_id[raiz] = (valor + ev.valor, retencoes)
    return [
        LiquidacaoAnterior(credor, data, valor, tuple(retencoes))
        for valor, retencoes in por_id.values()
    ]


def expandir_liquidacao(
    liq: Liquidacao,
    controle: ControleOrcamentario,
    cadastro: CadastroRetencoes,
    credores: dict[str, Credor],
    contas: Sequence[ContaBancaria],
) -> Expansao:
    """A liquidação com serviço ou descontos: calcula os descontos (se o serviço foi
    informado e os descontos não) e apropria os que se apropriam na liquidação."""
    emp = controle.empenhos.get((liq.entidade, liq.empenho))
    if emp is None:  # o controle relata o empenho inexistente
        return Expansao([liq], [], [])
    credor = _credor(emp.credor, credores)
    parametros = cadastro.parametros.get(
        (liq.entidade, liq.data.year), ParametrosUnidadeGestora(liq.entidade, liq.data.year)
    )
    erros: list[Erro] = []
    avisos: list[Erro] = []
    descontos = list(liq.descontos)
    vinculados: set[int] = set()
    if liq.servico:
        servico = cadastro.servicos.get(liq.servico)
        if servico is None:
            return Expansao(
                [], [Erro("RET-SERVICO", f"serviço {liq.servico} não cadastrado", "servico")], []
            )
        erros += validar_servico_informado(credor, servico, parametros, Rotina.LIQUIDACAO)
        vinculados = {v.desconto for v in cadastro.vinculos_do_servico(liq.servico)}
        if not descontos and not erros:
            # As tabelas e tetos oficiais que o erario traz, junto com os cadastrados
            # (na mesma vigência, o cadastrado prevalece: docs/retencoes.md).
            vigencias = com_oficiais(cadastro.tabelas_irrf, cadastro.tetos_inss)
            calculo = calcular_retencoes(
                LiquidacaoServico(credor, liq.data, liq.valor, liq.servico),
                cadastro.vinculos,
                cadastro.descontos,
                tabelas_irrf=vigencias.tabelas_irrf,
                tetos_inss=vigencias.tetos_inss,
                anteriores=anteriores_do_mes(controle, liq.entidade, emp.credor, liq.data),
                outras_fontes=cadastro.outras_fontes,
                descontos_simplificados=vigencias.descontos_simplificados,
                reducoes=vigencias.reducoes,
                opcoes_irrf=OpcoesIRRF(
                    parametros.irrf_desconto_simplificado, parametros.irrf_reducao_lei_15270
                ),
            )
            descontos = [(d.desconto, d.base, d.valor) for d in calculo.descontos]
            avisos += calculo.avisos
            erros += calculo.erros  # sem tabela ou teto em vigor: nada é gravado
    a_apropriar: list[tuple[Desconto, int, int]] = []
    ficam: list[tuple[int, int, int]] = []
    fora_do_servico = False
    for codigo, base, valor in descontos:
        d = cadastro.descontos.get(codigo)
        if d is None:
            erros.append(Erro("RET-DESCONTO", f"desconto {codigo} não cadastrado", "descontos"))
            continue
        erros += validar_desconto_informado(credor, d, Rotina.LIQUIDACAO)
        if d.controle_apropriacao != ControleApropriacao.LIQUIDACAO:
            ficam.append((codigo, base, valor))
            continue
        if parametros.gerar_movimentos_extra and codigo not in vinculados:
            # Seção 1.6: fora do serviço, a liquidação não é apropriada.
            avisos.append(Erro("RET-APROPRIACAO", _msg_fora_do_servico(codigo), "descontos"))
            fora_do_servico = True
        a_apropriar.append((d, base, valor))
    if fora_do_servico:
        ficam += [(d.codigo, base, valor) for d, base, valor in a_apropriar]
        a_apropriar = []
    gerar_extra = parametros.gerar_movimentos_extra
    for d, _, _ in a_apropriar:
        if (
            gerar_extra
            and d.tipo_receita == TipoReceita.EXTRAORCAMENTARIA
            and not (d.dotacao.strip() and d.historico.strip())
        ):
            erros.append(Erro("RET-DESCONTO-EXTRA", msg_ced63901(d.codigo), "descontos"))
    total = sum(v for _, _, v in descontos)
    if total >= liq.valor:
        erros.append(
            Erro(
                "RET-DESCONTO-VALOR",
                f"descontos de {formatar_brl(total)} não deixam valor líquido na liquidação "
                f"de {formatar_brl(liq.valor)}",
                "descontos",
            )
        )
    if a_apropriar:
        erros += _conferir_caixa(liq.entidade, contas, liq.conta_bancaria)
        erros += _conferir_ids(liq.id, [d.codigo for d, _, _ in a_apropriar])
    if erros:
        return Expansao([], erros, avisos)
    apropriado = sum(v for _, _, v in a_apropriar)
    principal = liq._replace(
        valor=liq.valor - apropriado,
        descontos=tuple(ficam),
        apropriacao=APROPRIADO if a_apropriar else "",
    )
    eventos: list[Evento | EstornoEvento] = [principal]
    for d, base, valor in a_apropriar:
        gerada = liq._replace(
            id=f"{liq.id}-L{d.codigo}",
            valor=valor,
            servico=0,
            descontos=((d.codigo, base, valor),),
            apropriacao=GERADO,
            gerado_por=liq.id,
        )
        eventos += [
            gerada,
            *_retencao_pelo_caixa(d, cadastro, liq.id, liq.entidade, liq.data, gerada.id, valor),
        ]
        if gerar_extra and d.tipo_receita == TipoReceita.EXTRAORCAMENTARIA:
            empenho = EmpenhoExtra(
                f"{liq.id}-E{d.codigo}",
                liq.entidade,
                liq.data,
                d.fonte,
                d.fornecedor,
                valor,
                d.receita,
                historico=d.historico,
                dotacao_extra=d.dotacao,
                receitas=(f"{liq.id}-A{d.codigo}",),
                conta_bancaria=liq.conta_bancaria,
                gerado_por=liq.id,
            )
            eventos += [
                empenho,
                LiquidacaoExtra(
                    f"{liq.id}-X{d.codigo}",
                    liq.entidade,
                    liq.data,
                    empenho.id,
                    valor,
                    conta_bancaria=liq.conta_bancaria,
                    gerado_por=liq.id,
                ),
            ]
    return Expansao(eventos, [], avisos)


MSG_SEM_EMPENHO = "Empenho é obrigatório."
MSG_SEM_RECEITA = "É necessário associar pelo menos uma receita."


def conferir_controle_extra(
    ev: IngressoExtra | EmpenhoExtra,
    controle: ControleOrcamentario,
    cadastro: CadastroRetencoes,
) -> list[Erro]:
    """Seção 1.8, com "Controle Despesa / Receita Extra" na unidade gestora: em
    1.1.3.8.1 o empenho vem antes e o ingresso associa empenhos; em 2.1.8.8.1 o
    ingresso vem antes e o empenho associa ingressos; a soma dos associados é o
    valor do evento."""
    parametros = cadastro.parametros.get((ev.entidade, ev.data.year))
    if parametros is None or not parametros.controle_extra:
        return []
    tipo: type[IngressoExtra] | type[EmpenhoExtra]
    if isinstance(ev, IngressoExtra):
        conta, ids, tipo, msg = ev.conta_passivo, ev.empenhos, EmpenhoExtra, MSG_SEM_EMPENHO
        prefixo, campo = "1.1.3.8.1", "empenhos"
    else:
        conta, ids, tipo, msg = ev.conta, ev.receitas, IngressoExtra, MSG_SEM_RECEITA
        prefixo, campo = "2.1.8.8.1", "receitas"
    if not conta.startswith(prefixo):
        return []
    if not ids:
        return [Erro("RET-CONTROLE-EXTRA", msg, campo)]
    erros = []
    soma = 0
    for id_ in ids:
        associado = controle.eventos.get((ev.entidade, id_))
        if not isinstance(associado, tipo) or (ev.entidade, id_) in controle.estornados:
            erros.append(
                Erro("RET-CONTROLE-EXTRA", f"{id_} não é um evento associável aqui", campo)
            )
        else:
            soma += associado.valor
    if not erros and soma != ev.valor:
        erros.append(
            Erro(
                "RET-CONTROLE-EXTRA",
                f"a soma dos associados ({formatar_brl(soma)}) deve ser o valor do evento "
                f"({formatar_brl(ev.valor)})",
                campo,
            )
        )
    return erros


def descontos_retidos(liq: Liquidacao, pago: int) -> bool:
    """Os descontos que ficaram na liquidação já foram retidos? Sim na liquidação
    gerada pela apropriação e depois do primeiro pagamento (que retém todos);
    ``pago``: o que a liquidação já teve pago (nunca negativo)."""
    return liq.apropriacao == GERADO or pago > 0


def pendentes(
    controle: ControleOrcamentario, entidade: str, liquidacao: str
) -> list[tuple[int, int, int]]:
    """Descontos da liquidação ainda não retidos: os que ficaram nela, enquanto ela
    não teve pagamento (o primeiro pagamento retém todos)."""
    ev = controle.eventos.get((entidade, liquidacao))
    liq = controle.liquidacoes.get((entidade, liquidacao))
    if not isinstance(ev, Liquidacao) or liq is None or descontos_retidos(ev, liq.pago):
        return []
    return list(ev.descontos)


def expandir_pagamento(
    pag: Pagamento,
    controle: ControleOrcamentario,
    cadastro: CadastroRetencoes,
    contas: Sequence[ContaBancaria],
) -> Expansao:
    """Pagamento de liquidação com descontos ainda não retidos: o banco paga o
    líquido; cada desconto entra como receita e sai como pagamento pelo caixa."""
    retidos = pendentes(controle, pag.entidade, pag.liquidacao)
    if not retidos or pag.gerado_por:
        return Expansao([pag], [], [])
    erros: list[Erro] = []
    total = sum(v for _, _, v in retidos)
    if pag.valor <= total:
        erros.append(
            Erro(
                "RET-DESCONTO-VALOR",
                f"o primeiro pagamento da liquidação {pag.liquidacao} retém os descontos "
                f"({formatar_brl(total)}): pague mais do que eles",
                "valor",
            )
        )
    erros += _conferir_caixa(pag.entidade, contas)
    erros += _conferir_ids(pag.id, [c for c, _, _ in retidos])
    faltam = [c for c, _, _ in retidos if c not in cadastro.descontos]
    erros += [Erro("RET-DESCONTO", f"desconto {c} não cadastrado", "descontos") for c in faltam]
    if erros:
        return Expansao([], erros, [])
    eventos: list[Evento | EstornoEvento] = [pag._replace(valor=pag.valor - total)]
    for codigo, _, valor in retidos:
        d = cadastro.descontos[codigo]
        eventos += _retencao_pelo_caixa(
            d, cadastro, pag.id, pag.entidade, pag.data, pag.liquidacao, valor
        )
    return Expansao(eventos, [], [])


def expandir_estorno(est: EstornoEvento, controle: ControleOrcamentario) -> Expansao:
    """Estorno de evento que gerou outros (apropriação, retenção no pagamento): os
    gerados são estornados antes, do último ao primeiro, e depois o próprio."""
    gerados = [
        codigo
        for codigo in controle.gerados.get((est.entidade, est.evento), [])
        if (est.entidade, codigo) not in controle.estornados
    ]
    if not gerados:
        return Expansao([est], [], [])
    eventos: list[Evento | EstornoEvento] = [
        est._replace(id=f"{est.id}.{k}", evento=codigo)
        for k, codigo in enumerate(reversed(gerados), start=1)
    ]
    erros = _conferir_ids(est.id, [len(gerados)], sufixo=".")
    return Expansao([*eventos, est], erros, [])


def _receita(
    d: Desconto,
    cadastro: CadastroRetencoes,
    origem: str,
    entidade: str,
    data: dt.date,
    valor: int,
) -> Arrecadacao | IngressoExtra:
    """A entrada do desconto no caixa: receita orçamentária (IRRF, ISS: do
    município) ou ingresso extraorçamentário (valores restituíveis)."""
    if d.tipo_receita == TipoReceita.ORCAMENTARIA:
        return Arrecadacao(
            f"{origem}-A{d.codigo}",
            entidade,
            data,
            d.receita.replace(".", ""),
            d.fonte,
            valor,
            conta_vpa=cadastro.contas_vpa.get(d.codigo, ""),
            conta_bancaria=CODIGO_CAIXA,
            gerado_por=origem,
        )
    return IngressoExtra(
        f"{origem}-A{d.codigo}",
        entidade,
        data,
        d.fonte,
        d.fornecedor,
        valor,
        d.receita,
        conta_bancaria=CODIGO_CAIXA,
        gerado_por=origem,
    )


def _retencao_pelo_caixa(
    d: Desconto,
    cadastro: CadastroRetencoes,
    origem: str,
    entidade: str,
    data: dt.date,
    liquidacao: str,
    valor: int,
) -> tuple[Arrecadacao | IngressoExtra, Pagamento]:
    """A retenção do desconto: a entrada da receita no caixa (``-A``) e o pagamento
    da liquidação pelo caixa (``-P``), no mesmo dia, gerados pelo evento de origem."""
    pagamento = Pagamento(
        f"{origem}-P{d.codigo}",
        entidade,
        data,
        liquidacao,
        valor,
        conta_bancaria=CODIGO_CAIXA,
        gerado_por=origem,
    )
    return _receita(d, cadastro, origem, entidade, data, valor), pagamento


def _conferir_caixa(
    entidade: str, contas: Sequence[ContaBancaria], conta_da_liquidacao: str | None = None
) -> list[Erro]:
    """O caixa 1-1 recebe a entrada e a saída imediatas; a apropriação na liquidação
    exige também a conta bancária da liquidação (seção 1.5)."""
    erros = []
    if conta_da_liquidacao == "":
        erros.append(Erro("RET-APROPRIACAO", MSG_SEM_BANCO, "conta_bancaria"))
    if not any(c.entidade == entidade and c.codigo == CODIGO_CAIXA for c in contas):
        erros.append(Erro("RET-APROPRIACAO", MSG_SEM_CAIXA, "conta_bancaria"))
    return erros


def _conferir_ids(base: str, sufixos: Sequence[int], sufixo: str = "-L") -> list[Erro]:
    maior = max(len(f"{sufixo}{s}") for s in sufixos)
    if len(base) + maior > ID_MAX:
        return [
            Erro(
                "RET-ID",
                f"id {base}: os eventos gerados levam o id e '{sufixo}{sufixos[0]}' e "
                f"passariam de {ID_MAX} caracteres; use um id de até {ID_MAX - maior}",
                "id",
            )
        ]
    return []


def com_retencoes(
    itens: Iterable[tuple[int | None, Any]],
    controle: ControleOrcamentario,
    cadastros: Callable[[], tuple[CadastroRetencoes, dict[str, Credor]]],
    contas: Sequence[ContaBancaria],
    erros: list[Erro],
    avisos: list[Erro],
    origem: str | None,
) -> Iterator[tuple[int | None, Any]]:
    """Os eventos da carga com as retenções expandidas (``erario.retencoes``): a
    liquidação com serviço ou descontos, o pagamento que retém descontos e o
    estorno de evento que gerou outros viram a sequência de eventos a registrar.
    Preguiçoso: cada expansão vê o controle já com os eventos anteriores. O
    cadastro só é lido se alguma linha precisar dele."""
    lido: list[tuple[CadastroRetencoes, dict[str, Credor]]] = []

    def cad() -> CadastroRetencoes:
        return cadastro_e_credores()[0]

    def cadastro_e_credores() -> tuple[CadastroRetencoes, dict[str, Credor]]:
        if not lido:
            lido.append(cadastros())
        return lido[0]

    for linha, ev in itens:
        if isinstance(ev, Liquidacao) and (ev.servico or ev.descontos) and not ev.gerado_por:
            exp = expandir_liquidacao(ev, controle, *cadastro_e_credores(), contas)
        elif (
            isinstance(ev, Pagamento)
            and not ev.gerado_por
            and pendentes(controle, ev.entidade, ev.liquidacao)
        ):
            exp = expandir_pagamento(ev, controle, cad(), contas)
        elif isinstance(ev, EstornoEvento):
            exp = expandir_estorno(ev, controle)
        elif isinstance(ev, IngressoExtra | EmpenhoExtra) and not ev.gerado_por:
            erros_extra = conferir_controle_extra(ev, controle, cad())
            erros.extend(e.em(linha=linha, origem=origem) for e in erros_extra)
            if not erros_extra:
                yield linha, ev
            continue
        else:
            yield linha, ev
            continue
        erros.extend(e.em(linha=linha, origem=origem) for e in exp.erros)
        avisos.extend(e.em(linha=linha, origem=origem) for e in exp.avisos)
        for gerado in exp.eventos:
            yield linha, gerado
