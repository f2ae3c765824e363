"""What every route of the web app shares: settings, store, secret box, Procountor, jobs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from fastapi import Request

from procountor_export.export import Exporter, ExportOptions, Face, MakeClient, Messages
from procountor_export.jobs.base import Jobs
from procountor_export.settings import Settings
from procountor_export.store import access
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.web.throttle import LoginThrottle

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# A TMS document of 50,000 invoices is about 150 MB of JSON.
DEFAULT_DOCUMENT_LIMIT = 256 * 1024 * 1024
DEFAULT_FORM_LIMIT = 1024 * 1024
USER_SCOPE = "procountor_export.user"  # the request's logged-in user, set by web.sessions


def utc_now() -> datetime:
    """Now in UTC, naive, as the store keeps times."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class WebContext:
    """The app's shared objects (``app.state.web``)."""

    settings: Settings
    store: Store
    box: SecretBox | None
    client_factory: MakeClient
    jobs: Jobs
    host: str = "127.0.0.1"
    document_limit: int = DEFAULT_DOCUMENT_LIMIT
    form_limit: int = DEFAULT_FORM_LIMIT
    # VAT statuses each export's company offers, as the last connection test read them.
    vat_statuses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)  # failed logins
    behind_proxy: bool = False  # started with --trusted-proxy or --secure-cookies
    clock: Callable[[], datetime] = utc_now  # the sessions' time (tests pass a fake one)
    session_idle: timedelta = access.SESSION_IDLE
    session_lifetime: timedelta = access.SESSION_LIFETIME

    @property
    def exporter(self) -> Exporter:
        """The export engine for this app's store, clients, key box and TMS name as they are
        now (cheap: it holds them, nothing more)."""
        return Exporter(
            self.store,
            client_factory=self.client_factory,
            box=self.box,
            options=ExportOptions(source=self.settings.source_system),
        )

    @property
    def messages(self) -> Messages:
        """How the browser renders problems: remedies name the page, field and button."""
        return Messages(self.settings.source_system, Face.WEB)

    @property
    def api_messages(self) -> Messages:
        """How the REST API renders problems: remedies name JSON fields and endpoints."""
        return Messages(self.settings.source_system, Face.API)

    @property
    def bound_elsewhere(self) -> bool:
        """Listening on an address other people can reach."""
        return self.host not in LOCAL_HOSTS

    @property
    def loopback_only(self) -> bool:
        """Listening on the loopback only, and not set up to be reached through a proxy."""
        return not self.bound_elsewhere and not self.behind_proxy


def web(request: Request) -> WebContext:
    """The request's app context."""
    return cast(WebContext, request.app.state.web)


def current_user(request: Request) -> str | None:
    """The logged-in user of the request (its session checked against the store), if any."""
    value: Any = request.scope.get(USER_SCOPE)
    return value if isinstance(value, str) else None
