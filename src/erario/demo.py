"""Município de exemplo: Prefeitura, Câmara e RPPS de "Erário do Sul" (fictício).

Monta o plano base, as três entidades, os saldos de abertura e doze meses de
movimento. A parte orçamentária da Prefeitura entra como **eventos** (LOA:
previsão do IPTU e do FPM, com a dedução do FUNDEB, e a dotação da limpeza
urbana; arrecadações e deduções; empenho, liquidação e pagamento do serviço),
contabilizados pelos roteiros. O duodécimo da
Câmara é uma transferência financeira (um lançamento em cada entidade). O que
ainda não tem evento próprio (folha, contribuições e rendimentos do RPPS) entra
como lançamento direto.

A Prefeitura tem os cadastros de credores, contas bancárias (com o caixa 1-1),
classificações orçamentárias e retenções (INSS e IRRF do manual "Serviço e
Desconto"): em março, uma consultoria de pessoa física é liquidada com o
serviço 40, que apropria o INSS na liquidação e retém o IR no pagamento.

As seis contas bancárias que o razão movimenta (DB) das três entidades estão
cadastradas com os campos do e-Sfinge; o RPPS rende a sua aplicação todo mês; e
cada conta tem o extrato de dezembro importado e conciliado (com uma tarifa
ainda não contabilizada na conta movimento da Prefeitura), de modo que os 36
pacotes e-Sfinge do ano saem válidos.

Em dezembro, a Prefeitura empenha uma obra de pavimentação, liquida uma medição
e paga parte dela; o encerramento do exercício inscreve o resto em restos a
pagar (não processados: o não medido; processados: o medido e não pago) e abre
o exercício seguinte.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from erario import demo_siops
from erario.core.datas import nome_mes
from erario.demo_fcont import montar_saneamento
from erario.execucao.carga import evento_de_dict
from erario.razao.modelo import Entidade, Lancamento, Partida, TipoEntidade, TipoLancamento
from erario.razao.plano import plano_base
from erario.storage.repositorio import Repositorio

IBGE = "4399906"  # código fictício
CNPJ_FORNECEDOR = "12345678000195"
CNPJ_FORNECEDOR_2 = "98765432000198"

ENTIDADES = (
    Entidade(
        "prefeitura",
        "Prefeitura Municipal de Erário do Sul",
        "11222333000181",
        TipoEntidade.PREFEITURA,
        IBGE,
        "10131",
    ),
    Entidade(
        "camara",
        "Câmara Municipal de Erário do Sul",
        "44555666000181",
        TipoEntidade.CAMARA,
        IBGE,
        "20231",
    ),
    Entidade(
        "rpps",
        "Instituto de Previdência de Erário do Sul",
        "77888999000181",
        TipoEntidade.RPPS,
        IBGE,
        "10132",
    ),
)

# Contas do PCASP Federação usadas (todas analíticas no plano base).
BANCO = "1.1.1.1.1.19.00"  # bancos conta movimento - demais contas
APLICACAO = "1.1.1.1.1.50.00"  # aplicações financeiras de liquidez imediata
RPPS_CAPITALIZACAO = "1.1.1.1.1.53.00"  # aplicações - RPPS - fundo em capitalização
RPPS_BANCO = "1.1.1.1.1.06.03"  # bancos conta movimento - RPPS - fundo em capitalização
DIVIDA_ATIVA_IPTU = "1.1.2.5.1.01.05"
VEICULOS = "1.2.3.1.1.05.01"
SALARIOS_A_PAGAR = "2.1.1.1.1.01.01"
RPPS_A_PAGAR = "2.1.1.4.2.01.00"  # contribuição a RPPS a pagar
FORNECEDORES = "2.1.3.1.1.01.01"
RESULTADO_ANTERIOR = "2.3.7.1.1.02.00"  # superávits ou déficits de exercícios anteriores
VENCIMENTOS = "3.1.1.1.1.01.01"
SUBSIDIOS = "3.1.1.1.1.01.31"
PATRONAL_RPPS = "3.1.2.1.2.01.00"  # contribuição patronal ao RPPS (intra OFSS)
SERVICOS_PJ = "3.3.2.3.1.99.00"
OBRAS_EM_ANDAMENTO = "1.2.3.2.1.06.01"
IPTU = "4.1.1.2.1.02.00"
FPM = "4.5.2.1.3.02.00"  # cota-parte do FPM
CONTRIBUICAO_PATRONAL_RECEBIDA = "4.2.1.1.2.01.00"  # contribuição patronal (intra OFSS)
RENDIMENTOS = "4.4.5.2.1.00.00"  # remuneração de aplicações financeiras
RECURSOS_ORDINARIOS = "7.2.1.1.1.00.00"  # controle da disponibilidade: recursos ordinários
RECURSOS_VINCULADOS = "7.2.1.1.2.00.00"
DISPONIBILIDADE_A_UTILIZAR = "8.2.1.1.1.01.00"  # DDR: recursos disponíveis para o exercício
COMPROMETIDA_LIQUIDACAO = "8.2.1.1.3.01.00"  # DDR comprometida por liquidação
DDR_UTILIZADA = "8.2.1.1.4.01.00"  # DDR utilizada com execução orçamentária

LIVRE = "1500"  # recursos não vinculados de impostos
SAUDE = "1600"  # transferências fundo a fundo do SUS
RPPS_FONTE = "1800"  # recursos vinculados ao RPPS - fundo em capitalização


def _cc(**atributos: str) -> dict[str, str]:
    return atributos


def _banco(fonte: str, domicilio: str) -> dict[str, str]:
    return _cc(FR=fonte, DB=domicilio)


def _p(conta: str, dc: str, valor: str, cc: dict[str, str] | None = None) -> Partida:
    return Partida.de(conta, dc, valor, cc or {})


def _abertura(ano: int) -> Iterator[Lancamento]:
    d = dt.date(ano, 1, 1)
    hist = f"Saldos de abertura do exercício {ano}"
    forn = _cc(FR=LIVRE, CR=CNPJ_FORNECEDOR, FP="F")
    yield Lancamento(
        "prefeitura",
        d,
        hist,
        (
            _p(BANCO, "D", "1850000.00", _banco(LIVRE, "001-3456-123456")),
            _p(BANCO, "D", "420000.00", _banco(SAUDE, "001-3456-654321")),
            _p(APLICACAO, "D", "2300000.00", _banco(LIVRE, "104-0123-998877")),
            _p(DIVIDA_ATIVA_IPTU, "D", "380000.00"),
            _p(VEICULOS, "D", "1240000.00"),
            _p(FORNECEDORES, "C", "185000.00", forn),
            _p(RESULTADO_ANTERIOR, "C", "6005000.00"),
            # DDR por fonte = caixa da fonte: o disponível e, na livre, os 185.000,00
            # comprometidos pelos fornecedores a pagar (DDR comprometida por liquidação).
            _p(RECURSOS_ORDINARIOS, "D", "4150000.00", _cc(FR=LIVRE)),
            _p(RECURSOS_VINCULADOS, "D", "420000.00", _cc(FR=SAUDE)),
            _p(DISPONIBILIDADE_A_UTILIZAR, "C", "3965000.00", _cc(FR=LIVRE)),
            _p(COMPROMETIDA_LIQUIDACAO, "C", "185000.00", _cc(FR=LIVRE)),
            _p(DISPONIBILIDADE_A_UTILIZAR, "C", "420000.00", _cc(FR=SAUDE)),
        ),
        tipo=TipoLancamento.ABERTURA,
    )
    yield Lancamento(
        "camara",
        d,
        hist,
        (
            _p(BANCO, "D", "85000.00", _banco(LIVRE, "041-0987-112233")),
            _p(RESULTADO_ANTERIOR, "C", "85000.00"),
        ),
        tipo=TipoLancamento.ABERTURA,
    )
    yield Lancamento(
        "rpps",
        d,
        hist,
        (
            _p(RPPS_CAPITALIZACAO, "D", "12400000.00", _banco(RPPS_FONTE, "001-3456-777000")),
            _p(RPPS_BANCO, "D", "150000.00", _banco(RPPS_FONTE, "001-3456-777001")),
            _p(RESULTADO_ANTERIOR, "C", "12550000.00"),
        ),
        tipo=TipoLancamento.ABERTURA,
    )


def _mes(ano: int, mes: int) -> Iterator[Lancamento]:
    """Lançamentos típicos de um mês; valores variam com o mês para o balancete não repetir."""
    k = mes - 1
    banco_pref = _banco(LIVRE, "001-3456-123456")
    banco_cam = _banco(LIVRE, DOMICILIO_CAMARA)
    banco_rpps = _banco(RPPS_FONTE, "001-3456-777001")
    folha = f"{312450 + 1375 * k}.00"
    patronal = f"{43743 + 192 * k}.00"  # 14% da folha, arredondado ao real
    pago_folha = f"{int(folha[:-3]) + int(patronal[:-3])}.00"
    subsidios = f"{61200 + 120 * k}.00"
    sal = _cc(FR=LIVRE, FP="F")
    rpps_cc = _cc(FR=LIVRE, CR="77888999000181", FP="F")

    def d(dia: int) -> dt.date:
        return dt.date(ano, mes, dia)

    yield Lancamento(
        "prefeitura",
        d(28),
        "Folha de pagamento do mês",
        (
            _p(VENCIMENTOS, "D", folha),
            _p(PATRONAL_RPPS, "D", patronal),
            _p(SALARIOS_A_PAGAR, "C", folha, sal),
            _p(RPPS_A_PAGAR, "C", patronal, rpps_cc),
        ),
    )
    yield Lancamento(
        "prefeitura",
        d(28),
        "Pagamento da folha e da contribuição patronal",
        (
            _p(SALARIOS_A_PAGAR, "D", folha, sal),
            _p(RPPS_A_PAGAR, "D", patronal, rpps_cc),
            _p(BANCO, "C", pago_folha, banco_pref),
            # O caixa que sai usa a DDR da fonte (MSC: caixa por fonte = DDR).
            _p(DISPONIBILIDADE_A_UTILIZAR, "D", pago_folha, _cc(FR=LIVRE)),
            _p(DDR_UTILIZADA, "C", pago_folha, _cc(FR=LIVRE)),
        ),
    )
    yield Lancamento(
        "rpps",
        d(28),
        "Contribuição patronal recebida da Prefeitura",
        (
            _p(RPPS_BANCO, "D", patronal, banco_rpps),
            _p(CONTRIBUICAO_PATRONAL_RECEBIDA, "C", patronal),
        ),
    )
    rendimento = f"{74400 + 310 * k}.27"
    yield Lancamento(
        "rpps",
        d(28),
        "Rendimento das aplicações do fundo em capitalização",
        (
            _p(RPPS_CAPITALIZACAO, "D", rendimento, _banco(RPPS_FONTE, "001-3456-777000")),
            _p(RENDIMENTOS, "C", rendimento),
        ),
    )
    yield Lancamento(
        "camara",
        d(28),
        "Folha de subsídios dos vereadores",
        (_p(SUBSIDIOS, "D", subsidios), _p(SALARIOS_A_PAGAR, "C", subsidios, sal)),
    )
    yield Lancamento(
        "camara",
        d(28),
        "Pagamento da folha de subsídios",
        (_p(SALARIOS_A_PAGAR, "D", subsidios, sal), _p(BANCO, "C", subsidios, banco_cam)),
    )


DOTACAO_LIMPEZA = "0401.15.452.0010.2015.33903900"  # Obras; urbanismo, serviços urbanos
DOTACAO_PAVIMENTACAO = (
    "0401.15.451.0010.1020.44905100"  # infraestrutura urbana; obras e instalações
)
NR_IPTU = "11125001"  # 1.1.1.2.50.0.1 IPTU - principal
NR_FPM = "17115111"  # 1.7.1.1.51.1.1 cota-parte do FPM - cota mensal - principal
DOMICILIO_PREFEITURA = "001-3456-123456"
DOMICILIO_CAMARA = "041-0987-112233"


def _fundeb(bruto: str) -> str:
    """20% da receita para a formação do FUNDEB (EC 108/2020), arredondado ao
    centavo com ROUND_HALF_UP."""
    return str((Decimal(bruto) * Decimal("0.20")).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _valores(mes: int) -> tuple[str, str, str]:
    """IPTU, FPM e serviço de limpeza do mês (variam para o balancete não repetir)."""
    k = mes - 1
    return f"{96500 + 23350 * k}.15", f"{1024890 + 15230 * k}.62", f"{48730 + 905 * k}.40"


def _eventos(ano: int, meses: int) -> Iterator[dict[str, str]]:
    """Eventos orçamentários da Prefeitura no esquema de docs/eventos.md."""
    lo = f"{ano}-01-02"
    yield {
        "tipo": "previsao_receita",
        "id": "LOA-IPTU",
        "data": lo,
        "natureza_receita": NR_IPTU,
        "fonte": LIVRE,
        "valor": "1500000.00",
    }
    yield {
        "tipo": "previsao_receita",
        "id": "LOA-FPM",
        "data": lo,
        "natureza_receita": NR_FPM,
        "fonte": LIVRE,
        "valor": "12000000.00",
    }
    yield {
        "tipo": "previsao_receita",
        "id": "LOA-IRRF",
        "data": lo,
        "natureza_receita": "11130311",  # IRRF retido sobre rendimentos do trabalho
        "fonte": LIVRE,
        "valor": "60000.00",
    }
    yield {
        "tipo": "previsao_deducao",
        "id": "LOA-FPM-FUNDEB",
        "data": lo,
        "natureza_receita": NR_FPM,
        "fonte": LIVRE,
        "valor": "2400000.00",  # 20% da previsão do FPM
    }
    yield {
        "tipo": "dotacao_inicial",
        "id": "LOA-LIMP",
        "data": lo,
        "dotacao": DOTACAO_LIMPEZA,
        "fonte": LIVRE,
        "valor": "700000.00",
    }
    yield {
        "tipo": "dotacao_inicial",
        "id": "LOA-PAV",
        "data": lo,
        "dotacao": DOTACAO_PAVIMENTACAO,
        "fonte": LIVRE,
        "valor": "400000.00",
    }
    banco = {"conta_banco": BANCO, "domicilio": DOMICILIO_PREFEITURA}
    for mes in range(1, meses + 1):
        iptu, fpm, servico = _valores(mes)
        dia = f"{ano}-{mes:02d}-"
        yield {
            "tipo": "arrecadacao",
            "id": f"IPTU-{mes:02d}",
            "data": dia + "05",
            "natureza_receita": NR_IPTU,
            "fonte": LIVRE,
            "valor": iptu,
            "conta_vpa": IPTU,
            **banco,
        }
        yield {
            "tipo": "arrecadacao",
            "id": f"FPM-{mes:02d}",
            "data": dia + "10",
            "natureza_receita": NR_FPM,
            "fonte": LIVRE,
            "valor": fpm,
            "conta_vpa": FPM,
            **banco,
        }
        yield {
            "tipo": "deducao_receita",
            "id": f"FUNDEB-{mes:02d}",
            "data": dia + "10",
            "natureza_receita": NR_FPM,
            "fonte": LIVRE,
            "valor": _fundeb(fpm),
            **banco,
        }
        yield {
            "tipo": "empenho",
            "id": f"EMP-LIMP-{mes:02d}",
            "data": dia + "02",
            "dotacao": DOTACAO_LIMPEZA,
            "fonte": LIVRE,
            "credor": CNPJ_FORNECEDOR_2,
            "valor": servico,
            "modalidade": "estimativo",
        }
        yield {
            "tipo": "liquidacao",
            "id": f"LIQ-LIMP-{mes:02d}",
            "data": dia + "18",
            "empenho": f"EMP-LIMP-{mes:02d}",
            "valor": servico,
            "conta_vpd": SERVICOS_PJ,
            "conta_passivo": FORNECEDORES,
            "documento": f"NF {mes:03d}",
        }
        yield {
            "tipo": "pagamento",
            "id": f"PAG-LIMP-{mes:02d}",
            "data": dia + "25",
            "liquidacao": f"LIQ-LIMP-{mes:02d}",
            "valor": servico,
            **banco,
        }
        yield {
            "tipo": "transferencia_financeira",
            "id": f"DUOD-{mes:02d}",
            "data": dia + "12",
            "fonte": LIVRE,
            "valor": "95000.00",  # duodécimo da Câmara
            "entidade_destino": "camara",
            **banco,
            "conta_banco_destino": BANCO,
            "domicilio_destino": DOMICILIO_CAMARA,
        }


CPF_CONSULTOR = "52998224725"
CNPJ_INSS = "29979036000140"
DOTACAO_CONSULTORIA = "0401.15.452.0010.2015.33903600"  # outros serviços de terceiros - PF


# Contas bancárias das três entidades: (entidade, domicílio, tipo, fonte, conta contábil, nome).
CONTAS_BANCARIAS = (
    ("prefeitura", DOMICILIO_PREFEITURA, "movimento", LIVRE, BANCO, "Tesouro — movimento"),
    ("prefeitura", "001-3456-654321", "vinculada", SAUDE, BANCO, "Fundo Municipal de Saúde — SUS"),
    ("prefeitura", "104-0123-998877", "aplicacao", LIVRE, APLICACAO, "Tesouro — aplicação"),
    ("camara", DOMICILIO_CAMARA, "movimento", LIVRE, BANCO, "Câmara — movimento"),
    ("rpps", "001-3456-777000", "aplicacao", RPPS_FONTE, RPPS_CAPITALIZACAO,
     "RPPS — fundo em capitalização — aplicação"),
    ("rpps", "001-3456-777001", "movimento", RPPS_FONTE, RPPS_BANCO,
     "RPPS — fundo em capitalização — movimento"),
)  # fmt: skip


def _contas_bancarias(ano: int) -> Iterator[dict[str, object]]:
    """Toda conta bancária que o razão movimenta (DB), com os campos do e-Sfinge."""
    cnpj = {e.slug: e.cnpj for e in ENTIDADES}
    for slug, codigo, tipo, fonte, contabil, nome in CONTAS_BANCARIAS:
        banco, agencia, conta = codigo.split("-")
        yield {
            "cadastro": "conta_bancaria", "entidade": slug, "codigo": codigo, "tipo": tipo,
            "fonte": fonte, "conta_contabil": contabil, "banco": banco, "agencia": agencia,
            "conta": conta, "nome": nome, "cnpj_titular": cnpj[slug], "ibge_agencia": IBGE,
            "ativacao": f"{ano}-01-01",
        }  # fmt: skip


def _cadastros(ano: int) -> Iterator[dict[str, object]]:
    """Credores, contas bancárias e classificações orçamentárias (JSON Lines de cadastros)."""
    yield {"cadastro": "credor", "documento": CNPJ_FORNECEDOR, "nome": "Pavimenta Sul Ltda."}
    yield {"cadastro": "credor", "documento": CNPJ_FORNECEDOR_2, "nome": "Limpa Cidade Ltda."}
    yield {"cadastro": "credor", "documento": CPF_CONSULTOR, "nome": "Maria da Silva"}
    yield from _contas_bancarias(ano)
    yield {
        "cadastro": "conta_bancaria", "entidade": "prefeitura", "codigo": "1-1",
        "tipo": "caixa", "fonte": LIVRE, "conta_contabil": "1.1.1.1.1.01.00",
    }  # fmt: skip
    yield {
        "cadastro": "orgao",
        "entidade": "prefeitura",
        "codigo": "04",
        "nome": "Secretaria de Obras",
    }
    yield {
        "cadastro": "unidade", "entidade": "prefeitura", "orgao": "04", "codigo": "01",
        "nome": "Departamento de Serviços Urbanos",
    }  # fmt: skip
    yield {
        "cadastro": "programa",
        "entidade": "prefeitura",
        "codigo": "0010",
        "nome": "Cidade Limpa e Pavimentada",
    }
    yield {"cadastro": "acao", "entidade": "prefeitura", "codigo": "2015", "nome": "Limpeza Urbana"}
    yield {
        "cadastro": "acao",
        "entidade": "prefeitura",
        "codigo": "1020",
        "nome": "Pavimentação de Vias",
    }


def _retencoes(ano: int) -> Iterator[dict[str, object]]:
    """INSS (apropriado na liquidação) e IR PF (retido no pagamento) do serviço 40,
    com a tabela do IRRF e o teto do INSS do manual (valores de 2019)."""
    yield {
        "cadastro": "desconto", "codigo": 451, "descricao": "INSS SERVIÇOS", "tipo": "inss",
        "tipo_receita": "extraorcamentaria", "receita": "2.1.8.8.1.01.03", "fonte": LIVRE,
        "fornecedor": CNPJ_INSS, "tipo_fornecedor": "PJ", "controle_apropriacao": "liquidacao",
    }  # fmt: skip
    yield {
        "cadastro": "desconto", "codigo": 100, "descricao": "IR PESSOA FÍSICA", "tipo": "irrf_pf",
        "tipo_receita": "orcamentaria", "receita": "11130311", "fonte": LIVRE,
        "fornecedor": "11222333000181", "tipo_fornecedor": "PJ",
        "controle_apropriacao": "pagamento", "conta_vpa": "4.1.1.2.1.03.01",
    }  # fmt: skip
    yield {
        "cadastro": "servico",
        "codigo": 40,
        "descricao": "Consultoria",
        "descricao_reduzida": "Consultoria",
    }
    yield {"cadastro": "servico_desconto", "servico": 40, "desconto": 451, "percentual": "11.00"}
    yield {"cadastro": "servico_desconto", "servico": 40, "desconto": 100, "percentual": "0.00"}
    for n, limite, aliquota, deducao in (
        (1, "1903.98", "0.00", "0.00"),
        (2, "2826.65", "7.50", "142.80"),
        (3, "3751.05", "15.00", "354.80"),
        (4, "4664.68", "22.50", "636.13"),
        (5, "99999999999999.00", "27.50", "869.36"),
    ):
        yield {
            "cadastro": "faixa_irrf", "exercicio": ano, "codigo": n, "descricao": f"FAIXA 0{n}",
            "limite": limite, "aliquota": aliquota, "deducao": deducao,
        }  # fmt: skip
    yield {"cadastro": "teto_inss", "data_inicial": f"{ano}-01-01", "valor": "5839.45"}
    # O exemplo do manual: sem o desconto simplificado nem a redução da Lei
    # 15.270/2025 (que a lei ligaria em 2026 e zerariam o IR de R$ 3.000,00).
    yield {
        "cadastro": "parametros", "unidade_gestora": "prefeitura", "exercicio": ano,
        "rotina_tipo_servico": "liquidacao", "irrf_desconto_simplificado": False,
        "irrf_reducao_lei_15270": False,
    }  # fmt: skip


def _consultoria(ano: int) -> Iterator[dict[str, Any]]:
    """R$ 3.000,00 de consultoria PF: INSS 330,00 apropriado na liquidação; IR 57,45
    retido no pagamento do líquido (2.670,00): o banco paga 2.612,55."""
    yield {
        "tipo": "dotacao_inicial", "id": "LOA-CONS", "data": f"{ano}-01-02",
        "dotacao": DOTACAO_CONSULTORIA, "fonte": LIVRE, "valor": "36000.00",
    }  # fmt: skip
    yield {
        "tipo": "empenho", "id": "EMP-CONS", "data": f"{ano}-03-01",
        "dotacao": DOTACAO_CONSULTORIA, "fonte": LIVRE, "credor": CPF_CONSULTOR,
        "valor": "3000.00",
    }  # fmt: skip
    yield {
        "tipo": "liquidacao", "id": "LIQ-CONS", "data": f"{ano}-03-28", "empenho": "EMP-CONS",
        "valor": "3000.00", "conta_vpd": "3.3.2.3.1.99.00", "conta_passivo": FORNECEDORES,
        "documento": "RPA 1", "servico": 40, "conta_bancaria": DOMICILIO_PREFEITURA,
    }  # fmt: skip
    yield {
        "tipo": "pagamento", "id": "PAG-CONS", "data": f"{ano}-03-30", "liquidacao": "LIQ-CONS",
        "valor": "2670.00", "conta_bancaria": DOMICILIO_PREFEITURA,
    }  # fmt: skip


def _obra_de_dezembro(ano: int) -> Iterator[dict[str, str]]:
    """Pavimentação empenhada em dezembro: 250.000,00; medidos 100.000,00; pagos
    60.000,00 → RP não processados 150.000,00 e processados 40.000,00."""
    banco = {"conta_banco": BANCO, "domicilio": DOMICILIO_PREFEITURA}
    yield {
        "tipo": "empenho",
        "id": "EMP-PAV-12",
        "data": f"{ano}-12-01",
        "dotacao": DOTACAO_PAVIMENTACAO,
        "fonte": LIVRE,
        "credor": CNPJ_FORNECEDOR,
        "valor": "250000.00",
        "modalidade": "global",
    }
    yield {
        "tipo": "liquidacao",
        "id": "LIQ-PAV-12",
        "data": f"{ano}-12-15",
        "empenho": "EMP-PAV-12",
        "valor": "100000.00",
        "conta_vpd": OBRAS_EM_ANDAMENTO,  # despesa de capital: incorpora o ativo
        "conta_passivo": FORNECEDORES,
        "documento": "Medição 1",
    }
    yield {
        "tipo": "pagamento",
        "id": "PAG-PAV-12",
        "data": f"{ano}-12-20",
        "liquidacao": "LIQ-PAV-12",
        "valor": "60000.00",
        **banco,
    }
    yield {"tipo": "encerramento_exercicio", "id": f"ENC{ano}", "data": f"{ano}-12-31"}


TARIFA_DEZEMBRO = 3750  # centavos: tarifa do extrato da Prefeitura ainda não contabilizada


def _extratos_de_dezembro(repo: Repositorio, ano: int) -> None:
    """Extrato de dezembro de cada conta bancária: as linhas são os movimentos do razão
    (casados e confirmados) e, na conta movimento da Prefeitura, uma tarifa de 31/12
    não contabilizada — a pendência que vai ao registro Conciliação Bancária."""
    from erario.conciliacao import casamento
    from erario.conciliacao.extrato import Extrato, LinhaExtrato, SaldoExtrato
    from erario.execucao.cadastros import TipoContaBancaria
    from erario.storage import conciliacao as conc

    fim = dt.date(ano, 12, 31)
    for e in ENTIDADES:
        lancs = conc.lancamentos_ate(repo, e.slug, fim)
        for cb in repo.contas_bancarias(e.slug):
            if cb.tipo == TipoContaBancaria.CAIXA:
                continue
            movimentos = casamento.movimentos_do_razao(lancs, cb.conta_contabil, cb.codigo)
            linhas = [
                LinhaExtrato(m.data, m.centavos, m.lancamento, m.historico, f"{cb.codigo}-{n}")
                for n, m in enumerate(movimentos)
                if (m.data.year, m.data.month) == (ano, 12)
            ]
            tarifa = TARIFA_DEZEMBRO if cb.codigo == DOMICILIO_PREFEITURA else 0
            if tarifa:
                linhas.append(
                    LinhaExtrato(
                        fim,
                        -tarifa,
                        "S/N",
                        "Tarifa de manutenção de conta",
                        f"{cb.codigo}-tarifa",
                        "SRVCHG",
                    )
                )
            contabil = casamento.saldo_contabil(lancs, cb.conta_contabil, cb.codigo, fim)
            extrato = Extrato(tuple(linhas), (SaldoExtrato(fim, contabil - tarifa),))
            conc.importar_extrato(
                repo, e.slug, cb.codigo, extrato, f"extrato-{cb.codigo}-{ano}-12.csv",
                conferir_conta=False, usuario="demo",
            )  # fmt: skip
            sit = conc.situacao(repo, e.slug, cb.codigo, fim, lancamentos=lancs)
            pares = [casamento.Par(s.linha.id or 0, s.movimento.lancamento) for s in sit.sugestoes]
            if pares:
                conc.confirmar(repo, e.slug, cb.codigo, pares, usuario="demo")


def montar_demo(repo: Repositorio, ano: int = 2026, meses: int = 12) -> str:
    """Monta o município de exemplo (idempotente: não refaz o que já existe)."""
    lancs = list(_abertura(ano))
    for mes in range(1, meses + 1):
        lancs.extend(_mes(ano, mes))
    if "PCASP" not in repo.planos():
        repo.gravar_plano(plano_base())
    existentes = {e.slug for e in repo.entidades()}
    for e in ENTIDADES:
        if e.slug not in existentes:
            repo.criar_entidade(e)
        repo.abrir_exercicio(e.slug, ano, usuario="demo")
        repo.abrir_exercicio(e.slug, ano + 1, usuario="demo")
    if repo.lancamentos("prefeitura", ano, 0, 0):
        return "Município de exemplo já montado neste banco; mostrando o balancete."
    gravados = repo.lancar_lote(lancs)
    repo.registrar_cadastros([json.dumps(c) for c in _cadastros(ano)], "demo")
    repo.registrar_retencoes([json.dumps(r) for r in _retencoes(ano)], "demo")
    itens = []
    for ev in (*_eventos(ano, meses), *_consultoria(ano), *_obra_de_dezembro(ano)):
        evento, erros = evento_de_dict({"entidade": "prefeitura", **ev})
        assert evento is not None, erros  # dados fixos do próprio demo
        itens.append((None, evento))
    itens = demo_siops.com_saude(repo, ano, itens)  # Fundo Municipal de Saúde (SIOPS)
    eventos = repo.registrar_eventos(itens, "demo")
    montar_saneamento(repo, ano)  # SPED FCONT: a empresa do município (demo_fcont)
    if meses == 12:
        _extratos_de_dezembro(repo, ano)
    for e in ENTIDADES[1:]:  # a Prefeitura já está encerrada
        repo.fechar_competencia(e.slug, ano, 1, usuario="demo")
    partidas = sum(len(lc.partidas) for lc in gravados) + eventos.partidas
    return (
        f"Município de exemplo montado: {len(ENTIDADES)} entidades, {eventos.eventos} eventos "
        f"orçamentários, {len(gravados) + eventos.lancamentos} lançamentos, {partidas} partidas "
        f"(janeiro a {nome_mes(meses)} de {ano}, e uma obra em dezembro); exercício {ano} da "
        f"Prefeitura encerrado, com restos a pagar inscritos; janeiro fechado na Câmara e no RPPS."
    )
