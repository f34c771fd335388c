"""Servidor de dados on-line (FastAPI): competências, orçamento e balancetes.

Fluxo (docs/consolidacao.md, spec 1.2–1.6): a Prefeitura abre as competências
do exercício e envia o orçamento; Câmara e RPPS baixam o orçamento e enviam os
balancetes mensais; a Prefeitura baixa e incorpora. Cada envio é uma versão
nova gravada numa transação (o envio interrompido não grava nada); a versão
vigente é a maior e as anteriores ficam no histórico. Reenvio do mesmo
conteúdo não cria versão; envio baseado numa versão que não é mais a vigente
(``versao_anterior``) é recusado como conflito — assim um pedido repetido
fora de hora não sobrepõe dados novos.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import time
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, and_, func, insert, select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from erario.api import esquema as t
from erario.api import robustez
from erario.api.conferencia import TIPO_PLANO, Planos, erro_slug_em_uso, slug_em_uso
from erario.api.manutencao import migrar
from erario.api.seguranca import (
    ARQUIVO_SEGREDO,
    POLITICA_EMAIL,
    POLITICA_ENDERECO,
    AuditoriaDownloads,
    Fichas,
    FreioLogin,
    LimiteConferencias,
    Politica,
    auditar,
    fonte_segredo,
    girar_segredo,
    hash_senha,
    operador_local,
)
from erario.consolidacao.formato import (
    MES_ENCERRAMENTO,
    conferir_recebido,
    ler_documento,
    ler_objeto_json,
)
from erario.consolidacao.orcamento import Orcamento, ler_orcamento
from erario.consolidacao.plano import ler_plano_publicado
from erario.core.codigos import cnpj_valido, somente_digitos
from erario.core.erros import Erro, OperacaoRecusada
from erario.razao.modelo import TipoEntidade
from erario.storage.banco import criar_engine

URL_PADRAO = "sqlite:///erario-servidor.db"
PREFIXO = "/api/v1"


class Config(NamedTuple):
    url: str = URL_PADRAO
    validade_ficha: int = 900  # segundos
    limite_bytes: int = 8 * 2**20  # maior documento aceito
    limite_pedido: int = robustez.LIMITE_PEDIDO  # entrada e demais pedidos sem documento
    tempo_corpo: float = robustez.TEMPO_CORPO  # segundos para o corpo inteiro (senão 408)
    tempo_ocioso: float = robustez.TEMPO_OCIOSO  # segundos sem dados do corpo (senão 408)
    prefixo: str = ""  # caminho atrás do proxy reverso (--prefixo /erario)
    freio_base: float = 1.0  # segundos de espera após a 4ª falha de login (dobra a cada falha)
    segredo: bytes | None = None  # None: ERARIO_SERVIDOR_SEGREDO ou o arquivo de segredo
    segredo_arquivo: str = ARQUIVO_SEGREDO  # criado (0600) se falta
    freio_email: Politica = POLITICA_EMAIL
    freio_endereco: Politica = POLITICA_ENDERECO
    conferencias_simultaneas: int = 2  # conferências de senha (argon2) ao mesmo tempo
    espera_conferencia: float = 5.0  # além disso na fila: 503 (CON-OCUPADO)
    gancho_conferencia: Callable[[], None] | None = None  # testes: dentro do limite
    relogio: Callable[[], float] = time.time  # freio e validade das fichas (testes)
    proxies_confiaveis: tuple[str, ...] = ()  # X-Forwarded-For só deles
    log_acesso: str = "nao"  # "nao", "sim" (saída padrão) ou arquivo


class Recusa(Exception):
    def __init__(self, status: int, erros: list[Erro]) -> None:
        self.status, self.erros = status, erros
        super().__init__("; ".join(str(e) for e in erros))

    @classmethod
    def uma(cls, status: int, regra: str, mensagem: str) -> Recusa:
        return cls(status, [Erro(regra, mensagem)])


def _json_erros(erros: list[Erro]) -> dict[str, Any]:
    return {
        "erros": [
            {"regra": e.regra, "mensagem": e.mensagem, "campo": e.campo, "linha": e.linha}
            for e in erros
        ]
    }


def preparar_banco(url: str) -> Engine:
    """Engine do banco do servidor, com as migrações pendentes aplicadas
    (``erario.api.manutencao``; o banco criado antes delas é atualizado sem perdas)."""
    engine = criar_engine(url)
    migrar(engine)
    return engine


# ------------------------------------------------------------- administração
_RE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_RE_EMAIL = re.compile(r"[^@\s]{1,100}@[^@\s]+\.[^@\s]+")


class Admin:
    """Cadastro de entidades e usuários (comandos ``erario servidor``, sem HTTP).

    Cada ação que muda algo fica na auditoria (com o usuário do sistema que
    rodou o comando); nada muda quando alguma conferência falha."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _auditar(self, con: Connection, acao: str, email: str | None, detalhe: str) -> None:
        auditar(con, acao, "ok", email=email, detalhe=f"{detalhe} (por {operador_local()})")

    def cadastrar_entidade(self, cnpj: str, slug: str, nome: str, tipo: str, ibge: str) -> None:
        digitos = somente_digitos(cnpj)
        erros: list[Erro] = []
        if not cnpj_valido(digitos):
            erros.append(Erro("CON-ENTIDADE", f"CNPJ {cnpj} inválido (dígitos verificadores)"))
        if not _RE_SLUG.fullmatch(slug):
            erros.append(
                Erro(
                    "CON-ENTIDADE",
                    f"slug '{slug}' inválido: minúsculas, dígitos e hífen, até 40 caracteres",
                )
            )
        if not nome.strip() or len(nome) > 200:
            erros.append(Erro("CON-ENTIDADE", "nome obrigatório, até 200 caracteres"))
        if tipo not in set(TipoEntidade):
            erros.append(
                Erro("CON-ENTIDADE", f"tipo '{tipo}' inválido: use " + ", ".join(TipoEntidade))
            )
        if not re.fullmatch(r"[0-9]{7}", ibge):
            erros.append(Erro("CON-ENTIDADE", f"código IBGE '{ibge}' deve ter 7 dígitos"))
        if erros:
            raise OperacaoRecusada(erros)
        e = t.entidade.c
        with self.engine.begin() as con:
            atual = con.execute(select(e.id).where(e.cnpj == digitos)).scalar()
            if tipo == "prefeitura":
                outra = con.execute(
                    select(e.slug, e.cnpj).where(
                        (e.ibge == ibge) & (e.tipo == "prefeitura") & (e.cnpj != digitos)
                    )
                ).first()
                if outra is not None:
                    raise OperacaoRecusada.uma(
                        "CON-ENTIDADE",
                        f"o município {ibge} já tem a Prefeitura {outra.slug} ({outra.cnpj})",
                    )
            outro = slug_em_uso(con, ibge, slug, digitos)
            if outro is not None:
                raise OperacaoRecusada([erro_slug_em_uso(slug, ibge, outro)])
            dados = {"slug": slug, "nome": nome.strip(), "tipo": tipo, "ibge": ibge}
            if atual is None:
                con.execute(insert(t.entidade).values(cnpj=digitos, **dados))
            else:
                con.execute(t.entidade.update().where(e.id == atual).values(**dados))
            self._auditar(
                con, "entidade", None,
                f"{slug} ({digitos}), {tipo}, IBGE {ibge}: "
                + ("cadastrada" if atual is None else "atualizada"),
            )  # fmt: skip

    @staticmethod
    def _conferir_usuario(email: str, senha: str) -> str:
        email = email.strip().lower()
        if not _RE_EMAIL.fullmatch(email) or len(email) > 200 or len(senha) < 8:
            raise OperacaoRecusada.uma(
                "CON-USUARIO", "informe um e-mail válido e uma senha de ao menos 8 caracteres"
            )
        return email

    @staticmethod
    def _uid(con: Connection, email: str) -> int:
        email = email.strip().lower()
        uid = con.execute(select(t.usuario.c.id).where(t.usuario.c.email == email)).scalar()
        if uid is None:
            raise OperacaoRecusada.uma("CON-USUARIO", f"usuário {email} não cadastrado no servidor")
        return int(uid)

    @staticmethod
    def _eid(con: Connection, cnpj: str) -> int:
        digitos = somente_digitos(cnpj)
        if not cnpj_valido(digitos):
            raise OperacaoRecusada.uma(
                "CON-ENTIDADE", f"CNPJ {cnpj} inválido (dígitos verificadores)"
            )
        eid = con.execute(select(t.entidade.c.id).where(t.entidade.c.cnpj == digitos)).scalar()
        if eid is None:
            raise OperacaoRecusada.uma(
                "CON-ENTIDADE",
                f"entidade de CNPJ {digitos} não cadastrada no servidor: cadastre-a antes com "
                "erario servidor entidade",
            )
        return int(eid)

    def _gravar_usuario(self, con: Connection, email: str, senha_hash: str) -> None:
        """``senha_hash`` calculado antes da transação (o argon2 não segura a trava)."""
        u = t.usuario.c
        atual = con.execute(select(u.id).where(u.email == email)).scalar()
        if atual is None:
            con.execute(insert(t.usuario).values(email=email, senha_hash=senha_hash, ativo=True))
            self._auditar(con, "usuario", email, "usuário criado")
        else:  # senha nova: as fichas emitidas com a antiga deixam de valer
            con.execute(
                t.usuario.update()
                .where(u.id == atual)
                .values(senha_hash=senha_hash, versao_ficha=u.versao_ficha + 1)
            )
            self._auditar(con, "senha", email, "senha trocada")

    def criar_usuario(self, email: str, senha: str) -> None:
        """Cria o usuário, ou troca a senha do que já existe."""
        email = self._conferir_usuario(email, senha)
        senha_hash = hash_senha(senha)
        with self.engine.begin() as con:
            self._gravar_usuario(con, email, senha_hash)

    def cadastrar_usuario(self, email: str, senha: str, cnpjs: list[str]) -> None:
        """Cria o usuário (ou troca a senha) e o vincula às entidades, numa só
        transação: CNPJ inválido ou não cadastrado recusa tudo."""
        email = self._conferir_usuario(email, senha)
        senha_hash = hash_senha(senha)
        with self.engine.begin() as con:
            eids = [self._eid(con, c) for c in cnpjs]
            self._gravar_usuario(con, email, senha_hash)
            uid = self._uid(con, email)
            for cnpj, eid in zip(cnpjs, eids, strict=True):
                self._vincular(con, uid, eid, email, cnpj)

    def trocar_senha(self, email: str, senha: str) -> None:
        """Senha nova de um usuário existente; as fichas emitidas deixam de valer."""
        email = self._conferir_usuario(email, senha)
        senha_hash = hash_senha(senha)
        with self.engine.begin() as con:
            self._uid(con, email)
            self._gravar_usuario(con, email, senha_hash)

    def _vincular(self, con: Connection, uid: int, eid: int, email: str, cnpj: str) -> None:
        v = t.vinculo.c
        existe = con.execute(
            select(t.vinculo).where((v.usuario_id == uid) & (v.entidade_id == eid))
        ).first()
        if existe is None:
            con.execute(insert(t.vinculo).values(usuario_id=uid, entidade_id=eid))
            self._auditar(con, "vincular", email, f"vinculado a {somente_digitos(cnpj)}")

    def vincular(self, email: str, cnpj: str) -> None:
        with self.engine.begin() as con:
            uid, eid = self._uid(con, email), self._eid(con, cnpj)
            self._vincular(con, uid, eid, email.strip().lower(), cnpj)

    def desvincular(self, email: str, cnpj: str) -> None:
        """Tira o acesso do usuário à entidade (vale já: a permissão é conferida a cada pedido)."""
        v = t.vinculo.c
        with self.engine.begin() as con:
            uid, eid = self._uid(con, email), self._eid(con, cnpj)
            feito = con.execute(
                t.vinculo.delete().where((v.usuario_id == uid) & (v.entidade_id == eid))
            )
            if not feito.rowcount:
                raise OperacaoRecusada.uma(
                    "CON-USUARIO",
                    f"usuário {email.strip().lower()} não está vinculado à entidade "
                    f"{somente_digitos(cnpj)}",
                )
            self._auditar(
                con,
                "desvincular",
                email.strip().lower(),
                f"desvinculado de {somente_digitos(cnpj)}",
            )

    def ativar(self, email: str, ativo: bool = True) -> None:
        """Desativado: não entra, e as fichas já emitidas deixam de valer (também
        depois de reativado)."""
        u = t.usuario.c
        with self.engine.begin() as con:
            uid = self._uid(con, email)
            valores: dict[str, Any] = {"ativo": ativo}
            if not ativo:
                valores["versao_ficha"] = u.versao_ficha + 1
            con.execute(t.usuario.update().where(u.id == uid).values(**valores))
            self._auditar(
                con,
                "usuario-ativar" if ativo else "usuario-desativar",
                email.strip().lower(),
                "usuário ativado" if ativo else "usuário desativado",
            )

    def girar_segredo(self, arquivo: str) -> None:
        """Segredo novo das fichas: todas as emitidas deixam de valer."""
        girar_segredo(arquivo)
        with self.engine.begin() as con:
            self._auditar(con, "girar-segredo", None, f"segredo novo em {arquivo}")

    def auditoria(
        self, email: str | None = None, acao: str | None = None, limite: int = 50
    ) -> list[Any]:
        """Os registros mais recentes primeiro."""
        a = t.auditoria.c
        q = select(t.auditoria).order_by(a.id.desc()).limit(limite)
        if email:
            q = q.where(a.email == email.strip().lower())
        if acao:
            q = q.where(a.acao == acao)
        with self.engine.connect() as con:
            return list(con.execute(q))


