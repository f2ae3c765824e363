"""VAT kinds that do what they say: the legal notes, the pre-flight checks each kind needs
(invoice, field and value named) and what the payload carries."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from factories import OFFICE, customer, invoice, posting, snapshot  # type: ignore[import-not-found]

from procountor_export import vat_notes
from procountor_export.export import messages as m
from procountor_export.export.messages import Messages
from procountor_export.export.planning import payloads
from procountor_export.export.planning.checks import check_invoice
from procountor_export.export.planning.plan import plan_invoice
from procountor_export.export.planning.text import unencodable
from procountor_export.export.problems import Problem
from procountor_export.export.reading.data import (
    AddressData,
    CustomerData,
    ExportConfig,
    InvoiceData,
    PostingData,
)

OPTER = Messages("Opter")
DOCS = Path(__file__).resolve().parents[3] / "docs"
EXPORT = ExportConfig(
    id=1,
    name="Procountor (API)",
    tax_codes={
        "ALV25.5": "vat_1",
        "ALV0EU": "vat_6",
        "ALV0EUG": "vat_5",
        "ALV0EXP": "vat_3",
        "ALV0RAK": "vat_9",  # a status the company added for construction services
        "ALV0VAP": "vat_12",
        "ALV0WRONG": "vat_1",
    },
)
SNAPSHOT = snapshot(vat_statuses=frozenset({1, 3, 5, 6, 9, 12}))
KIND_OF = {
    "ALV0EU": "eu_services",
    "ALV0EUG": "eu_goods",
    "ALV0EXP": "export",
    "ALV0RAK": "reverse_charge",
    "ALV0VAP": "exempt",
}


def swedish(**changes: object) -> CustomerData:
    values: dict[str, object] = {
        "code": "NORLOG",
        "customer_no": "1015",
        "sales_ledger_no": "20015",
        "name": "Nordisk Logistik AB",
        "address": AddressData(
            name="Nordisk Logistik AB",
            street="Hamngatan 14",
            zip="111 47",
            city="Stockholm",
            country="SE",
        ),
        "corporate_id": "556677-8899",
        "vat_number": "SE556677889901",
        "language": "sv",
        "invoice_channel": "none",
        "edi_code": None,
        "ovt": None,
    }
    values.update(changes)
    return customer(**values)  # type: ignore[no-any-return]


def zero(vat_code: str, net: str = "500.00", **changes: object) -> PostingData:
    """A 0 % posting of ``vat_code`` with the kind the TMS gave that code."""
    values: dict[str, object] = {
        "vat_code": vat_code,
        "vat_rate": Decimal(0),
        "net": Decimal(net),
        "vat": Decimal(0),
        "vat_kind": KIND_OF.get(vat_code, "domestic"),
    }
    values.update(changes)
    return posting(**values)  # type: ignore[no-any-return]


def check(inv: InvoiceData) -> list[Problem]:
    return check_invoice(inv, EXPORT, SNAPSHOT, OFFICE)


def said(inv: InvoiceData) -> list[str]:
    return [OPTER.message(p) for p in check(inv)]


# --- the notes ------------------------------------------------------------------------------


def test_domestic_has_no_note_and_every_other_kind_one_per_language() -> None:
    assert vat_notes.legal_note("domestic", "fi") is None
    for kind in vat_notes.KINDS:
        if kind == "domestic":
            continue
        texts = {language: vat_notes.legal_note(kind, language) for language in ("fi", "sv", "en")}
        assert all(texts.values()), kind
        assert len(set(texts.values())) == 3, kind  # each language its own text


def test_the_customary_words_are_in_the_reverse_charge_notes() -> None:
    for kind in ("eu_services", "reverse_charge"):
        assert (vat_notes.legal_note(kind, "fi") or "").startswith("Käännetty verovelvollisuus")
        assert (vat_notes.legal_note(kind, "sv") or "").startswith("Omvänd betalningsskyldighet")
        assert (vat_notes.legal_note(kind, "en") or "").startswith("Reverse charge")
    assert "AVL 8 c §" in (vat_notes.legal_note("reverse_charge", "fi") or "")
    assert "AVL 65 §" in (vat_notes.legal_note("eu_services", "fi") or "")
    assert "AVL 72 a §" in (vat_notes.legal_note("eu_goods", "fi") or "")
    assert "AVL 70 §" in (vat_notes.legal_note("export", "fi") or "")


def test_another_language_gets_english_and_an_override_wins() -> None:
    english = vat_notes.legal_note("eu_goods", "en")
    assert vat_notes.legal_note("eu_goods", "de") == english
    assert vat_notes.legal_note("eu_goods", "") == english
    assert vat_notes.legal_note("eu_goods", "SV") == vat_notes.legal_note("eu_goods", "sv")
    own = "Veroton myynti, AVL 71 § 5 kohta / Exempt, VAT Act s. 71"
    assert vat_notes.legal_note("export", "sv", own) == own
    assert vat_notes.legal_note("domestic", "fi", own) == own  # the TMS's own note is printed
    assert vat_notes.legal_note("export", "fi", "  ") == vat_notes.legal_note("export", "fi")
    assert vat_notes.legal_note("no_such_kind", "fi") is None


def test_every_note_fits_procountors_character_set_and_is_documented() -> None:
    page = (DOCS / "user-guide" / "exporting.md").read_text(encoding="utf-8")
    for kind, texts in vat_notes.NOTES.items():
        assert kind in vat_notes.KINDS
        assert set(texts) == set(vat_notes.LANGUAGES)
        for text in texts.values():
            assert unencodable(text) == "", text
            assert text in page, text


def test_a_seller_outside_finland_cites_the_directive_never_the_finnish_act() -> None:
    page = (DOCS / "user-guide" / "exporting.md").read_text(encoding="utf-8")
    finnish_law = ("AVL", "MomsL", "Finnish VAT Act", "1501/1993", "rakentamispalvelut")
    for kind in vat_notes.KINDS:
        for language in vat_notes.LANGUAGES:
            note = vat_notes.legal_note(kind, language, finnish_seller=False)
            if kind == "domestic":
                assert note is None
                continue
            assert note is not None
            assert "2006/112" in note, (kind, language)
            assert not any(word in note for word in finnish_law), note
            assert unencodable(note) == "", note
            assert note in page, note
    # A Finnish seller's notes are as before.
    assert "AVL 65 §" in (vat_notes.legal_note("eu_services", "fi", finnish_seller=True) or "")


# --- the checks -----------------------------------------------------------------------------


def test_an_eu_service_sale_to_a_swedish_company_passes() -> None:
    assert said(invoice(zero("ALV0EU"), customer=swedish())) == []


def test_an_eu_sale_without_a_vat_number_names_customer_field_and_code() -> None:
    inv = invoice(zero("ALV0EU"), zero("ALV0EUG"), customer=swedish(vat_number=None))
    (problem,) = check(inv)
    assert problem.code == m.VAT_NUMBER_REQUIRED.code
    assert (problem.invoice, problem.field) == ("250001", "customer.vat_number")
    assert OPTER.message(problem) == (
        "The customer Nordisk Logistik AB (customer code: NORLOG) has no VAT number, which the "
        "VAT code ALV0EU of kind eu_services (service to a business in another EU country) "
        "requires"
    )
    assert OPTER.remedy(problem)


def test_a_vat_number_with_wrong_check_digits_is_reported_once() -> None:
    (problem,) = check(invoice(zero("ALV0EU"), customer=swedish(vat_number="SE556677889902")))
    assert problem.code == m.VAT_NUMBER_INVALID.code
    assert problem.field == "customer.vat_number"
    assert "SE556677889902" in OPTER.message(problem)


@pytest.mark.parametrize(
    ("vat_number", "reason"),
    [
        ("FI12345671", "it is a Finnish VAT number"),
        ("NO923456783MVA", "it is not the VAT number of an EU member state"),
        ("556677889901", "it is not the VAT number of an EU member state"),
        ("XI123456782", "a Northern Ireland (XI) VAT number counts only for the sale of goods"),
    ],
)
def test_a_vat_number_that_is_not_another_member_states_is_refused(
    vat_number: str, reason: str
) -> None:
    (problem,) = check(invoice(zero("ALV0EU"), customer=swedish(vat_number=vat_number)))
    assert problem.code == m.VAT_NUMBER_NOT_EU.code
    assert problem.field == "customer.vat_number"
    message = OPTER.message(problem)
    assert message.startswith(
        f"The VAT number {vat_number} of customer Nordisk Logistik AB (customer code: NORLOG) "
        "cannot be used with the VAT code ALV0EU of kind eu_services"
    )
    assert reason in message


def test_goods_to_northern_ireland_may_use_an_xi_number() -> None:
    assert said(invoice(zero("ALV0EUG"), customer=swedish(vat_number="XI123456782"))) == []


def test_a_domestic_reverse_charge_needs_the_buyers_business_id() -> None:
    assert said(invoice(zero("ALV0RAK"))) == []  # Acme Oy has one
    (problem,) = check(invoice(zero("ALV0RAK"), customer=customer(corporate_id=None)))
    assert problem.code == m.BUSINESS_ID_REQUIRED.code
    assert problem.field == "customer.corporate_id"
    assert OPTER.message(problem) == (
        "The customer Acme Oy (customer code: ACME) has no business ID, which the VAT code "
        "ALV0RAK of kind reverse_charge (domestic reverse charge) requires"
    )


def test_export_and_exempt_need_nothing_of_the_customer() -> None:
    bare = customer(corporate_id=None, vat_number=None)
    assert said(invoice(zero("ALV0EXP"), zero("ALV0VAP"), customer=bare)) == []


@pytest.mark.parametrize(
    ("vat_code", "kind", "status", "meaning", "needs"),
    [
        ("ALV0WRONG", "eu_services", 1, "domestic sales", "vat_6 (EU sales of services)"),
        ("ALV0EUG", "eu_services", 5, "EU sales of goods", "vat_6 (EU sales of services)"),
        ("ALV0EU", "eu_goods", 6, "EU sales of services", "vat_5 (EU sales of goods)"),
        ("ALV0EU", "export", 6, "EU sales of services", "vat_3 (sales outside the EU)"),
        ("ALV0WRONG", "reverse_charge", 1, "domestic sales", "the company's VAT status"),
        ("ALV0EU", "exempt", 6, "EU sales of services", "vat_1 (domestic sales) or vat_12"),
    ],
)
def test_a_vat_status_that_does_not_fit_the_kind_is_an_error(
    vat_code: str, kind: str, status: int, meaning: str, needs: str
) -> None:
    inv = invoice(zero(vat_code, vat_kind=kind), customer=swedish())
    problems = [p for p in check(inv) if p.code == m.VAT_KIND_STATUS.code]
    (problem,) = problems
    assert problem.field == "postings[0].vat_code"
    message = OPTER.message(problem)
    assert message.startswith(f"The VAT code {vat_code} is of kind {kind} (")
    assert f"its VAT status code vat_{status} is for {meaning}; a sale of this kind needs " in (
        message
    )
    assert needs in message
    assert OPTER.remedy(problem)


@pytest.mark.parametrize(
    ("vat_code", "status", "meaning"),
    [("ALV0EXP", 3, "sales outside the EU"), ("ALV0EU", 6, "EU sales of services")],
)
def test_a_rate_without_a_kind_on_another_status_is_a_warning(
    vat_code: str, status: int, meaning: str
) -> None:
    # No kind is "domestic": a document from before kinds. Its status is right for the VAT
    # return, so the invoice goes; the missing legal note is a warning, never an error.
    inv = invoice(zero(vat_code, vat_kind="domestic"), customer=swedish())
    problems = [
        p for p in check(inv) if p.code in {m.VAT_KIND_STATUS.code, m.VAT_KIND_MISSING.code}
    ]
    (problem,) = problems
    assert problem.code == m.VAT_KIND_MISSING.code
    assert not problem.is_error
    assert problem.field == "postings[0].vat_code"
    assert OPTER.message(problem) == (
        f"The VAT code {vat_code} has no VAT kind (it counts as domestic), but its VAT status "
        f"code vat_{status} is for {meaning}"
    )


def test_statuses_that_fit_or_that_the_export_cannot_judge_pass() -> None:
    inv = invoice(
        posting(),  # ALV25.5, domestic, vat_1
        zero("ALV0VAP"),  # exempt, vat_12
        zero("ALV25.5", vat_kind="exempt", vat_rate=Decimal("25.5")),  # exempt, vat_1
        zero("ALV0RAK"),  # reverse charge, the company's own vat_9
        customer=customer(),
    )
    assert [p for p in check(inv) if p.code == m.VAT_KIND_STATUS.code] == []


def test_a_status_not_in_use_is_reported_once_not_twice() -> None:
    snap = snapshot(vat_statuses=frozenset({1}))
    found = check_invoice(invoice(zero("ALV0EU"), customer=swedish()), EXPORT, snap, OFFICE)
    assert [p.code for p in found] == [m.VAT_STATUS_NOT_ENABLED.code]


def test_a_note_of_the_vat_rates_own_must_fit_the_character_set() -> None:
    inv = invoice(zero("ALV0EU", vat_note="Omvänd skattskyldighet ≠ moms"), customer=swedish())
    (problem,) = check(inv)
    assert problem.code == m.TEXT_ENCODING.code
    assert problem.field == "vat_rates.note"
    assert OPTER.message(problem) == (
        "The legal note of VAT code ALV0EU contains characters Procountor cannot accept: ≠"
    )


# --- the payload ----------------------------------------------------------------------------


def _payload(inv: InvoiceData) -> dict[str, object]:
    plan = plan_invoice(inv, EXPORT, SNAPSHOT, OFFICE)
    assert plan.ready, plan.problems
    product_ids = {row.key.product_code: 1 for row in plan.rows}
    return payloads.invoice(
        plan, partner_id=1, product_ids=product_ids, office=OFFICE, source="Opter"
    ).to_wire()


def test_the_note_goes_in_the_additional_information_in_the_customers_language() -> None:
    for language in ("sv", "fi", "en", "de"):
        body = _payload(
            invoice(
                zero("ALV0EU"), zero("ALV0EU", net="20.00"), customer=swedish(language=language)
            )
        )
        note = vat_notes.legal_note("eu_services", language)
        assert body["additionalInformation"] == note  # once, however many postings
        counter_party = body["counterParty"]
        assert isinstance(counter_party, dict)
        assert counter_party["taxCode"] == "SE556677889901"


def test_one_line_per_distinct_note_after_the_invoices_own_text() -> None:
    inv = invoice(
        zero("ALV0EUG"),
        zero("ALV0EU"),
        zero("ALV0EUG", net="5.00"),
        customer=swedish(language="en"),
        text="Freight March",
    )
    body = _payload(inv)
    assert str(body["additionalInformation"]).split("\n") == [
        "Freight March",
        vat_notes.legal_note("eu_goods", "en"),
        vat_notes.legal_note("eu_services", "en"),
    ]


def test_the_vat_rates_own_note_replaces_the_text_and_domestic_adds_nothing() -> None:
    own = "Omvänd betalningsskyldighet enligt artikel 196, direktiv 2006/112/EG"
    body = _payload(invoice(zero("ALV0EU", vat_note=own), customer=swedish()))
    assert body["additionalInformation"] == own
    assert "additionalInformation" not in _payload(invoice(posting()))
