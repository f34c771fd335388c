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
- ``LANC-ABERTURA-CONTA``: lançamento de abertura (saldos de abertura, período 0)
  não movimenta as classes 3 e 4 (VPD e VPA, encerradas no patrimônio líquido)
  nem 5.2 e 6.2 (orçamento aprovado e sua execução, encerradas no fim do exercício); o
  estorno de uma abertura é o inverso exato e fica de fora.
- ``LANC-ESTORNO``: estorno exige o número do estornado, e só estorno o informa.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Final, NamedTuple

from erario.core.codigos import documento_valido
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.razao.modelo import (
    ORDEM_CC,
    Conta,
    Lancamento,
    LancamentoCompacto,
    ModeloPartidas,
    NaturezaInformacao,
    Partida,
    PlanoContas,
    SituacaoCompetencia,
    TipoContaCorrente,
    TipoLancamento,
)

HISTORICO_MAX: Final = 500
# O caractere nulo (byte zero) não cabe num histórico: o PostgreSQL não guarda
# texto com ele, e o SQLite guardaria — a regra é a mesma nos dois bancos.
_RE_CONTROLE: Final = re.compile("\x00")
NUMERO_MAX: Final = 16
_MODELOS_MAX: Final = 100_000

# Formato do valor de cada tipo de conta corrente.
_FORMATO_CC: Final[dict[str, tuple[re.Pattern[str], str]]] = {
    "PO": (re.compile(r"[0-9]{5}"), "5 dígitos (código SICONFI)"),
    "FP": (re.compile(r"[FP]"), "F ou P"),
    "DC": (re.compile(r"[0-9]{1,4}"), "até 4 dígitos"),
    "FR": (re.compile(r"[0-9]{3,8}"), "de 3 a 8 dígitos (fonte STN e complemento)"),
    "CO": (re.compile(r"[0-9]{4}"), "4 dígitos"),
    "NR": (re.compile(r"[0-9]{8,16}"), "de 8 a 16 dígitos"),
    "ND": (re.compile(r"[0-9]{6,10}"), "de 6 a 10 dígitos"),
    "FS": (re.compile(r"[0-9]{5}"), "5 dígitos (função e subfunção)"),
    "AI": (re.compile(r"[0-9]{4}"), "ano com 4 dígitos"),
    "DO": (re.compile(r"[0-9A-Za-z.\-/]{1,60}"), "código de dotação de até 60 caracteres"),
    "CR": (re.compile(r"([0-9]{11}|[0-9]{14})"), "CPF (11) ou CNPJ (14 dígitos)"),
    "DB": (re.compile(r"[0-9A-Za-z\-/]{1,40}"), "banco/agência/conta, até 40 caracteres"),
}

SituacaoDe = Callable[[str, int, int], SituacaoCompetencia | None]


