"""SIOPS: equivalências (de-para), marcas no orçamento, apuração das ASPS e o
demonstrativo (RREO Anexo 12). Funções puras; o leiaute dos arquivos está em
``erario.leiautes.siops``. Ver docs/siops.md."""
