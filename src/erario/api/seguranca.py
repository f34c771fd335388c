"""Senhas (argon2id), fichas de acesso assinadas (HMAC-SHA256) e freio de login.

- Senha: só o hash argon2id (``argon2-cffi``) é guardado; a senha em claro não
  é gravada nem registrada em log.
- Ficha: ``base64url(json{u, e, n}).base64url(hmac)`` com validade curta
  (padrão 15 min); a assinatura usa um segredo guardado no banco do servidor.
  A permissão por entidade é conferida no banco a cada pedido.
- Freio: cada falha de login por e-mail e por endereço dobra a espera exigida
  antes da próxima tentativa (até um teto); tentativa antes da hora é recusada
  sem sequer conferir a senha.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from erario.api import esquema as t

_HASHER: Final = PasswordHasher()
# Hash de uma senha qualquer: e-mail inexistente custa o mesmo que senha errada.
_HASH_FICTICIO: Final = _HASHER.hash(secrets.token_urlsafe(16))


def hash_senha(senha: str) -> str:
    return _HASHER.hash(senha)


def conferir_senha(senha_hash: str | None, senha: str) -> bool:
    try:
        return _HASHER.verify(senha_hash or _HASH_FICTICIO, senha) and senha_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _b64(dados: bytes) -> str:
    return base64.urlsafe_b64encode(dados).rstrip(b"=").decode()


def _de_b64(texto: str) -> bytes:
    return base64.urlsafe_b64decode(texto + "=" * (-len(texto) % 4))


class Fichas:
    """Emite e confere fichas de acesso assinadas com validade."""

    def __init__(self, segredo: bytes, validade: int = 900) -> None:
        self._segredo = segredo
        self.validade = validade

    def _assinar(self, corpo: str) -> str:
        return _b64(hmac.new(self._segredo, corpo.encode(), hashlib.sha256).digest())

    def emitir(self, usuario_id: int, agora: float | None = None) -> tuple[str, int]:
        expira = int((time.time() if agora is None else agora) + self.validade)
        corpo = _b64(json.dumps({"u": usuario_id, "e": expira, "n": secrets.token_hex(8)}).encode())
        return f"{corpo}.{self._assinar(corpo)}", expira

    def conferir(self, ficha: str) -> int | None:
        """Id do usuário, ou None se a ficha é inválida ou venceu."""
        corpo, _, assinatura = ficha.partition(".")
        if not assinatura or not hmac.compare_digest(assinatura, self._assinar(corpo)):
            return None
        try:
            dados = json.loads(_de_b64(corpo))
            usuario, expira = int(dados["u"]), int(dados["e"])
        except (ValueError, KeyError, TypeError):
            return None
        return usuario if expira > time.time() else None


class FreioLogin:
    """Espera crescente entre tentativas de login falhas (por chave: e-mail, endereço).

    O estado fica na tabela ``falha_login`` do banco do servidor: vale para todos os
    processos e sobrevive a um reinício (quem força senhas não ganha nada
    derrubando o servidor). Tempo em segundos da época (``time.time``)."""

    def __init__(
        self, engine: Engine, base: float = 1.0, teto: float = 300.0, livres: int = 3
    ) -> None:
        self.engine, self.base, self.teto, self.livres = engine, base, teto, livres

    def espera(self, *chaves: str) -> float:
        """Segundos que ainda faltam para poder tentar (0 = pode)."""
        if not chaves:
            return 0.0
        with self.engine.connect() as con:
            liberados = con.execute(
                select(t.falha_login.c.liberado_em).where(t.falha_login.c.chave.in_(chaves))
            ).scalars()
            return max((x - time.time() for x in liberados), default=0.0)

    def falhou(self, *chaves: str) -> None:
        with self.engine.begin() as con:
            for c in chaves:
                n = (
                    con.execute(
                        select(t.falha_login.c.falhas).where(t.falha_login.c.chave == c)
                    ).scalar()
                    or 0
                ) + 1
                atraso = (
                    0.0
                    if n <= self.livres
                    else min(self.teto, self.base * 2 ** (n - self.livres - 1))
                )
                valores = {"falhas": n, "liberado_em": time.time() + atraso}
                feito = con.execute(
                    update(t.falha_login).where(t.falha_login.c.chave == c).values(**valores)
                )
                if not feito.rowcount:
                    con.execute(insert(t.falha_login).values(chave=c, **valores))

    def acertou(self, *chaves: str) -> None:
        with self.engine.begin() as con:
            con.execute(delete(t.falha_login).where(t.falha_login.c.chave.in_(chaves)))
