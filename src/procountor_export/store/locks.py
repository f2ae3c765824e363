"""One writer at a time where it matters: store-wide locks with a bounded wait, and what it
means for a person when the store cannot be had.

Why locks and not only retries: an import reads what the store holds (the office, customers,
invoices and their content hashes, the export journal) and writes what differs. Two imports of
overlapping documents that interleave both find a record missing and both insert it, and one
of them fails on the unique key (the issue that brought this module). Retrying the loser's
whole transaction would work, but on a 50,000-invoice document it repeats a minute of work,
and the report of the winner would still be a guess. Making imports take turns costs nothing
when they do not overlap and makes every report true: each one sees what the one before it
committed.

- **PostgreSQL**: a transaction-level advisory lock per store (``pg_advisory_xact_lock``, keyed
  by the schema, so stores sharing a database stay independent; a store holds one office, so
  this is the lock per office). Commit or rollback releases it, also when the process is
  killed, and ``lock_timeout`` bounds the wait.
- **SQLite**: ``BEGIN IMMEDIATE`` takes the database's one write lock at the start of the
  transaction, before the first read, so nothing another writer commits can slip in between
  what the import read and what it writes (a deferred transaction reads first and then either
  fails to upgrade or, with pysqlite reading outside the transaction, inserts a duplicate). The
  busy timeout bounds the wait.

What remains transient on PostgreSQL (a deadlock with an unrelated writer, a unique key a
``configure`` command inserted at the same moment, a serialization failure) is worth a bounded
retry: :func:`is_transient` tells which. :class:`StoreBusy` and :class:`StoreUnreachable` say,
in the caller's terms, that the store could not be had; their ``detail`` keeps the database's
own text for the event log.
"""

from __future__ import annotations

import logging
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

STORE_LOG = logging.getLogger("procountor_export.store")
# The database's text is for the event log only: with no log configured it goes nowhere,
# rather than to stderr through logging's last-resort handler.
STORE_LOG.addHandler(logging.NullHandler())

# Execution option read by the SQLite "begin" hook of ``db.make_engine``: begin with
# BEGIN IMMEDIATE, waiting at most this many seconds for the write lock.
SQLITE_WRITE_LOCK = "procountor_export_sqlite_write_lock"

# The first key of every advisory lock of this application (the second one names the lock):
# keeps them apart from other applications' advisory locks in the same database.
_NAMESPACE = zlib.crc32(b"procountor_export") & 0x7FFFFFFF
_PG_KEY = "hashtext(coalesce(current_schema(), '') || ':' || :name)"

_PG_TRANSIENT = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "23505",  # unique_violation: another writer inserted the same key first
}
_PG_BUSY = {"55P03"}  # lock_not_available: lock_timeout expired
_PG_GONE = {"57P01", "57P02", "57P03"}  # admin / crash shutdown, cannot connect now
_SQLITE_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_GONE = {14, 26}  # SQLITE_CANTOPEN, SQLITE_NOTADB


class SessionSource(Protocol):
    """What the locks need of a store (:class:`procountor_export.store.db.Store`): its session
    factory. A protocol, so that this module, which ``db`` uses, does not import ``db``."""

    @property
    def sessions(self) -> Callable[[], Session]: ...


class StoreError(Exception):
    """The store refused the work; nothing was written. ``detail`` is the database's text."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


class StoreBusy(StoreError):
    """Another writer held the store's lock longer than the caller was willing to wait."""

    def __init__(self, wait: float, detail: str) -> None:
        super().__init__(
            f"the store stayed locked by another import or an export for more than {wait:g} s",
            detail,
        )
        self.wait = wait


class StoreUnreachable(StoreError):
    """The database could not be reached (down, wrong address, file not openable)."""

    def __init__(self, detail: str) -> None:
        super().__init__("the database could not be reached", detail)


def advisory_lock(connection: Connection, name: str, *, transaction: bool) -> None:
    """Take this store's PostgreSQL advisory lock ``name`` (waits; see ``lock_timeout``).

    ``transaction``: released at commit/rollback; otherwise held until :func:`advisory_unlock`
    or the end of the connection.
    """
    function = "pg_advisory_xact_lock" if transaction else "pg_advisory_lock"
    connection.execute(
        text(f"SELECT {function}(:namespace, {_PG_KEY})"), {"namespace": _NAMESPACE, "name": name}
    )


def advisory_unlock(connection: Connection, name: str) -> None:
    """Release a lock taken with ``advisory_lock(..., transaction=False)``."""
    connection.execute(
        text(f"SELECT pg_advisory_unlock(:namespace, {_PG_KEY})"),
        {"namespace": _NAMESPACE, "name": name},
    )


# Per store engine, an engine on the same database that pools nothing (see held_lock).
_LOCK_ENGINES: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()
_LOCK_ENGINES_GUARD = threading.Lock()


