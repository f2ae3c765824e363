"""One Procountor company's side of a run: its master data into the cache, what an earlier run
started there, and which invoices are still to export (shared by ``check`` and ``export``)."""

from __future__ import annotations

from procountor_export.export import messages as m
from procountor_export.export.problems import Problem
from procountor_export.export.reading import partner_links
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import InvoiceData
from procountor_export.export.reading.factoring import load_factoring
from procountor_export.export.reading.gather import ExportWork
from procountor_export.export.reading.masterdata import (
    existing_invoices,
    find_invoices,
    load_snapshot,
)
from procountor_export.export.sending.failures import RunAborted, fatal_problem, problem_for
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import ProcountorError
from procountor_export.store.db import Store
from procountor_export.store.journal import EntryView, Journal
from procountor_export.store.models import JournalState


def not_yet_exported(journal: Journal, work: ExportWork) -> tuple[list[InvoiceData], int]:
    """The work's invoices not EXPORTED to its export yet, and how many already are.

    The one rule of "already exported" that ``check``, ``--dry-run`` and ``export`` share:
    an invoice whose journal row for this export is EXPORTED is neither checked nor sent again.
    Read only: it creates no journal rows.
    """
    done = journal.exported_pairs([(invoice.id, work.config.id) for invoice in work.invoices])
    todo = [invoice for invoice in work.invoices if (invoice.id, work.config.id) not in done]
    return todo, len(done)


def load_company(
    client: ProcountorClient, work: ExportWork, store: Store, kept: CompanyCache | None = None
) -> CompanyCache:
    """The company's master data, with the partner ids remembered from earlier runs.

    ``kept`` is the copy an earlier part of the same run kept (:mod:`.reading.memo`): then only
    the invoices already in Procountor are looked up (for this part's invoices), not the
    master data again.

    Raises :class:`RunAborted` with the article's message when it cannot be read (the chart of
    accounts first: "Could not retrieve accounts from Procountor").
    """
    try:
        if kept is None:
            cache = load_snapshot(
                client,
                product_group=work.config.product_group,
                invoices=work.invoices,
                factoring=work.config.factoring_contract is not None,
            )
        else:
            cache = kept
            cache.begin_part(existing_invoices(client, work.invoices) if work.invoices else {})
            if work.config.factoring_contract is not None and cache.factoring is None:
                cache.factoring = load_factoring(client)  # a copy kept before it was named
    except ProcountorError as error:
        problem = fatal_problem(error)
        if problem is None:
            template = m.ACCOUNTS_UNAVAILABLE if "/coa" in error.operation else m.API_CALL
            problem = problem_for(error, template=template)
        raise RunAborted(problem) from error
    # The preparation re-validates remembered ids before it uses them.
    numbers = {invoice.customer.customer_number for invoice in work.invoices} - {""}
    cache.add_partners(partner_links.remembered(store, work.config.id, numbers))
    return cache


def find_started(
    client: ProcountorClient,
    cache: CompanyCache,
    invoices: list[InvoiceData],
    entries: dict[int, EntryView],
) -> None:
    """Look up, one by one, invoices an earlier run started but the date-range search missed.

    The search covers the run's invoice dates; an invoice posted earlier under another date (or
    whose POST answer was lost) is found by its TMS number instead, so it is never posted twice.
    """
    for invoice in invoices:
        entry = entries[invoice.id]
        started = entry.procountor_invoice_id is not None or entry.state is JournalState.INFLIGHT
        if started and invoice.number not in cache.existing_invoices:
            found = find_invoices(client, invoice.number)
            if found:
                cache.add_existing(invoice.number, found)


def key_problem(work: ExportWork) -> Problem:
    """The export has no usable API key."""
    return Problem.of(m.API_KEY_MISSING, work.config.name, work.key_problem)
