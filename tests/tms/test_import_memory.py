"""The import streams: its peak memory does not grow with the number of invoices."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from procountor_export.samples.generator import write_document
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms import importer, stream
from procountor_export.tms.importer import import_document


def peak_mb(tmp_path: Path, invoices: int) -> float:
    document = tmp_path / f"document-{invoices}.json"
    with document.open("w", encoding="utf-8") as handle:
        write_document(handle, invoices, seed=5)
    store = Store.open(f"sqlite:///{tmp_path / f'store-{invoices}.sqlite'}")
    try:
        tracemalloc.start()
        report = import_document(store, document, box=SecretBox(Fernet.generate_key()))
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
        store.close()
    assert report.accepted
    assert report.counts["invoices"].created == invoices
    return peak


@pytest.mark.slow
def test_five_times_the_invoices_do_not_take_five_times_the_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both imports fill several write batches and read many chunks, and a first import has
    # warmed the caches, so only what grows with the document can differ.
    monkeypatch.setattr(importer, "BATCH_SIZE", 200)
    monkeypatch.setattr(stream, "CHUNK_BYTES", 1 << 14)
    peak_mb(tmp_path, 100)
    small = peak_mb(tmp_path, 600)
    large = peak_mb(tmp_path, 3000)
    # Parsed whole, 3,000 invoices would take several times the memory of 600; streamed, only
    # the bookkeeping of invoice numbers grows.
    assert large < small * 1.3, (small, large)
