"""Leitura de um arquivo FCONT de volta para o erario (ida e volta): ``ArquivoFcont``
→ os dados dos livros da empresa, prontos para gravar (``storage.fcont.gravar_leitura``).

Função pura: o arquivo entra; saem o plano da empresa (I050, com a natureza), o
mapeamento referencial (I051, em vigor desde o DT_ALT do I050), os centros de
custo (I100), o histórico padronizado (I075), a escrituração (0000, M020, J930),
os lançamentos fiscais (I200/I250, cada tipo no seu livro, como
``fcont.lancamentos_fiscais``) e o livro comercial reconstituído dos saldos —
ou todos os problemas.

O arquivo não traz os lançamentos comerciais, só os totais (I155: saldo inicial,
débitos e créditos de cada conta patrimonial; I355: saldo de cada conta de
resultado antes do encerramento). O livro comercial volta como três
lançamentos por período de apuração, que dão exatamente esses totais:

- abertura (período 0, 1º de janeiro): os saldos iniciais do primeiro I150;
- movimento (no fim do período): débitos e créditos de cada conta patrimonial e
  o saldo de cada conta de resultado;
- encerramento (período 13 em 31/12; no fim do período nos outros casos): zera
  as contas de resultado contra contas patrimoniais que tiveram o movimento
  correspondente (PL primeiro), descontado do movimento — o total de débitos e
  créditos de cada conta (com o encerramento, observações do I155) não muda.

O que o erario não guarda (e não volta igual ao gerar de novo) é relatado como
aviso ``FCONT-LER-PERDA``: NUM_ARQ, COD_HIST_PAD, COD_PART e COD_CCUS das partidas,
I156/I256/I356, COD_ENT_REF diferente de 10, versões do I050 (DT_ALT), a
qualificação do J930 fora do texto da tabela e o M025 fiscal diferente do
societário. O M155/M355 e o M030 são recalculados pela geração.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, NamedTuple

from erario.core.dinheiro import Dinheiro
from erario.core.erros import Erro
from erario.fcont import escrituracao as esc_mod
from erario.fcont.arquivo import ArquivoFcont, RegistroI050, RegistroI200, decimal_dc
from erario.fcont.escrituracao import Escrituracao, Signatario
from erario.fcont.lancamentos_fiscais import (
    PREFIXO_EXPURGO,
    TIPOS,
    TipoFiscal,
    lancamento_fiscal,
)
from erario.fcont.livros import (
    ENTIDADE_REFERENCIAL_RFB,
    PATRIMONIAIS,
    CentroCusto,
    Historico,
    Mapeamento,
    Natureza,
    PlanoEmpresa,
    ler_plano_empresa_csv,
)
from erario.razao.modelo import Lancamento, Partida, TipoLancamento

# Números de controle dos lançamentos comerciais reconstituídos (prefixo que um
# NUM_LCTO de lançamento fiscal dificilmente usa; o razão aceita até 16 caracteres):
# FCL-AB-2026, FCL-MV-2026-1, FCL-EN-2026-1.
PREFIXO_COMERCIAL: Final = "FCL"


class Empresa(NamedTuple):
    """Identificação do 0000: a entidade do tipo empresa."""

    nome: str
    cnpj: str
    ibge: str


class Importacao(NamedTuple):
    empresa: Empresa
    plano: PlanoEmpresa
    mapeamentos: list[Mapeamento]
    centros: list[CentroCusto]
    historicos: list[Historico]
    escrituracao: Escrituracao
    comerciais: list[Lancamento]  # livro C reconstituído dos saldos
    fiscais: list[Lancamento]  # I200, cada tipo no seu livro
    avisos: list[Erro]  # FCONT-LER-PERDA: o que não volta igual

    @property
    def ano(self) -> int:
        return self.escrituracao.inicio.year


def _centavos(valor: Decimal) -> int:
    return Dinheiro.arredondar(valor, ROUND_HALF_UP).centavos


def _perda(msg: str, origem: str, linha: int | None = None) -> Erro:
    return Erro("FCONT-LER-PERDA", msg, None, linha, origem)


# ------------------------------------------------------------------ plano
def _versoes_ativas(plano: Iterable[RegistroI050], fim: dt.date) -> dict[str, RegistroI050]:
    """COD_CTA → a versão do I050 em vigor no fim do arquivo (a de maior DT_ALT até lá;
    sem nenhuma até lá, a primeira)."""
    ativas: dict[str, RegistroI050] = {}
    for c in sorted(plano, key=lambda c: c.dt_alt):
        atual = ativas.get(c.cod_cta)
        if atual is None or c.dt_alt <= fim:
            ativas[c.cod_cta] = c
    return ativas


def _plano(
    arquivo: ArquivoFcont, nome: str
) -> tuple[PlanoEmpresa | None, list[Mapeamento], list[Erro], list[Erro]]:
    a0 = arquivo.abertura
    ativas = _versoes_ativas(arquivo.bloco_i.plano, a0.dt_fin)
    erros: list[Erro] = []
    avisos: list[Erro] = []
    if not ativas:
        return None, [], [Erro("FCONT-LER-PLANO", "o arquivo não tem plano de contas (I050)")], []
    sem_pontos = [c for c in ativas.values() if "." not in c.cod_cta]
    if sem_pontos:
        c = sem_pontos[0]
        erros.append(
            Erro(
                "FCONT-LER-CODIGO",
                f"conta {c.cod_cta} sem pontos ({len(sem_pontos)} conta(s) assim): o plano "
                "do erario tem máscara (níveis pelos pontos, p. ex. 1.1.1.01); converta os "
                "códigos do plano da empresa antes de ler",
                "COD_CTA",
                c.linha,
                "I050",
            )
        )
        return None, [], erros, avisos
    # CSV do ``ler_plano_empresa_csv``: as mesmas conferências da importação do plano.
    texto = io.StringIO()
    w = csv.writer(texto, delimiter=";", lineterminator="\n")
    w.writerow(("CONTA", "TITULO", "NATUREZA", "ESCRITURACAO"))
    contas = sorted(ativas.values(), key=lambda c: c.cod_cta)
    for c in contas:
        w.writerow((c.cod_cta, c.cta, c.cod_nat, "S" if c.ind_cta == "A" else "N"))
    pe, erros_plano = ler_plano_empresa_csv(texto.getvalue(), nome, "I050")
    linha_de = {i: c.linha for i, c in enumerate(contas, start=2)}
    erros += [e.em(linha=linha_de.get(e.linha or 0)) for e in erros_plano]
    if pe is not None:
        # O nível e a conta superior do erario saem da máscara: têm de ser os do arquivo.
        for c in contas:
            conta = pe.plano.contas[c.cod_cta]
            if conta.nivel != c.nivel or (conta.pai or "") != c.cod_cta_sup:
                erros.append(
                    Erro(
                        "FCONT-LER-PLANO",
                        f"conta {c.cod_cta}: no arquivo, nível {c.nivel} sob "
                        f"'{c.cod_cta_sup}'; pela máscara {pe.plano.mascara}, nível "
                        f"{conta.nivel} sob '{conta.pai or ''}'",
                        "NIVEL",
                        c.linha,
                        "I050",
                    )
                )
    mapeamentos = []
    versoes: dict[str, int] = defaultdict(int)
    for c in arquivo.bloco_i.plano:
        versoes[c.cod_cta] += 1
        for r in c.referenciais:
            if r.cod_ent_ref != ENTIDADE_REFERENCIAL_RFB:
                avisos.append(
                    _perda(
                        f"conta {c.cod_cta}: entidade referencial {r.cod_ent_ref} "
                        f"(o erario gera {ENTIDADE_REFERENCIAL_RFB}, RFB)",
                        "I051",
                        r.linha,
                    )
                )
            mapeamentos.append(Mapeamento(c.cod_cta, r.cod_ccus, r.cod_cta_ref, c.dt_alt))
    for c in contas:
        if versoes[c.cod_cta] > 1 or c.dt_alt != a0.dt_ini:
            avisos.append(
                _perda(
                    f"conta {c.cod_cta}: a geração informa DT_ALT = início da escrituração e "
                    "uma versão por conta (o mapeamento guarda a vigência)",
                    "I050",
                    c.linha,
                )
            )
    if erros:
        return None, [], erros, avisos
    return pe, mapeamentos, [], avisos


# ---------------------------------------------------------------- escrituração
def _escrituracao(arquivo: ArquivoFcont, slug: str) -> tuple[Escrituracao, list[Erro], list[Erro]]:
    a0 = arquivo.abertura
    avisos: list[Erro] = []
    sig = []
    for s in arquivo.bloco_j.signatarios:
        sig.append(Signatario(s.ident_nom, s.ident_cpf_cnpj, s.cod_assin, s.ind_crc))
        tabela = esc_mod.QUALIFICACOES.get(s.cod_assin, "")
        if s.ident_qualif != tabela:
            avisos.append(
                _perda(
                    f"signatário {s.ident_nom}: qualificação '{s.ident_qualif}' volta como "
                    f"'{tabela}' (texto da tabela do código {s.cod_assin})",
                    "J930",
                    s.linha,
                )
            )
    m = arquivo.bloco_m.qualificacao if arquivo.bloco_m is not None else None
    if m is None:
        avisos.append(_perda("sem M020: qualificação 10, original, anual, lucro real", "M020"))
    # Contrapartida do EF: a conta de PL dos lançamentos EF, se for uma só.
    pl = {
        p.cod_cta
        for lc in arquivo.bloco_i.lancamentos
        if lc.ind_lcto == TipoFiscal.EF.value
        for p in lc.partidas
        if _natureza(arquivo, p.cod_cta) == Natureza.PATRIMONIO_LIQUIDO.value
    }
    e = Escrituracao(
        entidade=slug,
        inicio=a0.dt_ini,
        fim=a0.dt_fin,
        signatarios=tuple(sig),
        uf=a0.uf,
        ie=a0.ie,
        im=a0.im,
        situacao_especial=a0.ind_sit_esp,
        inicio_periodo=a0.ind_sit_ini_per,
        forma_apuracao=m.form_apur if m else "A",
        forma_tributacao=m.form_tribut if m else "1",
        qualificacao_pj=m.quali_pj if m else "10",
        retificadora=m is not None and m.tipo_escrit == "1",
        recibo_anterior=m.nro_rec_anterior if m else "",
        trimestres=m.form_trib_tri if m else "",
        contrapartida_ef=pl.pop() if len(pl) == 1 else "",
    )
    erros = [err.em(origem="0000/M020/J930") for err in esc_mod.validar(e)]
    return e, erros, avisos


def _natureza(arquivo: ArquivoFcont, cod_cta: str) -> str:
    ativas = _versoes_ativas(arquivo.bloco_i.plano, arquivo.abertura.dt_fin)
    c = ativas.get(cod_cta)
    return c.cod_nat if c else ""


# ---------------------------------------------------------- lançamentos fiscais
def _historico(lc: RegistroI200, historicos: dict[str, str]) -> str:
    """O histórico do lançamento: o HIST da primeira partida que o tem, senão o
    texto do histórico padronizado (I075)."""
    for p in lc.partidas:
        if p.hist.strip():
            return p.hist.strip()
    for p in lc.partidas:
        if p.cod_hist_pad in historicos:
            return historicos[p.cod_hist_pad]
    return f"Lançamento {lc.ind_lcto} {lc.num_lcto}"


def _fiscais(
    arquivo: ArquivoFcont, slug: str, pe: PlanoEmpresa
) -> tuple[list[Lancamento], list[Erro], list[Erro]]:
    historicos = {h.cod_hist: h.descr_hist for h in arquivo.bloco_i.historicos}
    saida: list[Lancamento] = []
    erros: list[Erro] = []
    avisos: list[Erro] = []
    for lc in arquivo.bloco_i.lancamentos:
        hist = _historico(lc, historicos)
        partidas = []
        for p in lc.partidas:
            perdidos = [
                nome
                for nome, valor in (
                    ("NUM_ARQ", p.num_arq),
                    ("COD_HIST_PAD", p.cod_hist_pad),
                    ("COD_PART", p.cod_part),
                    ("COD_CCUS", p.cod_ccus),
                )
                if valor
            ]
            if p.mapeamentos:
                perdidos.append("I256")
            if p.hist.strip() and p.hist.strip() != hist:
                perdidos.append("HIST próprio da partida")
            if perdidos:
                avisos.append(
                    _perda(
                        f"lançamento {lc.num_lcto}: {', '.join(perdidos)} não se guarda(m) "
                        "(a geração repete o histórico do lançamento em todas as partidas)",
                        "I250",
                        p.linha,
                    )
                )
            partidas.append(
                Partida(p.cod_cta, p.ind_dc, _centavos(p.vl_dc), historico=p.hist.strip())
            )
        partidas = [
            p._replace(historico="" if p.historico == hist else p.historico) for p in partidas
        ]
        try:
            tipo = TipoFiscal(lc.ind_lcto)
        except ValueError:
            erros.append(
                Erro("FCONT-TIPO", f"tipo '{lc.ind_lcto}' inválido", "IND_LCTO", lc.linha, "I200")
            )
            continue
        if tipo == TipoFiscal.X:
            # O comercial expurgado não está no arquivo: o X guarda o número dele
            # (observação do I200) e o razão numera o X.
            saida.append(
                Lancamento(
                    slug,
                    lc.dt_lcto,
                    hist,
                    tuple(partidas),
                    livro=TIPOS[tipo].livro,
                    origem=f"{PREFIXO_EXPURGO}{lc.num_lcto}",
                )
            )
            continue
        novo, e = lancamento_fiscal(
            tipo, slug, lc.dt_lcto, hist, partidas, pe.naturezas, numero=lc.num_lcto
        )
        erros += [x.em(linha=lc.linha, origem="I200") for x in e]
        if novo is not None:
            saida.append(novo)
    return saida, erros, avisos


# ------------------------------------------------------ livro comercial (saldos)
def _comerciais(
    arquivo: ArquivoFcont, slug: str, pe: PlanoEmpresa
) -> tuple[list[Lancamento], list[Erro], list[Erro]]:
    bi = arquivo.bloco_i
    erros: list[Erro] = []
    avisos: list[Erro] = []
    saida: list[Lancamento] = []
    resultados = {r.dt_res: r for r in bi.resultados}
    anterior: dict[str, int] | None = None
    ano = arquivo.abertura.dt_ini.year
    for n, p in enumerate(sorted(bi.saldos_periodicos, key=lambda x: x.dt_ini), start=1):
        # conta → [inicial com sinal, débitos, créditos]
        tot: dict[str, list[int]] = {}
        for s in p.saldos:
            if s.cod_ccus:
                avisos.append(
                    _perda(
                        f"conta {s.cod_cta}: o saldo por centro de custos é somado", "I155", s.linha
                    )
                )
            if s.mapeamentos:
                avisos.append(_perda(f"conta {s.cod_cta}: I156 não se guarda", "I155", s.linha))
            if pe.natureza(s.cod_cta) not in PATRIMONIAIS:
                continue  # REGRA_NATUREZA_PERMITIDA (o validador relata)
            t = tot.setdefault(s.cod_cta, [0, 0, 0])
            t[0] += _centavos(decimal_dc(s.vl_sld_ini, s.ind_dc_ini))
            t[1] += _centavos(s.vl_deb)
            t[2] += _centavos(s.vl_cred)
        if anterior is None:
            abertura = [
                Partida(c, "D" if v > 0 else "C", abs(v))
                for c, (v, _d, _c) in sorted(tot.items())
                if v
            ]
            if abertura:
                saida.append(
                    Lancamento(
                        slug,
                        dt.date(ano, 1, 1),
                        "Saldos iniciais do arquivo FCONT (I155)",
                        tuple(abertura),
                        numero=f"{PREFIXO_COMERCIAL}-AB-{ano}",
                        tipo=TipoLancamento.ABERTURA,
                    )
                )
        else:
            for c in sorted(set(tot) | set(anterior)):
                ini = tot[c][0] if c in tot else 0
                if ini != anterior.get(c, 0):
                    erros.append(
                        Erro(
                            "FCONT-LER-SALDOS",
                            f"conta {c}: saldo inicial de {p.dt_ini:%d/%m/%Y} diferente do "
                            "final do período anterior: o livro comercial não se reconstitui",
                            "VL_SLD_INI",
                            p.linha,
                            "I155",
                        )
                    )
        anterior = {c: v + d - cr for c, (v, d, cr) in tot.items()}
        res: dict[str, int] = defaultdict(int)
        r350 = resultados.get(p.dt_fin)
        for s3 in r350.saldos if r350 else ():
            if s3.mapeamentos:
                avisos.append(_perda(f"conta {s3.cod_cta}: I356 não se guarda", "I355", s3.linha))
            res[s3.cod_cta] += _centavos(decimal_dc(s3.vl_cta, s3.ind_dc))
        lucro = -sum(res.values())  # crédito no PL quando positivo
        # Encerramento: o lucro vai para contas patrimoniais com créditos (prejuízo:
        # débitos) no período, o PL primeiro; o movimento fica sem essa parte.
        lado = 2 if lucro > 0 else 1
        falta = abs(lucro)
        contrapartidas: list[Partida] = []
        ordem = sorted(tot, key=lambda c: (pe.natureza(c) != Natureza.PATRIMONIO_LIQUIDO, c))
        for c in ordem:
            if not falta:
                break
            parte = min(falta, tot[c][lado])
            if parte:
                tot[c][lado] -= parte
                falta -= parte
                contrapartidas.append(Partida(c, "C" if lado == 2 else "D", parte))
        if falta:
            erros.append(
                Erro(
                    "FCONT-LER-SALDOS",
                    f"resultado de {p.dt_fin:%d/%m/%Y} ({Dinheiro.de_centavos(abs(lucro))}) "
                    "maior que o movimento das contas patrimoniais que o receberiam",
                    None,
                    p.linha,
                    "I150",
                )
            )
            continue
        movimento = [
            Partida(c, dc, v)
            for c, (_i, d, cr) in sorted(tot.items())
            for dc, v in (("D", d), ("C", cr))
            if v
        ] + [Partida(c, "D" if v > 0 else "C", abs(v)) for c, v in sorted(res.items()) if v]
        fim = p.dt_fin
        sufixo = f"{ano}-{n}"
        if movimento:
            saida.append(
                Lancamento(
                    slug,
                    fim,
                    f"Movimento de {p.dt_ini:%d/%m/%Y} a {fim:%d/%m/%Y} do arquivo FCONT (I155/I355)",
                    tuple(movimento),
                    numero=f"{PREFIXO_COMERCIAL}-MV-{sufixo}",
                )
            )
        encerramento = [
            Partida(c, "C" if v > 0 else "D", abs(v)) for c, v in sorted(res.items()) if v
        ] + contrapartidas
        if encerramento:
            em_dezembro = (fim.month, fim.day) == (12, 31)
            saida.append(
                Lancamento(
                    slug,
                    fim,
                    f"Encerramento do resultado de {fim:%d/%m/%Y} (arquivo FCONT)",
                    tuple(encerramento),
                    numero=f"{PREFIXO_COMERCIAL}-EN-{sufixo}",
                    tipo=TipoLancamento.ENCERRAMENTO if em_dezembro else TipoLancamento.ORDINARIO,
                )
            )
    if arquivo.bloco_m is not None:
        for m in arquivo.bloco_m.saldos_iniciais:
            if (m.vl_sld_fin_fc, m.ind_dc_fin_fc) != (m.vl_sld_fin_soc, m.ind_dc_fin_soc):
                avisos.append(
                    _perda(
                        f"conta {m.cod_cta}: saldo inicial fiscal diferente do societário; a "
                        "geração informa o fiscal igual ao societário",
                        "M025",
                        m.linha,
                    )
                )
    return saida, erros, avisos


def converter(
    arquivo: ArquivoFcont, slug: str, nome_plano: str
) -> tuple[Importacao | None, list[Erro]]:
    """O arquivo lido → os dados dos livros da empresa ``slug`` (plano ``nome_plano``),
    ou ``None`` e todos os erros."""
    a0 = arquivo.abertura
    pe, mapeamentos, erros, avisos = _plano(arquivo, nome_plano)
    esc, e_esc, a_esc = _escrituracao(arquivo, slug)
    erros += e_esc
    avisos += a_esc
    centros: dict[str, CentroCusto] = {}
    for cc in sorted(arquivo.bloco_i.centros_custo, key=lambda c: c.dt_alt):
        if cc.cod_ccus not in centros or cc.dt_alt <= a0.dt_fin:
            centros[cc.cod_ccus] = CentroCusto(cc.cod_ccus, cc.ccus, cc.dt_alt)
    historicos = [Historico(h.cod_hist, h.descr_hist) for h in arquivo.bloco_i.historicos]
    comerciais: list[Lancamento] = []
    fiscais: list[Lancamento] = []
    if pe is not None:
        comerciais, e_com, a_com = _comerciais(arquivo, slug, pe)
        fiscais, e_fis, a_fis = _fiscais(arquivo, slug, pe)
        erros += e_com + e_fis
        avisos += a_com + a_fis
    if erros or pe is None:
        return None, erros
    return (
        Importacao(
            Empresa(a0.nome, a0.cnpj, a0.cod_mun),
            pe,
            mapeamentos,
            sorted(centros.values(), key=lambda c: c.codigo),
            historicos,
            esc,
            comerciais,
            fiscais,
            avisos,
        ),
        [],
    )
