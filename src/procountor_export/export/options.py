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
    # one GET takes, so a warm invoice costs its POST and 1/200 of a read (issue 12).
    chunk_size: int = 200
    workers: int = 4  # threads sending requests; the shared limiter still caps the rate
    environ: Mapping[str, str] | None = None  # where password {"env": ...} keys are read
