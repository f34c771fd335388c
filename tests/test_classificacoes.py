"""Cadastros das classificações orçamentárias (órgão, unidade, programa, ação,
fonte), tabelas federais (funções e subfunções, natureza da despesa) e a
conferência da dotação contra eles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from erario.cli import app as modulo_cli
from erario.core.erros import OperacaoRecusada
from erario.execucao.carga import ler_eventos_jsonl
from erario.orcamento import tabelas
from erario.orcamento.cadastros import (
    Acao,
    Classificacao,
    Classificacoes,
    FonteEntidade,
    NomesDotacao,
    Orgao,
    Programa,
    TipoAcao,
    UnidadeOrcamentaria,
    classificacoes_de,
    e_saude,
    nomes_dotacao,
    tipo_acao,
    verificar_dotacao,
)
from erario.orcamento.classificacao import FonteRecurso, ler_dotacao, ler_fonte
from erario.storage import esquema as t
from erario.storage.repositorio import Repositorio, ResumoCadastros
from tests.apoio_eventos import contagens, registrar
from tests.conftest import CNPJ_PREFEITURA, PLANO_TESTE
from tests.test_cli import _ok, _rodar

DOT = "0201.12.361.0001.2001.33903900"  # a dotação dos testes de eventos


def _linhas(*objs: dict[str, object]) -> list[str]:
    return [json.dumps(o, ensure_ascii=False) for o in objs]


CLASSIFICACOES = _linhas(
    {
        "cadastro": "orgao",
        "entidade": "prefeitura",
        "codigo": "02",
        "nome": "Secretaria de Educação",
    },
    {
        "cadastro": "unidade",
        "entidade": "prefeitura",
        "orgao": "02",
        "codigo": "01",
        "nome": "Fundo Municipal de Educação",
    },
    {"cadastro": "programa", "entidade": "prefeitura", "codigo": "0001", "nome": "Educação Básica"},
    {
        "cadastro": "acao",
        "entidade": "prefeitura",
        "codigo": "2001",
        "nome": "Manutenção do Ensino Fundamental",
        "tipo": "atividade",
    },
    {
        "cadastro": "acao",
        "entidade": "prefeitura",
        "codigo": "1005",
        "nome": "Construção de Escola",
    },
    {"cadastro": "acao", "entidade": "prefeitura", "codigo": "0009", "nome": "Precatórios"},
    {"cadastro": "fonte", "entidade": "prefeitura", "codigo": "1500", "nome": "Recursos Livres"},
    {
        "cadastro": "fonte",
        "entidade": "prefeitura",
        "codigo": "1600.1002",
        "nome": "Transferências do SUS - Bloco de Manutenção",
        "propriedades": {"COVID": "não", "SIOPS": "sim"},
    },
    {"cadastro": "orgao", "entidade": "camara", "codigo": "01", "nome": "Câmara Municipal"},
)


# ------------------------------------------------------------ tabelas federais
def test_funcoes_e_subfuncoes_da_portaria_42() -> None:
    funcoes = tabelas.funcoes()
    assert list(funcoes) == [f"{i:02d}" for i in range(1, 29)]
    assert funcoes["10"] == "Saúde"
    assert funcoes["12"] == "Educação"
    assert funcoes["04"] == "Administração"
    assert funcoes["28"] == "Encargos Especiais"
    sub = tabelas.subfuncoes()
    assert len(sub) == 109
    assert sub["301"] == ("301", "Atenção Básica", "10")
    assert sub["302"].nome == "Assistência Hospitalar e Ambulatorial"
    assert sub["361"] == ("361", "Ensino Fundamental", "12")
    assert sub["365"].nome == "Educação Infantil"
    assert sub["122"] == ("122", "Administração Geral", "04")
    assert sub["846"] == ("846", "Outros Encargos Especiais", "28")
    assert sub["847"].nome == "Transferências para a Educação Básica"
    # toda subfunção é de uma função da tabela, e toda função tem subfunções
    assert {s.funcao for s in sub.values()} == set(funcoes)
    # a subfunção começa pela faixa da sua função (função f: 30f+1 … 30f+30)
    assert all(30 * int(s.funcao) < int(s.codigo) <= 30 * int(s.funcao) + 30 for s in sub.values())


def test_natureza_da_despesa_primeiros_niveis() -> None:
    assert tabelas.categorias_economicas() == {
        "3": "Despesas Correntes",
        "4": "Despesas de Capital",
        "9": "Reserva de Contingência",
    }
    assert list(tabelas.grupos_despesa()) == ["1", "2", "3", "4", "5", "6", "9"]
    assert tabelas.grupos_despesa()["3"] == "Outras Despesas Correntes"
    assert list(tabelas.modalidades_aplicacao()) == [
        *("20", "30", "31", "40", "41", "50", "60", "70", "71", "72", "80"),
        *("90", "91", "93", "94", "95", "96", "99"),
    ]
    assert tabelas.modalidades_aplicacao()["90"] == "Aplicações Diretas"


def test_tipo_da_acao_pelo_primeiro_digito() -> None:
    assert [tipo_acao(c) for c in ("1005", "3001", "5001", "7001")] == [TipoAcao.PROJETO] * 4
    assert [tipo_acao(c) for c in ("2001", "4001", "6001", "8001")] == [TipoAcao.ATIVIDADE] * 4
    assert [tipo_acao(c) for c in ("0009", "9001")] == [TipoAcao.OPERACAO_ESPECIAL] * 2


# ------------------------------------------------------------ conferência pura
def _cad() -> tuple[list[Classificacao], Classificacoes]:
    fonte_livre, _ = ler_fonte("1500")
    fonte_sus, _ = ler_fonte("1600.1002")
    assert fonte_livre and fonte_sus
    registros: list[Classificacao] = [
        Orgao("prefeitura", "02", "Secretaria de Educação"),
        UnidadeOrcamentaria("prefeitura", "02", "01", "Fundo Municipal de Educação"),
        Programa("prefeitura", "0001", "Educação Básica"),
        Acao("prefeitura", "2001", "Manutenção do Ensino Fundamental"),
        FonteEntidade("prefeitura", fonte_livre, "Recursos Livres"),
        FonteEntidade("prefeitura", fonte_sus, "SUS", (("COVID", "não"),)),
    ]
    return registros, classificacoes_de(registros)


def _erros(codigo: str, fonte: str | None = None) -> list[tuple[str, str]]:
    _, cad = _cad()
    dotacao, erros = ler_dotacao(codigo)
    assert dotacao is not None, erros
    fr: FonteRecurso | None = ler_fonte(fonte)[0] if fonte else None
    return [(e.regra, e.mensagem) for e in verificar_dotacao(dotacao, cad, fr)]


def test_dotacao_conferida_contra_os_cadastros() -> None:
    assert _erros(DOT) == []
    assert _erros("0209.12.999.0002.7777.33903900") == [
        ("ORC-UNIDADE", "unidade orçamentária 02.09 não cadastrada"),
        ("ORC-SUBFUNCAO", "subfunção 999 não existe na Portaria MOG 42/1999"),
        ("ORC-PROGRAMA", "programa 0002 não cadastrado"),
        ("ORC-ACAO", "ação 7777 não cadastrada"),
    ]
    # órgão ausente: a unidade dele não é relatada de novo
    assert _erros("0501.12.361.0001.2001.33903900") == [("ORC-ORGAO", "órgão 05 não cadastrado")]
    assert _erros("0201.12.361.0001.2001.34883900") == [
        (
            "ORC-NATUREZA-DESPESA",
            "grupo de natureza de despesa 4 não pertence à categoria 3 (Despesas Correntes)",
        ),
        ("ORC-NATUREZA-DESPESA", "modalidade de aplicação 88 não existe"),
    ]
    assert _erros("0201.28.122.0001.2001.33903900") == [
        (
            "ORC-SUBFUNCAO",
            "subfunção 122 não combina com a função 28: a função 28 (Encargos Especiais) só se "
            "usa com as subfunções 841 a 847, e estas só com ela",
        )
    ]
    assert _erros("0201.04.846.0001.2001.33903900")[0][0] == "ORC-SUBFUNCAO"
    assert _erros("0201.28.846.0001.2001.33903900") == []
    assert _erros("0201.12.122.0001.2001.33903900") == []  # matricialidade


def test_fonte_da_dotacao_conferida_quando_ha_fontes_cadastradas() -> None:
    assert _erros(DOT, "1500") == []
    assert _erros(DOT, "1500.1001") == []  # 1500 sem complemento cobre todos
    assert _erros(DOT, "1600.1002") == []
    assert _erros(DOT, "1600") == [("ORC-FONTE-CADASTRO", "fonte 1600 não cadastrada na entidade")]
    assert _erros(DOT, "1700") == [("ORC-FONTE-CADASTRO", "fonte 1700 não cadastrada na entidade")]
    registros, _ = _cad()
    sem_fontes = classificacoes_de(r for r in registros if not isinstance(r, FonteEntidade))
    dotacao, _ = ler_dotacao(DOT)
    assert dotacao is not None
    assert verificar_dotacao(dotacao, sem_fontes, ler_fonte("1700")[0]) == []


def test_nomes_da_dotacao_e_saude() -> None:
    _, cad = _cad()
    dotacao, _ = ler_dotacao(DOT)
    assert dotacao is not None
    assert nomes_dotacao(dotacao, cad) == NomesDotacao(
        "Secretaria de Educação",
        "Fundo Municipal de Educação",
        "Educação",
        "Ensino Fundamental",
        "Educação Básica",
        "Manutenção do Ensino Fundamental",
        "atividade",
        "Despesas Correntes",
        "Outras Despesas Correntes",
        "Aplicações Diretas",
    )
    outra, _ = ler_dotacao("0301.10.301.0002.1009.44905200")
    assert outra is not None
    assert nomes_dotacao(outra, cad) == NomesDotacao(
        "",
        "",
        "Saúde",
        "Atenção Básica",
        "",
        "",
        "projeto",
        "Despesas de Capital",
        "Investimentos",
        "Aplicações Diretas",
    )
    assert e_saude(outra) and e_saude("0301.10.301.0002.1009.44905200")
    assert not e_saude(dotacao) and not e_saude(DOT) and not e_saude("inválida")


# ------------------------------------------------------------ carga e listagem
def test_classificacoes_gravadas_listadas_e_atualizadas(repo_pcasp: Repositorio) -> None:
    assert repo_pcasp.registrar_cadastros(CLASSIFICACOES, "c.jsonl") == ResumoCadastros(
        0, 0, orgaos=2, unidades=1, programas=1, acoes=3, fontes=2
    )
    cad = repo_pcasp.classificacoes("prefeitura")
    assert list(cad.orgaos.values()) == [Orgao("prefeitura", "02", "Secretaria de Educação")]
    assert list(cad.unidades.values()) == [
        UnidadeOrcamentaria("prefeitura", "02", "01", "Fundo Municipal de Educação")
    ]
    assert list(cad.programas.values()) == [Programa("prefeitura", "0001", "Educação Básica")]
    assert list(cad.acoes.values()) == [
        Acao("prefeitura", "0009", "Precatórios"),
        Acao("prefeitura", "1005", "Construção de Escola"),
        Acao("prefeitura", "2001", "Manutenção do Ensino Fundamental"),
    ]
    assert [a.tipo for a in cad.acoes.values()] == [
        TipoAcao.OPERACAO_ESPECIAL,
        TipoAcao.PROJETO,
        TipoAcao.ATIVIDADE,
    ]
    assert list(cad.fontes.values()) == [
        FonteEntidade("prefeitura", FonteRecurso("1", "500", ""), "Recursos Livres"),
        FonteEntidade(
            "prefeitura",
            FonteRecurso("1", "600", "1002"),
            "Transferências do SUS - Bloco de Manutenção",
            (("COVID", "não"), ("SIOPS", "sim")),
        ),
    ]
    camara = repo_pcasp.classificacoes("camara")
    assert list(camara.orgaos.values()) == [Orgao("camara", "01", "Câmara Municipal")]
    assert not camara.unidades and not camara.acoes and not camara.fontes
    # recarregar atualiza pelo código, sem duplicar; a unidade pode vir sem o órgão
    # na mesma carga, se ele já está cadastrado
    novas = _linhas(
        {"cadastro": "orgao", "entidade": "prefeitura", "codigo": "02", "nome": "SMED"},
        {
            "cadastro": "unidade",
            "entidade": "prefeitura",
            "orgao": "02",
            "codigo": "01",
            "nome": "FME",
        },
        {
            "cadastro": "fonte",
            "entidade": "prefeitura",
            "codigo": "1500",
            "nome": "Livres",
            "propriedades": {"COVID": "sim"},
        },
    )
    assert repo_pcasp.registrar_cadastros(novas, "d.jsonl")[2:7] == (1, 1, 0, 0, 1)
    cad = repo_pcasp.classificacoes("prefeitura")
    assert [o.nome for o in cad.orgaos.values()] == ["SMED"]
    assert [u.nome for u in cad.unidades.values()] == ["FME"]
    assert cad.fontes["1500"] == FonteEntidade(
        "prefeitura", FonteRecurso("1", "500", ""), "Livres", (("COVID", "sim"),)
    )
    assert len(cad.fontes) == 2 and len(cad.acoes) == 3
    with pytest.raises(OperacaoRecusada):
        repo_pcasp.classificacoes("nao-existe")


def test_classificacoes_com_erros_relatam_todas_as_linhas(
    repo_pcasp: Repositorio, engine: Engine
) -> None:
    linhas = _linhas(
        {"cadastro": "orgao", "entidade": "prefeitura", "codigo": "02", "nome": "Educação"},
        {"cadastro": "orgao", "entidade": "prefeitura", "codigo": "2", "nome": "Saúde"},
        {
            "cadastro": "unidade",
            "entidade": "prefeitura",
            "orgao": "09",
            "codigo": "01",
            "nome": "X",
        },
        {"cadastro": "programa", "entidade": "prefeitura", "codigo": "0001"},
        {
            "cadastro": "acao",
            "entidade": "prefeitura",
            "codigo": "1005",
            "nome": "Obra",
            "tipo": "atividade",
        },
        {"cadastro": "fonte", "entidade": "prefeitura", "codigo": "15", "nome": "X"},
        {
            "cadastro": "fonte",
            "entidade": "prefeitura",
            "codigo": "1500",
            "nome": "X",
            "propriedades": {"COVID": 1},
        },
        {"cadastro": "orgao", "entidade": "rpps", "codigo": "03", "nome": "RPPS"},
        {"cadastro": "funcao", "codigo": "10"},
    )
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_cadastros(linhas, "e.jsonl")
    assert [str(e) for e in exc.value.erros] == [
        "e.jsonl, linha 2, campo codigo: [CAD-CAMPO] codigo: '2' deve ter 2 dígitos (texto)",
        "e.jsonl, linha 3, campo orgao: [ORC-ORGAO] órgão 09 não cadastrado na entidade prefeitura",
        "e.jsonl, linha 4, campo nome: [CAD-CAMPO] nome: obrigatório (texto)",
        "e.jsonl, linha 5, campo tipo: [CAD-CAMPO] tipo: a ação 1005 é projeto pelo primeiro "
        "dígito, não atividade",
        "e.jsonl, linha 6, campo codigo: [ORC-FONTE] fonte de recursos '15' inválida: use 4 "
        "dígitos (p. ex. 1500), com complemento opcional de 4 (1500.1001)",
        "e.jsonl, linha 7, campo propriedades: [CAD-CAMPO] propriedades: use um objeto de "
        'textos, p. ex. {"COVID": "sim"}',
        "e.jsonl, linha 8, campo entidade: [CAD-CAMPO] entidade: rpps não existe",
        'e.jsonl, linha 9, campo cadastro: [CAD-JSON] use "cadastro": "credor", '
        '"conta_bancaria", "encerramento_conta_bancaria", "orgao", "unidade", "programa", "acao" ou "fonte"',
    ]
    with engine.connect() as con:
        for tabela in (t.orgao, t.unidade_orcamentaria, t.programa, t.acao, t.fonte_recurso):
            assert con.execute(select(func.count()).select_from(tabela)).scalar_one() == 0
    # --validar também lista tudo e não grava nada
    with pytest.raises(OperacaoRecusada):
        repo_pcasp.registrar_cadastros(linhas, "e.jsonl", validar=True)
    assert repo_pcasp.registrar_cadastros(CLASSIFICACOES, "c.jsonl", validar=True).acoes == 3
    assert repo_pcasp.classificacoes("prefeitura").vazia


# ------------------------------------------------------------ dotação nos eventos
def _evento(id_: str, dotacao: str, fonte: str = "1500", **extra: object) -> str:
    return json.dumps(
        {
            "tipo": "dotacao_inicial",
            "id": id_,
            "entidade": "prefeitura",
            "data": "2026-01-02",
            "dotacao": dotacao,
            "fonte": fonte,
            "valor": "1000.00",
            **extra,
        }
    )


def test_dotacao_sem_cadastros_segue_sem_conferencia(repo_pcasp: Repositorio) -> None:
    # Entidade sem cadastros de classificação: como antes, só o formato é conferido.
    registrar(repo_pcasp, [_evento("D1", "0909.04.999.0002.7777.33903900", "1700")])
    # Só fontes cadastradas também não ligam a conferência da dotação.
    repo_pcasp.registrar_cadastros(CLASSIFICACOES[6:8], "f.jsonl")
    registrar(repo_pcasp, [_evento("D2", "0909.04.999.0002.7778.33903900")])


def test_dotacao_com_cadastros_recusada_com_todos_os_problemas(
    repo_pcasp: Repositorio, engine: Engine
) -> None:
    repo_pcasp.registrar_cadastros(CLASSIFICACOES, "c.jsonl")
    registrar(
        repo_pcasp,
        [_evento("D1", DOT), _evento("D2", "0201.12.361.0001.1005.44905100", "1600.1002")],
    )
    linhas = [
        _evento("D3", "0209.12.999.0001.7777.33903900"),
        _evento("D4", DOT, "1700"),
        _evento("D5", "0209.12.999.0001.7777.33903900"),  # mesma dotação: mesmo erro
        json.dumps(
            {
                "tipo": "credito_adicional",
                "id": "C1",
                "entidade": "prefeitura",
                "data": "2026-02-02",
                "dotacao": "0201.12.361.0001.2009.44905200",
                "fonte": "1500",
                "valor": "500.00",
                "modalidade": "especial",
                "cobertura": "superavit",
            }
        ),
    ]
    itens, erros = ler_eventos_jsonl(linhas, "eventos.jsonl")
    assert erros == []
    antes = contagens(engine)[0]
    with pytest.raises(OperacaoRecusada) as exc:
        repo_pcasp.registrar_eventos(itens, "eventos.jsonl")
    assert [str(e) for e in exc.value.erros] == [
        "eventos.jsonl, linha 1, campo dotacao: [ORC-UNIDADE] unidade orçamentária 02.09 "
        "não cadastrada",
        "eventos.jsonl, linha 1, campo dotacao: [ORC-SUBFUNCAO] subfunção 999 não existe na "
        "Portaria MOG 42/1999",
        "eventos.jsonl, linha 1, campo dotacao: [ORC-ACAO] ação 7777 não cadastrada",
        "eventos.jsonl, linha 2, campo fonte: [ORC-FONTE-CADASTRO] fonte 1700 não cadastrada "
        "na entidade",
        "eventos.jsonl, linha 3, campo dotacao: [ORC-UNIDADE] unidade orçamentária 02.09 "
        "não cadastrada",
        "eventos.jsonl, linha 3, campo dotacao: [ORC-SUBFUNCAO] subfunção 999 não existe na "
        "Portaria MOG 42/1999",
        "eventos.jsonl, linha 3, campo dotacao: [ORC-ACAO] ação 7777 não cadastrada",
        "eventos.jsonl, linha 4, campo dotacao: [ORC-ACAO] ação 2009 não cadastrada",
    ]
    assert contagens(engine)[0] == antes
    # cadastrada a ação, o crédito especial passa; o suplementar reforça dotação já conferida
    repo_pcasp.registrar_cadastros(
        _linhas(
            {"cadastro": "acao", "entidade": "prefeitura", "codigo": "2009", "nome": "Equipamentos"}
        ),
        "a.jsonl",
    )
    registrar(repo_pcasp, [linhas[3]])
    assert contagens(engine)[0] == antes + 1


# ------------------------------------------------------------------------- CLI
def test_classificacoes_na_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(modulo_cli.console, "width", 200)  # sem quebra, para conferir o texto
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    plano = tmp_path / "plano.csv"
    plano.write_text(PLANO_TESTE, encoding="utf-8")
    _ok(url, "plano", "importar", str(plano))
    _ok(
        url,
        "entidade",
        "criar",
        "--slug=prefeitura",
        "--nome=Prefeitura de Teste",
        f"--cnpj={CNPJ_PREFEITURA}",
        "--tipo=prefeitura",
        "--ibge=4312658",
        "--poder-orgao=10131",
    )
    arq = tmp_path / "classificacoes.jsonl"
    arq.write_text("\n".join(CLASSIFICACOES[:8]) + "\n", encoding="utf-8")
    saida = _ok(url, "importar", str(arq), "--tipo", "cadastros")
    assert "0 credor(es) e 0 conta(s) bancária(s) gravado(s)." in saida
    assert (
        "Classificações: 1 órgão(s), 1 unidade(s), 1 programa(s), 3 ação(ões), 2 fonte(s) "
        "gravado(s)." in saida
    )
    assert _ok(url, "cadastro", "classificacoes", "prefeitura", "--formato", "csv") == (
        "classificacao;codigo;nome;detalhe\n"
        "órgão;02;Secretaria de Educação;\n"
        "unidade;02.01;Fundo Municipal de Educação;\n"
        "programa;0001;Educação Básica;\n"
        "ação;0009;Precatórios;operação especial\n"
        "ação;1005;Construção de Escola;projeto\n"
        "ação;2001;Manutenção do Ensino Fundamental;atividade\n"
        "fonte;1500;Recursos Livres;\n"
        "fonte;1600.1002;Transferências do SUS - Bloco de Manutenção;COVID=não, SIOPS=sim\n"
    )
    doc = json.loads(
        _ok(url, "cadastro", "classificacoes", "prefeitura", "--tipo", "acao", "--formato", "json")
    )
    assert [ln["codigo"] for ln in doc["linhas"]] == ["0009", "1005", "2001"]
    assert "Fundo Municipal de Educação" in _ok(url, "cadastro", "classificacoes", "prefeitura")
    codigo, saida = _rodar(url, "cadastro", "classificacoes", "nao-existe")
    assert codigo == 1
    funcoes = _ok(url, "cadastro", "funcoes", "--formato", "csv").splitlines()
    assert funcoes[0] == "funcao;nome_funcao;subfuncao;nome_subfuncao"
    assert len(funcoes) == 1 + 109
    assert "10;Saúde;301;Atenção Básica" in funcoes
    assert "12;Educação;361;Ensino Fundamental" in funcoes
    assert "28;Encargos Especiais;846;Outros Encargos Especiais" in funcoes
    assert "Atenção Básica" in _ok(url, "cadastro", "funcoes")
