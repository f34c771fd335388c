"""Usuários, papéis, sessões e trilha da interface web (migração 0016).

Só lê e grava linhas: quem pode o quê é de ``erario.web.acesso``; o hash da
senha é o argon2id de ``erario.api.seguranca`` (o mesmo do servidor de dados).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from enum import StrEnum
from typing import Final, NamedTuple

from sqlalchemy import Engine, delete, insert, select, update

from erario.api.seguranca import hash_senha
from erario.core.erros import Erro, OperacaoRecusada
from erario.storage import esquema as t

_RE_LOGIN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
SENHA_MINIMA: Final = 10  # caracteres; NIST SP 800-63B pede ao menos 8


class Papel(StrEnum):
    """Papéis por entidade, do que pode mais ao que pode menos."""

    ADMINISTRADOR = "administrador"
    CONTADOR = "contador"
    CONSULTA = "consulta"


# Quanto maior, mais pode: administrador ⊇ contador ⊇ consulta.
NIVEL: Final = {Papel.CONSULTA: 1, Papel.CONTADOR: 2, Papel.ADMINISTRADOR: 3}


class Usuario(NamedTuple):
    id: int
    login: str
    nome: str
    senha_hash: str
    ativo: bool
    # slug → papel; a chave "" vale para todas as entidades
    papeis: dict[str, Papel]


class Sessao(NamedTuple):
    usuario: Usuario
    csrf: str
    criada_em: float
    visto_em: float


class Acao(NamedTuple):
    quando: dt.datetime
    usuario: str
    entidade: str
    acao: str
    resultado: str
    detalhe: str


def _sha(ficha: str) -> str:
    return hashlib.sha256(ficha.encode()).hexdigest()


def _ids_entidades(engine: Engine) -> dict[str, int]:
    with engine.connect() as con:
        return {r.slug: r.id for r in con.execute(select(t.entidade.c.id, t.entidade.c.slug))}


def ler_papel(texto: str, *, aceitar_nenhum: bool = False) -> Papel | None:
    """O papel escrito (``administrador``, ``contador``, ``consulta``; com
    ``aceitar_nenhum``, ``nenhum`` = None, para tirar o papel), ou WEB-PAPEL. A
    mesma leitura para a CLI (``erario web usuario``) e a página de usuários."""
    t = texto.strip().lower()
    if aceitar_nenhum and t == "nenhum":
        return None
    try:
        return Papel(t)
    except ValueError:
        opcoes = "administrador, contador, consulta" + (" ou nenhum" if aceitar_nenhum else "")
        raise OperacaoRecusada.uma(
            "WEB-PAPEL", f"papel '{texto}' inválido: use {opcoes}", "papel"
        ) from None


def descrever_papeis(usuario: Usuario) -> str:
    """``"administrador em todas, contador em prefeitura"`` (listas da CLI e da web)."""
    return ", ".join(f"{p.value} em {s or 'todas'}" for s, p in sorted(usuario.papeis.items()))


def conferir_novo_usuario(
    engine: Engine, login: str, senha: str, papeis: dict[str, Papel]
) -> list[Erro]:
    """Todos os problemas do cadastro, antes de gravar qualquer coisa."""
    erros: list[Erro] = []
    if not _RE_LOGIN.match(login):
        erros.append(
            Erro(
                "WEB-LOGIN",
                f"login '{login}' inválido: use de 2 a 60 letras minúsculas, dígitos, '.', '_' ou '-'",
                "login",
            )
        )
    elif usuario_por_login(engine, login) is not None:
        erros.append(Erro("WEB-USUARIO-EXISTE", f"o usuário '{login}' já existe", "login"))
    erros += conferir_senha_nova(senha)
    ids = _ids_entidades(engine)
    faltam = sorted(s for s in papeis if s and s not in ids)
    if faltam:
        erros.append(
            Erro("ENT-INEXISTENTE", f"entidade {', '.join(faltam)} não existe", "entidade")
        )
    if not papeis:
        erros.append(Erro("WEB-PAPEL", "informe ao menos um papel numa entidade", "papel"))
    return erros


def conferir_senha_nova(senha: str) -> list[Erro]:
    if len(senha) < SENHA_MINIMA:
        return [
            Erro(
                "WEB-SENHA-CURTA",
                f"a senha precisa de ao menos {SENHA_MINIMA} caracteres",
                "senha",
            )
        ]
    return []


def criar_usuario(
    engine: Engine, login: str, nome: str, senha: str, papeis: dict[str, Papel]
) -> int:
    """Cria o usuário com seus papéis (``""`` = todas as entidades), tudo ou nada."""
    login = login.strip().lower()
    erros = conferir_novo_usuario(engine, login, senha, papeis)
    if erros:
        raise OperacaoRecusada(erros)
    ids = _ids_entidades(engine)
    with engine.begin() as con:
        uid = con.execute(
            insert(t.web_usuario)
            .values(
                login=login,
                nome=nome.strip() or login,
                senha_hash=hash_senha(senha),
                ativo=True,
                criado_em=dt.datetime.now(dt.UTC),
            )
            .returning(t.web_usuario.c.id)
        ).scalar_one()
        for slug, papel in papeis.items():
            con.execute(
                insert(t.web_papel).values(
                    usuario_id=uid, entidade_id=ids[slug] if slug else None, papel=papel.value
                )
            )
    return int(uid)


def definir_papel(engine: Engine, login: str, slug: str, papel: Papel | None) -> None:
    """Dá (ou, com ``None``, tira) o papel do usuário na entidade (``""`` = todas)."""
    u = usuario_por_login(engine, login)
    if u is None:
        raise OperacaoRecusada.uma("WEB-USUARIO", f"usuário '{login}' não existe", "login")
    ids = _ids_entidades(engine)
    if slug and slug not in ids:
        raise OperacaoRecusada.uma("ENT-INEXISTENTE", f"entidade {slug} não existe", "entidade")
    eid = ids[slug] if slug else None
    p = t.web_papel.c
    with engine.begin() as con:
        con.execute(
            delete(t.web_papel).where(
                (p.usuario_id == u.id)
                & (p.entidade_id.is_(None) if eid is None else p.entidade_id == eid)
            )
        )
        if papel is not None:
            con.execute(
                insert(t.web_papel).values(usuario_id=u.id, entidade_id=eid, papel=papel.value)
            )


def trocar_senha(engine: Engine, login: str, senha: str) -> None:
    """Nova senha; todas as sessões do usuário deixam de valer."""
    erros = conferir_senha_nova(senha)
    u = usuario_por_login(engine, login)
    if u is None:
        erros.append(Erro("WEB-USUARIO", f"usuário '{login}' não existe", "login"))
    if erros:
        raise OperacaoRecusada(erros)
    assert u is not None
    with engine.begin() as con:
        con.execute(
            update(t.web_usuario)
            .where(t.web_usuario.c.id == u.id)
            .values(senha_hash=hash_senha(senha))
        )
        con.execute(delete(t.web_sessao).where(t.web_sessao.c.usuario_id == u.id))


def ativar(engine: Engine, login: str, ativo: bool) -> None:
    u = usuario_por_login(engine, login)
    if u is None:
        raise OperacaoRecusada.uma("WEB-USUARIO", f"usuário '{login}' não existe", "login")
    with engine.begin() as con:
        con.execute(update(t.web_usuario).where(t.web_usuario.c.id == u.id).values(ativo=ativo))
        if not ativo:
            con.execute(delete(t.web_sessao).where(t.web_sessao.c.usuario_id == u.id))


def _papeis(engine: Engine, uid: int) -> dict[str, Papel]:
    q = (
        select(t.web_papel.c.papel, t.entidade.c.slug)
        .join(t.entidade, t.entidade.c.id == t.web_papel.c.entidade_id, isouter=True)
        .where(t.web_papel.c.usuario_id == uid)
    )
    with engine.connect() as con:
        return {r.slug or "": Papel(r.papel) for r in con.execute(q)}


def usuario_por_login(engine: Engine, login: str) -> Usuario | None:
    with engine.connect() as con:
        r = con.execute(
            select(t.web_usuario).where(t.web_usuario.c.login == login.strip().lower())
        ).first()
    if r is None:
        return None
    return Usuario(r.id, r.login, r.nome, r.senha_hash, r.ativo, _papeis(engine, r.id))


def usuarios(engine: Engine) -> list[Usuario]:
    with engine.connect() as con:
        linhas = list(con.execute(select(t.web_usuario).order_by(t.web_usuario.c.login)))
    return [
        Usuario(r.id, r.login, r.nome, r.senha_hash, r.ativo, _papeis(engine, r.id)) for r in linhas
    ]


# ------------------------------------------------------------------ sessões
def abrir_sessao(engine: Engine, usuario_id: int, agora: float) -> str:
    """Nova sessão; devolve a ficha (vai só no cookie; aqui fica o sha256)."""
    ficha = secrets.token_urlsafe(32)
    with engine.begin() as con:
        con.execute(
            insert(t.web_sessao).values(
                ficha_sha256=_sha(ficha),
                usuario_id=usuario_id,
                csrf=secrets.token_urlsafe(32),
                criada_em=agora,
                visto_em=agora,
            )
        )
    return ficha


def sessao(engine: Engine, ficha: str, agora: float, ociosa: float, maxima: float) -> Sessao | None:
    """A sessão válida da ficha (renovando o uso), ou None: inexistente, ociosa há
    mais de ``ociosa`` s, aberta há mais de ``maxima`` s ou de usuário inativo.
    A vencida é apagada."""
    s = t.web_sessao.c
    chave = _sha(ficha)
    with engine.connect() as con:
        r = con.execute(select(t.web_sessao).where(s.ficha_sha256 == chave)).first()
        u = (
            con.execute(select(t.web_usuario).where(t.web_usuario.c.id == r.usuario_id)).first()
            if r is not None
            else None
        )
    if r is None or u is None:
        return None
    if agora - r.visto_em > ociosa or agora - r.criada_em > maxima or not u.ativo:
        encerrar_sessao(engine, ficha)
        return None
    if agora - r.visto_em > 30:  # não grava a cada pedido
        with engine.begin() as con:
            con.execute(update(t.web_sessao).where(s.ficha_sha256 == chave).values(visto_em=agora))
    usuario = Usuario(u.id, u.login, u.nome, u.senha_hash, u.ativo, _papeis(engine, u.id))
    return Sessao(usuario, r.csrf, r.criada_em, r.visto_em)


def encerrar_sessao(engine: Engine, ficha: str) -> None:
    with engine.begin() as con:
        con.execute(delete(t.web_sessao).where(t.web_sessao.c.ficha_sha256 == _sha(ficha)))


# ------------------------------------------------------------------- trilha
def registrar_acao(
    engine: Engine, usuario: str, slug: str | None, acao: str, resultado: str, detalhe: str
) -> None:
    eid = _ids_entidades(engine).get(slug) if slug else None
    with engine.begin() as con:
        con.execute(
            insert(t.web_acao).values(
                quando=dt.datetime.now(dt.UTC),
                usuario=usuario[:60],
                entidade_id=eid,
                acao=acao[:40],
                resultado=resultado[:10],
                detalhe=detalhe,
            )
        )


def acoes(engine: Engine, slug: str, limite: int = 500) -> list[Acao]:
    """As ações mais recentes feitas pela web na entidade (e as sem entidade)."""
    eid = _ids_entidades(engine).get(slug)
    a = t.web_acao.c
    q = (
        select(t.web_acao)
        .where((a.entidade_id == eid) | a.entidade_id.is_(None))
        .order_by(a.id.desc())
        .limit(limite)
    )
    with engine.connect() as con:
        return [
            Acao(r.quando, r.usuario, slug if r.entidade_id else "", r.acao, r.resultado, r.detalhe)
            for r in con.execute(q)
        ]


# ------------------------------------------------------------------ eventos
class EventoGravado(NamedTuple):
    codigo: str
    tipo: str
    data: dt.date
    dados: str  # o evento no esquema JSON da carga
    lancamento: str | None  # número do lançamento gerado
    estornado_por: str | None  # código do evento que o estornou


def evento(engine: Engine, slug: str, codigo: str) -> EventoGravado | None:
    """O evento gravado, para a página do evento (sem refazer o controle)."""
    ev, lc = t.evento.c, t.lancamento.c
    with engine.connect() as con:
        eid = con.execute(select(t.entidade.c.id).where(t.entidade.c.slug == slug)).scalar()
        r = con.execute(
            select(ev.id, ev.codigo, ev.tipo, ev.data, ev.dados, lc.numero)
            .join(t.lancamento, lc.id == ev.lancamento_id, isouter=True)
            .where((ev.entidade_id == eid) & (ev.codigo == codigo))
        ).first()
        if r is None:
            return None
        por = con.execute(select(ev.codigo).where(ev.estornado_id == r.id)).scalar()
    return EventoGravado(r.codigo, r.tipo, r.data, r.dados, r.numero, por)
