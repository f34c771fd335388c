"""Linha de comando ``erario`` (Typer + Rich)."""
