"""Repositório: as operações do razão sobre o banco, cada uma numa transação.

As regras ficam no domínio (``erario.razao``); aqui só se carrega o que elas
pedem, grava o que elas devolvem e mantém os saldos na mesma transação de cada
lançamento. Operação recusada levanta ``OperacaoRecusada`` e não deixa nada.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from typing import IO, Any, NamedTuple

from sqlalchemy import Connection, Engine, case, func, insert, or_, select, text

from erario.consolidacao.orcamento import TIPOS_LOA
from erario.core.codigos import Mascara, cnpj_valido, somente_digitos
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
from erario.execucao.carga import (
    EstornoEvento,
    TextosLidos,
    dict_de_evento,
    evento_de_dados,
    objetos_jsonl,
)
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.encerramento import somar_partidas
from erario.execucao.eventos import (
    CreditoAdicional,
    DotacaoInicial,
    EncerramentoExercicio,
    Evento,
    ModalidadeCredito,
    TipoEvento,
    TransferenciaFinanceira,
)
from erario.execucao.motor import (
    executar,
)
from erario.execucao.registro import registrar
from erario.execucao.roteiros import CacheContas, Roteiro, roteiros_padrao
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
    verificar_dotacao,
)
from erario.orcamento.classificacao import ler_dotacao, ler_fonte
from erario.razao.balancete import Balancete, balancete_de_totais
from erario.razao.carga import TAMANHO_BLOCO, Lote, sem_coleta_ciclica
from erario.razao.estorno import estornar
from erario.razao.modelo import (
    LIVRO_CONTABIL,
    Competencia,
    Conta,
    Entidade,
    Lancamento,
    LancamentoCompacto,
    NaturezaInformacao,
    NaturezaSaldo,
    Partida,
    PlanoContas,
    SituacaoCompetencia,
    TipoEntidade,
    TipoLancamento,
)
from erario.razao.razao_conta import MovimentoConta
from erario.razao.saldos import (
    PERIODO_ENCERRAMENTO,
)
from erario.retencoes.apropriacao import com_retencoes
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
from erario.storage.banco import transacao_sem_fk
from erario.storage.carga_razao import NUMERO_EVENTO, Carga, Progresso, ResumoCarga
from erario.storage.gravacao import (
    empacotar,
    gravador_da_carga,
)
from erario.storage.massa import (
    comando_insert,
    gravar_ou_atualizar,
    inserir_em_massa,
)
from erario.storage.saldos_controle import (
    EstadoControle,
    reescrever,
    refazer_controle,
)

_RE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


class PlanoCarregado(NamedTuple):
    id: int
    plano: PlanoContas
    ids: dict[str, int]  # código → id da conta
    codigos: dict[int, str]  # id → código


class ResumoPlano(NamedTuple):
    novas: int
    alteradas: int
    iguais: int


def _usuario() -> str:
    try:
        return getpass.getuser()
    except Exception:  # ambiente sem usuário (contêiner): registra assim mesmo
        return "desconhecido"


class Repositorio:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._planos: dict[str, PlanoCarregado] = {}
        self._carga_aberta: Connection | None = None  # ver ``transacao_unica``

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    # ------------------------------------------------------------------ planos
    def gravar_plano(self, plano: PlanoContas) -> ResumoPlano:
        """Cria o plano ou acrescenta/atualiza contas de um existente.

        Conta já movimentada não pode mudar de analítica para sintética nem de
        conta corrente exigida (os saldos existentes perderiam o sentido).
        """
        with self.engine.begin() as con:
            plano_id = con.execute(
                select(t.plano.c.id).where(t.plano.c.nome == plano.nome)
            ).scalar()
            if plano_id is None:
                plano_id = con.execute(
                    insert(t.plano).values(nome=plano.nome, mascara=str(plano.mascara))
                ).inserted_primary_key[0]  # type: ignore[index]
            else:
                mascara = con.execute(
                    select(t.plano.c.mascara).where(t.plano.c.id == plano_id)
                ).scalar_one()
                if mascara != str(plano.mascara):
                    raise OperacaoRecusada.uma(
                        "PLANO-MASCARA",
                        f"o plano {plano.nome} usa a máscara {mascara}, não {plano.mascara}",
                    )
            existentes = {
                r.codigo: r
                for r in con.execute(select(t.conta).where(t.conta.c.plano_id == plano_id))
            }
            movimentadas = {
                r[0]
                for r in con.execute(
                    select(t.conta.c.codigo)
                    .where(t.conta.c.plano_id == plano_id)
                    .where(
                        select(t.partida.c.conta_id)
                        .where(t.partida.c.conta_id == t.conta.c.id)
                        .exists()
                    )
                )
            }
            novas, alteradas, iguais = [], 0, 0
            erros: list[Erro] = []
            for c in plano.contas.values():
                linha = _linha_conta(plano_id, c)
                atual = existentes.get(c.codigo)
                if atual is None:
                    novas.append(linha)
                    continue
                mudou = {k: v for k, v in linha.items() if getattr(atual, k) != v}
                if not mudou:
                    iguais += 1
                    continue
                if c.codigo in movimentadas and ({"analitica", "conta_corrente"} & set(mudou)):
                    erros.append(
                        Erro(
                            "PLANO-MOVIMENTADA",
                            f"conta {c.codigo} já tem lançamentos: não pode mudar escrituração "
                            "nem conta corrente",
                            "CONTA",
                        )
                    )
                    continue
                con.execute(t.conta.update().where(t.conta.c.id == atual.id).values(**mudou))
                alteradas += 1
            if erros:
                raise OperacaoRecusada(erros)
            if novas:
                con.execute(insert(t.conta), novas)
        self._planos.pop(plano.nome, None)
        return ResumoPlano(len(novas), alteradas, iguais)

    def planos(self) -> list[str]:
        with self.engine.connect() as con:
            return list(con.execute(select(t.plano.c.nome).order_by(t.plano.c.nome)).scalars())

    def plano(self, nome: str) -> PlanoContas:
        return self._plano(nome).plano

    def _plano(self, nome: str, con: Connection | None = None) -> PlanoCarregado:
        carregado = self._planos.get(nome)
        if carregado is not None:
            return carregado
        if con is None:
            with self.engine.connect() as nova:
                return self._plano(nome, nova)
        linha = con.execute(select(t.plano).where(t.plano.c.nome == nome)).first()
        if linha is None:
            raise OperacaoRecusada.uma("PLANO-INEXISTENTE", f"plano de contas {nome} não existe")
        contas: dict[str, Conta] = {}
        ids: dict[str, int] = {}
        for r in con.execute(
            select(t.conta).where(t.conta.c.plano_id == linha.id).order_by(t.conta.c.codigo)
        ):
            contas[r.codigo] = Conta(
                codigo=r.codigo,
                titulo=r.titulo,
                nivel=r.nivel,
                pai=r.pai,
                analitica=bool(r.analitica),
                natureza_saldo=NaturezaSaldo(r.natureza_saldo),
                natureza_informacao=NaturezaInformacao(r.natureza_informacao),
                superavit=r.superavit,
                conta_corrente=tuple(x for x in r.conta_corrente.split(",") if x),
                funcao=r.funcao,
            )
            ids[r.codigo] = r.id
        mascara = Mascara(tuple(len(s) for s in linha.mascara.split(".")))
        carregado = PlanoCarregado(
            linha.id, PlanoContas(nome, mascara, contas), ids, {v: k for k, v in ids.items()}
        )
        self._planos[nome] = carregado
        return carregado

    # --------------------------------------------------------------- entidades
    def criar_entidade(self, e: Entidade) -> Entidade:
        cnpj = somente_digitos(e.cnpj)
        e = e._replace(cnpj=cnpj)
        erros: list[Erro] = []
        if not _RE_SLUG.match(e.slug):
            erros.append(
                Erro(
                    "ENT-SLUG",
                    f"slug '{e.slug}' inválido: minúsculas, dígitos e hífen, até 40 caracteres",
                    "slug",
                )
            )
        if not e.nome.strip():
            erros.append(Erro("ENT-NOME", "nome é obrigatório", "nome"))
        if not cnpj_valido(cnpj):
            erros.append(
                Erro("ENT-CNPJ", f"CNPJ {e.cnpj} inválido (dígitos verificadores)", "cnpj")
            )
        if e.tipo not in set(TipoEntidade):
            erros.append(
                Erro(
                    "ENT-TIPO", f"tipo '{e.tipo}' inválido: use " + ", ".join(TipoEntidade), "tipo"
                )
            )
        if not re.fullmatch(r"\d{7}", e.ibge):
            erros.append(Erro("ENT-IBGE", f"código IBGE '{e.ibge}' deve ter 7 dígitos", "ibge"))
        if not re.fullmatch(r"\d{5}", e.poder_orgao):
            erros.append(
                Erro(
                    "ENT-PODER",
                    f"código poder/órgão '{e.poder_orgao}' deve ter 5 dígitos",
                    "poder_orgao",
                )
            )
        with self.engine.begin() as con:
            plano_id = con.execute(select(t.plano.c.id).where(t.plano.c.nome == e.plano)).scalar()
            if plano_id is None:
                erros.append(Erro("ENT-PLANO", f"plano de contas {e.plano} não existe", "plano"))
            if con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == e.slug)).first():
                erros.append(Erro("ENT-DUPLICADA", f"já existe entidade com slug {e.slug}", "slug"))
            if con.execute(select(t.entidade.c.id).where(t.entidade.c.cnpj == cnpj)).first():
                erros.append(Erro("ENT-DUPLICADA", f"já existe entidade com CNPJ {cnpj}", "cnpj"))
            if erros:
                raise OperacaoRecusada(erros)
            con.execute(
                insert(t.entidade).values(
                    slug=e.slug,
                    nome=e.nome.strip(),
                    cnpj=cnpj,
                    tipo=str(e.tipo),
                    ibge=e.ibge,
                    poder_orgao=e.poder_orgao,
                    plano_id=plano_id,
                    incorporada=e.incorporada,
                )
            )
        return e

    def entidades(self) -> list[Entidade]:
        q = (
            select(t.entidade, t.plano.c.nome.label("plano_nome"))
            .join(t.plano, t.plano.c.id == t.entidade.c.plano_id)
            .order_by(t.entidade.c.id)
        )
        with self.engine.connect() as con:
            return [
                Entidade(
                    r.slug,
                    r.nome,
                    r.cnpj,
                    TipoEntidade(r.tipo),
                    r.ibge,
                    r.poder_orgao,
                    r.plano_nome,
                    bool(r.incorporada),
                )
                for r in con.execute(q)
            ]

    def entidade(self, slug: str) -> Entidade:
        for e in self.entidades():
            if e.slug == slug:
                return e
        raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")

    def _ids_entidades(self, con: Connection) -> dict[str, tuple[int, str]]:
        q = select(t.entidade.c.slug, t.entidade.c.id, t.plano.c.nome).join(
            t.plano, t.plano.c.id == t.entidade.c.plano_id
        )
        return {r[0]: (r[1], r[2]) for r in con.execute(q)}

    def _id_entidade(self, con: Connection, slug: str) -> int:
        eid = con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == slug)).scalar()
        if eid is None:
            raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")
        return int(eid)

    # ------------------------------------------------------------ competências
    def abrir_exercicio(self, slug: str, ano: int, usuario: str | None = None) -> int:
        """Cria as 12 competências abertas do exercício; devolve quantas criou."""
        if not 1900 < ano < 3000:
            raise OperacaoRecusada.uma("EXE-ANO", f"ano {ano} inválido", "ano")
        with self.engine.begin() as con:
            eid = self._id_entidade(con, slug)
            if con.execute(select(t.entidade.c.incorporada).where(t.entidade.c.id == eid)).scalar():
                raise OperacaoRecusada.uma(
                    "CON-INCORPORADA",
                    f"{slug} é entidade incorporada: a escrituração dela é feita na instalação "
                    "própria e o balancete vem do servidor (erario consolidacao "
                    "importar-balancetes); aqui ela não abre exercício nem recebe lançamentos",
                )
            existentes = set(
                con.execute(
                    select(t.competencia.c.mes).where(
                        (t.competencia.c.entidade_id == eid) & (t.competencia.c.ano == ano)
                    )
                ).scalars()
            )
            novas = [
                {
                    "entidade_id": eid,
                    "ano": ano,
                    "mes": m,
                    "situacao": SituacaoCompetencia.ABERTA.value,
                }
                for m in range(1, 13)
                if m not in existentes
            ]
            if novas:
                con.execute(insert(t.competencia), novas)
                self._auditar(con, usuario, "abrir_exercicio", eid, f"exercício {ano}")
        return len(novas)

    def competencias(self, slug: str, ano: int) -> list[Competencia]:
        with self.engine.connect() as con:
            eid = self._id_entidade(con, slug)
            return [
                Competencia(slug, ano, r.mes, SituacaoCompetencia(r.situacao))
                for r in con.execute(
                    select(t.competencia)
                    .where((t.competencia.c.entidade_id == eid) & (t.competencia.c.ano == ano))
                    .order_by(t.competencia.c.mes)
                )
            ]

    def fechar_competencia(self, slug: str, ano: int, mes: int, usuario: str | None = None) -> None:
        self._mudar_competencia(slug, ano, mes, SituacaoCompetencia.FECHADA, usuario, "")

    def reabrir_competencia(
        self, slug: str, ano: int, mes: int, motivo: str, usuario: str | None = None
    ) -> None:
        if not motivo.strip():
            raise OperacaoRecusada.uma("COMP-MOTIVO", "informe o motivo da reabertura", "motivo")
        self._mudar_competencia(slug, ano, mes, SituacaoCompetencia.ABERTA, usuario, motivo.strip())

    def _mudar_competencia(
        self,
        slug: str,
        ano: int,
        mes: int,
        nova: SituacaoCompetencia,
        usuario: str | None,
        motivo: str,
    ) -> None:
        with self.engine.begin() as con:
            eid = self._id_entidade(con, slug)
            filtro = (
                (t.competencia.c.entidade_id == eid)
                & (t.competencia.c.ano == ano)
                & (t.competencia.c.mes == mes)
            )
            atual = con.execute(select(t.competencia.c.situacao).where(filtro)).scalar()
            if atual is None:
                raise OperacaoRecusada.uma(
                    "COMP-INEXISTENTE",
                    f"competência {mes:02d}/{ano} não existe para {slug}: abra o exercício",
                )
            if atual == nova.value:
                raise OperacaoRecusada.uma(
                    "COMP-SITUACAO", f"competência {mes:02d}/{ano} de {slug} já está {nova.value}"
                )
            if nova == SituacaoCompetencia.ABERTA and self._encerramento_vigente(con, eid, ano):
                raise OperacaoRecusada.uma(
                    "EXE-ENCERRADO",
                    f"o exercício {ano} de {slug} está encerrado: nenhuma competência dele se "
                    f"reabre (desfaça antes o encerramento: erario exercicio "
                    f"desfazer-encerramento {slug} {ano} --motivo …)",
                )
            con.execute(t.competencia.update().where(filtro).values(situacao=nova.value))
            acao = (
                "fechar_competencia"
                if nova == SituacaoCompetencia.FECHADA
                else "reabrir_competencia"
            )
            detalhe = f"{mes:02d}/{ano}" + (f": {motivo}" if motivo else "")
            self._auditar(con, usuario, acao, eid, detalhe)

    def _auditar(
        self, con: Connection, usuario: str | None, acao: str, eid: int | None, detalhe: str
    ) -> None:
        con.execute(
            insert(t.auditoria).values(
                quando=dt.datetime.now(dt.UTC),
                usuario=usuario or _usuario(),
                acao=acao,
                entidade_id=eid,
                detalhe=detalhe,
            )
        )

    def auditoria(self, slug: str | None = None) -> list[tuple[dt.datetime, str, str, str, str]]:
        q = (
            select(t.auditoria, t.entidade.c.slug)
            .join(t.entidade, t.entidade.c.id == t.auditoria.c.entidade_id, isouter=True)
            .order_by(t.auditoria.c.id)
        )
        if slug:
            q = q.where(t.entidade.c.slug == slug)
        with self.engine.connect() as con:
            return [(r.quando, r.usuario, r.acao, r.slug or "", r.detalhe) for r in con.execute(q)]

    # ------------------------------------------------------------------- razão
    def lancar(self, lanc: Lancamento) -> Lancamento:
        """Registra um lançamento (validado) e atualiza os saldos, tudo ou nada."""
        return self.lancar_lote([lanc])[0]

    def validar_lote(
        self,
        lancs: Sequence[Lancamento],
        linhas: Sequence[int] | None = None,
        origem: str | None = None,
    ) -> list[Erro]:
        """Só valida (nada grava): todos os erros, situados pela linha e arquivo de origem."""
        with self.engine.connect() as con:
            carga = Carga(self, con, gravar=False, origem=origem)
            carga.bloco(lancs, linhas)
            return carga.erros

    def lancar_lote(
        self,
        lancs: Sequence[Lancamento],
        linhas: Sequence[int] | None = None,
        progresso: Progresso | None = None,
        origem: str | None = None,
    ) -> list[Lancamento]:
        """Registra vários lançamentos numa só transação; qualquer erro recusa todos."""
        with self._transacao_carga() as con:
            carga = Carga(self, con, gravar=True, origem=origem, guardar=True)
            carga.bloco(lancs, linhas, progresso)
            carga.concluir()
            return carga.gravados

    def importar(
        self,
        blocos: Iterable[Lote],
        progresso: Progresso | None = None,
        origem: str | None = None,
        *,
        validar: bool = False,
    ) -> ResumoCarga:
        """Carga em fluxo: valida e grava bloco a bloco numa só transação, tudo ou nada.

        Erros de leitura e de validação de todos os blocos são reunidos; havendo
        algum, nada fica gravado (``OperacaoRecusada`` com todos, em ordem de
        linha). Com ``validar=True`` só confere e nada grava.
        """
        if validar:
            with self.engine.connect() as con:
                carga = Carga(self, con, gravar=False, origem=origem)
                for lote in blocos:
                    carga.bloco(lote.lancamentos, lote.linhas, progresso, lote.erros)
                carga.concluir()
                return carga.resumo
        with self._transacao_carga() as con:
            carga = Carga(self, con, gravar=True, origem=origem)
            for lote in blocos:
                carga.bloco(lote.lancamentos, lote.linhas, progresso, lote.erros)
            carga.concluir()
            return carga.resumo

    def importar_csv(
        self,
        arquivo: IO[bytes],
        origem: str,
        progresso: Progresso | None = None,
        avanco: Callable[[int], None] | None = None,
        *,
        validar: bool = False,
        acelerar: bool = True,
    ) -> ResumoCarga:
        """Carga de lançamentos em CSV (arquivo binário), como ``importar``.

        Usa o acelerador em C quando compilado (``storage.carga_csv``); o
        resultado e os erros são os mesmos do caminho de referência.
        """
        from erario.storage.carga_csv import ler_e_gravar

        if validar:
            with self.engine.connect() as con:
                carga = Carga(self, con, gravar=False, origem=origem)
                ler_e_gravar(carga, arquivo, origem, progresso, avanco, acelerar)
                carga.concluir()
                return carga.resumo
        with self._transacao_carga() as con:
            carga = Carga(self, con, gravar=True, origem=origem)
            ler_e_gravar(carga, arquivo, origem, progresso, avanco, acelerar)
            carga.concluir()
            return carga.resumo

    # ------------------------------------------------------------ eventos
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
        with (
            self._transacao_carga() if not validar else self._so_leitura() as con,
            ExitStack() as pilha,
        ):
            if desfazendo is not None:
                self._reabrir_para_desfazer(con, *desfazendo)
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

            carga = Carga(self, con, gravar=not validar, origem=origem)
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
            contas_bancarias = self._contas_bancarias(con)
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
                    self._gravar_eventos(con, novos, carga, textos_lidos)
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
                lambda: (self._retencoes(con), {c.documento: c for c in self._credores(con)}),
                contas_bancarias,
                erros,
                avisos,
                origem,
            )
            # Entidades incorporadas: só a LOA, sem lançamento (orcamento_incorporado).
            incorporadas = _LoaIncorporada(con)
            ctx = _ContextoRegistro(
                self,
                con,
                roteiros,
                contas_bancarias,
                desfazendo,
                entidades,
                usado,
                _ConferenciaClassificacoes(self, con),
                incorporadas,
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
                    self._fechar_exercicio(con, entidades[enc.entidade][0], enc)
                if incorporadas.linhas:
                    con.execute(insert(t.orcamento_incorporado), incorporadas.linhas)
            n_loa = len(incorporadas.linhas)
            return ResumoEventos(
                registrados + n_loa, carga.lancamentos, carga.partidas, tuple(avisos), n_loa
            )

    # ------------------------------------------------------------ retenções
    def registrar_retencoes(
        self, linhas: Iterable[str], origem: str = "arquivo", *, validar: bool = False
    ) -> int:
        """Cadastros das retenções em JSON Lines (``{"cadastro": "desconto", …}``),
        tudo ou nada, conferidos junto com os já gravados; um registro de mesma
        chave é atualizado (a mesma chave duas vezes no arquivo é recusada). Os
        parâmetros da unidade gestora só mudam antes da execução do exercício.
        Todo erro sai com a linha do arquivo. Devolve quantos registros."""
        with self._transacao_carga() if not validar else self._so_leitura() as con:
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
            existentes = self._registros_retencao(con)
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
        with self.engine.connect() as con:
            return self._retencoes(con)

    def _retencoes(self, con: Connection) -> CadastroRetencoes:
        return montar_cadastro(self._registros_retencao(con))

    def _registros_retencao(self, con: Connection) -> list[tuple[str, dict[str, Any]]]:
        saida = []
        q = select(t.retencao_cadastro.c.dados).order_by(t.retencao_cadastro.c.id)
        for (dados,) in con.execute(q):
            tipo, valores, erros = registro_de_dict(json.loads(dados))
            if valores is None:  # gravado por esta mesma versão: não deve acontecer
                raise OperacaoRecusada(erros)
            saida.append((tipo, valores))
        return saida

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
        entidades = self._ids_entidades(con)
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

    # ------------------------------------------------------------ cadastros
    def registrar_cadastros(
        self, linhas: Iterable[str], origem: str = "arquivo", *, validar: bool = False
    ) -> ResumoCadastros:
        """Credores, contas bancárias e classificações orçamentárias em JSON Lines
        (``{"cadastro": "credor", …}``, ``"conta_bancaria"``,
        ``"encerramento_conta_bancaria"``, ``"orgao"``, ``"unidade"``,
        ``"programa"``, ``"acao"`` ou ``"fonte"``), tudo ou nada; um cadastro
        existente é atualizado. Devolve a contagem de cada tipo."""
        with self._transacao_carga() if not validar else self._so_leitura() as con:
            entidades = self._ids_entidades(con)
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
                        obj, self._plano(info[1], con).plano, n, origem
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
                cadastradas = {(c.entidade, c.codigo): c for c in self._contas_bancarias(con)}
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
                self._gravar_classificacoes(con, entidades, [r for _, r in classificacoes])
            registros = [r for _, r in classificacoes]
            return ResumoCadastros(
                len(credores),
                len(contas),
                *(
                    sum(isinstance(r, classe) for r in registros)
                    for classe in TIPOS_CADASTRO.values()
                ),
            )._replace(encerramentos=len(encerramentos))

    def credores(self) -> list[Credor]:
        with self.engine.connect() as con:
            return self._credores(con)

    def _credores(self, con: Connection) -> list[Credor]:
        q = select(t.credor).order_by(t.credor.c.nome)
        return [
            Credor(r.documento, r.nome, TipoPessoa(r.tipo), bool(r.simples), r.endereco)
            for r in con.execute(q)
        ]

    def contas_bancarias(self, slug: str | None = None) -> list[ContaBancaria]:
        with self.engine.connect() as con:
            return self._contas_bancarias(con, slug)

    def _contas_bancarias(self, con: Connection, slug: str | None = None) -> list[ContaBancaria]:
        slug_de = {eid: s for s, (eid, _) in self._ids_entidades(con).items()}
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

    def _gravar_classificacoes(
        self,
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

    def classificacoes(self, slug: str) -> Classificacoes:
        """Órgãos, unidades, programas, ações e fontes cadastrados da entidade,
        cada grupo em ordem de código."""
        with self.engine.connect() as con:
            self._id_entidade(con, slug)  # recusa entidade inexistente
            return self._classificacoes(con).get(slug, classificacoes_de(()))

    def _classificacoes(self, con: Connection) -> dict[str, Classificacoes]:
        """Os cadastros de classificação de todas as entidades que têm algum."""
        slug_de = {eid: s for s, (eid, _) in self._ids_entidades(con).items()}
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

    def controle(self) -> ControleOrcamentario:
        """Saldos da execução (dotações, empenhos, receitas) refeitos dos eventos gravados."""
        with self.engine.connect() as con:
            return self._refazer_controle(con)[0]

    def saldos_execucao(
        self,
        slug: str,
        prefixos: Sequence[str] = ("5.2.1.1.1.", "6.2.1.2.", "6.2.1.3.", "6.2.2.1.", "6.3."),
        ano: int | None = None,
        ate_periodo: int = PERIODO_ENCERRAMENTO,
    ) -> dict[tuple[str, str], int]:
        """Saldo com sinal (+ devedor) por (conta, conta corrente) das contas que
        começam pelos prefixos (padrão: as que espelham a execução orçamentária)
        no exercício ``ano`` (padrão: o último com lançamentos da entidade), da
        abertura até ``ate_periodo``: cada exercício parte da sua abertura, nunca
        se somam exercícios."""
        with self.engine.connect() as con:
            eid = self._id_entidade(con, slug)
            if ano is None:
                anos = self._exercicios_com_lancamentos(con, eid)
                if not anos:
                    return {}
                ano = anos[-1]
            filtro = (
                or_(*(t.conta.c.codigo.like(p + "%") for p in prefixos))
                & (t.lancamento.c.ano == ano)
                & (t.lancamento.c.periodo <= ate_periodo)
            )
            return self._saldos(con, eid, filtro)

    def exercicios_com_lancamentos(self, slug: str) -> list[int]:
        """Anos com algum lançamento da entidade, em ordem."""
        with self.engine.connect() as con:
            return self._exercicios_com_lancamentos(con, self._id_entidade(con, slug))

    def _exercicios_com_lancamentos(self, con: Connection, eid: int) -> list[int]:
        q = select(t.lancamento.c.ano).where(t.lancamento.c.entidade_id == eid).distinct()
        return sorted(int(a) for a in con.execute(q).scalars())

    def razao_conta(
        self,
        slug: str,
        ano: int,
        codigo: str,
        inicio: int = 1,
        fim: int = 12,
        conta_corrente: str | None = None,
    ) -> tuple[int, list[MovimentoConta]]:
        """Saldo anterior (com sinal) e as partidas da conta no intervalo de períodos.

        Conta sintética: todas as analíticas abaixo dela. ``conta_corrente``
        filtra por atributo (``"FR=1500"`` casa com toda conta corrente que o tenha).
        """
        with self.engine.connect() as con:
            eid, nome_plano = self._ids_entidades(con).get(slug, (None, ""))
            if eid is None:
                raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe")
            carregado = self._plano(nome_plano, con)
            plano = carregado.plano
            normal = plano.mascara.normalizar(codigo)
            conta = plano.contas.get(normal) if normal else None
            if conta is None:
                raise OperacaoRecusada.uma("LANC-CONTA", f"conta {codigo} não existe no plano")
            ids = [
                carregado.ids[c.codigo]
                for c in plano.contas.values()
                if c.analitica
                and (c.codigo == conta.codigo or conta.codigo in plano.mascara.ancestrais(c.codigo))
            ]
            filtros = [i.strip() for i in (conta_corrente or "").split("|") if i.strip()]
            base = (
                select(
                    t.lancamento.c.data,
                    t.lancamento.c.numero,
                    t.lancamento.c.historico,
                    t.lancamento.c.periodo,
                    t.partida.c.conta_id,
                    t.partida.c.conta_corrente,
                    t.partida.c.dc,
                    t.partida.c.valor,
                    t.partida.c.historico.label("historico_partida"),
                )
                .join(t.lancamento, t.lancamento.c.id == t.partida.c.lancamento_id)
                .where(
                    (t.lancamento.c.entidade_id == eid)
                    & (t.lancamento.c.ano == ano)
                    & (t.lancamento.c.periodo <= fim)
                    & t.partida.c.conta_id.in_(ids)
                )
                .order_by(
                    t.lancamento.c.periodo, t.lancamento.c.data, t.lancamento.c.id, t.partida.c.seq
                )
            )
            anterior = 0
            movimentos = []
            for data, numero, historico, periodo, conta_id, cc, dc, valor, hp in con.execute(base):
                if filtros and not all(f in cc.split("|") for f in filtros):
                    continue
                if periodo < inicio:
                    anterior += valor if dc == "D" else -valor
                    continue
                movimentos.append(
                    MovimentoConta(
                        data,
                        numero,
                        hp or historico,  # o da partida, quando ela tem o seu
                        carregado.codigos[conta_id],
                        cc,
                        dc,
                        int(valor),
                    )
                )
            return anterior, movimentos

    @contextmanager
    def _so_leitura(self) -> Iterator[Connection]:
        with self.engine.connect() as con:
            yield con

    def _lancamento_ou_nada(self, con: Connection, slug: str, numero: str) -> Lancamento | None:
        eid = self._ids_entidades(con)[slug][0]
        cab = con.execute(
            select(t.lancamento).where(
                (t.lancamento.c.entidade_id == eid) & (t.lancamento.c.numero == numero)
            )
        ).first()
        return self._montar_lancamentos(con, slug, [cab])[0] if cab is not None else None

    def _refazer_controle(
        self, con: Connection
    ) -> tuple[ControleOrcamentario, dict[str, set[str]]]:
        """Controle de saldos refeito dos eventos gravados, em ordem de registro, e
        os ids de evento já usados por entidade (``saldos_controle.refazer_controle``)."""
        return refazer_controle(con)

    def _saldos_do_exercicio(
        self, con: Connection, eid: int, data: dt.date
    ) -> dict[tuple[str, str], int]:
        """Saldo com sinal do razão da entidade no exercício da data, da abertura
        (período 0) até a data: cada exercício parte da sua própria abertura."""
        return self._saldos(
            con, eid, (t.lancamento.c.ano == data.year) & (t.lancamento.c.data <= data)
        )

    def _saldos(self, con: Connection, eid: int, filtro: Any) -> dict[tuple[str, str], int]:
        """Saldo com sinal (+ devedor) por (conta, conta corrente) das partidas da
        entidade que passam no filtro (sobre lançamento e conta); sem os zerados."""
        q = (
            select(
                t.conta.c.codigo,
                t.partida.c.conta_corrente,
                func.sum(
                    case((t.partida.c.dc == "D", t.partida.c.valor), else_=-t.partida.c.valor)
                ),
            )
            .select_from(t.partida)
            .join(t.lancamento, t.lancamento.c.id == t.partida.c.lancamento_id)
            .join(t.conta, t.conta.c.id == t.partida.c.conta_id)
            .where((t.lancamento.c.entidade_id == eid) & filtro)
            .group_by(t.conta.c.codigo, t.partida.c.conta_corrente)
        )
        return {(codigo, cc): int(v) for codigo, cc, v in con.execute(q) if v}

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
        with self.engine.connect() as con:
            eid = self._id_entidade(con, slug)
            codigo = self._encerramento_vigente(con, eid, ano)
        if codigo is None:
            raise OperacaoRecusada.uma(
                "EXE-ENCERRADO", f"o exercício {ano} de {slug} não está encerrado"
            )
        estorno = EstornoEvento(f"D{codigo}", slug, dt.date(ano, 12, 31), codigo)
        return self.registrar_eventos(
            [(None, estorno)],
            "desfazer-encerramento",
            desfazendo=(slug, ano, f"{motivo.strip()} ({usuario or _usuario()})"),
        )

    def codigos_de_evento(self, slug: str, prefixo: str) -> set[str]:
        """Códigos dos eventos da entidade que começam por ``prefixo``."""
        with self.engine.connect() as con:
            eid = self._id_entidade(con, slug)
            q = select(t.evento.c.codigo).where(
                (t.evento.c.entidade_id == eid) & t.evento.c.codigo.startswith(prefixo)
            )
            return set(con.execute(q).scalars())

    def _reabrir_para_desfazer(self, con: Connection, slug: str, ano: int, motivo: str) -> None:
        """Reabre dezembro (os estornos do encerramento são de 31/12) e registra."""
        eid = self._id_entidade(con, slug)
        con.execute(
            t.competencia.update()
            .where(
                (t.competencia.c.entidade_id == eid)
                & (t.competencia.c.ano == ano)
                & (t.competencia.c.mes == 12)
            )
            .values(situacao=SituacaoCompetencia.ABERTA.value)
        )
        self._auditar(con, None, "desfazer_encerramento", eid, f"{ano}: {motivo}")

    def _encerramento_vigente(self, con: Connection, eid: int, ano: int) -> str | None:
        """Código do encerramento do exercício que não foi desfeito, se houver."""
        estorno = t.evento.alias("estorno")
        q = select(t.evento.c.codigo).where(
            (t.evento.c.entidade_id == eid)
            & (t.evento.c.tipo == TipoEvento.ENCERRAMENTO.value)
            & (t.evento.c.data == dt.date(ano, 12, 31))
            & ~select(estorno.c.id).where(estorno.c.estornado_id == t.evento.c.id).exists()
        )
        return con.execute(q).scalar()

    def _lancamentos_do_evento(self, con: Connection, eid: int, codigo: str) -> list[Lancamento]:
        """Os lançamentos que o evento gerou (não os estornos), em ordem de número."""
        cabs = con.execute(
            select(t.lancamento)
            .where(
                (t.lancamento.c.entidade_id == eid)
                & (t.lancamento.c.origem == f"evento:{codigo}")
                & ~t.lancamento.c.estorno
            )
            .order_by(t.lancamento.c.id)
        ).all()
        slug = con.execute(select(t.entidade.c.slug).where(t.entidade.c.id == eid)).scalar_one()
        return self._montar_lancamentos(con, slug, cabs)

    def _outros_no_seguinte(self, con: Connection, eid: int, ano: int, codigo: str) -> int:
        """Lançamentos do exercício seguinte que não são do encerramento ``codigo``."""
        q = select(func.count()).where(
            (t.lancamento.c.entidade_id == eid)
            & (t.lancamento.c.ano == ano + 1)
            & ((t.lancamento.c.origem.is_(None)) | (t.lancamento.c.origem != f"evento:{codigo}"))
        )
        return int(con.execute(q).scalar_one())

    def _fechar_exercicio(self, con: Connection, eid: int, ev: EncerramentoExercicio) -> None:
        """Depois do encerramento, as competências do exercício ficam fechadas."""
        filtro = (
            (t.competencia.c.entidade_id == eid)
            & (t.competencia.c.ano == ev.data.year)
            & (t.competencia.c.situacao == SituacaoCompetencia.ABERTA.value)
        )
        con.execute(
            t.competencia.update().where(filtro).values(situacao=SituacaoCompetencia.FECHADA.value)
        )
        self._auditar(con, None, "encerrar_exercicio", eid, f"{ev.data.year} (evento {ev.id})")

    def _gravar_eventos(
        self,
        con: Connection,
        novos: Sequence[Evento | EstornoEvento | EncerramentoExercicio],
        carga: Carga,
        textos: TextosLidos | None = None,
    ) -> None:
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
            ids = self._ids_eventos(con, carga.ids_ent, estornados)
            ids.update(zip([(ev.entidade, ev.id) for ev in novos], ids_novos, strict=True))
        ids_ent = carga.ids_ent
        codificar = _JSON_EVENTO.encode
        numeros = carga.numeros
        lidos = textos if textos is not None else {}
        linhas = list(
            zip(
                ids_novos,
                [ids_ent[ev.entidade] for ev in novos],
                [ev.id for ev in novos],
                [str(ev.tipo) for ev in novos],
                [ev.data.isoformat() for ev in novos]  # ver Carga._gravar
                if carga.sqlite
                else [ev.data for ev in novos],
                [
                    lido[1]
                    if (lido := lidos.pop(id(ev), None)) is not None and lido[0] is ev
                    else codificar(dict_de_evento(ev))
                    for ev in novos
                ],
                [numeros.get((ev.entidade, NUMERO_EVENTO + ev.id)) for ev in novos],
                [
                    ids[(ev.entidade, ev.evento)] if isinstance(ev, EstornoEvento) else None
                    for ev in novos
                ]
                if estornados
                else [None] * len(novos),
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
        self, con: Connection, ids_ent: dict[str, int], chaves: set[tuple[str, str]]
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

    @contextmanager
    def _transacao_carga(self) -> Iterator[Connection]:
        """Transação de escrita no razão.

        SQLite: as chaves estrangeiras de partida/lançamento são conferidas pelo
        validador (contas do plano carregado, ids gerados aqui), então a checagem
        por linha fica desligada durante a carga; ``verificar`` roda o
        ``foreign_key_check``. PostgreSQL: trava o razão para numerar em ordem.
        """
        if self._carga_aberta is not None:  # dentro de ``transacao_unica``
            # Ponto de salvamento: a carga recusada não deixa os blocos já gravados.
            with self._carga_aberta.begin_nested():
                yield self._carga_aberta
            return
        with transacao_sem_fk(self.engine) as con:
            if self.postgres:
                con.exec_driver_sql("LOCK TABLE lancamento IN SHARE ROW EXCLUSIVE MODE")
            yield con

    @contextmanager
    def transacao_unica(self) -> Iterator[None]:
        """Várias cargas (p. ex. cadastros e depois eventos) numa só transação:
        a recusa de qualquer uma desfaz todas (importação do orçamento)."""
        if self._carga_aberta is not None:
            yield
            return
        with self._transacao_carga() as con:
            self._carga_aberta = con
            try:
                yield
            finally:
                self._carga_aberta = None

    def _situacoes(self, con: Connection) -> Callable[[str, int, int], SituacaoCompetencia | None]:
        mapa: dict[tuple[str, int, int], SituacaoCompetencia] = {}
        q = select(
            t.entidade.c.slug, t.competencia.c.ano, t.competencia.c.mes, t.competencia.c.situacao
        ).join(t.entidade, t.entidade.c.id == t.competencia.c.entidade_id)
        for slug, ano, mes, situacao in con.execute(q):
            mapa[(slug, ano, mes)] = SituacaoCompetencia(situacao)

        def situacao_de(slug: str, ano: int, mes: int) -> SituacaoCompetencia | None:
            return mapa.get((slug, ano, mes))

        return situacao_de

    def _numeros_existentes(
        self, con: Connection, ids_ent: dict[str, int], chaves: set[tuple[str, str]]
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

    def estornar(
        self,
        slug: str,
        numero: str,
        data: dt.date,
        historico: str | None = None,
        numero_estorno: str | None = None,
    ) -> Lancamento:
        original = self.lancamento(slug, numero)
        origem = original.origem or ""
        if origem.startswith("evento:"):
            # O controle da execução anda com o evento: estorna-se o evento.
            evento = origem.partition(":")[2]
            raise OperacaoRecusada.uma(
                "LANC-EVENTO",
                f"o lançamento {numero} foi gerado pelo evento {evento}: estorne o evento "
                "(tipo estorno em erario importar --tipo eventos) ou, se for do encerramento "
                "do exercício, use erario exercicio desfazer-encerramento",
            )
        estorno, erros = estornar(original, data, historico, numero_estorno)
        if estorno is None:
            raise OperacaoRecusada(erros)
        return self.lancar(estorno)

    def lancamento(self, slug: str, numero: str) -> Lancamento:
        with self.engine.connect() as con:
            eid = self._id_entidade(con, slug)
            cab = con.execute(
                select(t.lancamento).where(
                    (t.lancamento.c.entidade_id == eid) & (t.lancamento.c.numero == numero)
                )
            ).first()
            if cab is None:
                raise OperacaoRecusada.uma(
                    "LANC-INEXISTENTE", f"lançamento {numero} não existe em {slug}"
                )
            return self._montar_lancamentos(con, slug, [cab])[0]

    def lancamentos(self, slug: str, ano: int, inicio: int = 0, fim: int = 13) -> list[Lancamento]:
        """Lançamentos da entidade no intervalo de períodos, em ordem de registro."""
        with self.engine.connect() as con:
            eid = self._id_entidade(con, slug)
            cabs = list(
                con.execute(
                    select(t.lancamento)
                    .where(
                        (t.lancamento.c.entidade_id == eid)
                        & (t.lancamento.c.ano == ano)
                        & t.lancamento.c.periodo.between(inicio, fim)
                    )
                    .order_by(t.lancamento.c.id)
                )
            )
            return self._montar_lancamentos(con, slug, cabs)

    def _montar_lancamentos(
        self, con: Connection, slug: str, cabs: Sequence[Any]
    ) -> list[Lancamento]:
        if not cabs:
            return []
        entidades = self._ids_entidades(con)
        codigos = self._plano(entidades[slug][1], con).codigos
        numeros = {}
        ids_estornados = [c.estornado_id for c in cabs if c.estornado_id]
        for ini in range(0, len(ids_estornados), 500):
            bloco = ids_estornados[ini : ini + 500]
            numeros.update(
                dict(
                    con.execute(
                        select(t.lancamento.c.id, t.lancamento.c.numero).where(
                            t.lancamento.c.id.in_(bloco)
                        )
                    ).all()
                )
            )
        partidas: dict[int, list[Partida]] = {}
        ids = [c.id for c in cabs]
        for ini in range(0, len(ids), 500):
            q = (
                select(t.partida)
                .where(t.partida.c.lancamento_id.in_(ids[ini : ini + 500]))
                .order_by(t.partida.c.lancamento_id, t.partida.c.seq)
            )
            for p in con.execute(q):
                partidas.setdefault(p.lancamento_id, []).append(
                    Partida(
                        codigos[p.conta_id], p.dc, int(p.valor), p.conta_corrente, p.historico or ""
                    )
                )
        return [
            Lancamento(
                entidade=slug,
                data=c.data,
                historico=c.historico,
                partidas=tuple(partidas.get(c.id, ())),
                numero=c.numero,
                tipo=TipoLancamento(c.tipo),
                livro=c.livro,
                origem=c.origem,
                estorno=bool(c.estorno),
                estornado=numeros.get(c.estornado_id) if c.estornado_id else None,
            )
            for c in cabs
        ]

    # ------------------------------------------------------------------ saldos
    def balancete(
        self,
        slugs: Sequence[str],
        ano: int,
        inicio: int,
        fim: int,
        *,
        por_conta_corrente: bool = False,
        nivel_maximo: int | None = None,
        livro: str = LIVRO_CONTABIL,
    ) -> Balancete:
        """Balancete de uma ou várias entidades (soma) entre os períodos dados."""
        if not (0 <= inicio <= fim <= 13):
            raise OperacaoRecusada.uma(
                "BAL-PERIODO",
                f"período {inicio}–{fim} inválido: use meses de 0 (abertura) a 13 (encerramento)",
            )
        with self.engine.connect() as con:
            entidades = self._ids_entidades(con)
            faltam = [s for s in slugs if s not in entidades]
            if faltam:
                raise OperacaoRecusada.uma(
                    "ENT-INEXISTENTE", f"entidade {', '.join(faltam)} não existe"
                )
            planos = {entidades[s][1] for s in slugs}
            if len(planos) != 1:
                raise OperacaoRecusada.uma(
                    "BAL-PLANOS",
                    "entidades com planos de contas diferentes não se somam num balancete",
                )
            carregado = self._plano(planos.pop(), con)
            codigos = carregado.codigos
            ids = ",".join(str(int(entidades[s][0])) for s in slugs)
            # Soma no banco: acumulado antes do intervalo (linha do período inicial
            # menos o próprio mês) e acumulado até o fim; sem abertura por conta
            # corrente, já agrupa por conta (poucas linhas para o Python).
            grupo = "conta_id, conta_corrente" if por_conta_corrente else "conta_id"
            sql = text(
                f"SELECT {grupo},"
                " SUM(CASE WHEN periodo = :ini THEN debito_acum - debito_mes ELSE 0 END),"
                " SUM(CASE WHEN periodo = :ini THEN credito_acum - credito_mes ELSE 0 END),"
                " SUM(CASE WHEN periodo = :fim THEN debito_acum ELSE 0 END),"
                " SUM(CASE WHEN periodo = :fim THEN credito_acum ELSE 0 END)"
                f" FROM saldo WHERE entidade_id IN ({ids}) AND ano = :ano AND livro = :livro"
                f" AND periodo IN (:ini, :fim) GROUP BY {grupo}"
            )
            parametros = {"ano": ano, "livro": livro, "ini": inicio, "fim": fim}
            por_chave: dict[tuple[str, str], tuple[int, int, int]] = {}
            for *chave, d_ant, c_ant, d_fim, c_fim in con.execute(sql, parametros):
                cc = chave[1] if por_conta_corrente else ""
                d_ant, c_ant, d_fim, c_fim = int(d_ant), int(c_ant), int(d_fim), int(c_fim)
                por_chave[(codigos[chave[0]], cc)] = (d_ant - c_ant, d_fim - d_ant, c_fim - c_ant)
        return balancete_de_totais(
            carregado.plano,
            por_chave,
            entidades=tuple(slugs),
            ano=ano,
            inicio=inicio,
            fim=fim,
            por_conta_corrente=por_conta_corrente,
            nivel_maximo=nivel_maximo,
        )

    def verificar(self) -> list[Erro]:
        """Confere o banco inteiro contra o razão e os eventos (``storage.verificacao``)."""
        from erario.storage.verificacao import verificar

        return verificar(self)


def _linha_conta(plano_id: int, c: Conta) -> dict[str, Any]:
    return {
        "plano_id": plano_id,
        "codigo": c.codigo,
        "titulo": c.titulo,
        "nivel": c.nivel,
        "pai": c.pai,
        "analitica": c.analitica,
        "natureza_saldo": c.natureza_saldo.value,
        "natureza_informacao": c.natureza_informacao.value,
        "superavit": c.superavit,
        "conta_corrente": ",".join(c.conta_corrente),
        "funcao": c.funcao,
    }


_COLUNAS_EVENTO = (
    "id",
    "entidade_id",
    "codigo",
    "tipo",
    "data",
    "dados",
    "lancamento_id",
    "estornado_id",
)
_INSERT_EVENTO = comando_insert("evento", _COLUNAS_EVENTO)
# O mesmo texto de json.dumps(..., ensure_ascii=False), sem criar um codificador por evento.
_JSON_EVENTO = json.JSONEncoder(ensure_ascii=False)


class ResumoCadastros(NamedTuple):
    credores: int
    contas_bancarias: int
    orgaos: int = 0
    unidades: int = 0
    programas: int = 0
    acoes: int = 0
    fontes: int = 0
    encerramentos: int = 0


class _ConferenciaClassificacoes:
    """Confere a dotação de ``dotacao_inicial`` e de crédito especial ou
    extraordinário (que criam a dotação) contra os cadastros de classificação da
    entidade. Os cadastros são lidos uma vez, na primeira dotação da carga, e
    cada dotação é conferida uma vez; entidade sem cadastros não é conferida."""

    def __init__(self, repo: Repositorio, con: Connection) -> None:
        self._repo = repo
        self._con = con
        self._cadastros: dict[str, Classificacoes] | None = None
        self._feitas: dict[tuple[str, str, str], list[Erro]] = {}

    def erros(self, ev: DotacaoInicial | CreditoAdicional) -> list[Erro]:
        if isinstance(ev, CreditoAdicional) and ev.modalidade == ModalidadeCredito.SUPLEMENTAR:
            return []  # reforça dotação que já existe
        chave = (ev.entidade, ev.dotacao, ev.fonte.texto_cc)
        feita = self._feitas.get(chave)
        if feita is not None:
            return feita
        if self._cadastros is None:
            self._cadastros = self._repo._classificacoes(self._con)
        cad = self._cadastros.get(ev.entidade)
        dotacao, _ = ler_dotacao(ev.dotacao)
        erros = (
            verificar_dotacao(dotacao, cad, ev.fonte)
            if cad is not None and not cad.vazia and dotacao is not None
            else []
        )
        self._feitas[chave] = erros
        return erros


class ResumoEventos(NamedTuple):
    eventos: int
    lancamentos: int
    partidas: int
    avisos: tuple[Erro, ...] = ()  # p. ex. desconto não gerado (teto do INSS atingido)
    loa_incorporada: int = 0  # dos eventos, os da LOA de entidades incorporadas (sem lançamento)


class _LoaIncorporada:
    """Eventos da LOA das entidades incorporadas (migração 0010).

    A Prefeitura elabora a LOA da Câmara, do RPPS… e a exporta pelo servidor; a
    escrituração é da instalação de cada uma. Aqui os eventos passam pelas mesmas
    conferências (classificações e roteiro contábil, num controle à parte,
    refeito dos já gravados) e vão para ``orcamento_incorporado``, sem
    lançamento; o estorno de um deles também (corrige a LOA antes de exportar).
    Qualquer outro evento de entidade incorporada é recusado (CON-INCORPORADA)."""

    def __init__(self, con: Connection) -> None:
        ent = t.entidade.c
        self.ids: dict[str, int] = {
            r.slug: r.id for r in con.execute(select(ent.slug, ent.id).where(ent.incorporada))
        }
        self.controle = ControleOrcamentario()
        self.usados: dict[str, set[str]] = {}
        self.linhas: list[dict[str, Any]] = []
        if not self.ids:
            return
        oi = t.orcamento_incorporado.c
        q = select(ent.slug, oi.dados).join(t.entidade, ent.id == oi.entidade_id).order_by(oi.id)
        for slug, dados in con.execute(q):
            ev = evento_de_dados(dados)
            if isinstance(ev, EstornoEvento):
                estornado = self.controle.eventos[(slug, ev.evento)]
                if not isinstance(estornado, EncerramentoExercicio):  # aqui, só LOA
                    self.controle.aplicar(estornado, sinal=-1)
            elif not isinstance(ev, EncerramentoExercicio):
                self.controle.aplicar(ev)
            self.usados.setdefault(slug, set()).add(ev.id)

    def __contains__(self, slug: object) -> bool:
        return slug in self.ids

    def conferir(
        self,
        ev: Any,
        entidade_id: int,
        conferencia: _ConferenciaClassificacoes,
        roteiros: Any,
        plano: PlanoContas,
        cache: CacheContas,
    ) -> list[Erro]:
        """Erros do evento; sem erros, ele fica para gravar no fim da carga."""
        estorno = isinstance(ev, EstornoEvento)
        tipo = str(ev.tipo)  # TipoEvento é StrEnum; o do estorno, texto
        if tipo not in TIPOS_LOA and not estorno:
            return [
                Erro(
                    "CON-INCORPORADA",
                    f"{ev.entidade} é entidade incorporada: aqui entram só os eventos da LOA que "
                    "a Prefeitura elabora (previsão da receita e da dedução, dotação inicial) e "
                    f"o estorno deles; {tipo} é escriturado na instalação de "
                    f"{ev.entidade}",
                    "tipo",
                )
            ]
        if ev.id in self.usados.get(ev.entidade, ()):
            return [Erro("EXEC-ID", f"evento {ev.id} já registrado na entidade", "id")]
        if estorno:
            alvo, erros = self.controle.conferir_estorno(ev.entidade, ev.evento)
            if alvo is None:
                return erros
            self.controle.aplicar(alvo, sinal=-1)
        else:
            if isinstance(ev, DotacaoInicial):
                erros = conferencia.erros(ev)
                if erros:
                    return erros
            _, erros = executar(
                self.controle, ev, roteiros, plano, cache, NUMERO_EVENTO + ev.id, compacto=True
            )
            if erros:
                return list(erros)
        self.usados.setdefault(ev.entidade, set()).add(ev.id)
        self.linhas.append(
            {
                "entidade_id": entidade_id,
                "codigo": ev.id,
                "tipo": tipo,
                "data": ev.data,
                "dados": _JSON_EVENTO.encode(dict_de_evento(ev)),
            }
        )
        return []


class _ContextoRegistro:
    """As consultas de ``execucao.registro`` numa carga: o banco e, antes dele, o
    lote em curso (lançamentos do bloco e dos blocos não gravados)."""

    def __init__(
        self,
        repo: Repositorio,
        con: Connection,
        roteiros: dict[str, Roteiro],
        contas_bancarias: Sequence[ContaBancaria],
        desfazendo: tuple[str, int, str] | None,
        entidades: dict[str, tuple[int, str]],
        usado: Callable[[str, str], bool],
        conferencia: _ConferenciaClassificacoes,
        incorporadas: _LoaIncorporada,
        do_lote: dict[tuple[str, str], Lancamento | LancamentoCompacto],
        do_lote_destino: dict[tuple[str, str], Lancamento],
        nao_gravados: dict[tuple[str, dt.date], dict[tuple[str, str], int]],
        lancs: list[Lancamento | LancamentoCompacto],
    ) -> None:
        self.repo = repo
        self.con = con
        self.roteiros = roteiros
        self.contas_bancarias = contas_bancarias
        self.desfazendo = desfazendo
        self.entidades = entidades
        self.usado = usado
        self.conferencia = conferencia
        self.incorporadas = incorporadas
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
        return self.incorporadas.conferir(
            ev,
            self.entidades[ev.entidade][0],
            self.conferencia,
            self.roteiros,
            self.plano(ev.entidade),
            self.cache(ev.entidade),
        )

    def plano(self, entidade: str) -> PlanoContas:
        nome = self.entidades[entidade][1]
        plano = self.planos.get(nome)
        if plano is None:
            plano = self.planos[nome] = self.repo._plano(nome, self.con).plano
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
        saldos = self.repo._saldos_do_exercicio(self.con, self.entidades[entidade][0], data)
        for (slug, dia), somas in self.nao_gravados.items():
            if slug == entidade and dia.year == data.year:
                _juntar_saldos(saldos, somas)
        for pendente in self.lancs:
            if pendente.entidade == entidade and pendente.data.year == data.year:
                somar_partidas(saldos, pendente.partidas)
        return saldos

    def lancamento(self, entidade: str, id_evento: str) -> Lancamento | None:
        original = self.do_lote.get((entidade, id_evento)) or self.repo._lancamento_ou_nada(
            self.con, entidade, NUMERO_EVENTO + id_evento
        )
        if isinstance(original, LancamentoCompacto):
            return original.lancamento()
        return original

    def lancamento_destino(self, entidade: str, id_evento: str, destino: str) -> Lancamento | None:
        return self.do_lote_destino.get((entidade, id_evento)) or self.repo._lancamento_ou_nada(
            self.con, destino, NUMERO_EVENTO + id_evento
        )

    def lancamentos_do_evento(self, entidade: str, id_evento: str) -> list[Lancamento]:
        return self.repo._lancamentos_do_evento(self.con, self.entidades[entidade][0], id_evento)

    def outros_no_seguinte(self, entidade: str, ano: int, id_evento: str) -> Any:
        eid = self.entidades[entidade][0]
        return self.repo._outros_no_seguinte(self.con, eid, ano, id_evento)


def _juntar_saldos(saldos: dict[tuple[str, str], int], outros: dict[tuple[str, str], int]) -> None:
    """Soma ``outros`` a ``saldos`` (como ``somar_partidas``: saldo zerado sai)."""
    for conta_cc, v in outros.items():
        total = saldos.get(conta_cc, 0) + v
        if total:
            saldos[conta_cc] = total
        else:
            saldos.pop(conta_cc, None)
