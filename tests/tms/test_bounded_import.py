"""Bounded parsing (issue 20): a hostile document is refused early, in little memory, with the
bound and the JSON path it passes; nothing is imported; the CLI says so without a traceback.

The documents nested 100,000 levels deep are read by separate processes with their address
space capped: read without the bounds, such a document takes gigabytes.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.samples.generator import generate_document
from procountor_export.store.db import Store
from procountor_export.store.secrets import SecretBox
from procountor_export.tms.bounds import Limits
from procountor_export.tms.importer import import_document
from procountor_export.tms.report import ImportReport
from procountor_export.tms.stream import (
    DocumentLimitError,
    DocumentSyntaxError,
    Source,
    StreamedDocument,
)

if TYPE_CHECKING:
    from tests.tms.conftest import RowCounts

HEAD = b'{"schema": "tms-invoicing/1", "office": '
MB = 1024 * 1024
ADDRESS_SPACE = 3 * 1024 * MB  # a cap for the processes that read a hostile document


def nested(levels: int) -> bytes:
    return HEAD + b"[" * levels + b"]" * levels + b"}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A store on SQLite: the bounds are the reading's, whatever the database."""
    store = Store.open(f"sqlite:///{tmp_path / 'bounds.sqlite'}")
    yield store
    store.close()


def only_error(report: ImportReport) -> tuple[str, str]:
    assert not report.accepted
    assert len(report.errors) == 1, report.errors
    return report.errors[0].path, report.errors[0].message


def test_deep_nesting_is_refused_in_little_memory(store: Store, row_counts: RowCounts) -> None:
    before = row_counts(store)
    tracemalloc.start()
    try:
        # 5,000 levels: read without bounds, ijson's paths alone take about 100 MB.
        report = import_document(store, nested(5000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    path, message = only_error(report)
    assert path == "office[0][0][0][0][0]…[0][0]"
    assert message.startswith("nested more than 64 levels deep")
    assert peak < 5 * MB, peak
    assert row_counts(store) == before


def test_64_levels_are_read_and_65_are_not() -> None:
    def depth_of(levels: int) -> None:
        with Source(b"[" * levels + b"]" * levels).items("") as items:
            list(items)

    depth_of(64)
    with pytest.raises(DocumentSyntaxError, match="nested more than 64 levels"):
        depth_of(65)


def test_a_5001_digit_number_is_an_error_at_its_path(store: Store) -> None:
    report = import_document(store, HEAD + b'{"code": ' + b"1" * 5001 + b"}}")
    assert only_error(report) == (
        "office.code",
        "a number of more than 40 characters: numbers may have 40 at most "
        "(amounts are decimal strings)",
    )


def test_a_long_number_among_the_invoices_rejects_the_whole_document(
    store: Store, row_counts: RowCounts
) -> None:
    document = generate_document(3, seed=7)
    document["invoices"][2]["postings"][0]["net"] = 1.0  # a placeholder, made long below
    text = json.dumps(document).replace('"net": 1.0', '"net": 1.' + "0" * 60)
    before = row_counts(store)
    report = import_document(store, text, box=SecretBox(Fernet.generate_key()))
    path, message = only_error(report)
    assert path == "invoices[2].postings[0].net"
    assert "more than 40 characters" in message
    assert row_counts(store) == before


def test_a_long_string_is_an_error_at_its_path(store: Store) -> None:
    report = import_document(store, HEAD + b'{"name": "' + b"x" * (2 * MB) + b'"}}')
    path, message = only_error(report)
    assert path == "office.name"
    assert message.startswith("a string of more than 1,048,576 bytes")


def test_a_syntax_error_before_the_bound_is_the_error_reported(store: Store) -> None:
    report = import_document(store, b'{"schema": "tms-invoicing/1",, "office": ' + b"[" * 5000)
    path, message = only_error(report)
    assert path == "(document)"
    assert message.startswith("not valid JSON: expecting a property name")


def test_a_long_integer_is_placed_where_the_parser_stops() -> None:
    # The place is found by parsing again; that pass reads numbers as the first one does.
    with (
        pytest.raises(DocumentSyntaxError) as caught,
        Source(b'{"a": 123456789012345678901}').events() as events,
    ):
        list(events)
    assert str(caught.value) == "not valid JSON: integer overflow at line 1 column 28"


def test_a_valid_document_still_imports(tmp_path: Path, store: Store) -> None:
    document = generate_document(300, seed=5)
    path = tmp_path / "document.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    report = import_document(store, path, box=SecretBox(Fernet.generate_key()))
    assert report.accepted, report.errors[:3]
    assert report.counts["invoices"].created == 300


# --- values in a section or an invoice (built whole) --------------------------------------------


def zeros(count: int) -> bytes:
    return b"[" + b"0," * (count - 1) + b"0]"


def refused_in_little_memory(store: Store, data: bytes, box: SecretBox | None = None) -> str:
    """Import ``data``, refused with one error: its path and message; nothing is imported and
    the import's peak memory stays small."""
    tracemalloc.start()
    try:
        report = import_document(store, data, box=box)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    path, message = only_error(report)
    assert peak < 40 * MB, peak
    return f"{path}: {message}"


def test_a_50_mb_section_is_refused_at_its_cap(store: Store, row_counts: RowCounts) -> None:
    before = row_counts(store)
    data = HEAD + b'{"code": "HEL", "units": ' + zeros(25_000_000) + b"}}"  # 50 MB
    assert refused_in_little_memory(store, data) == (
        "office: more than 100,000 JSON values (objects, lists, texts and numbers): "
        "this section may hold 100,000 at most"
    )
    assert row_counts(store) == before


def test_a_section_of_the_wrong_kind_is_refused_at_once(store: Store) -> None:
    # A list where an object must be (50 MB): refused at its first byte, nothing built.
    data = HEAD + zeros(25_000_000) + b"}"
    assert refused_in_little_memory(store, data) == "office: must be an object, not a list"
    data = HEAD + b'{}, "customers": {"a": ' + zeros(1_000_000) + b"}}"
    assert refused_in_little_memory(store, data) == "customers: must be a list, not an object"


def test_unknown_top_level_keys_are_not_built(store: Store) -> None:
    report = import_document(store, HEAD + b'{}, "extra": ' + zeros(1_000_000) + b"}")
    assert any(p.path == "extra" for p in report.errors)


def test_an_invoice_of_1000000_orders_is_refused_at_its_cap(
    store: Store, row_counts: RowCounts
) -> None:
    document = generate_document(3, seed=7)
    document["invoices"][1]["orders"] = "ORDERS"  # a placeholder, replaced below
    text = json.dumps(document).encode()
    text = text.replace(b'"ORDERS"', b"[" + b"{}," * 999_999 + b"{}]")
    before = row_counts(store)
    assert refused_in_little_memory(store, text, SecretBox(Fernet.generate_key())) == (
        "invoices[1]: more than 200,000 JSON values (objects, lists, texts and numbers): "
        "an invoice may hold 200,000 at most (a real one holds a few hundred)"
    )
    assert row_counts(store) == before


@pytest.mark.parametrize("extra", [0, 1])
def test_the_caps_are_exact(extra: int) -> None:
    """An invoice (itself, its keys' values, items) and a section at their caps are read."""
    limits = Limits(invoice_values=4, section_values=4, customers_values=6)
    invoice = b'[{"a": 1, "b": [2' + b", 3" * extra + b"]}, 7]"
    office = b'{"a": [1, 2' + b", 3" * extra + b"]}"
    customers = b"[{}, {}, {}, {}, {}" + b", {}" * extra + b"]"
    for section, expected in [
        (b'"invoices": ' + invoice, "invoices[0]: more than 4 JSON values"),
        (b'"office": ' + office, "office: more than 4 JSON values"),
        (b'"customers": ' + customers, "customers: more than 6 JSON values"),
    ]:
        document = StreamedDocument(b"{" + section + b"}", limits)
        if not extra:
            document.scan(ImportReport())
            assert len(list(document.invoices())) == (2 if b"invoices" in section else 0)
            continue
        with pytest.raises(DocumentLimitError) as caught:
            document.scan(ImportReport())
        assert f"{caught.value.path}: {caught.value}".startswith(expected)


def test_a_document_of_thousands_of_invoices_still_imports(store: Store) -> None:
    document = generate_document(2500, seed=3)
    report = import_document(store, json.dumps(document), box=SecretBox(Fernet.generate_key()))
    assert report.accepted, report.errors[:3]
    assert report.counts["invoices"].created == 2500
    assert report.counts["customers"].created == len(document["customers"])


# --- the CLI --------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PROCOUNTOR_EXPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "PROCOUNTOR_EXPORT_SECRET_KEY": Fernet.generate_key().decode(),
    }


def run_import(path: Path, env: dict[str, str]) -> tuple[int, str, str, int]:
    """``procountor-export import PATH`` in a process of its own, its address space capped:
    the exit code, the output, the error output and the peak of its resident memory."""

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "procountor_export", "import", str(path)],
            env=env,
            stdout=out,
            stderr=err,
            preexec_fn=capped,
        )
        _, status, usage = os.wait4(process.pid, 0)  # with the process's own resource usage
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return process.returncode, out.read().decode(), err.read().decode(), usage.ru_maxrss * 1024


