"""Cadastros da execução: credores e contas bancárias das entidades.

Funções puras: objeto (do JSON Lines ou da API) → cadastro validado ou todos os
erros, com linha e campo. O caixa/tesouraria de cada entidade tem, por
convenção, o código ``1-1``.

A conta bancária traz os campos do registro Conta Bancária do e-Sfinge (TCE-SC):
nome, CNPJ do titular, código IBGE da cidade da agência e data de ativação; o
encerramento (motivo e data) é uma atualização do cadastro, em registro próprio.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Final, NamedTuple

from erario.core.codigos import cnpj_valido, documento_valido
from erario.core.conversores import erro_campo as _erro
from erario.core.conversores import texto_obrigatorio as _texto
from erario.core.erros import Erro
from erario.execucao.eventos import (
    Arrecadacao,
    DeducaoReceita,
    IngressoExtra,
    Pagamento,
    PagamentoExtra,
    TransferenciaFinanceira,
)
from erario.orcamento.classificacao import FonteRecurso, ler_fonte
from erario.razao.modelo import PlanoContas

CODIGO_CAIXA: Final = "1-1"
# Mesmo formato do atributo DB (domicílio bancário) da conta corrente.
_RE_CODIGO: Final = re.compile(r"[0-9A-Za-z\-/]{1,40}")
_RE_DIGITOS: Final = re.compile(r"[0-9]{1,12}")
_RE_DV: Final = re.compile(r"[0-9Xx]?")
# Contas bancárias ficam em caixa e equivalentes de caixa (PCASP 1.1.1).
_GRUPO_CAIXA: Final = "1.1.1."
# Registro Conta Bancária do e-Sfinge: nome até 255, motivo do encerramento até 256.
LIMITE_NOME: Final = 255
LIMITE_MOTIVO: Final = 256
# Código IBGE do município: 7 dígitos, os 2 primeiros são a UF.
_UFS_IBGE: Final = frozenset(
    str(uf) for uf in (*range(11, 18), *range(21, 30), 31, 32, 33, 35, 41, 42, 43, 50, 51, 52, 53)
)


class TipoPessoa(StrEnum):
    PF = "PF"
    PJ = "PJ"


class Credor(NamedTuple):
    documento: str  # CPF (11) ou CNPJ (14), só dígitos
    nome: str
    tipo: TipoPessoa
    simples: bool = False  # optante pelo Simples Nacional
    endereco: str = ""


class TipoContaBancaria(StrEnum):
    CAIXA = "caixa"
    MOVIMENTO = "movimento"
    APLICACAO = "aplicacao"
    VINCULADA = "vinculada"


class ContaBancaria(NamedTuple):
    entidade: str
    codigo: str  # também o atributo DB (domicílio bancário) dos lançamentos
    tipo: TipoContaBancaria
    fonte: FonteRecurso
    conta_contabil: str  # analítica do PCASP em 1.1.1
    banco: str = ""
    agencia: str = ""
    agencia_dv: str = ""
    conta: str = ""
    conta_dv: str = ""
    # Registro Conta Bancária do e-Sfinge; vazios/None = não informados no cadastro.
    nome: str = ""
    cnpj_titular: str = ""  # 14 dígitos
    ibge_agencia: str = ""  # 7 dígitos, município da agência
    ativacao: dt.date | None = None
    # Registro Encerramento de Conta Bancária (registrado por encerramento_de_dict).
    encerramento: dt.date | None = None
    motivo_encerramento: str = ""


class EncerramentoContaBancaria(NamedTuple):
    entidade: str
    codigo: str
    data: dt.date
    motivo: str


def _data(
    obj: dict[str, Any], campo: str, erros: list[Erro], n: int | None, o: str | None
) -> dt.date | None:
    v = obj.get(campo)
    if v is None or v == "":
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        erros.append(_erro(campo, f"'{v}' fora de AAAA-MM-DD", n, o))
        return None


def ibge_valido(codigo: str) -> bool:
    """Código IBGE de município: 7 dígitos com a UF nos dois primeiros."""
    return len(codigo) == 7 and codigo.isdigit() and codigo[:2] in _UFS_IBGE


def credor_de_dict(
    obj: dict[str, Any], linha: int | None = None, origem: str | None = None
) -> tuple[Credor | None, list[Erro]]:
    erros: list[Erro] = []
    documento = _texto(obj, "documento", erros, linha, origem)
    nome = _texto(obj, "nome", erros, linha, origem)
    digitos = "".join(c for c in documento if c.isdigit())
    tipo = TipoPessoa.PF if len(digitos) == 11 else TipoPessoa.PJ
    if documento and not documento_valido(digitos):
        erros.append(_erro("documento", f"CPF/CNPJ {documento} inválido", linha, origem))
    if "tipo" in obj and obj["tipo"] != tipo.value:
        erros.append(
            _erro("tipo", f"o documento é de {tipo.value}, não de {obj['tipo']}", linha, origem)
        )
    simples = obj.get("simples", False)
    if not isinstance(simples, bool):
        erros.append(_erro("simples", "use true ou false", linha, origem))
    if tipo == TipoPessoa.PF and simples is True:
        erros.append(_erro("simples", "pessoa física não é optante pelo Simples", linha, origem))
    endereco = obj.get("endereco", "")
    if not isinstance(endereco, str):
        erros.append(_erro("endereco", "deve ser texto", linha, origem))
    if erros:
        return None, erros
    return Credor(digitos, nome, tipo, bool(simples), endereco.strip()), []


def conta_bancaria_de_dict(
    obj: dict[str, Any],
    plano: PlanoContas,
    linha: int | None = None,
    origem: str | None = None,
) -> tuple[ContaBancaria | None, list[Erro]]:
    erros: list[Erro] = []
    entidade = _texto(obj, "entidade", erros, linha, origem)
    codigo = _texto(obj, "codigo", erros, linha, origem)
    if codigo and not _RE_CODIGO.fullmatch(codigo):
        erros.append(
            _erro(
                "codigo", "até 40 letras, dígitos, - ou / (é o domicílio bancário)", linha, origem
            )
        )
    try:
        tipo = TipoContaBancaria(obj.get("tipo", "movimento"))
    except ValueError:
        erros.append(
            _erro("tipo", "use " + ", ".join(t.value for t in TipoContaBancaria), linha, origem)
        )
        tipo = TipoContaBancaria.MOVIMENTO
    fonte, erros_f = ler_fonte(str(obj.get("fonte", "")))
    erros.extend(e.em(linha=linha, origem=origem) for e in erros_f)
    conta_txt = _texto(obj, "conta_contabil", erros, linha, origem)
    conta = None
    if conta_txt:
        normal = plano.mascara.normalizar(conta_txt)
        conta = plano.contas.get(normal) if normal else None
        if conta is None or not conta.analitica or not conta.codigo.startswith(_GRUPO_CAIXA):
            erros.append(
                _erro(
                    "conta_contabil",
                    f"{conta_txt} deve ser conta analítica de caixa e equivalentes (1.1.1)",
                    linha,
                    origem,
                )
            )
    bancarios = {
        c: str(obj.get(c, "")).strip()
        for c in ("banco", "agencia", "agencia_dv", "conta", "conta_dv")
    }
    if tipo != TipoContaBancaria.CAIXA:
        for campo in ("banco", "agencia", "conta"):
            if not _RE_DIGITOS.fullmatch(bancarios[campo]):
                erros.append(_erro(campo, "obrigatório, só dígitos", linha, origem))
        for campo in ("agencia_dv", "conta_dv"):
            if not _RE_DV.fullmatch(bancarios[campo]):
                erros.append(_erro(campo, "um dígito ou X", linha, origem))
    elif codigo and codigo != CODIGO_CAIXA:
        erros.append(
            _erro("codigo", f"o caixa/tesouraria tem o código {CODIGO_CAIXA}", linha, origem)
        )
    nome = obj.get("nome", "")
    if not isinstance(nome, str) or len(nome.strip()) > LIMITE_NOME:
        erros.append(_erro("nome", f"texto de até {LIMITE_NOME} caracteres", linha, origem))
        nome = ""
    cnpj = "".join(c for c in str(obj.get("cnpj_titular", "")) if c.isdigit())
    if obj.get("cnpj_titular") and not (len(cnpj) == 14 and cnpj_valido(cnpj)):
        erros.append(_erro("cnpj_titular", f"CNPJ {obj['cnpj_titular']} inválido", linha, origem))
    ibge = str(obj.get("ibge_agencia", "")).strip()
    if ibge and not ibge_valido(ibge):
        erros.append(
            _erro(
                "ibge_agencia",
                f"'{ibge}' deve ser o código IBGE do município, 7 dígitos com a UF",
                linha,
                origem,
            )
        )
    ativacao = _data(obj, "ativacao", erros, linha, origem)
    if erros or fonte is None or conta is None:
        return None, erros
    return ContaBancaria(
        entidade,
        codigo,
        tipo,
        fonte,
        conta.codigo,
        bancarios["banco"],
        bancarios["agencia"],
        bancarios["agencia_dv"],
        bancarios["conta"],
        bancarios["conta_dv"],
        nome.strip(),
        cnpj,
        ibge,
        ativacao,
    ), []


def encerramento_de_dict(
    obj: dict[str, Any], linha: int | None = None, origem: str | None = None
) -> tuple[EncerramentoContaBancaria | None, list[Erro]]:
    """``{"cadastro": "encerramento_conta_bancaria", "entidade", "codigo", "data", "motivo"}``.

    A existência da conta, o tipo (o caixa não se encerra) e a data diante da
    ativação são conferidos por quem conhece o cadastro (``conferir_encerramento``).
    """
    erros: list[Erro] = []
    entidade = _texto(obj, "entidade", erros, linha, origem)
    codigo = _texto(obj, "codigo", erros, linha, origem)
    motivo = _texto(obj, "motivo", erros, linha, origem)
    if len(motivo) > LIMITE_MOTIVO:
        erros.append(_erro("motivo", f"até {LIMITE_MOTIVO} caracteres", linha, origem))
    data = _data(obj, "data", erros, linha, origem)
    if data is None and not any(e.campo == "data" for e in erros):
        erros.append(_erro("data", "obrigatória (AAAA-MM-DD)", linha, origem))
    if erros or data is None:
        return None, erros
    return EncerramentoContaBancaria(entidade, codigo, data, motivo), []


def conferir_encerramento(
    enc: EncerramentoContaBancaria,
    conta: ContaBancaria | None,
    linha: int | None = None,
    origem: str | None = None,
) -> list[Erro]:
    """O encerramento diante do cadastro da conta (já gravada ou no mesmo arquivo)."""
    if conta is None:
        return [
            _erro(
                "codigo",
                f"conta bancária {enc.codigo} de {enc.entidade} não está cadastrada",
                linha,
                origem,
            )
        ]
    erros = []
    if conta.tipo == TipoContaBancaria.CAIXA:
        erros.append(
            _erro("codigo", "o caixa/tesouraria não é conta bancária a encerrar", linha, origem)
        )
    if conta.ativacao is not None and enc.data < conta.ativacao:
        erros.append(
            _erro(
                "data",
                f"encerramento em {enc.data:%d/%m/%Y} antes da ativação ({conta.ativacao:%d/%m/%Y})",
                linha,
                origem,
            )
        )
    return erros


# ------------------------------------------------------------ eventos × cadastro
def com_conta_bancaria(
    ev: Pagamento | Arrecadacao | IngressoExtra | PagamentoExtra | DeducaoReceita,
    contas: Sequence[ContaBancaria],
) -> tuple[Any, Erro | None]:
    """O evento com conta contábil, domicílio e entidade dona tirados do cadastro.

    Procura primeiro na entidade do evento; achada só em outra, o controle
    recusa (``EXEC-CONTA-BANCARIA``)."""
    conta = achar_conta(ev.conta_bancaria, ev.entidade, contas)
    if conta is None:
        return ev, _conta_nao_cadastrada(ev.conta_bancaria)
    return ev._replace(
        conta_banco=conta.conta_contabil, domicilio=conta.codigo, entidade_conta=conta.entidade
    ), None


def achar_conta(codigo: str, dona: str, contas: Sequence[ContaBancaria]) -> ContaBancaria | None:
    """Conta bancária pelo código, de preferência da entidade ``dona``."""
    achadas = sorted((c for c in contas if c.codigo == codigo), key=lambda c: c.entidade != dona)
    return achadas[0] if achadas else None


def _conta_nao_cadastrada(codigo: str) -> Erro:
    return Erro(
        "CAD-CONTA-BANCARIA", f"conta bancária {codigo} não está cadastrada", "conta_bancaria"
    )


def com_contas_da_transferencia(
    ev: TransferenciaFinanceira, contas: Sequence[ContaBancaria]
) -> tuple[TransferenciaFinanceira, list[Erro]]:
    """A transferência com as contas de origem e de destino tiradas do cadastro
    (cada uma procurada primeiro na sua entidade)."""
    erros: list[Erro] = []
    if ev.conta_bancaria:
        conta = achar_conta(ev.conta_bancaria, ev.entidade, contas)
        if conta is None:
            erros.append(_conta_nao_cadastrada(ev.conta_bancaria))
        else:
            ev = ev._replace(
                conta_banco=conta.conta_contabil,
                domicilio=conta.codigo,
                entidade_conta=conta.entidade,
            )
    if ev.conta_bancaria_destino:
        conta = achar_conta(ev.conta_bancaria_destino, ev.entidade_destino, contas)
        if conta is None:
            erros.append(_conta_nao_cadastrada(ev.conta_bancaria_destino))
        else:
            ev = ev._replace(
                conta_banco_destino=conta.conta_contabil,
                domicilio_destino=conta.codigo,
                entidade_conta_destino=conta.entidade,
            )
    return ev, erros
