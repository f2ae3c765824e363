"""An import and an export at the same time, on the same invoices (issue 13).

The export claims its invoices, then sends them one chunk at a time; while it does, an import
changes every invoice. The import must report the invoices the export holds as conflicts and
leave them alone (an invoice never changes while it is claimed), change the others, and
nothing may reach Procountor twice. The last test (expected to fail) shows what remains on the
export's side: a change committed after the export read an invoice but before it claimed it.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Sequence

import pytest
from rig import Rig  # type: ignore[import-not-found]
from sqlalchemy import select

from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import RunSummary
from procountor_export.procountor import RequestRecord
from procountor_export.store import models as db
from procountor_export.store.claims import Claims
from procountor_export.tms.importer import import_document
from procountor_export.tms.report import ImportReport

NEW_TEXT = "Changed in the TMS while the export ran"


def stored(rig: Rig) -> dict[str, tuple[str, str | None]]:
    """Invoice number -> (content hash, text) as the store holds them."""
    with rig.store.session() as session:
        rows = session.execute(select(db.Invoice.number, db.Invoice.content_hash, db.Invoice.text))
        return {number: (content_hash, text) for number, content_hash, text in rows}


def claimed_numbers(rig: Rig) -> set[str]:
    with rig.store.session() as session:
        query = (
            select(db.Invoice.number)
            .join(db.JournalEntry, db.JournalEntry.invoice_id == db.Invoice.id)
            .where(db.JournalEntry.claimed_by.is_not(None))
        )
        return set(session.scalars(query))


def journal(rig: Rig) -> dict[str, db.JournalEntry]:
    with rig.store.session() as session:
        query = select(db.Invoice.number, db.JournalEntry).join(
            db.JournalEntry, db.JournalEntry.invoice_id == db.Invoice.id
        )
        return dict(session.execute(query).all())


def test_an_import_during_an_export_leaves_claimed_invoices_alone(rig: Rig) -> None:
    document = rig.load(16, seed=31)
    numbers = [invoice["number"] for invoice in document["invoices"]]
    in_scope, out_of_scope = numbers[:8], numbers[8:]
    before = stored(rig)

    sending, imported = threading.Event(), threading.Event()
    posted: list[str] = []
    violations: list[str] = []

    def watch(record: RequestRecord) -> None:
        """On every invoice the export posts: no claimed invoice may have changed."""
        if record.endpoint != "POST /invoices":
            return
        now = stored(rig)
        violations.extend(n for n in claimed_numbers(rig) if now[n] != before[n])
        posted.append(record.path)
        if len(posted) == 3:  # mid-run: some invoices sent, the rest claimed, not yet sent
            sending.set()
            assert imported.wait(timeout=60)

    rig.hooks.append(watch)
    results: list[RunSummary] = []
    exporter = threading.Thread(
        target=lambda: results.append(
            rig.export(Scope(invoices=tuple(in_scope)), workers=1, chunk_size=2)
        )
    )
    exporter.start()
    try:
        assert sending.wait(timeout=60), "the export never got to its third invoice"
        changed = copy.deepcopy(document)
        for invoice in changed["invoices"]:
            invoice["text"] = NEW_TEXT
        report = import_document(rig.store, changed, box=rig.box)
    finally:
        imported.set()
        exporter.join(timeout=120)
    assert not exporter.is_alive()
    [summary] = results

    assert report.accepted, report.errors
    assert violations == []
    # Every invoice of the export was claimed (or sent) when the import looked: all conflicts,
    # the ones not sent yet as "being exported"; the others the import changed.
    conflicts = {conflict.number: conflict for conflict in report.conflicts}
    assert set(conflicts) == set(in_scope)
    assert any(conflict.exporting for conflict in conflicts.values())
    assert report.counts["invoices"].updated == len(out_of_scope)
    after = stored(rig)
    assert {n for n in numbers if after[n] != before[n]} == set(out_of_scope)
    assert all(after[n][1] == NEW_TEXT for n in out_of_scope)
    # Nothing reached Procountor twice, and none of it with the content the export never saw.
    remote = Counter(invoice["originalInvoiceNumber"] for invoice in rig.collection("invoices"))
    assert max(remote.values()) == 1
    assert set(remote) <= set(in_scope)
    assert all(
        NEW_TEXT not in (invoice.get("additionalInformation") or "")
        for invoice in rig.collection("invoices")
    )
    entries = journal(rig)
    exported = {n for n in in_scope if entries[n].state is db.JournalState.EXPORTED}
    assert summary.exported == len(exported)
    assert exported <= set(remote)

    # The next export sends what is left once, and nothing twice.
    rig.hooks.remove(watch)
    rig.export(Scope(invoices=tuple(numbers)))
    remote = Counter(invoice["originalInvoiceNumber"] for invoice in rig.collection("invoices"))
    assert max(remote.values()) == 1


def test_a_change_committed_between_the_exports_read_and_its_claim_is_not_lost(
    sqlite_rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import sees no claim yet and changes the invoices, rightly; the export must then
    send the new content (or leave the invoices for the next run), never the old one."""
    rig = sqlite_rig
    document = rig.load(4, seed=31)
    real_claim = Claims.claim

    def import_first(self: Claims, entry_ids: Sequence[int], owner: str) -> set[int]:
        if not imported:
            changed = copy.deepcopy(document)
            for invoice in changed["invoices"]:
                invoice["text"] = NEW_TEXT
            imported.append(import_document(rig.store, changed, box=rig.box))
        return real_claim(self, entry_ids, owner)

    imported: list[ImportReport] = []
    monkeypatch.setattr(Claims, "claim", import_first)
    rig.export(Scope(all=True))
    assert imported[0].counts["invoices"].updated == 4  # nothing was claimed yet
    sent = [i.get("additionalInformation") or "" for i in rig.collection("invoices")]
    assert sent
    assert all(NEW_TEXT in text for text in sent)
