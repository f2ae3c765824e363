"""Who may use the web UI and the REST API: users (Argon2 password hashes) and bearer tokens.

Passwords are kept only as Argon2id hashes (slow on purpose: a stolen database does not give
the passwords away). API tokens are 32 random bytes shown once when created; the store keeps
their SHA-256 digest (a random token needs no slow hash) and their first characters, so a list
tells them apart. Functions take an open session and never commit; bad input raises
:class:`~procountor_export.store.settings_base.SettingsError`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procountor_export.store.access_models import ApiToken, WebUser
from procountor_export.store.settings_base import SettingsError, clean_name

TOKEN_PREFIX = "pe_"
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
# Checked against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# --- users ---------------------------------------------------------------------------------------


def has_users(session: Session) -> bool:
    """Whether any user exists (then the web UI asks everyone to log in)."""
    return bool(session.scalar(select(func.count()).select_from(WebUser)))


def user_exists(session: Session, name: str) -> bool:
    """Whether the user ``name`` exists (a removed user's session ends at its next request)."""
    return session.scalar(select(WebUser.id).where(WebUser.name == name)) is not None


def list_users(session: Session) -> list[WebUser]:
    """Every user by name."""
    return list(session.scalars(select(WebUser).order_by(WebUser.name)))


def set_user(session: Session, name: str, password: str) -> bool:
    """Create the user ``name`` or give it a new password; return whether it was created."""
    name = clean_name(name, "User")
    if len(password) < MIN_PASSWORD:
        raise SettingsError(f"User {name!r}: the password needs {MIN_PASSWORD} characters or more")
    user = session.scalar(select(WebUser).where(WebUser.name == name))
    created = user is None
    if user is None:
        user = WebUser(name=name, created_at=_now())
        session.add(user)
    user.password_hash = _HASHER.hash(password)
    session.flush()
    return created


def remove_user(session: Session, name: str) -> None:
    """Delete the user ``name``."""
    user = session.scalar(select(WebUser).where(WebUser.name == name))
    if user is None:
        raise SettingsError(f"There is no user named {name!r}")
    session.delete(user)
    session.flush()


def check_password(session: Session, name: str, password: str) -> bool:
    """Whether ``name`` exists and ``password`` is its password (records the login)."""
    user = session.scalar(select(WebUser).where(WebUser.name == name))
    ok: bool
    try:
        ok = _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        return False
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    user.last_login_at = _now()
    return True


# --- API tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str) -> str:
    """Create the token ``name`` and return it: the only time it is ever shown."""
    name = clean_name(name, "Token")
    if session.scalar(select(ApiToken).where(ApiToken.name == name)) is not None:
        raise SettingsError(f"A token named {name!r} exists already (revoke it first)")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, digest=_digest(token), prefix=token[:10], created_at=_now()))
    session.flush()
    return token


def revoke_token(session: Session, name: str) -> None:
    """Delete the token ``name``: requests carrying it are refused from now on."""
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise SettingsError(f"There is no token named {name!r}")
    session.delete(token)
    session.flush()


def list_tokens(session: Session) -> list[TokenInfo]:
    """Every token by name."""
    return [
        TokenInfo(t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at)
        for t in session.scalars(select(ApiToken).order_by(ApiToken.name))
    ]


def token_owner(session: Session, token: str) -> str | None:
    """The name of the valid token ``token`` (records its use), or ``None``."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(token)
    found = session.scalar(select(ApiToken).where(ApiToken.digest == digest))
    if found is None or found.revoked_at is not None:
        return None
    if not hmac.compare_digest(found.digest, digest):
        return None
    found.last_used_at = _now()
    return found.name
