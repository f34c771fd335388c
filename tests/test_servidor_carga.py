"""Carga limitada no loopback: 12 entidades enviando ao mesmo tempo (12 meses,
duas versões cada, 288 envios de ~25 KB); nada perdido nem trocado. O servidor
roda numa thread deste processo (disputa o GIL com os clientes): a vazão de
verdade, servidor em processo próprio, sai de ``bench/bench_servidor.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from erario.api.servidor import Admin, Config, preparar_banco
from tests.apoio_carga import cadastrar_carga, conferir, entidades_carga, enviar_tudo
from tests.apoio_servidor import BANCOS_SERVIDOR, banco_servidor, servidor_no_ar


@pytest.mark.parametrize("tipo", BANCOS_SERVIDOR)
def test_muitas_entidades_enviando_ao_mesmo_tempo(tipo: str, tmp_path: Path) -> None:
    ents = entidades_carga(12)
    with banco_servidor(tipo, tmp_path) as url_banco:
        # As 12 entradas simultâneas fazem fila nas 2 conferências argon2; numa máquina
        # carregada a fila passa dos 5 s padrão (CON-OCUPADO) — aqui se mede o envio.
        cfg = Config(url=url_banco, segredo=b"carga-0123456789abcdef", espera_conferencia=120.0)
        engine = preparar_banco(url_banco)
        cadastrar_carga(Admin(engine), ents)
        engine.dispose()
        with servidor_no_ar(cfg) as url:
            r, docs = enviar_tudo(url, ents, linhas=200, simultaneos=12)
            assert r.envios == 12 * 12 * 2
            assert conferir(url, ents, docs) == []
    print(f"\n{tipo}: {r.envios} envios em {r.segundos:.2f} s = {r.envios_s:.0f} envios/s, "
          f"{r.mb_s:.1f} MB/s")  # fmt: skip
