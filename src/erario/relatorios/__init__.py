"""Relatórios: formatos de saída (terminal, CSV, JSON, XLSX e PDF)."""
