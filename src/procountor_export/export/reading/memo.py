"""Master data read once per company and run, however many parts the run is exported in.

A big run is exported in parts: slices of :data:`~procountor_export.export.runner.SLICE`
invoices in one process, chunks of :data:`~procountor_export.jobs.queue.CHUNK` invoices on the
job queue. Each part needs the company's master data (chart of accounts, dimensions, VAT,
fiscal years, currencies, bank accounts, posting products). The first part reads it from
Procountor; every later part of the same run starts from the copy the part before it kept.

The rule that keeps a copy honest: a part **takes** the copy (no other part can use it
meanwhile) and **keeps** it again only after its preparation created everything it needed. A
part that failed to create a product or a dimension item (perhaps created after all, its answer
lost), or that stopped, keeps nothing, so the next part reads Procountor again and finds what is
really there: nothing is ever created twice because of a stale copy.

:class:`RunMemory` keeps the copy in memory (the slices of one process); :class:`StoredMemo`
keeps it in the store (``master_snapshots``), for the chunks of a run on the queue, which may
run in different worker processes.

A copy is the company's, not the export definition's: definitions on the same Procountor
company (the same API key, see :mod:`~procountor_export.export.company`) take and keep
one copy, named by the company's key, so what one of them created the next one finds. Parts
take and keep copies only while they hold the company's lock, so a copy is never taken twice at
once; and as another run (or process) may have created something since a copy was read, a part
that starts from one reads again what it is about to create before it creates it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from threading import Lock
from typing import Any, Protocol

from sqlalchemy import Select, delete, select

from procountor_export.export.reading.cache import (
    CompanyCache,
    DimensionInfo,
    FiscalYearInfo,
    ProductInfo,
    TrackingPeriodInfo,
)
from procountor_export.export.reading.factoring import FactoringContractInfo, FactoringContracts
from procountor_export.store.db import Store
from procountor_export.store.master_snapshots import MasterSnapshot

__all__ = ["MasterMemo", "NoMemo", "RunMemory", "StoredMemo", "forget_run"]


class MasterMemo(Protocol):
    """Where a run keeps its companies' master data between its parts."""

    def take(self, export_id: int, company: str | None = None) -> CompanyCache | None:
        """The copy an earlier part kept for ``company`` (the company's key; without one, for
        ``export_id`` alone), then no longer kept; or ``None``."""

    def keep(self, export_id: int, cache: CompanyCache, company: str | None = None) -> None:
        """Keep ``cache`` for the run's next part on ``company`` (call only after a clean
        preparation); it replaces the company's earlier copy."""


class NoMemo:
    """A run in one part: nothing is kept."""

    def take(self, export_id: int, company: str | None = None) -> CompanyCache | None:
        return None

    def keep(self, export_id: int, cache: CompanyCache, company: str | None = None) -> None:
        pass


class RunMemory:
    """The copies of one process's run, in memory (the run's companies run in threads)."""

    def __init__(self) -> None:
        self._kept: dict[int | str, CompanyCache] = {}
        self._lock = Lock()

    def take(self, export_id: int, company: str | None = None) -> CompanyCache | None:
        with self._lock:
            return self._kept.pop(export_id if company is None else company, None)

    def keep(self, export_id: int, cache: CompanyCache, company: str | None = None) -> None:
        with self._lock:
            self._kept[export_id if company is None else company] = cache


class StoredMemo:
    """The copies of one run on the job queue, in the store (one row per company)."""

    def __init__(self, store: Store, run_id: int) -> None:
        self.store = store
        self.run_id = run_id

    def take(self, export_id: int, company: str | None = None) -> CompanyCache | None:
        with self.store.session() as session:
            if company is None:
                row = session.get(MasterSnapshot, (self.run_id, export_id))
            else:  # kept by whichever of the company's definitions kept it last
                row = session.scalars(self._of_company(company)).first()
            if row is None:
                return None
            data = row.data
            session.delete(row)
        return cache_from_data(data)

    def keep(self, export_id: int, cache: CompanyCache, company: str | None = None) -> None:
        with self.store.session() as session:
            if company is not None:
                for other in session.scalars(self._of_company(company)):
                    if other.export_id != export_id:
                        session.delete(other)
            row = session.get(MasterSnapshot, (self.run_id, export_id))
            if row is None:
                row = MasterSnapshot(run_id=self.run_id, export_id=export_id)
                session.add(row)
            data = cache_to_data(cache)
            if company is not None:
                data["company"] = company
            row.data = data
            row.taken_at = datetime.now(UTC).replace(tzinfo=None)

    def _of_company(self, company: str) -> Select[MasterSnapshot]:
        return select(MasterSnapshot).where(
            MasterSnapshot.run_id == self.run_id,
            MasterSnapshot.data["company"].as_string() == company,
        )


