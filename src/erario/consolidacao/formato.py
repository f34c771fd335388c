"""Formato de troca de balancetes mensais entre instalações do erario.

Documento JSON versionado (docs/consolidacao.md, "Formato do balancete")::

    {"formato": "erario-balancete", "versao": 1,
     "entidade": {"cnpj": "…", "slug": "camara", "nome": "…", "tipo": "camara", "ibge": "…"},
     "plano": "PCASP", "ano": 2026, "mes": 3,
     "linhas": [{"conta": "1.1.1.1.1.19.00", "conta_corrente": "FR=1500|DB=…",
                 "anterior": "-10.00", "debitos": "5.00", "creditos": "0.00"}, …],
     "totais": {"debitos": "…", "creditos": "…"},
     "checksum": "sha256:…"}

``mes`` vai de 1 a 12, ou 13: a competência de encerramento, só com os
lançamentos de encerramento do exercício (período 13 do razão; o anterior é o
atual de dezembro). Valores são textos com duas casas (nunca float); ``anterior`` tem sinal
(+ devedor, − credor). Só contas analíticas, por conta corrente. O checksum é o
SHA-256 do JSON canônico do documento sem o campo ``checksum``. O leitor lista
todos os problemas (``Erro`` com códigos CON-*), sem parar no primeiro.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Final, NamedTuple

from erario.consolidacao.balancetes import Chave, Valores
from erario.core.codigos import cnpj_valido
from erario.core.dinheiro import formatar_brl, texto_de_centavos
from erario.core.erros import Erro
from erario.razao.balancete import balancete_de_totais, conferir_balancete
from erario.razao.modelo import PlanoContas, texto_cc
from erario.razao.validacao import ler_conta_corrente

FORMATO: Final = "erario-balancete"
MES_ENCERRAMENTO: Final = 13  # competência 13: lançamentos de encerramento do exercício
VERSAO: Final = 1
_RE_VALOR: Final = re.compile(r"-?[0-9]{1,16}\.[0-9]{2}")
_RE_CONTA: Final = re.compile(r"[0-9]+(\.[0-9]+)+")
_RE_SLUG: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


class EntidadeDoc(NamedTuple):
    """Identificação da entidade no documento: CNPJ e slug (spec 1.1)."""

    cnpj: str
    slug: str
    nome: str
    tipo: str
    ibge: str


class BalanceteMensal(NamedTuple):
    entidade: EntidadeDoc
    plano: str
    ano: int
    mes: int
    saldos: Mapping[Chave, Valores]

    @property
    def debitos(self) -> int:
        return sum(v[1] for v in self.saldos.values())

    @property
    def creditos(self) -> int:
        return sum(v[2] for v in self.saldos.values())


def canonico(obj: Any) -> bytes:
    """JSON canônico (chaves ordenadas, sem espaços, UTF-8): base do checksum."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def checksum(doc: Mapping[str, Any]) -> str:
    corpo = {k: v for k, v in doc.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(canonico(corpo)).hexdigest()


def documento(bm: BalanceteMensal) -> dict[str, Any]:
    """O documento de troca, com checksum."""
    doc: dict[str, Any] = {
        "formato": FORMATO,
        "versao": VERSAO,
        "entidade": bm.entidade._asdict(),
        "plano": bm.plano,
        "ano": bm.ano,
        "mes": bm.mes,
        "linhas": [
            {
                "conta": conta,
                "conta_corrente": cc,
                "anterior": texto_de_centavos(a),
                "debitos": texto_de_centavos(d),
                "creditos": texto_de_centavos(c),
            }
            for (conta, cc), (a, d, c) in sorted(bm.saldos.items())
        ],
        "totais": {
            "debitos": texto_de_centavos(bm.debitos),
            "creditos": texto_de_centavos(bm.creditos),
        },
    }
    doc["checksum"] = checksum(doc)
    return doc


def serializar(bm: BalanceteMensal) -> bytes:
    return canonico(documento(bm))


def _centavos(texto: Any) -> int | None:
    if not isinstance(texto, str) or not _RE_VALOR.fullmatch(texto):
        return None
    negativo = texto.startswith("-")
    inteiro, frac = texto.lstrip("-").split(".")
    v = int(inteiro) * 100 + int(frac)
    return -v if negativo else v


@lru_cache(maxsize=1 << 14)
def _problema_conta_corrente(cc: str) -> str | None:
    """A conta corrente na forma canônica do razão (``"FR=1500|CR=…"``: tipos da
    MSC na ordem, valores no formato de cada tipo — as regras de
    ``razao.validacao.ler_conta_corrente``), ou o problema."""
    if not cc:
        return None
    atributos, erros = ler_conta_corrente(cc)
    if erros:
        return f"conta corrente {cc!r}: " + "; ".join(e.mensagem for e in erros)
    if texto_cc(atributos) != cc:
        return f"conta corrente {cc!r} fora da forma canônica ({texto_cc(atributos)!r})"
    return None


JSON_ANINHADO_DEMAIS: Final = "JSON aninhado demais (listas ou objetos em centenas de níveis)"
JSON_DIGITOS_DEMAIS: Final = "número inteiro com dígitos demais no JSON (o limite é 4300)"


def ler_objeto_json(
    dados: bytes, origem: str | None = None
) -> tuple[dict[str, Any] | None, list[Erro]]:
    """O objeto JSON (UTF-8) de um documento de troca, ou None e o problema (CON-JSON)."""
    try:
        obj = json.loads(dados.decode("utf-8"))
    except RecursionError:  # aninhamento hostil (o cliente também lê o que baixa)
        return None, [Erro("CON-JSON", JSON_ANINHADO_DEMAIS, origem=origem)]
    except (UnicodeDecodeError, ValueError) as exc:
        if "integer string conversion" in str(exc):  # limite de dígitos do int do Python
            return None, [Erro("CON-JSON", JSON_DIGITOS_DEMAIS, origem=origem)]
        return None, [Erro("CON-JSON", f"documento não é JSON UTF-8 válido: {exc}", origem=origem)]
    if not isinstance(obj, dict):
        return None, [Erro("CON-JSON", "o documento deve ser um objeto JSON", origem=origem)]
    return obj, []


def ler_bytes(dados: bytes, origem: str | None = None) -> tuple[BalanceteMensal | None, list[Erro]]:
    obj, erros = ler_objeto_json(dados, origem)
    if obj is None:
        return None, erros
    return ler_documento(obj, origem)


def ler_documento(obj: Any, origem: str | None = None) -> tuple[BalanceteMensal | None, list[Erro]]:
    """Valida o documento e devolve o balancete mensal, ou None e todos os problemas."""

    def erro(regra: str, msg: str, campo: str | None = None, linha: int | None = None) -> None:
        erros.append(Erro(regra, msg, campo, linha, origem))

    erros: list[Erro] = []
    if not isinstance(obj, dict):
        return None, [Erro("CON-JSON", "o documento deve ser um objeto JSON", origem=origem)]
    if obj.get("formato") != FORMATO:
        erro("CON-FORMATO", f"formato deve ser '{FORMATO}'", "formato")
    if obj.get("versao") != VERSAO:
        erro("CON-VERSAO", f"versão {obj.get('versao')!r} não suportada (esperada {VERSAO})")
    soma = obj.get("checksum")
    if not isinstance(soma, str) or soma != checksum(obj):
        erro("CON-CHECKSUM", "checksum ausente ou não confere: documento alterado ou truncado")
    ent = obj.get("entidade")
    entidade: EntidadeDoc | None = None
    if not isinstance(ent, dict) or not all(
        isinstance(ent.get(k), str) for k in EntidadeDoc._fields
    ):
        erro("CON-FORMATO", "entidade deve trazer cnpj, slug, nome, tipo e ibge", "entidade")
    else:
        entidade = EntidadeDoc(*(ent[k] for k in EntidadeDoc._fields))
        if not cnpj_valido(entidade.cnpj) or not entidade.cnpj.isdigit():
            erro("CON-ENTIDADE", f"CNPJ {entidade.cnpj} inválido", "entidade.cnpj")
        if not _RE_SLUG.fullmatch(entidade.slug):
            erro("CON-ENTIDADE", f"slug '{entidade.slug}' inválido", "entidade.slug")
        if not re.fullmatch(r"\d{7}", entidade.ibge):
            erro("CON-ENTIDADE", f"código IBGE '{entidade.ibge}' inválido", "entidade.ibge")
    plano = obj.get("plano")
    if not isinstance(plano, str) or not plano:
        erro("CON-FORMATO", "plano de contas ausente", "plano")
    ano, mes = obj.get("ano"), obj.get("mes")
    if not isinstance(ano, int) or isinstance(ano, bool) or not 1900 < ano < 3000:
        erro("CON-PERIODO", f"ano {ano!r} inválido", "ano")
    if not isinstance(mes, int) or isinstance(mes, bool) or not 1 <= mes <= MES_ENCERRAMENTO:
        erro("CON-PERIODO", f"mês {mes!r} inválido: use 1 a 12, ou 13 (encerramento)", "mes")
    linhas = obj.get("linhas")
    saldos: dict[Chave, Valores] = {}
    if not isinstance(linhas, list):
        erro("CON-FORMATO", "linhas deve ser uma lista", "linhas")
        linhas = []
    for n, ln in enumerate(linhas, 1):
        if not isinstance(ln, dict):
            erro("CON-LINHA", "linha deve ser um objeto", linha=n)
            continue
        conta, cc = ln.get("conta"), ln.get("conta_corrente", "")
        if not isinstance(conta, str) or not _RE_CONTA.fullmatch(conta):
            erro("CON-LINHA", f"conta {conta!r} inválida", "conta", n)
            continue
        if not isinstance(cc, str) or len(cc) > 200:
            erro(
                "CON-LINHA",
                "conta corrente deve ser texto de até 200 caracteres",
                "conta_corrente",
                n,
            )
            continue
        problema_cc = _problema_conta_corrente(cc)
        if problema_cc:
            erro("CON-CONTA-CORRENTE", problema_cc, "conta_corrente", n)
            continue
        valores: list[int] = []
        for campo in ("anterior", "debitos", "creditos"):
            v = _centavos(ln.get(campo))
            if v is None or (campo != "anterior" and v < 0):
                erro(
                    "CON-VALOR",
                    f'{campo} {ln.get(campo)!r} inválido: use texto como "1234.56"',
                    campo,
                    n,
                )
            else:
                valores.append(v)
        if len(valores) != 3:
            continue
        if (conta, cc) in saldos:
            erro("CON-LINHA", f"conta {conta} [{cc}] repetida", "conta", n)
            continue
        saldos[(conta, cc)] = (valores[0], valores[1], valores[2])
    deb = sum(v[1] for v in saldos.values())
    cred = sum(v[2] for v in saldos.values())
    totais = obj.get("totais")
    if not isinstance(totais, dict) or (
        _centavos(totais.get("debitos")),
        _centavos(totais.get("creditos")),
    ) != (deb, cred):
        erro("CON-TOTAIS", "totais declarados não conferem com a soma das linhas", "totais")
    if deb != cred:
        erro(
            "CON-DESBALANCEADO",
            f"débitos ({formatar_brl(deb)}) diferem dos créditos ({formatar_brl(cred)})",
        )
    anterior = sum(v[0] for v in saldos.values())
    if anterior:
        erro(
            "CON-DESBALANCEADO",
            f"saldos anteriores não fecham: sobram {formatar_brl(abs(anterior))} "
            f"{'D' if anterior > 0 else 'C'}",
        )
    if erros or entidade is None:
        return None, erros
    assert isinstance(plano, str) and isinstance(ano, int) and isinstance(mes, int)
    return BalanceteMensal(entidade, plano, ano, mes, saldos), []


def conferir_recebido(bm: BalanceteMensal, plano: PlanoContas, ibge: str) -> list[Erro]:
    """Conferência de quem recebe o balancete (o servidor, no envio, e a Prefeitura,
    ao incorporar), com as mesmas regras: a entidade é do município ``ibge``
    (CON-ENTIDADE) e ``conferir_com_plano``. Formato, checksum, totais e conta
    corrente já passaram por ``ler_documento``."""
    erros: list[Erro] = []
    if bm.entidade.ibge != ibge:
        erros.append(
            Erro(
                "CON-ENTIDADE",
                f"o balancete de {bm.entidade.slug} ({bm.entidade.cnpj}) traz o município "
                f"{bm.entidade.ibge}, mas a entidade é do município {ibge}",
                "entidade.ibge",
                origem=f"{bm.entidade.slug} {bm.mes:02d}/{bm.ano}",
            )
        )
    return erros + conferir_com_plano(bm, plano)


def conferir_com_plano(bm: BalanceteMensal, plano: PlanoContas) -> list[Erro]:
    """Contas existem e são analíticas no plano local; o balancete fecha por natureza."""
    erros: list[Erro] = []
    origem = f"{bm.entidade.slug} {bm.mes:02d}/{bm.ano}"
    if bm.plano != plano.nome:
        erros.append(
            Erro(
                "CON-PLANO",
                f"balancete no plano {bm.plano}, mas o local é {plano.nome}",
                origem=origem,
            )
        )
        return erros
    for conta, _cc in sorted(bm.saldos):
        c = plano.contas.get(conta)
        if c is None or not c.analitica:
            motivo = "não existe" if c is None else "é sintética"
            erros.append(
                Erro("CON-CONTA", f"conta {conta} {motivo} no plano {plano.nome}", origem=origem)
            )
    if erros:
        return erros
    b = balancete_de_totais(
        plano, bm.saldos, entidades=(bm.entidade.slug,), ano=bm.ano, inicio=bm.mes, fim=bm.mes
    )
    return [e.em(origem=origem) for e in conferir_balancete(b)]
