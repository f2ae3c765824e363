"""Step 2 of sending an invoice: check its account coding in Procountor, correct it if it differs.

The ledger receipts of a chunk's invoices are read in one batch call and compared with the
entries the TMS postings give (:mod:`~procountor_export.export.planning.coding`). A receipt that
differs is corrected while the invoice is still unfinished; once it has moved on (approved or
further), Procountor allows no change and the difference is the invoice's warning instead.
"""

from __future__ import annotations

from dataclasses import replace

from procountor_export.export import messages as m
from procountor_export.export.planning.coding import (
    CodingMismatch,
    correct_receipt,
    expected_entries,
)
from procountor_export.export.problems import Problem
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.failures import (
    RunAborted,
    detail,
    fatal_problem,
    problem_for,
    temporary_problem,
)
from procountor_export.export.sending.shared import Shared, Working
from procountor_export.procountor.enums import InvoiceStatus
from procountor_export.procountor.errors import ProcountorError, is_temporary
from procountor_export.procountor.models import LedgerReceipt
from procountor_export.store.journal import Step


class Coding:
    """Step 2: a chunk's ledger receipts read in one batch and corrected where they differ."""

    def __init__(self, ctx: RunContext, shared: Shared) -> None:
        self.ctx = ctx
        self.shared = shared

    # --- step 2: account coding ----------------------------------------------------------------

    def chunk(self, working: list[Working]) -> None:
        """Check and correct the coding of each invoice of ``working`` (one batch read)."""
        ids = [
            item.remote.ledger_receipt_id
            for item in working
            if item.remote and item.remote.ledger_receipt_id
        ]
        receipts: dict[int, LedgerReceipt] = {}
        read_error: ProcountorError | None = None
        try:
            for receipt in self.ctx.client.ledger_receipts.get(ids):
                if receipt.id is not None:
                    receipts[receipt.id] = receipt
        except ProcountorError as error:
            read_error = error
            fatal = fatal_problem(error)
            if fatal is not None:
                raise RunAborted(fatal) from error

        def code(item: Working) -> None:
            assert item.remote is not None
            found = receipts.get(item.remote.ledger_receipt_id or -1)
            if found is None:
                number = item.plan.invoice.number
                if read_error is not None and is_temporary(read_error):
                    # Procountor failed for a while after the client's retries: not the data.
                    problem = temporary_problem(read_error, number)
                    problem = replace(
                        problem, detail=f"its account coding could not be read: {problem.detail}"
                    )
                else:
                    problem = Problem.of(
                        m.CODING_READ,
                        number,
                        invoice=number,
                        detail=detail(read_error) if read_error else None,
                    )
                self.shared.fail(item, problem)
                return
            self._code(item, found)

        self.shared.each(working, code)

    def _code(self, item: Working, receipt: LedgerReceipt) -> None:
        number = item.plan.invoice.number
        try:
            wanted = expected_entries(item.plan, self.ctx.cache.dimensions)
            corrected, differences = correct_receipt(receipt, wanted)
        except (CodingMismatch, KeyError) as error:
            self.shared.fail(
                item,
                Problem.of(
                    m.CODING_UPDATE,
                    number,
                    invoice=number,
                    detail=str(error),
                ),
            )
            return
        if corrected is None:
            return
        assert item.remote is not None
        if item.remote.status not in (None, InvoiceStatus.UNFINISHED):
            item.outcome.warnings.append(
                Problem.of(m.CODING_DIFFERS, number, "; ".join(differences), invoice=number)
            )
            return
        self.ctx.journal.begin(item.entry.id, Step.CORRECT_CODING, self.ctx.run_id)
        try:
            self.ctx.client.ledger_receipts.update(corrected)
        except ProcountorError as error:
            self.shared.client_error(
                item,
                error,
                problem_for(
                    error,
                    invoice=number,
                    template=m.CODING_UPDATE,
                    args=(number,),
                ),
            )
