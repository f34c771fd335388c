"""O estado do controle orçamentário nas tabelas ``controle_*`` (migração 0013).

Registrar um evento não reexecuta o exercício: ``EstadoControle`` monta um
``ControleOrcamentario`` com mapas preguiçosos (``execucao.preguicoso``) que
leem só as linhas que o evento toca e, no fim da operação, grava as que mudaram,
na mesma transação dos lançamentos. Eventos, estornados e encerrados vêm da
tabela ``evento``. Numa carga em massa (muitas perguntas, ou um banco pequeno),
tudo é trazido de uma vez.

``refazer_controle`` reexecuta os eventos (o caminho antigo): é o que
``verificar`` compara com as tabelas (``VER-CONTROLE``), o que a migração usa
para preencher um banco existente e o que o desfazer do encerramento usa (ele
precisa dos extraorçamentários de antes da transposição, que não ficam em tabela).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, exists, func, select

from erario.core.erros import Erro
from erario.execucao.carga import EstornoEvento, evento_de_dados
from erario.execucao.controle import ControleOrcamentario
from erario.execucao.eventos import EncerramentoExercicio, TipoEvento
from erario.execucao.forma_compacta import evento_gravado
from erario.execucao.preguicoso import ConjuntoPreguicoso, MapaPreguicoso, Perguntas
from erario.execucao.saldos import (
    SaldoDotacao,
    SaldoEmLiquidacao,
    SaldoEmpenho,
    SaldoEmpenhoExtra,
    SaldoLiquidacao,
    SaldoLiquidacaoExtra,
    SaldoReceita,
    SaldoReserva,
)
from erario.storage import esquema as t
from erario.storage.massa import inserir_em_massa, ler_em_massa

# Banco com até tantos eventos: traz tudo no começo (custa menos que perguntar).
LIMITE_COMPLETO = 2_000
# Tantas perguntas numa operação (carga em massa): traz o resto de uma vez.
LIMITE_PERGUNTAS = 2_000


@dataclass(frozen=True)
class _Mapa:
    """Um mapa do controle numa tabela: chave (entidade, *colunas da chave) e
    objeto ↔ valores das colunas ``campos``."""

    nome: str
    tabela: Table
    chave: tuple[str, ...]
    campos: tuple[str, ...]
    linha: Callable[[Any], tuple[Any, ...]]
    objeto: Callable[[tuple[Any, ...], tuple[Any, ...]], Any]


def _de_dataclass(nome: str, tabela: Table, chave: tuple[str, ...], cls: type) -> _Mapa:
    campos = tuple(f.name for f in fields(cls))
    return _Mapa(nome, tabela, chave, campos, attrgetter(*campos), lambda _k, v: cls(*v))


def _linha_empenho_extra(o: SaldoEmpenhoExtra) -> tuple[Any, ...]:
    return (o.chave[1], o.chave[2], o.chave[3], o.valor, o.liquidado, o.pago)


def _empenho_extra(k: tuple[Any, ...], v: tuple[Any, ...]) -> SaldoEmpenhoExtra:
    return SaldoEmpenhoExtra((k[0], v[0], v[1], v[2]), v[3], v[4], v[5])


MAPAS = (
    _de_dataclass("dotacoes", t.controle_dotacao, ("ano", "codigo"), SaldoDotacao),
    _de_dataclass("reservas", t.controle_reserva, ("codigo",), SaldoReserva),
    _de_dataclass("empenhos", t.controle_empenho, ("codigo",), SaldoEmpenho),
    _de_dataclass("em_liquidacoes", t.controle_em_liquidacao, ("codigo",), SaldoEmLiquidacao),
    _de_dataclass("liquidacoes", t.controle_liquidacao, ("codigo",), SaldoLiquidacao),
    _de_dataclass("receitas", t.controle_receita, ("ano", "natureza", "fonte"), SaldoReceita),
    _Mapa(
        "empenhos_extra",
        t.controle_empenho_extra,
        ("codigo",),
        ("conta", "credor", "fonte", "valor", "liquidado", "pago"),
        _linha_empenho_extra,
        _empenho_extra,
    ),
    _de_dataclass(
        "liquidacoes_extra", t.controle_liquidacao_extra, ("codigo",), SaldoLiquidacaoExtra
    ),
)
# Listas em ordem de registro: nome → (tabela, colunas da chave).
LISTAS = {
    "liquidacoes_do_mes": (t.controle_liquidacao_mes, ("credor", "ano", "mes")),
    "gerados": (t.controle_gerado, ("origem",)),
}
EXTRAS = ("extras", "extra_empenhado")  # colunas saldo e empenhado de controle_extra
_CHAVE_EXTRA = ("conta", "credor", "fonte")


def linhas_do_mapa(
    con: Connection,
    m: _Mapa,
    slug_de: dict[int, str],
    eids: list[int] | None = None,
    filtro: Any = None,
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(chave com o slug, valores dos campos) das linhas da tabela do mapa ``m``:
    de todas as entidades ou de ``eids``, e só as que passam no ``filtro``."""
    q = select(m.tabela.c.entidade_id, *(m.tabela.c[k] for k in (*m.chave, *m.campos)))
    if eids is not None:
        q = q.where(m.tabela.c.entidade_id.in_(eids))
    if filtro is not None:
        q = q.where(filtro)
    n = len(m.chave) + 1
    for linha in con.execute(q):
        yield (slug_de[linha[0]], *linha[1:n]), tuple(linha[n:])


