"""The PostgreSQL job queue: two worker processes, three companies, one client id.

Issue 12: "a test with two worker processes and three companies against the emulator shows no
duplicates, a combined rate within the limit, and every company finished".
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet

from procountor_export.bench.run import BenchConfig, bench_document, bench_seed
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.emulator.server import BackgroundServer
from procountor_export.export.reading.scope import Scope
from procountor_export.jobs.base import Busy
from procountor_export.jobs.inprocess import InProcessJobs
from procountor_export.jobs.queue import QueueJobs, jobs_for
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document
from worker_processes import (  # type: ignore[import-not-found]
    wait_for_run,
    worker_env,
    worker_processes,
)

LIMIT = 20.0  # the emulator's requests/s per client id, as Procountor documents
INVOICES = 45


def busiest_second(times: list[float]) -> int:
    """The most requests in any window of one second."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


@pytest.mark.postgres
def test_two_workers_three_companies_no_duplicates_within_the_limit(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    document, parts = bench_document(BenchConfig(invoices=INVOICES, companies=3, seed=5), 1)
    customers = {c["code"]: c["export_setting"] for c in document["customers"]}
    expected: dict[str, set[str]] = {}
    for invoice in document["invoices"]:
        expected.setdefault(customers[invoice["customer"]], set()).add(invoice["number"])
    assert len(expected) == 3
    key = Fernet.generate_key()
    store = Store.open(postgres_schema_url)
    assert import_document(store, document, box=SecretBox(key)).accepted
    seed = Seed.model_validate(bench_seed(3, limit=LIMIT, latency_ms=20))
    with BackgroundServer(create_app(seed)) as server:
        env = worker_env(postgres_schema_url, key, server.base_url)
        jobs = QueueJobs(store, postgres_schema_url, chunk=8)
        conninfo = postgres_schema_url.replace("+psycopg", "")
        run_id = jobs.start_export(Scope(invoices=tuple(parts[0])), "test")
        with pytest.raises(Busy):  # one run per company at a time
            jobs.start_export(Scope(invoices=tuple(parts[0][:1])), "test")
        seen: set[int] = set()  # workers seen taking a job

        def note_workers() -> None:
            with psycopg.connect(conninfo) as connection:
                seen.update(
                    row[0]
                    for row in connection.execute(
                        "SELECT worker_id FROM procrastinate_jobs "
                        "WHERE status = 'doing' AND worker_id IS NOT NULL"
                    )
                )

        with worker_processes(env, tmp_path, concurrency=2) as workers:
            wait_for_run(jobs, run_id, workers, each=note_workers)
        state = server.app_state()
        snapshot = state.snapshot(include_files=False)
        violations = state.rate_limit_violations
        counts = dict(state.request_counts)
        times = [entry["time"] for entry in state.request_log if entry.get("clientId")]
    view = jobs.run(run_id)
    store.close()
    worker_logs = "\n".join(
        (tmp_path / f"worker-{n}.log").read_text(errors="replace")[-1500:] for n in range(2)
    )
    assert view is not None
    assert view.outcome == "succeeded", worker_logs
    assert len(seen) == 2, "both workers took jobs"
    assert view.exported == INVOICES
    assert view.failed == 0
    companies = {c["apiKey"]: c for c in snapshot["companies"].values()}
    for index, (export, numbers) in enumerate(sorted(expected.items())):
        company = companies[f"bench-key-{index + 1}"]
        assert export == f"Bench company {index + 1}"
        counted = Counter(i["originalInvoiceNumber"] for i in company["invoices"])
        assert set(counted) == numbers, export  # every company finished
        assert max(counted.values()) == 1, export  # no duplicates
        partners = Counter(p["invoicingInfo"]["customerNumber"] for p in company["partners"])
        assert max(partners.values()) == 1, export
        products = Counter(p["code"] for p in company["products"])
        assert max(products.values()) == 1, export
    # Each company's master data was read by its first chunk only, whichever worker took the
    # next (two chunks per company): "master data read once per company and run".
    assert counts["GET /coa"] == 3
    assert counts["GET /products/groups"] == 3
    # Both workers drew on one budget: the emulator refused nothing, and no second held more.
    assert violations == 0
    assert busiest_second(times) <= LIMIT


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_jobs_for_picks_the_queue_on_postgresql_only(
    kind: str, request: pytest.FixtureRequest
) -> None:
    url = str(request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_schema_url"))
    store = Store.open(url)
    try:
        jobs = jobs_for(store, url, lambda export, key: None, None)  # type: ignore[arg-type,return-value]
        expected = QueueJobs if kind == "postgresql" else InProcessJobs
        assert isinstance(jobs, expected)
        jobs.close()
    finally:
        store.close()
