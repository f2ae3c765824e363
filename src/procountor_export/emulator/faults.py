"""Injected faults: latency, 5xx answers, "write then 500", dropped connections, timeouts
(an answer held back longer than a client waits) and bursts of 429.

All draws come from one ``random.Random`` seeded from the configuration, so a run with the same
seed and the same request sequence fails at the same requests.
"""

from __future__ import annotations

import random
from typing import Any

import httpx2

from procountor_export.emulator.seed import FaultsSeed


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class DroppedConnection(httpx2.RemoteProtocolError):
    """Raised inside the app to cut the connection after the response head.

    Under a server the connection closes mid-response; in process (TestClient) the client sees
    this transport error, just as it would see a server disconnecting.
    """


class Faults:
    """The current fault configuration and its random source."""

    def __init__(self, config: FaultsSeed | None = None):
        self.config = config or FaultsSeed()
        self.random = random.Random(self.config.random_seed)
        self._burst_left = 0  # answers 429 still to give in the current burst

    def update(self, changes: dict[str, Any]) -> None:
        """Merge ``changes`` (camelCase or snake_case keys) into the configuration."""
        merged = self.config.model_dump(by_alias=True)
        merged.update({_camel(key): value for key, value in changes.items()})
        self.config = FaultsSeed.model_validate(merged)
        if any(_camel(key) == "randomSeed" for key in changes):
            self.random = random.Random(self.config.random_seed)

    def _draw(self, share: float) -> bool:
        return share > 0 and self.random.random() < share

    def latency_seconds(self) -> float:
        return self.config.latency_ms / 1000

    def error_status(self) -> int | None:
        """The status to answer instead of handling the request, or ``None``."""
        return self.config.error_status if self._draw(self.config.error_rate) else None

    def drop(self) -> bool:
        return self._draw(self.config.drop_rate)

    def hold_back(self) -> float:
        """Seconds to hold this request's answer back after carrying it out (0: none)."""
        return self.config.timeout_seconds if self._draw(self.config.timeout_rate) else 0.0

    def too_many(self) -> bool:
        """Whether to answer this request 429: within a burst, or starting one."""
        if self._burst_left > 0:
            self._burst_left -= 1
            return True
        if self._draw(self.config.burst_429_rate):
            self._burst_left = self.config.burst_429_length - 1
            return True
        return False

    def fail_after_write(self, target: str) -> bool:
        """Whether this committed POST to ``target`` (invoices, attachments) answers 500."""
        return self._draw(self.config.fail_after_write.get(target, 0.0))

    def to_dict(self) -> dict[str, Any]:
        return self.config.model_dump(by_alias=True)
