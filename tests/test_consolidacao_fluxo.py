"""O fluxo documentado da consolidação, de ponta a ponta (docs/consolidacao.md, issue 15).

Três instalações do erario — Prefeitura, Câmara e RPPS, três bancos SQLite —,
cada uma dirigida só pela linha de comando, e o servidor de dados on-line de
verdade (uvicorn no loopback; banco do servidor no SQLite e, com
``ERARIO_TEST_POSTGRES_URL``, no PostgreSQL), cadastrado pelos comandos
``erario servidor``. Os comandos seguem a ordem da documentação:

1. servidor: entidades e usuários;
2. Prefeitura: ``iniciar``, a própria entidade e Câmara e RPPS ``--incorporada``,
   exercício, cadastros e a LOA das três (a das incorporadas sem lançamento),
   saldos e execução, competências fechadas; ``abrir-competencias`` (publica o
   plano) e ``exportar-orcamento``;
3. Câmara e RPPS: ``iniciar``, a entidade, exercício, ``importar-orcamento``,
   saldos e escrituração própria, competências fechadas, ``exportar-balancete``;
4. Prefeitura: ``importar-balancetes`` e ``consolidacao balancete --incorporados``.

Valores de 2026, janeiro a março (m = 1, 2, 3):
- Prefeitura: abertura bancos 800.000,00 D (FR 1500); arrecada IPTU 50.000,00 +
  1.000,00·m no dia 5; repassa 10.000,00 de duodécimo à Câmara no dia 12
  (3.5.1.1.2.02, transferência financeira: na Prefeitura, só o lado dela);
  empenha, liquida e paga serviços de 20.000,37 + 111,00·m.
- Câmara: abertura bancos 5.000,00 D; recebe o duodécimo (4.5.1.1.2.02, no razão
  dela) e empenha, liquida e paga serviços de 7.000,55 + 10,00·m.
- RPPS: abertura bancos 2.000.000,00 D (FR 1800); arrecada a contribuição dos
  segurados, 15.000,10 + 100,00·m (4.2.1.1.1.02), e paga aposentadorias de
  9.000,25 + 5,00·m.
O consolidado de janeiro a março é, conta a conta, a soma dos três balancetes
individuais (cada um tirado da sua instalação); com ``--eliminar-intra`` saem os
30.000,00 do duodécimo nos dois lados.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest
from sqlalchemy import insert, select
from typer.testing import CliRunner

from erario.api import esquema as te
from erario.api.cliente import Cliente
from erario.api.servidor import Config
from erario.cli.app import app
from erario.consolidacao.formato import ler_bytes, serializar
from erario.consolidacao.orcamento import Orcamento, OrcamentoEntidade, serializar_orcamento
from erario.core.erros import OperacaoRecusada
from erario.storage.banco import criar_engine
from tests.apoio_servidor import (
    BANCOS_SERVIDOR,
    CAM,
    IBGE,
    PREF,
    RPPS,
    SEGREDO,
    banco_servidor,
    servidor_no_ar,
)

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("tela_larga")  # tabelas Rich sem quebra de linha

SENHA = "senha-do-fluxo-123"
EMAILS = {"prefeitura": "contador@prefeitura.br", "camara": "contador@camara.br",
          "rpps": "contador@rpps.br"}  # fmt: skip
ENTIDADES = {"prefeitura": PREF, "camara": CAM, "rpps": RPPS}
MESES = (1, 2, 3)

BANCO = "1.1.1.1.1.19.00"  # bancos conta movimento - demais contas (FR, DB)
BANCO_RPPS = "1.1.1.1.1.06.03"  # bancos - RPPS - fundo em capitalização (FR, DB)
RESULTADO = "2.3.7.1.1.02.00"
ORDINARIOS, VINCULADOS = "7.2.1.1.1.00.00", "7.2.1.1.2.00.00"
DDR_A_UTILIZAR = "8.2.1.1.1.01.00"
CONCEDIDO, RECEBIDO = "3.5.1.1.2.02.00", "4.5.1.1.2.02.00"
DOM = {"prefeitura": "001-1111-100001", "camara": "041-2222-200002", "rpps": "001-3333-300003"}
DOT = {
    "prefeitura": "0401.15.452.0010.2015.33903900",
    "camara": "0101.01.031.0002.2002.33903900",
    "rpps": "0301.09.272.0003.2003.33900100",
}
FORNECEDOR, APOSENTADO = "12345678000195", "52998224725"
DUODECIMO = "10000.00"


class Fluxo(NamedTuple):
    dbs: dict[str, str]  # slug → URL do banco da instalação
    servidor: str  # URL do servidor no ar
    banco_servidor: str  # URL do banco do servidor
    pasta: Path


# ----------------------------------------------------------------- comandos
def _rodar(db: str, slug: str, *args: str) -> Any:
    """Um comando do erario na instalação ``db``, como o usuário de ``slug``."""
    env = {"ERARIO_SERVIDOR": _URL[0], "ERARIO_EMAIL": EMAILS[slug], "ERARIO_SENHA": SENHA}
    return runner.invoke(app, ["--db", db, *args], env=env)


_URL = [""]  # endereço do servidor no ar (o módulo tem um por vez)


def ok(db: str, slug: str, *args: str) -> str:
    """A saída do comando que deu certo, com os espaços e quebras de linha normalizados."""
    r = _rodar(db, slug, *args)
    assert r.exit_code == 0, (args, r.output)
    return " ".join(r.output.split())


def falha(db: str, slug: str, *args: str) -> str:
    r = _rodar(db, slug, *args)
    assert r.exit_code == 1, (args, r.output)
    return " ".join(r.output.split())


def _jsonl(pasta: Path, nome: str, objs: list[dict[str, Any]]) -> str:
    arq = pasta / nome
    arq.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs), "utf-8")
    return str(arq)


def _csv(pasta: Path, nome: str, linhas: list[str]) -> str:
    arq = pasta / nome
    arq.write_text("\n".join(linhas) + "\n", "utf-8")
    return str(arq)


def _cc(slug: str) -> str:
    fonte = "1800" if slug == "rpps" else "1500"
    return f"FR={fonte}|DB={DOM[slug]}"


# ------------------------------------------------------------------- dados
def _classificacoes(slug: str) -> list[dict[str, Any]]:
    orgao, unidade = DOT[slug][:2], DOT[slug][2:4]
    programa, acao = DOT[slug][12:16], DOT[slug][17:21]
    fonte = "1800" if slug == "rpps" else "1500"
    return [
        {"cadastro": "orgao", "entidade": slug, "codigo": orgao, "nome": f"Órgão {slug}"},
        {"cadastro": "unidade", "entidade": slug, "orgao": orgao, "codigo": unidade,
         "nome": f"Unidade {slug}"},
        {"cadastro": "programa", "entidade": slug, "codigo": programa, "nome": f"Programa {slug}"},
        {"cadastro": "acao", "entidade": slug, "codigo": acao, "nome": f"Ação {slug}"},
        {"cadastro": "fonte", "entidade": slug, "codigo": fonte, "nome": f"Fonte {fonte}"},
    ]  # fmt: skip


def _loa() -> list[dict[str, Any]]:
    """A LOA do município, que a Prefeitura elabora (docs/eventos.md)."""
    lo = "2026-01-02"
    return [
        {"tipo": "previsao_receita", "id": "R-IPTU", "entidade": "prefeitura", "data": lo,
         "natureza_receita": "11125001", "fonte": "1500", "valor": "600000.00"},
        {"tipo": "dotacao_inicial", "id": "D-SERV", "entidade": "prefeitura", "data": lo,
         "dotacao": DOT["prefeitura"], "fonte": "1500", "valor": "300000.00"},
        {"tipo": "dotacao_inicial", "id": "DC-SERV", "entidade": "camara", "data": lo,
         "dotacao": DOT["camara"], "fonte": "1500", "valor": "100000.00"},
        {"tipo": "previsao_receita", "id": "RR-CONTRIB", "entidade": "rpps", "data": lo,
         "natureza_receita": "12150111", "fonte": "1800", "valor": "200000.00"},
        {"tipo": "dotacao_inicial", "id": "DR-APOS", "entidade": "rpps", "data": lo,
         "dotacao": DOT["rpps"], "fonte": "1800", "valor": "120000.00"},
    ]  # fmt: skip


def _despesa(slug: str, m: int, valor: str, vpd: str, passivo: str, credor: str) -> list[Any]:
    d = f"2026-{m:02d}-"
    conta = BANCO_RPPS if slug == "rpps" else BANCO
    fonte = "1800" if slug == "rpps" else "1500"
    return [
        {"tipo": "empenho", "id": f"E{m}", "entidade": slug, "data": d + "15",
         "dotacao": DOT[slug], "fonte": fonte, "credor": credor, "valor": valor},
        {"tipo": "liquidacao", "id": f"L{m}", "entidade": slug, "data": d + "20", "empenho": f"E{m}",
         "valor": valor, "conta_vpd": vpd, "conta_passivo": passivo, "documento": f"NF {m}"},
        {"tipo": "pagamento", "id": f"P{m}", "entidade": slug, "data": d + "25",
         "liquidacao": f"L{m}", "valor": valor, "conta_banco": conta, "domicilio": DOM[slug]},
    ]  # fmt: skip


def _execucao(slug: str) -> list[dict[str, Any]]:
    """Eventos do ano de cada entidade, na instalação dela."""
    evs: list[dict[str, Any]] = []
    for m in MESES:
        d = f"2026-{m:02d}-"
        if slug == "prefeitura":
            evs.append(
                {"tipo": "arrecadacao", "id": f"IPTU{m}", "entidade": slug, "data": d + "05",
                 "natureza_receita": "11125001", "fonte": "1500", "valor": f"{50000 + 1000 * m}.00",
                 "conta_vpa": "4.1.1.2.1.02.00", "conta_banco": BANCO, "domicilio": DOM[slug]}
            )  # fmt: skip
            evs.append(
                {"tipo": "transferencia_financeira", "id": f"DUOD{m}", "entidade": slug,
                 "data": d + "12", "fonte": "1500", "valor": DUODECIMO,
                 "entidade_destino": "camara", "conta_banco": BANCO, "domicilio": DOM[slug],
                 "conta_banco_destino": BANCO, "domicilio_destino": DOM["camara"]}
            )  # fmt: skip
            evs += _despesa(slug, m, f"{20000 + 111 * m}.37", "3.3.2.3.1.99.00",
                            "2.1.3.1.1.01.01", FORNECEDOR)  # fmt: skip
        elif slug == "camara":
            evs += _despesa(slug, m, f"{7000 + 10 * m}.55", "3.3.2.3.1.99.00",
                            "2.1.3.1.1.01.01", FORNECEDOR)  # fmt: skip
        else:
            evs.append(
                {"tipo": "arrecadacao", "id": f"CONTRIB{m}", "entidade": slug, "data": d + "05",
                 "natureza_receita": "12150111", "fonte": "1800", "valor": f"{15000 + 100 * m}.10",
                 "conta_vpa": "4.2.1.1.1.02.00", "conta_banco": BANCO_RPPS, "domicilio": DOM[slug]}
            )  # fmt: skip
            evs += _despesa(slug, m, f"{9000 + 5 * m}.25", "3.2.1.1.1.00.00",
                            "2.1.1.2.1.00.00", APOSENTADO)  # fmt: skip
    return evs


def _saldos(slug: str) -> list[str]:
    valor = {"prefeitura": "800000.00", "camara": "5000.00", "rpps": "2000000.00"}[slug]
    conta = BANCO_RPPS if slug == "rpps" else BANCO
    fonte = "1800" if slug == "rpps" else "1500"
    controle = VINCULADOS if slug == "rpps" else ORDINARIOS
    return [
        "entidade;conta;conta_corrente;valor;dc",
        f"{slug};{conta};{_cc(slug)};{valor};D",
        f"{slug};{RESULTADO};;{valor};C",
        f"{slug};{controle};FR={fonte};{valor};D",
        f"{slug};{DDR_A_UTILIZAR};FR={fonte};{valor};C",
    ]


def _duodecimo_recebido() -> list[str]:
    """A Câmara escritura o duodécimo recebido na instalação dela (lançamento direto)."""
    linhas = ["entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente"]
    for m in MESES:
        base = f"camara;DUOD{m};2026-{m:02d}-12;ordinario;Duodécimo recebido da Prefeitura"
        linhas += [
            f"{base};{BANCO};D;{DUODECIMO};{_cc('camara')}",
            f"{base};{RECEBIDO};C;{DUODECIMO};",
            f"{base};{ORDINARIOS};D;{DUODECIMO};FR=1500",
            f"{base};{DDR_A_UTILIZAR};C;{DUODECIMO};FR=1500",
        ]
    return linhas


# ----------------------------------------------------------------- o fluxo
def _servidor_cadastrado(url_banco: str) -> None:
    """Administrador do servidor: as três entidades e um usuário de cada (docs, Preparação)."""
    for slug, e in ENTIDADES.items():
        r = runner.invoke(app, ["servidor", "entidade", e.cnpj, slug, e.nome, "--tipo",
                                str(e.tipo), "--ibge", IBGE, "--url", url_banco])  # fmt: skip
        assert r.exit_code == 0, r.output
        r = runner.invoke(app, ["servidor", "usuario", EMAILS[slug], "--entidade", e.cnpj,
                                "--senha", SENHA, "--url", url_banco])  # fmt: skip
        assert r.exit_code == 0, r.output


def _criar_entidade(db: str, slug: str, *extra: str) -> str:
    e = ENTIDADES[slug]
    return ok(db, slug, "entidade", "criar", "--slug", slug, "--nome", e.nome, "--cnpj", e.cnpj,
       "--tipo", str(e.tipo), "--ibge", IBGE, "--poder-orgao", e.poder_orgao, *extra)  # fmt: skip


def _fechar(db: str, slug: str, meses: tuple[int, ...] = MESES) -> None:
    for m in meses:
        ok(db, slug, "exercicio", "fechar", slug, f"2026-{m:02d}")


def _prefeitura(db: str, pasta: Path) -> None:
    p = "prefeitura"
    ok(db, p, "iniciar")
    _criar_entidade(db, p)
    for s in ("camara", "rpps"):
        saida = _criar_entidade(db, s, "--incorporada")
        assert "cadastrada como incorporada (balancete pelo servidor)" in saida
    ok(db, p, "exercicio", "abrir", p, "2026")
    # A incorporada não abre exercício no banco da Prefeitura.
    assert "[CON-INCORPORADA] camara é entidade incorporada" in falha(
        db, p, "exercicio", "abrir", "camara", "2026"
    )
    cadastros = [
        {"cadastro": "credor", "documento": FORNECEDOR, "nome": "Fornecedor Ltda."},
        *(c for s in ENTIDADES for c in _classificacoes(s)),
    ]
    ok(db, p, "importar", _jsonl(pasta, "pref-cadastros.jsonl", cadastros), "--tipo", "cadastros")
    saida = ok(db, p, "importar", _jsonl(pasta, "loa.jsonl", _loa()), "--tipo", "eventos")
    assert "5 evento(s) registrado(s): 2 lançamento(s)" in saida
    assert "Desses, 3 da LOA de entidades incorporadas, sem lançamento." in saida
    ok(db, p, "importar", _csv(pasta, "pref-saldos.csv", _saldos(p)), "--tipo", "saldos",
       "--ano", "2026")  # fmt: skip
    saida = ok(db, p, "importar", _jsonl(pasta, "pref-exec.jsonl", _execucao(p)), "--tipo",
               "eventos")  # fmt: skip
    assert "15 evento(s) registrado(s): 15 lançamento(s)" in saida  # duodécimo: só o dela
    _fechar(db, p)
    saida = ok(db, p, "consolidacao", "abrir-competencias", p, "--ano", "2026")
    assert "13 competência(s) de 2026 aberta(s) no servidor." in saida
    assert "Plano de contas PCASP de 2026 publicado: versão 1" in saida
    saida = ok(db, p, "consolidacao", "exportar-orcamento", p, "--ano", "2026")
    assert "Orçamento enviado: versão 1" in saida


def _incorporada(db: str, slug: str, pasta: Path) -> None:
    ok(db, slug, "iniciar")
    _criar_entidade(db, slug)
    ok(db, slug, "exercicio", "abrir", slug, "2026")
    saida = ok(db, slug, "consolidacao", "importar-orcamento", slug, "--ano", "2026")
    n = 1 if slug == "camara" else 2
    assert f"Orçamento importado: 5 cadastro(s), {n} evento(s) novo(s)." in saida
    credor = FORNECEDOR if slug == "camara" else APOSENTADO
    ok(db, slug, "importar", _jsonl(pasta, f"{slug}-credor.jsonl", [
        {"cadastro": "credor", "documento": credor, "nome": "Credor"}]), "--tipo", "cadastros")  # fmt: skip
    ok(db, slug, "importar", _csv(pasta, f"{slug}-saldos.csv", _saldos(slug)), "--tipo", "saldos",
       "--ano", "2026")  # fmt: skip
    if slug == "camara":
        ok(db, slug, "importar", _csv(pasta, "camara-duodecimo.csv", _duodecimo_recebido()))
    ok(db, slug, "importar", _jsonl(pasta, f"{slug}-exec.jsonl", _execucao(slug)), "--tipo",
       "eventos")  # fmt: skip
    _fechar(db, slug)
    saida = ok(db, slug, "consolidacao", "exportar-balancete", slug, "--mes", "2026-01",
               "--ate", "2026-03")  # fmt: skip
    assert "Balancete 03/2026 enviado: versão 1" in saida


@pytest.fixture(scope="module", params=BANCOS_SERVIDOR)
def fluxo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fluxo]:
    pasta = tmp_path_factory.mktemp("fluxo")
    with banco_servidor(request.param, pasta) as url_banco:
        _servidor_cadastrado(url_banco)
        with servidor_no_ar(Config(url=url_banco, segredo=SEGREDO)) as url:
            _URL[0] = url
            dbs = {s: f"sqlite:///{pasta / (s + '.db')}" for s in ENTIDADES}
            _prefeitura(dbs["prefeitura"], pasta)
            for slug in ("camara", "rpps"):
                _incorporada(dbs[slug], slug, pasta)
            saida = ok(dbs["prefeitura"], "prefeitura", "consolidacao", "importar-balancetes",
                       "prefeitura", "--ano", "2026")  # fmt: skip
            assert "6 balancete(s) incorporado(s); camara: 01, 02, 03; rpps: 01, 02, 03." in saida
            yield Fluxo(dbs, url, url_banco, pasta)


# ------------------------------------------------------------- conferências
Valores = dict[tuple[str, str], tuple[int, int, int, int]]


def _centavos(texto: str, natureza: str = "D") -> int:
    inteiro, frac = texto.split(".")
    v = int(inteiro) * 100 + int(frac)
    return -v if natureza == "C" else v


def _ler_csv(texto: str) -> Valores:
    """(conta, conta corrente) → (anterior, débitos, créditos, atual), com sinal."""
    saida: Valores = {}
    for r in csv.DictReader(io.StringIO(texto), delimiter=";"):
        saida[(r["conta"], r["conta_corrente"])] = (
            _centavos(r["saldo_anterior"], r["natureza_anterior"]),
            _centavos(r["debitos"]),
            _centavos(r["creditos"]),
            _centavos(r["saldo_atual"], r["natureza_atual"]),
        )
    return saida


def _balancete(db: str, slug: str, *args: str) -> Valores:
    r = _rodar(db, slug, *args, "--de", "2026-01", "--ate", "2026-03", "--conta-corrente",
               "--formato", "csv")  # fmt: skip
    assert r.exit_code == 0, r.output
    return _ler_csv(r.stdout)


def _somar(partes: list[Valores]) -> Valores:
    soma: dict[tuple[str, str], list[int]] = {}
    for p in partes:
        for chave, valores in p.items():
            total = soma.setdefault(chave, [0, 0, 0, 0])
            for i, v in enumerate(valores):
                total[i] += v
    return {k: (v[0], v[1], v[2], v[3]) for k, v in soma.items() if any(v)}


def test_consolidado_e_a_soma_dos_tres_balancetes_individuais(fluxo: Fluxo) -> None:
    individuais = [_balancete(fluxo.dbs[s], s, "balancete", s) for s in ENTIDADES]
    pref = fluxo.dbs["prefeitura"]
    consolidado = _balancete(pref, "prefeitura", "consolidacao", "balancete", "prefeitura",
                             "--incorporados")  # fmt: skip
    assert consolidado == _somar(individuais)  # conta a conta, também as sintéticas
    assert consolidado != individuais[0]  # não é a Prefeitura sozinha
    # Figuras à mão: bancos da Prefeitura, da Câmara e do RPPS, e o duodécimo.
    iptu = sum(50_000_00 + 1_000_00 * m for m in MESES)
    serv_p = sum(20_000_37 + 111_00 * m for m in MESES)
    serv_c = sum(7_000_55 + 10_00 * m for m in MESES)
    contrib = sum(15_000_10 + 100_00 * m for m in MESES)
    apos = sum(9_000_25 + 5_00 * m for m in MESES)
    assert consolidado[(BANCO, _cc("prefeitura"))] == (
        800_000_00, iptu, 30_000_00 + serv_p, 800_000_00 + iptu - 30_000_00 - serv_p
    )  # fmt: skip
    assert consolidado[(BANCO, _cc("camara"))] == (
        5_000_00, 30_000_00, serv_c, 5_000_00 + 30_000_00 - serv_c
    )  # fmt: skip
    assert consolidado[(BANCO_RPPS, _cc("rpps"))] == (
        2_000_000_00, contrib, apos, 2_000_000_00 + contrib - apos
    )  # fmt: skip
    assert consolidado[(CONCEDIDO, "")] == (0, 30_000_00, 0, 30_000_00)
    assert consolidado[(RECEBIDO, "")] == (0, 0, 30_000_00, -30_000_00)
    # A LOA das três: dotações 300.000,00 + 100.000,00 + 120.000,00.
    assert consolidado[("5.2.2.1.1.01.00", "")][3] == 520_000_00


def test_eliminacao_intra_ofss_do_duodecimo_em_json(fluxo: Fluxo) -> None:
    pref = fluxo.dbs["prefeitura"]
    args = ("consolidacao", "balancete", "prefeitura", "--de", "2026-01", "--ate", "2026-03",
            "--incorporados", "--formato", "json")  # fmt: skip
    bruto = json.loads(_rodar(pref, "prefeitura", *args).stdout)
    r = _rodar(pref, "prefeitura", *args, "--eliminar-intra")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)  # JSON válido, com o relatório da eliminação dentro
    elim = doc["eliminacao"]
    assert [(ln["entidade"], ln["conta"], ln["debitos"], ln["creditos"], ln["atual"])
            for ln in elim["linhas"]] == [
        ("prefeitura", CONCEDIDO, "30000.00", "0.00", "30000.00"),
        ("camara", RECEBIDO, "0.00", "30000.00", "-30000.00"),
    ]  # fmt: skip
    assert (elim["debitos"], elim["creditos"]) == ("30000.00", "30000.00")
    assert (elim["diferenca_anterior"], elim["diferenca_atual"]) == ("0.00", "0.00")
    assert elim["reciproca"] is True and elim["problemas"] == []
    contas = {ln["conta"] for ln in doc["linhas"]}
    assert CONCEDIDO not in contas and RECEBIDO not in contas
    assert CONCEDIDO in {ln["conta"] for ln in bruto["linhas"]}
    assert _centavos(bruto["total_debitos"]) - _centavos(doc["total_debitos"]) == 30_000_00
    assert doc["entidades"] == ["prefeitura", "camara", "rpps"]


def test_por_entidade_em_xlsx_e_tabela(fluxo: Fluxo) -> None:
    from openpyxl import load_workbook

    pref = fluxo.dbs["prefeitura"]
    arq = fluxo.pasta / "por-entidade.xlsx"
    saida = ok(pref, "prefeitura", "consolidacao", "balancete", "prefeitura", "--de", "2026-01",
               "--ate", "2026-03", "--incorporados", "--eliminar-intra", "--por-entidade",
               "--formato", "xlsx", "-o", str(arq))  # fmt: skip
    assert f"Relatório gravado em {arq}." in saida
    assert "Eliminações intra-OFSS" in saida  # o relatório também aqui
    ws = load_workbook(arq).active
    linhas = list(ws.iter_rows(values_only=True))
    assert linhas[1] == ("conta", "título", "conta corrente", "prefeitura", "camara", "rpps",
                         "eliminado", "consolidado")  # fmt: skip
    repasse = next(ln for ln in linhas if ln[0] == RECEBIDO)
    assert [Decimal(str(v)) for v in repasse[3:]] == [0, Decimal("-30000.00"), 0, -30000, 0]
    saida = ok(pref, "prefeitura", "consolidacao", "balancete", "prefeitura", "--mes", "2026-02",
               "--incorporados", "--por-entidade")  # fmt: skip
    assert "Balancete consolidado por entidade" in saida and "Eliminações" not in saida


def test_reimportar_nao_baixa_e_servidor_sem_incorporada_e_erro(fluxo: Fluxo) -> None:
    pref = fluxo.dbs["prefeitura"]
    saida = ok(pref, "prefeitura", "consolidacao", "importar-balancetes", "prefeitura", "--ano",
               "2026")  # fmt: skip
    assert "0 balancete(s) incorporado(s). 6 já estava(m) na versão vigente do servidor." in saida
    # A mesma Prefeitura sem entidades incorporadas (o relato da issue 15): erro, não 0.
    db = f"sqlite:///{fluxo.pasta / 'pref-sem-incorporadas.db'}"
    ok(db, "prefeitura", "iniciar")
    _criar_entidade(db, "prefeitura")
    assert (
        f"[CON-INCORPORADA] não há entidade incorporada do município {IBGE} neste banco e o "
        "servidor tem 6 balancete(s) de 2026: cadastre a Câmara, o RPPS… com 'erario entidade "
        "criar … --incorporada'"
    ) in falha(db, "prefeitura", "consolidacao", "importar-balancetes", "prefeitura", "--ano",
               "2026")  # fmt: skip
    # Câmara cadastrada como local (com razão) e RPPS incorporado: o RPPS entra, a Câmara
    # é listada com o motivo, e a saída é 1.
    _criar_entidade(db, "camara")
    ok(db, "prefeitura", "exercicio", "abrir", "camara", "2026")
    assert "[CON-INCORPORADA] camara já tem razão neste banco (12 competência(s))" in falha(
        db, "prefeitura", "consolidacao", "incorporar", "camara"
    )
    _criar_entidade(db, "rpps")
    assert "rpps (11222333000181) é entidade incorporada" in ok(
        db, "prefeitura", "consolidacao", "incorporar", "rpps"
    )
    saida = falha(db, "prefeitura", "consolidacao", "importar-balancetes", "prefeitura",
                  "--ano", "2026")  # fmt: skip
    assert "3 balancete(s) incorporado(s); rpps: 01, 02, 03." in saida
    assert (
        f"[CON-NAO-INCORPORADA] camara ({CAM.cnpj}) tem balancetes no servidor, mas é a "
        "entidade local camara, escriturada neste banco"
    ) in saida
    # E o consolidado não esconde a falta: sem os meses do RPPS, recusa.
    saida = falha(db, "prefeitura", "consolidacao", "balancete", "prefeitura", "--mes",
                  "2026-04", "--incorporados")  # fmt: skip
    assert "[CON-MES-FALTANTE] faltam os balancetes de 04" in saida


def test_balancete_guardado_de_outro_cnpj_com_o_mesmo_slug_nao_some(fluxo: Fluxo) -> None:
    """Antes, os incorporados eram agrupados pelo slug: um segundo ``camara`` do
    município (outro CNPJ) sumia calado. Agora conta o CNPJ, e o que não é de uma
    entidade incorporada aqui é recusado com o motivo."""
    import sqlite3
    from contextlib import closing

    origem = Path(fluxo.dbs["prefeitura"].removeprefix("sqlite:///"))
    copia = fluxo.pasta / "pref-outro-cnpj.db"
    with closing(sqlite3.connect(origem)) as de, closing(sqlite3.connect(copia)) as para:
        de.backup(para)  # com o que ainda está no WAL
    db = f"sqlite:///{copia}"
    engine = criar_engine(db)
    from erario.storage import esquema as t

    with engine.begin() as con:
        linha = con.execute(
            select(t.balancete_incorporado).where(t.balancete_incorporado.c.mes == 1).limit(1)
        ).first()
        assert linha is not None
        valores = dict(linha._mapping)
        valores.pop("id")
        con.execute(insert(t.balancete_incorporado).values(**{**valores, "cnpj": "44555666000181"}))
    engine.dispose()
    saida = falha(db, "prefeitura", "consolidacao", "balancete", "prefeitura", "--mes",
                  "2026-01", "--incorporados")  # fmt: skip
    assert "[CON-NAO-INCORPORADA]" in saida and "(44555666000181) tem balancetes no servidor" in (
        saida
    )


# ------------------------------------------------------- o servidor confere
def test_slug_repetido_no_municipio_e_recusado(fluxo: Fluxo) -> None:
    outro = "44555666000181"
    r = runner.invoke(app, ["servidor", "entidade", outro, "camara", "Câmara Nova", "--tipo",
                            "camara", "--ibge", IBGE, "--url", fluxo.banco_servidor])  # fmt: skip
    assert r.exit_code == 1
    assert (
        f"[CON-ENTIDADE] o slug camara já é da entidade {CAM.cnpj} no município {IBGE}"
    ) in " ".join(r.output.split())
    # O orçamento também não pode declarar outro CNPJ com o slug de uma entidade do município.
    orc = Orcamento(IBGE, 2026, (OrcamentoEntidade(outro, "camara", (), ()),))
    with (
        Cliente(fluxo.servidor, EMAILS["prefeitura"], SENHA) as c,
        pytest.raises(OperacaoRecusada) as exc,
    ):
        c.enviar_orcamento(PREF.cnpj, 2026, serializar_orcamento(orc), 1)
    assert [e.regra for e in exc.value.erros] == ["CON-ENTIDADE"]
    assert f"o slug camara já é da entidade {CAM.cnpj}" in exc.value.erros[0].mensagem


def _documento_ruim(fluxo: Fluxo, slug: str, mes: int, **trocas: Any) -> bytes:
    """O balancete vigente no servidor, com uma conta sintética e uma inexistente
    (e o que vier em ``trocas``), ainda fechado e com checksum certo."""
    with Cliente(fluxo.servidor, EMAILS[slug], SENHA) as c:
        bm, _ = ler_bytes(c.baixar_balancete(ENTIDADES[slug].cnpj, 2026, mes))
    assert bm is not None
    saldos = dict(bm.saldos)
    saldos[("3.3.2.3.1.00.00", "")] = (0, 1_00, 0)  # sintética
    saldos[("3.3.2.3.1.98.77", "")] = (0, 0, 1_00)  # não existe
    return serializar(bm._replace(saldos=saldos, **trocas))


def test_documento_ruim_e_recusado_no_envio_com_os_motivos(fluxo: Fluxo) -> None:
    cam = ENTIDADES["camara"]
    ruim = _documento_ruim(fluxo, "camara", 2)
    bm, _ = ler_bytes(ruim)
    assert bm is not None
    outro_municipio = serializar(bm._replace(entidade=bm.entidade._replace(ibge="4300001")))
    cc_ruim = json.loads(ruim)
    cc_ruim["linhas"][0]["conta_corrente"] = "fr=1500;DB=x y"
    from erario.consolidacao.formato import checksum

    cc_ruim["checksum"] = checksum(cc_ruim)
    with Cliente(fluxo.servidor, EMAILS["camara"], SENHA) as c:
        c.entrar()
        cabecalho = {"Authorization": f"Bearer {c._ficha}"}
    url = f"{fluxo.servidor}/api/v1/balancetes/{cam.cnpj}/2026/2?versao_anterior=1"
    r = httpx.put(url, content=ruim, headers=cabecalho)
    assert r.status_code == 422
    assert [(e["regra"], e["mensagem"]) for e in r.json()["erros"]] == [
        ("CON-CONTA", "conta 3.3.2.3.1.00.00 é sintética no plano PCASP"),
        ("CON-CONTA", "conta 3.3.2.3.1.98.77 não existe no plano PCASP"),
    ]
    r = httpx.put(url, content=outro_municipio, headers=cabecalho)
    assert r.status_code == 422
    assert [e["regra"] for e in r.json()["erros"]] == ["CON-ENTIDADE", "CON-CONTA", "CON-CONTA"]
    assert (
        "traz o município 4300001, mas a entidade é do município"
        in r.json()["erros"][0]["mensagem"]
    )
    r = httpx.put(url, content=json.dumps(cc_ruim).encode(), headers=cabecalho)
    assert r.status_code == 422
    assert r.json()["erros"][0]["regra"] == "CON-CONTA-CORRENTE"
    with Cliente(fluxo.servidor, EMAILS["camara"], SENHA) as c:  # nada mudou no servidor
        assert [h["versao"] for h in c.historico(cam.cnpj, 2026, 2)] == [1]
    # Competências abertas sem o plano (pelo cliente, não por abrir-competencias): o
    # servidor não tem com que conferir e recusa, dizendo o que fazer.
    with Cliente(fluxo.servidor, EMAILS["prefeitura"], SENHA) as c:
        c.abrir_competencias(IBGE, 2027)
    with (
        Cliente(fluxo.servidor, EMAILS["camara"], SENHA) as c,
        pytest.raises(OperacaoRecusada) as exc,
    ):
        c.enviar_balancete(cam.cnpj, 2027, 2, serializar(bm._replace(ano=2027)), 0)
    assert exc.value.erros[0].regra == "CON-PLANO"
    assert "ainda não publicou o plano de contas de 2027" in exc.value.erros[0].mensagem


def test_importar_balancetes_com_um_mes_ruim_no_meio(fluxo: Fluxo) -> None:
    """Abril a junho da Câmara e do RPPS; o servidor guarda para maio da Câmara um
    documento que não confere (gravado por um servidor de antes da conferência no
    envio, direto no banco). A Prefeitura incorpora os outros cinco, lista maio da
    Câmara com os motivos e sai com 1."""
    pref = fluxo.dbs["prefeitura"]
    for slug in ("camara", "rpps"):
        _fechar(fluxo.dbs[slug], slug, (4, 5, 6))
        ok(fluxo.dbs[slug], slug, "consolidacao", "exportar-balancete", slug, "--mes", "2026-04",
           "--ate", "2026-06")  # fmt: skip
    ruim = _documento_ruim(fluxo, "camara", 5)
    engine = criar_engine(fluxo.banco_servidor)
    with engine.begin() as con:
        e = te.envio.c
        atual = con.execute(
            select(te.envio)
            .join(te.entidade, te.entidade.c.id == e.entidade_id)
            .where((e.mes == 5) & (e.tipo == "balancete") & (te.entidade.c.slug == "camara"))
            .order_by(e.versao.desc())
        ).first()
        assert atual is not None
        valores = dict(atual._mapping)
        valores.pop("id")
        soma = json.loads(ruim)["checksum"]
        con.execute(insert(te.envio).values(
            **{**valores, "versao": atual.versao + 1, "dados": ruim, "checksum": soma,
               "tamanho": len(ruim), "recebido_em": dt.datetime.now(dt.UTC)}
        ))  # fmt: skip
    engine.dispose()
    saida = falha(pref, "prefeitura", "consolidacao", "importar-balancetes", "prefeitura",
                  "--ano", "2026")  # fmt: skip
    assert "5 balancete(s) incorporado(s); camara: 04, 06; rpps: 04, 05, 06." in saida
    assert "Sem balancete de 2026 no servidor" not in saida
    assert "Balancetes não incorporados (2 problema(s)); os demais entraram:" in saida
    assert "camara 05/2026: [CON-CONTA] conta 3.3.2.3.1.00.00 é sintética no plano PCASP" in saida
    assert "camara 05/2026: [CON-CONTA] conta 3.3.2.3.1.98.77 não existe no plano PCASP" in saida
    # Os bons entraram: abril sozinho consolida; abril a junho, não (falta maio).
    ok(pref, "prefeitura", "consolidacao", "balancete", "prefeitura", "--mes", "2026-04",
       "--incorporados")  # fmt: skip
    saida = falha(pref, "prefeitura", "consolidacao", "balancete", "prefeitura", "--de",
                  "2026-04", "--ate", "2026-06", "--incorporados")  # fmt: skip
    assert "[CON-MES-FALTANTE] faltam os balancetes de 05" in saida


# --------------------------------------------------- banco único, sem servidor
def test_eliminacao_nao_reciproca_e_relatada_em_todo_formato(tmp_path: Path) -> None:
    """Banco único (Prefeitura e Câmara locais): a Prefeitura registra 100,00 de
    repasse concedido e a Câmara 90,00 de recebido. Eliminados os dois, o
    consolidado não fecha (saída 1), e o relatório das eliminações sai mesmo
    assim — antes, só com ``--por-entidade`` —: na tabela, no terminal de erros
    com o CSV na saída padrão, e dentro do JSON."""
    db = f"sqlite:///{tmp_path / 'unico.db'}"
    p = "prefeitura"
    ok(db, p, "iniciar")
    for s in ("prefeitura", "camara"):
        _criar_entidade(db, s)
        ok(db, p, "exercicio", "abrir", s, "2026")
    base = "2026-01-12;ordinario;Duodécimo"
    ok(db, p, "importar", _csv(tmp_path, "repasse.csv", [
        "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente",
        f"prefeitura;R1;{base};{CONCEDIDO};D;100.00;",
        f"prefeitura;R1;{base};{BANCO};C;100.00;{_cc('prefeitura')}",
        f"camara;R1;{base};{BANCO};D;90.00;{_cc('camara')}",
        f"camara;R1;{base};{RECEBIDO};C;90.00;",
    ]))  # fmt: skip
    args = ("consolidacao", "balancete", "prefeitura", "camara", "--mes", "2026-01",
            "--eliminar-intra")  # fmt: skip
    r = _rodar(db, p, *args)
    assert r.exit_code == 1
    saida = " ".join(r.output.split())
    assert "Eliminações intra-OFSS" in saida and "O balancete não fecha" in saida
    assert (
        "[CON-ELIMINACAO] movimentos intra-OFSS não recíprocos: débitos eliminados 100,00, "
        "créditos eliminados 90,00"
    ) in saida
    r = _rodar(db, p, *args, "--formato", "csv")
    assert r.exit_code == 1
    assert r.stdout.startswith("conta;titulo;conta_corrente;")  # CSV limpo na saída padrão
    assert "Eliminações intra-OFSS" not in r.stdout and "Eliminações intra-OFSS" in r.stderr
    r = _rodar(db, p, *args, "--formato", "json")
    assert r.exit_code == 1
    elim = json.loads(r.stdout)["eliminacao"]
    assert elim["reciproca"] is False
    assert (elim["debitos"], elim["creditos"], elim["diferenca_atual"]) == (
        "100.00", "90.00", "10.00"
    )  # fmt: skip
    assert len(elim["problemas"]) == 2
