"""FastAPI dependencies of the routes: the emulator serving a request and its current company."""

from __future__ import annotations

from fastapi import Request

from procountor_export.emulator.errors import ApiError
from procountor_export.emulator.state import CompanyState, EmulatorState


def emulator_of(request: Request) -> EmulatorState:
    """The emulator state of the app serving ``request``."""
    state: EmulatorState = request.app.state.emulator
    return state


def bearer(request: Request) -> str | None:
    """The bearer token of the request, if it carries one."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def current_company(request: Request) -> CompanyState:
    """Dependency: the company whose API key the request's token was issued for; else 401."""
    value = bearer(request)
    if value is None:
        raise ApiError(401, "Unauthorized: bearer token is missing")
    emulator = emulator_of(request)
    token = emulator.find_token(value)
    if token is None:
        raise ApiError(401, "Unauthorized: token is invalid or expired")
    request.state.client_id = token.client_id
    return emulator.companies[token.api_key]
