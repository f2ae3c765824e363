"""Building Procountor clients for export definitions from the service settings: one process-wide
rate limiter per Procountor client id, one fair lane in it per export definition."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from threading import Lock
from typing import Protocol

import httpx2
from pydantic import SecretStr

from procountor_export.logs import log_request
from procountor_export.procountor import ProcountorClient, RequestRecord, limiter_from_url
from procountor_export.procountor.pacing import RateLimiter
from procountor_export.runtime.fairness import FairShare
from procountor_export.settings import Settings


class ExportDefinition(Protocol):
    """What a client is made for: an export definition (its id names its lane)."""

    @property
    def id(self) -> int:
        """The export definition's id."""
        ...


class ClientFactory:
    """Makes one client per export definition (each has its own API key, so its own company).

    All clients share one limiter per Procountor client id, as Procountor's rate limit is per
    client id, not per company; each export definition's client has its own lane in front of
    it, so the companies of a run take turns (:mod:`.fairness`). ``http_client`` lets tests
    and the demo route the clients to an in-process emulator.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: httpx2.Client | None = None,
        hooks: Sequence[Callable[[RequestRecord], None]] = (),
    ) -> None:
        self.settings = settings
        self.http_client = http_client
        # Every request goes to the event log (procountor_export.api), secrets masked.
        self.hooks = [log_request, *hooks]
        self._limiter: RateLimiter | None = None
        self._share: FairShare | None = None
        self._lanes_lock = Lock()  # the companies of a run make their clients at once

    @property
    def limiter(self) -> RateLimiter:
        """The shared limiter (process-wide, or Redis/PostgreSQL when configured)."""
        if self._limiter is None:
            self._limiter = limiter_from_url(
                self.settings.limiter_url, self.settings.client_id, self.settings.rate_limit
            )
        return self._limiter

    def close(self) -> None:
        """Release the limiter's connection (Redis or PostgreSQL), if it holds one."""
        closer = getattr(self._limiter, "close", None)
        if callable(closer):
            closer()
        self._limiter = None
        self._share = None

    def __call__(self, export: ExportDefinition, api_key: SecretStr) -> ProcountorClient:
        """A client for ``export``'s Procountor company."""
        return ProcountorClient(
            base_url=self.settings.base_url,
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret,
            api_key=api_key,
            limiter=self._lane(export),
            http_client=self.http_client,
            timeout=self.settings.timeout,
            hooks=self.hooks,
        )

    def _lane(self, export: ExportDefinition) -> RateLimiter:
        """``export``'s lane of the shared limiter: companies get slots round robin."""
        with self._lanes_lock:
            if self._share is None or self._share.inner is not self.limiter:
                self._share = FairShare(self.limiter)
            return self._share.lane(f"export-{export.id}")


def company_key(base_url: str, api_key: SecretStr) -> str:
    """The company an API key reaches, as a name for locks and kept copies (not a secret)."""
    text = f"{base_url.rstrip('/')}\n{api_key.get_secret_value()}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]
