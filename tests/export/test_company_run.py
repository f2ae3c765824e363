"""One export definition's part of a run (``CompanyRun``) over the in-memory company: each
outcome reported once, as it goes, into the run's summary; no API key fails the part's invoices
without a call; a run-stopping error stops this part only; the part's calls are counted.

The company's master data comes from the run's memo (a copy an earlier part kept, as
:mod:`~procountor_export.export.reading.memo` hands it over), so the fake serves only what a
part reads and writes after that: its invoices, products, dimensions and partners.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import EXPORT, OFFICE, snapshot
from pydantic import SecretStr
from sending.fake_client import Bench
from sending.fake_company import FakeCompany

from procountor_export.export import messages as m
from procountor_export.export.company_run import CompanyRun, RunShared
from procountor_export.export.messages import Messages
from procountor_export.export.options import ExportOptions
from procountor_export.export.reading.data import ExportConfig, InvoiceData
from procountor_export.export.reading.gather import ExportWork
from procountor_export.export.reading.memo import RunMemory
from procountor_export.export.reporting.progress import InvoiceOutcome, RunSummary
from procountor_export.export.reporting.run_report import RunReport
from procountor_export.procountor.errors import AuthenticationError
from procountor_export.runtime.connections import company_key
from procountor_export.store.db import Store
from procountor_export.store.journal import EntryView
from procountor_export.store.models import ExportDefinition, JournalState


class Heard:
    """A progress listener that records what it hears."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.outcomes: list[InvoiceOutcome] = []

    def started(self, total: int) -> None:
        self.total = total

    def advanced(self, outcome: InvoiceOutcome) -> None:
        self.outcomes.append(outcome)

    def finished(self, summary: RunSummary) -> None:
        pass


class Part:
    """A run with one part per export definition, each over its own fake company."""

    def __init__(self, bench: Bench, *, workers: int = 2) -> None:
        self.bench = bench
        self.heard = Heard()
        self.summary = RunSummary(run_id=bench.run_id)
        self.memo = RunMemory()
        self.companies: dict[str, FakeCompany] = {}  # by API key
        self.opened: list[str] = []  # the API keys the factory was asked for
        self.shared = RunShared(
            run_id=bench.run_id,
            journal=bench.journal,
            report=RunReport(self.summary, self.heard, Messages("Opter")),
            memo=self.memo,
            client_factory=self.client,
            options=ExportOptions(source="Opter", workers=workers),
            office=OFFICE,
            unit_names={},
        )

    def client(self, config: ExportConfig, key: SecretStr) -> FakeCompany:
        self.opened.append(key.get_secret_value())
        return self.companies[key.get_secret_value()]

    def company(self, key: str) -> FakeCompany:
        """A fake company for ``key``, its master data kept in the memo by an earlier part."""
        fake = FakeCompany()
        self.companies[key] = fake
        self.memo.keep(EXPORT.id, snapshot(), company_key(fake.base_url, SecretStr(key)))
        return fake

    def run(
        self,
        planned: list[tuple[InvoiceData, EntryView]],
        *,
        key: str | None,
        config: ExportConfig = EXPORT,
    ) -> None:
        work = ExportWork(
            config=config,
            api_key=SecretStr(key) if key is not None else None,
            key_problem=None if key is not None else "no API key is stored",
            invoices=[invoice for invoice, _ in planned],
        )
        entries = {invoice.id: entry for invoice, entry in planned}
        CompanyRun(self.shared, work, work.invoices, entries).export()


@pytest.fixture
def bench(sqlite_store: Store) -> Bench:
    return Bench(sqlite_store)


def invoices(bench: Bench, count: int) -> list[tuple[InvoiceData, EntryView]]:
    return [(plan.invoice, entry) for plan, entry in (bench.planned() for _ in range(count))]


def test_each_outcome_is_reported_once_into_the_summary_and_to_the_listener(
    bench: Bench,
) -> None:
    part = Part(bench)
    fake = part.company("key-a")
    planned = invoices(bench, 3)

    part.run(planned, key="key-a")

    numbers = sorted(invoice.number for invoice, _ in planned)
    assert sorted(o.invoice for o in part.heard.outcomes) == numbers
    assert [o.state for o in part.heard.outcomes] == [JournalState.EXPORTED] * 3
    assert part.summary.outcomes == part.heard.outcomes
    assert part.summary.fatal is None
    for _, entry in planned:
        assert bench.row(entry).state is JournalState.EXPORTED
    # One customer and one posting product were created for the three invoices.
    assert part.summary.created["customers"] == 1
    assert part.summary.created["products"] == 1
    assert len(fake.called("invoices.create")) == 3
    assert fake.called("ledger_receipts.update") == []  # booked right: nothing to correct


def test_the_parts_calls_are_counted_into_the_summary(bench: Bench) -> None:
    part = Part(bench)
    fake = part.company("key-a")

    part.run(invoices(bench, 2), key="key-a")

    assert part.summary.calls == dict(fake.calls)
    assert part.summary.api_calls == sum(fake.calls.values())
    assert part.summary.calls["invoices.create"] == 2


def test_no_api_key_fails_every_invoice_with_the_key_message_and_calls_nothing(
    bench: Bench,
) -> None:
    part = Part(bench)
    fake = part.company("key-a")
    planned = invoices(bench, 2)

    part.run(planned, key=None)

    assert part.opened == []
    assert fake.log == []
    assert len(part.heard.outcomes) == 2
    for outcome in part.heard.outcomes:
        assert outcome.state is JournalState.FAILED
        [problem] = outcome.problems
        assert problem.code == m.API_KEY_MISSING.code
        assert problem.invoice == outcome.invoice
        assert "no API key is stored" in problem.args
    for _, entry in planned:
        assert bench.row(entry).error_code == m.API_KEY_MISSING.code


def test_refused_credentials_stop_this_part_only_and_become_the_runs_fatal_problem(
    bench: Bench, sqlite_store: Store
) -> None:
    part = Part(bench, workers=1)  # one POST at a time: the refused one is the first
    refused = part.company("key-a")
    refused.invoices.fail_create.append(
        AuthenticationError("Unauthorized", operation="POST /invoices", status=401)
    )
    fine = part.company("key-b")
    planned = invoices(bench, 3)
    with sqlite_store.session() as session:
        other = ExportDefinition(name="Factoring", type="procountor-api")
        session.add(other)
        session.flush()
        other_config = replace(EXPORT, id=other.id, name="Factoring")
    pairs = [(invoice.id, other_config.id) for invoice, _ in planned]
    rows = bench.journal.entries(pairs, bench.run_id)
    second = [(invoice, rows[(invoice.id, other_config.id)]) for invoice, _ in planned]

    part.run(planned, key="key-a")
    part.run(second, key="key-b", config=other_config)

    assert part.summary.fatal is not None
    assert part.summary.fatal.code == m.CREDENTIALS.code
    stopped = [o for o in part.heard.outcomes if o.export == EXPORT.name]
    assert sorted(o.invoice for o in stopped) == sorted(i.number for i, _ in planned)
    for outcome in stopped:
        assert outcome.state is JournalState.FAILED
        assert [p.code for p in outcome.problems] == [m.CREDENTIALS.code]
    # Nothing more was asked of the company that refused the key after it did.
    assert refused.called("invoices.create") == [planned[0][0].number]
    # The other definition's part went on as if nothing happened.
    exported = [o for o in part.heard.outcomes if o.export == "Factoring"]
    assert [o.state for o in exported] == [JournalState.EXPORTED] * 3
    assert len(fine.called("invoices.create")) == 3
    assert part.summary.calls["invoices.create"] == 4  # both parts' calls counted
