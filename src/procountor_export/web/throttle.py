"""Failed logins slowed down: a password cannot be guessed at the speed of the network.

Failures are counted per client address and user name, and per client address alone (one
address trying many names). Past a limit within a window, further attempts from there are
refused until the oldest failure leaves the window, whatever the password. Counts live in the
serving process (one ``serve`` per deployment); a restart forgets them, as it would a lock-out
of a few minutes.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

PER_USER = 5  # failures from one address for one user name within the window
PER_ADDRESS = 20  # failures from one address, any user names
WINDOW = 15 * 60.0  # seconds
MAX_KEYS = 10_000  # addresses and names remembered at most (the oldest forgotten first)


class LoginThrottle:
    """Counts failed logins; :meth:`wait` says how long an address must wait before trying."""

    def __init__(
        self,
        *,
        per_user: int = PER_USER,
        per_address: int = PER_ADDRESS,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = {"user": per_user, "address": per_address}
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, ...], deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, address: str, name: str) -> float:
        """Seconds before ``address`` may try ``name`` again; 0 when it may now."""
        now = self.clock()
        longest = 0.0
        with self._lock:
            for key, limit in self._keys(address, name):
                times = self._recent(key, now, keep=False)
                if len(times) >= limit:
                    longest = max(longest, times[-limit] + self.window - now)
        return longest

    def failed(self, address: str, name: str) -> None:
        """A wrong user name or password from ``address``."""
        now = self.clock()
        with self._lock:
            for key, _ in self._keys(address, name):
                self._recent(key, now).append(now)
            while len(self._failures) > MAX_KEYS:
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, address: str, name: str) -> None:
        """The right password: that user's failures from there are forgotten."""
        with self._lock:
            self._failures.pop(("user", address, name), None)

    def _keys(self, address: str, name: str) -> list[tuple[tuple[str, ...], int]]:
        return [
            (("user", address, name), self.limits["user"]),
            (("address", address), self.limits["address"]),
        ]

    def _recent(self, key: tuple[str, ...], now: float, *, keep: bool = True) -> deque[float]:
        """The key's failures within the window; ``keep=False`` remembers no new key."""
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if keep:
            self._failures[key] = times
        elif not times:
            self._failures.pop(key, None)
        return times


def minutes(seconds: float) -> str:
    """Whole minutes to wait, at least one, in words: "1 minute", "15 minutes"."""
    count = max(1, math.ceil(seconds / 60))
    return f"{count} minute{'' if count == 1 else 's'}"
