"""``erario iniciar`` e ``erario verificar``: o banco e a integridade do razão."""

from __future__ import annotations

import typer

from erario.cli.comum import console, erro_console, estilo, executar, mostrar_erros, repo


def iniciar() -> None:
    """Cria ou atualiza o banco e carrega o plano base (PCASP Federação) se não houver plano."""
    from erario.razao.plano import plano_base

    r = repo()
    if "PCASP" not in r.planos():
        resumo = executar(lambda: r.gravar_plano(plano_base()))
        console.print(f"Plano PCASP carregado: {resumo.novas} contas.")
    console.print(f"Banco pronto: {r.engine.url.render_as_string(hide_password=True)}")


def verificar() -> None:
    """Recalcula os saldos a partir do razão e confere partidas dobradas; lista toda diferença."""
    r = repo()
    with erro_console.status("Recalculando saldos a partir do razão…"):
        erros = r.verificar()
    if erros:
        mostrar_erros(erros, "Verificação encontrou diferenças")
        raise typer.Exit(1)
    console.print(
        estilo(
            ("Razão íntegro:", "green"), " saldos iguais ao razão e todos os lançamentos fecham."
        )
    )
