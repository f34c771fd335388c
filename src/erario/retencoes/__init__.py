"""Retenções: cadastros de descontos e serviços e cálculo das retenções (IRRF, INSS,
ISS e demais descontos) propostas na liquidação.

Referência: manual "Serviço e Desconto" (``shared/specs/retencoes-servico-desconto.md``).
Camada de domínio pura: sem banco, sem CLI; valores em centavos (int).
"""
