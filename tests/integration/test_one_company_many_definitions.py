"""One company, many definitions (issue 19, item 7): two export definitions on the same
Procountor company create its master data once, whether their work interleaves in one run or
in two runs at once.

The master data is the company's: one posting-product group, one product per posting key, one
business partner per customer number, one item per dimension item, however many definitions
point at the company (and Procountor has no unique constraint that would stop a second one).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import SecretStr
from rig import Rig  # type: ignore[import-not-found]

from procountor_export.export.reading.memo import RunMemory
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import RunSummary
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.runtime.connections import company_key
from procountor_export.samples.data import DEMO_API_KEY, EXPORT_NAME
from procountor_export.store.models import JournalState
from procountor_export.tms.importer import import_document
from shared_company import (  # type: ignore[import-not-found]
    FINANCED,
    Rendezvous,
    duplicates,
    master_data_counts,
    sample_with_two_definitions,
)


def load(rig: Rig, invoices: int, seed: int) -> dict[str, Any]:
    document = sample_with_two_definitions(invoices, seed=seed)
    report = import_document(rig.store, document, box=rig.box)
    assert report.accepted, report.errors
    return document


def demo_company(rig: Rig) -> dict[str, Any]:
    companies = rig.emulator.snapshot(include_files=False)["companies"].values()
    return next(c for c in companies if c["apiKey"] == DEMO_API_KEY)


def exported_to(summaries: list[RunSummary]) -> Counter[str]:
    return Counter(
        o.export for s in summaries for o in s.outcomes if o.state is JournalState.EXPORTED
    )


def test_two_definitions_in_one_run_create_the_company_master_data_once(rig: Rig) -> None:
    load(rig, 30, seed=31)
    rig.hooks.append(Rendezvous("GET /products/groups"))
    summary = rig.export(workers=4, chunk_size=5)
    company = demo_company(rig)
    assert duplicates(company) == {}
    counts = master_data_counts(company)
    assert counts["product groups"] == Counter({"OpterGroup": 1})
    assert counts["dimension items"]["Department/OUL"] == 1  # the one unit the export creates
    # Both definitions exported their share, each invoice once.
    assert summary.failed == 0, [o.problems for o in summary.outcomes if o.problems]
    assert summary.exported == sum(counts["invoices"].values()) > 0
    assert set(exported_to([summary])) == {EXPORT_NAME, FINANCED}
    # Nothing is created on a second run either.
    again = rig.export(workers=4, chunk_size=5)
    assert again.to_export == 0
    assert duplicates(demo_company(rig)) == {}


def test_two_runs_at_once_with_two_definitions_create_the_master_data_once(rig: Rig) -> None:
    load(rig, 30, seed=32)
    rig.hooks.append(Rendezvous("GET /products/groups", parties=2))
    results = rig.exports_at_once(workers=2, chunk_size=5)
    assert len(results) == 2
    company = demo_company(rig)
    assert duplicates(company) == {}
    assert master_data_counts(company)["product groups"] == Counter({"OpterGroup": 1})
    assert all(not r.failed for r in results)
    assert sum(r.exported for r in results) == sum(master_data_counts(company)["invoices"].values())
    assert set(exported_to(results)) == {EXPORT_NAME, FINANCED}


def test_a_copy_older_than_what_another_process_created_is_read_again(rig: Rig) -> None:
    """A part that starts from a kept copy of the master data, older than what another process
    created since, reads the products and dimension items again before it creates any: it
    finds them instead of making them a second time."""
    document = load(rig, 30, seed=33)
    financed = {c["code"] for c in document["customers"] if c.get("export_setting") == FINANCED}
    ours = [i["number"] for i in document["invoices"] if i["customer"] not in financed]
    theirs = [i["number"] for i in document["invoices"] if i["customer"] in financed]
    memo = RunMemory()

    def export(numbers: list[str], memo: RunMemory) -> RunSummary:
        return run_export(
            rig.store,
            Scope(invoices=tuple(numbers)),
            client_factory=rig.factory(),
            box=rig.box,
            options=ExportOptions(workers=2, chunk_size=5),
            memo=memo,
        )

    first = export(ours, memo)
    assert first.exported == len(ours)
    assert first.created["products"] > 0
    # The copy this process kept is made older than Procountor: as if another process had
    # created the posting products and the unit OUL after it was read.
    company = company_key("http://emulator/api", SecretStr(DEMO_API_KEY))
    stale = memo.take(0, company)
    assert stale is not None
    assert stale.products
    stale.products.clear()
    stale.dimensions["Department"].items.pop("OUL", None)
    memo.keep(0, stale, company)
    before = master_data_counts(demo_company(rig))
    second = export(theirs, memo)
    assert second.failed == 0, [o.problems for o in second.outcomes if o.problems]
    assert second.exported == len(theirs)
    assert second.calls.get("GET /coa", 0) == 0  # it did start from the copy
    assert duplicates(demo_company(rig)) == {}
    after = master_data_counts(demo_company(rig))
    # It created only the products its own invoices need that were not there yet.
    assert second.created["products"] == len(set(after["products"]) - set(before["products"]))
    assert second.created["items"] == 0
