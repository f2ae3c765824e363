"""The sample data against the default emulator: clean invoices export, each problem case fails
with exactly its message (the demo company contract, checked end to end)."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet
from starlette.testclient import TestClient

from procountor_export.emulator import create_app
from procountor_export.export.messages import Messages
from procountor_export.export.reading.scope import Scope
from procountor_export.export.runner import ExportOptions, run_export
from procountor_export.runtime.connections import ClientFactory
from procountor_export.samples.generator import PROBLEM_CASES, generate_document
from procountor_export.settings import load_settings
from procountor_export.store.db import Store
from procountor_export.store.models import JournalState
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.importer import import_document

EMULATOR_URL = "http://emulator"

OPTER = Messages("Opter")


def test_clean_invoices_export_and_every_problem_fails_as_intended(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    box = SecretBox(key)
    settings = load_settings(
        PROCOUNTOR_EXPORT_DATABASE_URL=f"sqlite:///{tmp_path / 'store.sqlite'}",
        PROCOUNTOR_EXPORT_SECRET_KEY=key.decode(),
        PROCOUNTOR_BASE_URL=f"{EMULATOR_URL}/api",
        PROCOUNTOR_RATE_LIMIT=1000,
    )
    store = Store.open(settings.database_url)
    document = generate_document(30, seed=6, with_problems=True)
    assert import_document(store, document, box=box).accepted

    app = create_app(rate_limit=None)
    with TestClient(app, base_url=EMULATOR_URL) as http:
        summary = run_export(
            store,
            Scope(all=True),
            client_factory=ClientFactory(settings, http_client=http),
            box=box,
            options=ExportOptions(started_by="test"),
        )
    store.close()

    outcomes = {outcome.invoice: outcome for outcome in summary.outcomes}
    problem_numbers = {case.invoice_number for case in PROBLEM_CASES.values()}
    for name, (number, message) in PROBLEM_CASES.items():
        outcome = outcomes[number]
        assert outcome.state is JournalState.FAILED, name
        assert [OPTER.message(problem) for problem in outcome.problems] == [message], name
    clean = [o for number, o in outcomes.items() if number not in problem_numbers]
    assert clean
    assert all(outcome.state is JournalState.EXPORTED for outcome in clean), [
        (o.invoice, [OPTER.message(p) for p in o.problems]) for o in clean if o.problems
    ]
