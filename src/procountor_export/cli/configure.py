"""CLI commands for the export settings (the Opter article's steps 2-4).

``exports`` (step 2: the invoice export with its API key and PDF options), ``tax-codes`` (step 3:
TMS VAT code -> Procountor VAT status code), ``groups`` and ``customer-group`` (step 4: invoice
export settings and which customer uses which), ``terminology`` (the product group name), and
``settings show`` for all of it. Thin: the work is in ``store.export_settings``. API keys
are prompted with hidden input, stored encrypted and never printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from procountor_export.cli.common import fail, open_store, out, print_json, secret_box
from procountor_export.store import export_settings as es
from procountor_export.store.models import AfterCreate, ExportDefinition, ExportGroup
from procountor_export.store.secrets import SecretBox, SecretKeyError

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
ExportArgument = Annotated[str, typer.Argument(help='Export name, e.g. "Procountor (API)".')]

settings_app = typer.Typer(no_args_is_help=True, help="All export settings at a glance.")
exports_app = typer.Typer(
    no_args_is_help=True, help="Invoice exports: the Procountor API key and PDF options."
)
tax_codes_app = typer.Typer(
    no_args_is_help=True, help="Tax rate codes: TMS VAT code -> Procountor VAT status code."
)
groups_app = typer.Typer(
    no_args_is_help=True, help="Invoice export settings: groups of exports, one the default."
)
customer_group_app = typer.Typer(
    no_args_is_help=True, help="Which invoice export setting (group) a customer uses."
)
terminology_app = typer.Typer(no_args_is_help=True, help="Terminology, e.g. the product group.")


@contextmanager
def _settings_session() -> Iterator[Session]:
    """A session on the configured store; a settings error ends the command with its message."""
    store = open_store()
    try:
        with store.session() as session:
            yield session
    except (es.SettingsError, SecretKeyError) as exc:
        fail(str(exc))
    finally:
        store.close()


def _export_json(export: ExportDefinition, groups: list[ExportGroup]) -> dict[str, Any]:
    return {
        "name": export.name,
        "type": export.type,
        "encoding": export.encoding,
        "password": es.password_state(export),
        "include_pdf": export.include_pdf,
        "reduce_pdf": export.reduce_pdf,
        "after_create": AfterCreate(export.after_create).value,
        "tax_rate_codes": {row.vat_code: row.status_code for row in export.tax_rate_codes},
        "groups": [group.name for group in groups if export in group.exports],
    }


def _group_json(group: ExportGroup, customers: int) -> dict[str, Any]:
    return {
        "name": group.name,
        "default": group.is_default,
        "exports": [export.name for export in group.exports],
        "customers": customers,
    }


def _print_exports(exports: list[dict[str, Any]]) -> None:
    """One block per export (a table would wrap the password state out of sight)."""
    if not exports:
        out.print("No invoice exports yet: procountor-export exports set NAME --password")
    for row in exports:
        codes = ", ".join(f"{vat} -> {status}" for vat, status in row["tax_rate_codes"].items())
        lines = [
            f"[bold]{escape(row['name'])}[/bold]",
            f"  type: {row['type']}, encoding: {row['encoding']}",
            f"  password: {row['password']}",
            f"  include PDF: {_yes(row['include_pdf'])}, reduce PDF: {_yes(row['reduce_pdf'])}, "
            f"after create: {row['after_create']}",
            f"  tax rate codes: {codes or '(none)'}",
            f"  in groups: {', '.join(row['groups']) or '(none)'}",
        ]
        # Only the name is markup (escaped); the values are printed as they are.
        out.print(lines[0], highlight=False)
        out.print("\n".join(lines[1:]), highlight=False, markup=False, soft_wrap=True)


def _groups_table(groups: list[dict[str, Any]]) -> Table:
    table = Table("group", "default", "exports", "customers with this group")
    table.title = "Invoice export settings (groups)"
    for row in groups:
        exports = ", ".join(row["exports"]) or "(none)"
        table.add_row(
            escape(row["name"]), _yes(row["default"]), escape(exports), str(row["customers"])
        )
    return table


def _terms_table(terms: list[dict[str, Any]]) -> Table:
    table = Table("key", "value", "default")
    table.title = "Terminology"
    for row in terms:
        default = "(default)" if row["is_default"] else f"default: {row['default'] or '-'}"
        table.add_row(escape(row["key"]), escape(row["value"]), escape(default))
    return table


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _group_rows(session: Session) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for _, group in es.customer_groups(session):
        counts[group] = counts.get(group, 0) + 1
    return [_group_json(group, counts.get(group.name, 0)) for group in es.list_groups(session)]


def _term_rows(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "value": value,
            "default": es.TERMINOLOGY_DEFAULTS.get(key),
            "is_default": is_default,
        }
        for key, (value, is_default) in es.list_terminology(session).items()
    ]


# --- settings show -------------------------------------------------------------------------------


@settings_app.command("show")
def settings_show(json_output: JsonOption = False) -> None:
    """Show every export, its tax rate codes, the groups, customer overrides and terminology."""
    with _settings_session() as session:
        groups = es.list_groups(session)
        exports = [_export_json(export, groups) for export in es.list_exports(session)]
        group_rows = _group_rows(session)
        overrides = len(es.customer_groups(session))
        terms = _term_rows(session)
    if json_output:
        print_json(
            {
                "exports": exports,
                "groups": group_rows,
                "customer_group_overrides": overrides,
                "terminology": terms,
            }
        )
        return
    _print_exports(exports)
    out.print(_groups_table(group_rows))
    out.print(
        f"Customers with their own export setting: {overrides}", highlight=False, markup=False
    )
    out.print(_terms_table(terms))


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
) -> None:
    """Create or change an invoice export (step 2 of the article)."""
    if password and password_env:
        fail(f"Export {name!r}: give either --password or --password-env, not both")
    key: str | None = None
    box: SecretBox | None = None
    if password:
        try:
            box = secret_box()
        except SecretKeyError as exc:
            fail(f"Export {name!r}: the password cannot be stored: {exc}")
        key = typer.prompt("Procountor API key", hide_input=True, confirmation_prompt=True)
    with _settings_session() as session:
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
        )
    out.print(f"Export {name!r}: {status}", highlight=False, markup=False)


@exports_app.command("list")
def exports_list(json_output: JsonOption = False) -> None:
    """List the invoice exports (the password only as set / from $VAR / missing)."""
    with _settings_session() as session:
        groups = es.list_groups(session)
        exports = [_export_json(export, groups) for export in es.list_exports(session)]
    if json_output:
        print_json(exports)
    else:
        _print_exports(exports)


@exports_app.command("remove")
def exports_remove(name: ExportArgument) -> None:
    """Remove an invoice export with its tax rate codes (not once invoices went through it)."""
    with _settings_session() as session:
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
    with _settings_session() as session:
        es.set_tax_rate_code(session, es.require_export(session, export), vat_code, status_code)
    out.print(f"Export {export!r}: {vat_code} -> {status_code}", highlight=False, markup=False)


@tax_codes_app.command("remove")
def tax_codes_remove(
    export: ExportArgument,
    vat_code: Annotated[str, typer.Argument(help="The TMS VAT code to remove.")],
) -> None:
    """Remove one TMS VAT code's status code."""
    with _settings_session() as session:
        es.set_tax_rate_code(session, es.require_export(session, export), vat_code, None)
    out.print(f"Export {export!r}: {vat_code} removed", highlight=False, markup=False)


