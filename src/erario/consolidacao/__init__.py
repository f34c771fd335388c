"""Consolidação de balancetes de várias entidades do município (Prefeitura,
Câmara, RPPS…): soma por conta e conta corrente, coluna por entidade,
eliminação dos saldos recíprocos intra-OFSS e formato de troca de balancetes
entre instalações do erario (docs/consolidacao.md)."""
