"""O município de exemplo: números conferidos à mão e razão íntegro."""

from __future__ import annotations

from pathlib import Path

from erario.demo import montar_demo
from erario.execucao.relatorios import execucao_despesa, execucao_receita, restos_a_pagar
from erario.orcamento.cadastros import e_saude
from erario.razao.balancete import conferir_balancete
from erario.storage.banco import atualizar_esquema, criar_engine
from erario.storage.repositorio import Repositorio


def test_demo(tmp_path: Path) -> None:
    engine = criar_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    atualizar_esquema(engine)
    repo = Repositorio(engine)
    resumo = montar_demo(repo)
    assert resumo.startswith("Município de exemplo montado: 3 entidades, 133 eventos orçamentários")
    controle = repo.controle()
    # Limpeza urbana, 12 meses de 48.730,40 + 905,00 × (mês − 1): 12 × 48.730,40 + 905,00 × 66
    # = 644.494,80 empenhados, liquidados e pagos; saldo 700.000,00 − 644.494,80 = 55.505,20.
    # (a saúde do demo, 30 eventos do Fundo Municipal de Saúde, é conferida em test_siops.py)
    pavimentacao, consultoria, despesa = [
        ln for ln in execucao_despesa(controle, "prefeitura", 2026) if not e_saude(ln.dotacao)
    ]
    assert (consultoria.liquidado, consultoria.pago) == (300_000, 300_000)
    assert despesa[2:] == (
        70_000_000,
        70_000_000,
        64_449_480,
        0,
        64_449_480,
        64_449_480,
        0,
        5_550_520,
    )
    # Pavimentação: 250.000,00 empenhados, 100.000,00 medidos (liquidados), 60.000,00
    # pagos; inscritos em RP 150.000,00 não processados e 40.000,00 processados.
    assert pavimentacao[4:8] == (25_000_000, 0, 10_000_000, 6_000_000)
    (rp,) = [ln for ln in restos_a_pagar(controle, "prefeitura", 2026) if not e_saude(ln.dotacao)]
    assert (rp.empenho, rp.inscrito_nao_processado, rp.inscrito_processado) == (
        "EMP-PAV-12",
        15_000_000,
        4_000_000,
    )
    assert {c.situacao.value for c in repo.competencias("prefeitura", 2026)} == {"fechada"}
    # Consultoria PF de 3.000,00 com o serviço 40: INSS 330,00 apropriado na
    # liquidação (a recolher), IR 57,45 retido no pagamento (receita própria).
    from erario.retencoes.relatorios import guias_a_recolher

    guias = guias_a_recolher(controle, repo.cadastro_retencoes(), "prefeitura")
    assert [(g.desconto, g.retido, g.a_recolher) for g in guias] == [
        (100, 5_745, 0),
        (451, 33_000, 33_000),
    ]
    # IPTU: 12 × 96.500,15 + 23.350,00 × 66 = 2.699.101,80;
    # FPM: 12 × 1.024.890,62 + 15.230,00 × 66 = 13.303.867,44.
    assert [
        (r.natureza, r.arrecadado)
        for r in execucao_receita(controle, "prefeitura", 2026)
        if r.fonte == "1500"
    ] == [
        ("11125001", 269_910_180),
        ("11130311", 5_745),  # IRRF retido da consultoria
        ("17115111", 1_330_386_744),
    ]
    # duodécimo: transferência financeira com um lançamento em cada entidade
    duodecimo = repo.lancamento("camara", "EVDUOD-02")
    assert [(p.conta, p.dc, p.centavos) for p in duodecimo.partidas][:2] == [
        ("1.1.1.1.1.19.00", "D", 9_500_000),
        ("4.5.1.1.2.02.00", "C", 9_500_000),
    ]
    # FUNDEB: 20% do FPM de cada mês, ao centavo (ROUND_HALF_UP): 20% de 1.024.890,62 =
    # 204.978,124 → 204.978,12, e cada mês seguinte 3.046,00 a mais (20% de 15.230,00):
    # 12 × 204.978,12 + 3.046,00 × 66 = 2.660.773,44
    fpm = next(
        r for r in execucao_receita(controle, "prefeitura", 2026) if r.natureza == "17115111"
    )
    assert fpm.deducoes == 266_077_344
    assert repo.verificar() == []
    bal = repo.balancete(["prefeitura", "camara", "rpps"], 2026, 1, 12)
    assert conferir_balancete(bal) == []
    assert montar_demo(repo).startswith("Município de exemplo já montado")
    engine.dispose()
