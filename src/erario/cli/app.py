"""Linha de comando do erario. Textos em português; erros listados por inteiro."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from erario.cli import traducao
from erario.cli.conciliacao import app_conciliacao
from erario.cli.esfinge import app_esfinge
from erario.core.dinheiro import formatar_brl
from erario.core.erros import Erro, OperacaoRecusada
from erario.razao import carga
from erario.razao.balancete import Balancete, conferir_balancete
from erario.razao.modelo import Entidade, Lancamento, TipoEntidade
from erario.razao.plano import escrever_plano_csv, ler_plano_csv, ler_plano_tce_rs, plano_base
from erario.relatorios import balancete as rel
from erario.relatorios import execucao as rel_execucao
from erario.relatorios.tabela import Coluna
from erario.storage.banco import atualizar_esquema, criar_engine, url_padrao
from erario.storage.repositorio import Repositorio

if TYPE_CHECKING:
    from erario.execucao.controle import ControleOrcamentario

console = Console()
erro_console = Console(stderr=True)

traducao.aplicar()  # textos fixos do Typer em português

app = typer.Typer(
    help="erario — contabilidade pública municipal (PCASP) com partidas dobradas exatas ao centavo.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,  # as opções de autocompletar do Typer só falam inglês
)
app_plano = typer.Typer(
    help="Plano de contas: importar, exportar e listar as contas.", no_args_is_help=True
)
app_entidade = typer.Typer(
    help="Entidades do município (Prefeitura, Câmara, RPPS, fundos…).", no_args_is_help=True
)
app_exercicio = typer.Typer(
    help="Exercícios e competências (abrir, fechar, reabrir).", no_args_is_help=True
)
app_lancamento = typer.Typer(help="Lançamentos: consultar e estornar.", no_args_is_help=True)
app.add_typer(app_plano, name="plano")
app.add_typer(app_entidade, name="entidade")
app.add_typer(app_exercicio, name="exercicio")
app.add_typer(app_lancamento, name="lancamento")
app.add_typer(app_esfinge, name="esfinge")
app.add_typer(app_conciliacao, name="conciliacao")

_estado: dict[str, str | None] = {"db": None}
T = TypeVar("T")


@app.callback()
def _principal(
    db: Annotated[
        str | None,
        typer.Option("--db", help="URL do banco (padrão: $ERARIO_DB ou sqlite:///erario.db)."),
    ] = None,
) -> None:
    _estado["db"] = db


OpcaoEntidade = Annotated[str, typer.Argument(help="Slug da entidade.")]


def _repo() -> Repositorio:
    engine = criar_engine(_estado["db"] or url_padrao())
    atualizar_esquema(engine)
    return Repositorio(engine)


def _mostrar_erros(erros: list[Erro], titulo: str) -> None:
    erro_console.print(f"[bold red]{titulo}[/] ({len(erros)} problema(s)); nada foi alterado:")
    for e in erros[:200]:
        erro_console.print(f"  • {e}", markup=False, highlight=False, soft_wrap=True)
    if len(erros) > 200:
        erro_console.print(f"  … e mais {len(erros) - 200} problema(s).")


def _executar(f: Callable[[], T], titulo: str = "Operação recusada") -> T:
    try:
        return f()
    except OperacaoRecusada as exc:
        _mostrar_erros(exc.erros, titulo)
        raise typer.Exit(1) from None


def _entidade(repo: Repositorio, slug: str) -> Entidade:
    """A entidade cadastrada; a que não existe é recusada como qualquer operação."""
    return _executar(lambda: repo.entidade(slug))


def _mes(texto: str) -> tuple[int, int]:
    """``AAAA-MM`` → (ano, mês)."""
    return _periodo(texto, 1, 12, "use AAAA-MM, ex.: 2026-03")


def _data(texto: str) -> dt.date:
    try:
        return dt.date.fromisoformat(texto)
    except ValueError:
        raise typer.BadParameter(f"'{texto}': use AAAA-MM-DD") from None


@contextmanager
def _progresso(*colunas: ProgressColumn) -> Iterator[Progress]:
    """Barra de progresso no terminal de erros (desligada fora do terminal, salvo
    com ERARIO_PROGRESSO=1); sem ``colunas``: giro, descrição, barra, n/total e tempo."""
    colunas = colunas or (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(
        *colunas,
        console=erro_console,
        transient=False,
        disable=not erro_console.is_terminal and os.environ.get("ERARIO_PROGRESSO") != "1",
    ) as p:
        yield p


# ---------------------------------------------------------------------- banco
@app.command()
def iniciar() -> None:
    """Cria ou atualiza o banco e carrega o plano base (PCASP Federação) se não houver plano."""
    repo = _repo()
    if "PCASP" not in repo.planos():
        resumo = _executar(lambda: repo.gravar_plano(plano_base()))
        console.print(f"Plano PCASP carregado: {resumo.novas} contas.")
    console.print(f"Banco pronto: {repo.engine.url.render_as_string(hide_password=True)}")


@app.command()
def verificar() -> None:
    """Recalcula os saldos a partir do razão e confere partidas dobradas; lista toda diferença."""
    repo = _repo()
    with erro_console.status("Recalculando saldos a partir do razão…"):
        erros = repo.verificar()
    if erros:
        _mostrar_erros(erros, "Verificação encontrou diferenças")
        raise typer.Exit(1)
    console.print("[green]Razão íntegro:[/] saldos iguais ao razão e todos os lançamentos fecham.")


# ---------------------------------------------------------------------- plano
class FormatoPlano(StrEnum):
    stn = "stn"
    tce_rs = "tce-rs"


@app_plano.command("importar")
def plano_importar(
    arquivo: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV do plano.")],
    nome: Annotated[str, typer.Option(help="Nome do plano no banco.")] = "PCASP",
    formato: Annotated[
        FormatoPlano,
        typer.Option(help="stn: planilha da STN; tce-rs: balancete no leiaute do TCE-RS."),
    ] = FormatoPlano.stn,
) -> None:
    """Importa (ou atualiza) um plano de contas de um CSV."""
    texto = arquivo.read_text(encoding="utf-8")
    leitor = ler_plano_csv if formato == FormatoPlano.stn else ler_plano_tce_rs
    plano, erros = leitor(texto, nome, arquivo.name)
    if plano is None:
        _mostrar_erros(erros, "Plano recusado")
        raise typer.Exit(1)
    resumo = _executar(lambda: _repo().gravar_plano(plano))
    analiticas = sum(1 for c in plano.contas.values() if c.analitica)
    console.print(
        f"Plano {nome} ({plano.mascara}): {len(plano.contas)} contas, {analiticas} analíticas — "
        f"{resumo.novas} novas, {resumo.alteradas} alteradas, {resumo.iguais} iguais."
    )


@app_plano.command("exportar")
def plano_exportar(
    nome: Annotated[str, typer.Option(help="Nome do plano.")] = "PCASP",
    saida: Annotated[
        Path | None, typer.Option("-o", "--saida", help="Arquivo CSV (padrão: tela).")
    ] = None,
) -> None:
    """Exporta o plano no padrão da planilha da STN."""
    texto = escrever_plano_csv(_executar(lambda: _repo().plano(nome)))
    if saida:
        saida.write_text(texto, encoding="utf-8")
        console.print(f"Plano {nome} gravado em {saida}.")
    else:
        sys.stdout.write(texto)


@app_plano.command("contas")
def plano_contas(
    nome: Annotated[str, typer.Option(help="Nome do plano.")] = "PCASP",
    prefixo: Annotated[str, typer.Option(help="Só contas que começam com este código.")] = "",
    nivel: Annotated[int | None, typer.Option(help="Nível máximo.")] = None,
) -> None:
    """Lista as contas do plano com seus atributos."""
    plano = _executar(lambda: _repo().plano(nome))
    tabela = Table("Conta", "Título", "Esc.", "Nat. saldo", "Inf.", "Sup.", "Conta corrente")
    for c in plano.contas.values():
        if c.codigo.startswith(prefixo) and (nivel is None or c.nivel <= nivel):
            tabela.add_row(
                c.codigo,
                c.titulo,
                "S" if c.analitica else "N",
                c.natureza_saldo.value,
                c.natureza_informacao.value,
                c.superavit or "",
                ",".join(c.conta_corrente),
            )
    console.print(tabela)


# ------------------------------------------------------------------- entidade
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
    e = _executar(
        lambda: _repo().criar_entidade(
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
    tabela = Table("Slug", "Nome", "CNPJ", "Tipo", "IBGE", "Poder/órgão", "Plano", "Razão")
    for e in _repo().entidades():
        tabela.add_row(
            e.slug, e.nome, e.cnpj, e.tipo.value, e.ibge, e.poder_orgao, e.plano,
            "incorporada" if e.incorporada else "local",
        )  # fmt: skip
    console.print(tabela)


# ------------------------------------------------------------------ exercício
@app_exercicio.command("abrir")
def exercicio_abrir(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício.")],
) -> None:
    """Abre o exercício: cria as 12 competências abertas."""
    n = _executar(lambda: _repo().abrir_exercicio(entidade, ano))
    console.print(f"Exercício {ano} de {entidade}: {n} competência(s) criada(s).")


@app_exercicio.command("fechar")
def exercicio_fechar(
    entidade: OpcaoEntidade,
    mes: Annotated[str, typer.Argument(help="Competência AAAA-MM.")],
) -> None:
    """Fecha uma competência: nenhum lançamento entra mais nela (registrado em auditoria)."""
    ano, m = _mes(mes)
    _executar(lambda: _repo().fechar_competencia(entidade, ano, m))
    console.print(f"Competência {m:02d}/{ano} de {entidade} fechada.")


@app_exercicio.command("reabrir")
def exercicio_reabrir(
    entidade: OpcaoEntidade,
    mes: Annotated[str, typer.Argument(help="Competência AAAA-MM.")],
    motivo: Annotated[
        str, typer.Option(help="Motivo da reabertura (obrigatório, vai para a auditoria).")
    ],
) -> None:
    """Reabre uma competência fechada (registrado em auditoria com o motivo)."""
    ano, m = _mes(mes)
    _executar(lambda: _repo().reabrir_competencia(entidade, ano, m, motivo))
    console.print(f"Competência {m:02d}/{ano} de {entidade} reaberta.")


@app_exercicio.command("encerrar")
def exercicio_encerrar(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício a encerrar.")],
) -> None:
    """Encerra o exercício em 31/12: inscreve os restos a pagar, encerra as contas
    orçamentárias, a DDR utilizada e o resultado, abre o exercício seguinte com os
    saldos transportados e fecha as competências (registrado em auditoria)."""
    from erario.execucao.eventos import EncerramentoExercicio
    from erario.execucao.relatorios import restos_a_pagar

    repo = _repo()
    # Um código novo a cada encerramento (um desfeito conserva o seu).
    usados = _executar(lambda: repo.codigos_de_evento(entidade, f"ENC{ano}"))
    codigo = next(
        c for n in range(1, 1000) if (c := f"ENC{ano}" + (f"-{n}" if n > 1 else "")) not in usados
    )
    ev = EncerramentoExercicio(codigo, entidade, dt.date(ano, 12, 31))
    resumo = _executar(lambda: repo.registrar_eventos([(None, ev)], "encerramento"))
    restos = restos_a_pagar(repo.controle(), entidade, ano)
    nao_proc = sum(r.inscrito_nao_processado for r in restos)
    proc = sum(r.inscrito_processado for r in restos)
    console.print(
        f"Exercício {ano} de {entidade} encerrado: {resumo.lancamentos} lançamento(s) "
        f"(EV{ev.id} …), {len(restos)} empenho(s) inscritos em restos a pagar — "
        f"não processados {formatar_brl(nao_proc)}, processados {formatar_brl(proc)}."
    )


@app_exercicio.command("desfazer-encerramento")
def exercicio_desfazer_encerramento(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício encerrado.")],
    motivo: Annotated[str, typer.Option(help="Motivo (obrigatório, vai para a auditoria).")],
) -> None:
    """Desfaz o encerramento do exercício: estorna os seus lançamentos (inscrição de
    restos a pagar, encerramentos, apuração e a abertura do seguinte) e reabre
    dezembro. Só enquanto o exercício seguinte não tem outro movimento."""
    repo = _repo()
    resumo = _executar(lambda: repo.desfazer_encerramento(entidade, ano, motivo))
    console.print(
        f"Encerramento de {ano} de {entidade} desfeito: {resumo.lancamentos} lançamento(s) "
        f"de estorno; dezembro/{ano} reaberto (as demais competências seguem como estavam)."
    )


@app_exercicio.command("competencias")
def exercicio_competencias(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Ano do exercício.")],
) -> None:
    """Situação das competências do exercício."""
    tabela = Table("Competência", "Situação")
    for c in _executar(lambda: _repo().competencias(entidade, ano)):
        tabela.add_row(f"{c.mes:02d}/{c.ano}", c.situacao.value)
    console.print(tabela)


@app_exercicio.command("auditoria")
def exercicio_auditoria(
    entidade: Annotated[
        str | None, typer.Argument(help="Slug da entidade (todas se omitido).")
    ] = None,
) -> None:
    """Registro de aberturas, fechamentos e reaberturas."""
    tabela = Table("Quando (UTC)", "Usuário", "Ação", "Entidade", "Detalhe")
    for quando, usuario, acao, slug, detalhe in _repo().auditoria(entidade):
        tabela.add_row(f"{quando:%d/%m/%Y %H:%M:%S}", usuario, acao, slug, detalhe)
    console.print(tabela)


# ----------------------------------------------------------------- lançamento
def _mostrar_lancamento(lc: Lancamento) -> None:
    titulo = f"Lançamento {lc.numero} — {lc.entidade} — {lc.data:%d/%m/%Y} ({lc.tipo})"
    if lc.estorno:
        titulo += f" — estorno de {lc.estornado}"
    tabela = Table(
        "Seq.", "Conta", "D/C", "Valor", "Conta corrente", title=titulo, caption=lc.historico
    )
    for i, p in enumerate(lc.partidas, start=1):
        tabela.add_row(str(i), p.conta, p.dc, p.valor.brl(), p.conta_corrente)
    console.print(tabela)


@app_lancamento.command("mostrar")
def lancamento_mostrar(
    entidade: OpcaoEntidade,
    numero: Annotated[str, typer.Argument(help="Número de controle.")],
) -> None:
    """Mostra um lançamento e suas partidas."""
    _mostrar_lancamento(_executar(lambda: _repo().lancamento(entidade, numero)))


@app_lancamento.command("estornar")
def lancamento_estornar(
    entidade: OpcaoEntidade,
    numero: Annotated[str, typer.Argument(help="Número de controle do lançamento a estornar.")],
    data: Annotated[str, typer.Option(help="Data do estorno AAAA-MM-DD.")],
    historico: Annotated[
        str | None, typer.Option(help="Histórico (padrão: 'Estorno do lançamento …').")
    ] = None,
) -> None:
    """Estorna um lançamento: registra o inverso, que devolve todo saldo ao que era."""
    lc = _executar(lambda: _repo().estornar(entidade, numero, _data(data), historico))
    _mostrar_lancamento(lc)


@app_lancamento.command("exportar")
def lancamento_exportar(
    entidade: OpcaoEntidade,
    ano: Annotated[int, typer.Argument(help="Exercício.")],
    saida: Annotated[
        Path | None, typer.Option("-o", "--saida", help="Arquivo CSV (padrão: tela).")
    ] = None,
) -> None:
    """Exporta os lançamentos do exercício no formato de carga (CSV)."""
    lancs = _executar(lambda: _repo().lancamentos(entidade, ano))
    linhas = carga.escrever_lancamentos_csv(lancs)
    if saida:
        with saida.open("w", encoding="utf-8") as f:
            f.writelines(linhas)
        console.print(f"{len(lancs)} lançamento(s) gravado(s) em {saida}.")
    else:
        sys.stdout.writelines(linhas)


# ------------------------------------------------------------------- importar
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


@app.command()
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
        _mostrar_erros([erro], f"Importação de {arquivo.name} recusada")
        raise typer.Exit(1) from None


def _importar(arquivo: Path, tipo: TipoCarga, ano: int | None, validar: bool) -> None:
    repo = _repo()
    total = _contar_linhas(arquivo)
    with _progresso() as prog, arquivo.open(encoding="utf-8", newline="") as f:
        tarefa = prog.add_task(f"Importando {arquivo.name}", total=total)

        def avanco(n: int) -> None:
            prog.advance(tarefa, n)

        blocos: Iterable[carga.Lote] | None = None
        if tipo == TipoCarga.cadastros:
            resumo_c = _executar(
                lambda: repo.registrar_cadastros(f, arquivo.name, validar=validar),
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
            n = _executar(
                lambda: repo.registrar_retencoes(f, arquivo.name, validar=validar),
                f"Importação de {arquivo.name} recusada",
            )
            prog.update(tarefa, completed=total)
            acao = "válido(s); nada gravado (--validar)" if validar else "gravado(s)"
            console.print(f"{n} cadastro(s) de retenção {acao}.")
            return
        if tipo == TipoCarga.eventos:
            _importar_eventos(
                repo, f, arquivo.name, validar, lambda n: prog.update(tarefa, completed=n)
            )
            prog.update(tarefa, completed=total)
            return
        if tipo == TipoCarga.saldos:
            if ano is None:
                raise typer.BadParameter("informe --ano para os saldos de abertura")
            blocos = [carga.ler_saldos_abertura_csv(f, ano, arquivo.name)]
        elif arquivo.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            blocos = [carga.ler_lancamentos_jsonl(f, arquivo.name, avanco)]
        try:
            if blocos is None:  # CSV de lançamentos: leitura em bytes, com o acelerador
                with arquivo.open("rb") as binario:
                    resumo = repo.importar_csv(
                        binario, arquivo.name, avanco=avanco, validar=validar
                    )
            else:
                resumo = repo.importar(blocos, origem=arquivo.name, validar=validar)
        except OperacaoRecusada as exc:
            prog.stop()
            _mostrar_erros(exc.erros, f"Importação de {arquivo.name} recusada")
            raise typer.Exit(1) from None

        prog.update(tarefa, completed=total)
    acao = "válido(s); nada gravado (--validar)" if validar else "importado(s)"
    console.print(f"{resumo.lancamentos} lançamento(s), {resumo.partidas} partida(s) {acao}.")


def _importar_eventos(
    repo: Repositorio,
    f: Iterable[str],
    nome: str,
    validar: bool,
    progresso: Callable[[int], None] | None = None,
) -> None:
    from erario.execucao.carga import TextosLidos, iterar_eventos_jsonl

    # Em fluxo: os erros de leitura entram na conferência dos eventos bem
    # formados (nada é gravado), para listar tudo de uma vez.
    erros: list[Erro] = []
    textos: TextosLidos = {}  # o texto de cada linha vai para evento.dados
    try:
        resumo = repo.registrar_eventos(
            iterar_eventos_jsonl(f, nome, erros, textos),
            nome,
            validar=validar,
            erros_leitura=erros,
            textos_lidos=textos,
            progresso=progresso,
        )
    except OperacaoRecusada as exc:
        _mostrar_erros(exc.erros, f"Importação de {nome} recusada")
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
        console.print(f"[yellow]aviso[/yellow] {aviso}")


# ------------------------------------------------------------------ balancete
class Formato(StrEnum):
    tabela = "tabela"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    pdf = "pdf"


OpcaoFormato = Annotated[Formato, typer.Option(help="Formato de saída.")]
OpcaoSaida = Annotated[
    Path | None,
    typer.Option("-o", "--saida", help="Arquivo de saída (obrigatório para xlsx e pdf)."),
]


def _periodo(
    texto: str,
    minimo: int = 0,
    maximo: int = 13,
    uso: str = "use AAAA-MM (00 = abertura, 13 = encerramento)",
) -> tuple[int, int]:
    """``AAAA-MM`` → (ano, mês), com o mês de ``minimo`` a ``maximo``; por padrão,
    o mês, ``AAAA-00`` (abertura) ou ``AAAA-13`` (encerramento). Fora disso, a
    mensagem diz o ``uso``."""
    try:
        ano, mes = (int(x) for x in texto.split("-"))
        if not minimo <= mes <= maximo:
            raise ValueError
    except ValueError:
        raise typer.BadParameter(f"'{texto}': {uso}") from None
    return ano, mes


def _intervalo(mes: str | None, de: str | None, ate: str | None) -> tuple[int, int, int]:
    """(ano, início, fim) de ``--mes`` ou de ``--de``/``--ate`` do mesmo exercício."""
    if mes:
        ano, inicio = _periodo(mes)
        return ano, inicio, inicio
    if de and ate:
        ano, inicio = _periodo(de)
        ano_fim, fim = _periodo(ate)
        if ano_fim != ano:
            raise typer.BadParameter("--de e --ate devem ser do mesmo exercício")
        return ano, inicio, fim
    raise typer.BadParameter("informe --mes AAAA-MM ou --de AAAA-MM --ate AAAA-MM")


@app.command()
def balancete(
    entidades: Annotated[
        list[str], typer.Argument(help="Uma ou mais entidades (várias = consolidado por soma).")
    ],
    mes: Annotated[
        str | None, typer.Option(help="Competência AAAA-MM (use --de/--ate para intervalo).")
    ] = None,
    de: Annotated[str | None, typer.Option(help="Início AAAA-MM (00 = abertura).")] = None,
    ate: Annotated[str | None, typer.Option(help="Fim AAAA-MM (13 = encerramento).")] = None,
    conta_corrente: Annotated[
        bool, typer.Option("--conta-corrente", help="Abre cada conta analítica por conta corrente.")
    ] = False,
    nivel: Annotated[int | None, typer.Option(help="Nível máximo de conta exibido.")] = None,
    formato: Annotated[Formato, typer.Option(help="Formato de saída.")] = Formato.tabela,
    saida: Annotated[
        Path | None,
        typer.Option("-o", "--saida", help="Arquivo de saída (obrigatório para xlsx/pdf)."),
    ] = None,
) -> None:
    """Balancete de verificação de um mês ou intervalo, de uma entidade ou consolidado."""
    ano, inicio, fim = _intervalo(mes, de, ate)
    repo = _repo()
    b = _executar(
        lambda: repo.balancete(
            entidades, ano, inicio, fim, por_conta_corrente=conta_corrente, nivel_maximo=nivel
        )
    )
    _emitir_balancete(repo, b, formato, saida)


def _emitir_balancete(
    repo: Repositorio, b: Balancete, formato: Formato, saida: Path | None
) -> None:
    nomes = {e.slug: e.nome for e in repo.entidades()}
    titulo = "Balancete de verificação — " + " + ".join(nomes.get(s, s) for s in b.entidades)
    if formato in (Formato.xlsx, Formato.pdf):
        if saida is None:
            raise typer.BadParameter(f"informe -o ARQUIVO para o formato {formato.value}")
        (rel.para_xlsx if formato == Formato.xlsx else rel.para_pdf)(b, saida, titulo)
        console.print(f"Balancete gravado em {saida}.")
        return
    if formato == Formato.tabela:
        if saida:
            with saida.open("w", encoding="utf-8") as f:
                Console(file=f, width=200).print(rel.tabela(b, titulo))
        else:
            # Valores nunca cortados: em terminal estreito a linha quebra, não some.
            console.print(rel.tabela(b, titulo, console.width), crop=False)
    else:
        texto = rel.para_csv(b) if formato == Formato.csv else rel.para_json(b)
        if saida:
            saida.write_text(texto, encoding="utf-8")
        else:
            sys.stdout.write(texto)
    problemas = conferir_balancete(b)
    if problemas:
        _mostrar_erros(problemas, "O balancete não fecha")
        raise typer.Exit(1)


# ------------------------------------------------------------------ cadastros
app_cadastro = typer.Typer(
    help="Cadastros: credores, contas bancárias e classificações orçamentárias.",
    no_args_is_help=True,
)
app.add_typer(app_cadastro, name="cadastro")


@app_cadastro.command("credores")
def cadastro_credores() -> None:
    """Lista os credores cadastrados."""
    t = Table(title="Credores")
    for titulo in ("CPF/CNPJ", "Nome", "Tipo", "Simples", "Endereço"):
        t.add_column(titulo)
    for c in _repo().credores():
        t.add_row(c.documento, c.nome, c.tipo.value, "sim" if c.simples else "não", c.endereco)
    console.print(t)


@app_cadastro.command("contas-bancarias")
def cadastro_contas_bancarias(
    entidade: Annotated[
        str | None, typer.Argument(help="Slug da entidade (todas, se omitido).")
    ] = None,
) -> None:
    """Lista as contas bancárias (o caixa/tesouraria tem o código 1-1)."""
    t = Table(title="Contas bancárias")
    for titulo in (
        "Entidade",
        "Código",
        "Tipo",
        "Fonte",
        "Conta contábil",
        "Banco",
        "Agência",
        "Conta",
    ):
        t.add_column(titulo)
    for c in _repo().contas_bancarias(entidade):
        agencia = c.agencia + (f"-{c.agencia_dv}" if c.agencia_dv else "")
        conta = c.conta + (f"-{c.conta_dv}" if c.conta_dv else "")
        t.add_row(
            c.entidade,
            c.codigo,
            c.tipo.value,
            str(c.fonte),
            c.conta_contabil,
            c.banco,
            agencia,
            conta,
        )
    console.print(t)


class TipoClassificacao(StrEnum):
    orgao = "orgao"
    unidade = "unidade"
    programa = "programa"
    acao = "acao"
    fonte = "fonte"


_COLUNAS_CLASSIFICACOES = (
    Coluna("classificacao", "Classificação"),
    Coluna("codigo", "Código"),
    Coluna("nome", "Nome"),
    Coluna("detalhe", "Tipo / propriedades"),
)


@app_cadastro.command("classificacoes")
def cadastro_classificacoes(
    entidade: Annotated[str, typer.Argument(help="Slug da entidade.")],
    tipo: Annotated[TipoClassificacao | None, typer.Option(help="Só um tipo de cadastro.")] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Lista órgãos, unidades orçamentárias, programas, ações e fontes de recursos da entidade."""
    from erario.orcamento.cadastros import NOME_TIPO_ACAO

    repo = _repo()
    cad = _executar(lambda: repo.classificacoes(entidade))
    linhas: list[list[Any]] = []
    if tipo in (None, TipoClassificacao.orgao):
        linhas += [["órgão", o.codigo, o.nome, ""] for o in cad.orgaos.values()]
    if tipo in (None, TipoClassificacao.unidade):
        linhas += [["unidade", f"{u.orgao}.{u.codigo}", u.nome, ""] for u in cad.unidades.values()]
    if tipo in (None, TipoClassificacao.programa):
        linhas += [["programa", p.codigo, p.nome, ""] for p in cad.programas.values()]
    if tipo in (None, TipoClassificacao.acao):
        linhas += [["ação", a.codigo, a.nome, NOME_TIPO_ACAO[a.tipo]] for a in cad.acoes.values()]
    if tipo in (None, TipoClassificacao.fonte):
        linhas += [
            [
                "fonte",
                str(f.fonte),
                f.nome,
                ", ".join(f"{k}={v}" for k, v in f.propriedades),
            ]
            for f in cad.fontes.values()
        ]
    _emitir_relatorio(
        f"Classificações orçamentárias — {entidade}",
        _COLUNAS_CLASSIFICACOES,
        linhas,
        formato,
        saida,
        {"relatorio": "classificacoes", "entidade": entidade},
    )