def test_the_cli_refuses_100000_levels_quickly_in_little_memory(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    small = tmp_path / "small.json"
    small.write_bytes(HEAD + b"[]}")
    deep = tmp_path / "deep.json"
    deep.write_bytes(nested(100_000))
    *_, baseline = run_import(small, cli_env)
    code, stdout, stderr, peak = run_import(deep, cli_env)
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert "The document was rejected: 1 problem; nothing was imported." in stdout
    assert "office[0][0][0][0][0]…[0][0]: nested more than 64 levels deep" in stdout
    assert peak - baseline < 50 * MB, (peak, baseline)


def test_the_cli_names_a_long_number_without_a_traceback(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = tmp_path / "number.json"
    path.write_bytes(HEAD + b'{"code": ' + b"1" * 5001 + b"}}")
    result = CliRunner().invoke(app, ["import", "--json", str(path)], env=cli_env)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    errors = json.loads(result.stdout)["errors"]
    assert [error["path"] for error in errors] == ["office.code"]


def test_a_document_of_empty_invoices_keeps_a_bounded_list_of_errors(
    store: Store, row_counts: RowCounts
) -> None:
    # Every empty invoice is several errors: the report lists the first thousand, says that
    # it stopped, and counts the rest, so a hostile list of them cannot fill the memory.
    document = generate_document(1, seed=3)
    document["invoices"] = [{} for _ in range(2000)]
    before = row_counts(store)
    report = import_document(store, json.dumps(document).encode())
    assert not report.accepted
    assert len(report.errors) == 1001
    cut = report.errors[-1]
    assert cut.message.startswith("more than 1,000 errors: only the first 1,000 are listed")
    assert report.errors_not_kept > 2000
    assert report.to_dict()["errors_not_kept"] == report.errors_not_kept
    assert row_counts(store) == before
