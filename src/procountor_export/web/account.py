"""The logged-in user's own page: their sessions, a new password, "log out everywhere"."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from procountor_export.logs import WEB_LOG
from procountor_export.store import access
from procountor_export.store.passwords import password_rules
from procountor_export.store.settings_base import SettingsError
from procountor_export.web import sessions
from procountor_export.web.context import current_user, web
from procountor_export.web.inputs import CheckedRoute
from procountor_export.web.render import flash, page
from procountor_export.web.security import checked_form
from procountor_export.web.throttle import minutes

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)


def _user(request: Request) -> str:
    user = current_user(request)
    if user is None:  # only while no user exists, from this machine
        raise HTTPException(404, sessions.NO_USER)
    return user


def _account_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    user = _user(request)
    context = web(request)
    with context.store.session() as session:
        listed = access.list_sessions(session, user, now=context.clock(), idle=context.session_idle)
    return page(
        request,
        "account.html",
        status,
        title="Your account",
        sessions=listed,
        rules=password_rules(),
        error=error,
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request) -> Response:
    """The user's sessions and the forms to change the password or log out everywhere."""
    return _account_page(request)


@router.post("/account/password", response_class=HTMLResponse)
async def change_password(request: Request) -> Response:
    """A new password: the current one first; every other session of the user ends."""
    form = await checked_form(request)
    user = _user(request)
    context = web(request)
    address = request.client.host if request.client else "-"
    wait = context.throttle.wait(address, user)
    if wait > 0:
        return _account_page(
            request, 429, f"Too many wrong passwords from here. Try again in {minutes(wait)}."
        )
    current = str(form.get("current") or "")
    new = str(form.get("password") or "")
    if new != str(form.get("repeat") or ""):
        return _account_page(request, 422, "The new password and its repetition differ.")

    def change() -> str | None:
        with context.store.session() as session:
            if not access.check_password(session, user, current):
                return "wrong"
            try:
                access.set_user(session, user, new)  # ends every session of the user
            except SettingsError as exc:
                return str(exc)
        return None

    problem = await run_in_threadpool(change)
    if problem == "wrong":
        context.throttle.failed(address, user)
        WEB_LOG.warning("password change refused for %r from %s: wrong password", user, address)
        return _account_page(request, 401, "The current password is not right.")
    if problem is not None:
        return _account_page(request, 422, problem)
    WEB_LOG.info("user %r changed the password from %s; their sessions ended", user, address)
    await run_in_threadpool(sessions.start, request, user)  # this browser stays logged in
    flash(request, "The password is changed. Every other session of yours has ended.")
    return RedirectResponse("/account", 303)


@router.post("/account/logout-everywhere")
async def logout_everywhere(request: Request) -> RedirectResponse:
    """End every session of the user, this one too."""
    await checked_form(request)
    user = _user(request)
    ended = await run_in_threadpool(sessions.end_everywhere, request, user)
    WEB_LOG.info("user %r logged out everywhere (%d sessions)", user, ended)
    flash(request, f"Logged out everywhere: {ended} session{'' if ended == 1 else 's'} ended.")
    return RedirectResponse("/login", 303)
