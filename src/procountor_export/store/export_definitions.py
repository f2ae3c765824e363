"""Export definitions: an *invoice export* ("Procountor (API)") with its Procountor API key
(its "password"), PDF options, what to do after an invoice is created, the factoring contract
that finances its invoices and how it treats the customers already in Procountor.

API keys are stored only Fernet-encrypted, never as plaintext; alternatively an export names
the environment variable that holds its key. Functions take an open session and never commit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procountor_export.store.models import (
    AfterCreate,
    CustomerUpdates,
    ExportDefinition,
    ExportGroup,
    JournalEntry,
)
from procountor_export.store.secrets import SecretBox, SecretKeyError
from procountor_export.store.settings_base import SettingsError, Status, clean_name

EXPORT_TYPES = ("procountor-api",)
ENCODINGS = ("UTF-8",)  # the Procountor API speaks UTF-8 only
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# What the export may do to Procountor's customers: create missing ones and update changed ones
# (the article), only create missing ones, or neither (they must exist).
CUSTOMER_UPDATES = tuple(policy.value for policy in CustomerUpdates)
DEFAULT_CUSTOMER_UPDATES = CustomerUpdates.CREATE_AND_UPDATE.value
FACTORING_CONTRACT_MAX = 80  # FactoringContract.contractNumber in the API


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
    factoring_contract: str | None = None,
    factoring_text: str | None = None,
    customer_updates: str | None = None,
) -> tuple[ExportDefinition, Status]:
    """Create the export ``name`` or update it; ``None`` leaves a field as it is.

    ``factoring_contract`` is the contract number of a Procountor factoring contract that
    finances the export's invoices, ``factoring_text`` the text sent with it; ``""`` clears
    either. ``customer_updates`` is one of :data:`CUSTOMER_UPDATES`.

    ``password`` (the Procountor API key) is encrypted with ``box`` and replaces any
    ``password_env``; ``password_env`` (the name of an environment variable holding the key)
    replaces a stored password. Setting the same key again is "unchanged".
    """
    name = clean_name(name, "Export")
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
    factoring = _factoring(name, factoring_contract, factoring_text, customer_updates)
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
            name=name,
            include_pdf=False,
            reduce_pdf=False,
            after_create=AfterCreate.LEAVE,
            customer_updates=DEFAULT_CUSTOMER_UPDATES,
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
    wanted.update(factoring)
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


def _factoring(
    name: str, contract: str | None, text: str | None, customer_updates: str | None
) -> dict[str, object]:
    """The factoring and customer-update fields to set (``""`` clears), checked."""
    wanted: dict[str, object] = {}
    if contract is not None:
        contract = contract.strip()
        if len(contract) > FACTORING_CONTRACT_MAX:
            raise SettingsError(
                f"Export {name!r}: factoring_contract {contract!r} is longer than "
                f"{FACTORING_CONTRACT_MAX} characters (a Procountor contract number)"
            )
        wanted["factoring_contract"] = contract or None
    if text is not None:
        wanted["factoring_text"] = text.strip() or None
    if customer_updates is not None:
        if customer_updates not in CUSTOMER_UPDATES:
            raise SettingsError(
                f"Export {name!r}: customer_updates {customer_updates!r} is not one of "
                f"{', '.join(CUSTOMER_UPDATES)}"
            )
        wanted["customer_updates"] = customer_updates
    return wanted


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


def _encoding(name: str, encoding: str) -> str:
    for known in ENCODINGS:
        if encoding.replace("-", "").replace("_", "").lower() == known.replace("-", "").lower():
            return known
    raise SettingsError(
        f"Export {name!r}: encoding {encoding!r} is not supported (the Procountor API takes UTF-8)"
    )
