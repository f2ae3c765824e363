"""Terminology: texts the service reads that a company may override, such as the name of the
product group the posting products go into. Functions take an open session and never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from procountor_export.store.models import Terminology
from procountor_export.store.settings_base import NAME_LIMIT, SettingsError, Status

PRODUCT_GROUP_TERM = "IES_ProcountorAPIProductGroup"
DEFAULT_PRODUCT_GROUP = "OpterGroup"
# Terms the service reads, with their defaults (shown by ``terminology list``).
TERMINOLOGY_DEFAULTS: dict[str, str] = {PRODUCT_GROUP_TERM: DEFAULT_PRODUCT_GROUP}
_TERM_VALUE_LIMIT = 255


def set_terminology(session: Session, key: str, value: str) -> Status:
    """Set the term ``key`` to ``value``."""
    key = key.strip()
    if not key or len(key) > NAME_LIMIT:
        raise SettingsError(f"Terminology key {key!r} must be 1-{NAME_LIMIT} characters")
    value = value.strip()
    if not value or len(value) > _TERM_VALUE_LIMIT:
        raise SettingsError(
            f"Terminology {key!r}: the value must be 1-{_TERM_VALUE_LIMIT} characters"
        )
    row = session.get(Terminology, key)
    if row is None:
        session.add(Terminology(key=key, value=value))
        session.flush()
        return "created"
    if row.value == value:
        return "unchanged"
    row.value = value
    session.flush()
    return "updated"


def terminology(session: Session, key: str, default: str) -> str:
    """The value of the term ``key``, or ``default`` when it is not set."""
    row = session.get(Terminology, key)
    return row.value if row is not None else default


def list_terminology(session: Session) -> dict[str, tuple[str, bool]]:
    """Every known or set term -> (value, whether it is the default)."""
    terms = {key: (value, True) for key, value in TERMINOLOGY_DEFAULTS.items()}
    for row in session.scalars(select(Terminology).order_by(Terminology.key)):
        terms[row.key] = (row.value, row.value == TERMINOLOGY_DEFAULTS.get(row.key))
    return dict(sorted(terms.items()))
