"""What staff programme management reads and answers: the commands the programme service takes
(productions, performances, venues, halls, blocked seats, a cancellation), the staff lists'
queries, and the replies. The one place their shape is checked; the API document is generated
from these classes.

What one body says about itself is checked here, every bad value at once (two tariffs with one
id, a performance that ends before it starts). Rules that need other objects (the production
and hall are the caller's house's, a tariff prices the hall's zones) are the service's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from chalicelib.catalogue.model import (
    Genre,
    Hall,
    HallLayout,
    Image,
    Performance,
    PerformanceDetail,
    PerformanceStatus,
    PriceZone,
    Production,
    SalesState,
    Tariff,
    TariffConditions,
    Venue,
)
from chalicelib.core.clock import parse_utc_iso
from chalicelib.core.edge import (
    Body,
    Flag,
    Id,
    Instant,
    Moment,
    Query,
    Reply,
    Whole,
    examples,
    expect,
    more_problems,
    problem_at,
)
from chalicelib.core.paging import MAX_LIMIT, decode_cursor
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.store.keys import ID_PATTERN

MAX_TEXT = 5000  # characters of one text in one language
MAX_ITEMS = 20  # images, tariffs, languages, zones: an item stays far below DynamoDB's 400 KB
# One DynamoDB transaction carries 100 items and a block or an unblock is one transaction (one
# item per seat): all of its seats or none, never a half-done request. More is refused, not cut
# into several transactions that could half succeed.
MAX_SEATS_PER_REQUEST = 100
DEFAULT_LIMIT = 50  # a staff list's page
DEFAULT_REASON = "Voorstelling geannuleerd / Représentation annulée / Performance cancelled"

_TEXT = f"a non-empty text of at most {MAX_TEXT} characters"
_URL = r"(?i)^https?://[^\s/$.?#][^\s]*$"

# --- shared field types ---------------------------------------------------------------------

NonEmpty = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    Field(description=_TEXT),
]
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    Field(description="a text (≤ 200)"),
]

if TYPE_CHECKING:  # the service imports these models; only the type goes back
    from chalicelib.programme.service import RefundCounts


class Texts(Body):
    """an object with a Dutch text: {nl, fr?, en?}"""

    nl: NonEmpty
    fr: NonEmpty | None = None
    en: NonEmpty | None = None

    def as_dict(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


def _image(value: Any) -> Any:
    """An image may be given as its URL alone."""
    return {"url": value} if isinstance(value, str) else value


class ImageIn(Body):
    """{"url": "https://…", "alt"?: {nl, fr?, en?}}"""

    url: Annotated[str, expect("https://…", pattern=_URL, max_length=2000)]
    alt: Annotated[Texts | None, Field(description="the title, when left out")] = None


def _problems_too(
    data: Any, handler: Callable[[Any], Any], found: list[InitErrorDetails], title: str
) -> Any:
    """`handler(data)`, answered together with the rules between its items that `found`."""
    try:
        model = handler(data)
    except ValidationError as error:
        raise more_problems(error, found, title) from None
    if found:
        raise more_problems(None, found, title)
    return model


def _duplicates(data: Any, key: str, what: str) -> list[InitErrorDetails]:
    """Items of the list `data[key]` whose id an earlier item has, read as sent: an item with
    another bad value is still told it repeats an id."""
    items = data.get(key) if isinstance(data, dict) else None
    seen: set[str] = set()
    found: list[InitErrorDetails] = []
    for index, item in enumerate(items if isinstance(items, list) else ()):
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            found.append(
                problem_at(
                    (key, index, "id"),
                    "duplicate",
                    f"duplicate {what} {ident!r}",
                    "a unique id",
                    ident,
                )
            )
        seen.add(ident)
    return found


# --- productions ----------------------------------------------------------------------------

_PRODUCTION_EXAMPLE: dict[str, Any] = {
    "title": {"nl": "Het proces", "fr": "Le procès", "en": "The Trial"},
    "description": {"nl": "Naar Kafka.", "en": "After Kafka."},
    "genre": "theatre",
    "languages": ["nl"],
    "duration_minutes": 95,
    "age_advice": 14,
    "images": [{"url": "https://images.example.be/proces.jpg"}],
}


class ProductionCommand(Body):
    """a production"""

    model_config = ConfigDict(json_schema_extra={"examples": [_PRODUCTION_EXAMPLE]})

    house: Annotated[Id | None, Field(description="one of your houses; yours if you have one")] = (
        None
    )
    title: Texts
    description: Texts | None = None
    genre: Genre
    languages: Annotated[
        tuple[Annotated[str, Field(pattern=r"^[a-z]{2}$")], ...],
        expect('a list such as ["nl", "fr"]', max_length=MAX_ITEMS),
    ] = ()
    duration_minutes: Annotated[Whole, expect("a whole number from 1 to 1440", ge=1, le=24 * 60)]
    age_advice: Annotated[Whole | None, expect("a whole number from 0 to 99", ge=0, le=99)] = None
    images: Annotated[
        tuple[Annotated[ImageIn, BeforeValidator(_image)], ...],
        expect(f"a list of at most {MAX_ITEMS} images", max_length=MAX_ITEMS),
    ] = ()

    def production(self, ident: str, house: str) -> Production:
        title = self.title.as_dict()
        return Production(
            id=ident,
            house=house,
            title=title,
            description=self.description.as_dict() if self.description else {},
            genre=self.genre,
            languages=self.languages,
            duration_minutes=self.duration_minutes,
            # An image without alt text is described by the title: never an empty alt.
            images=tuple(
                Image(url=i.url, alt=i.alt.as_dict() if i.alt else dict(title)) for i in self.images
            ),
            age_advice=self.age_advice,
        )


# --- performances ---------------------------------------------------------------------------

_SETTABLE = "one of draft, on_sale, sold_out"


def _settable(value: Any) -> Any:
    if value == PerformanceStatus.CANCELLED.value:  # it has consequences for buyers
        raise PydanticCustomError(
            "status", "cancel with POST …/cancel: it refunds the buyers", {"expected": _SETTABLE}
        )
    return value


Cents = Annotated[Whole, Field(ge=0, le=1_000_000, description="e.g. 2400 for € 24")]


class ConditionsIn(Body):
    """{"max_per_order"?, "proof_required"?, "min_age"?, "max_age"?}"""

    max_per_order: Annotated[Whole | None, expect("a whole number from 1 to 100", ge=1, le=100)] = (
        None
    )
    proof_required: Flag = False
    min_age: Annotated[Whole | None, expect("a whole number from 0 to 120", ge=0, le=120)] = None
    max_age: Annotated[Whole | None, expect("a whole number from 0 to 120", ge=0, le=120)] = None

    @field_validator("max_age")
    @classmethod
    def _not_below_min_age(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("min_age")
        if value is not None and low is not None and value < low:
            raise PydanticCustomError("below", "below min_age", {"expected": "at least min_age"})
        return value

    def conditions(self) -> TariffConditions:
        return TariffConditions(
            max_per_order=self.max_per_order,
            proof_required=self.proof_required,
            min_age=self.min_age,
            max_age=self.max_age,
        )


class TariffIn(Body):
    """{"id", "name": {nl, …}, "prices": {zone: cents}, "conditions"?}"""

    id: Id
    name: Texts
    prices: Annotated[
        dict[str, Cents],
        expect("{price zone id: euro cents}", min_length=1, max_length=MAX_ITEMS),
    ]
    conditions: ConditionsIn | None = None

    def tariff(self) -> Tariff:
        conditions = self.conditions.conditions() if self.conditions else TariffConditions()
        return Tariff(self.id, self.name.as_dict(), dict(self.prices), conditions)


def _instant_or_none(value: Any) -> datetime | None:
    try:
        return parse_utc_iso(value) if isinstance(value, str) else None
    except ValueError:
        return None


_PERFORMANCE_EXAMPLE: dict[str, Any] = {
    "production": "het-proces-3f2a1b",
    "hall": "ntgent-schouwburg-grote-zaal",
    "starts_at": "2027-01-15T19:30:00Z",
    "ends_at": "2027-01-15T21:30:00Z",
    "sales_opens_at": "2026-11-01T09:00:00Z",
    "status": "draft",
    "tariffs": [
        {
            "id": "standaard",
            "name": {"nl": "Standaard", "fr": "Standard", "en": "Standard"},
            "prices": {"zone-1": 2400, "zone-2": 1800},
        },
        {
            "id": "student",
            "name": {"nl": "Student"},
            "prices": {"zone-1": 1200},
            "conditions": {"proof_required": True, "max_per_order": 2},
        },
    ],
    "hold_minutes": 15,
}


class PerformanceCommand(Body):
    """a performance"""

    model_config = ConfigDict(json_schema_extra={"examples": [_PERFORMANCE_EXAMPLE]})

    house: Annotated[Id | None, Field(description="one of your houses; yours if you have one")] = (
        None
    )
    production: Annotated[str, expect("a production of the house", pattern=ID_PATTERN.pattern)]
    hall: Annotated[str, expect("a hall of the house", pattern=ID_PATTERN.pattern)]
    starts_at: Instant
    ends_at: Annotated[Instant, expect("an instant after starts_at")]
    sales_opens_at: Annotated[Instant | None, Field(description="left out: from now")] = None
    sales_closes_at: Annotated[
        Instant | None, Field(description="left out: when the performance starts")
    ] = None
    status: Annotated[
        Literal["draft", "on_sale", "sold_out"],
        BeforeValidator(_settable),
        Field(description=_SETTABLE + " (a cancellation has its own route)"),
    ] = "draft"
    tariffs: Annotated[
        list[TariffIn],
        expect(
            'a list of {"id", "name": {nl, …}, "prices": {zone: cents}, "conditions"?}',
            min_length=1,
            max_length=MAX_ITEMS,
        ),
    ]
    hold_minutes: Annotated[Whole | None, expect("a whole number from 1 to 60", ge=1, le=60)] = None
    max_seats_per_hold: Annotated[
        Whole | None, expect("a whole number from 1 to 10", ge=1, le=10)
    ] = None
    max_holds_per_client: Annotated[
        Whole | None, expect("a whole number from 1 to 10", ge=1, le=10)
    ] = None

    @model_validator(mode="wrap")
    @classmethod
    def _whole(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        return _problems_too(
            data, handler, _times(data) + _duplicates(data, "tariffs", "tariff"), cls.__name__
        )

    @property
    def performance_status(self) -> PerformanceStatus:
        return PerformanceStatus(self.status)

    @property
    def rules(self) -> dict[str, int]:
        """The hold rules the body gives; the others stay as they were (or the defaults)."""
        given = {
            "hold_minutes": self.hold_minutes,
            "max_seats_per_hold": self.max_seats_per_hold,
            "max_holds_per_client": self.max_holds_per_client,
        }
        return {name: value for name, value in given.items() if value is not None}


def _times(data: Any) -> list[InitErrorDetails]:
    """The times must follow each other, told with the rest of the body's mistakes."""
    if not isinstance(data, dict):
        return []
    starts, ends, opens, closes = (
        _instant_or_none(data.get(name))
        for name in ("starts_at", "ends_at", "sales_opens_at", "sales_closes_at")
    )
    found: list[InitErrorDetails] = []
    if starts and ends and ends <= starts:
        found.append(
            problem_at(("ends_at",), "order", "not after starts_at", "an instant after starts_at")
        )
    effective_closes = closes or starts
    if opens and effective_closes and effective_closes <= opens:
        found.append(
            problem_at(
                ("sales_closes_at",), "order", "not after sales_opens_at", "after sales_opens_at"
            )
        )
    if closes and ends and closes > ends:
        found.append(
            problem_at(
                ("sales_closes_at",), "order", "after the performance ends", "at or before ends_at"
            )
        )
    return found


