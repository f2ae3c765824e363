"""Business partners (customers)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from procountor_export.procountor.enums import PartnerType
from procountor_export.procountor.models import BusinessPartner, BusinessPartnerSummary
from procountor_export.procountor.paging import keyset_pages
from procountor_export.procountor.resources import Resource

__all__ = ["Partners"]


def _header_value(value: str) -> bytes:
    """A search value as header bytes: Latin-1, which HTTP servers decode headers as, and
    which covers Finnish and Swedish letters (ä, ö, å). Other text cannot be searched for."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(
            f"{value!r} cannot be sent as an HTTP header; search by customer number instead"
        ) from None


class Partners(Resource):
    """``/businesspartners``: search, read, create and replace business partners."""

    def search(
        self,
        *,
        customer_number: str | None = None,
        name: str | None = None,
        identifier: str | None = None,
        type: PartnerType = PartnerType.CUSTOMER,
        active: bool = True,
    ) -> builtins.list[BusinessPartnerSummary]:
        """``GET /businesspartners``, every page: ``customer_number`` in the query, ``name``
        and ``identifier`` (business ID) as HTTP headers, as Procountor requires since 23.08.

        Procountor returns only active partners unless asked (``active`` defaults to true);
        ``active=False`` returns the deactivated ones, whose customer numbers are still taken.
        """
        params: dict[str, str | int] = {"type": type, "active": "true" if active else "false"}
        if customer_number is not None:
            params["customerNumber"] = customer_number
        headers: dict[str, str | bytes] = {}
        if name is not None:
            headers["name"] = _header_value(name)
        if identifier is not None:
            headers["identifier"] = _header_value(identifier)
        pages = keyset_pages(
            lambda page: self._client._get("/businesspartners", params=page, headers=headers),
            params,
        )
        return [BusinessPartnerSummary.model_validate(item) for item in pages]

    def get(self, ids: Iterable[int]) -> builtins.list[BusinessPartner]:
        """``GET /businesspartners/{ids}`` for any number of ids (≤ 200 a call); unknown ids
        are left out."""
        items = self._client._get_many("/businesspartners/{ids}", ids)
        return [BusinessPartner.model_validate(item) for item in items]

    def create(self, partner: BusinessPartner) -> BusinessPartner:
        """``POST /businesspartners`` — not retried blindly (may raise OutcomeUnknown)."""
        body = partner.to_wire(exclude={"id", "version"})
        data = self._client._request("POST", "/businesspartners", json=body)
        return BusinessPartner.model_validate(data)

    def update(self, partner: BusinessPartner) -> BusinessPartner:
        """``PUT /businesspartners/{id}``: replaces everything; send the full object with its
        ``version`` (read it with :meth:`get` first)."""
        if partner.id is None:
            raise ValueError("partners.update needs a partner with an id")
        data = self._client._request(
            "PUT",
            "/businesspartners/{id}",
            path_params={"id": partner.id},
            json=partner.to_wire(),
        )
        return BusinessPartner.model_validate(data)
