"""erario: contabilidade aplicada ao setor público para municípios brasileiros."""

__version__ = "0.1.0"
