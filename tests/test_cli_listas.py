"""As listagens da CLI (entidades, credores, competências, plano…) mostram o dado
como foi gravado: na largura natural, sem "…" no fim de um CNPJ ou de um nome, e
sem que o Rich leia colchetes do usuário como marcação ("[antigo FMS]" sumia)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import _iniciar_prefeitura, _ok

NOME = "Fundo Municipal de Saúde [antigo FMS] de Nova Candelária — gestão 2025/2028"
CREDOR = "Construtora [bold] Irmãos Silva e Filhos Ltda — obras e reformas"


def test_entidade_e_credor_com_colchetes_e_longos(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    _iniciar_prefeitura(url)
    _ok(
        url, "entidade", "criar", "--slug", "fundo-municipal-saude", "--nome", NOME,
        "--cnpj", "11.222.333/0001-81", "--tipo", "fundo", "--ibge", "4312658",
        "--poder-orgao", "10131",
    )  # fmt: skip
    saida = _ok(url, "entidade", "listar")
    # a saída do CliRunner não é terminal: 80 colunas, e a tabela passa disso
    assert max(len(linha) for linha in saida.splitlines()) > 80
    assert "…" not in saida
    assert NOME in saida and "fundo-municipal-saude" in saida and "11222333000181" in saida
    cadastros = tmp_path / "c.jsonl"
    credor = {"cadastro": "credor", "documento": "52998224725", "nome": CREDOR}
    cadastros.write_text(json.dumps(credor, ensure_ascii=False) + "\n", encoding="utf-8")
    _ok(url, "importar", str(cadastros), "--tipo", "cadastros")
    saida = _ok(url, "cadastro", "credores")
    assert CREDOR in saida and "52998224725" in saida and "…" not in saida


def test_competencias_e_plano_inteiros(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    _iniciar_prefeitura(url)
    saida = _ok(url, "exercicio", "competencias", "prefeitura", "2026")
    assert "01/2026" in saida and "12/2026" in saida and "…" not in saida
    saida = _ok(url, "plano", "contas", "--prefixo", "1.1.1")
    assert "…" not in saida


def test_mensagens_guardam_os_colchetes_do_usuario(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    _iniciar_prefeitura(url)
    saida = _ok(
        url, "entidade", "criar", "--slug", "fundo", "--nome", "Fundo [antigo] Saúde",
        "--cnpj", "11.222.333/0001-81", "--tipo", "fundo", "--ibge", "4312658",
        "--poder-orgao", "10131",
    )  # fmt: skip
    assert "Entidade fundo (Fundo [antigo] Saúde) cadastrada." in saida
    # o estilo continua nas mensagens do próprio erario, sem marcação à mostra
    assert _ok(url, "verificar").startswith("Razão íntegro: saldos iguais ao razão")


def test_relatorio_vazio_diz_que_esta_vazio(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    _iniciar_prefeitura(url)
    saida = _ok(url, "retencoes", "guias", "prefeitura")
    assert "Desconto" in saida and saida.rstrip().endswith("Nenhum registro.")
    assert _ok(url, "retencoes", "guias", "prefeitura", "--formato", "csv").count("\n") == 1
