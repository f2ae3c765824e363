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
from pathlib import Path
from typing import Any

from procountor_export.emulator.company_state import CompanyState
from procountor_export.emulator.faults import Faults
from procountor_export.emulator.ratelimit import RateLimiter
from procountor_export.emulator.readings import Readings
from procountor_export.emulator.seed import Seed
from procountor_export.emulator.wire import dumps, parse_json, plain

__all__ = ["CompanyState", "EmulatorState", "Token"]

REQUEST_LOG_LIMIT = 10_000


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
