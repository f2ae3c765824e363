"""Typed reading of a JSON request body that records every problem with its field path.

``Fields(body, "", problems).text("name", required=True, max_len=80)`` returns the value or
``None`` and, when the value is missing, of the wrong type, too long or outside its enum, adds a
problem naming the path (``invoiceRows[0].unit``). Handlers read everything, then call
``problems.raise_if_any()`` so the client sees all problems of the request at once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from procountor_export.emulator.errors import Problems

# Money and quantities beyond this are no real invoice; refusing them keeps Decimal arithmetic
# and the float rendering on the wire exact.
MAX_MAGNITUDE = Decimal("1e13")


def blank(path: str) -> str:
    """The message for a missing required value (wording seen from the real API)."""
    return f"Value of the '{path}' cannot be blank."


def parse_day(value: Any) -> date | None:
    """An ISO date ``YYYY-MM-DD`` or ``None`` when ``value`` is not one."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def as_decimal(value: Any) -> Decimal | None:
    """A JSON number as ``Decimal`` (never a bool), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return None


class Fields:
    """A JSON object under ``path`` being read field by field."""

    def __init__(self, data: dict[str, Any], path: str, problems: Problems):
        self.data = data
        self.path = path
        self.problems = problems

    def at(self, key: str) -> str:
        """The path of ``key`` inside this object."""
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            self.problems.add(self.at(key), blank(self.at(key)))
        return value

    def _wrong(self, key: str, expected: str) -> None:
        self.problems.add(self.at(key), f"Invalid value of '{self.at(key)}': expected {expected}")

    def text(
        self, key: str, *, required: bool = False, max_len: int | None = None, min_len: int = 0
    ) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong(key, "a string")
            return None
        if len(value) < min_len or (required and not value.strip()):
            self.problems.add(self.at(key), blank(self.at(key)))
            return None
        if max_len is not None and len(value) > max_len:
            self.problems.add(
                self.at(key), f"Value of '{self.at(key)}' is too long (max {max_len} characters)"
            )
            return None
        return value

    def number(
        self,
        key: str,
        *,
        required: bool = False,
        minimum: Decimal | int | None = None,
        maximum: Decimal | int | None = None,
        places: int | None = None,
    ) -> Decimal | None:
        value = self._get(key, required)
        if value is None:
            return None
        number = as_decimal(value)
        if number is None or abs(number) >= MAX_MAGNITUDE:
            self._wrong(key, "a number")
            return None
        if minimum is not None and number < minimum:
            self.problems.add(self.at(key), f"Value of '{self.at(key)}' must be at least {minimum}")
            return None
        if maximum is not None and number > maximum:
            self.problems.add(self.at(key), f"Value of '{self.at(key)}' must be at most {maximum}")
            return None
        exponent = number.as_tuple().exponent
        if places is not None and isinstance(exponent, int) and -exponent > places:
            self.problems.add(
                self.at(key), f"Value of '{self.at(key)}' has more than {places} decimals"
            )
            return None
        return number

    def integer(
        self, key: str, *, required: bool = False, minimum: int | None = None
    ) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
            self._wrong(key, "an integer")
            return None
        if minimum is not None and value < minimum:
            self.problems.add(self.at(key), f"Value of '{self.at(key)}' must be at least {minimum}")
            return None
        return value

    def boolean(self, key: str, *, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, bool):
            self._wrong(key, "true or false")
            return None
        return value

    def enum(self, key: str, allowed: Collection[str], *, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or value not in allowed:
            self.problems.add(self.at(key), f"Invalid value '{value}' of '{self.at(key)}'")
            return None
        return value

    def day(self, key: str, *, required: bool = False) -> date | None:
        value = self._get(key, required)
        if value is None:
            return None
        parsed = parse_day(value)
        if parsed is None:
            self._wrong(key, "a date YYYY-MM-DD")
        return parsed

    def child(self, key: str, *, required: bool = False) -> Fields | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self._wrong(key, "an object")
            return None
        return Fields(value, self.at(key), self.problems)

    def objects(self, key: str, *, required: bool = False, min_items: int = 0) -> list[Fields]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(key, "an array")
            return []
        if len(value) < min_items:
            self.problems.add(self.at(key), blank(self.at(key)))
            return []
        readers: list[Fields] = []
        for index, item in enumerate(value):
            path = f"{self.at(key)}[{index}]"
            if isinstance(item, dict):
                readers.append(Fields(item, path, self.problems))
            else:
                self.problems.add(path, f"Invalid value of '{path}': expected an object")
        return readers
