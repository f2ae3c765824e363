"""Ledger receipts: the one generated with a sales invoice, and the checks of a receipt PUT.

Generated receipt (type ``SALES_INVOICE``): a ``REVERSING_ENTRY`` on the receivables account for
the gross total, then with ``accountingByRow`` one negative-net ``ENTRY`` per invoice row, in
row order, taking the row product's ``defaultAccount`` (else the company's default sales
account), the row's VAT status and the product's default dimensions, whose percentages become
amounts that sum exactly to the entry. Without ``accountingByRow`` rows with the same account,
VAT percent and VAT status share one entry. Foreign-currency amounts are converted to the
company currency: row net ÷ ``currencyRate``, rounded to cents.

A receipt PUT is checked by hand and against the API table (``LedgerReceipt``); dimension
values must name existing items and, with the ``refuseInactiveItems`` reading, active ones.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from procountor_export.emulator import enums
from procountor_export.emulator.checks import Fields
from procountor_export.emulator.common import check_text
from procountor_export.emulator.errors import ApiError, Problems
from procountor_export.emulator.money import cents, split
from procountor_export.emulator.rules.invoices import CLOSED_FISCAL_PERIOD, row_amounts
from procountor_export.emulator.rules.spec import table_problems

if TYPE_CHECKING:
    from procountor_export.emulator.state import CompanyState

DIMENSION_MISMATCH = (
    "DIMENSION_OR_DIMENSION_ITEM_IDENTIFIERS_DOES_NOT_MATCH_THOSE_STORED_IN_DATABASE"
)
MAX_DIMENSIONS_PER_TRANSACTION = 6


def inactive_item_message(dimension: dict[str, Any], item: dict[str, Any]) -> str:
    """The refusal of an inactive (status ``P``) dimension item, naming it."""
    return (
        f"Dimension item {item['codeName']} (id {item['id']}) of dimension "
        f"{dimension['name']} is inactive"
    )


def _dimension_values(
    company: CompanyState, product_id: int | None, value: Decimal
) -> list[dict[str, Any]]:
    if product_id is None:
        return []
    values: list[dict[str, Any]] = []
    for dimension_id, default in sorted(company.product_dimensions.get(product_id, {}).items()):
        items = default["items"]
        shares = split(value, [Decimal(str(item["percent"])) for item in items])
        values.extend(
            {"dimensionId": dimension_id, "itemId": item["id"], "value": share}
            for item, share in zip(items, shares, strict=True)
        )
    return values


def _transaction(company: CompanyState, **fields: Any) -> dict[str, Any]:
    base = {
        "id": company.next_id("transaction"),
        "vatType": "SALES",
        "description": "",
        "dimensionItemValues": [],
    }
    base.update(fields)
    return base


def build_receipt(company: CompanyState, invoice: dict[str, Any]) -> dict[str, Any]:
    """Create and store the ledger receipt of ``invoice`` (which has id, number and status)."""
    payment = invoice["paymentInfo"]
    rate = Decimal(1)
    if payment["currency"] != company.currency:
        rate = Decimal(str(payment["currencyRate"]))
    by_row = bool(invoice["extraInfo"]["accountingByRow"])
    header_status = invoice["vatStatus"]
    entries: dict[tuple[Any, ...], dict[str, Any]] = {}
    gross = Decimal(0)
    for index, (row, amounts) in enumerate(
        zip(invoice["invoiceRows"], row_amounts(invoice), strict=True)
    ):
        net = cents(amounts.net / rate)
        gross += net + cents(amounts.vat / rate)
        product = company.products.get(row.get("productId") or -1) or {}
        account = product.get("defaultAccount") or company.seed.default_sales_account
        status = row.get("vatStatus") or header_status
        key: tuple[Any, ...] = (
            (index,) if by_row else (account, Decimal(str(row["vatPercent"])), status)
        )
        entry = entries.get(key)
        if entry is None:
            entries[key] = {
                "account": account,
                "value": -net,
                "vatPercent": row["vatPercent"],
                "vatStatus": status,
                "productId": row.get("productId") if by_row else None,
                "row": row,
            }
        else:
            entry["value"] -= net
    transactions = [
        _transaction(
            company,
            transactionType="REVERSING_ENTRY",
            account=company.seed.receivables_account,
            accountingValue=gross,
            vatPercent=0,
        )
    ]
    for entry in entries.values():
        row = entry["row"]
        transaction = _transaction(
            company,
            transactionType="ENTRY",
            account=entry["account"],
            accountingValue=entry["value"],
            vatPercent=entry["vatPercent"],
            vatStatus=entry["vatStatus"],
            description=row["product"][:255] if entry["productId"] is not None or by_row else "",
            dimensionItemValues=_dimension_values(company, entry["productId"], entry["value"]),
        )
        for day_key in ("startDate", "endDate"):
            if by_row and row.get(day_key):
                transaction[day_key] = row[day_key]
        transactions.append(transaction)
    receipt = {
        "id": company.next_id("ledgerReceipt"),
        "type": "SALES_INVOICE",
        "status": invoice["status"],
        "name": invoice["counterParty"]["counterPartyAddress"]["name"][:80],
        "receiptDate": invoice["date"],
        "vatType": "SALES",
        "vatStatus": header_status,
        "invoiceId": invoice["id"],
        "receiptNumber": company.next_id("receiptNumber"),
        "invoiceNumber": invoice["invoiceNumber"],
        "transactions": transactions,
        "created": company.now(),
        "version": company.stamp(),
    }
    if invoice.get("partnerId") is not None:
        receipt["partnerId"] = invoice["partnerId"]
    company.ledger_receipts[receipt["id"]] = receipt
    return receipt


def check_dimensions(
    company: CompanyState,
    transaction: Fields,
    value: Decimal | None,
    problems: Problems,
    *,
    refuse_inactive: bool = True,
) -> list[dict[str, Any]]:
    """Check ``transaction.dimensionItemValues``: known ids (active ones when
    ``refuse_inactive``), each pair once, the licence's dimension count, and per dimension a
    sum equal to ``value``; returns the clean values."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    seen: set[tuple[int, int]] = set()
    cleaned = []
    for entry in transaction.objects("dimensionItemValues"):
        dimension_id = entry.integer("dimensionId", required=True)
        item_id = entry.integer("itemId", required=True)
        amount = entry.number("value", required=True, places=2)
        if dimension_id is None or item_id is None or amount is None:
            continue
        item = company.dimension_item(dimension_id, item_id)
        if item is None:
            problems.add(entry.path, DIMENSION_MISMATCH)
            continue
        if refuse_inactive and item.get("status") == "P":
            dimension = company.dimensions[dimension_id]
            problems.add(entry.path, inactive_item_message(dimension, item))
            continue
        if (dimension_id, item_id) in seen:
            problems.add(entry.path, "Each dimension item may appear once per transaction")
            continue
        seen.add((dimension_id, item_id))
        sums[dimension_id] += amount
        cleaned.append({"dimensionId": dimension_id, "itemId": item_id, "value": amount})
    if len(sums) > MAX_DIMENSIONS_PER_TRANSACTION:
        problems.add(transaction.at("dimensionItemValues"), "Too many dimensions for the licence")
    if value is not None:
        for dimension_id, total in sums.items():
            if total != value:
                problems.add(
                    transaction.at("dimensionItemValues"),
                    f"Dimension {dimension_id} values sum to {total}, not to the "
                    f"transaction's accountingValue {value}",
                )
    return cleaned


