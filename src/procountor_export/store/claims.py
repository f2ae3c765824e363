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
import threading
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import or_, select, update

from procountor_export.store.db import Store, now
from procountor_export.store.journal import chunks
from procountor_export.store.models import JournalEntry

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


class Claims:
    """Takes, renews and gives up a run's claims on journal rows."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, entry_ids: Sequence[int], owner: str) -> set[int]:
        """Claim rows for ``owner``; return the ids it holds (now or already).

        A row held by another live run is left alone, so two runs started at the same time
        never both send the same invoice; a claim past :data:`CLAIM_LEASE` is taken over (its
        run died). One conditional UPDATE per batch: atomic on SQLite and PostgreSQL alike.
        """
        held: set[int] = set()
        stamp = now()
        with self.store.session() as session:
            for chunk in chunks(list(entry_ids), 500):
                others = session.scalars(
                    select(JournalEntry.claimed_by)
                    .where(JournalEntry.id.in_(chunk), JournalEntry.claimed_by.is_not(None))
                    .distinct()
                )
                dead = [other for other in others if other and owner_is_dead_here(other)]
                session.execute(
                    update(JournalEntry)
                    .where(JournalEntry.id.in_(chunk))
                    .where(
                        or_(
                            JournalEntry.claimed_by.is_(None),
                            JournalEntry.claimed_by == owner,
                            JournalEntry.claimed_by.in_(dead),
                            JournalEntry.updated_at < stamp - CLAIM_LEASE,
                        )
                    )
                    .values(claimed_by=owner, updated_at=stamp)
                )
                query = select(JournalEntry.id).where(
                    JournalEntry.id.in_(chunk), JournalEntry.claimed_by == owner
                )
                held.update(session.scalars(query))
        return held

    def renew(self, owner: str) -> None:
        """Renew every claim of ``owner`` (the run is still alive)."""
        with self.store.session() as session:
            session.execute(
                update(JournalEntry)
                .where(JournalEntry.claimed_by == owner)
                .values(updated_at=now())
            )

    def release(self, owner: str) -> None:
        """Give up every claim of ``owner`` (at the end of its run)."""
        with self.store.session() as session:
            session.execute(
                update(JournalEntry).where(JournalEntry.claimed_by == owner).values(claimed_by=None)
            )


class ClaimKeeper:
    """Renews a run's claims in the background while the run goes on (a context manager)."""

    def __init__(self, claims: Claims, owner: str, interval: timedelta = CLAIM_RENEWAL) -> None:
        self.claims = claims
        self.owner = owner
        self.interval = interval.total_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claim-keeper", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.claims.renew(self.owner)
            except Exception:  # a missed renewal only shortens the lease; the run goes on
                continue

    def __enter__(self) -> ClaimKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.claims.release(self.owner)
