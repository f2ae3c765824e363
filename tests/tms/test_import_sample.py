"""The sample generator's documents import cleanly, and a second import changes nothing."""

from __future__ import annotations

import io
import json

from procountor_export.samples.generator import generate_document, write_document
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document


def test_a_generated_document_with_problem_cases_imports(store: Store, box: SecretBox) -> None:
    document = generate_document(300, seed=7, with_problems=True)
    report = import_document(store, document, box=box)
    assert report.accepted, [str(p) for p in report.errors[:10]]
    created = report.counts["invoices"].created
    assert created == len(document["invoices"])
    assert report.counts["exports"].created == 1
    assert report.newly_closed_periods  # the generator closes all periods but the last

    again = import_document(store, json.dumps(document), box=box)
    assert again.accepted
    assert again.counts["invoices"].unchanged == created
    assert again.counts["customers"].updated == 0


def test_the_streamed_form_imports_like_the_dict(sqlite_store: Store, box: SecretBox) -> None:
    text = io.StringIO()
    write_document(text, 200, seed=3)
    report = import_document(sqlite_store, text.getvalue().encode(), box=box)
    assert report.accepted, [str(p) for p in report.errors[:10]]
    assert report.counts["invoices"].created == 200
