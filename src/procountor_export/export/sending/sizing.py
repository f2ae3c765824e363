"""How many invoices go into the sender's next chunk: few at first, then as many as the run
sends in a couple of seconds, never more than one batched read takes.

Why chunks at all: a chunk's ledger receipts (and, when approving, its statuses) are read in
one batched call, so a warm invoice costs its POST and a share of one read (issue 12). Why not
always the biggest chunk: an invoice counts as exported only once its chunk is completed, so a
chunk's length is how long a run's counts stand still (issue 21: 200 invoices at 18 requests/s
left the counts at 0 for 11 s). The sizer trades the two: the first chunk is one invoice per
sending thread (the first invoices show up at once), each next one at most twice the last and
about what the observed pace sends in ``seconds`` (so the counts move every ``seconds`` or so),
capped at ``maximum``. At the client's pace of 18 requests/s and the default 3 s, a chunk
holds about 54 invoices: one read per 54 invoices instead of per 200 (warm: about 1.04 calls
per invoice instead of 1.02, see docs/benchmarks.md).
"""

from __future__ import annotations

import math
import threading

__all__ = ["ChunkSizer"]


class ChunkSizer:
    """The size of each next chunk, from how fast the chunks before it went (thread-safe).

    ``maximum`` caps every chunk (the most ids one batched read takes, or the run's
    ``chunk_size``); ``first`` is the first chunk's size (the sending threads, so each has an
    invoice); ``seconds`` is how long a chunk should take to go through (0: every chunk is
    ``maximum``).
    """

    def __init__(self, maximum: int, *, first: int, seconds: float) -> None:
        self.maximum = max(1, maximum)
        self.floor = max(1, min(first, self.maximum))
        self.seconds = seconds
        # No time to aim at (0): every chunk as big as allowed, the reads' economy first.
        self._size = self.floor if seconds > 0 else self.maximum
        self._lock = threading.Lock()

    def size(self) -> int:
        """The next chunk's size."""
        with self._lock:
            return self._size

    def observed(self, invoices: int, elapsed: float) -> None:
        """A chunk of ``invoices`` took ``elapsed`` seconds: size the next one by that pace.

        The next chunk is what that pace sends in :attr:`seconds`, but never more than twice
        the last (a first chunk is sent faster than the pace the run settles at: its requests
        find the rate limiter's bucket full), never fewer than the first and never more than
        :attr:`maximum`.
        """
        if invoices <= 0 or self.seconds <= 0:
            return
        with self._lock:
            # What the pace sends in ``seconds`` (no time measured: as much as allowed).
            wanted = self.maximum
            if elapsed > 0:
                wanted = min(wanted, math.floor(invoices / elapsed * self.seconds))
            grown = min(wanted, 2 * max(invoices, self._size))
            self._size = max(self.floor, min(self.maximum, grown))
