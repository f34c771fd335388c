"""Linha de comando de ponta a ponta (SQLite num diretório temporário)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from erario.cli import app as modulo_cli
from erario.cli.app import app
from tests.apoio_eventos import jsonl
from tests.conftest import CNPJ_CAMARA, CNPJ_PREFEITURA, PLANO_TESTE

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("tela_larga")  # tabelas Rich sem quebra de linha

LANCAMENTOS = """\
entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente
prefeitura;A1;2026-01-01;abertura;Saldos iniciais;1.1.1.1.1.01;D;1000.00;FR=1500
prefeitura;A1;2026-01-01;abertura;Saldos iniciais;2.3.7;C;1000.00;
prefeitura;L1;2026-01-15;;Serviço de limpeza;3.3;D;250.50;
prefeitura;L1;2026-01-15;;Serviço de limpeza;2.1.3;C;250.50;FR=1500|CR=01602258000120
prefeitura;L2;2026-02-10;;Pagamento parcial;2.1.3;D;100.25;FR=1500|CR=01602258000120
prefeitura;L2;2026-02-10;;Pagamento parcial;1.1.1.1.1.01;C;100.25;FR=1500
camara;C1;2026-02-03;;Arrecadação;1.1.1.1.1.01;D;40.00;FR=1500
camara;C1;2026-02-03;;Arrecadação;4.1;C;40.00;
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    plano = tmp_path / "plano.csv"
    plano.write_text(PLANO_TESTE, encoding="utf-8")
    _ok(url, "plano", "importar", str(plano))
    for slug, nome, cnpj, tipo, poder in (
        ("prefeitura", "Prefeitura de Teste", CNPJ_PREFEITURA, "prefeitura", "10131"),
        ("camara", "Câmara de Teste", CNPJ_CAMARA, "camara", "20231"),
    ):
        _ok(
            url,
            "entidade",
            "criar",
            f"--slug={slug}",
            f"--nome={nome}",
            f"--cnpj={cnpj}",
            f"--tipo={tipo}",
            "--ibge=4312658",
            f"--poder-orgao={poder}",
        )
        _ok(url, "exercicio", "abrir", slug, "2026")
    return url


def _rodar(url: str, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["--db", url, *args])
    return r.exit_code, r.output


def _ok(url: str, *args: str) -> str:
    codigo, saida = _rodar(url, *args)
    assert codigo == 0, saida
    return saida


def _iniciar_prefeitura(url: str) -> None:
    """Banco novo com o PCASP (``iniciar``), a prefeitura e o exercício 2026 aberto."""
    _ok(url, "iniciar")
    _ok(
        url,
        "entidade",
        "criar",
        "--slug=prefeitura",
        "--nome=Prefeitura",
        f"--cnpj={CNPJ_PREFEITURA}",
        "--tipo=prefeitura",
        "--ibge=4312658",
        "--poder-orgao=10131",
    )
    _ok(url, "exercicio", "abrir", "prefeitura", "2026")


def _importar(db: str, tmp_path: Path, texto: str = LANCAMENTOS) -> str:
    arq = tmp_path / "lanc.csv"
    arq.write_text(texto, encoding="utf-8")
    return _ok(db, "importar", str(arq))


def test_plano_importado_e_exportado_ida_e_volta(db: str, tmp_path: Path) -> None:
    saida = tmp_path / "exportado.csv"
    _ok(db, "plano", "exportar", "-o", str(saida))
    linhas = saida.read_text(encoding="utf-8").splitlines()
    assert len(linhas) == 1 + 28  # cabeçalho + 28 contas do plano de teste
    assert linhas[7] == "1.1.1.1.1.06.00;BANCOS CONTA MOVIMENTO;Devedora;F;P;S;FR,DB;"


def test_importar_e_balancete_csv(db: str, tmp_path: Path) -> None:
    assert "4 lançamento(s), 8 partida(s) importado(s)" in _importar(db, tmp_path)
    csv = _ok(db, "balancete", "prefeitura", "--mes", "2026-02", "--formato", "csv")
    linhas = {ln.split(";")[0]: ln.split(";") for ln in csv.splitlines()[1:]}
    # Caixa: abertura 1.000,00 D; janeiro sem movimento; fevereiro crédito 100,25 → 899,75 D
    caixa = linhas["1.1.1.1.1.01.00"]
    assert caixa[6:12] == ["1000.00", "D", "0.00", "100.25", "899.75", "D"]
    # Fornecedores: 250,50 C em janeiro; fevereiro débito 100,25 → 150,25 C
    assert linhas["2.1.3.0.0.00.00"][6:12] == ["250.50", "C", "100.25", "0.00", "150.25", "C"]
    # Sintética Ativo = Caixa
    assert linhas["1.0.0.0.0.00.00"][6:12] == ["1000.00", "D", "0.00", "100.25", "899.75", "D"]


