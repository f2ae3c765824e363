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
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procountor_export.store.models import (
    AfterCreate,
    Customer,
    ExportDefinition,
    ExportGroup,
    JournalEntry,
    TaxRateCode,
    Terminology,
)
from procountor_export.store.secrets import SecretBox, SecretKeyError

Status = Literal["created", "updated", "unchanged"]

PRODUCT_GROUP_TERM = "IES_ProcountorAPIProductGroup"
DEFAULT_PRODUCT_GROUP = "OpterGroup"
# Terms the service reads, with their defaults (shown by ``terminology list``).
TERMINOLOGY_DEFAULTS: dict[str, str] = {PRODUCT_GROUP_TERM: DEFAULT_PRODUCT_GROUP}

EXPORT_TYPES = ("procountor-api",)
ENCODINGS = ("UTF-8",)  # the Procountor API speaks UTF-8 only
VAT_STATUS_CODE = re.compile(r"vat_(\d+)")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME_LIMIT = 100
_VAT_CODE_LIMIT = 40
_TERM_VALUE_LIMIT = 255


class SettingsError(ValueError):
    """An export setting is invalid or missing; the message names the record and the field."""


# --- export definitions --------------------------------------------------------------------------


def get_export(session: Session, name: str) -> ExportDefinition | None:
    """The export definition called ``name``, if any."""
    return session.scalars(select(ExportDefinition).where(ExportDefinition.name == name)).first()


def require_export(session: Session, name: str) -> ExportDefinition:
    """The export definition called ``name``; :class:`SettingsError` when there is none."""
    export = get_export(session, name)
    if export is None:
        raise SettingsError(f"Export {name!r} does not exist")
    return export


def list_exports(session: Session) -> list[ExportDefinition]:
    """All export definitions by name."""
    return list(session.scalars(select(ExportDefinition).order_by(ExportDefinition.name)))


def upsert_export_definition(
    session: Session,
    *,
    name: str,
    type: str = "procountor-api",
    encoding: str = "UTF-8",
    password: str | None = None,
    password_env: str | None = None,
    include_pdf: bool | None = None,
    reduce_pdf: bool | None = None,
    after_create: AfterCreate | None = None,
    box: SecretBox | None = None,
) -> tuple[ExportDefinition, Status]:
    """Create the export ``name`` or update it; ``None`` leaves a field as it is.

    ``password`` (the Procountor API key) is encrypted with ``box`` and replaces any
    ``password_env``; ``password_env`` (the name of an environment variable holding the key)
    replaces a stored password. Setting the same key again is "unchanged".
    """
    name = _name(name, "Export")
    if type not in EXPORT_TYPES:
        raise SettingsError(
            f"Export {name!r}: type {type!r} is not supported "
            f"(supported: {', '.join(EXPORT_TYPES)})"
        )
    encoding = _encoding(name, encoding)
    if password is not None and password_env is not None:
        raise SettingsError(f"Export {name!r}: give either a password or password_env, not both")
    if password is not None and not password.strip():
        raise SettingsError(f"Export {name!r}: password is empty")
    if password_env is not None and not ENV_NAME.fullmatch(password_env):
        raise SettingsError(
            f"Export {name!r}: password_env {password_env!r} is not an environment variable name"
        )
    if password is not None and box is None:
        raise SettingsError(
            f"Export {name!r}: a password can only be stored encrypted, and no secret key is "
            "available (set PROCOUNTOR_EXPORT_SECRET_KEY or run 'procountor-export init')"
        )
    if after_create is not None:
        try:
            after_create = AfterCreate(after_create)
        except ValueError as exc:
            choices = ", ".join(choice.value for choice in AfterCreate)
            raise SettingsError(
                f"Export {name!r}: after_create {after_create!r} is not one of {choices}"
            ) from exc

    export = get_export(session, name)
    status: Status = "unchanged"
    if export is None:
        export = ExportDefinition(
            name=name, include_pdf=False, reduce_pdf=False, after_create=AfterCreate.LEAVE
        )
        session.add(export)
        status = "created"
    wanted: dict[str, object] = {"type": type, "encoding": encoding}
    if include_pdf is not None:
        wanted["include_pdf"] = include_pdf
    if reduce_pdf is not None:
        wanted["reduce_pdf"] = reduce_pdf
    if after_create is not None:
        wanted["after_create"] = after_create
    if password is not None and box is not None:
        wanted["password_env"] = None
        if not _holds(export, password, box):
            wanted["password_encrypted"] = box.encrypt(password)
    if password_env is not None:
        wanted["password_env"] = password_env
        wanted["password_encrypted"] = None
    for field, value in wanted.items():
        if getattr(export, field) != value:
            setattr(export, field, value)
            if status == "unchanged":
                status = "updated"
    session.flush()
    return export, status


