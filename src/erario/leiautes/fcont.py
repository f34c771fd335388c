"""SPED FCONT: o leiaute do Anexo I do ADE Cofis nº 31/2011 declarado como dados.

Cada registro do item 2.6 do manual (``../shared/specs/sped-fcont-manual.txt``,
seção "VI. Dados Técnicos de Geração do Arquivo") com os campos na ordem do
manual: número, mnemônico (``nome``; ``chave`` é o mnemônico em minúsculas, o
mesmo atributo de ``erario.fcont.arquivo``), tipo C/N, tamanho, decimais,
obrigatoriedade, valores válidos e tabela. O nível, a ocorrência e as colunas
"Entrada"/"Saída" vêm da tabela do item 2.5.

Convenções de tamanho (item 2.6, coluna "Tamanho"): tamanho expresso na coluna
é exato ("deverão conter exatamente a quantidade de caracteres indicada"; num
valor N 019 02 conta a vírgula: ``0000000000022422,40``), salvo IND_LCTO (C 002
com códigos de 1 caractere) e HIST (C 65535), que são máximos; sem tamanho, C
vai até 255 caracteres e N até 18 dígitos.

Camada: ``leiautes`` (depende só do motor).
"""

from __future__ import annotations

from functools import cache
from typing import Final

from erario.core.codigos import UFS
from erario.leiautes.modelo import (
    Campo,
    Codigo,
    Leiaute,
    Obrigatoriedade,
    Presenca,
    Registro,
    Tabela,
    Tipo,
)

CODIGO: Final = "sped_fcont"
FONTE: Final = "Anexo I do ADE Cofis nº 31/2011 (manual do fornecedor, seção VI)"
MAX_C: Final = 255  # "Todos os campos alfanuméricos terão tamanho máximo de 255"
MAX_N: Final = 18  # "Campos com conteúdo numérico (N): terão tamanho máximo de 18 dígitos"

O: Final = Presenca.OBRIGATORIO  # noqa: E741  (colunas O/F/N do manual)
F: Final = Presenca.FACULTATIVO
N: Final = Presenca.NAO_SE_APLICA

DC: Final = ("D", "C")
ZERO_UM: Final = ("0", "1")

# Regra do manual que confere cada tabela (as demais faixas de valores: REGRA_VALORES_VALIDOS_INVALIDO).
REGRA_DA_TABELA: Final = {
    "uf": "REGRA_TABELA_UF",
    "situacao_especial": "REGRA_TABELA_SITUACAO",
    "natureza": "REGRA_TABELA_NATUREZA",
    "entidades": "REGRA_TABELA_ENTIDADES",
    "assinante": "REGRA_TABELA_ASSINANTE",
}


def _c(
    numero: int,
    nome: str,
    tamanho: int | None = None,
    *,
    obrig: bool = True,
    dominio: tuple[str, ...] = (),
    tabela: str | None = None,
    maximo: bool = False,
) -> Campo:
    """Campo alfanumérico (C)."""
    return Campo(
        numero=numero,
        nome=nome,
        chave=nome.lower(),
        tipo=Tipo.CARACTERE,
        tamanho=tamanho or MAX_C,
        obrigatorio=Obrigatoriedade.SIM if obrig else Obrigatoriedade.NAO,
        dominio=dominio,
        tabela=tabela,
        tamanho_exato=tamanho is not None and not maximo,
    )


def _n(
    numero: int,
    nome: str,
    tamanho: int | None = None,
    decimais: int = 0,
    *,
    obrig: bool = True,
    dominio: tuple[str, ...] = (),
    tabela: str | None = None,
) -> Campo:
    """Campo numérico (N); ``tamanho`` em caracteres, contando a vírgula."""
    return Campo(
        numero=numero,
        nome=nome,
        chave=nome.lower(),
        tipo=Tipo.NUMERICO,
        tamanho=tamanho or MAX_N,
        decimais=decimais,
        obrigatorio=Obrigatoriedade.SIM if obrig else Obrigatoriedade.NAO,
        dominio=dominio,
        tabela=tabela,
        tamanho_exato=tamanho is not None,
    )


