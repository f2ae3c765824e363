"""Two export runs at the same time never send the same invoice; a dead run's claim expires."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from rig import Rig  # type: ignore[import-not-found]

from procountor_export.export.reading.scope import Scope
from procountor_export.store.claims import CLAIM_LEASE, Claims
from procountor_export.store.db import now
from procountor_export.store.journal import Journal
from procountor_export.store.models import ExportDefinition, Invoice, JournalEntry, JournalState
from procountor_export.store.runs import Runs


def remote_numbers(rig: Rig) -> Counter[str]:
    return Counter(inv["originalInvoiceNumber"] for inv in rig.collection("invoices"))


def test_two_simultaneous_runs_share_the_work_without_duplicates(rig: Rig) -> None:
    rig.load(60, seed=21)
    results = rig.exports_at_once(workers=2, chunk_size=10)
    assert len(results) == 2
    numbers = remote_numbers(rig)
    assert max(numbers.values()) == 1
    exported = sum(r.exported for r in results)
    assert exported == len(numbers)
    assert all(not r.failed for r in results)
    # Whatever one run left to the other, the other exported.
    third = rig.export()
    assert third.to_export == 0


def test_a_claim_held_by_a_live_run_is_respected_and_a_stale_one_taken_over(
    sqlite_rig: Rig,
) -> None:
    rig = sqlite_rig
    rig.load(6, seed=22)
    journal = Journal(rig.store)
    run_id = Runs(journal.store).start({}, "test")
    with rig.store.session() as session:
        ids = {i.number: i.id for i in session.query(Invoice)}
        export_id = session.query(ExportDefinition).one().id
    views = journal.entries([(ids["100004"], export_id), (ids["100005"], export_id)], run_id)
    alive, dead = (views[(ids[n], export_id)].id for n in ("100004", "100005"))
    assert Claims(journal.store).claim([alive], "run-alive") == {alive}
    assert Claims(journal.store).claim([dead], "run-dead") == {dead}
    assert Claims(journal.store).claim([alive, dead], "run-other") == set()
    with rig.store.session() as session:  # the dead run's claim is past its lease
        session.get_one(JournalEntry, dead).updated_at = now() - CLAIM_LEASE - timedelta(minutes=1)

    summary = rig.export(Scope(all=True))
    assert summary.busy == ["100004"]
    exported = {o.invoice for o in summary.outcomes if o.state is JournalState.EXPORTED}
    assert "100005" in exported
    assert "100004" not in remote_numbers(rig)
    # Once the live run lets go, the next run exports the invoice it held.
    Claims(journal.store).release("run-alive")
    assert rig.export(Scope(all=True)).exported == 1
