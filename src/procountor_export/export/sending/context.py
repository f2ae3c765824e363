"""What one export definition's part of a run shares, in one value instead of long lists."""

from __future__ import annotations

from dataclasses import dataclass

from procountor_export.export.options import CHUNK_SECONDS, CHUNK_SIZE
from procountor_export.export.reading.cache import CompanyCache
from procountor_export.export.reading.data import ExportConfig, OfficeData
from procountor_export.procountor import ProcountorClient
from procountor_export.store.journal import Journal


@dataclass(frozen=True)
class RunContext:
    """One export definition × one Procountor company, within one run.

    ``source`` is the TMS's name in messages; ``owner`` names this run's journal claims;
    ``workers`` is how many threads send requests (the shared limiter, not the thread count,
    caps the request rate); ``chunk_size`` the most invoices per batch of reads, and
    ``chunk_seconds`` how long a chunk should take (the sender sizes its chunks by the pace it
    observes, so the run's counts move that often; 0: always ``chunk_size``).
    """

    client: ProcountorClient
    journal: Journal
    run_id: int
    owner: str
    export: ExportConfig
    office: OfficeData
    cache: CompanyCache
    source: str
    workers: int = 1
    chunk_size: int = CHUNK_SIZE
    chunk_seconds: float = CHUNK_SECONDS
