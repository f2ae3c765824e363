"""Live progress (issue 21, item 1): a run's counts move while it goes, not only at its end.

Against the emulator with latency and a paced client, so a run of 200 invoices takes seconds:
the background run's counts read back from the database (as the web window and
``GET /api/v1/exports/{id}`` read them), and the CLI's bar, move invoice by invoice while
invoices are still being posted. Also: a run that ends "failed" because of its scope says why
(issue 21, item 5), and the chunk sizer's rules.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from cryptography.fernet import Fernet
from rich.console import Console
from starlette.testclient import TestClient

from procountor_export.bench.emulator import bench_seed
from procountor_export.bench.run import BenchConfig, bench_document
from procountor_export.cli.render import TerminalProgress
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.export import messages as m
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import InvoiceOutcome, RunSummary
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.export.sending.sizing import ChunkSizer
from procountor_export.jobs import InProcessJobs, read_run
from procountor_export.jobs.runs import list_runs
from procountor_export.procountor.transport import RequestRecord
from procountor_export.runtime.connections import ClientFactory
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.models import Period
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

INVOICES = 200
# The client's pace (requests/s) and the emulator's latency: 200 invoices take about 8 s, and
# the sender's chunks grow from 4 to about 75 invoices (3 s at this pace).
PACE = 25
LATENCY_MS = 10


@dataclass
class Rig:
    """A SQLite store, the emulator with latency, a paced client factory that counts the
    invoices posted, and invoices to export whose customers and products Procountor has."""

    store: Store
    box: SecretBox
    factory: ClientFactory
    numbers: list[str]
    posted: list[str] = field(default_factory=list)

    def hook(self, record: RequestRecord) -> None:
        if record.endpoint == "POST /invoices" and record.status == 200:
            self.posted.append(record.path)


@dataclass
class _Module:
    store: Store
    box: SecretBox
    http: TestClient
    parts: list[list[str]]  # invoices not yet exported, a test's worth each


@pytest.fixture(scope="module")
def _module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Module]:
    """One store and emulator for the module: the customers and products are created once,
    by an unpaced run of a first copy of the invoices, so each test's run is its invoices."""
    document, parts = bench_document(BenchConfig(invoices=INVOICES, seed=11), 4)
    box = SecretBox(Fernet.generate_key())
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('progress') / 'live.sqlite'}")
    assert import_document(store, document, box=box).accepted
    seed = Seed.model_validate(bench_seed(1, limit=10_000, latency_ms=LATENCY_MS))
    with TestClient(create_app(seed), base_url="http://emulator") as http:
        unpaced = load_settings(
            PROCOUNTOR_BASE_URL="http://emulator/api", PROCOUNTOR_RATE_LIMIT=10_000
        )
        summary = run_export(
            store,
            Scope(invoices=tuple(parts[0])),
            client_factory=ClientFactory(unpaced, http_client=http),
            box=box,
            options=ExportOptions(workers=8),
        )
        assert summary.exported == INVOICES
        yield _Module(store, box, http, parts[1:])
    store.close()


@pytest.fixture
def rig(_module: _Module) -> Rig:
    settings = load_settings(PROCOUNTOR_BASE_URL="http://emulator/api", PROCOUNTOR_RATE_LIMIT=PACE)
    factory = ClientFactory(settings, http_client=_module.http)
    rig = Rig(_module.store, _module.box, factory, _module.parts.pop(0))
    factory.hooks.append(rig.hook)
    return rig


def test_a_background_runs_counts_move_while_it_goes(rig: Rig) -> None:
    jobs = InProcessJobs(rig.store, rig.factory, rig.box)
    run_id = jobs.start_export(Scope(invoices=tuple(rig.numbers)), "web:tester")
    seen: list[int] = []
    # Read back as the window and the API read it, from this thread while the run's goes.
    while True:
        view = read_run(rig.store, run_id, with_invoices=False)
        assert view is not None
        seen.append(view.exported)
        if not view.running:
            break
        time.sleep(0.02)
    jobs.close()
    assert view.outcome == "succeeded", view.problem
    assert view.exported == INVOICES
    assert seen == sorted(seen), "the exported count went down"
    between = sorted({count for count in seen if 0 < count < INVOICES})
    # 0 for the whole run and then everything at once was issue 21's finding.
    assert len(between) >= 5, between