def forget_run(store: Store, run_id: int) -> None:
    """Drop the copies of a finished run."""
    with store.session() as session:
        session.execute(delete(MasterSnapshot).where(MasterSnapshot.run_id == run_id))


def cache_to_data(cache: CompanyCache) -> dict[str, Any]:
    """The cache's master data as JSON values. Partners and the invoices found are left out:
    each part looks up its own (partner ids live in ``partner_links``)."""
    return {
        "company_currency": cache.company_currency,
        "company_country": cache.company_country,
        "accounts": dict(cache.accounts),
        "dimensions": [
            {
                "id": d.id,
                "name": d.name,
                "items": dict(d.items),
                "inactive": sorted(d.inactive),
            }
            for d in cache.dimensions.values()
        ],
        "vat_percents": sorted(str(p) for p in cache.vat_percents),
        "vat_statuses": sorted(cache.vat_statuses),
        "fiscal_years": [
            {
                "start": y.start.isoformat(),
                "end": y.end.isoformat(),
                "is_open": y.is_open,
                "periods": [[p.start.isoformat(), p.end.isoformat(), p.status] for p in y.periods],
            }
            for y in cache.fiscal_years
        ],
        "currencies": sorted(cache.currencies),
        "bank_accounts": sorted(cache.bank_accounts),
        "default_iban": cache.default_iban,
        "product_group_id": cache.product_group_id,
        "products": [
            {
                "id": p.id,
                "code": p.code,
                "default_account": p.default_account,
                "vat_status": p.vat_status,
                "vat_percent": None if p.vat_percent is None else str(p.vat_percent),
            }
            for p in cache.products.values()
        ],
        "factoring": _factoring_to_data(cache.factoring),
    }


def _factoring_to_data(factoring: FactoringContracts | None) -> dict[str, Any] | None:
    if factoring is None:
        return None
    return {
        "refused": factoring.refused,
        "contracts": [vars(contract) for contract in factoring.contracts.values()],
    }


def _factoring_from_data(data: dict[str, Any] | None) -> FactoringContracts | None:
    if data is None:
        return None
    contracts = [FactoringContractInfo(**contract) for contract in data["contracts"]]
    return FactoringContracts(
        contracts={contract.number: contract for contract in contracts}, refused=data["refused"]
    )


def cache_from_data(data: dict[str, Any]) -> CompanyCache:
    """The cache :func:`cache_to_data` wrote (without partners or invoices found)."""
    day = date.fromisoformat
    return CompanyCache(
        company_currency=data["company_currency"],
        company_country=data.get("company_country"),  # absent in copies kept before issue 24
        accounts=dict(data["accounts"]),
        dimensions={
            d["name"]: DimensionInfo(
                id=d["id"],
                name=d["name"],
                items=dict(d["items"]),
                inactive=frozenset(d["inactive"]),
            )
            for d in data["dimensions"]
        },
        vat_percents=frozenset(Decimal(p) for p in data["vat_percents"]),
        vat_statuses=frozenset(data["vat_statuses"]),
        fiscal_years=tuple(
            FiscalYearInfo(
                start=day(y["start"]),
                end=day(y["end"]),
                is_open=y["is_open"],
                periods=tuple(
                    TrackingPeriodInfo(day(start), day(end), status)
                    for start, end, status in y["periods"]
                ),
            )
            for y in data["fiscal_years"]
        ),
        currencies=frozenset(data["currencies"]),
        bank_accounts=frozenset(data["bank_accounts"]),
        default_iban=data["default_iban"],
        product_group_id=data["product_group_id"],
        products={
            p["code"]: ProductInfo(
                id=p["id"],
                code=p["code"],
                default_account=p["default_account"],
                vat_status=p["vat_status"],
                vat_percent=None if p["vat_percent"] is None else Decimal(p["vat_percent"]),
            )
            for p in data["products"]
        },
        factoring=_factoring_from_data(data.get("factoring")),
    )