@app_cadastro.command("funcoes")
def cadastro_funcoes(
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Lista as funções e subfunções de governo da Portaria MOG 42/1999 (tabela federal)."""
    from erario.orcamento import tabelas

    funcoes = tabelas.funcoes()
    linhas = [
        [s.funcao, funcoes[s.funcao], s.codigo, s.nome]
        for s in sorted(tabelas.subfuncoes().values(), key=lambda s: (s.funcao, s.codigo))
    ]
    _emitir_relatorio(
        "Funções e subfunções (Portaria MOG 42/1999)",
        (
            Coluna("funcao", "Função"),
            Coluna("nome_funcao", "Nome da função"),
            Coluna("subfuncao", "Subfunção"),
            Coluna("nome_subfuncao", "Nome da subfunção"),
        ),
        linhas,
        formato,
        saida,
        {"relatorio": "funcoes"},
    )


# ------------------------------------------------------------------ execução
app_execucao = typer.Typer(
    help="Relatórios da execução orçamentária (a partir dos eventos registrados).",
    no_args_is_help=True,
)
app.add_typer(app_execucao, name="execucao")
app_retencoes = typer.Typer(
    help="Retenções (IRRF, INSS, ISS): por fornecedor, guias a recolher e liquidações.",
    no_args_is_help=True,
)
app.add_typer(app_retencoes, name="retencoes")


def _emitir_relatorio(
    titulo: str,
    colunas: Sequence[Coluna],
    linhas: list[Any],
    formato: Formato,
    saida: Path | None,
    cabecalho: dict[str, Any],
) -> None:
    from erario.relatorios import tabela as tab

    cols = list(colunas)
    if formato in (Formato.xlsx, Formato.pdf):
        if saida is None:
            raise typer.BadParameter(f"informe -o ARQUIVO para o formato {formato.value}")
        if formato == Formato.xlsx:
            tab.para_xlsx(saida, titulo, cols, linhas)
        else:
            subtitulo = f"Emitido pelo erario em {dt.date.today():%d/%m/%Y}"
            tab.para_pdf(saida, titulo, subtitulo, cols, linhas)
        console.print(f"Relatório gravado em {saida}.")
        return
    if formato == Formato.tabela:
        from rich.measure import Measurement

        t = tab.tabela(titulo, cols, linhas)
        # Valores nunca cortados: em terminal estreito a linha quebra, não some.
        largura = Measurement.get(console, console.options.update_width(1000), t).maximum
        antes = console.width
        console.width = max(antes, largura)  # o print(width=) do Rich não passa da tela
        try:
            console.print(t, crop=False)
        finally:
            console.width = antes
        return
    texto = (
        tab.para_csv(cols, linhas)
        if formato == Formato.csv
        else tab.para_json(cols, linhas, cabecalho)
    )
    if saida:
        saida.write_text(texto, encoding="utf-8")
    else:
        sys.stdout.write(texto)


@app_execucao.command("empenho")
def execucao_empenho(
    entidade: OpcaoEntidade,
    numero: Annotated[str, typer.Argument(help="Número (id) do empenho.")],
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Extrato do empenho: empenho, anulações, liquidações e pagamentos, com os saldos depois de cada um."""
    from erario.execucao.relatorios import extrato_empenho

    repo = _repo()
    ent = _entidade(repo, entidade)
    linhas = _executar(lambda: extrato_empenho(repo.controle(), ent.slug, numero))
    if linhas is None:
        _mostrar_erros([Erro("EXEC-EMPENHO", f"empenho {numero} não existe")], "Extrato")
        raise typer.Exit(1)
    _emitir_relatorio(
        f"Extrato do empenho {numero} — {ent.nome}",
        rel_execucao.COLUNAS_EXTRATO,
        linhas,
        formato,
        saida,
        {"relatorio": "extrato_empenho", "entidade": entidade, "empenho": numero},
    )


@app_execucao.command("disponibilidade")
def execucao_disponibilidade(
    entidade: OpcaoEntidade,
    exercicio: Annotated[
        int | None,
        typer.Option(help="Exercício (padrão: o mais recente com lançamentos)."),
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Disponibilidade por fonte no exercício, da abertura até hoje: caixa e bancos e o
    controle da DDR (disponível, comprometida, utilizada)."""
    from erario.execucao.relatorios import disponibilidade_por_fonte

    repo = _repo()
    if exercicio is None:
        anos = _executar(lambda: repo.exercicios_com_lancamentos(entidade))
        exercicio = anos[-1] if anos else None
    saldos = (
        _executar(lambda: repo.saldos_execucao(entidade, ("1.1.1.", "8.2.1.1."), exercicio))
        if exercicio is not None
        else {}
    )
    _emitir_relatorio(
        f"Disponibilidade por fonte em {exercicio or '—'} — {repo.entidade(entidade).nome}",
        rel_execucao.COLUNAS_DISPONIBILIDADE,
        disponibilidade_por_fonte(saldos),
        formato,
        saida,
        {"relatorio": "disponibilidade_por_fonte", "entidade": entidade, "exercicio": exercicio},
    )


@app.command()
def razao(
    entidade: OpcaoEntidade,
    conta: Annotated[
        str, typer.Argument(help="Conta (analítica ou sintética, em qualquer forma).")
    ],
    de: Annotated[
        str | None, typer.Option(help="Início AAAA-MM (padrão: janeiro do ano corrente).")
    ] = None,
    ate: Annotated[str | None, typer.Option(help="Fim AAAA-MM (13 = encerramento).")] = None,
    conta_corrente: Annotated[
        str | None,
        typer.Option(help='Filtra por atributos, p. ex. "FR=1500" ou "FR=1500|DB=001-1".'),
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Razão de uma conta: saldo anterior, cada partida do período e o saldo corrido."""
    from erario.razao.razao_conta import razao_de_conta

    ano, inicio = _periodo(de) if de else (dt.date.today().year, 1)
    ano_fim, fim = _periodo(ate) if ate else (ano, 12)
    if ano_fim != ano or fim < inicio:
        raise typer.BadParameter("--de e --ate devem ser do mesmo exercício, em ordem")
    repo = _repo()
    anterior, movimentos = _executar(
        lambda: repo.razao_conta(entidade, ano, conta, inicio, fim, conta_corrente)
    )
    _emitir_relatorio(
        f"Razão da conta {conta} — {repo.entidade(entidade).nome}, {ano}",
        rel_execucao.COLUNAS_RAZAO,
        razao_de_conta(anterior, movimentos),
        formato,
        saida,
        {"relatorio": "razao", "entidade": entidade, "conta": conta, "ano": ano},
    )


OpcaoExercicio = Annotated[
    int | None, typer.Option(help="Exercício (padrão: o mais recente com orçamento).")
]


def _exercicio(controle: ControleOrcamentario, slug: str, exercicio: int | None) -> int | None:
    """O exercício pedido ou, sem ele, o mais recente com orçamento (None se não houver)."""
    if exercicio is not None:
        return exercicio
    from erario.execucao.relatorios import exercicios

    anos = exercicios(controle, slug)
    return anos[-1] if anos else None


@app_execucao.command("restos")
def execucao_restos(
    entidade: OpcaoEntidade,
    inscricao: Annotated[
        int | None, typer.Option(help="Só os inscritos no encerramento deste exercício.")
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Restos a pagar por empenho: ano de inscrição, inscritos, liquidados, pagos e cancelados (processados e não processados) e saldo."""
    from erario.execucao.relatorios import restos_a_pagar

    repo = _repo()
    ent = _entidade(repo, entidade)
    linhas = _executar(lambda: restos_a_pagar(repo.controle(), ent.slug, inscricao))
    _emitir_relatorio(
        f"Restos a pagar — {ent.nome}",
        rel_execucao.COLUNAS_RESTOS,
        linhas,
        formato,
        saida,
        {"relatorio": "restos_a_pagar", "entidade": entidade, "inscricao": inscricao},
    )


@app_execucao.command("despesa")
def execucao_despesa(
    entidade: OpcaoEntidade,
    exercicio: OpcaoExercicio = None,
    funcao: Annotated[str | None, typer.Option(help="Só a função (2 dígitos; 10 = Saúde).")] = None,
    subfuncao: Annotated[str | None, typer.Option(help="Só a subfunção (3 dígitos).")] = None,
    fonte: Annotated[
        str | None, typer.Option(help="Só a fonte, como na MSC (p. ex. 1500 ou 15001001).")
    ] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Execução da despesa por dotação: inicial, atualizada, empenhado, anulado, liquidado, pago, a pagar e saldo."""
    from erario.execucao.relatorios import execucao_despesa as relatorio

    repo = _repo()
    ent = _entidade(repo, entidade)
    controle = repo.controle()
    ano = _exercicio(controle, ent.slug, exercicio)
    linhas = _executar(
        lambda: relatorio(
            controle,
            ent.slug,
            ano,
            funcao=funcao,
            subfuncao=subfuncao,
            fonte=fonte,
        )
    )
    _emitir_relatorio(
        f"Execução da despesa — {ent.nome}, {ano}",
        rel_execucao.COLUNAS_DESPESA,
        linhas,
        formato,
        saida,
        {"relatorio": "execucao_despesa", "entidade": entidade, "exercicio": ano},
    )


@app_execucao.command("receita")
def execucao_receita(
    entidade: OpcaoEntidade,
    exercicio: OpcaoExercicio = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Execução da receita por natureza e fonte: previsão inicial, atualizada, arrecadado e a arrecadar."""
    from erario.execucao.relatorios import execucao_receita as relatorio

    repo = _repo()
    ent = _entidade(repo, entidade)
    controle = repo.controle()
    ano = _exercicio(controle, ent.slug, exercicio)
    linhas = _executar(lambda: relatorio(controle, ent.slug, ano))
    _emitir_relatorio(
        f"Execução da receita — {ent.nome}, {ano}",
        rel_execucao.COLUNAS_RECEITA,
        linhas,
        formato,
        saida,
        {"relatorio": "execucao_receita", "entidade": entidade, "exercicio": ano},
    )


# ----------------------------------------------------------------------- demo
@app.command()
def demo(
    ano: Annotated[int, typer.Option(help="Exercício da demonstração.")] = 2026,
) -> None:
    """Monta um município de exemplo (Prefeitura, Câmara, RPPS) e imprime o balancete consolidado."""
    from erario.demo import montar_demo

    repo = _repo()
    resumo = _executar(lambda: montar_demo(repo, ano))
    console.print(resumo)
    b = repo.balancete(["prefeitura", "camara", "rpps"], ano, 1, 12, nivel_maximo=5)
    _emitir_balancete(repo, b, Formato.tabela, None)
    from erario.execucao.relatorios import execucao_despesa, execucao_receita, restos_a_pagar

    controle = repo.controle()
    nome = repo.entidade("prefeitura").nome
    _emitir_relatorio(
        f"Execução da despesa — {nome}, {ano}",
        rel_execucao.COLUNAS_DESPESA,
        execucao_despesa(controle, "prefeitura", ano),
        Formato.tabela,
        None,
        {},
    )
    _emitir_relatorio(
        f"Execução da receita — {nome}, {ano}",
        rel_execucao.COLUNAS_RECEITA,
        execucao_receita(controle, "prefeitura", ano),
        Formato.tabela,
        None,
        {},
    )
    from erario.retencoes.relatorios import guias_a_recolher

    _emitir_relatorio(
        f"Retenções: receita própria e guias a pagar — {nome}",
        rel_execucao.COLUNAS_GUIAS,
        guias_a_recolher(controle, repo.cadastro_retencoes(), "prefeitura"),
        Formato.tabela,
        None,
        {},
    )
    _emitir_relatorio(
        f"Restos a pagar inscritos no encerramento de {ano} — {nome}",
        rel_execucao.COLUNAS_RESTOS,
        restos_a_pagar(controle, "prefeitura", ano),
        Formato.tabela,
        None,
        {},
    )


# ------------------------------------------------------------------ retenções
# O mesmo --ano nos três relatórios: o exercício da data da liquidação (a competência
# da retenção é o mês da liquidação); padrão, o mais recente com liquidações.
OpcaoAnoRetencoes = Annotated[
    int | None,
    typer.Option(
        help="Exercício das liquidações (a competência é o mês da liquidação); "
        "padrão: o mais recente com liquidações da entidade."
    ),
]


def _ano_retencoes(controle: ControleOrcamentario, entidade: str, ano: int | None) -> int | None:
    from erario.retencoes.relatorios import exercicio_padrao

    return ano if ano is not None else exercicio_padrao(controle, entidade)


@app_retencoes.command("fornecedores")
def retencoes_fornecedores(
    entidade: OpcaoEntidade,
    ano: OpcaoAnoRetencoes = None,
    mes: Annotated[int | None, typer.Option(help="Só este mês (1 a 12).")] = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Retenções por fornecedor e mês: desconto, tipo, base (desta liquidação ou
    acréscimo da base do mês), valor e se já foi retido."""
    from erario.retencoes.relatorios import retencoes_por_fornecedor

    repo = _repo()
    ent = _entidade(repo, entidade)
    controle = repo.controle()
    ano = _ano_retencoes(controle, ent.slug, ano)
    _emitir_relatorio(
        f"Retenções por fornecedor — {ent.nome}, {ano or '—'}",
        rel_execucao.COLUNAS_RETENCOES,
        retencoes_por_fornecedor(controle, ent.slug, ano, mes),
        formato,
        saida,
        {"relatorio": "retencoes_por_fornecedor", "entidade": ent.slug, "ano": ano, "mes": mes},
    )


@app_retencoes.command("guias")
def retencoes_guias(
    entidade: OpcaoEntidade,
    ano: OpcaoAnoRetencoes = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Retido por desconto e competência e o seu destino: IRRF e ISS do município são
    receita própria (arrecadada na retenção); INSS é guia a pagar ao credor, com
    recolhido, a recolher e vencimento."""
    from erario.retencoes.relatorios import guias_a_recolher

    repo = _repo()
    ent = _entidade(repo, entidade)
    controle = repo.controle()
    ano = _ano_retencoes(controle, ent.slug, ano)
    _emitir_relatorio(
        f"Retenções: receita própria e guias a pagar — {ent.nome}, {ano or '—'}",
        rel_execucao.COLUNAS_GUIAS,
        guias_a_recolher(controle, repo.cadastro_retencoes(), ent.slug, ano) if ano else [],
        formato,
        saida,
        {"relatorio": "guias_a_recolher", "entidade": ent.slug, "ano": ano},
    )


@app_retencoes.command("liquidacoes")
def retencoes_liquidacoes(
    entidade: OpcaoEntidade,
    ano: OpcaoAnoRetencoes = None,
    formato: OpcaoFormato = Formato.tabela,
    saida: OpcaoSaida = None,
) -> None:
    """Cada liquidação desdobrada: valor bruto, cada retenção (base, de que base se
    trata, valor e situação), o líquido e a apropriação (Apropriado, Não Apropria)."""
    from erario.retencoes.relatorios import liquidacoes_com_situacao

    repo = _repo()
    ent = _entidade(repo, entidade)
    controle = repo.controle()
    ano = _ano_retencoes(controle, ent.slug, ano)
    _emitir_relatorio(
        f"Liquidações e retenções — {ent.nome}, {ano or '—'}",
        rel_execucao.COLUNAS_LIQUIDACOES,
        liquidacoes_com_situacao(controle, ent.slug, ano, repo.cadastro_retencoes()),
        formato,
        saida,
        {"relatorio": "liquidacoes", "entidade": ent.slug, "ano": ano},
    )


def main() -> None:
    app()


from erario.cli.consolidacao import registrar  # noqa: E402  (consolidação: erario servidor/consolidacao)

registrar(app)
