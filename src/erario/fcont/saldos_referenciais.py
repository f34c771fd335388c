"""Saldos referenciais do bloco M (M155 e M355), calculados como o PVA calcula.

O manual (itens 2.6.4.5 e 2.6.4.6, observações dos registros M155 e M355) diz
como o PVA cria e preenche esses registros a partir do próprio arquivo; o
arquivo de saída os traz (coluna "Saída" do item 2.5). ``calcular`` segue as
observações ao pé da letra, sobre os registros já montados (I050/I051, I150/
I155/I156, I200/I250/I256, I350/I355/I356 e M025), e devolve, para cada I150
em ordem de data, os M155 e os M355 do M030 correspondente.

M155, por conta / centro de custos / conta referencial:

- criação: no primeiro período, um por M025 (saldos "ANT" = os do M025); nos
  seguintes, um por M155 do período anterior com saldo final fiscal ou
  societário diferente de zero ("ANT" = os finais dele); e, com "ANT" zerados,
  um por conta do I155 do período e por conta patrimonial (01, 02, 03) das
  partidas dos lançamentos TR, X, F, EF, IF e IS do período (TF e TS não criam:
  "já são recuperados", observação do manual);
- lançamentos: cada partida do período soma o seu valor (I256 da conta
  referencial, se houver; senão o I250 na conta referencial do I051) no campo do
  seu tipo e D/C (tabela ``CAMPO_M155``);
- débitos e créditos contábeis: os do I156 da conta referencial, se houver;
  senão os do I155, se o I051 em vigor no fim do período leva a essa conta
  referencial; senão zero;
- saldos: inicial societário = SOC_ANT + IS; inicial fiscal = FC_ANT + IF;
  final fiscal = inicial fiscal + débitos − créditos contábeis + TR + TF + EF −
  expurgos + inclusões (cada um devedor − credor); final societário = inicial
  societário + débitos − créditos + TS.

M355, por conta / centro de custos / conta referencial de cada I355 do período
(só os do I355: "para cada registro no I355 inserir um registro no M355"):
saldo societário = o do I355 (ou do I356); expurgos e inclusões = partidas X e F
do período; fiscal após lançamentos = societário − expurgos + inclusões.

Valores com sinal (devedor +, credor −) nas contas; no registro, valor absoluto
e D/C (``valor_e_indicador``: zero sai "D"). Só ``Decimal`` com duas casas, somas
exatas (nenhum arredondamento: todas as parcelas já têm duas casas).

Camada: domínio puro.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from erario.fcont.arquivo import (
    ZERO,
    BlocoI,
    RegistroI050,
    RegistroI150,
    RegistroI200,
    RegistroM025,
    RegistroM155,
    RegistroM355,
    decimal_dc,
    valor_e_indicador,
)

PATRIMONIAIS: Final = frozenset({"01", "02", "03"})
RESULTADO: Final = "04"
# "Cálculo dos Lançamentos" do M155: (IND_LCTO, D/C) → campo.
CAMPO_M155: Final[Mapping[tuple[str, str], str]] = {
    ("X", "D"): "vl_deb_fcont_e",
    ("X", "C"): "vl_cred_fcont_e",
    ("F", "D"): "vl_deb_fcont_i",
    ("F", "C"): "vl_cred_fcont_i",
    ("TR", "D"): "vl_tr_deb",
    ("TR", "C"): "vl_tr_cred",
    ("TF", "D"): "vl_tf_deb",
    ("TF", "C"): "vl_tf_cred",
    ("TS", "D"): "vl_ts_deb",
    ("TS", "C"): "vl_ts_cred",
    ("EF", "D"): "vl_ef_deb",
    ("EF", "C"): "vl_ef_cred",
    ("IS", "D"): "vl_is_deb",
    ("IS", "C"): "vl_is_cred",
    ("IF", "D"): "vl_if_deb",
    ("IF", "C"): "vl_if_cred",
}
# "Cálculo dos Lançamentos - M355": só expurgos e inclusões.
CAMPO_M355: Final[Mapping[tuple[str, str], str]] = {
    k: v for k, v in CAMPO_M155.items() if k[0] in ("X", "F")
}
# Tipos cujas partidas em conta patrimonial criam um M155 ("contas puramente fiscais").
CRIAM_M155: Final = frozenset({"TR", "X", "F", "EF", "IF", "IS"})

Chave = tuple[str, str, str]  # COD_CTA, COD_CCUS, COD_CTA_REF


@dataclass
class _Acumulador:
    """Um M155 (ou M355) em cálculo: saldos "ANT" com sinal e os campos somados."""

    soc_ant: Decimal = ZERO
    fc_ant: Decimal = ZERO
    campos: dict[str, Decimal] = field(default_factory=dict)

    def somar(self, campo: str, valor: Decimal) -> None:
        self.campos[campo] = self.campos.get(campo, ZERO) + valor

    def __getitem__(self, campo: str) -> Decimal:
        return self.campos.get(campo, ZERO)

    def liquido(self, debito: str, credito: str) -> Decimal:
        return self[debito] - self[credito]


class _Plano:
    """Versões do I050 por conta: natureza e I051 da conta ativa numa data."""

    def __init__(self, plano: Iterable[RegistroI050]) -> None:
        self._versoes: dict[str, list[RegistroI050]] = {}
        for c in sorted(plano, key=lambda c: c.dt_alt):
            self._versoes.setdefault(c.cod_cta, []).append(c)

    def ativa(self, cod_cta: str, data: dt.date) -> RegistroI050 | None:
        ativa = None
        for c in self._versoes.get(cod_cta, []):
            if c.dt_alt <= data:
                ativa = c
        return ativa

    def natureza(self, cod_cta: str, data: dt.date) -> str:
        conta = self.ativa(cod_cta, data)
        return conta.cod_nat if conta else ""

    def referenciais(self, cod_cta: str, ccus: str, data: dt.date) -> list[str]:
        conta = self.ativa(cod_cta, data)
        if conta is None:
            return []
        return [r.cod_cta_ref for r in conta.referenciais if r.cod_ccus == ccus]


def _partidas(
    lancamentos: Iterable[RegistroI200], p: RegistroI150, plano: _Plano
) -> Iterable[tuple[str, str, Chave, Decimal, str]]:
    """(IND_LCTO, natureza, chave, valor, D/C) de cada partida do período, já na conta
    referencial: a do I256, se houver; senão a do I051 ("Utilizando I051.COD_CTA_REF")."""
    for lc in lancamentos:
        if not p.dt_ini <= lc.dt_lcto <= p.dt_fin:
            continue
        for pt in lc.partidas:
            nat = plano.natureza(pt.cod_cta, p.dt_fin)
            if pt.mapeamentos:
                for m in pt.mapeamentos:
                    chave = (pt.cod_cta, pt.cod_ccus, m.cod_cta_ref)
                    yield lc.ind_lcto, nat, chave, m.vl_dc, m.ind_dc
            else:
                for ref in plano.referenciais(pt.cod_cta, pt.cod_ccus, p.dt_fin):
                    yield lc.ind_lcto, nat, (pt.cod_cta, pt.cod_ccus, ref), pt.vl_dc, pt.ind_dc


def _m155(
    p: RegistroI150,
    anteriores: Mapping[Chave, _Acumulador],
    lancamentos: Sequence[RegistroI200],
    plano: _Plano,
) -> dict[Chave, _Acumulador]:
    m: dict[Chave, _Acumulador] = {
        k: _Acumulador(a.soc_ant, a.fc_ant) for k, a in anteriores.items()
    }
    # Com origem no I155: a conta referencial do I156 ou, sem ele, a do I051.
    saldos = {(s.cod_cta, s.cod_ccus): s for s in p.saldos}
    for s in p.saldos:
        refs = [i.cod_cta_ref for i in s.mapeamentos] or plano.referenciais(
            s.cod_cta, s.cod_ccus, p.dt_fin
        )
        for ref in refs:
            m.setdefault((s.cod_cta, s.cod_ccus, ref), _Acumulador())
    partidas = list(_partidas(lancamentos, p, plano))
    # Com origem no I250: contas puramente fiscais.
    for tipo, nat, chave, _v, _dc in partidas:
        if tipo in CRIAM_M155 and nat in PATRIMONIAIS:
            m.setdefault(chave, _Acumulador())
    # Cálculo dos Lançamentos. Um TF/TS numa conta sem M155 criaria um (o manual supõe
    # que não acontece); melhor que perder o valor.
    for tipo, nat, chave, valor, dc in partidas:
        if nat in PATRIMONIAIS and (tipo, dc) in CAMPO_M155:
            m.setdefault(chave, _Acumulador()).somar(CAMPO_M155[(tipo, dc)], valor)
    # Cálculo dos Débitos e Créditos Societários.
    for (cta, ccus, ref), a in m.items():
        i155 = saldos.get((cta, ccus))
        if i155 is None:
            continue
        if i155.mapeamentos:
            for i in i155.mapeamentos:
                if i.cod_cta_ref == ref:
                    a.somar("vl_deb_contabil", i.vl_deb)
                    a.somar("vl_cred_contabil", i.vl_cred)
        elif ref in plano.referenciais(cta, ccus, p.dt_fin):
            a.somar("vl_deb_contabil", i155.vl_deb)
            a.somar("vl_cred_contabil", i155.vl_cred)
    return m


def _saldos(a: _Acumulador) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(inicial societário, inicial fiscal, final fiscal, final societário) com sinal."""
    ini_soc = a.soc_ant + a.liquido("vl_is_deb", "vl_is_cred")
    ini_fc = a.fc_ant + a.liquido("vl_if_deb", "vl_if_cred")
    contabil = a.liquido("vl_deb_contabil", "vl_cred_contabil")
    fin_fc = (
        ini_fc
        + contabil
        + a.liquido("vl_tr_deb", "vl_tr_cred")
        + a.liquido("vl_tf_deb", "vl_tf_cred")
        + a.liquido("vl_ef_deb", "vl_ef_cred")
        - a.liquido("vl_deb_fcont_e", "vl_cred_fcont_e")
        + a.liquido("vl_deb_fcont_i", "vl_cred_fcont_i")
    )
    fin_soc = ini_soc + contabil + a.liquido("vl_ts_deb", "vl_ts_cred")
    return ini_soc, ini_fc, fin_fc, fin_soc