TABELAS = (*(m.tabela for m in MAPAS), t.controle_extra, *(tab for tab, _ in LISTAS.values()))


def ids_entidades(con: Connection) -> dict[str, int]:
    """slug → id de cada entidade."""
    return {slug: eid for eid, slug in con.execute(select(t.entidade.c.id, t.entidade.c.slug))}


def encerramentos(con: Connection, eids: list[int] | None = None) -> list[tuple[int, Any]]:
    """(entidade, data) dos encerramentos de exercício não estornados (de todas as
    entidades, ou só de ``eids``), pelo índice ``ix_evento_tipo``."""
    estorno = t.evento.alias("estorno")
    q = select(t.evento.c.entidade_id, t.evento.c.data).where(
        (t.evento.c.tipo == TipoEvento.ENCERRAMENTO.value)
        & ~select(estorno.c.id).where(estorno.c.estornado_id == t.evento.c.id).exists()
    )
    if eids is not None:
        q = q.where(t.evento.c.entidade_id.in_(eids))
    return [(int(eid), data) for eid, data in con.execute(q)]


class EstadoControle:
    """O controle de uma operação sobre as tabelas: preguiçoso, e o que gravar no fim."""

    def __init__(self, con: Connection, *, completo: bool | None = None) -> None:
        self.con = con
        self.ids = ids_entidades(con)
        self.slugs = {eid: slug for slug, eid in self.ids.items()}
        self.completas: set[str] = set()  # entidades com todos os saldos na memória
        self.eventos_completos: set[str] = set()  # e com todos os eventos
        self.perguntas = Perguntas(LIMITE_PERGUNTAS, self.completar_tudo)
        # O que veio do banco, como veio: grava-se só o que mudou.
        self.fotos: dict[str, dict[tuple[Any, ...], Any]] = {
            nome: {} for nome in (*(m.nome for m in MAPAS), *LISTAS, "extras")
        }
        self.codigos: dict[str, set[str]] | None = None  # todos os ids de evento, se trazidos
        self.novos: set[tuple[str, str]] = set()
        if completo is None:
            ultimo = con.execute(select(func.coalesce(func.max(t.evento.c.id), 0))).scalar_one()
            completo = ultimo <= LIMITE_COMPLETO
        c = ControleOrcamentario()
        if not completo:
            # Preguiçosos só quando vale perguntar; com tudo trazido desde o início
            # (banco pequeno, carga em massa), os dicionários comuns do controle: a
            # falta de uma chave não passa por código Python a cada evento.
            for m in MAPAS:
                setattr(c, m.nome, self._mapa(self._buscador(m)))
            c.extras = self._mapa(lambda k: self._extra(k, 0))
            c.extra_empenhado = self._mapa(lambda k: self._extra(k, 1))
            for nome, (tabela, chave) in LISTAS.items():
                setattr(c, nome, self._mapa(self._buscador_lista(nome, tabela, chave)))
            c.estornados = ConjuntoPreguicoso(self._estornado, self.completas, self.perguntas)
        c.eventos = MapaPreguicoso(self._evento, self.eventos_completos)
        c.encerrados = self._encerrados()
        c.completar_entidade = self.completar_entidade
        self.controle = c
        if completo:
            self.completar_tudo()

    def liberar(self) -> None:
        """Fim da operação: o controle e o que veio do banco soltos já (o estado e
        os mapas preguiçosos se referem um ao outro; ver ``esvaziar``)."""
        self.controle.esvaziar()
        for foto in self.fotos.values():
            foto.clear()
        self.novos.clear()
        self.codigos = None

    def _mapa(self, buscar: Callable[[Any], Any]) -> MapaPreguicoso[Any, Any]:
        return MapaPreguicoso(buscar, self.completas, self.perguntas)

    # ------------------------------------------------------------ ids de evento
    def usado(self, slug: str, codigo: str) -> bool:
        """O id já é de um evento da entidade (gravado ou desta operação)?"""
        if (slug, codigo) in self.novos:
            return True
        if self.codigos is None:
            self.perguntas.contar()
        if self.codigos is not None:
            return codigo in self.codigos.get(slug, ())
        eid = self.ids.get(slug)
        q = select(t.evento.c.id).where(
            (t.evento.c.entidade_id == eid) & (t.evento.c.codigo == codigo)
        )
        return self.con.execute(q).first() is not None

    def usar(self, slug: str, codigo: str) -> None:
        self.novos.add((slug, codigo))

    # ------------------------------------------------------------ buscas pontuais
    def _filtro(self, tabela: Table, colunas: Iterable[str], chave: tuple[Any, ...]) -> Any:
        return and_(
            tabela.c.entidade_id == self.ids.get(chave[0], -1),
            *(tabela.c[c] == v for c, v in zip(colunas, chave[1:], strict=True)),
        )

    def _buscador(self, m: _Mapa) -> Callable[[tuple[Any, ...]], Any]:
        colunas = [m.tabela.c[c] for c in m.campos]
        foto = self.fotos[m.nome]

        def buscar(chave: tuple[Any, ...]) -> Any:
            q = select(*colunas).where(self._filtro(m.tabela, m.chave, chave))
            linha = self.con.execute(q).first()
            if linha is None:
                return None
            valores = tuple(linha)
            foto[chave] = valores
            return m.objeto(chave, valores)

        return buscar

    def _extra(self, chave: tuple[Any, ...], coluna: int) -> int | None:
        tab = t.controle_extra
        q = select(tab.c.saldo, tab.c.empenhado).where(self._filtro(tab, _CHAVE_EXTRA, chave))
        linha = self.con.execute(q).first()
        if linha is None:
            return None
        valores = (int(linha[0]), int(linha[1]))
        self.fotos["extras"][chave] = valores
        for nome, valor in zip(EXTRAS, valores, strict=True):  # os dois mapas juntos
            getattr(self.controle, nome).juntar(chave, valor)
        return valores[coluna]

    def _buscador_lista(
        self, nome: str, tabela: Table, colunas: tuple[str, ...]
    ) -> Callable[[tuple[Any, ...]], list[str] | None]:
        foto = self.fotos[nome]

        def buscar(chave: tuple[Any, ...]) -> list[str] | None:
            q = (
                select(tabela.c.codigo)
                .where(self._filtro(tabela, colunas, chave))
                .order_by(tabela.c.ordem)
            )
            lista = list(self.con.execute(q).scalars())
            if not lista:
                return None
            foto[chave] = len(lista)
            return lista

        return buscar

    def _evento(self, chave: tuple[str, str]) -> Any:
        slug, codigo = chave
        if self.codigos is not None and codigo not in self.codigos.get(slug, ()):
            return None
        q = select(t.evento.c.dados).where(self._filtro(t.evento, ("codigo",), chave))
        dados = self.con.execute(q).scalar()
        if dados is None:
            return None
        ev = evento_de_dados(dados)
        return None if isinstance(ev, EstornoEvento) else ev

    def _estornado(self, chave: tuple[str, str]) -> bool:
        slug, codigo = chave
        if self.codigos is not None and codigo not in self.codigos.get(slug, ()):
            return False
        estorno = t.evento.alias("estorno")
        q = select(
            exists().where(
                (estorno.c.estornado_id == t.evento.c.id)
                & (t.evento.c.entidade_id == self.ids.get(slug, -1))
                & (t.evento.c.codigo == codigo)
            )
        )
        return bool(self.con.execute(q).scalar())

    def _encerrados(self) -> set[tuple[str, int]]:
        return {(self.slugs[eid], data.year) for eid, data in encerramentos(self.con)}

    # ------------------------------------------------------------ tudo de uma vez
    def completar_tudo(self) -> None:
        """Todos os saldos, estornados e ids de evento (carga em massa)."""
        faltam = [eid for slug, eid in self.ids.items() if slug not in self.completas]
        self._carregar(faltam)
        self.codigos = {}
        for eid, codigo in self.con.execute(select(t.evento.c.entidade_id, t.evento.c.codigo)):
            self.codigos.setdefault(self.slugs[eid], set()).add(codigo)

    def completar_entidade(self, slug: str) -> None:
        """Todos os saldos e eventos da entidade (encerramento, recusa de estorno)."""
        if slug in self.eventos_completos:
            return
        eid = self.ids[slug]
        if slug not in self.completas:
            self._carregar([eid])
        q = select(t.evento.c.codigo, t.evento.c.dados).where(t.evento.c.entidade_id == eid)
        eventos = self.controle.eventos
        assert isinstance(eventos, MapaPreguicoso)
        for codigo, dados in self.con.execute(q.order_by(t.evento.c.id)):
            if not dict.__contains__(eventos, (slug, codigo)):
                ev = evento_de_dados(dados)
                if not isinstance(ev, EstornoEvento):
                    eventos.juntar((slug, codigo), ev)
        self.eventos_completos.add(slug)

    def _carregar(self, eids: list[int]) -> None:
        if not eids:
            return
        c = self.controle
        for m in MAPAS:
            mapa = getattr(c, m.nome)
            foto = self.fotos[m.nome]
            for chave, valores in linhas_do_mapa(self.con, m, self.slugs, eids):
                if _juntar(mapa, chave, m.objeto(chave, valores)):
                    foto[chave] = valores
        tab = t.controle_extra
        q: Any = select(tab.c.entidade_id, tab.c.conta, tab.c.credor, tab.c.fonte)
        q = q.add_columns(tab.c.saldo, tab.c.empenhado).where(tab.c.entidade_id.in_(eids))
        for eid, conta, credor, fonte, saldo, empenhado in self.con.execute(q):
            chave = (self.slugs[eid], conta, credor, fonte)
            if chave not in self.fotos["extras"]:
                self.fotos["extras"][chave] = (saldo, empenhado)
                _juntar(c.extras, chave, saldo)
                _juntar(c.extra_empenhado, chave, empenhado)
        for nome, (tabela, colunas) in LISTAS.items():
            listas: dict[tuple[Any, ...], list[str]] = {}
            q = select(tabela.c.entidade_id, *(tabela.c[k] for k in colunas), tabela.c.codigo)
            q = q.where(tabela.c.entidade_id.in_(eids)).order_by(*tabela.primary_key.columns)
            for linha in self.con.execute(q):
                listas.setdefault((self.slugs[linha[0]], *linha[1:-1]), []).append(linha[-1])
            mapa = getattr(c, nome)
            for chave, lista in listas.items():
                if _juntar(mapa, chave, lista):
                    self.fotos[nome][chave] = len(lista)
        estorno = t.evento.alias("estorno")
        q = (
            select(t.evento.c.entidade_id, t.evento.c.codigo)
            .join(estorno, estorno.c.estornado_id == t.evento.c.id)
            .where(t.evento.c.entidade_id.in_(eids))
        )
        estornados = c.estornados
        for eid, codigo in self.con.execute(q):
            set.add(estornados, (self.slugs[eid], codigo))
        self.completas.update(self.slugs[eid] for eid in eids)

    # ------------------------------------------------------------ gravação
    def gravar(self) -> None:
        """Grava o que mudou desde que veio do banco, na transação da operação."""
        gravar_controle(self.con, self.controle, self.fotos, self.ids)


