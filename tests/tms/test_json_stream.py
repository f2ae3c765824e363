"""Reading the document with ijson: values whatever the input's form, errors with their place."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from procountor_export.tms import stream
from procountor_export.tms.stream import DocumentSyntaxError, Source

DOCUMENT: dict[str, Any] = {
    "schema": "tms-invoicing/1",
    "invoices": [
        {"number": str(n), "text": "Kuljetus – ÅÄÖ " * n, "n": 10 ** (n % 19)} for n in range(40)
    ],
    "tail": [True, False, None, 123456789, "x", 1.5, 1e300],
}


def values(data: Any, prefix: str) -> list[Any]:
    with Source(data).items(prefix) as items:
        return list(items)


def invoices(data: Any) -> list[Any]:
    return values(data, "invoices.item")


def error_of(text: str) -> str:
    with pytest.raises(DocumentSyntaxError) as caught, Source(text.encode()).events() as events:
        for _ in events:
            pass
    return str(caught.value)


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 16])
@pytest.mark.parametrize("indent", [None, 2])
def test_values_survive_any_chunking(
    monkeypatch: pytest.MonkeyPatch, chunk: int, indent: int | None
) -> None:
    monkeypatch.setattr(stream, "CHUNK_BYTES", chunk)  # small chunks cut every token somewhere
    text = json.dumps(DOCUMENT, ensure_ascii=False, indent=indent)
    assert invoices(text.encode()) == DOCUMENT["invoices"]
    assert invoices(text) == DOCUMENT["invoices"]
    assert values(text, "tail") == [DOCUMENT["tail"]]


def test_every_form_of_input_reads_alike(tmp_path: Path) -> None:
    text = json.dumps(DOCUMENT, ensure_ascii=False)
    path = tmp_path / "document.json"
    path.write_text(text, encoding="utf-8")
    for data in (text, text.encode(), path, io.BytesIO(text.encode())):
        assert invoices(data) == DOCUMENT["invoices"]


@pytest.mark.parametrize("chunk", [5, 1 << 16])
@pytest.mark.parametrize(
    ("broken", "where", "message"),
    [
        # a missing comma inside invoices: found at the end of the next key
        ('"number": "3",', '"number": "3"', "expecting ',' or '}'"),
        ('"schema": "tms-invoicing/1"', '"schema" "tms-invoicing/1"', "expecting ':'"),
        ('"text": "Kuljetus – ÅÄÖ "', '"text": "Kuljetus\n – ÅÄÖ "', "control character"),
    ],
)
def test_errors_name_the_line_and_the_column_of_the_failing_character(
    monkeypatch: pytest.MonkeyPatch, chunk: int, broken: str, where: str, message: str
) -> None:
    monkeypatch.setattr(stream, "CHUNK_BYTES", chunk)
    text = json.dumps(DOCUMENT, ensure_ascii=False, indent=1).replace(broken, where, 1)
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    found = error_of(text)
    assert found.startswith(f"not valid JSON: {message}") or message in found
    # The line is json's; the column is the character where the parser gave up: json's for
    # a character that cannot be there, the end of the token for a token that cannot.
    lines = text.split("\n")
    line = expected.value.lineno
    assert f" at line {line} column " in found
    column = int(found.rsplit(" ", 1)[1])
    token_end = lines[line - 1].find('"', expected.value.colno) + 1
    assert column in (expected.value.colno, token_end)


def test_the_column_counts_characters_not_bytes() -> None:
    assert error_of('{"ÅÄÖ": 1 "b": 2}').endswith("at line 1 column 13")  # the second quote
    assert error_of('{\n  "a": 1,\n  "ä": tru}').endswith("at line 3 column 11")  # the "}"


def test_a_truncated_document_is_an_error_at_its_end() -> None:
    assert (
        error_of('{"a": [1, 2') == "not valid JSON: the document ends too early at line 1 column 12"
    )


def test_extra_data_after_the_document_is_an_error() -> None:
    assert error_of('{"a": 1}\n x') == (
        "not valid JSON: extra data after the document at line 2 column 2"
    )


def test_text_that_is_not_utf8_is_an_error() -> None:
    # yajl finds the sequence broken at the byte after the "Ä" in Latin-1
    with pytest.raises(DocumentSyntaxError, match="not UTF-8 text at line 1 column 9"):
        invoices('{"a": "Ä"}'.encode("latin-1"))


def test_a_byte_order_mark_is_accepted() -> None:
    assert values(b"\xef\xbb\xbf" + b'{"a": 1}', "a") == [1]
    broken = '{"a" 1}'
    assert error_of("\ufeff" + broken) == error_of(broken)  # the mark takes no column


def test_integers_beyond_64_bits_are_refused() -> None:
    assert error_of('{"a": 123456789012345678901}').startswith("not valid JSON: integer overflow")
