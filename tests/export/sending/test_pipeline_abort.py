"""A stopped run's chunks: nothing of them goes on once the overlap has raised.

The sender fails what is left of a stopped run's invoices after the overlap raised; a chunk
still being completed in the background would then report its invoices a second time (issue
21: a run of 40 invoices counted 44 failed).
"""

from __future__ import annotations

import threading

import pytest

from procountor_export.runtime.threads import overlapped


class Stop(Exception):
    """What stops the run while chunk 2 is created."""


def test_an_error_creating_a_chunk_waits_for_the_chunk_behind_and_is_the_one_raised() -> None:
    events: list[str] = []
    lock = threading.Lock()
    completing = threading.Event()

    def log(text: str) -> None:
        with lock:
            events.append(text)

    def create(chunk: int) -> int:
        if chunk == 2:
            assert completing.wait(10)  # chunk 1 is being completed in the background
            raise Stop("stopped while creating chunk 2")
        return chunk

    def complete(chunk: int) -> None:
        completing.set()
        log(f"complete {chunk} start")
        threading.Event().wait(0.2)  # still going when chunk 2's creation fails
        log(f"complete {chunk} end")
        raise ValueError("the chunk behind failed too")

    with pytest.raises(Stop):
        overlapped([1, 2, 3], create, complete)
    log("overlap raised")
    assert events == ["complete 1 start", "complete 1 end", "overlap raised"]


def test_an_error_creating_the_first_chunk_completes_nothing() -> None:
    completed: list[int] = []

    def create(chunk: int) -> int:
        raise Stop(f"stopped at chunk {chunk}")

    with pytest.raises(Stop, match="chunk 1"):
        overlapped([1, 2], create, completed.append)
    assert completed == []
