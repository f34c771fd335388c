"""Leitor do arquivo SPED FCONT: bytes → ``ArquivoFcont`` e os problemas de estrutura e de campo.

Faz as validações de nível 1 do manual (item 2.7.1: estrutura, hierarquia,
ocorrências, presença, e tipo/tamanho/valores válidos/obrigatoriedade de cada
campo). Uma linha com campo que não se converte (data, número) fica fora do
modelo; as demais entram com a hierarquia do arquivo. Ida e volta:
``escrever(ler(x)[0]) == x`` para todo arquivo sem erros.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

from erario.core.erros import Erro
from erario.fcont.arquivo import (
    ArquivoFcont,
    BlocoI,
    BlocoJ,
    BlocoM,
    Controle,
    Registro0000,
    Registro9900,
    RegistroM020,
)
from erario.fcont.escrita import ESTRUTURA, FILHOS_DOS_BLOCOS
from erario.leiautes import fcont as leiaute_fcont
from erario.leiautes import sped
from erario.leiautes.modelo import Tipo

INTEIROS: Final = frozenset({"nivel"})  # numéricos sem casas que o modelo guarda como int


@dataclass
class _No:
    codigo: str
    linha: int
    valores: dict[str, Any]
    filhos: dict[str, list[_No]] = field(default_factory=lambda: defaultdict(list))


def _objeto(no: _No) -> Any:
    classe, filhos = ESTRUTURA[no.codigo]
    kwargs = dict(no.valores)
    for codigo, atributo in filhos:
        kwargs[atributo] = tuple(_objeto(f) for f in no.filhos.get(codigo, []))
    return classe(**kwargs, linha=no.linha)


def _qtd(texto: str) -> int | None:
    return int(texto) if texto.isdigit() else None


def ler(conteudo: bytes, *, entrada: bool = False) -> tuple[ArquivoFcont | None, list[Erro]]:
    """Bytes do arquivo → (``ArquivoFcont`` ou ``None``, problemas de estrutura e de campo).

    ``entrada``: confere a presença dos registros pela coluna "Entrada" do manual
    (arquivo importado pelo PVA) em vez da "Saída"."""
    lay = leiaute_fcont.leiaute()
    lidas, erros = sped.dividir(conteudo, lay)
    est = sped.estrutura(lidas, lay, entrada=entrada)
    erros.extend(est.erros)
    nos: dict[int, _No] = {}
    raiz: dict[str, list[_No]] = defaultdict(list)
    ind_dad: list[tuple[str, str, int]] = []
    qtd_lin: list[tuple[str, int, int]] = []
    contagens: list[Registro9900] = []
    abertura: _No | None = None
    m020: _No | None = None
    for ln in lidas:
        reg = lay.registro(ln.codigo)
        valores: dict[str, Any] = {}
        valido = True
        for campo, texto in zip(reg.campos[1:], ln.textos, strict=True):
            valor, problemas = sped.converter(campo, texto, lay, leiaute_fcont.REGRA_DA_TABELA)
            for regra, msg in problemas:
                erros.append(Erro(regra, msg, campo.rotulo, ln.numero, ln.codigo))
            if valor is None and campo.tipo != Tipo.CARACTERE and texto.strip():
                valido = False
            if valor is None and campo.tipo != Tipo.CARACTERE and campo.obrigatorio == "sim":
                valido = False
            if campo.chave in INTEIROS and isinstance(valor, str):
                valor = int(valor)
            valores[campo.chave] = "" if valor is None else valor
        if ln.codigo in ("I001", "J001", "M001", "9001"):
            ind_dad.append((ln.codigo, ln.textos[0], ln.numero))
            continue
        if ln.codigo in ("I990", "J990", "M990", "9990", "9999"):
            n = _qtd(ln.textos[0])
            if n is not None:
                qtd_lin.append((ln.codigo, n, ln.numero))
            continue
        if ln.codigo == "9900":
            n = _qtd(ln.textos[1])
            if n is not None:
                contagens.append(Registro9900(ln.textos[0], n, linha=ln.numero))
            continue
        if not valido:
            continue
        no = _No(ln.codigo, ln.numero, valores)
        if ln.codigo == "0000":
            if abertura is None:
                abertura = no
            continue
        if ln.codigo == "M020":
            if m020 is None:
                m020 = no
            continue
        nos[ln.numero] = no
        nivel = reg.nivel or 0
        if nivel == 2:
            raiz[ln.codigo].append(no)
        else:
            pai = est.pais.get(ln.numero)
            if pai is not None and pai in nos:
                nos[pai].filhos[ln.codigo].append(no)
    controle = Controle(
        tuple(ind_dad), tuple(qtd_lin), tuple(contagens), tuple(ln.codigo for ln in lidas)
    )
    if abertura is None:
        if not any(e.origem == "0000" for e in erros):
            erros.append(
                Erro(
                    "REGRA_REGISTRO_OBRIGATORIO",
                    "registro 0000 ausente ou ilegível: o arquivo não pode ser lido",
                    origem="0000",
                )
            )
        return None, erros

    def bloco(letra: str) -> dict[str, tuple[Any, ...]]:
        return {
            atributo: tuple(_objeto(n) for n in raiz.get(codigo, []))
            for codigo, atributo in FILHOS_DOS_BLOCOS[letra]
        }

    tem_m = "M001" in controle.linhas or m020 is not None or any(c[0] == "M" for c in raiz)
    bloco_m = (
        BlocoM(
            qualificacao=RegistroM020(**m020.valores, linha=m020.linha) if m020 else None,
            **bloco("M"),
        )
        if tem_m
        else None
    )
    arquivo = ArquivoFcont(
        abertura=Registro0000(**abertura.valores, linha=abertura.linha),
        bloco_i=BlocoI(**bloco("I")),
        bloco_j=BlocoJ(**bloco("J")),
        bloco_m=bloco_m,
        controle=controle,
    )
    return arquivo, erros
