"""What every route of the web app shares: settings, store, secret box, Procountor, jobs."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import Request

from procountor_export.export.messages import Messages
from procountor_export.export.options import ClientFactory
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


@dataclass
class WebContext:
    """The app's shared objects (``app.state.web``)."""

    settings: Settings
    store: Store
    box: SecretBox | None
    client_factory: ClientFactory
    jobs: Jobs
    host: str = "127.0.0.1"
    document_limit: int = DEFAULT_DOCUMENT_LIMIT
    form_limit: int = DEFAULT_FORM_LIMIT
    # VAT statuses each export's company offers, as the last connection test read them.
    vat_statuses: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)  # failed logins

    @property
    def messages(self) -> Messages:
        """How this face renders problems."""
        return Messages(self.settings.source_system)

    @property
    def bound_elsewhere(self) -> bool:
        """Listening on an address other people can reach."""
        return self.host not in LOCAL_HOSTS

    def login_required(self) -> bool:
        """The UI asks for a user when bound elsewhere or as soon as any user exists."""
        if self.bound_elsewhere:
            return True
        with self.store.session() as session:
            return access.has_users(session)

    def user_exists(self, name: str) -> bool:
        """Whether the session's user still exists."""
        with self.store.session() as session:
            return access.user_exists(session, name)


def web(request: Request) -> WebContext:
    """The request's app context."""
    return cast(WebContext, request.app.state.web)


def current_user(request: Request) -> str | None:
    """The logged-in user of the request's session, if any."""
    value: Any = request.session.get("user")
    return value if isinstance(value, str) else None
