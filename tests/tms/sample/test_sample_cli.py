"""``generate-sample``: the same document as the library, to stdout or to a file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from procountor_export.cli import app
from procountor_export.samples.generator import PROBLEM_CASES, generate_document


def test_writes_the_document_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "invoices.json"
    result = CliRunner().invoke(
        app,
        [
            "generate-sample",
            "--invoices",
            "25",
            "--seed",
            "4",
            "--with-problems",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == generate_document(
        25, seed=4, with_problems=True
    )
    assert f"Wrote 25 invoices + {len(PROBLEM_CASES)} problem cases (seed 4)" in result.stderr
    assert "\n" not in target.read_text(encoding="utf-8").rstrip("\n")  # compact JSON


def test_writes_to_stdout_without_output_option() -> None:
    result = CliRunner().invoke(app, ["generate-sample", "--invoices", "7", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == generate_document(7, seed=3)


def test_refuses_a_negative_count() -> None:
    result = CliRunner().invoke(app, ["generate-sample", "--invoices", "-1"])
    assert result.exit_code == 2
    assert "--invoices" in result.output


def test_unwritable_output_is_a_clean_error(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "invoices.json"
    result = CliRunner().invoke(app, ["generate-sample", "--invoices", "1", "-o", str(target)])
    assert result.exit_code == 1
    assert "Cannot write" in result.output
