"""CLI commands for the export settings (the Opter article's steps 2-4).

``exports`` (step 2: the invoice export with its API key and PDF options), ``tax-codes`` (step 3:
TMS VAT code -> Procountor VAT status code), ``groups`` and ``customer-group`` (step 4: invoice
export settings and which customer uses which), ``terminology`` (the product group name), and
``settings show`` for all of it. Thin: the work is in ``store.export_settings``. API keys
are prompted with hidden input, stored encrypted and never printed. The groups, customer groups
and terminology commands are in :mod:`.configure_groups`; what the commands share (session,
JSON shapes, tables) in :mod:`.configure_views`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from procountor_export.cli.common import fail, out, print_json, secret_box
from procountor_export.cli.configure_groups import customer_group_app, groups_app, terminology_app
from procountor_export.cli.configure_views import (
    ExportArgument,
    JsonOption,
    export_json,
    group_rows,
    groups_table,
    print_exports,
    settings_session,
    term_rows,
    terms_table,
)
from procountor_export.store import export_settings as es
from procountor_export.store.models import AfterCreate, CustomerUpdates
from procountor_export.store.secrets import SecretBox, SecretKeyError

# ``settings`` alone shows the settings (``settings show``): a command group that only printed
# its help would make the user type the one subcommand there is to read them.
settings_app = typer.Typer(invoke_without_command=True, help="All export settings at a glance.")
exports_app = typer.Typer(
    no_args_is_help=True, help="Invoice exports: the Procountor API key and PDF options."
)
tax_codes_app = typer.Typer(
    no_args_is_help=True, help="Tax rate codes: TMS VAT code -> Procountor VAT status code."
)


# --- settings show -------------------------------------------------------------------------------


@settings_app.command("show")
def settings_show(json_output: JsonOption = False) -> None:
    """Show every export, its tax rate codes, the groups, customer overrides and terminology."""
    with settings_session() as session:
        groups = es.list_groups(session)
        exports = [export_json(export, groups) for export in es.list_exports(session)]
        groups_shown = group_rows(session)
        overrides = len(es.customer_groups(session))
        terms = term_rows(session)
    if json_output:
        print_json(
            {
                "exports": exports,
                "groups": groups_shown,
                "customer_group_overrides": overrides,
                "terminology": terms,
            }
        )
        return
    print_exports(exports)
    out.print(groups_table(groups_shown))
    out.print(
        f"Customers with their own export setting: {overrides}", highlight=False, markup=False
    )
    out.print(terms_table(terms))


@settings_app.callback()
def settings_default(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """All export settings at a glance: ``settings`` alone is ``settings show``."""
    if ctx.invoked_subcommand is None:
        settings_show(json_output)


# --- exports -------------------------------------------------------------------------------------


@exports_app.command("set")
def exports_set(
    name: ExportArgument,
    export_type: Annotated[
        str | None, typer.Option("--type", help="Export type (procountor-api).")
    ] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Encoding (UTF-8).")] = None,
    password_env: Annotated[
        str | None,
        typer.Option("--password-env", help="Read the API key from this environment variable."),
    ] = None,
    password: Annotated[
        bool,
        typer.Option(
            "--password", help="Prompt for the Procountor API key (hidden) and store it encrypted."
        ),
    ] = False,
    include_pdf: Annotated[
        bool | None,
        typer.Option("--include-pdf/--no-include-pdf", help="Attach the invoice as a PDF copy."),
    ] = None,
    reduce_pdf: Annotated[
        bool | None,
        typer.Option("--reduce-pdf/--no-reduce-pdf", help="Reduce the PDF file size."),
    ] = None,
    after_create: Annotated[
        AfterCreate | None,
        typer.Option(
            "--after-create",
            help="Leave the Procountor invoice unfinished, approve it, or approve and send it.",
        ),
    ] = None,
    factoring_contract: Annotated[
        str | None,
        typer.Option(
            "--factoring-contract",
            help="Finance the export's invoices through this Procountor factoring contract "
            "(its contract number).",
        ),
    ] = None,
    factoring_text: Annotated[
        str | None,
        typer.Option("--factoring-text", help="The text sent with the factoring contract."),
    ] = None,
    no_factoring: Annotated[
        bool,
        typer.Option("--no-factoring", help="Clear the factoring contract and its text."),
    ] = False,
    customer_updates: Annotated[
        CustomerUpdates | None,
        typer.Option(
            "--customer-updates",
            help="Create and update customers in Procountor (the article), only create missing "
            "ones, or neither (customers must exist).",
        ),
    ] = None,
) -> None:
    """Create or change an invoice export (step 2 of the article)."""
    if password and password_env:
        fail(f"Export {name!r}: give either --password or --password-env, not both")
    if no_factoring and (factoring_contract is not None or factoring_text is not None):
        fail(f"Export {name!r}: give either --no-factoring or a factoring contract, not both")
    if no_factoring:
        factoring_contract = factoring_text = ""
    key: str | None = None
    box: SecretBox | None = None
    if password:
        try:
            box = secret_box()
        except SecretKeyError as exc:
            fail(f"Export {name!r}: the password cannot be stored: {exc}")
        key = typer.prompt("Procountor API key", hide_input=True, confirmation_prompt=True)
    with settings_session() as session:
        existing = es.get_export(session, name)
        _, status = es.upsert_export_definition(
            session,
            name=name,
            type=export_type or (existing.type if existing else "procountor-api"),
            encoding=encoding or (existing.encoding if existing else "UTF-8"),
            password=key,
            password_env=password_env,
            include_pdf=include_pdf,
            reduce_pdf=reduce_pdf,
            after_create=after_create,
            box=box,
            factoring_contract=factoring_contract,
            factoring_text=factoring_text,
            customer_updates=customer_updates.value if customer_updates else None,
        )
    out.print(f"Export {name!r}: {status}", highlight=False, markup=False)


@exports_app.command("list")
def exports_list(json_output: JsonOption = False) -> None:
    """List the invoice exports (the password only as set / from $VAR / missing)."""
    with settings_session() as session:
        groups = es.list_groups(session)
        exports = [export_json(export, groups) for export in es.list_exports(session)]
    if json_output:
        print_json(exports)
    else:
        print_exports(exports)


@exports_app.command("remove")
def exports_remove(name: ExportArgument) -> None:
    """Remove an invoice export with its tax rate codes (not once invoices went through it)."""
    with settings_session() as session:
        es.remove_export(session, name)
    out.print(f"Export {name!r}: removed", highlight=False, markup=False)


# --- tax rate codes ------------------------------------------------------------------------------


@tax_codes_app.command("set")
def tax_codes_set(
    export: ExportArgument,
    vat_code: Annotated[str, typer.Argument(help="The TMS VAT code, e.g. ALV25.5.")],
    status_code: Annotated[str, typer.Argument(help="The Procountor VAT status code, e.g. vat_1.")],
) -> None:
    """Set the VAT status code for one TMS VAT code (step 3 of the article)."""
    with settings_session() as session:
        es.set_tax_rate_code(session, es.require_export(session, export), vat_code, status_code)
    out.print(f"Export {export!r}: {vat_code} -> {status_code}", highlight=False, markup=False)


@tax_codes_app.command("remove")
def tax_codes_remove(
    export: ExportArgument,
    vat_code: Annotated[str, typer.Argument(help="The TMS VAT code to remove.")],
) -> None:
    """Remove one TMS VAT code's status code."""
    with settings_session() as session:
        es.set_tax_rate_code(session, es.require_export(session, export), vat_code, None)
    out.print(f"Export {export!r}: {vat_code} removed", highlight=False, markup=False)


@tax_codes_app.command("list")
def tax_codes_list(export: ExportArgument, json_output: JsonOption = False) -> None:
    """List an export's tax rate codes."""
    with settings_session() as session:
        rows = [
            (row.vat_code, row.status_code)
            for row in es.require_export(session, export).tax_rate_codes
        ]
    if json_output:
        print_json(dict(rows))
        return
    table = Table("VAT code", "VAT status code")
    table.title = escape(f"Tax rate codes of {export}")
    for vat_code, status_code in rows:
        table.add_row(escape(vat_code), escape(status_code))
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add this part's command groups to ``app``."""
    app.add_typer(settings_app, name="settings")
    app.add_typer(exports_app, name="exports")
    app.add_typer(tax_codes_app, name="tax-codes")
    app.add_typer(groups_app, name="groups")
    app.add_typer(customer_group_app, name="customer-group")
    app.add_typer(terminology_app, name="terminology")
