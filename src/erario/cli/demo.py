"""``erario demo``: um município de exemplo com os relatórios principais."""

from __future__ import annotations

from typing import Annotated

import typer

from erario.cli.comum import Formato, console, emitir_balancete, emitir_relatorio, executar, repo


def demo(
    ano: Annotated[int, typer.Option(help="Exercício da demonstração.")] = 2026,
) -> None:
    """Monta um município de exemplo (Prefeitura, Câmara, RPPS) e imprime o balancete consolidado."""
    from erario.demo import montar_demo
    from erario.execucao.relatorios import execucao_despesa, execucao_receita, restos_a_pagar
    from erario.relatorios import execucao as rel_execucao
    from erario.retencoes.relatorios import EVENTOS_LIDOS, guias_a_recolher
    from erario.storage.consultas_execucao import TUDO

    r = repo()
    resumo = executar(lambda: montar_demo(r, ano))
    console.print(resumo)
    b = r.balancete(["prefeitura", "camara", "rpps"], ano, 1, 12, nivel_maximo=5)
    emitir_balancete(r, b, Formato.tabela, None)
    controle = r.controle("prefeitura", so=TUDO, eventos=EVENTOS_LIDOS)
    nome = r.entidade("prefeitura").nome
    emitir_relatorio(
        f"Execução da despesa — {nome}, {ano}",
        rel_execucao.COLUNAS_DESPESA,
        execucao_despesa(controle, "prefeitura", ano),
        Formato.tabela,
        None,
        {},
    )
    emitir_relatorio(
        f"Execução da receita — {nome}, {ano}",
        rel_execucao.COLUNAS_RECEITA,
        execucao_receita(controle, "prefeitura", ano),
        Formato.tabela,
        None,
        {},
    )
    emitir_relatorio(
        f"Retenções: receita própria e guias a pagar — {nome}",
        rel_execucao.COLUNAS_GUIAS,
        guias_a_recolher(controle, r.cadastro_retencoes(), "prefeitura"),
        Formato.tabela,
        None,
        {},
    )
    emitir_relatorio(
        f"Restos a pagar inscritos no encerramento de {ano} — {nome}",
        rel_execucao.COLUNAS_RESTOS,
        restos_a_pagar(controle, "prefeitura", ano),
        Formato.tabela,
        None,
        {},
    )
