"""Monta o conteúdo do arquivo FCONT (``ArquivoFcont``) a partir dos livros.

Função pura: recebe a empresa, a escrituração, o plano da empresa com as
naturezas, o mapeamento referencial, os cadastros (centros de custo,
histórico padronizado), os totais do livro comercial de cada período e os
lançamentos fiscais do ano; devolve o arquivo (que ``fcont.escrita`` escreve)
ou todos os problemas.

De onde vem cada registro:

- 0000: empresa (nome, CNPJ, município IBGE) e escrituração;
- I050/I051: plano da empresa; mapeamentos em vigor no fim do período
  ("conta válida no final do período", REGRA_CONTA_MAPEAMENTO_ALTERADO);
  DT_ALT = início da escrituração;
- I075, I100: cadastros da empresa;
- I150/I155: por período de apuração, as contas analíticas patrimoniais (01,
  02, 03) com saldo ou movimento no livro comercial; saldo inicial = saldo ao
  fim do período anterior (no anual, depois da abertura, período 0), débitos
  e créditos "considerando todos os lançamentos (inclusive os de
  encerramento)" (observações do I155);
- I200/I250: os lançamentos fiscais (X, F, EF, IS, IF, TS, TF, TR) do razão,
  sem os estornados nem os estornos (anulam-se); o X leva o número do
  lançamento comercial expurgado;
- I350/I355: contas de resultado (04) antes do encerramento, no fim de cada
  período;
- J930: signatários; M020, M025 (saldos iniciais do I155, fiscal = societário) e
  M030 (lucro líquido = −Σ I355, REGRA_LUC_LIQ) com os M155 e M355 calculados
  como o PVA os calcula (``fcont.saldos_referenciais``): o arquivo é o de saída
  (colunas "Saída" do item 2.5) e serve também de entrada.

Não gera I156, I256 e I356 (mapeamento de uma conta para várias referenciais):
conta mapeada para mais de uma referencial no mesmo período é recusada.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from erario.core.dinheiro import Dinheiro, formatar_brl
from erario.core.erros import Erro
from erario.fcont.arquivo import (
    ArquivoFcont,
    BlocoI,
    BlocoJ,
    BlocoM,
    Registro0000,
    RegistroI050,
    RegistroI051,
    RegistroI075,
    RegistroI100,
    RegistroI150,
    RegistroI155,
    RegistroI200,
    RegistroI250,
    RegistroI350,
    RegistroI355,
    RegistroJ930,
    RegistroM020,
    RegistroM025,
    RegistroM030,
    valor_e_indicador,
)
from erario.fcont.encerramento_fiscal import ajustes_de_resultado
from erario.fcont.escrita import limpar_texto
from erario.fcont.escrituracao import Escrituracao, Periodo, periodos
from erario.fcont.lancamentos_fiscais import numero_no_arquivo, tipo_do_livro
from erario.fcont.livros import (
    ENTIDADE_REFERENCIAL_RFB,
    PATRIMONIAIS,
    CentroCusto,
    Historico,
    Mapeamento,
    Natureza,
    PlanoEmpresa,
    contas_sem_mapeamento,
    mapeamentos_vigentes,
)
from erario.fcont.saldos_referenciais import calcular as calcular_saldos_referenciais
from erario.razao.modelo import Entidade, Lancamento


class TotaisPeriodo(NamedTuple):
    """Livro comercial num período de apuração."""

    patrimoniais: Mapping[
        str, tuple[int, int, int]
    ]  # conta → (inicial com sinal, débitos, créditos)
    resultado: Mapping[str, int]  # conta de resultado → saldo com sinal antes do encerramento


def _dec(centavos: int) -> Decimal:
    return Dinheiro.de_centavos(centavos).valor


def _sinal(centavos: int) -> tuple[Decimal, str]:
    return valor_e_indicador(_dec(centavos))


def _texto(valor: str, _onde: str, _erros: list[Erro]) -> str:
    """Texto livre no campo C: '|' e controles viram espaço ou '/', e o que não cabe
    no ISO-8859-1 vira '?' (``fcont.escrita.limpar_texto``); o razão fica como está."""
    return limpar_texto(valor)


def montar_arquivo(
    empresa: Entidade,
    esc: Escrituracao,
    pe: PlanoEmpresa,
    mapeamentos: Sequence[Mapeamento],
    centros: Sequence[CentroCusto],
    historicos: Sequence[Historico],
    totais: Mapping[Periodo, TotaisPeriodo],
    lancamentos: Sequence[Lancamento],
) -> tuple[ArquivoFcont | None, list[Erro]]:
    erros: list[Erro] = []
    pers = periodos(esc)
    faltam = [p for p in pers if p not in totais]
    if faltam:
        raise ValueError(f"faltam os totais dos períodos {faltam}")

    # ---------------------------------------------------------------- I050/I051
    erros += contas_sem_mapeamento(pe, mapeamentos, esc.fim)
    vigentes = mapeamentos_vigentes(mapeamentos, esc.fim)
    plano = []
    for c in pe.plano.contas.values():
        refs = vigentes.get(c.codigo, []) if c.analitica else []
        if len({m.conta_referencial for m in refs}) > 1 and not all(m.centro_custo for m in refs):
            erros.append(
                Erro(
                    "FCONT-REFERENCIAL-MULTIPLO",
                    f"conta {c.codigo} mapeada para {len(refs)} contas referenciais: o erario "
                    "ainda não distribui os valores entre elas (registros I156, I256 e I356)",
                    "CONTA",
                )
            )
        plano.append(
            RegistroI050(
                dt_alt=esc.inicio,
                cod_nat=pe.naturezas[c.codigo].value,
                ind_cta="A" if c.analitica else "S",
                nivel=c.nivel,
                cod_cta=c.codigo,
                cod_cta_sup=c.pai or "",
                cta=_texto(c.titulo, f"conta {c.codigo}", erros),
                referenciais=tuple(
                    RegistroI051(ENTIDADE_REFERENCIAL_RFB, m.centro_custo, m.conta_referencial)
                    for m in refs
                ),
            )
        )

    # ---------------------------------------------------------------- I150/I155, I350/I355
    saldos_periodicos = []
    resultados = []
    lucros = []
    for p in pers:
        t = totais[p]
        linhas = []
        for conta, (ini, deb, cred) in sorted(t.patrimoniais.items()):
            if pe.naturezas.get(conta) not in PATRIMONIAIS:
                continue
            if not (ini or deb or cred):
                continue
            vi, di = _sinal(ini)
            vf, df = _sinal(ini + deb - cred)
            linhas.append(RegistroI155(conta, "", vi, di, _dec(deb), _dec(cred), vf, df))
        saldos_periodicos.append(RegistroI150(p.inicio, p.fim, tuple(linhas)))
        res = []
        for conta, v in sorted(t.resultado.items()):
            if pe.naturezas.get(conta) != Natureza.RESULTADO or not v:
                continue
            valor, dc = _sinal(v)
            res.append(RegistroI355(conta, "", valor, dc))
        resultados.append(RegistroI350(p.fim, tuple(res)))
        lucros.append(
            -sum(v for c, v in t.resultado.items() if pe.naturezas.get(c) == Natureza.RESULTADO)
        )

    # ---------------------------------------------------------------- I200/I250
    estornados = {lc.estornado for lc in lancamentos if lc.estorno}
    validos = [
        lc
        for lc in lancamentos
        if not lc.estorno and lc.numero not in estornados and tipo_do_livro(lc.livro) is not None
    ]
    registros_lanc = []
    por_livro: dict[str, dict[str, int]] = {}
    for lc in sorted(validos, key=lambda x: x.data):  # estável: na ordem do razão
        tipo = tipo_do_livro(lc.livro)
        assert tipo is not None
        if not esc.inicio <= lc.data <= esc.fim:
            continue
        hist = _texto(lc.historico, f"lançamento {lc.numero}", erros)
        partidas = []
        for pt in lc.partidas:
            partidas.append(RegistroI250(pt.conta, "", _dec(pt.centavos), pt.dc, hist=hist))
            saldos = por_livro.setdefault(lc.livro, {})
            saldos[pt.conta] = saldos.get(pt.conta, 0) + (
                pt.centavos if pt.dc == "D" else -pt.centavos
            )
        registros_lanc.append(
            RegistroI200(
                numero_no_arquivo(lc), lc.data, _dec(lc.total.centavos), tipo.value, tuple(partidas)
            )
        )
    pendentes = [a for a in ajustes_de_resultado(por_livro, pe.naturezas) if a.ef_proposto]
    for a in pendentes:
        erros.append(
            Erro(
                "FCONT-EF-PENDENTE",
                f"conta de resultado {a.conta}: ajustes F + TR − X de {formatar_brl(a.ajuste)} "
                f"e EF de {formatar_brl(a.ef_existente)} não somam zero (REGRA_ENCER_FISCAL): "
                "proponha e confirme o encerramento fiscal (erario fcont encerramento)",
                "CONTA",
            )
        )

    # ---------------------------------------------------------------- 0000, J, M
    abertura = Registro0000(
        dt_ini=esc.inicio,
        dt_fin=esc.fim,
        nome=_texto(empresa.nome, "nome da empresa", erros),
        cnpj=empresa.cnpj,
        uf=esc.uf,
        ie=esc.ie,
        cod_mun=empresa.ibge,
        im=esc.im,
        ind_sit_esp=esc.situacao_especial,
        ind_sit_ini_per=esc.inicio_periodo,
    )
    bloco_i = BlocoI(
        plano=tuple(plano),
        historicos=tuple(
            RegistroI075(h.codigo, h.descricao) for h in sorted(historicos, key=lambda h: h.codigo)
        ),
        centros_custo=tuple(
            RegistroI100(c.alteracao, c.codigo, c.nome)
            for c in sorted(centros, key=lambda c: c.codigo)
        ),
        saldos_periodicos=tuple(saldos_periodicos),
        lancamentos=tuple(registros_lanc),
        resultados=tuple(resultados),
    )
    bloco_j = BlocoJ(
        tuple(
            RegistroJ930(
                _texto(s.nome, "signatário", erros), s.documento, s.qualificacao, s.codigo, s.crc
            )
            for s in esc.signatarios
        )
    )
    # M025: saldos iniciais do primeiro período (REGRA_SALDOI155_IGUAL_RECUPERADO:
    # I155 inicial = M025 societário + IS). Sem a escrituração anterior, o fiscal
    # inicial é o societário (o erario ainda não recupera os ajustes de anos anteriores).
    iniciais = []
    if saldos_periodicos:
        for r in saldos_periodicos[0].saldos:
            refs = vigentes.get(r.cod_cta, [])
            if r.vl_sld_ini and refs:
                ref = refs[0].conta_referencial
                iniciais.append(
                    RegistroM025(
                        r.cod_cta, "", ref, r.vl_sld_ini, r.ind_dc_ini, r.vl_sld_ini, r.ind_dc_ini
                    )
                )
    # M030 com os M155/M355 do seu período (I150 e M030 na mesma ordem, a de ``pers``).
    m030 = [
        RegistroM030(
            p.indicador,
            abs(_dec(lucro)),
            "C" if lucro >= 0 else "D",
            saldos_patrimoniais=m155,
            saldos_resultado=m355,
        )
        for p, lucro, (m155, m355) in zip(
            pers, lucros, calcular_saldos_referenciais(bloco_i, iniciais), strict=True
        )
    ]
    bloco_m = BlocoM(
        saldos_iniciais=tuple(iniciais),
        qualificacao=RegistroM020(
            quali_pj=esc.qualificacao_pj,
            tipo_escrit="1" if esc.retificadora else "0",
            form_apur=esc.forma_apuracao,
            form_tribut=esc.forma_tributacao,
            nro_rec_anterior=esc.recibo_anterior,
            form_trib_tri=esc.trimestres,
        ),
        periodos=tuple(m030),
    )
    if erros:
        return None, erros
    return ArquivoFcont(abertura, bloco_i, bloco_j, bloco_m), []
