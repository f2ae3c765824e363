"""One client id's rate budget shared fairly between the companies a process exports to.

Procountor's limit is per client id, so every company of a run draws on one limiter. Left to
themselves, threads that wait on a limiter get slots in whatever order they wake up: a company
with more threads waiting (a big one in full flight) takes most of them, and a small company
reading its master data one call at a time waits behind it. :class:`FairShare` puts a *lane*
per company in front of the shared limiter and hands out the next slot round robin between
the lanes that have a request waiting, so with K companies busy each gets about 1/K of the rate,
and a company with 10 invoices is done in seconds however big the others are.

Across processes the shared limiter (Redis or PostgreSQL) arbitrates between processes; each
process's lanes keep its own companies fair among themselves.
"""

from __future__ import annotations

import threading
from collections import deque

from procountor_export.procountor.pacing import RateLimiter

__all__ = ["FairShare", "Lane"]


class FairShare:
    """Round robin between lanes in front of one limiter (thread-safe).

    At most one waiter at a time is inside ``inner.acquire()``; the next one is chosen from the
    lane after the one served last, so no lane gets two slots while another lane waits.
    """

    def __init__(self, inner: RateLimiter) -> None:
        self.inner = inner
        self._cond = threading.Condition()
        self._waiting: dict[str, deque[object]] = {}
        self._turns: deque[str] = deque()  # lanes with a waiter, in the order they are served
        self._busy = False

    def lane(self, name: str) -> Lane:
        """The limiter one company's client uses."""
        return Lane(self, name)

    def acquire(self, lane: str) -> None:
        """Return when a request of ``lane`` may be sent now."""
        me = object()
        with self._cond:
            queue = self._waiting.setdefault(lane, deque())
            queue.append(me)
            if lane not in self._turns:
                self._turns.append(lane)
            while self._busy or self._turns[0] != lane or queue[0] is not me:
                self._cond.wait()
            self._busy = True
            queue.popleft()
            self._turns.popleft()
            if queue:
                self._turns.append(lane)  # served: to the back of the round
            else:
                del self._waiting[lane]
        try:
            self.inner.acquire()
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()


class Lane:
    """One company's way into a :class:`FairShare` (a :class:`RateLimiter`)."""

    def __init__(self, share: FairShare, name: str) -> None:
        self.share = share
        self.name = name

    def acquire(self) -> None:
        self.share.acquire(self.name)

    def __repr__(self) -> str:
        return f"Lane({self.name!r}, {self.share.inner!r})"
