"""Test connection: log in with an export definition's API key and read what the export needs.

The same reads as ``procountor-export procountor ping``: the session, the company (name,
business ID, currency), the API user's rights (what is missing), and the VAT statuses the
company may use on sales (offered as tax rate codes on the export's settings page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procountor_export.export.options import ClientFactory
from procountor_export.export.reading.source import export_config
from procountor_export.procountor import (
    CREDENTIALS_REFUSED,
    AuthenticationError,
    ConfigurationError,
    PermissionDenied,
    ProcountorError,
    RetryableError,
)
from procountor_export.store import export_settings
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox


@dataclass
class ConnectionResult:
    """What the test found: the company and rights, or why it could not connect."""

    ok: bool = False
    error: str | None = None
    company: str | None = None
    company_id: int | None = None
    business_id: str | None = None
    currency: str | None = None
    user: str | None = None
    rights: list[tuple[str, str, bool]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    vat_statuses: list[tuple[str, str]] = field(default_factory=list)  # (vat_N, description)


def test_connection(
    store: Store, factory: ClientFactory, box: SecretBox | None, name: str
) -> ConnectionResult:
    """Connect with the export ``name``'s API key and check company, rights and VAT statuses."""
    result = ConnectionResult()
    with store.session() as session:
        export = export_settings.require_export(session, name)
        try:
            key = export_settings.api_key(export, box)
        except export_settings.SettingsError as exc:
            result.error = str(exc)
            return result
        config = export_config(session, export)
    try:
        with factory(config, key) as client:
            info = client.session.get()
            result.user = info.user_name
            company = client.company.get()
            identifier = company.business_identifier
            result.company = company.name
            result.company_id = company.id
            result.business_id = identifier.code if identifier else None
            result.currency = company.company_currency or client.currencies.company()
            rights = client.users.rights()
            result.rights = [(r.path, level or "(none)", ok) for r, level, ok in rights.check()]
            result.missing = [required.path for required in rights.missing()]
            vats = client.vats.default()
            result.vat_statuses = [
                (f"vat_{s.vat_status}", s.description or "")
                for s in sorted(vats.vat_statuses, key=lambda s: s.vat_status)
                if s.sales is not False
            ]
    except AuthenticationError:
        result.error = CREDENTIALS_REFUSED + " (check the client id, secret and API key)."
        return result
    except ConfigurationError as exc:
        result.error = exc.message
        return result
    except PermissionDenied as exc:
        result.error = f"The API user lacks a right needed for {exc.operation}."
        return result
    except RetryableError as exc:
        cause = f"HTTP {exc.status}" if exc.status else exc.message
        result.error = f"Cannot reach Procountor: {cause}."
        return result
    except ProcountorError as exc:
        result.error = f"Procountor answered unexpectedly: {exc}"
        return result
    result.ok = not result.missing
    return result
