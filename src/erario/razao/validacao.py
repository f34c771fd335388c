"""Regras de validade de um lançamento (NBC T 16.5 / MCASP, partidas dobradas).

Função pura: recebe o lançamento, o plano e a situação das competências;
devolve o lançamento normalizado (códigos completos, conta corrente canônica)
ou a lista de todos os erros encontrados.

Regras (códigos estáveis, ver ``docs/erros.md``):
- ``LANC-PARTIDAS``: ao menos duas partidas (um débito e um crédito).
- ``LANC-CONTA``: conta inexistente no plano.
- ``LANC-SINTETICA``: conta sintética não recebe lançamento.
- ``LANC-DC``: natureza da partida deve ser D ou C.
- ``LANC-VALOR``: valor positivo, com no máximo duas casas.
- ``LANC-CC``: conta corrente exigida pela conta ausente, inválida ou não controlada.
- ``LANC-DESBALANCEADO``: débitos ≠ créditos no lançamento.
- ``LANC-NATUREZA``: débitos ≠ créditos dentro de uma natureza de informação
  (patrimonial, orçamentária, controle), pois cada subsistema fecha em si.
- ``LANC-HISTORICO``: histórico obrigatório, até 500 caracteres.
- ``LANC-NUMERO``: número de controle de até 16 caracteres (e-Sfinge).
- ``LANC-COMPETENCIA``: competência inexistente ou fechada.
- ``LANC-ABERTURA``: lançamento de abertura deve ter data de 1º de janeiro.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from erario.core.codigos import cnpj_valido, cpf_valido
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.modelo import (
    ORDEM_CC,
    Conta,
    Lancamento,
    NaturezaInformacao,
    Partida,
    PlanoContas,
    SituacaoCompetencia,
    TipoContaCorrente,
    TipoLancamento,
)

HISTORICO_MAX: Final = 500
NUMERO_MAX: Final = 16

# Formato do valor de cada tipo de conta corrente.
_FORMATO_CC: Final[dict[str, tuple[re.Pattern[str], str]]] = {
    "PO": (re.compile(r"^\d{5}$"), "5 dígitos (código SICONFI)"),
    "FP": (re.compile(r"^[FP]$"), "F ou P"),
    "DC": (re.compile(r"^\d{1,4}$"), "até 4 dígitos"),
    "FR": (re.compile(r"^\d{3,8}$"), "de 3 a 8 dígitos (fonte STN e complemento)"),
    "CO": (re.compile(r"^\d{4}$"), "4 dígitos"),
    "NR": (re.compile(r"^\d{8,16}$"), "de 8 a 16 dígitos"),
    "ND": (re.compile(r"^\d{6,10}$"), "de 6 a 10 dígitos"),
    "FS": (re.compile(r"^\d{5}$"), "5 dígitos (função e subfunção)"),
    "AI": (re.compile(r"^\d{4}$"), "ano com 4 dígitos"),
    "DO": (re.compile(r"^[0-9A-Za-z.\-/]{1,60}$"), "código de dotação de até 60 caracteres"),
    "CR": (re.compile(r"^(\d{11}|\d{14})$"), "CPF (11) ou CNPJ (14 dígitos)"),
    "DB": (re.compile(r"^[0-9A-Za-z\-/]{1,40}$"), "banco/agência/conta, até 40 caracteres"),
}

SituacaoDe = Callable[[str, int, int], SituacaoCompetencia | None]


def ler_conta_corrente(texto: str) -> tuple[dict[str, str], list[Erro]]:
    """Lê ``"FR=1500|CR=12345678000190"`` em atributos, validando tipos e formatos."""
    atributos: dict[str, str] = {}
    erros: list[Erro] = []
    if not texto:
        return atributos, erros
    for item in texto.split("|"):
        tipo, sep, valor = item.partition("=")
        tipo, valor = tipo.strip().upper(), valor.strip()
        if not sep or tipo not in ORDEM_CC:
            erros.append(
                Erro(
                    "LANC-CC",
                    f"conta corrente '{item}' inválida: use TIPO=valor com TIPO em "
                    + ", ".join(ORDEM_CC),
                    "conta_corrente",
                )
            )
            continue
        if tipo in atributos:
            erros.append(
                Erro("LANC-CC", f"tipo de conta corrente {tipo} repetido", "conta_corrente")
            )
            continue
        padrao, descricao = _FORMATO_CC[tipo]
        if not padrao.match(valor):
            erros.append(
                Erro(
                    "LANC-CC",
                    f"conta corrente {tipo}='{valor}' inválida: {descricao}",
                    "conta_corrente",
                )
            )
            continue
        if tipo == "CR" and not (cpf_valido(valor) if len(valor) == 11 else cnpj_valido(valor)):
            erros.append(
                Erro(
                    "LANC-CC",
                    f"credor {valor}: CPF/CNPJ com dígito verificador inválido",
                    "conta_corrente",
                )
            )
            continue
        atributos[tipo] = valor
    return atributos, erros


class Validador:
    """Valida lançamentos contra um plano; guarda caches para cargas em massa."""

    def __init__(self, plano: PlanoContas, situacao: SituacaoDe) -> None:
        self.plano = plano
        self.situacao = situacao
        self._contas: dict[str, Conta | None] = {}
        self._cc: dict[tuple[str, str], tuple[str, tuple[Erro, ...]]] = {}

    def conta(self, codigo: str) -> Conta | None:
        """Conta pelo código em qualquer forma aceita (pontuado, truncado ou só dígitos)."""
        try:
            return self._contas[codigo]
        except KeyError:
            normal = self.plano.mascara.normalizar(codigo)
            conta = self.plano.contas.get(normal) if normal else None
            self._contas[codigo] = conta
            return conta

    def _cc_de(self, conta: Conta, texto: str) -> tuple[str, tuple[Erro, ...]]:
        chave = (conta.codigo, texto)
        try:
            return self._cc[chave]
        except KeyError:
            pass
        atributos, erros = ler_conta_corrente(texto)
        exigidos = conta.conta_corrente
        # Tipo presente mas inválido já tem seu erro; não repete como ausente.
        presentes = (
            {i.partition("=")[0].strip().upper() for i in texto.split("|")} if texto else set()
        )
        faltam = [t for t in exigidos if t not in presentes]
        sobram = [t for t in atributos if t not in exigidos]
        if faltam:
            nomes = ", ".join(f"{t} ({_nome_cc(t)})" for t in faltam)
            erros.append(
                Erro(
                    "LANC-CC",
                    f"conta {conta.codigo} exige conta corrente {nomes}",
                    "conta_corrente",
                )
            )
        if sobram:
            erros.append(
                Erro(
                    "LANC-CC",
                    f"conta {conta.codigo} não controla conta corrente " + ", ".join(sobram),
                    "conta_corrente",
                )
            )
        canonico = "|".join(f"{t}={atributos[t]}" for t in exigidos if t in atributos)
        resultado = (canonico, tuple(erros))
        self._cc[chave] = resultado
        return resultado

    def validar(self, lanc: Lancamento) -> tuple[Lancamento | None, list[Erro]]:
        """Devolve (lançamento normalizado, []) ou (None, erros)."""
        erros: list[Erro] = []
        if len(lanc.partidas) < 2:
            erros.append(Erro("LANC-PARTIDAS", "o lançamento precisa de ao menos duas partidas"))
        historico = lanc.historico.strip()
        if not historico:
            erros.append(Erro("LANC-HISTORICO", "histórico é obrigatório", "historico"))
        elif len(historico) > HISTORICO_MAX:
            erros.append(
                Erro(
                    "LANC-HISTORICO", f"histórico passa de {HISTORICO_MAX} caracteres", "historico"
                )
            )
        if lanc.numero is not None and not (0 < len(lanc.numero) <= NUMERO_MAX):
            erros.append(
                Erro(
                    "LANC-NUMERO",
                    f"número de controle deve ter de 1 a {NUMERO_MAX} caracteres",
                    "numero",
                )
            )
        if lanc.tipo == TipoLancamento.ABERTURA and (lanc.data.month, lanc.data.day) != (1, 1):
            erros.append(
                Erro(
                    "LANC-ABERTURA", "lançamento de abertura deve ter data de 1º de janeiro", "data"
                )
            )
        situacao = self.situacao(lanc.entidade, lanc.data.year, lanc.data.month)
        if situacao is None:
            erros.append(
                Erro(
                    "LANC-COMPETENCIA",
                    f"exercício {lanc.data.year} não está aberto para a entidade {lanc.entidade}",
                    "data",
                )
            )
        elif situacao == SituacaoCompetencia.FECHADA:
            erros.append(
                Erro(
                    "LANC-COMPETENCIA",
                    f"competência {lanc.data.month:02d}/{lanc.data.year} está fechada: "
                    "reabra-a antes de lançar",
                    "data",
                )
            )

        saldo_por_natureza: dict[NaturezaInformacao, int] = {}
        partidas: list[Partida] = []
        debitos = creditos = 0
        normalizou = False  # alguma partida mudou (código completado, conta corrente canônica)
        for i, p in enumerate(lanc.partidas, start=1):
            campo = f"partida {i}"
            conta = self.conta(p.conta)
            if conta is None:
                erros.append(Erro("LANC-CONTA", f"conta {p.conta} não existe no plano", campo))
                continue
            if not conta.analitica:
                erros.append(
                    Erro(
                        "LANC-SINTETICA",
                        f"conta {conta.codigo} é sintética e não recebe lançamentos",
                        campo,
                    )
                )
                continue
            if p.dc not in ("D", "C"):
                erros.append(Erro("LANC-DC", f"natureza '{p.dc}' inválida: use D ou C", campo))
                continue
            if not isinstance(p.centavos, int) or p.centavos <= 0:
                erros.append(Erro("LANC-VALOR", "valor deve ser positivo", campo))
                continue
            cc, erros_cc = self._cc_de(conta, p.conta_corrente)
            if erros_cc:
                erros.extend(Erro(e.regra, e.mensagem, campo) for e in erros_cc)
                continue
            natureza = conta.natureza_informacao
            if p.dc == "D":
                debitos += p.centavos
                delta = p.centavos
            else:
                creditos += p.centavos
                delta = -p.centavos
            saldo_por_natureza[natureza] = saldo_por_natureza.get(natureza, 0) + delta
            if p.conta == conta.codigo and p.conta_corrente == cc:
                partidas.append(p)  # já normalizada (o caso comum nas cargas): reaproveita
            else:
                partidas.append(Partida(conta.codigo, p.dc, p.centavos, cc))
                normalizou = True

        if erros:
            return None, erros
        if debitos != creditos:
            erros.append(
                Erro(
                    "LANC-DESBALANCEADO",
                    f"débitos ({formatar_brl(debitos)}) diferentes dos créditos "
                    f"({formatar_brl(creditos)})",
                )
            )
        else:
            for natureza, diferenca in saldo_por_natureza.items():
                if diferenca:
                    erros.append(
                        Erro(
                            "LANC-NATUREZA",
                            f"débitos e créditos não fecham na natureza {natureza.descricao} "
                            f"(diferença {formatar_brl(diferenca)})",
                        )
                    )
        if erros:
            return None, erros
        if not normalizou and historico == lanc.historico and isinstance(lanc.partidas, tuple):
            return lanc, []  # nada a normalizar: evita copiar o lançamento
        return lanc._replace(historico=historico, partidas=tuple(partidas)), []


def _nome_cc(tipo: str) -> str:
    return TipoContaCorrente(tipo).descricao
