"""One emulated Procountor company's data: its resources in their wire shape, per collection,
each with its own id sequences (ids may collide across companies, as in the real service),
and the rules that read across them (VAT, posting periods, dimension items).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from procountor_export.emulator.seed import CompanySeed

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
    "paymentEvent": 12001,
}
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
        # Payments booked against invoices, by event id: ``PaymentEvent`` fields (see
        # :mod:`.rules.payments`); a deleted event is gone, as the API's DELETE removes it.
        self.payment_events: dict[int, dict[str, Any]] = {}
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

    def set_invoice_status(self, invoice: dict[str, Any], status: str) -> None:
        """Give ``invoice`` a new ``status`` and ``version``; its ledger receipt's status
        mirrors the invoice's (the spec: not editable there), so the receipt changes too."""
        invoice["status"] = status
        invoice["version"] = self.stamp(invoice["version"])
        receipt = self.ledger_receipts.get(invoice["ledgerReceiptId"])
        if receipt is not None:
            receipt["status"] = status
            receipt["version"] = self.stamp(receipt["version"])

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
        "payment_events",
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
            # A state file written before a collection existed (payments) lacks its key.
            items = data.get(_camel(name), [])
            setattr(self, name, {item["id"]: item for item in items})
        self.product_dimensions = {
            int(product): {dim["id"]: dim for dim in dims}
            for product, dims in data["productDimensions"].items()
        }
        self.invoice_events = {int(key): value for key, value in data["invoiceEvents"].items()}
        self.files = {int(key): base64.b64decode(value) for key, value in data["files"].items()}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