@tax_codes_app.command("list")
def tax_codes_list(export: ExportArgument, json_output: JsonOption = False) -> None:
    """List an export's tax rate codes."""
    with _settings_session() as session:
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


# --- groups --------------------------------------------------------------------------------------


@groups_app.command("set")
def groups_set(
    name: Annotated[str, typer.Argument(help='Group name, e.g. "Procountor (API)".')],
    exports: Annotated[
        list[str], typer.Option("--export", help="An export in the group (repeat for more).")
    ],
    default: Annotated[
        bool | None,
        typer.Option("--default/--no-default", help="Make it the default group (or not)."),
    ] = None,
) -> None:
    """Create or change an invoice export setting: exactly these exports (step 4)."""
    with _settings_session() as session:
        existing = es.get_group(session, name)
        if default is None:
            default = existing.is_default if existing else False
        _, status = es.upsert_export_group(session, name=name, exports=exports, default=default)
    suffix = " (the default)" if default else ""
    out.print(f"Export group {name!r}: {status}{suffix}", highlight=False, markup=False)


@groups_app.command("list")
def groups_list(json_output: JsonOption = False) -> None:
    """List the invoice export settings (groups), the default marked."""
    with _settings_session() as session:
        rows = _group_rows(session)
    if json_output:
        print_json(rows)
    else:
        out.print(_groups_table(rows))


