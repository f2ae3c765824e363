"""The web app: pages, REST API, security middleware and error pages, wired together."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from procountor_export import __version__
from procountor_export.export import MakeClient
from procountor_export.jobs.base import Jobs
from procountor_export.jobs.inprocess import InProcessJobs
from procountor_export.jobs.queue import jobs_for
from procountor_export.logs import EXPORT_LOG
from procountor_export.runtime.connections import ClientFactory
from procountor_export.settings import Settings, load_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox, SecretKeyError, load_key
from procountor_export.web import (
    account,
    api,
    api_docs,
    api_exports,
    api_invoices,
    api_lists,
    pages,
    reports,
    sessions,
    settings_pages,
)
from procountor_export.web.context import DEFAULT_DOCUMENT_LIMIT, DEFAULT_FORM_LIMIT, WebContext
from procountor_export.web.inputs import SegmentPaths
from procountor_export.web.openapi import finish_description
from procountor_export.web.problems import http_problem, invalid_response, is_api, problem_response
from procountor_export.web.render import page
from procountor_export.web.security import BodyLimit, SecurityHeaders, session_secret

STATIC = Path(__file__).parent / "static"
# Pages anyone may open: the login itself, the static files and the API (it has its tokens).
PUBLIC = ("/login", "/static/", "/api/", "/openapi.json", "/docs", "/healthz")

DESCRIPTION = """Exports the TMS's invoices into Procountor.

Every call needs a bearer token: create one with `procountor-export tokens create NAME`
and send it as `Authorization: Bearer <token>`.

- Every error is a problem details document (RFC 9457, `application/problem+json`): `type`,
  `title`, `status`, `detail`, `instance`, and `errors` naming each field at fault.
- A started export answers `202 Accepted` with `Location` naming the run; where nothing was
  started, the answer says why (`started: false` and a `reason`).
- Lists are newest first, `limit` items a page: `next` and the `Link` header name the next.
- Problems of the data come with their message code and arguments, the message in words and
  what to do about it (`remedy`)."""


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    client_factory: MakeClient | None = None,
    jobs: Jobs | None = None,
    host: str = "127.0.0.1",
    document_limit: int = DEFAULT_DOCUMENT_LIMIT,
    form_limit: int = DEFAULT_FORM_LIMIT,
    secure_cookies: bool = False,
    trusted_proxies: Sequence[str] = (),
) -> FastAPI:
    """The web UI and REST API over the configured store.

    ``client_factory`` makes the Procountor clients (tests pass one that talks to the
    in-process emulator); ``host`` is the address the server listens on. ``secure_cookies``
    marks the session cookie ``Secure`` (browsers then send it over HTTPS only: behind a TLS
    proxy). ``trusted_proxies`` are the addresses of reverse proxies whose ``X-Forwarded-For``
    and ``X-Forwarded-Proto`` are believed, so that failed logins are counted per real client
    (from anyone else the headers are ignored: a client cannot pick its own address).

    The pages need a logged-in user, except while no user exists for a request straight from
    the loopback to a server listening there only, with neither option (``web.sessions``).
    """
    settings = settings or load_settings()
    owns_store = store is None
    store = store or Store.open(settings.database_url)
    key = _fernet_key(settings)
    box = SecretBox(key) if key else None
    factory = client_factory or ClientFactory(settings)
    if jobs is None:
        # On PostgreSQL a deployment's runs go to the queue's workers (procountor-export
        # worker); an injected client factory (tests, the demo) exists only in this process,
        # so its runs stay here, as they do on SQLite.
        jobs = (
            jobs_for(store, settings.database_url, factory, box, source=settings.source_system)
            if client_factory is None
            else InProcessJobs(store, factory, box, source=settings.source_system)
        )
    context = WebContext(
        settings=settings,
        store=store,
        box=box,
        client_factory=factory,
        jobs=jobs,
        host=host,
        document_limit=document_limit,
        form_limit=form_limit,
        behind_proxy=bool(trusted_proxies) or secure_cookies,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        context.jobs.close()
        if owns_store:
            store.close()

    app = FastAPI(
        title="procountor-export",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = context
    app.include_router(api.router)
    app.include_router(api_exports.router)  # after api: the same order in /openapi.json
    app.include_router(api_lists.router)
    app.include_router(api_docs.router)  # /docs
    app.include_router(api_invoices.router)
    app.include_router(pages.router)
    app.include_router(reports.router)
    app.include_router(settings_pages.router)
    app.include_router(account.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def require_login(request: Request, call_next: Any) -> Response:
        path = request.url.path
        if path.startswith("/static/"):
            static: Response = await call_next(request)
            return static
        user = await run_in_threadpool(sessions.authenticate, request)
        if user is None and not path.startswith(PUBLIC):
            gate = await run_in_threadpool(sessions.gate, request)
            if gate != "open":
                return _refused(request, gate)
        response: Response = await call_next(request)
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(key),
        session_cookie="procountor_export_session",
        max_age=int(context.session_lifetime.total_seconds()),  # the store's record decides
        same_site="strict",
        https_only=secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=form_limit, document_limit=document_limit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SegmentPaths)  # an identifier's %2F stays inside its path segment
    if trusted_proxies:  # outermost: every other part sees the real client
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(trusted_proxies))
    _error_pages(app)
    finish_description(app)
    return app


def _refused(request: Request, gate: sessions.Gate) -> Response:
    """A request that needs a user: to the login page, or 401 for a script asking for JSON."""
    if _wants_json(request):
        text = sessions.NO_USER if gate == "setup" else sessions.LOG_IN
        return JSONResponse({"detail": text}, 401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={_quote(target)}", 303)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="")


def _fernet_key(settings: Settings) -> bytes | None:
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    try:
        return load_key(secret, settings.key_file)
    except SecretKeyError:
        return None


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _error_pages(app: FastAPI) -> None:
    """Every error answers a page, never a stack trace; under ``/api/`` a problem details
    document (``web.problems``: one shape for every API error)."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request):
            return http_problem(request, exc)
        if _wants_json(request):
            detail = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
            return JSONResponse(detail, exc.status_code, headers=exc.headers)
        text = exc.detail if isinstance(exc.detail, str) else str(exc.detail.get("detail", ""))
        return page(
            request,
            "error.html",
            exc.status_code,
            title=_TITLES.get(exc.status_code, "Something went wrong"),
            status=exc.status_code,
            text=text,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return invalid_response(request, exc.errors())
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, 422)
        text = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return page(request, "error.html", 422, title="Not accepted", status=422, text=text)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        EXPORT_LOG.error("web request %s %s failed", request.method, request.url.path, exc_info=exc)
        text = "The server could not answer this request. The details are in the event log."
        if is_api(request):
            return problem_response(request, 500, text)
        if _wants_json(request):
            return JSONResponse({"detail": text}, 500)
        return page(request, "error.html", 500, title="Something went wrong", status=500, text=text)


_TITLES = {
    400: "Not understood",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Busy",
    413: "Too large",
    422: "Not accepted",
}
