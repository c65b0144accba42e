"""In-memory stand-ins for the ports the programme service uses (chalicelib/programme/service.py):
the catalogue store (`ProgrammeStore`, and what `CatalogueService.save` writes through), the
seat maps and seat claims of the inventory, and the cancellation's refunds. They keep the
adapters' contracts, not their storage: `own_*` answers only within the houses given, lists come
in the partition's order strictly after a key, a block takes only free seats.

`FakeProgrammeStore(ignore_houses=True)` is a broken adapter on purpose: it answers another
house's object as if it were the caller's. The isolation tests run against it too and must
fail there, which shows they test the houses and not something else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.catalogue.model import (
    CatalogueSet,
    Hall,
    House,
    Performance,
    PerformanceDetail,
    Production,
    Venue,
)
from chalicelib.core.clock import to_utc_iso
from chalicelib.inventory.model import SeatClaim, SeatState, Unavailable
from chalicelib.inventory.seatmap import SeatMap
from chalicelib.programme.cancellation import progress
from chalicelib.store.keys import timeline_sk


def _value(obj: Any, name: str) -> str:
    value = getattr(obj, name)
    return str(getattr(value, "value", value))


@dataclass
class FakeProgrammeStore:
    houses: dict[str, House] = field(default_factory=dict)
    venues: dict[str, Venue] = field(default_factory=dict)
    halls: dict[str, Hall] = field(default_factory=dict)
    productions: dict[str, Production] = field(default_factory=dict)
    performances: dict[str, Performance] = field(default_factory=dict)
    ignore_houses: bool = False  # the broken adapter: never use but to prove a test bites
    ignore_after: bool = False  # the broken adapter: pages start over instead of after a key
    saves: list[CatalogueSet] = field(default_factory=list)

    # --- what CatalogueService.save needs ---------------------------------------------------

    def save_all(self, objects: CatalogueSet) -> int:
        self.saves.append(objects)
        for kind in ("houses", "venues", "halls", "productions", "performances"):
            table = getattr(self, kind)
            for obj in getattr(objects, kind):
                table[obj.id] = obj
        return sum(len(getattr(objects, kind)) for kind in ("venues", "halls", "productions"))

    def get_house(self, house_id: str) -> House | None:
        return self.houses.get(house_id)

    # --- ProgrammeStore ---------------------------------------------------------------------

    def _mine(self, houses: Iterable[str], obj: Any) -> Any:
        if obj is None:
            return None
        return obj if self.ignore_houses or obj.house in set(houses) else None

    def own_production(self, houses: Iterable[str], production_id: str) -> Production | None:
        found: Production | None = self._mine(houses, self.productions.get(production_id))
        return found

    def own_hall(self, houses: Iterable[str], hall_id: str) -> Hall | None:
        found: Hall | None = self._mine(houses, self.halls.get(hall_id))
        return found

    def own_venue(self, houses: Iterable[str], venue_id: str) -> Venue | None:
        found: Venue | None = self._mine(houses, self.venues.get(venue_id))
        return found

    def own_performance(
        self, houses: Iterable[str], performance_id: str
    ) -> PerformanceDetail | None:
        performance = self._mine(houses, self.performances.get(performance_id))
        if performance is None:
            return None
        return PerformanceDetail(
            performance=performance,
            production=self.productions[performance.production],
            house=self.houses[performance.house],
            venue=self.venues[performance.venue],
            hall=self.halls[performance.hall],
        )

    def house_performances(self, house: str) -> list[Performance]:
        return [p for p in self.performances.values() if p.house == house]

    def house_productions(self, house: str) -> list[Production]:
        return [p for p in self.productions.values() if p.house == house]

    def house_venues(self, house: str) -> list[Venue]:
        return [v for v in self.venues.values() if v.house == house]

    def house_halls(self, house: str) -> list[Hall]:
        return [h for h in self.halls.values() if h.house == house]

    def house_listing(
        self,
        house: str,
        kind: str,
        after: str | None = None,
        filters: Mapping[str, str] | None = None,
        page_size: int = 50,
    ) -> Iterator[tuple[str, Any]]:
        table: dict[str, Any] = getattr(self, kind)
        for ident in sorted(table):
            obj = table[ident]
            if obj.house != house or (
                after is not None and not self.ignore_after and ident <= after
            ):
                continue
            if all(_value(obj, name) == value for name, value in (filters or {}).items()):
                yield ident, obj

    def house_programme(
        self,
        house: str,
        after: str | None,
        until: str,
        filters: Mapping[str, str] | None = None,
        page_size: int = 50,
    ) -> Iterator[tuple[str, Performance]]:
        keyed = sorted(
            (timeline_sk(to_utc_iso(p.starts_at), p.id), p)
            for p in self.performances.values()
            if p.house == house
        )
        for key, performance in keyed:
            if after is not None and not self.ignore_after and key <= after:
                continue
            if key > until:
                return
            if all(_value(performance, n) == v for n, v in (filters or {}).items()):
                yield key, performance

    def delete_production(self, house: str, production_id: str) -> None:
        assert self.productions[production_id].house == house
        del self.productions[production_id]

    def delete_item(self, house: str, kind: str, ident: str) -> None:
        if kind == "venue":
            assert self.venues.pop(ident).house == house
        else:
            assert self.halls.pop(ident).house == house


@dataclass
class FakeSeatStore:
    """The inventory's seat maps and seat claims, as the programme's blocks use them."""

    seat_maps: dict[str, SeatMap] = field(default_factory=dict)
    claims: dict[tuple[str, str], SeatClaim] = field(default_factory=dict)  # (performance, seat)

    def get_seat_map(self, house: str, seat_map_id: str) -> SeatMap | None:
        return self.seat_maps.get(seat_map_id)

    def save_seat_map(self, house: str, seat_map: SeatMap) -> None:
        assert seat_map.id not in self.seat_maps, "a published map never changes"
        self.seat_maps[seat_map.id] = seat_map

    def seat_claims(self, performance: str, sections: list[str]) -> dict[str, SeatClaim]:
        return {seat: claim for (p, seat), claim in self.claims.items() if p == performance}

    def orders_of_holds(self, hold_ids: list[str]) -> dict[str, str]:
        return {}  # no checkout pays for a hold here

    def block_seats(
        self,
        performance: str,
        house: str,
        section_of: Mapping[str, str],
        reason: str,
        now: datetime,
    ) -> None:
        taken = [
            seat
            for seat in section_of
            if (claim := self.claims.get((performance, seat))) is not None
            and not (claim.state is SeatState.HELD and claim.held_until and claim.held_until <= now)
        ]
        if taken:  # all or nothing, as the conditional transaction
            raise Unavailable(taken, [], False)
        for seat in section_of:
            self.claims[(performance, seat)] = SeatClaim(
                seat, SeatState.BLOCKED, reason=reason, blocked_at=now
            )

    def unblock_seats(self, performance: str, section_of: Mapping[str, str]) -> None:
        for seat in section_of:
            claim = self.claims.get((performance, seat))
            if claim is None or claim.state is not SeatState.BLOCKED:
                raise Unavailable([seat], [], False)
        for seat in section_of:
            del self.claims[(performance, seat)]


@dataclass
class FakeRefunds:
    """The cancellation's refunds: each paid order refunded once however often it is queued
    (the consumer's rule), and every call remembered."""

    paid: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (house, perf) → orders
    refunded: set[str] = field(default_factory=set)
    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def refund_buyers(self, house: str, performance_id: str, reason: str) -> dict[str, Any]:
        self.calls.append((house, performance_id, reason))
        due = [o for o in self.paid.get((house, performance_id), []) if o not in self.refunded]
        self.refunded |= set(due)  # the consumer, at once
        return self.progress(house, performance_id) | {"queued": len(due)}

    def progress(self, house: str, performance_id: str) -> dict[str, Any]:
        orders = self.paid.get((house, performance_id), [])
        left = [o for o in orders if o not in self.refunded]
        counts = progress([])
        return counts | {
            "to_refund": len(left),
            "refunded": len(orders) - len(left),
            "done": not left,
        }
