"""Sending invoices: post (or adopt) each invoice of a chunk, then hand the chunk on.

Invoices go in chunks: each invoice of a chunk is posted, INFLIGHT recorded first (or, if an
earlier run already created it, adopted); the chunk then goes to :mod:`completion` to have its
coding verified and be approved/sent, while the next chunk is posted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from procountor_export.export import messages as m
from procountor_export.export.planning import ownership, payloads
from procountor_export.export.planning.plan import InvoicePlan, totals_difference
from procountor_export.export.problems import Problem
from procountor_export.export.reading.masterdata import IGNORED_STATUSES, find_invoices
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.sending.completion import Completion
from procountor_export.export.sending.failures import (
    detail,
    is_closed_period,
    problem_for,
)
from procountor_export.export.sending.journal import EntryView, Step
from procountor_export.export.sending.steps import Working
from procountor_export.procountor.errors import OutcomeUnknown, ProcountorError
from procountor_export.procountor.models import Invoice
from procountor_export.store.models import JournalState


class InvoiceExporter(Completion):
    """Exports planned invoices of one export definition to one Procountor company."""

    # --- the run -----------------------------------------------------------------------------

    def run(
        self, plans: Sequence[InvoicePlan], entries: dict[int, EntryView]
    ) -> list[InvoiceOutcome]:
        """Export every plan; return one outcome per plan (each also sent to ``progress``)."""
        outcomes: list[InvoiceOutcome] = []
        # Chunks overlap: while chunk N is coded and finished on the finisher thread, chunk N+1
        # is already being posted, so the rate limit is not left idle at every chunk boundary.
        # At most one chunk is behind; its errors surface before the next one is handed over.
        with ThreadPoolExecutor(1, thread_name_prefix="finish") as finisher:
            behind: Future[None] | None = None
            for chunk in _chunks(list(plans), self.chunk_size):
                # Renew this run's claim before sending; rows another run took over are its now.
                held = self.journal.claim([entries[p.invoice.id].id for p in chunk], self.owner)
                chunk = [p for p in chunk if entries[p.invoice.id].id in held]
                working = self._create_chunk(chunk, entries, outcomes)
                if behind is not None:
                    behind.result()
                behind = finisher.submit(self._complete_chunk, working, outcomes)
            if behind is not None:
                behind.result()
        return outcomes

    # --- step 1: create or adopt ---------------------------------------------------------------

    def _create_chunk(
        self,
        chunk: Sequence[InvoicePlan],
        entries: dict[int, EntryView],
        outcomes: list[InvoiceOutcome],
    ) -> list[Working]:
        # The candidates of each invoice: the id the journal recorded (ours for sure) and
        # every live Procountor invoice carrying its TMS number (ours only if they match).
        candidates: dict[str, list[int]] = {}
        for plan in chunk:
            recorded = entries[plan.invoice.id].procountor_invoice_id
            found = [e.id for e in self.snapshot.existing_invoices.get(plan.invoice.number, [])]
            ids = ([recorded] if recorded is not None else []) + found
            if ids:
                candidates[plan.invoice.number] = list(dict.fromkeys(ids))
        fetched = self._fetch_invoices([i for ids in candidates.values() for i in ids])
        items = [
            Working(
                plan,
                entries[plan.invoice.id],
                InvoiceOutcome(plan.invoice.number, self.export.name, JournalState.INFLIGHT),
            )
            for plan in chunk
        ]

        def start(item: Working) -> None:
            ids = candidates.get(item.plan.invoice.number, [])
            live = [fetched[i] for i in ids if i in fetched and _live(fetched[i])]
            if not live:
                self._create(item)
            elif self._adopt(item, live):
                self._record_remote(item, step=Step.ADOPTED)
                self._compare_totals(item)

        self._each(items, start)
        working: list[Working] = []
        for item in items:
            if item.outcome.state is JournalState.FAILED:
                self._done(item.outcome, outcomes)
            else:
                working.append(item)
        return working

    def _record_remote(self, item: Working, *, step: Step) -> None:
        remote = item.remote
        assert remote is not None
        item.outcome.procountor_invoice_id = remote.id
        item.outcome.procountor_invoice_number = remote.invoice_number
        self.journal.record_remote(
            item.entry.id,
            step=step,
            invoice_id=remote.id,
            invoice_number=remote.invoice_number,
            ledger_receipt_id=remote.ledger_receipt_id,
            partner_id=remote.partner_id,
            run_id=self.run_id,
        )

    def _create(self, item: Working) -> None:
        plan = item.plan
        number = plan.invoice.customer.customer_number
        blocker = self._blocker(plan, number)
        if blocker is not None:
            self._fail(item, replace(blocker, invoice=plan.invoice.number))
            return
        payload = payloads.invoice(
            plan,
            partner_id=self.prepared.partner_ids[number],
            product_ids=self.prepared.product_ids,
            office=self.office,
            source=self.source,
            default_iban=self.snapshot.default_iban,
        )
        # INFLIGHT before the POST: if we never hear back, the next run looks it up first.
        self.journal.begin(item.entry.id, Step.CREATE_INVOICE, self.run_id)
        try:
            item.remote = self.client.create_invoice(payload)
        except OutcomeUnknown as error:
            # The POST may have happened: look the invoice up, and take it only if it is ours.
            live = self._look_up(plan.invoice.number)
            if not live:
                self._client_error(
                    item, error, problem_for(error, source=self.source, invoice=plan.invoice.number)
                )
                return
            if not self._adopt(item, live):
                return
        except ProcountorError as error:
            if is_closed_period(error):
                problem = Problem.of(
                    m.PERIOD_CLOSED,
                    plan.invoice.date.isoformat(),
                    source=self.source,
                    invoice=plan.invoice.number,
                    detail=detail(error),
                )
            else:
                problem = problem_for(error, source=self.source, invoice=plan.invoice.number)
            self._client_error(item, error, problem)
            return
        self._retryable_in_a_row = 0
        self._record_remote(item, step=Step.CREATED)
        self._compare_totals(item)

    def _blocker(self, plan: InvoicePlan, customer_number: str) -> Problem | None:
        """A problem from preparation (customer, product, dimension item) that stops this one."""
        if customer_number in self.prepared.failed_customers:
            return self.prepared.failed_customers[customer_number]
        for row in plan.rows:
            for pair in row.key.units:
                if pair in self.prepared.failed_units:
                    return self.prepared.failed_units[pair]
            if row.key.product_code in self.prepared.failed_products:
                return self.prepared.failed_products[row.key.product_code]
        if customer_number not in self.prepared.partner_ids:
            return Problem.of(
                m.CUSTOMER_CREATE,
                plan.invoice.customer.name,
                plan.invoice.customer.code,
                customer_number,
                source=self.source,
                invoice=plan.invoice.number,
            )
        return None

    def _look_up(self, number: str) -> list[Invoice]:
        """The live Procountor invoices carrying ``number`` (none if they cannot be read)."""
        try:
            found = find_invoices(self.client, number)
            fetched = self._fetch_invoices([e.id for e in found])
        except ProcountorError:
            return []
        return [invoice for invoice in fetched.values() if _live(invoice)]

    def _adopt(self, item: Working, live: list[Invoice]) -> bool:
        """Take ours among ``live`` as the item's invoice; else fail it, touching nothing.

        An invoice that is not provably ours is never changed: no coding, no approval, no
        sending, no attachment (the item fails before any of those steps).
        """
        plan = item.plan
        number = plan.invoice.customer.customer_number
        partner_id = self.prepared.partner_ids.get(number) or self.snapshot.partners.get(number)
        verdict = ownership.choose(
            plan, live, recorded_id=item.entry.procountor_invoice_id, partner_id=partner_id
        )
        if verdict.invoice is not None:
            item.remote = verdict.invoice
            item.outcome.adopted = True
            return True
        stranger = verdict.stranger
        assert stranger is not None
        counterparty = stranger.counter_party
        address = counterparty.counter_party_address if counterparty else None
        customer = " ".join(
            part
            for part in (
                address.name if address else None,
                f"(customer no. {counterparty.customer_number})"
                if counterparty and counterparty.customer_number
                else None,
            )
            if part
        )
        self._fail(
            item,
            Problem.of(
                m.INVOICE_NOT_OURS,
                plan.invoice.number,
                stranger.invoice_number,
                stranger.id,
                customer or f"partner {stranger.partner_id}",
                stranger.date.isoformat() if stranger.date else "-",
                source=self.source,
                invoice=plan.invoice.number,
                detail=f"it differs from the {self.source} invoice: {verdict.reason}",
            ),
        )
        return False

    def _compare_totals(self, item: Working) -> None:
        remote = item.remote
        if remote is None or not remote.invoice_sum_info:
            return
        sums = next(
            (s for s in remote.invoice_sum_info if s.currency == item.plan.invoice.currency),
            remote.invoice_sum_info[0],
        )
        differences = totals_difference(
            item.plan, sums.excluding_vat_total, sums.vat_sum_total, sums.invoice_sum_total
        )
        if differences:
            item.outcome.warnings.append(
                m.TOTALS_DIFFER.format(
                    item.plan.invoice.number, "; ".join(differences), source=self.source
                )
            )


def _live(invoice: Invoice) -> bool:
    """Not invalidated or deleted: an invalidated invoice no longer counts as the export."""
    return (invoice.status or "") not in IGNORED_STATUSES


def _chunks(plans: list[InvoicePlan], size: int) -> Iterator[list[InvoicePlan]]:
    for start in range(0, len(plans), size):
        yield plans[start : start + size]
