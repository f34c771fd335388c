"""Razão contábil: plano de contas (PCASP), lançamentos, saldos e balancete.

Tudo aqui é puro: sem banco, sem CLI. Os tipos estão em ``modelo``; as regras,
em módulos com o nome de cada regra.
"""
