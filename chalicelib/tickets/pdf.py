"""The ticket PDF a buyer prints or shows: one PDF per order, one A4 page per ticket.

fpdf2 and segno cost cold-start time, so they are imported inside the functions that use them.

Text uses fpdf2's core font Helvetica with the Windows-1252 encoding, which the PDF declares as
WinAnsiEncoding: it covers Dutch, French and English including é, è, ë, ç, œ and the euro sign,
needs no font file in the Lambda package, and keeps the PDF small. Characters outside it (a
holder called Łukasz) are transliterated, never an error: a ticket must always render.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from chalicelib.core.i18n import Message, format_when, language, lazy_text, translate
from chalicelib.core.money import format_eur

if TYPE_CHECKING:
    from fpdf import FPDF
    from segno import QRCode


@dataclass(frozen=True)
class TicketView:
    """Everything printed on one ticket, already in the buyer's language."""

    ticket_id: str
    order_id: str
    house_name: str
    production_title: str
    starts_at: datetime  # aware; printed in Europe/Brussels
    venue_name: str
    hall_name: str
    place_label: str  # "Balkon rij C stoel 12", "Staanplaats"
    tariff_name: str
    price_cents: int
    holder_name: str
    qr_payload: str


# Words on the ticket; they are in the catalogues (chalicelib/locale/), like every server text.
_LABELS: dict[str, Message] = {
    "date": lazy_text("Date"),
    "venue": lazy_text("Venue"),
    "place": lazy_text("Seat"),
    "tariff": lazy_text("Tariff"),
    "price": lazy_text("Price"),
    "holder": lazy_text("Holder"),
    "order": lazy_text("Order"),
    "ticket": lazy_text("Ticket"),
    "note": lazy_text(
        "Show this ticket at the entrance, printed or on your phone. "
        "Each code admits once: do not share it."
    ),
}


def format_starts_at(moment: datetime, lang: str) -> str:
    """`zaterdag 12 december 2026, 20:00` in Brussels time, by Babel (CLDR's names: system
    locales play no part, Lambda images have none but C.UTF-8)."""
    return format_when(moment, lang)


def qr_code(payload: str) -> QRCode:
    """The QR code for a ticket payload: error correction at least M (segno raises it further
    when the version has room), never a Micro QR, which door scanners often cannot read."""
    import segno

    return segno.make(payload, error="m", micro=False)


def render_tickets_pdf(tickets: Sequence[TicketView], lang: str) -> bytes:
    """One order's tickets as a PDF: one A4 page per ticket, labels in `lang`."""
    return bytes(build_document(tickets, lang).output())


def build_document(tickets: Sequence[TicketView], lang: str) -> FPDF:
    """The unrendered document, for callers (and tests) that need to set output options."""
    from fpdf import FPDF

    if not tickets:
        raise ValueError("a ticket PDF needs at least one ticket")
    if len({ticket.order_id for ticket in tickets}) != 1:
        raise ValueError("a ticket PDF holds the tickets of exactly one order")
    lang = language(lang)

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # the euro sign is not in Latin-1
    pdf.set_auto_page_break(False)  # the layout fits; a page break would split a ticket
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_title(_text(tickets[0].production_title))
    pdf.set_author(_text(tickets[0].house_name))
    pdf.set_creator("Podium")
    pdf.set_lang(lang)
    for number, ticket in enumerate(tickets, start=1):
        pdf.add_page()
        _draw_ticket(pdf, ticket, lang, number, len(tickets))
    return pdf


# Layout, in millimetres on A4 (210 x 297). The ticket is a bordered block at the top of the
# page: text on the left, the QR code on the right, so it also reads well on a phone screen.
_MARGIN = 15.0
_PAD = 8.0
_LEFT = _MARGIN + _PAD
_RIGHT = 210.0 - _MARGIN - _PAD
_QR_SIZE = 50.0  # comfortably above the 40 mm a phone camera needs from arm's length
_QR_X = _RIGHT - _QR_SIZE
_TEXT_WIDTH = _QR_X - _LEFT - 8.0
_LOGO = 20.0

_INK = (17, 24, 39)
_MUTED = (107, 114, 128)
_RULE = (209, 213, 219)
_BRAND = (31, 42, 68)


