"""Admin endpoints under ``/_emulator`` (outside every API root): state, reset, log, faults,
readings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from pydantic import ValidationError

from procountor_export.emulator.dependencies import emulator_of
from procountor_export.emulator.errors import ApiError
from procountor_export.emulator.wire import ApiResponse, read_object

if TYPE_CHECKING:
    from procountor_export.emulator.state import EmulatorState

router = APIRouter(prefix="/_emulator", tags=["emulator admin"])


def _emulator(request: Request) -> EmulatorState:
    return emulator_of(request)


@router.get("/state")
async def state(request: Request) -> ApiResponse:
    """The whole state; ``?files=false`` gives attachment sizes instead of their contents."""
    include = request.query_params.get("files", "true").lower() != "false"
    return ApiResponse(_emulator(request).snapshot(include_files=include))


@router.post("/reset")
async def reset(request: Request) -> ApiResponse:
    """Back to the seed (companies, tokens, request log, rate-limit counters)."""
    emulator = _emulator(request)
    emulator.reset()
    emulator.save()
    return ApiResponse({"message": "Emulator reset to its seed"})


@router.get("/requests")
async def requests(request: Request) -> ApiResponse:
    """Request counts per endpoint, the request log and rate-limit violations."""
    return ApiResponse(_emulator(request).requests())


@router.get("/faults")
async def get_faults(request: Request) -> ApiResponse:
    return ApiResponse(_emulator(request).faults.to_dict())


@router.put("/faults")
async def put_faults(request: Request) -> ApiResponse:
    """Merge the body (seed ``faults`` keys, e.g. ``{"errorRate": 0.2}``) into the faults."""
    body = await read_object(request)
    try:
        return ApiResponse(_emulator(request).set_faults(**body))
    except ValidationError as exc:
        raise ApiError(400, f"Invalid faults: {exc.errors(include_url=False)}") from None


@router.get("/readings")
async def get_readings(request: Request) -> ApiResponse:
    return ApiResponse(_emulator(request).readings.to_dict())


@router.put("/readings")
async def put_readings(request: Request) -> ApiResponse:
    """Merge the body (seed ``readings`` keys, e.g. ``{"emptySearch404": true}``)."""
    body = await read_object(request)
    try:
        return ApiResponse(_emulator(request).set_readings(**body))
    except ValidationError as exc:
        raise ApiError(400, f"Invalid readings: {exc.errors(include_url=False)}") from None


@router.put("/rate-limit")
async def put_rate_limit(request: Request) -> ApiResponse:
    """Change the rate limit: ``{"rateLimit": 5}``; ``null`` or 0 switches it off."""
    body = await read_object(request)
    rate = body.get("rateLimit")
    if rate is not None and (
        isinstance(rate, bool)
        or (not isinstance(rate, int | float) and not hasattr(rate, "is_finite"))
    ):
        raise ApiError(400, "rateLimit must be a number or null", "rateLimit")
    emulator = _emulator(request)
    emulator.limiter.rate = float(rate) if rate else None
    emulator.limiter.reset()
    return ApiResponse({"rateLimit": emulator.limiter.rate})


@router.post("/expire-tokens")
async def expire_tokens(request: Request) -> ApiResponse:
    """Expire every issued access token now (clients must fetch a new one)."""
    return ApiResponse({"expired": _emulator(request).expire_tokens()})