def _holds(export: ExportDefinition, password: str, box: SecretBox) -> bool:
    """Whether ``export`` already stores exactly ``password`` (so nothing needs to change)."""
    if not export.password_encrypted:
        return False
    try:
        return box.decrypt(export.password_encrypted) == password
    except SecretKeyError:
        return False  # stored under another key: replace it


def remove_export(session: Session, name: str) -> None:
    """Delete the export ``name`` with its tax rate codes and group memberships.

    Refused while the export journal has entries for it: they record what was sent with it.
    """
    export = require_export(session, name)
    used = session.scalar(
        select(func.count()).select_from(JournalEntry).where(JournalEntry.export_id == export.id)
    )
    if used:
        raise SettingsError(
            f"Export {name!r} cannot be removed: the export journal has {used} entries for it"
        )
    for group in session.scalars(select(ExportGroup)):
        if export in group.exports:
            group.exports.remove(export)
    session.delete(export)
    session.flush()


def password_state(export: ExportDefinition) -> str:
    """How the export gets its API key, for display: never the key itself."""
    if export.password_encrypted:
        return "set (encrypted)"
    if export.password_env:
        return f"from ${export.password_env}"
    return "missing"


def api_key(
    export: ExportDefinition,
    box: SecretBox | None,
    environ: Mapping[str, str] = os.environ,
) -> SecretStr:
    """The export's Procountor API key: decrypted, or read from its environment variable."""
    if export.password_encrypted:
        if box is None:
            raise SettingsError(
                f"Export {export.name!r}: the password is stored encrypted and no secret key is "
                "available to decrypt it (set PROCOUNTOR_EXPORT_SECRET_KEY)"
            )
        try:
            return SecretStr(box.decrypt(export.password_encrypted))
        except SecretKeyError as exc:
            raise SettingsError(f"Export {export.name!r}: password: {exc}") from exc
    if export.password_env:
        value = environ.get(export.password_env, "")
        if not value.strip():
            raise SettingsError(
                f"Export {export.name!r}: the password is read from the environment variable "
                f"{export.password_env}, which is not set"
            )
        return SecretStr(value.strip())
    raise SettingsError(
        f"Export {export.name!r}: no password (Procountor API key) is set; set it with "
        f"'procountor-export exports set \"{export.name}\" --password'"
    )


# --- tax rate codes ------------------------------------------------------------------------------


def _status_code(export: ExportDefinition, vat_code: str, status_code: str) -> str:
    code = status_code.strip()
    if not VAT_STATUS_CODE.fullmatch(code):
        raise SettingsError(
            f"Export {export.name!r}: the tax rate code for VAT code {vat_code!r} must look like "
            f"vat_1 (a Procountor VAT status code), not {status_code!r}"
        )
    return code


def _vat_code(export: ExportDefinition, vat_code: str) -> str:
    code = vat_code.strip()
    if not code or len(code) > _VAT_CODE_LIMIT:
        raise SettingsError(
            f"Export {export.name!r}: VAT code {vat_code!r} must be 1-{_VAT_CODE_LIMIT} characters"
        )
    return code


def set_tax_rate_codes(
    session: Session, export: ExportDefinition, codes: Mapping[str, str]
) -> bool:
    """Make ``codes`` (TMS VAT code -> ``vat_<n>``) the export's whole mapping.

    Returns whether anything changed.
    """
    wanted = {
        _vat_code(export, vat_code): _status_code(export, vat_code, status)
        for vat_code, status in codes.items()
    }
    changed = False
    for row in list(export.tax_rate_codes):
        if row.vat_code not in wanted:
            export.tax_rate_codes.remove(row)
            changed = True
        elif row.status_code != wanted[row.vat_code]:
            row.status_code = wanted[row.vat_code]
            changed = True
    present = {row.vat_code for row in export.tax_rate_codes}
    for vat_code, status in wanted.items():
        if vat_code not in present:
            export.tax_rate_codes.append(TaxRateCode(vat_code=vat_code, status_code=status))
            changed = True
    session.flush()
    return changed


def set_tax_rate_code(
    session: Session, export: ExportDefinition, vat_code: str, status_code: str | None
) -> None:
    """Set one VAT code's status code (``vat_<n>``); ``None`` removes the VAT code's entry."""
    code = _vat_code(export, vat_code)
    row = next((row for row in export.tax_rate_codes if row.vat_code == code), None)
    if status_code is None:
        if row is None:
            raise SettingsError(
                f"Export {export.name!r} has no tax rate code for VAT code {code!r}"
            )
        export.tax_rate_codes.remove(row)
    elif row is None:
        status = _status_code(export, code, status_code)
        export.tax_rate_codes.append(TaxRateCode(vat_code=code, status_code=status))
    else:
        row.status_code = _status_code(export, code, status_code)
    session.flush()