class CancelCommand(Body):
    """a cancellation: {"reason"?: "…"}"""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "ziekte in de cast"}]})

    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
        Field(description="why, in ≤ 200 characters; recorded on each refunded order"),
    ] = DEFAULT_REASON


# --- blocked seats --------------------------------------------------------------------------

_SEATS_EXPECTED = f"a list of 1 to {MAX_SEATS_PER_REQUEST} seat ids; send more in several requests"


def _seat_ids(value: Any) -> Any:
    """The list is named as a whole: one transaction, all of its seats or none."""
    if not isinstance(value, list | tuple) or not value or len(value) > MAX_SEATS_PER_REQUEST:
        raise PydanticCustomError(
            "seats", f"missing, empty or more than {MAX_SEATS_PER_REQUEST} (one transaction)"
        )
    if not all(isinstance(seat, str) and ID_PATTERN.fullmatch(seat) for seat in value):
        raise PydanticCustomError(
            "seats", "not a list of seat ids", {"expected": "a list of seat ids"}
        )
    if len(set(value)) != len(value):
        raise PydanticCustomError("seats", "a seat twice", {"expected": "each seat once"})
    return tuple(value)


SeatIds = Annotated[
    tuple[str, ...],
    BeforeValidator(_seat_ids),
    Field(description=_SEATS_EXPECTED, min_length=1, max_length=MAX_SEATS_PER_REQUEST),
]


