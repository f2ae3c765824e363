"""A problem found with one invoice: the message a user reads, what to do, and where."""

from __future__ import annotations

from dataclasses import dataclass

from procountor_export.export.messages import MessageTemplate, Severity


@dataclass(frozen=True)
class Problem:
    """One problem with one invoice (or with the whole run when ``invoice`` is ``None``)."""

    code: str
    message: str
    remedy: str
    severity: Severity = Severity.ERROR
    invoice: str | None = None
    field: str | None = None
    detail: str | None = None

    @classmethod
    def of(
        cls,
        template: MessageTemplate,
        *args: object,
        source: str,
        invoice: str | None = None,
        field: str | None = None,
        detail: str | None = None,
    ) -> Problem:
        """A problem from a catalogue message, its placeholders filled from ``args``."""
        return cls(
            code=template.code,
            message=template.format(*args, source=source),
            remedy=template.fix(source),
            severity=template.severity,
            invoice=invoice,
            field=field,
            detail=detail,
        )

    @property
    def is_error(self) -> bool:
        """Whether it stops the invoice (warnings don't)."""
        return self.severity is Severity.ERROR

    def text(self) -> str:
        """The message with Procountor's own detail, as stored in the journal."""
        return f"{self.message}: {self.detail}" if self.detail else self.message

    def as_dict(self) -> dict[str, str | None]:
        """JSON-ready form for ``--json`` output and the REST API."""
        return {
            "code": self.code,
            "message": self.message,
            "detail": self.detail,
            "remedy": self.remedy,
            "severity": self.severity.value,
            "invoice": self.invoice,
            "field": self.field,
        }
