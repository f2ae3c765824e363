"""Per-client-id rate limiting: a token bucket refilled at ``rate`` requests per second.

Procountor documents "20 requests/second per client" and says excess "may result in
suspending the service"; the answer itself is undocumented. Mode ``429`` rejects only the
excess request (with ``Retry-After``); mode ``suspend`` rejects every request of that client
for ``suspend_seconds`` after an excess.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    updated: float
    suspended_until: float = 0.0


@dataclass
class RateLimiter:
    """Decides whether a client may make one more request now."""

    rate: float | None
    mode: str = "429"
    suspend_seconds: float = 10.0
    clock: Callable[[], float] = time.monotonic
    violations: Counter[str] = field(default_factory=Counter)
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.rate and self.rate > 0)

    def check(self, client_id: str) -> float | None:
        """Take one token for ``client_id``; ``None`` if allowed, else seconds to wait."""
        if not self.rate or self.rate <= 0:
            return None
        now = self.clock()
        capacity = max(self.rate, 1.0)
        bucket = self._buckets.setdefault(client_id, _Bucket(tokens=capacity, updated=now))
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if now < bucket.suspended_until:
            self.violations[client_id] += 1
            return bucket.suspended_until - now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        self.violations[client_id] += 1
        if self.mode == "suspend":
            bucket.suspended_until = now + self.suspend_seconds
            return self.suspend_seconds
        return (1 - bucket.tokens) / self.rate

    @staticmethod
    def retry_after_header(wait: float) -> str:
        """``Retry-After`` is whole seconds; never 0 so a client does back off."""
        return str(max(1, math.ceil(wait)))

    def reset(self) -> None:
        self._buckets.clear()
        self.violations.clear()
