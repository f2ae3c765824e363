"""The emulator's FastAPI app: routes, error envelope, gateway middleware, state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from procountor_export.emulator.errors import ApiError, ErrorEntry, RateLimited
from procountor_export.emulator.gateway import Gateway
from procountor_export.emulator.routes import ROUTERS
from procountor_export.emulator.seed import Seed, default_seed
from procountor_export.emulator.setup import populate_company
from procountor_export.emulator.state import EmulatorState
from procountor_export.emulator.wire import ApiResponse

_FROM_SEED: Any = object()
"""Marker for "option not given": the seed's value applies."""


def _error_response(error: ApiError) -> ApiResponse:
    headers = {"Retry-After": error.retry_after} if isinstance(error, RateLimited) else None
    return ApiResponse(error.body(), status_code=error.status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> ApiResponse:
    assert isinstance(exc, ApiError)
    return _error_response(exc)


async def _http_error(request: Request, exc: Exception) -> ApiResponse:
    assert isinstance(exc, StarletteHTTPException)
    return _error_response(ApiError(exc.status_code, str(exc.detail)))


async def _validation_error(request: Request, exc: Exception) -> ApiResponse:
    """Bad path or query parameters (e.g. a non-numeric id): 400 naming the parameter."""
    assert isinstance(exc, RequestValidationError)
    problems = [
        ErrorEntry(f"Invalid value of '{error['loc'][-1]}'", str(error["loc"][-1]))
        for error in exc.errors()
    ]
    return _error_response(ApiError(400, problems))


async def _server_error(request: Request, exc: Exception) -> ApiResponse:
    return _error_response(ApiError(500, "Internal server error"))


def create_app(
    seed: Seed | None = None,
    *,
    rate_limit: float | None = _FROM_SEED,
    latency_ms: int | None = None,
    token_lifetime: int | None = None,
    state_file: str | Path | None = None,
    lenient: bool | None = None,
    empty_search_404: bool | None = None,
    refuse_inactive_items: bool | None = None,
    billing_from_counterparty: bool | None = None,
    **options: Any,
) -> FastAPI:
    """A fresh emulator app; ``seed=None`` is the demo company (``default_seed()``).

    ``rate_limit`` is requests per second per client id (``None`` or 0: off; default: the
    seed's, 20). ``latency_ms`` adds delay to every API call; ``token_lifetime`` is in seconds
    (default: the seed's, 3600). With ``state_file`` the state is loaded from that file if it
    exists and written back after every change. ``clock`` (a ``time.time``-like callable) may be
    passed for tests. The state is ``app.state.emulator`` (:class:`EmulatorState`).

    Readings (``None``: the seed's ``readings``, see :mod:`.readings`): ``lenient=True`` ignores
    body fields the spec does not define instead of answering 400; ``empty_search_404=True``
    makes a ``GET /invoices`` without a match answer 404; ``refuse_inactive_items=False`` lets
    ledger receipts and product defaults use inactive dimension items;
    ``billing_from_counterparty=True`` takes an e-invoice's omitted billing address as the
    counterparty's instead of answering 400.
    """
    seed = seed or default_seed()
    # The companies are built from the seed here, through the API's own rules (see .setup).
    emulator = EmulatorState(
        seed,
        populate=populate_company,
        rate_limit=seed.limits.rate_limit if rate_limit is _FROM_SEED else rate_limit,
        latency_ms=latency_ms,
        token_lifetime=token_lifetime or seed.limits.token_lifetime,
        state_file=Path(state_file) if state_file else None,
        lenient=lenient,
        empty_search_404=empty_search_404,
        refuse_inactive_items=refuse_inactive_items,
        billing_from_counterparty=billing_from_counterparty,
        **options,
    )
    emulator.load()
    app = FastAPI(
        title="Procountor API emulator",
        version="26.04",
        description="An offline stand-in for the Procountor REST API (see procountor-api.md).",
        default_response_class=ApiResponse,
    )
    app.state.emulator = emulator
    for router in ROUTERS:
        app.include_router(router)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(Gateway, emulator=emulator)
    return app
