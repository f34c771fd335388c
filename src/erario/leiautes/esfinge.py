"""e-Sfinge (TCE-SC), pacote mensal "Registros Contábeis": regras e prazos.

O leiaute (registros, campos, tabelas de códigos) está em
``dados/esfinge_registros_contabeis.toml``; aqui ficam só as regras que
dependem de mais de um campo, de outros registros ou do plano de contas,
cada uma uma função pura registrada pelo nome que o TOML lista. Os números de
campo citados são os do leiaute (ordem do campo na tabela do manual).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Final, NamedTuple

from erario.core.codigos import cnpj_valido
from erario.core.datas import nome_mes
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.leiautes.carga import leiaute_padrao
from erario.leiautes.modelo import Item, Leiaute, Pacote, Registro
from erario.leiautes.validacao import RegraPacote, codigo_texto, erro_campo, validar, vazio
from erario.razao.modelo import Conta, PlanoContas, TipoEntidade

NOME_LEIAUTE: Final = "esfinge_registros_contabeis"
CONTA_BANCARIA: Final = "contaBancaria"
ENCERRAMENTO: Final = "encerramentoContaBancaria"
LANCAMENTO: Final = "lancamentoContabilPlanoUnico"
APLICACAO: Final = "aplicacaoFinanceiraPlanoUnico"
SALDOS: Final = "saldosBancarios"
CONCILIACAO: Final = "conciliacaoBancaria"

# "Aplicável somente para as unidades da esfera municipal, exceto Empresas e
# Associações" (o erario não tem associações).
FORA_DO_ESFINGE: Final = frozenset({TipoEntidade.EMPRESA})
# Lançamento Contábil Plano Único: "Opcional somente para unidades do tipo Fundação e Fundo."
LANCAMENTOS_OPCIONAIS: Final = frozenset({TipoEntidade.FUNDACAO, TipoEntidade.FUNDO})
# "Prazo de envio: Até o vigésimo dia do mês subsequente à ocorrência dos fatos."
DIA_DO_PRAZO: Final = 20


def leiaute() -> Leiaute:
    return leiaute_padrao(NOME_LEIAUTE)


def obrigada(tipo: TipoEntidade) -> bool:
    return tipo not in FORA_DO_ESFINGE


def prazo(ano: int, mes: int) -> dt.date:
    """Dia 20 do mês seguinte."""
    return dt.date(ano + mes // 12, mes % 12 + 1, DIA_DO_PRAZO)


def so_alfanumerico(texto: str) -> str:
    """Só letras e dígitos (conta corrente sem ponto nem outro caractere de concatenação)."""
    return "".join(ch for ch in texto if ch.isalnum())


# Código da conta contábil no pacote: só letras e dígitos (``1.1.1.1.1.06.00`` → ``111110600``).
codigo_conta = so_alfanumerico


@dataclass(frozen=True)
class ContextoEsfinge:
    """O que as regras precisam além do pacote."""

    plano: PlanoContas
    tipo_entidade: TipoEntidade
    # Número de controle → data, dos pacotes anteriores ("não pode existir em outra data").
    numeros_anteriores: Mapping[str, dt.date] = field(default_factory=dict)
    # (banco, agência, conta) já enviados em registros Conta Bancária anteriores.
    contas_cadastradas: frozenset[tuple[str, str, str]] = frozenset()

    @cached_property
    def contas(self) -> dict[str, Conta]:
        """Contas do plano pelo código do pacote (``codigo_conta``): montadas uma vez por
        contexto, na primeira regra que consulta o plano."""
        return {codigo_conta(c.codigo): c for c in self.plano.contas.values()}


RegraEsfinge = Callable[[Pacote, ContextoEsfinge], Iterable[Erro]]
_REGRAS: dict[str, RegraEsfinge] = {}


def _regra(nome: str) -> Callable[[RegraEsfinge], RegraEsfinge]:
    def registrar(f: RegraEsfinge) -> RegraEsfinge:
        _REGRAS[nome] = f
        return f

    return registrar


def regras(contexto: ContextoEsfinge) -> dict[str, RegraPacote]:
    def ligar(f: RegraEsfinge) -> RegraPacote:
        return lambda pacote: f(pacote, contexto)

    return {nome: ligar(f) for nome, f in _REGRAS.items()}


def validar_pacote(pacote: Pacote, contexto: ContextoEsfinge) -> list[Erro]:
    """Todos os problemas do pacote: campos (motor genérico) e regras do e-Sfinge."""
    return validar(leiaute(), pacote, regras(contexto))


# ------------------------------------------------------------------ auxiliares
def _reg(chave: str) -> Registro:
    return leiaute().registro(chave)


def _itens(pacote: Pacote, chave: str) -> Iterable[tuple[int, Item]]:
    return enumerate(pacote.itens(chave), start=1)


def _texto(item: Item, chave: str) -> str | None:
    v = item.get(chave)
    return v if isinstance(v, str) and v.strip() else None


def _data(item: Item, chave: str) -> dt.date | None:
    v = item.get(chave)
    return v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None


def _conta(item: Item, contas: Mapping[str, Conta]) -> Conta | None:
    codigo = _texto(item, "codigoContaContabil")
    return contas.get(codigo) if codigo else None


def _br(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def chave_bancaria(item: Item) -> tuple[str, str, str]:
    """(banco, agência, conta) sem zeros à esquerda, para comparar registros."""

    def norm(v: object) -> str:
        t = codigo_texto(v).strip()
        return t.lstrip("0") or "0" if t.isdigit() else t

    return (
        norm(item.get("codigoBanco")),
        norm(item.get("codigoAgencia")),
        norm(item.get("codigoContaBancaria")),
    )


# ---------------------------------------------------------------------- regras
@_regra("lancamentos_obrigatorios")
def _lancamentos_obrigatorios(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento Contábil Plano Único: "Depende dos dados" — opcional só para fundação e fundo.
    if LANCAMENTO not in p.registros and contexto.tipo_entidade not in LANCAMENTOS_OPCIONAIS:
        yield Erro(
            "ESF-LANCAMENTOS",
            f"obrigatório para unidade do tipo {contexto.tipo_entidade.value} "
            "(opcional só para fundação e fundo); sem lançamentos no mês, envie a lista vazia",
            origem=_reg(LANCAMENTO).nome,
        )


@_regra("numero_controle")
def _numero_controle(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 1: "Não pode existir um mesmo Número de Controle em outra data."
    reg = _reg(LANCAMENTO)
    primeira: dict[str, dt.date] = dict(contexto.numeros_anteriores)
    anteriores = set(contexto.numeros_anteriores)
    avisados: set[tuple[str, dt.date]] = set()
    for i, item in _itens(p, LANCAMENTO):
        numero, data = _texto(item, "numeroControle"), _data(item, "dataLancamento")
        if numero is None or data is None:
            continue
        usada = primeira.setdefault(numero, data)
        if usada != data and (numero, data) not in avisados:
            avisados.add((numero, data))
            onde = " (pacote anterior)" if numero in anteriores else ""
            yield erro_campo(
                reg,
                "numeroControle",
                i,
                "ESF-NUMERO-CONTROLE",
                f"número de controle {numero} já usado em {_br(usada)}{onde}; "
                f"não pode repetir em {_br(data)}",
            )


@_regra("numero_sequencial")
def _numero_sequencial(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 2: "Não pode ser menor ou igual a zero."
    reg = _reg(LANCAMENTO)
    for i, item in _itens(p, LANCAMENTO):
        v = item.get("numeroSequencial")
        if isinstance(v, int) and not isinstance(v, bool) and v <= 0:
            yield erro_campo(
                reg,
                "numeroSequencial",
                i,
                "ESF-SEQUENCIAL",
                f"número sequencial {v} deve ser maior que zero",
            )


@_regra("data_no_mes")
def _data_no_mes(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento, campo 3: "Deve estar no período do Ano/Mês dos registros."; conta
    # bancária (campo 10) e encerramento (campo 7): só as do mês vão no pacote.
    periodo = p.mes(leiaute())
    if periodo is None:
        return
    ano, mes = periodo
    for chave, campo in (
        (LANCAMENTO, "dataLancamento"),
        (CONTA_BANCARIA, "dataAtivacao"),
        (ENCERRAMENTO, "dataEncerramento"),
    ):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            d = _data(item, campo)
            if d is not None and (d.year, d.month) != (ano, mes):
                yield erro_campo(
                    reg,
                    campo,
                    i,
                    "ESF-DATA-MES",
                    f"data {_br(d)} fora do mês do pacote ({nome_mes(mes)} de {ano})",
                )


@_regra("conta_analitica")
def _conta_analitica(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento, campo 4, e aplicação, campo 1: "Código da Conta Contábil analítica."
    contas = contexto.contas
    for chave in (LANCAMENTO, APLICACAO):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            codigo = _texto(item, "codigoContaContabil")
            if codigo is None:
                continue
            conta = contas.get(codigo)
            if conta is None:
                msg = f"conta contábil {codigo} não existe no plano {contexto.plano.nome}"
            elif not conta.analitica:
                msg = f"conta contábil {codigo} ({conta.codigo}) é sintética: use conta analítica"
            else:
                continue
            yield erro_campo(reg, "codigoContaContabil", i, "ESF-CONTA", msg)


@_regra("conta_corrente")
def _conta_corrente(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento, campo 5, e aplicação, campo 2: "sem ponto ou qualquer outro
    # caractere de concatenação"; no lançamento, "se a conta contábil assim o exigir"
    # (o atributo FP das contas X vai no campo 11, não aqui).
    contas = contexto.contas
    for chave in (LANCAMENTO, APLICACAO):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            cc = _texto(item, "contaCorrenteContabil")
            if cc is not None and so_alfanumerico(cc) != cc:
                yield erro_campo(
                    reg,
                    "contaCorrenteContabil",
                    i,
                    "ESF-CONTA-CORRENTE-FORMATO",
                    f"conta corrente '{cc}' deve vir sem ponto ou outro caractere de concatenação",
                )
            conta = _conta(item, contas)
            if chave != LANCAMENTO or conta is None or not conta.analitica:
                continue
            exige = [t for t in conta.conta_corrente if t != "FP"]
            if exige and cc is None:
                yield erro_campo(
                    reg,
                    "contaCorrenteContabil",
                    i,
                    "ESF-CONTA-CORRENTE",
                    f"a conta {item['codigoContaContabil']} exige conta corrente ({', '.join(exige)})",
                )
            elif not exige and cc is not None:
                yield erro_campo(
                    reg,
                    "contaCorrenteContabil",
                    i,
                    "ESF-CONTA-CORRENTE",
                    f"a conta {item['codigoContaContabil']} não exige conta corrente: não informe",
                )


@_regra("atributo_superavit")
def _atributo_superavit(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 11: obrigatório se o indicador da conta for X; não informar se for P ou F.
    contas = contexto.contas
    reg = _reg(LANCAMENTO)
    for i, item in _itens(p, LANCAMENTO):
        conta = _conta(item, contas)
        if conta is None or not conta.analitica:
            continue
        informado = not vazio(item.get("atributoSuperavitFinanceiro"))
        codigo = item["codigoContaContabil"]
        if conta.superavit == "X" and not informado:
            yield erro_campo(
                reg,
                "atributoSuperavitFinanceiro",
                i,
                "ESF-ATRIBUTO-SUPERAVIT",
                f"a conta {codigo} tem indicador de superávit X: informe P ou F",
            )
        elif conta.superavit != "X" and informado:
            yield erro_campo(
                reg,
                "atributoSuperavitFinanceiro",
                i,
                "ESF-ATRIBUTO-SUPERAVIT",
                f"a conta {codigo} tem indicador de superávit {conta.superavit or 'vazio'}: "
                "não informe o atributo",
            )


@_regra("partidas_dobradas")
def _partidas_dobradas(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Regra do erario (NBC T 16.5, partidas dobradas), não transcrita no documento:
    # em cada número de controle, débitos = créditos.
    tabela = leiaute().tabelas["tipo_movimento"]
    dc = {c.codigo: c.extra.get("dc") for c in tabela.codigos}
    somas: dict[str, dict[object, int]] = defaultdict(lambda: defaultdict(int))
    primeiro: dict[str, int] = {}
    ilegiveis: set[str] = set()  # linha com tipo ou valor inválido: já apontada pelo motor
    for i, item in _itens(p, LANCAMENTO):
        numero, valor = _texto(item, "numeroControle"), item.get("valorLancamento")
        lado = dc.get(codigo_texto(item.get("tipoMovimentoContabil")))
        if numero is None:
            continue
        primeiro.setdefault(numero, i)
        if lado is None or not isinstance(valor, Decimal) or not valor.is_finite():
            ilegiveis.add(numero)
            continue
        somas[numero][lado] += int(valor.scaleb(2))
    reg = _reg(LANCAMENTO)
    for numero, s in somas.items():
        if numero not in ilegiveis and s["D"] != s["C"]:
            yield Erro(
                "ESF-PARTIDAS",
                f"lançamento {numero}: débitos {formatar_brl(s['D'])} ≠ créditos {formatar_brl(s['C'])}",
                "9. Valor de Lançamento",
                primeiro[numero],
                reg.nome,
            )


@_regra("aplicacao_valores")
def _aplicacao_valores(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campos 3–5: "Ao menos um deles é obrigatório."
    reg = _reg(APLICACAO)
    for i, item in _itens(p, APLICACAO):
        if all(vazio(item.get(c)) for c in ("valorAplicado", "valorResgatado", "valorRendimento")):
            yield Erro(
                "ESF-APLICACAO-VALORES",
                "informe ao menos um: Valor Aplicado, Valor Resgatado ou Valor do Rendimento",
                "3–5",
                i,
                reg.nome,
            )


@_regra("aplicacao_conta")
def _aplicacao_conta(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 1: "Somente contas contábeis cujo Indicador de Superávit Financeiro seja igual a F."
    contas = contexto.contas
    reg = _reg(APLICACAO)
    for i, item in _itens(p, APLICACAO):
        conta = _conta(item, contas)
        if conta is not None and conta.superavit != "F":
            yield erro_campo(
                reg,
                "codigoContaContabil",
                i,
                "ESF-APLICACAO-CONTA",
                f"a conta {item['codigoContaContabil']} tem indicador de superávit "
                f"{conta.superavit or 'vazio'}: só contas com indicador F",
            )


@_regra("conta_bancaria_cadastrada")
def _conta_bancaria_cadastrada(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Saldos e conciliação, campo 4: "Deve existir conta bancária previamente cadastrada."
    cadastradas = set(contexto.contas_cadastradas)
    cadastradas |= {chave_bancaria(it) for it in p.itens(CONTA_BANCARIA)}
    for chave in (SALDOS, CONCILIACAO):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            banco, agencia, conta = chave_bancaria(item)
            if (banco, agencia, conta) not in cadastradas:
                yield erro_campo(
                    reg,
                    "codigoContaBancaria",
                    i,
                    "ESF-CONTA-BANCARIA",
                    f"conta bancária {conta} (banco {banco}, agência {agencia}) não cadastrada "
                    "em registro Conta Bancária",
                )


@_regra("cnpj_titular")
def _cnpj_titular(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Conta bancária, campo 8: CNPJ do titular (dígitos verificadores).
    reg = _reg(CONTA_BANCARIA)
    for i, item in _itens(p, CONTA_BANCARIA):
        v = item.get("numeroCnpjTitular")
        if isinstance(v, int) and not isinstance(v, bool) and not cnpj_valido(f"{v:014d}"):
            yield erro_campo(
                reg,
                "numeroCnpjTitular",
                i,
                "ESF-CNPJ",
                f"CNPJ {v:014d} inválido (dígitos verificadores)",
            )


# ---------------------------------------------------------------------- prazos
class Pendencia(NamedTuple):
    entidade: str
    ano: int
    mes: int
    prazo: dt.date
    atrasado: bool
    dias: int  # de atraso (atrasado) ou até o prazo


def pendencias(
    competencias: Mapping[str, Sequence[tuple[int, int]]],
    hoje: dt.date,
    enviados: Iterable[tuple[str, int, int]] = (),
) -> list[Pendencia]:
    """Pacotes devidos: cada mês já terminado de cada entidade obrigada, não enviado.

    ``competencias``: por entidade obrigada (ver ``obrigada``), os (ano, mês) do exercício aberto.
    """
    feitos = set(enviados)
    saida = []
    for slug, meses in competencias.items():
        for ano, mes in meses:
            limite = prazo(ano, mes)
            fim_do_mes = limite.replace(day=1) - dt.timedelta(days=1)
            if hoje <= fim_do_mes or (slug, ano, mes) in feitos:
                continue
            atrasado = hoje > limite
            dias = (hoje - limite).days if atrasado else (limite - hoje).days
            saida.append(Pendencia(slug, ano, mes, limite, atrasado, dias))
    return sorted(saida, key=lambda p: (p.prazo, p.entidade))
