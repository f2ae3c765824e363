"""Client-side pacing: at most ``rate`` requests per second per Procountor client id.

Procountor's limit is per API client (client id), shared by every company and every worker
using it, and exceeding it "may result in suspending the service". Every limiter here spaces
requests at least ``1 / rate`` seconds apart (no bursts), so any window of one second holds at
most ``rate`` requests:

- :class:`LocalRateLimiter` — threads of one process; :func:`shared_limiter` hands out one per
  client id so all clients of a process share it.
- :class:`RedisRateLimiter` — several processes or hosts; one Lua script on the Redis server's
  clock reserves the next slot atomically.
- :class:`PostgresRateLimiter` — the same on PostgreSQL: a row per client id in the table
  ``procountor_rate_limit``, locked with ``SELECT … FOR UPDATE`` while the slot is taken. The
  table belongs to the schema (``procountor-export init`` creates it by a migration); this
  package imports nothing from the store, so the limiter only expects it.

:func:`limiter_from_url` picks one from a setting such as ``PROCOUNTOR_LIMITER_URL``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "LimiterTableMissing",
    "LocalRateLimiter",
    "PostgresRateLimiter",
    "RateLimiter",
    "RedisRateLimiter",
    "limiter_from_url",
    "shared_limiter",
]

DEFAULT_RATE = 15.0


@runtime_checkable
class RateLimiter(Protocol):
    """Something that blocks until the next request may go."""

    def acquire(self) -> None:
        """Return when a request may be sent now."""


def _interval(rate: float) -> float:
    if rate <= 0:
        raise ValueError("rate must be positive")
    return 1.0 / rate


class LocalRateLimiter:
    """Spaces requests of one process at least ``1 / rate`` seconds apart (thread-safe)."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = _interval(rate)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = float("-inf")

    @property
    def rate(self) -> float:
        """Requests per second."""
        return 1.0 / self._interval

    @rate.setter
    def rate(self, value: float) -> None:
        with self._lock:
            self._interval = _interval(value)

    def __repr__(self) -> str:
        return f"LocalRateLimiter(rate={self.rate:g})"

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                if now >= self._next:
                    # The next slot counts from the moment this one is granted, so a
                    # late sleeper can never squeeze two requests closer than the interval.
                    self._next = now + self._interval
                    return
                wait = self._next - now
            self._sleep(wait)


_shared: dict[str, LocalRateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(client_id: str, rate: float = DEFAULT_RATE) -> LocalRateLimiter:
    """The process-wide limiter of ``client_id``; a later call with another rate changes it."""
    with _shared_lock:
        limiter = _shared.get(client_id)
        if limiter is None:
            limiter = _shared[client_id] = LocalRateLimiter(rate)
        elif limiter.rate != rate:
            limiter.rate = rate
        return limiter


# Reserve the next slot on the server's clock. Returns 0 when the caller may go now,
# else the microseconds to wait before asking again. The key expires when idle.
_REDIS_SCRIPT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local interval = tonumber(ARGV[1])
local next_slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if now >= next_slot then
  -- %.0f: tostring() would print 16-digit numbers in exponent form and lose digits.
  redis.call('SET', KEYS[1], string.format('%.0f', now + interval),
             'PX', math.ceil(interval / 1000) + 60000)
  return 0
end
return math.max(1, next_slot - now)
"""


class RedisRateLimiter:
    """A limiter shared through Redis by every process using the same ``client_id``."""

    def __init__(
        self,
        url: str,
        client_id: str,
        rate: float = DEFAULT_RATE,
        *,
        key_prefix: str = "procountor:pacing:",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import redis

        self._interval_us = round(_interval(rate) * 1_000_000)
        self.rate = rate
        self._key = f"{key_prefix}{client_id}"
        self._sleep = sleep
        self._redis: Any = redis.Redis.from_url(url)
        self._script: Any = self._redis.register_script(_REDIS_SCRIPT)

    def __repr__(self) -> str:
        return f"RedisRateLimiter(key={self._key!r}, rate={self.rate:g})"

    def acquire(self) -> None:
        while True:
            wait_us = int(self._script(keys=[self._key], args=[self._interval_us]))
            if wait_us <= 0:
                return
            self._sleep(wait_us / 1_000_000)

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()


_PG_TABLE = "procountor_rate_limit"


class LimiterTableMissing(RuntimeError):
    """The limiter's PostgreSQL database lacks its table: ``procountor-export init`` creates it."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"the PostgreSQL database at {url} has no table {_PG_TABLE}: run "
            "`procountor-export init` on it (its migration 0003 creates the table; for a "
            "database other than the store's, with PROCOUNTOR_EXPORT_DATABASE_URL set to it)"
        )


