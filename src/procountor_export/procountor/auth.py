"""Machine-to-machine authentication as an ``httpx2.Auth`` flow.

The token comes from ``POST {api}/oauth/token`` with a form body (client id, client secret, API
key, optional redirect URI) — never in the URL, which Procountor refuses since 23.09. It is
fetched lazily on the first call, shared by every thread of the client, reused until shortly
before ``expires_in`` runs out, and fetched again once when a call answers 401; the call is
then resent with the **new** header.

Secrets never leave this module in readable form: :func:`mask_headers` hides the
``Authorization`` header, the reprs hide the credentials, and token errors never include the
request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any

import httpx2
from pydantic import SecretStr

from procountor_export.procountor import wire
from procountor_export.procountor.errors import (
    AuthenticationError,
    ConfigurationError,
    ProcountorError,
    RetryableError,
    retry_after_seconds,
)

__all__ = [
    "CREDENTIALS_REFUSED",
    "TOKEN_OPERATION",
    "ProcountorAuth",
    "mask_headers",
]

TOKEN_OPERATION = "POST /oauth/token"
# The export shows this text for a refused token (the Opter article's wording).
CREDENTIALS_REFUSED = "The user credentials were not accepted by Procountor"
# Renew this long before the token runs out (at most a tenth of its lifetime).
REFRESH_MARGIN = 300.0
MASK = "***"


def mask_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with credentials replaced by ``***``."""
    masked: dict[str, str] = {}
    for name, value in headers.items():
        lowered = name.lower()
        if lowered == "authorization":
            scheme = value.split(" ", 1)[0] if " " in value else ""
            masked[name] = f"{scheme} {MASK}".strip()
        elif lowered in {"cookie", "set-cookie", "api_key", "x-api-key"}:
            masked[name] = MASK
        else:
            masked[name] = value
    return masked


def _secret(value: SecretStr | str) -> SecretStr:
    return value if isinstance(value, SecretStr) else SecretStr(value)


class ProcountorAuth(httpx2.Auth):
    """Bearer-token auth for one Procountor company (one API key), shared across threads."""

    requires_response_body = True

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: SecretStr | str,
        api_key: SecretStr | str,
        redirect_uri: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = _secret(client_secret)
        self._api_key = _secret(api_key)
        self.redirect_uri = redirect_uri
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def __repr__(self) -> str:
        return f"ProcountorAuth(token_url={self.token_url!r}, client_id={self.client_id!r})"

    @property
    def has_token(self) -> bool:
        """Whether a token is cached and not yet due for renewal."""
        return self._token is not None and self._clock() < self._renew_at

    def invalidate(self) -> None:
        """Forget the cached token (the next call fetches a new one)."""
        with self._lock:
            self._token = None

    def secret_values(self) -> tuple[str, ...]:
        """The secret strings, for scrubbing text that might echo them."""
        return (self._client_secret.get_secret_value(), self._api_key.get_secret_value())

    # --- the flow ---------------------------------------------------------------------------

    def auth_flow(
        self, request: httpx2.Request
    ) -> Generator[httpx2.Request, httpx2.Response, None]:
        token = yield from self._current_token(refused=None, request=request)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        # The token was refused (expired early, revoked, server restarted): fetch a new one
        # once and resend with the new header; a second 401 goes back to the caller.
        token = yield from self._current_token(refused=token, request=request)
        request.headers["Authorization"] = f"Bearer {token}"
        yield request

    def _current_token(
        self, refused: str | None, request: httpx2.Request
    ) -> Generator[httpx2.Request, httpx2.Response, str]:
        # Holding the lock across the token call's yield is safe in a sync flow: the same
        # thread resumes the generator, and httpx closes it (releasing the lock) on errors.
        with self._lock:
            if (
                self._token is not None
                and self._token != refused
                and self._clock() < self._renew_at
            ):
                return self._token
            token_call = self.token_request()
            # The token call is built here, not by the client: give it the request's timeouts,
            # or a host that accepts the connection and never answers holds it forever.
            token_call.extensions["timeout"] = request.extensions.get("timeout", {})
            response = yield token_call
            token, lifetime = self._read_token_response(response)
            self._token = token
            self._renew_at = self._clock() + lifetime - min(REFRESH_MARGIN, lifetime / 10)
            return token

    def token_request(self) -> httpx2.Request:
        """The token call: credentials in the form body, nothing in the query string."""
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self._client_secret.get_secret_value(),
            "api_key": self._api_key.get_secret_value(),
        }
        if self.redirect_uri:
            form["redirect_uri"] = self.redirect_uri
        return httpx2.Request(
            "POST", self.token_url, data=form, headers={"Accept": "application/json"}
        )

    def _read_token_response(self, response: httpx2.Response) -> tuple[str, float]:
        status = response.status_code
        body = self._scrub(response.text)
        if status in (400, 401, 403):
            raise AuthenticationError(
                CREDENTIALS_REFUSED, operation=TOKEN_OPERATION, status=status, body=body
            )
        if status == 404:
            raise ConfigurationError(
                f"no token endpoint at {self.token_url}; check PROCOUNTOR_BASE_URL "
                "(e.g. https://api.procountor.com/api)",
                operation=TOKEN_OPERATION,
                status=status,
                body=body,
            )
        if status == 429 or status >= 500:
            raise RetryableError(
                "the token service is busy or failing",
                operation=TOKEN_OPERATION,
                status=status,
                body=body,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        data = self._json(response)
        token = data.get("access_token") if isinstance(data, dict) else None
        if status != 200 or not isinstance(token, str) or not token:
            raise ProcountorError(
                "unexpected answer from the token service",
                operation=TOKEN_OPERATION,
                status=status,
                body=body,
            )
        expires_in = data.get("expires_in", 3600)
        try:
            lifetime = float(expires_in)
        except (TypeError, ValueError):
            lifetime = 3600.0
        return token, max(lifetime, 1.0)

    @staticmethod
    def _json(response: httpx2.Response) -> Any:
        try:
            return wire.loads(response.content)
        except ValueError:
            return None

    def _scrub(self, text: str) -> str:
        for value in self.secret_values():
            if value:
                text = text.replace(value, MASK)
        return text
