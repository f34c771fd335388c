"""Issue 18: migrar um razão real sem perder nada e cargas que nunca quebram.

O fixture ``tests/dados/migracao`` é um razão pequeno com a forma do real:
códigos de 10 níveis sem pontos (máscara declarada no arquivo), um histórico por
linha, um lançamento com linhas comuns e de encerramento e o balancete que o
sistema anterior daria (valores calculados à mão no arquivo)."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from erario.cli.app import app
from erario.core.erros import OperacaoRecusada
from erario.razao.carga import ler_lancamentos_csv, ler_lancamentos_jsonl
from erario.razao.modelo import NaturezaSaldo
from erario.razao.plano import ler_plano_csv, ler_plano_tce_rs, natureza_saldo_padrao
from erario.storage.banco import atualizar_esquema, criar_engine, transacao_sem_fk
from erario.storage.repositorio import Repositorio

DADOS = Path(__file__).parent / "dados" / "migracao"
runner = CliRunner()
CAB = "entidade;numero;data;tipo;historico;conta;dc;valor;conta_corrente"


def _cli(db: Path, *args: str) -> tuple[int, str]:
    r = runner.invoke(app, ["--db", f"sqlite:///{db}", *args])
    return r.exit_code, r.output


def _migrar(db: Path) -> None:
    passos = [
        ("plano", "importar", str(DADOS / "plano.csv"), "--nome", "MIG"),
        (
            "entidade",
            "criar",
            "--slug",
            "cidade",
            "--nome",
            "Prefeitura de Cidade",
            "--cnpj",
            "11222333000181",
            "--tipo",
            "prefeitura",
            "--ibge",
            "4300001",
            "--poder-orgao",
            "10131",
            "--plano",
            "MIG",
        ),
        ("exercicio", "abrir", "cidade", "2025"),
        ("importar", str(DADOS / "saldos.csv"), "--tipo", "saldos", "--ano", "2025"),
        ("importar", str(DADOS / "lancamentos.csv")),
    ]
    for passo in passos:
        codigo, saida = _cli(db, *passo)
        assert codigo == 0, saida


def test_razao_real_migra_sem_perder_nada(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    _migrar(db)
    # Todo histórico do arquivo aparece no razão das contas.
    historicos = {
        ln.split(";")[4] for ln in (DADOS / "lancamentos.csv").read_text().splitlines()[1:]
    }
    vistos = set()
    for classe in "1234":
        codigo, saida = _cli(
            db, "razao", "cidade", classe, "--de", "2025-01", "--ate", "2025-13", "--formato", "csv"
        )
        assert codigo == 0, saida
        vistos |= {ln.split(";")[2] for ln in saida.splitlines()[1:]}
    assert historicos <= vistos, historicos - vistos
    # O lançamento misto virou L5 (ordinário) e L5-E (encerramento, período 13).
    r = Repositorio(criar_engine(f"sqlite:///{db}"))
    assert r.lancamento("cidade", "L5").tipo.value == "ordinario"
    enc = r.lancamento("cidade", "L5-E")
    assert enc.tipo.value == "encerramento" and enc.periodo == 13
    assert enc.historico == "Encerramento: apuração do resultado (VPA)"
    assert [p.historico for p in enc.partidas] == [
        "",
        "Encerramento: VPD de serviços",
        "Encerramento: VPD de depreciação",
        "Encerramento: resultado do exercício (déficit)",
    ]
    # A conferência com o balancete esperado não acha diferença (código 0).
    codigo, saida = _cli(
        db, "conferir-balancete", "cidade", str(DADOS / "balancete_esperado.csv"),
        "--de", "2025-01", "--ate", "2025-13",
    )  # fmt: skip
    assert codigo == 0, saida
    assert "nenhuma diferença" in saida
    assert _cli(db, "verificar")[0] == 0


def test_conferencia_lista_cada_diferenca(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    _migrar(db)
    esperado = (DADOS / "balancete_esperado.csv").read_text()
    errado = esperado.replace(
        "111110100000000;1.000,00 D;1.200,00;300,00;1.900,00 D",
        "111110100000000;1.000,00 D;1.200,00;300,01;1.899,99 D",
    )
    arquivo = tmp_path / "anterior.csv"
    arquivo.write_text(errado + "999999999999999;0,00;0,00;0,00;0,00\n")
    codigo, saida = _cli(
        db, "conferir-balancete", "cidade", str(arquivo), "--de", "2025-01", "--ate", "2025-13"
    )
    assert codigo == 1
    assert "MIG-CONFERENCIA-DIFERENCA" in saida
    assert "créditos: erario 300,00 D, anterior 300,01 D" in saida
    assert "saldo atual: erario 1.900,00 D, anterior 1.899,99 D" in saida
    # a conta inexistente no plano: o arquivo é recusado com a linha
    assert "MIG-CONFERENCIA-ARQUIVO" in saida or "999999999999999" not in saida


def test_plano_sem_pontos_exige_mascara() -> None:
    texto = "CONTA;TÍTULO\n100000000000000;ATIVO\n110000000000000;CIRCULANTE\n"
    plano, erros = ler_plano_csv(texto, "X")
    assert plano is None
    assert erros[0].regra == "PLANO-MASCARA" and "--mascara" in erros[0].mensagem
    from erario.razao.plano import ler_mascara

    plano, erros = ler_plano_csv(texto, "X", mascara=ler_mascara("1.1.1.1.1.2.2.2.2.2"))
    assert erros == [] and plano is not None
    assert plano.contas["1.1.0.0.0.00.00.00.00.00"].pai == "1.0.0.0.0.00.00.00.00.00"
    # códigos que não cabem: todas as linhas listadas
    ruim = texto + "1200;CURTO\n12000000000000000;LONGO\n"
    plano, erros = ler_plano_csv(ruim, "X", mascara=ler_mascara("1.1.1.1.1.2.2.2.2.2"))
    assert plano is None
    assert [(e.regra, e.linha) for e in erros] == [("PLANO-MASCARA", 4), ("PLANO-MASCARA", 5)]


def test_natureza_padrao_das_retificadoras() -> None:
    assert natureza_saldo_padrao("1.2.3.8.1.01.00", "DEPRECIACAO") == NaturezaSaldo.CREDORA
    assert natureza_saldo_padrao("1.1.2.9.0.00.00", "(-) AJUSTE DE PERDAS") == NaturezaSaldo.CREDORA
    assert natureza_saldo_padrao("1.1.1.0.0.00.00", "CAIXA") == NaturezaSaldo.DEVEDORA


def test_tce_rs_usa_escrituracao_e_superavit() -> None:
    cab = (
        "conta_contabil;especificacao;tipo_nivel;escrituracao;natureza_informacao;"
        "indicador_superavit_financeiro;recurso_vinculado\n"
    )
    texto = cab + (
        "1.0.0.0.0.00.00;ATIVO;S;N;P;;0000\n"
        "1.1.0.0.0.00.00;CIRCULANTE;A;N;P;F;0000\n"
        "1.1.1.0.0.00.00;CAIXA;A;S;P;F;1500\n"
    )
    plano, erros = ler_plano_tce_rs(texto, "T")
    assert erros == [] and plano is not None
    assert not plano.contas["1.1.0.0.0.00.00"].analitica  # escrituracao N vale sobre tipo_nivel
    assert plano.contas["1.1.1.0.0.00.00"].superavit == "F"
    assert plano.contas["1.1.1.0.0.00.00"].conta_corrente == ("FR",)


# --------------------------------------------------------- entradas ruins


def _contagem(repo: Repositorio) -> tuple[int, int]:
    with repo.engine.connect() as con:
        return (
            con.execute(text("SELECT count(*) FROM lancamento")).scalar_one(),
            con.execute(text("SELECT count(*) FROM partida")).scalar_one(),
        )


def _importar_csv(repo: Repositorio, texto: str) -> list[tuple[str, int | None, str | None]]:
    antes = _contagem(repo)
    with pytest.raises(OperacaoRecusada) as exc:
        repo.importar_csv(io.BytesIO(texto.encode()), "c.csv")
    assert _contagem(repo) == antes  # nada gravado
    return [(e.regra, e.linha, e.campo) for e in exc.value.erros]


L1 = f"{CAB}\nprefeitura;L1;2026-01-10;;Compra;3.3;D;1500.00;\nprefeitura;L1;2026-01-10;;Compra;4.1;C;1500.00;\n"


def test_estorno_de_arquivo_tem_de_ser_o_inverso_exato(repo: Repositorio) -> None:
    repo.importar_csv(io.BytesIO(L1.encode()), "l1.csv")
    texto = (
        f"{CAB};estornado\n"
        "prefeitura;E1;2026-01-11;;Estorno;4.1;D;1.00;;L1\n"
        "prefeitura;E1;2026-01-11;;Estorno;3.3;C;1.00;;L1\n"
    )
    assert _importar_csv(repo, texto) == [("MIG-ESTORNO-INVERSO", 2, "estornado")]
    # o estorno exato passa, e o interativo depois é ESTORNO-DUPLO
    exato = texto.replace("1.00", "1500.00")
    repo.importar_csv(io.BytesIO(exato.encode()), "e1.csv")
    import datetime as dt

    with pytest.raises(OperacaoRecusada) as exc:
        repo.estornar("prefeitura", "L1", dt.date(2026, 1, 12))
    assert [e.regra for e in exc.value.erros] == ["ESTORNO-DUPLO"]


def test_estorno_no_mesmo_arquivo_e_conferido(repo: Repositorio) -> None:
    texto = (
        f"{CAB};estornado\n"
        "prefeitura;L1;2026-01-10;;Compra;3.3;D;1500.00;;\n"
        "prefeitura;L1;2026-01-10;;Compra;4.1;C;1500.00;;\n"
        "prefeitura;E1;2026-01-11;;Estorno;4.1;D;1500.00;;L1\n"
        "prefeitura;E1;2026-01-11;;Estorno;2.3.7;C;1500.00;;L1\n"
    )
    assert _importar_csv(repo, texto) == [("MIG-ESTORNO-INVERSO", 4, "estornado")]
    with pytest.raises(OperacaoRecusada) as exc:
        repo.importar_csv(io.BytesIO(texto.encode()), "v.csv", validar=True)
    assert [e.regra for e in exc.value.erros] == ["MIG-ESTORNO-INVERSO"]


def test_coluna_desconhecida_recusada_com_sugestao(repo: Repositorio) -> None:
    texto = L1.replace("conta_corrente\n", "conta_corrente;estornad\n", 1).replace(";\n", ";;\n")
    erros = _importar_csv(repo, texto)
    assert erros == [("MIG-COLUNA-DESCONHECIDA", 1, "estornad")]


def test_jsonl_chave_desconhecida_e_duplicada() -> None:
    linha = (
        '{"entidade":"p","data":"2026-01-10","historico":"h","historico":"x",'
        '"partidas":[{"conta":"1","dc":"D","valr":"1"}]}'
    )
    lote = ler_lancamentos_jsonl([linha])
    assert [(e.regra, e.linha, e.campo) for e in lote.erros] == [
        ("MIG-CHAVE-DUPLICADA", 1, "historico"),
        ("MIG-CHAVE-DESCONHECIDA", 1, "partidas[0].valr"),
    ]
    assert "quis dizer 'valor'" in lote.erros[1].mensagem


def test_somas_alem_do_bigint_sao_erro_com_linha(repo: Repositorio) -> None:
    linhas = [CAB]
    for i in range(100):
        linhas.append(f"prefeitura;G{i};2026-01-10;;h;3.3;D;999999999999999.99;")
        linhas.append(f"prefeitura;G{i};2026-01-10;;h;4.1;C;999999999999999.99;")
    erros = _importar_csv(repo, "\n".join(linhas) + "\n")
    assert erros == [("MIG-SOMA-LIMITE", 2 * 93 + 2, "valor")] or (
        len(erros) >= 1 and {e[0] for e in erros} == {"MIG-SOMA-LIMITE"} and erros[0][2] == "valor"
    )


def test_nul_no_historico(repo: Repositorio) -> None:
    texto = L1.replace("Compra;3.3", "Com\x00pra;3.3")
    erros = _importar_csv(repo, texto)
    assert erros == [("LANC-HISTORICO", 2, "historico")]


def test_json_aninhado_demais() -> None:
    lote = ler_lancamentos_jsonl(["[" * 100_000])
    assert [(e.regra, e.linha) for e in lote.erros] == [("CARGA-JSON", 1)]
    assert "profundo demais" in lote.erros[0].mensagem


def test_csv_com_virgula_dica_do_separador(repo: Repositorio) -> None:
    texto = L1.replace(";", ",")
    erros = _importar_csv(repo, texto)
    assert erros == [("MIG-SEPARADOR", 1, None)]


def test_valor_grande_demais() -> None:
    lote = ler_lancamentos_csv([CAB + "\n", "p;1;2026-01-10;;h;1;D;100000000000000000000;\n"])
    assert [(e.regra, e.linha, e.campo) for e in lote.erros] == [("CARGA-VALOR", 2, "valor")]
    assert "grande demais" in lote.erros[0].mensagem


def test_jsonl_com_bom_e_erro_de_codificacao_com_linha() -> None:
    bom = b'\xef\xbb\xbf{"entidade":"p","data":"2026-01-10","historico":"h","partidas":[]}\n'
    lote = ler_lancamentos_jsonl(io.BytesIO(bom + b'{"entidade":"p\xff"}\n'))
    assert [(e.regra, e.linha) for e in lote.erros] == [("CARGA-CODIFICACAO", 2)]
    assert len(lote.lancamentos) == 1


def test_linha_gigante_recusada_sem_ler_tudo(repo: Repositorio) -> None:
    texto = L1 + "prefeitura;L2;2026-01-10;;" + "x" * (2 << 20) + ";3.3;D;1.00;\n"
    erros = _importar_csv(repo, texto)
    assert ("MIG-LINHA-LONGA", 4, None) in erros


def test_mensagens_do_csv_em_portugues() -> None:
    lote = ler_lancamentos_csv([CAB + "\n", 'p;1;2026-01-10;;"sem fim;1;D;1;\n'])
    assert [e.regra for e in lote.erros] == ["CARGA-CSV"]
    assert "fim inesperado" in lote.erros[0].mensagem


def test_verificar_acha_lancamento_sem_partidas(repo: Repositorio) -> None:
    repo.importar_csv(io.BytesIO(L1.encode()), "l1.csv")
    with repo.engine.begin() as con:  # um lançamento gravado sem partidas (banco corrompido)
        con.execute(
            text(
                "INSERT INTO lancamento (id, entidade_id, numero, data, ano, periodo, tipo, livro,"
                " historico, origem, estorno, estornado_id, valor) SELECT id + 1, entidade_id,"
                " 'VAZIO', data, ano, periodo, tipo, livro, historico, origem, estorno,"
                " estornado_id, valor FROM lancamento"
            )
        )
    erros = repo.verificar()
    assert any(e.regra == "VER-DESBALANCEADO" and "0 partida(s)" in e.mensagem for e in erros), (
        erros
    )


def test_db_errado_mensagem_de_uma_linha(tmp_path: Path) -> None:
    r = runner.invoke(app, ["--db", "sqlite:////nao/existe/x.db", "entidade", "listar"])
    assert r.exit_code != 0
    assert "MIG-BANCO" in r.output and "Traceback" not in r.output


def test_banco_ocupado_espera_e_avisa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERARIO_ESPERA_BANCO", "0.2")
    engine: Engine = criar_engine(f"sqlite:///{tmp_path / 'o.db'}")
    atualizar_esquema(engine)
    outro = sqlite3.connect(tmp_path / "o.db", isolation_level=None)
    outro.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperacaoRecusada) as exc, transacao_sem_fk(engine):
            pass
        assert [e.regra for e in exc.value.erros] == ["MIG-BANCO-OCUPADO"]
        assert "banco ocupado" in exc.value.erros[0].mensagem
    finally:
        outro.execute("ROLLBACK")
        outro.close()


def test_tipo_opcional_e_historico_por_partida(repo: Repositorio) -> None:
    texto = (
        "entidade;numero;data;historico;conta;dc;valor;conta_corrente\n"
        "prefeitura;L1;2026-01-10;Compra;3.3;D;1500.00;\n"
        "prefeitura;L1;2026-01-10;Fornecedor X, NF 9;4.1;C;1500.00;\n"
    )
    repo.importar_csv(io.BytesIO(texto.encode()), "t.csv")
    lc = repo.lancamento("prefeitura", "L1")
    assert lc.historico == "Compra"
    assert [p.historico for p in lc.partidas] == ["", "Fornecedor X, NF 9"]
    _, movs = repo.razao_conta("prefeitura", 2026, "4.1")
    assert [m.historico for m in movs] == ["Fornecedor X, NF 9"]


def test_sem_acelerador_o_mesmo_resultado(repo: Repositorio) -> None:
    texto = (
        f"{CAB}\n"
        "prefeitura;L1;2026-01-10;;Compra;3.3;D;1500.00;\n"
        "prefeitura;L1;2026-01-10;;Outro texto;4.1;C;1500.00;\n"
    )
    repo.importar_csv(io.BytesIO(texto.encode()), "t.csv", acelerar=False)
    assert [p.historico for p in repo.lancamento("prefeitura", "L1").partidas] == [
        "",
        "Outro texto",
    ]