def _vi(saldo: Decimal) -> tuple[Decimal, str]:
    """Valor e D/C; zero (inclusive −0,00 de um crédito nulo) sai 0,00 D."""
    return valor_e_indicador(saldo) if saldo else (ZERO, "D")


def _registro_m155(chave: Chave, a: _Acumulador) -> RegistroM155:
    ini_soc, ini_fc, fin_fc, fin_soc = _saldos(a)
    soc_ant, ind_soc_ant = _vi(a.soc_ant)
    fc_ant, ind_fc_ant = _vi(a.fc_ant)
    v_ini_soc, ind_ini_soc = _vi(ini_soc)
    v_ini_fc, ind_ini_fc = _vi(ini_fc)
    v_fin_fc, ind_fin_fc = _vi(fin_fc)
    v_fin_soc, ind_fin_soc = _vi(fin_soc)
    return RegistroM155(
        cod_cta=chave[0],
        cod_ccus=chave[1],
        cod_cta_ref=chave[2],
        vl_sld_ini_soc_ant=soc_ant,
        ind_dc_ini_soc_ant=ind_soc_ant,
        vl_is_deb=a["vl_is_deb"],
        vl_is_cred=a["vl_is_cred"],
        vl_sld_ini_soc=v_ini_soc,
        ind_dc_ini_soc=ind_ini_soc,
        vl_sld_ini_fc_ant=fc_ant,
        ind_dc_ini_fc_ant=ind_fc_ant,
        vl_if_deb=a["vl_if_deb"],
        vl_if_cred=a["vl_if_cred"],
        vl_sld_ini_fc=v_ini_fc,
        ind_dc_ini_fc=ind_ini_fc,
        vl_deb_contabil=a["vl_deb_contabil"],
        vl_cred_contabil=a["vl_cred_contabil"],
        vl_deb_fcont_e=a["vl_deb_fcont_e"],
        vl_cred_fcont_e=a["vl_cred_fcont_e"],
        vl_deb_fcont_i=a["vl_deb_fcont_i"],
        vl_cred_fcont_i=a["vl_cred_fcont_i"],
        vl_tr_deb=a["vl_tr_deb"],
        vl_tr_cred=a["vl_tr_cred"],
        vl_tf_deb=a["vl_tf_deb"],
        vl_tf_cred=a["vl_tf_cred"],
        vl_ts_deb=a["vl_ts_deb"],
        vl_ts_cred=a["vl_ts_cred"],
        vl_ef_deb=a["vl_ef_deb"],
        vl_ef_cred=a["vl_ef_cred"],
        vl_sld_fin_fc=v_fin_fc,
        ind_dc_fin_fc=ind_fin_fc,
        vl_sld_fin_soc=v_fin_soc,
        ind_dc_fin_soc=ind_fin_soc,
    )


