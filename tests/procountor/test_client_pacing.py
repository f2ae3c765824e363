"""Pacing: never more than ``rate`` requests in any second, across threads and processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from procountor_export.procountor import (
    LocalRateLimiter,
    PostgresRateLimiter,
    ProcountorClient,
    RateLimiter,
    RedisRateLimiter,
    limiter_from_url,
    shared_limiter,
)
from procountor_export.procountor.pacing import LimiterTableMissing

REDIS_URL = os.environ.get("PROCOUNTOR_EXPORT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_SERVICES = os.environ.get("PROCOUNTOR_EXPORT_REQUIRE_SERVICES") == "1"
# Threads stamp the time just after acquire() returns; allow for that scheduling delay.
SLACK = 0.02


def max_in_window(stamps: list[float], window: float = 1.0) -> int:
    """The most stamps that fall within any half-open window of ``window`` seconds."""
    ordered = sorted(stamps)
    best = 0
    start = 0
    for end, stamp in enumerate(ordered):
        while stamp - ordered[start] >= window - SLACK:
            start += 1
        best = max(best, end - start + 1)
    return best


def hammer(limiter: RateLimiter, threads: int, each: int) -> list[float]:
    """``threads`` threads acquiring ``each`` times at once; their wall-clock stamps."""
    stamps: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        barrier.wait()
        for _ in range(each):
            limiter.acquire()
            now = time.time()
            with lock:
                stamps.append(now)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return stamps


def test_spacing_with_a_fake_clock() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = LocalRateLimiter(4, clock=lambda: now[0], sleep=sleep)
    granted = []
    for _ in range(5):
        limiter.acquire()
        granted.append(now[0])
    assert granted == [100.0, 100.25, 100.5, 100.75, 101.0]
    assert waits == [0.25, 0.25, 0.25, 0.25]


def test_local_limiter_never_exceeds_its_rate_under_many_threads() -> None:
    # On the real clock only what a loaded machine cannot break: a slow machine grants later,
    # never closer together. That the limiter does not starve is shown on a virtual clock below.
    rate = 40
    stamps = hammer(LocalRateLimiter(rate), threads=24, each=3)  # 72 requests ≈ 1.8 s
    assert len(stamps) == 72
    assert max_in_window(stamps) <= rate


class VirtualClock:
    """A clock shared by threads on which a sleep moves time to when the sleeper asked to wake.

    Each thread remembers the time it last read; ``sleep(wait)`` then sets the clock to at least
    that reading plus ``wait``. Time so moves only as far as the limiter makes someone wait, and
    a run's length on it is exactly what the limiter imposed, whatever the machine's load.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self._lock = threading.Lock()
        self._read = threading.local()

    def clock(self) -> float:
        with self._lock:
            self._read.value = self.now
            return self.now

    def sleep(self, wait: float) -> None:
        with self._lock:
            self.now = max(self.now, self._read.value + wait)
        time.sleep(0)  # let the other threads run, as a real sleep would

    def last_read(self) -> float:
        """The time this thread last read: for a limiter's caller, the moment it was granted."""
        return float(self._read.value)


