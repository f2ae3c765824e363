"""Procountor's character rule: UTF-8 on the wire, but only characters Windows-1252 can encode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MESSAGE = (
    "Text contains characters that are not allowed (only Windows-1252 characters are accepted)"
)


def is_cp1252(text: str) -> bool:
    """Whether every character of ``text`` exists in Windows-1252."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def bad_text_fields(value: Any, path: str = "") -> Iterator[str]:
    """Yield the path (``a.b[0].c``) of every string inside ``value`` outside Windows-1252.

    Object keys are checked as part of the path only; a key that is not Windows-1252 text is
    reported as the offending field itself.
    """
    if isinstance(value, str):
        if not is_cp1252(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and not is_cp1252(key):
                yield child
                continue
            yield from bad_text_fields(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from bad_text_fields(item, f"{path}[{index}]")
