"""Encryption of stored secrets (export definitions' API keys) with a Fernet key.

The key comes from ``PROCOUNTOR_EXPORT_SECRET_KEY`` or from the key file; ``init`` creates the
key file (readable by its owner only) when neither exists.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class SecretKeyError(Exception):
    """The Fernet key is missing or does not open a stored secret."""


def load_key(secret_key: str | None, key_file: Path) -> bytes:
    """Return the Fernet key from the setting, else from ``key_file``; raise if neither."""
    if secret_key:
        key = secret_key.strip().encode()
    elif key_file.is_file():
        key = key_file.read_bytes().strip()
    else:
        raise SecretKeyError(
            f"No secret key: set PROCOUNTOR_EXPORT_SECRET_KEY or run 'procountor-export init' "
            f"to create {key_file}."
        )
    try:
        Fernet(key)
    except ValueError as exc:
        raise SecretKeyError(
            "The secret key is not a valid Fernet key (32 url-safe base64-encoded bytes)."
        ) from exc
    return key


def ensure_key_file(key_file: Path) -> bool:
    """Create ``key_file`` with a new key unless it exists; return whether it was created."""
    if key_file.exists():
        return False
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(Fernet.generate_key() + b"\n")
    return True


class SecretBox:
    """Encrypts and decrypts short secrets with one Fernet key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    def encrypt(self, plaintext: str) -> str:
        """Encrypt ``plaintext`` into a printable token."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Decrypt a token made by :meth:`encrypt`; raise :class:`SecretKeyError` on a wrong key."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError(
                "A stored API key cannot be decrypted with the current secret key; "
                "set the export's password again."
            ) from exc
