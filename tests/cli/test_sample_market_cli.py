"""``generate-sample --market``: a document for a Swedish, Norwegian or Danish company."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from procountor_export.cli import app


def test_a_swedish_sample_is_in_swedish_crowns() -> None:
    result = CliRunner().invoke(app, ["generate-sample", "--invoices", "3", "--market", "se"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {invoice["currency"] for invoice in document["invoices"]} == {"SEK"}


def test_an_unknown_market_and_finnish_problems_elsewhere_are_refused() -> None:
    unknown = CliRunner().invoke(app, ["generate-sample", "--market", "xx"])
    assert unknown.exit_code != 0
    assert "unknown market 'xx': expected one of fi, se, no, dk" in " ".join(unknown.output.split())
    problems = CliRunner().invoke(app, ["generate-sample", "--market", "no", "--with-problems"])
    assert problems.exit_code != 0
    assert "use it with --market fi" in " ".join(problems.output.split())
