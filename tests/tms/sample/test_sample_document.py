"""The generated sample document: deterministic, internally consistent, fit for the demo company."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from procountor_export.samples.generator import (
    PROBLEM_CASES,
    generate_document,
    iter_invoices,
    write_document,
)

CENT = Decimal("0.01")
# The demo company's open tracking periods: 2025-02 .. 2027-12 (2024 closed, 2025-01 closed).
OPEN_FROM, OPEN_TO = date(2025, 2, 1), date(2027, 12, 31)
PROBLEM_NUMBERS = {case.invoice_number for case in PROBLEM_CASES.values()}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return generate_document(600, seed=3)


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    else:
        yield value


def test_same_seed_gives_the_same_document_and_another_seed_another() -> None:
    first = json.dumps(generate_document(80, seed=11))
    assert json.dumps(generate_document(80, seed=11)) == first
    other = generate_document(80, seed=12)
    assert json.dumps(other) != first
    assert [i["customer"] for i in other["invoices"]] != [
        i["customer"] for i in json.loads(first)["invoices"]
    ]


def test_the_document_is_plain_json_without_floats(document: dict[str, Any]) -> None:
    leaves = list(_walk(document))
    assert not any(isinstance(leaf, float) for leaf in leaves)
    assert all(leaf is None or isinstance(leaf, str | bool | int) for leaf in leaves)
    assert json.loads(json.dumps(document)) == document
    assert document["schema"] == "tms-invoicing/1"


def test_office_is_the_demo_company() -> None:
    office = generate_document(0)["office"]
    assert office["name"] == "Kuljetus Demo Oy"
    assert office["bank_account"] == "FI2112345600000785"
    assert office["business_id"] == "1234567-8"


def test_asked_number_of_invoices_with_unique_short_numbers(document: dict[str, Any]) -> None:
    numbers = [invoice["number"] for invoice in document["invoices"]]
    assert len(numbers) == 600
    assert len(set(numbers)) == 600
    assert all(isinstance(n, str) and len(n) <= 40 for n in numbers)
    assert numbers == sorted(numbers, key=int)


def test_line_amounts_are_quantity_times_price(document: dict[str, Any]) -> None:
    for invoice in document["invoices"]:
        for order in invoice["orders"]:
            for line in order["lines"]:
                expected = (Decimal(line["quantity"]) * Decimal(line["unit_price"])).quantize(CENT)
                assert Decimal(line["amount"]) == expected, (invoice["number"], line)


def test_lines_postings_and_totals_add_up(document: dict[str, Any]) -> None:
    rates = {rate["code"]: Decimal(rate["rate"]) for rate in document["vat_rates"]}
    for invoice in document["invoices"]:
        by_code: dict[str, Decimal] = defaultdict(Decimal)
        for order in invoice["orders"]:
            for line in order["lines"]:
                by_code[line["vat_code"]] += Decimal(line["amount"])
        posted: dict[str, Decimal] = defaultdict(Decimal)
        keys = set()
        for posting in invoice["postings"]:
            net, vat = Decimal(posting["net"]), Decimal(posting["vat"])
            assert Decimal(posting["vat_rate"]) == rates[posting["vat_code"]]
            assert vat == (net * rates[posting["vat_code"]] / 100).quantize(CENT, ROUND_HALF_UP)
            posted[posting["vat_code"]] += net
            key = (
                posting["account"],
                posting["vat_code"],
                tuple(posting["profit_centres"].items()),
            )
            assert key not in keys, "postings are aggregated per account, VAT code and units"
            keys.add(key)
        assert posted == by_code, invoice["number"]
        totals = {name: Decimal(value) for name, value in invoice["totals"].items()}
        assert totals["net"] == sum(Decimal(p["net"]) for p in invoice["postings"])
        assert totals["vat"] == sum(Decimal(p["vat"]) for p in invoice["postings"])
        assert totals["gross"] == totals["net"] + totals["vat"]


def test_dates_fall_in_open_demo_periods_and_their_tms_period(document: dict[str, Any]) -> None:
    periods = {period["id"]: period for period in document["periods"]}
    for invoice in document["invoices"]:
        day = date.fromisoformat(invoice["date"])
        assert OPEN_FROM <= day <= OPEN_TO, invoice["number"]
        period = periods[invoice["period"]]
        assert period["from"] <= invoice["date"] <= period["to"]
        assert invoice["due_date"] >= invoice["date"]
        for order in invoice["orders"]:
            assert order["pickup_date"] <= order["delivery_date"] <= invoice["date"]
    years = {invoice["date"][:4] for invoice in document["invoices"]}
    assert years == {"2025", "2026"}


def test_periods_are_monthly_closed_but_the_last(document: dict[str, Any]) -> None:
    periods = document["periods"]
    assert all(period["closed_at"] for period in periods[:-1])
    assert periods[-1]["closed_at"] is None
    assert [p["id"] for p in periods] == sorted(p["id"] for p in periods)
    assert all(p["id"] not in ("2024-06", "2025-01") for p in periods)


def test_reduced_vat_is_14_in_2025_and_13_5_from_2026(document: dict[str, Any]) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for invoice in document["invoices"]:
        for posting in invoice["postings"]:
            seen[posting["vat_code"]].add(invoice["date"][:4])
            count[posting["vat_code"]] += 1
    assert seen["ALV14"] == {"2025"}
    assert seen["ALV13.5"] == {"2026"}
    assert {"ALV25.5", "ALV0EU", "ALV0EXP"} <= set(seen)
    # Reduced-rate lines are a small share; most of the invoicing is at 25.5 %.
    assert count["ALV14"] + count["ALV13.5"] < count["ALV25.5"] / 10


def test_every_reference_is_declared(document: dict[str, Any]) -> None:
    customers = {customer["code"] for customer in document["customers"]}
    periods = {period["id"] for period in document["periods"]}
    vat_codes = {rate["code"] for rate in document["vat_rates"]}
    units = {
        (pc["name"], unit["code"]) for pc in document["profit_centres"] for unit in pc["units"]
    }
    for invoice in document["invoices"]:
        assert invoice["customer"] in customers
        assert invoice["period"] in periods
        for posting in invoice["postings"]:
            assert posting["vat_code"] in vat_codes
            assert set(posting["profit_centres"].items()) <= units
            assert posting["account"] in {"3010", "3020", "3030", "3300", "3310", "3400"}


def test_customers_cover_channels_currencies_and_markets(document: dict[str, Any]) -> None:
    customers = {customer["code"]: customer for customer in document["customers"]}
    assert {c["invoice_channel"] for c in customers.values()} == {
        "e-invoice",
        "email",
        "mail",
        "none",
    }
    assert {"NDEAFIHH", "OKOYFIHH", "003721291126"} <= {
        c.get("edi_code") for c in customers.values()
    }
    for customer in customers.values():
        assert customer["sales_ledger_no"] != "29999"
        customer["name"].encode("cp1252")
        if customer["invoice_channel"] == "e-invoice":
            assert customer["ovt"].startswith("0037")
    by_code = defaultdict(set)
    for invoice in document["invoices"]:
        by_code[invoice["customer"]].add((invoice["currency"], invoice.get("currency_rate", "1")))
        codes = {p["vat_code"] for p in invoice["postings"]}
        country = customers[invoice["customer"]]["address"]["country"]
        if country in ("SE", "DE", "EE"):
            assert codes == {"ALV0EU"}
        elif country == "NO":
            assert codes == {"ALV0EXP"}
        else:
            assert codes <= {"ALV25.5", "ALV14", "ALV13.5"}
    assert by_code["NORLOG"] == {("SEK", "11.20")}
    assert all(pairs == {("EUR", "1")} for code, pairs in by_code.items() if code != "NORLOG")


def test_profit_centres_and_units_include_oulu(document: dict[str, Any]) -> None:
    centres = {pc["name"]: {u["code"] for u in pc["units"]} for pc in document["profit_centres"]}
    assert centres == {
        "Department": {"HEL", "TKU", "TRE", "OUL"},
        "Vehicle group": {"TRUCK", "VAN"},
    }
    used = {
        unit
        for invoice in document["invoices"]
        for posting in invoice["postings"]
        for unit in posting["profit_centres"].values()
    }
    assert {"OUL", "HEL", "TRUCK", "VAN"} <= used


def test_credit_notes_credit_an_earlier_invoice_of_the_same_customer() -> None:
    invoices = generate_document(2000, seed=5)["invoices"]
    by_number = {invoice["number"]: invoice for invoice in invoices}
    credits = [invoice for invoice in invoices if invoice["type"] == "credit"]
    assert credits
    for note in credits:
        original = by_number[note["credited_invoice"]]
        assert original["type"] == "invoice"
        assert int(original["number"]) < int(note["number"])
        assert original["date"] <= note["date"]
        assert original["customer"] == note["customer"]
        assert original["currency"] == note["currency"]
        assert Decimal(note["totals"]["gross"]) < 0
        assert all(Decimal(p["net"]) < 0 for p in note["postings"])
        order_numbers = {order["order_no"] for order in original["orders"]}
        assert {order["order_no"] for order in note["orders"]} <= order_numbers


def test_orders_carry_the_transport_details(document: dict[str, Any]) -> None:
    kinds = set()
    for invoice in document["invoices"]:
        for order in invoice["orders"]:
            for key in ("order_no", "consignment_note", "pickup_date", "delivery_date"):
                assert order[key]
            assert order["sender"]["city"]
            assert order["recipient"]["city"]
            assert int(order["distance_km"]) > 0
            assert int(order["weight_kg"]) > 0
            kinds.update(line["unit"] for line in order["lines"])
    assert kinds == {"km", "pcs", "h", "pallet", "day"}


def test_export_settings_are_the_demo_contract() -> None:
    settings = generate_document(1)["export_settings"]
    assert settings == {
        "exports": [
            {
                "name": "Procountor (API)",
                "type": "procountor-api",
                "encoding": "UTF-8",
                "password": "demo-api-key",
                "include_pdf": True,
                "reduce_pdf": False,
                "codes": {
                    "tax_rates": {
                        "ALV25.5": "vat_1",
                        "ALV14": "vat_1",
                        "ALV13.5": "vat_1",
                        "ALV0EU": "vat_6",
                        "ALV0EXP": "vat_3",
                    }
                },
            }
        ],
        "groups": [{"name": "Procountor (API)", "exports": ["Procountor (API)"], "default": True}],
        "terminology": {"IES_ProcountorAPIProductGroup": "OpterGroup"},
    }


def test_editing_one_document_does_not_change_the_next() -> None:
    first = generate_document(30, seed=2)
    first["customers"][0]["address"]["city"] = "Changed"
    first["invoices"][0]["orders"][0]["sender"]["city"] = "Changed"
    first["office"]["name"] = "Changed"
    again = json.dumps(generate_document(30, seed=2))
    assert "Changed" not in again


def test_streamed_json_equals_the_document() -> None:
    buffer = io.StringIO()
    write_document(buffer, 1234, seed=9, with_problems=True)
    expected = generate_document(1234, seed=9, with_problems=True)
    assert buffer.getvalue() == json.dumps(expected, separators=(",", ":"), ensure_ascii=False)


def test_zero_invoices_is_a_valid_document() -> None:
    document = generate_document(0)
    assert document["invoices"] == []
    assert document["customers"]
    assert document["periods"]
    assert [i["number"] for i in generate_document(0, with_problems=True)["invoices"]] == [
        case.invoice_number for case in PROBLEM_CASES.values()
    ]


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="invoices must be between 0 and"):
        list(iter_invoices(-1))


def _streaming_peak(invoices: int) -> int:
    class Discard(io.TextIOBase):
        def write(self, text: str) -> int:
            return len(text)

    tracemalloc.start()
    try:
        write_document(Discard(), invoices, seed=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_streaming_memory_does_not_grow_with_the_invoice_count() -> None:
    # The peak levels off once a month's credit-note window is full (~1,000 invoices).
    small, large = _streaming_peak(1500), _streaming_peak(4500)
    assert large < small * 1.3, (small, large)
