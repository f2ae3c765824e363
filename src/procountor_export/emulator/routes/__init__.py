"""The emulator's web code: each module parses its requests, calls the rules
(:mod:`procountor_export.emulator.rules`), updates the state and answers."""

from __future__ import annotations

from fastapi import APIRouter

from procountor_export.emulator.routes import (
    accounting,
    admin,
    attachments,
    auth,
    company,
    factoring,
    invoices,
    ledger,
    partners,
    payments,
    products,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    company.router,
    accounting.router,
    partners.router,
    products.router,
    invoices.router,
    payments.router,
    factoring.router,
    ledger.router,
    attachments.router,
    admin.router,
)
"""Every route of the emulator, in the order the app includes them."""
