"""Arquivo SPED FCONT: modelo, escritor (golden), leitor (ida e volta) e convenções do Anexo I.

A empresa pequena é montada à mão: abre o ano com Caixa 1.000,00 D e Capital
1.000,00 C; recebe 5.000,00 de serviços no banco e paga 1.200,00 de despesa; o
encerramento societário leva o lucro de 3.800,00 a Lucros Acumulados. No
fiscal, o lançamento L100 (a despesa) é expurgado (X), entra uma despesa fiscal
de 1.000,00 (F) e o encerramento fiscal (EF) debita 200,00 a despesa:
EF + F − X = 200 + 1.000 − 1.200 = 0 (Observação I do manual).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erario.fcont.arquivo import (
    ArquivoFcont,
    BlocoI,
    BlocoJ,
    BlocoM,
    Registro0000,
    RegistroI050,
    RegistroI051,
    RegistroI075,
    RegistroI100,
    RegistroI150,
    RegistroI155,
    RegistroI156,
    RegistroI200,
    RegistroI250,
    RegistroI256,
    RegistroI350,
    RegistroI355,
    RegistroI356,
    RegistroJ930,
    RegistroM020,
    RegistroM025,
    RegistroM030,
    RegistroM155,
    RegistroM355,
)
from erario.fcont.escrita import escrever, limpar_texto, linhas
from erario.fcont.leitura import ler
from erario.fcont.regras_controle import validar
from erario.leiautes import fcont as leiaute_fcont
from erario.leiautes.modelo import Presenca

GOLDEN = Path(__file__).parent / "golden" / "fcont" / "pequena.txt"
D0 = dt.date(2026, 1, 1)
D1 = dt.date(2026, 12, 31)
V = Decimal


def _conta(
    cod: str, nat: str, ind: str, nivel: int, sup: str, nome: str, *refs: str
) -> RegistroI050:
    return RegistroI050(
        D0, nat, ind, nivel, cod, sup, nome, tuple(RegistroI051("10", "", r) for r in refs)
    )


def _i155(
    cta: str, ini: str, di: str, deb: str, cred: str, fin: str, df: str, *m: RegistroI156
) -> RegistroI155:
    return RegistroI155(cta, "", V(ini), di, V(deb), V(cred), V(fin), df, m)


def _m155(cta: str, ref: str, ini: str, di: str, deb: str, cred: str, **kw: str) -> RegistroM155:
    z = V("0.00")
    campos = dict.fromkeys(
        [
            "vl_is_deb",
            "vl_is_cred",
            "vl_if_deb",
            "vl_if_cred",
            "vl_deb_fcont_e",
            "vl_cred_fcont_e",
            "vl_deb_fcont_i",
            "vl_cred_fcont_i",
            "vl_tr_deb",
            "vl_tr_cred",
            "vl_tf_deb",
            "vl_tf_cred",
            "vl_ts_deb",
            "vl_ts_cred",
            "vl_ef_deb",
            "vl_ef_cred",
        ],
        z,
    )
    campos.update({k: V(v) for k, v in kw.items() if k.startswith("vl_")})
    ajuste = campos["vl_cred_fcont_e"] - campos["vl_deb_fcont_e"] + campos["vl_deb_fcont_i"]
    ajuste += -campos["vl_cred_fcont_i"] + campos["vl_ef_deb"] - campos["vl_ef_cred"]
    s_ini = V(ini) if di == "D" else -V(ini)
    soc = s_ini + V(deb) - V(cred)
    fc = soc + ajuste
    return RegistroM155(
        cod_cta=cta,
        cod_ccus="",
        cod_cta_ref=ref,
        vl_sld_ini_soc_ant=V(ini),
        ind_dc_ini_soc_ant=di,
        vl_sld_ini_soc=V(ini),
        ind_dc_ini_soc=di,
        vl_sld_ini_fc_ant=V(ini),
        ind_dc_ini_fc_ant=di,
        vl_sld_ini_fc=V(ini),
        ind_dc_ini_fc=di,
        vl_deb_contabil=V(deb),
        vl_cred_contabil=V(cred),
        vl_sld_fin_fc=abs(fc),
        ind_dc_fin_fc="C" if fc < 0 else "D",
        vl_sld_fin_soc=abs(soc),
        ind_dc_fin_soc="C" if soc < 0 else "D",
        **campos,  # type: ignore[arg-type]
    )


def arquivo_pequeno() -> ArquivoFcont:
    """A escrituração de referência (válida, sem erros nem advertências)."""
    plano = (
        _conta("1", "01", "S", 1, "", "ATIVO"),
        _conta("11", "01", "S", 2, "1", "ATIVO CIRCULANTE"),
        _conta("111", "01", "S", 3, "11", "DISPONIBILIDADES"),
        _conta("1111", "01", "A", 4, "111", "CAIXA", "1.01.01.01.01"),
        _conta("1112", "01", "A", 4, "111", "BANCOS", "1.01.01.02.01", "1.01.01.02.02"),
        _conta("2", "02", "S", 1, "", "PASSIVO"),
        _conta("21", "02", "S", 2, "2", "PASSIVO CIRCULANTE"),
        _conta("211", "02", "S", 3, "21", "OBRIGAÇÕES"),
        _conta("2111", "02", "A", 4, "211", "FORNECEDORES", "2.01.01.03.01"),
        _conta("3", "03", "S", 1, "", "PATRIMÔNIO LÍQUIDO"),
        _conta("31", "03", "S", 2, "3", "CAPITAL E RESERVAS"),
        _conta("311", "03", "S", 3, "31", "CAPITAL E LUCROS"),
        _conta("3111", "03", "A", 4, "311", "CAPITAL SOCIAL", "2.03.01.01.01"),
        _conta("3112", "03", "A", 4, "311", "LUCROS ACUMULADOS", "2.03.04.01.01"),
        _conta("4", "04", "S", 1, "", "RESULTADO"),
        _conta("41", "04", "S", 2, "4", "RECEITAS"),
        _conta("4101", "04", "A", 3, "41", "RECEITA DE SERVIÇOS", "3.01.01.01.01", "3.01.01.01.02"),
        _conta("42", "04", "S", 2, "4", "DESPESAS"),
        _conta("4201", "04", "A", 3, "42", "DESPESAS GERAIS", "3.02.01.01.01"),
    )
    saldos = RegistroI150(
        D0,
        D1,
        (
            _i155("1111", "1000.00", "D", "0.00", "0.00", "1000.00", "D"),
            _i155(
                "1112",
                "0.00",
                "D",
                "5000.00",
                "1200.00",
                "3800.00",
                "D",
                RegistroI156("1.01.01.02.01", V("3000.00"), V("1200.00")),
                RegistroI156("1.01.01.02.02", V("2000.00"), V("0.00")),
            ),
            _i155("3111", "1000.00", "C", "0.00", "0.00", "1000.00", "C"),
            _i155("3112", "0.00", "C", "0.00", "3800.00", "3800.00", "C"),
        ),
    )
    lancamentos = (
        RegistroI200(
            "L100",
            dt.date(2026, 6, 15),
            V("1200.00"),
            "X",
            (
                RegistroI250("4201", "", V("1200.00"), "D", "NF 77", "001", "DESPESA DE JUNHO"),
                RegistroI250(
                    "1112",
                    "",
                    V("1200.00"),
                    "C",
                    "NF 77",
                    "001",
                    "DESPESA DE JUNHO",
                    "",
                    (RegistroI256("1.01.01.02.01", V("1200.00"), "C"),),
                ),
            ),
        ),
        RegistroI200(
            "L100",
            dt.date(2026, 6, 15),
            V("1000.00"),
            "F",
            (
                RegistroI250("4201", "", V("1000.00"), "D", "", "", "DESPESA DEDUTÍVEL"),
                RegistroI250(
                    "1112",
                    "",
                    V("1000.00"),
                    "C",
                    "",
                    "",
                    "DESPESA DEDUTÍVEL",
                    "",
                    (RegistroI256("1.01.01.02.01", V("1000.00"), "C"),),
                ),
            ),
        ),
        RegistroI200(
            "EF1",
            D1,
            V("200.00"),
            "EF",
            (
                RegistroI250("4201", "", V("200.00"), "D", "", "002", ""),
                RegistroI250("3112", "", V("200.00"), "C", "", "002", ""),
            ),
        ),
    )
    resultados = RegistroI350(
        D1,
        (
            RegistroI355(
                "4101",
                "",
                V("5000.00"),
                "C",
                (
                    RegistroI356("3.01.01.01.01", V("4000.00"), "C"),
                    RegistroI356("3.01.01.01.02", V("1000.00"), "C"),
                ),
            ),
            RegistroI355("4201", "", V("1200.00"), "D"),
        ),
    )
    bloco_m = BlocoM(
        qualificacao=RegistroM020("10", "0", "A", "1"),
        saldos_iniciais=(
            RegistroM025("1111", "", "1.01.01.01.01", V("1000.00"), "D", V("1000.00"), "D"),
            RegistroM025("3111", "", "2.03.01.01.01", V("1000.00"), "C", V("1000.00"), "C"),
        ),
        periodos=(
            RegistroM030(
                "A00",
                V("3800.00"),
                "C",
                (
                    _m155("1111", "1.01.01.01.01", "1000.00", "D", "0.00", "0.00"),
                    _m155(
                        "1112",
                        "1.01.01.02.01",
                        "0.00",
                        "D",
                        "3000.00",
                        "1200.00",
                        vl_cred_fcont_e="1200.00",
                        vl_cred_fcont_i="1000.00",
                    ),
                    _m155("1112", "1.01.01.02.02", "0.00", "D", "2000.00", "0.00"),
                    _m155("3111", "2.03.01.01.01", "1000.00", "C", "0.00", "0.00"),
                    _m155(
                        "3112", "2.03.04.01.01", "0.00", "C", "0.00", "3800.00", vl_ef_cred="200.00"
                    ),
                ),
                (
                    RegistroM355(
                        "4101",
                        "",
                        "3.01.01.01.01",
                        V("4000.00"),
                        "C",
                        *[V("0.00")] * 4,
                        V("4000.00"),
                        "C",
                    ),
                    RegistroM355(
                        "4101",
                        "",
                        "3.01.01.01.02",
                        V("1000.00"),
                        "C",
                        *[V("0.00")] * 4,
                        V("1000.00"),
                        "C",
                    ),
                    RegistroM355(
                        "4201",
                        "",
                        "3.02.01.01.01",
                        V("1200.00"),
                        "D",
                        V("1200.00"),
                        V("0.00"),
                        V("1000.00"),
                        V("0.00"),
                        V("1000.00"),
                        "D",
                    ),
                ),
            ),
        ),
    )
    return ArquivoFcont(
        abertura=Registro0000(
            D0,
            D1,
            "COMPANHIA PEQUENA DE TESTE S.A.",
            "11222333000181",
            "SC",
            "",
            "4205407",
            "12345",
            "",
            "0",
        ),
        bloco_i=BlocoI(
            plano=plano,
            historicos=(
                RegistroI075("001", "PAGAMENTO A FORNECEDOR"),
                RegistroI075("002", "ENCERRAMENTO FISCAL DO RESULTADO"),
            ),
            centros_custo=(RegistroI100(D0, "CC01", "ADMINISTRAÇÃO"),),
            saldos_periodicos=(saldos,),
            lancamentos=lancamentos,
            resultados=(resultados,),
        ),
        bloco_j=BlocoJ(
            (
                RegistroJ930("MARIA DA SILVA", "52998224725", "CONTADOR", "900", "SC012345O1"),
                RegistroJ930("JOÃO PEREIRA", "11144477735", "DIRETOR", "203"),
            )
        ),
        bloco_m=bloco_m,
    )


def test_escritor_gera_exatamente_o_golden() -> None:
    assert escrever(arquivo_pequeno()) == GOLDEN.read_bytes()


def test_leitor_devolve_os_mesmos_dados_do_golden() -> None:
    arquivo, erros = ler(GOLDEN.read_bytes())
    assert erros == []
    assert arquivo == arquivo_pequeno()
    assert escrever(arquivo) == GOLDEN.read_bytes()  # ida e volta


def test_golden_valido_sem_erros_nem_advertencias() -> None:
    v = validar(GOLDEN.read_bytes())
    assert (v.erros, v.avisos, v.completa) == ([], [], True)


def test_convencoes_do_arquivo() -> None:
    """ISO-8859-1, CRLF em toda linha, '|' no início e no fim, data DDMMAAAA,
    valor com vírgula e 19 caracteres, sem separador de milhar."""
    bruto = GOLDEN.read_bytes()
    assert "OBRIGAÇÕES".encode("iso-8859-1") in bruto  # Ç e Õ em um byte cada
    assert bruto.endswith(b"\r\n")
    assert bruto.count(b"\n") == bruto.count(b"\r\n")
    texto = bruto.decode("iso-8859-1").split("\r\n")[:-1]
    assert all(t.startswith("|") and t.endswith("|") for t in texto)
    assert texto[0] == (
        "|0000|LALU|01012026|31122026|COMPANHIA PEQUENA DE TESTE S.A.|11222333000181|SC||"
        "4205407|12345||0|"
    )
    assert (
        "|I155|1112||0000000000000000,00|D|0000000000005000,00|0000000000001200,00|"
        in bruto.decode("iso-8859-1")
    )
    assert "|I200|L100|15062026|0000000000001200,00|X|" in texto


def test_bloco_9_conta_tudo() -> None:
    """9900 por tipo (inclusive 9900, 9990 e 9999), x990 com a própria linha e 9999 o total."""
    ls = linhas(arquivo_pequeno())
    codigos = [c for c, _ in ls]
    texto = dict.fromkeys(t for _, t in ls)
    n = len(codigos)
    assert ls[-1] == ("9999", f"|9999|{n}|")
    assert f"|I990|{sum(1 for c in codigos if c[0] == 'I')}|" in texto
    assert "|J990|4|" in texto  # J001, 2 × J930, J990
    tipos = list(dict.fromkeys(codigos))
    for t in tipos:
        assert f"|9900|{t}|{codigos.count(t)}|" in texto
    assert codigos.count("9900") == len(tipos)
    assert f"|9990|{len(tipos) + 3}|" in texto  # 9001 + 9900s + 9990 + 9999


def test_bloco_sem_dados_tem_ind_dad_1_e_sem_bloco_m_nao_escreve_m() -> None:
    a = ArquivoFcont(Registro0000(D0, D1, "X", "11222333000181"))
    t = escrever(a).decode("iso-8859-1").split("\r\n")
    assert t[:7] == [
        "|0000|LALU|01012026|31122026|X|11222333000181||||||0|",
        "|I001|1|",
        "|I990|2|",
        "|J001|1|",
        "|J990|2|",
        "|9001|0|",
        "|9900|0000|1|",
    ]
    assert not any(x.startswith("|M") for x in t)
    lido, erros = ler(escrever(a), entrada=True)
    assert lido == a
    assert {e.regra for e in erros} == {"REGRA_REGISTRO_NAO_SE_APLICA"}  # bloco 9 na entrada


def test_escritor_recusa_valor_que_nao_cabe() -> None:
    base = arquivo_pequeno()
    ruim = ArquivoFcont(
        base.abertura,
        BlocoI(lancamentos=(RegistroI200("1", D0, V("-1.00"), "F"),)),
    )
    with pytest.raises(ValueError, match="negativo"):
        escrever(ruim)
    com_pipe = ArquivoFcont(Registro0000(D0, D1, "A|B", "11222333000181"))
    with pytest.raises(ValueError, match="proibido"):
        escrever(com_pipe)
    with pytest.raises(ValueError, match="ISO-8859-1"):
        escrever(ArquivoFcont(Registro0000(D0, D1, "A – B", "11222333000181")))
    assert limpar_texto("A – B|C\r\nD") == "A ? B/C  D"


def test_leiaute_declara_todos_os_registros_do_manual() -> None:
    lay = leiaute_fcont.leiaute()
    codigos = [r.chave for r in lay.registros]
    assert codigos == [
        "0000",
        "I001",
        "I050",
        "I051",
        "I075",
        "I100",
        "I150",
        "I155",
        "I156",
        "I200",
        "I250",
        "I256",
        "I350",
        "I355",
        "I356",
        "I990",
        "J001",
        "J930",
        "J990",
        "M001",
        "M020",
        "M025",
        "M030",
        "M155",
        "M355",
        "M990",
        "9001",
        "9900",
        "9990",
        "9999",
    ]
    i155 = lay.registro("I155")
    assert (i155.nivel, i155.pai, i155.entrada, i155.saida) == (
        3,
        "I150",
        Presenca.FACULTATIVO,
        Presenca.OBRIGATORIO,
    )
    vl = i155.campo("vl_sld_ini")
    assert (vl.numero, vl.nome, vl.tamanho, vl.decimais, vl.tamanho_exato) == (
        4,
        "VL_SLD_INI",
        19,
        2,
        True,
    )
    assert len(lay.registro("M155").campos) == 34
    assert lay.registro("9001").entrada == Presenca.NAO_SE_APLICA
    assert lay.registro("I150").maximo == 4


_texto = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="|"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")
_valor = st.decimals(min_value=0, max_value=Decimal("9999999999999999.99"), places=2)


@settings(max_examples=60, deadline=None)
@given(nome=_texto, hist=_texto, valor=_valor)
def test_ida_e_volta_de_qualquer_texto_e_valor(nome: str, hist: str, valor: Decimal) -> None:
    """Propriedade: ler(escrever(a)) == a para textos ISO-8859-1 e valores de até 16 dígitos."""
    base = arquivo_pequeno()
    lc = RegistroI200("9", D0, valor, "F", (RegistroI250("4201", "", valor, "D", hist=hist),))
    a = ArquivoFcont(
        Registro0000(D0, D1, nome, "11222333000181"),
        BlocoI(plano=base.bloco_i.plano, lancamentos=(lc,)),
    )
    lido, erros = ler(escrever(a), entrada=True)
    assert lido == a
    assert not [e for e in erros if e.regra != "REGRA_REGISTRO_NAO_SE_APLICA"]


def test_cli_validar_e_ler(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from erario.cli.app import app

    runner = CliRunner()
    r = runner.invoke(app, ["fcont", "validar", str(GOLDEN)])
    assert r.exit_code == 0, r.output
    assert "arquivo FCONT válido (0 advertência(s))" in r.output
    ruim = tmp_path / "ruim.txt"
    ruim.write_bytes(GOLDEN.read_bytes().replace(b"|9999|108|", b"|9999|107|"))
    r = runner.invoke(app, ["fcont", "validar", str(ruim)])
    assert r.exit_code == 1
    assert "9999, linha 108, campo 2. QTD_LIN: [REGRA_QTD_LIN_ARQUIVO]" in r.output
    r = runner.invoke(app, ["fcont", "ler", str(GOLDEN)])
    assert r.exit_code == 0, r.output
    assert (
        "COMPANHIA PEQUENA DE TESTE S.A. (CNPJ 11222333000181): 01/01/2026 a 31/12/2026" in r.output
    )
    assert "lançamentos fiscais: 3 (EF: 1, F: 1, X: 1)" in r.output
