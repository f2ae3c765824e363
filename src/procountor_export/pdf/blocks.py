"""The blocks of the PDF copy as reportlab flowables: parties, facts, orders, VAT, payment.

Each function takes the invoice values, the :class:`~procountor_export.pdf.labels.Texts` of
the customer's language and the :class:`~procountor_export.pdf.styles.Look` of the variant,
and returns flowables; none of them draws on a canvas or knows the page it lands on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from procountor_export.pdf.labels import Texts, group_iban
from procountor_export.pdf.model import Order, PdfInvoice
from procountor_export.pdf.styles import Look, Styles

CONTENT_WIDTH = 178 * mm
# Description, quantity, unit, unit price, VAT %, amount: together CONTENT_WIDTH.
LINE_COLUMNS = (74 * mm, 18 * mm, 18 * mm, 22 * mm, 16 * mm, 30 * mm)
RULE = colors.Color(0.55, 0.55, 0.55)
SHADE = colors.Color(0.93, 0.93, 0.93)
SEPARATOR = " \u00b7 "  # middle dot: in Windows-1252 and in Vera
CELL_SIZE = 8  # font size of the orders table (the cell style's size)
CELL_PADDING = 6  # reportlab's default left and right cell padding


class Blocks:
    """Builds the flowables of one invoice in one language and one look."""

    def __init__(self, invoice: PdfInvoice, texts: Texts, look: Look, styles: Styles) -> None:
        self.invoice = invoice
        self.t = texts
        self.look = look
        self.s = styles

    # --- small helpers ---------------------------------------------------------------------

    def para(self, markup: str, style: Any = None) -> Paragraph:
        """A paragraph of already escaped ``markup`` (body style by default)."""
        return Paragraph(markup, style or self.s.body)

    def labelled(self, key: str, value: str) -> str:
        """ "Label: value" with the value escaped; the label bold in NORMAL."""
        return f"{self.look.strong(self.look.text(self.t(key)))}: {self.look.text(value)}"

    def address(
        self, heading_key: str, lines: Iterable[str], extra: Iterable[str] = ()
    ) -> Paragraph:
        """An address block under a heading, one line each (plus ``extra`` escaped lines)."""
        out = [self.look.strong(self.look.text(self.t(heading_key)))]
        out += [self.look.text(line) for line in lines]
        out += list(extra)
        return self.para("<br/>".join(out))

    def cell_text(self, value: str, width: float) -> str | Paragraph:
        """A table cell's text: a plain string when it fits on one line, else a paragraph.

        Plain strings skip the paragraph's markup parsing and line breaking, which is most of
        the time a long invoice takes; only text that must wrap pays for it.
        """
        shown = self.look.plain(value)
        room = width - 2 * CELL_PADDING
        if "\n" not in shown and stringWidth(shown, self.look.regular, CELL_SIZE) <= room:
            return shown
        return self.para(escape(shown), self.s.cell)

    def _grid(self, rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
        """A borderless layout table whose cells start at the top."""
        table = Table(rows, colWidths=widths, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.look.regular),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table

    # --- the first page's top ----------------------------------------------------------------

    def title(self) -> list[Flowable]:
        """ "Invoice 250001", or "Credit note 250101" and the invoice it credits (a note)."""
        header = self.invoice.header
        kind = self.t("credit_note" if header.is_credit else "invoice")
        flowables: list[Flowable] = [
            self.para(self.look.text(f"{kind} {header.number}"), self.s.title)
        ]
        if header.is_credit and header.credited_invoice:
            credits = self.t("credits_invoice", header.credited_invoice)
            flowables.append(self.para(self.look.emphasis(self.look.text(credits)), self.s.note))
        return flowables

    def seller(self) -> Paragraph:
        """The office: name, address, business ID, VAT number, phone, e-mail."""
        seller = self.invoice.seller
        lines = seller.address.lines(self.t.country) if seller.address else ()
        if not lines or lines[0] != seller.name:  # the office's address may be named otherwise
            lines = (seller.name, *lines)
        extra = [
            self.labelled(key, value)
            for key, value in (
                ("business_id", seller.business_id),
                ("vat_number", seller.vat_number),
                ("phone", seller.phone),
                ("email", seller.email),
            )
            if value
        ]
        return self.address("seller", lines, extra)

    def facts(self) -> Table:
        """The invoice's facts as label/value rows (only those that are known)."""
        header, t = self.invoice.header, self.t
        pairs = [
            ("invoice_number", header.number),
            ("invoice_date", t.date(header.date)),
            ("due_date", t.date(header.due_date)),
            ("delivery_period", t.period(header.delivery_from, header.delivery_to)),
            ("customer_no", self.invoice.buyer.customer_no),
            ("your_reference", header.your_reference),
            ("our_reference", header.our_reference),
            ("order_reference", header.order_reference),
            ("procountor_number", header.procountor_number),
            (t.reference_key, header.bank_reference),
        ]
        rows = [
            [self.para(self.look.text(t(key)), self.s.small), self.para(self.look.text(value))]
            for key, value in pairs
            if value
        ]
        return self._grid(rows, (38 * mm, 50 * mm))

    def parties(self) -> list[Flowable]:
        """Seller and facts side by side, then buyer and invoice address side by side."""
        buyer = self.invoice.buyer
        extra = [
            self.labelled(key, value)
            for key, value in (("business_id", buyer.business_id), ("vat_number", buyer.vat_number))
            if value
        ]
        buyer_block = self.address("buyer", buyer.address.lines(self.t.country), extra)
        billing = self.invoice.invoice_address
        billing_block = (
            self.address("invoice_address", billing.lines(self.t.country)) if billing else ""
        )
        half = CONTENT_WIDTH / 2
        return [
            self._grid([[self.seller(), self.facts()]], (half, half)),
            Spacer(1, 5 * mm),
            self._grid([[buyer_block, billing_block]], (half, half)),
            Spacer(1, 4 * mm),
        ]

    # --- orders ------------------------------------------------------------------------------

    def order_summary(self, order: Order) -> Paragraph:
        """An order's transport details in up to four short lines above its priced lines."""
        t, look = self.t, self.look
        first = [look.strong(look.text(f"{t('order')} {order.order_no or ''}".strip()))]
        first += [
            self.labelled(key, value)
            for key, value in (
                ("consignment_note", order.consignment_note),
                ("pickup_date", t.date(order.pickup_date)),
                ("delivery_date", t.date(order.delivery_date)),
            )
            if value
        ]
        country = t.country
        sender = [self.labelled("sender", order.sender.one_line(country))] if order.sender else []
        recipient = (
            [self.labelled("recipient", order.recipient.one_line(country))]
            if order.recipient
            else []
        )
        load = [
            self.labelled(key, value)
            for key, value in (
                ("distance", t.measure(order.distance_km, "km")),
                ("weight", t.measure(order.weight_kg, "kg")),
                ("volume", t.measure(order.volume_m3, "m³")),
                ("pallets", t.number(order.pallets)),
            )
            if value
        ]
        lines = [SEPARATOR.join(part) for part in (first, sender, recipient, load) if part]
        return self.para("<br/>".join(lines), self.s.cell)

    def orders(self) -> list[Flowable]:
        """One table of every order and its lines; its column header repeats on every page."""
        t, look = self.t, self.look
        heading = self.para(look.text(t("orders")), self.s.heading)
        if not self.invoice.orders:
            return [heading, self.para(look.emphasis(look.text(t("no_orders"))), self.s.note)]
        currency = self.invoice.header.currency
        titles = [
            (t("description"), False),
            (t("quantity"), True),
            (t("unit"), False),
            (f"{t('unit_price')} ({currency})", True),
            (t("vat_percent"), True),
            (f"{t('amount')} ({currency})", True),
        ]
        rows: list[list[Any]] = [
            [
                self.para(look.text(title), self.s.head_cell_right if right else self.s.head_cell)
                for title, right in titles
            ]
        ]
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), look.regular),
            ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 1), (1, -1), "RIGHT"),
            ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for order in self.invoice.orders:
            start = len(rows)
            rows.append([self.order_summary(order), "", "", "", "", ""])
            commands += [
                ("SPAN", (0, start), (-1, start)),
                ("BACKGROUND", (0, start), (-1, start), SHADE),
                ("TOPPADDING", (0, start), (-1, start), 3),
            ]
            for line in order.lines:
                rows.append(
                    [
                        self.cell_text(line.description, LINE_COLUMNS[0]),
                        look.plain(t.number(line.quantity)),
                        look.plain(t.unit(line.unit)),
                        t.money(line.unit_price),
                        t.percent(line.vat_rate),
                        t.money(line.amount),
                    ]
                )
            # An order's details never sit at the foot of a page without its first line.
            commands.append(("NOSPLIT", (0, start), (-1, min(start + 1, len(rows) - 1))))
        table = Table(rows, colWidths=LINE_COLUMNS, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(commands))
        return [heading, table]

    # --- money -------------------------------------------------------------------------------

    def vat_breakdown(self) -> list[Flowable]:
        """Net, VAT and gross at each VAT rate."""
        t, look = self.t, self.look
        currency = self.invoice.header.currency
        head = [t("vat_rate"), t("net"), t("vat"), t("gross")]
        rows: list[list[Any]] = [
            [self.para(look.text(head[0]), self.s.head_cell)]
            + [self.para(look.text(f"{h} ({currency})"), self.s.head_cell_right) for h in head[1:]]
        ]
        for line in self.invoice.vat_breakdown:
            rows.append(
                [t.percent(line.rate), t.money(line.net), t.money(line.vat), t.money(line.gross)]
            )
        table = Table(rows, colWidths=(40 * mm, 36 * mm, 36 * mm, 36 * mm), hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), look.regular),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        title = self.para(look.text(t("vat_breakdown")), self.s.heading)
        return [title, table]

    def totals(self) -> list[Flowable]:
        """Total excluding VAT, VAT, and the amount to pay (underlined and bold in NORMAL)."""
        t, look = self.t, self.look
        totals, currency = self.invoice.totals, self.invoice.header.currency
        final_key = "total_credited" if self.invoice.header.is_credit else "total_to_pay"
        rows = [
            [self.para(look.text(t("total_net"))), t.currency(totals.net, currency)],
            [self.para(look.text(t("total_vat"))), t.currency(totals.vat, currency)],
        ]
        final = look.underline(look.strong(look.text(t.currency(totals.gross, currency))))
        rows.append(
            [
                self.para(look.strong(look.text(t(final_key)))),
                self.para(final, self.s.right),
            ]
        )
        table = Table(rows, colWidths=(60 * mm, 40 * mm), hAlign="RIGHT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), look.regular),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEABOVE", (0, -1), (-1, -1), 0.8, RULE),
                ]
            )
        )
        return [Spacer(1, 3 * mm), table]

    def money_block(self) -> list[Flowable]:
        """The VAT breakdown and the totals, kept together on one page."""
        return [KeepTogether([*self.vat_breakdown(), *self.totals()])]

    def payment(self) -> list[Flowable]:
        """IBAN, BIC, due date, reference, terms and the amount: what the payer needs.

        A credit note asks for no payment: it has no payment block, only its notes.
        """
        t, look = self.t, self.look
        payment, header = self.invoice.payment, self.invoice.header
        if header.is_credit:
            notes = self.notes()
            return [KeepTogether(notes)] if notes else []
        penalty = payment.penalty_interest
        pairs = [
            ("iban", group_iban(payment.iban) if payment.iban else None),
            ("bic", payment.bic),
            ("due_date", t.date(payment.due_date)),
            (t.reference_key, payment.reference),
            (
                "payment_terms",
                t("terms_net", payment.terms_days) if payment.terms_days is not None else None,
            ),
            ("penalty_interest", t.percent(penalty) if penalty is not None else None),
            ("total_to_pay", t.currency(self.invoice.totals.gross, header.currency)),
        ]
        rows = [
            [self.para(look.text(t(key)), self.s.small), self.para(look.text(value))]
            for key, value in pairs
            if value
        ]
        title = self.para(look.text(t("payment_details")), self.s.heading)
        # The notes close the payment block: never alone on a last page.
        block = [title, self._grid(rows, (38 * mm, 80 * mm)), *self.notes()]
        return [KeepTogether(block)]

    def notes(self) -> list[Flowable]:
        """The legal VAT notes, the invoice's free text and what the amounts are in (italics in
        NORMAL)."""
        look = self.look
        notes = [
            *self.invoice.legal_notes,
            self.invoice.header.text,
            self.t("currency_note", self.invoice.header.currency),
        ]
        return [
            self.para(look.emphasis(look.text(note).replace("\n", "<br/>")), self.s.note)
            for note in notes
            if note
        ]

    def story(self) -> list[Flowable]:
        """The whole document, top to bottom."""
        return [
            *self.title(),
            *self.parties(),
            *self.orders(),
            *self.money_block(),
            *self.payment(),
        ]
