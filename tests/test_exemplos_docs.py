"""Os comandos de exemplo do README e de docs/*.md rodam, em ordem, num banco novo.

Cada comando dos blocos ``sh`` (linhas continuadas com ``\\`` juntadas, ``&&``
separado, comentário fora) roda como o usuário o roda — a CLI com ``$ERARIO_DB``
apontando para um banco novo num diretório temporário, que tem uma cópia de
``docs/exemplos/`` e ``tests/dados/`` (os arquivos que os exemplos citam). Um
teste por documento; a mensagem de falha diz o documento, a linha e o comando.

- Todo comando ou roda ou está em ``NAO_RODADOS`` com o motivo; um comando que
  não é nem um nem outro falha o teste (e uma entrada de ``NAO_RODADOS`` que não
  casa com nenhum comando também).
- Comentário com "recusad" (``# recusada, nada muda``) quer dizer que o exemplo
  mostra uma recusa: o comando tem de sair com código 1.
- Cada bloco do README é um cenário à parte (um banco novo por bloco); nos
  docs/*.md os blocos continuam um o outro, no mesmo banco.
- O contexto que o texto dá por suposto (o banco do ``erario demo``, a entidade
  já criada) está em ``CONTEXTO``, explícito.
- docs/siops.md e docs/fcont.md têm todos os blocos rodados pelos testes da área
  (``COBERTOS_EM``); o bloco de SPED FCONT do README resume docs/fcont.md e cada
  comando dele tem de estar, igual, em docs/fcont.md.
- Código inline (`` `erario …` ``) no meio do texto é referência a um comando
  (quase sempre com ``…``, ``[opções]`` ou ``ENTIDADE``), não exemplo: não roda.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from erario.cli.app import app

RAIZ = Path(__file__).resolve().parents[1]
SENHA = "senha-de-exemplo-123"  # a web pede a senha duas vezes (sem eco)

# (documento, início do comando) → por que não roda aqui.
NAO_RODADOS: dict[tuple[str, str], str] = {
    ("README.md", "make "): "instala o ambiente (make demo) ou é a própria suíte (make test)",
    ("README.md", ". .venv/bin/activate"): "ativa o ambiente do shell; aqui a CLI roda no processo",
    (
        "README.md",
        "erario web --porta",
    ): "servidor HTTP em primeiro plano (docs/web.md; tests/test_web*)",
    ("README.md", "erario entidade criar --slug camara …"): (
        "consolidação: instalações separadas e o servidor de dados, com … no lugar das opções; "
        "o fluxo inteiro, na ordem de docs/consolidacao.md, roda em tests/test_consolidacao_fluxo.py"
    ),
    ("README.md", "erario importar loa.jsonl"): "consolidação (ver acima)",
    ("README.md", "erario consolidacao "): "consolidação (ver acima)",
    ("docs/consolidacao.md", "erario servidor "): (
        "servidor de dados (cadastro com senha pedida, servidor em primeiro plano) e instalações "
        "separadas; rodado por tests/test_consolidacao_fluxo.py e tests/test_servidor*.py"
    ),
    ("docs/consolidacao.md", "erario iniciar"): "instalações separadas da consolidação (ver acima)",
    ("docs/consolidacao.md", "erario entidade criar"): "instalações separadas (ver acima)",
    (
        "docs/consolidacao.md",
        "erario consolidacao balancete prefeitura --de 2026-01 --ate 2026-03 "
        "--incorporados [--eliminar-intra]",
    ): "sinopse (opções entre colchetes)",
    ("docs/consolidacao.md", "SENHA="): "implantação: PostgreSQL do servidor (root, psql)",
    ("docs/consolidacao.md", "sudo "): "implantação: PostgreSQL do servidor (root, psql)",
    ("docs/consolidacao.md", "echo "): "implantação: arquivo de senha em /etc",
    ("docs/consolidacao.md", "podman "): "implantação: imagem de contêiner",
    ("docs/esfinge.md", "erario esfinge validar prefeitura 2026-03 --arquivo"): (
        "o arquivo é um pacote de outro sistema; a validação de pacotes roda em tests/test_esfinge*.py"
    ),
    ("docs/esfinge.md", "erario conciliacao "): (
        "sinopse da conciliação (opções entre colchetes, extrato CSV que o texto não mostra) sobre "
        "a conta do exemplo do README; importar o OFX, sugerir, confirmar e pendências rodam no "
        "bloco Uso do README (docs/exemplos/cadastros.jsonl e dezembro.ofx)"
    ),
    (
        "docs/web.md",
        "erario --db sqlite:///erario.db web --porta",
    ): "servidor HTTP em primeiro plano",
}

# Documentos cujos blocos ``sh`` rodam, todos e em ordem, em outro teste.
COBERTOS_EM = {
    "docs/siops.md": "tests/test_siops.py::test_fluxo_de_docs_siops",
    "docs/fcont.md": "tests/test_fcont_livros.py::test_fluxo_documentado",
}
# Blocos do README que resumem um documento coberto: cada comando está nele, igual.
RESUMOS = {"SPED FCONT": "docs/fcont.md"}

PREFEITURA = [
    "erario iniciar",
    "erario entidade criar --slug prefeitura --nome Prefeitura --cnpj 01602258000120 "
    "--tipo prefeitura --ibge 4312658 --poder-orgao 10131",
    "erario exercicio abrir prefeitura 2026",
]


@dataclass
class Contexto:
    """O que o texto do documento dá por suposto antes do primeiro bloco."""

    demo: bool = False  # o banco do ``erario demo``
    comandos: list[str] = field(default_factory=list)
    arquivos: dict[str, str] = field(default_factory=dict)  # nome no diretório → origem


CONTEXTO = {
    # "Cada comando que falha diz por quê": importar os saldos duas vezes.
    "docs/erros.md": Contexto(
        comandos=PREFEITURA, arquivos={"saldos.csv": "docs/exemplos/saldos.csv"}
    ),
    # "O ano do demo (erario demo, 2026)".
    "docs/esfinge.md": Contexto(demo=True),
    # O exemplo da seção: a execução de 2026 (docs/exemplos) e 2026 encerrado.
    "docs/eventos.md": Contexto(
        comandos=[
            *PREFEITURA,
            "erario importar docs/exemplos/cadastros.jsonl --tipo cadastros",
            "erario importar docs/exemplos/saldos.csv --tipo saldos --ano 2026",
            "erario importar docs/exemplos/eventos.jsonl --tipo eventos",
            "erario exercicio abrir prefeitura 2027",
            "erario exercicio encerrar prefeitura 2026",
        ]
    ),
    # "banco único": as três entidades locais do demo.
    "docs/consolidacao.md": Contexto(demo=True),
}


@dataclass(frozen=True)
class Comando:
    doc: str
    linha: int
    texto: str  # sem o comentário
    comentario: str
    bloco: str  # título da seção (## …) em que o bloco está

    @property
    def args(self) -> list[str]:
        return shlex.split(self.texto)

    def __str__(self) -> str:
        return f"{self.doc}:{self.linha}: {self.texto}"


def blocos(doc: str) -> Iterator[list[Comando]]:
    """Os blocos ``sh`` do documento, cada um como a lista dos seus comandos."""
    linhas = (RAIZ / doc).read_text(encoding="utf-8").splitlines()
    secao, i = "", 0
    while i < len(linhas):
        if linhas[i].startswith("## "):
            secao = linhas[i][3:].strip()
        if linhas[i].strip() != "```sh":
            i += 1
            continue
        bloco: list[Comando] = []
        i += 1
        while linhas[i].strip() != "```":
            inicio, texto = i + 1, linhas[i]
            while texto.endswith("\\"):  # linha continuada
                i += 1
                texto = texto[:-1] + " " + linhas[i].strip()
            if m := re.match(r"(.*<<\s*'?(\w+)'?)", texto):  # heredoc: um comando só
                fim = m.group(2)
                while linhas[i].strip() != fim:
                    i += 1
            i += 1
            codigo, _, comentario = _sem_comentario(texto)
            for parte in filter(None, (p.strip() for p in codigo.split(" && "))):
                bloco.append(Comando(doc, inicio, " ".join(parte.split()), comentario, secao))
        i += 1
        yield bloco


def _sem_comentario(texto: str) -> tuple[str, str, str]:
    """Separa ``código  # comentário`` (o ``#`` entre aspas não conta)."""
    aspas = ""
    for n, c in enumerate(texto):
        if c in "\"'" and (not aspas or aspas == c):
            aspas = "" if aspas else c
        elif c == "#" and not aspas and (n == 0 or texto[n - 1].isspace()):
            return texto[:n].strip(), "#", texto[n + 1 :].strip()
    return texto.strip(), "", ""


