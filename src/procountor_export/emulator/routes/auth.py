"""Authentication: ``POST {api}/oauth/token`` (client credentials + API key) and bearer tokens."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request

from procountor_export.emulator.dependencies import emulator_of
from procountor_export.emulator.errors import ApiError, RateLimited
from procountor_export.emulator.wire import ApiResponse

router = APIRouter()

TOKEN_PARAMETERS = ("grant_type", "client_id", "client_secret", "api_key", "redirect_uri")


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "Malformed Basic authorization header") from None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise ApiError(400, "Malformed Basic authorization header")
    return client_id, secret


@router.post("/api/oauth/token")
async def token(request: Request) -> ApiResponse:
    """Issue an access token for the company of ``api_key`` (client-credentials grant)."""
    leaked = [name for name in TOKEN_PARAMETERS if name in request.query_params]
    if leaked:
        raise ApiError(400, "Token parameters are not accepted in the URL", leaked[0])
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise ApiError(400, "Token request must be application/x-www-form-urlencoded")
    try:
        form = await request.form()
    except Exception:  # a malformed form body is the client's problem
        raise ApiError(400, "Malformed form body") from None
    fields: dict[str, Any] = {key: value for key, value in form.items() if isinstance(value, str)}
    basic = _basic_credentials(request)
    client_id = fields.get("client_id") or (basic[0] if basic else None)
    client_secret = fields.get("client_secret") or (basic[1] if basic else None)
    emulator = emulator_of(request)
    request.state.client_id = client_id
    if client_id:
        wait = emulator.limiter.check(client_id)
        if wait is not None:
            raise RateLimited(wait)
    if fields.get("grant_type") != "client_credentials":
        raise ApiError(400, "unsupported_grant_type: use client_credentials", "grant_type")
    if not fields.get("api_key"):
        raise ApiError(400, "Value of the 'api_key' cannot be blank.", "api_key")
    if not client_id or emulator.clients.get(client_id) != client_secret:
        raise ApiError(401, "Authentication failed: invalid client credentials")
    if fields["api_key"] not in emulator.companies:
        raise ApiError(401, "Authentication failed: invalid API key")
    issued = emulator.issue_token(client_id, fields["api_key"])
    return ApiResponse(
        {
            "access_token": issued.value,
            "token_type": "bearer",
            "expires_in": emulator.token_lifetime,
        }
    )