# ------------------------------------------------------------------ serviço
class _Ent(NamedTuple):
    id: int
    cnpj: str
    slug: str
    nome: str
    tipo: str
    ibge: str


def _entidades_do_usuario(con: Connection, uid: int) -> list[_Ent]:
    q = (
        select(t.entidade.c.id, t.entidade.c.cnpj, t.entidade.c.slug, t.entidade.c.nome,
               t.entidade.c.tipo, t.entidade.c.ibge)
        .join(t.vinculo, t.vinculo.c.entidade_id == t.entidade.c.id)
        .where(t.vinculo.c.usuario_id == uid)
        .order_by(t.entidade.c.cnpj)
    )  # fmt: skip
    return [_Ent(*r) for r in con.execute(q)]


def _entidade(con: Connection, cnpj: str) -> _Ent:
    r = con.execute(
        select(t.entidade.c.id, t.entidade.c.cnpj, t.entidade.c.slug, t.entidade.c.nome,
               t.entidade.c.tipo, t.entidade.c.ibge).where(t.entidade.c.cnpj == cnpj)
    ).first()  # fmt: skip
    if r is None:
        raise Recusa.uma(404, "CON-ENTIDADE", f"entidade de CNPJ {cnpj} não cadastrada no servidor")
    return _Ent(*r)


