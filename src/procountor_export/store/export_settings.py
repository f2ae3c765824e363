"""Export settings in the store: export definitions, tax rate codes, groups, terminology.

These follow the Opter article's steps 2-4: an *invoice export* ("Procountor (API)") holds the
Procountor API key (its "password"), the PDF options and, under Codes > Tax rates, the VAT
status code for each TMS VAT code; an *invoice export setting* is a named group of exports, one
of them the default; a customer may name its own group. Terminology overrides a few texts, such
as the name of the product group the posting products go into.

Used by the document importer and by the CLI. Functions take an open session and never commit
(the caller's transaction decides). Bad input raises :class:`SettingsError` (a ``ValueError``)
naming the record and the field. API keys are stored only Fernet-encrypted, never as plaintext;
alternatively an export names the environment variable that holds its key.

This module is the settings' face: the work is in :mod:`.export_definitions`,
:mod:`.tax_rate_codes`, :mod:`.export_groups` and :mod:`.terminology`, and every public name
of those is importable from here.
"""

from __future__ import annotations

from procountor_export.store.export_definitions import (
    CUSTOMER_UPDATES,
    DEFAULT_CUSTOMER_UPDATES,
    ENCODINGS,
    ENV_NAME,
    EXPORT_TYPES,
    api_key,
    get_export,
    list_exports,
    password_state,
    remove_export,
    require_export,
    upsert_export_definition,
)
from procountor_export.store.export_groups import (
    customer_groups,
    default_group,
    exports_for_customer,
    get_group,
    list_groups,
    remove_group,
    set_customer_group,
    upsert_export_group,
)
from procountor_export.store.settings_base import SettingsError, Status
from procountor_export.store.tax_rate_codes import (
    VAT_STATUS_CODE,
    set_tax_rate_code,
    set_tax_rate_codes,
    vat_status_for,
)
from procountor_export.store.terminology import (
    DEFAULT_PRODUCT_GROUP,
    PRODUCT_GROUP_TERM,
    TERMINOLOGY_DEFAULTS,
    list_terminology,
    set_terminology,
    terminology,
)

__all__ = [
    "CUSTOMER_UPDATES",
    "DEFAULT_CUSTOMER_UPDATES",
    "DEFAULT_PRODUCT_GROUP",
    "ENCODINGS",
    "ENV_NAME",
    "EXPORT_TYPES",
    "PRODUCT_GROUP_TERM",
    "TERMINOLOGY_DEFAULTS",
    "VAT_STATUS_CODE",
    "SettingsError",
    "Status",
    "api_key",
    "customer_groups",
    "default_group",
    "exports_for_customer",
    "get_export",
    "get_group",
    "list_exports",
    "list_groups",
    "list_terminology",
    "password_state",
    "remove_export",
    "remove_group",
    "require_export",
    "set_customer_group",
    "set_tax_rate_code",
    "set_tax_rate_codes",
    "set_terminology",
    "terminology",
    "upsert_export_definition",
    "upsert_export_group",
    "vat_status_for",
]
