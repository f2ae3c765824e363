"""Reading a large JSON document in bounded memory with ``ijson``, errors naming their place.

Why: a 50,000-invoice document is 100–150 MB of JSON; parsed whole it becomes well over a
gigabyte of Python objects. ``ijson`` (its C backend on yajl) hands out parse events, or whole
values at a prefix such as ``invoices.item``, reading the input in chunks. yajl's errors do not
say where in the document they are: :mod:`procountor_export.tms.json_errors` finds the line and
column, reading the document again.

Every chunk is checked against the bounds of :mod:`procountor_export.tms.bounds` (nesting
depth, length of a number or a string) before the parser sees it: a hostile document is
refused after a few kilobytes, with the JSON path of the value that passed the bound. What is
built whole (each top-level section, each invoice) is bounded in JSON values as well: the
first pass counts them as it reads, and refuses a section or an invoice as soon as it holds
too many, before the rest of it is built.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from itertools import filterfalse, islice, takewhile
from operator import itemgetter, ne
from os import PathLike
from pathlib import Path
from typing import IO, Any, Protocol

import ijson  # no stubs (mypy: ignore_missing_imports): the few calls are typed here

from procountor_export.tms.bounds import Guard, LimitExceeded, Limits, locate, too_many_values
from procountor_export.tms.document import TOP_LEVEL_KEYS
from procountor_export.tms.json_errors import DocumentLimitError, DocumentSyntaxError, syntax_error
from procountor_export.tms.report import DOCUMENT_PATH, ImportReport

__all__ = [
    "CHUNK_BYTES",
    "Document",
    "DocumentInput",
    "DocumentLimitError",
    "DocumentSyntaxError",
    "Event",
    "InMemoryDocument",
    "Source",
    "StreamedDocument",
]

CHUNK_BYTES = 1 << 16
_BOM = b"\xef\xbb\xbf"

Event = tuple[str, str, Any]  # ijson.parse: (prefix, event, value)

DocumentInput = bytes | str | PathLike[str] | IO[bytes]


class _Bytes:
    """``read(n)`` of the document's UTF-8 bytes, without a byte order mark, each chunk shown
    to ``guard`` (if any) before it is handed out; ``checked`` once the guard saw the end."""

    def __init__(self, read: Callable[[int], bytes], guard: Guard | None = None) -> None:
        self._read = read
        self._started = False
        self._guard = guard
        self.checked = False

    def read(self, size: int = -1) -> bytes:
        chunk = self._read(size)
        if not self._started and size:  # ijson first reads 0 bytes to learn the type
            self._started = True
            while len(chunk) < len(_BOM) and chunk == _BOM[: len(chunk)]:
                more = self._read(size)  # a BOM cut by a tiny read size
                if not more:
                    break
                chunk += more
            chunk = chunk.removeprefix(_BOM)
        if self._guard is not None:
            self._guard.feed(chunk)
            self.checked = self.checked or (size != 0 and not chunk)
        return chunk


class _TextSlices:
    """UTF-8 bytes of a str, a slice at a time (no second copy of a large text)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        size = len(self._text) if size < 0 else size
        chunk = self._text[self._pos : self._pos + size]
        self._pos += len(chunk)
        return chunk.encode("utf-8", "surrogatepass")