def _sem_permissao(texto: str) -> Recusa:
    return Recusa.uma(403, "CON-PERMISSAO", texto)


def _exigir_vinculo(minhas: list[_Ent], ent: _Ent) -> None:
    """``minhas``: as entidades do usuário (``_entidades_do_usuario``)."""
    if ent.id not in {e.id for e in minhas}:
        raise _sem_permissao(f"usuário não vinculado à entidade {ent.slug} ({ent.cnpj})")


def _exigir_prefeitura(minhas: list[_Ent], ibge: str) -> _Ent:
    """``minhas``: as entidades do usuário (``_entidades_do_usuario``)."""
    for e in minhas:
        if e.tipo == "prefeitura" and e.ibge == ibge:
            return e
    raise _sem_permissao(f"só a Prefeitura do município {ibge} pode fazer isto")


def _exigir_municipio(con: Connection, uid: int, ibge: str) -> None:
    if ibge not in {e.ibge for e in _entidades_do_usuario(con, uid)}:
        raise _sem_permissao(f"usuário sem entidade no município {ibge}")


def _vigente(con: Connection, eid: int, tipo: str, ano: int, mes: int) -> Any:
    e = t.envio.c
    return con.execute(
        select(t.envio)
        .where((e.entidade_id == eid) & (e.tipo == tipo) & (e.ano == ano) & (e.mes == mes))
        .order_by(e.versao.desc())
        .limit(1)
    ).first()


