"""One company, many definitions, on the PostgreSQL job queue (issue 19, item 7).

Two export definitions hold the same API key. The queue's lock is per definition, so their
chunks run at the same time in two worker processes; the company's master data (product
group, posting products, dimension items, business partners) must still be created once: the
process that loses the race finds and reuses what the other created.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from procountor_export.bench.run import BenchConfig, bench_document, bench_seed
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.emulator.server import BackgroundServer
from procountor_export.export.reading.scope import Scope
from procountor_export.jobs.queue import QueueJobs
from procountor_export.store.db import Store
from procountor_export.store.models import ExportDefinition, JournalEntry, JournalState
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document
from shared_company import (  # type: ignore[import-not-found]
    FINANCED,
    duplicates,
    master_data_counts,
    two_definitions,
)
from worker_processes import wait_for_run, worker_processes  # type: ignore[import-not-found]

INVOICES = 40
AsgiScope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class ServerRendezvous:
    """ASGI middleware: the first two ``GET /api/products/groups`` wait (up to ``wait`` s) for
    each other before they are answered, so both workers read the company before either
    creates anything. With a lock per company the second read comes only after the first
    worker is done, and the first waits out ``wait`` alone."""

    def __init__(self, app: Callable[[AsgiScope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self.arrived = 0
        self.all_here: asyncio.Event | None = None
        self.wait = 3.0

    async def __call__(self, scope: AsgiScope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"] == "/api/products/groups"
        ):
            if self.all_here is None:
                self.all_here = asyncio.Event()
            self.arrived += 1
            if self.arrived == 2:
                self.all_here.set()
            elif self.arrived < 2:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.all_here.wait(), self.wait)
        await self.app(scope, receive, send)


@pytest.mark.postgres
def test_two_workers_two_definitions_one_company_create_master_data_once(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    document, parts = bench_document(BenchConfig(invoices=INVOICES, companies=1, seed=6), 1)
    document = two_definitions(document, first="Bench company 1")
    key = Fernet.generate_key()
    store = Store.open(postgres_schema_url)
    assert import_document(store, document, box=SecretBox(key)).accepted
    seed = Seed.model_validate(bench_seed(1, limit=1000.0, latency_ms=5))
    app = create_app(seed)
    app.add_middleware(ServerRendezvous)
    with BackgroundServer(app) as server:
        env = {
            **os.environ,
            "PROCOUNTOR_EXPORT_DATABASE_URL": postgres_schema_url,
            "PROCOUNTOR_LIMITER_URL": postgres_schema_url,
            "PROCOUNTOR_EXPORT_SECRET_KEY": key.decode(),
            "PROCOUNTOR_BASE_URL": server.base_url,
        }
        jobs = QueueJobs(store, postgres_schema_url, chunk=8)
        run_id = jobs.start_export(Scope(invoices=tuple(parts[0])), "test")
        with worker_processes(env, tmp_path, concurrency=1) as workers:
            wait_for_run(jobs, run_id, workers)
        snapshot = server.app_state().snapshot(include_files=False)
    with store.session() as session:
        exported = {
            name
            for (name,) in session.query(ExportDefinition.name)
            .join(JournalEntry, JournalEntry.export_id == ExportDefinition.id)
            .filter(JournalEntry.state == JournalState.EXPORTED)
            .distinct()
        }
    view = jobs.run(run_id)
    store.close()
    worker_logs = "\n".join(
        (tmp_path / f"worker-{n}.log").read_text(errors="replace")[-1500:] for n in range(2)
    )
    (company,) = snapshot["companies"].values()
    assert duplicates(company) == {}, worker_logs
    assert view is not None
    assert view.outcome == "succeeded", worker_logs
    assert view.exported == INVOICES
    assert exported == {"Bench company 1", FINANCED}  # both definitions had work
    counts = master_data_counts(company)
    assert sum(counts["product groups"].values()) == 1
    assert len(counts["invoices"]) == INVOICES