def _draw_ticket(pdf: FPDF, ticket: TicketView, lang: str, number: int, count: int) -> None:
    top = _MARGIN + _PAD

    # Header: logo placeholder, house name, "ticket n of m".
    pdf.set_fill_color(*_BRAND)
    pdf.rect(_LEFT, top, _LOGO, _LOGO, style="F", round_corners=True, corner_radius=3)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 15)
    pdf.set_xy(_LEFT, top)
    pdf.cell(_LOGO, _LOGO, _text(_initials(ticket.house_name)), align="C")

    pdf.set_text_color(*_INK)
    house_name, house_width = _text(ticket.house_name), _RIGHT - _LEFT - _LOGO - 45
    size = 15
    pdf.set_font("Helvetica", "B", size)
    while size > 9 and pdf.get_string_width(house_name) > house_width:
        size -= 1  # a long house name shrinks rather than running into "ticket 1 of 2"
        pdf.set_font("Helvetica", "B", size)
    pdf.set_xy(_LEFT + _LOGO + 5, top + 3)
    pdf.cell(house_width, 8, house_name)
    pdf.set_text_color(*_MUTED)
    pdf.set_font("Helvetica", "", 9)
    pdf.set_xy(_LEFT + _LOGO + 5, top + 11)
    pdf.cell(60, 5, _text(_LABELS["ticket"].render(lang).upper()))
    pdf.set_xy(_RIGHT - 40, top + 3)
    count_label = translate(lang, "Ticket %(n)s of %(m)s", n=number, m=count)
    pdf.cell(40, 8, _text(count_label), align="R")

    rule_y = top + _LOGO + 5
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.3)
    pdf.line(_LEFT, rule_y, _RIGHT, rule_y)

    # Left column: title, then label/value pairs.
    body_top = rule_y + 7
    pdf.set_text_color(*_INK)
    title = _text(ticket.production_title)
    size = 20
    pdf.set_font("Helvetica", "B", size)
    lines = pdf.multi_cell(_TEXT_WIDTH, 9, title, dry_run=True, output="LINES")
    if isinstance(lines, list) and len(lines) > 2:
        size = 15  # long titles get smaller rather than pushing the details off the ticket
        pdf.set_font("Helvetica", "B", size)
    pdf.set_xy(_LEFT, body_top)
    pdf.multi_cell(_TEXT_WIDTH, size * 0.45, title, align="L")

    details = (
        ("date", format_starts_at(ticket.starts_at, lang)),
        ("venue", f"{ticket.venue_name}, {ticket.hall_name}"),
        ("place", ticket.place_label),
        ("tariff", ticket.tariff_name),
        ("price", format_eur(ticket.price_cents, lang)),
        ("holder", ticket.holder_name),
    )
    y = pdf.get_y() + 5
    for key, value in details:
        pdf.set_xy(_LEFT, y)
        pdf.set_text_color(*_MUTED)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(_TEXT_WIDTH, 4, _text(_LABELS[key].render(lang).upper()))
        pdf.set_xy(_LEFT, y + 4)
        pdf.set_text_color(*_INK)
        pdf.set_font("Helvetica", "B" if key in ("date", "place") else "", 12)
        pdf.multi_cell(_TEXT_WIDTH, 6, _text(value), align="L")
        y = pdf.get_y() + 2.5

    # Right column: the QR code and the ticket id under it, for a door with no camera.
    _draw_qr(pdf, ticket.qr_payload, _QR_X, body_top, _QR_SIZE)
    pdf.set_xy(_QR_X - 5, body_top + _QR_SIZE + 5)
    pdf.set_text_color(*_MUTED)
    pdf.set_font("Courier", "", 7)
    pdf.cell(_QR_SIZE + 10, 4, _text(ticket.ticket_id), align="C")

    # Footer: order reference and the one rule the holder must know.
    footer_y = max(y, body_top + _QR_SIZE + 11) + 3
    pdf.line(_LEFT, footer_y, _RIGHT, footer_y)
    pdf.set_xy(_LEFT, footer_y + 3)
    pdf.set_font("Helvetica", "", 8)
    order_line = f"{_LABELS['order'].render(lang)} {ticket.order_id}"
    order_line += f"  ·  {_LABELS['ticket'].render(lang)} {ticket.ticket_id}"
    pdf.cell(_RIGHT - _LEFT, 4, _text(order_line))
    pdf.set_xy(_LEFT, footer_y + 8)
    pdf.multi_cell(_RIGHT - _LEFT, 4, _text(_LABELS["note"].render(lang)), align="L")

    bottom = pdf.get_y() + _PAD - 2
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.4)
    pdf.rect(
        _MARGIN, _MARGIN, 210 - 2 * _MARGIN, bottom - _MARGIN, round_corners=True, corner_radius=4
    )


def _draw_qr(pdf: FPDF, payload: str, x: float, y: float, size: float) -> None:
    """The QR code as vector rectangles, one per run of dark modules, in a single filled path:
    sharp at any zoom and printer resolution, and no hairline seams between modules."""
    from fpdf.drawing import PaintedPath

    rows = list(qr_code(payload).matrix_iter(scale=1, border=0))
    module = size / len(rows)
    path = PaintedPath()
    path.style.fill_color = "#000000"
    path.style.stroke_color = None
    for r, row in enumerate(rows):
        for start, length in _dark_runs(row):
            path.rectangle(x + start * module, y + r * module, length * module, module)
    # Built here and never touched again: fpdf's defensive deep copy of a path with hundreds
    # of rectangles was most of the cost of a ticket (measured in bench/onsale.py's peak).
    pdf.draw_path(path, copy=False)  # type: ignore[arg-type]  # fpdf2 types it too narrowly


def _dark_runs(row: Iterable[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = None
    for column, dark in enumerate((*row, 0)):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            runs.append((start, column - start))
            start = None
    return runs


_PARTICLES = {"de", "het", "van", "der", "den", "la", "le", "les", "du", "des", "the", "of", "t"}


def _initials(house_name: str) -> str:
    """Two letters for the logo placeholder: "Handelsbeurs Concertzaal" → "HC"."""
    words: list[str] = re.findall(r"\w+", house_name)
    significant = [word for word in words if word.lower() not in _PARTICLES] or words
    if not significant:
        return "?"
    if len(significant) == 1:
        return significant[0][:2].upper()
    return (significant[0][0] + significant[1][0]).upper()


# Letters NFKD does not decompose into something Windows-1252 has.
_TRANSLITERATIONS = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "\u0131": "i", "Ħ": "H", "ħ": "h", "ĸ": "k"}
)
# fpdf2 prints a no-break space as a plain space anyway; single-line cells never break.
_SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u2007": " ", "\xa0": " "})


def _text(text: str) -> str:
    """`text` in what the core font can show: Windows-1252, transliterated where needed."""
    text = text.translate(_SPACES).translate(_TRANSLITERATIONS)
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        pass
    out: list[str] = []
    for char in text:
        if _encodable(char):
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if _encodable(c))
        out.append(base or "?")
    return "".join(out)


def _encodable(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True
