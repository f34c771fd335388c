"""Tipos do motor de leiautes: registros imutáveis, sem regra de nenhum leiaute.

``Leiaute`` descreve; ``Pacote`` é uma instância (os dados a enviar). Valores
dentro do pacote: ``int`` (numérico sem casas), ``Decimal`` (numérico com casas,
nunca float), ``str`` (caractere) e ``datetime.date`` (data). Um pacote lido de
arquivo externo pode trazer outros tipos: o validador aponta cada um.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

Valor = int | Decimal | str | dt.date | None
Item = Mapping[str, object]  # um registro: chave do campo → valor


class Tipo(StrEnum):
    """Tipos de campo dos manuais."""

    NUMERICO = "N"
    CARACTERE = "C"
    DATA = "D"


class Obrigatoriedade(StrEnum):
    SIM = "sim"
    NAO = "nao"
    DEPENDE = "depende"  # "Depende dos dados": decidido por uma regra de registro


class Presenca(StrEnum):
    """Colunas "Entrada"/"Saída" dos manuais SPED: o registro é obrigatório (O),
    facultativo (F) ou não se aplica (N) àquele tipo de arquivo."""

    OBRIGATORIO = "O"
    FACULTATIVO = "F"
    NAO_SE_APLICA = "N"


@dataclass(frozen=True, slots=True)
class Campo:
    """Um campo do manual. ``numero`` e ``nome`` são os do manual (rastreio)."""

    numero: int
    nome: str
    chave: str  # nome no JSON (camelCase do e-Sfinge Online, p. ex.)
    tipo: Tipo
    tamanho: int | None = None  # dígitos (numérico, contando as casas) ou caracteres
    decimais: int = 0
    obrigatorio: Obrigatoriedade = Obrigatoriedade.SIM
    dominio: tuple[str, ...] = ()  # valores aceitos, quando o manual os enumera
    tabela: str | None = None  # ou: códigos de uma tabela do leiaute
    identificador: bool = False  # "#" do manual: compõe a chave do registro
    observacao: str = ""
    # Arquivos de texto SPED: "deverão conter exatamente a quantidade de caracteres indicada"
    # (com as casas e a vírgula); sem isso ``tamanho`` é o máximo.
    tamanho_exato: bool = False

    @property
    def rotulo(self) -> str:
        """``"4. Código da Conta Contábil"`` — como os erros citam o campo."""
        return f"{self.numero}. {self.nome}"


@dataclass(frozen=True, slots=True)
class Registro:
    """Um tipo de registro (uma "tabela" do manual)."""

    numero: int
    nome: str
    chave: str
    campos: tuple[Campo, ...]
    presenca: Obrigatoriedade = Obrigatoriedade.NAO
    somente_no_mes: int | None = None  # p. ex. 12: obrigatório e exclusivo nesse mês
    aba: str = ""  # nome da planilha no XLSX (até 31 caracteres)
    observacao: str = ""
    # Arquivos hierárquicos (SPED): nível, registro pai, máximo de ocorrências (por
    # arquivo se o nível é 0 ou 1, por pai nos demais) e presença em cada tipo de arquivo.
    nivel: int | None = None
    pai: str | None = None
    maximo: int | None = None
    entrada: Presenca = Presenca.FACULTATIVO
    saida: Presenca = Presenca.FACULTATIVO

    def campo(self, chave: str) -> Campo:
        for c in self.campos:
            if c.chave == chave:
                return c
        raise KeyError(chave)


@dataclass(frozen=True, slots=True)
class Totalizador:
    """Quantidade de registros de um tipo: calculada, nunca digitada."""

    numero: int
    nome: str
    chave: str
    registro: str  # chave do registro contado


@dataclass(frozen=True, slots=True)
class Codigo:
    codigo: str
    descricao: str
    confirmar: bool = False  # código sem fonte publicada: a confirmar com o órgão
    extra: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Tabela:
    """Tabela de códigos (p. ex. Tabela 118 do TCE-SC), editável como dado."""

    chave: str
    nome: str
    codigos: tuple[Codigo, ...]
    fonte: str = ""

    @property
    def a_confirmar(self) -> bool:
        """Todos os códigos sem fonte publicada: a tabela é um palpite do erario, e um
        código que ela não lista pode existir no órgão (aviso, não erro)."""
        return bool(self.codigos) and all(c.confirmar for c in self.codigos)

    def codigo(self, codigo: str) -> Codigo | None:
        for c in self.codigos:
            if c.codigo == codigo:
                return c
        return None


@dataclass(frozen=True, slots=True)
class Leiaute:
    codigo: str
    nome: str
    fonte: str
    parametros: Registro  # "Parâmetros de Entrada": um item por pacote
    registros: tuple[Registro, ...]
    totalizadores: tuple[Totalizador, ...] = ()
    tabelas: Mapping[str, Tabela] = field(default_factory=dict)
    regras: tuple[str, ...] = ()  # nomes das regras de registro deste leiaute
    periodo: str | None = None  # chave do parâmetro AAAAMM do pacote
    chave_totalizadores: str = "totalizadores"

    def registro(self, chave: str) -> Registro:
        for r in self.registros:
            if r.chave == chave:
                return r
        raise KeyError(chave)


@dataclass(frozen=True, slots=True)
class Pacote:
    """Uma remessa: parâmetros e os itens de cada tipo de registro.

    Um tipo ausente de ``registros`` não é enviado; presente e vazio, vai vazio.
    ``totalizadores`` só vem de arquivo externo (o gerado é calculado na escrita).
    """

    leiaute: str
    parametros: Item
    registros: Mapping[str, tuple[Item, ...]]
    totalizadores: Mapping[str, object] | None = None

    def itens(self, chave: str) -> tuple[Item, ...]:
        return self.registros.get(chave, ())

    def mes(self, leiaute: Leiaute) -> tuple[int, int] | None:
        """(ano, mês) do parâmetro de período, se válido."""
        if leiaute.periodo is None:
            return None
        v = self.parametros.get(leiaute.periodo)
        if isinstance(v, int) and not isinstance(v, bool) and 1 <= v % 100 <= 12:
            return v // 100, v % 100
        return None
