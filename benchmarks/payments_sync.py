"""Payment sync cost: API calls per sync for 0 changed and N changed invoices.

N invoices are exported to the in-process emulator and approved; then the sync runs, the
emulator's clock moved on by 15 minutes before each (the periodic sync's interval): first
(every invoice new to the store), again with nothing changed, after a part payment on each of N
invoices (changed, not settled: no per-invoice reads), and after the rest of each is paid
(settled: the one per-invoice read each, to tell a payment from a credit loss), with syncs with
nothing changed after each. Invoices are approved and payments booked one a second of the
emulator's clock. Calls are counted by the client (token calls left out); the time is
in-process, so it says nothing of the network.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import select
from starlette.testclient import TestClient

from procountor_export.emulator import create_app
from procountor_export.export.reading.scope import Scope
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.payments import CompanySync, sync_payments
from procountor_export.procountor import ProcountorClient
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.data import DEMO_API_KEY
from procountor_export.samples.generator import generate_document
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.models import JournalEntry
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

BASE_URL = "http://emulator/api"
# Between syncs Procountor's clock moves on by the periodic sync's default interval: more than
# the sync's overlap, so a sync with nothing changed re-reads nothing old.
INTERVAL = 15 * 60


class Clock:
    """The emulator's clock (its versions are whole seconds of it), moved between syncs."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def utc(self) -> datetime:
        """The same time as the store keeps times (UTC, naive): the sync's clock."""
        return datetime.fromtimestamp(self.now, UTC).replace(tzinfo=None)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the calls of each sync."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks payments", description=__doc__)
    parser.add_argument("--invoices", type=int, default=450, help="invoices exported")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        box = SecretBox(Fernet.generate_key())
        report = import_document(store, generate_document(args.invoices, seed=42), box=box)
        if not report.accepted:
            raise SystemExit(f"import failed: {report.errors[:3]}")
        clock = Clock()
        app = create_app(rate_limit=None, clock=clock)
        with TestClient(app, base_url="http://emulator") as http:
            settings = load_settings(PROCOUNTOR_BASE_URL=BASE_URL, PROCOUNTOR_RATE_LIMIT=10_000)

            def factory() -> ClientFactory:
                return ClientFactory(settings, http_client=http)

            summary = run_export(
                store, Scope(all=True), client_factory=factory(), box=box, options=ExportOptions()
            )
            with store.session() as session:
                ids = [
                    i
                    for i in session.scalars(select(JournalEntry.procountor_invoice_id))
                    if i is not None
                ]
            client = ProcountorClient(
                base_url=BASE_URL,
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                api_key=DEMO_API_KEY,
                http_client=http,
                rate=10_000,
            )
            totals: dict[int, Decimal] = {}
            for invoice in client.invoices.get(ids):
                total = (
                    invoice.invoice_sum_info[0].invoice_sum_total
                    if invoice.invoice_sum_info
                    else None
                )
                if invoice.id is not None and total is not None and total > 1:
                    totals[invoice.id] = total
            for invoice_id in totals:
                clock.now += 1
                client.invoices.approve(invoice_id)
            print(
                f"Payment sync benchmark: {summary.exported} invoices exported, "
                f"{len(totals)} payable (approved)"
            )

            def pay(amount: Callable[[Decimal], Decimal]) -> None:
                for invoice_id, total in totals.items():
                    clock.now += 1  # one payment a second: versions are whole seconds
                    body = {
                        "invoiceId": invoice_id,
                        "amount": float(amount(total)),
                        "paymentDate": "2026-03-05",
                    }
                    response = http.post("/_emulator/payments", json=body)
                    response.raise_for_status()

            def run(label: str) -> None:
                clock.now += INTERVAL
                started = time.perf_counter()
                result = sync_payments(store, factory(), box=box, clock=clock.utc)
                seconds = time.perf_counter() - started
                for company in result.companies:
                    _print(label, company, seconds)

            run("first sync (every invoice new to the store)")
            run("nothing changed (the overlap read once more)")
            run("nothing changed")
            pay(lambda total: Decimal(1))
            run(f"{len(totals)} changed, part-paid")
            run("nothing changed (the overlap read once more)")
            run("nothing changed")
            pay(lambda total: total - 1)
            run(f"{len(totals)} changed, settled")
            run("nothing changed (the overlap read once more)")
            run("nothing changed")
        store.close()
    return 0


def _print(label: str, company: CompanySync, seconds: float) -> None:
    calls = ", ".join(f"{name} {count}" for name, count in company.calls_by_endpoint.items())
    print(
        f"  {label}: {company.calls} call{'' if company.calls == 1 else 's'} "
        f"({calls or 'none'}); {company.invoices_changed} "
        f"invoices changed, {company.events_added} events added; {seconds:.2f} s"
        + (f"; error: {company.error}" if company.error else "")
    )


if __name__ == "__main__":
    raise SystemExit(main())
