"""Senhas (argon2id), fichas de acesso assinadas (HMAC-SHA256), segredo das
fichas, freio de login, limite de conferências de senha simultâneas e auditoria
(docs/consolidacao.md, "Segurança do servidor").

- Senha: só o hash argon2id (``argon2-cffi``) é guardado; a senha em claro não
  é gravada nem registrada em log. Cada conferência custa ~64 MiB de memória:
  no máximo ``simultaneas`` por processo (``LimiteConferencias``).
- Ficha: ``base64url(json{u, v, e, n}).base64url(hmac)`` com validade curta
  (padrão 15 min) e a versão ``v`` das fichas do usuário (sobe ao trocar a
  senha e ao desativar: as fichas antigas deixam de valer). O segredo fica
  fora do banco: ``ERARIO_SERVIDOR_SEGREDO`` ou um arquivo 0600, relido quando
  muda (``girar_segredo`` invalida todas as fichas sem reiniciar o servidor).
- Freio: por e-mail, a tentativa é contada *antes* de conferir a senha, numa
  transação com trava (pedidos simultâneos não passam juntos do limite); por
  endereço, cada falha é contada ao terminar. Depois das tentativas livres,
  cada nova dobra a espera exigida (até um teto); a contagem é esquecida uma
  janela depois da última. Tentativa antes da hora é recusada sem conferir a
  senha.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import copy
import datetime as dt
import getpass
import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, NamedTuple

from anyio import to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, case, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from erario.api import esquema as t
from erario.core.erros import OperacaoRecusada

_HASHER: Final = PasswordHasher()
# Hash de uma senha qualquer: e-mail inexistente custa o mesmo que senha errada.
_HASH_FICTICIO: Final = _HASHER.hash(secrets.token_urlsafe(16))

VAR_SEGREDO: Final = "ERARIO_SERVIDOR_SEGREDO"
ARQUIVO_SEGREDO: Final = "erario-servidor.segredo"
_MIN_SEGREDO: Final = 32  # bytes (64 dígitos hexadecimais)


def hash_senha(senha: str) -> str:
    return _HASHER.hash(senha)


def conferir_senha(senha_hash: str | None, senha: str) -> bool:
    try:
        return _HASHER.verify(senha_hash or _HASH_FICTICIO, senha) and senha_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class LimiteConferencias:
    """No máximo ``simultaneas`` conferências argon2 ao mesmo tempo (por processo);
    quem passa de ``espera`` segundos na fila recebe ``None`` (o servidor responde
    503) sem conferir nada. A espera é assíncrona: não segura threads.

    ``gancho`` (testes): chamado na thread da conferência, já dentro do limite."""

    def __init__(
        self, simultaneas: int = 2, espera: float = 5.0, gancho: Callable[[], None] | None = None
    ) -> None:
        if simultaneas < 1:
            raise ValueError("simultaneas deve ser ao menos 1")
        # Criado sem laço de eventos: o asyncio.Semaphore só se prende ao laço
        # (o do uvicorn) na primeira vez que alguém espera.
        self._vagas = asyncio.Semaphore(simultaneas)
        self.espera, self.gancho = espera, gancho

    def _conferir(self, senha_hash: str | None, senha: str) -> bool:
        if self.gancho is not None:
            self.gancho()
        return conferir_senha(senha_hash, senha)

    async def conferir(self, senha_hash: str | None, senha: str) -> bool | None:
        try:
            async with asyncio.timeout(self.espera):
                await self._vagas.acquire()
        except TimeoutError:
            return None
        try:
            return await to_thread.run_sync(self._conferir, senha_hash, senha)
        finally:
            self._vagas.release()


# ------------------------------------------------------------------ fichas
def _b64(dados: bytes) -> str:
    return base64.urlsafe_b64encode(dados).rstrip(b"=").decode()


def _de_b64(texto: str) -> bytes:
    return base64.urlsafe_b64decode(texto + "=" * (-len(texto) % 4))


class Fichas:
    """Emite e confere fichas de acesso assinadas com validade e versão.

    ``segredo``: os bytes, ou uma função que devolve o segredo vigente (lida a
    cada ficha: o arquivo girado vale sem reiniciar)."""

    def __init__(
        self,
        segredo: bytes | Callable[[], bytes],
        validade: int = 900,
        relogio: Callable[[], float] = time.time,
    ) -> None:
        self._segredo = segredo if callable(segredo) else (lambda: segredo)
        self.validade, self.relogio = validade, relogio

    def _assinar(self, corpo: str) -> str:
        return _b64(hmac.new(self._segredo(), corpo.encode(), hashlib.sha256).digest())

    def emitir(
        self, usuario_id: int, agora: float | None = None, *, versao: int = 0
    ) -> tuple[str, int]:
        expira = int((self.relogio() if agora is None else agora) + self.validade)
        dados = {"u": usuario_id, "v": versao, "e": expira, "n": secrets.token_hex(8)}
        corpo = _b64(json.dumps(dados).encode())
        return f"{corpo}.{self._assinar(corpo)}", expira

    def conferir(self, ficha: str) -> tuple[int, int] | None:
        """(id do usuário, versão da ficha), ou None se é inválida ou venceu.
        Ficha sem versão (emitida antes dela existir) é da versão 0."""
        corpo, _, assinatura = ficha.partition(".")
        if not assinatura or not hmac.compare_digest(assinatura, self._assinar(corpo)):
            return None
        try:
            dados = json.loads(_de_b64(corpo))
            usuario, versao, expira = int(dados["u"]), int(dados.get("v", 0)), int(dados["e"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return (usuario, versao) if expira > self.relogio() else None


# ----------------------------------------------------------------- segredo
def _recusa_segredo(mensagem: str) -> OperacaoRecusada:
    return OperacaoRecusada.uma("CON-SEGREDO", mensagem)


def _decodificar(texto: str, origem: str) -> bytes:
    try:
        segredo = bytes.fromhex(texto.strip())
    except ValueError:
        segredo = b""
    if len(segredo) < _MIN_SEGREDO:
        raise _recusa_segredo(
            f"segredo das fichas em {origem} inválido: use ao menos {2 * _MIN_SEGREDO} dígitos "
            "hexadecimais (gere com erario servidor girar-segredo ou openssl rand -hex 32)"
        )
    return segredo


def _gravar_0600(caminho: Path, texto: str, substituir: bool) -> None:
    """Grava o arquivo com permissão 0600 por um temporário na mesma pasta: quem
    lê nunca vê o arquivo pela metade. Sem ``substituir``, o arquivo que já
    existe (criado por outro processo ao mesmo tempo) fica como está."""
    if not caminho.parent.is_dir():
        raise _recusa_segredo(f"a pasta do arquivo de segredo {caminho} não existe")
    temp = caminho.with_name(f".{caminho.name}.{secrets.token_hex(6)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(texto + "\n")
            f.flush()
            os.fsync(f.fileno())
        if substituir:
            os.replace(temp, caminho)
        else:
            with contextlib.suppress(FileExistsError):  # outro processo criou antes
                os.link(temp, caminho)
    finally:
        temp.unlink(missing_ok=True)


class ArquivoSegredo:
    """Segredo lido de um arquivo e relido quando o arquivo muda (girar-segredo)."""

    def __init__(self, caminho: Path) -> None:
        self.caminho = caminho
        self._marca: tuple[int, int, int] | None = None
        self._segredo = b""
        self()  # o arquivo ilegível ou inválido impede a partida

    def __call__(self) -> bytes:
        try:
            st = os.stat(self.caminho)
        except OSError:
            if self._marca is None:
                raise _recusa_segredo(f"arquivo de segredo {self.caminho} ilegível") from None
            return self._segredo  # sumiu com o servidor no ar: segue com o último
        marca = (st.st_ino, st.st_mtime_ns, st.st_size)
        if marca != self._marca:
            try:
                novo = _decodificar(self.caminho.read_text(), str(self.caminho))
            except (OSError, OperacaoRecusada):
                if self._marca is None:
                    raise
                return self._segredo  # arquivo trocado por um inválido: segue com o último
            self._segredo, self._marca = novo, marca
        return self._segredo


def fonte_segredo(
    engine: Engine, arquivo: str | os.PathLike[str], ambiente: Mapping[str, str] = os.environ
) -> Callable[[], bytes]:
    """O segredo das fichas: ``ERARIO_SERVIDOR_SEGREDO`` (hexadecimal), se
    definida; senão o ``arquivo``, criado (0600) se falta.

    Compatibilidade: versões anteriores guardavam o segredo no banco do servidor
    (tabela ``config``, chave ``segredo``). Na primeira partida sem o arquivo, esse
    segredo é copiado para ele (as fichas já emitidas seguem valendo até vencer);
    em qualquer caso, depois é apagado do banco."""
    c = t.config.c
    with engine.connect() as con:
        antigo = con.execute(select(c.valor).where(c.chave == "segredo")).scalar()
    texto = ambiente.get(VAR_SEGREDO)
    if texto:
        segredo = _decodificar(texto, VAR_SEGREDO)
        fonte: Callable[[], bytes] = lambda: segredo  # noqa: E731
    else:
        caminho = Path(arquivo)
        if not caminho.exists():
            _gravar_0600(caminho, antigo or secrets.token_hex(_MIN_SEGREDO), substituir=False)
        fonte = ArquivoSegredo(caminho)
    if antigo is not None:
        with engine.begin() as con:
            con.execute(delete(t.config).where(c.chave == "segredo"))
    return fonte


def girar_segredo(
    arquivo: str | os.PathLike[str], ambiente: Mapping[str, str] = os.environ
) -> None:
    """Novo segredo no arquivo (0600): as fichas emitidas deixam de valer já
    (o servidor relê o arquivo quando ele muda)."""
    if ambiente.get(VAR_SEGREDO):
        raise _recusa_segredo(
            f"o segredo vem da variável {VAR_SEGREDO}: troque o valor dela no serviço e "
            "reinicie o servidor"
        )
    _gravar_0600(Path(arquivo), secrets.token_hex(_MIN_SEGREDO), substituir=True)


# ------------------------------------------------------------------- freio
class Politica(NamedTuple):
    """Freio de uma chave: ``livres`` tentativas falhas sem espera; depois, a
    espera dobra a cada uma (``base`` s, 2·base…) até ``teto`` s; a contagem é
    esquecida ``janela`` s depois da última tentativa contada."""

    livres: int
    teto: float
    janela: float


POLITICA_EMAIL: Final = Politica(livres=3, teto=300.0, janela=3600.0)
POLITICA_ENDERECO: Final = Politica(livres=20, teto=60.0, janela=600.0)


def _inserir_sem_conflito(con: Connection) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` do dialeto (SQLite ou PostgreSQL)."""
    return (postgresql if con.dialect.name == "postgresql" else sqlite).insert(t.falha_login)