def _data(numero: int, nome: str, *, obrig: bool = True) -> Campo:
    """Data DDMMAAAA (N 008)."""
    return Campo(
        numero=numero,
        nome=nome,
        chave=nome.lower(),
        tipo=Tipo.DATA,
        tamanho=8,
        obrigatorio=Obrigatoriedade.SIM if obrig else Obrigatoriedade.NAO,
        tamanho_exato=True,
    )


def _valor(numero: int, nome: str) -> Campo:
    """Valor N 019 02: 19 caracteres com a vírgula, zeros à esquerda."""
    return _n(numero, nome, 19, 2)


def _reg(
    codigo: str,
    nome: str,
    nivel: int,
    entrada: Presenca,
    saida: Presenca,
    campos: tuple[Campo, ...],
    *,
    pai: str | None = None,
    maximo: int | None = None,
) -> Registro:
    reg = Campo(1, "REG", "reg", Tipo.CARACTERE, 4, dominio=(codigo,), tamanho_exato=True)
    return Registro(
        numero=0,
        nome=nome,
        chave=codigo,
        campos=(reg, *campos),
        presenca=Obrigatoriedade.SIM if saida == O else Obrigatoriedade.NAO,
        nivel=nivel,
        pai=pai,
        maximo=maximo,
        entrada=entrada,
        saida=saida,
    )


def _abertura(codigo: str, nome: str, entrada: Presenca) -> Registro:
    return _reg(codigo, nome, 1, entrada, O, (_n(2, "IND_DAD", 1, dominio=ZERO_UM),), maximo=1)


def _encerramento(codigo: str, nome: str, campo: str, entrada: Presenca) -> Registro:
    return _reg(codigo, nome, 1, entrada, O, (_n(2, campo),), maximo=1)


def _m155() -> tuple[Campo, ...]:
    nomes = (
        ("VL_SLD_INI_SOC_ANT", "IND_DC_INI_SOC_ANT"),
        ("VL_IS_DEB", None),
        ("VL_IS_CRED", None),
        ("VL_SLD_INI_SOC", "IND_DC_INI_SOC"),
        ("VL_SLD_INI_FC_ANT", "IND_DC_INI_FC_ANT"),
        ("VL_IF_DEB", None),
        ("VL_IF_CRED", None),
        ("VL_SLD_INI_FC", "IND_DC_INI_FC"),
        ("VL_DEB_CONTABIL", None),
        ("VL_CRED_CONTABIL", None),
        ("VL_DEB_FCONT_E", None),
        ("VL_CRED_FCONT_E", None),
        ("VL_DEB_FCONT_I", None),
        ("VL_CRED_FCONT_I", None),
        ("VL_TR_DEB", None),
        ("VL_TR_CRED", None),
        ("VL_TF_DEB", None),
        ("VL_TF_CRED", None),
        ("VL_TS_DEB", None),
        ("VL_TS_CRED", None),
        ("VL_EF_DEB", None),
        ("VL_EF_CRED", None),
        ("VL_SLD_FIN_FC", "IND_DC_FIN_FC"),
        ("VL_SLD_FIN_SOC", "IND_DC_FIN_SOC"),
    )
    campos = [_c(2, "COD_CTA"), _c(3, "COD_CCUS", obrig=False), _c(4, "COD_CTA_REF")]
    for valor, indicador in nomes:
        campos.append(_valor(len(campos) + 2, valor))
        if indicador:
            campos.append(_c(len(campos) + 2, indicador, 1, obrig=False, dominio=DC))
    return tuple(campos)