def _juntar(mapa: dict[Any, Any], chave: Any, valor: Any) -> bool:
    """Põe o que veio do banco se a chave ainda não está (a da memória vale)."""
    if isinstance(mapa, MapaPreguicoso):
        return mapa.juntar(chave, valor)
    if chave in mapa:
        return False
    mapa[chave] = valor
    return True


def gravar_controle(
    con: Connection,
    controle: ControleOrcamentario,
    fotos: dict[str, dict[tuple[Any, ...], Any]],
    ids: dict[str, int],
) -> None:
    """Insere as linhas novas e atualiza as que mudaram (``fotos``: o que veio do banco)."""
    for m in MAPAS:
        foto = fotos.get(m.nome, {})
        novas: list[tuple[Any, ...]] = []
        mudadas: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
        for chave, objeto in dict.items(getattr(controle, m.nome)):
            valores = m.linha(objeto)
            antes = foto.get(chave)
            if antes is None:
                novas.append((ids[chave[0]], *chave[1:], *valores))
            elif antes != valores:
                mudadas.append((chave, valores))
        inserir_em_massa(con, m.tabela.name, ("entidade_id", *m.chave, *m.campos), novas)
        _atualizar(con, m.tabela, m.chave, m.campos, mudadas, ids)
    foto = fotos.get("extras", {})
    saldo: dict[Any, int] = controle.extras
    empenhado: dict[Any, int] = controle.extra_empenhado
    novas = []
    mudadas = []
    for chave in dict.keys(saldo) | dict.keys(empenhado) | foto.keys():
        valores = (dict.get(saldo, chave, 0), dict.get(empenhado, chave, 0))
        antes = foto.get(chave)
        if antes is None:
            if valores != (0, 0):
                novas.append((ids[chave[0]], *chave[1:], *valores))
        elif antes != valores:
            mudadas.append((chave, valores))
    colunas_extra = ("saldo", "empenhado")
    inserir_em_massa(con, "controle_extra", ("entidade_id", *_CHAVE_EXTRA, *colunas_extra), novas)
    _atualizar(con, t.controle_extra, _CHAVE_EXTRA, colunas_extra, mudadas, ids)
    for nome, (tabela, colunas) in LISTAS.items():
        foto = fotos.get(nome, {})
        novas = []
        for chave, lista in dict.items(getattr(controle, nome)):
            inicio = foto.get(chave, 0)
            novas.extend(
                (ids[chave[0]], *chave[1:], ordem, codigo)
                for ordem, codigo in enumerate(lista[inicio:], start=inicio)
            )
        inserir_em_massa(con, tabela.name, ("entidade_id", *colunas, "ordem", "codigo"), novas)


