"""What staff send to manage their programme, read and checked: productions and performances
as the catalogue's domain objects, or every bad value at once as one invalid-input problem
(400, a `FieldError` per field). Plain Python: no AWS, no HTTP.

Rules that need other objects (the production and hall exist in the caller's house, a tariff
prices the hall's zones) are the service's; what one body can say about itself is here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.catalogue.model import (
    Genre,
    HallLayout,
    Image,
    PerformanceStatus,
    PriceZone,
    Tariff,
    TariffConditions,
)
from chalicelib.core.clock import parse_utc_iso
from chalicelib.core.errors import FieldError, invalid, unknown_parameters
from chalicelib.core.i18n import LANGUAGES
from chalicelib.store.keys import ID_PATTERN

_TEXT = "an object with a Dutch text: {nl, fr?, en?}"
_INSTANT = "an instant such as 2027-01-15T19:30:00Z"
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_ID = "a lowercase id: letters, digits and '-', at most 63 characters"
MAX_TEXT = 5000  # characters of one text in one language
MAX_ITEMS = 20  # images, tariffs, languages: an item stays far below DynamoDB's 400 KB
_NON_EMPTY = f"a non-empty text of at most {MAX_TEXT} characters"


class _Body:
    """Reads a JSON object's fields, noting every bad one instead of stopping at the first."""

    def __init__(self, body: Any, allowed: tuple[str, ...], what: str) -> None:
        self.errors: list[FieldError] = []
        if not isinstance(body, Mapping):
            self.errors.append(FieldError("body", "not a JSON object", what, "body"))
            body = {}
        self.body: Mapping[str, Any] = body
        self.errors += unknown_parameters(body, allowed, "body")

    def bad(self, name: str, detail: str, expected: str) -> None:
        self.errors.append(FieldError(name, detail, expected, "body"))

    def has(self, name: str) -> bool:
        return name in self.body and self.body[name] is not None

    def text(self, name: str, value: Any = None, *, required: bool = True) -> dict[str, str] | None:
        value = self.body.get(name) if value is None else value
        if value is None:
            if required:
                self.bad(name, "missing", _TEXT)
            return None
        if not isinstance(value, Mapping):
            self.bad(name, "not an object of texts per language", _TEXT)
            return None
        good = True
        for lang, text in value.items():
            if lang not in LANGUAGES:
                self.bad(f"{name}.{lang}", "unsupported language", "one of " + ", ".join(LANGUAGES))
                good = False
            elif not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
                self.bad(f"{name}.{lang}", "empty, too long or not a text", _NON_EMPTY)
                good = False
        if "nl" not in value:
            self.bad(f"{name}.nl", "missing: Dutch is required", "a non-empty text")
            good = False
        return {lang: value[lang].strip() for lang in LANGUAGES if lang in value} if good else None

    def id(self, name: str, value: Any = None, *, required: bool = True) -> str | None:
        value = self.body.get(name) if value is None else value
        if value is None:
            if required:
                self.bad(name, "missing", _ID)
            return None
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            self.bad(name, "not an id", _ID)
            return None
        return value

    def whole(
        self, name: str, low: int, high: int, value: Any = None, *, required: bool = False
    ) -> int | None:
        value = self.body.get(name) if value is None else value
        expected = f"a whole number from {low} to {high}"
        if value is None:
            if required:
                self.bad(name, "missing", expected)
            return None
        if type(value) is not int or not low <= value <= high:
            self.bad(name, f"not {expected}", expected)
            return None
        return value

    def instant(self, name: str, *, required: bool = True) -> datetime | None:
        value = self.body.get(name)
        if value is None:
            if required:
                self.bad(name, "missing", _INSTANT)
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return parse_utc_iso(value)
        except ValueError:
            self.bad(name, "not an instant with a time zone", _INSTANT)
            return None

    def done(self) -> None:
        if self.errors:
            raise invalid(*self.errors)


# --- productions -------------------------------------------------------------------------------

PRODUCTION_FIELDS = (
    "house",
    "title",
    "description",
    "genre",
    "languages",
    "duration_minutes",
    "age_advice",
    "images",
)


@dataclass(frozen=True)
class ProductionFields:
    """A production as a body describes it; its id and house are the service's."""

    house: str | None
    title: dict[str, str]
    description: dict[str, str]
    genre: Genre
    languages: tuple[str, ...]
    duration_minutes: int
    images: tuple[Image, ...] = ()
    age_advice: int | None = None


