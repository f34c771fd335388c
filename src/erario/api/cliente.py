"""Cliente HTTP do servidor de dados on-line (httpx), usado pelos comandos do erario.

Entra com e-mail e senha a cada comando (ficha de curta duração, guardada só
na memória) e converte as recusas do servidor em ``OperacaoRecusada`` com os
mesmos ``Erro`` (códigos CON-*).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from erario.core.erros import Erro, OperacaoRecusada

Progresso = Callable[[int, int], None]  # (feito, total) em bytes
PEDACO = 64 * 1024


def _loopback(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def aviso_http(url: str) -> str | None:
    """O aviso para ``http://`` (sem TLS) fora do loopback (127.0.0.0/8, ::1,
    localhost), onde a senha e os documentos iriam em claro; None se seguro."""
    u = httpx.URL(url)
    if u.scheme != "http" or _loopback(u.host):
        return None
    return f"o servidor {url} usa http:// sem TLS: a senha e os documentos iriam em claro pela rede"


def conferir_http(url: str, aceitar_http: bool) -> str | None:
    """Recusa (CON-HTTP) mandar a senha por ``http://`` fora do loopback, a menos de
    ``aceitar_http``; aceito, devolve o aviso a mostrar."""
    aviso = aviso_http(url)
    if aviso is not None and not aceitar_http:
        raise OperacaoRecusada.uma(
            "CON-HTTP",
            f"{aviso}; use o endereço https:// do servidor (docs/consolidacao.md, Em "
            "produção) ou, só numa rede de confiança, --aceitar-http (ERARIO_ACEITAR_HTTP=1)",
        )
    return aviso


class Cliente:
    def __init__(
        self, url: str, email: str, senha: str, *, timeout: float = 30.0,
        transporte: httpx.BaseTransport | None = None, aceitar_http: bool = False,
    ) -> None:  # fmt: skip
        self.url = url.rstrip("/")
        self._aceitar_http = aceitar_http  # senha por http:// fora do loopback
        self._email, self._senha = email, senha
        self._http = httpx.Client(
            base_url=self.url + "/api/v1", timeout=timeout, transport=transporte
        )
        self._ficha: str | None = None
        self.entidades: list[dict[str, Any]] = []

    def __enter__(self) -> Cliente:
        return self

    def __exit__(self, *_: object) -> None:
        self._http.close()

    # ------------------------------------------------------------- infra
    @contextmanager
    def _conexao(self, *, com_ficha: bool = True) -> Iterator[None]:
        """Entra antes, se ainda não há ficha (``com_ficha``), e converte a falha de
        rede dentro do bloco em CON-CONEXAO."""
        if com_ficha and self._ficha is None:
            self.entrar()
        try:
            yield
        except httpx.TransportError as exc:
            raise OperacaoRecusada.uma(
                "CON-CONEXAO", f"servidor {self.url} inacessível: {exc}"
            ) from None

    def _pedir(self, metodo: str, caminho: str, **kw: Any) -> httpx.Response:
        with self._conexao():
            r = self._http.request(metodo, caminho, **kw)
        _conferir(r)
        return r

    def entrar(self) -> None:
        """Pede a ficha de acesso; os pedidos seguintes a levam no cabeçalho Authorization.
        Por ``http://`` fora do loopback, só com ``aceitar_http`` (CON-HTTP)."""
        conferir_http(self.url, self._aceitar_http)
        with self._conexao(com_ficha=False):
            r = self._http.post("/sessao", json={"email": self._email, "senha": self._senha})
        _conferir(r)
        dados = r.json()
        self._ficha = dados["ficha"]
        self._http.headers["Authorization"] = f"Bearer {self._ficha}"
        self.entidades = dados["entidades"]

    # ---------------------------------------------------------- operações
    def abrir_competencias(self, ibge: str, ano: int) -> int:
        return int(self._pedir("POST", f"/competencias/{ibge}/{ano}").json()["criadas"])

    def situacao(self, ibge: str, ano: int) -> dict[str, Any]:
        return dict(self._pedir("GET", f"/situacao/{ibge}/{ano}").json())

    def historico(self, cnpj: str, ano: int, mes: int) -> list[dict[str, Any]]:
        return list(self._pedir("GET", f"/historico/{cnpj}/{ano}/{mes}").json())

    def versao_vigente(self, ibge: str, cnpj: str, documento: str, ano: int, mes: int) -> int:
        for e in self.situacao(ibge, ano)["envios"]:
            if (e["cnpj"], e["documento"], e["mes"]) == (cnpj, documento, mes):
                return int(e["versao"])
        return 0

    def enviar_balancete(
        self, cnpj: str, ano: int, mes: int, dados: bytes, versao_anterior: int,
        progresso: Progresso | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return self._enviar(f"/balancetes/{cnpj}/{ano}/{mes}", dados, versao_anterior, progresso)

    def enviar_orcamento(
        self, cnpj: str, ano: int, dados: bytes, versao_anterior: int,
        progresso: Progresso | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        return self._enviar(f"/orcamentos/{cnpj}/{ano}", dados, versao_anterior, progresso)

    def enviar_plano(
        self, cnpj: str, ano: int, dados: bytes, versao_anterior: int,
        progresso: Progresso | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Plano de contas publicado pela Prefeitura (``consolidacao.plano``, gzip)."""
        return self._enviar(f"/planos/{cnpj}/{ano}", dados, versao_anterior, progresso)

    def _enviar(
        self, caminho: str, dados: bytes, versao_anterior: int, progresso: Progresso | None
    ) -> dict[str, Any]:
        def pedacos() -> Iterator[bytes]:
            for i in range(0, len(dados), PEDACO):
                yield dados[i : i + PEDACO]
                if progresso:
                    progresso(min(i + PEDACO, len(dados)), len(dados))

        r = self._pedir(
            "PUT", caminho, params={"versao_anterior": versao_anterior}, content=pedacos()
        )
        return dict(r.json())

    def baixar_balancete(
        self, cnpj: str, ano: int, mes: int, progresso: Progresso | None = None
    ) -> bytes:
        return self._baixar(f"/balancetes/{cnpj}/{ano}/{mes}", progresso)

    def baixar_orcamento(self, ibge: str, ano: int, progresso: Progresso | None = None) -> bytes:
        return self._baixar(f"/orcamentos/{ibge}/{ano}", progresso)

    def _baixar(self, caminho: str, progresso: Progresso | None) -> bytes:
        partes: list[bytes] = []
        with self._conexao(), self._http.stream("GET", caminho) as r:
            if r.status_code >= 400:
                r.read()
                _conferir(r)
            total = int(r.headers.get("content-length") or 0)
            feito = 0
            for parte in r.iter_bytes(PEDACO):
                partes.append(parte)
                feito += len(parte)
                if progresso:
                    progresso(feito, max(total, feito))
        return b"".join(partes)


def _conferir(r: httpx.Response) -> None:
    if r.status_code < 400:
        return
    try:
        corpo = r.json()
        erros = [
            Erro(e["regra"], e["mensagem"], e.get("campo"), e.get("linha")) for e in corpo["erros"]
        ]
    except (ValueError, KeyError, TypeError):
        erros = [Erro("CON-SERVIDOR", f"resposta {r.status_code} inesperada do servidor")]
    raise OperacaoRecusada(erros)
