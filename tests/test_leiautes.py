"""Motor genérico de leiautes: leitura do TOML, validação campo a campo (todos os
problemas, nunca só o primeiro) e leitura/escrita JSON, com um leiaute mínimo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from erario.leiautes.carga import ler_leiaute
from erario.leiautes.escrita import ler_json, para_json
from erario.leiautes.modelo import Leiaute, Pacote
from erario.leiautes.validacao import validar

MINIMO = """
[leiaute]
codigo = "minimo"
nome = "Leiaute mínimo"
periodo = "anoMes"
regras = ["soma_positiva"]

[parametros]
nome = "Parâmetros"
chave = "parametros"
[[parametros.campos]]
numero = 1
nome = "Ano/Mês"
chave = "anoMes"
tipo = "N"
tamanho = 6

[[registros]]
numero = 1
nome = "Pagamento"
chave = "pagamento"
presenca = "sim"
[[registros.campos]]
numero = 1
nome = "Número"
chave = "numero"
tipo = "C"
tamanho = 4
identificador = true
[[registros.campos]]
numero = 2
nome = "Data"
chave = "data"
tipo = "D"
[[registros.campos]]
numero = 3
nome = "Valor"
chave = "valor"
tipo = "N"
tamanho = 6
decimais = 2
[[registros.campos]]
numero = 4
nome = "Forma"
chave = "forma"
tipo = "N"
tamanho = 2
obrigatorio = "nao"
tabela = "formas"

[[totalizadores]]
numero = 1
nome = "Quantidade de Pagamentos"
chave = "quantidadePagamentos"
registro = "pagamento"