def test_local_limiter_does_not_starve_many_threads() -> None:
    rate = 40
    virtual = VirtualClock()
    limiter = LocalRateLimiter(rate, clock=virtual.clock, sleep=virtual.sleep)
    granted: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(24)

    def work() -> None:
        barrier.wait()
        for _ in range(3):
            limiter.acquire()
            with lock:
                granted.append(virtual.last_read())

    workers = [threading.Thread(target=work) for _ in range(24)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    granted.sort()
    assert len(granted) == 72
    # One grant per interval, none skipped: the whole run takes exactly (n - 1) / rate.
    assert granted == pytest.approx([n / rate for n in range(72)])


def test_no_burst_after_an_idle_period() -> None:
    limiter = LocalRateLimiter(20)
    limiter.acquire()
    time.sleep(0.3)
    stamps = hammer(limiter, threads=10, each=1)
    gaps = [b - a for a, b in zip(sorted(stamps), sorted(stamps)[1:], strict=False)]
    assert min(gaps) >= 1 / 20 - SLACK


def test_shared_limiter_is_one_per_client_id() -> None:
    first = shared_limiter("client-a", 15)
    assert shared_limiter("client-a", 15) is first
    assert shared_limiter("client-b", 15) is not first
    assert shared_limiter("client-a", 10) is first
    assert first.rate == 10


def test_clients_default_to_the_shared_limiter_of_their_client_id() -> None:
    one = ProcountorClient(
        base_url="http://x/api", client_id="cid-1", client_secret="s", api_key="k"
    )
    two = ProcountorClient(
        base_url="http://x/api", client_id="cid-1", client_secret="s", api_key="k2"
    )
    try:
        assert one.limiter is two.limiter
        assert one.limiter is shared_limiter("cid-1")
    finally:
        one.close()
        two.close()


def test_every_request_acquires_the_limiter_including_token_calls(
    client: ProcountorClient, fake: Any, limiter: Any
) -> None:
    client.company.get()
    assert limiter.count == 2  # token + call
    fake.add(fake.json({}, 401), fake.json({}))
    client.company.get()
    assert limiter.count == 5  # call (401) + new token + resend


def test_limiter_from_url_picks_the_backend() -> None:
    assert isinstance(limiter_from_url(None, "cid-x", 5), LocalRateLimiter)
    with pytest.raises(ValueError, match="scheme"):
        limiter_from_url("ftp://x", "cid-x", 5)


# --- shared backends against the real servers ---------------------------------------------


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        _unavailable(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def client_id() -> str:
    """A client id nobody else uses, so runs do not share a budget."""
    return f"test-{uuid.uuid4().hex[:10]}"


# Each worker process runs this: two threads acquiring five times each, stamps on stdout.
WORKER = """
import json, sys, threading, time
from procountor_export.procountor import PostgresRateLimiter, RedisRateLimiter
kind, url, client_id, rate, start_at = sys.argv[1:]
backend = RedisRateLimiter if kind == "redis" else PostgresRateLimiter
limiter = backend(url, client_id, float(rate))
stamps = []
def work():
    for _ in range(5):
        limiter.acquire()
        stamps.append(time.time())
threads = [threading.Thread(target=work) for _ in range(2)]
time.sleep(max(0.0, float(start_at) - time.time()))
for t in threads: t.start()
for t in threads: t.join()
limiter.close()
print(json.dumps(stamps))
"""


def _across_processes(kind: str, url: str, client_id: str, rate: float) -> list[float]:
    """Three processes share one budget; they start together once all have imported."""
    start_at = str(time.time() + 3.0)
    args = [kind, url, client_id, str(rate), start_at]
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER, *args], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    stamps: list[float] = []
    for process in processes:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        stamps.extend(json.loads(out))
    return stamps


def test_redis_limiter_is_shared_across_processes(redis_url: str, client_id: str) -> None:
    rate = 15
    stamps = _across_processes("redis", redis_url, client_id, rate)
    assert len(stamps) == 30  # 3 processes x 2 threads x 5
    assert max_in_window(stamps) <= rate
    assert max(stamps) - min(stamps) >= (30 - 1) / rate - SLACK


@pytest.fixture
def limiter_url(postgres_schema_url: str) -> str:
    """A fresh PostgreSQL schema prepared as ``procountor-export init`` prepares a database."""
    from procountor_export.store.db import make_engine, migrate

    engine = make_engine(postgres_schema_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    return postgres_schema_url


def test_postgres_limiter_needs_the_table_init_creates(postgres_schema_url: str) -> None:
    with pytest.raises(LimiterTableMissing, match=r"procountor_rate_limit.*procountor-export init"):
        PostgresRateLimiter(postgres_schema_url, "cid-x", 5)


def test_postgres_limiter_is_shared_across_processes(limiter_url: str, client_id: str) -> None:
    rate = 15
    stamps = _across_processes("postgres", limiter_url, client_id, rate)
    assert len(stamps) == 30
    assert max_in_window(stamps) <= rate
    assert max(stamps) - min(stamps) >= (30 - 1) / rate - SLACK


def test_limiter_from_url_builds_shared_backends(
    redis_url: str, limiter_url: str, client_id: str
) -> None:
    made: list[Callable[[], None]] = []
    redis_limiter = limiter_from_url(redis_url, client_id, 50)
    pg_limiter = limiter_from_url(limiter_url, client_id, 50)
    assert isinstance(redis_limiter, RedisRateLimiter)
    assert isinstance(pg_limiter, PostgresRateLimiter)
    for limiter in (redis_limiter, pg_limiter):
        limiter.acquire()
        limiter.acquire()
        made.append(limiter.close)
    for close in made:
        close()
