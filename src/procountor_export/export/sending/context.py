"""What one export definition's part of a run gives each sending step, in one value."""

from __future__ import annotations

from dataclasses import dataclass

from procountor_export.export.options import ExportOptions
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import ExportConfig, OfficeData
from procountor_export.procountor import ProcountorClient
from procountor_export.store.journal import Journal


@dataclass(frozen=True)
class RunContext:
    """One export definition × one Procountor company, within one run.

    ``options`` is how the run behaves: the TMS's name in messages (``source``), how many
    threads send requests (``workers``; the shared limiter, not the thread count, caps the
    request rate), the most invoices per batch of reads (``chunk_size``) and how long a chunk
    should take (``chunk_seconds``: the sender sizes its chunks by the pace it observes, so
    the run's counts move that often).
    """

    client: ProcountorClient
    journal: Journal
    run_id: int
    export: ExportConfig
    office: OfficeData
    cache: CompanyCache
    options: ExportOptions
