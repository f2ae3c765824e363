"""The connection test: log in to Procountor and read what the export needs from it.

One test, two faces: ``procountor-export procountor ping`` (:mod:`.cli.procountor`) and the
Test connection button of an export's settings page (:mod:`.web.connection`) make the same
reads and say the same sentences: the session, the company (name, business ID, currency), the
API user's rights (what is missing) and, for the web, the VAT statuses the company may use on
sales.

Why a failure is worded here and not by the client's error: a test that cannot reach Procountor
must say so (the address, and what failed: no connection, no answer in time, a server error)
and must not be read as a missing right; and a 403 that carries no explanation of Procountor's
own (a gateway's or proxy's page) is not a statement about the API user's rights either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx2

from procountor_export.procountor import (
    CREDENTIALS_REFUSED,
    AuthenticationError,
    ConfigurationError,
    PermissionDenied,
    ProcountorClient,
    ProcountorError,
    RetryableError,
)


@dataclass
class ConnectionReport:
    """What the test found: the company and the rights, or why it could not get them.

    ``reached`` is false when Procountor could not be reached at all: then ``error`` says
    where and what failed, and nothing is known (or said) about the API user's rights.
    """

    base_url: str
    ok: bool = False
    reached: bool = True
    error: str | None = None
    company_id: int | None = None
    company: str | None = None
    business_id: str | None = None
    country: str | None = None
    currency: str | None = None
    user: str | None = None
    user_id: int | None = None
    session_company_id: int | None = None
    rights: list[tuple[str, str | None, bool]] = field(default_factory=list)  # path, level, ok
    missing: list[str] = field(default_factory=list)
    vat_statuses: list[tuple[str, str]] = field(default_factory=list)  # (vat_N, description)


def check_connection(
    client: ProcountorClient, base_url: str, *, vat_statuses: bool = False
) -> ConnectionReport:
    """Log in with ``client`` and read session, company, rights (and the sales VAT statuses).

    Never raises a :class:`ProcountorError`: a failure is the report's ``error``, one sentence
    that names the address (``base_url``) and what failed.
    """
    report = ConnectionReport(base_url=base_url)
    try:
        session = client.session.get()
        report.user = session.user_name
        report.user_id = session.user_id
        report.session_company_id = session.company_id
        company = client.company.get()
        identifier = company.business_identifier
        report.company_id = company.id
        report.company = company.name
        report.business_id = identifier.code if identifier else None
        report.country = company.country
        report.currency = company.company_currency or client.currencies.company()
        rights = client.users.rights()
        report.rights = [(r.path, level, ok) for r, level, ok in rights.check()]
        report.missing = [required.path for required in rights.missing()]
        if vat_statuses:
            vats = client.vats.default()
            report.vat_statuses = [
                (f"vat_{s.vat_status}", s.description or "")
                for s in sorted(vats.vat_statuses, key=lambda s: s.vat_status)
                if s.sales is not False
            ]
    except ProcountorError as exc:
        report.error, report.reached = failure(exc, base_url)
        return report
    report.ok = not report.missing
    return report


def failure(error: ProcountorError, base_url: str) -> tuple[str, bool]:
    """The sentence for ``error`` of a test against ``base_url``, and whether it was reached."""
    if isinstance(error, AuthenticationError):
        return CREDENTIALS_REFUSED + " (check the client id, secret and API key).", True
    if isinstance(error, ConfigurationError):
        return error.message, True
    if isinstance(error, PermissionDenied):
        if error.errors or _is_json(error.body):
            return f"The API user lacks a right needed for {error.operation}.", True
        return (
            f"Cannot reach Procountor's API at {base_url}: {error.operation} was refused with "
            "HTTP 403 without an explanation from Procountor (a proxy or gateway in between, "
            "or PROCOUNTOR_BASE_URL is not Procountor's API root).",
            False,
        )
    if isinstance(error, RetryableError):
        return f"Cannot reach Procountor at {base_url}: {_what_failed(error)}.", False
    return f"Procountor answered unexpectedly: {error}", True


def _what_failed(error: RetryableError) -> str:
    """What went wrong, in words: the call, the failure and how many times it was tried."""
    tries = f", tried {error.attempts} times" if error.attempts > 1 else ""
    cause = error.__cause__
    if error.status == 429:
        what = "it kept refusing requests for its rate limit (HTTP 429)"
    elif error.status is not None:
        what = f"it answered HTTP {error.status} (a server error)"
    elif isinstance(cause, httpx2.TimeoutException):
        what = "it did not answer in time (PROCOUNTOR_TIMEOUT)"
        if isinstance(cause, httpx2.ConnectTimeout):
            what = "no connection could be made in time"
    elif isinstance(cause, httpx2.ConnectError):
        what = f"no connection could be made ({cause or 'refused'})"
    elif isinstance(cause, httpx2.RequestError):
        what = f"the connection failed ({type(cause).__name__}: {cause})"
    else:
        what = error.message
    return f"{what} on {error.operation}{tries}"


def _is_json(body: str) -> bool:
    """Whether ``body`` is JSON (an answer of Procountor's API, not a proxy's page)."""
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        return False
    return isinstance(parsed, dict | list)