def motivo(c: Comando) -> str | None:
    for (doc, prefixo), m in NAO_RODADOS.items():
        if doc == c.doc and c.texto.startswith(prefixo):
            return m
    return None


@pytest.fixture(scope="module")
def banco_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    r = CliRunner().invoke(app, ["--db", f"sqlite:///{db}", "demo"])
    assert r.exit_code == 0, r.output
    return db


def _diretorio(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copytree(RAIZ / "docs" / "exemplos", tmp / "docs" / "exemplos")
    shutil.copytree(RAIZ / "tests" / "dados", tmp / "tests" / "dados")
    return tmp


def rodar(
    cenario: list[Comando],
    tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    contexto: Contexto | None = None,
    banco_demo: Path | None = None,
) -> int:
    """Roda os comandos do cenário num banco novo em ``tmp``; devolve quantos rodaram."""
    contexto = contexto or Contexto()
    tmp = _diretorio(tmp)
    db = tmp / "erario-docs.db"
    if contexto.demo:
        assert banco_demo is not None
        # cópia pela API de backup do SQLite: inclui o que ainda está no WAL
        with sqlite3.connect(banco_demo) as de, sqlite3.connect(db) as para:
            de.backup(para)
    for nome, origem in contexto.arquivos.items():
        shutil.copy(RAIZ / origem, tmp / nome)
    monkeypatch.chdir(tmp)
    runner = CliRunner()
    env = {"ERARIO_DB": f"sqlite:///{db}", "COLUMNS": "200"}
    preparo = [Comando("contexto", 0, t, "", "") for t in contexto.comandos]
    rodados = 0
    for c in [*preparo, *cenario]:
        if motivo(c) is not None:
            continue
        args = c.args
        assert args[0] == "erario", f"{c}: comando que não é do erario e não está em NAO_RODADOS"
        r = runner.invoke(app, args[1:], env=env, input=f"{SENHA}\n{SENHA}\n")
        recusa = "recusad" in c.comentario
        if recusa:
            assert r.exit_code == 1, (
                f"{c}\no exemplo mostra uma recusa, mas saiu {r.exit_code}:\n{r.output}"
            )
        else:
            assert r.exit_code == 0, f"{c}\nsaiu com {r.exit_code}:\n{r.output}{r.exception!r}"
        rodados += c.doc != "contexto"
    return rodados


DOCUMENTOS = sorted(
    ["README.md", *(p.relative_to(RAIZ).as_posix() for p in (RAIZ / "docs").glob("*.md"))]
)


def test_todo_documento_com_exemplos_esta_aqui() -> None:
    """Um documento novo com bloco ``sh`` entra sozinho em test_exemplos_do_documento;
    NAO_RODADOS não guarda entrada que não casa com nenhum comando."""
    usados = {
        (c.doc, p)
        for doc in DOCUMENTOS
        for b in blocos(doc)
        for c in b
        for (d, p) in NAO_RODADOS
        if d == c.doc and c.texto.startswith(p)
    }
    assert set(NAO_RODADOS) - usados == set()


@pytest.mark.parametrize("doc", [d for d in DOCUMENTOS if d not in COBERTOS_EM])
def test_exemplos_do_documento(
    doc: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    todos = list(blocos(doc))
    comandos = [c for b in todos for c in b]
    if not comandos:
        pytest.skip(f"{doc} não tem bloco sh")
    demo = request.getfixturevalue("banco_demo") if CONTEXTO.get(doc, Contexto()).demo else None
    if doc == "README.md":
        rodados = resumidos = 0
        for n, bloco in enumerate(todos):
            if bloco[0].bloco in RESUMOS:
                origem = RESUMOS[bloco[0].bloco]
                completos = {c.texto for b in blocos(origem) for c in b}
                faltam = [str(c) for c in bloco if c.texto not in completos]
                assert not faltam, f"resumo de {origem} com comando que ele não tem: {faltam}"
                resumidos += len(bloco)
                continue
            with monkeypatch.context() as m:
                rodados += rodar(bloco, tmp_path / f"bloco{n}", m)
        assert resumidos > 0
    else:
        rodados = rodar(comandos, tmp_path, monkeypatch, CONTEXTO.get(doc), demo)
        resumidos = 0
    assert rodados + resumidos == sum(motivo(c) is None for c in comandos)


def test_documentos_cobertos_em_outro_teste_rodam_todos_os_blocos() -> None:
    """Os testes de COBERTOS_EM leem todos os blocos ``sh`` do documento (não uma
    lista copiada): o de siops roda cada linha; o de fcont, cada bloco no bash."""
    for doc, teste in COBERTOS_EM.items():
        arquivo, nome = teste.split("::")
        fonte = (RAIZ / arquivo).read_text(encoding="utf-8")
        corpo = fonte.split(f"def {nome}(", 1)[1].split("\ndef ", 1)[0]
        assert Path(doc).name in corpo and 're.findall(r"```sh\\n(.*?)```"' in corpo, teste
        assert list(blocos(doc)), doc


def test_arquivos_de_exemplo_sao_os_dos_documentos() -> None:
    """docs/exemplos repete, byte a byte, o que os documentos mostram."""
    texto_ev = (RAIZ / "docs" / "eventos.md").read_text(encoding="utf-8")
    texto_imp = (RAIZ / "docs" / "importacao.md").read_text(encoding="utf-8")
    cadastros = re.search(r"```json\n(\{\"cadastro\": \"credor\".*?)```", texto_ev, re.S)
    eventos = re.search(r"```json\n(\{\"tipo\": \"dotacao_inicial\".*?)```", texto_ev, re.S)
    csv_ex = re.search(r"```csv\n(entidade;numero.*?)```", texto_imp, re.S)
    assert cadastros and eventos and csv_ex
    exemplos = RAIZ / "docs" / "exemplos"
    assert (exemplos / "cadastros.jsonl").read_text(encoding="utf-8") == cadastros.group(1)
    assert (exemplos / "eventos.jsonl").read_text(encoding="utf-8") == eventos.group(1)
    assert (exemplos / "lancamentos.csv").read_text(encoding="utf-8") == csv_ex.group(1)


def test_exemplos_de_importacao(tmp_path: Path) -> None:
    """O CSV e o JSON Lines de docs/importacao.md importam no PCASP base."""
    texto = (RAIZ / "docs" / "importacao.md").read_text(encoding="utf-8")
    csv_ex = re.search(r"```csv\n(entidade;numero.*?)```", texto, re.S)
    json_ex = re.search(r"```json\n(\{\"entidade\".*?)```", texto, re.S)
    assert csv_ex and json_ex
    (tmp_path / "l.csv").write_text(csv_ex.group(1), encoding="utf-8")
    (tmp_path / "l.jsonl").write_text(json_ex.group(1), encoding="utf-8")
    runner = CliRunner()
    db = ["--db", f"sqlite:///{tmp_path / 'i.db'}"]
    passos = [
        ["iniciar"],
        [
            "entidade", "criar", "--slug", "prefeitura", "--nome", "Prefeitura", "--cnpj",
            "01602258000120", "--tipo", "prefeitura", "--ibge", "4312658", "--poder-orgao", "10131",
        ],
        ["exercicio", "abrir", "prefeitura", "2026"],
        ["importar", str(tmp_path / "l.csv")],
        ["importar", str(tmp_path / "l.jsonl")],
    ]  # fmt: skip
    for args in passos:
        r = runner.invoke(app, [*db, *args])
        assert r.exit_code == 0, (args, r.output)
