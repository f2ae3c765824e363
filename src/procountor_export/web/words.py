"""The web UI's words for counts, journal states, journal steps and run states.

One mapping, used by every page (through the Jinja filters :func:`register` installs) and by the
export bar's JSON, so the window never shows the journal's own names (``INFLIGHT``,
``attach_pdf``) and never "1 invoices" or "attempt(s)". The API and the CLI's ``--json`` keep
the names themselves: they are data there, not words.
"""

from __future__ import annotations

from typing import Any

from procountor_export.plurals import plural
from procountor_export.tms import queries

# Journal states as the invoice's export state (``NEW``: no journal row yet): the Invoices list's
# words (``queries.STATE_WORDS``), so every page names a state the same way.
STATE_WORDS: dict[str, str] = dict(queries.STATE_WORDS)

# Journal steps (``journal.Step``): what the export was doing, or had last done.
STEP_WORDS: dict[str, str] = {
    "create_invoice": "creating the invoice in Procountor",
    "created": "invoice created in Procountor",
    "adopted": "found the invoice an earlier run had created in Procountor",
    "correct_coding": "correcting the accounts of the ledger receipt",
    "attach_pdf": "attaching the PDF copy",
    "attached": "PDF copy attached",
    "approve": "approving the invoice",
    "send": "sending the invoice",
    "done": "done",
}

# Export run states (``RunView.state``).
RUN_STATE_WORDS: dict[str, str] = {
    "running": "going",
    "succeeded": "succeeded",
    "failed": "failed",
    "interrupted": "interrupted",
    "aborted": "stopped",
    "error": "stopped by an error",
    "finished": "ended",
}


def _words(table: dict[str, str], value: Any) -> str:
    """The words for ``value`` (an enum or its name); an unknown one is shown as it is, so a
    new state is never hidden from the clerk."""
    if value is None:
        return "—"
    key = str(getattr(value, "value", value))
    return table.get(key, key.replace("_", " "))


def state_words(state: Any) -> str:
    """An invoice's export state in words: ``INFLIGHT`` → ``Being exported``."""
    return _words(STATE_WORDS, state)


def step_words(step: Any) -> str:
    """A journal step in words: ``attach_pdf`` → ``attaching the PDF copy``."""
    return _words(STEP_WORDS, step)


def run_state_words(state: Any) -> str:
    """An export run's state in words: ``aborted`` → ``stopped``."""
    return _words(RUN_STATE_WORDS, state)


def register(filters: dict[str, Any]) -> None:
    """Install the filters ``plural``, ``state_words``, ``step_words`` and ``run_state_words``
    in a Jinja environment's ``filters``."""
    filters["plural"] = plural
    filters["state_words"] = state_words
    filters["step_words"] = step_words
    filters["run_state_words"] = run_state_words
