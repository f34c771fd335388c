"""Servidor de dados on-line de ponta a ponta: uvicorn numa porta livre do
loopback, dirigido pelos comandos reais do erario (cliente httpx).

Três instalações (bancos SQLite separados): Prefeitura, Câmara e RPPS de um
município, mais a Câmara de outro município; no banco da Prefeitura, Câmara e
RPPS são entidades incorporadas. Valores (janeiro e fevereiro):
- Prefeitura: bancos 1.000,00 D na abertura; paga 50,00 e 40,00 de serviços e
  repassa 100,00 de duodécimo (3.5.1.1.2.02).
- Câmara: bancos 200,00 D; recebe o duodécimo (4.5.1.1.2.02) e paga 30,00 e 20,00.
- RPPS: bancos (FR 1800) 5.000,00 D; paga 7,50 em fevereiro.
Consolidado de janeiro a fevereiro: bancos anterior 6.200,00, débitos 100,00,
créditos 247,50, atual 6.052,50 D.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from erario.api import esquema as te
from erario.api.cliente import Cliente
from erario.api.seguranca import Fichas
from erario.cli.app import app
from erario.consolidacao.formato import BalanceteMensal, ler_bytes, serializar
from erario.core.erros import OperacaoRecusada
from erario.razao.modelo import Entidade, Lancamento, Partida, TipoEntidade, TipoLancamento
from erario.razao.plano import ler_plano_csv
from erario.storage import consolidacao as st
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.apoio_servidor import (
    CAM,
    IBGE,
    LIMITE,
    PREF,
    RPPS,
    SEGREDO,
    SENHA,
    Ambiente,
    ambiente,
)
from tests.test_consolidacao import BANCOS, CONCEDIDO, PL, PLANO_INTRA, RECEBIDO, SERVICOS

__all__ = ["ambiente"]  # fixture do servidor no ar (SQLite e, se configurado, PostgreSQL)

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("tela_larga")  # tabelas Rich sem quebra de linha


def _instalacao(pasta: Path, ent: Entidade) -> str:
    """Banco do erario de uma entidade, com janeiro e fevereiro lançados e fechados."""
    url = f"sqlite:///{pasta / (ent.slug + ent.ibge + '.db')}"
    engine = criar_engine(url)
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    plano, erros = ler_plano_csv(PLANO_INTRA, "PCASP")
    assert plano is not None, erros
    repo.gravar_plano(plano)
    repo.criar_entidade(ent)
    if ent.slug == "prefeitura":  # Câmara e RPPS: incorporadas (instalação própria)
        for outra in (CAM, RPPS):
            repo.criar_entidade(outra._replace(incorporada=True))
    repo.abrir_exercicio(ent.slug, 2026, usuario="teste")
    fonte = {"FR": "1800" if ent.tipo == TipoEntidade.RPPS else "1500"}

    def lancar(
        data: dt.date, debito: str, credito: str, valor: str, abertura: bool = False
    ) -> None:
        tipo = TipoLancamento.ABERTURA if abertura else TipoLancamento.ORDINARIO
        partidas = (
            Partida.de(debito, "D", valor, fonte if debito == BANCOS else {}),
            Partida.de(credito, "C", valor, fonte if credito == BANCOS else {}),
        )
        repo.lancar(Lancamento(ent.slug, data, "teste", partidas, tipo=tipo))

    abertura = {"prefeitura": "1000.00", "camara": "200.00", "rpps": "5000.00"}[ent.slug]
    lancar(dt.date(2026, 1, 1), BANCOS, PL, abertura, abertura=True)
    if ent.slug == "prefeitura":
        lancar(dt.date(2026, 1, 10), SERVICOS, BANCOS, "50.00")
        lancar(dt.date(2026, 1, 12), CONCEDIDO, BANCOS, "100.00")
        lancar(dt.date(2026, 2, 10), SERVICOS, BANCOS, "40.00")
    elif ent.slug == "camara":
        lancar(dt.date(2026, 1, 12), BANCOS, RECEBIDO, "100.00")
        lancar(dt.date(2026, 1, 20), SERVICOS, BANCOS, "30.00")
        lancar(dt.date(2026, 2, 20), SERVICOS, BANCOS, "20.00")
    else:
        lancar(dt.date(2026, 2, 5), SERVICOS, BANCOS, "7.50")
    for mes in (1, 2):
        repo.fechar_competencia(ent.slug, 2026, mes, usuario="teste")
    engine.dispose()
    return url


def _erario(db: str, *args: str, email: str, senha: str = SENHA, servidor: str) -> Any:
    env = {"ERARIO_EMAIL": email, "ERARIO_SENHA": senha, "ERARIO_SERVIDOR": servidor}
    return runner.invoke(app, ["--db", db, *args], env=env)


def _repo(db: str) -> Repositorio:
    return Repositorio(criar_engine(db))


def _situacao(a: Ambiente) -> dict[str, Any]:
    with Cliente(a.url, "pref@m.br", SENHA) as c:
        return c.situacao(IBGE, 2026)


@pytest.fixture(scope="module")
def fluxo(ambiente: Ambiente) -> dict[str, str]:
    """O fluxo inteiro pelos comandos: abrir competências, exportar, importar."""
    a = ambiente
    dbs = {e.slug: _instalacao(a.pasta, e) for e in (PREF, CAM, RPPS)}
    r = _erario(dbs["prefeitura"], "consolidacao", "abrir-competencias", "prefeitura", "--ano", "2026",
                email="pref@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "13 competência(s) de 2026 aberta(s)" in r.output
    r = _erario(dbs["prefeitura"], "consolidacao", "abrir-competencias", "prefeitura", "--ano", "2026",
                email="pref@m.br", servidor=a.url)  # fmt: skip
    assert "0 competência(s)" in r.output  # repetir não faz mal
    for slug in ("camara", "rpps"):
        r = _erario(dbs[slug], "consolidacao", "exportar-balancete", slug, "--mes", "2026-01",
                    "--ate", "2026-02", email=f"{slug}@m.br", servidor=a.url)  # fmt: skip
        assert r.exit_code == 0, r.output
        assert "Balancete 02/2026 enviado: versão 1" in r.output
    r = _erario(dbs["prefeitura"], "consolidacao", "importar-balancetes", "prefeitura", "--ano", "2026",
                email="pref@m.br", servidor=a.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "4 balancete(s) incorporado(s)" in r.output
    return dbs


def test_consolidado_confere_com_a_soma_das_tres(fluxo: dict[str, str]) -> None:
    individuais = [
        _repo(fluxo[s]).balancete([s], 2026, 1, 2, por_conta_corrente=True)
        for s in ("prefeitura", "camara", "rpps")
    ]
    c = st.consolidado(_repo(fluxo["prefeitura"]), ["prefeitura"], 2026, 1, 2,
                       com_incorporados=True, por_conta_corrente=True)  # fmt: skip
    assert c.balancete.entidades == ("prefeitura", "camara", "rpps")
    soma: dict[tuple[str, str], list[int]] = {}
    for b in individuais:
        for ln in b.linhas:
            t = soma.setdefault((ln.codigo, ln.conta_corrente), [0, 0, 0, 0])
            for i, v in enumerate((ln.anterior, ln.debitos, ln.creditos, ln.atual)):
                t[i] += v
    obtido = {
        (ln.codigo, ln.conta_corrente): [ln.anterior, ln.debitos, ln.creditos, ln.atual]
        for ln in c.balancete.linhas
    }
    assert obtido == soma  # figura por figura, conta e conta corrente
    assert obtido[(BANCOS, "")] == [620000, 10000, 24750, 605250]
    assert obtido[(BANCOS, "FR=1800")] == [500000, 0, 750, 499250]
    assert obtido[(SERVICOS, "")] == [0, 14750, 0, 14750]
    assert c.balancete.total_debitos == c.balancete.total_creditos == 34750
    e = st.consolidado(_repo(fluxo["prefeitura"]), ["prefeitura"], 2026, 1, 2,
                       com_incorporados=True, eliminar_intra=True)  # fmt: skip
    assert e.eliminacao is not None and e.eliminacao.erros() == []
    assert e.balancete.total_debitos == e.balancete.total_creditos == 24750
    assert {ln.codigo for ln in e.balancete.linhas}.isdisjoint({CONCEDIDO, RECEBIDO})


def test_balancete_consolidado_pela_linha_de_comando(
    fluxo: dict[str, str], ambiente: Ambiente
) -> None:
    r = runner.invoke(app, ["--db", fluxo["prefeitura"], "consolidacao", "balancete", "prefeitura",
                            "--de", "2026-01", "--ate", "2026-02", "--incorporados",
                            "--eliminar-intra", "--por-entidade"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Eliminações intra-OFSS" in r.output
    assert "6.052,50 D" in r.output
    r = _erario(fluxo["prefeitura"], "consolidacao", "situacao", "prefeitura", "--ano", "2026",
                email="pref@m.br", servidor=ambiente.url)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "camara@m.br" in r.output.replace("\n", "") or "camara@m." in r.output


def test_reenvio_igual_nao_cria_versao_e_reimportar_nao_baixa(
    fluxo: dict[str, str], ambiente: Ambiente
) -> None:
    r = _erario(fluxo["camara"], "consolidacao", "exportar-balancete", "camara", "--mes", "2026-01",
                email="camara@m.br", servidor=ambiente.url)  # fmt: skip
    assert "já estava no servidor (versão 1); nada mudou" in r.output
    r = _erario(fluxo["prefeitura"], "consolidacao", "importar-balancetes", "prefeitura", "--ano",
                "2026", email="pref@m.br", servidor=ambiente.url)  # fmt: skip
    assert "0 balancete(s) incorporado(s)" in r.output


def test_recusas_do_cliente(fluxo: dict[str, str], ambiente: Ambiente) -> None:
    # Mês aberto localmente.
    r = _erario(fluxo["camara"], "consolidacao", "exportar-balancete", "camara", "--mes", "2026-03",
                email="camara@m.br", servidor=ambiente.url)  # fmt: skip
    assert r.exit_code == 1 and "CON-MES-ABERTO" in r.output
    # Senha errada.
    r = _erario(fluxo["camara"], "consolidacao", "situacao", "camara", "--ano", "2026",
                email="rpps@m.br", senha="errada-errada", servidor=ambiente.url)  # fmt: skip
    assert r.exit_code == 1 and "e-mail ou senha não conferem" in r.output


# ---------------------------------------------------------------- segurança
def _doc_camara(fluxo: dict[str, str], mes: int = 1) -> bytes:
    return serializar(st.balancete_para_envio(_repo(fluxo["camara"]), "camara", 2026, mes))


def _alterado(bm: BalanceteMensal, bancos_cc: str, centavos: int = 1) -> bytes:
    """O balancete com ``centavos`` a mais no débito dos serviços e no crédito dos
    bancos (conta corrente ``bancos_cc``): outro documento, ainda fechado."""
    saldos = dict(bm.saldos)
    a, d, c_ = saldos[(SERVICOS, "")]
    saldos[(SERVICOS, "")] = (a, d + centavos, c_)
    a, d, c_ = saldos[(BANCOS, bancos_cc)]
    saldos[(BANCOS, bancos_cc)] = (a, d, c_ + centavos)
    return serializar(bm._replace(saldos=saldos))


def test_ficha_vencida_ou_forjada(fluxo: dict[str, str], ambiente: Ambiente) -> None:
    vencida, _ = Fichas(SEGREDO).emitir(1, agora=time.time() - 1000)
    forjada, _ = Fichas(b"outro segredo").emitir(1)
    for ficha in (vencida, forjada, "lixo"):
        r = httpx.get(f"{ambiente.url}/api/v1/situacao/{IBGE}/2026",
                      headers={"Authorization": f"Bearer {ficha}"})  # fmt: skip
        assert r.status_code == 401
        assert r.json()["erros"][0]["regra"] == "CON-FICHA"


def test_ficha_vencida_nao_escreve_nada(fluxo: dict[str, str], ambiente: Ambiente) -> None:
    with ambiente.admin.engine.connect() as con:
        ids = dict(con.execute(select(te.usuario.c.email, te.usuario.c.id)).all())
    antes = _situacao(ambiente)
    bm = st.balancete_para_envio(_repo(fluxo["camara"]), "camara", 2026, 1)
    novo = _alterado(bm, "FR=1500")
    pedidos = [
        ("camara@m.br", "PUT", f"/balancetes/{CAM.cnpj}/2026/1?versao_anterior=1", novo),
        ("pref@m.br", "POST", f"/competencias/{IBGE}/2031", b""),
        ("pref@m.br", "PUT", f"/orcamentos/{PREF.cnpj}/2026", b"{}"),
    ]
    for email, metodo, caminho, corpo in pedidos:
        vencida, _ = Fichas(SEGREDO).emitir(ids[email], agora=time.time() - 1000)
        r = httpx.request(metodo, f"{ambiente.url}/api/v1{caminho}", content=corpo,
                          headers={"Authorization": f"Bearer {vencida}"})  # fmt: skip
        assert r.status_code == 401, (caminho, r.text)
        assert r.json()["erros"][0]["mensagem"] == (
            "ficha de acesso ausente, inválida ou vencida: entre de novo"
        )
    assert _situacao(ambiente) == antes
    with Cliente(ambiente.url, "pref@m.br", SENHA) as c:
        assert c.situacao(IBGE, 2031)["competencias"] == []


def test_usuario_de_outra_entidade_ou_municipio(fluxo: dict[str, str], ambiente: Ambiente) -> None:
    antes = _situacao(ambiente)
    doc = _doc_camara(fluxo)
    with Cliente(ambiente.url, "rpps@m.br", SENHA) as c:  # RPPS escrevendo pela Câmara
        with pytest.raises(OperacaoRecusada) as exc:
            c.enviar_balancete(CAM.cnpj, 2026, 1, doc, 1)
        assert exc.value.erros[0].regra == "CON-PERMISSAO"
        with pytest.raises(OperacaoRecusada) as exc:  # só a Prefeitura lê a Câmara
            c.baixar_balancete(CAM.cnpj, 2026, 1)
        assert exc.value.erros[0].regra == "CON-PERMISSAO"
        with pytest.raises(OperacaoRecusada) as exc:  # nem abre competências
            c.abrir_competencias(IBGE, 2027)
        assert exc.value.erros[0].regra == "CON-PERMISSAO"
    with Cliente(ambiente.url, "vizinha@m.br", SENHA) as c:
        for chamada in (
            lambda: c.situacao(IBGE, 2026),
            lambda: c.baixar_balancete(CAM.cnpj, 2026, 1),
            lambda: c.enviar_balancete(CAM.cnpj, 2026, 1, doc, 1),
        ):
            with pytest.raises(OperacaoRecusada) as exc:
                chamada()
            assert exc.value.erros[0].regra == "CON-PERMISSAO"
    assert _situacao(ambiente) == antes


def test_documento_grande_malformado_ou_de_outra_entidade(
    fluxo: dict[str, str], ambiente: Ambiente
) -> None:
    antes = _situacao(ambiente)
    bm = st.balancete_para_envio(_repo(fluxo["camara"]), "camara", 2026, 1)
    outra = serializar(bm._replace(entidade=bm.entidade._replace(slug="camara-x")))
    adulterado = json.loads(serializar(bm))
    adulterado["linhas"][0]["debitos"] = "999.00"
    casos = [
        (b"x" * (LIMITE + 1), "CON-TAMANHO"),
        (b"{nao e json", "CON-JSON"),
        (json.dumps(adulterado).encode(), "CON-CHECKSUM"),
        (outra, "CON-ENTIDADE"),
    ]
    with Cliente(ambiente.url, "camara@m.br", SENHA) as c:
        for dados, regra in casos:
            with pytest.raises(OperacaoRecusada) as exc:
                c.enviar_balancete(CAM.cnpj, 2026, 1, dados, 1)
            assert regra in {e.regra for e in exc.value.erros}, exc.value.erros
        with pytest.raises(OperacaoRecusada) as exc:  # competência não aberta
            c.enviar_balancete(CAM.cnpj, 2027, 1, serializar(bm._replace(ano=2027)), 0)
        assert exc.value.erros[0].regra == "CON-COMPETENCIA"
    assert _situacao(ambiente) == antes


def test_envio_repetido_fora_de_hora_e_conflito(fluxo: dict[str, str], ambiente: Ambiente) -> None:
    bm = st.balancete_para_envio(_repo(fluxo["rpps"]), "rpps", 2026, 2)
    v1 = serializar(bm)
    v2 = _alterado(bm, "FR=1800")
    with Cliente(ambiente.url, "rpps@m.br", SENHA) as c:
        assert c.enviar_balancete(RPPS.cnpj, 2026, 2, v2, 1)["versao"] == 2
        with pytest.raises(OperacaoRecusada) as exc:  # o envio da versão 1, repetido
            c.enviar_balancete(RPPS.cnpj, 2026, 2, v1, 0)
        assert exc.value.erros[0].regra == "CON-CONFLITO"
        assert c.baixar_balancete(RPPS.cnpj, 2026, 2) == v2
        historico = c.historico(RPPS.cnpj, 2026, 2)
        assert [h["versao"] for h in historico] == [1, 2]
        assert {h["enviado_por"] for h in historico} == {"rpps@m.br"}
        assert c.enviar_balancete(RPPS.cnpj, 2026, 2, v1, 2)["versao"] == 3  # volta ao certo


def test_envio_interrompido_mantem_a_versao_anterior(
    fluxo: dict[str, str], ambiente: Ambiente
) -> None:
    with Cliente(ambiente.url, "camara@m.br", SENHA) as c:
        c.entrar()
        ficha = c._ficha
        vigente = c.baixar_balancete(CAM.cnpj, 2026, 2)
    bm, _ = ler_bytes(vigente)
    assert bm is not None
    novo = _alterado(bm, "FR=1500", 500)
    porta = int(ambiente.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", porta)) as s:  # o cliente "morre" na metade
        s.sendall(
            (f"PUT /api/v1/balancetes/{CAM.cnpj}/2026/2?versao_anterior=1 HTTP/1.1\r\n"
             f"Host: 127.0.0.1\r\nAuthorization: Bearer {ficha}\r\n"
             f"Content-Type: application/json\r\nContent-Length: {len(novo)}\r\n\r\n").encode()
            + novo[: len(novo) // 2]
        )  # fmt: skip
    time.sleep(0.3)
    with Cliente(ambiente.url, "camara@m.br", SENHA) as c:
        assert c.baixar_balancete(CAM.cnpj, 2026, 2) == vigente
        assert [h["versao"] for h in c.historico(CAM.cnpj, 2026, 2)] == [1]
        assert c.enviar_balancete(CAM.cnpj, 2026, 2, novo, 1)["versao"] == 2  # nova tentativa
        assert c.baixar_balancete(CAM.cnpj, 2026, 2) == novo
        assert c.enviar_balancete(CAM.cnpj, 2026, 2, vigente, 2)["versao"] == 3


def test_forca_bruta_e_freada(ambiente: Ambiente) -> None:
    def entrar(senha: str) -> str:
        try:
            with Cliente(ambiente.url, "bruto@m.br", senha) as c:
                c.entrar()
            return "ok"
        except OperacaoRecusada as exc:
            return exc.erros[0].regra

    from sqlalchemy import create_engine

    banco = create_engine(ambiente.banco)
    with banco.begin() as con:  # sem falhas de outros testes do módulo (mesmo endereço)
        con.execute(te.falha_login.delete())
    assert [entrar("chute-1234") for _ in range(4)] == ["CON-SENHA"] * 4
    with banco.begin() as con:
        falhas, liberado = con.execute(
            select(te.falha_login.c.falhas, te.falha_login.c.liberado_em).where(
                te.falha_login.c.chave == "e:bruto@m.br"
            )
        ).one()
        assert falhas == 4 and liberado > time.time() - 1  # 4ª falha: freio armado
        # sem depender do relógio da máquina carregada: espera de 60 s a partir de agora
        con.execute(te.falha_login.update().values(liberado_em=time.time() + 60))
    assert entrar(SENHA) == "CON-TENTATIVAS"  # nem a senha certa passa agora
    assert entrar("chute-1234") == "CON-TENTATIVAS"
    with banco.begin() as con:  # passada a espera
        con.execute(te.falha_login.update().values(liberado_em=0.0))
    assert entrar(SENHA) == "ok"
    banco.dispose()


def test_openapi_documenta_os_endpoints(ambiente: Ambiente) -> None:
    caminhos = httpx.get(f"{ambiente.url}/openapi.json").json()["paths"]
    assert "/api/v1/balancetes/{cnpj}/{ano}/{mes}" in caminhos
    assert "/api/v1/sessao" in caminhos


def test_freio_de_login_sobrevive_ao_reinicio(tmp_path: Path) -> None:
    from erario.api.servidor import Admin, Config, preparar_banco
    from tests.apoio_servidor import banco_servidor, servidor_no_ar

    def entrar(url: str, senha: str) -> str:
        try:
            with Cliente(url, "alguem@m.br", senha) as c:
                c.entrar()
            return "ok"
        except OperacaoRecusada as exc:
            return exc.erros[0].regra

    with banco_servidor("sqlite", tmp_path) as url_banco:
        cfg = Config(url=url_banco, freio_base=60, segredo=SEGREDO, limite_bytes=LIMITE)
        engine = preparar_banco(cfg.url)
        Admin(engine).criar_usuario("alguem@m.br", SENHA)
        with servidor_no_ar(cfg) as url:
            assert [entrar(url, "chute-1234") for _ in range(4)] == ["CON-SENHA"] * 4
        # outro processo do servidor (reinício): a espera de 60 s continua valendo
        with servidor_no_ar(cfg) as url:
            assert entrar(url, SENHA) == "CON-TENTATIVAS"
        with engine.begin() as con:  # passado o tempo (simulado), a senha certa entra
            con.execute(te.falha_login.update().values(liberado_em=0.0))
        with servidor_no_ar(cfg) as url:
            assert entrar(url, SENHA) == "ok"
        with engine.connect() as con:  # o acerto zera o e-mail (o endereço segue contando)
            chaves = con.execute(te.falha_login.select()).all()
            assert [c.chave for c in chaves] == ["ip:127.0.0.1"]
        engine.dispose()
