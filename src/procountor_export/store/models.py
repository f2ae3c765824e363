"""The store's tables, gathered: the imported TMS data, the export settings and the journal.

The tables live in modules along the store's one seam: the TMS document's tables
(:mod:`~procountor_export.store.tms_models`), which the importer writes and the export reads,
and the export's own (:mod:`~procountor_export.store.export_models`): its settings, its journal
and its runs. Both derive from :class:`~procountor_export.store.base.Base`. This module is their
one import path (``from procountor_export.store.models import X`` for every name in
``__all__``), and importing it puts every one of their tables in ``Base.metadata``, which the
migrations are compared with.
"""

from __future__ import annotations

from procountor_export.store.base import NAMING, Base
from procountor_export.store.export_models import (
    AfterCreate,
    CustomerUpdates,
    ExportDefinition,
    ExportGroup,
    ExportGroupMember,
    ExportRun,
    JournalEntry,
    JournalState,
    PartnerLink,
    TaxRateCode,
    Terminology,
)
from procountor_export.store.tms_models import (
    Customer,
    Invoice,
    Office,
    Order,
    OrderLine,
    Period,
    Posting,
    ProfitCentre,
    Unit,
    VatRate,
)

__all__ = [
    "NAMING",
    "AfterCreate",
    "Base",
    "Customer",
    "CustomerUpdates",
    "ExportDefinition",
    "ExportGroup",
    "ExportGroupMember",
    "ExportRun",
    "Invoice",
    "JournalEntry",
    "JournalState",
    "Office",
    "Order",
    "OrderLine",
    "PartnerLink",
    "Period",
    "Posting",
    "ProfitCentre",
    "TaxRateCode",
    "Terminology",
    "Unit",
    "VatRate",
]