def _atualizar(
    con: Connection,
    tabela: Table,
    chave: tuple[str, ...],
    campos: tuple[str, ...],
    mudadas: list[tuple[tuple[Any, ...], tuple[Any, ...]]],
    ids: dict[str, int],
) -> None:
    if not mudadas:
        return
    comando = (
        tabela.update()
        .where(
            and_(
                tabela.c.entidade_id == bindparam("k_entidade_id"),
                *(tabela.c[c] == bindparam(f"k_{c}") for c in chave),
            )
        )
        .values({c: bindparam(f"v_{c}") for c in campos})
    )
    con.execute(
        comando,
        [
            {
                "k_entidade_id": ids[k[0]],
                **{f"k_{c}": v for c, v in zip(chave, k[1:], strict=True)},
                **{f"v_{c}": v for c, v in zip(campos, valores, strict=True)},
            }
            for k, valores in mudadas
        ],
    )


# ------------------------------------------------------------ reexecução
def refazer_controle(con: Connection) -> tuple[ControleOrcamentario, dict[str, set[str]]]:
    """Controle de saldos refeito dos eventos gravados, em ordem de registro, e
    os ids de evento já usados por entidade (o caminho que as tabelas substituem)."""
    usados: dict[str, set[str]] = {}
    controle = reexecutar_eventos(con, usados)
    return controle, usados


