"""Engines, sessions and schema migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from procountor_export.store.locks import SQLITE_WRITE_LOCK, advisory_lock, advisory_unlock

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_CACHE_KB = 256  # page cache per SQLite connection
MIGRATION_WAIT = 60.0  # seconds a migration waits for another one (they take a second or two)


def now() -> datetime:
    """The current time in UTC, without a zone (as the store keeps it)."""
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; on SQLite turn on foreign keys and WAL so readers don't block writers."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        # Export threads and a concurrent run write the journal at the same time: wait for the
        # write lock (transactions are short) rather than fail with "database is locked".
        kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if engine.url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # SQLite's own page cache, per pooled connection: its default (2 MB) fills as the
            # store grows, so a long export's memory grew with the store. The OS caches the
            # file anyway; measured, a 20,000-invoice import is no slower (docs: benchmarks).
            cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
            cursor.close()

        event.listen(engine, "begin", _sqlite_begin)

    return engine


def _sqlite_begin(connection: Connection) -> None:
    """Begin with BEGIN IMMEDIATE when the connection asks for the write lock up front.

    pysqlite begins a transaction only before its first INSERT/UPDATE/DELETE, so reads before
    it see whatever other writers commit meanwhile. A connection given the execution option
    ``SQLITE_WRITE_LOCK`` (seconds to wait) takes the database's write lock before its first
    statement instead: what it reads stays true until it commits. The busy timeout is set to
    that wait for the BEGIN only.
    """
    wait = connection.get_execution_options().get(SQLITE_WRITE_LOCK)
    if wait is None:
        return
    usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {max(0, round(float(wait) * 1000))}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual or 0)}")


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the packaged migrations and at ``engine``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema up to date (idempotent; processes that start together take turns).

    Several commands started at once on a new store (two imports, a cron job and a person)
    would otherwise all create the same tables and all but one fail. On PostgreSQL a session
    advisory lock, on SQLite the write lock taken up front, makes them migrate one after the
    other; the later ones find the schema current and do nothing.
    """
    if _current(engine):
        return  # the usual case: no lock, so a long import does not hold up other commands
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            advisory_lock(connection, "migrate", transaction=False)
            connection.commit()
            try:
                command.upgrade(alembic_config(engine), "head")
            finally:
                advisory_unlock(connection, "migrate")
                connection.commit()
    elif engine.dialect.name == "sqlite":
        locked = engine.execution_options(**{SQLITE_WRITE_LOCK: MIGRATION_WAIT})
        command.upgrade(alembic_config(locked), "head")
    else:
        command.upgrade(alembic_config(engine), "head")


def _current(engine: Engine) -> bool:
    """Whether the schema is at the newest revision already (read only, takes no lock)."""
    config = alembic_config(engine)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


class Store:
    """The store's engine and session factory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Store:
        """Open the store at ``url``, migrating it to the current schema when ``create``."""
        store = cls(make_engine(url))
        if create:
            migrate(store.engine)
        return store

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()
