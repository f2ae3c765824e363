"""CLI commands for the export groups (step 4 of the Opter article: the invoice export settings
and which customer uses which) and the terminology (the product group name). Thin: the work is
in ``store.export_settings``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from procountor_export.cli.common import out, print_json
from procountor_export.cli.configure_views import (
    JsonOption,
    group_rows,
    groups_table,
    settings_session,
    term_rows,
    terms_table,
)
from procountor_export.plurals import plural
from procountor_export.store import export_settings as es

groups_app = typer.Typer(
    no_args_is_help=True, help="Invoice export settings: groups of exports, one the default."
)
customer_group_app = typer.Typer(
    no_args_is_help=True, help="Which invoice export setting (group) a customer uses."
)
terminology_app = typer.Typer(no_args_is_help=True, help="Terminology, e.g. the product group.")


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
    with settings_session() as session:
        existing = es.get_group(session, name)
        if default is None:
            default = existing.is_default if existing else False
        _, status = es.upsert_export_group(session, name=name, exports=exports, default=default)
    suffix = " (the default)" if default else ""
    out.print(f"Export group {name!r}: {status}{suffix}", highlight=False, markup=False)


@groups_app.command("list")
def groups_list(json_output: JsonOption = False) -> None:
    """List the invoice export settings (groups), the default marked."""
    with settings_session() as session:
        rows = group_rows(session)
    if json_output:
        print_json(rows)
    else:
        out.print(groups_table(rows))


@groups_app.command("remove")
def groups_remove(name: Annotated[str, typer.Argument(help="Group name.")]) -> None:
    """Remove a group; customers that used it fall back to the default group."""
    with settings_session() as session:
        moved = es.remove_group(session, name)
    out.print(
        f"Export group {name!r}: removed ({plural(moved, 'customer')} now "
        f"{'uses' if moved == 1 else 'use'} the default)",
        markup=False,
    )


# --- customer groups -----------------------------------------------------------------------------

CustomerArgument = Annotated[str, typer.Argument(help="The TMS customer code.")]


@customer_group_app.command("set")
def customer_group_set(
    code: CustomerArgument,
    group: Annotated[str, typer.Argument(help="The invoice export setting (group) to use.")],
) -> None:
    """Make a customer use a particular invoice export setting (group)."""
    with settings_session() as session:
        es.set_customer_group(session, code, group)
    out.print(f"Customer {code!r}: export setting {group!r}", highlight=False, markup=False)


@customer_group_app.command("clear")
def customer_group_clear(code: CustomerArgument) -> None:
    """Make a customer use the default invoice export setting again."""
    with settings_session() as session:
        es.set_customer_group(session, code, None)
    out.print(f"Customer {code!r}: default export setting", highlight=False, markup=False)


@customer_group_app.command("list")
def customer_group_list(json_output: JsonOption = False) -> None:
    """List the customers that have their own invoice export setting."""
    with settings_session() as session:
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
    with settings_session() as session:
        status = es.set_terminology(session, key, value)
    out.print(f"Terminology {key}: {status}", highlight=False, markup=False)


@terminology_app.command("list")
def terminology_list(json_output: JsonOption = False) -> None:
    """List the terms with their values and defaults."""
    with settings_session() as session:
        terms = term_rows(session)
    if json_output:
        print_json(terms)
    else:
        out.print(terms_table(terms))
