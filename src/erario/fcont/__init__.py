"""SPED FCONT: escrituração societária e fiscal das empresas do município (Anexo I do ADE Cofis nº 31/2011)."""
