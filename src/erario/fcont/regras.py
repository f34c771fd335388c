"""Regras de validação do Anexo I (FCONT) que não precisam da tabela referencial da
Receita: o único ponto que junta as famílias numa tabela ``REGRAS`` (nome do
manual → função pura) e as aplica a um arquivo.

Cada família fica no módulo do seu conceito, com a sua tabela ``REGRAS``:

- ``regras_estrutura``: contexto, registro e REGRA_REGISTRO_DUPLICADO;
- ``regras_0000``: abertura e identificação (0000);
- ``regras_plano``: plano de contas (I050), referencial (I051), centros (I100) e
  as contas usadas nos saldos, lançamentos e M025;
- ``regras_saldos``: I150/I155, mapeamentos I156/I256/I356, batimentos, I350;
- ``regras_lancamentos``: I200/I250;
- ``regras_signatarios``: J930;
- ``regras_m``: M020/M030 e períodos de apuração;
- ``regras_controle``: contagens (x990, 9900, 9990, 9999) e ``validar``.
"""

from __future__ import annotations

from collections.abc import Iterable

from erario.core.erros import Erro
from erario.fcont import (
    regras_0000,
    regras_controle,
    regras_estrutura,
    regras_lancamentos,
    regras_m,
    regras_plano,
    regras_saldos,
    regras_signatarios,
)
from erario.fcont.arquivo import ArquivoFcont
from erario.fcont.regras_estrutura import (
    ADVERTENCIAS,
    PATRIMONIAIS,
    SUSEP_COSIF,
    Contexto,
    Regra,
    erro,
)

FAMILIAS = (
    regras_estrutura,
    regras_0000,
    regras_plano,
    regras_saldos,
    regras_lancamentos,
    regras_signatarios,
    regras_controle,
    regras_m,
)


def _juntar() -> dict[str, Regra]:
    tabela: dict[str, Regra] = {}
    for familia in FAMILIAS:
        repetidas = tabela.keys() & familia.REGRAS.keys()
        if repetidas:  # um nome do manual, uma função
            raise RuntimeError(f"regras registradas duas vezes: {sorted(repetidas)}")
        tabela |= familia.REGRAS
    return tabela


REGRAS: dict[str, Regra] = _juntar()


def aplicar(arquivo: ArquivoFcont, nomes: Iterable[str] | None = None) -> list[Erro]:
    """Todas as regras (ou só ``nomes``) sobre o arquivo, na ordem das linhas."""
    ctx = Contexto(arquivo)
    erros = [e for nome in (nomes or list(REGRAS)) for e in REGRAS[nome](ctx)]
    return sorted(erros, key=lambda e: (e.linha or 0, e.regra))


__all__ = [
    "ADVERTENCIAS",
    "FAMILIAS",
    "PATRIMONIAIS",
    "REGRAS",
    "SUSEP_COSIF",
    "Contexto",
    "Regra",
    "aplicar",
    "erro",
]
