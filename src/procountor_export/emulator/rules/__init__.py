"""The emulated API's rules, free of web code: validation and business rules of addresses,
identifiers, VAT, invoices, the ledger, partners and products, and the API table's own
constraints (:mod:`.spec`).

A rule takes the company's data (:class:`~procountor_export.emulator.state.CompanyState`) and a
body, and answers with problems (``ApiError``) or the stored resource; it never reads a request.
The routes (:mod:`procountor_export.emulator.routes`) and the seeding
(:mod:`procountor_export.emulator.setup`) both call these rules.
"""