class FreioLogin:
    """Espera crescente entre tentativas de login (chaves ``e:EMAIL`` e ``ip:ENDEREÇO``).

    O estado fica na tabela ``falha_login`` do banco do servidor: vale para todos os
    processos e sobrevive a um reinício (quem força senhas não ganha nada
    derrubando o servidor). Cada leitura-e-escrita é atômica: a transação começa
    por um ``INSERT … ON CONFLICT DO NOTHING`` das chaves (no SQLite, pega a trava
    de escrita antes de ler; no PostgreSQL, garante a linha, que em seguida é
    travada com ``SELECT … FOR UPDATE``, sempre em ordem de chave)."""

    def __init__(
        self,
        engine: Engine,
        base: float = 1.0,
        email: Politica = POLITICA_EMAIL,
        endereco: Politica = POLITICA_ENDERECO,
        relogio: Callable[[], float] = time.time,
    ) -> None:
        self.engine, self.base, self.relogio = engine, base, relogio
        self.politica_email, self.politica_endereco = email, endereco

    def atraso(self, n: int, pol: Politica) -> float:
        """Espera exigida depois da n-ésima tentativa contada."""
        return 0.0 if n <= pol.livres else min(pol.teto, self.base * 2 ** (n - pol.livres - 1))

    def _travar(self, con: Connection, chaves: Sequence[str]) -> dict[str, Any] | None:
        """As linhas das chaves, travadas até o fim da transação (None: alguma
        sumiu no meio, por um acerto simultâneo; repita)."""
        ordem = sorted(chaves)
        novas = [{"chave": c, "falhas": 0, "liberado_em": 0.0, "ultima_em": 0.0} for c in ordem]
        con.execute(_inserir_sem_conflito(con).values(novas).on_conflict_do_nothing())
        f = t.falha_login.c
        q = select(f.chave, f.falhas, f.liberado_em, f.ultima_em).where(f.chave.in_(ordem))
        if con.dialect.name == "postgresql":
            q = q.order_by(f.chave).with_for_update()
        linhas = {r.chave: r for r in con.execute(q)}
        return linhas if len(linhas) == len(ordem) else None

    def _contar(self, con: Connection, linha: Any, pol: Politica, agora: float) -> None:
        n = (linha.falhas if agora - linha.ultima_em < pol.janela else 0) + 1
        con.execute(
            update(t.falha_login)
            .where(t.falha_login.c.chave == linha.chave)
            .values(falhas=n, ultima_em=agora, liberado_em=agora + self.atraso(n, pol))
        )

    def _espera(self, con: Connection, chaves: Sequence[str]) -> float:
        f = t.falha_login.c
        liberados = con.execute(select(f.liberado_em).where(f.chave.in_(chaves))).scalars()
        return float(max((x - self.relogio() for x in liberados), default=0.0))

    def espera(self, email: str, endereco: str) -> float:
        """Segundos que ainda faltam para poder tentar (0 = pode); só lê."""
        with self.engine.connect() as con:
            return self._espera(con, (f"e:{email}", f"ip:{endereco}"))

    def reservar(self, email: str, endereco: str) -> float:
        """Antes de conferir a senha: segundos que ainda faltam (> 0: recusar, nada
        contado nem gravado), ou 0 — e a tentativa já fica contada contra o e-mail.

        A recusa sai de uma leitura simples (sem escrita: pedidos freados não
        disputam a trava nem criam linhas); a tentativa que passa confere de novo
        com a linha do e-mail travada."""
        chave_email, chave_ip = f"e:{email}", f"ip:{endereco}"
        espera = self.espera(email, endereco)
        if espera > 0:
            return espera
        for _ in range(20):
            with self.engine.begin() as con:
                linhas = self._travar(con, (chave_email,))
                if linhas is None:
                    continue
                linha = linhas[chave_email]
                espera = max(linha.liberado_em - self.relogio(), self._espera(con, (chave_ip,)))
                if espera > 0:  # outro pedido armou a espera agora há pouco
                    if linha.falhas == 0:  # a linha que acabou de ser criada não fica
                        con.execute(
                            delete(t.falha_login).where(t.falha_login.c.chave == chave_email)
                        )
                    return float(espera)
                self._contar(con, linha, self.politica_email, self.relogio())
                return 0.0
        raise RuntimeError("freio de login: chaves apagadas repetidamente durante a reserva")

    def falhou(self, endereco: str) -> None:
        """Senha errada: conta a falha contra o endereço (a do e-mail já foi contada)."""
        for _ in range(20):
            with self.engine.begin() as con:
                linhas = self._travar(con, (f"ip:{endereco}",))
                if linhas is not None:
                    (linha,) = linhas.values()
                    self._contar(con, linha, self.politica_endereco, self.relogio())
                    return

    def acertou(self, email: str) -> None:
        """Senha certa: o e-mail é esquecido (o endereço segue contando as falhas).
        De passagem, apaga as chaves já esquecidas pela janela (a tabela não cresce
        sem fim com e-mails e endereços de quem tentou uma vez)."""
        f = t.falha_login.c
        agora = self.relogio()
        janela = max(self.politica_email.janela, self.politica_endereco.janela)
        with self.engine.begin() as con:
            con.execute(
                delete(t.falha_login).where(
                    (f.chave == f"e:{email}")
                    | ((f.ultima_em < agora - janela) & (f.liberado_em < agora))
                )
            )

    def devolver(self, email: str) -> None:
        """A tentativa reservada não chegou a conferir a senha (servidor ocupado):
        desconta-a do e-mail; de volta às livres, sem espera."""
        f = t.falha_login.c
        with self.engine.begin() as con:
            con.execute(
                update(t.falha_login)
                .where((f.chave == f"e:{email}") & (f.falhas > 0))
                .values(
                    falhas=f.falhas - 1,
                    liberado_em=case(
                        (f.falhas - 1 <= self.politica_email.livres, 0.0), else_=f.liberado_em
                    ),
                )
            )


