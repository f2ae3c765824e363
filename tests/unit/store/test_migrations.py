"""The schema migrations create every table on both backends and can be undone."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from procountor_export.store.db import Store, alembic_config, migrate
from procountor_export.store.models import Base


def test_migrations_create_every_table(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_are_idempotent_and_reversible(store: Store) -> None:
    migrate(store.engine)  # a second upgrade is a no-op
    command.downgrade(alembic_config(store.engine), "base")
    assert "invoices" not in inspect(store.engine).get_table_names()


def test_models_match_migrations(store: Store) -> None:
    """Autogenerate finds nothing to add: the migrations describe the models exactly."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