def _m355(
    p: RegistroI150,
    bloco_i: BlocoI,
    lancamentos: Sequence[RegistroI200],
    plano: _Plano,
) -> list[RegistroM355]:
    soc: dict[Chave, Decimal] = {}
    for r in bloco_i.resultados:
        if not p.dt_ini <= r.dt_res <= p.dt_fin:
            continue
        for s in r.saldos:
            if s.mapeamentos:
                for i in s.mapeamentos:
                    chave = (s.cod_cta, s.cod_ccus, i.cod_cta_ref)
                    soc[chave] = soc.get(chave, ZERO) + decimal_dc(i.vl_cta, i.ind_dc)
            else:
                for ref in plano.referenciais(s.cod_cta, s.cod_ccus, r.dt_res):
                    chave = (s.cod_cta, s.cod_ccus, ref)
                    soc[chave] = soc.get(chave, ZERO) + decimal_dc(s.vl_cta, s.ind_dc)
    ajustes: dict[Chave, _Acumulador] = {k: _Acumulador() for k in soc}
    for tipo, _nat, chave, valor, dc in _partidas(lancamentos, p, plano):
        if chave in ajustes and (tipo, dc) in CAMPO_M355:
            ajustes[chave].somar(CAMPO_M355[(tipo, dc)], valor)
    saida = []
    for chave in sorted(soc):
        a = ajustes[chave]
        # Saldo fiscal após lançamentos = I355 − expurgos (D − C) + inclusões (D − C).
        fiscal = (
            soc[chave]
            - a.liquido("vl_deb_fcont_e", "vl_cred_fcont_e")
            + a.liquido("vl_deb_fcont_i", "vl_cred_fcont_i")
        )
        v_soc, ind_soc = _vi(soc[chave])
        v_fc, ind_fc = _vi(fiscal)
        saida.append(
            RegistroM355(
                chave[0],
                chave[1],
                chave[2],
                v_soc,
                ind_soc,
                a["vl_deb_fcont_e"],
                a["vl_cred_fcont_e"],
                a["vl_deb_fcont_i"],
                a["vl_cred_fcont_i"],
                v_fc,
                ind_fc,
            )
        )
    return saida


