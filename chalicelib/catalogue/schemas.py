"""What the public catalogue routes read and answer: the listing's filters, and the clusters,
houses and performances in one language. The static publisher renders the same replies, so a
pre-rendered file and an API answer never disagree; the webshop (webshop/*.js) reads both."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic import field_validator as field_check
from pydantic.config import JsonDict
from pydantic_core import PydanticCustomError

from chalicelib.catalogue.model import (
    Cluster,
    Genre,
    Hall,
    HallLayout,
    House,
    HouseType,
    Image,
    Performance,
    PerformanceDetail,
    PerformanceStatus,
    Production,
    SalesState,
    Tariff,
    Venue,
    availability,
)
from chalicelib.catalogue.query import (
    DEFAULT_LIMIT,
    INSTANT_EXPECTED,
    MAX_LIMIT,
    MAX_TEXT,
    decode_cursor,
    instant_of,
)
from chalicelib.core.edge import ID_REGEX, Moment, Query, Reply, expect
from chalicelib.core.i18n import pick
from chalicelib.core.money import format_eur

# --- the listing's filters ---------------------------------------------------------------


def _day_or_instant(end_of_day: bool) -> Any:
    def read(value: Any) -> Any:
        if isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            raise PydanticCustomError("instant", "not a date")
        try:
            return instant_of(value, end_of_day=end_of_day)
        except ValueError:
            raise PydanticCustomError("instant", "not a date") from None

    return BeforeValidator(read)


# A date is that whole day in Brussels: from its first moment, to its last. Documented as text:
# "date-time" alone would hide that a date is taken too.
_TEXT = WithJsonSchema({"type": "string"}, mode="validation")
StartingFrom = Annotated[datetime, _day_or_instant(end_of_day=False), _TEXT]
StartingUntil = Annotated[datetime, _day_or_instant(end_of_day=True), _TEXT]


def _stripped(value: Any) -> Any:
    return (value.strip() or None) if isinstance(value, str) else value


def _cursor(value: str) -> str:
    key = decode_cursor(value)
    if key is None:
        raise PydanticCustomError("cursor", "not a cursor this API issued")
    return key


_ID = "a lowercase id like 'gent'"


class PerformanceQuery(Query):
    """The public listing's filters; every one optional. `next` holds the decoded timeline key
    of the last performance already shown."""

    cluster: Annotated[str | None, expect(_ID, pattern=ID_REGEX)] = None
    house: Annotated[str | None, expect(_ID, pattern=ID_REGEX)] = None
    genre: Annotated[Genre | None, expect("one of " + ", ".join(g.value for g in Genre))] = None
    starts_from: Annotated[
        StartingFrom | None, expect(f"{INSTANT_EXPECTED}, inclusive", alias="from")
    ] = None
    starts_until: Annotated[
        StartingUntil | None, expect(f"{INSTANT_EXPECTED}, inclusive", alias="to")
    ] = None
    text: Annotated[
        # The limit is on the text: a blank `q` is no filter, not a text too long.
        Annotated[str, StringConstraints(max_length=MAX_TEXT)] | None,
        BeforeValidator(_stripped),
        expect(f"free text, at most {MAX_TEXT} characters", alias="q"),
    ] = None
    limit: Annotated[int, expect(f"an integer from 1 to {MAX_LIMIT}", ge=1, le=MAX_LIMIT)] = (
        DEFAULT_LIMIT
    )
    after: Annotated[
        str | None, AfterValidator(_cursor), expect("the 'next' value of a page", alias="next")
    ] = None

    @field_check("starts_until")
    @classmethod
    def _not_before_from(cls, until: datetime | None, info: ValidationInfo) -> datetime | None:
        starts_from = info.data.get("starts_from")
        if until is not None and starts_from is not None and until < starts_from:
            raise PydanticCustomError("order", "'to' is before 'from'")
        return until


# --- replies -----------------------------------------------------------------------------

_CLUSTER_EXAMPLE: JsonDict = {
    "id": "gent",
    "name": "Cultuurcluster Gent",
    "region": "Oost-Vlaanderen",
    "description": "Theater, dans en muziek in en rond Gent.",
}
_HOUSE_EXAMPLE: JsonDict = {
    "id": "ntgent",
    "name": "NTGent",
    "type": "kunstenorganisatie",
    "cluster": "gent",
    "city": "Gent",
    "website": "https://www.ntgent.be",
    "description": "Stadstheater van Gent.",
    "service_fee_cents": 100,
}
_SUMMARY_EXAMPLE: JsonDict = {
    "id": "ntgent-de-storm-2027-01-15",
    "title": "De Storm",
    "house": "ntgent",
    "cluster": "gent",
    "production": "ntgent-de-storm",
    "genre": "theatre",
    "hall": "ntgent-grote-zaal",
    "starts_at": "2027-01-15T19:30:00Z",
    "ends_at": "2027-01-15T21:45:00Z",
    "status": "on_sale",
    "sales_status": "on_sale",
    "price_from_cents": 1800,
    "image": {"url": "/img/de-storm.jpg", "alt": "Storm op zee"},
}


class ClusterReply(Reply):
    """A cluster of houses that share a webshop."""

    model_config = ConfigDict(json_schema_extra={"examples": [_CLUSTER_EXAMPLE]})

    id: str
    name: str
    region: str
    description: str

    @classmethod
    def of(cls, cluster: Cluster, lang: str) -> ClusterReply:
        return cls(
            id=cluster.id,
            name=cluster.name,
            region=cluster.region,
            description=pick(cluster.description, lang),
        )


class ClustersReply(Reply):
    """Every cluster, on one page."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_CLUSTER_EXAMPLE], "next": None}]}
    )

    items: list[ClusterReply]
    next: str | None = Field(default=None, description="always null: one page")


