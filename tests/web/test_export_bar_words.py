"""What the export bar, its errors pop-up, the Invoice page and the Log page say (issue 21):
counts in words ("1 invoice", never "1 invoices"), every attempt counted, the journal's states
and steps in words, the errors of the run the bar shows, the event log newest line first."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path

from rich.console import Console
from sqlalchemy import select
from starlette.testclient import TestClient
from webrig import Served  # type: ignore[import-not-found]

from procountor_export.cli.render import print_summary
from procountor_export.export import messages as m
from procountor_export.export.messages import Messages
from procountor_export.export.problems import Problem
from procountor_export.export.reading.scope import Scope
from procountor_export.export.reporting.progress import RunSummary
from procountor_export.jobs.runs import RunView
from procountor_export.plurals import plural
from procountor_export.samples.generator import generate_document
from procountor_export.store import export_settings as es
from procountor_export.store.models import Invoice, JournalEntry, JournalState
from procountor_export.web import runbar
from procountor_export.web.reports import LOG_LINES, log_tail
from procountor_export.web.words import STATE_WORDS, state_words, step_words

FAILING = "990007"  # the sample's invoice whose VAT code ALV10 has no VAT status code yet


def _load(client: TestClient, served: Served) -> None:
    body = json.dumps(generate_document(2, seed=3, with_problems=True))
    answer = client.post("/api/v1/documents", content=body, headers=served.auth)
    assert answer.status_code == 200, answer.text


def _export(served: Served, *numbers: str) -> int:
    """Export ``numbers`` as the window does (in the background) and wait for the end."""
    run_id: int = served.app.state.web.jobs.start_export(Scope.of((), numbers), "web:test")
    served.wait()
    return run_id


def _clean_number(served: Served) -> str:
    with served.store.session() as session:
        numbers = session.scalars(select(Invoice.number).order_by(Invoice.number)).all()
    return next(n for n in numbers if not n.startswith("99"))


def _text(page: str) -> str:
    """What the reader sees: the page without its tags and attributes."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_counts_are_said_in_words() -> None:
    assert [plural(n, "invoice") for n in (0, 1, 2)] == ["0 invoices", "1 invoice", "2 invoices"]
    assert plural(2, "entry", "entries") == "2 entries"
    assert state_words(JournalState.INFLIGHT) == STATE_WORDS["INFLIGHT"] != "INFLIGHT"
    assert step_words("attach_pdf") == "attaching the PDF copy"
    assert step_words("a_new_step") == "a new step"  # never hidden, only not translated