# --------------------------------------------------------------- auditoria
def operador_local() -> str:
    """Quem roda o comando de administração (usuário do sistema)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def auditar(
    con: Connection,
    acao: str,
    resultado: str,
    *,
    email: str | None = None,
    usuario_id: int | None = None,
    endereco: str | None = None,
    detalhe: str = "",
) -> None:
    """Acrescenta um registro de auditoria na transação ``con``; ``usuario_id``
    no lugar do e-mail o busca no próprio INSERT."""
    quem: Any = email[:200] if email else None
    if quem is None and usuario_id is not None:
        quem = select(t.usuario.c.email).where(t.usuario.c.id == usuario_id).scalar_subquery()
    con.execute(
        insert(t.auditoria).values(
            momento=dt.datetime.now(dt.UTC), acao=acao, resultado=resultado, email=quem,
            endereco=endereco[:64] if endereco else None, detalhe=detalhe[:500],
        )
    )  # fmt: skip


_RE_DOWNLOAD: Final = re.compile(r"/api/v1/(balancetes|orcamentos)/")


class AuditoriaDownloads:
    """Middleware ASGI: registra cada download de documento (GET de balancete ou
    orçamento) entregue (200) ou negado (403), com usuário, endereço e versão.
    O usuário vem de ``request.state.usuario_id``, posto pela conferência da ficha;
    atrás de um prefixo (``--prefixo``), o caminho conta a partir dele."""

    def __init__(self, app: Any, engine: Engine) -> None:
        self.app, self.engine = app, engine

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not _RE_DOWNLOAD.match(scope["path"].removeprefix(scope.get("root_path", "")))
        ):
            await self.app(scope, receive, send)
            return

        async def enviar(msg: Any) -> None:
            if msg["type"] == "http.response.start" and msg["status"] in (200, 403):
                uid = (scope.get("state") or {}).get("usuario_id")
                if uid is not None:
                    cab = dict(msg.get("headers") or [])
                    versao = cab.get(b"x-versao", b"").decode("latin1")
                    detalhe = scope["path"] + (f" versão {versao}" if versao else "")
                    cliente = scope.get("client")
                    await to_thread.run_sync(
                        self._registrar,
                        "ok" if msg["status"] == 200 else "negado",
                        int(uid),
                        cliente[0] if cliente else None,
                        detalhe,
                    )
            await send(msg)

        await self.app(scope, receive, enviar)

    def _registrar(self, resultado: str, uid: int, endereco: str | None, detalhe: str) -> None:
        with self.engine.begin() as con:
            auditar(con, "download", resultado, usuario_id=uid, endereco=endereco, detalhe=detalhe)


# ------------------------------------------------------ uvicorn (rede e log)
def proxies_validos(texto: str) -> tuple[str, ...]:
    """``IP[,IP|REDE…]`` → tupla; vazio = nenhum proxy confiável."""
    itens = tuple(x.strip() for x in texto.split(",") if x.strip())
    for x in itens:
        try:
            ipaddress.ip_network(x, strict=False)
        except ValueError:
            raise OperacaoRecusada.uma(
                "CON-PROXY", f"proxy confiável '{x}' inválido: use endereços IP ou redes (CIDR)"
            ) from None
    return itens


def opcoes_uvicorn(proxies: Sequence[str], log_acesso: str) -> dict[str, Any]:
    """Parâmetros de ``uvicorn.run``/``uvicorn.Config`` para a rede e o log.

    - ``X-Forwarded-For``/``-Proto`` só valem vindos de um dos ``proxies`` (sem
      eles, nunca: o endereço é o da conexão, e o cabeçalho de quem ataca não
      engana o freio por endereço).
    - ``log_acesso``: ``nao`` (padrão), ``sim`` (saída padrão) ou o caminho de um
      arquivo; uma linha por pedido (endereço, método, caminho, status — nunca a
      ficha). Os demais avisos do uvicorn seguem só de nível warning."""
    from uvicorn.config import LOGGING_CONFIG

    rede: dict[str, Any] = {"proxy_headers": bool(proxies)}
    if proxies:
        rede["forwarded_allow_ips"] = list(proxies)
    if log_acesso in ("", "nao", "não"):
        return rede | {"access_log": False, "log_level": "warning"}
    log = copy.deepcopy(LOGGING_CONFIG)
    log["loggers"]["uvicorn"]["level"] = "WARNING"
    log["loggers"]["uvicorn.error"]["level"] = "WARNING"
    log["loggers"]["uvicorn.access"]["level"] = "INFO"
    if log_acesso != "sim":
        log["handlers"]["access"] = {
            "formatter": "acesso_arquivo",
            "class": "logging.FileHandler",
            "filename": str(Path(log_acesso)),
            "encoding": "utf-8",
        }
        log["formatters"]["acesso_arquivo"] = {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(asctime)s %(client_addr)s - "%(request_line)s" %(status_code)s',
            "use_colors": False,
        }
    return rede | {"access_log": True, "log_config": log, "log_level": None}
