"""The export engine against the emulator: article errors, postings, idempotency, recovery."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from rig import Rig  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.export.sending import attach
from procountor_export.samples.problems import PROBLEM_CASES
from procountor_export.store import export_settings
from procountor_export.store.models import AfterCreate, JournalEntry, JournalState

OPTER = Messages("Opter")


def by_number(rig: Rig) -> dict[str, dict[str, Any]]:
    invoices = rig.collection("invoices")
    counts = Counter(inv["originalInvoiceNumber"] for inv in invoices)
    assert all(count == 1 for count in counts.values()), counts.most_common(3)
    return {inv["originalInvoiceNumber"]: inv for inv in invoices}


def test_every_article_error_case_fails_with_its_message(rig: Rig) -> None:
    rig.load(12, with_problems=True)
    summary = rig.export()
    outcomes = {o.invoice: o for o in summary.outcomes}
    for name, case in PROBLEM_CASES.items():
        outcome = outcomes[case.invoice_number]
        assert outcome.state is JournalState.FAILED, name
        assert case.message in [OPTER.message(p) for p in outcome.problems], (
            name,
            outcome.problems,
        )
    clean = [
        o
        for o in summary.outcomes
        if o.invoice not in {c.invoice_number for c in PROBLEM_CASES.values()}
    ]
    assert clean
    assert all(o.state is JournalState.EXPORTED for o in clean), [
        (o.invoice, o.problems) for o in clean if o.state is not JournalState.EXPORTED
    ]
    assert not summary.succeeded
    # The failing invoices never reached Procountor; the others are there once each.
    exported = by_number(rig)
    assert set(exported) == {o.invoice for o in clean}


def test_postings_in_procountor_equal_the_tms_postings(rig: Rig) -> None:
    document = rig.load(500, seed=11)
    # Postings only: rendering 500 PDF copies took half of this test's time, and the copy has
    # tests of its own (test_pdf_attach.py).
    with rig.store.session() as session:
        export_settings.upsert_export_definition(
            session, name="Procountor (API)", include_pdf=False
        )
    summary = rig.export()
    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes if o.problems]
    remote = by_number(rig)
    receipts = {r["id"]: r for r in rig.collection("ledgerReceipts")}
    dimensions = {d["id"]: d for d in rig.collection("dimensions")}
    closed = {p["id"] for p in document["periods"] if p.get("closed_at")}
    in_scope = [tms for tms in document["invoices"] if tms["period"] in closed]
    assert len(in_scope) == summary.exported == len(remote) >= 450
    for tms in in_scope:
        invoice = remote[tms["number"]]
        receipt = receipts[invoice["ledgerReceiptId"]]
        rate = Decimal(tms.get("currency_rate", "1"))
        wanted: Counter[tuple[Any, ...]] = Counter()
        totals: dict[tuple[Any, ...], Decimal] = {}
        for posting in tms["postings"]:
            units = tuple(sorted(posting["profit_centres"].items()))
            key = (posting["account"], Decimal(posting["vat_rate"]), units)
            totals[key] = totals.get(key, Decimal(0)) + Decimal(posting["net"])
        for key, net in totals.items():
            value = -(net / rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
            wanted[(*key, value)] += 1
        got: Counter[tuple[Any, ...]] = Counter()
        for entry in receipt["transactions"]:
            if entry["transactionType"] != "ENTRY":
                continue
            units = []
            for item in entry.get("dimensionItemValues") or []:
                dimension = dimensions[item["dimensionId"]]
                code = next(i["codeName"] for i in dimension["items"] if i["id"] == item["itemId"])
                assert Decimal(str(item["value"])) == Decimal(str(entry["accountingValue"]))
                units.append((dimension["name"], code))
            value = Decimal(str(entry["accountingValue"]))
            got[
                (entry["account"], Decimal(str(entry["vatPercent"])), tuple(sorted(units)), value)
            ] += 1
        assert got == wanted, tms["number"]


def test_a_second_run_creates_nothing_and_exports_nothing_new(rig: Rig) -> None:
    rig.load(15, seed=5)
    first = rig.export()
    assert first.succeeded
    counts = {
        name: len(rig.collection(name))
        for name in ("invoices", "products", "partners", "dimensions")
    }
    items = sum(len(d["items"]) for d in rig.collection("dimensions"))
    second = rig.export()
    assert second.succeeded
    assert second.to_export == 0
    assert second.already_exported == first.exported
    assert {name: len(rig.collection(name)) for name in counts} == counts
    assert sum(len(d["items"]) for d in rig.collection("dimensions")) == items


def test_products_customers_and_items_are_reused_by_later_invoices(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    document = rig.load(30, seed=8)
    numbers = [inv["number"] for inv in document["invoices"]]
    rig.export(Scope(invoices=tuple(numbers[:15])))
    products = len(rig.collection("products"))
    partners = len(rig.collection("partners"))
    summary = rig.export(Scope(invoices=tuple(numbers)))
    assert summary.succeeded
    assert summary.created.get("products", 0) == len(rig.collection("products")) - products
    assert summary.created.get("customers", 0) == len(rig.collection("partners")) - partners
    assert len(by_number(rig)) == 30


def test_an_answer_lost_after_the_invoice_was_saved_is_adopted_not_duplicated(
    sqlite_rig: Rig,
) -> None:
    rig = sqlite_rig
    rig.load(10, seed=4)
    rig.emulator.set_faults(fail_after_write={"invoices": 1.0})
    summary = rig.export()
    rig.emulator.set_faults(fail_after_write={})
    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes]
    assert summary.exported == summary.to_export >= 8
    assert all(o.adopted for o in summary.outcomes)
    assert len(by_number(rig)) == summary.exported


class Crash(BaseException):
    """Stands in for the process being killed (not an Exception: nothing catches it)."""


def test_a_crash_right_after_the_post_leaves_one_invoice_per_tms_invoice(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(12, seed=6)
    posts = 0

    def killer(record: Any) -> None:
        nonlocal posts
        if record.method == "POST" and record.path.endswith("/invoices"):
            posts += 1
            if posts == 5:
                raise Crash

    rig.hooks.append(killer)
    with pytest.raises(Crash):
        rig.export(workers=1, chunk_seconds=0)  # one chunk: the five posted are all in flight
    rig.hooks.clear()
    with rig.store.session() as session:
        inflight = [e for e in session.query(JournalEntry) if e.state is JournalState.INFLIGHT]
    # Five invoices were posted; the fifth died before its answer was recorded.
    assert len(inflight) == 5
    assert sum(1 for e in inflight if e.procountor_invoice_id is None) == 1
    assert len(by_number(rig)) == 5
    summary = rig.export()
    assert summary.succeeded
    assert len(by_number(rig)) == summary.exported + summary.already_exported
    assert sum(1 for o in summary.outcomes if o.adopted) == 5


def test_a_crash_with_parallel_workers_never_duplicates(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(30, seed=9)
    posts = 0

    def killer(record: Any) -> None:
        nonlocal posts
        if record.method == "POST" and record.path.endswith("/invoices"):
            posts += 1
            if posts in (7, 8, 9):
                raise Crash

    rig.hooks.append(killer)
    with pytest.raises(Crash):
        rig.export(workers=4, chunk_size=10)
    rig.hooks.clear()
    summary = rig.export(workers=4, chunk_size=10)
    assert summary.succeeded
    assert len(by_number(rig)) == summary.exported + summary.already_exported


def test_master_data_is_read_once_and_receipts_in_batches(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(120, seed=12)
    summary = rig.export(chunk_size=50, chunk_seconds=0)  # chunks of 50, not sized by pace
    assert summary.succeeded
    calls = summary.calls
    assert calls["POST /invoices"] == summary.exported
    # Every master-data read happens once per run, however many invoices there are.
    for endpoint in ("GET /coa", "GET /dimensions", "GET /vats/default", "GET /fiscalyears"):
        assert calls.get(endpoint) == 1, (endpoint, calls)
    # Ledger receipts are read 50 at a time, never one call per invoice.
    assert calls["GET /ledgerreceipts/{ids}"] == -(-summary.exported // 50)
    writes_for_master_data = sum(
        count
        for endpoint, count in calls.items()
        if endpoint.startswith(
            ("POST /products", "PUT /products", "POST /businesspartners", "POST /dimensions")
        )
    )
    # The sample's export attaches the PDF copy: one more write per invoice, not a read.
    assert calls.get("POST /attachments", 0) in (0, summary.exported)
    writes_per_invoice = summary.exported + calls.get("POST /attachments", 0)
    reads = summary.api_calls - writes_for_master_data - writes_per_invoice
    assert reads <= 15 + -(-summary.exported // 50), calls


@pytest.mark.parametrize(
    ("after", "statuses"),
    [
        (AfterCreate.LEAVE, {"UNFINISHED"}),
        (AfterCreate.APPROVE, {"NOT_SENT"}),
        (AfterCreate.SEND, {"SENT", "NOT_SENT"}),
    ],
)
def test_after_creation_the_invoice_is_left_approved_or_sent(
    sqlite_rig: Rig, after: AfterCreate, statuses: set[str]
) -> None:
    rig = sqlite_rig
    rig.load(12, seed=13)
    with rig.store.session() as session:
        export_settings.upsert_export_definition(
            session, name="Procountor (API)", after_create=after
        )
    summary = rig.export()
    assert summary.succeeded
    invoices = rig.collection("invoices")
    assert invoices
    assert {inv["status"] for inv in invoices} <= statuses
    if after is AfterCreate.SEND:
        # Only invoices with a sending channel are sent; NO_SENDING ones stay approved.
        for inv in invoices:
            sending = inv["invoiceChannel"] in {"EMAIL", "MAIL", "ELECTRONIC_INVOICE"}
            assert inv["status"] == ("SENT" if sending else "NOT_SENT")
    assert rig.export().to_export == 0


def test_a_pdf_copy_that_cannot_be_made_is_a_warning_not_a_failure(
    sqlite_rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = sqlite_rig
    rig.load(3, seed=14)
    with rig.store.session() as session:
        export_settings.upsert_export_definition(session, name="Procountor (API)", include_pdf=True)

    def broken(*_: object) -> bytes:
        raise ValueError("no font for this text")

    monkeypatch.setattr(attach, "render", broken)
    summary = rig.export()
    assert summary.succeeded
    assert summary.exported > 0
    assert "POST /attachments" not in summary.calls
    assert len(summary.warnings) == summary.exported
    assert all(
        Messages().text(w)
        == "The Opter invoice in PDF format could not be attached to the invoice in Procountor.: "
        "the PDF copy could not be made: no font for this text"
        for w in summary.warnings
    )
