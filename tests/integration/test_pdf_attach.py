"""The PDF copy against the emulator: attached before approval, a warning when it cannot be,
never twice (re-runs, lost answers, interrupted runs), the reduced variant when asked for."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from faulty import FaultyTransport  # type: ignore[import-not-found]
from pypdf import PdfReader
from rig import Rig  # type: ignore[import-not-found]
from test_export_failures import export  # type: ignore[import-not-found]
from test_fidelity import keyed_in_by_hand, remote  # type: ignore[import-not-found]

from procountor_export.export.messages import Messages
from procountor_export.export.reading.pdf_copy import pdf_invoice
from procountor_export.export.sending import attach
from procountor_export.pdf import Variant, render
from procountor_export.procountor.transport import RequestRecord
from procountor_export.store import export_settings
from procountor_export.store.models import AfterCreate, JournalEntry, JournalState

NOT_ATTACHED = "The Opter invoice in PDF format could not be attached to the invoice in Procountor."
TEXT = Messages().text  # a warning as the reader sees it: the article's words, then the detail


class Crash(BaseException):
    """Stands in for the process being killed (not an Exception: nothing catches it)."""


def pdf_on(rig: Rig, *, reduce: bool = False, after: AfterCreate = AfterCreate.LEAVE) -> None:
    with rig.store.session() as session:
        export_settings.upsert_export_definition(
            session,
            name="Procountor (API)",
            include_pdf=True,
            reduce_pdf=reduce,
            after_create=after,
        )


def attachments(rig: Rig) -> dict[int, list[dict[str, Any]]]:
    """Each emulator invoice's attachment list (as ``GET /invoices/{id}`` shows it)."""
    return {inv["id"]: inv["attachments"] for inv in rig.collection("invoices")}


def file_of(rig: Rig, attachment_id: int) -> bytes:
    for company in rig.emulator.companies.values():
        if attachment_id in company.files:
            return bytes(company.files[attachment_id])
    raise KeyError(attachment_id)


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def embeds_a_font(pdf: bytes) -> bool:
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in fonts.get_object().values() if fonts is not None else []:
            font = ref.get_object()
            for item in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = item.get("/FontDescriptor")
                if descriptor is not None and any(
                    key in descriptor.get_object() for key in ("/FontFile", "/FontFile2")
                ):
                    return True
    return False


def journal(rig: Rig) -> list[JournalEntry]:
    with rig.store.session() as session:
        rows = list(session.query(JournalEntry))
        session.expunge_all()
    return rows


