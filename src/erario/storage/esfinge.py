"""Leitura (só leitura) do que o pacote e-Sfinge precisa, pelos métodos públicos do repositório.

Os campos do registro Conta Bancária vêm do cadastro (nome, CNPJ do titular,
IBGE da agência, ativação, encerramento). Só quando o cadastro não os tem eles
saem da entidade: nome (entidade e código da conta), CNPJ do titular (o da
entidade), IBGE da agência (o do município) e data de ativação (o primeiro
lançamento que movimenta a conta, em qualquer exercício).

O primeiro pacote da entidade (janeiro do primeiro exercício com lançamentos)
leva também as contas ativadas antes dele.

Em dezembro, as pendências da conciliação saem da conciliação feita no erario
(``erario.storage.conciliacao``) para cada conta com extrato importado; as
pendências informadas (CSV) substituem as da conta que citam.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from erario.core.erros import OperacaoRecusada
from erario.execucao.cadastros import ContaBancaria
from erario.leiautes import esfinge as esf
from erario.leiautes.esfinge_geracao import (
    ContaBancariaEsfinge,
    DadosPacote,
    PendenciaConciliacao,
    contexto,
    movimentos_sem_cadastro,
    pendencia_esfinge,
)
from erario.leiautes.modelo import Pacote
from erario.razao.modelo import Entidade, Lancamento
from erario.storage.conciliacao import anos_ate, pendencias_das_contas
from erario.storage.repositorio import Repositorio
from erario.storage.sessao import usuario_do_sistema


def conta_esfinge(
    c: ContaBancaria, ent: Entidade, primeiro_movimento: dt.date | None
) -> ContaBancariaEsfinge:
    """A conta do cadastro com os campos do e-Sfinge; o que falta sai da entidade ou do razão."""
    derivados = tuple(
        campo
        for campo, valor in (
            ("nome", c.nome),
            ("cnpj_titular", c.cnpj_titular),
            ("ibge_agencia", c.ibge_agencia),
            ("ativacao", c.ativacao),
        )
        if not valor
    )
    return ContaBancariaEsfinge(
        c,
        c.nome or f"{ent.nome} — conta {c.codigo} ({c.tipo.value}, fonte {c.fonte})",
        c.cnpj_titular or ent.cnpj,
        c.ibge_agencia or ent.ibge,
        c.ativacao or primeiro_movimento,
        c.encerramento,
        c.motivo_encerramento,
        derivados,
    )


def ler_dados(
    repo: Repositorio,
    slug: str,
    ano: int,
    mes: int,
    pendencias: Sequence[PendenciaConciliacao] | None = None,
    *,
    exigir_cadastro: bool = True,
) -> tuple[DadosPacote, esf.ContextoEsfinge]:
    """Dados do pacote (ano, mês) da entidade e o contexto para validá-lo.

        O primeiro pacote da entidade (janeiro do primeiro exercício com lançamentos)
    leva também as contas ativadas antes dele.

    Em dezembro, as pendências de cada conta com extrato importado saem da
        conciliação do erario; ``pendencias`` informadas substituem as das contas
        que elas citam (as demais seguem as do erario).

        Conta bancária movimentada no mês (atributo DB) sem cadastro recusa tudo
        (``ESF-CONTA-NAO-CADASTRADA``, um erro por partida); ``exigir_cadastro=False``
        só serve para validar um pacote de fora."""
    ent = repo.entidade(slug)
    if not esf.obrigada(ent.tipo):
        raise OperacaoRecusada.uma(
            "ESF-ENTIDADE",
            f"{ent.nome} é do tipo {ent.tipo.value}: o pacote Registros Contábeis não se aplica "
            "a empresas e associações",
        )
    inicio = dt.date(ano, mes, 1)
    cadastro = repo.contas_bancarias(slug)
    # Os lançamentos do mês (ver DadosPacote). Em dezembro, também os do ano e dos
    # exercícios anteriores que movimentam as contas contábeis das contas bancárias:
    # os saldos em 31/12 e a conciliação só leem partidas delas.
    lancamentos = [
        lanc
        for lanc in repo.lancamentos(slug, ano, 0 if mes == 1 else mes, 13 if mes == 12 else mes)
        if lanc.data.month == mes
    ]
    bancarios: list[Lancamento] = []
    if mes == 12:
        bancarios = repo.lancamentos_com_partida(
            slug, anos_ate(repo, slug, inicio), {c.conta_contabil for c in cadastro}
        )
        lancamentos[:0] = [
            lanc for lanc in bancarios if lanc.data < inicio and lanc.data.year == ano
        ]
    # Sem ativação no cadastro: a data do primeiro movimento, em qualquer exercício.
    primeiros = repo.primeiros_movimentos(
        slug, ano, "DB", {c.codigo for c in cadastro if not c.ativacao}
    )
    contas = [conta_esfinge(c, ent, primeiros.get(c.codigo)) for c in cadastro]
    informadas = list(pendencias or ())
    if mes == 12:
        citadas = {p.conta for p in informadas}
        do_erario = pendencias_das_contas(
            repo,
            slug,
            [c for c in cadastro if c.codigo not in citadas],
            dt.date(ano, 12, 31),
            bancarios,
        )
        for codigo, lista in do_erario.items():
            informadas += [pendencia_esfinge(codigo, p) for p in lista]
    # O primeiro pacote da entidade no erario é janeiro do primeiro exercício com lançamentos.
    anos = repo.exercicios_com_lancamentos(slug)
    primeiro = (ano, mes) == ((min(anos) if anos else ano), 1)
    plano = repo.plano(ent.plano)
    dados = DadosPacote(ent, ano, mes, plano, lancamentos, contas, informadas, primeiro)
    if exigir_cadastro and (sem_cadastro := movimentos_sem_cadastro(dados)):
        raise OperacaoRecusada(sem_cadastro)
    return dados, contexto(dados, repo.numeros_antes(slug, ano, inicio))


def competencias_devidas(repo: Repositorio, hoje: dt.date) -> dict[str, list[tuple[int, int]]]:
    """(ano, mês) dos exercícios abertos de cada entidade obrigada, no ano de ``hoje`` e no anterior."""
    saida: dict[str, list[tuple[int, int]]] = {}
    for ent in repo.entidades():
        if not esf.obrigada(ent.tipo):
            continue
        saida[ent.slug] = [
            (c.ano, c.mes)
            for ano in (hoje.year - 1, hoje.year)
            for c in repo.competencias(ent.slug, ano)
        ]
    return saida


# ---------------------------------------------------------------------- envios
class Envio(NamedTuple):
    entidade: str
    ano: int
    mes: int
    quando: dt.datetime
    usuario: str
    sha256: str
    protocolo: str


def registrar_envio(
    repo: Repositorio,
    slug: str,
    ano: int,
    mes: int,
    sha256: str,
    protocolo: str,
    usuario: str | None = None,
) -> Envio:
    """Registra o envio do pacote do mês (depois de validado por quem chama)."""
    from sqlalchemy import insert

    from erario.storage import esquema as t

    envio = Envio(
        slug, ano, mes, dt.datetime.now(dt.UTC), usuario or usuario_do_sistema(), sha256, protocolo
    )
    with repo.engine.begin() as con:
        eid = repo.sessao.id_entidade(con, slug)
        con.execute(
            insert(t.esfinge_envio).values(
                entidade_id=eid,
                ano=ano,
                mes=mes,
                quando=envio.quando,
                usuario=envio.usuario,
                sha256=sha256,
                protocolo=protocolo,
            )
        )
    return envio


def envios(repo: Repositorio, slug: str | None = None) -> list[Envio]:
    """Envios registrados, do mais antigo ao mais novo."""
    from sqlalchemy import select

    from erario.storage import esquema as t

    q = (
        select(
            t.entidade.c.slug,
            t.esfinge_envio.c.ano,
            t.esfinge_envio.c.mes,
            t.esfinge_envio.c.quando,
            t.esfinge_envio.c.usuario,
            t.esfinge_envio.c.sha256,
            t.esfinge_envio.c.protocolo,
        )
        .join(t.entidade, t.entidade.c.id == t.esfinge_envio.c.entidade_id)
        .order_by(t.esfinge_envio.c.id)
    )
    if slug is not None:
        q = q.where(t.entidade.c.slug == slug)
    with repo.engine.connect() as con:
        return [Envio(*linha) for linha in con.execute(q)]


# ------------------------------------------------------------- pacote do mês
class PacoteDoMes(NamedTuple):
    """O pacote do mês, o contexto para validá-lo e os avisos do cadastro."""

    pacote: Pacote
    contexto: esf.ContextoEsfinge
    avisos: list[str]


def pacote_do_mes(
    repo: Repositorio,
    slug: str,
    ano: int,
    mes: int,
    pendencias: Sequence[PendenciaConciliacao] = (),
    arquivo: tuple[str, str] | None = None,
) -> PacoteDoMes:
    """O pacote (ano, mês) gerado do razão (contexto com o razão) ou, com ``arquivo``
    (nome, texto JSON), o pacote de fora (contexto sem o razão: as regras que o conferem
    ficam com uma nota). O mesmo para ``erario esfinge`` e a interface web; recusa
    (``OperacaoRecusada``) com todos os problemas de leitura."""
    from dataclasses import replace

    from erario.leiautes.escrita import ler_json
    from erario.leiautes.esfinge_geracao import gerar_pacote
    from erario.leiautes.esfinge_razao import razao_esfinge

    # Um pacote de fora não é conferido contra o razão: a conta movimentada sem
    # cadastro no erario não impede validá-lo.
    dados, ctx = ler_dados(repo, slug, ano, mes, pendencias, exigir_cadastro=arquivo is None)
    inicio = dt.date(ano, mes, 1)
    ctx = replace(
        ctx,
        contas_encerradas={
            esf.chave_bancaria(
                {
                    "codigoBanco": c.conta.banco,
                    "codigoAgencia": c.conta.agencia,
                    "codigoContaBancaria": c.conta.conta,
                }
            ): c.encerramento
            for c in dados.contas
            if c.encerramento is not None and c.encerramento < inicio
        },
    )
    if arquivo is None:
        pacote = gerar_pacote(dados)
        ctx = replace(ctx, razao=razao_esfinge(dados))
    else:
        nome, texto = arquivo
        lido, erros = ler_json(esf.leiaute(), texto, nome)
        if lido is None:
            raise OperacaoRecusada(erros)
        pacote = lido
        if pacote.mes(esf.leiaute()) not in (None, (ano, mes)):
            raise OperacaoRecusada.uma(
                "LEI-REGISTRO", f"o pacote não é de {ano:04d}-{mes:02d}", "1. Ano/Mês dos Registros"
            )
    avisos = [
        f"Conta {c.conta.codigo}: {', '.join(c.derivados)} derivado(s) da entidade ou do "
        "razão; complete o cadastro da conta bancária."
        for c in dados.contas
        if c.derivados and c.conta.tipo.value != "caixa"
    ]
    return PacoteDoMes(pacote, ctx, avisos)
