"""The export queue's jobs as procrastinate keeps them, read through its public job manager.

Shared by the queue (:mod:`.queue`) and the runs read back (:mod:`.runs`): no SQL on
procrastinate's own tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import procrastinate
import psycopg_pool
from procrastinate.jobs import Job, Status
from procrastinate.manager import JobManager

QUEUE = "exports"


def conninfo(database_url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy) → ``postgresql://…`` (psycopg)."""
    scheme, sep, rest = database_url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


def bare_app(database_url: str) -> procrastinate.App:
    """A procrastinate app of the store at ``database_url`` without tasks: enough to read its
    jobs and schema."""
    return procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url))
    )


@contextmanager
def opened(
    database_url: str, make_app: Callable[[str], procrastinate.App] = bare_app
) -> Iterator[procrastinate.App]:
    """An app for procrastinate's job manager and schema on one connection of its own, closed
    after (a fresh app each time: an app opened on a pool of its caller keeps that pool)."""
    app = make_app(database_url)
    pool = psycopg_pool.ConnectionPool(conninfo(database_url), min_size=1, max_size=1, open=False)
    with pool, app.open(pool):
        yield app


def unfinished(manager: JobManager, *, task: str | None = None) -> list[Job]:
    """The export queue's jobs waiting or going (only ``task``'s when given).

    The waiting ones are read first: a job that starts between the two reads is still seen.
    """
    return [
        job
        for status in (Status.TODO, Status.DOING)
        for job in manager.list_jobs(queue=QUEUE, task=task, status=status.value)
    ]


def job_run_id(job: Job) -> int | None:
    """The export run a job of the queue belongs to (``None`` for the periodic one)."""
    run_id = job.task_kwargs.get("run_id")
    return run_id if isinstance(run_id, int) else None