def erro_conta_abertura(codigo: str) -> Erro | None:
    """``LANC-ABERTURA-CONTA`` se a conta não pode ter saldo de abertura, senão None.

    Saldos atravessam o exercício nas classes 1 e 2, em 5.1/6.1, em 5.3/6.3
    (restos a pagar) e em 7 e 8. As classes 3 e 4 (VPD e VPA) são encerradas no
    patrimônio líquido e 5.2/6.2 (orçamento aprovado e sua execução) no fim do
    exercício: nunca têm saldo de abertura. ``codigo`` em qualquer forma aceita
    (pontuado, truncado ou só dígitos: classe e grupo são os dois primeiros
    dígitos); fora dessas formas, None (quem resolve a conta relata).
    """
    digitos = codigo.replace(".", "")
    if not digitos.isdigit():
        return None
    if digitos[0] in "34":
        tipo = "diminutiva" if digitos[0] == "3" else "aumentativa"
        motivo = (
            f"é de variação patrimonial {tipo} (classe {digitos[0]}), "
            "encerrada no patrimônio líquido"
        )
    elif digitos[:2] in ("52", "62"):
        grupo = "do orçamento aprovado" if digitos[0] == "5" else "da execução do orçamento"
        motivo = f"é {grupo} ({digitos[0]}.{digitos[1]}), encerrada no fim do exercício"
    else:
        return None
    return Erro(
        "LANC-ABERTURA-CONTA", f"conta {codigo} {motivo}: não recebe saldo de abertura", "conta"
    )


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
        if not padrao.fullmatch(valor):
            erros.append(
                Erro(
                    "LANC-CC",
                    f"conta corrente {tipo}='{valor}' inválida: {descricao}",
                    "conta_corrente",
                )
            )
            continue
        if tipo == "CR" and not documento_valido(valor):
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
        self._resolvidas: dict[tuple[str, str], _Resolvida] = {}
        self._situacoes: dict[tuple[str, int, int], SituacaoCompetencia | None] = {}
        # (conta, conta corrente) já normalizados e sem erro → natureza (validar_gerado)
        self._naturezas: dict[tuple[str, str], NaturezaInformacao] = {}
        # id do modelo → (modelo, aceito): a referência guardada impede que outro
        # objeto ganhe o mesmo id enquanto a entrada existir (aceita_compacto)
        self._modelos: dict[int, tuple[ModeloPartidas, bool]] = {}

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

    def resolver(self, codigo: str, texto_cc: str) -> _Resolvida:
        """Conta e conta corrente de uma partida, validadas uma vez por par distinto."""
        chave = (codigo, texto_cc)
        resolvida = self._resolvidas.get(chave)
        if resolvida is not None:
            return resolvida
        conta = self.conta(codigo)
        if conta is None:
            resolvida = _Resolvida(
                codigo, "", None, (Erro("LANC-CONTA", f"conta {codigo} não existe no plano"),)
            )
        elif not conta.analitica:
            erro = Erro(
                "LANC-SINTETICA", f"conta {conta.codigo} é sintética e não recebe lançamentos"
            )
            resolvida = _Resolvida(conta.codigo, "", None, (erro,))
        else:
            cc, erros_cc = self._cc_de(conta, texto_cc)
            resolvida = _Resolvida(conta.codigo, cc, conta.natureza_informacao, erros_cc)
        self._resolvidas[chave] = resolvida
        return resolvida

    def _situacao_de(self, chave: tuple[str, int, int]) -> SituacaoCompetencia | None:
        """Situação da competência (entidade, ano, mês), consultada uma vez por chave."""
        try:
            return self._situacoes[chave]
        except KeyError:
            situacao = self._situacoes[chave] = self.situacao(*chave)
            return situacao

    def erros_do_cabecalho(self, lanc: Lancamento, historico: str) -> list[Erro]:
        """Regras do cabeçalho do lançamento (tudo o que não é partida)."""
        erros: list[Erro] = []
        if len(lanc.partidas) < 2:
            erros.append(Erro("LANC-PARTIDAS", "o lançamento precisa de ao menos duas partidas"))
        if not historico:
            erros.append(Erro("LANC-HISTORICO", "histórico é obrigatório", "historico"))
        else:
            erros.extend(erros_historico(historico, "historico"))
        if lanc.numero is not None and not (0 < len(lanc.numero) <= NUMERO_MAX):
            erros.append(
                Erro(
                    "LANC-NUMERO",
                    f"número de controle deve ter de 1 a {NUMERO_MAX} caracteres",
                    "numero",
                )
            )
        if lanc.estorno != (lanc.estornado is not None):
            erros.append(
                Erro(
                    "LANC-ESTORNO",
                    "estorno exige o número do lançamento estornado, e só estorno o informa",
                    "estornado",
                )
            )
        if lanc.tipo == TipoLancamento.ABERTURA and (lanc.data.month, lanc.data.day) != (1, 1):
            erros.append(
                Erro(
                    "LANC-ABERTURA", "lançamento de abertura deve ter data de 1º de janeiro", "data"
                )
            )
        situacao = self._situacao_de((lanc.entidade, lanc.data.year, lanc.data.month))
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
        return erros

    def _cabecalho_aceito(
        self, entidade: str, data: dt.date, historico: str, numero: str | None
    ) -> bool:
        """Histórico e número que ``validar`` aceita sem mudar e competência aberta:
        o cabeçalho dos atalhos ``validar_gerado`` e ``aceita_compacto``."""
        return (
            bool(historico)
            and len(historico) <= HISTORICO_MAX
            and historico == historico.strip()
            and _RE_CONTROLE.search(historico) is None
            and numero is not None
            and 0 < len(numero) <= NUMERO_MAX
            and self._situacao_de((entidade, data.year, data.month)) == SituacaoCompetencia.ABERTA
        )

    def validar_gerado(self, lanc: Lancamento) -> tuple[Lancamento | None, list[Erro]]:
        """``validar`` para o lançamento que um roteiro contábil gerou (contas e tipos
        de conta corrente vindos do plano): o mesmo resultado, mais barato no caso
        comum. Confere cabeçalho, competência, valores de conta corrente e partidas
        dobradas (no todo e por natureza); qualquer dúvida vai para ``validar``."""
        partidas = lanc.partidas
        if (
            type(partidas) is not tuple
            or len(partidas) < 2
            or lanc.estorno
            or lanc.estornado is not None
            or lanc.tipo != TipoLancamento.ORDINARIO
            or not self._cabecalho_aceito(lanc.entidade, lanc.data, lanc.historico, lanc.numero)
        ):
            return self.validar(lanc)
        naturezas = self._naturezas
        por_natureza: dict[NaturezaInformacao, int] = {}
        debitos = creditos = 0
        for p in partidas:
            natureza = naturezas.get((p.conta, p.conta_corrente))
            if natureza is None:  # par (conta, conta corrente) ainda não visto
                r = self.resolver(p.conta, p.conta_corrente)
                if r.erros or r.codigo != p.conta or r.conta_corrente != p.conta_corrente:
                    return self.validar(lanc)
                assert r.natureza is not None  # conta analítica resolvida
                natureza = naturezas[(p.conta, p.conta_corrente)] = r.natureza
            if p.historico:  # histórico próprio da partida: conferido em validar
                return self.validar(lanc)
            centavos = p.centavos
            if type(centavos) is not int or centavos <= 0:
                return self.validar(lanc)
            if p.dc == "D":
                debitos += centavos
            elif p.dc == "C":
                creditos += centavos
                centavos = -centavos
            else:
                return self.validar(lanc)
            por_natureza[natureza] = por_natureza.get(natureza, 0) + centavos
        if debitos != creditos or any(por_natureza.values()):
            return self.validar(lanc)
        return lanc, []

    def aceita_compacto(self, lanc: LancamentoCompacto) -> bool:
        """True se ``lanc.lancamento()`` passa por ``validar`` sem erro e sem mudar
        nada (então vale como está); False quando há o que relatar ou normalizar, e
        quem chama valida o lançamento completo. O modelo das partidas é conferido
        uma vez (``validar_gerado``); por lançamento, só cabeçalho e competência."""
        centavos = lanc.centavos
        if (
            type(centavos) is not int
            or centavos <= 0
            or not self._cabecalho_aceito(lanc.entidade, lanc.data, lanc.historico, lanc.numero)
        ):
            return False
        modelo = lanc.modelo
        conhecido = self._modelos.get(id(modelo))
        if conhecido is not None:
            return conhecido[1]
        # Com todas as partidas de mesmo valor, o resultado não depende do valor.
        completo = lanc.lancamento()
        normal, erros = self.validar_gerado(completo)
        aceito = not erros and normal == completo
        if len(self._modelos) >= _MODELOS_MAX:  # memória limitada; só custa reconferir
            self._modelos.clear()
        self._modelos[id(modelo)] = (modelo, aceito)
        return aceito

    def validar(self, lanc: Lancamento) -> tuple[Lancamento | None, list[Erro]]:
        """Devolve (lançamento normalizado, []) ou (None, erros)."""
        historico = lanc.historico.strip()
        erros = self.erros_do_cabecalho(lanc, historico)
        por_natureza: dict[NaturezaInformacao, int] = {}
        partidas: list[Partida] = []
        debitos = creditos = 0
        normalizou = False  # alguma partida mudou (código completado, conta corrente canônica)
        resolver = self.resolver
        abertura = lanc.tipo == TipoLancamento.ABERTURA and not lanc.estorno
        for i, p in enumerate(lanc.partidas, start=1):
            codigo, cc, natureza, erros_p = resolver(p.conta, p.conta_corrente)
            if erros_p:
                erros.extend(Erro(e.regra, e.mensagem, f"partida {i}") for e in erros_p)
                continue
            if abertura and (vedada := erro_conta_abertura(codigo)) is not None:
                erros.append(Erro(vedada.regra, vedada.mensagem, f"partida {i}"))
                continue
            if p.historico and (erros_h := erros_historico(p.historico, f"partida {i}")):
                erros.extend(erros_h)
                continue
            centavos = p.centavos
            if type(centavos) is not int or centavos <= 0:
                erros.append(Erro("LANC-VALOR", "valor deve ser positivo", f"partida {i}"))
                continue
            if p.dc == "D":
                debitos += centavos
            elif p.dc == "C":
                creditos += centavos
                centavos = -centavos
            else:
                erros.append(
                    Erro("LANC-DC", f"natureza '{p.dc}' inválida: use D ou C", f"partida {i}")
                )
                continue
            assert natureza is not None  # conta analítica resolvida
            por_natureza[natureza] = por_natureza.get(natureza, 0) + centavos
            if p.conta == codigo and p.conta_corrente == cc:
                partidas.append(p)  # já normalizada (o caso comum nas cargas): reaproveita
            else:
                partidas.append(p._replace(conta=codigo, conta_corrente=cc))
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
            for natureza, diferenca in por_natureza.items():
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


def erros_historico(historico: str, campo: str) -> list[Erro]:
    """Histórico (do lançamento ou da partida) grande demais ou com o caractere
    nulo (byte zero), que o SQLite guarda e o PostgreSQL recusa: os dois bancos
    recebem o mesmo erro aqui, antes de gravar."""
    if len(historico) > HISTORICO_MAX:
        return [Erro("LANC-HISTORICO", f"histórico passa de {HISTORICO_MAX} caracteres", campo)]
    controle = _RE_CONTROLE.search(historico)
    if controle is not None:
        return [
            Erro(
                "LANC-HISTORICO",
                f"histórico com o caractere nulo (byte zero) na posição {controle.start() + 1}: "
                "remova-o do arquivo",
                campo,
            )
        ]
    return []


class _Resolvida(NamedTuple):
    """Partida resolvida no plano: código completo, conta corrente canônica, natureza, erros."""

    codigo: str
    conta_corrente: str
    natureza: NaturezaInformacao | None
    erros: tuple[Erro, ...]


def _nome_cc(tipo: str) -> str:
    return TipoContaCorrente(tipo).descricao
