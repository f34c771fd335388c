"""``erario esfinge``: pacote mensal Registros Contábeis do e-Sfinge (TCE-SC)."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from erario.cli import comum
from erario.core.datas import nome_mes
from erario.core.erros import Erro

if TYPE_CHECKING:  # os leiautes só são carregados pelos comandos que os usam
    from erario.leiautes import esfinge as esf
    from erario.leiautes.esfinge_geracao import PendenciaConciliacao
    from erario.leiautes.modelo import Pacote

app_esfinge = typer.Typer(
    help="e-Sfinge (TCE-SC): pacote mensal Registros Contábeis — gerar, validar, registrar o "
    "envio, pendentes.",
    no_args_is_help=True,
)


class FormatoPacote(StrEnum):
    json = "json"
    xlsx = "xlsx"


def _pendencias(arquivo: Path | None) -> list[PendenciaConciliacao]:
    from erario.leiautes.esfinge_geracao import ler_pendencias_csv

    if arquivo is None:
        return []
    pendencias, erros = ler_pendencias_csv(arquivo.read_text("utf-8"), arquivo.name)
    if erros:
        comum.mostrar_erros(erros, "Pendências da conciliação com problemas")
        raise typer.Exit(1)
    return pendencias


def _gerar(
    entidade: str, mes: str, conciliacao: Path | None, arquivo: Path | None = None
) -> tuple[Pacote, list[Erro], list[str]]:
    """Pacote gerado do razão (ou lido de ``arquivo``), os seus erros e os avisos."""
    from erario.leiautes import esfinge as esf

    ano, m = _mes_texto(mes)
    ((pacote, ctx, avisos),) = _pacotes(entidade, [(ano, m)], conciliacao, [arquivo])
    res = esf.validar_pacote_com_avisos(pacote, ctx)
    return pacote, res.erros, avisos + [str(a) for a in res.avisos]


def _mes_texto(mes: str) -> tuple[int, int]:

    return comum.ler_mes(mes)


def _pacotes(
    entidade: str,
    meses: list[tuple[int, int]],
    conciliacao: Path | None,
    arquivos: list[Path | None],
) -> list[tuple[Pacote, esf.ContextoEsfinge, list[str]]]:
    """Por mês: o pacote gerado do razão (contexto com o razão) ou lido do arquivo do mês
    (contexto sem o razão: as regras que o conferem ficam com uma nota), e os avisos do
    cadastro (``storage.esfinge.pacote_do_mes``, o mesmo da interface web)."""
    from erario.storage.esfinge import pacote_do_mes

    pendencias = _pendencias(conciliacao)
    repo = comum.repo()
    saida = []
    for (ano, m), arquivo in zip(meses, arquivos, strict=True):
        externo = (arquivo.name, arquivo.read_text("utf-8")) if arquivo is not None else None
        titulo = f"Pacote {arquivo.name} recusado" if arquivo is not None else "Operação recusada"
        p = comum.executar(
            partial(pacote_do_mes, repo, entidade, ano, m, pendencias, externo), titulo
        )
        saida.append((p.pacote, p.contexto, p.avisos))
    return saida


OpcaoConciliacao = Annotated[
    Path | None,
    typer.Option(
        "--conciliacao",
        help="CSV das pendências em 31/12 (conta;tipo;data;valor;tipo_documento;documento;descricao;regularizacao); "
        "substitui as da conciliação do erario nas contas que cita.",
        exists=True,
        dir_okay=False,
    ),
]


@app_esfinge.command("gerar")
def gerar(
    entidade: Annotated[str, typer.Argument(help="Slug da entidade (unidade gestora).")],
    mes: Annotated[str, typer.Argument(help="Ano e mês dos registros, AAAA-MM.")],
    formato: Annotated[FormatoPacote, typer.Option(help="json ou xlsx.")] = FormatoPacote.json,
    saida: Annotated[Path | None, typer.Option("-o", "--saida", help="Arquivo de saída.")] = None,
    conciliacao: OpcaoConciliacao = None,
) -> None:
    """Gera o pacote do mês a partir do razão; com qualquer problema, lista todos e não grava nada."""
    from erario.leiautes import esfinge as esf
    from erario.leiautes.escrita import para_json, para_xlsx

    pacote, erros, avisos = _gerar(entidade, mes, conciliacao)
    if erros:
        comum.mostrar_erros(erros, f"Pacote e-Sfinge {mes} de {entidade} inválido")
        raise typer.Exit(1)
    if formato == FormatoPacote.xlsx:
        if saida is None:
            raise typer.BadParameter("o formato xlsx precisa de -o ARQUIVO.xlsx")
        para_xlsx(esf.leiaute(), pacote, saida)
    else:
        texto = para_json(esf.leiaute(), pacote)
        if saida is None:
            sys.stdout.write(texto)
            return
        saida.write_text(texto, encoding="utf-8")
    for aviso in avisos:
        comum.console.print(comum.estilo((str(aviso), "yellow")))
    qtd = {k: len(v) for k, v in pacote.registros.items()}
    comum.console.print(
        f"Pacote e-Sfinge {mes} de {entidade} gravado em {saida}: "
        f"{qtd[esf.LANCAMENTO]} registro(s) de lançamento, {qtd[esf.CONTA_BANCARIA]} conta(s) "
        f"bancária(s), {qtd[esf.APLICACAO]} aplicação(ões)"
        + (
            f", {qtd[esf.SALDOS]} saldo(s) e {qtd[esf.CONCILIACAO]} pendência(s) de conciliação."
            if esf.SALDOS in qtd
            else "."
        )
    )


def _meses(texto: str) -> list[tuple[int, int]]:
    """``AAAA-MM`` ou ``AAAA-MM..AAAA-MM`` → os meses, em ordem."""
    inicio, _, fim = texto.partition("..")
    a, m = _mes_texto(inicio)
    b, n = _mes_texto(fim) if fim else (a, m)
    if (b, n) < (a, m):
        raise typer.BadParameter(f"'{texto}': o fim vem antes do início")
    meses = []
    while (a, m) <= (b, n):
        meses.append((a, m))
        a, m = (a + 1, 1) if m == 12 else (a, m + 1)
    return meses


@app_esfinge.command("validar")
def validar(
    entidade: Annotated[str, typer.Argument(help="Slug da entidade (unidade gestora).")],
    mes: Annotated[
        str,
        typer.Argument(help="Ano e mês dos registros, AAAA-MM, ou uma sequência AAAA-MM..AAAA-MM."),
    ],
    arquivo: Annotated[
        list[Path] | None,
        typer.Option(
            "--arquivo",
            help="Pacote JSON de fora (um por mês da sequência, na ordem); sem ele, valida o "
            "gerado do razão. Um arquivo de fora não é conferido contra o razão.",
            exists=True,
        ),
    ] = None,
    conciliacao: OpcaoConciliacao = None,
) -> None:
    """Aplica todas as regras do documento e lista cada problema com registro e campo; numa
    sequência de meses, cada pacote vê o que os anteriores enviaram (contas cadastradas,
    números de controle, encerramentos). Avisos são listados sem reprovar o pacote."""
    from erario.leiautes import esfinge as esf

    meses = _meses(mes)
    arquivos: list[Path | None] = list(arquivo) if arquivo else [None] * len(meses)
    if len(arquivos) != len(meses):
        raise typer.BadParameter(
            f"{len(arquivos)} arquivo(s) para {len(meses)} mês(es): informe um por mês"
        )
    pacotes = _pacotes(entidade, meses, conciliacao, arquivos)
    resultados = esf.validar_sequencia([(p, ctx) for p, ctx, _ in pacotes])
    falhou = False
    for (ano, m), res in zip(meses, resultados, strict=True):
        rotulo = f"{ano:04d}-{m:02d}"
        for aviso in res.avisos:
            comum.console.print(f"Aviso ({rotulo}): {aviso}", highlight=False, soft_wrap=True)
        if res.erros:
            falhou = True
            comum.mostrar_erros(res.erros, f"Pacote e-Sfinge {rotulo} de {entidade} inválido")
        else:
            comum.console.print(f"Pacote e-Sfinge {rotulo} de {entidade}: nenhum erro.")
    if falhou:
        raise typer.Exit(1)


@app_esfinge.command("pendentes")
def pendentes(
    hoje: Annotated[
        str | None, typer.Option("--hoje", help="Data de referência AAAA-MM-DD (padrão: hoje).")
    ] = None,
) -> None:
    """Pacotes devidos (mês já terminado) de cada entidade obrigada: prazo e atraso."""
    from erario.leiautes import esfinge as esf
    from erario.storage.esfinge import competencias_devidas, envios

    data = comum.ler_data(hoje) if hoje else dt.date.today()
    repo = comum.repo()
    feitos = [(e.entidade, e.ano, e.mes) for e in envios(repo)]
    lista = esf.pendencias(competencias_devidas(repo, data), data, feitos)
    if not lista:
        comum.console.print("Nenhum pacote e-Sfinge devido.")
        return
    from rich.table import Table
    from rich.text import Text

    t = Table(title=f"Pacotes e-Sfinge devidos em {data:%d/%m/%Y} (prazo: dia 20 do mês seguinte)")
    for titulo in ("Entidade", "Competência", "Prazo", "Situação"):
        t.add_column(titulo)
    for p in lista:
        situacao = (
            Text(f"atrasado há {p.dias} dia(s)", style="red")
            if p.atrasado
            else f"no prazo (faltam {p.dias} dia(s))"
        )
        t.add_row(p.entidade, f"{nome_mes(p.mes)}/{p.ano}", f"{p.prazo:%d/%m/%Y}", situacao)
    comum.imprimir_largo(t)
    comum.console.print(
        "Meses terminados dos exercícios abertos deste ano e do anterior, menos os "
        "registrados como enviados (erario esfinge enviado)."
    )


@app_esfinge.command("enviado")
def enviado(
    entidade: Annotated[str, typer.Argument(help="Slug da entidade (unidade gestora).")],
    mes: Annotated[str, typer.Argument(help="Ano e mês dos registros, AAAA-MM.")],
    arquivo: Annotated[
        Path,
        typer.Argument(help="O pacote JSON enviado ao TCE.", exists=True, dir_okay=False),
    ],
    protocolo: Annotated[str, typer.Option(help="Protocolo do envio no e-Sfinge Online.")] = "",
    conciliacao: OpcaoConciliacao = None,
) -> None:
    """Registra o envio do pacote do mês: valida o arquivo enviado com todas as regras e
    guarda o SHA-256 e o protocolo; o mês sai de `erario esfinge pendentes`."""
    import hashlib

    from erario.storage.esfinge import registrar_envio

    ano, m = comum.ler_mes(mes)
    _, erros, _ = _gerar(entidade, mes, conciliacao, arquivo)
    if erros:
        comum.mostrar_erros(erros, f"Pacote {arquivo.name} inválido: envio não registrado")
        raise typer.Exit(1)
    sha = hashlib.sha256(arquivo.read_bytes()).hexdigest()
    e = comum.executar(
        lambda: registrar_envio(comum.repo(), entidade, ano, m, sha, protocolo.strip())
    )
    comum.console.print(
        f"Envio do pacote e-Sfinge {mes} de {entidade} registrado em "
        f"{e.quando:%d/%m/%Y %H:%M} UTC (SHA-256 {sha[:12]}…"
        + (f", protocolo {e.protocolo})." if e.protocolo else ").")
    )


@app_esfinge.command("envios")
def listar_envios(
    entidade: Annotated[
        str | None, typer.Argument(help="Slug da entidade (todas se omitido).")
    ] = None,
) -> None:
    """Envios registrados (retificações incluídas), do mais antigo ao mais novo."""
    from rich.table import Table

    from erario.storage.esfinge import envios

    t = Table(title="Envios do e-Sfinge")
    for titulo in (
        "Entidade",
        "Competência",
        "Registrado em (UTC)",
        "Usuário",
        "SHA-256",
        "Protocolo",
    ):
        t.add_column(titulo)
    for e in envios(comum.repo(), entidade):
        t.add_row(
            e.entidade, f"{e.mes:02d}/{e.ano}", f"{e.quando:%d/%m/%Y %H:%M}", e.usuario,
            e.sha256[:12] + "…", e.protocolo,
        )  # fmt: skip
    comum.imprimir_largo(t)
