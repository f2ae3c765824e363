"""Procountor's temporary faults heal within the run (issue 20, item 8).

A 5xx, a timeout or a dropped connection on any call is retried with backoff; a write whose
answer was lost is looked up and adopted when it happened, sent again only when it did not,
a bounded number of times, inside the same run. Only when Procountor keeps failing past the
retries does an invoice fail, with a message that says so (not "correct the data"), and the
run is marked interrupted; the next run finishes it without duplicates.

Against the emulator in process (stamina's test switch: retries without sleeping, as many as
in production, see ``conftest.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from starlette.testclient import TestClient
from world import check_world  # type: ignore[import-not-found]

from procountor_export.bench.run import BenchConfig, bench_document, bench_seed
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import InvoiceOutcome, RunSummary
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.jobs.runs import read_run
from procountor_export.procountor import RequestRecord
from procountor_export.runtime.connections import ClientFactory
from procountor_export.settings import load_settings
from procountor_export.store import export_settings
from procountor_export.store.db import Store
from procountor_export.store.journal_events import JournalEvent
from procountor_export.store.models import AfterCreate, JournalEntry, JournalState
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

EXPORT = "Bench company 1"
KEY = "bench-key-1"
OPTER = Messages("Opter")
UNAVAILABLE = "Procountor had a temporary problem with invoice {0}; the next export will finish it"


class _Served:
    """The in-process emulator, as :func:`world.check_world` reads a served one."""

    def __init__(self, http: TestClient) -> None:
        self.http = http

    def app_state(self) -> Any:
        return self.http.app.state.emulator  # type: ignore[attr-defined]


class _LosingTransport(httpx2.BaseTransport):
    """Between the client and the emulator: the first ``lose`` invoice POSTs are carried out
    by the emulator, then their answer is lost as ``error`` (a timeout, a dropped connection)."""

    def __init__(self, inner: TestClient, error: type[httpx2.TransportError], lose: int) -> None:
        self.inner = inner
        self.error = error
        self.lose = lose
        self.lost = 0

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        response = self.inner.request(
            request.method,
            str(request.url),
            headers=dict(request.headers),
            content=request.content,
        )
        posted = request.method == "POST" and request.url.path.endswith("/api/invoices")
        if posted and self.lost < self.lose and response.status_code == 200:
            self.lost += 1
            raise self.error("the answer was lost (injected)", request=request)
        return httpx2.Response(
            response.status_code, headers=response.headers, content=response.content
        )


@dataclass
class World:
    """A store with the invoices of one Procountor company, and the emulator."""

    store: Store
    box: SecretBox
    http: TestClient
    numbers: set[str]

    @property
    def emulator(self) -> Any:
        return self.http.app.state.emulator  # type: ignore[attr-defined]

    def export(
        self,
        *,
        hooks: list[Any] | None = None,
        transport: httpx2.BaseTransport | None = None,
    ) -> RunSummary:
        settings = load_settings(
            PROCOUNTOR_BASE_URL="http://emulator/api", PROCOUNTOR_RATE_LIMIT=100_000
        )
        http = (
            httpx2.Client(transport=transport, base_url="http://emulator")
            if transport is not None
            else self.http
        )
        factory = ClientFactory(settings, http_client=http, hooks=hooks or [])
        try:
            return run_export(
                self.store,
                Scope(invoices=tuple(sorted(self.numbers))),
                client_factory=factory,
                box=self.box,
                options=ExportOptions(workers=4, chunk_size=25, started_by="faults"),
            )
        finally:
            factory.close()

    def check(self) -> list[str]:
        """Every invoice once in Procountor and EXPORTED in the journal (world.check_world)."""
        verdict = check_world(_Served(self.http), self.store, {EXPORT: self.numbers}, {EXPORT: KEY})
        return list(verdict.problems)

    def invoices_in_procountor(self) -> Counter[str]:
        state = self.emulator.snapshot(include_files=False)
        (company,) = [c for c in state["companies"].values() if c["apiKey"] == KEY]
        return Counter(
            i.get("originalInvoiceNumber")
            for i in company["invoices"]
            if i.get("status") not in ("INVALIDATED", "DELETED")
        )

    def create_invoice_begun(self, run_id: int) -> Counter[int]:
        """Per journal row: how often the run began the invoice POST (once per sending)."""
        with self.store.session() as session:
            steps = session.scalars(
                select(JournalEvent.entry_id).where(
                    JournalEvent.run_id == run_id,
                    JournalEvent.state == "INFLIGHT",
                    JournalEvent.step == "create_invoice",
                )
            )
            return Counter(steps)


@pytest.fixture
def make_world(tmp_path: Path) -> Iterator[Any]:
    opened: list[tuple[Store, TestClient]] = []

    def make(invoices: int, *, faults: dict[str, Any] | None = None, seed: int = 7) -> World:
        document, parts = bench_document(BenchConfig(invoices=invoices, seed=seed), 1)
        store = Store.open(f"sqlite:///{tmp_path / 'transient.sqlite'}")
        box = SecretBox(Fernet.generate_key())
        assert import_document(store, document, box=box).accepted
        with store.session() as session:  # approved too: the approval is a write as well
            export_settings.upsert_export_definition(
                session, name=EXPORT, include_pdf=False, after_create=AfterCreate.APPROVE
            )
        emulator_seed = bench_seed(1, limit=0, latency_ms=0)
        emulator_seed["limits"]["rateLimit"] = None
        emulator_seed["faults"] = {**emulator_seed["faults"], **(faults or {})}
        http = TestClient(
            create_app(Seed.model_validate(emulator_seed)), base_url="http://emulator"
        )
        http.__enter__()
        opened.append((store, http))
        return World(store, box, http, set(parts[0]))

    yield make
    for store, http in opened:
        http.__exit__(None, None, None)
        store.close()


def test_five_percent_of_5xx_heal_within_the_run(make_world: Any) -> None:
    world = make_world(300, faults={"errorRate": 0.05, "errorStatus": 503, "randomSeed": 2026})
    answers: Counter[tuple[str, int | None]] = Counter()
    outcomes: list[InvoiceOutcome] = []

    def watch(record: RequestRecord) -> None:
        answers[(record.endpoint, record.status)] += 1

    summary = world.export(hooks=[watch])
    outcomes.extend(summary.outcomes)

    # The faults were met, on reads and on the writes whose outcome they leave unknown.
    assert answers[("POST /invoices", 503)] > 0
    assert answers[("PUT /invoices/{id}/approve", 503)] > 0
    assert sum(count for (_, status), count in answers.items() if status == 503) > 20
    # ... and every one healed within the run: nothing failed, nothing left for a next run.
    assert summary.outcome == "succeeded", [
        (o.invoice, [OPTER.text(p) for p in o.problems]) for o in outcomes if o.problems
    ]
    assert (summary.exported, summary.failed, summary.interrupted) == (300, 0, 0)
    assert summary.retries["retried"] > 0  # reads (and 429-free writes) sent again
    # A 503 answers before anything is done: each such POST was looked up, found missing and
    # sent again (never adopted from thin air, never twice in Procountor).
    assert summary.retries["resent"] >= answers[("POST /invoices", 503)]
    assert world.check() == []
    assert set(world.invoices_in_procountor().values()) == {1}
    # The journal shows it: the invoices whose POST met a 503 were begun again, then created.
    begun = world.create_invoice_begun(summary.run_id)
    assert sum(count - 1 for count in begun.values()) >= answers[("POST /invoices", 503)]
    shape = summary.as_dict(OPTER)
    assert (shape["outcome"], shape["interrupted"]) == ("succeeded", 0)
    assert shape["retries"]["resent"] == summary.retries["resent"]


@pytest.mark.parametrize("error", [httpx2.ReadTimeout, httpx2.RemoteProtocolError], ids=str)
def test_an_invoice_post_whose_answer_was_lost_is_adopted_within_the_run(
    make_world: Any, error: type[httpx2.TransportError]
) -> None:
    world = make_world(12)
    losing = _LosingTransport(world.http, error, lose=5)

    summary = world.export(transport=losing)

    assert losing.lost == 5
    assert summary.outcome == "succeeded"
    assert summary.exported == 12
    adopted = [o for o in summary.outcomes if o.adopted]
    assert len(adopted) == 5  # the lost ones, found by their TMS number and taken
    assert summary.retries["found"] == 5
    assert summary.retries.get("resent", 0) == 0  # never posted again
    assert summary.calls["POST /invoices"] == 12
    assert set(world.invoices_in_procountor().values()) == {1}
    assert world.check() == []
    with world.store.session() as session:
        steps = Counter(
            session.scalars(
                select(JournalEvent.step).where(
                    JournalEvent.run_id == summary.run_id, JournalEvent.state == "INFLIGHT"
                )
            )
        )
    assert (steps["adopted"], steps["created"]) == (5, 7)


def test_a_procountor_that_keeps_failing_interrupts_the_run_and_the_next_run_finishes(
    make_world: Any,
) -> None:
    world = make_world(40)
    created = 0

    def outage(record: RequestRecord) -> None:
        # Procountor goes down after the run's first few invoices, and stays down.
        nonlocal created
        if record.endpoint == "POST /invoices" and record.status == 200:
            created += 1
            if created == 6:
                world.emulator.set_faults(error_rate=1.0)

    first = world.export(hooks=[outage])

    assert first.outcome == "interrupted"
    assert first.exported < 40
    assert first.failed == first.interrupted == 40 - first.exported > 0
    for outcome in first.outcomes:
        if outcome.state is JournalState.FAILED:
            (problem,) = outcome.problems
            # Not "correct the data": Procountor's trouble, said as such, with its answer.
            assert OPTER.message(problem) == UNAVAILABLE.format(outcome.invoice)
            assert problem.detail
            assert "HTTP 503" in problem.detail
            assert "Correct the data" not in OPTER.remedy(problem)
    assert first.fatal is not None
    assert first.fatal.code == "PROCOUNTOR_INTERRUPTED"
    run = read_run(world.store, first.run_id)
    assert run is not None
    assert (run.outcome, run.state, run.interrupted_count) == (
        "interrupted",
        "interrupted",
        first.interrupted,
    )
    shape = run.as_dict(OPTER)
    assert (shape["outcome"], shape["interrupted"], shape["failed"]) == (
        "interrupted",
        first.interrupted,
        first.failed,
    )
    assert shape["succeeded"] is False
    in_procountor = world.invoices_in_procountor()

    world.emulator.set_faults(error_rate=0.0)
    second = world.export()

    assert second.outcome == "succeeded"
    assert second.exported == first.failed
    assert first.exported + second.exported == 40
    # What reached Procountor before the outage is found, never posted twice.
    assert second.calls.get("POST /invoices", 0) == first.failed - sum(
        1 for o in second.outcomes if o.adopted
    )
    assert set(world.invoices_in_procountor().values()) == {1}
    assert set(in_procountor) <= set(world.invoices_in_procountor())
    assert world.check() == []
    with world.store.session() as session:
        states = set(session.scalars(select(JournalEntry.state)))
    assert states == {JournalState.EXPORTED}
