"""In-memory state of the emulated Procountor.

Resources are stored in their wire shape (dicts with camelCase keys, money as ``Decimal``),
per company, each with its own id sequences, so ids may collide across companies as in the
real service. ``EmulatorState`` owns the companies, the access tokens, the request log, the
rate limiter and the faults, and can snapshot itself to JSON and restore from it (state file).
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from procountor_export.emulator.faults import Faults
from procountor_export.emulator.ratelimit import RateLimiter
from procountor_export.emulator.readings import Readings
from procountor_export.emulator.seed import CompanySeed, Seed
from procountor_export.emulator.wire import dumps, parse_json, plain

# First id of each sequence; distinct ranges make a mixed-up id visible in tests.
SEQUENCE_STARTS = {
    "bankAccount": 1,
    "dimension": 1,
    "dimensionItem": 101,
    "fiscalYear": 1,
    "trackingPeriod": 1,
    "partner": 1001,
    "productGroup": 301,
    "product": 2001,
    "invoice": 5001,
    "invoiceNumber": 1,
    "ledgerReceipt": 7001,
    "receiptNumber": 1,
    "transaction": 9001,
    "attachment": 8001,
    "event": 1,
    "factoringContract": 401,
}
REQUEST_LOG_LIMIT = 10_000
VERSION_FORMAT = "%Y-%m-%dT%H:%M:%S"


class CompanyState:
    """One company's data; every collection maps id → resource dict."""

    def __init__(self, seed: CompanySeed, clock: Callable[[], float]):
        self.seed = seed
        self.clock = clock
        self.sequences: dict[str, int] = dict(SEQUENCE_STARTS)
        self.bank_accounts: dict[int, dict[str, Any]] = {}
        self.dimensions: dict[int, dict[str, Any]] = {}
        self.fiscal_years: list[dict[str, Any]] = []
        self.partners: dict[int, dict[str, Any]] = {}
        self.product_groups: dict[int, dict[str, Any]] = {}
        self.products: dict[int, dict[str, Any]] = {}
        self.product_dimensions: dict[int, dict[int, dict[str, Any]]] = {}
        self.invoices: dict[int, dict[str, Any]] = {}
        self.invoice_events: dict[int, list[dict[str, Any]]] = {}
        self.ledger_receipts: dict[int, dict[str, Any]] = {}
        self.attachments: dict[int, dict[str, Any]] = {}
        self.files: dict[int, bytes] = {}
        # Factoring contracts come from the seed (the API's own POST is not emulated); whether
        # GET /factoringcontracts answers at all is ``external_financing`` (a test may flip it).
        self.factoring_contracts: dict[int, dict[str, Any]] = {}
        self.external_financing = seed.external_financing

    # -- identity --------------------------------------------------------------------------
    @property
    def api_key(self) -> str:
        return self.seed.api_key

    @property
    def currency(self) -> str:
        return self.seed.company.currency

    def next_id(self, kind: str) -> int:
        """The next value of the company's ``kind`` sequence."""
        value = self.sequences[kind]
        self.sequences[kind] = value + 1
        return value

    def stamp(self, previous: Any = None) -> str:
        """A new ``version`` for a resource whose current one is ``previous``: the current time
        in seconds, but always later than ``previous``.

        Real versions are timestamps; two changes to one resource within a second must still
        differ, or a stale version would pass, so such a burst moves that stamp a second ahead.
        """
        second = int(self.clock())
        if isinstance(previous, str):
            try:
                last = datetime.strptime(previous, VERSION_FORMAT).replace(tzinfo=UTC)
                second = max(second, int(last.timestamp()) + 1)
            except ValueError:
                pass
        return datetime.fromtimestamp(second, UTC).strftime(VERSION_FORMAT)

    def now(self) -> str:
        """The current time as a Procountor date-time (no zone)."""
        return datetime.fromtimestamp(self.clock(), UTC).strftime("%Y-%m-%dT%H:%M:%S")

    # -- lookups used by validation ------------------------------------------------------
    def account_codes(self) -> set[str]:
        return {account.code for account in self.seed.ledger_accounts}

    def vat_status(self, number: int) -> dict[str, Any] | None:
        for status in self.seed.vat.statuses:
            if status.vat_status == number:
                return {"sales": status.sales, "purchase": status.purchase}
        return None

    def vat_percent_enabled(self, percent: Decimal, on: date | None, *, sales: bool) -> bool:
        for entry in self.seed.vat.percentages:
            if entry.vat_percent != percent or not (entry.sales if sales else entry.purchase):
                continue
            if on is not None and entry.valid_from is not None and on < entry.valid_from:
                continue
            if on is not None and entry.valid_to is not None and on > entry.valid_to:
                continue
            return True
        return False

    def open_for_posting(self, day: date) -> bool:
        """Whether ``day`` lies in an open fiscal year and (if it has periods) an OPEN period."""
        for year in self.fiscal_years:
            if (
                not date.fromisoformat(year["startDate"])
                <= day
                <= date.fromisoformat(year["endDate"])
            ):
                continue
            if not year["isOpen"]:
                return False
            periods = year["trackingPeriods"]
            if not periods:
                return True
            return any(
                date.fromisoformat(p["startDate"]) <= day <= date.fromisoformat(p["endDate"])
                and p["status"] == "OPEN"
                for p in periods
            )
        return False

    def company_ibans(self) -> set[str]:
        return {account["iban"].replace(" ", "") for account in self.bank_accounts.values()}

    def dimension_item(self, dimension_id: int, item_id: int) -> dict[str, Any] | None:
        dimension = self.dimensions.get(dimension_id)
        if dimension is None:
            return None
        return next((item for item in dimension["items"] if item["id"] == item_id), None)

    # -- snapshot --------------------------------------------------------------------------
    _COLLECTIONS = (
        "bank_accounts",
        "dimensions",
        "partners",
        "product_groups",
        "products",
        "invoices",
        "ledger_receipts",
        "attachments",
    )

    def to_dict(self, include_files: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "apiKey": self.api_key,
            "company": self.seed.company.model_dump(mode="json", by_alias=True),
            "sequences": dict(self.sequences),
            "fiscalYears": self.fiscal_years,
            "productDimensions": {
                str(product): list(dims.values())
                for product, dims in self.product_dimensions.items()
            },
            "invoiceEvents": {str(key): value for key, value in self.invoice_events.items()},
        }
        for name in self._COLLECTIONS:
            data[_camel(name)] = list(getattr(self, name).values())
        if include_files:
            data["files"] = {
                str(key): base64.b64encode(value).decode("ascii")
                for key, value in self.files.items()
            }
        else:
            data["files"] = {str(key): len(value) for key, value in self.files.items()}
        return data

    def load_dict(self, data: dict[str, Any]) -> None:
        """Restore collections and sequences from :meth:`to_dict` output (after ``parse_json``)."""
        self.sequences.update(data["sequences"])
        self.fiscal_years = data["fiscalYears"]
        for name in self._COLLECTIONS:
            setattr(self, name, {item["id"]: item for item in data[_camel(name)]})
        self.product_dimensions = {
            int(product): {dim["id"]: dim for dim in dims}
            for product, dims in data["productDimensions"].items()
        }
        self.invoice_events = {int(key): value for key, value in data["invoiceEvents"].items()}
        self.files = {int(key): base64.b64decode(value) for key, value in data["files"].items()}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@dataclass
