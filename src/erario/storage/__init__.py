"""Adaptador de armazenamento: SQLAlchemy 2 (Core) + Alembic; SQLite ou PostgreSQL."""
