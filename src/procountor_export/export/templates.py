"""What a message of the catalogue is: a code, its text with placeholders, and its remedy.

A template fills its ``{0}``-style placeholders and names the TMS by the ``source_system``
setting wherever its text says ``{source}``. Its remedy names actions (``{do:NAME}``), which
:mod:`procountor_export.export.actions` words for the face the message is read on.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from procountor_export.export.actions import ACTIONS, Face


class Severity(enum.StrEnum):
    """An error stops the invoice; a warning is recorded and the invoice still goes."""

    ERROR = "error"
    WARNING = "warning"


_ACTION = re.compile(r"\{do:(\w+)\}")


@dataclass(frozen=True)
class MessageTemplate:
    """One message: a code, its text with placeholders, and the fix a user can make."""

    code: str
    text: str
    remedy: str
    severity: Severity = Severity.ERROR

    def format(self, *args: object, source: str = "Opter") -> str:
        """The message with its placeholders filled (``{source}`` = the TMS's name)."""
        return self.text.replace("{source}", source).format(*args)

    def fix(self, source: str = "Opter", face: Face = Face.CLI) -> str:
        """What to do about it on ``face``, naming the TMS by its configured name."""
        worded = _ACTION.sub(lambda match: ACTIONS[match[1]].on(face), self.remedy)
        return worded.replace("{source}", source)

    @property
    def actions(self) -> tuple[str, ...]:
        """The names of the actions the remedy refers to."""
        return tuple(_ACTION.findall(self.remedy))
