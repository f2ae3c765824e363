"""``procountor-export pdf``: one invoice's PDF copy written to a file, through the Typer app."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from procountor_export.cli import app

EXAMPLE = Path(__file__).parents[1] / "tms" / "data" / "example.json"


@pytest.fixture
def imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store in a temporary SQLite file holding the format's example document."""
    monkeypatch.setenv("PROCOUNTOR_EXPORT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("PROCOUNTOR_EXPORT_KEY_FILE", str(tmp_path / "secret.key"))
    result = run("import", str(EXAMPLE))
    assert result.exit_code == 0, result.output


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


@pytest.mark.usefixtures("imported")
def test_writes_the_normal_and_the_reduced_copy(tmp_path: Path) -> None:
    normal, reduced = tmp_path / "normal.pdf", tmp_path / "reduced.pdf"
    first = run("pdf", "250001", "-o", str(normal))
    assert first.exit_code == 0, first.output
    assert "Wrote the normal PDF copy of invoice 250001" in first.output
    second = run("pdf", "250001", "--reduced", "--output", str(reduced))
    assert second.exit_code == 0, second.output
    assert "reduced" in second.output
    assert normal.read_bytes().startswith(b"%PDF-")
    assert len(reduced.read_bytes()) * 2 <= len(normal.read_bytes())
    for path in (normal, reduced):
        found = _text(path)
        for item in ("Lasku 250001", "A-1001", "CN-88231", "Acme Oy", "Beta Ab", "165 km"):
            assert item in found, (path.name, item)


@pytest.mark.usefixtures("imported")
def test_an_unknown_invoice_exits_1_naming_it(tmp_path: Path) -> None:
    output = tmp_path / "none.pdf"
    result = run("pdf", "999999", "-o", str(output))
    assert result.exit_code == 1
    assert "Invoice 999999 is not in the store" in result.output
    assert not output.exists()


@pytest.mark.usefixtures("imported")
def test_an_unwritable_output_is_a_clean_error(tmp_path: Path) -> None:
    result = run("pdf", "250001", "-o", str(tmp_path / "missing" / "copy.pdf"))
    assert result.exit_code == 1
    assert "Cannot write" in result.output


def test_the_output_file_is_required() -> None:
    result = run("pdf", "250001")
    assert result.exit_code == 2
