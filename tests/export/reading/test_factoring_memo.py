"""The factoring contracts a run read travel with its kept master data (and a refusal too)."""

from __future__ import annotations

import json

from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.factoring import FactoringContractInfo, FactoringContracts
from procountor_export.export.reading.memo import cache_from_data, cache_to_data


def _cache(factoring: FactoringContracts | None) -> CompanyCache:
    return CompanyCache(
        company_currency="EUR",
        accounts={},
        dimensions={},
        vat_percents=frozenset(),
        vat_statuses=frozenset(),
        fiscal_years=(),
        currencies=frozenset({"EUR"}),
        bank_accounts=frozenset({"FI2112345600000785"}),
        factoring=factoring,
    )


def _round_trip(cache: CompanyCache) -> CompanyCache:
    return cache_from_data(json.loads(json.dumps(cache_to_data(cache))))


def test_contracts_and_a_refusal_survive_the_store() -> None:
    listed = FactoringContracts(
        contracts={"RAH-1001": FactoringContractInfo(401, "RAH-1001", "ACTIVE", "FI21", "Oy")}
    )
    assert _round_trip(_cache(listed)).factoring == listed
    refused = FactoringContracts(refused="Insufficient user rights")
    assert _round_trip(_cache(refused)).factoring == refused
    assert _round_trip(_cache(None)).factoring is None


def test_a_copy_kept_by_an_older_version_has_no_contracts() -> None:
    data = cache_to_data(_cache(None))
    del data["factoring"]
    assert cache_from_data(data).factoring is None
