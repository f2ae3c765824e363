"""Windows-1252 text rules: Procountor accepts UTF-8 but only characters of Windows-1252."""

from __future__ import annotations


def unencodable(text: str | None) -> str:
    """The distinct characters of ``text`` that Windows-1252 cannot encode, in order."""
    if not text:
        return ""
    bad: list[str] = []
    for char in text:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            if char not in bad:
                bad.append(char)
    return "".join(bad)


def clip(text: str | None, limit: int) -> str | None:
    """``text`` cut to ``limit`` characters (Procountor rejects longer fields)."""
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"
