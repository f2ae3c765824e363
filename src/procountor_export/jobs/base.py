"""The interface every way of running exports in the background offers."""

from __future__ import annotations

from typing import Protocol

from procountor_export.export import Scope
from procountor_export.jobs.runs import RunView


class Busy(Exception):
    """A run for the same Procountor company (export definition) is still going."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"Export run {run_id} for the same Procountor company is still going.")
        self.run_id = run_id


class Jobs(Protocol):
    """Starts export runs in the background and reads them back from the database.

    ``start_export`` returns as soon as the run is recorded (its id is what a REST client polls,
    HTTP 202). It raises :class:`~procountor_export.export.ScopeError` for a
    scope naming what the store does not have, and :class:`Busy` when one of the export
    definitions the scope's invoices go to has a run going.
    """

    def start_export(self, scope: Scope, started_by: str) -> int:
        """Record a run for ``scope`` and start it in the background; return its id."""
        ...

    def run(self, run_id: int) -> RunView | None:
        """The run's progress and, per invoice, its result (``None``: no such run)."""
        ...

    def runs(self, limit: int = 50) -> list[RunView]:
        """The latest runs, newest first, without their invoices."""
        ...

    def close(self) -> None:
        """Stop accepting runs and wait for the ones going to end."""
        ...
