"""Which stored invoices an export holds: sent, maybe sent, or claimed by a running export.

The import's promise to the export: it never changes an invoice that an export has sent, may
have sent, or has claimed. An export claims journal rows with one conditional UPDATE
(``store.claims.Claims.claim``, by the rule there) and sends only what it
holds; so the import must look at the journal and change the invoice *atomically with respect
to claims*: no claim may be written between the import's look and its commit.
:class:`ExportHolds` gives that:

- on PostgreSQL its first look takes ``LOCK TABLE export_journal IN EXCLUSIVE MODE``: readers go
  on, but claims, new journal rows and step updates wait until the import commits (then a claim
  finds the new content). Why a table lock, not row locks: an export claims and creates its
  rows in batches of its own order, and row locks taken batch by batch by the import could wait
  in a circle with them (a deadlock, which PostgreSQL resolves by failing one side, maybe the
  export). The import takes the table lock before it changes any invoice row, and an export's
  journal transactions never wait for what the import holds before that (key-share locks are
  not blocked by its updates, which never change a key), so the two cannot deadlock. It is
  taken only when the document changes a stored invoice: a first import or an unchanged
  re-import never makes an export wait;
- on SQLite the import's transaction began with ``BEGIN IMMEDIATE`` (``store.locks``) and
  holds the one write lock: no claim can be written until it commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from procountor_export.store import models as db
from procountor_export.store.claims import CLAIM_LEASE, owner_is_dead_here
from procountor_export.store.locks import lock_table_for_writes

_SENT = (db.JournalState.EXPORTED, db.JournalState.INFLIGHT)
_CHUNK = 1000


class ExportHolds:
    """Looks up, inside the import's transaction, which invoices an export holds."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._locked = False

    def of(self, invoice_ids: Sequence[int]) -> dict[int, tuple[list[str], bool]]:
        """Invoice id -> (what holds it, e.g. ``EXPORTED to "Main"``; whether only a claim).

        Holds: the journal says EXPORTED or INFLIGHT (a write may have happened), a Procountor
        invoice id is recorded (it reached Procountor, whatever failed later), or a live export
        run has claimed the row. Call it only for invoices the import is about to change: from
        the first call to the commit, no export can claim, create or update a journal row.
        """
        if not invoice_ids:
            return {}
        if not self._locked:
            lock_table_for_writes(self._session, db.JournalEntry.__tablename__)
            self._locked = True
        journal = db.JournalEntry.__table__
        exports = db.ExportDefinition.__table__
        lease_start = datetime.now(UTC).replace(tzinfo=None) - CLAIM_LEASE
        held: dict[int, tuple[list[str], bool]] = {}
        for start in range(0, len(invoice_ids), _CHUNK):
            rows = self._session.execute(
                select(
                    journal.c.invoice_id,
                    journal.c.state,
                    journal.c.procountor_invoice_id,
                    journal.c.claimed_by,
                    exports.c.name,
                )
                .join(exports, exports.c.id == journal.c.export_id)
                .where(
                    journal.c.invoice_id.in_(invoice_ids[start : start + _CHUNK]),
                    or_(
                        journal.c.state.in_(_SENT),
                        journal.c.procountor_invoice_id.is_not(None),
                        and_(
                            journal.c.claimed_by.is_not(None),
                            journal.c.updated_at >= lease_start,
                        ),
                    ),
                )
                .order_by(exports.c.name)
            )
            for invoice_id, state, procountor_id, owner, name in rows:
                # Exported, maybe written (INFLIGHT), or failed after it reached Procountor:
                # Procountor holds the old content, so the TMS must not change it.
                sent = state in _SENT or procountor_id is not None
                if not sent and owner_is_dead_here(owner):
                    continue
                text = f'{state} to "{name}"' if sent else f'claimed for "{name}" by {owner}'
                states, only_claimed = held.get(invoice_id, ([], True))
                states.append(text)
                held[invoice_id] = (states, only_claimed and not sent)
        return held
