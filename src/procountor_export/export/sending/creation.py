"""Step 1 of sending an invoice: create it in Procountor, or adopt the one an earlier run made.

INFLIGHT is recorded before the POST; an invoice found in Procountor with our TMS number is
taken only when :mod:`~..planning.ownership` proves it ours, and never changed otherwise. A
POST whose answer is lost (5xx, timeout, dropped connection) is settled within the run
(:func:`~procountor_export.procountor.settle.settle`): the invoice is looked up by its TMS
number and adopted when found, posted again only when Procountor surely has none.
"""

from __future__ import annotations

from collections.abc import Sequence

from procountor_export.export import messages as m
from procountor_export.export.planning import ownership, payloads
from procountor_export.export.planning.plan import InvoicePlan, totals_difference
from procountor_export.export.problems import Problem
from procountor_export.export.reading.masterdata import IGNORED_STATUSES, find_invoices
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import (
    detail,
    for_invoice,
    is_closed_period,
    problem_for,
)
from procountor_export.export.sending.prepare import Prepared
from procountor_export.export.sending.shared import Shared, Working
from procountor_export.procountor.errors import ProcountorError
from procountor_export.procountor.models import Invoice
from procountor_export.procountor.settle import settle
from procountor_export.store.journal import EntryView, Step
from procountor_export.store.models import JournalState


class Creation:
    """Step 1: each invoice of a chunk created in Procountor, or adopted when provably ours."""

    def __init__(self, ctx: RunContext, shared: Shared, prepared: Prepared) -> None:
        self.ctx = ctx
        self.shared = shared
        self.prepared = prepared

    # --- step 1: create or adopt ---------------------------------------------------------------

    def chunk(self, chunk: Sequence[InvoicePlan], entries: dict[int, EntryView]) -> list[Working]:
        """Create or adopt each invoice of ``chunk``; failed ones come back failed too."""
        # The candidates of each invoice: the id the journal recorded (ours for sure) and
        # every live Procountor invoice carrying its TMS number (ours only if they match).
        candidates: dict[str, list[int]] = {}
        for plan in chunk:
            recorded = entries[plan.invoice.id].procountor_invoice_id
            found = [e.id for e in self.ctx.cache.existing_invoices.get(plan.invoice.number, [])]
            ids = ([recorded] if recorded is not None else []) + found
            if ids:
                candidates[plan.invoice.number] = list(dict.fromkeys(ids))
        fetched = self.shared.fetch_invoices([i for ids in candidates.values() for i in ids])
        items = [
            Working(
                plan,
                entries[plan.invoice.id],
                InvoiceOutcome(
                    plan.invoice.number,
                    self.ctx.export.name,
                    JournalState.INFLIGHT,
                    # The checks' warnings travel with the invoice and are recorded with it.
                    warnings=[p for p in plan.problems if not p.is_error],
                ),
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

        self.shared.each(items, start)
        return items

    def _record_remote(self, item: Working, *, step: Step) -> None:
        remote = item.remote
        assert remote is not None
        item.outcome.procountor_invoice_id = remote.id
        item.outcome.procountor_invoice_number = remote.invoice_number
        self.ctx.journal.record_remote(
            item.entry.id,
            step=step,
            invoice_id=remote.id,
            invoice_number=remote.invoice_number,
            ledger_receipt_id=remote.ledger_receipt_id,
            partner_id=remote.partner_id,
            run_id=self.ctx.run_id,
            # Read back: the reference the customer pays with, as Procountor holds it.
            bank_reference=remote.payment_info.bank_reference_code if remote.payment_info else None,
        )

    def _create(self, item: Working) -> None:
        plan = item.plan
        number = plan.invoice.customer.customer_number
        blocker = self._blocker(plan, number)
        if blocker is not None:
            self.shared.fail(item, for_invoice(blocker, plan.invoice.number))
            return
        payload = payloads.invoice(
            plan,
            partner_id=self.prepared.partner_ids[number],
            product_ids=self.prepared.product_ids,
            office=self.ctx.office,
            source=self.ctx.options.source,
            default_iban=self.ctx.cache.default_iban,
        )
        number = plan.invoice.number

        def begin() -> None:
            # INFLIGHT before each POST: if we never hear back, the next run looks it up first.
            self.ctx.journal.begin(item.entry.id, Step.CREATE_INVOICE, self.ctx.run_id)

        begin()
        try:
            # A POST whose answer is lost is looked up by the TMS number and sent again only
            # when Procountor surely has no such invoice, a few times within this run.
            settled = settle(
                self.ctx.client,
                lambda: self.ctx.client.invoices.create(payload),
                lambda: self._look_up(number),
                before_resend=begin,
            )
        except ProcountorError as error:
            if is_closed_period(error):
                problem = Problem.of(
                    m.PERIOD_CLOSED,
                    plan.invoice.date.isoformat(),
                    invoice=number,
                    detail=detail(error),
                )
            else:
                problem = problem_for(error, invoice=number)
            self.shared.client_error(item, error, problem)
            return
        if settled.found is not None:
            # The POST happened after all: take the invoice only if it is provably ours.
            if not self._adopt(item, settled.found):
                return
            step = Step.ADOPTED
        else:
            item.remote = settled.written
            step = Step.CREATED
        self.shared.succeeded()
        self._record_remote(item, step=step)
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
                invoice=plan.invoice.number,
            )
        return None

    def _look_up(self, number: str) -> list[Invoice] | None:
        """The live Procountor invoices carrying ``number``, ``None`` when there is none.

        Raises when they cannot be read: then nobody can tell whether a lost POST happened,
        and it must not be sent again.
        """
        found = find_invoices(self.ctx.client, number)
        fetched = self.shared.fetch_invoices([e.id for e in found]) if found else {}
        return [invoice for invoice in fetched.values() if _live(invoice)] or None

    def _adopt(self, item: Working, live: list[Invoice]) -> bool:
        """Take ours among ``live`` as the item's invoice; else fail it, touching nothing.

        An invoice that is not provably ours is never changed: no coding, no approval, no
        sending, no attachment (the item fails before any of those steps).
        """
        plan = item.plan
        number = plan.invoice.customer.customer_number
        partner_id = self.prepared.partner_ids.get(number) or self.ctx.cache.partners.get(number)
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
        self.shared.fail(
            item,
            Problem.of(
                m.INVOICE_NOT_OURS,
                plan.invoice.number,
                stranger.invoice_number,
                stranger.id,
                customer or f"partner {stranger.partner_id}",
                stranger.date.isoformat() if stranger.date else "-",
                invoice=plan.invoice.number,
                detail=f"it differs from the invoice to export: {verdict.reason}",
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
            number = item.plan.invoice.number
            item.outcome.warnings.append(
                Problem.of(m.TOTALS_DIFFER, number, "; ".join(differences), invoice=number)
            )


def _live(invoice: Invoice) -> bool:
    """Not invalidated or deleted: an invalidated invoice no longer counts as the export."""
    return (invoice.status or "") not in IGNORED_STATUSES
