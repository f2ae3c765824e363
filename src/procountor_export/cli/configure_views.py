"""What the export settings' commands share: the settings session, options, JSON shapes and
the tables they print (:mod:`.configure` and :mod:`.configure_groups`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from procountor_export.cli.common import fail, open_store, out
from procountor_export.store import export_settings as es
from procountor_export.store.models import AfterCreate, ExportDefinition, ExportGroup
from procountor_export.store.secrets import SecretKeyError

JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
ExportArgument = Annotated[str, typer.Argument(help='Export name, e.g. "Procountor (API)".')]


@contextmanager
def settings_session() -> Iterator[Session]:
    """A session on the configured store; a settings error ends the command with its message."""
    store = open_store()
    try:
        with store.session() as session:
            yield session
    except (es.SettingsError, SecretKeyError) as exc:
        fail(str(exc))
    finally:
        store.close()


def export_json(export: ExportDefinition, groups: list[ExportGroup]) -> dict[str, Any]:
    return {
        "name": export.name,
        "type": export.type,
        "encoding": export.encoding,
        "password": es.password_state(export),
        "include_pdf": export.include_pdf,
        "reduce_pdf": export.reduce_pdf,
        "after_create": AfterCreate(export.after_create).value,
        "factoring_contract": export.factoring_contract,
        "factoring_text": export.factoring_text,
        "customer_updates": export.customer_updates or es.DEFAULT_CUSTOMER_UPDATES,
        "tax_rate_codes": {row.vat_code: row.status_code for row in export.tax_rate_codes},
        "groups": [group.name for group in groups if export in group.exports],
    }


def group_json(group: ExportGroup, customers: int) -> dict[str, Any]:
    return {
        "name": group.name,
        "default": group.is_default,
        "exports": [export.name for export in group.exports],
        "customers": customers,
    }


def print_exports(exports: list[dict[str, Any]]) -> None:
    """One block per export (a table would wrap the password state out of sight)."""
    if not exports:
        out.print("No invoice exports yet: procountor-export exports set NAME --password")
    for row in exports:
        codes = ", ".join(f"{vat} -> {status}" for vat, status in row["tax_rate_codes"].items())
        lines = [
            f"[bold]{escape(row['name'])}[/bold]",
            f"  type: {row['type']}, encoding: {row['encoding']}",
            f"  password: {row['password']}",
            f"  include PDF: {yes(row['include_pdf'])}, reduce PDF: {yes(row['reduce_pdf'])}, "
            f"after create: {row['after_create']}",
            f"  factoring contract: {row['factoring_contract'] or '(none)'}"
            + (f" ({row['factoring_text']})" if row["factoring_text"] else "")
            + f", customer updates: {row['customer_updates']}",
            f"  tax rate codes: {codes or '(none)'}",
            f"  in groups: {', '.join(row['groups']) or '(none)'}",
        ]
        # Only the name is markup (escaped); the values are printed as they are.
        out.print(lines[0], highlight=False)
        out.print("\n".join(lines[1:]), highlight=False, markup=False, soft_wrap=True)


def groups_table(groups: list[dict[str, Any]]) -> Table:
    table = Table("group", "default", "exports", "customers with this group")
    table.title = "Invoice export settings (groups)"
    for row in groups:
        exports = ", ".join(row["exports"]) or "(none)"
        table.add_row(
            escape(row["name"]), yes(row["default"]), escape(exports), str(row["customers"])
        )
    return table


def terms_table(terms: list[dict[str, Any]]) -> Table:
    table = Table("key", "value", "default")
    table.title = "Terminology"
    for row in terms:
        default = "(default)" if row["is_default"] else f"default: {row['default'] or '-'}"
        table.add_row(escape(row["key"]), escape(row["value"]), escape(default))
    return table


def yes(value: bool) -> str:
    return "yes" if value else "no"


def group_rows(session: Session) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for _, group in es.customer_groups(session):
        counts[group] = counts.get(group, 0) + 1
    return [group_json(group, counts.get(group.name, 0)) for group in es.list_groups(session)]


def term_rows(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "value": value,
            "default": es.TERMINOLOGY_DEFAULTS.get(key),
            "is_default": is_default,
        }
        for key, (value, is_default) in es.list_terminology(session).items()
    ]