def parse_production(body: Any) -> ProductionFields:
    """A production's body (POST and PUT alike: a PUT replaces the whole production)."""
    reader = _Body(body, PRODUCTION_FIELDS, "a production")
    house = reader.id("house", required=False)
    title = reader.text("title")
    description = reader.text("description", required=False) if reader.has("description") else {}
    genres = ", ".join(genre.value for genre in Genre)
    genre_value = reader.body.get("genre")
    genre: Genre | None = None
    if genre_value is None:
        reader.bad("genre", "missing", "one of " + genres)
    elif not isinstance(genre_value, str) or genre_value not in {g.value for g in Genre}:
        reader.bad("genre", f"unknown genre {str(genre_value)[:40]!r}", "one of " + genres)
    else:
        genre = Genre(genre_value)
    languages = reader.body.get("languages", [])
    if (
        not isinstance(languages, list)
        or len(languages) > MAX_ITEMS
        or not all(isinstance(lang, str) and re.fullmatch(r"[a-z]{2}", lang) for lang in languages)
    ):
        reader.bad("languages", "not a list of language codes", 'a list such as ["nl", "fr"]')
        languages = []
    duration = reader.whole("duration_minutes", 1, 24 * 60, required=True)
    age = reader.whole("age_advice", 0, 99)
    images = _images(reader, title or {})
    reader.done()
    assert title is not None and genre is not None and duration is not None
    return ProductionFields(
        house=house,
        title=title,
        description=description or {},
        genre=genre,
        languages=tuple(languages),
        duration_minutes=duration,
        images=images,
        age_advice=age,
    )


def _images(reader: _Body, title: dict[str, str]) -> tuple[Image, ...]:
    value = reader.body.get("images", [])
    expected = 'a list of {"url": "https://…", "alt"?: {nl, fr?, en?}}'
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        reader.bad("images", f"not a list of at most {MAX_ITEMS}", expected)
        return ()
    images = []
    for index, image in enumerate(value):
        where = f"images[{index}]"
        if isinstance(image, str):
            image = {"url": image}
        if not isinstance(image, Mapping) or set(image) - {"url", "alt"}:
            reader.bad(where, "not an image", expected)
            continue
        url = image.get("url")
        if not isinstance(url, str) or len(url) > 2000 or not _URL.match(url):
            reader.bad(f"{where}.url", "not an http(s) URL", "https://…")
            continue
        alt = reader.text(f"{where}.alt", image["alt"]) if "alt" in image else dict(title)
        if alt is not None:
            images.append(Image(url=url, alt=alt))
    return tuple(images)


# --- performances ------------------------------------------------------------------------------

PERFORMANCE_FIELDS = (
    "house",
    "production",
    "hall",
    "starts_at",
    "ends_at",
    "sales_opens_at",
    "sales_closes_at",
    "status",
    "tariffs",
    "hold_minutes",
    "max_seats_per_hold",
    "max_holds_per_client",
)

# What a body may set; a cancellation has its own route (it has consequences for buyers).
SETTABLE_STATUSES = (PerformanceStatus.DRAFT, PerformanceStatus.ON_SALE, PerformanceStatus.SOLD_OUT)
_TARIFF_FIELDS = ("id", "name", "prices", "conditions")
_CONDITION_FIELDS = ("max_per_order", "proof_required", "min_age", "max_age")


@dataclass(frozen=True)
class PerformanceFields:
    """A performance as a body describes it, before its production and hall are looked up."""

    house: str | None
    production: str
    hall: str
    starts_at: datetime
    ends_at: datetime
    sales_opens_at: datetime | None  # None: from now
    sales_closes_at: datetime | None  # None: when it starts
    status: PerformanceStatus
    tariffs: tuple[Tariff, ...]
    rules: dict[str, int] = field(default_factory=dict)  # hold rules given


