"""Núcleo sem dependências: dinheiro, códigos, datas e erros."""
