"""What a check or dry run found: per export definition its plan, or why it has none."""

from __future__ import annotations

from dataclasses import dataclass, field

from procountor_export.export.planning.plan import RunPlan
from procountor_export.export.problems import Problem
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import ExportConfig


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
