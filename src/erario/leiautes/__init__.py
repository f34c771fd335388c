"""Leiautes regulatórios declarados como dados.

Cada leiaute (e-Sfinge do TCE-SC, e depois SIOPS, SPED FCONT…) é um arquivo
TOML em ``dados/``: registros, campos com o número e o nome do manual, tipo,
tamanho, casas decimais, obrigatoriedade e domínio, tabelas de códigos e os
nomes das regras de registro. Um só validador (``validacao``) e um só par de
escritores (``escrita``: JSON e XLSX) servem a todos os leiautes.

Camada: depende de ``core`` e do domínio; nunca de SQLAlchemy, Typer ou FastAPI.
"""