def _hide_password(url: str) -> str:
    """``scheme://user:***@host/db`` for messages."""
    scheme, sep, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{credentials}{at}{place}"


def _psycopg_url(url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy style) → ``postgresql://…`` for psycopg."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


class PostgresRateLimiter:
    """A limiter shared through PostgreSQL by every process using the same ``client_id``.

    Each acquire locks the client's row, reads the server clock, and either takes the slot
    (moving it one interval on) or learns how long to wait. The table ``procountor_rate_limit``
    must exist (``procountor-export init`` creates it); without it :class:`LimiterTableMissing`
    is raised here, before any request.
    """

    def __init__(
        self,
        url: str,
        client_id: str,
        rate: float = DEFAULT_RATE,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import psycopg

        self._interval = _interval(rate)
        self.rate = rate
        self.client_id = client_id
        self._sleep = sleep
        self._lock = threading.Lock()
        self._conn: Any = psycopg.connect(_psycopg_url(url), autocommit=True)
        try:
            self._conn.execute(
                f"INSERT INTO {_PG_TABLE} (client_id, next_slot) VALUES (%s, 0) "
                "ON CONFLICT (client_id) DO NOTHING",
                (client_id,),
            )
        except psycopg.errors.UndefinedTable:
            self._conn.close()
            raise LimiterTableMissing(_hide_password(url)) from None
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresRateLimiter(client_id={self.client_id!r}, rate={self.rate:g})"

    def acquire(self) -> None:
        while True:
            wait = self._try_take()
            if wait <= 0:
                return
            self._sleep(wait)

    def _try_take(self) -> float:
        # One connection per limiter; threads take turns on it.
        with self._lock, self._conn.transaction():
            row = self._conn.execute(
                f"SELECT next_slot FROM {_PG_TABLE} WHERE client_id = %s FOR UPDATE",
                (self.client_id,),
            ).fetchone()
            # Read the clock only once the row lock is held, so the slot is timed from the
            # moment it is really granted.
            now = self._conn.execute(
                "SELECT extract(epoch FROM clock_timestamp())::float8"
            ).fetchone()[0]
            now = float(now)
            next_slot = float(row[0])
            if now >= next_slot:
                self._conn.execute(
                    f"UPDATE {_PG_TABLE} SET next_slot = %s WHERE client_id = %s",
                    (now + self._interval, self.client_id),
                )
                return 0.0
            return next_slot - now

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()


def limiter_from_url(url: str | None, client_id: str, rate: float = DEFAULT_RATE) -> RateLimiter:
    """The limiter a setting names: none → process-wide, ``redis://`` or ``postgresql://``."""
    if not url:
        return shared_limiter(client_id, rate)
    scheme = url.split("://", 1)[0].lower()
    if scheme in {"redis", "rediss", "unix"}:
        return RedisRateLimiter(url, client_id, rate)
    if scheme.split("+", 1)[0] in {"postgresql", "postgres"}:
        return PostgresRateLimiter(url, client_id, rate)
    raise ValueError(f"unsupported limiter URL scheme {scheme!r} (use redis:// or postgresql://)")