class BlockCommand(Body):
    """seats to block"""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"seats": ["zaal-a-5", "zaal-a-6"], "reason": "mengtafel"}]}
    )

    seats: SeatIds
    reason: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
        Field(description="why: technical, house seats, press…"),
    ]


class ReleaseCommand(Body):
    """blocked seats to release"""

    model_config = ConfigDict(json_schema_extra={"examples": [{"seats": ["zaal-a-5"]}]})

    seats: SeatIds


# --- venues and halls -----------------------------------------------------------------------


class VenueCommand(Body):
    """a venue"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Schouwburg",
                    "address": "Sint-Baafsplein 17",
                    "city": "Gent",
                    "accessibility": {"nl": "Rolstoelplaatsen op het parterre."},
                }
            ]
        }
    )

    house: Annotated[Id | None, Field(description="one of your houses; yours if you have one")] = (
        None
    )
    name: Line
    address: Line
    city: Line
    accessibility: Texts | None = None


class ZoneIn(Body):
    """{"id", "name": {nl, …}, "rank": 1…, "color": "#RRGGBB"}"""

    id: Id
    name: Texts
    rank: Annotated[Whole, expect("a whole number from 1 to 100", ge=1, le=100)]
    color: Annotated[str, expect("#RRGGBB", pattern=r"^#[0-9A-Fa-f]{6}$")]

    def zone(self) -> PriceZone:
        return PriceZone(self.id, self.name.as_dict(), self.rank, self.color)


class HallCommand(Body):
    """a hall"""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "venue": "schouwburg-3f2a1b",
                    "name": "Grote zaal",
                    "layout": "seated",
                    "capacity": 120,
                    "price_zones": [
                        {"id": "voor", "name": {"nl": "Voor"}, "rank": 1, "color": "#AA3322"},
                        {"id": "achter", "name": {"nl": "Achter"}, "rank": 2, "color": "#3366AA"},
                    ],
                }
            ]
        }
    )

    house: Annotated[Id | None, Field(description="one of your houses; yours if you have one")] = (
        None
    )
    venue: Annotated[str, expect("a venue of the house", pattern=ID_PATTERN.pattern)]
    name: Line
    layout: HallLayout = HallLayout.SEATED
    capacity: Annotated[
        Whole | None,
        expect("a whole number from 1 to 100000; left out: the seat map's", ge=1, le=100_000),
    ] = None
    price_zones: Annotated[
        list[ZoneIn],
        expect(f"a list of 1 to {MAX_ITEMS} price zones", min_length=1, max_length=MAX_ITEMS),
    ]

    @model_validator(mode="wrap")
    @classmethod
    def _whole(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        return _problems_too(data, handler, _duplicates(data, "price_zones", "zone"), cls.__name__)

    def zones(self) -> tuple[PriceZone, ...]:
        return tuple(zone.zone() for zone in self.price_zones)


# --- the staff lists' queries ---------------------------------------------------------------

_NOT_OURS = "the 'next' value of a page"
_DAY = "a date (2026-12-31, a whole day in Brussels) or a date-time (2026-12-31T20:00:00+01:00)"


class ListQuery(Query):
    """A page of a staff list, house by house."""

    kind: ClassVar[str]

    limit: Annotated[
        int, expect(f"1-{MAX_LIMIT} (default {DEFAULT_LIMIT})", ge=1, le=MAX_LIMIT)
    ] = DEFAULT_LIMIT
    next: Annotated[str | None, Field(description="the previous page's `next`")] = None
    house: Annotated[Id | None, Field(description="one of your houses")] = None

    @field_validator("next")
    @classmethod
    def _ours(cls, value: str | None) -> str | None:
        if value is not None and decode_cursor(value, cls.kind) is None:
            raise PydanticCustomError(
                "cursor", "not a cursor this API issued", {"expected": _NOT_OURS}
            )
        return value

    @property
    def after(self) -> tuple[str, str] | None:
        return decode_cursor(self.next, self.kind) if self.next is not None else None

    def filters(self) -> dict[str, str]:
        """The store's filters besides the house: the set ones, as text."""
        names = set(type(self).model_fields) - {"lang", "limit", "next", "house", "from_", "to"}
        found = {name: getattr(self, name) for name in sorted(names)}
        return {name: str(getattr(v, "value", v)) for name, v in found.items() if v is not None}