class _Watched:
    """The CLI's bar, with what was posted when each invoice moved it."""

    def __init__(self, rig: Rig) -> None:
        self.rig = rig
        self.out = io.StringIO()
        self.bar = TerminalProgress(Console(file=self.out, force_terminal=True, width=120))
        self.posted_at: list[int] = []  # per invoice the bar counted: invoices posted by then
        self.lock = threading.Lock()

    def started(self, total: int) -> None:
        self.bar.started(total)

    def advanced(self, outcome: InvoiceOutcome) -> None:
        with self.lock:
            self.posted_at.append(len(self.rig.posted))
        self.bar.advanced(outcome)

    def finished(self, summary: RunSummary) -> None:
        self.bar.finished(summary)


def test_the_cli_bar_moves_invoice_by_invoice_while_invoices_are_posted(rig: Rig) -> None:
    watched = _Watched(rig)
    before = list_runs(rig.store, 1)
    recorded: list[int] = []  # the newest run's exported count, as the window reads it
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            newest = list_runs(rig.store, 1)
            if newest and newest != before and newest[0].started_by == "cli":
                recorded.append(newest[0].exported)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        summary = run_export(
            rig.store,
            Scope(invoices=tuple(rig.numbers)),
            client_factory=rig.factory,
            box=rig.box,
            options=ExportOptions(started_by="cli"),
            progress=watched,
        )
    finally:
        done.set()
        watcher.join()
    # A run started on the command line keeps its record up to date too: the window's bar
    # and GET /api/v1/exports/{id} see it move, not jump at its end.
    assert recorded == sorted(recorded), "the recorded count went down"
    assert len({count for count in recorded if 0 < count < INVOICES}) >= 5, recorded
    assert summary.exported == INVOICES
    assert len(watched.posted_at) == INVOICES  # one step of the bar per invoice
    assert (watched.bar.exported, watched.bar.failed) == (INVOICES, 0)
    # The bar moved while most invoices were still to be posted, and at many moments of the
    # run, not all at its end.
    assert watched.posted_at[0] < INVOICES // 10, watched.posted_at[:5]
    moments = sorted(set(watched.posted_at))
    assert len([posted for posted in moments if posted < INVOICES]) >= 5, moments
    assert f"{INVOICES}/{INVOICES}" in watched.out.getvalue()


def test_a_run_of_an_open_period_records_why_it_failed(rig: Rig) -> None:
    with rig.store.session() as session:
        period = session.query(Period).filter(Period.closed_at.is_(None)).first()
        assert period is not None, "the generated document has an open period"
        open_id = period.id
    jobs = InProcessJobs(rig.store, rig.factory, rig.box)
    run_id = jobs.start_export(Scope(periods=(open_id,)), "api:tms")
    jobs.close()
    view = read_run(rig.store, run_id)
    assert view is not None
    assert view.outcome == "failed"
    assert view.problem is not None, "a failed run says why"
    assert (view.problem.code, view.problem.args) == (m.PERIOD_OPEN.code, (open_id,))
    assert view.exported == 0
    assert rig.posted == []


# --- the chunk sizer ------------------------------------------------------------------------


def test_chunks_start_at_one_per_thread_and_grow_to_the_pace_of_two_seconds() -> None:
    sizer = ChunkSizer(200, first=4, seconds=2.0)
    sizes = [sizer.size()]
    for _ in range(8):
        # 18 invoices/s: the pace of Procountor's limit with one POST per invoice.
        sizer.observed(sizes[-1], sizes[-1] / 18)
        sizes.append(sizer.size())
    assert sizes == [4, 8, 16, 32, 36, 36, 36, 36, 36]


def test_chunks_never_pass_the_maximum_nor_fall_below_the_first() -> None:
    sizer = ChunkSizer(50, first=4, seconds=2.0)
    for _ in range(10):
        sizer.observed(sizer.size(), 0.01)  # very fast: grows, doubling, up to the maximum
    assert sizer.size() == 50
    sizer.observed(50, 100.0)  # very slow: back to the first size, not to nothing
    assert sizer.size() == 4


def test_no_time_to_aim_at_means_the_biggest_chunks() -> None:
    sizer = ChunkSizer(200, first=4, seconds=0)
    assert sizer.size() == 200
    sizer.observed(200, 50.0)
    assert sizer.size() == 200


def test_the_first_chunk_is_never_more_than_the_maximum() -> None:
    assert ChunkSizer(2, first=4, seconds=2.0).size() == 2
    assert ChunkSizer(200, first=0, seconds=2.0).size() == 1
