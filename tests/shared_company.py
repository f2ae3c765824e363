"""Two export definitions on one Procountor company (issue 19, item 7), for the tests of
several folders: the document, the rendezvous that makes their work interleave, and the check
that the company's master data was created once.

Factoring needs two definitions on the same company: "Procountor (API)" for most customers
and "Procountor (API) financed" for the financed ones. Both hold the same API key, so both
reach the same company, and the master data they need (the posting-product group, the posting
products, dimension items, business partners) is the company's, not the definition's.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from typing import Any

from procountor_export.samples.data import EXPORT_NAME
from procountor_export.samples.generator import generate_document

FINANCED = "Procountor (API) financed"
TWIN = "F"  # the financed twin of customer X is customer XF, with X's customer number


def two_definitions(document: dict[str, Any], *, first: str = EXPORT_NAME) -> dict[str, Any]:
    """``document`` with a second export definition, ``FINANCED``, on the same company as
    ``first`` (same API key), and half of the invoices going to it.

    Every customer gets a financed twin (its code + ``F``) with the same customer number and
    business ID: the same business partner in Procountor. Every other invoice goes to the twin,
    so both definitions need the same customers, posting keys and dimension items.
    """
    document = copy.deepcopy(document)
    settings = document["export_settings"]
    base = next(export for export in settings["exports"] if export["name"] == first)
    settings["exports"].append({**base, "name": FINANCED})  # the same password: one company
    settings["groups"].append({"name": FINANCED, "exports": [FINANCED], "default": False})
    twins = []
    for customer in document["customers"]:
        twin = copy.deepcopy(customer)
        twin["code"] = customer["code"] + TWIN
        twin["export_setting"] = FINANCED
        twins.append(twin)
    document["customers"].extend(twins)
    for index, invoice in enumerate(document["invoices"]):
        if index % 2:
            invoice["customer"] += TWIN
    return document


def sample_with_two_definitions(invoices: int, *, seed: int) -> dict[str, Any]:
    """The sample document (``invoices`` invoices) with both definitions on the demo company."""
    return two_definitions(generate_document(invoices, seed=seed))


class Rendezvous:
    """A request hook that holds each of the first ``parties`` calls of ``endpoint`` (after it
    answered) until all of them have been made, or ``wait`` seconds passed.

    On ``GET /products/groups`` (read with the master data) it makes both definitions read
    the company before either creates anything: without a lock per company both then find the
    group missing and both create it. With one, the second cannot read before the first is
    done, so the first waits out ``wait`` alone and goes on.
    """

    def __init__(self, endpoint: str, parties: int = 2, wait: float = 1.5) -> None:
        self.endpoint = endpoint
        self.parties = parties
        self.wait = wait
        self.arrived = 0
        self._all_here = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, record: Any) -> None:
        if record.endpoint != self.endpoint:
            return
        with self._lock:
            self.arrived += 1
            if self.arrived > self.parties:
                return
            if self.arrived == self.parties:
                self._all_here.set()
        self._all_here.wait(self.wait)


def master_data_counts(company: dict[str, Any]) -> dict[str, Counter[str]]:
    """How many times each piece of master data is in one emulator company's snapshot."""
    items: Counter[str] = Counter()
    for dimension in company["dimensions"]:
        items.update(f"{dimension['name']}/{item['codeName']}" for item in dimension["items"])
    return {
        "product groups": Counter(group["name"] for group in company["productGroups"]),
        "products": Counter(product["code"] for product in company["products"]),
        "partners": Counter(
            partner["invoicingInfo"]["customerNumber"] for partner in company["partners"]
        ),
        "dimension items": items,
        "invoices": Counter(invoice["originalInvoiceNumber"] for invoice in company["invoices"]),
    }


def duplicates(company: dict[str, Any]) -> dict[str, dict[str, int]]:
    """What the company holds more than once, by kind (empty when everything is there once)."""
    found = {
        kind: {name: count for name, count in counts.items() if count > 1}
        for kind, counts in master_data_counts(company).items()
    }
    return {kind: names for kind, names in found.items() if names}
