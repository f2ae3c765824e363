"""The Procountor client: every resource on one object."""

from __future__ import annotations

from procountor_export.procountor.resources.company import CompanyResources
from procountor_export.procountor.resources.invoices import InvoiceResources
from procountor_export.procountor.resources.partners import PartnerResources
from procountor_export.procountor.resources.products import ProductResources

__all__ = ["ProcountorClient"]


class ProcountorClient(CompanyResources, ProductResources, PartnerResources, InvoiceResources):
    """A client for one Procountor company (one API key).

    ``base_url`` is the API root (``https://api.procountor.com/api``, ``…/latest/api`` or
    ``…/vYYMM/api``; see :data:`PRODUCTION_BASE_URL` and :data:`TEST_BASE_URL`). Requests are
    paced by ``limiter`` (by default the process-wide limiter of ``client_id`` at ``rate``,
    15 requests/s), authenticated with a cached token, retried when safe and mapped to the errors
    of :mod:`procountor_export.procountor.errors`. Every exchange is counted in :attr:`calls`
    and passed to each of ``hooks`` as a :class:`RequestRecord`.

    ``transport`` or ``http_client`` replace the network (tests: ``httpx2.MockTransport`` or
    Starlette's ``TestClient``); a given ``http_client`` is not closed by :meth:`close`.
    Retries are capped at ``retry_attempts`` attempts and ``retry_timeout`` seconds.

    Thread-safe: threads may share one client (and so one token and one limiter).
    """

    def __enter__(self) -> ProcountorClient:
        return self
