"""Test connection: log in with an export definition's API key and read what the export needs.

The same test as ``procountor-export procountor ping``, with the same sentences
(:mod:`procountor_export.connection_check`): the session, the company (name, business ID,
currency), the API user's rights (what is missing), and the VAT statuses the company may use on
sales (offered as tax rate codes on the export's settings page).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from procountor_export.connection_check import check_connection
from procountor_export.export import MakeClient, export_config
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
    store: Store, factory: MakeClient, box: SecretBox | None, name: str
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
    with factory(config, key) as client:
        report = check_connection(client, client.base_url, vat_statuses=True)
    result.error = report.error
    result.company = report.company
    result.company_id = report.company_id
    result.business_id = report.business_id
    result.currency = report.currency
    result.user = report.user
    result.rights = [(path, level or "(none)", ok) for path, level, ok in report.rights]
    result.missing = report.missing
    result.vat_statuses = report.vat_statuses
    result.ok = report.ok
    return result
