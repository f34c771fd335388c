"""Execução orçamentária: eventos, roteiros contábeis e controle de saldos."""
