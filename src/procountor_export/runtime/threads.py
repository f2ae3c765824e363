"""The two ways sending uses threads, written once: fan-out over items, and chunk overlap.

Both draw their threads from one pool kept for the life of the process, instead of starting
and ending threads for every chunk of every slice: a run of 20,000 invoices would otherwise
start thousands of threads, and the C allocator keeps memory for each thread it has seen (its
arena, its cached stack), so the process's memory would grow with the size of the run.

The calling thread always does its share of the work, and a helper that has not started by
the time the caller runs out of work is called off: a fan-out nested in another (companies,
then each company's products) therefore never waits on a pool that is busy with its caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Chunk = TypeVar("Chunk")
Done = TypeVar("Done")

# Threads of the process's pool: enough for the companies of a run at once (16) each with a
# few sending threads; a thread is only started when a task finds none idle.
POOL_THREADS = 64
_pool: ThreadPoolExecutor | None = None
_END = object()  # what a drained fan-out's iterator answers
_pool_lock = threading.Lock()


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(POOL_THREADS, thread_name_prefix="export")
        return _pool


def fan_out(items: Sequence[Item], step: Callable[[Item], None], workers: int) -> None:
    """Run ``step`` on every item, on ``workers`` threads (the caller's included).

    Requests to Procountor wait on the network far longer than on us, so a few threads keep
    the shared rate limit busy. The first error raised by a step is raised here, after every
    step has ended.
    """
    if workers <= 1 or len(items) < 2:
        for item in items:
            step(item)
        return
    pending = iter(items)
    lock = threading.Lock()
    errors: list[BaseException] = []

    def drain() -> None:
        while True:
            with lock:
                item = next(pending, _END)
            if item is _END:
                return
            try:
                step(item)  # type: ignore[arg-type]
            except BaseException as error:  # every step runs; the first error is raised
                with lock:
                    errors.append(error)

    pool = _shared_pool()
    helpers = [pool.submit(drain) for _ in range(min(workers, len(items)) - 1)]
    drain()
    for helper in helpers:
        if not helper.cancel():  # a helper still queued has nothing left to do
            helper.result()
    if errors:
        raise errors[0]


def overlapped(
    chunks: Iterable[Chunk], first: Callable[[Chunk], Done], then: Callable[[Done], None]
) -> None:
    """``first`` on each chunk in turn; ``then`` on its result, one chunk behind, in the
    background: while chunk N's ``then`` runs, chunk N+1's ``first`` already does.

    At most one chunk is behind, and its errors surface before the next one is handed over,
    so the rate limit is not left idle at every chunk boundary and nothing runs away.

    When ``first`` raises, the chunk behind is called off if it has not started, else waited
    for (its own error dropped: the first one is raised): nothing of the chunks goes on after
    this returns or raises, so the caller may then deal with what was left undone (the sender
    fails the rest of a stopped run's invoices) without a chunk still reporting its invoices.
    """
    pool = _shared_pool()
    behind: tuple[Future[None], Done] | None = None
    for chunk in chunks:
        try:
            done = first(chunk)
        except BaseException:
            if behind is not None:
                _call_off(behind[0])
            raise
        if behind is not None:
            _settle(*behind, then)
        behind = (pool.submit(then, done), done)
    if behind is not None:
        _settle(*behind, then)


def _call_off(future: Future[None]) -> None:
    """Cancel the chunk behind, or wait for it to end if it runs; its error is not raised."""
    if not future.cancel():
        future.exception()  # waits; the caller raises the error that came first


def _settle(future: Future[None], done: Done, then: Callable[[Done], None]) -> None:
    """Wait for the chunk behind; if no pool thread has taken it up yet, do it here."""
    if future.cancel():
        then(done)
    else:
        future.result()
