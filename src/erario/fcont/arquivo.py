"""Conteúdo do arquivo SPED FCONT (Anexo I do ADE Cofis nº 31/2011), como dados imutáveis.

Um ``ArquivoFcont`` agrupa os registros de dados dos blocos 0, I, J e M, com a
hierarquia do manual (filhos dentro do pai: I051 no I050, I155 no I150, I156 no
I155, I250 no I200, I256 no I250, I355 no I350, I356 no I355, M155/M355 no
M030). Os nomes dos atributos são os mnemônicos do manual em minúsculas
(``dt_ini``, ``cod_cta``, ``vl_sld_ini``…), os mesmos do leiaute em
``erario.leiautes.fcont``.

Ficam de fora do modelo os registros que o escritor calcula: aberturas
(I001, J001, M001, 9001, com IND_DAD), encerramentos (I990, J990, M990, 9990,
9999) e o 9900. Um arquivo lido traz os valores informados desses registros em
``ArquivoFcont.controle`` (para o validador conferir); o escritor ignora
``controle`` e sempre recalcula.

Tipos: valores em ``Decimal`` com duas casas (nunca float, nunca negativos: o
sinal vai no indicador D/C), datas em ``datetime.date``, NIVEL e quantidades
em ``int``; códigos (CNPJ, município, indicadores numéricos) em ``str`` para
manter zeros à esquerda. Campo vazio = ``""``. ``linha`` é a linha do arquivo de
onde o registro foi lido (``None`` se montado em memória) e não entra na
comparação de igualdade.

Camada: domínio puro (sem SQLAlchemy, Typer ou FastAPI).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

ZERO: Final = Decimal("0.00")

# Indicador do tipo de lançamento (I200.IND_LCTO), tabela do manual.
TIPOS_LANCAMENTO: Final = ("X", "F", "TR", "TF", "TS", "EF", "IF", "IS")
# Código de natureza (I050.COD_NAT), tabela do manual.
NATUREZAS: Final = {
    "01": "Contas de ativo",
    "02": "Passivo circulante e passivo não circulante",
    "03": "Patrimônio líquido",
    "04": "Contas de resultado",
    "05": "Contas de compensação",
    "09": "Outras",
}


def _linha() -> int | None:
    return field(default=None, compare=False, repr=False)


# ----------------------------------------------------------------------------- bloco 0


@dataclass(frozen=True, slots=True)
class Registro0000:
    """Abertura do arquivo digital e identificação da pessoa jurídica."""

    dt_ini: dt.date
    dt_fin: dt.date
    nome: str
    cnpj: str
    uf: str = ""
    ie: str = ""
    cod_mun: str = ""
    im: str = ""
    ind_sit_esp: str = ""  # 1 cisão, 2 fusão, 3 incorporação, 4 encerramento
    ind_sit_ini_per: str = "0"  # 0 início do ano, 1 abertura, 2 pós-evento, 3 obrigatoriedade
    id_arq: str = "LALU"
    linha: int | None = _linha()


# ----------------------------------------------------------------------------- bloco I


@dataclass(frozen=True, slots=True)
class RegistroI051:
    """Plano de contas referencial (filho do I050)."""

    cod_ent_ref: str  # 00 Susep, 10 RFB, 20 Cosif
    cod_ccus: str
    cod_cta_ref: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI050:
    """Plano de contas do contribuinte."""

    dt_alt: dt.date
    cod_nat: str  # "01".."05", "09"
    ind_cta: str  # "S" sintética, "A" analítica
    nivel: int
    cod_cta: str
    cod_cta_sup: str
    cta: str
    referenciais: tuple[RegistroI051, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI075:
    """Tabela de histórico padronizado."""

    cod_hist: str
    descr_hist: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI100:
    """Centro de custos."""

    dt_alt: dt.date
    cod_ccus: str
    ccus: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI156:
    """Mapeamento referencial dos totais de débitos e créditos (filho do I155)."""

    cod_cta_ref: str
    vl_deb: Decimal
    vl_cred: Decimal
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI155:
    """Detalhe dos saldos periódicos (filho do I150): contas patrimoniais."""

    cod_cta: str
    cod_ccus: str
    vl_sld_ini: Decimal
    ind_dc_ini: str
    vl_deb: Decimal
    vl_cred: Decimal
    vl_sld_fin: Decimal
    ind_dc_fin: str
    mapeamentos: tuple[RegistroI156, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI150:
    """Saldos periódicos: identificação do período (até 4)."""

    dt_ini: dt.date
    dt_fin: dt.date
    saldos: tuple[RegistroI155, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI256:
    """Mapeamento referencial da partida (filho do I250)."""

    cod_cta_ref: str
    vl_dc: Decimal
    ind_dc: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI250:
    """Partida do lançamento (filho do I200)."""

    cod_cta: str
    cod_ccus: str
    vl_dc: Decimal
    ind_dc: str  # "D" ou "C"
    num_arq: str = ""
    cod_hist_pad: str = ""
    hist: str = ""
    cod_part: str = ""
    mapeamentos: tuple[RegistroI256, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI200:
    """Lançamento fiscal (X, F, TR, TF, TS, EF, IF, IS)."""

    num_lcto: str
    dt_lcto: dt.date
    vl_lcto: Decimal
    ind_lcto: str
    partidas: tuple[RegistroI250, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI356:
    """Mapeamento referencial do saldo de resultado (filho do I355)."""

    cod_cta_ref: str
    vl_cta: Decimal
    ind_dc: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI355:
    """Saldo da conta de resultado antes do encerramento (filho do I350)."""

    cod_cta: str
    cod_ccus: str
    vl_cta: Decimal
    ind_dc: str
    mapeamentos: tuple[RegistroI356, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroI350:
    """Saldos das contas de resultado antes do encerramento: data da apuração (até 4)."""

    dt_res: dt.date
    saldos: tuple[RegistroI355, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class BlocoI:
    """Bloco I na ordem do manual: I050, I075, I100, I150, I200, I350."""

    plano: tuple[RegistroI050, ...] = ()
    historicos: tuple[RegistroI075, ...] = ()
    centros_custo: tuple[RegistroI100, ...] = ()
    saldos_periodicos: tuple[RegistroI150, ...] = ()
    lancamentos: tuple[RegistroI200, ...] = ()
    resultados: tuple[RegistroI350, ...] = ()

    @property
    def vazio(self) -> bool:
        return not (
            self.plano
            or self.historicos
            or self.centros_custo
            or self.saldos_periodicos
            or self.lancamentos
            or self.resultados
        )


# ----------------------------------------------------------------------------- bloco J


@dataclass(frozen=True, slots=True)
class RegistroJ930:
    """Signatário da escrituração (900 = contador)."""

    ident_nom: str
    ident_cpf_cnpj: str
    ident_qualif: str
    cod_assin: str
    ind_crc: str = ""
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class BlocoJ:
    signatarios: tuple[RegistroJ930, ...] = ()

    @property
    def vazio(self) -> bool:
        return not self.signatarios


# ----------------------------------------------------------------------------- bloco M


@dataclass(frozen=True, slots=True)
class RegistroM020:
    """Qualificação da pessoa jurídica e retificação."""

    quali_pj: str  # 00 Susep, 10 PJ em geral (RFB), 20 Cosif
    tipo_escrit: str  # 0 original, 1 retificadora
    form_apur: str  # A anual, T trimestral
    form_tribut: str  # 1 real, 2 real arbitrado, 3 real presumido, 4 real presumido arbitrado
    nro_rec_anterior: str = ""
    id_escr_per_ant: str = ""
    sit_sld_per_ant: str = ""
    ind_lcto_ini_sld: str = ""
    trim_luc_arb: str = ""
    form_trib_tri: str = ""
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroM025:
    """Saldo inicial (fiscal e societário) recuperado de conta patrimonial."""

    cod_cta: str
    cod_ccus: str
    cod_cta_ref: str
    vl_sld_fin_fc: Decimal
    ind_dc_fin_fc: str
    vl_sld_fin_soc: Decimal
    ind_dc_fin_soc: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroM155:
    """Saldos referenciais das contas patrimoniais (calculado pelo PVA; filho do M030)."""

    cod_cta: str
    cod_ccus: str
    cod_cta_ref: str
    vl_sld_ini_soc_ant: Decimal
    ind_dc_ini_soc_ant: str
    vl_is_deb: Decimal
    vl_is_cred: Decimal
    vl_sld_ini_soc: Decimal
    ind_dc_ini_soc: str
    vl_sld_ini_fc_ant: Decimal
    ind_dc_ini_fc_ant: str
    vl_if_deb: Decimal
    vl_if_cred: Decimal
    vl_sld_ini_fc: Decimal
    ind_dc_ini_fc: str
    vl_deb_contabil: Decimal
    vl_cred_contabil: Decimal
    vl_deb_fcont_e: Decimal
    vl_cred_fcont_e: Decimal
    vl_deb_fcont_i: Decimal
    vl_cred_fcont_i: Decimal
    vl_tr_deb: Decimal
    vl_tr_cred: Decimal
    vl_tf_deb: Decimal
    vl_tf_cred: Decimal
    vl_ts_deb: Decimal
    vl_ts_cred: Decimal
    vl_ef_deb: Decimal
    vl_ef_cred: Decimal
    vl_sld_fin_fc: Decimal
    ind_dc_fin_fc: str
    vl_sld_fin_soc: Decimal
    ind_dc_fin_soc: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroM355:
    """Saldos referenciais das contas de resultado antes do encerramento (filho do M030)."""

    cod_cta: str
    cod_ccus: str
    cod_cta_ref: str
    vl_sld_fin_soc: Decimal
    ind_dc_fin_soc: str
    vl_deb_fcont_e: Decimal
    vl_cred_fcont_e: Decimal
    vl_deb_fcont_i: Decimal
    vl_cred_fcont_i: Decimal
    vl_sld_fin_fc_al: Decimal
    ind_dc_fin_fc_al: str
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class RegistroM030:
    """Período de apuração do lucro real (A00, T01..T04)."""

    ind_per: str
    vl_luc_liq: Decimal
    ind_luc_liq: str  # D prejuízo, C lucro
    saldos_patrimoniais: tuple[RegistroM155, ...] = ()
    saldos_resultado: tuple[RegistroM355, ...] = ()
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class BlocoM:
    """Bloco M (facultativo no arquivo de entrada do PVA; obrigatório no de saída)."""

    qualificacao: RegistroM020 | None = None
    saldos_iniciais: tuple[RegistroM025, ...] = ()
    periodos: tuple[RegistroM030, ...] = ()

    @property
    def vazio(self) -> bool:
        return self.qualificacao is None and not self.saldos_iniciais and not self.periodos


# ----------------------------------------------------------------------------- controle


@dataclass(frozen=True, slots=True)
class Registro9900:
    """Quantidade de linhas de um tipo de registro."""

    reg_blc: str
    qtd_reg_blc: int
    linha: int | None = _linha()


@dataclass(frozen=True, slots=True)
class Controle:
    """Valores informados nos registros calculados de um arquivo lido (o escritor recalcula).

    ``ind_dad``: IND_DAD de cada abertura presente (``"I001"`` → ``"0"``); ``qtd_lin``:
    QTD_LIN de cada encerramento presente (``"I990"``, ``"J990"``, ``"M990"``,
    ``"9990"``, ``"9999"``) com a linha onde estava; ``linhas``: tipo de registro de
    cada linha lida, na ordem (para contar)."""

    ind_dad: tuple[tuple[str, str, int], ...] = ()  # (registro, valor, linha)
    qtd_lin: tuple[tuple[str, int, int], ...] = ()  # (registro, valor, linha)
    contagens: tuple[Registro9900, ...] = ()
    linhas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArquivoFcont:
    """Uma escrituração FCONT inteira: blocos 0, I, J e M (o 9 é calculado)."""

    abertura: Registro0000
    bloco_i: BlocoI = BlocoI()
    bloco_j: BlocoJ = BlocoJ()
    bloco_m: BlocoM | None = None  # None: arquivo sem bloco M (facultativo na entrada)
    controle: Controle | None = field(default=None, compare=False, repr=False)


def decimal_dc(valor: Decimal, indicador: str) -> Decimal:
    """Valor com sinal: devedor positivo, credor negativo (convenção dos batimentos)."""
    return -valor if indicador == "C" else valor


def valor_e_indicador(saldo: Decimal) -> tuple[Decimal, str]:
    """Saldo com sinal → (valor absoluto, "D"/"C"); zero sai como devedor."""
    return (abs(saldo), "C") if saldo < 0 else (saldo, "D")