def parse_performance(body: Any) -> PerformanceFields:
    reader = _Body(body, PERFORMANCE_FIELDS, "a performance")
    house = reader.id("house", required=False)
    production = reader.id("production")
    hall = reader.id("hall")
    starts_at = reader.instant("starts_at")
    ends_at = reader.instant("ends_at")
    opens = reader.instant("sales_opens_at", required=False)
    closes = reader.instant("sales_closes_at", required=False)
    if starts_at and ends_at and ends_at <= starts_at:
        reader.bad("ends_at", "not after starts_at", "an instant after starts_at")
    effective_closes = closes or starts_at
    if opens and effective_closes and effective_closes <= opens:
        reader.bad("sales_closes_at", "not after sales_opens_at", "after sales_opens_at")
    if closes and ends_at and closes > ends_at:
        reader.bad("sales_closes_at", "after the performance ends", "at or before ends_at")
    status_value = reader.body.get("status", PerformanceStatus.DRAFT.value)
    settable = ", ".join(s.value for s in SETTABLE_STATUSES)
    status = PerformanceStatus.DRAFT
    if status_value == PerformanceStatus.CANCELLED.value:
        reader.bad(
            "status", "cancel with POST …/cancel: it refunds the buyers", "one of " + settable
        )
    elif not isinstance(status_value, str) or status_value not in {
        s.value for s in SETTABLE_STATUSES
    }:
        reader.bad("status", f"unknown status {str(status_value)[:40]!r}", "one of " + settable)
    else:
        status = PerformanceStatus(status_value)
    tariffs = _tariffs(reader)
    rules = {
        name: value
        for name, high in (
            ("hold_minutes", 60),
            ("max_seats_per_hold", 10),
            ("max_holds_per_client", 10),
        )
        if (value := reader.whole(name, 1, high)) is not None
    }
    reader.done()
    assert production and hall and starts_at and ends_at
    return PerformanceFields(
        house=house,
        production=production,
        hall=hall,
        starts_at=starts_at,
        ends_at=ends_at,
        sales_opens_at=opens,
        sales_closes_at=closes,
        status=status,
        tariffs=tariffs,
        rules=rules,
    )


def _tariffs(reader: _Body) -> tuple[Tariff, ...]:
    value = reader.body.get("tariffs")
    expected = 'a list of {"id", "name": {nl, …}, "prices": {zone: cents}, "conditions"?}'
    if not isinstance(value, list) or not value or len(value) > MAX_ITEMS:
        reader.bad("tariffs", f"missing, empty or more than {MAX_ITEMS}", expected)
        return ()
    tariffs: list[Tariff] = []
    seen: set[str] = set()
    for index, raw in enumerate(value):
        where = f"tariffs[{index}]"
        if not isinstance(raw, Mapping):
            reader.bad(where, "not an object", expected)
            continue
        before = len(reader.errors)
        reader.errors += [
            FieldError(f"{where}.{e.field}", e.detail, e.expected, "body")
            for e in unknown_parameters(raw, _TARIFF_FIELDS, "body")
        ]
        ident = reader.id(f"{where}.id", raw.get("id"))
        if ident in seen:
            reader.bad(f"{where}.id", f"duplicate tariff {ident!r}", "a unique id")
        seen.add(ident or "")
        name = reader.text(f"{where}.name", raw.get("name"))
        prices = raw.get("prices")
        if not isinstance(prices, Mapping) or not prices or len(prices) > MAX_ITEMS:
            reader.bad(f"{where}.prices", "missing or empty", "{price zone id: euro cents}")
        else:
            for zone, cents in prices.items():
                if type(cents) is not int or not 0 <= cents <= 1_000_000:
                    reader.bad(
                        f"{where}.prices.{zone}", "not whole cents ≥ 0", "e.g. 2400 for € 24"
                    )
        conditions = _conditions(reader, where, raw.get("conditions") or {})
        if len(reader.errors) == before and ident and name and conditions:
            tariffs.append(Tariff(ident, name, dict(prices), conditions))  # type: ignore[arg-type]
    return tuple(tariffs)


def _conditions(reader: _Body, where: str, raw: Any) -> TariffConditions | None:
    if not isinstance(raw, Mapping) or set(raw) - set(_CONDITION_FIELDS):
        reader.bad(
            f"{where}.conditions", "not tariff conditions", "{" + ", ".join(_CONDITION_FIELDS) + "}"
        )
        return None
    proof = raw.get("proof_required", False)
    if not isinstance(proof, bool):
        reader.bad(f"{where}.conditions.proof_required", "not true or false", "true or false")
    counts = {
        name: reader.whole(f"{where}.conditions.{name}", low, high, raw.get(name))
        for name, low, high in (("max_per_order", 1, 100), ("min_age", 0, 120), ("max_age", 0, 120))
    }
    if (
        counts["min_age"] is not None
        and counts["max_age"] is not None
        and counts["max_age"] < counts["min_age"]
    ):
        reader.bad(f"{where}.conditions.max_age", "below min_age", "at least min_age")
    return TariffConditions(proof_required=proof is True, **counts)


# --- blocked seats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockRequest:
    seats: tuple[str, ...]
    reason: str


# One DynamoDB transaction carries 100 items and a block or an unblock is one transaction (one
# item per seat): all of its seats or none, never a half-done request. More is refused, not cut
# into several transactions that could half succeed.
MAX_SEATS_PER_REQUEST = 100


