"""Marcas do SIOPS no orçamento: Saúde, ASPS/não ASPS e tipo ASPS, RP cancelados
(ASPS), limite não cumprido, consórcio e COVID-19 com o detalhe.

Vêm de duas origens, juntas: as propriedades adicionais dos eventos e das
fontes (``{"COVID": "sim"}``, docs/eventos.md) e a tabela de marcas do SIOPS
(``erario siops marcar``), que marca dotações, empenhos, naturezas de receita e
fontes sem mexer nos eventos. Na tabela, a marca prevalece sobre a propriedade
do evento de mesma chave.

Precedência do guia (COVID-19): "Quando informada a Propriedade Adicional nos
Cadastros de Empenhos e Receitas, essa não deve ser preenchida no Cadastro de
Especificações das Fontes de Recursos ou o contrário" — num ou noutro; nos dois
é erro (``SIOPS-MARCA-PRECEDENCIA``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Final, NamedTuple

from erario.core.erros import Erro
from erario.siops.recursos import Grupo


class Alvo(StrEnum):
    DOTACAO = "dotacao"  # código da dotação
    EMPENHO = "empenho"  # número (id) do empenho
    RECEITA = "receita"  # natureza da receita (8 dígitos)
    FONTE = "fonte"  # fonte como na MSC (FR), p. ex. 1600 ou 15001002


SIM, NAO = "sim", "nao"
# Chaves aceitas por alvo (nomes normalizados: maiúsculas, "_" no lugar de espaço).
CHAVES: Final[Mapping[Alvo, frozenset[str]]] = {
    Alvo.DOTACAO: frozenset({"SAUDE", "ASPS", "TIPO_ASPS"}),
    Alvo.EMPENHO: frozenset(
        {"ASPS", "TIPO_ASPS", "RP_CANCELADOS", "LIMITE_NAO_CUMPRIDO", "COVID",
         "COVID_SIOPS_DESP", "CONSORCIO"}
    ),
    Alvo.RECEITA: frozenset({"COVID", "COVID_SIOPS_REC"}),
    Alvo.FONTE: frozenset({"COVID"}),
}  # fmt: skip
_SIM_NAO: Final = frozenset({"SAUDE", "ASPS", "COVID", "CONSORCIO"})
_ANO: Final = frozenset({"RP_CANCELADOS", "LIMITE_NAO_CUMPRIDO"})
# Detalhes COVID do guia: receitas da União 9999999001–010 (011 = "outros"); despesas
# da subfunção 302, 9999999017–022 (023 = "outras ações").
DETALHES_RECEITA: Final = tuple(f"{n:03d}" for n in range(1, 11))
DETALHES_DESPESA: Final = tuple(f"{n:03d}" for n in range(17, 23))


def normalizar_chave(chave: str) -> str:
    """``"COVID SIOPS Rec"`` → ``"COVID_SIOPS_REC"``; ``"Saúde"`` → ``"SAUDE"``."""
    t = chave.strip().upper().replace("Ú", "U").replace("Ã", "A")
    return re.sub(r"[\s\-.()]+", "_", t).strip("_")


def normalizar_valor(chave: str, valor: str) -> str:
    v = valor.strip().lower().replace("ã", "a")
    if chave in _SIM_NAO:
        return {"s": SIM, "sim": SIM, "n": NAO, "nao": NAO}.get(v, v)
    if chave in ("COVID_SIOPS_REC", "COVID_SIOPS_DESP") and v.isdigit():
        return f"{int(v[-3:]):03d}"  # 9999999004 → 004
    return v


class Marca(NamedTuple):
    alvo: Alvo
    codigo: str
    chave: str
    valor: str


def marca(alvo: Alvo, codigo: str, chave: str, valor: str) -> Marca:
    c = normalizar_chave(chave)
    return Marca(alvo, codigo.strip(), c, normalizar_valor(c, valor))


def conferir_marca(m: Marca) -> list[Erro]:
    """Problemas de uma marca isolada (``SIOPS-MARCA``)."""

    def erro(msg: str) -> list[Erro]:
        return [Erro("SIOPS-MARCA", f"{m.alvo} {m.codigo}: {msg}", m.chave)]

    if m.chave not in CHAVES[m.alvo]:
        return erro(
            f"marca '{m.chave}' não se aplica a {m.alvo}: use {', '.join(sorted(CHAVES[m.alvo]))}"
        )
    if m.chave in _SIM_NAO and m.valor not in (SIM, NAO):
        return erro(f"valor '{m.valor}' inválido: use sim ou nao")
    if m.chave in _ANO and not re.fullmatch(r"(19|20)[0-9]{2}", m.valor):
        return erro(f"valor '{m.valor}' inválido: informe o ano (AAAA) do que se compensa")
    if m.chave == "COVID_SIOPS_REC" and m.valor not in DETALHES_RECEITA:
        return erro(f"detalhe '{m.valor}' inválido: use 001 a 010 (9999999001–010 do guia)")
    if m.chave == "COVID_SIOPS_DESP" and m.valor not in DETALHES_DESPESA:
        return erro(f"detalhe '{m.valor}' inválido: use 017 a 022 (9999999017–022 do guia)")
    return []


Propriedades = Iterable[tuple[str, str]]
Indice = Mapping[tuple[Alvo, str], Mapping[str, str]]


def indice(marcas: Iterable[Marca]) -> dict[tuple[Alvo, str], dict[str, str]]:
    idx: dict[tuple[Alvo, str], dict[str, str]] = {}
    for m in marcas:
        idx.setdefault((m.alvo, m.codigo), {})[m.chave] = m.valor
    return idx


def _juntar(props: Propriedades, tabela: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for k, v in props:
        c = normalizar_chave(k)
        out[c] = normalizar_valor(c, v)
    return out | dict(tabela)


class MarcasDespesa(NamedTuple):
    saude: bool
    asps: bool
    tipo_asps: str
    rp_cancelados: int | None  # ano do RP cancelado que a despesa compensa
    limite_nao_cumprido: int | None  # ano do limite não cumprido que compensa
    covid: bool
    covid_detalhe: str  # 017–022 ou ""
    consorcio: bool


class MarcasReceita(NamedTuple):
    covid: bool
    covid_detalhe: str  # 001–010 ou ""


def marcas_dotacao(dotacao: str, grupo: Grupo, idx: Indice) -> tuple[bool, bool]:
    """(Saúde, ASPS) da dotação: Saúde é o padrão da função 10; ASPS, o da fonte
    Impostos; a marca da dotação muda um ou outro."""
    m = idx.get((Alvo.DOTACAO, dotacao), {})
    return m.get("SAUDE", SIM) == SIM, m.get("ASPS", SIM if grupo == Grupo.IMPOSTOS else NAO) == SIM


def marcas_despesa(
    empenho: str,
    dotacao: str,
    fonte: str,
    grupo: Grupo,
    props_empenho: Propriedades,
    props_fonte: Propriedades,
    idx: Indice,
) -> tuple[MarcasDespesa, list[Erro]]:
    """As marcas de um empenho (com as da dotação e da fonte) e os erros de precedência."""
    saude, asps_dot = marcas_dotacao(dotacao, grupo, idx)
    m = _juntar(props_empenho, idx.get((Alvo.EMPENHO, empenho), {}))
    f = _juntar(props_fonte, idx.get((Alvo.FONTE, fonte), {}))
    erros = _precedencia(f"empenho {empenho}", fonte, m, f)
    dot = idx.get((Alvo.DOTACAO, dotacao), {})
    asps = m.get("ASPS", SIM if asps_dot else NAO) == SIM
    rp = m.get("RP_CANCELADOS")
    limite = m.get("LIMITE_NAO_CUMPRIDO")
    if (rp or limite) and asps:
        erros.append(
            Erro(
                "SIOPS-MARCA",
                f"empenho {empenho}: RP cancelados e limite não cumprido são despesas "
                "marcadas como não ASPS (o guia: 'Não Aplic. em Ações e Serv. Públicos "
                "Saúde' marcado): marque ASPS=nao",
            )
        )
    covid = SIM in (m.get("COVID"), f.get("COVID"))
    detalhe = m.get("COVID_SIOPS_DESP", "")
    if detalhe and not covid:
        erros.append(
            Erro("SIOPS-MARCA", f"empenho {empenho}: detalhe COVID {detalhe} sem COVID=sim")
        )
    return (
        MarcasDespesa(
            saude,
            asps,
            m.get("TIPO_ASPS", dot.get("TIPO_ASPS", "")),
            int(rp) if rp else None,
            int(limite) if limite else None,
            covid,
            detalhe,
            m.get("CONSORCIO") == SIM,
        ),
        erros,
    )


def marcas_receita(
    evento: str,
    natureza: str,
    fonte: str,
    props_evento: Propriedades,
    props_fonte: Propriedades,
    idx: Indice,
) -> tuple[MarcasReceita, list[Erro]]:
    """As marcas de uma receita (evento e natureza) e os erros de precedência."""
    m = _juntar(props_evento, idx.get((Alvo.RECEITA, natureza), {}))
    f = _juntar(props_fonte, idx.get((Alvo.FONTE, fonte), {}))
    erros = _precedencia(f"receita {evento} ({natureza})", fonte, m, f)
    covid = SIM in (m.get("COVID"), f.get("COVID"))
    detalhe = m.get("COVID_SIOPS_REC", "")
    if detalhe and not covid:
        erros.append(
            Erro(
                "SIOPS-MARCA",
                f"receita {evento} ({natureza}): detalhe COVID {detalhe} sem COVID=sim",
            )
        )
    return MarcasReceita(covid, detalhe), erros


def _precedencia(
    onde: str, fonte: str, proprias: Mapping[str, str], da_fonte: Mapping[str, str]
) -> list[Erro]:
    if "COVID" in proprias and "COVID" in da_fonte:
        return [
            Erro(
                "SIOPS-MARCA-PRECEDENCIA",
                f"{onde}: COVID-19 informado no empenho/receita e também na fonte {fonte}; o "
                "guia manda informar num ou noutro — tire uma das duas marcas",
            )
        ]
    return []
