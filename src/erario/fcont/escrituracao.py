"""Centro de escrituração: uma escrituração FCONT por empresa e período.

Guarda o que o arquivo pede além dos livros: os dados do registro 0000
(período, situação especial, indicador de início), do M020 (qualificação,
original/retificadora, forma de apuração e de tributação) e os signatários do
J930; e o ciclo de vida: criada → gerada (hash do último arquivo) → entregue
(recibo, hash, quem, quando). Os períodos do I150, I350 e M030 saem da forma de
apuração (``periodos``).

Funções puras; a gravação é de ``storage.fcont``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final, NamedTuple

from erario.core.codigos import UFS, cnpj_valido, cpf_valido, somente_digitos
from erario.core.erros import Erro

# J930.COD_ASSIN: tabela de qualificação do assinante (DNRC), manual 2.6.3.2.
QUALIFICACOES: Final = {
    "203": "Diretor",
    "204": "Conselheiro de Administração",
    "205": "Administrador",
    "206": "Administrador do Grupo",
    "207": "Administrador de Sociedade Filiada",
    "220": "Administrador Judicial – Pessoa Física",
    "222": "Administrador Judicial – Pessoa Jurídica - Profissional Responsável",
    "223": "Administrador Judicial/Gestor",
    "226": "Gestor Judicial",
    "309": "Procurador",
    "312": "Inventariante",
    "313": "Liquidante",
    "315": "Interventor",
    "801": "Empresário",
    "900": "Contador",
    "999": "Outros",
}
CONTADOR: Final = "900"


class Situacao(StrEnum):
    CRIADA = "criada"
    GERADA = "gerada"
    ENTREGUE = "entregue"


class Signatario(NamedTuple):
    """Registro J930."""

    nome: str
    documento: str  # CPF (11) ou CNPJ (14), só dígitos
    codigo: str  # COD_ASSIN
    crc: str = ""  # IND_CRC, obrigatório para o contador

    @property
    def qualificacao(self) -> str:
        return QUALIFICACOES.get(self.codigo, "")


class Escrituracao(NamedTuple):
    entidade: str
    inicio: dt.date  # 0000.DT_INI
    fim: dt.date  # 0000.DT_FIN
    signatarios: tuple[Signatario, ...]
    uf: str = ""
    ie: str = ""
    im: str = ""
    situacao_especial: str = (
        ""  # 0000.IND_SIT_ESP: 1 cisão, 2 fusão, 3 incorporação, 4 encerramento
    )
    inicio_periodo: str = "0"  # 0000.IND_SIT_INI_PER
    forma_apuracao: str = "A"  # M020.FORM_APUR: A anual, T trimestral
    forma_tributacao: str = "1"  # M020.FORM_TRIBUT: 1 real
    qualificacao_pj: str = "10"  # M020.QUALI_PJ: 10 PJ em geral (RFB)
    retificadora: bool = False
    recibo_anterior: str = ""
    trimestres: str = ""  # M020.FORM_TRIB_TRI (só na apuração trimestral)
    contrapartida_ef: str = ""  # conta de PL/apuração que recebe o EF proposto
    situacao: Situacao = Situacao.CRIADA
    sha256: str = ""  # do último arquivo gerado
    gerada_em: dt.datetime | None = None
    recibo: str = ""
    entregue_em: dt.datetime | None = None
    entregue_por: str = ""

    @property
    def ano(self) -> int:
        return self.inicio.year


class Periodo(NamedTuple):
    """Período de apuração: I150 (DT_INI, DT_FIN), I350 (DT_RES = fim) e M030 (IND_PER)."""

    inicio: dt.date
    fim: dt.date
    indicador: str  # A00, T01..T04


_FIM_TRIMESTRE: Final = ((3, 31), (6, 30), (9, 30), (12, 31))


def periodos(e: Escrituracao) -> list[Periodo]:
    """Anual: um período do 0000 (A00). Trimestral: os trimestres dentro do
    período do 0000 (REGRA_DT_INI_FORA_PERIODO_APURACAO e
    REGRA_DATA_FORA_PERIODO_APURACAO: 1º trimestre a partir de DT_INI; os demais
    de 01/04, 01/07, 01/10; fim em 31/03, 30/06, 30/09, 31/12 ou em DT_FIN)."""
    if e.forma_apuracao == "A":
        return [Periodo(e.inicio, e.fim, "A00")]
    saida = []
    for n, (mes, dia) in enumerate(_FIM_TRIMESTRE, start=1):
        ini = dt.date(e.inicio.year, 3 * n - 2, 1)
        fim = dt.date(e.inicio.year, mes, dia)
        if fim < e.inicio or ini > e.fim:
            continue
        saida.append(Periodo(max(ini, e.inicio), min(fim, e.fim), f"T{n:02d}"))
    return saida


def validar(e: Escrituracao) -> list[Erro]:
    """Todos os problemas dos dados da escrituração (regras do 0000, M020 e J930 que
    não dependem dos livros)."""
    erros: list[Erro] = []

    def erro(regra: str, msg: str, campo: str) -> None:
        erros.append(Erro(regra, msg, campo))

    if e.fim < e.inicio:
        erro("FCONT-PERIODO", "o fim do período é anterior ao início (REGRA_DATA_INI_MAIOR)", "fim")
    if e.fim.year != e.inicio.year:
        erro("FCONT-PERIODO", "início e fim em anos diferentes (REGRA_ANO_DIFERENTE)", "fim")
    if e.situacao_especial not in ("", "1", "2", "3", "4"):
        erro(
            "FCONT-SITUACAO",
            f"situação especial '{e.situacao_especial}' inválida: 1 cisão, 2 fusão, "
            "3 incorporação, 4 encerramento ou vazio",
            "situacao_especial",
        )
    if not e.situacao_especial and (e.fim.month, e.fim.day) != (12, 31):
        erro(
            "FCONT-PERIODO",
            "sem situação especial, o período termina em 31/12 (REGRA_DT_FINAL_ESCRITURACAO)",
            "fim",
        )
    if e.inicio_periodo not in ("0", "1", "2", "3"):
        erro("FCONT-SITUACAO", "indicador de início do período: use 0, 1, 2 ou 3", "inicio_periodo")
    elif e.inicio_periodo == "0" and (e.inicio.month, e.inicio.day) != (1, 1):
        erro(
            "FCONT-PERIODO",
            "com início no primeiro dia do ano (indicador 0), o período começa em 01/01 "
            "(REGRA_DT_INICIO_ESCRITURACAO)",
            "inicio",
        )
    if e.inicio < dt.date(2010, 1, 1):
        erro("FCONT-PERIODO", "o FCONT começa em 01/01/2010 (REGRA_DATA_MINIMA)", "inicio")
    if e.uf and e.uf not in UFS:
        erro("FCONT-UF", f"UF '{e.uf}' inválida (REGRA_TABELA_UF)", "uf")
    if e.forma_apuracao not in ("A", "T"):
        erro("FCONT-APURACAO", "forma de apuração: A (anual) ou T (trimestral)", "forma_apuracao")
    if e.forma_tributacao not in ("1", "2", "3", "4"):
        erro("FCONT-APURACAO", "forma de tributação: 1, 2, 3 ou 4", "forma_tributacao")
    elif e.forma_apuracao == "A" and e.forma_tributacao not in ("1", "2"):
        erro(
            "FCONT-APURACAO",
            "na apuração anual a tributação é 1 (real) ou 2 (real arbitrado) (REGRA_FORM_TRIB)",
            "forma_tributacao",
        )
    if e.forma_apuracao == "T" and (
        len(e.trimestres) != 4 or any(c not in "01234" for c in e.trimestres)
    ):
        erro(
            "FCONT-APURACAO",
            "na apuração trimestral informe a tributação de cada trimestre: 4 posições "
            "de 0 a 4 (REGRA_FORM_TRIB_TRI_OBRIGATORIO)",
            "trimestres",
        )
    if e.forma_apuracao == "A" and e.trimestres:
        erro("FCONT-APURACAO", "na apuração anual não se informam os trimestres", "trimestres")
    if e.qualificacao_pj not in ("00", "10", "20"):
        erro("FCONT-QUALIFICACAO", "qualificação da PJ: 00, 10 ou 20", "qualificacao_pj")
    if e.retificadora and not e.recibo_anterior:
        erro(
            "FCONT-RETIFICADORA",
            "retificadora exige o número do recibo anterior (REGRA_REC_ANTERIOR_OBRIGATORIO)",
            "recibo_anterior",
        )
    if not e.retificadora and e.recibo_anterior:
        erro(
            "FCONT-RETIFICADORA",
            "escrituração original não informa recibo anterior "
            "(REGRA_NRO_REC_ANTERIOR_NAO_SE_APLICA)",
            "recibo_anterior",
        )
    erros += validar_signatarios(e.signatarios)
    return erros


def validar_signatarios(signatarios: tuple[Signatario, ...]) -> list[Erro]:
    """J930: CPF/CNPJ válidos (validate-docbr), qualificação da tabela, contador
    com CPF e CRC, e ao menos um contador e um não contador
    (REGRA_OBRIGATORIO_ASSIN_CONTADOR)."""
    erros: list[Erro] = []
    for i, s in enumerate(signatarios, start=1):
        campo = f"signatário {i}"
        doc = somente_digitos(s.documento)
        if not s.nome.strip():
            erros.append(Erro("FCONT-SIGNATARIO", "nome do signatário é obrigatório", campo))
        if len(doc) == 11:
            if not cpf_valido(doc):
                erros.append(Erro("FCONT-SIGNATARIO", f"CPF {s.documento} inválido", campo))
        elif len(doc) == 14:
            if not cnpj_valido(doc):
                erros.append(Erro("FCONT-SIGNATARIO", f"CNPJ {s.documento} inválido", campo))
        else:
            erros.append(
                Erro("FCONT-SIGNATARIO", f"'{s.documento}': CPF (11) ou CNPJ (14 dígitos)", campo)
            )
        if s.codigo not in QUALIFICACOES:
            erros.append(
                Erro(
                    "FCONT-SIGNATARIO",
                    f"qualificação {s.codigo} fora da tabela do DNRC (REGRA_TABELA_ASSINANTE): "
                    + ", ".join(QUALIFICACOES),
                    campo,
                )
            )
        if s.codigo == CONTADOR:
            if len(doc) != 11:
                erros.append(
                    Erro(
                        "FCONT-SIGNATARIO", "o contador assina com CPF (REGRA_CONTADOR_CPF)", campo
                    )
                )
            if not s.crc.strip():
                erros.append(
                    Erro(
                        "FCONT-SIGNATARIO",
                        "o contador informa o CRC (REGRA_OBRIGATORIO_CONTADOR)",
                        campo,
                    )
                )
        if "|" in s.nome + s.crc:
            erros.append(Erro("FCONT-SIGNATARIO", "o caractere | não é aceito", campo))
    codigos = [s.codigo for s in signatarios]
    if CONTADOR not in codigos or all(c == CONTADOR for c in codigos):
        erros.append(
            Erro(
                "FCONT-SIGNATARIO",
                "são obrigatórias duas assinaturas: a do contador (900) e uma pela pessoa "
                "jurídica (REGRA_OBRIGATORIO_ASSIN_CONTADOR)",
                "signatarios",
            )
        )
    return erros


def ler_signatario(texto: str) -> Signatario:
    """``NOME;DOCUMENTO;CODIGO[;CRC]`` (a opção --signatario da CLI)."""
    partes = [p.strip() for p in texto.split(";")]
    partes += [""] * (4 - len(partes))
    return Signatario(partes[0], somente_digitos(partes[1]), partes[2], partes[3])
