"""The rules a new web UI password must meet: long enough, not blank, not a common password.

Checked when a password is set (``users add``, the web UI's *Change password*), never at login:
a user whose password was set under older rules still logs in, until it is changed. The rules
are the ones NIST SP 800-63B asks for, and no more: a minimum length, and no password from a
list of passwords attackers try first; no composition rules, no home-made strength formula.

The list is ``common-passwords.txt.gz`` beside this module: the 20,000 common passwords Django
ships for its ``CommonPasswordValidator`` (made by Royce Williams, lowercased; BSD-3-Clause, see
``common-passwords.NOTICE.txt``), copied unchanged. A password matches it case-insensitively,
ignoring spaces at its ends.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def common_passwords() -> frozenset[str]:
    """The vendored list of common passwords, lowercased (read once)."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def password_problems(password: str, user: str = "") -> list[str]:
    """Each rule ``password`` breaks, in words (empty when it may be used)."""
    problems: list[str] = []
    if not password.strip():
        problems.append("it is empty or only spaces")
    elif len(password) < MIN_LENGTH:
        problems.append(
            f"it is too short: {len(password)} characters, at least {MIN_LENGTH} are needed"
        )
    folded = password.strip().lower()
    if folded and user and folded == user.strip().lower():
        problems.append("it is the user's name")
    if folded and folded in common_passwords():
        problems.append(
            "it is one of the most common passwords, the ones tried first when guessing "
            "(a list of 20,000)"
        )
    return problems


def password_rules() -> str:
    """The rules in one sentence, for forms and prompts."""
    return (
        f"At least {MIN_LENGTH} characters, not only spaces, not the user's name and not one of "
        "the 20,000 most common passwords. A few words are easy to remember and hard to guess."
    )
