"""A scope bigger than a slice is exported slice by slice under one run: memory stays flat, the
summary and the run's record are those of the whole scope, and each company's master data is
read once for the whole run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from procountor_export.bench.run import BenchConfig, bench_document, bench_seed
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.emulator.server import BackgroundServer
from procountor_export.export import runner
from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import InvoiceOutcome, RunSummary
from procountor_export.export.reporting.shapes import summary_json
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.jobs.runs import read_run
from procountor_export.procountor.errors import RejectedError
from procountor_export.procountor.models import Product
from procountor_export.procountor.resources.products import Products
from procountor_export.runtime.connections import ClientFactory
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.models import JournalState
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document


class Recording:
    """A progress listener noting what it was told."""

    def __init__(self) -> None:
        self.totals: list[int] = []
        self.invoices: list[str] = []
        self.ends = 0

    def started(self, total: int) -> None:
        self.totals.append(total)

    def advanced(self, outcome: InvoiceOutcome) -> None:
        self.invoices.append(outcome.invoice)

    def finished(self, summary: RunSummary) -> None:
        self.ends += 1


class World:
    """Bench invoices imported into a SQLite store, and an emulator with their companies."""

    def __init__(self, store: Store, box: SecretBox, server: BackgroundServer) -> None:
        self.store = store
        self.box = box
        self.server = server

    def export(self, progress: Recording | None = None) -> RunSummary:
        """Export every closed period's invoices, as ``procountor-export export --all``."""
        settings = load_settings(
            PROCOUNTOR_BASE_URL=self.server.base_url,
            PROCOUNTOR_RATE_LIMIT=500,
            PROCOUNTOR_LIMITER_URL=None,
        )
        factory = ClientFactory(settings)
        try:
            return run_export(
                self.store,
                Scope(all=True),
                client_factory=factory,
                box=self.box,
                options=ExportOptions(started_by="test"),
                progress=progress,
            )
        finally:
            factory.close()

    def companies(self) -> dict[str, Any]:
        """The emulator's companies, as its snapshot shows them."""
        return dict(self.server.app_state().snapshot(include_files=False)["companies"])


@contextmanager
def world(tmp_path: Path, config: BenchConfig) -> Iterator[tuple[World, list[list[str]]]]:
    """A :class:`World` for ``config``'s invoices, and their numbers (one part)."""
    document, parts = bench_document(config, 1)
    store = Store.open(f"sqlite:///{tmp_path / 'slices.sqlite'}")
    box = SecretBox(Fernet.generate_key())
    assert import_document(store, document, box=box).accepted
    seed = Seed.model_validate(bench_seed(config.companies, limit=0, latency_ms=0))
    seed.limits.rate_limit = None
    try:
        with BackgroundServer(create_app(seed)) as server:
            yield World(store, box, server), parts
    finally:
        store.close()


def test_a_big_scope_goes_slice_by_slice_under_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "SLICE", 7)
    with world(tmp_path, BenchConfig(invoices=30, companies=2, seed=3)) as (bench, parts):
        first, second = Recording(), Recording()
        summary = bench.export(first)
        shape = summary_json(bench.store, summary, Messages())
        again = bench.export(second)
        invoices = bench.companies()
        run = read_run(bench.store, summary.run_id or 0)
    numbers = [i["originalInvoiceNumber"] for c in invoices.values() for i in c["invoices"]]
    assert sorted(numbers) == sorted(parts[0])  # each once
    assert summary.to_export == 30
    assert summary.exported == 30
    assert summary.failed == 0
    # Nothing needed attention, so the run held no outcome from slice to slice (flat memory);
    # its JSON still lists every invoice, read back from the journal.
    assert summary.outcomes == []
    assert sorted(i["invoice"] for i in shape["invoices"]) == sorted(parts[0])
    assert {i["state"] for i in shape["invoices"]} == {"EXPORTED"}
    assert all(i["procountor_invoice_id"] for i in shape["invoices"])
    assert summary.calls["POST /invoices"] == 30
    # Five slices, two companies: each company's master data read once for the whole run.
    assert summary.calls["GET /coa"] == 2
    assert summary.calls["GET /products/groups"] == 2
    for company in invoices.values():
        codes = [p["code"] for p in company["products"]]
        assert len(codes) == len(set(codes))  # every posting product created once
    assert first.totals == [30]  # one start, one end for the whole run
    assert first.ends == 1
    assert sorted(first.invoices) == sorted(parts[0])
    assert summary.run_id is not None
    assert run is not None
    assert (run.to_export, run.exported, run.failed, run.outcome) == (30, 30, 0, "succeeded")
    assert {i.state for i in run.invoices} == {JournalState.EXPORTED.value}
    assert again.to_export == 0
    assert again.already_exported == 30
    assert second.ends == 1


def test_a_slice_that_failed_to_create_a_product_hands_no_copy_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first product is created in Procountor but its answer is a refusal: that slice's
    copy of the master data lacks it, so the next slice reads Procountor again and finds it
    instead of creating it a second time."""
    monkeypatch.setattr(runner, "SLICE", 7)
    original = Products.create
    calls = []

    def created_then_refused(self: Products, product: Product) -> Product:
        made = original(self, product)
        calls.append(made.code)
        if len(calls) == 1:
            raise RejectedError("refused", operation="POST /products", status=400)
        return made

    monkeypatch.setattr(Products, "create", created_then_refused)
    with world(tmp_path, BenchConfig(invoices=30, companies=1, seed=4)) as (bench, _):
        summary = bench.export()
        shape = summary_json(bench.store, summary, Messages())
        company = next(iter(bench.companies().values()))
    assert summary.failed > 0  # the invoices that needed the "refused" product
    failed = [o for o in summary.outcomes if o.state is JournalState.FAILED]
    assert len(failed) == summary.failed  # each failure kept, with its problem, for the report
    assert all(o.problems for o in failed)
    # The JSON lists every invoice once: the failed ones with their errors, the rest exported.
    listed = [i["invoice"] for i in shape["invoices"]]
    assert len(listed) == len(set(listed)) == summary.exported + summary.failed == 30
    assert sum(1 for i in shape["invoices"] if i["errors"]) == summary.failed
    # Read by the first slice, again by the second (the first kept no copy), then kept.
    assert summary.calls["GET /coa"] == 2
    codes = [p["code"] for p in company["products"]]
    assert calls[0] in codes
    assert len(codes) == len(set(codes))  # the refused product was found, not made again