@groups_app.command("remove")
def groups_remove(name: Annotated[str, typer.Argument(help="Group name.")]) -> None:
    """Remove a group; customers that used it fall back to the default group."""
    with _settings_session() as session:
        moved = es.remove_group(session, name)
    out.print(
        f"Export group {name!r}: removed ({moved} customers now use the default)", markup=False
    )


# --- customer groups -----------------------------------------------------------------------------

CustomerArgument = Annotated[str, typer.Argument(help="The TMS customer code.")]


@customer_group_app.command("set")
def customer_group_set(
    code: CustomerArgument,
    group: Annotated[str, typer.Argument(help="The invoice export setting (group) to use.")],
) -> None:
    """Make a customer use a particular invoice export setting (group)."""
    with _settings_session() as session:
        es.set_customer_group(session, code, group)
    out.print(f"Customer {code!r}: export setting {group!r}", highlight=False, markup=False)


@customer_group_app.command("clear")
def customer_group_clear(code: CustomerArgument) -> None:
    """Make a customer use the default invoice export setting again."""
    with _settings_session() as session:
        es.set_customer_group(session, code, None)
    out.print(f"Customer {code!r}: default export setting", highlight=False, markup=False)


@customer_group_app.command("list")
def customer_group_list(json_output: JsonOption = False) -> None:
    """List the customers that have their own invoice export setting."""
    with _settings_session() as session:
        rows = es.customer_groups(session)
    if json_output:
        print_json(dict(rows))
        return
    table = Table("customer", "export setting (group)")
    for code, group in rows:
        table.add_row(escape(code), escape(group))
    out.print(table)


# --- terminology ---------------------------------------------------------------------------------


@terminology_app.command("set")
def terminology_set(
    key: Annotated[str, typer.Argument(help=f"The term, e.g. {es.PRODUCT_GROUP_TERM}.")],
    value: Annotated[str, typer.Argument(help="Its value.")],
) -> None:
    """Set a term, e.g. the Procountor product group of the posting products."""
    with _settings_session() as session:
        status = es.set_terminology(session, key, value)
    out.print(f"Terminology {key}: {status}", highlight=False, markup=False)


@terminology_app.command("list")
def terminology_list(json_output: JsonOption = False) -> None:
    """List the terms with their values and defaults."""
    with _settings_session() as session:
        terms = _term_rows(session)
    if json_output:
        print_json(terms)
    else:
        out.print(_terms_table(terms))


def register(app: typer.Typer) -> None:
    """Add this part's command groups to ``app``."""
    app.add_typer(settings_app, name="settings")
    app.add_typer(exports_app, name="exports")
    app.add_typer(tax_codes_app, name="tax-codes")
    app.add_typer(groups_app, name="groups")
    app.add_typer(customer_group_app, name="customer-group")
    app.add_typer(terminology_app, name="terminology")