class HouseReply(Reply):
    """A house: a cultuurcentrum, a gemeenschapscentrum, a kunstenorganisatie or a partner."""

    model_config = ConfigDict(json_schema_extra={"examples": [_HOUSE_EXAMPLE]})

    id: str
    name: str
    type: HouseType
    cluster: str
    city: str
    website: str | None
    description: str
    service_fee_cents: int = Field(description="per ticket sold online, VAT included")

    @classmethod
    def of(cls, house: House, lang: str) -> HouseReply:
        return cls(
            id=house.id,
            name=house.name,
            type=house.type,
            cluster=house.cluster,
            city=house.city,
            website=house.website,
            description=pick(house.description, lang),
            service_fee_cents=house.service_fee_cents,
        )


class HousesReply(Reply):
    """The houses of a cluster, on one page."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_HOUSE_EXAMPLE], "next": None}]}
    )

    items: list[HouseReply]
    next: str | None = Field(default=None, description="always null: one page")


class ImageReply(Reply):
    url: str
    alt: str

    @classmethod
    def of(cls, image: Image, lang: str) -> ImageReply:
        return cls(url=image.url, alt=pick(image.alt, lang))


class PerformanceSummary(Reply):
    """A performance as a programme card shows it."""

    model_config = ConfigDict(json_schema_extra={"examples": [_SUMMARY_EXAMPLE]})

    id: str
    title: str
    house: str
    cluster: str
    production: str
    genre: Genre
    hall: str
    starts_at: Moment
    ends_at: Moment
    status: PerformanceStatus
    sales_status: SalesState
    price_from_cents: int | None = Field(
        description="the lowest price anyone can pay (no proof or age needed); null if free"
    )
    image: ImageReply | None

    @classmethod
    def of(cls, performance: Performance, lang: str, now: datetime) -> PerformanceSummary:
        return cls(
            id=performance.id,
            title=pick(performance.title, lang),
            house=performance.house,
            cluster=performance.cluster,
            production=performance.production,
            genre=performance.genre,
            hall=performance.hall,
            starts_at=performance.starts_at,
            ends_at=performance.ends_at,
            status=performance.status,
            sales_status=performance.sales_state(now),
            price_from_cents=_price_from(performance.tariffs),
            image=ImageReply.of(performance.image, lang) if performance.image else None,
        )


class PerformancesReply(Reply):
    """One page of upcoming public performances, by start time."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_SUMMARY_EXAMPLE], "next": "djF8MjAyNy0w"}]}
    )

    items: list[PerformanceSummary]
    next: str | None = Field(description="the cursor of the next page; null on the last")


