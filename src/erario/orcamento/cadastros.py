"""Cadastros das classificações orçamentárias de cada entidade (a LOA da
Prefeitura, da Câmara, do RPPS): órgão, unidade orçamentária, programa, ação e
as fontes de recursos que a entidade usa, com propriedades adicionais livres.

Função e subfunção (Portaria MOG 42/1999) e os primeiros níveis da natureza da
despesa (Portaria Interministerial 163/2001) não se cadastram: vêm das tabelas
federais (``erario.orcamento.tabelas``).

Tipo da ação pelo primeiro dígito do código, na convenção dos municípios para a
Portaria MOG 42/1999 (art. 2º, alíneas b a d: projeto, atividade e operação
especial): 1, 3, 5 e 7 projeto; 2, 4, 6 e 8 atividade; 0 e 9 operação especial.

Funções puras: objeto (do JSON Lines ou da API) → cadastro validado ou todos os
erros; ``verificar_dotacao`` confere uma dotação contra os cadastros.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Final, NamedTuple

from erario.core import conversores
from erario.core.conversores import erro_campo as _erro
from erario.core.conversores import texto_obrigatorio as _texto
from erario.core.erros import Erro
from erario.orcamento import tabelas
from erario.orcamento.classificacao import (
    Dotacao,
    FonteRecurso,
    ler_dotacao,
    ler_fonte,
)

# Propriedades adicionais livres, em ordem de chave (p. ex. ("COVID", "sim")).
Propriedades = tuple[tuple[str, str], ...]

_RE_2: Final = re.compile(r"[0-9]{2}")
_RE_4: Final = re.compile(r"[0-9]{4}")


class TipoAcao(StrEnum):
    PROJETO = "projeto"
    ATIVIDADE = "atividade"
    OPERACAO_ESPECIAL = "operacao_especial"


NOME_TIPO_ACAO: Final[Mapping[TipoAcao, str]] = {
    TipoAcao.PROJETO: "projeto",
    TipoAcao.ATIVIDADE: "atividade",
    TipoAcao.OPERACAO_ESPECIAL: "operação especial",
}


def tipo_acao(codigo: str) -> TipoAcao:
    """Tipo pela convenção do primeiro dígito (ver o cabeçalho do módulo)."""
    d = codigo[:1]
    if d in "1357":
        return TipoAcao.PROJETO
    if d in "2468":
        return TipoAcao.ATIVIDADE
    return TipoAcao.OPERACAO_ESPECIAL


class Orgao(NamedTuple):
    entidade: str
    codigo: str  # 2 dígitos
    nome: str


class UnidadeOrcamentaria(NamedTuple):
    entidade: str
    orgao: str  # 2 dígitos
    codigo: str  # 2 dígitos
    nome: str

    @property
    def codigo_completo(self) -> str:
        """``OOUU``, como no início do código da dotação."""
        return self.orgao + self.codigo


class Programa(NamedTuple):
    entidade: str
    codigo: str  # 4 dígitos
    nome: str


class Acao(NamedTuple):
    entidade: str
    codigo: str  # 4 dígitos
    nome: str

    @property
    def tipo(self) -> TipoAcao:
        return tipo_acao(self.codigo)


class FonteEntidade(NamedTuple):
    """Fonte/destinação de recursos usada pela entidade (padrão STN 2023)."""

    entidade: str
    fonte: FonteRecurso
    nome: str
    propriedades: Propriedades = ()


Classificacao = Orgao | UnidadeOrcamentaria | Programa | Acao | FonteEntidade

# Valor de "cadastro" no JSON Lines → tipo do registro.
TIPOS_CADASTRO: Final[Mapping[str, type]] = {
    "orgao": Orgao,
    "unidade": UnidadeOrcamentaria,
    "programa": Programa,
    "acao": Acao,
    "fonte": FonteEntidade,
}


def _codigo(
    obj: Mapping[str, Any],
    campo: str,
    regex: re.Pattern[str],
    digitos: int,
    erros: list[Erro],
    n: int | None,
    o: str | None,
) -> str:
    v = _texto(obj, campo, erros, n, o)
    if v and not regex.fullmatch(v):
        erros.append(_erro(campo, f"'{v}' deve ter {digitos} dígitos (texto)", n, o))
    return v


def _propriedades(
    obj: Mapping[str, Any], erros: list[Erro], n: int | None, o: str | None
) -> Propriedades:
    try:
        return conversores.propriedades(obj.get("propriedades", {}))
    except ValueError as exc:
        erros.append(_erro("propriedades", str(exc), n, o))
        return ()


def classificacao_de_dict(
    cadastro: str, obj: Mapping[str, Any], linha: int | None = None, origem: str | None = None
) -> tuple[Classificacao | None, list[Erro]]:
    """Um cadastro de classificação (``cadastro`` é a chave de ``TIPOS_CADASTRO``)."""
    erros: list[Erro] = []
    entidade = _texto(obj, "entidade", erros, linha, origem)
    registro: Classificacao | None = None
    if cadastro == "fonte":
        texto = _texto(obj, "codigo", erros, linha, origem)
        fonte = None
        if texto:
            fonte, erros_f = ler_fonte(texto)
            erros.extend(Erro(e.regra, e.mensagem, "codigo", linha, origem) for e in erros_f)
        nome = _texto(obj, "nome", erros, linha, origem)
        propriedades = _propriedades(obj, erros, linha, origem)
        if fonte is not None:
            registro = FonteEntidade(entidade, fonte, nome, propriedades)
    elif cadastro == "unidade":
        orgao = _codigo(obj, "orgao", _RE_2, 2, erros, linha, origem)
        codigo = _codigo(obj, "codigo", _RE_2, 2, erros, linha, origem)
        nome = _texto(obj, "nome", erros, linha, origem)
        registro = UnidadeOrcamentaria(entidade, orgao, codigo, nome)
    elif cadastro == "orgao":
        codigo = _codigo(obj, "codigo", _RE_2, 2, erros, linha, origem)
        registro = Orgao(entidade, codigo, _texto(obj, "nome", erros, linha, origem))
    elif cadastro in ("programa", "acao"):
        codigo = _codigo(obj, "codigo", _RE_4, 4, erros, linha, origem)
        nome = _texto(obj, "nome", erros, linha, origem)
        if cadastro == "programa":
            registro = Programa(entidade, codigo, nome)
        else:
            registro = Acao(entidade, codigo, nome)
            if "tipo" in obj and _RE_4.fullmatch(codigo) and obj["tipo"] != registro.tipo.value:
                erros.append(
                    _erro(
                        "tipo",
                        f"a ação {codigo} é {NOME_TIPO_ACAO[registro.tipo]} pelo primeiro "
                        f"dígito, não {obj['tipo']}",
                        linha,
                        origem,
                    )
                )
    else:
        raise ValueError(f"cadastro desconhecido: {cadastro}")
    if erros:
        return None, erros
    return registro, []


# ------------------------------------------------------------------ conjunto
class Classificacoes(NamedTuple):
    """Os cadastros de classificação de uma entidade, indexados por código."""

    orgaos: Mapping[str, Orgao]
    unidades: Mapping[tuple[str, str], UnidadeOrcamentaria]  # (órgão, unidade)
    programas: Mapping[str, Programa]
    acoes: Mapping[str, Acao]
    fontes: Mapping[str, FonteEntidade]  # texto_cc (código + complemento)

    @property
    def vazia(self) -> bool:
        """Sem órgão, unidade, programa nem ação: a dotação não é conferida."""
        return not (self.orgaos or self.unidades or self.programas or self.acoes)


def classificacoes_de(registros: Iterable[Classificacao]) -> Classificacoes:
    orgaos: dict[str, Orgao] = {}
    unidades: dict[tuple[str, str], UnidadeOrcamentaria] = {}
    programas: dict[str, Programa] = {}
    acoes: dict[str, Acao] = {}
    fontes: dict[str, FonteEntidade] = {}
    for r in registros:
        if isinstance(r, Orgao):
            orgaos[r.codigo] = r
        elif isinstance(r, UnidadeOrcamentaria):
            unidades[(r.orgao, r.codigo)] = r
        elif isinstance(r, Programa):
            programas[r.codigo] = r
        elif isinstance(r, Acao):
            acoes[r.codigo] = r
        else:
            fontes[r.fonte.texto_cc] = r
    return Classificacoes(orgaos, unidades, programas, acoes, fontes)


def conferir_unidades(
    novos: Iterable[tuple[int | None, Classificacao]],
    orgaos_existentes: Iterable[tuple[str, str]],
    origem: str | None = None,
) -> list[Erro]:
    """Cada unidade nova pertence a um órgão já cadastrado ou da mesma carga.
    ``orgaos_existentes``: pares (entidade, órgão)."""
    orgaos = set(orgaos_existentes)
    novos = list(novos)
    orgaos |= {(r.entidade, r.codigo) for _, r in novos if isinstance(r, Orgao)}
    return [
        Erro(
            "ORC-ORGAO",
            f"órgão {r.orgao} não cadastrado na entidade {r.entidade}",
            "orgao",
            n,
            origem,
        )
        for n, r in novos
        if isinstance(r, UnidadeOrcamentaria) and (r.entidade, r.orgao) not in orgaos
    ]


def fonte_cadastrada(fonte: FonteRecurso, fontes: Mapping[str, FonteEntidade]) -> bool:
    """A fonte (com complemento) está cadastrada; uma fonte cadastrada sem
    complemento cobre todos os complementos dela."""
    return fonte.texto_cc in fontes or fonte.codigo in fontes


def verificar_dotacao(
    dotacao: Dotacao, cad: Classificacoes, fonte: FonteRecurso | None = None
) -> list[Erro]:
    """Todos os problemas da dotação diante dos cadastros da entidade e das
    tabelas federais. A fonte só é conferida quando a entidade cadastrou fontes."""
    erros: list[Erro] = []

    def erro(regra: str, mensagem: str, campo: str = "dotacao") -> None:
        erros.append(Erro(regra, mensagem, campo))

    d = dotacao
    if d.orgao not in cad.orgaos:
        erro("ORC-ORGAO", f"órgão {d.orgao} não cadastrado")
    elif (d.orgao, d.unidade) not in cad.unidades:
        erro("ORC-UNIDADE", f"unidade orçamentária {d.orgao}.{d.unidade} não cadastrada")
    if d.funcao not in tabelas.funcoes():
        erro("ORC-FUNCAO", f"função {d.funcao} não existe na Portaria MOG 42/1999")
    if d.subfuncao not in tabelas.subfuncoes():
        erro("ORC-SUBFUNCAO", f"subfunção {d.subfuncao} não existe na Portaria MOG 42/1999")
    elif not tabelas.combinacao_valida(d.funcao, d.subfuncao):
        erro(
            "ORC-SUBFUNCAO",
            f"subfunção {d.subfuncao} não combina com a função {d.funcao}: a função 28 "
            "(Encargos Especiais) só se usa com as subfunções 841 a 847, e estas só com ela",
        )
    if d.programa not in cad.programas:
        erro("ORC-PROGRAMA", f"programa {d.programa} não cadastrado")
    if d.acao not in cad.acoes:
        erro("ORC-ACAO", f"ação {d.acao} não cadastrada")
    nd = d.natureza
    if nd.categoria not in tabelas.categorias_economicas():
        erro("ORC-NATUREZA-DESPESA", f"categoria econômica {nd.categoria} não existe")
    elif nd.grupo not in tabelas.GRUPOS_DA_CATEGORIA[nd.categoria]:
        erro(
            "ORC-NATUREZA-DESPESA",
            f"grupo de natureza de despesa {nd.grupo} não pertence à categoria {nd.categoria} "
            f"({tabelas.categorias_economicas()[nd.categoria]})",
        )
    if nd.modalidade not in tabelas.modalidades_aplicacao():
        erro("ORC-NATUREZA-DESPESA", f"modalidade de aplicação {nd.modalidade} não existe")
    if fonte is not None and cad.fontes and not fonte_cadastrada(fonte, cad.fontes):
        erro("ORC-FONTE-CADASTRO", f"fonte {fonte} não cadastrada na entidade", "fonte")
    return erros


class NomesDotacao(NamedTuple):
    """Nomes de cada parte da dotação, para relatórios ("" quando não cadastrada)."""

    orgao: str
    unidade: str
    funcao: str
    subfuncao: str
    programa: str
    acao: str
    tipo_acao: str  # projeto, atividade ou operação especial
    categoria: str
    grupo: str
    modalidade: str


def nomes_dotacao(dotacao: Dotacao, cad: Classificacoes) -> NomesDotacao:
    d = dotacao
    orgao = cad.orgaos.get(d.orgao)
    unidade = cad.unidades.get((d.orgao, d.unidade))
    sub = tabelas.subfuncoes().get(d.subfuncao)
    programa = cad.programas.get(d.programa)
    acao = cad.acoes.get(d.acao)
    return NomesDotacao(
        orgao.nome if orgao else "",
        unidade.nome if unidade else "",
        tabelas.funcoes().get(d.funcao, ""),
        sub.nome if sub else "",
        programa.nome if programa else "",
        acao.nome if acao else "",
        NOME_TIPO_ACAO[tipo_acao(d.acao)],
        tabelas.categorias_economicas().get(d.natureza.categoria, ""),
        tabelas.grupos_despesa().get(d.natureza.grupo, ""),
        tabelas.modalidades_aplicacao().get(d.natureza.modalidade, ""),
    )


def e_saude(dotacao: Dotacao | str) -> bool:
    """Dotação da função 10 — Saúde (ASPS, SIOPS). Código inválido não é saúde."""
    if isinstance(dotacao, str):
        lida, _ = ler_dotacao(dotacao)
        if lida is None:
            return False
        dotacao = lida
    return dotacao.saude
