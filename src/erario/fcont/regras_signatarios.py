"""Regras dos signatários da escrituração (registro J930): CPF/CNPJ, contador com
CPF e CRC, qualificação e as duas assinaturas obrigatórias (Anexo I, item 2.7)."""

from __future__ import annotations

from collections.abc import Iterator

from erario.core.codigos import cnpj_valido, cpf_valido
from erario.core.erros import Erro
from erario.fcont.regras_estrutura import Contexto, Regra, erro, registrador

REGRAS: dict[str, Regra] = {}
regra = registrador(REGRAS)


@regra("REGRA_VALIDA_CPF_CNPJ")
def valida_cpf_cnpj(c: Contexto) -> Iterator[Erro]:
    for s in c.arquivo.bloco_j.signatarios:
        doc = s.ident_cpf_cnpj
        if len(doc) == 11 and not cpf_valido(doc):
            yield erro("REGRA_VALIDA_CPF", "J930", "ident_cpf_cnpj", s.linha, f"CPF {doc} inválido")
        elif len(doc) == 14 and not cnpj_valido(doc):
            yield erro(
                "REGRA_VALIDA_CNPJ", "J930", "ident_cpf_cnpj", s.linha, f"CNPJ {doc} inválido"
            )
        elif len(doc) not in (11, 14):
            yield erro(
                "REGRA_VALIDA_CPF_CNPJ",
                "J930",
                "ident_cpf_cnpj",
                s.linha,
                f"{len(doc)} dígitos: CPF tem 11 e CNPJ 14",
            )


@regra("REGRA_CONTADOR_CPF")
def contador_cpf(c: Contexto) -> Iterator[Erro]:
    for s in c.arquivo.bloco_j.signatarios:
        if s.cod_assin == "900" and len(s.ident_cpf_cnpj) != 11:
            yield erro(
                "REGRA_CONTADOR_CPF", "J930", "ident_cpf_cnpj", s.linha, "contador deve ter CPF"
            )


@regra("REGRA_OBRIGATORIO_CONTADOR")
def obrigatorio_contador(c: Contexto) -> Iterator[Erro]:
    for s in c.arquivo.bloco_j.signatarios:
        if s.cod_assin == "900" and not s.ind_crc.strip():
            yield erro(
                "REGRA_OBRIGATORIO_CONTADOR", "J930", "ind_crc", s.linha, "contador sem o CRC"
            )


@regra("REGRA_TABELA_ASSINANTE_DESC")
def assinante_desc(c: Contexto) -> Iterator[Erro]:
    for s in c.arquivo.bloco_j.signatarios:
        if s.cod_assin == "900" and s.ident_qualif.strip().upper() not in (
            "CONTADOR",
            "CONTABILISTA",
        ):
            yield erro(
                "REGRA_TABELA_ASSINANTE_DESC",
                "J930",
                "ident_qualif",
                s.linha,
                f"qualificação '{s.ident_qualif}' não corresponde ao código 900 "
                "(Contador/Contabilista)",
            )


@regra("REGRA_OBRIGATORIO_ASSIN_CONTADOR")
def assin_contador(c: Contexto) -> Iterator[Erro]:
    codigos = [s.cod_assin for s in c.arquivo.bloco_j.signatarios]
    if "900" not in codigos or all(x == "900" for x in codigos):
        yield erro(
            "REGRA_OBRIGATORIO_ASSIN_CONTADOR",
            "J930",
            None,
            None,
            "são obrigatórios um signatário contador (900) e um pela pessoa jurídica",
        )
