"""Conciliação bancária: extratos (OFX e CSV), casamento das linhas do extrato
com os movimentos do razão, pendências e a equação do saldo conciliado.

Domínio puro: nada de banco de dados nem de CLI; a gravação fica em
``erario.storage.conciliacao`` e os códigos do TCE-SC (Tabelas 70 e 71) em
``erario.leiautes.esfinge_geracao``.
"""

from typing import Final

# Aqui, e não em ``casamento``, para a linha de comando usá-la como padrão de
# opção sem carregar o casamento ao partir.
JANELA_PADRAO: Final = 3  # dias de diferença aceitos entre a data do extrato e a do razão
