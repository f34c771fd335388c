"""CLI do SPED FCONT (issue 21): livros comerciais das empresas, lançamentos
fiscais, escrituração e o arquivo do Anexo I do ADE Cofis nº 31/2011.

Comandos de ``escrituracao``, ``gerar``, ``plano``, ``referencial``,
``centros``, ``historicos``, ``expurgar``, ``lancar`` e ``encerramento``: 21a.
``validar`` e ``ler``: 21b (no fim deste arquivo).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from erario.cli.comum import (
    OpcaoEntidade,
    console,
    executar,
    imprimir_largo,
    mostrar_erros,
    repo,
)

app_fcont = typer.Typer(
    help="SPED FCONT: livros comerciais das empresas, lançamentos fiscais e o arquivo.",
    no_args_is_help=True,
)

app_escrituracao = typer.Typer(
    help="Centro de escrituração: uma escrituração FCONT por empresa e período.",
    no_args_is_help=True,
)
app_fcont.add_typer(app_escrituracao, name="escrituracao")
app_plano_empresa = typer.Typer(
    help="Plano de contas próprio de uma empresa (com a natureza do FCONT).", no_args_is_help=True
)
app_fcont.add_typer(app_plano_empresa, name="plano")

OpcaoAno = Annotated[int, typer.Argument(help="Ano-calendário da escrituração.")]
OpcaoArquivo = Annotated[
    Path, typer.Argument(help="Arquivo CSV (;, UTF-8, com cabeçalho).", exists=True, dir_okay=False)
]


def _ler_texto(arquivo: Path) -> str:
    return arquivo.read_text(encoding="utf-8")


def _recusar(erros: list, titulo: str = "Arquivo recusado") -> None:  # type: ignore[type-arg]
    if erros:
        mostrar_erros(erros, titulo)
        raise typer.Exit(1)


# ------------------------------------------------------------------ plano
@app_plano_empresa.command("importar")
def plano_importar(
    arquivo: OpcaoArquivo,
    nome: Annotated[
        str, typer.Option(help="Nome do plano (o da entidade: erario entidade criar --plano).")
    ],
) -> None:
    """Importa (ou atualiza) o plano da empresa: CONTA;TITULO;NATUREZA[;ESCRITURACAO]."""
    from erario.fcont.livros import ler_plano_empresa_csv
    from erario.storage import fcont as st

    pe, erros = ler_plano_empresa_csv(_ler_texto(arquivo), nome, arquivo.name)
    _recusar(erros)
    assert pe is not None
    r = repo()
    novas, alteradas, iguais = executar(lambda: st.gravar_plano_empresa(r, pe))
    console.print(
        f"Plano {nome}: {len(pe.plano.contas)} contas ({novas} novas, {alteradas} alteradas, "
        f"{iguais} iguais)."
    )


@app_plano_empresa.command("exportar")
def plano_exportar(
    nome: Annotated[str, typer.Argument(help="Nome do plano da empresa.")],
    saida: Annotated[
        Path | None, typer.Option("-o", "--saida", help="Arquivo CSV (padrão: tela).")
    ] = None,
) -> None:
    """Exporta o plano da empresa no CSV que o importar lê."""
    from erario.fcont.livros import escrever_plano_empresa_csv
    from erario.storage import fcont as st

    r = repo()
    texto = escrever_plano_empresa_csv(executar(lambda: st.plano_empresa(r, nome)))
    if saida:
        saida.write_text(texto, encoding="utf-8")
        console.print(f"Plano {nome} gravado em {saida}.")
    else:
        typer.echo(texto, nl=False)


# ------------------------------------------------------------------ cadastros
@app_fcont.command("referencial")
def referencial_importar(entidade: OpcaoEntidade, arquivo: OpcaoArquivo) -> None:
    """Mapeia contas ao plano referencial (I051): CONTA;CENTRO_CUSTO;CONTA_REFERENCIAL;INICIO."""
    from erario.fcont.livros import ler_mapeamentos_csv
    from erario.storage import fcont as st

    r = repo()
    _ent, pe = executar(lambda: st.empresa(r, entidade))
    centros = [c.codigo for c in st.centros(r, entidade)]
    maps, erros = ler_mapeamentos_csv(_ler_texto(arquivo), pe, centros, arquivo.name)
    _recusar(erros)
    n = executar(lambda: st.gravar_mapeamentos(r, entidade, maps))
    console.print(f"{n} mapeamento(s) referencial(is) novo(s) em {entidade}.")


@app_fcont.command("centros")
def centros_importar(entidade: OpcaoEntidade, arquivo: OpcaoArquivo) -> None:
    """Centros de custo da empresa (I100): CODIGO;NOME;ALTERACAO."""
    from erario.fcont.livros import ler_centros_csv
    from erario.storage import fcont as st

    centros, erros = ler_centros_csv(_ler_texto(arquivo), arquivo.name)
    _recusar(erros)
    r = repo()
    n = executar(lambda: st.gravar_centros(r, entidade, centros))
    console.print(f"{n} centro(s) de custo gravado(s) em {entidade}.")


@app_fcont.command("historicos")
def historicos_importar(entidade: OpcaoEntidade, arquivo: OpcaoArquivo) -> None:
    """Histórico padronizado da empresa (I075): CODIGO;DESCRICAO."""
    from erario.fcont.livros import ler_historicos_csv
    from erario.storage import fcont as st

    hist, erros = ler_historicos_csv(_ler_texto(arquivo), arquivo.name)
    _recusar(erros)
    r = repo()
    n = executar(lambda: st.gravar_historicos(r, entidade, hist))
    console.print(f"{n} histórico(s) padronizado(s) gravado(s) em {entidade}.")


# ------------------------------------------------------- lançamentos fiscais
@app_fcont.command("expurgar")
def expurgar(
    entidade: OpcaoEntidade,
    numeros: Annotated[list[str], typer.Argument(help="Números dos lançamentos comerciais.")],
) -> None:
    """Expurgo (X): repete no livro X os lançamentos comerciais, com as mesmas partidas e D/C."""
    from erario.storage import fcont as st

    r = repo()
    gravados = executar(lambda: st.expurgar(r, entidade, numeros))
    for lc in gravados:
        console.print(f"Expurgo {lc.numero} do lançamento {(lc.origem or '').partition(':')[2]}.")


@app_fcont.command("lancar")
def lancar(entidade: OpcaoEntidade, arquivo: OpcaoArquivo) -> None:
    """Lançamentos fiscais (F, EF, IS, IF, TS, TF, TR): tipo;numero;data;historico;conta;dc;valor."""
    from erario.fcont.lancamentos_fiscais import ler_lancamentos_fiscais_csv
    from erario.storage import fcont as st

    r = repo()
    _ent, pe = executar(lambda: st.empresa(r, entidade))
    lancs, linhas, erros = ler_lancamentos_fiscais_csv(
        _ler_texto(arquivo), entidade, pe.naturezas, arquivo.name
    )
    if not erros:
        erros = r.validar_lote(lancs, linhas, arquivo.name)
    _recusar(erros)
    gravados = executar(lambda: r.lancar_lote(lancs, linhas, origem=arquivo.name))
    console.print(f"{len(gravados)} lançamento(s) fiscal(is) gravado(s) em {entidade}.")


@app_fcont.command("encerramento")
def encerramento(
    entidade: OpcaoEntidade,
    ano: OpcaoAno,
    contrapartida: Annotated[
        str | None,
        typer.Option(
            help="Conta de PL (03) ou de apuração (04) que recebe o EF; padrão: a da escrituração."
        ),
    ] = None,
    confirmar: Annotated[
        bool,
        typer.Option("--confirmar", help="Grava no razão o EF proposto (sem isso, só mostra)."),
    ] = False,
) -> None:
    """Propõe o encerramento fiscal (EF) das contas de resultado: Σ EF = −Σ (F + X) por conta."""
    from rich.table import Table

    from erario.core.dinheiro import formatar_brl
    from erario.storage import fcont as st

    r = repo()
    conta = contrapartida
    if conta is None:
        conta = executar(lambda: st.escrituracao(r, entidade, ano)).contrapartida_ef
        if not conta:
            raise typer.BadParameter("informe --contrapartida (a escrituração não tem conta do EF)")
    lanc, ajustes = executar(lambda: st.proposta_ef(r, entidade, ano, conta))
    tabela = Table(
        "Conta", "F + TR − X", "EF lançado", "EF proposto", title=f"Encerramento fiscal {ano}"
    )
    for a in ajustes:
        tabela.add_row(
            a.conta,
            formatar_brl(a.ajuste),
            formatar_brl(a.ef_existente),
            formatar_brl(a.ef_proposto),
        )
    imprimir_largo(tabela)
    if lanc is None:
        console.print("Nada a encerrar: os ajustes das contas de resultado já somam zero.")
        return
    for p in lanc.partidas:
        console.print(f"  {p.dc} {p.conta} {formatar_brl(p.centavos)}")
    if not confirmar:
        console.print("Proposta; confira e rode de novo com --confirmar para gravar.")
        return
    (gravado,) = executar(lambda: r.lancar_lote([lanc]))
    console.print(f"Encerramento fiscal gravado: lançamento {gravado.numero} (livro EF).")


# --------------------------------------------------------------- escrituração
@app_escrituracao.command("criar")
def escrituracao_criar(
    entidade: OpcaoEntidade,
    ano: OpcaoAno,
    signatario: Annotated[
        list[str],
        typer.Option(help='"NOME;CPF ou CNPJ;CÓDIGO;CRC" (repita; 900 = contador, com CRC).'),
    ],
    inicio: Annotated[
        str | None, typer.Option(help="Início AAAA-MM-DD (padrão 1º de janeiro).")
    ] = None,
    fim: Annotated[str | None, typer.Option(help="Fim AAAA-MM-DD (padrão 31 de dezembro).")] = None,
    uf: Annotated[str, typer.Option(help="UF da empresa.")] = "",
    ie: Annotated[str, typer.Option(help="Inscrição estadual.")] = "",
    im: Annotated[str, typer.Option(help="Inscrição municipal.")] = "",
    situacao_especial: Annotated[
        str, typer.Option(help="1 cisão, 2 fusão, 3 incorporação, 4 encerramento.")
    ] = "",
    inicio_periodo: Annotated[
        str, typer.Option(help="0 início do ano, 1 abertura, 2 após evento, 3 obrigatoriedade.")
    ] = "0",
    apuracao: Annotated[str, typer.Option(help="A anual ou T trimestral.")] = "A",
    tributacao: Annotated[
        str, typer.Option(help="1 real, 2 real arbitrado, 3 e 4 (trimestral).")
    ] = "1",
    trimestres: Annotated[
        str, typer.Option(help="Tributação de cada trimestre (apuração T), ex.: 1111.")
    ] = "",
    retificadora: Annotated[
        str, typer.Option(help="Recibo da escrituração retificada (torna esta retificadora).")
    ] = "",
    contrapartida_ef: Annotated[
        str, typer.Option(help="Conta de PL/apuração que recebe o EF proposto.")
    ] = "",
) -> None:
    """Cria a escrituração FCONT de uma empresa (dados do 0000, M020 e J930)."""
    from erario.cli.comum import ler_data
    from erario.fcont.escrituracao import Escrituracao, ler_signatario
    from erario.storage import fcont as st

    e = Escrituracao(
        entidade=entidade,
        inicio=ler_data(inicio) if inicio else dt.date(ano, 1, 1),
        fim=ler_data(fim) if fim else dt.date(ano, 12, 31),
        signatarios=tuple(ler_signatario(s) for s in signatario),
        uf=uf.upper(),
        ie=ie,
        im=im,
        situacao_especial=situacao_especial,
        inicio_periodo=inicio_periodo,
        forma_apuracao=apuracao.upper(),
        forma_tributacao=tributacao,
        retificadora=bool(retificadora),
        recibo_anterior=retificadora,
        trimestres=trimestres,
        contrapartida_ef=contrapartida_ef,
    )
    if e.inicio.year != ano:
        raise typer.BadParameter(f"o início {e.inicio} não é de {ano}")
    r = repo()
    executar(lambda: st.criar_escrituracao(r, e))
    console.print(
        f"Escrituração FCONT de {entidade} criada: {e.inicio:%d/%m/%Y} a {e.fim:%d/%m/%Y}."
    )


@app_escrituracao.command("listar")
def escrituracao_listar(
    entidade: Annotated[str | None, typer.Argument(help="Slug da empresa (padrão: todas).")] = None,
) -> None:
    """Lista as escriturações: período, situação, hash do último arquivo e a entrega."""
    from rich.table import Table

    from erario.storage import fcont as st

    tabela = Table(
        "Empresa", "Período", "Apuração", "Situação", "SHA-256", "Recibo", "Entregue por", "Em"
    )
    for e in st.escrituracoes(repo(), entidade):
        tabela.add_row(
            e.entidade,
            f"{e.inicio:%d/%m/%Y}–{e.fim:%d/%m/%Y}",
            e.forma_apuracao,
            e.situacao.value,
            e.sha256[:16],
            e.recibo,
            e.entregue_por,
            f"{e.entregue_em:%d/%m/%Y %H:%M}" if e.entregue_em else "",
        )
    imprimir_largo(tabela)


def _gerar(entidade: str, ano: int, saida: Path) -> None:
    from erario.fcont.escrita import escrever
    from erario.storage import fcont as st

    r = repo()
    e, arquivo = executar(lambda: st.montar(r, entidade, ano), "Arquivo não gerado")
    conteudo = escrever(arquivo)
    saida.write_bytes(conteudo)
    sha = st.registrar_geracao(r, e, conteudo)
    linhas = conteudo.count(b"\r\n")
    console.print(
        f"Arquivo FCONT de {entidade} {ano} gravado em {saida}: {linhas} linhas, SHA-256 {sha}."
    )
    if e.situacao.value == "entregue":
        console.print(
            f"A escrituração já foi entregue (recibo {e.recibo}); o hash registrado não mudou."
        )


OpcaoSaidaArquivo = Annotated[Path, typer.Option("-o", "--saida", help="Arquivo .txt a gravar.")]


@app_fcont.command("gerar")
def gerar(entidade: OpcaoEntidade, ano: OpcaoAno, saida: OpcaoSaidaArquivo) -> None:
    """Gera o arquivo FCONT (blocos 0, I, J, M e 9) da escrituração do ano."""
    _gerar(entidade, ano, saida)


@app_escrituracao.command("regenerar")
def escrituracao_regenerar(
    entidade: OpcaoEntidade, ano: OpcaoAno, saida: OpcaoSaidaArquivo
) -> None:
    """Gera de novo o arquivo a partir do razão de hoje (o mesmo que erario fcont gerar)."""
    _gerar(entidade, ano, saida)


@app_escrituracao.command("entregar")
def escrituracao_entregar(
    entidade: OpcaoEntidade,
    ano: OpcaoAno,
    recibo: Annotated[str, typer.Option(help="Número do recibo de entrega.")],
    arquivo: Annotated[
        Path,
        typer.Option(help="O arquivo entregue (o último gerado).", exists=True, dir_okay=False),
    ],
    usuario: Annotated[
        str | None, typer.Option(help="Quem entregou (padrão: usuário do sistema).")
    ] = None,
) -> None:
    """Marca a escrituração como entregue: recibo, hash do arquivo, quem e quando."""
    from erario.storage import fcont as st

    r = repo()
    e = executar(lambda: st.entregar(r, entidade, ano, recibo, arquivo.read_bytes(), usuario))
    console.print(
        f"Escrituração FCONT de {entidade} {ano} entregue: recibo {e.recibo}, por {e.entregue_por}."
    )


# ------------------------------------------- 21b: validar e ler (abaixo desta linha)
OpcaoArquivoFcont = Annotated[
    Path,
    typer.Argument(help="Arquivo FCONT (texto ISO-8859-1, CRLF).", exists=True, dir_okay=False),
]


@app_fcont.command("validar")
def validar_arquivo(
    arquivo: OpcaoArquivoFcont,
    entrada: Annotated[
        bool,
        typer.Option(
            "--entrada",
            help="Arquivo de entrada do PVA (presença dos registros pela coluna 'Entrada').",
        ),
    ] = False,
) -> None:
    """Aplica as regras do Anexo I e lista cada violação: linha, registro, campo e regra."""
    from erario.fcont.regras_controle import validar

    v = validar(arquivo.read_bytes(), entrada=entrada)
    for e in v.avisos:
        console.print(f"  advertência: {e}", highlight=False, soft_wrap=True)
    if not v.completa:
        console.print(
            "Erros de estrutura: as regras entre registros (níveis 2 e 3 do PVA) não rodaram."
        )
    if v.erros:
        mostrar_erros(v.erros, f"{arquivo.name}: arquivo FCONT com erros")
        raise typer.Exit(1)
    console.print(f"{arquivo.name}: arquivo FCONT válido ({len(v.avisos)} advertência(s)).")


@app_fcont.command("ler")
def ler_arquivo(
    arquivo: OpcaoArquivoFcont,
    entidade: Annotated[
        str | None,
        typer.Option(
            "--entidade",
            help="Slug da empresa (padrão: a entidade com o CNPJ do 0000, ou um slug do nome).",
        ),
    ] = None,
    gravar: Annotated[
        bool,
        typer.Option(
            "--gravar",
            help="Grava no banco a empresa, o plano, os cadastros, a escrituração e o razão "
            "(tudo ou nada).",
        ),
    ] = False,
) -> None:
    """Lê um arquivo FCONT e resume a escrituração; com --gravar, traz tudo para o erario."""
    from erario.fcont.leitura import ler

    lido, erros = ler(arquivo.read_bytes(), entrada=True)
    erros = [e for e in erros if e.regra != "REGRA_REGISTRO_NAO_SE_APLICA"]
    if lido is None or erros:
        mostrar_erros(erros, f"{arquivo.name}: arquivo FCONT ilegível")
        raise typer.Exit(1)
    a0, bi = lido.abertura, lido.bloco_i
    console.print(f"{a0.nome} (CNPJ {a0.cnpj}): {a0.dt_ini:%d/%m/%Y} a {a0.dt_fin:%d/%m/%Y}")
    ref = sum(len(c.referenciais) for c in bi.plano)
    console.print(
        f"  plano de contas: {len(bi.plano)} conta(s), {ref} mapeamento(s) referencial(is)"
    )
    console.print(
        f"  centros de custos: {len(bi.centros_custo)}; históricos padronizados: "
        f"{len(bi.historicos)}"
    )
    for p in bi.saldos_periodicos:
        console.print(
            f"  saldos de {p.dt_ini:%d/%m/%Y} a {p.dt_fin:%d/%m/%Y}: {len(p.saldos)} conta(s)"
        )
    tipos: dict[str, int] = {}
    for lc in bi.lancamentos:
        tipos[lc.ind_lcto] = tipos.get(lc.ind_lcto, 0) + 1
    resumo = ", ".join(f"{t}: {n}" for t, n in sorted(tipos.items())) or "nenhum"
    console.print(f"  lançamentos fiscais: {len(bi.lancamentos)} ({resumo})")
    console.print(f"  signatários: {', '.join(s.ident_nom for s in lido.bloco_j.signatarios)}")
    if lido.bloco_m is not None:
        console.print(f"  bloco M: {len(lido.bloco_m.periodos)} período(s) de apuração")
    if gravar:
        _gravar_lido(lido, entidade)


def _slug_do_nome(nome: str) -> str:
    import re
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", nome).encode("ascii", "ignore").decode().lower()
    palavras = re.findall(r"[a-z0-9]+", ascii_)
    slug = ""
    for p in palavras:  # até 40 caracteres, sem cortar palavra
        if len(slug) + len(p) + (1 if slug else 0) > 40:
            break
        slug = f"{slug}-{p}" if slug else p
    return slug or "empresa"


def _gravar_lido(lido: object, entidade: str | None) -> None:
    from erario.fcont.arquivo import ArquivoFcont
    from erario.fcont.importacao import converter
    from erario.storage import fcont as st

    assert isinstance(lido, ArquivoFcont)
    r = repo()
    if entidade is None:
        pelo_cnpj = [e.slug for e in r.entidades() if e.cnpj == lido.abertura.cnpj]
        entidade = pelo_cnpj[0] if pelo_cnpj else _slug_do_nome(lido.abertura.nome)
    dados, erros = converter(lido, entidade, entidade.upper())
    _recusar(erros, "Arquivo FCONT não lido")
    assert dados is not None
    resumo = executar(lambda: st.gravar_leitura(r, dados), "Arquivo FCONT não lido")
    for a in dados.avisos:
        console.print(f"  advertência: {a}", highlight=False, soft_wrap=True)
    console.print(
        f"Gravado em {resumo.entidade} ({'criada' if resumo.entidade_criada else 'já existia'}): "
        f"{resumo.contas} contas, {resumo.mapeamentos} mapeamento(s) novo(s), "
        f"{resumo.centros} centro(s) de custos, {resumo.historicos} histórico(s), escrituração "
        f"{dados.ano} {'criada' if resumo.escrituracao_criada else 'atualizada'}, "
        f"{resumo.comerciais} lançamento(s) comercial(is) reconstituído(s) dos saldos e "
        f"{resumo.fiscais} fiscal(is)."
    )
