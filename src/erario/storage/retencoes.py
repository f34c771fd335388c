"""Cadastros das retenções no banco (descontos, tabelas, parâmetros da unidade
gestora…): o registro em JSON Lines e a leitura do cadastro montado."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.carga import objetos_jsonl
from erario.retencoes.cadastros import ParametrosUnidadeGestora, validar_alteracao_parametros
from erario.retencoes.carga import (
    CadastroRetencoes,
    RegistroLido,
    chave,
    conferir_carga,
    dict_de_registro,
    montar_cadastro,
    registro_de_dict,
)
from erario.storage import esquema as t
from erario.storage.massa import gravar_ou_atualizar

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao


class Retencoes:
    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao

    def registrar_retencoes(
        self, linhas: Iterable[str], origem: str = "arquivo", *, validar: bool = False
    ) -> int:
        """Cadastros das retenções em JSON Lines (``{"cadastro": "desconto", …}``),
        tudo ou nada, conferidos junto com os já gravados; um registro de mesma
        chave é atualizado (a mesma chave duas vezes no arquivo é recusada). Os
        parâmetros da unidade gestora só mudam antes da execução do exercício.
        Todo erro sai com a linha do arquivo. Devolve quantos registros."""
        sessao = self.sessao
        with sessao.transacao_carga() if not validar else sessao.so_leitura() as con:
            erros: list[Erro] = []
            lidos: list[RegistroLido] = []
            for n, obj in objetos_jsonl(linhas, "RET-CADASTRO", origem, erros):
                if not isinstance(obj, dict):
                    erros.append(
                        Erro("RET-CADASTRO", "cada linha deve ser um objeto", None, n, origem)
                    )
                    continue
                tipo, valores, erros_r = registro_de_dict(obj, n, origem)
                erros += erros_r
                if valores is not None:
                    lidos.append(RegistroLido(n, tipo, valores))
            novos = [(r.tipo, r.valores) for r in lidos]
            existentes = _registros(con)
            erros += conferir_carga(existentes, lidos, origem)[1]
            erros += self._conferir_parametros(con, existentes, lidos, origem)
            if erros:
                raise OperacaoRecusada(sorted(erros, key=lambda e: (e.linha is None, e.linha or 0)))
            if not validar:
                for tipo, valores in novos:
                    dados = json.dumps(dict_de_registro(tipo, valores), ensure_ascii=False)
                    gravar_ou_atualizar(
                        con,
                        t.retencao_cadastro,
                        {"tipo": tipo, "chave": chave(tipo, valores)},
                        {"dados": dados},
                    )
            return len(novos)

    def cadastro_retencoes(self) -> CadastroRetencoes:
        with self.sessao.engine.connect() as con:
            return ler_cadastro_retencoes(con)

    def _conferir_parametros(
        self,
        con: Connection,
        existentes: list[tuple[str, dict[str, Any]]],
        lidos: list[RegistroLido],
        origem: str,
    ) -> list[Erro]:
        """Seção 1.8: parâmetros só mudam antes do início da execução do exercício
        (algum evento da entidade no ano). Erros na linha do arquivo."""
        atuais = {
            (v["unidade_gestora"], v["exercicio"]): ParametrosUnidadeGestora(**v)
            for tipo, v in existentes
            if tipo == "parametros"
        }
        erros: list[Erro] = []
        entidades = self.sessao.ids_entidades(con)
        for linha, tipo, v in lidos:
            if tipo != "parametros":
                continue
            novo = ParametrosUnidadeGestora(**v)
            ug, ano = novo.unidade_gestora, novo.exercicio
            if ug not in entidades:
                erros.append(
                    Erro(
                        "RET-CADASTRO",
                        f"unidade_gestora: entidade {ug} não existe",
                        "unidade_gestora",
                        linha,
                        origem,
                    )
                )
                continue
            atual = atuais.get((ug, ano), ParametrosUnidadeGestora(ug, ano))
            iniciada = (
                con.execute(
                    select(t.evento.c.id)
                    .where(
                        (t.evento.c.entidade_id == entidades[ug][0])
                        & (t.evento.c.data >= dt.date(ano, 1, 1))
                        & (t.evento.c.data <= dt.date(ano, 12, 31))
                    )
                    .limit(1)
                ).first()
                is not None
            )
            erros += [
                e.em(linha=linha, origem=origem)
                for e in validar_alteracao_parametros(atual, novo, iniciada)
            ]
        return erros


def ler_cadastro_retencoes(con: Connection) -> CadastroRetencoes:
    return montar_cadastro(_registros(con))


def _registros(con: Connection) -> list[tuple[str, dict[str, Any]]]:
    saida = []
    q = select(t.retencao_cadastro.c.dados).order_by(t.retencao_cadastro.c.id)
    for (dados,) in con.execute(q):
        tipo, valores, erros = registro_de_dict(json.loads(dados))
        if valores is None:  # gravado por esta mesma versão: não deve acontecer
            raise OperacaoRecusada(erros)
        saida.append((tipo, valores))
    return saida