class Source:
    """A document that can be read more than once (the importer makes two passes).

    Its events and items are read within ``limits``; passing one raises a
    :class:`DocumentLimitError` that names the bound and the JSON path.
    """

    def __init__(self, data: DocumentInput, limits: Limits = Limits()) -> None:
        self._data = data
        self._limits = limits
        # Read to its end within the limits: bytes, text or a copy do not change after that,
        # a file named by its path may (it is checked on every read).
        self._within_limits = False
        self._spool: IO[bytes] | None = None
        if not isinstance(data, bytes | str | PathLike) and not data.seekable():
            # A pipe can be read once only: keep a copy on disk, not in memory.
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            shutil.copyfileobj(data, spool, CHUNK_BYTES)
            self._spool = spool

    @contextmanager
    def _open(self, guarded: bool = False) -> Iterator[_Bytes]:
        """The document's bytes from the start (``guarded``: checked against the limits)."""
        data = self._spool or self._data
        path = isinstance(data, PathLike)
        checking = guarded and (path or not self._within_limits)
        guard = Guard(self._limits) if checking else None
        if isinstance(data, str):
            stream = _Bytes(_TextSlices(data).read, guard)
            yield stream
        elif isinstance(data, PathLike):
            with Path(data).open("rb") as handle:
                stream = _Bytes(handle.read, guard)
                yield stream
        else:
            binary: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
            binary.seek(0)
            stream = _Bytes(binary.read, guard)
            yield stream
        self._within_limits = self._within_limits or stream.checked

    @contextmanager
    def events(self) -> Iterator[Iterator[Event]]:
        """``ijson.parse`` events, ``(prefix, event, value)`` with numbers as int or float.

        A context manager rather than a generator, so the events reach the caller straight
        from C (a generator in between would cost a Python frame each, millions of them); an
        ijson error in its block becomes a :class:`DocumentSyntaxError` with its place.
        """
        with self._open(guarded=True) as stream, self._placed_errors():
            yield ijson.parse(stream, buf_size=CHUNK_BYTES, use_float=True)

    @contextmanager
    def items(self, prefix: str) -> Iterator[Iterator[Any]]:
        """Each value at ``prefix`` (``ijson.items``), built in C one at a time."""
        with self._open(guarded=True) as stream, self._placed_errors():
            yield ijson.items(stream, prefix, buf_size=CHUNK_BYTES, use_float=True)

    @contextmanager
    def _placed_errors(self) -> Iterator[None]:
        try:
            yield
        except ijson.JSONError as exc:
            raise self._syntax_error(exc) from None
        except LimitExceeded:
            raise self._limit_error() from None

    def _limit_error(self) -> DocumentSyntaxError:
        """Which bound the document passes where (or its syntax error, when that comes first)."""
        try:
            with self._open() as stream:
                breach = locate(iter(partial(stream.read, CHUNK_BYTES), b""), self._limits)
        except ijson.JSONError as exc:
            return self._syntax_error(exc)
        if breach is None:  # pragma: no cover - the file changed between two reads
            return DocumentSyntaxError("the document changed while it was read")
        return DocumentLimitError(breach.message(self._limits), breach.path)

    def _syntax_error(self, exc: ijson.JSONError) -> DocumentSyntaxError:
        # CHUNK_BYTES as it is at the error: a chunk size set on this module applies here too.
        return syntax_error(exc, self._open, CHUNK_BYTES)

    def close(self) -> None:
        """Remove the spooled copy, if any."""
        if self._spool is not None:
            self._spool.close()


# --- the importer's two passes ------------------------------------------------------------------


class Document(Protocol):
    """What the importer reads: the top level, then the invoices."""

    def scan(self, report: ImportReport) -> dict[str, Any]:
        """The top level without ``invoices``."""

    def invoices(self) -> Iterator[tuple[int, Any]]:
        """Each raw invoice with its index."""

    def close(self) -> None:
        """Release what the document holds."""


