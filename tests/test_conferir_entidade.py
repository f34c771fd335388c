"""Os campos de uma entidade, conferidos no domínio (``razao.entidades``) antes do
banco; o caminho com o banco está em ``tests/test_repositorio.py``."""

from __future__ import annotations

from erario.razao.entidades import conferir_entidade
from erario.razao.modelo import Entidade, TipoEntidade
from tests.conftest import CNPJ_PREFEITURA


def test_entidade_valida_sai_com_o_cnpj_so_em_digitos() -> None:
    e = Entidade("pref-2", "Prefeitura", "01.602.258/0001-20", TipoEntidade.PREFEITURA,
                 "4312658", "10131")  # fmt: skip
    assert conferir_entidade(e) == (e._replace(cnpj=CNPJ_PREFEITURA), [])


def test_todos_os_erros_dos_campos() -> None:
    e = Entidade("Fundo X", " ", "01.602.258/0001-21", "fundinho", "43", "1")  # type: ignore[arg-type]
    normal, erros = conferir_entidade(e)
    assert normal.cnpj == "01602258000121"
    assert [(x.regra, x.mensagem, x.campo) for x in erros] == [
        ("ENT-SLUG", "slug 'Fundo X' inválido: minúsculas, dígitos e hífen, até 40 caracteres",
         "slug"),
        ("ENT-NOME", "nome é obrigatório", "nome"),
        ("ENT-CNPJ", "CNPJ 01602258000121 inválido (dígitos verificadores)", "cnpj"),
        ("ENT-TIPO", "tipo 'fundinho' inválido: use prefeitura, camara, rpps, fundo, autarquia, "
         "fundacao, empresa", "tipo"),
        ("ENT-IBGE", "código IBGE '43' deve ter 7 dígitos", "ibge"),
        ("ENT-PODER", "código poder/órgão '1' deve ter 5 dígitos", "poder_orgao"),
    ]  # fmt: skip