def parse_block(body: Any) -> BlockRequest:
    reader = _Body(body, ("seats", "reason"), "seats to block")
    seats = _seat_ids(reader)
    reason = reader.body.get("reason")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 200:
        reader.bad("reason", "missing or not a short text", "why: technical, house seats, press…")
    reader.done()
    return BlockRequest(seats, str(reason).strip())


def parse_unblock(body: Any) -> tuple[str, ...]:
    """The blocked seats to put back on sale."""
    reader = _Body(body, ("seats",), "blocked seats to release")
    seats = _seat_ids(reader)
    reader.done()
    return seats


def _seat_ids(reader: _Body) -> tuple[str, ...]:
    seats = reader.body.get("seats")
    if not isinstance(seats, list) or not seats or len(seats) > MAX_SEATS_PER_REQUEST:
        reader.bad(
            "seats",
            f"missing, empty or more than {MAX_SEATS_PER_REQUEST} (one transaction)",
            f"a list of 1 to {MAX_SEATS_PER_REQUEST} seat ids; send more in several requests",
        )
        return ()
    if not all(isinstance(s, str) and ID_PATTERN.fullmatch(s) for s in seats):
        reader.bad("seats", "not a list of seat ids", "a list of seat ids")
    elif len(set(seats)) != len(seats):
        reader.bad("seats", "a seat twice", "each seat once")
    return tuple(seats)


# --- venues and halls --------------------------------------------------------------------------

VENUE_FIELDS = ("house", "name", "address", "city", "accessibility")
HALL_FIELDS = ("house", "venue", "name", "layout", "capacity", "price_zones")
_ZONE_FIELDS = ("id", "name", "rank", "color")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class VenueFields:
    house: str | None
    name: str
    address: str
    city: str
    accessibility: dict[str, str]


@dataclass(frozen=True)
class HallFields:
    house: str | None
    venue: str
    name: str
    layout: HallLayout
    capacity: int | None  # None: the seat map's
    price_zones: tuple[PriceZone, ...]


def _line(reader: _Body, name: str, *, required: bool = True) -> str:
    value = reader.body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        reader.bad(name, "missing" if value is None else "not a short text", "a text (≤ 200)")
        return ""
    return value.strip()


def parse_venue(body: Any) -> VenueFields:
    reader = _Body(body, VENUE_FIELDS, "a venue")
    house = reader.id("house", required=False)
    name, address, city = (_line(reader, n) for n in ("name", "address", "city"))
    accessibility = reader.text("accessibility", required=False) or {}
    reader.done()
    return VenueFields(house, name, address, city, accessibility)


def parse_hall(body: Any) -> HallFields:
    reader = _Body(body, HALL_FIELDS, "a hall")
    house = reader.id("house", required=False)
    venue = reader.id("venue")
    name = _line(reader, "name")
    layouts = ", ".join(layout.value for layout in HallLayout)
    layout_value = reader.body.get("layout", HallLayout.SEATED.value)
    layout = HallLayout.SEATED
    if not isinstance(layout_value, str) or layout_value not in {h.value for h in HallLayout}:
        reader.bad("layout", f"unknown layout {str(layout_value)[:40]!r}", "one of " + layouts)
    else:
        layout = HallLayout(layout_value)
    capacity = reader.whole("capacity", 1, 100_000)
    zones: list[PriceZone] = []
    value = reader.body.get("price_zones")
    expected = 'a list of {"id", "name": {nl, …}, "rank": 1…, "color": "#RRGGBB"}'
    if not isinstance(value, list) or not value or len(value) > MAX_ITEMS:
        reader.bad("price_zones", f"missing, empty or more than {MAX_ITEMS}", expected)
        value = []
    seen: set[str] = set()
    for index, raw in enumerate(value):
        where = f"price_zones[{index}]"
        if not isinstance(raw, Mapping) or set(raw) - set(_ZONE_FIELDS):
            reader.bad(where, "not a price zone", expected)
            continue
        ident = reader.id(f"{where}.id", raw.get("id"))
        if ident in seen:
            reader.bad(f"{where}.id", f"duplicate zone {ident!r}", "a unique id")
        seen.add(ident or "")
        zone_name = reader.text(f"{where}.name", raw.get("name"))
        rank = reader.whole(f"{where}.rank", 1, 100, raw.get("rank"), required=True)
        color = raw.get("color")
        if not isinstance(color, str) or not _COLOR.match(color):
            reader.bad(f"{where}.color", "not a colour", "#RRGGBB")
        elif ident and zone_name and rank:
            zones.append(PriceZone(ident, zone_name, rank, color))
    reader.done()
    assert venue is not None
    return HallFields(house, venue, name, layout, capacity, tuple(zones))