def test_balancete_consolidado_json(db: str, tmp_path: Path) -> None:
    _importar(db, tmp_path)
    doc = json.loads(
        _ok(
            db,
            "balancete",
            "prefeitura",
            "camara",
            "--de",
            "2026-01",
            "--ate",
            "2026-02",
            "--formato",
            "json",
        )
    )
    por_conta = {ln["conta"]: ln for ln in doc["linhas"] if not ln["conta_corrente"]}
    # Caixa consolidado: 1.000,00 (prefeitura, abertura) + 40,00 − 100,25 = 939,75 D
    assert por_conta["1.1.1.1.1.01.00"]["saldo_anterior"] == "1000.00"
    assert por_conta["1.1.1.1.1.01.00"]["debitos"] == "40.00"
    assert por_conta["1.1.1.1.1.01.00"]["creditos"] == "100.25"
    assert por_conta["1.1.1.1.1.01.00"]["saldo_atual"] == "939.75"
    # Movimento do intervalo: 250,50 + 100,25 + 40,00 = 390,75 de cada lado
    assert doc["total_debitos"] == doc["total_creditos"] == "390.75"


def test_balancete_xlsx_e_pdf(db: str, tmp_path: Path) -> None:
    _importar(db, tmp_path)
    xlsx, pdf = tmp_path / "b.xlsx", tmp_path / "b.pdf"
    _ok(db, "balancete", "prefeitura", "--mes", "2026-01", "--formato", "xlsx", "-o", str(xlsx))
    _ok(db, "balancete", "prefeitura", "--mes", "2026-01", "--formato", "pdf", "-o", str(pdf))
    assert xlsx.read_bytes()[:2] == b"PK"
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_importacao_com_erros_nao_grava_nada(db: str, tmp_path: Path) -> None:
    ruim = (
        LANCAMENTOS
        + "prefeitura;L9;2026-03-01;;Ruim;3.3;D;10.005;\nprefeitura;L9;2026-03-01;;Ruim;9.9;C;10.00;\n"
    )
    arq = tmp_path / "ruim.csv"
    arq.write_text(ruim, encoding="utf-8")
    codigo, saida = _rodar(db, "importar", str(arq))
    assert codigo == 1
    assert (
        "ruim.csv, linha 10, campo valor: [CARGA-VALOR] valor '10.005' tem mais de duas casas decimais"
        in saida
    )
    # nada gravado: o balancete do ano está vazio
    doc = json.loads(
        _ok(
            db,
            "balancete",
            "prefeitura",
            "--de",
            "2026-00",
            "--ate",
            "2026-13",
            "--formato",
            "json",
        )
    )
    assert doc["linhas"] == []


def test_validar_nao_grava(db: str, tmp_path: Path) -> None:
    arq = tmp_path / "l.csv"
    arq.write_text(LANCAMENTOS, encoding="utf-8")
    assert "válido(s); nada gravado" in _ok(db, "importar", str(arq), "--validar")
    doc = json.loads(_ok(db, "balancete", "prefeitura", "--mes", "2026-01", "--formato", "json"))
    assert doc["linhas"] == []


def test_competencia_fechada_recusa_e_reabertura_auditada(db: str, tmp_path: Path) -> None:
    _ok(db, "exercicio", "fechar", "prefeitura", "2026-02")
    arq = tmp_path / "l.csv"
    arq.write_text(LANCAMENTOS, encoding="utf-8")
    codigo, saida = _rodar(db, "importar", str(arq))
    assert codigo == 1
    assert "competência 02/2026 está fechada" in saida
    codigo, _ = _rodar(db, "exercicio", "reabrir", "prefeitura", "2026-02")
    assert codigo != 0  # --motivo é obrigatório
    _ok(db, "exercicio", "reabrir", "prefeitura", "2026-02", "--motivo", "ajuste")
    auditoria = _ok(db, "exercicio", "auditoria", "prefeitura")
    assert (
        "fechar_competencia" in auditoria
        and "reabrir_competencia" in auditoria
        and "02/2026: ajuste" in auditoria
    )
    _importar(db, tmp_path)