class Token:
    """An issued access token."""

    value: str
    client_id: str
    api_key: str
    expires_at: float


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class EmulatorState:
    """Everything the running emulator knows; reachable as ``app.state.emulator``."""

    def __init__(
        self,
        seed: Seed,
        *,
        populate: Callable[[CompanyState], None] = lambda company: None,
        rate_limit: float | None,
        latency_ms: int | None,
        token_lifetime: int,
        state_file: Path | None,
        clock: Callable[[], float] = time.time,
        lenient: bool | None = None,
        empty_search_404: bool | None = None,
        refuse_inactive_items: bool | None = None,
        billing_from_counterparty: bool | None = None,
    ):
        self.seed = seed
        self.populate = populate
        self.clock = clock
        self.token_lifetime = token_lifetime
        self.state_file = state_file
        limits = seed.limits
        self.limiter = RateLimiter(
            rate=rate_limit,
            mode=limits.rate_limit_mode,
            suspend_seconds=limits.suspend_seconds,
            clock=clock,
        )
        self.faults = Faults(seed.faults.model_copy())
        if latency_ms is not None:
            self.faults.update({"latencyMs": latency_ms})
        self.readings = Readings.build(
            seed.readings,
            lenient=lenient,
            empty_search_404=empty_search_404,
            refuse_inactive_items=refuse_inactive_items,
            billing_from_counterparty=billing_from_counterparty,
        )
        self.max_attachment_bytes = limits.max_attachment_bytes
        self.clients = {client.client_id: client.client_secret for client in seed.clients}
        self.companies: dict[str, CompanyState] = {}
        self.tokens: dict[str, Token] = {}
        self.request_log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_LIMIT)
        self.request_counts: Counter[str] = Counter()
        self.reset()

    # -- lifecycle ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the seed: companies rebuilt (each filled by ``populate``, the app's seeding
        through the API's rules, :func:`procountor_export.emulator.setup.populate_company`),
        tokens, log and rate-limit counters cleared."""
        self.companies = {}
        for company_seed in self.seed.companies:
            company = CompanyState(company_seed, self.clock)
            self.populate(company)
            self.companies[company.api_key] = company
        self.tokens.clear()
        self.request_log.clear()
        self.request_counts.clear()
        self.limiter.reset()

    @property
    def rate_limit_violations(self) -> int:
        """How many requests the rate limiter has refused since the last reset."""
        return sum(self.limiter.violations.values())

    def set_faults(self, **changes: Any) -> dict[str, Any]:
        """Change fault injection (``error_rate=0.5``, ``failAfterWrite={"invoices": 1}``…)."""
        self.faults.update(changes)
        return self.faults.to_dict()

    def set_readings(self, **changes: Any) -> dict[str, Any]:
        """Change readings (``empty_search_404=True``, ``strictFields=False``…)."""
        self.readings.update(changes)
        return self.readings.to_dict()

    # -- tokens ------------------------------------------------------------------------------
    def issue_token(self, client_id: str, api_key: str) -> Token:
        now = self.clock()
        header = _b64({"alg": "HS256", "typ": "JWT"})
        payload = _b64({"sub": client_id, "iat": int(now), "jti": secrets.token_hex(8)})
        value = f"{header}.{payload}.{secrets.token_urlsafe(32)}"
        token = Token(value, client_id, api_key, now + self.token_lifetime)
        self.tokens[value] = token
        return token

    def find_token(self, value: str) -> Token | None:
        """The live token ``value``; expired tokens are forgotten."""
        token = self.tokens.get(value)
        if token is not None and token.expires_at <= self.clock():
            del self.tokens[value]
            return None
        return token

    def expire_tokens(self) -> int:
        """Expire every issued token now (to test a client's re-authentication)."""
        count = len(self.tokens)
        self.tokens.clear()
        return count

    # -- request log -------------------------------------------------------------------------
    def log_request(self, entry: dict[str, Any]) -> None:
        self.request_log.append(entry)
        self.request_counts[entry["endpoint"]] += 1

    def requests(self) -> dict[str, Any]:
        return {
            "counts": dict(self.request_counts),
            "rateLimitViolations": self.rate_limit_violations,
            "rateLimitViolationsByClient": dict(self.limiter.violations),
            "log": list(self.request_log),
        }

    # -- snapshot and persistence ----------------------------------------------------------
    def snapshot(self, include_files: bool = True) -> dict[str, Any]:
        """The whole state as a JSON-able dict (money as numbers)."""
        snapshot: dict[str, Any] = plain(
            {
                "companies": {
                    key: company.to_dict(include_files) for key, company in self.companies.items()
                },
                "tokens": [vars(token) for token in self.tokens.values()],
                "faults": self.faults.to_dict(),
                "readings": self.readings.to_dict(),
                "rateLimit": self.limiter.rate,
                **self.requests(),
            }
        )
        return snapshot

    def restore(self, data: dict[str, Any]) -> None:
        """Load companies and tokens from a snapshot (companies not in the seed are skipped)."""
        for key, company_data in data.get("companies", {}).items():
            if key in self.companies:
                self.companies[key].load_dict(company_data)
        for token in data.get("tokens", []):
            restored = Token(
                token["value"], token["client_id"], token["api_key"], float(token["expires_at"])
            )
            self.tokens[restored.value] = restored

    def save(self) -> None:
        """Write the state file (atomically) when one is configured."""
        if self.state_file is None:
            return
        temporary = self.state_file.with_suffix(self.state_file.suffix + ".tmp")
        temporary.write_bytes(dumps(self.snapshot()))
        temporary.replace(self.state_file)

    def load(self) -> bool:
        """Read the state file if it exists; ``False`` when there was none."""
        if self.state_file is None or not self.state_file.exists():
            return False
        self.restore(parse_json(self.state_file.read_bytes()))
        return True
