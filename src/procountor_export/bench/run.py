"""The throughput benchmark behind ``procountor-export bench`` (and ``make bench``).

It exports generated invoicing periods into the emulator, served over HTTP on a loopback port
by a child process (so the export process's memory is its own), with Procountor's documented
20 requests/s per client id and 50 ms latency on every call, and measures what issue 12 asks:

- a **cold** run into empty companies (customers, posting products, dimension items created),
- a **warm** run: copies of the cold invoices under new numbers, so every customer, posting
  product and dimension item they need already exists (only the invoices are new),
- optionally a **warm run with the PDF copy** ("Include PDF copy": one attachment per invoice),

and for each: invoices, API calls, calls per invoice, invoices per second, the request rate
during the invoice phase as a share of the configured pacing and of Procountor's limit, 429s,
p50/p95 latency per endpoint, per-company finishing times, and the export's peak memory.

``--companies K`` splits the customers round robin between K export definitions, each with its
own API key for its own emulated company, all under one client id (one rate budget).
"""

from __future__ import annotations

import copy
import math
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from procountor_export.bench.emulator import (
    _api_key,
    _peak_rss_mb,
    _reset_peak_rss,
    _violations,
    bench_seed,
    served_emulator,
)
from procountor_export.bench.tally import CompanyClock, Recorder, Tally, percentile
from procountor_export.export import Exporter, ExportOptions, RunSummary, Scope
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.data import export_settings as sample_export_settings
from procountor_export.samples.generator import generate_document
from procountor_export.settings import load_settings
from procountor_export.store import export_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

__all__ = ["BenchConfig", "RunFigures", "run_benchmark"]

# Warm copies of the cold invoices are numbered this far above them (one step per warm run).
_COPY_OFFSET = 200_000


@dataclass(frozen=True)
class BenchConfig:
    """What to measure: sizes, the emulated Procountor and the client's pacing."""

    invoices: int = 1000
    companies: int = 1
    workers: int = 4  # sending threads of a run; the shared limiter caps the rate
    latency_ms: int = 50
    limit: float = 20.0  # Procountor's (the emulator's) requests/s per client id
    rate: float | None = None  # the client's pacing; None: the service's default setting
    pdf: bool = True  # a third run, warm with the PDF copy
    chunk_size: int | None = None  # None: the export's default
    seed: int = 42


@dataclass
class RunFigures:
    """One run's figures."""

    label: str
    invoices: int = 0
    failed: int = 0
    seconds: float = 0.0
    api_calls: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    invoice_phase_seconds: float = 0.0
    invoice_phase_calls: int = 0
    http_429: int = 0
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    finished_s: dict[str, float] = field(default_factory=dict)  # per company, from the start
    peak_rss_mb: float = 0.0

    @property
    def calls_per_invoice(self) -> float:
        return self.api_calls / max(self.invoices, 1)

    @property
    def invoices_per_second(self) -> float:
        return self.invoices / self.seconds if self.seconds else 0.0

    @property
    def invoice_phase_rate(self) -> float:
        """Requests per second between the first and the last invoice POST."""
        if self.invoice_phase_seconds <= 0:
            return 0.0
        return self.invoice_phase_calls / self.invoice_phase_seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "invoices": self.invoices,
            "failed": self.failed,
            "seconds": round(self.seconds, 2),
            "api_calls": self.api_calls,
            "calls_per_invoice": round(self.calls_per_invoice, 4),
            "invoices_per_second": round(self.invoices_per_second, 2),
            "invoice_phase_calls_per_second": round(self.invoice_phase_rate, 2),
            "http_429": self.http_429,
            "calls": dict(sorted(self.calls.items(), key=lambda item: -item[1])),
            "created": self.created,
            "latency_ms": self.latency_ms,
            "company_finished_s": self.finished_s,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def _company_name(index: int) -> str:
    return f"Bench company {index + 1}"


def bench_document(config: BenchConfig, runs: int) -> tuple[dict[str, Any], list[list[str]]]:
    """A document whose first part is the cold run's invoices and each further part a copy of
    them under new numbers (same customers, postings and dates: nothing new but the invoice).

    Only invoices of closed periods are exported, so enough are generated to have ``invoices``
    of them. Customers go round robin to ``companies`` export definitions.
    """
    generated = generate_document(math.ceil(config.invoices * 1.1) + 5, seed=config.seed)
    closed = {p["id"] for p in generated["periods"] if p.get("closed_at")}
    cold = [i for i in generated["invoices"] if i["period"] in closed][: config.invoices]
    if len(cold) < config.invoices:
        raise ValueError("not enough invoices in closed periods")
    parts = [[i["number"] for i in cold]]
    invoices = list(cold)
    for run in range(1, runs):
        copies = []
        for invoice in cold:
            twin = copy.deepcopy(invoice)
            twin["number"] = str(int(invoice["number"]) + run * _COPY_OFFSET)
            if twin.get("credited_invoice"):
                twin["credited_invoice"] = str(int(twin["credited_invoice"]) + run * _COPY_OFFSET)
            copies.append(twin)
        invoices.extend(copies)
        parts.append([i["number"] for i in copies])
    template = sample_export_settings()
    base = template["exports"][0]
    exports, groups = [], []
    for index in range(config.companies):
        exports.append({**base, "name": _company_name(index), "password": _api_key(index)})
        groups.append(
            {"name": _company_name(index), "exports": [_company_name(index)], "default": index == 0}
        )
    for position, customer in enumerate(generated["customers"]):
        customer["export_setting"] = _company_name(position % config.companies)
    document = {**generated, "invoices": invoices}
    document["export_settings"] = {**template, "exports": exports, "groups": groups}
    return document, parts


