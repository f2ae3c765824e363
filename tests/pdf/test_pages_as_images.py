"""Rendered pages looked at as images: pdftoppm (poppler) draws them, and none is blank.

``make install`` / ``make test`` install Debian's poppler-utils when pdftoppm is missing. Here a
missing pdftoppm skips the test, except in CI (``PROCOUNTOR_EXPORT_REQUIRE_SERVICES=1``) where
it fails: a check that silently never runs is no check.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_inspect import ink_share  # type: ignore[import-not-found]
from pypdf import PdfReader

from procountor_export.pdf import Language, Variant, render
from procountor_export.pdf.sample import sample_invoice

# Measured at 30 dpi over the body (the running header and footer left out): a page of orders
# has 15-45 % of its pixels inked (anti-aliasing widens the strokes), the sparsest last page
# (only the payment details) about 1.2 %, a blank body none.
BODY = 0.07  # share of the page height above and below the body
MIN_INK = 0.005
FULL_PAGE_INK = 0.1


@pytest.fixture(scope="module")
def pdftoppm() -> str:
    """The path of pdftoppm; skips without it, or fails when services are required."""
    found = shutil.which("pdftoppm")
    if found is None:
        message = "pdftoppm is not installed (make install installs poppler-utils)"
        if os.environ.get("PROCOUNTOR_EXPORT_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _pages_as_png(pdftoppm: str, pdf: bytes, folder: Path) -> list[Path]:
    source = folder / "copy.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [pdftoppm, "-r", "30", "-gray", "-png", str(source), str(folder / "page")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # poppler complains on stderr about anything it had to guess (bad fonts, broken xref)
    assert result.stderr == ""
    return sorted(folder.glob("page-*.png"))


@pytest.mark.parametrize("variant", list(Variant))
@pytest.mark.parametrize("language", [Language.FI, Language.EN])
def test_every_page_is_drawn_and_none_is_blank(
    pdftoppm: str, tmp_path: Path, variant: Variant, language: Language
) -> None:
    pdf = render(sample_invoice(20, language=language), variant)
    images = _pages_as_png(pdftoppm, pdf, tmp_path)
    assert len(images) == len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    shares = [ink_share(image, margin=BODY) for image in images]
    assert min(shares) > MIN_INK, shares
    assert min(shares[:-1]) > FULL_PAGE_INK, shares


def test_a_credit_note_page_is_not_blank(pdftoppm: str, tmp_path: Path) -> None:
    pdf = render(sample_invoice(1, credit=True), Variant.REDUCED)
    (image,) = _pages_as_png(pdftoppm, pdf, tmp_path)
    assert ink_share(image, margin=BODY) > FULL_PAGE_INK
