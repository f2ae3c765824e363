"""CLI commands of the procountor part: ``procountor-export procountor ping``."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from procountor_export.cli.common import err, fail, open_store, out, print_json, secret_box
from procountor_export.cli.common import settings as load_settings
from procountor_export.connection_check import check_connection
from procountor_export.procountor import ProcountorClient, limiter_from_url
from procountor_export.settings import Settings
from procountor_export.store import export_settings
from procountor_export.store.secrets import SecretBox, SecretKeyError

# Exit codes of ``ping``: 0 all well, 1 cannot connect or log in, 2 rights missing.
EXIT_FAILED = 1
EXIT_RIGHTS = 2

app = typer.Typer(no_args_is_help=True, help="Talk to Procountor: connection test.")


def register(parent: typer.Typer) -> None:
    """Add this part's commands to ``parent``."""
    parent.add_typer(app, name="procountor")


@app.command()
def ping(
    export: Annotated[
        str | None,
        typer.Option("--export", help="Use the API key of this export definition."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Test the connection: log in, show the company and check the API user's rights.

    Uses PROCOUNTOR_BASE_URL, PROCOUNTOR_CLIENT_ID, PROCOUNTOR_CLIENT_SECRET and
    PROCOUNTOR_API_KEY (or the key of --export NAME). Exit code 0 when everything is in place,
    1 when the connection or login fails, 2 when rights are missing.
    """
    config = load_settings()
    api_key = _api_key(config, export)
    for name, value in (
        ("PROCOUNTOR_BASE_URL", config.base_url),
        ("PROCOUNTOR_CLIENT_ID", config.client_id),
        ("PROCOUNTOR_CLIENT_SECRET", config.client_secret.get_secret_value()),
    ):
        if not value.strip():
            fail(f"{name} is not set.")
    try:
        limiter = limiter_from_url(config.limiter_url, config.client_id, config.rate_limit)
    except Exception as exc:  # a bad limiter URL or an unreachable Redis/PostgreSQL
        fail(f"The limiter at PROCOUNTOR_LIMITER_URL cannot be used: {exc}")
    client = ProcountorClient(
        base_url=config.base_url,
        client_id=config.client_id,
        client_secret=config.client_secret,
        api_key=api_key,
        limiter=limiter,
        timeout=config.timeout,
        retry_attempts=2,
        retry_timeout=min(config.timeout * 2, 30.0),
    )
    with client:
        result = _check(client, config.base_url)
    _report(result, as_json)


def _api_key(config: Settings, export: str | None) -> str:
    """The API key: the named export definition's (the export engine's lookup,
    :func:`~procountor_export.store.export_definitions.api_key`), else PROCOUNTOR_API_KEY."""
    if export is None:
        if config.api_key is None or not config.api_key.get_secret_value():
            fail("PROCOUNTOR_API_KEY is not set (or use --export NAME to use an export's key).")
        return config.api_key.get_secret_value()
    try:
        box: SecretBox | None = secret_box(config)
    except SecretKeyError:
        box = None  # exports whose key comes from an environment variable still work
    store = open_store(config)
    try:
        with store.session() as session:
            try:  # the same look-up and words as the web's connection test
                definition = export_settings.require_export(session, export)
                return export_settings.api_key(definition, box).get_secret_value()
            except export_settings.SettingsError as exc:
                fail(str(exc))
    finally:
        store.close()


def _check(client: ProcountorClient, base_url: str) -> dict[str, Any]:
    """Log in and read session, company and rights; a dict for printing, ``error`` on failure."""
    report = check_connection(client, base_url)
    result: dict[str, Any] = {"ok": report.ok, "base_url": base_url}
    if report.error is not None:
        result["error"] = report.error
        result["reached"] = report.reached
        return result
    result["session"] = {
        "company_id": report.session_company_id,
        "user_id": report.user_id,
        "user_name": report.user,
    }
    result["company"] = {
        "id": report.company_id,
        "name": report.company,
        "currency": report.currency,
        "business_id": report.business_id,
        "country": report.country,
    }
    result["rights"] = [
        {"right": path, "level": level, "ok": ok} for path, level, ok in report.rights
    ]
    result["missing"] = report.missing
    return result


def _report(result: dict[str, Any], as_json: bool) -> None:
    """Print ``result`` and leave with the matching exit code."""
    if as_json:
        print_json(result)
    elif "error" not in result:
        company = result["company"]
        out.print(f"Connected to {result['base_url']}", highlight=False)
        out.print(
            f"Company: {company['name']} (id {company['id']}, business ID "
            f"{company['business_id'] or '-'}), currency {company['currency']}",
            highlight=False,
        )
        table = Table("Right", "Level", "OK", title="API user rights")
        for row in result["rights"]:
            table.add_row(row["right"], row["level"] or "(none)", "yes" if row["ok"] else "NO")
        out.print(table)
    if "error" in result:
        if as_json:
            raise typer.Exit(EXIT_FAILED)
        fail(result["error"], EXIT_FAILED)
    if result["missing"]:
        message = "The API user lacks these rights (ALL_RIGHTS needed): " + ", ".join(
            result["missing"]
        )
        if not as_json:
            err.print(f"[red]Error:[/red] {message}", highlight=False)
        raise typer.Exit(EXIT_RIGHTS)
