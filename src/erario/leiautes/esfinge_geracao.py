"""Geração do pacote e-Sfinge "Registros Contábeis" a partir dos dados do erario.

Função pura: lançamentos do razão de uma entidade, plano de contas, cadastro de
contas bancárias e pendências de conciliação → ``Pacote``. Não valida: o
pacote gerado passa pelo mesmo validador que um pacote de fora.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Final, NamedTuple

from erario.conciliacao import casamento
from erario.core.dinheiro import Dinheiro, ValorInvalido, centavos_de_texto
from erario.core.erros import Erro
from erario.execucao.cadastros import ContaBancaria, TipoContaBancaria
from erario.leiautes import esfinge as esf
from erario.leiautes.modelo import Item, Pacote
from erario.razao.modelo import (
    Entidade,
    Lancamento,
    PlanoContas,
    TipoLancamento,
    atributos_cc,
)

LIMITE_HISTORICO: Final = 150  # Lançamento, campo 8
LIMITE_DOCUMENTO: Final = 16  # Conciliação, campo 12
LIMITE_DESCRICAO: Final = 255  # Conciliação, campo 13
# Contas de aplicação financeira de liquidez imediata do PCASP (1.1.1.1.1.50 a 1.1.1.1.1.59).
PREFIXO_APLICACAO: Final = "1.1.1.1.1.5"
CONTA_NAO_CADASTRADA: Final = "ESF-CONTA-NAO-CADASTRADA"


class ContaBancariaEsfinge(NamedTuple):
    """Conta bancária com os dados que o registro Conta Bancária pede além do cadastro."""

    conta: ContaBancaria
    nome: str  # campo 7
    cnpj_titular: str  # campo 8, 14 dígitos
    ibge_agencia: str  # campo 9: 6 dígitos (o código de 7 perde o dígito verificador)
    ativacao: dt.date | None  # campo 10; None = desconhecida (não vai como cadastrada)
    encerramento: dt.date | None = None  # Encerramento, campo 7
    motivo_encerramento: str = ""  # Encerramento, campo 6
    derivados: tuple[str, ...] = ()  # campos que o cadastro não tem e saíram da entidade/razão


class PendenciaConciliacao(NamedTuple):
    """Item pendente em 31/12 (registro Conciliação Bancária)."""

    conta: str  # código da conta bancária no cadastro do erario
    tipo: str  # Tabela 70
    data: dt.date
    valor: Dinheiro
    tipo_documento: str  # Tabela 71
    documento: str
    descricao: str
    regularizacao: dt.date | None = None


class DadosPacote(NamedTuple):
    entidade: Entidade
    ano: int
    mes: int
    plano: PlanoContas
    # Lançamentos do mês (no mês 12, do ano todo: os saldos em 31/12 saem deles).
    lancamentos: Sequence[Lancamento]
    contas: Sequence[ContaBancariaEsfinge] = ()
    pendencias: Sequence[PendenciaConciliacao] = ()
    # Primeiro pacote da entidade no erario: leva também as contas ativadas antes dele.
    primeiro: bool = False


@cache
def _codigo(tabela: str, chave: str, valor: object) -> int:
    """Código da tabela do leiaute cujo atributo ``chave`` vale ``valor`` (p. ex. erario=ordinario).

    Em cache: o leiaute embutido não muda (``leiaute_padrao`` também é cacheado), e assim a
    tabela é percorrida uma vez por valor, não a cada partida."""
    for c in esf.leiaute().tabelas[tabela].codigos:
        if c.extra.get(chave) == valor:
            return int(c.codigo)
    raise KeyError(f"{tabela}: nenhum código com {chave}={valor}")


def _dinheiro(centavos: int) -> Decimal:
    return Dinheiro.de_centavos(centavos).valor


def _historico(texto: str) -> str:
    texto = " ".join(texto.split())
    return texto if len(texto) <= LIMITE_HISTORICO else texto[: LIMITE_HISTORICO - 1] + "…"


def conta_corrente(texto_cc: str) -> tuple[str | None, str | None]:
    """Conta corrente do erario → (campo 5, campo 11).

    Os valores dos atributos, na ordem canônica, concatenados sem separador; o
    atributo FP (financeiro/permanente) das contas X vai no campo 11.
    """
    atributos = atributos_cc(texto_cc)
    fp = atributos.pop("FP", None)
    cc = "".join(esf.so_alfanumerico(v) for v in atributos.values())
    return cc or None, fp


def _numero(texto: str) -> int | str:
    """Código numérico do cadastro como inteiro; texto se não for só dígitos (o validador aponta)."""
    return int(texto) if texto.isdigit() else texto


def _bancarios(cb: ContaBancaria, conta_texto: bool) -> dict[str, object]:
    # Campos 1–5 de Conta Bancária, Encerramento, Saldos e Conciliação ("0" se não aplicável).
    return {
        "codigoBanco": _numero(cb.banco),
        "codigoAgencia": _numero(cb.agencia),
        "digitoVerificadorAgencia": _numero(cb.agencia_dv or "0"),
        "codigoContaBancaria": cb.conta if conta_texto else _numero(cb.conta),
        "digitoVerificadorContaBancaria": cb.conta_dv or "0",
    }


def _no_mes(d: dt.date | None, ano: int, mes: int) -> bool:
    return d is not None and (d.year, d.month) == (ano, mes)


def linhas_lancamento(lanc: Lancamento, plano: PlanoContas) -> list[Item]:
    """Um registro por partida, na ordem das partidas (número sequencial 1, 2, …)."""
    tipo = _codigo("tipo_lancamento", "erario", lanc.tipo.value)
    historico = _historico(lanc.historico)
    saida: list[Item] = []
    for seq, p in enumerate(lanc.partidas, start=1):
        cc, fp = conta_corrente(p.conta_corrente)
        conta = plano.contas.get(p.conta)
        item: dict[str, object] = {
            "numeroControle": lanc.numero,
            "numeroSequencial": seq,
            "dataLancamento": lanc.data,
            "codigoContaContabil": esf.codigo_conta(p.conta),
            "contaCorrenteContabil": cc,
            "tipoLancamento": tipo,
            "tipoMovimentoContabil": _codigo("tipo_movimento", "dc", p.dc),
            # Histórico da própria partida quando o sistema de origem escreveu um por linha.
            "historicoLancamento": _historico(p.historico) if p.historico else historico,
            "valorLancamento": _dinheiro(p.centavos),
            "indicativoEstorno": "S" if lanc.estorno else "N",
            "atributoSuperavitFinanceiro": fp if conta and conta.superavit == "X" else None,
        }
        saida.append(item)
    return saida


def conta_de_aplicacao(conta: str) -> bool:
    """Conta contábil de aplicação financeira (1.1.1.1.1.5x), seja qual for o cadastro."""
    return conta.startswith(PREFIXO_APLICACAO)


def movimentos_sem_cadastro(dados: DadosPacote) -> list[Erro]:
    """Partidas do mês com domicílio bancário (DB) sem conta bancária cadastrada.

    O pacote sai do razão e dos cadastros juntos: toda conta bancária movimentada
    no mês tem de ser uma conta cadastrada, senão a geração para."""
    cadastradas = {c.conta.codigo for c in dados.contas}
    erros: list[Erro] = []
    for lanc in dados.lancamentos:
        if (lanc.data.year, lanc.data.month) != (dados.ano, dados.mes):
            continue
        for seq, p in enumerate(lanc.partidas, start=1):
            db = atributos_cc(p.conta_corrente).get("DB")
            if db and db not in cadastradas:
                erros.append(
                    Erro(
                        CONTA_NAO_CADASTRADA,
                        f"lançamento {lanc.numero or '(sem número)'} de {lanc.data:%d/%m/%Y}, "
                        f"partida {seq}: conta {p.conta}, domicílio bancário {db} sem conta "
                        "bancária cadastrada (cadastre-a: erario importar --tipo cadastros)",
                        "DB",
                        seq,
                        lanc.numero or None,
                    )
                )
    return erros


def lancamentos_do_mes(dados: DadosPacote) -> list[Lancamento]:
    """Os lançamentos de ``dados`` no mês do pacote (em dezembro vêm também os do ano)."""
    mes = (dados.ano, dados.mes)
    return [lanc for lanc in dados.lancamentos if (lanc.data.year, lanc.data.month) == mes]


def aplicacoes_do_mes(dados: DadosPacote) -> list[Item]:
    """Os itens Aplicação Financeira que ``gerar_pacote`` põe no pacote do mês (sem
    gerar o resto: o razão do validador só precisa deles)."""
    return _aplicacoes(dados, lancamentos_do_mes(dados))


def _aplicacoes(dados: DadosPacote, do_mes: Sequence[Lancamento]) -> list[Item]:
    """Por conta contábil de aplicação (1.1.1.1.1.5x, ou a conta de uma conta bancária
    do tipo aplicação) e conta corrente: aplicado (débitos), resgatado (créditos) e
    rendimento (débitos com contrapartida em VPA, classe 4). Estorno entra com sinal
    trocado."""
    por_db = {cb.conta.codigo: cb.conta for cb in dados.contas}
    somas: dict[tuple[str, str], list[int]] = {}
    for lanc in do_mes:
        if lanc.tipo != TipoLancamento.ORDINARIO:
            continue
        rendimento = any(p.conta.startswith("4") for p in lanc.partidas)
        sinal = -1 if lanc.estorno else 1
        for p in lanc.partidas:
            cb = por_db.get(atributos_cc(p.conta_corrente).get("DB", ""))
            tipada = (
                cb is not None
                and cb.tipo == TipoContaBancaria.APLICACAO
                and p.conta == cb.conta_contabil
            )
            if not (tipada or conta_de_aplicacao(p.conta)):
                continue
            cc, _ = conta_corrente(p.conta_corrente)
            s = somas.setdefault((p.conta, cc or ""), [0, 0, 0])
            debito = (p.dc == "D") == (sinal == 1)
            if debito:
                s[2 if rendimento else 0] += p.centavos * sinal
            else:
                s[1] += p.centavos * sinal
    return [
        {
            "codigoContaContabil": esf.codigo_conta(conta),
            "contaCorrenteContabil": cc or None,
            "valorAplicado": _dinheiro(s[0]),
            "valorResgatado": _dinheiro(s[1]),
            "valorRendimento": _dinheiro(s[2]),
        }
        for (conta, cc), s in somas.items()
        if any(s)
    ]


def pendencia_esfinge(conta: str, p: casamento.Pendencia) -> PendenciaConciliacao:
    """Pendência da conciliação do erario → registro Conciliação Bancária (Tabelas 70 e 71)."""
    descricao = p.descricao
    if len(descricao) > LIMITE_DESCRICAO:
        descricao = descricao[: LIMITE_DESCRICAO - 1] + "…"
    return PendenciaConciliacao(
        conta,
        str(_codigo("tipo_operacao_conciliacao", "erario", p.tipo.value)),
        p.data,
        Dinheiro.de_centavos(p.centavos),
        str(_codigo("tipo_documento_conciliacao", "erario", p.tipo_documento.value)),
        p.documento[:LIMITE_DOCUMENTO],
        descricao,
        p.regularizacao,
    )


def saldo_extrato(contabil: int, pendencias: Sequence[PendenciaConciliacao]) -> int:
    """Saldo do extrato = saldo contábil ajustado pelas pendências (efeito da Tabela 70)."""
    tabela = esf.leiaute().tabelas["tipo_operacao_conciliacao"]
    total = contabil
    for pe in pendencias:
        codigo = tabela.codigo(pe.tipo)
        efeito = codigo.extra.get("efeito", 0) if codigo else 0
        assert isinstance(efeito, int)
        total += efeito * pe.valor.centavos
    return total


def cadastradas_antes(dados: DadosPacote) -> frozenset[tuple[str, str, str]]:
    """Contas bancárias já enviadas em pacotes de meses anteriores (ativadas antes do mês)."""
    inicio = dt.date(dados.ano, dados.mes, 1)
    return frozenset(
        esf.chave_bancaria(_bancarios(c.conta, False))
        for c in dados.contas
        if c.ativacao is not None
        and c.ativacao < inicio
        and c.conta.tipo != TipoContaBancaria.CAIXA
    )


def gerar_pacote(dados: DadosPacote) -> Pacote:
    """O pacote do mês: mesmo vazio, vai com as listas vazias; saldos e conciliação só em dezembro."""
    ano, mes = dados.ano, dados.mes
    bancarias = [c for c in dados.contas if c.conta.tipo != TipoContaBancaria.CAIXA]
    contas: list[Item] = []
    encerradas: list[Item] = []
    inicio = dt.date(ano, mes, 1)
    for c in bancarias:
        # No primeiro pacote, também as contas ativas antes dele (ativadas antes do erario).
        ativa_antes = (
            dados.primeiro
            and c.ativacao is not None
            and c.ativacao < inicio
            and (c.encerramento is None or c.encerramento >= inicio)
        )
        if _no_mes(c.ativacao, ano, mes) or ativa_antes:
            tipo = _codigo("tipo_conta_bancaria", "erario", c.conta.tipo.value)
            contas.append(
                {
                    **_bancarios(c.conta, False),
                    "tipoContaBancaria": tipo,
                    "nomeContaBancaria": c.nome,
                    "numeroCnpjTitular": _numero(c.cnpj_titular),
                    "codigoIbgeCidadeAgencia": _numero(c.ibge_agencia[:6]),
                    "dataAtivacao": c.ativacao,
                }
            )
        if _no_mes(c.encerramento, ano, mes):
            encerradas.append(
                {
                    **_bancarios(c.conta, False),
                    "descricaoMotivoEncerramento": c.motivo_encerramento,
                    "dataEncerramento": c.encerramento,
                }
            )
    do_mes = lancamentos_do_mes(dados)
    lancamentos = [it for lanc in do_mes for it in linhas_lancamento(lanc, dados.plano)]
    registros: dict[str, tuple[Item, ...]] = {
        esf.CONTA_BANCARIA: tuple(contas),
        esf.ENCERRAMENTO: tuple(encerradas),
        esf.LANCAMENTO: tuple(lancamentos),
        esf.APLICACAO: tuple(_aplicacoes(dados, do_mes)),
    }
    if mes == 12:
        registros[esf.SALDOS], registros[esf.CONCILIACAO] = _dezembro(dados, bancarias)
    # Campo não informado (opcional ou "depende dos dados") fica fora do registro.
    limpos = {
        k: tuple({c: v for c, v in it.items() if v is not None} for it in itens)
        for k, itens in registros.items()
    }
    return Pacote(esf.leiaute().codigo, {"anoMesRegistros": ano * 100 + mes}, limpos)


def _dezembro(
    dados: DadosPacote, bancarias: Sequence[ContaBancariaEsfinge]
) -> tuple[tuple[Item, ...], tuple[Item, ...]]:
    """Saldos em 31/12 de toda conta usada no ano (ativa em algum dia dele; a
    encerrada no ano vai com saldo zero) e as pendências da conciliação."""
    inicio, fim = dt.date(dados.ano, 1, 1), dt.date(dados.ano, 12, 31)
    pend_por_conta: dict[str, list[PendenciaConciliacao]] = defaultdict(list)
    for pe in dados.pendencias:
        pend_por_conta[pe.conta].append(pe)
    usadas = [
        c
        for c in bancarias
        if c.ativacao is not None
        and c.ativacao <= fim
        and (c.encerramento is None or c.encerramento >= inicio)
    ]
    saldos_contabeis = casamento.saldos_contabeis(
        dados.lancamentos, {c.conta.conta_contabil for c in usadas}, fim
    )
    saldos: list[Item] = []
    conciliacao: list[Item] = []
    for c in usadas:
        pend = pend_por_conta.get(c.conta.codigo, [])
        contabil = saldos_contabeis.get((c.conta.conta_contabil, c.conta.codigo), 0)
        encerrada = c.encerramento is not None and c.encerramento <= fim
        saldos.append(
            {
                **_bancarios(c.conta, True),
                "valorSaldo": _dinheiro(0 if encerrada else saldo_extrato(contabil, pend)),
            }
        )
        for pe in sorted(pend, key=lambda x: (x.data, x.documento)):
            conciliacao.append(
                {
                    **_bancarios(c.conta, True),
                    "numeroSequencialOperacao": len(conciliacao) + 1,
                    "tipoOperacao": int(pe.tipo),
                    "dataOperacao": pe.data,
                    "dataRegularizacao": pe.regularizacao,
                    "valorOperacao": pe.valor.valor,
                    "tipoDocumento": int(pe.tipo_documento),
                    "numeroDocumento": pe.documento,
                    "descricaoOperacao": pe.descricao,
                }
            )
    return tuple(saldos), tuple(conciliacao)


def contexto(
    dados: DadosPacote, numeros_anteriores: dict[str, dt.date] | None = None
) -> esf.ContextoEsfinge:
    """Contexto de validação do pacote gerado."""
    return esf.ContextoEsfinge(
        dados.plano,
        dados.entidade.tipo,
        numeros_anteriores or {},
        cadastradas_antes(dados),
    )


COLUNAS_PENDENCIAS: Final = (
    "conta",
    "tipo",
    "data",
    "valor",
    "tipo_documento",
    "documento",
    "descricao",
    "regularizacao",
)


def ler_pendencias_csv(
    texto: str, origem: str = "pendencias.csv"
) -> tuple[list[PendenciaConciliacao], list[Erro]]:
    """CSV (``;``) das pendências em 31/12: ``conta;tipo;data;valor;tipo_documento;documento;descricao;regularizacao``.

    ``conta`` é o código da conta bancária no cadastro; ``tipo`` da Tabela 70;
    ``tipo_documento`` da Tabela 71; datas AAAA-MM-DD (regularização opcional).
    """
    linhas = list(csv.reader(io.StringIO(texto), delimiter=";"))
    if not linhas or [c.strip().lower() for c in linhas[0]][:7] != list(COLUNAS_PENDENCIAS[:7]):
        cab = ";".join(COLUNAS_PENDENCIAS)
        return [], [Erro("ESF-PENDENCIA", f"cabeçalho deve ser {cab}", linha=1, origem=origem)]
    saida: list[PendenciaConciliacao] = []
    erros: list[Erro] = []
    for n, ln in enumerate(linhas[1:], start=2):
        if not any(c.strip() for c in ln):
            continue
        campos = dict(zip(COLUNAS_PENDENCIAS, (c.strip() for c in ln), strict=False))
        problemas = []
        datas: dict[str, dt.date | None] = {}
        for c in ("data", "regularizacao"):
            try:
                datas[c] = dt.date.fromisoformat(campos[c]) if campos.get(c) else None
            except ValueError:
                problemas.append(f"{c} '{campos[c]}' fora de AAAA-MM-DD")
        if not campos.get("data"):  # (data fora do formato já foi relatada acima)
            problemas.append("data obrigatória")
        try:
            valor = Dinheiro.de_centavos(centavos_de_texto(campos.get("valor", "")))
        except ValorInvalido as exc:
            problemas.append(str(exc))
        for c in ("conta", "tipo", "tipo_documento", "documento", "descricao"):
            if not campos.get(c):
                problemas.append(f"{c} obrigatório")
        for c in ("tipo", "tipo_documento"):
            if campos.get(c) and not campos[c].isdigit():
                problemas.append(f"{c} '{campos[c]}' deve ser o código numérico da tabela")
        if problemas:
            erros.extend(Erro("ESF-PENDENCIA", p, linha=n, origem=origem) for p in problemas)
            continue
        data = datas["data"]
        assert data is not None
        saida.append(
            PendenciaConciliacao(
                campos["conta"],
                campos["tipo"],
                data,
                valor,
                campos["tipo_documento"],
                campos["documento"],
                campos["descricao"],
                datas.get("regularizacao"),
            )
        )
    return saida, erros
