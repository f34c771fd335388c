"""Tipos do razão: registros imutáveis (``NamedTuple``), como no Beancount.

Valores ficam em centavos inteiros dentro dos registros (exatos e rápidos nas
cargas em massa); a interface pública de valor é ``Dinheiro`` (propriedade
``valor``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

from erario.core.codigos import Mascara
from erario.core.dinheiro import Dinheiro


class TipoEntidade(StrEnum):
    PREFEITURA = "prefeitura"
    CAMARA = "camara"
    RPPS = "rpps"
    FUNDO = "fundo"
    AUTARQUIA = "autarquia"
    FUNDACAO = "fundacao"
    EMPRESA = "empresa"


class Entidade(NamedTuple):
    """Entidade do município (unidade gestora com CNPJ próprio)."""

    slug: str
    nome: str
    cnpj: str  # só dígitos
    tipo: TipoEntidade
    ibge: str  # código IBGE do município, 7 dígitos
    poder_orgao: str  # código SICONFI, 5 dígitos: 10131 Executivo, 20231 Legislativo, 10132 RPPS
    plano: str = "PCASP"  # nome do plano de contas usado
    # Incorporada: tem instalação própria do erario (Câmara, RPPS…); a Prefeitura
    # elabora a LOA dela e recebe o balancete pelo servidor, sem razão aqui.
    incorporada: bool = False


class SituacaoCompetencia(StrEnum):
    ABERTA = "aberta"
    FECHADA = "fechada"


class Competencia(NamedTuple):
    entidade: str
    ano: int
    mes: int
    situacao: SituacaoCompetencia


class NaturezaSaldo(StrEnum):
    DEVEDORA = "D"
    CREDORA = "C"
    MISTA = "M"


class NaturezaInformacao(StrEnum):
    """PCASP: classes 1–4 patrimonial, 5–6 orçamentária, 7–8 controle."""

    PATRIMONIAL = "P"
    ORCAMENTARIA = "O"
    CONTROLE = "C"

    @property
    def descricao(self) -> str:
        return {"P": "Patrimonial", "O": "Orçamentária", "C": "Controle"}[self.value]


class TipoContaCorrente(StrEnum):
    """Tipos de conta corrente: informações complementares da MSC (STN) e locais."""

    PO = "PO"  # poder/órgão (MSC)
    FP = "FP"  # atributo financeiro/permanente (MSC)
    DC = "DC"  # dívida consolidada (MSC)
    FR = "FR"  # fonte/destinação de recursos (MSC)
    CO = "CO"  # código de acompanhamento da execução orçamentária (MSC)
    NR = "NR"  # natureza da receita (MSC)
    ND = "ND"  # natureza da despesa (MSC)
    FS = "FS"  # função/subfunção (MSC)
    AI = "AI"  # ano de inscrição de restos a pagar (MSC)
    DO = "DO"  # dotação orçamentária (local)
    CR = "CR"  # credor: CPF/CNPJ (local)
    DB = "DB"  # domicílio bancário: banco/agência/conta (local)

    @property
    def descricao(self) -> str:
        return _DESCRICAO_CC[self]


_DESCRICAO_CC = {
    TipoContaCorrente.PO: "poder/órgão",
    TipoContaCorrente.FP: "atributo financeiro/permanente",
    TipoContaCorrente.DC: "dívida consolidada",
    TipoContaCorrente.FR: "fonte de recurso",
    TipoContaCorrente.CO: "código de acompanhamento orçamentário",
    TipoContaCorrente.NR: "natureza da receita",
    TipoContaCorrente.ND: "natureza da despesa",
    TipoContaCorrente.FS: "função/subfunção",
    TipoContaCorrente.AI: "ano de inscrição",
    TipoContaCorrente.DO: "dotação",
    TipoContaCorrente.CR: "credor",
    TipoContaCorrente.DB: "domicílio bancário",
}
ORDEM_CC = {t.value: i for i, t in enumerate(TipoContaCorrente)}


class Conta(NamedTuple):
    codigo: str  # pontuado, completo na máscara do plano
    titulo: str
    nivel: int
    pai: str | None
    analitica: bool  # só contas analíticas (escrituração = S) recebem lançamentos
    natureza_saldo: NaturezaSaldo
    natureza_informacao: NaturezaInformacao
    superavit: str | None  # "F", "P", "X" ou None
    conta_corrente: tuple[str, ...] = ()  # tipos exigidos, p. ex. ("FR", "CR")
    funcao: str = ""

    @property
    def classe(self) -> int:
        return int(self.codigo[0])


class PlanoContas(NamedTuple):
    nome: str
    mascara: Mascara
    contas: Mapping[str, Conta]  # por código, em ordem de código


class Partida(NamedTuple):
    """Uma linha do lançamento: conta, débito/crédito, valor e conta corrente.

    ``conta_corrente`` é o texto canônico ``"FR=1500|CR=12345678000190"`` (tipos na
    ordem de ``TipoContaCorrente``), ou ``""`` quando a conta não exige.
    ``historico`` só é preenchido quando difere do histórico do lançamento.
    """

    conta: str
    dc: str  # "D" ou "C"
    centavos: int
    conta_corrente: str = ""
    # Histórico próprio da linha (sistemas de origem escrevem um por partida);
    # vazio: vale o do lançamento.
    historico: str = ""

    @property
    def valor(self) -> Dinheiro:
        return Dinheiro.de_centavos(self.centavos)

    @classmethod
    def de(
        cls,
        conta: str,
        dc: str,
        valor: Dinheiro | str,
        conta_corrente: Mapping[str, str] | str = "",
    ) -> Partida:
        v = valor if isinstance(valor, Dinheiro) else Dinheiro(valor)
        cc = conta_corrente if isinstance(conta_corrente, str) else texto_cc(conta_corrente)
        return cls(conta, dc, v.centavos, cc)


class TipoLancamento(StrEnum):
    ORDINARIO = "ordinario"
    ABERTURA = "abertura"  # implantação/abertura de saldos: período 0 (saldo anterior de janeiro)
    ENCERRAMENTO = "encerramento"  # encerramento do exercício: período 13


LIVRO_CONTABIL = "C"  # tipo de saldo: escrituração contábil regular


class Lancamento(NamedTuple):
    """Lançamento contábil: cabeçalho e partidas. Imutável depois de registrado."""

    entidade: str  # slug
    data: dt.date
    historico: str
    partidas: tuple[Partida, ...]
    numero: str | None = None  # número de controle; gerado no registro se None
    tipo: TipoLancamento = TipoLancamento.ORDINARIO
    livro: str = LIVRO_CONTABIL
    origem: str | None = None  # referência ao evento/documento de origem
    estorno: bool = False
    estornado: str | None = None  # número de controle do lançamento estornado

    @property
    def periodo(self) -> int:
        return periodo_de(self.tipo, self.data)

    @property
    def total(self) -> Dinheiro:
        return Dinheiro.de_centavos(sum(p.centavos for p in self.partidas if p.dc == "D"))


# Partidas de um lançamento compacto: (conta, "D"/"C", conta corrente), na ordem.
ModeloPartidas = tuple[tuple[str, str, str], ...]


class LancamentoCompacto(NamedTuple):
    """Lançamento ordinário do livro contábil cujas partidas têm todas o mesmo valor
    (o de um evento contabilizado pelo roteiro: cada par debita e credita o valor
    do evento). Guarda o modelo das partidas e o valor, e não uma partida por
    linha: nas cargas grandes o mesmo modelo se repete em milhares de eventos.
    ``lancamento()`` dá o ``Lancamento`` equivalente."""

    entidade: str
    data: dt.date
    historico: str
    numero: str
    origem: str | None
    centavos: int
    modelo: ModeloPartidas

    @property
    def partidas(self) -> tuple[Partida, ...]:
        v = self.centavos
        return tuple(Partida(conta, dc, v, cc) for conta, dc, cc in self.modelo)

    def lancamento(self) -> Lancamento:
        return Lancamento(
            self.entidade, self.data, self.historico, self.partidas, self.numero, origem=self.origem
        )


def periodo_de(tipo: str, data: dt.date) -> int:
    """Período contábil: 0 abertura, 1–12 meses, 13 encerramento."""
    if tipo == TipoLancamento.ABERTURA:
        return 0
    if tipo == TipoLancamento.ENCERRAMENTO:
        return 13
    return data.month


def texto_cc(atributos: Mapping[str, str]) -> str:
    """Texto canônico da conta corrente: tipos ordenados, ``TIPO=valor`` separados por ``|``."""
    itens = sorted(atributos.items(), key=lambda kv: ORDEM_CC.get(kv[0], 99))
    return "|".join(f"{k}={v}" for k, v in itens)


def atributos_cc(texto: str) -> dict[str, str]:
    """Inverso de ``texto_cc`` (sem validar)."""
    if not texto:
        return {}
    saida = {}
    for item in texto.split("|"):
        k, _, v = item.partition("=")
        saida[k] = v
    return saida
