"""Payments back to the TMS: what Procountor says was paid on the invoices this service
exported, read back into the store (``procountor-export payments sync``).

Owns the payment sync (:mod:`.sync`: which Procountor calls, in what order), its store reads
and writes (:mod:`.records`) and an invoice's payment status (:mod:`.status`). It reads only
invoices the journal says this service created (never anyone else's) and writes only the
payment tables (``store.payment_models``). Imports ``procountor``, ``store``, ``runtime``,
``settings`` and, from the export, only :func:`~procountor_export.export.company.company_key`
(the one name of a Procountor company shared with the export's locks).
"""

from procountor_export.payments.sync import CompanySync, SyncReport, sync_payments

__all__ = ["CompanySync", "SyncReport", "sync_payments"]
