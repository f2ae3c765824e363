"""The errors of reading a JSON document, and where in the document a syntax error is.

yajl's errors say what is wrong but not where in the document. Errors are rare, so the place
is found only then: the input is parsed again up to the chunk that failed and then one byte at
a time; the byte at which the parser gives up is reported as a line and column (columns count
characters, as :mod:`json` does). The reading itself is :mod:`procountor_export.tms.stream`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import ijson  # no stubs (mypy: ignore_missing_imports): the few calls are typed here

from procountor_export.tms.report import DOCUMENT_PATH

# yajl's wording for the errors a person is likely to meet; the others are shown as yajl says.
_REASONS = {
    "after key and value, inside map, I expect ',' or '}'": "expecting ',' or '}'",
    "after array element, I expect ',' or ']'": "expecting ',' or ']'",
    "object key and value must be separated by a colon (':')": "expecting ':'",
    "invalid object key (must be a string)": "expecting a property name in double quotes",
    "unallowed token at this point in JSON text": "expecting a value",
    "invalid char in json text": "expecting a value",
    "invalid string in json text": "expecting a value",
    "premature EOF": "the document ends too early",
    "trailing garbage": "extra data after the document",
    "invalid character inside string": "invalid control character in a string",
}
_NOT_UTF8 = "invalid bytes in UTF8 string"
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


class Readable(Protocol):
    """The document's bytes, ``read(n)`` at a time (an empty chunk at the end)."""

    def read(self, size: int = -1) -> bytes: ...


# Opens the document's bytes from the start, each time it is called (a second read of it).
Opener = Callable[[], AbstractContextManager[Readable]]


class DocumentSyntaxError(Exception):
    """The document is not well-formed JSON (or not UTF-8); the message says where."""

    path = DOCUMENT_PATH


class DocumentLimitError(DocumentSyntaxError):
    """The document passes a bound of :mod:`~procountor_export.tms.bounds` at ``path``."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


@contextmanager
def _parser() -> Iterator[Callable[[bytes], None]]:
    """``send(chunk)`` to a fresh yajl parser whose events are dropped (an error raises)."""
    events = ijson.utils.sendable_list()
    # Numbers as the passes read them (without use_float a long integer crashes the parser).
    parser = ijson.basic_parse_coro(events, use_float=True)

    def send(chunk: bytes) -> None:
        parser.send(chunk)
        events.clear()

    try:
        yield send
    finally:
        events.clear()


def syntax_error(exc: ijson.JSONError, open_bytes: Opener, chunk_bytes: int) -> DocumentSyntaxError:
    """yajl's error ``exc`` in a person's words, with its line and column in the document that
    ``open_bytes`` reads again (``chunk_bytes`` at a time)."""
    text = exc.args[0] if exc.args else ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    reason = str(text).split("\n", 1)[0].split(": ", 1)[-1].strip().removesuffix(".")
    where = _place(open_bytes, _failing_byte(open_bytes, chunk_bytes), chunk_bytes)
    if reason == _NOT_UTF8:
        return DocumentSyntaxError(f"the document is not UTF-8 text at {where}")
    return DocumentSyntaxError(f"not valid JSON: {_REASONS.get(reason, reason)} at {where}")


def _failing_byte(open_bytes: Opener, chunk_bytes: int) -> int:
    """The offset of the byte at which yajl gives up (the end, if only the end is wrong).

    yajl reports no position, and the same input fails at the same byte however it is cut
    into chunks: one parse finds the failing chunk, a second feeds that one byte by byte.
    """
    failing_chunk = 0
    with open_bytes() as stream, _parser() as send:
        while chunk := stream.read(chunk_bytes):
            try:
                send(chunk)
            except ijson.JSONError:
                break
            failing_chunk += len(chunk)
        else:
            return failing_chunk  # only the end is wrong: the document stops too early
    offset = 0
    with open_bytes() as stream, _parser() as send:
        while chunk := stream.read(chunk_bytes):
            whole = max(0, min(len(chunk), failing_chunk - offset))
            if whole:
                send(chunk[:whole])
            for index in range(whole, len(chunk)):
                try:
                    send(chunk[index : index + 1])
                except ijson.JSONError:
                    return offset + index
            offset += len(chunk)
    return offset  # not reached: the same bytes failed before  # pragma: no cover


def _place(open_bytes: Opener, offset: int, chunk_bytes: int) -> str:
    """``line L column C`` of the byte at ``offset`` (columns in characters, from 1)."""
    line, characters, read = 1, 0, 0
    with open_bytes() as stream:
        while read < offset and (chunk := stream.read(min(chunk_bytes, offset - read))):
            read += len(chunk)
            newlines = chunk.count(b"\n")
            if newlines:
                line += newlines
                chunk = chunk[chunk.rfind(b"\n") + 1 :]
                characters = 0
            characters += len(chunk.translate(None, _CONTINUATION_BYTES))
    return f"line {line} column {characters + 1}"
