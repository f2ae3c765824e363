"""``run_export`` over the in-memory company (no emulator, no HTTP): claims taken once per run,
invoices already exported skipped and counted, a second run of the same scope sending nothing,
the run's record given its outcome, and a scope bigger than a slice sent slice by slice.

The store is filled by the TMS importer with a small document whose accounts, unit and VAT code
the company has (``factories.snapshot``); the company's master data comes from the run's memo,
as a run's later parts take it, so the fake serves the invoices, products and partners only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from factories import snapshot
from pydantic import SecretStr
from sending.fake_company import FakeCompany
from sqlalchemy import event

from procountor_export.export import runner
from procountor_export.export.options import ExportOptions
from procountor_export.export.reading.data import ExportConfig
from procountor_export.export.reading.memo import RunMemory
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import RunSummary
from procountor_export.procountor.errors import AuthenticationError
from procountor_export.runtime.connections import company_key
from procountor_export.store.db import Store
from procountor_export.store.models import ExportRun, JournalEntry, JournalState
from procountor_export.store.runs import RunOutcome
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

API_KEY = "demo-api-key"
# The claim of a batch of journal rows (``Claims.claim``): the one UPDATE that sets both.
CLAIM = re.compile(r"^UPDATE \w*journal SET claimed_by=\?, updated_at=\? WHERE", re.IGNORECASE)


def document(invoices: int) -> dict[str, Any]:
    """A TMS document: one customer, ``invoices`` invoices of March 2026 (closed) on 3010/HEL."""
    return {
        "schema": "tms-invoicing/1",
        "office": {
            "code": "DEMO",
            "name": "Kuljetus Demo Oy",
            "currency": "EUR",
            "business_id": "1234567-8",
            "address": {
                "name": "Kuljetus Demo Oy",
                "street": "Satamatie 1",
                "zip": "00980",
                "city": "Helsinki",
                "country": "FI",
            },
            "bank_account": "FI2112345600000785",
            "bic": "NDEAFIHH",
        },
        "profit_centres": [{"name": "Department", "units": [{"code": "HEL", "name": "Helsinki"}]}],
        "vat_rates": [
            {"code": "ALV25.5", "name": "ALV 25,5 %", "rate": "25.5", "kind": "domestic"}
        ],
        "customers": [
            {
                "code": "ACME",
                "customer_no": "1001",
                "sales_ledger_no": "20001",
                "name": "Acme Oy",
                "corporate_id": "7654321-2",
                "address": {
                    "name": "Acme Oy",
                    "street": "Tehtaankatu 5",
                    "zip": "33100",
                    "city": "Tampere",
                    "country": "FI",
                },
                "invoice_channel": "email",
                "email": "ap@acme.example",
                "payment_terms_days": 14,
            }
        ],
        "periods": [
            {
                "id": "2026-03",
                "from": "2026-03-01",
                "to": "2026-03-31",
                "closed_at": "2026-04-01T16:00:00",
            }
        ],
        "invoices": [
            {
                "number": f"{300001 + n}",
                "type": "invoice",
                "period": "2026-03",
                "customer": "ACME",
                "date": f"2026-03-{10 + n:02d}",
                "due_date": "2026-04-30",
                "currency": "EUR",
                "postings": [
                    {
                        "account": "3010",
                        "vat_code": "ALV25.5",
                        "vat_rate": "25.5",
                        "profit_centres": {"Department": "HEL"},
                        "net": "100.00",
                        "vat": "25.50",
                        "text": "Freight",
                    }
                ],
                "totals": {"net": "100.00", "vat": "25.50", "gross": "125.50"},
            }
            for n in range(invoices)
        ],
        "export_settings": {
            "exports": [
                {
                    "name": "Procountor (API)",
                    "type": "procountor-api",
                    "encoding": "UTF-8",
                    "password": API_KEY,
                    "include_pdf": False,
                    "codes": {"tax_rates": {"ALV25.5": "vat_1"}},
                }
            ],
            "groups": [
                {"name": "Procountor (API)", "exports": ["Procountor (API)"], "default": True}
            ],
        },
    }


class Rig:
    """A store with the document imported, the fake company, and runs between them."""

    def __init__(self, store: Store, invoices: int) -> None:
        self.store = store
        self.box = SecretBox(Fernet.generate_key())
        report = import_document(store, document(invoices), box=self.box)
        assert report.accepted, report.errors
        self.company = FakeCompany()
        self.claims = 0  # claim UPDATEs sent to the store
        event.listen(store.engine, "before_cursor_execute", self._count_claims)

    def _count_claims(self, *args: Any) -> None:
        statement = args[2]
        if CLAIM.match(" ".join(statement.split())):
            self.claims += 1

    def client(self, config: ExportConfig, key: SecretStr) -> FakeCompany:
        assert key.get_secret_value() == API_KEY
        return self.company

    def export(self, scope: Scope | None = None) -> RunSummary:
        # The master data as an earlier part of the run kept it (see the module docstring).
        memo = RunMemory()
        memo.keep(1, snapshot(), company_key(self.company.base_url, SecretStr(API_KEY)))
        return runner.run_export(
            self.store,
            scope or Scope(all=True),
            client_factory=self.client,
            box=self.box,
            options=ExportOptions(source="Opter", workers=2),
            memo=memo,
        )

    def record(self, run_id: int | None) -> ExportRun:
        with self.store.session() as session:
            run = session.get_one(ExportRun, run_id)
            session.expunge(run)
            return run


@pytest.fixture
def rig(sqlite_store: Store) -> Iterator[Rig]:
    made = Rig(sqlite_store, invoices=4)
    yield made
    event.remove(sqlite_store.engine, "before_cursor_execute", made._count_claims)


def test_a_run_exports_its_scope_claiming_its_rows_once(rig: Rig) -> None:
    summary = rig.export()

    assert (summary.to_export, summary.exported, summary.failed) == (4, 4, 0)
    assert len(rig.company.called("invoices.create")) == 4
    # One batch of rows, one claim: the sender does not claim each chunk again.
    assert rig.claims == 1
    with rig.store.session() as session:
        rows = session.query(JournalEntry).all()
        assert [row.state for row in rows] == [JournalState.EXPORTED] * 4
        assert {row.claimed_by for row in rows} == {None}  # released at the end


def test_the_runs_record_gets_its_counts_and_outcome(rig: Rig) -> None:
    summary = rig.export()

    run = rig.record(summary.run_id)
    assert run.outcome == RunOutcome.succeeded
    assert (run.to_export, run.exported, run.failed, run.skipped) == (4, 4, 0, 0)
    assert run.finished_at is not None


def test_a_second_run_of_the_same_scope_sends_nothing_and_counts_them_done(rig: Rig) -> None:
    rig.export()
    calls = len(rig.company.log)

    again = rig.export()

    assert (again.to_export, again.already_exported, again.exported) == (0, 4, 0)
    assert rig.company.log[calls:] == []  # not even a read
    assert rig.record(again.run_id).skipped == 4


def test_only_the_invoices_not_exported_yet_are_sent(rig: Rig) -> None:
    rig.export(Scope(invoices=("300001", "300002")))

    rest = rig.export()

    assert (rest.already_exported, rest.to_export, rest.exported) == (2, 2, 2)
    assert sorted(rig.company.called("invoices.create")) == ["300001", "300002", "300003", "300004"]


def test_a_failed_run_is_recorded_failed_with_what_stopped_it(rig: Rig) -> None:
    rig.company.invoices.fail_search.append(
        AuthenticationError("Unauthorized", operation="GET /invoices", status=401)
    )

    summary = rig.export()

    assert summary.failed == 4
    run = rig.record(summary.run_id)
    assert run.outcome == RunOutcome.aborted
    assert run.problem is not None
    assert summary.fatal is not None
    assert run.problem["code"] == summary.fatal.code
    assert rig.company.called("invoices.create") == []


def test_a_scope_bigger_than_a_slice_goes_slice_by_slice_in_one_run(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "SLICE", 3)

    summary = rig.export()

    assert (summary.to_export, summary.exported) == (4, 4)
    assert not summary.complete  # a sliced run keeps only what needs attention
    # Each slice looks up its own invoices in Procountor: two slices, two searches by date.
    searches = [a for a in rig.company.called("invoices.search") if isinstance(a, tuple)]
    assert len(searches) == 2
    assert rig.claims == 2  # each slice claims its rows once
    with rig.store.session() as session:
        assert {row.run_id for row in session.query(JournalEntry)} == {summary.run_id}
    assert rig.record(summary.run_id).exported == 4
