"""One Procountor company's side of a run: its master data into the cache, what an earlier run
started there, and which invoices are still to export (shared by ``check`` and ``export``);
and the lock that lets one part at a time create the company's master data.

One Procountor company's master data, created once however many export definitions point at
the company, and however their work interleaves (threads, runs, processes).

Export definitions may share a company: factoring needs one definition for the financed
customers and one for the rest, both holding the company's API key. The master data the export
creates there (the posting-product group, posting products, dimension items, business
partners) belongs to the company, and Procountor has no unique constraint on any of it: two
definitions that each find the group missing make two groups called "OpterGroup". So the
company's "look up, then create what is missing" is done by one part of one definition at a
time, in every process:

- :func:`~procountor_export.runtime.connections.company_key` names the company: a digest of
  the API root and the API key (never the key itself), the same for every definition that holds
  the key;
- :func:`company_lock` holds the company while a part reads its master data (or takes the run's
  copy of it), plans, and creates what is missing: a lock per company in this process (the
  definitions of a run, two runs at once) and the store's lock across processes
  (:func:`~procountor_export.store.locks.held_lock`: queue workers, a person's run beside a
  scheduled one). The invoices are sent after, without it.

So what one part created is in Procountor before the next part reads the company, or in the
copy of the master data the next part takes (:mod:`.reading.memo`, kept per company). A copy
may be older than what another process created since, so a part that starts from one reads the
dimensions and products again before it creates any (:func:`renew_creatable`); customers are
always looked up in Procountor, under the lock, before any is created.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
    read_dimensions,
    read_products,
)
from procountor_export.export.sending.failures import RunAborted, fatal_problem, problem_for
from procountor_export.procountor import ProcountorClient
from procountor_export.procountor.errors import ProcountorError
from procountor_export.store.db import Store
from procountor_export.store.journal import EntryView, Journal
from procountor_export.store.locks import held_lock
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


_LOCKS: dict[str, threading.Lock] = {}  # one per company this process has met
_LOCKS_GUARD = threading.Lock()


@contextmanager
def company_lock(store: Store, company: str) -> Iterator[None]:
    """Hold ``company`` (a :func:`company_key`) against every other part that may create its
    master data: in this process, then in the others sharing the store; waits its turn."""
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(company, threading.Lock())
    with lock, held_lock(store.engine, f"company-{company}"):
        yield


def renew_creatable(client: ProcountorClient, cache: CompanyCache, product_group: str) -> None:
    """Read again, into a kept copy, what a part may be about to create: the dimensions with
    their items and the posting-product group with its products (another process may have
    created some since the copy was read). Errors propagate as the client raises them."""
    group_id, products = read_products(client, product_group, cache.product_group_id)
    cache.renew_creatable(read_dimensions(client), group_id, products)