[tabelas.formas]
nome = "Tabela de Formas"
[[tabelas.formas.codigos]]
codigo = "1"
descricao = "Cheque"
"""


def _leiaute() -> Leiaute:
    leiaute, erros = ler_leiaute(MINIMO, "minimo.toml")
    assert erros == [] and leiaute is not None
    return leiaute


def _pacote(*itens: dict[str, object], anomes: object = 202603) -> Pacote:
    return Pacote("minimo", {"anoMes": anomes}, {"pagamento": itens})


BOM = {"numero": "P1", "data": dt.date(2026, 3, 2), "valor": Decimal("10.50"), "forma": 1}


def test_pacote_bom_e_json() -> None:
    lei = _leiaute()
    pacote = _pacote(BOM)
    assert validar(lei, pacote, {"soma_positiva": lambda p: []}) == []
    texto = para_json(lei, pacote)
    assert texto == (
        "{\n"
        '  "anoMes": 202603,\n'
        '  "pagamento": [\n'
        "    {\n"
        '      "numero": "P1",\n'
        '      "data": "2026-03-02",\n'
        '      "valor": 10.50,\n'
        '      "forma": 1\n'
        "    }\n"
        "  ],\n"
        '  "totalizadores": {\n'
        '    "quantidadePagamentos": 1\n'
        "  }\n"
        "}\n"
    )
    lido, erros = ler_json(lei, texto)
    assert erros == [] and lido is not None
    assert lido.registros == pacote.registros and lido.totalizadores == {"quantidadePagamentos": 1}


def test_todos_os_problemas_de_campo_de_uma_vez() -> None:
    ruim = {
        "numero": "P12345",
        "data": "02/03/2026",
        "valor": Decimal("-1234.5"),
        "forma": 7,
        "extra": "x",
    }
    erros = [
        str(e)
        for e in validar(_leiaute(), _pacote(ruim, {"numero": ""}), {"soma_positiva": lambda p: []})
    ]
    assert erros == [
        "Pagamento, linha 1, campo extra: [LEI-CAMPO] campo 'extra' não existe no registro",
        "Pagamento, linha 1, campo 1. Número: [LEI-TAMANHO] texto com 6 caracteres; máximo 4",
        "Pagamento, linha 1, campo 2. Data: [LEI-TIPO] '02/03/2026' não é data AAAA-MM-DD",
        "Pagamento, linha 1, campo 3. Valor: [LEI-DECIMAIS] -1234.5 deve ter exatamente 2 casas decimais",
        "Pagamento, linha 1, campo 3. Valor: [LEI-NEGATIVO] valor -1234.5 negativo",
        "Pagamento, linha 1, campo 4. Forma: [LEI-DOMINIO] código 7 não está na Tabela de Formas",
        "Pagamento, linha 2, campo 1. Número: [LEI-OBRIGATORIO] campo obrigatório não informado",
        "Pagamento, linha 2, campo 2. Data: [LEI-OBRIGATORIO] campo obrigatório não informado",
        "Pagamento, linha 2, campo 3. Valor: [LEI-OBRIGATORIO] campo obrigatório não informado",
    ]


def test_tipos_numericos() -> None:
    erros = [
        str(e)
        for e in validar(
            _leiaute(),
            _pacote({**BOM, "valor": Decimal("12345.00"), "forma": "1"}, anomes="2026-03"),
            {"soma_positiva": lambda p: []},
        )
    ]
    assert erros == [
        "Parâmetros, campo 1. Ano/Mês: [LEI-TIPO] '2026-03' não é numérico inteiro",
        "Pagamento, linha 1, campo 3. Valor: [LEI-TAMANHO] 12345.00 tem 7 dígitos com as casas; máximo 6",
        "Pagamento, linha 1, campo 4. Forma: [LEI-TIPO] '1' não é numérico inteiro",
    ]


def test_registro_obrigatorio_desconhecido_chave_e_regra_ausente() -> None:
    lei = _leiaute()
    sem = Pacote("minimo", {"anoMes": 202603}, {"outro": ()})
    assert [str(e) for e in validar(lei, sem)] == [
        "outro: [LEI-REGISTRO] tipo de registro 'outro' não existe no leiaute",
        "Pagamento: [LEI-REGISTRO] tipo de registro obrigatório",
        "minimo: [LEI-REGRA] regra 'soma_positiva' do leiaute não implementada",
    ]
    repetido = _pacote(BOM, BOM)
    assert [str(e) for e in validar(lei, repetido, {"soma_positiva": lambda p: []})] == [
        "Pagamento, linha 2: [LEI-CHAVE] mesma identificação (1. Número) do item 1"
    ]


def test_json_ilegivel() -> None:
    lei = _leiaute()
    assert [str(e) for e in ler_json(lei, "{", "p.json")[1]] == [
        "p.json: [LEI-JSON] JSON inválido: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)"
    ]
    assert [str(e) for e in ler_json(lei, "[1]", "p.json")[1]] == [
        "p.json: [LEI-JSON] o pacote deve ser um objeto JSON"
    ]
    assert [str(e) for e in ler_json(lei, '{"pagamento": {}}', "p.json")[1]] == [
        "p.json: [LEI-JSON] 'pagamento' deve ser uma lista de objetos"
    ]


def test_leiaute_mal_declarado_lista_todos() -> None:
    texto = (
        MINIMO.replace('tipo = "D"', 'tipo = "Z"')
        .replace('tabela = "formas"', 'tabela = "inexistente"')
        .replace("numero = 4\n", "numero = 9\n")
    )
    leiaute, erros = ler_leiaute(texto, "ruim.toml")
    assert leiaute is None
    assert [str(e) for e in erros] == [
        "ruim.toml: [LEI-FORMATO] registro pagamento, campo 2: 'tipo' deve ser N, C ou D",
        "ruim.toml: [LEI-FORMATO] registro pagamento, campo 2: 'tamanho' obrigatório em campo numérico ou caractere",
        "ruim.toml: [LEI-FORMATO] registro pagamento, campo 9: tabela 'inexistente' não declarada",
        "ruim.toml: [LEI-FORMATO] registro pagamento: campos devem ser numerados 1, 2, 3… na ordem do manual",
    ]
