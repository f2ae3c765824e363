"""Checks and dry runs: everything up to the plan, and nothing written anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from procountor_export.export.company import key_problem, load_company, not_yet_exported
from procountor_export.export.options import ClientFactory, ExportOptions
from procountor_export.export.planning.plan import RunPlan, plan_run
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import ExportConfig
from procountor_export.export.reading.gather import gather
from procountor_export.export.reading.scope import Scope
from procountor_export.export.sending.failures import RunAborted
from procountor_export.export.sending.journal import Journal
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox


@dataclass
class ExportAnalysis:
    """One export definition's checks and plan (``check`` and ``--dry-run``)."""

    export: ExportConfig
    plan: RunPlan | None = None
    snapshot: CompanyCache | None = None
    problem: Problem | None = None  # why it could not be analysed at all
    already_exported: int = 0


@dataclass
class Analysis:
    """The checks and plans of a whole scope."""

    exports: list[ExportAnalysis] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing stands in the way of exporting."""
        return not self.problems and all(
            a.problem is None and a.plan is not None and all(p.ready for p in a.plan.invoices)
            for a in self.exports
        )


def analyse(
    store: Store,
    scope: Scope,
    *,
    client_factory: ClientFactory,
    box: SecretBox | None,
    options: ExportOptions | None = None,
) -> Analysis:
    """Run every check and build the plan for ``scope``; write nothing anywhere."""
    options = options or ExportOptions()
    with store.session() as session:
        gathered = gather(session, scope, box=box, source=options.source, environ=options.environ)
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
            result.problem = key_problem(work, options.source)
            continue
        with client_factory(work.config, work.api_key) as client:
            try:
                result.snapshot = load_company(client, work, store, source=options.source)
            except RunAborted as aborted:
                result.problem = aborted.problem
                continue
        result.plan = plan_run(
            work.invoices, work.config, result.snapshot, gathered.office, source=options.source
        )
    return analysis