def vat_status_for(export: ExportDefinition, vat_code: str) -> int | None:
    """Procountor's ``vatStatus`` for a TMS VAT code (``vat_1`` -> 1); None when unmapped."""
    for row in export.tax_rate_codes:
        if row.vat_code == vat_code:
            match = VAT_STATUS_CODE.fullmatch(row.status_code)
            return int(match.group(1)) if match else None
    return None


# --- groups (invoice export settings) ------------------------------------------------------------


def get_group(session: Session, name: str) -> ExportGroup | None:
    """The export group called ``name``, if any."""
    return session.scalars(select(ExportGroup).where(ExportGroup.name == name)).first()


def list_groups(session: Session) -> list[ExportGroup]:
    """All export groups by name."""
    return list(session.scalars(select(ExportGroup).order_by(ExportGroup.name)))


def upsert_export_group(
    session: Session, *, name: str, exports: Sequence[str], default: bool
) -> tuple[ExportGroup, Status]:
    """Create or update the group ``name`` with exactly ``exports``; ``default`` makes it the
    default group and un-defaults every other."""
    name = _name(name, "Export group")
    members: list[ExportDefinition] = []
    for export_name in dict.fromkeys(exports):
        export = get_export(session, export_name)
        if export is None:
            raise SettingsError(f"Export group {name!r}: export {export_name!r} does not exist")
        members.append(export)
    members.sort(key=lambda export: export.name)

    group = get_group(session, name)
    status: Status = "unchanged"
    if group is None:
        group = ExportGroup(name=name, is_default=default)
        session.add(group)
        group.exports = members
        status = "created"
    else:
        if {export.id for export in group.exports} != {export.id for export in members}:
            group.exports = members
            status = "updated"
        if group.is_default != default:
            group.is_default = default
            status = "updated"
    if default:
        for other in session.scalars(select(ExportGroup).where(ExportGroup.is_default)):
            if other is not group:
                other.is_default = False
    session.flush()
    return group, status


def remove_group(session: Session, name: str) -> int:
    """Delete the group ``name``; customers that named it fall back to the default group.

    Returns how many customers had named it.
    """
    group = get_group(session, name)
    if group is None:
        raise SettingsError(f"Export group {name!r} does not exist")
    customers = list(session.scalars(select(Customer).where(Customer.export_setting == name)))
    for customer in customers:
        customer.export_setting = None
    session.delete(group)
    session.flush()
    return len(customers)


def default_group(session: Session) -> ExportGroup | None:
    """The default export group, if one is chosen."""
    return session.scalars(select(ExportGroup).where(ExportGroup.is_default)).first()


def set_customer_group(session: Session, customer_code: str, group: str | None) -> None:
    """Give the customer ``customer_code`` its own export group; ``None`` = the default group."""
    customer = session.scalars(select(Customer).where(Customer.code == customer_code)).first()
    if customer is None:
        raise SettingsError(f"Customer {customer_code!r} does not exist")
    if group is not None and get_group(session, group) is None:
        raise SettingsError(
            f"Customer {customer_code!r}: export setting (group) {group!r} does not exist"
        )
    customer.export_setting = group
    session.flush()


def customer_groups(session: Session) -> list[tuple[str, str]]:
    """(customer code, group name) for every customer with its own export group."""
    rows = session.execute(
        select(Customer.code, Customer.export_setting)
        .where(Customer.export_setting.is_not(None))
        .order_by(Customer.code)
    )
    return [(code, str(group)) for code, group in rows]


def exports_for_customer(session: Session, customer: Customer) -> list[ExportDefinition]:
    """The exports an invoice of ``customer`` goes to: its own group's, else the default's.

    ``[]`` when the customer names no group and no group is the default, and also when the
    customer names a group that does not exist: falling back to the default group would send
    its invoices somewhere nobody chose, so the export reports the invoice instead.
    """
    if customer.export_setting:
        group = get_group(session, customer.export_setting)
    else:
        group = default_group(session)
    return list(group.exports) if group is not None else []


# --- terminology ---------------------------------------------------------------------------------


def set_terminology(session: Session, key: str, value: str) -> Status:
    """Set the term ``key`` to ``value``."""
    key = key.strip()
    if not key or len(key) > _NAME_LIMIT:
        raise SettingsError(f"Terminology key {key!r} must be 1-{_NAME_LIMIT} characters")
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


# --- helpers -------------------------------------------------------------------------------------


def _name(name: str, what: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > _NAME_LIMIT:
        raise SettingsError(f"{what} name {name!r} must be 1-{_NAME_LIMIT} characters")
    return cleaned


def _encoding(name: str, encoding: str) -> str:
    for known in ENCODINGS:
        if encoding.replace("-", "").replace("_", "").lower() == known.replace("-", "").lower():
            return known
    raise SettingsError(
        f"Export {name!r}: encoding {encoding!r} is not supported (the Procountor API takes UTF-8)"
    )
