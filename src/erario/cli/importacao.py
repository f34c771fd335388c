"""``erario importar``: lançamentos, saldos de abertura, eventos, cadastros e
retenções, tudo ou nada (docs/importacao.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, cast

import typer

from erario.cli.comum import console, estilo, executar, mostrar_erros, progresso, repo
from erario.core.erros import Erro, OperacaoRecusada

if TYPE_CHECKING:
    from erario.razao import carga
    from erario.storage.repositorio import Repositorio


class TipoCarga(StrEnum):
    lancamentos = "lancamentos"
    saldos = "saldos"
    eventos = "eventos"
    cadastros = "cadastros"
    retencoes = "retencoes"


def _contar_linhas(arquivo: Path) -> int:
    n = 0
    with arquivo.open("rb") as f:
        while bloco := f.read(1 << 20):
            n += bloco.count(b"\n")
    return n


def importar(
    arquivo: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Arquivo CSV ou JSON Lines.")
    ],
    tipo: Annotated[
        TipoCarga,
        typer.Option(
            help="lancamentos, saldos (implantação de abertura), eventos orçamentários, "
            "cadastros (credores, contas bancárias e classificações orçamentárias) ou "
            "retencoes (descontos, serviços, tabela do IRRF, teto do INSS, parâmetros), "
            "os três últimos em JSON Lines."
        ),
    ] = (TipoCarga.lancamentos),
    ano: Annotated[
        int | None, typer.Option(help="Exercício dos saldos de abertura (com --tipo saldos).")
    ] = None,
    validar: Annotated[
        bool, typer.Option("--validar", help="Só valida: lista os problemas e não grava.")
    ] = False,
) -> None:
    """Importa lançamentos (CSV ou JSON Lines) ou saldos de abertura, tudo ou nada.

    Todas as linhas com problema são listadas (linha, campo, motivo); se houver
    alguma, nada é gravado. Esquema dos arquivos: docs/importacao.md.
    """
    try:
        _importar(arquivo, tipo, ano, validar)
    except UnicodeDecodeError as exc:
        # CSV de lançamentos relata a linha (CARGA-CODIFICACAO); aqui, os demais formatos.
        erro = Erro(
            "CARGA-CODIFICACAO",
            f"texto fora do UTF-8 (byte {exc.start + 1}): salve o arquivo em UTF-8",
            None,
            None,
            arquivo.name,
        )
        mostrar_erros([erro], f"Importação de {arquivo.name} recusada")
        raise typer.Exit(1) from None


def _importar(arquivo: Path, tipo: TipoCarga, ano: int | None, validar: bool) -> None:
    from erario.razao import carga

    r = repo()
    total = _contar_linhas(arquivo)
    with progresso() as prog, arquivo.open(encoding="utf-8", newline="") as f:
        tarefa = prog.add_task(f"Importando {arquivo.name}", total=total)

        def avanco(n: int) -> None:
            prog.advance(tarefa, n)

        blocos: Iterable[carga.Lote] | None = None
        if tipo == TipoCarga.cadastros:
            resumo_c = executar(
                lambda: r.registrar_cadastros(f, arquivo.name, validar=validar),
                f"Importação de {arquivo.name} recusada",
            )
            prog.update(tarefa, completed=total)
            acao = "válido(s); nada gravado (--validar)" if validar else "gravado(s)"
            console.print(
                f"{resumo_c.credores} credor(es) e {resumo_c.contas_bancarias} "
                f"conta(s) bancária(s) {acao}."
            )
            if resumo_c.encerramentos:
                console.print(f"{resumo_c.encerramentos} encerramento(s) de conta bancária {acao}.")
            if sum(resumo_c[2:7]):
                console.print(
                    f"Classificações: {resumo_c.orgaos} órgão(s), {resumo_c.unidades} "
                    f"unidade(s), {resumo_c.programas} programa(s), {resumo_c.acoes} "
                    f"ação(ões), {resumo_c.fontes} fonte(s) {acao}."
                )
            return
        if tipo == TipoCarga.retencoes:
            n = executar(
                lambda: r.registrar_retencoes(f, arquivo.name, validar=validar),
                f"Importação de {arquivo.name} recusada",
            )
            prog.update(tarefa, completed=total)
            acao = "válido(s); nada gravado (--validar)" if validar else "gravado(s)"
            console.print(f"{n} cadastro(s) de retenção {acao}.")
            return
        if tipo == TipoCarga.eventos:
            _importar_eventos(r, arquivo, validar, lambda n: prog.update(tarefa, completed=n))
            prog.update(tarefa, completed=total)
            return
        if tipo == TipoCarga.saldos:
            if ano is None:
                raise typer.BadParameter("informe --ano para os saldos de abertura")
            blocos = [carga.ler_saldos_abertura_csv(f, ano, arquivo.name)]
        elif arquivo.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            # em bytes: linha limitada, BOM aceito e erro de codificação com a linha
            blocos = [
                carga.ler_lancamentos_jsonl(cast("IO[bytes]", f.buffer), arquivo.name, avanco)
            ]
        try:
            if blocos is None:  # CSV de lançamentos: leitura em bytes, com o acelerador
                with arquivo.open("rb") as binario:
                    resumo = r.importar_csv(binario, arquivo.name, avanco=avanco, validar=validar)
            else:
                resumo = r.importar(blocos, origem=arquivo.name, validar=validar)
        except OperacaoRecusada as exc:
            prog.stop()
            mostrar_erros(exc.erros, f"Importação de {arquivo.name} recusada")
            raise typer.Exit(1) from None

        prog.update(tarefa, completed=total)
    acao = "válido(s); nada gravado (--validar)" if validar else "importado(s)"
    console.print(f"{resumo.lancamentos} lançamento(s), {resumo.partidas} partida(s) {acao}.")
    if resumo.lancamentos == 0:
        console.print(
            estilo(
                ("aviso", "yellow"), f": {arquivo.name} não tem nenhum lançamento (só o cabeçalho?)"
            )
        )


def _importar_eventos(
    r: Repositorio,
    arquivo: Path,
    validar: bool,
    avanco: Callable[[int], None] | None = None,
) -> None:
    from erario.execucao.carga import TextosLidos
    from erario.execucao.leitura_paralela import eventos_do_arquivo

    # Em fluxo (o arquivo grande, lido noutro processo): os erros de leitura
    # entram na conferência dos eventos bem formados (nada é gravado), para
    # listar tudo de uma vez.
    nome = arquivo.name
    erros: list[Erro] = []
    textos: TextosLidos = {}  # o texto de cada linha vai para evento.dados
    try:
        resumo = r.registrar_eventos(
            eventos_do_arquivo(arquivo, nome, erros, textos),
            nome,
            validar=validar,
            erros_leitura=erros,
            textos_lidos=textos,
            progresso=avanco,
        )
    except OperacaoRecusada as exc:
        mostrar_erros(exc.erros, f"Importação de {nome} recusada")
        raise typer.Exit(1) from None
    acao = "válido(s); nada gravado (--validar)" if validar else "registrado(s)"
    console.print(
        f"{resumo.eventos} evento(s) {acao}: {resumo.lancamentos} lançamento(s), "
        f"{resumo.partidas} partida(s)."
        + (
            f" Desses, {resumo.loa_incorporada} da LOA de entidades incorporadas, sem lançamento."
            if resumo.loa_incorporada
            else ""
        )
    )
    for aviso in resumo.avisos:
        console.print(estilo(("aviso", "yellow"), f" {aviso}"))
