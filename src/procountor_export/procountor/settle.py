"""Writes whose outcome is unknown, settled at once: looked up, and sent again only when absent.

A POST (or a state change such as an approval) that timed out, lost its connection or was
answered 5xx raises :class:`~.errors.OutcomeUnknown`: it may have been carried out. Sending it
again blindly could make a second invoice, customer or attachment; giving up leaves the work
to the next run. :func:`settle` does neither. After each lost answer it waits (exponential
backoff with jitter, as the client's own retries, honouring a ``Retry-After``), asks the
caller's look-up whether the write happened, and

* takes what the look-up found: the write was carried out, nothing is sent again;
* sends the write again only when the look-up answered and found nothing;
* stops when the look-up itself fails: it cannot tell, so nothing is sent again.

The write is sent at most ``client.retry_attempts`` times within ``client.retry_timeout``
seconds (the client's own bounds; stamina's test switch applies as well). When they are spent,
:class:`~.errors.Unsettled` is raised: whoever records the step as started (the export's
journal) lets the next run look the write up first, as after any crash.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from procountor_export.procountor.base import BaseClient
from procountor_export.procountor.errors import (
    FatalError,
    OutcomeUnknown,
    ProcountorError,
    Unsettled,
)

__all__ = ["Settled", "settle"]

W = TypeVar("W")
F = TypeVar("F")


@dataclass(frozen=True)
class Settled(Generic[W, F]):
    """How a write ended: its own answer (``written``), or, when that answer was lost, what
    the look-up found (``found``); ``sent`` says how many times the write was sent."""

    written: W | None = None
    found: F | None = None
    sent: int = 1


class _Absent(Exception):
    """The write's answer was lost (and, from the second attempt on, the look-up found it
    not done): try again after the backoff."""

    def __init__(self, error: OutcomeUnknown) -> None:
        super().__init__(str(error))
        self.error = error


def settle(
    client: BaseClient,
    write: Callable[[], W],
    find: Callable[[], F | None],
    *,
    before_resend: Callable[[], None] | None = None,
) -> Settled[W, F]:
    """Send ``write`` until it answers or ``find`` finds it done (see the module docstring).

    ``find`` returns what the write made (or ``None`` when it is surely not there) and raises
    :class:`~.errors.ProcountorError` when it cannot tell. ``before_resend`` runs before each
    second and later sending (the export records the step as started again). Errors other than
    a lost answer (a refusal, a 429 after the client's retries) go to the caller unchanged.
    """
    deadline = time.monotonic() + client.retry_timeout
    last: OutcomeUnknown | None = None
    sent = 0

    def should_retry(exc: BaseException) -> bool | float:
        if not isinstance(exc, _Absent):
            return False
        hint = exc.error.retry_after
        if hint is None:
            return True
        # Honour the server's wait, unless it outlasts what is left of the time budget.
        return hint if hint <= deadline - time.monotonic() else False

    def look_up(error: OutcomeUnknown) -> F | None:
        try:
            return find()
        except FatalError:
            raise
        except ProcountorError as lookup_error:
            raise Unsettled(error, attempts=sent, lookup_error=lookup_error) from lookup_error

    try:
        for attempt in client.retrying(should_retry):
            with attempt:
                if last is not None:
                    found = look_up(last)
                    if found is not None:
                        client.count_retry("found")
                        return Settled(found=found, sent=sent)
                    client.count_retry("resent")
                    if before_resend is not None:
                        before_resend()
                sent += 1
                try:
                    return Settled(written=write(), sent=sent)
                except OutcomeUnknown as error:
                    last = error
                    raise _Absent(error) from error
    except _Absent as spent:
        # The last sending's answer was lost too: one more look before giving up.
        found = look_up(spent.error)
        if found is not None:
            client.count_retry("found")
            return Settled(found=found, sent=sent)
        raise Unsettled(spent.error, attempts=sent) from spent.error
    raise AssertionError("unreachable: stamina re-raises the last error")  # pragma: no cover
