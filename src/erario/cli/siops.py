"""``erario siops``: equivalências, marcas, demonstrativo (RREO Anexo 12) e os
arquivos bimestrais de integração do SIOPS (docs/siops.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from erario.cli.comum import (
    Formato,
    OpcaoEntidade,
    OpcaoFormato,
    OpcaoSaida,
    console,
    emitir_relatorio,
    estilo,
    executar,
    mostrar_erros,
    obter_entidade,
    repo,
)
from erario.core.erros import Erro

if TYPE_CHECKING:
    from erario.siops.apuracao import Apuracao
    from erario.storage.repositorio import Repositorio

app_siops = typer.Typer(
    help="SIOPS: equivalências (de-para), marcas, demonstrativo das ASPS e os arquivos "
    "bimestrais de integração.",
    no_args_is_help=True,
)

OpcaoAno = Annotated[int, typer.Argument(help="Exercício (AAAA).")]
OpcaoBimestre = Annotated[int, typer.Argument(help="Bimestre (1 a 6), acumulado desde janeiro.")]
OpcaoIbge = Annotated[
    str | None,
    typer.Option(help="Município (código IBGE); padrão: o da Prefeitura cadastrada."),
]


@app_siops.command("equivalencias")
def equivalencias(
    entidade: OpcaoEntidade,
    ano: OpcaoAno,
    sugerir: Annotated[
        bool, typer.Option("--sugerir", help="Sugere o que falta relacionar (marcado 'sugerida').")
    ] = False,
    confirmar: Annotated[
        bool, typer.Option("--confirmar", help="Confirma todas as equivalências listadas.")
    ] = False,
    copiar_de: Annotated[
        str | None,
        typer.Option(
            "--copiar-de",
            help="Copia as confirmadas (receita, despesa, recurso) de outra entidade.",
        ),
    ] = None,
    exportar: Annotated[
        Path | None, typer.Option("--exportar", help="Grava as equivalências num CSV.")
    ] = None,
    importar: Annotated[
        Path | None,
        typer.Option(
            "--importar",
            help="Lê um CSV tipo;origem;destino;situacao (substitui as de mesma origem).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Lista, sugere, confirma, copia, importa ou exporta o de-para da entidade no exercício."""
    from erario.siops import equivalencias as eq
    from erario.storage import siops as st

    r = repo()
    obter_entidade(r, entidade)
    eqs = executar(lambda: st.equivalencias(r, entidade, ano))
    if importar is not None:
        lidas, erros = eq.ler_csv(importar.read_text("utf-8"), importar.name)
        if erros:
            mostrar_erros(erros, f"Equivalências de {importar.name} com problemas")
            raise typer.Exit(1)
        novas = {(e.tipo, e.origem): e for e in eqs} | {(e.tipo, e.origem): e for e in lidas}
        eqs = eq.ordenar(novas.values())
    if copiar_de is not None:
        obter_entidade(r, copiar_de)
        eqs, n = eq.copiar(st.equivalencias(r, copiar_de, ano), eqs)
        console.print(f"{n} equivalência(s) copiada(s) de {copiar_de}.")
    if sugerir:
        controle = r.controle(entidade, eventos=True)
        antes = len(eqs)
        eqs = eq.completar(st.candidatas(r, controle, entidade, ano), eqs)
        console.print(f"{len(eqs) - antes} equivalência(s) sugerida(s).")
    if confirmar:
        eqs = eq.confirmar_todas(eqs)
    if importar is not None or copiar_de is not None or sugerir or confirmar:
        executar(lambda: st.gravar_equivalencias(r, entidade, ano, eqs))
    if exportar is not None:
        exportar.write_text(eq.para_csv(eqs), encoding="utf-8")
        console.print(f"{len(eqs)} equivalência(s) gravada(s) em {exportar}.")
        return
    from erario.relatorios.tabela import Coluna

    emitir_relatorio(
        f"Equivalências SIOPS — {entidade}, {ano}",
        (
            Coluna("tipo", "Tipo"),
            Coluna("origem", "Origem (erario)"),
            Coluna("destino", "Destino (SIOPS)"),
            Coluna("situacao", "Situação"),
        ),
        [(e.tipo.value, e.origem, e.destino, e.situacao.value) for e in eqs],
        Formato.tabela,
        None,
        {},
    )