def read_receipt_update(
    company: CompanyState,
    receipt: dict[str, Any],
    body: dict[str, Any],
    *,
    refuse_inactive: bool = True,
) -> dict[str, Any]:
    """Validate a full receipt for PUT; returns the editable fields with checked transactions."""
    problems = Problems()
    fields = Fields(body, "", problems)
    name = fields.text("name", required=True)
    day = fields.day("receiptDate", required=True)
    vat_type = fields.enum("vatType", {"SALES", "PURCHASE"}, required=True)
    status = fields.integer("vatStatus", required=receipt["type"] != "JOURNAL")
    if status is not None and company.vat_status(status) is None:
        problems.add("vatStatus", f"VAT status {status} does not exist")
    texts = {key: fields.text(key) for key in ("accountantsNotes", "transactionDescription")}
    period = {key: fields.day(key) for key in ("periodStartDate", "periodEndDate")}
    accounts = company.account_codes()
    known_ids = {t["id"] for t in receipt["transactions"]}
    counts: dict[str, int] = defaultdict(int)
    transactions = []
    for transaction in fields.objects("transactions", required=True, min_items=1):
        kind = transaction.enum("transactionType", enums.TRANSACTION_TYPES, required=True)
        account = transaction.text("account", required=True)
        if account is not None and account not in accounts:
            problems.add(transaction.at("account"), f"Ledger account {account} does not exist")
        value = transaction.number("accountingValue", required=True, places=2)
        percent = transaction.number("vatPercent", required=True, minimum=0, maximum=100)
        row_status = transaction.integer("vatStatus")
        description = transaction.text("description")
        row_vat_type = transaction.enum("vatType", {"SALES", "PURCHASE"})
        given_id = transaction.integer("id")
        start, end = transaction.day("startDate"), transaction.day("endDate")
        if kind in {"REVERSING_ENTRY", "RECONCILIATION_ENTRY"}:
            counts[kind] += 1
            if counts[kind] > 1:
                problems.add(transaction.path, f"Only one {kind} is allowed")
            if row_status is not None or (percent is not None and percent != 0):
                problems.add(transaction.path, f"{kind} must have no vatStatus and vatPercent 0")
        elif row_status is not None and company.vat_status(row_status) is None:
            problems.add(transaction.at("vatStatus"), f"VAT status {row_status} does not exist")
        dimension_values = check_dimensions(
            company, transaction, value, problems, refuse_inactive=refuse_inactive
        )
        entry: dict[str, Any] = {
            "id": given_id if given_id in known_ids else None,
            "transactionType": kind,
            "account": account,
            "accountingValue": value,
            "vatPercent": percent,
            "vatType": row_vat_type or vat_type,
            "description": description or "",
            "dimensionItemValues": dimension_values,
        }
        if row_status is not None:
            entry["vatStatus"] = row_status
        for key, day_value in (("startDate", start), ("endDate", end)):
            if day_value is not None:
                entry[key] = day_value.isoformat()
        transactions.append(entry)
    check_text(body, problems)
    table_problems("LedgerReceipt", body, problems)
    problems.raise_if_any()
    assert day is not None
    if not company.open_for_posting(day):
        raise ApiError(400, CLOSED_FISCAL_PERIOD, "receiptDate")
    for entry in transactions:
        if entry["id"] is None:
            entry["id"] = company.next_id("transaction")
    update: dict[str, Any] = {
        "name": name,
        "receiptDate": day.isoformat(),
        "vatType": vat_type,
        "transactions": transactions,
    }
    if status is not None:
        update["vatStatus"] = status
    update.update({key: value for key, value in texts.items() if value is not None})
    update.update({key: value.isoformat() for key, value in period.items() if value is not None})
    return update


def reconciliation(
    company: CompanyState, transactions: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """A RECONCILIATION_ENTRY that makes the receipt (net + VAT) sum to zero, if it does not."""
    balance = Decimal(0)
    for transaction in transactions:
        value = Decimal(str(transaction["accountingValue"]))
        balance += value + cents(value * Decimal(str(transaction["vatPercent"])) / 100)
    if balance == 0 or any(t["transactionType"] == "RECONCILIATION_ENTRY" for t in transactions):
        return None
    return _transaction(
        company,
        transactionType="RECONCILIATION_ENTRY",
        account=company.seed.receivables_account,
        accountingValue=-balance,
        vatPercent=0,
    )
