"""What the export settings' modules share: their error, the outcome of an upsert, names."""

from __future__ import annotations

from typing import Literal

Status = Literal["created", "updated", "unchanged"]

NAME_LIMIT = 100


class SettingsError(ValueError):
    """An export setting is invalid or missing; the message names the record and the field."""


def clean_name(name: str, what: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > NAME_LIMIT:
        raise SettingsError(f"{what} name {name!r} must be 1-{NAME_LIMIT} characters")
    return cleaned
