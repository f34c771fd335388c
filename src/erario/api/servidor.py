"""Servidor de dados on-line (FastAPI): competências, orçamento e balancetes.

Fluxo (docs/consolidacao.md, spec 1.2–1.6): a Prefeitura abre as competências
do exercício e envia o orçamento; Câmara e RPPS baixam o orçamento e enviam os
balancetes mensais; a Prefeitura baixa e incorpora. Cada envio é uma versão
nova gravada numa transação (o envio interrompido não grava nada); a versão
vigente é a maior e as anteriores ficam no histórico. Reenvio do mesmo
conteúdo não cria versão; envio baseado numa versão que não é mais a vigente
(``versao_anterior``) é recusado como conflito — assim um pedido repetido
fora de hora não sobrepõe dados novos.

Aqui ficam a configuração, a entrada (ficha de acesso) e as rotas; as regras de
cada envio estão em ``envios``, o cadastro (``Admin``) em ``administracao`` e a
recusa dos pedidos em ``recusa``. Quem usa o servidor importa daqui.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
from collections.abc import Callable
from typing import Annotated, Any, NamedTuple

from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine, and_, func, insert, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from erario.api import esquema as t
from erario.api import robustez
from erario.api.administracao import Admin
from erario.api.conferencia import TIPO_PLANO, Planos, erro_slug_em_uso, slug_em_uso
from erario.api.envios import (
    EntidadeCadastrada,
    conferir_entidades_do_orcamento,
    entidade_por_cnpj,
    entidades_do_usuario,
    exigir_leitura,
    exigir_municipio,
    exigir_prefeitura,
    exigir_vinculo,
    gravar_envio,
    sem_permissao,
    travar_escrita,
    vigente,
)
from erario.api.manutencao import migrar
from erario.api.recusa import Recusa, json_erros
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
)
from erario.consolidacao.formato import (
    MES_ENCERRAMENTO,
    conferir_recebido,
    ler_documento,
    ler_objeto_json,
)
from erario.consolidacao.orcamento import ler_orcamento
from erario.consolidacao.plano import ler_plano_publicado
from erario.core.erros import Erro, OperacaoRecusada
from erario.storage.banco import criar_engine

# Os nomes que a CLI, os testes e o bench importam daqui.
__all__ = [
    "PREFIXO",
    "URL_PADRAO",
    "Admin",
    "Config",
    "Login",
    "Recusa",
    "Usuario",
    "criar_app",
    "preparar_banco",
]

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


def preparar_banco(url: str) -> Engine:
    """Engine do banco do servidor, com as migrações pendentes aplicadas
    (``erario.api.manutencao``; o banco criado antes delas é atualizado sem perdas)."""
    engine = criar_engine(url)
    migrar(engine)
    return engine


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
        return JSONResponse(json_erros(exc.erros), exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalido(_req: Request, exc: RequestValidationError) -> JSONResponse:
        erros = [
            Erro("CON-PEDIDO", f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}")
            for e in exc.errors()
        ]
        return JSONResponse(json_erros(erros), 422)

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

        def acertou() -> list[EntidadeCadastrada]:
            freio.acertou(email)
            with engine.begin() as con:
                auditar(con, "login", "ok", email=email, endereco=endereco)
                return entidades_do_usuario(con, int(r.id))

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
            travar_escrita(con)
            exigir_prefeitura(entidades_do_usuario(con, uid), ibge)
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
            exigir_municipio(con, uid, ibge)
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
            ent = entidade_por_cnpj(con, cnpj)
            exigir_leitura(con, uid, ent)
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

    # ------------------------------------------------------------ orçamento
    @app.put(
        f"{PREFIXO}/orcamentos/{{cnpj}}/{{ano}}",
        summary="Prefeitura: enviar o orçamento (LOA) do exercício",
    )
    async def enviar_orcamento(
        cnpj: str, ano: int, request: Request, uid: Usuario, versao_anterior: int | None = None
    ) -> JSONResponse:
        def checar() -> EntidadeCadastrada:
            with engine.connect() as con:
                ent = entidade_por_cnpj(con, cnpj)
                minhas = entidades_do_usuario(con, uid)
                exigir_vinculo(minhas, ent)
                exigir_prefeitura(minhas, ent.ibge)
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
        await _em_thread(lambda: conferir_entidades_do_orcamento(engine, ent.ibge, orc))
        soma = "sha256:" + _sha(dados)
        r = await _em_thread(
            lambda: gravar_envio(
                engine, uid, ent, "orcamento", ano, 0, dados, soma, versao_anterior
            )
        )
        return JSONResponse(r, 201 if r["alterado"] else 200)

    @app.get(f"{PREFIXO}/orcamentos/{{ibge}}/{{ano}}", summary="Baixar o orçamento do município")
    def baixar_orcamento(ibge: str, ano: int, uid: Usuario) -> Response:
        with engine.connect() as con:
            exigir_municipio(con, uid, ibge)
            pref = con.execute(
                select(t.entidade.c.id).where(
                    (t.entidade.c.ibge == ibge) & (t.entidade.c.tipo == "prefeitura")
                )
            ).scalar()
            atual = vigente(con, pref, "orcamento", ano, 0) if pref is not None else None
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
        def checar() -> EntidadeCadastrada:
            with engine.connect() as con:
                ent = entidade_por_cnpj(con, cnpj)
                minhas = entidades_do_usuario(con, uid)
                exigir_vinculo(minhas, ent)
                if ent.tipo != "prefeitura":
                    raise sem_permissao("só a Prefeitura publica o plano de contas do município")
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
            lambda: gravar_envio(engine, uid, ent, TIPO_PLANO, ano, 0, dados, soma, versao_anterior)
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

        def checar() -> EntidadeCadastrada:
            with engine.connect() as con:
                ent = entidade_por_cnpj(con, cnpj)
                exigir_vinculo(entidades_do_usuario(con, uid), ent)
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
            lambda: gravar_envio(
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
            ent = entidade_por_cnpj(con, cnpj)
            exigir_leitura(con, uid, ent)
            atual = vigente(con, ent.id, "balancete", ano, mes)
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
