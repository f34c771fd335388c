"""Administração do servidor de dados: cadastro de entidades e usuários, vínculos,
ativação e auditoria (comandos ``erario servidor``, sem HTTP)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from erario.api import esquema as t
from erario.api.conferencia import erro_slug_em_uso, slug_em_uso
from erario.api.seguranca import auditar, girar_segredo, hash_senha, operador_local
from erario.core.codigos import cnpj_valido, somente_digitos
from erario.core.erros import Erro, OperacaoRecusada
from erario.razao.modelo import TipoEntidade

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
