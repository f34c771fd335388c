"""Eventos em JSON Lines: um evento por linha, todos os erros com linha e campo.

Esquema (docs/eventos.md): campos comuns ``tipo``, ``id``, ``entidade``, ``data``
(AAAA-MM-DD) e ``valor`` (texto ou número com até duas casas, nunca float),
mais os campos de cada tipo em ``CAMPOS``. O mesmo formato é o que o banco
guarda em ``evento.dados`` e o que a API aceitará.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, NamedTuple

from erario.core.conversores import Memoria
from erario.core.conversores import enum as _enum
from erario.core.conversores import propriedades as _propriedades
from erario.core.conversores import texto as _texto
from erario.core.dinheiro import ValorInvalido, centavos_de_texto, texto_de_centavos
from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.eventos import (
    AnulacaoDotacao,
    AnulacaoEmpenho,
    AnulacaoReserva,
    Arrecadacao,
    CancelamentoRestosAPagar,
    CoberturaCredito,
    CreditoAdicional,
    DeducaoReceita,
    DotacaoInicial,
    EmLiquidacao,
    Empenho,
    EmpenhoExtra,
    EncerramentoExercicio,
    Evento,
    IngressoExtra,
    Liquidacao,
    LiquidacaoExtra,
    ModalidadeCredito,
    ModalidadeEmpenho,
    Pagamento,
    PagamentoExtra,
    PrevisaoDeducao,
    PrevisaoReceita,
    ReservaDotacao,
    TransferenciaFinanceira,
)
from erario.orcamento.classificacao import (
    FonteRecurso,
    ler_dotacao,
    ler_fonte,
    ler_natureza_receita,
)
from erario.razao.carga import data_iso, sem_coleta_ciclica

ID_MAX: Final = 14  # o lançamento do evento leva o número "EV" + id (16 caracteres no e-Sfinge)
TIPO_ESTORNO: Final = "estorno"


class EstornoEvento(NamedTuple):
    """Estorno integral de um evento já registrado (gera o lançamento inverso)."""

    id: str
    entidade: str
    data: Any  # dt.date
    evento: str  # id do evento estornado
    tipo: str = TIPO_ESTORNO


# O que uma linha de eventos pode ser: evento orçamentário, estorno ou encerramento.
EventoCarga = Evento | EstornoEvento | EncerramentoExercicio

_CAMPOS_EXTRA: Final = (
    "fonte",
    "credor",
    "valor",
    "conta_passivo",
    "conta_banco?",
    "domicilio?",
    "entidade_conta?",
    "conta_bancaria?",
)

# Campos próprios de cada tipo, na ordem dos construtores (depois de id, entidade, data).
CAMPOS: Final[dict[str, tuple[type, tuple[str, ...]]]] = {
    "previsao_receita": (PrevisaoReceita, ("natureza_receita", "fonte", "valor", "propriedades?")),
    "previsao_deducao": (PrevisaoDeducao, ("natureza_receita", "fonte", "valor")),
    "deducao_receita": (
        DeducaoReceita,
        (
            "natureza_receita",
            "fonte",
            "valor",
            "conta_banco?",
            "domicilio?",
            "entidade_conta?",
            "conta_bancaria?",
            "conta_vpd?",
        ),
    ),
    "dotacao_inicial": (DotacaoInicial, ("dotacao", "fonte", "valor")),
    "credito_adicional": (
        CreditoAdicional,
        ("dotacao", "fonte", "valor", "modalidade", "cobertura?"),
    ),
    "anulacao_dotacao": (AnulacaoDotacao, ("dotacao", "valor")),
    "reserva_dotacao": (ReservaDotacao, ("dotacao", "valor")),
    "anulacao_reserva": (AnulacaoReserva, ("reserva", "valor")),
    "empenho": (
        Empenho,
        ("dotacao", "fonte", "credor", "valor", "modalidade?", "propriedades?", "reserva?"),
    ),
    "anulacao_empenho": (AnulacaoEmpenho, ("empenho", "valor")),
    "em_liquidacao": (
        EmLiquidacao,
        ("empenho", "valor", "conta_vpd", "conta_passivo", "documento"),
    ),
    "liquidacao": (
        Liquidacao,
        (
            "empenho",
            "valor",
            "conta_vpd?",  # obrigatórias sem em_liquidacao: ver _SEM_EM_LIQUIDACAO
            "conta_passivo?",
            "documento",
            "servico?",
            "descontos?",
            "conta_bancaria?",
            "apropriacao?",
            "gerado_por?",
            "em_liquidacao?",
        ),
    ),
    "pagamento": (
        Pagamento,
        (
            "liquidacao",
            "valor",
            "conta_banco?",
            "domicilio?",
            "entidade_conta?",
            "conta_bancaria?",
            "gerado_por?",
        ),
    ),
    "arrecadacao": (
        Arrecadacao,
        (
            "natureza_receita",
            "fonte",
            "valor",
            "conta_banco?",
            "domicilio?",
            "entidade_conta?",
            "conta_vpa",
            "conta_bancaria?",
            "propriedades?",
            "gerado_por?",
        ),
    ),
    "transferencia_financeira": (
        TransferenciaFinanceira,
        (
            "fonte",
            "valor",
            "entidade_destino",
            "conta_banco?",
            "domicilio?",
            "entidade_conta?",
            "conta_bancaria?",
            "conta_banco_destino?",
            "domicilio_destino?",
            "entidade_conta_destino?",
            "conta_bancaria_destino?",
        ),
    ),
    "ingresso_extraorcamentario": (
        IngressoExtra,
        (*_CAMPOS_EXTRA, "empenhos?", "gerado_por?"),
    ),
    "pagamento_extraorcamentario": (
        PagamentoExtra,
        (*_CAMPOS_EXTRA, "liquidacao?"),
    ),
    "empenho_extraorcamentario": (
        EmpenhoExtra,
        (
            "fonte",
            "credor",
            "valor",
            "conta",
            "historico?",
            "dotacao_extra?",
            "receitas?",
            "conta_bancaria?",
            "gerado_por?",
        ),
    ),
    "liquidacao_extraorcamentaria": (
        LiquidacaoExtra,
        ("empenho", "valor", "conta_bancaria?", "gerado_por?"),
    ),
    "cancelamento_restos_a_pagar": (
        CancelamentoRestosAPagar,
        ("empenho", "valor", "liquidacao?", "conta_vpa?", "em_liquidacao?"),
    ),
    "encerramento_exercicio": (EncerramentoExercicio, ()),
    TIPO_ESTORNO: (EstornoEvento, ("evento",)),
}


def _valor(v: Any) -> int:
    if isinstance(v, int | str) and not isinstance(v, bool):
        try:
            c = centavos_de_texto(str(v).strip())
        except ValorInvalido as exc:
            raise ValueError(str(exc)) from None
        if c <= 0:
            raise ValueError("valor deve ser positivo")
        return c
    raise ValueError("valor deve ser texto ou número com até duas casas")


class ErrosDoCampo(ValueError):
    """Recusa de um conversor que já tem os erros da regra (``ORC-FONTE``,
    ``ORC-DOTACAO``…): a carga os relata com o código e todos, não só a mensagem
    do primeiro (como ``ValueError``, a mensagem é a do primeiro)."""

    def __init__(self, erros: list[Erro]) -> None:
        super().__init__(erros[0].mensagem)
        self.erros = erros


def fonte(v: Any) -> FonteRecurso:
    """Conversor do campo ``fonte`` (também no cadastro das retenções): a fonte lida,
    ou ``ErrosDoCampo`` com os erros de ``ler_fonte``."""
    lida, erros = ler_fonte(_texto(v))
    if lida is None:
        raise ErrosDoCampo(erros)
    return lida


def _dotacao(v: Any) -> str:
    dotacao, erros = ler_dotacao(_texto(v))
    if dotacao is None:
        raise ErrosDoCampo(erros)
    return dotacao.codigo


def _natureza_receita(v: Any) -> str:
    nr, erros = ler_natureza_receita(_texto(v))
    if nr is None:
        raise ErrosDoCampo(erros)
    return nr


def _modalidade(v: Any) -> ModalidadeEmpenho:
    try:
        return ModalidadeEmpenho(_texto(v).lower())
    except ValueError:
        raise ValueError("use ordinario, estimativo ou global") from None


_CONVERSORES_CREDITO: Final[dict[str, Callable[[Any], Any]]] = {
    "modalidade": _enum(ModalidadeCredito),
    "cobertura": _enum(CoberturaCredito),
}


def _data(v: Any) -> Any:
    try:
        return data_iso(_texto(v))
    except ValueError:
        raise ValueError(f"data '{v}' inválida: use AAAA-MM-DD") from None


def _codigo(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int | str) or not str(v).strip().isdigit():
        raise ValueError("deve ser um código numérico positivo")
    if int(v) <= 0:
        raise ValueError("deve ser um código numérico positivo")
    return int(v)


def _descontos(v: Any) -> tuple[tuple[int, int, int], ...]:
    """``[{"desconto": 451, "valor": "110.00", "base": "1000.00"}]`` (base opcional)."""
    if not isinstance(v, list) or not all(isinstance(d, dict) for d in v):
        raise ValueError('use uma lista de objetos {"desconto": código, "valor": "0.00"}')
    saida = []
    for d in v:
        sobra = set(d) - {"desconto", "valor", "base"}
        if sobra or "desconto" not in d or "valor" not in d:
            raise ValueError('cada desconto tem "desconto", "valor" e, opcional, "base"')
        for campo in ("base", "valor"):  # "-110.00": o sinal é o problema
            if isinstance(d.get(campo), int | str) and str(d[campo]).strip().startswith("-"):
                raise ValueError(
                    f"valores negativos não são permitidos (desconto {d['desconto']}, "
                    f"{campo} {str(d[campo]).strip()})"
                )
        base = _valor(d["base"]) if d.get("base") not in (None, "", 0, "0") else 0
        saida.append((_codigo(d["desconto"]), base, _valor(d["valor"])))
    return tuple(saida)


def _ids(v: Any) -> tuple[str, ...]:
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
        raise ValueError('use uma lista de ids de eventos, p. ex. ["A1", "A2"]')
    return tuple(x.strip() for x in v)


_CONVERSORES: Final[dict[str, Callable[[Any], Any]]] = {
    "empenhos": _ids,
    "receitas": _ids,
    "servico": _codigo,
    "descontos": _descontos,
    "dotacao": _dotacao,
    "propriedades": _propriedades,
    "valor": _valor,
    "fonte": fonte,
    "natureza_receita": _natureza_receita,
    "modalidade": _modalidade,
}


def _memo(conversor: Callable[[Any], Any], so_texto: bool = True) -> Callable[[Any], Any]:
    """``conversor`` com ``Memoria``: um valor não texto (até uma lista) vai direto
    ao conversor. ``so_texto``: o conversor recusa tudo o que não é texto, e o
    caminho rápido usa a memória sem o invólucro (o valor aceita números: 1 e
    True teriam a mesma entrada)."""
    memoria = Memoria(conversor)

    def conv(v: Any) -> Any:
        if type(v) is not str:
            return conversor(v)
        return memoria[v]

    if so_texto:
        conv.memoria = memoria  # type: ignore[attr-defined]
    return conv


_CONVERSORES_MEMO: Final[dict[Callable[[Any], Any], Callable[[Any], Any]]] = {
    **{f: _memo(f) for f in (_data, _dotacao, fonte, _natureza_receita)},
    # o valor se repete do empenho à liquidação e ao pagamento
    _valor: _memo(_valor, so_texto=False),
}
# Textos que se repetem de evento a evento (entidade, credor, contas): um só objeto
# para todos, pois o controle guarda cada evento lido (~1/4 da memória com 1 milhão).
_TEXTO_REPETIDO: Final = _memo(_texto)
CAMPOS_REPETIDOS: Final = frozenset(
    {
        "entidade",
        "credor",
        "conta",
        "conta_banco",
        "conta_banco_destino",
        "conta_bancaria",
        "conta_bancaria_destino",
        "conta_passivo",
        "conta_vpa",
        "conta_vpd",
        "domicilio",
        "domicilio_destino",
        "dotacao_extra",
        "entidade_conta",
        "entidade_conta_destino",
        "entidade_destino",
    }
)


def _especificar(
    tipo: str, proprios: tuple[str, ...]
) -> tuple[tuple[tuple[str, bool, Callable[[Any], Any]], ...], frozenset[str]]:
    """(nome, opcional, conversor) de cada campo do tipo e os nomes aceitos."""
    campos = []
    for bruto in ("id", "entidade", "data", *proprios):
        nome = bruto.rstrip("?")
        conversor = _data if nome == "data" else _CONVERSORES.get(nome, _texto)
        if tipo == "credito_adicional" and nome in _CONVERSORES_CREDITO:
            conversor = _CONVERSORES_CREDITO[nome]
        if conversor is _texto and nome in CAMPOS_REPETIDOS:
            conversor = _TEXTO_REPETIDO
        campos.append((nome, bruto.endswith("?"), _CONVERSORES_MEMO.get(conversor, conversor)))
    aceitos = frozenset({"tipo", "id", "entidade", "data"} | {p.rstrip("?") for p in proprios})
    return tuple(campos), aceitos


# Campos de cada tipo já resolvidos (lidos a cada evento nas cargas grandes).
_ESPECIFICACAO: Final = {
    tipo: (classe, *_especificar(tipo, proprios)) for tipo, (classe, proprios) in CAMPOS.items()
}
_SEM_PADRAO: Final = object()  # campo obrigatório (conferido antes de montar)


class _Rapido(NamedTuple):
    """O caminho sem erro de um tipo: a classe, o conversor de cada campo aceito
    (o acerto da memória direto, sem o invólucro, onde só texto acerta), os
    obrigatórios e, na ordem da classe, os campos e os seus padrões (a tupla é
    montada sem argumentos nomeados, que custavam ~1/4 da leitura)."""

    classe: Any
    conversores: dict[str, Callable[[Any], Any]]
    obrigatorios: frozenset[str]
    nomes: tuple[str, ...]
    padroes: tuple[Any, ...]


def _conversor_rapido(conversor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    memoria = getattr(conversor, "memoria", None)
    return memoria.__getitem__ if memoria is not None else conversor


def _rapido(classe: Any, campos: tuple[tuple[str, bool, Callable[[Any], Any]], ...]) -> _Rapido:
    nomes = tuple(classe._fields)
    return _Rapido(
        classe,
        {nome: _conversor_rapido(conversor) for nome, _, conversor in campos},
        frozenset(nome for nome, opcional, _ in campos if not opcional),
        nomes,
        tuple(classe._field_defaults.get(n, _SEM_PADRAO) for n in nomes),
    )


_RAPIDO: Final = {
    tipo: _rapido(classe, campos) for tipo, (classe, campos, _) in _ESPECIFICACAO.items()
}
_COM_CONTA: Final = frozenset({"pagamento", "arrecadacao", "transferencia_financeira"})
# Campos da liquidação obrigatórios só quando ela não cita um evento em_liquidacao
# (com ele, vêm desse evento).
_SEM_EM_LIQUIDACAO: Final = ("conta_vpd", "conta_passivo")


def _exigido(tipo: object, nome: str, obj: dict[str, Any]) -> bool:
    """O campo opcional ``nome`` é exigido neste objeto? (só as contas da liquidação
    sem ``em_liquidacao``)"""
    return (
        tipo == "liquidacao"
        and nome in _SEM_EM_LIQUIDACAO
        and obj.get("em_liquidacao") in (None, "")
    )


def _evento_rapido(obj: dict[str, Any], tipo: str) -> EventoCarga | None:
    """O evento de ``evento_de_dict`` quando não há erro a relatar, percorrendo só
    os campos presentes; None diante de qualquer problema (o caminho completo
    refaz e relata tudo, na ordem dos campos)."""
    classe, conversores, obrigatorios, nomes, padroes = _RAPIDO[tipo]
    valores: dict[str, Any] = {}
    try:
        for nome, v in obj.items():
            conversor = conversores.get(nome)
            if conversor is None:
                if nome == "tipo":
                    continue
                return None  # campo que o tipo não tem
            if v is None or v == "":
                continue  # ausente: o padrão do evento, ou falta um obrigatório
            valores[nome] = conversor(v)
    except (ValueError, TypeError):  # TypeError: lista ou objeto onde cabe texto
        return None
    if not obrigatorios <= valores.keys() or len(valores["id"]) > ID_MAX:
        return None
    if (
        tipo == "liquidacao"
        and "em_liquidacao" not in valores
        and not ("conta_vpd" in valores and "conta_passivo" in valores)
    ):
        return None
    if "entidade_conta" in conversores and "entidade_conta" not in valores:
        valores["entidade_conta"] = valores["entidade"]
    if "entidade_conta_destino" in conversores and "entidade_conta_destino" not in valores:
        valores["entidade_conta_destino"] = valores.get("entidade_destino")
    if tipo in _COM_CONTA:
        if "conta_bancaria" not in valores and not (
            "conta_banco" in valores and "domicilio" in valores
        ):
            return None
        if (
            tipo == "transferencia_financeira"
            and "conta_bancaria_destino" not in valores
            and not ("conta_banco_destino" in valores and "domicilio_destino" in valores)
        ):
            return None
    # Os campos em ordem, o padrão onde falta (o tipo, que não se lê, sempre).
    evento: EventoCarga = classe._make(map(valores.get, nomes, padroes))
    return evento


def evento_de_dict(
    obj: Any, linha: int | None = None, origem: str | None = None
) -> tuple[Evento | EstornoEvento | EncerramentoExercicio | None, list[Erro]]:
    """Evento a partir do objeto JSON já lido; todos os campos errados relatados."""
    if type(obj) is dict:
        tipo = obj.get("tipo")
        if type(tipo) is str and tipo in _RAPIDO:
            evento = _evento_rapido(obj, tipo)
            if evento is not None:
                return evento, []
    return _evento_de_dict_completo(obj, linha, origem)


def _evento_de_dict_completo(
    obj: Any, linha: int | None = None, origem: str | None = None
) -> tuple[Evento | EstornoEvento | EncerramentoExercicio | None, list[Erro]]:
    """O caminho de referência de ``evento_de_dict``: confere campo a campo, na
    ordem do tipo, e relata todos os erros."""
    if not isinstance(obj, dict):
        return None, [
            Erro("EVENTO-JSON", "cada linha deve ser um objeto JSON", None, linha, origem)
        ]
    tipo = obj.get("tipo")
    espec = _ESPECIFICACAO.get(tipo) if isinstance(tipo, str) else None
    if espec is None:
        return None, [
            Erro(
                "EVENTO-TIPO",
                f"tipo '{tipo}' inválido: use " + ", ".join(CAMPOS),
                "tipo",
                linha,
                origem,
            )
        ]
    classe, campos, aceitos = espec
    erros: list[Erro] = []
    valores: dict[str, Any] = {}
    for nome, opcional, conversor in campos:
        v = obj.get(nome)
        if v is None or v == "":
            if opcional and not _exigido(tipo, nome, obj):
                # fica o padrão do evento (entidade_conta: a própria entidade)
                if nome == "entidade_conta":
                    valores[nome] = valores.get("entidade")
                elif nome == "entidade_conta_destino":
                    valores[nome] = valores.get("entidade_destino")
                continue
            erros.append(Erro("EVENTO-CAMPO", f"{nome} é obrigatório", nome, linha, origem))
            continue
        try:
            valores[nome] = conversor(v)
        except ErrosDoCampo as exc:  # o código da regra e todos os erros
            erros.extend(
                Erro(e.regra, f"{nome}: {e.mensagem}", nome, linha, origem) for e in exc.erros
            )
        except ValueError as exc:
            erros.append(Erro("EVENTO-CAMPO", f"{nome}: {exc}", nome, linha, origem))
    if "id" in valores and len(valores["id"]) > ID_MAX:
        erros.append(Erro("EVENTO-CAMPO", f"id: até {ID_MAX} caracteres", "id", linha, origem))
    if not obj.keys() <= aceitos:
        desconhecidos = sorted(set(obj) - aceitos)
        erros.append(
            Erro(
                "EVENTO-CAMPO",
                f"campos que o tipo {tipo} não tem: " + ", ".join(desconhecidos),
                desconhecidos[0],
                linha,
                origem,
            )
        )
    if tipo == "transferencia_financeira" and "conta_bancaria_destino" not in valores:
        faltam = [c for c in ("conta_banco_destino", "domicilio_destino") if c not in valores]
        if faltam:
            erros.append(
                Erro(
                    "EVENTO-CAMPO",
                    "informe conta_bancaria_destino (código do cadastro) ou "
                    "conta_banco_destino e domicilio_destino",
                    faltam[0],
                    linha,
                    origem,
                )
            )
    if (
        tipo in ("pagamento", "arrecadacao", "transferencia_financeira")
        and "conta_bancaria" not in valores
    ):
        faltam = [c for c in ("conta_banco", "domicilio") if c not in valores]
        if faltam:
            erros.append(
                Erro(
                    "EVENTO-CAMPO",
                    "informe conta_bancaria (código do cadastro) ou conta_banco e domicilio",
                    faltam[0],
                    linha,
                    origem,
                )
            )
    if erros:
        return None, erros
    return classe(**valores), []


_DECODIFICADOR: Final = json.JSONDecoder(parse_float=str)
_ESPACOS_JSON: Final = " \t\n\r"  # os espaços que o JSON aceita entre valores (RFC 8259)
# O varredor (em C) que ``_DECODIFICADOR.decode`` usa, sem o invólucro em Python.
_VARRER: Final[Callable[[str, int], tuple[Any, int]]] = json.scanner.make_scanner(
    _DECODIFICADOR  # type: ignore[arg-type]  # o typeshed pede o próprio make_scanner
)


def ler_json(texto: str) -> Any:
    """Um objeto JSON com os números lidos como texto exato (nunca float), como nas
    cargas: é assim que se relê ``evento.dados``. ``json.JSONDecodeError`` se não
    for JSON."""
    # O varredor em C direto (o que decode chama depois de pular espaços);
    # espaço no início ou sobra no fim: decode, que dá o erro.
    try:
        obj, fim = _VARRER(texto, 0)
    except StopIteration:
        return _DECODIFICADOR.decode(texto)
    if texto[fim:].strip(_ESPACOS_JSON):
        return _DECODIFICADOR.decode(texto)
    return obj


def evento_de_dados(dados: str) -> EventoCarga:
    """O evento gravado em ``evento.dados``: o texto JSON recebido ou a forma de
    ``dict_de_evento`` (ver ``Repositorio.registrar_eventos``). Quem exporta o
    evento usa ``dict_de_evento`` deste resultado, nunca o texto gravado.

    Como o texto recebido fica gravado, ``evento_de_dict`` não pode recusar o que
    uma versão anterior aceitou: regra nova de leitura vem com uma migração que
    reescreva ``dados`` na forma canônica."""
    ev, erros = evento_de_dict(ler_json(dados))
    if ev is None:  # aceito antes por esta mesma leitura: não deve acontecer
        raise OperacaoRecusada(erros)
    return ev


def objetos_jsonl(
    linhas: Iterable[str], regra: str, origem: str, erros: list[Erro]
) -> Iterator[tuple[int, Any]]:
    """(número da linha, objeto) de cada linha JSON; as que não são JSON viram
    erro ``regra`` em ``erros``; linhas em branco são puladas."""
    for n, obj, _ in _objetos_e_textos(linhas, regra, origem, erros):
        yield n, obj


def _objetos_e_textos(
    linhas: Iterable[str | bytes], regra: str, origem: str, erros: list[Erro]
) -> Iterator[tuple[int, Any, str | None]]:
    """``objetos_jsonl`` com o texto de cada linha, quando ele é texto JSON puro
    (str sem BOM, que ``ler_json`` relê igual); senão None."""
    for n, texto in enumerate(linhas, start=1):
        if not texto.strip():
            continue
        try:
            # Números lidos como texto exato: nunca float. Um só decodificador (o
            # json.loads cria um por chamada); BOM e bytes ficam com o json.loads.
            if type(texto) is str and not texto.startswith("\ufeff"):
                yield n, ler_json(texto), texto
            else:
                yield n, json.loads(texto, parse_float=str), None
        except json.JSONDecodeError as exc:
            erros.append(Erro(regra, f"JSON inválido: {exc.msg}", None, n, origem))


@sem_coleta_ciclica()
def ler_eventos_jsonl(
    linhas: Iterable[str], origem: str = "arquivo"
) -> tuple[list[tuple[int, EventoCarga]], list[Erro]]:
    """(linha, evento) de cada linha válida e os erros de todas as outras."""
    erros: list[Erro] = []
    return list(iterar_eventos_jsonl(linhas, origem, erros)), erros


# id(evento) → (evento, texto da linha JSON de que ele foi lido, a forma compacta
# quando o leitor já a tem: leitura_paralela); a referência ao evento impede que
# outro objeto ganhe o mesmo id enquanto a entrada existir.
TextosLidos = dict[int, tuple[EventoCarga, str, str | None]]


def iterar_eventos_jsonl(
    linhas: Iterable[str], origem: str, erros: list[Erro], textos: TextosLidos | None = None
) -> Iterator[tuple[int, EventoCarga]]:
    """Como ``ler_eventos_jsonl``, em fluxo: (linha, evento) de cada linha válida;
    os erros das outras vão para ``erros`` à medida que são lidas. Com ``textos``,
    guarda ali o texto JSON de cada evento lido (o que ``evento.dados`` grava,
    sem recodificar: ver ``Repositorio.registrar_eventos``)."""
    for n, obj, texto in _objetos_e_textos(linhas, "EVENTO-JSON", origem, erros):
        ev, erros_ev = evento_de_dict(obj, n, origem)
        if ev is None:
            erros.extend(erros_ev)
        else:
            if textos is not None and texto is not None:
                textos[id(ev)] = (ev, texto.strip(), None)
            yield n, ev


# Campos que ``dict_de_evento`` não escreve quando vazios (o leitor os trata como
# ausentes): assim a liquidação comum sai como antes do campo em_liquidacao.
_OMITIDOS_SE_VAZIOS: Final = frozenset({"em_liquidacao", *_SEM_EM_LIQUIDACAO})


def dict_de_evento(ev: Evento | EstornoEvento | EncerramentoExercicio) -> dict[str, Any]:
    """O evento no esquema JSON (o que ``evento_de_dict`` lê de volta)."""
    saida: dict[str, Any] = {}
    for nome, valor in zip(ev._fields, ev, strict=True):
        if nome == "data":
            valor = valor.isoformat()
        elif nome == "valor":
            valor = texto_de_centavos(valor)
        elif isinstance(valor, FonteRecurso) or nome == "tipo":
            valor = str(valor)
        elif nome == "propriedades":
            if not valor:
                continue
            valor = dict(valor)
        elif nome in _OMITIDOS_SE_VAZIOS and not valor:
            continue  # a liquidação sem em_liquidacao; as contas da que o cita
        elif nome in ("servico", "empenhos", "receitas"):
            if not valor:
                continue
            valor = list(valor) if isinstance(valor, tuple) else valor
        elif nome == "descontos":
            if not valor:
                continue
            valor = [
                {"desconto": c, "base": texto_de_centavos(b), "valor": texto_de_centavos(v)}
                if b
                else {"desconto": c, "valor": texto_de_centavos(v)}
                for c, b, v in valor
            ]
        saida[nome] = valor
    return saida