def _travar_escrita(con: Connection) -> None:
    """SQLite: pega a trava de escrita antes de ler (como ``BEGIN IMMEDIATE``).

    Sem isso, dois envios simultâneos leem o mesmo instantâneo e o segundo a
    escrever falha com "database is locked" (SQLITE_BUSY_SNAPSHOT, que o
    busy_timeout não resolve): a carga de teste (test_servidor_carga) pegou.
    Como primeira instrução da transação, a escrita espera a vez. PostgreSQL:
    nada (a restrição única das versões resolve a corrida)."""
    if con.dialect.name == "sqlite":
        c = t.config.c
        con.execute(t.config.update().where(c.chave == "segredo").values(valor=c.valor))


def _gravar_envio(
    engine: Engine, uid: int, ent: _Ent, tipo: str, ano: int, mes: int, dados: bytes,
    soma: str, versao_anterior: int | None,
) -> dict[str, Any]:  # fmt: skip
    """Nova versão numa transação; mesmo conteúdo = nada muda; base desatualizada = conflito."""
    try:
        with engine.begin() as con:
            _travar_escrita(con)
            atual = _vigente(con, ent.id, tipo, ano, mes)
            versao = atual.versao if atual is not None else 0
            if atual is not None and atual.checksum == soma:
                return {"versao": versao, "alterado": False, "checksum": soma}
            if versao_anterior is not None and versao_anterior != versao:
                raise Recusa.uma(
                    409,
                    "CON-CONFLITO",
                    f"o servidor está na versão {versao}, mas o envio partiu da versão "
                    f"{versao_anterior}: consulte a situação e envie de novo",
                )
            con.execute(
                insert(t.envio).values(
                    entidade_id=ent.id, tipo=tipo, ano=ano, mes=mes, versao=versao + 1,
                    checksum=soma, tamanho=len(dados), dados=dados, usuario_id=uid,
                    recebido_em=dt.datetime.now(dt.UTC),
                )
            )  # fmt: skip
    except IntegrityError:  # outro envio simultâneo gravou a mesma versão
        raise Recusa.uma(
            409,
            "CON-CONFLITO",
            "outro envio da mesma competência chegou ao mesmo tempo; envie de novo",
        ) from None
    return {"versao": versao + 1, "alterado": True, "checksum": soma}


def _conferir_entidades_do_orcamento(engine: Engine, ibge: str, orc: Orcamento) -> None:
    """CNPJ e slug de cada entidade do orçamento conferem com o cadastro do servidor
    (a entidade ainda não cadastrada no servidor passa: ninguém a lê, mas não pode
    usar o slug de outra entidade do município)."""
    erros: list[Erro] = []
    ent = t.entidade.c
    with engine.connect() as con:
        for parte in orc.entidades:
            r = con.execute(select(ent.slug, ent.ibge).where(ent.cnpj == parte.cnpj)).first()
            if r is None:
                outro = slug_em_uso(con, ibge, parte.slug, parte.cnpj)
                if outro is not None:
                    erros.append(erro_slug_em_uso(parte.slug, ibge, outro))
                continue
            if r.ibge != ibge:
                erros.append(
                    Erro(
                        "CON-ENTIDADE",
                        f"{parte.slug} ({parte.cnpj}) é do município {r.ibge} no servidor, "
                        f"não de {ibge}: retire-a do orçamento ou corrija o CNPJ",
                    )
                )
            elif r.slug != parte.slug:
                erros.append(
                    Erro(
                        "CON-ENTIDADE",
                        f"o CNPJ {parte.cnpj} está no orçamento com o slug {parte.slug}, mas o "
                        f"servidor conhece {r.slug}: confira CNPJ e slug",
                    )
                )
    if erros:
        raise Recusa(422, erros)