def test_estorno_e_verificar(db: str, tmp_path: Path) -> None:
    _importar(db, tmp_path)
    saida = _ok(db, "lancamento", "estornar", "prefeitura", "L2", "--data", "2026-02-20")
    assert "estorno de L2" in saida
    csv = _ok(db, "balancete", "prefeitura", "--mes", "2026-02", "--formato", "csv")
    caixa = next(ln.split(";") for ln in csv.splitlines() if ln.startswith("1.1.1.1.1.01.00"))
    assert caixa[6:12] == ["1000.00", "D", "100.25", "100.25", "1000.00", "D"]
    codigo, saida = _rodar(db, "lancamento", "estornar", "prefeitura", "L2", "--data", "2026-02-21")
    assert codigo == 1 and "ESTORNO-DUPLO" in saida
    assert "Razão íntegro" in _ok(db, "verificar")


def test_entidade_com_cnpj_invalido(db: str) -> None:
    codigo, saida = _rodar(
        db,
        "entidade",
        "criar",
        "--slug=rpps",
        "--nome=RPPS",
        "--cnpj=01602258000121",
        "--tipo=rpps",
        "--ibge=4312658",
        "--poder-orgao=10132",
    )
    assert codigo == 1
    assert "[ENT-CNPJ] CNPJ 01602258000121 inválido (dígitos verificadores)" in saida


def test_lancamento_inexistente(db: str) -> None:
    codigo, saida = _rodar(db, "lancamento", "mostrar", "prefeitura", "NAO-EXISTE")
    assert (
        codigo == 1 and "[LANC-INEXISTENTE] lançamento NAO-EXISTE não existe em prefeitura" in saida
    )


