"""Ledger receipts: the account coding of an invoice."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from procountor_export.procountor.models import LedgerReceipt
from procountor_export.procountor.resources import Resource

__all__ = ["LedgerReceipts"]


class LedgerReceipts(Resource):
    """``/ledgerreceipts``: read and fix the coding of invoices."""

    def get(self, ids: Iterable[int]) -> builtins.list[LedgerReceipt]:
        """``GET /ledgerreceipts/{ids}`` for any number of ids (≤ 200 a call); unknown ids are
        left out."""
        items = self._client._get_many("/ledgerreceipts/{ids}", ids)
        return [LedgerReceipt.model_validate(item) for item in items]

    def update(self, receipt: LedgerReceipt) -> LedgerReceipt:
        """``PUT /ledgerreceipts/{id}`` with the whole receipt and its current ``version``."""
        if receipt.id is None or receipt.version is None:
            raise ValueError("ledger_receipts.update needs a receipt with id and version")
        data = self._client._request(
            "PUT",
            "/ledgerreceipts/{id}",
            path_params={"id": receipt.id},
            json=receipt.to_wire(),
        )
        return LedgerReceipt.model_validate(data)
