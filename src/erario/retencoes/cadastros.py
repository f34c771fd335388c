"""Cadastros das retenções: descontos, serviços, serviço × desconto, tabela do IRRF,
teto do INSS, INSS de outras fontes e parâmetros por unidade gestora.

Registros imutáveis (valores em centavos, int; percentuais em ``Decimal``) e
validações puras que devolvem **todos** os problemas como ``Erro``. As seções
citadas (1.1, 1.4…) são as do manual "Serviço e Desconto".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Final, NamedTuple

from erario.core.codigos import documento_valido, somente_digitos
from erario.core.erros import Erro
from erario.execucao.cadastros import Credor, TipoPessoa
from erario.orcamento.classificacao import FonteRecurso, ler_natureza_receita

# --- Tipos de desconto pela faixa do código (seção 1.1) -------------------------


class TipoDesconto(StrEnum):
    IRRF_PF = "irrf_pf"
    IRRF_PJ = "irrf_pj"
    ISS = "iss"
    INSS = "inss"
    OUTROS = "outros"


NOME_TIPO: Final[Mapping[TipoDesconto, str]] = {
    TipoDesconto.IRRF_PF: "IRRF Pessoa Física",
    TipoDesconto.IRRF_PJ: "IRRF Pessoa Jurídica",
    TipoDesconto.ISS: "ISS",
    TipoDesconto.INSS: "INSS",
    TipoDesconto.OUTROS: "demais descontos",
}

# Seção 1.1: "IRRF Pessoa Física: 1 ou entre 100 e 199" etc.; demais descontos têm
# codificação livre fora dessas faixas.
_FAIXAS: Final[tuple[tuple[TipoDesconto, int, range], ...]] = (
    (TipoDesconto.IRRF_PF, 1, range(100, 200)),
    (TipoDesconto.IRRF_PJ, 2, range(200, 300)),
    (TipoDesconto.ISS, 3, range(300, 400)),
    (TipoDesconto.INSS, 4, range(400, 500)),
)


def tipo_do_codigo(codigo: int) -> TipoDesconto:
    """Tipo de retenção que a faixa do código indica (seção 1.1)."""
    for tipo, unico, faixa in _FAIXAS:
        if codigo == unico or codigo in faixa:
            return tipo
    return TipoDesconto.OUTROS


def _texto_faixa(tipo: TipoDesconto) -> str:
    for t, unico, faixa in _FAIXAS:
        if t == tipo:
            return f"{unico} ou entre {faixa.start} e {faixa.stop - 1}"
    return "fora das faixas 1–4 e 100–499"


class Rotina(StrEnum):
    """Rotina em que o desconto pode ser lançado ou o serviço informado."""

    LIQUIDACAO = "liquidacao"
    PAGAMENTO = "pagamento"


NOME_ROTINA: Final[Mapping[Rotina, str]] = {
    Rotina.LIQUIDACAO: "liquidação",
    Rotina.PAGAMENTO: "pagamento",
}
_NA_ROTINA: Final[Mapping[Rotina, str]] = {
    Rotina.LIQUIDACAO: "na liquidação",
    Rotina.PAGAMENTO: "no pagamento",
}


class ControleApropriacao(StrEnum):
    """Seção 1.5: quando a receita do desconto entra (competência ou caixa)."""

    NAO_APROPRIA = "nao_apropria"
    LIQUIDACAO = "liquidacao"
    PAGAMENTO = "pagamento"


class TipoReceita(StrEnum):
    """A receita que o desconto alimenta: orçamentária (IRRF e ISS são receita
    própria do município) ou extraorçamentária (INSS, valores restituíveis)."""

    ORCAMENTARIA = "orcamentaria"
    EXTRAORCAMENTARIA = "extraorcamentaria"


# Receita extraorçamentária: conta de valores restituíveis (2.1.8) ou de outros
# créditos a receber (1.1.3.8) — as duas contas do controle da seção 1.8.
_RE_CONTA_EXTRA: Final = re.compile(r"(2\.1\.8|1\.1\.3\.8)(\.[0-9]+)*")


class Desconto(NamedTuple):
    codigo: int
    descricao: str
    tipo: TipoDesconto  # deve coincidir com a faixa do código (seção 1.1)
    tipo_receita: TipoReceita
    receita: str  # natureza da receita (8 dígitos) ou conta contábil extraorçamentária
    fonte: FonteRecurso  # vínculo da receita
    fornecedor: str  # CPF/CNPJ (só dígitos) do credor da retenção
    tipo_fornecedor: TipoPessoa
    controle_geracao: Rotina = Rotina.LIQUIDACAO
    controle_apropriacao: ControleApropriacao = ControleApropriacao.NAO_APROPRIA
    dotacao: str = ""  # do empenho extraorçamentário (seção 1.6)
    historico: str = ""  # "Histórico Reserva / Empenho" (seção 1.6)


class Servico(NamedTuple):
    codigo: int
    descricao: str
    descricao_reduzida: str
    simples_nacional: bool = False  # "Optante pelo Simples Nacional" (seção 1.2)


class ServicoDesconto(NamedTuple):
    servico: int
    desconto: int
    percentual: Decimal  # p. ex. Decimal("11.00"); 0,00 quando calculado por tabela/teto


class FaixaIRRF(NamedTuple):
    codigo: int  # "Código Base"
    descricao: str
    limite: int  # "Limite Base", centavos (inclusive: "até R$ 2.826,65")
    aliquota: Decimal  # "Alíquota Base (%)", p. ex. Decimal("7.50")
    deducao: int  # "Dedução Base" (parcela a deduzir), centavos


class TabelaIRRF(NamedTuple):
    # Início da vigência: vale até a vigência da tabela seguinte (a tabela mudou no
    # meio do ano em 05/2023, 02/2024 e 05/2025; ``erario.retencoes.vigencia``).
    vigencia: dt.date
    faixas: tuple[FaixaIRRF, ...]  # em ordem crescente de limite


class TetoINSS(NamedTuple):
    data_inicial: dt.date  # a partir de quando as liquidações entram na apuração
    valor: int  # "Valor Realizado", centavos
    # Alíquota do cálculo com teto ("Teto INSS para cálculo (11%)", seção 1.7): com
    # teto cadastrado o percentual do serviço é desconsiderado (1.8, ATENÇÃO).
    aliquota: Decimal = Decimal("11.00")


class InssOutrasFontes(NamedTuple):
    """O que o fornecedor recebeu e teve retido de INSS em outras fontes pagadoras no mês."""

    fornecedor: str  # CPF/CNPJ, só dígitos
    ano: int
    mes: int
    base: int  # remuneração recebida, centavos
    retido: int  # INSS retido pela outra fonte, centavos


class ParametrosUnidadeGestora(NamedTuple):
    unidade_gestora: str
    exercicio: int
    rotina_tipo_servico: Rotina | None = None  # "Rotina Informação Tipo de Serviço"; None = inativa
    gerar_movimentos_extra: bool = False  # "Gerar Movimentos Extraorçamentários" (1.6)
    controle_extra: bool = False  # "Controle Despesa / Receita Extra" (1.8)
    # IR PF (docs/retencoes.md): None = a lei em vigor na data da liquidação.
    irrf_desconto_simplificado: bool | None = None  # desconto simplificado mensal
    irrf_reducao_lei_15270: bool | None = None  # redução do IR mensal a partir de 2026


# --- Mensagens do documento (verbatim) -----------------------------------------

MSG_DUPLICADO: Final = (
    "Rubrica da receita e vínculo já estão presentes em outro código de desconto com "
    "o mesmo fornecedor."
)


def msg_ced63901(codigo: int) -> str:
    """Seção 1.6 (ATENÇÃO), com o código do desconto entre colchetes."""
    return (
        f"CED63901 - Verifique os parâmetros informados no cadastro do desconto [ {codigo} ]. "
        "Não foi possível gerar empenho e liquidação extraorçamentários."
    )


# --- Pessoa física ou jurídica pelo documento -----------------------------------


def tipo_pessoa(documento: str) -> TipoPessoa | None:
    """PF = CPF de 11 dígitos; PJ = CNPJ de 14 dígitos; senão None."""
    digitos = somente_digitos(documento)
    if len(digitos) == 11:
        return TipoPessoa.PF
    if len(digitos) == 14:
        return TipoPessoa.PJ
    return None


def _percentual_valido(p: Decimal) -> bool:
    # Percentuais com até duas casas (a tela usa "0,00"), entre 0 e 100.
    return (
        isinstance(p, Decimal)
        and p.is_finite()
        and Decimal(0) <= p <= Decimal(100)
        and int(p.as_tuple().exponent) >= -2
    )


# --- Desconto -------------------------------------------------------------------


def validar_desconto(d: Desconto) -> list[Erro]:
    """Todos os problemas de um desconto isolado (a duplicidade entre descontos fica
    em ``validar_descontos``)."""
    erros: list[Erro] = []
    if d.codigo <= 0:
        erros.append(
            Erro(
                "RET-DESCONTO-CODIGO",
                f"código do desconto {d.codigo} inválido: use um inteiro positivo",
                "codigo",
            )
        )
    elif tipo_do_codigo(d.codigo) != d.tipo:
        erros.append(
            Erro(
                "RET-DESCONTO-FAIXA",
                f"o desconto {d.codigo} está na faixa de "
                f"{NOME_TIPO[tipo_do_codigo(d.codigo)]}, não de {NOME_TIPO[d.tipo]}: "
                f"{NOME_TIPO[d.tipo]} usa código {_texto_faixa(d.tipo)}",
                "codigo",
            )
        )
    if not d.descricao.strip():
        erros.append(Erro("RET-DESCONTO-CAMPO", "descrição do desconto obrigatória", "descricao"))
    if d.tipo_receita == TipoReceita.ORCAMENTARIA:
        _, erros_nr = ler_natureza_receita(d.receita)
        if erros_nr:
            erros.append(
                Erro(
                    "RET-DESCONTO-RECEITA",
                    f"receita '{d.receita}' inválida: a receita orçamentária do desconto é uma "
                    "natureza da receita de 8 dígitos, p. ex. 11130311",
                    "receita",
                )
            )
    elif not _RE_CONTA_EXTRA.fullmatch(d.receita.strip()):
        erros.append(
            Erro(
                "RET-DESCONTO-RECEITA",
                f"receita '{d.receita}' inválida: a receita extraorçamentária do desconto é uma "
                "conta contábil de 2.1.8 (valores restituíveis) ou de 1.1.3.8, "
                "p. ex. 2.1.8.8.1.01.01",
                "receita",
            )
        )
    tipo_doc = tipo_pessoa(d.fornecedor)
    if tipo_doc is None or not documento_valido(somente_digitos(d.fornecedor)):
        erros.append(
            Erro(
                "RET-DESCONTO-FORNECEDOR",
                f"fornecedor do desconto: CPF/CNPJ '{d.fornecedor}' inválido",
                "fornecedor",
            )
        )
    elif tipo_doc != d.tipo_fornecedor:
        erros.append(
            Erro(
                "RET-DESCONTO-FORNECEDOR",
                f"o documento {d.fornecedor} é de {tipo_doc.value}, "
                f"mas o tipo de fornecedor informado é {d.tipo_fornecedor.value}",
                "tipo_fornecedor",
            )
        )
    return erros


def _chave_receita(d: Desconto) -> tuple[TipoReceita, str, FonteRecurso, str]:
    receita = d.receita.strip()
    if d.tipo_receita == TipoReceita.ORCAMENTARIA:
        receita = receita.replace(".", "")
    return d.tipo_receita, receita, d.fonte, somente_digitos(d.fornecedor)


def validar_descontos(descontos: Sequence[Desconto]) -> list[Erro]:
    """Cada desconto, mais os conflitos entre eles: código repetido e a regra da
    seção 1.4 (mesma receita, vínculo e fornecedor em dois descontos)."""
    erros: list[Erro] = []
    vistos_codigo: set[int] = set()
    vistos_receita: dict[tuple[TipoReceita, str, FonteRecurso, str], int] = {}
    for d in descontos:
        erros.extend(e.em(origem=f"desconto {d.codigo}") for e in validar_desconto(d))
        if d.codigo in vistos_codigo:
            erros.append(
                Erro(
                    "RET-DESCONTO-CODIGO-DUPLICADO",
                    f"código de desconto {d.codigo} já cadastrado",
                    "codigo",
                    origem=f"desconto {d.codigo}",
                )
            )
        vistos_codigo.add(d.codigo)
        chave = _chave_receita(d)
        if chave in vistos_receita:
            erros.append(
                Erro(
                    "RET-DESCONTO-DUPLICADO",
                    MSG_DUPLICADO,
                    "receita",
                    origem=f"desconto {d.codigo}",
                )
            )
        else:
            vistos_receita[chave] = d.codigo
    return erros


def validar_inclusao_desconto(novo: Desconto, existentes: Iterable[Desconto]) -> list[Erro]:
    """Inclusão ou edição de ``novo`` diante dos já cadastrados (o de mesmo código é
    o registro que está sendo editado e não conta como conflito)."""
    outros = [d for d in existentes if d.codigo != novo.codigo]
    erros = validar_desconto(novo)
    if any(_chave_receita(d) == _chave_receita(novo) for d in outros):
        erros.append(Erro("RET-DESCONTO-DUPLICADO", MSG_DUPLICADO, "receita"))
    return erros


def validar_geracao_extra(
    parametros: ParametrosUnidadeGestora,
    descontos: Iterable[Desconto],
    servicos_descontos: Iterable[ServicoDesconto],
) -> list[Erro]:
    """Seção 1.6 (ATENÇÃO): com "Gerar Movimentos Extraorçamentários" marcado, todo
    desconto apropriado na liquidação, de receita extraorçamentária (só esses geram
    empenho e liquidação extraorçamentários) e ligado a um serviço precisa de
    dotação e histórico, senão a mensagem CED63901 (docs/retencoes.md, "Escolhas
    onde o manual é ambíguo")."""
    if not parametros.gerar_movimentos_extra:
        return []
    ligados = {sd.desconto for sd in servicos_descontos}
    return [
        Erro(
            "RET-DESCONTO-EXTRA",
            msg_ced63901(d.codigo),
            "dotacao" if not d.dotacao.strip() else "historico",
        )
        for d in descontos
        if d.controle_apropriacao == ControleApropriacao.LIQUIDACAO
        and d.tipo_receita == TipoReceita.EXTRAORCAMENTARIA
        and d.codigo in ligados
        and not (d.dotacao.strip() and d.historico.strip())
    ]


# --- Serviço e serviço × desconto ------------------------------------------------


def validar_servicos(servicos: Sequence[Servico]) -> list[Erro]:
    erros: list[Erro] = []
    vistos: set[int] = set()
    for s in servicos:
        origem = f"serviço {s.codigo}"
        if s.codigo <= 0:
            erros.append(
                Erro(
                    "RET-SERVICO-CAMPO",
                    f"código do serviço {s.codigo} inválido: use um inteiro positivo",
                    "codigo",
                    origem=origem,
                )
            )
        if not s.descricao.strip():
            erros.append(
                Erro(
                    "RET-SERVICO-CAMPO",
                    "descrição do serviço obrigatória",
                    "descricao",
                    origem=origem,
                )
            )
        if not s.descricao_reduzida.strip():
            erros.append(
                Erro(
                    "RET-SERVICO-CAMPO",
                    "descrição reduzida do serviço obrigatória",
                    "descricao_reduzida",
                    origem=origem,
                )
            )
        if s.codigo in vistos:
            erros.append(
                Erro(
                    "RET-SERVICO-DUPLICADO",
                    f"código de serviço {s.codigo} já cadastrado",
                    "codigo",
                    origem=origem,
                )
            )
        vistos.add(s.codigo)
    return erros


def validar_servicos_descontos(
    vinculos: Sequence[ServicoDesconto],
    servicos: Iterable[Servico],
    descontos: Iterable[Desconto],
) -> list[Erro]:
    """Seção 1.3: cada vínculo cita serviço e desconto cadastrados, com percentual
    entre 0 e 100 (até duas casas); o mesmo par não se repete."""
    cod_servicos = {s.codigo for s in servicos}
    cod_descontos = {d.codigo for d in descontos}
    erros: list[Erro] = []
    vistos: set[tuple[int, int]] = set()
    for v in vinculos:
        origem = f"serviço {v.servico} × desconto {v.desconto}"
        if v.servico not in cod_servicos:
            erros.append(
                Erro(
                    "RET-SERVICO-DESCONTO-REFERENCIA",
                    f"serviço {v.servico} não cadastrado",
                    "servico",
                    origem=origem,
                )
            )
        if v.desconto not in cod_descontos:
            erros.append(
                Erro(
                    "RET-SERVICO-DESCONTO-REFERENCIA",
                    f"desconto {v.desconto} não cadastrado",
                    "desconto",
                    origem=origem,
                )
            )
        if not _percentual_valido(v.percentual):
            erros.append(
                Erro(
                    "RET-SERVICO-DESCONTO-PERCENTUAL",
                    f"percentual {v.percentual} inválido: use de 0,00 a 100,00, com até duas casas",
                    "percentual",
                    origem=origem,
                )
            )
        if (v.servico, v.desconto) in vistos:
            erros.append(
                Erro(
                    "RET-SERVICO-DESCONTO-DUPLICADO",
                    f"o desconto {v.desconto} já está ligado ao serviço {v.servico}",
                    "desconto",
                    origem=origem,
                )
            )
        vistos.add((v.servico, v.desconto))
    return erros


# --- Tabela do IRRF, teto e outras fontes do INSS (seção 1.7) --------------------


def validar_tabela_irrf(tabela: TabelaIRRF) -> list[Erro]:
    """Faixas com código único, limite estritamente crescente, alíquota de 0 a 100
    (até duas casas) e dedução não negativa."""
    erros: list[Erro] = []
    origem = f"tabela IRRF de {tabela.vigencia.isoformat()}"
    if not 1901 <= tabela.vigencia.year <= 2999:
        erros.append(
            Erro(
                "RET-IRRF-FAIXAS",
                f"vigência {tabela.vigencia.isoformat()} fora dos anos 1901–2999",
                "vigencia",
                origem=origem,
            )
        )
    if not tabela.faixas:
        erros.append(
            Erro(
                "RET-IRRF-FAIXAS",
                "a tabela do IRRF precisa de ao menos uma faixa",
                "faixas",
                origem=origem,
            )
        )
    codigos: set[int] = set()
    anterior: FaixaIRRF | None = None
    for f in tabela.faixas:
        if f.codigo in codigos:
            erros.append(
                Erro(
                    "RET-IRRF-FAIXAS",
                    f"faixa de código {f.codigo} repetida",
                    "codigo",
                    origem=origem,
                )
            )
        codigos.add(f.codigo)
        if f.limite <= 0 or (anterior is not None and f.limite <= anterior.limite):
            erros.append(
                Erro(
                    "RET-IRRF-FAIXAS",
                    f"faixa {f.codigo}: o limite deve ser positivo e maior que o da faixa anterior",
                    "limite",
                    origem=origem,
                )
            )
        if not _percentual_valido(f.aliquota):
            erros.append(
                Erro(
                    "RET-IRRF-FAIXAS",
                    f"faixa {f.codigo}: alíquota {f.aliquota} inválida: use de 0,00 a 100,00, com até duas casas",
                    "aliquota",
                    origem=origem,
                )
            )
        if f.deducao < 0:
            erros.append(
                Erro(
                    "RET-IRRF-FAIXAS",
                    f"faixa {f.codigo}: dedução negativa",
                    "deducao",
                    origem=origem,
                )
            )
        anterior = f
    return erros


def validar_tetos_inss(tetos: Sequence[TetoINSS]) -> list[Erro]:
    erros: list[Erro] = []
    datas: set[dt.date] = set()
    for t in tetos:
        origem = f"teto INSS de {t.data_inicial.isoformat()}"
        if t.valor <= 0:
            erros.append(
                Erro(
                    "RET-TETO-INSS",
                    "o valor do teto do INSS deve ser positivo",
                    "valor",
                    origem=origem,
                )
            )
        if not _percentual_valido(t.aliquota):
            erros.append(
                Erro(
                    "RET-TETO-INSS",
                    f"alíquota {t.aliquota} inválida: use de 0,00 a 100,00, com até duas casas",
                    "aliquota",
                    origem=origem,
                )
            )
        if t.data_inicial in datas:
            erros.append(
                Erro(
                    "RET-TETO-INSS",
                    "já há teto do INSS com esta data inicial",
                    "data_inicial",
                    origem=origem,
                )
            )
        datas.add(t.data_inicial)
    return erros


def validar_outras_fontes(registros: Sequence[InssOutrasFontes]) -> list[Erro]:
    erros: list[Erro] = []
    vistos: set[tuple[str, int, int]] = set()
    for r in registros:
        origem = f"INSS outras fontes {r.fornecedor} {r.mes:02d}/{r.ano}"
        if not documento_valido(somente_digitos(r.fornecedor)):
            erros.append(
                Erro(
                    "RET-OUTRAS-FONTES",
                    f"CPF/CNPJ '{r.fornecedor}' inválido",
                    "fornecedor",
                    origem=origem,
                )
            )
        if not 1 <= r.mes <= 12:
            erros.append(
                Erro("RET-OUTRAS-FONTES", f"mês {r.mes} fora de 1–12", "mes", origem=origem)
            )
        if r.base < 0 or r.retido < 0:
            erros.append(
                Erro(
                    "RET-OUTRAS-FONTES",
                    "valores não podem ser negativos",
                    "base" if r.base < 0 else "retido",
                    origem=origem,
                )
            )
        chave = (somente_digitos(r.fornecedor), r.ano, r.mes)
        if chave in vistos:
            erros.append(
                Erro(
                    "RET-OUTRAS-FONTES",
                    "fornecedor já tem INSS de outras fontes neste mês",
                    "mes",
                    origem=origem,
                )
            )
        vistos.add(chave)
    return erros


# --- Parâmetros por unidade gestora (seções 1.4, 1.6 e 1.8) ---------------------

_NOMES_PARAMETROS: Final = (
    ("rotina_tipo_servico", "Rotina Informação Tipo de Serviço"),
    ("gerar_movimentos_extra", "Gerar Movimentos Extraorçamentários"),
    ("controle_extra", "Controle Despesa / Receita Extra"),
)


def validar_alteracao_parametros(
    atual: ParametrosUnidadeGestora,
    novo: ParametrosUnidadeGestora,
    execucao_iniciada: bool,
) -> list[Erro]:
    """Seção 1.8 (ATENÇÃO): os parâmetros "só podem ser alterados antes do início da
    execução orçamentária do exercício". Um erro por parâmetro alterado."""
    erros: list[Erro] = []
    if (atual.unidade_gestora, atual.exercicio) != (novo.unidade_gestora, novo.exercicio):
        erros.append(
            Erro(
                "RET-PARAMETROS",
                "a alteração deve ser da mesma unidade gestora e do mesmo exercício",
                "unidade_gestora",
            )
        )
        return erros
    if not execucao_iniciada:
        return erros
    for campo, nome in _NOMES_PARAMETROS:
        if getattr(atual, campo) != getattr(novo, campo):
            erros.append(
                Erro(
                    "RET-PARAMETROS-EXECUCAO",
                    f"O parâmetro '{nome}' só pode ser alterado antes do início da execução "
                    f"orçamentária do exercício {novo.exercicio}.",
                    campo,
                )
            )
    return erros


# --- Serviço numa liquidação (seções 1.2 e 1.4) ---------------------------------


def servicos_disponiveis(fornecedor: Credor, servicos: Iterable[Servico]) -> list[Servico]:
    """Seção 1.2: para fornecedor optante pelo Simples Nacional, só os serviços
    marcados como optantes."""
    return [s for s in servicos if s.simples_nacional or not fornecedor.simples]


def validar_servico_informado(
    fornecedor: Credor,
    servico: Servico,
    parametros: ParametrosUnidadeGestora,
    rotina: Rotina = Rotina.LIQUIDACAO,
) -> list[Erro]:
    """Serviço informado numa liquidação (ou pagamento): o parâmetro da unidade
    gestora precisa apontar essa rotina (1.4), o fornecedor precisa ser PF ou PJ
    pelo documento e, se optante pelo Simples, o serviço também (1.2)."""
    erros: list[Erro] = []
    if parametros.rotina_tipo_servico != rotina:
        erros.append(
            Erro(
                "RET-SERVICO-ROTINA",
                f"o serviço não pode ser informado {_NA_ROTINA[rotina]}: o parâmetro "
                "'Rotina Informação Tipo de Serviço' da unidade gestora "
                f"{parametros.unidade_gestora} "
                + (
                    "não está ativado"
                    if parametros.rotina_tipo_servico is None
                    else f"indica {NOME_ROTINA[parametros.rotina_tipo_servico]}"
                ),
                "servico",
            )
        )
    if tipo_pessoa(fornecedor.documento) is None:
        erros.append(
            Erro(
                "RET-FORNECEDOR-DOCUMENTO",
                f"fornecedor '{fornecedor.documento}' sem CPF (11 dígitos) nem CNPJ (14 dígitos)",
                "fornecedor",
            )
        )
    if fornecedor.simples and not servico.simples_nacional:
        erros.append(
            Erro(
                "RET-SERVICO-SIMPLES",
                f"o fornecedor {fornecedor.documento} é optante pelo Simples Nacional e o "
                f"serviço {servico.codigo} - {servico.descricao} não: informe um serviço "
                "optante pelo Simples Nacional",
                "servico",
            )
        )
    return erros


def msg_ir_fornecedor(desconto: int, tipo: TipoDesconto, documento: str) -> str:
    """Seção 1.4 (ATENÇÃO): IR PF só para fornecedor PF e IR PJ só para PJ."""
    pessoa = "pessoa física" if tipo == TipoDesconto.IRRF_PJ else "pessoa jurídica"
    return (
        f"o desconto {desconto} ({NOME_TIPO[tipo]}) não é gerado para o fornecedor "
        f"{documento}, {pessoa}"
    )


def validar_desconto_informado(
    fornecedor: Credor, desconto: Desconto, rotina: Rotina = Rotina.LIQUIDACAO
) -> list[Erro]:
    """Desconto lançado (à mão ou pelo serviço) numa liquidação ou pagamento: o
    "Controle de Geração Desconto" precisa ser essa rotina (1.1) e o IR precisa ser
    do tipo de pessoa do fornecedor (1.4)."""
    erros: list[Erro] = []
    if desconto.controle_geracao != rotina:
        erros.append(
            Erro(
                "RET-DESCONTO-ROTINA",
                f"o desconto {desconto.codigo} só pode ser informado "
                f"{_NA_ROTINA[desconto.controle_geracao]}",
                "desconto",
            )
        )
    pessoa = tipo_pessoa(fornecedor.documento)
    if (desconto.tipo == TipoDesconto.IRRF_PF and pessoa != TipoPessoa.PF) or (
        desconto.tipo == TipoDesconto.IRRF_PJ and pessoa != TipoPessoa.PJ
    ):
        erros.append(
            Erro(
                "RET-IRRF-FORNECEDOR",
                msg_ir_fornecedor(desconto.codigo, desconto.tipo, fornecedor.documento),
                "desconto",
            )
        )
    return erros
