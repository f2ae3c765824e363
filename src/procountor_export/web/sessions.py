"""Who is asking: the logged-in user, checked against the session's record on every request.

The signed cookie (Starlette's ``SessionMiddleware``) carries a random session token, the CSRF
token and one-off messages; the user comes from the token's row in ``web_sessions``, never from
the cookie alone. Deleting the row ends the session at once: logout, "log out everywhere", a new
password, the user removed. A session also ends when unused for 8 hours and, however active, 12
hours after its login (``store.access``).

Whether a request may go without a user fails closed: only a request straight from the loopback
(its peer is 127.0.0.1 or ::1 and it carries no proxy header), to a server on the loopback that
is not set up behind a proxy, while no user exists, gets the pages without a login. Anything
else needs a user; with none yet, the UI says only how to create one.
"""

from __future__ import annotations

import ipaddress
from typing import Literal

from fastapi import Request

from procountor_export.store import access
from procountor_export.web.context import USER_SCOPE, web

SESSION_KEY = "sid"  # the session token's key in the signed cookie
# Headers a proxy adds: a request carrying any of them was forwarded, whoever sent it.
FORWARDING_HEADERS = frozenset(
    {"forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "via"}
)
NO_USER = (
    "No user exists yet. On the server, create one with 'procountor-export users add NAME', "
    "then log in."
)
LOG_IN = "Log in first: this page needs a user and password."

Gate = Literal["open", "login", "setup"]


def straight_from_loopback(request: Request) -> bool:
    """Whether the request came from this machine itself, not through a proxy.

    Its peer is a loopback address, it carries no proxy header, and it names the server by a
    loopback name (``Host``): a web page that rebinds its own domain name to 127.0.0.1 to reach
    the server through a browser on this machine names its own domain there.
    """
    if any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    peer = request.client.host if request.client else ""
    return _loopback(peer) and _loopback(_host_name(request.headers.get("host", "")))


def _host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port: ``[::1]:8080`` → ``::1``."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def _loopback(name: str) -> bool:
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def authenticate(request: Request) -> str | None:
    """The user of the request's live session (also kept for :func:`current_user`), or ``None``.

    A cookie whose session has ended is emptied, so the browser drops it.
    """
    token = request.session.get(SESSION_KEY)
    user: str | None = None
    if isinstance(token, str) and token:
        context = web(request)
        with context.store.session() as session:
            user = access.session_user(
                session, token, now=context.clock(), idle=context.session_idle
            )
    if user is None and SESSION_KEY in request.session:
        request.session.clear()
    request.scope[USER_SCOPE] = user
    return user


def gate(request: Request) -> Gate:
    """For a request without a user: ``open``, ``login`` (users exist) or ``setup`` (none yet)."""
    context = web(request)
    with context.store.session() as session:
        if access.has_users(session):
            return "login"
    if context.loopback_only and straight_from_loopback(request):
        return "open"
    return "setup"


def start(request: Request, name: str) -> None:
    """Log ``name`` in: a new session (a new cookie, a new CSRF token: no fixation)."""
    context = web(request)
    with context.store.session() as session:
        token = access.start_session(
            session,
            name,
            now=context.clock(),
            address=request.client.host if request.client else None,
            lifetime=context.session_lifetime,
            idle=context.session_idle,
        )
    request.session.clear()
    request.session[SESSION_KEY] = token
    request.scope[USER_SCOPE] = name


def end(request: Request) -> None:
    """Log out: the session's record is deleted, the cookie emptied."""
    token = request.session.get(SESSION_KEY)
    if isinstance(token, str) and token:
        with web(request).store.session() as session:
            access.end_session(session, token)
    request.session.clear()
    request.scope[USER_SCOPE] = None


def end_everywhere(request: Request, name: str) -> int:
    """Log ``name`` out of every browser, this one included; return how many sessions ended."""
    with web(request).store.session() as session:
        ended = access.end_sessions(session, name)
    request.session.clear()
    request.scope[USER_SCOPE] = None
    return ended
