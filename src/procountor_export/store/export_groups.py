"""Export groups (*invoice export settings*): named groups of exports, one of them the default,
and the customers that name their own group. Functions take an open session and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from procountor_export.store.export_definitions import get_export
from procountor_export.store.models import Customer, ExportDefinition, ExportGroup
from procountor_export.store.settings_base import SettingsError, Status, clean_name


def get_group(session: Session, name: str) -> ExportGroup | None:
    """The export group called ``name``, if any."""
    return session.scalars(select(ExportGroup).where(ExportGroup.name == name)).first()


def list_groups(session: Session) -> list[ExportGroup]:
    """All export groups by name."""
    return list(session.scalars(select(ExportGroup).order_by(ExportGroup.name)))


def upsert_export_group(
    session: Session, *, name: str, exports: Sequence[str], default: bool
) -> tuple[ExportGroup, Status]:
    """Create or update the group ``name`` with exactly ``exports``; ``default`` makes it the
    default group and un-defaults every other."""
    name = clean_name(name, "Export group")
    members: list[ExportDefinition] = []
    for export_name in dict.fromkeys(exports):
        export = get_export(session, export_name)
        if export is None:
            raise SettingsError(f"Export group {name!r}: export {export_name!r} does not exist")
        members.append(export)
    members.sort(key=lambda export: export.name)

    group = get_group(session, name)
    status: Status = "unchanged"
    if group is None:
        group = ExportGroup(name=name, is_default=default)
        session.add(group)
        group.exports = members
        status = "created"
    else:
        if {export.id for export in group.exports} != {export.id for export in members}:
            group.exports = members
            status = "updated"
        if group.is_default != default:
            group.is_default = default
            status = "updated"
    if default:
        for other in session.scalars(select(ExportGroup).where(ExportGroup.is_default)):
            if other is not group:
                other.is_default = False
    session.flush()
    return group, status


def remove_group(session: Session, name: str) -> int:
    """Delete the group ``name``; customers that named it fall back to the default group.

    Returns how many customers had named it.
    """
    group = get_group(session, name)
    if group is None:
        raise SettingsError(f"Export group {name!r} does not exist")
    customers = list(session.scalars(select(Customer).where(Customer.export_setting == name)))
    for customer in customers:
        customer.export_setting = None
    session.delete(group)
    session.flush()
    return len(customers)


def default_group(session: Session) -> ExportGroup | None:
    """The default export group, if one is chosen."""
    return session.scalars(select(ExportGroup).where(ExportGroup.is_default)).first()


def set_customer_group(session: Session, customer_code: str, group: str | None) -> None:
    """Give the customer ``customer_code`` its own export group; ``None`` = the default group."""
    customer = session.scalars(select(Customer).where(Customer.code == customer_code)).first()
    if customer is None:
        raise SettingsError(f"Customer {customer_code!r} does not exist")
    if group is not None and get_group(session, group) is None:
        raise SettingsError(
            f"Customer {customer_code!r}: export setting (group) {group!r} does not exist"
        )
    customer.export_setting = group
    session.flush()


def customer_groups(session: Session) -> list[tuple[str, str]]:
    """(customer code, group name) for every customer with its own export group."""
    rows = session.execute(
        select(Customer.code, Customer.export_setting)
        .where(Customer.export_setting.is_not(None))
        .order_by(Customer.code)
    )
    return [(code, str(group)) for code, group in rows]


def exports_for_customer(session: Session, customer: Customer) -> list[ExportDefinition]:
    """The exports an invoice of ``customer`` goes to: its own group's, else the default's.

    ``[]`` when the customer names no group and no group is the default, and also when the
    customer names a group that does not exist: falling back to the default group would send
    its invoices somewhere nobody chose, so the export reports the invoice instead.
    """
    if customer.export_setting:
        group = get_group(session, customer.export_setting)
    else:
        group = default_group(session)
    return list(group.exports) if group is not None else []
