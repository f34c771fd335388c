"""Carga simultânea no servidor de dados on-line (teste e ``bench/bench_servidor.py``).

Várias entidades de um município enviam ao mesmo tempo os balancetes de 12
meses, cada um em duas versões diferentes, pelo cliente real (httpx). Depois
``conferir`` baixa tudo e compara, byte a byte, a versão vigente de cada
entidade e mês com a última enviada, e o histórico (versões 1 e 2, checksums
de cada envio, quem enviou): nenhum envio perdido nem trocado.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from erario.api.cliente import Cliente
from erario.api.servidor import Admin
from erario.consolidacao.formato import BalanceteMensal, EntidadeDoc, checksum, serializar
from erario.consolidacao.plano import serializar_plano
from erario.razao.modelo import PlanoContas
from erario.razao.plano import ler_plano_csv

IBGE_CARGA = "4399999"
SENHA_CARGA = "senha-da-carga-123"
MESES = range(1, 13)


def cnpj_com_digitos(base12: str) -> str:
    """CNPJ válido a partir dos 12 primeiros dígitos."""

    def dv(digitos: str) -> str:
        pesos = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][-len(digitos) :]
        r = sum(int(d) * p for d, p in zip(digitos, pesos, strict=True)) % 11
        return "0" if r < 2 else str(11 - r)

    d1 = dv(base12)
    return base12 + d1 + dv(base12 + d1)


class EntidadeCarga(NamedTuple):
    cnpj: str
    slug: str
    email: str


def entidades_carga(n: int) -> list[EntidadeCarga]:
    saida = []
    for i in range(n):
        cnpj = cnpj_com_digitos(f"77{i:06d}0001")
        saida.append(EntidadeCarga(cnpj, f"ent-{i:03d}", f"ent{i:03d}@carga.br"))
    return saida


def cadastrar_carga(admin: Admin, ents: Iterable[EntidadeCarga]) -> None:
    """A Prefeitura (primeira entidade) e as demais (autarquias) do município."""
    for i, e in enumerate(ents):
        tipo = "prefeitura" if i == 0 else "autarquia"
        admin.cadastrar_entidade(e.cnpj, e.slug, f"Entidade {e.slug}", tipo, IBGE_CARGA)
        admin.criar_usuario(e.email, SENHA_CARGA)
        admin.vincular(e.email, e.cnpj)


def _conta(classe: str, g: int) -> str:
    """Conta analítica sintética número ``g`` (0–80) da classe 1 ou 3."""
    return f"{classe}.{g // 9 + 1}.{g % 9 + 1}.0.0.00.00"


def plano_carga(linhas: int) -> PlanoContas:
    """O plano que a Prefeitura publica: as contas de ``documento_carga`` (100
    contas correntes por conta) e as sintéticas acima delas."""
    n = max(1, (linhas // 2 + 99) // 100)
    cab = "CONTA;TÍTULO;NATUREZA DO SALDO;NATUREZA DA INFORMAÇÃO;ESCRITURAÇÃO;CONTA CORRENTE"
    texto = [cab]
    for classe, saldo in (("1", "Devedora"), ("3", "Devedora")):
        texto.append(f"{classe}.0.0.0.0.00.00;Classe {classe};{saldo};P;N;")
        grupos = sorted({_conta(classe, g).split(".")[1] for g in range(n)})
        for grupo in grupos:
            texto.append(f"{classe}.{grupo}.0.0.0.00.00;Grupo {grupo};{saldo};P;N;")
        for g in range(n):
            texto.append(f"{_conta(classe, g)};Conta {g};{saldo};P;S;FR")
    plano, erros = ler_plano_csv("\n".join(texto) + "\n", "PCASP")
    assert plano is not None, erros
    return plano


def documento_carga(e: EntidadeCarga, mes: int, versao: int, linhas: int) -> bytes:
    """Balancete sintético que fecha (débitos = créditos, anteriores somam zero),
    diferente para cada entidade, mês e versão, nas contas de ``plano_carga``."""
    rnd = random.Random(f"{e.cnpj}/{mes}/{versao}")
    saldos: dict[tuple[str, str], tuple[int, int, int]] = {}
    for k in range(linhas // 2):
        v = rnd.randint(1, 10**9)
        a = rnd.randint(0, 10**9)
        saldos[(_conta("3", k // 100), f"FR={1500 + k % 100}")] = (a, v, 0)
        saldos[(_conta("1", k // 100), f"FR={1500 + k % 100}")] = (-a, 0, v)
    ent = EntidadeDoc(e.cnpj, e.slug, f"Entidade {e.slug}", "autarquia", IBGE_CARGA)
    return serializar(BalanceteMensal(ent, "PCASP", 2026, mes, saldos))


class Resultado(NamedTuple):
    envios: int
    bytes: int
    segundos: float

    @property
    def envios_s(self) -> float:
        return self.envios / self.segundos

    @property
    def mb_s(self) -> float:
        return self.bytes / self.segundos / 2**20


def enviar_tudo(
    url: str, ents: list[EntidadeCarga], linhas: int, simultaneos: int
) -> tuple[Resultado, dict[tuple[str, int, int], bytes]]:
    """Cada entidade, numa thread própria (até ``simultaneos`` ao mesmo tempo),
    envia os 12 meses na versão 1 e depois na versão 2."""
    docs = {
        (e.cnpj, m, v): documento_carga(e, m, v, linhas)
        for e in ents
        for m in MESES
        for v in (1, 2)
    }
    with Cliente(url, ents[0].email, SENHA_CARGA) as c:
        c.abrir_competencias(IBGE_CARGA, 2026)  # e o plano, como abrir-competencias
        c.enviar_plano(
            ents[0].cnpj, 2026, serializar_plano(plano_carga(linhas), IBGE_CARGA, 2026), 0
        )

    # Entrada antes do relógio: o argon2 custa ~0,1 s de CPU por login, de propósito.
    clientes = {e.cnpj: Cliente(url, e.email, SENHA_CARGA) for e in ents}
    with ThreadPoolExecutor(simultaneos) as ex:
        list(ex.map(lambda c: c.entrar(), clientes.values()))

    def uma(e: EntidadeCarga) -> int:
        n = 0
        with clientes[e.cnpj] as c:
            for v in (1, 2):
                for m in MESES:
                    r = c.enviar_balancete(e.cnpj, 2026, m, docs[(e.cnpj, m, v)], v - 1)
                    assert r["versao"] == v and r["alterado"], r
                    n += 1
        return n

    inicio = time.perf_counter()
    with ThreadPoolExecutor(simultaneos) as ex:
        total = sum(ex.map(uma, ents))
    segundos = time.perf_counter() - inicio
    return Resultado(total, sum(len(d) for d in docs.values()), segundos), docs


def conferir(
    url: str, ents: list[EntidadeCarga], docs: dict[tuple[str, int, int], bytes]
) -> list[str]:
    """Problemas encontrados (lista vazia: nada perdido nem trocado)."""
    problemas: list[str] = []
    with Cliente(url, ents[0].email, SENHA_CARGA) as pref:  # a Prefeitura lê todas
        sit = pref.situacao(IBGE_CARGA, 2026)
        vigentes = {
            (x["cnpj"], x["mes"]): x for x in sit["envios"] if x["documento"] == "balancete"
        }
        if len(vigentes) != len(ents) * len(MESES):
            problemas.append(
                f"{len(vigentes)} balancetes no servidor, esperados {len(ents) * len(MESES)}"
            )
        por_email = {e.cnpj: e.email for e in ents}
        for e in ents:
            for m in MESES:
                baixado = pref.baixar_balancete(e.cnpj, 2026, m)
                if baixado != docs[(e.cnpj, m, 2)]:
                    problemas.append(f"{e.slug} {m:02d}: versão vigente difere da última enviada")
                hist = pref.historico(e.cnpj, 2026, m)
                esperado = [
                    (v, checksum(json.loads(docs[(e.cnpj, m, v)])), por_email[e.cnpj])
                    for v in (1, 2)
                ]
                obtido = [(h["versao"], h["checksum"], h["enviado_por"]) for h in hist]
                if obtido != esperado:
                    problemas.append(f"{e.slug} {m:02d}: histórico {obtido} ≠ {esperado}")
                vig = vigentes.get((e.cnpj, m))
                if vig is None or vig["versao"] != 2:
                    problemas.append(f"{e.slug} {m:02d}: situação sem a versão 2")
    return problemas