def test_the_pdf_copy_is_on_the_invoice_before_it_is_approved(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(4, seed=14)
    pdf_on(rig, after=AfterCreate.APPROVE)
    order: list[tuple[str, str]] = []
    rig.hooks.append(lambda record: order.append((record.method, record.path)))

    summary = rig.export()

    assert summary.succeeded
    assert summary.exported > 0
    assert not summary.warnings
    assert summary.calls["POST /attachments"] == summary.exported
    listed = attachments(rig)
    entries = {e.procountor_invoice_id: e for e in journal(rig)}
    for invoice in rig.collection("invoices"):
        assert invoice["status"] == "NOT_SENT"
        (attached,) = listed[invoice["id"]]
        assert attached["name"].endswith(".pdf")
        assert attached["referenceType"] == "INVOICE"
        assert attached["referenceId"] == invoice["id"]
        assert attached["sendWithInvoice"] is True
        assert attached["mimeType"] == "application/pdf"
        content = file_of(rig, attached["id"])
        assert content.startswith(b"%PDF")
        assert invoice["originalInvoiceNumber"] in text_of(content)
        assert entries[invoice["id"]].attachment_id == attached["id"]
        assert entries[invoice["id"]].state is JournalState.EXPORTED
        # Procountor allows no change after approval: the upload comes first.
        posted = order.index(("POST", "/attachments"))
        assert posted < order.index(("PUT", f"/invoices/{invoice['id']}/approve"))
        order.pop(posted)
    # A re-run has nothing to do and attaches nothing.
    again = rig.export()
    assert again.to_export == 0
    assert attachments(rig) == listed


@pytest.mark.parametrize(
    ("status", "message"),
    [(400, "File size too big."), (503, "Service unavailable"), (429, "Too many requests")],
)
def test_an_attachment_that_fails_is_a_warning_and_the_invoice_is_exported(
    sqlite_rig: Rig, status: int, message: str
) -> None:
    rig = sqlite_rig
    rig.load(8, seed=14)
    pdf_on(rig)
    faulty = FaultyTransport(rig.http)
    faulty.fail("POST", "/attachments", status, message)

    summary: Any = export(rig, faulty)

    # Never the run's end, however many in a row: the invoices themselves are fine.
    assert summary.fatal is None
    assert summary.succeeded
    assert summary.exported >= 4
    assert summary.failed == 0
    for outcome in summary.outcomes:
        assert outcome.state is JournalState.EXPORTED
        (warning,) = outcome.warnings
        assert warning.code == "PDF_NOT_ATTACHED"
        assert TEXT(warning).startswith(NOT_ATTACHED)
    if status == 400:
        # Too big: the reduced variant was tried before giving up.
        assert all(message in TEXT(o.warnings[0]) for o in summary.outcomes)
        assert summary.calls["POST /attachments"] == 2 * summary.exported
    elif status == 429:
        # Retryable, and retried; then this invoice's warning, never "3 retryable in a row".
        assert all(message in TEXT(o.warnings[0]) for o in summary.outcomes)
        assert summary.calls["POST /attachments"] > summary.exported
    else:
        # A 5xx may have stored it: the invoice is read again to see, and the copy posted
        # again only when it is surely not there, as often as the retries allow (3 in tests).
        assert summary.calls["POST /attachments"] == 3 * summary.exported
        assert summary.retries["resent"] == 2 * summary.exported
        assert summary.retries.get("found", 0) == 0
        assert all(
            "the answer was lost and the invoice shows no such attachment" in TEXT(o.warnings[0])
            for o in summary.outcomes
        )
    assert all(not listed for listed in attachments(rig).values())
    assert all(e.state is JournalState.EXPORTED and e.attachment_id is None for e in journal(rig))


def test_refused_credentials_on_the_attachment_still_stop_the_run(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(4, seed=14)
    pdf_on(rig)
    faulty = FaultyTransport(rig.http)
    faulty.fail("POST", "/attachments", 401, "Unauthorized")

    summary: Any = export(rig, faulty)

    assert summary.fatal is not None
    assert summary.fatal.code == "CREDENTIALS"
    assert not summary.succeeded
    assert summary.exported == 0
    # The invoice whose attachment met the refusal keeps its Procountor id for the next run.
    assert any(e.procountor_invoice_id for e in journal(rig))


def test_a_normal_copy_refused_as_too_big_goes_reduced(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(3, seed=14)
    pdf_on(rig)
    rig.emulator.max_attachment_bytes = 20_000  # the normal copy embeds a font: ~65 kB

    summary = rig.export()

    assert summary.succeeded
    assert not summary.warnings
    assert summary.calls["POST /attachments"] == 2 * summary.exported
    for listed in attachments(rig).values():
        (attached,) = listed
        assert not embeds_a_font(file_of(rig, attached["id"]))


def test_a_copy_over_the_limit_is_not_sent_at_all(
    sqlite_rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = sqlite_rig
    rig.load(3, seed=14)
    pdf_on(rig)
    monkeypatch.setattr(attach, "MAX_ATTACHMENT_BYTES", 1_000)  # smaller than either variant

    summary = rig.export()

    assert summary.succeeded
    assert "POST /attachments" not in summary.calls
    warnings = [w for o in summary.outcomes for w in o.warnings]
    assert len(warnings) == summary.exported > 0
    assert all(
        TEXT(w).startswith(NOT_ATTACHED) and "File size too big." in TEXT(w) for w in warnings
    )


def test_reduce_pdf_sends_the_reduced_variant(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(3, seed=14)
    pdf_on(rig, reduce=True)

    summary = rig.export()

    assert summary.succeeded
    assert not summary.warnings
    entries = {e.procountor_invoice_id: e for e in journal(rig)}
    for invoice_id, listed in attachments(rig).items():
        (attached,) = listed
        content = file_of(rig, attached["id"])
        assert not embeds_a_font(content)
        with rig.store.session() as session:
            values = pdf_invoice(session, entries[invoice_id].invoice_id)
        normal = render(values, Variant.NORMAL)
        assert embeds_a_font(normal)
        assert len(content) < len(normal)


def test_a_lost_answer_is_settled_by_reading_the_invoice_not_by_posting_again(
    sqlite_rig: Rig,
) -> None:
    rig = sqlite_rig
    rig.load(4, seed=14)
    pdf_on(rig)
    rig.emulator.set_faults(fail_after_write={"attachments": 1.0})

    summary = rig.export()
    rig.emulator.set_faults(fail_after_write={})

    assert summary.succeeded
    assert not summary.warnings
    assert summary.calls["POST /attachments"] == summary.exported
    entries = {e.procountor_invoice_id: e for e in journal(rig)}
    for invoice_id, listed in attachments(rig).items():
        (attached,) = listed
        assert entries[invoice_id].attachment_id == attached["id"]


def test_an_interrupted_attachment_is_finished_by_the_next_run_never_posted_twice(
    sqlite_rig: Rig,
) -> None:
    rig = sqlite_rig
    rig.load(6, seed=14)
    pdf_on(rig, after=AfterCreate.APPROVE)
    rig.emulator.set_faults(fail_after_write={"attachments": 1.0})
    uploads = 0

    def killer(record: RequestRecord) -> None:
        # The process dies while it reads back the invoices whose upload answer was lost.
        nonlocal uploads
        if record.method == "POST" and record.path == "/attachments":
            uploads += 1
        elif uploads and record.method == "GET" and record.path.startswith("/invoices/"):
            raise Crash

    rig.hooks.append(killer)
    with pytest.raises(Crash):
        rig.export(chunk_seconds=0)  # one chunk: every invoice is attaching when it dies
    rig.hooks.clear()
    rig.emulator.set_faults(fail_after_write={})
    assert {e.step for e in journal(rig) if e.procountor_invoice_id} == {"attach_pdf"}
    assert all(e.attachment_id is None for e in journal(rig))

    summary = rig.export()

    assert summary.succeeded
    assert not summary.warnings
    assert "POST /attachments" not in summary.calls
    entries = {e.procountor_invoice_id: e for e in journal(rig)}
    for invoice in rig.collection("invoices"):
        (attached,) = attachments(rig)[invoice["id"]]
        assert entries[invoice["id"]].attachment_id == attached["id"]
        assert entries[invoice["id"]].state is JournalState.EXPORTED
        assert invoice["status"] == "NOT_SENT"
    numbers = Counter(inv["originalInvoiceNumber"] for inv in rig.collection("invoices"))
    assert set(numbers.values()) == {1}


def test_a_rerun_of_an_attached_invoice_records_the_attachment_it_finds(sqlite_rig: Rig) -> None:
    rig = sqlite_rig
    rig.load(4, seed=14)
    pdf_on(rig)
    first = rig.export()
    assert first.succeeded
    before = attachments(rig)
    # As if the run had died after the upload: the journal forgot the attachment.
    with rig.store.session() as session:
        for entry in session.query(JournalEntry):
            entry.state, entry.step, entry.attachment_id = JournalState.INFLIGHT, "attach_pdf", None
            entry.claimed_by = None

    summary = rig.export()

    assert summary.succeeded
    assert summary.exported == first.exported
    assert "POST /attachments" not in summary.calls
    assert attachments(rig) == before
    entries = {e.procountor_invoice_id: e for e in journal(rig)}
    for invoice_id, (attached,) in before.items():
        assert entries[invoice_id].attachment_id == attached["id"]


def test_an_invoice_that_is_not_ours_gets_no_attachment(sqlite_rig: Rig) -> None:
    document = sqlite_rig.load(4, seed=14)
    pdf_on(sqlite_rig)
    target = document["invoices"][0]
    theirs = keyed_in_by_hand(sqlite_rig, target["number"], dt.date.fromisoformat(target["date"]))
    assert theirs.id is not None

    summary = sqlite_rig.export()

    outcome = next(o for o in summary.outcomes if o.invoice == target["number"])
    assert outcome.state is JournalState.FAILED
    assert [p.code for p in outcome.problems] == ["INVOICE_NOT_OURS"]
    assert remote(sqlite_rig, theirs.id)["attachments"] == []
    assert summary.calls["POST /attachments"] == summary.exported