def _tabelas() -> dict[str, Tabela]:
    def tab(chave: str, nome: str, pares: tuple[tuple[str, str], ...]) -> Tabela:
        return Tabela(chave, nome, tuple(Codigo(c, d) for c, d in pares), FONTE)

    return {
        "uf": tab("uf", "Tabela de Unidades da Federação", tuple((u, u) for u in sorted(UFS))),
        "situacao_especial": tab(
            "situacao_especial",
            "Tabela de Indicador de Situação Especial",
            (("1", "Cisão"), ("2", "Fusão"), ("3", "Incorporação"), ("4", "Encerramento")),
        ),
        "natureza": tab(
            "natureza",
            "Tabela de Natureza das Contas/Grupo de Contas",
            (
                ("01", "Contas de ativo"),
                ("02", "Passivo circulante e passivo não circulante"),
                ("03", "Patrimônio líquido"),
                ("04", "Contas de resultado"),
                ("05", "Contas de compensação"),
                ("09", "Outras"),
            ),
        ),
        "entidades": tab(
            "entidades",
            "Tabela de Entidades Responsáveis pelo Plano de Contas Referencial",
            (("00", "Susep"), ("10", "Receita Federal do Brasil"), ("20", "Banco Central (Cosif)")),
        ),
        "assinante": tab(
            "assinante",
            "Tabela de Qualificação do Assinante",
            (
                ("203", "Diretor"),
                ("204", "Conselheiro de Administração"),
                ("205", "Administrador"),
                ("206", "Administrador do Grupo"),
                ("207", "Administrador de Sociedade Filiada"),
                ("220", "Administrador Judicial – Pessoa Física"),
                ("222", "Administrador Judicial – Pessoa Jurídica - Profissional Responsável"),
                ("223", "Administrador Judicial/Gestor"),
                ("226", "Gestor Judicial"),
                ("309", "Procurador"),
                ("312", "Inventariante"),
                ("313", "Liquidante"),
                ("315", "Interventor"),
                ("801", "Empresário"),
                ("900", "Contador"),
                ("999", "Outros"),
            ),
        ),
    }


