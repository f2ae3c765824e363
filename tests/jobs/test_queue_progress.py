"""Live progress on the PostgreSQL queue (issue 21): counts that rise while the run goes.

Issue 21's "done when": a 1,500-invoice run started over the REST API on the queue with two
workers shows ``exported`` rising through many values while it goes. Its invoices go to two
companies, so both workers export at once and their counts must add up. Also: a run of an open
period records why it failed (item 5), on the queue too.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from starlette.testclient import TestClient

from procountor_export.bench.emulator import bench_seed
from procountor_export.bench.run import BenchConfig, bench_document
from procountor_export.emulator import create_app
from procountor_export.emulator.seed import Seed
from procountor_export.emulator.server import BackgroundServer
from procountor_export.export import messages as m
from procountor_export.export.reading.scope import Scope
from procountor_export.jobs.queue import QueueJobs
from procountor_export.settings import load_settings
from procountor_export.store import access
from procountor_export.store.db import Store, now
from procountor_export.store.models import ExportRun, JournalEntry, JournalState, Period
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document
from procountor_export.web import create_app as create_web_app
from worker_processes import worker_env, worker_processes  # type: ignore[import-not-found]

INVOICES = 1500
# The client id's pace shared by both workers (requests/s), and the emulator's latency: low,
# so 1,500 invoices take tens of seconds, not minutes; the emulator refuses nothing.
RATE = 150
LATENCY_MS = 5
LOOPBACK = ("127.0.0.1", 50000)


def _journal_exported(store: Store, run_id: int) -> int:
    """The run's invoices the journal holds as exported now."""
    with store.session() as session:
        query = select(func.count()).where(
            JournalEntry.run_id == run_id, JournalEntry.state == JournalState.EXPORTED
        )
        return int(session.scalar(query) or 0)


@pytest.mark.postgres
def test_a_1500_invoice_run_over_the_api_with_two_workers_shows_exported_rising(
    postgres_schema_url: str, tmp_path: Path
) -> None:
    document, _ = bench_document(BenchConfig(invoices=INVOICES, companies=2, seed=9), 1)
    key = Fernet.generate_key()
    store = Store.open(postgres_schema_url)
    assert import_document(store, document, box=SecretBox(key)).accepted
    with store.session() as session:
        token = access.create_token(session, "tms")
    auth = {"Authorization": f"Bearer {token}"}
    seed = Seed.model_validate(bench_seed(2, limit=100_000, latency_ms=LATENCY_MS))
    conninfo = postgres_schema_url.replace("+psycopg", "")
    with BackgroundServer(create_app(seed)) as server:
        env = worker_env(postgres_schema_url, key, server.base_url, PROCOUNTOR_RATE_LIMIT=str(RATE))
        settings = load_settings(
            PROCOUNTOR_EXPORT_DATABASE_URL=postgres_schema_url,
            PROCOUNTOR_EXPORT_SECRET_KEY=key.decode(),
            PROCOUNTOR_BASE_URL=server.base_url,
        )
        web = create_web_app(settings, store=store)
        seen: list[int] = []  # `exported` of every answer while the run went
        overstated: list[tuple[int, int]] = []  # (answered, journal) when answered > journal
        workers_seen: set[int] = set()
        with (
            TestClient(web, base_url="http://127.0.0.1", client=LOOPBACK) as http,
            worker_processes(env, tmp_path, concurrency=1) as workers,
        ):
            answer = http.post("/api/v1/exports", json={"all": True}, headers=auth)
            assert answer.status_code == 202, answer.text
            run_id = answer.json()["run_id"]
            deadline = time.monotonic() + 600  # a hang, not a speed bound
            while True:
                data = http.get(f"/api/v1/exports/{run_id}", headers=auth).json()
                if not data["running"]:
                    break
                seen.append(data["exported"])
                # The counts the workers added never pass what the journal holds.
                journal = _journal_exported(store, run_id)
                if data["exported"] > journal:
                    overstated.append((data["exported"], journal))
                with psycopg.connect(conninfo) as connection:
                    workers_seen.update(
                        row[0]
                        for row in connection.execute(
                            "SELECT worker_id FROM procrastinate_jobs "
                            "WHERE status = 'doing' AND worker_id IS NOT NULL"
                        )
                    )
                assert all(w.poll() is None for w in workers), "a worker stopped"
                assert time.monotonic() < deadline, "the run did not finish"
                time.sleep(0.2)
        web.state.web.jobs.close()
    store.close()
    logs = "\n".join((tmp_path / f"worker-{n}.log").read_text()[-1500:] for n in range(2))
    assert data["outcome"] == "succeeded", logs
    assert (data["to_export"], data["exported"], data["failed"]) == (INVOICES, INVOICES, 0)
    assert len(workers_seen) == 2, "both workers exported at once"
    assert seen == sorted(seen), "the exported count went down"
    assert overstated == []
    rising = sorted({count for count in seen if 0 < count < INVOICES})
    assert len(rising) >= 10, rising  # issue 21 saw 0 until the end, then everything


@pytest.mark.postgres
def test_a_queued_run_of_an_open_period_records_why_it_failed(postgres_schema_url: str) -> None:
    document, _ = bench_document(BenchConfig(invoices=20, seed=9), 1)
    store = Store.open(postgres_schema_url)
    assert import_document(store, document, box=SecretBox(Fernet.generate_key())).accepted
    with store.session() as session:
        open_ids = list(session.scalars(select(Period.id).where(Period.closed_at.is_(None))))
        closed_id = session.scalars(select(Period.id).where(Period.closed_at.is_not(None))).first()
    assert open_ids
    assert closed_id is not None
    jobs = QueueJobs(store, postgres_schema_url)
    # Only an open period: nothing to defer, the run ends at once and says why.
    alone = jobs.run(jobs.start_export(Scope(periods=(open_ids[0],)), "api:tms"))
    # An open and a closed period: the closed one's invoices are deferred; the run says from
    # its start why it will end "failed" (no worker runs here: it is still going).
    mixed = jobs.run(jobs.start_export(Scope(periods=(open_ids[0], closed_id)), "api:tms"))
    store.close()
    assert alone is not None
    assert mixed is not None
    assert (alone.state, alone.exported, alone.to_export) == ("failed", 0, 0)
    assert mixed.running
    assert mixed.to_export > 0
    for view in (alone, mixed):
        assert view.problem is not None, "the run says why"
        assert (view.problem.code, view.problem.args) == (m.PERIOD_OPEN.code, (open_ids[0],))


@pytest.mark.postgres
def test_a_queued_run_is_going_while_its_jobs_wait_however_old(postgres_schema_url: str) -> None:
    document, _ = bench_document(BenchConfig(invoices=20, seed=9), 1)
    store = Store.open(postgres_schema_url)
    assert import_document(store, document, box=SecretBox(Fernet.generate_key())).accepted
    jobs = QueueJobs(store, postgres_schema_url)
    run_id = jobs.start_export(Scope(all=True), "api:tms")
    with store.session() as session:  # older than a claim's lease, and no claim: no worker yet
        session.get_one(ExportRun, run_id).started_at = now() - timedelta(minutes=10)
    waiting = jobs.run(run_id)
    with psycopg.connect(postgres_schema_url.replace("+psycopg", "")) as connection:
        connection.execute("UPDATE procrastinate_jobs SET status = 'cancelled'")
    abandoned = jobs.run(run_id)
    store.close()
    assert waiting is not None
    assert abandoned is not None
    assert (waiting.state, waiting.running) == ("running", True)
    assert (abandoned.state, abandoned.running) == ("interrupted", False)
