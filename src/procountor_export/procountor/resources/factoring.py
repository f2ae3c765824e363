"""Factoring contracts (Finnish environments)."""

from __future__ import annotations

import builtins

from procountor_export.procountor.models import FactoringContract
from procountor_export.procountor.paging import numbered_pages
from procountor_export.procountor.resources import Resource

__all__ = ["FactoringContracts"]


class FactoringContracts(Resource):
    """``/factoringcontracts``: the company's factoring (financing) contracts."""

    def list(self, *, financing_company_id: str | None = None) -> builtins.list[FactoringContract]:
        """``GET /factoringcontracts``, every page (numbered: the operation takes ``page`` and
        ``size`` only).

        Procountor answers 403 "Insufficient user rights or external financing has not been
        enabled for your company" when the user lacks the right or the company has not enabled
        external financing; that is raised as :class:`~..errors.PermissionDenied`. Swedish
        environments have their own operation (``GET /se/factoringcontracts``), not this one.
        """
        params: dict[str, str | int] = {}
        if financing_company_id is not None:
            params["financingCompanyId"] = financing_company_id
        pages = numbered_pages(
            lambda page: self._client._get("/factoringcontracts", params=page), params
        )
        return [FactoringContract.model_validate(item) for item in pages]
