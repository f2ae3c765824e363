"""Looking inside a rendered PDF: its text, its fonts, and its pages as PNG pixels.

The PNG reader is a few lines of pure Python (zlib and the five PNG row filters), enough for
the 8-bit grey or RGB images ``pdftoppm`` writes, so the tests need no imaging library.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


def normalise(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) folded into single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page, normalised."""
    return [normalise(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    """The text of the whole document, normalised."""
    return " ".join(page_texts(pdf))


@dataclass(frozen=True)
class FontInfo:
    """One font resource: its name and whether the file is inside the PDF."""

    base_font: str
    subtype: str
    embedded: bool


def fonts(pdf: bytes) -> list[FontInfo]:
    """Every font every page uses (descendant fonts of composite fonts included)."""
    found: list[FontInfo] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources is not None else None
        if font_dict is None:
            continue
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            fonts_here = [font]
            fonts_here += [d.get_object() for d in font.get("/DescendantFonts", [])]
            for item in fonts_here:
                descriptor = item.get("/FontDescriptor")
                embedded = False
                if descriptor is not None:
                    desc: DictionaryObject = descriptor.get_object()
                    embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found.append(
                    FontInfo(str(item.get("/BaseFont")), str(item.get("/Subtype")), embedded)
                )
    return found


def content_filters(pdf: bytes) -> list[tuple[str, ...]]:
    """The filters of every page's content stream (``()`` when it is stored as it is)."""
    filters = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        contents = page.get("/Contents")
        streams = contents.get_object() if contents is not None else []
        if not isinstance(streams, list):
            streams = [streams]
        for stream in streams:
            names = stream.get_object().get("/Filter", [])
            names = names if isinstance(names, list) else [names]
            filters.append(tuple(str(name) for name in names))
    return filters


def _paeth(left: int, up: int, upper_left: int) -> int:
    estimate = left + up - upper_left
    pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - upper_left)
    if pa <= pb and pa <= pc:
        return left
    return up if pb <= pc else upper_left


def read_png(path: Path) -> tuple[int, int, int, bytes]:
    """(width, height, channels, pixel bytes) of an 8-bit, non-interlaced grey or RGB PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8, "only 8-bit PNGs are read"
    assert colour in (0, 2), "only grey or RGB PNGs are read"
    assert interlace == 0, "only non-interlaced PNGs are read"
    channels = 1 if colour == 0 else 3
    stride = width * channels
    raw = zlib.decompress(b"".join(chunks))
    out = bytearray()
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, upper_left)) & 0xFF
        out += line
        previous = line
    return width, height, channels, bytes(out)


def ink_share(path: Path, *, margin: float = 0.0, white: int = 240) -> float:
    """The share of pixels darker than ``white`` (any channel) in a PNG page image.

    ``margin`` leaves out that share of the page's height at the top and at the bottom (where
    the running header and footer are), so only the body counts.
    """
    width, height, channels, pixels = read_png(path)
    first, last = int(height * margin), height - int(height * margin)
    body = pixels[first * width * channels : last * width * channels]
    dark = 0
    for i in range(0, len(body), channels):
        if min(body[i : i + channels]) < white:
            dark += 1
    return dark / (width * (last - first))
