"""NORMAL against REDUCED: fonts, formatting, compression and size, as the article describes."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from pdf_inspect import content_filters, fonts, text  # type: ignore[import-not-found]
from pypdf import PdfReader

from procountor_export.pdf import Variant, render
from procountor_export.pdf.sample import sample_invoice

FORMATTED_FACES = ("Bold", "Italic", "Oblique")


def test_reduced_is_at_most_half_the_normal_size_with_20_orders() -> None:
    invoice = sample_invoice(20)
    normal, reduced = render(invoice, Variant.NORMAL), render(invoice, Variant.REDUCED)
    assert len(reduced) * 2 <= len(normal), (len(normal), len(reduced))


@pytest.mark.parametrize("orders", [1, 200])
def test_reduced_is_smaller_at_any_size(orders: int) -> None:
    invoice = sample_invoice(orders)
    assert len(render(invoice, Variant.REDUCED)) < len(render(invoice, Variant.NORMAL))


def test_reduced_uses_one_standard_font_not_embedded_and_no_formatting() -> None:
    used = fonts(render(sample_invoice(20), Variant.REDUCED))
    assert used
    assert {font.base_font for font in used} == {"/Helvetica"}
    assert not any(font.embedded for font in used)
    assert not [f for f in used if any(face in f.base_font for face in FORMATTED_FACES)]


def test_normal_embeds_its_truetype_font_in_bold_and_italic_too() -> None:
    used = fonts(render(sample_invoice(20), Variant.NORMAL))
    assert used
    assert all(font.embedded and font.subtype == "/TrueType" for font in used)
    names = {font.base_font for font in used}
    assert any(name.endswith("BitstreamVeraSans-Roman") for name in names)
    assert any("Bold" in name for name in names)  # headings
    assert any("Oblique" in name for name in names)  # notes
    assert not any("Helvetica" in name for name in names)


@pytest.mark.parametrize("variant", list(Variant))
def test_page_streams_are_compressed(variant: Variant) -> None:
    filters = content_filters(render(sample_invoice(20), variant))
    assert filters
    # Flate only: no ASCII85 layer, which would add a quarter to every stream
    assert set(filters) == {("/FlateDecode",)}


def test_normal_underlines_the_total_and_reduced_does_not() -> None:
    # reportlab draws an underline as a stroked line right under the text ("x y m x y l S");
    # on the sample's last page the only one is under the amount to pay.
    def strokes(variant: Variant) -> int:
        reader = PdfReader(io.BytesIO(render(sample_invoice(1), variant)))
        return len(re.findall(rb" l\s+S", reader.pages[-1].get_contents().get_data()))

    assert strokes(Variant.NORMAL) == strokes(Variant.REDUCED) + 1


@pytest.mark.parametrize("variant", list(Variant))
def test_the_same_invoice_gives_the_same_bytes(variant: Variant) -> None:
    assert render(sample_invoice(3), variant) == render(sample_invoice(3), variant)


def test_renders_from_several_threads_match_one_at_a_time() -> None:
    jobs = [(sample_invoice(n), variant) for n in (1, 5, 9) for variant in Variant]
    expected = [render(invoice, variant) for invoice, variant in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda job: render(*job), jobs))
    assert got == expected


def test_reduced_and_normal_say_the_same() -> None:
    invoice = sample_invoice(5)
    assert text(render(invoice, Variant.NORMAL)) == text(render(invoice, Variant.REDUCED))
