"""A leitura do JSON Lines de eventos noutro processo (``execucao.leitura_paralela``)
dá ao registro o mesmo que a leitura num só processo: os mesmos eventos, os mesmos
erros na mesma ordem (entre os mesmos eventos), os mesmos textos e, gravado, o
mesmo banco tabela a tabela; as falhas de leitura chegam como chegariam."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from erario.core.erros import Erro
from erario.execucao import leitura_paralela
from erario.execucao.carga import TextosLidos
from erario.execucao.forma_compacta import compactar
from erario.execucao.leitura_paralela import LOTE, eventos_do_arquivo
from erario.storage.repositorio import Repositorio
from tests.test_cli import _iniciar_prefeitura, _rodar
from tests.test_eventos_blocos import _retrato, repo  # noqa: F401 (fixture)
from tests.test_eventos_compactos import FLUXOS, _variado
from tests.test_restos import ENCERRA_2026, EXERCICIO_2026, RESTOS_2027

DOTACOES = ("0201.12.361.0001.2001.33903900", "0201.12.361.0001.2001.33903000")


def _ciclos(n: int) -> list[str]:
    """Duas dotações e ``n`` ciclos empenho → liquidação → pagamento, com texto
    fora do ASCII: mais de um lote do filho quando n > LOTE / 3."""
    evs: list[dict[str, object]] = [
        {"tipo": "dotacao_inicial", "id": f"D{k}", "entidade": "prefeitura",
         "data": "2026-01-02", "dotacao": d, "fonte": f, "valor": "9000000.00"}
        for k, (d, f) in enumerate(zip(DOTACOES, ("1500", "1600"), strict=True))
    ]  # fmt: skip
    for i in range(n):
        d, f = DOTACOES[i % 2], ("1500", "1600")[i % 2]
        data = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        v = f"{100 + i}.{i % 100:02d}"
        evs += [
            {"tipo": "empenho", "id": f"E{i}", "entidade": "prefeitura", "data": data,
             "dotacao": d, "fonte": f, "credor": "11222333000181", "valor": v},
            {"tipo": "liquidacao", "id": f"L{i}", "entidade": "prefeitura", "data": data,
             "empenho": f"E{i}", "valor": v, "conta_vpd": "3.3.2.3.1.99.00",
             "conta_passivo": "2.1.3.1.1.01.01", "documento": f"NF nº {i} — serviço"},
            {"tipo": "pagamento", "id": f"P{i}", "entidade": "prefeitura", "data": data,
             "liquidacao": f"L{i}", "valor": v, "conta_banco": "1.1.1.1.1.19.00",
             "domicilio": "001-1234-5-67890-1"},
        ]  # fmt: skip
    return [json.dumps(ev, ensure_ascii=i % 2 == 0) for i, ev in enumerate(evs)]


def _com_problemas(linhas: list[str]) -> str:
    """O arquivo com fins de linha CRLF e LF, linhas em branco, JSON inválido,
    campos errados, espaços em volta e a última linha sem fim de linha."""
    saida = list(linhas)
    saida[1] = "  " + saida[1] + "\t"
    for k in (3, len(saida) // 2, len(saida) - 5):
        saida.insert(k, "{não é json")
        saida.insert(k, "")
        saida.insert(k, json.dumps({"tipo": "empenho", "id": "", "valor": "1,50"}))
    corpo = "".join(ln + ("\r\n" if i % 3 == 0 else "\n") for i, ln in enumerate(saida))
    return corpo.rstrip("\n").rstrip("\r")


def _ler(caminho: Path, paralelo: bool) -> tuple[list[Any], list[Erro], list[Any]]:
    """(linha, evento, erros já vistos, texto) a cada evento; os erros do fim; os
    textos restantes."""
    erros: list[Erro] = []
    textos: TextosLidos = {}
    vistos = []
    for linha, ev in eventos_do_arquivo(caminho, caminho.name, erros, textos, paralelo=paralelo):
        lido = textos.pop(id(ev), None)
        if lido is not None:
            assert lido[0] is ev
            # a forma compacta, quando o leitor já a tem, é a do evento
            assert lido[2] in (None, compactar(ev))
        vistos.append((linha, ev, len(erros), lido and lido[1]))
    return vistos, erros, list(textos.values())


@pytest.mark.parametrize(
    "linhas",
    [_ciclos(LOTE), [*EXERCICIO_2026, *ENCERRA_2026, *RESTOS_2027], _variado()],
    ids=["lotes", "encerramento", "variado"],
)
def test_mesmos_eventos_erros_e_textos(tmp_path: Path, linhas: list[str]) -> None:
    caminho = tmp_path / "ev.jsonl"
    caminho.write_text(_com_problemas(linhas), encoding="utf-8", newline="")
    sequencial = _ler(caminho, paralelo=False)
    paralelo = _ler(caminho, paralelo=True)
    assert paralelo == sequencial
    vistos, erros, sobras = sequencial
    assert len(vistos) == len(linhas) and sobras == []
    # 3 JSON inválidos e 3 objetos sem id, entidade, data… (a linha de cada um)
    assert [e.regra for e in erros].count("EVENTO-JSON") == 3
    assert len({e.linha for e in erros}) == 6
    # o texto de cada evento, sem os espaços em volta, vai para evento.dados
    assert vistos[0][3] == linhas[0] and vistos[1][3] == linhas[1]


def test_arquivo_pequeno_fica_neste_processo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    caminho = tmp_path / "ev.jsonl"
    caminho.write_text("\n".join(_ciclos(3)), encoding="utf-8")
    monkeypatch.setattr(leitura_paralela, "_do_filho", None)  # chamá-lo daria TypeError
    assert len(list(eventos_do_arquivo(caminho, "ev.jsonl", []))) == 11


def test_codificacao_invalida_chega_como_na_leitura_direta(tmp_path: Path) -> None:
    """O UnicodeDecodeError (que a CLI relata como CARGA-CODIFICACAO) sai do filho
    no mesmo ponto: depois dos mesmos eventos, com o mesmo byte."""
    caminho = tmp_path / "ev.jsonl"
    linhas = _ciclos(600)
    corpo = ("\n".join(linhas[:1200]) + "\n").encode()
    caminho.write_bytes(
        corpo + b'{"tipo": "empenho", "id": "\xe7"}\n' + "\n".join(linhas[1200:]).encode()
    )
    resultados = []
    for paralelo in (False, True):
        lidos: list[Any] = []
        with pytest.raises(UnicodeDecodeError) as exc:
            for item in eventos_do_arquivo(caminho, "ev.jsonl", [], paralelo=paralelo):
                lidos.append(item)
        resultados.append((lidos, exc.value.start, exc.value.reason))
    assert resultados[0] == resultados[1]
    assert len(resultados[0][0]) < 1200


def test_arquivo_que_nao_existe(tmp_path: Path) -> None:
    for paralelo in (False, True):
        with pytest.raises(FileNotFoundError):
            list(eventos_do_arquivo(tmp_path / "nao.jsonl", "nao.jsonl", [], paralelo=paralelo))


def test_filho_que_para_sem_responder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    caminho = tmp_path / "ev.jsonl"
    caminho.write_text("\n".join(_ciclos(3)), encoding="utf-8")
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(
        RuntimeError, match=r"a leitura de ev.jsonl noutro processo parou \(código 1\)"
    ):
        list(eventos_do_arquivo(caminho, "ev.jsonl", [], paralelo=True))


def test_parar_no_meio_encerra_o_filho(tmp_path: Path) -> None:
    caminho = tmp_path / "ev.jsonl"
    caminho.write_text("\n".join(_ciclos(3 * LOTE)), encoding="utf-8")
    leitura = eventos_do_arquivo(caminho, "ev.jsonl", [], paralelo=True)
    assert next(leitura)[0] == 1
    leitura.close()  # o filho, parado no meio da escrita, é encerrado e esperado


@FLUXOS
def test_registro_pelo_filho_grava_o_mesmo_banco(
    repo: Repositorio,  # noqa: F811 (fixture)
    engine: Engine,
    tmp_path: Path,
    linhas: list[str],
) -> None:
    """Todas as tabelas iguais (``evento.dados`` e ``evento.compacto`` incluídos),
    em blocos de 2 e de 20 mil eventos."""
    caminho = tmp_path / "ev.jsonl"
    caminho.write_text("\n".join(linhas) + "\n", encoding="utf-8")

    class _Desfazer(Exception):
        pass

    retratos = []
    for paralelo in (False, True):
        for tamanho in (2, 20_000):
            erros: list[Erro] = []
            textos: TextosLidos = {}
            with pytest.raises(_Desfazer), repo.transacao_unica():
                resumo = repo.registrar_eventos(
                    eventos_do_arquivo(caminho, "ev.jsonl", erros, textos, paralelo=paralelo),
                    "ev.jsonl",
                    erros_leitura=erros,
                    textos_lidos=textos,
                    tamanho_bloco=tamanho,
                )
                assert repo.sessao.carga_aberta is not None
                retratos.append((resumo, _retrato(repo.sessao.carga_aberta)))
                raise _Desfazer
    assert retratos[0][0].eventos == len(linhas)
    assert all(r == retratos[0] for r in retratos[1:])


def test_erario_importar_de_arquivo_grande(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pela CLI, o arquivo acima do limite vai pelo filho: o mesmo banco que a
    leitura direta, e a mesma recusa (todos os erros, nada gravado)."""
    linhas = _ciclos(LOTE)
    bom = tmp_path / "ano.jsonl"
    bom.write_text("\n".join(linhas) + "\n", encoding="utf-8")
    ruim = tmp_path / "ruim.jsonl"
    ruim.write_text(_com_problemas(linhas), encoding="utf-8", newline="")
    tabelas = []
    for limite in (10**12, 0):
        monkeypatch.setattr(leitura_paralela, "TAMANHO_PARALELO", limite)
        url = f"sqlite:///{tmp_path / f'cli{limite}.db'}"
        _iniciar_prefeitura(url)
        codigo, saida_ruim = _rodar(url, "importar", str(ruim), "--tipo", "eventos")
        assert codigo == 1 and "nada foi alterado" in saida_ruim
        codigo, saida = _rodar(url, "importar", str(bom), "--tipo", "eventos")
        assert codigo == 0, saida
        assert f"{len(linhas)} evento(s) registrado(s)" in saida
        with sqlite3.connect(tmp_path / f"cli{limite}.db") as con:
            tabelas.append(
                (
                    saida_ruim,
                    con.execute("select * from evento order by id").fetchall(),
                    con.execute("select * from partida order by lancamento_id, seq").fetchall(),
                )
            )
    assert tabelas[0] == tabelas[1]
    assert len(tabelas[0][1]) == len(linhas)
