"""The store: SQLAlchemy tables, sessions, migrations and the export journal."""
