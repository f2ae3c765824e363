"""Export runs in the background: one run per company at a time, progress in the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from starlette.testclient import TestClient

from procountor_export.emulator import create_app
from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope, ScopeError
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.reporting.run_record import DatabaseProgress
from procountor_export.export.reporting.status import status
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.jobs import Busy, InProcessJobs, read_run
from procountor_export.jobs.queue import _record_progress
from procountor_export.procountor import ProcountorClient
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.generator import generate_document
from procountor_export.settings import load_settings
from procountor_export.store.db import Store, now
from procountor_export.store.journal import Journal
from procountor_export.store.models import ExportRun, JournalState
from procountor_export.store.runs import Runs
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document
from procountor_export.web.pages import progress_json


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(Fernet.generate_key())


@pytest.fixture
def emulator_http() -> Iterator[TestClient]:
    with TestClient(create_app(rate_limit=None), base_url="http://emulator") as http:
        yield http


@pytest.fixture
def factory(emulator_http: TestClient) -> ClientFactory:
    settings = load_settings(
        PROCOUNTOR_BASE_URL="http://emulator/api", PROCOUNTOR_RATE_LIMIT=10_000
    )
    return ClientFactory(settings, http_client=emulator_http)


def _load(store: Store, box: SecretBox, invoices: int = 6, **options: Any) -> None:
    report = import_document(store, generate_document(invoices, seed=5, **options), box=box)
    assert report.accepted, report.errors


class _Gate:
    """A client factory that holds every run at its first client until the test lets it go."""

    def __init__(self, inner: ClientFactory) -> None:
        self.inner = inner
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, export: Any, key: Any) -> ProcountorClient:
        self.entered.set()
        assert self.release.wait(30)
        return self.inner(export, key)


def test_a_run_goes_in_the_background_and_its_results_are_in_the_database(
    store: Store, box: SecretBox, factory: ClientFactory
) -> None:
    sqlite_store = store  # on SQLite and on PostgreSQL
    _load(sqlite_store, box)
    jobs = InProcessJobs(sqlite_store, factory, box)
    run_id = jobs.start_export(Scope(all=True), "web:tester")
    jobs.wait(60)
    run = read_run(sqlite_store, run_id)
    assert run is not None
    assert run.state == "succeeded"
    assert run.started_by == "web:tester"
    assert run.exported == run.to_export > 0
    assert {invoice.state for invoice in run.invoices} == {"EXPORTED"}
    assert [view.id for view in jobs.runs()] == [run_id]
    with sqlite_store.session() as session:  # what the CLI's status shows
        assert {row.state for row in status(session, Scope(all=True))} == {"EXPORTED"}


def test_a_second_start_for_the_same_company_is_busy(
    sqlite_store: Store, box: SecretBox, factory: ClientFactory
) -> None:
    _load(sqlite_store, box)
    gate = _Gate(factory)
    jobs = InProcessJobs(sqlite_store, gate, box)  # type: ignore[arg-type]
    first = jobs.start_export(Scope(all=True), "a")
    assert gate.entered.wait(30)
    with pytest.raises(Busy) as busy:
        jobs.start_export(Scope(all=True), "b")
    assert busy.value.run_id == first
    running = read_run(sqlite_store, first)
    assert running is not None
    assert running.running
    total = running.to_export
    assert total > 0
    gate.release.set()
    jobs.wait(60)
    assert jobs.going() == []
    second = jobs.start_export(Scope(all=True), "c")  # free again: nothing left to export
    jobs.wait(60)
    again = read_run(sqlite_store, second)
    assert again is not None
    assert (again.to_export, again.skipped, again.state) == (0, total, "succeeded")


def test_an_unknown_period_is_refused_before_any_run(
    sqlite_store: Store, box: SecretBox, factory: ClientFactory
) -> None:
    jobs = InProcessJobs(sqlite_store, factory, box)
    with pytest.raises(ScopeError):
        jobs.start_export(Scope(periods=("nope",)), "a")
    assert jobs.runs() == []


def test_failing_invoices_keep_their_problems(
    sqlite_store: Store, box: SecretBox, factory: ClientFactory
) -> None:
    _load(sqlite_store, box, 3, with_problems=True)
    jobs = InProcessJobs(sqlite_store, factory, box)
    run_id = jobs.start_export(Scope(all=True), "a")
    jobs.wait(60)
    run = read_run(sqlite_store, run_id)
    assert run is not None
    assert run.state == "failed"
    failed = [invoice for invoice in run.invoices if invoice.state == "FAILED"]
    assert failed
    assert all(invoice.errors for invoice in failed)
    assert run.as_dict(Messages())["invoices"][0]["invoice"]


def test_progress_is_written_at_most_once_per_interval(sqlite_store: Store) -> None:
    journal = Journal(sqlite_store)
    run_id = Runs(journal.store).start({"all": True}, "t")
    now = [0.0]
    progress = DatabaseProgress(Runs(journal.store), run_id, interval=1.0, clock=lambda: now[0])
    progress.started(3)
    progress.advanced(InvoiceOutcome("1", "e", JournalState.EXPORTED))
    first = read_run(sqlite_store, run_id)
    assert first is not None
    assert (first.to_export, first.exported) == (3, 0)  # too soon: not written
    now[0] = 2.0
    progress.advanced(InvoiceOutcome("2", "e", JournalState.FAILED))
    second = read_run(sqlite_store, run_id)
    assert second is not None
    assert (second.exported, second.failed, second.running) == (1, 1, True)


def test_a_run_whose_process_died_is_shown_as_interrupted(sqlite_store: Store) -> None:
    journal = Journal(sqlite_store)
    fresh = Runs(journal.store).start({"all": True}, "web")
    old = Runs(journal.store).start({"all": True}, "web")
    with sqlite_store.session() as session:
        run = session.get_one(ExportRun, old)
        run.started_at = now() - timedelta(minutes=10)
    fresh_view = read_run(sqlite_store, fresh)
    old_view = read_run(sqlite_store, old)
    assert fresh_view is not None
    assert old_view is not None
    assert (fresh_view.state, fresh_view.running) == ("running", True)
    assert (old_view.state, old_view.running) == ("interrupted", False)
    bar = progress_json(old_view, Messages())
    assert (bar["state"], bar["outcome"]) == ("interrupted", None)
    assert "its process stopped" in bar["problem"]


def test_a_run_procountor_interrupts_is_marked_interrupted_and_the_next_finishes_it(
    store: Store, box: SecretBox, factory: ClientFactory, emulator_http: TestClient
) -> None:
    _load(store, box, 4)
    emulator = emulator_http.app.state.emulator  # type: ignore[attr-defined]
    emulator.set_faults(error_rate=1.0)  # Procountor answers 503 to everything, past retries
    jobs = InProcessJobs(store, factory, box)
    run_id = jobs.start_export(Scope(all=True), "web:tester")
    jobs.wait(60)
    run = read_run(store, run_id)
    assert run is not None
    # Not "failed": nothing is wrong with the data, the next run finishes the invoices.
    assert (run.outcome, run.state, run.succeeded) == ("interrupted", "interrupted", False)
    assert run.failed == run.interrupted_count == run.to_export > 0
    assert run.problem is not None
    assert run.problem.code == "PROCOUNTOR_INTERRUPTED"
    assert {p.code for i in run.invoices for p in i.errors} == {"PROCOUNTOR_UNAVAILABLE"}
    shape = run.as_dict(Messages())
    assert (shape["state"], shape["outcome"], shape["interrupted"]) == (
        "interrupted",
        "interrupted",
        run.failed,
    )
    assert [run_id] == [r.id for r in jobs.runs() if r.interrupted_count == run.failed]
    # The web's progress bar says "interrupted" with Procountor's words, not "failed".
    bar = progress_json(run, Messages())
    assert (bar["state"], bar["outcome"], bar["succeeded"]) == ("interrupted", "interrupted", False)
    assert bar["problem"].startswith("Procountor had a temporary problem")

    emulator.set_faults(error_rate=0.0)
    again = jobs.start_export(Scope(all=True), "web:tester")
    jobs.wait(60)
    done = read_run(store, again)
    assert done is not None
    assert (done.outcome, done.exported, done.failed) == ("succeeded", run.failed, 0)
    # The interrupted run's rows were finished by the later run: none left interrupted.
    first = read_run(store, run_id)
    assert first is not None
    assert first.interrupted_count == 0


def test_the_queue_tells_a_run_procountor_interrupted_from_one_that_failed_on_data(
    sqlite_store: Store, box: SecretBox, factory: ClientFactory, emulator_http: TestClient
) -> None:
    _load(sqlite_store, box, 6, with_problems=True)
    emulator = emulator_http.app.state.emulator  # type: ignore[attr-defined]
    journal = Journal(sqlite_store)
    outcomes = {}
    for name, error_rate, scope in (
        ("interrupted", 1.0, Scope(all=True)),
        ("failed", 0.0, Scope(all=True)),
    ):
        emulator.set_faults(error_rate=error_rate)
        run_id = Runs(journal.store).start(scope.as_dict(), "queue")
        summary = run_export(
            sqlite_store,
            scope,
            client_factory=factory,
            box=box,
            options=ExportOptions(),
            run_id=run_id,
            end=False,  # as a queue's chunk: the run's end is the queue's
        )
        assert summary.failed > 0, name
        _record_progress(sqlite_store, run_id, summary.to_export, finished=True)
        view = read_run(sqlite_store, run_id)
        assert view is not None
        outcomes[name] = (view.outcome, view.interrupted_count == view.failed)
    assert outcomes == {"interrupted": ("interrupted", True), "failed": ("failed", False)}
