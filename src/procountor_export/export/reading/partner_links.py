"""The store's memory of Procountor partner ids, per export definition and customer number."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from procountor_export.store.db import Store, now
from procountor_export.store.models import PartnerLink

_CHUNK = 500


def remembered(store: Store, export_id: int, numbers: Iterable[str]) -> dict[str, int]:
    """The partner ids remembered for ``numbers`` (customer numbers never met are absent)."""
    wanted = sorted(set(numbers))
    found: dict[str, int] = {}
    with store.session() as session:
        for start in range(0, len(wanted), _CHUNK):
            query = select(PartnerLink.customer_number, PartnerLink.partner_id).where(
                PartnerLink.export_id == export_id,
                PartnerLink.customer_number.in_(wanted[start : start + _CHUNK]),
            )
            found.update((number, partner_id) for number, partner_id in session.execute(query))
    return found


def remember(store: Store, export_id: int, links: Mapping[str, int]) -> None:
    """Record (or correct) the partner id of each customer number.

    An upsert (INSERT … ON CONFLICT DO UPDATE): two runs remembering the same customer
    number at once both succeed, the later write wins with the same (or a newer) id.
    """
    if not links:
        return
    stamp = now()
    rows = [
        {
            "export_id": export_id,
            "customer_number": number,
            "partner_id": partner_id,
            "updated_at": stamp,
        }
        for number, partner_id in sorted(links.items())
    ]
    with store.session() as session:
        insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
        for start in range(0, len(rows), _CHUNK):
            statement = insert(PartnerLink).values(rows[start : start + _CHUNK])
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["export_id", "customer_number"],
                    set_={
                        "partner_id": statement.excluded.partner_id,
                        "updated_at": statement.excluded.updated_at,
                    },
                )
            )
