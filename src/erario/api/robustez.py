"""Robustez do servidor de dados on-line diante de pedidos hostis ou quebrados.

Um middleware ASGI na frente de todas as rotas (``instalar``):

- **Limite de tamanho** do corpo em todos os caminhos, conferido no
  ``Content-Length`` (recusa sem ler nada) e durante a leitura em fluxo (também
  ``Transfer-Encoding: chunked``), antes de qualquer análise do JSON: pequeno
  (``limite_pedido``, 16 KiB) para a entrada e os demais pedidos, o
  ``--limite-mb`` para os envios de documento — todo ``PUT`` (orçamento, plano,
  balancete) — (HTTP 413, CON-TAMANHO).
- **Prazo do corpo**: o cliente que manda o cabeçalho e depois goteja ou para
  recebe HTTP 408 (CON-TEMPO) e a conexão é fechada: ``tempo_ocioso`` segundos
  sem dados, ou ``tempo_corpo`` segundos para o corpo inteiro.
- **JSON hostil**: inteiro com mais de 4300 dígitos (limite do Python) e
  aninhamento de milhares de níveis (``RecursionError``) viram HTTP 422
  (CON-JSON), nunca 500; caractere nulo na entrada, 422 (CON-PEDIDO).
- **Caminho**: ano, mês, CNPJ e IBGE fora do formato viram 422 antes de chegar
  ao banco (inteiro gigante no caminho estourava o SQLite/PostgreSQL: 500).
- **Prefixo** (``--prefixo /erario``): atrás de um proxy reverso num caminho.

E a rota ``GET /api/v1/saude``: 200 com o banco acessível e o esquema em dia,
503 senão; sem autenticação e sem detalhes internos.

Toda recusa antes do fim do corpo leva ``Connection: close``: o servidor não lê
o resto (o envio de 64 MiB à entrada é recusado depois de ler só o cabeçalho).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import Engine, text
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from erario.api.manutencao import TABELA_VERSAO, revisao_mais_nova
from erario.consolidacao.formato import JSON_ANINHADO_DEMAIS, JSON_DIGITOS_DEMAIS
from erario.core.erros import Erro

log = logging.getLogger("erario.servidor")

LIMITE_PEDIDO = 16 * 1024  # entrada e demais pedidos sem documento
TEMPO_OCIOSO = 30.0  # segundos sem receber nada do corpo
TEMPO_CORPO = 300.0  # segundos para o corpo inteiro (8 MiB a ~220 kbit/s)
TEMPO_SAUDE = 5.0  # segundos para o banco responder à rota de saúde


class PedidoRecusado(Exception):
    """Recusa decidida aqui (antes do negócio): status HTTP e os erros CON-*."""

    def __init__(self, status: int, regra: str, mensagem: str) -> None:
        self.status, self.erro = status, Erro(regra, mensagem)
        super().__init__(str(self.erro))


class Contador:
    """Bytes de corpo entregues à aplicação e recusas por regra (observação e testes)."""

    def __init__(self) -> None:
        self.bytes_lidos = 0
        self.recusas: dict[str, int] = {}


def _json_erros(*erros: Erro) -> dict[str, Any]:
    return {
        "erros": [
            {"regra": e.regra, "mensagem": e.mensagem, "campo": e.campo, "linha": e.linha}
            for e in erros
        ]
    }


def _curto(valor: str, n: int = 24) -> str:
    """O valor recebido para a mensagem, sem ecoar 5000 dígitos."""
    return valor if len(valor) <= n else valor[:n] + "…"


def _digitos_demais(exc: BaseException) -> bool:
    """ValueError do limite de dígitos do int do Python (``sys.set_int_max_str_digits``)."""
    return isinstance(exc, ValueError) and "integer string conversion" in str(exc)


def _recusa_json(exc: BaseException) -> PedidoRecusado | None:
    """O erro do analisador JSON que é culpa do documento (não do servidor)."""
    if isinstance(exc, RecursionError):
        return PedidoRecusado(422, "CON-JSON", JSON_ANINHADO_DEMAIS)
    if _digitos_demais(exc):
        return PedidoRecusado(422, "CON-JSON", JSON_DIGITOS_DEMAIS)
    return None


def _tem_nulo(obj: Any) -> bool:
    """Algum texto (chave ou valor) com o caractere nulo U+0000; sem recursão."""
    pilha = [obj]
    while pilha:
        x = pilha.pop()
        if isinstance(x, str):
            if "\x00" in x:
                return True
        elif isinstance(x, dict):
            pilha.extend(x.keys())
            pilha.extend(x.values())
        elif isinstance(x, list):
            pilha.extend(x)
    return False


class Robustez:
    """Middleware ASGI: prefixo, limites e prazos do corpo, e as recusas em JSON."""

    def __init__(
        self, app: ASGIApp, *, limite_envio: int, limite_pedido: int, tempo_corpo: float,
        tempo_ocioso: float, prefixo: str, contador: Contador,
    ) -> None:  # fmt: skip
        self.app = app
        self.limite_envio, self.limite_pedido = limite_envio, limite_pedido
        self.tempo_corpo, self.tempo_ocioso = tempo_corpo, tempo_ocioso
        self.prefixo = prefixo
        self.contador = contador

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cabecalhos = dict(scope["headers"])
        declarado = cabecalhos.get(b"content-length")
        tem_corpo = bool(declarado and declarado != b"0") or b"transfer-encoding" in cabecalhos
        caminho: str = scope["path"]
        raiz = scope.get("root_path", "")
        if self.prefixo:
            base = raiz + self.prefixo
            if not caminho.startswith(base + "/"):
                await self._responder(
                    send, PedidoRecusado(
                        404, "CON-PEDIDO",
                        f"caminho fora do prefixo {self.prefixo} do servidor: confira o endereço",
                    ), fechar=tem_corpo,
                )  # fmt: skip
                return
            scope = {**scope, "root_path": base}
        # Todo PUT é envio de documento (lido em fluxo pela rota); o resto é pequeno.
        envio = scope["method"] == "PUT"
        limite = self.limite_envio if envio else self.limite_pedido
        if declarado and declarado.isdigit() and (len(declarado) > 18 or int(declarado) > limite):
            await self._responder(send, _grande(limite, envio), fechar=tem_corpo)
            return
        leitor = _Leitor(
            receive, limite, envio, self.tempo_corpo, self.tempo_ocioso, self.contador,
            completo=not tem_corpo,
        )  # fmt: skip
        receber: Receive = leitor.receber
        if not envio:
            # Pedido pequeno: lido inteiro aqui (o FastAPI transformaria a recusa
            # no meio da leitura em 400) e analisado se for JSON.
            try:
                corpo = await leitor.tudo()
                _conferir_json(corpo, cabecalhos.get(b"content-type"))
            except PedidoRecusado as exc:
                await self._responder(send, exc, fechar=not leitor.completo)
                return
            receber = _repetir(corpo, receive)

        iniciada = False

        async def enviar(msg: Message) -> None:
            nonlocal iniciada
            if msg["type"] == "http.response.start":
                iniciada = True
                if not leitor.completo:  # resto do corpo não lido: fecha a conexão
                    msg = {**msg, "headers": [*msg.get("headers", []), (b"connection", b"close")]}
            await send(msg)

        try:
            await self.app(scope, receber, enviar)
        except (RecursionError, ValueError, DataError, PedidoRecusado) as exc:
            recusa = _recusa_json(exc)
            if recusa is None and isinstance(exc, PedidoRecusado):
                recusa = exc
            if recusa is None and isinstance(exc, DataError):
                log.warning("valor recusado pelo banco: %s", exc.orig)
                recusa = PedidoRecusado(
                    422, "CON-PEDIDO", "valor do pedido recusado pelo banco (fora do domínio)"
                )
            if recusa is None or iniciada:
                raise
            await self._responder(send, recusa, fechar=not leitor.completo)

    async def _responder(self, send: Send, exc: PedidoRecusado, *, fechar: bool) -> None:
        regra = exc.erro.regra
        self.contador.recusas[regra] = self.contador.recusas.get(regra, 0) + 1
        texto = json.dumps(_json_erros(exc.erro), ensure_ascii=False, separators=(",", ":"))
        corpo = texto.encode()
        cabecalhos = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(corpo)).encode()),
        ]
        if fechar:
            cabecalhos.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": exc.status, "headers": cabecalhos})
        await send({"type": "http.response.body", "body": corpo, "more_body": False})


def _grande(limite: int, envio: bool) -> PedidoRecusado:
    o_que = "documento" if envio else "pedido"
    return PedidoRecusado(413, "CON-TAMANHO", f"{o_que} maior que o limite de {limite} bytes")


def _conferir_json(corpo: bytes, tipo: bytes | None) -> None:
    """Analisa o corpo JSON pequeno antes do FastAPI: o que o analisador do Python
    não aguenta vira 422 em português; JSON só malformado segue para a validação
    normal (422 CON-PEDIDO)."""
    if not corpo or (tipo is not None and b"json" not in tipo.lower()):
        return
    try:
        obj = json.loads(corpo)
    except (RecursionError, ValueError) as exc:
        recusa = _recusa_json(exc)
        if recusa is not None:
            raise recusa from None
        return
    if _tem_nulo(obj):
        raise PedidoRecusado(422, "CON-PEDIDO", "caractere nulo (U+0000) num texto do pedido")


def _repetir(corpo: bytes, receive: Receive) -> Receive:
    """``receive`` que entrega o corpo já lido e depois repassa (desconexão)."""
    entregue = False

    async def receber() -> Message:
        nonlocal entregue
        if not entregue:
            entregue = True
            return {"type": "http.request", "body": corpo, "more_body": False}
        return await receive()

    return receber


class _Leitor:
    """Lê o corpo pelo ``receive`` do servidor contando bytes e vigiando os prazos."""

    def __init__(
        self, receive: Receive, limite: int, envio: bool, tempo_corpo: float,
        tempo_ocioso: float, contador: Contador, *, completo: bool,
    ) -> None:  # fmt: skip
        self._receive = receive
        self.limite, self.envio = limite, envio
        self.tempo_ocioso = tempo_ocioso
        self.tempo_corpo = tempo_corpo
        self.prazo = asyncio.get_running_loop().time() + tempo_corpo
        self.contador = contador
        self.total = 0
        self.completo = completo

    async def receber(self) -> Message:
        if self.completo:  # corpo já todo lido: só a espera pela desconexão
            return await self._receive()
        restante = self.prazo - asyncio.get_running_loop().time()
        espera = min(self.tempo_ocioso, restante)
        try:
            if espera <= 0:
                raise TimeoutError
            msg = await asyncio.wait_for(self._receive(), espera)
        except TimeoutError:
            motivo = (
                f"{self.tempo_ocioso:g} s sem receber dados"
                if espera == self.tempo_ocioso
                else f"o corpo inteiro deve chegar em {self.tempo_corpo:g} s"
            )
            raise PedidoRecusado(
                408, "CON-TEMPO", f"o corpo do pedido não chegou a tempo ({motivo}); envie de novo"
            ) from None
        if msg["type"] != "http.request":
            self.completo = True  # desconexão: o servidor avisa a aplicação
            return msg
        parte = len(msg.get("body", b""))
        self.total += parte
        self.contador.bytes_lidos += parte
        if self.total > self.limite:
            raise _grande(self.limite, self.envio)
        if not msg.get("more_body", False):
            self.completo = True
        return msg

    async def tudo(self) -> bytes:
        partes: list[bytes] = []
        while True:
            msg = await self.receber()
            if msg["type"] != "http.request":
                return b""  # cliente foi embora: a aplicação recebe corpo vazio
            partes.append(msg.get("body", b""))
            if not msg.get("more_body", False):
                return b"".join(partes)


# ------------------------------------------------------------------ caminho
def conferir_caminho(request: Request) -> None:
    """Dependência de todas as rotas: ano, mês, CNPJ, IBGE e ``versao_anterior``
    no formato, antes de qualquer consulta (o inteiro gigante no caminho
    estourava o banco com HTTP 500)."""
    p = request.path_params
    if "ano" in p and not (re.fullmatch(r"\d{4}", p["ano"]) and 1900 < int(p["ano"]) < 3000):
        raise PedidoRecusado(
            422, "CON-PERIODO", f"ano {_curto(p['ano'])} inválido: use o exercício, de 1901 a 2999"
        )
    if "mes" in p and not (re.fullmatch(r"\d{1,2}", p["mes"]) and int(p["mes"]) <= 13):
        raise PedidoRecusado(
            422, "CON-PERIODO",
            f"mês {_curto(p['mes'])} inválido: use 1 a 12, 13 (encerramento) ou 0 (orçamento)",
        )  # fmt: skip
    if "cnpj" in p and not re.fullmatch(r"\d{14}", p["cnpj"]):
        raise PedidoRecusado(
            422, "CON-ENTIDADE", f"CNPJ {_curto(p['cnpj'])!r} inválido: use os 14 dígitos"
        )
    if "ibge" in p and not re.fullmatch(r"\d{7}", p["ibge"]):
        raise PedidoRecusado(
            422, "CON-ENTIDADE", f"código IBGE {_curto(p['ibge'])!r} inválido: use os 7 dígitos"
        )
    versao = request.query_params.get("versao_anterior")
    if versao is not None and not re.fullmatch(r"\d{1,9}", versao):
        raise PedidoRecusado(
            422, "CON-PEDIDO",
            f"versao_anterior {_curto(versao)!r} inválida: use o número da versão vigente "
            "(0 se ainda não há)",
        )  # fmt: skip


# -------------------------------------------------------------------- saúde
def _conferir_banco(engine: Engine) -> str | None:
    """None se o banco responde e está na revisão mais nova; senão, o problema
    (sem detalhes internos: esses vão para o log)."""
    try:
        with engine.connect() as con:
            versao = con.execute(text(f"SELECT version_num FROM {TABELA_VERSAO}")).scalar()
    except SQLAlchemyError as exc:
        log.error("saúde: banco do servidor inacessível: %s", exc)
        return "banco do servidor inacessível"
    esperada = revisao_mais_nova()
    if versao != esperada:
        return (
            f"banco do servidor na revisão {versao}, esperada {esperada}: "
            "rode erario servidor migrar"
        )
    return None


def _rota_saude(tempo: float) -> Callable[[Request], Awaitable[JSONResponse]]:
    # Uma conferência do banco por vez: com o banco pendurado (conexão que não
    # volta), cada sondagem do monitoramento prenderia mais uma thread.
    em_curso: asyncio.Future[str | None] | None = None

    async def saude(request: Request) -> JSONResponse:
        """Saúde do servidor: 200 com o banco acessível e o esquema em dia, 503 senão.
        Sem autenticação (para o balanceador e o monitoramento)."""
        nonlocal em_curso
        engine: Engine = request.app.state.engine
        laco = asyncio.get_running_loop()
        if em_curso is None or em_curso.done() or em_curso.get_loop() is not laco:
            em_curso = asyncio.ensure_future(run_in_threadpool(_conferir_banco, engine))
        try:
            problema = await asyncio.wait_for(asyncio.shield(em_curso), tempo)
        except TimeoutError:
            problema = f"banco do servidor não respondeu em {tempo:g} s"
        cabecalhos = {"Cache-Control": "no-store"}
        if problema is not None:
            corpo = {
                "situacao": "indisponivel",
                "erros": [{"regra": "CON-INDISPONIVEL", "mensagem": problema,
                           "campo": None, "linha": None}],
            }  # fmt: skip
            return JSONResponse(corpo, 503, headers=cabecalhos)
        return JSONResponse({"situacao": "ok"}, headers=cabecalhos)

    return saude


# ---------------------------------------------------------------- instalação
_MENSAGENS_HTTP = {
    400: "pedido malformado: corpo ilegível",
    404: "caminho não encontrado no servidor: confira o endereço (e o prefixo, se houver)",
    405: "método não permitido neste caminho",
}


def instalar(
    app: FastAPI, *, api: str, limite_envio: int, limite_pedido: int = LIMITE_PEDIDO,
    tempo_corpo: float = TEMPO_CORPO, tempo_ocioso: float = TEMPO_OCIOSO, prefixo: str = "",
) -> None:  # fmt: skip
    """Põe o middleware, a conferência do caminho, as recusas em JSON e a rota de
    saúde em ``app``; chame logo depois de criar o app, antes das rotas (a
    conferência do caminho vale para as rotas criadas depois).
    ``api``: o prefixo das rotas (``/api/v1``); ``prefixo``: o do proxy reverso."""
    if any(isinstance(r, APIRoute) for r in app.routes):
        raise RuntimeError("robustez.instalar deve vir antes das rotas do servidor")
    app.router.dependencies.append(Depends(conferir_caminho))
    prefixo = "/" + prefixo.strip("/") if prefixo.strip("/") else ""
    app.state.contador = Contador()
    app.add_middleware(
        Robustez, limite_envio=limite_envio, limite_pedido=limite_pedido,
        tempo_corpo=tempo_corpo, tempo_ocioso=tempo_ocioso, prefixo=prefixo,
        contador=app.state.contador,
    )  # fmt: skip

    @app.exception_handler(PedidoRecusado)
    async def _recusado(_req: Request, exc: PedidoRecusado) -> JSONResponse:
        return JSONResponse(_json_erros(exc.erro), exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        mensagem = _MENSAGENS_HTTP.get(exc.status_code, str(exc.detail))
        return JSONResponse(
            _json_erros(Erro("CON-PEDIDO", mensagem)), exc.status_code, headers=exc.headers
        )

    app.add_api_route(
        f"{api}/saude", _rota_saude(TEMPO_SAUDE), methods=["GET"],
        summary="Saúde: 200 com o banco acessível e o esquema em dia, 503 senão (sem autenticação)",
    )  # fmt: skip
