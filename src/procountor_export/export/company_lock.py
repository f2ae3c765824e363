"""One Procountor company's master data, created once however many export definitions point at
the company, and however their work interleaves (threads, runs, processes).

Export definitions may share a company: factoring needs one definition for the financed
customers and one for the rest, both holding the company's API key. The master data the export
creates there (the posting-product group, posting products, dimension items, business
partners) belongs to the company, and Procountor has no unique constraint on any of it: two
definitions that each find the group missing make two groups called "OpterGroup". So the
company's "look up, then create what is missing" is done by one part of one definition at a
time, in every process:

- :func:`company_key` names the company: a digest of the API root and the API key (never the
  key itself), the same for every definition that holds the key;
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

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import SecretStr

from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.masterdata import read_dimensions, read_products
from procountor_export.procountor import ProcountorClient
from procountor_export.store.db import Store
from procountor_export.store.locks import held_lock

__all__ = ["company_key", "company_lock", "renew_creatable"]

_LOCKS: dict[str, threading.Lock] = {}  # one per company this process has met
_LOCKS_GUARD = threading.Lock()


def company_key(base_url: str, api_key: SecretStr) -> str:
    """The company an API key reaches, as a name for locks and kept copies (not a secret)."""
    text = f"{base_url.rstrip('/')}\n{api_key.get_secret_value()}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


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
