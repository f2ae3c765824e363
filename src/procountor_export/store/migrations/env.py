"""Alembic environment: runs against the engine handed over by ``store.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from procountor_export.store import (  # noqa: F401  (their tables join the metadata)
    access_models,
    journal_events,
    master_snapshots,
    payment_models,
)
from procountor_export.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only reachable from the alembic CLI
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")

# Tables of the schema that no model describes: the PostgreSQL rate limiter's (migration 0003),
# which the client library uses without importing the store. Autogenerate must leave them be.
UNMODELLED = frozenset({"procountor_rate_limit"})


def _include(obj: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    return not (kind == "table" and reflected and compare_to is None and name in UNMODELLED)


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=_include,
        # SQLite cannot ALTER most things: batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
