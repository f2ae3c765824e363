"""Rendering pages: the Jinja2 templates with what every page needs (user, CSRF, navigation)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from procountor_export.web import runbar, words
from procountor_export.web.context import current_user, web
from procountor_export.web.inputs import segment
from procountor_export.web.security import csrf_token

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.isoformat()


def _money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", "\u202f")


TEMPLATES.env.filters["when"] = _when
TEMPLATES.env.filters["money"] = _money
# Identifiers in links: {{ '/invoices/' ~ (number | segment) }}, ?period={{ id | segment }}.
TEMPLATES.env.filters["segment"] = segment
# Counts, journal states and steps in words (words.py); the export bar's view (runbar.py).
words.register(TEMPLATES.env.filters)
TEMPLATES.env.globals["export_bar"] = runbar.view


def page(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """The page ``template`` with ``values`` and the request's user, CSRF token and messages."""
    context = web(request)
    flash = request.session.pop("flash", None) if "session" in request.scope else None
    values.setdefault("title", "")
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "user": current_user(request) if "session" in request.scope else None,
            "csrf": csrf_token(request) if "session" in request.scope else "",
            "flash": flash,
            "source": context.settings.source_system,
            "messages": context.messages,
            **values,
        },
        status_code=status_code,
    )


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A message shown once on the next page (after a redirect)."""
    request.session["flash"] = {"text": text, "kind": kind}
