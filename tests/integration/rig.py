"""The test rig: a store, the in-process emulator, and exports between them."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import RunSummary
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.procountor import ProcountorClient
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.generator import generate_document
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document


@dataclass
class Rig:
    """A store, an emulator and a way to run exports between them."""

    store: Store
    app: FastAPI
    http: TestClient
    box: SecretBox
    hooks: list[Any]

    @property
    def emulator(self) -> Any:
        return self.app.state.emulator

    def factory(self) -> ClientFactory:
        settings = load_settings(
            PROCOUNTOR_BASE_URL="http://emulator/api",
            PROCOUNTOR_RATE_LIMIT=10_000,
        )
        return ClientFactory(settings, http_client=self.http, hooks=self.hooks)

    def load(
        self, invoices: int = 20, *, seed: int = 3, with_problems: bool = False
    ) -> dict[str, Any]:
        document = generate_document(invoices, seed=seed, with_problems=with_problems)
        report = import_document(self.store, document, box=self.box)
        assert report.accepted, report.errors
        return document

    def export(self, scope: Scope | None = None, **options: Any) -> RunSummary:
        return run_export(
            self.store,
            scope or Scope(all=True),
            client_factory=self.factory(),
            box=self.box,
            options=ExportOptions(**options),
        )

    def exports_at_once(self, runs: int = 2, **options: Any) -> list[RunSummary]:
        """``runs`` whole exports started together on threads (a scheduled run beside a
        person's); their summaries once all have ended."""
        results: list[RunSummary] = []
        start = threading.Barrier(runs)

        def run() -> None:
            start.wait()
            results.append(self.export(**options))

        threads = [threading.Thread(target=run) for _ in range(runs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results

    def api(self) -> ProcountorClient:
        """A Procountor client of the demo company through the emulator, as a person's own
        script would be (to key in data by hand beside the export)."""
        return ProcountorClient(
            base_url="http://emulator/api",
            client_id="demo-client",
            client_secret="demo-secret",
            api_key="demo-api-key",
            http_client=self.http,
            rate=10_000,
        )

    def collection(self, name: str) -> list[dict[str, Any]]:
        state = self.emulator.snapshot(include_files=False)
        items: list[dict[str, Any]] = []
        for company in state["companies"].values():
            items.extend(company[name])
        return items
