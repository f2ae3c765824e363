"""VAT kinds that do what they say, as Procountor receives them: the buyer's VAT number and the
legal note in the customer's language on an EU sale, nothing on a domestic one, and an invoice
whose kind lacks what it needs stopped before anything is sent."""

from __future__ import annotations

from typing import Any

from rig import Rig  # type: ignore[import-not-found]

from procountor_export import vat_notes
from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.samples.generator import generate_document
from procountor_export.store.models import JournalState
from procountor_export.tms.importer import import_document

OPTER = Messages("Opter")
UNITS = {"Department": "HEL", "Vehicle group": "TRUCK"}
PERIOD = "2026-03"  # closed in the sample document


def company(code: str, number: str, name: str, country: str, **fields: Any) -> dict[str, Any]:
    return {
        "code": code,
        "customer_no": number,
        "sales_ledger_no": f"2{number}",
        "name": name,
        "address": {
            "name": name,
            "street": "Hamngatan 14",
            "zip": "11147",
            "city": "Stockholm",
            "country": country,
        },
        "invoice_channel": "none",
        **fields,
    }


CUSTOMERS = [
    company("SVEA", "7001", "Svea Frakt AB", "SE", vat_number="SE556677889901", language="sv"),
    company("TALLINN", "7002", "Tallinna Veod OÜ", "EE", vat_number="EE101234568", language="fi"),
    company(
        "HAMBURG", "7003", "Elbe Spedition GmbH", "DE", vat_number="DE123456788", language="en"
    ),
    company("KOTI", "7004", "Kotimaan Kuljetus Oy", "FI", corporate_id="7654321-2"),
    company("NOVAT", "7005", "Ohne Nummer GmbH", "DE", language="en"),
    company("BADVAT", "7006", "Fel Siffra AB", "SE", vat_number="SE556677889902", language="sv"),
]


def sale(number: str, customer: str, vat_code: str, net: str = "1200.00") -> dict[str, Any]:
    domestic = vat_code == "ALV25.5"
    vat = "306.00" if domestic else "0.00"
    gross = f"{float(net) + float(vat):.2f}"
    return {
        "number": number,
        "period": PERIOD,
        "customer": customer,
        "date": "2026-03-31",
        "due_date": "2026-04-30",
        "currency": "EUR",
        "postings": [
            {
                "account": "3010" if domestic else "3300",
                "vat_code": vat_code,
                "vat_rate": "25.5" if domestic else "0",
                "profit_centres": UNITS,
                "net": net,
                "vat": vat,
            }
        ],
        "totals": {"net": net, "vat": vat, "gross": gross},
    }


def load(
    rig: Rig,
    invoices: list[dict[str, Any]],
    rates: dict[str, tuple[dict[str, Any], str]] | None = None,
) -> None:
    """The sample's master data with these customers, invoices and extra VAT rates (code ->
    (the rate's fields, its VAT status code in the export))."""
    document = generate_document(0)
    document["customers"] = CUSTOMERS
    document["invoices"] = invoices
    export = document["export_settings"]["exports"][0]
    export["include_pdf"] = False
    for code, (rate, status) in (rates or {}).items():
        document["vat_rates"].append({"code": code, "rate": "0", **rate})
        export["codes"]["tax_rates"][code] = status
    report = import_document(rig.store, document, box=rig.box)
    assert report.accepted, report.errors


def received(rig: Rig) -> dict[str, dict[str, Any]]:
    return {inv["originalInvoiceNumber"]: inv for inv in rig.collection("invoices")}


def customer_numbers(rig: Rig) -> set[str]:
    return {p["invoicingInfo"].get("customerNumber") for p in rig.collection("partners")}


def test_an_eu_service_sale_carries_the_vat_number_and_the_note_in_the_customers_language(
    rig: Rig,
) -> None:
    load(
        rig,
        [
            sale("700001", "SVEA", "ALV0EU"),
            sale("700002", "TALLINN", "ALV0EU"),
            sale("700003", "HAMBURG", "ALV0EU"),
            sale("700004", "KOTI", "ALV25.5"),
        ],
    )
    summary = rig.export()
    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes]
    sent = received(rig)

    swedish = sent["700001"]
    assert swedish["counterParty"]["taxCode"] == "SE556677889901"
    assert swedish["vatStatus"] == 6
    assert swedish["additionalInformation"] == (
        "Omvänd betalningsskyldighet: köparen betalar mervärdesskatten i sitt eget land "
        "(65 § MomsL, artiklarna 44 och 196 i mervärdesskattedirektivet 2006/112/EG)."
    )
    finnish = sent["700002"]
    assert finnish["counterParty"]["taxCode"] == "EE101234568"
    assert finnish["additionalInformation"] == vat_notes.legal_note("eu_services", "fi")
    assert finnish["additionalInformation"].startswith("Käännetty verovelvollisuus")
    english = sent["700003"]
    assert english["counterParty"]["taxCode"] == "DE123456788"
    assert english["additionalInformation"].startswith("Reverse charge: ")
    assert english["additionalInformation"] == vat_notes.legal_note("eu_services", "en")

    domestic = sent["700004"]
    assert not domestic.get("additionalInformation")
    assert not domestic["counterParty"].get("taxCode")