def reexecutar_eventos(
    con: Connection, usados: dict[str, set[str]] | None = None, *, compacta: bool = True
) -> ControleOrcamentario:
    """O controle refeito dos eventos gravados (``usados``, se dado, recebe os ids
    por entidade). O laço de ``verificar``: um milhão de eventos por volta.
    ``compacta=False``: só o texto recebido (migrações anteriores à coluna 0018)."""
    controle = ControleOrcamentario()
    slug_de = {eid: slug for slug, eid in ids_entidades(con).items()}
    aplicar = controle.aplicar
    coluna = "compacto" if compacta else "NULL"
    sql = f"SELECT entidade_id, dados, {coluna} FROM evento ORDER BY id"
    for eid, dados, compacto in ler_em_massa(con, sql):
        ev = evento_gravado(dados, compacto)
        tipo = type(ev)
        if tipo is EstornoEvento:
            estornado = controle.eventos[(slug_de[eid], ev.evento)]  # type: ignore[union-attr]
            if isinstance(estornado, EncerramentoExercicio):
                controle.desfazer_encerramento(estornado)
            else:
                aplicar(estornado, sinal=-1)
        elif tipo is EncerramentoExercicio:
            controle.encerrar(ev)  # type: ignore[arg-type]
        else:
            aplicar(ev)  # type: ignore[arg-type]
        if usados is not None:
            usados.setdefault(slug_de[eid], set()).add(ev.id)
    return controle


