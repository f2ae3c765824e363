"""The streaming JSON reader: values across chunk boundaries, errors with their place."""

from __future__ import annotations

import json
from typing import Any

import pytest

from procountor_export.tms.stream import DocumentSyntaxError, JsonReader, Source

DOCUMENT: dict[str, Any] = {
    "schema": "tms-invoicing/1",
    "invoices": [{"number": str(n), "text": "Kuljetus – ÅÄÖ " * n, "n": 10**n} for n in range(40)],
    "tail": [True, False, None, 123456789, "x"],
}


def read_all(reader: JsonReader) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in reader.object_keys():
        found[key] = list(reader.array_items()) if key == "invoices" else reader.value()
    if not reader.at_end():
        raise reader.error("extra data after the document")
    return found


def parse(text: str, chunk: int) -> dict[str, Any]:
    with Source(text).reader() as reader:
        reader._chunk = chunk  # small chunks cut every token somewhere
        return read_all(reader)


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_values_survive_any_chunking(chunk: int, indent: int | None) -> None:
    text = json.dumps(DOCUMENT, ensure_ascii=False, indent=indent)
    with Source(text.encode()).reader() as reader:
        reader._chunk = chunk  # small chunks cut every token somewhere
        assert read_all(reader) == DOCUMENT


@pytest.mark.parametrize("chunk", [5, 1 << 20])
@pytest.mark.parametrize(
    ("broken", "where"),
    [
        ('"number": "3",', '"number": "3"'),  # a missing comma inside invoices
        ('"schema": "tms-invoicing/1"', '"schema" "tms-invoicing/1"'),
        ('"text": "Kuljetus – ÅÄÖ "', '"text": "Kuljetus\n – ÅÄÖ "'),  # raw newline in a string
    ],
)
def test_errors_name_the_line_and_column_json_would(chunk: int, broken: str, where: str) -> None:
    text = json.dumps(DOCUMENT, ensure_ascii=False, indent=1).replace(broken, where, 1)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(DocumentSyntaxError) as caught:
        parse(text, chunk)
    place = f"line {expected.value.lineno} column {expected.value.colno}"
    assert str(caught.value).endswith(place)


def test_a_truncated_document_is_an_error() -> None:
    text = json.dumps(DOCUMENT)[:-20]
    with pytest.raises(DocumentSyntaxError, match="not valid JSON"):
        parse(text, 1000)


def test_text_that_is_not_utf8_is_an_error() -> None:
    with (
        pytest.raises(DocumentSyntaxError, match="not UTF-8"),
        Source('{"a": "Ä"}'.encode("latin-1")).reader() as reader,
    ):
        read_all(reader)


def test_a_byte_order_mark_is_accepted() -> None:
    with Source(b"\xef\xbb\xbf" + b'{"a": 1}').reader() as reader:
        assert read_all(reader) == {"a": 1}
