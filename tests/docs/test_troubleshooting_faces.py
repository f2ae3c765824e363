"""The troubleshooting page shows every fix as each face words it."""

from __future__ import annotations

from pathlib import Path

from procountor_export.export.messages import ACTIONS

PAGE = Path(__file__).parents[2] / "docs" / "user-guide" / "troubleshooting.md"


def test_every_action_is_on_the_page_with_its_three_wordings() -> None:
    rows = set(PAGE.read_text(encoding="utf-8").splitlines())
    missing = [
        name
        for name, action in ACTIONS.items()
        if f"| {action.cli} | {action.web} | {action.api} |" not in rows
    ]
    assert missing == []
