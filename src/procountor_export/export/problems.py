"""A problem found with one invoice (or a whole run), as data: a message code and its arguments.

Nothing here is text for a reader: the words are rendered at the edge (CLI, JSON, web, event
log) by :class:`~.messages.Messages`, which knows the TMS's name and, later, the language. The
journal keeps the same data, so a problem can be rendered again long after the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from procountor_export.export.messages import MessageTemplate, Severity


@dataclass(frozen=True)
class Problem:
    """One problem: the catalogue code, its arguments, and where it was found.

    ``detail`` is Procountor's own explanation (its ``errors[]``) or the reason a check gives;
    it is shown after the message, in Procountor's or the library's words.
    """

    code: str
    args: tuple[str, ...] = ()
    severity: Severity = Severity.ERROR
    invoice: str | None = None
    field: str | None = None
    detail: str | None = None

    @classmethod
    def of(
        cls,
        template: MessageTemplate,
        *args: object,
        invoice: str | None = None,
        field: str | None = None,
        detail: str | None = None,
    ) -> Problem:
        """A problem of a catalogue message; ``args`` fill its ``{0}``, ``{1}`` … (as text)."""
        return cls(
            code=template.code,
            args=tuple("" if arg is None else str(arg) for arg in args),
            severity=template.severity,
            invoice=invoice,
            field=field,
            detail=detail,
        )

    @property
    def is_error(self) -> bool:
        """Whether it stops the invoice (warnings don't)."""
        return self.severity is Severity.ERROR

    def to_data(self) -> dict[str, Any]:
        """The problem as JSON-ready data, as the journal keeps it."""
        return {
            "code": self.code,
            "args": list(self.args),
            "severity": self.severity.value,
            "invoice": self.invoice,
            "field": self.field,
            "detail": self.detail,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Problem:
        """The problem :meth:`to_data` wrote."""
        return cls(
            code=str(data["code"]),
            args=tuple(str(arg) for arg in data.get("args") or ()),
            severity=Severity(data.get("severity") or Severity.ERROR.value),
            invoice=data.get("invoice"),
            field=data.get("field"),
            detail=data.get("detail"),
        )