def _usuario(request: Request, authorization: Annotated[str | None, Header()] = None) -> int:
    """Dependência: id do usuário da ficha ``Authorization: Bearer …`` válida."""
    ficha = (authorization or "").removeprefix("Bearer ").strip()
    lida = request.app.state.fichas.conferir(ficha) if ficha else None
    if lida is None:
        raise Recusa.uma(
            401, "CON-FICHA", "ficha de acesso ausente, inválida ou vencida: entre de novo"
        )
    uid, versao = lida
    u = t.usuario.c
    with request.app.state.engine.connect() as con:
        r = con.execute(select(u.ativo, u.versao_ficha).where(u.id == uid)).first()
    if r is None or not r.ativo:
        raise Recusa.uma(401, "CON-FICHA", "usuário desativado")
    if r.versao_ficha != versao:
        raise Recusa.uma(
            401,
            "CON-FICHA",
            "ficha de acesso revogada (senha trocada ou usuário desativado): entre de novo",
        )
    request.state.usuario_id = uid  # para a auditoria dos downloads
    return int(uid)


Usuario = Annotated[int, Depends(_usuario)]


class Login(BaseModel):
    email: str = Field(max_length=200)
    senha: str = Field(max_length=1000)


def criar_app(cfg: Config | None = None) -> FastAPI:
    cfg = cfg or Config()
    engine = preparar_banco(cfg.url)
    segredo = cfg.segredo or fonte_segredo(engine, cfg.segredo_arquivo)
    fichas = Fichas(segredo, cfg.validade_ficha, cfg.relogio)
    freio = FreioLogin(
        engine, cfg.freio_base, cfg.freio_email, cfg.freio_endereco, relogio=cfg.relogio
    )
    conferencias = LimiteConferencias(
        cfg.conferencias_simultaneas, cfg.espera_conferencia, cfg.gancho_conferencia
    )
    app = FastAPI(
        title="erario — servidor de dados on-line",
        version="1",
        description="Troca de orçamento e balancetes entre Prefeitura, Câmara e RPPS "
        "(docs/consolidacao.md). Autentique em /api/v1/sessao e mande a ficha em "
        "`Authorization: Bearer …`.",
    )
    app.state.engine = engine
    app.state.fichas = fichas
    app.add_middleware(AuditoriaDownloads, engine=engine)
    # Por fora de tudo (limites, prazos e prefixo) e antes das rotas: robustez.py.
    robustez.instalar(
        app, api=PREFIXO, limite_envio=cfg.limite_bytes, limite_pedido=cfg.limite_pedido,
        tempo_corpo=cfg.tempo_corpo, tempo_ocioso=cfg.tempo_ocioso, prefixo=cfg.prefixo,
    )  # fmt: skip

    @app.exception_handler(Recusa)
    async def _recusa(_req: Request, exc: Recusa) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(_json_erros(exc.erros), exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalido(_req: Request, exc: RequestValidationError) -> JSONResponse:
        erros = [
            Erro("CON-PEDIDO", f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}")
            for e in exc.errors()
        ]
        return JSONResponse(_json_erros(erros), 422)

    async def corpo(request: Request) -> bytes:
        """Lê o corpo com limite de tamanho; conexão caída no meio não grava nada."""
        declarado = request.headers.get("content-length")
        if declarado and declarado.isdigit() and int(declarado) > cfg.limite_bytes:
            raise _grande(cfg.limite_bytes)
        partes: list[bytes] = []
        total = 0
        try:
            async for parte in request.stream():
                total += len(parte)
                if total > cfg.limite_bytes:
                    raise _grande(cfg.limite_bytes)
                partes.append(parte)
        except ClientDisconnect:
            raise Recusa.uma(400, "CON-PEDIDO", "envio interrompido") from None
        return b"".join(partes)

    def _em_thread(f: Callable[[], Any]) -> Any:
        return run_in_threadpool(f)

    # ---------------------------------------------------------------- sessão
    @app.post(
        f"{PREFIXO}/sessao", summary="Entrar: e-mail e senha → ficha de acesso de curta duração"
    )
    async def sessao(dados: Login, request: Request) -> dict[str, Any]:
        email = dados.email.strip().lower()
        endereco = (request.client.host if request.client else "?")[:64]

        def reservar() -> tuple[float, Any]:
            """A tentativa já conta contra o e-mail antes de conferir a senha:
            pedidos simultâneos não passam juntos do limite."""
            espera = freio.reservar(email, endereco)
            if espera > 0:
                return espera, None
            u = t.usuario.c
            with engine.connect() as con:
                q = select(u.id, u.senha_hash, u.ativo, u.versao_ficha).where(u.email == email)
                return 0.0, con.execute(q).first()

        espera, r = await run_in_threadpool(reservar)
        if espera > 0:
            raise Recusa.uma(
                429, "CON-TENTATIVAS",
                f"muitas tentativas de entrada falhas: aguarde {math.ceil(espera)} s e tente de novo",
            )  # fmt: skip
        certa = await conferencias.conferir(r.senha_hash if r else None, dados.senha)
        if certa is None:  # fila de conferências cheia: a tentativa não conta
            await run_in_threadpool(freio.devolver, email)
            raise Recusa.uma(
                503, "CON-OCUPADO",
                "servidor ocupado conferindo outras entradas: tente de novo em instantes",
            )  # fmt: skip
        if not certa or r is None or not r.ativo:
            motivo = (
                "e-mail não cadastrado" if r is None
                else "usuário desativado" if certa else "senha errada"
            )  # fmt: skip

            def falhou() -> None:
                freio.falhou(endereco)
                with engine.begin() as con:
                    auditar(con, "login", "falha", email=email, endereco=endereco, detalhe=motivo)

            await run_in_threadpool(falhou)
            raise Recusa.uma(401, "CON-SENHA", "e-mail ou senha não conferem")

        def acertou() -> list[_Ent]:
            freio.acertou(email)
            with engine.begin() as con:
                auditar(con, "login", "ok", email=email, endereco=endereco)
                return _entidades_do_usuario(con, int(r.id))

        ents = await run_in_threadpool(acertou)
        ficha, expira = fichas.emitir(int(r.id), versao=int(r.versao_ficha))
        return {
            "ficha": ficha,
            "expira_em": dt.datetime.fromtimestamp(expira, dt.UTC).isoformat(),
            "entidades": [e._asdict() | {"id": None} for e in ents],
        }

    # ----------------------------------------------------------- competências
    @app.post(
        f"{PREFIXO}/competencias/{{ibge}}/{{ano}}",
        summary="Prefeitura: abrir as competências do exercício",
    )
    def abrir_competencias(ibge: str, ano: int, uid: Usuario) -> dict[str, Any]:
        if not 1900 < ano < 3000:
            raise Recusa.uma(422, "CON-PERIODO", f"ano {ano} inválido")
        with engine.begin() as con:
            _travar_escrita(con)
            _exigir_prefeitura(_entidades_do_usuario(con, uid), ibge)
            c = t.competencia.c
            existentes = set(
                con.execute(select(c.mes).where((c.ibge == ibge) & (c.ano == ano))).scalars()
            )
            agora = dt.datetime.now(dt.UTC)
            novas = [
                {"ibge": ibge, "ano": ano, "mes": m, "aberta_em": agora, "usuario_id": uid}
                for m in range(1, MES_ENCERRAMENTO + 1)  # 13: encerramento do exercício
                if m not in existentes
            ]
            if novas:
                con.execute(insert(t.competencia), novas)
        return {"criadas": len(novas)}

    # -------------------------------------------------------------- situação
    @app.get(
        f"{PREFIXO}/situacao/{{ibge}}/{{ano}}", summary="O que está no servidor, por entidade e mês"
    )
    def situacao(ibge: str, ano: int, uid: Usuario) -> dict[str, Any]:
        with engine.connect() as con:
            _exigir_municipio(con, uid, ibge)
            c = t.competencia.c
            meses = sorted(
                con.execute(select(c.mes).where((c.ibge == ibge) & (c.ano == ano))).scalars()
            )
            e, ent = t.envio.c, t.entidade.c
            ultima = (
                select(e.entidade_id, e.tipo, e.mes, func.max(e.versao).label("versao"))
                .where(e.ano == ano)
                .group_by(e.entidade_id, e.tipo, e.mes)
                .subquery()
            )
            q = (
                select(ent.cnpj, ent.slug, ent.tipo.label("tipo_entidade"), e.tipo, e.mes, e.versao,
                       e.checksum, e.tamanho, e.recebido_em, t.usuario.c.email)
                .join(ultima, and_(ultima.c.entidade_id == e.entidade_id, ultima.c.tipo == e.tipo,
                                   ultima.c.mes == e.mes, ultima.c.versao == e.versao))
                .join(t.entidade, ent.id == e.entidade_id)
                .join(t.usuario, t.usuario.c.id == e.usuario_id)
                .where((e.ano == ano) & (ent.ibge == ibge))
                .order_by(ent.cnpj, e.tipo, e.mes)
            )  # fmt: skip
            envios = [
                {
                    "cnpj": r.cnpj, "slug": r.slug, "tipo_entidade": r.tipo_entidade,
                    "documento": r.tipo, "mes": r.mes, "versao": r.versao,
                    "checksum": r.checksum, "tamanho": r.tamanho,
                    "recebido_em": _iso(r.recebido_em), "enviado_por": r.email,
                }
                for r in con.execute(q)
            ]  # fmt: skip
        return {"ibge": ibge, "ano": ano, "competencias": meses, "envios": envios}

    @app.get(
        f"{PREFIXO}/historico/{{cnpj}}/{{ano}}/{{mes}}",
        summary="Versões de um balancete (mês 0: orçamento)",
    )
    def historico(cnpj: str, ano: int, mes: int, uid: Usuario) -> list[dict[str, Any]]:
        with engine.connect() as con:
            ent = _entidade(con, cnpj)
            _exigir_leitura(con, uid, ent)
            e = t.envio.c
            q = (
                select(e.versao, e.checksum, e.tamanho, e.recebido_em, t.usuario.c.email)
                .join(t.usuario, t.usuario.c.id == e.usuario_id)
                .where(
                    (e.entidade_id == ent.id)
                    & (e.ano == ano)
                    & (e.mes == mes)
                    & (e.tipo != TIPO_PLANO)
                )
                .order_by(e.versao)
            )
            return [
                {"versao": r.versao, "checksum": r.checksum, "tamanho": r.tamanho,
                 "recebido_em": _iso(r.recebido_em), "enviado_por": r.email}
                for r in con.execute(q)
            ]  # fmt: skip

    def _exigir_leitura(con: Connection, uid: int, ent: _Ent) -> None:
        """Lê a própria entidade; a Prefeitura lê as do seu município."""
        minhas = _entidades_do_usuario(con, uid)
        if ent.id in {m.id for m in minhas}:
            return
        if any(m.tipo == "prefeitura" and m.ibge == ent.ibge for m in minhas):
            return
        raise _sem_permissao(f"usuário sem acesso aos dados de {ent.slug} ({ent.cnpj})")

    # ------------------------------------------------------------ orçamento
    @app.put(
        f"{PREFIXO}/orcamentos/{{cnpj}}/{{ano}}",
        summary="Prefeitura: enviar o orçamento (LOA) do exercício",
    )
    async def enviar_orcamento(
        cnpj: str, ano: int, request: Request, uid: Usuario, versao_anterior: int | None = None
    ) -> JSONResponse:
        def checar() -> _Ent:
            with engine.connect() as con:
                ent = _entidade(con, cnpj)
                minhas = _entidades_do_usuario(con, uid)
                _exigir_vinculo(minhas, ent)
                _exigir_prefeitura(minhas, ent.ibge)
                return ent

        ent = await _em_thread(checar)
        dados = await corpo(request)
        orc, erros = ler_orcamento(dados, "orçamento")
        if orc is None:
            raise Recusa(422, erros)
        if orc.ibge != ent.ibge or orc.ano != ano:
            raise Recusa.uma(
                422, "CON-ENTIDADE", "município ou ano do orçamento não conferem com o pedido"
            )
        await _em_thread(lambda: _conferir_entidades_do_orcamento(engine, ent.ibge, orc))
        soma = "sha256:" + _sha(dados)
        r = await _em_thread(
            lambda: _gravar_envio(
                engine, uid, ent, "orcamento", ano, 0, dados, soma, versao_anterior
            )
        )
        return JSONResponse(r, 201 if r["alterado"] else 200)

    @app.get(f"{PREFIXO}/orcamentos/{{ibge}}/{{ano}}", summary="Baixar o orçamento do município")
    def baixar_orcamento(ibge: str, ano: int, uid: Usuario) -> Response:
        with engine.connect() as con:
            _exigir_municipio(con, uid, ibge)
            pref = con.execute(
                select(t.entidade.c.id).where(
                    (t.entidade.c.ibge == ibge) & (t.entidade.c.tipo == "prefeitura")
                )
            ).scalar()
            atual = _vigente(con, pref, "orcamento", ano, 0) if pref is not None else None
        if atual is None:
            raise Recusa.uma(
                404, "CON-AUSENTE", f"a Prefeitura ainda não enviou o orçamento de {ano}"
            )
        return _documento(atual)

    # ---------------------------------------------------------------- plano
    planos = Planos(engine)

    @app.put(
        f"{PREFIXO}/planos/{{cnpj}}/{{ano}}",
        summary="Prefeitura: publicar o plano de contas do exercício (confere os balancetes)",
    )
    async def publicar_plano(
        cnpj: str, ano: int, request: Request, uid: Usuario, versao_anterior: int | None = None
    ) -> JSONResponse:
        def checar() -> _Ent:
            with engine.connect() as con:
                ent = _entidade(con, cnpj)
                minhas = _entidades_do_usuario(con, uid)
                _exigir_vinculo(minhas, ent)
                if ent.tipo != "prefeitura":
                    raise _sem_permissao("só a Prefeitura publica o plano de contas do município")
                return ent

        ent = await _em_thread(checar)
        dados = await corpo(request)
        pp, erros = await _em_thread(lambda: ler_plano_publicado(dados))
        if pp is None:
            raise Recusa(422, erros)
        if (pp.ibge, pp.ano) != (ent.ibge, ano):
            raise Recusa.uma(
                422, "CON-ENTIDADE", "município ou ano do plano não conferem com o pedido"
            )
        soma = "sha256:" + _sha(dados)
        r = await _em_thread(
            lambda: _gravar_envio(
                engine, uid, ent, TIPO_PLANO, ano, 0, dados, soma, versao_anterior
            )
        )
        return JSONResponse(r, 201 if r["alterado"] else 200)

    # ------------------------------------------------------------ balancetes
    @app.put(
        f"{PREFIXO}/balancetes/{{cnpj}}/{{ano}}/{{mes}}", summary="Enviar o balancete de um mês"
    )
    async def enviar_balancete(
        cnpj: str, ano: int, mes: int, request: Request, uid: Usuario,
        versao_anterior: int | None = None,
    ) -> JSONResponse:  # fmt: skip
        if not 1 <= mes <= MES_ENCERRAMENTO:
            raise Recusa.uma(
                422, "CON-PERIODO", f"mês {mes} inválido: use 1 a 12, ou 13 (encerramento)"
            )

        def checar() -> _Ent:
            with engine.connect() as con:
                ent = _entidade(con, cnpj)
                _exigir_vinculo(_entidades_do_usuario(con, uid), ent)
                outro = slug_em_uso(con, ent.ibge, ent.slug, ent.cnpj)
                if outro is not None:  # cadastro anterior à conferência do slug
                    raise Recusa(409, [erro_slug_em_uso(ent.slug, ent.ibge, outro)])
                c = t.competencia.c
                aberta = con.execute(
                    select(c.mes).where((c.ibge == ent.ibge) & (c.ano == ano) & (c.mes == mes))
                ).first()
                if aberta is None:
                    raise Recusa.uma(
                        409, "CON-COMPETENCIA",
                        f"competência {mes:02d}/{ano} não aberta no servidor: a Prefeitura deve abrir "
                        "as competências do exercício"
                        + (" (de novo: repetir cria a 13, de encerramento)"
                           if mes == MES_ENCERRAMENTO else ""),
                    )  # fmt: skip
                return ent

        ent = await _em_thread(checar)
        dados = await corpo(request)
        origem = f"balancete {mes:02d}/{ano}"
        obj, erros = ler_objeto_json(dados, origem)
        if obj is None:
            raise Recusa(422, erros)
        bm, erros = ler_documento(obj, origem)
        if bm is None:
            raise Recusa(422, erros)
        if (bm.entidade.cnpj, bm.entidade.slug) != (ent.cnpj, ent.slug):
            raise Recusa.uma(
                422, "CON-ENTIDADE",
                f"o balancete é de {bm.entidade.slug} ({bm.entidade.cnpj}), mas o servidor conhece "
                f"{ent.slug} ({ent.cnpj}): confira CNPJ e slug",
            )  # fmt: skip
        if (bm.ano, bm.mes) != (ano, mes):
            raise Recusa.uma(
                422, "CON-PERIODO", f"o balancete é de {bm.mes:02d}/{bm.ano}, não {mes:02d}/{ano}"
            )
        try:  # as regras de quem incorpora, contra o plano publicado pela Prefeitura
            plano = await _em_thread(lambda: planos.do_municipio(ent.ibge, ano))
        except OperacaoRecusada as exc:
            raise Recusa(409, exc.erros) from None
        erros = await _em_thread(lambda: conferir_recebido(bm, plano, ent.ibge))
        if erros:
            raise Recusa(422, erros)
        soma = obj["checksum"]  # ler_documento já conferiu que é o do conteúdo
        r = await _em_thread(
            lambda: _gravar_envio(
                engine, uid, ent, "balancete", ano, mes, dados, soma, versao_anterior
            )
        )
        return JSONResponse(r, 201 if r["alterado"] else 200)

    @app.get(
        f"{PREFIXO}/balancetes/{{cnpj}}/{{ano}}/{{mes}}",
        summary="Baixar a versão vigente do balancete",
    )
    def baixar_balancete(cnpj: str, ano: int, mes: int, uid: Usuario) -> Response:
        with engine.connect() as con:
            ent = _entidade(con, cnpj)
            _exigir_leitura(con, uid, ent)
            atual = _vigente(con, ent.id, "balancete", ano, mes)
        if atual is None:
            raise Recusa.uma(
                404, "CON-AUSENTE", f"{ent.slug} não enviou o balancete de {mes:02d}/{ano}"
            )
        return _documento(atual)

    return app


def _grande(limite: int) -> Recusa:
    return Recusa.uma(413, "CON-TAMANHO", f"documento maior que o limite de {limite} bytes")


def _sha(dados: bytes) -> str:
    return hashlib.sha256(dados).hexdigest()


def _iso(v: dt.datetime) -> str:
    return (v if v.tzinfo else v.replace(tzinfo=dt.UTC)).isoformat()


def _documento(r: Any) -> Response:
    return Response(
        bytes(r.dados),
        media_type="application/json",
        headers={"X-Versao": str(r.versao), "X-Checksum": r.checksum},
    )