class InMemoryDocument:
    """A document already parsed (a dict)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def scan(self, report: ImportReport) -> dict[str, Any]:
        invoices = self._data.get("invoices")
        if invoices is not None and not isinstance(invoices, list):
            report.error("invoices", "must be a list")
        return {k: v for k, v in self._data.items() if k != "invoices"}

    def invoices(self) -> Iterator[tuple[int, Any]]:
        invoices = self._data.get("invoices")
        yield from enumerate(invoices if isinstance(invoices, list) else [])

    def close(self) -> None:
        return None


_INVOICES_END = ("invoices", "end_array", None)
_ENDS = {"start_map": "end_map", "start_array": "end_array"}
_NOT_VALUES = frozenset(("map_key", "end_map", "end_array"))  # the other events begin a value
_KIND = itemgetter(1)
# The sections that must be an object or a list (of objects): given as the other kind of
# container, the document is refused at once, like a bound passed (nothing is built).
_CONTAINERS = {
    "office": "start_map",
    "export_settings": "start_map",
    "profit_centres": "start_array",
    "vat_rates": "start_array",
    "customers": "start_array",
    "periods": "start_array",
}
_WRONG_KIND = {
    "start_map": "must be an object, not a list",
    "start_array": "must be a list, not an object",
}


def _skip(events: Iterator[Event], prefix: str, event: str) -> None:
    """Consume the rest of the value at ``prefix`` that began with ``event``, in C."""
    end = {"start_map": "end_map", "start_array": "end_array"}.get(event)
    if end is not None:
        deque(takewhile(partial(ne, (prefix, end, None)), events), maxlen=0)


def _value(events: Iterator[Event], event: str, value: Any, limit: int, path: str) -> Any:
    """The whole value that began with ``(event, value)``, of ``limit`` values at most (itself
    included): one more raises a :class:`DocumentLimitError` at ``path``."""
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1 if event in _ENDS else 0
    values = 1
    while depth:
        _, event, value = next(events)
        builder.event(event, value)
        if event in _ENDS:
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
            continue
        elif event == "map_key":
            continue
        values += 1
        if values > limit:
            raise DocumentLimitError(too_many_values(limit), path)
    return builder.value


def _check_items(events: Iterator[Event], prefix: str, limit: int) -> None:
    """Consume the list at ``prefix`` (its start read), counting the values of each item: an
    item of more than ``limit`` raises a :class:`DocumentLimitError` at its path.

    Nothing is built, and the events are counted in C (a few Python steps per item).
    """
    for index, (_, event, _) in enumerate(events):
        end = _ENDS.get(event)
        if end is None:
            if event == "end_array":  # the end of the list (an item cannot begin so)
                return
            continue  # a single value
        within = takewhile(partial(ne, (f"{prefix}.item", end, None)), events)
        values = filterfalse(_NOT_VALUES.__contains__, map(_KIND, within))
        deque(islice(values, limit - 1), maxlen=0)  # the item itself is the first value
        if next(values, None) is not None:
            raise DocumentLimitError(too_many_values(limit, invoice=True), f"{prefix}[{index}]")


class StreamedDocument:
    """A document read from text, bytes or a file with ijson, one value at a time.

    The first pass builds the top-level values except ``invoices``, whose events are counted
    in C (no invoice may hold more than ``limits.invoice_values``); the second has ijson build
    the invoices one at a time in C (``invoices.item``).
    """

    def __init__(self, data: DocumentInput, limits: Limits = Limits()) -> None:
        self._source = Source(data, limits)
        self._limits = limits
        # The second pass reads only the first "invoices" array, from the events, when a
        # later top-level key could otherwise add to it (the document is rejected then).
        self._first_array_only = False

    def scan(self, report: ImportReport) -> dict[str, Any]:
        header: dict[str, Any] = {}
        with self._source.events() as events:
            first = next(events, None)
            if first is None or first[1] != "start_map":
                report.error(DOCUMENT_PATH, "the document must be a JSON object")
                return header
            seen: set[str] = set()
            for _, kind, key in events:
                if kind == "end_map":
                    break
                _, event, value = next(events)
                if key in seen or key.startswith("invoices."):
                    self._first_array_only = True
                if key in seen:
                    report.error(key, "duplicate top-level key")
                    _skip(events, key, event)
                    continue
                seen.add(key)
                expected = _CONTAINERS.get(key, event)
                if event in _ENDS and event != expected:
                    raise DocumentLimitError(_WRONG_KIND[expected], key)
                if key not in TOP_LEVEL_KEYS:  # an error whatever it holds: not built
                    header[key] = None
                    _skip(events, key, event)
                elif key != "invoices":
                    limit = self._limits.values(key)
                    header[key] = _value(events, event, value, limit, key)
                elif event == "start_array":
                    _check_items(events, key, self._limits.invoice_values)
                elif event != "null":
                    report.error("invoices", "must be a list")
                    _skip(events, key, event)
            deque(events, maxlen=0)  # only an error can follow
        return header

    def invoices(self) -> Iterator[tuple[int, Any]]:
        if not self._first_array_only:
            with self._source.items("invoices.item") as items:
                yield from enumerate(items)
            return
        with self._source.events() as events:
            first_array = takewhile(partial(ne, _INVOICES_END), events)
            yield from enumerate(ijson.items(first_array, "invoices.item"))

    def close(self) -> None:
        self._source.close()
