"""The bounds a document must keep while it is read: nesting depth, number and string length.

Why: ``ijson.parse`` gives every event the path of its value as a string, and keeps one for
each open level; a document nested 100,000 levels deep (200 KB of brackets) costs gigabytes
of such paths before the first event of a chunk comes out. A number is turned into a Python
``int`` or ``float`` by the parser, and a string is buffered whole however long it is. So the
bounds are checked on the raw bytes, chunk by chunk, *before* the parser sees them: a
:class:`Guard` cuts each chunk at its quotes, looks for a long number in what lies outside the
strings and counts the depth over its brackets, with a few calls of ``bytes`` methods per
chunk (about 7 ms per MB, a third of what the parse itself takes).

When a bound is passed, :func:`locate` reads the document again up to that byte with yajl's
basic events (no paths) and finds the JSON path of the value, as the errors of the import
name their place. No real document comes near the bounds: a ``tms-invoicing/1`` document is
7 levels deep, its amounts are decimal strings and its longest texts are a few hundred
characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Literal

import ijson  # no stubs (mypy: ignore_missing_imports)

from procountor_export.tms.report import json_path

MAX_DEPTH = 64
"""Objects and lists open at once (the document itself is level 1)."""
MAX_NUMBER = 40
"""Characters of one JSON number (sign, point and exponent included)."""
MAX_STRING = 1 << 20
"""Bytes of one JSON string between its quotes, as written (UTF-8, escapes as written)."""
MAX_INVOICE_VALUES = 200_000
"""JSON values in one invoice, itself included (a real one has a few hundred)."""
MAX_SECTION_VALUES = 100_000
"""JSON values in one top-level value other than ``customers`` and ``invoices``."""
MAX_CUSTOMERS_VALUES = 2_000_000
"""JSON values in ``customers`` (a customer has 20–30: about 70,000–100,000 customers)."""
# Why the last three: the sections, and each invoice, are built whole before they are checked.
# Built, a value takes about 140 bytes in a real document and up to about 90 in a hostile one
# (1,000,000 small objects or keys: 73–87 MB; numbers 9–33 MB): the caps keep an invoice to
# about 20 MB, a section to about 10 MB and ``customers`` to about 180 MB.

Kind = Literal["depth", "number", "string"]

_NUMBER_MARKS = bytes.maketrans(  # the characters of a number as "1", the others as "."
    bytes(range(256)), bytes(49 if byte in b"-+.0123456789eE" else 46 for byte in range(256))
)
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_STEP = [0] * 256
_STEP[ord("[")], _STEP[ord("]")] = 1, -1


@dataclass(frozen=True)
class Limits:
    """The bounds a document is read with (the defaults are the import's)."""

    depth: int = MAX_DEPTH
    number: int = MAX_NUMBER
    string: int = MAX_STRING
    invoice_values: int = MAX_INVOICE_VALUES
    section_values: int = MAX_SECTION_VALUES
    customers_values: int = MAX_CUSTOMERS_VALUES

    def values(self, section: str) -> int:
        """The most JSON values the top-level value ``section`` may hold."""
        return self.customers_values if section == "customers" else self.section_values


def too_many_values(limit: int, invoice: bool = False) -> str:
    """The message of an invoice or a top-level section that holds more than ``limit`` values."""
    whole = "an invoice" if invoice else "this section"
    real = " (a real one holds a few hundred)" if invoice else ""
    return (
        f"more than {limit:,} JSON values (objects, lists, texts and numbers): "
        f"{whole} may hold {limit:,} at most{real}"
    )


class LimitExceeded(Exception):
    """A :class:`Guard` saw a bound passed in the bytes it was given."""

    def __init__(self, kind: Kind) -> None:
        super().__init__(kind)
        self.kind: Kind = kind


class Guard:
    """Checks a document's bytes against :class:`Limits`, fed in chunks cut anywhere.

    Between chunks it remembers only whether a string is open (how long it is so far, and
    whether its last byte is a backslash that escapes the next one), the depth, and the length
    of the number the last chunk ended in. :meth:`feed` raises :class:`LimitExceeded` at the
    first chunk that passes a bound, before anything is built from it.

    A chunk is cut at its quotes (``bytes.split``, in C): the pieces are alternately outside
    and inside strings, unless a quote is escaped; only a chunk with a backslash before a quote
    is walked piece by piece. What lies outside the strings is then searched for a long number
    and counted for depth with ``bytes.translate`` and ``bytes.find``.
    """

    __slots__ = ("_long_number", "depth", "escaped", "in_string", "limits", "number", "string")

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits
        self._long_number = b"1" * (limits.number + 1)
        self.depth = 0
        self.in_string = False
        self.escaped = False  # the open string's last byte is a backslash escaping the next
        self.string = 0  # bytes of the open string so far
        self.number = 0  # characters of the number the last chunk ended in

    def copy(self) -> Guard:
        """A guard in the same state."""
        twin = Guard.__new__(Guard)
        for name in self.__slots__:
            setattr(twin, name, getattr(self, name))
        return twin

    def feed(self, chunk: bytes) -> None:
        """Check the next bytes of the document."""
        step = self.limits.string  # a string closed within a piece is then within the bound
        for start in range(0, len(chunk), step):
            self._feed(chunk[start : start + step] if len(chunk) > step else chunk)

    def _feed(self, chunk: bytes) -> None:
        began_in_string = self.in_string
        # Only a backslash before a quote can make a quote part of a string.
        escapes = self.escaped or b'\\"' in chunk
        outside = self._walk(chunk) if escapes else self._split(chunk)
        # A string's end separates what is outside it (a number does not go on after it).
        if began_in_string:
            outside = b"\0" + outside
        if self.in_string:
            outside += b"\0"
        if self.string > self.limits.string:
            raise LimitExceeded("string")
        self._numbers(outside)
        self._depth(outside)

    def _split(self, chunk: bytes) -> bytes:
        """What lies outside strings, joined by zero bytes; no quote in ``chunk`` is escaped."""
        pieces = chunk.split(b'"')
        began_in_string = self.in_string
        if began_in_string:
            self.string += len(pieces[0])
            if self.string > self.limits.string:
                raise LimitExceeded("string")
        if (len(pieces) - 1) % 2:
            self.in_string = not self.in_string
        if self.in_string:
            tail = pieces[-1]
            if len(pieces) > 1:
                self.string = len(tail)
            self.escaped = _escapes_next(tail, False)
        return b"\0".join(pieces[1::2] if began_in_string else pieces[::2])

    def _walk(self, chunk: bytes) -> bytes:
        """:meth:`_split` for a chunk where a quote may be escaped: piece by piece."""
        pieces = chunk.split(b'"')
        last = len(pieces) - 1
        outside: list[bytes] = []
        for index, piece in enumerate(pieces):
            if not self.in_string:
                outside.append(piece)
                if index < last:  # the quote after the piece opens a string
                    self.in_string, self.string, self.escaped = True, 0, False
                continue
            escaped = _escapes_next(piece, self.escaped)
            self.string += len(piece)
            if index == last:
                self.escaped = escaped
            elif escaped:  # the quote after the piece is part of the string
                self.string += 1
                self.escaped = False
            else:  # the quote after the piece closes the string
                if self.string > self.limits.string:
                    raise LimitExceeded("string")
                self.in_string = self.escaped = False
        return b"\0".join(outside)

    def _numbers(self, outside: bytes) -> None:
        marks = outside.translate(_NUMBER_MARKS)
        leading = len(marks) - len(marks.lstrip(b"1"))
        if self.number + leading > self.limits.number or self._long_number in marks:
            raise LimitExceeded("number")
        if leading == len(marks):
            self.number += leading
        else:
            self.number = len(marks) - len(marks.rstrip(b"1"))

    def _depth(self, outside: bytes) -> None:
        brackets = outside.translate(_BRACKETS, _NOT_BRACKETS)
        if not brackets:
            return
        opened = brackets.count(b"[")
        limit = self.limits.depth
        if self.depth + opened > limit:
            deepest = max(accumulate(map(_STEP.__getitem__, brackets), initial=self.depth))
            if deepest > limit:
                raise LimitExceeded("depth")
        self.depth += 2 * opened - len(brackets)


def _escapes_next(piece: bytes, escaped: bool) -> bool:
    """Whether the byte after ``piece`` (inside a string) is escaped by its last backslash.

    ``escaped``: the piece's first byte is escaped by a backslash before it.
    """
    run = len(piece) - len(piece.rstrip(b"\\"))
    if run == len(piece):
        return (run + escaped) % 2 == 1 if run else escaped
    return run % 2 == 1


@dataclass(frozen=True)
class Breach:
    """A bound passed: which, and the JSON path of the value (or of the object whose key)."""

    kind: Kind
    path: str
    key: bool = False  # the string is a key of the object at ``path``

    def message(self, limits: Limits) -> str:
        """What is wrong, in the words of an import error."""
        if self.kind == "depth":
            return (
                f"nested more than {limits.depth} levels deep (objects and lists): "
                f"a document may nest {limits.depth} levels at most"
            )
        if self.kind == "number":
            return (
                f"a number of more than {limits.number} characters: numbers may have "
                f"{limits.number} at most (amounts are decimal strings)"
            )
        what = "a key" if self.key else "a string"
        return (
            f"{what} of more than {limits.string:,} bytes: strings may have "
            f"{limits.string:,} bytes at most"
        )


def locate(chunks: Iterable[bytes], limits: Limits = Limits()) -> Breach | None:
    """Where the document in ``chunks`` first passes a bound (None when it does not).

    Reads with yajl's basic events only up to the byte that passes the bound, so it costs
    no more than the clean part of the document; a syntax error before that byte raises
    ``ijson.JSONError`` (it is the document's first problem then).
    """
    guard = Guard(limits)
    events = ijson.utils.sendable_list()
    parser = ijson.basic_parse_coro(events, use_float=True)
    tracker = _Tracker()
    for chunk in chunks:
        before = guard.copy()
        try:
            guard.feed(chunk)
        except LimitExceeded as exc:
            passing = _first_passing_byte(before, chunk)
            if passing:  # (an empty chunk would tell the parser that the document ends)
                parser.send(chunk[:passing])
            tracker.follow(events)
            return tracker.breach(exc.kind)
        if chunk:
            parser.send(chunk)
        tracker.follow(events)
        events.clear()
    return None


def _first_passing_byte(guard: Guard, chunk: bytes) -> int:
    """The index of the byte of ``chunk`` at which ``guard`` sees a bound passed."""
    low, high = 0, len(chunk) - 1  # chunk[: high + 1] passes a bound
    while low < high:
        middle = (low + high) // 2
        try:
            guard.copy().feed(chunk[: middle + 1])
        except LimitExceeded:
            high = middle
        else:
            low = middle + 1
    return low


class _Tracker:
    """The JSON path of the next value, from yajl's basic events."""

    def __init__(self) -> None:
        # One frame per open object or list: [is_object, key or last index, awaiting a value]
        self.frames: list[list[Any]] = []

    def follow(self, events: Iterable[tuple[str, Any]]) -> None:
        """Take in the next basic events."""
        frames = self.frames
        for event, value in events:
            if event == "map_key":
                frames[-1][1] = value
                frames[-1][2] = True
                continue
            if event in ("end_map", "end_array"):
                frames.pop()
                continue
            if frames:
                top = frames[-1]
                if top[0]:
                    top[2] = False
                else:
                    top[1] += 1
            if event == "start_map":
                frames.append([True, None, False])
            elif event == "start_array":
                frames.append([False, -1, False])

    def breach(self, kind: Kind) -> Breach:
        """The bound ``kind`` passed by the next value (or key) after the events followed."""
        parts: list[int | str] = [frame[1] for frame in self.frames if frame[1] is not None]
        key = False
        if self.frames:
            is_object, last, awaiting_value = self.frames[-1]
            if not is_object:
                parts[-1] = last + 1  # the next item
            elif not awaiting_value:
                key = True  # an object's key, not a value
                if last is not None:
                    parts.pop()
        return Breach(kind, _shown_path(parts), key)


def _shown_path(parts: list[int | str]) -> str:
    """The path, its middle left out when it is long: ``office[0][0][0][0][0][0]…[0][0]``."""
    if len(parts) <= 10:
        return json_path("", parts)
    tail = json_path("$", parts[-2:]).removeprefix("$").removeprefix(".")
    return f"{json_path('', parts[:6])}…{tail}"
