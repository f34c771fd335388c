"""Conciliação bancária no banco: linhas e saldos do extrato (só inserção),
casamentos confirmados e a situação da conta numa data.

O casamento e as pendências são do domínio (``erario.conciliacao.casamento``);
aqui só se lê e grava.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, insert, select

from erario.conciliacao import casamento
from erario.conciliacao.casamento import Equacao, Movimento, Par, Pendencia, Sugestao
from erario.conciliacao.extrato import Extrato, LinhaExtrato, SaldoExtrato
from erario.core.codigos import somente_digitos
from erario.core.dinheiro import texto_de_centavos
from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.cadastros import ContaBancaria, TipoContaBancaria
from erario.razao.modelo import Lancamento
from erario.storage import esquema as t
from erario.storage.cadastros import Cadastros
from erario.storage.lancamentos import Lancamentos
from erario.storage.repositorio import Repositorio
from erario.storage.sessao import usuario_do_sistema


class ResumoImportacao(NamedTuple):
    novas: int  # linhas gravadas
    repetidas: int  # linhas já importadas (mesmo identificador), ignoradas
    saldos: int  # saldos do extrato gravados


class Situacao(NamedTuple):
    """Tudo da conciliação de uma conta bancária em ``ate``."""

    conta: ContaBancaria
    ate: dt.date
    linhas: list[LinhaExtrato]
    saldos: list[SaldoExtrato]
    movimentos: list[Movimento]
    pares: list[Par]
    sugestoes: list[Sugestao]
    pendencias: list[Pendencia]
    equacao: Equacao


def _so_digitos(texto: str) -> str:
    # Número da conta sem zeros à esquerda: o OFX e o cadastro diferem nisso.
    return somente_digitos(texto).lstrip("0")


def _conta(
    repo: Repositorio, con: Connection, slug: str, codigo: str
) -> tuple[int, int, ContaBancaria]:
    """(id da entidade, id da conta bancária, cadastro da conta); recusa o caixa."""
    eid = repo.sessao.id_entidade(con, slug)
    r = con.execute(
        select(t.conta_bancaria.c.id).where(
            (t.conta_bancaria.c.entidade_id == eid) & (t.conta_bancaria.c.codigo == codigo)
        )
    ).first()
    contas = [
        c for c in Cadastros(repo.sessao).ler_contas_bancarias(con, slug) if c.codigo == codigo
    ]
    if r is None or not contas:
        raise OperacaoRecusada.uma(
            "CONC-CONTA", f"conta bancária {codigo} de {slug} não está cadastrada", "conta"
        )
    if contas[0].tipo == TipoContaBancaria.CAIXA:
        raise OperacaoRecusada.uma(
            "CONC-CONTA", f"{codigo} é o caixa/tesouraria, sem extrato bancário", "conta"
        )
    return eid, int(r.id), contas[0]


def conferir_conta_do_extrato(extrato: Extrato, cb: ContaBancaria) -> list[Erro]:
    """A conta do OFX (ACCTID, com ou sem o dígito) é a do cadastro?"""
    if not extrato.conta or not cb.conta:
        return []
    do_ofx = _so_digitos(extrato.conta)
    aceitas = {_so_digitos(cb.conta), _so_digitos(cb.conta + cb.conta_dv)}
    if do_ofx in aceitas:
        return []
    return [
        Erro(
            "CONC-CONTA",
            f"o extrato é da conta {extrato.conta} (banco {extrato.banco or '?'}), não da conta "
            f"{cb.conta}-{cb.conta_dv or '0'} do cadastro {cb.codigo}",
            "conta",
        )
    ]


def importar_extrato(
    repo: Repositorio,
    slug: str,
    codigo: str,
    extrato: Extrato,
    origem: str,
    *,
    conferir_conta: bool = True,
    usuario: str | None = None,
) -> ResumoImportacao:
    """Grava as linhas novas do extrato (as já importadas são ignoradas) e os
    saldos; tudo ou nada. Um saldo já gravado para o mesmo dia com outro valor
    é recusado."""
    quando = dt.datetime.now(dt.UTC)
    quem = usuario or usuario_do_sistema()
    with repo.engine.begin() as con:
        eid, cid, cb = _conta(repo, con, slug, codigo)
        erros = conferir_conta_do_extrato(extrato, cb) if conferir_conta else []
        existentes = set(
            con.execute(
                select(t.extrato_linha.c.identificador).where(
                    t.extrato_linha.c.conta_bancaria_id == cid
                )
            ).scalars()
        )
        saldos_gravados = {
            r.data: r.valor
            for r in con.execute(
                select(t.extrato_saldo.c.data, t.extrato_saldo.c.valor).where(
                    t.extrato_saldo.c.conta_bancaria_id == cid
                )
            )
        }
        novos_saldos = []
        for s in extrato.saldos:
            if s.data not in saldos_gravados:
                novos_saldos.append(s)
            elif saldos_gravados[s.data] != s.centavos:
                erros.append(
                    Erro(
                        "CONC-SALDO",
                        f"saldo do extrato em {s.data:%d/%m/%Y} já importado com outro valor "
                        f"({texto_de_centavos(saldos_gravados[s.data])} × {texto_de_centavos(s.centavos)})",
                        "saldo",
                    )
                )
        if erros:
            raise OperacaoRecusada([e.em(origem=origem) for e in erros])
        novas = [ln for ln in extrato.linhas if ln.identificador not in existentes]
        if novas:
            con.execute(
                insert(t.extrato_linha),
                [
                    {
                        "conta_bancaria_id": cid,
                        "data": ln.data,
                        "valor": ln.centavos,
                        "documento": ln.documento,
                        "descricao": ln.descricao,
                        "identificador": ln.identificador,
                        "tipo_transacao": ln.tipo_transacao,
                        "origem": origem[:200],
                        "importado_em": quando,
                        "usuario": quem,
                    }
                    for ln in novas
                ],
            )
        for s in novos_saldos:
            con.execute(
                insert(t.extrato_saldo).values(
                    conta_bancaria_id=cid,
                    data=s.data,
                    valor=s.centavos,
                    origem=origem[:200],
                    importado_em=quando,
                )
            )
        repo.sessao.auditar(
            con,
            quem,
            "conciliacao_importar",
            eid,
            f"{codigo}: {len(novas)} linha(s) de {origem}",
        )
        return ResumoImportacao(len(novas), len(extrato.linhas) - len(novas), len(novos_saldos))


def _extrato(con: Connection, cid: int) -> tuple[list[LinhaExtrato], list[SaldoExtrato]]:
    linhas = [
        LinhaExtrato(
            r.data, r.valor, r.documento, r.descricao, r.identificador, r.tipo_transacao, r.id
        )
        for r in con.execute(
            select(t.extrato_linha)
            .where(t.extrato_linha.c.conta_bancaria_id == cid)
            .order_by(t.extrato_linha.c.data, t.extrato_linha.c.id)
        )
    ]
    saldos = [
        SaldoExtrato(r.data, r.valor)
        for r in con.execute(
            select(t.extrato_saldo)
            .where(t.extrato_saldo.c.conta_bancaria_id == cid)
            .order_by(t.extrato_saldo.c.data)
        )
    ]
    return linhas, saldos


def _pares(con: Connection, cid: int) -> list[Par]:
    q = (
        select(t.conciliacao_par.c.extrato_linha_id, t.lancamento.c.numero)
        .join(t.lancamento, t.lancamento.c.id == t.conciliacao_par.c.lancamento_id)
        .where(t.conciliacao_par.c.conta_bancaria_id == cid)
        .order_by(t.conciliacao_par.c.extrato_linha_id)
    )
    return [Par(r.extrato_linha_id, r.numero) for r in con.execute(q)]


def anos_ate(repo: Repositorio, slug: str, ate: dt.date) -> list[int]:
    """Os exercícios da entidade até o de ``ate``, do mais antigo: o de ``ate`` e os
    anteriores seguidos com competências."""
    anos = [ate.year]
    while repo.competencias(slug, anos[0] - 1) and anos[0] > ate.year - 50:
        anos.insert(0, anos[0] - 1)
    return anos


def lancamentos_ate(repo: Repositorio, slug: str, ate: dt.date) -> list[Lancamento]:
    """Lançamentos da entidade de todos os exercícios até o de ``ate``."""
    return [
        lanc for ano in anos_ate(repo, slug, ate) for lanc in repo.lancamentos(slug, ano, 0, 13)
    ]


def lancamentos_da_conta(
    repo: Repositorio, slug: str, conta: ContaBancaria, ate: dt.date
) -> list[Lancamento]:
    """Como ``lancamentos_ate``, só os que movimentam a conta bancária (partida na
    sua conta contábil com o seu domicílio bancário): os únicos que os movimentos
    e o saldo contábil dela leem."""
    return repo.lancamentos_com_partida(
        slug, anos_ate(repo, slug, ate), [conta.conta_contabil], f"DB={conta.codigo}"
    )


def situacao(
    repo: Repositorio,
    slug: str,
    codigo: str,
    ate: dt.date,
    janela: int = casamento.JANELA_PADRAO,
    lancamentos: Sequence[Lancamento] | None = None,
) -> Situacao:
    with repo.engine.connect() as con:
        _, cid, cb = _conta(repo, con, slug, codigo)
        linhas, saldos = _extrato(con, cid)
        pares = _pares(con, cid)
    lancs = lancamentos if lancamentos is not None else lancamentos_da_conta(repo, slug, cb, ate)
    movimentos = casamento.movimentos_do_razao(lancs, cb.conta_contabil, cb.codigo)
    pends = casamento.pendencias(linhas, saldos, movimentos, pares, ate)
    contabil = casamento.saldo_contabil(lancs, cb.conta_contabil, cb.codigo, ate)
    return Situacao(
        cb,
        ate,
        linhas,
        saldos,
        movimentos,
        pares,
        casamento.sugerir(linhas, movimentos, pares, ate, janela),
        pends,
        casamento.equacao(contabil, pends, casamento.saldo_extrato_em(linhas, saldos, ate)),
    )


def confirmar(
    repo: Repositorio,
    slug: str,
    codigo: str,
    pares: Iterable[Par],
    *,
    usuario: str | None = None,
) -> int:
    """Grava os casamentos; tudo ou nada. Cada par: linha do extrato da conta, ainda
    sem par; lançamento que movimenta a conta, ainda sem par; mesmo valor."""
    pares = list(pares)
    quem = usuario or usuario_do_sistema()
    with repo.engine.begin() as con:
        eid, cid, cb = _conta(repo, con, slug, codigo)
        linhas, _ = _extrato(con, cid)
        linha_de = {ln.id: ln for ln in linhas}
        ja = _pares(con, cid)
        linhas_usadas = {p.linha for p in ja}
        lancs_usados = {p.lancamento for p in ja}
        numeros = {p.lancamento for p in pares}
        cabs = list(
            con.execute(
                select(t.lancamento).where(
                    (t.lancamento.c.entidade_id == eid) & t.lancamento.c.numero.in_(numeros)
                )
            )
        )
        ids = {c.numero: c.id for c in cabs}
        lancs = Lancamentos(repo.sessao).montar_lancamentos(con, slug, cabs)
        movs = {
            m.lancamento: m
            for m in casamento.movimentos_do_razao(lancs, cb.conta_contabil, cb.codigo)
        }
        erros: list[Erro] = []
        vistos_l: set[int] = set()
        vistos_m: set[str] = set()
        for p in pares:
            ln = linha_de.get(p.linha)
            m = movs.get(p.lancamento)
            rotulo = f"linha {p.linha} × lançamento {p.lancamento}"
            if ln is None:
                erros.append(
                    Erro("CONC-PAR", f"{rotulo}: a linha não é do extrato da conta {codigo}")
                )
            elif p.linha in linhas_usadas or p.linha in vistos_l:
                erros.append(Erro("CONC-PAR", f"{rotulo}: a linha já está casada"))
            if m is None:
                erros.append(
                    Erro(
                        "CONC-PAR",
                        f"{rotulo}: o lançamento não existe ou não movimenta a conta {codigo}",
                    )
                )
            elif p.lancamento in lancs_usados or p.lancamento in vistos_m:
                erros.append(Erro("CONC-PAR", f"{rotulo}: o lançamento já está casado"))
            if ln is not None and m is not None and ln.centavos != m.centavos:
                erros.append(
                    Erro(
                        "CONC-VALOR",
                        f"{rotulo}: valores diferentes ({texto_de_centavos(ln.centavos)} no extrato, "
                        f"{texto_de_centavos(m.centavos)} no razão)",
                    )
                )
            vistos_l.add(p.linha)
            vistos_m.add(p.lancamento)
        if erros:
            raise OperacaoRecusada(erros)
        quando = dt.datetime.now(dt.UTC)
        if pares:
            con.execute(
                insert(t.conciliacao_par),
                [
                    {
                        "conta_bancaria_id": cid,
                        "extrato_linha_id": p.linha,
                        "lancamento_id": ids[p.lancamento],
                        "confirmado_em": quando,
                        "usuario": quem,
                    }
                    for p in pares
                ],
            )
            repo.sessao.auditar(
                con,
                quem,
                "conciliacao_confirmar",
                eid,
                f"{codigo}: " + ", ".join(f"{p.linha}×{p.lancamento}" for p in pares),
            )
        return len(pares)


def desfazer(
    repo: Repositorio,
    slug: str,
    codigo: str,
    *,
    linhas: Sequence[int] = (),
    mes: tuple[int, int] | None = None,
    usuario: str | None = None,
) -> int:
    """Desfaz casamentos: os das ``linhas`` indicadas ou, sem elas, os das linhas
    do extrato do ``mes``. Fica na auditoria."""
    quem = usuario or usuario_do_sistema()
    with repo.engine.begin() as con:
        eid, cid, _ = _conta(repo, con, slug, codigo)
        extrato, _ = _extrato(con, cid)
        if linhas:
            alvo = set(linhas)
        elif mes is not None:
            alvo = {ln.id for ln in extrato if (ln.data.year, ln.data.month) == mes and ln.id}
        else:
            alvo = set()
        existentes = {p.linha: p for p in _pares(con, cid) if p.linha in alvo}
        faltam = sorted(set(linhas) - set(existentes))
        if faltam:
            raise OperacaoRecusada(
                [Erro("CONC-PAR", f"linha {n}: não há casamento a desfazer") for n in faltam]
            )
        if existentes:
            con.execute(
                delete(t.conciliacao_par).where(
                    (t.conciliacao_par.c.conta_bancaria_id == cid)
                    & t.conciliacao_par.c.extrato_linha_id.in_(list(existentes))
                )
            )
            repo.sessao.auditar(
                con,
                quem,
                "conciliacao_desfazer",
                eid,
                f"{codigo}: " + ", ".join(f"{p.linha}×{p.lancamento}" for p in existentes.values()),
            )
        return len(existentes)


def pendencias_das_contas(
    repo: Repositorio,
    slug: str,
    contas: Sequence[ContaBancaria],
    ate: dt.date,
    lancamentos: Sequence[Lancamento],
) -> dict[str, list[Pendencia]]:
    """Pendências em ``ate`` de cada conta bancária com extrato importado."""
    saida: dict[str, list[Pendencia]] = {}
    with repo.engine.connect() as con:
        dados: list[tuple[ContaBancaria, Any, Any, list[Par]]] = []
        eid = repo.sessao.id_entidade(con, slug)
        ids = {
            r.codigo: r.id
            for r in con.execute(
                select(t.conta_bancaria.c.codigo, t.conta_bancaria.c.id).where(
                    t.conta_bancaria.c.entidade_id == eid
                )
            )
        }
        for cb in contas:
            if cb.tipo == TipoContaBancaria.CAIXA:
                continue
            cid = ids.get(cb.codigo)
            if cid is None:  # fora do cadastro: a mesma recusa de _conta
                _, cid, _ = _conta(repo, con, slug, cb.codigo)
            linhas, saldos = _extrato(con, cid)
            if linhas or saldos:
                dados.append((cb, linhas, saldos, _pares(con, cid)))
    for cb, linhas, saldos, pares in dados:
        movimentos = casamento.movimentos_do_razao(lancamentos, cb.conta_contabil, cb.codigo)
        saida[cb.codigo] = casamento.pendencias(linhas, saldos, movimentos, pares, ate)
    return saida
