"""A tabela de regras da execução: todo tipo de evento tem exatamente uma regra,
declarada por uma única família; o encerramento não é evento da tabela (tem
caminho próprio em ``ControleOrcamentario.encerrar``)."""

import typing

from erario.execucao.eventos import EncerramentoExercicio, Evento, TipoEvento
from erario.execucao.regras import FAMILIAS, REGRAS


def test_todo_tipo_de_evento_tem_exatamente_uma_regra() -> None:
    tipos = set(typing.get_args(Evento))
    assert len(tipos) == 20
    assert set(REGRAS) == tipos
    for tipo in tipos:
        donas = [f.__name__ for f in FAMILIAS if tipo in f.REGRAS]
        assert len(donas) == 1, (tipo, donas)


def test_os_tipos_da_tabela_cobrem_o_enum_menos_o_encerramento() -> None:
    tipos_enum = {tipo._field_defaults["tipo"] for tipo in REGRAS}
    assert tipos_enum == set(TipoEvento) - {TipoEvento.ENCERRAMENTO}
    assert EncerramentoExercicio not in REGRAS


def test_cada_regra_declara_conferir_aplicar_e_motivo_do_estorno() -> None:
    for regra in REGRAS.values():
        assert callable(regra.conferir)
        assert callable(regra.aplicar)
        assert callable(regra.motivo_estorno)
