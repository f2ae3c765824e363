"""Export runs in threads of the serving process: the embedded (SQLite) default."""

from __future__ import annotations

import threading
from collections.abc import Mapping

from procountor_export.export import Exporter, ExportOptions, MakeClient, Scope, resolve
from procountor_export.jobs.base import Busy
from procountor_export.jobs.runs import RunView, list_runs, read_run
from procountor_export.logs import EXPORT_LOG
from procountor_export.store.db import Store
from procountor_export.store.runs import RunOutcome, Runs
from procountor_export.store.secrets import SecretBox


def exports_in_scope(store: Store, scope: Scope) -> frozenset[int]:
    """The export definitions (Procountor companies) the scope's invoices go to.

    Raises :class:`~procountor_export.export.ScopeError` for an unknown period or
    invoice number, before any run is recorded.
    """
    with store.session() as session:
        return resolve(session, scope).export_ids


class InProcessJobs:
    """Runs each export in a thread of this process; one run per export definition at a time.

    Which export definitions are busy is known to this process only; a run started elsewhere
    (the CLI, another server) is kept from sending the same invoices by the journal's claims,
    and its invoices are reported as left to the other run.
    """

    def __init__(
        self,
        store: Store,
        client_factory: MakeClient,
        box: SecretBox | None,
        *,
        source: str = "Opter",
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.box = box
        self.source = source
        self.environ = environ
        self._lock = threading.Lock()
        self._busy: dict[int, int] = {}  # export definition id -> run id
        self._threads: dict[int, threading.Thread] = {}
        self._closed = False

    @property
    def exporter(self) -> Exporter:
        """The export engine made of this runner's store, clients' factory and key box as they
        are now (a test may swap the factory in between runs)."""
        return Exporter(
            self.store,
            client_factory=self.client_factory,
            box=self.box,
            options=ExportOptions(source=self.source, environ=self.environ),
        )

    def start_export(self, scope: Scope, started_by: str) -> int:
        """Record a run for ``scope``, start it in a thread and return its id at once."""
        exports = exports_in_scope(self.store, scope)
        runs = Runs(self.store)
        with self._lock:
            if self._closed:
                raise RuntimeError("the job runner is closed")
            going = sorted({self._busy[e] for e in exports if e in self._busy})
            if going:
                raise Busy(going[0])
            run_id = runs.start(scope.as_dict(), started_by)
            for export in exports:
                self._busy[export] = run_id
            thread = threading.Thread(
                target=self._run,
                args=(scope, started_by, run_id, exports),
                name=f"export-run-{run_id}",
                daemon=True,
            )
            self._threads[run_id] = thread
        thread.start()
        return run_id

    def _run(self, scope: Scope, started_by: str, run_id: int, exports: frozenset[int]) -> None:
        runs = Runs(self.store)
        try:
            self.exporter.export(scope, run_id=run_id, started_by=started_by)
        except Exception:  # the run's own failures are in its summary; this is a bug or an outage
            EXPORT_LOG.exception("export run %s stopped by an unexpected error", run_id)
            try:
                runs.finish(run_id, outcome=RunOutcome.error)
            except Exception:
                EXPORT_LOG.exception("export run %s: its end could not be recorded", run_id)
        finally:
            with self._lock:
                for export in exports:
                    if self._busy.get(export) == run_id:
                        del self._busy[export]
                self._threads.pop(run_id, None)

    def run(self, run_id: int) -> RunView | None:
        """The run's progress and per-invoice results, read from the database."""
        return read_run(self.store, run_id)

    def runs(self, limit: int = 50) -> list[RunView]:
        """The latest runs, newest first."""
        return list_runs(self.store, limit)

    def going(self) -> list[int]:
        """The ids of the runs this process is running now."""
        with self._lock:
            return sorted(self._threads)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the runs going now to end (tests; shutdown)."""
        with self._lock:
            threads = list(self._threads.values())
        for thread in threads:
            thread.join(timeout)

    def close(self) -> None:
        """Accept no new run and wait for the ones going to end."""
        with self._lock:
            self._closed = True
        self.wait()
