"""Servidor de dados on-line da consolidação (FastAPI) e o cliente HTTP do erario.

Adaptador: usa ``erario.consolidacao`` (domínio) e guarda tudo no banco próprio
do servidor (``erario.api.esquema``), separado do banco do erario.
"""
