"""Payment references and penalty interest as Procountor receives them: the TMS's reference
with its type (or Procountor's own), read back into the journal and shown by ``status``; a
wrong check digit stops the invoice before anything is sent; penalty interest as
``penaltyPercent``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rich.console import Console
from rig import Rig  # type: ignore[import-not-found]
from sqlalchemy import select
from typer.testing import CliRunner

from procountor_export.cli import app, common
from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.shapes import invoice_json
from procountor_export.export.reporting.status import status
from procountor_export.samples.generator import generate_document
from procountor_export.store.models import Invoice, JournalEntry, JournalState
from procountor_export.tms.importer import import_document

OPTER = Messages("Opter")
FINNISH = "1234 5678 9012 3456 7894"
CREDITOR = "RF18 5390 0754 7034"


def load(rig: Rig, count: int, change: Any) -> dict[str, Any]:
    """A sample document, changed by ``change(document)`` before it is imported."""
    document = generate_document(count, seed=7)
    change(document)
    report = import_document(rig.store, document, box=rig.box)
    assert report.accepted, report.errors
    return document


def every(document: dict[str, Any]) -> Scope:
    """Each invoice of the document, whether its period is closed or not."""
    return Scope(invoices=tuple(invoice["number"] for invoice in document["invoices"]))


def sent(rig: Rig) -> dict[str, dict[str, Any]]:
    """The invoices Procountor holds, by TMS number."""
    return {inv["originalInvoiceNumber"]: inv for inv in rig.collection("invoices")}


def bank_references(rig: Rig) -> dict[str, str | None]:
    with rig.store.session() as session:
        query = select(Invoice.number, JournalEntry.bank_reference).join(
            JournalEntry, JournalEntry.invoice_id == Invoice.id
        )
        return dict(session.execute(query).all())


def test_the_tms_references_arrive_with_their_type_and_are_read_back(rig: Rig) -> None:
    def change(document: dict[str, Any]) -> None:
        document["invoices"][0]["reference"] = FINNISH
        document["invoices"][1]["reference"] = CREDITOR

    document = load(rig, 4, change)
    first, second, third = (inv["number"] for inv in document["invoices"][:3])

    summary = rig.export(every(document))

    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes if o.problems]
    received = sent(rig)
    assert received[first]["paymentInfo"]["bankReferenceCode"] == "12345678901234567894"
    assert received[first]["paymentInfo"]["bankReferenceCodeType"] == "FI"
    assert received[second]["paymentInfo"]["bankReferenceCode"] == "RF18539007547034"
    assert received[second]["paymentInfo"]["bankReferenceCodeType"] == "RF"
    # Without one, Procountor made one: that is the reference the journal keeps.
    made = received[third]["paymentInfo"]["bankReferenceCode"]
    assert made
    assert made.isdigit()
    assert received[third]["paymentInfo"]["bankReferenceCodeType"] == "FI"
    stored = bank_references(rig)
    assert stored[first] == "12345678901234567894"
    assert stored[second] == "RF18539007547034"
    assert stored[third] == made

    with rig.store.session() as session:
        rows = status(session, Scope(invoices=(first, third)))
        answer = invoice_json(second, status(session, Scope(invoices=(second,))), OPTER)
    assert {row.invoice: row.bank_reference for row in rows} == {
        first: "12345678901234567894",
        third: made,
    }
    assert [row.as_dict(OPTER)["bank_reference"] for row in rows if row.invoice == first] == [
        "12345678901234567894"
    ]
    assert answer["exports"][0]["bank_reference"] == "RF18539007547034"


def test_a_wrong_check_digit_fails_pre_flight_and_nothing_is_sent(rig: Rig) -> None:
    def change(document: dict[str, Any]) -> None:
        document["invoices"][0]["reference"] = "1234 5678 9012 3456 7897"

    document = load(rig, 3, change)
    bad = document["invoices"][0]["number"]

    summary = rig.export(every(document))

    outcome = next(o for o in summary.outcomes if o.invoice == bad)
    assert outcome.state is JournalState.FAILED
    (problem,) = outcome.problems
    assert (problem.code, problem.invoice, problem.field) == ("REFERENCE_INVALID", bad, "reference")
    assert OPTER.message(problem) == (
        f"The payment reference 1234 5678 9012 3456 7897 of invoice {bad} is not valid: the "
        "check digit (the last digit) should be 4, not 7"
    )
    received = sent(rig)
    assert bad not in received
    # The others went as usual.
    exported = {o.invoice for o in summary.outcomes if o.state is JournalState.EXPORTED}
    assert set(received) == exported == {inv["number"] for inv in document["invoices"][1:]}
    with rig.store.session() as session:
        (row,) = status(session, Scope(invoices=(bad,)))
    assert row.state == "FAILED"
    assert row.bank_reference is None
    assert [p.field for p in row.errors] == ["reference"]


def test_penalty_interest_from_the_customer_and_from_the_invoice(rig: Rig) -> None:
    def change(document: dict[str, Any]) -> None:
        for customer in document["customers"]:
            customer["penalty_interest"] = "8"
        document["invoices"][0]["penalty_interest"] = "11.5"

    document = load(rig, 3, change)
    own, *others = (inv["number"] for inv in document["invoices"])

    summary = rig.export(every(document))

    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes if o.problems]
    received = sent(rig)
    assert received[own]["penaltyPercent"] == 11.5
    for number in others:
        assert received[number]["penaltyPercent"] == 8


def test_without_penalty_interest_none_is_sent(rig: Rig) -> None:
    document = load(rig, 2, lambda document: None)
    summary = rig.export(every(document))
    assert summary.succeeded
    received = sent(rig)
    for invoice in document["invoices"]:
        assert "penaltyPercent" not in received[invoice["number"]]


def test_penalty_interest_out_of_bounds_fails_pre_flight(rig: Rig) -> None:
    def change(document: dict[str, Any]) -> None:
        document["invoices"][0]["penalty_interest"] = "120"

    document = load(rig, 2, change)
    bad = document["invoices"][0]["number"]
    summary = rig.export(every(document))
    outcome = next(o for o in summary.outcomes if o.invoice == bad)
    (problem,) = outcome.problems
    assert (problem.code, problem.field) == ("PENALTY_INTEREST_INVALID", "penalty_interest")
    assert OPTER.message(problem) == (
        f"The penalty interest 120 % of invoice {bad} is not valid: Procountor takes 0 to 100 %"
    )
    assert bad not in sent(rig)


def test_status_on_the_command_line_shows_the_reference(
    sqlite_rig: Rig, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def change(document: dict[str, Any]) -> None:
        document["invoices"][0]["reference"] = CREDITOR

    document = load(sqlite_rig, 1, change)
    number = document["invoices"][0]["number"]
    assert sqlite_rig.export(every(document)).succeeded
    env = {"PROCOUNTOR_EXPORT_DATABASE_URL": sqlite_url}
    monkeypatch.setattr(common, "out", Console(width=200))  # no wrapping in the table

    table = CliRunner().invoke(app, ["status", "--invoice", number], env=env)
    assert table.exit_code == 0, table.output
    assert "reference" in table.stdout
    assert "RF18539007547034" in table.stdout
    listed = CliRunner().invoke(app, ["status", "--invoice", number, "--json"], env=env)
    (row,) = json.loads(listed.stdout)
    assert row["bank_reference"] == "RF18539007547034"
