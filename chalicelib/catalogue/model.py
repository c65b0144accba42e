"""The catalogue's domain: plain dataclasses and rules, no AWS, no HTTP."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from chalicelib.core.i18n import LocalizedText
from chalicelib.store import keys


class HouseType(StrEnum):
    CULTUURCENTRUM = "cultuurcentrum"
    GEMEENSCHAPSCENTRUM = "gemeenschapscentrum"
    KUNSTENORGANISATIE = "kunstenorganisatie"
    PARTNER = "partner"


class Genre(StrEnum):
    THEATRE = "theatre"
    DANCE = "dance"
    MUSIC = "music"
    COMEDY = "comedy"
    YOUTH = "youth"
    FESTIVAL = "festival"
    OPERA = "opera"
    CIRCUS = "circus"


class HallLayout(StrEnum):
    SEATED = "seated"
    STANDING = "standing"
    MIXED = "mixed"


class PerformanceStatus(StrEnum):
    DRAFT = "draft"
    ON_SALE = "on_sale"
    SOLD_OUT = "sold_out"
    CANCELLED = "cancelled"


class SalesState(StrEnum):
    """What a buyer can do now; derived from status, sales window and the clock."""

    NOT_YET_ON_SALE = "not_yet_on_sale"
    ON_SALE = "on_sale"
    SALES_CLOSED = "sales_closed"
    SOLD_OUT = "sold_out"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    region: str
    description: LocalizedText


@dataclass(frozen=True)
class House:
    id: str
    cluster: str
    name: str
    type: HouseType
    city: str
    description: LocalizedText
    website: str | None = None
    service_fee_cents: int = 100  # per ticket sold online, VAT included; 0 for free tickets


@dataclass(frozen=True)
class Venue:
    id: str
    house: str
    name: str
    address: str
    city: str
    accessibility: LocalizedText


@dataclass(frozen=True)
class PriceZone:
    id: str
    name: LocalizedText
    rank: int  # 1 is the best zone: best-available seating starts there
    color: str  # for the seat map, "#RRGGBB"


@dataclass(frozen=True)
class Hall:
    id: str
    house: str
    venue: str
    name: str
    layout: HallLayout
    capacity: int
    price_zones: tuple[PriceZone, ...]
    seat_map: str | None = None

    def __post_init__(self) -> None:
        if self.capacity <= 0:
            raise ValueError(f"hall {self.id}: capacity must be positive")
        if not self.price_zones:
            raise ValueError(f"hall {self.id}: needs at least one price zone")


@dataclass(frozen=True)
class Image:
    url: str
    alt: LocalizedText


@dataclass(frozen=True)
class Production:
    id: str
    house: str
    title: LocalizedText
    description: LocalizedText
    genre: Genre
    languages: tuple[str, ...]  # spoken/sung languages, or empty for no text
    duration_minutes: int
    images: tuple[Image, ...] = ()
    age_advice: int | None = None  # minimum age advised, e.g. 12 for "12+"


@dataclass(frozen=True)
class TariffConditions:
    max_per_order: int | None = None
    proof_required: bool = False  # shown at the door: student card, ID, UiTPAS...
    min_age: int | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class Tariff:
    id: str
    name: LocalizedText
    prices: dict[str, int]  # price zone id → euro cents
    conditions: TariffConditions = field(default_factory=TariffConditions)

    def __post_init__(self) -> None:
        if not self.prices:
            raise ValueError(f"tariff {self.id}: needs a price for at least one zone")
        if any(not isinstance(cents, int) or cents < 0 for cents in self.prices.values()):
            raise ValueError(f"tariff {self.id}: prices are non-negative integer cents")


@dataclass(frozen=True)
class Performance:
    id: str
    house: str
    cluster: str
    production: str
    hall: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    sales_opens_at: datetime
    sales_closes_at: datetime
    status: PerformanceStatus
    tariffs: tuple[Tariff, ...]
    # copied from the production for listings
    title: LocalizedText
    genre: Genre
    image: Image | None = None  # the production's first image, for programme cards
    # hold rules (inventory): how long a hold lasts, how much one buyer may hold at once
    hold_minutes: int = 15
    max_seats_per_hold: int = 10
    max_holds_per_client: int = 3

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValueError(f"performance {self.id}: ends before it starts")
        if self.sales_closes_at <= self.sales_opens_at:
            raise ValueError(f"performance {self.id}: sales window closes before it opens")
        if self.sales_closes_at > self.ends_at:
            raise ValueError(f"performance {self.id}: sales close after the performance ends")

    @property
    def is_public(self) -> bool:
        return self.status is not PerformanceStatus.DRAFT

    def sales_state(self, now: datetime) -> SalesState:
        if self.status is PerformanceStatus.CANCELLED:
            return SalesState.CANCELLED
        if self.status is PerformanceStatus.SOLD_OUT:
            return SalesState.SOLD_OUT
        if self.status is PerformanceStatus.DRAFT or now < self.sales_opens_at:
            return SalesState.NOT_YET_ON_SALE
        if now >= self.sales_closes_at:
            return SalesState.SALES_CLOSED
        return SalesState.ON_SALE

    def check_against(self, hall: Hall, production: Production) -> None:
        """Rules that span objects: the hall and production belong to the same house, and
        every tariff prices zones the hall really has."""
        if hall.id != self.hall or hall.house != self.house or hall.venue != self.venue:
            raise ValueError(f"performance {self.id}: hall {hall.id} is not this house's hall")
        if production.id != self.production or production.house != self.house:
            raise ValueError(f"performance {self.id}: production {production.id} mismatch")
        zones = {zone.id for zone in hall.price_zones}
        for tariff in self.tariffs:
            unknown = set(tariff.prices) - zones
            if unknown:
                raise ValueError(f"tariff {tariff.id}: unknown price zones {sorted(unknown)}")


@dataclass(frozen=True)
class CatalogueSet:
    """Catalogue objects written together: a seed, an import, a staff change."""

    clusters: tuple[Cluster, ...] = ()
    houses: tuple[House, ...] = ()
    venues: tuple[Venue, ...] = ()
    halls: tuple[Hall, ...] = ()
    productions: tuple[Production, ...] = ()
    performances: tuple[Performance, ...] = ()

    def check(self) -> None:
        """Every performance against its hall and production, where they are in the set."""
        halls = {hall.id: hall for hall in self.halls}
        productions = {production.id: production for production in self.productions}
        for performance in self.performances:
            hall, production = halls.get(performance.hall), productions.get(performance.production)
            if hall and production:
                performance.check_against(hall, production)


@dataclass(frozen=True)
class PerformanceDetail:
    """A performance with everything a buyer reads on its page."""

    performance: Performance
    production: Production
    house: House
    venue: Venue
    hall: Hall


@dataclass(frozen=True)
class Availability:
    """The public summary. Seat-level counts come with the inventory."""

    capacity: int
    level: str  # available | sold_out | unavailable


def availability(performance: Performance, hall: Hall, now: datetime) -> Availability:
    state = performance.sales_state(now)
    if state is SalesState.SOLD_OUT:
        return Availability(capacity=hall.capacity, level="sold_out")
    if state in (SalesState.CANCELLED, SalesState.SALES_CLOSED):
        return Availability(capacity=hall.capacity, level="unavailable")
    return Availability(capacity=hall.capacity, level="available")


def availability_level(free: int, capacity: int) -> str:
    """How much is left, for a badge: `sold_out` when nothing is, `limited` at 10 % of the
    capacity or less ("few seats left"), else `available`. Integer arithmetic, so 10 % is
    exact: 5 of 50 is limited, 6 is not."""
    if free <= 0:
        return "sold_out"
    if free * 10 <= capacity:
        return "limited"
    return "available"


def searchable(text: str) -> str:
    """Lower case without accents, so 'Bolero' finds 'Boléro'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_text(title: LocalizedText) -> str:
    return " | ".join(searchable(text) for text in dict.fromkeys(title.values()))


def matches_text(performance_search_text: str, query: str) -> bool:
    """Every word of the query appears in the title (in any language)."""
    return all(word in performance_search_text for word in searchable(query).split())


@dataclass(frozen=True)
class Timeline:
    """A sorted run of public performances: a cluster's or a house's."""

    scope: str  # "cluster" | "house"
    id: str

    @property
    def partition(self) -> str:
        if self.scope == "cluster":
            return keys.cluster_timeline(self.id)
        return keys.house_timeline(self.id)
