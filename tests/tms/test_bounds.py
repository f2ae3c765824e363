"""The bounds checked on a document's raw bytes: the guard agrees with a byte-by-byte reading
however the bytes are cut into chunks, and a passed bound is found with its JSON path."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procountor_export.samples.generator import generate_document
from procountor_export.tms.bounds import (
    Breach,
    Guard,
    LimitExceeded,
    Limits,
    _first_passing_byte,
    locate,
)

SMALL = Limits(depth=3, number=4, string=6)


def reference(data: bytes, limits: Limits) -> tuple[str, int] | None:
    """The first bound ``data`` passes and the byte where, read one byte at a time."""
    depth = number = string = 0
    in_string = escaped = False
    for index, byte in enumerate(data):
        char = bytes([byte])
        if in_string:
            if escaped:
                escaped = False
            elif char == b"\\":
                escaped = True
            elif char == b'"':
                in_string = False
                continue
            string += 1
            if string > limits.string:
                return "string", index
            continue
        if char == b'"':
            in_string, string, number = True, 0, 0
            continue
        if char in b"-+.0123456789eE":
            number += 1
            if number > limits.number:
                return "number", index
            continue
        number = 0
        if char in b"[{":
            depth += 1
            if depth > limits.depth:
                return "depth", index
        elif char in b"]}":
            depth -= 1
    return None


def guarded(chunks: list[bytes], limits: Limits) -> tuple[str, int] | None:
    """What the guard finds fed ``chunks``: the bound and the byte (found within the chunk)."""
    guard = Guard(limits)
    offset = 0
    for chunk in chunks:
        before = guard.copy()
        try:
            guard.feed(chunk)
        except LimitExceeded as exc:
            return exc.kind, offset + _first_passing_byte(before, chunk)
        offset += len(chunk)
    return None


def cut(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in pairwise(points)]


TOKENS = [b"[", b"]", b"{", b"}", b'"', b"\\", b"\\\\", b'\\"', b"1", b"e", b"-", b".", b"a"]
TOKENS += [b" ", b",", b":", b"true", b'"x"', b"\xc3\xa4"]


@settings(max_examples=600, deadline=None)
@given(
    tokens=st.lists(st.sampled_from(TOKENS), max_size=120),
    cuts=st.lists(st.integers(0, 400), max_size=12),
)
def test_the_guard_finds_what_a_byte_by_byte_reading_finds(
    tokens: list[bytes], cuts: list[int]
) -> None:
    data = b"".join(tokens)
    assert guarded(cut(data, cuts), SMALL) == reference(data, SMALL)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 64, 1 << 16])
def test_escapes_and_brackets_inside_strings_are_text(size: int) -> None:
    text = 'x"[{\\"' + "[" * 50 + "1" * 50 + '\\\\"' + "\\u00e4\\n" * 10
    document = json.dumps({"a": [text, {"b": text}], "c": 1.5e-300, "d": -12345}).encode()
    limits = Limits(depth=3, number=9, string=1000)
    chunks = [document[i : i + size] for i in range(0, len(document), size)]
    assert guarded(chunks, limits) is None
    assert reference(document, limits) is None


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("indent", [None, 1])
def test_real_documents_are_far_within_the_bounds(ensure_ascii: bool, indent: int | None) -> None:
    document = json.dumps(
        generate_document(30, seed=3, with_problems=True), ensure_ascii=ensure_ascii, indent=indent
    ).encode()
    for size in (7, 4096, 1 << 16):
        guard = Guard(Limits(depth=8, number=20, string=1000))  # far below the real bounds
        for start in range(0, len(document), size):
            guard.feed(document[start : start + size])
        assert guard.depth == 0
        assert not guard.in_string


def test_a_string_longer_than_a_chunk_is_counted_across_chunks() -> None:
    limits = Limits(string=100)
    within = b'["' + b"a" * 100 + b'"]'
    over = b'["' + b"a" * 99 + b'\\"' + b'"]'  # 101 bytes as written
    assert guarded([within[i : i + 7] for i in range(0, len(within), 7)], limits) is None
    assert guarded([over[i : i + 7] for i in range(0, len(over), 7)], limits) == ("string", 102)
    assert guarded([b'["' + b"a" * 500 + b'"]'], limits) == ("string", 102)  # one big chunk


def locate_in(document: bytes | str, limits: Limits = SMALL, size: int = 5) -> Breach | None:
    data = document.encode() if isinstance(document, str) else document
    return locate((data[i : i + size] for i in range(0, len(data), size)), limits)


@pytest.mark.parametrize(
    ("document", "kind", "path"),
    [
        ('{"a": [1, [2, [3]]]}', "depth", "a[1][1]"),
        ('{"a": {"b": {"c": {}}}}', "depth", "a.b.c"),
        ("[[0, [[]]]]", "depth", "[0][1][0]"),
        ('{"x": {"y": [1, 12345]}}', "number", "x.y[1]"),
        ('{"x": {"y": 1, "z": -1e10}}', "number", "x.z"),
        ("123456", "number", "(document)"),
        ('{"k": ["abc", "abcdefg"]}', "string", "k[1]"),
        ('{"k": {"a b": "abcdefgh"}}', "string", 'k["a b"]'),
    ],
)
def test_a_passed_bound_is_named_with_the_json_path(document: str, kind: str, path: str) -> None:
    for size in (1, 3, 64):
        assert locate_in(document, size=size) == Breach(kind, path)  # type: ignore[arg-type]


def test_a_long_key_is_named_with_its_object() -> None:
    assert locate_in('{"k": {"a": 1, "abcdefgh": 2}}') == Breach("string", "k", key=True)
    assert locate_in('{"abcdefgh": 2}') == Breach("string", "(document)", key=True)
    assert "a key of more than 6 bytes" in Breach("string", "k", key=True).message(SMALL)


def test_a_deep_path_is_shown_with_its_middle_left_out() -> None:
    breach = locate_in(b'{"office": ' + b"[" * 1000, Limits(depth=64), 1 << 16)
    assert breach == Breach("depth", "office[0][0][0][0][0]…[0][0]")
    assert breach.message(Limits()).startswith("nested more than 64 levels deep")


def test_nothing_to_locate_in_a_document_within_the_bounds() -> None:
    assert locate_in('{"a": [1, "abc", {"b": null}]}') is None
