"""The document models accept the format exactly as input-format.md writes it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from procountor_export.tms import document as doc
from procountor_export.tms.report import problems_from


def messages(model: type[BaseModel], raw: Any, prefix: str = "") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(raw)
    return [str(problem) for problem in problems_from(prefix, caught.value)]


def test_the_example_validates_with_exact_decimals(example: dict[str, Any]) -> None:
    document = doc.Document.model_validate(example)
    invoice = document.invoices[0]
    assert invoice.totals.gross == Decimal("439.25")
    assert str(invoice.postings[0].net) == "350.00"  # the text as sent, trailing zero kept
    assert invoice.orders[0].lines[0].unit_price == Decimal("350.00")
    assert invoice.currency_rate == Decimal(1)
    assert document.customers[0].language == "fi"
    assert document.customers[0].payment_terms_days == 14
    assert document.periods[0].date_from.isoformat() == "2025-03-01"


@pytest.mark.parametrize("number", [350.0, 350, 12.5])
def test_json_numbers_are_refused_for_money(example: dict[str, Any], number: Any) -> None:
    raw = example["invoices"][0]
    raw["totals"]["net"] = number
    assert messages(doc.Invoice, raw, "invoices[0]") == [
        'invoices[0].totals.net: must be a decimal string like "12.50", not a number'
    ]


def test_malformed_decimal_strings_are_refused(example: dict[str, Any]) -> None:
    raw = example["invoices"][0]
    raw["postings"][0]["vat"] = "89,25"
    raw["orders"][0]["weight_kg"] = "NaN"
    found = messages(doc.Invoice, raw)
    assert 'postings[0].vat: must be a decimal string like "12.50", not "89,25"' in found
    assert any(line.startswith("orders[0].weight_kg:") for line in found)


def test_codes_dates_and_enums_are_checked(example: dict[str, Any]) -> None:
    raw = example["invoices"][0]
    raw.update(number="9" * 41, currency="EURO", type="refund", date=20250331, due_date="31.3.2025")
    raw["orders"][0]["sender"]["country"] = "FIN"
    found = messages(doc.Invoice, raw)
    assert "number: String should have at most 40 characters" in found
    assert 'currency: must be an ISO 4217 currency code, not "EURO"' in found
    assert "type: must be 'invoice' or 'credit', not \"refund\"" in found
    assert "date: must be an ISO date string like 2025-03-31" in found
    assert any(line.startswith("due_date: ") for line in found)
    assert (
        'orders[0].sender.country: must be an ISO 3166-1 alpha-2 country code, not "FIN"' in found
    )


def test_lower_case_codes_are_normalised(example: dict[str, Any]) -> None:
    raw = example["customers"][0]
    raw["address"]["country"] = "fi"
    raw["language"] = "SV"
    customer = doc.Customer.model_validate(raw)
    assert (customer.address.country, customer.language) == ("FI", "sv")


def test_an_address_needs_only_its_name(example: dict[str, Any]) -> None:
    raw = example["customers"][0]
    raw["address"] = {"city": "Tampere"}
    assert messages(doc.Customer, raw, "customers[0]") == ["customers[0].address.name: required"]
    raw["address"] = {"name": "Acme Oy"}
    assert doc.Customer.model_validate(raw).address.street is None


def test_customer_enums_and_required_keys(example: dict[str, Any]) -> None:
    raw = example["customers"][0]
    del raw["customer_no"]
    raw["invoice_channel"] = "fax"
    found = messages(doc.Customer, raw)
    assert "customer_no: required" in found
    assert any(line.startswith("invoice_channel: must be 'e-invoice'") for line in found)


def test_vat_kind_defaults_to_domestic_and_is_an_enum() -> None:
    rate = doc.VatRate.model_validate({"code": "ALV0EU", "rate": "0"})
    assert rate.kind == "domestic"
    found = messages(doc.VatRate, {"code": "X", "rate": "0", "kind": "eu"})
    assert found[0].startswith("kind: must be 'domestic', 'eu_goods'")


def test_password_is_a_string_or_an_environment_variable() -> None:
    plain = doc.Export.model_validate({"name": "P", "password": "secret-key"})
    assert plain.password == "secret-key"
    from_env = doc.Export.model_validate({"name": "P", "password": {"env": "PROCOUNTOR_KEY"}})
    assert from_env.password == doc.PasswordEnv(env="PROCOUNTOR_KEY")
    assert messages(doc.Export, {"name": "P", "password": {"file": "x"}}) == [
        'password: must be the API key as a string or {"env": "VARIABLE_NAME"}'
    ]
    assert messages(doc.Export, {"name": "P", "password": {"env": "1 bad"}}) == [
        "password: env must name an environment variable"
    ]


def test_export_settings_section_of_the_format() -> None:
    settings = doc.ExportSettings.model_validate(
        {
            "exports": [
                {
                    "name": "Procountor (API)",
                    "type": "procountor-api",
                    "encoding": "utf8",
                    "include_pdf": True,
                    "codes": {"tax_rates": {"ALV25.5": "vat_1"}},
                }
            ],
            "groups": [{"name": "Procountor (API)", "exports": ["Procountor (API)"]}],
            "terminology": {"IES_ProcountorAPIProductGroup": "OpterGroup"},
        }
    )
    assert settings.exports[0].encoding == "UTF-8"
    assert settings.exports[0].codes.tax_rates == {"ALV25.5": "vat_1"}
    assert settings.groups[0].default is False


def test_unknown_top_level_keys_and_schema_are_errors(example: dict[str, Any]) -> None:
    example["invoice"] = []
    example["schema"] = "tms-invoicing/2"
    found = messages(doc.Document, example)
    assert "invoice: unknown key" in found
    assert "schema: must be 'tms-invoicing/1', not \"tms-invoicing/2\"" in found
    del example["schema"]
    assert "schema: required" in messages(doc.Document, example)


def test_an_invoice_needs_postings(example: dict[str, Any]) -> None:
    raw = example["invoices"][0]
    raw["postings"] = []
    assert messages(doc.Invoice, raw) == [
        "postings: List should have at least 1 item after validation, not 0"
    ]
