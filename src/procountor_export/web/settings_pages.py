"""The settings pages of the article: invoice exports (with Codes > Tax rates and Test
connection), invoice export settings (groups, the default), customers' export settings and
the terminology. Thin: each form calls :mod:`procountor_export.store.export_settings`.

The API key (the export's Password) is entered masked, stored encrypted and never shown
again: the page only says whether one is set.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from procountor_export.store import export_settings as es
from procountor_export.store.models import AfterCreate, VatRate
from procountor_export.tms import queries
from procountor_export.web.connection import test_connection
from procountor_export.web.context import web
from procountor_export.web.inputs import CheckedRoute, segment
from procountor_export.web.render import flash, page
from procountor_export.web.security import checked_form

router = APIRouter(prefix="/settings", include_in_schema=False, route_class=CheckedRoute)

AFTER_CREATE = {
    AfterCreate.LEAVE: "Leave unfinished in Procountor for a person to check",
    AfterCreate.APPROVE: "Approve the invoice",
    AfterCreate.SEND: "Approve and send it through the customer's invoice channel",
}


CUSTOMER_UPDATES = {
    "create_and_update": "Create missing customers and update changed ones",
    "create_only": "Create missing customers, never change existing ones",
    "none": "Neither: the customers must already exist in Procountor",
}


def _groups(session: Session) -> list[tuple[str, bool, list[str]]]:
    return [(g.name, g.is_default, [e.name for e in g.exports]) for g in es.list_groups(session)]


AFTER_VALUES = frozenset(a.value for a in AfterCreate)


@router.get("", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    """Invoice exports, invoice export settings (groups) and terminology at a glance."""
    context = web(request)
    with context.store.session() as session:
        exports = [(e.name, es.password_state(e), e.include_pdf) for e in es.list_exports(session)]
        groups = [
            (g.name, g.is_default, [e.name for e in g.exports]) for g in es.list_groups(session)
        ]
        terms = es.list_terminology(session)
    return page(
        request, "settings.html", title="Settings", exports=exports, groups=groups, terms=terms
    )


def _export_values(request: Request, name: str | None, **extra: Any) -> dict[str, Any]:
    context = web(request)
    with context.store.session() as session:
        export = es.get_export(session, name) if name else None
        if name and export is None:
            raise HTTPException(404, f"There is no invoice export named {name!r}.")
        vat_codes = set(session.scalars(select(VatRate.code)))
        codes = {c.vat_code: c.status_code for c in export.tax_rate_codes} if export else {}
        values = {
            "export": None
            if export is None
            else {
                "name": export.name,
                "type": export.type,
                "encoding": export.encoding,
                "password": es.password_state(export),
                "include_pdf": export.include_pdf,
                "reduce_pdf": export.reduce_pdf,
                "after_create": export.after_create.value,
                "factoring_contract": export.factoring_contract or "",
                "factoring_text": export.factoring_text or "",
                "customer_updates": export.customer_updates or es.DEFAULT_CUSTOMER_UPDATES,
            },
            "codes": codes,
            "vat_codes": sorted(set(vat_codes) | set(codes)),
        }
    with context.lock:
        statuses = list(context.vat_statuses.get(name or "", []))
    return {
        **values,
        "statuses": statuses,
        "after_create_choices": AFTER_CREATE,
        "customer_updates_choices": CUSTOMER_UPDATES,
        "encodings": es.ENCODINGS,
        "result": None,
        **extra,
    }


@router.get("/exports/new", response_class=HTMLResponse)
def new_export(request: Request) -> Response:
    """An empty invoice export form."""
    return page(request, "export.html", title="New invoice export", **_export_values(request, None))


@router.get("/exports/{name:segment}", response_class=HTMLResponse)
def export_page(request: Request, name: str) -> Response:
    """One invoice export: its settings, Codes > Tax rates, Test connection."""
    return page(
        request, "export.html", title=f"Invoice export {name}", **_export_values(request, name)
    )


def _flag(form: FormData, name: str) -> bool:
    return form.get(name) in ("on", "true", "1")


@router.post("/exports", response_class=HTMLResponse)
async def save_export(request: Request) -> Response:
    """Create or update an invoice export; an empty password field keeps the stored key."""
    form = await checked_form(request)
    context = web(request)
    name = str(form.get("name") or "").strip()
    password = str(form.get("password") or "")
    after = str(form.get("after_create") or AfterCreate.LEAVE.value)
    updates = str(form.get("customer_updates") or "")
    try:
        with context.store.session() as session:
            es.upsert_export_definition(
                session,
                name=name,
                encoding=str(form.get("encoding") or "UTF-8"),
                password=password if password.strip() else None,
                include_pdf=_flag(form, "include_pdf"),
                reduce_pdf=_flag(form, "reduce_pdf"),
                after_create=AfterCreate(after)
                if after in {a.value for a in AfterCreate}
                else None,
                box=context.box,
                # Empty fields clear the factoring contract and its text.
                factoring_contract=str(form.get("factoring_contract") or ""),
                factoring_text=str(form.get("factoring_text") or ""),
                customer_updates=updates or None,
            )
    except es.SettingsError as exc:
        values = _export_values(request, None)
        return page(request, "export.html", 422, title="Invoice export", error=str(exc), **values)
    flash(request, f"Invoice export {name} saved.")
    return RedirectResponse(f"/settings/exports/{segment(name)}", 303)


@router.post("/exports/{name:segment}/codes", response_class=HTMLResponse)
async def save_codes(request: Request, name: str) -> Response:
    """Codes > Tax rates: the VAT status code for each TMS VAT code (empty: none)."""
    form = await checked_form(request)
    context = web(request)
    wanted = {
        str(code).strip(): str(status).strip()
        for code, status in zip(form.getlist("vat_code"), form.getlist("status"), strict=False)
        if str(code).strip() and str(status).strip()
    }
    try:
        with context.store.session() as session:
            export = es.require_export(session, name)
            es.set_tax_rate_codes(session, export, wanted)
    except es.SettingsError as exc:
        values = _export_values(request, name)
        return page(request, "export.html", 422, title="Invoice export", error=str(exc), **values)
    flash(request, f"Tax rate codes of {name} saved.")
    return RedirectResponse(f"/settings/exports/{segment(name)}#codes", 303)


@router.post("/exports/{name:segment}/test", response_class=HTMLResponse)
async def test(request: Request, name: str) -> Response:
    """Test connection: company, currency, the user's rights and what is missing."""
    await checked_form(request)
    context = web(request)
    try:
        result = await run_in_threadpool(
            test_connection, context.store, context.client_factory, context.box, name
        )
    except es.SettingsError as exc:
        raise HTTPException(404, str(exc)) from exc
    if result.vat_statuses:
        with context.lock:
            context.vat_statuses[name] = result.vat_statuses
    values = _export_values(request, name, result=result)
    return page(request, "export.html", title=f"Invoice export {name}", **values)


