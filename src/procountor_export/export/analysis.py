"""Checks and dry runs: everything up to the plan, and nothing written anywhere."""

from __future__ import annotations

from procountor_export.export.company import key_problem, load_company, not_yet_exported
from procountor_export.export.options import ExportOptions, MakeClient
from procountor_export.export.planning.plan import RunPlan, plan_run
from procountor_export.export.reading.gather import gather
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.analysis import Analysis, ExportAnalysis
from procountor_export.export.sending.failures import RunAborted
from procountor_export.export.sending.journal import Journal
from procountor_export.store.db import Store
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
    analysis = Analysis(problems=list(gathered.problems))
    journal = Journal(store)
    for work in gathered.work:
        # Already exported invoices are not checked or planned again (an export skips them).
        work.invoices, done = not_yet_exported(journal, work)
        result = ExportAnalysis(export=work.config, already_exported=done)
        analysis.exports.append(result)
        if not work.invoices:
            result.plan = RunPlan()
            continue
        if work.api_key is None:
            result.problem = key_problem(work)
            continue
        with client_factory(work.config, work.api_key) as client:
            try:
                result.snapshot = load_company(client, work, store)
            except RunAborted as aborted:
                result.problem = aborted.problem
                continue
        result.plan = plan_run(work.invoices, work.config, result.snapshot, gathered.office)
    return analysis
