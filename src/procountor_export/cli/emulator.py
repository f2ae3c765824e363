"""CLI commands of the emulator part: ``procountor-export emulator``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from procountor_export.cli.common import err, fail, out


def register(app: typer.Typer) -> None:
    """Add this part's commands to ``app``."""
    app.command("emulator")(emulator)


def emulator(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 8765,
    seed: Annotated[
        Path | None, typer.Option(help="Seed file (JSON); default: the demo company.")
    ] = None,
    market: Annotated[
        str | None,
        typer.Option(
            "--market",
            help="The demo company of a Procountor market: fi, se, no or dk (default fi).",
        ),
    ] = None,
    rate_limit: Annotated[
        float | None,
        typer.Option("--rate-limit", help="Requests/second per client id; 0 = off (default 20)."),
    ] = None,
    latency_ms: Annotated[
        int | None, typer.Option("--latency-ms", help="Extra delay of every API call.")
    ] = None,
    state_file: Annotated[
        Path | None,
        typer.Option("--state-file", help="Keep the state in this file across restarts."),
    ] = None,
    token_lifetime: Annotated[
        int | None, typer.Option("--token-lifetime", help="Access token lifetime in seconds.")
    ] = None,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient",
            help="Ignore request body fields the API spec does not define (default: 400).",
        ),
    ] = False,
    empty_search_404: Annotated[
        bool,
        typer.Option(
            "--empty-search-404",
            help="GET /invoices without a match answers 404 instead of an empty page.",
        ),
    ] = False,
    allow_inactive_items: Annotated[
        bool,
        typer.Option(
            "--allow-inactive-items",
            help="Accept inactive dimension items in ledger receipts and product defaults.",
        ),
    ] = False,
    billing_from_counterparty: Annotated[
        bool,
        typer.Option(
            "--billing-from-counterparty",
            help="Take an e-invoice's omitted billingAddress as the counterparty's address "
            "(default: 400).",
        ),
    ] = False,
) -> None:
    """Run the offline Procountor API emulator.

    Default credentials: client id demo-client, client secret demo-secret, API key
    demo-api-key (a seed file can change them). The base URL is printed on start.
    Without a flag each reading is the seed's ("readings"); a flag overrides it.
    """
    from procountor_export.emulator import create_app, default_seed, load_seed, market_seed
    from procountor_export.emulator.server import serve

    if seed and market:
        fail("--seed and --market exclude each other: a seed file names its own market.")
    try:
        loaded = load_seed(seed) if seed else market_seed(market) if market else default_seed()
    except (OSError, ValueError, ValidationError) as exc:
        fail(f"cannot read the seed {seed}: {exc}" if seed else str(exc))
    if rate_limit is not None:
        loaded.limits.rate_limit = rate_limit or None
    app = create_app(
        loaded,
        latency_ms=latency_ms,
        token_lifetime=token_lifetime,
        state_file=state_file,
        lenient=True if lenient else None,
        empty_search_404=True if empty_search_404 else None,
        refuse_inactive_items=False if allow_inactive_items else None,
        billing_from_counterparty=True if billing_from_counterparty else None,
    )
    client = loaded.clients[0]
    company = loaded.companies[0]

    def announce(url: str) -> None:
        out.print(url, highlight=False)
        err.print(
            f"Procountor emulator ready: client id {client.client_id}, API key "
            f"{company.api_key}; admin at {url.removesuffix('/api')}/_emulator/state",
            highlight=False,
        )

    serve(app, host, port, announce)
