"""Contrapartidas: a classe de cada conta que o evento informa (VPD, VPA,
passivo, banco) tem de combinar com o fato que ele registra — regra
``EXEC-CONTRAPARTIDA``. Função pura, sem banco.

Uma só tabela liga o tipo do evento às exigências sobre os seus campos de
conta; ``conferir`` as aplica. As contas são classificadas pelos dígitos
iniciais do código (classe, grupo, subgrupo), que valem no PCASP Federação e
nos planos estendidos (12 níveis do TCE-RS), pontuados, truncados ou só dígitos.
Código vazio ou que não é número fica para o roteiro, que diz o que falta.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Final, NamedTuple, Protocol

from erario.core.erros import Erro
from erario.execucao.eventos import Evento, Liquidacao, TipoEvento

REGRA: Final = "EXEC-CONTRAPARTIDA"


class Grupo(NamedTuple):
    """Contas cujo código começa por ``prefixo`` (dígitos), menos as de ``exceto``."""

    prefixo: str
    exceto: str = ""

    def contem(self, digitos: str) -> bool:
        return digitos.startswith(self.prefixo) and not (
            self.exceto and digitos.startswith(self.exceto)
        )


ATIVO: Final = Grupo("1")
PASSIVO: Final = Grupo("2", exceto="23")  # 2.3: patrimônio líquido
VPD: Final = Grupo("3")
VPA: Final = Grupo("4")
CAIXA: Final = Grupo("111")  # caixa e equivalentes de caixa


class Exigencia(NamedTuple):
    """O campo de conta do evento tem de estar num dos ``grupos``; ``fato`` explica
    por quê, na mensagem de erro. ``aceitos``: os 3 primeiros dígitos (classe,
    grupo, subgrupo) que os grupos admitem, para conferir sem percorrê-los."""

    campo: str
    grupos: tuple[Grupo, ...]
    fato: str
    aceitos: frozenset[str]


def _exigencia(campo: str, grupos: tuple[Grupo, ...], fato: str) -> Exigencia:
    return Exigencia(campo, grupos, fato, _aceitos(grupos))


@lru_cache(maxsize=64)
def _aceitos(grupos: tuple[Grupo, ...]) -> frozenset[str]:
    # Uma vez por combinação de grupos (são poucas), não por dotação: percorrer os
    # 1.000 prefixos custava ~1,5 ms a cada dotação nova de uma carga.
    todos = (f"{n:03d}" for n in range(1000))
    return frozenset(d for d in todos if any(g.contem(d) for g in grupos))


class ComDotacao(Protocol):
    """O que se lê do empenho (``controle.SaldoEmpenho``): a dotação."""

    @property
    def dotacao(self) -> str: ...


Empenhos = Mapping[tuple[str, str], ComDotacao]


@lru_cache(maxsize=65_536)
@lru_cache(maxsize=4096)  # as mesmas poucas contas em milhares de eventos
def _digitos(codigo: str) -> str:
    """Classe, grupo e subgrupo da conta (3 dígitos), ou "" se o código não é número."""
    digitos = codigo.strip().replace(".", "")
    if not digitos.isdigit():
        return ""
    return digitos[:3].ljust(3, "0")


_CLASSES: Final = {
    "1": "ativo",
    "2": "passivo",
    "3": "VPD",
    "4": "VPA",
    "5": "controle da aprovação do orçamento",
    "6": "controle da execução do orçamento",
    "7": "controle devedor",
    "8": "controle credor",
}


def _o_que_e(digitos: str) -> str:
    classe = digitos[0]
    if digitos.startswith("23"):
        return "é patrimônio líquido (2.3)"
    if classe not in _CLASSES:
        return f"é da classe {classe}, que o PCASP não tem"
    return f"é {_CLASSES[classe]} (classe {classe})"


def _erro(exigencia: Exigencia, conta: str, digitos: str) -> Erro:
    if exigencia.grupos == (CAIXA,):
        situacao = "não é de caixa e equivalentes de caixa (1.1.1)"
    else:
        situacao = _o_que_e(digitos)
    return Erro(REGRA, f"{exigencia.campo} {conta} {situacao}: {exigencia.fato}", exigencia.campo)


# ------------------------------------------------------------ exigências por evento
def _banco(o_que: str) -> Exigencia:
    return _exigencia(
        "conta_banco",
        (CAIXA,),
        f"{o_que} movimenta conta bancária ou caixa; informe a conta contábil dela "
        "(em 1.1.1) ou conta_bancaria, o código do cadastro",
    )


_PASSIVO_DA_LIQUIDACAO: Final = _exigencia(
    "conta_passivo",
    (PASSIVO,),
    "a liquidação credita a obrigação com o credor (Lei 4.320/1964, art. 63), "
    "um passivo (classe 2, exceto 2.3, patrimônio líquido)",
)
# Aplicação direta (Portaria Interministerial 163/2001, Anexo II): 90, 91 e as
# aplicações diretas de 93 a 96.
_APLICACAO_DIRETA: Final = frozenset({"90", "91", "93", "94", "95", "96"})


def _vpd_da_liquidacao(natureza: str) -> Exigencia:
    """O lado debitado pela natureza da despesa do empenho (MCASP, Parte I: a
    despesa de capital por aplicação direta é fato permutativo)."""
    categoria, grupo, modalidade = natureza[:1], natureza[1:2], natureza[2:4]
    if categoria == "4" and modalidade in _APLICACAO_DIRETA:
        if grupo in ("4", "5"):
            return _exigencia(
                "conta_vpd",
                (ATIVO, PASSIVO),
                f"a despesa de capital por aplicação direta (natureza {natureza}) é fato "
                "permutativo (MCASP, Parte I): a liquidação debita o ativo que incorpora "
                "(classe 1) ou o passivo que desincorpora (classe 2, exceto 2.3)",
            )
        if grupo == "6":
            return _exigencia(
                "conta_vpd",
                (PASSIVO,),
                f"a amortização da dívida (natureza {natureza}) é fato permutativo (MCASP, "
                "Parte I): a liquidação debita a dívida que desincorpora (classe 2, exceto 2.3)",
            )
    onde = f" (natureza {natureza})" if natureza else ""
    return _exigencia(
        "conta_vpd",
        (VPD, ATIVO, PASSIVO),
        f"a liquidação da despesa{onde} debita VPD (classe 3), ativo (classe 1: estoque, "
        "adiantamento, bem) ou passivo já reconhecido (classe 2, exceto 2.3)",
    )


def _liquidacao(ev: Liquidacao, empenhos: Empenhos) -> tuple[Exigencia, ...]:
    # A natureza da despesa vem da dotação do empenho; sem ele (o controle já
    # recusa), vale a regra geral.
    emp = empenhos.get((ev.entidade, ev.empenho))
    return _exigencias_da_liquidacao(emp.dotacao if emp is not None else "")


@lru_cache(maxsize=4096)
def _exigencias_da_liquidacao(dotacao: str) -> tuple[Exigencia, ...]:
    natureza = dotacao[-8:]  # OOUU.FF.SSS.PPPP.AAAA.NNNNNNNN
    return (_PASSIVO_DA_LIQUIDACAO, _vpd_da_liquidacao(natureza if natureza.isdigit() else ""))


def _fixas(*exigencias: Exigencia) -> Callable[[Any, Empenhos], tuple[Exigencia, ...]]:
    return lambda _ev, _empenhos: exigencias


_VPA_DA_ARRECADACAO: Final = _exigencia(
    "conta_vpa",
    (VPA, ATIVO, PASSIVO),
    "a arrecadação credita VPA (classe 4), a baixa de um crédito a receber (classe 1, "
    "p. ex. dívida ativa) ou um passivo (classe 2, exceto 2.3, p. ex. operação de crédito)",
)
_VPD_DA_DEDUCAO: Final = _exigencia(
    "conta_vpd",
    (VPD,),
    "a dedução da receita (FUNDEB) debita VPD (classe 3, p. ex. 3.5.2.2.4)",
)
_VPA_DO_CANCELAMENTO: Final = _exigencia(
    "conta_vpa",
    (VPA,),
    "o cancelamento de restos a pagar credita VPA (classe 4, p. ex. 4.6.4, "
    "desincorporação de passivos)",
)

# Tipo do evento → exigências sobre os seus campos de conta.
EXIGENCIAS: Final[dict[TipoEvento, Callable[[Any, Empenhos], tuple[Exigencia, ...]]]] = {
    TipoEvento.LIQUIDACAO: _liquidacao,
    TipoEvento.EM_LIQUIDACAO: _liquidacao,  # as mesmas contas, reconhecidas antes
    TipoEvento.PAGAMENTO: _fixas(_banco("o pagamento")),
    TipoEvento.ARRECADACAO: _fixas(_VPA_DA_ARRECADACAO, _banco("a arrecadação")),
    TipoEvento.DEDUCAO_RECEITA: _fixas(_VPD_DA_DEDUCAO, _banco("a dedução da receita")),
    TipoEvento.INGRESSO_EXTRA: _fixas(_banco("o ingresso extraorçamentário")),
    TipoEvento.PAGAMENTO_EXTRA: _fixas(_banco("o pagamento extraorçamentário")),
    TipoEvento.CANCELAMENTO_RP: _fixas(_VPA_DO_CANCELAMENTO),
}


def conferir(evento: Evento, empenhos: Empenhos) -> list[Erro]:
    """Erros ``EXEC-CONTRAPARTIDA`` do evento (lista vazia se as contas combinam).
    ``empenhos``: os do controle, de onde a liquidação tira a dotação."""
    regras = EXIGENCIAS.get(evento.tipo)
    if regras is None:
        return []
    erros = []
    for exigencia in regras(evento, empenhos):
        conta = getattr(evento, exigencia.campo)
        digitos = _digitos(conta)
        if digitos and digitos not in exigencia.aceitos:
            erros.append(_erro(exigencia, conta, digitos))
    return erros