def test_one_invoice_is_one_invoice_in_the_bar_and_the_pop_up(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    good = _export(served, _clean_number(served))
    page = _flat(_text(client.get(f"/invoices?run={good}").text))
    assert "1 invoice to export, 1 exported" in page
    bar = client.get(f"/runs/{good}/progress").json()
    assert bar["counts_text"] == "1 invoice to export, 1 exported"
    assert (bar["percent"], bar["colour"]) == (100, "ok")

    bad = _export(served, FAILING)
    bar = client.get(f"/runs/{bad}/progress").json()
    assert bar["counts_text"] == "1 invoice to export, 0 exported, 1 failed"
    assert bar["state_text"].startswith(f"Run {bad}: the export failed for 1 of 1 invoice.")
    assert bar["errors_title"] == f"Run {bad}: 1 invoice failed"
    page = _flat(_text(client.get(f"/invoices?run={bad}").text))
    assert f"Run {bad}: 1 invoice failed" in page  # the pop-up's title
    for text in (page, _flat(_text(client.get("/log").text))):
        assert not re.search(r"\b1 (invoices|attempts|lines)\b", text)
        assert "(s)" not in text


def test_the_pop_up_holds_the_errors_of_the_run_the_bar_shows(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    assert client.get("/runs/latest/progress").json() == {"id": None}
    assert 'data-latest="true"' in client.get("/invoices").text
    _export(served, _clean_number(served))
    failed = _export(served, FAILING)

    # The bar without ?run= shows the newest run: the failed one, with its errors.
    latest = client.get("/runs/latest/progress").json()
    assert (latest["id"], latest["state"]) == (failed, "failed")
    [error] = latest["errors"]
    assert error["invoice"] == FAILING
    assert "No VAT status code for VAT code ALV10" in error["message"]
    assert error["remedy"]
    page = client.get("/invoices").text
    assert f'data-run="{failed}"' in page
    dialog = _flat(_text(page[page.index('<dialog id="errors"') :]))
    assert f"{FAILING} Procountor (API) No VAT status code for VAT code ALV10" in dialog
    assert error["remedy"] in dialog
    # A page opened on another run says so: app.js then follows that run, not the newest.
    assert 'data-latest="false"' in client.get(f"/invoices?run={failed}").text


def test_every_attempt_is_counted_and_the_journal_is_said_in_words(
    client: TestClient, served: Served
) -> None:
    _load(client, served)
    _export(served, FAILING)
    _export(served, FAILING)  # still no VAT status code for ALV10: fails again
    with served.store.session() as session:
        export = es.require_export(session, "Procountor (API)")
        es.set_tax_rate_code(session, export, "ALV10", "vat_1")
    last = _export(served, FAILING)
    assert client.get(f"/runs/{last}/progress").json()["state"] == "succeeded"

    with served.store.session() as session:
        attempts = session.scalars(
            select(JournalEntry.attempts).join(Invoice).where(Invoice.number == FAILING)
        ).one()
    assert attempts == 3  # two failures and a success
    page = _flat(_text(client.get(f"/invoices/{FAILING}").text))
    assert "3 attempts" in page
    assert "attempt(s)" not in page
    assert "attaching the PDF copy" in page
    assert "creating the invoice in Procountor" in page
    jargon_words = ("INFLIGHT", "EXPORTED", "FAILED", "attach_pdf", "create_invoice")
    for jargon in jargon_words:
        assert not re.search(rf"\b{jargon}\b", page), jargon


def _run(**counts: int | str | None) -> RunView:
    values: dict[str, object] = {"to_export": 0, "exported": 0, "failed": 0, "skipped": 0}
    values.update(counts)
    return RunView(
        id=7,
        scope={"all": True},
        started_by="cli:test",
        started_at=datetime(2026, 12, 7, 10, 0),
        finished_at=datetime(2026, 12, 7, 10, 1),
        dry_run=False,
        problem=None,
        **values,  # type: ignore[arg-type]
    )


def test_a_run_that_failed_before_any_invoice_says_so_not_0_of_0() -> None:
    messages = Messages()
    nothing = _run(outcome="failed")
    assert runbar.state_text(nothing, messages) == (
        "Run 7: the export failed before any invoice was sent."
    )
    assert runbar.counts_text(nothing) == "0 invoices to export, 0 exported"
    some = _run(outcome="failed", to_export=3, exported=1, failed=2)
    assert runbar.state_text(some, messages) == "Run 7: the export failed for 2 of 3 invoices."
    done = _run(outcome="succeeded", skipped=4)
    assert "every invoice had been exported already" in runbar.state_text(done, messages)

    console = Console(width=200, record=True)
    # Stopped before any invoice was tried (Procountor refused the API key, say).
    summary = RunSummary(run_id=7, fatal=Problem.of(m.API_CALL, detail="401 Unauthorized"))
    print_summary(console, summary, messages)
    said = console.export_text()
    assert "The export failed before any invoice was sent" in said, said
    assert "0 of 0" not in said


def test_the_log_page_shows_the_newest_line_first_and_long_lines_whole_but_bounded(
    client: TestClient, served: Served, tmp_path: Path
) -> None:
    log = tmp_path / "export.log"
    long_line = "2026-12-07 procountor answered " + "x" * 20_000
    lines = [f"2026-12-07 line {n:03d}" for n in range(1, 301)]
    lines[-2] = long_line
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    context = served.app.state.web
    context.settings = context.settings.model_copy(update={"log_file": log})

    page = client.get("/log").text
    shown = re.findall(r"<li>(.*?)</li>", page[page.index('<ol class="log"') :], re.S)
    assert len(shown) == LOG_LINES
    assert shown[0] == "2026-12-07 line 300"  # the newest first
    assert shown[1].startswith("2026-12-07 procountor answered xxx")
    assert shown[1].endswith("more characters)")  # cut, and says so
    assert len(shown[1]) < 5_000
    assert shown[-1] == f"2026-12-07 line {300 - LOG_LINES + 1:03d}"
    assert f"The last {LOG_LINES} lines of {log}, newest first." in page

    # However big the file, only its end is read; a line the window begins in is left out.
    assert log_tail(log, lines=5, window=60) == ["2026-12-07 line 300"]
    newest, cut = log_tail(log, lines=2, window=100_000, width=40)
    assert newest == "2026-12-07 line 300"
    assert cut == long_line[:40] + f" … ({len(long_line) - 40:,} more characters)"
