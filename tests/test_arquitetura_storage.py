"""Arquitetura (issue 19): nenhum módulo usa um nome privado (``_x``) de outro
módulo nem de um objeto de outro módulo.

Regra, na árvore sintática de ``src/erario``: ``algo._x`` só em ``self._x`` e
``cls._x`` (o objeto do próprio módulo); ``from erario… import _x`` não. Dunders
(``__x__``) valem. O que o repositório compartilha entre as suas partes está na
``storage.sessao.Sessao`` e nos métodos públicos de cada agregado.
"""

from __future__ import annotations

import ast
from pathlib import Path

import erario

SRC = Path(erario.__file__).parent

# API pública de outras bibliotecas que começa por sublinhado.
API_COM_SUBLINHADO = frozenset(
    {
        # NamedTuple: o sublinhado só evita colisão com os nomes dos campos.
        "_replace",
        "_asdict",
        "_fields",
        "_field_defaults",
        "_make",
        "_mapping",  # Row do SQLAlchemy (as colunas como dicionário)
    }
)

# (arquivo em src/erario, nome) → por que é legítimo.
EXCECOES: dict[tuple[str, str], str] = {
    ("cli/traducao.py", "_"): "o gettext do Click e do Typer, que a tradução troca",
    ("cli/traducao.py", "_TyperParameter"): "a classe do Typer cujo display_type a tradução troca",
    ("cli/traducao.py", "_traduzida"): "marca que o módulo põe nas suas próprias funções",
    ("storage/carga_csv.py", "_carga_csv"): "o acelerador em C, módulo privado do storage",
    ("storage/gravacao.py", "_gravacao_sqlite"): "o gravador em C, módulo privado do storage",
}

# Usos de nomes privados entre módulos ainda não corrigidos (fora do storage):
# dívida, não exceção. Quem corrigir tira daqui.
PENDENTES: dict[tuple[str, str], str] = {}


def _privado(nome: str) -> bool:
    return nome.startswith("_") and not (nome.startswith("__") and nome.endswith("__"))


def usos_privados(arquivo: Path) -> list[tuple[int, str, str]]:
    """(linha, nome, trecho) de cada uso de nome privado de outro objeto ou módulo."""
    saida: list[tuple[int, str, str]] = []
    for no in ast.walk(ast.parse(arquivo.read_text(encoding="utf-8"))):
        if isinstance(no, ast.Attribute) and _privado(no.attr):
            if isinstance(no.value, ast.Name) and no.value.id in ("self", "cls"):
                continue
            if no.attr in API_COM_SUBLINHADO:
                continue
            saida.append((no.lineno, no.attr, ast.unparse(no)))
        elif isinstance(no, ast.ImportFrom) and (no.module or "").startswith("erario"):
            for alias in no.names:
                if _privado(alias.name):
                    saida.append((no.lineno, alias.name, f"from {no.module} import {alias.name}"))
    return saida


def test_nenhum_modulo_usa_nome_privado_de_outro() -> None:
    arquivos = sorted(SRC.rglob("*.py"))
    assert len(arquivos) > 100
    violacoes = [
        f"{rel}:{linha}: {trecho}"
        for arquivo in arquivos
        for rel in [arquivo.relative_to(SRC).as_posix()]
        for linha, nome, trecho in usos_privados(arquivo)
        if (rel, nome) not in EXCECOES and (rel, nome) not in PENDENTES
    ]
    assert violacoes == []


def test_a_regra_pega_o_acesso_a_privado_de_outro_objeto(tmp_path: Path) -> None:
    fonte = tmp_path / "m.py"
    fonte.write_text(
        "from erario.storage.sessao import _x\n"
        "class A:\n"
        "    def f(self, repo, p):\n"
        "        self._ok()\n"
        "        cls._ok\n"
        "        p._replace(a=1).__class__\n"
        "        repo._plano()\n"
        "        self.repo._ids(1)\n",
        encoding="utf-8",
    )
    assert sorted((linha, nome) for linha, nome, _ in usos_privados(fonte)) == [
        (1, "_x"),
        (7, "_plano"),
        (8, "_ids"),
    ]
