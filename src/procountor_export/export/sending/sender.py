"""Sending one export definition's planned invoices: one composed sender.

Per chunk of invoices (claimed by the run before it began), in order: create or adopt
(:mod:`creation`), check and correct their coding (:mod:`coding`), attach the PDF copy
(:mod:`attach`), approve, read back and send (:mod:`finishing`). Chunks overlap
(``runtime.threads.overlapped``): while one chunk is being completed, the next is being created.

An invoice is reported (``report``) as soon as it is done: a failed creation at
once, every other invoice when its chunk is completed. Chunks are sized by :mod:`sizing` so a
chunk goes through in about ``ctx.options.chunk_seconds``: the run's counts move every couple of
seconds while the batched reads still cover tens of invoices each.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from threading import Lock

from procountor_export.export.planning.plan import InvoicePlan
from procountor_export.export.reporting.progress import InvoiceOutcome
from procountor_export.export.sending.attach import AttachPdf
from procountor_export.export.sending.coding import Coding
from procountor_export.export.sending.context import RunContext
from procountor_export.export.sending.creation import Creation
from procountor_export.export.sending.finishing import Finishing
from procountor_export.export.sending.prepare import Prepared
from procountor_export.export.sending.shared import BATCH, Shared, Working
from procountor_export.export.sending.sizing import ChunkSizer
from procountor_export.runtime.threads import overlapped
from procountor_export.store.journal import EntryView


class Sender:
    """Exports planned invoices of one export definition to one Procountor company."""

    def __init__(
        self, ctx: RunContext, prepared: Prepared, report: Callable[[InvoiceOutcome], None]
    ) -> None:
        self.ctx = ctx
        self.report = report
        self.shared = Shared(ctx)
        self.creation = Creation(ctx, self.shared, prepared)
        self.coding = Coding(ctx, self.shared)
        self.attach_pdf = AttachPdf(ctx, self.shared)
        self.finishing = Finishing(ctx, self.shared)
        self._outcomes: list[InvoiceOutcome] = []
        self._lock = Lock()

    def run(
        self, plans: Sequence[InvoicePlan], entries: dict[int, EntryView]
    ) -> list[InvoiceOutcome]:
        """Export every plan; return one outcome per plan (each also given to ``report`` as soon
        as it is known, from the creating or the completing thread)."""
        sizer = ChunkSizer(
            min(self.ctx.options.chunk_size, BATCH),
            first=self.ctx.options.workers,
            seconds=self.ctx.options.chunk_seconds,
        )

        def chunks() -> Iterator[list[InvoicePlan]]:
            # Asked for lazily by ``overlapped``: the time from handing a chunk over to being
            # asked for the next is that chunk's creation and the completion of the one before,
            # i.e. how long the counts stood still; the next chunk is sized by that pace.
            start = 0
            while start < len(plans):
                chunk = list(plans[start : start + sizer.size()])
                start += len(chunk)
                began = time.monotonic()
                yield chunk
                sizer.observed(len(chunk), time.monotonic() - began)

        def create(chunk: list[InvoicePlan]) -> list[Working]:
            # The run claimed these rows before it began, and keeps its claims renewed.
            working = self.creation.chunk(chunk, entries)
            for item in working:
                if not item.alive:
                    self._done(item)
            return [item for item in working if item.alive]

        overlapped(chunks(), create, self._complete)
        return self._outcomes

    def _complete(self, working: list[Working]) -> None:
        """Code, attach the PDF copy, approve, re-read, send and record a chunk."""
        self.coding.chunk(working)
        # The PDF copy goes before approval: Procountor allows no change to an approved invoice.
        self.attach_pdf.chunk([item for item in working if item.alive])
        self.finishing.chunk(working)
        for item in working:
            self._done(item)

    def _done(self, item: Working) -> None:
        with self._lock:  # the creating and the completing threads both report
            self._outcomes.append(item.outcome)
            self.report(item.outcome)
