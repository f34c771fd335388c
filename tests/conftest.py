"""Fixtures: cada teste de armazenamento roda no SQLite e, quando
``ERARIO_TEST_POSTGRES_URL`` está definida, também no PostgreSQL (um esquema
descartável por teste)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from erario.cli import app as modulo_cli
from erario.razao.modelo import Entidade, TipoEntidade
from erario.razao.plano import ler_plano_csv, plano_base
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio
from tests.apoio_postgres import esquema_descartavel

PG_URL = os.environ.get("ERARIO_TEST_POSTGRES_URL")
BANCOS = ["sqlite", *(["postgresql"] if PG_URL else [])]
REFERENCIA = Path(__file__).resolve().parents[2] / "shared" / "reference-data"
GOLDEN = Path(__file__).parent / "golden"

# Plano mínimo para testes, escrito à mão (PCASP Federação, 7 níveis).
PLANO_TESTE = """\
CONTA;TÍTULO;NATUREZA DO SALDO;INDICADOR DO SUPERÁVIT FINANCEIRO;NATUREZA DA INFORMAÇÃO;ESCRITURAÇÃO;CONTA CORRENTE
1.0.0.0.0.00.00;ATIVO;Devedora;;P;N;
1.1.0.0.0.00.00;ATIVO CIRCULANTE;Devedora;;P;N;
1.1.1.0.0.00.00;CAIXA E EQUIVALENTES DE CAIXA;Devedora;;P;N;
1.1.1.1.0.00.00;CAIXA E EQUIVALENTES DE CAIXA EM MOEDA NACIONAL;Devedora;;P;N;
1.1.1.1.1.00.00;CAIXA E EQUIVALENTES - CONSOLIDAÇÃO;Devedora;;P;N;
1.1.1.1.1.01.00;CAIXA;Devedora;F;P;S;FR
1.1.1.1.1.06.00;BANCOS CONTA MOVIMENTO;Devedora;F;P;S;FR,DB
1.2.0.0.0.00.00;ATIVO NÃO CIRCULANTE;Devedora;;P;N;
1.2.3.0.0.00.00;IMOBILIZADO;Devedora;P;P;S;
2.0.0.0.0.00.00;PASSIVO E PATRIMÔNIO LÍQUIDO;Credora;;P;N;
2.1.0.0.0.00.00;PASSIVO CIRCULANTE;Credora;;P;N;
2.1.3.0.0.00.00;FORNECEDORES E CONTAS A PAGAR;Credora;F;P;S;FR,CR
2.3.0.0.0.00.00;PATRIMÔNIO LÍQUIDO;Credora;;P;N;
2.3.7.0.0.00.00;RESULTADOS ACUMULADOS;Credora;P;P;S;
3.0.0.0.0.00.00;VARIAÇÃO PATRIMONIAL DIMINUTIVA;Devedora;;P;N;
3.3.0.0.0.00.00;USO DE BENS, SERVIÇOS E CONSUMO DE CAPITAL FIXO;Devedora;;P;S;
4.0.0.0.0.00.00;VARIAÇÃO PATRIMONIAL AUMENTATIVA;Credora;;P;N;
4.1.0.0.0.00.00;IMPOSTOS, TAXAS E CONTRIBUIÇÕES DE MELHORIA;Credora;;P;S;
5.0.0.0.0.00.00;CONTROLES DA APROVAÇÃO DO PLANEJAMENTO E ORÇAMENTO;Devedora;;O;N;
5.2.0.0.0.00.00;ORÇAMENTO APROVADO;Devedora;;O;N;
5.2.2.0.0.00.00;FIXAÇÃO DA DESPESA;Devedora;;O;S;FR
6.0.0.0.0.00.00;CONTROLES DA EXECUÇÃO DO PLANEJAMENTO E ORÇAMENTO;Credora;;O;N;
6.2.0.0.0.00.00;EXECUÇÃO DO ORÇAMENTO;Credora;;O;N;
6.2.2.0.0.00.00;EXECUÇÃO DA DESPESA;Credora;;O;S;FR
7.0.0.0.0.00.00;CONTROLES DEVEDORES;Devedora;;C;N;
7.2.0.0.0.00.00;ADMINISTRAÇÃO FINANCEIRA;Devedora;;C;S;FR
8.0.0.0.0.00.00;CONTROLES CREDORES;Credora;;C;N;
8.2.0.0.0.00.00;EXECUÇÃO DA ADMINISTRAÇÃO FINANCEIRA;Credora;;C;S;FR
"""

CNPJ_PREFEITURA = "01602258000120"  # Município de Nova Candelária (RS), do arquivo de referência
CNPJ_CAMARA = "29363995000137"


@pytest.fixture(params=BANCOS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = criar_engine(f"sqlite:///{tmp_path / 'erario.db'}")
        atualizar_esquema(eng)
        yield eng
        eng.dispose()
        return
    assert PG_URL
    with esquema_descartavel(PG_URL, "t") as url:
        eng = criar_engine(url)
        atualizar_esquema(eng)
        yield eng
        eng.dispose()


@pytest.fixture
def repo(engine: Engine) -> Repositorio:
    """Repositório com o plano de teste, uma prefeitura e uma câmara, exercício 2026 aberto."""
    return preparar_repo(engine)


def preparar_repo(engine: Engine) -> Repositorio:
    """O mesmo da fixture ``repo``, para testes que precisam de vários bancos."""
    r = Repositorio(engine)
    plano, erros = ler_plano_csv(PLANO_TESTE, "PCASP")
    assert plano is not None, erros
    r.gravar_plano(plano)
    r.criar_entidade(
        Entidade(
            "prefeitura",
            "Prefeitura de Teste",
            CNPJ_PREFEITURA,
            TipoEntidade.PREFEITURA,
            "4312658",
            "10131",
        )
    )
    r.criar_entidade(
        Entidade("camara", "Câmara de Teste", CNPJ_CAMARA, TipoEntidade.CAMARA, "4312658", "20231")
    )
    r.abrir_exercicio("prefeitura", 2026, usuario="teste")
    r.abrir_exercicio("camara", 2026, usuario="teste")
    return r


@pytest.fixture
def repo_pcasp(engine: Engine) -> Repositorio:
    """Repositório com o PCASP Federação, a prefeitura (2026 aberto) e a câmara."""
    return preparar_repo_pcasp(engine)


def preparar_repo_pcasp(engine: Engine) -> Repositorio:
    """O mesmo da fixture ``repo_pcasp``, para testes com banco próprio."""
    r = Repositorio(engine)
    r.gravar_plano(plano_base())
    r.criar_entidade(
        Entidade(
            "prefeitura", "Prefeitura", CNPJ_PREFEITURA, TipoEntidade.PREFEITURA, "4312658", "10131"
        )
    )
    r.criar_entidade(
        Entidade("camara", "Câmara", CNPJ_CAMARA, TipoEntidade.CAMARA, "4312658", "20231")
    )
    r.abrir_exercicio("prefeitura", 2026, usuario="teste")
    return r


@pytest.fixture
def tela_larga() -> None:
    """Tabelas Rich sem quebra de linha, para conferir o texto inteiro."""
    modulo_cli.console.width = 200
    modulo_cli.erro_console.width = 200


def conferir_golden(nome: str, texto: str) -> None:
    """Confere o texto com o arquivo de referência em ``tests/golden``;
    ``ERARIO_ATUALIZAR_GOLDEN=1`` regrava o arquivo (confira-o à mão depois)."""
    caminho = GOLDEN / nome
    if os.environ.get("ERARIO_ATUALIZAR_GOLDEN") == "1":
        caminho.write_bytes(texto.encode("utf-8"))
    assert texto.encode("utf-8") == caminho.read_bytes()
