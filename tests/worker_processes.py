"""Job-queue worker processes for tests: started, watched until a run ends, always stopped.

Tests import it as a top-level module (``tests/`` is on ``sys.path``, see ``conftest.py``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from procountor_export.jobs.queue import QueueJobs


def worker_env(database_url: str, key: bytes, base_url: str, **more: str) -> dict[str, str]:
    """The environment of workers sharing one store, one key and one emulator: the limiter is
    the store's PostgreSQL, so every worker spends one budget; ``more`` adds settings."""
    return {
        **os.environ,
        "PROCOUNTOR_EXPORT_DATABASE_URL": database_url,
        "PROCOUNTOR_LIMITER_URL": database_url,  # one budget for every worker
        "PROCOUNTOR_EXPORT_SECRET_KEY": key.decode(),
        "PROCOUNTOR_BASE_URL": base_url,
        **more,
    }


@contextmanager
def worker_processes(
    env: Mapping[str, str], logs: Path, *, count: int = 2, concurrency: int = 1
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` ``procountor-export worker`` processes, their output in ``logs/worker-N.log``;
    stopped (SIGTERM, then killed after 30 s) when the block ends, however it ends."""
    command = [
        sys.executable, "-m", "procountor_export", "worker", "--concurrency", str(concurrency)
    ]  # fmt: skip
    files = [(logs / f"worker-{n}.log").open("wb") for n in range(count)]
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for log in files:
            workers.append(
                subprocess.Popen(command, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
            )
        yield workers
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        for log in files:
            log.close()


def wait_for_run(
    jobs: QueueJobs,
    run_id: int,
    workers: list[subprocess.Popen[bytes]],
    *,
    timeout: float = 240,
    each: Callable[[], None] = lambda: None,
) -> None:
    """Poll until run ``run_id`` has ended, calling ``each`` every half second; fails when a
    worker stops or the run outlasts ``timeout`` seconds (a hang, not a speed bound)."""
    deadline = time.monotonic() + timeout
    while True:
        each()
        view = jobs.run(run_id)
        assert view is not None
        if view.finished_at is not None:
            return
        assert all(w.poll() is None for w in workers), "a worker stopped"
        assert time.monotonic() < deadline, "the run did not finish in time"
        time.sleep(0.5)