class ProductionReply(Reply):
    id: str
    title: str
    description: str
    genre: Genre
    languages: list[str] = Field(description="spoken or sung; empty for no text")
    duration_minutes: int
    age_advice: int | None = Field(description="the minimum age advised, e.g. 12 for 12+")
    images: list[ImageReply]

    @classmethod
    def of(cls, production: Production, lang: str) -> ProductionReply:
        return cls(
            id=production.id,
            title=pick(production.title, lang),
            description=pick(production.description, lang),
            genre=production.genre,
            languages=list(production.languages),
            duration_minutes=production.duration_minutes,
            age_advice=production.age_advice,
            images=[ImageReply.of(image, lang) for image in production.images],
        )


class VenueReply(Reply):
    id: str
    name: str
    address: str
    city: str
    accessibility: str

    @classmethod
    def of(cls, venue: Venue, lang: str) -> VenueReply:
        return cls(
            id=venue.id,
            name=venue.name,
            address=venue.address,
            city=venue.city,
            accessibility=pick(venue.accessibility, lang),
        )


class PriceZoneReply(Reply):
    id: str
    name: str
    rank: int = Field(description="1 is the best zone")
    color: str = Field(description="for the seat map, #RRGGBB")


class HallReply(Reply):
    id: str
    name: str
    layout: HallLayout
    capacity: int
    price_zones: list[PriceZoneReply] = Field(description="best zone first")

    @classmethod
    def of(cls, hall: Hall, lang: str) -> HallReply:
        return cls(
            id=hall.id,
            name=hall.name,
            layout=hall.layout,
            capacity=hall.capacity,
            price_zones=price_zones(hall, lang),
        )


def price_zones(hall: Hall, lang: str) -> list[PriceZoneReply]:
    """A hall's zones, best first, named in `lang` (the seat plan shows them too)."""
    return [
        PriceZoneReply(id=z.id, name=pick(z.name, lang), rank=z.rank, color=z.color)
        for z in sorted(hall.price_zones, key=lambda zone: zone.rank)
    ]


class PriceReply(Reply):
    zone: str
    cents: int
    display: str = Field(description="the price as the buyer reads it, e.g. € 28,00")


class ConditionsReply(Reply):
    max_per_order: int | None
    proof_required: bool = Field(description="shown at the door: student card, ID, UiTPAS...")
    min_age: int | None
    max_age: int | None


class TariffReply(Reply):
    id: str
    name: str
    prices: list[PriceReply] = Field(description="per price zone, best zone first")
    conditions: ConditionsReply

    @classmethod
    def of(cls, tariff: Tariff, lang: str, ranks: dict[str, int]) -> TariffReply:
        c = tariff.conditions
        return cls(
            id=tariff.id,
            name=pick(tariff.name, lang),
            prices=[
                PriceReply(zone=zone, cents=cents, display=format_eur(cents, lang))
                for zone, cents in sorted(tariff.prices.items(), key=lambda kv: ranks[kv[0]])
            ],
            conditions=ConditionsReply(
                max_per_order=c.max_per_order,
                proof_required=c.proof_required,
                min_age=c.min_age,
                max_age=c.max_age,
            ),
        )


class AvailabilityReply(Reply):
    capacity: int
    level: str = Field(description="available, sold_out or unavailable; seats: the seat plan")


