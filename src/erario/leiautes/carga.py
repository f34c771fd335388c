"""Leitura de um leiaute declarado em TOML (``dados/*.toml``).

Formato: ``[leiaute]`` (código, nome, fonte, período, regras),
``[parametros]`` com ``[[parametros.campos]]``, ``[[registros]]`` com
``[[registros.campos]]``, ``[[totalizadores]]`` e ``[tabelas.<chave>]`` com
``[[tabelas.<chave>.codigos]]``. Qualquer problema vira ``LEI-FORMATO``, todos
listados de uma vez.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from erario.core.erros import Erro, OperacaoRecusada
from erario.leiautes.modelo import (
    Campo,
    Codigo,
    Leiaute,
    Obrigatoriedade,
    Registro,
    Tabela,
    Tipo,
    Totalizador,
)


class _Leitor:
    def __init__(self, origem: str) -> None:
        self.origem = origem
        self.erros: list[Erro] = []

    def erro(self, onde: str, mensagem: str) -> None:
        self.erros.append(Erro("LEI-FORMATO", f"{onde}: {mensagem}", origem=self.origem))

    def texto(self, obj: dict[str, Any], chave: str, onde: str, padrao: str | None = None) -> str:
        v = obj.get(chave, padrao)
        if not isinstance(v, str) or (padrao is None and not v):
            self.erro(onde, f"'{chave}' obrigatório (texto)")
            return ""
        return v

    def inteiro(self, obj: dict[str, Any], chave: str, onde: str, padrao: int | None = None) -> int:
        v = obj.get(chave, padrao)
        if not isinstance(v, int) or isinstance(v, bool):
            self.erro(onde, f"'{chave}' obrigatório (inteiro)")
            return 0
        return v

    def campo(self, obj: dict[str, Any], onde: str, tabelas: set[str]) -> Campo:
        onde = f"{onde}, campo {obj.get('numero', '?')}"
        try:
            tipo = Tipo(obj.get("tipo", ""))
        except ValueError:
            self.erro(onde, "'tipo' deve ser N, C ou D")
            tipo = Tipo.CARACTERE
        try:
            obrig = Obrigatoriedade(obj.get("obrigatorio", "sim"))
        except ValueError:
            self.erro(onde, "'obrigatorio' deve ser sim, nao ou depende")
            obrig = Obrigatoriedade.SIM
        tamanho = obj.get("tamanho")
        if tamanho is not None and (not isinstance(tamanho, int) or tamanho <= 0):
            self.erro(onde, "'tamanho' deve ser inteiro positivo")
            tamanho = None
        if tipo != Tipo.DATA and tamanho is None:
            self.erro(onde, "'tamanho' obrigatório em campo numérico ou caractere")
        decimais = self.inteiro(obj, "decimais", onde, 0)
        if decimais and tipo != Tipo.NUMERICO:
            self.erro(onde, "'decimais' só em campo numérico")
        dominio = obj.get("dominio", [])
        if not isinstance(dominio, list) or not all(isinstance(x, str) for x in dominio):
            self.erro(onde, "'dominio' deve ser lista de textos")
            dominio = []
        tabela = obj.get("tabela")
        if tabela is not None and tabela not in tabelas:
            self.erro(onde, f"tabela '{tabela}' não declarada")
        return Campo(
            numero=self.inteiro(obj, "numero", onde),
            nome=self.texto(obj, "nome", onde),
            chave=self.texto(obj, "chave", onde),
            tipo=tipo,
            tamanho=tamanho,
            decimais=decimais,
            obrigatorio=obrig,
            dominio=tuple(dominio),
            tabela=tabela if isinstance(tabela, str) else None,
            identificador=bool(obj.get("identificador", False)),
            observacao=str(obj.get("observacao", "")),
        )

    def registro(self, obj: dict[str, Any], onde: str, tabelas: set[str]) -> Registro:
        onde = f"{onde} {obj.get('chave', '?')}"
        campos = obj.get("campos", [])
        if not isinstance(campos, list) or not campos:
            self.erro(onde, "registro sem campos")
            campos = []
        lidos = tuple(self.campo(c, onde, tabelas) for c in campos if isinstance(c, dict))
        numeros = [c.numero for c in lidos]
        if numeros != list(range(1, len(numeros) + 1)):
            self.erro(onde, "campos devem ser numerados 1, 2, 3… na ordem do manual")
        chaves = [c.chave for c in lidos]
        if len(set(chaves)) != len(chaves):
            self.erro(onde, "chave de campo repetida")
        try:
            presenca = Obrigatoriedade(obj.get("presenca", "nao"))
        except ValueError:
            self.erro(onde, "'presenca' deve ser sim, nao ou depende")
            presenca = Obrigatoriedade.NAO
        mes = obj.get("somente_no_mes")
        if mes is not None and (not isinstance(mes, int) or not 1 <= mes <= 12):
            self.erro(onde, "'somente_no_mes' deve ser 1–12")
            mes = None
        nome = self.texto(obj, "nome", onde)
        aba = str(obj.get("aba", nome))
        if len(aba) > 31:
            self.erro(onde, f"aba '{aba}' com mais de 31 caracteres (limite do XLSX)")
        return Registro(
            numero=self.inteiro(obj, "numero", onde, 0),
            nome=nome,
            chave=self.texto(obj, "chave", onde),
            campos=lidos,
            presenca=presenca,
            somente_no_mes=mes,
            aba=aba,
            observacao=str(obj.get("observacao", "")),
        )

    def tabela(self, chave: str, obj: Any) -> Tabela:
        onde = f"tabela {chave}"
        if not isinstance(obj, dict):
            self.erro(onde, "deve ser uma tabela TOML")
            return Tabela(chave, chave, ())
        codigos = []
        for c in obj.get("codigos", []):
            if not isinstance(c, dict) or not isinstance(c.get("codigo"), str):
                self.erro(onde, "cada código precisa de 'codigo' (texto) e 'descricao'")
                continue
            extra = {k: v for k, v in c.items() if k not in ("codigo", "descricao", "confirmar")}
            codigos.append(
                Codigo(c["codigo"], str(c.get("descricao", "")), bool(c.get("confirmar")), extra)
            )
        if len({c.codigo for c in codigos}) != len(codigos):
            self.erro(onde, "código repetido")
        return Tabela(
            chave, self.texto(obj, "nome", onde), tuple(codigos), str(obj.get("fonte", ""))
        )


def ler_leiaute(texto: str, origem: str = "leiaute") -> tuple[Leiaute | None, list[Erro]]:
    """TOML → ``Leiaute``, ou ``None`` e todos os problemas (``LEI-FORMATO``)."""
    lt = _Leitor(origem)
    try:
        dados = tomllib.loads(texto)
    except tomllib.TOMLDecodeError as exc:
        lt.erro("TOML", str(exc))
        return None, lt.erros
    cab = dados.get("leiaute")
    if not isinstance(cab, dict):
        lt.erro("[leiaute]", "seção obrigatória")
        cab = {}
    tabelas = {k: lt.tabela(k, v) for k, v in dados.get("tabelas", {}).items()}
    nomes_tabelas = set(tabelas)
    par = dados.get("parametros")
    if not isinstance(par, dict):
        lt.erro("[parametros]", "seção obrigatória")
        par = {"chave": "parametros", "nome": "Parâmetros", "campos": []}
    parametros = lt.registro(par, "parametros", nomes_tabelas)
    registros = tuple(
        lt.registro(r, "registro", nomes_tabelas)
        for r in dados.get("registros", [])
        if isinstance(r, dict)
    )
    chaves = {r.chave for r in registros}
    if len(chaves) != len(registros):
        lt.erro("registros", "chave de registro repetida")
    totalizadores = []
    for t in dados.get("totalizadores", []):
        onde = f"totalizador {t.get('chave', '?')}"
        tot = Totalizador(
            lt.inteiro(t, "numero", onde),
            lt.texto(t, "nome", onde),
            lt.texto(t, "chave", onde),
            lt.texto(t, "registro", onde),
        )
        if tot.registro not in chaves:
            lt.erro(onde, f"registro '{tot.registro}' não declarado")
        totalizadores.append(tot)
    regras = cab.get("regras", [])
    if not isinstance(regras, list) or not all(isinstance(x, str) for x in regras):
        lt.erro("[leiaute]", "'regras' deve ser lista de nomes")
        regras = []
    periodo = cab.get("periodo")
    if periodo is not None and periodo not in {c.chave for c in parametros.campos}:
        lt.erro("[leiaute]", f"período '{periodo}' não é um parâmetro")
    leiaute = Leiaute(
        codigo=lt.texto(cab, "codigo", "[leiaute]"),
        nome=lt.texto(cab, "nome", "[leiaute]"),
        fonte=lt.texto(cab, "fonte", "[leiaute]", ""),
        parametros=parametros,
        registros=registros,
        totalizadores=tuple(totalizadores),
        tabelas=tabelas,
        regras=tuple(regras),
        periodo=periodo if isinstance(periodo, str) else None,
    )
    if lt.erros:
        return None, lt.erros
    return leiaute, []


@cache
def leiaute_padrao(nome: str) -> Leiaute:
    """Leiaute embutido ``dados/<nome>.toml``; erro de formato é defeito do pacote."""
    texto = resources.files("erario.leiautes").joinpath(f"dados/{nome}.toml").read_text("utf-8")
    leiaute, erros = ler_leiaute(texto, f"{nome}.toml")
    if leiaute is None:
        raise OperacaoRecusada(erros)
    return leiaute
