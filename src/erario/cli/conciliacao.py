"""``erario conciliacao``: extratos bancários, casamento com o razão e pendências."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from erario.cli import comum
from erario.conciliacao import JANELA_PADRAO
from erario.core.datas import fim_do_mes
from erario.core.dinheiro import ValorInvalido, formatar_brl

if TYPE_CHECKING:  # o casamento e o banco só são carregados pelos comandos
    from erario.conciliacao.casamento import Par
    from erario.storage.conciliacao import Situacao

app_conciliacao = typer.Typer(
    help="Conciliação bancária: importar extrato (OFX ou CSV), sugerir, confirmar e "
    "desfazer casamentos com o razão, pendências e saldo conciliado.",
    no_args_is_help=True,
)

ArgEntidade = Annotated[str, typer.Argument(help="Slug da entidade.")]
ArgConta = Annotated[str, typer.Argument(help="Código da conta bancária no cadastro.")]
ArgMes = Annotated[str, typer.Argument(help="Mês da conciliação, AAAA-MM (até o último dia).")]
OpcaoJanela = Annotated[
    int, typer.Option("--janela", min=0, help="Dias de diferença aceitos entre extrato e razão.")
]


def _fim_do_mes(texto: str) -> dt.date:
    return fim_do_mes(*comum.ler_mes(texto))


def _situacao(entidade: str, conta: str, mes: str, janela: int) -> tuple[dt.date, Situacao]:
    """O último dia do mês e a situação da conta nele (sugestões, pendências, equação)."""
    from erario.storage.conciliacao import situacao

    ate = _fim_do_mes(mes)
    repo = comum.repo()
    return ate, comum.executar(lambda: situacao(repo, entidade, conta, ate, janela))


@app_conciliacao.command("importar")
def importar(
    entidade: ArgEntidade,
    conta: ArgConta,
    arquivo: Annotated[
        Path,
        typer.Argument(
            help="Extrato .ofx (1.x ou 2.x) ou .csv (data;valor;documento;descricao).",
            exists=True,
            dir_okay=False,
        ),
    ],
    saldo: Annotated[
        str | None,
        typer.Option("--saldo", help="CSV: saldo do extrato ao fim do dia --em (ex.: 4300,00)."),
    ] = None,
    em: Annotated[str | None, typer.Option("--em", help="Data do --saldo, AAAA-MM-DD.")] = None,
    sem_conferir_conta: Annotated[
        bool,
        typer.Option("--sem-conferir-conta", help="Não conferir a conta do OFX com a do cadastro."),
    ] = False,
) -> None:
    """Grava as linhas novas do extrato (reimportar não duplica) e o saldo informado."""
    from erario.conciliacao.extrato import SaldoExtrato, ler_csv, ler_ofx
    from erario.core.dinheiro import Dinheiro
    from erario.storage.conciliacao import importar_extrato

    if arquivo.suffix.lower() in (".ofx", ".qfx"):
        extrato, erros = ler_ofx(arquivo.read_bytes(), arquivo.name)
    else:
        extrato, erros = ler_csv(arquivo.read_text("utf-8"), arquivo.name)
    if extrato is None or erros:
        comum.mostrar_erros(erros, f"Extrato {arquivo.name} com problemas")
        raise typer.Exit(1)
    if (saldo is None) != (em is None):
        raise typer.BadParameter("--saldo e --em vão juntos")
    if saldo is not None and em is not None:
        try:
            centavos = Dinheiro(saldo.replace(",", ".")).centavos
        except (ValorInvalido, ValueError):
            raise typer.BadParameter(f"--saldo '{saldo}': use 1234,56 ou -1234,56") from None
        extrato = extrato._replace(
            saldos=(*extrato.saldos, SaldoExtrato(comum.ler_data(em), centavos))
        )
    repo = comum.repo()
    resumo = comum.executar(
        lambda: importar_extrato(
            repo, entidade, conta, extrato, arquivo.name, conferir_conta=not sem_conferir_conta
        ),
        f"Importação de {arquivo.name} recusada",
    )
    comum.console.print(
        f"Extrato {arquivo.name} da conta {conta}: {resumo.novas} linha(s) nova(s), "
        f"{resumo.repetidas} já importada(s), {resumo.saldos} saldo(s)."
    )


@app_conciliacao.command("sugerir")
def sugerir(
    entidade: ArgEntidade, conta: ArgConta, mes: ArgMes, janela: OpcaoJanela = JANELA_PADRAO
) -> None:
    """Casamentos sugeridos (nada é gravado): confirme com ``erario conciliacao confirmar``."""

    ate, sit = _situacao(entidade, conta, mes, janela)
    if not sit.sugestoes:
        comum.console.print(f"Nenhum casamento a sugerir na conta {conta} até {ate:%d/%m/%Y}.")
        return
    from rich.table import Table

    t = Table(title=f"Casamentos sugeridos — conta {conta} até {ate:%d/%m/%Y}")
    for titulo in (
        "Linha",
        "Data extrato",
        "Documento",
        "Lançamento",
        "Data razão",
        "Valor",
        "Critério",
    ):
        t.add_column(titulo)
    for s in sit.sugestoes:
        t.add_row(
            str(s.linha.id),
            f"{s.linha.data:%d/%m/%Y}",
            s.linha.documento,
            s.movimento.lancamento,
            f"{s.movimento.data:%d/%m/%Y}",
            formatar_brl(s.linha.centavos),
            s.criterio,
        )
    comum.imprimir_largo(t)


def _par(texto: str) -> Par:
    from erario.conciliacao.casamento import Par

    linha, sep, numero = texto.partition("=")
    if not sep or not linha.strip().isdigit() or not numero.strip():
        raise typer.BadParameter(f"'{texto}': use LINHA=LANCAMENTO, ex.: 12=PAG-1")
    return Par(int(linha), numero.strip())


@app_conciliacao.command("confirmar")
def confirmar(
    entidade: ArgEntidade,
    conta: ArgConta,
    mes: ArgMes,
    linha: Annotated[
        list[int] | None,
        typer.Option("--linha", help="Só a sugestão desta linha do extrato (repetível)."),
    ] = None,
    par: Annotated[
        list[str] | None,
        typer.Option("--par", help="Casamento informado LINHA=LANCAMENTO (repetível)."),
    ] = None,
    janela: OpcaoJanela = JANELA_PADRAO,
) -> None:
    """Confirma as sugestões do mês (todas, ou as das --linha) e os --par informados."""
    from erario.conciliacao.casamento import Par
    from erario.storage import conciliacao as sc

    ate = _fim_do_mes(mes)
    repo = comum.repo()
    manuais = [_par(p) for p in par or []]
    if manuais and not linha:
        pares = manuais
    else:
        sit = comum.executar(lambda: sc.situacao(repo, entidade, conta, ate, janela))
        escolhidas = set(linha or [])
        pares = [
            Par(s.linha.id, s.movimento.lancamento)
            for s in sit.sugestoes
            if s.linha.id is not None and (not escolhidas or s.linha.id in escolhidas)
        ] + manuais
    n = comum.executar(lambda: sc.confirmar(repo, entidade, conta, pares), "Confirmação recusada")
    comum.console.print(f"{n} casamento(s) confirmado(s) na conta {conta}.")


@app_conciliacao.command("desfazer")
def desfazer(
    entidade: ArgEntidade,
    conta: ArgConta,
    mes: ArgMes,
    linha: Annotated[
        list[int] | None,
        typer.Option("--linha", help="Só o casamento desta linha do extrato (repetível)."),
    ] = None,
) -> None:
    """Desfaz os casamentos das linhas do extrato do mês (ou só os das --linha)."""
    from erario.storage import conciliacao as sc

    ano_mes = comum.ler_mes(mes)
    repo = comum.repo()
    n = comum.executar(
        lambda: sc.desfazer(repo, entidade, conta, linhas=linha or [], mes=ano_mes),
        "Desfazer recusado",
    )
    comum.console.print(f"{n} casamento(s) desfeito(s) na conta {conta}.")


@app_conciliacao.command("pendencias")
def pendencias(
    entidade: ArgEntidade, conta: ArgConta, mes: ArgMes, janela: OpcaoJanela = JANELA_PADRAO
) -> None:
    """Pendências no fim do mês (Tabelas 70 e 71 do TCE-SC) e a equação do saldo conciliado."""
    from erario.conciliacao.casamento import TipoPendencia
    from erario.leiautes.esfinge_geracao import pendencia_esfinge

    titulos = {
        TipoPendencia.CREDITO_EXTRATO: "(+) créditos no extrato não contabilizados",
        TipoPendencia.DEBITO_EXTRATO: "(−) débitos no extrato não contabilizados",
        TipoPendencia.CREDITO_RAZAO: "(−) entradas contabilizadas fora do extrato",
        TipoPendencia.DEBITO_RAZAO: "(+) saídas contabilizadas fora do extrato",
    }
    ate, sit = _situacao(entidade, conta, mes, janela)
    if sit.pendencias:
        from rich.table import Table

        t = Table(title=f"Pendências da conta {conta} em {ate:%d/%m/%Y}")
        for titulo in (
            "Tab. 70",
            "Data",
            "Valor",
            "Tab. 71",
            "Documento",
            "Regularização",
            "Descrição",
        ):
            t.add_column(titulo)
        for p in sit.pendencias:
            e = pendencia_esfinge(conta, p)
            t.add_row(
                e.tipo,
                f"{p.data:%d/%m/%Y}",
                formatar_brl(p.centavos),
                e.tipo_documento,
                e.documento,
                f"{p.regularizacao:%d/%m/%Y}" if p.regularizacao else "",
                e.descricao,
            )
        comum.imprimir_largo(t)
    else:
        comum.console.print(f"Nenhuma pendência na conta {conta} em {ate:%d/%m/%Y}.")
    eq = sit.equacao
    comum.console.print(f"Saldo contábil em {ate:%d/%m/%Y}: {formatar_brl(eq.saldo_contabil)}")
    for tipo, soma in eq.por_tipo.items():
        if soma:
            comum.console.print(f"  {titulos[tipo]}: {formatar_brl(soma)}")
    comum.console.print(f"Saldo conciliado: {formatar_brl(eq.saldo_conciliado)}")
    if eq.saldo_extrato is None:
        comum.console.print("Saldo do extrato: não informado (importe o OFX ou use --saldo/--em).")
        return
    comum.console.print(f"Saldo do extrato: {formatar_brl(eq.saldo_extrato)}")
    if eq.fecha:
        comum.console.print(
            comum.estilo(("A conciliação fecha: saldo conciliado = saldo do extrato.", "green"))
        )
    else:
        assert eq.diferenca is not None
        comum.console.print(
            comum.estilo((f"Diferença não explicada: {formatar_brl(eq.diferenca)}", "red"))
        )
        raise typer.Exit(1)
