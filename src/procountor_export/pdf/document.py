"""Assembling the PDF: page frame, running header and footer, "page x / y", the two variants.

:func:`render` is the package's one contract: values in, PDF bytes out, no I/O. The page
count is known only once every page is laid out, so the canvas keeps each finished page
and writes the "page x / y" line on all of them when the document is saved.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from reportlab import rl_config  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import SimpleDocTemplate  # type: ignore[import-untyped]

from procountor_export.pdf.blocks import CONTENT_WIDTH, SEPARATOR, Blocks
from procountor_export.pdf.labels import Texts
from procountor_export.pdf.model import PdfInvoice, Variant
from procountor_export.pdf.styles import Look, look, styles

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = (PAGE_WIDTH - CONTENT_WIDTH) / 2
TOP_MARGIN = 20 * mm
BOTTOM_MARGIN = 20 * mm
# reportlab keeps font subsets and registries per process; the export renders from several
# threads, so one document is built at a time.
_RENDERING = threading.Lock()


class _PagedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that writes "page x / y" on every page once it knows y (at save)."""

    def __init__(
        self, *args: Any, page_label: Callable[[int, int], str], font: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._label_font = font
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        # Hold the finished page's drawing state instead of emitting it now.
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self.setFont(self._label_font, 7.5)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, BOTTOM_MARGIN / 2, self._page_label(self._pageNumber, total)
            )
            super().showPage()
        super().save()


def _decorate(invoice: PdfInvoice, texts: Texts, chosen: Look) -> Callable[[Canvas, Any], None]:
    """The running header (seller, invoice) and footer (seller's identifiers) of every page."""
    header, seller = invoice.header, invoice.seller
    kind = texts("credit_note" if header.is_credit else "invoice")
    running = chosen.plain(f"{seller.name}{SEPARATOR}{kind} {header.number}")
    footer = [seller.name]
    if seller.address:
        footer += list(seller.address.lines()[1:])
    footer += [
        f"{texts(key)} {value}"
        for key, value in (("business_id", seller.business_id), ("vat_number", seller.vat_number))
        if value
    ]
    footer_line = chosen.plain(SEPARATOR.join(footer))

    def on_page(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(chosen.regular, 7.5)
        canvas.setFillGray(0.35)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - TOP_MARGIN / 2, running)
        canvas.drawString(MARGIN, BOTTOM_MARGIN / 2, footer_line)
        canvas.restoreState()

    return on_page


def render(invoice: PdfInvoice, variant: Variant = Variant.NORMAL) -> bytes:
    """The PDF copy of ``invoice`` in ``variant``, as bytes.

    Pure: no file, network or database is touched, and the same values give the same bytes
    (reportlab's invariant mode fixes the timestamps and document id). Safe to call from
    several threads (documents are built one at a time).
    """
    chosen = look(variant)
    texts = Texts(invoice.language, invoice.seller.market)
    buffer = io.BytesIO()
    with _RENDERING:
        # reportlab wraps compressed streams in ASCII85 unless told otherwise, which adds a
        # quarter to their size for the sake of 7-bit channels; the copy travels as a binary
        # upload. The switch is process-wide, so it is set only while this document is built.
        ascii85, rl_config.useA85 = rl_config.useA85, 0
        try:
            _build(buffer, invoice, texts, chosen, variant)
        finally:
            rl_config.useA85 = ascii85
    return buffer.getvalue()


def _build(
    buffer: io.BytesIO, invoice: PdfInvoice, texts: Texts, chosen: Look, variant: Variant
) -> None:
    """Lay out and write the document into ``buffer``."""
    header = invoice.header
    kind = texts("credit_note" if header.is_credit else "invoice")
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=chosen.plain(f"{kind} {header.number}"),
        author=chosen.plain(invoice.seller.name),
        subject=chosen.plain(invoice.buyer.name),
        creator="procountor-export",
        # Both variants are compressed: it changes nothing on the page, and the article's
        # reduction comes from the formatting and the font (REDUCED stays far below half).
        pageCompression=1,
        invariant=1,
        # Without this the canvas names Helvetica on every page, even in NORMAL.
        initialFontName=chosen.regular,
    )
    decorate = _decorate(invoice, texts, chosen)
    story = Blocks(invoice, texts, chosen, styles(variant)).story()
    canvasmaker = partial(
        _PagedCanvas,
        page_label=lambda page, total: texts("page", page, total),
        font=chosen.regular,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate, canvasmaker=canvasmaker)
