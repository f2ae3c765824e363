"""How a run behaves, and how it connects to Procountor: shared by every entry point."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import SecretStr

from procountor_export.export.reading.data import ExportConfig
from procountor_export.procountor import ProcountorClient

# Makes a Procountor client for an export definition and its API key (the usual one is
# sending.connect.ClientFactory, which shares one rate limiter per company).
MakeClient = Callable[[ExportConfig, SecretStr], ProcountorClient]

# One batched read of ledger receipts (and approval statuses) per chunk: 200 is the most ids
# one GET takes, so a warm invoice costs its POST and at least 1/200 of a read (issue 12) ...
CHUNK_SIZE = 200
# ... but an invoice counts as exported only when its chunk is completed, so chunks are
# sized to go through in about this many seconds at the pace observed (issue 21: the counts
# move every few seconds; ~54 invoices per read at 18 requests/s). 0: always CHUNK_SIZE.
CHUNK_SECONDS = 3.0


@dataclass(frozen=True)
class ExportOptions:
    """How a run behaves."""

    source: str = "Opter"  # the TMS's name in messages
    started_by: str = "cli"
    chunk_size: int = CHUNK_SIZE  # the most invoices per chunk (see CHUNK_SIZE)
    chunk_seconds: float = CHUNK_SECONDS  # how long a chunk should take (see CHUNK_SECONDS)
    workers: int = 4  # threads sending requests; the shared limiter still caps the rate
    environ: Mapping[str, str] | None = None  # where password {"env": ...} keys are read
