"""The two thread shapes of sending: fan-out over items, and chunks overlapping by one."""

from __future__ import annotations

import threading
import time

import pytest

from procountor_export.runtime import threads
from procountor_export.runtime.threads import fan_out, overlapped


def test_fan_out_runs_every_item_and_raises_the_first_error_after_all_ran() -> None:
    seen: list[int] = []
    lock = threading.Lock()

    def step(item: int) -> None:
        with lock:
            seen.append(item)
        if item == 3:
            raise ValueError("three")

    with pytest.raises(ValueError, match="three"):
        fan_out(list(range(8)), step, workers=4)
    assert sorted(seen) == list(range(8))


def test_a_chunk_is_completed_while_the_next_one_is_created() -> None:
    events: list[str] = []
    lock = threading.Lock()

    def log(text: str) -> None:
        with lock:
            events.append(text)

    def create(chunk: int) -> int:
        log(f"create {chunk}")
        return chunk

    def complete(chunk: int) -> None:
        log(f"complete {chunk} start")
        time.sleep(0.05)  # long enough for the next chunk's creation to start meanwhile
        log(f"complete {chunk} end")

    overlapped([1, 2, 3], create, complete)
    assert events.index("create 2") < events.index("complete 1 end")
    # Never more than one chunk behind: chunk 1 is complete before chunk 3 is created.
    assert events.index("complete 1 end") < events.index("create 3")
    assert events[-1] == "complete 3 end"


def test_an_error_while_completing_stops_the_overlap() -> None:
    created: list[int] = []

    def create(chunk: int) -> int:
        created.append(chunk)
        return chunk

    def complete(chunk: int) -> None:
        if chunk == 1:
            raise RuntimeError("chunk 1 failed")

    with pytest.raises(RuntimeError, match="chunk 1 failed"):
        overlapped([1, 2, 3, 4], create, complete)
    assert created == [1, 2]  # nothing ran away past the failure


def test_threads_are_reused_from_chunk_to_chunk() -> None:
    """A long run fans out hundreds of times; it must not start hundreds of threads (each one
    leaves memory behind in the C allocator)."""
    idents: set[int] = set()
    lock = threading.Lock()

    def step(item: int) -> None:
        with lock:
            idents.add(threading.get_ident())
        time.sleep(0.001)

    for _ in range(200):
        fan_out(list(range(8)), step, workers=4)
        overlapped([1, 2], lambda chunk: chunk, step)
    assert len(idents) <= threads.POOL_THREADS + 1  # the pool's, and the caller's


def test_nested_fan_outs_finish_when_the_pool_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Companies fan out, and each company's products fan out again: with every pool thread
    busy, the callers do the work themselves instead of waiting for a free thread."""
    monkeypatch.setattr(threads, "POOL_THREADS", 2)
    monkeypatch.setattr(threads, "_pool", None)
    done: list[tuple[int, int]] = []
    lock = threading.Lock()

    def company(outer: int) -> None:
        def product(inner: int) -> None:
            time.sleep(0.002)
            with lock:
                done.append((outer, inner))

        fan_out(list(range(6)), product, workers=4)
        overlapped([1, 2, 3], lambda chunk: chunk, lambda chunk: None)

    finished = threading.Event()

    def run() -> None:
        fan_out(list(range(6)), company, workers=6)
        finished.set()

    threading.Thread(target=run, daemon=True).start()
    assert finished.wait(20), "nested fan-outs waited on a full pool"
    assert sorted(done) == [(o, i) for o in range(6) for i in range(6)]
    threads._shared_pool().shutdown(wait=False)
