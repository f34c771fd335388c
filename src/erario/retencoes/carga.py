"""Cadastros das retenções em JSON Lines (``{"cadastro": "desconto", …}``) e o
conjunto que a liquidação consulta (``CadastroRetencoes``).

Um objeto por linha; todos os campos errados relatados com linha e campo. Os
mesmos dicionários são o que o banco guarda (``retencao_cadastro.dados``).
Valores em reais como texto ("1903.98"), percentuais como texto ("11.00").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final, NamedTuple

from erario.core.conversores import enum as _enum
from erario.core.conversores import texto as _texto
from erario.core.dinheiro import ValorInvalido, centavos_de_texto, texto_de_centavos
from erario.core.erros import Erro
from erario.execucao.cadastros import TipoPessoa
from erario.execucao.carga import ErrosDoCampo
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
    validar_geracao_extra,
    validar_inclusao_desconto,
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


MSG_NEGATIVO: Final = "valores negativos não são permitidos"


def _recusar_negativo(v: Any) -> None:
    """Número negativo ("-110.00", -1): a mensagem diz que o sinal é o problema."""
    texto = str(v).strip()
    if texto.startswith("-") and texto[1:].strip()[:1].isdigit():
        raise ValueError(f"{MSG_NEGATIVO} ({texto})")


def _inteiro(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError("deve ser um número inteiro")
    _recusar_negativo(v)
    if not str(v).strip().isdigit():
        raise ValueError("deve ser um número inteiro")
    return int(v)


def _centavos(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError("deve ser texto ou número com até duas casas")
    _recusar_negativo(v)
    try:
        return centavos_de_texto(str(v).strip())
    except ValorInvalido as exc:
        raise ValueError(str(exc)) from None


def _percentual(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError('use texto, p. ex. "11.00"')
    _recusar_negativo(v)
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
        # vigencia (AAAA-MM-DD) ou, nos arquivos antigos, exercicio (= 01/01 do ano):
        # ``_vigencia_da_faixa`` exige um dos dois e guarda só a vigência.
        ("vigencia?", _data),
        ("exercicio?", _inteiro),
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
        ("irrf_desconto_simplificado?", _logico),
        ("irrf_reducao_lei_15270?", _logico),
    ),
}
TIPOS: Final = tuple(_CAMPOS)


def _vigencia_da_faixa(
    obj: Mapping[str, Any], valores: dict[str, Any], linha: int | None, origem: str | None
) -> list[Erro]:
    """faixa_irrf: a vigência vem de ``vigencia`` ou de ``exercicio`` (01/01 do ano,
    os arquivos de antes da vigência por data); nos valores fica só ``vigencia``."""
    exercicio = valores.pop("exercicio", None)
    if exercicio is not None:
        if not 1 <= exercicio <= 9999:
            msg = f"exercicio: ano {exercicio} inválido"
            return [Erro("RET-CADASTRO", msg, "exercicio", linha, origem)]
        vigencia = valores.setdefault("vigencia", dt.date(exercicio, 1, 1))
        if vigencia.year != exercicio:
            return [
                Erro(
                    "RET-CADASTRO",
                    f"vigencia {vigencia.isoformat()} fora do exercicio {exercicio}: "
                    "informe só a vigencia",
                    "vigencia",
                    linha,
                    origem,
                )
            ]
    elif all(obj.get(campo) in (None, "") for campo in ("vigencia", "exercicio")):
        return [
            Erro(
                "RET-CADASTRO",
                "vigencia é obrigatória (AAAA-MM-DD, início da vigência da tabela; "
                "exercicio, dos arquivos antigos, vale 01/01 do ano)",
                "vigencia",
                linha,
                origem,
            )
        ]
    return []


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
        except ErrosDoCampo as exc:  # a fonte: o código ORC-FONTE fica
            erros.extend(
                Erro(e.regra, f"{nome}: {e.mensagem}", nome, linha, origem) for e in exc.erros
            )
        except ValueError as exc:
            erros.append(Erro("RET-CADASTRO", f"{nome}: {exc}", nome, linha, origem))
    if tipo == "faixa_irrf":
        erros += _vigencia_da_faixa(obj, valores, linha, origem)
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
        return f"{v['vigencia'].isoformat()}/{v['codigo']}"
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
    faixas: dict[dt.date, list[FaixaIRRF]] = {}
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
            faixas.setdefault(dados.pop("vigencia"), []).append(FaixaIRRF(**dados))
        elif tipo == "teto_inss":
            tetos.append(TetoINSS(**v))
        elif tipo == "inss_outras_fontes":
            outras.append(InssOutrasFontes(**v))
        else:
            p = ParametrosUnidadeGestora(**v)
            parametros[(p.unidade_gestora, p.exercicio)] = p
    tabelas = tuple(
        TabelaIRRF(vigencia, tuple(sorted(fs, key=lambda f: f.limite)))
        for vigencia, fs in sorted(faixas.items())
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
                    origem=f"desconto {codigo}",
                )
            )
    erros += validar_servicos(list(c.servicos.values()))
    erros += validar_servicos_descontos(c.vinculos, c.servicos.values(), c.descontos.values())
    for tabela in c.tabelas_irrf:
        erros += validar_tabela_irrf(tabela)
    erros += validar_tetos_inss(c.tetos_inss)
    erros += validar_outras_fontes(c.outras_fontes)
    return erros


# --- Carga de um arquivo: cada problema na linha que o traz ---------------------


class RegistroLido(NamedTuple):
    """Um registro lido do arquivo, já convertido, com a sua linha."""

    linha: int
    tipo: str
    valores: dict[str, Any]


# A mesma chave duas vezes no arquivo: a regra do cadastro que já tem a sua (desconto,
# serviço, serviço × desconto) ou a genérica RET-CADASTRO-DUPLICADO; e o campo.
_REPETIDO: Final[Mapping[str, tuple[str, str]]] = {
    "desconto": ("RET-DESCONTO-CODIGO-DUPLICADO", "codigo"),
    "servico": ("RET-SERVICO-DUPLICADO", "codigo"),
    "servico_desconto": ("RET-SERVICO-DESCONTO-DUPLICADO", "desconto"),
    "faixa_irrf": ("RET-CADASTRO-DUPLICADO", "codigo"),
    "teto_inss": ("RET-CADASTRO-DUPLICADO", "data_inicial"),
    "inss_outras_fontes": ("RET-CADASTRO-DUPLICADO", "mes"),
    "parametros": ("RET-CADASTRO-DUPLICADO", "exercicio"),
}
_NOME_CADASTRO: Final[Mapping[str, str]] = {
    "desconto": "o desconto",
    "servico": "o serviço",
    "faixa_irrf": "a faixa do IRRF",
    "teto_inss": "o teto do INSS",
    "inss_outras_fontes": "o INSS de outras fontes",
    "parametros": "os parâmetros da unidade gestora",
}


def _lista(numeros: Sequence[int]) -> str:
    """[1, 5, 9] → "1, 5 e 9"."""
    textos = [str(n) for n in numeros]
    return ", ".join(textos[:-1]) + " e " + textos[-1]


def _descricao(tipo: str, v: Mapping[str, Any]) -> str:
    if tipo == "servico_desconto":
        return f"o desconto {v['desconto']} do serviço {v['servico']}"
    return f"{_NOME_CADASTRO.get(tipo, tipo)} {chave(tipo, v)}"


def conferir_repetidos(lidos: Sequence[RegistroLido]) -> list[Erro]:
    """A mesma chave duas vezes no arquivo é recusada (a segunda linha não substitui
    a primeira em silêncio): um erro por chave, na segunda linha, com todas."""
    por_chave: dict[tuple[str, str], list[int]] = {}
    for r in lidos:
        por_chave.setdefault((r.tipo, chave(r.tipo, r.valores)), []).append(r.linha)
    erros = []
    for r in lidos:
        linhas = por_chave[(r.tipo, chave(r.tipo, r.valores))]
        if len(linhas) < 2 or r.linha != linhas[1]:
            continue
        regra, campo = _REPETIDO.get(r.tipo, ("RET-CADASTRO-DUPLICADO", "cadastro"))
        erros.append(
            Erro(
                regra,
                f"as linhas {_lista(linhas)} repetem {_descricao(r.tipo, r.valores)}: cada "
                "registro vai uma só vez no arquivo (deixe a linha com os valores que valem)",
                campo,
                r.linha,
            )
        )
    return erros


def _rotulo(tipo: str, v: Mapping[str, Any]) -> str | None:
    """A ``origem`` que as validações de ``retencoes.cadastros`` dão ao registro."""
    try:
        if tipo == "desconto":
            return f"desconto {v['codigo']}"
        if tipo == "servico":
            return f"serviço {v['codigo']}"
        if tipo == "servico_desconto":
            return f"serviço {v['servico']} × desconto {v['desconto']}"
        if tipo == "faixa_irrf":
            if isinstance(v.get("vigencia"), dt.date):
                return f"tabela IRRF de {v['vigencia'].isoformat()}"
            return f"tabela IRRF {v['exercicio']}"
        if tipo == "teto_inss":
            return f"teto INSS de {v['data_inicial'].isoformat()}"
        if tipo == "inss_outras_fontes":
            return f"INSS outras fontes {v['fornecedor']} {v['mes']:02d}/{v['ano']}"
    except (KeyError, AttributeError, TypeError, ValueError):
        return None
    return None


def _tipo_do_rotulo(rotulo: str) -> str | None:
    for prefixo, tipo in (
        ("desconto ", "desconto"),
        ("tabela IRRF", "faixa_irrf"),
        ("teto INSS", "teto_inss"),
        ("INSS outras fontes", "inss_outras_fontes"),
    ):
        if rotulo.startswith(prefixo):
            return tipo
    if rotulo.startswith("serviço "):
        return "servico_desconto" if "×" in rotulo else "servico"
    return None


def _normal(rotulo: str) -> str:
    # "529.982.247-25" e "52998224725", "2026-01-01" e "20260101": o mesmo registro.
    return re.sub(r"[.\-/]", "", rotulo)


_RE_FAIXA: Final = re.compile(r"faixa (\d+):")


def _situar(
    erros: Sequence[Erro],
    lidos: Sequence[RegistroLido],
    antes: Callable[[], list[Erro]],
    origem: str,
) -> list[Erro]:
    """Cada erro das validações do cadastro inteiro na linha do registro do arquivo
    que ele cita (a ``origem`` do erro). O erro que cita só um registro já gravado:
    se já existia antes do arquivo, sai sem linha, marcado "já gravado"; se o arquivo
    o causou, vai para a primeira linha do arquivo com aquele tipo de cadastro."""
    por_rotulo: dict[str, list[RegistroLido]] = {}
    for r in lidos:
        rotulo = _rotulo(r.tipo, r.valores)
        if rotulo is not None:
            por_rotulo.setdefault(_normal(rotulo), []).append(r)
    anteriores: set[Erro] | None = None
    saida = []
    for e in erros:
        rotulo = e.origem or ""
        candidatos = por_rotulo.get(_normal(rotulo), [])
        faixa = _RE_FAIXA.match(e.mensagem)
        if faixa and candidatos:  # o erro cita a faixa da tabela
            candidatos = [
                r for r in candidatos if str(r.valores.get("codigo")) == faixa.group(1)
            ] or candidatos
        if candidatos:
            saida.append(e.em(linha=candidatos[0].linha, origem=origem))
            continue
        if anteriores is None:
            anteriores = set(antes())
        if e in anteriores:
            saida.append(
                Erro(e.regra, e.mensagem, e.campo, None, f"{origem} (já gravado: {rotulo})")
            )
            continue
        do_tipo = [r for r in lidos if r.tipo == _tipo_do_rotulo(rotulo)]
        if faixa:
            do_tipo = [
                r for r in do_tipo if str(r.valores.get("codigo")) == faixa.group(1)
            ] or do_tipo
        saida.append(e.em(linha=do_tipo[0].linha if do_tipo else None, origem=origem))
    return saida


def _descontos_duplicados(
    c: CadastroRetencoes, lidos: Sequence[RegistroLido], origem: str
) -> list[Erro]:
    """Seção 1.4 (mesma receita, vínculo e fornecedor em outro desconto) na linha de
    cada desconto do arquivo envolvido: dois do arquivo dão dois erros, um em cada
    linha; com um já gravado, o erro fica na linha do arquivo."""
    erros = []
    for r in lidos:
        d = c.descontos.get(r.valores["codigo"]) if r.tipo == "desconto" else None
        if d is None:
            continue
        erros += [
            e.em(linha=r.linha, origem=origem)
            for e in validar_inclusao_desconto(d, c.descontos.values())
            if e.regra == "RET-DESCONTO-DUPLICADO"
        ]
    return erros


def conferir_geracao_extra(
    c: CadastroRetencoes, lidos: Sequence[RegistroLido], origem: str
) -> list[Erro]:
    """Seção 1.6 (ATENÇÃO), no cadastro: com "Gerar Movimentos Extraorçamentários"
    marcado em alguma unidade gestora, todo desconto apropriado na liquidação, de
    receita extraorçamentária e ligado a um serviço precisa de dotação e histórico
    (CED63901). O erro vai para a linha do desconto, senão para a do vínculo serviço
    × desconto, senão para a dos parâmetros que ligam a geração."""
    ativo = next((p for p in c.parametros.values() if p.gerar_movimentos_extra), None)
    if ativo is None:
        return []
    linha_desconto: dict[int, int] = {}
    linha_vinculo: dict[int, int] = {}
    linha_parametros: int | None = None
    for r in lidos:
        if r.tipo == "desconto":
            linha_desconto.setdefault(r.valores["codigo"], r.linha)
        elif r.tipo == "servico_desconto":
            linha_vinculo.setdefault(r.valores["desconto"], r.linha)
        elif r.tipo == "parametros" and r.valores.get("gerar_movimentos_extra"):
            linha_parametros = linha_parametros or r.linha
    erros = []
    for d in c.descontos.values():
        for e in validar_geracao_extra(ativo, [d], c.vinculos):
            if d.codigo in linha_desconto:
                erros.append(e.em(linha=linha_desconto[d.codigo], origem=origem))
            elif d.codigo in linha_vinculo:
                erros.append(Erro(e.regra, e.mensagem, "desconto", linha_vinculo[d.codigo], origem))
            elif linha_parametros is not None:
                erros.append(
                    Erro(e.regra, e.mensagem, "gerar_movimentos_extra", linha_parametros, origem)
                )
            else:
                erros.append(e.em(origem=f"{origem} (já gravado: desconto {d.codigo})"))
    return erros


def conferir_carga(
    existentes: Sequence[tuple[str, Mapping[str, Any]]],
    lidos: Sequence[RegistroLido],
    origem: str,
) -> tuple[CadastroRetencoes, list[Erro]]:
    """O cadastro com os registros do arquivo e todos os problemas, cada um na linha
    do arquivo que o traz: chave repetida no arquivo, as validações do cadastro
    inteiro (``validar_cadastro``), a regra da seção 1.4 entre descontos e a CED63901
    (seção 1.6). Em ordem de linha."""
    novos = [(r.tipo, r.valores) for r in lidos]
    cadastro = montar_cadastro([*existentes, *novos])
    do_cadastro = [e for e in validar_cadastro(cadastro) if e.regra != "RET-DESCONTO-DUPLICADO"]
    erros = [
        *conferir_repetidos(lidos),
        *_situar(do_cadastro, lidos, lambda: validar_cadastro(montar_cadastro(existentes)), origem),
        *_descontos_duplicados(cadastro, lidos, origem),
        *conferir_geracao_extra(cadastro, lidos, origem),
    ]
    erros = [e if e.origem else e.em(origem=origem) for e in erros]
    return cadastro, sorted(erros, key=lambda e: (e.linha is None, e.linha or 0))
