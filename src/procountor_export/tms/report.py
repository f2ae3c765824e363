"""What an import reports: problems by JSON path, counts per kind, conflicts, closed periods."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

# The kinds of record an import counts, in the order they are printed.
# How many errors (and warnings) one report lists: far more than anyone reads, and bounded.
MAX_PROBLEMS = 1000

KINDS = (
    "office",
    "profit_centres",
    "units",
    "vat_rates",
    "customers",
    "periods",
    "invoices",
    "exports",
    "groups",
    "terminology",
)
Status = Literal["created", "updated", "unchanged"]
DOCUMENT_PATH = "(document)"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def json_path(prefix: str, loc: Iterable[int | str]) -> str:
    """``json_path("invoices[3]", ("postings", 0, "net"))`` -> ``invoices[3].postings[0].net``.

    Keys that are not identifiers (profit-centre names, VAT codes) are written ``["key"]``.
    """
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            path += f".{part}" if path else part
        else:
            path += '["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return path or DOCUMENT_PATH


@dataclass(frozen=True)
class DocumentProblem:
    """One problem of the document, at a JSON path."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _message(error: Any) -> str:
    """Pydantic's message, phrased for someone fixing a document."""
    kind = error["type"]
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "decimal_parsing":
        return f'must be a decimal string like "12.50", not {_shown(error["input"])}'
    message = str(error["msg"])
    message = message.removeprefix("Value error, ").replace("Input should be", "must be")
    if kind in ("literal_error", "enum"):
        message += f", not {_shown(error['input'])}"
    return message


def _shown(value: Any) -> str:
    """A value as the document wrote it, cut short."""
    text = value if isinstance(value, str) else repr(value)
    return '"' + (text if len(text) <= 50 else text[:47] + "...") + '"'


def problems_from(prefix: str, exc: ValidationError) -> list[DocumentProblem]:
    """Every error of ``exc`` as a :class:`DocumentProblem` under ``prefix``."""
    problems = []
    for error in exc.errors(include_url=False, include_context=False):
        # Pydantic adds the name of a validator function or union member to the location:
        # only keys and indexes belong to a JSON path.
        loc = [part for part in error["loc"] if not (isinstance(part, str) and "[" in part)]
        problems.append(DocumentProblem(json_path(prefix, loc), _message(error)))
    return problems


@dataclass
class Counts:
    """How many records of one kind were created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, status: Status, count: int = 1) -> None:
        """Count ``count`` records with ``status``."""
        setattr(self, status, getattr(self, status) + count)

    @property
    def total(self) -> int:
        """All records of this kind in the document."""
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class Conflict:
    """An invoice an export holds that the document would change: kept as is.

    ``exporting``: only claimed by a running export (not sent yet); importing the document
    again once that export has finished applies the change if the export did not send it.
    """

    number: str
    path: str
    states: tuple[str, ...]
    exporting: bool = False

    def __str__(self) -> str:
        held = ", ".join(self.states)
        if self.exporting:
            return (
                f"{self.path}: invoice {self.number} is being exported to Procountor right now "
                f"({held}); the change was not imported (import the document again when the "
                "export has finished)"
            )
        return (
            f"{self.path}: invoice {self.number} has already been exported to Procountor "
            f"({held}); the change was not imported"
        )


@dataclass
class ImportReport:
    """The outcome of one import; ``accepted`` is false when any error was found.

    At most :data:`MAX_PROBLEMS` errors and as many warnings are kept, then one line that says
    how many more there were: a hostile document (``"invoices": [{}, {}, …]``) has an error for
    every item, and a list of millions would take the memory the import's bounds protect.
    """

    errors: list[DocumentProblem] = field(default_factory=list)
    warnings: list[DocumentProblem] = field(default_factory=list)
    errors_not_kept: int = 0
    warnings_not_kept: int = 0
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    conflicts: list[Conflict] = field(default_factory=list)
    newly_closed_periods: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Whether the document was imported (no errors; conflicts do not reject it)."""
        return not self.errors

    def error(self, path: str, message: str) -> None:
        """Record an error that rejects the document."""
        self.add_errors([DocumentProblem(path, message)])

    def warn(self, path: str, message: str) -> None:
        """Record a warning (the document is still imported)."""
        self.add_warnings([DocumentProblem(path, message)])

    def add_errors(self, problems: Iterable[DocumentProblem]) -> None:
        """Record errors, keeping the first :data:`MAX_PROBLEMS` and counting the rest."""
        self.errors_not_kept += _keep(self.errors, problems, self.errors_not_kept, "errors")

    def add_warnings(self, problems: Iterable[DocumentProblem]) -> None:
        """Record warnings, keeping the first :data:`MAX_PROBLEMS` and counting the rest."""
        self.warnings_not_kept += _keep(self.warnings, problems, self.warnings_not_kept, "warnings")

    def discard_counts(self) -> None:
        """Forget the counts (a rejected document changed nothing)."""
        self.counts = {kind: Counts() for kind in KINDS}
        self.conflicts.clear()
        self.newly_closed_periods.clear()

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-able data (the CLI's ``--json``)."""
        return {
            "accepted": self.accepted,
            "counts": {kind: vars(counts).copy() for kind, counts in self.counts.items()},
            "conflicts": [
                {"number": c.number, "path": c.path, "states": list(c.states), "message": str(c)}
                for c in self.conflicts
            ],
            "newly_closed_periods": list(self.newly_closed_periods),
            "errors": [{"path": p.path, "message": p.message} for p in self.errors],
            "warnings": [{"path": p.path, "message": p.message} for p in self.warnings],
            "errors_not_kept": self.errors_not_kept,
            "warnings_not_kept": self.warnings_not_kept,
        }


def _keep(
    kept: list[DocumentProblem], problems: Iterable[DocumentProblem], dropped: int, what: str
) -> int:
    """Append ``problems`` to ``kept`` up to the limit; how many more were dropped now.

    The line that says the list was cut goes in once, as the last one kept, and names the limit
    (the total is known only at the end: the report's ``*_not_kept`` count has it).
    """
    more = 0
    for problem in problems:
        if len(kept) < MAX_PROBLEMS:
            kept.append(problem)
            continue
        if dropped + more == 0:
            kept.append(
                DocumentProblem(
                    "",
                    f"more than {MAX_PROBLEMS:,} {what}: only the first {MAX_PROBLEMS:,} are "
                    "listed; correct them and import again to see the rest",
                )
            )
        more += 1
    return more
