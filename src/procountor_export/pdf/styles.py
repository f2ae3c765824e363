"""Fonts and paragraph styles of the two variants, and the text each font can show.

NORMAL embeds Bitstream Vera, the TrueType family that ships inside reportlab (nothing is
downloaded), in its four faces. REDUCED uses Helvetica, one of the PDF's standard fonts that
every reader has, so nothing is embedded; it gets neither bold nor italic nor underline, as the
article's "Reduce PDF file size" says. Every piece of text goes through :meth:`Look.text`, which
escapes paragraph markup and replaces characters the font cannot show (Helvetica speaks only
Windows-1252, Vera a little more), so a Polish or Czech name never prints as black boxes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from procountor_export.pdf.model import Variant

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
# Registered names (reportlab's font registry is per process): face -> file in FONT_DIR.
_VERA = {
    "PdfCopyVera": "Vera.ttf",
    "PdfCopyVera-Bold": "VeraBd.ttf",
    "PdfCopyVera-Italic": "VeraIt.ttf",
    "PdfCopyVera-BoldItalic": "VeraBI.ttf",
}
# Letters without a decomposition to a base letter, spelled as their nearest plain letter.
_PLAIN = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i"})


@cache
def _vera_registered() -> frozenset[int]:
    """Register the Vera faces once per process; the code points the family can show."""
    for name, filename in _VERA.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    # The family lets <b> and <i> in a paragraph pick the bold and italic faces.
    pdfmetrics.registerFontFamily(
        "PdfCopyVera",
        normal="PdfCopyVera",
        bold="PdfCopyVera-Bold",
        italic="PdfCopyVera-Italic",
        boldItalic="PdfCopyVera-BoldItalic",
    )
    face = pdfmetrics.getFont("PdfCopyVera").face
    return frozenset(face.charToGlyph)


def _cp1252(char: str) -> bool:
    """Whether Helvetica (WinAnsiEncoding, i.e. Windows-1252) can show ``char``."""
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Look:
    """The typography of one variant: fonts, sizes, and whether formatting is allowed."""

    variant: Variant
    regular: str
    bold: str
    italic: str
    formatted: bool  # bold, italic and underline allowed
    charset: frozenset[int] | None = field(repr=False)  # None: Windows-1252

    def can_show(self, char: str) -> bool:
        """Whether the variant's font has a glyph for ``char``."""
        if self.charset is None:
            return _cp1252(char)
        return ord(char) in self.charset

    def plain(self, value: str) -> str:
        """``value`` with each character the font lacks replaced by its nearest plain letter.

        Accents come off by Unicode decomposition (ź -> z); letters without one use a small
        table (Ł -> L); anything else becomes "?" rather than an invisible glyph.
        """
        if all(self.can_show(char) for char in value):
            return value
        out = []
        for char in value:
            if self.can_show(char):
                out.append(char)
                continue
            base = unicodedata.normalize("NFKD", char).translate(_PLAIN)
            base = "".join(c for c in base if not unicodedata.combining(c))
            out.append(base if base and all(self.can_show(c) for c in base) else "?")
        return "".join(out)

    def text(self, value: object) -> str:
        """Any value as paragraph text: shown by the font, with markup characters escaped."""
        return escape(self.plain(str(value)))

    def strong(self, markup: str) -> str:
        """Bold in NORMAL; as it is in REDUCED (``markup`` is already escaped)."""
        return f"<b>{markup}</b>" if self.formatted else markup

    def emphasis(self, markup: str) -> str:
        """Italic in NORMAL; as it is in REDUCED."""
        return f"<i>{markup}</i>" if self.formatted else markup

    def underline(self, markup: str) -> str:
        """Underlined in NORMAL; as it is in REDUCED."""
        return f"<u>{markup}</u>" if self.formatted else markup


@cache
def look(variant: Variant) -> Look:
    """The look of ``variant`` (fonts registered on first use)."""
    if variant is Variant.NORMAL:
        return Look(
            variant=variant,
            regular="PdfCopyVera",
            bold="PdfCopyVera-Bold",
            italic="PdfCopyVera-Italic",
            formatted=True,
            charset=_vera_registered(),
        )
    return Look(
        variant=variant,
        regular="Helvetica",
        bold="Helvetica",
        italic="Helvetica",
        formatted=False,
        charset=None,
    )


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one look."""

    body: ParagraphStyle
    small: ParagraphStyle
    right: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    head_cell: ParagraphStyle
    head_cell_right: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    note: ParagraphStyle


@cache
def styles(variant: Variant) -> Styles:
    """Paragraph styles for ``variant``: headings bold in NORMAL, notes italic in NORMAL."""
    chosen = look(variant)
    body = ParagraphStyle("body", fontName=chosen.regular, fontSize=8.5, leading=10.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=9.6)
    head_cell = ParagraphStyle("head_cell", parent=cell, fontName=chosen.bold)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7, leading=8.5),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        head_cell=head_cell,
        head_cell_right=ParagraphStyle("head_cell_right", parent=head_cell, alignment=TA_RIGHT),
        title=ParagraphStyle(
            "title", parent=body, fontName=chosen.bold, fontSize=16, leading=20, spaceAfter=4
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=chosen.bold,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
        ),
        note=ParagraphStyle("note", parent=body, fontName=chosen.italic, spaceBefore=4),
    )
