"""Checks and dry runs: everything up to the plan, and nothing written anywhere."""

from __future__ import annotations

from dataclasses import replace

from procountor_export.export.company import key_problem, load_company, not_yet_exported
from procountor_export.export.options import ExportOptions, MakeClient
from procountor_export.export.planning.plan import RunPlan, plan_run
from procountor_export.export.reading.data import OfficeData
from procountor_export.export.reading.gather import ExportWork, gather
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.analysis import Analysis, ExportAnalysis
from procountor_export.export.sending.failures import RunAborted
from procountor_export.store.db import Store
from procountor_export.store.journal import Journal
from procountor_export.store.secrets import SecretBox

__all__ = ["Analysis", "ExportAnalysis", "analyse"]


def analyse(
    store: Store,
    scope: Scope,
    *,
    client_factory: MakeClient,
    box: SecretBox | None,
    options: ExportOptions | None = None,
) -> Analysis:
    """Run every check and build the plan for ``scope``; write nothing anywhere."""
    options = options or ExportOptions()
    with store.session() as session:
        gathered = gather(session, scope, box=box, environ=options.environ)
    journal = Journal(store)
    return Analysis(
        exports=[
            _analyse_work(store, journal, work, client_factory, gathered.office)
            for work in gathered.work
        ],
        problems=list(gathered.problems),
    )


def _analyse_work(
    store: Store,
    journal: Journal,
    gathered_work: ExportWork,
    client_factory: MakeClient,
    office: OfficeData,
) -> ExportAnalysis:
    """One export definition's checks and plan; ``gathered_work`` is left as it is."""
    # Already exported invoices are not checked or planned again (an export skips them).
    todo, done = not_yet_exported(journal, gathered_work)
    work = replace(gathered_work, invoices=todo)
    if not work.invoices:
        return ExportAnalysis(export=work.config, already_exported=done, plan=RunPlan())
    if work.api_key is None:
        return ExportAnalysis(export=work.config, already_exported=done, problem=key_problem(work))
    with client_factory(work.config, work.api_key) as client:
        try:
            snapshot = load_company(client, work, store)
        except RunAborted as aborted:
            return ExportAnalysis(
                export=work.config, already_exported=done, problem=aborted.problem
            )
    return ExportAnalysis(
        export=work.config,
        already_exported=done,
        snapshot=snapshot,
        plan=plan_run(work.invoices, work.config, snapshot, office),
    )
