"""Cadastros no banco: credores, contas bancárias (e o encerramento delas) e as
classificações orçamentárias (órgão, unidade, programa, ação, fonte)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, select

from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.cadastros import (
    ContaBancaria,
    Credor,
    EncerramentoContaBancaria,
    TipoContaBancaria,
    TipoPessoa,
    conferir_encerramento,
    conta_bancaria_de_dict,
    credor_de_dict,
    encerramento_de_dict,
)
from erario.execucao.carga import objetos_jsonl
from erario.orcamento.cadastros import (
    TIPOS_CADASTRO,
    Acao,
    Classificacao,
    Classificacoes,
    FonteEntidade,
    Orgao,
    Programa,
    UnidadeOrcamentaria,
    classificacao_de_dict,
    classificacoes_de,
    conferir_unidades,
)
from erario.orcamento.classificacao import ler_fonte
from erario.storage import esquema as t
from erario.storage.massa import gravar_ou_atualizar

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao


class ResumoCadastros(NamedTuple):
    credores: int
    contas_bancarias: int
    orgaos: int = 0
    unidades: int = 0
    programas: int = 0
    acoes: int = 0
    fontes: int = 0
    encerramentos: int = 0


class Cadastros:
    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao

    def registrar_cadastros(
        self, linhas: Iterable[str], origem: str = "arquivo", *, validar: bool = False
    ) -> ResumoCadastros:
        """Credores, contas bancárias e classificações orçamentárias em JSON Lines
        (``{"cadastro": "credor", …}``, ``"conta_bancaria"``,
        ``"encerramento_conta_bancaria"``, ``"orgao"``, ``"unidade"``,
        ``"programa"``, ``"acao"`` ou ``"fonte"``), tudo ou nada; um cadastro
        existente é atualizado. Devolve a contagem de cada tipo."""
        sessao = self.sessao
        with sessao.transacao_carga() if not validar else sessao.so_leitura() as con:
            entidades = sessao.ids_entidades(con)
            credores: list[Credor] = []
            contas: list[ContaBancaria] = []
            encerramentos: list[tuple[int, EncerramentoContaBancaria]] = []
            classificacoes: list[tuple[int | None, Classificacao]] = []
            erros: list[Erro] = []
            for n, obj in objetos_jsonl(linhas, "CAD-JSON", origem, erros):
                tipo = obj.pop("cadastro", None) if isinstance(obj, dict) else None
                if tipo == "credor":
                    credor, erros_c = credor_de_dict(obj, n, origem)
                    erros += erros_c
                    if credor is not None:
                        credores.append(credor)
                elif tipo == "conta_bancaria":
                    info = entidades.get(obj.get("entidade", ""))
                    if info is None:
                        erros.append(
                            Erro(
                                "CAD-CAMPO",
                                f"entidade: {obj.get('entidade')} não existe",
                                "entidade",
                                n,
                                origem,
                            )
                        )
                        continue
                    conta, erros_c = conta_bancaria_de_dict(
                        obj, sessao.plano_carregado(info[1], con).plano, n, origem
                    )
                    erros += erros_c
                    if conta is not None:
                        contas.append(conta)
                elif tipo == "encerramento_conta_bancaria":
                    enc, erros_c = encerramento_de_dict(obj, n, origem)
                    erros += erros_c
                    if enc is not None:
                        encerramentos.append((n, enc))
                elif isinstance(tipo, str) and tipo in TIPOS_CADASTRO:
                    registro, erros_c = classificacao_de_dict(tipo, obj, n, origem)
                    if registro is not None and registro.entidade not in entidades:
                        erros_c.append(
                            Erro(
                                "CAD-CAMPO",
                                f"entidade: {registro.entidade} não existe",
                                "entidade",
                                n,
                                origem,
                            )
                        )
                    erros += erros_c
                    if registro is not None and not erros_c:
                        classificacoes.append((n, registro))
                else:
                    erros.append(
                        Erro(
                            "CAD-JSON",
                            'use "cadastro": "credor", "conta_bancaria", '
                            '"encerramento_conta_bancaria", "orgao", "unidade", '
                            '"programa", "acao" ou "fonte"',
                            "cadastro",
                            n,
                            origem,
                        )
                    )
            if encerramentos:
                # A conta do encerramento: a do mesmo arquivo ou a já gravada.
                cadastradas = {(c.entidade, c.codigo): c for c in self.ler_contas_bancarias(con)}
                cadastradas.update({(c.entidade, c.codigo): c for c in contas})
                for n, enc in encerramentos:
                    erros += conferir_encerramento(
                        enc, cadastradas.get((enc.entidade, enc.codigo)), n, origem
                    )
            if classificacoes:
                slug_de = {eid: slug for slug, (eid, _) in entidades.items()}
                existentes = [
                    (slug_de[r.entidade_id], r.codigo) for r in con.execute(select(t.orgao))
                ]
                erros += conferir_unidades(classificacoes, existentes, origem)
            if erros:
                raise OperacaoRecusada(sorted(erros, key=lambda e: e.linha or 0))
            if not validar:
                for c in credores:
                    dados = {
                        "nome": c.nome,
                        "tipo": c.tipo.value,
                        "simples": c.simples,
                        "endereco": c.endereco,
                    }
                    gravar_ou_atualizar(con, t.credor, {"documento": c.documento}, dados)
                for cb in contas:
                    eid = entidades[cb.entidade][0]
                    dados_cb: dict[str, Any] = {
                        "tipo": cb.tipo.value,
                        "fonte": str(cb.fonte),
                        "conta_contabil": cb.conta_contabil,
                        "banco": cb.banco,
                        "agencia": cb.agencia,
                        "agencia_dv": cb.agencia_dv,
                        "conta": cb.conta,
                        "conta_dv": cb.conta_dv,
                        "nome": cb.nome,
                        "cnpj_titular": cb.cnpj_titular,
                        "ibge_agencia": cb.ibge_agencia,
                        "ativacao": cb.ativacao,
                    }
                    gravar_ou_atualizar(
                        con, t.conta_bancaria, {"entidade_id": eid, "codigo": cb.codigo}, dados_cb
                    )
                for _, enc in encerramentos:
                    con.execute(
                        t.conta_bancaria.update()
                        .where(
                            (t.conta_bancaria.c.entidade_id == entidades[enc.entidade][0])
                            & (t.conta_bancaria.c.codigo == enc.codigo)
                        )
                        .values(encerramento=enc.data, motivo_encerramento=enc.motivo)
                    )
                _gravar_classificacoes(con, entidades, [r for _, r in classificacoes])
            registros = [r for _, r in classificacoes]
            return ResumoCadastros(
                len(credores),
                len(contas),
                *(
                    sum(isinstance(r, classe) for r in registros)
                    for classe in TIPOS_CADASTRO.values()
                ),
            )._replace(encerramentos=len(encerramentos))

    # -------------------------------------------------------------- credores
    def credores(self) -> list[Credor]:
        with self.sessao.engine.connect() as con:
            return ler_credores(con)

    # ------------------------------------------------------- contas bancárias
    def contas_bancarias(self, slug: str | None = None) -> list[ContaBancaria]:
        with self.sessao.engine.connect() as con:
            return self.ler_contas_bancarias(con, slug)

    def ler_contas_bancarias(self, con: Connection, slug: str | None = None) -> list[ContaBancaria]:
        """As contas bancárias cadastradas (de todas as entidades ou da ``slug``)."""
        slug_de = {eid: s for s, (eid, _) in self.sessao.ids_entidades(con).items()}
        q = select(t.conta_bancaria).order_by(
            t.conta_bancaria.c.entidade_id, t.conta_bancaria.c.codigo
        )
        saida = []
        for r in con.execute(q):
            if slug is not None and slug_de[r.entidade_id] != slug:
                continue
            fonte, _ = ler_fonte(r.fonte)
            assert fonte is not None  # gravada já validada
            saida.append(
                ContaBancaria(
                    slug_de[r.entidade_id],
                    r.codigo,
                    TipoContaBancaria(r.tipo),
                    fonte,
                    r.conta_contabil,
                    r.banco,
                    r.agencia,
                    r.agencia_dv,
                    r.conta,
                    r.conta_dv,
                    r.nome,
                    r.cnpj_titular,
                    r.ibge_agencia,
                    r.ativacao,
                    r.encerramento,
                    r.motivo_encerramento,
                )
            )
        return saida

    # --------------------------------------------------------- classificações
    def classificacoes(self, slug: str) -> Classificacoes:
        """Órgãos, unidades, programas, ações e fontes cadastrados da entidade,
        cada grupo em ordem de código."""
        with self.sessao.engine.connect() as con:
            self.sessao.id_entidade(con, slug)  # recusa entidade inexistente
            return self.ler_classificacoes(con).get(slug, classificacoes_de(()))

    def ler_classificacoes(self, con: Connection) -> dict[str, Classificacoes]:
        """Os cadastros de classificação de todas as entidades que têm algum."""
        slug_de = {eid: s for s, (eid, _) in self.sessao.ids_entidades(con).items()}
        registros: dict[str, list[Classificacao]] = {}

        def juntar(eid: int, r: Classificacao) -> None:
            registros.setdefault(slug_de[eid], []).append(r)

        for x in con.execute(select(t.orgao).order_by(t.orgao.c.codigo)):
            juntar(x.entidade_id, Orgao(slug_de[x.entidade_id], x.codigo, x.nome))
        q = (
            select(t.orgao.c.entidade_id, t.orgao.c.codigo.label("orgao"), t.unidade_orcamentaria)
            .join(t.orgao, t.orgao.c.id == t.unidade_orcamentaria.c.orgao_id)
            .order_by(t.orgao.c.codigo, t.unidade_orcamentaria.c.codigo)
        )
        for x in con.execute(q):
            juntar(
                x.entidade_id,
                UnidadeOrcamentaria(slug_de[x.entidade_id], x.orgao, x.codigo, x.nome),
            )
        for x in con.execute(select(t.programa).order_by(t.programa.c.codigo)):
            juntar(x.entidade_id, Programa(slug_de[x.entidade_id], x.codigo, x.nome))
        for x in con.execute(select(t.acao).order_by(t.acao.c.codigo)):
            juntar(x.entidade_id, Acao(slug_de[x.entidade_id], x.codigo, x.nome))
        q = select(t.fonte_recurso).order_by(
            t.fonte_recurso.c.codigo, t.fonte_recurso.c.complemento
        )
        for x in con.execute(q):
            fonte, _ = ler_fonte(x.codigo + x.complemento)
            assert fonte is not None  # gravada já validada
            propriedades = tuple(sorted(json.loads(x.propriedades).items()))
            juntar(
                x.entidade_id, FonteEntidade(slug_de[x.entidade_id], fonte, x.nome, propriedades)
            )
        return {slug: classificacoes_de(rs) for slug, rs in registros.items()}


def ler_credores(con: Connection) -> list[Credor]:
    q = select(t.credor).order_by(t.credor.c.nome)
    return [
        Credor(r.documento, r.nome, TipoPessoa(r.tipo), bool(r.simples), r.endereco)
        for r in con.execute(q)
    ]


def _gravar_classificacoes(
    con: Connection,
    entidades: dict[str, tuple[int, str]],
    registros: Sequence[Classificacao],
) -> None:
    """Grava (ou atualiza pelo código) os cadastros de classificação; os
    órgãos antes das unidades, que apontam para eles."""

    gravar = partial(gravar_ou_atualizar, con)

    for r in registros:
        eid = entidades[r.entidade][0]
        if isinstance(r, Orgao):
            gravar(t.orgao, {"entidade_id": eid, "codigo": r.codigo}, {"nome": r.nome})
        elif isinstance(r, Programa):
            gravar(t.programa, {"entidade_id": eid, "codigo": r.codigo}, {"nome": r.nome})
        elif isinstance(r, Acao):
            gravar(
                t.acao,
                {"entidade_id": eid, "codigo": r.codigo},
                {"nome": r.nome, "tipo": r.tipo.value},
            )
        elif isinstance(r, FonteEntidade):
            gravar(
                t.fonte_recurso,
                {
                    "entidade_id": eid,
                    "codigo": r.fonte.codigo,
                    "complemento": r.fonte.complemento,
                },
                {
                    "nome": r.nome,
                    "propriedades": json.dumps(dict(r.propriedades), ensure_ascii=False),
                },
            )
    ids_orgao = {
        (x.entidade_id, x.codigo): x.id
        for x in con.execute(select(t.orgao.c.id, t.orgao.c.entidade_id, t.orgao.c.codigo))
    }
    for r in registros:
        if isinstance(r, UnidadeOrcamentaria):
            orgao_id = ids_orgao[(entidades[r.entidade][0], r.orgao)]
            gravar(
                t.unidade_orcamentaria,
                {"orgao_id": orgao_id, "codigo": r.codigo},
                {"nome": r.nome},
            )
