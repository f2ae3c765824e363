"""The export engine as the faces use it: check, plan, export, and where invoices stand.

An :class:`Exporter` is built once per store with what every run of that store shares (the
clients' factory, the key box, the run options) and hands a scope to the engine's inside:
:func:`~.analysis.analyse` for checks and plans, :func:`~.runner.run_export` for runs,
:mod:`~.reporting.status` for the state of invoices. It adds no behaviour of its own, so a
face that calls it does exactly what the engine does, started from anywhere.
"""

from __future__ import annotations

from dataclasses import replace

from procountor_export.export.analysis import analyse
from procountor_export.export.options import ExportOptions, MakeClient
from procountor_export.export.reading.memo import MasterMemo
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.analysis import Analysis
from procountor_export.export.reporting.progress import ProgressListener, RunSummary
from procountor_export.export.reporting.status import HistoryEvent, StatusRow, history, status
from procountor_export.export.runner import run_export
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox

__all__ = ["Exporter"]


class Exporter:
    """The engine's one entrance for a store: every face (CLI, web, REST API, jobs) uses it.

    ``client_factory`` makes the Procountor client of an export definition (the usual one
    shares a rate limiter per client id); ``box`` opens stored API keys (``None``: only keys
    read from environment variables work); ``options`` say how runs behave and who starts
    them. The exporter holds no connection of its own: each call opens and closes the store
    sessions it needs, so one exporter may serve many threads at once.
    """

    def __init__(
        self,
        store: Store,
        *,
        client_factory: MakeClient,
        box: SecretBox | None,
        options: ExportOptions | None = None,
    ) -> None:
        self.store = store
        self.client_factory = client_factory
        self.box = box
        self.options = options or ExportOptions()

    def check(self, scope: Scope) -> Analysis:
        """Every check an export makes of ``scope``'s invoices against Procountor's data.

        Writes nothing anywhere (neither the store nor Procountor); reads the companies'
        master data. Raises :class:`~.reading.scope.ScopeError` for an unknown period or
        invoice, and a :class:`~procountor_export.procountor.ProcountorError` when Procountor
        cannot be reached. An export definition whose credentials are refused is that
        export's ``problem`` in the analysis, not an exception.
        """
        return analyse(
            self.store,
            scope,
            client_factory=self.client_factory,
            box=self.box,
            options=self.options,
        )

    def plan(self, scope: Scope) -> Analysis:
        """What an export of ``scope`` would send (``export --dry-run``): :meth:`check`'s
        analysis, whose exports each carry the plan of their invoices.

        The same reads and the same guarantees as :meth:`check`: nothing is written. A plan
        and a check differ only in what a face shows of the analysis.
        """
        return self.check(scope)

    def export(
        self,
        scope: Scope,
        *,
        progress: ProgressListener | None = None,
        run_id: int | None = None,
        memo: MasterMemo | None = None,
        end: bool = True,
        started_by: str | None = None,
    ) -> RunSummary:
        """Export ``scope``'s invoices to Procountor; the run's summary is returned.

        Every step is recorded in the journal before the next one is taken; invoices already
        exported are skipped, those left INFLIGHT or FAILED by an earlier run are completed
        (never posted twice). A failure on one invoice never stops the others.

        ``progress`` hears the run's events; ``run_id`` is a run recorded beforehand by a
        caller that answers before the run ends (the background jobs), else the run records
        its own; ``memo`` keeps the companies' master data between the parts of one run
        exported in several calls (the job queue's chunks); ``end=False`` leaves the run
        open, its end to the caller. ``started_by`` names who started this run in its record
        (default: the exporter's options). Raises :class:`~.reading.scope.ScopeError` for an
        unknown period or invoice, before anything is recorded.
        """
        options = self.options
        if started_by is not None:
            options = replace(options, started_by=started_by)
        return run_export(
            self.store,
            scope,
            client_factory=self.client_factory,
            box=self.box,
            options=options,
            progress=progress,
            run_id=run_id,
            memo=memo,
            end=end,
        )

    def status(self, scope: Scope) -> list[StatusRow]:
        """A row per invoice of ``scope`` and export definition it goes to: its journal
        state (``NEW`` where nothing was tried), Procountor ids, payment reference, errors
        and warnings. Reads the store only; open periods are shown too.

        Raises :class:`~.reading.scope.ScopeError` for an unknown period or invoice.
        """
        with self.store.session() as session:
            return status(session, scope)

    def history(self, invoice_id: int) -> list[HistoryEvent]:
        """Every transition of the invoice's journal rows (by the store's invoice id), oldest
        first; empty for an invoice never exported. Reads the store only."""
        with self.store.session() as session:
            return history(session, invoice_id)
