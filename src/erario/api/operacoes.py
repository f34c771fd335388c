"""As ações de uma instalação com o servidor de dados on-line (docs/consolidacao.md):
abrir as competências (e publicar o plano), exportar e importar o orçamento,
exportar o balancete, importar os balancetes recebidos e a situação.

O mesmo núcleo de ``erario consolidacao …`` (CLI) e da página de consolidação
(web): cada ação confere o que é local, confere o endereço (CON-HTTP) antes de
pedir a senha, fala com o servidor pelo ``api.cliente.Cliente``, grava o que
recebeu (``storage.consolidacao``) e devolve um ``Resultado`` — as frases do que
foi feito, os avisos e os erros (CON-*) como valores. Nada aqui imprime nem
levanta exceção para quem chama: quem mostra é a CLI ou a web.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import httpx

from erario.api.cliente import Cliente, Progresso, conferir_http
from erario.core.erros import Erro, OperacaoRecusada

if TYPE_CHECKING:
    from erario.storage.repositorio import Repositorio


class Acesso(NamedTuple):
    """Endereço do servidor e credenciais de quem age."""

    servidor: str
    email: str
    # Texto, ou quem a pergunta: a CLI só pede a senha depois de conferido o endereço.
    senha: str | Callable[[], str]
    aceitar_http: bool = False  # senha por http:// fora do loopback, com aviso


class Andamento(Protocol):
    """Quem acompanha a ação enquanto ela corre: a CLI mostra o aviso antes de pedir
    a senha, cada frase na hora e as barras de transferência. Sem ele (a web),
    nada é mostrado durante a ação: tudo chega, de todo modo, no ``Resultado``."""

    def aviso(self, texto: str) -> None:
        """Aviso que não impede a ação (http:// sem TLS aceito)."""

    def feito(self, texto: str) -> None:
        """Uma frase do que deu certo, assim que deu certo."""

    def barra(self, descricao: str) -> AbstractContextManager[Progresso | None]:
        """O progresso de uma transferência (envio ou download)."""


class _Calado:
    """O andamento de quem só quer o ``Resultado``."""

    def aviso(self, texto: str) -> None:
        pass

    def feito(self, texto: str) -> None:
        pass

    def barra(self, descricao: str) -> AbstractContextManager[Progresso | None]:
        return nullcontext()


@dataclass
class Resultado:
    """O que a ação fez: avisos e frases, na ordem, e os erros que a recusaram.

    Um envio de vários meses para no primeiro recusado: o que foi antes fica em
    ``feitos``. Na importação dos balancetes os bons entram e os recusados vêm em
    ``erros`` com ``parcial``."""

    avisos: list[str] = field(default_factory=list)
    feitos: list[str] = field(default_factory=list)
    erros: list[Erro] = field(default_factory=list)
    titulo_erros: str = "Operação recusada"
    parcial: bool = False  # os erros não desfazem o que entrou
    situacao: dict[str, Any] | None = None  # a da ação ``situacao`` (GET /situacao)


def competencia_numerica(ano: int, mes: int) -> str:
    """``MM/AAAA`` (13 = encerramento), como na linha de comando."""
    return f"{mes:02d}/{ano}"


class _Acao:
    """O resultado em construção e o andamento de quem chamou."""

    def __init__(self, acesso: Acesso, andamento: Andamento | None) -> None:
        self.acesso = acesso
        self.andamento: Andamento = andamento or _Calado()
        self.res = Resultado()

    def feito(self, texto: str) -> None:
        self.res.feitos.append(texto)
        self.andamento.feito(texto)

    def envio(self, nome: str, r: dict[str, Any], feito: str = "enviado") -> None:
        """A frase do resultado de um envio (versão nova ou a mesma de antes)."""
        if r["alterado"]:
            self.feito(f"{nome} {feito}: versão {r['versao']} ({r['checksum']}).")
        else:
            self.feito(f"{nome} já estava no servidor (versão {r['versao']}); nada mudou.")

    @contextmanager
    def cliente(self) -> Iterator[Cliente]:
        """O cliente do servidor: recusa ``http://`` fora do loopback (CON-HTTP) ou,
        aceito, avisa — antes de pedir a senha."""
        a = self.acesso
        aviso = conferir_http(a.servidor, a.aceitar_http)
        if aviso is not None:
            self.res.avisos.append(aviso)
            self.andamento.aviso(aviso)
        senha = a.senha if isinstance(a.senha, str) else a.senha()
        with Cliente(a.servidor, a.email, senha, aceitar_http=a.aceitar_http) as c:
            yield c

    @contextmanager
    def recusas(self) -> Iterator[None]:
        """A recusa dentro do bloco (do núcleo ou do servidor) fica nos erros do
        resultado; o que vinha depois dela não é feito."""
        try:
            yield
        except OperacaoRecusada as exc:
            self.res.erros += exc.erros
        except httpx.InvalidURL as exc:
            self.res.erros.append(
                Erro("CON-CONEXAO", f"endereço do servidor {self.acesso.servidor} inválido: {exc}")
            )


def abrir_competencias(
    repo: Repositorio, slug: str, acesso: Acesso, ano: int, andamento: Andamento | None = None
) -> Resultado:
    """Prefeitura: abre no servidor as competências do exercício e publica o plano
    de contas com que o servidor confere os balancetes (repetir não faz mal)."""
    from erario.consolidacao.plano import serializar_plano

    x = _Acao(acesso, andamento)
    with x.recusas():
        e = repo.entidade(slug)
        plano = repo.plano(e.plano)
        dados = serializar_plano(plano, e.ibge, ano)
        with x.cliente() as c:
            n = c.abrir_competencias(e.ibge, ano)
            x.feito(f"{n} competência(s) de {ano} aberta(s) no servidor.")
            versao = c.versao_vigente(e.ibge, e.cnpj, "plano", ano, 0)
            r = c.enviar_plano(e.cnpj, ano, dados, versao)
        x.envio(f"Plano de contas {plano.nome} de {ano}", r, "publicado")
    return x.res


def exportar_orcamento(
    repo: Repositorio, slug: str, acesso: Acesso, ano: int, andamento: Andamento | None = None
) -> Resultado:
    """Prefeitura: envia o orçamento (LOA de todas as entidades do município)."""
    from erario.consolidacao.orcamento import serializar_orcamento
    from erario.storage import consolidacao as st

    x = _Acao(acesso, andamento)
    with x.recusas():
        e = repo.entidade(slug)
        dados = serializar_orcamento(st.orcamento_local(repo, ano, e.ibge))
        with x.cliente() as c, x.andamento.barra("Enviando orçamento") as barra:
            versao = c.versao_vigente(e.ibge, e.cnpj, "orcamento", ano, 0)
            r = c.enviar_orcamento(e.cnpj, ano, dados, versao, barra)
        x.envio("Orçamento", r)
    return x.res


def importar_orcamento(
    repo: Repositorio, slug: str, acesso: Acesso, ano: int, andamento: Andamento | None = None
) -> Resultado:
    """Câmara/RPPS: baixa o orçamento da Prefeitura, confere as unidades e carrega
    a sua parte."""
    from erario.consolidacao.orcamento import ler_orcamento
    from erario.storage import consolidacao as st

    x = _Acao(acesso, andamento)
    with x.recusas():
        e = repo.entidade(slug)
        with x.cliente() as c, x.andamento.barra("Baixando orçamento") as barra:
            dados = c.baixar_orcamento(e.ibge, ano, barra)
        orc, erros = ler_orcamento(dados, "orçamento")
        if orc is None:
            x.res.titulo_erros = "Orçamento recusado"
            raise OperacaoRecusada(erros)
        cad, evs = st.importar_orcamento(repo, slug, orc)
        x.feito(f"Orçamento importado: {cad} cadastro(s), {evs} evento(s) novo(s).")
    return x.res


def exportar_balancete(
    repo: Repositorio,
    slug: str,
    acesso: Acesso,
    ano: int,
    meses: Sequence[int],
    andamento: Andamento | None = None,
    nome_competencia: Callable[[int, int], str] = competencia_numerica,
) -> Resultado:
    """Câmara/RPPS: envia o balancete de cada competência (fechada aqui) ao servidor;
    a 13 leva o encerramento do exercício. Todos os meses são conferidos antes do
    primeiro envio; o envio para no primeiro recusado pelo servidor.
    ``nome_competencia(ano, mes)`` dá o nome do mês nas frases."""
    from erario.consolidacao.formato import serializar
    from erario.storage import consolidacao as st

    x = _Acao(acesso, andamento)
    with x.recusas():
        e = repo.entidade(slug)
        documentos = [(m, serializar(st.balancete_para_envio(repo, slug, ano, m))) for m in meses]
        with x.cliente() as c:
            for m, dados in documentos:
                with x.andamento.barra(f"Enviando {m:02d}/{ano}") as barra:
                    versao = c.versao_vigente(e.ibge, e.cnpj, "balancete", ano, m)
                    r = c.enviar_balancete(e.cnpj, ano, m, dados, versao, barra)
                x.envio(f"Balancete {nome_competencia(ano, m)}", r)
    return x.res


def importar_balancetes(
    repo: Repositorio, slug: str, acesso: Acesso, ano: int, andamento: Andamento | None = None
) -> Resultado:
    """Prefeitura: baixa e incorpora a versão vigente dos balancetes das entidades
    incorporadas (e só delas). Cada balancete é conferido sozinho: os bons entram,
    os recusados vêm nos erros (``parcial``), assim como balancetes no servidor de
    entidade que não é incorporada aqui."""
    from erario.storage import consolidacao as st

    x = _Acao(acesso, andamento)
    with x.recusas():
        e = repo.entidade(slug)
        with x.cliente() as c:
            sit = c.situacao(e.ibge, ano)

            def baixar(env: dict[str, Any]) -> bytes:
                with x.andamento.barra(f"Baixando {env['slug']} {env['mes']:02d}/{ano}") as b:
                    return c.baixar_balancete(env["cnpj"], ano, env["mes"], b)

            r = st.importar_balancetes(repo, slug, ano, sit["envios"], baixar, acesso.email)
        por_ent: dict[str, list[int]] = {}
        for s, mes in r.incorporados:
            por_ent.setdefault(s, []).append(mes)
        x.feito(
            f"{len(r.incorporados)} balancete(s) incorporado(s)"
            + "".join(f"; {s}: " + ", ".join(f"{m:02d}" for m in ms) for s, ms in por_ent.items())
            + f". {r.atualizados} já estava(m) na versão vigente do servidor."
        )
        if r.sem_envio:
            x.feito(f"Sem balancete de {ano} no servidor: " + ", ".join(r.sem_envio) + ".")
        if r.erros:
            x.res.titulo_erros, x.res.parcial = "Balancetes não incorporados", True
            x.res.erros += r.erros
    return x.res


def situacao(
    repo: Repositorio, slug: str, acesso: Acesso, ano: int, andamento: Andamento | None = None
) -> Resultado:
    """O que está no servidor, por entidade e mês, e quando chegou
    (``Resultado.situacao``: ``competencias`` abertas e ``envios``)."""
    x = _Acao(acesso, andamento)
    with x.recusas():
        e = repo.entidade(slug)
        with x.cliente() as c:
            x.res.situacao = c.situacao(e.ibge, ano)
    return x.res
