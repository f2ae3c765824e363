"""PDF copy: normal against reduced size and render time, for invoices of 1, 20 and 200 orders.

Each invoice is the renderer's sample (``procountor_export.pdf.sample``): two or three priced
lines per order. The time is the best of ``--repeat`` renders (the first also registers the
fonts, so it is done once untimed). Target (issue #10): with 20 orders the reduced PDF is at
most half the size of the normal one.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from dataclasses import asdict, dataclass

from pypdf import PdfReader

from procountor_export.pdf import Variant, render
from procountor_export.pdf.sample import sample_invoice

TARGET_ORDERS = 20
TARGET_RATIO = 0.5


@dataclass(frozen=True)
class Figure:
    """One invoice in one variant: its size, pages and best render time."""

    bytes: int
    pages: int
    seconds: float


@dataclass(frozen=True)
class Row:
    """Both variants of an invoice with ``orders`` orders."""

    orders: int
    normal: Figure
    reduced: Figure

    @property
    def ratio(self) -> float:
        """Reduced size as a share of the normal size."""
        return self.reduced.bytes / self.normal.bytes


def measure(orders: int, variant: Variant, repeat: int) -> Figure:
    """Bytes, pages and the best render time in seconds of one invoice in one variant."""
    invoice = sample_invoice(orders)
    best, content = float("inf"), b""
    for _ in range(repeat):
        start = time.perf_counter()
        content = render(invoice, variant)
        best = min(best, time.perf_counter() - start)
    return Figure(len(content), len(PdfReader(io.BytesIO(content)).pages), best)


def main(argv: list[str] | None = None) -> int:
    """Print the figures; 1 with ``--check`` when the 20-order target is missed."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks pdf", description=__doc__)
    parser.add_argument(
        "--orders", type=int, nargs="+", default=[1, 20, 200], help="orders per invoice"
    )
    parser.add_argument("--repeat", type=int, default=3, help="renders per figure (best kept)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--check",
        action="store_true",
        help=f"exit 1 unless reduced <= {TARGET_RATIO:g} x normal at {TARGET_ORDERS} orders",
    )
    args = parser.parse_args(argv)

    render(sample_invoice(1), Variant.NORMAL)  # font registration, outside the timing
    rows = [
        Row(
            orders,
            measure(orders, Variant.NORMAL, args.repeat),
            measure(orders, Variant.REDUCED, args.repeat),
        )
        for orders in args.orders
    ]
    if args.json:
        print(json.dumps([asdict(row) | {"ratio": row.ratio} for row in rows], indent=2))
    else:
        print(
            f"{'orders':>6} {'pages':>5} {'normal B':>10} {'reduced B':>10} {'ratio':>6} "
            f"{'normal ms':>10} {'reduced ms':>10}"
        )
        for row in rows:
            print(
                f"{row.orders:>6} {row.normal.pages:>5} {row.normal.bytes:>10,} "
                f"{row.reduced.bytes:>10,} {row.ratio:>6.2f} "
                f"{row.normal.seconds * 1000:>10.0f} {row.reduced.seconds * 1000:>10.0f}"
            )
    missed = [row for row in rows if row.orders == TARGET_ORDERS and row.ratio > TARGET_RATIO]
    if args.check and missed:
        print(f"Missed: reduced is more than {TARGET_RATIO:g} of normal at {TARGET_ORDERS} orders")
        return 1
    return 0
