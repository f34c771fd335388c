"""Esquema do banco (SQLAlchemy Core). Valores em centavos inteiros (BIGINT).

As migrações em ``migrations/versions`` criam exatamente estas tabelas; um teste
compara as duas coisas.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData()

plano = Table(
    "plano",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("nome", String(60), nullable=False, unique=True),
    Column("mascara", String(60), nullable=False),
)

conta = Table(
    "conta",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plano_id", Integer, ForeignKey("plano.id"), nullable=False),
    Column("codigo", String(40), nullable=False),
    Column("titulo", String(300), nullable=False),
    Column("nivel", Integer, nullable=False),
    Column("pai", String(40)),
    Column("analitica", Boolean, nullable=False),
    Column("natureza_saldo", String(1), nullable=False),
    Column("natureza_informacao", String(1), nullable=False),
    Column("superavit", String(1)),
    Column("conta_corrente", String(60), nullable=False, server_default=""),
    Column("funcao", Text, nullable=False, server_default=""),
    UniqueConstraint("plano_id", "codigo", name="uq_conta_plano_codigo"),
    CheckConstraint("natureza_saldo IN ('D','C','M')", name="ck_conta_natureza_saldo"),
    CheckConstraint("natureza_informacao IN ('P','O','C')", name="ck_conta_natureza_informacao"),
    CheckConstraint("superavit IS NULL OR superavit IN ('F','P','X')", name="ck_conta_superavit"),
)

entidade = Table(
    "entidade",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(40), nullable=False, unique=True),
    Column("nome", String(200), nullable=False),
    Column("cnpj", String(14), nullable=False, unique=True),
    Column("tipo", String(20), nullable=False),
    Column("ibge", String(7), nullable=False),
    Column("poder_orgao", String(5), nullable=False),
    Column("plano_id", Integer, ForeignKey("plano.id"), nullable=False),
    # Incorporada (migração 0010): entidade com instalação própria (Câmara, RPPS…),
    # cuja LOA a Prefeitura elabora e cujo balancete vem do servidor; sem razão aqui.
    Column("incorporada", Boolean, nullable=False, server_default=false()),
)

competencia = Table(
    "competencia",
    metadata,
    Column("entidade_id", Integer, ForeignKey("entidade.id"), primary_key=True),
    Column("ano", Integer, primary_key=True),
    Column("mes", Integer, primary_key=True),
    Column("situacao", String(10), nullable=False),
    CheckConstraint("mes BETWEEN 1 AND 12", name="ck_competencia_mes"),
    CheckConstraint("situacao IN ('aberta','fechada')", name="ck_competencia_situacao"),
)

auditoria = Table(
    "auditoria",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("quando", DateTime(timezone=True), nullable=False),
    Column("usuario", String(100), nullable=False),
    Column("acao", String(40), nullable=False),
    Column("entidade_id", Integer, ForeignKey("entidade.id")),
    Column("detalhe", Text, nullable=False),
)

lancamento = Table(
    "lancamento",
    metadata,
    # No SQLite, INTEGER PRIMARY KEY é o próprio rowid (sem índice à parte; 0009).
    Column(
        "id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    ),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("numero", String(16), nullable=False),
    Column("data", Date, nullable=False),
    Column("ano", Integer, nullable=False),
    Column("periodo", Integer, nullable=False),
    Column("tipo", String(20), nullable=False),
    Column("livro", String(1), nullable=False),
    Column("historico", Text, nullable=False),
    Column("origem", String(100)),
    Column("estorno", Boolean, nullable=False),
    Column("estornado_id", BigInteger, ForeignKey("lancamento.id")),
    Column("valor", BigInteger, nullable=False),  # soma dos débitos (= soma dos créditos)
    UniqueConstraint("entidade_id", "numero", name="uq_lancamento_numero"),
    CheckConstraint("valor > 0", name="ck_lancamento_valor"),
    CheckConstraint("periodo BETWEEN 0 AND 13", name="ck_lancamento_periodo"),
    CheckConstraint(
        "(estorno AND estornado_id IS NOT NULL) OR (NOT estorno AND estornado_id IS NULL)",
        name="ck_lancamento_estorno",
    ),
)
Index("ix_lancamento_entidade_data", lancamento.c.entidade_id, lancamento.c.data)
# Um lançamento é estornado no máximo uma vez; índice parcial: as linhas sem
# estorno (quase todas) ficam fora dele (0009).
Index(
    "uq_lancamento_estornado",
    lancamento.c.estornado_id,
    unique=True,
    sqlite_where=lancamento.c.estornado_id.isnot(None),
    postgresql_where=lancamento.c.estornado_id.isnot(None),
)

partida = Table(
    "partida",
    metadata,
    Column("lancamento_id", BigInteger, ForeignKey("lancamento.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("conta_id", Integer, ForeignKey("conta.id"), nullable=False),
    Column("dc", String(1), nullable=False),
    Column("valor", BigInteger, nullable=False),
    Column("conta_corrente", String(200), nullable=False),
    CheckConstraint("dc IN ('D','C')", name="ck_partida_dc"),
    CheckConstraint("valor > 0", name="ck_partida_valor"),
    CheckConstraint("seq > 0", name="ck_partida_seq"),
    sqlite_with_rowid=False,
)

saldo = Table(
    "saldo",
    metadata,
    Column("entidade_id", Integer, ForeignKey("entidade.id"), primary_key=True),
    Column("ano", Integer, primary_key=True),
    Column("livro", String(1), primary_key=True),
    Column("periodo", Integer, primary_key=True),
    Column("conta_id", Integer, ForeignKey("conta.id"), primary_key=True),
    Column("conta_corrente", String(200), primary_key=True),
    Column("debito_mes", BigInteger, nullable=False),
    Column("credito_mes", BigInteger, nullable=False),
    Column("debito_acum", BigInteger, nullable=False),
    Column("credito_acum", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

evento = Table(
    "evento",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(14), nullable=False),
    Column("tipo", String(30), nullable=False),
    Column("data", Date, nullable=False),
    Column("dados", Text, nullable=False),  # o evento no esquema JSON de execucao.carga
    # nulo: evento sem lançamento (empenho/liquidação extraorçamentários)
    Column("lancamento_id", BigInteger, ForeignKey("lancamento.id")),
    Column("estornado_id", BigInteger, ForeignKey("evento.id"), unique=True),
    # 0017: o empenho em cujo extrato o evento aparece (execucao.relatorios.empenho_do_evento)
    Column("empenho", String(14)),
    # 0018: o evento lido, em forma compacta (execucao.forma_compacta): o que
    # verificar reexecuta; nulo nos gravados antes da coluna (relê-se ``dados``)
    Column("compacto", Text),
    UniqueConstraint("entidade_id", "codigo", name="uq_evento_codigo"),
)

credor = Table(
    "credor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("documento", String(14), nullable=False, unique=True),
    Column("nome", String(200), nullable=False),
    Column("tipo", String(2), nullable=False),
    Column("simples", Boolean, nullable=False),
    Column("endereco", Text, nullable=False),
    CheckConstraint("tipo IN ('PF','PJ')", name="ck_credor_tipo"),
)

conta_bancaria = Table(
    "conta_bancaria",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(40), nullable=False),  # também o domicílio bancário (atributo DB)
    Column("tipo", String(10), nullable=False),
    Column("fonte", String(9), nullable=False),
    Column("conta_contabil", String(40), nullable=False),
    Column("banco", String(12), nullable=False),
    Column("agencia", String(12), nullable=False),
    Column("agencia_dv", String(1), nullable=False),
    Column("conta", String(12), nullable=False),
    Column("conta_dv", String(1), nullable=False),
    # Registro Conta Bancária e Encerramento do e-Sfinge (migração 0007); "" = não informado.
    Column("nome", String(255), nullable=False, server_default=""),
    Column("cnpj_titular", String(14), nullable=False, server_default=""),
    Column("ibge_agencia", String(7), nullable=False, server_default=""),
    Column("ativacao", Date),
    Column("encerramento", Date),
    Column("motivo_encerramento", String(256), nullable=False, server_default=""),
    UniqueConstraint("entidade_id", "codigo", name="uq_conta_bancaria_codigo"),
)

# Conciliação bancária (migração 0007). Linhas do extrato: só inserção, como o
# razão; o identificador (FITID do OFX ou gerado do CSV) impede duplicar linhas.
extrato_linha = Table(
    "extrato_linha",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conta_bancaria_id", Integer, ForeignKey("conta_bancaria.id"), nullable=False),
    Column("data", Date, nullable=False),
    Column("valor", BigInteger, nullable=False),  # + crédito no extrato, − débito
    Column("documento", String(40), nullable=False),
    Column("descricao", String(255), nullable=False),
    Column("identificador", String(255), nullable=False),
    Column("tipo_transacao", String(20), nullable=False),
    Column("origem", String(200), nullable=False),
    Column("importado_em", DateTime(timezone=True), nullable=False),
    Column("usuario", String(100), nullable=False),
    UniqueConstraint("conta_bancaria_id", "identificador", name="uq_extrato_linha"),
    CheckConstraint("valor <> 0", name="ck_extrato_linha_valor"),
)
Index("ix_extrato_linha_conta_data", extrato_linha.c.conta_bancaria_id, extrato_linha.c.data)

# Saldo do extrato ao fim de um dia (LEDGERBAL do OFX ou informado com o CSV).
extrato_saldo = Table(
    "extrato_saldo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conta_bancaria_id", Integer, ForeignKey("conta_bancaria.id"), nullable=False),
    Column("data", Date, nullable=False),
    Column("valor", BigInteger, nullable=False),
    Column("origem", String(200), nullable=False),
    Column("importado_em", DateTime(timezone=True), nullable=False),
    UniqueConstraint("conta_bancaria_id", "data", name="uq_extrato_saldo"),
)

# Casamentos confirmados pelo contador: linha do extrato × lançamento do razão.
# Desfazer apaga a linha (e fica na auditoria).
conciliacao_par = Table(
    "conciliacao_par",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conta_bancaria_id", Integer, ForeignKey("conta_bancaria.id"), nullable=False),
    Column(
        "extrato_linha_id", Integer, ForeignKey("extrato_linha.id"), nullable=False, unique=True
    ),
    Column("lancamento_id", BigInteger, ForeignKey("lancamento.id"), nullable=False),
    Column("confirmado_em", DateTime(timezone=True), nullable=False),
    Column("usuario", String(100), nullable=False),
    UniqueConstraint("conta_bancaria_id", "lancamento_id", name="uq_conciliacao_par_lancamento"),
)

# Classificações orçamentárias de cada entidade (LOA): órgão, unidade
# orçamentária, programa, ação e fontes de recursos usadas. Função, subfunção e
# natureza da despesa vêm das tabelas federais (erario.orcamento.tabelas).
orgao = Table(
    "orgao",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(2), nullable=False),
    Column("nome", String(200), nullable=False),
    UniqueConstraint("entidade_id", "codigo", name="uq_orgao_codigo"),
)

unidade_orcamentaria = Table(
    "unidade_orcamentaria",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("orgao_id", Integer, ForeignKey("orgao.id"), nullable=False),
    Column("codigo", String(2), nullable=False),
    Column("nome", String(200), nullable=False),
    UniqueConstraint("orgao_id", "codigo", name="uq_unidade_orcamentaria_codigo"),
)

programa = Table(
    "programa",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(4), nullable=False),
    Column("nome", String(200), nullable=False),
    UniqueConstraint("entidade_id", "codigo", name="uq_programa_codigo"),
)

acao = Table(
    "acao",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(4), nullable=False),
    Column("nome", String(200), nullable=False),
    Column("tipo", String(20), nullable=False),  # pelo primeiro dígito do código
    UniqueConstraint("entidade_id", "codigo", name="uq_acao_codigo"),
    CheckConstraint("tipo IN ('projeto','atividade','operacao_especial')", name="ck_acao_tipo"),
)

fonte_recurso = Table(
    "fonte_recurso",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(4), nullable=False),  # exercício + fonte (1500)
    Column("complemento", String(4), nullable=False),  # "" sem complemento
    Column("nome", String(200), nullable=False),
    Column("propriedades", Text, nullable=False),  # objeto JSON de textos
    UniqueConstraint("entidade_id", "codigo", "complemento", name="uq_fonte_recurso_codigo"),
)

# Cadastros das retenções (erario.retencoes.carga): dados no esquema JSON da carga.
retencao_cadastro = Table(
    "retencao_cadastro",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tipo", String(20), nullable=False),
    Column("chave", String(60), nullable=False),
    Column("dados", Text, nullable=False),
    UniqueConstraint("tipo", "chave", name="uq_retencao_cadastro"),
)

# Balancetes mensais incorporados de outras instalações (consolidação, migração
# 0007): a versão vigente baixada do servidor, no formato de troca.
balancete_incorporado = Table(
    "balancete_incorporado",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cnpj", String(14), nullable=False),
    Column("slug", String(40), nullable=False),
    Column("nome", String(200), nullable=False),
    Column("ibge", String(7), nullable=False),
    Column("ano", Integer, nullable=False),
    Column("mes", Integer, nullable=False),
    Column("versao", Integer, nullable=False),
    Column("checksum", String(80), nullable=False),
    Column("dados", Text, nullable=False),
    Column("incorporado_em", DateTime(timezone=True), nullable=False),
    Column("usuario", String(200), nullable=False),
    UniqueConstraint("cnpj", "ano", "mes", name="uq_balancete_incorporado"),
)

# LOA das entidades incorporadas (migração 0010): eventos da LOA que a Prefeitura
# elabora para a Câmara, o RPPS…, sem lançamento (a escrituração é da instalação
# de cada uma); exportados no orçamento (consolidacao.orcamento).
orcamento_incorporado = Table(
    "orcamento_incorporado",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(14), nullable=False),
    Column("tipo", String(30), nullable=False),
    Column("data", Date, nullable=False),
    Column("dados", Text, nullable=False),  # o evento na forma de dict_de_evento
    UniqueConstraint("entidade_id", "codigo", name="uq_orcamento_incorporado"),
)

# Envios do pacote e-Sfinge (registrados pelo usuário; um por retificação).
esfinge_envio = Table(
    "esfinge_envio",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("ano", Integer, nullable=False),
    Column("mes", Integer, nullable=False),
    Column("quando", DateTime(timezone=True), nullable=False),
    Column("usuario", String(100), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("protocolo", String(60), nullable=False),
    CheckConstraint("mes BETWEEN 1 AND 12", name="ck_esfinge_envio_mes"),
)

# --- 0011: Adoção (issue 18): histórico por partida, máscara do plano ---
# Histórico próprio da partida (NULL: o do lançamento), quando o sistema de origem
# escreve um por linha.
partida.append_column(Column("historico", Text))

# --- 0012: Relatórios (issue 18): assinaturas por entidade ---
# Quem assina os relatórios da entidade (relatorios.identificacao): o contador
# (com o CRC) e o ordenador/dirigente; um de cada papel por entidade.
assinatura_relatorio = Table(
    "assinatura_relatorio",
    metadata,
    Column("entidade_id", Integer, ForeignKey("entidade.id"), primary_key=True),
    Column("papel", String(20), primary_key=True),
    Column("nome", String(120), nullable=False),
    Column("cargo", String(80), nullable=False),
    Column("registro", String(20), nullable=False),
    CheckConstraint("papel IN ('contador', 'responsavel')", name="ck_assinatura_papel"),
)

# --- 0013: Núcleo (issue 19): saldos do controle orçamentário persistidos ---
# O estado do ControleOrcamentario (execucao.controle), uma tabela por mapa,
# atualizado na transação dos lançamentos: registrar um evento lê só as linhas que
# toca. Eventos, estornados e encerrados vêm da tabela evento. ``verificar``
# refaz tudo dos eventos e compara (VER-CONTROLE).


def _controle(nome: str, chave: list[Column[Any]], valores: list[str], textos: list[str]) -> Table:
    return Table(
        nome,
        metadata,
        Column("entidade_id", Integer, ForeignKey("entidade.id"), primary_key=True),
        *chave,
        *(Column(c, Text, nullable=False) for c in textos),
        *(Column(c, BigInteger, nullable=False) for c in valores),
    )


def _codigo() -> list[Column[Any]]:
    return [Column("codigo", Text, primary_key=True)]


controle_dotacao = _controle(
    "controle_dotacao",
    [Column("ano", Integer, primary_key=True), Column("codigo", Text, primary_key=True)],
    ["fixado", "adicional", "reduzido", "empenhado", "reservado"],
    ["fonte"],
)
controle_reserva = _controle(
    "controle_reserva", _codigo(), ["ano", "valor", "anulado", "empenhado"], ["dotacao"]
)
controle_empenho = _controle(
    "controle_empenho",
    _codigo(),
    [
        "ano",
        "valor",
        "anulado",
        "liquidado",
        "pago",
        "em_liquidacao",
        "inscrito",
        "cancelado",
        "rpnp_inscrito",
        "rpp_inscrito",
        "rpnp_liquidado",
        "rpnp_pago",
        "rpp_pago",
        "rpnp_cancelado",
        "rpp_cancelado",
    ],
    ["dotacao", "fonte", "credor"],
)
controle_em_liquidacao = _controle(
    "controle_em_liquidacao",
    _codigo(),
    ["ano", "valor", "liquidado", "cancelado"],
    ["empenho", "conta_vpd", "conta_passivo"],
)
controle_liquidacao = _controle(
    "controle_liquidacao",
    _codigo(),
    ["ano", "valor", "pago", "cancelado"],
    ["empenho", "conta_passivo", "situacao"],
)
controle_receita = _controle(
    "controle_receita",
    [
        Column("ano", Integer, primary_key=True),
        Column("natureza", Text, primary_key=True),
        Column("fonte", Text, primary_key=True),
    ],
    ["previsto", "arrecadado", "deducao_prevista", "deduzido"],
    [],
)
# extras e extra_empenhado do controle, pela mesma chave (ausente = 0).
controle_extra = _controle(
    "controle_extra",
    [
        Column("conta", Text, primary_key=True),
        Column("credor", Text, primary_key=True),
        Column("fonte", Text, primary_key=True),
    ],
    ["saldo", "empenhado"],
    [],
)
controle_empenho_extra = _controle(
    "controle_empenho_extra",
    _codigo(),
    ["valor", "liquidado", "pago"],
    ["conta", "credor", "fonte"],
)
controle_liquidacao_extra = _controle(
    "controle_liquidacao_extra", _codigo(), ["valor", "pago"], ["empenho"]
)
# Listas em ordem de registro: liquidações do credor no mês (apuração do IRRF e do
# INSS) e eventos gerados por outro (retenções), o que o estorno desfaz antes.
controle_liquidacao_mes = _controle(
    "controle_liquidacao_mes",
    [
        Column("credor", Text, primary_key=True),
        Column("ano", Integer, primary_key=True),
        Column("mes", Integer, primary_key=True),
        Column("ordem", Integer, primary_key=True),
    ],
    [],
    ["codigo"],
)
# Os encerramentos vigentes, lidos a cada operação, sem varrer os eventos.
Index("ix_evento_tipo", evento.c.tipo, evento.c.entidade_id)
# 0017: as consultas de um banco grande leem só o que mostram — os eventos de um
# empenho (extrato), as somas por dotação (execução da despesa, só no índice), os
# restos a pagar e as liquidações de um empenho.
Index("ix_evento_empenho", evento.c.entidade_id, evento.c.empenho)
controle_gerado = _controle(
    "controle_gerado",
    [Column("origem", Text, primary_key=True), Column("ordem", Integer, primary_key=True)],
    [],
    ["codigo"],
)


# --- 0014: SIOPS (issue 20): equivalências e marcas ---
siops_equivalencia = Table(
    "siops_equivalencia",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("ano", Integer, nullable=False),
    Column("tipo", String(10), nullable=False),  # receita, despesa, recurso, conta
    Column("origem", String(40), nullable=False),
    Column("destino", String(40), nullable=False),
    Column("situacao", String(12), nullable=False),  # sugerida, confirmada
    UniqueConstraint("entidade_id", "ano", "tipo", "origem", name="uq_siops_equivalencia"),
)

siops_marca = Table(
    "siops_marca",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("ano", Integer, nullable=False),
    Column("alvo", String(10), nullable=False),  # dotacao, empenho, receita, fonte
    Column("codigo", String(60), nullable=False),
    Column("chave", String(30), nullable=False),
    Column("valor", String(30), nullable=False),
    UniqueConstraint("entidade_id", "ano", "alvo", "codigo", "chave", name="uq_siops_marca"),
)


# --- 0015: SPED FCONT (issue 21): escrituração comercial das empresas ---
# Natureza do FCONT (I050.COD_NAT) de cada conta do plano de uma empresa; o plano
# em si são as tabelas plano/conta, como o PCASP. Cadastros da empresa: centros de
# custo (I100), histórico padronizado (I075) e mapeamento referencial (I051, por
# vigência). Uma escrituração por empresa e período (0000, M020, J930 em JSON) com
# o hash do último arquivo gerado e a entrega (recibo, quem, quando).
fcont_conta = Table(
    "fcont_conta",
    metadata,
    Column("conta_id", Integer, ForeignKey("conta.id"), primary_key=True),
    Column("natureza", String(2), nullable=False),
    CheckConstraint("natureza IN ('01','02','03','04','05','09')", name="ck_fcont_conta_natureza"),
)

fcont_centro_custo = Table(
    "fcont_centro_custo",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(60), nullable=False),
    Column("nome", String(255), nullable=False),
    Column("alteracao", Date, nullable=False),
    UniqueConstraint("entidade_id", "codigo", name="uq_fcont_centro_custo"),
)

fcont_historico = Table(
    "fcont_historico",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("codigo", String(60), nullable=False),
    Column("descricao", String(255), nullable=False),
    UniqueConstraint("entidade_id", "codigo", name="uq_fcont_historico"),
)

fcont_mapeamento = Table(
    "fcont_mapeamento",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("conta", String(40), nullable=False),
    Column("centro_custo", String(60), nullable=False),
    Column("conta_referencial", String(60), nullable=False),
    Column("inicio", Date, nullable=False),
    UniqueConstraint(
        "entidade_id",
        "conta",
        "centro_custo",
        "conta_referencial",
        "inicio",
        name="uq_fcont_mapeamento",
    ),
)

fcont_escrituracao = Table(
    "fcont_escrituracao",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("inicio", Date, nullable=False),
    Column("fim", Date, nullable=False),
    Column("dados", Text, nullable=False),  # 0000, M020 e J930 (fcont.escrituracao, JSON)
    Column("situacao", String(10), nullable=False),
    Column("criada_em", DateTime(timezone=True), nullable=False),
    Column("criada_por", String(100), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("gerada_em", DateTime(timezone=True)),
    Column("recibo", String(60), nullable=False),
    Column("entregue_em", DateTime(timezone=True)),
    Column("entregue_por", String(100), nullable=False),
    UniqueConstraint("entidade_id", "inicio", "fim", name="uq_fcont_escrituracao"),
    CheckConstraint(
        "situacao IN ('criada','gerada','entregue')", name="ck_fcont_escrituracao_situacao"
    ),
)

# --- 0016: Interface web (issue 22): usuários, sessões e papéis ---
# Usuários locais da interface web (senha só como hash argon2id), papéis por
# entidade (entidade nula = todas), sessões do lado do servidor (o cookie leva só
# a ficha; aqui fica o sha256 dela, a ficha anti-CSRF e os instantes em segundos
# desde a época) e a trilha das ações feitas pela web. ``falha_login`` é a mesma
# tabela do servidor de dados: o freio de login (api.seguranca.FreioLogin) é um só.
web_usuario = Table(
    "web_usuario",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(60), nullable=False, unique=True),
    Column("nome", String(200), nullable=False),
    Column("senha_hash", String(200), nullable=False),
    Column("ativo", Boolean, nullable=False),
    Column("criado_em", DateTime(timezone=True), nullable=False),
)

web_papel = Table(
    "web_papel",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("usuario_id", Integer, ForeignKey("web_usuario.id"), nullable=False),
    Column("entidade_id", Integer, ForeignKey("entidade.id")),
    Column("papel", String(15), nullable=False),
    CheckConstraint("papel IN ('administrador','contador','consulta')", name="ck_web_papel_papel"),
)

web_sessao = Table(
    "web_sessao",
    metadata,
    Column("ficha_sha256", String(64), primary_key=True),
    Column("usuario_id", Integer, ForeignKey("web_usuario.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("criada_em", Float, nullable=False),
    Column("visto_em", Float, nullable=False),
)

web_acao = Table(
    "web_acao",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("quando", DateTime(timezone=True), nullable=False),
    Column("usuario", String(60), nullable=False),
    Column("entidade_id", Integer, ForeignKey("entidade.id")),
    Column("acao", String(40), nullable=False),
    Column("resultado", String(10), nullable=False),
    Column("detalhe", Text, nullable=False),
)
Index("ix_web_acao_entidade", web_acao.c.entidade_id, web_acao.c.id)

falha_login = Table(
    "falha_login",
    metadata,
    Column("chave", String(250), primary_key=True),
    Column("falhas", Integer, nullable=False),
    Column("liberado_em", Float, nullable=False),
    Column("ultima_em", Float, nullable=False, server_default="0"),
)


# --- 0017: índices das consultas da execução (ver ix_evento_empenho acima) ---
Index(
    "ix_controle_empenho_execucao",
    *(
        controle_empenho.c[c]
        for c in (
            "entidade_id",
            "ano",
            "dotacao",
            "valor",
            "anulado",
            "liquidado",
            "rpnp_liquidado",
            "pago",
            "rpp_pago",
            "rpnp_pago",
        )
    ),
)
Index("ix_controle_empenho_inscrito", controle_empenho.c.entidade_id, controle_empenho.c.inscrito)
Index(
    "ix_controle_liquidacao_empenho",
    controle_liquidacao.c.entidade_id,
    controle_liquidacao.c.empenho,
)
Index(
    "ix_controle_liquidacao_situacao",
    controle_liquidacao.c.entidade_id,
    controle_liquidacao.c.situacao,
)
