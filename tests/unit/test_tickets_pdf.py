import dataclasses
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from chalicelib.tickets.pdf import (
    TicketView,
    build_document,
    format_starts_at,
    qr_code,
    render_tickets_pdf,
)
from chalicelib.tickets.signing import SeededKeyring, TicketClaim, sign_for_house

KEYRING = SeededKeyring(b"test-secret-for-ticket-signing-0123456789")


def _ticket(number: int = 1, **changes) -> TicketView:
    ticket_id = f"t-01931b2c4d5e6f708192a3b4c5d6e7{number:x}"
    claim = TicketClaim(ticket_id, "ntgent-de-storm-01", "ntgent", "balkon-c-12")
    view = TicketView(
        ticket_id=claim.ticket_id,
        order_id="o-01931b2c4d5e6f708192a3b4c5d6e7f",
        house_name="NTGent",
        production_title="De storm",
        starts_at=datetime(2026, 12, 12, 19, 0, tzinfo=UTC),
        venue_name="NTGent Schouwburg",
        hall_name="Grote zaal",
        place_label="Balkon rij C stoel 12",
        tariff_name="Volwassene",
        price_cents=2400,
        holder_name="Élise Van den Broeck",
        qr_payload=sign_for_house(claim, KEYRING),
    )
    return dataclasses.replace(view, **changes)


def _uncompressed(tickets, lang: str) -> str:
    """The PDF with plain content streams, as text in which to look for what is printed."""
    pdf = build_document(tickets, lang)
    pdf.set_compression(False)
    return bytes(pdf.output()).decode("latin-1")


def _shown(text: str) -> str:
    """How the core font writes `text` into a content stream: Windows-1252 bytes."""
    return text.encode("cp1252").decode("latin-1")


def _page_count(pdf: bytes | str) -> int:
    if isinstance(pdf, bytes):
        pdf = pdf.decode("latin-1")
    return len(re.findall(r"/Type /Page\b(?!s)", pdf))


def test_one_pdf_one_a4_page_per_ticket():
    pdf = render_tickets_pdf([_ticket(1), _ticket(2), _ticket(3)], "nl")
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert _page_count(pdf) == 3
    assert "/MediaBox [0 0 595.28 841.89]" in pdf.decode("latin-1")  # A4 in points


def test_dutch_ticket_shows_everything():
    text = _uncompressed([_ticket()], "nl")
    for shown in (
        "NTGent",
        "De storm",
        "zaterdag 12 december 2026, 20:00",
        "NTGent Schouwburg, Grote zaal",
        "Balkon rij C stoel 12",
        "Volwassene",
        "€ 24,00",
        "Élise Van den Broeck",
        "t-01931b2c4d5e6f708192a3b4c5d6e71",
        "Bestelling o-01931b2c4d5e6f708192a3b4c5d6e7f",
        "DATUM",
        "LOCATIE",
        "PLAATS",
        "TARIEF",
        "PRIJS",
        "HOUDER",
        "Ticket 1 van 1",
    ):
        assert f"({_shown(shown)}" in text, shown
    assert "(NT)" in text  # the logo placeholder's initials
    # The euro sign is byte 0x80 under WinAnsiEncoding, which the font must declare.
    assert "/Encoding /WinAnsiEncoding" in text


def test_french_ticket():
    ticket = _ticket(holder_name="François Lefèvre", price_cents=123456)
    text = _uncompressed([ticket, _ticket(2)], "fr")
    for shown in (
        "samedi 12 décembre 2026, 20:00",
        # Babel's fr_BE form; its narrow no-break space is not in the core font
        "1 234,56 €",
        "François Lefèvre",
        "TITULAIRE",
        "TARIF",
        "PRIX",
        "LIEU",
        "Billet 1 sur 2",
        "Billet 2 sur 2",
    ):
        assert f"({_shown(shown)}" in text, shown


def test_english_ticket():
    text = _uncompressed([_ticket()], "en")
    for shown in ("Saturday 12 December 2026, 20:00", "€24.00", "HOLDER", "SEAT", "Ticket 1 of 1"):
        assert f"({_shown(shown)}" in text, shown


def test_unknown_language_falls_back_to_dutch():
    assert f"({_shown('zaterdag 12 december 2026, 20:00')}" in _uncompressed([_ticket()], "de")


def test_summer_time_ticket_shows_brussels_time():
    summer = _ticket(starts_at=datetime(2026, 7, 4, 18, 0, tzinfo=UTC))
    assert "(zaterdag 4 juli 2026, 20:00)" in _uncompressed([summer], "nl")


