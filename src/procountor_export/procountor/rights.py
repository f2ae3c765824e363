"""The user rights the export needs, and a lenient reader of ``GET /users/rights``.

The Opter article lists the rights an API user needs; each sits in an area of Procountor's
``UserPrivileges`` (``{"role": …, "rights": {AREA: {RIGHT: LEVEL}}}``) and must be at
``ALL_RIGHTS``. Older API versions wrapped or named things differently, so the reader looks
for a right wherever it appears and never fails on an unexpected shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ALL_RIGHTS", "REQUIRED_RIGHTS", "RequiredRight", "UserRights"]

ALL_RIGHTS = "ALL_RIGHTS"


@dataclass(frozen=True)
class RequiredRight:
    """A right the export needs: its area, its key and the level it must have."""

    area: str
    right: str
    level: str = ALL_RIGHTS

    @property
    def path(self) -> str:
        """``area.right``, as shown to the user."""
        return f"{self.area}.{self.right}"


# The article's table, in its order (areas per procountor-api.md §7.12).
REQUIRED_RIGHTS: tuple[RequiredRight, ...] = (
    RequiredRight("management", "basicAccountingInfo"),
    RequiredRight("management", "importData"),
    RequiredRight("user", "editPersonalInfo"),
    RequiredRight("sales", "salesOrGroupInvoices"),
    RequiredRight("sales", "salesInvoiceSearch"),
    RequiredRight("sales", "customerRegister"),
    RequiredRight("sales", "productRegister"),
    RequiredRight("invoiceCirculation", "verification"),
    RequiredRight("invoiceCirculation", "approval"),
    RequiredRight("accounting", "journalReceipts"),
    RequiredRight("accounting", "journalReceiptSearch"),
)


@dataclass
class UserRights:
    """The current user's rights as ``{area: {right: level}}`` (levels are strings)."""

    role: str | None = None
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)
    raw: Any = None

    @classmethod
    def parse(cls, data: Any) -> UserRights:
        """Read any known shape of ``GET /users/rights``; unknown parts are ignored."""
        role = data.get("role") if isinstance(data, Mapping) else None
        rights: Any = data.get("rights", data) if isinstance(data, Mapping) else None
        areas: dict[str, dict[str, Any]] = {}
        if isinstance(rights, Mapping):
            for area, values in rights.items():
                if isinstance(values, Mapping):
                    areas[str(area)] = {str(key): value for key, value in values.items()}
        elif isinstance(rights, list):
            # A list of {"area"/"name", "right", "level"} entries (seen in older renderings).
            for entry in rights:
                if isinstance(entry, Mapping) and entry.get("right"):
                    area = str(entry.get("area") or entry.get("name") or "")
                    areas.setdefault(area, {})[str(entry["right"])] = entry.get("level")
        return cls(role=role if isinstance(role, str) else None, areas=areas, raw=data)

    def level(self, area: str, right: str) -> str | None:
        """The level of ``right`` in ``area``; looks in other areas when the area is absent."""
        value = self.areas.get(area, {}).get(right)
        if value is None:
            for values in self.areas.values():
                if right in values:
                    value = values[right]
                    break
        if value is None:
            return None
        if isinstance(value, bool):
            return ALL_RIGHTS if value else "NO_ACCESS"
        return str(value)

    def has(self, required: RequiredRight) -> bool:
        """Whether the user has ``required`` at its level."""
        return self.level(required.area, required.right) == required.level

    def check(self) -> Iterator[tuple[RequiredRight, str | None, bool]]:
        """Each required right with the user's level and whether it suffices."""
        for required in REQUIRED_RIGHTS:
            level = self.level(required.area, required.right)
            yield required, level, level == required.level

    def missing(self) -> list[RequiredRight]:
        """The required rights the user lacks (empty when all is well)."""
        return [required for required, _level, ok in self.check() if not ok]
