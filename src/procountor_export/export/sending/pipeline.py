"""The two ways sending uses threads, written once: fan-out over items, and chunk overlap."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Chunk = TypeVar("Chunk")
Done = TypeVar("Done")


def fan_out(items: Sequence[Item], step: Callable[[Item], None], workers: int) -> None:
    """Run ``step`` on every item, on ``workers`` threads when there are several.

    Requests to Procountor wait on the network far longer than on us, so a few threads keep
    the shared rate limit busy. The first error raised by a step is raised here, after every
    step has ended.
    """
    if workers <= 1 or len(items) < 2:
        for item in items:
            step(item)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="export") as pool:
        for future in [pool.submit(step, item) for item in items]:
            future.result()


def overlapped(
    chunks: Iterable[Chunk], first: Callable[[Chunk], Done], then: Callable[[Done], None]
) -> None:
    """``first`` on each chunk in turn; ``then`` on its result, one chunk behind, in the
    background: while chunk N's ``then`` runs, chunk N+1's ``first`` already does.

    At most one chunk is behind, and its errors surface before the next one is handed over,
    so the rate limit is not left idle at every chunk boundary and nothing runs away.
    """
    with ThreadPoolExecutor(1, thread_name_prefix="then") as background:
        behind: Future[None] | None = None
        for chunk in chunks:
            done = first(chunk)
            if behind is not None:
                behind.result()
            behind = background.submit(then, done)
        if behind is not None:
            behind.result()
