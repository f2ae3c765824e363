"""The web part's tables: people who may log in to the UI, their sessions, the API's tokens.

Kept apart from the rest of the store's tables (they share its metadata, so migrations and
``Base.metadata`` see them): nothing of the export reads them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from procountor_export.store.base import Base


class WebUser(Base):
    """A person who may log in to the web UI; the password is kept as an Argon2 hash only."""

    __tablename__ = "web_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A logged-in browser: its cookie carries a random token, the store only its SHA-256 digest.

    Deleting the row ends the session at its next request (logout, a new password, the user
    removed, ``users logout``). It ends by itself when idle too long or at ``expires_at``, the
    absolute end set at login however active it is.
    """

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    address: Mapped[str | None] = mapped_column(String(100))  # where it logged in from
    user: Mapped[WebUser] = relationship()


class ApiToken(Base):
    """A bearer token of the REST API; only its SHA-256 digest is kept (tokens are random)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the token's first characters, to tell apart
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