def test_importar_eventos(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    _iniciar_prefeitura(url)
    dot = "0201.12.361.0001.2001.33903900"
    eventos = tmp_path / "eventos.jsonl"
    eventos.write_text(
        "\n".join(
            jsonl(
                {
                    "tipo": "dotacao_inicial",
                    "id": "D1",
                    "data": "2026-01-02",
                    "dotacao": dot,
                    "fonte": "1500",
                    "valor": "1000.00",
                },
                {
                    "tipo": "empenho",
                    "id": "E1",
                    "data": "2026-02-10",
                    "dotacao": dot,
                    "fonte": "1500",
                    "credor": "11222333000181",
                    "valor": "250.50",
                },
            )
        ),
        encoding="utf-8",
    )
    assert "2 evento(s) registrado(s): 2 lançamento(s), 6 partida(s)." in _ok(
        url, "importar", str(eventos), "--tipo", "eventos"
    )
    csv = _ok(url, "balancete", "prefeitura", "--mes", "2026-02", "--formato", "csv")
    linhas = {ln.split(";")[0]: ln.split(";") for ln in csv.splitlines()[1:]}
    # crédito disponível: 1.000,00 fixados − 250,50 empenhados = 749,50 C
    assert linhas["6.2.2.1.1.00.00"][6:12] == ["1000.00", "C", "250.50", "0.00", "749.50", "C"]
    ruim = tmp_path / "ruim.jsonl"
    ruim.write_text(
        json.dumps(
            {
                "tipo": "empenho",
                "id": "E2",
                "entidade": "prefeitura",
                "data": "2026-02-11",
                "dotacao": dot,
                "fonte": "1500",
                "credor": "11222333000181",
                "valor": "749.51",
            }
        )
        + "\n{\n",
        encoding="utf-8",
    )
    codigo, saida = _rodar(url, "importar", str(ruim), "--tipo", "eventos")
    assert codigo == 1
    assert "EVENTO-JSON" in saida and "EXEC-DOTACAO-SALDO" in saida and "749,50" in saida


def test_execucao_despesa_na_cli(tmp_path: Path) -> None:
    test_importar_eventos(tmp_path)
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    csv = _ok(url, "execucao", "despesa", "prefeitura", "--formato", "csv")
    assert csv.splitlines()[1].endswith(";1500;1000.00;1000.00;250.50;0.00;0.00;0.00;0.00;749.50")
    tabela = _ok(url, "execucao", "despesa", "prefeitura")
    assert "Execução da despesa — Prefeitura" in tabela and "749,50" in tabela
    assert "Execução da receita" in _ok(url, "execucao", "receita", "prefeitura")
    codigo, saida = _rodar(url, "execucao", "despesa", "nenhuma")
    assert codigo == 1 and "não existe" in saida


def test_razao_extrato_e_disponibilidade_na_cli(tmp_path: Path) -> None:
    test_importar_eventos(tmp_path)
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    csv = _ok(
        url,
        "razao",
        "prefeitura",
        "6.2.2.1.1",
        "--de",
        "2026-01",
        "--ate",
        "2026-02",
        "--formato",
        "csv",
    )
    # dotação de 1.000,00 em janeiro (crédito), empenho de 250,50 em fevereiro (débito)
    assert [ln.split(";")[-3:] for ln in csv.splitlines()[1:]] == [
        ["0.00", "0.00", "0.00"],
        ["0.00", "1000.00", "-1000.00"],
        ["250.50", "0.00", "-749.50"],
    ]
    assert "749,50 C" in _ok(url, "razao", "prefeitura", "6.2.2.1.1", "--de", "2026-01")
    assert "EXEC-EMPENHO" in _rodar(url, "execucao", "empenho", "prefeitura", "E9")[1]
    extrato = _ok(url, "execucao", "empenho", "prefeitura", "E1", "--formato", "json")
    assert json.loads(extrato)["linhas"][0]["a_liquidar"] == "250.50"
    disp = _ok(url, "execucao", "disponibilidade", "prefeitura", "--formato", "csv")
    # nada arrecadado, 250,50 empenhados: DDR disponível −250,50, comprometida por empenho 250,50
    assert disp.splitlines()[1] == "1500;0.00;-250.50;250.50;0.00;0.00"


def test_cadastros_na_cli(tmp_path: Path) -> None:
    test_importar_eventos(tmp_path)
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    arq = tmp_path / "cadastros.jsonl"
    arq.write_text(
        json.dumps(
            {
                "cadastro": "credor",
                "documento": "11222333000181",
                "nome": "Limpeza Urbana Ltda",
                "simples": True,
            }
        )
        + "\n"
        + json.dumps(
            {
                "cadastro": "conta_bancaria",
                "entidade": "prefeitura",
                "codigo": "1-1",
                "tipo": "caixa",
                "fonte": "1500",
                "conta_contabil": "1.1.1.1.1.01",
            }
        ),
        encoding="utf-8",
    )
    assert "1 credor(es) e 1 conta(s) bancária(s) gravado(s)." in _ok(
        url, "importar", str(arq), "--tipo", "cadastros"
    )
    assert "Limpeza Urbana Ltda" in _ok(url, "cadastro", "credores")
    assert "1.1.1.1.1.01.00" in _ok(url, "cadastro", "contas-bancarias", "prefeitura")
    arq.write_text('{"cadastro": "credor", "documento": "1", "nome": "X"}\n', encoding="utf-8")
    codigo, saida = _rodar(url, "importar", str(arq), "--tipo", "cadastros")
    assert codigo == 1 and "CAD-CAMPO" in saida


def test_relatorio_de_execucao_em_pdf(tmp_path: Path) -> None:
    test_importar_eventos(tmp_path)
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    pdf = tmp_path / "despesa.pdf"
    assert "Relatório gravado" in _ok(
        url, "execucao", "despesa", "prefeitura", "--formato", "pdf", "-o", str(pdf)
    )
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 1000
    codigo, saida = _rodar(url, "execucao", "despesa", "prefeitura", "--formato", "pdf")
    assert codigo != 0 and "-o ARQUIVO" in saida


def test_relatorio_em_terminal_estreito_nao_corta_codigos(tmp_path: Path) -> None:
    test_importar_eventos(tmp_path)
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    modulo_cli.console.width = 60
    saida = _ok(url, "execucao", "despesa", "prefeitura")
    assert "0201.12.361.0001.2001.33903900" in saida and "749,50" in saida


def test_execucao_despesa_com_filtro_na_cli(tmp_path: Path) -> None:
    test_importar_eventos(tmp_path)
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    assert "749,50" in _ok(url, "execucao", "despesa", "prefeitura", "--funcao", "12")
    assert "749,50" not in _ok(url, "execucao", "despesa", "prefeitura", "--funcao", "10")


def test_jsonl_fora_do_utf8(db: str, tmp_path: Path) -> None:
    arq = tmp_path / "c.jsonl"
    arq.write_bytes(
        '{"cadastro": "credor", "documento": "11222333000181", "nome": "Serviço"}\n'.encode(
            "latin-1"
        )
    )
    codigo, saida = _rodar(db, "importar", str(arq), "--tipo", "cadastros")
    assert codigo == 1 and "CARGA-CODIFICACAO" in saida and "UTF-8" in saida


def test_encerramento_e_restos_a_pagar_na_cli(tmp_path: Path) -> None:
    test_importar_eventos(tmp_path)  # 2026: dotação 1.000,00, empenho E1 de 250,50
    url = f"sqlite:///{tmp_path / 'ev.db'}"
    codigo, saida = _rodar(url, "exercicio", "encerrar", "prefeitura", "2026")
    assert codigo == 1 and "LANC-COMPETENCIA" in saida  # 2027 ainda não aberto
    _ok(url, "exercicio", "abrir", "prefeitura", "2027")
    saida = _ok(url, "exercicio", "encerrar", "prefeitura", "2026")
    assert "Exercício 2026 de prefeitura encerrado: 3 lançamento(s)" in saida
    assert "não processados 250,50, processados 0,00" in saida
    csv = _ok(url, "execucao", "restos", "prefeitura", "--formato", "csv")
    assert csv.splitlines()[1] == (
        "E1;2026;0201.12.361.0001.2001.33903900;1500;11222333000181;"
        "250.50;0.00;0.00;0.00;0.00;0.00;0.00;250.50;0.00;250.50;0.00"
    )
    # o relatório da despesa de 2026 continua consultável depois do encerramento
    despesa = _ok(
        url, "execucao", "despesa", "prefeitura", "--exercicio", "2026", "--formato", "csv"
    )
    assert despesa.splitlines()[1].endswith(";250.50;0.00;0.00;0.00;0.00;749.50")
    assert "fechada" in _ok(url, "exercicio", "competencias", "prefeitura", "2026")
    codigo, saida = _rodar(url, "exercicio", "encerrar", "prefeitura", "2026")
    assert codigo == 1 and "já foi encerrado" in saida
    assert "encerrar_exercicio" in _ok(url, "exercicio", "auditoria", "prefeitura")


def test_retencoes_na_cli(tmp_path: Path) -> None:
    from tests.test_retencoes_registro import (
        BANCO,
        CAIXA,
        CREDOR,
        LOA,
        RETENCOES,
        _liquidacao,
    )

    url = f"sqlite:///{tmp_path / 'ret.db'}"
    _iniciar_prefeitura(url)
    cad = tmp_path / "cad.jsonl"
    cad.write_text("\n".join(json.dumps(c) for c in (CREDOR, BANCO, CAIXA)), encoding="utf-8")
    _ok(url, "importar", str(cad), "--tipo", "cadastros")
    ret = tmp_path / "ret.jsonl"
    ret.write_text("\n".join(json.dumps(r) for r in RETENCOES), encoding="utf-8")
    assert "12 cadastro(s) de retenção gravado(s)." in _ok(
        url, "importar", str(ret), "--tipo", "retencoes"
    )
    ev = tmp_path / "ev2.jsonl"
    ev.write_text("\n".join([*LOA, *jsonl(_liquidacao("L1", "10"))]), encoding="utf-8")
    saida = _ok(url, "importar", str(ev), "--tipo", "eventos")
    assert "6 evento(s) registrado(s)" in saida  # D1, E1, L1 e os 3 gerados pelo INSS
    csv = _ok(url, "retencoes", "liquidacoes", "prefeitura", "--formato", "csv")
    # Bruto, cada retenção (o INSS apropriado está na liquidação gerada L1-L451) e líquido.
    assert csv.splitlines()[1:] == [
        "L1;2026-03-10;52998224725;3000.00;100 – IR PF;2670.00;acréscimo da base do mês;57.45;"
        "a reter no pagamento;2612.55;Apropriado",
        "L1;2026-03-10;52998224725;;451 – INSS SERVIÇOS;3000.00;acréscimo da base do mês;"
        "330.00;apropriado na liquidação L1-L451;;Apropriado",
    ]
    assert "INSS SERVIÇOS" in _ok(url, "retencoes", "guias", "prefeitura")
    assert "a reter" in _ok(url, "retencoes", "fornecedores", "prefeitura", "--ano", "2026")


def test_ajuda_e_erros_de_uso_em_portugues(db: str) -> None:
    codigo, saida = _rodar(db, "exercicio", "--help")
    assert codigo == 0
    assert "Mostra esta ajuda e sai." in saida and "Comandos" in saida
    assert "Show this message" not in saida and "--install-completion" not in saida
    codigo, saida = _rodar(db, "exercicio", "encerrar", "prefeitura", "xx")
    assert codigo == 2 and "Valor inválido em 'ano': deve ser um número inteiro" in saida
    codigo, saida = _rodar(db, "exercicio", "encerrar")
    assert codigo == 2 and "Falta o argumento 'entidade'." in saida
