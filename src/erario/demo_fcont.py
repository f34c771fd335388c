"""Empresa do município de exemplo: Companhia Municipal de Saneamento (SPED FCONT).

Sociedade de economia mista tributada pelo lucro real, com contabilidade
comercial (Lei 6.404/76) no plano próprio ``SANEAMENTO`` mapeado ao plano
referencial da RFB. O ano tem a abertura, doze meses de faturamento de água e
esgoto, recebimentos e folha, a depreciação da estação de tratamento e o
encerramento do resultado em lucros acumulados.

Ajustes fiscais do exemplo do manual (parte IV, Parecer Normativo RFB nº 1/2011):
a depreciação comercial de 1.200,00 (6% de 20.000,00) é expurgada (X) e a fiscal
de 2.500,00 (10% de 25.000,00) é lançada (F); o encerramento fiscal proposto (EF)
credita 1.300,00 na despesa de depreciação contra lucros acumulados. Signatários:
o diretor-presidente e o contador.

Resultado societário do ano: receitas 12 × 50.000,00 = 600.000,00; pessoal
12 × 30.000,00 = 360.000,00; depreciação 1.200,00; lucro 238.800,00.
"""

from __future__ import annotations

import datetime as dt

from erario.fcont.escrituracao import Escrituracao, Signatario
from erario.fcont.lancamentos_fiscais import TipoFiscal, lancamento_fiscal
from erario.fcont.livros import CentroCusto, Historico, Mapeamento, ler_plano_empresa_csv
from erario.razao.modelo import Entidade, Lancamento, Partida, TipoEntidade, TipoLancamento
from erario.storage import fcont as st
from erario.storage.repositorio import Repositorio

SLUG = "saneamento"
EMPRESA = Entidade(
    SLUG,
    "Companhia Municipal de Saneamento",
    "77556644000195",
    TipoEntidade.EMPRESA,
    "4399906",
    "10131",
    "SANEAMENTO",
)
PLANO_CSV = """CONTA;TITULO;NATUREZA
1.0.0.00;ATIVO;01
1.1.0.00;ATIVO CIRCULANTE;01
1.1.1.00;DISPONIBILIDADES;01
1.1.1.01;BANCO CONTA MOVIMENTO;01
1.1.2.00;CREDITOS;01
1.1.2.01;CLIENTES - AGUA E ESGOTO;01
1.2.0.00;ATIVO NAO CIRCULANTE;01
1.2.1.00;IMOBILIZADO;01
1.2.1.01;ESTACAO DE TRATAMENTO;01
1.2.1.02;DEPRECIACAO ACUMULADA;01
2.0.0.00;PASSIVO;02
2.1.0.00;PASSIVO CIRCULANTE;02
2.1.1.00;OBRIGACOES;02
2.1.1.01;FORNECEDORES;02
2.3.0.00;PATRIMONIO LIQUIDO;03
2.3.1.00;CAPITAL E RESERVAS;03
2.3.1.01;CAPITAL SOCIAL;03
2.3.1.02;LUCROS ACUMULADOS;03
3.0.0.00;RESULTADO;04
3.1.0.00;RECEITAS;04
3.1.1.00;RECEITA DE SERVICOS;04
3.1.1.01;TARIFAS DE AGUA E ESGOTO;04
3.2.0.00;CUSTOS E DESPESAS;04
3.2.1.00;DESPESAS OPERACIONAIS;04
3.2.1.01;DESPESAS DE PESSOAL;04
3.2.1.02;DESPESA DE DEPRECIACAO;04
"""
# Contas referenciais do plano da RFB (forma 1.01.01.01.00, manual, exemplo do I051).
REFERENCIAL = {
    "1.1.1.01": "1.01.01.02.00",
    "1.1.2.01": "1.01.02.01.00",
    "1.2.1.01": "1.02.03.01.00",
    "1.2.1.02": "1.02.03.01.99",
    "2.1.1.01": "2.01.01.01.00",
    "2.3.1.01": "2.03.01.01.00",
    "2.3.1.02": "2.03.04.01.00",
    "3.1.1.01": "3.01.01.01.00",
    "3.2.1.01": "3.02.01.01.00",
    "3.2.1.02": "3.02.01.05.00",
}
SIGNATARIOS = (
    Signatario("ANA PAULA DIRETORA", "12345678909", "205"),
    Signatario("CARLOS CONTADOR", "98765432100", "900", "RS-012345/O-6"),
)


def _lc(data: dt.date, historico: str, *partidas: tuple[str, str, int], **kw: object) -> Lancamento:
    return Lancamento(
        SLUG,
        data,
        historico,
        tuple(Partida(c, dc, v) for c, dc, v in partidas),
        **kw,  # type: ignore[arg-type]
    )


