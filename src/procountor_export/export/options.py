"""How a run behaves, and how it connects to Procountor: shared by every entry point."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import SecretStr

from procountor_export.export.reading.data import ExportConfig
from procountor_export.procountor import ProcountorClient

# A Procountor client for an export definition and its API key (see sending.connect).
ClientFactory = Callable[[ExportConfig, SecretStr], ProcountorClient]


@dataclass(frozen=True)
class ExportOptions:
    """How a run behaves."""

    source: str = "Opter"  # the TMS's name in messages
    started_by: str = "cli"
    # One batched read of ledger receipts (and approval statuses) per chunk: 200 is the most ids
    # one GET takes, so a warm invoice costs its POST and at least 1/200 of a read (issue 12) ...
    chunk_size: int = 200
    # ... but an invoice counts as exported only when its chunk is completed, so chunks are
    # sized to go through in about this many seconds at the pace observed (issue 21: the counts
    # move every few seconds; ~54 invoices per read at 18 requests/s). 0: always 200.
    chunk_seconds: float = 3.0
    workers: int = 4  # threads sending requests; the shared limiter still caps the rate
    environ: Mapping[str, str] | None = None  # where password {"env": ...} keys are read