class ProductionsQuery(ListQuery):
    kind: ClassVar[str] = "productions"

    genre: Annotated[Id | None, Field(description="a genre, such as theatre")] = None


def _moment(value: Any, *, end_of_day: bool) -> Any:
    """A date means a whole day in Brussels; a date-time without offset is Brussels time (the
    public list's reading, chalicelib/catalogue/query.py)."""
    if not isinstance(value, str):
        return value
    from chalicelib.catalogue.query import parse_instant
    from chalicelib.core.errors import FieldError

    errors: list[FieldError] = []
    moment = parse_instant({"at": value}, "at", errors, end_of_day=end_of_day)
    if moment is None:
        raise PydanticCustomError(
            "date", "{value} is not a date", {"value": repr(value[:40]), "expected": _DAY}
        )
    return moment


class PerformancesQuery(ListQuery):
    kind: ClassVar[str] = "performances"

    production: Annotated[Id | None, Field(description="a production id")] = None
    hall: Annotated[Id | None, Field(description="a hall id")] = None
    status: Annotated[PerformanceStatus | None, Field(description="a status")] = None
    from_: Annotated[
        datetime | None,
        BeforeValidator(lambda value: _moment(value, end_of_day=False)),
        Field(alias="from", description="starting on or after: " + _DAY),
    ] = None
    to: Annotated[
        datetime | None,
        BeforeValidator(lambda value: _moment(value, end_of_day=True)),
        Field(description="starting on or before: " + _DAY),
    ] = None

    @field_validator("to")
    @classmethod
    def _after_from(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        low = info.data.get("from_")
        if value is not None and low is not None and value < low:
            raise PydanticCustomError(
                "order", "'to' is before 'from'", {"expected": "a moment on or after 'from'"}
            )
        return value


class VenuesQuery(ListQuery):
    kind: ClassVar[str] = "venues"


class HallsQuery(ListQuery):
    kind: ClassVar[str] = "halls"

    venue: Annotated[Id | None, Field(description="a venue id")] = None


# --- replies: staff see every language as stored --------------------------------------------

_TITLE: dict[str, Any] = {"nl": "Het proces", "fr": "Le procès", "en": "The Trial"}


class ImageOut(Reply):
    url: str
    alt: dict[str, str]


class ProductionReply(Reply):
    """A production as staff manage it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "het-proces-3f2a1b",
                    "house": "ntgent",
                    "title": _TITLE,
                    "description": {"nl": "Naar Kafka.", "en": "After Kafka."},
                    "genre": "theatre",
                    "languages": ["nl"],
                    "duration_minutes": 95,
                    "age_advice": 14,
                    "images": [{"url": "https://images.example.be/proces.jpg", "alt": _TITLE}],
                }
            ]
        }
    )

    id: str
    house: str
    title: dict[str, str]
    description: dict[str, str]
    genre: Genre
    languages: list[str]
    duration_minutes: int
    age_advice: int | None
    images: list[ImageOut]

    @classmethod
    def of(cls, production: Production) -> ProductionReply:
        return cls(
            id=production.id,
            house=production.house,
            title=dict(production.title),
            description=dict(production.description),
            genre=production.genre,
            languages=list(production.languages),
            duration_minutes=production.duration_minutes,
            age_advice=production.age_advice,
            images=[ImageOut(url=i.url, alt=dict(i.alt)) for i in production.images],
        )


class VenueReply(Reply):
    """A venue."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "schouwburg-3f2a1b",
                    "house": "ntgent",
                    "name": "Schouwburg",
                    "address": "Sint-Baafsplein 17",
                    "city": "Gent",
                    "accessibility": {"nl": "Rolstoelplaatsen op het parterre."},
                }
            ]
        }
    )

    id: str
    house: str
    name: str
    address: str
    city: str
    accessibility: dict[str, str]

    @classmethod
    def of(cls, venue: Venue) -> VenueReply:
        return cls(
            id=venue.id,
            house=venue.house,
            name=venue.name,
            address=venue.address,
            city=venue.city,
            accessibility=dict(venue.accessibility),
        )


