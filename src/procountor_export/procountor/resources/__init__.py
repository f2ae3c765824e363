"""The client's resources: one object per kind of thing, one verb set across them.

Each resource mirrors a path of the API (``client.invoices`` is ``/invoices``) and speaks the
same verbs: ``create``, ``get`` (by ids: any number, batched here), ``list`` (a plain listing)
or ``search`` (a filtered one: Procountor's ``Search…`` operations), ``update`` (PUT, the whole
object) and the domain actions ``approve`` and ``send``. Nested things hang off their parent
(``client.products.groups``, ``client.dimensions.items``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procountor_export.procountor.base import BaseClient

__all__ = ["Resource"]


class Resource:
    """A resource bound to one client (its connection, token, pacing and retries)."""

    def __init__(self, client: BaseClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
