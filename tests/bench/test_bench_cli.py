"""``procountor-export bench``: one small run prints every figure the issue names, sane values.

Never a timing: the machine running the tests decides those.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from procountor_export.cli import app

SMALL = ["bench", "--json", "--invoices", "12", "--companies", "2", "--no-pdf"]
KEYS = {
    "invoices",
    "api_calls",
    "calls_per_invoice_cold",
    "calls_per_invoice_warm",
    "invoices_per_second",
    "rate_limit_share",
    "http_429",
    "peak_rss_mb",
}


def test_bench_json_has_the_figures_with_sane_values() -> None:
    result = CliRunner().invoke(
        app,
        # A higher limit than Procountor's keeps the test short; the figures are the same kind.
        [*SMALL, "--limit", "80", "--rate", "60"],
        env={"PROCOUNTOR_LIMITER_URL": ""},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= KEYS
    assert data["invoices"] == 24  # 12 cold + 12 warm
    assert data["failed"] == 0
    assert data["http_429"] == 0
    assert data["api_calls"] > data["invoices"]
    # Warm, every customer and product exists: the invoice POST plus shared reads only.
    assert 1 <= data["calls_per_invoice_warm"] < data["calls_per_invoice_cold"]
    assert data["invoices_per_second"] > 0
    assert 0 < data["rate_limit_share"] <= 1.5
    assert data["peak_rss_mb"] > 0
    cold, warm = data["runs"]
    assert cold["created"]["customers"] > 0
    assert not any(warm["created"].values())
    assert set(cold["company_finished_s"]) == {"Bench company 1", "Bench company 2"}
    assert warm["latency_ms"]["POST /invoices"]["count"] == 12
    assert (
        warm["latency_ms"]["POST /invoices"]["p95"] >= warm["latency_ms"]["POST /invoices"]["p50"]
    )