@router.post("/exports/{name:segment}/remove")
async def remove_export(request: Request, name: str) -> Response:
    """Delete an invoice export (refused while invoices were exported with it)."""
    await checked_form(request)
    context = web(request)
    try:
        with context.store.session() as session:
            es.remove_export(session, name)
    except es.SettingsError as exc:
        flash(request, str(exc), "error")
        return RedirectResponse(f"/settings/exports/{segment(name)}", 303)
    flash(request, f"Invoice export {name} deleted.")
    return RedirectResponse("/settings", 303)


@router.get("/groups", response_class=HTMLResponse)
def groups_page(request: Request) -> Response:
    """Invoice export settings: named groups of exports, one of them the default."""
    context = web(request)
    with context.store.session() as session:
        groups = [
            (g.name, g.is_default, [e.name for e in g.exports]) for g in es.list_groups(session)
        ]
        exports = [e.name for e in es.list_exports(session)]
    return page(
        request, "groups.html", title="Invoice export settings", groups=groups, exports=exports
    )


@router.post("/groups")
async def save_group(request: Request) -> Response:
    """Create or update a group with exactly the ticked exports."""
    form = await checked_form(request)
    context = web(request)
    name = str(form.get("name") or "")
    try:
        with context.store.session() as session:
            es.upsert_export_group(
                session,
                name=name,
                exports=[str(e) for e in form.getlist("exports")],
                default=_flag(form, "default"),
            )
    except es.SettingsError as exc:
        flash(request, str(exc), "error")
    else:
        flash(request, f"Invoice export setting {name} saved.")
    return RedirectResponse("/settings/groups", 303)


@router.get("/customers", response_class=HTMLResponse)
def customers_page(request: Request, q: str | None = None) -> Response:
    """Each customer's invoice export setting (empty: the default group)."""
    context = web(request)
    with context.store.session() as session:
        customers = queries.list_customers(session)
        groups = [g.name for g in es.list_groups(session)]
    if q:
        customers = [
            c for c in customers if q.lower() in c.code.lower() or q.lower() in c.name.lower()
        ]
    return page(
        request,
        "customers.html",
        title="Customers' export settings",
        customers=customers[:500],
        total=len(customers),
        groups=groups,
        q=q or "",
    )


@router.post("/customers")
async def save_customer(request: Request) -> Response:
    """Set one customer's export setting."""
    form = await checked_form(request)
    context = web(request)
    code = str(form.get("customer") or "")
    group = str(form.get("group") or "") or None
    try:
        with context.store.session() as session:
            es.set_customer_group(session, code, group)
    except es.SettingsError as exc:
        flash(request, str(exc), "error")
    else:
        flash(request, f"Customer {code}: export setting {group or '(default)'}.")
    return RedirectResponse("/settings/customers", 303)


@router.get("/terminology", response_class=HTMLResponse)
def terminology_page(request: Request) -> Response:
    """Terminology, such as ``IES_ProcountorAPIProductGroup`` (the posting products' group)."""
    context = web(request)
    with context.store.session() as session:
        terms = es.list_terminology(session)
    return page(request, "terminology.html", title="Terminology", terms=terms)


@router.post("/terminology")
async def save_term(request: Request) -> Response:
    """Set one term."""
    form = await checked_form(request)
    context = web(request)
    key = str(form.get("key") or "")
    try:
        with context.store.session() as session:
            es.set_terminology(session, key, str(form.get("value") or ""))
    except es.SettingsError as exc:
        flash(request, str(exc), "error")
    else:
        flash(request, f"{key} saved.")
    return RedirectResponse("/settings/terminology", 303)
