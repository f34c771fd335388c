"""Teste com dados reais: o balancete de Nova Candelária (RS), jan–abr/2022, no
leiaute do TCE-RS (``shared/reference-data``).

Importa o plano do próprio arquivo, lança os saldos anteriores como abertura e
os movimentos do quadrimestre como um lançamento por entidade, e confere que o
balancete do erario reproduz, conta por conta (analíticas e sintéticas), o saldo
anterior, os débitos, os créditos e o saldo atual publicados.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from erario.core.dinheiro import Dinheiro
from erario.core.erros import OperacaoRecusada
from erario.razao.modelo import Entidade, Lancamento, Partida, TipoEntidade, TipoLancamento
from erario.razao.plano import ler_plano_tce_rs
from erario.storage.repositorio import Repositorio
from tests.conftest import REFERENCIA

ARQUIVO = REFERENCIA / "balancete-prefeitura-rs-2022-01a04.csv"
pytestmark = pytest.mark.skipif(not ARQUIVO.exists(), reason="dados de referência ausentes")

ENTIDADES = {
    "01602258000120": ("prefeitura", TipoEntidade.PREFEITURA, "10131"),
    "29363995000137": ("camara", TipoEntidade.CAMARA, "20231"),
}


def _valor(texto: str) -> Decimal:
    """``1.234,56`` → ``Decimal('1234.56')`` (formato do arquivo)."""
    return Decimal(texto.replace(".", "").replace(",", "."))


def _centavos(texto: str) -> int:
    return Dinheiro(_valor(texto)).centavos


@pytest.fixture(scope="module")
def linhas() -> list[dict[str, str]]:
    with ARQUIVO.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_plano_extraido_do_balancete(linhas: list[dict[str, str]]) -> None:
    plano, erros = ler_plano_tce_rs(ARQUIVO.read_text(encoding="utf-8"), "TCE-RS")
    assert erros == [] and plano is not None
    assert len(plano.contas) == 1365 == len({r["conta_contabil"] for r in linhas})
    assert plano.mascara.niveis == 12
    analiticas = {r["conta_contabil"] for r in linhas if r["tipo_nivel"] == "A"}
    assert {c.codigo for c in plano.contas.values() if c.analitica} == analiticas
    caixa = plano.contas["1.1.1.1.1.50.01.03.00.00.00.000"]
    assert caixa.nivel == 8 and caixa.superavit == "F" and caixa.conta_corrente == ("FR",)
    assert caixa.pai == "1.1.1.1.1.50.01.00.00.00.00.000"


def test_balancete_reproduz_o_publicado(engine, linhas: list[dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    repo = Repositorio(engine)
    plano, _ = ler_plano_tce_rs(ARQUIVO.read_text(encoding="utf-8"), "TCE-RS")
    assert plano is not None
    repo.gravar_plano(plano)
    for cnpj, (slug, tipo, poder) in ENTIDADES.items():
        nome = next(r["entidade"] for r in linhas if r["cnpj"] == cnpj)
        repo.criar_entidade(Entidade(slug, nome, cnpj, tipo, "4312658", poder, "TCE-RS"))
        repo.abrir_exercicio(slug, 2022)

    # Abertura = saldos anteriores das analíticas; quadrimestre = movimentos.
    abertura: dict[str, list[Partida]] = defaultdict(list)
    movimento: dict[str, list[Partida]] = defaultdict(list)
    for r in linhas:
        if r["tipo_nivel"] != "A":
            continue
        slug = ENTIDADES[r["cnpj"]][0]
        conta = plano.contas[r["conta_contabil"]]
        cc = f"FR={r['recurso_vinculado']}" if conta.conta_corrente else ""
        for destino, campo, dc in (
            (abertura, "saldo_anterior_debito", "D"),
            (abertura, "saldo_anterior_credito", "C"),
            (movimento, "movimentacao_debito", "D"),
            (movimento, "movimentacao_credito", "C"),
        ):
            centavos = _centavos(r[campo])
            if centavos:
                destino[slug].append(Partida(conta.codigo, dc, centavos, cc))
    lancs = [
        Lancamento(
            s, dt.date(2022, 1, 1), "Saldos anteriores", tuple(p), tipo=TipoLancamento.ABERTURA
        )
        for s, p in abertura.items()
    ] + [
        Lancamento(s, dt.date(2022, 4, 30), "Movimento jan-abr/2022", tuple(p))
        for s, p in movimento.items()
    ]
    repo.lancar_lote(lancs)

    for cnpj, (slug, _, _) in ENTIDADES.items():
        publicado: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for r in linhas:
            if r["cnpj"] != cnpj:
                continue
            t = publicado[r["conta_contabil"]]
            t[0] += _centavos(r["saldo_anterior_debito"]) - _centavos(r["saldo_anterior_credito"])
            t[1] += _centavos(r["movimentacao_debito"])
            t[2] += _centavos(r["movimentacao_credito"])
            t[3] += _centavos(r["saldo_atual_debito"]) - _centavos(r["saldo_atual_credito"])
        b = repo.balancete([slug], 2022, 1, 4)
        nosso = {ln.codigo: [ln.anterior, ln.debitos, ln.creditos, ln.atual] for ln in b.linhas}
        diferentes = {
            c: (publicado[c], nosso.get(c))
            for c in publicado
            if publicado[c] != nosso.get(c, [0, 0, 0, 0])
        }
        assert diferentes == {}, f"{slug}: {len(diferentes)} contas diferem"
        assert set(nosso) <= set(publicado)
    # Um número conferido à mão no arquivo: ATIVO da Prefeitura, saldo atual 88.403.858,61 D
    ativo = next(
        ln
        for ln in repo.balancete(["prefeitura"], 2022, 1, 4).linhas
        if ln.codigo.startswith("1.0.0")
    )
    assert ativo.atual == 8_840_385_861
    assert repo.verificar() == []


def test_encerramento_no_plano_de_12_niveis_divide_o_resultado_pelo_5o_nivel(
    engine,  # type: ignore[no-untyped-def]
    linhas: list[dict[str, str]],
) -> None:
    """O plano real do TCE-RS estende o PCASP até 12 níveis: o encerramento acha as
    contas pelo código de 7 níveis como prefixo. O resultado de cada 5º nível da
    VPA/VPD (1 consolidação, 2 intra OFSS, 3–5 inter OFSS) vai para a sua
    2.3.7.1.x.01 — não tudo para 2.3.7.1.1.01 — e a abertura do ano seguinte o leva
    a 2.3.7.1.x.02. Os totais esperados são somados do próprio arquivo."""
    repo = Repositorio(engine)
    test_balancete_reproduz_o_publicado(engine, linhas)
    repo.abrir_exercicio("prefeitura", 2023)
    esperado: dict[str, int] = defaultdict(int)  # 5º nível → resultado (+ devedor)
    for r in linhas:
        conta = r["conta_contabil"]
        if r["tipo_nivel"] == "A" and r["cnpj"] == "01602258000120" and conta[0] in "34":
            saldo = _centavos(r["saldo_atual_debito"]) - _centavos(r["saldo_atual_credito"])
            esperado[conta.split(".")[4]] += saldo
    assert len([n for n, v in esperado.items() if v]) >= 3  # consolidação, intra e inter
    from erario.execucao.carga import ler_eventos_jsonl

    itens, erros = ler_eventos_jsonl(
        ['{"tipo": "encerramento_exercicio", "id": "ENC2022", "entidade": "prefeitura",'
         ' "data": "2022-12-31"}'],
        "encerramento.jsonl",
    )  # fmt: skip
    assert erros == []
    # O plano extraído do balancete só tem as contas que aparecem nele: faltam as que
    # recebem os saldos na abertura (5.3.x.2, 8.2.1.1.1.02 de cada fonte). O
    # encerramento é recusado com a lista delas, e nada muda.
    with pytest.raises(OperacaoRecusada) as exc:
        repo.registrar_eventos(itens, "encerramento.jsonl")
    faltam = [e.mensagem.split()[8].rstrip(",") for e in exc.value.erros]
    assert exc.value.erros[0].mensagem == (
        "falta no plano de contas a conta analítica 5.3.1.2.0.00.00.00.00.00.00.000, que "
        "recebe na abertura do exercício seguinte o saldo de 5.3.1.1.0.00.00.00.00.00.00.000: "
        "inclua-a no plano"
    )
    assert "8.2.1.1.1.02.00.20.00.00.00.000" in faltam
    assert repo.controle().encerrados == set()
    # Incluídas (como no plano completo do TCE-RS, com o mesmo detalhamento da
    # origem), o encerramento passa.
    plano = repo.plano("TCE-RS")
    novas = {}
    for codigo in faltam:
        irma = plano.contas[codigo.replace(".1.02.", ".1.01.").replace("5.3.1.2", "5.3.1.1")
                            .replace("5.3.2.2", "5.3.2.1")]  # fmt: skip
        for anc in plano.mascara.ancestrais(codigo):
            if anc not in plano.contas and anc not in faltam:
                novas[anc] = irma._replace(codigo=anc, analitica=False, nivel=0, pai=None)
        novas[codigo] = irma._replace(codigo=codigo)
    repo.gravar_plano(plano._replace(contas={**plano.contas, **novas}))
    repo.registrar_eventos(itens, "encerramento.jsonl")
    apuracao = repo.lancamento("prefeitura", "EVENC2022.4")
    resultado = {
        p.conta.split(".")[4]: (p.centavos if p.dc == "D" else -p.centavos)
        for p in apuracao.partidas
        if p.conta.startswith("2.3.7.1.")
    }
    assert resultado == {n: v for n, v in esperado.items() if v}
    assert all(p.conta.endswith(".01.00.00.00.00.00.000") for p in apuracao.partidas
               if p.conta.startswith("2.3.7.1."))  # fmt: skip
    # Na abertura de 2023, cada resultado está no seu 2.3.7.1.x.02 (somado ao que já
    # havia de exercícios anteriores), e nada das classes 3 e 4.
    abertura = repo.saldos_execucao("prefeitura", ("2.3.7.", "3.", "4."), 2023, ate_periodo=0)
    finais = repo.saldos_execucao("prefeitura", ("2.3.7.",), 2022)
    for n in "12345":
        codigo = f"2.3.7.1.{n}.02.00.00.00.00.00.000"
        antes = sum(
            v
            for (c, _), v in finais.items()
            if c.startswith(f"2.3.7.1.{n}.") and c.split(".")[5] in ("01", "02")
        )
        assert sum(v for (c, _), v in abertura.items() if c == codigo) == antes, n
    assert not [c for (c, _), v in abertura.items() if v and c[0] in "34"]
    assert repo.verificar() == []