def calcular(
    bloco_i: BlocoI, iniciais: Sequence[RegistroM025]
) -> list[tuple[tuple[RegistroM155, ...], tuple[RegistroM355, ...]]]:
    """M155 e M355 de cada I150, na ordem das datas (a mesma dos M030)."""
    plano = _Plano(bloco_i.plano)
    # Primeiro período: os "ANT" vêm do M025.
    anteriores: dict[Chave, _Acumulador] = {}
    for r in iniciais:
        a = anteriores.setdefault((r.cod_cta, r.cod_ccus, r.cod_cta_ref), _Acumulador())
        a.soc_ant += decimal_dc(r.vl_sld_fin_soc, r.ind_dc_fin_soc)
        a.fc_ant += decimal_dc(r.vl_sld_fin_fc, r.ind_dc_fin_fc)
    saida = []
    for p in sorted(bloco_i.saldos_periodicos, key=lambda p: p.dt_ini):
        m = _m155(p, anteriores, bloco_i.lancamentos, plano)
        registros = tuple(_registro_m155(k, m[k]) for k in sorted(m))
        saida.append((registros, tuple(_m355(p, bloco_i, bloco_i.lancamentos, plano))))
        # Trimestres seguintes: "ANT" = finais do M155 anterior não zerados.
        anteriores = {}
        for k, a in m.items():
            _, _, fin_fc, fin_soc = _saldos(a)
            if fin_fc or fin_soc:
                anteriores[k] = _Acumulador(fin_soc, fin_fc)
    return saida
