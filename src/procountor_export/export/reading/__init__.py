"""Phase 1, reading: which invoices to export (scope), their data from the store as plain
values, and the Procountor company's master data into a :class:`~.cache.CompanyCache`."""
