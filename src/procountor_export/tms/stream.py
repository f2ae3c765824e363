"""Reading a large JSON document one value at a time, in bounded memory.

Why: a 50,000-invoice document is 100–150 MB of JSON; parsed whole it becomes well over a
gigabyte of Python objects. :class:`JsonReader` walks the top-level object and the ``invoices``
array with the standard library's C decoder, holding only a window of the text (about one
chunk plus the value being decoded).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import IO, Any

CHUNK_CHARS = 1 << 20
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class DocumentSyntaxError(Exception):
    """The document is not well-formed JSON (or not UTF-8); the message says where."""


class JsonReader:
    """Pulls JSON values from text delivered by ``read(n)`` (``""`` at the end)."""

    def __init__(self, read: Callable[[int], str], chunk_chars: int | None = None) -> None:
        self._read = read
        self._chunk = chunk_chars or CHUNK_CHARS
        self._decoder = json.JSONDecoder()
        self._buf = ""
        self._pos = 0
        self._eof = False
        # Where the buffer starts in the document, for error positions.
        self._offset = 0
        self._line = 1
        self._column = 1

    # --- buffer -------------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Read more text (at least as much as is pending, so long values cost linear time)."""
        if self._eof:
            return False
        if self._pos:
            self._drop(self._pos)
        try:
            more = self._read(max(self._chunk, len(self._buf)))
        except UnicodeDecodeError as exc:
            raise DocumentSyntaxError(f"the document is not UTF-8 text: {exc.reason}") from exc
        if not more:
            self._eof = True
            return False
        self._buf += more
        return True

    def _drop(self, count: int) -> None:
        dropped = self._buf[:count]
        newlines = dropped.count("\n")
        if newlines:
            self._line += newlines
            self._column = count - dropped.rfind("\n")
        else:
            self._column += count
        self._offset += count
        self._buf = self._buf[count:]
        self._pos -= count

    def _where(self, pos: int) -> str:
        before = self._buf[:pos]
        newlines = before.count("\n")
        if newlines:
            column = pos - before.rfind("\n")
            return f"line {self._line + newlines} column {column}"
        return f"line {self._line} column {self._column + pos}"

    def error(self, message: str) -> DocumentSyntaxError:
        """A syntax error at the current position."""
        return DocumentSyntaxError(f"not valid JSON: {message} at {self._where(self._pos)}")

    def peek(self) -> str:
        """The next non-whitespace character, or ``""`` at the end of the text."""
        while True:
            end = _WHITESPACE.match(self._buf, self._pos)
            self._pos = end.end() if end else self._pos
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._fill():
                return ""

    def expect(self, char: str) -> None:
        """Consume ``char`` (after whitespace) or raise a syntax error."""
        found = self.peek()
        if found != char:
            raise self.error(f"expecting {char!r}")
        self._pos += 1

    # --- values -------------------------------------------------------------------------------

    def value(self) -> Any:
        """Decode the next value whole."""
        if not self.peek():
            raise self.error("expecting a value")
        failed_at: int | None = None
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buf, self._pos)
            except RecursionError:
                raise self.error("values nested too deeply") from None
            except json.JSONDecodeError as exc:
                absolute = self._offset + exc.pos
                # Text cut at the chunk's end looks like an error: read more and try again,
                # unless more text did not move the error (then it is real).
                real = failed_at == absolute and not exc.msg.startswith("Unterminated string")
                if real or not self._fill():
                    where = self._where(absolute - self._offset)
                    message = exc.msg.removesuffix(" at")
                    raise DocumentSyntaxError(f"not valid JSON: {message} at {where}") from None
                failed_at = absolute
                continue
            if end == len(self._buf) and self._fill():
                continue  # a number may go on in the next chunk
            self._pos = end
            return value

    def object_keys(self) -> Iterator[str]:
        """Walk an object: yield each key; the caller must consume its value before resuming."""
        self.expect("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error("expecting a property name in double quotes")
            key = self.value()
            self.expect(":")
            yield key
            following = self.peek()
            self._pos += 1
            if following == "}":
                return
            if following != ",":
                self._pos -= 1
                raise self.error("expecting ',' or '}'")

    def array_items(self) -> Iterator[Any]:
        """Walk an array, decoding one item at a time."""
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            following = self.peek()
            self._pos += 1
            if following == "]":
                return
            if following != ",":
                self._pos -= 1
                raise self.error("expecting ',' or ']'")

    def at_end(self) -> bool:
        """Whether only whitespace is left."""
        return self.peek() == ""


# --- sources -------------------------------------------------------------------------------------

DocumentInput = bytes | str | PathLike[str] | IO[bytes]


class _TextSlices:
    """``read(n)`` over a str without copying it into a StringIO (4 bytes per character)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0

    def read(self, size: int) -> str:
        chunk = self._text[self._pos : self._pos + size]
        self._pos += len(chunk)
        return chunk


class Source:
    """A document that can be read more than once (the importer makes two passes)."""

    def __init__(self, data: DocumentInput) -> None:
        self._data = data
        self._spool: IO[bytes] | None = None
        if not isinstance(data, bytes | str | PathLike) and not data.seekable():
            # A pipe can be read once only: keep a copy on disk, not in memory.
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            shutil.copyfileobj(data, spool, CHUNK_CHARS)
            self._spool = spool

    @contextmanager
    def reader(self) -> Iterator[JsonReader]:
        """A fresh reader positioned at the start of the document."""
        data = self._spool or self._data
        if isinstance(data, str):
            yield JsonReader(_TextSlices(data).read)
            return
        if isinstance(data, PathLike):
            with Path(data).open(encoding="utf-8-sig", newline="") as handle:
                yield JsonReader(handle.read)
            return
        binary: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
        binary.seek(0)
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        try:
            yield JsonReader(text.read)
        finally:
            text.detach()  # leave the caller's file open

    def close(self) -> None:
        """Remove the spooled copy, if any."""
        if self._spool is not None:
            self._spool.close()