class ZoneOut(Reply):
    id: str
    name: dict[str, str]
    rank: int
    color: str

    @classmethod
    def of(cls, zone: PriceZone) -> ZoneOut:
        return cls(id=zone.id, name=dict(zone.name), rank=zone.rank, color=zone.color)


_ZONES = [
    {"id": "voor", "name": {"nl": "Voor"}, "rank": 1, "color": "#AA3322"},
    {"id": "achter", "name": {"nl": "Achter"}, "rank": 2, "color": "#3366AA"},
]
_HALL: dict[str, Any] = {
    "id": "grote-zaal-3f2a1b",
    "house": "ntgent",
    "venue": "schouwburg-3f2a1b",
    "name": "Grote zaal",
    "layout": "seated",
    "capacity": 120,
    "price_zones": _ZONES,
    "seat_map": "grote-zaal-3f2a1b-9c0d1e2f",
}


class HallReply(Reply):
    """A hall, its price zones and the id of its seat map (null before one is imported)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_HALL]})

    id: str
    house: str
    venue: str
    name: str
    layout: HallLayout
    capacity: int
    price_zones: list[ZoneOut]
    seat_map: str | None

    @classmethod
    def of(cls, hall: Hall) -> HallReply:
        return cls(
            id=hall.id,
            house=hall.house,
            venue=hall.venue,
            name=hall.name,
            layout=hall.layout,
            capacity=hall.capacity,
            price_zones=[ZoneOut.of(z) for z in hall.price_zones],
            seat_map=hall.seat_map,
        )


class SeatMapSummary(Reply):
    id: str
    sections: int
    seats: int
    pools: int
    capacity: int

    @classmethod
    def of(cls, seat_map: SeatMap) -> SeatMapSummary:
        return cls(
            id=seat_map.id,
            sections=len(seat_map.sections),
            seats=len(seat_map.seats),
            pools=len(seat_map.pools),
            capacity=seat_map.capacity,
        )


class MappedHallReply(Reply):
    """The hall with its new seat map, counted."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _HALL
                | {
                    "capacity": 3,
                    "seat_map": {
                        "id": "grote-zaal-3f2a1b-9c0d1e2f",
                        "sections": 1,
                        "seats": 3,
                        "pools": 0,
                        "capacity": 3,
                    },
                }
            ]
        }
    )

    id: str
    house: str
    venue: str
    name: str
    layout: HallLayout
    capacity: int
    price_zones: list[ZoneOut]
    seat_map: SeatMapSummary

    @classmethod
    def of(cls, hall: Hall, seat_map: SeatMap) -> MappedHallReply:
        fields = HallReply.of(hall).model_dump(exclude={"seat_map"})
        return cls(**fields, seat_map=SeatMapSummary.of(seat_map))