def _registros() -> tuple[Registro, ...]:
    return (
        _reg(
            "0000",
            "Abertura do Arquivo Digital e Identificação da Pessoa Jurídica",
            0,
            O,
            O,
            (
                _c(2, "ID_ARQ", 4, dominio=("LALU",)),
                _data(3, "DT_INI"),
                _data(4, "DT_FIN"),
                _c(5, "NOME"),
                _n(6, "CNPJ", 14),
                _c(7, "UF", 2, obrig=False, tabela="uf"),
                _c(8, "IE", obrig=False),
                _n(9, "COD_MUN", 7, obrig=False),
                _c(10, "IM", obrig=False),
                _n(11, "IND_SIT_ESP", 1, obrig=False, tabela="situacao_especial"),
                _n(12, "IND_SIT_INI_PER", 1, dominio=("0", "1", "2", "3")),
            ),
            maximo=1,
        ),
        _abertura("I001", "Abertura do Bloco I", F),
        _reg(
            "I050",
            "Plano de Contas",
            2,
            F,
            O,
            (
                _data(2, "DT_ALT"),
                _c(3, "COD_NAT", 2, tabela="natureza"),
                _c(4, "IND_CTA", 1, dominio=("S", "A")),
                _n(5, "NIVEL"),
                _c(6, "COD_CTA"),
                _c(7, "COD_CTA_SUP", obrig=False),
                _c(8, "CTA"),
            ),
            pai="I001",
        ),
        _reg(
            "I051",
            "Plano de Contas Referencial",
            3,
            F,
            F,
            (
                _c(2, "COD_ENT_REF", 2, tabela="entidades"),
                _c(3, "COD_CCUS", obrig=False),
                _c(4, "COD_CTA_REF"),
            ),
            pai="I050",
        ),
        _reg(
            "I075",
            "Tabela de Histórico Padronizado",
            2,
            F,
            F,
            (_c(2, "COD_HIST"), _c(3, "DESCR_HIST")),
            pai="I001",
        ),
        _reg(
            "I100",
            "Centro de Custos",
            2,
            F,
            F,
            (_data(2, "DT_ALT"), _c(3, "COD_CCUS"), _c(4, "CCUS")),
            pai="I001",
        ),
        _reg(
            "I150",
            "Saldos Periódicos – Identificação do Período",
            2,
            F,
            O,
            (_data(2, "DT_INI"), _data(3, "DT_FIN")),
            pai="I001",
            maximo=4,
        ),
        _reg(
            "I155",
            "Detalhe dos Saldos Periódicos",
            3,
            F,
            O,
            (
                _c(2, "COD_CTA"),
                _c(3, "COD_CCUS", obrig=False),
                _valor(4, "VL_SLD_INI"),
                _c(5, "IND_DC_INI", 1, obrig=False, dominio=DC),
                _valor(6, "VL_DEB"),
                _valor(7, "VL_CRED"),
                _valor(8, "VL_SLD_FIN"),
                _c(9, "IND_DC_FIN", 1, obrig=False, dominio=DC),
            ),
            pai="I150",
        ),
        _reg(
            "I156",
            "Mapeamento Referencial dos Totais de Débitos e Créditos",
            4,
            F,
            F,
            (_c(2, "COD_CTA_REF"), _valor(3, "VL_DEB"), _valor(4, "VL_CRED")),
            pai="I155",
        ),
        _reg(
            "I200",
            "Lançamentos",
            2,
            F,
            F,
            (
                _c(2, "NUM_LCTO"),
                _data(3, "DT_LCTO"),
                _valor(4, "VL_LCTO"),
                _c(
                    5,
                    "IND_LCTO",
                    2,
                    dominio=("X", "F", "TR", "TF", "TS", "EF", "IF", "IS"),
                    maximo=True,
                ),
            ),
            pai="I001",
        ),
        _reg(
            "I250",
            "Partidas do Lançamento",
            3,
            F,
            F,
            (
                _c(2, "COD_CTA"),
                _c(3, "COD_CCUS", obrig=False),
                _valor(4, "VL_DC"),
                _c(5, "IND_DC", 1, dominio=DC),
                _c(6, "NUM_ARQ", obrig=False),
                _c(7, "COD_HIST_PAD", obrig=False),
                _c(8, "HIST", 65535, obrig=False, maximo=True),
                _c(9, "COD_PART", obrig=False),
            ),
            pai="I200",
        ),
        _reg(
            "I256",
            "Mapeamento Referencial das Partidas do Lançamento",
            4,
            F,
            F,
            (_c(2, "COD_CTA_REF"), _valor(3, "VL_DC"), _c(4, "IND_DC", 1, dominio=DC)),
            pai="I250",
        ),
        _reg(
            "I350",
            "Saldos das Contas de Resultado antes do Encerramento – Identificação da Data",
            2,
            F,
            O,
            (_data(2, "DT_RES"),),
            pai="I001",
            maximo=4,
        ),
        _reg(
            "I355",
            "Detalhes dos Saldos das Contas de Resultado antes do Encerramento",
            3,
            F,
            O,
            (
                _c(2, "COD_CTA"),
                _c(3, "COD_CCUS", obrig=False),
                _valor(4, "VL_CTA"),
                _c(5, "IND_DC", 1, dominio=DC),
            ),
            pai="I350",
        ),
        _reg(
            "I356",
            "Mapeamento Referencial dos Saldos Finais das Contas de Resultado",
            4,
            F,
            F,
            (_c(2, "COD_CTA_REF"), _valor(3, "VL_CTA"), _c(4, "IND_DC", 1, dominio=DC)),
            pai="I355",
        ),
        _encerramento("I990", "Encerramento do Bloco I", "QTD_LIN_I", F),
        _abertura("J001", "Abertura do Bloco J", F),
        _reg(
            "J930",
            "Identificação dos Signatários da Escrituração",
            2,
            F,
            O,
            (
                _c(2, "IDENT_NOM"),
                _n(3, "IDENT_CPF_CNPJ"),
                _c(4, "IDENT_QUALIF"),
                _c(5, "COD_ASSIN", 3, tabela="assinante"),
                _c(6, "IND_CRC", obrig=False),
            ),
            pai="J001",
            maximo=2,
        ),
        _encerramento("J990", "Encerramento do Bloco J", "QTD_LIN_J", F),
        _abertura("M001", "Abertura do Bloco M", F),
        _reg(
            "M020",
            "Qualificação da Pessoa Jurídica e Retificação",
            2,
            F,
            O,
            (
                _c(2, "QUALI_PJ", 2, dominio=("00", "10", "20")),
                _n(3, "TIPO_ESCRIT", 1, dominio=ZERO_UM),
                _c(4, "NRO_REC_ANTERIOR", 41, obrig=False),
                _c(5, "ID_ESCR_PER_ANT", 40, obrig=False),
                _c(6, "SIT_SLD_PER_ANT", 1, obrig=False, dominio=("R", "N", "E", "I")),
                _n(7, "IND_LCTO_INI_SLD", 1, obrig=False, dominio=ZERO_UM),
                _c(8, "FORM_APUR", 1, dominio=("A", "T")),
                _n(9, "FORM_TRIBUT", 1, dominio=("1", "2", "3", "4")),
                _c(10, "TRIM_LUC_ARB", 4, obrig=False),
                _c(11, "FORM_TRIB_TRI", 4, obrig=False),
            ),
            pai="M001",
            maximo=1,
        ),
        _reg(
            "M025",
            "Saldos Iniciais das Contas Patrimoniais Recuperados/Preenchidos",
            2,
            F,
            O,
            (
                _c(2, "COD_CTA"),
                _c(3, "COD_CCUS", obrig=False),
                _c(4, "COD_CTA_REF"),
                _valor(5, "VL_SLD_FIN_FC"),
                _c(6, "IND_DC_FIN_FC", 1, dominio=DC),
                _valor(7, "VL_SLD_FIN_SOC"),
                _c(8, "IND_DC_FIN_SOC", 1, dominio=DC),
            ),
            pai="M001",
        ),
        _reg(
            "M030",
            "Identificação do Período de Apuração do Lucro Real",
            2,
            F,
            O,
            (
                _c(2, "IND_PER", 3, dominio=("A00", "T01", "T02", "T03", "T04")),
                _valor(3, "VL_LUC_LIQ"),
                _c(4, "IND_LUC_LIQ", 1, dominio=DC),
            ),
            pai="M001",
            maximo=4,
        ),
        _reg(
            "M155",
            "Detalhes dos Saldos Referenciais das Contas Patrimoniais",
            3,
            F,
            O,
            _m155(),
            pai="M030",
        ),
        _reg(
            "M355",
            "Detalhes dos Saldos Referenciais das Contas de Resultado antes do Encerramento",
            3,
            F,
            O,
            (
                _c(2, "COD_CTA"),
                _c(3, "COD_CCUS", obrig=False),
                _c(4, "COD_CTA_REF"),
                _valor(5, "VL_SLD_FIN_SOC"),
                _c(6, "IND_DC_FIN_SOC", 1, obrig=False, dominio=DC),
                _valor(7, "VL_DEB_FCONT_E"),
                _valor(8, "VL_CRED_FCONT_E"),
                _valor(9, "VL_DEB_FCONT_I"),
                _valor(10, "VL_CRED_FCONT_I"),
                _valor(11, "VL_SLD_FIN_FC_AL"),
                _c(12, "IND_DC_FIN_FC_AL", 1, obrig=False, dominio=DC),
            ),
            pai="M030",
        ),
        _encerramento("M990", "Encerramento do Bloco M", "QTD_LIN_M", F),
        _abertura("9001", "Abertura do Bloco 9", N),
        _reg(
            "9900",
            "Registros do Arquivo",
            2,
            N,
            O,
            (_c(2, "REG_BLC", 4), _n(3, "QTD_REG_BLC")),
            pai="9001",
        ),
        _encerramento("9990", "Encerramento do Bloco 9", "QTD_LIN_9", N),
        # Tabela do item 2.5: nível 0 (o item 2.6.5.4 diz 1); é o último registro do arquivo.
        _reg("9999", "Encerramento do Arquivo Digital", 0, F, O, (_n(2, "QTD_LIN"),), maximo=1),
    )


@cache
def leiaute() -> Leiaute:
    """O leiaute do FCONT (registros na ordem do manual, que é a ordem do arquivo)."""
    return Leiaute(
        codigo=CODIGO,
        nome="SPED FCONT — Controle Fiscal Contábil de Transição",
        fonte=FONTE,
        parametros=Registro(0, "Parâmetros", "parametros", ()),
        registros=_registros(),
        tabelas=_tabelas(),
    )


def bloco(codigo_registro: str) -> str:
    """Bloco do registro: o primeiro caractere do código (``"I155"`` → ``"I"``)."""
    return codigo_registro[0]