def reescrever(con: Connection, controle: ControleOrcamentario) -> None:
    """Troca o conteúdo das tabelas pelo controle dado (completo)."""
    for tabela in TABELAS:
        con.execute(tabela.delete())
    gravar_controle(con, controle, {}, ids_entidades(con))


def refazer_tabelas(con: Connection) -> None:
    """Preenche as tabelas reexecutando os eventos (migração 0013, antes da 0018)."""
    reescrever(con, reexecutar_eventos(con, compacta=False))


# ------------------------------------------------------------ verificação
def divergencias(con: Connection, refeito: ControleOrcamentario) -> list[Erro]:
    """``VER-CONTROLE``: o que as tabelas dizem e a reexecução dos eventos não
    (ou o contrário), por mapa, com até três chaves de exemplo. Compara as linhas
    como vêm do banco (cursor do driver) com as que a gravação faria do controle
    refeito, em conjuntos de linhas inteiras (sem montar objetos para as lidas:
    são centenas de milhares num banco grande)."""
    slug_de = {eid: slug for slug, eid in ids_entidades(con).items()}
    id_de = {slug: eid for eid, slug in slug_de.items()}
    erros = []

    def apontar(nome: str, chaves: Iterable[tuple[Any, ...]]) -> None:
        diferentes = sorted(" ".join(map(str, k)) for k in chaves)
        if diferentes:
            erros.append(
                Erro(
                    "VER-CONTROLE",
                    f"saldos do controle ({nome}) diferentes da reexecução dos eventos em "
                    f"{len(diferentes)} chave(s), p. ex. {', '.join(diferentes[:3])}",
                )
            )

    def diferentes(
        nome: str, colunas: tuple[str, ...], tabela: Table, n: int, linhas: set[Any]
    ) -> None:
        """Iguais, nada a apontar; diferentes, as chaves (``n`` primeiras colunas)
        das linhas que só um lado tem."""
        gravadas = set(ler_em_massa(con, f"SELECT {', '.join(colunas)} FROM {tabela.name}"))
        if gravadas != linhas:
            apontar(nome, {(slug_de[r[0]], *r[1:n]) for r in gravadas ^ linhas})

    for m in MAPAS:
        nome, linha_de = m.nome, m.linha
        refeitas = {
            (id_de[k[0]], *k[1:], *linha_de(o)) for k, o in dict.items(getattr(refeito, m.nome))
        }
        diferentes(nome, ("entidade_id", *m.chave, *m.campos), m.tabela, len(m.chave) + 1, refeitas)
    tab = t.controle_extra
    q = select(tab.c.entidade_id, *(tab.c[k] for k in _CHAVE_EXTRA), tab.c.saldo, tab.c.empenhado)
    lidas = [((slug_de[r[0]], *r[1:4]), r[4], r[5]) for r in con.execute(q)]
    for i, nome in enumerate(EXTRAS):  # chave ausente vale 0
        gravados = {k: v[i] for k, *v in lidas if v[i]}
        refeitos = {k: v for k, v in dict.items(getattr(refeito, nome)) if v}
        apontar(
            nome,
            {k for k in gravados.keys() | refeitos.keys() if gravados.get(k) != refeitos.get(k)},
        )
    for nome, (tabela, colunas) in LISTAS.items():
        listas: dict[tuple[Any, ...], list[str]] = {}
        ordem = ", ".join(c.name for c in tabela.primary_key.columns)
        sql = (
            f"SELECT entidade_id, {', '.join(colunas)}, codigo FROM {tabela.name} ORDER BY {ordem}"
        )
        for linha in ler_em_massa(con, sql):
            listas.setdefault((slug_de[linha[0]], *linha[1:-1]), []).append(linha[-1])
        refeitas_l = dict(dict.items(getattr(refeito, nome)))
        apontar(
            nome,
            {k for k in listas.keys() | refeitas_l.keys() if listas.get(k) != refeitas_l.get(k)},
        )
    return erros
