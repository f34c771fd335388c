"""``erario entidade``: cadastro das entidades do município."""

from __future__ import annotations

from typing import Annotated

import typer

from erario.cli.comum import console, executar, imprimir_largo, repo
from erario.razao.modelo import TipoEntidade

app_entidade = typer.Typer(
    help="Entidades do município (Prefeitura, Câmara, RPPS, fundos…).", no_args_is_help=True
)


@app_entidade.command("criar")
def entidade_criar(
    slug: Annotated[str, typer.Option(help="Identificador curto, ex.: prefeitura.")],
    nome: Annotated[str, typer.Option(help="Nome da entidade.")],
    cnpj: Annotated[str, typer.Option(help="CNPJ (com ou sem pontuação).")],
    tipo: Annotated[TipoEntidade, typer.Option(help="Tipo da entidade.")],
    ibge: Annotated[str, typer.Option(help="Código IBGE do município (7 dígitos).")],
    poder_orgao: Annotated[
        str,
        typer.Option(
            help="Código poder/órgão SICONFI: 10131 Executivo, 20231 Legislativo, 10132 RPPS."
        ),
    ],
    plano: Annotated[str, typer.Option(help="Plano de contas.")] = "PCASP",
    incorporada: Annotated[
        bool,
        typer.Option(
            "--incorporada",
            help="Entidade com instalação própria do erario (Câmara, RPPS…): a Prefeitura "
            "elabora a LOA dela, sem lançamentos, e incorpora o balancete pelo servidor.",
        ),
    ] = False,
) -> None:
    """Cadastra uma entidade do município."""
    from erario.razao.modelo import Entidade

    e = executar(
        lambda: repo().criar_entidade(
            Entidade(slug, nome, cnpj, tipo, ibge, poder_orgao, plano, incorporada)
        )
    )
    console.print(
        f"Entidade {e.slug} ({e.nome}) cadastrada"
        + (" como incorporada (balancete pelo servidor)." if e.incorporada else ".")
    )


@app_entidade.command("listar")
def entidade_listar() -> None:
    """Lista as entidades cadastradas."""
    from rich.table import Table

    tabela = Table("Slug", "Nome", "CNPJ", "Tipo", "IBGE", "Poder/órgão", "Plano", "Razão")
    for e in repo().entidades():
        tabela.add_row(
            e.slug, e.nome, e.cnpj, e.tipo.value, e.ibge, e.poder_orgao, e.plano,
            "incorporada" if e.incorporada else "local",
        )  # fmt: skip
    imprimir_largo(tabela)


@app_entidade.command("assinaturas")
def entidade_assinaturas(
    slug: Annotated[str, typer.Argument(help="Slug da entidade.")],
    contador: Annotated[
        str | None, typer.Option(help="Nome do contador responsável (assina com o CRC).")
    ] = None,
    crc: Annotated[
        str | None, typer.Option(help="Registro do contador no CRC, ex.: SC-012345/O.")
    ] = None,
    cargo_contador: Annotated[
        str, typer.Option(help="Cargo do contador, como sai sob a assinatura.")
    ] = "Contador",
    responsavel: Annotated[
        str | None, typer.Option(help="Nome do ordenador/dirigente (prefeito, presidente…).")
    ] = None,
    cargo: Annotated[
        str | None, typer.Option(help="Cargo do responsável, ex.: Prefeito Municipal.")
    ] = None,
) -> None:
    """Bloco de assinaturas dos relatórios da entidade (balancete, execução, restos a
    pagar em PDF e XLSX): o contador com o CRC e o ordenador/responsável. Sem opções,
    mostra o que está cadastrado."""
    from erario.core.erros import Erro, OperacaoRecusada
    from erario.relatorios.identificacao import (
        Assinatura,
        Papel,
        normalizar_crc,
        validar_assinaturas,
    )
    from erario.storage.assinaturas import assinaturas, gravar_assinaturas

    novas: list[Assinatura] = []
    erros: list[Erro] = []
    if contador is not None:
        novas.append(
            Assinatura(Papel.CONTADOR, contador, cargo_contador, normalizar_crc(crc or ""))
        )
    elif crc is not None:
        erros.append(Erro("REL-NOME", "--crc sem --contador: informe o nome do contador", "crc"))
    if responsavel is not None:
        novas.append(Assinatura(Papel.RESPONSAVEL, responsavel, cargo or ""))
    elif cargo is not None:
        erros.append(
            Erro("REL-NOME", "--cargo sem --responsavel: informe o nome do responsável", "cargo")
        )
    r = repo()

    def gravar() -> tuple[Assinatura, ...]:
        if todos := erros + validar_assinaturas(novas):  # todos os problemas de uma vez
            raise OperacaoRecusada(todos)
        if not novas:
            return assinaturas(r, slug)
        return gravar_assinaturas(r, slug, tuple(novas))

    bloco = executar(gravar, "Assinaturas recusadas")
    if novas:
        console.print(f"Assinaturas de {slug} gravadas.")
    if not bloco:
        console.print(
            f"{slug}: nenhuma assinatura cadastrada (os relatórios saem sem o bloco de "
            "assinaturas). Use --contador/--crc e --responsavel/--cargo."
        )
        return
    for a in bloco:
        console.print(f"{a.papel.value}: {a.nome} — {a.rotulo()}", highlight=False)