def test_a_missing_or_bad_vat_number_stops_the_invoice_before_anything_is_sent(rig: Rig) -> None:
    load(rig, [sale("700011", "NOVAT", "ALV0EU"), sale("700012", "BADVAT", "ALV0EU")])
    summary = rig.export(Scope(invoices=("700011", "700012")))

    assert summary.exported == 0
    outcomes = {o.invoice: o for o in summary.outcomes}
    missing = outcomes["700011"]
    assert missing.state is JournalState.FAILED
    (problem,) = missing.problems
    assert (problem.code, problem.field) == ("VAT_NUMBER_REQUIRED", "customer.vat_number")
    assert OPTER.message(problem) == (
        "The customer Ohne Nummer GmbH (customer code: NOVAT) has no VAT number, which the VAT "
        "code ALV0EU of kind eu_services (service to a business in another EU country) requires"
    )
    bad = outcomes["700012"]
    assert bad.state is JournalState.FAILED
    (problem,) = bad.problems
    assert (problem.code, problem.field) == ("VAT_NUMBER_INVALID", "customer.vat_number")
    assert "SE556677889902" in OPTER.message(problem)
    # Nothing reached Procountor: no invoice, no customer.
    assert not {"700011", "700012"} & set(received(rig))
    assert not {"27005", "27006"} & customer_numbers(rig)


def test_a_vat_status_that_does_not_fit_the_kind_stops_the_invoice(rig: Rig) -> None:
    # An EU service rate that the export maps to domestic sales.
    load(rig, [sale("700021", "SVEA", "ALV0EUX")], {"ALV0EUX": ({"kind": "eu_services"}, "vat_1")})
    summary = rig.export()
    (outcome,) = summary.outcomes
    assert outcome.state is JournalState.FAILED
    (problem,) = outcome.problems
    assert (problem.code, problem.field) == ("VAT_KIND_STATUS", "postings[0].vat_code")
    assert OPTER.message(problem) == (
        "The VAT code ALV0EUX is of kind eu_services (service to a business in another EU "
        "country), but its VAT status code vat_1 is for domestic sales; a sale of this kind "
        "needs vat_6 (EU sales of services)"
    )
    assert "700021" not in received(rig)


def test_a_note_of_the_vat_rates_own_replaces_the_default_text(rig: Rig) -> None:
    own = "Omvänd betalningsskyldighet – artikel 196 i direktiv 2006/112/EG"
    load(
        rig,
        [sale("700031", "SVEA", "ALV0EUN")],
        {"ALV0EUN": ({"kind": "eu_services", "note": own}, "vat_6")},
    )
    summary = rig.export()
    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes]
    invoice = received(rig)["700031"]
    assert invoice["additionalInformation"] == own
    assert invoice["counterParty"]["taxCode"] == "SE556677889901"


def test_a_rate_without_a_kind_on_an_eu_status_goes_with_a_warning(rig: Rig) -> None:
    # A document from before kinds: its 0 % EU service rate says no kind, the export maps it to
    # EU sales of services. The status is right for the VAT return, so the invoice goes; the
    # missing legal note is a warning recorded with it, not a silent gap.
    load(rig, [sale("700041", "SVEA", "ALV0OLD")], {"ALV0OLD": ({}, "vat_6")})
    summary = rig.export()
    assert summary.succeeded, [(o.invoice, o.problems) for o in summary.outcomes]
    (outcome,) = summary.outcomes
    assert outcome.state is JournalState.EXPORTED
    (warning,) = outcome.warnings
    assert (warning.code, warning.field) == ("VAT_KIND_MISSING", "postings[0].vat_code")
    assert OPTER.message(warning) == (
        "The VAT code ALV0OLD has no VAT kind (it counts as domestic), but its VAT status code "
        "vat_6 is for EU sales of services"
    )
    invoice = received(rig)["700041"]
    assert invoice["vatStatus"] == 6
    assert not invoice.get("additionalInformation")
