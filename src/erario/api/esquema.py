"""Banco próprio do servidor de dados on-line (metadata separada).

Não faz parte das migrações do erario: é outro banco (SQLite por padrão,
PostgreSQL em produção), com migrações próprias em ``erario/api/migrations``
(``erario.api.manutencao``). Quem muda uma tabela aqui escreve a migração:
``tests/test_servidor_robustez.py`` confere que o banco migrado é igual a este
esquema. Cada envio (balancete de um mês ou orçamento do ano)
é uma versão nova; a vigente é a de maior número, e as anteriores ficam como
histórico (quem, quando, checksum).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

metadata = MetaData()

config = Table(
    "config",
    metadata,
    Column("chave", String(40), primary_key=True),
    Column("valor", String(200), nullable=False),
)

entidade = Table(
    "entidade",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cnpj", String(14), nullable=False, unique=True),
    Column("slug", String(40), nullable=False),
    Column("nome", String(200), nullable=False),
    Column("tipo", String(20), nullable=False),
    Column("ibge", String(7), nullable=False),
)

usuario = Table(
    "usuario",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(200), nullable=False, unique=True),
    Column("senha_hash", String(200), nullable=False),  # argon2id, nunca a senha
    Column("ativo", Boolean, nullable=False),
    # Versão das fichas do usuário: sobe ao trocar a senha e ao desativar; a ficha
    # leva a versão em que foi emitida e deixa de valer quando ela muda.
    Column("versao_ficha", Integer, nullable=False, server_default="0"),
)

vinculo = Table(
    "vinculo",
    metadata,
    Column("usuario_id", Integer, ForeignKey("usuario.id"), primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), primary_key=True),
)

competencia = Table(
    "competencia",
    metadata,
    Column("ibge", String(7), primary_key=True),
    Column("ano", Integer, primary_key=True),
    Column("mes", Integer, primary_key=True),
    Column("aberta_em", DateTime(timezone=True), nullable=False),
    Column("usuario_id", Integer, ForeignKey("usuario.id"), nullable=False),
)

envio = Table(
    "envio",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entidade_id", Integer, ForeignKey("entidade.id"), nullable=False),
    Column("tipo", String(12), nullable=False),  # "balancete" ou "orcamento" (mês 0)
    Column("ano", Integer, nullable=False),
    Column("mes", Integer, nullable=False),
    Column("versao", Integer, nullable=False),
    Column("checksum", String(80), nullable=False),
    Column("tamanho", BigInteger, nullable=False),
    Column("dados", LargeBinary, nullable=False),
    Column("usuario_id", Integer, ForeignKey("usuario.id"), nullable=False),
    Column("recebido_em", DateTime(timezone=True), nullable=False),
    UniqueConstraint("entidade_id", "tipo", "ano", "mes", "versao", name="uq_envio_versao"),
)

# Freio de login: tentativas contadas por chave (e-mail ou endereço), a partir de
# quando pode tentar de novo e quando foi contada a última (segundos da época,
# UTC; a contagem é esquecida uma janela depois da última). No banco, vale entre
# processos do servidor e sobrevive a um reinício.
falha_login = Table(
    "falha_login",
    metadata,
    Column("chave", String(250), primary_key=True),
    Column("falhas", Integer, nullable=False),
    Column("liberado_em", Float, nullable=False),
    Column("ultima_em", Float, nullable=False, server_default="0"),
)

# Auditoria: entradas (certas e falhas, com o endereço), downloads e ações do
# administrador (comandos ``erario servidor``). Só acrescentada, nunca alterada.
auditoria = Table(
    "auditoria",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("momento", DateTime(timezone=True), nullable=False, index=True),
    Column("acao", String(40), nullable=False),  # login, download, usuario-desativar…
    Column("resultado", String(12), nullable=False),  # ok, falha
    Column("email", String(200)),  # usuário envolvido (o que entrou ou o alvo da ação)
    Column("endereco", String(64)),  # endereço do cliente; vazio nos comandos locais
    Column("detalhe", String(500), nullable=False, server_default=""),
)
