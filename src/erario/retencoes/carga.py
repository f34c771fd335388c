"""Cadastros das retenções em JSON Lines (``{"cadastro": "desconto", …}``) e o
conjunto que a liquidação consulta (``CadastroRetencoes``).

Um objeto por linha; todos os campos errados relatados com linha e campo. Os
mesmos dicionários são o que o banco guarda (``retencao_cadastro.dados``).
Valores em reais como texto ("1903.98"), percentuais como texto ("11.00").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, NamedTuple

from erario.core.conversores import enum as _enum
from erario.core.conversores import texto as _texto
from erario.core.dinheiro import ValorInvalido, centavos_de_texto, texto_de_centavos
from erario.core.erros import Erro
from erario.execucao.cadastros import TipoPessoa
from erario.execucao.carga import fonte as _fonte
from erario.retencoes.cadastros import (
    ControleApropriacao,
    Desconto,
    FaixaIRRF,
    InssOutrasFontes,
    ParametrosUnidadeGestora,
    Rotina,
    Servico,
    ServicoDesconto,
    TabelaIRRF,
    TetoINSS,
    TipoDesconto,
    TipoReceita,
    validar_descontos,
    validar_outras_fontes,
    validar_servicos,
    validar_servicos_descontos,
    validar_tabela_irrf,
    validar_tetos_inss,
)

Registro = (
    Desconto
    | Servico
    | ServicoDesconto
    | FaixaIRRF
    | TetoINSS
    | InssOutrasFontes
    | ParametrosUnidadeGestora
)


class FaixaDoExercicio(NamedTuple):
    """Uma faixa da tabela do IRRF, com o exercício a que pertence."""

    exercicio: int
    faixa: FaixaIRRF


class CadastroRetencoes(NamedTuple):
    descontos: Mapping[int, Desconto]
    servicos: Mapping[int, Servico]
    vinculos: tuple[ServicoDesconto, ...]
    tabelas_irrf: tuple[TabelaIRRF, ...]
    tetos_inss: tuple[TetoINSS, ...]
    outras_fontes: tuple[InssOutrasFontes, ...]
    parametros: Mapping[tuple[str, int], ParametrosUnidadeGestora]  # (entidade, exercício)
    # Conta da VPA da receita orçamentária de cada desconto (IRRF, ISS), por código.
    contas_vpa: Mapping[int, str]

    def vinculos_do_servico(self, servico: int) -> list[ServicoDesconto]:
        return [v for v in self.vinculos if v.servico == servico]


CADASTRO_VAZIO: Final = CadastroRetencoes({}, {}, (), (), (), (), {}, {})


def _inteiro(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int | str) or not str(v).strip().isdigit():
        raise ValueError("deve ser um número inteiro")
    return int(v)


def _centavos(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError("deve ser texto ou número com até duas casas")
    try:
        return centavos_de_texto(str(v).strip())
    except ValorInvalido as exc:
        raise ValueError(str(exc)) from None


def _percentual(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError('use texto, p. ex. "11.00"')
    try:
        return Decimal(str(v).strip())
    except InvalidOperation:
        raise ValueError(f"percentual '{v}' inválido") from None


def _logico(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("use true ou false")
    return v


def _data(v: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(_texto(v))
    except ValueError:
        raise ValueError(f"data '{v}' inválida: use AAAA-MM-DD") from None


def _rotina_ou_nada(v: Any) -> Rotina | None:
    return None if v in (None, "", "nenhuma") else _enum(Rotina)(v)


# Campos de cada cadastro, na ordem do registro; "?" = opcional (fica o padrão).
_CAMPOS: Final[dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]]] = {
    "desconto": (
        ("codigo", _inteiro),
        ("descricao", _texto),
        ("tipo", _enum(TipoDesconto)),
        ("tipo_receita", _enum(TipoReceita)),
        ("receita", _texto),
        ("fonte", _fonte),
        ("fornecedor", _texto),
        ("tipo_fornecedor", lambda v: TipoPessoa(_texto(v).upper())),
        ("controle_geracao?", _enum(Rotina)),
        ("controle_apropriacao?", _enum(ControleApropriacao)),
        ("dotacao?", _texto),
        ("historico?", _texto),
        ("conta_vpa?", _texto),
    ),
    "servico": (
        ("codigo", _inteiro),
        ("descricao", _texto),
        ("descricao_reduzida", _texto),
        ("simples_nacional?", _logico),
    ),
    "servico_desconto": (
        ("servico", _inteiro),
        ("desconto", _inteiro),
        ("percentual", _percentual),
    ),
    "faixa_irrf": (
        ("exercicio", _inteiro),
        ("codigo", _inteiro),
        ("descricao", _texto),
        ("limite", _centavos),
        ("aliquota", _percentual),
        ("deducao", _centavos),
    ),
    "teto_inss": (("data_inicial", _data), ("valor", _centavos), ("aliquota?", _percentual)),
    "inss_outras_fontes": (
        ("fornecedor", _texto),
        ("ano", _inteiro),
        ("mes", _inteiro),
        ("base", _centavos),
        ("retido", _centavos),
    ),
    "parametros": (
        ("unidade_gestora", _texto),
        ("exercicio", _inteiro),
        ("rotina_tipo_servico?", _rotina_ou_nada),
        ("gerar_movimentos_extra?", _logico),
        ("controle_extra?", _logico),
    ),
}
TIPOS: Final = tuple(_CAMPOS)


def registro_de_dict(
    obj: dict[str, Any], linha: int | None = None, origem: str | None = None
) -> tuple[str, dict[str, Any] | None, list[Erro]]:
    """(tipo, valores convertidos, erros) de um objeto ``{"cadastro": tipo, …}``."""
    tipo = obj.get("cadastro")
    if tipo not in _CAMPOS:
        return (
            str(tipo),
            None,
            [
                Erro(
                    "RET-CADASTRO",
                    "cadastro deve ser " + ", ".join(TIPOS),
                    "cadastro",
                    linha,
                    origem,
                )
            ],
        )
    valores: dict[str, Any] = {}
    erros: list[Erro] = []
    for nome, conv in _CAMPOS[tipo]:
        opcional = nome.endswith("?")
        nome = nome.rstrip("?")
        if obj.get(nome) in (None, ""):
            if not opcional:
                erros.append(Erro("RET-CADASTRO", f"{nome} é obrigatório", nome, linha, origem))
            continue
        try:
            valores[nome] = conv(obj[nome])
        except ValueError as exc:
            erros.append(Erro("RET-CADASTRO", f"{nome}: {exc}", nome, linha, origem))
    sobra = sorted(set(obj) - {"cadastro"} - {n.rstrip("?") for n, _ in _CAMPOS[tipo]})
    if sobra:
        erros.append(
            Erro(
                "RET-CADASTRO",
                f"campos que o cadastro {tipo} não tem: " + ", ".join(sobra),
                sobra[0],
                linha,
                origem,
            )
        )
    return tipo, (None if erros else valores), erros


def chave(tipo: str, v: Mapping[str, Any]) -> str:
    """Identidade do registro no seu cadastro: um registro com a mesma chave é
    atualizado (substituído)."""
    if tipo == "servico_desconto":
        return f"{v['servico']}/{v['desconto']}"
    if tipo == "faixa_irrf":
        return f"{v['exercicio']}/{v['codigo']}"
    if tipo == "teto_inss":
        return str(v["data_inicial"].isoformat())
    if tipo == "inss_outras_fontes":
        return f"{v['fornecedor']}/{v['ano']}/{v['mes']:02d}"
    if tipo == "parametros":
        return f"{v['unidade_gestora']}/{v['exercicio']}"
    return str(v["codigo"])


def dict_de_registro(tipo: str, v: Mapping[str, Any]) -> dict[str, Any]:
    """Os valores no esquema JSON (o que ``registro_de_dict`` lê de volta)."""
    saida: dict[str, Any] = {"cadastro": tipo}
    dinheiro = {"limite", "deducao", "valor", "base", "retido"}
    for nome, valor in v.items():
        if nome in dinheiro:
            valor = texto_de_centavos(valor)
        elif isinstance(valor, Decimal):
            valor = str(valor)
        elif isinstance(valor, dt.date):
            valor = valor.isoformat()
        elif nome == "fonte" or (nome != "codigo" and hasattr(valor, "value")):
            valor = str(valor)
        saida[nome] = valor
    return saida


def montar_cadastro(registros: Iterable[tuple[str, Mapping[str, Any]]]) -> CadastroRetencoes:
    """O cadastro a partir dos registros (já convertidos), na ordem: o último com a
    mesma chave vale."""
    por_chave: dict[tuple[str, str], Mapping[str, Any]] = {}
    for tipo, v in registros:
        por_chave[(tipo, chave(tipo, v))] = v
    descontos: dict[int, Desconto] = {}
    contas_vpa: dict[int, str] = {}
    servicos: dict[int, Servico] = {}
    vinculos: list[ServicoDesconto] = []
    faixas: dict[int, list[FaixaIRRF]] = {}
    tetos: list[TetoINSS] = []
    outras: list[InssOutrasFontes] = []
    parametros: dict[tuple[str, int], ParametrosUnidadeGestora] = {}
    for (tipo, _), v in sorted(por_chave.items()):
        if tipo == "desconto":
            dados = dict(v)
            conta_vpa = dados.pop("conta_vpa", "")
            d = Desconto(**dados)
            descontos[d.codigo] = d
            if conta_vpa:
                contas_vpa[d.codigo] = conta_vpa
        elif tipo == "servico":
            s = Servico(**v)
            servicos[s.codigo] = s
        elif tipo == "servico_desconto":
            vinculos.append(ServicoDesconto(**v))
        elif tipo == "faixa_irrf":
            dados = dict(v)
            faixas.setdefault(dados.pop("exercicio"), []).append(FaixaIRRF(**dados))
        elif tipo == "teto_inss":
            tetos.append(TetoINSS(**v))
        elif tipo == "inss_outras_fontes":
            outras.append(InssOutrasFontes(**v))
        else:
            p = ParametrosUnidadeGestora(**v)
            parametros[(p.unidade_gestora, p.exercicio)] = p
    tabelas = tuple(
        TabelaIRRF(ano, tuple(sorted(fs, key=lambda f: f.limite)))
        for ano, fs in sorted(faixas.items())
    )
    return CadastroRetencoes(
        descontos,
        servicos,
        tuple(sorted(vinculos)),
        tabelas,
        tuple(sorted(tetos)),
        tuple(outras),
        parametros,
        contas_vpa,
    )


def validar_cadastro(c: CadastroRetencoes) -> list[Erro]:
    """Todos os problemas do cadastro inteiro (o novo junto do existente)."""
    erros = validar_descontos(list(c.descontos.values()))
    for codigo, d in c.descontos.items():
        if d.tipo_receita == TipoReceita.ORCAMENTARIA and codigo not in c.contas_vpa:
            erros.append(
                Erro(
                    "RET-DESCONTO-RECEITA",
                    f"desconto {codigo}: a receita orçamentária exige conta_vpa (a VPA do "
                    "tributo, p. ex. 4.1.1.2.1.03.01 para o IRRF)",
                    "conta_vpa",
                )
            )
    erros += validar_servicos(list(c.servicos.values()))
    erros += validar_servicos_descontos(c.vinculos, c.servicos.values(), c.descontos.values())
    for tabela in c.tabelas_irrf:
        erros += validar_tabela_irrf(tabela)
    erros += validar_tetos_inss(c.tetos_inss)
    erros += validar_outras_fontes(c.outras_fontes)
    return erros
