"""Eventos orçamentários no banco: registrar em blocos (o que cada evento faz é
do domínio, ``execucao.registro``), gravar as linhas de ``evento``, desfazer o
encerramento do exercício e refazer o controle da execução dos eventos gravados.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, bindparam, func, insert, select

from erario.consolidacao.loa_incorporada import LoaIncorporada
from erario.core.erros import Erro, OperacaoRecusada
from erario.execucao.cadastros import ContaBancaria
from erario.execucao.carga import EstornoEvento, TextosLidos, dict_de_evento, evento_de_dados
from erario.execucao.conferencia_classificacoes import ConferenciaClassificacoes
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.encerramento import somar_partidas
from erario.execucao.eventos import EncerramentoExercicio, Evento, TransferenciaFinanceira
from erario.execucao.forma_compacta import compactar
from erario.execucao.registro import registrar
from erario.execucao.relatorios import empenho_do_evento
from erario.execucao.roteiros import CacheContas, Roteiro, roteiros_padrao
from erario.razao.carga import TAMANHO_BLOCO, sem_coleta_ciclica
from erario.razao.modelo import Lancamento, LancamentoCompacto, PlanoContas
from erario.retencoes.apropriacao import com_retencoes
from erario.storage import esquema as t
from erario.storage.cadastros import Cadastros, ler_credores
from erario.storage.carga_razao import NUMERO_EVENTO, Carga, Progresso
from erario.storage.consultas_execucao import eventos_alteraveis
from erario.storage.entidades import Entidades, encerramento_vigente
from erario.storage.gravacao import empacotar, gravador_da_carga
from erario.storage.lancamentos import Lancamentos
from erario.storage.massa import comando_insert, inserir_em_massa
from erario.storage.retencoes import ler_cadastro_retencoes
from erario.storage.saldos_controle import EstadoControle, reescrever, refazer_controle
from erario.storage.saldos_razao import saldos_do_exercicio
from erario.storage.sessao import usuario_do_sistema

if TYPE_CHECKING:
    from erario.storage.sessao import Sessao


class ResumoEventos(NamedTuple):
    eventos: int
    lancamentos: int
    partidas: int
    avisos: tuple[Erro, ...] = ()  # p. ex. desconto não gerado (teto do INSS atingido)
    loa_incorporada: int = 0  # dos eventos, os da LOA de entidades incorporadas (sem lançamento)


class Eventos:
    def __init__(self, sessao: Sessao) -> None:
        self.sessao = sessao
        self.entidades = Entidades(sessao)
        self.lancamentos = Lancamentos(sessao)
        self.cadastros = Cadastros(sessao)

    @sem_coleta_ciclica()  # milhões de NamedTuple vivos: as coletas custavam ~1/3 da carga
    def registrar_eventos(
        self,
        itens: Iterable[tuple[int | None, Evento | EstornoEvento | EncerramentoExercicio]],
        origem: str | None = None,
        *,
        validar: bool = False,
        erros_leitura: Sequence[Erro] = (),
        tamanho_bloco: int = TAMANHO_BLOCO,
        textos_lidos: TextosLidos | None = None,
        progresso: Progresso | None = None,
        desfazendo: tuple[str, int, str] | None = None,
    ) -> ResumoEventos:
        """Registra eventos orçamentários numa transação, tudo ou nada.

        Os saldos do controle (dotação, empenho, liquidação) vêm das tabelas
        ``controle_*``, só os que os eventos tocam (``storage.saldos_controle``);
        cada evento novo passa pelas travas e pelo roteiro contábil
        (``execucao.registro.registrar``, que decide; aqui só os blocos e a
        gravação) e gera um lançamento de número ``EV<id>`` com
        ``origem = evento:<id>``. Qualquer erro (do evento ou do lançamento, como
        competência fechada) recusa todos, com a linha de cada um.

        Em fluxo: a cada ``tamanho_bloco`` eventos, valida e grava os lançamentos
        e os eventos do bloco na mesma transação; os blocos seguintes leem os já
        gravados do banco. Depois do primeiro erro nada mais é gravado, mas a
        conferência segue até o fim para relatar todos. ``erros_leitura`` é a
        lista que o leitor de ``itens`` preenche enquanto é consumido
        (``iterar_eventos_jsonl``): conferida a cada bloco, entra nos erros.
        ``textos_lidos``, preenchido pelo mesmo leitor: ``evento.dados`` grava o
        texto JSON recebido do evento que chega como foi lido; o evento gerado
        (retenções) ou completado (conta bancária do cadastro) é gravado na forma
        de ``dict_de_evento``. As duas formas se releem no mesmo evento.
        ``progresso`` recebe, a cada bloco, o número da última linha lida.
        ``desfazendo`` (entidade, ano, motivo): só por ``desfazer_encerramento``, que
        reabre dezembro na mesma transação e permite o estorno do encerramento.
        """
        roteiros = roteiros_padrao()
        sessao = self.sessao
        with (
            sessao.transacao_carga() if not validar else sessao.so_leitura() as con,
            ExitStack() as pilha,
        ):
            if desfazendo is not None:
                self.entidades.reabrir_para_desfazer(con, *desfazendo)
            # O controle lê das tabelas só o que cada evento toca; o desfazer do
            # encerramento reexecuta os eventos (storage.saldos_controle).
            estado: EstadoControle | None = None
            if desfazendo is None:
                estado = EstadoControle(con)
                controle = estado.controle
                usado, usar = estado.usado, estado.usar
            else:
                controle, usados = refazer_controle(con)

                def usado(slug: str, codigo: str) -> bool:
                    return codigo in usados.get(slug, ())

                def usar(slug: str, codigo: str) -> None:
                    usados.setdefault(slug, set()).add(codigo)

            # no fim, tudo solto já, sem esperar o coletor de ciclos
            pilha.callback(estado.liberar if estado is not None else controle.esvaziar)
            carga = Carga(self.lancamentos, con, gravar=not validar, origem=origem)
            # Com o módulo C, os blocos são gravados numa thread (storage.gravacao).
            carga.gravador = pilha.enter_context(gravador_da_carga(con, carga.gravar))
            entidades = carga.entidades
            erros: list[Erro] = []
            # Só do bloco corrente (lançamentos de roteiro vêm compactos):
            lancs: list[Lancamento | LancamentoCompacto] = []
            linhas: list[int | None] = []
            novos: list[Evento | EstornoEvento | EncerramentoExercicio] = []
            gerados: set[int] = set()  # índices em lancs dos que saíram de um roteiro
            # Lançamentos da carga ainda não gravados, para estornos e encerramentos:
            # os do bloco corrente e, sem gravação (validar ou depois de um erro), os
            # dos blocos anteriores; os gravados são lidos do banco.
            do_lote: dict[tuple[str, str], Lancamento | LancamentoCompacto] = {}
            do_lote_destino: dict[tuple[str, str], Lancamento] = {}
            nao_gravados: dict[tuple[str, dt.date], dict[tuple[str, str], int]] = {}
            encerramentos: list[EncerramentoExercicio] = []
            contas_bancarias = self.cadastros.ler_contas_bancarias(con)
            avisos: list[Erro] = []
            vistos = 0  # eventos (já expandidos) do bloco corrente
            registrados = 0
            lidos = 0  # de erros_leitura, já passados à carga

            def fechar_bloco() -> None:
                nonlocal vistos, registrados, lidos
                carga.erros.extend(erros)
                erros.clear()
                carga.erros.extend(erros_leitura[lidos:])
                lidos = len(erros_leitura)
                carga.bloco(lancs, [ln or 0 for ln in linhas], gerados=gerados)
                if carga.gravar and not carga.erros:  # bloco gravado: o banco responde por ele
                    gravar_eventos(con, novos, carga, controle, textos_lidos)
                    carga.enviar()
                    do_lote.clear()
                    do_lote_destino.clear()
                else:
                    for pendente in lancs:
                        chave_s = (pendente.entidade, pendente.data)
                        somar_partidas(nao_gravados.setdefault(chave_s, {}), pendente.partidas)
                if textos_lidos:  # sobras: eventos recusados, trocados ou expandidos
                    textos_lidos.clear()
                if progresso is not None and ultima:
                    progresso(ultima)
                registrados += len(novos)
                vistos = 0
                lancs.clear()
                linhas.clear()
                novos.clear()
                gerados.clear()

            expandidos = com_retencoes(
                itens,
                controle,
                lambda: (ler_cadastro_retencoes(con), {c.documento: c for c in ler_credores(con)}),
                contas_bancarias,
                erros,
                avisos,
                origem,
            )
            # Entidades incorporadas: só a LOA, sem lançamento (orcamento_incorporado).
            incorporadas, loa = _ler_loa_incorporada(con)
            ctx = _ContextoRegistro(
                self.lancamentos,
                con,
                roteiros,
                contas_bancarias,
                desfazendo,
                entidades,
                usado,
                ConferenciaClassificacoes(lambda: self.cadastros.ler_classificacoes(con)),
                incorporadas,
                loa,
                do_lote,
                do_lote_destino,
                nao_gravados,
                lancs,
            )
            ultima = 0  # linha do último evento lido (progresso)

            def em_blocos(
                expandidos: Iterable[tuple[int | None, Any]],
            ) -> Iterator[tuple[int | None, Any]]:
                """Os eventos, gravando o bloco cheio antes de registrar o seguinte."""
                nonlocal vistos, ultima
                for linha, ev in expandidos:
                    if vistos == tamanho_bloco:
                        # ``ev`` já foi lido e é do próximo bloco: o seu texto fica.
                        seu_texto = textos_lidos.pop(id(ev), None) if textos_lidos else None
                        fechar_bloco()
                        if seu_texto is not None and textos_lidos is not None:
                            textos_lidos[id(ev)] = seu_texto
                    vistos += 1
                    ultima = linha or ultima
                    yield linha, ev

            # A decisão de cada evento é do domínio (execucao.registro); aqui, só os
            # blocos e a gravação.
            for reg in registrar(controle, em_blocos(expandidos), ctx, origem):
                ev = reg.evento
                if reg.erros:
                    erros.extend(reg.erros)
                    continue
                if reg.incorporado:
                    continue
                usar(ev.entidade, ev.id)
                if reg.lancamentos:
                    lanc, *extras = reg.lancamentos
                    if isinstance(ev, EncerramentoExercicio):
                        encerramentos.append(ev)
                    if reg.gerado:
                        gerados.add(len(lancs))
                    do_lote[(ev.entidade, ev.id)] = lanc
                    lancs.append(lanc)
                    linhas.append(reg.linha)
                    for extra in extras:
                        if isinstance(ev, TransferenciaFinanceira):  # o da recebedora
                            do_lote_destino[(ev.entidade, ev.id)] = extra  # type: ignore[assignment]
                        lancs.append(extra)
                        linhas.append(reg.linha)
                novos.append(ev)
            fechar_bloco()
            carga.concluir()
            if not validar:
                # Os saldos do controle na mesma transação dos lançamentos.
                if estado is not None:
                    estado.gravar()
                else:
                    reescrever(con, controle)
                # No fim: fechar antes mudaria a conferência dos blocos seguintes.
                for enc in encerramentos:
                    self.entidades.fechar_exercicio(con, entidades[enc.entidade][0], enc)
                if loa.aceitos:
                    con.execute(
                        insert(t.orcamento_incorporado), _linhas_loa(loa.aceitos, entidades)
                    )
            n_loa = len(loa.aceitos)
            return ResumoEventos(
                registrados + n_loa, carga.lancamentos, carga.partidas, tuple(avisos), n_loa
            )

    def desfazer_encerramento(
        self, slug: str, ano: int, motivo: str, usuario: str | None = None
    ) -> ResumoEventos:
        """Desfaz o encerramento do exercício (estorno de todos os seus lançamentos,
        inclusive a abertura do seguinte), enquanto o exercício seguinte não tem
        outro movimento; reabre dezembro e registra o motivo em auditoria. Tudo ou
        nada, numa transação."""
        if not motivo.strip():
            raise OperacaoRecusada.uma(
                "COMP-MOTIVO", "informe o motivo para desfazer o encerramento", "motivo"
            )
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            codigo = encerramento_vigente(con, eid, ano)
        if codigo is None:
            raise OperacaoRecusada.uma(
                "EXE-ENCERRADO", f"o exercício {ano} de {slug} não está encerrado"
            )
        estorno = EstornoEvento(f"D{codigo}", slug, dt.date(ano, 12, 31), codigo)
        return self.registrar_eventos(
            [(None, estorno)],
            "desfazer-encerramento",
            desfazendo=(slug, ano, f"{motivo.strip()} ({usuario or usuario_do_sistema()})"),
        )

    def codigos_de_evento(self, slug: str, prefixo: str) -> set[str]:
        """Códigos dos eventos da entidade que começam por ``prefixo``."""
        with self.sessao.engine.connect() as con:
            eid = self.sessao.id_entidade(con, slug)
            q = select(t.evento.c.codigo).where(
                (t.evento.c.entidade_id == eid) & t.evento.c.codigo.startswith(prefixo)
            )
            return set(con.execute(q).scalars())

    # ----------------------------------------------------------------- controle
    def refazer_controle(self, con: Connection) -> tuple[ControleOrcamentario, dict[str, set[str]]]:
        """Controle de saldos refeito dos eventos gravados, em ordem de registro, e
        os ids de evento já usados por entidade (``saldos_controle.refazer_controle``)."""
        return refazer_controle(con)


class _ContextoRegistro:
    """As consultas de ``execucao.registro`` numa carga: o banco e, antes dele, o
    lote em curso (lançamentos do bloco e dos blocos não gravados)."""

    def __init__(
        self,
        gravados: Lancamentos,
        con: Connection,
        roteiros: dict[str, Roteiro],
        contas_bancarias: Sequence[ContaBancaria],
        desfazendo: tuple[str, int, str] | None,
        entidades: dict[str, tuple[int, str]],
        usado: Callable[[str, str], bool],
        conferencia: ConferenciaClassificacoes,
        incorporadas: dict[str, int],
        loa: LoaIncorporada,
        do_lote: dict[tuple[str, str], Lancamento | LancamentoCompacto],
        do_lote_destino: dict[tuple[str, str], Lancamento],
        nao_gravados: dict[tuple[str, dt.date], dict[tuple[str, str], int]],
        lancs: list[Lancamento | LancamentoCompacto],
    ) -> None:
        self.gravados = gravados
        self.con = con
        self.roteiros = roteiros
        self.contas_bancarias = contas_bancarias
        self.desfazendo = desfazendo
        self.entidades = entidades
        self.usado = usado
        self.conferencia = conferencia
        self.incorporadas = incorporadas
        self.loa = loa
        self.do_lote = do_lote
        self.do_lote_destino = do_lote_destino
        self.nao_gravados = nao_gravados
        self.lancs = lancs
        self.planos: dict[str, PlanoContas] = {}
        self.caches: dict[str, CacheContas] = {}  # por plano: contas e roteiros compilados

    def existe(self, entidade: str) -> bool:
        return entidade in self.entidades

    def incorporada(self, entidade: str) -> bool:
        return entidade in self.incorporadas

    def conferir_incorporada(self, ev: Any) -> list[Erro]:
        return self.loa.conferir(
            ev,
            self.conferencia.erros,
            self.roteiros,
            self.plano(ev.entidade),
            self.cache(ev.entidade),
        )

    def plano(self, entidade: str) -> PlanoContas:
        nome = self.entidades[entidade][1]
        plano = self.planos.get(nome)
        if plano is None:
            plano = self.planos[nome] = self.gravados.sessao.plano_carregado(nome, self.con).plano
        return plano

    def cache(self, entidade: str) -> CacheContas:
        nome = self.entidades[entidade][1]
        cache = self.caches.get(nome)
        if cache is None:
            cache = self.caches[nome] = CacheContas()
        return cache

    def erros_de_classificacao(self, ev: Evento) -> list[Erro]:
        return self.conferencia.erros(ev)  # type: ignore[arg-type]

    def saldos_do_exercicio(self, entidade: str, data: dt.date) -> dict[tuple[str, str], int]:
        saldos = saldos_do_exercicio(self.con, self.entidades[entidade][0], data)
        for (slug, dia), somas in self.nao_gravados.items():
            if slug == entidade and dia.year == data.year:
                _juntar_saldos(saldos, somas)
        for pendente in self.lancs:
            if pendente.entidade == entidade and pendente.data.year == data.year:
                somar_partidas(saldos, pendente.partidas)
        return saldos

    def lancamento(self, entidade: str, id_evento: str) -> Lancamento | None:
        original = self.do_lote.get((entidade, id_evento)) or self.gravados.lancamento_ou_nada(
            self.con, entidade, NUMERO_EVENTO + id_evento
        )
        if isinstance(original, LancamentoCompacto):
            return original.lancamento()
        return original

    def lancamento_destino(self, entidade: str, id_evento: str, destino: str) -> Lancamento | None:
        return self.do_lote_destino.get((entidade, id_evento)) or self.gravados.lancamento_ou_nada(
            self.con, destino, NUMERO_EVENTO + id_evento
        )

    def lancamentos_do_evento(self, entidade: str, id_evento: str) -> list[Lancamento]:
        return self.gravados.lancamentos_do_evento(self.con, self.entidades[entidade][0], id_evento)

    def outros_no_seguinte(self, entidade: str, ano: int, id_evento: str) -> Any:
        eid = self.entidades[entidade][0]
        return self.gravados.outros_no_seguinte(self.con, eid, ano, id_evento)


def _juntar_saldos(saldos: dict[tuple[str, str], int], outros: dict[tuple[str, str], int]) -> None:
    """Soma ``outros`` a ``saldos`` (como ``somar_partidas``: saldo zerado sai)."""
    for conta_cc, v in outros.items():
        total = saldos.get(conta_cc, 0) + v
        if total:
            saldos[conta_cc] = total
        else:
            saldos.pop(conta_cc, None)


def _empenho_da_liquidacao(
    controle: ControleOrcamentario, entidade: str, liquidacao: str
) -> str | None:
    liq = controle.liquidacoes.get((entidade, liquidacao))
    return liq.empenho if liq is not None else None


# ------------------------------------------------- LOA das entidades incorporadas
def _ler_loa_incorporada(con: Connection) -> tuple[dict[str, int], LoaIncorporada]:
    """As entidades incorporadas (slug → id) e o controle da LOA delas, refeito dos
    eventos gravados em ``orcamento_incorporado`` (``consolidacao.loa_incorporada``)."""
    ent = t.entidade.c
    incorporadas: dict[str, int] = {
        r.slug: r.id for r in con.execute(select(ent.slug, ent.id).where(ent.incorporada))
    }
    if not incorporadas:
        return incorporadas, LoaIncorporada()
    oi = t.orcamento_incorporado.c
    q = select(ent.slug, oi.dados).join(t.entidade, ent.id == oi.entidade_id).order_by(oi.id)
    return incorporadas, LoaIncorporada(
        (slug, evento_de_dados(dados)) for slug, dados in con.execute(q)
    )


def _linhas_loa(aceitos: Sequence[Any], entidades: dict[str, tuple[int, str]]) -> list[Any]:
    return [
        {
            "entidade_id": entidades[ev.entidade][0],
            "codigo": ev.id,
            "tipo": str(ev.tipo),
            "data": ev.data,
            "dados": _JSON_EVENTO.encode(dict_de_evento(ev)),
        }
        for ev in aceitos
    ]


# ------------------------------------------------------------ gravação dos eventos
_COLUNAS_EVENTO = (
    "id",
    "entidade_id",
    "codigo",
    "tipo",
    "data",
    "dados",
    "lancamento_id",
    "estornado_id",
    "empenho",
    "compacto",
)
_INSERT_EVENTO = comando_insert("evento", _COLUNAS_EVENTO)
# O mesmo texto de json.dumps(..., ensure_ascii=False), sem criar um codificador por evento.
_JSON_EVENTO = json.JSONEncoder(ensure_ascii=False)


def gravar_eventos(
    con: Connection,
    novos: Sequence[Evento | EstornoEvento | EncerramentoExercicio],
    carga: Carga,
    controle: ControleOrcamentario,
    textos: TextosLidos | None = None,
) -> None:
    """As linhas de ``evento`` do bloco: com o gravador em C, num pacote da carga.
    ``controle`` (com o bloco já aplicado) dá o empenho das liquidações pagas, para
    a coluna ``empenho`` (o extrato lê só os eventos do empenho); ``compacto`` é o
    evento lido, que ``verificar`` reexecuta sem reler o JSON."""

    def empenho(ev: Evento | EstornoEvento | EncerramentoExercicio) -> str | None:
        if isinstance(ev, EstornoEvento):
            return None
        return empenho_do_evento(ev, partial(_empenho_da_liquidacao, controle, ev.entidade))

    proximo = carga.proximo_evento
    if proximo is None:  # uma consulta por carga: entre blocos, o gravador não espera
        proximo = (
            int(con.execute(select(func.coalesce(func.max(t.evento.c.id), 0))).scalar_one()) + 1
        )
    # Ids dos eventos estornados: os gravados antes vêm do banco (não ficam na
    # memória entre blocos); os deste bloco, das próprias linhas.
    estornados = {(ev.entidade, ev.evento) for ev in novos if isinstance(ev, EstornoEvento)}
    ids_novos = range(proximo, proximo + len(novos))
    ids: dict[tuple[str, str], int] = {}
    if estornados:
        ids = _ids_eventos(con, carga.ids_ent, estornados)
        ids.update(zip([(ev.entidade, ev.id) for ev in novos], ids_novos, strict=True))
    ids_ent = carga.ids_ent
    codificar = _JSON_EVENTO.encode
    numeros = carga.numeros
    lidos = textos if textos is not None else {}
    # O texto recebido e a forma compacta (do leitor, quando ele já a fez).
    dados: list[str] = []
    compactos: list[str] = []
    for ev in novos:
        lido = lidos.pop(id(ev), None)
        if lido is None or lido[0] is not ev:  # gerado, completado ou lido em bytes
            lido = (ev, codificar(dict_de_evento(ev)), None)
        dados.append(lido[1])
        compactos.append(lido[2] or compactar(ev))
    linhas = list(
        zip(
            ids_novos,
            [ids_ent[ev.entidade] for ev in novos],
            [ev.id for ev in novos],
            [str(ev.tipo) for ev in novos],
            [ev.data.isoformat() for ev in novos]  # ver Carga._gravar
            if carga.sqlite
            else [ev.data for ev in novos],
            dados,
            [numeros.get((ev.entidade, NUMERO_EVENTO + ev.id)) for ev in novos],
            [
                ids[(ev.entidade, ev.evento)] if isinstance(ev, EstornoEvento) else None
                for ev in novos
            ]
            if estornados
            else [None] * len(novos),
            [empenho(ev) for ev in novos],
            compactos,
            strict=True,
        )
    )
    proximo += len(novos)
    carga.proximo_evento = proximo
    if carga.gravador is not None:
        carga.pacotes.append(empacotar(_INSERT_EVENTO, len(_COLUNAS_EVENTO), linhas))
    else:
        inserir_em_massa(con, "evento", _COLUNAS_EVENTO, linhas)


def _ids_eventos(
    con: Connection, ids_ent: dict[str, int], chaves: set[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """(entidade, código) → id dos eventos gravados entre ``chaves``."""
    saida: dict[tuple[str, str], int] = {}
    if not chaves:
        return saida
    lista = sorted(chaves)
    for ini in range(0, len(lista), 500):
        for slug in {s for s, _ in lista[ini : ini + 500]}:
            codigos = [c for s, c in lista[ini : ini + 500] if s == slug]
            q = select(t.evento.c.codigo, t.evento.c.id).where(
                (t.evento.c.entidade_id == ids_ent[slug]) & t.evento.c.codigo.in_(codigos)
            )
            for codigo, eid in con.execute(q):
                saida[(slug, codigo)] = eid
    return saida


def preencher_compactos(con: Connection) -> None:
    """``evento.compacto`` dos eventos já gravados (migração 0018), relendo ``dados``
    uma vez, em blocos pelo id (a memória não cresce com o banco)."""
    ev = t.evento.c
    comando = (
        t.evento.update().where(ev.id == bindparam("b_id")).values(compacto=bindparam("b_compacto"))
    )
    ultimo = -1
    with eventos_alteraveis(con):
        while True:
            q = select(ev.id, ev.dados).where(ev.id > ultimo).order_by(ev.id).limit(10_000)
            bloco = [
                {"b_id": id_, "b_compacto": compactar(evento_de_dados(dados))}
                for id_, dados in con.execute(q)
            ]
            if not bloco:
                return
            con.execute(comando, bloco)
            ultimo = bloco[-1]["b_id"]
