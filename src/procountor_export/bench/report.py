"""The throughput benchmark's figures as a reader sees them: a text table, or one JSON object."""

from __future__ import annotations

import json

from procountor_export.bench.run import BenchResult


def render(result: BenchResult) -> str:
    """The figures as text for a terminal."""
    data = result.to_dict()
    config = result.config
    lines = [
        f"Export benchmark: {config.companies} compan{'y' if config.companies == 1 else 'ies'}, "
        f"{config.invoices} invoices per run, emulator over loopback with {config.latency_ms} ms "
        f"latency and {config.limit:g} requests/s per client id, client pacing "
        f"{result.rate:g} requests/s, {config.workers} sending threads",
    ]
    for run in result.runs:
        lines.append(
            f"  {run.label}: {run.invoices} exported, {run.failed} failed in {run.seconds:.1f} s "
            f"= {run.invoices_per_second:.2f} invoices/s; {run.api_calls} API calls = "
            f"{run.calls_per_invoice:.3f} per invoice; invoice phase "
            f"{run.invoice_phase_rate:.2f} calls/s ({run.invoice_phase_rate / result.rate:.1%} "
            f"of the pacing, {run.invoice_phase_rate / config.limit:.1%} of the limit); "
            f"{run.http_429} × 429; peak RSS {run.peak_rss_mb:.0f} MB"
        )
        lines.append(
            "    calls: "
            + ", ".join(f"{name} {count}" for name, count in sorted(run.calls.items(), key=_desc))
        )
        lines.append(
            "    latency p50/p95 ms: "
            + ", ".join(
                f"{name} {values['p50']:.0f}/{values['p95']:.0f}"
                for name, values in run.latency_ms.items()
            )
        )
        if len(run.finished_s) > 1:
            lines.append(
                "    companies finished after (s): "
                + ", ".join(f"{name} {value:.1f}" for name, value in run.finished_s.items())
            )
        if run.created:
            lines.append(f"    created: {run.created}")
    lines.append(
        f"  total: {data['invoices']} invoices, {data['api_calls']} API calls, "
        f"{data['invoices_per_second']} invoices/s, calls per invoice cold "
        f"{data['calls_per_invoice_cold']}, warm {data['calls_per_invoice_warm']}"
        + (
            f", warm with PDF {data['calls_per_invoice_warm_pdf']}"
            if data["calls_per_invoice_warm_pdf"] is not None
            else ""
        )
        + f"; rate-limit share {data['rate_limit_share']:.1%}, 429s at the emulator "
        f"{data['http_429']}, peak RSS {data['peak_rss_mb']} MB"
    )
    return "\n".join(lines)


def _desc(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def main_json(result: BenchResult) -> str:
    """The figures as one JSON object."""
    return json.dumps(result.to_dict(), indent=2)