def _unpooled(engine: Engine) -> Engine:
    with _LOCK_ENGINES_GUARD:
        found = _LOCK_ENGINES.get(engine)
        if found is None:
            found = _LOCK_ENGINES[engine] = create_engine(engine.url, poolclass=NullPool)
        return found


@contextmanager
def held_lock(engine: Engine, name: str) -> Iterator[None]:
    """Hold the store's lock ``name`` against other processes until the block ends; waits for
    it as long as another process holds it (the caller keeps its own threads in turn).

    For work that talks to another service while it holds the lock (minutes, perhaps), so no
    transaction stays open:

    - **PostgreSQL**: a session advisory lock on a connection of its own, outside the pool
      (the block's own work needs the pooled ones); ``lock_timeout`` is off for it. A process
      that dies loses its connection, and with it the lock.
    - **SQLite** (one host): ``flock`` on a file beside the database,
      ``<database>.<name>.lock``; the system releases it when the process ends.
    - An in-memory SQLite store (one process) has nothing to lock.
    """
    dialect = engine.dialect.name
    database = engine.url.database
    if dialect == "postgresql":
        with _unpooled(engine).connect() as connection:
            connection.execute(text("SELECT set_config('lock_timeout', '0', false)"))
            advisory_lock(connection, name, transaction=False)
            connection.commit()
            try:
                yield
            finally:
                try:
                    advisory_unlock(connection, name)
                    connection.commit()
                except SQLAlchemyError:
                    connection.invalidate()  # closing the session releases the lock too
    elif dialect == "sqlite" and database and database != ":memory:" and sys.platform != "win32":
        import fcntl  # here: POSIX only

        with open(f"{database}.{name}.lock", "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    else:
        yield


@contextmanager
def exclusive_session(store: SessionSource, name: str, *, wait: float) -> Iterator[Session]:
    """A session in one transaction that holds the store's lock ``name`` until it ends.

    Committed when the block ends normally, rolled back on any error (which propagates).
    At most ``wait`` seconds are spent waiting for the lock (on PostgreSQL also for any other
    lock the transaction needs later); past that the database raises, and :func:`store_error`
    turns it into :class:`StoreBusy`. On SQLite every writer takes turns, whatever ``name``.
    """
    with store.sessions() as session, session.begin():
        # On SQLite this connection begins with BEGIN IMMEDIATE (see db.make_engine).
        connection = session.connection(execution_options={SQLITE_WRITE_LOCK: wait})
        if connection.dialect.name == "postgresql":
            milliseconds = max(1, round(wait * 1000))  # 0 would mean "wait for ever"
            connection.execute(
                text("SELECT set_config('lock_timeout', :value, true)"),
                {"value": f"{milliseconds}ms"},
            )
            advisory_lock(connection, name, transaction=True)
        yield session


def lock_table_for_writes(session: Session, table: str) -> None:
    """Keep every other transaction from writing ``table`` until this one ends; reads go on.

    PostgreSQL: ``LOCK TABLE … IN EXCLUSIVE MODE`` (bounded by the session's ``lock_timeout``).
    SQLite: nothing to do, the transaction already holds the database's one write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        quoted = session.get_bind().dialect.identifier_preparer.quote(table)
        session.execute(text(f"LOCK TABLE {quoted} IN EXCLUSIVE MODE"))


def _sqlstate(exc: SQLAlchemyError) -> str | None:
    state = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return state if isinstance(state, str) else None


def _sqlite_code(exc: SQLAlchemyError) -> int | None:
    code = getattr(getattr(exc, "orig", None), "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # the primary code


def is_transient(exc: SQLAlchemyError) -> bool:
    """Whether running the same transaction again may well succeed (PostgreSQL only).

    On SQLite the write lock is taken before the first read, so a unique-key error there is
    the document's or the store's own and would only happen again.
    """
    return _sqlstate(exc) in _PG_TRANSIENT


def store_error(exc: SQLAlchemyError, wait: float) -> StoreError:
    """The database's exception in the caller's terms: busy, unreachable or refused."""
    detail = describe(exc)
    if _sqlstate(exc) in _PG_BUSY or _sqlite_code(exc) in _SQLITE_BUSY:
        return StoreBusy(wait, detail)
    if _unreachable(exc):
        return StoreUnreachable(detail)
    return StoreError("the database refused to store the document", detail)


def _unreachable(exc: SQLAlchemyError) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if _sqlite_code(exc) in _SQLITE_GONE:
        return True
    state = _sqlstate(exc)
    if state is None:
        import psycopg  # here: SQLite stores need not load the driver

        # psycopg reports a failed connection attempt without a SQLSTATE.
        return isinstance(getattr(exc, "orig", None), psycopg.OperationalError)
    return state.startswith("08") or state in _PG_GONE


def describe(exc: BaseException) -> str:
    """The database's own message, on one line (for the event log, not for the user)."""
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split()) or type(orig).__name__
