"""``erario conferir-balancete``: o aceite da migração — o balancete do erario
conferido, conta a conta, com o exportado pelo sistema anterior (docs/migracao.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from erario.cli.comum import console, executar, ler_intervalo, mostrar_erros, repo


def conferir_balancete(
    entidade: Annotated[str, typer.Argument(help="Entidade (slug).")],
    arquivo: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="Balancete do sistema anterior: CSV conta;saldo_anterior;debitos;creditos;"
            "saldo_atual, ou o do TCE-RS.",
        ),
    ],
    mes: Annotated[
        str | None, typer.Option(help="Competência AAAA-MM (use --de/--ate para intervalo).")
    ] = None,
    de: Annotated[str | None, typer.Option(help="Início AAAA-MM (00 = abertura).")] = None,
    ate: Annotated[str | None, typer.Option(help="Fim AAAA-MM (13 = encerramento).")] = None,
) -> None:
    """Confere o balancete do erario com o do sistema anterior e lista cada diferença.

    Sai com código 0 se todas as contas batem (saldo anterior, débitos, créditos e
    saldo atual, ao centavo); 1 se houver diferença ou o arquivo for ilegível.
    """
    from erario.razao.conferencia import comparar, ler_balancete_anterior

    ano, inicio, fim = ler_intervalo(mes, de, ate)
    r = repo()
    ent = executar(lambda: r.entidade(entidade))
    plano = executar(lambda: r.plano(ent.plano))
    try:
        texto = arquivo.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        from erario.core.erros import Erro

        erro = Erro(
            "CARGA-CODIFICACAO",
            f"texto fora do UTF-8 (byte {exc.start + 1}): salve o arquivo em UTF-8",
            None,
            None,
            arquivo.name,
        )
        mostrar_erros([erro], "Conferência recusada")
        raise typer.Exit(1) from None
    anterior, erros = ler_balancete_anterior(texto, plano.mascara, arquivo.name)
    if erros:
        mostrar_erros(erros, "Conferência recusada")
        raise typer.Exit(1)
    bal = executar(lambda: r.balancete([entidade], ano, inicio, fim))
    diferencas = comparar(bal.linhas, anterior)
    periodo = f"{inicio:02d}/{ano}" if inicio == fim else f"{inicio:02d} a {fim:02d}/{ano}"
    if not diferencas:
        console.print(
            f"Balancete de {entidade} ({periodo}) confere com {arquivo.name}: "
            f"{len(anterior)} contas, nenhuma diferença."
        )
        return
    mostrar_erros(
        [d.erro() for d in diferencas],
        f"Balancete de {entidade} ({periodo}) difere de {arquivo.name} em "
        f"{len({d.conta for d in diferencas})} conta(s)",
    )
    raise typer.Exit(1)