@pytest.mark.parametrize(
    ("moment", "lang", "expected"),
    [
        (datetime(2026, 12, 12, 19, 0, tzinfo=UTC), "nl", "zaterdag 12 december 2026, 20:00"),
        (datetime(2026, 12, 12, 19, 0, tzinfo=UTC), "fr", "samedi 12 décembre 2026, 20:00"),
        (datetime(2026, 12, 12, 19, 0, tzinfo=UTC), "en", "Saturday 12 December 2026, 20:00"),
        # summer time: UTC+2
        (datetime(2026, 7, 4, 18, 0, tzinfo=UTC), "nl", "zaterdag 4 juli 2026, 20:00"),
        (datetime(2026, 8, 15, 13, 30, tzinfo=UTC), "fr", "samedi 15 août 2026, 15:30"),
        # the night the clocks go forward, and back (02:30 happens twice)
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "en", "Sunday 29 March 2026, 03:00"),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "nl", "zondag 25 oktober 2026, 02:30"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "nl", "zondag 25 oktober 2026, 02:30"),
        # the UTC date is not the Brussels date
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "fr", "vendredi 1er janvier 2027, 00:30"),
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "nl", "vrijdag 1 januari 2027, 00:30"),
        # any time zone in, Brussels out
        (
            datetime(2026, 2, 1, 14, 0, tzinfo=timezone(timedelta(hours=-5))),
            "en",
            "Sunday 1 February 2026, 20:00",
        ),
    ],
)
def test_format_starts_at(moment, lang, expected):
    assert format_starts_at(moment, lang) == expected


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        format_starts_at(datetime(2026, 12, 12, 20, 0), "nl")


def test_every_month_and_weekday_has_a_name():
    start = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    for lang in ("nl", "fr", "en"):
        names = {format_starts_at(start + timedelta(days=d), lang).split()[2] for d in range(365)}
        days = {format_starts_at(start + timedelta(days=d), lang).split()[0] for d in range(7)}
        assert len(names) == 12
        assert len(days) == 7


def _qr_from_page(text: str) -> tuple[float, list[list[int]]]:
    """Read the QR code back from the drawing: its size in mm and its module matrix."""
    rects = [
        tuple(float(v) for v in match)
        for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re\b", text)
    ]
    module = min(h for _, _, _, h in rects)
    x0, y0 = min(r[0] for r in rects), min(r[1] for r in rects)
    size = max(x + w for x, _, w, _ in rects) - x0
    n = round(size / module)
    matrix = [[0] * n for _ in range(n)]
    for x, y, w, h in rects:
        assert h == pytest.approx(module, abs=0.01)
        row, column = round((y - y0) / module), round((x - x0) / module)
        for offset in range(round(w / module)):
            matrix[row][column + offset] = 1
    return size, matrix


def test_qr_code_on_the_page_encodes_exactly_the_payload():
    import segno

    ticket = _ticket()
    size, drawn = _qr_from_page(_uncompressed([ticket], "nl"))
    expected = segno.make(ticket.qr_payload, error="m", micro=False)
    assert drawn == [list(row) for row in expected.matrix_iter(scale=1, border=0)]
    assert size >= 40  # mm: comfortable for a phone camera and a door scanner


def test_qr_code_parameters():
    qr = qr_code(_ticket().qr_payload)
    assert not qr.is_micro
    assert qr.error in ("M", "Q", "H")
    assert qr.version <= 10  # few enough modules to stay coarse at 50 mm


@pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
    reason="needs zbarimg (zbar-tools) and pdftoppm (poppler-utils)",
)
def test_qr_code_scans(tmp_path: Path):
    tickets = [_ticket(1), _ticket(2, place_label="Staanplaats")]
    (tmp_path / "order.pdf").write_bytes(render_tickets_pdf(tickets, "nl"))
    subprocess.run(
        ["pdftoppm", "-r", "100", "-png", tmp_path / "order.pdf", tmp_path / "page"], check=True
    )
    scanned = [
        subprocess.run(
            ["zbarimg", "-q", "--raw", page], capture_output=True, text=True, check=True
        ).stdout.strip()
        for page in sorted(tmp_path.glob("page-*.png"))
    ]
    assert scanned == [ticket.qr_payload for ticket in tickets]


def test_characters_outside_the_core_font_are_transliterated_not_fatal():
    ticket = _ticket(holder_name="Łukasz Żółć", production_title="Ωmega “live”")
    text = _uncompressed([ticket], "nl")
    assert f"({_shown('Lukasz Zólc')}" in text
    assert f"(?mega {_shown('“live”')}" in text


def test_long_texts_stay_on_one_page_per_ticket():
    ticket = _ticket(
        house_name="Festival van Vlaanderen Gent en Omstreken vzw Muziekcentrum " * 2,
        production_title="Een heel lange titel " * 8,
        venue_name="Cultuurcentrum met een zeer lange naam aan de rand van de stad",
        holder_name="Maximiliaan Alexander Van de Velde-Vandenberghe",
    )
    assert _page_count(render_tickets_pdf([ticket, _ticket(2)], "nl")) == 2


def test_an_order_pdf_needs_tickets_of_one_order():
    with pytest.raises(ValueError):
        render_tickets_pdf([], "nl")
    with pytest.raises(ValueError):
        render_tickets_pdf([_ticket(1), _ticket(2, order_id="o-other")], "nl")


def test_importing_the_module_does_not_import_fpdf_or_segno():
    code = (
        "import sys, chalicelib.tickets.pdf; print('fpdf' in sys.modules, 'segno' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert result.stdout.split() == ["False", "False"]