class PerformanceReply(Reply):
    """A performance's page: its production, house, venue, hall, tariffs and sales status."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_SUMMARY_EXAMPLE,
                    "house": _HOUSE_EXAMPLE,
                    "production": {
                        "id": "ntgent-de-storm",
                        "title": "De Storm",
                        "description": "Shakespeares laatste stuk, op een eiland vol geesten.",
                        "genre": "theatre",
                        "languages": ["nl"],
                        "duration_minutes": 135,
                        "age_advice": 14,
                        "images": [{"url": "/img/de-storm.jpg", "alt": "Storm op zee"}],
                    },
                    "venue": {
                        "id": "ntgent-schouwburg",
                        "name": "Schouwburg",
                        "address": "Sint-Baafsplein 17",
                        "city": "Gent",
                        "accessibility": "Rolstoelplaatsen op de parterre.",
                    },
                    "hall": {
                        "id": "ntgent-grote-zaal",
                        "name": "Grote zaal",
                        "layout": "seated",
                        "capacity": 700,
                        "price_zones": [
                            {"id": "zone-1", "name": "Rang 1", "rank": 1, "color": "#b03a2e"},
                            {"id": "zone-2", "name": "Rang 2", "rank": 2, "color": "#2e86c1"},
                        ],
                    },
                    "sales_opens_at": "2026-09-01T08:00:00Z",
                    "sales_closes_at": "2027-01-15T19:00:00Z",
                    "tariffs": [
                        {
                            "id": "standaard",
                            "name": "Standaard",
                            "prices": [
                                {"zone": "zone-1", "cents": 2800, "display": "€ 28,00"},
                                {"zone": "zone-2", "cents": 1800, "display": "€ 18,00"},
                            ],
                            "conditions": {
                                "max_per_order": None,
                                "proof_required": False,
                                "min_age": None,
                                "max_age": None,
                            },
                        }
                    ],
                    "availability": {"capacity": 700, "level": "available"},
                }
            ]
        }
    )

    id: str
    title: str
    house: HouseReply
    cluster: str
    production: ProductionReply
    genre: Genre
    hall: HallReply
    starts_at: Moment
    ends_at: Moment
    status: PerformanceStatus
    sales_status: SalesState
    price_from_cents: int | None
    image: ImageReply | None
    venue: VenueReply
    sales_opens_at: Moment
    sales_closes_at: Moment
    tariffs: list[TariffReply]
    availability: AvailabilityReply

    @classmethod
    def of(cls, detail: PerformanceDetail, lang: str, now: datetime) -> PerformanceReply:
        performance = detail.performance
        ranks = {zone.id: zone.rank for zone in detail.hall.price_zones}
        available = availability(performance, detail.hall, now)
        return cls(
            id=performance.id,
            title=pick(performance.title, lang),
            house=HouseReply.of(detail.house, lang),
            cluster=performance.cluster,
            production=ProductionReply.of(detail.production, lang),
            genre=performance.genre,
            hall=HallReply.of(detail.hall, lang),
            starts_at=performance.starts_at,
            ends_at=performance.ends_at,
            status=performance.status,
            sales_status=performance.sales_state(now),
            price_from_cents=_price_from(performance.tariffs),
            image=ImageReply.of(performance.image, lang) if performance.image else None,
            venue=VenueReply.of(detail.venue, lang),
            sales_opens_at=performance.sales_opens_at,
            sales_closes_at=performance.sales_closes_at,
            tariffs=[TariffReply.of(t, lang, ranks) for t in performance.tariffs],
            availability=AvailabilityReply(capacity=available.capacity, level=available.level),
        )


def _price_from(tariffs: tuple[Tariff, ...]) -> int | None:
    """The lowest price anyone can pay: tariffs that need proof or an age (Kansentarief,
    -26, 65+) would make "from € 3,50" a promise most buyers cannot use."""
    open_to_all = [t for t in tariffs if not _restricted(t)] or list(tariffs)
    prices = [cents for tariff in open_to_all for cents in tariff.prices.values() if cents > 0]
    return min(prices) if prices else None


def _restricted(tariff: Tariff) -> bool:
    c = tariff.conditions
    return c.proof_required or c.min_age is not None or c.max_age is not None