def lancamentos_comerciais(ano: int) -> list[Lancamento]:
    """Abertura, doze meses, depreciação e encerramento (livro comercial)."""
    inicio = dt.date(ano, 1, 1)
    saida = [
        _lc(
            inicio,
            "Saldos de abertura",
            ("1.1.1.01", "D", 8_000_000),
            ("1.2.1.01", "D", 2_200_000),
            ("2.3.1.01", "C", 10_200_000),
            tipo=TipoLancamento.ABERTURA,
            numero="SAN-ABERTURA",
        )
    ]
    for mes in range(1, 13):
        fim_mes = dt.date(ano, mes, 28)
        saida += [
            _lc(
                dt.date(ano, mes, 10),
                f"Faturamento de água e esgoto {mes:02d}/{ano}",
                ("1.1.2.01", "D", 5_000_000),
                ("3.1.1.01", "C", 5_000_000),
                numero=f"SAN-FAT-{mes:02d}",
            ),
            _lc(
                dt.date(ano, mes, 20),
                f"Recebimento de clientes {mes:02d}/{ano}",
                ("1.1.1.01", "D", 4_800_000),
                ("1.1.2.01", "C", 4_800_000),
                numero=f"SAN-REC-{mes:02d}",
            ),
            _lc(
                fim_mes,
                f"Folha de pagamento {mes:02d}/{ano}",
                ("3.2.1.01", "D", 3_000_000),
                ("1.1.1.01", "C", 3_000_000),
                numero=f"SAN-FOLHA-{mes:02d}",
            ),
        ]
    saida.append(
        _lc(
            dt.date(ano, 12, 31),
            "Depreciação anual da estação de tratamento (6% de 20.000,00)",
            ("3.2.1.02", "D", 120_000),
            ("1.2.1.02", "C", 120_000),
            numero="SAN-DEPR",
        )
    )
    saida.append(
        _lc(
            dt.date(ano, 12, 31),
            "Encerramento do resultado do exercício",
            ("3.1.1.01", "D", 60_000_000),
            ("3.2.1.01", "C", 36_000_000),
            ("3.2.1.02", "C", 120_000),
            ("2.3.1.02", "C", 23_880_000),
            tipo=TipoLancamento.ENCERRAMENTO,
            numero="SAN-ENCERRA",
        )
    )
    return saida


def montar_saneamento(repo: Repositorio, ano: int = 2026) -> str:
    """Monta a empresa (idempotente: não refaz o que já existe)."""
    if SLUG in {e.slug for e in repo.entidades()}:
        return "Companhia Municipal de Saneamento já montada."
    pe, erros = ler_plano_empresa_csv(PLANO_CSV, EMPRESA.plano, "demo_fcont")
    assert pe is not None, erros  # dado fixo da demonstração
    st.gravar_plano_empresa(repo, pe)
    repo.criar_entidade(EMPRESA)
    repo.abrir_exercicio(SLUG, ano, usuario="demo")
    inicio = dt.date(ano, 1, 1)
    st.gravar_centros(
        repo,
        SLUG,
        [
            CentroCusto("ETA", "ESTACAO DE TRATAMENTO", inicio),
            CentroCusto("ADM", "ADMINISTRACAO", inicio),
        ],
    )
    st.gravar_historicos(
        repo,
        SLUG,
        [
            Historico("001", "EXPURGO DA DEPRECIACAO SOCIETARIA"),
            Historico("002", "DEPRECIACAO FISCAL"),
        ],
    )
    st.gravar_mapeamentos(
        repo, SLUG, [Mapeamento(c, "", r, inicio) for c, r in REFERENCIAL.items()]
    )
    repo.lancar_lote(lancamentos_comerciais(ano))
    st.expurgar(repo, SLUG, ["SAN-DEPR"])
    f, erros = lancamento_fiscal(
        TipoFiscal.F,
        SLUG,
        dt.date(ano, 12, 31),
        "Depreciação fiscal (IN SRF 162/1998: 10% de 25.000,00)",
        [Partida("3.2.1.02", "D", 250_000), Partida("1.2.1.02", "C", 250_000)],
        pe.naturezas,
        numero="SAN-DEPR-F",
    )
    assert f is not None, erros
    repo.lancar_lote([f])
    ef, _ajustes = st.proposta_ef(repo, SLUG, ano, "2.3.1.02")
    assert ef is not None
    repo.lancar_lote([ef._replace(numero="SAN-EF")])
    st.criar_escrituracao(
        repo,
        Escrituracao(
            SLUG, inicio, dt.date(ano, 12, 31), SIGNATARIOS, uf="RS", contrapartida_ef="2.3.1.02"
        ),
        usuario="demo",
    )
    return "Companhia Municipal de Saneamento montada (FCONT: X, F e EF da depreciação)."