@app_siops.command("marcar")
def marcar(
    entidade: OpcaoEntidade,
    ano: OpcaoAno,
    alvo: Annotated[
        str, typer.Argument(help="dotacao, empenho, receita (natureza) ou fonte (FR).")
    ],
    codigo: Annotated[
        str, typer.Argument(help="Código da dotação, número do empenho, natureza ou fonte.")
    ],
    marcas: Annotated[
        list[str],
        typer.Argument(
            help="CHAVE=VALOR: SAUDE, ASPS, TIPO_ASPS, RP_CANCELADOS, "
            "LIMITE_NAO_CUMPRIDO, CONSORCIO, COVID, COVID_SIOPS_REC, COVID_SIOPS_DESP."
        ),
    ],
    remover: Annotated[bool, typer.Option("--remover", help="Tira as marcas dadas.")] = False,
) -> None:
    """Marca (ou desmarca) uma dotação, empenho, natureza de receita ou fonte para o SIOPS."""
    from erario.siops import marcas as mc
    from erario.storage import siops as st

    r = repo()
    obter_entidade(r, entidade)
    erros: list[Erro] = []
    try:
        a = mc.Alvo(alvo)
    except ValueError:
        raise typer.BadParameter(
            f"alvo '{alvo}' inválido: use {', '.join(x.value for x in mc.Alvo)}"
        ) from None
    novas = []
    for texto in marcas:
        chave, sep, valor = texto.partition("=")
        if not sep and not remover:
            erros.append(Erro("SIOPS-MARCA", f"'{texto}': use CHAVE=VALOR"))
            continue
        m = mc.marca(a, codigo, chave, valor or "")
        erros += [] if remover else mc.conferir_marca(m)
        novas.append(m)
    if erros:
        mostrar_erros(erros, "Marcas recusadas")
        raise typer.Exit(1)
    executar(lambda: st.gravar_marcas(r, entidade, ano, novas, remover))
    console.print(
        f"{len(novas)} marca(s) {'removida(s)' if remover else 'gravada(s)'} em {a.value} {codigo}."
    )


@app_siops.command("marcas")
def listar_marcas(entidade: OpcaoEntidade, ano: OpcaoAno) -> None:
    """As marcas do SIOPS da entidade no exercício."""
    from erario.relatorios.tabela import Coluna
    from erario.storage import siops as st

    r = repo()
    obter_entidade(r, entidade)
    emitir_relatorio(
        f"Marcas SIOPS — {entidade}, {ano}",
        (Coluna("alvo", "Alvo"), Coluna("codigo", "Código"), Coluna("chave", "Marca"),
         Coluna("valor", "Valor")),
        [tuple(m) for m in st.marcas(r, entidade, ano)],
        Formato.tabela,
        None,
        {},
    )  # fmt: skip


def apurar(r: Repositorio, ano: int, bimestre: int, ibge: str | None = None) -> Apuracao:
    """A apuração do município — as entidades com razão neste banco e as
    incorporadas (LOA guardada e balancetes do servidor) —, ou recusa com todos os
    problemas: equivalências pendentes, marcas em conflito, balancetes que faltam."""
    from erario.storage import siops as st

    if not 1 <= bimestre <= 6:
        raise typer.BadParameter("bimestre de 1 a 6")
    return st.apurar_municipio(r, ano, bimestre, ibge)


@app_siops.command("demonstrativo")
def demonstrativo(
    ano: OpcaoAno,
    bimestre: OpcaoBimestre,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
    ibge: OpcaoIbge = None,
) -> None:
    """Receitas e despesas com ASPS (RREO Anexo 12) e o percentual aplicado (mínimo 15%)."""
    from erario.siops import demonstrativo as dem

    r = repo()
    ap = executar(lambda: apurar(r, ano, bimestre, ibge), "Apuração do SIOPS recusada")
    emitir_relatorio(
        f"Demonstrativo das ASPS (RREO Anexo 12) — {ano}, {bimestre}º bimestre",
        dem.COLUNAS,
        dem.linhas(ap),
        formato,
        saida,
        {"relatorio": "siops_demonstrativo", "ano": ano, "bimestre": bimestre,
         "entidades": list(ap.entidades),
         "percentual_asps": str(ap.percentual()) if ap.percentual() is not None else None},
    )  # fmt: skip


@app_siops.command("gerar")
def gerar(
    ano: OpcaoAno,
    bimestre: OpcaoBimestre,
    saida: Annotated[Path, typer.Option("-o", "--saida", help="Pasta dos arquivos .impt.")],
    ibge: OpcaoIbge = None,
) -> None:
    """Gera um arquivo .impt por planilha e o manifesto; com qualquer problema, lista todos e não grava nada."""
    from erario.leiautes import siops as lei

    r = repo()
    ap = executar(lambda: apurar(r, ano, bimestre, ibge), "Geração do SIOPS recusada")
    arquivos, erros = lei.gravar_arquivos(ap, saida)
    if erros:
        mostrar_erros(erros, "Arquivos do SIOPS inválidos")
        raise typer.Exit(1)
    p = ap.percentual()
    console.print(
        f"{len(arquivos)} arquivo(s) do SIOPS gravado(s) em {saida} ({ano}, {bimestre}º "
        f"bimestre; {', '.join(ap.entidades)}); percentual aplicado em ASPS: "
        + (f"{str(p).replace('.', ',')}%." if p is not None else "sem base de cálculo.")
    )


@app_siops.command("validar")
def validar(
    pasta: Annotated[
        Path,
        typer.Argument(help="Pasta gerada por 'erario siops gerar'.", exists=True, file_okay=False),
    ],
) -> None:
    """Confere os arquivos e o manifesto: estrutura, códigos, marcadores, totais e identidades entre planilhas."""
    from erario.leiautes import siops as lei

    res = lei.validar_diretorio(pasta)
    for a in res.avisos:
        console.print(estilo((f"Aviso: {a}", "yellow")), highlight=False)
    if res.erros:
        mostrar_erros(res.erros, f"Arquivos do SIOPS em {pasta} com problemas")
        raise typer.Exit(1)
    n = len(list(pasta.glob(f"*{lei.EXTENSAO}")))
    console.print(f"{n} arquivo(s) do SIOPS em {pasta} sem erros.")
