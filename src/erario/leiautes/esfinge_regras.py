"""e-Sfinge, "Registros Contábeis": as regras que dependem de mais de um campo, de
outros registros ou do plano de contas.

Cada uma é uma função pura registrada (``REGRAS``) pelo nome que o TOML
(``dados/esfinge_registros_contabeis.toml``) lista; ``esfinge.regras`` as liga
ao contexto. Os números de campo citados são os do leiaute (ordem do campo na
tabela do manual).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from erario.core.codigos import cnpj_valido
from erario.core.datas import nome_mes
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro
from erario.leiautes.esfinge import (
    APLICACAO,
    CONCILIACAO,
    CONTA_BANCARIA,
    ENCERRAMENTO,
    LANCAMENTO,
    LANCAMENTOS_OPCIONAIS,
    SALDOS,
    SEM_RAZAO,
    ContextoEsfinge,
    RegraEsfinge,
    campo_data,
    campo_texto,
    chave_bancaria,
    leiaute,
    prazo,
    so_alfanumerico,
)
from erario.leiautes.modelo import Item, Pacote, Registro
from erario.leiautes.validacao import codigo_texto, erro_campo, vazio
from erario.razao.modelo import Conta

REGRAS: dict[str, RegraEsfinge] = {}


def _regra(nome: str) -> Callable[[RegraEsfinge], RegraEsfinge]:
    def registrar(f: RegraEsfinge) -> RegraEsfinge:
        REGRAS[nome] = f
        return f

    return registrar


# ------------------------------------------------------------------ auxiliares
def _reg(chave: str) -> Registro:
    return leiaute().registro(chave)


def _itens(pacote: Pacote, chave: str) -> Iterable[tuple[int, Item]]:
    return enumerate(pacote.itens(chave), start=1)


def _conta(item: Item, contas: Mapping[str, Conta]) -> Conta | None:
    codigo = campo_texto(item, "codigoContaContabil")
    return contas.get(codigo) if codigo else None


def _br(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------- regras
@_regra("lancamentos_obrigatorios")
def _lancamentos_obrigatorios(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento Contábil Plano Único: "Depende dos dados" — opcional só para fundação e fundo.
    if LANCAMENTO not in p.registros and contexto.tipo_entidade not in LANCAMENTOS_OPCIONAIS:
        yield Erro(
            "ESF-LANCAMENTOS",
            f"obrigatório para unidade do tipo {contexto.tipo_entidade.value} "
            "(opcional só para fundação e fundo); sem lançamentos no mês, envie a lista vazia",
            origem=_reg(LANCAMENTO).nome,
        )


@_regra("numero_controle")
def _numero_controle(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 1: "Não pode existir um mesmo Número de Controle em outra data."
    reg = _reg(LANCAMENTO)
    primeira: dict[str, dt.date] = dict(contexto.numeros_anteriores)
    anteriores = set(contexto.numeros_anteriores)
    avisados: set[tuple[str, dt.date]] = set()
    for i, item in _itens(p, LANCAMENTO):
        numero, data = campo_texto(item, "numeroControle"), campo_data(item, "dataLancamento")
        if numero is None or data is None:
            continue
        usada = primeira.setdefault(numero, data)
        if usada != data and (numero, data) not in avisados:
            avisados.add((numero, data))
            onde = " (pacote anterior)" if numero in anteriores else ""
            yield erro_campo(
                reg,
                "numeroControle",
                i,
                "ESF-NUMERO-CONTROLE",
                f"número de controle {numero} já usado em {_br(usada)}{onde}; "
                f"não pode repetir em {_br(data)}",
            )


@_regra("numero_sequencial")
def _numero_sequencial(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 2: "Não pode ser menor ou igual a zero."
    reg = _reg(LANCAMENTO)
    for i, item in _itens(p, LANCAMENTO):
        v = item.get("numeroSequencial")
        if isinstance(v, int) and not isinstance(v, bool) and v <= 0:
            yield erro_campo(
                reg,
                "numeroSequencial",
                i,
                "ESF-SEQUENCIAL",
                f"número sequencial {v} deve ser maior que zero",
            )


@_regra("data_no_mes")
def _data_no_mes(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento, campo 3: "Deve estar no período do Ano/Mês dos registros." O documento
    # não diz o mesmo da ativação (conta bancária, campo 10) nem do encerramento (campo 7):
    # uma conta aberta antes do primeiro pacote pode ser cadastrada depois; só não pode
    # ser posterior ao mês do pacote.
    periodo = p.mes(leiaute())
    if periodo is None:
        return
    ano, mes = periodo
    fim = prazo(ano, mes).replace(day=1) - dt.timedelta(days=1)
    reg = _reg(LANCAMENTO)
    for i, item in _itens(p, LANCAMENTO):
        d = campo_data(item, "dataLancamento")
        if d is not None and (d.year, d.month) != (ano, mes):
            yield erro_campo(
                reg,
                "dataLancamento",
                i,
                "ESF-DATA-MES",
                f"data {_br(d)} fora do mês do pacote ({nome_mes(mes)} de {ano})",
            )
    for chave, campo in ((CONTA_BANCARIA, "dataAtivacao"), (ENCERRAMENTO, "dataEncerramento")):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            d = campo_data(item, campo)
            if d is not None and d > fim:
                yield erro_campo(
                    reg,
                    campo,
                    i,
                    "ESF-DATA-MES",
                    f"data {_br(d)} posterior ao mês do pacote ({nome_mes(mes)} de {ano})",
                )


@_regra("conta_analitica")
def _conta_analitica(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento, campo 4, e aplicação, campo 1: "Código da Conta Contábil analítica."
    contas = contexto.contas
    for chave in (LANCAMENTO, APLICACAO):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            codigo = campo_texto(item, "codigoContaContabil")
            if codigo is None:
                continue
            conta = contas.get(codigo)
            if conta is None:
                msg = f"conta contábil {codigo} não existe no plano {contexto.plano.nome}"
            elif not conta.analitica:
                msg = f"conta contábil {codigo} ({conta.codigo}) é sintética: use conta analítica"
            else:
                continue
            yield erro_campo(reg, "codigoContaContabil", i, "ESF-CONTA", msg)


@_regra("conta_corrente")
def _conta_corrente(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Lançamento, campo 5, e aplicação, campo 2: "sem ponto ou qualquer outro
    # caractere de concatenação"; no lançamento, "se a conta contábil assim o exigir"
    # (o atributo FP das contas X vai no campo 11, não aqui).
    contas = contexto.contas
    for chave in (LANCAMENTO, APLICACAO):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            cc = campo_texto(item, "contaCorrenteContabil")
            if cc is not None and so_alfanumerico(cc) != cc:
                yield erro_campo(
                    reg,
                    "contaCorrenteContabil",
                    i,
                    "ESF-CONTA-CORRENTE-FORMATO",
                    f"conta corrente '{cc}' deve vir sem ponto ou outro caractere de concatenação",
                )
            conta = _conta(item, contas)
            if chave != LANCAMENTO or conta is None or not conta.analitica:
                continue
            exige = [t for t in conta.conta_corrente if t != "FP"]
            if exige and cc is None:
                yield erro_campo(
                    reg,
                    "contaCorrenteContabil",
                    i,
                    "ESF-CONTA-CORRENTE",
                    f"a conta {item['codigoContaContabil']} exige conta corrente ({', '.join(exige)})",
                )
            elif not exige and cc is not None:
                yield erro_campo(
                    reg,
                    "contaCorrenteContabil",
                    i,
                    "ESF-CONTA-CORRENTE",
                    f"a conta {item['codigoContaContabil']} não exige conta corrente: não informe",
                )


@_regra("atributo_superavit")
def _atributo_superavit(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 11: obrigatório se o indicador da conta for X; não informar se for P ou F.
    contas = contexto.contas
    reg = _reg(LANCAMENTO)
    for i, item in _itens(p, LANCAMENTO):
        conta = _conta(item, contas)
        if conta is None or not conta.analitica:
            continue
        informado = not vazio(item.get("atributoSuperavitFinanceiro"))
        codigo = item["codigoContaContabil"]
        if conta.superavit == "X" and not informado:
            yield erro_campo(
                reg,
                "atributoSuperavitFinanceiro",
                i,
                "ESF-ATRIBUTO-SUPERAVIT",
                f"a conta {codigo} tem indicador de superávit X: informe P ou F",
            )
        elif conta.superavit != "X" and informado:
            yield erro_campo(
                reg,
                "atributoSuperavitFinanceiro",
                i,
                "ESF-ATRIBUTO-SUPERAVIT",
                f"a conta {codigo} tem indicador de superávit {conta.superavit or 'vazio'}: "
                "não informe o atributo",
            )


@_regra("partidas_dobradas")
def _partidas_dobradas(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Regra do erario (NBC T 16.5, partidas dobradas), não transcrita no documento:
    # em cada número de controle, débitos = créditos.
    tabela = leiaute().tabelas["tipo_movimento"]
    dc = {c.codigo: c.extra.get("dc") for c in tabela.codigos}
    somas: dict[str, dict[object, int]] = defaultdict(lambda: defaultdict(int))
    primeiro: dict[str, int] = {}
    ilegiveis: set[str] = set()  # linha com tipo ou valor inválido: já apontada pelo motor
    for i, item in _itens(p, LANCAMENTO):
        numero, valor = campo_texto(item, "numeroControle"), item.get("valorLancamento")
        lado = dc.get(codigo_texto(item.get("tipoMovimentoContabil")))
        if numero is None:
            continue
        primeiro.setdefault(numero, i)
        if lado is None or not isinstance(valor, Decimal) or not valor.is_finite():
            ilegiveis.add(numero)
            continue
        somas[numero][lado] += int(valor.scaleb(2))
    reg = _reg(LANCAMENTO)
    for numero, s in somas.items():
        if numero not in ilegiveis and s["D"] != s["C"]:
            yield Erro(
                "ESF-PARTIDAS",
                f"lançamento {numero}: débitos {formatar_brl(s['D'])} ≠ créditos {formatar_brl(s['C'])}",
                "9. Valor de Lançamento",
                primeiro[numero],
                reg.nome,
            )


@_regra("aplicacao_valores")
def _aplicacao_valores(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campos 3–5: "Ao menos um deles é obrigatório."
    reg = _reg(APLICACAO)
    for i, item in _itens(p, APLICACAO):
        if all(vazio(item.get(c)) for c in ("valorAplicado", "valorResgatado", "valorRendimento")):
            yield Erro(
                "ESF-APLICACAO-VALORES",
                "informe ao menos um: Valor Aplicado, Valor Resgatado ou Valor do Rendimento",
                "3–5",
                i,
                reg.nome,
            )


@_regra("aplicacao_conta")
def _aplicacao_conta(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 1: "Somente contas contábeis cujo Indicador de Superávit Financeiro seja igual a F."
    contas = contexto.contas
    reg = _reg(APLICACAO)
    for i, item in _itens(p, APLICACAO):
        conta = _conta(item, contas)
        if conta is not None and conta.superavit != "F":
            yield erro_campo(
                reg,
                "codigoContaContabil",
                i,
                "ESF-APLICACAO-CONTA",
                f"a conta {item['codigoContaContabil']} tem indicador de superávit "
                f"{conta.superavit or 'vazio'}: só contas com indicador F",
            )


@_regra("conta_bancaria_cadastrada")
def _conta_bancaria_cadastrada(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Saldos e conciliação, campo 4: "Deve existir conta bancária previamente cadastrada."
    cadastradas = set(contexto.contas_cadastradas)
    cadastradas |= {chave_bancaria(it) for it in p.itens(CONTA_BANCARIA)}
    for chave in (SALDOS, CONCILIACAO):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            banco, agencia, conta = chave_bancaria(item)
            if (banco, agencia, conta) not in cadastradas:
                yield erro_campo(
                    reg,
                    "codigoContaBancaria",
                    i,
                    "ESF-CONTA-BANCARIA",
                    f"conta bancária {conta} (banco {banco}, agência {agencia}) não cadastrada "
                    "em registro Conta Bancária",
                )


@_regra("cnpj_titular")
def _cnpj_titular(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Conta bancária, campo 8: CNPJ do titular (dígitos verificadores).
    reg = _reg(CONTA_BANCARIA)
    for i, item in _itens(p, CONTA_BANCARIA):
        v = item.get("numeroCnpjTitular")
        if isinstance(v, int) and not isinstance(v, bool) and not cnpj_valido(f"{v:014d}"):
            yield erro_campo(
                reg,
                "numeroCnpjTitular",
                i,
                "ESF-CNPJ",
                f"CNPJ {v:014d} inválido (dígitos verificadores)",
            )


@_regra("estorno_uniforme")
def _estorno_uniforme(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Campo 10: indica se "o lançamento contábil" é de estorno — um atributo do lançamento
    # (número de controle), igual em todas as suas linhas.
    vistos: dict[str, tuple[str, int]] = {}
    reg = _reg(LANCAMENTO)
    for i, item in _itens(p, LANCAMENTO):
        numero, ind = campo_texto(item, "numeroControle"), item.get("indicativoEstorno")
        if numero is None or ind not in ("S", "N"):
            continue
        assert isinstance(ind, str)
        primeiro = vistos.setdefault(numero, (ind, i))
        if primeiro[0] != ind:
            yield erro_campo(
                reg,
                "indicativoEstorno",
                i,
                "ESF-ESTORNO-MISTO",
                f"lançamento {numero}: indicativo de estorno {ind}, mas a linha {primeiro[1]} "
                f"tem {primeiro[0]}; todas as linhas do lançamento levam o mesmo indicativo",
            )


def _cadastro(p: Pacote, contexto: ContextoEsfinge) -> dict[tuple[str, str, str], Item | None]:
    """Contas bancárias cadastradas (anteriores e deste pacote) → registro, se conhecido."""
    cadastro: dict[tuple[str, str, str], Item | None] = dict.fromkeys(contexto.contas_cadastradas)
    cadastro.update(contexto.cadastro_anterior)
    for item in p.itens(CONTA_BANCARIA):
        cadastro[chave_bancaria(item)] = item
    return cadastro


def _encerradas(p: Pacote, contexto: ContextoEsfinge) -> dict[tuple[str, str, str], dt.date]:
    """Contas encerradas (anteriores do ano e deste pacote) → data do encerramento."""
    encerradas = dict(contexto.contas_encerradas)
    for item in p.itens(ENCERRAMENTO):
        d = campo_data(item, "dataEncerramento")
        if d is not None:
            encerradas[chave_bancaria(item)] = d
    return encerradas


@_regra("saldos_completos")
def _saldos_completos(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Saldos Bancários: "os saldos em 31/12 das contas bancárias que a Unidade Gestora
    # utiliza" — toda conta cadastrada e não encerrada tem o seu saldo (0.00 aceito).
    if SALDOS not in p.registros:
        return  # ausente em dezembro: LEI-REGISTRO; fora de dezembro não se aplica
    com_saldo = {chave_bancaria(x) for x in p.itens(SALDOS)}
    encerradas = _encerradas(p, contexto)
    faltam = sorted(k for k in _cadastro(p, contexto) if k not in com_saldo and k not in encerradas)
    for banco, agencia, conta in faltam:
        yield Erro(
            "ESF-SALDO-AUSENTE",
            f"conta bancária {conta} (banco {banco}, agência {agencia}) cadastrada e não "
            "encerrada sem saldo em 31/12 (informe 0.00 se zerada)",
            origem=_reg(SALDOS).nome,
        )


@_regra("digitos_verificadores")
def _digitos_verificadores(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Os dígitos verificadores da agência e da conta são os do registro Conta Bancária.
    cadastro = _cadastro(p, contexto)
    for chave in (ENCERRAMENTO, SALDOS, CONCILIACAO):
        reg = _reg(chave)
        for i, item in _itens(p, chave):
            original = cadastro.get(chave_bancaria(item))
            if original is None:
                continue
            for campo in ("digitoVerificadorAgencia", "digitoVerificadorContaBancaria"):
                v, cadastrado = item.get(campo), original.get(campo)
                if vazio(v) or vazio(cadastrado):
                    continue
                if codigo_texto(v).strip() != codigo_texto(cadastrado).strip():
                    yield erro_campo(
                        reg,
                        campo,
                        i,
                        "ESF-DIGITO",
                        f"dígito {codigo_texto(v)} difere do cadastrado em Conta Bancária "
                        f"({codigo_texto(cadastrado)})",
                    )


@_regra("conciliacao_datas")
def _conciliacao_datas(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # "os valores em 31/12 das operações pendentes": a operação (campo 8) ocorreu até
    # 31/12; a regularização (campo 9), se houver, é posterior a 31/12 (senão não estava
    # pendente) e nunca anterior à operação.
    periodo = p.mes(leiaute())
    if periodo is None:
        return
    fim = dt.date(periodo[0], 12, 31)
    reg = _reg(CONCILIACAO)
    for i, item in _itens(p, CONCILIACAO):
        op, regul = campo_data(item, "dataOperacao"), campo_data(item, "dataRegularizacao")
        if op is not None and op > fim:
            yield erro_campo(
                reg,
                "dataOperacao",
                i,
                "ESF-CONCILIACAO-DATA",
                f"operação em {_br(op)}, depois de {_br(fim)}: não é pendência em 31/12",
            )
        if regul is None:
            continue
        if op is not None and regul < op:
            yield erro_campo(
                reg,
                "dataRegularizacao",
                i,
                "ESF-CONCILIACAO-DATA",
                f"regularização em {_br(regul)}, antes da operação ({_br(op)})",
            )
        elif regul <= fim:
            yield erro_campo(
                reg,
                "dataRegularizacao",
                i,
                "ESF-CONCILIACAO-DATA",
                f"regularização em {_br(regul)}, até {_br(fim)}: a operação não estava "
                "pendente em 31/12",
            )


@_regra("encerramento_conta")
def _encerramento_conta(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Encerramento de conta "que a Unidade Gestora utiliza": conta cadastrada, encerrada
    # na data de ativação ou depois.
    cadastro = _cadastro(p, contexto)
    reg = _reg(ENCERRAMENTO)
    for i, item in _itens(p, ENCERRAMENTO):
        banco, agencia, conta = chave = chave_bancaria(item)
        if chave not in cadastro:
            yield erro_campo(
                reg,
                "codigoContaBancaria",
                i,
                "ESF-ENCERRAMENTO",
                f"conta bancária {conta} (banco {banco}, agência {agencia}) encerrada sem "
                "ter sido cadastrada em registro Conta Bancária",
            )
            continue
        original = cadastro[chave]
        ativ = campo_data(original, "dataAtivacao") if original is not None else None
        fim = campo_data(item, "dataEncerramento")
        if ativ is not None and fim is not None and fim < ativ:
            yield erro_campo(
                reg,
                "dataEncerramento",
                i,
                "ESF-ENCERRAMENTO",
                f"encerramento em {_br(fim)}, antes da ativação da conta ({_br(ativ)})",
            )


@_regra("saldo_conta_encerrada")
def _saldo_conta_encerrada(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Conta encerrada (no ano ou antes) não tem saldo em 31/12.
    encerradas = _encerradas(p, contexto)
    reg = _reg(SALDOS)
    for i, item in _itens(p, SALDOS):
        v = item.get("valorSaldo")
        fim = encerradas.get(chave_bancaria(item))
        if fim is not None and isinstance(v, Decimal) and v != 0:
            yield erro_campo(
                reg,
                "valorSaldo",
                i,
                "ESF-SALDO-ENCERRADA",
                f"conta bancária {chave_bancaria(item)[2]} encerrada em {_br(fim)} com saldo "
                f"{_reais(v)} em 31/12",
            )


# ------------------------------------------------------- regras contra o razão


@_regra("contra_o_razao")
def _contra_o_razao(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Sem o razão (arquivo de fora), as regras que o conferem não rodam: uma nota (aviso).
    if contexto.razao is None:
        yield Erro(
            SEM_RAZAO,
            "arquivo sem o razão: não conferidos a equação da conciliação bancária, as "
            "aplicações contra o razão do mês nem o cadastro das contas bancárias movimentadas",
            origem=leiaute().nome,
        )


@_regra("conciliacao_fecha")
def _conciliacao_fecha(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Conciliação: as pendências "compõem a diferença entre o saldo contábil das contas
    # bancárias e os extratos": saldo em 31/12 = saldo do razão + Σ efeito × valor
    # (efeito da Tabela 70 no TOML).
    if contexto.razao is None or SALDOS not in p.registros:
        return
    tabela = leiaute().tabelas["tipo_operacao_conciliacao"]
    ajuste: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    ilegiveis: set[tuple[str, str, str]] = set()
    for item in p.itens(CONCILIACAO):
        chave = chave_bancaria(item)
        codigo = tabela.codigo(codigo_texto(item.get("tipoOperacao")))
        efeito = codigo.extra.get("efeito") if codigo is not None else None
        valor = item.get("valorOperacao")
        if not isinstance(efeito, int) or not isinstance(valor, Decimal):
            ilegiveis.add(chave)  # código desconhecido ou valor inválido: já apontados
            continue
        ajuste[chave] += efeito * valor
    encerradas = _encerradas(p, contexto)
    reg = _reg(SALDOS)
    for i, item in _itens(p, SALDOS):
        chave = chave_bancaria(item)
        contabil = contexto.razao.saldos_contabeis.get(chave)
        saldo = item.get("valorSaldo")
        if contabil is None or chave in ilegiveis or chave in encerradas:
            continue
        if not isinstance(saldo, Decimal):
            continue
        esperado = contabil + ajuste[chave]
        if saldo != esperado:
            yield erro_campo(
                reg,
                "valorSaldo",
                i,
                "ESF-CONCILIACAO-SALDO",
                f"saldo {_reais(saldo)} ≠ saldo do razão {_reais(contabil)} ajustado pelas "
                f"pendências ({_reais(ajuste[chave])}) = {_reais(esperado)}",
            )


def _reais(v: Decimal) -> str:
    return formatar_brl(int(v.scaleb(2)))


@_regra("aplicacao_razao")
def _aplicacao_razao(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Aplicação: "as aplicações financeiras e seus respectivos rendimentos" do mês —
    # os valores são os do razão, e todo movimento de aplicação do razão tem o seu item.
    if contexto.razao is None:
        return
    razao = contexto.razao.aplicacoes
    reg = _reg(APLICACAO)
    vistas: set[tuple[str, str]] = set()
    nomes = ("valorAplicado", "valorResgatado", "valorRendimento")
    for i, item in _itens(p, APLICACAO):
        chave = (
            campo_texto(item, "codigoContaContabil") or "",
            campo_texto(item, "contaCorrenteContabil") or "",
        )
        vistas.add(chave)
        esperado = razao.get(chave, (Decimal(0), Decimal(0), Decimal(0)))
        for campo, esp in zip(nomes, esperado, strict=True):
            v = item.get(campo)
            informado = Decimal(0) if vazio(v) else v
            if isinstance(informado, Decimal) and informado != esp:
                yield erro_campo(
                    reg,
                    campo,
                    i,
                    "ESF-APLICACAO-RAZAO",
                    f"{_reais(informado)} ≠ {_reais(esp)} do razão no mês "
                    f"(conta {chave[0]}, conta corrente {chave[1]})",
                )
    for chave, valores in sorted(razao.items()):
        if chave not in vistas and any(valores):
            yield Erro(
                "ESF-APLICACAO-RAZAO",
                f"conta {chave[0]}, conta corrente {chave[1]}: o razão do mês tem aplicado "
                f"{_reais(valores[0])}, resgatado {_reais(valores[1])} e rendimento "
                f"{_reais(valores[2])}, sem registro de Aplicação Financeira",
                origem=reg.nome,
            )


@_regra("conta_movimentada")
def _conta_movimentada(p: Pacote, contexto: ContextoEsfinge) -> Iterable[Erro]:
    # Toda conta bancária movimentada no razão do mês está cadastrada (Conta Bancária
    # deste pacote ou de um anterior) e não foi movimentada depois do seu encerramento.
    if contexto.razao is None:
        return
    cadastro = _cadastro(p, contexto)
    encerradas = _encerradas(p, contexto)
    reg = _reg(LANCAMENTO)
    for chave, ultima in sorted(contexto.razao.movimentos.items()):
        banco, agencia, conta = chave
        if chave not in cadastro:
            yield Erro(
                "ESF-CONTA-MOVIMENTADA",
                f"conta bancária {conta} (banco {banco}, agência {agencia}) movimentada no "
                "razão do mês sem registro Conta Bancária",
                origem=reg.nome,
            )
        fim = encerradas.get(chave)
        if fim is not None and ultima > fim:
            yield Erro(
                "ESF-CONTA-MOVIMENTADA",
                f"conta bancária {conta} (banco {banco}, agência {agencia}) movimentada em "
                f"{_br(ultima)}, depois do encerramento em {_br(fim)}",
                origem=reg.nome,
            )
