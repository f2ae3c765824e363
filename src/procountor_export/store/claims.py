"""The rule of journal claims, shared by the export (which claims) and the import (which must
leave claimed invoices alone).

A running export claims the journal rows of the invoices it sends: ``claimed_by`` names the
owner (``host:pid:run-N``) and ``updated_at`` is renewed every :data:`CLAIM_RENEWAL`. A claim
counts until its lease (:data:`CLAIM_LEASE`) runs out, or at once when its owner is a process
on this host that no longer runs.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

# How long a claim holds without being renewed: a claim older than this belongs to a run that
# died on another host (a dead run on this host is recognised at once by its process id).
CLAIM_LEASE = timedelta(minutes=2)
CLAIM_RENEWAL = timedelta(seconds=30)


def claim_owner(run_id: int) -> str:
    """The owner name of a run's claims: host, process id and run id."""
    return f"{socket.gethostname()}:{os.getpid()}:run-{run_id}"


def owner_is_dead_here(owner: str) -> bool:
    """Whether ``owner`` names a process on this host that no longer runs."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False