class ConditionsOut(Reply):
    max_per_order: int | None
    proof_required: bool
    min_age: int | None
    max_age: int | None


class TariffOut(Reply):
    id: str
    name: dict[str, str]
    prices: dict[str, int]
    conditions: ConditionsOut

    @classmethod
    def of(cls, tariff: Tariff) -> TariffOut:
        c = tariff.conditions
        return cls(
            id=tariff.id,
            name=dict(tariff.name),
            prices=dict(tariff.prices),
            conditions=ConditionsOut(
                max_per_order=c.max_per_order,
                proof_required=c.proof_required,
                min_age=c.min_age,
                max_age=c.max_age,
            ),
        )


class RefundProgress(Reply):
    """Where a cancellation's refunds are, counted from its orders whenever asked
    (chalicelib/programme/cancellation.py `progress`)."""

    to_refund: int = Field(description="orders whose buyers still wait for their money")
    refunded: int = Field(description="orders refunded or cancelled: money back, tickets void")
    refunded_cents: int
    checkouts_paying: int = Field(description="checkouts still paying, refunded by their saga")
    done: bool
    queued: int | None = Field(
        default=None, description="the cancel's answer only: the refunds this call queued"
    )


_PERFORMANCE_REPLY: dict[str, Any] = {
    "id": "pf-7k2m9q",
    "house": "ntgent",
    "production": "het-proces-3f2a1b",
    "hall": "grote-zaal-3f2a1b",
    "venue": "schouwburg-3f2a1b",
    "title": _TITLE,
    "genre": "theatre",
    "starts_at": "2027-01-15T19:30:00Z",
    "ends_at": "2027-01-15T21:30:00Z",
    "sales_opens_at": "2026-11-01T09:00:00Z",
    "sales_closes_at": "2027-01-15T19:30:00Z",
    "status": "draft",
    "sales_state": "not_yet_on_sale",
    "tariffs": [
        {
            "id": "standaard",
            "name": {"nl": "Standaard", "fr": "Standard", "en": "Standard"},
            "prices": {"voor": 2400, "achter": 1800},
            "conditions": {
                "max_per_order": None,
                "proof_required": False,
                "min_age": None,
                "max_age": None,
            },
        }
    ],
    "price_zones": _ZONES,
    "seat_map": "grote-zaal-3f2a1b-9c0d1e2f",
    "hold_minutes": 15,
    "max_seats_per_hold": 10,
    "max_holds_per_client": 3,
}


