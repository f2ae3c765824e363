"""An invoice a running export has claimed is a conflict, checked atomically with the claim.

The export claims journal rows with a conditional UPDATE (``Claims.claim``) and sends only
what it holds; the import must never change an invoice between such a claim and the export's
use of it. Dead and expired claims count for nothing. Transient database errors are retried.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from procountor_export.store import models as db
from procountor_export.store.claims import CLAIM_LEASE, Claims, claim_owner
from procountor_export.store.db import Store, now
from procountor_export.store.journal import Journal
from procountor_export.store.locks import StoreError, exclusive_session
from procountor_export.tms import importer
from procountor_export.tms.claims import ExportHolds
from procountor_export.tms.importer import import_document

if TYPE_CHECKING:
    from tests.tms.conftest import MarkExported


def claim(store: Store, number: str, owner: str, *, age: timedelta = timedelta()) -> int:
    """Give invoice ``number`` a PENDING journal row claimed by ``owner``; return its id."""
    journal = Journal(store)
    with store.session() as session:
        invoice_id = session.scalars(select(db.Invoice.id).where(db.Invoice.number == number)).one()
        export = session.scalars(select(db.ExportDefinition)).first()
        if export is None:
            export = db.ExportDefinition(name="Procountor (API)")
            session.add(export)
            session.flush()
        export_id = export.id
    entry = journal.entries([(invoice_id, export_id)], None)[(invoice_id, export_id)]
    assert Claims(journal.store).claim([entry.id], owner) == {entry.id}
    if age:
        with store.session() as session:
            session.get_one(db.JournalEntry, entry.id).updated_at = now() - age
    return entry.id


def stored_text(store: Store, number: str) -> str | None:
    with store.session() as session:
        return session.scalars(select(db.Invoice.text).where(db.Invoice.number == number)).one()


def changed(example: dict[str, Any]) -> dict[str, Any]:
    example["invoices"][0]["text"] = "Changed in the TMS"
    return example


def test_an_invoice_claimed_by_a_running_export_is_a_conflict(
    store: Store, example: dict[str, Any]
) -> None:
    assert import_document(store, example).accepted
    owner = claim_owner(7)  # this very process: alive
    claim(store, "250001", owner)

    report = import_document(store, changed(example))

    assert report.accepted
    [conflict] = report.conflicts
    assert conflict.states == (f'claimed for "Procountor (API)" by {owner}',)
    assert conflict.exporting
    assert str(conflict) == (
        f"invoices[0]: invoice 250001 is being exported to Procountor right now (claimed for "
        f'"Procountor (API)" by {owner}); the change was not imported (import the document '
        "again when the export has finished)"
    )
    assert report.to_dict()["conflicts"][0]["states"] == [conflict.states[0]]
    assert stored_text(store, "250001") is None
    # Once the export lets go (it failed, say), the same document applies the change.
    Claims(store).release(owner)
    again = import_document(store, example)
    assert again.conflicts == []
    assert stored_text(store, "250001") == "Changed in the TMS"


def test_a_claim_by_another_host_counts_until_its_lease_runs_out(
    store: Store, example: dict[str, Any]
) -> None:
    assert import_document(store, example).accepted
    entry_id = claim(store, "250001", "elsewhere:4242:run-3")
    assert len(import_document(store, changed(example)).conflicts) == 1
    with store.session() as session:  # the other host stopped renewing: its run died
        session.get_one(db.JournalEntry, entry_id).updated_at = now() - CLAIM_LEASE * 2
    report = import_document(store, example)
    assert report.conflicts == []
    assert report.counts["invoices"].updated == 1


def test_a_claim_of_a_dead_process_on_this_host_counts_for_nothing(
    store: Store, example: dict[str, Any]
) -> None:
    assert import_document(store, example).accepted
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    dead = f"{socket.gethostname()}:{finished.stdout.strip()}:run-1"  # as claim_owner writes it
    claim(store, "250001", dead)
    report = import_document(store, changed(example))
    assert report.conflicts == []
    assert stored_text(store, "250001") == "Changed in the TMS"


def test_a_sent_invoice_still_reads_as_exported_when_also_claimed(
    store: Store, example: dict[str, Any], mark_exported: MarkExported
) -> None:
    assert import_document(store, example).accepted
    mark_exported(store, "250001", db.JournalState.INFLIGHT)
    with store.session() as session:
        session.scalars(select(db.JournalEntry)).one().claimed_by = claim_owner(9)
    [conflict] = import_document(store, changed(example)).conflicts
    assert conflict.states == ('INFLIGHT to "Procountor (API)"',)
    assert not conflict.exporting
    assert "has already been exported" in str(conflict)


def test_a_claim_waits_while_an_import_changes_invoices(
    store: Store, example: dict[str, Any]
) -> None:
    """The import's look at the journal and its change are one step as far as claims go."""
    assert import_document(store, example).accepted
    journal = Journal(store)
    with store.session() as session:
        invoice_id = session.scalars(select(db.Invoice.id)).one()
        export = db.ExportDefinition(name="Procountor (API)")
        session.add(export)
        session.flush()
        export_id = export.id
    entry = journal.entries([(invoice_id, export_id)], None)[(invoice_id, export_id)]
    claimed: list[set[int]] = []
    with exclusive_session(store, "import", wait=5) as session:
        assert ExportHolds(session).of([invoice_id]) == {}  # nothing holds it: the import may
        thread = threading.Thread(
            target=lambda: claimed.append(Claims(journal.store).claim([entry.id], "x"))
        )
        thread.start()
        thread.join(timeout=0.5)
        assert claimed == []  # the export's claim waits for the import's commit
        session.execute(select(db.Invoice.id).with_for_update())  # ... the import changes it
    thread.join(timeout=30)
    assert claimed == [{entry.id}]  # and then goes through


class _Duplicate(Exception):
    sqlstate = "23505"  # what psycopg reports for a unique violation


def test_a_transient_failure_runs_the_import_again(
    sqlite_store: Store, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    real = importer._import
    calls: list[int] = []

    def flaky(session: Any, *args: Any) -> None:
        calls.append(1)
        real(session, *args)  # the writes happen, then the transaction is lost
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO office ...", {}, _Duplicate("duplicate key"))

    monkeypatch.setattr(importer, "_import", flaky)
    report = import_document(sqlite_store, example)
    assert len(calls) == 2
    assert report.accepted
    assert report.counts["invoices"].created == 1  # the lost attempt's counts are not kept
    assert "attempt 1 rolled back by another writer, trying again: duplicate key" in caplog.text


def test_a_failure_that_keeps_coming_back_is_given_up(
    sqlite_store: Store, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def always(*_: Any) -> None:
        raise IntegrityError("INSERT INTO office ...", {}, _Duplicate("duplicate key"))

    monkeypatch.setattr(importer, "_import", always)
    with pytest.raises(StoreError) as raised:
        import_document(sqlite_store, example)
    assert str(raised.value) == "the database refused to store the document"
    assert raised.value.detail == "duplicate key"
