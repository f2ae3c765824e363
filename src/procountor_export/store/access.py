"""Who may use the web UI and the REST API: users (Argon2 password hashes), their sessions, tokens.

Passwords are kept only as Argon2id hashes (slow on purpose: a stolen database does not give
the passwords away); a new one must meet :mod:`~procountor_export.store.passwords`' rules.
A login starts a session: a row of ``web_sessions`` holding the SHA-256 digest of the random
token in the browser's cookie, with an idle limit and an absolute end. Deleting the row ends
the session (logout, "log out everywhere", a new password, the user removed). API tokens are
32 random bytes shown once when created; the store keeps their SHA-256 digest (a random token
needs no slow hash) and their first characters, so a list tells them apart. Functions take an
open session and never commit; bad input raises
:class:`~procountor_export.store.settings_base.SettingsError`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from procountor_export.store.access_models import ApiToken, WebSession, WebUser
from procountor_export.store.db import now as _now
from procountor_export.store.passwords import password_problems
from procountor_export.store.settings_base import SettingsError, clean_name

TOKEN_PREFIX = "pe_"
SESSION_IDLE = timedelta(hours=8)  # a session unused this long ends
SESSION_LIFETIME = timedelta(hours=12)  # and every session ends this long after its login
SESSION_TOUCH = timedelta(minutes=1)  # how often a session's last use is written at most
_HASHER = PasswordHasher()
# Checked against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


# --- users ---------------------------------------------------------------------------------------


def has_users(session: Session) -> bool:
    """Whether any user exists (then the web UI asks everyone to log in)."""
    return bool(session.scalar(select(func.count()).select_from(WebUser)))


def list_users(session: Session) -> list[WebUser]:
    """Every user by name."""
    return list(session.scalars(select(WebUser).order_by(WebUser.name)))


def check_new_password(name: str, password: str) -> None:
    """Raise :class:`SettingsError` naming each rule ``password`` breaks as ``name``'s password."""
    problems = password_problems(password, name)
    if problems:
        raise SettingsError(f"User {name!r}: the password is not accepted: {'; '.join(problems)}")


def set_user(session: Session, name: str, password: str) -> bool:
    """Create the user ``name`` or give it a new password; return whether it was created.

    The password must meet the rules (:func:`check_new_password`). A new password ends every
    session of the user: whoever had it logs in again with the new one.
    """
    name = clean_name(name, "User")
    check_new_password(name, password)
    user = session.scalar(select(WebUser).where(WebUser.name == name))
    created = user is None
    if user is None:
        user = WebUser(name=name, created_at=_now())
        session.add(user)
    else:
        _end_sessions_of(session, user.id)
    user.password_hash = _HASHER.hash(password)
    session.flush()
    return created


def remove_user(session: Session, name: str) -> None:
    """Delete the user ``name``; its sessions end with it."""
    user = session.scalar(select(WebUser).where(WebUser.name == name))
    if user is None:
        raise SettingsError(f"There is no user named {name!r}")
    _end_sessions_of(session, user.id)
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


# --- sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInfo:
    """A session as listed: never its token."""

    user: str
    created_at: datetime
    last_seen_at: datetime
    ends_at: datetime  # when it ends unless used again: idle limit or absolute end, the sooner
    address: str | None


def _ends_at(found: WebSession, idle: timedelta) -> datetime:
    return min(found.last_seen_at + idle, found.expires_at)


def start_session(
    session: Session,
    name: str,
    *,
    now: datetime | None = None,
    address: str | None = None,
    lifetime: timedelta = SESSION_LIFETIME,
    idle: timedelta = SESSION_IDLE,
) -> str:
    """Start a session of the user ``name`` and return its token (for the cookie only).

    Sessions that ended meanwhile, anyone's, are deleted on the way.
    """
    now = now or _now()
    user = session.scalar(select(WebUser).where(WebUser.name == name))
    if user is None:
        raise SettingsError(f"There is no user named {name!r}")
    purge_sessions(session, now=now, idle=idle)
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            digest=_digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            address=address[:100] if address else None,
        )
    )
    session.flush()
    return token


def session_user(
    session: Session, token: str, *, now: datetime | None = None, idle: timedelta = SESSION_IDLE
) -> str | None:
    """The user of the live session ``token`` (records its use), or ``None``.

    A session that was ended, or was unused for ``idle``, or has passed its absolute end, gives
    ``None``; an expired one is deleted. Its use is written at most once a minute.
    """
    now = now or _now()
    found = session.scalar(
        select(WebSession)
        .options(joinedload(WebSession.user))
        .where(WebSession.digest == _digest(token))
    )
    if found is None:
        return None
    if now >= _ends_at(found, idle):
        session.delete(found)
        session.flush()
        return None
    if now - found.last_seen_at >= SESSION_TOUCH:
        found.last_seen_at = min(now, found.expires_at)
    return found.user.name


def end_session(session: Session, token: str) -> bool:
    """End the session ``token`` (logout); return whether it was live."""
    ids = list(session.scalars(select(WebSession.id).where(WebSession.digest == _digest(token))))
    session.execute(delete(WebSession).where(WebSession.id.in_(ids)))
    return bool(ids)


def end_sessions(session: Session, name: str) -> int:
    """End every session of the user ``name`` ("log out everywhere"); return how many."""
    user_id = session.scalar(select(WebUser.id).where(WebUser.name == name))
    if user_id is None:
        raise SettingsError(f"There is no user named {name!r}")
    return _end_sessions_of(session, user_id)


def _end_sessions_of(session: Session, user_id: int) -> int:
    ids = list(session.scalars(select(WebSession.id).where(WebSession.user_id == user_id)))
    if ids:
        session.execute(delete(WebSession).where(WebSession.id.in_(ids)))
    return len(ids)


def purge_sessions(
    session: Session, *, now: datetime | None = None, idle: timedelta = SESSION_IDLE
) -> int:
    """Delete the sessions that ended by themselves (idle or past their end); return how many."""
    now = now or _now()
    ended = (WebSession.expires_at <= now) | (WebSession.last_seen_at <= now - idle)
    ids = list(session.scalars(select(WebSession.id).where(ended)))
    if ids:
        session.execute(delete(WebSession).where(WebSession.id.in_(ids)))
    return len(ids)


def list_sessions(
    session: Session,
    name: str | None = None,
    *,
    now: datetime | None = None,
    idle: timedelta = SESSION_IDLE,
) -> list[SessionInfo]:
    """The live sessions, of the user ``name`` or everyone's, by user and start."""
    now = now or _now()
    query = (
        select(WebSession)
        .join(WebSession.user)
        .options(joinedload(WebSession.user))
        .order_by(WebUser.name, WebSession.created_at, WebSession.id)
    )
    if name is not None:
        query = query.where(WebUser.name == name)
    return [
        SessionInfo(s.user.name, s.created_at, s.last_seen_at, _ends_at(s, idle), s.address)
        for s in session.scalars(query)
        if now < _ends_at(s, idle)
    ]


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