class PerformanceReply(Reply):
    """A performance as staff manage it, drafts included; once cancelled, how far its refunds
    are (`refunds`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                _PERFORMANCE_REPLY,
                _PERFORMANCE_REPLY
                | {
                    "status": "cancelled",
                    "sales_state": "cancelled",
                    "refunds": {
                        "to_refund": 0,
                        "refunded": 2,
                        "refunded_cents": 4800,
                        "checkouts_paying": 0,
                        "done": True,
                    },
                },
            ]
        }
    )

    id: str
    house: str
    production: str
    hall: str
    venue: str
    title: dict[str, str]
    genre: Genre
    starts_at: Moment
    ends_at: Moment
    sales_opens_at: Moment
    sales_closes_at: Moment
    status: PerformanceStatus
    sales_state: SalesState
    tariffs: list[TariffOut]
    price_zones: list[ZoneOut]
    seat_map: str | None
    hold_minutes: int
    max_seats_per_hold: int
    max_holds_per_client: int
    refunds: RefundProgress | None = Field(default=None, description="only once cancelled")

    @classmethod
    def of(
        cls, detail: PerformanceDetail, now: datetime, refunds: RefundCounts | None = None
    ) -> PerformanceReply:
        p = detail.performance
        progress = {"refunds": RefundProgress.model_validate(refunds)} if refunds else {}
        return cls(
            id=p.id,
            house=p.house,
            production=p.production,
            hall=p.hall,
            venue=p.venue,
            title=dict(p.title),
            genre=p.genre,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            sales_opens_at=p.sales_opens_at,
            sales_closes_at=p.sales_closes_at,
            status=p.status,
            sales_state=p.sales_state(now),
            tariffs=[TariffOut.of(t) for t in p.tariffs],
            price_zones=[ZoneOut.of(z) for z in detail.hall.price_zones],
            seat_map=detail.hall.seat_map,
            hold_minutes=p.hold_minutes,
            max_seats_per_hold=p.max_seats_per_hold,
            max_holds_per_client=p.max_holds_per_client,
            **progress,
        )


class PerformanceSummary(Reply):
    id: str
    house: str
    production: str
    hall: str
    title: dict[str, str]
    starts_at: Moment
    status: PerformanceStatus
    sales_state: SalesState

    @classmethod
    def of(cls, p: Performance, now: datetime) -> PerformanceSummary:
        return cls(
            id=p.id,
            house=p.house,
            production=p.production,
            hall=p.hall,
            title=dict(p.title),
            starts_at=p.starts_at,
            status=p.status,
            sales_state=p.sales_state(now),
        )


_NEXT = Field(description="the cursor of the next page; null on the last")
_CURSOR = "cHJvZHVjdGlvbnM6bnRnZW50fGhldC1wcm9jZXMtM2YyYTFi"


class ProductionPage(Reply):
    """A page of your houses' productions, house by house, by id."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": examples(ProductionReply),
                    "next": _CURSOR,
                }
            ]
        }
    )

    items: list[ProductionReply]
    next: str | None = _NEXT


class PerformancePage(Reply):
    """A page of your houses' performances, drafts and past ones too, house by house, by
    start time."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "id": "pf-7k2m9q",
                            "house": "ntgent",
                            "production": "het-proces-3f2a1b",
                            "hall": "grote-zaal-3f2a1b",
                            "title": _TITLE,
                            "starts_at": "2027-01-15T19:30:00Z",
                            "status": "on_sale",
                            "sales_state": "on_sale",
                        }
                    ],
                    "next": None,
                }
            ]
        }
    )

    items: list[PerformanceSummary]
    next: str | None = _NEXT


class VenuePage(Reply):
    """A page of your houses' venues, house by house, by id."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": examples(VenueReply),
                    "next": None,
                }
            ]
        }
    )

    items: list[VenueReply]
    next: str | None = _NEXT


