"""CLI command of the job queue: ``procountor-export worker``."""

from __future__ import annotations

from typing import Annotated

import typer

from procountor_export.cli import common


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("worker")(worker)


def worker(
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", min=1, help="Jobs this worker runs at the same time."),
    ] = 1,
) -> None:
    """Work the export queue (PostgreSQL) until stopped; start one on as many machines as wanted.

    Takes export jobs that the web UI or the REST API deferred: one company's chunk at a time
    per job, one run per company at a time, every request paced by the limiter the client id
    shares (set PROCOUNTOR_LIMITER_URL to the same PostgreSQL or Redis on every machine).
    SIGINT or SIGTERM stop it after the jobs it is running. On SQLite there is no queue: the
    exports run in the serving process.
    """
    config = common.settings()
    if not config.database_url.startswith(("postgresql", "postgres")):
        common.fail(
            "the job queue needs PostgreSQL (PROCOUNTOR_EXPORT_DATABASE_URL); on SQLite the "
            "exports run in the process that starts them"
        )
    from procountor_export.jobs.queue import run_worker

    common.open_store(config).close()  # the store's tables (and the limiter's) are there
    common.err.print(f"Export worker: concurrency {concurrency}; Ctrl-C to stop.")
    run_worker(config.database_url, concurrency)
