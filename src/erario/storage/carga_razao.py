"""Carga de lançamentos no razão: valida em blocos (``razao.validacao``), confere
números de controle e estornos contra o banco e grava (pysqlite, SQLAlchemy ou o
gravador em C, ``storage.gravacao``), somando os saldos no fim.

Separado dos lançamentos (``storage.lancamentos``, que a cria em ``importar``,
``importar_csv`` e ``lancar_lote``) e dos eventos (``storage.eventos``): aqui só o
conceito da carga do razão.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Container, Sequence
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, func, select

from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro, OperacaoRecusada
from erario.razao.carga import sem_coleta_ciclica
from erario.razao.estorno import Assinatura, assinatura, conferir_estorno
from erario.razao.modelo import (
    LIVRO_CONTABIL,
    Lancamento,
    LancamentoCompacto,
    ModeloPartidas,
    TipoLancamento,
)
from erario.razao.saldos import linhas_por_periodo
from erario.razao.validacao import Validador
from erario.storage import esquema as t
from erario.storage.entidades import situacoes
from erario.storage.gravacao import Gravador, Pacote, empacotar, empacotar_partidas
from erario.storage.massa import comando_insert, inserir_em_massa, inserir_planos, somar_saldos

if TYPE_CHECKING:
    from erario.storage.lancamentos import Lancamentos

Progresso = Callable[[int], None]
SOMA_MAX = 2**63 - 1  # BIGINT: maior saldo que o banco guarda, em centavos
_LIMIAR = 10**16  # centavos (100 trilhões de reais): acima disto, ``Carga._cabe`` consulta o banco

NUMERO_EVENTO = "EV"  # número de controle do lançamento de um evento: EV<id do evento>

_COLUNAS_LANCAMENTO = (
    "id",
    "entidade_id",
    "numero",
    "data",
    "ano",
    "periodo",
    "tipo",
    "livro",
    "historico",
    "origem",
    "estorno",
    "estornado_id",
    "valor",
)
# Partidas sem histórico próprio (o acelerador e os lançamentos compactos) e com
# ele (o caminho de referência: o histórico da linha, ou NULL se igual ao do lançamento).
_COLUNAS_PARTIDA = ("lancamento_id", "seq", "conta_id", "dc", "valor", "conta_corrente")
_COLUNAS_PARTIDA_H = (*_COLUNAS_PARTIDA, "historico")
_INSERT_LANCAMENTO = comando_insert("lancamento", _COLUNAS_LANCAMENTO)
_INSERT_PARTIDA = comando_insert("partida", _COLUNAS_PARTIDA)
_INSERT_PARTIDA_H = comando_insert("partida", _COLUNAS_PARTIDA_H)


def pacotes_do_bloco(cabs: tuple[bytes, int], pars: tuple[bytes, int]) -> list[Pacote]:
    """Lançamentos e partidas de um bloco empacotado pelo acelerador, para o ``Gravador``."""
    return [
        (_INSERT_LANCAMENTO, len(_COLUNAS_LANCAMENTO), *cabs),
        (_INSERT_PARTIDA, len(_COLUNAS_PARTIDA), *pars),
    ]


def gravar_planos(con: Connection, cabs: list[Any], pars: list[Any]) -> None:
    """Grava lançamentos e partidas dados como listas planas de valores das colunas."""
    inserir_planos(con, "lancamento", _COLUNAS_LANCAMENTO, cabs)
    inserir_planos(con, "partida", _COLUNAS_PARTIDA, pars)


# Cargas do PostgreSQL com tantos lançamentos ou mais terminam com ANALYZE.
ANALISAR_A_PARTIR = 10_000


class ResumoCarga(NamedTuple):
    lancamentos: int
    partidas: int


class Carga:
    """Uma carga de lançamentos numa transação: valida em blocos, grava cada bloco
    válido e, no fim, soma os saldos — ou recusa tudo com todos os erros.

    Guarda só o necessário entre blocos: números já usados (unicidade e estornos
    dentro da carga) e os movimentos agregados por conta/período.
    """

    def __init__(
        self,
        razao: Lancamentos,
        con: Connection,
        *,
        gravar: bool,
        origem: str | None,
        guardar: bool = False,
    ) -> None:
        self.razao = razao  # os lançamentos gravados (originais dos estornos)
        self.sessao = razao.sessao
        self.con = con
        self.gravar = gravar
        self.origem = origem
        self.guardar = guardar  # devolver os lançamentos gravados (lancar/lancar_lote)
        self.entidades = self.sessao.ids_entidades(con)
        self.ids_ent = {slug: eid for slug, (eid, _) in self.entidades.items()}
        self.situacao = situacoes(con)
        self.validadores: dict[str, Validador] = {}
        self.numeros: dict[tuple[str, str], int] = {}  # (entidade, número) → id nesta carga
        self.estornados: set[tuple[str, str]] = set()  # originais estornados nesta carga
        # só na carga que valida (nada gravado): o que conferir dos originais da carga
        self.assinaturas: dict[tuple[str, str | None], Assinatura] = {}
        self.total = 0  # débitos da carga (limite dos saldos: ``_cabe``)
        self.folga: int | None = None
        self.com_razao: dict[str, bool] = {}  # entidade já tem lançamentos no banco?
        self.proximo = (
            int(con.execute(select(func.coalesce(func.max(t.lancamento.c.id), 0))).scalar_one()) + 1
        )
        self.primeiro = self.proximo  # id do primeiro lançamento desta carga
        # (entidade, ano) → números dos lançamentos de período 0 vivos (nem estorno
        # nem estornados) gravados antes desta carga (abertura_implantada)
        self.aberturas: dict[tuple[str, int], list[str]] = {}
        self.sqlite = con.dialect.name == "sqlite"
        # [débitos, créditos] por (entidade, ano, livro, período) → (conta, conta corrente)
        self.somas: dict[tuple[int, int, str, int], dict[tuple[int, str], list[int]]] = {}
        self.erros: list[Erro] = []
        self.gravados: list[Lancamento] = []
        self.lancamentos = 0
        self.partidas = 0
        # Com gravador (SQLite com o módulo C): as linhas de cada bloco vão em
        # pacotes, entregues juntos por ``enviar``.
        self.gravador: Gravador | None = None
        self.pacotes: list[Pacote] = []
        self.proximo_evento: int | None = None  # id do próximo evento (eventos.gravar_eventos)

    def enviar(self) -> None:
        """Entrega ao gravador os pacotes do bloco (grava numa thread)."""
        if self.gravador is not None and self.pacotes:
            self.gravador.gravar(self.pacotes)
            self.pacotes = []

    def esperar(self) -> None:
        """Espera a gravação em curso (antes de ler ou gravar pelo pysqlite)."""
        if self.gravador is not None:
            self.gravador.esperar()

    @property
    def resumo(self) -> ResumoCarga:
        return ResumoCarga(self.lancamentos, self.partidas)

    def validador(self, plano: str) -> Validador:
        v = self.validadores.get(plano)
        if v is None:
            v = self.validadores[plano] = Validador(
                self.sessao.plano_carregado(plano, self.con).plano, self.situacao
            )
        return v

    def _tem_razao(self, slug: str) -> bool:
        r = self.com_razao.get(slug)
        if r is None:
            q = select(t.lancamento.c.id).where(t.lancamento.c.entidade_id == self.ids_ent[slug])
            r = self.com_razao[slug] = self.con.execute(q.limit(1)).first() is not None
        return r

    def abertura_implantada(self, slug: str, ano: int) -> Erro | None:
        """``LANC-ABERTURA-DUPLICADA`` se o exercício ``ano`` da entidade já tem
        saldos de abertura: lançamento de período 0 gravado antes desta carga que
        não é estorno nem foi estornado (no banco ou antes, nesta carga). Dentro
        de uma carga, vários lançamentos de abertura são aceitos. Consulta o banco
        uma vez por (entidade, ano)."""
        numeros = self.aberturas.get((slug, ano))
        if numeros is None:
            lanc, estorno = t.lancamento, t.lancamento.alias("estorno_abertura")
            q = (
                select(lanc.c.numero)
                .join(estorno, estorno.c.estornado_id == lanc.c.id, isouter=True)
                .where(
                    (lanc.c.entidade_id == self.ids_ent[slug])
                    & (lanc.c.data == dt.date(ano, 1, 1))  # período 0: sempre 1º/01
                    & (lanc.c.periodo == 0)
                    & (lanc.c.id < self.primeiro)
                    & ~lanc.c.estorno
                    & estorno.c.id.is_(None)
                )
                .order_by(lanc.c.id)
            )
            numeros = self.aberturas[(slug, ano)] = list(self.con.execute(q).scalars())
        vivos = [n for n in numeros if (slug, n) not in self.estornados]
        if not vivos:
            return None
        lista = ", ".join(vivos[:3]) + (f" e mais {len(vivos) - 3}" if len(vivos) > 3 else "")
        if any(n.startswith(NUMERO_EVENTO) for n in vivos):
            # A abertura veio do encerramento do ano anterior (execucao.encerramento).
            return Erro(
                "LANC-ABERTURA-DUPLICADA",
                f"o exercício {ano} de {slug} já tem a abertura lançada pelo encerramento de "
                f"{ano - 1} ({lista}): para implantar outra, desfaça antes o encerramento "
                f"(erario exercicio desfazer-encerramento {slug} {ano - 1})",
            )
        return Erro(
            "LANC-ABERTURA-DUPLICADA",
            f"o exercício {ano} de {slug} já tem saldos de abertura "
            f"({'lançamento' if len(vivos) == 1 else 'lançamentos'} {lista}): "
            "estorne-os antes de implantar de novo",
        )

    @sem_coleta_ciclica()
    def bloco(
        self,
        lancs: Sequence[Lancamento | LancamentoCompacto],
        linhas: Sequence[int] | None,
        progresso: Progresso | None = None,
        erros_leitura: Sequence[Erro] = (),
        gerados: Container[int] = (),
    ) -> None:
        """``gerados``: índices dos lançamentos que um roteiro contábil gerou
        (validados por ``Validador.validar_gerado``, mesmo resultado)."""
        self.erros.extend(erros_leitura)
        preparados = self._preparar(lancs, linhas, gerados)
        if not self.gravar:
            self.lancamentos += len(preparados)
            self.partidas += sum(len(lc.partidas) for _, lc, _, _ in preparados)
        elif not self.erros:
            self._gravar(preparados)
        if progresso:
            progresso(len(lancs))

    def bloco_pronto(
        self,
        cabs: list[Any] | tuple[bytes, int],
        pars: list[Any] | tuple[bytes, int],
        somas: list[tuple[tuple[int, int, str, int], tuple[int, str], int, int]],
        chaves: list[tuple[str, str]],
    ) -> bool:
        """Bloco já validado e montado pelo acelerador (``storage.carga_csv``).

        ``cabs`` e ``pars`` trazem os valores das colunas de lançamento e partida
        em listas planas (gravadas aqui), ou empacotados com o número de linhas
        (gravados por quem chamou, ver ``storage.gravacao``). Falta só conferir números de
        controle já gravados no banco; se algum repetir, devolve False sem mudar
        nada (o caminho de referência relata o erro).
        """
        if not chaves:
            return True
        com_razao = {s for s in {k[0] for k in chaves} if self._tem_razao(s)}
        consultar = {k for k in chaves if k[0] in com_razao}
        if consultar and _numeros_existentes(self.con, self.ids_ent, consultar):
            return False
        total = sum(d for _, _, d, _ in somas)
        if self.total + total > _LIMIAR:
            return False  # o caminho de referência confere o limite, com a linha
        self.total += total
        self.numeros.update(
            zip(chaves, range(self.proximo, self.proximo + len(chaves)), strict=True)
        )
        self.proximo += len(chaves)
        self.lancamentos += len(chaves)
        self.partidas += pars[1] if isinstance(pars, tuple) else len(pars) // len(_COLUNAS_PARTIDA)
        if self.gravar:
            for periodo, conta, debitos, creditos in somas:
                self._somar(periodo, conta, debitos, creditos)
            if isinstance(cabs, list) and isinstance(pars, list):
                gravar_planos(self.con, cabs, pars)
            # empacotados: storage.carga_csv entrega ao gravador (pacotes_do_bloco)
        return True

    def _somar(
        self,
        periodo: tuple[int, int, str, int],
        conta: tuple[int, str],
        debitos: int,
        creditos: int,
    ) -> None:
        """Soma movimentos já agregados aos saldos da carga (por entidade, ano,
        livro e período → conta e conta corrente). O laço das partidas de
        ``_gravar`` faz o mesmo em linha, uma vez por partida."""
        por_conta = self.somas.get(periodo)
        if por_conta is None:
            por_conta = self.somas[periodo] = {}
        soma = por_conta.get(conta)
        if soma is None:
            por_conta[conta] = [debitos, creditos]
        else:
            soma[0] += debitos
            soma[1] += creditos

    def _cabe(self, total: int, linha: int | None, numero: str | None) -> bool:
        """Confere cedo que os saldos cabem no banco (BIGINT): a soma dos débitos da
        carga, mais o maior acumulado já gravado, não pode passar de 2⁶³−1 centavos
        (nenhuma conta soma mais que o total da carga). Só consulta o banco se a
        carga passar de ``_LIMIAR`` (nunca num razão municipal)."""
        self.total += total
        if self.total <= _LIMIAR:
            return True
        if self.folga is None:
            q = select(
                func.coalesce(func.max(t.saldo.c.debito_acum), 0),
                func.coalesce(func.max(t.saldo.c.credito_acum), 0),
            )
            self.folga = SOMA_MAX - max(self.con.execute(q).one())
        if self.total <= self.folga:
            return True
        self.total -= total
        self._erro(
            Erro(
                "MIG-SOMA-LIMITE",
                f"com este lançamento os valores da carga somam {formatar_brl(self.total + total)}"
                f", além do que um saldo pode guardar ({formatar_brl(self.folga)}): confira os "
                "valores",
                "valor",
            ),
            linha,
            numero,
        )
        return False

    def _erro(self, erro: Erro, linha: int | None, numero: str | None) -> None:
        origem = self.origem or (f"lançamento {numero}" if numero and linha is None else None)
        self.erros.append(erro.em(linha=linha, origem=origem))

    def _preparar(
        self,
        lancs: Sequence[Lancamento | LancamentoCompacto],
        linhas: Sequence[int] | None,
        gerados: Container[int] = (),
    ) -> list[tuple[int, Lancamento | LancamentoCompacto, int, int | None]]:
        """Valida no domínio e confere números e estornos; devolve (índice, lançamento, id, id estornado).

        O compacto aceito por ``Validador.aceita_compacto`` segue compacto; senão é
        validado completo, como os outros."""
        validos: list[tuple[int, Lancamento | LancamentoCompacto, int]] = []
        consultar: set[tuple[str, str]] = set()
        for i, lanc in enumerate(lancs):
            linha = linhas[i] if linhas is not None else None
            info = self.entidades.get(lanc.entidade)
            if info is None:
                erro = Erro("LANC-ENTIDADE", f"entidade {lanc.entidade} não existe", "entidade")
                self._erro(erro, linha, lanc.numero)
                continue
            validador = self.validador(info[1])
            normal: Lancamento | LancamentoCompacto | None
            erros: list[Erro]
            if isinstance(lanc, LancamentoCompacto):
                if validador.aceita_compacto(lanc):
                    normal, erros = lanc, []
                else:
                    normal, erros = validador.validar(lanc.lancamento())
            else:
                assert isinstance(lanc, Lancamento)
                normal, erros = (
                    validador.validar_gerado(lanc) if i in gerados else validador.validar(lanc)
                )
            lid = self.proximo
            numero = lanc.numero or f"{lanc.data.year}{lid:010d}"
            chave = (lanc.entidade, numero)
            if chave in self.numeros:
                erros.append(
                    Erro(
                        "LANC-NUMERO-DUPLICADO",
                        f"número de controle {numero} repetido no lote",
                        "numero",
                    )
                )
            if erros or normal is None:
                for e in erros:
                    self._erro(e, linha, lanc.numero)
                continue
            if isinstance(normal, LancamentoCompacto):
                total = normal.centavos * _debitos_do_modelo(normal.modelo)
            else:
                total = sum(p.centavos for p in normal.partidas if p.dc == "D")
            if not self._cabe(total, linha, lanc.numero):
                continue
            self.proximo += 1
            self.numeros[chave] = lid
            if lanc.numero is None:
                normal = normal._replace(numero=numero)
            if self._tem_razao(lanc.entidade):
                consultar.add(chave)
            if type(normal) is Lancamento and normal.estornado:
                consultar.add((lanc.entidade, normal.estornado))
            validos.append((i, normal, lid))
        existentes = _numeros_existentes(self.con, self.ids_ent, consultar)
        do_banco = self._originais(
            {
                existentes[(lc.entidade, lc.estornado)][0]
                for _, lc, _ in validos
                if type(lc) is Lancamento
                and lc.estornado
                and (lc.entidade, lc.estornado) in existentes
            }
        )
        do_bloco: dict[tuple[str, str | None], Lancamento] = {}
        preparados: list[tuple[int, Lancamento | LancamentoCompacto, int, int | None]] = []
        for i, lc, lid in validos:
            linha = linhas[i] if linhas is not None else None
            assert lc.numero is not None
            if (lc.entidade, lc.numero) in existentes:
                erro = Erro(
                    "LANC-NUMERO-DUPLICADO",
                    f"número de controle {lc.numero} já usado na entidade {lc.entidade}",
                    "numero",
                )
                self._erro(erro, linha, lc.numero)
                continue
            if type(lc) is Lancamento and lc.tipo == TipoLancamento.ABERTURA and not lc.estorno:
                erro_abertura = self.abertura_implantada(lc.entidade, lc.data.year)
                if erro_abertura is not None:
                    self._erro(erro_abertura, linha, lc.numero)
                    continue
            estornado_id = None
            if type(lc) is Lancamento and lc.estornado:
                chave = (lc.entidade, lc.estornado)
                no_banco = existentes.get(chave)
                na_carga = self.numeros.get(chave)
                original: Lancamento | Assinatura | None = None
                if no_banco is not None:
                    original = do_banco.get(no_banco[0])
                elif na_carga is not None and na_carga < lid:
                    original = do_bloco.get(chave) or self.assinaturas.get(chave)
                    if original is None:  # só na carga que valida, de um compacto
                        original = Assinatura(lc.estornado, lc.data, lc.tipo, lc.livro, False, 0)
                ja_estornado = (no_banco is not None and no_banco[1]) or chave in self.estornados
                erros_estorno = conferir_estorno(lc, original, ja_estornado)
                if original is not None and original.partidas == 0 and erros_estorno:
                    erros_estorno = [e for e in erros_estorno if e.regra != "MIG-ESTORNO-INVERSO"]
                if erros_estorno:
                    for e in erros_estorno:
                        self._erro(e, linha, lc.numero)
                    continue
                self.estornados.add(chave)
                estornado_id = no_banco[0] if no_banco is not None else na_carga
            if type(lc) is Lancamento:
                do_bloco[(lc.entidade, lc.numero)] = lc
                if not self.gravar and not lc.estorno:
                    # A carga que só valida não grava: o que um estorno adiante precisa
                    # conferir do original fica na memória (pouco por lançamento).
                    self.assinaturas[(lc.entidade, lc.numero)] = assinatura(lc)
            preparados.append((i, lc, lid, estornado_id))
        return preparados

    def _originais(self, ids: set[int]) -> dict[int, Lancamento]:
        """Lançamentos gravados (no banco ou antes nesta carga) que algum estorno
        do bloco estorna, com as partidas: o estorno é conferido contra eles."""
        if not ids:
            return {}
        slug_de = {eid: slug for slug, (eid, _) in self.entidades.items()}
        saida: dict[int, Lancamento] = {}
        lista = sorted(ids)
        for ini in range(0, len(lista), 500):
            cabs = list(
                self.con.execute(
                    select(t.lancamento).where(t.lancamento.c.id.in_(lista[ini : ini + 500]))
                )
            )
            por_entidade: dict[int, list[Any]] = {}
            for c in cabs:
                por_entidade.setdefault(c.entidade_id, []).append(c)
            for eid, linhas in por_entidade.items():
                montados = self.razao.montar_lancamentos(self.con, slug_de[eid], linhas)
                saida.update(zip([c.id for c in linhas], montados, strict=True))
        return saida

    def _gravar(
        self, preparados: list[tuple[int, Lancamento | LancamentoCompacto, int, int | None]]
    ) -> None:
        cab: list[tuple[Any, ...]] = []
        par: list[tuple[Any, ...]] = []
        compactos: list[tuple[LancamentoCompacto, int]] = []
        sqlite = self.sqlite
        somas = self.somas
        ids_planos: dict[str, dict[str, int]] = {}
        for _, lc, lid, estornado_id in preparados:
            if isinstance(lc, LancamentoCompacto):
                compactos.append((lc, lid))
                continue
            eid, nome_plano = self.entidades[lc.entidade]
            ids_contas = ids_planos.get(nome_plano)
            if ids_contas is None:
                ids_contas = ids_planos[nome_plano] = self.sessao.plano_carregado(
                    nome_plano, self.con
                ).ids
            periodo = lc.periodo
            ano = lc.data.year
            total = 0
            somas_periodo = somas.get((eid, ano, lc.livro, periodo))
            if somas_periodo is None:
                somas_periodo = somas[(eid, ano, lc.livro, periodo)] = {}
            seq = 0
            for p in lc.partidas:
                seq += 1
                conta_id = ids_contas[p.conta]
                par.append(
                    (lid, seq, conta_id, p.dc, p.centavos, p.conta_corrente, p.historico or None)
                )
                soma = somas_periodo.get((conta_id, p.conta_corrente))
                if soma is None:
                    soma = somas_periodo[(conta_id, p.conta_corrente)] = [0, 0]
                if p.dc == "D":
                    total += p.centavos
                    soma[0] += p.centavos
                else:
                    soma[1] += p.centavos
            cab.append(
                (
                    lid,
                    eid,
                    lc.numero,
                    # SQLite guarda a data como texto ISO (o mesmo que o tipo Date do
                    # SQLAlchemy); passar o texto evita o adaptador lento do sqlite3.
                    lc.data.isoformat() if sqlite else lc.data,
                    ano,
                    periodo,
                    lc.tipo.value,
                    lc.livro,
                    lc.historico,
                    lc.origem,
                    lc.estorno,
                    estornado_id,
                    total,
                )
            )
            self.partidas += seq
            if self.guardar:
                self.gravados.append(lc)
        self.lancamentos += len(cab)
        por_entidade: dict[str, list[tuple[LancamentoCompacto, int]]] = {}
        for item in compactos:
            por_entidade.setdefault(item[0].entidade, []).append(item)
        partidas_c: list[Pacote] = []
        for slug, itens in por_entidade.items():
            cab_c, pacote, linhas_par = self._compactos(slug, itens)
            cab += cab_c
            if pacote is not None:
                partidas_c.append(pacote)
            par += linhas_par
        if self.gravador is not None:
            if cab:
                self.pacotes.append(empacotar(_INSERT_LANCAMENTO, len(_COLUNAS_LANCAMENTO), cab))
            if par:
                self.pacotes.append(empacotar(_INSERT_PARTIDA_H, len(_COLUNAS_PARTIDA_H), par))
            self.pacotes += partidas_c
            return
        inserir_em_massa(self.con, "lancamento", _COLUNAS_LANCAMENTO, cab)
        inserir_em_massa(self.con, "partida", _COLUNAS_PARTIDA_H, par)

    def _compactos(
        self, slug: str, itens: list[tuple[LancamentoCompacto, int]]
    ) -> tuple[list[tuple[Any, ...]], Pacote | None, list[tuple[Any, ...]]]:
        """Linhas dos lançamentos compactos de uma entidade, coluna a coluna; as
        partidas vão num pacote (com gravador) ou em linhas, e as somas por modelo
        (um acréscimo por lançamento) se abrem por conta no fim."""
        eid, nome_plano = self.entidades[slug]
        ids_contas = self.sessao.plano_carregado(nome_plano, self.con).ids
        lcs = [lc for lc, _ in itens]
        lids = [lid for _, lid in itens]
        datas = [lc.data for lc in lcs]
        anos = [d.year for d in datas]
        periodos = [d.month for d in datas]  # ordinários
        valores = [lc.centavos for lc in lcs]
        mids = [id(lc.modelo) for lc in lcs]
        # id(modelo) → (modelo com ids de conta, débitos do modelo); os modelos
        # ficam vivos em ``itens`` durante a chamada, então o id não se repete.
        convertidos: dict[int, tuple[tuple[tuple[int, str, str], ...], int]] = {}
        for lc in lcs:
            if id(lc.modelo) not in convertidos:
                convertidos[id(lc.modelo)] = (
                    tuple((ids_contas[c], dc, cc) for c, dc, cc in lc.modelo),
                    sum(1 for _, dc, _ in lc.modelo if dc == "D"),
                )
        por_modelo: dict[tuple[int, int, int], int] = {}
        for chave_m, v in zip(zip(anos, periodos, mids, strict=True), valores, strict=True):
            por_modelo[chave_m] = por_modelo.get(chave_m, 0) + v
        for (ano, periodo, mid), total in por_modelo.items():
            for conta_id, dc, cc in convertidos[mid][0]:
                d, c = (total, 0) if dc == "D" else (0, total)
                self._somar((eid, ano, LIVRO_CONTABIL, periodo), (conta_id, cc), d, c)
        modelos = [convertidos[m][0] for m in mids]
        self.partidas += sum(len(convertidos[m][0]) * k for m, k in Counter(mids).items())
        self.lancamentos += len(lcs)
        cab = list(
            zip(
                lids,
                repeat(eid),
                [lc.numero for lc in lcs],
                [d.isoformat() for d in datas] if self.sqlite else datas,
                anos,
                periodos,
                repeat(TipoLancamento.ORDINARIO.value),
                repeat(LIVRO_CONTABIL),
                [lc.historico for lc in lcs],
                [lc.origem for lc in lcs],
                repeat(False),
                repeat(None),
                [v * convertidos[m][1] for v, m in zip(valores, mids, strict=True)],
            )
        )
        if self.guardar:
            self.gravados += [lc.lancamento() for lc in lcs]
        if self.gravador is not None:
            return cab, empacotar_partidas(_INSERT_PARTIDA, lids, valores, modelos), []
        linhas = [
            (lid, seq, conta_id, dc, v, cc, None)
            for lid, v, modelo in zip(lids, valores, modelos, strict=True)
            for seq, (conta_id, dc, cc) in enumerate(modelo, start=1)
        ]
        return cab, None, linhas

    def concluir(self) -> None:
        """Recusa tudo se houve erro; senão grava os saldos agregados da carga."""
        self.esperar()
        if self.erros:
            self.erros.sort(key=lambda e: e.linha or 0)
            raise OperacaoRecusada(self.erros)
        if not self.gravar:
            return
        somar_saldos(self.con, linhas_por_periodo(self.somas))
        if self.con.dialect.name == "postgresql" and self.lancamentos >= ANALISAR_A_PARTIR:
            # Estatísticas do planejador em dia já no COMMIT: sem elas (o autovacuum
            # demora), a carga seguinte na mesma entidade conferia os números já
            # usados com um plano para tabela vazia — 4 a 19 s por bloco de 500.
            self.con.exec_driver_sql("ANALYZE lancamento, partida, evento, saldo")


def _numeros_existentes(
    con: Connection, ids_ent: dict[str, int], chaves: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[int, bool]]:
    """(entidade, número) → (id, já estornado) dos que existem no banco."""
    if not chaves:
        return {}
    ids = {ids_ent[s] for s, _ in chaves if s in ids_ent}
    if not con.execute(
        select(t.lancamento.c.id).where(t.lancamento.c.entidade_id.in_(ids)).limit(1)
    ).first():
        return {}
    slug_de = {v: k for k, v in ids_ent.items()}
    estornado = t.lancamento.alias("e")
    saida: dict[tuple[str, str], tuple[int, bool]] = {}
    lista = sorted(chaves)
    for ini in range(0, len(lista), 500):
        bloco = lista[ini : ini + 500]
        for eid in {ids_ent[s] for s, _ in bloco if s in ids_ent}:
            numeros = [n for s, n in bloco if ids_ent.get(s) == eid]
            q = (
                select(
                    t.lancamento.c.numero,
                    t.lancamento.c.id,
                    estornado.c.id.label("estorno_id"),
                )
                .join(estornado, estornado.c.estornado_id == t.lancamento.c.id, isouter=True)
                .where((t.lancamento.c.entidade_id == eid) & t.lancamento.c.numero.in_(numeros))
            )
            for numero, lid, estorno_id in con.execute(q):
                saida[(slug_de[eid], numero)] = (lid, estorno_id is not None)
    return saida


@lru_cache(maxsize=4096)  # o mesmo modelo de roteiro em milhares de lançamentos
def _debitos_do_modelo(modelo: ModeloPartidas) -> int:
    """Quantas partidas do modelo são a débito (o total do compacto é o valor vezes isso)."""
    return sum(1 for _, dc, _ in modelo if dc == "D")