def _figures(
    label: str,
    summary: RunSummary,
    seconds: float,
    tally: Tally,
    finished: dict[str, float],
) -> RunFigures:
    figures = RunFigures(label=label, seconds=seconds)
    figures.invoices = summary.exported
    figures.failed = summary.failed
    figures.api_calls = len(tally.sent)
    figures.calls = dict(tally.calls.most_common())
    figures.created = dict(summary.created)
    figures.http_429 = tally.http_429
    figures.latency_ms = {
        endpoint: {
            "count": len(values),
            "p50": round(percentile(list(values), 0.5), 1),
            "p95": round(percentile(list(values), 0.95), 1),
        }
        for endpoint, values in sorted(tally.durations.items())
    }
    posts = tally.invoice_posts
    if len(posts) >= 2:
        first, last = min(posts), max(posts)
        figures.invoice_phase_seconds = last - first
        # Requests sent from the first invoice POST up to (not including) the last one.
        figures.invoice_phase_calls = sum(1 for sent in tally.sent if first <= sent < last)
    figures.finished_s = {name: round(value, 2) for name, value in sorted(finished.items())}
    return figures


@dataclass
class BenchResult:
    """All runs, and the figures issue 12 names."""

    config: BenchConfig
    rate: float
    runs: list[RunFigures]
    http_429_emulator: int

    def run(self, label: str) -> RunFigures | None:
        return next((run for run in self.runs if run.label == label), None)

    def to_dict(self) -> dict[str, Any]:
        cold, warm, pdf = self.run("cold"), self.run("warm"), self.run("warm_pdf")
        assert cold is not None
        assert warm is not None
        exported = sum(run.invoices for run in self.runs)
        calls = sum(run.api_calls for run in self.runs)
        seconds = sum(run.seconds for run in self.runs)
        phase_rate = max(warm.invoice_phase_rate, cold.invoice_phase_rate)
        return {
            "invoices": exported,
            "failed": sum(run.failed for run in self.runs),
            "companies": self.config.companies,
            "workers": self.config.workers,
            "latency_ms": self.config.latency_ms,
            "limit_per_second": self.config.limit,
            "pacing_per_second": self.rate,
            "api_calls": calls,
            "calls_per_invoice_cold": round(cold.calls_per_invoice, 4),
            "calls_per_invoice_warm": round(warm.calls_per_invoice, 4),
            "calls_per_invoice_warm_pdf": round(pdf.calls_per_invoice, 4) if pdf else None,
            "invoices_per_second": round(exported / seconds, 2) if seconds else 0.0,
            "invoice_phase_calls_per_second": round(phase_rate, 2),
            "rate_limit_share": round(phase_rate / self.config.limit, 4),
            "pacing_share": round(phase_rate / self.rate, 4),
            "http_429": self.http_429_emulator,
            "peak_rss_mb": round(max(run.peak_rss_mb for run in self.runs), 1),
            "runs": [run.to_dict() for run in self.runs],
        }


def prepare_store(config: BenchConfig, runs: int, url: str, key: bytes) -> list[list[str]]:
    """Import the benchmark's document into the store at ``url``; return each run's numbers."""
    store = Store.open(url)
    try:
        document, parts = bench_document(config, runs)
        report = import_document(store, document, box=SecretBox(key))
        if not report.accepted:
            raise RuntimeError(f"the benchmark's document was refused: {report.errors[:3]}")
    finally:
        store.close()
    return parts


def run_benchmark(config: BenchConfig, *, database_url: str | None = None) -> BenchResult:
    """Run the cold, warm (and warm + PDF) exports and return their figures."""
    labels = ["cold", "warm"] + (["warm_pdf"] if config.pdf else [])
    with tempfile.TemporaryDirectory(prefix="procountor-bench-") as name:
        folder = Path(name)
        url = database_url or f"sqlite:///{folder / 'bench.sqlite'}"
        key = Fernet.generate_key()
        # The document is made and imported in a child process, so that the peak memory
        # measured here is the export's alone (Python keeps the memory it once used).
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
            parts = child.submit(prepare_store, config, len(labels), url, key).result()
        store = Store.open(url)
        box = SecretBox(key)
        seed = bench_seed(config.companies, config.limit, config.latency_ms)
        with served_emulator(seed, folder) as base_url:
            root = base_url.removesuffix("/api")
            overrides: dict[str, object] = {
                "PROCOUNTOR_BASE_URL": base_url,
                "PROCOUNTOR_LIMITER_URL": None,
            }
            if config.rate is not None:
                overrides["PROCOUNTOR_RATE_LIMIT"] = config.rate
            settings = load_settings(**overrides)
            recorder = Recorder()
            factory = ClientFactory(settings, hooks=[recorder])
            runs = []
            before = _violations(root)
            options: dict[str, Any] = {"workers": config.workers, "started_by": "benchmark"}
            if config.chunk_size:
                options["chunk_size"] = config.chunk_size
            exporter = Exporter(
                store, client_factory=factory, box=box, options=ExportOptions(**options)
            )
            for label, part in zip(labels, parts, strict=True):
                with store.session() as session:
                    for index in range(config.companies):
                        export_settings.upsert_export_definition(
                            session, name=_company_name(index), include_pdf=label == "warm_pdf"
                        )
                _reset_peak_rss()
                started = time.monotonic()
                progress = CompanyClock(started)
                summary = exporter.export(Scope(invoices=tuple(part)), progress=progress)
                seconds = time.monotonic() - started
                figures = _figures(label, summary, seconds, recorder.take(), progress.done_at)
                figures.peak_rss_mb = _peak_rss_mb()
                runs.append(figures)
            violations = _violations(root) - before
            factory.close()
        store.close()
    return BenchResult(config, settings.rate_limit, runs, violations)