class HallPage(Reply):
    """A page of your houses' halls, house by house, by id."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [_HALL], "next": None}]})

    items: list[HallReply]
    next: str | None = _NEXT


class BlockedReply(Reply):
    """The seats now out of sale, and why."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "performance": "pf-7k2m9q",
                    "blocked": ["zaal-a-5", "zaal-a-6"],
                    "reason": "mengtafel",
                }
            ]
        }
    )

    performance: str
    blocked: list[str]
    reason: str


class ReleasedReply(Reply):
    """The seats back on sale."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"performance": "pf-7k2m9q", "released": ["zaal-a-5"]}]}
    )

    performance: str
    released: list[str]


# --- the staff seat plan --------------------------------------------------------------------


class PlanZone(Reply):
    id: str
    name: str
    rank: int
    color: str


class PlanSection(Reply):
    id: str
    name: str


class StaffSeat(Reply):
    """A seat of the map with its real state; what applies to the state is given."""

    id: str
    section: str
    row: str
    number: int
    x: float
    y: float
    zone: str
    attributes: list[str]
    label: str
    state: Literal["free", "held", "sold", "blocked"]
    reason: str | None = Field(default=None, description="blocked: why")
    blocked_at: str | None = Field(default=None, description="blocked: since when")
    hold: str | None = Field(default=None, description="held or sold: the hold")
    order: str | None = Field(default=None, description="held or sold: its order, if any")
    held_until: str | None = Field(default=None, description="held: until when")
    paying: bool | None = Field(default=None, description="held: a checkout is paying")


class StaffPool(Reply):
    id: str
    name: str
    zone: str
    capacity: int
    remaining: int
    held: int
    sold: int
    free: int


class StaffSummary(Reply):
    capacity: int
    free_seats: int
    free_places: int
    level: str
    held_seats: int
    sold_seats: int
    blocked_seats: int


class BlockedSeat(Reply):
    seat: str
    label: str
    state: Literal["blocked"]
    reason: str | None
    blocked_at: str | None


class StaffSeatPlanReply(Reply):
    """Every seat's real state: free, held (until when, a checkout paying), sold (its order),
    blocked (why, since when); each pool's places held, sold and free."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "performance": "pf-7k2m9q",
                    "hall": "grote-zaal-3f2a1b",
                    "seat_map": "grote-zaal-3f2a1b-9c0d1e2f",
                    "waiting_room": None,
                    "zones": [{"id": "voor", "name": "Voor", "rank": 1, "color": "#AA3322"}],
                    "sections": [{"id": "zaal", "name": "Zaal"}],
                    "seats": [
                        {
                            "id": "zaal-1-1",
                            "section": "zaal",
                            "row": "1",
                            "number": 1,
                            "x": 10.0,
                            "y": 5.0,
                            "zone": "voor",
                            "attributes": [],
                            "label": "Zaal rij 1 stoel 1",
                            "state": "blocked",
                            "reason": "mengtafel",
                            "blocked_at": "2027-01-10T09:12:00Z",
                        },
                        {
                            "id": "zaal-1-2",
                            "section": "zaal",
                            "row": "1",
                            "number": 2,
                            "x": 20.0,
                            "y": 5.0,
                            "zone": "voor",
                            "attributes": [],
                            "label": "Zaal rij 1 stoel 2",
                            "state": "held",
                            "hold": "h-4f1c",
                            "order": None,
                            "held_until": "2027-01-10T09:27:00Z",
                            "paying": False,
                        },
                    ],
                    "pools": [],
                    "summary": {
                        "capacity": 2,
                        "free_seats": 0,
                        "free_places": 0,
                        "level": "sold_out",
                        "held_seats": 1,
                        "sold_seats": 0,
                        "blocked_seats": 1,
                    },
                    "blocked": [
                        {
                            "seat": "zaal-1-1",
                            "label": "Zaal rij 1 stoel 1",
                            "state": "blocked",
                            "reason": "mengtafel",
                            "blocked_at": "2027-01-10T09:12:00Z",
                        }
                    ],
                }
            ]
        }
    )

    performance: str
    hall: str
    seat_map: str
    waiting_room: str | None = Field(
        description="the waiting room the public's holds go through now, if any"
    )
    zones: list[PlanZone]
    sections: list[PlanSection]
    seats: list[StaffSeat]
    pools: list[StaffPool]
    summary: StaffSummary
    blocked: list[BlockedSeat]
