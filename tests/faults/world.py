"""The fault suite's world: a store, the emulator served over loopback, and the checks that
Procountor and the journal agree whatever happened in between."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2

from procountor_export.emulator.server import BackgroundServer
from procountor_export.store.db import Store
from procountor_export.store.models import ExportDefinition, Invoice, JournalEntry, JournalState

# Every kind of fault issue 12 names, at rates a run of some dozens of invoices meets them all.
FAULTS: dict[str, Any] = {
    "errorRate": 0.04,  # 503 before anything is done
    "dropRate": 0.03,  # connection cut after the answer's head (a write may have happened)
    "timeoutRate": 0.02,  # carried out, answered after the client gave up
    "timeoutSeconds": 1.5,
    "burst429Rate": 0.01,  # a burst of 429s with Retry-After
    "burst429Length": 2,
    "failAfterWrite": {"invoices": 0.15, "attachments": 0.15},  # saved, then answered 500
}
LIVE = ("INVALIDATED", "DELETED")


@contextmanager
def expiring_tokens(server: BackgroundServer, every: float) -> Iterator[None]:
    """Expire every access token each ``every`` seconds while the block runs."""
    stop = threading.Event()

    def expire() -> None:
        while not stop.wait(every):
            httpx2.post(f"{server.root}/_emulator/expire-tokens", timeout=5.0)

    thread = threading.Thread(target=expire, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def set_faults(server: BackgroundServer, faults: dict[str, Any]) -> None:
    answer = httpx2.put(f"{server.root}/_emulator/faults", json=faults, timeout=5.0)
    assert answer.status_code == 200, answer.text


def no_faults(server: BackgroundServer) -> None:
    set_faults(
        server,
        {
            "errorRate": 0,
            "dropRate": 0,
            "timeoutRate": 0,
            "burst429Rate": 0,
            "failAfterWrite": {},
        },
    )


@dataclass
class Verdict:
    """What the checks found, by company API key."""

    invoices: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def check_world(
    server: BackgroundServer, store: Store, expected: dict[str, set[str]], keys: dict[str, str]
) -> Verdict:
    """Check Procountor against the journal and the TMS.

    ``expected`` maps an export definition's name to its TMS invoice numbers, ``keys`` maps it
    to its company's API key. Every TMS invoice exactly once in Procountor, every customer,
    posting product and dimension item at most once, no attachment twice, and the journal's
    ids equal to Procountor's.
    """
    state = server.app_state().snapshot(include_files=False)
    companies = {company["apiKey"]: company for company in state["companies"].values()}
    verdict = Verdict()
    problems = verdict.problems
    with store.session() as session:
        rows = (
            session.query(JournalEntry, Invoice.number, ExportDefinition.name)
            .join(Invoice, JournalEntry.invoice_id == Invoice.id)
            .join(ExportDefinition, JournalEntry.export_id == ExportDefinition.id)
            .all()
        )
        journal = {
            (name, number): (entry.state, entry.procountor_invoice_id, entry.attachment_id)
            for entry, number, name in rows
        }
    for export, numbers in expected.items():
        company = companies[keys[export]]
        live = [i for i in company["invoices"] if i.get("status") not in LIVE]
        counted = Counter(i.get("originalInvoiceNumber") for i in live)
        verdict.invoices[export] = counted
        twice = sorted(n for n, c in counted.items() if c > 1)
        if twice:
            problems.append(f"{export}: invoices in Procountor more than once: {twice}")
        missing = sorted(numbers - set(counted))
        if missing:
            problems.append(f"{export}: TMS invoices not in Procountor: {missing}")
        strangers = sorted(set(counted) - numbers)
        if strangers:
            problems.append(f"{export}: invoices nobody exported: {strangers}")
        partners = Counter(
            (p.get("invoicingInfo") or {}).get("customerNumber") for p in company["partners"]
        )
        twice = sorted(str(n) for n, c in partners.items() if c > 1 and n)
        if twice:
            problems.append(f"{export}: customers created more than once: {twice}")
        products = Counter((p.get("productGroupId"), p.get("code")) for p in company["products"])
        twice = sorted(str(k) for k, c in products.items() if c > 1)
        if twice:
            problems.append(f"{export}: posting products created more than once: {twice}")
        for dimension in company["dimensions"]:
            items = Counter(item.get("codeName") for item in dimension.get("items", []))
            twice = sorted(str(k) for k, c in items.items() if c > 1)
            if twice:
                problems.append(f"{export}: dimension {dimension['name']} items twice: {twice}")
        attachments = Counter(
            (a.get("referenceId"), a.get("name")) for a in company.get("attachments", [])
        )
        twice = sorted(str(k) for k, c in attachments.items() if c > 1)
        if twice:
            problems.append(f"{export}: attachments more than once: {twice}")
        ids = {i.get("originalInvoiceNumber"): i.get("id") for i in live}
        attached = {a.get("id"): a.get("referenceId") for a in company.get("attachments", [])}
        for number in numbers:
            state_, invoice_id, attachment_id = journal.get((export, number), (None, None, None))
            if state_ is not JournalState.EXPORTED:
                problems.append(f"{export}: invoice {number} is {state_} in the journal")
            if number in ids and invoice_id != ids[number]:
                problems.append(
                    f"{export}: journal says invoice {number} is Procountor {invoice_id}, "
                    f"Procountor has it as {ids[number]}"
                )
            if attachment_id is not None and attached.get(attachment_id) != ids.get(number):
                problems.append(
                    f"{export}: journal's attachment {attachment_id} of {number} is not on it"
                )
    return verdict
