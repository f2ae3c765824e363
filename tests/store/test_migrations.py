"""The schema migrations create every table on both backends and can be undone."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from procountor_export.store import (  # noqa: F401  (their tables join the metadata)
    access_models,
    journal_events,
    master_snapshots,
    payment_models,
)
from procountor_export.store.db import Store, alembic_config, migrate
from procountor_export.store.models import Base

# Not a model: the table of the PostgreSQL rate limiter (``procountor.pacing``), which imports
# nothing from the store; migration 0003 creates it on PostgreSQL.
LIMITER_TABLE = "procountor_rate_limit"


def test_migrations_create_every_table(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_are_idempotent_and_reversible(store: Store) -> None:
    migrate(store.engine)  # a second upgrade is a no-op
    command.downgrade(alembic_config(store.engine), "base")
    assert "invoices" not in inspect(store.engine).get_table_names()
    assert LIMITER_TABLE not in inspect(store.engine).get_table_names()


def test_the_rate_limiters_table_is_created_on_postgresql_only(store: Store) -> None:
    created = LIMITER_TABLE in inspect(store.engine).get_table_names()
    assert created == (store.engine.dialect.name == "postgresql")


def test_models_match_migrations(store: Store) -> None:
    """Autogenerate finds nothing to add: the migrations describe the models exactly."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [change for change in diff if not _limiter_table(change)] == []


def _limiter_table(change: object) -> bool:
    """The limiter's table, which autogenerate (not knowing it) would drop."""
    return (
        isinstance(change, tuple)
        and change[0] == "remove_table"
        and getattr(change[1], "name", None) == LIMITER_TABLE
    )
